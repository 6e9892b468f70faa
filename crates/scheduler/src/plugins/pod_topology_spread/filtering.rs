//! PodTopologySpread's PreFilter (matching pods per domain) and Filter (skew).

use std::collections::HashMap;
use std::sync::Arc;

use super::common::{Constraint, node_has_all_keys};
use super::domains::{DomainTable, Lookup};
use super::{ERR_REASON_CONSTRAINTS_NOT_MATCH, ERR_REASON_NODE_LABEL_NOT_MATCH, PodTopologySpread};
use crate::cache::Snapshot;
use crate::framework::{
    CycleState, FilterPlugin, NodeInfo, PodInfo, PreFilterPlugin, PreFilterResult, Status,
};
use crate::plugins::helpers::RequiredNodeAffinity;

/// Matching pods per domain, per hard constraint.
#[derive(Clone, Debug)]
struct PreFilterState {
    constraints: Vec<Constraint>,
    counts: Vec<HashMap<String, i64>>,
    /// The smallest count per constraint (`i64::MAX` without domains), already
    /// lowered to 0 when there are fewer domains than `minDomains`.
    min: Vec<i64>,
    self_match: Vec<i64>,
    required: RequiredNodeAffinity,
    /// Per constraint, the Filter's verdict per domain, precomputed from the counts.
    verdicts: Vec<Verdicts>,
    /// Per constraint, the verdict per domain id (keys with few values).
    tables: Vec<Option<DomainTable>>,
}

/// Which domains of one constraint would exceed the skew: the Filter's per-node work
/// is then one label lookup and (when few domains are blocked) a short scan, instead
/// of a hash of the domain name and a count lookup.
#[derive(Clone, Debug, Default)]
struct Verdicts {
    /// The blocked domains among those with matching pods, when there are at most
    /// [`MAX_LISTED`]; `None`: too many, look the count up.
    blocked: Option<Vec<String>>,
    /// True if a domain without matching pods is blocked.
    absent_blocked: bool,
}

/// Most blocked domains listed for a linear scan.
const MAX_LISTED: usize = 8;

impl PreFilterState {
    fn recompute_min(&mut self, i: usize) {
        let counts = &self.counts[i];
        let mut min = counts.values().copied().min().unwrap_or(i64::MAX);
        if (counts.len() as i64) < self.constraints[i].min_domains {
            min = 0;
        }
        self.min[i] = min;
        let exceeds = |matched: i64| {
            matched
                .saturating_add(self.self_match[i])
                .saturating_sub(min)
                > self.constraints[i].max_skew
        };
        let mut blocked = Vec::new();
        let mut listed = true;
        for (v, c) in counts {
            if exceeds(*c) {
                if blocked.len() == MAX_LISTED {
                    listed = false;
                    break;
                }
                blocked.push(v.clone());
            }
        }
        self.verdicts[i] = Verdicts {
            blocked: listed.then_some(blocked),
            absent_blocked: exceeds(0),
        };
        if let Some(mut t) = self.tables[i].take() {
            for (id, value) in t.values.iter().enumerate() {
                t.blocked[id] = self.exceeds(i, value);
            }
            self.tables[i] = Some(t);
        }
    }

    /// True if placing the pod in domain `value` of constraint `i` would exceed the
    /// skew.
    fn exceeds(&self, i: usize, value: &str) -> bool {
        let v = &self.verdicts[i];
        match &v.blocked {
            Some(blocked) => {
                if blocked.iter().any(|b| b == value) {
                    return true;
                }
                v.absent_blocked && !self.counts[i].contains_key(value)
            }
            None => {
                let matched = self.counts[i].get(value).copied().unwrap_or(0);
                matched
                    .saturating_add(self.self_match[i])
                    .saturating_sub(self.min[i])
                    > self.constraints[i].max_skew
            }
        }
    }

    fn update_with(&mut self, incoming: &PodInfo, other: &PodInfo, node: &NodeInfo, delta: i64) {
        let Some(n) = node.node() else {
            return;
        };
        if other.pod.metadata.namespace != incoming.pod.metadata.namespace
            || !node_has_all_keys(n, &self.constraints)
        {
            return;
        }
        for i in 0..self.constraints.len() {
            let c = &self.constraints[i];
            if !c.selects(&other.pod.metadata.labels)
                || !c.includes_node(&incoming.pod, n, &self.required)
            {
                continue;
            }
            let Some(v) = n.metadata.labels.get(&c.topology_key) else {
                continue;
            };
            *self.counts[i].entry(v.clone()).or_default() += delta;
            self.recompute_min(i);
        }
    }
}

