//! [`CycleState`]: data a plugin computes at one extension point of a scheduling cycle
//! and reads at a later one (PreFilter -> Filter, PreScore -> Score).

use std::any::{Any, TypeId};
use std::sync::Arc;

/// Per-cycle state, keyed by type: each plugin stores its own state type (a private
/// struct), so keys never collide and reads need no downcast errors.
///
/// Entries are `Arc`s, so cloning a `CycleState` (preemption simulates removing pods on
/// many nodes, each on its own copy) copies pointers; a plugin whose state changes in
/// [`PreFilterPlugin::add_pod`](super::PreFilterPlugin::add_pod) replaces it through
/// [`CycleState::get_mut`], which clones the value only when it is shared.
///
/// Lookups scan a short vector (one entry per plugin that stored something), which is
/// faster than hashing for the handful of entries a cycle has.
#[derive(Clone, Default)]
pub struct CycleState {
    entries: Vec<(TypeId, Arc<dyn Any + Send + Sync>)>,
    /// Plugins whose PreFilter returned Skip (their Filter is not called).
    skip_filter: Vec<usize>,
    /// Plugins whose PreScore returned Skip (their Score is not called).
    skip_score: Vec<usize>,
}

impl std::fmt::Debug for CycleState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CycleState")
            .field("entries", &self.entries.len())
            .finish_non_exhaustive()
    }
}

impl CycleState {
    /// An empty state.
    pub fn new() -> Self {
        Self::default()
    }

    /// Stores `value`, replacing a previous value of the same type.
    pub fn write<T: Any + Send + Sync>(&mut self, value: T) {
        let id = TypeId::of::<T>();
        let value: Arc<dyn Any + Send + Sync> = Arc::new(value);
        match self.entries.iter_mut().find(|(k, _)| *k == id) {
            Some(slot) => slot.1 = value,
            None => self.entries.push((id, value)),
        }
    }

    /// The value of type `T`, if one was written.
    pub fn read<T: Any + Send + Sync>(&self) -> Option<&T> {
        let id = TypeId::of::<T>();
        self.entries
            .iter()
            .find(|(k, _)| *k == id)
            .and_then(|(_, v)| v.downcast_ref::<T>())
    }

    /// Mutable access to the value of type `T`, cloning it first if another copy of
    /// this state shares it.
    pub fn get_mut<T: Any + Send + Sync + Clone>(&mut self) -> Option<&mut T> {
        let id = TypeId::of::<T>();
        let slot = self.entries.iter_mut().find(|(k, _)| *k == id)?;
        if Arc::get_mut(&mut slot.1).is_none() {
            let copy: T = slot.1.downcast_ref::<T>()?.clone();
            slot.1 = Arc::new(copy);
        }
        Arc::get_mut(&mut slot.1)?.downcast_mut::<T>()
    }

    /// Removes the value of type `T`.
    pub fn remove<T: Any + Send + Sync>(&mut self) {
        let id = TypeId::of::<T>();
        self.entries.retain(|(k, _)| *k != id);
    }

    pub(crate) fn set_skip_filter(&mut self, plugins: Vec<usize>) {
        self.skip_filter = plugins;
    }

    pub(crate) fn set_skip_score(&mut self, plugins: Vec<usize>) {
        self.skip_score = plugins;
    }

    pub(crate) fn skips_filter(&self, plugin: usize) -> bool {
        self.skip_filter.contains(&plugin)
    }

    pub(crate) fn skips_score(&self, plugin: usize) -> bool {
        self.skip_score.contains(&plugin)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Clone, Debug, PartialEq)]
    struct Counts(Vec<u32>);

    #[test]
    fn typed_entries_and_copy_on_write() {
        let mut s = CycleState::new();
        assert!(s.read::<Counts>().is_none());
        s.write(Counts(vec![1]));
        s.write(7_u64);
        let copy = s.clone();
        s.get_mut::<Counts>().unwrap().0.push(2);
        assert_eq!(s.read::<Counts>(), Some(&Counts(vec![1, 2])));
        assert_eq!(copy.read::<Counts>(), Some(&Counts(vec![1])));
        assert_eq!(s.read::<u64>(), Some(&7));
        s.remove::<u64>();
        assert!(s.read::<u64>().is_none());
    }
}
