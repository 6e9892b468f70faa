//! The cache's state: current objects, the window of recent events, subscribers.
//!
//! Everything here runs under the cache's mutex in short sections: applying one
//! storage batch, registering a subscriber, taking a snapshot.

use std::collections::{BTreeMap, VecDeque};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use bytes::Bytes;
use client::ClientError;
use tokio::sync::mpsc;

use super::cached::CachedObject;
use crate::kv::{KeyValue, Revision};
use crate::object::{Change, ObjectFilter};

/// One change to one key, shared by every subscriber.
#[derive(Debug)]
pub(super) struct CachedEvent {
    pub(super) revision: Revision,
    pub(super) key: Bytes,
    /// The state before (`None`: created).
    pub(super) previous: Option<Arc<CachedObject>>,
    /// The state after (`None`: deleted).
    pub(super) current: Option<Arc<CachedObject>>,
}

/// What a subscriber is sent: how the change looks through its filter, and the change.
#[derive(Clone, Debug)]
pub(super) struct Delivery {
    pub(super) change: Change,
    pub(super) event: Arc<CachedEvent>,
}

/// What a subscriber watches: the keys under a prefix (all of the kind, or one
/// namespace), holding objects that pass its selectors.
#[derive(Clone, Debug)]
pub(super) struct Interest {
    prefix: Bytes,
    selectors: ObjectFilter,
}

impl Interest {
    /// The keys under `prefix` whose objects pass `selectors` (its namespace, if any,
    /// is not read: the prefix stands for it).
    pub(super) fn new(prefix: Bytes, selectors: ObjectFilter) -> Self {
        Interest { prefix, selectors }
    }

    /// Whether deciding reads the decoded objects.
    fn decodes(&self) -> bool {
        self.selectors.has_selectors()
    }

    /// True if the state of `key` is of interest. A state that does not decode is
    /// (its watcher then gets an error item: whether it matches cannot be told).
    pub(super) fn passes(&self, key: &[u8], state: &CachedObject) -> bool {
        key.starts_with(&self.prefix)
            && (!self.decodes()
                || state
                    .object()
                    .map_or(true, |obj| self.selectors.matches(obj)))
    }

    /// What a change is for a watcher with this interest; `None` if it does not see it.
    fn classify(&self, event: &CachedEvent) -> Option<Change> {
        let passes = |state: &Option<Arc<CachedObject>>| {
            state.as_deref().is_some_and(|s| self.passes(&event.key, s))
        };
        match (passes(&event.previous), passes(&event.current)) {
            (false, true) => Some(Change::Added),
            (true, true) => Some(Change::Modified),
            (true, false) => Some(Change::Deleted),
            (false, false) => None,
        }
    }
}

/// A registered watcher.
struct Subscriber {
    interest: Interest,
    /// Only changes after this revision are sent.
    after: Revision,
    tx: mpsc::Sender<Delivery>,
    /// Set when the subscriber is cut off for falling behind.
    lagged: Arc<AtomicBool>,
    /// Whether it reads decoded objects (it has selectors, or wants
    /// `DynamicObject`s).
    decodes: bool,
}

/// What a new subscriber gets: the events to replay, then its queue.
pub(super) struct Subscription {
    pub(super) replay: VecDeque<Delivery>,
    pub(super) rx: mpsc::Receiver<Delivery>,
    pub(super) lagged: Arc<AtomicBool>,
}

#[derive(Default)]
pub(super) struct CacheState {
    pub(super) objects: BTreeMap<Bytes, Arc<CachedObject>>,
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
    /// How many subscribers read decoded objects.
    pub(super) decoding: usize,
}

fn cached_objects(values: Vec<KeyValue>) -> BTreeMap<Bytes, Arc<CachedObject>> {
    values
        .into_iter()
        .map(|kv| {
            (
                kv.key,
                Arc::new(CachedObject::new(kv.value, kv.mod_revision)),
            )
        })
        .collect()
}

