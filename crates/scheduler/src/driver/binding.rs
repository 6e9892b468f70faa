//! One scheduling cycle in the cluster, the asynchronous binding cycle, and what
//! happens on failure (requeue, status condition, preemption side effects).

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Instant;

use client::{Api, DeleteParams, Patch, PatchParams};
use core_types::Time;
use core_types::core_v1::Pod;
use serde_json::json;

use super::ahead::Ahead;
use super::background::Background;
use super::{Shared, now};
use crate::cache::Snapshot;
use crate::framework::{CycleState, Framework, PodInfo, PostFilterResult, Status, WaitingPod};
use crate::queue::{NominatedPods, QueuedPodInfo};
use crate::schedule::cycle::{CycleOutcome, reserve_and_permit, run_cycle};
use crate::schedule::{Algorithm, ScheduleError};

pub(super) fn schedule_one(
    shared: &Arc<Shared>,
    background: &Background,
    algorithm: &mut Algorithm,
    snapshot: &mut Snapshot,
    ahead: &mut Ahead,
    nominated: &NominatedPods,
    mut q: QueuedPodInfo,
) {
    let pod = q.pod_info.clone();
    shared.count(|c| &c.attempts);
    let Some(fwk) = shared.profiles.get(&pod.pod.spec.scheduler_name).cloned() else {
        shared.lock().queue.done(&pod.key);
        return;
    };
    if pod.is_terminating() {
        shared.lock().queue.done(&pod.key);
        return;
    }
    match run_cycle(algorithm, &fwk, &pod, snapshot, nominated) {
        CycleOutcome::Fit { result, mut state } => {
            let node = result.node;
            let t = now();
            {
                let mut st = shared.lock();
                if let Err(e) = st.cache.assume_pod(pod.clone(), &node) {
                    drop(st);
                    fail(
                        shared,
                        background,
                        &fwk,
                        q,
                        ScheduleError::Internal(Status::error(e.to_string())),
                        None,
                    );
                    return;
                }
                st.queue.clear_nomination(&pod.key);
                ahead.fill(shared, &mut st, snapshot, t);
            }
            match reserve_and_permit(&fwk, &mut state, &pod, &node, t) {
                Err(status) => {
                    let _ = shared.lock().cache.forget_pod(&pod.key);
                    ahead.mark_stale();
                    if let Some(p) = status.plugin() {
                        q.unschedulable_plugins.insert(p.to_owned());
                    }
                    fail(
                        shared,
                        background,
                        &fwk,
                        q,
                        ScheduleError::Internal(status),
                        None,
                    );
                }
                Ok(waits) => {
                    let shared = shared.clone();
                    let bg = background.clone();
                    background.run(async move {
                        bind(&shared, &bg, &fwk, state, q, node, waits).await;
                    });
                }
            }
        }
        CycleOutcome::NoFit { error, post_filter } => {
            shared.count(|c| &c.unschedulable);
            if let ScheduleError::Unschedulable(fit) = &error {
                q.unschedulable_plugins = fit.diagnosis.unschedulable_plugins.clone();
            }
            fail(shared, background, &fwk, q, error, post_filter);
        }
    }
}

/// The binding cycle: wait at Permit if asked, PreBind, Bind, PostBind.
async fn bind(
    shared: &Arc<Shared>,
    background: &Background,
    fwk: &Arc<Framework>,
    mut state: CycleState,
    q: QueuedPodInfo,
    node: String,
    waits: Option<HashMap<String, Instant>>,
) {
    let pod = q.pod_info.clone();
    if let Some(waits) = waits {
        if let Err(status) = wait_on_permit(shared, &pod, &node, waits).await {
            binding_failed(shared, background, fwk, &mut state, q, &node, status);
            return;
        }
    }
    let s = fwk.run_pre_bind(&state, &pod, &node).await;
    if !s.is_success() {
        binding_failed(shared, background, fwk, &mut state, q, &node, s);
        return;
    }
    let s = fwk.run_bind(&state, &pod, &node).await;
    if !s.is_success() {
        let s = if s.is_skip() {
            Status::error("no bind plugin bound the pod")
        } else {
            s
        };
        binding_failed(shared, background, fwk, &mut state, q, &node, s);
        return;
    }
    shared.count(|c| &c.bound);
    fwk.run_post_bind(&state, &pod, &node);
    shared.done(&pod.key);
}

async fn wait_on_permit(
    shared: &Arc<Shared>,
    pod: &Arc<PodInfo>,
    node: &str,
    waits: HashMap<String, Instant>,
) -> Result<(), Status> {
    let (waiting, mut rx) = WaitingPod::new(pod.clone(), node.to_owned(), waits);
    let registry = shared.handle.waiting_pods().clone();
    registry.insert(waiting.clone());
    let outcome = loop {
        let Some((deadline, plugin)) = waiting.next_deadline() else {
            break (&mut rx).await.unwrap_or(Ok(()));
        };
        let sleep = tokio::time::sleep_until(tokio::time::Instant::from_std(deadline));
        tokio::select! {
            r = &mut rx => break r.unwrap_or_else(|_| Err(Status::error("waiting pod dropped"))),
            _ = sleep => {
                if waiting.pending_plugins().contains(&plugin) {
                    waiting.reject(&plugin, &format!("rejected due to timeout after waiting at plugin {plugin}"));
                }
            }
        }
    };
    registry.remove(&pod.key);
    outcome
}

