//! Containers of a pod spec: names, image, ports, environment, resources and mounts
//! (probes and lifecycle hooks are in `probe.rs`).

use std::collections::{BTreeMap, BTreeSet};

use super::common::{
    container_resource_name, enum_option, enum_required, exactly_one, is_native_resource,
    optional_name, quantity_non_negative, required, required_name,
};
use super::{FieldError, FieldPath, ValidationErrors, names};
use crate::core_v1::{
    Container, ContainerPort, EnvVar, EnvVarSource, ObjectFieldSelector, ResourceFieldSelector,
    ResourceRequirements,
};
use crate::quantity::Quantity;

/// Which list a container comes from: checks differ for each.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum ContainerKind {
    /// `initContainers`; `sidecar` when its `restartPolicy` is `Always`.
    Init { sidecar: bool },
    /// `containers`.
    Regular,
    /// `ephemeralContainers`.
    Ephemeral,
}

/// What a container's checks need to know about the rest of the pod.
pub(super) struct PodContext<'a> {
    /// Volume names, with true for volumes that are PersistentVolumeClaims (or
    /// ephemeral claims), which alone can back `volumeDevices`.
    pub(super) volumes: BTreeMap<&'a str, bool>,
    /// Names in `spec.resourceClaims`.
    pub(super) claims: BTreeSet<&'a str>,
    /// `spec.hostNetwork`.
    pub(super) host_network: bool,
}

pub(super) const PULL_POLICIES: &[&str] = &["Always", "IfNotPresent", "Never"];
const MESSAGE_POLICIES: &[&str] = &["File", "FallbackToLogsOnError"];
const PROTOCOLS: &[&str] = &["TCP", "UDP", "SCTP"];

/// Checks one container (init, regular or ephemeral).
pub(super) fn validate_container(
    c: &Container,
    kind: ContainerKind,
    ctx: &PodContext<'_>,
    path: &FieldPath,
    errs: &mut ValidationErrors,
) {
    required_name(&c.name, names::dns1123_label, &path.child("name"), errs);
    let image = path.child("image");
    if required(&c.image, &image, errs) && c.image.trim() != c.image {
        errs.push(FieldError::invalid(
            &image,
            &c.image,
            "must not have leading or trailing whitespace",
        ));
    }
    enum_required(
        &c.image_pull_policy,
        PULL_POLICIES,
        &path.child("imagePullPolicy"),
        errs,
    );
    enum_required(
        &c.termination_message_policy,
        MESSAGE_POLICIES,
        &path.child("terminationMessagePolicy"),
        errs,
    );
    validate_ports(&c.ports, ctx.host_network, &path.child("ports"), errs);
    for (i, e) in c.env.iter().enumerate() {
        validate_env_var(e, &path.child("env").index(i), errs);
    }
    for (i, e) in c.env_from.iter().enumerate() {
        let p = path.child("envFrom").index(i);
        optional_name(&e.prefix, names::env_var_name, &p.child("prefix"), errs);
        let sources = [
            ("configMapRef", e.config_map_ref.is_some()),
            ("secretRef", e.secret_ref.is_some()),
        ];
        exactly_one(&sources, "one of `configMapRef` or `secretRef`", &p, errs);
        if let Some(r) = &e.config_map_ref {
            required_name(
                &r.name,
                names::dns1123_subdomain,
                &p.child("configMapRef").child("name"),
                errs,
            );
        }
        if let Some(r) = &e.secret_ref {
            required_name(
                &r.name,
                names::dns1123_subdomain,
                &p.child("secretRef").child("name"),
                errs,
            );
        }
    }
    validate_resources(&c.resources, &path.child("resources"), errs);
    for (i, claim) in c.resources.claims.iter().enumerate() {
        let p = path
            .child("resources")
            .child("claims")
            .index(i)
            .child("name");
        if required(&claim.name, &p, errs) && !ctx.claims.contains(claim.name.as_str()) {
            errs.push(FieldError::invalid(
                &p,
                &claim.name,
                "must be the name of an entry in spec.resourceClaims",
            ));
        }
    }
    validate_mounts(c, ctx, path, errs);
    super::probe::validate_probes_and_restart(c, kind, path, errs);
    if let Some(sc) = &c.security_context {
        super::probe::validate_security_context(sc, &path.child("securityContext"), errs);
    }
}

