//! InterPodAffinity's PreFilter (topology pair counts) and Filter.

use std::sync::Arc;

use core_types::core_v1::Pod;

use super::{
    ERR_REASON_AFFINITY, ERR_REASON_ANTI_AFFINITY, ERR_REASON_EXISTING_ANTI_AFFINITY,
    InterPodAffinity,
};
use crate::cache::{ClusterObjects, Snapshot};
use crate::framework::{
    AffinityTerm, CycleState, FilterPlugin, NodeInfo, PodInfo, PreFilterPlugin, PreFilterResult,
    ReservePlugin, Status,
};
use crate::plugins::node_memo::{Contribution, PairTotals};

/// Counts computed in PreFilter (kept across cycles in the plugin's memo: only nodes
/// that changed are recomputed).
#[derive(Clone, Debug)]
struct PreFilterState {
    /// Pairs where an existing pod's required anti-affinity matches the incoming pod.
    existing_anti: Arc<PairTotals>,
    /// Keys `a\0<key>`: pairs where existing pods match all of the incoming pod's
    /// affinity terms; `n\0<key>`: pairs where existing pods match one of its
    /// anti-affinity terms.
    incoming: Arc<PairTotals>,
    affinity_keys: Vec<String>,
    anti_keys: Vec<String>,
    /// The incoming pod matches all its own affinity terms.
    matches_own_affinity: bool,
    cluster: Arc<ClusterObjects>,
}

/// True if `pod` matches every term (and there is at least one).
pub(super) fn matches_all(terms: &[AffinityTerm], pod: &Pod, ns: &ClusterObjects) -> bool {
    !terms.is_empty() && terms.iter().all(|t| t.matches(pod, Some(ns)))
}

/// What one node contributes to the existing pods' anti-affinity counts.
fn existing_anti_contribution(
    node: &NodeInfo,
    incoming: &Pod,
    ns: &ClusterObjects,
) -> Contribution {
    let mut c = Vec::new();
    for existing in node.pods_with_required_anti_affinity() {
        for t in &existing.required_anti_affinity_terms {
            if t.matches(incoming, Some(ns)) {
                if let Some(v) = node.label(&t.topology_key) {
                    c.push((t.topology_key.clone(), v.to_owned(), 1));
                }
            }
        }
    }
    c
}

/// What one node contributes to the incoming pod's affinity (`a\0`) and
/// anti-affinity (`n\0`) counts.
fn incoming_contribution(
    node: &NodeInfo,
    incoming: &PodInfo,
    keys: (&[String], &[String]),
    ns: &ClusterObjects,
) -> Contribution {
    let mut c = Vec::new();
    for existing in node.pods() {
        if matches_all(&incoming.required_affinity_terms, &existing.pod, ns) {
            for (t, k) in incoming.required_affinity_terms.iter().zip(keys.0) {
                if let Some(v) = node.label(&t.topology_key) {
                    c.push((k.clone(), v.to_owned(), 1));
                }
            }
        }
        for (t, k) in incoming.required_anti_affinity_terms.iter().zip(keys.1) {
            if t.matches(&existing.pod, Some(ns)) {
                if let Some(v) = node.label(&t.topology_key) {
                    c.push((k.clone(), v.to_owned(), 1));
                }
            }
        }
    }
    c
}

impl PreFilterState {
    /// Adds (multiplier 1) or removes (-1) `other` on `node` to the counts.
    fn update_with(&mut self, incoming: &PodInfo, other: &PodInfo, node: &NodeInfo, m: i64) {
        let ns = self.cluster.clone();
        let mut single = NodeInfo::default();
        if let Some(n) = node.node_arc() {
            single.set_node(n.clone());
        }
        single.add_pod(Arc::new(other.clone()));
        for (k, v, c) in existing_anti_contribution(&single, &incoming.pod, &ns) {
            Arc::make_mut(&mut self.existing_anti).add(&k, &v, c * m);
        }
        let keys = (self.affinity_keys.as_slice(), self.anti_keys.as_slice());
        for (k, v, c) in incoming_contribution(&single, incoming, keys, &ns) {
            Arc::make_mut(&mut self.incoming).add(&k, &v, c * m);
        }
    }
}

