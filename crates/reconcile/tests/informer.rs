//! Informers against the memory store: convergence through watch cuts, held-back
//! watches that find their history compacted, failing lists and watches.

// Helpers outside #[test] functions may unwrap too: a panic is a test failure.
#![allow(clippy::unwrap_used)]

mod support;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use client::{Api, Client, DeleteParams, ListParams, PostParams};
use core_types::core_v1::ConfigMap;
use reconcile::{Change, Informer, InformerConfig, Informers, NAMESPACE_INDEX, namespace_index};
use support::{Break, FlakyClient, config_map};

type Snapshot = BTreeMap<String, String>;

/// `namespace/name -> resourceVersion` of everything in the store.
async fn store_state(client: &Arc<dyn Client>) -> Snapshot {
    let api = Api::<ConfigMap>::all(client.clone());
    api.list(&ListParams::default())
        .await
        .unwrap()
        .items
        .into_iter()
        .map(|cm| {
            (
                format!("{}/{}", cm.metadata.namespace, cm.metadata.name),
                cm.metadata.resource_version,
            )
        })
        .collect()
}

fn cache_state(informer: &Informer<ConfigMap>) -> Snapshot {
    informer
        .store()
        .list()
        .into_iter()
        .map(|cm| {
            (
                format!("{}/{}", cm.metadata.namespace, cm.metadata.name),
                cm.metadata.resource_version.clone(),
            )
        })
        .collect()
}

/// A tiny deterministic generator.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// One random write: create, update or delete one of 24 config maps.
async fn random_write(client: &Arc<dyn Client>, rng: &mut Rng) {
    let ns = ["a", "b"][usize::try_from(rng.below(2)).unwrap()];
    let name = format!("cm-{}", rng.below(12));
    let api = Api::<ConfigMap>::namespaced(client.clone(), ns);
    let value = rng.next().to_string();
    match rng.below(4) {
        0 => {
            let _ = api.delete(&name, &DeleteParams::default()).await;
        }
        _ => match api.get_opt(&name).await.unwrap() {
            Some(mut cm) => {
                cm.data.insert("value".into(), value);
                api.replace(&name, &PostParams::default(), &cm)
                    .await
                    .unwrap();
            }
            None => {
                api.create(&PostParams::default(), &config_map(ns, &name, &value))
                    .await
                    .unwrap();
            }
        },
    }
}

