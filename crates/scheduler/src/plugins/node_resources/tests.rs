//! Table tests of the resource scoring formulas on hand-computed cases.

use super::*;
use crate::framework::{CycleState, PodInfo, ScorePlugin};
use crate::testing::{info, node, node_info, pod};

fn spec(name: &str, weight: i64) -> ResourceSpec {
    ResourceSpec {
        name: name.into(),
        weight,
    }
}

/// Node: 4 CPUs, 10,000 bytes of memory, nothing running; pod: 3 CPUs, 5,000 bytes.
/// CPU utilization after placing is 75%, memory 50%.
fn case() -> (crate::framework::NodeInfo, std::sync::Arc<PodInfo>) {
    (
        node_info(node("n", 4000, 10_000), vec![]),
        info(pod("p", 3000, 5000)),
    )
}

fn score(strategy: Strategy, resources: Vec<ResourceSpec>, use_requested: bool) -> i64 {
    let (n, p) = case();
    let s = ResourceScorer::new(strategy, resources, use_requested);
    let r = s.pod_requests(&p);
    s.score(&n, &r)
}

#[test]
fn least_allocated() {
    // cpu (4000-3000)*100/4000 = 25; memory (10000-5000)*100/10000 = 50; (25+50)/2 = 37.
    assert_eq!(
        score(Strategy::LeastAllocated, default_resources(), false),
        37
    );
    // Weighted 2:1: (25*2 + 50)/3 = 33.
    assert_eq!(
        score(
            Strategy::LeastAllocated,
            vec![spec("cpu", 2), spec("memory", 1)],
            false
        ),
        33
    );
    assert_eq!(least_requested_score(5000, 4000), 0);
    assert_eq!(least_requested_score(0, 0), 0);
}

#[test]
fn most_allocated() {
    // cpu 75, memory 50: 62.
    assert_eq!(
        score(Strategy::MostAllocated, default_resources(), false),
        62
    );
    // Over capacity counts as full.
    assert_eq!(most_requested_score(5000, 4000), 100);
}

#[test]
fn requested_to_capacity_ratio() {
    // Shape (0,0)-(100,10), scaled to 0..100: scores 75 and 50, round(62.5) = 63.
    let up = Strategy::from_config(
        "RequestedToCapacityRatio",
        Some(&[
            ShapePoint {
                utilization: 0,
                score: 0,
            },
            ShapePoint {
                utilization: 100,
                score: 10,
            },
        ]),
    )
    .unwrap();
    assert_eq!(score(up, default_resources(), false), 63);
    // The default shape (0,10)-(100,0): 25 and 50, round(37.5) = 38.
    let down = Strategy::from_config("RequestedToCapacityRatio", None).unwrap();
    assert_eq!(score(down, default_resources(), false), 38);
    // Broken linear interpolation between points.
    let shape = [(0, 0), (50, 80), (100, 100)];
    assert_eq!(broken_linear(&shape, 25), 40);
    assert_eq!(broken_linear(&shape, 75), 90);
    assert_eq!(broken_linear(&shape, 120), 100);
    assert!(
        Strategy::from_config(
            "RequestedToCapacityRatio",
            Some(&[ShapePoint {
                utilization: 50,
                score: 11
            }])
        )
        .is_err()
    );
}

#[test]
fn balanced_allocation() {
    // Fractions 0.75 and 0.5: std = 0.125, (1 - 0.125) * 100 = 87.5 -> 87.
    assert_eq!(score(Strategy::Balanced, default_resources(), true), 87);
    // Three resources, fractions 0.75, 0.5, 0.25: std = sqrt(0.125/3) = 0.2041 -> 79.
    let mut n = node("n", 4000, 10_000);
    n.status
        .allocatable
        .insert("ephemeral-storage", "1000".parse().unwrap());
    let mut p = pod("p", 3000, 5000);
    p.spec.containers[0]
        .resources
        .requests
        .insert("ephemeral-storage", "250".parse().unwrap());
    let s = ResourceScorer::new(
        Strategy::Balanced,
        vec![
            spec("cpu", 1),
            spec("memory", 1),
            spec("ephemeral-storage", 1),
        ],
        true,
    );
    let pi = info(p);
    assert_eq!(s.score(&node_info(n, vec![]), &s.pod_requests(&pi)), 79);
}

#[test]
fn scoring_counts_defaults_for_missing_requests() {
    // A pod without requests counts as 100m / 200MiB for NodeResourcesFit...
    let n = node_info(node("n", 1000, 1 << 30), vec![]);
    let p = info(pod("p", 0, 0));
    let fit = Fit::new(&NodeResourcesFitArgs::default()).unwrap();
    let state = CycleState::new();
    // cpu (1000-100)*100/1000 = 90; memory (2^30 - 200Mi)*100/2^30 = 80 -> 85.
    assert_eq!(fit.score(&state, &p, &n).unwrap(), 85);
    // ...and BalancedAllocation skips it (best effort).
    let ba = BalancedAllocation::new(&BalancedAllocationArgs::default()).unwrap();
    let mut state = CycleState::new();
    assert!(
        crate::framework::PreScorePlugin::pre_score(
            &ba,
            &mut state,
            &p,
            &[&n],
            &crate::cache::Snapshot::new()
        )
        .is_skip()
    );
}

#[test]
fn fit_filter_reasons() {
    let n = node_info(node("n", 1000, 1000), vec![pod("a", 600, 600)]);
    let p = info(pod("p", 500, 500));
    let reasons = insufficient_resources(&p, &n, &Default::default(), &Default::default());
    assert_eq!(reasons, vec!["Insufficient cpu", "Insufficient memory"]);
    let fit = Fit::new(&NodeResourcesFitArgs::default()).unwrap();
    let s = crate::framework::FilterPlugin::filter(&fit, &CycleState::new(), &p, &n);
    assert_eq!(s.code(), crate::framework::Code::Unschedulable);
    let ok = info(pod("q", 400, 400));
    assert!(crate::framework::FilterPlugin::filter(&fit, &CycleState::new(), &ok, &n).is_success());
    // More than the node's allocatable: unresolvable (preemption cannot help).
    let huge = info(pod("h", 1500, 100));
    let s = crate::framework::FilterPlugin::filter(&fit, &CycleState::new(), &huge, &n);
    assert_eq!(
        s.code(),
        crate::framework::Code::UnschedulableAndUnresolvable
    );
    assert_eq!(s.reasons(), vec!["Insufficient cpu"]);
    let empty = node_info(node("e", 1000, 1000), vec![]);
    let s = crate::framework::FilterPlugin::filter(&fit, &CycleState::new(), &huge, &empty);
    assert_eq!(
        s.code(),
        crate::framework::Code::UnschedulableAndUnresolvable
    );
}

#[test]
fn memo_never_serves_a_changed_node() {
    let (mut n, p) = case();
    let s = ResourceScorer::new(Strategy::LeastAllocated, default_resources(), false);
    let r = s.pod_requests(&p);
    let key = s.memo_key(&r);
    assert_eq!(s.score_memoized(&n, &r, 0, key), 37);
    assert_eq!(n.memo_get(0, key), Some(37));
    n.add_pod(info(pod("other", 1000, 1000)));
    assert_eq!(n.memo_get(0, key), None);
    // cpu (4000-4000)*100/4000 = 0; memory (10000-6000)*100/10000 = 40 -> 20.
    assert_eq!(s.score_memoized(&n, &r, 0, key), 20);
}
