//! `Quantity`: exact resource amounts (`100m`, `1.5Gi`, `1e3`, `500M`), as
//! Kubernetes' `resource.Quantity`, computed with integers only.

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::iter::Sum;
use std::ops::{Add, AddAssign, Neg, Sub, SubAssign};
use std::str::FromStr;

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::Error;

mod parse;
#[cfg(test)]
mod tests;

/// Nano-units in one unit.
const NANOS_PER_UNIT: i128 = 1_000_000_000;

/// How a quantity is written when formatted.
///
/// Parsing picks the format from the suffix; formatting writes the canonical form
/// of that format (see [`Quantity`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum QuantityFormat {
    /// Powers of 1000 with SI suffixes: `n`, `u`, `m`, none, `k`, `M`, `G`, `T`, `P`, `E`.
    #[default]
    DecimalSI,
    /// Powers of 1024 with binary suffixes: `Ki`, `Mi`, `Gi`, `Ti`, `Pi`, `Ei`.
    BinarySI,
    /// Powers of ten written as exponents: `1e3`, `5e-3`.
    DecimalExponent,
}

/// An exact amount of a resource (CPU, memory, storage...), like Kubernetes'
/// `resource.Quantity`.
///
/// The amount is an integer count of nano-units (10^-9) in an `i128`, so resource
/// math is exact: no floating point is ever involved. The [`QuantityFormat`] chosen
/// when parsing is kept and decides how the quantity is written back.
///
/// # Grammar
///
/// An optional sign (`+`/`-`), digits with an optional decimal point (`1`, `1.5`,
/// `.5`, `5.`), then a suffix:
///
/// - decimal SI: `n` (10^-9), `u`, `m`, none, `k`, `M`, `G`, `T`, `P`, `E` (10^18);
/// - binary SI: `Ki` (2^10), `Mi`, `Gi`, `Ti`, `Pi`, `Ei` (2^60);
/// - a decimal exponent: `e3`, `E-3`, `e+2`.
///
/// Amounts finer than one nano-unit are rounded up, away from zero (`0.1n` is `1n`),
/// as Kubernetes does so that asking for a tiny amount never yields nothing. Binary
/// SI amounts are capped at 2^63-1 units, also as Kubernetes does (`8Ei` parses as
/// 9223372036854775807). Decimal amounts whose nano count does not fit an `i128`
/// (about 1.7e29 units, e.g. `1e40`) are an error. Surrounding whitespace is
/// rejected (serde decoding trims it first, like Kubernetes' JSON decoding).
///
/// # Canonical form
///
/// [`Display`](fmt::Display) writes Kubernetes' canonical form: the mantissa is an
/// integer and the suffix as large as possible without losing precision.
///
/// - DecimalSI: the exponent is a multiple of 3 (`1.5G` is `1500M`, `0.5` is
///   `500m`, `1000m` is `1`); above `E` the mantissa grows (`1000E`).
/// - DecimalExponent: same mantissa, written `1e3`, `5e-3`, or without exponent.
/// - BinarySI: the largest power of 1024 that divides the amount (`1.5Gi` is
///   `1536Mi`); amounts that are not whole or below 1024 in magnitude are written
///   as DecimalSI (`0.5Ki` is `512`).
///
/// Equality, ordering and hashing compare the amount only: `1000m == 1`.
///
/// # Example
///
/// ```
/// use core_types::{Quantity, QuantityFormat};
///
/// let request: Quantity = "1.5Gi".parse()?;
/// assert_eq!(request.format(), QuantityFormat::BinarySI);
/// assert_eq!(request.to_string(), "1536Mi");
///
/// let cpu: Quantity = "1000m".parse()?;
/// assert_eq!(cpu, "1".parse::<Quantity>()?);
/// assert!(cpu < "1.5".parse::<Quantity>()?);
///
/// let total = cpu + "500m".parse::<Quantity>()?;
/// assert_eq!(total.to_string(), "1500m");
/// assert_eq!(total.milli_value(), 1500);
/// assert_eq!(total.format(), QuantityFormat::DecimalSI);
/// # Ok::<(), core_types::Error>(())
/// ```
#[derive(Clone, Copy, Debug, Default)]
pub struct Quantity {
    nanos: i128,
    format: QuantityFormat,
}

