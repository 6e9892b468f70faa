//! The in-cluster driver over the in-process client and the memory store.
#![allow(clippy::unwrap_used)]

mod support;

use std::sync::Arc;
use std::time::Duration;

use client::{Api, Client, ListParams, PostParams};
use core_types::core_v1::{Node, Pod};
use scheduler::InClusterScheduler;
use store::{InProcessClient, MemoryStore};
use support::*;

fn client() -> Arc<dyn Client> {
    Arc::new(InProcessClient::new(Arc::new(MemoryStore::new())))
}

async fn wait_until<F, Fut>(what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    for _ in 0..2000 {
        if check().await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("condition not reached: {what}");
}

async fn bound_count(pods: &Api<Pod>) -> usize {
    pods.list(&ListParams::default())
        .await
        .unwrap()
        .items
        .iter()
        .filter(|p| !p.spec.node_name.is_empty())
        .count()
}

#[tokio::test(start_paused = true)]
async fn binds_pending_pods_through_the_client() {
    let c = client();
    let nodes: Api<Node> = Api::all(c.clone());
    for i in 0..3 {
        nodes
            .create(
                &PostParams::default(),
                &node(&format!("n{i}"), 2000, 8 * GI),
            )
            .await
            .unwrap();
    }
    let pods: Api<Pod> = Api::namespaced(c.clone(), "default");
    for i in 0..6 {
        let mut p = pod(&format!("p{i}"), 1000, GI);
        p.metadata.uid.clear();
        pods.create(&PostParams::default(), &p).await.unwrap();
    }
    let sched = InClusterScheduler::builder(c.clone())
        .dedicated_thread(false)
        .build()
        .unwrap();
    let runner = sched.clone();
    let task = tokio::spawn(async move { runner.run(futures::future::pending::<()>()).await });
    wait_until("step 1", || async { bound_count(&pods).await == 6 }).await;
    // No node holds more than its 2 CPUs.
    let list = pods.list(&ListParams::default()).await.unwrap();
    let mut per_node = std::collections::HashMap::new();
    for p in &list.items {
        *per_node.entry(p.spec.node_name.clone()).or_insert(0) += 1;
    }
    assert!(per_node.values().all(|n| *n <= 2), "{per_node:?}");
    // A seventh pod does not fit: it gets the Kubernetes-style condition.
    let mut p = pod("p6", 1000, GI);
    p.metadata.uid.clear();
    pods.create(&PostParams::default(), &p).await.unwrap();
    wait_until("step 2", || async {
        let p = pods.get("p6").await.unwrap();
        p.status
            .conditions
            .iter()
            .any(|c| c.type_ == "PodScheduled" && c.status == "False")
    })
    .await;
    let p = pods.get("p6").await.unwrap();
    let cond = p.status.condition("PodScheduled").unwrap();
    assert_eq!(cond.reason, "Unschedulable");
    assert!(
        cond.message
            .starts_with("0/3 nodes are available: 3 Insufficient cpu."),
        "{}",
        cond.message
    );
    // Deleting a bound pod frees room: the pending pod is retried and bound.
    let victim = list.items[0].metadata.name.clone();
    pods.delete(&victim, &Default::default()).await.unwrap();
    wait_until("step 3", || async {
        !pods.get("p6").await.unwrap().spec.node_name.is_empty()
    })
    .await;
    let stats = sched.stats();
    assert_eq!(stats.bound, 7);
    assert!(stats.unschedulable >= 1);
    task.abort();
}

#[tokio::test(start_paused = true)]
async fn preemption_deletes_victims_then_binds() {
    let c = client();
    let nodes: Api<Node> = Api::all(c.clone());
    nodes
        .create(&PostParams::default(), &node("n0", 2000, 8 * GI))
        .await
        .unwrap();
    let pods: Api<Pod> = Api::namespaced(c.clone(), "default");
    for i in 0..2 {
        let mut p = bound(with_priority(pod(&format!("low{i}"), 1000, GI), 1), "n0");
        p.metadata.uid.clear();
        pods.create(&PostParams::default(), &p).await.unwrap();
    }
    let sched = InClusterScheduler::builder(c.clone())
        .dedicated_thread(false)
        .build()
        .unwrap();
    let runner = sched.clone();
    let task = tokio::spawn(async move { runner.run(futures::future::pending::<()>()).await });
    let mut high = with_priority(pod("high", 1500, GI), 1000);
    high.metadata.uid.clear();
    pods.create(&PostParams::default(), &high).await.unwrap();
    wait_until("step 4", || async {
        pods.get("high").await.unwrap().spec.node_name == "n0"
    })
    .await;
    let remaining: Vec<String> = pods
        .list(&ListParams::default())
        .await
        .unwrap()
        .items
        .into_iter()
        .map(|p| p.metadata.name)
        .collect();
    assert_eq!(remaining, vec!["high".to_owned()]);
    assert_eq!(sched.stats().preemptions, 1);
    task.abort();
}

#[tokio::test(start_paused = true)]
async fn recovers_from_a_watch_cut_off_for_falling_behind() {
    use core_types::StaticResource;
    use store::WatchCacheConfig;
    // Watch queues of 2 events: creating pods in a burst cuts the driver's pod
    // watch off; it must resume (from where it was, or by re-listing) and miss
    // nothing.
    let in_process = InProcessClient::with_watch_cache(
        Arc::new(MemoryStore::new()),
        WatchCacheConfig::default().subscriber_queue(2),
    );
    let cache = in_process
        .watch_cache(Pod::resource())
        .await
        .unwrap()
        .unwrap();
    let c: Arc<dyn Client> = Arc::new(in_process);
    let nodes: Api<Node> = Api::all(c.clone());
    nodes
        .create(&PostParams::default(), &node("n0", 64_000, 64 * GI))
        .await
        .unwrap();
    let sched = InClusterScheduler::builder(c.clone())
        .dedicated_thread(false)
        .watch_cluster_objects(false)
        .build()
        .unwrap();
    sched.pause();
    let runner = sched.clone();
    let task = tokio::spawn(async move { runner.run(futures::future::pending::<()>()).await });
    let probe = sched.clone();
    wait_until("node cached", || {
        let s = probe.clone();
        async move { s.inspect(|c, _| c.node_count()) == 1 }
    })
    .await;
    let pods: Api<Pod> = Api::namespaced(c.clone(), "default");
    for i in 0..40 {
        let mut p = pod(&format!("p{i}"), 100, GI / 4);
        p.metadata.uid.clear();
        pods.create(&PostParams::default(), &p).await.unwrap();
    }
    let probe = sched.clone();
    wait_until("every pod queued", || {
        let s = probe.clone();
        async move { s.inspect(|_, q| q.active_len()) == 40 }
    })
    .await;
    assert!(
        cache.stats().cut_off > 0,
        "the burst should cut the watch off"
    );
    sched.resume();
    wait_until("every pod bound", || async {
        bound_count(&pods).await == 40
    })
    .await;
    let probe = sched.clone();
    wait_until("every binding seen", || {
        let s = probe.clone();
        async move { s.inspect(|c, q| c.pod_count() == 40 && q.is_empty() && q.in_flight_len() == 0) }
    })
    .await;
    task.abort();
}

/// A Reserve plugin that runs `hook` on each pod (its status is Reserve's answer).
struct ReserveHook(Arc<dyn Fn(&scheduler::PodInfo) -> scheduler::Status + Send + Sync>);

impl scheduler::Plugin for ReserveHook {
    fn name(&self) -> &str {
        "ReserveHook"
    }
    fn as_reserve(&self) -> Option<&dyn scheduler::ReservePlugin> {
        Some(self)
    }
}

impl scheduler::ReservePlugin for ReserveHook {
    fn reserve(
        &self,
        _: &mut scheduler::CycleState,
        pod: &scheduler::PodInfo,
        _: &str,
    ) -> scheduler::Status {
        (self.0)(pod)
    }
    fn unreserve(&self, _: &mut scheduler::CycleState, _: &scheduler::PodInfo, _: &str) {}
}

/// Node `n0` with `milli_cpu`, and pending pods (name, CPU, priority), created before a
/// scheduler whose Reserve point runs `hook`; returns the pods' API and the scheduler.
async fn reserve_hook_cluster(
    milli_cpu: i64,
    pending: [(&str, i64, i32); 2],
    hook: impl Fn(&scheduler::PodInfo) -> scheduler::Status + Send + Sync + 'static,
) -> (Api<Pod>, InClusterScheduler) {
    let c = client();
    let nodes: Api<Node> = Api::all(c.clone());
    nodes
        .create(&PostParams::default(), &node("n0", milli_cpu, 8 * GI))
        .await
        .unwrap();
    let pods: Api<Pod> = Api::namespaced(c.clone(), "default");
    for (name, cpu, priority) in pending {
        let mut p = with_priority(pod(name, cpu, GI), priority);
        p.metadata.uid.clear();
        pods.create(&PostParams::default(), &p).await.unwrap();
    }
    let hook = ReserveHook(Arc::new(hook));
    let mut registry = scheduler::Registry::default();
    let shared = hook.0.clone();
    registry
        .register("ReserveHook", move |_, _| {
            Ok(Arc::new(ReserveHook(shared.clone())))
        })
        .unwrap();
    let config = scheduler::SchedulerConfiguration::from_yaml(
        "profiles:\n- schedulerName: default-scheduler\n  plugins:\n    reserve:\n      enabled: [{name: ReserveHook}]\n",
    )
    .unwrap();
    let sched = InClusterScheduler::builder(c)
        .dedicated_thread(false)
        .registry(registry)
        .config(config)
        .build()
        .unwrap();
    (pods, sched)
}

#[tokio::test(start_paused = true)]
async fn a_reservation_taken_back_frees_room_for_the_next_cycle() {
    // One node with room for one pod. The first pod (higher priority) is assumed,
    // then rejected at Reserve; the next pod, popped while the first was assumed,
    // must see the room given back and bind in its first attempt.
    let (pods, sched) =
        reserve_hook_cluster(1000, [("reject-me", 1000, 10), ("fits", 1000, 1)], |pod| {
            if pod.name().starts_with("reject") {
                scheduler::Status::error("rejected at reserve")
            } else {
                scheduler::Status::success()
            }
        })
        .await;
    let runner = sched.clone();
    let task = tokio::spawn(async move { runner.run(futures::future::pending::<()>()).await });
    wait_until("the fitting pod bound", || async {
        pods.get("fits").await.unwrap().spec.node_name == "n0"
    })
    .await;
    assert!(
        pods.get("reject-me")
            .await
            .unwrap()
            .spec
            .node_name
            .is_empty()
    );
    let stats = sched.stats();
    assert_eq!(stats.unschedulable, 0, "{stats:?}");
    task.abort();
}

#[tokio::test(start_paused = true)]
async fn a_pod_popped_ahead_goes_back_to_the_queue_on_pause() {
    // Reserve of "first" pauses the scheduler: "second" has been popped ahead by then.
    let handle: Arc<std::sync::OnceLock<InClusterScheduler>> = Arc::default();
    let h = handle.clone();
    let (pods, sched) =
        reserve_hook_cluster(4000, [("first", 100, 10), ("second", 100, 1)], move |pod| {
            if pod.name() == "first" {
                if let Some(s) = h.get() {
                    s.pause();
                }
            }
            scheduler::Status::success()
        })
        .await;
    assert!(handle.set(sched.clone()).is_ok());
    let runner = sched.clone();
    let task = tokio::spawn(async move { runner.run(futures::future::pending::<()>()).await });
    wait_until("the first pod bound", || async {
        pods.get("first").await.unwrap().spec.node_name == "n0"
    })
    .await;
    // Paused with "second" popped ahead: it is back in the queue, not held in flight.
    let probe = sched.clone();
    wait_until("the second pod queued again", || {
        let s = probe.clone();
        async move { s.inspect(|_, q| q.active_len() == 1 && q.in_flight_len() == 0) }
    })
    .await;
    assert!(pods.get("second").await.unwrap().spec.node_name.is_empty());
    sched.resume();
    wait_until("the second pod bound", || async {
        pods.get("second").await.unwrap().spec.node_name == "n0"
    })
    .await;
    task.abort();
}
