//! Errors shared by several modules.

/// A cache was asked for an index it does not keep.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("no index named {0:?}")]
pub struct UnknownIndex(pub String);
