//! [`Scheduler`]: the scheduler as a plain library object. Give it nodes and pods,
//! get decisions; no async runtime, no API server.

use std::sync::Arc;
use std::time::Instant;

use core_types::core_v1::{Node, Pod};

use super::algorithm::Algorithm;
use super::cycle::{CycleOutcome, reserve_and_permit, run_cycle};
use super::diagnosis::{ScheduleError, ScheduleResult};
use super::explain::Explanation;
use crate::cache::{Cache, Snapshot};
use crate::config::{Profiles, SchedulerConfiguration};
use crate::error::ConfigError;
use crate::framework::{
    ClusterEvent, CycleState, EventResource, Handle, PodInfo, Registry, pod_key,
};
use crate::queue::{QueuedPodInfo, SchedulingQueue};

/// What happened to the pod a [`Scheduler::schedule_next`] call popped.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum Decision {
    /// The pod goes to `node` (the scheduler now counts it there).
    Scheduled {
        /// The pod.
        pod: Arc<PodInfo>,
        /// The chosen node.
        node: String,
        /// How many nodes were evaluated and feasible.
        result: ScheduleResult,
    },
    /// A Permit plugin holds the pod (it stays assumed on `node`).
    Waiting {
        /// The pod.
        pod: Arc<PodInfo>,
        /// The node it would go to.
        node: String,
        /// The plugins holding it.
        plugins: Vec<String>,
    },
    /// No node fits now; the pod waits in the queue.
    Unschedulable {
        /// The pod.
        pod: Arc<PodInfo>,
        /// Why (its `Display` is the Kubernetes-style message).
        error: ScheduleError,
        /// Set when preemption nominated a node for the pod.
        nominated_node: Option<String>,
        /// The pods preemption evicted (already removed from this scheduler).
        victims: Vec<Arc<PodInfo>>,
    },
}

/// A scheduler over nodes and pods you feed it: the cache, the queue and the profiles
/// of the in-cluster scheduler, driven by explicit calls.
///
/// ```
/// use core_types::core_v1::{Node, Pod};
/// use core_types::Quantity;
/// use scheduler::{Decision, Scheduler};
/// use std::time::Instant;
///
/// let mut s = Scheduler::new()?;
/// for i in 0..3 {
///     let mut node = Node::default();
///     node.metadata.name = format!("node-{i}");
///     node.status.allocatable.insert("cpu", Quantity::from_milli(4000));
///     node.status.allocatable.insert("pods", "110".parse()?);
///     s.add_node(node);
/// }
/// let mut pod = Pod::default();
/// pod.metadata.namespace = "default".into();
/// pod.metadata.name = "web".into();
/// s.add_pod(pod, Instant::now());
/// match s.schedule_next(Instant::now()) {
///     Some(Decision::Scheduled { node, .. }) => assert!(node.starts_with("node-")),
///     other => panic!("unexpected: {other:?}"),
/// }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct Scheduler {
    profiles: Profiles,
    cache: Cache,
    queue: SchedulingQueue,
    snapshot: Snapshot,
    algorithm: Algorithm,
}

impl std::fmt::Debug for Scheduler {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Scheduler")
            .field("cache", &self.cache)
            .field("queue", &self.queue)
            .finish_non_exhaustive()
    }
}

impl Scheduler {
    /// A scheduler with the default profile and the in-tree plugins.
    pub fn new() -> Result<Self, ConfigError> {
        Self::with_profiles(Profiles::default_profiles()?)
    }

    /// A scheduler from a configuration and a registry (for out-of-tree plugins).
    pub fn from_config(
        config: &SchedulerConfiguration,
        registry: &Registry,
    ) -> Result<Self, ConfigError> {
        Self::with_profiles(config.build(registry, &Handle::new())?)
    }

    /// A scheduler with built profiles.
    pub fn with_profiles(profiles: Profiles) -> Result<Self, ConfigError> {
        let queue = SchedulingQueue::new(&profiles)
            .ok_or_else(|| ConfigError::Invalid("no QueueSort plugin".into()))?;
        let algorithm = Algorithm::new(profiles.settings().percentage_of_nodes_to_score);
        Ok(Scheduler {
            profiles,
            cache: Cache::new(),
            queue,
            snapshot: Snapshot::new(),
            algorithm,
        })
    }

