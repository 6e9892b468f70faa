//! What the built-in backends share: validation and transaction planning, range
//! serving, watch fan-out and replay, lease bookkeeping and expiry.
//!
//! A backend keeps the state, history and lease table and decides how they are stored
//! and locked; these pieces decide what a request means.

mod lease;
mod range;
mod stream;
mod sync;
mod txn;
mod watch;

pub(crate) use lease::{ExpiryTask, LeaseExpiry, LeaseTable};
pub(crate) use range::{collect_current, collect_past, lower_bound, read_revision};
pub(crate) use stream::{HistoryEntry, HistorySource, open_watch};
pub(crate) use sync::{lock, read, write};
pub use txn::{MAX_KEY_LEN, MAX_LEASE_TTL, MAX_TXN_OPS, MAX_VALUE_LEN};
pub(crate) use txn::{
    Plan, StateView, plan_revoke, plan_txn, validate_key, validate_ttl, validate_txn,
};
pub(crate) use watch::{Batch, WatchHub};
