//! The watch protocol against a scripted server: the resume point comes from events
//! and bookmarks, `410` (as an answer or as an `ERROR` event) surfaces as `Gone`, a
//! watch that breaks during its initial state is `Gone`, and a watch ends at its
//! own timeout.

// Helpers outside `#[test]` functions unwrap too: a panic there is a test failure.
#![allow(clippy::unwrap_used)]

mod support;

use std::time::Duration;

use client::{Client, ClientError, WatchEvent, WatchParams};
use core_types::StaticResource;
use core_types::core_v1::ConfigMap;
use futures::StreamExt as _;
use http_client::{Config, HttpClient, RetryPolicy};
use serde_json::json;
use support::fake::{self, bookmark, event, status, watch_lines};

const NS: Option<&str> = Some("default");

fn http(url: &str) -> HttpClient {
    let config = Config::new(url)
        .unwrap()
        .connect_timeout(None)
        .request_timeout(None)
        .retry(
            RetryPolicy::default()
                .attempts(3)
                .delays(Duration::ZERO, Duration::ZERO),
        );
    HttpClient::new(config).unwrap()
}

fn query_of(target: &str) -> Vec<(String, String)> {
    target
        .split_once('?')
        .map(|(_, q)| q)
        .unwrap_or("")
        .split('&')
        .filter_map(|kv| kv.split_once('='))
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect()
}

fn param(target: &str, key: &str) -> Option<String> {
    query_of(target)
        .into_iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v)
}

async fn items(
    stream: client::WatchStream,
) -> Vec<Result<WatchEvent<core_types::DynamicObject>, ClientError>> {
    stream.collect().await
}

#[tokio::test(start_paused = true)]
async fn resumes_from_the_last_bookmark_and_surfaces_an_error_event_410_as_gone() {
    let server = fake::start(|n, _| match n {
        0 => watch_lines(vec![event("ADDED", "a", "5"), bookmark("7")], false),
        1 => watch_lines(vec![event("MODIFIED", "a", "8")], false),
        _ => watch_lines(
            vec![
                json!({"type": "ERROR", "object": {"kind": "Status", "apiVersion": "v1",
                "status": "Failure", "reason": "Expired", "code": 410,
                "message": "too old resource version: 8 (20)"}}),
            ],
            true,
        ),
    })
    .await;
    let client = http(&server.url);
    let stream = client
        .watch(
            ConfigMap::resource(),
            NS,
            &WatchParams::default().resource_version("3"),
        )
        .await
        .unwrap();
    let got = items(stream).await;
    assert_eq!(got.len(), 3, "{got:?}");
    assert!(matches!(&got[0], Ok(WatchEvent::Added(o)) if o.metadata.name == "a"));
    assert!(matches!(&got[1], Ok(WatchEvent::Modified(o)) if o.metadata.resource_version == "8"));
    match &got[2] {
        Err(e) => assert!(e.is_gone() && e.to_string().contains("too old"), "{e:?}"),
        other => panic!("{other:?}"),
    }
    let seen = server.seen();
    assert_eq!(seen.len(), 3);
    assert_eq!(
        param(&seen[0].target, "resourceVersion").as_deref(),
        Some("3")
    );
    // The bookmark (not passed on: not asked for) moved the resume point.
    assert_eq!(
        param(&seen[1].target, "resourceVersion").as_deref(),
        Some("7")
    );
    assert_eq!(
        param(&seen[2].target, "resourceVersion").as_deref(),
        Some("8")
    );
    assert!(
        seen.iter()
            .all(|s| param(&s.target, "watch").as_deref() == Some("true"))
    );
    assert!(
        seen.iter()
            .all(|s| param(&s.target, "allowWatchBookmarks").as_deref() == Some("true"))
    );
    assert_eq!(client.stats().watch_resumes, 2);
}

