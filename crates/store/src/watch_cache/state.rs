//! The cache's state: current objects, the window of recent events, subscribers.
//!
//! Everything here runs under the cache's mutex in short sections: applying one
//! storage batch, registering a subscriber, taking a snapshot.

use std::collections::{BTreeMap, VecDeque};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use bytes::Bytes;
use client::ClientError;
use core_types::DynamicObject;
use tokio::sync::mpsc;

use crate::kv::Revision;
use crate::object::{Change, ObjectFilter};

/// One change to one key, decoded once and shared by every subscriber.
#[derive(Debug)]
pub(super) struct CachedEvent {
    pub(super) revision: Revision,
    /// The state before (`None`: created).
    pub(super) previous: Option<Arc<DynamicObject>>,
    /// The state after (`None`: deleted).
    pub(super) current: Option<Arc<DynamicObject>>,
}

/// What a subscriber is sent: how the change looks through its filter, and the change.
#[derive(Clone, Debug)]
pub(super) struct Delivery {
    pub(super) change: Change,
    pub(super) event: Arc<CachedEvent>,
}

/// A registered watcher.
struct Subscriber {
    filter: ObjectFilter,
    /// Only changes after this revision are sent.
    after: Revision,
    tx: mpsc::Sender<Delivery>,
    /// Set when the subscriber is cut off for falling behind.
    lagged: Arc<AtomicBool>,
}

/// What a new subscriber gets: the events to replay, then its queue.
pub(super) struct Subscription {
    pub(super) replay: VecDeque<Delivery>,
    pub(super) rx: mpsc::Receiver<Delivery>,
    pub(super) lagged: Arc<AtomicBool>,
}

#[derive(Default)]
pub(super) struct CacheState {
    pub(super) objects: BTreeMap<Bytes, Arc<DynamicObject>>,
    window: VecDeque<Arc<CachedEvent>>,
    window_capacity: usize,
    queue_capacity: usize,
    /// The latest revision applied.
    pub(super) revision: Revision,
    /// Every event with a revision above this one is in the window.
    pub(super) window_start: Revision,
    subscribers: Vec<Subscriber>,
    /// Why the cache stopped serving, once it has.
    pub(super) failure: Option<ClientError>,
    /// Subscribers cut off for being slow, since the start.
    pub(super) cut_off: u64,
}

impl CacheState {
    /// The state of a prefix at `revision`, holding `objects`.
    pub(super) fn new(
        revision: Revision,
        objects: Vec<(Bytes, DynamicObject)>,
        window_capacity: usize,
        queue_capacity: usize,
    ) -> Self {
        CacheState {
            objects: objects.into_iter().map(|(k, o)| (k, Arc::new(o))).collect(),
            window_capacity,
            queue_capacity,
            revision,
            window_start: revision,
            ..CacheState::default()
        }
    }

    /// Starts over from a fresh read (after history the cache needed was compacted):
    /// every subscriber is cut off, as it may have missed changes.
    pub(super) fn reset(&mut self, revision: Revision, objects: Vec<(Bytes, DynamicObject)>) {
        self.objects = objects.into_iter().map(|(k, o)| (k, Arc::new(o))).collect();
        self.window.clear();
        self.revision = revision;
        self.window_start = revision;
        for s in self.subscribers.drain(..) {
            s.lagged.store(true, Ordering::Release);
        }
    }

    /// Stops serving: subscribers' streams end with `failure`.
    pub(super) fn fail(&mut self, failure: ClientError) {
        self.failure = Some(failure);
        self.subscribers.clear();
    }

    /// Applies one change; `current: None` deletes the key. Fans the change out.
    pub(super) fn apply(&mut self, revision: Revision, key: Bytes, current: Option<DynamicObject>) {
        let current = current.map(Arc::new);
        let previous = match &current {
            Some(obj) => self.objects.insert(key, obj.clone()),
            None => self.objects.remove(&key),
        };
        if previous.is_none() && current.is_none() {
            return;
        }
        let event = Arc::new(CachedEvent {
            revision,
            previous,
            current,
        });
        self.window.push_back(event.clone());
        while self.window.len() > self.window_capacity {
            if let Some(evicted) = self.window.pop_front() {
                self.window_start = evicted.revision;
            }
        }
        let mut cut_off = 0;
        self.subscribers.retain(|s| {
            if revision <= s.after {
                return !s.tx.is_closed();
            }
            let Some(change) = classify(&s.filter, &event) else {
                return !s.tx.is_closed();
            };
            match s.tx.try_send(Delivery {
                change,
                event: event.clone(),
            }) {
                Ok(()) => true,
                Err(mpsc::error::TrySendError::Full(_)) => {
                    s.lagged.store(true, Ordering::Release);
                    cut_off += 1;
                    false
                }
                Err(mpsc::error::TrySendError::Closed(_)) => false,
            }
        });
        self.cut_off += cut_off;
    }

    /// Registers a subscriber for the changes after `after`, replaying those the window
    /// holds; `Gone` if the window no longer reaches back that far.
    pub(super) fn subscribe(
        &mut self,
        filter: ObjectFilter,
        after: Revision,
    ) -> Result<Subscription, ClientError> {
        if let Some(failure) = &self.failure {
            return Err(failure.clone());
        }
        if after < self.window_start {
            return Err(ClientError::gone(format!(
                "too old resource version: {after} ({})",
                self.window_start
            )));
        }
        let replay = self
            .window
            .iter()
            .filter(|e| e.revision > after)
            .filter_map(|e| {
                classify(&filter, e).map(|change| Delivery {
                    change,
                    event: e.clone(),
                })
            })
            .collect();
        Ok(self.register(filter, after, replay))
    }

    /// Registers a subscriber that first gets the current state (as `Added` events at
    /// the cache's revision), then every later change.
    pub(super) fn subscribe_with_snapshot(
        &mut self,
        filter: ObjectFilter,
    ) -> Result<Subscription, ClientError> {
        if let Some(failure) = &self.failure {
            return Err(failure.clone());
        }
        let revision = self.revision;
        let replay = self
            .objects
            .values()
            .filter(|o| filter.matches(o))
            .map(|o| Delivery {
                change: Change::Added,
                event: Arc::new(CachedEvent {
                    revision,
                    previous: None,
                    current: Some(o.clone()),
                }),
            })
            .collect();
        Ok(self.register(filter, revision, replay))
    }

    fn register(
        &mut self,
        filter: ObjectFilter,
        after: Revision,
        replay: VecDeque<Delivery>,
    ) -> Subscription {
        self.subscribers.retain(|s| !s.tx.is_closed());
        let (tx, rx) = mpsc::channel(self.queue_capacity);
        let lagged = Arc::new(AtomicBool::new(false));
        self.subscribers.push(Subscriber {
            filter,
            after,
            tx,
            lagged: lagged.clone(),
        });
        Subscription { replay, rx, lagged }
    }

    /// How many subscribers are registered.
    pub(super) fn subscriber_count(&self) -> usize {
        self.subscribers.len()
    }

    /// How many events the window holds.
    pub(super) fn window_len(&self) -> usize {
        self.window.len()
    }
}

fn classify(filter: &ObjectFilter, event: &CachedEvent) -> Option<Change> {
    filter.classify(event.previous.as_deref(), event.current.as_deref())
}
