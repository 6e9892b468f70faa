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
    /// Watchers grouped by prefix: which events a prefix takes is worked out once per
    /// revision for all its watchers.
    groups: Vec<Group>,
}

/// The watchers of one prefix.
#[derive(Debug)]
struct Group {
    prefix: Bytes,
    watchers: Vec<Watcher>,
}

#[derive(Debug)]
struct Watcher {
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
                groups: Vec::new(),
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
        let watcher = Watcher {
            sender,
            lagged: lagged.clone(),
        };
        let mut state = lock(&self.state);
        match state.groups.iter_mut().find(|g| g.prefix == prefix) {
            Some(group) => group.watchers.push(watcher),
            None => state.groups.push(Group {
                prefix,
                watchers: vec![watcher],
            }),
        }
        Subscription {
            upto: state.published,
            receiver,
            lagged,
        }
    }

    /// Delivers one revision. Callers publish every revision, in order, after it is
    /// readable from history.
    ///
    /// The events are shared: the watchers of a prefix that takes all of them (the
    /// common case: one kind's watchers, one kind's writes) get the same `Arc`, and a
    /// prefix that takes some of them gets one filtered batch for all its watchers, so
    /// the cost under the lock is one reference count and one queue push per watcher,
    /// and the watcher's stream hands out the batch as it is.
    pub(crate) fn publish(&self, revision: Revision, events: &Batch) {
        let mut state = lock(&self.state);
        state.published = revision;
        state.groups.retain_mut(|group| {
            let prefix = &group.prefix;
            let matching = events
                .iter()
                .filter(|event| event.kv.key.starts_with(prefix))
                .count();
            if matching == 0 {
                group.watchers.retain(|w| !w.sender.is_closed());
                return !group.watchers.is_empty();
            }
            let batch: Batch = if matching == events.len() {
                events.clone()
            } else {
                events
                    .iter()
                    .filter(|event| event.kv.key.starts_with(prefix))
                    .cloned()
                    .collect()
            };
            group
                .watchers
                .retain(|watcher| match watcher.sender.try_send(batch.clone()) {
                    Ok(()) => true,
                    Err(TrySendError::Full(_)) => {
                        watcher.lagged.store(true, Ordering::Release);
                        false
                    }
                    Err(TrySendError::Closed(_)) => false,
                });
            !group.watchers.is_empty()
        });
    }

    /// How many watchers are registered (for tests and metrics).
    #[cfg(test)]
    pub(crate) fn watchers(&self) -> usize {
        lock(&self.state)
            .groups
            .iter()
            .map(|g| g.watchers.len())
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use bytes::Bytes;

    use super::{Batch, WatchHub};
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

    #[test]
    fn each_prefix_gets_only_its_events_and_closed_watchers_go() {
        let hub = WatchHub::new(0, 8);
        let mut a1 = hub.subscribe(Bytes::from_static(b"/a/"));
        let mut a2 = hub.subscribe(Bytes::from_static(b"/a/"));
        let mut b = hub.subscribe(Bytes::from_static(b"/b/"));
        let c = hub.subscribe(Bytes::from_static(b"/c/"));
        hub.publish(1, &Arc::from([put("/a/x", 1), put("/b/y", 1)]));
        let keys =
            |batch: Batch| -> Vec<Bytes> { batch.iter().map(|e| e.kv.key.clone()).collect() };
        assert_eq!(
            keys(a1.receiver.try_recv().unwrap()),
            [Bytes::from_static(b"/a/x")]
        );
        assert_eq!(
            keys(a2.receiver.try_recv().unwrap()),
            [Bytes::from_static(b"/a/x")]
        );
        assert_eq!(
            keys(b.receiver.try_recv().unwrap()),
            [Bytes::from_static(b"/b/y")]
        );
        assert_eq!(hub.watchers(), 4);
        drop(c);
        drop(a2);
        hub.publish(2, &Arc::from([put("/a/z", 2)]));
        assert_eq!(
            keys(a1.receiver.try_recv().unwrap()),
            [Bytes::from_static(b"/a/z")]
        );
        assert!(b.receiver.try_recv().is_err());
        assert_eq!(hub.watchers(), 2);
    }
}
