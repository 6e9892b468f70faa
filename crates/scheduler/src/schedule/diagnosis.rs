//! Results and failures of a cycle, and kube-scheduler's "0/N nodes are available"
//! messages.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;

use crate::framework::Status;

/// Where a pod goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScheduleResult {
    /// The chosen node.
    pub node: String,
    /// Nodes the filters ran on.
    pub evaluated_nodes: usize,
    /// Nodes that passed the filters (and were scored).
    pub feasible_nodes: usize,
}

/// Why no node fits: each rejected node's status, the plugins that rejected, and the
/// PreFilter and PostFilter messages.
#[derive(Clone, Debug, Default)]
pub struct Diagnosis {
    /// The verdict of every rejected node, by node name.
    pub node_statuses: HashMap<String, Status>,
    /// The plugins that rejected the pod somewhere.
    pub unschedulable_plugins: BTreeSet<String>,
    /// The PreFilter rejection, when PreFilter rejected the pod for all nodes.
    pub pre_filter_msg: Option<String>,
    /// What PostFilter (preemption) said.
    pub post_filter_msg: Option<String>,
}

/// No node fits the pod.
#[derive(Clone, Debug, Default)]
pub struct FitError {
    /// The number of nodes in the snapshot.
    pub num_all_nodes: usize,
    /// Why.
    pub diagnosis: Diagnosis,
}

impl FitError {
    /// The reasons with the number of nodes giving each, sorted as kube-scheduler
    /// prints them (`"3 Insufficient cpu"`).
    pub fn reason_histogram(&self) -> Vec<String> {
        histogram(self.diagnosis.node_statuses.values())
    }
}

pub(crate) fn histogram<'a>(statuses: impl Iterator<Item = &'a Status>) -> Vec<String> {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for s in statuses {
        for r in s.reasons() {
            *counts.entry(r.as_ref()).or_default() += 1;
        }
    }
    let mut out: Vec<String> = counts
        .into_iter()
        .map(|(r, n)| format!("{n} {r}"))
        .collect();
    out.sort();
    out
}

impl fmt::Display for FitError {
    /// `0/5 nodes are available: 2 Insufficient cpu, 3 node(s) had untolerated taint
    /// {k: v}. preemption: 0/5 nodes are available: 5 Preemption is not helpful for
    /// scheduling.`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "0/{} nodes are available:", self.num_all_nodes)?;
        match &self.diagnosis.pre_filter_msg {
            Some(m) => write!(f, " {m}.")?,
            None => {
                let reasons = self.reason_histogram();
                if !reasons.is_empty() {
                    write!(f, " {}.", reasons.join(", "))?;
                }
            }
        }
        if let Some(m) = &self.diagnosis.post_filter_msg {
            write!(f, " {m}")?;
        }
        Ok(())
    }
}

impl std::error::Error for FitError {}

/// Why a cycle did not produce a node.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum ScheduleError {
    /// The cluster has no nodes.
    NoNodes,
    /// No node fits (the normal "unschedulable" outcome).
    Unschedulable(Box<FitError>),
    /// A plugin failed (an `Error` status).
    Internal(Status),
}

impl fmt::Display for ScheduleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ScheduleError::NoNodes => f.write_str("no nodes available to schedule pods"),
            ScheduleError::Unschedulable(e) => e.fmt(f),
            ScheduleError::Internal(s) => match s.plugin() {
                Some(p) => write!(f, "running plugin {p}: {}", s.message()),
                None => f.write_str(&s.message()),
            },
        }
    }
}

impl std::error::Error for ScheduleError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kubernetes_style_message() {
        let mut d = Diagnosis::default();
        for (i, reason) in ["Insufficient cpu", "Insufficient cpu", "Insufficient cpu"]
            .iter()
            .enumerate()
        {
            d.node_statuses
                .insert(format!("n{i}"), Status::unschedulable(*reason));
        }
        for i in 3..5 {
            d.node_statuses.insert(
                format!("n{i}"),
                Status::unresolvable("node(s) had untolerated taint {dedicated: gpu}"),
            );
        }
        d.post_filter_msg = Some(
            "preemption: 0/5 nodes are available: 2 Preemption is not helpful for scheduling, 3 No preemption victims found for incoming pod.".into(),
        );
        let e = FitError {
            num_all_nodes: 5,
            diagnosis: d,
        };
        assert_eq!(
            e.to_string(),
            "0/5 nodes are available: 2 node(s) had untolerated taint {dedicated: gpu}, 3 Insufficient cpu. \
             preemption: 0/5 nodes are available: 2 Preemption is not helpful for scheduling, 3 No preemption victims found for incoming pod."
        );
    }

    #[test]
    fn prefilter_message_replaces_the_histogram() {
        let mut d = Diagnosis {
            pre_filter_msg: Some("node(s) didn't satisfy plugin NodeAffinity".into()),
            ..Diagnosis::default()
        };
        d.node_statuses
            .insert("n".into(), Status::unresolvable("ignored"));
        let e = FitError {
            num_all_nodes: 1,
            diagnosis: d,
        };
        assert_eq!(
            e.to_string(),
            "0/1 nodes are available: node(s) didn't satisfy plugin NodeAffinity."
        );
    }
}
