//! Watch straight from the store (no cache): the storage watch of the list prefix,
//! decoded, filtered, with bookmarks and a timeout.

use std::collections::VecDeque;
use std::sync::Arc;

use bytes::Bytes;
use client::{ClientError, WatchEvent, WatchParams, WatchStream};
use core_types::{ApiResource, DynamicObject};
use futures::StreamExt;
use tokio::time::{Instant, Interval, MissedTickBehavior};

use super::codec::{
    collection_namespace, decode, decode_at, parse_resource_version, storage_error,
};
use super::filter::{Change, ObjectFilter};
use super::key::list_prefix;
use super::read::initial_state;
use super::{BOOKMARK_INTERVAL, ObjectStore};
use crate::kv::{self, EventKind, KvError, KvStore, Revision};

type Item = Result<WatchEvent<DynamicObject>, ClientError>;

impl ObjectStore {
    /// Watches objects, reading the store's own watch; see [`WatchParams`].
    pub async fn watch(
        &self,
        resource: &ApiResource,
        namespace: Option<&str>,
        params: &WatchParams,
    ) -> Result<WatchStream, ClientError> {
        let namespace = collection_namespace(resource, namespace)?;
        let prefix = list_prefix(resource, namespace)?;
        // The prefix already limits the namespace.
        let filter = ObjectFilter::for_watch(None, params);
        let mut pending = VecDeque::new();
        let start = match params.resource_version.as_deref().unwrap_or_default() {
            "" | "0" => {
                let (revision, objects) = initial_state(&*self.kv, &prefix, None).await?;
                pending.extend(
                    objects
                        .into_iter()
                        .filter(|(_, o)| filter.matches(o))
                        .map(|(_, o)| Ok(WatchEvent::Added(o))),
                );
                revision
            }
            rv => parse_resource_version(rv)?,
        };
        let prefix = Bytes::from(prefix);
        let events = match self.kv.watch(prefix.clone(), start).await {
            Ok(events) => events,
            Err(e @ KvError::Compacted { .. }) => {
                return Ok(futures::stream::once(async move { Err(storage_error(e)) }).boxed());
            }
            Err(e) => return Err(storage_error(e)),
        };
        let state = DirectWatch {
            kv: self.kv.clone(),
            prefix,
            filter,
            pending,
            events: Some(events),
            last: start,
            bookmarks: params.allow_bookmarks.then(bookmark_interval),
            deadline: params.timeout.map(|t| Instant::now() + t),
        };
        Ok(futures::stream::unfold(state, |mut state| async move {
            state.next_item().await.map(|item| (item, state))
        })
        .boxed())
    }
}

/// A bookmark timer whose first tick is one interval from now.
pub(crate) fn bookmark_interval() -> Interval {
    let mut interval =
        tokio::time::interval_at(Instant::now() + BOOKMARK_INTERVAL, BOOKMARK_INTERVAL);
    interval.set_missed_tick_behavior(MissedTickBehavior::Delay);
    interval
}

/// Waits for the next tick, or forever without a timer.
async fn tick(interval: &mut Option<Interval>) {
    match interval {
        Some(i) => {
            i.tick().await;
        }
        None => std::future::pending().await,
    }
}

/// Waits until the deadline, or forever without one.
async fn until(deadline: Option<Instant>) {
    match deadline {
        Some(d) => tokio::time::sleep_until(d).await,
        None => std::future::pending().await,
    }
}

struct DirectWatch {
    kv: Arc<dyn KvStore>,
    prefix: Bytes,
    filter: ObjectFilter,
    pending: VecDeque<Item>,
    /// `None` once the watch has ended.
    events: Option<kv::WatchStream>,
    /// The latest revision seen (delivered or filtered out).
    last: Revision,
    bookmarks: Option<Interval>,
    deadline: Option<Instant>,
}

impl DirectWatch {
    async fn next_item(&mut self) -> Option<Item> {
        loop {
            if let Some(item) = self.pending.pop_front() {
                return Some(item);
            }
            let events = self.events.as_mut()?;
            tokio::select! {
                biased;
                () = until(self.deadline) => {
                    self.events = None;
                }
                batch = events.next() => self.on_batch(batch).await,
                () = tick(&mut self.bookmarks) => {
                    return Some(Ok(WatchEvent::Bookmark { resource_version: self.last.to_string() }));
                }
            }
        }
    }

    async fn on_batch(&mut self, batch: Option<Result<kv::WatchBatch, KvError>>) {
        match batch {
            Some(Ok(events)) => {
                for event in events.iter() {
                    self.last = event.revision();
                    match convert(&self.filter, event) {
                        Ok(Some(e)) => self.pending.push_back(Ok(e)),
                        Ok(None) => {}
                        Err(e) => self.pending.push_back(Err(e)),
                    }
                }
            }
            // The store cut the watch off because this consumer was slow: resume from
            // where it stopped, if history still has it.
            Some(Err(KvError::WatchLagged { resume_from })) => {
                match self.kv.watch(self.prefix.clone(), resume_from).await {
                    Ok(events) => self.events = Some(events),
                    Err(e) => self.end_with(storage_error(e)),
                }
            }
            Some(Err(e)) => self.end_with(storage_error(e)),
            None => self.events = None,
        }
    }

    fn end_with(&mut self, e: ClientError) {
        self.pending.push_back(Err(e));
        self.events = None;
    }
}

/// One storage event as a watch event through `filter`, or `None` if the watcher does
/// not see it. A `Deleted` object is the previous state at the change's revision.
fn convert(
    filter: &ObjectFilter,
    event: &kv::WatchEvent,
) -> Result<Option<WatchEvent<DynamicObject>>, ClientError> {
    let revision = event.revision();
    let Some(previous_kv) = &event.prev_kv else {
        // A create (a delete always has its previous value).
        let current = decode(&event.kv)?;
        return Ok(filter
            .matches(&current)
            .then_some(WatchEvent::Added(current)));
    };
    if event.kind == EventKind::Delete {
        let previous = decode_at(&previous_kv.value, revision)?;
        return Ok(filter
            .matches(&previous)
            .then_some(WatchEvent::Deleted(previous)));
    }
    let current = decode(&event.kv)?;
    if !filter.has_selectors() {
        return Ok(Some(WatchEvent::Modified(current)));
    }
    let previous = decode_at(&previous_kv.value, revision)?;
    Ok(match filter.classify(Some(&previous), Some(&current)) {
        Some(Change::Added) => Some(WatchEvent::Added(current)),
        Some(Change::Modified) => Some(WatchEvent::Modified(current)),
        Some(Change::Deleted) => Some(WatchEvent::Deleted(previous)),
        None => None,
    })
}
