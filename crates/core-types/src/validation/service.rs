//! Services, Endpoints and Ingresses.

use std::collections::BTreeSet;

use super::common::{
    cidr, enum_option, enum_required, ip, is_ip, optional_name, port_number_or_name, required,
    required_name, wildcard_or_subdomain,
};
use super::{
    FieldError, FieldPath, Validate, ValidationErrors, names, validate_labels, validate_object_meta,
};
use crate::IntOrString;
use crate::core_v1::{EndpointAddress, Endpoints, Service, ServicePort, ServiceSpec};
use crate::networking_v1::{Ingress, IngressBackend};
use crate::resource::Scope;

const PROTOCOLS: &[&str] = &["TCP", "UDP", "SCTP"];
const TYPES: &[&str] = &["ClusterIP", "NodePort", "LoadBalancer", "ExternalName"];
/// Longest ClientIP session affinity timeout (one day).
const MAX_AFFINITY_SECONDS: i32 = 86_400;

impl Validate for Service {
    fn validate(&self) -> Result<(), ValidationErrors> {
        let mut errs = ValidationErrors::default();
        validate_object_meta(
            &self.metadata,
            Scope::Namespaced,
            names::dns1035_label,
            &mut errs,
        );
        validate_service_spec(&self.spec, &FieldPath::root("spec"), &mut errs);
        errs.into_result()
    }
}

