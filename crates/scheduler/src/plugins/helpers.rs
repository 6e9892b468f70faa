//! Shared pieces of the default plugins: score normalization, toleration matching and
//! compiled node selectors.

use core_types::core_v1::{Node, NodeSelector, NodeSelectorTerm, Pod, Taint, Toleration};
use core_types::selector::{Operator, Requirement};

/// kube-scheduler's `DefaultNormalizeScore`: scales scores so the highest becomes
/// `max` (all `max` when every score is 0 and `reverse`); with `reverse`, the result
/// is `max - score`.
pub fn default_normalize_score(max: i64, reverse: bool, scores: &mut [i64]) {
    let highest = scores.iter().copied().max().unwrap_or(0).max(0);
    if highest == 0 {
        if reverse {
            scores.iter_mut().for_each(|s| *s = max);
        }
        return;
    }
    for s in scores.iter_mut() {
        let v = max * *s / highest;
        *s = if reverse { max - v } else { v };
    }
}

/// True if `toleration` tolerates `taint`.
pub fn tolerates(toleration: &Toleration, taint: &Taint) -> bool {
    if !toleration.effect.is_empty() && toleration.effect != taint.effect {
        return false;
    }
    if !toleration.key.is_empty() && toleration.key != taint.key {
        return false;
    }
    match toleration.operator.as_str() {
        "" | "Equal" => toleration.value == taint.value,
        "Exists" => true,
        _ => false,
    }
}

/// The first taint passing `considered` that no toleration tolerates.
pub fn find_untolerated_taint<'a>(
    taints: &'a [Taint],
    tolerations: &[Toleration],
    considered: impl Fn(&Taint) -> bool,
) -> Option<&'a Taint> {
    taints
        .iter()
        .filter(|t| considered(t))
        .find(|t| !tolerations.iter().any(|tol| tolerates(tol, t)))
}

/// True for the effects the Filter cares about (`NoSchedule`, `NoExecute`).
pub fn is_hard_taint(t: &Taint) -> bool {
    t.effect == "NoSchedule" || t.effect == "NoExecute"
}

/// One compiled node selector term: label requirements and `metadata.name` field
/// requirements, all of which must hold. An empty or invalid term matches nothing.
#[derive(Clone, Debug, PartialEq)]
pub struct CompiledTerm {
    labels: Vec<Requirement>,
    fields: Vec<(bool, Vec<String>)>,
    valid: bool,
}

impl CompiledTerm {
    /// Compiles a term.
    pub fn new(term: &NodeSelectorTerm) -> Self {
        let mut valid = !(term.match_expressions.is_empty() && term.match_fields.is_empty());
        let mut labels = Vec::new();
        for r in &term.match_expressions {
            let op = match r.operator.as_str() {
                "In" => Operator::In,
                "NotIn" => Operator::NotIn,
                "Exists" => Operator::Exists,
                "DoesNotExist" => Operator::DoesNotExist,
                "Gt" => Operator::GreaterThan,
                "Lt" => Operator::LessThan,
                _ => {
                    valid = false;
                    continue;
                }
            };
            match Requirement::new(r.key.as_str(), op, r.values.iter().map(String::as_str)) {
                Ok(req) => labels.push(req),
                Err(_) => valid = false,
            }
        }
        let mut fields = Vec::new();
        for f in &term.match_fields {
            match (f.key.as_str(), f.operator.as_str()) {
                ("metadata.name", "In") if f.values.len() == 1 => {
                    fields.push((true, f.values.clone()));
                }
                ("metadata.name", "NotIn") if !f.values.is_empty() => {
                    fields.push((false, f.values.clone()));
                }
                _ => valid = false,
            }
        }
        CompiledTerm {
            labels,
            fields,
            valid,
        }
    }

    /// True if the node matches.
    pub fn matches(&self, node: &Node) -> bool {
        if !self.valid {
            return false;
        }
        let name = node.metadata.name.as_str();
        self.labels.iter().all(|r| r.matches(&node.metadata.labels))
            && self
                .fields
                .iter()
                .all(|(is_in, values)| values.iter().any(|v| v == name) == *is_in)
    }

    /// The node names this term allows through `metadata.name In [...]` requirements
    /// (their intersection); `None` when it has none.
    pub fn pinned_names(&self) -> Option<std::collections::BTreeSet<String>> {
        let mut out: Option<std::collections::BTreeSet<String>> = None;
        for (is_in, values) in &self.fields {
            if !*is_in {
                continue;
            }
            let set: std::collections::BTreeSet<String> = values.iter().cloned().collect();
            out = Some(match out {
                None => set,
                Some(prev) => prev.intersection(&set).cloned().collect(),
            });
        }
        out
    }
}

/// Compiled node selector terms (ORed).
#[derive(Clone, Debug, PartialEq)]
pub struct CompiledNodeSelector {
    /// The terms.
    pub terms: Vec<CompiledTerm>,
}

