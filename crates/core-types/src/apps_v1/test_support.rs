//! Helpers shared by the unit tests of the API-group modules (apps, batch, networking, ...).

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// Decodes a YAML document into `K`, encodes it again and checks the JSON equals the
/// source, ignoring empty maps and lists (Go writes struct values such as an empty
/// `template.spec` even when empty). Returns the decoded object.
pub(crate) fn round_trip<K: Serialize + DeserializeOwned>(yaml: &str) -> K {
    let source: Value = serde_yaml_ng::from_str(yaml).expect("test YAML");
    let object: K = crate::decode::from_value(source.clone()).expect("decode");
    let mut encoded = serde_json::to_value(&object).expect("encode");
    let mut source = source;
    prune(&mut encoded);
    prune(&mut source);
    assert_eq!(encoded, source, "re-encoded JSON differs from the source");
    object
}

/// Decodes the same YAML document with k8s-openapi's type `T` and checks that it encodes
/// to the same JSON as ours: an independent check of field names and shapes.
pub(crate) fn same_as_k8s_openapi<T: Serialize + DeserializeOwned>(yaml: &str) {
    let source: Value = serde_yaml_ng::from_str(yaml).expect("test YAML");
    let theirs: T = serde_json::from_value(source.clone()).expect("k8s-openapi decode");
    let mut theirs = serde_json::to_value(&theirs).expect("k8s-openapi encode");
    let mut source = source;
    prune(&mut theirs);
    prune(&mut source);
    assert_eq!(
        theirs, source,
        "k8s-openapi reads this document differently"
    );
}

/// Removes nulls and empty maps and arrays, as Go's `omitempty` would.
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

/// Encodes a value as a JSON string (key order as written by the type).
pub(crate) fn json<T: Serialize>(v: &T) -> String {
    serde_json::to_string(v).expect("encode")
}
