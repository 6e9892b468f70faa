//! Watch fan-out: many watch connections on one namespace, each of which must receive
//! every change, in order, while writers create pods there.
//!
//! Each watcher reads its chunked stream line by line and, without decoding the whole
//! event, reads the pod's name (`fanout-<i>`), its resourceVersion and the send time
//! the writer put in an annotation. An event whose resourceVersion is not above the
//! previous one is *reordered*; a name seen twice is a *duplicate*; a pod never seen
//! by the end is *lost*. Writers stay at most `window` changes ahead of the slowest
//! watcher (the server cuts off a watcher more than its queue behind, which would be
//! the load generator's fault, not a delivery failure).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::Context as _;
use bytes::BytesMut;
use http_body_util::BodyExt as _;
use hyper::{Method, StatusCode};
use serde_json::json;

use super::conn::{Conn, Target, expect};
use super::report::{Latencies, Measurement};

/// The namespace the watchers watch.
const NAMESPACE: &str = "fanout";

/// How the fan-out is sized.
#[derive(Clone, Copy, Debug)]
pub(crate) struct FanoutPlan {
    pub(crate) watchers: usize,
    pub(crate) events: usize,
    pub(crate) writers: usize,
    pub(crate) window: usize,
    /// Latency is recorded on every `sample_every`-th watcher.
    pub(crate) sample_every: usize,
}

/// What one watcher saw.
#[derive(Default)]
struct Seen {
    received: usize,
    reordered: usize,
    duplicates: usize,
    lost: usize,
    stream_error: Option<String>,
    latencies: Latencies,
}

/// Runs the fan-out on `target`.
pub(crate) async fn run(target: &Arc<Target>, plan: FanoutPlan) -> anyhow::Result<Measurement> {
    let mut conn = Conn::open(target).await?;
    let ns = json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": NAMESPACE}});
    expect(
        &mut conn,
        Method::POST,
        "/api/v1/namespaces",
        Some(ns.to_string().into()),
        StatusCode::CREATED,
    )
    .await?;
    let epoch = Instant::now();
    let progress: Arc<Vec<AtomicUsize>> =
        Arc::new((0..plan.watchers).map(|_| AtomicUsize::new(0)).collect());
    let mut watchers = Vec::with_capacity(plan.watchers);
    for w in 0..plan.watchers {
        let mut conn = Conn::open(target).await.context("opening a watch")?;
        let path = format!("/api/v1/namespaces/{NAMESPACE}/pods?watch=true");
        let response = conn.open_stream(Method::GET, &path, None).await?;
        if response.status() != StatusCode::OK {
            anyhow::bail!("watch {w}: {}", response.status());
        }
        let progress = progress.clone();
        let sample = w % plan.sample_every.max(1) == 0;
        watchers.push(tokio::spawn(async move {
            let _conn = conn;
            watch(
                response.into_body(),
                plan.events,
                &progress[w],
                sample,
                epoch,
            )
            .await
        }));
    }
    eprintln!(
        "  {} watches open; writing {} pods",
        plan.watchers, plan.events
    );
    let started = Instant::now();
    let next = Arc::new(AtomicUsize::new(0));
    let mut writers = Vec::new();
    for _ in 0..plan.writers {
        let mut conn = Conn::open(target).await?;
        let (next, progress) = (next.clone(), progress.clone());
        writers.push(tokio::spawn(async move {
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= plan.events {
                    return anyhow::Ok(());
                }
                // Stay within `window` of the slowest watcher.
                while slowest(&progress) + plan.window <= i {
                    tokio::time::sleep(Duration::from_millis(1)).await;
                }
                let sent = epoch.elapsed().as_micros();
                let pod = json!({"apiVersion": "v1", "kind": "Pod",
                    "metadata": {"name": format!("fanout-{i}"),
                                 "annotations": {"bench/sent": sent.to_string()}},
                    "spec": {"containers": [{"name": "app", "image": "nginx:1.27"}]}});
                let path = format!("/api/v1/namespaces/{NAMESPACE}/pods");
                let body = Some(pod.to_string().into());
                expect(&mut conn, Method::POST, &path, body, StatusCode::CREATED).await?;
            }
        }));
    }
    for writer in writers {
        writer.await??;
    }
    let written = started.elapsed();
    let mut total = Seen::default();
    let mut last = started;
    for watcher in watchers {
        let (seen, ended) = watcher.await?;
        total.received += seen.received;
        total.reordered += seen.reordered;
        total.duplicates += seen.duplicates;
        total.lost += seen.lost;
        total.latencies.merge(seen.latencies);
        if total.stream_error.is_none() {
            total.stream_error = seen.stream_error;
        }
        last = last.max(ended);
    }
    let seconds = (last - started).as_secs_f64();
    let errors = total.lost + total.reordered + total.duplicates;
    let mut m = Measurement::new(
        "watch-fanout",
        plan.watchers,
        total.received,
        seconds,
        total.latencies,
        errors,
    );
    m.extra.insert("changes".into(), plan.events.into());
    m.extra
        .insert("events_per_s".into(), m.ops_per_s().round().into());
    m.extra.insert(
        "changes_per_s".into(),
        ((plan.events as f64 / written.as_secs_f64()).round()).into(),
    );
    m.extra.insert("lost".into(), total.lost.into());
    m.extra.insert("reordered".into(), total.reordered.into());
    m.extra.insert("duplicates".into(), total.duplicates.into());
    m.note = format!(
        "{} changes to {} watchers; latency write-issue->receive; lost {} reordered {} dup {}",
        plan.events, plan.watchers, total.lost, total.reordered, total.duplicates
    );
    if let Some(e) = total.stream_error {
        m.note.push_str(&format!("; first stream error: {e}"));
    }
    Ok(m)
}

