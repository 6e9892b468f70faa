//! PodTopologySpread: hard constraints (`DoNotSchedule`) filter nodes whose domain
//! would exceed `maxSkew`; soft ones (`ScheduleAnyway`, and the default constraints
//! for pods selected by a service or controller) score nodes.

mod common;
mod domains;
mod filtering;
mod scoring;

use std::sync::Arc;

use core_types::core_v1::TopologySpreadConstraint;
use serde::Deserialize;

pub use common::Constraint;
pub use scoring::{score_for_count, topology_normalizing_weight};

use super::node_memo::NodeMemo;
use crate::error::ConfigError;
use crate::framework::{
    ActionType, ClusterEvent, EventResource, FilterPlugin, Handle, Plugin, PluginArgs,
    PreFilterPlugin, PreScorePlugin, ScorePlugin,
};

use super::names;

/// A node whose domain would exceed the skew.
pub const ERR_REASON_CONSTRAINTS_NOT_MATCH: &str =
    "node(s) didn't match pod topology spread constraints";
/// A node without one of the constraints' topology labels.
pub const ERR_REASON_NODE_LABEL_NOT_MATCH: &str =
    "node(s) didn't match pod topology spread constraints (missing required label)";

/// `PodTopologySpreadArgs`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PodTopologySpreadArgs {
    /// Constraints for pods without their own (with `defaultingType: List`).
    #[serde(default)]
    pub default_constraints: Vec<TopologySpreadConstraint>,
    /// `System` (default: spread by hostname and zone) or `List`.
    #[serde(default)]
    pub defaulting_type: String,
}

/// Spreads pods over topology domains (default weight 2).
#[derive(Debug)]
pub struct PodTopologySpread {
    default_constraints: Vec<TopologySpreadConstraint>,
    system_defaulted: bool,
    memo: NodeMemo,
    domains: domains::DomainIds,
}

fn system_default_constraints() -> Vec<TopologySpreadConstraint> {
    vec![
        TopologySpreadConstraint {
            max_skew: 3,
            topology_key: "kubernetes.io/hostname".into(),
            when_unsatisfiable: "ScheduleAnyway".into(),
            ..Default::default()
        },
        TopologySpreadConstraint {
            max_skew: 5,
            topology_key: "topology.kubernetes.io/zone".into(),
            when_unsatisfiable: "ScheduleAnyway".into(),
            ..Default::default()
        },
    ]
}

impl PodTopologySpread {
    /// The factory for the registry.
    pub fn factory(args: &PluginArgs, _: &Handle) -> Result<Arc<dyn Plugin>, ConfigError> {
        let args: PodTopologySpreadArgs = args.decode()?;
        Ok(Arc::new(PodTopologySpread::new(&args)?))
    }

    /// A plugin with these arguments.
    pub fn new(args: &PodTopologySpreadArgs) -> Result<Self, ConfigError> {
        let err = |m: &str| ConfigError::PluginArgs {
            plugin: names::POD_TOPOLOGY_SPREAD.into(),
            message: m.to_owned(),
        };
        match args.defaulting_type.as_str() {
            "" | "System" => {
                if !args.default_constraints.is_empty() {
                    return Err(err(
                        "when .defaultingType is System, .defaultConstraints must be empty",
                    ));
                }
                Ok(PodTopologySpread {
                    default_constraints: system_default_constraints(),
                    system_defaulted: true,
                    memo: NodeMemo::default(),
                    domains: domains::DomainIds::default(),
                })
            }
            "List" => {
                for c in &args.default_constraints {
                    if c.label_selector.is_some() {
                        return Err(err("default constraints must not have a labelSelector"));
                    }
                    if c.max_skew <= 0 {
                        return Err(err("maxSkew must be greater than zero"));
                    }
                }
                Ok(PodTopologySpread {
                    default_constraints: args.default_constraints.clone(),
                    system_defaulted: false,
                    memo: NodeMemo::default(),
                    domains: domains::DomainIds::default(),
                })
            }
            other => Err(err(&format!("unknown defaultingType {other}"))),
        }
    }
}

impl Plugin for PodTopologySpread {
    fn name(&self) -> &str {
        names::POD_TOPOLOGY_SPREAD
    }
    fn events_to_register(&self) -> Vec<ClusterEvent> {
        vec![
            ClusterEvent::new(
                EventResource::AssignedPod,
                ActionType::ADD | ActionType::UPDATE_POD_LABEL | ActionType::DELETE,
            ),
            ClusterEvent::new(
                EventResource::Node,
                ActionType::ADD
                    | ActionType::DELETE
                    | ActionType::UPDATE_NODE_LABEL
                    | ActionType::UPDATE_NODE_TAINT,
            ),
            ClusterEvent::new(EventResource::Workload, ActionType::ALL),
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
}

#[cfg(test)]
mod tests;
