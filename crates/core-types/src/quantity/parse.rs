//! The quantity grammar: sign, decimal number, suffix; exact integer evaluation.

use super::{NANOS_PER_UNIT, Quantity, QuantityFormat};
use crate::Error;

/// The largest magnitude a BinarySI quantity may have when parsed: 2^63-1 units,
/// in nano-units. Kubernetes silently caps larger binary quantities to this.
pub(super) const BINARY_CAP_NANOS: u128 = (i64::MAX as u128) * (NANOS_PER_UNIT as u128);

/// What a suffix multiplies the number by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Multiplier {
    /// A power of ten (`k` is 3, `m` is -3, `e-7` is -7).
    Decimal(i64),
    /// A power of 1024 (`Ki` is 1, `Ei` is 6).
    Binary(u32),
}

/// Reads a suffix: decimal SI, binary SI or a decimal exponent (`e3`, `E-3`, `e+2`).
/// Returns `None` for anything else.
fn parse_suffix(suffix: &str) -> Option<(Multiplier, QuantityFormat)> {
    use Multiplier::{Binary, Decimal};
    use QuantityFormat::{BinarySI, DecimalExponent, DecimalSI};
    let found = match suffix {
        "" => (Decimal(0), DecimalSI),
        "n" => (Decimal(-9), DecimalSI),
        "u" => (Decimal(-6), DecimalSI),
        "m" => (Decimal(-3), DecimalSI),
        "k" => (Decimal(3), DecimalSI),
        "M" => (Decimal(6), DecimalSI),
        "G" => (Decimal(9), DecimalSI),
        "T" => (Decimal(12), DecimalSI),
        "P" => (Decimal(15), DecimalSI),
        "E" => (Decimal(18), DecimalSI),
        "Ki" => (Binary(1), BinarySI),
        "Mi" => (Binary(2), BinarySI),
        "Gi" => (Binary(3), BinarySI),
        "Ti" => (Binary(4), BinarySI),
        "Pi" => (Binary(5), BinarySI),
        "Ei" => (Binary(6), BinarySI),
        _ => {
            let exponent = suffix
                .strip_prefix('e')
                .or_else(|| suffix.strip_prefix('E'))?;
            // Optional sign, then at least one ASCII digit (what Go's ParseInt takes).
            let digits = exponent.strip_prefix(['+', '-']).unwrap_or(exponent);
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            (Decimal(exponent.parse().ok()?), DecimalExponent)
        }
    };
    Some(found)
}

/// Parses `s` as a Kubernetes quantity. See [`Quantity`] for the grammar.
pub(super) fn parse(s: &str) -> Result<Quantity, Error> {
    let fail = |reason: String| Error::InvalidQuantity {
        input: s.to_owned(),
        reason,
    };
    let bytes = s.as_bytes();
    if bytes.is_empty() {
        return Err(fail("empty string".into()));
    }

    let (negative, mut pos) = match bytes[0] {
        b'-' => (true, 1),
        b'+' => (false, 1),
        _ => (false, 0),
    };
    let int_start = pos;
    while pos < bytes.len() && bytes[pos].is_ascii_digit() {
        pos += 1;
    }
    let int_digits = &bytes[int_start..pos];
    let mut frac_digits: &[u8] = &[];
    if pos < bytes.len() && bytes[pos] == b'.' {
        pos += 1;
        let frac_start = pos;
        while pos < bytes.len() && bytes[pos].is_ascii_digit() {
            pos += 1;
        }
        frac_digits = &bytes[frac_start..pos];
    }
    if int_digits.is_empty() && frac_digits.is_empty() {
        return Err(fail("expected digits after the optional sign".into()));
    }

    // Everything consumed so far is ASCII, so `pos` is a character boundary.
    let suffix = s.get(pos..).unwrap_or_default();
    let Some((multiplier, mut format)) = parse_suffix(suffix) else {
        let reason = if suffix.starts_with('.') {
            "more than one decimal point".to_owned()
        } else if suffix.starts_with(['e', 'E']) {
            format!("invalid exponent {suffix:?} (expected e.g. e3, E-3, e+2)")
        } else {
            format!(
                "unknown suffix {suffix:?} (expected one of n u m k M G T P E, \
                 Ki Mi Gi Ti Pi Ei, or an exponent like e3)"
            )
        };
        return Err(fail(reason));
    };

    let magnitude = match magnitude_nanos(int_digits, frac_digits, multiplier) {
        Some(m) => m,
        // Kubernetes caps binary quantities at 2^63-1 instead of failing.
        None if format == QuantityFormat::BinarySI => BINARY_CAP_NANOS,
        None => return Err(fail(out_of_range_reason())),
    };
    let magnitude = if format == QuantityFormat::BinarySI {
        // A binary amount strictly between 0 and 1 is written in decimal, as Kubernetes does.
        if magnitude > 0 && magnitude < NANOS_PER_UNIT.unsigned_abs() {
            format = QuantityFormat::DecimalSI;
        }
        magnitude.min(BINARY_CAP_NANOS)
    } else {
        magnitude
    };

    let nanos = if negative {
        0i128.checked_sub_unsigned(magnitude)
    } else {
        i128::try_from(magnitude).ok()
    };
    match nanos {
        Some(nanos) => Ok(Quantity { nanos, format }),
        None => Err(fail(out_of_range_reason())),
    }
}

