//! InterPodAffinity's PreFilter (topology pair counts) and Filter.

use std::sync::Arc;

use core_types::core_v1::Pod;

use super::{
    ERR_REASON_AFFINITY, ERR_REASON_ANTI_AFFINITY, ERR_REASON_EXISTING_ANTI_AFFINITY,
    InterPodAffinity, TopologyCounts,
};
use crate::cache::{ClusterObjects, Snapshot};
use crate::framework::{
    AffinityTerm, CycleState, FilterPlugin, NodeInfo, PodInfo, PreFilterPlugin, PreFilterResult,
    Status,
};

/// Counts computed in PreFilter.
#[derive(Clone, Debug)]
struct PreFilterState {
    /// Pairs where an existing pod's required anti-affinity matches the incoming pod.
    existing_anti: TopologyCounts,
    /// Pairs where existing pods match all of the incoming pod's affinity terms.
    affinity: TopologyCounts,
    /// Pairs where existing pods match one of the incoming pod's anti-affinity terms.
    anti: TopologyCounts,
    /// The incoming pod matches all its own affinity terms.
    matches_own_affinity: bool,
    cluster: Arc<ClusterObjects>,
}

/// True if `pod` matches every term (and there is at least one).
pub(super) fn matches_all(terms: &[AffinityTerm], pod: &Pod, ns: &ClusterObjects) -> bool {
    !terms.is_empty() && terms.iter().all(|t| t.matches(pod, Some(ns)))
}

impl PreFilterState {
    /// Adds (multiplier 1) or removes (-1) `other` on `node` to the counts.
    fn update_with(&mut self, incoming: &PodInfo, other: &PodInfo, node: &NodeInfo, m: i64) {
        let ns = self.cluster.clone();
        for t in &other.required_anti_affinity_terms {
            if t.matches(&incoming.pod, Some(&*ns)) {
                if let Some(v) = node.label(&t.topology_key) {
                    self.existing_anti.add(&t.topology_key, v, m);
                }
            }
        }
        if matches_all(&incoming.required_affinity_terms, &other.pod, &ns) {
            for t in &incoming.required_affinity_terms {
                if let Some(v) = node.label(&t.topology_key) {
                    self.affinity.add(&t.topology_key, v, m);
                }
            }
        }
        for t in &incoming.required_anti_affinity_terms {
            if t.matches(&other.pod, Some(&*ns)) {
                if let Some(v) = node.label(&t.topology_key) {
                    self.anti.add(&t.topology_key, v, m);
                }
            }
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
        if !has_own
            && snapshot
                .nodes_with_required_anti_affinity_pods()
                .next()
                .is_none()
        {
            return Ok(PreFilterResult::Skip);
        }
        let cluster = snapshot.cluster.clone();
        let mut s = PreFilterState {
            existing_anti: TopologyCounts::default(),
            affinity: TopologyCounts::default(),
            anti: TopologyCounts::default(),
            matches_own_affinity: matches_all(&pod.required_affinity_terms, &pod.pod, &cluster),
            cluster: cluster.clone(),
        };
        for node in snapshot.nodes_with_required_anti_affinity_pods() {
            for existing in node.pods_with_required_anti_affinity() {
                for t in &existing.required_anti_affinity_terms {
                    if t.matches(&pod.pod, Some(&*cluster)) {
                        if let Some(v) = node.label(&t.topology_key) {
                            s.existing_anti.add(&t.topology_key, v, 1);
                        }
                    }
                }
            }
        }
        if has_own {
            for node in snapshot.nodes() {
                for existing in node.pods() {
                    if matches_all(&pod.required_affinity_terms, &existing.pod, &cluster) {
                        for t in &pod.required_affinity_terms {
                            if let Some(v) = node.label(&t.topology_key) {
                                s.affinity.add(&t.topology_key, v, 1);
                            }
                        }
                    }
                    for t in &pod.required_anti_affinity_terms {
                        if t.matches(&existing.pod, Some(&*cluster)) {
                            if let Some(v) = node.label(&t.topology_key) {
                                s.anti.add(&t.topology_key, v, 1);
                            }
                        }
                    }
                }
            }
        }
        if s.existing_anti.is_empty() && !has_own {
            return Ok(PreFilterResult::Skip);
        }
        state.write(s);
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

impl FilterPlugin for InterPodAffinity {
    fn filter(&self, state: &CycleState, pod: &PodInfo, node: &NodeInfo) -> Status {
        let Some(s) = state.read::<PreFilterState>() else {
            return Status::error("InterPodAffinity: PreFilter state missing");
        };
        // The pod's required affinity: every term's pair must host a matching pod,
        // unless no pod matches anywhere and the pod matches its own terms.
        if !pod.required_affinity_terms.is_empty() {
            let mut pods_exist = true;
            for t in &pod.required_affinity_terms {
                match node.label(&t.topology_key) {
                    None => return Status::unresolvable(ERR_REASON_AFFINITY),
                    Some(v) => {
                        if s.affinity.get(&t.topology_key, v) <= 0 {
                            pods_exist = false;
                        }
                    }
                }
            }
            // The first pod of a group with affinity to itself may go anywhere.
            let first_of_group = s.affinity.is_empty() && s.matches_own_affinity;
            if !pods_exist && !first_of_group {
                return Status::unresolvable(ERR_REASON_AFFINITY);
            }
        }
        if !s.anti.is_empty() {
            for t in &pod.required_anti_affinity_terms {
                if let Some(v) = node.label(&t.topology_key) {
                    if s.anti.get(&t.topology_key, v) > 0 {
                        return Status::unschedulable(ERR_REASON_ANTI_AFFINITY);
                    }
                }
            }
        }
        if !s.existing_anti.is_empty() {
            for (key, values) in s.existing_anti.iter() {
                if let Some(v) = node.label(key) {
                    if values.get(v).copied().unwrap_or(0) > 0 {
                        return Status::unschedulable(ERR_REASON_EXISTING_ANTI_AFFINITY);
                    }
                }
            }
        }
        Status::success()
    }
}
