//! The sled backend: durable, embedded, the default store of a single-node cluster.

mod codec;
mod durable;
mod layout;
mod pending;
mod retain;
mod state;
mod values;
mod writer;

use std::path::Path;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Weak};
use std::time::Duration;

use async_trait::async_trait;
use bytes::Bytes;
use tokio::sync::{mpsc, oneshot};
use tokio::time::Instant;

use self::state::{Core, storage};
use self::writer::Request;
use super::options::StoreOptions;
use crate::engine::{
    ExpiryTask, LeaseExpiry, lock, open_watch, validate_key, validate_ttl, validate_txn,
};
use crate::kv::{
    KeyValue, KvError, KvStore, LeaseId, RangeRequest, RangeResponse, Revision, Txn, TxnResponse,
    WatchStream,
};

/// How many write requests may wait for the writer before callers wait to enqueue.
const QUEUE: usize = 4096;

/// A durable [`KvStore`] on [sled](https://docs.rs/sled/0.34).
///
/// - **Durability**: a write is acknowledged only after it is flushed to disk and the
///   log file is `fdatasync`ed (as etcd syncs its WAL), so it survives a power loss,
///   not only a crash of the process. Writes go
///   through one writer task that commits every request waiting in one atomic sled
///   batch and one flush (group commit), so concurrent writers share the cost of a
///   flush; it plans and applies the next group while the previous one is being
///   flushed. Reads never see a write before it is durable, and never wait for a
///   flush: while groups are being written they are served the committed state.
/// - **History** (for watches from a past revision and reads at a past revision) is
///   kept on disk: one entry per revision with its events and the previous values, so
///   a past read undoes the later events from the current state. It is bounded by
///   compaction ([`StoreOptions::retain_revisions`], default 10,000 revisions).
///   Each value is stored once, in its revision's entry: a key's record points there,
///   and compaction keeps the entries that still hold current values.
/// - **Recovery**: revision, compaction point and leases persist; reopening checks
///   that history is gap-free. Lease deadlines restart with a full TTL. Opening scans
///   the key records once to rebuild lease attachments.
///
/// Must be opened inside a tokio runtime; the writer and lease-expiry tasks run on it.
/// Cloning gives another handle; the database closes when the last handle is dropped.
#[derive(Debug, Clone)]
pub struct SledStore {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    core: Arc<Core>,
    requests: mpsc::Sender<Request>,
    expiry: ExpiryTask,
}

impl SledStore {
    /// Opens (or creates) the store in directory `path`.
    pub fn open(path: impl AsRef<Path>, options: StoreOptions) -> Result<Self, KvError> {
        SledStore::open_with(sled::Config::new().path(path), options)
    }

    /// Opens the store with a sled configuration of your own (cache size, a temporary
    /// database...).
    pub fn open_with(config: sled::Config, options: StoreOptions) -> Result<Self, KvError> {
        let runtime = tokio::runtime::Handle::try_current()
            .map_err(|_| KvError::unavailable("SledStore must be opened inside a tokio runtime"))?;
        let db = config.open().map_err(storage)?;
        let log_file = open_log_for_sync(&config.get_path())?;
        let core = Arc::new(Core::recover(db, log_file, options, Instant::now())?);
        let (requests, receiver) = mpsc::channel(QUEUE);
        let queue = requests.downgrade();
        runtime.spawn(writer::run(receiver, queue, Arc::downgrade(&core)));
        let inner = Arc::new(Inner {
            core,
            requests,
            expiry: ExpiryTask::default(),
        });
        let weak: Weak<Inner> = Arc::downgrade(&inner);
        inner.expiry.ensure_started(weak)?;
        Ok(SledStore { inner })
    }
}

