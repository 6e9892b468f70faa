//! Cluster events: what changed, so the queue moves back only the unschedulable pods
//! whose rejecting plugins care about that change.

use std::fmt;
use std::ops::BitOr;

/// The kind of object an event is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum EventResource {
    /// A pod already bound (or assumed) to a node.
    AssignedPod,
    /// A pod not yet bound (the pod being scheduled, or another pending pod).
    UnscheduledPod,
    /// A node.
    Node,
    /// A namespace (labels matter to affinity namespace selectors).
    Namespace,
    /// A workload that selects pods (service, replica set, ...), used by default
    /// topology spread constraints.
    Workload,
    /// Anything: a plugin registering this is moved by every event.
    Wildcard,
}

/// What happened, as a bit set so plugins can register several actions at once.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct ActionType(u32);

impl ActionType {
    /// Nothing.
    pub const NONE: ActionType = ActionType(0);
    /// Created.
    pub const ADD: ActionType = ActionType(1);
    /// Deleted.
    pub const DELETE: ActionType = ActionType(1 << 1);
    /// A node's allocatable changed.
    pub const UPDATE_NODE_ALLOCATABLE: ActionType = ActionType(1 << 2);
    /// A node's labels changed.
    pub const UPDATE_NODE_LABEL: ActionType = ActionType(1 << 3);
    /// A node's taints (or `unschedulable`) changed.
    pub const UPDATE_NODE_TAINT: ActionType = ActionType(1 << 4);
    /// A node's conditions changed.
    pub const UPDATE_NODE_CONDITION: ActionType = ActionType(1 << 5);
    /// A node's images changed.
    pub const UPDATE_NODE_IMAGES: ActionType = ActionType(1 << 6);
    /// A pod's labels changed.
    pub const UPDATE_POD_LABEL: ActionType = ActionType(1 << 7);
    /// A pod's requests went down.
    pub const UPDATE_POD_SCALE_DOWN: ActionType = ActionType(1 << 8);
    /// A pod's tolerations changed.
    pub const UPDATE_POD_TOLERATIONS: ActionType = ActionType(1 << 9);
    /// Any other update.
    pub const UPDATE_OTHER: ActionType = ActionType(1 << 10);
    /// Every kind of update.
    pub const UPDATE: ActionType = ActionType(0b111_1111_1100);
    /// Everything.
    pub const ALL: ActionType = ActionType(u32::MAX);

    /// True if no action is set.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// True if the two sets share an action.
    pub fn intersects(self, other: ActionType) -> bool {
        self.0 & other.0 != 0
    }
}

impl BitOr for ActionType {
    type Output = ActionType;
    fn bitor(self, rhs: ActionType) -> ActionType {
        ActionType(self.0 | rhs.0)
    }
}

impl fmt::Debug for ActionType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ActionType({:#b})", self.0)
    }
}

/// One cluster event: a resource and what happened to it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ClusterEvent {
    /// What the event is about.
    pub resource: EventResource,
    /// What happened.
    pub action: ActionType,
}

impl ClusterEvent {
    /// An event.
    pub const fn new(resource: EventResource, action: ActionType) -> Self {
        ClusterEvent { resource, action }
    }

    /// A node was added.
    pub const NODE_ADD: ClusterEvent = ClusterEvent::new(EventResource::Node, ActionType::ADD);
    /// An assigned pod was deleted.
    pub const ASSIGNED_POD_DELETE: ClusterEvent =
        ClusterEvent::new(EventResource::AssignedPod, ActionType::DELETE);
    /// A pod was bound or assumed.
    pub const ASSIGNED_POD_ADD: ClusterEvent =
        ClusterEvent::new(EventResource::AssignedPod, ActionType::ADD);
    /// The periodic flush of pods that waited too long in the unschedulable set.
    pub const UNSCHEDULABLE_TIMEOUT: ClusterEvent =
        ClusterEvent::new(EventResource::Wildcard, ActionType::ALL);

    /// True if a plugin that registered `self` wants to hear about `event`.
    pub fn covers(&self, event: &ClusterEvent) -> bool {
        (self.resource == EventResource::Wildcard
            || event.resource == EventResource::Wildcard
            || self.resource == event.resource)
            && self.action.intersects(event.action)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registration_matching() {
        let reg = ClusterEvent::new(
            EventResource::Node,
            ActionType::ADD | ActionType::UPDATE_NODE_ALLOCATABLE,
        );
        assert!(reg.covers(&ClusterEvent::NODE_ADD));
        assert!(!reg.covers(&ClusterEvent::ASSIGNED_POD_DELETE));
        assert!(!reg.covers(&ClusterEvent::new(
            EventResource::Node,
            ActionType::UPDATE_NODE_LABEL
        )));
        assert!(reg.covers(&ClusterEvent::UNSCHEDULABLE_TIMEOUT));
        assert!(ActionType::UPDATE.intersects(ActionType::UPDATE_NODE_TAINT));
        assert!(!ActionType::UPDATE.intersects(ActionType::ADD | ActionType::DELETE));
    }
}
