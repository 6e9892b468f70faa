//! The flush stage of the writer: makes applied groups durable, in order, then
//! publishes and answers them.
//!
//! The writer applies group k+1 while this stage flushes group k. Groups that queued
//! up meanwhile share one flush: sled's flush writes everything applied so far. While
//! the writer is still applying a group or has requests waiting, the flush waits for
//! them too (up to [`MAX_SHARED`] groups): a flush costs far more than applying a
//! write, and with many writers this wait makes flushes several times larger. Once
//! the flush and the log's `fdatasync` are done, each group in turn is committed (the
//! revisions and the state it wrote become what readers see), published to watchers
//! and answered. After a storage failure, that group and every later one are answered
//! with the error, and the store refuses further writes.

use std::sync::Weak;
use std::sync::atomic::Ordering;

use tokio::sync::mpsc;

use super::state::{Core, storage};
use super::writer::Request;
use crate::engine::{Batch, write};
use crate::kv::{KvError, Revision};

/// An answer to one request, given the failure of its group, if any.
pub(super) type Reply = Box<dyn FnOnce(Option<&KvError>) + Send>;

/// Committed revisions and their events, in order, for the watchers.
pub(super) type Published = Vec<(Revision, Batch)>;

/// The writer's counters as of a group.
#[derive(Debug, Clone, Copy)]
pub(super) struct Tail {
    /// The group's last revision.
    pub(super) revision: Revision,
    /// The compacted revision after the group.
    pub(super) compacted: Revision,
    /// The last lease id handed out.
    pub(super) last_lease: i64,
}

impl Tail {
    /// The committed counters (where the writer starts).
    pub(super) fn committed(core: &Core) -> Self {
        Tail {
            revision: core.revision.load(Ordering::Acquire),
            compacted: core.compacted.load(Ordering::Acquire),
            last_lease: core.last_lease.load(Ordering::Acquire),
        }
    }
}

/// A group applied to the database, waiting to be made durable.
pub(super) struct Applied {
    /// The answers to its requests, in order.
    pub(super) replies: Vec<Reply>,
    /// What to publish once durable, or the storage failure applying it.
    pub(super) outcome: Result<Published, KvError>,
    /// Whether it wrote something (and was recorded for readers).
    pub(super) written: bool,
    /// The counters as it leaves them.
    pub(super) tail: Tail,
}

/// Most groups one flush waits for.
const MAX_SHARED: usize = 8;

/// Whether the writer is applying a group or has requests waiting.
fn writer_busy(core: &Weak<Core>, queue: &mpsc::WeakSender<Request>) -> bool {
    let applying = core
        .upgrade()
        .is_some_and(|core| core.applying.load(Ordering::Acquire));
    let waiting = queue
        .upgrade()
        .is_some_and(|queue| queue.capacity() < queue.max_capacity());
    applying || waiting
}

/// A group's answers, the failure to answer with (if any) and what to publish.
type Finished = (Vec<Reply>, Option<KvError>, Published);

/// Runs the flush stage until the writer stops.
pub(super) async fn run(
    mut applied: mpsc::Receiver<Applied>,
    queue: mpsc::WeakSender<Request>,
    core: Weak<Core>,
) {
    while let Some(first) = applied.recv().await {
        let mut groups = vec![first];
        loop {
            while let Ok(next) = applied.try_recv() {
                groups.push(next);
            }
            // Requests already in the writer's hands share this flush: a flush has a
            // fixed cost (a write, two syncs, thread hand-offs) that the writes it
            // covers share, and waiting for a group being applied costs them little.
            if groups.len() >= MAX_SHARED || !writer_busy(&core, &queue) {
                break;
            }
            match applied.recv().await {
                Some(next) => groups.push(next),
                None => break,
            }
        }
        let Some(core) = core.upgrade() else { return };
        let work = move || {
            let finished = finish(&core, groups);
            (core, finished)
        };
        let Ok((core, finished)) = tokio::task::spawn_blocking(work).await else {
            return;
        };
        // Publication runs here, on a runtime worker, rather than on the blocking
        // thread: the watchers it wakes go to this worker's queue, which the other
        // workers steal from, instead of one by one through the runtime's shared
        // queue. Answers come after it, so a writer that watches from the revision it
        // was given finds it published.
        for (_, _, published) in &finished {
            for (revision, events) in published {
                core.hub.publish(*revision, events);
            }
        }
        // Answer only after letting go of the store: a caller that drops its last
        // handle after the answer closes the database at once.
        drop(core);
        for (replies, error, _) in finished {
            for reply in replies {
                reply(error.as_ref());
            }
        }
    }
}

/// Makes `groups` durable with one flush and commits them in order; a group after a
/// failure fails too.
fn finish(core: &Core, groups: Vec<Applied>) -> Vec<Finished> {
    let mut failure = core
        .failed
        .load(Ordering::Acquire)
        .then(|| KvError::unavailable("the store stopped writing after a storage failure"));
    let flush = groups
        .iter()
        .any(|group| group.written && group.outcome.is_ok());
    let flushed = match (&failure, flush) {
        (None, true) => make_durable(core),
        _ => Ok(()),
    };
    let mut finished = Vec::with_capacity(groups.len());
    for group in groups {
        let error = match (&failure, &group.outcome) {
            (Some(error), _) | (None, Err(error)) => Some(error.clone()),
            (None, Ok(_)) if group.written => flushed.as_ref().err().cloned(),
            (None, Ok(_)) => None,
        };
        if let Some(error) = &error {
            // Later groups were planned on top of this one: they fail too, and so does
            // every later write. (The failed groups stay recorded for readers, who
            // keep the committed state.)
            core.failed.store(true, Ordering::Release);
            failure = Some(error.clone());
            finished.push((group.replies, Some(error.clone()), Vec::new()));
            continue;
        }
        if group.written {
            commit(core, group.tail);
        }
        let published = group.outcome.unwrap_or_default();
        finished.push((group.replies, None, published));
    }
    finished
}

/// Flushes everything applied so far and syncs sled's log.
fn make_durable(core: &Core) -> Result<(), KvError> {
    core.db.flush().map_err(storage)?;
    if let Some(log) = &core.log_file {
        log.sync_data().map_err(KvError::storage)?;
    }
    core.flushes.fetch_add(1, Ordering::Relaxed);
    Ok(())
}

/// Makes a durable group's writes what readers see.
fn commit(core: &Core, tail: Tail) {
    let mut gate = write(&core.gate);
    core.revision.store(tail.revision, Ordering::Release);
    core.compacted.store(tail.compacted, Ordering::Release);
    core.last_lease.store(tail.last_lease, Ordering::Release);
    gate.pop();
}
