//! The store's error type.

use std::sync::Arc;

use bytes::Bytes;

use super::types::{LeaseId, Revision, show};

/// Everything a [`KvStore`](crate::KvStore) call can fail with.
///
/// The variants map onto Kubernetes API errors: [`NotFound`](Self::NotFound) is 404,
/// [`AlreadyExists`](Self::AlreadyExists) and [`Conflict`](Self::Conflict) are 409,
/// [`Compacted`](Self::Compacted) is 410 Gone ("resource version too old"),
/// [`WatchLagged`](Self::WatchLagged) ends a watch the client must restart.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum KvError {
    /// A key the backend does not accept (empty, too long).
    #[error("invalid key {}: {reason}", show(.key))]
    InvalidKey {
        /// The key as given.
        key: Bytes,
        /// Why it was rejected.
        reason: &'static str,
    },
    /// A request that is malformed apart from its keys (a negative revision, a
    /// transaction with the same key twice, a zero lease TTL, a value too large...).
    #[error("invalid request: {reason}")]
    InvalidRequest {
        /// What was wrong.
        reason: String,
    },
    /// The key does not exist (from the convenience methods of [`KvStoreExt`](crate::KvStoreExt)).
    #[error("key {} not found", show(.key))]
    NotFound {
        /// The missing key.
        key: Bytes,
    },
    /// A create found the key already there.
    #[error("key {} already exists (mod revision {mod_revision})", show(.key))]
    AlreadyExists {
        /// The key.
        key: Bytes,
        /// The revision of its current value.
        mod_revision: Revision,
    },
    /// An update or delete expected another revision of the key.
    #[error("key {} was modified: current mod revision is {current_mod_revision}", show(.key))]
    Conflict {
        /// The key.
        key: Bytes,
        /// The revision of its current value.
        current_mod_revision: Revision,
    },
    /// The revision asked for has been compacted away: reads and watches can no longer
    /// start there.
    #[error("revision {requested} has been compacted (compacted up to {compacted})")]
    Compacted {
        /// The revision asked for.
        requested: Revision,
        /// The store's compacted revision: the oldest one still readable.
        compacted: Revision,
    },
    /// The revision asked for is newer than anything written yet.
    #[error("revision {requested} is in the future (current revision {current})")]
    FutureRevision {
        /// The revision asked for.
        requested: Revision,
        /// The store's current revision.
        current: Revision,
    },
    /// The last item of a watch that fell too far behind: its buffer filled up, the
    /// store cut it off. Everything up to `resume_from` was delivered; watch again
    /// from there.
    #[error("watch fell behind and was cut off; resume after revision {resume_from}")]
    WatchLagged {
        /// The revision of the last delivered change (or the watch's start).
        resume_from: Revision,
    },
    /// The lease does not exist, has been revoked or has expired.
    #[error("lease {lease} not found")]
    LeaseNotFound {
        /// The lease asked for.
        lease: LeaseId,
    },
    /// Stored data that does not decode: on-disk corruption or a format mismatch.
    #[error("corrupt store data: {what}")]
    Corrupt {
        /// What could not be decoded, and where.
        what: String,
    },
    /// The storage engine failed (I/O error...). The outcome of the request is unknown;
    /// a backend may refuse further writes afterwards.
    #[error("storage failure: {source}")]
    Storage {
        /// The engine's error.
        source: Arc<dyn std::error::Error + Send + Sync>,
    },
    /// The store is shut down, failed earlier, or runs without what it needs (a tokio
    /// runtime).
    #[error("store unavailable: {reason}")]
    Unavailable {
        /// Why.
        reason: String,
    },
}

impl KvError {
    /// Builds [`KvError::InvalidRequest`].
    pub(crate) fn invalid(reason: impl Into<String>) -> Self {
        KvError::InvalidRequest {
            reason: reason.into(),
        }
    }

    /// Builds [`KvError::Corrupt`].
    pub(crate) fn corrupt(what: impl Into<String>) -> Self {
        KvError::Corrupt { what: what.into() }
    }

    /// Builds [`KvError::Unavailable`].
    pub(crate) fn unavailable(reason: impl Into<String>) -> Self {
        KvError::Unavailable {
            reason: reason.into(),
        }
    }

    /// Wraps a storage engine error.
    pub fn storage(source: impl std::error::Error + Send + Sync + 'static) -> Self {
        KvError::Storage {
            source: Arc::new(source),
        }
    }
}
