use serde_json::json;

use super::*;
use crate::core_v1::{LoadBalancerIngress, PodTemplateSpec, ServicePort};
use crate::decode::from_json;

fn twice<T: ApplyDefaults + Clone + PartialEq + std::fmt::Debug>(mut obj: T) -> T {
    obj.apply_defaults();
    let once = obj.clone();
    obj.apply_defaults();
    assert_eq!(obj, once, "defaulting twice changed the object");
    obj
}

fn service(spec: serde_json::Value) -> Service {
    let doc =
        json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "s"}, "spec": spec});
    twice(from_json::<Service>(doc.to_string().as_bytes()).unwrap())
}

#[test]
fn cluster_ip_service() {
    let s = service(json!({
        "selector": {"app": "web"},
        "ports": [{"port": 80}, {"port": 443, "targetPort": "https", "protocol": "UDP"},
                  {"port": 8080, "targetPort": 0}]
    }));
    assert_eq!(
        serde_json::to_value(&s.spec).unwrap(),
        json!({
            "ports": [
                {"protocol": "TCP", "port": 80, "targetPort": 80},
                {"protocol": "UDP", "port": 443, "targetPort": "https"},
                {"protocol": "TCP", "port": 8080, "targetPort": 8080}
            ],
            "selector": {"app": "web"},
            "type": "ClusterIP",
            "sessionAffinity": "None",
            "internalTrafficPolicy": "Cluster"
        })
    );
    // Addresses and IP families are allocated, not defaulted.
    assert!(s.spec.cluster_ip.is_empty() && s.spec.ip_family_policy.is_none());
}

#[test]
fn external_services() {
    let s = service(json!({"type": "NodePort", "ports": [{"port": 80}]}));
    assert_eq!(s.spec.external_traffic_policy, "Cluster");
    assert_eq!(s.spec.internal_traffic_policy.as_deref(), Some("Cluster"));
    assert_eq!(s.spec.allocate_load_balancer_node_ports, None);

    let mut s: Service = from_json(
        br#"{"apiVersion":"v1","kind":"Service","spec":{"type":"LoadBalancer","externalTrafficPolicy":"Local",
            "ports":[{"port":80}]},"status":{"loadBalancer":{"ingress":[{"ip":"1.2.3.4"},{"hostname":"lb.example.com"}]}}}"#,
    )
    .unwrap();
    s = twice(s);
    assert_eq!(s.spec.external_traffic_policy, "Local");
    assert_eq!(s.spec.allocate_load_balancer_node_ports, Some(true));
    let ingress = &s.status.load_balancer.ingress;
    assert_eq!(ingress[0].ip_mode.as_deref(), Some("VIP"));
    assert_eq!(
        ingress[1],
        LoadBalancerIngress {
            hostname: "lb.example.com".into(),
            ..Default::default()
        }
    );

    let s = service(json!({"externalIPs": ["1.2.3.4"], "ports": [{"port": 80}]}));
    assert_eq!(s.spec.external_traffic_policy, "Cluster");

    let s = service(json!({"type": "ExternalName", "externalName": "db.example.com"}));
    assert_eq!(s.spec.external_traffic_policy, "");
    assert_eq!(s.spec.internal_traffic_policy, None);
    assert_eq!(s.spec.session_affinity, "None");
}

#[test]
fn session_affinity() {
    let s = service(json!({"sessionAffinity": "ClientIP"}));
    let config = s.spec.session_affinity_config.unwrap();
    assert_eq!(config.client_ip.unwrap().timeout_seconds, Some(10_800));
    let s = service(json!({"sessionAffinity": "ClientIP",
        "sessionAffinityConfig": {"clientIP": {"timeoutSeconds": 60}}}));
    let config = s.spec.session_affinity_config.unwrap();
    assert_eq!(config.client_ip.unwrap().timeout_seconds, Some(60));
    // Kubernetes drops the config when there is no affinity.
    let s = service(json!({"sessionAffinityConfig": {"clientIP": {"timeoutSeconds": 60}}}));
    assert_eq!(s.spec.session_affinity_config, None);
}

