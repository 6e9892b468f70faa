//! Helpers of the watch cache tests: objects to write, a store whose first watch is
//! cut off on command, and waiting for the cache to catch up.

#![allow(dead_code, unreachable_pub, clippy::unwrap_used)]

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::time::Duration;

use async_trait::async_trait;
use bytes::Bytes;
use client::{ClientError, WatchEvent, WatchStream};
use core_types::DynamicObject;
use core_types::core_v1::ConfigMap;
use core_types::{ApiResource, StaticResource};
use futures::StreamExt;
use serde_json::json;
use store::{
    KvError, KvStore, KvStoreExt, LeaseId, MemoryStore, RangeRequest, RangeResponse, Revision, Txn,
    TxnResponse, WatchCache,
};
use tokio::sync::Notify;

/// The kind the tests cache.
pub fn config_maps() -> &'static ApiResource {
    ConfigMap::resource()
}

/// The key of config map `name` in `namespace`.
pub fn key(namespace: &str, name: &str) -> String {
    format!("/registry/core/configmaps/{namespace}/{name}")
}

/// The stored JSON of a config map (no resourceVersion: storage adds it).
pub fn value(namespace: &str, name: &str, color: &str, data: &str) -> Vec<u8> {
    serde_json::to_vec(&json!({
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": name, "namespace": namespace, "labels": {"color": color}},
        "data": {"v": data},
    }))
    .unwrap()
}

/// Writes config map `name` (create or replace); returns the revision.
pub async fn put(
    kv: &dyn KvStore,
    namespace: &str,
    name: &str,
    color: &str,
    data: &str,
) -> Revision {
    kv.put(key(namespace, name), value(namespace, name, color, data))
        .await
        .unwrap()
}

/// Waits (in tokio time) until the cache has applied `revision`.
pub async fn caught_up(cache: &WatchCache, revision: Revision) {
    for _ in 0..10_000 {
        if cache.stats().revision >= revision {
            return;
        }
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    panic!(
        "the cache did not reach revision {revision}: {:?}",
        cache.stats()
    );
}

/// `(type, name, resourceVersion, data.v)` of an event.
pub fn describe(event: &WatchEvent<DynamicObject>) -> (String, String, String, String) {
    let (kind, obj) = match event {
        WatchEvent::Added(o) => ("Added", o),
        WatchEvent::Modified(o) => ("Modified", o),
        WatchEvent::Deleted(o) => ("Deleted", o),
        WatchEvent::Bookmark { resource_version } => {
            return (
                "Bookmark".into(),
                String::new(),
                resource_version.clone(),
                String::new(),
            );
        }
    };
    let data = obj
        .data
        .get("data")
        .and_then(|d| d["v"].as_str())
        .unwrap_or_default();
    (
        kind.into(),
        obj.metadata.name.clone(),
        obj.metadata.resource_version.clone(),
        data.into(),
    )
}

/// Reads `count` events (no bookmarks asked), failing on errors, the end, or a stall.
pub async fn take(stream: &mut WatchStream, count: usize) -> Vec<(String, String, String, String)> {
    let mut events = Vec::with_capacity(count);
    while events.len() < count {
        match tokio::time::timeout(Duration::from_secs(30), stream.next()).await {
            Ok(Some(Ok(event))) => events.push(describe(&event)),
            Ok(Some(Err(e))) => panic!("watch error after {} events: {e}", events.len()),
            Ok(None) => panic!("watch ended after {} events", events.len()),
            Err(_) => panic!("watch stalled after {} events", events.len()),
        }
    }
    events
}

/// Reads until the stream ends; returns the events and the final error, if any.
pub async fn drain(stream: &mut WatchStream) -> (usize, Option<ClientError>) {
    let mut events = 0;
    loop {
        match tokio::time::timeout(Duration::from_secs(30), stream.next()).await {
            Ok(Some(Ok(_))) => events += 1,
            Ok(Some(Err(e))) => {
                assert!(
                    stream.next().await.is_none(),
                    "the stream ends after an error"
                );
                return (events, Some(e));
            }
            Ok(None) => return (events, None),
            Err(_) => panic!("watch stalled after {events} events"),
        }
    }
}

/// A [`MemoryStore`] whose first watch delivers `pass` batches, then waits for
/// [`GatedStore::release`] and ends with `WatchLagged` (as a store cutting off a slow
/// watcher does). Later watches are the store's own.
pub struct GatedStore {
    inner: MemoryStore,
    pass: usize,
    gate: Arc<Notify>,
    used: AtomicBool,
}

impl GatedStore {
    pub fn new(pass: usize) -> Self {
        GatedStore {
            inner: MemoryStore::new(),
            pass,
            gate: Arc::new(Notify::new()),
            used: AtomicBool::new(false),
        }
    }

    /// Lets the first watch end with `WatchLagged`.
    pub fn release(&self) {
        self.gate.notify_one();
    }
}

#[async_trait]
impl KvStore for GatedStore {
    async fn get(&self, key: &[u8]) -> Result<Option<store::KeyValue>, KvError> {
        self.inner.get(key).await
    }

    async fn range(&self, request: RangeRequest) -> Result<RangeResponse, KvError> {
        self.inner.range(request).await
    }

    async fn txn(&self, txn: Txn) -> Result<TxnResponse, KvError> {
        self.inner.txn(txn).await
    }

    async fn watch(&self, prefix: Bytes, after: Revision) -> Result<store::WatchStream, KvError> {
        let stream = self.inner.watch(prefix, after).await?;
        if self.used.swap(true, Ordering::SeqCst) {
            return Ok(stream);
        }
        let gate = self.gate.clone();
        let last = Arc::new(AtomicI64::new(after));
        let seen = last.clone();
        let head = stream.take(self.pass).inspect(move |item| {
            if let Some(event) = item.as_ref().ok().and_then(|batch| batch.first()) {
                seen.store(event.revision(), Ordering::SeqCst);
            }
        });
        let tail = futures::stream::once(async move {
            gate.notified().await;
            Err(KvError::WatchLagged {
                resume_from: last.load(Ordering::SeqCst),
            })
        });
        Ok(head.chain(tail).boxed())
    }

    async fn compact(&self, revision: Revision) -> Result<(), KvError> {
        self.inner.compact(revision).await
    }

    async fn current_revision(&self) -> Result<Revision, KvError> {
        self.inner.current_revision().await
    }

    async fn compacted_revision(&self) -> Result<Revision, KvError> {
        self.inner.compacted_revision().await
    }

    async fn lease_grant(&self, ttl: Duration) -> Result<LeaseId, KvError> {
        self.inner.lease_grant(ttl).await
    }

    async fn lease_keep_alive(&self, lease: LeaseId) -> Result<Duration, KvError> {
        self.inner.lease_keep_alive(lease).await
    }

    async fn lease_revoke(&self, lease: LeaseId) -> Result<Revision, KvError> {
        self.inner.lease_revoke(lease).await
    }
}
