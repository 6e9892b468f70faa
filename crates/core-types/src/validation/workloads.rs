//! Workload controllers of the apps group, and ReplicationController.

use super::common::{
    enum_required, int_or_percent, int_or_percent_value, label_selector, non_negative,
    optional_name, required_name, selector_matches_template,
};
use super::pod::{PodSpecOptions, validate_pod_template_with};
use super::{
    FieldError, FieldPath, Validate, ValidationErrors, names, validate_labels, validate_object_meta,
};
use crate::IntOrString;
use crate::apps_v1::{ControllerRevision, DaemonSet, Deployment, ReplicaSet, StatefulSet};
use crate::core_v1::{PodTemplateSpec, ReplicationController};
use crate::resource::Scope;
use crate::selector::LabelSelector;

const ALWAYS: &[&str] = &["Always"];

/// Checks an apps/v1 selector (required and not empty) against the template's labels.
fn apps_selector(
    sel: Option<&LabelSelector>,
    kind: &str,
    template: &PodTemplateSpec,
    spec: &FieldPath,
    errs: &mut ValidationErrors,
) {
    let path = spec.child("selector");
    let Some(sel) = sel else {
        errs.push(FieldError::required(&path, ""));
        return;
    };
    label_selector(sel, &path, errs);
    if sel.match_labels.is_empty() && sel.match_expressions.is_empty() {
        errs.push(FieldError::invalid(
            &path,
            "{}",
            format!("empty selector is invalid for {kind}"),
        ));
    }
    let labels = spec.child("template").child("metadata").child("labels");
    selector_matches_template(sel, &template.metadata.labels, &labels, errs);
}

/// Checks the pod template of a controller whose pods always restart.
fn always_restarting_template(
    t: &PodTemplateSpec,
    kind: &str,
    extra_volumes: Vec<&str>,
    spec: &FieldPath,
    errs: &mut ValidationErrors,
) {
    let path = spec.child("template");
    let opts = PodSpecOptions {
        restart_policies: ALWAYS,
        extra_volumes,
    };
    validate_pod_template_with(t, &opts, &path, errs);
    if t.spec.active_deadline_seconds.is_some() {
        errs.push(FieldError::forbidden(
            &path.child("spec").child("activeDeadlineSeconds"),
            format!("activeDeadlineSeconds in {kind} is not supported"),
        ));
    }
}

fn option_non_negative(v: Option<i32>, path: &FieldPath, errs: &mut ValidationErrors) {
    if let Some(v) = v {
        non_negative(v.into(), path, errs);
    }
}

fn option_int_or_percent(
    v: Option<&IntOrString>,
    at_most_100: bool,
    path: &FieldPath,
    errs: &mut ValidationErrors,
) {
    if let Some(v) = v {
        int_or_percent(v, at_most_100, path, errs);
    }
}

impl Validate for Deployment {
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
        option_non_negative(s.replicas, &spec.child("replicas"), e);
        apps_selector(s.selector.as_ref(), "deployment", &s.template, &spec, e);
        always_restarting_template(&s.template, "Deployment", Vec::new(), &spec, e);
        let sp = spec.child("strategy");
        let st = &s.strategy;
        enum_required(
            &st.type_,
            &["Recreate", "RollingUpdate"],
            &sp.child("type"),
            e,
        );
        match (st.type_.as_str(), &st.rolling_update) {
            ("Recreate", Some(_)) => e.push(FieldError::forbidden(
                &sp.child("rollingUpdate"),
                "may not be specified when strategy `type` is 'Recreate'",
            )),
            ("RollingUpdate", Some(ru)) => {
                let rp = sp.child("rollingUpdate");
                let mu = ru.max_unavailable.as_ref();
                option_int_or_percent(mu, true, &rp.child("maxUnavailable"), e);
                // A surge may exceed 100%.
                option_int_or_percent(ru.max_surge.as_ref(), false, &rp.child("maxSurge"), e);
                // Unset values default to 25%.
                let unavailable = ru.max_unavailable.as_ref().map_or(25, int_or_percent_value);
                let surge = ru.max_surge.as_ref().map_or(25, int_or_percent_value);
                if unavailable == 0 && surge == 0 {
                    e.push(FieldError::invalid(
                        &rp.child("maxUnavailable"),
                        0,
                        "may not be 0 when `maxSurge` is 0",
                    ));
                }
            }
            _ => {}
        }
        non_negative(
            s.min_ready_seconds.into(),
            &spec.child("minReadySeconds"),
            e,
        );
        option_non_negative(
            s.revision_history_limit,
            &spec.child("revisionHistoryLimit"),
            e,
        );
        if let Some(p) = s.progress_deadline_seconds {
            let pp = spec.child("progressDeadlineSeconds");
            non_negative(p.into(), &pp, e);
            if p <= s.min_ready_seconds {
                e.push(FieldError::invalid(
                    &pp,
                    p,
                    "must be greater than minReadySeconds",
                ));
            }
        }
        errs.into_result()
    }
}

