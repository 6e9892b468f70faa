//! Pods and pod specs, shared by every kind that embeds a pod template.

use std::collections::BTreeSet;

use super::common::{
    container_resource_name, enum_option, enum_required, in_range, ip, non_negative, optional_name,
    quantity_non_negative, required, required_name,
};
use super::container::{ContainerKind, PodContext, validate_container, validate_resources};
use super::probe::id_range;
use super::{
    FieldError, FieldPath, Validate, ValidationErrors, names, validate_annotations,
    validate_labels, validate_object_meta,
};
use crate::core_v1::{
    Container, EphemeralContainer, Pod, PodDNSConfig, PodSecurityContext, PodSpec, PodTemplateSpec,
};
use crate::resource::Scope;

/// Restart policies of a bare pod.
pub(super) const RESTART_POLICIES: &[&str] = &["Always", "OnFailure", "Never"];

/// What the owner of a pod spec allows beyond the bare pod rules.
pub(super) struct PodSpecOptions<'a> {
    /// Allowed `restartPolicy` values (a Deployment's pods must use `Always`, a Job's
    /// `OnFailure` or `Never`).
    pub(super) restart_policies: &'a [&'a str],
    /// Volume names provided by the owner (a StatefulSet's `volumeClaimTemplates`).
    pub(super) extra_volumes: Vec<&'a str>,
}

impl Default for PodSpecOptions<'_> {
    fn default() -> Self {
        Self {
            restart_policies: RESTART_POLICIES,
            extra_volumes: Vec::new(),
        }
    }
}

impl Validate for Pod {
    fn validate(&self) -> Result<(), ValidationErrors> {
        let mut errs = ValidationErrors::default();
        validate_object_meta(
            &self.metadata,
            Scope::Namespaced,
            names::dns1123_subdomain,
            &mut errs,
        );
        validate_pod_spec(&self.spec, &FieldPath::root("spec"), &mut errs);
        errs.into_result()
    }
}

/// Checks a pod template: its labels and annotations, then its pod spec.
pub fn validate_pod_template(t: &PodTemplateSpec, path: &FieldPath, errs: &mut ValidationErrors) {
    validate_pod_template_with(t, &PodSpecOptions::default(), path, errs);
}

pub(super) fn validate_pod_template_with(
    t: &PodTemplateSpec,
    opts: &PodSpecOptions<'_>,
    path: &FieldPath,
    errs: &mut ValidationErrors,
) {
    let meta = path.child("metadata");
    validate_labels(&t.metadata.labels, &meta.child("labels"), errs);
    validate_annotations(&t.metadata.annotations, &meta.child("annotations"), errs);
    validate_pod_spec_with(&t.spec, opts, &path.child("spec"), errs);
}

/// Checks a pod spec (of a pod or of any pod template) as a bare pod's.
pub fn validate_pod_spec(spec: &PodSpec, path: &FieldPath, errs: &mut ValidationErrors) {
    validate_pod_spec_with(spec, &PodSpecOptions::default(), path, errs);
}

