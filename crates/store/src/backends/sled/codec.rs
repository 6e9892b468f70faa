//! The on-disk encoding of key records and history entries.
//!
//! Integers are big-endian; byte strings are length-prefixed (u32). Every record starts
//! with a format byte. Decoding checks every length and fails with
//! [`KvError::Corrupt`], never panics.
//!
//! A key record holds the key's metadata and, in the first format, its value. The
//! writer now writes the second format, without the value: the value is in the
//! history entry of the key's `mod_revision` (see [`super::layout`]), so that each
//! write stores its value once. Records of the first format stay readable.

use std::collections::HashMap;

use bytes::Bytes;

use crate::kv::{EventKind, KeyValue, KvError, LeaseId, WatchEvent};

const FORMAT: u8 = 1;

/// The format of a key record whose value is in history.
const VALUE_IN_HISTORY: u8 = 2;

/// A decoded key record.
#[derive(Debug)]
pub(super) enum Record {
    /// The whole state of the key (a record of the first format).
    Inline(KeyValue),
    /// The key's state without its value (empty here), which is in the history entry
    /// of its `mod_revision`.
    InHistory(KeyValue),
}

/// Encodes a key's record, its value left in history (the key itself is the sled key).
pub(super) fn encode_record(kv: &KeyValue) -> Vec<u8> {
    let mut out = Vec::with_capacity(34);
    out.push(VALUE_IN_HISTORY);
    put_meta(&mut out, kv);
    out
}

/// Encodes a key's record with its value (the first format; for tests of old stores).
#[cfg(test)]
pub(super) fn encode_inline_record(kv: &KeyValue) -> Vec<u8> {
    let mut out = Vec::with_capacity(34 + kv.value.len());
    out.push(FORMAT);
    put_meta(&mut out, kv);
    out.extend_from_slice(&kv.value);
    out
}

/// Decodes a key's record.
pub(super) fn decode_record(key: Bytes, bytes: &[u8]) -> Result<Record, KvError> {
    let mut reader = Reader::new(bytes, "key record");
    match reader.u8()? {
        FORMAT => {
            let mut kv = reader.meta(key)?;
            kv.value = Bytes::copy_from_slice(reader.rest());
            Ok(Record::Inline(kv))
        }
        VALUE_IN_HISTORY => {
            let kv = reader.meta(key)?;
            if !reader.rest().is_empty() {
                return Err(reader.error("trailing bytes"));
            }
            Ok(Record::InHistory(kv))
        }
        other => Err(reader.error(&format!("unknown format {other}"))),
    }
}

/// The value `key` was put with in a history entry; `None` when the entry has no put
/// of it. Copies only that value.
pub(super) fn find_value(bytes: &[u8], key: &[u8]) -> Result<Option<Bytes>, KvError> {
    let mut reader = Reader::new(bytes, "history entry");
    reader.format()?;
    let count = reader.len()?;
    for _ in 0..count {
        let put = reader.u8()? == 0;
        let (event_key, value) = reader.skip_kv()?;
        if put && event_key == key {
            return Ok(Some(Bytes::copy_from_slice(value)));
        }
        if reader.u8()? == 1 {
            reader.skip_kv()?;
        }
    }
    Ok(None)
}

/// The values of the puts in a history entry, by key.
pub(super) fn put_values(bytes: &[u8]) -> Result<HashMap<&[u8], &[u8]>, KvError> {
    let mut reader = Reader::new(bytes, "history entry");
    reader.format()?;
    let count = reader.len()?;
    let mut puts = HashMap::with_capacity(count.min(bytes.len() / 40));
    for _ in 0..count {
        let put = reader.u8()? == 0;
        let (key, value) = reader.skip_kv()?;
        if put {
            puts.insert(key, value);
        }
        if reader.u8()? == 1 {
            reader.skip_kv()?;
        }
    }
    Ok(puts)
}

/// Bytes of a record's metadata before the lease flag.
const META_LEN_MIN: usize = 24;

/// Encodes the events of one revision.
pub(super) fn encode_events(events: &[WatchEvent]) -> Vec<u8> {
    let mut out = Vec::with_capacity(64 * events.len());
    out.push(FORMAT);
    put_len(&mut out, events.len());
    for event in events {
        out.push(match event.kind {
            EventKind::Put => 0,
            EventKind::Delete => 1,
        });
        put_kv(&mut out, &event.kv);
        match &event.prev_kv {
            Some(prev) => {
                out.push(1);
                put_kv(&mut out, prev);
            }
            None => out.push(0),
        }
    }
    out
}

