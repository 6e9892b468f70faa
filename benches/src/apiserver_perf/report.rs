//! Latency samples, one measurement's outcome, its `RESULT {json}` line, the table
//! and the goals.

use serde_json::{Map, Value, json};

pub(crate) use benches::stats::Latencies;

/// The outcome of one case at one concurrency.
#[derive(Debug, Clone)]
pub(crate) struct Measurement {
    pub(crate) case: String,
    pub(crate) concurrency: usize,
    pub(crate) ops: usize,
    pub(crate) seconds: f64,
    pub(crate) p50_ms: f64,
    pub(crate) p99_ms: f64,
    pub(crate) max_ms: f64,
    pub(crate) errors: usize,
    pub(crate) extra: Map<String, Value>,
    pub(crate) note: String,
}

impl Measurement {
    /// A measurement of `ops` operations in `seconds`, with their latencies.
    pub(crate) fn new(
        case: &str,
        concurrency: usize,
        ops: usize,
        seconds: f64,
        latencies: Latencies,
        errors: usize,
    ) -> Self {
        let summary = latencies.summary();
        let (p50_ms, p99_ms, max_ms) = (summary.p50_ms, summary.p99_ms, summary.max_ms);
        Measurement {
            case: case.to_owned(),
            concurrency,
            ops,
            seconds,
            p50_ms,
            p99_ms,
            max_ms,
            errors,
            extra: Map::new(),
            note: String::new(),
        }
    }

    /// Operations per second of wall time.
    pub(crate) fn ops_per_s(&self) -> f64 {
        if self.seconds > 0.0 {
            self.ops as f64 / self.seconds
        } else {
            0.0
        }
    }

    /// The `RESULT` line's object.
    pub(crate) fn to_json(&self, quick: bool, placement: &str) -> Value {
        let mut object = json!({
            "case": self.case,
            "concurrency": self.concurrency,
            "ops": self.ops,
            "seconds": round(self.seconds, 3),
            "ops_per_s": round(self.ops_per_s(), 1),
            "p50_ms": round(self.p50_ms, 3),
            "p99_ms": round(self.p99_ms, 3),
            "max_ms": round(self.max_ms, 3),
            "errors": self.errors,
            "server": placement,
            "quick": quick,
        });
        if let Some(fields) = object.as_object_mut() {
            fields.extend(self.extra.clone());
        }
        object
    }
}

fn round(x: f64, digits: i32) -> f64 {
    let scale = 10f64.powi(digits);
    (x * scale).round() / scale
}

/// The table of every measurement.
pub(crate) fn table(measurements: &[Measurement]) -> String {
    let mut out = format!(
        "{:<14} {:>6} {:>9} {:>8} {:>11} {:>9} {:>9} {:>7}  {}\n",
        "case", "conc", "ops", "seconds", "ops/s", "p50 ms", "p99 ms", "errors", "note"
    );
    for m in measurements {
        out.push_str(&format!(
            "{:<14} {:>6} {:>9} {:>8.2} {:>11.1} {:>9.3} {:>9.3} {:>7}  {}\n",
            m.case,
            m.concurrency,
            m.ops,
            m.seconds,
            m.ops_per_s(),
            m.p50_ms,
            m.p99_ms,
            m.errors,
            m.note
        ));
    }
    out
}

/// The goals, read from the measurements (only those that were run).
pub(crate) fn goals(measurements: &[Measurement]) -> String {
    let mut out = String::from("goals (issue 6):\n");
    let best = |case: &str, filter: &dyn Fn(&Measurement) -> bool| {
        measurements
            .iter()
            .filter(|m| m.case == case && filter(m))
            .max_by(|a, b| a.ops_per_s().total_cmp(&b.ops_per_s()))
    };
    let verdict = |ok: bool| if ok { "met" } else { "NOT met" };
    if let Some(m) = best("get", &|_| true) {
        let ok = m.ops_per_s() >= 20_000.0;
        out.push_str(&format!(
            "  GET >= 20,000/s: {:.0}/s (concurrency {}): {}\n",
            m.ops_per_s(),
            m.concurrency,
            verdict(ok)
        ));
    }
    if let Some(m) = best("create", &|_| true) {
        let ok = m.ops_per_s() >= 5_000.0;
        out.push_str(&format!(
            "  durable CREATE >= 5,000/s: {:.0}/s (concurrency {}): {}\n",
            m.ops_per_s(),
            m.concurrency,
            verdict(ok)
        ));
    }
    if let Some(m) = best("mixed", &|_| true) {
        let ok = m.p99_ms < 10.0 && m.errors == 0;
        out.push_str(&format!(
            "  mixed load p99 < 10 ms: p99 {:.2} ms at {:.0} requests/s: {}\n",
            m.p99_ms,
            m.ops_per_s(),
            verdict(ok)
        ));
    }
    if let Some(m) = best("watch-fanout", &|_| true) {
        out.push_str(&format!(
            "  zero lost or reordered watch events: {} errors over {} events: {}\n",
            m.errors,
            m.ops,
            verdict(m.errors == 0)
        ));
    }
    out
}
