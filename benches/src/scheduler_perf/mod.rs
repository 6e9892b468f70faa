//! `scheduler-perf`: kube-scheduler's scheduler_perf workloads through this scheduler's
//! in-cluster path, with kube-scheduler's published thresholds beside the numbers.

pub(crate) mod metrics;
pub(crate) mod runner;
pub(crate) mod workload;

use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Result, bail};
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
    /// Seconds before a workload is abandoned.
    #[arg(long, default_value_t = 600)]
    pub(crate) timeout: u64,
    /// No progress bar.
    #[arg(long)]
    pub(crate) quiet: bool,
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
    let runtime = tokio::runtime::Builder::new_multi_thread()
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
            match runtime.block_on(runner::run(tc, w, &opts)) {
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
