//! Helpers shared by the HTTP-level tests: a server over an in-memory store, and
//! requests with the test token.

#![allow(dead_code, clippy::unwrap_used)]

use std::sync::Arc;

use api_server::{ApiServer, ensure_system_namespaces};
use bytes::Bytes;
use http_body_util::BodyExt;
use hyper::{Request, StatusCode};
use serde_json::{Value, json};
use store::{InProcessClient, MemoryStore};

pub(crate) async fn server() -> ApiServer {
    let client = Arc::new(InProcessClient::new(Arc::new(MemoryStore::new())));
    ensure_system_namespaces(client.as_ref()).await.unwrap();
    ApiServer::builder(client).bearer_token("secret").build()
}

pub(crate) fn request(
    method: &str,
    path: &str,
    content_type: &str,
    body: impl Into<Bytes>,
) -> Request<Bytes> {
    Request::builder()
        .method(method)
        .uri(path)
        .header("authorization", "Bearer secret")
        .header("content-type", content_type)
        .body(body.into())
        .unwrap()
}

pub(crate) async fn call(
    server: &ApiServer,
    method: &str,
    path: &str,
    body: Value,
) -> (StatusCode, Value) {
    let bytes = if body.is_null() {
        Bytes::new()
    } else {
        Bytes::from(body.to_string())
    };
    call_raw(server, request(method, path, "application/json", bytes)).await
}

pub(crate) async fn call_raw(server: &ApiServer, request: Request<Bytes>) -> (StatusCode, Value) {
    let response = server.handle(request).await;
    let status = response.status();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    let value = serde_json::from_slice(&bytes)
        .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into()));
    (status, value)
}

pub(crate) fn pod(name: &str) -> Value {
    json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "labels": {"app": "web"}},
           "spec": {"containers": [{"name": "app", "image": "nginx"}]}})
}
