//! The scheduling algorithm of one cycle: filter (up to the adaptive number of
//! feasible nodes, starting round-robin), score, select.

use std::collections::{BTreeSet, HashMap};

use super::diagnosis::{Diagnosis, FitError, ScheduleError, ScheduleResult};
use super::explain::{Explanation, FilterVerdict, NodeExplanation, ScoreDetail};
use crate::cache::Snapshot;
use crate::framework::{Code, CycleState, Framework, NodeInfo, PodInfo, Status};
use crate::queue::NominatedPods;

/// Fewest nodes to find feasible before stopping the search (when there are more).
pub const MIN_FEASIBLE_NODES_TO_FIND: usize = 100;
/// How many nodes the filter loop touches at a time, ahead of filtering them.
const TOUCH_BATCH: usize = 16;

/// Smallest adaptive percentage.
pub const MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND: u32 = 5;

/// How many feasible nodes to look for among `num_all_nodes`, kube-scheduler's
/// adaptive rule: all of them under 100; else `percentage` (or, when 0,
/// `50 - nodes/125`, at least 5) percent, and at least 100.
pub fn num_feasible_nodes_to_find(percentage: u32, num_all_nodes: usize) -> usize {
    if num_all_nodes < MIN_FEASIBLE_NODES_TO_FIND {
        return num_all_nodes;
    }
    let mut p = i64::from(percentage.min(100));
    if p == 0 {
        p = 50 - (num_all_nodes as i64) / 125;
        if p < i64::from(MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND) {
            p = i64::from(MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND);
        }
    }
    let n = (num_all_nodes as i64 * p / 100) as usize;
    n.max(MIN_FEASIBLE_NODES_TO_FIND)
}

/// A small, fast pseudo-random generator (xorshift*) for tie-breaking between
/// equally scored nodes; seeded per scheduler.
#[derive(Clone, Debug)]
pub(crate) struct Rng(u64);

impl Rng {
    pub(crate) fn new(seed: u64) -> Self {
        Rng(seed | 1)
    }

    pub(crate) fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform in `0..n` (n > 0).
    pub(crate) fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// The state the algorithm keeps between cycles: where the next search starts, the
/// global percentage, the tie-breaking generator.
#[derive(Clone, Debug)]
pub struct Algorithm {
    next_start: usize,
    percentage: u32,
    rng: Rng,
}

impl Algorithm {
    /// An algorithm with the global `percentageOfNodesToScore` (0: adaptive).
    pub fn new(percentage_of_nodes_to_score: u32) -> Self {
        Algorithm {
            next_start: 0,
            percentage: percentage_of_nodes_to_score,
            rng: Rng::new(0x9E37_79B9_7F4A_7C15),
        }
    }

    /// Reseeds the tie-breaking generator (tests use a fixed seed).
    pub fn seed(&mut self, seed: u64) {
        self.rng = Rng::new(seed);
    }

    /// Runs one cycle's algorithm for `pod` on `snapshot`: PreFilter, Filter, PreScore,
    /// Score, selection. With `explain`, every filter runs on every node and every
    /// score is recorded.
    pub fn schedule_pod(
        &mut self,
        fwk: &Framework,
        state: &mut CycleState,
        pod: &PodInfo,
        snapshot: &Snapshot,
        nominated: &NominatedPods,
        mut explain: Option<&mut Explanation>,
    ) -> Result<ScheduleResult, ScheduleError> {
        if snapshot.is_empty() {
            return Err(ScheduleError::NoNodes);
        }
        if let Some(e) = pod.parse_error.as_ref() {
            return Err(ScheduleError::Internal(Status::error(format!(
                "invalid pod: {e}"
            ))));
        }
        let (feasible, diagnosis) =
            self.find_nodes_that_fit(fwk, state, pod, snapshot, nominated, explain.as_deref_mut())?;
        if feasible.is_empty() {
            return Err(ScheduleError::Unschedulable(Box::new(FitError {
                num_all_nodes: snapshot.len(),
                diagnosis,
            })));
        }
        let evaluated = feasible.len() + diagnosis.node_statuses.len();
        if feasible.len() == 1 && explain.is_none() {
            return Ok(ScheduleResult {
                node: feasible[0].name().to_owned(),
                evaluated_nodes: evaluated,
                feasible_nodes: 1,
            });
        }
        let totals =
            self.prioritize(fwk, state, pod, &feasible, snapshot, explain.as_deref_mut())?;
        let best = self.select_host(&totals);
        let node = feasible[best].name().to_owned();
        if let Some(e) = explain {
            e.selected = Some(node.clone());
        }
        Ok(ScheduleResult {
            node,
            evaluated_nodes: evaluated,
            feasible_nodes: feasible.len(),
        })
    }

