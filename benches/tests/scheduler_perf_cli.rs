//! `scheduler-perf` end to end: a short workload through the real binary (child process
//! per workload, warm-up run), checked through the `RESULT` line it prints.

use std::process::Command;

use serde_json::Value;

fn run(args: &[&str]) -> (Vec<Value>, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_scheduler-perf"))
        .args(args)
        .output()
        .expect("scheduler-perf starts");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "scheduler-perf {args:?} failed: {}\n{stdout}",
        String::from_utf8_lossy(&out.stderr)
    );
    let results = stdout
        .lines()
        .filter_map(|l| l.strip_prefix("RESULT "))
        .map(|json| serde_json::from_str(json).expect("a RESULT line is JSON"))
        .collect();
    (results, stdout)
}

#[test]
fn a_short_workload_reports_its_result_line_and_table() {
    let (results, stdout) = run(&["--short", "--quiet", "--", "SchedulingBasic"]);
    assert_eq!(results.len(), 1, "{stdout}");
    let r = &results[0];
    assert_eq!(r["workload"], "SchedulingBasic/500Nodes");
    assert_eq!(r["nodes"], 500);
    assert_eq!(r["init_pods"], 500);
    assert_eq!(r["measured_pods"], 1000);
    assert_eq!(r["warmed_up"], true);
    for field in ["throughput_avg", "throughput_p50", "latency_p99_ms"] {
        let v = r[field]
            .as_f64()
            .unwrap_or_else(|| panic!("{field} missing: {r}"));
        assert!(v > 0.0, "{field} = {v}");
    }
    // Every measured pod was scheduled once; the init pods too.
    assert_eq!(r["attempts"], 1500, "{r}");
    assert!(
        stdout.contains("SchedulingBasic/500Nodes"),
        "the table names the workload: {stdout}"
    );
}

#[test]
fn no_warmup_measures_the_first_run() {
    let (results, stdout) = run(&["--short", "--quiet", "--no-warmup", "SchedulingBasic"]);
    assert_eq!(results.len(), 1, "{stdout}");
    assert_eq!(results[0]["warmed_up"], false);
}

#[test]
fn an_unknown_workload_is_an_error() {
    let out = Command::new(env!("CARGO_BIN_EXE_scheduler-perf"))
        .args(["--short", "--quiet", "NoSuchWorkload"])
        .output()
        .expect("scheduler-perf starts");
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("no workload matched"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
