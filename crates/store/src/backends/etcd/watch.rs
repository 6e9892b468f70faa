//! Watches: one etcd watch per store watch, driven by a task that regroups etcd's
//! events one item per revision, buffers a bounded number of items for the consumer,
//! and re-establishes the etcd watch after a broken connection.
//!
//! A watch from the current revision starts etcd's at the next one, so etcd registers
//! it as live at once. A watch from further back, and every re-establishment, starts
//! etcd's at the last delivered revision itself (inclusive), and the task drops the
//! events up to it. Starting there rather than one later makes etcd check exactly the
//! store's rule: it refuses (with its compacted revision) a start below the compacted
//! revision, which is when the changes after the last delivered one may no longer all
//! be in history. A restart after a broken connection is therefore gap-free, or ends
//! the stream with [`KvError::Compacted`]. (etcd serves a start at or below its current
//! revision from history, picking such watches up every 100 ms: a watch from the past
//! pays that anyway, a re-established one once.)
//!
//! The consumer's channel holds `watch_buffer` etcd responses plus one slot kept for
//! the final error: when only that slot is left and another response comes, the
//! consumer is too slow, and gets [`KvError::WatchLagged`] after what is buffered. A
//! watcher that keeps up gets one response per revision, so the buffer counts revisions
//! as with the built-in backends; a catch-up from history comes in responses of up to
//! 1,000 revisions, each taking one slot, so that a watch opened far back does not count
//! as lagging while it is being read.

use std::time::Duration;

use bytes::Bytes;
use etcd_client::proto::PbEvent;
use etcd_client::{Client, WatchOptions, WatchStream as EtcdStream};
use futures::StreamExt;
use tokio::sync::{mpsc, watch};
use tokio::time::Instant;
use tokio_stream::wrappers::ReceiverStream;

use super::convert::{Failure, KeyRange, classify, key_value};
use super::options::EtcdOptions;
use crate::kv::{EventKind, KeyValue, KvError, Revision, WatchBatch, WatchEvent, WatchStream};

/// First pause before re-establishing a broken watch; doubled after each failure.
const FIRST_BACKOFF: Duration = Duration::from_millis(50);
/// Longest pause between attempts.
const MAX_BACKOFF: Duration = Duration::from_secs(1);

/// What the channel carries: the revisions of one etcd response, or the final error.
type Slot = Result<Vec<WatchBatch>, KvError>;

/// Starts the task watching `prefix` after revision `after` (checked by the caller:
/// neither compacted nor in the future; `current` is the current revision it read
/// then) and returns the consumer's stream.
pub(super) fn start(
    client: Client,
    options: &EtcdOptions,
    shutdown: watch::Receiver<()>,
    prefix: &[u8],
    after: Revision,
    current: Revision,
) -> Result<WatchStream, KvError> {
    let runtime = tokio::runtime::Handle::try_current()
        .map_err(|_| KvError::unavailable("EtcdStore watches need a tokio runtime"))?;
    let (sender, receiver) = mpsc::channel(options.watch_buffer.saturating_add(1));
    let task = Task {
        client,
        range: KeyRange::prefix(prefix),
        // Nothing to check from the current revision on (see the module docs).
        live_start: (after >= current).then_some(after.saturating_add(1)),
        last: after,
        sender,
        shutdown,
        retry_window: options.watch_retry,
        max_response: options.max_response,
    };
    runtime.spawn(task.run());
    let stream = ReceiverStream::new(receiver)
        .flat_map(|slot| {
            let items: Vec<Result<WatchBatch, KvError>> = match slot {
                Ok(batches) => batches.into_iter().map(Ok).collect(),
                Err(error) => vec![Err(error)],
            };
            futures::stream::iter(items)
        })
        .boxed();
    Ok(stream)
}

