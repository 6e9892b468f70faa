//! DefaultPreemption: when no node fits, find a node where evicting lower-priority
//! pods makes the pod fit, with minimal disruption, and nominate it.

mod victims;

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use serde::Deserialize;

pub use victims::{NO_VICTIMS, Victims};

use crate::error::ConfigError;
use crate::framework::{
    Code, CycleState, Handle, Plugin, PluginArgs, PodInfo, PostFilterInput, PostFilterPlugin,
    PostFilterResult, Status,
};
use crate::schedule::{Diagnosis, FitError};

use super::names;

/// The reason for nodes where preemption cannot help.
pub const NOT_HELPFUL: &str = "Preemption is not helpful for scheduling";

/// `DefaultPreemptionArgs`.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DefaultPreemptionArgs {
    /// Candidates to dry-run, as a percentage of the nodes (default 10).
    #[serde(default = "default_percentage")]
    pub min_candidate_nodes_percentage: i64,
    /// At least this many candidates (default 100).
    #[serde(default = "default_absolute")]
    pub min_candidate_nodes_absolute: i64,
}

fn default_percentage() -> i64 {
    10
}
fn default_absolute() -> i64 {
    100
}

impl Default for DefaultPreemptionArgs {
    fn default() -> Self {
        DefaultPreemptionArgs {
            min_candidate_nodes_percentage: 10,
            min_candidate_nodes_absolute: 100,
        }
    }
}

/// Preempts lower-priority pods (PostFilter).
#[derive(Debug)]
pub struct DefaultPreemption {
    args: DefaultPreemptionArgs,
    rng: AtomicU64,
}

impl DefaultPreemption {
    /// The factory for the registry.
    pub fn factory(args: &PluginArgs, _: &Handle) -> Result<Arc<dyn Plugin>, ConfigError> {
        let args: DefaultPreemptionArgs = args.decode()?;
        Ok(Arc::new(DefaultPreemption::new(args)?))
    }

    /// A plugin with these arguments.
    pub fn new(args: DefaultPreemptionArgs) -> Result<Self, ConfigError> {
        if !(0..=100).contains(&args.min_candidate_nodes_percentage)
            || args.min_candidate_nodes_absolute < 0
            || (args.min_candidate_nodes_percentage == 0 && args.min_candidate_nodes_absolute == 0)
        {
            return Err(ConfigError::PluginArgs {
                plugin: names::DEFAULT_PREEMPTION.into(),
                message: "minCandidateNodesPercentage must be in 0..=100, minCandidateNodesAbsolute non-negative, not both zero".into(),
            });
        }
        Ok(DefaultPreemption {
            args,
            rng: AtomicU64::new(0x5DEE_CE66_D1CE_4E5B),
        })
    }

    fn random_below(&self, n: usize) -> usize {
        let mut x = self.rng.load(Ordering::Relaxed);
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.rng.store(x, Ordering::Relaxed);
        (x % n.max(1) as u64) as usize
    }

    /// How many candidates to look for among `n` potential nodes.
    pub fn num_candidates(&self, n: usize) -> usize {
        let n = n as i64;
        let mut c = n * self.args.min_candidate_nodes_percentage / 100;
        if c < self.args.min_candidate_nodes_absolute {
            c = self.args.min_candidate_nodes_absolute;
        }
        c.min(n).max(0) as usize
    }
}

fn fit_error(num_all_nodes: usize, statuses: HashMap<String, Status>) -> String {
    FitError {
        num_all_nodes,
        diagnosis: Diagnosis {
            node_statuses: statuses,
            ..Diagnosis::default()
        },
    }
    .to_string()
}

impl Plugin for DefaultPreemption {
    fn name(&self) -> &str {
        names::DEFAULT_PREEMPTION
    }
    fn as_post_filter(&self) -> Option<&dyn PostFilterPlugin> {
        Some(self)
    }
}

impl PostFilterPlugin for DefaultPreemption {
    fn post_filter(
        &self,
        state: &CycleState,
        pod: &Arc<PodInfo>,
        input: &PostFilterInput<'_>,
    ) -> (Option<PostFilterResult>, Status) {
        let clear = || {
            Some(PostFilterResult {
                nominated_node: Some(String::new()),
                ..PostFilterResult::default()
            })
        };
        // Eligibility.
        if pod.pod.spec.preemption_policy.as_deref() == Some("Never") {
            return (
                None,
                Status::unresolvable("preemption: not eligible due to preemptionPolicy=Never."),
            );
        }
        let snapshot = input.snapshot;
        let nominated = pod.pod.status.nominated_node_name.as_str();
        if !nominated.is_empty() {
            let unresolvable = input
                .statuses
                .get(nominated)
                .is_some_and(|s| s.code() == Code::UnschedulableAndUnresolvable);
            if !unresolvable {
                if let Some(node) = snapshot.get(nominated) {
                    if node
                        .pods()
                        .iter()
                        .any(|p| p.is_terminating() && p.priority < pod.priority)
                    {
                        return (
                            None,
                            Status::unresolvable(
                                "preemption: not eligible due to a terminating pod on the nominated node.",
                            ),
                        );
                    }
                }
            }
        }

        // Nodes where removing pods might help.
        let potential: Vec<_> = snapshot
            .nodes()
            .iter()
            .filter(|n| {
                input
                    .statuses
                    .get(n.name())
                    .is_some_and(|s| s.code() == Code::Unschedulable)
            })
            .collect();
        if potential.is_empty() {
            let statuses = snapshot
                .nodes()
                .iter()
                .map(|n| (n.name().to_owned(), Status::unresolvable(NOT_HELPFUL)))
                .collect();
            let msg = format!("preemption: {}", fit_error(snapshot.len(), statuses));
            return (clear(), Status::unschedulable(msg));
        }

        // Dry runs from a random offset until enough candidates are found.
        let fwk = input.framework;
        let filters = fwk.active_filters(state);
        let wanted = self.num_candidates(potential.len()).max(1);
        let offset = self.random_below(potential.len());
        let mut candidates = Vec::new();
        let mut failures: HashMap<String, Status> = HashMap::new();
        for i in 0..potential.len() {
            let node = potential[(offset + i) % potential.len()];
            let mut node_copy = (**node).clone();
            let mut state_copy = state.clone();
            match victims::select_victims(
                fwk,
                &filters,
                &mut state_copy,
                pod,
                &mut node_copy,
                input.nominated,
                snapshot.cluster(),
            ) {
                Ok(v) => {
                    candidates.push(v);
                    if candidates.len() >= wanted {
                        break;
                    }
                }
                Err(s) if s.code() == Code::Error => return (None, s),
                Err(s) => {
                    failures.insert(node.name().to_owned(), s);
                }
            }
        }
        let Some(best) = victims::pick_one(&candidates) else {
            // Nodes where preemption cannot help are reported as such.
            for n in snapshot.nodes() {
                failures
                    .entry(n.name().to_owned())
                    .or_insert_with(|| Status::unresolvable(NOT_HELPFUL));
            }
            let msg = format!("preemption: {}", fit_error(snapshot.len(), failures));
            return (clear(), Status::unschedulable(msg));
        };
        let cleared = input
            .nominated
            .on_node(&best.node)
            .unwrap_or_default()
            .iter()
            .filter(|p| p.priority < pod.priority && p.key != pod.key)
            .cloned()
            .collect();
        (
            Some(PostFilterResult {
                nominated_node: Some(best.node.clone()),
                victims: best.pods.clone(),
                cleared_nominations: cleared,
            }),
            Status::success(),
        )
    }
}

#[cfg(test)]
mod tests;
