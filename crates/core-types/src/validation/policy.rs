//! HorizontalPodAutoscalers, PriorityClasses and PodDisruptionBudgets.

use super::common::{
    enum_option, enum_required, in_range, int_or_percent, label_selector, path_segment_name,
    quantity_non_negative, required, required_name,
};
use super::{FieldError, FieldPath, Validate, ValidationErrors, names, validate_object_meta};
use crate::autoscaling_v2::{
    HorizontalPodAutoscaler, HpaScalingRules, MetricIdentifier, MetricSpec, MetricTarget,
};
use crate::policy_v1::PodDisruptionBudget;
use crate::quantity::Quantity;
use crate::resource::Scope;
use crate::scheduling_v1::PriorityClass;

/// Longest HPA stabilization window (one hour).
const MAX_STABILIZATION_SECONDS: i64 = 3600;
/// Longest HPA scaling policy period (30 minutes).
const MAX_PERIOD_SECONDS: i64 = 1800;

impl Validate for HorizontalPodAutoscaler {
    fn validate(&self) -> Result<(), ValidationErrors> {
        let mut errs = ValidationErrors::default();
        let e = &mut errs;
        validate_object_meta(
            &self.metadata,
            Scope::Namespaced,
            names::dns1123_subdomain,
            e,
        );
        let s = &self.spec;
        let spec = FieldPath::root("spec");
        let tr = spec.child("scaleTargetRef");
        required_name(
            &s.scale_target_ref.kind,
            path_segment_name,
            &tr.child("kind"),
            e,
        );
        required_name(
            &s.scale_target_ref.name,
            path_segment_name,
            &tr.child("name"),
            e,
        );
        if let Some(min) = s.min_replicas.filter(|m| *m < 1) {
            e.push(FieldError::invalid(
                &spec.child("minReplicas"),
                min,
                "must be greater than or equal to 1",
            ));
        }
        let maxp = spec.child("maxReplicas");
        if s.max_replicas < 1 {
            e.push(FieldError::invalid(
                &maxp,
                s.max_replicas,
                "must be greater than 0",
            ));
        } else if s.min_replicas.is_some_and(|m| m > s.max_replicas) {
            e.push(FieldError::invalid(
                &maxp,
                s.max_replicas,
                "must be greater than or equal to `minReplicas`",
            ));
        }
        for (i, m) in s.metrics.iter().enumerate() {
            metric(m, &spec.child("metrics").index(i), e);
        }
        if let Some(b) = &s.behavior {
            let bp = spec.child("behavior");
            if let Some(r) = &b.scale_up {
                scaling_rules(r, &bp.child("scaleUp"), e);
            }
            if let Some(r) = &b.scale_down {
                scaling_rules(r, &bp.child("scaleDown"), e);
            }
        }
        errs.into_result()
    }
}

fn metric(m: &MetricSpec, path: &FieldPath, errs: &mut ValidationErrors) {
    let sources = [
        ("Object", "object", m.object.is_some()),
        ("Pods", "pods", m.pods.is_some()),
        ("Resource", "resource", m.resource.is_some()),
        (
            "ContainerResource",
            "containerResource",
            m.container_resource.is_some(),
        ),
        ("External", "external", m.external.is_some()),
    ];
    let types: Vec<&str> = sources.iter().map(|(t, _, _)| *t).collect();
    enum_required(&m.type_, &types, &path.child("type"), errs);
    if let Some((_, field, set)) = sources.iter().find(|(t, _, _)| *t == m.type_) {
        if !set {
            errs.push(FieldError::required(
                &path.child(field),
                "must populate information for the given metric source",
            ));
        }
    }
    if sources.iter().filter(|(_, _, set)| *set).count() > 1 {
        errs.push(FieldError::invalid(
            &path.child("type"),
            &m.type_,
            "must populate the given metric source only",
        ));
    }
    if let Some(o) = &m.object {
        let p = path.child("object");
        let d = p.child("describedObject");
        required_name(
            &o.described_object.kind,
            path_segment_name,
            &d.child("kind"),
            errs,
        );
        required_name(
            &o.described_object.name,
            path_segment_name,
            &d.child("name"),
            errs,
        );
        metric_identifier(&o.metric, &p.child("metric"), errs);
        target(
            &o.target,
            &["Value", "AverageValue"],
            &p.child("target"),
            errs,
        );
    }
    if let Some(o) = &m.pods {
        let p = path.child("pods");
        metric_identifier(&o.metric, &p.child("metric"), errs);
        target(&o.target, &["AverageValue"], &p.child("target"), errs);
    }
    if let Some(o) = &m.resource {
        let p = path.child("resource");
        required_name(&o.name, names::qualified_name, &p.child("name"), errs);
        target(
            &o.target,
            &["Utilization", "AverageValue"],
            &p.child("target"),
            errs,
        );
    }
    if let Some(o) = &m.container_resource {
        let p = path.child("containerResource");
        required_name(&o.name, names::qualified_name, &p.child("name"), errs);
        required_name(
            &o.container,
            names::dns1123_label,
            &p.child("container"),
            errs,
        );
        target(
            &o.target,
            &["Utilization", "AverageValue"],
            &p.child("target"),
            errs,
        );
    }
    if let Some(o) = &m.external {
        let p = path.child("external");
        metric_identifier(&o.metric, &p.child("metric"), errs);
        target(
            &o.target,
            &["Value", "AverageValue"],
            &p.child("target"),
            errs,
        );
    }
}

