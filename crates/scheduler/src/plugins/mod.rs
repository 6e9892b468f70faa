//! The in-tree plugins, with kube-scheduler's semantics and default weights.

pub mod names;

mod default_binder;
mod helpers;
mod image_locality;
mod inter_pod_affinity;
mod node_affinity;
mod node_basics;
mod node_memo;
mod node_resources;
mod pod_topology_spread;
mod preemption;
mod priority_sort;
mod taint_toleration;

pub use default_binder::DefaultBinder;
pub use helpers::{
    CompiledNodeSelector, CompiledTerm, RequiredNodeAffinity, default_normalize_score,
    find_untolerated_taint, is_hard_taint, tolerates,
};
pub use image_locality::{
    ImageLocality, MAX_CONTAINER_THRESHOLD, MIN_THRESHOLD, image_score, normalized_image_name,
};
pub use inter_pod_affinity::{
    ERR_REASON_AFFINITY, ERR_REASON_ANTI_AFFINITY, ERR_REASON_EXISTING_ANTI_AFFINITY,
    InterPodAffinity, InterPodAffinityArgs,
};
pub use node_affinity::{
    ERR_REASON_ENFORCED_NODE_AFFINITY, ERR_REASON_NODE_AFFINITY, ERR_REASON_NODE_AFFINITY_CONFLICT,
    NodeAffinity, NodeAffinityArgs,
};
pub use node_basics::{
    ERR_REASON_NODE_NAME, ERR_REASON_NODE_PORTS, ERR_REASON_UNSCHEDULABLE, NodeName, NodePorts,
    NodeUnschedulable,
};
pub use node_resources::{
    BalancedAllocation, BalancedAllocationArgs, Fit, MAX_CUSTOM_PRIORITY_SCORE,
    NodeResourcesFitArgs, ResourceScorer, ResourceSpec, ShapePoint, Strategy, broken_linear,
    default_resources, insufficient_resources, least_requested_score, most_requested_score,
};
pub use pod_topology_spread::{
    Constraint, ERR_REASON_CONSTRAINTS_NOT_MATCH, ERR_REASON_NODE_LABEL_NOT_MATCH,
    PodTopologySpread, PodTopologySpreadArgs, score_for_count, topology_normalizing_weight,
};
pub use preemption::{DefaultPreemption, DefaultPreemptionArgs, NO_VICTIMS, NOT_HELPFUL, Victims};
pub use priority_sort::PrioritySort;
pub use taint_toleration::TaintToleration;

use crate::framework::Registry;

/// The registry of the in-tree plugins.
pub(crate) fn in_tree_registry() -> Registry {
    let mut r = Registry::empty();
    let entries: [(&str, crate::framework::PluginFactory); 13] = [
        (
            names::PRIORITY_SORT,
            std::sync::Arc::new(PrioritySort::factory),
        ),
        (names::NODE_NAME, std::sync::Arc::new(NodeName::factory)),
        (
            names::NODE_UNSCHEDULABLE,
            std::sync::Arc::new(NodeUnschedulable::factory),
        ),
        (names::NODE_PORTS, std::sync::Arc::new(NodePorts::factory)),
        (names::NODE_RESOURCES_FIT, std::sync::Arc::new(Fit::factory)),
        (
            names::NODE_RESOURCES_BALANCED_ALLOCATION,
            std::sync::Arc::new(BalancedAllocation::factory),
        ),
        (
            names::NODE_AFFINITY,
            std::sync::Arc::new(NodeAffinity::factory),
        ),
        (
            names::TAINT_TOLERATION,
            std::sync::Arc::new(TaintToleration::factory),
        ),
        (
            names::INTER_POD_AFFINITY,
            std::sync::Arc::new(InterPodAffinity::factory),
        ),
        (
            names::POD_TOPOLOGY_SPREAD,
            std::sync::Arc::new(PodTopologySpread::factory),
        ),
        (
            names::IMAGE_LOCALITY,
            std::sync::Arc::new(ImageLocality::factory),
        ),
        (
            names::DEFAULT_PREEMPTION,
            std::sync::Arc::new(DefaultPreemption::factory),
        ),
        (
            names::DEFAULT_BINDER,
            std::sync::Arc::new(DefaultBinder::factory),
        ),
    ];
    for (name, factory) in entries {
        // Names are distinct constants: registration cannot collide.
        let _ = r.register(name, move |args, handle| factory(args, handle));
    }
    r
}
