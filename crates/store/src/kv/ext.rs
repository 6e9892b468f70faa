//! Convenience writes built on [`KvStore::txn`].

use async_trait::async_trait;
use bytes::Bytes;

use super::error::KvError;
use super::store::KvStore;
use super::txn::{Compare, Op, Txn, TxnResponse};
use super::types::{LeaseId, Revision};

/// Create, update, delete and put, each one transaction. Implemented for every
/// [`KvStore`], `dyn KvStore` included.
///
/// ```
/// # async fn demo(store: &dyn store::KvStore) -> Result<(), store::KvError> {
/// use store::KvStoreExt;
/// let created = store.create("/a", "1", None).await?;
/// let updated = store.update("/a", "2", created).await?;
/// store.delete("/a", Some(updated)).await?;
/// # Ok(()) }
/// ```
#[async_trait]
pub trait KvStoreExt: KvStore {
    /// Creates the key if it is absent; returns the new revision. Fails with
    /// [`KvError::AlreadyExists`] otherwise.
    async fn create(
        &self,
        key: impl Into<Bytes> + Send,
        value: impl Into<Bytes> + Send,
        lease: Option<LeaseId>,
    ) -> Result<Revision, KvError> {
        let key = key.into();
        let txn = Txn::new()
            .when(Compare::mod_revision(key.clone(), 0))
            .then(Op::Put {
                key: key.clone(),
                value: value.into(),
                lease,
            });
        match self.txn(txn).await? {
            TxnResponse::Succeeded { revision, .. } => Ok(revision),
            TxnResponse::Failed { failure, .. } => Err(KvError::AlreadyExists {
                key,
                mod_revision: failure.current_mod_revision(),
            }),
        }
    }

    /// Replaces the value of a key whose mod revision is `expected`; returns the new
    /// revision. Fails with [`KvError::NotFound`] when the key is absent and
    /// [`KvError::Conflict`] when its revision differs. The key keeps no lease.
    /// `expected` must be positive.
    async fn update(
        &self,
        key: impl Into<Bytes> + Send,
        value: impl Into<Bytes> + Send,
        expected: Revision,
    ) -> Result<Revision, KvError> {
        if expected <= 0 {
            return Err(KvError::invalid(
                "expected revision must be positive (use create)",
            ));
        }
        let key = key.into();
        let txn = Txn::new()
            .when(Compare::mod_revision(key.clone(), expected))
            .then(Op::put(key.clone(), value));
        conditional_outcome(self.txn(txn).await?, key)
    }

    /// Deletes a key, only if its mod revision is `expected` when given; returns the
    /// deletion's revision. Fails with [`KvError::NotFound`] when the key is absent and
    /// [`KvError::Conflict`] when its revision differs.
    async fn delete(
        &self,
        key: impl Into<Bytes> + Send,
        expected: Option<Revision>,
    ) -> Result<Revision, KvError> {
        let key = key.into();
        let mut txn = Txn::new().then(Op::delete(key.clone()));
        if let Some(expected) = expected {
            if expected <= 0 {
                return Err(KvError::invalid("expected revision must be positive"));
            }
            txn = txn.when(Compare::mod_revision(key.clone(), expected));
        }
        match self.txn(txn).await? {
            TxnResponse::Succeeded { prev_kvs, .. }
                if prev_kvs.first().is_some_and(Option::is_none) =>
            {
                Err(KvError::NotFound { key })
            }
            response => conditional_outcome(response, key),
        }
    }

    /// Writes the key unconditionally, without lease; returns the new revision.
    async fn put(
        &self,
        key: impl Into<Bytes> + Send,
        value: impl Into<Bytes> + Send,
    ) -> Result<Revision, KvError> {
        Ok(self
            .txn(Txn::new().then(Op::put(key, value)))
            .await?
            .revision())
    }
}

impl<S: KvStore + ?Sized> KvStoreExt for S {}

/// Maps the outcome of a mod-revision-guarded write onto the convenience errors.
fn conditional_outcome(response: TxnResponse, key: Bytes) -> Result<Revision, KvError> {
    match response {
        TxnResponse::Succeeded { revision, .. } => Ok(revision),
        TxnResponse::Failed { failure, .. } => match failure.current {
            None => Err(KvError::NotFound { key }),
            Some(kv) => Err(KvError::Conflict {
                key,
                current_mod_revision: kv.mod_revision,
            }),
        },
    }
}
