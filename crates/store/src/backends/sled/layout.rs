//! Where things live in the sled tree.
//!
//! Everything is in one tree, partitioned by a one-byte prefix, so that a write group
//! is one atomic `apply_batch`:
//!
//! | sled key | value |
//! |---|---|
//! | `k` + key | the key's record ([`codec::encode_record`](super::codec::encode_record)): its metadata; its value is in the history entry of its `mod_revision` |
//! | `h` + revision (8 bytes, big-endian) | the revision's events with previous values; at or below the compacted revision, only the entries still holding a current value, reduced to those values ([`retain`](super::retain)) |
//! | `l` + lease id (8 bytes, big-endian) | the lease's TTL in milliseconds |
//! | `m` + name | metadata: current and compacted revision, last lease id |
//!
//! Revisions are positive, so big-endian order is numeric order.

use crate::kv::{LeaseId, Revision};

/// Prefix of key records.
pub(super) const STATE: u8 = b'k';
/// Prefix of history entries.
pub(super) const HISTORY: u8 = b'h';
/// Prefix of lease records.
pub(super) const LEASE: u8 = b'l';

/// The current revision.
pub(super) const META_REVISION: &[u8] = b"mrevision";
/// The compacted revision.
pub(super) const META_COMPACTED: &[u8] = b"mcompacted";
/// The last lease id handed out.
pub(super) const META_LAST_LEASE: &[u8] = b"mlast_lease";

/// The sled key of a key record.
pub(super) fn state_key(key: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(1 + key.len());
    out.push(STATE);
    out.extend_from_slice(key);
    out
}

/// The sled key of a history entry.
pub(super) fn history_key(revision: Revision) -> [u8; 9] {
    prefixed(HISTORY, revision)
}

/// The sled key of a lease record.
pub(super) fn lease_key(lease: LeaseId) -> [u8; 9] {
    prefixed(LEASE, lease.0)
}

fn prefixed(prefix: u8, number: i64) -> [u8; 9] {
    let mut out = [prefix; 9];
    out[1..].copy_from_slice(&number.to_be_bytes());
    out
}
