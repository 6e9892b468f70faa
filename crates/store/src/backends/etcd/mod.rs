//! The etcd backend: [`EtcdStore`], the [`KvStore`] of a real etcd v3 cluster (etcd
//! 3.4 and later), behind the cargo feature `etcd`. How the store's semantics map onto
//! etcd's is documented on [`EtcdStore`].
//!
//! Layout: `client` holds the connection (retries, revision probes), `convert` the
//! translations of keys, records and errors, `txn` the transaction mapping, `watch`
//! the watch tasks, `options` the settings.

mod client;
mod convert;
mod options;
mod txn;
mod watch;

use std::fmt;
use std::time::Duration;

use async_trait::async_trait;
use bytes::Bytes;
use etcd_client::{CompactionOptions, GetOptions};

use self::client::Connection;
use self::convert::{Failure, KeyRange, count, header_revision, key_value};
pub use self::options::EtcdOptions;
use crate::engine::{validate_key, validate_ttl, validate_txn};
use crate::kv::{
    KeyValue, KvError, KvStore, LeaseId, Op, RangeRequest, RangeResponse, Revision, Txn,
    TxnResponse, WatchStream,
};

/// A [`KvStore`] backed by an etcd v3 cluster (etcd 3.4 or later).
///
/// ```no_run
/// # async fn demo() -> Result<(), store::KvError> {
/// use store::{EtcdOptions, EtcdStore, KvStore, KvStoreExt};
/// let endpoints = ["http://127.0.0.1:2379".to_owned()];
/// let store = EtcdStore::connect(&endpoints, EtcdOptions::default()).await?;
/// let revision = store.put("/registry/pods/default/web", "v1").await?;
/// # let _ = revision; Ok(()) }
/// ```
///
/// Must be used inside a tokio runtime (watches run a task each). Dropping the store
/// ends its watches.
///
/// # Semantics mapping
///
/// - **Revisions** are etcd's: the header revision of each answer. An empty etcd
///   cluster is at revision 1, so its first write is revision 2. `create_revision`,
///   `mod_revision`, `version` and the lease come from etcd's records unchanged.
/// - **Transactions** are one etcd transaction: the compares (mod revision 0 and
///   version 0 mean "absent" in etcd too), the puts and deletes with their previous
///   records, and in the failure branch a read of every compared key, so the state a
///   failed transaction reports is the one its compares saw, atomically.
/// - **Ranges** read `[max(prefix, start_after + "\0"), prefix end)`; etcd's count is
///   the store's (keys after the continuation, limit ignored). Reads at a past
///   revision map etcd's "required revision has been compacted" to
///   [`KvError::Compacted`] and "required revision is a future revision" to
///   [`KvError::FutureRevision`]. etcd does not report its compacted revision; the
///   store finds it by bisection with count-only reads (one read when nothing was
///   compacted since the last look).
/// - **Watches** ask etcd for the previous records and regroup its events one item per
///   revision. etcd's start revision is inclusive: the store starts at `after` itself and
///   drops the events at `after`, which makes etcd refuse exactly the starts the store
///   must refuse (below the compacted revision). Each watch has a bounded buffer
///   ([`EtcdOptions::watch_buffer`]); a consumer that falls behind gets
///   [`KvError::WatchLagged`] as with the built-in backends.
/// - **Compaction** is etcd's compaction, not physical (the call returns once etcd has
///   recorded it; freeing the space happens in the background). etcd's own automatic
///   compaction (`--auto-compaction-*`) is configured on the server, not here.
/// - **Leases** are etcd's: TTLs in whole seconds, rounded up (etcd may also raise a
///   TTL to its minimum); expiry runs on etcd's clock, not tokio's. A revoke returns
///   the revision of the deletes, read from the answer's header.
/// - **Limits**: keys, values and transactions are checked against the same limits as
///   the built-in backends; etcd's own are lower by default (`--max-txn-ops` 128,
///   `--max-request-bytes` 1.5 MiB) and requests beyond them fail with
///   [`KvError::InvalidRequest`].
///
/// # Errors and reconnection
///
/// Every etcd or gRPC error becomes a typed [`KvError`]: connection problems, timeouts,
/// "no leader" and the like are [`KvError::Unavailable`] (the outcome of a write that
/// failed so is unknown). The client reconnects by itself: after a member or the whole
/// cluster restarts, calls fail with `Unavailable` until an endpoint answers again,
/// then work. A call whose connection could not even be opened is tried again at once
/// on another endpoint, so a dead member of a cluster costs no error while another
/// member answers.
///
/// A watch whose connection breaks re-establishes itself from the last revision it
/// delivered, with backoff, for up to [`EtcdOptions::watch_retry`]: the stream stays
/// gap-free and duplicate-free across restarts and member failures. If history was
/// compacted past that revision in the meantime it ends with [`KvError::Compacted`];
/// if etcd stays unreachable for the whole window it ends with
/// [`KvError::Unavailable`], and watching again from the last revision received
/// resumes without loss.
///
/// # What differs from the built-in backends
///
/// Revisions start at 1 and other clients of the cluster write too, so revisions seen
/// by one store need not be consecutive. Lease expiry follows etcd's clock. Every call
/// is a network round trip; `compacted_revision` may take several.
pub struct EtcdStore {
    connection: Connection,
}

