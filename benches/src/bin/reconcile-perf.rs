//! Throughput and memory of the reconcile engine over the in-process client and the
//! memory store.
//!
//! ```sh
//! cargo run --release -p benches --bin reconcile-perf -- [--objects 100000] [--events 20000] [--rounds 3]
//! ```
//!
//! Cases, each printed as a table row and as one `RESULT {json}` line:
//! - `server-watch-cache`: context, not the engine: the in-process server's watch cache
//!   of `--objects` ConfigMaps filled from storage (an API server does this when it
//!   starts; an informer's first list is then served from it);
//! - `initial-sync`: an informer lists and caches every object (the engine's cost:
//!   `peak_rss_mib - rss_before_mib` is what the informer added at its peak);
//! - `noop-reconcile`: every cached object reconciled by a no-op reconciler, `--rounds`
//!   times, at concurrency 1, 4 and 16;
//! - `store-to-reconcile`: `--events` objects updated one after another through the
//!   client, with at most 512 updates written and not yet reconciled (a closed loop:
//!   the sustained rate, not how far a writer can run ahead before the server cuts
//!   the watcher off and it re-lists); the time from the first write until the last
//!   update's reconcile started, with the median and 99th percentile of
//!   write-to-reconcile-start latency.
//!
//! `peak_rss_mib` is the process's high-water mark (`VmHWM`) during the case: the mark
//! is reset when a case starts (`/proc/self/clear_refs`), so it is the peak of that
//! case, but of the whole process, store included. `rss_before_mib` is the resident
//! size when the case started; the difference is what the case added at its peak.
//! (Where the reset is refused, `peak_rss_mib` is the peak since the process started.)

use std::collections::BTreeMap;
use std::process::ExitCode;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use client::{Api, Client, PostParams};
use core_types::core_v1::ConfigMap;
use core_types::{ObjectMeta, StaticResource};
use reconcile::{Action, Controller, Informer, default_error_policy};
use store::{InProcessClient, MemoryStore, StoreOptions};
use tokio::sync::{Notify, Semaphore};

struct Args {
    objects: usize,
    events: usize,
    rounds: usize,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        objects: 100_000,
        events: 20_000,
        rounds: 3,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().ok_or_else(|| format!("{flag} needs a value"))?;
        let n: usize = value
            .parse()
            .map_err(|_| format!("{flag}: {value:?} is not a number"))?;
        match flag.as_str() {
            "--objects" => args.objects = n.max(1),
            "--events" => args.events = n,
            "--rounds" => args.rounds = n.max(1),
            _ => return Err(format!("unknown flag {flag}")),
        }
    }
    args.events = args.events.min(args.objects);
    Ok(args)
}

/// A field of `/proc/self/status` in MiB (0 if unknown).
fn status_mib(field: &str) -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|l| l.strip_prefix(field))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        })
        .map_or(0.0, |kib| kib / 1024.0)
}

/// The peak resident set size (`VmHWM`) in MiB: since the last
/// [`reset_peak_rss`], or since the process started if resetting is not allowed.
fn peak_rss_mib() -> f64 {
    status_mib("VmHWM:")
}

/// The current resident set size in MiB.
fn rss_mib() -> f64 {
    status_mib("VmRSS:")
}

/// Resets `VmHWM` to the current RSS (Linux 4.0+), so that the next reading is the
/// peak of one case. Returns false if the kernel refused.
fn reset_peak_rss() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

/// One measurement.
struct Row {
    case: &'static str,
    objects: usize,
    concurrency: usize,
    seconds: f64,
    ops: usize,
    extra: BTreeMap<&'static str, f64>,
}

/// Starts a case: resets the peak-RSS mark; returns the current RSS.
fn begin_case() -> f64 {
    reset_peak_rss();
    rss_mib()
}

impl Row {
    fn report(&self) {
        let ops_per_s = self.ops as f64 / self.seconds.max(1e-9);
        let rss = peak_rss_mib();
        let extra: String = self
            .extra
            .iter()
            .map(|(k, v)| format!(" {k}={v:.2}"))
            .collect();
        println!(
            "| {:<20} | {:>8} | {:>4} | {:>9.3} | {:>12.0} | {:>8.1} |{extra}",
            self.case, self.objects, self.concurrency, self.seconds, ops_per_s, rss
        );
        let mut json = serde_json::json!({
            "case": self.case,
            "objects": self.objects,
            "concurrency": self.concurrency,
            "seconds": self.seconds,
            "ops_per_s": ops_per_s,
            "peak_rss_mib": rss,
        });
        for (k, v) in &self.extra {
            json[*k] = serde_json::json!(v);
        }
        println!("RESULT {json}");
    }
}

fn config_map(i: usize) -> ConfigMap {
    let mut metadata = ObjectMeta::named(format!("ns-{}", i % 100), format!("cm-{i:07}"));
    metadata
        .labels
        .insert("app".into(), format!("app-{}", i % 1000));
    metadata.labels.insert("tier".into(), "backend".into());
    let mut cm = ConfigMap {
        metadata,
        ..ConfigMap::default()
    };
    cm.data.insert("mode".into(), "fast".into());
    cm.data.insert("generation".into(), "0".into());
    cm
}

