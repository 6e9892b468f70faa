//! The `pods/binding` subresource: the scheduler's hot path.
//!
//! One read and one transaction in the common case, on the raw JSON (no typed
//! decoding): set `spec.nodeName` and mark the `PodScheduled` condition true.

use client::ClientError;
use core_types::core_v1::Pod;
use core_types::{StaticResource, Time};
use serde_json::{Map, Value, json};

use super::codec::storage_error;
use super::key::ObjectKey;
use super::{MAX_ATTEMPTS, ObjectStore};
use crate::kv::{Compare, Op, Txn};

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
            let mut doc: Value = serde_json::from_slice(&current.value)
                .map_err(|e| ClientError::internal(format!("corrupt object in storage: {e}")))?;
            let conflict = |why: String| {
                ClientError::conflict(resource, pod, why, Some(current.mod_revision.to_string()))
            };
            if doc
                .pointer("/metadata/deletionTimestamp")
                .is_some_and(|v| !v.is_null())
            {
                return Err(conflict(format!(
                    "pod {pod} is being deleted, cannot be assigned to a host"
                )));
            }
            match doc.pointer("/spec/nodeName").and_then(Value::as_str) {
                Some(bound) if bound == node => return Ok(()),
                Some(bound) if !bound.is_empty() => {
                    return Err(conflict(format!(
                        "pod {pod} is already assigned to node {bound:?}"
                    )));
                }
                _ => {}
            }
            set_bound(&mut doc, node)?;
            let value = serde_json::to_vec(&doc)
                .map_err(|e| ClientError::internal(format!("cannot encode object: {e}")))?;
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

/// Sets `spec.nodeName` and the `PodScheduled: True` condition.
fn set_bound(doc: &mut Value, node: &str) -> Result<(), ClientError> {
    let not_an_object = || ClientError::internal("stored pod is not a JSON object");
    let root = doc.as_object_mut().ok_or_else(not_an_object)?;
    object_field(root, "spec")?.insert("nodeName".to_owned(), Value::String(node.to_owned()));
    let status = object_field(root, "status")?;
    let conditions = status
        .entry("conditions")
        .or_insert_with(|| Value::Array(Vec::new()));
    if !conditions.is_array() {
        *conditions = Value::Array(Vec::new());
    }
    let Some(conditions) = conditions.as_array_mut() else {
        return Err(not_an_object());
    };
    let scheduled = conditions
        .iter_mut()
        .find(|c| c.get("type").and_then(Value::as_str) == Some("PodScheduled"));
    match scheduled {
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
        None => conditions.push(json!({
            "type": "PodScheduled",
            "status": "True",
            "lastTransitionTime": Time::now().to_string(),
        })),
    }
    Ok(())
}

/// The object under `field`, created if absent (or replacing a non-object).
fn object_field<'a>(
    parent: &'a mut Map<String, Value>,
    field: &str,
) -> Result<&'a mut Map<String, Value>, ClientError> {
    let slot = parent
        .entry(field)
        .or_insert_with(|| Value::Object(Map::new()));
    if !slot.is_object() {
        *slot = Value::Object(Map::new());
    }
    slot.as_object_mut()
        .ok_or_else(|| ClientError::internal(format!("{field} is not an object")))
}