impl fmt::Debug for EtcdStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EtcdStore")
            .field("options", self.connection.options())
            .finish_non_exhaustive()
    }
}

impl EtcdStore {
    /// Connects to the etcd cluster at `endpoints` (URLs such as
    /// `http://127.0.0.1:2379`, or `host:port`); requests are balanced over them.
    /// Fails with [`KvError::Unavailable`] when no endpoint answers a first read, and
    /// [`KvError::InvalidRequest`] for an empty or malformed endpoint list.
    pub async fn connect(endpoints: &[String], options: EtcdOptions) -> Result<Self, KvError> {
        Ok(EtcdStore {
            connection: Connection::open(endpoints, options).await?,
        })
    }

    /// The lease that made a transaction fail with "lease not found": the only one it
    /// uses, or the first one etcd does not know.
    async fn missing_lease(&self, txn: &Txn) -> KvError {
        let mut leases: Vec<LeaseId> = Vec::new();
        for op in &txn.ops {
            if let Op::Put {
                lease: Some(lease), ..
            } = op
            {
                if !leases.contains(lease) {
                    leases.push(*lease);
                }
            }
        }
        if leases.len() > 1 {
            for lease in &leases {
                let id = lease.0;
                let answer = self
                    .connection
                    .call(|mut client| async move { client.lease_time_to_live(id, None).await })
                    .await;
                if matches!(answer, Ok(ref response) if response.0.ttl < 0) {
                    return KvError::LeaseNotFound { lease: *lease };
                }
            }
        }
        match leases.first() {
            Some(lease) => KvError::LeaseNotFound { lease: *lease },
            None => KvError::corrupt("etcd reported a missing lease for a transaction without one"),
        }
    }
}

#[async_trait]
impl KvStore for EtcdStore {
    async fn get(&self, key: &[u8]) -> Result<Option<KeyValue>, KvError> {
        validate_key(key)?;
        let key = key.to_vec();
        let limit = self.connection.options().max_response;
        let response = self
            .connection
            .call(|client| {
                let key = key.clone();
                let mut kv = client.kv_client().max_decoding_message_size(limit);
                async move { kv.get(key, None).await }
            })
            .await
            .map_err(Failure::into_error)?;
        Ok(response.0.kvs.into_iter().next().map(key_value))
    }

    async fn range(&self, request: RangeRequest) -> Result<RangeResponse, KvError> {
        let at = match request.revision {
            Some(revision) if revision < 0 => {
                return Err(KvError::invalid("read revision must not be negative"));
            }
            // etcd's history starts at revision 1, as empty as revision 0.
            Some(revision) => revision.max(1),
            None => 0,
        };
        let mut range = KeyRange::prefix(&request.prefix);
        if let Some(after) = &request.start_after {
            range = range.after(after);
        }
        let limit = i64::try_from(request.limit).unwrap_or(i64::MAX);
        let empty = range.is_empty();
        let max_response = self.connection.options().max_response;
        let response = self
            .connection
            .call(|client| {
                let range = range.clone();
                let mut kv = client.kv_client().max_decoding_message_size(max_response);
                async move {
                    let options = GetOptions::new().with_revision(at);
                    if empty {
                        // Nothing can match: only check the revision.
                        kv.get(range.start, Some(options.with_count_only())).await
                    } else {
                        let options = options.with_range(range.end).with_limit(limit);
                        kv.get(range.start, Some(options)).await
                    }
                }
            })
            .await;
        let response = match response {
            Ok(response) => response.0,
            Err(failure) => {
                let requested = request.revision.unwrap_or(at);
                return Err(self.connection.revision_error(requested, failure).await);
            }
        };
        let revision = header_revision(response.header.as_ref())?;
        if empty {
            return Ok(RangeResponse {
                kvs: Vec::new(),
                more: false,
                revision: request.revision.unwrap_or(revision),
                count: 0,
            });
        }
        Ok(RangeResponse {
            kvs: response.kvs.into_iter().map(key_value).collect(),
            more: response.more,
            revision: request.revision.unwrap_or(revision),
            count: count(response.count)?,
        })
    }

