//! Queue behaviour: priority order, backoff, moving unschedulable pods on events.

use std::sync::Arc;
use std::time::{Duration, Instant};

use super::*;
use crate::config::Profiles;
use crate::framework::{ActionType, ClusterEvent, EventResource, PodInfo};
use crate::testing::pod;

fn queue() -> SchedulingQueue {
    SchedulingQueue::new(&Profiles::default_profiles().unwrap()).unwrap()
}

fn p(name: &str, priority: i32) -> Arc<PodInfo> {
    let mut x = pod(name, 100, 100);
    x.spec.priority = Some(priority);
    Arc::new(PodInfo::from_pod(x))
}

#[test]
fn pops_by_priority_then_age() {
    let mut q = queue();
    let t = Instant::now();
    q.add(p("low", 1), t);
    q.add(p("high", 10), t + Duration::from_millis(1));
    q.add(p("low-later", 1), t + Duration::from_millis(2));
    let order: Vec<String> =
        std::iter::from_fn(|| q.pop(t).map(|x| x.pod_info.name().to_owned())).collect();
    assert_eq!(order, ["high", "low", "low-later"]);
    assert_eq!(q.in_flight_len(), 3);
}

#[test]
fn a_pod_given_back_unattempted_is_active_again() {
    let mut q = queue();
    let t = Instant::now();
    q.add(p("a", 0), t);
    q.add(p("b", 0), t);
    let a = q.pop(t).unwrap();
    assert_eq!(a.attempts, 1);
    q.unpop(a);
    assert_eq!((q.active_len(), q.in_flight_len()), (2, 0));
    let mut popped: Vec<QueuedPodInfo> = std::iter::from_fn(|| q.pop(t)).collect();
    popped.sort_by(|x, y| x.pod_info.name().cmp(y.pod_info.name()));
    assert_eq!(popped.len(), 2);
    assert_eq!(popped[0].pod_info.name(), "a");
    assert_eq!(popped[0].attempts, 1, "the given-back pop did not count");
    // Deleted while popped: giving it back drops it.
    let a = popped.remove(0);
    q.delete(&a.pod_info.key);
    q.unpop(a);
    assert_eq!((q.active_len(), q.in_flight_len()), (0, 1));
}

#[test]
fn backoff_doubles_up_to_the_maximum() {
    let mut q = queue();
    let t0 = Instant::now();
    q.add(p("a", 0), t0);
    let mut t = t0;
    let mut waits = Vec::new();
    for _ in 0..6 {
        let x = q.pop(t).unwrap();
        // An error (no rejecting plugin): straight to backoff.
        assert_eq!(q.requeue(x, t), Requeued::Backoff);
        let expiry = q.next_backoff_expiry().unwrap();
        waits.push(expiry - t);
        assert!(q.pop(expiry - Duration::from_millis(1)).is_none());
        t = expiry;
    }
    let secs: Vec<u64> = waits.iter().map(Duration::as_secs).collect();
    assert_eq!(secs, [1, 2, 4, 8, 10, 10]);
}

#[test]
fn unschedulable_pods_move_only_on_relevant_events() {
    let mut q = queue();
    let t = Instant::now();
    q.add(p("a", 0), t);
    let mut x = q.pop(t).unwrap();
    x.unschedulable_plugins.insert("NodeResourcesFit".into());
    assert_eq!(q.requeue(x, t), Requeued::Unschedulable);
    // A new bound pod does not free resources: NodeResourcesFit does not care.
    q.on_event(ClusterEvent::ASSIGNED_POD_ADD, t);
    assert_eq!(q.unschedulable_len(), 1);
    // A node label change does not either.
    q.on_event(
        ClusterEvent::new(EventResource::Node, ActionType::UPDATE_NODE_LABEL),
        t,
    );
    assert_eq!(q.unschedulable_len(), 1);
    // A deleted pod does: the pod moves (to backoff: it failed just now).
    q.on_event(ClusterEvent::ASSIGNED_POD_DELETE, t);
    assert_eq!(q.unschedulable_len(), 0);
    assert_eq!(q.backoff_len(), 1);
    assert!(q.pop(t + Duration::from_secs(2)).is_some());
}

#[test]
fn events_during_an_attempt_send_the_pod_to_backoff() {
    let mut q = queue();
    let t = Instant::now();
    q.add(p("a", 0), t);
    let mut x = q.pop(t).unwrap();
    q.on_event(ClusterEvent::NODE_ADD, t);
    x.unschedulable_plugins.insert("NodeResourcesFit".into());
    assert_eq!(q.requeue(x, t), Requeued::Backoff);
}

#[test]
fn long_unschedulable_pods_are_flushed_and_deleted_pods_dropped() {
    let mut q = queue();
    let t = Instant::now();
    q.add(p("a", 0), t);
    q.add(p("b", 0), t);
    let mut a = q.pop(t).unwrap();
    a.unschedulable_plugins.insert("NodeAffinity".into());
    q.requeue(a, t);
    let b = q.pop(t).unwrap();
    q.delete(b.key());
    assert_eq!(q.requeue(b, t), Requeued::Dropped);
    q.flush(t + Duration::from_secs(60));
    assert_eq!(q.unschedulable_len(), 1);
    q.flush(t + Duration::from_secs(301));
    assert_eq!(q.unschedulable_len(), 0);
    assert_eq!(q.active_len(), 1);
}

#[test]
fn gated_pods_wait_for_their_gates() {
    let mut q = queue();
    let t = Instant::now();
    let mut g = pod("g", 1, 1);
    g.spec
        .scheduling_gates
        .push(core_types::core_v1::PodSchedulingGate { name: "x".into() });
    q.add(Arc::new(PodInfo::from_pod(g.clone())), t);
    assert!(q.pop(t).is_none());
    assert_eq!(q.gated_len(), 1);
    g.spec.scheduling_gates.clear();
    q.update(Arc::new(PodInfo::from_pod(g)), t);
    assert!(q.pop(t).is_some());
}
