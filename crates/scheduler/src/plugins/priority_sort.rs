//! PrioritySort: higher `spec.priority` first, then earlier queue timestamp.

use std::sync::Arc;

use crate::error::ConfigError;
use crate::framework::{Handle, Plugin, PluginArgs, QueueSortPlugin};
use crate::queue::QueuedPodInfo;

use super::names;

/// Orders the queue by priority (descending), then by when the pod entered the queue.
#[derive(Debug, Default)]
pub struct PrioritySort;

impl PrioritySort {
    /// The factory for the registry.
    pub fn factory(_: &PluginArgs, _: &Handle) -> Result<Arc<dyn Plugin>, ConfigError> {
        Ok(Arc::new(PrioritySort))
    }
}

impl Plugin for PrioritySort {
    fn name(&self) -> &str {
        names::PRIORITY_SORT
    }
    fn events_to_register(&self) -> Vec<crate::framework::ClusterEvent> {
        Vec::new()
    }
    fn as_queue_sort(&self) -> Option<&dyn QueueSortPlugin> {
        Some(self)
    }
}

impl QueueSortPlugin for PrioritySort {
    fn less(&self, a: &QueuedPodInfo, b: &QueuedPodInfo) -> bool {
        let (pa, pb) = (a.pod_info.priority, b.pod_info.priority);
        pa > pb || (pa == pb && a.timestamp < b.timestamp)
    }
}
