//! NodeAffinity: `spec.nodeSelector` and required node affinity filter nodes;
//! preferred node affinity scores them.

use std::collections::BTreeSet;
use std::sync::Arc;

use core_types::core_v1::{NodeAffinity as NodeAffinitySpec, Pod};
use serde::Deserialize;

use crate::cache::Snapshot;
use crate::error::ConfigError;
use crate::framework::{
    ActionType, ClusterEvent, CycleState, EventResource, FilterPlugin, Handle, MAX_NODE_SCORE,
    NodeInfo, Plugin, PluginArgs, PodInfo, PreFilterPlugin, PreFilterResult, PreScorePlugin,
    ScorePlugin, Status,
};

use super::helpers::{
    CompiledNodeSelector, CompiledTerm, RequiredNodeAffinity, default_normalize_score,
};
use super::names;

/// The reason for a node that does not match the pod's selector or affinity.
pub const ERR_REASON_NODE_AFFINITY: &str = "node(s) didn't match Pod's node affinity/selector";
/// The reason for a node excluded by the scheduler-enforced `addedAffinity`.
pub const ERR_REASON_ENFORCED_NODE_AFFINITY: &str =
    "node(s) didn't match scheduler-enforced node affinity";
/// The reason when the pod's `metadata.name` terms contradict each other.
pub const ERR_REASON_NODE_AFFINITY_CONFLICT: &str = "pod affinity terms conflict";

/// `NodeAffinityArgs`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NodeAffinityArgs {
    /// Affinity applied to every pod of the profile, in addition to its own.
    #[serde(default)]
    pub added_affinity: Option<NodeAffinitySpec>,
}

/// Filters by required node affinity and node selector; scores by preferred terms
/// (default weight 2).
#[derive(Debug)]
pub struct NodeAffinity {
    added_required: Option<CompiledNodeSelector>,
    added_preferred: Vec<(CompiledTerm, i64)>,
}

impl NodeAffinity {
    /// The factory for the registry.
    pub fn factory(args: &PluginArgs, _: &Handle) -> Result<Arc<dyn Plugin>, ConfigError> {
        let args: NodeAffinityArgs = args.decode()?;
        Ok(Arc::new(NodeAffinity::new(&args)))
    }

    /// A plugin with these arguments.
    pub fn new(args: &NodeAffinityArgs) -> Self {
        let added = args.added_affinity.as_ref();
        NodeAffinity {
            added_required: added
                .and_then(|a| {
                    a.required_during_scheduling_ignored_during_execution
                        .as_ref()
                })
                .map(CompiledNodeSelector::new),
            added_preferred: added
                .map(|a| preferred_terms(&a.preferred_during_scheduling_ignored_during_execution))
                .unwrap_or_default(),
        }
    }
}

fn preferred_terms(
    terms: &[core_types::core_v1::PreferredSchedulingTerm],
) -> Vec<(CompiledTerm, i64)> {
    terms
        .iter()
        .filter(|t| t.weight != 0)
        .map(|t| (CompiledTerm::new(&t.preference), i64::from(t.weight)))
        .collect()
}

#[derive(Clone, Debug)]
struct Required(RequiredNodeAffinity);

#[derive(Clone, Debug)]
struct Preferred(Vec<(CompiledTerm, i64)>);

fn has_required_affinity(pod: &Pod) -> bool {
    pod.spec
        .affinity
        .as_ref()
        .and_then(|a| a.node_affinity.as_ref())
        .is_some_and(|n| {
            n.required_during_scheduling_ignored_during_execution
                .is_some()
        })
}

impl Plugin for NodeAffinity {
    fn name(&self) -> &str {
        names::NODE_AFFINITY
    }
    fn events_to_register(&self) -> Vec<ClusterEvent> {
        vec![ClusterEvent::new(
            EventResource::Node,
            ActionType::ADD | ActionType::UPDATE_NODE_LABEL,
        )]
    }
    fn as_pre_filter(&self) -> Option<&dyn PreFilterPlugin> {
        Some(self)
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

impl PreFilterPlugin for NodeAffinity {
    fn pre_filter(
        &self,
        state: &mut CycleState,
        pod: &PodInfo,
        _: &Snapshot,
    ) -> Result<PreFilterResult, Status> {
        let p = &pod.pod;
        let has_required = has_required_affinity(p);
        if !has_required && self.added_required.is_none() && p.spec.node_selector.is_empty() {
            return Ok(PreFilterResult::Skip);
        }
        let required = RequiredNodeAffinity::of(p);
        let pinned = required.affinity().map(pinned_nodes);
        state.write(Required(required));
        match pinned {
            Some(Some(names)) if names.is_empty() => {
                Err(Status::unresolvable(ERR_REASON_NODE_AFFINITY_CONFLICT))
            }
            Some(Some(names)) => Ok(PreFilterResult::Nodes(names)),
            _ => Ok(PreFilterResult::Continue),
        }
    }
}

/// The node names the terms allow, when every term pins names with
/// `metadata.name In`; `None` when some term allows any node.
fn pinned_nodes(selector: &CompiledNodeSelector) -> Option<BTreeSet<String>> {
    if selector.terms.is_empty() {
        return None;
    }
    let mut all = BTreeSet::new();
    for t in &selector.terms {
        let names = t.pinned_names()?;
        all.extend(names);
    }
    Some(all)
}

impl FilterPlugin for NodeAffinity {
    fn filter(&self, state: &CycleState, pod: &PodInfo, node: &NodeInfo) -> Status {
        let Some(n) = node.node() else {
            return Status::unresolvable("node not found");
        };
        if let Some(added) = &self.added_required {
            if !added.matches(n) {
                return Status::unresolvable(ERR_REASON_ENFORCED_NODE_AFFINITY);
            }
        }
        let matches = match state.read::<Required>() {
            Some(r) => r.0.matches(n),
            None => RequiredNodeAffinity::of(&pod.pod).matches(n),
        };
        if matches {
            Status::success()
        } else {
            Status::unresolvable(ERR_REASON_NODE_AFFINITY)
        }
    }
}

impl PreScorePlugin for NodeAffinity {
    fn pre_score(
        &self,
        state: &mut CycleState,
        pod: &PodInfo,
        _: &[&NodeInfo],
        _: &Snapshot,
    ) -> Status {
        let mut terms = self.added_preferred.clone();
        if let Some(na) = pod
            .pod
            .spec
            .affinity
            .as_ref()
            .and_then(|a| a.node_affinity.as_ref())
        {
            terms.extend(preferred_terms(
                &na.preferred_during_scheduling_ignored_during_execution,
            ));
        }
        if terms.is_empty() {
            return Status::skip();
        }
        state.write(Preferred(terms));
        Status::success()
    }
}

impl ScorePlugin for NodeAffinity {
    fn score(&self, state: &CycleState, _: &PodInfo, node: &NodeInfo) -> Result<i64, Status> {
        let (Some(p), Some(n)) = (state.read::<Preferred>(), node.node()) else {
            return Ok(0);
        };
        Ok(p.0
            .iter()
            .filter(|(t, _)| t.matches(n))
            .map(|(_, w)| *w)
            .sum())
    }

    fn normalize_score(
        &self,
        _: &CycleState,
        _: &PodInfo,
        _: &[&NodeInfo],
        scores: &mut [i64],
    ) -> Status {
        default_normalize_score(MAX_NODE_SCORE, false, scores);
        Status::success()
    }
}
