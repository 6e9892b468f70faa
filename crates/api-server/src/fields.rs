//! Unknown fields (`fieldValidation`): fields of a built-in kind's object that its
//! Rust type does not have, and which decoding would silently drop.
//!
//! Found by decoding the object into its kind's type, encoding it again, and looking
//! for fields that were in the input, non-empty, and are gone (empty values may
//! simply be omitted on output).

use core_types::decode::AnyObject;
use serde_json::Value;

/// The paths (`spec.template.spec.containers[0].imagePullPolcy`) of unknown fields in
/// `object`; empty for kinds without a Rust type and for objects that do not decode
/// (those fail elsewhere with a better message).
pub(crate) fn unknown_fields(object: &Value) -> Vec<String> {
    let Ok(typed) = AnyObject::from_value(object.clone(), 0) else {
        return Vec::new();
    };
    if !typed.is_typed() {
        return Vec::new();
    }
    let Ok(encoded) = serde_json::to_value(&typed) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    diff(object, &encoded, &mut Vec::new(), &mut out);
    out
}

fn is_empty(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::Bool(b) => !b,
        Value::Number(n) => n.as_f64() == Some(0.0),
        Value::String(s) => s.is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Object(m) => m.is_empty(),
    }
}

/// One step of a path: an object key or an array index.
#[derive(Clone, Copy)]
enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

/// Pushes the paths of the fields of `input` that `typed` lacks. The path is built
/// only for those (most objects have none).
fn diff<'a>(input: &'a Value, typed: &Value, path: &mut Vec<Step<'a>>, out: &mut Vec<String>) {
    match (input, typed) {
        (Value::Object(i), Value::Object(t)) => {
            for (k, v) in i {
                path.push(Step::Key(k));
                match t.get(k) {
                    Some(tv) => diff(v, tv, path, out),
                    None if !is_empty(v) => out.push(render(path)),
                    None => {}
                }
                path.pop();
            }
        }
        (Value::Array(i), Value::Array(t)) if i.len() == t.len() => {
            for (n, (iv, tv)) in i.iter().zip(t).enumerate() {
                path.push(Step::Index(n));
                diff(iv, tv, path, out);
                path.pop();
            }
        }
        _ => {}
    }
}

/// `a.b[0].c`.
fn render(path: &[Step<'_>]) -> String {
    let mut out = String::new();
    for step in path {
        match step {
            Step::Key(k) if out.is_empty() => out.push_str(k),
            Step::Key(k) => {
                out.push('.');
                out.push_str(k);
            }
            Step::Index(n) => out.push_str(&format!("[{n}]")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn finds_misspelled_fields_only() {
        let pod = json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "labels": {"a": "b"}},
            "spec": {"containers": [{"name": "a", "image": "x", "imagePullPolcy": "Always", "ports": []}],
                     "restartPolicy": "Always", "nodeName": ""}});
        assert_eq!(
            unknown_fields(&pod),
            vec!["spec.containers[0].imagePullPolcy".to_owned()]
        );
        let widget = json!({"apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"name": "w"}, "anything": 1});
        assert!(unknown_fields(&widget).is_empty());
    }

    #[test]
    fn the_example_manifests_have_no_unknown_fields() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../core-types/tests/data/kubernetes-examples");
        let mut stack = vec![root];
        let mut checked = 0;
        let mut problems = Vec::new();
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    stack.push(path);
                    continue;
                }
                let Some(ext) = path.extension().and_then(|e| e.to_str()) else {
                    continue;
                };
                if !matches!(ext, "yaml" | "yml" | "json") {
                    continue;
                }
                let text = std::fs::read_to_string(&path).unwrap_or_default();
                for doc in core_types::decode::yaml_documents(&text)
                    .into_iter()
                    .flatten()
                {
                    checked += 1;
                    let unknown = unknown_fields(&doc);
                    if !unknown.is_empty() {
                        problems.push(format!("{}: {unknown:?}", path.display()));
                    }
                }
            }
        }
        assert!(checked > 50, "{checked}");
        // These archived examples have fields Kubernetes does not know either (a
        // misspelling, fields of old volume plugins): strict validation refuses them there too.
        problems.sort();
        let expected = [
            "_archived/volumes/rbd/rbd.yaml: [\"spec.volumes[0].rbd.imagefeatures\", \"spec.volumes[0].rbd.imageformat\"]",
            "_archived/volumes/scaleio/pod.yaml: [\"spec.volumes[0].scaleIO.protectionDoamin\"]",
            "_archived/volumes/storageos/storageos-pod.yaml: [\"spec.volumes[0].storageos.pool\"]",
            "_archived/volumes/storageos/storageos-pv.yaml: [\"spec.storageos.secretName\"]",
        ];
        assert_eq!(problems.len(), expected.len(), "{problems:#?}");
        for (p, e) in problems.iter().zip(expected) {
            assert!(p.ends_with(e), "{p} vs {e}");
        }
    }
}
