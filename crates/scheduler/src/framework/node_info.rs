//! [`NodeInfo`]: a node with the pods on it and what they use, kept incrementally.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use core_types::core_v1::{Node, Taint};

use super::pod_info::{HostPort, PodInfo};
use super::resource::Resource;

/// The key bits a memo slot keeps (56); key 0 is reserved for "empty".
const MEMO_KEY_MASK: u64 = (1 << 56) - 1;

/// Number of score memo slots per node.
pub const MEMO_SLOTS: usize = 3;

/// Per-node memo of score results: each slot holds a 56-bit key and an 8-bit score in
/// one atomic word (no torn reads). Emptied whenever the node changes, so a hit is a
/// result computed from exactly this node state.
#[derive(Debug, Default)]
struct ScoreMemo([AtomicU64; MEMO_SLOTS]);

impl Clone for ScoreMemo {
    /// A copy is a new node version: it starts empty.
    fn clone(&self) -> Self {
        ScoreMemo::default()
    }
}

/// Per-node memo of one verdict that depends only on the node object (its labels,
/// name, fields), not on its pods: a 56-bit key and an 8-bit verdict in one atomic
/// word, 0 meaning empty. Unlike [`ScoreMemo`] it survives pod changes (a copy keeps
/// it); replacing or removing the node object empties it.
#[derive(Debug, Default)]
struct NodeObjectMemo(AtomicU64);

impl Clone for NodeObjectMemo {
    /// A copy made for a pod change has the same node object: the verdict holds.
    fn clone(&self) -> Self {
        NodeObjectMemo(AtomicU64::new(self.0.load(Ordering::Relaxed)))
    }
}

/// A node and its aggregated pod data: requested resources, used host ports, the pods
/// with affinity terms (for InterPodAffinity), and its images.
///
/// Cheap to share: snapshots hold `Arc<NodeInfo>`s, and the cache copies a node only
/// when it changes while a snapshot still holds the old version.
///
/// Layout: the fields every filter and score reads for every node (flags, resources,
/// pod count, score and node memos, the node pointer) come first, contiguous (`repr(C)`) and cache-line aligned,
/// so a cycle touching hundreds of nodes reads three adjacent cache lines per node
/// (which the hardware fetches together) and never the node object itself on the
/// common path. What only a memo miss or a rare filter reads comes after.
#[derive(Clone, Debug, Default)]
#[repr(C, align(64))]
pub struct NodeInfo {
    unschedulable: bool,
    has_taints: bool,
    allocatable: Resource,
    requested: Resource,
    pods: Vec<Arc<PodInfo>>,
    memo: ScoreMemo,
    node_memo: NodeObjectMemo,
    node: Option<Arc<Node>>,
    non_zero_requested: Resource,
    generation: u64,
    pods_with_affinity: Vec<Arc<PodInfo>>,
    /// Pods with terms InterPodAffinity's scoring reads on existing pods (required
    /// affinity, preferred affinity or anti-affinity).
    pods_scoring_affinity: usize,
    pods_with_required_anti_affinity: Vec<Arc<PodInfo>>,
    used_ports: Vec<HostPort>,
    images: Arc<HashMap<String, i64>>,
}

/// True if InterPodAffinity's scoring reads terms of `pod` when it is an existing pod.
fn scores_affinity(pod: &PodInfo) -> bool {
    !pod.required_affinity_terms.is_empty()
        || !pod.preferred_affinity_terms.is_empty()
        || !pod.preferred_anti_affinity_terms.is_empty()
}

impl NodeInfo {
    /// A node without pods.
    pub fn new(node: Arc<Node>) -> Self {
        let mut info = NodeInfo::default();
        info.set_node(node);
        info
    }

    /// Replaces the node object (its pods stay).
    pub fn set_node(&mut self, node: Arc<Node>) {
        self.memo = ScoreMemo::default();
        self.node_memo = NodeObjectMemo::default();
        self.allocatable = Resource::from_list(&node.status.allocatable);
        let old_images = self.node.as_ref().map(|n| &n.status.images);
        if old_images != Some(&node.status.images) {
            let mut images = HashMap::new();
            for image in &node.status.images {
                for name in &image.names {
                    images.insert(name.clone(), image.size_bytes);
                }
            }
            self.images = Arc::new(images);
        }
        self.unschedulable = node.spec.unschedulable;
        self.has_taints = !node.spec.taints.is_empty();
        self.node = Some(node);
    }

