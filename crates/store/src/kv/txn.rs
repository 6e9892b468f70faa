//! Transactions: compares, operations, outcomes.

use bytes::Bytes;

use super::types::{KeyValue, LeaseId, Revision};

/// A condition on one key, checked before a transaction's operations run.
///
/// All comparisons are equalities. A key that does not exist has mod revision 0 and
/// version 0, so `Compare::mod_revision(key, 0)` is etcd's "create if absent" idiom.
/// A value comparison with an absent key fails.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Compare {
    /// The key's mod revision equals `revision` (0: the key is absent).
    ModRevision {
        /// The key.
        key: Bytes,
        /// The expected mod revision.
        revision: Revision,
    },
    /// The key's version equals `version` (0: the key is absent).
    Version {
        /// The key.
        key: Bytes,
        /// The expected version.
        version: i64,
    },
    /// The key exists and holds exactly `value`.
    Value {
        /// The key.
        key: Bytes,
        /// The expected value.
        value: Bytes,
    },
}

impl Compare {
    /// The key's mod revision is `revision` (0: absent).
    pub fn mod_revision(key: impl Into<Bytes>, revision: Revision) -> Self {
        Compare::ModRevision {
            key: key.into(),
            revision,
        }
    }

    /// The key's version is `version` (0: absent).
    pub fn version(key: impl Into<Bytes>, version: i64) -> Self {
        Compare::Version {
            key: key.into(),
            version,
        }
    }

    /// The key holds `value`.
    pub fn value(key: impl Into<Bytes>, value: impl Into<Bytes>) -> Self {
        Compare::Value {
            key: key.into(),
            value: value.into(),
        }
    }

    /// The key compared.
    pub fn key(&self) -> &Bytes {
        match self {
            Compare::ModRevision { key, .. }
            | Compare::Version { key, .. }
            | Compare::Value { key, .. } => key,
        }
    }

    /// Whether the key's current state (`None`: absent) satisfies the comparison.
    pub fn holds(&self, current: Option<&KeyValue>) -> bool {
        match self {
            Compare::ModRevision { revision, .. } => {
                current.map_or(0, |kv| kv.mod_revision) == *revision
            }
            Compare::Version { version, .. } => current.map_or(0, |kv| kv.version) == *version,
            Compare::Value { value, .. } => current.is_some_and(|kv| kv.value == *value),
        }
    }
}

/// A write inside a transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Op {
    /// Creates or replaces the key. A put without a lease detaches the key from any
    /// lease it had.
    Put {
        /// The key.
        key: Bytes,
        /// The new value.
        value: Bytes,
        /// Attach the key to this lease (it must exist).
        lease: Option<LeaseId>,
    },
    /// Deletes the key; deleting an absent key changes nothing.
    Delete {
        /// The key.
        key: Bytes,
    },
}

impl Op {
    /// A put without lease.
    pub fn put(key: impl Into<Bytes>, value: impl Into<Bytes>) -> Self {
        Op::Put {
            key: key.into(),
            value: value.into(),
            lease: None,
        }
    }

    /// A put attaching the key to `lease`.
    pub fn put_with_lease(key: impl Into<Bytes>, value: impl Into<Bytes>, lease: LeaseId) -> Self {
        Op::Put {
            key: key.into(),
            value: value.into(),
            lease: Some(lease),
        }
    }

    /// A delete.
    pub fn delete(key: impl Into<Bytes>) -> Self {
        Op::Delete { key: key.into() }
    }

    /// The key written.
    pub fn key(&self) -> &Bytes {
        match self {
            Op::Put { key, .. } | Op::Delete { key } => key,
        }
    }
}

/// An atomic, conditional write: if every compare holds, all operations are applied at
/// one new revision; otherwise nothing is applied.
///
/// Each key may appear in at most one operation. A transaction whose operations change
/// nothing (no operations, or only deletes of absent keys) does not create a revision.
///
/// ```
/// use store::{Compare, Op, Txn};
/// // create-if-absent
/// let txn = Txn::new()
///     .when(Compare::mod_revision("/a", 0))
///     .then(Op::put("/a", "1"));
/// # let _ = txn;
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Txn {
    /// Conditions, all of which must hold.
    pub compares: Vec<Compare>,
    /// Operations applied when they do.
    pub ops: Vec<Op>,
}

impl Txn {
    /// An empty transaction.
    pub fn new() -> Self {
        Txn::default()
    }

    /// Adds a condition.
    pub fn when(mut self, compare: Compare) -> Self {
        self.compares.push(compare);
        self
    }

    /// Adds an operation.
    pub fn then(mut self, op: Op) -> Self {
        self.ops.push(op);
        self
    }
}

/// The first comparison of a transaction that did not hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompareFailure {
    /// Its position in [`Txn::compares`].
    pub index: usize,
    /// The key compared.
    pub key: Bytes,
    /// The key's current state (`None`: absent), to build a conflict answer without
    /// reading again.
    pub current: Option<KeyValue>,
}

impl CompareFailure {
    /// The key's current mod revision (0 when absent).
    pub fn current_mod_revision(&self) -> Revision {
        self.current.as_ref().map_or(0, |kv| kv.mod_revision)
    }
}

/// The outcome of a [`Txn`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TxnResponse {
    /// Every compare held and the operations were applied.
    Succeeded {
        /// The transaction's revision; the unchanged current revision when it changed nothing.
        revision: Revision,
        /// The state of each operation's key before the transaction (`None`: absent),
        /// in operation order.
        prev_kvs: Vec<Option<KeyValue>>,
    },
    /// A compare failed; nothing was applied.
    Failed {
        /// The current revision the compares were evaluated at.
        revision: Revision,
        /// The first compare that failed.
        failure: CompareFailure,
    },
}

impl TxnResponse {
    /// Whether the operations were applied.
    pub fn succeeded(&self) -> bool {
        matches!(self, TxnResponse::Succeeded { .. })
    }

    /// The revision of the transaction (success) or of the evaluation (failure).
    pub fn revision(&self) -> Revision {
        match self {
            TxnResponse::Succeeded { revision, .. } | TxnResponse::Failed { revision, .. } => {
                *revision
            }
        }
    }
}
