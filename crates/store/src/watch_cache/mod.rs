//! The watch cache: one storage watch per resource, fanned out to any number of
//! watchers, so that thousands of them do not each watch storage.
//!
//! See [`WatchCache`].

mod cached;
mod follow;
mod state;
mod subscriber;

use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use bytes::Bytes;
use client::{ClientError, ListParams, ObjectList, RawObject, WatchParams, WatchStream};
use core_types::{ApiResource, DynamicObject, ListMeta};
use futures::StreamExt as _;
use tokio::task::JoinHandle;
use tokio::time::Instant;

use self::cached::CachedObject;
use self::state::{CacheState, Interest};
use self::subscriber::Output;
use crate::kv::{KeyValue, KvStore, Revision};
use crate::object::{
    ObjectFilter, bookmark_interval, collection_namespace, initial_values, list_prefix,
    parse_resource_version, resource_prefix, storage_error,
};

/// Sizes of a [`WatchCache`].
///
/// ```
/// use store::WatchCacheConfig;
/// let config = WatchCacheConfig::default().window(50_000).subscriber_queue(4_096);
/// assert_eq!(config.window_len(), 50_000);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WatchCacheConfig {
    window: usize,
    subscriber_queue: usize,
}

impl Default for WatchCacheConfig {
    fn default() -> Self {
        WatchCacheConfig {
            window: 10_000,
            subscriber_queue: 1_024,
        }
    }
}

impl WatchCacheConfig {
    /// How many recent changes the cache keeps for watches starting in the past
    /// (default 10,000; at least 1).
    #[must_use]
    pub fn window(mut self, events: usize) -> Self {
        self.window = events.max(1);
        self
    }

    /// How many changes a subscriber may have queued before it is cut off (default
    /// 1,024; at least 1).
    #[must_use]
    pub fn subscriber_queue(mut self, events: usize) -> Self {
        self.subscriber_queue = events.max(1);
        self
    }

    /// The window, in events.
    pub fn window_len(&self) -> usize {
        self.window
    }

    /// The subscriber queue, in events.
    pub fn subscriber_queue_len(&self) -> usize {
        self.subscriber_queue
    }
}

/// Counters and sizes of a cache, for monitoring and tests.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct CacheStats {
    /// The latest revision applied.
    pub revision: Revision,
    /// Events with a revision above this one are all in the window.
    pub window_start: Revision,
    /// Events in the window.
    pub window_len: usize,
    /// Objects held.
    pub objects: usize,
    /// Subscribers registered.
    pub subscribers: usize,
    /// Subscribers cut off for falling behind, since the start.
    pub cut_off: u64,
    /// Times the storage watch was resumed after lagging.
    pub backend_restarts: u64,
    /// Times the cache re-read everything because its history was compacted.
    pub relists: u64,
}

#[derive(Default)]
struct Counters {
    backend_restarts: AtomicU64,
    relists: AtomicU64,
}

