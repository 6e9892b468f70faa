//! Retries and failures, against a scripted local server (plain HTTP) under paused
//! tokio time: 429/503 then success, `Retry-After`, which writes are repeated, a
//! closed port, and bad kubeconfigs.

// Helpers outside `#[test]` functions unwrap too: a panic there is a test failure.
#![allow(clippy::unwrap_used)]

mod support;

use std::time::Duration;

use client::{Client, ClientError, ListParams, PostParams};
use core_types::StaticResource;
use core_types::core_v1::ConfigMap;
use http_client::{Config, ConfigError, HttpClient, RetryPolicy};
use support::fake::{self, Reply, answer, status};
use tokio::time::Instant;

const NS: Option<&str> = Some("default");
const CM: &str = r#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c","namespace":"default","resourceVersion":"5"}}"#;

/// A client for `url`: no timeouts (paused time would fire them while the test
/// server works), `attempts` tries, 100 ms doubling to 1 s.
fn http(url: &str, attempts: u32) -> HttpClient {
    let config = Config::new(url)
        .unwrap()
        .bearer_token("t0ken")
        .connect_timeout(None)
        .request_timeout(None)
        .retry(
            RetryPolicy::default()
                .attempts(attempts)
                .delays(Duration::from_millis(100), Duration::from_secs(5)),
        );
    HttpClient::new(config).unwrap()
}

#[tokio::test(start_paused = true)]
async fn reads_retry_503_and_429_with_backoff_then_succeed() {
    let server = fake::start(|n, _| match n {
        0 => status(503, "ServiceUnavailable", None),
        1 => status(429, "TooManyRequests", None),
        _ => answer(200, None, CM),
    })
    .await;
    let client = http(&server.url, 5);
    let started = Instant::now();
    let cm = client.get(ConfigMap::resource(), NS, "c").await.unwrap();
    assert_eq!(cm.metadata.resource_version, "5");
    let seen = server.seen();
    assert_eq!(seen.len(), 3);
    assert!(
        seen.iter()
            .all(|s| s.authorization.as_deref() == Some("Bearer t0ken"))
    );
    assert_eq!(seen[0].target, "/api/v1/namespaces/default/configmaps/c");
    // Jittered backoff: 50..100 ms, then 100..200 ms.
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_millis(150) && waited <= Duration::from_millis(300),
        "{waited:?}"
    );
    let stats = client.stats();
    assert_eq!((stats.requests, stats.retries), (3, 2));
}

#[tokio::test(start_paused = true)]
async fn retry_after_is_honoured() {
    let server = fake::start(|n, _| match n {
        0 => status(429, "TooManyRequests", Some(3)),
        _ => answer(
            200,
            None,
            r#"{"metadata":{"resourceVersion":"9"},"items":[]}"#,
        ),
    })
    .await;
    let client = http(&server.url, 3);
    let list = client
        .list(ConfigMap::resource(), NS, &ListParams::default().limit(2))
        .await
        .unwrap();
    assert_eq!(list.resource_version(), "9");
    let seen = server.seen();
    assert_eq!(seen.len(), 2);
    assert_eq!(
        seen[1].target,
        "/api/v1/namespaces/default/configmaps?limit=2"
    );
    let gap = seen[1].at - seen[0].at;
    assert!(
        gap >= Duration::from_secs(3) && gap < Duration::from_secs(4),
        "{gap:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn attempts_are_bounded_and_the_last_error_is_returned() {
    let server = fake::start(|_, _| status(503, "ServiceUnavailable", None)).await;
    let client = http(&server.url, 4);
    let e = client
        .get(ConfigMap::resource(), NS, "c")
        .await
        .unwrap_err();
    assert!(matches!(e, ClientError::Unavailable { .. }), "{e:?}");
    assert_eq!(server.seen().len(), 4);
}

#[tokio::test(start_paused = true)]
async fn writes_are_repeated_only_when_they_surely_did_not_happen() {
    // 503 to a create: it may have happened; not repeated.
    let server = fake::start(|_, _| status(503, "ServiceUnavailable", None)).await;
    let client = http(&server.url, 5);
    let cm = support::config_map("c", &[]);
    let e = client
        .create(
            ConfigMap::resource(),
            NS,
            cm.clone(),
            &PostParams::default(),
        )
        .await
        .unwrap_err();
    assert!(matches!(e, ClientError::Unavailable { .. }), "{e:?}");
    assert_eq!(server.seen().len(), 1);

    // 429: refused before handling; repeated.
    let server = fake::start(|n, _| match n {
        0 => status(429, "TooManyRequests", Some(1)),
        _ => answer(201, None, CM),
    })
    .await;
    let client = http(&server.url, 5);
    client
        .create(
            ConfigMap::resource(),
            NS,
            cm.clone(),
            &PostParams::default(),
        )
        .await
        .unwrap();
    let seen = server.seen();
    assert_eq!(seen.len(), 2);
    assert_eq!(seen[0].method, "POST");
    assert_eq!(seen[0].body, seen[1].body);

    // The connection breaks after the request was sent: a read is repeated, a write
    // is not.
    let server = fake::start(|n, seen| match (n, seen.method.as_str()) {
        (0, _) | (_, "POST") => Reply::Drop,
        _ => answer(200, None, CM),
    })
    .await;
    let client = http(&server.url, 5);
    client.get(ConfigMap::resource(), NS, "c").await.unwrap();
    assert_eq!(server.seen().len(), 2);
    let e = client
        .create(ConfigMap::resource(), NS, cm, &PostParams::default())
        .await
        .unwrap_err();
    assert!(matches!(e, ClientError::Unavailable { .. }), "{e:?}");
    assert!(e.to_string().contains("connection failed"), "{e}");
    assert_eq!(server.seen().len(), 3);
}

#[tokio::test(start_paused = true)]
async fn a_closed_port_errors_clearly_after_bounded_attempts() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("https://{}", listener.local_addr().unwrap());
    drop(listener);
    let client = http(&url, 4);
    let started = Instant::now();
    // A write too: connecting failed, so it is retried like a read.
    let e = client
        .create(
            ConfigMap::resource(),
            NS,
            support::config_map("c", &[]),
            &PostParams::default(),
        )
        .await
        .unwrap_err();
    let message = e.to_string();
    assert!(matches!(e, ClientError::Unavailable { .. }), "{e:?}");
    assert!(
        message.contains("cannot connect") && message.contains("4 attempts"),
        "{message}"
    );
    assert!(message.contains(&url), "{message}");
    assert_eq!(client.stats().requests, 4);
    // Three backoffs: 50..100 + 100..200 + 200..400 ms.
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_millis(350) && waited <= Duration::from_millis(700),
        "{waited:?}"
    );
}

