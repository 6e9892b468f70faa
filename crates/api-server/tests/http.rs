//! The server's HTTP behaviour, request by request, over an in-memory store.

// Helpers outside `#[test]` functions unwrap too: a panic is a test failure.
#![allow(clippy::unwrap_used)]

use std::sync::Arc;

use api_server::{ApiServer, ensure_system_namespaces};
use bytes::Bytes;
use futures::StreamExt;
use http_body_util::BodyExt;
use hyper::{Request, StatusCode};
use serde_json::{Value, json};
use store::{InProcessClient, MemoryStore};

async fn server() -> ApiServer {
    let client = Arc::new(InProcessClient::new(Arc::new(MemoryStore::new())));
    ensure_system_namespaces(client.as_ref()).await.unwrap();
    ApiServer::builder(client).bearer_token("secret").build()
}

fn request(method: &str, path: &str, content_type: &str, body: impl Into<Bytes>) -> Request<Bytes> {
    Request::builder()
        .method(method)
        .uri(path)
        .header("authorization", "Bearer secret")
        .header("content-type", content_type)
        .body(body.into())
        .unwrap()
}

async fn call(server: &ApiServer, method: &str, path: &str, body: Value) -> (StatusCode, Value) {
    let bytes = if body.is_null() {
        Bytes::new()
    } else {
        Bytes::from(body.to_string())
    };
    call_raw(server, request(method, path, "application/json", bytes)).await
}

async fn call_raw(server: &ApiServer, request: Request<Bytes>) -> (StatusCode, Value) {
    let response = server.handle(request).await;
    let status = response.status();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    let value = serde_json::from_slice(&bytes)
        .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into()));
    (status, value)
}

fn pod(name: &str) -> Value {
    json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "labels": {"app": "web"}},
           "spec": {"containers": [{"name": "app", "image": "nginx"}]}})
}