impl CacheState {
    /// The state of a prefix at `revision`, holding `objects`.
    pub(super) fn new(
        revision: Revision,
        objects: Vec<KeyValue>,
        window_capacity: usize,
        queue_capacity: usize,
    ) -> Self {
        CacheState {
            objects: cached_objects(objects),
            window_capacity,
            queue_capacity,
            revision,
            window_start: revision,
            ..CacheState::default()
        }
    }

    /// Starts over from a fresh read (after history the cache needed was compacted):
    /// every subscriber is cut off, as it may have missed changes.
    pub(super) fn reset(&mut self, revision: Revision, objects: Vec<KeyValue>) {
        self.objects = cached_objects(objects);
        self.window.clear();
        self.revision = revision;
        self.window_start = revision;
        for s in self.subscribers.drain(..) {
            s.lagged.store(true, Ordering::Release);
        }
        self.decoding = 0;
    }

    /// Stops serving: subscribers' streams end with `failure`.
    pub(super) fn fail(&mut self, failure: ClientError) {
        self.failure = Some(failure);
        self.subscribers.clear();
        self.decoding = 0;
    }

    /// Applies one change; `current: None` deletes the key. Fans the change out.
    pub(super) fn apply(
        &mut self,
        revision: Revision,
        key: Bytes,
        current: Option<Arc<CachedObject>>,
    ) {
        let previous = match &current {
            Some(obj) => self.objects.insert(key.clone(), obj.clone()),
            None => self.objects.remove(&key),
        };
        if previous.is_none() && current.is_none() {
            return;
        }
        let event = Arc::new(CachedEvent {
            revision,
            key,
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
        let mut decoding = 0;
        self.subscribers.retain(|s| {
            let keep = if revision <= s.after {
                !s.tx.is_closed()
            } else if let Some(change) = s.interest.classify(&event) {
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
            } else {
                !s.tx.is_closed()
            };
            decoding += usize::from(keep && s.decodes);
            keep
        });
        self.cut_off += cut_off;
        self.decoding = decoding;
    }

    /// Registers a subscriber for the changes after `after`, replaying those the window
    /// holds; `Gone` if the window no longer reaches back that far.
    pub(super) fn subscribe(
        &mut self,
        interest: Interest,
        after: Revision,
        decoded: bool,
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
                interest.classify(e).map(|change| Delivery {
                    change,
                    event: e.clone(),
                })
            })
            .collect();
        Ok(self.register(interest, after, replay, decoded))
    }

    /// Registers a subscriber that first gets the current state (as `Added` events at
    /// the cache's revision), then every later change.
    pub(super) fn subscribe_with_snapshot(
        &mut self,
        interest: Interest,
        decoded: bool,
    ) -> Result<Subscription, ClientError> {
        if let Some(failure) = &self.failure {
            return Err(failure.clone());
        }
        let revision = self.revision;
        let replay = self
            .objects
            .range(interest.prefix.clone()..)
            .take_while(|(k, _)| k.starts_with(&interest.prefix))
            .filter(|(k, o)| interest.passes(k, o))
            .map(|(k, o)| Delivery {
                change: Change::Added,
                event: Arc::new(CachedEvent {
                    revision,
                    key: k.clone(),
                    previous: None,
                    current: Some(o.clone()),
                }),
            })
            .collect();
        Ok(self.register(interest, revision, replay, decoded))
    }

    fn register(
        &mut self,
        interest: Interest,
        after: Revision,
        replay: VecDeque<Delivery>,
        decoded: bool,
    ) -> Subscription {
        self.subscribers.retain(|s| !s.tx.is_closed());
        let (tx, rx) = mpsc::channel(self.queue_capacity);
        let lagged = Arc::new(AtomicBool::new(false));
        let decodes = decoded || interest.decodes();
        self.subscribers.push(Subscriber {
            interest,
            after,
            tx,
            lagged: lagged.clone(),
            decodes,
        });
        self.decoding = self.subscribers.iter().filter(|s| s.decodes).count();
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