impl Validate for ReplicaSet {
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
        option_non_negative(s.replicas, &spec.child("replicas"), e);
        non_negative(
            s.min_ready_seconds.into(),
            &spec.child("minReadySeconds"),
            e,
        );
        apps_selector(s.selector.as_ref(), "replicaset", &s.template, &spec, e);
        always_restarting_template(&s.template, "ReplicaSet", Vec::new(), &spec, e);
        errs.into_result()
    }
}

impl Validate for StatefulSet {
    fn validate(&self) -> Result<(), ValidationErrors> {
        let mut errs = ValidationErrors::default();
        let e = &mut errs;
        validate_object_meta(&self.metadata, Scope::Namespaced, names::dns1123_label, e);
        let s = &self.spec;
        let spec = FieldPath::root("spec");
        option_non_negative(s.replicas, &spec.child("replicas"), e);
        non_negative(
            s.min_ready_seconds.into(),
            &spec.child("minReadySeconds"),
            e,
        );
        option_non_negative(
            s.revision_history_limit,
            &spec.child("revisionHistoryLimit"),
            e,
        );
        if let Some(o) = &s.ordinals {
            non_negative(o.start.into(), &spec.child("ordinals").child("start"), e);
        }
        optional_name(
            &s.service_name,
            names::dns1035_label,
            &spec.child("serviceName"),
            e,
        );
        let pmp = spec.child("podManagementPolicy");
        enum_required(
            &s.pod_management_policy,
            &["OrderedReady", "Parallel"],
            &pmp,
            e,
        );
        let up = spec.child("updateStrategy");
        let us = &s.update_strategy;
        enum_required(
            &us.type_,
            &["RollingUpdate", "OnDelete"],
            &up.child("type"),
            e,
        );
        match (us.type_.as_str(), &us.rolling_update) {
            ("OnDelete", Some(_)) => e.push(FieldError::forbidden(
                &up.child("rollingUpdate"),
                "only allowed for updateStrategy 'RollingUpdate'",
            )),
            ("RollingUpdate", Some(ru)) => {
                let rp = up.child("rollingUpdate");
                option_non_negative(ru.partition, &rp.child("partition"), e);
                if let Some(mu) = &ru.max_unavailable {
                    let mp = rp.child("maxUnavailable");
                    int_or_percent(mu, true, &mp, e);
                    if int_or_percent_value(mu) == 0 {
                        e.push(FieldError::invalid(&mp, mu, "cannot be 0"));
                    }
                }
            }
            _ => {}
        }
        if let Some(r) = &s.persistent_volume_claim_retention_policy {
            let rp = spec.child("persistentVolumeClaimRetentionPolicy");
            enum_required(
                &r.when_deleted,
                &["Retain", "Delete"],
                &rp.child("whenDeleted"),
                e,
            );
            enum_required(
                &r.when_scaled,
                &["Retain", "Delete"],
                &rp.child("whenScaled"),
                e,
            );
        }
        apps_selector(s.selector.as_ref(), "statefulset", &s.template, &spec, e);
        let mut claims = Vec::new();
        for (i, t) in s.volume_claim_templates.iter().enumerate() {
            let p = spec.child("volumeClaimTemplates").index(i);
            required_name(
                &t.metadata.name,
                names::dns1123_label,
                &p.child("metadata").child("name"),
                e,
            );
            validate_labels(&t.metadata.labels, &p.child("metadata").child("labels"), e);
            super::storage::validate_pvc_spec(&t.spec, &p.child("spec"), e);
            claims.push(t.metadata.name.as_str());
        }
        always_restarting_template(&s.template, "StatefulSet", claims, &spec, e);
        errs.into_result()
    }
}

