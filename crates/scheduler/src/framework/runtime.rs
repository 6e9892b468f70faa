//! [`Framework`]: one profile's plugins, instantiated and ordered per extension point,
//! and the code that runs each extension point.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;
use std::time::Instant;

use super::cycle_state::CycleState;
use super::node_info::NodeInfo;
use super::plugin::{
    FilterPlugin, MAX_NODE_SCORE, MIN_NODE_SCORE, PermitDecision, Plugin, PostFilterResult,
    PreFilterResult, ScorePlugin,
};
use super::pod_info::PodInfo;
use super::registry::Handle;
use super::status::{Code, Status};
use crate::cache::Snapshot;
use crate::queue::NominatedPods;

thread_local! {
    /// The score matrix of [`Framework::run_score`], kept between cycles.
    static SCORES: std::cell::RefCell<Vec<i64>> = const { std::cell::RefCell::new(Vec::new()) };
}

pub(crate) struct Entry {
    pub(crate) name: Arc<str>,
    pub(crate) plugin: Arc<dyn Plugin>,
}

/// The plugins of one profile, ordered per extension point, with score weights.
/// Built by [`Profiles`](crate::Profiles) from a configuration and a
/// [`Registry`](super::Registry).
pub struct Framework {
    pub(crate) scheduler_name: String,
    pub(crate) plugins: Vec<Entry>,
    pub(crate) queue_sort: Option<usize>,
    pub(crate) pre_filter: Vec<usize>,
    pub(crate) filter: Vec<usize>,
    pub(crate) post_filter: Vec<usize>,
    pub(crate) pre_score: Vec<usize>,
    pub(crate) score: Vec<(usize, i64)>,
    pub(crate) reserve: Vec<usize>,
    pub(crate) permit: Vec<usize>,
    pub(crate) pre_bind: Vec<usize>,
    pub(crate) bind: Vec<usize>,
    pub(crate) post_bind: Vec<usize>,
    pub(crate) percentage_of_nodes_to_score: Option<u32>,
    pub(crate) handle: Handle,
}

impl std::fmt::Debug for Framework {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names = |list: &[usize]| -> Vec<&str> {
            list.iter().map(|i| &*self.plugins[*i].name).collect()
        };
        f.debug_struct("Framework")
            .field("scheduler_name", &self.scheduler_name)
            .field("pre_filter", &names(&self.pre_filter))
            .field("filter", &names(&self.filter))
            .field("post_filter", &names(&self.post_filter))
            .field("pre_score", &names(&self.pre_score))
            .field(
                "score",
                &self
                    .score
                    .iter()
                    .map(|(i, w)| (&*self.plugins[*i].name, *w))
                    .collect::<Vec<_>>(),
            )
            .field("bind", &names(&self.bind))
            .finish_non_exhaustive()
    }
}

/// What a PostFilter plugin can look at: the snapshot, why each node was rejected,
/// the framework (to re-run filters in a simulation) and the nominated pods.
pub struct PostFilterInput<'a> {
    /// The cycle's snapshot.
    pub snapshot: &'a Snapshot,
    /// The filter verdict of every rejected node, by node name.
    pub statuses: &'a HashMap<String, Status>,
    /// The framework running the cycle.
    pub framework: &'a Framework,
    /// Pods nominated to nodes by earlier preemptions.
    pub nominated: &'a NominatedPods,
}

/// One score plugin's numbers for every node of a cycle (explanations).
#[derive(Clone, Debug, PartialEq)]
pub struct PluginScores {
    /// The plugin.
    pub plugin: String,
    /// Its weight.
    pub weight: i64,
    /// Raw scores, per node (same order as the nodes scored).
    pub raw: Vec<i64>,
    /// After NormalizeScore.
    pub normalized: Vec<i64>,
}

/// The filters that run this cycle (those whose PreFilter did not Skip), resolved once
/// so the per-node loop makes one virtual call per plugin and nothing else.
pub struct ActiveFilters<'a> {
    list: Vec<(&'a Arc<str>, &'a dyn FilterPlugin)>,
}

