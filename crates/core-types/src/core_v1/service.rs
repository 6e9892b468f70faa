//! v1: Service (a stable name and address for a set of pods) and Endpoints (the
//! addresses currently behind a service).

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::core_v1::ObjectReference;
use crate::meta::ObjectMeta;
use crate::resource::resource;
use crate::serde_util::{is_false, is_zero_i32};
use crate::{Condition, IntOrString};

/// A service: a stable virtual address and DNS name in front of the pods its selector
/// matches (or an alias for an external name).
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct Service {
    /// Standard object metadata.
    #[serde(default)]
    pub metadata: ObjectMeta,
    /// Desired behaviour.
    #[serde(default)]
    pub spec: ServiceSpec,
    /// Observed state (load balancer addresses, conditions).
    #[serde(default)]
    pub status: ServiceStatus,
}

resource! {
    Service {
        group: "",
        version: "v1",
        api_version: "v1",
        plural: "services",
        scope: Namespaced,
        selectable: service_field,
    }
    fields { [spec, "spec"] [status, "status"] }
}

/// Field selectors supported for services beyond the metadata ones: `spec.clusterIP`
/// (used to skip headless services) and `spec.type`.
fn service_field<'a>(svc: &'a Service, field: &str) -> Option<Cow<'a, str>> {
    match field {
        "spec.clusterIP" => Some(Cow::Borrowed(&svc.spec.cluster_ip)),
        "spec.type" => Some(Cow::Borrowed(&svc.spec.type_)),
        _ => None,
    }
}

/// Desired behaviour of a service.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceSpec {
    /// Ports the service exposes.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::serde_util::exact_vec"
    )]
    pub ports: Vec<ServicePort>,
    /// Labels of the pods that back the service; without a selector, endpoints are
    /// managed by someone else.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub selector: BTreeMap<String, String>,
    /// The virtual IP, `None` for a headless service, or empty to have one allocated.
    #[serde(
        default,
        rename = "clusterIP",
        skip_serializing_if = "String::is_empty"
    )]
    pub cluster_ip: String,
    /// The virtual IPs, one per IP family; the first equals `clusterIP`.
    #[serde(
        default,
        rename = "clusterIPs",
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::serde_util::exact_vec"
    )]
    pub cluster_ips: Vec<String>,
    /// `ClusterIP` (the default), `NodePort`, `LoadBalancer` or `ExternalName`.
    #[serde(default, rename = "type", skip_serializing_if = "String::is_empty")]
    pub type_: String,
    /// Extra IPs, not managed by the cluster, on which nodes also accept the service's
    /// traffic.
    #[serde(
        default,
        rename = "externalIPs",
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::serde_util::exact_vec"
    )]
    pub external_ips: Vec<String>,
    /// `None` (the default) or `ClientIP` (stick each client to one pod).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub session_affinity: String,
    /// Deprecated request for a specific load balancer IP.
    #[serde(
        default,
        rename = "loadBalancerIP",
        skip_serializing_if = "String::is_empty"
    )]
    pub load_balancer_ip: String,
    /// Client CIDRs allowed through the cloud load balancer.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::serde_util::exact_vec"
    )]
    pub load_balancer_source_ranges: Vec<String>,
    /// DNS name the service aliases (CNAME), for `type: ExternalName`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub external_name: String,
    /// `Cluster` or `Local`: whether external traffic may be forwarded to pods on other
    /// nodes.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub external_traffic_policy: String,
    /// Node port answering load balancer health checks, for `Local` external traffic.
    #[serde(default, skip_serializing_if = "is_zero_i32")]
    pub health_check_node_port: i32,
    /// When true, pods are published in endpoints and DNS before they are ready.
    #[serde(default, skip_serializing_if = "is_false")]
    pub publish_not_ready_addresses: bool,
    /// Settings of the session affinity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session_affinity_config: Option<SessionAffinityConfig>,
    /// IP families (`IPv4`, `IPv6`) assigned to the service, in order.
    #[serde(
        default,
        rename = "ipFamilies",
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::serde_util::exact_vec"
    )]
    pub ip_families: Vec<String>,
    /// `SingleStack`, `PreferDualStack` or `RequireDualStack`.
    #[serde(
        default,
        rename = "ipFamilyPolicy",
        skip_serializing_if = "Option::is_none"
    )]
    pub ip_family_policy: Option<String>,
    /// Whether node ports are allocated for a `LoadBalancer` service (default true).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allocate_load_balancer_node_ports: Option<bool>,
    /// Which load balancer implementation handles the service.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub load_balancer_class: Option<String>,
    /// `Cluster` or `Local`: whether in-cluster traffic may go to pods on other nodes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub internal_traffic_policy: Option<String>,
    /// Preference for how traffic is spread over endpoints, e.g. `PreferClose`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub traffic_distribution: Option<String>,
}

