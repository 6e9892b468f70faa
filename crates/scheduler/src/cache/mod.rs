//! The scheduler's view of the cluster: [`Cache`] (incremental, with assumed pods)
//! and [`Snapshot`] (what one cycle reads).

mod cluster;
mod node_tree;
mod snapshot;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use core_types::core_v1::Node;

pub use cluster::{ClusterObjects, DisruptionBudget, WorkloadSelector};
pub use snapshot::Snapshot;

use crate::error::CacheError;
use crate::framework::{ActionType, NodeInfo, PodInfo};
use node_tree::{NodeTree, zone_key};

struct NodeEntry {
    info: Arc<NodeInfo>,
    zone: String,
    in_tree: bool,
}

struct PodState {
    info: Arc<PodInfo>,
    node: String,
    assumed: bool,
}

/// Nodes and the pods on them, kept up to date from node and pod events, plus the
/// pods the scheduler has *assumed* onto nodes before their binding is confirmed.
///
/// Every change bumps a generation counter and stamps the changed node with it;
/// [`update_snapshot`](Self::update_snapshot) then copies just the nodes stamped since
/// the snapshot's generation. A node shared with a snapshot is copied on write
/// (`Arc::make_mut`), so a snapshot never sees a half-applied change.
///
/// Assumed pods: [`assume_pod`](Self::assume_pod) counts a pod on its chosen node at
/// once, so the next cycle already sees its resources; when the bound pod is later
/// [`add_pod`](Self::add_pod)ed (from the watch) the assumption is confirmed, and if
/// binding fails, [`forget_pod`](Self::forget_pod) takes it back.
pub struct Cache {
    nodes: HashMap<String, NodeEntry>,
    pods: HashMap<String, PodState>,
    tree: NodeTree,
    generation: u64,
    /// The latest generation of each changed node, by generation.
    changes: BTreeMap<u64, String>,
    /// Bumped when the set of nodes in the tree changes.
    epoch: u64,
    image_nodes: HashMap<String, u32>,
    image_counts: Arc<HashMap<String, u32>>,
    cluster: Arc<ClusterObjects>,
    id: u64,
}

static NEXT_CACHE_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

impl Default for Cache {
    fn default() -> Self {
        Cache {
            nodes: HashMap::new(),
            pods: HashMap::new(),
            tree: NodeTree::default(),
            generation: 0,
            changes: BTreeMap::new(),
            epoch: 1,
            image_nodes: HashMap::new(),
            image_counts: Arc::new(HashMap::new()),
            cluster: Arc::new(ClusterObjects::default()),
            id: NEXT_CACHE_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
        }
    }
}

impl std::fmt::Debug for Cache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Cache")
            .field("nodes", &self.nodes.len())
            .field("pods", &self.pods.len())
            .field("generation", &self.generation)
            .finish_non_exhaustive()
    }
}

fn image_names(node: &Node) -> HashSet<&str> {
    node.status
        .images
        .iter()
        .flat_map(|i| i.names.iter().map(String::as_str))
        .collect()
}

impl Cache {
    /// An empty cache.
    pub fn new() -> Self {
        Self::default()
    }

    /// The number of nodes with a node object.
    pub fn node_count(&self) -> usize {
        self.nodes
            .values()
            .filter(|e| e.info.node().is_some())
            .count()
    }

    /// The number of pods (bound and assumed).
    pub fn pod_count(&self) -> usize {
        self.pods.len()
    }

    /// The node named `name` as the cache holds it now.
    pub fn node(&self, name: &str) -> Option<&Arc<NodeInfo>> {
        self.nodes.get(name).map(|e| &e.info)
    }

    /// The keys of every pod the cache holds.
    pub fn pod_keys(&self) -> Vec<String> {
        self.pods.keys().cloned().collect()
    }

    /// The names of every node with a node object.
    pub fn node_names(&self) -> Vec<String> {
        self.nodes
            .iter()
            .filter(|(_, e)| e.info.node().is_some())
            .map(|(n, _)| n.clone())
            .collect()
    }

    /// The node a pod is on (bound or assumed).
    pub fn pod_node(&self, key: &str) -> Option<&str> {
        self.pods.get(key).map(|p| p.node.as_str())
    }

    /// The pod with `key`, if the cache holds it.
    pub fn pod(&self, key: &str) -> Option<&Arc<PodInfo>> {
        self.pods.get(key).map(|p| &p.info)
    }

    /// True if the pod is assumed and not yet confirmed.
    pub fn is_assumed(&self, key: &str) -> bool {
        self.pods.get(key).is_some_and(|p| p.assumed)
    }

    /// Namespaces, workloads and budgets, for updating (copy-on-write: snapshots keep
    /// the version they had).
    pub fn cluster_mut(&mut self) -> &mut ClusterObjects {
        Arc::make_mut(&mut self.cluster)
    }

    /// Namespaces, workloads and budgets.
    pub fn cluster(&self) -> &ClusterObjects {
        &self.cluster
    }

