//! The in-process [`Client`]: the object layer plus a watch cache per kind.

mod client_impl;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use client::ClientError;
use core_types::ApiResource;
use tokio::sync::OnceCell;

use crate::kv::{KvStore, Revision};
use crate::object::{ObjectStore, resource_prefix};
use crate::watch_cache::{WatchCache, WatchCacheConfig};

/// A [`Client`](client::Client) that runs in the same process as the store: what an
/// embedded control plane hands its controllers, scheduler and node agents.
///
/// Reads and writes go to the [`ObjectStore`]; watches, and lists with
/// resourceVersion `"0"`, are served by a [`WatchCache`] per kind, started on first
/// use (unless built [`uncached`](Self::uncached)). Cheap to clone; clones share the
/// caches. Needs a tokio runtime (the caches' tasks).
///
/// ```
/// use std::sync::Arc;
/// use client::{Api, Client, PostParams};
/// use core_types::core_v1::ConfigMap;
/// use store::{InProcessClient, MemoryStore};
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), client::ClientError> {
/// let client: Arc<dyn Client> = Arc::new(InProcessClient::new(Arc::new(MemoryStore::new())));
/// let config_maps = Api::<ConfigMap>::namespaced(client, "default");
/// let mut cm = ConfigMap::default();
/// cm.metadata.name = "settings".into();
/// let created = config_maps.create(&PostParams::default(), &cm).await?;
/// assert!(!created.metadata.uid.is_empty());
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct InProcessClient {
    inner: Arc<Inner>,
}

struct Inner {
    objects: ObjectStore,
    config: Option<WatchCacheConfig>,
    /// One cache per resource prefix, started on first use.
    caches: Mutex<HashMap<String, Arc<OnceCell<WatchCache>>>>,
}

impl std::fmt::Debug for InProcessClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("InProcessClient")
            .field("watch_cache", &self.inner.config)
            .finish_non_exhaustive()
    }
}

impl InProcessClient {
    /// A client over `kv` with watch caches of the default size.
    pub fn new(kv: Arc<dyn KvStore>) -> Self {
        Self::build(kv, Some(WatchCacheConfig::default()))
    }

    /// A client over `kv` with watch caches of the given size.
    pub fn with_watch_cache(kv: Arc<dyn KvStore>, config: WatchCacheConfig) -> Self {
        Self::build(kv, Some(config))
    }

    /// A client over `kv` without caches: every watch is a storage watch.
    pub fn uncached(kv: Arc<dyn KvStore>) -> Self {
        Self::build(kv, None)
    }

    fn build(kv: Arc<dyn KvStore>, config: Option<WatchCacheConfig>) -> Self {
        InProcessClient {
            inner: Arc::new(Inner {
                objects: ObjectStore::new(kv),
                config,
                caches: Mutex::new(HashMap::new()),
            }),
        }
    }

    /// The object layer underneath.
    pub fn objects(&self) -> &ObjectStore {
        &self.inner.objects
    }

    /// The watch cache of `resource`, started if it is not yet; `None` for a client
    /// without caches.
    pub async fn watch_cache(
        &self,
        resource: &ApiResource,
    ) -> Result<Option<WatchCache>, ClientError> {
        self.watch_cache_from(resource, None).await
    }

    /// Like [`watch_cache`](Self::watch_cache); a cache started now starts from the
    /// state at `revision` if storage still has it, so that a watch from there (the
    /// usual list-then-watch) can be served.
    pub(crate) async fn watch_cache_from(
        &self,
        resource: &ApiResource,
        revision: Option<Revision>,
    ) -> Result<Option<WatchCache>, ClientError> {
        let Some(config) = &self.inner.config else {
            return Ok(None);
        };
        let cell = {
            let mut caches = self
                .inner
                .caches
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            caches.entry(resource_prefix(resource)).or_default().clone()
        };
        let kv = self.inner.objects.kv().clone();
        let cache = cell
            .get_or_try_init(|| WatchCache::start_at(kv, resource, config.clone(), revision))
            .await?;
        Ok(Some(cache.clone()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{CacheStats, ObjectStore, WatchCache};

    fn send_sync<T: Send + Sync>() {}
    fn send<T: Send>() {}

    #[test]
    fn public_types_cross_threads() {
        send_sync::<InProcessClient>();
        send_sync::<ObjectStore>();
        send_sync::<WatchCache>();
        send_sync::<CacheStats>();
        send::<client::WatchStream>();
    }
}