    /// Forgets the node object (pods whose node is gone keep the entry alive).
    pub fn remove_node(&mut self) {
        self.memo = ScoreMemo::default();
        self.node_memo = NodeObjectMemo::default();
        self.node = None;
        self.unschedulable = false;
        self.has_taints = false;
    }

    /// `spec.unschedulable` of the node (read without touching the node object).
    pub fn unschedulable(&self) -> bool {
        self.unschedulable
    }

    /// True if the node has taints.
    pub fn has_taints(&self) -> bool {
        self.has_taints
    }

    /// The node, if known.
    pub fn node(&self) -> Option<&Node> {
        self.node.as_deref()
    }

    /// The node as an `Arc`.
    pub fn node_arc(&self) -> Option<&Arc<Node>> {
        self.node.as_ref()
    }

    /// The node's name (empty when the node is unknown).
    pub fn name(&self) -> &str {
        self.node.as_ref().map_or("", |n| n.metadata.name.as_str())
    }

    /// The node's label `key`.
    pub fn label(&self, key: &str) -> Option<&str> {
        self.node
            .as_ref()
            .and_then(|n| n.metadata.labels.get(key))
            .map(String::as_str)
    }

    /// The node's taints.
    pub fn taints(&self) -> &[Taint] {
        if !self.has_taints {
            return &[];
        }
        self.node.as_ref().map_or(&[], |n| n.spec.taints.as_slice())
    }

    /// The pods on the node (bound or assumed).
    pub fn pods(&self) -> &[Arc<PodInfo>] {
        &self.pods
    }

    /// The pods with any pod affinity or anti-affinity term.
    pub fn pods_with_affinity(&self) -> &[Arc<PodInfo>] {
        &self.pods_with_affinity
    }

    /// True if some pod on the node has required affinity, preferred affinity or
    /// preferred anti-affinity terms (what scoring reads on existing pods).
    pub fn has_pods_scoring_affinity(&self) -> bool {
        self.pods_scoring_affinity > 0
    }

    /// The pods with required anti-affinity terms.
    pub fn pods_with_required_anti_affinity(&self) -> &[Arc<PodInfo>] {
        &self.pods_with_required_anti_affinity
    }

    /// Host ports in use.
    pub fn used_ports(&self) -> &[HostPort] {
        &self.used_ports
    }

    /// Sum of the pods' requests.
    pub fn requested(&self) -> &Resource {
        &self.requested
    }

    /// Sum of the pods' requests with defaults for missing CPU/memory requests.
    pub fn non_zero_requested(&self) -> &Resource {
        &self.non_zero_requested
    }

    /// What the node offers (`status.allocatable`).
    pub fn allocatable(&self) -> &Resource {
        &self.allocatable
    }

    /// Image names on the node with their sizes.
    pub fn images(&self) -> &HashMap<String, i64> {
        &self.images
    }

