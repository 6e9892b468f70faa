//! Measuring in a child process: this binary run again with other arguments, so that
//! each measurement starts from a fresh heap and runtime.

use std::ffi::OsString;
use std::process::{Command, Stdio};

use anyhow::{Context as _, bail};

/// Runs this binary with `args` (standard error shared with this process) and returns
/// what follows `RESULT ` on each line it printed. Fails if the child could not start
/// or did not succeed.
pub fn results(args: &[OsString]) -> anyhow::Result<Vec<String>> {
    results_with_env(args, &[])
}

/// [`results`], with `env` added to the child's environment.
pub fn results_with_env(args: &[OsString], env: &[(&str, &str)]) -> anyhow::Result<Vec<String>> {
    let output = Command::new(std::env::current_exe()?)
        .args(args)
        .envs(env.iter().copied())
        .stderr(Stdio::inherit())
        .output()
        .context("starting the child process")?;
    if !output.status.success() {
        bail!("the child process failed ({})", output.status);
    }
    Ok(String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| line.strip_prefix("RESULT "))
        .map(str::to_owned)
        .collect())
}
