//! The server's HTTP behaviour, request by request, over an in-memory store.

// Helpers outside `#[test]` functions unwrap too: a panic is a test failure.
#![allow(clippy::unwrap_used)]

mod support;

use bytes::Bytes;
use futures::StreamExt;
use http_body_util::BodyExt;
use hyper::{Request, StatusCode};
use serde_json::{Value, json};
use support::{call, call_raw, pod, request, server};

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
        // An apply patch needs a fieldManager.
        (
            "PATCH",
            "/api/v1/namespaces/default/pods/x",
            "application/apply-patch+yaml",
            "{}",
            400,
        ),
        (
            "PATCH",
            "/api/v1/namespaces/default/pods/x",
            "text/plain",
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
