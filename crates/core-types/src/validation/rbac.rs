//! RBAC: Roles, ClusterRoles and their bindings. Names are URL path segments
//! (`system:controller:job-controller` is valid).

use super::common::{label_selector, path_segment_name, required, required_name};
use super::{FieldError, FieldPath, Validate, ValidationErrors, names, validate_object_meta};
use crate::rbac_v1::{
    ClusterRole, ClusterRoleBinding, PolicyRule, Role, RoleBinding, RoleRef, Subject,
};
use crate::resource::Scope;

/// The RBAC API group, which role references and user or group subjects name.
const RBAC_GROUP: &str = "rbac.authorization.k8s.io";

fn rules(rules: &[PolicyRule], namespaced: bool, errs: &mut ValidationErrors) {
    for (i, r) in rules.iter().enumerate() {
        let p = FieldPath::root("rules").index(i);
        if r.verbs.is_empty() {
            errs.push(FieldError::required(
                &p.child("verbs"),
                "verbs must contain at least one value",
            ));
        }
        if !r.non_resource_urls.is_empty() {
            let up = p.child("nonResourceURLs");
            if namespaced {
                errs.push(FieldError::invalid(
                    &up,
                    r.non_resource_urls.join(","),
                    "namespaced rules cannot apply to non-resource URLs",
                ));
            }
            if !r.api_groups.is_empty() || !r.resources.is_empty() {
                errs.push(FieldError::invalid(
                    &up,
                    r.non_resource_urls.join(","),
                    "rules cannot apply to both regular resources and non-resource URLs",
                ));
            }
            continue;
        }
        if r.api_groups.is_empty() {
            errs.push(FieldError::required(
                &p.child("apiGroups"),
                "resource rules must supply at least one api group",
            ));
        }
        if r.resources.is_empty() {
            errs.push(FieldError::required(
                &p.child("resources"),
                "resource rules must supply at least one resource",
            ));
        }
    }
}

impl Validate for Role {
    fn validate(&self) -> Result<(), ValidationErrors> {
        let mut errs = ValidationErrors::default();
        validate_object_meta(
            &self.metadata,
            Scope::Namespaced,
            path_segment_name,
            &mut errs,
        );
        rules(&self.rules, true, &mut errs);
        errs.into_result()
    }
}

impl Validate for ClusterRole {
    fn validate(&self) -> Result<(), ValidationErrors> {
        let mut errs = ValidationErrors::default();
        validate_object_meta(&self.metadata, Scope::Cluster, path_segment_name, &mut errs);
        rules(&self.rules, false, &mut errs);
        if let Some(a) = &self.aggregation_rule {
            let p = FieldPath::root("aggregationRule").child("clusterRoleSelectors");
            if a.cluster_role_selectors.is_empty() {
                errs.push(FieldError::required(
                    &p,
                    "at least one clusterRoleSelector required if aggregationRule is non-nil",
                ));
            }
            for (i, s) in a.cluster_role_selectors.iter().enumerate() {
                label_selector(s, &p.index(i), &mut errs);
            }
        }
        errs.into_result()
    }
}

fn role_ref(r: &RoleRef, kinds: &[&str], errs: &mut ValidationErrors) {
    let p = FieldPath::root("roleRef");
    if r.api_group != RBAC_GROUP {
        errs.push(FieldError::not_supported(
            &p.child("apiGroup"),
            &r.api_group,
            &[RBAC_GROUP],
        ));
    }
    let kp = p.child("kind");
    if required(&r.kind, &kp, errs) && !kinds.contains(&r.kind.as_str()) {
        errs.push(FieldError::not_supported(&kp, &r.kind, kinds));
    }
    required_name(&r.name, path_segment_name, &p.child("name"), errs);
}

fn subjects(list: &[Subject], namespaced: bool, errs: &mut ValidationErrors) {
    for (i, s) in list.iter().enumerate() {
        let p = FieldPath::root("subjects").index(i);
        let name = p.child("name");
        let group = p.child("apiGroup");
        match s.kind.as_str() {
            "ServiceAccount" => {
                required_name(&s.name, names::dns1123_subdomain, &name, errs);
                if !s.api_group.is_empty() {
                    errs.push(FieldError::not_supported(&group, &s.api_group, &[""]));
                }
                let ns = p.child("namespace");
                if s.namespace.is_empty() {
                    if !namespaced {
                        errs.push(FieldError::required(&ns, ""));
                    }
                } else {
                    errs.invalid_all(&ns, &s.namespace, names::dns1123_label(&s.namespace));
                }
            }
            "User" | "Group" => {
                required(&s.name, &name, errs);
                if s.api_group.is_empty() {
                    errs.push(FieldError::required(&group, ""));
                } else if s.api_group != RBAC_GROUP {
                    errs.push(FieldError::not_supported(
                        &group,
                        &s.api_group,
                        &[RBAC_GROUP],
                    ));
                }
            }
            other => {
                let kinds = ["ServiceAccount", "User", "Group"];
                if other.is_empty() {
                    errs.push(FieldError::required(&p.child("kind"), ""));
                } else {
                    errs.push(FieldError::not_supported(&p.child("kind"), other, &kinds));
                }
            }
        }
    }
}

impl Validate for RoleBinding {
    fn validate(&self) -> Result<(), ValidationErrors> {
        let mut errs = ValidationErrors::default();
        validate_object_meta(
            &self.metadata,
            Scope::Namespaced,
            path_segment_name,
            &mut errs,
        );
        role_ref(&self.role_ref, &["Role", "ClusterRole"], &mut errs);
        subjects(&self.subjects, true, &mut errs);
        errs.into_result()
    }
}

impl Validate for ClusterRoleBinding {
    fn validate(&self) -> Result<(), ValidationErrors> {
        let mut errs = ValidationErrors::default();
        validate_object_meta(&self.metadata, Scope::Cluster, path_segment_name, &mut errs);
        role_ref(&self.role_ref, &["ClusterRole"], &mut errs);
        subjects(&self.subjects, false, &mut errs);
        errs.into_result()
    }
}

#[cfg(test)]
#[path = "rbac_tests.rs"]
mod tests;