fn validate_ports(
    ports: &[ContainerPort],
    host_network: bool,
    path: &FieldPath,
    errs: &mut ValidationErrors,
) {
    let mut seen = BTreeSet::new();
    for (i, port) in ports.iter().enumerate() {
        let p = path.index(i);
        if !port.name.is_empty() {
            let name = p.child("name");
            errs.invalid_all(&name, &port.name, names::port_name(&port.name));
            if !seen.insert(port.name.as_str()) {
                errs.push(FieldError::duplicate(&name, &port.name));
            }
        }
        let cp = p.child("containerPort");
        if port.container_port == 0 {
            errs.push(FieldError::required(&cp, ""));
        } else {
            errs.invalid_all(
                &cp,
                &port.container_port.to_string(),
                names::port_number(port.container_port.into()),
            );
        }
        if port.host_port != 0 {
            let hp = p.child("hostPort");
            errs.invalid_all(
                &hp,
                &port.host_port.to_string(),
                names::port_number(port.host_port.into()),
            );
            if host_network && port.host_port != port.container_port {
                errs.push(FieldError::invalid(
                    &hp,
                    port.host_port,
                    "must match `containerPort` when `hostNetwork` is true",
                ));
            }
        }
        enum_required(&port.protocol, PROTOCOLS, &p.child("protocol"), errs);
        if !port.host_ip.is_empty() && !super::common::is_ip(&port.host_ip) {
            errs.push(FieldError::invalid(
                &p.child("hostIP"),
                &port.host_ip,
                "must be a valid IP address",
            ));
        }
    }
}

fn validate_env_var(e: &EnvVar, path: &FieldPath, errs: &mut ValidationErrors) {
    required_name(&e.name, names::env_var_name, &path.child("name"), errs);
    let Some(from) = &e.value_from else { return };
    let p = path.child("valueFrom");
    if !e.value.is_empty() {
        errs.push(FieldError::invalid(
            &p,
            "",
            "may not be specified when `value` is not empty",
        ));
    }
    validate_env_source(from, &p, errs);
}

fn validate_env_source(from: &EnvVarSource, path: &FieldPath, errs: &mut ValidationErrors) {
    let sources = [
        ("fieldRef", from.field_ref.is_some()),
        ("resourceFieldRef", from.resource_field_ref.is_some()),
        ("configMapKeyRef", from.config_map_key_ref.is_some()),
        ("secretKeyRef", from.secret_key_ref.is_some()),
    ];
    exactly_one(
        &sources,
        "one of `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`",
        path,
        errs,
    );
    if let Some(f) = &from.field_ref {
        validate_field_ref(f, ENV_FIELD_PATHS, &path.child("fieldRef"), errs);
    }
    if let Some(r) = &from.resource_field_ref {
        validate_resource_field_ref(r, false, &path.child("resourceFieldRef"), errs);
    }
    if let Some(r) = &from.config_map_key_ref {
        let p = path.child("configMapKeyRef");
        required_name(&r.name, names::dns1123_subdomain, &p.child("name"), errs);
        required_name(&r.key, names::config_map_key, &p.child("key"), errs);
    }
    if let Some(r) = &from.secret_key_ref {
        let p = path.child("secretKeyRef");
        required_name(&r.name, names::dns1123_subdomain, &p.child("name"), errs);
        required_name(&r.key, names::config_map_key, &p.child("key"), errs);
    }
}

/// Pod fields an environment variable can read.
const ENV_FIELD_PATHS: &[&str] = &[
    "metadata.name",
    "metadata.namespace",
    "metadata.uid",
    "spec.nodeName",
    "spec.serviceAccountName",
    "status.hostIP",
    "status.hostIPs",
    "status.podIP",
    "status.podIPs",
];

/// Pod fields a downward API volume file can read.
pub(super) const VOLUME_FIELD_PATHS: &[&str] = &[
    "metadata.name",
    "metadata.namespace",
    "metadata.uid",
    "metadata.labels",
    "metadata.annotations",
];

/// Checks a `fieldRef`: `apiVersion` set, `fieldPath` one of `allowed` or a single
/// label or annotation (`metadata.labels['app']`).
pub(super) fn validate_field_ref(
    f: &ObjectFieldSelector,
    allowed: &[&str],
    path: &FieldPath,
    errs: &mut ValidationErrors,
) {
    required(&f.api_version, &path.child("apiVersion"), errs);
    let fp = path.child("fieldPath");
    if !required(&f.field_path, &fp, errs) {
        return;
    }
    let subscript = ["metadata.labels", "metadata.annotations"]
        .iter()
        .find_map(|prefix| {
            let rest = f.field_path.strip_prefix(prefix)?.strip_prefix("['")?;
            rest.strip_suffix("']")
        });
    match subscript {
        Some(key) => errs.invalid_all(&fp, &f.field_path, names::qualified_name(key)),
        None if !allowed.contains(&f.field_path.as_str()) => {
            errs.push(FieldError::not_supported(&fp, &f.field_path, allowed));
        }
        None => {}
    }
}

