//! `scheduler-perf`: kube-scheduler's scheduler_perf workloads through this scheduler's
//! in-cluster path, with kube-scheduler's published thresholds beside the numbers.

pub(crate) mod metrics;
pub(crate) mod runner;
pub(crate) mod workload;

use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context as _, Result, bail};
use clap::Parser;

use runner::{Mode, Options, Outcome};

/// Runs scheduler_perf-style workloads (see `benches/workloads/`).
#[derive(Debug, Parser)]
#[command(name = "scheduler-perf")]
pub(crate) struct Args {
    /// Workloads to run: a test case (`SchedulingBasic`) or `Case/Workload`; all when
    /// none is given.
    pub(crate) workloads: Vec<String>,
    /// Run the small (`short`) variants instead of the 5000-node ones.
    #[arg(long)]
    pub(crate) short: bool,
    /// The directory of workload files.
    #[arg(long, default_value = concat!(env!("CARGO_MANIFEST_DIR"), "/workloads"))]
    pub(crate) dir: PathBuf,
    /// `overlap` (pods created while the scheduler runs, as scheduler_perf does) or
    /// `preloaded` (the scheduler is paused while the measured pods are created).
    #[arg(long, default_value = "overlap")]
    pub(crate) mode: String,
    /// Seconds before a run of a workload is abandoned (the warm-up run and the measured
    /// run each have this long).
    #[arg(long, default_value_t = 600)]
    pub(crate) timeout: u64,
    /// No progress bar.
    #[arg(long)]
    pub(crate) quiet: bool,
    /// Run every workload in this process instead of one child process per workload.
    #[arg(long)]
    pub(crate) same_process: bool,
    /// Measure a workload's first run in its process. By default each workload runs
    /// once unmeasured first, in the same process, and the second run is reported, with
    /// the first run's memory kept by the allocator (`MIMALLOC_PURGE_DELAY=-1` in the
    /// child's environment; with `--same-process`, set it yourself): a fresh process
    /// faults its whole heap in during the measured phase, which on this project's
    /// reference VMs (memory the host backs lazily) cost 0.3-0.46 s of kernel time
    /// zeroing pages in a slow SchedulingBasic run (0.03-0.1 s in a fast one), a cost
    /// unrelated to the scheduler and absent from a long-running one.
    #[arg(long)]
    pub(crate) no_warmup: bool,
    /// Worker threads of the tokio runtime (watches, bindings, pod creation). The
    /// scheduling cycles run on a thread of their own, so the default leaves it a core:
    /// the machine's cores less one, at least one.
    #[arg(long)]
    pub(crate) workers: Option<usize>,
    /// Internal: this process is the child running one workload.
    #[arg(long, hide = true)]
    pub(crate) child: bool,
}

fn selected(name: &str, case: &str, filters: &[String]) -> bool {
    filters.is_empty()
        || filters
            .iter()
            .any(|f| f == case || f == name || name.starts_with(&format!("{f}/")))
}

/// Parses the command line and runs the workloads.
pub(crate) fn main() -> Result<()> {
    let args = Args::parse();
    let mode = match args.mode.as_str() {
        "overlap" => Mode::Overlap,
        "preloaded" => Mode::Preloaded,
        other => bail!("unknown mode {other} (overlap or preloaded)"),
    };
    let opts = Options {
        mode,
        timeout: Duration::from_secs(args.timeout),
        progress: !args.quiet,
    };
    let cases = workload::load_dir(&args.dir)?;
    let label = if args.short { "short" } else { "performance" };
    let workers = args.workers.unwrap_or_else(|| {
        std::thread::available_parallelism()
            .map_or(1, std::num::NonZeroUsize::get)
            .saturating_sub(1)
    });
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(workers.max(1))
        .enable_all()
        .build()?;
    let mut outcomes: Vec<Outcome> = Vec::new();
    let mut failures = Vec::new();
    for tc in &cases {
        for w in &tc.workloads {
            let name = format!("{}/{}", tc.name, w.name);
            if !w.labels.iter().any(|l| l == label) || !selected(&name, &tc.name, &args.workloads) {
                continue;
            }
            let outcome = if args.child || args.same_process {
                run_workload(&runtime, tc, w, &opts, !args.no_warmup)
            } else {
                in_child(&name, !args.no_warmup)
            };
            match outcome {
                Ok(o) => {
                    println!("RESULT {}", serde_json::to_string(&o)?);
                    outcomes.push(o);
                }
                Err(e) => {
                    eprintln!("{name}: FAILED: {e:#}");
                    failures.push(name);
                }
            }
        }
    }
    if args.child {
        // The parent prints the table.
        if !failures.is_empty() {
            bail!("{} failed", failures.join(", "));
        }
        return Ok(());
    }
    print_table(&outcomes);
    if !failures.is_empty() {
        bail!(
            "{} workload(s) failed: {}",
            failures.len(),
            failures.join(", ")
        );
    }
    if outcomes.is_empty() {
        bail!("no workload matched");
    }
    Ok(())
}

