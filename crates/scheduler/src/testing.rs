//! Builders for unit tests.

use std::sync::Arc;

use core_types::core_v1::{Container, Node, Pod};
use core_types::{Quantity, QuantityFormat};

use crate::framework::{NodeInfo, PodInfo};

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
        Quantity::from_value(memory, QuantityFormat::DecimalSI),
    );
    a.insert("pods", Quantity::from_value(110, QuantityFormat::DecimalSI));
    n
}

pub(crate) fn pod(name: &str, milli_cpu: i64, memory: i64) -> Pod {
    let mut p = Pod::default();
    p.metadata.namespace = "default".into();
    p.metadata.name = name.into();
    let mut c = Container {
        name: "c".into(),
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
            Quantity::from_value(memory, QuantityFormat::DecimalSI),
        );
    }
    p.spec.containers.push(c);
    p
}

pub(crate) fn info(p: Pod) -> Arc<PodInfo> {
    Arc::new(PodInfo::from_pod(p))
}

pub(crate) fn node_info(n: Node, pods: Vec<Pod>) -> NodeInfo {
    let mut ni = NodeInfo::new(Arc::new(n));
    for p in pods {
        ni.add_pod(info(p));
    }
    ni
}
