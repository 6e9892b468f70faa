//! The shared state of a sled store: the database, the read gate, the cached counters,
//! the lease table and the watch hub; reads and recovery.

use std::ops::Bound;
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, Ordering};
use std::sync::{Mutex, RwLock};
use std::time::Duration;

use bytes::Bytes;
use tokio::time::Instant;

use super::codec::{Record, decode_events, decode_i64, decode_record};
use super::layout::{
    HISTORY, LEASE, META_COMPACTED, META_LAST_LEASE, META_REVISION, STATE, history_key, state_key,
};
use super::pending::{Pending, View};
use super::values::{load, resolve};
use crate::backends::options::StoreOptions;
use crate::engine::{
    HistoryEntry, HistorySource, LeaseTable, StateView, WatchHub, collect_current, collect_past,
    lower_bound, read, read_revision,
};
use crate::kv::{
    KeyValue, KvError, LeaseId, RangeRequest, RangeResponse, Revision, WatchEvent, show,
};

/// What the store handles and the writer task share.
#[derive(Debug)]
pub(super) struct Core {
    pub(super) db: sled::Db,
    /// sled's log file, synced after each group's flush (see `writer::commit`).
    pub(super) log_file: Option<std::fs::File>,
    /// The groups being applied and flushed. Readers hold the gate shared for a whole
    /// read and take the keys those groups change from it, so reads never see a write
    /// before it is durable, nor half a group; the writer holds it exclusively only to
    /// record a group and to retire it once durable (see [`super::pending`]).
    pub(super) gate: RwLock<Pending>,
    /// The last committed revision (changed under the exclusive gate).
    pub(super) revision: AtomicI64,
    /// The compacted revision (changed under the exclusive gate).
    pub(super) compacted: AtomicI64,
    /// The last lease id handed out (writer only).
    pub(super) last_lease: AtomicI64,
    pub(super) leases: Mutex<LeaseTable>,
    pub(super) hub: WatchHub,
    pub(super) options: StoreOptions,
    /// Set after a storage error: the writer refuses further work.
    pub(super) failed: AtomicBool,
    /// Requests the writer has handled.
    pub(super) requests: AtomicU64,
    /// Flushes the writer has made.
    pub(super) flushes: AtomicU64,
    /// Set while the writer applies a group (see [`super::durable`]).
    pub(super) applying: AtomicBool,
}

/// Maps a sled error.
pub(super) fn storage(error: sled::Error) -> KvError {
    KvError::storage(error)
}

impl Core {
    /// Recovers the store's state from an opened database.
    pub(super) fn recover(
        db: sled::Db,
        log_file: Option<std::fs::File>,
        options: StoreOptions,
        now: Instant,
    ) -> Result<Core, KvError> {
        let revision = read_meta(&db, META_REVISION)?;
        let compacted = read_meta(&db, META_COMPACTED)?;
        let last_lease = read_meta(&db, META_LAST_LEASE)?;
        check_history(&db, compacted, revision)?;
        let leases = recover_leases(&db, now)?;
        Ok(Core {
            db,
            log_file,
            gate: RwLock::new(Pending::default()),
            revision: AtomicI64::new(revision),
            compacted: AtomicI64::new(compacted),
            last_lease: AtomicI64::new(last_lease),
            leases: Mutex::new(leases),
            hub: WatchHub::new(revision, options.watch_buffer_len()),
            options,
            failed: AtomicBool::new(false),
            requests: AtomicU64::new(0),
            flushes: AtomicU64::new(0),
            applying: AtomicBool::new(false),
        })
    }

    /// One key's current state.
    pub(super) fn get(&self, key: &[u8]) -> Result<Option<KeyValue>, KvError> {
        let gate = read(&self.gate);
        match self.view(&gate).get(key) {
            Some(committed) => Ok(committed),
            None => read_key(&self.db, key),
        }
    }

    /// What a read sees while holding the gate shared.
    fn view<'a>(&self, pending: &'a Pending) -> View<'a> {
        let committed = (
            self.revision.load(Ordering::Acquire),
            self.compacted.load(Ordering::Acquire),
        );
        View::new(committed, pending)
    }

    /// A range read.
    pub(super) fn range(&self, request: &RangeRequest) -> Result<RangeResponse, KvError> {
        let gate = read(&self.gate);
        let view = self.view(&gate);
        let current = view.revision;
        let at = read_revision(request, current, view.compacted)?;
        let lower = lower_bound(request);
        let state = view.scan(lower.clone(), self.scan(lower));
        if at == current {
            return collect_current(request, at, state);
        }
        // Only committed history: the entries of groups in flight are above `current`.
        let newest_first = self
            .db
            .range(history_key(at + 1)..=history_key(current))
            .rev()
            .flat_map(|entry| {
                match entry
                    .map_err(storage)
                    .and_then(|(_, value)| decode_events(&value))
                {
                    Ok(events) => events.into_iter().rev().map(Ok).collect::<Vec<_>>(),
                    Err(error) => vec![Err(error)],
                }
            });
        collect_past(request, at, state, newest_first)
    }

    /// The database's state from `lower` on (not yet corrected for a pending group).
    fn scan(&self, lower: Bound<Bytes>) -> impl Iterator<Item = Result<KeyValue, KvError>> + '_ {
        let lower = match lower {
            Bound::Included(key) => Bound::Included(state_key(&key)),
            Bound::Excluded(key) => Bound::Excluded(state_key(&key)),
            Bound::Unbounded => Bound::Included(vec![STATE]),
        };
        let records = self
            .db
            .range::<Vec<u8>, _>((lower, Bound::Excluded(vec![STATE + 1])))
            .map(|entry| {
                let (key, record) = entry.map_err(storage)?;
                Ok((Bytes::copy_from_slice(&key[1..]), record))
            });
        resolve(&self.db, records)
    }
}

