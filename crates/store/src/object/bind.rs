//! The `pods/binding` subresource: the scheduler's hot path.
//!
//! One read and one transaction in the common case, on the raw JSON (no typed
//! decoding): set `spec.nodeName` and mark the `PodScheduled` condition true. Only
//! the top level, `spec` and `status` are split into fields; everything else (metadata,
//! containers, ...) is carried over as the raw bytes it was stored as.

use std::borrow::Cow;

use client::ClientError;
use core_types::core_v1::Pod;
use core_types::{StaticResource, Time};
use serde::Deserialize;
use serde::de::IgnoredAny;
use serde_json::value::RawValue;
use serde_json::{Map, Value, json};

use super::codec::storage_error;
use super::key::ObjectKey;
use super::{MAX_ATTEMPTS, ObjectStore};
use crate::kv::{Compare, Op, Txn};

/// What binding needs to know about a stored pod.
enum Current {
    /// Already bound to this node.
    Bound(String),
    /// Being deleted.
    Deleting,
    /// Bindable: the new stored value.
    Patched(Vec<u8>),
}

impl ObjectStore {
    /// Binds pod `pod` in `namespace` to `node`. Already bound to `node`: nothing to
    /// do. Bound elsewhere, or being deleted: `Conflict`. Concurrent changes to the pod
    /// (status updates) are retried.
    pub async fn bind(&self, namespace: &str, pod: &str, node: &str) -> Result<(), ClientError> {
        let resource = Pod::resource();
        if node.is_empty() {
            return Err(ClientError::bad_request(
                "a binding needs a target node name",
            ));
        }
        let key = ObjectKey::new(resource, Some(namespace), pod)?.to_string();
        for _ in 0..MAX_ATTEMPTS {
            let Some(current) = self.kv.get(key.as_bytes()).await.map_err(storage_error)? else {
                return Err(ClientError::not_found(resource, pod));
            };
            let conflict = |why: String| {
                ClientError::conflict(resource, pod, why, Some(current.mod_revision.to_string()))
            };
            let value = match patch(&current.value, node)? {
                Current::Deleting => {
                    return Err(conflict(format!(
                        "pod {pod} is being deleted, cannot be assigned to a host"
                    )));
                }
                Current::Bound(bound) if bound == node => return Ok(()),
                Current::Bound(bound) => {
                    return Err(conflict(format!(
                        "pod {pod} is already assigned to node {bound:?}"
                    )));
                }
                Current::Patched(value) => value,
            };
            let txn = Txn::new()
                .when(Compare::mod_revision(key.clone(), current.mod_revision))
                .then(Op::put(key.clone(), value));
            if self.kv.txn(txn).await.map_err(storage_error)?.succeeded() {
                return Ok(());
            }
        }
        Err(ClientError::modified(resource, pod, None))
    }
}

fn corrupt(e: impl std::fmt::Display) -> ClientError {
    ClientError::internal(format!("corrupt object in storage: {e}"))
}

fn encode_error(e: impl std::fmt::Display) -> ClientError {
    ClientError::internal(format!("cannot encode object: {e}"))
}

/// The fields of `metadata` binding looks at.
#[derive(Deserialize)]
struct Metadata {
    #[serde(rename = "deletionTimestamp", default)]
    deletion_timestamp: Option<IgnoredAny>,
}

