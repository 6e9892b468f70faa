//! Property tests against a simple model: whatever the cluster and the pods, no
//! binding exceeds a node's allocatable, violates a required node affinity, an
//! untolerated taint, a required anti-affinity or a hard topology spread constraint;
//! preemption evicts only lower-priority pods, and only when that makes the pod fit.

#![allow(clippy::unwrap_used)]

mod support;

use std::collections::HashMap;
use std::time::{Duration, Instant};

use core_types::core_v1::{
    Affinity, NodeAffinity, NodeSelector, NodeSelectorRequirement, NodeSelectorTerm, Pod,
    PodAffinityTerm, PodAntiAffinity, TopologySpreadConstraint,
};
use core_types::selector::LabelSelector;
use proptest::prelude::*;
use scheduler::{Decision, Scheduler};
use support::*;

const ZONES: [&str; 3] = ["a", "b", "c"];

#[derive(Clone, Debug)]
struct NodeSpec {
    cpu: i64,
    mem_gi: i64,
    zone: usize,
    tainted: bool,
}

#[derive(Clone, Debug)]
struct PodSpec {
    cpu: i64,
    mem_mi: i64,
    zone_affinity: Option<usize>,
    anti_app: Option<u8>,
    spread: bool,
    tolerates: bool,
}

fn node_spec() -> impl Strategy<Value = NodeSpec> {
    (1..=8i64, 1..=8i64, 0..3usize, prop::bool::weighted(0.2)).prop_map(
        |(cpu, mem_gi, zone, tainted)| NodeSpec {
            cpu: cpu * 500,
            mem_gi,
            zone,
            tainted,
        },
    )
}

fn pod_spec() -> impl Strategy<Value = PodSpec> {
    (
        0..=6i64,
        0..=8i64,
        prop::option::weighted(0.3, 0..3usize),
        prop::option::weighted(0.3, 0..3u8),
        prop::bool::weighted(0.3),
        prop::bool::weighted(0.3),
    )
        .prop_map(
            |(cpu, mem, zone_affinity, anti_app, spread, tolerates)| PodSpec {
                cpu: cpu * 250,
                mem_mi: mem * 256,
                zone_affinity,
                anti_app,
                spread,
                tolerates,
            },
        )
}

