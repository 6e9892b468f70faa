//! Prometheus metrics (`/metrics`, text format): requests by verb, resource and code,
//! request latency by verb and resource, and open watches.
//!
//! Hand-written: three metric families do not justify a metrics crate.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Mutex;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;

/// Upper bounds (seconds) of the latency histogram buckets.
const BUCKETS: &[f64] = &[
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
    60.0,
];

#[derive(Default)]
struct Histogram {
    counts: Vec<u64>,
    sum: f64,
    count: u64,
}

/// The server's metrics.
#[derive(Default)]
pub(crate) struct Metrics {
    requests: Mutex<BTreeMap<(String, String, u16), u64>>,
    latency: Mutex<BTreeMap<(String, String), Histogram>>,
    watches: AtomicI64,
}

/// What a request was, for the metrics' labels.
pub(crate) struct Labels {
    pub(crate) verb: &'static str,
    pub(crate) resource: String,
}

impl Metrics {
    /// Counts a finished request (for watches: one that started).
    pub(crate) fn observe(&self, labels: &Labels, code: u16, elapsed: Duration) {
        let key = (labels.verb.to_owned(), labels.resource.clone());
        {
            let mut requests = self
                .requests
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            *requests
                .entry((key.0.clone(), key.1.clone(), code))
                .or_default() += 1;
        }
        if labels.verb == "WATCH" {
            return;
        }
        let seconds = elapsed.as_secs_f64();
        let mut latency = self
            .latency
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let h = latency.entry(key).or_default();
        if h.counts.is_empty() {
            h.counts = vec![0; BUCKETS.len()];
        }
        for (i, bound) in BUCKETS.iter().enumerate() {
            if seconds <= *bound {
                h.counts[i] += 1;
            }
        }
        h.sum += seconds;
        h.count += 1;
    }

    /// How many watches are open.
    pub(crate) fn open_watches(&self) -> i64 {
        self.watches.load(Ordering::Relaxed)
    }

    /// A watch opened; the guard counts it closed when dropped.
    pub(crate) fn watch_opened(self: &std::sync::Arc<Self>) -> WatchGuard {
        self.watches.fetch_add(1, Ordering::Relaxed);
        WatchGuard(self.clone())
    }

    /// The text exposition.
    pub(crate) fn render(&self) -> String {
        let mut out = String::new();
        out.push_str("# HELP apiserver_request_total Requests by verb, resource and HTTP code.\n# TYPE apiserver_request_total counter\n");
        let requests = self
            .requests
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        for ((verb, resource, code), n) in requests.iter() {
            let _ = writeln!(
                out,
                "apiserver_request_total{{verb=\"{verb}\",resource=\"{resource}\",code=\"{code}\"}} {n}"
            );
        }
        drop(requests);
        out.push_str("# HELP apiserver_request_duration_seconds Request latency by verb and resource (watches excluded).\n# TYPE apiserver_request_duration_seconds histogram\n");
        let latency = self
            .latency
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        for ((verb, resource), h) in latency.iter() {
            let labels = format!("verb=\"{verb}\",resource=\"{resource}\"");
            for (bound, n) in BUCKETS.iter().zip(&h.counts) {
                let _ = writeln!(
                    out,
                    "apiserver_request_duration_seconds_bucket{{{labels},le=\"{bound}\"}} {n}"
                );
            }
            let _ = writeln!(
                out,
                "apiserver_request_duration_seconds_bucket{{{labels},le=\"+Inf\"}} {}",
                h.count
            );
            let _ = writeln!(
                out,
                "apiserver_request_duration_seconds_sum{{{labels}}} {}",
                h.sum
            );
            let _ = writeln!(
                out,
                "apiserver_request_duration_seconds_count{{{labels}}} {}",
                h.count
            );
        }
        drop(latency);
        out.push_str("# HELP apiserver_watches Open watches.\n# TYPE apiserver_watches gauge\n");
        let _ = writeln!(
            out,
            "apiserver_watches {}",
            self.watches.load(Ordering::Relaxed)
        );
        out
    }
}

/// Counts a watch closed when dropped (with the stream it travels with).
pub(crate) struct WatchGuard(std::sync::Arc<Metrics>);

impl Drop for WatchGuard {
    fn drop(&mut self) {
        self.0.watches.fetch_sub(1, Ordering::Relaxed);
    }
}