fn metric_identifier(m: &MetricIdentifier, path: &FieldPath, errs: &mut ValidationErrors) {
    required(&m.name, &path.child("name"), errs);
    if let Some(sel) = &m.selector {
        label_selector(sel, &path.child("selector"), errs);
    }
}

fn target(t: &MetricTarget, allowed: &[&str], path: &FieldPath, errs: &mut ValidationErrors) {
    enum_required(&t.type_, allowed, &path.child("type"), errs);
    let positive_q = |q: &Option<Quantity>, field: &str, errs: &mut ValidationErrors| {
        if let Some(q) = q.as_ref().filter(|q| q.nanos() <= 0) {
            errs.push(FieldError::invalid(
                &path.child(field),
                q,
                "must be positive",
            ));
        }
    };
    positive_q(&t.value, "value", errs);
    positive_q(&t.average_value, "averageValue", errs);
    if let Some(u) = t.average_utilization.filter(|u| *u < 1) {
        errs.push(FieldError::invalid(
            &path.child("averageUtilization"),
            u,
            "must be greater than 0",
        ));
    }
    let missing = match t.type_.as_str() {
        "Utilization" if t.average_utilization.is_none() => Some("averageUtilization"),
        "Value" if t.value.is_none() => Some("value"),
        "AverageValue" if t.average_value.is_none() => Some("averageValue"),
        _ => None,
    };
    if let Some(field) = missing {
        errs.push(FieldError::required(
            &path.child(field),
            format!("must be set when the target type is {}", t.type_),
        ));
    }
}

fn scaling_rules(r: &HpaScalingRules, path: &FieldPath, errs: &mut ValidationErrors) {
    if let Some(w) = r.stabilization_window_seconds {
        in_range(
            w.into(),
            0,
            MAX_STABILIZATION_SECONDS,
            &path.child("stabilizationWindowSeconds"),
            errs,
        );
    }
    enum_option(
        r.select_policy.as_ref(),
        &["Max", "Min", "Disabled"],
        &path.child("selectPolicy"),
        errs,
    );
    for (i, p) in r.policies.iter().enumerate() {
        let pp = path.child("policies").index(i);
        enum_required(&p.type_, &["Pods", "Percent"], &pp.child("type"), errs);
        if p.value <= 0 {
            errs.push(FieldError::invalid(
                &pp.child("value"),
                p.value,
                "must be greater than zero",
            ));
        }
        in_range(
            p.period_seconds.into(),
            1,
            MAX_PERIOD_SECONDS,
            &pp.child("periodSeconds"),
            errs,
        );
    }
    if let Some(t) = &r.tolerance {
        quantity_non_negative(t, &path.child("tolerance"), errs);
    }
}

/// Largest priority a user-defined PriorityClass may have.
const HIGHEST_USER_PRIORITY: i32 = 1_000_000_000;
/// The PriorityClasses Kubernetes itself defines, with their values.
const SYSTEM_CLASSES: &[(&str, i32)] = &[
    ("system-node-critical", 2_000_001_000),
    ("system-cluster-critical", 2_000_000_000),
];

impl Validate for PriorityClass {
    fn validate(&self) -> Result<(), ValidationErrors> {
        let mut errs = ValidationErrors::default();
        validate_object_meta(
            &self.metadata,
            Scope::Cluster,
            names::dns1123_subdomain,
            &mut errs,
        );
        let name = self.metadata.name.as_str();
        let known_system = SYSTEM_CLASSES
            .iter()
            .any(|(n, v)| *n == name && *v == self.value)
            && !self.global_default;
        if known_system {
            // Kubernetes' own classes may exceed the user limit.
        } else if name.starts_with("system-") {
            errs.push(FieldError::forbidden(
                &FieldPath::root("metadata").child("name"),
                "priority class names with 'system-' prefix are reserved for system use only",
            ));
        } else if self.value > HIGHEST_USER_PRIORITY {
            errs.push(FieldError::forbidden(
                &FieldPath::root("value"),
                "maximum allowed value of a user defined priority is 1000000000",
            ));
        }
        let pp = FieldPath::root("preemptionPolicy");
        enum_option(
            self.preemption_policy.as_ref(),
            &["PreemptLowerPriority", "Never"],
            &pp,
            &mut errs,
        );
        errs.into_result()
    }
}

impl Validate for PodDisruptionBudget {
    fn validate(&self) -> Result<(), ValidationErrors> {
        let mut errs = ValidationErrors::default();
        let e = &mut errs;
        validate_object_meta(
            &self.metadata,
            Scope::Namespaced,
            names::dns1123_subdomain,
            e,
        );
        let s = &self.spec;
        let spec = FieldPath::root("spec");
        if s.min_available.is_some() && s.max_unavailable.is_some() {
            e.push(FieldError::invalid(
                &spec,
                "",
                "minAvailable and maxUnavailable cannot be both set",
            ));
        }
        if let Some(v) = &s.min_available {
            int_or_percent(v, true, &spec.child("minAvailable"), e);
        }
        if let Some(v) = &s.max_unavailable {
            int_or_percent(v, true, &spec.child("maxUnavailable"), e);
        }
        if let Some(sel) = &s.selector {
            label_selector(sel, &spec.child("selector"), e);
        }
        let up = spec.child("unhealthyPodEvictionPolicy");
        enum_option(
            s.unhealthy_pod_eviction_policy.as_ref(),
            &["IfHealthyBudget", "AlwaysAllow"],
            &up,
            e,
        );
        errs.into_result()
    }
}

#[cfg(test)]
#[path = "policy_tests.rs"]
mod tests;
