//! Components of the `reconcile` crate, unchanged, over the HTTP client against the
//! real API server: an informer's cache converges to what the server stores (also
//! across the server ending its watches), and a controller reconciles.

// Helpers outside `#[test]` functions unwrap too: a panic there is a test failure.
#![allow(clippy::unwrap_used)]

mod support;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use client::{Api, Client, ClientError, DeleteParams, ListParams, PostParams};
use core_types::StaticResource;
use core_types::core_v1::ConfigMap;
use reconcile::{Action, Change, Controller, Informer, default_error_policy};
use store::{InProcessClient, MemoryStore};
use support::{Cluster, config_map};
use tokio::sync::mpsc;

const PATIENCE: Duration = Duration::from_secs(60);

/// `namespace/name` -> data of every ConfigMap, as the server stores them.
async fn stored(client: &dyn Client) -> BTreeMap<String, BTreeMap<String, String>> {
    let list = client
        .list(ConfigMap::resource(), None, &ListParams::default())
        .await
        .unwrap();
    list.items
        .into_iter()
        .map(|o| {
            let cm: ConfigMap = client::from_dynamic(o, ConfigMap::resource()).unwrap();
            (
                format!("{}/{}", cm.metadata.namespace, cm.metadata.name),
                cm.data.into_iter().collect(),
            )
        })
        .collect()
}

/// The same, as the informer's cache holds them.
fn cached(informer: &Informer<ConfigMap>) -> BTreeMap<String, BTreeMap<String, String>> {
    informer
        .store()
        .list()
        .into_iter()
        .map(|cm| {
            (
                format!("{}/{}", cm.metadata.namespace, cm.metadata.name),
                cm.data.clone().into_iter().collect(),
            )
        })
        .collect()
}

/// Waits for cache changes until the cache equals the server's state.
async fn converge(
    informer: &Informer<ConfigMap>,
    changes: &mut mpsc::UnboundedReceiver<()>,
    server: &dyn Client,
) {
    let want = stored(server).await;
    while cached(informer) != want {
        tokio::time::timeout(PATIENCE, changes.recv())
            .await
            .expect("the cache converges in time")
            .expect("the informer runs");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_informer_over_http_converges_and_survives_watch_ends() {
    // Watches end after a second on the server side; the client resumes them.
    let store = Arc::new(InProcessClient::new(Arc::new(MemoryStore::new())));
    let cluster = Cluster::start_with(store, Duration::from_secs(1)).await;
    let backend: Arc<dyn Client> = cluster.store.clone();
    let setup = Api::<ConfigMap>::namespaced(backend.clone(), "default");
    for i in 0..3 {
        let cm: ConfigMap = client::from_dynamic(
            config_map(&format!("before-{i}"), &[("i", &i.to_string())]),
            ConfigMap::resource(),
        )
        .unwrap();
        setup.create(&PostParams::default(), &cm).await.unwrap();
    }

    let http = cluster.client();
    let remote: Arc<dyn Client> = Arc::new(http.clone());
    let informer = Informer::new(Api::<ConfigMap>::all(remote.clone()));
    let (tx, mut changes) = mpsc::unbounded_channel();
    let _subscription = informer.subscribe(move |_: &Change<ConfigMap>| {
        let _ = tx.send(());
    });
    tokio::time::timeout(PATIENCE, informer.wait_until_synced())
        .await
        .unwrap();
    converge(&informer, &mut changes, backend.as_ref()).await;
    assert_eq!(informer.store().len(), 3);

    // Changes through HTTP and behind the server's back, until the client has
    // resumed the informer's watch at least twice.
    let api = Api::<ConfigMap>::namespaced(remote.clone(), "default");
    let mut i = 0;
    let started = std::time::Instant::now();
    while http.stats().watch_resumes < 2 {
        assert!(started.elapsed() < PATIENCE, "{:?}", http.stats());
        let cm: ConfigMap = client::from_dynamic(
            config_map(&format!("after-{i}"), &[]),
            ConfigMap::resource(),
        )
        .unwrap();
        api.create(&PostParams::default(), &cm).await.unwrap();
        converge(&informer, &mut changes, backend.as_ref()).await;
        i += 1;
    }
    let mut cm = setup.get("before-0").await.unwrap();
    cm.data.insert("changed".into(), "yes".into());
    setup
        .replace("before-0", &PostParams::default(), &cm)
        .await
        .unwrap();
    api.delete("before-1", &DeleteParams::default())
        .await
        .unwrap();
    converge(&informer, &mut changes, backend.as_ref()).await;
    let cache = cached(&informer);
    assert!(!cache.contains_key("default/before-1"));
    assert_eq!(
        cache["default/before-0"].get("changed").map(String::as_str),
        Some("yes")
    );
    // The client resumed the watch itself: the informer never had to re-list.
    let stats = informer.stats();
    assert_eq!((stats.lists, stats.gone), (1, 0), "{stats:?}");
}

struct Context {
    client: Arc<dyn Client>,
}

async fn mark_checked(cm: Arc<ConfigMap>, ctx: Arc<Context>) -> Result<Action, ClientError> {
    if !cm.data.contains_key("checked") {
        let api = Api::<ConfigMap>::namespaced(ctx.client.clone(), &cm.metadata.namespace);
        let mut updated = (*cm).clone();
        updated.data.insert("checked".into(), "yes".into());
        api.replace(&cm.metadata.name, &PostParams::default(), &updated)
            .await?;
    }
    Ok(Action::await_change())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_controller_reconciles_over_http() {
    let cluster = Cluster::start().await;
    let remote: Arc<dyn Client> = Arc::new(cluster.client());
    let controller = Controller::new(Informer::new(Api::<ConfigMap>::all(remote.clone())));
    let handle = controller.handle();
    let context = Arc::new(Context {
        client: remote.clone(),
    });
    let task = tokio::spawn(controller.run(mark_checked, default_error_policy, context));

    // Watch the server's state (directly, not through HTTP) until every ConfigMap
    // created through HTTP is marked.
    let api = Api::<ConfigMap>::namespaced(remote.clone(), "default");
    for i in 0..5 {
        let cm: ConfigMap =
            client::from_dynamic(config_map(&format!("cm-{i}"), &[]), ConfigMap::resource())
                .unwrap();
        api.create(&PostParams::default(), &cm).await.unwrap();
    }
    let backend: Arc<dyn Client> = cluster.store.clone();
    let list = backend
        .list(ConfigMap::resource(), None, &ListParams::default())
        .await
        .unwrap();
    let mut events = backend
        .watch(
            ConfigMap::resource(),
            None,
            &client::WatchParams::default().resource_version(list.resource_version()),
        )
        .await
        .unwrap();
    let all_checked = |state: &BTreeMap<String, BTreeMap<String, String>>| {
        state.len() == 5 && state.values().all(|d| d.get("checked").is_some())
    };
    let mut state = stored(backend.as_ref()).await;
    while !all_checked(&state) {
        tokio::time::timeout(PATIENCE, futures::StreamExt::next(&mut events))
            .await
            .expect("the controller acts in time")
            .expect("the watch goes on")
            .expect("no watch error");
        state = stored(backend.as_ref()).await;
    }
    handle.shutdown();
    tokio::time::timeout(PATIENCE, task).await.unwrap().unwrap();
}
