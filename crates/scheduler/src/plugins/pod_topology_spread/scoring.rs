//! PodTopologySpread's PreScore, Score and NormalizeScore (soft constraints).

use std::collections::{HashMap, HashSet};

use super::PodTopologySpread;
use super::common::{Constraint, node_has_all_keys};
use crate::cache::Snapshot;
use crate::framework::{
    CycleState, MAX_NODE_SCORE, NodeInfo, PodInfo, PreScorePlugin, ScorePlugin, Status,
};
use crate::plugins::helpers::RequiredNodeAffinity;

const HOSTNAME: &str = "kubernetes.io/hostname";

#[derive(Clone, Debug)]
struct PreScoreState {
    constraints: Vec<Constraint>,
    ignored: HashSet<String>,
    counts: Vec<HashMap<String, i64>>,
    weights: Vec<f64>,
}

/// `ln(size + 2)`: the weight of a topology with `size` domains.
pub fn topology_normalizing_weight(size: usize) -> f64 {
    ((size + 2) as f64).ln()
}

/// The score contribution of `count` matching pods in a domain.
pub fn score_for_count(count: i64, max_skew: i64, weight: f64) -> f64 {
    count as f64 * weight + (max_skew - 1) as f64
}

impl PreScorePlugin for PodTopologySpread {
    fn pre_score(
        &self,
        state: &mut CycleState,
        pod: &PodInfo,
        filtered: &[&NodeInfo],
        snapshot: &Snapshot,
    ) -> Status {
        if snapshot.is_empty() {
            return Status::skip();
        }
        let constraints = match self.constraints(&pod.pod, "ScheduleAnyway", snapshot.cluster()) {
            Ok(c) => c,
            Err(e) => return Status::error(format!("invalid topology spread constraint: {e}")),
        };
        if constraints.is_empty() {
            return Status::skip();
        }
        let require_all =
            !pod.pod.spec.topology_spread_constraints.is_empty() || !self.system_defaulted();
        let mut ignored = HashSet::new();
        let mut counts: Vec<HashMap<String, i64>> = vec![HashMap::new(); constraints.len()];
        for node in filtered {
            let Some(n) = node.node() else {
                continue;
            };
            if require_all && !node_has_all_keys(n, &constraints) {
                ignored.insert(node.name().to_owned());
                continue;
            }
            for (i, c) in constraints.iter().enumerate() {
                if c.topology_key == HOSTNAME {
                    continue;
                }
                let v = n
                    .metadata
                    .labels
                    .get(&c.topology_key)
                    .cloned()
                    .unwrap_or_default();
                counts[i].entry(v).or_insert(0);
            }
        }
        let weights = constraints
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let size = if c.topology_key == HOSTNAME {
                    filtered.len() - ignored.len()
                } else {
                    counts[i].len()
                };
                topology_normalizing_weight(size)
            })
            .collect();
        let required = RequiredNodeAffinity::of(&pod.pod);
        let ns = pod.pod.metadata.namespace.as_str();
        for node in snapshot.nodes() {
            let Some(n) = node.node() else {
                continue;
            };
            if require_all && !node_has_all_keys(n, &constraints) {
                continue;
            }
            for (i, c) in constraints.iter().enumerate() {
                if c.topology_key == HOSTNAME || !c.includes_node(&pod.pod, n, &required) {
                    continue;
                }
                let v = n
                    .metadata
                    .labels
                    .get(&c.topology_key)
                    .map_or("", String::as_str);
                if let Some(slot) = counts[i].get_mut(v) {
                    *slot += c.count_matching(node.pods(), ns);
                }
            }
        }
        state.write(PreScoreState {
            constraints,
            ignored,
            counts,
            weights,
        });
        Status::success()
    }
}

impl ScorePlugin for PodTopologySpread {
    fn score(&self, state: &CycleState, pod: &PodInfo, node: &NodeInfo) -> Result<i64, Status> {
        let Some(s) = state.read::<PreScoreState>() else {
            return Ok(0);
        };
        if s.ignored.contains(node.name()) {
            return Ok(0);
        }
        let ns = pod.pod.metadata.namespace.as_str();
        let mut score = 0.0;
        for (i, c) in s.constraints.iter().enumerate() {
            let Some(v) = node.label(&c.topology_key) else {
                continue;
            };
            let count = if c.topology_key == HOSTNAME {
                c.count_matching(node.pods(), ns)
            } else {
                s.counts[i].get(v).copied().unwrap_or(0)
            };
            score += score_for_count(count, c.max_skew, s.weights[i]);
        }
        Ok(score.round() as i64)
    }

    fn normalize_score(
        &self,
        state: &CycleState,
        _: &PodInfo,
        nodes: &[&NodeInfo],
        scores: &mut [i64],
    ) -> Status {
        let Some(s) = state.read::<PreScoreState>() else {
            return Status::success();
        };
        let mut min = i64::MAX;
        let mut max = 0_i64;
        let mut valid = vec![true; scores.len()];
        for (i, (node, score)) in nodes.iter().zip(scores.iter()).enumerate() {
            if s.ignored.contains(node.name()) {
                valid[i] = false;
                continue;
            }
            min = min.min(*score);
            max = max.max(*score);
        }
        for (i, score) in scores.iter_mut().enumerate() {
            if !valid[i] {
                *score = 0;
            } else if max == 0 {
                *score = MAX_NODE_SCORE;
            } else {
                *score = MAX_NODE_SCORE * (max + min - *score) / max;
            }
        }
        Status::success()
    }
}
