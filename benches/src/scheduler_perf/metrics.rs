//! Throughput over 1 s windows and per-pod latency, as scheduler_perf reports them.

use std::time::{Duration, Instant};

/// The value at percentile `p` (0..=100) of sorted `values` (nearest rank).
pub(crate) fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// Throughput per window: bind times are bucketed into 1 s windows from `start`; the
/// last, partial window is scaled by its length (ignored when shorter than 100 ms and
/// there are full windows).
pub(crate) fn window_throughputs(start: Instant, binds: &[Instant], window: Duration) -> Vec<f64> {
    let Some(last) = binds.iter().max() else {
        return Vec::new();
    };
    let total = last.saturating_duration_since(start);
    let full = (total.as_secs_f64() / window.as_secs_f64()).floor() as usize;
    let mut counts = vec![0_usize; full + 1];
    for b in binds {
        let i = (b.saturating_duration_since(start).as_secs_f64() / window.as_secs_f64()) as usize;
        counts[i.min(full)] += 1;
    }
    let mut out: Vec<f64> = counts[..full]
        .iter()
        .map(|c| *c as f64 / window.as_secs_f64())
        .collect();
    let rest = total.as_secs_f64() - full as f64 * window.as_secs_f64();
    if rest >= 0.1 || out.is_empty() {
        out.push(counts[full] as f64 / rest.max(1e-3));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_and_percentiles() {
        let start = Instant::now();
        let binds: Vec<Instant> = (0..25)
            .map(|i| start + Duration::from_millis(100 * i))
            .collect();
        // 10 in [0,1), 10 in [1,2), 5 in [2,2.4].
        let w = window_throughputs(start, &binds, Duration::from_secs(1));
        assert_eq!(w.len(), 3);
        assert!((w[0] - 10.0).abs() < 1e-9);
        assert!((w[2] - 12.5).abs() < 1e-6);
        let mut sorted = w.clone();
        sorted.sort_by(f64::total_cmp);
        assert_eq!(percentile(&sorted, 50.0), 10.0);
        assert_eq!(percentile(&sorted, 99.0), sorted[2]);
    }
}
