//! Watch streams: replay of history up to the revision the watcher registered at,
//! then the live feed from the hub, without gap or duplicate.
//!
//! The switch is exact because the hub hands a new watcher the last revision it
//! published (`upto`) under the same lock that publishing takes: every revision up to
//! `upto` was in history before it was published, every later one goes to the
//! watcher's buffer. While the replay runs the buffer fills; a replay longer than the
//! buffer allows ends in `WatchLagged` like any slow consumer.

use std::collections::VecDeque;
use std::pin::Pin;
use std::sync::{Arc, Weak};
use std::task::{Context, Poll};

use bytes::Bytes;
use futures::Stream;

use super::watch::{Subscription, WatchHub};
use crate::kv::{KvError, Revision, WatchBatch, WatchEvent, WatchStream};

/// How many revisions a replaying watch reads from history at a time.
const REPLAY_CHUNK: usize = 256;

/// One revision of history: all its events.
pub(crate) type HistoryEntry = (Revision, Arc<[WatchEvent]>);

/// Read access to a backend's history.
pub(crate) trait HistorySource: Send + Sync + 'static {
    /// The compacted revision: history exists only above it.
    fn compacted(&self) -> Revision;

    /// The entries with `after < revision <= upto`, ascending, at most `limit`; fails
    /// with [`KvError::Compacted`] when `after` is below the compacted revision.
    fn history(
        &self,
        after: Revision,
        upto: Revision,
        limit: usize,
    ) -> Result<Vec<HistoryEntry>, KvError>;
}

/// Opens a watch of `prefix` for the changes after `after` (see [`KvStore::watch`](crate::KvStore::watch)).
pub(crate) fn open_watch<S: HistorySource>(
    hub: &WatchHub,
    source: &Arc<S>,
    prefix: Bytes,
    after: Revision,
) -> Result<WatchStream, KvError> {
    if after < 0 {
        return Err(KvError::invalid("watch revision must not be negative"));
    }
    let subscription = hub.subscribe(prefix.clone());
    if after > subscription.upto {
        return Err(KvError::FutureRevision {
            requested: after,
            current: subscription.upto,
        });
    }
    let compacted = source.compacted();
    if after < compacted {
        return Err(KvError::Compacted {
            requested: after,
            compacted,
        });
    }
    let source: Weak<S> = Arc::downgrade(source);
    Ok(Box::pin(WatchState {
        prefix,
        last_delivered: after,
        replayed: after,
        source: Some(source as Weak<dyn HistorySource>),
        pending: VecDeque::new(),
        subscription,
        done: false,
    }))
}

/// A watch stream: polled directly (no future per item), since only the live feed
/// ever waits.
struct WatchState {
    prefix: Bytes,
    /// Revision of the last batch handed out (or the start): where to resume after lag.
    last_delivered: Revision,
    /// Revision up to which history has been read.
    replayed: Revision,
    source: Option<Weak<dyn HistorySource>>,
    pending: VecDeque<WatchBatch>,
    subscription: Subscription,
    done: bool,
}

type Item = Result<WatchBatch, KvError>;

impl Stream for WatchState {
    type Item = Item;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Item>> {
        let this = self.get_mut();
        loop {
            if this.done {
                return Poll::Ready(None);
            }
            if let Some(batch) = this.pending.pop_front() {
                return Poll::Ready(Some(this.deliver(batch)));
            }
            if this.replayed < this.subscription.upto {
                if let Err(error) = this.replay_chunk() {
                    return Poll::Ready(Some(this.fail(error)));
                }
                continue;
            }
            this.source = None;
            return match this.subscription.receiver.poll_recv(cx) {
                Poll::Pending => Poll::Pending,
                Poll::Ready(Some(batch)) => Poll::Ready(Some(this.deliver(batch))),
                Poll::Ready(None) if this.subscription.is_lagged() => {
                    let resume_from = this.last_delivered;
                    Poll::Ready(Some(this.fail(KvError::WatchLagged { resume_from })))
                }
                Poll::Ready(None) => {
                    this.done = true;
                    Poll::Ready(None)
                }
            };
        }
    }
}

impl WatchState {
    fn deliver(&mut self, batch: WatchBatch) -> Item {
        if let Some(event) = batch.first() {
            self.last_delivered = event.revision();
        }
        Ok(batch)
    }

    fn fail(&mut self, error: KvError) -> Item {
        self.done = true;
        Err(error)
    }

    /// Reads the next chunk of history into `pending`, keeping matching events.
    fn replay_chunk(&mut self) -> Result<(), KvError> {
        let Some(source) = self.source.as_ref().and_then(Weak::upgrade) else {
            // The store is gone: end quietly, as the live feed would.
            self.done = true;
            return Ok(());
        };
        let entries = source.history(self.replayed, self.subscription.upto, REPLAY_CHUNK)?;
        if entries.is_empty() {
            return Err(KvError::corrupt(format!(
                "history has no revision after {} (expected up to {})",
                self.replayed, self.subscription.upto
            )));
        }
        for (revision, events) in entries {
            if revision != self.replayed + 1 {
                return Err(KvError::corrupt(format!(
                    "history jumps from revision {} to {revision}",
                    self.replayed
                )));
            }
            self.replayed = revision;
            let matching = events
                .iter()
                .filter(|event| event.kv.key.starts_with(&self.prefix))
                .count();
            if matching == 0 {
                continue;
            }
            if matching == events.len() {
                self.pending.push_back(events);
            } else {
                let batch: WatchBatch = events
                    .iter()
                    .filter(|event| event.kv.key.starts_with(&self.prefix))
                    .cloned()
                    .collect();
                self.pending.push_back(batch);
            }
        }
        Ok(())
    }
}
