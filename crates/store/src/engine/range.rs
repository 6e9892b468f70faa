//! Range reads over a backend's current state, and at past revisions by undoing the
//! history written since.
//!
//! A read at a past revision costs the keys under the prefix now plus every event
//! since that revision (all keys, filtered): cheap for recent revisions, and history is
//! bounded by compaction.

use std::collections::BTreeMap;
use std::ops::Bound;

use bytes::Bytes;

use crate::kv::{KeyValue, KvError, RangeRequest, RangeResponse, Revision, WatchEvent};

/// Checks the requested revision; returns the revision to serve the read at.
pub(crate) fn read_revision(
    request: &RangeRequest,
    current: Revision,
    compacted: Revision,
) -> Result<Revision, KvError> {
    match request.revision {
        None => Ok(current),
        Some(revision) if revision < 0 => {
            Err(KvError::invalid("read revision must not be negative"))
        }
        Some(revision) if revision > current => Err(KvError::FutureRevision {
            requested: revision,
            current,
        }),
        Some(revision) if revision < compacted => Err(KvError::Compacted {
            requested: revision,
            compacted,
        }),
        Some(revision) => Ok(revision),
    }
}

/// Where a scan of the current state starts: the prefix, or just past the continuation
/// key when that is further.
pub(crate) fn lower_bound(request: &RangeRequest) -> Bound<Bytes> {
    match &request.start_after {
        Some(after) if *after >= request.prefix => Bound::Excluded(after.clone()),
        _ => Bound::Included(request.prefix.clone()),
    }
}

/// Serves a read at the current revision from an ascending scan starting at
/// [`lower_bound`] (the scan may run past the prefix: it is cut there).
pub(crate) fn collect_current(
    request: &RangeRequest,
    revision: Revision,
    scan: impl Iterator<Item = Result<KeyValue, KvError>>,
) -> Result<RangeResponse, KvError> {
    let mut response = RangeResponse {
        revision,
        ..RangeResponse::default()
    };
    for kv in scan {
        let kv = kv?;
        if !kv.key.starts_with(&request.prefix) {
            break;
        }
        if !request.matches(&kv.key) {
            continue;
        }
        response.count += 1;
        if request.limit == 0 || response.kvs.len() < request.limit {
            response.kvs.push(kv);
        } else {
            response.more = true;
        }
    }
    Ok(response)
}

/// Serves a read at the past revision `at` from the same scan plus the history after
/// `at`, newest first, each event undone.
pub(crate) fn collect_past(
    request: &RangeRequest,
    at: Revision,
    scan: impl Iterator<Item = Result<KeyValue, KvError>>,
    newest_first: impl Iterator<Item = Result<WatchEvent, KvError>>,
) -> Result<RangeResponse, KvError> {
    let mut view = BTreeMap::new();
    for kv in scan {
        let kv = kv?;
        if !kv.key.starts_with(&request.prefix) {
            break;
        }
        if request.matches(&kv.key) {
            view.insert(kv.key.clone(), kv);
        }
    }
    for event in newest_first {
        let event = event?;
        if event.revision() <= at {
            break;
        }
        if !request.matches(&event.kv.key) {
            continue;
        }
        match event.prev_kv {
            Some(prev) => view.insert(event.kv.key, prev),
            None => view.remove(&event.kv.key),
        };
    }
    let count = view.len();
    let limit = if request.limit == 0 {
        count
    } else {
        request.limit
    };
    Ok(RangeResponse {
        kvs: view.into_values().take(limit).collect(),
        more: count > limit,
        revision: at,
        count,
    })
}
