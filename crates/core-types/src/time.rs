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
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> ::std::fmt::Result {
        write!(f, "{}", self.0.strftime("%Y-%m-%dT%H:%M:%SZ"))
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
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> ::std::fmt::Result {
        write!(f, "{}", self.0.strftime("%Y-%m-%dT%H:%M:%S%.6fZ"))
    }
}

fn parse_rfc3339(s: &str) -> Result<jiff::Timestamp, Error> {
    s.parse::<jiff::Timestamp>()
        .map_err(|e| Error::InvalidTime {
            input: s.to_owned(),
            reason: e.to_string(),
        })
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
    fn time_round_trips_and_drops_fraction() {
        let t: Time = "2024-05-01T12:00:00.75+02:00".parse().unwrap();
        assert_eq!(t.to_string(), "2024-05-01T10:00:00Z");
        let m: MicroTime = "2024-05-01T12:00:00.1234567Z".parse().unwrap();
        assert_eq!(m.to_string(), "2024-05-01T12:00:00.123456Z");
        assert!("yesterday".parse::<Time>().is_err());
    }
}
