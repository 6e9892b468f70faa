//! History entries kept below the compacted revision.
//!
//! A key record does not hold the key's value: the history entry of the key's
//! `mod_revision` does (see [`super::codec`]), so each write stores its value once, as
//! etcd keeps one revision-keyed tree and an index. Compaction therefore keeps the
//! entries that still hold a current value, stripped down to those values, and removes
//! the others; when a later write replaces such a value, the writer takes it out of
//! its kept entry (and removes the entry once empty). Kept entries sit at or below the
//! compacted revision, where neither watches nor past reads look: only reads of the
//! current values do.

use std::collections::BTreeMap;

use super::codec::{decode_events, encode_events};
use super::layout::history_key;
use super::state::{Overlay, storage};
use crate::kv::{EventKind, KvError, Revision, WatchEvent};

/// What compaction does with one history entry.
#[derive(Debug)]
pub(super) enum Fate {
    /// No current value is in it.
    Remove,
    /// It holds only current values, and nothing else: it stays as it is.
    Keep,
    /// It stays, reduced to the current values it holds.
    Reduce(Vec<WatchEvent>),
}

/// Decides what compaction does with the entry of `revision`, given the state the
/// group has reached.
pub(super) fn fate(
    overlay: &Overlay<'_>,
    revision: Revision,
    events: &[WatchEvent],
) -> Result<Fate, KvError> {
    let mut current = Vec::new();
    for event in events {
        if event.kind == EventKind::Put && overlay.value_is_at(&event.kv.key, revision)? {
            current.push(event);
        }
    }
    Ok(if current.is_empty() {
        Fate::Remove
    } else if current.len() == events.len() && events.iter().all(|e| e.prev_kv.is_none()) {
        Fate::Keep
    } else {
        Fate::Reduce(
            current
                .into_iter()
                .map(|event| WatchEvent {
                    prev_kv: None,
                    ..event.clone()
                })
                .collect(),
        )
    })
}

/// The kept entries a group changes, by revision; `None` for an entry that is not
/// there (a store written before values moved to history kept no entries).
#[derive(Debug, Default)]
pub(super) struct Retained {
    entries: BTreeMap<Revision, Option<Vec<WatchEvent>>>,
}

impl Retained {
    /// Reads the kept entry of `revision` unless the group has it already.
    pub(super) fn load(&mut self, db: &sled::Db, revision: Revision) -> Result<(), KvError> {
        if self.entries.contains_key(&revision) {
            return Ok(());
        }
        let events = match db.get(history_key(revision)).map_err(storage)? {
            Some(bytes) => Some(decode_events(&bytes)?),
            None => None,
        };
        self.entries.insert(revision, events);
        Ok(())
    }

    /// Takes `key`'s value out of the kept entry of `revision` (loaded before).
    pub(super) fn forget(&mut self, revision: Revision, key: &[u8]) {
        if let Some(Some(events)) = self.entries.get_mut(&revision) {
            events.retain(|event| event.kv.key != key);
        }
    }

    /// Sets the kept entry of `revision`.
    pub(super) fn keep(&mut self, revision: Revision, events: Vec<WatchEvent>) {
        self.entries.insert(revision, Some(events));
    }

    /// Adds the changed entries to the group's batch.
    pub(super) fn write(self, batch: &mut sled::Batch) {
        for (revision, events) in self.entries {
            match events {
                Some(events) if events.is_empty() => batch.remove(&history_key(revision)),
                Some(events) => batch.insert(&history_key(revision), encode_events(&events)),
                None => {}
            }
        }
    }
}
