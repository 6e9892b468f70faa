//! Watch event lines, encoded once per event rather than once per watcher.
//!
//! Every watcher of a collection receives the same events, each as its own copy of
//! the object. Encoding a line (`{"type":"ADDED","object":{...}}\n`) costs far more
//! than looking it up, so the first watcher to send an event encodes it and the
//! others reuse its bytes. The lines live in a small direct-mapped table keyed by
//! what fixes an event's encoding: its type, the object's apiVersion, kind, uid and
//! resourceVersion (a change has one revision; a deleted object carries the deletion's).
//! A slot holds the latest event that hashed to it, so memory stays bounded and a
//! collision costs one encoding, never a wrong line.

use std::hash::{BuildHasher as _, Hash, Hasher as _};
use std::sync::Mutex;

use bytes::Bytes;
use core_types::DynamicObject;

/// Slots in the table (watchers trail each other by a few hundred events at most).
const SLOTS: usize = 4096;

/// What identifies an event's line.
#[derive(PartialEq, Eq, Hash)]
struct Key {
    kind: &'static str,
    api_version: String,
    object_kind: String,
    uid: String,
    resource_version: String,
}

/// The shared table of recently encoded lines.
pub(crate) struct EventLines {
    slots: Vec<Mutex<Option<(Key, Bytes)>>>,
    hasher: std::collections::hash_map::RandomState,
}

impl Default for EventLines {
    fn default() -> Self {
        EventLines {
            slots: (0..SLOTS).map(|_| Mutex::new(None)).collect(),
            hasher: std::collections::hash_map::RandomState::new(),
        }
    }
}

impl EventLines {
    /// The line of event `kind` (`ADDED`, `MODIFIED`, `DELETED`) for `object`, from
    /// the table or encoded now (and kept).
    pub(crate) fn line(
        &self,
        kind: &'static str,
        object: &DynamicObject,
    ) -> Result<Bytes, serde_json::Error> {
        let meta = &object.metadata;
        if meta.uid.is_empty() || meta.resource_version.is_empty() {
            return encode(kind, object).map(Bytes::from);
        }
        let mut hasher = self.hasher.build_hasher();
        (kind, &object.types.api_version, &object.types.kind).hash(&mut hasher);
        (&meta.uid, &meta.resource_version).hash(&mut hasher);
        let slot = &self.slots[(hasher.finish() as usize) % SLOTS];
        let matches = |key: &Key| {
            key.kind == kind
                && key.resource_version == meta.resource_version
                && key.uid == meta.uid
                && key.object_kind == object.types.kind
                && key.api_version == object.types.api_version
        };
        if let Some((key, line)) = &*lock(slot) {
            if matches(key) {
                return Ok(line.clone());
            }
        }
        let line = Bytes::from(encode(kind, object)?);
        let key = Key {
            kind,
            api_version: object.types.api_version.clone(),
            object_kind: object.types.kind.clone(),
            uid: meta.uid.clone(),
            resource_version: meta.resource_version.clone(),
        };
        *lock(slot) = Some((key, line.clone()));
        Ok(line)
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// `{"type":"<kind>","object":<object>}` and a newline.
pub(crate) fn encode(kind: &str, object: &DynamicObject) -> Result<Vec<u8>, serde_json::Error> {
    let mut out = Vec::with_capacity(1024);
    out.extend_from_slice(b"{\"type\":\"");
    out.extend_from_slice(kind.as_bytes());
    out.extend_from_slice(b"\",\"object\":");
    serde_json::to_writer(&mut out, object)?;
    out.extend_from_slice(b"}\n");
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    fn object(uid: &str, rv: &str) -> DynamicObject {
        serde_json::from_value(json!({"apiVersion": "v1", "kind": "ConfigMap",
            "metadata": {"name": "c", "namespace": "d", "uid": uid, "resourceVersion": rv},
            "data": {"k": "v"}}))
        .unwrap_or_default()
    }

    #[test]
    fn lines_are_the_event_and_are_shared() {
        let lines = EventLines::default();
        let first = lines.line("ADDED", &object("u1", "5")).unwrap_or_default();
        let parsed: Value = serde_json::from_slice(&first).unwrap_or_default();
        assert_eq!(parsed["type"], "ADDED");
        assert_eq!(parsed["object"]["metadata"]["resourceVersion"], "5");
        assert_eq!(first.last(), Some(&b'\n'));
        let again = lines.line("ADDED", &object("u1", "5")).unwrap_or_default();
        assert_eq!(
            again.as_ptr(),
            first.as_ptr(),
            "the second watcher reuses the bytes"
        );
        // Another type, revision or object is another line.
        for (kind, uid, rv) in [
            ("DELETED", "u1", "5"),
            ("ADDED", "u1", "6"),
            ("ADDED", "u2", "5"),
        ] {
            let other = lines.line(kind, &object(uid, rv)).unwrap_or_default();
            let parsed: Value = serde_json::from_slice(&other).unwrap_or_default();
            assert_eq!(parsed["type"], kind);
            assert_eq!(parsed["object"]["metadata"]["uid"], uid);
            assert_eq!(parsed["object"]["metadata"]["resourceVersion"], rv);
        }
    }
}
