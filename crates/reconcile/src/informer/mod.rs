//! Informers: a kind listed and watched into a local indexed cache.

mod cache;
mod index;
mod reflector;
mod shared;

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use client::Api;
use core_types::Resource;
use core_types::selector::{FieldSelector, Selector};
use tokio::task::JoinHandle;

pub use self::cache::{Change, Store, Subscription, Writer};
pub use self::index::{
    IndexFn, NAMESPACE_INDEX, OWNER_INDEX, label_index, namespace_index, owner_index,
};
pub use self::reflector::InformerStats;
pub use self::shared::Informers;

/// Settings of an [`Informer`].
///
/// ```
/// use std::sync::Arc;
/// use std::time::Duration;
/// use core_types::core_v1::Pod;
/// use reconcile::{InformerConfig, NAMESPACE_INDEX, namespace_index};
///
/// let config = InformerConfig::<Pod>::default()
///     .labels("app=web".parse()?)
///     .index(NAMESPACE_INDEX, namespace_index::<Pod>)
///     .page_size(1_000)
///     .backoff(Duration::from_millis(200), Duration::from_secs(10));
/// # let _ = config;
/// # Ok::<(), core_types::Error>(())
/// ```
pub struct InformerConfig<K> {
    labels: Option<Selector>,
    fields: Option<FieldSelector>,
    page_size: u32,
    backoff_initial: Duration,
    backoff_max: Duration,
    watch_timeout: Option<Duration>,
    indexes: Vec<(String, IndexFn<K>)>,
}

impl<K> Default for InformerConfig<K> {
    fn default() -> Self {
        InformerConfig {
            labels: None,
            fields: None,
            page_size: 500,
            backoff_initial: Duration::from_millis(500),
            backoff_max: Duration::from_secs(30),
            watch_timeout: None,
            indexes: Vec::new(),
        }
    }
}

impl<K> fmt::Debug for InformerConfig<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("InformerConfig")
            .field("labels", &self.labels)
            .field("fields", &self.fields)
            .field("page_size", &self.page_size)
            .field("backoff_initial", &self.backoff_initial)
            .field("backoff_max", &self.backoff_max)
            .field("watch_timeout", &self.watch_timeout)
            .field(
                "indexes",
                &self.indexes.iter().map(|(n, _)| n).collect::<Vec<_>>(),
            )
            .finish()
    }
}

impl<K: Resource> InformerConfig<K> {
    /// Only objects whose labels match.
    #[must_use]
    pub fn labels(mut self, selector: Selector) -> Self {
        self.labels = Some(selector);
        self
    }

    /// Only objects whose fields match.
    #[must_use]
    pub fn fields(mut self, selector: FieldSelector) -> Self {
        self.fields = Some(selector);
        self
    }

    /// Objects per page of a re-list (default 500; 0: one page). The first list
    /// accepts any recent state (resourceVersion 0), which a server serves from its
    /// cache in one piece.
    #[must_use]
    pub fn page_size(mut self, objects: u32) -> Self {
        self.page_size = objects;
        self
    }

    /// Backoff after a failed list or watch: from `initial`, doubling up to `max`,
    /// each wait stretched by a random factor in [1, 2) (defaults 500 ms and 30 s).
    #[must_use]
    pub fn backoff(mut self, initial: Duration, max: Duration) -> Self {
        self.backoff_initial = initial;
        self.backoff_max = max.max(initial);
        self
    }

    /// Ask the server to end each watch after about this long (stretched by a random
    /// factor in [1, 2)), after which the informer watches again from where it was.
    /// Default: none.
    #[must_use]
    pub fn watch_timeout(mut self, timeout: Duration) -> Self {
        self.watch_timeout = Some(timeout);
        self
    }

