//! Per-node results kept across cycles: plugins that aggregate over every node of the
//! cluster (topology spreading, inter-pod affinity) recompute only the nodes whose
//! generation moved since the previous cycle, and keep the aggregate up to date by
//! subtracting a node's old contribution and adding its new one.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use crate::cache::Snapshot;
use crate::framework::NodeInfo;

/// One node's contribution: `(topology key, value, count)` triples. A triple with
/// count 0 still marks its domain as present.
pub(crate) type Contribution = Vec<(String, String, i64)>;

/// Counts per topology pair, and how many nodes make each pair present.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct PairTotals {
    map: HashMap<String, HashMap<String, (i64, u32)>>,
}

impl PairTotals {
    fn apply(&mut self, c: &Contribution, sign: i64) {
        for (k, v, n) in c {
            let values = self.map.entry(k.clone()).or_default();
            let slot = values.entry(v.clone()).or_default();
            slot.0 += sign * n;
            if sign > 0 {
                slot.1 += 1;
            } else {
                slot.1 = slot.1.saturating_sub(1);
            }
            if slot.1 == 0 {
                values.remove(v);
                if values.is_empty() {
                    self.map.remove(k);
                }
            }
        }
    }

    /// Adds `delta` to a pair's count (a simulation: presence is not tracked).
    pub(crate) fn add(&mut self, key: &str, value: &str, delta: i64) {
        let slot = self
            .map
            .entry(key.to_owned())
            .or_default()
            .entry(value.to_owned())
            .or_insert((0, 1));
        slot.0 += delta;
    }

    /// The count of a pair (0 when absent).
    pub(crate) fn get(&self, key: &str, value: &str) -> i64 {
        self.map
            .get(key)
            .and_then(|v| v.get(value))
            .map_or(0, |(c, _)| *c)
    }

    /// True if some pair of a key starting with `prefix` has a positive count.
    pub(crate) fn any_positive(&self, prefix: &str) -> bool {
        self.map
            .iter()
            .filter(|(k, _)| k.starts_with(prefix))
            .any(|(_, v)| v.values().any(|(c, _)| *c > 0))
    }

    /// The values of `key` present on some node, with their counts.
    pub(crate) fn values(&self, key: &str) -> Option<&HashMap<String, (i64, u32)>> {
        self.map.get(key)
    }

    /// Every key.
    pub(crate) fn keys(&self) -> impl Iterator<Item = (&String, &HashMap<String, (i64, u32)>)> {
        self.map.iter()
    }
}

struct Entry {
    source: u64,
    epoch: u64,
    generations: Vec<u64>,
    contributions: Vec<Contribution>,
    totals: Arc<PairTotals>,
    last_used: u64,
}

/// Memoized aggregates, one per signature (what the contribution depends on besides
/// the node: the incoming pod's selector, namespace, terms...).
#[derive(Default)]
pub(crate) struct NodeMemo {
    inner: Mutex<(u64, HashMap<String, Entry>)>,
}

impl std::fmt::Debug for NodeMemo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NodeMemo").finish_non_exhaustive()
    }
}

/// Signatures kept at once (least recently used ones are dropped beyond this).
const MAX_ENTRIES: usize = 64;

impl NodeMemo {
    /// The totals over every node of `snapshot` of `compute(node)`, recomputing only
    /// nodes that changed since this signature was last used with this snapshot's
    /// source and epoch. `compute` must depend only on the node and the signature.
    pub(crate) fn totals(
        &self,
        signature: &str,
        snapshot: &Snapshot,
        compute: impl Fn(&NodeInfo) -> Contribution,
    ) -> Arc<PairTotals> {
        let mut guard = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        let (clock, entries) = &mut *guard;
        *clock += 1;
        let now = *clock;
        let n = snapshot.len();
        let valid = entries
            .get(signature)
            .is_some_and(|e| e.source == snapshot.source() && e.epoch == snapshot.epoch());
        if !valid {
            if entries.len() >= MAX_ENTRIES {
                if let Some(oldest) = entries
                    .iter()
                    .min_by_key(|(_, e)| e.last_used)
                    .map(|(k, _)| k.clone())
                {
                    entries.remove(&oldest);
                }
            }
            entries.insert(
                signature.to_owned(),
                Entry {
                    source: snapshot.source(),
                    epoch: snapshot.epoch(),
                    generations: vec![u64::MAX; n],
                    contributions: vec![Vec::new(); n],
                    totals: Arc::new(PairTotals::default()),
                    last_used: now,
                },
            );
        }
        let Some(e) = entries.get_mut(signature) else {
            return Arc::new(PairTotals::default());
        };
        e.last_used = now;
        let gens = snapshot.generations();
        let totals = Arc::make_mut(&mut e.totals);
        let nodes = snapshot.nodes();
        for (i, (&g, node)) in gens.iter().zip(nodes).enumerate().take(n) {
            if e.generations[i] == g {
                continue;
            }
            let new = compute(node);
            totals.apply(&e.contributions[i], -1);
            totals.apply(&new, 1);
            e.contributions[i] = new;
            e.generations[i] = g;
        }
        e.totals.clone()
    }
}
