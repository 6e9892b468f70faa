//! Shared test fixtures: an in-process client over the memory store, and a client
//! wrapper whose watches and lists can be broken on demand.

#![allow(dead_code, unreachable_pub, clippy::unwrap_used)]

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use async_trait::async_trait;
use client::{
    Client, ClientError, DeleteOutcome, DeleteParams, ListParams, ObjectList, Patch, PatchParams,
    PostParams, WatchParams, WatchStream,
};
use core_types::core_v1::ConfigMap;
use core_types::{ApiResource, DynamicObject, ObjectMeta};
use futures::StreamExt;
use store::{InProcessClient, KvStore, MemoryStore, StoreOptions};
use tokio::sync::{Notify, watch};

/// A client over a fresh memory store.
pub fn memory_client() -> Arc<dyn Client> {
    Arc::new(InProcessClient::new(Arc::new(MemoryStore::new())))
}

/// A config map with one data entry.
pub fn config_map(namespace: &str, name: &str, value: &str) -> ConfigMap {
    let mut cm = ConfigMap {
        metadata: ObjectMeta::named(namespace, name),
        ..ConfigMap::default()
    };
    cm.data.insert("value".into(), value.into());
    cm
}

/// How a broken watch ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Break {
    /// The stream just ends (a timeout, a server going away).
    End,
    /// The stream yields an error item, then ends.
    Error,
}

/// A [`Client`] over an [`InProcessClient`] without watch cache (so compaction of the
/// memory store reaches watchers as `Gone`), whose watches can be cut, held back and
/// failed, and whose lists can be failed.
#[derive(Clone)]
pub struct FlakyClient {
    inner: InProcessClient,
    kv: Arc<MemoryStore>,
    /// Bumped to cut every open watch; the value says how.
    cut: Arc<watch::Sender<(u64, Break)>>,
    /// While true, new watches wait before starting.
    held: Arc<AtomicBool>,
    release: Arc<Notify>,
    failing_lists: Arc<AtomicUsize>,
    failing_watches: Arc<AtomicUsize>,
}

impl FlakyClient {
    /// Over a memory store keeping about `retain` revisions of history.
    pub fn new(retain: u64) -> Self {
        let kv = Arc::new(MemoryStore::with_options(
            StoreOptions::default().retain_revisions(Some(retain)),
        ));
        FlakyClient {
            inner: InProcessClient::uncached(kv.clone()),
            kv,
            cut: Arc::new(watch::Sender::new((0, Break::End))),
            held: Arc::default(),
            release: Arc::default(),
            failing_lists: Arc::default(),
            failing_watches: Arc::default(),
        }
    }

    /// The store underneath.
    pub fn kv(&self) -> &Arc<MemoryStore> {
        &self.kv
    }

    /// Ends every open watch.
    pub fn cut_watches(&self, how: Break) {
        self.cut.send_modify(|(generation, kind)| {
            *generation += 1;
            *kind = how;
        });
    }

    /// New watches wait until [`release_watches`](Self::release_watches).
    pub fn hold_watches(&self) {
        self.held.store(true, Ordering::SeqCst);
    }

    /// Lets held watches start.
    pub fn release_watches(&self) {
        self.held.store(false, Ordering::SeqCst);
        self.release.notify_waiters();
    }

    /// The next `n` lists fail.
    pub fn fail_lists(&self, n: usize) {
        self.failing_lists.store(n, Ordering::SeqCst);
    }

    /// The next `n` watch calls fail.
    pub fn fail_watches(&self, n: usize) {
        self.failing_watches.store(n, Ordering::SeqCst);
    }

    /// A client over the same store that never fails (for the test's own reads).
    pub fn direct(&self) -> Arc<dyn Client> {
        Arc::new(self.inner.clone())
    }

    /// The current revision of the store.
    pub async fn revision(&self) -> i64 {
        self.kv.current_revision().await.unwrap()
    }
}

fn take_one(counter: &AtomicUsize) -> bool {
    counter
        .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
        .is_ok()
}

