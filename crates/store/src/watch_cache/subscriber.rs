//! One watcher's stream: the replay, then its queue; bookmarks, timeout, cut-off.

use std::collections::VecDeque;
use std::future::Future as _;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::task::{Context, Poll};

use client::{ClientError, RawObject, WatchEvent, WatchStream};
use core_types::DynamicObject;
use futures::Stream;
use tokio::sync::mpsc;
use tokio::time::{Instant, Interval, Sleep};

use super::Shared;
use super::cached::CachedObject;
use super::state::{Delivery, Subscription};
use crate::kv::Revision;
use crate::object::Change;

/// What a watcher's events carry: decoded objects, or their encoding.
pub(super) trait Output: Sized + Send + 'static {
    /// Whether producing one reads the decoded object.
    const DECODED: bool;

    /// `state` with resourceVersion `revision`.
    fn of(state: &CachedObject, revision: Revision) -> Result<Self, ClientError>;
}

impl Output for DynamicObject {
    const DECODED: bool = true;

    fn of(state: &CachedObject, revision: Revision) -> Result<Self, ClientError> {
        let mut obj = state.object().cloned().map_err(Clone::clone)?;
        if revision != state.revision() {
            obj.metadata.resource_version = revision.to_string();
        }
        Ok(obj)
    }
}

impl Output for RawObject {
    const DECODED: bool = false;

    fn of(state: &CachedObject, revision: Revision) -> Result<Self, ClientError> {
        Ok(state.raw_at(revision))
    }
}

type Item<T> = Result<WatchEvent<T>, ClientError>;

struct CacheWatch<T> {
    shared: Arc<Shared>,
    /// Initial `Added` events (a consistent read) before the subscription's own.
    initial: VecDeque<Arc<CachedObject>>,
    replay: VecDeque<Delivery>,
    rx: mpsc::Receiver<Delivery>,
    lagged: Arc<std::sync::atomic::AtomicBool>,
    /// The revision the watch started after: bookmarks never go below it.
    after: Revision,
    bookmarks: Option<Interval>,
    deadline: Option<Pin<Box<Sleep>>>,
    done: bool,
    output: std::marker::PhantomData<fn() -> T>,
}

/// The stream of a subscription.
pub(super) fn stream<T: Output>(
    shared: Arc<Shared>,
    initial: Vec<Arc<CachedObject>>,
    subscription: Subscription,
    after: Revision,
    bookmarks: Option<Interval>,
    deadline: Option<Instant>,
) -> WatchStream<T> {
    Box::pin(CacheWatch::<T> {
        shared,
        initial: initial.into(),
        replay: subscription.replay,
        rx: subscription.rx,
        lagged: subscription.lagged,
        after,
        bookmarks,
        deadline: deadline.map(|d| Box::pin(tokio::time::sleep_until(d))),
        done: false,
        output: std::marker::PhantomData,
    })
}

impl<T: Output> Stream for CacheWatch<T> {
    type Item = Item<T>;

    /// The deadline first, then the queue, then bookmarks: a polled stream rather than
    /// a future per item, as thousands of these wake for every change.
    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Item<T>>> {
        let this = self.get_mut();
        if this.done {
            return Poll::Ready(None);
        }
        if let Some(obj) = this.initial.pop_front() {
            return Poll::Ready(Some(T::of(&obj, obj.revision()).map(WatchEvent::Added)));
        }
        if let Some(delivery) = this.replay.pop_front() {
            return Poll::Ready(Some(to_event(delivery)));
        }
        if let Some(deadline) = this.deadline.as_mut()
            && deadline.as_mut().poll(cx).is_ready()
        {
            this.done = true;
            return Poll::Ready(None);
        }
        loop {
            match this.rx.poll_recv(cx) {
                Poll::Ready(Some(delivery)) => return Poll::Ready(Some(to_event(delivery))),
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

impl<T> CacheWatch<T> {
    /// Why the queue closed: cut off for lagging, the cache failing, or neither (the
    /// cache was dropped).
    fn end(&self) -> Option<Item<T>> {
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
/// change's revision. A state that does not decode is an error item (the stream goes
/// on).
fn to_event<T: Output>(delivery: Delivery) -> Item<T> {
    let event = &delivery.event;
    let state = match delivery.change {
        Change::Added | Change::Modified => event.current.as_deref(),
        Change::Deleted => event.previous.as_deref(),
    };
    let Some(state) = state else {
        return Err(ClientError::internal(
            "watch cache: a change without its object",
        ));
    };
    let revision = match delivery.change {
        Change::Deleted => event.revision,
        Change::Added | Change::Modified => state.revision(),
    };
    let obj = T::of(state, revision)?;
    Ok(match delivery.change {
        Change::Added => WatchEvent::Added(obj),
        Change::Modified => WatchEvent::Modified(obj),
        Change::Deleted => WatchEvent::Deleted(obj),
    })
}
