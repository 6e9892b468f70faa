//! NodeResourcesFit (filter: the pod's requests fit the node's free allocatable; score:
//! LeastAllocated, MostAllocated or RequestedToCapacityRatio) and
//! NodeResourcesBalancedAllocation.

mod balanced;
mod scoring;

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::sync::Arc;

use serde::Deserialize;

pub use balanced::{BalancedAllocation, BalancedAllocationArgs};
pub use scoring::{
    MAX_CUSTOM_PRIORITY_SCORE, ResourceScorer, ResourceSpec, ShapePoint, Strategy, broken_linear,
    default_resources, least_requested_score, most_requested_score,
};

use crate::cache::Snapshot;
use crate::error::ConfigError;
use crate::framework::{
    ActionType, ClusterEvent, CycleState, EventResource, FilterPlugin, Handle, NodeInfo, Plugin,
    PluginArgs, PodInfo, PreScorePlugin, ScorePlugin, Status,
};

use super::names;

/// `NodeResourcesFitArgs.scoringStrategy`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ScoringStrategyConfig {
    /// `LeastAllocated` (default), `MostAllocated` or `RequestedToCapacityRatio`.
    #[serde(default, rename = "type")]
    pub type_: String,
    /// Resources and weights (default: cpu and memory, 1 each).
    #[serde(default)]
    pub resources: Option<Vec<ResourceSpec>>,
    /// The shape for `RequestedToCapacityRatio`.
    #[serde(default)]
    pub requested_to_capacity_ratio: Option<RequestedToCapacityRatioConfig>,
}

/// `requestedToCapacityRatio`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RequestedToCapacityRatioConfig {
    /// Utilization to score points.
    #[serde(default)]
    pub shape: Vec<ShapePoint>,
}

/// `NodeResourcesFitArgs`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NodeResourcesFitArgs {
    /// Extended resources the filter ignores.
    #[serde(default)]
    pub ignored_resources: Vec<String>,
    /// Extended resource groups (the part before `/`) the filter ignores.
    #[serde(default)]
    pub ignored_resource_groups: Vec<String>,
    /// How nodes are scored.
    #[serde(default)]
    pub scoring_strategy: Option<ScoringStrategyConfig>,
}

/// Filters nodes without room for the pod's requests; scores by the configured
/// strategy (default LeastAllocated over cpu and memory; default weight 1).
#[derive(Debug)]
pub struct Fit {
    ignored: BTreeSet<String>,
    ignored_groups: BTreeSet<String>,
    scorer: ResourceScorer,
}

impl Fit {
    /// The factory for the registry.
    pub fn factory(args: &PluginArgs, _: &Handle) -> Result<Arc<dyn Plugin>, ConfigError> {
        let args: NodeResourcesFitArgs = args.decode()?;
        Ok(Arc::new(Fit::new(&args)?))
    }

    /// A plugin with these arguments.
    pub fn new(args: &NodeResourcesFitArgs) -> Result<Self, ConfigError> {
        let strategy = args.scoring_strategy.clone().unwrap_or_default();
        let resources = strategy.resources.clone().unwrap_or_else(default_resources);
        scoring::validate_resources(&resources).map_err(|message| ConfigError::PluginArgs {
            plugin: names::NODE_RESOURCES_FIT.into(),
            message,
        })?;
        let shape = strategy
            .requested_to_capacity_ratio
            .as_ref()
            .map(|r| r.shape.as_slice());
        Ok(Fit {
            ignored: args.ignored_resources.iter().cloned().collect(),
            ignored_groups: args.ignored_resource_groups.iter().cloned().collect(),
            scorer: ResourceScorer::new(
                Strategy::from_config(&strategy.type_, shape)?,
                resources,
                false,
            ),
        })
    }

    /// The scorer (for tests and benchmarks).
    pub fn scorer(&self) -> &ResourceScorer {
        &self.scorer
    }
}

/// The pod's requests per scored resource, and their memo key.
#[derive(Clone, Debug)]
struct FitPreScore(Vec<i64>, u64);

/// The node memo slot NodeResourcesFit's score uses.
const MEMO_SLOT: usize = 0;

