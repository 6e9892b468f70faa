//! The data the store hands out: revisions, lease ids, key-value records, watch events.

use std::fmt;

use bytes::Bytes;

/// A point in the store's single, global history.
///
/// Every write that changes something gets the next revision; all changes of one
/// transaction share one. An empty store built by this crate's backends is at revision 0
/// and its first write is revision 1 (etcd starts an empty cluster at 1; code that talks
/// to any backend must only assume that revisions strictly increase).
pub type Revision = i64;

/// The id of a lease, as handed out by [`KvStore::lease_grant`](crate::KvStore::lease_grant).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LeaseId(pub i64);

impl fmt::Display for LeaseId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:x}", self.0)
    }
}

/// One key as stored, with its place in history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyValue {
    /// The key.
    pub key: Bytes,
    /// The value (empty in the `kv` of a delete event).
    pub value: Bytes,
    /// Revision at which the key was last created (0 in a delete event).
    pub create_revision: Revision,
    /// Revision of the last change to the key: for a delete event, the deletion's revision.
    pub mod_revision: Revision,
    /// 1 when the key is created, incremented by each update; 0 in a delete event.
    pub version: i64,
    /// The lease the key is attached to, if any.
    pub lease: Option<LeaseId>,
}

impl KeyValue {
    /// The record a delete event carries: only the key and the deletion's revision.
    pub fn tombstone(key: Bytes, revision: Revision) -> Self {
        KeyValue {
            key,
            value: Bytes::new(),
            create_revision: 0,
            mod_revision: revision,
            version: 0,
            lease: None,
        }
    }
}

/// What happened to a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EventKind {
    /// The key was created or updated.
    Put,
    /// The key was deleted (explicitly, or because its lease was revoked or expired).
    Delete,
}

/// One change, as delivered by a watch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WatchEvent {
    /// Put or delete.
    pub kind: EventKind,
    /// The key after the change; for a delete, [`KeyValue::tombstone`].
    pub kv: KeyValue,
    /// The key before the change; `None` when a put created it. Always filled (etcd
    /// makes this opt-in; here it costs nothing because history keeps it anyway).
    pub prev_kv: Option<KeyValue>,
}

impl WatchEvent {
    /// The revision of the change.
    pub fn revision(&self) -> Revision {
        self.kv.mod_revision
    }
}

/// Renders a key for messages: UTF-8 where it is, escapes elsewhere.
pub(crate) struct ShowKey<'a>(&'a [u8]);

/// Wraps a key for display in messages.
pub(crate) fn show(key: &[u8]) -> ShowKey<'_> {
    ShowKey(key)
}

impl fmt::Display for ShowKey<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", String::from_utf8_lossy(self.0))
    }
}