impl ActiveFilters<'_> {
    /// Runs the filters on `node`, stopping at the first that rejects it.
    pub fn run(&self, state: &CycleState, pod: &PodInfo, node: &NodeInfo) -> Status {
        for (name, plugin) in &self.list {
            let s = plugin.filter(state, pod, node);
            if !s.is_success() {
                return attribute(s, name);
            }
        }
        Status::success()
    }

    /// Runs every filter on `node` and records each verdict (for explanations);
    /// returns the first failure (or success).
    pub fn run_all(
        &self,
        state: &CycleState,
        pod: &PodInfo,
        node: &NodeInfo,
        out: &mut Vec<(String, Status)>,
    ) -> Status {
        let mut first = Status::success();
        for (name, plugin) in &self.list {
            let s = attribute(plugin.filter(state, pod, node), name);
            if first.is_success() && !s.is_success() {
                first = s.clone();
            }
            out.push((name.to_string(), s));
        }
        first
    }

    /// True if no filter runs.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }
}

fn attribute(s: Status, name: &Arc<str>) -> Status {
    if s.is_success() {
        return s;
    }
    let s = if s.is_rejected() || s.code() == Code::Error {
        s
    } else {
        // Skip/Wait are not valid Filter answers: treat as an error.
        Status::error(format!("filter returned {}", s.code()))
    };
    s.with_plugin(name)
}

/// How a Permit round ended.
#[derive(Debug)]
pub(crate) enum PermitOutcome {
    Allow,
    Wait(HashMap<String, Instant>),
    Deny(Status),
}

impl Framework {
    /// The profile's scheduler name.
    pub fn scheduler_name(&self) -> &str {
        &self.scheduler_name
    }

    /// The profile's percentageOfNodesToScore, when it sets one.
    pub fn percentage_of_nodes_to_score(&self) -> Option<u32> {
        self.percentage_of_nodes_to_score
    }

    /// The handle the plugins were built with.
    pub fn handle(&self) -> &Handle {
        &self.handle
    }

    /// The names of the plugins at an extension point (`"Filter"`, `"Score"`, ...), in
    /// order.
    pub fn plugins_at(&self, point: &str) -> Vec<&str> {
        let list: Vec<usize> = match point {
            "QueueSort" => self.queue_sort.into_iter().collect(),
            "PreFilter" => self.pre_filter.clone(),
            "Filter" => self.filter.clone(),
            "PostFilter" => self.post_filter.clone(),
            "PreScore" => self.pre_score.clone(),
            "Score" => self.score.iter().map(|(i, _)| *i).collect(),
            "Reserve" => self.reserve.clone(),
            "Permit" => self.permit.clone(),
            "PreBind" => self.pre_bind.clone(),
            "Bind" => self.bind.clone(),
            "PostBind" => self.post_bind.clone(),
            _ => Vec::new(),
        };
        list.iter().map(|i| &*self.plugins[*i].name).collect()
    }

    /// The weight of a score plugin.
    pub fn score_weight(&self, plugin: &str) -> Option<i64> {
        self.score
            .iter()
            .find(|(i, _)| &*self.plugins[*i].name == plugin)
            .map(|(_, w)| *w)
    }

    /// The instantiated plugin named `name`.
    pub fn plugin(&self, name: &str) -> Option<&Arc<dyn Plugin>> {
        self.plugins
            .iter()
            .find(|e| &*e.name == name)
            .map(|e| &e.plugin)
    }

    pub(crate) fn all_plugins(&self) -> impl Iterator<Item = (&Arc<str>, &Arc<dyn Plugin>)> {
        self.plugins.iter().map(|e| (&e.name, &e.plugin))
    }

    pub(crate) fn queue_sort_plugin(&self) -> Option<Arc<dyn Plugin>> {
        self.queue_sort.map(|i| self.plugins[i].plugin.clone())
    }

    // === PreFilter ===