/// Decodes the events of one revision.
pub(super) fn decode_events(bytes: &[u8]) -> Result<Vec<WatchEvent>, KvError> {
    let mut reader = Reader::new(bytes, "history entry");
    reader.format()?;
    let count = reader.len()?;
    // Each event takes at least 40 bytes: a count beyond that is corruption, not a
    // reason to allocate.
    let mut events = Vec::with_capacity(count.min(bytes.len() / 40));
    for _ in 0..count {
        let kind = match reader.u8()? {
            0 => EventKind::Put,
            1 => EventKind::Delete,
            other => return Err(reader.error(&format!("unknown event kind {other}"))),
        };
        let kv = reader.kv()?;
        let prev_kv = match reader.u8()? {
            0 => None,
            1 => Some(reader.kv()?),
            other => return Err(reader.error(&format!("bad previous-value flag {other}"))),
        };
        events.push(WatchEvent { kind, kv, prev_kv });
    }
    if !reader.rest().is_empty() {
        return Err(reader.error("trailing bytes"));
    }
    Ok(events)
}

/// Encodes a revision, lease id or other integer.
pub(super) fn encode_i64(value: i64) -> [u8; 8] {
    value.to_be_bytes()
}

/// Decodes an integer written by [`encode_i64`].
pub(super) fn decode_i64(bytes: &[u8], what: &'static str) -> Result<i64, KvError> {
    let array: [u8; 8] = bytes.try_into().map_err(|_| {
        KvError::corrupt(format!("{what}: expected 8 bytes, found {}", bytes.len()))
    })?;
    Ok(i64::from_be_bytes(array))
}

fn put_len(out: &mut Vec<u8>, len: usize) {
    // Keys and values are limited far below 4 GiB by request validation.
    out.extend_from_slice(&u32::try_from(len).unwrap_or(u32::MAX).to_be_bytes());
}

fn put_meta(out: &mut Vec<u8>, kv: &KeyValue) {
    out.extend_from_slice(&kv.create_revision.to_be_bytes());
    out.extend_from_slice(&kv.mod_revision.to_be_bytes());
    out.extend_from_slice(&kv.version.to_be_bytes());
    match kv.lease {
        Some(lease) => {
            out.push(1);
            out.extend_from_slice(&lease.0.to_be_bytes());
        }
        None => out.push(0),
    }
}

fn put_kv(out: &mut Vec<u8>, kv: &KeyValue) {
    put_len(out, kv.key.len());
    out.extend_from_slice(&kv.key);
    put_meta(out, kv);
    put_len(out, kv.value.len());
    out.extend_from_slice(&kv.value);
}

struct Reader<'a> {
    bytes: &'a [u8],
    what: &'static str,
}

impl<'a> Reader<'a> {
    fn new(bytes: &'a [u8], what: &'static str) -> Self {
        Reader { bytes, what }
    }

    fn error(&self, problem: &str) -> KvError {
        KvError::corrupt(format!("{}: {problem}", self.what))
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8], KvError> {
        if self.bytes.len() < n {
            return Err(self.error("truncated"));
        }
        let (head, tail) = self.bytes.split_at(n);
        self.bytes = tail;
        Ok(head)
    }