#[tokio::test]
async fn zero_delays_retry_at_once() {
    let server = fake::start(|n, _| match n {
        0..=2 => status(500, "InternalError", None),
        _ => answer(200, None, CM),
    })
    .await;
    let config = Config::new(&server.url).unwrap().retry(
        RetryPolicy::default()
            .attempts(4)
            .delays(Duration::ZERO, Duration::ZERO),
    );
    let client = HttpClient::new(config).unwrap();
    client.get(ConfigMap::resource(), NS, "c").await.unwrap();
    assert_eq!(client.stats().retries, 3);
}

#[test]
fn bad_kubeconfigs_are_typed_errors() {
    let dir = tempfile::tempdir().unwrap();
    // Missing file.
    let missing = HttpClient::from_kubeconfig(dir.path().join("nope")).unwrap_err();
    assert!(matches!(missing, ConfigError::Io { .. }), "{missing}");
    // Bad CA.
    let write = |name: &str, cluster: &str| {
        let path = dir.path().join(name);
        let text = format!(
            "clusters:\n- name: c\n  cluster:\n{cluster}users:\n- name: u\n  user:\n    token: t\ncontexts:\n- name: x\n  context:\n    cluster: c\n    user: u\ncurrent-context: x\n"
        );
        std::fs::write(&path, text).unwrap();
        path
    };
    let bad_ca = write(
        "bad-ca",
        "    server: https://127.0.0.1:6443\n    certificate-authority-data: bm90IGEgY2VydA==\n",
    );
    let e = HttpClient::from_kubeconfig(&bad_ca).unwrap_err();
    assert!(matches!(e, ConfigError::Certificate { .. }), "{e}");
    let no_ca_file = write(
        "no-ca-file",
        "    server: https://127.0.0.1:6443\n    certificate-authority: /nonexistent/ca.crt\n",
    );
    let e = HttpClient::from_kubeconfig(&no_ca_file).unwrap_err();
    assert!(matches!(e, ConfigError::Io { .. }), "{e}");
    // Missing server.
    let no_server = write("no-server", "    insecure-skip-tls-verify: true\n");
    let e = HttpClient::from_kubeconfig(&no_server).unwrap_err();
    assert!(matches!(e, ConfigError::MissingServer(_)), "{e}");
    assert_eq!(e.to_string(), "cluster \"c\" has no server");
    // Not YAML at all.
    let garbage = dir.path().join("garbage");
    std::fs::write(&garbage, "\u{0}\u{1}: [").unwrap();
    let e = HttpClient::from_kubeconfig(&garbage).unwrap_err();
    assert!(matches!(e, ConfigError::Yaml(_)), "{e}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_untrusted_server_certificate_fails_at_once() {
    let cluster = support::Cluster::start().await;
    // Trust some other CA: the handshake fails; retrying would not help.
    let key = rcgen::KeyPair::generate().unwrap();
    let mut params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
    params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    let other_ca = params.self_signed(&key).unwrap().pem();
    let config = cluster
        .config()
        .certificate_authority_pem(other_ca)
        .unwrap();
    let client = HttpClient::new(config).unwrap();
    let e = client
        .get(ConfigMap::resource(), NS, "c")
        .await
        .unwrap_err();
    assert!(e.to_string().contains("TLS handshake failed"), "{e}");
    assert_eq!(client.stats().requests, 1);
    // The right token over an unverified connection works; a wrong token is 401.
    let insecure = cluster.config().insecure_skip_tls_verify();
    let client = HttpClient::new(insecure).unwrap();
    let e = client
        .get(ConfigMap::resource(), NS, "c")
        .await
        .unwrap_err();
    assert!(e.is_not_found(), "{e:?}");
    let wrong = cluster.config().bearer_token("wrong");
    let e = HttpClient::new(wrong)
        .unwrap()
        .get(ConfigMap::resource(), NS, "c")
        .await
        .unwrap_err();
    assert!(matches!(e, ClientError::Unauthorized { .. }), "{e:?}");
}