fn validate_service_spec(s: &ServiceSpec, path: &FieldPath, errs: &mut ValidationErrors) {
    let ty = s.type_.as_str();
    let headless = s.cluster_ip == "None";
    let node_ports = matches!(ty, "NodePort" | "LoadBalancer");
    enum_required(ty, TYPES, &path.child("type"), errs);
    let ports = path.child("ports");
    if s.ports.is_empty() && !headless && ty != "ExternalName" {
        errs.push(FieldError::required(&ports, ""));
    }
    let mut port_names = BTreeSet::new();
    let mut port_keys = BTreeSet::new();
    let mut node_port_keys = BTreeSet::new();
    for (i, p) in s.ports.iter().enumerate() {
        let pp = ports.index(i);
        validate_service_port(p, s.ports.len() > 1, &pp, errs);
        if !p.name.is_empty() && !port_names.insert(p.name.as_str()) {
            errs.push(FieldError::duplicate(&pp.child("name"), &p.name));
        }
        let key = format!("{}/{}", p.port, p.protocol);
        if !port_keys.insert(key.clone()) {
            errs.push(FieldError::duplicate(&pp, key));
        }
        if p.node_port != 0 {
            let np = pp.child("nodePort");
            if !node_ports {
                errs.push(FieldError::forbidden(
                    &np,
                    format!("may not be used when `type` is '{ty}'"),
                ));
            }
            errs.invalid_all(
                &np,
                &p.node_port.to_string(),
                names::port_number(p.node_port.into()),
            );
            let key = format!("{}/{}", p.node_port, p.protocol);
            if !node_port_keys.insert(key.clone()) {
                errs.push(FieldError::duplicate(&np, key));
            }
        }
    }
    validate_labels(&s.selector, &path.child("selector"), errs);
    let ext = path.child("externalName");
    if ty == "ExternalName" {
        if required(&s.external_name, &ext, errs) {
            let trimmed = s
                .external_name
                .strip_suffix('.')
                .unwrap_or(&s.external_name);
            errs.invalid_all(&ext, &s.external_name, names::dns1123_subdomain(trimmed));
        }
        if !s.cluster_ip.is_empty() {
            errs.push(FieldError::forbidden(
                &path.child("clusterIP"),
                "may not be set for ExternalName services",
            ));
        }
    }
    let cip = path.child("clusterIP");
    if !s.cluster_ip.is_empty() && !headless && !is_ip(&s.cluster_ip) {
        errs.push(FieldError::invalid(
            &cip,
            &s.cluster_ip,
            "must be empty, 'None', or a valid IP address",
        ));
    }
    for (i, c) in s.cluster_ips.iter().enumerate() {
        let p = path.child("clusterIPs").index(i);
        if i == 0 && !s.cluster_ip.is_empty() && c != &s.cluster_ip {
            errs.push(FieldError::invalid(
                &p,
                c,
                "must match `clusterIP` when both are set",
            ));
        } else if c != "None" && !is_ip(c) {
            errs.push(FieldError::invalid(
                &p,
                c,
                "must be 'None' or a valid IP address",
            ));
        }
    }
    for (i, e) in s.external_ips.iter().enumerate() {
        ip(e, &path.child("externalIPs").index(i), errs);
    }
    if !s.load_balancer_ip.is_empty() {
        ip(&s.load_balancer_ip, &path.child("loadBalancerIP"), errs);
    }
    let ranges = path.child("loadBalancerSourceRanges");
    if !s.load_balancer_source_ranges.is_empty() && ty != "LoadBalancer" {
        errs.push(FieldError::forbidden(
            &ranges,
            "may only be used when `type` is 'LoadBalancer'",
        ));
    }
    for (i, r) in s.load_balancer_source_ranges.iter().enumerate() {
        cidr(r.trim(), &ranges.index(i), errs);
    }
    let sa = path.child("sessionAffinity");
    enum_required(&s.session_affinity, &["None", "ClientIP"], &sa, errs);
    if let Some(cfg) = &s.session_affinity_config {
        let p = path.child("sessionAffinityConfig");
        if s.session_affinity != "ClientIP" {
            errs.push(FieldError::invalid(
                &p,
                "",
                "must not be set when session affinity is not ClientIP",
            ));
        } else if let Some(t) = cfg.client_ip.as_ref().and_then(|c| c.timeout_seconds) {
            if !(1..=MAX_AFFINITY_SECONDS).contains(&t) {
                let tp = p.child("clientIP").child("timeoutSeconds");
                errs.push(FieldError::invalid(
                    &tp,
                    t,
                    "must be greater than 0 and less than or equal to 86400",
                ));
            }
        }
    }
    let etp = path.child("externalTrafficPolicy");
    if node_ports {
        enum_required(
            &s.external_traffic_policy,
            &["Cluster", "Local"],
            &etp,
            errs,
        );
    } else if !s.external_traffic_policy.is_empty() {
        errs.push(FieldError::invalid(
            &etp,
            &s.external_traffic_policy,
            "may only be set when `type` is 'NodePort' or 'LoadBalancer'",
        ));
    }
    if s.health_check_node_port != 0
        && !(ty == "LoadBalancer" && s.external_traffic_policy == "Local")
    {
        errs.push(FieldError::invalid(
            &path.child("healthCheckNodePort"),
            s.health_check_node_port,
            "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'",
        ));
    }
    enum_option(
        s.internal_traffic_policy.as_ref(),
        &["Cluster", "Local"],
        &path.child("internalTrafficPolicy"),
        errs,
    );
    let fams = path.child("ipFamilies");
    if s.ip_families.len() > 2 {
        errs.push(FieldError::invalid(
            &fams,
            s.ip_families.join(","),
            "may specify no more than one IP for each IP family",
        ));
    }
    let mut seen = BTreeSet::new();
    for (i, f) in s.ip_families.iter().enumerate() {
        let p = fams.index(i);
        if !matches!(f.as_str(), "IPv4" | "IPv6") {
            errs.push(FieldError::not_supported(&p, f, &["IPv4", "IPv6"]));
        } else if !seen.insert(f.as_str()) {
            errs.push(FieldError::duplicate(&p, f));
        }
    }
    let pol = ["SingleStack", "PreferDualStack", "RequireDualStack"];
    enum_option(
        s.ip_family_policy.as_ref(),
        &pol,
        &path.child("ipFamilyPolicy"),
        errs,
    );
    for (field, set) in [
        (
            "allocateLoadBalancerNodePorts",
            s.allocate_load_balancer_node_ports.is_some(),
        ),
        ("loadBalancerClass", s.load_balancer_class.is_some()),
    ] {
        if set && ty != "LoadBalancer" {
            errs.push(FieldError::forbidden(
                &path.child(field),
                "may only be used when `type` is 'LoadBalancer'",
            ));
        }
    }
    if let Some(c) = &s.load_balancer_class {
        errs.invalid_all(
            &path.child("loadBalancerClass"),
            c,
            names::qualified_name(c),
        );
    }
}