    fn touch(&mut self, name: &str) -> Option<&mut NodeInfo> {
        self.generation += 1;
        let generation = self.generation;
        let entry = self.nodes.get_mut(name)?;
        self.changes.remove(&entry.info.generation());
        self.changes.insert(generation, name.to_owned());
        let info = Arc::make_mut(&mut entry.info);
        info.set_generation(generation);
        Some(info)
    }

    fn entry_for_pod(&mut self, node: &str) -> &mut NodeInfo {
        self.generation += 1;
        let generation = self.generation;
        let entry = self
            .nodes
            .entry(node.to_owned())
            .or_insert_with(|| NodeEntry {
                info: Arc::new(NodeInfo::default()),
                zone: String::new(),
                in_tree: false,
            });
        self.changes.remove(&entry.info.generation());
        self.changes.insert(generation, node.to_owned());
        let info = Arc::make_mut(&mut entry.info);
        info.set_generation(generation);
        info
    }

    fn drop_if_empty(&mut self, node: &str) {
        let empty = self
            .nodes
            .get(node)
            .is_some_and(|e| e.info.node().is_none() && e.info.pods().is_empty());
        if empty {
            if let Some(e) = self.nodes.remove(node) {
                self.changes.remove(&e.info.generation());
            }
        }
    }

    // === nodes ===

    /// Adds a node, or updates it if known. Returns what changed (for moving
    /// unschedulable pods): `ADD` for a new node.
    pub fn add_node(&mut self, node: Node) -> ActionType {
        if self
            .nodes
            .get(&node.metadata.name)
            .is_some_and(|e| e.info.node().is_some())
        {
            return self.update_node(node);
        }
        let name = node.metadata.name.clone();
        let zone = zone_key(&node);
        for image in image_names(&node) {
            *self.image_nodes.entry(image.to_owned()).or_default() += 1;
        }
        if !node.status.images.is_empty() {
            self.image_counts = Arc::new(self.image_nodes.clone());
        }
        self.tree.add(&zone, &name);
        self.epoch += 1;
        let node = Arc::new(node);
        if !self.nodes.contains_key(&name) {
            self.nodes.insert(
                name.clone(),
                NodeEntry {
                    info: Arc::new(NodeInfo::default()),
                    zone: zone.clone(),
                    in_tree: true,
                },
            );
        }
        if let Some(e) = self.nodes.get_mut(&name) {
            e.zone = zone;
            e.in_tree = true;
        }
        if let Some(info) = self.touch(&name) {
            info.set_node(node);
        }
        ActionType::ADD
    }

    /// Updates a node; returns which aspects changed.
    pub fn update_node(&mut self, node: Node) -> ActionType {
        let name = node.metadata.name.clone();
        let Some(old) = self
            .nodes
            .get(&name)
            .and_then(|e| e.info.node_arc().cloned())
        else {
            return self.add_node(node);
        };
        let mut action = ActionType::NONE;
        if old.status.allocatable != node.status.allocatable {
            action = action | ActionType::UPDATE_NODE_ALLOCATABLE;
        }
        if old.metadata.labels != node.metadata.labels {
            action = action | ActionType::UPDATE_NODE_LABEL;
        }
        if old.spec.taints != node.spec.taints || old.spec.unschedulable != node.spec.unschedulable
        {
            action = action | ActionType::UPDATE_NODE_TAINT;
        }
        if old.status.conditions != node.status.conditions {
            action = action | ActionType::UPDATE_NODE_CONDITION;
        }
        if old.status.images != node.status.images {
            action = action | ActionType::UPDATE_NODE_IMAGES;
            for image in image_names(&old) {
                if let Some(c) = self.image_nodes.get_mut(image) {
                    *c = c.saturating_sub(1);
                    if *c == 0 {
                        self.image_nodes.remove(image);
                    }
                }
            }
            for image in image_names(&node) {
                *self.image_nodes.entry(image.to_owned()).or_default() += 1;
            }
            self.image_counts = Arc::new(self.image_nodes.clone());
        }
        let zone = zone_key(&node);
        if let Some(e) = self.nodes.get_mut(&name) {
            if e.zone != zone {
                self.tree.remove(&e.zone, &name);
                self.tree.add(&zone, &name);
                e.zone = zone;
                self.epoch += 1;
            }
        }
        if let Some(info) = self.touch(&name) {
            info.set_node(Arc::new(node));
        }
        action
    }

    /// Removes a node. Its pods stay until they are deleted (as kube-scheduler does),
    /// but the node leaves the snapshot.
    pub fn remove_node(&mut self, name: &str) {
        let Some(e) = self.nodes.get(name) else {
            return;
        };
        if let Some(node) = e.info.node_arc().cloned() {
            for image in image_names(&node) {
                if let Some(c) = self.image_nodes.get_mut(image) {
                    *c = c.saturating_sub(1);
                    if *c == 0 {
                        self.image_nodes.remove(image);
                    }
                }
            }
            if !node.status.images.is_empty() {
                self.image_counts = Arc::new(self.image_nodes.clone());
            }
        }
        let zone = e.zone.clone();
        if e.in_tree {
            self.tree.remove(&zone, name);
            self.epoch += 1;
        }
        if let Some(e) = self.nodes.get_mut(name) {
            e.in_tree = false;
        }
        if let Some(info) = self.touch(name) {
            info.remove_node();
        }
        self.drop_if_empty(name);
    }

