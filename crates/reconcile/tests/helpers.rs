//! Helpers against the memory store: finalizers (in a running controller),
//! create-or-update, and event recording.

// Helpers outside #[test] functions may unwrap too: a panic is a test failure.
#![allow(clippy::unwrap_used)]

mod support;

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use client::{Api, Client, DeleteParams, ListParams, PostParams};
use core_types::ObjectMeta;
use core_types::core_v1::{ConfigMap, Event};
use reconcile::{
    Action, Applied, Controller, EventRecord, EventType, FinalizerError, FinalizerEvent, Informer,
    Recorder, Reporter, create_or_update, default_error_policy, finalizer, object_reference,
};
use support::{config_map, memory_client};

const FINALIZER: &str = "example.com/cleanup";

struct Ctx {
    client: Arc<dyn Client>,
    applied: AtomicUsize,
    cleaned: Mutex<Vec<String>>,
    fail_cleanup: AtomicBool,
}

async fn reconcile(
    cm: Arc<ConfigMap>,
    ctx: Arc<Ctx>,
) -> Result<Action, FinalizerError<std::io::Error>> {
    let api = Api::<ConfigMap>::namespaced(ctx.client.clone(), &cm.metadata.namespace);
    finalizer(&api, FINALIZER, cm, |event| async {
        match event {
            FinalizerEvent::Apply(_) => {
                ctx.applied.fetch_add(1, Ordering::SeqCst);
                Ok(Action::await_change())
            }
            FinalizerEvent::Cleanup(cm) => {
                if ctx.fail_cleanup.load(Ordering::SeqCst) {
                    return Err(std::io::Error::other("external system down"));
                }
                // The object is still there while cleanup runs.
                let still_there = api.get_opt(&cm.metadata.name).await;
                assert!(still_there.map_err(std::io::Error::other)?.is_some());
                ctx.cleaned.lock().unwrap().push(cm.metadata.name.clone());
                Ok(Action::await_change())
            }
        }
    })
    .await
}

async fn eventually(mut condition: impl AsyncFnMut() -> bool) {
    for _ in 0..5_000 {
        if condition().await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    panic!("condition not reached");
}

#[tokio::test(start_paused = true)]
async fn cleanup_completes_before_the_object_goes() {
    let client = memory_client();
    let api = Api::<ConfigMap>::namespaced(client.clone(), "ns");
    api.create(&PostParams::default(), &config_map("ns", "guarded", "0"))
        .await
        .unwrap();
    let ctx = Arc::new(Ctx {
        client: client.clone(),
        applied: AtomicUsize::new(0),
        cleaned: Mutex::default(),
        fail_cleanup: AtomicBool::new(true),
    });
    let controller = Controller::new(Informer::new(Api::<ConfigMap>::all(client.clone())));
    let handle = controller.handle();
    let task = tokio::spawn(controller.run(reconcile, default_error_policy, ctx.clone()));

    // The finalizer is added first, then the object is applied.
    eventually(async || ctx.applied.load(Ordering::SeqCst) == 1).await;
    let stored = api.get("guarded").await.unwrap();
    assert_eq!(stored.metadata.finalizers, [FINALIZER]);

    // Deletion waits for cleanup, which fails for a while: the object stays.
    let outcome = api
        .delete("guarded", &DeleteParams::default())
        .await
        .unwrap();
    assert!(outcome.is_pending());
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert!(api.get_opt("guarded").await.unwrap().is_some());
    assert!(ctx.cleaned.lock().unwrap().is_empty());
    assert!(handle.metrics().errors > 0);

    // Once cleanup succeeds, the finalizer goes and so does the object.
    ctx.fail_cleanup.store(false, Ordering::SeqCst);
    eventually(async || api.get_opt("guarded").await.unwrap().is_none()).await;
    assert_eq!(*ctx.cleaned.lock().unwrap(), ["guarded"]);
    handle.shutdown();
    task.await.unwrap();
}

#[tokio::test]
async fn create_or_update_creates_updates_and_leaves_alone() {
    let client = memory_client();
    let api = Api::<ConfigMap>::namespaced(client.clone(), "ns");
    let template = ConfigMap {
        metadata: ObjectMeta::named("ns", "settings"),
        ..ConfigMap::default()
    };
    let set = |value: &'static str| {
        move |cm: &mut ConfigMap| {
            cm.data.insert("mode".into(), value.into());
        }
    };
    let (applied, created) = create_or_update(&api, template.clone(), set("fast"))
        .await
        .unwrap();
    assert_eq!(applied, Applied::Created);
    let (applied, same) = create_or_update(&api, template.clone(), set("fast"))
        .await
        .unwrap();
    assert_eq!(applied, Applied::Unchanged);
    assert_eq!(
        same.metadata.resource_version,
        created.metadata.resource_version
    );
    let (applied, updated) = create_or_update(&api, template.clone(), set("safe"))
        .await
        .unwrap();
    assert_eq!(applied, Applied::Updated);
    assert_eq!(updated.data["mode"], "safe");
    let nameless = ConfigMap::default();
    assert!(create_or_update(&api, nameless, set("x")).await.is_err());
}

#[tokio::test]
async fn repeated_events_fold_into_a_count() {
    let client = memory_client();
    let api = Api::<ConfigMap>::namespaced(client.clone(), "ns");
    let cm = api
        .create(&PostParams::default(), &config_map("ns", "web", "0"))
        .await
        .unwrap();
    let recorder = Recorder::new(client.clone(), Reporter::new("example.com/test-controller"));
    let about = object_reference(&cm, &());
    let failed = EventRecord {
        type_: EventType::Warning,
        reason: "SyncFailed".into(),
        message: "backend unreachable".into(),
        action: "Sync".into(),
    };
    for _ in 0..3 {
        recorder.publish(&about, failed.clone()).await.unwrap();
    }
    recorder
        .publish(
            &about,
            EventRecord {
                type_: EventType::Normal,
                reason: "Synced".into(),
                message: "all good".into(),
                action: "Sync".into(),
            },
        )
        .await
        .unwrap();
    let events = Api::<Event>::namespaced(client.clone(), "ns")
        .list(&ListParams::default())
        .await
        .unwrap()
        .items;
    assert_eq!(events.len(), 2);
    let warning = events.iter().find(|e| e.reason == "SyncFailed").unwrap();
    assert_eq!(warning.count, 3);
    assert_eq!(warning.type_, "Warning");
    assert_eq!(warning.involved_object.name, "web");
    assert_eq!(warning.involved_object.uid, cm.metadata.uid);
    assert_eq!(warning.reporting_component, "example.com/test-controller");
    let normal = events.iter().find(|e| e.reason == "Synced").unwrap();
    assert_eq!(normal.count, 1);
}
