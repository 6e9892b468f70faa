//! InterPodAffinity's PreScore, Score and NormalizeScore.

use super::{InterPodAffinity, TopologyCounts};
use crate::cache::{ClusterObjects, Snapshot};
use crate::framework::{
    AffinityTerm, CycleState, MAX_NODE_SCORE, NodeInfo, PodInfo, PreScorePlugin, ScorePlugin,
    Status, WeightedAffinityTerm,
};

/// Score per topology pair.
#[derive(Clone, Debug)]
struct PreScoreState {
    scores: TopologyCounts,
}

fn process_term(
    scores: &mut TopologyCounts,
    term: &AffinityTerm,
    weight: i64,
    pod: &core_types::core_v1::Pod,
    ns: &ClusterObjects,
    node: &NodeInfo,
    multiplier: i64,
) {
    if term.matches(pod, Some(ns)) {
        if let Some(v) = node.label(&term.topology_key) {
            scores.add(&term.topology_key, v, weight * multiplier);
        }
    }
}

fn process_weighted(
    scores: &mut TopologyCounts,
    terms: &[WeightedAffinityTerm],
    pod: &core_types::core_v1::Pod,
    ns: &ClusterObjects,
    node: &NodeInfo,
    multiplier: i64,
) {
    for t in terms {
        process_term(
            scores,
            &t.term,
            i64::from(t.weight),
            pod,
            ns,
            node,
            multiplier,
        );
    }
}

impl InterPodAffinity {
    fn process_existing_pod(
        &self,
        scores: &mut TopologyCounts,
        incoming: &PodInfo,
        existing: &PodInfo,
        node: &NodeInfo,
        ns: &ClusterObjects,
    ) {
        if node.node().is_none_or(|n| n.metadata.labels.is_empty()) {
            return;
        }
        // The incoming pod's preferred terms that the existing pod matches.
        process_weighted(
            scores,
            &incoming.preferred_affinity_terms,
            &existing.pod,
            ns,
            node,
            1,
        );
        process_weighted(
            scores,
            &incoming.preferred_anti_affinity_terms,
            &existing.pod,
            ns,
            node,
            -1,
        );
        // The existing pod's required affinity terms that the incoming pod matches.
        if self.args.hard_pod_affinity_weight > 0 {
            for t in &existing.required_affinity_terms {
                process_term(
                    scores,
                    t,
                    self.args.hard_pod_affinity_weight,
                    &incoming.pod,
                    ns,
                    node,
                    1,
                );
            }
        }
        if !self.args.ignore_preferred_terms_of_existing_pods {
            process_weighted(
                scores,
                &existing.preferred_affinity_terms,
                &incoming.pod,
                ns,
                node,
                1,
            );
            process_weighted(
                scores,
                &existing.preferred_anti_affinity_terms,
                &incoming.pod,
                ns,
                node,
                -1,
            );
        }
    }
}

impl PreScorePlugin for InterPodAffinity {
    fn pre_score(
        &self,
        state: &mut CycleState,
        pod: &PodInfo,
        nodes: &[&NodeInfo],
        snapshot: &Snapshot,
    ) -> Status {
        if nodes.is_empty() {
            return Status::success();
        }
        let has_constraints = !pod.preferred_affinity_terms.is_empty()
            || !pod.preferred_anti_affinity_terms.is_empty();
        if self.args.ignore_preferred_terms_of_existing_pods && !has_constraints {
            return Status::skip();
        }
        let ns = snapshot.cluster.clone();
        let mut scores = TopologyCounts::default();
        if has_constraints {
            for node in snapshot.nodes() {
                for existing in node.pods() {
                    self.process_existing_pod(&mut scores, pod, existing, node, &ns);
                }
            }
        } else {
            // Only the existing pods' required affinity (with a hard weight) and
            // preferred terms can score: nodes whose pods have nothing but required
            // anti-affinity (a common shape) are not even visited.
            let hard = self.args.hard_pod_affinity_weight > 0;
            let preferred = !self.args.ignore_preferred_terms_of_existing_pods;
            let scores_something = |p: &PodInfo| {
                (hard && !p.required_affinity_terms.is_empty())
                    || (preferred
                        && (!p.preferred_affinity_terms.is_empty()
                            || !p.preferred_anti_affinity_terms.is_empty()))
            };
            for node in snapshot.nodes_with_scoring_affinity_pods() {
                for existing in node.pods_with_affinity() {
                    if scores_something(existing) {
                        self.process_existing_pod(&mut scores, pod, existing, node, &ns);
                    }
                }
            }
        }
        if scores.is_empty() {
            return Status::skip();
        }
        state.write(PreScoreState { scores });
        Status::success()
    }
}

impl ScorePlugin for InterPodAffinity {
    fn score(&self, state: &CycleState, _: &PodInfo, node: &NodeInfo) -> Result<i64, Status> {
        let Some(s) = state.read::<PreScoreState>() else {
            return Ok(0);
        };
        let mut score = 0;
        for (key, values) in s.scores.iter() {
            if let Some(v) = node.label(key) {
                score += values.get(v).copied().unwrap_or(0);
            }
        }
        Ok(score)
    }

    fn normalize_score(
        &self,
        state: &CycleState,
        _: &PodInfo,
        _: &[&NodeInfo],
        scores: &mut [i64],
    ) -> Status {
        if state.read::<PreScoreState>().is_none() {
            return Status::success();
        }
        let min = scores.iter().copied().min().unwrap_or(0);
        let max = scores.iter().copied().max().unwrap_or(0);
        let diff = max - min;
        for s in scores.iter_mut() {
            *s = if diff > 0 {
                (MAX_NODE_SCORE as f64 * ((*s - min) as f64 / diff as f64)) as i64
            } else {
                0
            };
        }
        Status::success()
    }
}