    // === pods ===

    /// Adds a bound pod (from the watch). Confirms it if it was assumed.
    pub fn add_pod(&mut self, info: Arc<PodInfo>, node: &str) {
        let key = info.key.clone();
        if let Some(state) = self.pods.get(&key) {
            let keep = state.assumed && state.node == node && same_content(&state.info, &info);
            if keep {
                // The node holds the confirmed version from now on, so the assumed
                // one is freed (a new node version: snapshots pick it up).
                if let Some(n) = self.touch(node) {
                    let replaced = n.replace_pod(&info);
                    debug_assert!(replaced, "an assumed pod is on its node");
                }
                if let Some(state) = self.pods.get_mut(&key) {
                    state.assumed = false;
                    state.info = info;
                }
                return;
            }
            self.remove_pod(&key);
        }
        self.entry_for_pod(node).add_pod(info.clone());
        self.pods.insert(
            key,
            PodState {
                info,
                node: node.to_owned(),
                assumed: false,
            },
        );
    }

    /// Replaces a bound pod with its new version.
    pub fn update_pod(&mut self, info: Arc<PodInfo>, node: &str) {
        self.add_pod(info, node);
    }

    /// Removes a pod (deleted, or no longer bound); returns the node it was on.
    pub fn remove_pod(&mut self, key: &str) -> Option<String> {
        let state = self.pods.remove(key)?;
        if let Some(info) = self.touch(&state.node) {
            info.remove_pod(key);
        }
        self.drop_if_empty(&state.node);
        Some(state.node)
    }

    /// Counts `pod` on `node` before its binding is confirmed.
    pub fn assume_pod(&mut self, info: Arc<PodInfo>, node: &str) -> Result<(), CacheError> {
        if self.pods.contains_key(&info.key) {
            return Err(CacheError::AlreadyPresent(info.key.clone()));
        }
        self.entry_for_pod(node).add_pod(info.clone());
        self.pods.insert(
            info.key.clone(),
            PodState {
                info,
                node: node.to_owned(),
                assumed: true,
            },
        );
        Ok(())
    }

    /// Takes back an assumed pod whose binding failed.
    pub fn forget_pod(&mut self, key: &str) -> Result<(), CacheError> {
        match self.pods.get(key) {
            Some(s) if s.assumed => {
                self.remove_pod(key);
                Ok(())
            }
            Some(_) => Err(CacheError::NotAssumed(key.to_owned())),
            None => Err(CacheError::NotFound(key.to_owned())),
        }
    }

    // === snapshots ===

    /// Brings `snapshot` up to date, copying only nodes changed since its last update.
    pub fn update_snapshot(&self, snapshot: &mut Snapshot) {
        if snapshot.epoch != self.epoch || snapshot.source != self.id {
            let names = self.tree.list();
            snapshot.nodes = names
                .iter()
                .filter_map(|n| self.nodes.get(n).map(|e| e.info.clone()))
                .collect();
            snapshot.generations = snapshot.nodes.iter().map(|n| n.generation()).collect();
            snapshot.index = snapshot
                .nodes
                .iter()
                .enumerate()
                .map(|(i, n)| (n.name().to_owned(), i))
                .collect();
            snapshot.rebuild_affinity_lists();
        } else {
            for (_, name) in self.changes.range(snapshot.generation + 1..) {
                let (Some(&i), Some(e)) = (snapshot.index.get(name), self.nodes.get(name)) else {
                    continue;
                };
                snapshot.nodes[i] = e.info.clone();
                snapshot.generations[i] = e.info.generation();
                snapshot.update_affinity_lists(i);
            }
        }
        snapshot.generation = self.generation;
        snapshot.epoch = self.epoch;
        snapshot.source = self.id;
        if !Arc::ptr_eq(&snapshot.image_counts, &self.image_counts) {
            snapshot.image_counts = self.image_counts.clone();
        }
        if !Arc::ptr_eq(&snapshot.cluster, &self.cluster) {
            snapshot.cluster = self.cluster.clone();
        }
    }

    /// A fresh snapshot.
    pub fn snapshot(&self) -> Snapshot {
        let mut s = Snapshot::new();
        self.update_snapshot(&mut s);
        s
    }
}

/// True if the bound version of an assumed pod schedules the same as what was
/// assumed (so the node need not change when the binding is confirmed).
fn same_content(a: &PodInfo, b: &PodInfo) -> bool {
    a.pod.metadata.labels == b.pod.metadata.labels
        && a.pod.metadata.namespace == b.pod.metadata.namespace
        && a.pod.metadata.deletion_timestamp == b.pod.metadata.deletion_timestamp
        && a.priority == b.priority
        && a.requests == b.requests
        && a.host_ports == b.host_ports
        && a.required_affinity_terms == b.required_affinity_terms
        && a.required_anti_affinity_terms == b.required_anti_affinity_terms
        && a.preferred_affinity_terms == b.preferred_affinity_terms
        && a.preferred_anti_affinity_terms == b.preferred_anti_affinity_terms
}

#[cfg(test)]
mod tests;
