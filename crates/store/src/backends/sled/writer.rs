//! Group commit: the single writer of a sled store.
//!
//! Requests queue on a channel. The writer takes every request waiting (up to
//! [`MAX_GROUP`]), plans them one after the other against the database plus the
//! group's earlier changes, builds one sled batch with all their changes, the new
//! metadata and any due compaction, records the group for readers (see
//! [`super::pending`]) and applies the batch atomically (on tokio's blocking pool).
//! Then it hands the group to the flush stage ([`super::durable`]) and goes on with
//! the next group while this one is being flushed: planning and applying group k+1
//! overlaps the flush of group k. The flush stage makes groups durable in order,
//! publishes their revisions to watchers and only then answers their requests. A
//! request is acknowledged only once it is on disk; concurrent writers share the
//! flush.
//!
//! The blocking pool also keeps paused test clocks from
//! jumping ahead while a flush is in progress.

use std::collections::HashMap;
use std::sync::atomic::Ordering;
use std::sync::{MutexGuard, Weak};
use std::time::Duration;

use bytes::Bytes;
use tokio::sync::{mpsc, oneshot};
use tokio::time::Instant;

use super::codec::{decode_events, encode_events, encode_i64, encode_record};
use super::durable::{self, Applied, Published, Reply, Tail};
use super::layout::{
    META_COMPACTED, META_LAST_LEASE, META_REVISION, history_key, lease_key, state_key,
};
use super::pending::Before;
use super::retain::{Fate, Retained, fate};
use super::state::{Core, Overlay, storage};
use crate::engine::{Batch, LeaseTable, Plan, lock, plan_revoke, plan_txn, write};
use crate::kv::{EventKind, KvError, LeaseId, Revision, Txn, TxnResponse, WatchEvent};

/// Most requests committed in one group.
const MAX_GROUP: usize = 512;

/// Applied groups that may wait for the flush stage; the writer waits beyond that.
const FLUSH_QUEUE: usize = 2;

/// A write for the writer task.
#[derive(Debug)]
pub(super) enum Request {
    /// A transaction (already validated).
    Txn(Txn, oneshot::Sender<Result<TxnResponse, KvError>>),
    /// A lease grant (TTL already validated).
    Grant(Duration, oneshot::Sender<Result<LeaseId, KvError>>),
    /// A lease revocation; with the flag, only if the lease is still expired.
    Revoke(LeaseId, bool, oneshot::Sender<Result<Revision, KvError>>),
    /// A compaction.
    Compact(Revision, oneshot::Sender<Result<(), KvError>>),
}

/// Runs the writer (and its flush stage) until every store handle is gone.
pub(super) async fn run(
    mut requests: mpsc::Receiver<Request>,
    queue: mpsc::WeakSender<Request>,
    core: Weak<Core>,
) {
    let (to_flush, flush_queue) = mpsc::channel(FLUSH_QUEUE);
    tokio::spawn(durable::run(flush_queue, queue, core.clone()));
    // Where the last applied group left the counters (ahead of the committed ones
    // while groups are in flight).
    let mut tail: Option<Tail> = None;
    while let Some(first) = requests.recv().await {
        let Some(strong) = core.upgrade() else { return };
        strong.applying.store(true, Ordering::Release);
        drop(strong);
        let mut group = vec![first];
        while group.len() < MAX_GROUP {
            match requests.try_recv() {
                Ok(request) => group.push(request),
                Err(_) => break,
            }
        }
        let Some(core) = core.upgrade() else { return };
        let start = *tail.get_or_insert_with(|| Tail::committed(&core));
        let now = Instant::now();
        // The store handle goes with the work and is dropped on the blocking thread.
        let work = move || {
            let applied = apply_group(&core, group, now, start);
            core.applying.store(false, Ordering::Release);
            applied
        };
        let Ok(applied) = tokio::task::spawn_blocking(work).await else {
            return;
        };
        tail = Some(applied.tail);
        if to_flush.send(applied).await.is_err() {
            return;
        }
    }
}

/// Answers with `result`, or with the group's storage error if `result` was a success.
fn reply<T: Send + 'static>(
    sender: oneshot::Sender<Result<T, KvError>>,
    result: Result<T, KvError>,
) -> Reply {
    Box::new(move |failure| {
        let result = match (failure, result) {
            (Some(error), Ok(_)) => Err(error.clone()),
            (_, result) => result,
        };
        // The caller may have gone away; nothing to do then.
        let _ = sender.send(result);
    })
}

