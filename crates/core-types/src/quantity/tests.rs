#![allow(clippy::unwrap_used)] // Tests may unwrap: a failure is the point.

use std::collections::BTreeMap;

use super::*;

fn q(s: &str) -> Quantity {
    s.parse()
        .unwrap_or_else(|e| panic!("{s:?} should parse: {e}"))
}

/// Input, canonical output, format after parsing.
const CANONICAL: &[(&str, &str, QuantityFormat)] = {
    use QuantityFormat::{BinarySI as B, DecimalExponent as X, DecimalSI as D};
    &[
        // Plain numbers, signs, leading zeros, decimal points.
        ("0", "0", D),
        ("-0", "0", D),
        ("+0.000", "0", D),
        ("0.0", "0", D),
        ("1", "1", D),
        ("+1", "1", D),
        ("-1", "-1", D),
        ("000123", "123", D),
        ("5.", "5", D),
        (".5", "500m", D),
        ("0.5", "500m", D),
        ("1.5", "1500m", D),
        ("-1.5", "-1500m", D),
        ("1024", "1024", D),
        ("1500000", "1500k", D),
        (
            "123456789012345678901234567890",
            "123456789012345678901234567890",
            D,
        ),
        // Every decimal SI suffix.
        ("1n", "1n", D),
        ("1000n", "1u", D),
        ("1u", "1u", D),
        ("1500u", "1500u", D),
        ("100m", "100m", D),
        ("1000m", "1", D),
        ("1500m", "1500m", D),
        ("100.1m", "100100u", D),
        ("0.5m", "500u", D),
        ("1k", "1k", D),
        ("1M", "1M", D),
        ("1.5G", "1500M", D),
        ("1G", "1G", D),
        ("1T", "1T", D),
        ("1P", "1P", D),
        ("1000P", "1E", D),
        ("1E", "1E", D),
        ("-2E", "-2E", D),
        ("1000E", "1000E", D),
        ("12345E", "12345E", D),
        ("1.G", "1G", D),
        // Sub-nano amounts round up, away from zero.
        ("0.1n", "1n", D),
        ("-0.1n", "-1n", D),
        ("0.000001m", "1n", D),
        ("1.0000000001", "1000000001n", D),
        (
            "0.0000000000000000000000000000000000000000000000001",
            "1n",
            D,
        ),
        // Binary SI.
        ("0Gi", "0", B),
        ("1Ki", "1Ki", B),
        ("1Mi", "1Mi", B),
        ("1Gi", "1Gi", B),
        ("1Ti", "1Ti", B),
        ("1Pi", "1Pi", B),
        ("1Ei", "1Ei", B),
        ("1.5Gi", "1536Mi", B),
        ("-1.5Gi", "-1536Mi", B),
        ("1024Ki", "1Mi", B),
        ("1025Ki", "1025Ki", B),
        ("1.5Ki", "1536", B),
        ("4096Mi", "4Gi", B),
        ("7Ei", "7Ei", B),
        // Binary that is below 1024 or not whole is written as decimal.
        ("0.5Ki", "512", B),
        ("-0.5Ki", "-512", B),
        ("1.1Ki", "1126400m", B),
        ("0.1Gi", "107374182400m", B),
        // Binary below one unit switches to DecimalSI when parsed.
        ("0.0001Ki", "102400u", D),
        // Binary above 2^63-1 is capped, as Kubernetes does.
        ("8Ei", "9223372036854775807", B),
        ("-16Ei", "-9223372036854775807", B),
        (
            "100000000000000000000000000000000000000000Ki",
            "9223372036854775807",
            B,
        ),
        // Decimal exponents.
        ("1e3", "1e3", X),
        ("1E3", "1e3", X),
        ("1e+3", "1e3", X),
        ("10e2", "1e3", X),
        ("1e+2", "100", X),
        ("1.5e3", "1500", X),
        ("1e0", "1", X),
        ("1000e-3", "1", X),
        ("1e-3", "1e-3", X),
        ("5e-3", "5e-3", X),
        ("-5E-3", "-5e-3", X),
        ("1e-9", "1e-9", X),
        ("1e-10", "1e-9", X),
        ("1e-9999999999", "1e-9", X),
        ("0e9999999999", "0", X),
        ("1e18", "1e18", X),
        ("1e21", "1e21", X),
        ("1.23e4", "12300", X),
        ("1e28", "10e27", X),
        (
            "100000000000000000000000000000000000000000000000000e-45",
            "100e3",
            X,
        ),
    ]
};