#[tokio::test]
async fn crud_of_a_pod_with_statuses() {
    let s = server().await;
    let (code, created) = call(&s, "POST", "/api/v1/namespaces/default/pods", pod("web")).await;
    assert_eq!(code, StatusCode::CREATED, "{created}");
    assert_eq!(created["spec"]["restartPolicy"], "Always", "defaulted");
    assert_eq!(created["metadata"]["namespace"], "default");

    let (code, again) = call(&s, "POST", "/api/v1/namespaces/default/pods", pod("web")).await;
    assert_eq!(
        (code, again["reason"].as_str()),
        (StatusCode::CONFLICT, Some("AlreadyExists"))
    );

    let (code, got) = call(
        &s,
        "GET",
        "/api/v1/namespaces/default/pods/web",
        Value::Null,
    )
    .await;
    assert_eq!(code, StatusCode::OK);
    assert_eq!(got["metadata"]["uid"], created["metadata"]["uid"]);

    let (code, list) = call(
        &s,
        "GET",
        "/api/v1/pods?labelSelector=app%3Dweb",
        Value::Null,
    )
    .await;
    assert_eq!(code, StatusCode::OK);
    assert_eq!(
        (
            list["kind"].as_str(),
            list["items"].as_array().map(Vec::len)
        ),
        (Some("PodList"), Some(1))
    );

    let mut stale = got.clone();
    stale["metadata"]["resourceVersion"] = json!("1");
    stale["metadata"]["labels"]["x"] = json!("y");
    let (code, conflict) = call(&s, "PUT", "/api/v1/namespaces/default/pods/web", stale).await;
    assert_eq!(
        (code, conflict["reason"].as_str()),
        (StatusCode::CONFLICT, Some("Conflict"))
    );

    let (code, status) = call(&s, "PUT", "/api/v1/namespaces/default/pods/web/status",
        json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web"}, "spec": got["spec"], "status": {"phase": "Running"}})).await;
    assert_eq!(code, StatusCode::OK, "{status}");
    assert_eq!(status["status"]["phase"], "Running");

    let (code, bound) = call(&s, "POST", "/api/v1/namespaces/default/pods/web/binding",
        json!({"apiVersion": "v1", "kind": "Binding", "metadata": {"name": "web"}, "target": {"kind": "Node", "name": "n1"}})).await;
    assert_eq!(code, StatusCode::CREATED, "{bound}");
    let (_, got) = call(
        &s,
        "GET",
        "/api/v1/namespaces/default/pods/web",
        Value::Null,
    )
    .await;
    assert_eq!(got["spec"]["nodeName"], "n1");

    let (code, log) = call(
        &s,
        "GET",
        "/api/v1/namespaces/default/pods/web/log",
        Value::Null,
    )
    .await;
    assert_eq!(code, StatusCode::SERVICE_UNAVAILABLE, "{log}");

    let (code, _) = call(
        &s,
        "DELETE",
        "/api/v1/namespaces/default/pods/web",
        json!({"preconditions": {"uid": "other"}}),
    )
    .await;
    assert_eq!(code, StatusCode::CONFLICT);
    let (code, _) = call(
        &s,
        "DELETE",
        "/api/v1/namespaces/default/pods/web",
        json!({"propagationPolicy": "Background"}),
    )
    .await;
    assert_eq!(code, StatusCode::OK);
    let (code, gone) = call(
        &s,
        "GET",
        "/api/v1/namespaces/default/pods/web",
        Value::Null,
    )
    .await;
    assert_eq!(
        (code, gone["reason"].as_str()),
        (StatusCode::NOT_FOUND, Some("NotFound"))
    );
}

#[tokio::test]
async fn bad_requests_are_4xx_statuses_and_change_nothing() {
    let s = server().await;
    let valid_pod = pod("x").to_string();
    let cases: Vec<(&str, &str, &str, &str, u16)> = vec![
        (
            "POST",
            "/api/v1/namespaces/default/pods",
            "application/json",
            "{not json",
            400,
        ),
        (
            "POST",
            "/api/v1/namespaces/default/pods",
            "application/json",
            "[1,2]",
            400,
        ),
        (
            "POST",
            "/api/v1/namespaces/default/pods",
            "application/json",
            r#"{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"x"}}"#,
            400,
        ),
        (
            "POST",
            "/api/v1/namespaces/default/pods",
            "application/json",
            r#"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"x","namespace":"other"}}"#,
            400,
        ),
        (
            "POST",
            "/api/v1/namespaces/default/pods",
            "application/json",
            r#"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"x"},"spec":{"containers":[]}}"#,
            422,
        ),
        (
            "POST",
            "/api/v1/namespaces/missing/pods",
            "application/json",
            &valid_pod,
            404,
        ),
        (
            "POST",
            "/api/v1/namespaces/default/pods",
            "application/yaml",
            "kind: [",
            400,
        ),
        (
            "POST",
            "/api/v1/namespaces/default/pods",
            "application/vnd.kubernetes.protobuf",
            "x",
            400,
        ),
        (
            "PATCH",
            "/api/v1/namespaces/default/pods/x",
            "application/apply-patch+yaml",
            "{}",
            415,
        ),
        (
            "GET",
            "/api/v1/pods?labelSelector=a%20in",
            "application/json",
            "",
            400,
        ),
        ("GET", "/api/v1/pods?limit=-1", "application/json", "", 400),
        ("GET", "/api/v1/pods/x", "application/json", "", 404),
        (
            "GET",
            "/apis/nothing/v1/things",
            "application/json",
            "",
            404,
        ),
        (
            "PUT",
            "/api/v1/namespaces/default/pods",
            "application/json",
            "{}",
            405,
        ),
        (
            "DELETE",
            "/api/v1/namespaces/default/pods/x",
            "application/json",
            "{bad",
            400,
        ),
    ];
    for (method, path, content_type, body, code) in cases {
        let (status, answer) =
            call_raw(&s, request(method, path, content_type, body.to_owned())).await;
        assert_eq!(status.as_u16(), code, "{method} {path} {body}: {answer}");
        assert_eq!(answer["kind"], "Status", "{answer}");
        assert_eq!(answer["code"], code);
    }
    let (_, invalid) = call_raw(
        &s,
        request(
            "POST",
            "/api/v1/namespaces/default/pods",
            "application/json",
            r#"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"x"},"spec":{"containers":[]}}"#,
        ),
    )
    .await;
    assert_eq!(
        invalid["details"]["causes"][0]["field"], "spec.containers",
        "{invalid}"
    );
    let (_, list) = call(&s, "GET", "/api/v1/pods", Value::Null).await;
    assert_eq!(list["items"], json!([]));
}

#[tokio::test]
async fn authentication_and_open_health_checks() {
    let s = server().await;
    let anonymous = |path: &str| Request::builder().uri(path).body(Bytes::new()).unwrap();
    let (code, status) = call_raw(&s, anonymous("/api/v1/pods")).await;
    assert_eq!(
        (code, status["reason"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("Unauthorized"))
    );
    let (code, _) = call_raw(&s, anonymous("/nothing")).await;
    assert_eq!(
        code,
        StatusCode::UNAUTHORIZED,
        "no probing of paths without credentials"
    );
    for path in ["/healthz", "/readyz", "/livez"] {
        assert_eq!(call_raw(&s, anonymous(path)).await.0, StatusCode::OK);
    }
}

#[tokio::test]
async fn patches_of_every_type_and_scale() {
    let s = server().await;
    let deployment = json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d"},
        "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "d"}},
                 "template": {"metadata": {"labels": {"app": "d"}},
                              "spec": {"containers": [{"name": "a", "image": "x:1"}, {"name": "b", "image": "y:1"}]}}}});
    let (code, _) = call(
        &s,
        "POST",
        "/apis/apps/v1/namespaces/default/deployments",
        deployment,
    )
    .await;
    assert_eq!(code, StatusCode::CREATED);
    let path = "/apis/apps/v1/namespaces/default/deployments/d";
    let patch = |ct: &'static str, body: Value| request("PATCH", path, ct, body.to_string());

    let (code, d) = call_raw(&s, patch("application/strategic-merge-patch+json",
        json!({"spec": {"template": {"spec": {"containers": [{"name": "b", "image": "y:2"}]}}}}))).await;
    assert_eq!(code, StatusCode::OK, "{d}");
    let containers = &d["spec"]["template"]["spec"]["containers"];
    assert_eq!(
        (
            containers[0]["image"].as_str(),
            containers[1]["image"].as_str()
        ),
        (Some("x:1"), Some("y:2"))
    );

    let (_, d) = call_raw(
        &s,
        patch(
            "application/merge-patch+json",
            json!({"metadata": {"labels": {"k": "v"}}}),
        ),
    )
    .await;
    assert_eq!(d["metadata"]["labels"]["k"], "v");
    let (_, d) = call_raw(
        &s,
        patch(
            "application/json-patch+json",
            json!([{"op": "replace", "path": "/spec/replicas", "value": 4}]),
        ),
    )
    .await;
    assert_eq!(d["spec"]["replicas"], 4);
    let (code, _) = call_raw(
        &s,
        patch(
            "application/json-patch+json",
            json!([{"op": "test", "path": "/spec/replicas", "value": 9}]),
        ),
    )
    .await;
    assert_eq!(code, StatusCode::UNPROCESSABLE_ENTITY);
    let (code, _) = call_raw(
        &s,
        patch(
            "application/merge-patch+json",
            json!({"metadata": {"name": "other"}}),
        ),
    )
    .await;
    assert_eq!(code, StatusCode::BAD_REQUEST);
    let (code, invalid) = call_raw(
        &s,
        patch(
            "application/merge-patch+json",
            json!({"spec": {"replicas": -1}}),
        ),
    )
    .await;
    assert_eq!(code, StatusCode::UNPROCESSABLE_ENTITY, "{invalid}");

    let (code, scale) = call(&s, "GET", &format!("{path}/scale"), Value::Null).await;
    assert_eq!(code, StatusCode::OK);
    assert_eq!(
        (scale["kind"].as_str(), scale["spec"]["replicas"].as_i64()),
        (Some("Scale"), Some(4))
    );
    assert_eq!(scale["status"]["selector"], "app=d");
    let (code, scale) = call_raw(
        &s,
        request(
            "PATCH",
            &format!("{path}/scale"),
            "application/merge-patch+json",
            json!({"spec": {"replicas": 7}}).to_string(),
        ),
    )
    .await;
    assert_eq!(
        (code, scale["spec"]["replicas"].as_i64()),
        (StatusCode::OK, Some(7))
    );
    let (code, _) = call(
        &s,
        "PUT",
        &format!("{path}/scale"),
        json!({"spec": {"replicas": 1}}),
    )
    .await;
    assert_eq!(code, StatusCode::OK);
    let (_, d) = call(&s, "GET", path, Value::Null).await;
    assert_eq!(d["spec"]["replicas"], 1);
}

