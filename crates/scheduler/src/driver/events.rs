//! Applying watch events to the cache and the queue (kube-scheduler's event handlers).

use std::sync::Arc;
use std::time::Instant;

use core_types::ObjectMeta;
use core_types::apps_v1::{ReplicaSet, StatefulSet};
use core_types::core_v1::{Namespace, Node, Pod, ReplicationController, Service};
use core_types::policy_v1::PodDisruptionBudget;
use core_types::selector::Selector;

use super::watch::Listed;
use super::{Shared, State, now};
use crate::cache::{DisruptionBudget, WorkloadSelector};
use crate::framework::{ActionType, ClusterEvent, EventResource, PodInfo, pod_key};

fn is_terminal(pod: &Pod) -> bool {
    matches!(pod.status.phase.as_str(), "Succeeded" | "Failed")
}

/// A pod event, prepared outside the lock (the pod's [`PodInfo`] is built there).
pub(super) enum PodChange {
    /// Added or changed.
    Upsert(Arc<PodInfo>),
    /// Deleted (or finished while bound): its key.
    Delete(String),
}

impl PodChange {
    /// The change an added or modified pod makes.
    pub(super) fn upsert(shared: &Shared, pod: Pod) -> Self {
        let assigned = !pod.spec.node_name.is_empty();
        if assigned && is_terminal(&pod) {
            return Self::delete(shared, pod_key(&pod));
        }
        PodChange::Upsert(Arc::new(PodInfo::new(Arc::new(pod))))
    }

    /// The change a deleted pod makes; a pod waiting at Permit is rejected now.
    pub(super) fn delete(shared: &Shared, key: String) -> Self {
        if let Some(w) = shared.handle.waiting_pods().get(&key) {
            w.reject("", "pod was deleted while waiting at permit");
        }
        PodChange::Delete(key)
    }
}

/// Applies pod changes in one critical section: a watch delivers them in runs, and
/// the scheduling loop contends for the same lock.
pub(super) fn pods_changed(shared: &Shared, changes: impl IntoIterator<Item = PodChange>) {
    let t = now();
    let mut wake = false;
    let mut st = shared.lock();
    for change in changes {
        wake |= match change {
            PodChange::Upsert(info) => upsert_locked(shared, &mut st, info, t),
            PodChange::Delete(key) => delete_locked(&mut st, &key, t),
        };
    }
    drop(st);
    if wake {
        shared.wake.notify_one();
    }
}

/// Applies an added or changed pod; true if the scheduling loop has new work.
fn upsert_locked(shared: &Shared, st: &mut State, info: Arc<PodInfo>, t: Instant) -> bool {
    let key = &info.key;
    let responsible = shared.profiles.get(&info.pod.spec.scheduler_name).is_some();
    if !info.pod.spec.node_name.is_empty() {
        let node = info.pod.spec.node_name.clone();
        let old = st.cache.pod(key).cloned();
        let was_assumed = st.cache.is_assumed(key);
        st.queue.delete(key);
        st.cache.add_pod(info.clone(), &node);
        let action = match &old {
            None => ActionType::ADD,
            Some(_) if was_assumed => ActionType::NONE,
            Some(o) => update_action(o, &info),
        };
        if !action.is_empty() {
            st.queue
                .on_event(ClusterEvent::new(EventResource::AssignedPod, action), t);
        }
        false
    } else if st.cache.pod(key).is_some() && !st.cache.is_assumed(key) {
        // Bound before, now unbound: treat as a deletion, then as a new pending pod.
        st.cache.remove_pod(key);
        st.queue.on_event(ClusterEvent::ASSIGNED_POD_DELETE, t);
        if responsible && !is_terminal(&info.pod) {
            st.queue.add(info, t);
        }
        false
    } else if responsible && !st.cache.is_assumed(key) {
        if is_terminal(&info.pod) {
            st.queue.delete(key);
            false
        } else {
            st.queue.update(info, t);
            true
        }
    } else {
        false
    }
}

