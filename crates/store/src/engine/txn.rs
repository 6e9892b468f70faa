//! Request validation and transaction planning: what a transaction or a lease
//! revocation would change, computed against a read-only view of the state.

use std::collections::HashSet;
use std::time::Duration;

use bytes::Bytes;
use tokio::time::Instant;

use super::lease::LeaseTable;
use crate::kv::{
    CompareFailure, EventKind, KeyValue, KvError, LeaseId, Op, Revision, Txn, WatchEvent,
};

/// Longest key the built-in backends accept, in bytes.
pub const MAX_KEY_LEN: usize = 8 * 1024;
/// Largest value the built-in backends accept, in bytes.
pub const MAX_VALUE_LEN: usize = 8 * 1024 * 1024;
/// Most compares, and most operations, in one transaction.
pub const MAX_TXN_OPS: usize = 1024;
/// Longest lease TTL accepted.
pub const MAX_LEASE_TTL: Duration = Duration::from_secs(365 * 24 * 3600);

/// Read access to the current state of keys.
pub(crate) trait StateView {
    /// The key's current state, `None` when absent.
    fn get(&self, key: &[u8]) -> Result<Option<KeyValue>, KvError>;
}

/// What a transaction does, before it is applied.
#[derive(Debug)]
pub(crate) enum Plan {
    /// A compare failed: nothing to apply.
    Failed(CompareFailure),
    /// The compares held; these events (possibly none) are the transaction's changes.
    Apply {
        /// The changes, all at the planned revision.
        events: Vec<WatchEvent>,
        /// The previous state of each operation's key.
        prev_kvs: Vec<Option<KeyValue>>,
    },
}

/// Checks a key against the built-in backends' limits.
pub(crate) fn validate_key(key: &[u8]) -> Result<(), KvError> {
    let reason = if key.is_empty() {
        "empty key"
    } else if key.len() > MAX_KEY_LEN {
        "key longer than 8 KiB"
    } else {
        return Ok(());
    };
    Err(KvError::InvalidKey {
        key: Bytes::copy_from_slice(key),
        reason,
    })
}

/// Checks a transaction's keys, sizes and the one-operation-per-key rule.
pub(crate) fn validate_txn(txn: &Txn) -> Result<(), KvError> {
    if txn.ops.len() > MAX_TXN_OPS || txn.compares.len() > MAX_TXN_OPS {
        return Err(KvError::invalid(format!(
            "more than {MAX_TXN_OPS} compares or operations"
        )));
    }
    for compare in &txn.compares {
        validate_key(compare.key())?;
    }
    let mut seen = HashSet::with_capacity(txn.ops.len());
    for op in &txn.ops {
        validate_key(op.key())?;
        if matches!(op, Op::Put { value, .. } if value.len() > MAX_VALUE_LEN) {
            return Err(KvError::invalid("value larger than 8 MiB"));
        }
        if !seen.insert(op.key()) {
            return Err(KvError::invalid(
                "the same key is written twice in one transaction",
            ));
        }
    }
    Ok(())
}

/// Checks a lease TTL.
pub(crate) fn validate_ttl(ttl: Duration) -> Result<(), KvError> {
    if ttl.is_zero() || ttl > MAX_LEASE_TTL {
        return Err(KvError::invalid(
            "lease TTL must be positive and at most a year",
        ));
    }
    Ok(())
}

/// Plans a validated transaction whose changes would get `revision`.
pub(crate) fn plan_txn(
    view: &impl StateView,
    leases: &LeaseTable,
    now: Instant,
    revision: Revision,
    txn: &Txn,
) -> Result<Plan, KvError> {
    for (index, compare) in txn.compares.iter().enumerate() {
        let current = view.get(compare.key())?;
        if !compare.holds(current.as_ref()) {
            return Ok(Plan::Failed(CompareFailure {
                index,
                key: compare.key().clone(),
                current,
            }));
        }
    }
    let mut events = Vec::with_capacity(txn.ops.len());
    let mut prev_kvs = Vec::with_capacity(txn.ops.len());
    for op in &txn.ops {
        let prev = view.get(op.key())?;
        match op {
            Op::Put { key, value, lease } => {
                match lease {
                    Some(lease) if !leases.is_live(*lease, now) => {
                        return Err(KvError::LeaseNotFound { lease: *lease });
                    }
                    _ => {}
                }
                let kv = KeyValue {
                    key: key.clone(),
                    value: value.clone(),
                    create_revision: prev.as_ref().map_or(revision, |p| p.create_revision),
                    mod_revision: revision,
                    version: prev.as_ref().map_or(1, |p| p.version + 1),
                    lease: *lease,
                };
                events.push(WatchEvent {
                    kind: EventKind::Put,
                    kv,
                    prev_kv: prev.clone(),
                });
            }
            Op::Delete { key } => {
                if let Some(prev) = &prev {
                    events.push(delete_event(key.clone(), revision, prev.clone()));
                }
            }
        }
        prev_kvs.push(prev);
    }
    Ok(Plan::Apply { events, prev_kvs })
}

/// Plans the revocation of a lease: the deletes of its keys at `revision`.
pub(crate) fn plan_revoke(
    view: &impl StateView,
    leases: &LeaseTable,
    lease: LeaseId,
    revision: Revision,
) -> Result<Vec<WatchEvent>, KvError> {
    let keys = leases.keys(lease).ok_or(KvError::LeaseNotFound { lease })?;
    let mut events = Vec::with_capacity(keys.len());
    for key in keys {
        if let Some(prev) = view.get(&key)? {
            events.push(delete_event(key, revision, prev));
        }
    }
    Ok(events)
}

fn delete_event(key: Bytes, revision: Revision, prev: KeyValue) -> WatchEvent {
    WatchEvent {
        kind: EventKind::Delete,
        kv: KeyValue::tombstone(key, revision),
        prev_kv: Some(prev),
    }
}
