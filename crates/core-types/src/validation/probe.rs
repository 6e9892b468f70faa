//! Probes, lifecycle hooks, container restart policies and container security contexts.

use super::common::{
    enum_option, enum_required, exactly_one, in_range, non_negative, port_number_or_name, positive,
    required,
};
use super::container::ContainerKind;
use super::{FieldError, FieldPath, ValidationErrors, names};
use crate::core_v1::{Container, HTTPGetAction, LifecycleHandler, Probe, SecurityContext};

pub(super) fn validate_probes_and_restart(
    c: &Container,
    kind: ContainerKind,
    path: &FieldPath,
    errs: &mut ValidationErrors,
) {
    let rp = path.child("restartPolicy");
    match (kind, c.restart_policy.as_deref()) {
        (_, None) | (ContainerKind::Init { .. }, Some("Always")) => {}
        (ContainerKind::Init { .. }, Some(other)) => {
            errs.push(FieldError::not_supported(&rp, other, &["Always"]));
        }
        (_, Some(_)) => errs.push(FieldError::forbidden(
            &rp,
            "may only be set for init containers",
        )),
    }
    let probes = [
        ("livenessProbe", &c.liveness_probe),
        ("readinessProbe", &c.readiness_probe),
        ("startupProbe", &c.startup_probe),
    ];
    let no_probes = match kind {
        ContainerKind::Init { sidecar: false } => {
            Some("may not be set for init containers without restartPolicy=Always")
        }
        ContainerKind::Ephemeral => Some("may not be set for ephemeral containers"),
        _ => None,
    };
    if let Some(reason) = no_probes {
        for (name, probe) in probes {
            if probe.is_some() {
                errs.push(FieldError::forbidden(&path.child(name), reason));
            }
        }
        if c.lifecycle.is_some() {
            errs.push(FieldError::forbidden(&path.child("lifecycle"), reason));
        }
        if kind == ContainerKind::Ephemeral && !c.ports.is_empty() {
            errs.push(FieldError::forbidden(&path.child("ports"), reason));
        }
        return;
    }
    for (name, probe) in probes {
        if let Some(probe) = probe {
            validate_probe(probe, name, &path.child(name), errs);
        }
    }
    if let Some(l) = &c.lifecycle {
        let p = path.child("lifecycle");
        if let Some(h) = &l.post_start {
            validate_lifecycle_handler(h, &p.child("postStart"), errs);
        }
        if let Some(h) = &l.pre_stop {
            validate_lifecycle_handler(h, &p.child("preStop"), errs);
        }
    }
}

fn validate_probe(probe: &Probe, which: &str, path: &FieldPath, errs: &mut ValidationErrors) {
    let handlers = [
        ("exec", probe.exec.is_some()),
        ("httpGet", probe.http_get.is_some()),
        ("tcpSocket", probe.tcp_socket.is_some()),
        ("grpc", probe.grpc.is_some()),
    ];
    exactly_one(&handlers, "a handler type", path, errs);
    if let Some(e) = &probe.exec {
        if e.command.is_empty() {
            errs.push(FieldError::required(
                &path.child("exec").child("command"),
                "",
            ));
        }
    }
    if let Some(h) = &probe.http_get {
        validate_http_get(h, &path.child("httpGet"), errs);
    }
    if let Some(t) = &probe.tcp_socket {
        port_number_or_name(&t.port, &path.child("tcpSocket").child("port"), errs);
    }
    if let Some(g) = &probe.grpc {
        let p = path.child("grpc").child("port");
        errs.invalid_all(&p, &g.port.to_string(), names::port_number(g.port.into()));
    }
    for (name, v) in [
        ("initialDelaySeconds", probe.initial_delay_seconds),
        ("timeoutSeconds", probe.timeout_seconds),
        ("periodSeconds", probe.period_seconds),
        ("successThreshold", probe.success_threshold),
        ("failureThreshold", probe.failure_threshold),
    ] {
        non_negative(v.into(), &path.child(name), errs);
    }
    // 0 means unset: defaulting makes it 1.
    if which != "readinessProbe" && probe.success_threshold > 1 {
        errs.push(FieldError::invalid(
            &path.child("successThreshold"),
            probe.success_threshold,
            "must be 1",
        ));
    }
    if let Some(t) = probe.termination_grace_period_seconds {
        let p = path.child("terminationGracePeriodSeconds");
        if which == "readinessProbe" {
            errs.push(FieldError::invalid(
                &p,
                t,
                "must not be set for readinessProbes",
            ));
        } else {
            positive(t, &p, errs);
        }
    }
}

fn validate_http_get(h: &HTTPGetAction, path: &FieldPath, errs: &mut ValidationErrors) {
    required(&h.path, &path.child("path"), errs);
    port_number_or_name(&h.port, &path.child("port"), errs);
    enum_required(&h.scheme, &["HTTP", "HTTPS"], &path.child("scheme"), errs);
    for (i, header) in h.http_headers.iter().enumerate() {
        let p = path.child("httpHeaders").index(i).child("name");
        errs.invalid_all(
            &p,
            &header.name,
            super::common::http_header_name(&header.name),
        );
    }
}

fn validate_lifecycle_handler(h: &LifecycleHandler, path: &FieldPath, errs: &mut ValidationErrors) {
    let handlers = [
        ("exec", h.exec.is_some()),
        ("httpGet", h.http_get.is_some()),
        ("tcpSocket", h.tcp_socket.is_some()),
        ("sleep", h.sleep.is_some()),
    ];
    exactly_one(&handlers, "a handler type", path, errs);
    if let Some(e) = &h.exec {
        if e.command.is_empty() {
            errs.push(FieldError::required(
                &path.child("exec").child("command"),
                "",
            ));
        }
    }
    if let Some(g) = &h.http_get {
        validate_http_get(g, &path.child("httpGet"), errs);
    }
    if let Some(t) = &h.tcp_socket {
        port_number_or_name(&t.port, &path.child("tcpSocket").child("port"), errs);
    }
    if let Some(s) = &h.sleep {
        non_negative(s.seconds, &path.child("sleep").child("seconds"), errs);
    }
}

/// Largest user or group ID.
const MAX_ID: i64 = i32::MAX as i64;

/// Checks a user or group ID (0 to 2147483647).
pub(super) fn id_range(id: Option<i64>, path: &FieldPath, errs: &mut ValidationErrors) {
    if let Some(id) = id {
        in_range(id, 0, MAX_ID, path, errs);
    }
}

pub(super) fn validate_security_context(
    sc: &SecurityContext,
    path: &FieldPath,
    errs: &mut ValidationErrors,
) {
    id_range(sc.run_as_user, &path.child("runAsUser"), errs);
    id_range(sc.run_as_group, &path.child("runAsGroup"), errs);
    enum_option(
        sc.proc_mount.as_ref(),
        &["Default", "Unmasked"],
        &path.child("procMount"),
        errs,
    );
    if sc.privileged == Some(true) && sc.allow_privilege_escalation == Some(false) {
        errs.push(FieldError::invalid(
            &path.child("allowPrivilegeEscalation"),
            "false",
            "cannot set `allowPrivilegeEscalation` to false and `privileged` to true",
        ));
    }
    if let Some(s) = &sc.seccomp_profile {
        super::pod::validate_profile(
            &s.type_,
            s.localhost_profile.as_ref(),
            &path.child("seccompProfile"),
            errs,
        );
    }
    if let Some(a) = &sc.app_armor_profile {
        super::pod::validate_profile(
            &a.type_,
            a.localhost_profile.as_ref(),
            &path.child("appArmorProfile"),
            errs,
        );
    }
}