pub(super) fn validate_pod_spec_with(
    spec: &PodSpec,
    opts: &PodSpecOptions<'_>,
    path: &FieldPath,
    errs: &mut ValidationErrors,
) {
    let mut volumes = super::volume::validate_volumes(&spec.volumes, &path.child("volumes"), errs);
    for v in &opts.extra_volumes {
        volumes.insert(v, true);
    }
    let ctx = PodContext {
        volumes,
        claims: spec
            .resource_claims
            .iter()
            .map(|c| c.name.as_str())
            .collect(),
        host_network: spec.host_network,
    };
    validate_containers(spec, &ctx, path, errs);

    let rp = path.child("restartPolicy");
    match spec.restart_policy.as_str() {
        // Defaulting fills `Always`; where that is not allowed, say so now.
        "" if opts.restart_policies.contains(&"Always") => errs.push(FieldError::required(&rp, "")),
        p if !opts.restart_policies.contains(&p) => {
            errs.push(FieldError::not_supported(&rp, p, opts.restart_policies));
        }
        _ => {}
    }
    let dp = path.child("dnsPolicy");
    enum_required(
        &spec.dns_policy,
        &["ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"],
        &dp,
        errs,
    );
    if spec.dns_policy == "None"
        && spec
            .dns_config
            .as_ref()
            .is_none_or(|c| c.nameservers.is_empty())
    {
        errs.push(FieldError::required(
            &path.child("dnsConfig").child("nameservers"),
            "must provide at least one DNS nameserver when `dnsPolicy` is None",
        ));
    }
    if let Some(c) = &spec.dns_config {
        validate_dns_config(c, &path.child("dnsConfig"), errs);
    }
    if let Some(t) = spec.termination_grace_period_seconds {
        non_negative(t, &path.child("terminationGracePeriodSeconds"), errs);
    }
    if let Some(a) = spec.active_deadline_seconds {
        in_range(
            a,
            1,
            i32::MAX.into(),
            &path.child("activeDeadlineSeconds"),
            errs,
        );
    }
    validate_labels(&spec.node_selector, &path.child("nodeSelector"), errs);
    for (field, value) in [
        ("serviceAccountName", &spec.service_account_name),
        ("serviceAccount", &spec.deprecated_service_account),
        ("nodeName", &spec.node_name),
        ("schedulerName", &spec.scheduler_name),
        ("priorityClassName", &spec.priority_class_name),
    ] {
        optional_name(value, names::dns1123_subdomain, &path.child(field), errs);
    }
    optional_name(
        &spec.hostname,
        names::dns1123_label,
        &path.child("hostname"),
        errs,
    );
    optional_name(
        &spec.subdomain,
        names::dns1123_label,
        &path.child("subdomain"),
        errs,
    );
    if let Some(sc) = &spec.security_context {
        validate_pod_security_context(sc, &path.child("securityContext"), errs);
    }
    if spec.share_process_namespace == Some(true) && spec.host_pid {
        errs.push(FieldError::invalid(
            &path.child("shareProcessNamespace"),
            "true",
            "ShareProcessNamespace and HostPID cannot both be enabled",
        ));
    }
    if let Some(a) = &spec.affinity {
        super::scheduling::affinity(a, &path.child("affinity"), errs);
    }
    super::scheduling::tolerations(&spec.tolerations, &path.child("tolerations"), errs);
    super::scheduling::topology_spread(
        &spec.topology_spread_constraints,
        &path.child("topologySpreadConstraints"),
        errs,
    );
    for (i, h) in spec.host_aliases.iter().enumerate() {
        let p = path.child("hostAliases").index(i);
        ip(&h.ip, &p.child("ip"), errs);
        for (j, name) in h.hostnames.iter().enumerate() {
            errs.invalid_all(
                &p.child("hostnames").index(j),
                name,
                names::dns1123_subdomain(name),
            );
        }
    }
    for (i, g) in spec.readiness_gates.iter().enumerate() {
        let p = path.child("readinessGates").index(i).child("conditionType");
        required_name(&g.condition_type, names::qualified_name, &p, errs);
    }
    if let Some(rc) = &spec.runtime_class_name {
        required_name(
            rc,
            names::dns1123_subdomain,
            &path.child("runtimeClassName"),
            errs,
        );
    }
    enum_option(
        spec.preemption_policy.as_ref(),
        &["PreemptLowerPriority", "Never"],
        &path.child("preemptionPolicy"),
        errs,
    );
    for (name, q) in &spec.overhead {
        let p = path.child("overhead").key(name);
        container_resource_name(name, &p, errs);
        quantity_non_negative(q, &p, errs);
    }
    if let Some(os) = &spec.os {
        enum_required(
            &os.name,
            &["linux", "windows"],
            &path.child("os").child("name"),
            errs,
        );
    }
    let mut gates = BTreeSet::new();
    for (i, g) in spec.scheduling_gates.iter().enumerate() {
        let p = path.child("schedulingGates").index(i).child("name");
        required_name(&g.name, names::qualified_name, &p, errs);
        if !gates.insert(g.name.as_str()) {
            errs.push(FieldError::duplicate(&p, &g.name));
        }
    }
    let mut claims = BTreeSet::new();
    for (i, c) in spec.resource_claims.iter().enumerate() {
        let p = path.child("resourceClaims").index(i);
        required_name(&c.name, names::dns1123_label, &p.child("name"), errs);
        if !claims.insert(c.name.as_str()) {
            errs.push(FieldError::duplicate(&p.child("name"), &c.name));
        }
        if c.resource_claim_name.is_some() == c.resource_claim_template_name.is_some() {
            errs.push(FieldError::invalid(
                &p,
                &c.name,
                "must specify exactly one of `resourceClaimName` or `resourceClaimTemplateName`",
            ));
        }
    }
    if let Some(r) = &spec.resources {
        validate_resources(r, &path.child("resources"), errs);
    }
}

