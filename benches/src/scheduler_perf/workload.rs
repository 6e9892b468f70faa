//! Workload files, shaped like kube-scheduler's scheduler_perf configs: test cases with
//! a `workloadTemplate` of operations and `workloads` that fill in the parameters.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context, Result, anyhow};
use core_types::core_v1::{Node, Pod};
use serde::Deserialize;

/// One test case (`SchedulingBasic`, ...).
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct TestCase {
    /// The name.
    pub(crate) name: String,
    /// Pod template for `createPods` operations without their own.
    #[serde(default)]
    pub(crate) default_pod_template: Option<serde_json::Value>,
    /// Node template for `createNodes` operations without their own.
    #[serde(default)]
    pub(crate) default_node_template: Option<serde_json::Value>,
    /// The operations, in order.
    pub(crate) workload_template: Vec<Op>,
    /// Parameter sets.
    pub(crate) workloads: Vec<Workload>,
}

/// One parameter set of a test case.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Workload {
    /// The name (`5000Nodes_10000Pods`).
    pub(crate) name: String,
    /// `performance` (the full size), `short` (a smoke-test size).
    #[serde(default)]
    pub(crate) labels: Vec<String>,
    /// kube-scheduler's published threshold, pods/s.
    #[serde(default)]
    pub(crate) threshold: Option<f64>,
    /// Values for `$param` references.
    #[serde(default)]
    pub(crate) params: BTreeMap<String, i64>,
}

/// A node label applied round-robin from a list of values.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct LabelStrategy {
    /// The label key.
    pub(crate) label_key: String,
    /// The values, assigned in turn.
    pub(crate) label_values: Vec<String>,
}

/// One operation.
#[derive(Clone, Debug, Deserialize)]
#[serde(tag = "opcode", rename_all = "camelCase")]
pub(crate) enum Op {
    /// Create nodes.
    #[serde(rename_all = "camelCase")]
    CreateNodes {
        #[serde(default)]
        count: Option<i64>,
        #[serde(default)]
        count_param: Option<String>,
        #[serde(default)]
        node_template: Option<serde_json::Value>,
        #[serde(default)]
        label_node_prepare_strategy: Option<LabelStrategy>,
    },
    /// Create namespaces `<prefix>-0`, `<prefix>-1`, ...
    #[serde(rename_all = "camelCase")]
    CreateNamespaces {
        prefix: String,
        #[serde(default)]
        count: Option<i64>,
        #[serde(default)]
        count_param: Option<String>,
    },
    /// Create pods (and wait for them to be scheduled unless told not to).
    #[serde(rename_all = "camelCase")]
    CreatePods {
        #[serde(default)]
        count: Option<i64>,
        #[serde(default)]
        count_param: Option<String>,
        #[serde(default)]
        pod_template: Option<serde_json::Value>,
        #[serde(default)]
        namespace: Option<String>,
        #[serde(default)]
        collect_metrics: bool,
        #[serde(default)]
        skip_wait_to_completion: bool,
        /// Wait until every pod was tried once (for pods that stay pending).
        #[serde(default)]
        wait_attempted: bool,
    },
    /// Keep creating pods from the templates at an interval while later operations run.
    #[serde(rename_all = "camelCase")]
    Churn {
        mode: String,
        interval_milliseconds: u64,
        templates: Vec<serde_json::Value>,
        #[serde(default)]
        namespace: Option<String>,
    },
}

/// Reads every test case from the YAML files of a directory (sorted by file name).
pub(crate) fn load_dir(dir: &Path) -> Result<Vec<TestCase>> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yaml" || x == "yml"))
        .collect();
    files.sort();
    let mut cases = Vec::new();
    for f in files {
        let text =
            std::fs::read_to_string(&f).with_context(|| format!("reading {}", f.display()))?;
        let mut parsed: Vec<TestCase> =
            serde_yaml_ng::from_str(&text).with_context(|| format!("parsing {}", f.display()))?;
        cases.append(&mut parsed);
    }
    Ok(cases)
}

/// Resolves `count` / `countParam`.
pub(crate) fn resolve_count(
    count: Option<i64>,
    param: Option<&str>,
    w: &Workload,
) -> Result<usize> {
    let n = match (count, param) {
        (Some(c), _) => c,
        (None, Some(p)) => {
            let key = p.trim_start_matches('$');
            *w.params
                .get(key)
                .ok_or_else(|| anyhow!("workload {} has no parameter {key}", w.name))?
        }
        (None, None) => return Err(anyhow!("operation without count or countParam")),
    };
    usize::try_from(n).map_err(|_| anyhow!("negative count {n}"))
}

/// A pod from a template value.
pub(crate) fn pod_template(v: &serde_json::Value) -> Result<Pod> {
    serde_json::from_value(v.clone()).context("pod template")
}

/// A node from a template value.
pub(crate) fn node_template(v: &serde_json::Value) -> Result<Node> {
    serde_json::from_value(v.clone()).context("node template")
}
