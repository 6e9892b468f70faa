//! The extension points: one small trait each, with kube-scheduler's semantics.
//!
//! A plugin is one type implementing [`Plugin`] plus the extension-point traits it
//! takes part in; its `as_*` methods return `Some(self)` for those points, which is how
//! the framework finds them (the Rust counterpart of Go's interface assertions):
//!
//! ```
//! use scheduler::{CycleState, NodeInfo, Plugin, PodInfo, ScorePlugin, Status};
//!
//! /// Prefers nodes whose name is short.
//! struct ShortNames;
//!
//! impl Plugin for ShortNames {
//!     fn name(&self) -> &str { "ShortNames" }
//!     fn as_score(&self) -> Option<&dyn ScorePlugin> { Some(self) }
//! }
//!
//! impl ScorePlugin for ShortNames {
//!     fn score(&self, _: &CycleState, _: &PodInfo, node: &NodeInfo) -> Result<i64, Status> {
//!         Ok(100 - (node.name().len() as i64).min(100))
//!     }
//! }
//! ```
//!
//! Order of a scheduling cycle: QueueSort orders the queue; PreFilter (once per pod,
//! may narrow the nodes or Skip its Filter), Filter (per node), PostFilter (only when
//! no node fits: preemption), PreScore (once), Score (per feasible node) and
//! NormalizeScore (once per plugin, to 0..=100), then the weighted sum picks a node;
//! Reserve (Unreserve on any later failure), Permit (allow, deny or wait). The binding
//! cycle runs asynchronously: PreBind, Bind (the first plugin that does not Skip),
//! PostBind.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;

use super::cycle_state::CycleState;
use super::events::ClusterEvent;
use super::node_info::NodeInfo;
use super::pod_info::PodInfo;
use super::runtime::PostFilterInput;
use super::status::Status;
use crate::cache::Snapshot;
use crate::queue::QueuedPodInfo;

/// The highest score a Score plugin may give after normalization.
pub const MAX_NODE_SCORE: i64 = 100;
/// The lowest score.
pub const MIN_NODE_SCORE: i64 = 0;

/// What every plugin implements: its name, the cluster events that may make a pod it
/// rejected schedulable again, and which extension points it takes part in.
pub trait Plugin: Send + Sync + 'static {
    /// The plugin's name, as used in configuration files.
    fn name(&self) -> &str;

    /// Events after which a pod this plugin rejected is worth retrying. The default,
    /// every event, is always correct but retries more than needed.
    fn events_to_register(&self) -> Vec<ClusterEvent> {
        vec![ClusterEvent::UNSCHEDULABLE_TIMEOUT]
    }

    /// `Some(self)` if the plugin orders the queue.
    fn as_queue_sort(&self) -> Option<&dyn QueueSortPlugin> {
        None
    }
    /// `Some(self)` for a PreFilter plugin.
    fn as_pre_filter(&self) -> Option<&dyn PreFilterPlugin> {
        None
    }
    /// `Some(self)` for a Filter plugin.
    fn as_filter(&self) -> Option<&dyn FilterPlugin> {
        None
    }
    /// `Some(self)` for a PostFilter plugin.
    fn as_post_filter(&self) -> Option<&dyn PostFilterPlugin> {
        None
    }
    /// `Some(self)` for a PreScore plugin.
    fn as_pre_score(&self) -> Option<&dyn PreScorePlugin> {
        None
    }
    /// `Some(self)` for a Score plugin.
    fn as_score(&self) -> Option<&dyn ScorePlugin> {
        None
    }
    /// `Some(self)` for a Reserve plugin.
    fn as_reserve(&self) -> Option<&dyn ReservePlugin> {
        None
    }
    /// `Some(self)` for a Permit plugin.
    fn as_permit(&self) -> Option<&dyn PermitPlugin> {
        None
    }
    /// `Some(self)` for a PreBind plugin.
    fn as_pre_bind(&self) -> Option<&dyn PreBindPlugin> {
        None
    }
    /// `Some(self)` for a Bind plugin.
    fn as_bind(&self) -> Option<&dyn BindPlugin> {
        None
    }
    /// `Some(self)` for a PostBind plugin.
    fn as_post_bind(&self) -> Option<&dyn PostBindPlugin> {
        None
    }
}

/// Orders the active queue: the pod for which `less(a, b)` holds is scheduled first.
pub trait QueueSortPlugin: Plugin {
    /// True if `a` goes before `b`.
    fn less(&self, a: &QueuedPodInfo, b: &QueuedPodInfo) -> bool;
}

/// What a PreFilter plugin decides for the cycle.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PreFilterResult {
    /// Go on; the plugin's Filter runs on every node.
    Continue,
    /// Only these nodes can fit (intersected across plugins); e.g. NodeAffinity for a
    /// `metadata.name` field selector.
    Nodes(BTreeSet<String>),
    /// The plugin has nothing to check for this pod: its Filter is not called.
    Skip,
}

/// Runs once per pod before filtering; computes state for Filter.
pub trait PreFilterPlugin: Plugin {
    /// Prepares the cycle. An `Err` rejects the pod on every node
    /// (`Unschedulable`/`UnschedulableAndUnresolvable`) or fails the cycle (`Error`).
    fn pre_filter(
        &self,
        state: &mut CycleState,
        pod: &PodInfo,
        snapshot: &Snapshot,
    ) -> Result<PreFilterResult, Status>;