#[test]
fn canonical_forms() {
    assert!(CANONICAL.len() >= 40);
    for &(input, canonical, format) in CANONICAL {
        let parsed = q(input);
        assert_eq!(parsed.to_string(), canonical, "canonical form of {input:?}");
        assert_eq!(parsed.format(), format, "format of {input:?}");
        // The canonical form parses back to the same amount and prints the same.
        let again = q(canonical);
        assert_eq!(again, parsed, "{canonical:?} re-parsed");
        assert_eq!(again.to_string(), canonical, "{canonical:?} re-printed");
    }
}

#[test]
fn exact_values() {
    assert_eq!(q("1.5Gi").nanos(), 1_610_612_736 * NANOS_PER_UNIT);
    assert_eq!(q("1n").nanos(), 1);
    assert_eq!(q("0.1Gi").nanos(), 107_374_182_400_000_000);
    assert_eq!(q("1e-10").nanos(), 1);
    assert_eq!(q("-1e-10").nanos(), -1);
    assert_eq!(q("8Ei").nanos(), i128::from(i64::MAX) * NANOS_PER_UNIT);
    assert_eq!(q("7.9999999999Ei").value(), 9_223_372_036_739_483_658);
    assert_eq!(
        q("7.9999999999Ei").nanos(),
        9_223_372_036_739_483_657_539_315_303
    );
    let max = format!("{}n", i128::MAX);
    let min = format!("{}n", i128::MIN);
    assert_eq!(q(&max).nanos(), i128::MAX);
    assert_eq!(q(&min).nanos(), i128::MIN);
}

#[test]
fn rejected_inputs() {
    let too_long = "9".repeat(100);
    let bad: &[&str] = &[
        "",
        " ",
        " 1",
        "1 ",
        "1 Gi",
        "+",
        "-",
        "--1",
        "+-1",
        ".",
        "-.",
        "1.2.3",
        "1..2",
        "1K",
        "1mi",
        "1kb",
        "1Kii",
        "1i",
        "1KI",
        "1gi",
        "Gi",
        "-Gi",
        "m",
        "e3",
        "1e",
        "1e+",
        "1e-",
        "1ee3",
        "1e3.5",
        "1e3m",
        "1e 3",
        "1e99999999999999999999",
        "0e99999999999999999999",
        "1e40",
        "1E30",
        "-1e40",
        "170141183460469231731687303715884105728n",
        "-170141183460469231731687303715884105729n",
        &too_long,
        "1-",
        "1µ",
        "abc",
        "0x10",
        "1_000",
        "1,5",
        "\u{661}",
        "1\n",
    ];
    for input in bad {
        match input.parse::<Quantity>() {
            Ok(parsed) => panic!("{input:?} should be rejected, got {parsed}"),
            Err(Error::InvalidQuantity { input: got, reason }) => {
                assert_eq!(got, *input);
                assert!(!reason.is_empty());
            }
            Err(other) => panic!("{input:?}: unexpected error {other}"),
        }
    }
}

#[test]
fn error_reasons_are_specific() {
    let reason = |s: &str| match s.parse::<Quantity>() {
        Err(Error::InvalidQuantity { reason, .. }) => reason,
        other => panic!("{s:?}: {other:?}"),
    };
    assert!(reason("1K").contains("unknown suffix \"K\""));
    assert!(reason("1.2.3").contains("decimal point"));
    assert!(reason("1e40").contains("out of range"));
    assert!(reason("1ex").contains("exponent"));
    assert!(reason("Gi").contains("digits"));
    assert!(reason("").contains("empty"));
}

#[test]
fn equality_ordering_and_hash_ignore_format() {
    use std::collections::HashSet;

    assert_eq!(q("1000m"), q("1"));
    assert_eq!(q("1Ki"), q("1024"));
    assert_eq!(q("1e3"), q("1k"));
    assert!(q("100m") < q("1"));
    assert!(q("-1") < q("0"));
    assert!(q("1Gi") > q("1G"));
    assert!(q("999m") < q("1"));
    let mut sorted = [q("1Gi"), q("1"), q("-5"), q("500m"), q("1G")];
    sorted.sort();
    let strings: Vec<String> = sorted.iter().map(ToString::to_string).collect();
    assert_eq!(strings, ["-5", "500m", "1", "1G", "1Gi"]);
    let set: HashSet<Quantity> = [q("1000m"), q("1"), q("1e0")].into_iter().collect();
    assert_eq!(set.len(), 1);
}

