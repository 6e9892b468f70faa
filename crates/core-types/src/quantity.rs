//! `Quantity`: exact resource amounts (`100m`, `1.5Gi`, `1e3`, `500M`).
//!
//! PLACEHOLDER INTERFACE: the exact implementation is being written; the type's
//! public surface below is what the rest of the crate may rely on.

use std::fmt;
use std::str::FromStr;

use crate::Error;

/// How a quantity is written when formatted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum QuantityFormat {
    /// Powers of 1000 with SI suffixes: `m`, ``, `k`, `M`, `G`, ...
    #[default]
    DecimalSI,
    /// Powers of 1024 with binary suffixes: `Ki`, `Mi`, `Gi`, ...
    BinarySI,
    /// Powers of ten written as exponents: `1e3`, `5e-3`.
    DecimalExponent,
}

/// An exact amount of a resource, stored as an integer count of nano-units.
#[derive(Clone, Copy, Debug, Default)]
pub struct Quantity {
    nanos: i128,
    format: QuantityFormat,
}

impl Quantity {
    /// The amount in nano-units (10^-9).
    pub fn nanos(&self) -> i128 {
        self.nanos
    }

    /// The amount in milli-units, rounded up (as Kubernetes' `MilliValue`), saturating.
    pub fn milli_value(&self) -> i64 {
        let m =
            self.nanos.div_euclid(1_000_000) + i128::from(self.nanos.rem_euclid(1_000_000) != 0);
        i64::try_from(m).unwrap_or(if m < 0 { i64::MIN } else { i64::MAX })
    }

    /// The amount in whole units, rounded up (as Kubernetes' `Value`), saturating.
    pub fn value(&self) -> i64 {
        let m = self.nanos.div_euclid(1_000_000_000)
            + i128::from(self.nanos.rem_euclid(1_000_000_000) != 0);
        i64::try_from(m).unwrap_or(if m < 0 { i64::MIN } else { i64::MAX })
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
            nanos: i128::from(value) * 1_000_000_000,
            format,
        }
    }

    /// The format used when printing.
    pub fn format(&self) -> QuantityFormat {
        self.format
    }
}

impl PartialEq for Quantity {
    fn eq(&self, other: &Self) -> bool {
        self.nanos == other.nanos
    }
}
impl Eq for Quantity {}

impl FromStr for Quantity {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        Err(Error::InvalidQuantity {
            input: s.to_owned(),
            reason: "not yet implemented".into(),
        })
    }
}

impl fmt::Display for Quantity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}n", self.nanos)
    }
}

crate::time::string_serde!(Quantity, "a quantity such as 100m, 1.5Gi or 1e3");