    async fn txn(&self, txn: Txn) -> Result<TxnResponse, KvError> {
        validate_txn(&txn)?;
        let request = txn::request(&txn);
        let limit = self.connection.options().max_response;
        let response = self
            .connection
            .call(|client| {
                let request = request.clone();
                let mut kv = client.kv_client().max_decoding_message_size(limit);
                async move { kv.txn(request).await }
            })
            .await;
        match response {
            Ok(response) => txn::response(&txn, response.0),
            Err(Failure::LeaseNotFound) => Err(self.missing_lease(&txn).await),
            Err(other) => Err(other.into_error()),
        }
    }

    async fn watch(&self, prefix: Bytes, after: Revision) -> Result<WatchStream, KvError> {
        if after < 0 {
            return Err(KvError::invalid("watch revision must not be negative"));
        }
        // A read at `after` fails exactly when the watch must: compacted or future.
        let current = match self.connection.probe(after.max(1)).await {
            Ok(current) => current,
            Err(failure) => return Err(self.connection.revision_error(after, failure).await),
        };
        watch::start(
            self.connection.client(),
            self.connection.options(),
            self.connection.shutdown(),
            &prefix,
            after,
            current,
        )
    }

    async fn compact(&self, revision: Revision) -> Result<(), KvError> {
        if revision <= 0 {
            return Err(self.connection.compacted_error(revision).await);
        }
        let result = self
            .connection
            .call(|mut client| async move {
                client
                    .compact(revision, Some(CompactionOptions::new()))
                    .await
            })
            .await;
        match result {
            Ok(_) => {
                self.connection.note_compacted(revision);
                Ok(())
            }
            Err(failure) => Err(self.connection.revision_error(revision, failure).await),
        }
    }

    async fn current_revision(&self) -> Result<Revision, KvError> {
        self.connection.current_revision().await
    }

    async fn compacted_revision(&self) -> Result<Revision, KvError> {
        self.connection.compacted_revision().await
    }

    async fn lease_grant(&self, ttl: Duration) -> Result<LeaseId, KvError> {
        validate_ttl(ttl)?;
        let whole = ttl
            .as_secs()
            .saturating_add(u64::from(ttl.subsec_nanos() > 0));
        let seconds = i64::try_from(whole).unwrap_or(i64::MAX);
        let response = self
            .connection
            .call(|mut client| async move { client.lease_grant(seconds, None).await })
            .await
            .map_err(Failure::into_error)?;
        if !response.0.error.is_empty() {
            return Err(KvError::invalid(format!(
                "etcd refused the lease: {}",
                response.0.error
            )));
        }
        Ok(LeaseId(response.0.id))
    }

    async fn lease_keep_alive(&self, lease: LeaseId) -> Result<Duration, KvError> {
        let id = lease.0;
        let result = self
            .connection
            .call(|mut client| async move {
                // Opening the stream renews once; the second renewal answers the TTL.
                let (mut keeper, mut responses) = client.lease_keep_alive(id).await?;
                keeper.keep_alive().await?;
                responses.message().await
            })
            .await;
        match result {
            Ok(Some(response)) if response.0.ttl > 0 => {
                Ok(Duration::from_secs(response.0.ttl.unsigned_abs()))
            }
            Ok(Some(_)) | Err(Failure::LeaseNotFound) => Err(KvError::LeaseNotFound { lease }),
            Ok(None) => Err(KvError::unavailable("etcd closed the keep-alive stream")),
            Err(other) => Err(other.into_error()),
        }
    }

    async fn lease_revoke(&self, lease: LeaseId) -> Result<Revision, KvError> {
        let id = lease.0;
        let result = self
            .connection
            .call(|mut client| async move { client.lease_revoke(id).await })
            .await;
        match result {
            Ok(response) => header_revision(response.0.header.as_ref()),
            Err(Failure::LeaseNotFound) => Err(KvError::LeaseNotFound { lease }),
            Err(other) => Err(other.into_error()),
        }
    }
}