impl HistorySource for Core {
    fn compacted(&self) -> Revision {
        self.compacted.load(Ordering::Acquire)
    }

    fn history(
        &self,
        after: Revision,
        upto: Revision,
        limit: usize,
    ) -> Result<Vec<HistoryEntry>, KvError> {
        let gate = read(&self.gate);
        let view = self.view(&gate);
        let compacted = view.compacted;
        // Only committed history: the entries of groups in flight are above it.
        let upto = upto.min(view.revision);
        if after >= upto {
            return Ok(Vec::new());
        }
        if after < compacted {
            return Err(KvError::Compacted {
                requested: after,
                compacted,
            });
        }
        let mut entries = Vec::new();
        for entry in self
            .db
            .range(history_key(after + 1)..=history_key(upto))
            .take(limit)
        {
            let decoded = entry.map_err(storage).and_then(|(key, value)| {
                let revision = decode_i64(&key[1..], "history key")?;
                let events: Vec<WatchEvent> = decode_events(&value)?;
                Ok((revision, events.into()))
            });
            match decoded {
                Ok(entry) => entries.push(entry),
                // Hand out what precedes a bad entry; the next call fails on it.
                Err(_) if !entries.is_empty() => break,
                Err(error) => return Err(error),
            }
        }
        Ok(entries)
    }
}

/// The view of the state the writer plans against: the database plus the changes of
/// the group being built.
pub(super) struct Overlay<'a> {
    pub(super) db: &'a sled::Db,
    pub(super) changes: std::collections::HashMap<Bytes, Option<KeyValue>>,
}

impl StateView for Overlay<'_> {
    fn get(&self, key: &[u8]) -> Result<Option<KeyValue>, KvError> {
        match self.changes.get(key) {
            Some(change) => Ok(change.clone()),
            None => read_key(self.db, key),
        }
    }
}

impl Overlay<'_> {
    /// Whether `key`'s current value is the one in the history entry of `revision`
    /// (which must then be kept when history is compacted).
    pub(super) fn value_is_at(&self, key: &[u8], revision: Revision) -> Result<bool, KvError> {
        if let Some(change) = self.changes.get(key) {
            return Ok(change
                .as_ref()
                .is_some_and(|kv| kv.mod_revision == revision));
        }
        let Some(record) = self.db.get(state_key(key)).map_err(storage)? else {
            return Ok(false);
        };
        Ok(matches!(
            decode_record(Bytes::new(), &record)?,
            Record::InHistory(kv) if kv.mod_revision == revision
        ))
    }
}

fn read_key(db: &sled::Db, key: &[u8]) -> Result<Option<KeyValue>, KvError> {
    db.get(state_key(key))
        .map_err(storage)?
        .map(|record| load(db, Bytes::copy_from_slice(key), &record))
        .transpose()
}

fn read_meta(db: &sled::Db, name: &'static [u8]) -> Result<i64, KvError> {
    match db.get(name).map_err(storage)? {
        Some(value) => decode_i64(&value, "metadata"),
        None => Ok(0),
    }
}

/// Checks that history holds exactly the revisions `compacted + 1 ..= revision`.
fn check_history(db: &sled::Db, compacted: Revision, revision: Revision) -> Result<(), KvError> {
    if compacted < 0 || revision < compacted {
        return Err(KvError::corrupt(format!(
            "compacted revision {compacted} and current revision {revision} are inconsistent"
        )));
    }
    let mut expected = compacted + 1;
    for entry in db.range(history_key(expected).to_vec()..vec![HISTORY + 1]) {
        let (key, _) = entry.map_err(storage)?;
        let found = decode_i64(&key[1..], "history key")?;
        if found != expected {
            return Err(KvError::corrupt(format!(
                "history: expected revision {expected}, found {found}"
            )));
        }
        expected += 1;
    }
    if expected != revision + 1 {
        return Err(KvError::corrupt(format!(
            "history ends at revision {} but the current revision is {revision}",
            expected - 1
        )));
    }
    Ok(())
}

/// Rebuilds the lease table: every lease gets a full TTL from `now`; attachments come
/// from the key records (an undecodable record is skipped with a warning: reads of
/// that key report it).
fn recover_leases(db: &sled::Db, now: Instant) -> Result<LeaseTable, KvError> {
    let mut table = LeaseTable::default();
    for entry in db.scan_prefix([LEASE]) {
        let (key, value) = entry.map_err(storage)?;
        let lease = LeaseId(decode_i64(&key[1..], "lease key")?);
        let millis = decode_i64(&value, "lease TTL")?;
        let ttl = Duration::from_millis(u64::try_from(millis).unwrap_or(0));
        table.insert(lease, ttl, now)?;
    }
    for entry in db.scan_prefix([STATE]) {
        let (key, value) = entry.map_err(storage)?;
        let kv = match decode_record(Bytes::copy_from_slice(&key[1..]), &value) {
            Ok(Record::Inline(kv) | Record::InHistory(kv)) => kv,
            Err(error) => {
                // Reads of this key report the corruption; the rest of the store works.
                tracing::warn!(key = %show(&key[1..]), %error, "undecodable key record");
                continue;
            }
        };
        if let Some(lease) = kv.lease {
            if !table.attach(lease, kv.key.clone()) {
                tracing::warn!(key = %show(&kv.key), %lease, "key attached to a lease that does not exist");
            }
        }
    }
    Ok(table)
}
