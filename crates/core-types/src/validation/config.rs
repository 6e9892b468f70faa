//! ConfigMaps, Secrets, ServiceAccounts, Namespaces, Nodes, Events and Leases.

use std::collections::{BTreeMap, BTreeSet};

use super::common::{
    base64_len, cidr, enum_option, enum_required, non_negative, positive, required,
};
use super::{FieldError, FieldPath, Validate, ValidationErrors, names, validate_object_meta};
use crate::coordination_v1::Lease;
use crate::core_v1::{ConfigMap, Event, Namespace, Node, Secret, ServiceAccount};
use crate::resource::Scope;

/// Largest total size of a ConfigMap's or Secret's data, in bytes (1 MiB).
pub(crate) const MAX_DATA_BYTES: usize = 1024 * 1024;

/// Checks each key of `data` as a ConfigMap key, reporting at `path[key]`.
fn keys(data: &BTreeMap<String, String>, path: &FieldPath, errs: &mut ValidationErrors) {
    for k in data.keys() {
        errs.invalid_all(&path.key(k), k, names::config_map_key(k));
    }
}

/// Checks base64 values; returns their decoded total size.
fn base64_values(
    data: &BTreeMap<String, String>,
    path: &FieldPath,
    errs: &mut ValidationErrors,
) -> usize {
    let mut total = 0;
    for (k, v) in data {
        match base64_len(v) {
            Some(n) => total += n,
            None => errs.push(FieldError::invalid(
                &path.key(k),
                "<value omitted>",
                "must be valid base64 data",
            )),
        }
    }
    total
}

impl Validate for ConfigMap {
    fn validate(&self) -> Result<(), ValidationErrors> {
        let mut errs = ValidationErrors::default();
        let e = &mut errs;
        validate_object_meta(
            &self.metadata,
            Scope::Namespaced,
            names::dns1123_subdomain,
            e,
        );
        let data = FieldPath::root("data");
        let binary = FieldPath::root("binaryData");
        keys(&self.data, &data, e);
        keys(&self.binary_data, &binary, e);
        for k in self
            .binary_data
            .keys()
            .filter(|k| self.data.contains_key(*k))
        {
            e.push(FieldError::invalid(
                &binary.key(k),
                k,
                "duplicate of key present in data",
            ));
        }
        let size = self.data.values().map(String::len).sum::<usize>()
            + base64_values(&self.binary_data, &binary, e);
        if size > MAX_DATA_BYTES {
            e.push(FieldError::too_long(&data, MAX_DATA_BYTES));
        }
        errs.into_result()
    }
}

/// Annotation naming the ServiceAccount a token Secret belongs to.
const SERVICE_ACCOUNT_NAME: &str = "kubernetes.io/service-account.name";

impl Validate for Secret {
    fn validate(&self) -> Result<(), ValidationErrors> {
        let mut errs = ValidationErrors::default();
        let e = &mut errs;
        validate_object_meta(
            &self.metadata,
            Scope::Namespaced,
            names::dns1123_subdomain,
            e,
        );
        let data = FieldPath::root("data");
        keys(&self.data, &data, e);
        keys(&self.string_data, &FieldPath::root("stringData"), e);
        let size = base64_values(&self.data, &data, e)
            + self.string_data.values().map(String::len).sum::<usize>();
        if size > MAX_DATA_BYTES {
            e.push(FieldError::too_long(&data, MAX_DATA_BYTES));
        }
        // `stringData` is merged into `data` on write.
        let has = |k: &str| self.data.contains_key(k) || self.string_data.contains_key(k);
        let need = |k: &str, e: &mut ValidationErrors| {
            if !has(k) {
                e.push(FieldError::required(&data.key(k), ""));
            }
        };
        match self.type_.as_str() {
            "kubernetes.io/service-account-token" => {
                let annotations = &self.metadata.annotations;
                let missing = annotations
                    .get(SERVICE_ACCOUNT_NAME)
                    .is_none_or(String::is_empty);
                let p = FieldPath::root("metadata")
                    .child("annotations")
                    .key(SERVICE_ACCOUNT_NAME);
                need_if(missing, &p, "", e);
            }
            "kubernetes.io/dockercfg" => need(".dockercfg", e),
            "kubernetes.io/dockerconfigjson" => need(".dockerconfigjson", e),
            "kubernetes.io/basic-auth" => need_if(
                !has("username") && !has("password"),
                &data.key("username"),
                "must have at least one of `username` or `password`",
                e,
            ),
            "kubernetes.io/ssh-auth" => need("ssh-privatekey", e),
            "kubernetes.io/tls" => {
                need("tls.crt", e);
                need("tls.key", e);
            }
            _ => {}
        }
        errs.into_result()
    }
}

fn need_if(missing: bool, path: &FieldPath, detail: &str, errs: &mut ValidationErrors) {
    if missing {
        errs.push(FieldError::required(path, detail));
    }
}

impl Validate for ServiceAccount {
    fn validate(&self) -> Result<(), ValidationErrors> {
        let mut errs = ValidationErrors::default();
        validate_object_meta(
            &self.metadata,
            Scope::Namespaced,
            names::dns1123_subdomain,
            &mut errs,
        );
        for (i, s) in self.image_pull_secrets.iter().enumerate() {
            let p = FieldPath::root("imagePullSecrets").index(i).child("name");
            errs.invalid_all(
                &p,
                &s.name,
                if s.name.is_empty() {
                    Vec::new()
                } else {
                    names::dns1123_subdomain(&s.name)
                },
            );
        }
        errs.into_result()
    }
}

