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
    added: Option<NodeAffinitySpec>,
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
            added: added.cloned(),
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

/// The pod's required node constraints, and the key of its verdicts in the nodes'
/// memo (a hash of everything the verdict depends on besides the node object).
#[derive(Clone, Debug)]
struct Required {
    affinity: RequiredNodeAffinity,
    memo_key: u64,
}

/// Verdicts kept in a node's memo.
const VERDICT_FITS: u8 = 1;
const VERDICT_ENFORCED_MISMATCH: u8 = 2;
const VERDICT_MISMATCH: u8 = 3;

/// The memo key of a pod's required constraints under `added`: a hash of the pod's
/// node selector and required node affinity and of the profile's added affinity.
fn memo_key(pod: &Pod, added: Option<&NodeAffinitySpec>) -> u64 {
    use std::hash::{Hash, Hasher};
    let required = super::helpers::required_node_selector(pod);
    let added = added.and_then(|a| {
        a.required_during_scheduling_ignored_during_execution
            .as_ref()
    });
    // The JSON form is a faithful encoding of the terms (the types have no `Hash`).
    let encoded =
        serde_json::to_vec(&(&pod.spec.node_selector, required, added)).unwrap_or_default();
    let mut h = std::collections::hash_map::DefaultHasher::new();
    encoded.hash(&mut h);
    h.finish()
}

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
        state.write(Required {
            affinity: required,
            memo_key: memo_key(p, self.added.as_ref()),
        });
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
        let required = state.read::<Required>();
        // The verdict depends only on the node object and the pod's constraints: it is
        // memoized per node (kept across pod changes, dropped on node updates).
        let memoized = required.and_then(|r| node.node_memo_get(r.memo_key));
        let verdict = match memoized {
            Some(v) => v,
            None => {
                let Some(n) = node.node() else {
                    return Status::unresolvable("node not found");
                };
                let v = if self.added_required.as_ref().is_some_and(|a| !a.matches(n)) {
                    VERDICT_ENFORCED_MISMATCH
                } else if match required {
                    Some(r) => r.affinity.matches(n),
                    None => RequiredNodeAffinity::of(&pod.pod).matches(n),
                } {
                    VERDICT_FITS
                } else {
                    VERDICT_MISMATCH
                };
                if let Some(r) = required {
                    node.node_memo_put(r.memo_key, v);
                }
                v
            }
        };
        match verdict {
            VERDICT_FITS => Status::success(),
            VERDICT_ENFORCED_MISMATCH => Status::unresolvable(ERR_REASON_ENFORCED_NODE_AFFINITY),
            _ => Status::unresolvable(ERR_REASON_NODE_AFFINITY),
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
