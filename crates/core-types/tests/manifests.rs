//! Every manifest of the kubernetes/examples corpus parses; typed objects round-trip
//! without loss.
//!
//! "Without loss" is checked against the source document itself: the typed object,
//! encoded again, must equal the original YAML's content field by field, so a field the
//! model lacks shows up here instead of vanishing silently. The comparison forgives only
//! what Kubernetes itself normalizes: empty, zero and false values left out (Go's
//! `omitempty`), and quantities written in canonical form (`0.5` becomes `500m`).

use std::path::{Path, PathBuf};

use core_types::Quantity;
use core_types::decode::{AnyObject, objects_from_yaml};
use serde_json::Value;

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/kubernetes-examples")
}

fn yaml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("corpus dir")
        .flatten()
        .collect();
    entries.sort_by_key(|e| e.path());
    for e in entries {
        let p = e.path();
        if p.is_dir() {
            yaml_files(&p, out);
        } else if matches!(
            p.extension().and_then(|x| x.to_str()),
            Some("yaml" | "yml" | "json")
        ) {
            out.push(p);
        }
    }
}

/// Removes what Go's `omitempty` would drop: nulls, empty maps, empty arrays.
fn prune(v: &mut Value) -> bool {
    match v {
        Value::Null => true,
        Value::Object(m) => {
            m.retain(|_, v| !prune(v));
            m.is_empty()
        }
        Value::Array(a) => {
            for x in a.iter_mut() {
                prune(x);
            }
            a.is_empty()
        }
        _ => false,
    }
}

/// Where `a` (source) and `b` (re-encoded) differ, with a path; quantities compare by value.
fn diff(path: &str, a: &Value, b: &Value, out: &mut Vec<String>) {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for (k, va) in x {
                match y.get(k) {
                    Some(vb) => diff(&format!("{path}.{k}"), va, vb, out),
                    // Go's `omitempty` drops zero numbers and `false` too; so does the model.
                    None if is_zero(va) => {}
                    None => out.push(format!("{path}.{k}: lost ({va})")),
                }
            }
            for k in y.keys().filter(|k| !x.contains_key(*k)) {
                out.push(format!("{path}.{k}: added ({})", y[k]));
            }
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            for (i, (va, vb)) in x.iter().zip(y).enumerate() {
                diff(&format!("{path}[{i}]"), va, vb, out);
            }
        }
        _ if a == b => {}
        (Value::String(_) | Value::Number(_), Value::String(s)) if same_quantity(a, s) => {}
        _ => out.push(format!("{path}: {a} became {b}")),
    }
}

fn is_zero(v: &Value) -> bool {
    matches!(v, Value::Bool(false)) || v.as_f64() == Some(0.0)
}

fn same_quantity(a: &Value, b: &str) -> bool {
    let a = match a {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    matches!((a.parse::<Quantity>(), b.parse::<Quantity>()), (Ok(x), Ok(y)) if x == y)
}

#[test]
fn every_manifest_parses_and_typed_objects_round_trip() {
    let mut files = Vec::new();
    yaml_files(&corpus(), &mut files);
    assert!(
        files.len() >= 240,
        "corpus missing: found {} files",
        files.len()
    );

    let (mut typed, mut dynamic, mut templates, mut failures) = (0, 0, 0, Vec::new());
    for file in &files {
        let text = std::fs::read_to_string(file).expect("read manifest");
        let sources = core_types::decode::yaml_documents(&text);
        let objects = objects_from_yaml(&text);
        assert_eq!(sources.len(), objects.len());
        for (i, (source, object)) in sources.into_iter().zip(objects).enumerate() {
            let name = format!(
                "{}#{i}",
                file.strip_prefix(corpus()).unwrap_or(file).display()
            );
            let object = match object {
                Ok(o) => o,
                // A few files are templates (`replicas: {{replicas}}`), which YAML reads as
                // a map with a map for key: not an object, and rejected by Kubernetes too.
                // They must fail with an error that says where.
                Err(e) if text.contains("{{") => {
                    templates += 1;
                    let msg = e.to_string();
                    assert!(msg.contains("expected a string key"), "{name}: {msg}");
                    assert!(
                        msg.starts_with("data.")
                            || msg.starts_with("spec.")
                            || msg.starts_with("metadata."),
                        "{name}: error has no path: {msg}"
                    );
                    continue;
                }
                Err(e) => {
                    failures.push(format!("{name}: {e}"));
                    continue;
                }
            };
            if !object.is_typed() {
                dynamic += 1;
                continue;
            }
            typed += 1;
            let mut source = source.expect("document decoded once already");
            let json = serde_json::to_vec(&object).expect("encode");
            let back = AnyObject::from_value(serde_json::from_slice(&json).expect("json"), 0)
                .expect("re-decode");
            assert_eq!(
                back, object,
                "{name}: JSON round trip changed the typed value"
            );
            let mut encoded = serde_json::to_value(&object).expect("encode");
            prune(&mut source);
            prune(&mut encoded);
            let mut diffs = Vec::new();
            diff("", &source, &encoded, &mut diffs);
            failures.extend(diffs.into_iter().map(|d| format!("{name}: {d}")));
        }
    }
    assert!(
        failures.is_empty(),
        "{} problems:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(typed > 200, "only {typed} typed objects");
    assert!(templates <= 5, "{templates} documents failed as templates");
    eprintln!(
        "{typed} typed objects, {dynamic} dynamic objects, {templates} templates, {} files",
        files.len()
    );
}
