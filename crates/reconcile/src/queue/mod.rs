//! [`WorkQueue`]: deduplicating, exclusive, fair, with delays and rate-limited retries.

mod rate_limit;
mod state;

use std::fmt;
use std::hash::Hash;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use tokio::sync::Notify;
use tokio::time::Instant;

pub use self::rate_limit::QueueConfig;
use self::state::{Added, QueueState};

/// A queue of keys to process, with the guarantees of client-go's work queue.
///
/// - **Deduplication**: a key added any number of times before it is handed out is
///   handed out once.
/// - **Exclusivity**: a key is handed out to one worker at a time. A key added while
///   it is being processed is handed out again after [`done`](QueueItem::done) (which
///   dropping the [`QueueItem`] also does), never concurrently.
/// - **Fairness**: keys are handed out in the order they became ready (FIFO); a key
///   added many times holds one place, so a busy key cannot starve the others.
/// - **Delays**: [`add_after`](Self::add_after) makes a key ready later; a key waiting
///   twice keeps the earlier deadline.
/// - **Retries**: [`add_rate_limited`](Self::add_rate_limited) waits for the key's
///   exponential backoff and the overall rate limit ([`QueueConfig`]);
///   [`forget`](Self::forget) resets the backoff.
/// - **No lost key**: a key added before [`shut_down`](Self::shut_down) is handed out
///   (or, if delayed, becomes ready) unless the queue is shut down first.
///
/// Cheap to clone; clones share the queue. Delays use tokio's clock, so tests with
/// paused time control them.
///
/// ```
/// use reconcile::{QueueConfig, WorkQueue};
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// let queue = WorkQueue::new(QueueConfig::default());
/// queue.add("a");
/// queue.add("b");
/// queue.add("a"); // merged with the first
/// let item = queue.get().await.expect("not shut down");
/// assert_eq!(*item.key(), "a");
/// queue.add("a"); // re-added while processing: handed out again after done
/// item.done();
/// assert_eq!(*queue.get().await.unwrap().key(), "b");
/// assert_eq!(*queue.get().await.unwrap().key(), "a");
/// # }
/// ```
pub struct WorkQueue<T> {
    shared: Arc<Shared<T>>,
}

struct Shared<T> {
    state: Mutex<QueueState<T>>,
    /// Wakes waiting [`WorkQueue::get`]s: one per ready key, all of them when the
    /// earliest deadline moves earlier or the queue shuts down.
    wake: Notify,
}

impl<T> Clone for WorkQueue<T> {
    fn clone(&self) -> Self {
        WorkQueue {
            shared: self.shared.clone(),
        }
    }
}

impl<T> fmt::Debug for WorkQueue<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WorkQueue").finish_non_exhaustive()
    }
}

/// Sizes and counters of a [`WorkQueue`].
#[derive(Clone, Debug, Default, PartialEq)]
#[non_exhaustive]
pub struct QueueMetrics {
    /// Keys ready to be handed out (the queue depth).
    pub depth: usize,
    /// Keys waiting for a delay or a backoff.
    pub waiting: usize,
    /// Keys being processed.
    pub processing: usize,
    /// Calls that added a key (merged ones included).
    pub adds: u64,
    /// Adds merged with a key that was already ready.
    pub deduplicated: u64,
    /// Rate-limited adds (retries).
    pub retries: u64,
    /// Keys handed out.
    pub handed_out: u64,
    /// Total time keys spent ready before being handed out.
    pub latency_total: Duration,
    /// The longest time a key spent ready before being handed out.
    pub latency_max: Duration,
    /// Total time between handing out and done.
    pub work_total: Duration,
    /// How long the longest-running key in process has been processed.
    pub longest_running: Duration,
}

impl QueueMetrics {
    /// The mean time a key spent ready before being handed out.
    pub fn latency_mean(&self) -> Duration {
        mean(self.latency_total, self.handed_out)
    }
}

fn mean(total: Duration, count: u64) -> Duration {
    match u32::try_from(count) {
        Ok(0) => Duration::ZERO,
        Ok(n) => total / n,
        Err(_) => Duration::from_secs_f64(total.as_secs_f64() / count as f64),
    }
}