#[test]
fn arithmetic() {
    let a = q("1.5");
    let b = q("500m");
    assert_eq!((a + b).to_string(), "2");
    assert_eq!((a - b).to_string(), "1");
    assert_eq!((b - a).to_string(), "-1");
    assert_eq!(a.checked_add(b), Some(q("2")));
    assert_eq!(a.checked_sub(b), Some(q("1")));
    assert_eq!(a.checked_mul(3), Some(q("4.5")));
    assert_eq!(a.checked_mul(-2), Some(q("-3")));
    assert_eq!((-a).to_string(), "-1500m");
    assert!(q("0Mi").is_zero() && !a.is_zero());

    // The left operand's format wins, unless the left operand is zero.
    let mem = q("1Gi") + q("1G");
    assert_eq!(mem.format(), QuantityFormat::BinarySI);
    assert_eq!(mem.to_string(), "2073741824");
    let mut total = Quantity::default();
    total += q("512Mi");
    total += q("512Mi");
    assert_eq!(total.to_string(), "1Gi");
    total -= q("1Gi");
    assert!(total.is_zero());
    let sum: Quantity = [q("1Gi"), q("1Gi")].iter().sum();
    assert_eq!(sum.to_string(), "2Gi");
    assert_eq!(
        q("3e3").checked_mul(2).map(|x| x.to_string()),
        Some("6e3".into())
    );

    // Overflow: checked operations say so, operators saturate.
    let max = Quantity::from_nanos(i128::MAX, QuantityFormat::DecimalSI);
    let min = Quantity::from_nanos(i128::MIN, QuantityFormat::DecimalSI);
    let one = q("1n");
    assert_eq!(max.checked_add(one), None);
    assert_eq!(min.checked_sub(one), None);
    assert_eq!(max.checked_mul(2), None);
    assert_eq!((max + one).nanos(), i128::MAX);
    assert_eq!((min - one).nanos(), i128::MIN);
    assert_eq!((-min).nanos(), i128::MAX);
    let mut m = max;
    m += max;
    assert_eq!(m, max);
}

#[test]
fn constructors() {
    assert_eq!(Quantity::from_milli(1500).to_string(), "1500m");
    assert_eq!(Quantity::from_milli(-3).to_string(), "-3m");
    assert_eq!(
        Quantity::from_value(2048, QuantityFormat::BinarySI).to_string(),
        "2Ki"
    );
    assert_eq!(
        Quantity::from_value(1023, QuantityFormat::BinarySI).to_string(),
        "1023"
    );
    assert_eq!(
        Quantity::from_value(5000, QuantityFormat::DecimalExponent).to_string(),
        "5e3"
    );
    assert_eq!(
        Quantity::from_nanos(1_500_000_000, QuantityFormat::BinarySI).to_string(),
        "1500m"
    );
    assert_eq!(
        Quantity::from_nanos(i128::MIN, QuantityFormat::DecimalSI).to_string(),
        format!("{}n", i128::MIN)
    );
    assert_eq!(
        Quantity::from_value(1 << 62, QuantityFormat::BinarySI).to_string(),
        "4Ei"
    );
    // Beyond Ei the mantissa grows.
    let huge = Quantity::from_nanos((1i128 << 70) * NANOS_PER_UNIT, QuantityFormat::BinarySI);
    assert_eq!(huge.to_string(), "1024Ei");
    assert_eq!(Quantity::default().to_string(), "0");
    assert_eq!(format!("[{:>6}]", q("100m")), "[  100m]");
}

#[test]
fn milli_value_and_value_round_up() {
    assert_eq!(q("1").milli_value(), 1000);
    assert_eq!(q("1.5").value(), 2);
    assert_eq!(q("1.5").milli_value(), 1500);
    assert_eq!(q("0.1m").milli_value(), 1);
    assert_eq!(q("1n").milli_value(), 1);
    assert_eq!(q("1n").value(), 1);
    assert_eq!(q("0").value(), 0);
    assert_eq!(q("100m").value(), 1);
    assert_eq!(q("1Gi").value(), 1 << 30);
    // Negative amounts round away from zero too, as Kubernetes does.
    assert_eq!(q("-1.5").value(), -2);
    assert_eq!(q("-0.1m").milli_value(), -1);
    // Saturation instead of overflow.
    assert_eq!(q("1e20").value(), i64::MAX);
    assert_eq!(q("-1e20").value(), i64::MIN);
    assert_eq!(q("1e17").milli_value(), i64::MAX);
}

