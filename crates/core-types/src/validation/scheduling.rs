//! Scheduling constraints of a pod spec: affinity, tolerations and topology spread.
//! Node selectors are shared with PersistentVolume node affinity.

use std::collections::BTreeSet;

use super::common::{enum_option, label_selector, required, required_name};
use super::{FieldError, FieldPath, ValidationErrors, names};
use crate::core_v1::{
    Affinity, NodeSelector, NodeSelectorRequirement, NodeSelectorTerm, PodAffinityTerm, Toleration,
    TopologySpreadConstraint, WeightedPodAffinityTerm,
};

/// Checks a required node selector: at least one term, each term valid.
pub(super) fn node_selector(sel: &NodeSelector, path: &FieldPath, errs: &mut ValidationErrors) {
    let terms = path.child("nodeSelectorTerms");
    if sel.node_selector_terms.is_empty() {
        errs.push(FieldError::required(
            &terms,
            "must have at least one node selector term",
        ));
    }
    for (i, t) in sel.node_selector_terms.iter().enumerate() {
        node_selector_term(t, &terms.index(i), errs);
    }
}

fn node_selector_term(t: &NodeSelectorTerm, path: &FieldPath, errs: &mut ValidationErrors) {
    for (i, r) in t.match_expressions.iter().enumerate() {
        node_requirement(r, &path.child("matchExpressions").index(i), errs);
    }
    for (i, r) in t.match_fields.iter().enumerate() {
        let p = path.child("matchFields").index(i);
        if r.key != "metadata.name" {
            errs.push(FieldError::not_supported(
                &p.child("key"),
                &r.key,
                &["metadata.name"],
            ));
        }
        if !matches!(r.operator.as_str(), "In" | "NotIn") {
            errs.push(FieldError::not_supported(
                &p.child("operator"),
                &r.operator,
                &["In", "NotIn"],
            ));
        }
        if r.values.len() != 1 {
            errs.push(FieldError::required(
                &p.child("values"),
                "must have exactly one value",
            ));
        }
    }
}

fn node_requirement(r: &NodeSelectorRequirement, path: &FieldPath, errs: &mut ValidationErrors) {
    let values = path.child("values");
    match r.operator.as_str() {
        "In" | "NotIn" if r.values.is_empty() => errs.push(FieldError::required(
            &values,
            "must be specified when `operator` is 'In' or 'NotIn'",
        )),
        "Exists" | "DoesNotExist" if !r.values.is_empty() => errs.push(FieldError::forbidden(
            &values,
            "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
        )),
        "Gt" | "Lt" => {
            if r.values.len() != 1 {
                errs.push(FieldError::required(
                    &values,
                    "must be specified single value when `operator` is 'Lt' or 'Gt'",
                ));
            } else if r.values[0].parse::<i64>().is_err() {
                errs.push(FieldError::invalid(
                    &values.index(0),
                    &r.values[0],
                    "must be an integer when `operator` is 'Lt' or 'Gt'",
                ));
            }
        }
        "In" | "NotIn" | "Exists" | "DoesNotExist" => {}
        "" => errs.push(FieldError::required(&path.child("operator"), "")),
        other => errs.push(FieldError::not_supported(
            &path.child("operator"),
            other,
            &["In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt"],
        )),
    }
    required_name(&r.key, names::qualified_name, &path.child("key"), errs);
    if !matches!(r.operator.as_str(), "Gt" | "Lt") {
        for (i, v) in r.values.iter().enumerate() {
            errs.invalid_all(&values.index(i), v, names::label_value(v));
        }
    }
}

fn weight(w: i32, path: &FieldPath, errs: &mut ValidationErrors) {
    if !(1..=100).contains(&w) {
        errs.push(FieldError::invalid(path, w, "must be in the range 1-100"));
    }
}

/// Checks node, pod and pod anti-affinity.
pub(super) fn affinity(a: &Affinity, path: &FieldPath, errs: &mut ValidationErrors) {
    if let Some(na) = &a.node_affinity {
        let p = path.child("nodeAffinity");
        if let Some(sel) = &na.required_during_scheduling_ignored_during_execution {
            node_selector(
                sel,
                &p.child("requiredDuringSchedulingIgnoredDuringExecution"),
                errs,
            );
        }
        let pref = p.child("preferredDuringSchedulingIgnoredDuringExecution");
        for (i, t) in na
            .preferred_during_scheduling_ignored_during_execution
            .iter()
            .enumerate()
        {
            let tp = pref.index(i);
            weight(t.weight, &tp.child("weight"), errs);
            node_selector_term(&t.preference, &tp.child("preference"), errs);
        }
    }
    if let Some(pa) = &a.pod_affinity {
        pod_affinity(
            &pa.required_during_scheduling_ignored_during_execution,
            &pa.preferred_during_scheduling_ignored_during_execution,
            &path.child("podAffinity"),
            errs,
        );
    }
    if let Some(pa) = &a.pod_anti_affinity {
        pod_affinity(
            &pa.required_during_scheduling_ignored_during_execution,
            &pa.preferred_during_scheduling_ignored_during_execution,
            &path.child("podAntiAffinity"),
            errs,
        );
    }
}