    /// Bumped by the cache on every change; snapshots copy nodes whose generation moved.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    pub(crate) fn set_generation(&mut self, generation: u64) {
        self.generation = generation;
    }

    /// Adds a pod and its usage.
    pub fn add_pod(&mut self, pod: Arc<PodInfo>) {
        self.memo = ScoreMemo::default();
        self.requested.add(&pod.requests.requests);
        self.non_zero_requested.milli_cpu += pod.requests.non_zero.milli_cpu;
        self.non_zero_requested.memory += pod.requests.non_zero.memory;
        self.used_ports.extend(pod.host_ports.iter().cloned());
        if pod.has_affinity() {
            self.pods_with_affinity.push(pod.clone());
        }
        if scores_affinity(&pod) {
            self.pods_scoring_affinity += 1;
        }
        if !pod.required_anti_affinity_terms.is_empty() {
            self.pods_with_required_anti_affinity.push(pod.clone());
        }
        self.pods.push(pod);
    }

    /// Puts `pod` in place of the pod with the same key; returns false if that is not
    /// here. Only for a new version that schedules the same (same requests, ports and
    /// affinity terms): the node's totals are left as they are.
    pub(crate) fn replace_pod(&mut self, pod: &Arc<PodInfo>) -> bool {
        let Some(slot) = self.pods.iter_mut().find(|p| p.key == pod.key) else {
            return false;
        };
        *slot = pod.clone();
        for list in [
            &mut self.pods_with_affinity,
            &mut self.pods_with_required_anti_affinity,
        ] {
            if let Some(slot) = list.iter_mut().find(|p| p.key == pod.key) {
                *slot = pod.clone();
            }
        }
        true
    }

    /// Removes the pod with `key`; returns it if it was there.
    pub fn remove_pod(&mut self, key: &str) -> Option<Arc<PodInfo>> {
        let at = self.pods.iter().position(|p| p.key == key)?;
        self.memo = ScoreMemo::default();
        let pod = self.pods.swap_remove(at);
        if scores_affinity(&pod) {
            self.pods_scoring_affinity = self.pods_scoring_affinity.saturating_sub(1);
        }
        self.pods_with_affinity.retain(|p| p.key != key);
        self.pods_with_required_anti_affinity
            .retain(|p| p.key != key);
        self.requested.sub(&pod.requests.requests);
        self.non_zero_requested.milli_cpu -= pod.requests.non_zero.milli_cpu;
        self.non_zero_requested.memory -= pod.requests.non_zero.memory;
        for port in &pod.host_ports {
            if let Some(i) = self.used_ports.iter().position(|p| p == port) {
                self.used_ports.swap_remove(i);
            }
        }
        Some(pod)
    }

    /// A memoized score: the score stored in `slot` under `key` (56 bits), if any.
    /// Plugins whose score is a pure function of this node's data and a key derived
    /// from the pod (e.g. its requests) use it to skip recomputing for unchanged
    /// nodes. Scores must be in 0..=255.
    pub fn memo_get(&self, slot: usize, key: u64) -> Option<i64> {
        let v = self.memo.0.get(slot)?.load(Ordering::Relaxed);
        (v != 0 && v >> 8 == key & MEMO_KEY_MASK).then_some((v & 0xff) as i64)
    }

    /// Stores a memoized score (see [`memo_get`](Self::memo_get)); scores outside
    /// 0..=255 are not stored.
    pub fn memo_put(&self, slot: usize, key: u64, score: i64) {
        if let (Some(cell), Ok(s)) = (self.memo.0.get(slot), u8::try_from(score)) {
            cell.store(
                ((key & MEMO_KEY_MASK) << 8) | u64::from(s),
                Ordering::Relaxed,
            );
        }
    }

    /// A memoized verdict about the node object (see
    /// [`node_memo_put`](Self::node_memo_put)) stored under `key` (56 bits), if any.
    pub fn node_memo_get(&self, key: u64) -> Option<u8> {
        let v = self.node_memo.0.load(Ordering::Relaxed);
        (v != 0 && v >> 8 == key & MEMO_KEY_MASK).then_some((v & 0xff) as u8)
    }

    /// Stores a verdict that is a pure function of the node object (labels, name,
    /// fields) and a key derived from the pod (e.g. a hash of its node selector and
    /// required node affinity). One slot: the last key stored wins. It survives pods
    /// being added and removed, and is emptied when the node object is replaced (a
    /// label update) or removed.
    pub fn node_memo_put(&self, key: u64, verdict: u8) {
        let word = ((key & MEMO_KEY_MASK) << 8) | u64::from(verdict);
        // Key 0 with verdict 0 would read as empty: such a verdict is not stored.
        if word != 0 {
            self.node_memo.0.store(word, Ordering::Relaxed);
        }
    }

    /// Reads one word from each of the hot cache lines and returns a value made
    /// from them. A filter loop calls it on a batch of upcoming nodes in a tight loop,
    /// so that their cache misses are in flight together rather than one per node
    /// (the safe stand-in for a prefetch instruction).
    #[inline]
    pub(crate) fn touch(&self) -> u64 {
        u64::from(self.unschedulable)
            ^ self.requested.milli_cpu as u64
            ^ self.pods.len() as u64
            ^ u64::from(self.node.is_some())
    }

    /// Like [`touch`](Self::touch), for the node object's labels (every key and
    /// value): for cycles whose filters look labels up on every node (pod
    /// affinity).
    #[inline]
    pub(crate) fn touch_labels(&self) -> u64 {
        self.node.as_ref().map_or(0, |n| {
            n.metadata.labels.iter().fold(0, |acc, (k, v)| {
                let first = |s: &str| u64::from(s.as_bytes().first().copied().unwrap_or(0));
                acc ^ first(k) ^ first(v)
            })
        })
    }

    /// True if a pod with `key` is on the node.
    pub fn has_pod(&self, key: &str) -> bool {
        self.pods.iter().any(|p| p.key == key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use core_types::Quantity;
    use core_types::core_v1::{Container, ContainerPort, Pod};

    fn node() -> Arc<Node> {
        let mut n = Node::default();
        n.metadata.name = "n1".into();
        n.status
            .allocatable
            .insert("cpu", Quantity::from_milli(4000));
        n.status.allocatable.insert("pods", "110".parse().unwrap());
        Arc::new(n)
    }

    fn pod(name: &str, cpu: i64, port: i32) -> Arc<PodInfo> {
        let mut p = Pod::default();
        p.metadata.name = name.into();
        let mut c = Container::default();
        if cpu > 0 {
            c.resources
                .requests
                .insert("cpu", Quantity::from_milli(cpu));
        }
        if port > 0 {
            c.ports.push(ContainerPort {
                host_port: port,
                ..Default::default()
            });
        }
        p.spec.containers.push(c);
        Arc::new(PodInfo::from_pod(p))
    }

    #[test]
    fn node_memo_survives_pod_changes_but_not_node_updates() {
        let mut info = NodeInfo::new(node());
        assert_eq!(info.node_memo_get(42), None);
        info.node_memo_put(42, 1);
        assert_eq!(info.node_memo_get(42), Some(1));
        assert_eq!(info.node_memo_get(43), None);
        info.add_pod(pod("a", 500, 0));
        assert_eq!(info.node_memo_get(42), Some(1));
        let copy = info.clone();
        assert_eq!(copy.node_memo_get(42), Some(1));
        assert!(info.remove_pod("/a").is_some());
        assert_eq!(info.node_memo_get(42), Some(1));
        // A new node object (e.g. new labels) empties it, as does removing the node.
        info.set_node(node());
        assert_eq!(info.node_memo_get(42), None);
        info.node_memo_put(42, 0);
        assert_eq!(info.node_memo_get(42), Some(0));
        info.remove_node();
        assert_eq!(info.node_memo_get(42), None);
        // The slot holds one key: the last one stored.
        info.node_memo_put(7, 2);
        info.node_memo_put(8, 0);
        assert_eq!(info.node_memo_get(7), None);
        assert_eq!(info.node_memo_get(8), Some(0));
    }

    #[test]
    fn add_and_remove_keep_sums() {
        let mut info = NodeInfo::new(node());
        assert_eq!(info.allocatable().milli_cpu, 4000);
        assert_eq!(info.allocatable().allowed_pod_number, 110);
        info.add_pod(pod("a", 500, 80));
        info.add_pod(pod("b", 0, 0));
        assert_eq!(info.requested().milli_cpu, 500);
        assert_eq!(info.non_zero_requested().milli_cpu, 600);
        assert_eq!(info.used_ports().len(), 1);
        assert!(info.remove_pod("/a").is_some());
        assert!(info.remove_pod("/a").is_none());
        assert_eq!(info.requested().milli_cpu, 0);
        assert_eq!(info.non_zero_requested().milli_cpu, 100);
        assert!(info.used_ports().is_empty());
        assert_eq!(info.pods().len(), 1);
    }
}