    /// Keeps the index `name`, computed by `func`, up to date in the cache.
    #[must_use]
    pub fn index(
        mut self,
        name: impl Into<String>,
        func: impl Fn(&K) -> Vec<String> + Send + Sync + 'static,
    ) -> Self {
        self.indexes.push((name.into(), Arc::new(func)));
        self
    }
}

/// A kind listed and watched into a local cache: the source of a controller's
/// objects.
///
/// The informer lists the kind (the first list accepting any recent state, later ones
/// reading the latest, page by page), then watches from the list's resourceVersion,
/// applying each event to its cache ([`Store`]). When the watch's history is gone
/// (`410 Gone`, after compaction or when the watcher fell behind) it re-lists at once;
/// when a list or watch fails it backs off (exponential, jittered) and re-lists. A
/// re-list tells handlers only what changed, including deletions missed meanwhile, so
/// after any failure the cache converges to the server's state.
///
/// Cheap to clone; the list-and-watch task runs until the last clone is dropped.
/// Share one informer per kind among all controllers of a process with
/// [`Informers`]. Needs a tokio runtime.
pub struct Informer<K: Resource> {
    store: Store<K>,
    inner: Arc<Inner<K>>,
}

struct Inner<K: Resource> {
    api: Api<K>,
    stats: Arc<reflector::Stats>,
    task: JoinHandle<()>,
}

impl<K: Resource> Drop for Inner<K> {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl<K: Resource> Clone for Informer<K> {
    fn clone(&self) -> Self {
        Informer {
            store: self.store.clone(),
            inner: self.inner.clone(),
        }
    }
}

impl<K: Resource> fmt::Debug for Informer<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Informer")
            .field("api", &self.inner.api)
            .field("store", &self.store)
            .finish()
    }
}

impl<K: Resource> Informer<K> {
    /// Starts an informer over `api` (its namespace, or all) with default settings.
    pub fn new(api: Api<K>) -> Self {
        Self::with_config(api, InformerConfig::default())
    }

    /// Starts an informer over `api` with `config`.
    pub fn with_config(api: Api<K>, mut config: InformerConfig<K>) -> Self {
        let writer = Writer::new();
        for (name, func) in std::mem::take(&mut config.indexes) {
            writer.add_index(name, func);
        }
        let store = writer.store();
        let stats = Arc::new(reflector::Stats::default());
        let task = tokio::spawn(reflector::run(
            api.clone(),
            Arc::new(config),
            writer,
            stats.clone(),
        ));
        Informer {
            store,
            inner: Arc::new(Inner { api, stats, task }),
        }
    }

    /// The cache.
    pub fn store(&self) -> &Store<K> {
        &self.store
    }

    /// The API handle the informer lists and watches through.
    pub fn api(&self) -> &Api<K> {
        &self.inner.api
    }

    /// Waits until the cache has been filled from a first complete list.
    pub async fn wait_until_synced(&self) {
        self.store.wait_until_synced().await;
    }

    /// Calls `handler` for every change; see [`Store::subscribe`].
    pub fn subscribe(&self, handler: impl Fn(&Change<K>) + Send + Sync + 'static) -> Subscription {
        self.store.subscribe(handler)
    }

    /// Adds (or replaces) the index `name`, computed by `func`, filled from the
    /// objects present and kept up to date from now on.
    pub fn add_index(
        &self,
        name: impl Into<String>,
        func: impl Fn(&K) -> Vec<String> + Send + Sync + 'static,
    ) {
        self.store.add_index(name.into(), Arc::new(func));
    }

    /// List and watch counters.
    pub fn stats(&self) -> InformerStats {
        self.inner.stats.snapshot()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn send_sync<T: Send + Sync>() {}

    #[test]
    fn handles_cross_threads() {
        use core_types::DynamicObject;
        use core_types::core_v1::Pod;
        send_sync::<Informer<Pod>>();
        send_sync::<Store<DynamicObject>>();
        send_sync::<Writer<Pod>>();
        send_sync::<Informers>();
        send_sync::<Subscription>();
    }
}
