//! The `store-perf` harness: what is measured, in which order, with which sizes. The
//! binary's documentation says what each measurement means.

mod backend;
mod cache_watch;
mod disk;
mod etcd_server;
mod kv_ops;
mod report;
mod watch;

use std::time::{Duration, Instant};

use anyhow::Context as _;
use benches::stats;
use store::SledStore;

pub(crate) use backend::Backend;
pub(crate) use report::{Measurement, goals, table};

/// One kind of measurement (`--only`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Op {
    /// Durable creates.
    Create,
    /// Point reads (of what the single-writer create run wrote; creates it if needed).
    Get,
    /// Full lists.
    List,
    /// Key-value level watch fan-out.
    Watch,
    /// Watch fan-out through the object layer's watch cache.
    WatchCache,
}

/// Sizes of one run.
#[derive(Debug, Clone)]
pub(crate) struct Plan {
    /// Backends, measured one after the other.
    pub(crate) backends: Vec<Backend>,
    /// Whether these are the `--quick` sizes (recorded in the JSON).
    pub(crate) quick: bool,
    /// Creates per single-writer create measurement, and gets per get measurement.
    pub(crate) ops: usize,
    /// Creates per concurrent create measurement (more than `ops`: at 64 writers, 5,000
    /// durable creates took a third of a second and their rate varied by 2x run to run).
    pub(crate) concurrent_creates: usize,
    /// Concurrent writers of the create measurements (1 must be among them: the gets
    /// read what the single writer wrote).
    pub(crate) writers: Vec<usize>,
    /// Concurrent readers of the get measurements.
    pub(crate) readers: Vec<usize>,
    /// List measurements: (objects, full lists timed).
    pub(crate) lists: Vec<(usize, usize)>,
    /// Watcher counts of the watch measurements (KV level and through the cache).
    pub(crate) watchers: Vec<usize>,
    /// Timed writes per watch measurement.
    pub(crate) watch_writes: usize,
    /// Time between the starts of two watched writes.
    pub(crate) watch_pace: Duration,
    /// Appends timed by the fdatasync probe.
    pub(crate) disk_syncs: usize,
    /// Whether to run the fdatasync probe (a child measuring one backend does not).
    pub(crate) disk_probe: bool,
    /// The measurements made, in this order per backend.
    pub(crate) only: Vec<Op>,
}

impl Plan {
    /// The full measurement (a few minutes on a 2-core machine).
    pub(crate) fn full(backends: Vec<Backend>) -> Self {
        Plan {
            backends,
            quick: false,
            ops: 5_000,
            concurrent_creates: 20_000,
            writers: vec![1, 64],
            readers: vec![1, 64],
            lists: vec![(10_000, 20), (100_000, 5)],
            watchers: vec![1, 100, 1_000],
            watch_writes: 300,
            watch_pace: Duration::from_millis(10),
            disk_syncs: 500,
            disk_probe: true,
            only: vec![Op::Create, Op::Get, Op::List, Op::Watch, Op::WatchCache],
        }
    }

    /// Small sizes for a smoke run (seconds): every code path, no meaningful numbers.
    pub(crate) fn quick(backends: Vec<Backend>) -> Self {
        Plan {
            quick: true,
            ops: 300,
            concurrent_creates: 1_200,
            lists: vec![(1_000, 3), (5_000, 2)],
            watch_writes: 30,
            disk_syncs: 50,
            ..Plan::full(backends)
        }
    }

    /// How many measurements the plan makes.
    fn steps(&self) -> usize {
        let per_backend: usize = self
            .only
            .iter()
            .map(|op| match op {
                Op::Create => self.writers.len(),
                Op::Get => self.readers.len(),
                Op::List => self.lists.len(),
                Op::Watch | Op::WatchCache => self.watchers.len(),
            })
            .sum();
        usize::from(self.disk_probe) + self.backends.len() * per_backend
    }

    fn makes(&self, op: Op) -> bool {
        self.only.contains(&op)
    }
}

/// Progress lines on standard error.
struct Progress {
    step: usize,
    steps: usize,
    started: Instant,
}

impl Progress {
    fn begin(&mut self, what: &str) {
        self.step += 1;
        eprintln!(
            "store-perf [{}/{} {:>5.1}s] {what}",
            self.step,
            self.steps,
            self.started.elapsed().as_secs_f64()
        );
    }

    fn note(&self, what: &str) {
        eprintln!(
            "store-perf [{}/{} {:>5.1}s]   {what}",
            self.step,
            self.steps,
            self.started.elapsed().as_secs_f64()
        );
    }
}