    /// Preemption simulates adding `added` to `node`: update the state as if it were
    /// there. The default does nothing (for plugins whose state does not depend on
    /// other pods).
    fn add_pod(
        &self,
        _state: &mut CycleState,
        _pod: &PodInfo,
        _added: &Arc<PodInfo>,
        _node: &NodeInfo,
    ) -> Status {
        Status::success()
    }

    /// Preemption simulates removing `removed` from `node`.
    fn remove_pod(
        &self,
        _state: &mut CycleState,
        _pod: &PodInfo,
        _removed: &Arc<PodInfo>,
        _node: &NodeInfo,
    ) -> Status {
        Status::success()
    }
}

/// Decides whether the pod can run on one node. Called for many nodes per cycle: keep
/// it allocation-free and read precomputed data from the [`CycleState`].
pub trait FilterPlugin: Plugin {
    /// `Success`, or why the pod cannot run on `node`.
    fn filter(&self, state: &CycleState, pod: &PodInfo, node: &NodeInfo) -> Status;
}

/// What a PostFilter plugin did.
#[derive(Clone, Debug, Default)]
pub struct PostFilterResult {
    /// The node the pod should run on once the victims are gone (its nominated node);
    /// `Some("")` clears a previous nomination.
    pub nominated_node: Option<String>,
    /// Pods to evict (delete) so the pod fits.
    pub victims: Vec<Arc<PodInfo>>,
    /// Lower-priority pods nominated to the same node whose nomination must be cleared.
    pub cleared_nominations: Vec<Arc<PodInfo>>,
}

/// Runs when no node fits the pod (e.g. preemption).
pub trait PostFilterPlugin: Plugin {
    /// Tries to make the pod schedulable. `Success` with a nominated node ends the
    /// PostFilter phase.
    fn post_filter(
        &self,
        state: &CycleState,
        pod: &Arc<PodInfo>,
        input: &PostFilterInput<'_>,
    ) -> (Option<PostFilterResult>, Status);
}

/// Runs once per pod before scoring, with the nodes that passed the filters.
pub trait PreScorePlugin: Plugin {
    /// Prepares scoring; `Skip` means the plugin's Score is not called this cycle.
    fn pre_score(
        &self,
        state: &mut CycleState,
        pod: &PodInfo,
        nodes: &[&NodeInfo],
        snapshot: &Snapshot,
    ) -> Status;
}

/// Ranks feasible nodes. After normalization each score must be in
/// `0..=MAX_NODE_SCORE`; the framework multiplies it by the plugin's weight.
pub trait ScorePlugin: Plugin {
    /// The raw score of `node`.
    fn score(&self, state: &CycleState, pod: &PodInfo, node: &NodeInfo) -> Result<i64, Status>;

    /// Maps the raw scores of all nodes (same order as `nodes`) into
    /// `0..=MAX_NODE_SCORE`. The default leaves them as they are.
    fn normalize_score(
        &self,
        _state: &CycleState,
        _pod: &PodInfo,
        _nodes: &[&NodeInfo],
        _scores: &mut [i64],
    ) -> Status {
        Status::success()
    }
}

/// Reserves per-node resources for the pod once a node is chosen; `unreserve` undoes
/// it when a later step fails.
pub trait ReservePlugin: Plugin {
    /// Reserves; a failure aborts the cycle (and unreserves every reserve plugin).
    fn reserve(&self, state: &mut CycleState, pod: &PodInfo, node: &str) -> Status;
    /// Undoes `reserve`; must be idempotent.
    fn unreserve(&self, state: &mut CycleState, pod: &PodInfo, node: &str);
}

/// A Permit plugin's answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PermitDecision {
    /// Go on to binding.
    Allow,
    /// Hold the pod (as a [`WaitingPod`](super::WaitingPod)) until some plugin allows
    /// or rejects it, or the timeout passes (a rejection).
    Wait(Duration),
    /// Do not bind; the status says why.
    Deny(Status),
}

/// Approves, denies or delays the binding of a pod to the chosen node.
pub trait PermitPlugin: Plugin {
    /// Decides for `pod` on `node`.
    fn permit(&self, state: &mut CycleState, pod: &PodInfo, node: &str) -> PermitDecision;
}

/// Runs before binding (e.g. to provision a volume); asynchronous.
#[async_trait]
pub trait PreBindPlugin: Plugin {
    /// A failure unreserves the pod and requeues it.
    async fn pre_bind(&self, state: &CycleState, pod: &PodInfo, node: &str) -> Status;
}

/// Binds the pod to the node (writes the binding); asynchronous. The first bind
/// plugin that does not return `Skip` decides.
#[async_trait]
pub trait BindPlugin: Plugin {
    /// `Success`, `Skip` (not mine), or an error (the pod is forgotten and requeued).
    async fn bind(&self, state: &CycleState, pod: &PodInfo, node: &str) -> Status;
}

/// Informational, after a successful bind.
pub trait PostBindPlugin: Plugin {
    /// Called once the pod is bound.
    fn post_bind(&self, state: &CycleState, pod: &PodInfo, node: &str);
}
