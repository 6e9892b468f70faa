//! Controller counters: reconciles, errors, panics, durations.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use crate::queue::QueueMetrics;

/// Upper bounds of the reconcile-duration histogram buckets (the last bucket is
/// everything longer).
pub const DURATION_BUCKETS: [Duration; 6] = [
    Duration::from_micros(100),
    Duration::from_millis(1),
    Duration::from_millis(10),
    Duration::from_millis(100),
    Duration::from_secs(1),
    Duration::from_secs(10),
];

/// A snapshot of a controller's counters.
#[derive(Clone, Debug, Default, PartialEq)]
#[non_exhaustive]
pub struct ControllerMetrics {
    /// Reconciles run (successful or not).
    pub reconciles: u64,
    /// Reconciles that returned an error or panicked.
    pub errors: u64,
    /// Reconciles that panicked (also counted in `errors`).
    pub panics: u64,
    /// Keys taken from the queue whose object was no longer in the cache.
    pub skipped: u64,
    /// Total time spent in reconciles.
    pub duration_total: Duration,
    /// The longest reconcile.
    pub duration_max: Duration,
    /// How many reconciles took at most each bound of [`DURATION_BUCKETS`] (and more
    /// than the previous one); the last count is for longer ones.
    pub duration_histogram: [u64; 7],
    /// The work queue's sizes and counters (depth, latency, retries).
    pub queue: QueueMetrics,
}

impl ControllerMetrics {
    /// The mean reconcile duration.
    pub fn duration_mean(&self) -> Duration {
        match u32::try_from(self.reconciles) {
            Ok(0) => Duration::ZERO,
            Ok(n) => self.duration_total / n,
            Err(_) => {
                Duration::from_secs_f64(self.duration_total.as_secs_f64() / self.reconciles as f64)
            }
        }
    }
}

#[derive(Default)]
pub(crate) struct Metrics {
    reconciles: AtomicU64,
    errors: AtomicU64,
    panics: AtomicU64,
    skipped: AtomicU64,
    nanos_total: AtomicU64,
    nanos_max: AtomicU64,
    histogram: [AtomicU64; 7],
}

fn nanos(d: Duration) -> u64 {
    u64::try_from(d.as_nanos()).unwrap_or(u64::MAX)
}

impl Metrics {
    pub(crate) fn reconciled(&self, took: Duration, failed: bool, panicked: bool) {
        self.reconciles.fetch_add(1, Ordering::Relaxed);
        if failed {
            self.errors.fetch_add(1, Ordering::Relaxed);
        }
        if panicked {
            self.panics.fetch_add(1, Ordering::Relaxed);
        }
        let n = nanos(took);
        self.nanos_total.fetch_add(n, Ordering::Relaxed);
        self.nanos_max.fetch_max(n, Ordering::Relaxed);
        let bucket = DURATION_BUCKETS
            .iter()
            .position(|bound| took <= *bound)
            .unwrap_or(DURATION_BUCKETS.len());
        if let Some(counter) = self.histogram.get(bucket) {
            counter.fetch_add(1, Ordering::Relaxed);
        }
    }

    pub(crate) fn skipped(&self) {
        self.skipped.fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn snapshot(&self, queue: QueueMetrics) -> ControllerMetrics {
        let get = |c: &AtomicU64| c.load(Ordering::Relaxed);
        ControllerMetrics {
            reconciles: get(&self.reconciles),
            errors: get(&self.errors),
            panics: get(&self.panics),
            skipped: get(&self.skipped),
            duration_total: Duration::from_nanos(get(&self.nanos_total)),
            duration_max: Duration::from_nanos(get(&self.nanos_max)),
            duration_histogram: std::array::from_fn(|i| get(&self.histogram[i])),
            queue,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_and_mean() {
        let metrics = Metrics::default();
        metrics.reconciled(Duration::from_micros(50), false, false);
        metrics.reconciled(Duration::from_millis(5), true, false);
        metrics.reconciled(Duration::from_secs(60), true, true);
        let snap = metrics.snapshot(QueueMetrics::default());
        assert_eq!(snap.reconciles, 3);
        assert_eq!((snap.errors, snap.panics), (2, 1));
        assert_eq!(snap.duration_histogram, [1, 0, 1, 0, 0, 0, 1]);
        assert_eq!(snap.duration_max, Duration::from_secs(60));
        assert!(snap.duration_mean() > Duration::from_secs(19));
    }
}