#[tokio::test]
async fn list_pages_delete_collection_and_watch() {
    let s = server().await;
    for i in 0..5 {
        let (code, _) = call(&s, "POST", "/api/v1/namespaces/default/configmaps",
            json!({"metadata": {"name": format!("cm-{i}"), "labels": {"n": i.to_string()}}, "data": {"k": "v"}})).await;
        assert_eq!(code, StatusCode::CREATED);
    }
    let (_, page) = call(
        &s,
        "GET",
        "/api/v1/namespaces/default/configmaps?limit=2",
        Value::Null,
    )
    .await;
    assert_eq!(page["items"].as_array().map(Vec::len), Some(2));
    let token = page["metadata"]["continue"].as_str().unwrap().to_owned();
    let (_, next) = call(
        &s,
        "GET",
        &format!("/api/v1/namespaces/default/configmaps?limit=10&continue={token}"),
        Value::Null,
    )
    .await;
    assert_eq!(next["items"].as_array().map(Vec::len), Some(3));
    let (code, _) = call(
        &s,
        "GET",
        "/api/v1/namespaces/default/configmaps?limit=1&continue=garbage",
        Value::Null,
    )
    .await;
    assert!(code.is_client_error(), "{code}");

    let rv = page["metadata"]["resourceVersion"]
        .as_str()
        .unwrap()
        .to_owned();
    let response = s.handle(request("GET", &format!("/api/v1/namespaces/default/configmaps?watch=true&resourceVersion={rv}&timeoutSeconds=5"), "", "")).await;
    assert_eq!(response.status(), StatusCode::OK);
    let mut body = response.into_body().into_data_stream();

    let (code, deleted) = call(
        &s,
        "DELETE",
        "/api/v1/namespaces/default/configmaps?labelSelector=n%20in%20(0,1)",
        Value::Null,
    )
    .await;
    assert_eq!(code, StatusCode::OK);
    assert_eq!(deleted["items"].as_array().map(Vec::len), Some(2));

    let mut events = Vec::new();
    let mut buffer = Vec::new();
    while events.len() < 2 {
        let chunk = body.next().await.unwrap().unwrap();
        buffer.extend_from_slice(&chunk);
        while let Some(end) = buffer.iter().position(|b| *b == b'\n') {
            let line: Vec<u8> = buffer.drain(..=end).collect();
            let event: Value = serde_json::from_slice(&line).unwrap();
            events.push((
                event["type"].as_str().unwrap().to_owned(),
                event["object"]["metadata"]["name"]
                    .as_str()
                    .unwrap()
                    .to_owned(),
            ));
        }
    }
    assert_eq!(
        events,
        vec![
            ("DELETED".to_owned(), "cm-0".to_owned()),
            ("DELETED".to_owned(), "cm-1".to_owned())
        ]
    );
}

