//! Translation between the store's types and etcd's: key ranges, records, errors.

use std::error::Error as StdError;

use bytes::Bytes;
use etcd_client::proto::{PbKeyValue, PbResponseHeader};

use crate::kv::{KeyValue, KvError, LeaseId, Revision};

/// The smallest key etcd accepts (it refuses empty keys): ranges over every key start here.
const FIRST_KEY: u8 = 0;

/// A range end of a single zero byte: etcd's "up to the end of the key space".
const TO_THE_END: &[u8] = &[0];

/// A half-open key interval `[start, end)` in etcd's encoding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct KeyRange {
    /// The first key (inclusive).
    pub(super) start: Vec<u8>,
    /// The end (exclusive); `[0]` for the end of the key space.
    pub(super) end: Vec<u8>,
}

impl KeyRange {
    /// Every key starting with `prefix` (every key for an empty prefix).
    pub(super) fn prefix(prefix: &[u8]) -> Self {
        let start = if prefix.is_empty() {
            vec![FIRST_KEY]
        } else {
            prefix.to_vec()
        };
        KeyRange {
            start,
            end: prefix_end(prefix),
        }
    }

    /// Narrows the range to keys strictly greater than `key`: the smallest such key is
    /// `key` followed by a zero byte.
    pub(super) fn after(mut self, key: &[u8]) -> Self {
        let mut next = Vec::with_capacity(key.len() + 1);
        next.extend_from_slice(key);
        next.push(0);
        if next > self.start {
            self.start = next;
        }
        self
    }

    /// Whether no key can be in the range (etcd does not accept such a range).
    pub(super) fn is_empty(&self) -> bool {
        self.end != TO_THE_END && self.start >= self.end
    }
}

/// The smallest key greater than every key starting with `prefix`: the prefix with its
/// last byte below 0xff incremented and what follows dropped; `[0]` (the end of the key
/// space) when there is none.
pub(super) fn prefix_end(prefix: &[u8]) -> Vec<u8> {
    let mut end = prefix.to_vec();
    while let Some(last) = end.pop() {
        if last < u8::MAX {
            end.push(last + 1);
            return end;
        }
    }
    TO_THE_END.to_vec()
}

/// An etcd record as the store's [`KeyValue`] (lease 0 is "no lease").
pub(super) fn key_value(kv: PbKeyValue) -> KeyValue {
    KeyValue {
        key: Bytes::from(kv.key),
        value: Bytes::from(kv.value),
        create_revision: kv.create_revision,
        mod_revision: kv.mod_revision,
        version: kv.version,
        lease: (kv.lease != 0).then_some(LeaseId(kv.lease)),
    }
}

/// The revision in a response header; a response without one is malformed.
pub(super) fn header_revision(header: Option<&PbResponseHeader>) -> Result<Revision, KvError> {
    header
        .map(|header| header.revision)
        .ok_or_else(|| KvError::corrupt("etcd response without a header"))
}

/// A count reported by etcd as a `usize`.
pub(super) fn count(count: i64) -> Result<usize, KvError> {
    usize::try_from(count).map_err(|_| KvError::corrupt(format!("etcd reported count {count}")))
}

/// What an etcd call failed with, before the caller adds what it knows (the revision or
/// lease asked for) to make it a [`KvError`].
#[derive(Debug)]
pub(super) enum Failure {
    /// "required revision has been compacted".
    Compacted,
    /// "required revision is a future revision".
    FutureRevision,
    /// "requested lease not found" (or a keep-alive answered with TTL 0).
    LeaseNotFound,
    /// Anything else, already typed.
    Other(KvError),
}

impl Failure {
    /// The error for a call that can fail neither on revisions nor on leases.
    pub(super) fn into_error(self) -> KvError {
        match self {
            Failure::Other(error) => error,
            Failure::Compacted => KvError::corrupt("etcd reported an unexpected compaction"),
            Failure::FutureRevision => {
                KvError::corrupt("etcd reported an unexpected future revision")
            }
            Failure::LeaseNotFound => KvError::corrupt("etcd reported an unexpected lease"),
        }
    }
}

// gRPC status codes (fixed by the gRPC protocol).
const CANCELLED: i32 = 1;
const UNKNOWN: i32 = 2;
const INVALID_ARGUMENT: i32 = 3;
const DEADLINE_EXCEEDED: i32 = 4;
const NOT_FOUND: i32 = 5;
const PERMISSION_DENIED: i32 = 7;
const FAILED_PRECONDITION: i32 = 9;
const ABORTED: i32 = 10;
const OUT_OF_RANGE: i32 = 11;
const UNAVAILABLE: i32 = 14;
const UNAUTHENTICATED: i32 = 16;

