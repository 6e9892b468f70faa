//! The out-of-tree Score plugin example, run as a user runs it: with its built-in
//! configuration and with a configuration file that changes the plugin's weight.

use std::process::Command;

fn run(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_custom-score-plugin"))
        .args(args)
        .output()
        .expect("the example starts");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{args:?} failed: {}\n{stdout}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

#[test]
fn the_plugin_enabled_by_configuration_moves_the_green_profile_to_the_green_node() {
    let out = run(&[]);
    // The default profile picks the idler node; the green profile, with PreferLabel at
    // weight 5, the labelled one.
    assert!(
        out.contains("ordinary (default-scheduler) -> coal-1"),
        "{out}"
    );
    assert!(out.contains("eco (green-scheduler) -> solar-1"), "{out}");
    // The explanation shows the plugin's score, normalized and weighted.
    assert!(
        out.lines().any(|l| l.contains("score  PreferLabel")
            && l.contains("raw    100")
            && l.contains("x5 = 500")),
        "{out}"
    );
    assert!(out.contains("* node solar-1"), "{out}");
}

#[test]
fn a_configuration_file_sets_the_weight_and_arguments() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("scheduler.yaml");
    // Weight 1 and a label no node carries: the plugin scores 0 everywhere, so the
    // green profile falls back to the idler node.
    std::fs::write(
        &path,
        r#"apiVersion: kubescheduler.config.k8s.io/v1
kind: KubeSchedulerConfiguration
profiles:
- schedulerName: green-scheduler
  plugins:
    score:
      enabled:
      - {name: PreferLabel, weight: 1}
  pluginConfig:
  - name: PreferLabel
    args: {key: energy, value: wind}
"#,
    )
    .unwrap();
    let out = run(&["--config", path.to_str().unwrap()]);
    assert!(out.contains("eco (green-scheduler) -> coal-1"), "{out}");
    assert!(
        out.lines()
            .any(|l| l.contains("score  PreferLabel") && l.contains("x1 = 0")),
        "{out}"
    );
}

#[test]
fn a_missing_configuration_file_is_an_error() {
    let out = Command::new(env!("CARGO_BIN_EXE_custom-score-plugin"))
        .args(["--config", "/nonexistent/scheduler.yaml"])
        .output()
        .expect("the example starts");
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("loading /nonexistent/scheduler.yaml"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
