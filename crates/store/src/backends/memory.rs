//! The in-memory backend.

use std::collections::BTreeMap;
use std::ops::Bound;
use std::sync::{Arc, Mutex, Weak};
use std::time::Duration;

use async_trait::async_trait;
use bytes::Bytes;
use tokio::time::Instant;

use super::options::StoreOptions;
use crate::engine::{
    ExpiryTask, HistoryEntry, HistorySource, LeaseExpiry, LeaseTable, Plan, StateView, WatchHub,
    collect_current, collect_past, lock, lower_bound, open_watch, plan_revoke, plan_txn,
    read_revision, validate_key, validate_ttl, validate_txn,
};
use crate::kv::{
    EventKind, KeyValue, KvError, KvStore, LeaseId, RangeRequest, RangeResponse, Revision, Txn,
    TxnResponse, WatchEvent, WatchStream,
};

/// A [`KvStore`] in memory: for tests, benchmarks and single-process setups that
/// need no durability.
///
/// State, history and leases live under one mutex; every call is a short critical
/// section. The first write is revision 1. Cloning gives another handle to the same
/// store. Lease expiry needs a tokio runtime (the task starts with the first grant).
#[derive(Debug, Clone)]
pub struct MemoryStore {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    state: Mutex<State>,
    hub: WatchHub,
    options: StoreOptions,
    expiry: ExpiryTask,
}

#[derive(Debug, Default)]
struct State {
    kvs: BTreeMap<Bytes, KeyValue>,
    history: BTreeMap<Revision, Arc<[WatchEvent]>>,
    revision: Revision,
    compacted: Revision,
    leases: LeaseTable,
    last_lease: i64,
}

struct Kvs<'a>(&'a BTreeMap<Bytes, KeyValue>);

impl StateView for Kvs<'_> {
    fn get(&self, key: &[u8]) -> Result<Option<KeyValue>, KvError> {
        Ok(self.0.get(key).cloned())
    }
}

impl Default for MemoryStore {
    fn default() -> Self {
        MemoryStore::new()
    }
}

impl MemoryStore {
    /// An empty store with default [`StoreOptions`].
    pub fn new() -> Self {
        MemoryStore::with_options(StoreOptions::default())
    }

    /// An empty store.
    pub fn with_options(options: StoreOptions) -> Self {
        MemoryStore {
            inner: Arc::new(Inner {
                state: Mutex::new(State::default()),
                hub: WatchHub::new(0, options.watch_buffer_len()),
                options,
                expiry: ExpiryTask::default(),
            }),
        }
    }
}

// === impl State ===

impl State {
    /// Applies planned events (at `self.revision + 1`) and publishes them.
    fn commit(
        &mut self,
        hub: &WatchHub,
        options: &StoreOptions,
        events: Vec<WatchEvent>,
    ) -> Revision {
        let revision = self.revision + 1;
        for event in &events {
            match event.kind {
                EventKind::Put => self.kvs.insert(event.kv.key.clone(), event.kv.clone()),
                EventKind::Delete => self.kvs.remove(&event.kv.key),
            };
        }
        self.leases.apply(&events);
        let events: Arc<[WatchEvent]> = events.into();
        self.history.insert(revision, events.clone());
        self.revision = revision;
        hub.publish(revision, &events);
        if let Some(target) = options.auto_compact_target(revision, self.compacted) {
            self.compact_to(target);
        }
        revision
    }

    fn compact_to(&mut self, revision: Revision) {
        self.history = self.history.split_off(&(revision + 1));
        self.compacted = revision;
    }

    fn range(&self, request: &RangeRequest) -> Result<RangeResponse, KvError> {
        let at = read_revision(request, self.revision, self.compacted)?;
        let scan = self
            .kvs
            .range::<Bytes, _>((lower_bound(request), Bound::Unbounded))
            .map(|(_, kv)| Ok(kv.clone()));
        if at == self.revision {
            return collect_current(request, at, scan);
        }
        let newest_first = self
            .history
            .range(at + 1..)
            .rev()
            .flat_map(|(_, events)| events.iter().rev().cloned().map(Ok));
        collect_past(request, at, scan, newest_first)
    }
}

// === impl Inner ===

impl Inner {
    fn revoke(&self, lease: LeaseId, only_if_expired: bool) -> Result<Revision, KvError> {
        let mut state = lock(&self.state);
        if only_if_expired && !state.leases.is_expired(lease, Instant::now()) {
            return Ok(state.revision);
        }
        let events = plan_revoke(&Kvs(&state.kvs), &state.leases, lease, state.revision + 1)?;
        let revision = if events.is_empty() {
            state.revision
        } else {
            state.commit(&self.hub, &self.options, events)
        };
        state.leases.remove(lease);
        Ok(revision)
    }
}