    fn find_nodes_that_fit<'s>(
        &mut self,
        fwk: &Framework,
        state: &mut CycleState,
        pod: &PodInfo,
        snapshot: &'s Snapshot,
        nominated: &NominatedPods,
        mut explain: Option<&mut Explanation>,
    ) -> Result<(Vec<&'s NodeInfo>, Diagnosis), ScheduleError> {
        let mut diagnosis = Diagnosis::default();
        let narrowed = match fwk.run_pre_filter(state, pod, snapshot) {
            Ok(n) => n,
            Err(s) if s.code() == Code::Error => return Err(ScheduleError::Internal(s)),
            Err(s) => {
                diagnosis.pre_filter_msg = Some(s.message());
                if let Some(p) = s.plugin() {
                    diagnosis.unschedulable_plugins.insert(p.to_owned());
                }
                if let Some(e) = explain {
                    e.pre_filter = Some(FilterVerdict::of(&s));
                }
                for n in snapshot.nodes() {
                    diagnosis
                        .node_statuses
                        .insert(n.name().to_owned(), s.clone());
                }
                return Ok((Vec::new(), diagnosis));
            }
        };
        let filters = fwk.active_filters(state);
        // Snapshot positions of the nodes with nominated pods (usually none or a few):
        // only those take the slower path that adds the nominated pods first.
        let mut with_nominated: Vec<usize> = nominated
            .nodes()
            .filter_map(|n| snapshot.position(n))
            .collect();
        with_nominated.sort_unstable();
        let run_at = |state: &CycleState, node: &NodeInfo, position: usize| -> Status {
            if with_nominated.binary_search(&position).is_err() {
                filters.run(state, pod, node)
            } else {
                fwk.run_filter_with_nominated(&filters, state, pod, node, nominated)
            }
        };
        let run = |state: &CycleState, node: &NodeInfo| -> Status {
            if nominated.is_empty() {
                filters.run(state, pod, node)
            } else {
                fwk.run_filter_with_nominated(&filters, state, pod, node, nominated)
            }
        };

        // A pod nominated by an earlier preemption tries its nominated node first.
        let nominated_node = pod.pod.status.nominated_node_name.as_str();
        if explain.is_none() && !nominated_node.is_empty() {
            if let Some(node) = snapshot.get(nominated_node) {
                let allowed = narrowed.as_ref().is_none_or(|n| n.contains(nominated_node));
                if allowed && run(state, node).is_success() {
                    return Ok((vec![&**node], diagnosis));
                }
            }
        }

        // The candidates: every node, or the PreFilter's narrowed set (in snapshot
        // order; names not in the snapshot are simply absent).
        let all = snapshot.nodes();
        let narrowed_positions: Option<Vec<usize>> = narrowed.as_ref().map(|names| {
            let mut p: Vec<usize> = names.iter().filter_map(|n| snapshot.position(n)).collect();
            p.sort_unstable();
            p
        });
        let n = narrowed_positions.as_ref().map_or(all.len(), Vec::len);
        let position = |i: usize| -> usize {
            match &narrowed_positions {
                None => i,
                Some(p) => p[i],
            }
        };
        let candidate = |i: usize| -> &'s NodeInfo { &all[position(i)] };
        if n == 0 {
            return Ok((Vec::new(), diagnosis));
        }
        let percentage = fwk
            .percentage_of_nodes_to_score()
            .unwrap_or(self.percentage);
        let to_find = if explain.is_some() {
            n
        } else {
            num_feasible_nodes_to_find(percentage, n)
        };
        let mut feasible: Vec<&'s NodeInfo> = Vec::with_capacity(to_find.min(n));
        let start = self.next_start % n;
        let mut processed = 0;
        if filters.is_empty() && explain.is_none() {
            for i in 0..to_find {
                feasible.push(candidate((start + i) % n));
            }
            processed = to_find;
        } else {
            let mut idx = start;
            // The memory of the nodes about to be filtered is usually cold (a cycle
            // moves on round-robin through the cluster): it is touched a batch at a
            // time, ahead of the filters, so the misses overlap.
            let mut ahead = start;
            let mut touched = 0_usize;
            // When InterPodAffinity's filter looks labels up on every node (the pod
            // has pod (anti-)affinity terms, or existing pods have required
            // anti-affinity), the labels are touched ahead too. (PodTopologySpread
            // keeps its domains in the node memo and does not need it.)
            let labels_read = pod.has_affinity()
                || snapshot
                    .nodes_with_required_anti_affinity_pods()
                    .next()
                    .is_some();
            for k in 0..n {
                if k == touched {
                    let mut sum = 0_u64;
                    for _ in 0..TOUCH_BATCH.min(n - k) {
                        let node = &all[position(ahead)];
                        sum ^= node.touch();
                        if labels_read {
                            sum ^= node.touch_labels();
                        }
                        ahead = if ahead + 1 == n { 0 } else { ahead + 1 };
                    }
                    std::hint::black_box(sum);
                    touched += TOUCH_BATCH;
                }
                let at = position(idx);
                let node: &'s NodeInfo = &all[at];
                idx += 1;
                if idx == n {
                    idx = 0;
                }
                processed += 1;
                let status = match explain.as_deref_mut() {
                    None => run_at(state, node, at),
                    Some(e) => {
                        let mut verdicts = Vec::new();
                        let s = filters.run_all(state, pod, node, &mut verdicts);
                        let s = if s.is_success() && !nominated.is_empty() {
                            run(state, node)
                        } else {
                            s
                        };
                        e.nodes
                            .push(NodeExplanation::new(node.name(), &verdicts, &s));
                        s
                    }
                };
                if status.is_success() {
                    feasible.push(node);
                    if feasible.len() >= to_find {
                        break;
                    }
                } else if status.code() == Code::Error {
                    return Err(ScheduleError::Internal(status));
                } else {
                    if let Some(p) = status.plugin() {
                        if !diagnosis.unschedulable_plugins.contains(p) {
                            diagnosis.unschedulable_plugins.insert(p.to_owned());
                        }
                    }
                    diagnosis
                        .node_statuses
                        .insert(node.name().to_owned(), status);
                }
            }
        }
        self.next_start = (start + processed) % n;
        Ok((feasible, diagnosis))
    }

