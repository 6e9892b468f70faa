//! Limits and observability: metrics, the watch limit, watch timeouts and bookmarks,
//! expired continue tokens.

// Helpers outside `#[test]` functions unwrap too: a panic is a test failure.
#![allow(clippy::unwrap_used)]

mod support;

use std::sync::Arc;

use api_server::{ApiServer, ensure_system_namespaces};
use http_body_util::BodyExt;
use hyper::StatusCode;
use serde_json::{Value, json};
use store::{InProcessClient, MemoryStore};
use support::{call, pod, request, server};

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
