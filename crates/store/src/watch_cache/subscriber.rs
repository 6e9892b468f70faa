//! One watcher's stream: the replay, then its queue; bookmarks, timeout, cut-off.

use std::collections::VecDeque;
use std::future::Future as _;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::task::{Context, Poll};

use client::{ClientError, WatchEvent, WatchStream};
use core_types::DynamicObject;
use futures::Stream;
use tokio::sync::mpsc;
use tokio::time::{Instant, Interval, Sleep};

use super::Shared;
use super::state::{Delivery, Subscription};
use crate::kv::Revision;
use crate::object::Change;

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
    deadline: Option<Pin<Box<Sleep>>>,
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
    Box::pin(CacheWatch {
        shared,
        initial: initial.into(),
        replay: subscription.replay,
        rx: subscription.rx,
        lagged: subscription.lagged,
        after,
        bookmarks,
        deadline: deadline.map(|d| Box::pin(tokio::time::sleep_until(d))),
        done: false,
    })
}

impl Stream for CacheWatch {
    type Item = Item;

    /// The deadline first, then the queue, then bookmarks: a polled stream rather than
    /// a future per item, as thousands of these wake for every change.
    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Item>> {
        let this = self.get_mut();
        if this.done {
            return Poll::Ready(None);
        }
        if let Some(obj) = this.initial.pop_front() {
            return Poll::Ready(Some(Ok(WatchEvent::Added(obj))));
        }
        if let Some(delivery) = this.replay.pop_front() {
            return Poll::Ready(Some(Ok(to_event(delivery))));
        }
        if let Some(deadline) = this.deadline.as_mut()
            && deadline.as_mut().poll(cx).is_ready()
        {
            this.done = true;
            return Poll::Ready(None);
        }
        loop {
            match this.rx.poll_recv(cx) {
                Poll::Ready(Some(delivery)) => return Poll::Ready(Some(Ok(to_event(delivery)))),
                Poll::Ready(None) => {
                    this.done = true;
                    return Poll::Ready(this.end());
                }
                Poll::Pending => {}
            }
            let Some(bookmarks) = this.bookmarks.as_mut() else {
                return Poll::Pending;
            };
            if bookmarks.poll_tick(cx).is_pending() {
                return Poll::Pending;
            }
            // Every change up to the published revision is in the queue by the time
            // the revision is published; an empty queue means all of them were
            // delivered. Otherwise the queue is ready: take from it.
            let published = this.shared.revision();
            if this.rx.is_empty() {
                let revision = published.max(this.after);
                return Poll::Ready(Some(Ok(WatchEvent::Bookmark {
                    resource_version: revision.to_string(),
                })));
            }
        }
    }
}

impl CacheWatch {
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
