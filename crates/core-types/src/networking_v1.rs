//! networking.k8s.io/v1: Ingress, HTTP routing from outside the cluster to Services.

use serde::{Deserialize, Serialize};

use crate::core_v1::TypedLocalObjectReference;
use crate::meta::ObjectMeta;
use crate::resource::resource;
use crate::serde_util::is_zero_i32;

/// An Ingress: rules routing HTTP(S) requests by host and path to backends (usually
/// Services), implemented by an ingress controller.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct Ingress {
    /// Standard object metadata.
    #[serde(default)]
    pub metadata: ObjectMeta,
    /// Desired routing.
    #[serde(default)]
    pub spec: IngressSpec,
    /// Observed state (the addresses the ingress is reachable at); left out of the wire
    /// form when empty.
    #[serde(default)]
    pub status: IngressStatus,
}

resource! {
    Ingress {
        group: "networking.k8s.io",
        version: "v1",
        api_version: "networking.k8s.io/v1",
        plural: "ingresses",
        scope: Namespaced,
    }
    fields { [spec, "spec"] [status, "status"] }
}

/// Desired routing of an Ingress.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IngressSpec {
    /// Name of the IngressClass (the controller) that implements this Ingress.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ingress_class_name: Option<String>,
    /// Backend for requests no rule matches.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_backend: Option<IngressBackend>,
    /// TLS termination: which hosts use which certificate Secret.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::serde_util::exact_vec"
    )]
    pub tls: Vec<IngressTls>,
    /// Routing rules by host; requests matching none go to `defaultBackend`.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::serde_util::exact_vec"
    )]
    pub rules: Vec<IngressRule>,
}

/// Where matching requests are sent: a Service port or another resource (exactly one).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IngressBackend {
    /// A Service and port.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<IngressServiceBackend>,
    /// Another object in the namespace (e.g. a storage bucket of the controller's own
    /// kind).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource: Option<TypedLocalObjectReference>,
}

/// A Service backend: the Service's name and one of its ports.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IngressServiceBackend {
    /// Name of the Service, in the Ingress's namespace.
    #[serde(default)]
    pub name: String,
    /// The Service port, by name or number.
    #[serde(default)]
    pub port: ServiceBackendPort,
}

/// A Service port, named or numbered (one of the two).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceBackendPort {
    /// The port's name in the Service.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// The port's number in the Service.
    #[serde(default, skip_serializing_if = "is_zero_i32")]
    pub number: i32,
}

/// TLS settings for a set of hosts.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IngressTls {
    /// Hosts the certificate is used for; empty means the controller's default.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::serde_util::exact_vec"
    )]
    pub hosts: Vec<String>,
    /// Secret holding the certificate and key; empty means only SNI-less defaults apply.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub secret_name: String,
}

/// A routing rule for one host (or every host when `host` is empty).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IngressRule {
    /// Host name, possibly with a leading `*.` wildcard; empty matches every host.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub host: String,
    /// HTTP paths for the host. (In Go this sits in an inlined `IngressRuleValue`.)
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http: Option<HttpIngressRuleValue>,
}

/// The HTTP paths of a rule.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HttpIngressRuleValue {
    /// Paths, each with its backend.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::serde_util::exact_vec"
    )]
    pub paths: Vec<HttpIngressPath>,
}

/// A request path and the backend it goes to.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HttpIngressPath {
    /// The path, starting with `/`; empty matches everything.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub path: String,
    /// How `path` is matched: `Exact`, `Prefix` (by path elements) or
    /// `ImplementationSpecific`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path_type: Option<String>,
    /// Where matching requests go.
    #[serde(default)]
    pub backend: IngressBackend,
}

/// Observed state of an Ingress.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IngressStatus {
    /// The load balancer's addresses.
    #[serde(default)]
    pub load_balancer: IngressLoadBalancerStatus,
}

/// The addresses an Ingress's load balancer is reachable at.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IngressLoadBalancerStatus {
    /// One entry per address.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::serde_util::exact_vec"
    )]
    pub ingress: Vec<IngressLoadBalancerIngress>,
}

/// One load balancer address.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IngressLoadBalancerIngress {
    /// IP address.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub ip: String,
    /// DNS name.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub hostname: String,
    /// The ports of the address and their state.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::serde_util::exact_vec"
    )]
    pub ports: Vec<IngressPortStatus>,
}

/// State of one load balancer port.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IngressPortStatus {
    /// The port number (always written).
    #[serde(default)]
    pub port: i32,
    /// `TCP`, `UDP` or `SCTP` (always written).
    #[serde(default)]
    pub protocol: String,
    /// Why the port is not working, if it is not (a CamelCase reason or `domain/Reason`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::apps_v1::test_support::{json, round_trip, same_as_k8s_openapi};

    const INGRESS: &str = r#"
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
  namespace: default
  annotations:
    nginx.ingress.kubernetes.io/rewrite-target: /
spec:
  ingressClassName: nginx
  defaultBackend:
    resource:
      apiGroup: k8s.example.com
      kind: StorageBucket
      name: static-assets
  tls:
  - hosts: [shop.example.com]
    secretName: shop-tls
  rules:
  - host: shop.example.com
    http:
      paths:
      - path: /api
        pathType: Prefix
        backend:
          service:
            name: api
            port:
              number: 8080
      - path: /
        pathType: ImplementationSpecific
        backend:
          service:
            name: web
            port:
              name: http
  - http:
      paths:
      - pathType: Exact
        path: /healthz
        backend:
          service:
            name: health
            port:
              number: 80
status:
  loadBalancer:
    ingress:
    - ip: 203.0.113.7
      hostname: lb.example.com
      ports:
      - port: 443
        protocol: TCP
        error: Pending
"#;

    #[test]
    fn full_ingress_round_trips() {
        let i: Ingress = round_trip(INGRESS);
        same_as_k8s_openapi::<k8s_openapi::api::networking::v1::Ingress>(INGRESS);
        let path = &i.spec.rules[0].http.as_ref().unwrap().paths[1];
        assert_eq!(path.path_type.as_deref(), Some("ImplementationSpecific"));
        assert_eq!(path.backend.service.as_ref().unwrap().port.name, "http");
        let res = i.spec.default_backend.as_ref().unwrap().resource.as_ref();
        assert_eq!(res.unwrap().api_group.as_deref(), Some("k8s.example.com"));
        assert_eq!(i.status.load_balancer.ingress[0].ports[0].port, 443);
    }

    #[test]
    fn required_fields_are_written_and_empty_status_omitted() {
        let path = HttpIngressPath {
            path: "/".into(),
            ..Default::default()
        };
        assert_eq!(json(&path), r#"{"path":"/","backend":{}}"#);
        let svc = IngressServiceBackend::default();
        assert_eq!(json(&svc), r#"{"name":"","port":{}}"#);
        assert_eq!(
            json(&IngressPortStatus::default()),
            r#"{"port":0,"protocol":""}"#
        );
        assert_eq!(
            json(&Ingress::default()),
            r#"{"apiVersion":"networking.k8s.io/v1","kind":"Ingress","metadata":{},"spec":{},"status":{"loadBalancer":{}}}"#
        );
    }

    #[test]
    fn bad_input_is_an_error() {
        let err = crate::decode::from_value::<Ingress>(serde_json::json!({
            "spec": {"rules": [{"http": {"paths": [{"backend": {"service": {"port": {"number": "80"}}}}]}}]}
        }))
        .unwrap_err();
        assert!(
            err.to_string()
                .starts_with("spec.rules[0].http.paths[0].backend.service.port.number"),
            "{err}"
        );
    }
}