impl Validate for DaemonSet {
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
        apps_selector(s.selector.as_ref(), "daemonset", &s.template, &spec, e);
        always_restarting_template(&s.template, "DaemonSet", Vec::new(), &spec, e);
        non_negative(
            s.min_ready_seconds.into(),
            &spec.child("minReadySeconds"),
            e,
        );
        option_non_negative(
            s.revision_history_limit,
            &spec.child("revisionHistoryLimit"),
            e,
        );
        let up = spec.child("updateStrategy");
        let us = &s.update_strategy;
        enum_required(
            &us.type_,
            &["RollingUpdate", "OnDelete"],
            &up.child("type"),
            e,
        );
        if let ("RollingUpdate", Some(ru)) = (us.type_.as_str(), &us.rolling_update) {
            let rp = up.child("rollingUpdate");
            let mu = ru.max_unavailable.as_ref();
            option_int_or_percent(mu, true, &rp.child("maxUnavailable"), e);
            option_int_or_percent(ru.max_surge.as_ref(), true, &rp.child("maxSurge"), e);
            // Unset values default to maxUnavailable 1, maxSurge 0.
            let unavailable = ru.max_unavailable.as_ref().map_or(1, int_or_percent_value);
            let surge = ru.max_surge.as_ref().map_or(0, int_or_percent_value);
            match (unavailable != 0, surge != 0) {
                (true, true) => e.push(FieldError::invalid(
                    &rp.child("maxSurge"),
                    ru.max_surge
                        .as_ref()
                        .map(ToString::to_string)
                        .unwrap_or_default(),
                    "may not be set when maxUnavailable is non-zero",
                )),
                (false, false) => e.push(FieldError::required(
                    &rp.child("maxUnavailable"),
                    "cannot be 0 when maxSurge is 0",
                )),
                _ => {}
            }
        }
        errs.into_result()
    }
}

impl Validate for ReplicationController {
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
        option_non_negative(s.replicas, &spec.child("replicas"), e);
        non_negative(
            s.min_ready_seconds.into(),
            &spec.child("minReadySeconds"),
            e,
        );
        let sel = spec.child("selector");
        validate_labels(&s.selector, &sel, e);
        let Some(t) = &s.template else {
            e.push(FieldError::required(&spec.child("template"), ""));
            if s.selector.is_empty() {
                e.push(FieldError::required(&sel, ""));
            }
            return errs.into_result();
        };
        // An empty selector defaults to the template's labels.
        if s.selector.is_empty() {
            if t.metadata.labels.is_empty() {
                e.push(FieldError::required(&sel, ""));
            }
        } else if !s
            .selector
            .iter()
            .all(|(k, v)| t.metadata.labels.get(k) == Some(v))
        {
            let labels = spec.child("template").child("metadata").child("labels");
            e.push(FieldError::invalid(
                &labels,
                super::common::labels_text(&t.metadata.labels),
                "selector does not match template labels",
            ));
        }
        always_restarting_template(t, "ReplicationController", Vec::new(), &spec, e);
        errs.into_result()
    }
}

impl Validate for ControllerRevision {
    fn validate(&self) -> Result<(), ValidationErrors> {
        let mut errs = ValidationErrors::default();
        validate_object_meta(
            &self.metadata,
            Scope::Namespaced,
            names::dns1123_subdomain,
            &mut errs,
        );
        if self.data.is_none() {
            errs.push(FieldError::required(
                &FieldPath::root("data"),
                "data is mandatory",
            ));
        }
        non_negative(self.revision, &FieldPath::root("revision"), &mut errs);
        errs.into_result()
    }
}

#[cfg(test)]
#[path = "workloads_tests.rs"]
mod tests;
