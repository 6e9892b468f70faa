//! The framework: plugin traits, per-cycle state, pod and node data, the registry and
//! the runtime that runs the extension points.

mod cycle_state;
mod events;
mod node_info;
mod plugin;
mod pod_info;
mod registry;
mod resource;
mod runtime;
mod status;
mod waiting;

pub use cycle_state::CycleState;
pub use events::{ActionType, ClusterEvent, EventResource};
pub use node_info::{MEMO_SLOTS, NodeInfo};
pub use plugin::{
    BindPlugin, FilterPlugin, MAX_NODE_SCORE, MIN_NODE_SCORE, PermitDecision, PermitPlugin, Plugin,
    PostBindPlugin, PostFilterPlugin, PostFilterResult, PreBindPlugin, PreFilterPlugin,
    PreFilterResult, PreScorePlugin, QueueSortPlugin, ReservePlugin, ScorePlugin,
};
pub(crate) use pod_info::pod_key_of;
pub use pod_info::{
    AffinityTerm, HostPort, NamespaceLabels, PodInfo, WeightedAffinityTerm, pod_key,
};
pub use registry::{Handle, PluginArgs, PluginFactory, Registry};
pub use resource::{
    DEFAULT_MEMORY_REQUEST, DEFAULT_MILLI_CPU_REQUEST, PodRequests, Resource,
    is_scalar_resource_name,
};
pub use runtime::{ActiveFilters, Framework, PluginScores, PostFilterInput};
pub(crate) use runtime::{Entry, PermitOutcome as PermitRound};
pub use status::{Code, Status};
pub use waiting::{WaitingPod, WaitingPods};