/// One port of a service.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServicePort {
    /// Port name, required when the service has several ports.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// `TCP` (the default), `UDP` or `SCTP`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub protocol: String,
    /// Application protocol, e.g. `http`, `kubernetes.io/h2c`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app_protocol: Option<String>,
    /// The port the service listens on (required).
    #[serde(default)]
    pub port: i32,
    /// Port number or named container port the traffic goes to; defaults to `port`.
    ///
    /// An `Option` so that a manifest without it stays without it; Go would write `0`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_port: Option<IntOrString>,
    /// Port on every node, for `NodePort` and `LoadBalancer` services.
    #[serde(default, skip_serializing_if = "is_zero_i32")]
    pub node_port: i32,
}

/// Settings of a service's session affinity.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionAffinityConfig {
    /// Settings of `ClientIP` affinity.
    #[serde(default, rename = "clientIP", skip_serializing_if = "Option::is_none")]
    pub client_ip: Option<ClientIPConfig>,
}

/// Settings of `ClientIP` session affinity.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ClientIPConfig {
    /// How long a client sticks to its pod, in seconds (default 10800).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout_seconds: Option<i32>,
}

/// Observed state of a service.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceStatus {
    /// The load balancer, if any (always written, possibly empty).
    #[serde(default)]
    pub load_balancer: LoadBalancerStatus,
    /// Current conditions.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::serde_util::exact_vec"
    )]
    pub conditions: Vec<Condition>,
}

/// State of a load balancer.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LoadBalancerStatus {
    /// The load balancer's entry points.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::serde_util::exact_vec"
    )]
    pub ingress: Vec<LoadBalancerIngress>,
}

/// One entry point of a load balancer.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LoadBalancerIngress {
    /// IP address of the entry point.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub ip: String,
    /// DNS name of the entry point.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub hostname: String,
    /// `VIP` (traffic arrives addressed to the IP) or `Proxy` (to the node).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ip_mode: Option<String>,
    /// State of each port of the entry point.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::serde_util::exact_vec"
    )]
    pub ports: Vec<PortStatus>,
}

/// State of one port of a load balancer entry point.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PortStatus {
    /// Port number (required).
    #[serde(default)]
    pub port: i32,
    /// `TCP`, `UDP` or `SCTP` (required).
    #[serde(default)]
    pub protocol: String,
    /// Problem with the port, as a CamelCase reason, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// The addresses and ports behind a service, grouped into subsets.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct Endpoints {
    /// Standard object metadata.
    #[serde(default)]
    pub metadata: ObjectMeta,
    /// Groups of addresses that all serve the same ports.
    #[serde(default, deserialize_with = "crate::serde_util::exact_vec")]
    pub subsets: Vec<EndpointSubset>,
}

resource! {
    Endpoints {
        group: "",
        version: "v1",
        api_version: "v1",
        plural: "endpoints",
        scope: Namespaced,
    }
    fields { [subsets, "subsets", omitempty] }
}

/// A group of addresses that all serve the same ports.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EndpointSubset {
    /// Addresses ready to receive traffic.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::serde_util::exact_vec"
    )]
    pub addresses: Vec<EndpointAddress>,
    /// Addresses not (yet) ready.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::serde_util::exact_vec"
    )]
    pub not_ready_addresses: Vec<EndpointAddress>,
    /// Ports served by every address of the subset.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::serde_util::exact_vec"
    )]
    pub ports: Vec<EndpointPort>,
}

/// One address behind a service.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EndpointAddress {
    /// The IP address (required).
    #[serde(default)]
    pub ip: String,
    /// Hostname of the endpoint, used for per-pod DNS records.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub hostname: String,
    /// Node hosting the endpoint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node_name: Option<String>,
    /// The object (usually a pod) providing the endpoint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_ref: Option<ObjectReference>,
}