impl HistorySource for Inner {
    fn compacted(&self) -> Revision {
        lock(&self.state).compacted
    }

    fn history(
        &self,
        after: Revision,
        upto: Revision,
        limit: usize,
    ) -> Result<Vec<HistoryEntry>, KvError> {
        let state = lock(&self.state);
        if after < state.compacted {
            return Err(KvError::Compacted {
                requested: after,
                compacted: state.compacted,
            });
        }
        Ok(state
            .history
            .range(after + 1..=upto)
            .take(limit)
            .map(|(revision, events)| (*revision, events.clone()))
            .collect())
    }
}

#[async_trait]
impl LeaseExpiry for Inner {
    fn next_deadline(&self) -> Option<Instant> {
        lock(&self.state).leases.next_deadline()
    }

    fn expired(&self, now: Instant) -> Vec<LeaseId> {
        lock(&self.state).leases.expired(now)
    }

    async fn revoke_expired(&self, lease: LeaseId) -> Result<(), KvError> {
        match self.revoke(lease, true) {
            Ok(_) | Err(KvError::LeaseNotFound { .. }) => Ok(()),
            Err(error) => Err(error),
        }
    }
}

/// Every operation here completes at once, so a task calling in a loop would never
/// give its runtime worker back (other tasks, watchers included, would wait until it
/// is done). Each call spends a unit of tokio's cooperative budget, as socket and
/// channel operations do, and yields when the task's budget is spent.
async fn cooperate() {
    tokio::task::coop::consume_budget().await;
}

// === impl KvStore ===

#[async_trait]
impl KvStore for MemoryStore {
    async fn get(&self, key: &[u8]) -> Result<Option<KeyValue>, KvError> {
        cooperate().await;
        validate_key(key)?;
        Ok(lock(&self.inner.state).kvs.get(key).cloned())
    }

    async fn range(&self, request: RangeRequest) -> Result<RangeResponse, KvError> {
        cooperate().await;
        lock(&self.inner.state).range(&request)
    }

    async fn txn(&self, txn: Txn) -> Result<TxnResponse, KvError> {
        cooperate().await;
        validate_txn(&txn)?;
        let mut state = lock(&self.inner.state);
        let current = state.revision;
        let plan = plan_txn(
            &Kvs(&state.kvs),
            &state.leases,
            Instant::now(),
            current + 1,
            &txn,
        )?;
        Ok(match plan {
            Plan::Failed(failure) => TxnResponse::Failed {
                revision: current,
                failure,
            },
            Plan::Apply { events, prev_kvs } => {
                let revision = if events.is_empty() {
                    current
                } else {
                    state.commit(&self.inner.hub, &self.inner.options, events)
                };
                TxnResponse::Succeeded { revision, prev_kvs }
            }
        })
    }

    async fn watch(&self, prefix: Bytes, after: Revision) -> Result<WatchStream, KvError> {
        open_watch(&self.inner.hub, &self.inner, prefix, after)
    }

    async fn compact(&self, revision: Revision) -> Result<(), KvError> {
        let mut state = lock(&self.inner.state);
        if revision > state.revision {
            return Err(KvError::FutureRevision {
                requested: revision,
                current: state.revision,
            });
        }
        if revision <= state.compacted {
            return Err(KvError::Compacted {
                requested: revision,
                compacted: state.compacted,
            });
        }
        state.compact_to(revision);
        Ok(())
    }

    async fn current_revision(&self) -> Result<Revision, KvError> {
        Ok(lock(&self.inner.state).revision)
    }

    async fn compacted_revision(&self) -> Result<Revision, KvError> {
        Ok(lock(&self.inner.state).compacted)
    }

    async fn lease_grant(&self, ttl: Duration) -> Result<LeaseId, KvError> {
        validate_ttl(ttl)?;
        let weak: Weak<Inner> = Arc::downgrade(&self.inner);
        self.inner.expiry.ensure_started(weak)?;
        let lease = {
            let mut state = lock(&self.inner.state);
            state.last_lease += 1;
            let lease = LeaseId(state.last_lease);
            state.leases.insert(lease, ttl, Instant::now())?;
            lease
        };
        self.inner.expiry.wake();
        Ok(lease)
    }

    async fn lease_keep_alive(&self, lease: LeaseId) -> Result<Duration, KvError> {
        lock(&self.inner.state)
            .leases
            .keep_alive(lease, Instant::now())
    }

    async fn lease_revoke(&self, lease: LeaseId) -> Result<Revision, KvError> {
        self.inner.revoke(lease, false)
    }
}