impl CompiledNodeSelector {
    /// Compiles a selector.
    pub fn new(s: &NodeSelector) -> Self {
        CompiledNodeSelector {
            terms: s
                .node_selector_terms
                .iter()
                .map(CompiledTerm::new)
                .collect(),
        }
    }

    /// True if any term matches.
    pub fn matches(&self, node: &Node) -> bool {
        self.terms.iter().any(|t| t.matches(node))
    }
}

/// A pod's required node affinity (`requiredDuringSchedulingIgnoredDuringExecution`).
pub(crate) fn required_node_selector(pod: &Pod) -> Option<&NodeSelector> {
    pod.spec
        .affinity
        .as_ref()?
        .node_affinity
        .as_ref()?
        .required_during_scheduling_ignored_during_execution
        .as_ref()
}

/// A pod's hard node constraints: `spec.nodeSelector` and required node affinity,
/// compiled once.
#[derive(Clone, Debug, PartialEq)]
pub struct RequiredNodeAffinity {
    node_selector: Vec<(String, String)>,
    affinity: Option<CompiledNodeSelector>,
}

impl RequiredNodeAffinity {
    /// The constraints of `pod`.
    pub fn of(pod: &Pod) -> Self {
        RequiredNodeAffinity {
            node_selector: pod
                .spec
                .node_selector
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
            affinity: required_node_selector(pod).map(CompiledNodeSelector::new),
        }
    }

    /// True if the pod constrains nodes at all.
    pub fn is_empty(&self) -> bool {
        self.node_selector.is_empty() && self.affinity.is_none()
    }

    /// True if `node` satisfies both the node selector and the required affinity.
    pub fn matches(&self, node: &Node) -> bool {
        self.node_selector
            .iter()
            .all(|(k, v)| node.metadata.labels.get(k) == Some(v))
            && self.affinity.as_ref().is_none_or(|a| a.matches(node))
    }

    /// The required affinity, when set.
    pub fn affinity(&self) -> Option<&CompiledNodeSelector> {
        self.affinity.as_ref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use core_types::core_v1::NodeSelectorRequirement;

    #[test]
    fn normalize() {
        let mut s = [0, 5, 10];
        default_normalize_score(100, false, &mut s);
        assert_eq!(s, [0, 50, 100]);
        let mut s = [0, 1, 4];
        default_normalize_score(100, true, &mut s);
        assert_eq!(s, [100, 75, 0]);
        let mut s = [0, 0];
        default_normalize_score(100, true, &mut s);
        assert_eq!(s, [100, 100]);
        let mut s = [0, 0];
        default_normalize_score(100, false, &mut s);
        assert_eq!(s, [0, 0]);
    }

    #[test]
    fn toleration_matching() {
        let taint = Taint {
            key: "dedicated".into(),
            value: "gpu".into(),
            effect: "NoSchedule".into(),
            ..Default::default()
        };
        let t = |key: &str, op: &str, value: &str, effect: &str| Toleration {
            key: key.into(),
            operator: op.into(),
            value: value.into(),
            effect: effect.into(),
            ..Default::default()
        };
        assert!(tolerates(&t("dedicated", "", "gpu", ""), &taint));
        assert!(tolerates(
            &t("dedicated", "Exists", "", "NoSchedule"),
            &taint
        ));
        assert!(tolerates(&t("", "Exists", "", ""), &taint));
        assert!(!tolerates(&t("dedicated", "Equal", "cpu", ""), &taint));
        assert!(!tolerates(
            &t("dedicated", "Exists", "", "NoExecute"),
            &taint
        ));
    }

    #[test]
    fn node_selector_terms() {
        let mut node = Node::default();
        node.metadata.name = "n1".into();
        node.metadata.labels.insert("zone".into(), "a".into());
        node.metadata.labels.insert("cores".into(), "8".into());
        let req = |k: &str, op: &str, v: &[&str]| NodeSelectorRequirement {
            key: k.into(),
            operator: op.into(),
            values: v.iter().map(|s| s.to_string()).collect(),
        };
        let term = |exprs: Vec<NodeSelectorRequirement>, fields: Vec<NodeSelectorRequirement>| {
            CompiledTerm::new(&NodeSelectorTerm {
                match_expressions: exprs,
                match_fields: fields,
            })
        };
        assert!(term(vec![req("zone", "In", &["a", "b"])], vec![]).matches(&node));
        assert!(term(vec![req("cores", "Gt", &["4"])], vec![]).matches(&node));
        assert!(!term(vec![req("cores", "Lt", &["4"])], vec![]).matches(&node));
        assert!(term(vec![], vec![req("metadata.name", "In", &["n1"])]).matches(&node));
        assert!(!term(vec![], vec![]).matches(&node));
        assert!(!term(vec![req("zone", "Bogus", &["a"])], vec![]).matches(&node));
        assert_eq!(
            term(vec![], vec![req("metadata.name", "In", &["n1"])])
                .pinned_names()
                .unwrap()
                .into_iter()
                .collect::<Vec<_>>(),
            vec!["n1".to_owned()]
        );
    }
}
