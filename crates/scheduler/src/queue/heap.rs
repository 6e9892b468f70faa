//! A binary heap with removal and update by key, ordered by a comparison function
//! given at each call (the QueueSort plugin for the active queue, backoff expiry for
//! the backoff queue).

use std::collections::HashMap;

/// Items stored in an [`IndexedHeap`] have a string key.
pub(crate) trait Keyed {
    fn key(&self) -> &str;
}

#[derive(Debug)]
pub(crate) struct IndexedHeap<T> {
    items: Vec<T>,
    positions: HashMap<String, usize>,
}

impl<T> Default for IndexedHeap<T> {
    fn default() -> Self {
        IndexedHeap {
            items: Vec::new(),
            positions: HashMap::new(),
        }
    }
}

impl<T: Keyed> IndexedHeap<T> {
    pub(crate) fn len(&self) -> usize {
        self.items.len()
    }

    pub(crate) fn contains(&self, key: &str) -> bool {
        self.positions.contains_key(key)
    }

    pub(crate) fn get(&self, key: &str) -> Option<&T> {
        self.positions.get(key).map(|i| &self.items[*i])
    }

    pub(crate) fn peek(&self) -> Option<&T> {
        self.items.first()
    }

    /// Inserts `item`, replacing an item with the same key.
    pub(crate) fn push(&mut self, item: T, less: &impl Fn(&T, &T) -> bool) {
        if let Some(&i) = self.positions.get(item.key()) {
            self.items[i] = item;
            self.fix(i, less);
            return;
        }
        let i = self.items.len();
        self.positions.insert(item.key().to_owned(), i);
        self.items.push(item);
        self.up(i, less);
    }

    pub(crate) fn pop(&mut self, less: &impl Fn(&T, &T) -> bool) -> Option<T> {
        if self.items.is_empty() {
            return None;
        }
        self.remove_at(0, less)
    }

    pub(crate) fn remove(&mut self, key: &str, less: &impl Fn(&T, &T) -> bool) -> Option<T> {
        let i = *self.positions.get(key)?;
        self.remove_at(i, less)
    }

    fn remove_at(&mut self, i: usize, less: &impl Fn(&T, &T) -> bool) -> Option<T> {
        let last = self.items.len().checked_sub(1)?;
        self.swap(i, last);
        let item = self.items.pop()?;
        self.positions.remove(item.key());
        if i < self.items.len() {
            self.fix(i, less);
        }
        Some(item)
    }

    fn swap(&mut self, a: usize, b: usize) {
        if a == b {
            return;
        }
        self.items.swap(a, b);
        if let Some(p) = self.positions.get_mut(self.items[a].key()) {
            *p = a;
        }
        if let Some(p) = self.positions.get_mut(self.items[b].key()) {
            *p = b;
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
            if !less(&self.items[i], &self.items[parent]) {
                break;
            }
            self.swap(i, parent);
            i = parent;
        }
        i != start
    }

    fn down(&mut self, mut i: usize, less: &impl Fn(&T, &T) -> bool) {
        let n = self.items.len();
        loop {
            let l = 2 * i + 1;
            if l >= n {
                break;
            }
            let r = l + 1;
            let mut best = l;
            if r < n && less(&self.items[r], &self.items[l]) {
                best = r;
            }
            if !less(&self.items[best], &self.items[i]) {
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
