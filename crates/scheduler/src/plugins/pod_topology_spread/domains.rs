//! Domain ids for the Filter: each topology value of a key gets a small id (stable for
//! the plugin's lifetime), and a node memoizes its id in a [`NodeInfo`] memo slot, so
//! the per-node work of the Filter on an unchanged node is one atomic load and one
//! array read, without touching the node object or its labels.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};

use crate::framework::NodeInfo;

/// The NodeInfo memo slot this plugin uses (Fit and BalancedAllocation use 0 and 1).
pub(super) const MEMO_SLOT: usize = 2;
/// Most values per key given ids; keys with more (hostnames) use label lookups.
const MAX_DOMAINS: usize = 64;
/// The memoized id of a node without the key.
const NO_LABEL: i64 = 255;

static INSTANCES: AtomicU64 = AtomicU64::new(1);

/// The plugin's interned values, per topology key.
#[derive(Debug)]
pub(super) struct DomainIds {
    instance: u64,
    keys: Mutex<HashMap<String, Vec<String>>>,
}

impl Default for DomainIds {
    fn default() -> Self {
        DomainIds {
            instance: INSTANCES.fetch_add(1, Ordering::Relaxed),
            keys: Mutex::new(HashMap::new()),
        }
    }
}

impl DomainIds {
    /// The table of `key` covering `values` (interned now if new); `None` when the key
    /// has too many values.
    pub(super) fn table<'v>(
        &self,
        key: &str,
        values: impl Iterator<Item = &'v String>,
    ) -> Option<DomainTable> {
        let mut keys = self.keys.lock().unwrap_or_else(PoisonError::into_inner);
        let known = keys.entry(key.to_owned()).or_default();
        for v in values {
            if known.len() > MAX_DOMAINS {
                return None;
            }
            if !known.contains(v) {
                known.push(v.clone());
            }
        }
        if known.len() > MAX_DOMAINS {
            return None;
        }
        let mut h = DefaultHasher::new();
        ("PodTopologySpread/domain", self.instance, key).hash(&mut h);
        Some(DomainTable {
            memo_key: h.finish() | 1,
            values: known.clone(),
            blocked: vec![false; known.len()],
        })
    }
}

/// One key's ids for a cycle, with the Filter's verdict per id.
#[derive(Clone, Debug)]
pub(super) struct DomainTable {
    memo_key: u64,
    /// The value of each id.
    pub(super) values: Vec<String>,
    /// True if the domain would exceed the skew.
    pub(super) blocked: Vec<bool>,
}

/// What the table says about a node.
pub(super) enum Lookup {
    /// The node lacks the key.
    NoLabel,
    /// The domain's verdict (true: blocked).
    Blocked(bool),
    /// The node's domain is not in the table: decide by label.
    Unknown,
}

impl DomainTable {
    /// The verdict for `node`, memoizing its id.
    pub(super) fn lookup(&self, node: &NodeInfo, key: &str) -> Lookup {
        let id = match node.memo_get(MEMO_SLOT, self.memo_key) {
            Some(id) => id,
            None => {
                let id = match node.label(key) {
                    None => NO_LABEL,
                    Some(v) => match self.values.iter().position(|x| x == v) {
                        Some(i) => i as i64,
                        None => return Lookup::Unknown,
                    },
                };
                node.memo_put(MEMO_SLOT, self.memo_key, id);
                id
            }
        };
        if id == NO_LABEL {
            return Lookup::NoLabel;
        }
        match usize::try_from(id).ok().and_then(|i| self.blocked.get(i)) {
            Some(b) => Lookup::Blocked(*b),
            None => Lookup::Unknown,
        }
    }
}
