//! A plugin-framework pod scheduler with kube-scheduler's semantics, built to be fast
//! and pleasant to extend.
//!
//! - **Framework** ([`Plugin`] and one small trait per extension point: QueueSort,
//!   PreFilter, Filter, PostFilter, PreScore, Score + NormalizeScore, Reserve/Unreserve,
//!   Permit, PreBind, Bind, PostBind), per-cycle [`CycleState`], scores 0..=100
//!   combined by weights.
//! - **Configuration** ([`SchedulerConfiguration`]): YAML or JSON shaped like
//!   `KubeSchedulerConfiguration` (profiles by `schedulerName`, plugins enabled and
//!   disabled per extension point or `multiPoint`, weights, `pluginConfig` args),
//!   merged with the defaults; a [`Registry`] maps names to plugin factories, so an
//!   out-of-tree plugin is one trait implementation and one
//!   [`register`](Registry::register) call.
//! - **State**: the [`Cache`] of [`NodeInfo`]s (incremental, with assumed pods) and
//!   per-cycle [`Snapshot`]s that copy only changed nodes; the [`SchedulingQueue`]
//!   (active heap, 1 s..10 s backoff, unschedulable pods moved back by relevant
//!   cluster events).
//! - **Default plugins** ([`plugins`]): PrioritySort, NodeName, NodeUnschedulable,
//!   NodePorts, NodeResourcesFit (LeastAllocated, MostAllocated,
//!   RequestedToCapacityRatio), NodeResourcesBalancedAllocation, NodeAffinity,
//!   TaintToleration, InterPodAffinity, PodTopologySpread, ImageLocality,
//!   DefaultPreemption, DefaultBinder, with kube-scheduler's default weights.
//! - **Explanations** ([`Explanation`]): every filter verdict and every score (raw,
//!   normalized, weighted) per node, and the Kubernetes-style "0/N nodes are
//!   available: ..." message of a [`FitError`].
//! - **Two ways to run**: [`Scheduler`], a plain library object (feed nodes and pods,
//!   get [`Decision`]s; no async runtime), and [`InClusterScheduler`], which watches
//!   pods and nodes through a [`client::Client`] and binds asynchronously.
//!
//! ```
//! use std::time::Instant;
//! use core_types::core_v1::{Node, Pod};
//! use core_types::Quantity;
//! use scheduler::Scheduler;
//!
//! let mut s = Scheduler::new()?;
//! let mut node = Node::default();
//! node.metadata.name = "small".into();
//! node.status.allocatable.insert("cpu", Quantity::from_milli(1000));
//! node.status.allocatable.insert("pods", "110".parse()?);
//! s.add_node(node);
//!
//! let mut pod = Pod::default();
//! pod.metadata.name = "big".into();
//! let mut c = core_types::core_v1::Container::default();
//! c.resources.requests.insert("cpu", Quantity::from_milli(2000));
//! pod.spec.containers.push(c);
//! let why = s.explain(&pod);
//! assert_eq!(why.message.as_deref(), Some("0/1 nodes are available: 1 Insufficient cpu."));
//! println!("{why}"); // every filter verdict and score, per node
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Crate layout
//!
//! Modules are private; this file's `pub use` list is the public surface (plus the
//! [`plugins`] module for the in-tree plugins and their argument types).

mod cache;
mod config;
mod driver;
mod error;
mod framework;
pub mod plugins;
mod queue;
mod schedule;
#[cfg(test)]
mod testing;

pub use cache::{Cache, ClusterObjects, DisruptionBudget, Snapshot, WorkloadSelector};
pub use config::{
    DEFAULT_SCHEDULER_NAME, PluginConfigEntry, PluginRef, PluginSet, PluginsConfig, ProfileConfig,
    Profiles, SchedulerConfiguration, Settings, default_plugins, merge_plugins,
};
pub use driver::{DriverStats, InClusterScheduler, InClusterSchedulerBuilder};
pub use error::{CacheError, ConfigError, DriverError};
pub use framework::{
    ActionType, ActiveFilters, AffinityTerm, BindPlugin, ClusterEvent, Code, CycleState,
    DEFAULT_MEMORY_REQUEST, DEFAULT_MILLI_CPU_REQUEST, EventResource, FilterPlugin, Framework,
    Handle, HostPort, MAX_NODE_SCORE, MEMO_SLOTS, MIN_NODE_SCORE, NamespaceLabels, NodeInfo,
    PermitDecision, PermitPlugin, Plugin, PluginArgs, PluginFactory, PluginScores, PodInfo,
    PodRequests, PostBindPlugin, PostFilterInput, PostFilterPlugin, PostFilterResult,
    PreBindPlugin, PreFilterPlugin, PreFilterResult, PreScorePlugin, QueueSortPlugin, Registry,
    ReservePlugin, Resource, ScorePlugin, Status, WaitingPod, WaitingPods, WeightedAffinityTerm,
    is_scalar_resource_name, pod_key,
};
pub use queue::{NominatedPods, QueuedPodInfo, Requeued, SchedulingQueue};
pub use schedule::{
    Algorithm, Decision, Diagnosis, Explanation, FilterVerdict, FitError,
    MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND, MIN_FEASIBLE_NODES_TO_FIND, NodeExplanation,
    ScheduleError, ScheduleResult, Scheduler, ScoreDetail, num_feasible_nodes_to_find,
};
