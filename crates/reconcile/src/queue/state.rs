//! The queue's bookkeeping, free of async: what is ready, what is being processed,
//! what waits for a time, and failure counts. [`WorkQueue`](super::WorkQueue) wraps it
//! in a mutex and adds waking.

use std::cmp::Ordering;
use std::collections::hash_map::Entry;
use std::collections::{BinaryHeap, HashMap, HashSet, VecDeque};
use std::hash::Hash;
use std::time::Duration;

use tokio::time::Instant;

use super::rate_limit::{QueueConfig, TokenBucket};

/// A key waiting for its time; ordered so that the heap's top is the earliest.
struct Delayed<T> {
    when: Instant,
    seq: u64,
    key: T,
}

impl<T> PartialEq for Delayed<T> {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl<T> Eq for Delayed<T> {}

impl<T> PartialOrd for Delayed<T> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl<T> Ord for Delayed<T> {
    fn cmp(&self, other: &Self) -> Ordering {
        // Reversed: BinaryHeap is a max-heap.
        (other.when, other.seq).cmp(&(self.when, self.seq))
    }
}

/// Counters kept under the queue's lock.
#[derive(Clone, Debug, Default)]
pub(crate) struct Counters {
    pub(crate) adds: u64,
    pub(crate) deduplicated: u64,
    pub(crate) retries: u64,
    pub(crate) handed_out: u64,
    pub(crate) latency_total: Duration,
    pub(crate) latency_max: Duration,
    pub(crate) work_total: Duration,
}

/// The state of a queue of keys `T`.
///
/// Invariants (checked by the model test):
/// - `dirty` holds exactly the keys that must be processed (again); every key in
///   `ready` is dirty and appears there once;
/// - a dirty key is in `ready` unless it is being processed: `done` moves it there;
/// - a key handed out is in `processing` until `done`, and is never handed out twice
///   at once.
pub(crate) struct QueueState<T> {
    config: QueueConfig,
    ready: VecDeque<(T, Instant)>,
    dirty: HashSet<T>,
    processing: HashMap<T, Instant>,
    waiting: BinaryHeap<Delayed<T>>,
    /// The current deadline of each waiting key (heap entries with another are stale).
    deadlines: HashMap<T, (Instant, u64)>,
    seq: u64,
    failures: HashMap<T, u32>,
    bucket: Option<TokenBucket>,
    shut_down: bool,
    pub(crate) counters: Counters,
}

/// What an add did, so the caller knows whom to wake.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Added {
    /// The key went into the ready queue.
    Ready,
    /// The key was already due (or is being processed): nothing to wake.
    Merged,
    /// The key waits; `true` if its deadline is now the earliest.
    Waiting(bool),
    /// The queue is shut down.
    Ignored,
}

impl<T: Clone + Eq + Hash> QueueState<T> {
    pub(crate) fn new(config: QueueConfig) -> Self {
        QueueState {
            bucket: config.bucket(),
            config,
            ready: VecDeque::new(),
            dirty: HashSet::new(),
            processing: HashMap::new(),
            waiting: BinaryHeap::new(),
            deadlines: HashMap::new(),
            seq: 0,
            failures: HashMap::new(),
            shut_down: false,
            counters: Counters::default(),
        }
    }

    /// Marks `key` to be processed.
    pub(crate) fn add(&mut self, key: T, now: Instant) -> Added {
        if self.shut_down {
            return Added::Ignored;
        }
        self.counters.adds += 1;
        if self.dirty.contains(&key) {
            self.counters.deduplicated += 1;
            return Added::Merged;
        }
        if self.processing.contains_key(&key) {
            self.dirty.insert(key);
            return Added::Merged;
        }
        self.dirty.insert(key.clone());
        self.ready.push_back((key, now));
        Added::Ready
    }

    /// Marks `key` to be processed once `delay` has passed; a key already waiting keeps
    /// the earlier of its two deadlines.
    pub(crate) fn add_after(&mut self, key: T, delay: Duration, now: Instant) -> Added {
        if self.shut_down {
            return Added::Ignored;
        }
        if delay.is_zero() {
            return self.add(key, now);
        }
        let when = now.checked_add(delay).unwrap_or_else(far_future);
        let seq = self.seq;
        match self.deadlines.entry(key.clone()) {
            Entry::Occupied(mut e) => {
                if e.get().0 <= when {
                    return Added::Waiting(false);
                }
                e.insert((when, seq));
            }
            Entry::Vacant(e) => {
                e.insert((when, seq));
            }
        }
        self.seq += 1;
        let earliest = self.next_deadline().is_none_or(|first| when < first);
        self.waiting.push(Delayed { when, seq, key });
        Added::Waiting(earliest)
    }

    /// Marks `key` to be retried after its backoff; returns the delay.
    pub(crate) fn add_rate_limited(&mut self, key: T, now: Instant) -> (Duration, Added) {
        let delay = self.retry_delay(&key, now);
        self.counters.retries += 1;
        (delay, self.add_after(key, delay, now))
    }

