//! A binary heap with removal and update by key, ordered by a comparison function
//! given at each call (the QueueSort plugin for the active queue, backoff expiry for
//! the backoff queue).
//!
//! Items live in slots that do not move; the heap orders slot numbers, and each slot
//! knows its place in the heap. Moving an item up or down is then swapping two
//! numbers, with no key looked up: the key index is read only to find an item by key
//! and changed only when an item comes or goes.

use std::collections::HashMap;

/// Items stored in an [`IndexedHeap`] have a string key.
pub(crate) trait Keyed {
    fn key(&self) -> &str;
}

#[derive(Debug)]
struct Slot<T> {
    item: T,
    /// Where the slot's number is in `heap`.
    at: usize,
}

#[derive(Debug)]
pub(crate) struct IndexedHeap<T> {
    /// Slot numbers in heap order.
    heap: Vec<usize>,
    slots: Vec<Option<Slot<T>>>,
    /// Slots free for reuse.
    free: Vec<usize>,
    /// Key to slot number.
    index: HashMap<String, usize>,
}

impl<T> Default for IndexedHeap<T> {
    fn default() -> Self {
        IndexedHeap {
            heap: Vec::new(),
            slots: Vec::new(),
            free: Vec::new(),
            index: HashMap::new(),
        }
    }
}

impl<T: Keyed> IndexedHeap<T> {
    pub(crate) fn len(&self) -> usize {
        self.heap.len()
    }

    pub(crate) fn contains(&self, key: &str) -> bool {
        self.index.contains_key(key)
    }

    pub(crate) fn get(&self, key: &str) -> Option<&T> {
        self.index.get(key).map(|&s| self.item(s))
    }

    pub(crate) fn peek(&self) -> Option<&T> {
        self.heap.first().map(|&s| self.item(s))
    }

    /// Inserts `item`, replacing an item with the same key.
    pub(crate) fn push(&mut self, item: T, less: &impl Fn(&T, &T) -> bool) {
        if let Some(&s) = self.index.get(item.key()) {
            let at = self.at(s);
            if let Some(slot) = self.slots[s].as_mut() {
                slot.item = item;
            }
            self.fix(at, less);
            return;
        }
        let at = self.heap.len();
        let key = item.key().to_owned();
        let slot = Some(Slot { item, at });
        let s = match self.free.pop() {
            Some(s) => {
                self.slots[s] = slot;
                s
            }
            None => {
                self.slots.push(slot);
                self.slots.len() - 1
            }
        };
        self.index.insert(key, s);
        self.heap.push(s);
        self.up(at, less);
    }

    pub(crate) fn pop(&mut self, less: &impl Fn(&T, &T) -> bool) -> Option<T> {
        if self.heap.is_empty() {
            return None;
        }
        self.remove_at(0, less)
    }

    pub(crate) fn remove(&mut self, key: &str, less: &impl Fn(&T, &T) -> bool) -> Option<T> {
        let s = *self.index.get(key)?;
        let at = self.at(s);
        self.remove_at(at, less)
    }

    fn item(&self, slot: usize) -> &T {
        match &self.slots[slot] {
            Some(s) => &s.item,
            None => unreachable!("the heap names only occupied slots"),
        }
    }

    fn at(&self, slot: usize) -> usize {
        self.slots[slot].as_ref().map_or(0, |s| s.at)
    }

    fn less_at(&self, a: usize, b: usize, less: &impl Fn(&T, &T) -> bool) -> bool {
        less(self.item(self.heap[a]), self.item(self.heap[b]))
    }

    fn remove_at(&mut self, i: usize, less: &impl Fn(&T, &T) -> bool) -> Option<T> {
        let last = self.heap.len().checked_sub(1)?;
        self.swap(i, last);
        let s = self.heap.pop()?;
        let slot = self.slots[s].take()?;
        self.free.push(s);
        self.index.remove(slot.item.key());
        if i < self.heap.len() {
            self.fix(i, less);
        }
        Some(slot.item)
    }

    fn swap(&mut self, a: usize, b: usize) {
        if a == b {
            return;
        }
        self.heap.swap(a, b);
        for at in [a, b] {
            if let Some(slot) = self.slots[self.heap[at]].as_mut() {
                slot.at = at;
            }
        }
    }

    fn fix(&mut self, i: usize, less: &impl Fn(&T, &T) -> bool) {
        if !self.up(i, less) {
            self.down(i, less);
        }
    }

    /// Moves item `i` up; true if it moved.
    fn up(&mut self, mut i: usize, less: &impl Fn(&T, &T) -> bool) -> bool {
        let start = i;
        while i > 0 {
            let parent = (i - 1) / 2;
            if !self.less_at(i, parent, less) {
                break;
            }
            self.swap(i, parent);
            i = parent;
        }
        i != start
    }

    fn down(&mut self, mut i: usize, less: &impl Fn(&T, &T) -> bool) {
        let n = self.heap.len();
        loop {
            let l = 2 * i + 1;
            if l >= n {
                break;
            }
            let r = l + 1;
            let mut best = l;
            if r < n && self.less_at(r, l, less) {
                best = r;
            }
            if !self.less_at(best, i, less) {
                break;
            }
            self.swap(i, best);
            i = best;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[derive(Debug, Clone)]
    struct Item(String, i32);
    impl Keyed for Item {
        fn key(&self) -> &str {
            &self.0
        }
    }

    fn less(a: &Item, b: &Item) -> bool {
        (a.1, &a.0) < (b.1, &b.0)
    }

    proptest! {
        /// Against a model (a map): pushes, updates and removals, then popping gives
        /// the items in order.
        #[test]
        fn behaves_like_a_sorted_map(ops in proptest::collection::vec((0u8..3, 0u8..20, -50i32..50), 0..200)) {
            let mut heap = IndexedHeap::default();
            let mut model = std::collections::BTreeMap::new();
            for (op, k, v) in ops {
                let key = format!("k{k}");
                match op {
                    0 | 1 => { heap.push(Item(key.clone(), v), &less); model.insert(key, v); }
                    _ => {
                        let removed = heap.remove(&key, &less).map(|i| i.1);
                        prop_assert_eq!(removed, model.remove(&key));
                    }
                }
                prop_assert_eq!(heap.len(), model.len());
            }
            let mut expected: Vec<(i32, String)> = model.into_iter().map(|(k, v)| (v, k)).collect();
            expected.sort();
            let mut got = Vec::new();
            while let Some(Item(k, v)) = heap.pop(&less) {
                got.push((v, k));
            }
            prop_assert_eq!(got, expected);
        }
    }
}