struct Task {
    client: Client,
    range: KeyRange,
    /// Where the first etcd watch starts when it starts live (see the module docs).
    live_start: Option<Revision>,
    /// The revision of the last item delivered, or the watch's start.
    last: Revision,
    sender: mpsc::Sender<Slot>,
    shutdown: watch::Receiver<()>,
    retry_window: Duration,
    max_response: usize,
}

/// How feeding from one etcd watch ended.
enum Ended {
    /// Done: the consumer or the store is gone, or the final item is sent.
    Stop,
    /// The etcd watch broke; it may be re-established.
    Broken(KvError),
}

impl Task {
    async fn run(mut self) {
        let mut backoff = FIRST_BACKOFF;
        let mut broken_since: Option<Instant> = None;
        loop {
            let error = match self.open().await {
                Ok(stream) => match self.feed(stream, &mut broken_since).await {
                    Ended::Stop => return,
                    Ended::Broken(error) => error,
                },
                Err(Failure::Other(error @ KvError::Unavailable { .. })) => error,
                Err(Failure::Compacted) => {
                    self.compacted(None);
                    return;
                }
                Err(other) => {
                    self.finish(Err(other.into_error()));
                    return;
                }
            };
            if broken_since.is_none() {
                backoff = FIRST_BACKOFF;
            }
            let since = *broken_since.get_or_insert_with(Instant::now);
            if since.elapsed() >= self.retry_window {
                let reason = format!(
                    "watch lost and not re-established within {:?} (resume after revision {}): {error}",
                    self.retry_window, self.last
                );
                self.finish(Err(KvError::unavailable(reason)));
                return;
            }
            tracing::debug!(%error, resume_after = self.last, "etcd watch broken, re-establishing");
            tokio::select! {
                () = tokio::time::sleep(backoff) => {}
                () = self.sender.closed() => return,
                _ = self.shutdown.changed() => return,
            }
            backoff = (backoff * 2).min(MAX_BACKOFF);
        }
    }

    /// Opens the etcd watch from the last delivered revision, or the next one for a
    /// first start live (see the module docs).
    async fn open(&mut self) -> Result<EtcdStream, Failure> {
        let start = self.live_start.take().unwrap_or(self.last.max(1));
        let options = WatchOptions::new()
            .with_range(self.range.end.clone())
            .with_start_revision(start)
            .with_prev_key();
        self.client
            .watch_client()
            .max_decoding_message_size(self.max_response)
            .watch(self.range.start.clone(), Some(options))
            .await
            .map_err(classify)
    }

    /// Delivers what the etcd watch sends until it breaks or the watch is over.
    async fn feed(&mut self, mut stream: EtcdStream, broken_since: &mut Option<Instant>) -> Ended {
        loop {
            let message = tokio::select! {
                () = self.sender.closed() => return Ended::Stop,
                _ = self.shutdown.changed() => return Ended::Stop,
                message = stream.message() => message,
            };
            let response = match message {
                Ok(Some(response)) => response.0,
                Ok(None) => {
                    return Ended::Broken(KvError::unavailable("etcd closed the watch stream"));
                }
                Err(error) => {
                    return match classify(error) {
                        Failure::Other(error @ KvError::Unavailable { .. }) => Ended::Broken(error),
                        Failure::Compacted => self.compacted(None),
                        other => self.finish(Err(other.into_error())),
                    };
                }
            };
            // The watch works again.
            *broken_since = None;
            if response.compact_revision != 0 {
                return self.compacted(Some(response.compact_revision));
            }
            if !self.deliver(response.events) {
                return Ended::Stop;
            }
            if response.canceled {
                let reason = format!("etcd canceled the watch: {}", response.cancel_reason);
                return Ended::Broken(KvError::unavailable(reason));
            }
        }
    }

