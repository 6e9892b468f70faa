//! Hand-computed inter-pod affinity cases.

use std::sync::Arc;

use super::*;
use crate::cache::Cache;
use crate::framework::{
    CycleState, FilterPlugin, PodInfo, PreFilterPlugin, PreFilterResult, PreScorePlugin,
    ScorePlugin,
};
use crate::testing::{node, pod};
use core_types::core_v1::{
    Affinity, Pod, PodAffinity, PodAffinityTerm, PodAntiAffinity, WeightedPodAffinityTerm,
};
use core_types::selector::LabelSelector;

fn term(app: &str, key: &str) -> PodAffinityTerm {
    PodAffinityTerm {
        label_selector: Some(LabelSelector {
            match_labels: [("app".to_owned(), app.to_owned())].into(),
            ..Default::default()
        }),
        topology_key: key.into(),
        ..Default::default()
    }
}

fn labelled(name: &str, app: &str) -> Pod {
    let mut p = pod(name, 10, 10);
    p.metadata.labels.insert("app".into(), app.into());
    p
}

fn cluster() -> Cache {
    let mut c = Cache::new();
    for (n, z) in [("a1", "a"), ("a2", "a"), ("b1", "b")] {
        let mut node = node(n, 100_000, 1 << 40);
        node.metadata.labels.insert("zone".into(), z.into());
        c.add_node(node);
    }
    c.add_pod(Arc::new(PodInfo::from_pod(labelled("db", "db"))), "a1");
    c
}

#[test]
fn required_affinity_and_anti_affinity() {
    let snapshot = cluster().snapshot();
    let pl = InterPodAffinity::new(InterPodAffinityArgs::default()).unwrap();
    // Affinity to app=db in the same zone: zone a only.
    let mut p = labelled("web", "web");
    p.spec.affinity = Some(Box::new(Affinity {
        pod_affinity: Some(PodAffinity {
            required_during_scheduling_ignored_during_execution: vec![term("db", "zone")],
            ..Default::default()
        }),
        ..Default::default()
    }));
    let incoming = PodInfo::from_pod(p);
    let mut state = CycleState::new();
    assert_eq!(
        pl.pre_filter(&mut state, &incoming, &snapshot).unwrap(),
        PreFilterResult::Continue
    );
    assert!(
        pl.filter(&state, &incoming, snapshot.get("a2").unwrap())
            .is_success()
    );
    let b = pl.filter(&state, &incoming, snapshot.get("b1").unwrap());
    assert_eq!(b.reasons()[0], ERR_REASON_AFFINITY);

    // Anti-affinity to app=db on the same host: every node but a1.
    let mut p = labelled("web", "web");
    p.spec.affinity = Some(Box::new(Affinity {
        pod_anti_affinity: Some(PodAntiAffinity {
            required_during_scheduling_ignored_during_execution: vec![term(
                "db",
                "kubernetes.io/hostname",
            )],
            ..Default::default()
        }),
        ..Default::default()
    }));
    let incoming = PodInfo::from_pod(p);
    let mut state = CycleState::new();
    pl.pre_filter(&mut state, &incoming, &snapshot).unwrap();
    assert_eq!(
        pl.filter(&state, &incoming, snapshot.get("a1").unwrap())
            .reasons()[0],
        ERR_REASON_ANTI_AFFINITY
    );
    assert!(
        pl.filter(&state, &incoming, snapshot.get("a2").unwrap())
            .is_success()
    );
}

#[test]
fn first_pod_of_a_self_affine_group_goes_anywhere() {
    let snapshot = cluster().snapshot();
    let pl = InterPodAffinity::new(InterPodAffinityArgs::default()).unwrap();
    let mut p = labelled("w0", "web");
    p.spec.affinity = Some(Box::new(Affinity {
        pod_affinity: Some(PodAffinity {
            required_during_scheduling_ignored_during_execution: vec![term("web", "zone")],
            ..Default::default()
        }),
        ..Default::default()
    }));
    let incoming = PodInfo::from_pod(p);
    let mut state = CycleState::new();
    pl.pre_filter(&mut state, &incoming, &snapshot).unwrap();
    assert!(
        pl.filter(&state, &incoming, snapshot.get("b1").unwrap())
            .is_success()
    );
}

#[test]
fn existing_pods_anti_affinity_repels() {
    let mut c = cluster();
    let mut guard = labelled("guard", "guard");
    guard.spec.affinity = Some(Box::new(Affinity {
        pod_anti_affinity: Some(PodAntiAffinity {
            required_during_scheduling_ignored_during_execution: vec![term("web", "zone")],
            ..Default::default()
        }),
        ..Default::default()
    }));
    c.add_pod(Arc::new(PodInfo::from_pod(guard)), "b1");
    let snapshot = c.snapshot();
    let pl = InterPodAffinity::new(InterPodAffinityArgs::default()).unwrap();
    let incoming = PodInfo::from_pod(labelled("web", "web"));
    let mut state = CycleState::new();
    pl.pre_filter(&mut state, &incoming, &snapshot).unwrap();
    assert_eq!(
        pl.filter(&state, &incoming, snapshot.get("b1").unwrap())
            .reasons()[0],
        ERR_REASON_EXISTING_ANTI_AFFINITY
    );
    assert!(
        pl.filter(&state, &incoming, snapshot.get("a1").unwrap())
            .is_success()
    );
}

