//! The core v1 kinds other than pods and volumes: Service, Endpoints, Namespace, Node,
//! Secret, ConfigMap, ServiceAccount, Event and ReplicationController.

use super::pod::pod_spec;
use super::{ApplyDefaults, default_opt, default_opt_str, default_str, round_resource_list};
use crate::IntOrString;
use crate::core_v1::{
    ConfigMap, Endpoints, Event, Namespace, Node, ReplicationController, Secret, Service,
    ServiceAccount, SessionAffinityConfig,
};

/// Default session affinity timeout for `ClientIP` affinity: three hours.
const CLIENT_IP_TIMEOUT_SECONDS: i32 = 10_800;

/// Label Kubernetes puts on every namespace, holding its name.
pub const NAMESPACE_NAME_LABEL: &str = "kubernetes.io/metadata.name";

/// Service defaults:
/// - `spec.sessionAffinity`: `None`; with `None`, `spec.sessionAffinityConfig` is dropped
///   (as Kubernetes does); with `ClientIP`, `sessionAffinityConfig.clientIP.timeoutSeconds`
///   defaults to 10800.
/// - `spec.type`: `ClusterIP`.
/// - `spec.ports[*].protocol`: `TCP`; `spec.ports[*].targetPort`: the port's `port` when
///   unset, `0` or `""`.
/// - `spec.externalTrafficPolicy`: `Cluster` for `NodePort` and `LoadBalancer` services
///   and `ClusterIP` ones with external IPs.
/// - `spec.internalTrafficPolicy`: `Cluster` for `ClusterIP`, `NodePort` and
///   `LoadBalancer` services.
/// - `spec.allocateLoadBalancerNodePorts`: `true` for `LoadBalancer` services.
/// - `status.loadBalancer.ingress[*].ipMode`: `VIP` for entries with an IP, on
///   `LoadBalancer` services.
///
/// Cluster IPs, `ipFamilies`, `ipFamilyPolicy`, node ports and `healthCheckNodePort` are
/// allocated by the service registry, not defaulted, and are left alone.
impl ApplyDefaults for Service {
    fn apply_defaults(&mut self) {
        let spec = &mut self.spec;
        default_str(&mut spec.session_affinity, "None");
        match spec.session_affinity.as_str() {
            "None" => spec.session_affinity_config = None,
            "ClientIP" => {
                let config = spec
                    .session_affinity_config
                    .get_or_insert_with(SessionAffinityConfig::default);
                let client_ip = config.client_ip.get_or_insert_with(Default::default);
                default_opt(&mut client_ip.timeout_seconds, CLIENT_IP_TIMEOUT_SECONDS);
            }
            _ => {}
        }
        default_str(&mut spec.type_, "ClusterIP");
        for p in &mut spec.ports {
            default_str(&mut p.protocol, "TCP");
            let unset = match &p.target_port {
                None => true,
                Some(IntOrString::Int(i)) => *i == 0,
                Some(IntOrString::String(s)) => s.is_empty(),
            };
            if unset {
                p.target_port = Some(IntOrString::Int(p.port));
            }
        }
        let type_ = spec.type_.as_str();
        let externally_accessible = matches!(type_, "LoadBalancer" | "NodePort")
            || (type_ == "ClusterIP" && !spec.external_ips.is_empty());
        if externally_accessible {
            default_str(&mut spec.external_traffic_policy, "Cluster");
        }
        if matches!(type_, "ClusterIP" | "NodePort" | "LoadBalancer") {
            default_opt_str(&mut spec.internal_traffic_policy, "Cluster");
        }
        if type_ == "LoadBalancer" {
            default_opt(&mut spec.allocate_load_balancer_node_ports, true);
            for ing in &mut self.status.load_balancer.ingress {
                if !ing.ip.is_empty() {
                    default_opt_str(&mut ing.ip_mode, "VIP");
                }
            }
        }
    }
}

/// Endpoints defaults:
/// - `subsets[*].ports[*].protocol`: `TCP`.
impl ApplyDefaults for Endpoints {
    fn apply_defaults(&mut self) {
        for p in self.subsets.iter_mut().flat_map(|s| &mut s.ports) {
            default_str(&mut p.protocol, "TCP");
        }
    }
}

/// Namespace defaults:
/// - `metadata.labels["kubernetes.io/metadata.name"]`: the namespace's name, always (an
///   existing value is replaced, as Kubernetes does); not set while the name is empty.
/// - `status.phase`: `Active`.
impl ApplyDefaults for Namespace {
    fn apply_defaults(&mut self) {
        let meta = &mut self.metadata;
        if !meta.name.is_empty() && meta.labels.get(NAMESPACE_NAME_LABEL) != Some(&meta.name) {
            meta.labels
                .insert(NAMESPACE_NAME_LABEL.to_owned(), meta.name.clone());
        }
        default_str(&mut self.status.phase, "Active");
    }
}

/// Node defaults:
/// - `status.allocatable`: a copy of `status.capacity` when empty.
/// - `status.capacity`, `status.allocatable`: amounts rounded up to milli-units.
impl ApplyDefaults for Node {
    fn apply_defaults(&mut self) {
        let status = &mut self.status;
        if status.allocatable.is_empty() {
            status.allocatable = status.capacity.clone();
        }
        round_resource_list(&mut status.capacity);
        round_resource_list(&mut status.allocatable);
    }
}

/// Secret defaults:
/// - `type`: `Opaque`.
impl ApplyDefaults for Secret {
    fn apply_defaults(&mut self) {
        default_str(&mut self.type_, "Opaque");
    }
}

/// ConfigMap: no visible defaults. (Kubernetes makes a missing `data` an empty map,
/// which is written the same as no map at all.)
impl ApplyDefaults for ConfigMap {
    fn apply_defaults(&mut self) {}
}

/// ServiceAccount: Kubernetes defines no defaults.
impl ApplyDefaults for ServiceAccount {
    fn apply_defaults(&mut self) {}
}

/// Event: Kubernetes defines no defaults.
impl ApplyDefaults for Event {
    fn apply_defaults(&mut self) {}
}

/// ReplicationController defaults:
/// - `spec.selector`: the template's labels, when empty.
/// - `metadata.labels`: the template's labels, when empty.
/// - `spec.replicas`: 1.
/// - `spec.template.spec`: the pod spec defaults.
impl ApplyDefaults for ReplicationController {
    fn apply_defaults(&mut self) {
        if let Some(template) = &mut self.spec.template {
            let labels = &template.metadata.labels;
            if !labels.is_empty() {
                if self.spec.selector.is_empty() {
                    self.spec.selector = labels.clone();
                }
                if self.metadata.labels.is_empty() {
                    self.metadata.labels = labels.clone();
                }
            }
            pod_spec(&mut template.spec);
        }
        default_opt(&mut self.spec.replicas, 1);
    }
}

#[cfg(test)]
#[path = "core_kinds_tests.rs"]
mod tests;
