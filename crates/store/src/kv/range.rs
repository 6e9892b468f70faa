//! Range reads: request and response.

use bytes::Bytes;

use super::types::{KeyValue, Revision};

/// A read of all keys under a prefix, paged, at the current or a past revision.
///
/// Build with [`RangeRequest::prefix`] and the chained setters:
///
/// ```
/// use store::RangeRequest;
/// let page = RangeRequest::prefix("/registry/pods/").limit(500);
/// let next = RangeRequest::prefix("/registry/pods/")
///     .limit(500)
///     .start_after("/registry/pods/default/web-7")
///     .at_revision(42);
/// # let _ = (page, next);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct RangeRequest {
    /// Keys starting with these bytes (empty: every key).
    pub prefix: Bytes,
    /// Continuation: only keys strictly greater than this one.
    pub start_after: Option<Bytes>,
    /// At most this many keys; 0 means no limit.
    pub limit: usize,
    /// Read the state as it was at this revision (`None`: the current one). Fails with
    /// [`KvError::Compacted`](crate::KvError::Compacted) below the compacted revision and
    /// [`KvError::FutureRevision`](crate::KvError::FutureRevision) above the current one.
    pub revision: Option<Revision>,
}

impl RangeRequest {
    /// All keys starting with `prefix`, no limit, at the current revision.
    pub fn prefix(prefix: impl Into<Bytes>) -> Self {
        RangeRequest {
            prefix: prefix.into(),
            ..RangeRequest::default()
        }
    }

    /// Only keys strictly greater than `key` (the last key of the previous page).
    pub fn start_after(mut self, key: impl Into<Bytes>) -> Self {
        self.start_after = Some(key.into());
        self
    }

    /// At most `limit` keys (0: no limit).
    pub fn limit(mut self, limit: usize) -> Self {
        self.limit = limit;
        self
    }

    /// Reads at a past revision.
    pub fn at_revision(mut self, revision: Revision) -> Self {
        self.revision = Some(revision);
        self
    }

    /// Whether `key` is in the requested range (prefix and continuation; not the limit).
    pub fn matches(&self, key: &[u8]) -> bool {
        key.starts_with(&self.prefix) && self.start_after.as_deref().is_none_or(|after| key > after)
    }
}

/// The answer to a [`RangeRequest`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RangeResponse {
    /// The keys, in ascending byte order, at most `limit` of them.
    pub kvs: Vec<KeyValue>,
    /// Whether more keys match beyond the returned ones (ask again with `start_after`
    /// set to the last returned key).
    pub more: bool,
    /// The revision the read was served at: the requested one, or the current one.
    pub revision: Revision,
    /// How many keys match the prefix and continuation, ignoring the limit.
    pub count: usize,
}
