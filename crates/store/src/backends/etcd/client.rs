//! The connection to etcd shared by every call of one store: the client, retries of
//! calls that never reached a server, and the revision probes (current revision,
//! compacted revision) that etcd's API has no direct call for.

use std::future::Future;
use std::sync::atomic::{AtomicI64, Ordering};

use etcd_client::{Client, ConnectOptions, GetOptions};
use tokio::sync::watch;

use super::convert::{Failure, classify, header_revision, never_sent};
use super::options::EtcdOptions;
use crate::kv::{KvError, Revision};

/// The key revision probes read (only its count, never written by the store): the
/// smallest key etcd accepts.
const PROBE_KEY: &[u8] = &[0];

/// A connected etcd client and what the store knows about the cluster.
pub(super) struct Connection {
    client: Client,
    options: EtcdOptions,
    /// How many times a call is tried when it cannot even connect.
    attempts: usize,
    /// A lower bound of etcd's compacted revision: the highest one seen or compacted
    /// to. Compaction never goes back, so it only grows.
    compacted: AtomicI64,
    /// Dropped with the store: ends the watch tasks.
    shutdown: watch::Sender<()>,
}

impl Connection {
    /// Connects to the cluster at `endpoints` and checks that one of them answers.
    pub(super) async fn open(endpoints: &[String], options: EtcdOptions) -> Result<Self, KvError> {
        if endpoints.is_empty() {
            return Err(KvError::invalid("no etcd endpoint given"));
        }
        let connect = ConnectOptions::new()
            .with_timeout(options.request_timeout)
            .with_connect_timeout(options.connect_timeout)
            .with_keep_alive(options.keep_alive, options.keep_alive)
            .with_require_leader(options.require_leader);
        let client = Client::connect(endpoints, Some(connect))
            .await
            .map_err(|error| classify(error).into_error())?;
        let (shutdown, _) = watch::channel(());
        let connection = Connection {
            client,
            options,
            attempts: endpoints.len().saturating_mul(2).saturating_add(1),
            compacted: AtomicI64::new(0),
            shutdown,
        };
        connection.current_revision().await?;
        Ok(connection)
    }

    /// The settings.
    pub(super) fn options(&self) -> &EtcdOptions {
        &self.options
    }

    /// A client handle (cheap: handles share the connections).
    pub(super) fn client(&self) -> Client {
        self.client.clone()
    }

    /// A receiver whose `changed()` fails once the store is dropped.
    pub(super) fn shutdown(&self) -> watch::Receiver<()> {
        self.shutdown.subscribe()
    }

    /// Runs `call` with a client handle; when it fails without having reached a server
    /// (the endpoint picked refused the connection), tries again, so that a dead member
    /// costs no error while another answers.
    pub(super) async fn call<T, F, Fut>(&self, call: F) -> Result<T, Failure>
    where
        F: Fn(Client) -> Fut,
        Fut: Future<Output = Result<T, etcd_client::Error>>,
    {
        let mut attempt = 1;
        loop {
            match call(self.client.clone()).await {
                Ok(value) => return Ok(value),
                Err(error) if attempt < self.attempts && never_sent(&error) => {
                    tracing::debug!(attempt, %error, "etcd endpoint refused the connection, trying again");
                    attempt += 1;
                }
                Err(error) => return Err(classify(error)),
            }
        }
    }

    /// Counts the probe key at `revision` (0: the current one), a linearizable read that
    /// fails like any read at that revision; returns the header's current revision.
    pub(super) async fn probe(&self, revision: Revision) -> Result<Revision, Failure> {
        let response = self
            .call(|mut client| async move {
                let options = GetOptions::new().with_count_only().with_revision(revision);
                client.get(PROBE_KEY, Some(options)).await
            })
            .await?;
        header_revision(response.0.header.as_ref()).map_err(Failure::Other)
    }

    /// The revision of the latest write.
    pub(super) async fn current_revision(&self) -> Result<Revision, KvError> {
        self.probe(0).await.map_err(Failure::into_error)
    }

    /// The oldest readable revision: the smallest `r` at which a read succeeds, found by
    /// bisection between what is known and the current revision (etcd reports no
    /// compacted revision to reads). 0 when revision 1, etcd's first, is readable.
    pub(super) async fn compacted_revision(&self) -> Result<Revision, KvError> {
        let known = self.compacted.load(Ordering::Acquire);
        let lowest = known.max(1);
        if self.readable(lowest).await? {
            return Ok(known);
        }
        // Unreadable at `lowest`, readable at the current revision: bisect.
        let (mut unreadable, mut readable) = (lowest, self.current_revision().await?);
        while readable - unreadable > 1 {
            let middle = unreadable + (readable - unreadable) / 2;
            if self.readable(middle).await? {
                readable = middle;
            } else {
                unreadable = middle;
            }
        }
        self.note_compacted(readable);
        Ok(readable)
    }

    /// Whether a read at `revision` succeeds.
    async fn readable(&self, revision: Revision) -> Result<bool, KvError> {
        match self.probe(revision).await {
            Ok(_) => Ok(true),
            Err(Failure::Compacted) => Ok(false),
            Err(other) => Err(other.into_error()),
        }
    }

    /// Records that history up to `revision` is compacted.
    pub(super) fn note_compacted(&self, revision: Revision) {
        self.compacted.fetch_max(revision, Ordering::AcqRel);
    }

    /// [`KvError::Compacted`] for a request at `requested`, with the compacted
    /// revision read now (or the error reading it).
    pub(super) async fn compacted_error(&self, requested: Revision) -> KvError {
        match self.compacted_revision().await {
            Ok(compacted) => KvError::Compacted {
                requested,
                compacted,
            },
            Err(error) => error,
        }
    }

    /// [`KvError::FutureRevision`] for a request at `requested`, with the current
    /// revision read now (or the error reading it).
    pub(super) async fn future_error(&self, requested: Revision) -> KvError {
        match self.current_revision().await {
            Ok(current) => KvError::FutureRevision { requested, current },
            Err(error) => error,
        }
    }

    /// The error for a failed read or watch at `requested`.
    pub(super) async fn revision_error(&self, requested: Revision, failure: Failure) -> KvError {
        match failure {
            Failure::Compacted => self.compacted_error(requested).await,
            Failure::FutureRevision => self.future_error(requested).await,
            other => other.into_error(),
        }
    }
}