#[tokio::test]
async fn discovery_documents() {
    let s = server().await;
    let (_, v1) = call(&s, "GET", "/api/v1", Value::Null).await;
    let resources = v1["resources"].as_array().unwrap();
    let pods = resources.iter().find(|r| r["name"] == "pods").unwrap();
    assert_eq!(pods["shortNames"], json!(["po"]));
    assert_eq!(pods["namespaced"], true);
    assert!(resources.iter().any(|r| r["name"] == "pods/status"));
    let (_, apps) = call(&s, "GET", "/apis/apps/v1", Value::Null).await;
    let scale = apps["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "deployments/scale")
        .unwrap();
    assert_eq!(
        (scale["group"].as_str(), scale["kind"].as_str()),
        (Some("autoscaling"), Some("Scale"))
    );
    let (_, groups) = call(&s, "GET", "/apis", Value::Null).await;
    let names: Vec<&str> = groups["groups"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|g| g["name"].as_str())
        .collect();
    for g in [
        "apps",
        "batch",
        "networking.k8s.io",
        "rbac.authorization.k8s.io",
        "policy",
    ] {
        assert!(names.contains(&g), "{names:?}");
    }
    let (_, version) = call(&s, "GET", "/version", Value::Null).await;
    assert_eq!(version["gitVersion"], api_server::GIT_VERSION);
}

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
async fn metrics_count_requests_latency_and_watches() {
    let s = server().await;
    let metrics = |s: ApiServer| async move {
        let response = s.handle(request("GET", "/metrics", "", "")).await;
        assert_eq!(response.status(), StatusCode::OK);
        String::from_utf8(
            response
                .into_body()
                .collect()
                .await
                .unwrap()
                .to_bytes()
                .to_vec(),
        )
        .unwrap()
    };
    call(&s, "POST", "/api/v1/namespaces/default/pods", pod("a")).await;
    call(
        &s,
        "GET",
        "/api/v1/namespaces/default/pods/missing",
        Value::Null,
    )
    .await;
    call(&s, "GET", "/api/v1/pods", Value::Null).await;
    let watch = s
        .handle(request("GET", "/api/v1/pods?watch=1", "", ""))
        .await;
    let text = metrics(s.clone()).await;
    for line in [
        "apiserver_request_total{verb=\"POST\",resource=\"pods\",code=\"201\"} 1",
        "apiserver_request_total{verb=\"GET\",resource=\"pods\",code=\"404\"} 1",
        "apiserver_request_total{verb=\"WATCH\",resource=\"pods\",code=\"200\"} 1",
        "apiserver_request_duration_seconds_count{verb=\"LIST\",resource=\"pods\"} 1",
        "apiserver_watches 1",
    ] {
        assert!(text.lines().any(|l| l == line), "{line} missing in\n{text}");
    }
    drop(watch);
    assert!(
        metrics(s.clone())
            .await
            .lines()
            .any(|l| l == "apiserver_watches 0")
    );
}

#[tokio::test]
async fn watches_are_limited() {
    let client = Arc::new(InProcessClient::new(Arc::new(MemoryStore::new())));
    let s = ApiServer::builder(client).max_watches(2).build();
    let first = s
        .handle(request("GET", "/api/v1/pods?watch=true", "", ""))
        .await;
    let second = s
        .handle(request("GET", "/api/v1/configmaps?watch=true", "", ""))
        .await;
    assert_eq!(
        (first.status(), second.status()),
        (StatusCode::OK, StatusCode::OK)
    );
    let third = s
        .handle(request("GET", "/api/v1/pods?watch=true", "", ""))
        .await;
    assert_eq!(third.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(third.headers()["retry-after"], "1");
    drop(first);
    let again = s
        .handle(request("GET", "/api/v1/pods?watch=true", "", ""))
        .await;
    assert_eq!(again.status(), StatusCode::OK);
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

#[tokio::test(start_paused = true)]
async fn watches_send_bookmarks_and_end_at_their_timeout() {
    let s = server().await;
    let response = s
        .handle(request(
            "GET",
            "/api/v1/namespaces/default/pods?watch=true&allowWatchBookmarks=true&timeoutSeconds=3",
            "",
            "",
        ))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    // The body ends by itself after the timeout (paused time advances when idle).
    let body = response.into_body().collect().await.unwrap().to_bytes();
    let types: Vec<String> = body
        .split(|b| *b == b'\n')
        .filter(|l| !l.is_empty())
        .map(|l| {
            serde_json::from_slice::<Value>(l).unwrap()["type"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert!(types.iter().any(|t| t == "BOOKMARK"), "{types:?}");
}

#[tokio::test]
async fn an_expired_continue_token_is_410() {
    let kv = MemoryStore::with_options(store::StoreOptions::default().retain_revisions(Some(1)));
    let client = Arc::new(InProcessClient::new(Arc::new(kv)));
    ensure_system_namespaces(client.as_ref()).await.unwrap();
    let s = ApiServer::builder(client).bearer_token("secret").build();
    for i in 0..3 {
        call(
            &s,
            "POST",
            "/api/v1/namespaces/default/configmaps",
            json!({"metadata": {"name": format!("c{i}")}}),
        )
        .await;
    }
    let (_, page) = call(
        &s,
        "GET",
        "/api/v1/namespaces/default/configmaps?limit=1",
        Value::Null,
    )
    .await;
    let token = page["metadata"]["continue"].as_str().unwrap().to_owned();
    for i in 3..6 {
        call(
            &s,
            "POST",
            "/api/v1/namespaces/default/configmaps",
            json!({"metadata": {"name": format!("c{i}")}}),
        )
        .await;
    }
    let (code, status) = call(
        &s,
        "GET",
        &format!("/api/v1/namespaces/default/configmaps?limit=1&continue={token}"),
        Value::Null,
    )
    .await;
    assert_eq!(
        (code, status["reason"].as_str()),
        (StatusCode::GONE, Some("Expired")),
        "{status}"
    );
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