impl<T: Clone + Eq + Hash + Send + 'static> WorkQueue<T> {
    /// An empty queue.
    pub fn new(config: QueueConfig) -> Self {
        WorkQueue {
            shared: Arc::new(Shared {
                state: Mutex::new(QueueState::new(config)),
                wake: Notify::new(),
            }),
        }
    }

    fn lock(&self) -> MutexGuard<'_, QueueState<T>> {
        // The state is consistent after every method; a panic elsewhere while the
        // lock was held cannot leave it half-changed.
        self.shared
            .state
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    fn wake(&self, added: Added) {
        match added {
            Added::Ready => self.shared.wake.notify_one(),
            Added::Waiting(true) => self.shared.wake.notify_waiters(),
            Added::Waiting(false) | Added::Merged | Added::Ignored => {}
        }
    }

    /// Marks `key` to be processed.
    pub fn add(&self, key: T) {
        let added = self.lock().add(key, Instant::now());
        self.wake(added);
    }

    /// Marks every key of `keys` to be processed (one lock for all of them).
    pub fn add_all(&self, keys: impl IntoIterator<Item = T>) {
        let now = Instant::now();
        let mut ready = 0usize;
        {
            let mut state = self.lock();
            for key in keys {
                ready += usize::from(state.add(key, now) == Added::Ready);
            }
        }
        for _ in 0..ready {
            self.shared.wake.notify_one();
        }
    }

    /// Marks `key` to be processed once `delay` has passed.
    pub fn add_after(&self, key: T, delay: Duration) {
        let added = self.lock().add_after(key, delay, Instant::now());
        self.wake(added);
    }

    /// Marks `key` to be retried after its backoff (which grows with each call until
    /// [`forget`](Self::forget)) and the overall rate limit; returns the delay.
    pub fn add_rate_limited(&self, key: T) -> Duration {
        let (delay, added) = self.lock().add_rate_limited(key, Instant::now());
        self.wake(added);
        delay
    }

    /// Resets `key`'s backoff (call it when the key was processed successfully).
    pub fn forget(&self, key: &T) {
        self.lock().forget(key);
    }

    /// How many rate-limited adds `key` had since it was last forgotten.
    pub fn retries(&self, key: &T) -> u32 {
        self.lock().failures(key)
    }

    /// The next key to process; waits until one is ready. `None` once the queue is
    /// shut down. The key stays reserved for the caller until the returned item is
    /// done or dropped.
    pub async fn get(&self) -> Option<QueueItem<T>> {
        loop {
            let notified = self.shared.wake.notified();
            tokio::pin!(notified);
            // Registered before looking, so an add between the look and the wait
            // still wakes this call.
            notified.as_mut().enable();
            let deadline = {
                let now = Instant::now();
                let mut state = self.lock();
                if state.is_shut_down() {
                    return None;
                }
                state.promote_due(now);
                if let Some(key) = state.pop(now) {
                    let more = state.ready_len() > 0;
                    drop(state);
                    if more {
                        // Others may be waiting for keys promoted here.
                        self.shared.wake.notify_one();
                    }
                    return Some(QueueItem {
                        queue: self.clone(),
                        key,
                        finished: false,
                    });
                }
                state.next_deadline()
            };
            match deadline {
                Some(deadline) => {
                    tokio::select! {
                        () = &mut notified => {}
                        () = tokio::time::sleep_until(deadline) => {}
                    }
                }
                None => notified.await,
            }
        }
    }

    /// Ends the processing of `key` (what [`QueueItem::done`] does).
    fn done(&self, key: &T) {
        let requeued = self.lock().done(key, Instant::now());
        if requeued {
            self.shared.wake.notify_one();
        }
    }

    /// Ends the processing of `key` and decides what comes next, under one lock.
    pub(crate) fn finish(&self, key: &T, next: Next) {
        let now = Instant::now();
        let (requeued, added) = {
            let mut state = self.lock();
            let requeued = state.done(key, now);
            let added = match next {
                Next::Forget => {
                    state.forget(key);
                    Added::Ignored
                }
                Next::ForgetThenAfter(delay) => {
                    state.forget(key);
                    state.add_after(key.clone(), delay, now)
                }
                Next::After(delay) => state.add_after(key.clone(), delay, now),
                Next::Keep => Added::Ignored,
                Next::Backoff => state.add_rate_limited(key.clone(), now).1,
            };
            (requeued, added)
        };
        if requeued {
            self.shared.wake.notify_one();
        }
        self.wake(added);
    }

    /// Stops the queue: [`get`](Self::get) returns `None` from now on, ready and
    /// waiting keys are dropped, adds are ignored. Keys being processed can still be
    /// marked done.
    pub fn shut_down(&self) {
        self.lock().shut_down();
        self.shared.wake.notify_waiters();
    }

    /// True once [`shut_down`](Self::shut_down) was called.
    pub fn is_shut_down(&self) -> bool {
        self.lock().is_shut_down()
    }

    /// Keys ready to be handed out.
    pub fn len(&self) -> usize {
        self.lock().ready_len()
    }

    /// True if no key is ready.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Sizes and counters.
    pub fn metrics(&self) -> QueueMetrics {
        let now = Instant::now();
        let state = self.lock();
        let c = &state.counters;
        QueueMetrics {
            depth: state.ready_len(),
            waiting: state.waiting_len(),
            processing: state.processing_len(),
            adds: c.adds,
            deduplicated: c.deduplicated,
            retries: c.retries,
            handed_out: c.handed_out,
            latency_total: c.latency_total,
            latency_max: c.latency_max,
            work_total: c.work_total,
            longest_running: state.longest_running(now),
        }
    }
}

/// What follows a key's processing (see [`WorkQueue::finish`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Next {
    /// Success: reset the backoff.
    Forget,
    /// Success, and process again after the delay.
    ForgetThenAfter(Duration),
    /// Failure handled by the caller: process again after the delay.
    After(Duration),
    /// Failure: keep the backoff, do not requeue.
    Keep,
    /// Failure: retry after the backoff.
    Backoff,
}

/// A key handed out by [`WorkQueue::get`]; the key is reserved until this is done or
/// dropped.
pub struct QueueItem<T: Clone + Eq + Hash + Send + 'static> {
    queue: WorkQueue<T>,
    key: T,
    finished: bool,
}

impl<T: Clone + Eq + Hash + Send + 'static> QueueItem<T> {
    /// The key.
    pub fn key(&self) -> &T {
        &self.key
    }

    /// Ends the processing; if the key was added meanwhile it is ready again.
    pub fn done(self) {
        drop(self);
    }

    pub(crate) fn finish_with(mut self, next: Next) {
        self.finished = true;
        self.queue.finish(&self.key, next);
    }
}

impl<T: Clone + Eq + Hash + Send + 'static> Drop for QueueItem<T> {
    fn drop(&mut self) {
        if !self.finished {
            self.queue.done(&self.key);
        }
    }
}

impl<T: Clone + Eq + Hash + Send + fmt::Debug + 'static> fmt::Debug for QueueItem<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("QueueItem").field(&self.key).finish()
    }
}

#[cfg(test)]
mod tests;
