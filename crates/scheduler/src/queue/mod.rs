//! The scheduling queue: pods waiting to be scheduled.

mod heap;
mod nominator;

use std::collections::{BTreeSet, HashMap, VecDeque};
use std::sync::Arc;
use std::time::{Duration, Instant};

pub use nominator::NominatedPods;

use crate::config::{Profiles, Settings};
use crate::framework::{ActionType, ClusterEvent, EventResource, Plugin, PodInfo};
use heap::{IndexedHeap, Keyed};
use nominator::Nominator;

/// A pod in the queue, with its scheduling history.
#[derive(Clone, Debug)]
pub struct QueuedPodInfo {
    /// The pod.
    pub pod_info: Arc<PodInfo>,
    /// When the pod was (re)added to the queue: the tie-breaker of PrioritySort.
    pub timestamp: Instant,
    /// When the pod was first popped for scheduling.
    pub initial_attempt: Option<Instant>,
    /// How many times the pod was popped for scheduling.
    pub attempts: u32,
    /// The plugins that rejected the pod in its last attempt (empty after an error).
    pub unschedulable_plugins: BTreeSet<String>,
    backoff_expiry: Instant,
}

impl QueuedPodInfo {
    /// A pod entering the queue now.
    pub fn new(pod_info: Arc<PodInfo>, now: Instant) -> Self {
        QueuedPodInfo {
            pod_info,
            timestamp: now,
            initial_attempt: None,
            attempts: 0,
            unschedulable_plugins: BTreeSet::new(),
            backoff_expiry: now,
        }
    }

    /// The pod's key.
    pub fn key(&self) -> &str {
        &self.pod_info.key
    }
}

impl Keyed for QueuedPodInfo {
    fn key(&self) -> &str {
        &self.pod_info.key
    }
}

fn sort_fn(sort: Arc<dyn Plugin>) -> impl Fn(&QueuedPodInfo, &QueuedPodInfo) -> bool {
    move |a, b| match sort.as_queue_sort() {
        Some(s) => s.less(a, b),
        None => a.timestamp < b.timestamp,
    }
}

fn by_backoff(a: &QueuedPodInfo, b: &QueuedPodInfo) -> bool {
    a.backoff_expiry < b.backoff_expiry
}

/// Where a popped pod goes after a failed attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Requeued {
    /// Waits for its backoff to pass.
    Backoff,
    /// Waits for a relevant cluster event (or the unschedulable timeout).
    Unschedulable,
    /// The pod was deleted meanwhile.
    Dropped,
}

/// Pods waiting to be scheduled, kube-scheduler style:
///
/// - the **active** queue, a heap ordered by the QueueSort plugin, which
///   [`pop`](Self::pop) takes from;
/// - the **backoff** queue, for pods that failed recently: they wait
///   `initial * 2^(attempts-1)` (1 s doubling up to 10 s by default) before going back
///   to the active queue;
/// - the **unschedulable** set, for pods some plugin rejected: they go back when a
///   cluster event arrives that one of their rejecting plugins registered for (a node
///   added, a pod deleted, ...), or after five minutes;
/// - **gated** pods (non-empty `schedulingGates`), held until their gates are removed.
///
/// A pod popped for scheduling is *in flight* until [`done`](Self::done) or
/// [`requeue`](Self::requeue); events that arrive meanwhile are remembered, so a pod
/// rejected for a reason an in-flight event may have fixed goes to backoff instead of
/// waiting for another event.
///
/// Time is passed in (`now`), so the queue works without a runtime and tests control
/// the clock.
pub struct SchedulingQueue {
    sort: Arc<dyn Plugin>,
    active: IndexedHeap<QueuedPodInfo>,
    backoff: IndexedHeap<QueuedPodInfo>,
    unschedulable: HashMap<String, (QueuedPodInfo, Instant)>,
    gated: HashMap<String, QueuedPodInfo>,
    in_flight: HashMap<String, u64>,
    events: VecDeque<(u64, ClusterEvent)>,
    event_seq: u64,
    settings: Settings,
    interest: HashMap<String, Vec<ClusterEvent>>,
    rejections: HashMap<String, usize>,
    nominator: Nominator,
    cycle: u64,
}

impl std::fmt::Debug for SchedulingQueue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SchedulingQueue")
            .field("active", &self.active.len())
            .field("backoff", &self.backoff.len())
            .field("unschedulable", &self.unschedulable.len())
            .field("gated", &self.gated.len())
            .field("in_flight", &self.in_flight.len())
            .finish_non_exhaustive()
    }
}