fn validate_containers(
    spec: &PodSpec,
    ctx: &PodContext<'_>,
    path: &FieldPath,
    errs: &mut ValidationErrors,
) {
    let mut names_seen = BTreeSet::new();
    let mut check_unique = |c: &Container, p: &FieldPath, errs: &mut ValidationErrors| {
        if !c.name.is_empty() && !names_seen.insert(c.name.clone()) {
            errs.push(FieldError::duplicate(&p.child("name"), &c.name));
        }
    };
    let init = path.child("initContainers");
    for (i, c) in spec.init_containers.iter().enumerate() {
        let p = init.index(i);
        let sidecar = c.restart_policy.as_deref() == Some("Always");
        validate_container(c, ContainerKind::Init { sidecar }, ctx, &p, errs);
        check_unique(c, &p, errs);
    }
    let regular = path.child("containers");
    if spec.containers.is_empty() {
        errs.push(FieldError::required(&regular, ""));
    }
    for (i, c) in spec.containers.iter().enumerate() {
        let p = regular.index(i);
        validate_container(c, ContainerKind::Regular, ctx, &p, errs);
        check_unique(c, &p, errs);
    }
    let eph = path.child("ephemeralContainers");
    for (i, e) in spec.ephemeral_containers.iter().enumerate() {
        let p = eph.index(i);
        let c = ephemeral_as_container(e);
        validate_container(&c, ContainerKind::Ephemeral, ctx, &p, errs);
        check_unique(&c, &p, errs);
        let target = &e.target_container_name;
        if !target.is_empty() && !spec.all_containers().any(|c| &c.name == target) {
            errs.push(FieldError::invalid(
                &p.child("targetContainerName"),
                target,
                "must be the name of a container of the pod",
            ));
        }
    }
    host_ports_unique(&spec.containers, &regular, errs);
    host_ports_unique(&spec.init_containers, &init, errs);
}

/// The fields of an ephemeral container as a [`Container`], to share its checks.
fn ephemeral_as_container(e: &EphemeralContainer) -> Container {
    Container {
        name: e.name.clone(),
        image: e.image.clone(),
        command: e.command.clone(),
        args: e.args.clone(),
        working_dir: e.working_dir.clone(),
        ports: e.ports.clone(),
        env_from: e.env_from.clone(),
        env: e.env.clone(),
        resources: e.resources.clone(),
        resize_policy: e.resize_policy.clone(),
        restart_policy: e.restart_policy.clone(),
        volume_mounts: e.volume_mounts.clone(),
        volume_devices: e.volume_devices.clone(),
        liveness_probe: e.liveness_probe.clone(),
        readiness_probe: e.readiness_probe.clone(),
        startup_probe: e.startup_probe.clone(),
        lifecycle: e.lifecycle.clone(),
        termination_message_path: e.termination_message_path.clone(),
        termination_message_policy: e.termination_message_policy.clone(),
        image_pull_policy: e.image_pull_policy.clone(),
        security_context: e.security_context.clone(),
        stdin: e.stdin,
        stdin_once: e.stdin_once,
        tty: e.tty,
    }
}

/// Two containers of the same list may not claim the same host port and protocol.
fn host_ports_unique(containers: &[Container], path: &FieldPath, errs: &mut ValidationErrors) {
    let mut seen = BTreeSet::new();
    for (i, c) in containers.iter().enumerate() {
        for (j, port) in c.ports.iter().enumerate() {
            if port.host_port == 0 {
                continue;
            }
            let key = format!("{}/{}", port.host_port, port.protocol);
            if !seen.insert((port.host_ip.clone(), key.clone())) {
                let p = path.index(i).child("ports").index(j).child("hostPort");
                errs.push(FieldError::duplicate(&p, key));
            }
        }
    }
}

