//! v1: scheduling constraints of a pod: `Affinity` (node, pod and anti-pod affinity),
//! `Toleration` and `TopologySpreadConstraint`, and the `NodeSelector` shared with
//! persistent volumes.

use serde::{Deserialize, Serialize};

use crate::selector::LabelSelector;

/// Affinity rules of a pod.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Affinity {
    /// Rules about the labels of the node.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node_affinity: Option<NodeAffinity>,
    /// Rules to run near (same topology domain as) certain other pods.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pod_affinity: Option<PodAffinity>,
    /// Rules to run away from certain other pods.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pod_anti_affinity: Option<PodAntiAffinity>,
}

/// Node affinity: a hard node selector and weighted soft preferences.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NodeAffinity {
    /// Nodes must match this selector at scheduling time (not re-checked later).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub required_during_scheduling_ignored_during_execution: Option<NodeSelector>,
    /// Terms whose weights are summed per matching node to rank nodes.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::serde_util::exact_vec"
    )]
    pub preferred_during_scheduling_ignored_during_execution: Vec<PreferredSchedulingTerm>,
}

/// A selector over nodes: the terms are ORed.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NodeSelector {
    /// The terms; a node matches if it matches any of them.
    #[serde(default, deserialize_with = "crate::serde_util::exact_vec")]
    pub node_selector_terms: Vec<NodeSelectorTerm>,
}

/// One term of a node selector: all of its requirements must hold. An empty term
/// matches no node.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NodeSelectorTerm {
    /// Requirements on the node's labels.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::serde_util::exact_vec"
    )]
    pub match_expressions: Vec<NodeSelectorRequirement>,
    /// Requirements on the node's fields (only `metadata.name` is supported).
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::serde_util::exact_vec"
    )]
    pub match_fields: Vec<NodeSelectorRequirement>,
}

/// A requirement `key operator values` on a node label or field.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NodeSelectorRequirement {
    /// Label key (or field path).
    #[serde(default)]
    pub key: String,
    /// `In`, `NotIn`, `Exists`, `DoesNotExist`, `Gt` or `Lt`.
    #[serde(default)]
    pub operator: String,
    /// Values: several for `In`/`NotIn`, none for `Exists`/`DoesNotExist`, one integer
    /// for `Gt`/`Lt`.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::serde_util::exact_vec"
    )]
    pub values: Vec<String>,
}

/// A node selector term with a weight (1-100).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PreferredSchedulingTerm {
    /// Weight added to a node's score when it matches.
    #[serde(default)]
    pub weight: i32,
    /// The term.
    #[serde(default)]
    pub preference: NodeSelectorTerm,
}

/// Inter-pod affinity: be in the same topology domain as matching pods.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PodAffinity {
    /// Terms that must all hold at scheduling time.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::serde_util::exact_vec"
    )]
    pub required_during_scheduling_ignored_during_execution: Vec<PodAffinityTerm>,
    /// Weighted terms that rank nodes.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::serde_util::exact_vec"
    )]
    pub preferred_during_scheduling_ignored_during_execution: Vec<WeightedPodAffinityTerm>,
}

/// Inter-pod anti-affinity: avoid the topology domains of matching pods.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PodAntiAffinity {
    /// Terms that must all hold at scheduling time.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::serde_util::exact_vec"
    )]
    pub required_during_scheduling_ignored_during_execution: Vec<PodAffinityTerm>,
    /// Weighted terms that rank nodes (a match lowers the score).
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::serde_util::exact_vec"
    )]
    pub preferred_during_scheduling_ignored_during_execution: Vec<WeightedPodAffinityTerm>,
}

/// A set of pods (by label selector and namespaces) and the topology key that defines
/// "near" them.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PodAffinityTerm {
    /// Pods to consider; `None` matches no pod.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label_selector: Option<LabelSelector>,
    /// Namespaces to look in, in addition to those chosen by `namespaceSelector`;
    /// with neither, the pod's own namespace.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::serde_util::exact_vec"
    )]
    pub namespaces: Vec<String>,
    /// Node label whose value defines a topology domain (e.g.
    /// `topology.kubernetes.io/zone`).
    #[serde(default)]
    pub topology_key: String,
    /// Namespaces to look in, by label; `{}` means all namespaces.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace_selector: Option<LabelSelector>,
    /// Label keys whose values, taken from the incoming pod, are added to the selector
    /// as `key in (value)`.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::serde_util::exact_vec"
    )]
    pub match_label_keys: Vec<String>,
    /// Label keys whose values, taken from the incoming pod, are added to the selector
    /// as `key notin (value)`.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::serde_util::exact_vec"
    )]
    pub mismatch_label_keys: Vec<String>,
}

/// A pod affinity term with a weight (1-100).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WeightedPodAffinityTerm {
    /// Weight added to (or, for anti-affinity, subtracted from) a node's score.
    #[serde(default)]
    pub weight: i32,
    /// The term.
    #[serde(default)]
    pub pod_affinity_term: PodAffinityTerm,
}

/// Lets a pod be scheduled onto (or stay on) nodes with a matching taint.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Toleration {
    /// Taint key; empty (with `Exists`) matches every taint.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub key: String,
    /// `Equal` (default) or `Exists`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub operator: String,
    /// Taint value to match with `Equal`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub value: String,
    /// `NoSchedule`, `PreferNoSchedule` or `NoExecute`; empty matches all effects.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub effect: String,
    /// For `NoExecute`: how long the pod stays bound after the taint appears;
    /// unset means forever.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub toleration_seconds: Option<i64>,
}

/// How matching pods should be spread over the domains of a topology key.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TopologySpreadConstraint {
    /// Largest allowed difference in matching pods between two domains.
    #[serde(default)]
    pub max_skew: i32,
    /// Node label whose values are the domains.
    #[serde(default)]
    pub topology_key: String,
    /// `DoNotSchedule` or `ScheduleAnyway`: what to do when the skew cannot be kept.
    #[serde(default)]
    pub when_unsatisfiable: String,
    /// Pods counted in each domain.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label_selector: Option<LabelSelector>,
    /// Fewest eligible domains to assume when computing the global minimum.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_domains: Option<i32>,
    /// `Honor` (default) or `Ignore` the pod's node affinity when counting domains.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node_affinity_policy: Option<String>,
    /// `Honor` or `Ignore` (default) node taints when counting domains.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node_taints_policy: Option<String>,
    /// Label keys whose values, taken from the incoming pod, narrow `labelSelector`.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::serde_util::exact_vec"
    )]
    pub match_label_keys: Vec<String>,
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn node_selector_terms_always_written() {
        let s = NodeSelector::default();
        assert_eq!(
            serde_json::to_string(&s).unwrap(),
            r#"{"nodeSelectorTerms":[]}"#
        );
        let t: Toleration = serde_json::from_str(
            r#"{"operator":"Exists","effect":"NoExecute","tolerationSeconds":300}"#,
        )
        .unwrap();
        assert_eq!(t.toleration_seconds, Some(300));
        assert_eq!(
            serde_json::to_string(&t).unwrap(),
            r#"{"operator":"Exists","effect":"NoExecute","tolerationSeconds":300}"#
        );
        assert!(serde_json::from_str::<TopologySpreadConstraint>(r#"{"maxSkew":"1"}"#).is_err());
    }
}