/// What the cache's handles, its task and its watchers' streams share.
struct Shared {
    state: Mutex<CacheState>,
    /// The latest revision applied, published after its changes are queued.
    revision: AtomicI64,
    /// Whether some subscriber reads decoded objects: then changes are decoded before
    /// the lock is taken, rather than by the first reader under it.
    decoding: AtomicBool,
    stats: Counters,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, CacheState> {
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn revision(&self) -> Revision {
        self.revision.load(Ordering::Acquire)
    }

    fn failure(&self) -> Option<ClientError> {
        self.lock().failure.clone()
    }

    fn decoding(&self) -> bool {
        self.decoding.load(Ordering::Relaxed)
    }

    /// Runs `f` on the state under the lock (registering a subscriber), then publishes
    /// whether some subscriber reads decoded objects.
    fn subscribing<R>(&self, f: impl FnOnce(&mut CacheState) -> R) -> R {
        let mut state = self.lock();
        let result = f(&mut state);
        self.decoding.store(state.decoding > 0, Ordering::Relaxed);
        result
    }

    fn apply(&self, revision: Revision, changes: Vec<(Bytes, Option<Arc<CachedObject>>)>) {
        let mut state = self.lock();
        for (key, current) in changes {
            state.apply(revision, key, current);
        }
        state.revision = revision;
        self.revision.store(revision, Ordering::Release);
        self.decoding.store(state.decoding > 0, Ordering::Relaxed);
    }

    fn reset(&self, revision: Revision, objects: Vec<KeyValue>) {
        let mut state = self.lock();
        state.reset(revision, objects);
        self.revision.store(revision, Ordering::Release);
        self.decoding.store(false, Ordering::Relaxed);
    }

    fn fail(&self, failure: ClientError) {
        self.lock().fail(failure);
    }
}

/// Stops the task and ends the watchers' streams when the last handle goes.
struct Inner {
    shared: Arc<Shared>,
    kv: Arc<dyn KvStore>,
    resource: ApiResource,
    task: JoinHandle<()>,
}

impl Drop for Inner {
    fn drop(&mut self) {
        self.task.abort();
        self.shared
            .fail(ClientError::unavailable("the watch cache was stopped"));
    }
}

/// The watch cache of one kind; cheap to clone.
///
/// A [`WatchCache`] holds, for one kind (all namespaces):
///
/// - the current objects, each decoded once and shared (`Arc`), which serve lists with
///   resourceVersion `"0"`;
/// - a window of the most recent changes (a ring of [`WatchCacheConfig::window`]
///   events). A watch starting at a resourceVersion inside the window replays from it
///   and follows live changes; one starting below gets `Gone` (re-list);
/// - the subscribers, each with a bounded queue
///   ([`WatchCacheConfig::subscriber_queue`]). Changes are filtered per subscriber as
///   they are published. A subscriber whose queue is full is cut off: its stream ends
///   with `Gone` after what it had queued, and nobody else waits for it.
///
/// A background task follows the storage watch. When storage cuts that watch off for
/// lagging, the task resumes from the last revision it applied; when the history it
/// needs has been compacted, it re-reads everything and cuts every subscriber off.
/// Dropping the last handle of a cache stops the task and ends its watchers' streams.
///
/// Watch start points: resourceVersion `N` replays the window after `N`; `"0"`
/// starts with the cache's current objects (`Added`) at its revision; `""` starts with
/// a consistent read from storage at revision `R`, then the changes after `R`.
#[derive(Clone)]
pub struct WatchCache {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for WatchCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WatchCache")
            .field("resource", &self.inner.resource.plural)
            .field("stats", &self.stats())
            .finish()
    }
}

impl WatchCache {
    /// Reads every object of `resource` and starts following storage (a tokio task).
    pub async fn start(
        kv: Arc<dyn KvStore>,
        resource: &ApiResource,
        config: WatchCacheConfig,
    ) -> Result<Self, ClientError> {
        Self::start_at(kv, resource, config, None).await
    }

    /// Like [`start`](Self::start), but from the state at a past revision when storage
    /// still has it (else the latest), so that watches from that revision on can be
    /// served: the window fills with the changes since.
    pub async fn start_at(
        kv: Arc<dyn KvStore>,
        resource: &ApiResource,
        config: WatchCacheConfig,
        revision: Option<Revision>,
    ) -> Result<Self, ClientError> {
        let prefix = resource_prefix(resource);
        let (revision, objects) = match initial_values(&*kv, &prefix, revision).await {
            Err(e) if revision.is_some() && (e.is_gone() || e.code() == 504) => {
                initial_values(&*kv, &prefix, None).await?
            }
            other => other?,
        };
        let shared = Arc::new(Shared {
            state: Mutex::new(CacheState::new(
                revision,
                objects,
                config.window,
                config.subscriber_queue,
            )),
            revision: AtomicI64::new(revision),
            decoding: AtomicBool::new(false),
            stats: Counters::default(),
        });
        let task = tokio::spawn(follow::follow(
            shared.clone(),
            kv.clone(),
            Bytes::from(prefix),
            revision,
        ));
        Ok(WatchCache {
            inner: Arc::new(Inner {
                shared,
                kv,
                resource: resource.clone(),
                task,
            }),
        })
    }

    /// The kind cached.
    pub fn resource(&self) -> &ApiResource {
        &self.inner.resource
    }

    /// The cache's counters and sizes.
    pub fn stats(&self) -> CacheStats {
        let shared = &self.inner.shared;
        let state = shared.lock();
        CacheStats {
            revision: state.revision,
            window_start: state.window_start,
            window_len: state.window_len(),
            objects: state.objects.len(),
            subscribers: state.subscriber_count(),
            cut_off: state.cut_off,
            backend_restarts: shared.stats.backend_restarts.load(Ordering::Relaxed),
            relists: shared.stats.relists.load(Ordering::Relaxed),
        }
    }