fn slowest(progress: &[AtomicUsize]) -> usize {
    progress
        .iter()
        .map(|p| p.load(Ordering::Relaxed))
        .min()
        .unwrap_or(0)
}

/// Reads one watch until `events` pods were seen (or the stream ends or stalls).
async fn watch(
    mut body: hyper::body::Incoming,
    events: usize,
    progress: &AtomicUsize,
    sample: bool,
    epoch: Instant,
) -> (Seen, Instant) {
    let mut seen = Seen::default();
    let mut got = vec![false; events];
    let mut buffer = BytesMut::new();
    let mut last_rv = 0u64;
    while seen.received < events {
        let frame = match tokio::time::timeout(Duration::from_secs(30), body.frame()).await {
            Ok(Some(Ok(frame))) => frame,
            Ok(Some(Err(e))) => {
                seen.stream_error = Some(e.to_string());
                break;
            }
            Ok(None) => {
                seen.stream_error = Some("the stream ended".into());
                break;
            }
            Err(_) => {
                seen.stream_error = Some("no event for 30 s".into());
                break;
            }
        };
        let Ok(data) = frame.into_data() else {
            continue;
        };
        buffer.extend_from_slice(&data);
        while let Some(end) = buffer.iter().position(|b| *b == b'\n') {
            let line = buffer.split_to(end + 1);
            let now = epoch.elapsed().as_micros() as u64;
            let text = std::str::from_utf8(&line[..end]).unwrap_or("");
            let Some(index) = field(text, "\"name\":\"fanout-").and_then(|i| i.parse().ok()) else {
                if text.contains("\"ERROR\"") {
                    seen.stream_error = Some(text.chars().take(200).collect());
                }
                continue;
            };
            let index: usize = index;
            let rv: u64 = field(text, "\"resourceVersion\":\"")
                .and_then(|v| v.parse().ok())
                .unwrap_or(0);
            if rv <= last_rv {
                seen.reordered += 1;
            }
            last_rv = last_rv.max(rv);
            match got.get_mut(index) {
                Some(g) if !*g => {
                    *g = true;
                    seen.received += 1;
                    progress.store(seen.received, Ordering::Relaxed);
                }
                _ => seen.duplicates += 1,
            }
            if sample {
                if let Some(sent) = field(text, "\"bench/sent\":\"").and_then(|v| v.parse().ok()) {
                    let sent: u64 = sent;
                    seen.latencies
                        .record(Duration::from_micros(now.saturating_sub(sent)));
                }
            }
        }
    }
    seen.lost = events - seen.received;
    // A watcher that stopped early must not hold the writers back.
    progress.store(usize::MAX / 2, Ordering::Relaxed);
    (seen, Instant::now())
}

/// The digits right after `prefix` in `text`.
fn field<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let start = text.find(prefix)? + prefix.len();
    let rest = &text[start..];
    let end = rest
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(rest.len());
    Some(&rest[..end])
}
