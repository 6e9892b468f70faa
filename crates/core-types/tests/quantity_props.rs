//! Property tests for `Quantity`: round trips, canonical form, ordering versus
//! arithmetic, robustness on arbitrary input, and exact parsing against a model.

use core_types::{Quantity, QuantityFormat};
use proptest::prelude::*;

const NANOS_PER_UNIT: i128 = 1_000_000_000;
/// Kubernetes caps parsed binary quantities at 2^63-1 units.
const BINARY_CAP: i128 = i64::MAX as i128 * NANOS_PER_UNIT;

fn any_format() -> impl Strategy<Value = QuantityFormat> {
    prop_oneof![
        Just(QuantityFormat::DecimalSI),
        Just(QuantityFormat::BinarySI),
        Just(QuantityFormat::DecimalExponent),
    ]
}

/// Nano counts of every size and shape: fully random, small, whole units, round
/// decimal and binary amounts, and the extremes.
fn any_nanos() -> impl Strategy<Value = i128> {
    prop_oneof![
        any::<i128>(),
        -1_000_000_000_000i128..1_000_000_000_000,
        any::<i64>().prop_map(|v| i128::from(v) * NANOS_PER_UNIT),
        (any::<i32>(), 0u32..29).prop_map(|(m, e)| i128::from(m) * 10i128.pow(e)),
        (any::<i32>(), 0u32..7)
            .prop_map(|(m, k)| i128::from(m) * (1i128 << (10 * k)) * NANOS_PER_UNIT),
        Just(i128::MAX),
        Just(i128::MIN),
        Just(0),
    ]
}

/// Any quantity; binary ones stay within the 2^63-1 cap that parsing applies.
fn any_quantity() -> impl Strategy<Value = Quantity> {
    (any_nanos(), any_format()).prop_map(|(nanos, format)| {
        let nanos = if format == QuantityFormat::BinarySI {
            nanos % (BINARY_CAP + 1)
        } else {
            nanos
        };
        Quantity::from_nanos(nanos, format)
    })
}

/// A quantity whose arithmetic with another of its kind cannot overflow.
fn moderate_quantity() -> impl Strategy<Value = Quantity> {
    ((any::<i128>().prop_map(|n| n >> 2)), any_format())
        .prop_map(|(nanos, format)| Quantity::from_nanos(nanos, format))
}

/// The suffixes of the grammar with their meaning for the model: a power of ten or a
/// power of 1024, and the format parsing gives.
fn any_suffix() -> impl Strategy<Value = (String, i32, u32, QuantityFormat)> {
    use QuantityFormat::{BinarySI, DecimalExponent, DecimalSI};
    let si: Vec<(&str, i32)> = vec![
        ("n", -9),
        ("u", -6),
        ("m", -3),
        ("", 0),
        ("k", 3),
        ("M", 6),
        ("G", 9),
        ("T", 12),
        ("P", 15),
        ("E", 18),
    ];
    let bin = ["Ki", "Mi", "Gi", "Ti", "Pi", "Ei"];
    prop_oneof![
        prop::sample::select(si).prop_map(|(s, e)| (s.to_owned(), e, 0, DecimalSI)),
        (0..bin.len()).prop_map(move |i| (bin[i].to_owned(), 0, i as u32 + 1, BinarySI)),
        (
            prop::sample::select(vec!["e", "E"]),
            -15i32..=15,
            any::<bool>()
        )
            .prop_map(|(e, exp, plus)| {
                let sign = if plus && exp >= 0 { "+" } else { "" };
                (format!("{e}{sign}{exp}"), exp, 0, DecimalExponent)
            }),
    ]
}

