//! Builders for nodes and pods used by the integration tests.
#![allow(dead_code)]

use core_types::Quantity;
use core_types::core_v1::{Container, Node, Pod, Taint, Toleration};

pub(crate) fn node(name: &str, milli_cpu: i64, memory: i64) -> Node {
    let mut n = Node::default();
    n.metadata.name = name.into();
    n.metadata
        .labels
        .insert("kubernetes.io/hostname".into(), name.into());
    let a = &mut n.status.allocatable;
    a.insert("cpu", Quantity::from_milli(milli_cpu));
    a.insert(
        "memory",
        Quantity::from_value(memory, core_types::QuantityFormat::BinarySI),
    );
    a.insert(
        "pods",
        Quantity::from_value(110, core_types::QuantityFormat::DecimalSI),
    );
    n
}

pub(crate) fn with_label(mut n: Node, k: &str, v: &str) -> Node {
    n.metadata.labels.insert(k.into(), v.into());
    n
}

pub(crate) fn with_taint(mut n: Node, key: &str, value: &str, effect: &str) -> Node {
    n.spec.taints.push(Taint {
        key: key.into(),
        value: value.into(),
        effect: effect.into(),
        ..Default::default()
    });
    n
}

pub(crate) fn pod(name: &str, milli_cpu: i64, memory: i64) -> Pod {
    let mut p = Pod::default();
    p.metadata.namespace = "default".into();
    p.metadata.name = name.into();
    p.metadata.uid = format!("uid-{name}");
    let mut c = Container {
        name: "c".into(),
        image: "pause".into(),
        ..Default::default()
    };
    if milli_cpu > 0 {
        c.resources
            .requests
            .insert("cpu", Quantity::from_milli(milli_cpu));
    }
    if memory > 0 {
        c.resources.requests.insert(
            "memory",
            Quantity::from_value(memory, core_types::QuantityFormat::BinarySI),
        );
    }
    p.spec.containers.push(c);
    p
}

pub(crate) fn with_pod_label(mut p: Pod, k: &str, v: &str) -> Pod {
    p.metadata.labels.insert(k.into(), v.into());
    p
}

pub(crate) fn with_priority(mut p: Pod, priority: i32) -> Pod {
    p.spec.priority = Some(priority);
    p
}

pub(crate) fn with_toleration(mut p: Pod, key: &str, value: &str, effect: &str) -> Pod {
    p.spec.tolerations.push(Toleration {
        key: key.into(),
        operator: "Equal".into(),
        value: value.into(),
        effect: effect.into(),
        ..Default::default()
    });
    p
}

pub(crate) fn bound(mut p: Pod, node: &str) -> Pod {
    p.spec.node_name = node.into();
    p
}

pub(crate) const GI: i64 = 1024 * 1024 * 1024;