async fn fill(client: &InProcessClient, objects: usize) -> Result<(), client::ClientError> {
    let resource = ConfigMap::resource();
    for i in 0..objects {
        let cm = config_map(i);
        let ns = cm.metadata.namespace.clone();
        let obj = client::to_dynamic(&cm, resource)?;
        client
            .objects()
            .create(resource, Some(&ns), obj, &PostParams::default())
            .await?;
    }
    Ok(())
}

async fn server_cache(
    client: &InProcessClient,
    objects: usize,
) -> Result<Row, client::ClientError> {
    let rss_before = begin_case();
    let start = Instant::now();
    let cache = client.watch_cache(ConfigMap::resource()).await?;
    let seconds = start.elapsed().as_secs_f64();
    if let Some(cache) = cache {
        if cache.stats().objects != objects {
            eprintln!(
                "server-watch-cache: {} of {objects} objects",
                cache.stats().objects
            );
        }
    }
    Ok(Row {
        case: "server-watch-cache",
        objects,
        concurrency: 1,
        seconds,
        ops: objects,
        extra: BTreeMap::from([("rss_before_mib", rss_before)]),
    })
}

async fn initial_sync(client: &Arc<dyn Client>, objects: usize) -> (Row, Informer<ConfigMap>) {
    let rss_before = begin_case();
    let start = Instant::now();
    let informer = Informer::new(Api::<ConfigMap>::all(client.clone()));
    informer.wait_until_synced().await;
    let seconds = start.elapsed().as_secs_f64();
    if informer.store().len() != objects {
        eprintln!(
            "initial-sync: the cache holds {} of {objects} objects",
            informer.store().len()
        );
    }
    let row = Row {
        case: "initial-sync",
        objects,
        concurrency: 1,
        seconds,
        ops: objects,
        extra: BTreeMap::from([("rss_before_mib", rss_before)]),
    };
    (row, informer)
}

/// Counts reconciles; wakes the bench when `target` is reached.
#[derive(Default)]
struct Counter {
    count: AtomicU64,
    target: AtomicU64,
    reached: Notify,
}

async fn noop(
    _cm: Arc<ConfigMap>,
    counter: Arc<Counter>,
) -> Result<Action, std::convert::Infallible> {
    let n = counter.count.fetch_add(1, Ordering::Relaxed) + 1;
    if n == counter.target.load(Ordering::Relaxed) {
        counter.reached.notify_one();
    }
    Ok(Action::await_change())
}

async fn noop_reconciles(informer: &Informer<ConfigMap>, concurrency: usize, rounds: usize) -> Row {
    let rss_before = begin_case();
    let objects = informer.store().len();
    let counter = Arc::new(Counter::default());
    counter.target.store(objects as u64, Ordering::Relaxed);
    let controller = Controller::new(informer.clone()).concurrency(concurrency);
    let handle = controller.handle();
    let task = tokio::spawn(controller.run(noop, default_error_policy, counter.clone()));
    // The first round comes from subscribing (every cached object is added).
    counter.reached.notified().await;
    let start = Instant::now();
    for round in 2..=rounds + 1 {
        counter
            .target
            .store((objects * round) as u64, Ordering::Relaxed);
        handle.reconcile_all();
        counter.reached.notified().await;
    }
    let seconds = start.elapsed().as_secs_f64();
    let metrics = handle.metrics();
    handle.shutdown();
    let _ = task.await;
    let mut extra = BTreeMap::from([("rss_before_mib", rss_before)]);
    extra.insert(
        "queue_latency_mean_ms",
        metrics.queue.latency_mean().as_secs_f64() * 1e3,
    );
    Row {
        case: "noop-reconcile",
        objects,
        concurrency,
        seconds,
        ops: objects * rounds,
        extra,
    }
}

/// Per updated object: when its write started; the reconciler records the latency.
struct Pipeline {
    written_at: Vec<Mutex<Option<Instant>>>,
    latencies: Mutex<Vec<Duration>>,
    seen: AtomicUsize,
    last_at: Mutex<Option<Instant>>,
    done: Notify,
    events: usize,
    /// Writes that may be ahead of their reconcile (a closed loop: the bench measures
    /// the sustained rate, not how far a writer can run ahead before watchers are cut
    /// off and re-list).
    window: Semaphore,
}

/// How many updates may be written and not yet reconciled.
const WINDOW: usize = 512;

async fn observe(cm: Arc<ConfigMap>, p: Arc<Pipeline>) -> Result<Action, std::convert::Infallible> {
    if cm.data.get("generation").map(String::as_str) == Some("1") {
        let index = cm
            .metadata
            .name
            .trim_start_matches("cm-")
            .parse::<usize>()
            .ok();
        let written = index
            .and_then(|i| p.written_at.get(i))
            .and_then(|slot| slot.lock().ok().and_then(|mut w| w.take()));
        if let Some(written) = written {
            let now = Instant::now();
            if let Ok(mut l) = p.latencies.lock() {
                l.push(now - written);
            }
            p.window.add_permits(1);
            if p.seen.fetch_add(1, Ordering::Relaxed) + 1 == p.events {
                if let Ok(mut last) = p.last_at.lock() {
                    *last = Some(now);
                }
                p.done.notify_one();
            }
        }
    }
    Ok(Action::await_change())
}