    fn rest(&self) -> &'a [u8] {
        self.bytes
    }

    fn u8(&mut self) -> Result<u8, KvError> {
        Ok(self.take(1)?[0])
    }

    fn len(&mut self) -> Result<usize, KvError> {
        let mut array = [0; 4];
        array.copy_from_slice(self.take(4)?);
        usize::try_from(u32::from_be_bytes(array)).map_err(|_| self.error("length out of range"))
    }

    fn i64(&mut self) -> Result<i64, KvError> {
        let mut array = [0; 8];
        array.copy_from_slice(self.take(8)?);
        Ok(i64::from_be_bytes(array))
    }

    fn format(&mut self) -> Result<(), KvError> {
        match self.u8()? {
            FORMAT => Ok(()),
            other => Err(self.error(&format!("unknown format {other}"))),
        }
    }

    fn meta(&mut self, key: Bytes) -> Result<KeyValue, KvError> {
        let create_revision = self.i64()?;
        let mod_revision = self.i64()?;
        let version = self.i64()?;
        let lease = match self.u8()? {
            0 => None,
            1 => Some(LeaseId(self.i64()?)),
            other => return Err(self.error(&format!("bad lease flag {other}"))),
        };
        Ok(KeyValue {
            key,
            value: Bytes::new(),
            create_revision,
            mod_revision,
            version,
            lease,
        })
    }

    /// Steps over an encoded `KeyValue`; returns its key and value.
    fn skip_kv(&mut self) -> Result<(&'a [u8], &'a [u8]), KvError> {
        let key_len = self.len()?;
        let key = self.take(key_len)?;
        self.take(META_LEN_MIN)?;
        match self.u8()? {
            0 => {}
            1 => {
                self.take(8)?;
            }
            other => return Err(self.error(&format!("bad lease flag {other}"))),
        }
        let value_len = self.len()?;
        Ok((key, self.take(value_len)?))
    }

    fn kv(&mut self) -> Result<KeyValue, KvError> {
        let key_len = self.len()?;
        let key = Bytes::copy_from_slice(self.take(key_len)?);
        let mut kv = self.meta(key)?;
        let value_len = self.len()?;
        kv.value = Bytes::copy_from_slice(self.take(value_len)?);
        Ok(kv)
    }
}

#[cfg(test)]
mod tests {
    use bytes::Bytes;
    use proptest::prelude::*;

    use super::*;

    fn kv(key: &'static str, value: &'static str, lease: Option<LeaseId>) -> KeyValue {
        KeyValue {
            key: Bytes::from_static(key.as_bytes()),
            value: Bytes::from_static(value.as_bytes()),
            create_revision: 3,
            mod_revision: 7,
            version: 2,
            lease,
        }
    }

    #[test]
    fn records_and_events_round_trip() {
        let record = kv("/a", "hello", Some(LeaseId(9)));
        let inline = decode_record(record.key.clone(), &encode_inline_record(&record));
        assert!(matches!(inline, Ok(Record::Inline(ref kv)) if *kv == record));
        let without_value = KeyValue {
            value: Bytes::new(),
            ..record.clone()
        };
        let in_history = decode_record(record.key.clone(), &encode_record(&record));
        assert!(matches!(in_history, Ok(Record::InHistory(ref kv)) if *kv == without_value));
        let events = vec![
            WatchEvent {
                kind: EventKind::Put,
                kv: record.clone(),
                prev_kv: Some(kv("/a", "before", None)),
            },
            WatchEvent {
                kind: EventKind::Delete,
                kv: KeyValue::tombstone(Bytes::from_static(b"/b"), 7),
                prev_kv: Some(kv("/b", "x", None)),
            },
        ];
        let entry = encode_events(&events);
        assert_eq!(decode_events(&entry).ok(), Some(events));
        // Only puts carry a value to find; a previous value is not one.
        assert_eq!(
            find_value(&entry, b"/a").ok(),
            Some(Some(Bytes::from_static(b"hello")))
        );
        assert_eq!(find_value(&entry, b"/b").ok(), Some(None));
        assert_eq!(find_value(&entry, b"/c").ok(), Some(None));
        let puts = put_values(&entry).expect("puts");
        assert_eq!(puts.len(), 1);
        assert_eq!(puts.get(&b"/a"[..]), Some(&&b"hello"[..]));
    }

    proptest! {
        #[test]
        fn garbage_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
            let _ = decode_events(&bytes);
            let _ = find_value(&bytes, b"/k");
            let _ = put_values(&bytes);
            let _ = decode_record(Bytes::from_static(b"k"), &bytes);
            let _ = decode_i64(&bytes, "meta");
        }

        #[test]
        fn truncation_is_an_error(cut in 0usize..60) {
            let events = vec![WatchEvent { kind: EventKind::Put, kv: kv("/k", "value", None), prev_kv: None }];
            let bytes = encode_events(&events);
            prop_assume!(cut < bytes.len());
            let truncated = matches!(decode_events(&bytes[..cut]), Err(KvError::Corrupt { .. }));
            prop_assert!(truncated);
        }
    }
}