impl SchedulingQueue {
    /// A queue for the given profiles (their QueueSort plugin orders it; their
    /// plugins' registered events decide which events move which pods).
    pub fn new(profiles: &Profiles) -> Option<Self> {
        let sort = profiles.frameworks().find_map(|f| f.queue_sort_plugin())?;
        let mut interest: HashMap<String, Vec<ClusterEvent>> = HashMap::new();
        for f in profiles.frameworks() {
            for (name, plugin) in f.all_plugins() {
                interest
                    .entry(name.to_string())
                    .or_insert_with(|| plugin.events_to_register());
            }
        }
        Some(SchedulingQueue {
            sort,
            active: IndexedHeap::default(),
            backoff: IndexedHeap::default(),
            unschedulable: HashMap::new(),
            gated: HashMap::new(),
            in_flight: HashMap::new(),
            events: VecDeque::new(),
            event_seq: 0,
            settings: profiles.settings().clone(),
            interest,
            rejections: HashMap::new(),
            nominator: Nominator::default(),
            cycle: 0,
        })
    }

    fn push_active(&mut self, qpi: QueuedPodInfo) {
        let less = sort_fn(self.sort.clone());
        self.active.push(qpi, &less);
    }

    fn remove_active(&mut self, key: &str) -> Option<QueuedPodInfo> {
        let less = sort_fn(self.sort.clone());
        self.active.remove(key, &less)
    }

    // === sizes ===

    /// Pods in the active queue.
    pub fn active_len(&self) -> usize {
        self.active.len()
    }

    /// Pods backing off.
    pub fn backoff_len(&self) -> usize {
        self.backoff.len()
    }

    /// Pods waiting for an event.
    pub fn unschedulable_len(&self) -> usize {
        self.unschedulable.len()
    }

    /// Pods held by scheduling gates.
    pub fn gated_len(&self) -> usize {
        self.gated.len()
    }

    /// Pods popped and not yet done.
    pub fn in_flight_len(&self) -> usize {
        self.in_flight.len()
    }

    /// Every pod the queue holds (active, backoff, unschedulable, gated), not counting
    /// in-flight ones.
    pub fn len(&self) -> usize {
        self.active.len() + self.backoff.len() + self.unschedulable.len() + self.gated.len()
    }

    /// True if the queue holds no pod.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// True if the pod is anywhere in the queue (or in flight).
    pub fn contains(&self, key: &str) -> bool {
        self.active.contains(key)
            || self.backoff.contains(key)
            || self.unschedulable.contains_key(key)
            || self.gated.contains_key(key)
            || self.in_flight.contains_key(key)
    }

    /// The queued version of a pending pod (active, backing off, unschedulable or
    /// gated; not one in flight).
    pub fn queued_pod(&self, key: &str) -> Option<&Arc<PodInfo>> {
        self.active
            .get(key)
            .or_else(|| self.backoff.get(key))
            .or_else(|| self.unschedulable.get(key).map(|(q, _)| q))
            .or_else(|| self.gated.get(key))
            .map(|q| &q.pod_info)
    }

    /// The pod if it is waiting in the unschedulable set.
    pub fn unschedulable_pod(&self, key: &str) -> Option<&QueuedPodInfo> {
        self.unschedulable.get(key).map(|(q, _)| q)
    }

    // === adding and removing ===

    /// Adds a pending pod (a new one, or one that is no longer bound).
    pub fn add(&mut self, pod: Arc<PodInfo>, now: Instant) {
        let key = pod.key.clone();
        if self.in_flight.contains_key(&key) {
            return;
        }
        let node = pod.pod.status.nominated_node_name.clone();
        if !node.is_empty() {
            self.nominator.add(pod.clone(), &node);
        }
        if self.update_existing(&pod, now) {
            return;
        }
        let qpi = QueuedPodInfo::new(pod, now);
        if qpi.pod_info.pod.spec.scheduling_gates.is_empty() {
            self.push_active(qpi);
        } else {
            self.gated.insert(key, qpi);
        }
    }

    /// A pending pod changed.
    pub fn update(&mut self, pod: Arc<PodInfo>, now: Instant) {
        self.nominator.update(&pod);
        if self.in_flight.contains_key(&pod.key) {
            self.record_event(ClusterEvent::new(
                EventResource::UnscheduledPod,
                ActionType::UPDATE,
            ));
            return;
        }
        if !self.update_existing(&pod, now) {
            self.add(pod, now);
        }
    }