fn build_pod(i: usize, s: &PodSpec) -> Pod {
    let mut p = pod(&format!("p{i}"), s.cpu, s.mem_mi * 1024 * 1024);
    let mut affinity = Affinity::default();
    if let Some(z) = s.zone_affinity {
        affinity.node_affinity = Some(NodeAffinity {
            required_during_scheduling_ignored_during_execution: Some(NodeSelector {
                node_selector_terms: vec![NodeSelectorTerm {
                    match_expressions: vec![NodeSelectorRequirement {
                        key: "topology.kubernetes.io/zone".into(),
                        operator: "In".into(),
                        values: vec![ZONES[z].into()],
                    }],
                    ..Default::default()
                }],
            }),
            ..Default::default()
        });
    }
    if let Some(app) = s.anti_app {
        p = with_pod_label(p, "app", &format!("app{app}"));
        affinity.pod_anti_affinity = Some(PodAntiAffinity {
            required_during_scheduling_ignored_during_execution: vec![PodAffinityTerm {
                label_selector: Some(LabelSelector {
                    match_labels: [("app".to_owned(), format!("app{app}"))].into(),
                    ..Default::default()
                }),
                topology_key: "kubernetes.io/hostname".into(),
                ..Default::default()
            }],
            ..Default::default()
        });
    }
    if s.spread {
        p = with_pod_label(p, "spread", "yes");
        p.spec
            .topology_spread_constraints
            .push(TopologySpreadConstraint {
                max_skew: 1,
                topology_key: "topology.kubernetes.io/zone".into(),
                when_unsatisfiable: "DoNotSchedule".into(),
                label_selector: Some(LabelSelector {
                    match_labels: [("spread".to_owned(), "yes".to_owned())].into(),
                    ..Default::default()
                }),
                ..Default::default()
            });
    }
    if affinity != Affinity::default() {
        p.spec.affinity = Some(Box::new(affinity));
    }
    if s.tolerates {
        p = with_toleration(p, "dedicated", "x", "NoSchedule");
    }
    p
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn bindings_respect_every_hard_constraint(
        nodes in prop::collection::vec(node_spec(), 1..8),
        pods in prop::collection::vec(pod_spec(), 1..40),
    ) {
        let mut s = Scheduler::new().unwrap();
        s.seed(7);
        for (i, n) in nodes.iter().enumerate() {
            let mut node = with_label(node(&format!("n{i}"), n.cpu, n.mem_gi * GI), "topology.kubernetes.io/zone", ZONES[n.zone]);
            if n.tainted {
                node = with_taint(node, "dedicated", "x", "NoSchedule");
            }
            s.add_node(node);
        }
        let now = Instant::now();
        for (i, p) in pods.iter().enumerate() {
            s.add_pod(build_pod(i, p), now);
        }
        // Schedule until nothing is ready, moving the clock past backoffs a few times.
        let mut placed: HashMap<String, String> = HashMap::new();
        let mut t = now;
        for _ in 0..4 {
            for d in s.schedule_all(t) {
                if let Decision::Scheduled { pod, node, .. } = d {
                    placed.insert(pod.name().to_owned(), node);
                }
            }
            t += Duration::from_secs(11);
        }
        // The model: what each node holds.
        let mut cpu: HashMap<&str, i64> = HashMap::new();
        let mut mem: HashMap<&str, i64> = HashMap::new();
        let mut spread_per_zone = [0i64; 3];
        for (i, p) in pods.iter().enumerate() {
            let Some(node_name) = placed.get(&format!("p{i}")) else { continue };
            let ni: usize = node_name[1..].parse().unwrap();
            let n = &nodes[ni];
            *cpu.entry(node_name).or_default() += p.cpu;
            *mem.entry(node_name).or_default() += p.mem_mi * 1024 * 1024;
            if let Some(z) = p.zone_affinity {
                prop_assert_eq!(n.zone, z, "pod p{} on a node outside its required zone", i);
            }
            if n.tainted {
                prop_assert!(p.tolerates, "pod p{} on a tainted node without toleration", i);
            }
            if p.spread {
                spread_per_zone[n.zone] += 1;
            }
            if let Some(app) = p.anti_app {
                for (j, q) in pods.iter().enumerate() {
                    if j != i && q.anti_app == Some(app) && placed.get(&format!("p{j}")) == Some(node_name) {
                        prop_assert!(false, "p{} and p{} share node {} despite anti-affinity", i, j, node_name);
                    }
                }
            }
        }
        for (name, used) in &cpu {
            let ni: usize = name[1..].parse().unwrap();
            prop_assert!(*used <= nodes[ni].cpu, "cpu over allocatable on {}", name);
            prop_assert!(mem[name] <= nodes[ni].mem_gi * GI, "memory over allocatable on {}", name);
        }
        // Hard spread (maxSkew 1 over the zones that have nodes) holds at the end,
        // since it held at every binding and pods were only added.
        let zones_present: Vec<usize> = (0..3).filter(|z| nodes.iter().any(|n| n.zone == *z)).collect();
        let counts: Vec<i64> = zones_present.iter().map(|z| spread_per_zone[*z]).collect();
        if let (Some(max), Some(min)) = (counts.iter().max(), counts.iter().min()) {
            // Pods with zone affinity or taint constraints can restrict which domains
            // count; the bound is checked only for the unconstrained case.
            let unconstrained = pods.iter().filter(|p| p.spread).all(|p| p.zone_affinity.is_none());
            if unconstrained {
                prop_assert!(max - min <= 1, "zone skew {:?}", counts);
            }
        }
        // Every pod is either placed or still queued; nothing is lost.
        prop_assert_eq!(placed.len() + s.queue().len(), pods.len());
    }

    #[test]
    fn preemption_only_evicts_lower_priority_and_only_when_it_helps(
        node_cpus in prop::collection::vec(1..=4i64, 1..5),
        existing in prop::collection::vec((0..4usize, 1..=4i64, 0..=3i32), 0..16),
        incoming_cpu in 1..=8i64,
        incoming_priority in 0..=4i32,
    ) {
        let mut s = Scheduler::new().unwrap();
        let caps: Vec<i64> = node_cpus.iter().map(|c| c * 1000).collect();
        for (i, c) in caps.iter().enumerate() {
            s.add_node(node(&format!("n{i}"), *c, 64 * GI));
        }
        let now = Instant::now();
        let mut used = vec![0i64; caps.len()];
        let mut pods_on: Vec<Vec<(String, i64, i32)>> = vec![Vec::new(); caps.len()];
        for (k, (ni, cpu, prio)) in existing.iter().enumerate() {
            let ni = ni % caps.len();
            let cpu = cpu * 250;
            if used[ni] + cpu > caps[ni] {
                continue;
            }
            used[ni] += cpu;
            let name = format!("e{k}");
            pods_on[ni].push((name.clone(), cpu, *prio));
            s.add_pod(bound(with_priority(pod(&name, cpu, GI / 16), *prio), &format!("n{ni}")), now);
        }
        let cpu = incoming_cpu * 250;
        s.add_pod(with_priority(pod("incoming", cpu, GI / 16), incoming_priority), now);
        let fits_somewhere = (0..caps.len()).any(|i| used[i] + cpu <= caps[i]);
        match s.schedule_next(now).unwrap() {
            Decision::Scheduled { node, .. } => {
                let ni: usize = node[1..].parse().unwrap();
                prop_assert!(used[ni] + cpu <= caps[ni]);
            }
            Decision::Unschedulable { nominated_node, victims, .. } => {
                prop_assert!(!fits_somewhere, "a node had room but the pod was not scheduled");
                if let Some(node) = nominated_node {
                    let ni: usize = node[1..].parse().unwrap();
                    let freed: i64 = victims.iter().map(|v| {
                        pods_on[ni].iter().find(|(n, _, _)| n == v.name()).map(|(_, c, _)| *c).unwrap()
                    }).sum();
                    for v in &victims {
                        prop_assert!(v.priority < incoming_priority, "evicted a pod of priority {} >= {}", v.priority, incoming_priority);
                        prop_assert!(pods_on[ni].iter().any(|(n, _, _)| n == v.name()), "victim not on the nominated node");
                    }
                    prop_assert!(used[ni] - freed + cpu <= caps[ni], "evictions do not make the pod fit");
                    // Minimal: putting any single victim back would not fit.
                    for v in &victims {
                        let c = pods_on[ni].iter().find(|(n, _, _)| n == v.name()).map(|(_, c, _)| *c).unwrap();
                        prop_assert!(used[ni] - freed + c + cpu > caps[ni], "victim {} was not needed", v.name());
                    }
                } else {
                    prop_assert!(victims.is_empty());
                    // No node would fit even without all lower-priority pods.
                    for i in 0..caps.len() {
                        let lower: i64 = pods_on[i].iter().filter(|(_, _, p)| *p < incoming_priority).map(|(_, c, _)| *c).sum();
                        prop_assert!(used[i] - lower + cpu > caps[i], "preemption on n{} would have helped", i);
                    }
                }
            }
            other => prop_assert!(false, "unexpected {:?}", other),
        }
    }
}