impl PreFilterPlugin for PodTopologySpread {
    fn pre_filter(
        &self,
        state: &mut CycleState,
        pod: &PodInfo,
        snapshot: &Snapshot,
    ) -> Result<PreFilterResult, Status> {
        let constraints = self
            .constraints(&pod.pod, "DoNotSchedule", snapshot.cluster())
            .map_err(|e| {
                Status::unresolvable(format!("invalid topology spread constraint: {e}"))
            })?;
        if constraints.is_empty() {
            return Ok(PreFilterResult::Skip);
        }
        let required = RequiredNodeAffinity::of(&pod.pod);
        let ns = pod.pod.metadata.namespace.as_str();
        let mut counts: Vec<HashMap<String, i64>> = vec![HashMap::new(); constraints.len()];
        // The per-node counts depend on the node, the namespace, the selectors and
        // keys, and (through inclusion policies) on the pod's node affinity and
        // tolerations; when those are neutral, they are kept across cycles.
        let memoizable = required.is_empty() && constraints.iter().all(|c| !c.honor_node_taints);
        if memoizable {
            let mut signature = format!("pts-filter\x00{ns}");
            for c in &constraints {
                signature.push('\x00');
                signature.push_str(&c.topology_key);
                signature.push('\x00');
                if let Some(s) = &c.selector {
                    signature.push_str(&s.to_string());
                    signature.push_str(if s.is_empty() { "{}" } else { "" });
                } else {
                    signature.push_str("<none>");
                }
            }
            let totals = self.memo.totals(&signature, snapshot, |node| {
                let Some(n) = node.node() else {
                    return Vec::new();
                };
                if !node_has_all_keys(n, &constraints) {
                    return Vec::new();
                }
                constraints
                    .iter()
                    .enumerate()
                    .filter_map(|(i, c)| {
                        let v = n.metadata.labels.get(&c.topology_key)?;
                        Some((i.to_string(), v.clone(), c.count_matching(node.pods(), ns)))
                    })
                    .collect()
            });
            for (i, slot) in counts.iter_mut().enumerate() {
                if let Some(values) = totals.values(&i.to_string()) {
                    *slot = values.iter().map(|(v, (c, _))| (v.clone(), *c)).collect();
                }
            }
        } else {
            for node in snapshot.nodes() {
                let Some(n) = node.node() else {
                    continue;
                };
                if !node_has_all_keys(n, &constraints) {
                    continue;
                }
                for (i, c) in constraints.iter().enumerate() {
                    if !c.includes_node(&pod.pod, n, &required) {
                        continue;
                    }
                    let Some(v) = n.metadata.labels.get(&c.topology_key) else {
                        continue;
                    };
                    let count = c.count_matching(node.pods(), ns);
                    match counts[i].get_mut(v.as_str()) {
                        Some(slot) => *slot += count,
                        None => {
                            counts[i].insert(v.clone(), count);
                        }
                    }
                }
            }
        }
        let self_match = constraints
            .iter()
            .map(|c| i64::from(c.selects(&pod.pod.metadata.labels)))
            .collect();
        let tables = constraints
            .iter()
            .zip(&counts)
            .map(|(c, counts)| self.domains.table(&c.topology_key, counts.keys()))
            .collect();
        let mut s = PreFilterState {
            min: vec![i64::MAX; constraints.len()],
            verdicts: vec![Verdicts::default(); constraints.len()],
            tables,
            constraints,
            counts,
            self_match,
            required,
        };
        for i in 0..s.constraints.len() {
            s.recompute_min(i);
        }
        state.write(s);
        Ok(PreFilterResult::Continue)
    }

    fn add_pod(
        &self,
        state: &mut CycleState,
        pod: &PodInfo,
        added: &Arc<PodInfo>,
        node: &NodeInfo,
    ) -> Status {
        if let Some(s) = state.get_mut::<PreFilterState>() {
            s.update_with(pod, added, node, 1);
        }
        Status::success()
    }

    fn remove_pod(
        &self,
        state: &mut CycleState,
        pod: &PodInfo,
        removed: &Arc<PodInfo>,
        node: &NodeInfo,
    ) -> Status {
        if let Some(s) = state.get_mut::<PreFilterState>() {
            s.update_with(pod, removed, node, -1);
        }
        Status::success()
    }
}

impl FilterPlugin for PodTopologySpread {
    fn filter(&self, state: &CycleState, _: &PodInfo, node: &NodeInfo) -> Status {
        let Some(s) = state.read::<PreFilterState>() else {
            return Status::error("PodTopologySpread: PreFilter state missing");
        };
        for (i, c) in s.constraints.iter().enumerate() {
            if let Some(t) = &s.tables[i] {
                match t.lookup(node, &c.topology_key) {
                    Lookup::NoLabel => {
                        return Status::unresolvable(ERR_REASON_NODE_LABEL_NOT_MATCH);
                    }
                    Lookup::Blocked(true) => {
                        return Status::unschedulable(ERR_REASON_CONSTRAINTS_NOT_MATCH);
                    }
                    Lookup::Blocked(false) => continue,
                    Lookup::Unknown => {}
                }
            }
            let Some(v) = node.label(&c.topology_key) else {
                return Status::unresolvable(ERR_REASON_NODE_LABEL_NOT_MATCH);
            };
            if s.exceeds(i, v) {
                return Status::unschedulable(ERR_REASON_CONSTRAINTS_NOT_MATCH);
            }
        }
        Status::success()
    }
}