/// `n / d` rounded away from zero (`d > 0`).
fn div_away_from_zero(n: i128, d: i128) -> i128 {
    let q = n / d;
    match (n % d).signum() {
        1 => q + 1,
        -1 => q - 1,
        _ => q,
    }
}

/// `v` clamped into `i64`.
fn saturate_i64(v: i128) -> i64 {
    i64::try_from(v).unwrap_or(if v < 0 { i64::MIN } else { i64::MAX })
}

impl Quantity {
    /// The amount in nano-units (10^-9).
    pub fn nanos(&self) -> i128 {
        self.nanos
    }

    /// The amount in milli-units, rounded up away from zero (as Kubernetes'
    /// `MilliValue`), saturating at the `i64` limits.
    pub fn milli_value(&self) -> i64 {
        saturate_i64(div_away_from_zero(self.nanos, 1_000_000))
    }

    /// The amount in whole units, rounded up away from zero (as Kubernetes'
    /// `Value`), saturating at the `i64` limits.
    pub fn value(&self) -> i64 {
        saturate_i64(div_away_from_zero(self.nanos, NANOS_PER_UNIT))
    }

    /// A quantity of `milli` thousandths, formatted as DecimalSI.
    pub fn from_milli(milli: i64) -> Self {
        Self {
            nanos: i128::from(milli) * 1_000_000,
            format: QuantityFormat::DecimalSI,
        }
    }

    /// A quantity of `value` whole units in the given format.
    pub fn from_value(value: i64, format: QuantityFormat) -> Self {
        Self {
            nanos: i128::from(value) * NANOS_PER_UNIT,
            format,
        }
    }

    /// A quantity of `nanos` nano-units (10^-9) in the given format.
    pub fn from_nanos(nanos: i128, format: QuantityFormat) -> Self {
        Self { nanos, format }
    }

    /// The format used when printing.
    pub fn format(&self) -> QuantityFormat {
        self.format
    }

    /// Whether the amount is zero.
    pub fn is_zero(&self) -> bool {
        self.nanos == 0
    }

    /// The format of a sum or difference: the left operand's, unless the left operand
    /// is zero, in which case the right one's (as Kubernetes' `Add` and `Sub`), so a
    /// total accumulated from zero takes the format of what is added to it.
    fn combined_format(&self, rhs: &Self) -> QuantityFormat {
        if self.is_zero() {
            rhs.format
        } else {
            self.format
        }
    }

    /// `self + rhs`, or `None` on overflow. The result keeps `self`'s format (or
    /// `rhs`'s when `self` is zero).
    pub fn checked_add(self, rhs: Self) -> Option<Self> {
        Some(Self {
            nanos: self.nanos.checked_add(rhs.nanos)?,
            format: self.combined_format(&rhs),
        })
    }

    /// `self - rhs`, or `None` on overflow. The result keeps `self`'s format (or
    /// `rhs`'s when `self` is zero).
    pub fn checked_sub(self, rhs: Self) -> Option<Self> {
        Some(Self {
            nanos: self.nanos.checked_sub(rhs.nanos)?,
            format: self.combined_format(&rhs),
        })
    }

    /// `self * factor`, or `None` on overflow. The result keeps `self`'s format.
    pub fn checked_mul(self, factor: i64) -> Option<Self> {
        Some(Self {
            nanos: self.nanos.checked_mul(i128::from(factor))?,
            format: self.format,
        })
    }

    /// `self + rhs`, saturating at the `i128` nano-unit limits (what `+` does).
    pub fn saturating_add(self, rhs: Self) -> Self {
        Self {
            nanos: self.nanos.saturating_add(rhs.nanos),
            format: self.combined_format(&rhs),
        }
    }

