//! Transactions: the store's [`Txn`] as one etcd transaction, and its answer back.
//!
//! The compares map one to one (etcd also reads an absent key as mod revision 0 and
//! version 0, and fails a value compare on it). The success branch holds the puts and
//! deletes, each asking for the previous record. The failure branch reads every
//! compared key, so a failed transaction comes back with the keys' states at the very
//! revision the compares were evaluated at; the first compare that does not hold on
//! them is the one reported.

use etcd_client::proto::{PbResponseOp, PbTxnOpResponse, PbTxnResponse};
use etcd_client::{Compare as EtcdCompare, CompareOp, DeleteOptions, PutOptions, TxnOp};

use super::convert::{header_revision, key_value};
use crate::kv::{Compare, CompareFailure, KeyValue, KvError, Op, Txn, TxnResponse};

/// The etcd transaction for `txn` (validated by the caller).
pub(super) fn request(txn: &Txn) -> etcd_client::Txn {
    let compares: Vec<EtcdCompare> = txn
        .compares
        .iter()
        .map(|compare| match compare {
            Compare::ModRevision { key, revision } => {
                EtcdCompare::mod_revision(key.to_vec(), CompareOp::Equal, *revision)
            }
            Compare::Version { key, version } => {
                EtcdCompare::version(key.to_vec(), CompareOp::Equal, *version)
            }
            Compare::Value { key, value } => {
                EtcdCompare::value(key.to_vec(), CompareOp::Equal, value.to_vec())
            }
        })
        .collect();
    let ops: Vec<TxnOp> = txn
        .ops
        .iter()
        .map(|op| match op {
            Op::Put { key, value, lease } => {
                let mut options = PutOptions::new().with_prev_key();
                if let Some(lease) = lease {
                    options = options.with_lease(lease.0);
                }
                TxnOp::put(key.to_vec(), value.to_vec(), Some(options))
            }
            Op::Delete { key } => {
                TxnOp::delete(key.to_vec(), Some(DeleteOptions::new().with_prev_key()))
            }
        })
        .collect();
    let reads: Vec<TxnOp> = txn
        .compares
        .iter()
        .map(|compare| TxnOp::get(compare.key().to_vec(), None))
        .collect();
    etcd_client::Txn::new()
        .when(compares)
        .and_then(ops)
        .or_else(reads)
}

/// The store's answer for etcd's answer to [`request`]`(txn)`.
pub(super) fn response(txn: &Txn, response: PbTxnResponse) -> Result<TxnResponse, KvError> {
    let revision = header_revision(response.header.as_ref())?;
    if response.succeeded {
        if response.responses.len() != txn.ops.len() {
            return Err(KvError::corrupt(format!(
                "etcd answered {} operations of {}",
                response.responses.len(),
                txn.ops.len()
            )));
        }
        let prev_kvs = response
            .responses
            .into_iter()
            .map(previous)
            .collect::<Result<Vec<_>, _>>()?;
        return Ok(TxnResponse::Succeeded { revision, prev_kvs });
    }
    if response.responses.len() != txn.compares.len() {
        return Err(KvError::corrupt(format!(
            "etcd answered {} reads for {} compares",
            response.responses.len(),
            txn.compares.len()
        )));
    }
    let states = response
        .responses
        .into_iter()
        .map(read)
        .collect::<Result<Vec<_>, _>>()?;
    let failure = txn
        .compares
        .iter()
        .zip(states)
        .enumerate()
        .find(|(_, (compare, current))| !compare.holds(current.as_ref()))
        .map(|(index, (compare, current))| CompareFailure {
            index,
            key: compare.key().clone(),
            current,
        })
        .ok_or_else(|| KvError::corrupt("etcd failed a transaction whose compares all hold"))?;
    Ok(TxnResponse::Failed { revision, failure })
}

/// The previous record a put or delete answer carries.
fn previous(op: PbResponseOp) -> Result<Option<KeyValue>, KvError> {
    match op.response {
        Some(PbTxnOpResponse::ResponsePut(put)) => Ok(put.prev_kv.map(key_value)),
        Some(PbTxnOpResponse::ResponseDeleteRange(delete)) => {
            Ok(delete.prev_kvs.into_iter().next().map(key_value))
        }
        _ => Err(KvError::corrupt(
            "etcd answered a write with something else",
        )),
    }
}

/// The record a read of the failure branch found.
fn read(op: PbResponseOp) -> Result<Option<KeyValue>, KvError> {
    match op.response {
        Some(PbTxnOpResponse::ResponseRange(range)) => {
            Ok(range.kvs.into_iter().next().map(key_value))
        }
        _ => Err(KvError::corrupt("etcd answered a read with something else")),
    }
}

#[cfg(test)]
mod tests {
    use etcd_client::proto::{PbResponseHeader, PbTxnResponse};

    use super::response;
    use crate::kv::{Compare, KvError, Op, Txn};

    #[test]
    fn malformed_answers_are_errors() {
        let txn = Txn::new()
            .when(Compare::mod_revision("/a", 0))
            .then(Op::put("/a", "1"));
        let headless = PbTxnResponse::default();
        assert!(matches!(
            response(&txn, headless),
            Err(KvError::Corrupt { .. })
        ));
        let short = PbTxnResponse {
            header: Some(PbResponseHeader::default()),
            succeeded: true,
            responses: Vec::new(),
        };
        assert!(matches!(
            response(&txn, short),
            Err(KvError::Corrupt { .. })
        ));
        let empty_failure = PbTxnResponse {
            header: Some(PbResponseHeader::default()),
            succeeded: false,
            responses: Vec::new(),
        };
        assert!(matches!(
            response(&txn, empty_failure),
            Err(KvError::Corrupt { .. })
        ));
    }
}
