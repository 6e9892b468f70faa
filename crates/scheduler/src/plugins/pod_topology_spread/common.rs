//! Compiled spread constraints and the helpers filtering and scoring share.

use core_types::core_v1::{Node, Pod, TopologySpreadConstraint};
use core_types::selector::{Operator, Requirement, Selector};

use super::PodTopologySpread;
use crate::cache::ClusterObjects;
use crate::framework::PodInfo;
use crate::plugins::helpers::{RequiredNodeAffinity, find_untolerated_taint, is_hard_taint};

/// One spread constraint, compiled for a pod.
#[derive(Clone, Debug, PartialEq)]
pub struct Constraint {
    /// Largest allowed skew.
    pub max_skew: i64,
    /// The node label whose values are the domains.
    pub topology_key: String,
    /// Matching pods; `None` matches no pod (no label selector given).
    pub selector: Option<Selector>,
    /// Fewest domains assumed (default 1).
    pub min_domains: i64,
    /// Count only nodes matching the pod's node affinity (default: yes).
    pub honor_node_affinity: bool,
    /// Count only nodes whose taints the pod tolerates (default: no).
    pub honor_node_taints: bool,
}

impl Constraint {
    /// True if `labels` match the selector.
    pub fn selects(&self, labels: &std::collections::BTreeMap<String, String>) -> bool {
        self.selector.as_ref().is_some_and(|s| s.matches(labels))
    }

    /// kube-scheduler's `countPodsMatchSelector`: pods in `namespace`, not terminating,
    /// matching the selector (an empty selector counts nothing).
    pub fn count_matching(&self, pods: &[std::sync::Arc<PodInfo>], namespace: &str) -> i64 {
        let Some(sel) = &self.selector else {
            return 0;
        };
        if sel.is_empty() {
            return 0;
        }
        pods.iter()
            .filter(|p| {
                !p.is_terminating()
                    && p.pod.metadata.namespace == namespace
                    && sel.matches(&p.pod.metadata.labels)
            })
            .count() as i64
    }

    /// True if `node` counts for this constraint (node inclusion policies).
    pub fn includes_node(&self, pod: &Pod, node: &Node, required: &RequiredNodeAffinity) -> bool {
        if self.honor_node_affinity && !required.matches(node) {
            return false;
        }
        if self.honor_node_taints
            && find_untolerated_taint(&node.spec.taints, &pod.spec.tolerations, is_hard_taint)
                .is_some()
        {
            return false;
        }
        true
    }
}

/// True if the node has every constraint's topology label.
pub(super) fn node_has_all_keys(node: &Node, constraints: &[Constraint]) -> bool {
    constraints
        .iter()
        .all(|c| node.metadata.labels.contains_key(&c.topology_key))
}

fn compile(pod: &Pod, c: &TopologySpreadConstraint) -> Result<Constraint, String> {
    let selector = match &c.label_selector {
        None => None,
        Some(ls) => {
            let mut sel = ls.to_selector().map_err(|e| e.to_string())?;
            for key in &c.match_label_keys {
                if let Some(v) = pod.metadata.labels.get(key) {
                    let r = Requirement::new(key.as_str(), Operator::In, [v.as_str()])
                        .map_err(|e| e.to_string())?;
                    sel = sel.with(r);
                }
            }
            Some(sel)
        }
    };
    Ok(Constraint {
        max_skew: i64::from(c.max_skew),
        topology_key: c.topology_key.clone(),
        selector,
        min_domains: c.min_domains.map_or(1, i64::from),
        honor_node_affinity: c.node_affinity_policy.as_deref() != Some("Ignore"),
        honor_node_taints: c.node_taints_policy.as_deref() == Some("Honor"),
    })
}

impl PodTopologySpread {
    /// The pod's constraints with `when_unsatisfiable == action`; its own, or, when it
    /// has none, the default constraints with the workload-derived selector.
    pub(super) fn constraints(
        &self,
        pod: &Pod,
        action: &str,
        cluster: &ClusterObjects,
    ) -> Result<Vec<Constraint>, String> {
        if !pod.spec.topology_spread_constraints.is_empty() {
            return pod
                .spec
                .topology_spread_constraints
                .iter()
                .filter(|c| c.when_unsatisfiable == action)
                .map(|c| compile(pod, c))
                .collect();
        }
        let defaults: Vec<&TopologySpreadConstraint> = self
            .default_constraints
            .iter()
            .filter(|c| c.when_unsatisfiable == action)
            .collect();
        if defaults.is_empty() || !cluster.has_workloads() {
            return Ok(Vec::new());
        }
        let Some(selector) = cluster.default_selector(pod) else {
            return Ok(Vec::new());
        };
        defaults
            .into_iter()
            .map(|c| {
                let mut compiled = compile(pod, c)?;
                compiled.selector = Some(selector.clone());
                Ok(compiled)
            })
            .collect()
    }

    pub(super) fn system_defaulted(&self) -> bool {
        self.system_defaulted
    }
}