async fn converge(
    client: &Arc<dyn Client>,
    informer: &Informer<ConfigMap>,
    mirror: &Mutex<Snapshot>,
) {
    let expected = store_state(client).await;
    for _ in 0..2_000 {
        if cache_state(informer) == expected && *mirror.lock().unwrap() == expected {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!(
        "no convergence:\nstore  {expected:?}\ncache  {:?}\nmirror {:?}\nstats {:?}",
        cache_state(informer),
        mirror.lock().unwrap(),
        informer.stats()
    );
}

/// A map kept only from the change handler: proves handlers see every difference,
/// deletions missed during a re-list included.
fn mirror(informer: &Informer<ConfigMap>) -> (Arc<Mutex<Snapshot>>, reconcile::Subscription) {
    let mirror = Arc::new(Mutex::new(Snapshot::new()));
    let sink = mirror.clone();
    let sub = informer.subscribe(move |change| {
        let key = change.key().to_string();
        let mut map = sink.lock().unwrap();
        match change {
            Change::Added { object, .. } => {
                map.insert(key, object.metadata.resource_version.clone());
            }
            Change::Modified { new, .. } => {
                map.insert(key, new.metadata.resource_version.clone());
            }
            Change::Deleted { .. } => {
                map.remove(&key);
            }
            _ => unreachable!("a new kind of change"),
        }
    });
    (mirror, sub)
}

#[tokio::test(start_paused = true)]
async fn cache_converges_through_cuts_compaction_and_failures() {
    for seed in [0x1234_5678_9abc_def1, 7, 0xdead_beef] {
        converges_with_seed(seed).await;
    }
}

async fn converges_with_seed(seed: u64) {
    let flaky = FlakyClient::new(16);
    let client: Arc<dyn Client> = Arc::new(flaky.clone());
    let direct = flaky.direct();
    let mut rng = Rng(seed);
    for _ in 0..20 {
        random_write(&direct, &mut rng).await;
    }
    let informer = Informer::with_config(
        Api::<ConfigMap>::all(client.clone()),
        InformerConfig::default()
            .page_size(5)
            // Failures are injected faster than a real server produces them; keep the
            // backoff short so that convergence is checked, not patience.
            .backoff(Duration::from_millis(50), Duration::from_secs(2))
            .index(NAMESPACE_INDEX, namespace_index::<ConfigMap>),
    );
    let (mirror, _sub) = mirror(&informer);
    informer.wait_until_synced().await;
    converge(&direct, &informer, &mirror).await;

    for round in 0..30 {
        match round % 5 {
            // The watch ends cleanly: the informer watches again from where it was.
            0 => flaky.cut_watches(Break::End),
            // The watch fails: back off, re-list.
            1 => flaky.cut_watches(Break::Error),
            // The watch is held back while history is compacted past it: Gone, re-list.
            2 => {
                // Past any backoff (at most 4 s here) and caught up: watching.
                tokio::time::sleep(Duration::from_secs(5)).await;
                converge(&direct, &informer, &mirror).await;
                flaky.hold_watches();
                flaky.cut_watches(Break::End);
                for _ in 0..40 {
                    random_write(&direct, &mut rng).await;
                }
                flaky.release_watches();
            }
            // The re-list after a failed watch fails too, twice.
            3 => {
                flaky.fail_lists(2);
                flaky.cut_watches(Break::Error);
            }
            // Watch calls fail.
            _ => {
                flaky.fail_watches(2);
                flaky.cut_watches(Break::Error);
            }
        }
        for _ in 0..rng.below(15) {
            random_write(&direct, &mut rng).await;
            if rng.below(3) == 0 {
                tokio::time::sleep(Duration::from_millis(rng.below(700))).await;
            }
        }
        if round % 3 == 0 {
            converge(&direct, &informer, &mirror).await;
        }
    }
    converge(&direct, &informer, &mirror).await;
    let stats = informer.stats();
    assert!(stats.gone >= 6, "{stats:?}");
    assert!(stats.failures >= 12, "{stats:?}");
    assert!(stats.lists >= 10, "{stats:?}");
    // The namespace index followed every change.
    let in_a = informer.store().list_namespace("a").len();
    let expected_a = store_state(&direct)
        .await
        .keys()
        .filter(|k| k.starts_with("a/"))
        .count();
    assert_eq!(in_a, expected_a);
}

#[tokio::test(start_paused = true)]
async fn selectors_and_a_late_index() {
    let client = support::memory_client();
    let api = Api::<ConfigMap>::namespaced(client.clone(), "ns");
    for (name, app) in [("one", "web"), ("two", "db"), ("three", "web")] {
        let mut cm = config_map("ns", name, "x");
        cm.metadata.labels.insert("app".into(), app.into());
        api.create(&PostParams::default(), &cm).await.unwrap();
    }
    let informer = Informer::with_config(
        api.clone(),
        InformerConfig::default().labels("app=web".parse().unwrap()),
    );
    informer.wait_until_synced().await;
    assert_eq!(informer.store().len(), 2);
    informer.add_index("value", |cm: &ConfigMap| {
        cm.data.values().cloned().collect()
    });
    assert_eq!(informer.store().by_index("value", "x").unwrap().len(), 2);
    // Relabelling moves an object out of the selection: a deletion for the informer.
    let mut one = api.get("one").await.unwrap();
    one.metadata.labels.insert("app".into(), "other".into());
    api.replace("one", &PostParams::default(), &one)
        .await
        .unwrap();
    for _ in 0..100 {
        if informer.store().len() == 1 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(informer.store().len(), 1);
    assert_eq!(informer.store().by_index("value", "x").unwrap().len(), 1);
}

#[tokio::test]
async fn informers_are_shared_per_kind_and_namespace() {
    let informers = Informers::new(support::memory_client());
    let a = informers.all::<ConfigMap>();
    let b = informers.all::<ConfigMap>();
    let c = informers.namespaced::<ConfigMap>("ns");
    a.wait_until_synced().await;
    let api = Api::<ConfigMap>::namespaced(informers.client().clone(), "ns");
    api.create(&PostParams::default(), &config_map("ns", "x", "1"))
        .await
        .unwrap();
    c.wait_until_synced().await;
    for _ in 0..200 {
        if b.store().len() == 1 && c.store().len() == 1 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    assert_eq!(a.store().len(), 1);
    assert_eq!(a.stats(), b.stats(), "one list-and-watch for both");
    assert_eq!(c.store().len(), 1);
}

#[tokio::test(start_paused = true)]
async fn objects_that_do_not_decode_are_skipped_not_fatal() {
    use core_types::{DynamicObject, StaticResource};
    let client = support::memory_client();
    let api = Api::<ConfigMap>::namespaced(client.clone(), "ns");
    api.create(&PostParams::default(), &config_map("ns", "good", "x"))
        .await
        .unwrap();
    // A config map whose `data` is not a map of strings (nothing validates it here).
    let raw = Api::<DynamicObject>::namespaced_with(client.clone(), "ns", ConfigMap::resource());
    let mut bad = DynamicObject::new(ConfigMap::resource(), "bad");
    bad.data.insert("data".into(), serde_json::json!(5));
    raw.create(&PostParams::default(), &bad).await.unwrap();
    let informer = Informer::new(Api::<ConfigMap>::all(client.clone()));
    informer.wait_until_synced().await;
    assert_eq!(informer.store().len(), 1);
    assert_eq!(informer.stats().decode_errors, 1);
    // Later bad events are skipped too; good ones still arrive.
    let mut worse = DynamicObject::new(ConfigMap::resource(), "worse");
    worse.data.insert("data".into(), serde_json::json!([1]));
    raw.create(&PostParams::default(), &worse).await.unwrap();
    api.create(&PostParams::default(), &config_map("ns", "fine", "y"))
        .await
        .unwrap();
    for _ in 0..100 {
        if informer.store().len() == 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(informer.store().len(), 2);
    assert_eq!(informer.stats().decode_errors, 2);
}
