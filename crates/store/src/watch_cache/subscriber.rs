//! One watcher's stream: the replay, then its queue; bookmarks, timeout, cut-off.

use std::collections::VecDeque;
use std::sync::Arc;
use std::sync::atomic::Ordering;

use client::{ClientError, WatchEvent, WatchStream};
use core_types::DynamicObject;
use futures::StreamExt;
use tokio::sync::mpsc;
use tokio::time::{Instant, Interval};

use super::Shared;
use super::state::{Delivery, Subscription};
use crate::kv::Revision;
use crate::object::{Change, tick, until};

type Item = Result<WatchEvent<DynamicObject>, ClientError>;

struct CacheWatch {
    shared: Arc<Shared>,
    /// Initial `Added` events (a consistent read) before the subscription's own.
    initial: VecDeque<DynamicObject>,
    replay: VecDeque<Delivery>,
    rx: mpsc::Receiver<Delivery>,
    lagged: Arc<std::sync::atomic::AtomicBool>,
    /// The revision the watch started after: bookmarks never go below it.
    after: Revision,
    bookmarks: Option<Interval>,
    deadline: Option<Instant>,
    done: bool,
}

/// The stream of a subscription.
pub(super) fn stream(
    shared: Arc<Shared>,
    initial: Vec<DynamicObject>,
    subscription: Subscription,
    after: Revision,
    bookmarks: Option<Interval>,
    deadline: Option<Instant>,
) -> WatchStream {
    let state = CacheWatch {
        shared,
        initial: initial.into(),
        replay: subscription.replay,
        rx: subscription.rx,
        lagged: subscription.lagged,
        after,
        bookmarks,
        deadline,
        done: false,
    };
    futures::stream::unfold(state, |mut state| async move {
        state.next_item().await.map(|item| (item, state))
    })
    .boxed()
}

impl CacheWatch {
    async fn next_item(&mut self) -> Option<Item> {
        if self.done {
            return None;
        }
        if let Some(obj) = self.initial.pop_front() {
            return Some(Ok(WatchEvent::Added(obj)));
        }
        if let Some(delivery) = self.replay.pop_front() {
            return Some(Ok(to_event(delivery)));
        }
        loop {
            tokio::select! {
                biased;
                () = until(self.deadline) => {
                    self.done = true;
                    return None;
                }
                delivery = self.rx.recv() => {
                    if let Some(delivery) = delivery {
                        return Some(Ok(to_event(delivery)));
                    }
                    self.done = true;
                    return self.end();
                }
                () = tick(&mut self.bookmarks) => {
                    // Every change up to the published revision is in the queue by the
                    // time the revision is published; an empty queue means all of them
                    // were delivered.
                    let published = self.shared.revision();
                    if self.rx.is_empty() {
                        let revision = published.max(self.after);
                        return Some(Ok(WatchEvent::Bookmark { resource_version: revision.to_string() }));
                    }
                }
            }
        }
    }

    /// Why the queue closed: cut off for lagging, the cache failing, or neither (the
    /// cache was dropped).
    fn end(&self) -> Option<Item> {
        if self.lagged.load(Ordering::Acquire) {
            return Some(Err(ClientError::gone(
                "watcher fell behind and was cut off (or the cache restarted); re-list and \
                 watch again",
            )));
        }
        self.shared.failure().map(Err)
    }
}

/// The event a delivery stands for; a `Deleted` object is the previous state at the
/// change's revision.
fn to_event(delivery: Delivery) -> WatchEvent<DynamicObject> {
    let event = &delivery.event;
    let state = match delivery.change {
        Change::Added | Change::Modified => event.current.as_deref(),
        Change::Deleted => event.previous.as_deref(),
    };
    let mut obj = state.cloned().unwrap_or_default();
    if delivery.change == Change::Deleted {
        obj.metadata.resource_version = event.revision.to_string();
    }
    match delivery.change {
        Change::Added => WatchEvent::Added(obj),
        Change::Modified => WatchEvent::Modified(obj),
        Change::Deleted => WatchEvent::Deleted(obj),
    }
}
