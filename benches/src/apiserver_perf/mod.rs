//! `apiserver-perf`: the API server over HTTPS on loopback, with keep-alive; see the
//! binary's documentation for the cases and how they are measured.

mod conn;
mod fanout;
mod load;
mod report;
mod server;

use std::sync::Arc;
use std::time::Duration;

use hyper::{Method, StatusCode};
use serde_json::json;

use conn::{Conn, Target, expect};
use load::{Op, OpFn, Outcome};

pub(crate) use fanout::FanoutPlan;
pub(crate) use report::{Measurement, goals, table};
pub(crate) use server::{Placement, serve_child};

/// A measurement to run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Case {
    /// GET of one pod, closed loop.
    Get,
    /// LIST of a namespace of `--list-size` pods (consistent read, then resourceVersion=0).
    List,
    /// CREATE of pods (durable on sled), closed loop.
    Create,
    /// Open-loop mixed load at a fixed rate.
    Mixed,
    /// Watch fan-out.
    Watch,
}

/// What to run, and how big.
#[derive(Clone, Debug)]
pub(crate) struct Plan {
    pub(crate) cases: Vec<Case>,
    pub(crate) quick: bool,
    pub(crate) placement: Placement,
    /// Length of each closed-loop measurement.
    pub(crate) seconds: f64,
    pub(crate) get_concurrency: Vec<usize>,
    pub(crate) list_concurrency: Vec<usize>,
    pub(crate) create_concurrency: Vec<usize>,
    pub(crate) list_size: usize,
    pub(crate) mixed_rate: f64,
    pub(crate) mixed_seconds: f64,
    pub(crate) mixed_connections: usize,
    pub(crate) fanout: FanoutPlan,
}

impl Plan {
    /// The full sizes of issue 6.
    pub(crate) fn full(cases: Vec<Case>, placement: Placement) -> Self {
        Plan {
            cases,
            quick: false,
            placement,
            seconds: 5.0,
            get_concurrency: vec![1, 16, 64],
            list_concurrency: vec![1, 4],
            create_concurrency: vec![1, 64],
            list_size: 1000,
            mixed_rate: 1000.0,
            mixed_seconds: 10.0,
            mixed_connections: 32,
            fanout: FanoutPlan {
                watchers: 1000,
                events: 10_000,
                writers: 16,
                window: 512,
                sample_every: 10,
            },
        }
    }

    /// Small sizes: a smoke run of every path.
    pub(crate) fn quick(cases: Vec<Case>, placement: Placement) -> Self {
        Plan {
            quick: true,
            seconds: 1.0,
            list_size: 200,
            mixed_seconds: 2.0,
            fanout: FanoutPlan {
                watchers: 50,
                events: 500,
                writers: 8,
                window: 512,
                sample_every: 1,
            },
            ..Plan::full(cases, placement)
        }
    }
}

/// A pod's JSON.
fn pod(name: &str, label: &str) -> String {
    json!({"apiVersion": "v1", "kind": "Pod",
           "metadata": {"name": name, "labels": {"app": "perf", "rev": label}},
           "spec": {"containers": [{"name": "app", "image": "nginx:1.27"}]}})
    .to_string()
}

async fn namespace(conn: &mut Conn, name: &str) -> anyhow::Result<()> {
    let ns = json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}});
    expect(
        conn,
        Method::POST,
        "/api/v1/namespaces",
        Some(ns.to_string().into()),
        StatusCode::CREATED,
    )
    .await
    .map(|_| ())
}

/// Creates namespace `ns` with pods `<prefix>-0..count` (32 connections).
async fn fill(target: &Arc<Target>, ns: &str, prefix: &str, count: usize) -> anyhow::Result<()> {
    namespace(&mut Conn::open(target).await?, ns).await?;
    let next = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let mut tasks = Vec::new();
    for _ in 0..32.min(count.max(1)) {
        let mut conn = Conn::open(target).await?;
        let (next, ns, prefix) = (next.clone(), ns.to_owned(), prefix.to_owned());
        tasks.push(tokio::spawn(async move {
            loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                if i >= count {
                    return anyhow::Ok(());
                }
                let body = pod(&format!("{prefix}-{i}"), "0");
                let path = format!("/api/v1/namespaces/{ns}/pods");
                expect(
                    &mut conn,
                    Method::POST,
                    &path,
                    Some(body.into()),
                    StatusCode::CREATED,
                )
                .await?;
            }
        }));
    }
    for task in tasks {
        task.await??;
    }
    Ok(())
}

