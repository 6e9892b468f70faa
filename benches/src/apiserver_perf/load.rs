//! Load shapes: a closed loop (each connection sends its next request when the last
//! one is answered) and an open loop (requests at a fixed rate, latency measured from
//! each request's scheduled send time, so a stalled server is not hidden by the
//! load generator waiting for it).

use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use hyper::{Method, StatusCode};
use tokio::sync::{Barrier, Mutex, mpsc};

use super::conn::{Conn, Target};
use super::report::Latencies;

/// One request and the status that counts as success.
#[derive(Clone, Debug)]
pub(crate) struct Op {
    pub(crate) method: Method,
    pub(crate) path: String,
    pub(crate) body: Option<Bytes>,
    pub(crate) expect: StatusCode,
}

impl Op {
    /// A GET expecting 200.
    pub(crate) fn get(path: impl Into<String>) -> Self {
        Op {
            method: Method::GET,
            path: path.into(),
            body: None,
            expect: StatusCode::OK,
        }
    }

    /// A POST of `body` expecting 201.
    pub(crate) fn post(path: impl Into<String>, body: impl Into<Bytes>) -> Self {
        Op {
            method: Method::POST,
            path: path.into(),
            body: Some(body.into()),
            expect: StatusCode::CREATED,
        }
    }

    /// A PUT of `body` expecting 200.
    pub(crate) fn put(path: impl Into<String>, body: impl Into<Bytes>) -> Self {
        Op {
            method: Method::PUT,
            path: path.into(),
            body: Some(body.into()),
            expect: StatusCode::OK,
        }
    }
}

/// What a worker hands back: its latencies, errors, first error and when it ended.
type WorkerResult = (Latencies, usize, Option<String>, Instant);

/// Makes the `i`-th request of worker `w`.
pub(crate) type OpFn = Arc<dyn Fn(usize, usize) -> Op + Send + Sync>;

/// What a run produced.
pub(crate) struct Outcome {
    pub(crate) ops: usize,
    pub(crate) errors: usize,
    pub(crate) seconds: f64,
    pub(crate) latencies: Latencies,
    /// The first error seen, for the note.
    pub(crate) first_error: Option<String>,
}

async fn send(conn: &mut Conn, op: Op) -> Result<(), String> {
    match conn.call(op.method, &op.path, op.body).await {
        Ok((status, _)) if status == op.expect => Ok(()),
        Ok((status, body)) => Err(format!(
            "{status}: {}",
            String::from_utf8_lossy(&body[..body.len().min(200)])
        )),
        Err(e) => Err(e.to_string()),
    }
}

/// `concurrency` connections, each sending `ops(w, i)` back to back for `duration`.
pub(crate) async fn closed_loop(
    target: &Arc<Target>,
    concurrency: usize,
    duration: Duration,
    ops: OpFn,
) -> anyhow::Result<Outcome> {
    let barrier = Arc::new(Barrier::new(concurrency + 1));
    let mut workers = Vec::with_capacity(concurrency);
    for w in 0..concurrency {
        let mut conn = Conn::open(target).await?;
        let (barrier, ops) = (barrier.clone(), ops.clone());
        workers.push(tokio::spawn(async move {
            let mut latencies = Latencies::default();
            let (mut errors, mut first_error) = (0, None);
            barrier.wait().await;
            let deadline = Instant::now() + duration;
            let mut i = 0;
            loop {
                let started = Instant::now();
                if started >= deadline {
                    break;
                }
                if let Err(e) = send(&mut conn, ops(w, i)).await {
                    errors += 1;
                    first_error.get_or_insert(e);
                }
                latencies.record(started.elapsed());
                i += 1;
            }
            (latencies, errors, first_error, Instant::now())
        }));
    }
    barrier.wait().await;
    let started = Instant::now();
    collect(workers, started).await
}

async fn collect(
    workers: Vec<tokio::task::JoinHandle<WorkerResult>>,
    started: Instant,
) -> anyhow::Result<Outcome> {
    let mut outcome = Outcome {
        ops: 0,
        errors: 0,
        seconds: 0.0,
        latencies: Latencies::default(),
        first_error: None,
    };
    let mut last = started;
    for worker in workers {
        let (latencies, errors, first_error, ended) = worker.await?;
        outcome.ops += latencies.len();
        outcome.latencies.merge(latencies);
        outcome.errors += errors;
        if outcome.first_error.is_none() {
            outcome.first_error = first_error;
        }
        last = last.max(ended);
    }
    outcome.seconds = (last - started).as_secs_f64();
    Ok(outcome)
}

/// Requests at `rate` per second for `duration`, served by `connections` connections
/// taking them from one queue; each latency runs from the scheduled send time to the
/// answer. `ops(0, i)` makes the `i`-th request.
pub(crate) async fn open_loop(
    target: &Arc<Target>,
    connections: usize,
    rate: f64,
    duration: Duration,
    ops: OpFn,
) -> anyhow::Result<Outcome> {
    let (tx, rx) = mpsc::unbounded_channel::<(Instant, Op)>();
    let rx = Arc::new(Mutex::new(rx));
    let barrier = Arc::new(Barrier::new(connections + 1));
    let mut workers = Vec::with_capacity(connections);
    for _ in 0..connections {
        let mut conn = Conn::open(target).await?;
        let (rx, barrier) = (rx.clone(), barrier.clone());
        workers.push(tokio::spawn(async move {
            let mut latencies = Latencies::default();
            let (mut errors, mut first_error) = (0, None);
            barrier.wait().await;
            loop {
                let next = rx.lock().await.recv().await;
                let Some((scheduled, op)) = next else { break };
                if let Err(e) = send(&mut conn, op).await {
                    errors += 1;
                    first_error.get_or_insert(e);
                }
                latencies.record(scheduled.elapsed());
            }
            (latencies, errors, first_error, Instant::now())
        }));
    }
    barrier.wait().await;
    let started = Instant::now();
    let interval = Duration::from_secs_f64(1.0 / rate);
    let total = (duration.as_secs_f64() * rate) as usize;
    for i in 0..total {
        let scheduled = started + interval.mul_f64(i as f64);
        tokio::time::sleep_until(scheduled.into()).await;
        let _ = tx.send((scheduled, ops(0, i)));
    }
    drop(tx);
    collect(workers, started).await
}
