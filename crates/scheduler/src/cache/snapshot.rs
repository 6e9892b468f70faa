//! [`Snapshot`]: the cluster as one scheduling cycle sees it.

use std::collections::HashMap;
use std::sync::Arc;

use super::cluster::ClusterObjects;
use crate::framework::NodeInfo;

/// An immutable view of the nodes (with their pods) for one cycle.
///
/// Updated in place from the [`Cache`](super::Cache) before each cycle: only the
/// nodes whose generation moved since the last update are replaced (an `Arc` clone
/// each), so a cycle in a 15,000-node cluster costs a few pointer copies, not a copy of
/// the cluster. The node order interleaves zones (round-robin over zones), so the
/// first nodes a cycle looks at are spread across zones.
#[derive(Clone, Debug, Default)]
pub struct Snapshot {
    pub(crate) nodes: Vec<Arc<NodeInfo>>,
    /// The generation of each node, parallel to `nodes` (a dense array plugins scan
    /// to find changed nodes without touching every node).
    pub(crate) generations: Vec<u64>,
    pub(crate) index: HashMap<String, usize>,
    pub(crate) with_affinity: Vec<usize>,
    pub(crate) with_required_anti_affinity: Vec<usize>,
    pub(crate) with_scoring_affinity: Vec<usize>,
    pub(crate) generation: u64,
    pub(crate) epoch: u64,
    pub(crate) source: u64,
    pub(crate) image_counts: Arc<HashMap<String, u32>>,
    pub(crate) cluster: Arc<ClusterObjects>,
}

impl Snapshot {
    /// An empty snapshot (to be filled by [`Cache::update_snapshot`](super::Cache::update_snapshot)).
    pub fn new() -> Self {
        Self::default()
    }

    /// Every node, in zone-interleaved order.
    pub fn nodes(&self) -> &[Arc<NodeInfo>] {
        &self.nodes
    }

    /// The generation of each node, parallel to [`nodes`](Self::nodes): plugins that
    /// keep per-node results across cycles (by position, within one
    /// [`epoch`](Self::epoch)) recompute only nodes whose generation moved.
    pub fn generations(&self) -> &[u64] {
        &self.generations
    }

    /// The number of nodes.
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// True if there are no nodes.
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// The node named `name`.
    pub fn get(&self, name: &str) -> Option<&Arc<NodeInfo>> {
        self.index.get(name).map(|i| &self.nodes[*i])
    }

    /// The position of node `name` in [`nodes`](Self::nodes).
    pub fn position(&self, name: &str) -> Option<usize> {
        self.index.get(name).copied()
    }

    /// Nodes with at least one pod that has pod affinity or anti-affinity terms.
    pub fn nodes_with_affinity_pods(&self) -> impl Iterator<Item = &Arc<NodeInfo>> {
        self.with_affinity.iter().map(|i| &self.nodes[*i])
    }

    /// Nodes with at least one pod that has required affinity, preferred affinity or
    /// preferred anti-affinity terms.
    pub fn nodes_with_scoring_affinity_pods(&self) -> impl Iterator<Item = &Arc<NodeInfo>> {
        self.with_scoring_affinity.iter().map(|i| &self.nodes[*i])
    }

    /// Nodes with at least one pod that has required anti-affinity terms.
    pub fn nodes_with_required_anti_affinity_pods(&self) -> impl Iterator<Item = &Arc<NodeInfo>> {
        self.with_required_anti_affinity
            .iter()
            .map(|i| &self.nodes[*i])
    }

    /// How many nodes have image `name`.
    pub fn nodes_with_image(&self, name: &str) -> u32 {
        self.image_counts.get(name).copied().unwrap_or(0)
    }

    /// True if any node reports images.
    pub fn has_images(&self) -> bool {
        !self.image_counts.is_empty()
    }

    /// Namespaces, workload selectors and disruption budgets.
    pub fn cluster(&self) -> &ClusterObjects {
        &self.cluster
    }

    /// Changes whenever nodes are added or removed (positions are stable within one
    /// epoch): plugins that cache per-node data by position check it.
    pub fn epoch(&self) -> u64 {
        self.epoch
    }

    /// Identifies the cache this snapshot comes from (unique per [`Cache`](super::Cache)
    /// in the process): per-position data is valid only for one source and epoch.
    pub fn source(&self) -> u64 {
        self.source
    }

    /// The cache generation this snapshot reflects.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    pub(crate) fn rebuild_affinity_lists(&mut self) {
        self.with_affinity.clear();
        self.with_required_anti_affinity.clear();
        self.with_scoring_affinity.clear();
        for (i, n) in self.nodes.iter().enumerate() {
            if n.has_pods_scoring_affinity() {
                self.with_scoring_affinity.push(i);
            }
            if !n.pods_with_affinity().is_empty() {
                self.with_affinity.push(i);
            }
            if !n.pods_with_required_anti_affinity().is_empty() {
                self.with_required_anti_affinity.push(i);
            }
        }
    }

    /// Keeps the affinity lists right after node `i` changed.
    pub(crate) fn update_affinity_lists(&mut self, i: usize) {
        let n = &self.nodes[i];
        sync_member(
            &mut self.with_affinity,
            i,
            !n.pods_with_affinity().is_empty(),
        );
        sync_member(
            &mut self.with_required_anti_affinity,
            i,
            !n.pods_with_required_anti_affinity().is_empty(),
        );
        sync_member(
            &mut self.with_scoring_affinity,
            i,
            n.has_pods_scoring_affinity(),
        );
    }
}

fn sync_member(list: &mut Vec<usize>, i: usize, member: bool) {
    match (list.binary_search(&i), member) {
        (Ok(_), true) | (Err(_), false) => {}
        (Ok(at), false) => {
            list.remove(at);
        }
        (Err(at), true) => list.insert(at, i),
    }
}
