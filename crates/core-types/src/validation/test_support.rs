//! Table-driven validation tests: a valid base object, JSON-merge-patched per case.

use serde_json::Value;

use crate::decode::AnyObject;

/// Applies a JSON merge patch (RFC 7386): objects merge, `null` deletes, anything else
/// (arrays included) replaces.
fn merge(base: &mut Value, patch: Value) {
    match (base, patch) {
        (Value::Object(b), Value::Object(p)) => {
            for (k, v) in p {
                if v.is_null() {
                    b.remove(&k);
                } else {
                    merge(b.entry(k).or_insert(Value::Null), v);
                }
            }
        }
        (b, p) => *b = p,
    }
}

/// The rendered errors of `base` patched with `patch` (both YAML), sorted.
pub(super) fn errors(base: &str, patch: &str) -> Vec<String> {
    let mut doc: Value = serde_yaml_ng::from_str(base).expect("base YAML");
    let patch: Value = serde_yaml_ng::from_str(patch).expect("patch YAML");
    if !patch.is_null() {
        merge(&mut doc, patch);
    }
    let object = AnyObject::from_value(doc, 0).expect("test object decodes");
    assert!(object.is_typed(), "test object is not a built-in kind");
    let mut lines: Vec<String> = match object.validate() {
        Ok(()) => Vec::new(),
        Err(e) => {
            assert!(!e.is_empty(), "Err without errors");
            e.errors().iter().map(ToString::to_string).collect()
        }
    };
    lines.sort();
    lines
}

/// Checks that `base` is valid and that each patched case reports exactly the expected
/// lines (in any order).
pub(super) fn check(base: &str, cases: &[(&str, &[&str])]) {
    assert_eq!(
        errors(base, "null"),
        Vec::<String>::new(),
        "the base object must be valid"
    );
    let mut failures = Vec::new();
    for (patch, expected) in cases {
        let got = errors(base, patch);
        let mut want: Vec<String> = expected.iter().map(|s| (*s).to_owned()).collect();
        want.sort();
        if got != want {
            failures.push(format!(
                "patch:\n{patch}\nexpected:\n  {}\ngot:\n  {}",
                want.join("\n  "),
                got.join("\n  ")
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// Checks that each patched case is valid.
pub(super) fn check_valid(base: &str, patches: &[&str]) {
    for patch in patches {
        assert_eq!(errors(base, patch), Vec::<String>::new(), "patch:\n{patch}");
    }
}