    /// The profiles.
    pub fn profiles(&self) -> &Profiles {
        &self.profiles
    }

    /// The cache (nodes and the pods on them).
    pub fn cache(&self) -> &Cache {
        &self.cache
    }

    /// The cache, for direct changes (namespaces, workloads, budgets).
    pub fn cache_mut(&mut self) -> &mut Cache {
        &mut self.cache
    }

    /// The queue.
    pub fn queue(&self) -> &SchedulingQueue {
        &self.queue
    }

    /// Seeds the tie-breaking between equally scored nodes (for reproducible runs).
    pub fn seed(&mut self, seed: u64) {
        self.algorithm.seed(seed);
    }

    // === feeding ===

    /// Adds (or updates) a node.
    pub fn add_node(&mut self, node: Node) {
        let action = self.cache.add_node(node);
        self.queue.on_event(
            ClusterEvent::new(EventResource::Node, action),
            Instant::now(),
        );
    }

    /// Removes a node.
    pub fn remove_node(&mut self, name: &str) {
        self.cache.remove_node(name);
    }

    /// Adds (or updates) a pod: a bound pod is counted on its node; a pending pod of
    /// one of the profiles is queued. Finished pods are ignored.
    pub fn add_pod(&mut self, pod: Pod, now: Instant) {
        if matches!(pod.status.phase.as_str(), "Succeeded" | "Failed") {
            self.remove_pod(&pod_key(&pod), now);
            return;
        }
        let info = Arc::new(PodInfo::new(Arc::new(pod)));
        if info.pod.spec.node_name.is_empty() {
            if self.profiles.get(&info.pod.spec.scheduler_name).is_some() {
                self.queue.update(info, now);
            }
        } else {
            self.queue.delete(&info.key);
            let node = info.pod.spec.node_name.clone();
            self.cache.add_pod(info, &node);
            self.queue.on_event(ClusterEvent::ASSIGNED_POD_ADD, now);
        }
    }

    /// Removes a pod by key (uid, or `namespace/name` for pods without uid).
    pub fn remove_pod(&mut self, key: &str, now: Instant) {
        self.queue.delete(key);
        if self.cache.remove_pod(key).is_some() {
            self.queue.on_event(ClusterEvent::ASSIGNED_POD_DELETE, now);
        }
    }

    // === scheduling ===

    /// Pops the next pod and schedules it; `None` when no pod is ready (the queue may
    /// still hold pods backing off or waiting for events).
    pub fn schedule_next(&mut self, now: Instant) -> Option<Decision> {
        let mut q = self.queue.pop(now)?;
        let pod = q.pod_info.clone();
        let Some(fwk) = self.profiles.get(&pod.pod.spec.scheduler_name).cloned() else {
            self.queue.done(&pod.key);
            return self.schedule_next(now);
        };
        self.cache.update_snapshot(&mut self.snapshot);
        let nominated = self.queue.nominated_pods();
        match run_cycle(&mut self.algorithm, &fwk, &pod, &self.snapshot, &nominated) {
            CycleOutcome::Fit { result, mut state } => {
                let node = result.node.clone();
                if let Err(e) = self.cache.assume_pod(pod.clone(), &node) {
                    return Some(self.fail(
                        q,
                        ScheduleError::Internal(crate::framework::Status::error(e.to_string())),
                        now,
                    ));
                }
                self.queue.clear_nomination(&pod.key);
                match reserve_and_permit(&fwk, &mut state, &pod, &node, now) {
                    Ok(None) => {
                        self.queue.done(&pod.key);
                        // Standalone: the decision is the binding.
                        self.cache.add_pod(pod.clone(), &node);
                        fwk.run_post_bind(&state, &pod, &node);
                        Some(Decision::Scheduled { pod, node, result })
                    }
                    Ok(Some(waits)) => {
                        self.queue.done(&pod.key);
                        let mut plugins: Vec<String> = waits.into_keys().collect();
                        plugins.sort();
                        Some(Decision::Waiting { pod, node, plugins })
                    }
                    Err(status) => {
                        let _ = self.cache.forget_pod(&pod.key);
                        if let Some(p) = status.plugin() {
                            q.unschedulable_plugins.insert(p.to_owned());
                        }
                        Some(self.fail(q, ScheduleError::Internal(status), now))
                    }
                }
            }
            CycleOutcome::NoFit { error, post_filter } => {
                if let ScheduleError::Unschedulable(fit) = &error {
                    q.unschedulable_plugins = fit.diagnosis.unschedulable_plugins.clone();
                }
                let mut victims = Vec::new();
                let mut nominated_node = None;
                if let Some(post) = post_filter {
                    for v in &post.victims {
                        if self.cache.remove_pod(&v.key).is_some() {
                            victims.push(v.clone());
                        }
                    }
                    for p in &post.cleared_nominations {
                        self.queue.clear_nomination(&p.key);
                    }
                    if let Some(n) = post.nominated_node {
                        self.queue.nominate(pod.clone(), &n);
                        if !n.is_empty() {
                            nominated_node = Some(n);
                        }
                    }
                }
                let decision = self.fail(q, error, now);
                if let Some(n) = &nominated_node {
                    // Record the nomination on the pod, as the API would.
                    let mut updated = (*pod.pod).clone();
                    updated.status.nominated_node_name = n.clone();
                    self.queue
                        .update(Arc::new(PodInfo::new(Arc::new(updated))), now);
                }
                if !victims.is_empty() {
                    self.queue.on_event(ClusterEvent::ASSIGNED_POD_DELETE, now);
                }
                match decision {
                    Decision::Unschedulable { pod, error, .. } => Some(Decision::Unschedulable {
                        pod,
                        error,
                        nominated_node,
                        victims,
                    }),
                    other => Some(other),
                }
            }
        }
    }