#[async_trait]
impl Client for FlakyClient {
    async fn get(
        &self,
        resource: &ApiResource,
        namespace: Option<&str>,
        name: &str,
    ) -> Result<DynamicObject, ClientError> {
        self.inner.get(resource, namespace, name).await
    }

    async fn list(
        &self,
        resource: &ApiResource,
        namespace: Option<&str>,
        params: &ListParams,
    ) -> Result<ObjectList<DynamicObject>, ClientError> {
        if take_one(&self.failing_lists) {
            return Err(ClientError::unavailable("list failed (test)"));
        }
        self.inner.list(resource, namespace, params).await
    }

    async fn create(
        &self,
        resource: &ApiResource,
        namespace: Option<&str>,
        object: DynamicObject,
        params: &PostParams,
    ) -> Result<DynamicObject, ClientError> {
        self.inner.create(resource, namespace, object, params).await
    }

    async fn replace(
        &self,
        resource: &ApiResource,
        namespace: Option<&str>,
        name: &str,
        object: DynamicObject,
        params: &PostParams,
    ) -> Result<DynamicObject, ClientError> {
        self.inner
            .replace(resource, namespace, name, object, params)
            .await
    }

    async fn replace_status(
        &self,
        resource: &ApiResource,
        namespace: Option<&str>,
        name: &str,
        object: DynamicObject,
        params: &PostParams,
    ) -> Result<DynamicObject, ClientError> {
        self.inner
            .replace_status(resource, namespace, name, object, params)
            .await
    }

    async fn patch(
        &self,
        resource: &ApiResource,
        namespace: Option<&str>,
        name: &str,
        patch: &Patch,
        params: &PatchParams,
    ) -> Result<DynamicObject, ClientError> {
        self.inner
            .patch(resource, namespace, name, patch, params)
            .await
    }

    async fn patch_status(
        &self,
        resource: &ApiResource,
        namespace: Option<&str>,
        name: &str,
        patch: &Patch,
        params: &PatchParams,
    ) -> Result<DynamicObject, ClientError> {
        self.inner
            .patch_status(resource, namespace, name, patch, params)
            .await
    }

    async fn delete(
        &self,
        resource: &ApiResource,
        namespace: Option<&str>,
        name: &str,
        params: &DeleteParams,
    ) -> Result<DeleteOutcome<DynamicObject>, ClientError> {
        self.inner.delete(resource, namespace, name, params).await
    }

    async fn delete_collection(
        &self,
        resource: &ApiResource,
        namespace: Option<&str>,
        list: &ListParams,
        params: &DeleteParams,
    ) -> Result<ObjectList<DynamicObject>, ClientError> {
        self.inner
            .delete_collection(resource, namespace, list, params)
            .await
    }

    async fn watch(
        &self,
        resource: &ApiResource,
        namespace: Option<&str>,
        params: &WatchParams,
    ) -> Result<WatchStream, ClientError> {
        while self.held.load(Ordering::SeqCst) {
            let released = self.release.notified();
            if !self.held.load(Ordering::SeqCst) {
                break;
            }
            released.await;
        }
        if take_one(&self.failing_watches) {
            return Err(ClientError::unavailable("watch failed (test)"));
        }
        let stream = self.inner.watch(resource, namespace, params).await?;
        let mut cut = self.cut.subscribe();
        cut.mark_unchanged();
        // Ends (or fails) the stream at the next cut.
        let stop = futures::stream::once(async move {
            let _ = cut.changed().await;
            cut.borrow().1
        })
        .flat_map(|how| match how {
            Break::End => futures::stream::empty().boxed(),
            Break::Error => {
                futures::stream::iter([Err(ClientError::unavailable("watch cut (test)"))]).boxed()
            }
        });
        // Items of the stream until the cut; the cut's item (if any) then ends it.
        let merged = futures::stream::select(
            stream.map(Some).chain(futures::stream::iter([None])),
            stop.map(Some).chain(futures::stream::iter([None])),
        )
        .take_while(|item| std::future::ready(item.is_some()))
        .filter_map(std::future::ready);
        Ok(merged.boxed())
    }

    async fn bind(&self, namespace: &str, pod: &str, node: &str) -> Result<(), ClientError> {
        self.inner.bind(namespace, pod, node).await
    }
}
