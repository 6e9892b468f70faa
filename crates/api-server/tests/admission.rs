//! The built-in admission steps beyond defaulting and validation: Service address
//! allocation, pod priority, namespace lifecycle.

// Helpers outside `#[test]` functions unwrap too: a panic is a test failure.
#![allow(clippy::unwrap_used)]

mod support;

use hyper::StatusCode;
use serde_json::{Value, json};
use support::{call, call_raw, pod, request, server};

fn service(name: &str, spec: Value) -> Value {
    json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": name}, "spec": spec})
}

#[tokio::test]
async fn services_get_unique_cluster_ips_and_node_ports() {
    let s = server().await;
    let path = "/api/v1/namespaces/default/services";
    let ports = json!([{"port": 80, "targetPort": 8080}]);
    let (code, a) = call(
        &s,
        "POST",
        path,
        service("a", json!({"ports": ports, "selector": {"app": "a"}})),
    )
    .await;
    assert_eq!(code, StatusCode::CREATED, "{a}");
    let (code, b) = call(
        &s,
        "POST",
        path,
        service("b", json!({"type": "NodePort", "ports": ports})),
    )
    .await;
    assert_eq!(code, StatusCode::CREATED, "{b}");
    let (ip_a, ip_b) = (
        a["spec"]["clusterIP"].as_str().unwrap(),
        b["spec"]["clusterIP"].as_str().unwrap(),
    );
    assert_ne!(ip_a, ip_b);
    for ip in [ip_a, ip_b] {
        let ip: std::net::Ipv4Addr = ip.parse().unwrap();
        assert_eq!(
            u32::from(ip) >> 20,
            u32::from(std::net::Ipv4Addr::new(10, 96, 0, 0)) >> 20,
            "{ip}"
        );
    }
    assert_eq!(a["spec"]["clusterIPs"], json!([ip_a]));
    let node_port = b["spec"]["ports"][0]["nodePort"].as_u64().unwrap();
    assert!((30000..=32767).contains(&node_port));

    // Explicit duplicates are refused.
    let (code, dup) = call(
        &s,
        "POST",
        path,
        service("c", json!({"clusterIP": ip_a, "ports": ports})),
    )
    .await;
    assert_eq!(code, StatusCode::UNPROCESSABLE_ENTITY, "{dup}");
    assert_eq!(dup["details"]["causes"][0]["field"], "spec.clusterIP");
    let (code, dup) = call(
        &s,
        "POST",
        path,
        service(
            "c",
            json!({"type": "NodePort", "ports": [{"port": 81, "nodePort": node_port}]}),
        ),
    )
    .await;
    assert_eq!(code, StatusCode::UNPROCESSABLE_ENTITY, "{dup}");
    let (code, _) = call(
        &s,
        "POST",
        path,
        service("c", json!({"clusterIP": "192.168.0.1", "ports": ports})),
    )
    .await;
    assert_eq!(code, StatusCode::UNPROCESSABLE_ENTITY);

    // Headless and ExternalName services get no address.
    let (_, headless) = call(
        &s,
        "POST",
        path,
        service("h", json!({"clusterIP": "None", "ports": ports})),
    )
    .await;
    assert_eq!(headless["spec"]["clusterIP"], "None");
    let (_, external) = call(
        &s,
        "POST",
        path,
        service(
            "e",
            json!({"type": "ExternalName", "externalName": "example.com"}),
        ),
    )
    .await;
    assert!(external["spec"].get("clusterIP").is_none(), "{external}");

    // A PUT without the address keeps it; changing it is refused.
    let mut put = b.clone();
    put["spec"].as_object_mut().unwrap().remove("clusterIP");
    put["spec"].as_object_mut().unwrap().remove("clusterIPs");
    put["spec"]["ports"][0]
        .as_object_mut()
        .unwrap()
        .remove("nodePort");
    let (code, kept) = call(&s, "PUT", &format!("{path}/b"), put).await;
    assert_eq!(code, StatusCode::OK, "{kept}");
    assert_eq!(
        (
            kept["spec"]["clusterIP"].as_str(),
            kept["spec"]["ports"][0]["nodePort"].as_u64()
        ),
        (Some(ip_b), Some(node_port))
    );
    let (code, _) = call_raw(
        &s,
        request(
            "PATCH",
            &format!("{path}/b"),
            "application/merge-patch+json",
            json!({"spec": {"clusterIP": "10.96.0.9", "clusterIPs": ["10.96.0.9"]}}).to_string(),
        ),
    )
    .await;
    assert_eq!(code, StatusCode::UNPROCESSABLE_ENTITY);

    // A deleted service's address and port are free again.
    let (code, _) = call(&s, "DELETE", &format!("{path}/b"), Value::Null).await;
    assert_eq!(code, StatusCode::OK);
    let (code, reuse) = call(&s, "POST", path, service("d", json!({"type": "NodePort", "clusterIP": ip_b, "ports": [{"port": 80, "nodePort": node_port}]}))).await;
    assert_eq!(code, StatusCode::CREATED, "{reuse}");
}