impl Validate for Namespace {
    fn validate(&self) -> Result<(), ValidationErrors> {
        let mut errs = ValidationErrors::default();
        validate_object_meta(
            &self.metadata,
            Scope::Cluster,
            names::dns1123_label,
            &mut errs,
        );
        for (i, f) in self.spec.finalizers.iter().enumerate() {
            let p = FieldPath::root("spec").child("finalizers").index(i);
            errs.invalid_all(&p, f, names::qualified_name(f));
        }
        errs.into_result()
    }
}

impl Validate for Node {
    fn validate(&self) -> Result<(), ValidationErrors> {
        let mut errs = ValidationErrors::default();
        let e = &mut errs;
        validate_object_meta(&self.metadata, Scope::Cluster, names::dns1123_subdomain, e);
        let spec = FieldPath::root("spec");
        let mut seen = BTreeSet::new();
        for (i, t) in self.spec.taints.iter().enumerate() {
            let p = spec.child("taints").index(i);
            let kp = p.child("key");
            if required(&t.key, &kp, e) {
                e.invalid_all(&kp, &t.key, names::qualified_name(&t.key));
            }
            e.invalid_all(&p.child("value"), &t.value, names::label_value(&t.value));
            enum_required(
                &t.effect,
                &["NoSchedule", "PreferNoSchedule", "NoExecute"],
                &p.child("effect"),
                e,
            );
            if !seen.insert((t.key.as_str(), t.effect.as_str())) {
                e.push(FieldError::duplicate(&p, format!("{}:{}", t.key, t.effect)));
            }
        }
        if !self.spec.pod_cidr.is_empty() {
            cidr(&self.spec.pod_cidr, &spec.child("podCIDR"), e);
        }
        let cidrs = spec.child("podCIDRs");
        if self.spec.pod_cidrs.len() > 2 {
            e.push(FieldError::invalid(
                &cidrs,
                self.spec.pod_cidrs.join(","),
                "may specify no more than one CIDR for each IP family",
            ));
        }
        for (i, c) in self.spec.pod_cidrs.iter().enumerate() {
            let p = cidrs.index(i);
            if i == 0 && !self.spec.pod_cidr.is_empty() && *c != self.spec.pod_cidr {
                e.push(FieldError::invalid(&p, c, "must match `podCIDR`"));
            } else {
                cidr(c, &p, e);
            }
        }
        errs.into_result()
    }
}

/// Longest `reason`, `action` and `reportingInstance` of an event.
const EVENT_FIELD_MAX: usize = 128;
/// Longest event `message`.
const EVENT_MESSAGE_MAX: usize = 1024;

impl Validate for Event {
    fn validate(&self) -> Result<(), ValidationErrors> {
        let mut errs = ValidationErrors::default();
        let e = &mut errs;
        validate_object_meta(
            &self.metadata,
            Scope::Namespaced,
            names::dns1123_subdomain,
            e,
        );
        let ns = self.metadata.namespace.as_str();
        let involved = self.involved_object.namespace.as_str();
        let ip = FieldPath::root("involvedObject").child("namespace");
        let mismatch = || FieldError::invalid(&ip, involved, "does not match event.namespace");
        // An empty namespace is filled from the request by the server: nothing to compare.
        let new_style = self.event_time.is_some();
        if !ns.is_empty() {
            let ok = match (involved.is_empty(), new_style) {
                (true, false) => ns == "default",
                (true, true) => ns == "default" || ns == "kube-system",
                (false, _) => ns == involved,
            };
            if !ok {
                e.push(mismatch());
            }
        }
        if self.reason.len() > EVENT_FIELD_MAX {
            e.push(FieldError::too_long(
                &FieldPath::root("reason"),
                EVENT_FIELD_MAX,
            ));
        }
        if self.message.len() > EVENT_MESSAGE_MAX {
            e.push(FieldError::too_long(
                &FieldPath::root("message"),
                EVENT_MESSAGE_MAX,
            ));
        }
        if new_style {
            let rc = FieldPath::root("reportingComponent");
            if required(&self.reporting_component, &rc, e) {
                e.invalid_all(
                    &rc,
                    &self.reporting_component,
                    names::qualified_name(&self.reporting_component),
                );
            }
            for (field, value) in [
                ("reportingInstance", &self.reporting_instance),
                ("action", &self.action),
                ("reason", &self.reason),
            ] {
                let p = FieldPath::root(field);
                if required(value, &p, e) && field != "reason" && value.len() > EVENT_FIELD_MAX {
                    e.push(FieldError::too_long(&p, EVENT_FIELD_MAX));
                }
            }
            enum_required(
                &self.type_,
                &["Normal", "Warning"],
                &FieldPath::root("type"),
                e,
            );
        }
        if let Some(s) = &self.series {
            non_negative(s.count.into(), &FieldPath::root("series").child("count"), e);
        }
        errs.into_result()
    }
}

impl Validate for Lease {
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
        if let Some(d) = s.lease_duration_seconds {
            positive(d.into(), &spec.child("leaseDurationSeconds"), e);
        }
        if let Some(t) = s.lease_transitions {
            non_negative(t.into(), &spec.child("leaseTransitions"), e);
        }
        enum_option(
            s.strategy.as_ref(),
            &["OldestEmulationVersion"],
            &spec.child("strategy"),
            e,
        );
        if s.preferred_holder.is_some() && s.strategy.is_none() {
            e.push(FieldError::forbidden(
                &spec.child("preferredHolder"),
                "may only be specified if `strategy` is defined",
            ));
        }
        errs.into_result()
    }
}

#[cfg(test)]
#[path = "config_tests.rs"]
mod tests;
