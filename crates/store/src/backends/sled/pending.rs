//! What readers see while the writer applies and flushes groups.
//!
//! sled shows an applied batch to readers at once, before it is on disk. So before
//! applying a group, the writer records it here under the exclusive read gate: the
//! committed state of every key the group changes. The writer applies the next group
//! while the previous one is being flushed, so several groups may be in flight; they
//! become durable in order. Until a group is durable, readers take the keys of the
//! groups in flight from here (the state before the oldest group that changes the
//! key) and everything else from sled, which those groups do not touch; the revisions
//! readers see are the committed ones. The gate is held exclusively only to record a
//! group and to retire it once durable, never across a flush, so readers do not wait
//! for the disk.

use std::cmp::Ordering;
use std::collections::{BTreeMap, VecDeque};
use std::iter::Peekable;
use std::ops::Bound;

use bytes::Bytes;

use crate::kv::{KeyValue, KvError, Revision};

/// The committed state of every key a group changes, by key; `None` where the key
/// did not exist.
pub(super) type Before = BTreeMap<Bytes, Option<KeyValue>>;

/// The groups applied to the database but not yet durable, oldest first.
#[derive(Debug, Default)]
pub(super) struct Pending {
    /// Each group's [`Before`], oldest first.
    groups: VecDeque<Before>,
    /// For every key a group in flight changes, its committed state: the entry of the
    /// oldest group that changes it.
    committed: Before,
    /// The compacted revision readers must assume while groups are in flight: the
    /// newest group's, since the batches may be removing history.
    compacted: Revision,
}

impl Pending {
    /// Records a group about to be applied: `before` is the state of the keys it
    /// changes as the previous groups left them, `compacted` its compacted revision.
    pub(super) fn push(&mut self, before: Before, compacted: Revision) {
        for (key, state) in &before {
            if !self.committed.contains_key(key) {
                self.committed.insert(key.clone(), state.clone());
            }
        }
        self.groups.push_back(before);
        self.compacted = compacted;
    }

    /// Retires the oldest group, now durable: the state it wrote becomes committed.
    pub(super) fn pop(&mut self) {
        let Some(done) = self.groups.pop_front() else {
            return;
        };
        for key in done.keys() {
            // A later group that changes the key recorded the state this one wrote.
            match self.groups.iter().find_map(|later| later.get(key)) {
                Some(state) => {
                    self.committed.insert(key.clone(), state.clone());
                }
                None => {
                    self.committed.remove(key);
                }
            }
        }
    }

    /// How many groups are in flight.
    #[cfg(test)]
    pub(super) fn len(&self) -> usize {
        self.groups.len()
    }
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
    /// The committed view: `committed` is the committed (revision, compacted revision),
    /// corrected by the groups in flight.
    pub(super) fn new(committed: (Revision, Revision), pending: &'a Pending) -> Self {
        if pending.groups.is_empty() {
            return View {
                revision: committed.0,
                compacted: committed.1,
                before: None,
            };
        }
        View {
            revision: committed.0,
            compacted: pending.compacted.max(committed.1),
            before: Some(&pending.committed),
        }
    }

    /// The committed state of `key` if a group in flight changes it; `None` when the
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

    type Changes = BTreeMap<u8, Option<u8>>;

    /// Checks that reads through `pending` over `database` see `committed`.
    fn sees(
        pending: &Pending,
        database: &BTreeMap<u8, u8>,
        committed: &BTreeMap<u8, u8>,
        lower: u8,
        excluded: bool,
    ) -> Result<(), TestCaseError> {
        let view = View::new((9, 4), pending);
        let bound = if excluded {
            Bound::Excluded(Bytes::from(vec![lower]))
        } else {
            Bound::Included(Bytes::from(vec![lower]))
        };
        let in_bound = |key: &u8| {
            if excluded {
                *key > lower
            } else {
                *key >= lower
            }
        };
        let scan = database
            .iter()
            .filter(|(k, _)| in_bound(k))
            .map(|(k, v)| Ok(kv(*k, *v)));
        let expected: Vec<(u8, u8)> = committed
            .iter()
            .filter(|(k, _)| in_bound(k))
            .map(|(k, v)| (*k, *v))
            .collect();
        prop_assert_eq!(keys(view.scan(bound, scan)), expected);
        for key in 0u8..32 {
            let from_view = match view.get(&[key]) {
                Some(state) => state.map(|kv| kv.value[0]),
                None => database.get(&key).copied(),
            };
            prop_assert_eq!(from_view, committed.get(&key).copied());
        }
        Ok(())
    }

    proptest! {
        /// However the groups in flight changed the database, the corrected scan from
        /// any lower bound is the committed state from that bound; as groups become
        /// durable one by one, what they wrote becomes visible.
        #[test]
        fn a_corrected_scan_is_the_committed_state(
            initial in prop::collection::btree_map(0u8..32, any::<u8>(), 0..16),
            groups in prop::collection::vec(
                prop::collection::btree_map(0u8..32, prop::option::of(any::<u8>()), 0..8),
                1..4,
            ),
            lower in 0u8..34,
            excluded in any::<bool>(),
        ) {
            let mut database = initial.clone();
            let mut pending = Pending::default();
            // The state after each group, oldest first.
            let mut states = vec![initial.clone()];
            for (n, changes) in groups.iter().enumerate() {
                let changes: &Changes = changes;
                let mut before = Before::new();
                for (key, change) in changes {
                    before.insert(Bytes::from(vec![*key]), database.get(key).map(|v| kv(*key, *v)));
                    match change {
                        Some(value) => database.insert(*key, *value),
                        None => database.remove(key),
                    };
                }
                pending.push(before, 3 + i64::try_from(n).unwrap_or(0));
                states.push(database.clone());
            }
            for committed in &states[..states.len() - 1] {
                sees(&pending, &database, committed, lower, excluded)?;
                pending.pop();
            }
            prop_assert_eq!(pending.len(), 0);
            sees(&pending, &database, &database, lower, excluded)?;
        }
    }

    #[test]
    fn without_a_group_in_flight_the_database_is_committed() {
        let pending = Pending::default();
        let view = View::new((9, 4), &pending);
        assert_eq!((view.revision, view.compacted), (9, 4));
        assert_eq!(view.get(b"a"), None);
        let scan = vec![Ok(kv(1, 1)), Ok(kv(2, 2))].into_iter();
        assert_eq!(
            keys(view.scan(Bound::Unbounded, scan)),
            vec![(1, 1), (2, 2)]
        );
    }

    #[test]
    fn the_newest_group_sets_the_compacted_revision() {
        let mut pending = Pending::default();
        pending.push(Before::new(), 6);
        pending.push(Before::new(), 8);
        assert_eq!(View::new((9, 4), &pending).compacted, 8);
        pending.pop();
        pending.pop();
        assert_eq!(View::new((9, 8), &pending).compacted, 8);
    }

    #[test]
    fn a_scan_error_is_passed_on() {
        let mut before = Before::new();
        before.insert(Bytes::from_static(b"\x05"), Some(kv(5, 5)));
        let mut pending = Pending::default();
        pending.push(before, 0);
        let view = View::new((2, 0), &pending);
        let scan = vec![Ok(kv(1, 1)), Err(KvError::corrupt("bad record"))].into_iter();
        let items: Vec<_> = view.scan(Bound::Unbounded, scan).collect();
        assert!(matches!(items[0], Ok(ref kv) if kv.key[0] == 1));
        assert!(matches!(items[1], Err(KvError::Corrupt { .. })));
    }
}
