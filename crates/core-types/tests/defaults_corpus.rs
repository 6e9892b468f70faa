//! Defaulting every typed object of the kubernetes/examples corpus: the result still
//! round-trips through JSON, a second pass changes nothing, and defaulting only adds:
//! every value the object had before is still there, unchanged.

use std::path::{Path, PathBuf};

use core_types::decode::{AnyObject, objects_from_yaml};
use serde_json::Value;

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/kubernetes-examples")
}

fn manifest_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("corpus dir")
        .flatten()
        .collect();
    entries.sort_by_key(|e| e.path());
    for e in entries {
        let p = e.path();
        if p.is_dir() {
            manifest_files(&p, out);
        } else if matches!(
            p.extension().and_then(|x| x.to_str()),
            Some("yaml" | "yml" | "json")
        ) {
            out.push(p);
        }
    }
}

fn is_empty(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::String(s) => s.is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Object(m) => m.is_empty(),
        _ => false,
    }
}

/// Records every non-empty value of `before` that `after` lacks or holds differently.
fn kept(path: &str, before: &Value, after: &Value, out: &mut Vec<String>) {
    match (before, after) {
        (Value::Object(b), Value::Object(a)) => {
            for (k, vb) in b.iter().filter(|(_, v)| !is_empty(v)) {
                match a.get(k) {
                    Some(va) => kept(&format!("{path}.{k}"), vb, va, out),
                    None => out.push(format!("{path}.{k}: lost ({vb})")),
                }
            }
        }
        (Value::Array(b), Value::Array(a)) if a.len() == b.len() => {
            for (i, (vb, va)) in b.iter().zip(a).enumerate() {
                kept(&format!("{path}[{i}]"), vb, va, out);
            }
        }
        _ if before == after => {}
        _ => out.push(format!("{path}: {before} became {after}")),
    }
}

#[test]
fn defaulting_the_corpus() {
    let mut files = Vec::new();
    manifest_files(&corpus(), &mut files);
    assert!(files.len() > 200, "corpus missing? {} files", files.len());
    let mut problems = Vec::new();
    let mut defaulted = 0;
    for file in &files {
        let text = std::fs::read_to_string(file).expect("read manifest");
        let name = file
            .strip_prefix(corpus())
            .unwrap_or(file)
            .display()
            .to_string();
        for (i, obj) in objects_from_yaml(&text).into_iter().enumerate() {
            let Ok(mut obj) = obj else { continue };
            if !obj.is_typed() {
                continue;
            }
            let kind = obj.type_meta().kind;
            let at = format!("{name}#{i} {kind}");
            let before = serde_json::to_value(&obj).expect("encode");
            obj.apply_defaults();
            defaulted += 1;
            let after = serde_json::to_value(&obj).expect("encode");

            // Round trip: decoding the defaulted JSON gives the same object and JSON.
            match AnyObject::from_value(after.clone(), i) {
                Ok(back) if back == obj => {
                    let again = serde_json::to_value(&back).expect("encode");
                    if again != after {
                        problems.push(format!("{at}: JSON changed on a round trip"));
                    }
                }
                Ok(_) => problems.push(format!("{at}: decoded object differs")),
                Err(e) => problems.push(format!("{at}: defaulted JSON does not decode: {e}")),
            }

            // Idempotence.
            let mut twice = obj.clone();
            twice.apply_defaults();
            if twice != obj {
                problems.push(format!("{at}: a second pass changed the object"));
            }

            // Only additions.
            let mut lost = Vec::new();
            kept("", &before, &after, &mut lost);
            problems.extend(lost.into_iter().map(|l| format!("{at}: {l}")));
        }
    }
    assert!(defaulted > 200, "only {defaulted} typed objects defaulted");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_check_sees_losses_and_changes() {
    let before = serde_json::json!({"a": 1, "b": {"c": "x", "d": ""}, "e": [1, 2], "f": false});
    let mut out = Vec::new();
    kept(
        "",
        &before,
        &serde_json::json!({"a": 1, "b": {"c": "x", "g": 1}, "e": [1, 2], "f": false, "h": 0}),
        &mut out,
    );
    assert!(out.is_empty(), "{out:?}");
    kept(
        "",
        &before,
        &serde_json::json!({"a": 2, "b": {}, "e": [1], "f": true}),
        &mut out,
    );
    assert_eq!(out.len(), 4, "{out:?}");
}
