//! `store-perf`: the store's backends side by side, on this machine, in one run.
//!
//! ```sh
//! cargo run --release --manifest-path benches/Cargo.toml --bin store-perf
//! cargo run --release --manifest-path benches/Cargo.toml --bin store-perf -- --quick
//! ```
//!
//! Options: `--backends memory,sled,etcd` (default all three), `--quick` (small sizes,
//! a smoke run of every path: its numbers mean little), `--ops N` (creates and gets
//! per measurement; default 5000, quick 300; four times as many creates at 64
//! writers), `--json-only` (only the `RESULT` and `SUMMARY` lines on standard output),
//! `--only watch,watch-cache` (a subset of the measurements: `create`, `get`, `list`,
//! `watch`, `watch-cache`), `--same-process` (measure every backend in this process;
//! by default each backend is measured in a child process of its own, this binary with
//! `--child`, so that none inherits another's heap). Progress goes to standard error.
//!
//! Output: one `RESULT {json}` line per measurement as it completes (fields `backend`,
//! `op`, `concurrency`, `ops`, `seconds`, `ops_per_s`, `p50_ms`, `p99_ms`, `max_ms`,
//! `quick`, and per-op extras below), then a table, then the issue's goals read from
//! the results and one `SUMMARY {json}` line. Percentiles are nearest-rank over every
//! sample (sorted vectors).
//!
//! # Setup
//!
//! Everything runs in one process on a multi-threaded tokio runtime (one worker per
//! core), except the etcd server. Backends are measured one after the other, each
//! fresh and empty, with default options, at the `KvStore` level (`Arc<dyn KvStore>`):
//!
//! - `memory`: `MemoryStore`. No durability; the floor of the engine's cost.
//! - `sled`: `SledStore` in a directory under the system temporary directory
//!   (`$TMPDIR`, else `/tmp`). A write is acknowledged after its group's sled
//!   `flush()` and an `fdatasync` of sled's log file: the same guarantee as etcd's
//!   `fdatasync` of its WAL (sled's flush alone, `sync_file_range`, would not flush a
//!   volatile device write cache).
//! - `etcd`: `EtcdStore` (one client connection) against a single-member etcd this run
//!   starts from `$ETCD_BIN` or `/usr/bin/etcd` (Debian's etcd-server 3.4), data
//!   directory next to sled's (same disk), and stops at the end of its turn. Flags:
//!   `--name=perf --data-dir=<scratch>/etcd.../data --listen-client-urls=http://127.0.0.1:<free port>
//!   --advertise-client-urls=<same> --listen-peer-urls=http://127.0.0.1:<free port>
//!   --initial-advertise-peer-urls=<same> --initial-cluster=perf=<peer url>
//!   --initial-cluster-state=new --logger=zap --log-level=warn --log-outputs=<file>`.
//!   Nothing about durability, batching or snapshots is changed: etcd appends each raft
//!   batch to its WAL and `fdatasync`s it before acknowledging.
//!
//! # Measurements
//!
//! - `disk fdatasync-4k`: reference point, not a backend: a 4 KiB append plus
//!   `fdatasync` to a file in the scratch directory, timed together, one at a time.
//! - `create` (concurrency 1 and 64): `--ops` creates (4 x `--ops` at 64; `KvStoreExt::create`, a
//!   transaction "absent, then put") of distinct keys with 1 KiB values, split over
//!   that many concurrent tasks. Each latency is from just before the call to its
//!   acknowledgment (durable as described above); `ops_per_s` is creates over the wall
//!   time from the first call to the last acknowledgment. 32 untimed creates come first.
//! - `get` (concurrency 1 and 64): `--ops` point reads of keys the single-writer run
//!   created, in a scattered order, split over that many tasks; each read is checked.
//!   etcd's are linearizable reads.
//! - `list`: 10,000 and 100,000 objects of 1 KiB are loaded under their own prefix
//!   (untimed, transactions of 100 puts), then full lists are timed: one
//!   `KvStore::range` with the prefix and no limit, returning every object (checked).
//!   Latency is per full list; `ops_per_s` is lists per second and `objects_per_s`
//!   (extra field) objects returned per second. 20 lists of 10k, 5 of 100k.
//! - `watch` (concurrency = watchers: 1, 100, 1000): that many `KvStore::watch` streams
//!   on one prefix, each consumed by its own task. One warm-up write must reach every
//!   watcher first (so every watch is live). Then 300 creates of 1 KiB values, one
//!   started every 10 ms and awaited, so the system is not saturated. Latency is from
//!   just before issuing a write to a watcher receiving its event (the watcher stamps
//!   each batch as it comes out of its stream), over every (watcher, write) pair: it
//!   includes the write's own commit. Extras: `write_p50_ms`/`write_p99_ms` (issue to
//!   acknowledgment of the writes), `fanout_p50_ms`/`fanout_p99_ms` (per write, last
//!   watcher's receive minus first watcher's), `missed` (events not received within 30 s
//!   of the last write; should be 0), `watch_errors` (streams that ended early).
//!   `ops` is events received and `ops_per_s` their rate over the run (paced, so not a
//!   capacity figure).
//! - `watch-cache` (same watcher counts): the same, through the object layer as the API
//!   server will serve watches: one `InProcessClient` per backend (one `WatchCache` per
//!   kind, default sizes), watchers through `Client::watch` on one namespace from the
//!   current revision, writes through `Client::create` of ConfigMaps holding 1 KiB of
//!   data (the object layer encodes, the cache decodes once and hands each watcher its
//!   own copy).
//!
//! Goals (issue 3): sled at least 3x etcd's durable creates/s with 64 writers; watch p99
//! under 1 ms at 1000 watchers.