    /// Replaces the pod where it is; true if it was found.
    fn update_existing(&mut self, pod: &Arc<PodInfo>, now: Instant) -> bool {
        let key = pod.key.as_str();
        if let Some(mut q) = self.active.get(key).cloned() {
            q.pod_info = pod.clone();
            self.push_active(q);
            return true;
        }
        if let Some(mut q) = self.backoff.get(key).cloned() {
            q.pod_info = pod.clone();
            self.backoff.push(q, &by_backoff);
            return true;
        }
        if let Some((mut q, _)) = self.unschedulable.remove(key) {
            self.unmark_rejections(&q);
            let changed = q.pod_info.pod.spec != pod.pod.spec
                || q.pod_info.pod.metadata.labels != pod.pod.metadata.labels;
            q.pod_info = pod.clone();
            if changed {
                // The pod itself changed: it may fit now.
                self.move_to_active_or_backoff(q, now);
            } else {
                self.mark_rejections(&q);
                self.unschedulable.insert(key.to_owned(), (q, now));
            }
            return true;
        }
        if let Some(mut q) = self.gated.remove(key) {
            q.pod_info = pod.clone();
            if q.pod_info.pod.spec.scheduling_gates.is_empty() {
                q.timestamp = now;
                self.push_active(q);
            } else {
                self.gated.insert(key.to_owned(), q);
            }
            return true;
        }
        false
    }

    /// Removes a pod (deleted, or bound by someone else).
    pub fn delete(&mut self, key: &str) {
        self.nominator.delete(key);
        self.in_flight.remove(key);
        self.remove_active(key);
        self.backoff.remove(key, &by_backoff);
        if let Some((q, _)) = self.unschedulable.remove(key) {
            self.unmark_rejections(&q);
        }
        self.gated.remove(key);
    }

    // === popping and requeueing ===

    /// Takes the next pod to schedule (after moving pods whose backoff passed into the
    /// active queue). The pod is in flight until [`done`](Self::done) or
    /// [`requeue`](Self::requeue).
    pub fn pop(&mut self, now: Instant) -> Option<QueuedPodInfo> {
        self.flush_backoff(now);
        let less = sort_fn(self.sort.clone());
        let mut q = self.active.pop(&less)?;
        q.attempts += 1;
        q.initial_attempt.get_or_insert(now);
        self.cycle += 1;
        self.in_flight
            .insert(q.pod_info.key.clone(), self.event_seq);
        Some(q)
    }

    /// Puts back a pod that was popped but not attempted (its cycle did not run): it is
    /// active again and the attempt is not counted. A pod deleted meanwhile is dropped.
    pub fn unpop(&mut self, mut q: QueuedPodInfo) {
        if self.in_flight.remove(&q.pod_info.key).is_some() {
            q.attempts = q.attempts.saturating_sub(1);
            if q.attempts == 0 {
                q.initial_attempt = None;
            }
            self.push_active(q);
        }
        self.trim_events();
    }

    /// The number of pods popped so far.
    pub fn scheduling_cycle(&self) -> u64 {
        self.cycle
    }

    /// The pod's cycle ended (scheduled, or handed to binding).
    pub fn done(&mut self, key: &str) {
        self.in_flight.remove(key);
        self.trim_events();
    }

    /// Puts back a pod whose attempt failed. `unschedulable_plugins` empty means an
    /// error (straight to backoff).
    pub fn requeue(&mut self, mut q: QueuedPodInfo, now: Instant) -> Requeued {
        let key = q.pod_info.key.clone();
        let Some(seq) = self.in_flight.remove(&key) else {
            self.trim_events();
            return Requeued::Dropped;
        };
        q.timestamp = now;
        q.backoff_expiry = now + self.backoff_duration(q.attempts);
        let missed_event = self
            .events
            .iter()
            .filter(|(s, _)| *s > seq)
            .any(|(_, e)| self.cares(&q, e));
        self.trim_events();
        if q.unschedulable_plugins.is_empty() || missed_event {
            self.backoff.push(q, &by_backoff);
            Requeued::Backoff
        } else {
            self.mark_rejections(&q);
            self.unschedulable.insert(key, (q, now));
            Requeued::Unschedulable
        }
    }

    fn backoff_duration(&self, attempts: u32) -> Duration {
        let mut d = self.settings.initial_backoff;
        for _ in 1..attempts {
            d = d.saturating_mul(2);
            if d > self.settings.max_backoff {
                return self.settings.max_backoff;
            }
        }
        d.min(self.settings.max_backoff)
    }

    fn move_to_active_or_backoff(&mut self, mut q: QueuedPodInfo, now: Instant) {
        if q.backoff_expiry > now {
            self.backoff.push(q, &by_backoff);
        } else {
            q.timestamp = now;
            self.push_active(q);
        }
    }