    fn fail(&mut self, q: QueuedPodInfo, error: ScheduleError, now: Instant) -> Decision {
        let pod = q.pod_info.clone();
        self.queue.requeue(q, now);
        Decision::Unschedulable {
            pod,
            error,
            nominated_node: None,
            victims: Vec::new(),
        }
    }

    /// Schedules every ready pod; returns the decisions in order.
    pub fn schedule_all(&mut self, now: Instant) -> Vec<Decision> {
        let mut out = Vec::new();
        while let Some(d) = self.schedule_next(now) {
            out.push(d);
        }
        out
    }

    /// Where `pod` would go now, without queueing or assuming it.
    pub fn schedule_pod(&mut self, pod: &Pod) -> Result<ScheduleResult, ScheduleError> {
        let info = Arc::new(PodInfo::new(Arc::new(pod.clone())));
        let fwk = self
            .profiles
            .get(&pod.spec.scheduler_name)
            .cloned()
            .ok_or_else(|| {
                ScheduleError::Internal(crate::framework::Status::error(format!(
                    "no profile for scheduler name {:?}",
                    pod.spec.scheduler_name
                )))
            })?;
        self.cache.update_snapshot(&mut self.snapshot);
        let nominated = self.queue.nominated_pods();
        let mut state = CycleState::new();
        self.algorithm
            .schedule_pod(&fwk, &mut state, &info, &self.snapshot, &nominated, None)
    }

    /// Schedules `pod` in explain mode (every filter on every node, every score
    /// recorded) without queueing or assuming it.
    pub fn explain(&mut self, pod: &Pod) -> Explanation {
        let info = Arc::new(PodInfo::new(Arc::new(pod.clone())));
        let mut e = Explanation {
            pod: format!("{}/{}", pod.metadata.namespace, pod.metadata.name),
            ..Explanation::default()
        };
        let Some(fwk) = self.profiles.get(&pod.spec.scheduler_name).cloned() else {
            e.message = Some(format!(
                "no profile for scheduler name {:?}",
                pod.spec.scheduler_name
            ));
            return e;
        };
        self.cache.update_snapshot(&mut self.snapshot);
        let nominated = self.queue.nominated_pods();
        let mut state = CycleState::new();
        let r = self.algorithm.schedule_pod(
            &fwk,
            &mut state,
            &info,
            &self.snapshot,
            &nominated,
            Some(&mut e),
        );
        if let Err(err) = r {
            e.message = Some(err.to_string());
        }
        e
    }
}