fn validate_service_port(
    p: &ServicePort,
    multiple: bool,
    path: &FieldPath,
    errs: &mut ValidationErrors,
) {
    let name = path.child("name");
    if p.name.is_empty() {
        if multiple {
            errs.push(FieldError::required(
                &name,
                "each port must have a name when the service has more than one",
            ));
        }
    } else {
        errs.invalid_all(&name, &p.name, names::dns1123_label(&p.name));
    }
    errs.invalid_all(
        &path.child("port"),
        &p.port.to_string(),
        names::port_number(p.port.into()),
    );
    enum_required(&p.protocol, PROTOCOLS, &path.child("protocol"), errs);
    // 0 and "" mean unset: defaulting makes them `port`.
    let target = p.target_port.as_ref().filter(|t| {
        !matches!(t, IntOrString::Int(0)) && !matches!(t, IntOrString::String(s) if s.is_empty())
    });
    if let Some(t) = target {
        port_number_or_name(t, &path.child("targetPort"), errs);
    }
    if let Some(a) = &p.app_protocol {
        errs.invalid_all(&path.child("appProtocol"), a, names::qualified_name(a));
    }
}

impl Validate for Endpoints {
    fn validate(&self) -> Result<(), ValidationErrors> {
        let mut errs = ValidationErrors::default();
        let e = &mut errs;
        validate_object_meta(
            &self.metadata,
            Scope::Namespaced,
            names::dns1123_subdomain,
            e,
        );
        for (i, ss) in self.subsets.iter().enumerate() {
            let p = FieldPath::root("subsets").index(i);
            if ss.addresses.is_empty() && ss.not_ready_addresses.is_empty() {
                e.push(FieldError::required(
                    &p,
                    "must specify `addresses` or `notReadyAddresses`",
                ));
            }
            for (field, list) in [
                ("addresses", &ss.addresses),
                ("notReadyAddresses", &ss.not_ready_addresses),
            ] {
                for (j, a) in list.iter().enumerate() {
                    endpoint_address(a, &p.child(field).index(j), e);
                }
            }
            let mut seen = BTreeSet::new();
            for (j, port) in ss.ports.iter().enumerate() {
                let pp = p.child("ports").index(j);
                let name = pp.child("name");
                if port.name.is_empty() {
                    if ss.ports.len() > 1 {
                        e.push(FieldError::required(&name, ""));
                    }
                } else {
                    e.invalid_all(&name, &port.name, names::dns1123_label(&port.name));
                    if !seen.insert(port.name.as_str()) {
                        e.push(FieldError::duplicate(&name, &port.name));
                    }
                }
                e.invalid_all(
                    &pp.child("port"),
                    &port.port.to_string(),
                    names::port_number(port.port.into()),
                );
                enum_required(&port.protocol, PROTOCOLS, &pp.child("protocol"), e);
            }
        }
        errs.into_result()
    }
}

fn endpoint_address(a: &EndpointAddress, path: &FieldPath, errs: &mut ValidationErrors) {
    let p = path.child("ip");
    ip(&a.ip, &p, errs);
    if let Ok(addr) = a.ip.parse::<std::net::IpAddr>() {
        let special = if addr.is_unspecified() {
            Some("may not be unspecified (0.0.0.0 or ::)")
        } else if addr.is_loopback() {
            Some("may not be in the loopback range (127.0.0.0/8, ::1/128)")
        } else if addr.is_multicast() {
            Some("may not be in the multicast range")
        } else {
            None
        };
        if let Some(why) = special {
            errs.push(FieldError::invalid(&p, &a.ip, why));
        }
    }
    optional_name(
        &a.hostname,
        names::dns1123_label,
        &path.child("hostname"),
        errs,
    );
    if let Some(n) = &a.node_name {
        optional_name(n, names::dns1123_subdomain, &path.child("nodeName"), errs);
    }
}