    /// Runs the PreFilter plugins. `Ok(Some(nodes))` narrows the candidates.
    pub fn run_pre_filter(
        &self,
        state: &mut CycleState,
        pod: &PodInfo,
        snapshot: &Snapshot,
    ) -> Result<Option<BTreeSet<String>>, Status> {
        let mut skipped = Vec::new();
        let mut narrowed: Option<BTreeSet<String>> = None;
        let mut narrowing_plugins = Vec::new();
        for &i in &self.pre_filter {
            let entry = &self.plugins[i];
            let Some(plugin) = entry.plugin.as_pre_filter() else {
                continue;
            };
            match plugin.pre_filter(state, pod, snapshot) {
                Ok(PreFilterResult::Continue) => {}
                Ok(PreFilterResult::Skip) => skipped.push(i),
                Ok(PreFilterResult::Nodes(nodes)) => {
                    narrowing_plugins.push(entry.name.to_string());
                    narrowed = Some(match narrowed {
                        None => nodes,
                        Some(prev) => prev.intersection(&nodes).cloned().collect(),
                    });
                    if narrowed.as_ref().is_some_and(BTreeSet::is_empty) {
                        let msg = if narrowing_plugins.len() == 1 {
                            format!("node(s) didn't satisfy plugin {}", narrowing_plugins[0])
                        } else {
                            format!(
                                "node(s) didn't satisfy plugin(s) [{}] simultaneously",
                                narrowing_plugins.join(" ")
                            )
                        };
                        return Err(Status::unresolvable(msg).with_plugin(&entry.name));
                    }
                }
                Err(s) if s.is_skip() => skipped.push(i),
                Err(s) if s.is_success() => {}
                Err(s) => return Err(s.with_plugin(&entry.name)),
            }
        }
        state.set_skip_filter(skipped);
        Ok(narrowed)
    }