    /// Moves pods whose backoff has passed to the active queue, and pods that have been
    /// unschedulable too long to the active or backoff queue.
    pub fn flush(&mut self, now: Instant) {
        self.flush_backoff(now);
        let max = self.settings.max_in_unschedulable;
        let stale: Vec<String> = self
            .unschedulable
            .iter()
            .filter(|(_, (_, since))| now.saturating_duration_since(*since) >= max)
            .map(|(k, _)| k.clone())
            .collect();
        for key in stale {
            if let Some((q, _)) = self.unschedulable.remove(&key) {
                self.unmark_rejections(&q);
                self.move_to_active_or_backoff(q, now);
            }
        }
    }

    fn flush_backoff(&mut self, now: Instant) {
        while let Some(q) = self.backoff.peek() {
            if q.backoff_expiry > now {
                break;
            }
            if let Some(mut q) = self.backoff.pop(&by_backoff) {
                q.timestamp = now;
                self.push_active(q);
            }
        }
    }

    /// When the next backoff ends (for a driver's timer).
    pub fn next_backoff_expiry(&self) -> Option<Instant> {
        self.backoff.peek().map(|q| q.backoff_expiry)
    }

    // === events ===

    fn cares(&self, q: &QueuedPodInfo, event: &ClusterEvent) -> bool {
        if q.unschedulable_plugins.is_empty() {
            return true;
        }
        q.unschedulable_plugins.iter().any(|p| {
            self.interest
                .get(p)
                .is_none_or(|events| events.iter().any(|e| e.covers(event)))
        })
    }

    fn mark_rejections(&mut self, q: &QueuedPodInfo) {
        for p in &q.unschedulable_plugins {
            *self.rejections.entry(p.clone()).or_default() += 1;
        }
        if q.unschedulable_plugins.is_empty() {
            *self.rejections.entry(String::new()).or_default() += 1;
        }
    }

    fn unmark_rejections(&mut self, q: &QueuedPodInfo) {
        let names: Vec<&str> = if q.unschedulable_plugins.is_empty() {
            vec![""]
        } else {
            q.unschedulable_plugins.iter().map(String::as_str).collect()
        };
        for p in names {
            if let Some(c) = self.rejections.get_mut(p) {
                *c -= 1;
                if *c == 0 {
                    self.rejections.remove(p);
                }
            }
        }
    }

    fn record_event(&mut self, event: ClusterEvent) {
        if !self.in_flight.is_empty() {
            self.event_seq += 1;
            self.events.push_back((self.event_seq, event));
        }
    }

    fn trim_events(&mut self) {
        match self.in_flight.values().min() {
            None => self.events.clear(),
            Some(&oldest) => {
                while self.events.front().is_some_and(|(s, _)| *s <= oldest) {
                    self.events.pop_front();
                }
            }
        }
    }

    /// A cluster event happened: pods in the unschedulable set whose rejecting plugins
    /// registered for it move to the active (or backoff) queue.
    pub fn on_event(&mut self, event: ClusterEvent, now: Instant) {
        self.record_event(event);
        if self.unschedulable.is_empty() {
            return;
        }
        // Fast path: no unschedulable pod was rejected by a plugin interested in this.
        let interested = self.rejections.keys().any(|p| {
            p.is_empty()
                || self
                    .interest
                    .get(p)
                    .is_none_or(|events| events.iter().any(|e| e.covers(&event)))
        });
        if !interested {
            return;
        }
        let keys: Vec<String> = self
            .unschedulable
            .iter()
            .filter(|(_, (q, _))| self.cares(q, &event))
            .map(|(k, _)| k.clone())
            .collect();
        for key in keys {
            if let Some((q, _)) = self.unschedulable.remove(&key) {
                self.unmark_rejections(&q);
                self.move_to_active_or_backoff(q, now);
            }
        }
    }

    // === nominations ===

    /// Records that `pod` waits for room on `node` (after a preemption); an empty node
    /// clears the nomination.
    pub fn nominate(&mut self, pod: Arc<PodInfo>, node: &str) {
        self.nominator.add(pod, node);
    }

    /// Clears a pod's nomination.
    pub fn clear_nomination(&mut self, key: &str) {
        self.nominator.delete(key);
    }

    /// The node a pod is nominated to.
    pub fn nominated_node(&self, key: &str) -> Option<&str> {
        self.nominator.node_of(key)
    }

    /// The pods nominated to `node`.
    pub fn nominated_on(&self, node: &str) -> &[Arc<PodInfo>] {
        self.nominator.on_node(node)
    }

    /// A view of the nominations for a cycle.
    pub fn nominated_pods(&mut self) -> NominatedPods {
        self.nominator.view()
    }
}

#[cfg(test)]
mod tests;