fn update_action(old: &PodInfo, new: &PodInfo) -> ActionType {
    let mut a = ActionType::NONE;
    if old.pod.metadata.labels != new.pod.metadata.labels {
        a = a | ActionType::UPDATE_POD_LABEL;
    }
    let (o, n) = (&old.requests.requests, &new.requests.requests);
    if n.milli_cpu < o.milli_cpu || n.memory < o.memory || n.ephemeral_storage < o.ephemeral_storage
    {
        a = a | ActionType::UPDATE_POD_SCALE_DOWN;
    }
    if old.pod.metadata.deletion_timestamp != new.pod.metadata.deletion_timestamp {
        a = a | ActionType::UPDATE_OTHER;
    }
    a
}

/// Applies a deleted pod; true if the scheduling loop has new work (freed room).
fn delete_locked(st: &mut State, key: &str, t: Instant) -> bool {
    st.queue.delete(key);
    if st.cache.remove_pod(key).is_some() {
        st.queue.on_event(ClusterEvent::ASSIGNED_POD_DELETE, t);
        true
    } else {
        false
    }
}

/// A node was added or changed.
pub(super) fn node_upsert(shared: &Shared, node: Node) {
    let t = now();
    let mut st = shared.lock();
    let action = st.cache.add_node(node);
    if !action.is_empty() {
        st.queue
            .on_event(ClusterEvent::new(EventResource::Node, action), t);
        drop(st);
        shared.wake.notify_one();
    }
}

/// A node was deleted.
pub(super) fn node_delete(shared: &Shared, name: &str) {
    let t = now();
    let mut st = shared.lock();
    st.cache.remove_node(name);
    st.queue.on_event(
        ClusterEvent::new(EventResource::Node, ActionType::DELETE),
        t,
    );
}

/// Reconciles the cache and the queue with a full list of pods: bound pods not listed
/// are deleted, listed ones not already held in their version are applied.
pub(super) fn pods_relisted(shared: &Shared, listed: Listed<Pod>) {
    let stale: Vec<String> = {
        let st = shared.lock();
        st.cache
            .pod_keys()
            .into_iter()
            .filter(|key| !listed.keys.contains(key))
            .collect()
    };
    let mut changes = stale
        .into_iter()
        .map(|key| PodChange::delete(shared, key))
        .chain(
            listed
                .items
                .into_iter()
                .map(|p| PodChange::upsert(shared, p)),
        );
    // In runs, as a watch delivers them: the scheduling loop is not held up for the
    // whole list.
    loop {
        let run: Vec<PodChange> = changes.by_ref().take(super::watch::MAX_RUN).collect();
        if run.is_empty() {
            break;
        }
        pods_changed(shared, run);
    }
}

/// True if the cache or the queue holds exactly this version of the pod (`key`).
pub(super) fn holds_pod(st: &State, key: &str, meta: &ObjectMeta) -> bool {
    let rv = meta.resource_version.as_str();
    !rv.is_empty()
        && st
            .cache
            .pod(key)
            .or_else(|| st.queue.queued_pod(key))
            .is_some_and(|info| info.pod.metadata.resource_version == rv)
}

/// True if the cache holds exactly this version of the node (`name`).
pub(super) fn holds_node(st: &State, name: &str, meta: &ObjectMeta) -> bool {
    let rv = meta.resource_version.as_str();
    !rv.is_empty()
        && st
            .cache
            .node(name)
            .and_then(|info| info.node())
            .is_some_and(|known| known.metadata.resource_version == rv)
}

/// Reconciles the cache with a full list of nodes.
pub(super) fn nodes_relisted(shared: &Shared, listed: Listed<Node>) {
    let stale: Vec<String> = shared
        .lock()
        .cache
        .node_names()
        .into_iter()
        .filter(|n| !listed.keys.contains(n))
        .collect();
    for n in stale {
        node_delete(shared, &n);
    }
    for n in listed.items {
        node_upsert(shared, n);
    }
}