    fn prioritize(
        &mut self,
        fwk: &Framework,
        state: &mut CycleState,
        pod: &PodInfo,
        feasible: &[&NodeInfo],
        snapshot: &Snapshot,
        explain: Option<&mut Explanation>,
    ) -> Result<Vec<i64>, ScheduleError> {
        let mut totals = vec![0_i64; feasible.len()];
        if fwk.score.is_empty() {
            totals.iter_mut().for_each(|t| *t = 1);
            return Ok(totals);
        }
        let s = fwk.run_pre_score(state, pod, feasible, snapshot);
        if !s.is_success() {
            return Err(ScheduleError::Internal(s));
        }
        match explain {
            None => fwk
                .run_score(state, pod, feasible, &mut totals, None)
                .map_err(ScheduleError::Internal)?,
            Some(e) => {
                let mut detail = Vec::new();
                fwk.run_score(state, pod, feasible, &mut totals, Some(&mut detail))
                    .map_err(ScheduleError::Internal)?;
                let positions: HashMap<String, usize> = e
                    .nodes
                    .iter()
                    .enumerate()
                    .map(|(i, n)| (n.node.clone(), i))
                    .collect();
                for (j, node) in feasible.iter().enumerate() {
                    let Some(&i) = positions.get(node.name()) else {
                        continue;
                    };
                    let entry = &mut e.nodes[i];
                    entry.total = Some(totals[j]);
                    for d in &detail {
                        entry.scores.push(ScoreDetail {
                            plugin: d.plugin.clone(),
                            raw: d.raw[j],
                            normalized: d.normalized[j],
                            weight: d.weight,
                            weighted: d.normalized[j] * d.weight,
                        });
                    }
                }
                let skipped: BTreeSet<&str> = fwk
                    .score
                    .iter()
                    .map(|(i, _)| &*fwk.plugins[*i].name)
                    .filter(|n| !detail.iter().any(|d| d.plugin == *n))
                    .collect();
                e.skipped_score_plugins = skipped.into_iter().map(str::to_owned).collect();
            }
        }
        Ok(totals)
    }

    /// The index of the highest total; ties broken uniformly at random.
    fn select_host(&mut self, totals: &[i64]) -> usize {
        let mut best = 0;
        let mut best_score = i64::MIN;
        let mut ties = 0;
        for (i, &s) in totals.iter().enumerate() {
            if s > best_score {
                best_score = s;
                best = i;
                ties = 1;
            } else if s == best_score {
                ties += 1;
                if self.rng.below(ties) == 0 {
                    best = i;
                }
            }
        }
        best
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adaptive_percentage() {
        assert_eq!(num_feasible_nodes_to_find(0, 50), 50);
        assert_eq!(num_feasible_nodes_to_find(0, 100), 100);
        // 50 - 1000/125 = 42%.
        assert_eq!(num_feasible_nodes_to_find(0, 1000), 420);
        // 50 - 5000/125 = 10%.
        assert_eq!(num_feasible_nodes_to_find(0, 5000), 500);
        // 50 - 15000/125 < 5: 5%.
        assert_eq!(num_feasible_nodes_to_find(0, 15000), 750);
        assert_eq!(num_feasible_nodes_to_find(1, 1000), 100);
        assert_eq!(num_feasible_nodes_to_find(100, 1000), 1000);
    }

    #[test]
    fn select_host_breaks_ties_among_the_best_only() {
        let mut a = Algorithm::new(0);
        let mut seen = [false; 4];
        for _ in 0..200 {
            let i = a.select_host(&[5, 9, 9, 1]);
            seen[i] = true;
        }
        assert_eq!(seen, [false, true, true, false]);
    }
}
