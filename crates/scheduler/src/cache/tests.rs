//! Cache bookkeeping: assume, confirm, forget; incremental snapshots.

use std::sync::Arc;

use super::*;
use crate::framework::PodInfo;
use crate::testing::{node, pod};

fn info(name: &str, cpu: i64) -> Arc<PodInfo> {
    Arc::new(PodInfo::from_pod(pod(name, cpu, 0)))
}

#[test]
fn assume_confirm_forget() {
    let mut c = Cache::new();
    c.add_node(node("n1", 1000, 1000));
    c.assume_pod(info("a", 300), "n1").unwrap();
    assert!(c.is_assumed("default/a"));
    assert_eq!(c.node("n1").unwrap().requested().milli_cpu, 300);
    assert!(matches!(
        c.assume_pod(info("a", 300), "n1"),
        Err(CacheError::AlreadyPresent(_))
    ));
    // Confirmed by the watch: no longer assumed, still counted once.
    let assumed = c.pod("default/a").unwrap().clone();
    let confirmed = info("a", 300);
    c.add_pod(confirmed.clone(), "n1");
    assert!(!c.is_assumed("default/a"));
    assert_eq!(c.node("n1").unwrap().requested().milli_cpu, 300);
    assert_eq!(c.node("n1").unwrap().pods().len(), 1);
    // The node and the pod table hold the confirmed version; the assumed one is
    // released (only this test still holds it).
    assert!(Arc::ptr_eq(&c.node("n1").unwrap().pods()[0], &confirmed));
    assert!(Arc::ptr_eq(c.pod("default/a").unwrap(), &confirmed));
    assert_eq!(Arc::strong_count(&assumed), 1);
    assert!(matches!(
        c.forget_pod("default/a"),
        Err(CacheError::NotAssumed(_))
    ));
    // A failed binding gives the resources back.
    c.assume_pod(info("b", 200), "n1").unwrap();
    c.forget_pod("default/b").unwrap();
    assert_eq!(c.node("n1").unwrap().requested().milli_cpu, 300);
    assert!(matches!(
        c.forget_pod("default/b"),
        Err(CacheError::NotFound(_))
    ));
}

#[test]
fn snapshots_copy_only_changed_nodes() {
    let mut c = Cache::new();
    for i in 0..5 {
        c.add_node(node(&format!("n{i}"), 1000, 1000));
    }
    let mut s = c.snapshot();
    assert_eq!(s.len(), 5);
    let before: Vec<Arc<crate::framework::NodeInfo>> = s.nodes().to_vec();
    c.add_pod(info("a", 100), "n2");
    c.update_snapshot(&mut s);
    for (old, new) in before.iter().zip(s.nodes()) {
        let changed = new.name() == "n2";
        assert_eq!(!Arc::ptr_eq(old, new), changed, "{}", new.name());
    }
    assert_eq!(s.get("n2").unwrap().pods().len(), 1);
    // The old snapshot's node is untouched (copy on write).
    let old_n2 = before.iter().find(|n| n.name() == "n2").unwrap();
    assert!(old_n2.pods().is_empty());
}

#[test]
fn node_removal_and_pods_on_unknown_nodes() {
    let mut c = Cache::new();
    c.add_pod(info("early", 100), "later");
    let s = c.snapshot();
    assert!(s.is_empty());
    c.add_node(node("later", 1000, 1000));
    let s = c.snapshot();
    assert_eq!(s.get("later").unwrap().requested().milli_cpu, 100);
    c.remove_node("later");
    assert!(c.snapshot().is_empty());
    assert_eq!(c.pod_count(), 1);
    c.remove_pod("default/early");
    assert_eq!(c.pod_count(), 0);
    assert!(c.node("later").is_none());
}

#[test]
fn affinity_lists_follow_pods() {
    let mut c = Cache::new();
    c.add_node(node("n1", 1000, 1000));
    c.add_node(node("n2", 1000, 1000));
    let mut s = c.snapshot();
    let mut p = pod("anti", 10, 0);
    p.spec.affinity = Some(Box::new(core_types::core_v1::Affinity {
        pod_anti_affinity: Some(core_types::core_v1::PodAntiAffinity {
            required_during_scheduling_ignored_during_execution: vec![
                core_types::core_v1::PodAffinityTerm {
                    label_selector: Some(Default::default()),
                    topology_key: "kubernetes.io/hostname".into(),
                    ..Default::default()
                },
            ],
            ..Default::default()
        }),
        ..Default::default()
    }));
    c.add_pod(Arc::new(PodInfo::from_pod(p)), "n2");
    c.update_snapshot(&mut s);
    let names: Vec<&str> = s
        .nodes_with_required_anti_affinity_pods()
        .map(|n| n.name())
        .collect();
    assert_eq!(names, ["n2"]);
    c.remove_pod("default/anti");
    c.update_snapshot(&mut s);
    assert_eq!(s.nodes_with_required_anti_affinity_pods().count(), 0);
}
