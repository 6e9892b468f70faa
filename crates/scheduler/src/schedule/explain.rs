//! [`Explanation`]: everything a cycle decided, per node and per plugin (what
//! kube-scheduler-simulator shows), as data and as a printable table.

use std::fmt;

use serde::Serialize;

use crate::framework::Status;

/// One filter plugin's verdict on one node.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FilterVerdict {
    /// The plugin.
    pub plugin: String,
    /// `Success`, `Unschedulable`, `UnschedulableAndUnresolvable`, `Error`, ...
    pub code: String,
    /// The reasons (empty on success).
    pub reasons: Vec<String>,
}

impl FilterVerdict {
    pub(crate) fn of(s: &Status) -> Self {
        FilterVerdict {
            plugin: s.plugin().unwrap_or_default().to_owned(),
            code: s.code().as_str().to_owned(),
            reasons: s.reasons().iter().map(|r| r.to_string()).collect(),
        }
    }
}

/// One score plugin's numbers on one node.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ScoreDetail {
    /// The plugin.
    pub plugin: String,
    /// What Score returned.
    pub raw: i64,
    /// After NormalizeScore (0..=100).
    pub normalized: i64,
    /// The plugin's weight.
    pub weight: i64,
    /// `normalized * weight`, the contribution to the total.
    pub weighted: i64,
}

/// Everything about one node.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NodeExplanation {
    /// The node.
    pub node: String,
    /// Whether every filter passed.
    pub feasible: bool,
    /// Every filter's verdict, in order.
    pub filters: Vec<FilterVerdict>,
    /// Every (non-skipped) score plugin's numbers; empty for infeasible nodes.
    pub scores: Vec<ScoreDetail>,
    /// The weighted total, for feasible nodes.
    pub total: Option<i64>,
}

impl NodeExplanation {
    pub(crate) fn new(node: &str, verdicts: &[(String, Status)], overall: &Status) -> Self {
        NodeExplanation {
            node: node.to_owned(),
            feasible: overall.is_success(),
            filters: verdicts
                .iter()
                .map(|(p, s)| FilterVerdict {
                    plugin: p.clone(),
                    ..FilterVerdict::of(s)
                })
                .collect(),
            scores: Vec::new(),
            total: None,
        }
    }
}

/// A scheduling decision with its reasons: every node's filter verdicts and score
/// breakdown, the selected node, and (when nothing fits) the Kubernetes-style message.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Explanation {
    /// `namespace/name` of the pod.
    pub pod: String,
    /// The PreFilter rejection, if PreFilter rejected the pod everywhere.
    pub pre_filter: Option<FilterVerdict>,
    /// Every node, in the order evaluated.
    pub nodes: Vec<NodeExplanation>,
    /// Score plugins whose PreScore skipped them for this pod.
    pub skipped_score_plugins: Vec<String>,
    /// The chosen node.
    pub selected: Option<String>,
    /// `0/N nodes are available: ...` when nothing fits, or the error.
    pub message: Option<String>,
}

impl fmt::Display for Explanation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "pod {}", self.pod)?;
        if let Some(p) = &self.pre_filter {
            writeln!(
                f,
                "  PreFilter {} {}: {}",
                p.plugin,
                p.code,
                p.reasons.join(", ")
            )?;
        }
        for n in &self.nodes {
            let mark = if self.selected.as_deref() == Some(n.node.as_str()) {
                "*"
            } else {
                " "
            };
            match n.total {
                Some(t) => writeln!(f, "{mark} node {} total {t}", n.node)?,
                None => writeln!(f, "{mark} node {} (infeasible)", n.node)?,
            }
            for v in &n.filters {
                if v.reasons.is_empty() {
                    writeln!(f, "    filter {:<32} {}", v.plugin, v.code)?;
                } else {
                    writeln!(
                        f,
                        "    filter {:<32} {}: {}",
                        v.plugin,
                        v.code,
                        v.reasons.join(", ")
                    )?;
                }
            }
            for s in &n.scores {
                writeln!(
                    f,
                    "    score  {:<32} raw {:>6}  normalized {:>3}  x{} = {}",
                    s.plugin, s.raw, s.normalized, s.weight, s.weighted
                )?;
            }
        }
        if !self.skipped_score_plugins.is_empty() {
            writeln!(
                f,
                "  skipped score plugins: {}",
                self.skipped_score_plugins.join(", ")
            )?;
        }
        if let Some(m) = &self.message {
            writeln!(f, "  {m}")?;
        }
        Ok(())
    }
}
