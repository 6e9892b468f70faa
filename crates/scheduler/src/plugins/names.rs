//! The names of the in-tree plugins, as configuration files spell them.

/// Queue ordering by priority.
pub const PRIORITY_SORT: &str = "PrioritySort";
/// `spec.nodeName` filter.
pub const NODE_NAME: &str = "NodeName";
/// Cordoned-node filter.
pub const NODE_UNSCHEDULABLE: &str = "NodeUnschedulable";
/// Host port filter.
pub const NODE_PORTS: &str = "NodePorts";
/// Resource fit filter and allocation score.
pub const NODE_RESOURCES_FIT: &str = "NodeResourcesFit";
/// Balanced resource allocation score.
pub const NODE_RESOURCES_BALANCED_ALLOCATION: &str = "NodeResourcesBalancedAllocation";
/// Node selector and node affinity.
pub const NODE_AFFINITY: &str = "NodeAffinity";
/// Taints and tolerations.
pub const TAINT_TOLERATION: &str = "TaintToleration";
/// Inter-pod affinity and anti-affinity.
pub const INTER_POD_AFFINITY: &str = "InterPodAffinity";
/// Topology spread constraints.
pub const POD_TOPOLOGY_SPREAD: &str = "PodTopologySpread";
/// Image locality score.
pub const IMAGE_LOCALITY: &str = "ImageLocality";
/// Preemption.
pub const DEFAULT_PREEMPTION: &str = "DefaultPreemption";
/// Binding through the API.
pub const DEFAULT_BINDER: &str = "DefaultBinder";