/// Reads the stored pod and, when it can be bound, returns it bound to `node`.
fn patch(stored: &[u8], node: &str) -> Result<Current, ClientError> {
    let mut top: RawFields<'_> = serde_json::from_slice(stored).map_err(corrupt)?;
    if let Some(meta) = top.get("metadata") {
        let meta: Metadata = serde_json::from_str(meta.get()).unwrap_or(Metadata {
            deletion_timestamp: None,
        });
        if meta.deletion_timestamp.is_some() {
            return Ok(Current::Deleting);
        }
    }
    let mut spec = RawFields::of_object(top.get("spec"))?;
    let bound = spec
        .get("nodeName")
        .and_then(|v| serde_json::from_str::<Option<String>>(v.get()).ok())
        .flatten()
        .unwrap_or_default();
    if !bound.is_empty() {
        return Ok(Current::Bound(bound));
    }
    let node_name = serde_json::value::to_raw_value(node).map_err(encode_error)?;
    spec.set("nodeName", &node_name);
    let spec = serde_json::value::to_raw_value(&spec).map_err(encode_error)?;

    let mut status = RawFields::of_object(top.get("status"))?;
    let conditions: Vec<Value> = match status.get("conditions") {
        Some(raw) => match serde_json::from_str(raw.get()) {
            Ok(Value::Array(list)) => list,
            _ => Vec::new(),
        },
        None => Vec::new(),
    };
    let conditions =
        serde_json::value::to_raw_value(&scheduled(conditions)).map_err(encode_error)?;
    status.set("conditions", &conditions);
    let status = serde_json::value::to_raw_value(&status).map_err(encode_error)?;

    top.set("spec", &spec);
    top.set("status", &status);
    super::codec::to_vec_exact(&top).map(Current::Patched)
}

/// An object's fields in their stored order, the values left as raw JSON and the keys
/// borrowed (unless they need unescaping): binding rewrites two fields of two levels
/// and carries everything else over as it was.
struct RawFields<'a>(Vec<(Cow<'a, str>, &'a RawValue)>);

impl<'a> RawFields<'a> {
    /// The fields of an object value; none when absent or not an object (it is then
    /// replaced by an object, as a merge would).
    fn of_object(raw: Option<&'a RawValue>) -> Result<Self, ClientError> {
        match raw {
            Some(raw) if raw.get().trim_start().starts_with('{') => {
                serde_json::from_str(raw.get()).map_err(corrupt)
            }
            _ => Ok(RawFields(Vec::new())),
        }
    }

    fn get(&self, key: &str) -> Option<&'a RawValue> {
        self.0.iter().rev().find(|(k, _)| k == key).map(|(_, v)| *v)
    }

    /// Sets `key`: in place when present (its last occurrence, the one decoders
    /// read), else appended.
    fn set(&mut self, key: &'static str, value: &'a RawValue) {
        match self.0.iter().rposition(|(k, _)| k == key) {
            Some(i) => self.0[i].1 = value,
            None => self.0.push((Cow::Borrowed(key), value)),
        }
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for RawFields<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Fields<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> serde::de::Visitor<'de> for Fields<'a> {
            type Value = RawFields<'a>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<M: serde::de::MapAccess<'de>>(
                self,
                mut map: M,
            ) -> Result<Self::Value, M::Error> {
                let mut fields = Vec::with_capacity(map.size_hint().unwrap_or(8));
                while let Some(Key(key)) = map.next_key()? {
                    fields.push((key, map.next_value::<&'de RawValue>()?));
                }
                Ok(RawFields(fields))
            }
        }
        deserializer.deserialize_map(Fields(std::marker::PhantomData))
    }
}

impl serde::Serialize for RawFields<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap as _;
        // A repeated key is written once, with its last value (the one decoders read).
        let mut map = serializer.serialize_map(None)?;
        for (i, (key, value)) in self.0.iter().enumerate() {
            if !self.0[i + 1..].iter().any(|(k, _)| k == key) {
                map.serialize_entry(key, value)?;
            }
        }
        map.end()
    }
}

/// A map key, borrowed from the input when it has no escapes.
struct Key<'a>(Cow<'a, str>);

impl<'de: 'a, 'a> Deserialize<'de> for Key<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> serde::de::Visitor<'de> for KeyVisitor<'a> {
            type Value = Key<'a>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(Key(Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Key(Cow::Owned(v.to_owned())))
            }
        }
        deserializer.deserialize_str(KeyVisitor(std::marker::PhantomData))
    }
}

