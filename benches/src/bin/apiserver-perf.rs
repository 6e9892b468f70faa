//! `apiserver-perf`: the API server over HTTPS on loopback, in one run.
//!
//! ```sh
//! cargo run --release --manifest-path benches/Cargo.toml --bin apiserver-perf
//! cargo run --release --manifest-path benches/Cargo.toml --bin apiserver-perf -- --quick
//! cargo run --release --manifest-path benches/Cargo.toml --bin apiserver-perf -- --cases get,create
//! ```
//!
//! Options: `--cases get,list,create,mixed,watch` (default all, in that order),
//! `--quick` (small sizes: a smoke run whose numbers mean little), `--seconds S`
//! (length of each closed-loop measurement; default 5, quick 1), `--watchers N` and
//! `--events N` (fan-out size; default 1000 and 10,000), `--server child|in-process`
//! (default child), `--json-only`. Progress goes to standard error.
//!
//! Output: one `RESULT {json}` line per measurement as it completes (fields `case`,
//! `concurrency`, `ops`, `seconds`, `ops_per_s`, `p50_ms`, `p99_ms`, `max_ms`,
//! `errors`, `server`, `quick`, and per-case extras), then a table and the issue's
//! goals. The exit status is non-zero if any request failed or any watch event was
//! lost, duplicated or reordered.
//!
//! # Setup
//!
//! The server is the real `api_server` on a `SledStore` (default options: a write is
//! acknowledged after its group's flush and fdatasync) in a fresh scratch directory,
//! with the certificates and admin token `prepare_data_dir` generates, serving HTTPS
//! on 127.0.0.1 on a multi-threaded tokio runtime. By default it runs in a child
//! process (this binary with `--serve-dir DIR`); the load generator (this process,
//! also multi-threaded) and the server share the machine's cores. The load generator
//! opens keep-alive HTTP/1.1 connections over rustls (trusting the generated CA) with
//! hyper's client connection, and sends the bearer token on every request. Pods are
//! small (one container, two labels).
//!
//! # Cases
//!
//! - `get` (concurrency 1, 16, 64): closed loop, that many connections each sending a
//!   GET of the same pod as soon as the last one was answered, for `--seconds`.
//! - `list` / `list-rv0` (concurrency 1, 4): closed loop of LISTs of a namespace of
//!   1000 pods; `list` is a consistent read from storage (what `kubectl get` does),
//!   `list-rv0` (`resourceVersion=0`) is served from the watch cache.
//! - `create` (concurrency 1, 64): closed loop of POSTs of new pods; each is
//!   acknowledged after the store's durable group commit.
//! - `mixed`: open loop at 1,000 requests/s for 10 s over 32 connections taking
//!   requests from one queue: 80% GET of one of 100 pods, 10% LIST of a namespace of
//!   10 pods, 5% CREATE, 5% PUT (unconditional). Latency runs from each request's
//!   scheduled send time to its answer, so queueing behind a slow answer counts.
//! - `watch` (watch-fanout; concurrency = watchers): 1000 watch connections on one
//!   namespace; 16 writers then create 10,000 pods there, staying at most 512 changes
//!   ahead of the slowest watcher. Each watcher must receive every pod in
//!   resourceVersion order; `lost`, `reordered` and `duplicates` are counted (all
//!   count as errors). `ops` is events delivered, `ops_per_s` their rate (first write
//!   to last delivery); latency is from the writer issuing the create (time carried in
//!   an annotation) to a watcher reading the event, sampled on every 10th watcher.
//!
//! Goals (issue 6), on a 2-core machine: GET at least 20,000/s, durable CREATE at
//! least 5,000/s, p99 under 10 ms at 1,000 requests/s mixed load, zero lost or
//! reordered watch events.

#[path = "../apiserver_perf/mod.rs"]
mod apiserver_perf;

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;

use apiserver_perf::{Case, Measurement, Placement, Plan};

/// The allocator the `apiserver` example serves with (the server half of this binary
/// should run as the shipped server does).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Measures the API server over HTTPS on loopback.
#[derive(Debug, Parser)]
#[command(name = "apiserver-perf")]
struct Args {
    /// Cases to run, comma-separated, in order.
    #[arg(
        long,
        value_enum,
        value_delimiter = ',',
        default_value = "get,list,create,mixed,watch"
    )]
    cases: Vec<Case>,
    /// Small sizes: a smoke run of every case in seconds.
    #[arg(long)]
    quick: bool,
    /// Length of each closed-loop measurement in seconds.
    #[arg(long)]
    seconds: Option<f64>,
    /// Watch connections in the fan-out.
    #[arg(long)]
    watchers: Option<usize>,
    /// Changes written in the fan-out.
    #[arg(long)]
    events: Option<usize>,
    /// Where the server runs.
    #[arg(long, value_enum, default_value = "child")]
    server: Placement,
    /// Print only the RESULT lines.
    #[arg(long)]
    json_only: bool,
    /// Internal: serve DIR (the child process).
    #[arg(long, hide = true)]
    serve_dir: Option<PathBuf>,
}

fn main() -> ExitCode {
    let args = Args::parse();
    if let Some(dir) = args.serve_dir {
        return match apiserver_perf::serve_child(dir) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("apiserver-perf server: {e:#}");
                ExitCode::FAILURE
            }
        };
    }
    let mut plan = if args.quick {
        Plan::quick(args.cases, args.server)
    } else {
        Plan::full(args.cases, args.server)
    };
    if let Some(s) = args.seconds {
        plan.seconds = s.max(0.1);
    }
    if let Some(w) = args.watchers {
        plan.fanout.watchers = w.max(1);
    }
    if let Some(e) = args.events {
        plan.fanout.events = e.max(1);
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("apiserver-perf: {e}");
            return ExitCode::FAILURE;
        }
    };
    let quick = plan.quick;
    let emit = |m: &Measurement, placement: &str| {
        println!("RESULT {}", m.to_json(quick, placement));
        let _ = std::io::stdout().flush();
    };
    let (measurements, placement) = match runtime.block_on(apiserver_perf::run(&plan, emit)) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("apiserver-perf: {e:#}");
            return ExitCode::FAILURE;
        }
    };
    if !args.json_only {
        let label = if quick {
            " (--quick: smoke sizes, not a measurement)"
        } else {
            ""
        };
        println!("\napiserver-perf{label}; server: {placement}, sled, HTTPS on loopback");
        println!("{}", apiserver_perf::table(&measurements));
        println!("{}", apiserver_perf::goals(&measurements));
    }
    if measurements.iter().any(|m| m.errors > 0) {
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
