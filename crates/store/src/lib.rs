//! The cluster's source of truth: a revisioned, watchable key-value store with etcd v3
//! semantics, behind one object-safe trait, [`KvStore`], used as `Arc<dyn KvStore>`.
//!
//! Backends: [`MemoryStore`] (tests, benchmarks), [`SledStore`] (durable, embedded,
//! the default) and, with the cargo feature `etcd`, `EtcdStore` (a real etcd v3
//! cluster; needs `protoc` to build). The layers above (the Kubernetes object layer,
//! the watch cache, the API server) see only the trait.
//!
//! ```
//! use std::sync::Arc;
//! use futures::StreamExt;
//! use store::{KvStore, KvStoreExt, MemoryStore, EventKind};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), store::KvError> {
//! let store: Arc<dyn KvStore> = Arc::new(MemoryStore::new());
//! let created = store.create("/registry/pods/default/web", "v1", None).await?;
//! let mut changes = store.watch("/registry/pods/".into(), created).await?;
//! let updated = store.update("/registry/pods/default/web", "v2", created).await?;
//! let batch = changes.next().await.expect("an item")?;
//! assert_eq!(batch[0].kind, EventKind::Put);
//! assert_eq!(batch[0].kv.mod_revision, updated);
//! assert_eq!(batch[0].prev_kv.as_ref().map(|kv| kv.mod_revision), Some(created));
//! # Ok(()) }
//! ```
//!
//! # Semantics
//!
//! **Revisions.** One global counter, strictly increasing, shared by all keys. Every
//! write that changes something gets the next revision and returns it; all changes of
//! one transaction share one revision. The built-in backends start empty at revision
//! 0, so the first write is revision 1 (an etcd cluster starts at 1; code must not
//! assume where revisions start). Each key carries `create_revision`, `mod_revision`,
//! `version` (1 on create, +1 per update, reset by delete) and its lease.
//!
//! **Writes** go through [`KvStore::txn`]: equality compares on mod revision, version
//! or value (mod revision 0 = "absent"), then puts and deletes, all or nothing. A
//! failed compare reports the key's current state, so callers can answer 409 without
//! reading again. [`KvStoreExt`] builds `create`, `update`, `delete` and `put` on it.
//!
//! **Reads** ([`KvStore::range`]) take a prefix, a continuation key (`start_after`,
//! exclusive), a limit, and optionally a past revision: the state as of that revision,
//! as long as it is not compacted ([`KvError::Compacted`]) nor in the future
//! ([`KvError::FutureRevision`]).
//!
//! **Watches** ([`KvStore::watch`]) start *after* a revision: `watch(prefix, r)`
//! delivers every change with revision > r, the "changes after resource version r" of
//! a Kubernetes watch (etcd's inclusive start revision is `r + 1`). Delivery is
//! ordered, gap-free and exactly once, one item per revision; replay from history
//! switches to live changes without gap or duplicate. Deletes carry the deleted value
//! in `prev_kv`. A start below the compacted revision fails with
//! [`KvError::Compacted`] (Kubernetes' 410 Gone) instead of silently skipping.
//!
//! **Lag cut-off.** Each watcher has a bounded buffer ([`StoreOptions::watch_buffer`]).
//! A watcher that does not keep up gets, after what was buffered, a final
//! [`KvError::WatchLagged`] telling where to resume, and its stream ends. Writers and
//! other watchers never wait for it; memory stays bounded.
//!
//! **Compaction** ([`KvStore::compact`], or automatically with
//! [`StoreOptions::retain_revisions`]) drops history at and below a revision. The
//! current state is never compacted.
//!
//! **Leases.** [`KvStore::lease_grant`] gives a lease with a TTL; keys written with it
//! are deleted, at one revision and visibly to watchers, when it is revoked or when it
//! expires without [`KvStore::lease_keep_alive`]. Expiry runs on tokio time, so tests
//! with paused time drive it with `tokio::time::advance`. Writing with an unknown or
//! expired lease fails with [`KvError::LeaseNotFound`].
//!
//! **Bad input** is an error, never a panic: empty or oversized keys are
//! [`KvError::InvalidKey`], other malformed requests [`KvError::InvalidRequest`], data
//! that does not decode [`KvError::Corrupt`].
//!
//! # Adding a backend
//!
//! 1. Implement [`KvStore`] (with `#[async_trait]`). Keep the semantics above; where
//!    the backend's own differ (etcd's watch start is inclusive, its revisions start
//!    at 1), translate. Return the typed errors, never panic on input. The limits
//!    ([`MAX_KEY_LEN`], [`MAX_VALUE_LEN`], [`MAX_TXN_OPS`]) are those of the built-in
//!    backends; a backend inside this crate can reuse their validation (`engine`).
//! 2. Run the conformance suite. `tests/conformance/` holds one async function per
//!    behaviour and a proptest model test; the `conformance_suite!` macro turns them
//!    into one `#[tokio::test]` each for a backend. A test file like `tests/memory.rs`
//!    passes an expression building a fresh store per case, configured with the
//!    suite's watch buffer:
//!    ```ignore
//!    mod conformance;
//!    async fn subject() -> conformance::Subject {
//!        let store = MyBackend::connect_for_tests(conformance::WATCH_BUFFER).await;
//!        conformance::Subject::new(Arc::new(store))
//!    }
//!    conformance::conformance_suite!(subject(), model_cases: 32);
//!    ```
//!    Cases read the starting revision from the store and write under their own
//!    prefixes, so a backend need not start empty at revision 0.
//! 3. Put a backend with heavy dependencies behind a cargo feature, as
//!    `backends/etcd/` is: compiled with `#[cfg(feature = "etcd")]`, its store
//!    re-exported below beside the built-in ones, its tests marked
//!    `required-features` (this crate's dev-dependency on itself turns the feature on
//!    for every `cargo test`, so they never go silently missing).
//!
//! # Objects
//!
//! Above the trait, Kubernetes object semantics are held once, for the API server and
//! for in-process users alike: [`ObjectStore`] (keys, create with uid and
//! generateName, optimistic concurrency, status subresource, finalizers, patches,
//! filtered watches, pod binding), [`WatchCache`] (one
//! storage watch per kind fanned out to many watchers, with a window of recent
//! changes) and [`InProcessClient`], the [`client::Client`] that combines them.
//!
//! # Crate layout
//!
//! Modules are private; this file's `pub use` list is the public surface.
//! `kv` is the interface (types, requests, errors, the trait), `engine` the pieces the
//! built-in backends share (validation, transaction planning, range serving, watch
//! fan-out and replay, lease bookkeeping), `backends` the implementations. The layers
//! built on the trait depend only on `kv`: `object` (the object layer), `watch_cache`
//! and `in_process` (the client).

mod backends;
mod engine;
mod in_process;
mod kv;
mod object;
mod watch_cache;

#[cfg(feature = "etcd")]
pub use backends::{EtcdOptions, EtcdStore};
pub use backends::{MemoryStore, SledStore, SledWriteStats, StoreOptions};
pub use engine::{MAX_KEY_LEN, MAX_LEASE_TTL, MAX_TXN_OPS, MAX_VALUE_LEN};
pub use in_process::InProcessClient;
pub use kv::{
    Compare, CompareFailure, EventKind, KeyValue, KvError, KvStore, KvStoreExt, LeaseId, Op,
    RangeRequest, RangeResponse, Revision, Txn, TxnResponse, WatchBatch, WatchEvent, WatchStream,
};
pub use object::{
    BOOKMARK_INTERVAL, FOREGROUND_FINALIZER, KeyError, ORPHAN_FINALIZER, ObjectFilter, ObjectKey,
    ObjectStore, REGISTRY_PREFIX, field_value, resource_prefix,
};
pub use watch_cache::{CacheStats, WatchCache, WatchCacheConfig};