/// Opens sled's log file (`<dir>/db`) for `fdatasync`, and syncs the directory once so
/// the file's own entry is durable. sled's `flush` waits for its writes to reach the
/// device (`sync_file_range`) but does not flush the device's write cache; syncing the
/// log after each group's flush gives the same guarantee as etcd's `fdatasync` of its
/// WAL: an acknowledged write survives a power loss, not just a process crash.
/// Returns `None` for a temporary database that has no file yet.
fn open_log_for_sync(dir: &Path) -> Result<Option<std::fs::File>, KvError> {
    let log = dir.join("db");
    if !log.exists() {
        return Ok(None);
    }
    let file = std::fs::File::open(&log).map_err(KvError::storage)?;
    std::fs::File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(KvError::storage)?;
    Ok(Some(file))
}

/// Counters of a [`SledStore`]'s writer, to see group commit at work.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SledWriteStats {
    /// Write requests handled (transactions, lease grants and revocations, compactions).
    pub requests: u64,
    /// Disk flushes made for them.
    pub flushes: u64,
}

impl SledStore {
    /// The writer's counters since the store was opened.
    pub fn write_stats(&self) -> SledWriteStats {
        SledWriteStats {
            requests: self.inner.core.requests.load(Ordering::Relaxed),
            flushes: self.inner.core.flushes.load(Ordering::Relaxed),
        }
    }
}

impl Inner {
    async fn submit<T>(
        &self,
        request: impl FnOnce(oneshot::Sender<Result<T, KvError>>) -> Request,
    ) -> Result<T, KvError> {
        let closed = || KvError::unavailable("the store's writer has stopped");
        let (sender, receiver) = oneshot::channel();
        self.requests
            .send(request(sender))
            .await
            .map_err(|_| closed())?;
        receiver.await.map_err(|_| closed())?
    }
}

#[async_trait]
impl LeaseExpiry for Inner {
    fn next_deadline(&self) -> Option<Instant> {
        lock(&self.core.leases).next_deadline()
    }

    fn expired(&self, now: Instant) -> Vec<LeaseId> {
        lock(&self.core.leases).expired(now)
    }

    async fn revoke_expired(&self, lease: LeaseId) -> Result<(), KvError> {
        match self
            .submit(|reply| Request::Revoke(lease, true, reply))
            .await
        {
            Ok(_) | Err(KvError::LeaseNotFound { .. }) => Ok(()),
            Err(error) => Err(error),
        }
    }
}

#[async_trait]
impl KvStore for SledStore {
    async fn get(&self, key: &[u8]) -> Result<Option<KeyValue>, KvError> {
        validate_key(key)?;
        self.inner.core.get(key)
    }

    async fn range(&self, request: RangeRequest) -> Result<RangeResponse, KvError> {
        self.inner.core.range(&request)
    }

    async fn txn(&self, txn: Txn) -> Result<TxnResponse, KvError> {
        validate_txn(&txn)?;
        self.inner.submit(|reply| Request::Txn(txn, reply)).await
    }

    async fn watch(&self, prefix: Bytes, after: Revision) -> Result<WatchStream, KvError> {
        open_watch(&self.inner.core.hub, &self.inner.core, prefix, after)
    }

    async fn compact(&self, revision: Revision) -> Result<(), KvError> {
        self.inner
            .submit(|reply| Request::Compact(revision, reply))
            .await
    }

    async fn current_revision(&self) -> Result<Revision, KvError> {
        // The published revision: everything up to it is readable and watchable.
        Ok(self.inner.core.hub.published())
    }

    async fn compacted_revision(&self) -> Result<Revision, KvError> {
        Ok(self.inner.core.compacted.load(Ordering::Acquire))
    }

    async fn lease_grant(&self, ttl: Duration) -> Result<LeaseId, KvError> {
        validate_ttl(ttl)?;
        let lease = self
            .inner
            .submit(|reply| Request::Grant(ttl, reply))
            .await?;
        self.inner.expiry.wake();
        Ok(lease)
    }

    async fn lease_keep_alive(&self, lease: LeaseId) -> Result<Duration, KvError> {
        lock(&self.inner.core.leases).keep_alive(lease, Instant::now())
    }

    async fn lease_revoke(&self, lease: LeaseId) -> Result<Revision, KvError> {
        self.inner
            .submit(|reply| Request::Revoke(lease, false, reply))
            .await
    }
}