/// Checks a `resourceFieldRef`; in volumes the container name is required.
pub(super) fn validate_resource_field_ref(
    r: &ResourceFieldSelector,
    in_volume: bool,
    path: &FieldPath,
    errs: &mut ValidationErrors,
) {
    if in_volume {
        required(&r.container_name, &path.child("containerName"), errs);
    }
    let rp = path.child("resource");
    if !required(&r.resource, &rp, errs) {
        return;
    }
    let base = r
        .resource
        .strip_prefix("limits.")
        .or_else(|| r.resource.strip_prefix("requests."));
    let Some(base) = base.filter(|b| {
        matches!(*b, "cpu" | "memory" | "ephemeral-storage") || b.starts_with("hugepages-")
    }) else {
        errs.push(FieldError::not_supported(
            &rp,
            &r.resource,
            &[
                "limits.cpu",
                "limits.memory",
                "limits.ephemeral-storage",
                "requests.cpu",
                "requests.memory",
                "requests.ephemeral-storage",
            ],
        ));
        return;
    };
    if r.divisor.is_zero() {
        return;
    }
    let allowed: &[&str] = if base == "cpu" {
        &["1m", "1"]
    } else {
        &[
            "1", "1k", "1M", "1G", "1T", "1P", "1E", "1Ki", "1Mi", "1Gi", "1Ti", "1Pi", "1Ei",
        ]
    };
    let ok = allowed
        .iter()
        .any(|a| a.parse::<Quantity>().is_ok_and(|q| q == r.divisor));
    if !ok {
        errs.push(FieldError::not_supported(
            &path.child("divisor"),
            r.divisor,
            allowed,
        ));
    }
}

/// Checks `requests` and `limits`: names, non-negative amounts, requests not above
/// limits, and extended resources requested exactly at their limit.
pub(super) fn validate_resources(
    r: &ResourceRequirements,
    path: &FieldPath,
    errs: &mut ValidationErrors,
) {
    let limits = path.child("limits");
    for (name, q) in &r.limits {
        let p = limits.key(name);
        container_resource_name(name, &p, errs);
        quantity_non_negative(q, &p, errs);
    }
    let requests = path.child("requests");
    for (name, q) in &r.requests {
        let p = requests.key(name);
        container_resource_name(name, &p, errs);
        quantity_non_negative(q, &p, errs);
        match r.limits.get(name) {
            Some(limit) if !is_native_resource(name) && q != limit => {
                errs.push(FieldError::invalid(
                    &p,
                    q,
                    format!("must be equal to {name} limit of {limit}"),
                ));
            }
            Some(limit) if q > limit => errs.push(FieldError::invalid(
                &p,
                q,
                format!("must be less than or equal to {name} limit of {limit}"),
            )),
            None if !is_native_resource(name) => {
                errs.push(FieldError::forbidden(
                    &p,
                    "a limit must be set for extended resources",
                ));
            }
            _ => {}
        }
    }
}

fn validate_mounts(
    c: &Container,
    ctx: &PodContext<'_>,
    path: &FieldPath,
    errs: &mut ValidationErrors,
) {
    let mut mount_paths = BTreeSet::new();
    for (i, m) in c.volume_mounts.iter().enumerate() {
        let p = path.child("volumeMounts").index(i);
        let name = p.child("name");
        if required(&m.name, &name, errs) && !ctx.volumes.contains_key(m.name.as_str()) {
            errs.push(FieldError::invalid(
                &name,
                &m.name,
                "not found: must be the name of a volume in spec.volumes",
            ));
        }
        let mp = p.child("mountPath");
        if required(&m.mount_path, &mp, errs) && !mount_paths.insert(m.mount_path.as_str()) {
            errs.push(FieldError::invalid(&mp, &m.mount_path, "must be unique"));
        }
        if !m.sub_path.is_empty() {
            if !m.sub_path_expr.is_empty() {
                errs.push(FieldError::invalid(
                    &p.child("subPathExpr"),
                    &m.sub_path_expr,
                    "`subPathExpr` and `subPath` are mutually exclusive",
                ));
            }
            super::common::local_descending_path(&m.sub_path, &p.child("subPath"), errs);
        }
        enum_option(
            m.mount_propagation.as_ref(),
            &["None", "HostToContainer", "Bidirectional"],
            &p.child("mountPropagation"),
            errs,
        );
        let rro = p.child("recursiveReadOnly");
        enum_option(
            m.recursive_read_only.as_ref(),
            &["Disabled", "IfPossible", "Enabled"],
            &rro,
            errs,
        );
        if m.recursive_read_only
            .as_deref()
            .is_some_and(|v| v != "Disabled")
            && !m.read_only
        {
            errs.push(FieldError::forbidden(
                &rro,
                "may only be set when `readOnly` is true",
            ));
        }
    }
    for (i, d) in c.volume_devices.iter().enumerate() {
        let p = path.child("volumeDevices").index(i);
        let name = p.child("name");
        if required(&d.name, &name, errs) && ctx.volumes.get(d.name.as_str()) != Some(&true) {
            errs.push(FieldError::invalid(
                &name,
                &d.name,
                "must be the name of a persistentVolumeClaim or ephemeral volume in spec.volumes",
            ));
        }
        let dp = p.child("devicePath");
        if required(&d.device_path, &dp, errs) && mount_paths.contains(d.device_path.as_str()) {
            errs.push(FieldError::invalid(
                &dp,
                &d.device_path,
                "must not be the same as a `volumeMounts` mountPath",
            ));
        }
    }
}