fn binding_failed(
    shared: &Arc<Shared>,
    background: &Background,
    fwk: &Arc<Framework>,
    state: &mut CycleState,
    q: QueuedPodInfo,
    node: &str,
    status: Status,
) {
    shared.count(|c| &c.bind_failures);
    tracing::debug!(pod = %q.pod_info.key, node, %status, "binding failed");
    fwk.run_unreserve(state, &q.pod_info, node);
    let _ = shared.lock().cache.forget_pod(&q.pod_info.key);
    let mut q = q;
    if let Some(p) = status.plugin() {
        q.unschedulable_plugins.insert(p.to_owned());
    }
    fail(
        shared,
        background,
        fwk,
        q,
        ScheduleError::Internal(status),
        None,
    );
    shared
        .lock()
        .queue
        .on_event(crate::framework::ClusterEvent::ASSIGNED_POD_DELETE, now());
}

/// Requeues a pod that did not get a node; applies preemption results; records the
/// `PodScheduled=False` condition.
fn fail(
    shared: &Arc<Shared>,
    background: &Background,
    _fwk: &Arc<Framework>,
    q: QueuedPodInfo,
    error: ScheduleError,
    post_filter: Option<PostFilterResult>,
) {
    let pod = q.pod_info.clone();
    let mut nominated_node = None;
    {
        let mut st = shared.lock();
        st.queue.requeue(q, now());
        if let Some(post) = &post_filter {
            for p in &post.cleared_nominations {
                st.queue.clear_nomination(&p.key);
            }
            if let Some(n) = &post.nominated_node {
                st.queue.nominate(pod.clone(), n);
                nominated_node = Some(n.clone());
            }
        }
    }
    if post_filter.as_ref().is_some_and(|p| !p.victims.is_empty()) {
        shared.count(|c| &c.preemptions);
    }
    let message = error.to_string();
    let shared = shared.clone();
    background.run(async move {
        if let Some(post) = post_filter {
            for v in &post.victims {
                let api = Api::<Pod>::namespaced(shared.client.clone(), v.namespace());
                if let Err(e) = api.delete(v.name(), &DeleteParams::default()).await {
                    if !e.is_not_found() {
                        tracing::warn!(victim = %v.key, error = %e, "evicting preemption victim failed");
                    }
                }
            }
            for p in &post.cleared_nominations {
                let _ = patch_status(&shared, p, None, Some("")).await;
            }
        }
        let reason = match &error {
            ScheduleError::Internal(_) => "SchedulerError",
            _ => "Unschedulable",
        };
        let _ = patch_status(
            &shared,
            &pod,
            Some((reason, &message)),
            nominated_node.as_deref(),
        )
        .await;
    });
}

/// Sets `PodScheduled=False` (when `condition` is given and differs from the current
/// one) and/or `status.nominatedNodeName`.
async fn patch_status(
    shared: &Arc<Shared>,
    pod: &PodInfo,
    condition: Option<(&str, &str)>,
    nominated: Option<&str>,
) -> Result<(), client::ClientError> {
    let mut status = serde_json::Map::new();
    if let Some((reason, message)) = condition {
        let current = pod.pod.status.condition("PodScheduled");
        let unchanged = current
            .is_some_and(|c| c.status == "False" && c.reason == reason && c.message == message);
        if !unchanged {
            let mut conditions: Vec<serde_json::Value> = pod
                .pod
                .status
                .conditions
                .iter()
                .filter(|c| c.type_ != "PodScheduled")
                .filter_map(|c| serde_json::to_value(c).ok())
                .collect();
            conditions.push(json!({
                "type": "PodScheduled",
                "status": "False",
                "reason": reason,
                "message": message,
                "lastTransitionTime": Time::now().to_string(),
            }));
            status.insert("conditions".into(), serde_json::Value::Array(conditions));
        }
    }
    if let Some(n) = nominated {
        if pod.pod.status.nominated_node_name != n {
            status.insert("nominatedNodeName".into(), json!(n));
        }
    }
    if status.is_empty() {
        return Ok(());
    }
    let api = Api::<Pod>::namespaced(shared.client.clone(), pod.namespace());
    match api
        .patch_status(
            pod.name(),
            &PatchParams::default(),
            &Patch::Merge(json!({ "status": status })),
        )
        .await
    {
        Ok(_) => Ok(()),
        Err(e) if e.is_not_found() => Ok(()),
        Err(e) => Err(e),
    }
}
