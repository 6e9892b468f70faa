//! One scheduling cycle (PreFilter, Filter up to the adaptive number of feasible
//! nodes, PreScore, Score, selection) of a basic pod at 100, 1,000, 5,000 and 15,000
//! nodes, each node already running two pods; shows how the cost grows with the
//! cluster.
//!
//! Run: `cargo bench --manifest-path benches/Cargo.toml --bench scheduling_cycle`.

// `criterion_group!` generates an undocumented function.
#![allow(missing_docs)]

use std::hint::black_box;
use std::time::Instant;

use core_types::core_v1::{Container, Node, Pod};
use core_types::{Quantity, QuantityFormat};
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use scheduler::Scheduler;

fn node(i: usize) -> Node {
    let mut n = Node::default();
    n.metadata.name = format!("node-{i}");
    n.metadata
        .labels
        .insert("kubernetes.io/hostname".into(), n.metadata.name.clone());
    n.metadata.labels.insert(
        "topology.kubernetes.io/zone".into(),
        format!("zone-{}", i % 3),
    );
    let a = &mut n.status.allocatable;
    a.insert("cpu", Quantity::from_milli(4000));
    a.insert(
        "memory",
        Quantity::from_value(32 << 30, QuantityFormat::BinarySI),
    );
    a.insert("pods", Quantity::from_value(110, QuantityFormat::DecimalSI));
    n
}

fn pod(name: String, node: Option<String>) -> Pod {
    let mut p = Pod::default();
    p.metadata.namespace = "default".into();
    p.metadata.name = name;
    let mut c = Container {
        name: "pause".into(),
        image: "registry.k8s.io/pause:3.10".into(),
        ..Default::default()
    };
    c.resources
        .requests
        .insert("cpu", Quantity::from_milli(100));
    c.resources.requests.insert(
        "memory",
        Quantity::from_value(500 << 20, QuantityFormat::BinarySI),
    );
    p.spec.containers.push(c);
    if let Some(n) = node {
        p.spec.node_name = n;
    }
    p
}

fn cycle(c: &mut Criterion) {
    let mut group = c.benchmark_group("scheduling_cycle");
    for nodes in [100, 1000, 5000, 15000] {
        let mut s = Scheduler::new().expect("default profile");
        let now = Instant::now();
        for i in 0..nodes {
            s.add_node(node(i));
            for j in 0..2 {
                s.add_pod(pod(format!("p-{i}-{j}"), Some(format!("node-{i}"))), now);
            }
        }
        let incoming = pod("incoming".into(), None);
        group.bench_with_input(BenchmarkId::from_parameter(nodes), &nodes, |b, _| {
            b.iter(|| black_box(s.schedule_pod(black_box(&incoming)).expect("fits")))
        });
    }
    group.finish();
}

criterion_group!(benches, cycle);
criterion_main!(benches);
