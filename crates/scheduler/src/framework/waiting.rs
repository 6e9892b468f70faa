//! Pods held at Permit: [`WaitingPods`] and [`WaitingPod`].

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Instant;

use futures::channel::oneshot;

use super::pod_info::PodInfo;
use super::status::{Code, Status};

/// The outcome of a wait.
pub(crate) type PermitOutcome = Result<(), Status>;

struct WaitState {
    /// Plugins that asked to wait and have not allowed yet, with their deadlines.
    pending: HashMap<String, Instant>,
    sender: Option<oneshot::Sender<PermitOutcome>>,
}

/// A pod some Permit plugin is holding. Any plugin may [`allow`](Self::allow) or
/// [`reject`](Self::reject) it; it proceeds to binding once every waiting plugin has
/// allowed it, and fails at the first rejection (a timeout is a rejection).
pub struct WaitingPod {
    pod: Arc<PodInfo>,
    node: String,
    state: Mutex<WaitState>,
}

impl std::fmt::Debug for WaitingPod {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WaitingPod")
            .field("pod", &self.pod.key)
            .field("node", &self.node)
            .finish_non_exhaustive()
    }
}

impl WaitingPod {
    pub(crate) fn new(
        pod: Arc<PodInfo>,
        node: String,
        pending: HashMap<String, Instant>,
    ) -> (Arc<Self>, oneshot::Receiver<PermitOutcome>) {
        let (tx, rx) = oneshot::channel();
        let waiting = Arc::new(WaitingPod {
            pod,
            node,
            state: Mutex::new(WaitState {
                pending,
                sender: Some(tx),
            }),
        });
        (waiting, rx)
    }

    /// The pod.
    pub fn pod(&self) -> &Arc<PodInfo> {
        &self.pod
    }

    /// The node it would be bound to.
    pub fn node(&self) -> &str {
        &self.node
    }

    /// The plugins still holding it.
    pub fn pending_plugins(&self) -> Vec<String> {
        let state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        let mut names: Vec<String> = state.pending.keys().cloned().collect();
        names.sort();
        names
    }

    /// The earliest deadline among the plugins still holding it.
    pub(crate) fn next_deadline(&self) -> Option<(Instant, String)> {
        let state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        state
            .pending
            .iter()
            .min_by_key(|(_, d)| **d)
            .map(|(p, d)| (*d, p.clone()))
    }

    /// `plugin` lets the pod go; once no plugin holds it, it proceeds.
    pub fn allow(&self, plugin: &str) {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        state.pending.remove(plugin);
        if state.pending.is_empty() {
            if let Some(tx) = state.sender.take() {
                let _ = tx.send(Ok(()));
            }
        }
    }

    /// `plugin` rejects the pod: binding is abandoned and the pod requeued.
    pub fn reject(&self, plugin: &str, message: &str) {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(tx) = state.sender.take() {
            let status = Status::new(Code::Unschedulable, message.to_owned())
                .with_plugin(&Arc::from(plugin));
            let _ = tx.send(Err(status));
        }
    }
}

/// The pods currently held at Permit, by pod key. Shared through the
/// [`Handle`](super::Handle).
#[derive(Clone, Default)]
pub struct WaitingPods {
    inner: Arc<Mutex<HashMap<String, Arc<WaitingPod>>>>,
}

impl std::fmt::Debug for WaitingPods {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WaitingPods").finish_non_exhaustive()
    }
}

impl WaitingPods {
    /// The waiting pod with `key` (uid or `namespace/name`).
    pub fn get(&self, key: &str) -> Option<Arc<WaitingPod>> {
        self.lock().get(key).cloned()
    }

    /// Every waiting pod.
    pub fn list(&self) -> Vec<Arc<WaitingPod>> {
        self.lock().values().cloned().collect()
    }

    pub(crate) fn insert(&self, pod: Arc<WaitingPod>) {
        self.lock().insert(pod.pod.key.clone(), pod);
    }

    pub(crate) fn remove(&self, key: &str) {
        self.lock().remove(key);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Arc<WaitingPod>>> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use core_types::core_v1::Pod;

    #[test]
    fn allowed_by_all_then_proceeds() {
        let pod = Arc::new(PodInfo::from_pod(Pod::default()));
        let now = Instant::now();
        let pending = HashMap::from([("A".to_owned(), now), ("B".to_owned(), now)]);
        let (w, mut rx) = WaitingPod::new(pod, "n1".into(), pending);
        w.allow("A");
        assert!(rx.try_recv().unwrap().is_none());
        assert_eq!(w.pending_plugins(), vec!["B".to_owned()]);
        w.allow("B");
        assert_eq!(rx.try_recv().unwrap(), Some(Ok(())));
    }

    #[test]
    fn rejection_wins() {
        let pod = Arc::new(PodInfo::from_pod(Pod::default()));
        let pending = HashMap::from([("A".to_owned(), Instant::now())]);
        let (w, mut rx) = WaitingPod::new(pod, "n1".into(), pending);
        w.reject("A", "no");
        w.allow("A");
        let outcome = rx.try_recv().unwrap().unwrap();
        assert_eq!(outcome.unwrap_err().plugin(), Some("A"));
    }
}
