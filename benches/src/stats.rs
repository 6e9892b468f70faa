//! Latency samples and their percentiles (sorted vectors, nearest rank), shared by
//! the harnesses.

use std::time::Duration;

/// Latencies recorded during one measurement, in nanoseconds.
#[derive(Debug, Default, Clone)]
pub struct Latencies {
    nanos: Vec<u64>,
}

/// Percentiles of a set of latencies, in milliseconds (0 when there were none).
#[derive(Debug, Default, Clone, Copy, PartialEq)]
pub struct Summary {
    /// How many samples.
    pub count: usize,
    /// Median.
    pub p50_ms: f64,
    /// 99th percentile.
    pub p99_ms: f64,
    /// Largest sample.
    pub max_ms: f64,
}

impl Latencies {
    /// Room for `n` samples.
    pub fn with_capacity(n: usize) -> Self {
        Latencies {
            nanos: Vec::with_capacity(n),
        }
    }

    /// Adds one sample.
    pub fn record(&mut self, latency: Duration) {
        self.nanos
            .push(u64::try_from(latency.as_nanos()).unwrap_or(u64::MAX));
    }

    /// How many samples were recorded.
    pub fn len(&self) -> usize {
        self.nanos.len()
    }

    /// Whether no sample was recorded.
    pub fn is_empty(&self) -> bool {
        self.nanos.is_empty()
    }

    /// Adds every sample of `other`.
    pub fn merge(&mut self, other: Latencies) {
        self.nanos.extend(other.nanos);
    }

    /// Sorts the samples and reads the percentiles.
    pub fn summary(mut self) -> Summary {
        self.nanos.sort_unstable();
        Summary {
            count: self.nanos.len(),
            p50_ms: nearest_rank(&self.nanos, 50.0),
            p99_ms: nearest_rank(&self.nanos, 99.0),
            max_ms: self.nanos.last().map_or(0.0, |&n| millis(n)),
        }
    }
}

/// The nearest-rank percentile `p` of sorted samples, in milliseconds.
fn nearest_rank(sorted: &[u64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    // Rank ceil(p/100 * n), 1-based.
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    let index = rank.clamp(1, sorted.len()) - 1;
    sorted.get(index).map_or(0.0, |&n| millis(n))
}

/// Nanoseconds as milliseconds.
fn millis(nanos: u64) -> f64 {
    nanos as f64 / 1_000_000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_percentiles() {
        let mut latencies = Latencies::default();
        for ms in 1..=100 {
            latencies.record(Duration::from_millis(ms));
        }
        let summary = latencies.summary();
        assert_eq!(summary.count, 100);
        assert!((summary.p50_ms - 50.0).abs() < 1e-9);
        assert!((summary.p99_ms - 99.0).abs() < 1e-9);
        assert!((summary.max_ms - 100.0).abs() < 1e-9);
    }

    #[test]
    fn empty_and_single() {
        assert_eq!(Latencies::default().summary(), Summary::default());
        let mut one = Latencies::default();
        one.record(Duration::from_micros(1500));
        let summary = one.summary();
        assert!((summary.p50_ms - 1.5).abs() < 1e-9);
        assert!((summary.p99_ms - 1.5).abs() < 1e-9);
    }
}