/// The conditions with `PodScheduled: True` (added, or flipped with a new transition
/// time; left alone when already true).
fn scheduled(mut conditions: Vec<Value>) -> Vec<Value> {
    let found = conditions
        .iter_mut()
        .find(|c| c.get("type").and_then(Value::as_str) == Some("PodScheduled"));
    match found {
        Some(c) if c.get("status").and_then(Value::as_str) == Some("True") => {}
        Some(c) => {
            if let Some(c) = c.as_object_mut() {
                c.insert("status".to_owned(), json!("True"));
                c.insert(
                    "lastTransitionTime".to_owned(),
                    json!(Time::now().to_string()),
                );
            }
        }
        None => {
            let mut c = Map::new();
            c.insert("type".to_owned(), json!("PodScheduled"));
            c.insert("status".to_owned(), json!("True"));
            c.insert(
                "lastTransitionTime".to_owned(),
                json!(Time::now().to_string()),
            );
            conditions.push(Value::Object(c));
        }
    }
    conditions
}

#[cfg(test)]
mod tests {
    use super::*;

    fn patched(stored: &str, node: &str) -> Value {
        match patch(stored.as_bytes(), node).unwrap() {
            Current::Patched(v) => serde_json::from_slice(&v).unwrap(),
            Current::Bound(b) => panic!("already bound to {b}"),
            Current::Deleting => panic!("deleting"),
        }
    }

    #[test]
    fn sets_node_and_condition_and_keeps_the_rest() {
        let stored = r#"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","labels":{"a":"b"}},
            "spec":{"containers":[{"name":"c","image":"i"}],"nodeName":""},
            "status":{"phase":"Pending","conditions":[{"type":"Ready","status":"False"}]}}"#;
        let v = patched(stored, "n1");
        assert_eq!(v["spec"]["nodeName"], "n1");
        assert_eq!(v["spec"]["containers"][0]["image"], "i");
        assert_eq!(v["metadata"]["labels"]["a"], "b");
        assert_eq!(v["status"]["phase"], "Pending");
        let conds = v["status"]["conditions"].as_array().unwrap();
        assert_eq!(conds.len(), 2);
        assert_eq!(conds[1]["type"], "PodScheduled");
        assert_eq!(conds[1]["status"], "True");
    }

    #[test]
    fn fields_keep_their_order_and_escaped_or_repeated_keys_survive() {
        let stored = r#"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},
            "spec":{"z":1,"a\u0062":2,"containers":[],"z":3},"status":{}}"#;
        let Current::Patched(v) = patch(stored.as_bytes(), "n1").unwrap() else {
            panic!("not patched");
        };
        let text = String::from_utf8(v).unwrap();
        assert!(
            text.starts_with(r#"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{"ab":2,"containers":[],"z":3,"nodeName":"n1"}"#),
            "{text}"
        );
    }

    #[test]
    fn missing_or_odd_spec_and_status_become_objects() {
        let v = patched(r#"{"metadata":{"name":"p"},"status":[]}"#, "n1");
        assert_eq!(v["spec"]["nodeName"], "n1");
        assert_eq!(v["status"]["conditions"][0]["status"], "True");
    }

    #[test]
    fn flips_a_false_condition() {
        let v = patched(
            r#"{"spec":{},"status":{"conditions":[{"type":"PodScheduled","status":"False","reason":"Unschedulable"}]}}"#,
            "n1",
        );
        let conds = v["status"]["conditions"].as_array().unwrap();
        assert_eq!(conds.len(), 1);
        assert_eq!(conds[0]["status"], "True");
        assert!(conds[0]["lastTransitionTime"].is_string());
    }

    #[test]
    fn bound_and_deleting_pods_are_reported() {
        assert!(matches!(
            patch(br#"{"spec":{"nodeName":"n2"}}"#, "n1").unwrap(),
            Current::Bound(b) if b == "n2"
        ));
        assert!(matches!(
            patch(
                br#"{"metadata":{"deletionTimestamp":"2024-01-01T00:00:00Z"},"spec":{}}"#,
                "n1"
            )
            .unwrap(),
            Current::Deleting
        ));
        assert!(matches!(
            patch(
                br#"{"metadata":{"deletionTimestamp":null},"spec":{"nodeName":null}}"#,
                "n1"
            )
            .unwrap(),
            Current::Patched(_)
        ));
        assert!(patch(b"not json", "n1").is_err());
    }
}