    /// `self - rhs`, saturating at the `i128` nano-unit limits (what `-` does).
    pub fn saturating_sub(self, rhs: Self) -> Self {
        Self {
            nanos: self.nanos.saturating_sub(rhs.nanos),
            format: self.combined_format(&rhs),
        }
    }

    /// Writes the canonical form (see [`Quantity`]) into `out`.
    fn write_canonical(&self, out: &mut String) {
        use fmt::Write as _;

        if self.nanos == 0 {
            out.push('0');
            return;
        }
        if self.nanos < 0 {
            out.push('-');
        }
        let magnitude = self.nanos.unsigned_abs();
        let per_unit = NANOS_PER_UNIT.unsigned_abs();

        if self.format == QuantityFormat::BinarySI
            && magnitude >= 1024 * per_unit
            && magnitude % per_unit == 0
        {
            const SUFFIXES: [&str; 7] = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"];
            let mut units = magnitude / per_unit;
            let mut power = 0;
            while power + 1 < SUFFIXES.len() && units % 1024 == 0 {
                units /= 1024;
                power += 1;
            }
            push_int(out, units);
            out.push_str(SUFFIXES[power]);
            return;
        }

        // Decimal: move factors of ten into the exponent, then lower the exponent to a
        // multiple of three. The mantissa never exceeds `magnitude`, so cannot overflow.
        let (mut mantissa, mut exponent) = strip_tens(magnitude);
        let excess = exponent.rem_euclid(3);
        mantissa *= 10u128.pow(excess.unsigned_abs());
        exponent -= excess;

        if self.format == QuantityFormat::DecimalExponent {
            push_int(out, mantissa);
            if exponent != 0 {
                let _ = write!(out, "e{exponent}");
            }
            return;
        }
        if exponent > 18 {
            mantissa *= 10u128.pow((exponent - 18).unsigned_abs());
            exponent = 18;
        }
        let suffix = match exponent {
            -9 => "n",
            -6 => "u",
            -3 => "m",
            3 => "k",
            6 => "M",
            9 => "G",
            12 => "T",
            15 => "P",
            18 => "E",
            _ => "",
        };
        push_int(out, mantissa);
        out.push_str(suffix);
    }
}

/// Appends a decimal integer, through 64-bit formatting when it fits (the common case).
fn push_int(out: &mut String, v: u128) {
    use fmt::Write as _;
    let _ = match u64::try_from(v) {
        Ok(small) => write!(out, "{small}"),
        Err(_) => write!(out, "{v}"),
    };
}

impl PartialEq for Quantity {
    fn eq(&self, other: &Self) -> bool {
        self.nanos == other.nanos
    }
}

impl Eq for Quantity {}

impl PartialOrd for Quantity {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Quantity {
    fn cmp(&self, other: &Self) -> Ordering {
        self.nanos.cmp(&other.nanos)
    }
}

impl Hash for Quantity {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.nanos.hash(state);
    }
}

/// Saturating addition (see [`Quantity::saturating_add`]); never panics.
impl Add for Quantity {
    type Output = Self;
    fn add(self, rhs: Self) -> Self {
        self.saturating_add(rhs)
    }
}

/// Saturating subtraction (see [`Quantity::saturating_sub`]); never panics.
impl Sub for Quantity {
    type Output = Self;
    fn sub(self, rhs: Self) -> Self {
        self.saturating_sub(rhs)
    }
}

/// Saturating in-place addition; never panics.
impl AddAssign for Quantity {
    fn add_assign(&mut self, rhs: Self) {
        *self = self.saturating_add(rhs);
    }
}

/// Saturating in-place subtraction; never panics.
impl SubAssign for Quantity {
    fn sub_assign(&mut self, rhs: Self) {
        *self = self.saturating_sub(rhs);
    }
}

/// The negated amount, same format; `i128::MIN` nanos saturates to `i128::MAX`.
impl Neg for Quantity {
    type Output = Self;
    fn neg(self) -> Self {
        Self {
            nanos: self.nanos.saturating_neg(),
            format: self.format,
        }
    }
}