/// Plans and applies a group starting from `tail`; the flush stage finishes it.
fn apply_group(core: &Core, group: Vec<Request>, now: Instant, tail: Tail) -> Applied {
    let mut builder = Group {
        core,
        leases: lock(&core.leases),
        now,
        overlay: Overlay {
            db: &core.db,
            changes: HashMap::new(),
        },
        batch: sled::Batch::default(),
        before: Before::new(),
        dirty: false,
        revision: tail.revision,
        compacted: tail.compacted,
        last_lease: tail.last_lease,
        published: Vec::new(),
        retained: Retained::default(),
    };
    let failed = core.failed.load(Ordering::Acquire);
    core.requests.fetch_add(
        u64::try_from(group.len()).unwrap_or(u64::MAX),
        Ordering::Relaxed,
    );
    let replies: Vec<Reply> = group
        .into_iter()
        .map(|request| {
            if failed {
                refuse(request)
            } else {
                builder.add(request)
            }
        })
        .collect();
    if failed {
        return Applied {
            replies,
            outcome: Ok(Vec::new()),
            written: false,
            tail,
        };
    }
    let (outcome, written, tail) = builder.apply();
    if outcome.is_err() {
        // Later groups were planned on top of this one: refuse them.
        core.failed.store(true, Ordering::Release);
    }
    Applied {
        replies,
        outcome,
        written,
        tail,
    }
}

fn refuse(request: Request) -> Reply {
    let error = || KvError::unavailable("the store stopped writing after a storage failure");
    match request {
        Request::Txn(_, sender) => reply(sender, Err(error())),
        Request::Grant(_, sender) => reply(sender, Err(error())),
        Request::Revoke(_, _, sender) => reply(sender, Err(error())),
        Request::Compact(_, sender) => reply(sender, Err(error())),
    }
}

/// A write group being built.
struct Group<'a> {
    core: &'a Core,
    leases: MutexGuard<'a, LeaseTable>,
    now: Instant,
    overlay: Overlay<'a>,
    batch: sled::Batch,
    /// The committed state of every key the group changes, for readers (see
    /// [`super::pending`]).
    before: Before,
    dirty: bool,
    revision: Revision,
    compacted: Revision,
    last_lease: i64,
    published: Published,
    /// The kept history entries the group changes (see [`super::retain`]).
    retained: Retained,
}