impl PreFilterPlugin for InterPodAffinity {
    fn pre_filter(
        &self,
        state: &mut CycleState,
        pod: &PodInfo,
        snapshot: &Snapshot,
    ) -> Result<PreFilterResult, Status> {
        let has_own =
            !pod.required_affinity_terms.is_empty() || !pod.required_anti_affinity_terms.is_empty();
        let has_existing = snapshot
            .nodes_with_required_anti_affinity_pods()
            .next()
            .is_some();
        if !has_own && !has_existing {
            return Ok(PreFilterResult::Skip);
        }
        let cluster = snapshot.cluster.clone();
        // Namespace labels matter to namespace selectors: a change of the cluster
        // objects starts new memo entries.
        let cluster_tag = Arc::as_ptr(&cluster) as usize;
        let existing_anti = if has_existing {
            let sig = format!(
                "ipa-existing\x00{}\x00{:?}\x00{cluster_tag}",
                pod.namespace(),
                pod.pod.metadata.labels
            );
            self.memo.totals(&sig, snapshot, |node| {
                existing_anti_contribution(node, &pod.pod, &cluster)
            })
        } else {
            Arc::new(PairTotals::default())
        };
        let affinity_keys: Vec<String> = pod
            .required_affinity_terms
            .iter()
            .map(|t| format!("a\x00{}", t.topology_key))
            .collect();
        let anti_keys: Vec<String> = pod
            .required_anti_affinity_terms
            .iter()
            .map(|t| format!("n\x00{}", t.topology_key))
            .collect();
        let incoming = if has_own {
            let sig = format!(
                "ipa-incoming\x00{}\x00{:?}\x00{:?}\x00{cluster_tag}",
                pod.namespace(),
                pod.required_affinity_terms,
                pod.required_anti_affinity_terms
            );
            let keys = (affinity_keys.as_slice(), anti_keys.as_slice());
            self.memo.totals(&sig, snapshot, |node| {
                incoming_contribution(node, pod, keys, &cluster)
            })
        } else {
            Arc::new(PairTotals::default())
        };
        if !existing_anti.any_positive("") && !has_own {
            return Ok(PreFilterResult::Skip);
        }
        state.write(PreFilterState {
            existing_anti,
            incoming,
            affinity_keys,
            anti_keys,
            matches_own_affinity: matches_all(&pod.required_affinity_terms, &pod.pod, &cluster),
            cluster,
        });
        Ok(PreFilterResult::Continue)
    }

    fn add_pod(
        &self,
        state: &mut CycleState,
        pod: &PodInfo,
        added: &Arc<PodInfo>,
        node: &NodeInfo,
    ) -> Status {
        if let Some(s) = state.get_mut::<PreFilterState>() {
            s.update_with(pod, added, node, 1);
        }
        Status::success()
    }

    fn remove_pod(
        &self,
        state: &mut CycleState,
        pod: &PodInfo,
        removed: &Arc<PodInfo>,
        node: &NodeInfo,
    ) -> Status {
        if let Some(s) = state.get_mut::<PreFilterState>() {
            s.update_with(pod, removed, node, -1);
        }
        Status::success()
    }
}

impl ReservePlugin for InterPodAffinity {
    /// Drops the PreFilter state once a node is chosen: it shares the memo's counts,
    /// which the next cycle updates in place unless a binding still holds them.
    fn reserve(&self, state: &mut CycleState, _: &PodInfo, _: &str) -> Status {
        state.remove::<PreFilterState>();
        Status::success()
    }

    fn unreserve(&self, _: &mut CycleState, _: &PodInfo, _: &str) {}
}

impl FilterPlugin for InterPodAffinity {
    fn filter(&self, state: &CycleState, pod: &PodInfo, node: &NodeInfo) -> Status {
        let Some(s) = state.read::<PreFilterState>() else {
            return Status::error("InterPodAffinity: PreFilter state missing");
        };
        // The pod's required affinity: every term's pair must host a matching pod,
        // unless no pod matches anywhere and the pod matches its own terms.
        if !pod.required_affinity_terms.is_empty() {
            let mut pods_exist = true;
            for (t, k) in pod.required_affinity_terms.iter().zip(&s.affinity_keys) {
                match node.label(&t.topology_key) {
                    None => return Status::unresolvable(ERR_REASON_AFFINITY),
                    Some(v) => {
                        if s.incoming.get(k, v) <= 0 {
                            pods_exist = false;
                        }
                    }
                }
            }
            // The first pod of a group with affinity to itself may go anywhere.
            let first_of_group = !s.incoming.any_positive("a\x00") && s.matches_own_affinity;
            if !pods_exist && !first_of_group {
                return Status::unresolvable(ERR_REASON_AFFINITY);
            }
        }
        for (t, k) in pod.required_anti_affinity_terms.iter().zip(&s.anti_keys) {
            if let Some(v) = node.label(&t.topology_key) {
                if s.incoming.get(k, v) > 0 {
                    return Status::unschedulable(ERR_REASON_ANTI_AFFINITY);
                }
            }
        }
        for (key, values) in s.existing_anti.keys() {
            if let Some(v) = node.label(key) {
                if values.get(v).is_some_and(|(c, _)| *c > 0) {
                    return Status::unschedulable(ERR_REASON_EXISTING_ANTI_AFFINITY);
                }
            }
        }
        Status::success()
    }
}