    /// Hands the events after the last delivered revision to the consumer, one item per
    /// revision, or cuts the consumer off when only the slot kept for the final item is
    /// left. Returns `false` when the watch is over.
    fn deliver(&mut self, events: Vec<PbEvent>) -> bool {
        let mut batches: Vec<Vec<WatchEvent>> = Vec::new();
        for raw in events {
            let event = match event(raw) {
                Ok(event) => event,
                Err(error) => {
                    self.finish(Err(error));
                    return false;
                }
            };
            let revision = event.revision();
            if revision <= self.last {
                continue;
            }
            match batches.last_mut() {
                Some(batch) if batch[0].revision() == revision => batch.push(event),
                Some(batch) if batch[0].revision() > revision => {
                    let message = format!(
                        "etcd watch sent revision {revision} after {}",
                        batch[0].revision()
                    );
                    self.finish(Err(KvError::corrupt(message)));
                    return false;
                }
                _ => batches.push(vec![event]),
            }
        }
        let Some(last) = batches.last().and_then(|batch| batch.first()) else {
            return true;
        };
        let last = last.revision();
        if self.sender.capacity() <= 1 {
            let resume_from = self.last;
            self.finish(Err(KvError::WatchLagged { resume_from }));
            return false;
        }
        let batches = batches.into_iter().map(WatchBatch::from).collect();
        if self.sender.try_send(Ok(batches)).is_err() {
            return false;
        }
        self.last = last;
        true
    }

    /// Ends the watch with [`KvError::Compacted`]: the changes after the last delivered
    /// revision are no longer all in history. etcd says up to where when it cancels a
    /// watch for compaction; otherwise the next revision is the best lower bound known.
    fn compacted(&mut self, compacted: Option<Revision>) -> Ended {
        let error = KvError::Compacted {
            requested: self.last,
            compacted: compacted.unwrap_or(self.last.saturating_add(1)),
        };
        self.finish(Err(error))
    }

    /// Sends the final item (into the slot kept for it) and ends the watch.
    fn finish(&mut self, item: Slot) -> Ended {
        // Fails only when the consumer is gone, and then nobody needs the item.
        let _ = self.sender.try_send(item);
        Ended::Stop
    }
}

/// One etcd event as a [`WatchEvent`].
fn event(raw: PbEvent) -> Result<WatchEvent, KvError> {
    let kv = raw
        .kv
        .ok_or_else(|| KvError::corrupt("etcd watch event without its key"))?;
    let (kind, kv) = match raw.r#type {
        0 => (EventKind::Put, key_value(kv)),
        1 => (
            EventKind::Delete,
            KeyValue::tombstone(Bytes::from(kv.key), kv.mod_revision),
        ),
        other => {
            return Err(KvError::corrupt(format!(
                "etcd watch event of unknown type {other}"
            )));
        }
    };
    Ok(WatchEvent {
        kind,
        kv,
        prev_kv: raw.prev_kv.map(key_value),
    })
}

#[cfg(test)]
mod tests {
    use etcd_client::proto::{PbEvent, PbKeyValue};

    use super::event;
    use crate::kv::{EventKind, KvError};

    fn raw(kind: i32) -> PbEvent {
        PbEvent {
            r#type: kind,
            kv: Some(PbKeyValue {
                key: b"/k".to_vec(),
                value: b"v".to_vec(),
                create_revision: 2,
                mod_revision: 3,
                version: 2,
                lease: 0,
            }),
            prev_kv: None,
        }
    }

    #[test]
    fn events_map_and_malformed_ones_are_errors() {
        let put = event(raw(0)).expect("put");
        assert_eq!(
            (put.kind, put.revision(), put.kv.lease),
            (EventKind::Put, 3, None)
        );
        let delete = event(raw(1)).expect("delete");
        assert_eq!((delete.kind, delete.revision()), (EventKind::Delete, 3));
        assert!(delete.kv.value.is_empty() && delete.kv.version == 0);
        assert!(matches!(event(raw(7)), Err(KvError::Corrupt { .. })));
        let keyless = PbEvent { kv: None, ..raw(0) };
        assert!(matches!(event(keyless), Err(KvError::Corrupt { .. })));
    }
}