    /// The filters that run in this cycle.
    pub fn active_filters(&self, state: &CycleState) -> ActiveFilters<'_> {
        let list = self
            .filter
            .iter()
            .filter(|i| !state.skips_filter(**i))
            .filter_map(|i| {
                let e = &self.plugins[*i];
                e.plugin.as_filter().map(|f| (&e.name, f))
            })
            .collect();
        ActiveFilters { list }
    }

    /// Runs the filters on one node (kube-scheduler's `RunFilterPlugins`).
    pub fn run_filter(&self, state: &CycleState, pod: &PodInfo, node: &NodeInfo) -> Status {
        self.active_filters(state).run(state, pod, node)
    }

    /// Runs the filters as if the pods nominated to `node` with a priority at least
    /// the pod's were already there, and, if that passes, again without them.
    pub fn run_filter_with_nominated(
        &self,
        filters: &ActiveFilters<'_>,
        state: &CycleState,
        pod: &PodInfo,
        node: &NodeInfo,
        nominated: &NominatedPods,
    ) -> Status {
        let Some(added) = self.add_nominated_pods(state, pod, node, nominated) else {
            return filters.run(state, pod, node);
        };
        let (state_with, node_with) = added;
        let s = filters.run(&state_with, pod, &node_with);
        if !s.is_success() {
            return s;
        }
        filters.run(state, pod, node)
    }

    fn add_nominated_pods(
        &self,
        state: &CycleState,
        pod: &PodInfo,
        node: &NodeInfo,
        nominated: &NominatedPods,
    ) -> Option<(CycleState, NodeInfo)> {
        let pods = nominated.on_node(node.name())?;
        let mut to_add = pods
            .iter()
            .filter(|p| p.priority >= pod.priority && p.key != pod.key)
            .peekable();
        to_add.peek()?;
        let mut state = state.clone();
        let mut node = node.clone();
        for p in to_add {
            node.add_pod(p.clone());
            let _ = self.run_pre_filter_add_pod(&mut state, pod, p, &node);
        }
        Some((state, node))
    }

    /// Tells the PreFilter plugins that `added` is (in a simulation) on `node`.
    pub fn run_pre_filter_add_pod(
        &self,
        state: &mut CycleState,
        pod: &PodInfo,
        added: &Arc<PodInfo>,
        node: &NodeInfo,
    ) -> Status {
        for &i in &self.pre_filter {
            if state.skips_filter(i) {
                continue;
            }
            let e = &self.plugins[i];
            if let Some(p) = e.plugin.as_pre_filter() {
                let s = p.add_pod(state, pod, added, node);
                if !s.is_success() {
                    return s.with_plugin(&e.name);
                }
            }
        }
        Status::success()
    }

    /// Tells the PreFilter plugins that `removed` is (in a simulation) gone from `node`.
    pub fn run_pre_filter_remove_pod(
        &self,
        state: &mut CycleState,
        pod: &PodInfo,
        removed: &Arc<PodInfo>,
        node: &NodeInfo,
    ) -> Status {
        for &i in &self.pre_filter {
            if state.skips_filter(i) {
                continue;
            }
            let e = &self.plugins[i];
            if let Some(p) = e.plugin.as_pre_filter() {
                let s = p.remove_pod(state, pod, removed, node);
                if !s.is_success() {
                    return s.with_plugin(&e.name);
                }
            }
        }
        Status::success()
    }

    // === PostFilter ===

    /// Runs the PostFilter plugins until one succeeds.
    pub fn run_post_filter(
        &self,
        state: &CycleState,
        pod: &Arc<PodInfo>,
        input: &PostFilterInput<'_>,
    ) -> (Option<PostFilterResult>, Status) {
        let mut result = None;
        let mut reasons = Vec::new();
        let mut rejector: Option<&Arc<str>> = None;
        for &i in &self.post_filter {
            let e = &self.plugins[i];
            let Some(p) = e.plugin.as_post_filter() else {
                continue;
            };
            let (r, s) = p.post_filter(state, pod, input);
            if s.is_success() {
                return (r, s);
            }
            if s.code() == Code::UnschedulableAndUnresolvable {
                return (r, s.with_plugin(&e.name));
            }
            if !s.is_rejected() {
                return (None, s.with_plugin(&e.name));
            }
            if r.is_some() {
                result = r;
            }
            reasons.extend(s.reasons().iter().cloned());
            rejector.get_or_insert(&e.name);
        }
        let mut s = Status::with_reasons(Code::Unschedulable, reasons);
        if let Some(name) = rejector {
            s = s.with_plugin(name);
        }
        (result, s)
    }

    // === Score ===

    /// Runs the PreScore plugins.
    pub fn run_pre_score(
        &self,
        state: &mut CycleState,
        pod: &PodInfo,
        nodes: &[&NodeInfo],
        snapshot: &Snapshot,
    ) -> Status {
        let mut skipped = Vec::new();
        for &i in &self.pre_score {
            let e = &self.plugins[i];
            let Some(p) = e.plugin.as_pre_score() else {
                continue;
            };
            let s = p.pre_score(state, pod, nodes, snapshot);
            if s.is_skip() {
                skipped.push(i);
            } else if !s.is_success() {
                return s.with_plugin(&e.name);
            }
        }
        state.set_skip_score(skipped);
        Status::success()
    }

    /// Runs Score and NormalizeScore of every active score plugin over `nodes`;
    /// adds each weighted score to `totals` (one per node). With `detail`, records each
    /// plugin's raw and normalized scores.
    pub fn run_score(
        &self,
        state: &CycleState,
        pod: &PodInfo,
        nodes: &[&NodeInfo],
        totals: &mut [i64],
        detail: Option<&mut Vec<PluginScores>>,
    ) -> Result<(), Status> {
        let active: Vec<(&Arc<str>, &dyn ScorePlugin, i64)> = self
            .score
            .iter()
            .filter(|(i, _)| !state.skips_score(*i))
            .filter_map(|(i, w)| {
                let e = &self.plugins[*i];
                e.plugin.as_score().map(|p| (&e.name, p, *w))
            })
            .collect();
        let n = nodes.len();
        // Raw scores, plugin-major; filled node by node so each node's data is read
        // while it is in cache. The buffer is the thread's, reused cycle after cycle.
        let mut matrix = SCORES.with(|m| std::mem::take(&mut *m.borrow_mut()));
        matrix.clear();
        matrix.resize(n * active.len(), 0);
        let result = self.score_into(state, pod, nodes, &active, &mut matrix, totals, detail);
        SCORES.with(|m| *m.borrow_mut() = matrix);
        result
    }

    #[allow(clippy::too_many_arguments)]
    fn score_into(
        &self,
        state: &CycleState,
        pod: &PodInfo,
        nodes: &[&NodeInfo],
        active: &[(&Arc<str>, &dyn ScorePlugin, i64)],
        matrix: &mut [i64],
        totals: &mut [i64],
        mut detail: Option<&mut Vec<PluginScores>>,
    ) -> Result<(), Status> {
        let n = nodes.len();
        for (j, node) in nodes.iter().enumerate() {
            for (p, (name, plugin, _)) in active.iter().enumerate() {
                matrix[p * n + j] = plugin
                    .score(state, pod, node)
                    .map_err(|s| s.with_plugin(name))?;
            }
        }
        for (p, (name, plugin, weight)) in active.iter().enumerate() {
            let scores = &mut matrix[p * n..(p + 1) * n];
            let raw = detail.as_ref().map(|_| scores.to_vec());
            let s = plugin.normalize_score(state, pod, nodes, scores);
            if !s.is_success() {
                return Err(s.with_plugin(name));
            }
            for (total, score) in totals.iter_mut().zip(scores.iter()) {
                if !(MIN_NODE_SCORE..=MAX_NODE_SCORE).contains(score) {
                    return Err(Status::error(format!(
                        "plugin {name} returns an invalid score {score}, it should in the range of [{MIN_NODE_SCORE}, {MAX_NODE_SCORE}] after normalizing"
                    ))
                    .with_plugin(name));
                }
                *total += score * weight;
            }
            if let (Some(d), Some(raw)) = (detail.as_deref_mut(), raw) {
                d.push(PluginScores {
                    plugin: name.to_string(),
                    weight: *weight,
                    raw,
                    normalized: scores.to_vec(),
                });
            }
        }
        Ok(())
    }

    // === Reserve, Permit ===

    /// Runs Reserve; on failure unreserves every reserve plugin (in reverse order).
    pub fn run_reserve(&self, state: &mut CycleState, pod: &PodInfo, node: &str) -> Status {
        for &i in &self.reserve {
            let e = &self.plugins[i];
            if let Some(p) = e.plugin.as_reserve() {
                let s = p.reserve(state, pod, node);
                if !s.is_success() {
                    self.run_unreserve(state, pod, node);
                    return s.with_plugin(&e.name);
                }
            }
        }
        Status::success()
    }

    /// Runs Unreserve, in reverse order.
    pub fn run_unreserve(&self, state: &mut CycleState, pod: &PodInfo, node: &str) {
        for &i in self.reserve.iter().rev() {
            if let Some(p) = self.plugins[i].plugin.as_reserve() {
                p.unreserve(state, pod, node);
            }
        }
    }

    pub(crate) fn run_permit(
        &self,
        state: &mut CycleState,
        pod: &PodInfo,
        node: &str,
        now: Instant,
    ) -> PermitOutcome {
        let mut waiting = HashMap::new();
        for &i in &self.permit {
            let e = &self.plugins[i];
            let Some(p) = e.plugin.as_permit() else {
                continue;
            };
            match p.permit(state, pod, node) {
                PermitDecision::Allow => {}
                PermitDecision::Wait(timeout) => {
                    waiting.insert(e.name.to_string(), now + timeout);
                }
                PermitDecision::Deny(s) => {
                    let s = if s.is_rejected() {
                        s
                    } else {
                        Status::unschedulable(s.message())
                    };
                    return PermitOutcome::Deny(s.with_plugin(&e.name));
                }
            }
        }
        if waiting.is_empty() {
            PermitOutcome::Allow
        } else {
            PermitOutcome::Wait(waiting)
        }
    }

    // === Binding ===

    /// Runs PreBind (asynchronous).
    pub async fn run_pre_bind(&self, state: &CycleState, pod: &PodInfo, node: &str) -> Status {
        for &i in &self.pre_bind {
            let e = &self.plugins[i];
            if let Some(p) = e.plugin.as_pre_bind() {
                let s = p.pre_bind(state, pod, node).await;
                if !s.is_success() {
                    return s.with_plugin(&e.name);
                }
            }
        }
        Status::success()
    }

    /// Runs the Bind plugins until one does not Skip.
    pub async fn run_bind(&self, state: &CycleState, pod: &PodInfo, node: &str) -> Status {
        for &i in &self.bind {
            let e = &self.plugins[i];
            if let Some(p) = e.plugin.as_bind() {
                let s = p.bind(state, pod, node).await;
                if s.is_skip() {
                    continue;
                }
                return if s.is_success() {
                    s
                } else {
                    s.with_plugin(&e.name)
                };
            }
        }
        Status::skip()
    }

    /// Runs PostBind.
    pub fn run_post_bind(&self, state: &CycleState, pod: &PodInfo, node: &str) {
        for &i in &self.post_bind {
            if let Some(p) = self.plugins[i].plugin.as_post_bind() {
                p.post_bind(state, pod, node);
            }
        }
    }
}
