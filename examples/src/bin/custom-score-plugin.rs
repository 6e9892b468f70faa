//! An out-of-tree Score plugin, added from outside the scheduler crate: one trait
//! implementation, one `Registry::register` call, and a configuration file that
//! enables it (with a weight and arguments) in a profile.
//!
//! ```sh
//! cargo run --manifest-path examples/Cargo.toml --bin custom-score-plugin
//! cargo run --manifest-path examples/Cargo.toml --bin custom-score-plugin -- --config my-scheduler.yaml
//! ```
//!
//! Without `--config` the built-in configuration below is used (and printed).

use std::sync::Arc;
use std::time::Instant;

use anyhow::{Context, Result};
use clap::Parser;
use core_types::core_v1::{Container, Node, Pod};
use core_types::{Quantity, QuantityFormat};
use scheduler::{
    CycleState, Decision, MAX_NODE_SCORE, NodeInfo, Plugin, PodInfo, Registry, Scheduler,
    SchedulerConfiguration, ScorePlugin, Status,
};
use serde::Deserialize;

/// The configuration: a second profile, `green-scheduler`, with the plugin enabled at
/// Score (weight 5) and ImageLocality disabled; its arguments name the label.
const CONFIG: &str = r#"
apiVersion: kubescheduler.config.k8s.io/v1
kind: KubeSchedulerConfiguration
profiles:
- schedulerName: default-scheduler
- schedulerName: green-scheduler
  plugins:
    score:
      enabled:
      - name: PreferLabel
        weight: 5
      disabled:
      - name: ImageLocality
  pluginConfig:
  - name: PreferLabel
    args:
      key: energy
      value: green
"#;

/// The plugin's arguments (`pluginConfig[].args`).
#[derive(Debug, Default, Deserialize)]
struct PreferLabelArgs {
    key: String,
    value: String,
}

/// Scores 100 for nodes carrying `key=value`, 0 for the others.
struct PreferLabel {
    args: PreferLabelArgs,
}

impl Plugin for PreferLabel {
    fn name(&self) -> &str {
        "PreferLabel"
    }
    fn as_score(&self) -> Option<&dyn ScorePlugin> {
        Some(self)
    }
}

impl ScorePlugin for PreferLabel {
    fn score(&self, _: &CycleState, _: &PodInfo, node: &NodeInfo) -> Result<i64, Status> {
        Ok(
            if node.label(&self.args.key) == Some(self.args.value.as_str()) {
                MAX_NODE_SCORE
            } else {
                0
            },
        )
    }
}

#[derive(Parser)]
struct Args {
    /// A KubeSchedulerConfiguration file (YAML or JSON) that enables `PreferLabel`.
    #[arg(long)]
    config: Option<std::path::PathBuf>,
}

fn node(name: &str, energy: &str, milli_cpu: i64) -> Node {
    let mut n = Node::default();
    n.metadata.name = name.into();
    n.metadata.labels.insert("energy".into(), energy.into());
    let a = &mut n.status.allocatable;
    a.insert("cpu", Quantity::from_milli(milli_cpu));
    a.insert(
        "memory",
        Quantity::from_value(16 << 30, QuantityFormat::BinarySI),
    );
    a.insert("pods", Quantity::from_value(110, QuantityFormat::DecimalSI));
    n
}

fn pod(name: &str, scheduler_name: &str) -> Pod {
    let mut p = Pod::default();
    p.metadata.namespace = "default".into();
    p.metadata.name = name.into();
    p.spec.scheduler_name = scheduler_name.into();
    let mut c = Container {
        name: "app".into(),
        image: "nginx".into(),
        ..Default::default()
    };
    c.resources
        .requests
        .insert("cpu", Quantity::from_milli(500));
    p.spec.containers.push(c);
    p
}

fn main() -> Result<()> {
    let args = Args::parse();
    let config = match &args.config {
        Some(path) => SchedulerConfiguration::from_file(path)
            .with_context(|| format!("loading {}", path.display()))?,
        None => {
            println!("configuration:{CONFIG}");
            SchedulerConfiguration::from_yaml(CONFIG)?
        }
    };

    // The registry: the in-tree plugins plus ours.
    let mut registry = Registry::default();
    registry.register("PreferLabel", |args, _handle| {
        Ok(Arc::new(PreferLabel {
            args: args.decode()?,
        }))
    })?;

    let mut s = Scheduler::from_config(&config, &registry)?;
    // The green node is the busier one: the default profile prefers the idle node,
    // the green profile (PreferLabel, weight 5) the green one.
    s.add_node(node("coal-1", "coal", 8000));
    s.add_node(node("solar-1", "green", 4000));
    let now = Instant::now();
    s.add_pod(pod("ordinary", ""), now);
    s.add_pod(pod("eco", "green-scheduler"), now);
    for d in s.schedule_all(now) {
        if let Decision::Scheduled { pod, node, .. } = d {
            println!(
                "{} ({}) -> {node}",
                pod.name(),
                if pod.pod.spec.scheduler_name.is_empty() {
                    "default-scheduler"
                } else {
                    &pod.pod.spec.scheduler_name
                }
            );
        }
    }
    println!("\nwhy, for another green-scheduler pod:");
    print!("{}", s.explain(&pod("eco-2", "green-scheduler")));
    Ok(())
}
