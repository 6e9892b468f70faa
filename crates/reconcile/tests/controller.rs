//! Controllers end to end against the memory store: level-triggered reconciles,
//! exclusivity, owned and watched kinds, errors with backoff, panics, requeues and
//! graceful shutdown.

// Helpers outside #[test] functions may unwrap too: a panic is a test failure.
#![allow(clippy::unwrap_used)]

mod support;

use std::collections::{HashMap, HashSet};
use std::future::Future;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use client::{Api, Client, DeleteParams, PostParams};
use core_types::core_v1::{ConfigMap, Secret};
use core_types::{ObjectMeta, OwnerReference};
use reconcile::{
    Action, Controller, ControllerHandle, Informer, ObjectRef, ReconcileError, default_error_policy,
};
use support::{config_map, memory_client};
use tokio::time::Instant;

/// What reconciles saw: per key, the resourceVersions in order.
#[derive(Default)]
struct Seen {
    versions: Mutex<HashMap<String, Vec<String>>>,
    in_flight: Mutex<HashSet<String>>,
    overlaps: AtomicUsize,
    delay: Mutex<Duration>,
}

impl Seen {
    fn versions(&self, key: &str) -> Vec<String> {
        self.versions
            .lock()
            .unwrap()
            .get(key)
            .cloned()
            .unwrap_or_default()
    }

    fn total(&self) -> usize {
        self.versions.lock().unwrap().values().map(Vec::len).sum()
    }
}

async fn recording(cm: Arc<ConfigMap>, seen: Arc<Seen>) -> Result<Action, std::io::Error> {
    let key = ObjectRef::from_obj(&*cm).to_string();
    if !seen.in_flight.lock().unwrap().insert(key.clone()) {
        seen.overlaps.fetch_add(1, Ordering::SeqCst);
    }
    seen.versions
        .lock()
        .unwrap()
        .entry(key.clone())
        .or_default()
        .push(cm.metadata.resource_version.clone());
    let delay = *seen.delay.lock().unwrap();
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
    seen.in_flight.lock().unwrap().remove(&key);
    Ok(Action::await_change())
}

fn start(
    client: &Arc<dyn Client>,
    concurrency: usize,
    seen: Arc<Seen>,
) -> (ControllerHandle<ConfigMap>, tokio::task::JoinHandle<()>) {
    let controller = Controller::new(Informer::new(Api::<ConfigMap>::all(client.clone())))
        .concurrency(concurrency);
    let handle = controller.handle();
    let task = tokio::spawn(controller.run(recording, default_error_policy, seen));
    (handle, task)
}

