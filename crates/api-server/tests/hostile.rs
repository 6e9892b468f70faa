//! Bad input never reaches a 5xx or a panic, and changes nothing; the admission chain
//! is extensible and requests time out.

// Helpers outside `#[test]` functions unwrap too: a panic is a test failure.
#![allow(clippy::unwrap_used)]

use std::sync::Arc;
use std::time::Duration;

use api_server::{Admission, AdmissionRequest, ApiServer, ensure_system_namespaces};
use async_trait::async_trait;
use bytes::Bytes;
use client::ClientError;
use core_types::DynamicObject;
use http_body_util::BodyExt;
use hyper::{Request, StatusCode};
use proptest::prelude::*;
use store::{InProcessClient, MemoryStore};

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

async fn server() -> ApiServer {
    let client = Arc::new(InProcessClient::new(Arc::new(MemoryStore::new())));
    ensure_system_namespaces(client.as_ref()).await.unwrap();
    let server = ApiServer::builder(client).build();
    // One object for updates, patches and deletes to aim at.
    let cm =
        r#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"target"},"data":{"a":"b"}}"#;
    let created = server
        .handle(req(
            "POST",
            "/api/v1/namespaces/default/configmaps",
            "application/json",
            cm.into(),
        ))
        .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    server
}

fn req(method: &str, path: &str, content_type: &str, body: Bytes) -> Request<Bytes> {
    Request::builder()
        .method(method)
        .uri(path)
        .header("content-type", content_type)
        .body(body)
        .unwrap()
}

async fn state(server: &ApiServer) -> Bytes {
    let r = server
        .handle(req("GET", "/api/v1/configmaps", "", Bytes::new()))
        .await;
    r.into_body().collect().await.unwrap().to_bytes()
}

fn body_strategy() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..64),
        // Protobuf envelopes with random insides.
        proptest::collection::vec(any::<u8>(), 0..64).prop_map(|b| [b"k8s\0".to_vec(), b].concat()),
        Just(b"{}".to_vec()),
        Just(b"null".to_vec()),
        Just(br#"{"metadata":{"name":"target","namespace":"other"}}"#.to_vec()),
        Just(br#"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"target"}}"#.to_vec()),
        Just(br#"{"metadata":{"name":"Bad_Name"}}"#.to_vec()),
        Just(br#"[{"op":"remove","path":"/metadata"}]"#.to_vec()),
        Just(br#"[{"op":"replace","path":"/metadata/name","value":"x"}]"#.to_vec()),
        Just(br#"{"metadata":{"labels":"notamap"}}"#.to_vec()),
        Just(br#"{"data":{"a":{"nested":1}}}"#.to_vec()),
        Just(br#"{"$patch":"delete"}"#.to_vec()),
        Just(br#"{"metadata":{"$patch":"replace"}}"#.to_vec()),
        Just(b"kind: [".to_vec()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn hostile_requests_get_4xx_and_change_nothing(
        method in prop_oneof![Just("PUT"), Just("PATCH"), Just("POST")],
        path in prop_oneof![
            Just("/api/v1/namespaces/default/configmaps/target"),
            Just("/api/v1/namespaces/default/configmaps"),
            Just("/api/v1/namespaces/default/configmaps/target/status"),
            Just("/api/v1/namespaces/default/configmaps/other"),
            Just("/api/v1/namespaces/default/configmaps/target/scale"),
            Just("/api/v1/namespaces/default/pods/target/binding"),
        ],
        content_type in prop_oneof![
            Just("application/json"),
            Just("application/yaml"),
            Just("application/merge-patch+json"),
            Just("application/json-patch+json"),
            Just("application/strategic-merge-patch+json"),
            Just("application/vnd.kubernetes.protobuf"),
            Just("application/apply-patch+yaml"),
            Just("text/plain"),
        ],
        body in body_strategy(),
    ) {
        runtime().block_on(async {
            let server = server().await;
            let before = state(&server).await;
            let response = server.handle(req(method, path, content_type, Bytes::from(body.clone()))).await;
            let status = response.status();
            let after = state(&server).await;
            if status.is_success() {
                // Only a well-formed write may succeed (e.g. a valid merge patch).
                return Ok(());
            }
            prop_assert!(status.is_client_error(), "{method} {path} {content_type} {:?}: {status}", String::from_utf8_lossy(&body));
            prop_assert_eq!(before, after);
            Ok(())
        })?;
    }

    #[test]
    fn arbitrary_paths_and_queries_never_fail_the_server(
        path in "/[a-z0-9/._%-]{0,60}",
        query in "[a-zA-Z0-9=&%+,!()._-]{0,60}",
    ) {
        runtime().block_on(async {
            let server = server().await;
            let uri = format!("{path}?{query}");
            let Ok(request) = Request::builder().uri(uri.as_str()).body(Bytes::new()) else { return Ok(()) };
            let status = server.handle(request).await.status();
            prop_assert!(!status.is_server_error() || status == StatusCode::SERVICE_UNAVAILABLE, "{uri}: {status}");
            Ok(())
        })?;
    }
}

/// A plugin that refuses ConfigMaps labelled `forbidden`, and one that stalls.
struct Refuse;

#[async_trait]
impl Admission for Refuse {
    fn name(&self) -> &str {
        "Refuse"
    }

    async fn admit(
        &self,
        request: &AdmissionRequest<'_>,
        object: &mut DynamicObject,
    ) -> Result<(), ClientError> {
        if object.metadata.labels.contains_key("forbidden") {
            return Err(ClientError::Forbidden {
                message: format!("{} may not be labelled forbidden", request.resource.plural),
                details: None,
            });
        }
        object
            .metadata
            .labels
            .insert("admitted".into(), "yes".into());
        Ok(())
    }
}

struct Stall;

#[async_trait]
impl Admission for Stall {
    fn name(&self) -> &str {
        "Stall"
    }

    async fn admit(
        &self,
        _: &AdmissionRequest<'_>,
        _: &mut DynamicObject,
    ) -> Result<(), ClientError> {
        tokio::time::sleep(Duration::from_secs(3600)).await;
        Ok(())
    }
}

#[tokio::test]
async fn embedders_extend_the_admission_chain() {
    let client = Arc::new(InProcessClient::new(Arc::new(MemoryStore::new())));
    ensure_system_namespaces(client.as_ref()).await.unwrap();
    let server = ApiServer::builder(client)
        .admission(Arc::new(Refuse))
        .build();
    let path = "/api/v1/namespaces/default/configmaps";
    let bad = r#"{"metadata":{"name":"a","labels":{"forbidden":"1"}}}"#;
    let r = server
        .handle(req("POST", path, "application/json", bad.into()))
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let good = r#"{"metadata":{"name":"a"}}"#;
    let r = server
        .handle(req("POST", path, "application/json", good.into()))
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let body = r.into_body().collect().await.unwrap().to_bytes();
    let object: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(object["metadata"]["labels"]["admitted"], "yes");
}

#[tokio::test(start_paused = true)]
async fn slow_requests_time_out_with_504() {
    let client = Arc::new(InProcessClient::new(Arc::new(MemoryStore::new())));
    ensure_system_namespaces(client.as_ref()).await.unwrap();
    let server = ApiServer::builder(client)
        .admission(Arc::new(Stall))
        .request_timeout(Duration::from_secs(5))
        .build();
    let r = server
        .handle(req(
            "POST",
            "/api/v1/namespaces/default/configmaps",
            "application/json",
            r#"{"metadata":{"name":"a"}}"#.into(),
        ))
        .await;
    assert_eq!(r.status(), StatusCode::GATEWAY_TIMEOUT);
}
