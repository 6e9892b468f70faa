//! The watch cache: fan-out, slow subscribers, the window, the storage watch's
//! restarts, and its use by the in-process client.

mod cache_support;

use std::sync::Arc;
use std::time::Duration;

use cache_support::{GatedStore, caught_up, config_maps, drain, key, put, take};
use client::{Api, Client, ListParams, WatchEvent, WatchParams};
use core_types::core_v1::ConfigMap;
use futures::StreamExt as _;
use store::{InProcessClient, KvStore, KvStoreExt, MemoryStore, WatchCache, WatchCacheConfig};

fn watch_after(revision: i64) -> WatchParams {
    WatchParams::default().resource_version(revision.to_string())
}

fn event(kind: &str, name: &str, revision: i64, data: &str) -> (String, String, String, String) {
    (kind.into(), name.into(), revision.to_string(), data.into())
}

#[tokio::test]
async fn a_thousand_subscribers_receive_every_change_in_order() {
    const SUBSCRIBERS: usize = 1_000;
    const CHANGES: usize = 200;
    let kv: Arc<dyn KvStore> = Arc::new(MemoryStore::new());
    let start = put(&*kv, "ns", "seed", "red", "0").await;
    let cache = WatchCache::start(kv.clone(), config_maps(), WatchCacheConfig::default())
        .await
        .unwrap();
    let mut readers = Vec::with_capacity(SUBSCRIBERS);
    for _ in 0..SUBSCRIBERS {
        let mut stream = cache.watch(None, &watch_after(start)).await.unwrap();
        readers.push(tokio::spawn(
            async move { take(&mut stream, CHANGES + 1).await },
        ));
    }
    assert_eq!(cache.stats().subscribers, SUBSCRIBERS);

    let mut expected = Vec::with_capacity(CHANGES + 1);
    for i in 0..CHANGES {
        let name = format!("cm-{}", i % 20);
        let revision = put(&*kv, "ns", &name, "red", &i.to_string()).await;
        let kind = if i < 20 { "Added" } else { "Modified" };
        expected.push(event(kind, &name, revision, &i.to_string()));
    }
    let deleted = kv.delete(key("ns", "cm-0"), None).await.unwrap();
    expected.push(event(
        "Deleted",
        "cm-0",
        deleted,
        &(CHANGES - 20).to_string(),
    ));

    for reader in readers {
        assert_eq!(reader.await.unwrap(), expected);
    }
    assert_eq!(cache.stats().cut_off, 0);
}

