//! Watches through the HTTP client against the real API server: order, transparent
//! resumption after the server ends a watch and after the connection drops, and
//! `Gone` when the history is compacted.

// Helpers outside `#[test]` functions unwrap too: a panic there is a test failure.
#![allow(clippy::unwrap_used)]

mod support;

use std::sync::Arc;
use std::time::Duration;

use client::{Api, Client, ListParams, Patch, PatchParams, PostParams, WatchEvent, WatchParams};
use core_types::core_v1::ConfigMap;
use core_types::{DynamicObject, StaticResource};
use futures::StreamExt as _;
use serde_json::json;
use store::{InProcessClient, MemoryStore, StoreOptions};
use support::{Cluster, config_map};

const NS: Option<&str> = Some("default");

/// Every test waits at most this long for anything (a safety net, not a delay).
const PATIENCE: Duration = Duration::from_secs(60);

async fn next(stream: &mut client::WatchStream) -> WatchEvent<DynamicObject> {
    tokio::time::timeout(PATIENCE, stream.next())
        .await
        .expect("an event in time")
        .expect("the stream goes on")
        .expect("an event, not an error")
}

fn name_of(event: &WatchEvent<DynamicObject>) -> (&'static str, String) {
    let kind = match event {
        WatchEvent::Added(_) => "Added",
        WatchEvent::Modified(_) => "Modified",
        WatchEvent::Deleted(_) => "Deleted",
        WatchEvent::Bookmark { .. } => "Bookmark",
    };
    let name = event
        .object()
        .map(|o| o.metadata.name.clone())
        .unwrap_or_default();
    (kind, name)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn events_arrive_in_order_across_server_side_watch_ends() {
    // The server ends every watch after a second; the client resumes each time.
    let store = Arc::new(InProcessClient::new(Arc::new(MemoryStore::new())));
    let cluster = Cluster::start_with(store, Duration::from_secs(1)).await;
    let client = cluster.client();
    let cms = ConfigMap::resource();
    let list = client.list(cms, NS, &ListParams::default()).await.unwrap();
    let mut events = client
        .watch(
            cms,
            NS,
            &WatchParams::default().resource_version(list.resource_version()),
        )
        .await
        .unwrap();
    // Write and read one change at a time until the client has resumed twice: every
    // change arrives once, in order, whichever request carried it.
    let mut written = 0;
    let started = std::time::Instant::now();
    while client.stats().watch_resumes < 2 {
        assert!(
            started.elapsed() < PATIENCE,
            "no resumption in time: {:?}",
            client.stats()
        );
        let name = format!("cm-{written}");
        let stored = cluster
            .store
            .create(cms, NS, config_map(&name, &[]), &PostParams::default())
            .await
            .unwrap();
        match next(&mut events).await {
            WatchEvent::Added(o) => {
                assert_eq!(o.metadata.name, name);
                assert_eq!(
                    o.metadata.resource_version,
                    stored.metadata.resource_version
                );
            }
            other => panic!("expected Added {name}, got {other:?}"),
        }
        written += 1;
    }
    // After the resumptions: a modification and a deletion, in order, and nothing
    // repeated in between.
    cluster
        .store
        .patch(
            cms,
            NS,
            "cm-0",
            &Patch::Merge(json!({"data": {"k": "v"}})),
            &PatchParams::default(),
        )
        .await
        .unwrap();
    cluster
        .store
        .delete(cms, NS, "cm-1", &client::DeleteParams::default())
        .await
        .unwrap();
    assert_eq!(
        name_of(&next(&mut events).await),
        ("Modified", "cm-0".into())
    );
    assert_eq!(
        name_of(&next(&mut events).await),
        ("Deleted", "cm-1".into())
    );
    assert!(written >= 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn typed_watches_decode_the_objects_as_sent_and_resume_too() {
    // A typed watch reads the objects as sent (`watch_raw`); it resumes from their
    // resourceVersions as the decoded watch does.
    let store = Arc::new(InProcessClient::new(Arc::new(MemoryStore::new())));
    let cluster = Cluster::start_with(store, Duration::from_secs(1)).await;
    let client = cluster.client();
    let cms = ConfigMap::resource();
    let api = Api::<ConfigMap>::namespaced(Arc::new(client.clone()), "default");
    let list = api.list(&ListParams::default()).await.unwrap();
    let mut events = api
        .watch(&WatchParams::default().resource_version(list.resource_version()))
        .await
        .unwrap();
    let mut written = 0;
    let started = std::time::Instant::now();
    while client.stats().watch_resumes < 1 || written < 3 {
        assert!(started.elapsed() < PATIENCE, "no resumption in time");
        let name = format!("cm-{written}");
        let stored = cluster
            .store
            .create(
                cms,
                NS,
                config_map(&name, &[("k", "v")]),
                &PostParams::default(),
            )
            .await
            .unwrap();
        let event = tokio::time::timeout(PATIENCE, events.next())
            .await
            .expect("an event in time")
            .expect("the stream goes on")
            .expect("an event, not an error");
        match event {
            WatchEvent::Added(cm) => {
                assert_eq!(cm.metadata.name, name);
                assert_eq!(
                    cm.metadata.resource_version,
                    stored.metadata.resource_version
                );
                assert_eq!(cm.data.get("k").map(String::as_str), Some("v"));
            }
            other => panic!("expected Added {name}, got {other:?}"),
        }
        written += 1;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_watch_resumes_after_the_connection_drops() {
    let mut cluster = Cluster::start().await;
    let client = cluster.client();
    let cms = ConfigMap::resource();
    let list = client.list(cms, NS, &ListParams::default()).await.unwrap();
    let mut events = client
        .watch(
            cms,
            NS,
            &WatchParams::default()
                .resource_version(list.resource_version())
                .bookmarks(),
        )
        .await
        .unwrap();
    client
        .create(cms, NS, config_map("a", &[]), &PostParams::default())
        .await
        .unwrap();
    let first = loop {
        match next(&mut events).await {
            WatchEvent::Bookmark { .. } => continue,
            event => break event,
        }
    };
    assert_eq!(name_of(&first), ("Added", "a".into()));

    // The server goes away (the watch connection drops); changes happen meanwhile.
    cluster.stop().await;
    let store = cluster.store.clone();
    store
        .create(cms, NS, config_map("b", &[]), &PostParams::default())
        .await
        .unwrap();
    store
        .patch(
            cms,
            NS,
            "a",
            &Patch::Merge(json!({"data": {"x": "1"}})),
            &PatchParams::default(),
        )
        .await
        .unwrap();
    store
        .delete(cms, NS, "b", &client::DeleteParams::default())
        .await
        .unwrap();
    cluster.restart().await;

    let mut seen = Vec::new();
    while seen.len() < 3 {
        match next(&mut events).await {
            WatchEvent::Bookmark { .. } => {}
            event => seen.push(name_of(&event)),
        }
    }
    assert_eq!(
        seen,
        [
            ("Added", "b".to_owned()),
            ("Modified", "a".to_owned()),
            ("Deleted", "b".to_owned())
        ]
    );
    assert!(client.stats().watch_resumes >= 1, "{:?}", client.stats());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_compacted_resource_version_is_gone() {
    let kv = MemoryStore::with_options(StoreOptions::default().retain_revisions(Some(1)));
    let store = Arc::new(InProcessClient::with_watch_cache(
        Arc::new(kv),
        store::WatchCacheConfig::default().window(1),
    ));
    let cluster = Cluster::start_with(store, Duration::from_secs(60)).await;
    let client = cluster.client();
    let cms = ConfigMap::resource();
    let first = client
        .create(cms, NS, config_map("c0", &[]), &PostParams::default())
        .await
        .unwrap();
    // Start the watch cache, then move well past the first version.
    let mut warm = client
        .watch(cms, NS, &WatchParams::default())
        .await
        .unwrap();
    assert_eq!(name_of(&next(&mut warm).await), ("Added", "c0".into()));
    for i in 1..6 {
        client
            .create(
                cms,
                NS,
                config_map(&format!("c{i}"), &[]),
                &PostParams::default(),
            )
            .await
            .unwrap();
    }
    let mut stale = client
        .watch(
            cms,
            NS,
            &WatchParams::default().resource_version(first.metadata.resource_version.clone()),
        )
        .await
        .unwrap();
    let item = tokio::time::timeout(PATIENCE, stale.next()).await.unwrap();
    match item {
        Some(Err(e)) => assert!(e.is_gone(), "{e:?}"),
        other => panic!("expected Gone, got {other:?}"),
    }
    assert!(
        tokio::time::timeout(PATIENCE, stale.next())
            .await
            .unwrap()
            .is_none()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_watch_ends_at_its_own_timeout_and_passes_bookmarks_when_asked() {
    let cluster = Cluster::start().await;
    let client = cluster.client();
    let cms = ConfigMap::resource();
    let list = client.list(cms, NS, &ListParams::default()).await.unwrap();
    let params = WatchParams::default()
        .resource_version(list.resource_version())
        .bookmarks()
        .timeout(Duration::from_secs(2));
    let mut events = client.watch(cms, NS, &params).await.unwrap();
    let mut bookmarks = 0;
    while let Some(item) = tokio::time::timeout(PATIENCE, events.next()).await.unwrap() {
        match item.unwrap() {
            WatchEvent::Bookmark { resource_version } => {
                assert!(!resource_version.is_empty());
                bookmarks += 1;
            }
            other => panic!("nothing changed, yet {other:?}"),
        }
    }
    // The server sends a bookmark every second.
    assert!(bookmarks >= 1, "{bookmarks}");
}
