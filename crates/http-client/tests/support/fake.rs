//! A tiny local HTTP server whose answers a test scripts: statuses, headers, bodies
//! that end or stay open, and connections dropped without an answer.

// Helpers unwrap: a panic in a test helper is a test failure with a message.
#![allow(clippy::unwrap_used)]

use std::convert::Infallible;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use futures::StreamExt as _;
use http_body_util::{BodyExt, StreamBody, combinators::UnsyncBoxBody};
use hyper::body::Frame;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::task::JoinHandle;
use tokio::time::Instant;

pub(crate) type Body = UnsyncBoxBody<Bytes, Infallible>;

/// What the server does with one request.
pub(crate) enum Reply {
    /// Answers.
    Answer(Response<Body>),
    /// Closes the connection without answering.
    Drop,
}

/// One request as the server saw it.
#[derive(Clone, Debug)]
pub(crate) struct Seen {
    pub(crate) method: String,
    /// Path and query.
    pub(crate) target: String,
    pub(crate) authorization: Option<String>,
    pub(crate) body: Bytes,
    /// When it arrived (tokio time: paused in the tests that measure).
    pub(crate) at: Instant,
}

pub(crate) struct FakeServer {
    pub(crate) url: String,
    pub(crate) seen: Arc<Mutex<Vec<Seen>>>,
    task: JoinHandle<()>,
}

impl Drop for FakeServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl FakeServer {
    pub(crate) fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
}

/// Serves plain HTTP on a free loopback port; `script(n, seen)` decides what the
/// `n`-th request (from 0) gets.
pub(crate) async fn start(
    script: impl Fn(usize, &Seen) -> Reply + Send + Sync + 'static,
) -> FakeServer {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let script = Arc::new(script);
    let log = seen.clone();
    let task = tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                return;
            };
            let (script, log) = (script.clone(), log.clone());
            tokio::spawn(async move {
                let service = service_fn(move |request: Request<hyper::body::Incoming>| {
                    let (script, log) = (script.clone(), log.clone());
                    async move {
                        let (parts, body) = request.into_parts();
                        let body = body
                            .collect()
                            .await
                            .map(|c| c.to_bytes())
                            .unwrap_or_default();
                        let seen = Seen {
                            method: parts.method.to_string(),
                            target: parts.uri.to_string(),
                            authorization: parts
                                .headers
                                .get("authorization")
                                .map(|v| v.to_str().unwrap().to_owned()),
                            body,
                            at: Instant::now(),
                        };
                        let n = {
                            let mut log = log.lock().unwrap();
                            log.push(seen.clone());
                            log.len() - 1
                        };
                        match script(n, &seen) {
                            Reply::Answer(response) => Ok(response),
                            Reply::Drop => Err(std::io::Error::other("dropped on purpose")),
                        }
                    }
                });
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
    });
    FakeServer { url, seen, task }
}

/// An answer with `status`, optional `Retry-After` seconds and a JSON body.
pub(crate) fn answer(status: u16, retry_after: Option<u64>, body: &str) -> Reply {
    let mut builder = Response::builder()
        .status(StatusCode::from_u16(status).unwrap())
        .header("content-type", "application/json");
    if let Some(seconds) = retry_after {
        builder = builder.header("retry-after", seconds.to_string());
    }
    let body = http_body_util::Full::new(Bytes::from(body.to_owned())).boxed_unsync();
    Reply::Answer(builder.body(body).unwrap())
}

/// A `Status` body with `code` and `reason`.
pub(crate) fn status(code: u16, reason: &str, retry_after: Option<u64>) -> Reply {
    let body = serde_json::json!({"kind": "Status", "apiVersion": "v1", "status": "Failure",
        "message": format!("{reason} ({code})"), "reason": reason, "code": code});
    answer(code, retry_after, &body.to_string())
}

/// A 200 watch answer: `lines` (each a JSON event), then the end of the body, or,
/// with `stay_open`, nothing more until the client goes.
pub(crate) fn watch_lines(lines: Vec<serde_json::Value>, stay_open: bool) -> Reply {
    let frames = lines
        .into_iter()
        .map(|line| Ok::<_, Infallible>(Frame::data(Bytes::from(format!("{line}\n")))));
    let stream = futures::stream::iter(frames);
    let body = if stay_open {
        BodyExt::boxed_unsync(StreamBody::new(
            stream.chain(futures::stream::pending()).boxed(),
        ))
    } else {
        BodyExt::boxed_unsync(StreamBody::new(stream.boxed()))
    };
    Reply::Answer(
        Response::builder()
            .status(200)
            .header("content-type", "application/json")
            .body(body)
            .unwrap(),
    )
}

/// A watch event line for a ConfigMap named `name` at `rv`.
pub(crate) fn event(kind: &str, name: &str, rv: &str) -> serde_json::Value {
    serde_json::json!({"type": kind, "object": {"apiVersion": "v1", "kind": "ConfigMap",
        "metadata": {"name": name, "namespace": "default", "resourceVersion": rv}}})
}

/// A bookmark line at `rv`.
pub(crate) fn bookmark(rv: &str) -> serde_json::Value {
    serde_json::json!({"type": "BOOKMARK", "object": {"apiVersion": "v1", "kind": "ConfigMap",
        "metadata": {"resourceVersion": rv}}})
}