impl Group<'_> {
    fn add(&mut self, request: Request) -> Reply {
        match request {
            Request::Txn(txn, sender) => reply(sender, self.txn(&txn)),
            Request::Grant(ttl, sender) => reply(sender, self.grant(ttl)),
            Request::Revoke(lease, only_if_expired, sender) => {
                reply(sender, self.revoke(lease, only_if_expired))
            }
            Request::Compact(revision, sender) => reply(sender, self.compact(revision)),
        }
    }

    fn txn(&mut self, txn: &Txn) -> Result<TxnResponse, KvError> {
        let plan = plan_txn(
            &self.overlay,
            &self.leases,
            self.now,
            self.revision + 1,
            txn,
        )?;
        Ok(match plan {
            Plan::Failed(failure) => TxnResponse::Failed {
                revision: self.revision,
                failure,
            },
            Plan::Apply { events, prev_kvs } => TxnResponse::Succeeded {
                revision: self.record(events)?,
                prev_kvs,
            },
        })
    }

    fn grant(&mut self, ttl: Duration) -> Result<LeaseId, KvError> {
        let lease = LeaseId(self.last_lease + 1);
        self.leases.insert(lease, ttl, self.now)?;
        self.last_lease = lease.0;
        let millis = i64::try_from(ttl.as_millis()).unwrap_or(i64::MAX);
        self.batch.insert(&lease_key(lease), &encode_i64(millis));
        self.dirty = true;
        Ok(lease)
    }

    fn revoke(&mut self, lease: LeaseId, only_if_expired: bool) -> Result<Revision, KvError> {
        if only_if_expired && !self.leases.is_expired(lease, self.now) {
            return Ok(self.revision);
        }
        let events = plan_revoke(&self.overlay, &self.leases, lease, self.revision + 1)?;
        let revision = self.record(events)?;
        self.leases.remove(lease);
        self.batch.remove(&lease_key(lease));
        self.dirty = true;
        Ok(revision)
    }

    fn compact(&mut self, revision: Revision) -> Result<(), KvError> {
        if revision > self.revision {
            return Err(KvError::FutureRevision {
                requested: revision,
                current: self.revision,
            });
        }
        if revision <= self.compacted {
            return Err(KvError::Compacted {
                requested: revision,
                compacted: self.compacted,
            });
        }
        self.compact_to(revision)
    }

    /// Compacts history up to `revision`, keeping the entries that hold current values
    /// (see [`super::retain`]). Decides for every entry before changing anything, so
    /// that a read error leaves the group as it was.
    fn compact_to(&mut self, revision: Revision) -> Result<(), KvError> {
        let mut fates = Vec::new();
        // History is dense: every revision above the compacted one has an entry (those
        // of this group are in what it publishes).
        for old in self.compacted + 1..=revision {
            let fresh = self.fresh(old);
            let is_fresh = fresh.is_some();
            let events = match fresh {
                Some(events) => events,
                None => {
                    let bytes = self.core.db.get(history_key(old)).map_err(storage)?;
                    let bytes = bytes.ok_or_else(|| {
                        KvError::corrupt(format!("history has no entry at revision {old}"))
                    })?;
                    decode_events(&bytes)?.into()
                }
            };
            let fate = fate(&self.overlay, old, &events)?;
            fates.push((old, is_fresh, events, fate));
        }
        for (old, fresh, events, fate) in fates {
            match fate {
                Fate::Remove => self.batch.remove(&history_key(old)),
                // A kept entry of this group is in the batch only: the group's later
                // writes may have to take values out of it.
                Fate::Keep if fresh => self.retained.keep(old, events.to_vec()),
                Fate::Keep => {}
                Fate::Reduce(current) => self.retained.keep(old, current),
            }
        }
        self.compacted = revision;
        self.dirty = true;
        Ok(())
    }

    /// The events of `revision` if this group wrote it.
    fn fresh(&self, revision: Revision) -> Option<Batch> {
        let first = self.published.first()?.0;
        let index = usize::try_from(revision - first).ok()?;
        self.published
            .get(index)
            .filter(|(at, _)| *at == revision)
            .map(|(_, events)| events.clone())
    }

    /// Adds planned events (at `self.revision + 1`) to the batch; returns the revision
    /// they got, or the unchanged one when there are none.
    fn record(&mut self, events: Vec<WatchEvent>) -> Result<Revision, KvError> {
        if events.is_empty() {
            return Ok(self.revision);
        }
        // The values these changes replace that sit in kept history entries: read
        // those entries first, so that a read error leaves the group as it was.
        for event in &events {
            if let Some(prev) = event
                .prev_kv
                .as_ref()
                .filter(|p| p.mod_revision <= self.compacted)
            {
                self.retained.load(&self.core.db, prev.mod_revision)?;
            }
        }
        let revision = self.revision + 1;
        for event in &events {
            if let Some(prev) = event
                .prev_kv
                .as_ref()
                .filter(|p| p.mod_revision <= self.compacted)
            {
                self.retained.forget(prev.mod_revision, &event.kv.key);
            }
            let key = &event.kv.key;
            // The first change of a key in the group has its committed state.
            if !self.before.contains_key(key) {
                self.before.insert(key.clone(), event.prev_kv.clone());
            }
            match event.kind {
                EventKind::Put => {
                    self.batch.insert(state_key(key), encode_record(&event.kv));
                    self.overlay
                        .changes
                        .insert(key.clone(), Some(event.kv.clone()));
                }
                EventKind::Delete => {
                    self.batch.remove(state_key(key));
                    self.overlay.changes.insert(Bytes::clone(key), None);
                }
            }
        }
        self.leases.apply(&events);
        self.batch
            .insert(&history_key(revision), encode_events(&events));
        self.revision = revision;
        self.published.push((revision, events.into()));
        self.dirty = true;
        Ok(revision)
    }

    /// Applies the group as one atomic batch, recorded for readers first; returns
    /// what to publish once durable, whether something was written, and the counters
    /// as the group leaves them.
    fn apply(mut self) -> (Result<Published, KvError>, bool, Tail) {
        if let Some(target) = self
            .core
            .options
            .auto_compact_target(self.revision, self.compacted)
        {
            if let Err(error) = self.compact_to(target) {
                // Nothing changed; the next group tries again.
                tracing::warn!(%error, "sled store: automatic compaction failed");
            }
        }
        let tail = Tail {
            revision: self.revision,
            compacted: self.compacted,
            last_lease: self.last_lease,
        };
        if !self.dirty {
            return (Ok(Vec::new()), false, tail);
        }
        self.batch.insert(META_REVISION, &encode_i64(self.revision));
        self.batch
            .insert(META_COMPACTED, &encode_i64(self.compacted));
        self.batch
            .insert(META_LAST_LEASE, &encode_i64(self.last_lease));
        std::mem::take(&mut self.retained).write(&mut self.batch);
        let core = self.core;
        // From here until the group is durable, readers see the committed state of the
        // keys it changes, and the committed revisions, without waiting for the disk.
        write(&core.gate).push(std::mem::take(&mut self.before), self.compacted);
        // (After a failure the group stays recorded: readers keep the committed state,
        // and the writer refuses further work.)
        let outcome = core
            .db
            .apply_batch(self.batch)
            .map(|()| self.published)
            .map_err(storage);
        (outcome, true, tail)
    }
}