/// Why `pod` does not fit on `node` (empty when it fits): kube-scheduler's
/// `fitsRequest`, in integer units.
pub fn insufficient_resources(
    pod: &PodInfo,
    node: &NodeInfo,
    ignored: &BTreeSet<String>,
    ignored_groups: &BTreeSet<String>,
) -> Vec<Cow<'static, str>> {
    let mut reasons = Vec::new();
    let alloc = node.allocatable();
    let used = node.requested();
    if node.pods().len() as i64 + 1 > alloc.allowed_pod_number {
        reasons.push(Cow::Borrowed("Too many pods"));
    }
    let req = &pod.requests.requests;
    if req.is_zero() {
        return reasons;
    }
    if req.milli_cpu > 0 && req.milli_cpu > alloc.milli_cpu - used.milli_cpu {
        reasons.push(Cow::Borrowed("Insufficient cpu"));
    }
    if req.memory > 0 && req.memory > alloc.memory - used.memory {
        reasons.push(Cow::Borrowed("Insufficient memory"));
    }
    if req.ephemeral_storage > 0
        && req.ephemeral_storage > alloc.ephemeral_storage - used.ephemeral_storage
    {
        reasons.push(Cow::Borrowed("Insufficient ephemeral-storage"));
    }
    for (name, q) in &req.scalar {
        if *q == 0 {
            continue;
        }
        if name.contains('/') && !name.contains("kubernetes.io/") {
            let group = name.split('/').next().unwrap_or_default();
            if ignored.contains(name) || ignored_groups.contains(group) {
                continue;
            }
        }
        if *q > alloc.scalar(name) - used.scalar(name) {
            reasons.push(Cow::Owned(format!("Insufficient {name}")));
        }
    }
    reasons
}

/// True if `pod` requests more of some resource than `node` has allocatable at all.
fn exceeds_allocatable(
    pod: &PodInfo,
    node: &NodeInfo,
    ignored: &BTreeSet<String>,
    ignored_groups: &BTreeSet<String>,
) -> bool {
    let alloc = node.allocatable();
    let req = &pod.requests.requests;
    let over = |want: i64, have: i64| want > 0 && want > have;
    over(req.milli_cpu, alloc.milli_cpu)
        || over(req.memory, alloc.memory)
        || over(req.ephemeral_storage, alloc.ephemeral_storage)
        || req.scalar.iter().any(|(name, q)| {
            let skipped = name.contains('/')
                && !name.contains("kubernetes.io/")
                && (ignored.contains(name)
                    || ignored_groups.contains(name.split('/').next().unwrap_or_default()));
            !skipped && over(*q, alloc.scalar(name))
        })
}

impl Plugin for Fit {
    fn name(&self) -> &str {
        names::NODE_RESOURCES_FIT
    }
    fn events_to_register(&self) -> Vec<ClusterEvent> {
        vec![
            ClusterEvent::new(
                EventResource::AssignedPod,
                ActionType::DELETE | ActionType::UPDATE_POD_SCALE_DOWN,
            ),
            ClusterEvent::new(
                EventResource::Node,
                ActionType::ADD | ActionType::UPDATE_NODE_ALLOCATABLE,
            ),
        ]
    }
    fn as_filter(&self) -> Option<&dyn FilterPlugin> {
        Some(self)
    }
    fn as_pre_score(&self) -> Option<&dyn PreScorePlugin> {
        Some(self)
    }
    fn as_score(&self) -> Option<&dyn ScorePlugin> {
        Some(self)
    }
}

impl FilterPlugin for Fit {
    fn filter(&self, _: &CycleState, pod: &PodInfo, node: &NodeInfo) -> Status {
        // Fast path: the common single-dimension checks without building a list.
        let alloc = node.allocatable();
        let used = node.requested();
        let req = &pod.requests.requests;
        let fits_fast = (node.pods().len() as i64) < alloc.allowed_pod_number
            && req.milli_cpu <= alloc.milli_cpu - used.milli_cpu
            && req.memory <= alloc.memory - used.memory
            && req.ephemeral_storage <= alloc.ephemeral_storage - used.ephemeral_storage
            && req.scalar.is_empty();
        if fits_fast {
            return Status::success();
        }
        let reasons = insufficient_resources(pod, node, &self.ignored, &self.ignored_groups);
        if reasons.is_empty() {
            Status::success()
        } else if exceeds_allocatable(pod, node, &self.ignored, &self.ignored_groups) {
            // Not even an empty node would do: preemption cannot help here, so it
            // does not try this node (kubernetes/kubernetes#131345 does the same).
            Status::with_reasons(
                crate::framework::Code::UnschedulableAndUnresolvable,
                reasons,
            )
        } else {
            Status::with_reasons(crate::framework::Code::Unschedulable, reasons)
        }
    }
}

impl PreScorePlugin for Fit {
    fn pre_score(
        &self,
        state: &mut CycleState,
        pod: &PodInfo,
        _: &[&NodeInfo],
        _: &Snapshot,
    ) -> Status {
        let requests = self.scorer.pod_requests(pod);
        let key = self.scorer.memo_key(&requests);
        state.write(FitPreScore(requests, key));
        Status::success()
    }
}

impl ScorePlugin for Fit {
    fn score(&self, state: &CycleState, pod: &PodInfo, node: &NodeInfo) -> Result<i64, Status> {
        Ok(match state.read::<FitPreScore>() {
            Some(r) => self.scorer.score_memoized(node, &r.0, MEMO_SLOT, r.1),
            None => self.scorer.score(node, &self.scorer.pod_requests(pod)),
        })
    }
}

#[cfg(test)]
mod tests;
