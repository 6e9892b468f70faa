//! Choosing victims on one node: remove every lower-priority pod, check the pod fits,
//! then put back (reprieve) as many as possible, most important first, PDB-protected
//! pods before the others.

use std::cmp::Ordering;
use std::sync::Arc;

use crate::cache::ClusterObjects;
use crate::framework::{ActiveFilters, CycleState, Framework, NodeInfo, PodInfo, Status};
use crate::queue::NominatedPods;

/// The reason when a node has no lower-priority pod.
pub const NO_VICTIMS: &str = "No preemption victims found for incoming pod";

/// The victims chosen on one node.
#[derive(Clone, Debug)]
pub struct Victims {
    /// The node.
    pub node: String,
    /// Pods to evict, most important first.
    pub pods: Vec<Arc<PodInfo>>,
    /// How many of them violate a disruption budget.
    pub pdb_violations: usize,
}

/// The start time of a pod in unix seconds (`None`: not started, i.e. "now").
pub(super) fn start_time(p: &PodInfo) -> Option<i64> {
    p.pod.status.start_time.as_ref().map(|t| t.unix_seconds())
}

/// kube-scheduler's `MoreImportantPod`: higher priority, then earlier start.
pub(super) fn more_important(a: &PodInfo, b: &PodInfo) -> Ordering {
    b.priority
        .cmp(&a.priority)
        .then_with(|| match (start_time(a), start_time(b)) {
            (Some(x), Some(y)) => x.cmp(&y),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        })
}

/// Splits pods into those whose eviction would violate a disruption budget and the
/// others (budgets are consumed in order).
fn split_by_pdb(
    pods: Vec<Arc<PodInfo>>,
    cluster: &ClusterObjects,
) -> (Vec<Arc<PodInfo>>, Vec<Arc<PodInfo>>) {
    let budgets: Vec<_> = cluster.budgets().collect();
    let mut allowed: Vec<i64> = budgets
        .iter()
        .map(|b| i64::from(b.disruptions_allowed))
        .collect();
    let mut violating = Vec::new();
    let mut other = Vec::new();
    for p in pods {
        let labels = &p.pod.metadata.labels;
        let mut violated = false;
        if !labels.is_empty() {
            for (i, b) in budgets.iter().enumerate() {
                if b.namespace != p.pod.metadata.namespace {
                    continue;
                }
                let Some(sel) = &b.selector else {
                    continue;
                };
                if sel.is_empty() || !sel.matches(labels) {
                    continue;
                }
                if b.disrupted_pods.contains(&p.pod.metadata.name) {
                    continue;
                }
                allowed[i] -= 1;
                if allowed[i] < 0 {
                    violated = true;
                }
            }
        }
        if violated {
            violating.push(p);
        } else {
            other.push(p);
        }
    }
    (violating, other)
}

/// Finds the fewest, least important victims on `node` that make `pod` fit. `node`
/// and `state` are the caller's copies and are modified.
#[allow(clippy::too_many_arguments)]
pub(super) fn select_victims(
    fwk: &Framework,
    filters: &ActiveFilters<'_>,
    state: &mut CycleState,
    pod: &PodInfo,
    node: &mut NodeInfo,
    nominated: &NominatedPods,
    cluster: &ClusterObjects,
) -> Result<Victims, Status> {
    let mut potential: Vec<Arc<PodInfo>> = node
        .pods()
        .iter()
        .filter(|p| p.priority < pod.priority)
        .cloned()
        .collect();
    if potential.is_empty() {
        return Err(Status::unresolvable(NO_VICTIMS));
    }
    for p in &potential {
        node.remove_pod(&p.key);
        let s = fwk.run_pre_filter_remove_pod(state, pod, p, node);
        if !s.is_success() {
            return Err(s);
        }
    }
    let s = fwk.run_filter_with_nominated(filters, state, pod, node, nominated);
    if !s.is_success() {
        return Err(s);
    }
    potential.sort_by(|a, b| more_important(a, b));
    let (violating, other) = split_by_pdb(potential, cluster);
    let mut victims = Vec::new();
    let mut pdb_violations = 0;
    let mut reprieve =
        |p: Arc<PodInfo>, state: &mut CycleState, node: &mut NodeInfo| -> Result<bool, Status> {
            node.add_pod(p.clone());
            let s = fwk.run_pre_filter_add_pod(state, pod, &p, node);
            if !s.is_success() {
                return Err(s);
            }
            let fits = fwk
                .run_filter_with_nominated(filters, state, pod, node, nominated)
                .is_success();
            if !fits {
                node.remove_pod(&p.key);
                let s = fwk.run_pre_filter_remove_pod(state, pod, &p, node);
                if !s.is_success() {
                    return Err(s);
                }
                victims.push(p);
            }
            Ok(fits)
        };
    let had_violating = !violating.is_empty();
    for p in violating {
        if !reprieve(p, state, node)? {
            pdb_violations += 1;
        }
    }
    let had_other = !other.is_empty();
    for p in other {
        reprieve(p, state, node)?;
    }
    if had_violating && had_other {
        victims.sort_by(|a, b| more_important(a, b));
    }
    Ok(Victims {
        node: node.name().to_owned(),
        pods: victims,
        pdb_violations,
    })
}

/// kube-scheduler's `pickOneNodeForPreemption`: fewest PDB violations, then lowest
/// highest-victim priority, then lowest priority sum, then fewest victims, then the
/// latest earliest-start among the highest-priority victims, then the first.
pub(super) fn pick_one(candidates: &[Victims]) -> Option<&Victims> {
    if let Some(c) = candidates.iter().find(|c| c.pods.is_empty()) {
        return Some(c);
    }
    type ScoreFn = fn(&Victims) -> i64;
    let funcs: [ScoreFn; 5] = [
        |v| -(v.pdb_violations as i64),
        |v| -i64::from(v.pods.first().map_or(0, |p| p.priority)),
        |v| {
            -v.pods
                .iter()
                .map(|p| i64::from(p.priority) + i64::from(i32::MAX) + 1)
                .sum::<i64>()
        },
        |v| -(v.pods.len() as i64),
        |v| {
            let top = v.pods.first().map_or(0, |p| p.priority);
            v.pods
                .iter()
                .filter(|p| p.priority == top)
                .map(|p| start_time(p).unwrap_or(i64::MAX))
                .min()
                .unwrap_or(i64::MIN)
        },
    ];
    let mut remaining: Vec<&Victims> = candidates.iter().collect();
    for f in funcs {
        let best = remaining.iter().map(|v| f(v)).max()?;
        remaining.retain(|v| f(v) == best);
        if remaining.len() == 1 {
            break;
        }
    }
    remaining.first().copied()
}
