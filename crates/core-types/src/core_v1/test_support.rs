//! Helpers for the unit tests of the core/v1 kinds: decode a YAML fixture, and check
//! that the typed model writes it back unchanged and that Kubernetes' own schema (as
//! `k8s-openapi` models it) knows every field the fixture uses.

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::Error;
use crate::resource::StaticResource;

/// The first document of `yaml` as JSON.
pub(crate) fn source(yaml: &str) -> Value {
    let doc = crate::decode::yaml_documents(yaml).into_iter().next();
    doc.expect("fixture has a document")
        .expect("fixture is YAML")
}

/// Decodes the first document of `yaml` as a `K`.
pub(crate) fn decode<K: StaticResource>(yaml: &str) -> Result<K, Error> {
    crate::decode::from_value(source(yaml))
}

/// Decodes `yaml` as `K` and checks that:
/// - encoding it gives back exactly the fixture (so the fixture must be written the way
///   Go writes the object: required fields present, empty optional ones absent);
/// - decoding that encoding gives the same value;
/// - `O`, the `k8s-openapi` type of the same kind, keeps every value of the fixture,
///   which catches misspelt field names in the fixture and thus in the model.
pub(crate) fn assert_wire<K, O>(yaml: &str) -> K
where
    K: StaticResource + PartialEq,
    O: Serialize + DeserializeOwned,
{
    let src = source(yaml);
    let obj: K = crate::decode::from_value(src.clone()).expect("fixture decodes");
    let encoded = serde_json::to_value(&obj).expect("encodes");
    assert_eq!(encoded, src, "encoding differs from the fixture");
    let again: K = crate::decode::from_value(encoded).expect("re-decodes");
    assert!(again == obj, "JSON round trip changed the value");

    let theirs: O = serde_json::from_value(src.clone()).expect("k8s-openapi decodes the fixture");
    let theirs = serde_json::to_value(&theirs).expect("k8s-openapi encodes");
    let mut missing = Vec::new();
    contained("", &src, &theirs, &mut missing);
    assert!(missing.is_empty(), "unknown to k8s-openapi: {missing:?}");
    obj
}

/// Paths of `a` whose values are not in `b` (nulls in `a` are ignored).
fn contained(path: &str, a: &Value, b: &Value, out: &mut Vec<String>) {
    match (a, b) {
        (Value::Null, _) => {}
        (Value::Object(x), Value::Object(y)) => {
            for (k, va) in x {
                match y.get(k) {
                    Some(vb) => contained(&format!("{path}.{k}"), va, vb, out),
                    None if va.is_null() => {}
                    None => out.push(format!("{path}.{k}")),
                }
            }
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            for (i, (va, vb)) in x.iter().zip(y).enumerate() {
                contained(&format!("{path}[{i}]"), va, vb, out);
            }
        }
        _ if a == b => {}
        _ => out.push(format!("{path}: {a} vs {b}")),
    }
}
