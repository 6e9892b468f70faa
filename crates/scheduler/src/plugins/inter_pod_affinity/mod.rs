//! InterPodAffinity: required pod affinity and anti-affinity (the pod's own and the
//! existing pods' anti-affinity) filter nodes; preferred terms score them.

mod filtering;
mod scoring;

use std::collections::HashMap;
use std::sync::Arc;

use serde::Deserialize;

use crate::error::ConfigError;
use crate::framework::{
    ActionType, ClusterEvent, EventResource, FilterPlugin, Handle, Plugin, PluginArgs,
    PreFilterPlugin, PreScorePlugin, ReservePlugin, ScorePlugin,
};

use super::names;

/// A node that does not satisfy the pod's required affinity.
pub const ERR_REASON_AFFINITY: &str = "node(s) didn't match pod affinity rules";
/// A node that violates the pod's required anti-affinity.
pub const ERR_REASON_ANTI_AFFINITY: &str = "node(s) didn't match pod anti-affinity rules";
/// A node whose existing pods' anti-affinity excludes the pod.
pub const ERR_REASON_EXISTING_ANTI_AFFINITY: &str =
    "node(s) didn't satisfy existing pods anti-affinity rules";

/// `InterPodAffinityArgs`.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InterPodAffinityArgs {
    /// Score an existing pod's *required* affinity term that matches the incoming pod
    /// contributes (0..=100, default 1).
    #[serde(default = "default_hard_weight")]
    pub hard_pod_affinity_weight: i64,
    /// Ignore existing pods' preferred terms when the incoming pod has none.
    #[serde(default)]
    pub ignore_preferred_terms_of_existing_pods: bool,
}

fn default_hard_weight() -> i64 {
    1
}

impl Default for InterPodAffinityArgs {
    fn default() -> Self {
        InterPodAffinityArgs {
            hard_pod_affinity_weight: 1,
            ignore_preferred_terms_of_existing_pods: false,
        }
    }
}

/// Counts per topology pair (`key -> value -> count`); entries that reach zero are
/// removed, so "empty" means no pair counts anything.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct TopologyCounts {
    map: HashMap<String, HashMap<String, i64>>,
}

impl TopologyCounts {
    pub(crate) fn add(&mut self, key: &str, value: &str, delta: i64) {
        if delta == 0 {
            return;
        }
        let values = self.map.entry(key.to_owned()).or_default();
        let count = values.entry(value.to_owned()).or_default();
        *count += delta;
        if *count == 0 {
            values.remove(value);
            if values.is_empty() {
                self.map.remove(key);
            }
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = (&String, &HashMap<String, i64>)> {
        self.map.iter()
    }
}

/// Filters by required pod (anti-)affinity; scores by preferred terms and by existing
/// pods' terms (default weight 2).
#[derive(Debug)]
pub struct InterPodAffinity {
    args: InterPodAffinityArgs,
    memo: super::node_memo::NodeMemo,
}

impl InterPodAffinity {
    /// The factory for the registry.
    pub fn factory(args: &PluginArgs, _: &Handle) -> Result<Arc<dyn Plugin>, ConfigError> {
        let args: InterPodAffinityArgs = args.decode()?;
        Ok(Arc::new(InterPodAffinity::new(args)?))
    }

    /// A plugin with these arguments.
    pub fn new(args: InterPodAffinityArgs) -> Result<Self, ConfigError> {
        if !(0..=100).contains(&args.hard_pod_affinity_weight) {
            return Err(ConfigError::PluginArgs {
                plugin: names::INTER_POD_AFFINITY.into(),
                message: "hardPodAffinityWeight not in valid range [0, 100]".into(),
            });
        }
        Ok(InterPodAffinity {
            args,
            memo: super::node_memo::NodeMemo::default(),
        })
    }
}

impl Plugin for InterPodAffinity {
    fn name(&self) -> &str {
        names::INTER_POD_AFFINITY
    }
    fn events_to_register(&self) -> Vec<ClusterEvent> {
        vec![
            ClusterEvent::new(
                EventResource::AssignedPod,
                ActionType::ADD | ActionType::UPDATE_POD_LABEL | ActionType::DELETE,
            ),
            ClusterEvent::new(
                EventResource::Node,
                ActionType::ADD | ActionType::UPDATE_NODE_LABEL,
            ),
            ClusterEvent::new(EventResource::Namespace, ActionType::ALL),
        ]
    }
    fn as_pre_filter(&self) -> Option<&dyn PreFilterPlugin> {
        Some(self)
    }
    fn as_filter(&self) -> Option<&dyn FilterPlugin> {
        Some(self)
    }
    fn as_pre_score(&self) -> Option<&dyn PreScorePlugin> {
        Some(self)
    }
    fn as_score(&self) -> Option<&dyn ScorePlugin> {
        Some(self)
    }
    fn as_reserve(&self) -> Option<&dyn ReservePlugin> {
        Some(self)
    }
}

#[cfg(test)]
mod tests;