#[test]
fn serde_from_strings() {
    let parsed: Quantity = serde_json::from_str("\"1.5Gi\"").unwrap();
    assert_eq!(parsed.to_string(), "1536Mi");
    let trimmed: Quantity = serde_json::from_str("\" 100m \\n\"").unwrap();
    assert_eq!(trimmed, q("100m"));
    assert_eq!(serde_json::to_string(&parsed).unwrap(), "\"1536Mi\"");
    assert_eq!(serde_json::to_string(&q("1e3")).unwrap(), "\"1e3\"");

    let err = serde_json::from_str::<Quantity>("\"1K\"")
        .unwrap_err()
        .to_string();
    assert!(err.contains("\"1K\"") && err.contains("suffix"), "{err}");
    let err = serde_json::from_str::<Quantity>("true")
        .unwrap_err()
        .to_string();
    assert!(err.contains("expected a quantity"), "{err}");
    let null: Quantity = serde_json::from_str("null").unwrap();
    assert!(null.is_zero());
}

#[test]
fn serde_from_numbers() {
    let cases: &[(&str, &str)] = &[
        ("1", "1"),
        ("0", "0"),
        ("-2", "-2"),
        ("0.5", "500m"),
        ("0.1", "100m"),
        ("2.25", "2250m"),
        ("1e9", "1G"),
        ("1.5e3", "1500"),
        ("1e-3", "1m"),
        ("18446744073709551615", "18446744073709551615"),
        ("100000000000000000000", "100E"),
    ];
    for &(json, canonical) in cases {
        let parsed: Quantity = serde_json::from_str(json).unwrap();
        assert_eq!(parsed.to_string(), canonical, "JSON {json}");
        assert_eq!(parsed.format(), QuantityFormat::DecimalSI, "JSON {json}");
    }
    let err = serde_json::from_str::<Quantity>("1e300")
        .unwrap_err()
        .to_string();
    assert!(err.contains("out of range"), "{err}");
}

#[test]
fn serde_yaml_documents() {
    let yaml = "cpu: 1\nhalf: 0.5\nmemory: 1e9\nbinary: 1Gi\nmilli: 250m\nneg: -3\n";
    let list: BTreeMap<String, Quantity> = serde_yaml_ng::from_str(yaml).unwrap();
    let shown: BTreeMap<&str, String> = list
        .iter()
        .map(|(k, v)| (k.as_str(), v.to_string()))
        .collect();
    let expected: BTreeMap<&str, String> = [
        ("cpu", "1"),
        ("half", "500m"),
        ("memory", "1G"),
        ("binary", "1Gi"),
        ("milli", "250m"),
        ("neg", "-3"),
    ]
    .into_iter()
    .map(|(k, v)| (k, v.to_owned()))
    .collect();
    assert_eq!(shown, expected);

    for bad in [
        "cpu: .nan",
        "cpu: .inf",
        "cpu: -.inf",
        "cpu: 1K",
        "cpu: [1]",
    ] {
        let err = serde_yaml_ng::from_str::<BTreeMap<String, Quantity>>(bad)
            .expect_err(bad)
            .to_string();
        assert!(err.contains("quantity"), "{bad}: {err}");
    }
    let err = serde_yaml_ng::from_str::<BTreeMap<String, Quantity>>("cpu: .nan")
        .unwrap_err()
        .to_string();
    assert!(err.contains("NaN") && err.contains("finite"), "{err}");
}

/// The same code as the example in `Quantity`'s documentation.
#[test]
fn doc_example() -> Result<(), Error> {
    let request: Quantity = "1.5Gi".parse()?;
    assert_eq!(request.format(), QuantityFormat::BinarySI);
    assert_eq!(request.to_string(), "1536Mi");

    let cpu: Quantity = "1000m".parse()?;
    assert_eq!(cpu, "1".parse::<Quantity>()?);
    assert!(cpu < "1.5".parse::<Quantity>()?);

    let total = cpu + "500m".parse::<Quantity>()?;
    assert_eq!(total.to_string(), "1500m");
    assert_eq!(total.milli_value(), 1500);
    assert_eq!(total.format(), QuantityFormat::DecimalSI);
    Ok(())
}