/// The model: the exact nano count of `sign int.frac suffix`, computed directly
/// with `u128` arithmetic (inputs are small enough), or `None` when it is out of
/// range; binary results are capped like Kubernetes does.
fn model(
    negative: bool,
    int: &str,
    frac: &str,
    exp10: i32,
    pow1024: u32,
    format: QuantityFormat,
) -> Option<i128> {
    let digits: u128 = format!("{int}{frac}").parse().unwrap_or(0);
    let numerator = digits * (1u128 << (10 * pow1024));
    let scale = 9 + exp10 - frac.len() as i32;
    let magnitude = if scale >= 0 {
        10u128
            .checked_pow(scale as u32)
            .and_then(|p| numerator.checked_mul(p))
    } else {
        match 10u128.checked_pow(scale.unsigned_abs()) {
            Some(p) => Some(numerator.div_ceil(p)),
            None => Some(u128::from(numerator > 0)),
        }
    };
    let magnitude = match (magnitude, format) {
        (Some(m), QuantityFormat::BinarySI) => Some(m.min(BINARY_CAP as u128)),
        (None, QuantityFormat::BinarySI) => Some(BINARY_CAP as u128),
        (m, _) => m,
    }?;
    let magnitude = i128::try_from(magnitude).ok()?;
    Some(if negative { -magnitude } else { magnitude })
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 2000,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    /// parse(format(q)) == q.
    #[test]
    fn canonical_string_round_trips(q in any_quantity()) {
        let text = q.to_string();
        let parsed: Quantity = text.parse().map_err(|e| TestCaseError::fail(format!("{text}: {e}")))?;
        prop_assert_eq!(parsed, q, "{}", text);
        prop_assert_eq!(parsed.nanos(), q.nanos());
    }

    /// format(parse(format(q))) == format(q), and the second format is a fixed point.
    ///
    /// One exception, shared with Kubernetes: a BinarySI amount written without a
    /// binary suffix (`209000`, not a multiple of 1024) parses back as DecimalSI and
    /// may then be written with a decimal suffix (`209k`); the value is unchanged and
    /// the form is stable from then on.
    #[test]
    fn canonical_form_is_idempotent(q in any_quantity()) {
        let text = q.to_string();
        let parsed: Quantity = text.parse().map_err(|e| TestCaseError::fail(format!("{text}: {e}")))?;
        let again = parsed.to_string();
        let binary_without_suffix = q.format() == QuantityFormat::BinarySI && !text.ends_with('i');
        if !binary_without_suffix {
            prop_assert_eq!(&again, &text);
        }
        let reparsed: Quantity = again.parse().map_err(|e| TestCaseError::fail(format!("{again}: {e}")))?;
        prop_assert_eq!(reparsed.to_string(), again);
        prop_assert_eq!(reparsed, q);
    }

    /// Ordering agrees with subtraction, and adding then subtracting is the identity.
    #[test]
    fn ordering_agrees_with_arithmetic(a in moderate_quantity(), b in moderate_quantity()) {
        let diff = b.checked_sub(a).ok_or_else(|| TestCaseError::fail("sub overflowed"))?;
        prop_assert_eq!(a < b, diff > Quantity::default());
        prop_assert_eq!(a == b, diff.is_zero());
        prop_assert_eq!(a.cmp(&b), a.nanos().cmp(&b.nanos()));
        prop_assert_eq!(a + b - b, a);
        prop_assert_eq!(a.checked_add(b).and_then(|s| s.checked_sub(b)), Some(a));
        prop_assert_eq!(-(-a), a);
    }

    /// Operators saturate instead of panicking, checked operations report overflow.
    #[test]
    fn arithmetic_never_panics(a in any_quantity(), b in any_quantity(), k in any::<i64>()) {
        let _ = a + b;
        let _ = a - b;
        let _ = -a;
        prop_assert_eq!(a.checked_add(b).map(|q| q.nanos()), a.nanos().checked_add(b.nanos()));
        prop_assert_eq!(a.checked_sub(b).map(|q| q.nanos()), a.nanos().checked_sub(b.nanos()));
        prop_assert_eq!(
            a.checked_mul(k).map(|q| q.nanos()),
            a.nanos().checked_mul(i128::from(k))
        );
        let _ = (a.value(), a.milli_value());
    }

    /// Arbitrary text never panics the parser; whatever parses round-trips.
    #[test]
    fn parsing_arbitrary_strings_never_panics(s in any::<String>()) {
        if let Ok(q) = s.parse::<Quantity>() {
            prop_assert_eq!(q.to_string().parse::<Quantity>().ok(), Some(q));
        }
    }

    /// Quantity-like text never panics the parser; whatever parses round-trips.
    #[test]
    fn parsing_quantity_like_strings_never_panics(s in "[-+0-9.eEinumkKMGTP]{0,40}") {
        if let Ok(q) = s.parse::<Quantity>() {
            let text = q.to_string();
            prop_assert_eq!(text.parse::<Quantity>().ok(), Some(q));
        }
    }

    /// Random valid strings parse to exactly the value a direct model computes.
    #[test]
    fn valid_strings_parse_to_the_model_value(
        sign in prop::sample::select(vec!["", "+", "-"]),
        int in "[0-9]{0,10}",
        frac in prop::option::of("[0-9]{0,10}"),
        (suffix, exp10, pow1024, format) in any_suffix(),
    ) {
        prop_assume!(!int.is_empty() || frac.as_deref().is_some_and(|f| !f.is_empty()));
        let text = match &frac {
            Some(f) => format!("{sign}{int}.{f}{suffix}"),
            None => format!("{sign}{int}{suffix}"),
        };
        let frac = frac.unwrap_or_default();
        let expected = model(sign == "-", &int, &frac, exp10, pow1024, format);
        let parsed = text.parse::<Quantity>();
        match expected {
            Some(nanos) => {
                let q = parsed.map_err(|e| TestCaseError::fail(format!("{text}: {e}")))?;
                prop_assert_eq!(q.nanos(), nanos, "{}", text);
                let expected_format = if format == QuantityFormat::BinarySI
                    && nanos != 0
                    && nanos.abs() < NANOS_PER_UNIT
                {
                    QuantityFormat::DecimalSI
                } else {
                    format
                };
                prop_assert_eq!(q.format(), expected_format, "{}", text);
            }
            None => prop_assert!(parsed.is_err(), "{} should be out of range", text),
        }
    }
}
