//! The scheduling loop's view of the queue: the next pod is popped, and the snapshot
//! refreshed for it, in the same critical section that assumes the current pod, so a
//! cycle takes the state lock once (the watch handlers contend for it).

use std::time::{Duration, Instant};

use super::{Shared, State};
use crate::cache::Snapshot;
use crate::queue::{NominatedPods, QueuedPodInfo};

/// How often pods that waited too long in the unschedulable set are moved back.
const FLUSH_EVERY: Duration = Duration::from_secs(30);

/// A pod popped for the next cycle, with the nominations its cycle sees.
pub(super) type Popped = (QueuedPodInfo, NominatedPods);

/// The next pod, popped ahead.
pub(super) struct Ahead {
    next: Option<Popped>,
    /// The cache changed after `next` was popped (a binding taken back): the snapshot
    /// must be refreshed before its cycle.
    stale: bool,
    last_flush: Instant,
}

impl Ahead {
    pub(super) fn new(t: Instant) -> Self {
        Ahead {
            next: None,
            stale: false,
            last_flush: t,
        }
    }

    /// Under the lock: the periodic flush, then the next pod (unless the scheduler is
    /// paused) and the snapshot refreshed for its cycle.
    pub(super) fn fill(
        &mut self,
        shared: &Shared,
        st: &mut State,
        snapshot: &mut Snapshot,
        t: Instant,
    ) {
        if t.saturating_duration_since(self.last_flush) >= FLUSH_EVERY {
            st.queue.flush(t);
            self.last_flush = t;
        }
        if shared.is_paused() {
            return;
        }
        self.next = st.queue.pop(t).map(|q| {
            st.cache.update_snapshot(snapshot);
            (q, st.queue.nominated_pods())
        });
        self.stale = false;
    }

    /// The pod popped ahead, if any; refreshes the snapshot first if the cache
    /// changed since (takes the lock: not to be called with it held).
    pub(super) fn take(&mut self, shared: &Shared, snapshot: &mut Snapshot) -> Option<Popped> {
        let next = self.next.take()?;
        if std::mem::take(&mut self.stale) {
            shared.lock().cache.update_snapshot(snapshot);
        }
        Some(next)
    }

    /// The pod [`fill`](Self::fill) just popped (the lock still held: its snapshot
    /// is current).
    pub(super) fn take_filled(&mut self) -> Option<Popped> {
        self.next.take()
    }

    /// Gives the pod popped ahead back to the queue (the loop pauses or stops: its
    /// snapshot would be stale by the time it runs).
    pub(super) fn give_back(&mut self, shared: &Shared) {
        if let Some((q, _)) = self.next.take() {
            shared.lock().queue.unpop(q);
        }
        self.stale = false;
    }

    /// The cache changed under the pod popped ahead.
    pub(super) fn mark_stale(&mut self) {
        self.stale = self.next.is_some();
    }
}
