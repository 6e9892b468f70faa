//! The storage interface: data types, requests, errors, the [`KvStore`] trait and its
//! convenience extension.

mod error;
mod ext;
mod range;
mod store;
mod txn;
mod types;

pub use error::KvError;
pub use ext::KvStoreExt;
pub use range::{RangeRequest, RangeResponse};
pub use store::{KvStore, WatchBatch, WatchStream};
pub use txn::{Compare, CompareFailure, Op, Txn, TxnResponse};
pub(crate) use types::show;
pub use types::{EventKind, KeyValue, LeaseId, Revision, WatchEvent};