/// Waits (in paused time) until `condition` holds; panics after 10 s.
#[track_caller]
fn until(mut condition: impl FnMut() -> bool) -> impl Future<Output = ()> {
    let caller = std::panic::Location::caller();
    async move {
        for _ in 0..10_000 {
            if condition() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        panic!("condition of {caller} not reached");
    }
}

#[tokio::test(start_paused = true)]
async fn changes_during_a_reconcile_cause_one_more_with_the_latest_state() {
    let client = memory_client();
    let api = Api::<ConfigMap>::namespaced(client.clone(), "ns");
    api.create(&PostParams::default(), &config_map("ns", "web", "0"))
        .await
        .unwrap();
    let seen = Arc::new(Seen::default());
    *seen.delay.lock().unwrap() = Duration::from_secs(1);
    let (handle, task) = start(&client, 4, seen.clone());
    until(|| seen.total() == 1).await;
    // Ten updates while the first reconcile runs.
    let mut last = String::new();
    for i in 1..=10 {
        let mut cm = api.get("web").await.unwrap();
        cm.data.insert("value".into(), i.to_string());
        last = api
            .replace("web", &PostParams::default(), &cm)
            .await
            .unwrap()
            .metadata
            .resource_version;
    }
    tokio::time::sleep(Duration::from_secs(5)).await;
    let versions = seen.versions("ns/web");
    assert_eq!(versions.len(), 2, "{versions:?}");
    assert_eq!(
        versions[1], last,
        "the second reconcile sees the latest state"
    );
    assert_eq!(seen.overlaps.load(Ordering::SeqCst), 0);
    handle.shutdown();
    task.await.unwrap();
}

#[tokio::test(start_paused = true)]
async fn workers_never_reconcile_one_object_twice_at_once() {
    let client = memory_client();
    let api = Api::<ConfigMap>::namespaced(client.clone(), "ns");
    for i in 0..20 {
        api.create(
            &PostParams::default(),
            &config_map("ns", &format!("cm-{i}"), "0"),
        )
        .await
        .unwrap();
    }
    let seen = Arc::new(Seen::default());
    *seen.delay.lock().unwrap() = Duration::from_millis(30);
    let (handle, task) = start(&client, 8, seen.clone());
    until(|| seen.total() >= 20).await;
    for round in 0..10 {
        for i in 0..20 {
            let name = format!("cm-{i}");
            let mut cm = api.get(&name).await.unwrap();
            cm.data.insert("value".into(), format!("{round}"));
            api.replace(&name, &PostParams::default(), &cm)
                .await
                .unwrap();
            handle.reconcile(ObjectRef::new("ns", &name));
        }
        tokio::time::sleep(Duration::from_millis(7)).await;
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(seen.overlaps.load(Ordering::SeqCst), 0);
    for i in 0..20 {
        let key = format!("ns/cm-{i}");
        let latest = api
            .get(&format!("cm-{i}"))
            .await
            .unwrap()
            .metadata
            .resource_version;
        assert_eq!(
            seen.versions(&key).last(),
            Some(&latest),
            "{key} reconciled at its latest state"
        );
    }
    let metrics = handle.metrics();
    assert_eq!(metrics.reconciles as usize, seen.total());
    assert!(metrics.queue.deduplicated > 0, "{metrics:?}");
    assert_eq!(metrics.queue.depth, 0);
    handle.shutdown();
    task.await.unwrap();
}

#[tokio::test(start_paused = true)]
async fn errors_back_off_exponentially_and_panics_are_caught() {
    let client = memory_client();
    let api = Api::<ConfigMap>::namespaced(client.clone(), "ns");
    api.create(&PostParams::default(), &config_map("ns", "flaky", "0"))
        .await
        .unwrap();
    let attempts = Arc::new(Mutex::new(Vec::<Instant>::new()));
    let controller = Controller::new(Informer::new(Api::<ConfigMap>::all(client.clone())));
    let handle = controller.handle();
    let reconcile = |_cm: Arc<ConfigMap>, attempts: Arc<Mutex<Vec<Instant>>>| async move {
        let n = {
            let mut attempts = attempts.lock().unwrap();
            attempts.push(Instant::now());
            attempts.len()
        };
        match n {
            1..=3 => Err(std::io::Error::other("not yet")),
            4 => panic!("reconciler bug"),
            _ => Ok(Action::await_change()),
        }
    };
    let policy_saw = Arc::new(Mutex::new(Vec::new()));
    let policy = {
        let policy_saw = policy_saw.clone();
        move |_cm: Arc<ConfigMap>, error: &ReconcileError<std::io::Error>, _: Arc<_>| {
            policy_saw.lock().unwrap().push(error.to_string());
            Action::backoff()
        }
    };
    let task = tokio::spawn(controller.run(reconcile, policy, attempts.clone()));
    until(|| attempts.lock().unwrap().len() == 5).await;
    let times = attempts.lock().unwrap().clone();
    let gaps: Vec<Duration> = times.windows(2).map(|w| w[1] - w[0]).collect();
    let ms = Duration::from_millis;
    assert_eq!(gaps, [ms(5), ms(10), ms(20), ms(40)]);
    assert_eq!(
        *policy_saw.lock().unwrap(),
        [
            "reconcile failed: not yet",
            "reconcile failed: not yet",
            "reconcile failed: not yet",
            "reconciler panicked: reconciler bug"
        ]
    );
    let metrics = handle.metrics();
    assert_eq!(
        (metrics.reconciles, metrics.errors, metrics.panics),
        (5, 4, 1)
    );
    // Success reset the backoff.
    assert_eq!(handle.queue().retries(&ObjectRef::new("ns", "flaky")), 0);
    handle.shutdown();
    task.await.unwrap();
}

#[tokio::test(start_paused = true)]
async fn requeue_reconciles_again_after_the_delay() {
    let client = memory_client();
    let api = Api::<ConfigMap>::namespaced(client.clone(), "ns");
    api.create(&PostParams::default(), &config_map("ns", "periodic", "0"))
        .await
        .unwrap();
    let times = Arc::new(Mutex::new(Vec::<Instant>::new()));
    let controller = Controller::new(Informer::new(Api::<ConfigMap>::all(client.clone())));
    let handle = controller.handle();
    let task = tokio::spawn(controller.run(
        |_cm: Arc<ConfigMap>, times: Arc<Mutex<Vec<Instant>>>| async move {
            times.lock().unwrap().push(Instant::now());
            Ok::<_, std::io::Error>(Action::requeue(Duration::from_secs(60)))
        },
        default_error_policy,
        times.clone(),
    ));
    tokio::time::sleep(Duration::from_secs(200)).await;
    let times = times.lock().unwrap().clone();
    assert_eq!(times.len(), 4, "at 0, 60, 120 and 180 s");
    assert!(
        times
            .windows(2)
            .all(|w| w[1] - w[0] == Duration::from_secs(60))
    );
    handle.shutdown();
    task.await.unwrap();
}

fn owned_secret(owner: &ConfigMap, name: &str) -> Secret {
    let mut metadata = ObjectMeta::named(&owner.metadata.namespace, name);
    metadata.owner_references.push(OwnerReference {
        api_version: "v1".into(),
        kind: "ConfigMap".into(),
        name: owner.metadata.name.clone(),
        uid: owner.metadata.uid.clone(),
        controller: Some(true),
        block_owner_deletion: None,
    });
    Secret {
        metadata,
        ..Secret::default()
    }
}

#[tokio::test(start_paused = true)]
async fn owned_and_watched_changes_reconcile_the_primary() {
    let client = memory_client();
    let cms = Api::<ConfigMap>::namespaced(client.clone(), "ns");
    let secrets = Api::<Secret>::namespaced(client.clone(), "ns");
    let parent = cms
        .create(&PostParams::default(), &config_map("ns", "parent", "0"))
        .await
        .unwrap();
    cms.create(&PostParams::default(), &config_map("ns", "other", "0"))
        .await
        .unwrap();
    let seen = Arc::new(Seen::default());
    // Two informers of one kind, as two independent parts of a program might start.
    let secret_informer = Informer::new(Api::<Secret>::all(client.clone()));
    let watched = Informer::new(Api::<Secret>::all(client.clone()));
    let controller = Controller::new(Informer::new(Api::<ConfigMap>::all(client.clone())))
        .owns(secret_informer.clone())
        .watches(watched.clone(), |s: &Secret| {
            s.metadata
                .labels
                .get("for")
                .map(|target| ObjectRef::new(&s.metadata.namespace, target))
        });
    let handle = controller.handle();
    let task = tokio::spawn(controller.run(recording, default_error_policy, seen.clone()));
    until(|| seen.total() == 2).await;
    // A child owned by `parent` appears: `parent` is reconciled.
    secrets
        .create(&PostParams::default(), &owned_secret(&parent, "child"))
        .await
        .unwrap();
    until(|| seen.versions("ns/parent").len() == 2).await;
    assert_eq!(seen.versions("ns/other").len(), 1);
    // A secret labelled for `other`: `other` is reconciled through the mapper.
    let mut labelled = Secret {
        metadata: ObjectMeta::named("ns", "pointer"),
        ..Secret::default()
    };
    labelled
        .metadata
        .labels
        .insert("for".into(), "other".into());
    secrets
        .create(&PostParams::default(), &labelled)
        .await
        .unwrap();
    until(|| seen.versions("ns/other").len() == 2).await;
    // Deleting the child reconciles the owner again.
    secrets
        .delete("child", &DeleteParams::default())
        .await
        .unwrap();
    until(|| seen.versions("ns/parent").len() == 3).await;
    // A deleted primary is not reconciled.
    cms.delete("other", &DeleteParams::default()).await.unwrap();
    let other = ObjectRef::new("ns", "other");
    until(|| handle.store().get(&other).is_none()).await;
    handle.reconcile(ObjectRef::new("ns", "other"));
    until(|| handle.metrics().skipped == 1).await;
    assert_eq!(seen.versions("ns/other").len(), 2);
    handle.shutdown();
    task.await.unwrap();
}

#[tokio::test(start_paused = true)]
async fn shutdown_lets_running_reconciles_finish_and_starts_no_more() {
    let client = memory_client();
    let api = Api::<ConfigMap>::namespaced(client.clone(), "ns");
    for i in 0..10 {
        api.create(
            &PostParams::default(),
            &config_map("ns", &format!("cm-{i}"), "0"),
        )
        .await
        .unwrap();
    }
    let started = Arc::new(AtomicUsize::new(0));
    let finished = Arc::new(AtomicUsize::new(0));
    let stop = Arc::new(tokio::sync::Notify::new());
    let controller = Controller::new(Informer::new(Api::<ConfigMap>::all(client.clone())))
        .concurrency(2)
        .graceful_shutdown_on({
            let stop = stop.clone();
            async move { stop.notified().await }
        });
    let counters = Arc::new((started.clone(), finished.clone()));
    let task = tokio::spawn(controller.run(
        |_cm: Arc<ConfigMap>, counters: Arc<(Arc<AtomicUsize>, Arc<AtomicUsize>)>| async move {
            counters.0.fetch_add(1, Ordering::SeqCst);
            tokio::time::sleep(Duration::from_secs(10)).await;
            counters.1.fetch_add(1, Ordering::SeqCst);
            Ok::<_, std::io::Error>(Action::await_change())
        },
        default_error_policy,
        counters,
    ));
    until(|| started.load(Ordering::SeqCst) == 2).await;
    let t0 = Instant::now();
    stop.notify_one();
    task.await.unwrap();
    assert!(
        t0.elapsed() >= Duration::from_millis(9_990),
        "waited for the running reconciles"
    );
    assert_eq!(
        started.load(Ordering::SeqCst),
        2,
        "no new reconcile after the signal"
    );
    assert_eq!(finished.load(Ordering::SeqCst), 2);
}

#[tokio::test(start_paused = true)]
async fn shutdown_before_sync_returns_at_once() {
    let client = memory_client();
    let controller = Controller::new(Informer::new(Api::<ConfigMap>::all(client)));
    let handle = controller.handle();
    handle.shutdown();
    let ran = Arc::new(AtomicBool::new(false));
    controller
        .run(
            |_cm: Arc<ConfigMap>, ran: Arc<AtomicBool>| async move {
                ran.store(true, Ordering::SeqCst);
                Ok::<_, std::io::Error>(Action::await_change())
            },
            default_error_policy,
            ran.clone(),
        )
        .await;
    assert!(!ran.load(Ordering::SeqCst));
    assert!(handle.queue().is_shut_down());
}

/// The same check on a multi-threaded runtime, where workers really run in parallel.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn exclusivity_holds_across_threads() {
    let client = memory_client();
    let api = Api::<ConfigMap>::namespaced(client.clone(), "ns");
    for i in 0..50 {
        api.create(
            &PostParams::default(),
            &config_map("ns", &format!("cm-{i}"), "0"),
        )
        .await
        .unwrap();
    }
    let seen = Arc::new(Seen::default());
    let (handle, task) = start(&client, 16, seen.clone());
    while seen.total() < 50 {
        tokio::task::yield_now().await;
    }
    for _ in 0..200 {
        handle.reconcile_all();
        tokio::task::yield_now().await;
    }
    loop {
        let metrics = handle.metrics();
        if metrics.queue.depth == 0 && metrics.queue.processing == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    assert_eq!(seen.overlaps.load(Ordering::SeqCst), 0);
    let metrics = handle.metrics();
    assert!(metrics.reconciles >= 100, "{metrics:?}");
    assert_eq!(metrics.reconciles as usize, seen.total());
    handle.shutdown();
    task.await.unwrap();
}
