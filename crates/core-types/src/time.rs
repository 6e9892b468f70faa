//! Timestamps as Kubernetes writes them: RFC 3339 in UTC.

use std::fmt;
use std::str::FromStr;

use crate::Error;

/// A point in time with second precision, written as RFC 3339 in UTC
/// (`2024-05-01T12:00:00Z`), like `metav1.Time`.
///
/// Parsing accepts any RFC 3339 offset and fractional seconds; the fraction is
/// dropped, as Kubernetes does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Time(jiff::Timestamp);

/// A point in time with microsecond precision (`2024-05-01T12:00:00.000000Z`),
/// like `metav1.MicroTime`; used by `Event.eventTime` and `Lease` times.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct MicroTime(jiff::Timestamp);

// === impl Time ===

impl Time {
    /// The current time, truncated to whole seconds.
    pub fn now() -> Self {
        Self::from_unix_seconds(jiff::Timestamp::now().as_second())
            .unwrap_or(Self(jiff::Timestamp::UNIX_EPOCH))
    }

    /// The time `secs` seconds after the Unix epoch, or `None` if out of range.
    pub fn from_unix_seconds(secs: i64) -> Option<Self> {
        jiff::Timestamp::from_second(secs).ok().map(Self)
    }

    /// Seconds since the Unix epoch.
    pub fn unix_seconds(&self) -> i64 {
        self.0.as_second()
    }
}

impl FromStr for Time {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Error> {
        let ts = parse_rfc3339(s)?;
        Ok(Self(
            jiff::Timestamp::from_second(ts.as_second()).unwrap_or(ts),
        ))
    }
}

impl fmt::Display for Time {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut buf = [0u8; 27];
        match format_utc(self.0.as_second(), None, &mut buf) {
            Some(s) => f.write_str(s),
            None => write!(f, "{}", self.0.strftime("%Y-%m-%dT%H:%M:%SZ")),
        }
    }
}

// === impl MicroTime ===

impl MicroTime {
    /// The current time, truncated to whole microseconds.
    pub fn now() -> Self {
        Self::from_unix_micros(jiff::Timestamp::now().as_microsecond())
            .unwrap_or(Self(jiff::Timestamp::UNIX_EPOCH))
    }

    /// The time `micros` microseconds after the Unix epoch, or `None` if out of range.
    pub fn from_unix_micros(micros: i64) -> Option<Self> {
        jiff::Timestamp::from_microsecond(micros).ok().map(Self)
    }

    /// Microseconds since the Unix epoch.
    pub fn unix_micros(&self) -> i64 {
        self.0.as_microsecond()
    }
}

impl FromStr for MicroTime {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Error> {
        let ts = parse_rfc3339(s)?;
        Ok(Self(
            jiff::Timestamp::from_microsecond(ts.as_microsecond()).unwrap_or(ts),
        ))
    }
}

impl fmt::Display for MicroTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let micros = self.0.as_microsecond();
        let mut buf = [0u8; 27];
        let (secs, frac) = (micros.div_euclid(1_000_000), micros.rem_euclid(1_000_000));
        match format_utc(secs, Some(frac), &mut buf) {
            Some(s) => f.write_str(s),
            None => write!(f, "{}", self.0.strftime("%Y-%m-%dT%H:%M:%S%.6fZ")),
        }
    }
}

/// Writes `YYYY-MM-DDTHH:MM:SS[.ffffff]Z` for a time in years 0..=9999, or returns
/// `None` (the caller falls back to the general formatter). Timestamps are written for
/// every object, so this avoids interpreting a format string each time.
fn format_utc(secs: i64, micros: Option<i64>, buf: &mut [u8; 27]) -> Option<&str> {
    let (y, m, d) = civil_from_days(secs.div_euclid(86_400));
    let rem = secs.rem_euclid(86_400);
    if !(0..=9999).contains(&y) {
        return None;
    }
    let mut put = |at: usize, v: i64, width: usize| {
        let mut v = v;
        for i in (0..width).rev() {
            // `v % 10` is a single digit, so the cast cannot truncate.
            buf[at + i] = b'0' + (v % 10) as u8;
            v /= 10;
        }
    };
    put(0, y, 4);
    put(5, m, 2);
    put(8, d, 2);
    put(11, rem / 3600, 2);
    put(14, rem / 60 % 60, 2);
    put(17, rem % 60, 2);
    let mut len = 19;
    if let Some(us) = micros {
        put(20, us, 6);
        buf[19] = b'.';
        len = 26;
    }
    for (at, c) in [(4, b'-'), (7, b'-'), (10, b'T'), (13, b':'), (16, b':')] {
        buf[at] = c;
    }
    buf[len] = b'Z';
    std::str::from_utf8(&buf[..=len]).ok()
}

/// The proleptic Gregorian date of a day count since 1970-01-01 (Howard Hinnant's
/// `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

fn parse_rfc3339(s: &str) -> Result<jiff::Timestamp, Error> {
    if let Some(ts) = parse_utc_fast(s.as_bytes()) {
        return Ok(ts);
    }
    s.parse::<jiff::Timestamp>()
        .map_err(|e| Error::InvalidTime {
            input: s.to_owned(),
            reason: e.to_string(),
        })
}

