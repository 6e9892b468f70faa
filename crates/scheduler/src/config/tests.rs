//! Loading configurations: defaults, merging, weights, arguments, errors.

use std::sync::Arc;

use super::*;
use crate::framework::{CycleState, NodeInfo, Plugin, PodInfo, ScorePlugin, Status};

#[test]
fn default_profile_has_kube_scheduler_plugins_and_weights() {
    let p = Profiles::default_profiles().unwrap();
    let f = p.get("").unwrap();
    assert_eq!(f.scheduler_name(), DEFAULT_SCHEDULER_NAME);
    assert_eq!(
        f.plugins_at("Filter"),
        [
            "NodeUnschedulable",
            "NodeName",
            "TaintToleration",
            "NodeAffinity",
            "NodePorts",
            "NodeResourcesFit",
            "PodTopologySpread",
            "InterPodAffinity"
        ]
    );
    let weights: Vec<(&str, i64)> = f
        .plugins_at("Score")
        .into_iter()
        .map(|n| (n, f.score_weight(n).unwrap()))
        .collect();
    assert_eq!(
        weights,
        [
            ("TaintToleration", 3),
            ("NodeAffinity", 2),
            ("NodeResourcesFit", 1),
            ("PodTopologySpread", 2),
            ("InterPodAffinity", 2),
            ("NodeResourcesBalancedAllocation", 1),
            ("ImageLocality", 1)
        ]
    );
    assert_eq!(f.plugins_at("QueueSort"), ["PrioritySort"]);
    assert_eq!(f.plugins_at("PostFilter"), ["DefaultPreemption"]);
    assert_eq!(f.plugins_at("Bind"), ["DefaultBinder"]);
}

struct Constant(i64);
impl Plugin for Constant {
    fn name(&self) -> &str {
        "Constant"
    }
    fn as_score(&self) -> Option<&dyn ScorePlugin> {
        Some(self)
    }
}
impl ScorePlugin for Constant {
    fn score(&self, _: &CycleState, _: &PodInfo, _: &NodeInfo) -> Result<i64, Status> {
        Ok(self.0)
    }
}

#[derive(serde::Deserialize, Default)]
struct ConstantArgs {
    #[serde(default)]
    value: i64,
}

fn registry() -> Registry {
    let mut r = Registry::default();
    r.register("Constant", |args, _| {
        let a: ConstantArgs = args.decode()?;
        Ok(Arc::new(Constant(a.value)))
    })
    .unwrap();
    r
}

const YAML: &str = r#"
apiVersion: kubescheduler.config.k8s.io/v1
kind: KubeSchedulerConfiguration
percentageOfNodesToScore: 30
podInitialBackoffSeconds: 2
profiles:
- schedulerName: default-scheduler
- schedulerName: bin-packing
  plugins:
    score:
      enabled:
      - name: Constant
        weight: 7
      disabled:
      - name: ImageLocality
      - name: NodeResourcesBalancedAllocation
  pluginConfig:
  - name: NodeResourcesFit
    args:
      scoringStrategy:
        type: MostAllocated
        resources: [{name: cpu, weight: 3}, {name: memory, weight: 1}]
  - name: Constant
    args: {value: 42}
"#;

#[test]
fn yaml_profiles_merge_with_defaults() {
    let cfg = SchedulerConfiguration::from_yaml(YAML).unwrap();
    assert_eq!(cfg.settings().percentage_of_nodes_to_score, 30);
    assert_eq!(
        cfg.settings().initial_backoff,
        std::time::Duration::from_secs(2)
    );
    let p = cfg.build(&registry(), &Handle::new()).unwrap();
    assert_eq!(
        p.names().collect::<Vec<_>>(),
        ["bin-packing", "default-scheduler"]
    );
    let f = p.get("bin-packing").unwrap();
    let score = f.plugins_at("Score");
    assert!(!score.contains(&"ImageLocality"));
    assert!(!score.contains(&"NodeResourcesBalancedAllocation"));
    assert_eq!(score.last(), Some(&"Constant"));
    assert_eq!(f.score_weight("Constant"), Some(7));
    let c = f.plugin("Constant").unwrap().as_score().unwrap();
    let n = NodeInfo::default();
    let pod = PodInfo::from_pod(Default::default());
    assert_eq!(c.score(&CycleState::new(), &pod, &n).unwrap(), 42);
    // The same configuration as JSON.
    let json: serde_json::Value = serde_yaml_ng::from_str(YAML).unwrap();
    let cfg2 = SchedulerConfiguration::from_json(&json.to_string()).unwrap();
    assert_eq!(cfg, cfg2);
}

#[test]
fn configuration_errors() {
    let bad = |yaml: &str| {
        SchedulerConfiguration::from_yaml(yaml)
            .and_then(|c| c.build(&registry(), &Handle::new()))
            .unwrap_err()
    };
    assert!(matches!(
        bad("profiles: [{plugins: {score: {enabled: [{name: Nope}]}}}]"),
        ConfigError::UnknownPlugin(n) if n == "Nope"
    ));
    assert!(matches!(
        bad(
            "profiles: [{pluginConfig: [{name: NodeResourcesFit, args: {scoringStrategy: {type: Weird}}}]}]"
        ),
        ConfigError::PluginArgs { .. }
    ));
    assert!(matches!(
        bad("profiles: [{plugins: {bind: {disabled: [{name: '*'}]}}}]"),
        ConfigError::Invalid(_)
    ));
    assert!(matches!(
        bad("profiles: [{schedulerName: a}, {schedulerName: a}]"),
        ConfigError::Invalid(_)
    ));
    assert!(matches!(
        bad("percentageOfNodesToScore: 101"),
        ConfigError::Invalid(_)
    ));
    assert!(matches!(
        bad("profiles: [{unknownField: 1}]"),
        ConfigError::Parse(_)
    ));
    assert!(matches!(
        bad("profiles: [{plugins: {filter: {enabled: [{name: ImageLocality}]}}}]"),
        ConfigError::Invalid(_)
    ));
    let mut r = registry();
    assert!(matches!(
        r.register("Constant", |_, _| Ok(Arc::new(Constant(0)))),
        Err(ConfigError::DuplicatePlugin(_))
    ));
}

#[test]
fn star_disables_all_defaults_at_a_point() {
    let cfg = SchedulerConfiguration::from_yaml(
        "profiles: [{plugins: {score: {disabled: [{name: '*'}], enabled: [{name: Constant}]}}}]",
    )
    .unwrap();
    let p = cfg.build(&registry(), &Handle::new()).unwrap();
    assert_eq!(p.get("").unwrap().plugins_at("Score"), ["Constant"]);
    // Filters are untouched.
    assert!(p.get("").unwrap().plugins_at("Filter").len() >= 6);
}