// === cluster objects ===

fn workload_event(shared: &Shared, resource: EventResource) {
    let t = now();
    shared
        .lock()
        .queue
        .on_event(ClusterEvent::new(resource, ActionType::ALL), t);
}

/// A namespace changed (`None` labels: deleted).
pub(super) fn namespace(shared: &Shared, ns: &Namespace, deleted: bool) {
    {
        let mut st = shared.lock();
        if deleted {
            st.cache.cluster_mut().remove_namespace(&ns.metadata.name);
        } else {
            st.cache
                .cluster_mut()
                .set_namespace(&ns.metadata.name, ns.metadata.labels.clone());
        }
    }
    workload_event(shared, EventResource::Namespace);
}

fn set_workload(shared: &Shared, kind: &str, ns: &str, name: &str, selector: Option<Selector>) {
    {
        let mut st = shared.lock();
        match selector {
            Some(selector) => st.cache.cluster_mut().set_workload(WorkloadSelector {
                kind: kind.to_owned(),
                namespace: ns.to_owned(),
                name: name.to_owned(),
                selector,
            }),
            None => st.cache.cluster_mut().remove_workload(kind, ns, name),
        }
    }
    workload_event(shared, EventResource::Workload);
}

fn map_selector(labels: &std::collections::BTreeMap<String, String>) -> Option<Selector> {
    Selector::from_labels(labels).ok()
}

/// A service changed.
pub(super) fn service(shared: &Shared, s: &Service, deleted: bool) {
    let sel = if deleted {
        None
    } else {
        map_selector(&s.spec.selector)
    };
    set_workload(
        shared,
        "Service",
        &s.metadata.namespace,
        &s.metadata.name,
        sel,
    );
}

/// A replication controller changed.
pub(super) fn replication_controller(shared: &Shared, rc: &ReplicationController, deleted: bool) {
    let sel = if deleted {
        None
    } else {
        map_selector(&rc.spec.selector)
    };
    set_workload(
        shared,
        "ReplicationController",
        &rc.metadata.namespace,
        &rc.metadata.name,
        sel,
    );
}

/// A replica set changed.
pub(super) fn replica_set(shared: &Shared, rs: &ReplicaSet, deleted: bool) {
    let sel = if deleted {
        None
    } else {
        rs.spec.selector.as_ref().and_then(|s| s.to_selector().ok())
    };
    set_workload(
        shared,
        "ReplicaSet",
        &rs.metadata.namespace,
        &rs.metadata.name,
        sel,
    );
}

/// A stateful set changed.
pub(super) fn stateful_set(shared: &Shared, ss: &StatefulSet, deleted: bool) {
    let sel = if deleted {
        None
    } else {
        ss.spec.selector.as_ref().and_then(|s| s.to_selector().ok())
    };
    set_workload(
        shared,
        "StatefulSet",
        &ss.metadata.namespace,
        &ss.metadata.name,
        sel,
    );
}

/// A disruption budget changed.
pub(super) fn budget(shared: &Shared, pdb: &PodDisruptionBudget, deleted: bool) {
    let mut st = shared.lock();
    if deleted {
        st.cache
            .cluster_mut()
            .remove_budget(&pdb.metadata.namespace, &pdb.metadata.name);
    } else {
        st.cache.cluster_mut().set_budget(DisruptionBudget {
            namespace: pdb.metadata.namespace.clone(),
            name: pdb.metadata.name.clone(),
            selector: pdb
                .spec
                .selector
                .as_ref()
                .and_then(|s| s.to_selector().ok()),
            disruptions_allowed: pdb.status.disruptions_allowed,
            disrupted_pods: pdb.status.disrupted_pods.keys().cloned().collect(),
        });
    }
}
