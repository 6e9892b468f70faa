//! kube-scheduler's scheduler_perf workloads through this scheduler's in-cluster path
//! (memory store, in-process client, queue, cycle, assume, bind):
//!
//! ```sh
//! cargo run --release --manifest-path benches/Cargo.toml --bin scheduler-perf [WORKLOAD...]
//! cargo run --release --manifest-path benches/Cargo.toml --bin scheduler-perf -- --short SchedulingBasic
//! ```
//!
//! Prints a progress bar on stderr, one `RESULT {json}` line per workload on stdout,
//! and a table with kube-scheduler's published thresholds (pods/s, 5000 nodes) beside
//! the measured throughput. Each workload runs in a child process of its own (fresh
//! heap and runtime, as scheduler_perf gives each case a fresh cluster);
//! `--same-process` runs them all in this one.

#[path = "../scheduler_perf/mod.rs"]
mod scheduler_perf;

/// mimalloc, as the reference cluster's binaries use: glibc's per-thread arenas grew
/// and trimmed their heaps over and over as the scheduler's watch decoded pods on
/// one thread and freed them on another (mprotect and page faults were ~20% of the
/// profile).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    match scheduler_perf::main() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("scheduler-perf: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