fn pod_affinity(
    required_terms: &[PodAffinityTerm],
    preferred: &[WeightedPodAffinityTerm],
    path: &FieldPath,
    errs: &mut ValidationErrors,
) {
    let req = path.child("requiredDuringSchedulingIgnoredDuringExecution");
    for (i, t) in required_terms.iter().enumerate() {
        pod_affinity_term(t, &req.index(i), errs);
    }
    let pref = path.child("preferredDuringSchedulingIgnoredDuringExecution");
    for (i, t) in preferred.iter().enumerate() {
        let p = pref.index(i);
        weight(t.weight, &p.child("weight"), errs);
        pod_affinity_term(&t.pod_affinity_term, &p.child("podAffinityTerm"), errs);
    }
}

fn pod_affinity_term(t: &PodAffinityTerm, path: &FieldPath, errs: &mut ValidationErrors) {
    if let Some(sel) = &t.label_selector {
        label_selector(sel, &path.child("labelSelector"), errs);
    }
    if let Some(sel) = &t.namespace_selector {
        label_selector(sel, &path.child("namespaceSelector"), errs);
    }
    for (i, ns) in t.namespaces.iter().enumerate() {
        errs.invalid_all(
            &path.child("namespaces").index(i),
            ns,
            names::dns1123_label(ns),
        );
    }
    let tk = path.child("topologyKey");
    if t.topology_key.is_empty() {
        errs.push(FieldError::required(&tk, "can not be empty"));
    } else {
        errs.invalid_all(&tk, &t.topology_key, names::qualified_name(&t.topology_key));
    }
    for (field, keys) in [
        ("matchLabelKeys", &t.match_label_keys),
        ("mismatchLabelKeys", &t.mismatch_label_keys),
    ] {
        for (i, k) in keys.iter().enumerate() {
            errs.invalid_all(&path.child(field).index(i), k, names::qualified_name(k));
        }
    }
}

const EFFECTS: &[&str] = &["NoSchedule", "PreferNoSchedule", "NoExecute"];

/// Checks tolerations.
pub(super) fn tolerations(list: &[Toleration], path: &FieldPath, errs: &mut ValidationErrors) {
    for (i, t) in list.iter().enumerate() {
        let p = path.index(i);
        let op = p.child("operator");
        if t.key.is_empty() {
            if t.operator != "Exists" {
                errs.push(FieldError::invalid(&op, &t.operator, "operator must be Exists when `key` is empty, which means \"match all values and all keys\""));
            }
        } else {
            errs.invalid_all(&p.child("key"), &t.key, names::qualified_name(&t.key));
        }
        if t.toleration_seconds.is_some() && t.effect != "NoExecute" {
            errs.push(FieldError::invalid(
                &p.child("effect"),
                &t.effect,
                "effect must be 'NoExecute' when `tolerationSeconds` is set",
            ));
        }
        match t.operator.as_str() {
            "" | "Equal" => {
                errs.invalid_all(&p.child("value"), &t.value, names::label_value(&t.value))
            }
            "Exists" if !t.value.is_empty() => {
                errs.push(FieldError::invalid(
                    &p.child("value"),
                    &t.value,
                    "value must be empty when `operator` is 'Exists'",
                ));
            }
            "Exists" => {}
            other => errs.push(FieldError::not_supported(&op, other, &["Equal", "Exists"])),
        }
        super::common::enum_optional(&t.effect, EFFECTS, &p.child("effect"), errs);
    }
}

/// Checks topology spread constraints.
pub(super) fn topology_spread(
    list: &[TopologySpreadConstraint],
    path: &FieldPath,
    errs: &mut ValidationErrors,
) {
    let mut seen = BTreeSet::new();
    for (i, c) in list.iter().enumerate() {
        let p = path.index(i);
        if c.max_skew <= 0 {
            errs.push(FieldError::invalid(
                &p.child("maxSkew"),
                c.max_skew,
                "must be greater than zero",
            ));
        }
        let tk = p.child("topologyKey");
        if required(&c.topology_key, &tk, errs) {
            errs.invalid_all(&tk, &c.topology_key, names::qualified_name(&c.topology_key));
        }
        let wu = p.child("whenUnsatisfiable");
        super::common::enum_required(
            &c.when_unsatisfiable,
            &["DoNotSchedule", "ScheduleAnyway"],
            &wu,
            errs,
        );
        if !seen.insert((c.topology_key.as_str(), c.when_unsatisfiable.as_str())) {
            errs.push(FieldError::duplicate(
                &p,
                format!("{{{}, {}}}", c.topology_key, c.when_unsatisfiable),
            ));
        }
        if let Some(m) = c.min_domains {
            let mp = p.child("minDomains");
            if m <= 0 {
                errs.push(FieldError::invalid(&mp, m, "must be greater than 0"));
            } else if c.when_unsatisfiable != "DoNotSchedule" {
                errs.push(FieldError::invalid(
                    &mp,
                    m,
                    "can only use minDomains if whenUnsatisfiable=DoNotSchedule",
                ));
            }
        }
        if let Some(sel) = &c.label_selector {
            label_selector(sel, &p.child("labelSelector"), errs);
        }
        enum_option(
            c.node_affinity_policy.as_ref(),
            &["Honor", "Ignore"],
            &p.child("nodeAffinityPolicy"),
            errs,
        );
        enum_option(
            c.node_taints_policy.as_ref(),
            &["Honor", "Ignore"],
            &p.child("nodeTaintsPolicy"),
            errs,
        );
        for (j, k) in c.match_label_keys.iter().enumerate() {
            errs.invalid_all(
                &p.child("matchLabelKeys").index(j),
                k,
                names::qualified_name(k),
            );
        }
    }
}
