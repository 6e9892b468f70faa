//! The one storage watch behind a cache: applies every change, restarts after lag,
//! re-reads everything when the history it needs was compacted.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use futures::StreamExt;

use super::Shared;
use super::cached::CachedObject;
use crate::kv::{EventKind, KvError, KvStore, Revision, WatchBatch, WatchEvent, WatchStream};
use crate::object::{initial_values, storage_error};

/// Wait between attempts to re-open a failed storage watch, doubled up to the maximum.
const RETRY_MIN: Duration = Duration::from_millis(50);
const RETRY_MAX: Duration = Duration::from_secs(2);

/// Follows the storage watch of `prefix` from `after` until the store goes away.
pub(super) async fn follow(
    shared: Arc<Shared>,
    kv: Arc<dyn KvStore>,
    prefix: Bytes,
    after: Revision,
) {
    let mut stream = match open(&shared, &*kv, &prefix, after).await {
        Some(stream) => stream,
        None => return,
    };
    loop {
        match stream.next().await {
            Some(Ok(batch)) => apply(&shared, batch),
            Some(Err(KvError::WatchLagged { resume_from })) => {
                shared
                    .stats
                    .backend_restarts
                    .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                tracing::debug!(prefix = %String::from_utf8_lossy(&prefix), resume_from, "watch cache fell behind storage; resuming");
                stream = match open(&shared, &*kv, &prefix, resume_from).await {
                    Some(stream) => stream,
                    None => return,
                };
            }
            Some(Err(e)) => {
                tracing::warn!(prefix = %String::from_utf8_lossy(&prefix), error = %e, "watch cache: storage watch failed; restarting");
                let from = shared.revision();
                stream = match open(&shared, &*kv, &prefix, from).await {
                    Some(stream) => stream,
                    None => return,
                };
            }
            None => {
                shared.fail(crate::object::storage_error(KvError::Unavailable {
                    reason: "the store's watch ended".to_owned(),
                }));
                return;
            }
        }
    }
}

/// Opens the storage watch after `after`; when that history is gone, re-reads the
/// prefix and starts over from the read's revision. Retries other failures with
/// backoff; `None` when the store is gone for good.
async fn open(
    shared: &Shared,
    kv: &dyn KvStore,
    prefix: &Bytes,
    mut after: Revision,
) -> Option<WatchStream> {
    let mut wait = RETRY_MIN;
    loop {
        match kv.watch(prefix.clone(), after).await {
            Ok(stream) => return Some(stream),
            Err(KvError::Compacted { .. }) => {
                let text = String::from_utf8_lossy(prefix).into_owned();
                match initial_values(kv, &text, None).await {
                    Ok((revision, objects)) => {
                        shared
                            .stats
                            .relists
                            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        shared.reset(revision, objects);
                        after = revision;
                        continue;
                    }
                    Err(e) => {
                        tracing::warn!(prefix = %text, error = %e, "watch cache: re-list failed")
                    }
                }
            }
            Err(e @ KvError::Unavailable { .. }) => {
                shared.fail(storage_error(e));
                return None;
            }
            Err(e) => tracing::warn!(error = %e, "watch cache: cannot open the storage watch"),
        }
        tokio::time::sleep(wait).await;
        wait = (wait * 2).min(RETRY_MAX);
    }
}

/// Applies one revision's events. When some subscriber reads decoded objects, they
/// are decoded here, outside the lock.
fn apply(shared: &Shared, batch: WatchBatch) {
    let Some(revision) = batch.first().map(WatchEvent::revision) else {
        return;
    };
    let decode = shared.decoding();
    let changes: Vec<_> = batch
        .iter()
        .map(|event| {
            let current = match event.kind {
                EventKind::Delete => None,
                EventKind::Put => {
                    let state = CachedObject::new(event.kv.value.clone(), event.kv.mod_revision);
                    if decode {
                        let _ = state.object_if_valid();
                    }
                    Some(Arc::new(state))
                }
            };
            (event.kv.key.clone(), current)
        })
        .collect();
    shared.apply(revision, changes);
}