#[tokio::test(start_paused = true)]
async fn a_slow_subscriber_is_cut_off_and_the_others_complete() {
    const CHANGES: usize = 50;
    let kv: Arc<dyn KvStore> = Arc::new(MemoryStore::new());
    let start = put(&*kv, "ns", "seed", "red", "0").await;
    let config = WatchCacheConfig::default().subscriber_queue(8);
    let cache = WatchCache::start(kv.clone(), config_maps(), config)
        .await
        .unwrap();
    let mut slow = cache.watch(None, &watch_after(start)).await.unwrap();
    let readers: Vec<_> = (0..10)
        .map(|_| {
            let cache = cache.clone();
            tokio::spawn(async move {
                let mut stream = cache.watch(None, &watch_after(start)).await.unwrap();
                take(&mut stream, CHANGES).await
            })
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(1)).await;
    for i in 0..CHANGES {
        put(&*kv, "ns", &format!("cm-{i}"), "red", "x").await;
        // Let every task run: the fast readers keep up, the slow one does not read.
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    for reader in readers {
        assert_eq!(reader.await.unwrap().len(), CHANGES);
    }
    let (delivered, error) = drain(&mut slow).await;
    assert_eq!(delivered, 8, "what was queued is still delivered");
    let error = error.expect("the slow subscriber ends with an error");
    assert!(error.is_gone(), "{error:?}");
    assert!(error.to_string().contains("fell behind"), "{error}");
    assert_eq!(cache.stats().cut_off, 1);
}

#[tokio::test(start_paused = true)]
async fn watches_start_inside_the_window_or_get_gone() {
    let kv: Arc<dyn KvStore> = Arc::new(MemoryStore::new());
    let seed = put(&*kv, "ns", "seed", "red", "0").await;
    let cache = WatchCache::start(
        kv.clone(),
        config_maps(),
        WatchCacheConfig::default().window(10),
    )
    .await
    .unwrap();
    let mut revisions = Vec::new();
    for i in 0..30 {
        revisions.push(put(&*kv, "ns", &format!("cm-{i:02}"), "red", &i.to_string()).await);
    }
    let last = revisions[29];
    caught_up(&cache, last).await;
    let stats = cache.stats();
    assert_eq!(
        (stats.window_len, stats.window_start, stats.objects),
        (10, revisions[19], 31)
    );

    let mut inside = cache
        .watch(None, &watch_after(revisions[19]))
        .await
        .unwrap();
    let events = take(&mut inside, 10).await;
    assert_eq!(events[0], event("Added", "cm-20", revisions[20], "20"));
    assert_eq!(events[9], event("Added", "cm-29", last, "29"));
    let mut later = cache
        .watch(Some("ns"), &watch_after(revisions[25]))
        .await
        .unwrap();
    assert_eq!(take(&mut later, 4).await[0].1, "cm-26");

    for too_old in [revisions[18], seed] {
        let mut below = cache.watch(None, &watch_after(too_old)).await.unwrap();
        let (events, error) = drain(&mut below).await;
        assert_eq!(events, 0);
        assert!(error.is_some_and(|e| e.is_gone()));
    }

    // From the latest revision: only what comes next. From "0": the state first.
    let mut live = cache.watch(None, &watch_after(last)).await.unwrap();
    let mut snapshot = cache
        .watch(None, &WatchParams::default().resource_version("0"))
        .await
        .unwrap();
    let next = put(&*kv, "ns", "new", "red", "n").await;
    assert_eq!(take(&mut live, 1).await, [event("Added", "new", next, "n")]);
    let state = take(&mut snapshot, 32).await;
    // Each object at its own resourceVersion.
    assert!(state[..31].iter().all(|e| e.0 == "Added"));
    assert!(
        state[..31]
            .iter()
            .any(|e| e.1 == "cm-29" && e.2 == last.to_string())
    );
    assert!(
        state[..31]
            .iter()
            .any(|e| e.1 == "seed" && e.2 == seed.to_string())
    );
    assert_eq!(state[31], event("Added", "new", next, "n"));

    caught_up(&cache, next).await;
    let listed = cache
        .list(
            None,
            &ListParams::default().labels("color=red".parse().unwrap()),
        )
        .unwrap();
    assert_eq!(
        (listed.items.len(), listed.resource_version()),
        (32, next.to_string().as_str())
    );
    assert!(
        cache
            .list(Some("elsewhere"), &ListParams::default())
            .unwrap()
            .items
            .is_empty()
    );
}

#[tokio::test(start_paused = true)]
async fn the_storage_watch_resumes_after_lag() {
    let gated = Arc::new(GatedStore::new(2));
    let kv: Arc<dyn KvStore> = gated.clone();
    let start = put(&*kv, "ns", "seed", "red", "0").await;
    let cache = WatchCache::start(kv.clone(), config_maps(), WatchCacheConfig::default())
        .await
        .unwrap();
    let mut subscriber = cache.watch(None, &watch_after(start)).await.unwrap();
    let mut revisions = Vec::new();
    for i in 0..5 {
        revisions.push(put(&*kv, "ns", &format!("cm-{i}"), "red", &i.to_string()).await);
    }
    caught_up(&cache, revisions[1]).await;
    tokio::time::sleep(Duration::from_millis(10)).await;
    assert_eq!(cache.stats().revision, revisions[1], "held at the gate");
    gated.release();
    caught_up(&cache, revisions[4]).await;
    let stats = cache.stats();
    assert_eq!((stats.backend_restarts, stats.relists), (1, 0));
    let events = take(&mut subscriber, 5).await;
    let expected: Vec<_> = (0..5)
        .map(|i| event("Added", &format!("cm-{i}"), revisions[i], &i.to_string()))
        .collect();
    assert_eq!(
        events, expected,
        "no change lost or repeated across the restart"
    );
}

#[tokio::test(start_paused = true)]
async fn compacted_history_makes_the_cache_relist() {
    let gated = Arc::new(GatedStore::new(1));
    let kv: Arc<dyn KvStore> = gated.clone();
    let start = put(&*kv, "ns", "seed", "red", "0").await;
    let cache = WatchCache::start(kv.clone(), config_maps(), WatchCacheConfig::default())
        .await
        .unwrap();
    let mut subscriber = cache.watch(None, &watch_after(start)).await.unwrap();
    let a = put(&*kv, "ns", "a", "red", "a").await;
    caught_up(&cache, a).await;
    put(&*kv, "ns", "b", "red", "b").await;
    let c = put(&*kv, "ns", "c", "red", "c").await;
    kv.compact(c).await.unwrap();
    gated.release();
    caught_up(&cache, c).await;
    assert_eq!(cache.stats().relists, 1);

    assert_eq!(
        take(&mut subscriber, 1).await,
        [event("Added", "a", a, "a")]
    );
    let (events, error) = drain(&mut subscriber).await;
    assert_eq!(events, 0);
    assert!(
        error.is_some_and(|e| e.is_gone()),
        "subscribers may have missed changes: re-list"
    );

    let listed = cache.list(None, &ListParams::default()).unwrap();
    assert_eq!(listed.items.len(), 4);
    let mut fresh = cache.watch(None, &watch_after(c)).await.unwrap();
    let d = put(&*kv, "ns", "d", "blue", "d").await;
    assert_eq!(take(&mut fresh, 1).await, [event("Added", "d", d, "d")]);
}

#[tokio::test]
async fn dropping_the_cache_ends_its_watches() {
    let kv: Arc<dyn KvStore> = Arc::new(MemoryStore::new());
    let cache = WatchCache::start(kv.clone(), config_maps(), WatchCacheConfig::default())
        .await
        .unwrap();
    let mut stream = cache
        .watch(None, &WatchParams::default().resource_version("0"))
        .await
        .unwrap();
    drop(cache);
    let (events, error) = drain(&mut stream).await;
    assert_eq!(events, 0);
    assert_eq!(error.map(|e| e.code()), Some(503));
}

#[tokio::test]
async fn the_in_process_client_serves_watches_and_any_version_lists_from_the_cache() {
    let kv: Arc<dyn KvStore> = Arc::new(MemoryStore::new());
    let in_process =
        InProcessClient::with_watch_cache(kv.clone(), WatchCacheConfig::default().window(100));
    let client: Arc<dyn Client> = Arc::new(in_process.clone());
    let api = Api::<ConfigMap>::namespaced(client, "ns");
    put(&*kv, "ns", "a", "red", "1").await;
    let _watch = api.watch(&WatchParams::default()).await.unwrap();
    let _other = api
        .watch(&WatchParams::default().resource_version("0"))
        .await
        .unwrap();
    let cache = in_process
        .watch_cache(config_maps())
        .await
        .unwrap()
        .expect("a cache");
    assert_eq!(cache.stats().subscribers, 2);
    let listed = api
        .list(&ListParams::default().any_version())
        .await
        .unwrap();
    assert_eq!(listed.items.len(), 1);
    assert_eq!(
        listed.resource_version(),
        cache.stats().revision.to_string()
    );

    let uncached = InProcessClient::uncached(kv);
    assert!(uncached.watch_cache(config_maps()).await.unwrap().is_none());
}

#[tokio::test]
async fn typed_watches_decode_the_stored_encoding_and_report_what_does_not_decode() {
    let kv: Arc<dyn KvStore> = Arc::new(MemoryStore::new());
    let client: Arc<dyn Client> = Arc::new(InProcessClient::new(kv.clone()));
    let api = Api::<ConfigMap>::namespaced(client.clone(), "ns");
    let first = put(&*kv, "ns", "a", "red", "1").await;
    // From "": the current state first (a consistent read), then the changes.
    let mut typed = api.watch(&WatchParams::default()).await.unwrap();
    let mut dynamic = client
        .watch(config_maps(), Some("ns"), &WatchParams::default())
        .await
        .unwrap();
    let second = put(&*kv, "ns", "a", "red", "2").await;
    let deleted = kv.delete(key("ns", "a"), None).await.unwrap();
    kv.put(key("ns", "bad"), b"{not json".to_vec())
        .await
        .unwrap();
    let after = put(&*kv, "ns", "b", "blue", "3").await;

    let mut seen = Vec::new();
    for _ in 0..5 {
        let item = typed.next().await.expect("an item");
        seen.push(match item {
            Ok(change) => {
                let kind = match &change {
                    WatchEvent::Added(_) => "Added",
                    WatchEvent::Modified(_) => "Modified",
                    WatchEvent::Deleted(_) => "Deleted",
                    WatchEvent::Bookmark { .. } => "Bookmark",
                };
                let cm = change.object().expect("an object");
                let data = cm.data.get("v").cloned().unwrap_or_default();
                event(
                    kind,
                    &cm.metadata.name,
                    cm.metadata.resource_version.parse().unwrap(),
                    &data,
                )
            }
            Err(e) => event("Error", &e.to_string(), 0, ""),
        });
    }
    assert_eq!(
        seen[..3],
        [
            event("Added", "a", first, "1"),
            event("Modified", "a", second, "2"),
            event("Deleted", "a", deleted, "2"),
        ]
    );
    assert_eq!(seen[3].0, "Error", "{seen:?}");
    assert!(seen[3].1.contains("JSON"), "{seen:?}");
    assert_eq!(seen[4], event("Added", "b", after, "3"));
    // A watcher of decoded objects sees the same, with the same error.
    let described: Vec<_> = take(&mut dynamic, 3).await;
    assert_eq!(described, seen[..3]);
    assert!(dynamic.next().await.expect("an item").is_err());
    assert_eq!(take(&mut dynamic, 1).await, [seen[4].clone()]);
}

#[tokio::test(start_paused = true)]
async fn an_uncached_watch_resumes_after_lag_too() {
    let gated = Arc::new(GatedStore::new(1));
    let kv: Arc<dyn KvStore> = gated.clone();
    let start = put(&*kv, "ns", "seed", "red", "0").await;
    let objects = store::ObjectStore::new(kv.clone());
    let mut stream = objects
        .watch(config_maps(), None, &watch_after(start))
        .await
        .unwrap();
    let a = put(&*kv, "ns", "a", "red", "a").await;
    let b = put(&*kv, "ns", "b", "red", "b").await;
    assert_eq!(take(&mut stream, 1).await, [event("Added", "a", a, "a")]);
    gated.release();
    assert_eq!(take(&mut stream, 1).await, [event("Added", "b", b, "b")]);
}
