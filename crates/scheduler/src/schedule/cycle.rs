//! The scheduling cycle shared by the standalone [`Scheduler`](super::Scheduler) and
//! the in-cluster driver: the algorithm, then PostFilter when nothing fits, then
//! Reserve and Permit when something does.

use std::sync::Arc;
use std::time::Instant;

use super::algorithm::Algorithm;
use super::diagnosis::{ScheduleError, ScheduleResult};
use crate::cache::Snapshot;
use crate::framework::{
    CycleState, Framework, PermitRound, PodInfo, PostFilterInput, PostFilterResult, Status,
};
use crate::queue::NominatedPods;

/// How the algorithm and PostFilter ended.
pub(crate) enum CycleOutcome {
    Fit {
        result: ScheduleResult,
        state: CycleState,
    },
    NoFit {
        error: ScheduleError,
        post_filter: Option<PostFilterResult>,
    },
}

pub(crate) fn run_cycle(
    algorithm: &mut Algorithm,
    fwk: &Framework,
    pod: &Arc<PodInfo>,
    snapshot: &Snapshot,
    nominated: &NominatedPods,
) -> CycleOutcome {
    let mut state = CycleState::new();
    match algorithm.schedule_pod(fwk, &mut state, pod, snapshot, nominated, None) {
        Ok(result) => CycleOutcome::Fit { result, state },
        Err(ScheduleError::Unschedulable(mut fit)) => {
            if fwk.post_filter.is_empty() {
                return CycleOutcome::NoFit {
                    error: ScheduleError::Unschedulable(fit),
                    post_filter: None,
                };
            }
            let input = PostFilterInput {
                snapshot,
                statuses: &fit.diagnosis.node_statuses,
                framework: fwk,
                nominated,
            };
            let (post, status) = fwk.run_post_filter(&state, pod, &input);
            let msg = status.message();
            if !msg.is_empty() {
                fit.diagnosis.post_filter_msg = Some(msg);
            }
            if status.code() == crate::framework::Code::Error {
                return CycleOutcome::NoFit {
                    error: ScheduleError::Internal(status),
                    post_filter: None,
                };
            }
            CycleOutcome::NoFit {
                error: ScheduleError::Unschedulable(fit),
                post_filter: post,
            }
        }
        Err(error) => CycleOutcome::NoFit {
            error,
            post_filter: None,
        },
    }
}

/// Reserve then Permit. `Ok(None)`: allowed; `Ok(Some(waits))`: held by Permit
/// plugins until their deadlines; `Err`: rejected (already unreserved).
pub(crate) fn reserve_and_permit(
    fwk: &Framework,
    state: &mut CycleState,
    pod: &PodInfo,
    node: &str,
    now: Instant,
) -> Result<Option<std::collections::HashMap<String, Instant>>, Status> {
    let s = fwk.run_reserve(state, pod, node);
    if !s.is_success() {
        return Err(s);
    }
    match fwk.run_permit(state, pod, node, now) {
        PermitRound::Allow => Ok(None),
        PermitRound::Wait(w) => Ok(Some(w)),
        PermitRound::Deny(s) => {
            fwk.run_unreserve(state, pod, node);
            Err(s)
        }
    }
}