/// One port served by an endpoint subset.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EndpointPort {
    /// Port name, matching the service port's name.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// Port number (required).
    #[serde(default)]
    pub port: i32,
    /// `TCP` (the default), `UDP` or `SCTP`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub protocol: String,
    /// Application protocol of the port.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app_protocol: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Resource as _;
    use crate::core_v1::test_support::{assert_wire, decode};

    #[test]
    fn load_balancer_service_round_trips() {
        let svc: Service = assert_wire::<Service, k8s_openapi::api::core::v1::Service>(
            r#"
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  ports:
  - {name: http, protocol: TCP, appProtocol: http, port: 80, targetPort: http, nodePort: 30080}
  - {name: metrics, protocol: TCP, port: 9090, targetPort: 9090, nodePort: 30090}
  selector: {app: web}
  clusterIP: 10.96.12.7
  clusterIPs: [10.96.12.7, "fd00::c"]
  type: LoadBalancer
  externalIPs: [203.0.113.9]
  sessionAffinity: ClientIP
  loadBalancerIP: 198.51.100.4
  loadBalancerSourceRanges: [10.0.0.0/8]
  externalTrafficPolicy: Local
  healthCheckNodePort: 31000
  publishNotReadyAddresses: true
  sessionAffinityConfig: {clientIP: {timeoutSeconds: 600}}
  ipFamilies: [IPv4, IPv6]
  ipFamilyPolicy: PreferDualStack
  allocateLoadBalancerNodePorts: true
  loadBalancerClass: example.com/lb
  internalTrafficPolicy: Cluster
  trafficDistribution: PreferClose
status:
  loadBalancer:
    ingress:
    - ip: 198.51.100.4
      ipMode: VIP
      ports: [{port: 80, protocol: TCP}, {port: 9090, protocol: TCP, error: Pending}]
    - hostname: lb.example.com
  conditions:
  - type: LoadBalancerReady
    status: "True"
    observedGeneration: 2
    lastTransitionTime: "2024-05-01T10:00:00Z"
    reason: Provisioned
    message: ""
"#,
        );
        assert_eq!(
            svc.spec.ports[0].target_port,
            Some(IntOrString::from("http"))
        );
        assert_eq!(svc.spec.ports[1].target_port, Some(IntOrString::Int(9090)));
        assert_eq!(
            svc.field_value("spec.clusterIP").as_deref(),
            Some("10.96.12.7")
        );
        assert_eq!(
            svc.field_value("spec.type").as_deref(),
            Some("LoadBalancer")
        );
        assert_eq!(svc.field_value("spec.ports"), None);
    }

    #[test]
    fn minimal_service_keeps_go_shape() {
        let svc: Service = decode(
            "apiVersion: v1\nkind: Service\nmetadata: {name: db}\nspec:\n  clusterIP: None\n  ports: [{port: 5432}]\n",
        )
        .expect("fixture decodes");
        assert_eq!(
            serde_json::to_string(&svc).expect("encodes"),
            r#"{"apiVersion":"v1","kind":"Service","metadata":{"name":"db"},"spec":{"ports":[{"port":5432}],"clusterIP":"None"},"status":{"loadBalancer":{}}}"#
        );
        assert!(
            decode::<Service>("apiVersion: v1\nkind: Service\nspec: {ports: [{port: http}]}\n")
                .is_err()
        );
        let err = decode::<Service>(
            "apiVersion: v1\nkind: Service\nspec: {ports: [{port: 80, targetPort: [1]}]}\n",
        )
        .expect_err("invalid input must fail");
        assert!(
            err.to_string().contains("spec.ports[0].targetPort"),
            "{err}"
        );
    }

    #[test]
    fn endpoints_round_trip() {
        let ep: Endpoints = assert_wire::<Endpoints, k8s_openapi::api::core::v1::Endpoints>(
            r#"
apiVersion: v1
kind: Endpoints
metadata: {name: web, namespace: shop}
subsets:
- addresses:
  - ip: 10.244.1.5
    hostname: web-0
    nodeName: worker-1
    targetRef: {kind: Pod, namespace: shop, name: web-0, uid: 4d2c, resourceVersion: "812"}
  notReadyAddresses:
  - ip: 10.244.2.9
  ports:
  - {name: http, port: 8080, protocol: TCP, appProtocol: http}
"#,
        );
        assert_eq!(
            ep.subsets[0].addresses[0].node_name.as_deref(),
            Some("worker-1")
        );
        let empty: Endpoints = decode("apiVersion: v1\nkind: Endpoints\nmetadata: {name: x}\n")
            .expect("fixture decodes");
        assert_eq!(
            serde_json::to_string(&empty).expect("encodes"),
            r#"{"apiVersion":"v1","kind":"Endpoints","metadata":{"name":"x"}}"#
        );
        assert!(decode::<Endpoints>("apiVersion: v1\nkind: Endpoints\nsubsets: {}\n").is_err());
    }
}