async fn store_to_reconcile(
    client: &Arc<dyn Client>,
    informer: &Informer<ConfigMap>,
    events: usize,
) -> Row {
    let rss_before = begin_case();
    let pipeline = Arc::new(Pipeline {
        written_at: (0..events).map(|_| Mutex::new(None)).collect(),
        latencies: Mutex::new(Vec::with_capacity(events)),
        seen: AtomicUsize::new(0),
        last_at: Mutex::new(None),
        done: Notify::new(),
        events,
        window: Semaphore::new(WINDOW),
    });
    let controller = Controller::new(informer.clone()).concurrency(4);
    let handle = controller.handle();
    let task = tokio::spawn(controller.run(observe, default_error_policy, pipeline.clone()));
    // Let the initial round (every object, generation 0) pass.
    while handle.metrics().reconciles < informer.store().len() as u64 {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let before = informer.stats();
    let start = Instant::now();
    for i in 0..events {
        let Some(cached) = informer
            .store()
            .get_named(&format!("ns-{}", i % 100), &format!("cm-{i:07}"))
        else {
            continue;
        };
        match pipeline.window.acquire().await {
            Ok(permit) => permit.forget(),
            Err(_) => break,
        }
        let mut cm = (*cached).clone();
        cm.data.insert("generation".into(), "1".into());
        let api = Api::<ConfigMap>::namespaced(client.clone(), &cm.metadata.namespace);
        if let Some(slot) = pipeline.written_at.get(i) {
            if let Ok(mut w) = slot.lock() {
                *w = Some(Instant::now());
            }
        }
        if let Err(e) = api
            .replace(&cm.metadata.name, &PostParams::default(), &cm)
            .await
        {
            eprintln!("write failed: {e}");
        }
    }
    let writes_done = start.elapsed();
    if tokio::time::timeout(Duration::from_secs(120), pipeline.done.notified())
        .await
        .is_err()
    {
        eprintln!(
            "store-to-reconcile: only {} of {events} updates reconciled",
            pipeline.seen.load(Ordering::Relaxed)
        );
    }
    let last = pipeline
        .last_at
        .lock()
        .ok()
        .and_then(|l| *l)
        .unwrap_or_else(Instant::now);
    let seconds = (last - start).as_secs_f64();
    handle.shutdown();
    let _ = task.await;
    let mut latencies = pipeline
        .latencies
        .lock()
        .map(|l| l.clone())
        .unwrap_or_default();
    latencies.sort_unstable();
    let pct = |p: f64| {
        latencies
            .get(((latencies.len() as f64 * p) as usize).min(latencies.len().saturating_sub(1)))
            .map_or(0.0, |d| d.as_secs_f64() * 1e3)
    };
    let after = informer.stats();
    let mut extra = BTreeMap::from([("rss_before_mib", rss_before)]);
    extra.insert("latency_p50_ms", pct(0.50));
    extra.insert("latency_p99_ms", pct(0.99));
    extra.insert(
        "writes_per_s",
        events as f64 / writes_done.as_secs_f64().max(1e-9),
    );
    extra.insert("relists", (after.lists - before.lists) as f64);
    Row {
        case: "store-to-reconcile",
        objects: events,
        concurrency: 4,
        seconds,
        ops: pipeline.seen.load(Ordering::Relaxed),
        extra,
    }
}

async fn run(args: Args) -> Result<(), client::ClientError> {
    // A watch window large enough that a burst of updates never pushes watchers out.
    let kv = Arc::new(MemoryStore::with_options(
        StoreOptions::default().retain_revisions(Some(1_000_000)),
    ));
    let in_process = InProcessClient::new(kv);
    let start = Instant::now();
    fill(&in_process, args.objects).await?;
    eprintln!(
        "filled {} objects in {:.2} s; RSS {:.1} MiB",
        args.objects,
        start.elapsed().as_secs_f64(),
        rss_mib()
    );
    let client: Arc<dyn Client> = Arc::new(in_process.clone());
    println!("| case                 |  objects | conc |   seconds |        ops/s | peak MiB |");
    println!("|----------------------|---------:|-----:|----------:|-------------:|---------:|");
    server_cache(&in_process, args.objects).await?.report();
    let (row, informer) = initial_sync(&client, args.objects).await;
    row.report();
    for concurrency in [1, 4, 16] {
        noop_reconciles(&informer, concurrency, args.rounds)
            .await
            .report();
    }
    if args.events > 0 {
        store_to_reconcile(&client, &informer, args.events)
            .await
            .report();
    }
    Ok(())
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(args) => args,
        Err(e) => {
            eprintln!("{e}\nusage: reconcile-perf [--objects N] [--events N] [--rounds N]");
            return ExitCode::FAILURE;
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(args)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
