//! Hand-computed spreading cases.

use std::sync::Arc;

use super::*;
use crate::cache::Cache;
use crate::framework::{
    CycleState, FilterPlugin, PodInfo, PreFilterPlugin, PreScorePlugin, ScorePlugin,
};
use crate::testing::{node, pod};
use core_types::core_v1::{Pod, TopologySpreadConstraint};
use core_types::selector::LabelSelector;

fn spread_pod(name: &str, when: &str, max_skew: i32) -> Pod {
    let mut p = pod(name, 100, 100);
    p.metadata.labels.insert("app".into(), "web".into());
    p.spec
        .topology_spread_constraints
        .push(TopologySpreadConstraint {
            max_skew,
            topology_key: "zone".into(),
            when_unsatisfiable: when.into(),
            label_selector: Some(LabelSelector {
                match_labels: [("app".to_owned(), "web".to_owned())].into(),
                ..Default::default()
            }),
            ..Default::default()
        });
    p
}

/// Zone a has nodes a1, a2 with 3 matching pods; zone b has b1 with 1.
fn cluster() -> Cache {
    let mut c = Cache::new();
    for (n, z) in [("a1", "a"), ("a2", "a"), ("b1", "b")] {
        let mut node = node(n, 100_000, 1 << 40);
        node.metadata.labels.insert("zone".into(), z.into());
        c.add_node(node);
    }
    for (i, n) in ["a1", "a1", "a2", "b1"].iter().enumerate() {
        let mut p = pod(&format!("e{i}"), 100, 100);
        p.metadata.labels.insert("app".into(), "web".into());
        c.add_pod(Arc::new(PodInfo::from_pod(p)), n);
    }
    c
}

#[test]
fn hard_constraint_skew() {
    let snapshot = cluster().snapshot();
    let pl = PodTopologySpread::new(&PodTopologySpreadArgs::default()).unwrap();
    let incoming = PodInfo::from_pod(spread_pod("p", "DoNotSchedule", 1));
    let mut state = CycleState::new();
    pl.pre_filter(&mut state, &incoming, &snapshot).unwrap();
    // Zone a: 3 + 1 - min(1) = 3 > 1; zone b: 1 + 1 - 1 = 1 <= 1.
    let a1 = snapshot.get("a1").unwrap();
    let b1 = snapshot.get("b1").unwrap();
    assert_eq!(
        pl.filter(&state, &incoming, a1).reasons()[0],
        ERR_REASON_CONSTRAINTS_NOT_MATCH
    );
    assert!(pl.filter(&state, &incoming, b1).is_success());
    // Preemption's simulation: removing two pods from zone a changes the verdict.
    let mut sim = state.clone();
    for p in a1.pods() {
        pl.remove_pod(&mut sim, &incoming, p, a1);
    }
    // Zone a now 1; skew 1 + 1 - 1 = 1.
    assert!(pl.filter(&sim, &incoming, a1).is_success());
    // The original state is untouched.
    assert!(!pl.filter(&state, &incoming, a1).is_success());
}

#[test]
fn soft_constraint_score() {
    let snapshot = cluster().snapshot();
    let pl = PodTopologySpread::new(&PodTopologySpreadArgs::default()).unwrap();
    let incoming = PodInfo::from_pod(spread_pod("p", "ScheduleAnyway", 1));
    let mut state = CycleState::new();
    let nodes: Vec<&crate::framework::NodeInfo> = ["a1", "a2", "b1"]
        .iter()
        .map(|n| &**snapshot.get(n).unwrap())
        .collect();
    assert!(
        pl.pre_score(&mut state, &incoming, &nodes, &snapshot)
            .is_success()
    );
    // Two domains: weight ln(4) = 1.386. Zone a: 3 * 1.386 + 0 = 4.16 -> 4; b: 1.39 -> 1.
    let mut scores: Vec<i64> = nodes
        .iter()
        .map(|n| pl.score(&state, &incoming, n).unwrap())
        .collect();
    assert_eq!(scores, vec![4, 4, 1]);
    // Normalized: 100 * (max + min - s) / max = 100 * (5 - 4) / 4 = 25; b: 100.
    assert!(
        pl.normalize_score(&state, &incoming, &nodes, &mut scores)
            .is_success()
    );
    assert_eq!(scores, vec![25, 25, 100]);
    assert!((topology_normalizing_weight(2) - 4f64.ln()).abs() < 1e-12);
    assert_eq!(score_for_count(3, 2, 1.0), 4.0);
}

#[test]
fn missing_label_is_unresolvable() {
    let mut c = cluster();
    c.add_node(node("nolabel", 1000, 1000));
    let snapshot = c.snapshot();
    let pl = PodTopologySpread::new(&PodTopologySpreadArgs::default()).unwrap();
    let incoming = PodInfo::from_pod(spread_pod("p", "DoNotSchedule", 1));
    let mut state = CycleState::new();
    pl.pre_filter(&mut state, &incoming, &snapshot).unwrap();
    let s = pl.filter(&state, &incoming, snapshot.get("nolabel").unwrap());
    assert_eq!(
        s.code(),
        crate::framework::Code::UnschedulableAndUnresolvable
    );
    assert_eq!(s.reasons()[0], ERR_REASON_NODE_LABEL_NOT_MATCH);
}

#[test]
fn memoized_domains_follow_counts_and_relabels() {
    let mut c = cluster();
    let pl = PodTopologySpread::new(&PodTopologySpreadArgs::default()).unwrap();
    let incoming = PodInfo::from_pod(spread_pod("p", "DoNotSchedule", 1));
    let verdict = |c: &Cache, node: &str| {
        let snapshot = c.snapshot();
        let mut state = CycleState::new();
        pl.pre_filter(&mut state, &incoming, &snapshot).unwrap();
        // Twice: the second call reads the node's memoized domain id.
        let first = pl
            .filter(&state, &incoming, snapshot.get(node).unwrap())
            .is_success();
        let second = pl
            .filter(&state, &incoming, snapshot.get(node).unwrap())
            .is_success();
        assert_eq!(first, second);
        first
    };
    // Zone a: 3 + 1 - 1 > 1.
    assert!(!verdict(&c, "a1"));
    // Two more matching pods in zone b: a is 3 + 1 - 3 = 1, allowed (a1 is unchanged,
    // its memoized id is reused with this cycle's verdicts).
    for i in 0..2 {
        let mut p = pod(&format!("f{i}"), 100, 100);
        p.metadata.labels.insert("app".into(), "web".into());
        c.add_pod(Arc::new(PodInfo::from_pod(p)), "b1");
    }
    assert!(verdict(&c, "a1"));
    // a1 moves to zone b: b has 2 + 3 = 5, a has 1: 5 + 1 - 1 > 1.
    let mut relabeled = node("a1", 100_000, 1 << 40);
    relabeled.metadata.labels.insert("zone".into(), "b".into());
    c.add_node(relabeled);
    assert!(!verdict(&c, "a1"));
    assert!(verdict(&c, "a2"));
}
