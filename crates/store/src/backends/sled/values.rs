//! Reading values kept in history: a key record points to the history entry of its
//! `mod_revision` (see [`super::codec`]).
//!
//! A point read looks the entry up. A scan resolves its records a chunk at a time:
//! when the entries a chunk needs lie close together (a list of keys written one
//! after the other, the common case), it reads them in one ordered pass over history
//! instead of one lookup each.

use std::collections::VecDeque;
use std::iter::Peekable;

use bytes::Bytes;

use super::codec::{Record, decode_record, find_value, put_values};
use super::layout::history_key;
use super::state::storage;
use crate::kv::{KeyValue, KvError, Revision, show};

/// How many key records a scan resolves at a time.
const CHUNK: usize = 256;

/// A scan reads history in one pass when the span of revisions it needs is at most
/// this many times the number of entries it needs.
const DENSE: i64 = 4;

/// A key's state from its record, with the value from history when the record does
/// not hold it.
pub(super) fn load(db: &sled::Db, key: Bytes, record: &[u8]) -> Result<KeyValue, KvError> {
    let mut kv = match decode_record(key, record)? {
        Record::Inline(kv) => return Ok(kv),
        Record::InHistory(kv) => kv,
    };
    let entry = db.get(history_key(kv.mod_revision)).map_err(storage)?;
    kv.value = value_in(entry.as_deref(), &kv)?;
    Ok(kv)
}

/// `kv`'s value in the history entry of its revision (`None`: no such entry).
fn value_in(entry: Option<&[u8]>, kv: &KeyValue) -> Result<Bytes, KvError> {
    entry
        .map(|entry| find_value(entry, &kv.key))
        .transpose()?
        .flatten()
        .ok_or_else(|| missing(kv))
}

fn missing(kv: &KeyValue) -> KvError {
    KvError::corrupt(format!(
        "key {}: no value in the history entry of its revision {}",
        show(&kv.key),
        kv.mod_revision
    ))
}

/// Resolves a scan of key records (sled key without its prefix, record) into states
/// with their values, in the scan's order.
pub(super) fn resolve<'a, I>(
    db: &'a sled::Db,
    records: I,
) -> impl Iterator<Item = Result<KeyValue, KvError>> + 'a
where
    I: Iterator<Item = Result<(Bytes, sled::IVec), KvError>> + 'a,
{
    Resolver {
        db,
        records,
        ready: VecDeque::new(),
    }
}

struct Resolver<'a, I> {
    db: &'a sled::Db,
    records: I,
    ready: VecDeque<Result<KeyValue, KvError>>,
}

impl<I> Iterator for Resolver<'_, I>
where
    I: Iterator<Item = Result<(Bytes, sled::IVec), KvError>>,
{
    type Item = Result<KeyValue, KvError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.ready.is_empty() {
            self.fill();
        }
        self.ready.pop_front()
    }
}

impl<I> Resolver<'_, I>
where
    I: Iterator<Item = Result<(Bytes, sled::IVec), KvError>>,
{
    /// Decodes the next chunk of records and fetches the values they need.
    fn fill(&mut self) {
        // (index in the chunk, revision) of every record whose value is in history.
        let mut wanted: Vec<(usize, Revision)> = Vec::new();
        let mut chunk: Vec<Result<KeyValue, KvError>> = Vec::with_capacity(CHUNK);
        for item in self.records.by_ref().take(CHUNK) {
            let index = chunk.len();
            match item.and_then(|(key, record)| decode_record(key, &record)) {
                Ok(Record::Inline(kv)) => chunk.push(Ok(kv)),
                Ok(Record::InHistory(kv)) => {
                    wanted.push((index, kv.mod_revision));
                    chunk.push(Ok(kv));
                }
                Err(error) => {
                    // The scan ends with its error.
                    chunk.push(Err(error));
                    break;
                }
            }
        }
        if let Some(first) = wanted.first().map(|&(index, _)| index) {
            wanted.sort_by_key(|&(_, revision)| revision);
            if let Err(error) = self.fetch(&wanted, &mut chunk) {
                // The scan ends with the storage error.
                chunk.truncate(first);
                chunk.push(Err(error));
            }
        }
        self.ready.extend(chunk);
    }

    /// Sets the values of the `wanted` records (sorted by revision) in `chunk`.
    fn fetch(
        &self,
        wanted: &[(usize, Revision)],
        chunk: &mut [Result<KeyValue, KvError>],
    ) -> Result<(), KvError> {
        let (first, last) = (wanted[0].1, wanted[wanted.len() - 1].1);
        let count = i64::try_from(wanted.len()).unwrap_or(i64::MAX);
        let dense = last - first < DENSE.saturating_mul(count);
        let mut pass = dense.then(|| {
            self.db
                .range(history_key(first)..=history_key(last))
                .peekable()
        });
        // The records that want one entry (a transaction's keys) are side by side.
        for same in wanted.chunk_by(|a, b| a.1 == b.1) {
            let revision = same[0].1;
            let entry = match &mut pass {
                Some(pass) => next_entry(pass, revision)?,
                None => self.db.get(history_key(revision)).map_err(storage)?,
            };
            let puts = match (&entry, same.len()) {
                (Some(entry), 2..) => Some(put_values(entry)?),
                _ => None,
            };
            for &(index, _) in same {
                let Some(Ok(kv)) = chunk.get(index) else {
                    continue;
                };
                let value = match &puts {
                    Some(puts) => puts
                        .get(kv.key.as_ref())
                        .map(|value| Bytes::copy_from_slice(value))
                        .ok_or_else(|| missing(kv)),
                    None => value_in(entry.as_deref(), kv),
                };
                match (value, &mut chunk[index]) {
                    (Ok(value), Ok(kv)) => kv.value = value,
                    (Err(error), slot) => *slot = Err(error),
                    (Ok(_), Err(_)) => {}
                }
            }
        }
        Ok(())
    }
}

/// Advances an ordered pass over history to the entry of `revision`; `None` when
/// there is none.
fn next_entry<P>(pass: &mut Peekable<P>, revision: Revision) -> Result<Option<sled::IVec>, KvError>
where
    P: Iterator<Item = sled::Result<(sled::IVec, sled::IVec)>>,
{
    let key = history_key(revision);
    loop {
        match pass.peek() {
            Some(Ok((found, _))) if found.as_ref() < key.as_slice() => {
                pass.next();
            }
            Some(Ok((found, value))) if found.as_ref() == key.as_slice() => {
                return Ok(Some(value.clone()));
            }
            Some(Ok(_)) | None => return Ok(None),
            Some(Err(_)) => {
                return match pass.next() {
                    Some(Err(error)) => Err(storage(error)),
                    _ => Ok(None),
                };
            }
        }
    }
}