/// The reason given for a value whose nano count does not fit in an `i128`.
fn out_of_range_reason() -> String {
    "value out of range (magnitude must be below about 1.7e29 units)".to_owned()
}

/// `value * 10^9`, where `value` is `int.frac` times the suffix's multiplier, with a
/// non-integer result rounded up (away from zero) to the next whole nano-unit.
/// `None` when the result does not fit in a `u128`.
fn magnitude_nanos(int_digits: &[u8], frac_digits: &[u8], multiplier: Multiplier) -> Option<u128> {
    let digits: Vec<u8> = int_digits
        .iter()
        .chain(frac_digits)
        .map(|d| d - b'0')
        .collect();
    let (Some(first), Some(last)) = (
        digits.iter().position(|&d| d != 0),
        digits.iter().rposition(|&d| d != 0),
    ) else {
        return Some(0);
    };
    let significant = &digits[first..=last];
    let trailing_zeros = digits.len() - 1 - last;

    let (exp10, mult) = match multiplier {
        Multiplier::Decimal(e) => (i128::from(e), 1u128),
        Multiplier::Binary(k) => (0, 1u128 << (10 * k)),
    };
    // The amount in nanos is `significant * mult * 10^scale`.
    let scale = 9 + exp10 - to_i128(frac_digits.len()) + to_i128(trailing_zeros);

    if scale >= 0 {
        let power = 10u128.checked_pow(u32::try_from(scale).ok()?)?;
        return digits_value(significant)?
            .checked_mul(power)?
            .checked_mul(mult);
    }

    // Negative scale: the last `shift` digits (with implicit leading zeros if there are
    // fewer) form a fraction.
    let shift = scale.unsigned_abs();
    let split = significant
        .len()
        .saturating_sub(usize::try_from(shift).unwrap_or(usize::MAX));
    let (whole, fraction) = significant.split_at(split);
    let whole = digits_value(whole)?.checked_mul(mult)?;

    // Multiply the fraction by `mult` digit by digit, from the right: `carry` ends as
    // the integer part of `fraction * mult`, and any non-zero digit dropped on the way
    // means the product has a fractional part. `carry < mult` throughout, so no overflow.
    let mut carry: u128 = 0;
    let mut inexact = false;
    for &d in fraction.iter().rev() {
        let t = u128::from(d) * mult + carry;
        inexact |= t % 10 != 0;
        carry = t / 10;
    }
    // The fraction's implicit leading zeros divide by ten each; stop once nothing is left.
    let mut zeros = shift - to_u128(fraction.len());
    while zeros > 0 && carry > 0 {
        inexact |= carry % 10 != 0;
        carry /= 10;
        zeros -= 1;
    }
    whole.checked_add(carry)?.checked_add(u128::from(inexact))
}

/// The integer written by `digits` (values 0-9), or `None` if it overflows.
fn digits_value(digits: &[u8]) -> Option<u128> {
    digits.iter().try_fold(0u128, |acc, &d| {
        acc.checked_mul(10)?.checked_add(u128::from(d))
    })
}

/// A length as `i128` (always fits).
fn to_i128(n: usize) -> i128 {
    i128::try_from(n).unwrap_or(i128::MAX)
}

/// A length as `u128` (always fits).
fn to_u128(n: usize) -> u128 {
    u128::try_from(n).unwrap_or(u128::MAX)
}