#[test]
fn preferred_terms_score_and_normalize() {
    let snapshot = cluster().snapshot();
    let pl = InterPodAffinity::new(InterPodAffinityArgs::default()).unwrap();
    let mut p = labelled("web", "web");
    p.spec.affinity = Some(Box::new(Affinity {
        pod_affinity: Some(PodAffinity {
            preferred_during_scheduling_ignored_during_execution: vec![WeightedPodAffinityTerm {
                weight: 5,
                pod_affinity_term: term("db", "zone"),
            }],
            ..Default::default()
        }),
        pod_anti_affinity: Some(PodAntiAffinity {
            preferred_during_scheduling_ignored_during_execution: vec![WeightedPodAffinityTerm {
                weight: 3,
                pod_affinity_term: term("db", "kubernetes.io/hostname"),
            }],
            ..Default::default()
        }),
        ..Default::default()
    }));
    let incoming = PodInfo::from_pod(p);
    let nodes: Vec<&crate::framework::NodeInfo> = ["a1", "a2", "b1"]
        .iter()
        .map(|n| &**snapshot.get(n).unwrap())
        .collect();
    let mut state = CycleState::new();
    assert!(
        pl.pre_score(&mut state, &incoming, &nodes, &snapshot)
            .is_success()
    );
    // a1: zone a +5, host a1 -3 = 2; a2: +5; b1: 0.
    let mut scores: Vec<i64> = nodes
        .iter()
        .map(|n| pl.score(&state, &incoming, n).unwrap())
        .collect();
    assert_eq!(scores, vec![2, 5, 0]);
    // (s - min) * 100 / (max - min): 40, 100, 0.
    assert!(
        pl.normalize_score(&state, &incoming, &nodes, &mut scores)
            .is_success()
    );
    assert_eq!(scores, vec![40, 100, 0]);
}

#[test]
fn existing_pods_preferred_terms_score_and_anti_affinity_only_pods_are_not_visited() {
    let mut c = cluster();
    let mut fan = labelled("fan", "fan");
    fan.spec.affinity = Some(Box::new(Affinity {
        pod_affinity: Some(PodAffinity {
            preferred_during_scheduling_ignored_during_execution: vec![WeightedPodAffinityTerm {
                weight: 4,
                pod_affinity_term: term("web", "zone"),
            }],
            ..Default::default()
        }),
        ..Default::default()
    }));
    let mut guard = labelled("guard", "guard");
    guard.spec.affinity = Some(Box::new(Affinity {
        pod_anti_affinity: Some(PodAntiAffinity {
            required_during_scheduling_ignored_during_execution: vec![term("other", "zone")],
            ..Default::default()
        }),
        ..Default::default()
    }));
    let fan = Arc::new(PodInfo::from_pod(fan));
    c.add_pod(fan.clone(), "b1");
    c.add_pod(Arc::new(PodInfo::from_pod(guard)), "a2");
    let mut snapshot = c.snapshot();
    let visited: Vec<&str> = snapshot
        .nodes_with_scoring_affinity_pods()
        .map(|n| n.name())
        .collect();
    assert_eq!(visited, vec!["b1"]);
    let pl = InterPodAffinity::new(InterPodAffinityArgs::default()).unwrap();
    let incoming = PodInfo::from_pod(labelled("web", "web"));
    let nodes: Vec<&crate::framework::NodeInfo> = ["a1", "a2", "b1"]
        .iter()
        .map(|n| &**snapshot.get(n).unwrap())
        .collect();
    let mut state = CycleState::new();
    assert!(
        pl.pre_score(&mut state, &incoming, &nodes, &snapshot)
            .is_success()
    );
    let scores: Vec<i64> = nodes
        .iter()
        .map(|n| pl.score(&state, &incoming, n).unwrap())
        .collect();
    assert_eq!(scores, vec![0, 0, 4]);
    // Without the pod with preferred terms, nothing scores.
    c.remove_pod(&fan.key);
    c.update_snapshot(&mut snapshot);
    assert_eq!(snapshot.nodes_with_scoring_affinity_pods().count(), 0);
    let nodes: Vec<&crate::framework::NodeInfo> = ["a1", "a2", "b1"]
        .iter()
        .map(|n| &**snapshot.get(n).unwrap())
        .collect();
    let mut state = CycleState::new();
    assert!(
        pl.pre_score(&mut state, &incoming, &nodes, &snapshot)
            .is_skip()
    );
}
