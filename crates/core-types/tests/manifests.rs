//! Every manifest of the kubernetes/examples corpus parses; typed objects round-trip
//! without loss.
//!
//! "Without loss" is checked against the source document itself: the typed object,
//! encoded again, must equal the original YAML's content field by field, so a field the
//! model lacks shows up here instead of vanishing silently. The comparison forgives only
//! what Kubernetes itself normalizes: empty, zero and false values left out (Go's
//! `omitempty`), quantities written in canonical form (`0.5` becomes `500m`), and fields
//! that are not part of the Kubernetes API at all (typos and obsolete fields in the
//! examples), which an independent model of the API, k8s-openapi, drops as well.

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
            // Go writes fields without `omitempty` even when zero: the model does too.
            for k in y.keys().filter(|k| !x.contains_key(*k) && !is_zero(&y[*k])) {
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

/// Zero, false, "", or a structure holding nothing else: what Go writes for a struct
/// value without `omitempty` (an empty `status` as `{"replicas":0}`) or drops with it.
fn is_zero(v: &Value) -> bool {
    match v {
        Value::Object(m) => m.values().all(is_zero),
        Value::Array(a) => a.iter().all(is_zero),
        Value::Null => true,
        _ => matches!(v, Value::Bool(false)) || v.as_f64() == Some(0.0) || v.as_str() == Some(""),
    }
}

/// The source document as k8s-openapi (an independent model of the same API) reads and
/// writes it back. A field it drops too is not part of the Kubernetes API (a typo or an
/// obsolete field in the example), which a real API server drops as well.
fn through_openapi(kind: &str, source: &Value) -> Option<Value> {
    use k8s_openapi::api::{apps, autoscaling, batch, core, policy, rbac};
    fn rt<T: serde::de::DeserializeOwned + serde::Serialize>(v: &Value) -> Option<Value> {
        serde_json::from_value::<T>(v.clone())
            .ok()
            .and_then(|t| serde_json::to_value(t).ok())
    }
    match kind {
        "Pod" => rt::<core::v1::Pod>(source),
        "Service" => rt::<core::v1::Service>(source),
        "ReplicationController" => rt::<core::v1::ReplicationController>(source),
        "PersistentVolume" => rt::<core::v1::PersistentVolume>(source),
        "PersistentVolumeClaim" => rt::<core::v1::PersistentVolumeClaim>(source),
        "Secret" => rt::<core::v1::Secret>(source),
        "Deployment" => rt::<apps::v1::Deployment>(source),
        "StatefulSet" => rt::<apps::v1::StatefulSet>(source),
        "DaemonSet" => rt::<apps::v1::DaemonSet>(source),
        "Job" => rt::<batch::v1::Job>(source),
        "HorizontalPodAutoscaler" => rt::<autoscaling::v2::HorizontalPodAutoscaler>(source),
        "PodDisruptionBudget" => rt::<policy::v1::PodDisruptionBudget>(source),
        "ClusterRole" => rt::<rbac::v1::ClusterRole>(source),
        _ => None,
    }
}

/// Documents of the corpus that are not valid Kubernetes objects, with the error they
/// must fail with (a real API server rejects them too).
const INVALID: &[(&str, &str)] = &[(
    "_archived/volumes/fibre_channel/fc.yaml#0",
    "spec.volumes[0].fc.lun: invalid type: string \"<ADD LUN ID Here>\", expected i32",
)];

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
    let mut forgiven = 0;
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
                    match INVALID.iter().find(|(doc, _)| *doc == name) {
                        Some((_, expected)) => assert_eq!(&e.to_string(), expected, "{name}"),
                        None => failures.push(format!("{name}: {e}")),
                    }
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
            if !diffs.is_empty() {
                // Forgive exactly the fields an independent model of the API drops too.
                let kind = object.type_meta().kind;
                let mut openapi = through_openapi(&kind, &source).unwrap_or_default();
                prune(&mut openapi);
                let mut theirs = Vec::new();
                diff("", &source, &openapi, &mut theirs);
                let unknown: Vec<&str> = theirs
                    .iter()
                    .filter(|d| d.contains(": lost ("))
                    .filter_map(|d| d.split(": lost (").next())
                    .collect();
                diffs.retain(|d| {
                    !unknown
                        .iter()
                        .any(|u| d.starts_with(&format!("{u}: lost (")))
                });
                forgiven += theirs.len();
            }
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
    assert!(
        forgiven <= 10,
        "{forgiven} fields unknown to the API: the corpus changed?"
    );
    eprintln!(
        "{typed} typed objects, {dynamic} dynamic objects, {templates} templates, \
         {forgiven} fields outside the API, {} files",
        files.len()
    );
}