/// Runs the plan; `emit` sees each measurement as soon as it is made.
pub(crate) async fn run(
    plan: &Plan,
    mut emit: impl FnMut(&Measurement),
) -> anyhow::Result<Vec<Measurement>> {
    let scratch = tempfile::Builder::new()
        .prefix("store-perf-")
        .tempdir()
        .context("create the scratch directory")?;
    let mut progress = Progress {
        step: 0,
        steps: plan.steps(),
        started: Instant::now(),
    };
    let mut all = Vec::new();
    let mut keep = |m: Measurement, all: &mut Vec<Measurement>| {
        emit(&m);
        all.push(m);
    };
    if plan.disk_probe {
        progress.begin(&format!(
            "disk: fdatasync probe in {}",
            scratch.path().display()
        ));
        let (dir, syncs) = (scratch.path().to_owned(), plan.disk_syncs);
        let probe =
            tokio::task::spawn_blocking(move || disk::fdatasync_probe(&dir, syncs)).await??;
        keep(probe, &mut all);
    }
    for &backend in &plan.backends {
        let name = backend.name();
        let dir = tempfile::Builder::new()
            .prefix(name)
            .tempdir_in(scratch.path())?;
        let opened = backend
            .open(dir.path())
            .await
            .with_context(|| format!("open {name}"))?;
        let kv = &opened.kv;
        let writers: &[usize] = if plan.makes(Op::Create) {
            &plan.writers
        } else if plan.makes(Op::Get) {
            // The gets read what a single writer wrote: write it, untimed.
            kv_ops::creates(name, kv, "/bench/create-c1/", 1, plan.ops).await?;
            &[]
        } else {
            &[]
        };
        for &writers in writers {
            let ops = if writers > 1 {
                plan.concurrent_creates
            } else {
                plan.ops
            };
            progress.begin(&format!("{name}: {ops} creates, {writers} writers"));
            let prefix = format!("/bench/create-c{writers}/");
            let stats_before = opened.sled.as_ref().map(SledStore::write_stats);
            let mut m = kv_ops::creates(name, kv, &prefix, writers, ops).await?;
            if let (Some(before), Some(sled)) = (stats_before, &opened.sled) {
                // How well group commit grouped (warm-up creates included).
                let after = sled.write_stats();
                let flushes = after.flushes - before.flushes;
                m.extra.insert("flushes".into(), serde_json::json!(flushes));
                let per_flush = (after.requests - before.requests) as f64 / flushes.max(1) as f64;
                m.note = format!("{per_flush:.1} writes per flush");
            }
            keep(m, &mut all);
        }
        let readers: &[usize] = if plan.makes(Op::Get) {
            &plan.readers
        } else {
            &[]
        };
        for &readers in readers {
            progress.begin(&format!("{name}: {} gets, {readers} readers", plan.ops));
            let m = kv_ops::gets(name, kv, "/bench/create-c1/", plan.ops, readers, plan.ops);
            keep(m.await?, &mut all);
        }
        let lists: &[(usize, usize)] = if plan.makes(Op::List) {
            &plan.lists
        } else {
            &[]
        };
        for &(objects, rounds) in lists {
            progress.begin(&format!("{name}: list {objects} objects, {rounds} times"));
            let prefix = format!("/bench/list-{objects}/");
            let loading = Instant::now();
            kv_ops::load(kv, &prefix, objects).await?;
            progress.note(&format!(
                "loaded in {:.1}s",
                loading.elapsed().as_secs_f64()
            ));
            keep(
                kv_ops::lists(name, kv, &prefix, objects, rounds).await?,
                &mut all,
            );
        }
        let (writes, pace) = (plan.watch_writes, plan.watch_pace);
        let watchers: &[usize] = if plan.makes(Op::Watch) {
            &plan.watchers
        } else {
            &[]
        };
        for &watchers in watchers {
            progress.begin(&format!(
                "{name}: watch, {watchers} watchers, {writes} writes"
            ));
            let prefix = format!("/bench/watch-{watchers}/");
            let m = watch::kv_watch(name, kv, &prefix, watchers, writes, pace).await?;
            keep(m, &mut all);
        }
        let client = cache_watch::client(kv);
        let watchers: &[usize] = if plan.makes(Op::WatchCache) {
            &plan.watchers
        } else {
            &[]
        };
        for &watchers in watchers {
            progress.begin(&format!(
                "{name}: watch-cache, {watchers} watchers, {writes} writes"
            ));
            let namespace = format!("perf-{watchers}");
            let m = cache_watch::cache_watch(name, &client, &namespace, watchers, writes, pace);
            keep(m.await?, &mut all);
        }
        drop(client);
        drop(opened);
        dir.close()
            .with_context(|| format!("remove {name}'s files"))?;
    }
    progress.note("done");
    Ok(all)
}