#[test]
fn service_port_target_defaults_to_port() {
    let mut s = Service::default();
    s.spec.ports.push(ServicePort {
        port: 53,
        target_port: Some(IntOrString::String(String::new())),
        ..Default::default()
    });
    let s = twice(s);
    assert_eq!(s.spec.ports[0].target_port, Some(IntOrString::Int(53)));
}

#[test]
fn endpoints() {
    let e: Endpoints = from_json(
        br#"{"apiVersion":"v1","kind":"Endpoints","metadata":{"name":"e"},
            "subsets":[{"addresses":[{"ip":"10.0.0.1"}],"ports":[{"port":80},{"port":53,"protocol":"UDP"}]}]}"#,
    )
    .unwrap();
    let e = twice(e);
    let ports = &e.subsets[0].ports;
    assert_eq!(
        (ports[0].protocol.as_str(), ports[1].protocol.as_str()),
        ("TCP", "UDP")
    );
}

#[test]
fn namespace() {
    let mut ns = Namespace::default();
    ns.metadata.name = "team-a".into();
    ns.metadata.labels.insert("env".into(), "prod".into());
    let ns = twice(ns);
    assert_eq!(ns.metadata.labels[NAMESPACE_NAME_LABEL], "team-a");
    assert_eq!(ns.metadata.labels["env"], "prod");
    assert_eq!(ns.status.phase, "Active");

    // No name (generateName): no label. An explicit phase stays.
    let mut ns = Namespace::default();
    ns.status.phase = "Terminating".into();
    let ns = twice(ns);
    assert!(ns.metadata.labels.is_empty());
    assert_eq!(ns.status.phase, "Terminating");
}

#[test]
fn node() {
    let n: Node = from_json(
        br#"{"apiVersion":"v1","kind":"Node","metadata":{"name":"n1"},
            "status":{"capacity":{"cpu":"4","memory":"8Gi"}}}"#,
    )
    .unwrap();
    let n = twice(n);
    assert_eq!(n.status.allocatable, n.status.capacity);
    assert_eq!(n.status.allocatable["memory"].to_string(), "8Gi");

    let n: Node = from_json(
        br#"{"apiVersion":"v1","kind":"Node","status":{"capacity":{"cpu":"4"},"allocatable":{"cpu":"3500m"}}}"#,
    )
    .unwrap();
    let n = twice(n);
    assert_eq!(n.status.allocatable["cpu"].to_string(), "3500m");
    assert_eq!(twice(Node::default()), Node::default());
}

#[test]
fn secret_and_kinds_without_defaults() {
    let s = twice(Secret::default());
    assert_eq!(s.type_, "Opaque");
    let s = twice(Secret {
        type_: "kubernetes.io/tls".into(),
        ..Default::default()
    });
    assert_eq!(s.type_, "kubernetes.io/tls");
    assert_eq!(twice(ConfigMap::default()), ConfigMap::default());
    assert_eq!(twice(ServiceAccount::default()), ServiceAccount::default());
    assert_eq!(twice(Event::default()), Event::default());
}

#[test]
fn replication_controller() {
    let mut rc = ReplicationController::default();
    let mut template = PodTemplateSpec::default();
    template.metadata.labels.insert("app".into(), "web".into());
    rc.spec.template = Some(template);
    let rc = twice(rc);
    assert_eq!(rc.spec.replicas, Some(1));
    assert_eq!(rc.spec.selector["app"], "web");
    assert_eq!(rc.metadata.labels["app"], "web");
    let spec = &rc.spec.template.as_ref().unwrap().spec;
    assert_eq!(spec.restart_policy, "Always");

    // Explicit replicas, selector and labels stay; no template, no template defaults.
    let mut rc = ReplicationController::default();
    rc.spec.replicas = Some(0);
    rc.spec.selector.insert("tier".into(), "x".into());
    rc.metadata.labels.insert("own".into(), "y".into());
    let mut template = PodTemplateSpec::default();
    template.metadata.labels.insert("app".into(), "web".into());
    rc.spec.template = Some(template);
    let rc = twice(rc);
    assert_eq!(rc.spec.replicas, Some(0));
    assert_eq!(rc.spec.selector.len(), 1);
    assert_eq!(rc.metadata.labels.len(), 1);
    let rc = twice(ReplicationController::default());
    assert_eq!(rc.spec.template, None);
    assert!(rc.spec.selector.is_empty());
}