fn measurement(case: &str, concurrency: usize, outcome: Outcome) -> Measurement {
    let mut m = Measurement::new(
        case,
        concurrency,
        outcome.ops,
        outcome.seconds,
        outcome.latencies,
        outcome.errors,
    );
    if let Some(e) = outcome.first_error {
        m.note = format!("first error: {e}");
    }
    m
}

/// Starts the server and runs the plan's cases in order, passing each measurement to
/// `emit` as it completes. Returns them all and where the server ran.
pub(crate) async fn run(
    plan: &Plan,
    mut emit: impl FnMut(&Measurement, &str),
) -> anyhow::Result<(Vec<Measurement>, &'static str)> {
    let running = server::start(plan.placement).await?;
    let target = running.target.clone();
    let placement = running.placement;
    eprintln!("apiserver-perf: server {placement}, sled store in a scratch directory, HTTPS");
    let seconds = Duration::from_secs_f64(plan.seconds);
    let mut out = Vec::new();
    let mut push = |m: Measurement| {
        emit(&m, placement);
        out.push(m);
    };
    for case in &plan.cases {
        eprintln!("apiserver-perf: {case:?}");
        match case {
            Case::Get => {
                fill(&target, "get", "target", 1).await?;
                for &c in &plan.get_concurrency {
                    let ops: OpFn =
                        Arc::new(|_, _| Op::get("/api/v1/namespaces/get/pods/target-0"));
                    let outcome = load::closed_loop(&target, c, seconds, ops).await?;
                    push(measurement("get", c, outcome));
                }
            }
            Case::List => {
                fill(&target, "list", "item", plan.list_size).await?;
                for (case, query) in [("list", ""), ("list-rv0", "?resourceVersion=0")] {
                    for &c in &plan.list_concurrency {
                        let path = format!("/api/v1/namespaces/list/pods{query}");
                        let ops: OpFn = Arc::new(move |_, _| Op::get(path.clone()));
                        let outcome = load::closed_loop(&target, c, seconds, ops).await?;
                        let mut m = measurement(case, c, outcome);
                        m.extra.insert("objects".into(), plan.list_size.into());
                        if m.note.is_empty() {
                            m.note = format!("{} pods per list", plan.list_size);
                        }
                        push(m);
                    }
                }
            }
            Case::Create => {
                namespace(&mut Conn::open(&target).await?, "create").await?;
                for &c in &plan.create_concurrency {
                    let ops: OpFn = Arc::new(move |w, i| {
                        Op::post(
                            "/api/v1/namespaces/create/pods",
                            pod(&format!("c{c}-{w}-{i}"), "0"),
                        )
                    });
                    let outcome = load::closed_loop(&target, c, seconds, ops).await?;
                    let mut m = measurement("create", c, outcome);
                    if m.note.is_empty() {
                        m.note = "sled, acknowledged after the durable group commit".into();
                    }
                    push(m);
                }
            }
            Case::Mixed => push(mixed(&target, plan).await?),
            Case::Watch => push(fanout::run(&target, plan.fanout).await?),
        }
    }
    drop(running);
    Ok((out, placement))
}

/// 80% GET of one of 100 pods, 10% LIST of a 10-pod namespace, 5% CREATE, 5% PUT.
async fn mixed(target: &Arc<Target>, plan: &Plan) -> anyhow::Result<Measurement> {
    fill(target, "mixed", "pod", 100).await?;
    fill(target, "mixed-small", "pod", 10).await?;
    let ops: OpFn = Arc::new(|_, i| match i % 20 {
        0 | 1 => Op::get("/api/v1/namespaces/mixed-small/pods"),
        2 => Op::post(
            "/api/v1/namespaces/mixed/pods",
            pod(&format!("new-{i}"), "0"),
        ),
        3 => {
            let name = format!("pod-{}", fastrand::usize(..100));
            let path = format!("/api/v1/namespaces/mixed/pods/{name}");
            Op::put(path, pod(&name, &i.to_string()))
        }
        _ => Op::get(format!(
            "/api/v1/namespaces/mixed/pods/pod-{}",
            fastrand::usize(..100)
        )),
    });
    let duration = Duration::from_secs_f64(plan.mixed_seconds);
    let outcome = load::open_loop(
        target,
        plan.mixed_connections,
        plan.mixed_rate,
        duration,
        ops,
    )
    .await?;
    let mut m = measurement("mixed", plan.mixed_connections, outcome);
    m.extra.insert("rate".into(), plan.mixed_rate.into());
    if m.note.is_empty() {
        m.note = format!(
            "open loop {}/s: 80% GET, 10% LIST(10), 5% CREATE, 5% PUT; latency from scheduled send",
            plan.mixed_rate
        );
    }
    Ok(m)
}