#[path = "../store_perf/mod.rs"]
mod store_perf;

use std::io::Write as _;
use std::process::ExitCode;

use clap::Parser;

/// The allocator the project's server binaries use.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use store_perf::{Backend, Measurement, Op, Plan};

/// Measures the store's backends (memory, sled, etcd) side by side.
#[derive(Debug, Parser)]
#[command(name = "store-perf")]
struct Args {
    /// Backends to measure, comma-separated, in order.
    #[arg(
        long,
        value_enum,
        value_delimiter = ',',
        default_value = "memory,sled,etcd"
    )]
    backends: Vec<Backend>,
    /// Small sizes: a smoke run of every measurement in seconds.
    #[arg(long)]
    quick: bool,
    /// Creates and gets per measurement (default 5000; 300 with --quick); the
    /// concurrent create measurements make four times as many.
    #[arg(long)]
    ops: Option<usize>,
    /// Print only the RESULT and SUMMARY lines.
    #[arg(long)]
    json_only: bool,
    /// Measure every backend in this process instead of one child process per backend.
    #[arg(long)]
    same_process: bool,
    /// Internal: this process is a child measuring its backends (no disk probe).
    #[arg(long, hide = true)]
    child: bool,
    /// Measurements to make, comma-separated (default all): create, get, list, watch,
    /// watch-cache. The disk probe always runs.
    #[arg(long, value_enum, value_delimiter = ',')]
    only: Vec<Op>,
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    let mut plan = if args.quick {
        Plan::quick(args.backends)
    } else {
        Plan::full(args.backends)
    };
    if let Some(ops) = args.ops {
        plan.ops = ops.max(1);
        plan.concurrent_creates = plan.ops.saturating_mul(4);
    }
    if !args.only.is_empty() {
        plan.only = args.only;
    }
    let quick = plan.quick;
    let emit = |m: &Measurement| {
        println!("RESULT {}", m.to_json(quick));
        let _ = std::io::stdout().flush();
    };
    let isolated = !args.child && !args.same_process && plan.backends.len() > 1;
    let backends = if isolated {
        std::mem::take(&mut plan.backends)
    } else {
        Vec::new()
    };
    plan.disk_probe = !args.child;
    let mut measurements = match store_perf::run(&plan, emit).await {
        Ok(measurements) => measurements,
        Err(e) => {
            eprintln!("store-perf: {e:#}");
            return ExitCode::FAILURE;
        }
    };
    for backend in backends {
        match in_child(backend) {
            Ok(measured) => {
                measured.iter().for_each(emit);
                measurements.extend(measured);
            }
            Err(e) => {
                eprintln!("store-perf: {backend}: {e:#}");
                return ExitCode::FAILURE;
            }
        }
    }
    if args.child {
        return ExitCode::SUCCESS;
    }
    let (goals, summary) = store_perf::goals(&measurements);
    if !args.json_only {
        let label = if quick {
            " (--quick: smoke sizes, not a measurement)"
        } else {
            ""
        };
        println!("\nstore-perf{label}\n{}", store_perf::table(&measurements));
        println!("{goals}");
    }
    println!("SUMMARY {summary}");
    ExitCode::SUCCESS
}

/// Measures `backend` in a child process (this binary, same options, `--backends
/// <backend> --child`) and reads its `RESULT` lines. Each backend thus starts from a
/// fresh heap and runtime: measured in one process after the memory backend's watch
/// phases, sled's 64-writer creates ran at 8,700-12,600/s against 14,100-18,900/s
/// measured first.
fn in_child(backend: Backend) -> anyhow::Result<Vec<Measurement>> {
    use anyhow::Context as _;
    let mut args = Vec::new();
    let mut given = std::env::args_os().skip(1);
    while let Some(arg) = given.next() {
        let text = arg.to_string_lossy();
        if text == "--backends" {
            given.next();
        } else if !text.starts_with("--backends=") && text != "--json-only" {
            args.push(arg);
        }
    }
    args.extend(["--backends", backend.name(), "--child", "--json-only"].map(Into::into));
    benches::child::results(&args)?
        .iter()
        .map(|json| {
            serde_json::from_str(json)
                .ok()
                .and_then(|value| Measurement::from_json(&value))
                .with_context(|| format!("unreadable RESULT line: {json}"))
        })
        .collect()
}
