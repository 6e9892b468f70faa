//! Settings of [`EtcdStore`](crate::EtcdStore).

use std::time::Duration;

/// Settings of an [`EtcdStore`](crate::EtcdStore): client timeouts, the watch buffer,
/// how long a broken watch keeps trying to come back.
///
/// ```
/// use std::time::Duration;
/// use store::EtcdOptions;
/// let options = EtcdOptions::default()
///     .watch_buffer(256)
///     .request_timeout(Duration::from_secs(5))
///     .watch_retry(Duration::from_secs(30));
/// # let _ = options;
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EtcdOptions {
    pub(super) watch_buffer: usize,
    pub(super) request_timeout: Duration,
    pub(super) connect_timeout: Duration,
    pub(super) keep_alive: Duration,
    pub(super) watch_retry: Duration,
    pub(super) require_leader: bool,
    pub(super) max_response: usize,
}

impl Default for EtcdOptions {
    fn default() -> Self {
        EtcdOptions {
            watch_buffer: 1024,
            request_timeout: Duration::from_secs(10),
            connect_timeout: Duration::from_secs(5),
            keep_alive: Duration::from_secs(10),
            watch_retry: Duration::from_secs(60),
            require_leader: true,
            max_response: 256 * 1024 * 1024,
        }
    }
}

impl EtcdOptions {
    /// How many etcd watch responses a watcher may have received but not yet consumed
    /// before it is cut off with [`KvError::WatchLagged`](crate::KvError::WatchLagged).
    /// A watcher that keeps up gets one response per revision, so this is
    /// [`StoreOptions::watch_buffer`](crate::StoreOptions::watch_buffer) of the built-in
    /// backends; a catch-up from history comes in responses of up to 1,000 revisions,
    /// each counting once. Default 1024; clamped to 1 ..= 1,000,000.
    pub fn watch_buffer(mut self, revisions: usize) -> Self {
        self.watch_buffer = revisions.clamp(1, 1_000_000);
        self
    }

    /// Deadline of each unary request (get, range, txn, compact, lease calls); one that
    /// runs out fails with [`KvError::Unavailable`](crate::KvError::Unavailable), its
    /// outcome unknown. Default 10 s; at least 1 ms.
    pub fn request_timeout(mut self, timeout: Duration) -> Self {
        self.request_timeout = timeout.max(Duration::from_millis(1));
        self
    }

    /// Deadline of each attempt to open a connection to an endpoint. Default 5 s; at
    /// least 1 ms.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout.max(Duration::from_millis(1));
        self
    }

    /// Interval of the HTTP/2 pings that detect a dead connection while requests or
    /// watches are open (a ping unanswered for as long fails the connection). Default
    /// 10 s; at least 5 s, etcd's default `--grpc-keepalive-min-time`: a client pinging
    /// more often gets its connection closed.
    pub fn keep_alive(mut self, interval: Duration) -> Self {
        self.keep_alive = interval.max(Duration::from_secs(5));
        self
    }

    /// How long a watch whose connection broke keeps trying to re-establish itself
    /// before it ends with [`KvError::Unavailable`](crate::KvError::Unavailable).
    /// Default 60 s.
    pub fn watch_retry(mut self, window: Duration) -> Self {
        self.watch_retry = window;
        self
    }

    /// Whether requests and watches need the contacted member to have a leader (etcd's
    /// `hasleader` metadata): a member cut off from the cluster then refuses them
    /// instead of serving stale data or a silent watch. Default `true`.
    pub fn require_leader(mut self, required: bool) -> Self {
        self.require_leader = required;
        self
    }

    /// Largest answer accepted from etcd, in bytes: a range over many keys, a
    /// transaction's previous values, a watch's catch-up from history (up to 1,000
    /// revisions in one message). Default 256 MiB (the gRPC default of 4 MiB is too
    /// small for a full listing); at least 4 MiB.
    pub fn max_response_size(mut self, bytes: usize) -> Self {
        self.max_response = bytes.max(4 * 1024 * 1024);
        self
    }

    /// The watch buffer, in etcd responses (revisions, for a watcher that keeps up).
    pub fn watch_buffer_len(&self) -> usize {
        self.watch_buffer
    }
}