#[tokio::test]
async fn pods_get_their_priority_class_value() {
    let s = server().await;
    let class = json!({"apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass", "metadata": {"name": "high"},
                       "value": 1000, "preemptionPolicy": "Never"});
    let (code, c) = call(
        &s,
        "POST",
        "/apis/scheduling.k8s.io/v1/priorityclasses",
        class,
    )
    .await;
    assert_eq!(code, StatusCode::CREATED, "{c}");
    let mut p = pod("prio");
    p["spec"]["priorityClassName"] = json!("high");
    let (code, created) = call(&s, "POST", "/api/v1/namespaces/default/pods", p).await;
    assert_eq!(code, StatusCode::CREATED, "{created}");
    assert_eq!(
        (
            created["spec"]["priority"].as_i64(),
            created["spec"]["preemptionPolicy"].as_str()
        ),
        (Some(1000), Some("Never"))
    );
    let (_, plain) = call(&s, "POST", "/api/v1/namespaces/default/pods", pod("plain")).await;
    assert_eq!(plain["spec"]["priority"], 0);
    let mut missing = pod("missing");
    missing["spec"]["priorityClassName"] = json!("nope");
    let (code, err) = call(&s, "POST", "/api/v1/namespaces/default/pods", missing).await;
    assert_eq!(code, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
    let mut forged = pod("forged");
    forged["spec"]["priority"] = json!(5);
    let (code, _) = call(&s, "POST", "/api/v1/namespaces/default/pods", forged).await;
    assert_eq!(code, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn deleting_a_namespace_deletes_its_contents() {
    let s = server().await;
    let (code, _) = call(
        &s,
        "POST",
        "/api/v1/namespaces",
        json!({"metadata": {"name": "team"}}),
    )
    .await;
    assert_eq!(code, StatusCode::CREATED);
    call(
        &s,
        "POST",
        "/api/v1/namespaces/team/configmaps",
        json!({"metadata": {"name": "c"}}),
    )
    .await;
    call(&s, "POST", "/api/v1/namespaces/team/pods", pod("p")).await;
    call(
        &s,
        "POST",
        "/api/v1/namespaces/default/configmaps",
        json!({"metadata": {"name": "keep"}}),
    )
    .await;
    let (code, _) = call(&s, "DELETE", "/api/v1/namespaces/team", Value::Null).await;
    assert_eq!(code, StatusCode::OK);
    let (_, pods) = call(&s, "GET", "/api/v1/namespaces/team/pods", Value::Null).await;
    let (_, cms) = call(&s, "GET", "/api/v1/configmaps", Value::Null).await;
    assert_eq!(pods["items"], json!([]));
    let names: Vec<&str> = cms["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|c| c["metadata"]["name"].as_str())
        .collect();
    assert_eq!(names, ["keep"]);
    let (code, _) = call(
        &s,
        "POST",
        "/api/v1/namespaces/team/configmaps",
        json!({"metadata": {"name": "late"}}),
    )
    .await;
    assert_eq!(code, StatusCode::NOT_FOUND);
}