/// Classifies an etcd client error. etcd reports its own errors as gRPC statuses with
/// fixed messages (`etcdserver: ...`); connection problems become
/// [`KvError::Unavailable`].
pub(super) fn classify(error: etcd_client::Error) -> Failure {
    use etcd_client::Error;
    match error {
        Error::GRpcStatus(status) => {
            let code = i32::from(status.code());
            let message = status.message();
            if message.contains("required revision has been compacted") {
                Failure::Compacted
            } else if message.contains("required revision is a future revision") {
                Failure::FutureRevision
            } else if message.contains("requested lease not found") {
                Failure::LeaseNotFound
            } else {
                Failure::Other(match code {
                    CANCELLED | UNKNOWN | DEADLINE_EXCEEDED | ABORTED | UNAVAILABLE
                    | PERMISSION_DENIED | UNAUTHENTICATED => KvError::unavailable(format!(
                        "etcd: {}",
                        describe(message, status.source())
                    )),
                    INVALID_ARGUMENT | OUT_OF_RANGE | FAILED_PRECONDITION | NOT_FOUND => {
                        KvError::invalid(format!("etcd refused the request: {message}"))
                    }
                    // "database space exceeded" and the rest: the server failed.
                    _ => KvError::storage(status),
                })
            }
        }
        Error::LeaseKeepAliveError(message) if message.contains("lease not found") => {
            Failure::LeaseNotFound
        }
        Error::TransportError(error) => {
            let text = describe(&error.to_string(), error.source());
            Failure::Other(KvError::unavailable(format!("etcd: {text}")))
        }
        Error::IoError(error) => Failure::Other(KvError::unavailable(format!("etcd: {error}"))),
        Error::WatchError(message) | Error::LeaseKeepAliveError(message) => {
            Failure::Other(KvError::unavailable(format!("etcd stream: {message}")))
        }
        Error::InvalidArgs(message) | Error::EndpointError(message) => {
            Failure::Other(KvError::invalid(format!("etcd client: {message}")))
        }
        Error::InvalidUri(error) => {
            Failure::Other(KvError::invalid(format!("invalid etcd endpoint: {error}")))
        }
        other => Failure::Other(KvError::storage(other)),
    }
}

/// Whether a failed call certainly never reached a server: the connection to the
/// endpoint chosen was refused. Such a call is safe to try again on another endpoint,
/// even a write.
pub(super) fn never_sent(error: &etcd_client::Error) -> bool {
    use etcd_client::Error;
    // The client's error type reports no source: start from what it wraps.
    let mut source: Option<&(dyn StdError + 'static)> = match error {
        Error::GRpcStatus(status) => Some(status),
        Error::TransportError(error) => Some(error),
        Error::IoError(error) => Some(error),
        _ => None,
    };
    while let Some(current) = source {
        if let Some(io) = current.downcast_ref::<std::io::Error>() {
            return io.kind() == std::io::ErrorKind::ConnectionRefused;
        }
        source = current.source();
    }
    false
}

/// A message followed by the distinct messages of the chain of causes.
fn describe(message: &str, mut source: Option<&(dyn StdError + 'static)>) -> String {
    let mut text = message.to_owned();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use std::io::{Error, ErrorKind};

    use super::{KeyRange, never_sent, prefix_end};

    #[test]
    fn only_refused_connections_count_as_never_sent() {
        let refused = etcd_client::Error::IoError(Error::from(ErrorKind::ConnectionRefused));
        assert!(never_sent(&refused));
        let reset = etcd_client::Error::IoError(Error::from(ErrorKind::ConnectionReset));
        assert!(!never_sent(&reset));
        assert!(!never_sent(&etcd_client::Error::WatchError(
            "closed".into()
        )));
    }

    #[test]
    fn prefix_ends() {
        assert_eq!(prefix_end(b"/a/"), b"/a0".to_vec());
        assert_eq!(prefix_end(b"a\xff\xff"), b"b".to_vec());
        assert_eq!(prefix_end(b"\xff"), vec![0]);
        assert_eq!(prefix_end(b""), vec![0]);
    }

    #[test]
    fn ranges_with_continuation() {
        let all = KeyRange::prefix(b"");
        assert_eq!(
            (all.start.as_slice(), all.end.as_slice()),
            (&[0u8][..], &[0u8][..])
        );
        assert!(!all.is_empty());
        let page = KeyRange::prefix(b"/p/").after(b"/p/7");
        assert_eq!(page.start, b"/p/7\0".to_vec());
        assert!(!page.is_empty());
        assert_eq!(KeyRange::prefix(b"/p/").after(b"/a").start, b"/p/".to_vec());
        assert!(KeyRange::prefix(b"/p/").after(b"/q").is_empty());
        assert!(!KeyRange::prefix(b"\xff").after(b"\xff\xff").is_empty());
    }
}
