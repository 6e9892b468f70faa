//! What readers see while the writer applies and flushes a group.
//!
//! sled shows an applied batch to readers at once, before it is on disk. So before
//! applying a group, the writer installs a [`Pending`] write under the exclusive read
//! gate: the committed revisions and the committed state of every key the group
//! changes. Until the group is durable, readers take those keys (and the revisions)
//! from it and everything else from sled, which the group does not touch. The gate is
//! held exclusively only to install and to remove the pending write, never across a
//! flush, so readers do not wait for the disk.

use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::iter::Peekable;
use std::ops::Bound;

use bytes::Bytes;

use crate::kv::{KeyValue, KvError, Revision};

/// The committed state of every key a group changes, by key; `None` where the key
/// did not exist.
pub(super) type Before = BTreeMap<Bytes, Option<KeyValue>>;

/// A group being applied and flushed.
#[derive(Debug)]
pub(super) struct Pending {
    /// The committed revision before the group.
    pub(super) revision: Revision,
    /// The compacted revision readers must assume: the group's own, since its batch may
    /// be removing history.
    pub(super) compacted: Revision,
    /// The committed state of the keys the group changes.
    pub(super) before: Before,
}

/// The revisions and state one read sees, fixed for the read's whole duration.
#[derive(Debug)]
pub(super) struct View<'a> {
    /// The revision the read is served at when it asks for the current one.
    pub(super) revision: Revision,
    /// History at or below it is gone.
    pub(super) compacted: Revision,
    before: Option<&'a Before>,
}

impl<'a> View<'a> {
    /// The committed view when no group is pending, else the pending group's.
    pub(super) fn new(committed: (Revision, Revision), pending: Option<&'a Pending>) -> Self {
        match pending {
            Some(pending) => View {
                revision: pending.revision,
                compacted: pending.compacted,
                before: Some(&pending.before),
            },
            None => View {
                revision: committed.0,
                compacted: committed.1,
                before: None,
            },
        }
    }

    /// The committed state of `key` if a pending group changes it; `None` when the
    /// database's state is the committed one.
    pub(super) fn get(&self, key: &[u8]) -> Option<Option<KeyValue>> {
        self.before.and_then(|before| before.get(key)).cloned()
    }

    /// Corrects an ascending scan of the database's state, starting at `lower`, to the
    /// committed state.
    pub(super) fn scan<S>(&self, lower: Bound<Bytes>, scan: S) -> impl Iterator<Item = S::Item> + 'a
    where
        S: Iterator<Item = Result<KeyValue, KvError>> + 'a,
    {
        let before = self
            .before
            .into_iter()
            .flat_map(move |before| before.range((lower.clone(), Bound::Unbounded)));
        Merge {
            scan: scan.peekable(),
            before: before.peekable(),
        }
    }
}

/// Merges two ascending sequences by key; on the keys of `before`, its state wins.
struct Merge<S: Iterator, B: Iterator> {
    scan: Peekable<S>,
    before: Peekable<B>,
}

impl<'a, S, B> Iterator for Merge<S, B>
where
    S: Iterator<Item = Result<KeyValue, KvError>>,
    B: Iterator<Item = (&'a Bytes, &'a Option<KeyValue>)>,
{
    type Item = Result<KeyValue, KvError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let order = match (self.scan.peek(), self.before.peek()) {
                (None, None) => return None,
                (Some(Err(_)), _) | (Some(Ok(_)), None) => Ordering::Less,
                (Some(Ok(kv)), Some((key, _))) => kv.key.as_ref().cmp(key.as_ref()),
                (None, Some(_)) => Ordering::Greater,
            };
            if order == Ordering::Less {
                return self.scan.next();
            }
            if order == Ordering::Equal {
                // The database holds the group's state of this key: skip it.
                self.scan.next();
            }
            if let Some((_, Some(kv))) = self.before.next() {
                return Some(Ok(kv.clone()));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn kv(key: u8, value: u8) -> KeyValue {
        KeyValue {
            key: Bytes::from(vec![key]),
            value: Bytes::from(vec![value]),
            create_revision: 1,
            mod_revision: i64::from(value) + 1,
            version: 1,
            lease: None,
        }
    }

    fn keys(items: impl Iterator<Item = Result<KeyValue, KvError>>) -> Vec<(u8, u8)> {
        items
            .map(|item| {
                let item = item.expect("no error in these scans");
                (item.key[0], item.value[0])
            })
            .collect()
    }

    proptest! {
        /// However a group changed the database, the corrected scan from any lower
        /// bound is the committed state from that bound.
        #[test]
        fn a_corrected_scan_is_the_committed_state(
            committed in prop::collection::btree_map(0u8..32, any::<u8>(), 0..16),
            changes in prop::collection::btree_map(0u8..32, prop::option::of(any::<u8>()), 0..8),
            lower in 0u8..34,
            excluded in any::<bool>(),
        ) {
            let mut database = committed.clone();
            let mut before = Before::new();
            for (key, change) in &changes {
                before.insert(Bytes::from(vec![*key]), committed.get(key).map(|v| kv(*key, *v)));
                match change {
                    Some(value) => database.insert(*key, *value),
                    None => database.remove(key),
                };
            }
            let pending = Pending { revision: 7, compacted: 3, before };
            let view = View::new((9, 4), Some(&pending));
            prop_assert_eq!((view.revision, view.compacted), (7, 3));
            let bound = if excluded {
                Bound::Excluded(Bytes::from(vec![lower]))
            } else {
                Bound::Included(Bytes::from(vec![lower]))
            };
            let in_bound = |key: &u8| if excluded { *key > lower } else { *key >= lower };
            let scan = database.iter().filter(|(k, _)| in_bound(k)).map(|(k, v)| Ok(kv(*k, *v)));
            let expected: Vec<(u8, u8)> =
                committed.iter().filter(|(k, _)| in_bound(k)).map(|(k, v)| (*k, *v)).collect();
            prop_assert_eq!(keys(view.scan(bound, scan)), expected);
            for key in 0u8..32 {
                let from_view = match view.get(&[key]) {
                    Some(state) => state.map(|kv| kv.value[0]),
                    None => database.get(&key).copied(),
                };
                prop_assert_eq!(from_view, committed.get(&key).copied());
            }
        }
    }

    #[test]
    fn without_a_pending_group_the_database_is_committed() {
        let view = View::new((9, 4), None);
        assert_eq!((view.revision, view.compacted), (9, 4));
        assert_eq!(view.get(b"a"), None);
        let scan = vec![Ok(kv(1, 1)), Ok(kv(2, 2))].into_iter();
        assert_eq!(
            keys(view.scan(Bound::Unbounded, scan)),
            vec![(1, 1), (2, 2)]
        );
    }

    #[test]
    fn a_scan_error_is_passed_on() {
        let mut before = Before::new();
        before.insert(Bytes::from_static(b"\x05"), Some(kv(5, 5)));
        let pending = Pending {
            revision: 1,
            compacted: 0,
            before,
        };
        let view = View::new((2, 0), Some(&pending));
        let scan = vec![Ok(kv(1, 1)), Err(KvError::corrupt("bad record"))].into_iter();
        let items: Vec<_> = view.scan(Bound::Unbounded, scan).collect();
        assert!(matches!(items[0], Ok(ref kv) if kv.key[0] == 1));
        assert!(matches!(items[1], Err(KvError::Corrupt { .. })));
    }
}
