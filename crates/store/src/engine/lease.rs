//! Lease bookkeeping: TTLs, deadlines, attached keys, and the task that revokes
//! expired leases.
//!
//! Deadlines are tokio [`Instant`]s, so tests with paused time drive expiry with
//! `tokio::time::advance`. Deadlines are not persisted: a backend reopening its data
//! gives every lease a full TTL again, as etcd does after a leader change.

use std::collections::{BTreeSet, HashMap};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Weak};
use std::time::Duration;

use async_trait::async_trait;
use bytes::Bytes;
use tokio::sync::Notify;
use tokio::time::Instant;

use crate::kv::{EventKind, KvError, LeaseId, WatchEvent};

/// The leases of a store.
#[derive(Debug, Default)]
pub(crate) struct LeaseTable {
    leases: HashMap<LeaseId, Lease>,
}

#[derive(Debug)]
struct Lease {
    ttl: Duration,
    deadline: Instant,
    keys: BTreeSet<Bytes>,
}

impl LeaseTable {
    /// Adds a lease expiring `ttl` after `now`.
    pub(crate) fn insert(
        &mut self,
        id: LeaseId,
        ttl: Duration,
        now: Instant,
    ) -> Result<(), KvError> {
        let deadline = now
            .checked_add(ttl)
            .ok_or_else(|| KvError::invalid("lease TTL out of range"))?;
        self.leases.insert(
            id,
            Lease {
                ttl,
                deadline,
                keys: BTreeSet::new(),
            },
        );
        Ok(())
    }

    /// Whether the lease exists and has not expired.
    pub(crate) fn is_live(&self, id: LeaseId, now: Instant) -> bool {
        self.leases
            .get(&id)
            .is_some_and(|lease| lease.deadline > now)
    }

    /// Whether the lease exists and its deadline has passed.
    pub(crate) fn is_expired(&self, id: LeaseId, now: Instant) -> bool {
        self.leases
            .get(&id)
            .is_some_and(|lease| lease.deadline <= now)
    }

    /// Renews a live lease; returns its TTL.
    pub(crate) fn keep_alive(&mut self, id: LeaseId, now: Instant) -> Result<Duration, KvError> {
        match self.leases.get_mut(&id) {
            Some(lease) if lease.deadline > now => {
                // The TTL was checked against `now` at grant time and `now` only grows by
                // real elapsed time, so this cannot overflow in practice; keep the old
                // deadline if it would.
                lease.deadline = now.checked_add(lease.ttl).unwrap_or(lease.deadline);
                Ok(lease.ttl)
            }
            _ => Err(KvError::LeaseNotFound { lease: id }),
        }
    }

    /// The keys attached to a lease (expired or not), `None` when it does not exist.
    pub(crate) fn keys(&self, id: LeaseId) -> Option<Vec<Bytes>> {
        self.leases
            .get(&id)
            .map(|lease| lease.keys.iter().cloned().collect())
    }

    /// Forgets a lease.
    pub(crate) fn remove(&mut self, id: LeaseId) {
        self.leases.remove(&id);
    }

    /// Attaches a key; false when the lease does not exist.
    pub(crate) fn attach(&mut self, id: LeaseId, key: Bytes) -> bool {
        self.leases
            .get_mut(&id)
            .map(|lease| lease.keys.insert(key))
            .is_some()
    }

    /// Follows the attachments through committed events: a changed or deleted key
    /// leaves its old lease; a put with a lease joins it.
    pub(crate) fn apply(&mut self, events: &[WatchEvent]) {
        for event in events {
            if let Some(old) = event.prev_kv.as_ref().and_then(|prev| prev.lease) {
                if let Some(lease) = self.leases.get_mut(&old) {
                    lease.keys.remove(&event.kv.key);
                }
            }
            if event.kind == EventKind::Put {
                if let Some(new) = event.kv.lease {
                    self.attach(new, event.kv.key.clone());
                }
            }
        }
    }

    /// The earliest deadline.
    pub(crate) fn next_deadline(&self) -> Option<Instant> {
        self.leases.values().map(|lease| lease.deadline).min()
    }

    /// The leases whose deadline has passed.
    pub(crate) fn expired(&self, now: Instant) -> Vec<LeaseId> {
        let mut ids: Vec<_> = self
            .leases
            .iter()
            .filter(|(_, lease)| lease.deadline <= now)
            .map(|(id, _)| *id)
            .collect();
        ids.sort();
        ids
    }
}

/// What the expiry task needs from a backend.
#[async_trait]
pub(crate) trait LeaseExpiry: Send + Sync + 'static {
    /// The earliest lease deadline.
    fn next_deadline(&self) -> Option<Instant>;
    /// The leases expired at `now`.
    fn expired(&self, now: Instant) -> Vec<LeaseId>;
    /// Revokes a lease if it is still expired (a keep-alive may have come in between).
    async fn revoke_expired(&self, lease: LeaseId) -> Result<(), KvError>;
}

/// Handle to a backend's expiry task: started on first need, woken when a lease is
/// granted, told to stop when the backend is dropped.
#[derive(Debug, Default)]
pub(crate) struct ExpiryTask {
    wake: Arc<Notify>,
    started: AtomicBool,
}

impl ExpiryTask {
    /// Spawns the task on the current tokio runtime unless it runs already.
    pub(crate) fn ensure_started(&self, target: Weak<dyn LeaseExpiry>) -> Result<(), KvError> {
        if self.started.swap(true, Ordering::AcqRel) {
            return Ok(());
        }
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            self.started.store(false, Ordering::Release);
            return Err(KvError::unavailable("leases need a tokio runtime"));
        };
        runtime.spawn(run(target, self.wake.clone()));
        Ok(())
    }

    /// Makes the task look at the deadlines again.
    pub(crate) fn wake(&self) {
        self.wake.notify_one();
    }
}

impl Drop for ExpiryTask {
    fn drop(&mut self) {
        // The task holds only a weak reference to the backend: waking it lets it see
        // the backend is gone and stop.
        self.wake.notify_one();
    }
}

async fn run(target: Weak<dyn LeaseExpiry>, wake: Arc<Notify>) {
    loop {
        let next = {
            let Some(target) = target.upgrade() else {
                return;
            };
            for lease in target.expired(Instant::now()) {
                if let Err(error) = target.revoke_expired(lease).await {
                    tracing::warn!(%lease, %error, "cannot revoke expired lease; lease expiry stops");
                    return;
                }
            }
            target.next_deadline()
        };
        match next {
            Some(deadline) => {
                tokio::select! {
                    () = tokio::time::sleep_until(deadline) => {}
                    () = wake.notified() => {}
                }
            }
            None => wake.notified().await,
        }
    }
}
