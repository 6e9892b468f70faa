//! Knobs shared by the built-in backends.

/// Settings of the built-in backends ([`MemoryStore`](crate::MemoryStore),
/// [`SledStore`](crate::SledStore)).
///
/// ```
/// use store::StoreOptions;
/// let options = StoreOptions::default().watch_buffer(256).retain_revisions(Some(1_000));
/// # let _ = options;
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreOptions {
    watch_buffer: usize,
    retain_revisions: Option<u64>,
}

impl Default for StoreOptions {
    fn default() -> Self {
        StoreOptions {
            watch_buffer: 1024,
            retain_revisions: Some(10_000),
        }
    }
}

impl StoreOptions {
    /// How many revisions a watcher may have delivered to it but not yet consumed before
    /// it is cut off with [`KvError::WatchLagged`](crate::KvError::WatchLagged). Default
    /// 1024; clamped to 1 ..= 1,000,000. Memory per watcher is bounded by this times
    /// the size of the largest transaction.
    pub fn watch_buffer(mut self, revisions: usize) -> Self {
        self.watch_buffer = revisions.clamp(1, 1_000_000);
        self
    }

    /// Automatic compaction: keep about this many revisions of history (`None`: keep
    /// all until [`KvStore::compact`](crate::KvStore::compact) is called). Default
    /// 10,000. Compaction runs when the history exceeds it by an eighth, so between `n`
    /// and `n + n/8` revisions are kept.
    pub fn retain_revisions(mut self, revisions: Option<u64>) -> Self {
        self.retain_revisions = revisions.map(|n| n.max(1));
        self
    }

    /// The watch buffer, in revisions.
    pub fn watch_buffer_len(&self) -> usize {
        self.watch_buffer
    }

    /// The compaction target after writing `current` with history compacted up to
    /// `compacted`, if automatic compaction is due.
    pub(crate) fn auto_compact_target(&self, current: i64, compacted: i64) -> Option<i64> {
        let keep = i64::try_from(self.retain_revisions?).unwrap_or(i64::MAX);
        let slack = (keep / 8).max(1);
        (current.saturating_sub(compacted) > keep.saturating_add(slack)).then(|| current - keep)
    }
}

#[cfg(test)]
mod tests {
    use super::StoreOptions;

    #[test]
    fn auto_compaction_keeps_the_window() {
        let options = StoreOptions::default().retain_revisions(Some(80));
        assert_eq!(options.auto_compact_target(90, 0), None);
        assert_eq!(options.auto_compact_target(91, 0), Some(11));
        assert_eq!(
            StoreOptions::default()
                .retain_revisions(None)
                .auto_compact_target(i64::MAX, 0),
            None
        );
    }
}