impl Validate for Ingress {
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
        if s.rules.is_empty() && s.default_backend.is_none() {
            e.push(FieldError::invalid(
                &spec,
                "",
                "either `defaultBackend` or `rules` must be specified",
            ));
        }
        if let Some(c) = &s.ingress_class_name {
            required_name(
                c,
                names::dns1123_subdomain,
                &spec.child("ingressClassName"),
                e,
            );
        }
        if let Some(b) = &s.default_backend {
            ingress_backend(b, &spec.child("defaultBackend"), e);
        }
        for (i, rule) in s.rules.iter().enumerate() {
            let rp = spec.child("rules").index(i);
            if !rule.host.is_empty() {
                let hp = rp.child("host");
                if is_ip(&rule.host) {
                    e.push(FieldError::invalid(
                        &hp,
                        &rule.host,
                        "must be a DNS name, not an IP address",
                    ));
                } else {
                    e.invalid_all(&hp, &rule.host, wildcard_or_subdomain(&rule.host));
                }
            }
            let Some(http) = &rule.http else { continue };
            let paths = rp.child("http").child("paths");
            if http.paths.is_empty() {
                e.push(FieldError::required(&paths, ""));
            }
            for (j, p) in http.paths.iter().enumerate() {
                let pp = paths.index(j);
                let tp = pp.child("pathType");
                match p.path_type.as_deref() {
                    None => e.push(FieldError::required(&tp, "pathType must be specified")),
                    Some("Exact" | "Prefix") => ingress_path(&p.path, true, &pp.child("path"), e),
                    Some("ImplementationSpecific") => {
                        ingress_path(&p.path, false, &pp.child("path"), e)
                    }
                    Some(other) => e.push(FieldError::not_supported(
                        &tp,
                        other,
                        &["Exact", "Prefix", "ImplementationSpecific"],
                    )),
                }
                ingress_backend(&p.backend, &pp.child("backend"), e);
            }
        }
        for (i, tls) in s.tls.iter().enumerate() {
            let tp = spec.child("tls").index(i);
            for (j, h) in tls.hosts.iter().enumerate() {
                e.invalid_all(&tp.child("hosts").index(j), h, wildcard_or_subdomain(h));
            }
            optional_name(
                &tls.secret_name,
                names::dns1123_subdomain,
                &tp.child("secretName"),
                e,
            );
        }
        errs.into_result()
    }
}

/// Path fragments that are ambiguous once URL-decoded or normalized.
const BAD_PATH_PARTS: &[&str] = &["//", "/./", "/../", "%2f", "%2F"];

fn ingress_path(p: &str, strict: bool, path: &FieldPath, errs: &mut ValidationErrors) {
    if p.is_empty() && !strict {
        return;
    }
    if !p.starts_with('/') {
        errs.push(FieldError::invalid(path, p, "must be an absolute path"));
        return;
    }
    if strict {
        if let Some(bad) = BAD_PATH_PARTS.iter().find(|b| p.contains(**b)) {
            errs.push(FieldError::invalid(
                path,
                p,
                format!("must not contain '{bad}'"),
            ));
        }
        if let Some(bad) = ["/..", "/."].iter().find(|b| p.ends_with(**b)) {
            errs.push(FieldError::invalid(
                path,
                p,
                format!("must not end with '{bad}'"),
            ));
        }
    }
}

fn ingress_backend(b: &IngressBackend, path: &FieldPath, errs: &mut ValidationErrors) {
    match (&b.service, &b.resource) {
        (Some(_), Some(_)) => errs.push(FieldError::invalid(
            path,
            "",
            "cannot set both resource and service backends",
        )),
        (None, None) => errs.push(FieldError::invalid(
            path,
            "",
            "resource or service backend is required",
        )),
        _ => {}
    }
    if let Some(s) = &b.service {
        let sp = path.child("service");
        required_name(&s.name, names::dns1035_label, &sp.child("name"), errs);
        let pp = sp.child("port");
        match (s.port.name.is_empty(), s.port.number) {
            (false, 0) => errs.invalid_all(
                &pp.child("name"),
                &s.port.name,
                names::port_name(&s.port.name),
            ),
            (true, n) if n != 0 => errs.invalid_all(
                &pp.child("number"),
                &n.to_string(),
                names::port_number(n.into()),
            ),
            (false, _) => errs.push(FieldError::invalid(
                &pp,
                "",
                "cannot set both port name & port number",
            )),
            (true, _) => errs.push(FieldError::invalid(
                &pp,
                "",
                "port name or number is required",
            )),
        }
    }
    if let Some(r) = &b.resource {
        let rp = path.child("resource");
        required(&r.kind, &rp.child("kind"), errs);
        required(&r.name, &rp.child("name"), errs);
        if let Some(g) = r.api_group.as_deref().filter(|g| !g.is_empty()) {
            errs.invalid_all(&rp.child("apiGroup"), g, names::dns1123_subdomain(g));
        }
    }
}

#[cfg(test)]
#[path = "service_tests.rs"]
mod tests;
