//! The simple node filters: NodeName, NodeUnschedulable and NodePorts.

use std::sync::Arc;

use core_types::core_v1::Taint;

use crate::cache::Snapshot;
use crate::error::ConfigError;
use crate::framework::{
    ActionType, ClusterEvent, CycleState, EventResource, FilterPlugin, Handle, NodeInfo, Plugin,
    PluginArgs, PodInfo, PreFilterPlugin, PreFilterResult, Status,
};

use super::helpers::tolerates;
use super::names;

/// The reason NodeName gives.
pub const ERR_REASON_NODE_NAME: &str = "node(s) didn't match the requested node name";
/// The reason NodeUnschedulable gives.
pub const ERR_REASON_UNSCHEDULABLE: &str = "node(s) were unschedulable";
/// The reason NodePorts gives.
pub const ERR_REASON_NODE_PORTS: &str =
    "node(s) didn't have free ports for the requested pod ports";

// === NodeName ===

/// Rejects every node but the one named in `spec.nodeName`, when set.
#[derive(Debug, Default)]
pub struct NodeName;

impl NodeName {
    /// The factory for the registry.
    pub fn factory(_: &PluginArgs, _: &Handle) -> Result<Arc<dyn Plugin>, ConfigError> {
        Ok(Arc::new(NodeName))
    }
}

impl Plugin for NodeName {
    fn name(&self) -> &str {
        names::NODE_NAME
    }
    fn events_to_register(&self) -> Vec<ClusterEvent> {
        vec![ClusterEvent::new(
            EventResource::Node,
            ActionType::ADD | ActionType::UPDATE,
        )]
    }
    fn as_filter(&self) -> Option<&dyn FilterPlugin> {
        Some(self)
    }
}

impl FilterPlugin for NodeName {
    fn filter(&self, _: &CycleState, pod: &PodInfo, node: &NodeInfo) -> Status {
        let wanted = pod.pod.spec.node_name.as_str();
        if wanted.is_empty() || wanted == node.name() {
            Status::success()
        } else {
            Status::unresolvable(ERR_REASON_NODE_NAME)
        }
    }
}

// === NodeUnschedulable ===

/// Rejects cordoned nodes (`spec.unschedulable`) unless the pod tolerates the
/// `node.kubernetes.io/unschedulable:NoSchedule` taint.
#[derive(Debug, Default)]
pub struct NodeUnschedulable;

impl NodeUnschedulable {
    /// The factory for the registry.
    pub fn factory(_: &PluginArgs, _: &Handle) -> Result<Arc<dyn Plugin>, ConfigError> {
        Ok(Arc::new(NodeUnschedulable))
    }
}

impl Plugin for NodeUnschedulable {
    fn name(&self) -> &str {
        names::NODE_UNSCHEDULABLE
    }
    fn events_to_register(&self) -> Vec<ClusterEvent> {
        vec![
            ClusterEvent::new(
                EventResource::Node,
                ActionType::ADD | ActionType::UPDATE_NODE_TAINT,
            ),
            ClusterEvent::new(
                EventResource::UnscheduledPod,
                ActionType::UPDATE_POD_TOLERATIONS,
            ),
        ]
    }
    fn as_filter(&self) -> Option<&dyn FilterPlugin> {
        Some(self)
    }
}

impl FilterPlugin for NodeUnschedulable {
    fn filter(&self, _: &CycleState, pod: &PodInfo, node: &NodeInfo) -> Status {
        if !node.unschedulable() {
            return Status::success();
        }
        let taint = Taint {
            key: "node.kubernetes.io/unschedulable".into(),
            effect: "NoSchedule".into(),
            ..Taint::default()
        };
        if pod
            .pod
            .spec
            .tolerations
            .iter()
            .any(|t| tolerates(t, &taint))
        {
            Status::success()
        } else {
            Status::unresolvable(ERR_REASON_UNSCHEDULABLE)
        }
    }
}

// === NodePorts ===

/// Rejects nodes where a host port the pod asks for is taken.
#[derive(Debug, Default)]
pub struct NodePorts;

impl NodePorts {
    /// The factory for the registry.
    pub fn factory(_: &PluginArgs, _: &Handle) -> Result<Arc<dyn Plugin>, ConfigError> {
        Ok(Arc::new(NodePorts))
    }
}

impl Plugin for NodePorts {
    fn name(&self) -> &str {
        names::NODE_PORTS
    }
    fn events_to_register(&self) -> Vec<ClusterEvent> {
        vec![
            ClusterEvent::new(EventResource::AssignedPod, ActionType::DELETE),
            ClusterEvent::new(EventResource::Node, ActionType::ADD | ActionType::UPDATE),
        ]
    }
    fn as_pre_filter(&self) -> Option<&dyn PreFilterPlugin> {
        Some(self)
    }
    fn as_filter(&self) -> Option<&dyn FilterPlugin> {
        Some(self)
    }
}

impl PreFilterPlugin for NodePorts {
    fn pre_filter(
        &self,
        _: &mut CycleState,
        pod: &PodInfo,
        _: &Snapshot,
    ) -> Result<PreFilterResult, Status> {
        if pod.host_ports.is_empty() {
            Ok(PreFilterResult::Skip)
        } else {
            Ok(PreFilterResult::Continue)
        }
    }
}

impl FilterPlugin for NodePorts {
    fn filter(&self, _: &CycleState, pod: &PodInfo, node: &NodeInfo) -> Status {
        let used = node.used_ports();
        if pod
            .host_ports
            .iter()
            .any(|want| used.iter().any(|u| u.conflicts(want)))
        {
            Status::unschedulable(ERR_REASON_NODE_PORTS)
        } else {
            Status::success()
        }
    }
}
