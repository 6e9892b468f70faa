//! The storage trait every backend implements.

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use bytes::Bytes;
use futures::stream::BoxStream;

use super::error::KvError;
use super::range::{RangeRequest, RangeResponse};
use super::txn::{Txn, TxnResponse};
use super::types::{KeyValue, LeaseId, Revision, WatchEvent};

/// The events of one revision that a watch delivers, in the order the transaction
/// wrote them. Shared: the built-in backends hand the same batch to every watcher whose
/// prefix takes all of the revision's events, so fanning a write out to many watchers
/// copies nothing per watcher.
pub type WatchBatch = Arc<[WatchEvent]>;

/// The changes a watch delivers: one item per revision, holding that revision's events
/// under the watched prefix in the order the transaction wrote them.
///
/// Revisions come in increasing order, without gaps (every revision with a matching
/// change is there) and without duplicates. The stream ends with an error item
/// ([`KvError::WatchLagged`], [`KvError::Compacted`] when history was compacted under a
/// watch still replaying it, [`KvError::Corrupt`]) or, without one, when the store is
/// dropped.
pub type WatchStream = BoxStream<'static, Result<WatchBatch, KvError>>;

/// A revisioned, watchable key-value store with etcd v3 semantics.
///
/// Object-safe: use it as `Arc<dyn KvStore>`. The convenience methods `create`,
/// `update`, `delete` and `put` come from [`KvStoreExt`](crate::KvStoreExt), implemented
/// for every store. See the crate documentation for the semantics every backend keeps
/// and the conformance suite that checks them.
#[async_trait]
pub trait KvStore: Send + Sync + 'static {
    /// The current state of one key (`None`: absent).
    async fn get(&self, key: &[u8]) -> Result<Option<KeyValue>, KvError>;

    /// The keys under a prefix, paged, at the current or a past revision.
    async fn range(&self, request: RangeRequest) -> Result<RangeResponse, KvError>;

    /// The only write primitive: compares, then operations at one new revision.
    async fn txn(&self, txn: Txn) -> Result<TxnResponse, KvError>;

    /// Every change under `prefix` with a revision strictly greater than `after`
    /// ("changes after", like a Kubernetes watch from a resource version; etcd's start
    /// revision is `after + 1`).
    ///
    /// Fails with [`KvError::Compacted`] when `after` is below the compacted revision
    /// (history the watch needs is gone) and [`KvError::FutureRevision`] when it is
    /// above the current revision. Watching from the current revision delivers only
    /// changes yet to come.
    async fn watch(&self, prefix: Bytes, after: Revision) -> Result<WatchStream, KvError>;

    /// Drops the history up to and including `revision`: later reads and watches below
    /// it fail with [`KvError::Compacted`]. Fails with `Compacted` when `revision` is not
    /// above the current compacted revision, `FutureRevision` when it is above the
    /// current revision.
    async fn compact(&self, revision: Revision) -> Result<(), KvError>;

    /// The revision of the latest write.
    async fn current_revision(&self) -> Result<Revision, KvError>;

    /// The oldest revision still readable: everything at or below it is compacted away
    /// except the state as of it.
    async fn compacted_revision(&self) -> Result<Revision, KvError>;

    /// Creates a lease that expires `ttl` after its last keep-alive.
    async fn lease_grant(&self, ttl: Duration) -> Result<LeaseId, KvError>;

    /// Renews a lease; returns the TTL it has again. Fails with
    /// [`KvError::LeaseNotFound`] once the lease has expired or been revoked.
    async fn lease_keep_alive(&self, lease: LeaseId) -> Result<Duration, KvError>;

    /// Revokes a lease, deleting every key attached to it at one revision (watchers see
    /// the deletes). Returns that revision, or the current one when no key was attached.
    async fn lease_revoke(&self, lease: LeaseId) -> Result<Revision, KvError>;
}