#[tokio::test(start_paused = true)]
async fn a_410_answer_on_resume_or_at_the_start_is_gone() {
    let server = fake::start(|n, _| match n {
        0 => watch_lines(vec![event("ADDED", "a", "5")], false),
        _ => status(410, "Expired", None),
    })
    .await;
    let client = http(&server.url);
    let stream = client
        .watch(
            ConfigMap::resource(),
            NS,
            &WatchParams::default().resource_version("1"),
        )
        .await
        .unwrap();
    let got = items(stream).await;
    assert_eq!(got.len(), 2, "{got:?}");
    assert!(matches!(&got[1], Err(e) if e.is_gone()), "{got:?}");

    // At the start: the watch call succeeds and the stream's first item is Gone.
    let stream = client
        .watch(
            ConfigMap::resource(),
            NS,
            &WatchParams::default().resource_version("1"),
        )
        .await
        .unwrap();
    let got = items(stream).await;
    assert!(matches!(got.as_slice(), [Err(e)] if e.is_gone()), "{got:?}");
}

#[tokio::test(start_paused = true)]
async fn a_watch_broken_during_its_initial_state_is_gone() {
    let server = fake::start(|n, _| match n {
        0 => watch_lines(
            vec![event("ADDED", "b", "9"), event("ADDED", "a", "4")],
            false,
        ),
        _ => watch_lines(vec![], true),
    })
    .await;
    let client = http(&server.url);
    let stream = client
        .watch(ConfigMap::resource(), NS, &WatchParams::default())
        .await
        .unwrap();
    let got = items(stream).await;
    assert_eq!(got.len(), 3, "{got:?}");
    assert!(matches!(&got[2], Err(e) if e.is_gone()), "{got:?}");
    assert_eq!(server.seen().len(), 1);
    assert_eq!(param(&server.seen()[0].target, "resourceVersion"), None);
}

#[tokio::test(start_paused = true)]
async fn a_watch_ends_without_error_at_its_timeout() {
    let server = fake::start(|_, _| watch_lines(vec![bookmark("12")], true)).await;
    let client = http(&server.url);
    let params = WatchParams::default()
        .resource_version("10")
        .bookmarks()
        .timeout(Duration::from_secs(5));
    let started = tokio::time::Instant::now();
    let got = items(
        client
            .watch(ConfigMap::resource(), NS, &params)
            .await
            .unwrap(),
    )
    .await;
    assert!(
        matches!(got.as_slice(), [Ok(WatchEvent::Bookmark { resource_version })] if resource_version == "12"),
        "{got:?}"
    );
    assert_eq!(started.elapsed(), Duration::from_secs(5));
    let seen = server.seen();
    assert_eq!(seen.len(), 1);
    assert_eq!(
        param(&seen[0].target, "timeoutSeconds").as_deref(),
        Some("5")
    );
}

#[tokio::test(start_paused = true)]
async fn a_malformed_line_or_a_failed_resume_ends_the_stream_with_an_error() {
    let server = fake::start(|n, _| match n {
        0 => fake::answer(200, None, "{\"type\":\"ADDED\",\"object\":{\"metadata\":{\"resourceVersion\":\"2\"}}}\nnot json\n"),
        _ => status(500, "InternalError", None),
    })
    .await;
    let client = http(&server.url);
    let got = items(
        client
            .watch(
                ConfigMap::resource(),
                NS,
                &WatchParams::default().resource_version("1"),
            )
            .await
            .unwrap(),
    )
    .await;
    assert!(
        matches!(
            got.as_slice(),
            [Ok(WatchEvent::Added(_)), Err(ClientError::Decode { .. })]
        ),
        "{got:?}"
    );

    let server = fake::start(|n, _| match n {
        0 => watch_lines(vec![event("ADDED", "a", "2")], false),
        _ => status(500, "InternalError", None),
    })
    .await;
    let client = http(&server.url);
    let got = items(
        client
            .watch(
                ConfigMap::resource(),
                NS,
                &WatchParams::default().resource_version("1"),
            )
            .await
            .unwrap(),
    )
    .await;
    assert!(
        matches!(got.as_slice(), [Ok(_), Err(ClientError::Internal { .. })]),
        "{got:?}"
    );
    // The resume was retried: 1 watch + 3 attempts to resume.
    assert_eq!(server.seen().len(), 4);
}
