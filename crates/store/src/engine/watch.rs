//! Watch fan-out: delivers each committed revision to every live watcher whose prefix
//! it touches, through a bounded buffer per watcher.
//!
//! Publishing never blocks: a watcher whose buffer is full is marked lagged and
//! dropped from the hub; its stream drains what was buffered, then reports
//! [`KvError::WatchLagged`](crate::KvError::WatchLagged). Writers and other watchers are
//! unaffected, and memory is bounded by the buffer size.

use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use bytes::Bytes;
use tokio::sync::mpsc;
use tokio::sync::mpsc::error::TrySendError;

use super::sync::lock;
use crate::kv::{Revision, WatchEvent};

/// The events of one revision that a watcher's prefix takes, shared between watchers.
pub(crate) type Batch = Arc<[WatchEvent]>;

/// The registry of live watchers of one store.
#[derive(Debug)]
pub(crate) struct WatchHub {
    state: Mutex<HubState>,
    buffer: usize,
}

#[derive(Debug)]
struct HubState {
    published: Revision,
    watchers: Vec<Watcher>,
}

#[derive(Debug)]
struct Watcher {
    prefix: Bytes,
    sender: mpsc::Sender<Batch>,
    lagged: Arc<AtomicBool>,
}

/// A new watcher's end: changes after `upto` arrive on `receiver`; changes up to
/// `upto` must be replayed from history.
#[derive(Debug)]
pub(crate) struct Subscription {
    /// The last revision published before the watcher was registered.
    pub(crate) upto: Revision,
    /// Live changes, one batch per revision.
    pub(crate) receiver: mpsc::Receiver<Batch>,
    /// Set when the hub cut the watcher off.
    pub(crate) lagged: Arc<AtomicBool>,
}

impl Subscription {
    /// Whether the hub cut this watcher off for lagging.
    pub(crate) fn is_lagged(&self) -> bool {
        self.lagged.load(Ordering::Acquire)
    }
}

impl WatchHub {
    /// A hub whose history is complete up to `published`; `buffer` revisions per watcher.
    pub(crate) fn new(published: Revision, buffer: usize) -> Self {
        WatchHub {
            state: Mutex::new(HubState {
                published,
                watchers: Vec::new(),
            }),
            buffer: buffer.clamp(1, 1_000_000),
        }
    }

    /// The last published revision.
    pub(crate) fn published(&self) -> Revision {
        lock(&self.state).published
    }

    /// Registers a watcher of `prefix`.
    pub(crate) fn subscribe(&self, prefix: Bytes) -> Subscription {
        let (sender, receiver) = mpsc::channel(self.buffer);
        let lagged = Arc::new(AtomicBool::new(false));
        let mut state = lock(&self.state);
        state.watchers.push(Watcher {
            prefix,
            sender,
            lagged: lagged.clone(),
        });
        Subscription {
            upto: state.published,
            receiver,
            lagged,
        }
    }

    /// Delivers one revision. Callers publish every revision, in order, after it is
    /// readable from history.
    ///
    /// The events are shared: a watcher whose prefix takes all of them (the common
    /// case: one kind's watchers, one kind's writes) gets the same `Arc` as every other
    /// such watcher, so the cost under the lock is one reference count and one queue
    /// push per watcher; the copy into the stream's `Vec` happens on the watcher's own
    /// task.
    pub(crate) fn publish(&self, revision: Revision, events: &Batch) {
        let mut state = lock(&self.state);
        state.published = revision;
        state.watchers.retain(|watcher| {
            let matching = events
                .iter()
                .filter(|event| event.kv.key.starts_with(&watcher.prefix))
                .count();
            if matching == 0 {
                return !watcher.sender.is_closed();
            }
            let batch = if matching == events.len() {
                events.clone()
            } else {
                events
                    .iter()
                    .filter(|event| event.kv.key.starts_with(&watcher.prefix))
                    .cloned()
                    .collect()
            };
            match watcher.sender.try_send(batch) {
                Ok(()) => true,
                Err(TrySendError::Full(_)) => {
                    watcher.lagged.store(true, Ordering::Release);
                    false
                }
                Err(TrySendError::Closed(_)) => false,
            }
        });
    }

    /// How many watchers are registered (for tests and metrics).
    #[cfg(test)]
    pub(crate) fn watchers(&self) -> usize {
        lock(&self.state).watchers.len()
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use bytes::Bytes;

    use super::WatchHub;
    use crate::kv::{EventKind, KeyValue, WatchEvent};

    fn put(key: &'static str, revision: i64) -> WatchEvent {
        WatchEvent {
            kind: EventKind::Put,
            kv: KeyValue {
                key: Bytes::from_static(key.as_bytes()),
                value: Bytes::new(),
                create_revision: revision,
                mod_revision: revision,
                version: 1,
                lease: None,
            },
            prev_kv: None,
        }
    }

    #[test]
    fn full_buffer_cuts_off_only_the_slow_watcher() {
        let hub = WatchHub::new(0, 2);
        let mut slow = hub.subscribe(Bytes::from_static(b"/a"));
        let mut fast = hub.subscribe(Bytes::from_static(b"/a"));
        let other = hub.subscribe(Bytes::from_static(b"/b"));
        for revision in 1..=3 {
            hub.publish(revision, &Arc::from([put("/a/x", revision)]));
            assert!(fast.receiver.try_recv().is_ok());
        }
        assert!(slow.is_lagged());
        assert!(!fast.is_lagged() && !other.is_lagged());
        assert_eq!(hub.watchers(), 2);
        assert!(slow.receiver.try_recv().is_ok());
        assert!(slow.receiver.try_recv().is_ok());
        assert!(slow.receiver.try_recv().is_err());
        assert_eq!(hub.published(), 3);
    }
}
