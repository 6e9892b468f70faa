//! The standalone scheduler end to end: filters, scores, queue and preemption.
#![allow(clippy::unwrap_used)]

mod support;

use std::time::{Duration, Instant};

use scheduler::{Decision, Scheduler};
use support::*;

#[test]
fn schedules_onto_the_least_allocated_node() {
    let mut s = Scheduler::new().unwrap();
    s.add_node(node("busy", 4000, 8 * GI));
    s.add_node(node("idle", 4000, 8 * GI));
    let now = Instant::now();
    s.add_pod(bound(pod("existing", 3000, 4 * GI), "busy"), now);
    s.add_pod(pod("new", 500, GI), now);
    let decisions = s.schedule_all(now);
    assert_eq!(decisions.len(), 1);
    match &decisions[0] {
        Decision::Scheduled { node, .. } => assert_eq!(node, "idle"),
        other => panic!("{other:?}"),
    }
    assert_eq!(s.cache().node("idle").unwrap().requested().milli_cpu, 500);
}

#[test]
fn unschedulable_message_and_requeue_on_node_add() {
    let mut s = Scheduler::new().unwrap();
    s.add_node(node("a", 1000, 8 * GI));
    s.add_node(with_taint(
        node("b", 8000, 8 * GI),
        "dedicated",
        "gpu",
        "NoSchedule",
    ));
    let now = Instant::now();
    s.add_pod(pod("big", 2000, GI), now);
    let d = s.schedule_next(now).unwrap();
    // "a" is smaller than the pod and "b" is tainted: preemption helps on neither.
    let Decision::Unschedulable { error, .. } = d else {
        panic!("{d:?}")
    };
    assert_eq!(
        error.to_string(),
        "0/2 nodes are available: 1 Insufficient cpu, 1 node(s) had untolerated taint {dedicated: gpu}. \
         preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling."
    );
    assert_eq!(s.queue().unschedulable_len(), 1);
    // A node arrives: the pod moves back (to backoff: it just failed).
    s.add_node(node("c", 4000, 8 * GI));
    assert_eq!(s.queue().unschedulable_len(), 0);
    assert!(s.schedule_next(now).is_none());
    let later = now + Duration::from_secs(2);
    match s.schedule_next(later).unwrap() {
        Decision::Scheduled { node, .. } => assert_eq!(node, "c"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn preemption_evicts_lower_priority_pods_and_nominates() {
    let mut s = Scheduler::new().unwrap();
    s.add_node(node("n1", 2000, 8 * GI));
    let now = Instant::now();
    s.add_pod(bound(with_priority(pod("low-1", 1000, GI), 1), "n1"), now);
    s.add_pod(bound(with_priority(pod("low-2", 1000, GI), 1), "n1"), now);
    s.add_pod(with_priority(pod("high", 1500, GI), 100), now);
    let d = s.schedule_next(now).unwrap();
    let Decision::Unschedulable {
        nominated_node,
        victims,
        ..
    } = d
    else {
        panic!("{d:?}")
    };
    assert_eq!(nominated_node.as_deref(), Some("n1"));
    assert_eq!(victims.len(), 2);
    let later = now + Duration::from_secs(2);
    match s.schedule_next(later).unwrap() {
        Decision::Scheduled { node, .. } => assert_eq!(node, "n1"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn explain_lists_every_filter_and_score() {
    let mut s = Scheduler::new().unwrap();
    s.add_node(node("a", 4000, 8 * GI));
    s.add_node(node("b", 1000, 8 * GI));
    let e = s.explain(&pod("p", 2000, GI));
    assert_eq!(e.selected.as_deref(), Some("a"));
    assert_eq!(e.nodes.len(), 2);
    let a = e.nodes.iter().find(|n| n.node == "a").unwrap();
    assert!(a.feasible);
    assert!(a.scores.iter().any(|s| s.plugin == "NodeResourcesFit"));
    let b = e.nodes.iter().find(|n| n.node == "b").unwrap();
    assert!(!b.feasible);
    let fit = b
        .filters
        .iter()
        .find(|f| f.plugin == "NodeResourcesFit")
        .unwrap();
    assert_eq!(fit.reasons, vec!["Insufficient cpu".to_owned()]);
    let text = e.to_string();
    assert!(text.contains("Insufficient cpu"), "{text}");
}

fn requiring_zone(name: &str, zone: &str) -> core_types::core_v1::Pod {
    use core_types::core_v1::{
        Affinity, NodeAffinity, NodeSelector, NodeSelectorRequirement, NodeSelectorTerm,
    };
    let mut p = pod(name, 100, GI);
    p.spec.affinity = Some(Box::new(Affinity {
        node_affinity: Some(NodeAffinity {
            required_during_scheduling_ignored_during_execution: Some(NodeSelector {
                node_selector_terms: vec![NodeSelectorTerm {
                    match_expressions: vec![NodeSelectorRequirement {
                        key: "topology.kubernetes.io/zone".into(),
                        operator: "In".into(),
                        values: vec![zone.into()],
                    }],
                    ..Default::default()
                }],
            }),
            ..Default::default()
        }),
        ..Default::default()
    }));
    p
}

#[test]
fn node_affinity_verdicts_follow_node_label_updates() {
    const ZONE: &str = "topology.kubernetes.io/zone";
    let mut s = Scheduler::new().unwrap();
    s.add_node(with_label(node("a", 4000, 8 * GI), ZONE, "zone1"));
    s.add_node(with_label(node("b", 4000, 8 * GI), ZONE, "zone2"));
    let now = Instant::now();
    // Verdicts for the zone1 selector are memoized on both nodes; a bound pod on "b"
    // (a pod change) must not disturb them.
    assert_eq!(
        s.schedule_pod(&requiring_zone("p1", "zone1")).unwrap().node,
        "a"
    );
    s.add_pod(bound(pod("other", 100, GI), "b"), now);
    assert_eq!(
        s.schedule_pod(&requiring_zone("p2", "zone1")).unwrap().node,
        "a"
    );
    // The zones swap: the memoized verdicts must not survive the label update.
    s.add_node(with_label(node("a", 4000, 8 * GI), ZONE, "zone2"));
    s.add_node(with_label(node("b", 4000, 8 * GI), ZONE, "zone1"));
    assert_eq!(
        s.schedule_pod(&requiring_zone("p3", "zone1")).unwrap().node,
        "b"
    );
    // Another selector gets its own verdicts.
    assert_eq!(
        s.schedule_pod(&requiring_zone("p4", "zone2")).unwrap().node,
        "a"
    );
    assert_eq!(
        s.schedule_pod(&requiring_zone("p5", "zone1")).unwrap().node,
        "b"
    );
    // A label removed: no node fits.
    s.add_node(node("b", 4000, 8 * GI));
    assert!(s.schedule_pod(&requiring_zone("p6", "zone1")).is_err());
}