fn validate_dns_config(c: &PodDNSConfig, path: &FieldPath, errs: &mut ValidationErrors) {
    let ns = path.child("nameservers");
    if c.nameservers.len() > 3 {
        errs.push(FieldError::invalid(
            &ns,
            c.nameservers.join(","),
            "must not have more than 3 nameservers",
        ));
    }
    for (i, n) in c.nameservers.iter().enumerate() {
        ip(n, &ns.index(i), errs);
    }
    let searches = path.child("searches");
    if c.searches.len() > 32 {
        errs.push(FieldError::invalid(
            &searches,
            c.searches.len(),
            "must not have more than 32 search paths",
        ));
    }
    for (i, s) in c.searches.iter().enumerate() {
        let trimmed = s.strip_suffix('.').unwrap_or(s);
        errs.invalid_all(&searches.index(i), s, names::dns1123_subdomain(trimmed));
    }
    for (i, o) in c.options.iter().enumerate() {
        required(&o.name, &path.child("options").index(i).child("name"), errs);
    }
}

fn validate_pod_security_context(
    sc: &PodSecurityContext,
    path: &FieldPath,
    errs: &mut ValidationErrors,
) {
    id_range(sc.run_as_user, &path.child("runAsUser"), errs);
    id_range(sc.run_as_group, &path.child("runAsGroup"), errs);
    id_range(sc.fs_group, &path.child("fsGroup"), errs);
    for (i, g) in sc.supplemental_groups.iter().enumerate() {
        id_range(Some(*g), &path.child("supplementalGroups").index(i), errs);
    }
    enum_option(
        sc.supplemental_groups_policy.as_ref(),
        &["Merge", "Strict"],
        &path.child("supplementalGroupsPolicy"),
        errs,
    );
    enum_option(
        sc.fs_group_change_policy.as_ref(),
        &["OnRootMismatch", "Always"],
        &path.child("fsGroupChangePolicy"),
        errs,
    );
    enum_option(
        sc.se_linux_change_policy.as_ref(),
        &["MountOption", "Recursive"],
        &path.child("seLinuxChangePolicy"),
        errs,
    );
    for (i, s) in sc.sysctls.iter().enumerate() {
        let p = path.child("sysctls").index(i).child("name");
        if required(&s.name, &p, errs) && !is_sysctl_name(&s.name) {
            errs.push(FieldError::invalid(&p, &s.name, "must be a sysctl name: dot- or slash-separated segments of lower-case letters, digits, '_' and '-' (e.g. 'net.ipv4.ip_forward')"));
        }
    }
    if let Some(s) = &sc.seccomp_profile {
        validate_profile(
            &s.type_,
            s.localhost_profile.as_ref(),
            &path.child("seccompProfile"),
            errs,
        );
    }
    if let Some(a) = &sc.app_armor_profile {
        validate_profile(
            &a.type_,
            a.localhost_profile.as_ref(),
            &path.child("appArmorProfile"),
            errs,
        );
    }
}

fn is_sysctl_name(s: &str) -> bool {
    s.len() <= 253
        && s.split(['.', '/']).all(|seg| {
            let b = seg.as_bytes();
            !b.is_empty()
                && b[0].is_ascii_alphanumeric()
                && b[b.len() - 1].is_ascii_alphanumeric()
                && b.iter().all(|c| {
                    c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, b'_' | b'-')
                })
        })
}

/// A seccomp or AppArmor profile: a known type; a localhost profile only with `Localhost`.
pub(super) fn validate_profile(
    type_: &str,
    localhost: Option<&String>,
    path: &FieldPath,
    errs: &mut ValidationErrors,
) {
    enum_required(
        type_,
        &["RuntimeDefault", "Unconfined", "Localhost"],
        &path.child("type"),
        errs,
    );
    let lp = path.child("localhostProfile");
    match (type_, localhost) {
        ("Localhost", None) => errs.push(FieldError::required(
            &lp,
            "must be set when type is Localhost",
        )),
        ("Localhost", Some(p)) if p.is_empty() => errs.push(FieldError::required(&lp, "")),
        ("Localhost", _) | (_, None) => {}
        (_, Some(_)) => errs.push(FieldError::invalid(
            &lp,
            "",
            "can only be set when type is Localhost",
        )),
    }
}

#[cfg(test)]
#[path = "pod_tests.rs"]
mod tests;