/// Reads the form servers write, `YYYY-MM-DDTHH:MM:SS[.f{1,9}]Z`, without the
/// general parser; anything else (offsets, other forms, invalid dates) returns `None`
/// and goes to jiff, which also words the errors.
fn parse_utc_fast(b: &[u8]) -> Option<jiff::Timestamp> {
    let digits = |r: std::ops::Range<usize>| -> Option<i64> {
        b.get(r)?.iter().try_fold(0i64, |acc, &c| {
            c.is_ascii_digit().then(|| acc * 10 + i64::from(c - b'0'))
        })
    };
    let seps = [(4, b'-'), (7, b'-'), (10, b'T'), (13, b':'), (16, b':')];
    if b.len() < 20 || seps.iter().any(|&(at, c)| b[at] != c) || b[b.len() - 1] != b'Z' {
        return None;
    }
    let (y, mo, d) = (digits(0..4)?, digits(5..7)?, digits(8..10)?);
    let (h, mi, sec) = (digits(11..13)?, digits(14..16)?, digits(17..19)?);
    let nanos = match b.len() {
        20 => 0,
        22..=30 if b[19] == b'.' => {
            let width = u32::try_from(b.len() - 21).ok()?;
            digits(20..b.len() - 1)? * 10i64.pow(9 - width)
        }
        _ => return None,
    };
    if !(1..=12).contains(&mo) || d < 1 || d > days_in_month(y, mo) || h > 23 || mi > 59 || sec > 59
    {
        return None;
    }
    let secs = days_from_civil(y, mo, d) * 86_400 + h * 3600 + mi * 60 + sec;
    jiff::Timestamp::new(secs, i32::try_from(nanos).ok()?).ok()
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
/// `days_from_civil`).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

macro_rules! string_serde {
    ($ty:ty, $expecting:literal) => {
        impl ::serde::Serialize for $ty {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_str(self)
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $ty {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct V;
                impl serde::de::Visitor<'_> for V {
                    type Value = $ty;
                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str($expecting)
                    }
                    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<$ty, E> {
                        v.parse().map_err(E::custom)
                    }
                }
                d.deserialize_str(V)
            }
        }
    };
}
// Kept available to other modules of the crate for string-only types.
#[allow(unused_imports)]
pub(crate) use string_serde;

string_serde!(Time, "an RFC 3339 timestamp");
string_serde!(MicroTime, "an RFC 3339 timestamp");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fast_parsing_agrees_with_jiff() {
        let (lo, hi) = (-62_167_219_200_i64, 253_402_300_799_i64);
        let mut t = lo;
        while t <= hi {
            for s in [t, t + 1, t + 86_399] {
                let ts = jiff::Timestamp::from_second(s).unwrap();
                let text = ts.strftime("%Y-%m-%dT%H:%M:%SZ").to_string();
                assert_eq!(parse_utc_fast(text.as_bytes()), Some(ts), "{text}");
            }
            t += 86_400 * 37 + 3_600;
        }
        for text in ["2024-02-29T23:59:59.123456789Z", "2024-05-01T12:00:00.5Z"] {
            assert_eq!(parse_utc_fast(text.as_bytes()), text.parse().ok(), "{text}");
        }
        // Not the fast form (or not a date): left to jiff, which accepts or explains.
        for text in [
            "2023-02-29T00:00:00Z",
            "2024-05-01T24:00:00Z",
            "2024-05-01T12:00:00+02:00",
            "2024-05-01T12:00:00.Z",
            "2024-05-01T12:00:00.1234567890Z",
            "2024-05-01 12:00:00Z",
            "２０２４",
        ] {
            assert_eq!(parse_utc_fast(text.as_bytes()), None, "{text}");
        }
        assert!("2023-02-29T00:00:00Z".parse::<Time>().is_err());
    }

    #[test]
    fn fast_formatting_agrees_with_jiff_over_the_whole_range() {
        // Every day boundary (and a few seconds into it) from year 0 to 9999, by steps.
        let (lo, hi) = (-62_167_219_200_i64, 253_402_300_799_i64);
        let mut t = lo;
        while t <= hi {
            for s in [t, t + 1, t + 86_399] {
                let ts = jiff::Timestamp::from_second(s).unwrap();
                assert_eq!(
                    Time(ts).to_string(),
                    ts.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
                );
            }
            t += 86_400 * 37 + 3_600;
        }
    }

    #[test]
    fn time_round_trips_and_drops_fraction() {
        let t: Time = "2024-05-01T12:00:00.75+02:00".parse().unwrap();
        assert_eq!(t.to_string(), "2024-05-01T10:00:00Z");
        let m: MicroTime = "2024-05-01T12:00:00.1234567Z".parse().unwrap();
        assert_eq!(m.to_string(), "2024-05-01T12:00:00.123456Z");
        let m: MicroTime = "1969-12-31T23:59:59.5Z".parse().unwrap();
        assert_eq!(m.to_string(), "1969-12-31T23:59:59.500000Z");
        assert!("yesterday".parse::<Time>().is_err());
    }
}
