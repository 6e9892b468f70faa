//! Nominated pods: pods that preempted others and wait for the victims to go, by the
//! node they were nominated to.

use std::collections::HashMap;
use std::sync::Arc;

use crate::framework::PodInfo;

/// A read-only view of the nominations for one cycle (cheap to clone).
#[derive(Clone, Debug, Default)]
pub struct NominatedPods(Arc<HashMap<String, Vec<Arc<PodInfo>>>>);

impl NominatedPods {
    /// The pods nominated to `node`.
    pub fn on_node(&self, node: &str) -> Option<&[Arc<PodInfo>]> {
        self.0.get(node).map(Vec::as_slice)
    }

    /// The nodes with nominated pods.
    pub fn nodes(&self) -> impl Iterator<Item = &str> {
        self.0.keys().map(String::as_str)
    }

    /// True if no pod is nominated anywhere.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// The nominations, kept by the queue.
#[derive(Debug, Default)]
pub(crate) struct Nominator {
    by_node: HashMap<String, Vec<Arc<PodInfo>>>,
    by_pod: HashMap<String, String>,
    view: Option<NominatedPods>,
}

impl Nominator {
    pub(crate) fn add(&mut self, pod: Arc<PodInfo>, node: &str) {
        self.delete(&pod.key);
        if node.is_empty() {
            return;
        }
        self.by_pod.insert(pod.key.clone(), node.to_owned());
        self.by_node.entry(node.to_owned()).or_default().push(pod);
        self.view = None;
    }

    pub(crate) fn delete(&mut self, key: &str) {
        let Some(node) = self.by_pod.remove(key) else {
            return;
        };
        if let Some(list) = self.by_node.get_mut(&node) {
            list.retain(|p| p.key != key);
            if list.is_empty() {
                self.by_node.remove(&node);
            }
        }
        self.view = None;
    }

    /// Refreshes the pod of an existing nomination.
    pub(crate) fn update(&mut self, pod: &Arc<PodInfo>) {
        if let Some(node) = self.by_pod.get(&pod.key).cloned() {
            self.add(pod.clone(), &node);
        }
    }

    pub(crate) fn node_of(&self, key: &str) -> Option<&str> {
        self.by_pod.get(key).map(String::as_str)
    }

    pub(crate) fn on_node(&self, node: &str) -> &[Arc<PodInfo>] {
        self.by_node.get(node).map_or(&[], Vec::as_slice)
    }

    pub(crate) fn view(&mut self) -> NominatedPods {
        if let Some(v) = &self.view {
            return v.clone();
        }
        let v = NominatedPods(Arc::new(self.by_node.clone()));
        self.view = Some(v.clone());
        v
    }
}