/// Runs one workload, after an unmeasured run of it when `warmup` is set.
fn run_workload(
    runtime: &tokio::runtime::Runtime,
    tc: &workload::TestCase,
    w: &workload::Workload,
    opts: &Options,
    warmup: bool,
) -> Result<Outcome> {
    if warmup {
        let unmeasured = Options {
            progress: false,
            ..opts.clone()
        };
        runtime
            .block_on(runner::run(tc, w, &unmeasured))
            .context("the warm-up run")?;
    }
    let mut outcome = runtime.block_on(runner::run(tc, w, opts))?;
    outcome.warmed_up = warmup;
    Ok(outcome)
}

/// mimalloc's setting for how long freed memory stays in the process (milliseconds,
/// -1: for good).
const PURGE_DELAY: &str = "MIMALLOC_PURGE_DELAY";

/// Runs workload `name` in a child process (this binary, same options) and reads its
/// `RESULT` line. Each workload thus starts from a fresh heap and runtime, as
/// kube-scheduler's scheduler_perf starts each case on a fresh cluster: in one process,
/// a workload measured after others ran slower (with glibc's malloc, SchedulingBasic
/// 4,200-7,300 pods/s after the five others, ~10,000 alone).
fn in_child(name: &str, warmup: bool) -> Result<Outcome> {
    // The options (everything but the workload names), then this one workload.
    let mut args = Vec::new();
    let mut given = std::env::args_os().skip(1);
    while let Some(arg) = given.next() {
        let text = arg.to_string_lossy();
        if text == "--" {
            break; // only workload names follow
        }
        if text.starts_with("--") {
            let takes_value =
                ["--dir", "--mode", "--timeout", "--workers"].contains(&text.as_ref());
            args.push(arg);
            if takes_value {
                args.extend(given.next());
            }
        }
    }
    args.extend(["--child", "--", name].map(Into::into));
    // The warm-up's freed memory stays with the allocator for the measured run (by
    // default mimalloc hands it back to the kernel after a delay, and the measured run
    // faults it in again). An explicit setting in the environment is kept.
    let env: &[(&str, &str)] = if warmup && std::env::var_os(PURGE_DELAY).is_none() {
        &[(PURGE_DELAY, "-1")]
    } else {
        &[]
    };
    let results =
        benches::child::results_with_env(&args, env).with_context(|| format!("running {name}"))?;
    match results.first() {
        Some(json) => Ok(serde_json::from_str(json)?),
        None => bail!("the child process running {name} printed no result"),
    }
}

fn print_table(outcomes: &[Outcome]) {
    println!();
    println!(
        "{:<44} {:>6} {:>6} {:>8} {:>10} {:>10} {:>10} {:>10} {:>9} {:>9} {:>9} {:>8}",
        "workload",
        "nodes",
        "init",
        "measured",
        "avg pod/s",
        "p50",
        "p90",
        "p99",
        "lat50 ms",
        "lat99 ms",
        "kube thr",
        "x kube"
    );
    for o in outcomes {
        let (thr, ratio) = match o.threshold {
            Some(t) => (format!("{t:.0}"), format!("{:.1}x", o.throughput_avg / t)),
            None => ("-".into(), "-".into()),
        };
        println!(
            "{:<44} {:>6} {:>6} {:>8} {:>10.0} {:>10.0} {:>10.0} {:>10.0} {:>9.1} {:>9.1} {:>9} {:>8}",
            o.workload,
            o.nodes,
            o.init_pods,
            o.measured_pods,
            o.throughput_avg,
            o.throughput_p50,
            o.throughput_p90,
            o.throughput_p99,
            o.latency_p50_ms,
            o.latency_p99_ms,
            thr,
            ratio
        );
    }
}
