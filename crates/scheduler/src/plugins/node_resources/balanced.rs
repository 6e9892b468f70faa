//! NodeResourcesBalancedAllocation: prefers nodes whose resources would be used in
//! similar proportions after placing the pod.

use std::sync::Arc;

use serde::Deserialize;

use super::scoring::{
    ResourceScorer, ResourceSpec, Strategy, default_resources, validate_resources,
};
use crate::cache::Snapshot;
use crate::error::ConfigError;
use crate::framework::{
    ActionType, ClusterEvent, CycleState, EventResource, Handle, NodeInfo, Plugin, PluginArgs,
    PodInfo, PreScorePlugin, ScorePlugin, Status,
};
use crate::plugins::names;

/// `NodeResourcesBalancedAllocationArgs`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BalancedAllocationArgs {
    /// The resources compared (default cpu and memory).
    #[serde(default)]
    pub resources: Option<Vec<ResourceSpec>>,
}

/// Scores `(1 - std deviation of requested/allocatable fractions) * 100`, counting
/// actual requests; skips best-effort pods (default weight 1).
#[derive(Debug)]
pub struct BalancedAllocation {
    scorer: ResourceScorer,
}

#[derive(Clone, Debug)]
struct BalancedPreScore(Vec<i64>, u64);

/// The node memo slot BalancedAllocation's score uses.
const MEMO_SLOT: usize = 1;

impl BalancedAllocation {
    /// The factory for the registry.
    pub fn factory(args: &PluginArgs, _: &Handle) -> Result<Arc<dyn Plugin>, ConfigError> {
        let args: BalancedAllocationArgs = args.decode()?;
        Ok(Arc::new(BalancedAllocation::new(&args)?))
    }

    /// A plugin with these arguments.
    pub fn new(args: &BalancedAllocationArgs) -> Result<Self, ConfigError> {
        let resources = args.resources.clone().unwrap_or_else(default_resources);
        validate_resources(&resources).map_err(|message| ConfigError::PluginArgs {
            plugin: names::NODE_RESOURCES_BALANCED_ALLOCATION.into(),
            message,
        })?;
        Ok(BalancedAllocation {
            scorer: ResourceScorer::new(Strategy::Balanced, resources, true),
        })
    }

    /// The scorer (for tests and benchmarks).
    pub fn scorer(&self) -> &ResourceScorer {
        &self.scorer
    }
}

impl Plugin for BalancedAllocation {
    fn name(&self) -> &str {
        names::NODE_RESOURCES_BALANCED_ALLOCATION
    }
    fn events_to_register(&self) -> Vec<ClusterEvent> {
        vec![
            ClusterEvent::new(EventResource::AssignedPod, ActionType::ALL),
            ClusterEvent::new(EventResource::Node, ActionType::ADD | ActionType::UPDATE),
        ]
    }
    fn as_pre_score(&self) -> Option<&dyn PreScorePlugin> {
        Some(self)
    }
    fn as_score(&self) -> Option<&dyn ScorePlugin> {
        Some(self)
    }
}

impl PreScorePlugin for BalancedAllocation {
    fn pre_score(
        &self,
        state: &mut CycleState,
        pod: &PodInfo,
        _: &[&NodeInfo],
        _: &Snapshot,
    ) -> Status {
        let requests = self.scorer.pod_requests(pod);
        if requests.iter().all(|r| *r == 0) {
            // Best-effort pods would otherwise all pile onto the same nodes.
            return Status::skip();
        }
        let key = self.scorer.memo_key(&requests);
        state.write(BalancedPreScore(requests, key));
        Status::success()
    }
}

impl ScorePlugin for BalancedAllocation {
    fn score(&self, state: &CycleState, pod: &PodInfo, node: &NodeInfo) -> Result<i64, Status> {
        match state.read::<BalancedPreScore>() {
            Some(r) => Ok(self.scorer.score_memoized(node, &r.0, MEMO_SLOT, r.1)),
            None => {
                let r = self.scorer.pod_requests(pod);
                if r.iter().all(|x| *x == 0) {
                    return Ok(0);
                }
                Ok(self.scorer.score(node, &r))
            }
        }
    }
}