    /// The cached objects in `namespace` (`None`: all) matching the selectors, at the
    /// cache's revision: a list with resourceVersion `"0"`. The limit is ignored (the
    /// whole list is in memory already), as Kubernetes does for such lists.
    pub fn list(
        &self,
        namespace: Option<&str>,
        params: &ListParams,
    ) -> Result<ObjectList<DynamicObject>, ClientError> {
        let resource = &self.inner.resource;
        let namespace = collection_namespace(resource, namespace)?;
        let prefix = Bytes::from(list_prefix(resource, namespace)?);
        let filter = ObjectFilter::for_list(None, params);
        // The states are taken under the lock, and decoded and filtered outside it.
        let (revision, states) = {
            let state = self.inner.shared.lock();
            if let Some(failure) = &state.failure {
                return Err(failure.clone());
            }
            let states: Vec<Arc<CachedObject>> = state
                .objects
                .range(prefix.clone()..)
                .take_while(|(k, _)| k.starts_with(&prefix))
                .map(|(_, o)| o.clone())
                .collect();
            (state.revision, states)
        };
        let mut items = Vec::with_capacity(states.len());
        for state in &states {
            let obj = state.object().map_err(Clone::clone)?;
            if filter.matches(obj) {
                items.push(obj.clone());
            }
        }
        Ok(ObjectList {
            metadata: ListMeta {
                resource_version: revision.to_string(),
                ..ListMeta::default()
            },
            items,
        })
    }

    /// Watches the cached kind; see [`WatchCache`] for start points.
    pub async fn watch(
        &self,
        namespace: Option<&str>,
        params: &WatchParams,
    ) -> Result<WatchStream, ClientError> {
        self.watch_as(namespace, params).await
    }

    /// Like [`watch`](Self::watch), with the objects in their encoding (see
    /// [`client::Client::watch_raw`]): nothing is decoded for such a watcher.
    pub async fn watch_raw(
        &self,
        namespace: Option<&str>,
        params: &WatchParams,
    ) -> Result<WatchStream<RawObject>, ClientError> {
        self.watch_as(namespace, params).await
    }

    async fn watch_as<T: Output>(
        &self,
        namespace: Option<&str>,
        params: &WatchParams,
    ) -> Result<WatchStream<T>, ClientError> {
        let resource = &self.inner.resource;
        let namespace = collection_namespace(resource, namespace)?;
        let prefix = list_prefix(resource, namespace)?;
        let interest = Interest::new(
            Bytes::from(prefix.clone()),
            ObjectFilter::for_watch(None, params),
        );
        let shared = self.inner.shared.clone();
        let rv = params.resource_version.as_deref().unwrap_or_default();
        let (initial, subscription, after) = match rv {
            "" => {
                let (revision, values) = initial_values(&*self.inner.kv, &prefix, None).await?;
                let initial = values
                    .into_iter()
                    .filter_map(|kv| {
                        let state = CachedObject::new(kv.value, kv.mod_revision);
                        interest.passes(&kv.key, &state).then(|| Arc::new(state))
                    })
                    .collect();
                let subscription =
                    shared.subscribing(|s| s.subscribe(interest, revision, T::DECODED))?;
                (initial, subscription, revision)
            }
            "0" => {
                let (revision, subscription) = shared
                    .subscribing(|s| (s.revision, s.subscribe_with_snapshot(interest, T::DECODED)));
                (Vec::new(), subscription?, revision)
            }
            rv => {
                let after = parse_resource_version(rv)?;
                if after > shared.revision() {
                    let current = self
                        .inner
                        .kv
                        .current_revision()
                        .await
                        .map_err(storage_error)?;
                    if after > current {
                        return Err(ClientError::timeout(format!(
                            "Too large resource version: {after}, current: {current}"
                        )));
                    }
                }
                let subscription =
                    match shared.subscribing(|s| s.subscribe(interest, after, T::DECODED)) {
                        Ok(s) => s,
                        Err(e) if e.is_gone() => {
                            return Ok(futures::stream::once(async move { Err(e) }).boxed());
                        }
                        Err(e) => return Err(e),
                    };
                (Vec::new(), subscription, after)
            }
        };
        Ok(subscriber::stream(
            shared,
            initial,
            subscription,
            after,
            params.allow_bookmarks.then(bookmark_interval),
            params.timeout.map(|t| Instant::now() + t),
        ))
    }
}
