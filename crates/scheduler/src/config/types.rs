//! The configuration file's shape: kube-scheduler's `KubeSchedulerConfiguration`
//! (`kubescheduler.config.k8s.io/v1`), the parts a scheduler framework uses.

use serde::{Deserialize, Serialize};

/// The whole configuration.
///
/// ```yaml
/// apiVersion: kubescheduler.config.k8s.io/v1
/// kind: KubeSchedulerConfiguration
/// percentageOfNodesToScore: 0      # adaptive
/// profiles:
/// - schedulerName: default-scheduler
///   plugins:
///     score:
///       enabled: [{name: MyPlugin, weight: 5}]
///       disabled: [{name: ImageLocality}]
///   pluginConfig:
///   - name: NodeResourcesFit
///     args: {scoringStrategy: {type: MostAllocated}}
/// ```
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SchedulerConfiguration {
    /// `kubescheduler.config.k8s.io/v1` (other versions are accepted as written).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub api_version: String,
    /// `KubeSchedulerConfiguration`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub kind: String,
    /// Workers used to filter and score nodes in parallel (1 here: this scheduler is
    /// fast enough single-threaded; kept for compatibility).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parallelism: Option<u32>,
    /// Percentage of nodes to find feasible before scoring; 0 or unset is adaptive
    /// (`50 - nodes/125`, at least 5%, at least 100 nodes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub percentage_of_nodes_to_score: Option<u32>,
    /// First backoff of a pod that failed (default 1 s).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pod_initial_backoff_seconds: Option<u64>,
    /// Longest backoff (default 10 s).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pod_max_backoff_seconds: Option<u64>,
    /// The profiles; none means one default profile.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub profiles: Vec<ProfileConfig>,
    /// Accepted and ignored (kube-scheduler process settings).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub leader_election: Option<serde_json::Value>,
    /// Accepted and ignored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_connection: Option<serde_json::Value>,
    /// Accepted and ignored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extenders: Option<serde_json::Value>,
}

/// One profile: a scheduler name and its plugins.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ProfileConfig {
    /// Pods with this `spec.schedulerName` use the profile (default
    /// `default-scheduler`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub scheduler_name: String,
    /// Overrides the global percentage for this profile.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub percentage_of_nodes_to_score: Option<u32>,
    /// Plugins enabled and disabled per extension point, merged with the defaults.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plugins: Option<PluginsConfig>,
    /// Arguments per plugin.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub plugin_config: Vec<PluginConfigEntry>,
}

/// Plugin sets per extension point.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PluginsConfig {
    /// Accepted for compatibility (pre-enqueue checks are built in).
    #[serde(default)]
    pub pre_enqueue: PluginSet,
    /// QueueSort.
    #[serde(default)]
    pub queue_sort: PluginSet,
    /// PreFilter.
    #[serde(default)]
    pub pre_filter: PluginSet,
    /// Filter.
    #[serde(default)]
    pub filter: PluginSet,
    /// PostFilter.
    #[serde(default)]
    pub post_filter: PluginSet,
    /// PreScore.
    #[serde(default)]
    pub pre_score: PluginSet,
    /// Score (with weights).
    #[serde(default)]
    pub score: PluginSet,
    /// Reserve.
    #[serde(default)]
    pub reserve: PluginSet,
    /// Permit.
    #[serde(default)]
    pub permit: PluginSet,
    /// PreBind.
    #[serde(default)]
    pub pre_bind: PluginSet,
    /// Bind.
    #[serde(default)]
    pub bind: PluginSet,
    /// PostBind.
    #[serde(default)]
    pub post_bind: PluginSet,
    /// Plugins enabled at every extension point they implement.
    #[serde(default)]
    pub multi_point: PluginSet,
}

/// Enabled and disabled plugins of one extension point. `disabled: [{name: "*"}]`
/// disables every default plugin there.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PluginSet {
    /// Enabled, in order (after the defaults that are not disabled).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub enabled: Vec<PluginRef>,
    /// Disabled defaults.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub disabled: Vec<PluginRef>,
}

/// A plugin by name, with a weight for Score.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PluginRef {
    /// The registered name.
    pub name: String,
    /// Score weight (default 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<i32>,
}

impl PluginRef {
    /// A plugin reference without weight.
    pub fn new(name: &str) -> Self {
        PluginRef {
            name: name.to_owned(),
            weight: None,
        }
    }

    /// A plugin reference with a weight.
    pub fn weighted(name: &str, weight: i32) -> Self {
        PluginRef {
            name: name.to_owned(),
            weight: Some(weight),
        }
    }
}

/// The arguments of one plugin.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PluginConfigEntry {
    /// The plugin.
    pub name: String,
    /// Its arguments (the plugin's own type, e.g. `NodeResourcesFitArgs`).
    #[serde(default)]
    pub args: serde_json::Value,
}
