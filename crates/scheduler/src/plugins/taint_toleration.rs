//! TaintToleration: nodes with untolerated `NoSchedule`/`NoExecute` taints are
//! infeasible; untolerated `PreferNoSchedule` taints lower the score.

use std::sync::Arc;

use core_types::core_v1::Toleration;

use crate::cache::Snapshot;
use crate::error::ConfigError;
use crate::framework::{
    ActionType, ClusterEvent, CycleState, EventResource, FilterPlugin, Handle, MAX_NODE_SCORE,
    NodeInfo, Plugin, PluginArgs, PodInfo, PreScorePlugin, ScorePlugin, Status,
};

use super::helpers::{default_normalize_score, find_untolerated_taint, is_hard_taint, tolerates};
use super::names;

/// Filters on hard taints, scores on soft ones (fewer untolerated
/// `PreferNoSchedule` taints is better; default weight 3).
#[derive(Debug, Default)]
pub struct TaintToleration;

impl TaintToleration {
    /// The factory for the registry.
    pub fn factory(_: &PluginArgs, _: &Handle) -> Result<Arc<dyn Plugin>, ConfigError> {
        Ok(Arc::new(TaintToleration))
    }
}

/// The pod's tolerations that apply to `PreferNoSchedule` taints.
#[derive(Clone, Debug)]
struct PreferTolerations(Vec<Toleration>);

impl Plugin for TaintToleration {
    fn name(&self) -> &str {
        names::TAINT_TOLERATION
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
    fn as_pre_score(&self) -> Option<&dyn PreScorePlugin> {
        Some(self)
    }
    fn as_score(&self) -> Option<&dyn ScorePlugin> {
        Some(self)
    }
}

impl FilterPlugin for TaintToleration {
    fn filter(&self, _: &CycleState, pod: &PodInfo, node: &NodeInfo) -> Status {
        let taints = node.taints();
        if taints.is_empty() {
            return Status::success();
        }
        match find_untolerated_taint(taints, &pod.pod.spec.tolerations, is_hard_taint) {
            None => Status::success(),
            Some(t) => Status::unresolvable(format!(
                "node(s) had untolerated taint {{{}: {}}}",
                t.key, t.value
            )),
        }
    }
}

impl PreScorePlugin for TaintToleration {
    fn pre_score(
        &self,
        state: &mut CycleState,
        pod: &PodInfo,
        _: &[&NodeInfo],
        _: &Snapshot,
    ) -> Status {
        let tolerations = pod
            .pod
            .spec
            .tolerations
            .iter()
            .filter(|t| t.effect.is_empty() || t.effect == "PreferNoSchedule")
            .cloned()
            .collect();
        state.write(PreferTolerations(tolerations));
        Status::success()
    }
}

impl ScorePlugin for TaintToleration {
    fn score(&self, state: &CycleState, pod: &PodInfo, node: &NodeInfo) -> Result<i64, Status> {
        let taints = node.taints();
        if taints.is_empty() {
            return Ok(0);
        }
        let fallback;
        let tolerations = match state.read::<PreferTolerations>() {
            Some(t) => &t.0,
            None => {
                fallback = pod.pod.spec.tolerations.clone();
                &fallback
            }
        };
        let count = taints
            .iter()
            .filter(|t| t.effect == "PreferNoSchedule")
            .filter(|t| !tolerations.iter().any(|tol| tolerates(tol, t)))
            .count();
        Ok(count as i64)
    }

    fn normalize_score(
        &self,
        _: &CycleState,
        _: &PodInfo,
        _: &[&NodeInfo],
        scores: &mut [i64],
    ) -> Status {
        default_normalize_score(MAX_NODE_SCORE, true, scores);
        Status::success()
    }
}