    fn retry_delay(&mut self, key: &T, now: Instant) -> Duration {
        let failures = match self.failures.get_mut(key) {
            Some(n) => {
                *n = n.saturating_add(1);
                *n
            }
            None => {
                self.failures.insert(key.clone(), 1);
                1
            }
        };
        let per_key = self.config.delay_for(failures);
        let overall = self
            .bucket
            .as_mut()
            .map_or(Duration::ZERO, |b| b.reserve(now));
        per_key.max(overall)
    }

    /// Clears `key`'s failure count.
    pub(crate) fn forget(&mut self, key: &T) {
        self.failures.remove(key);
    }

    /// Consecutive failures of `key` since it was last forgotten.
    pub(crate) fn failures(&self, key: &T) -> u32 {
        self.failures.get(key).copied().unwrap_or(0)
    }

    /// Moves keys whose time has come into the ready queue.
    pub(crate) fn promote_due(&mut self, now: Instant) {
        while let Some(top) = self.waiting.peek() {
            if top.when > now {
                break;
            }
            let Some(Delayed { when, seq, key }) = self.waiting.pop() else {
                break;
            };
            if self.deadlines.get(&key) == Some(&(when, seq)) {
                self.deadlines.remove(&key);
                self.add(key, now);
            }
        }
    }

    /// The earliest deadline of a waiting key.
    pub(crate) fn next_deadline(&mut self) -> Option<Instant> {
        // Drop stale heap entries so the top is a live deadline.
        while let Some(top) = self.waiting.peek() {
            if self.deadlines.get(&top.key) == Some(&(top.when, top.seq)) {
                return Some(top.when);
            }
            self.waiting.pop();
        }
        None
    }

    /// Hands out the next ready key, if any; it is then being processed.
    pub(crate) fn pop(&mut self, now: Instant) -> Option<T> {
        if self.shut_down {
            return None;
        }
        let (key, since) = self.ready.pop_front()?;
        self.dirty.remove(&key);
        let latency = now.saturating_duration_since(since);
        self.counters.handed_out += 1;
        self.counters.latency_total += latency;
        self.counters.latency_max = self.counters.latency_max.max(latency);
        self.processing.insert(key.clone(), now);
        Some(key)
    }

    /// Ends the processing of `key`; if it was added meanwhile, it is ready again.
    /// Returns true if it was put back into the ready queue.
    pub(crate) fn done(&mut self, key: &T, now: Instant) -> bool {
        let Some(started) = self.processing.remove(key) else {
            return false;
        };
        self.counters.work_total += now.saturating_duration_since(started);
        if !self.shut_down && self.dirty.contains(key) {
            self.ready.push_back((key.clone(), now));
            return true;
        }
        false
    }

    /// Stops handing out keys and drops the waiting ones; keys being processed may
    /// still be marked done.
    pub(crate) fn shut_down(&mut self) {
        self.shut_down = true;
        self.ready.clear();
        self.dirty.clear();
        self.waiting.clear();
        self.deadlines.clear();
    }

    pub(crate) fn is_shut_down(&self) -> bool {
        self.shut_down
    }

    /// Keys ready to be handed out.
    pub(crate) fn ready_len(&self) -> usize {
        self.ready.len()
    }

    /// Keys waiting for a time.
    pub(crate) fn waiting_len(&self) -> usize {
        self.deadlines.len()
    }

    /// Keys being processed.
    pub(crate) fn processing_len(&self) -> usize {
        self.processing.len()
    }

    /// How long the longest-running key has been processed.
    pub(crate) fn longest_running(&self, now: Instant) -> Duration {
        self.processing
            .values()
            .map(|since| now.saturating_duration_since(*since))
            .max()
            .unwrap_or_default()
    }

    /// True if `key` is being processed.
    #[cfg(test)]
    pub(crate) fn is_processing(&self, key: &T) -> bool {
        self.processing.contains_key(key)
    }

    /// True if `key` is marked to be processed (ready, or re-added while processing).
    #[cfg(test)]
    pub(crate) fn is_dirty(&self, key: &T) -> bool {
        self.dirty.contains(key)
    }

    /// Checks the invariants listed on the type.
    #[cfg(test)]
    pub(crate) fn check(&self) {
        let mut seen = HashSet::new();
        for (key, _) in &self.ready {
            assert!(seen.insert(key), "a key is in the ready queue twice");
            assert!(self.dirty.contains(key), "a ready key is not dirty");
            assert!(
                !self.processing.contains_key(key),
                "a ready key is processing"
            );
        }
        for key in &self.dirty {
            assert!(
                seen.contains(key) || self.processing.contains_key(key),
                "a dirty key is neither ready nor processing"
            );
        }
    }
}

/// A deadline far enough away to mean "never" (about 30 years).
fn far_future() -> Instant {
    Instant::now() + Duration::from_secs(86_400 * 365 * 30)
}