/// Saturating sum, starting from zero (so the total takes the first addend's format).
impl Sum for Quantity {
    fn sum<I: Iterator<Item = Self>>(iter: I) -> Self {
        iter.fold(Self::default(), Add::add)
    }
}

/// Saturating sum of borrowed quantities.
impl<'a> Sum<&'a Quantity> for Quantity {
    fn sum<I: Iterator<Item = &'a Quantity>>(iter: I) -> Self {
        iter.copied().sum()
    }
}

impl FromStr for Quantity {
    type Err = Error;

    /// Parses the exact text (no trimming); see [`Quantity`] for the grammar.
    fn from_str(s: &str) -> Result<Self, Error> {
        parse::parse(s)
    }
}

/// Splits a nano-unit magnitude into a mantissa without trailing zeros and a power of
/// ten (`1_500_000_000` nanos -> `(15, -1)`). Uses 64-bit division when the value fits:
/// 128-bit division is several times slower, and this runs for every quantity written.
fn strip_tens(magnitude: u128) -> (u128, i32) {
    let mut exponent: i32 = -9;
    if let Ok(mut m) = u64::try_from(magnitude) {
        while m % 10 == 0 {
            m /= 10;
            exponent += 1;
        }
        return (u128::from(m), exponent);
    }
    let mut m = magnitude;
    while m % 10 == 0 {
        m /= 10;
        exponent += 1;
    }
    (m, exponent)
}

impl fmt::Display for Quantity {
    /// Writes the canonical form; see [`Quantity`].
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = String::with_capacity(24);
        self.write_canonical(&mut out);
        f.pad(&out)
    }
}

/// Serializes as the canonical string (`"1536Mi"`), as Kubernetes does.
impl Serialize for Quantity {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut out = String::with_capacity(24);
        self.write_canonical(&mut out);
        serializer.serialize_str(&out)
    }
}

/// Deserializes from a string (surrounding whitespace is trimmed) or a number
/// (`cpu: 1`, `cpu: 0.5`, `memory: 1e9`): integers exactly, floats through their
/// shortest decimal form; NaN and infinities are rejected. `null` is zero, as in
/// Kubernetes.
impl<'de> Deserialize<'de> for Quantity {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(QuantityVisitor)
    }
}

/// Serde visitor accepting quantity strings and numbers.
struct QuantityVisitor;

impl QuantityVisitor {
    /// A whole number of units, formatted as DecimalSI.
    fn integer<E: de::Error>(v: i128) -> Result<Quantity, E> {
        match v.checked_mul(NANOS_PER_UNIT) {
            Some(nanos) => Ok(Quantity::from_nanos(nanos, QuantityFormat::DecimalSI)),
            None => Err(E::custom(Error::InvalidQuantity {
                input: v.to_string(),
                reason: "value out of range (magnitude must be below about 1.7e29 units)".into(),
            })),
        }
    }
}

impl Visitor<'_> for QuantityVisitor {
    type Value = Quantity;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a quantity such as 100m, 1.5Gi or 1e3, as a string or a number")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Quantity, E> {
        v.trim().parse().map_err(E::custom)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Quantity, E> {
        Self::integer(i128::from(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Quantity, E> {
        Self::integer(i128::from(v))
    }

    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Quantity, E> {
        Self::integer(v)
    }

    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Quantity, E> {
        match i128::try_from(v) {
            Ok(v) => Self::integer(v),
            Err(_) => Err(E::custom(Error::InvalidQuantity {
                input: v.to_string(),
                reason: "value out of range (magnitude must be below about 1.7e29 units)".into(),
            })),
        }
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Quantity, E> {
        if !v.is_finite() {
            return Err(E::custom(Error::InvalidQuantity {
                input: v.to_string(),
                reason: "not a finite number".into(),
            }));
        }
        // `Display` for f64 writes the shortest decimal that reads back as the same
        // float, without exponent notation, so the value is the one the document wrote.
        v.to_string().parse().map_err(E::custom)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Quantity, E> {
        Ok(Quantity::default())
    }
}
