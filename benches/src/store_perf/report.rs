//! What one measurement produced, and how it is printed: a `RESULT {json}` line each,
//! a table, and the goals the issue sets.

use serde_json::{Map, Value, json};

use super::stats::Summary;

/// The outcome of one measurement.
#[derive(Debug, Clone)]
pub(crate) struct Measurement {
    /// `memory`, `sled`, `etcd`, or `disk` for the fdatasync probe.
    pub(crate) backend: String,
    /// `create`, `get`, `list`, `watch`, `watch-cache`, `fdatasync-4k`.
    pub(crate) op: String,
    /// Concurrent callers; for watches, the number of watchers.
    pub(crate) concurrency: usize,
    /// Operations completed (for watches: events delivered to watchers).
    pub(crate) ops: usize,
    /// Wall time of the timed part.
    pub(crate) seconds: f64,
    /// Per-operation latency.
    pub(crate) latency: Summary,
    /// Fields particular to the op (`objects`, `objects_per_s`, `write_p50_ms`...).
    pub(crate) extra: Map<String, Value>,
    /// A few words for the table's last column.
    pub(crate) note: String,
}

impl Measurement {
    /// A measurement without extra fields.
    pub(crate) fn new(
        backend: &str,
        op: &str,
        concurrency: usize,
        ops: usize,
        seconds: f64,
        latency: Summary,
    ) -> Self {
        Measurement {
            backend: backend.to_owned(),
            op: op.to_owned(),
            concurrency,
            ops,
            seconds,
            latency,
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
    pub(crate) fn to_json(&self, quick: bool) -> Value {
        let mut object = json!({
            "backend": self.backend,
            "op": self.op,
            "concurrency": self.concurrency,
            "ops": self.ops,
            "seconds": round(self.seconds, 4),
            "ops_per_s": round(self.ops_per_s(), 1),
            "p50_ms": round(self.latency.p50_ms, 4),
            "p99_ms": round(self.latency.p99_ms, 4),
            "max_ms": round(self.latency.max_ms, 4),
            "quick": quick,
        });
        if let Some(fields) = object.as_object_mut() {
            fields.extend(self.extra.clone());
            if !self.note.is_empty() {
                fields.insert("note".into(), Value::String(self.note.clone()));
            }
        }
        object
    }

    /// Reads back a `RESULT` line's object (from a child process); `None` if it is not
    /// one.
    pub(crate) fn from_json(value: &Value) -> Option<Measurement> {
        let mut fields = value.as_object()?.clone();
        let mut take = |key: &str| fields.remove(key);
        let text = |v: Option<Value>| v.and_then(|v| v.as_str().map(str::to_owned));
        let number = |v: Option<Value>| v.and_then(|v| v.as_f64());
        let count = |v: Option<Value>| v.and_then(|v| v.as_u64()).map(|n| n as usize);
        let backend = text(take("backend"))?;
        let op = text(take("op"))?;
        let concurrency = count(take("concurrency"))?;
        let ops = count(take("ops"))?;
        let seconds = number(take("seconds"))?;
        let latency = Summary {
            count: ops,
            p50_ms: number(take("p50_ms"))?,
            p99_ms: number(take("p99_ms"))?,
            max_ms: number(take("max_ms"))?,
        };
        let note = text(take("note")).unwrap_or_default();
        for derived in ["ops_per_s", "quick"] {
            take(derived);
        }
        Some(Measurement {
            backend,
            op,
            concurrency,
            ops,
            seconds,
            latency,
            extra: fields,
            note,
        })
    }
}

/// Rounds to `digits` decimals, so the JSON stays readable.
pub(crate) fn round(value: f64, digits: i32) -> f64 {
    let scale = 10f64.powi(digits);
    (value * scale).round() / scale
}

/// The table of every measurement.
pub(crate) fn table(measurements: &[Measurement]) -> String {
    let mut out = format!(
        "{:<7} {:<12} {:>5} {:>8} {:>12} {:>9} {:>9}  {}\n",
        "backend", "op", "conc", "ops", "ops/s", "p50 ms", "p99 ms", "notes"
    );
    for m in measurements {
        out.push_str(&format!(
            "{:<7} {:<12} {:>5} {:>8} {:>12.1} {:>9.3} {:>9.3}  {}\n",
            m.backend,
            m.op,
            m.concurrency,
            m.ops,
            m.ops_per_s(),
            m.latency.p50_ms,
            m.latency.p99_ms,
            m.note
        ));
    }
    out
}

/// The goals, read from the measurements: the sled/etcd ratio of durable
/// creates with 64 writers, and watch p99 at 1000 watchers. Returns the human text
/// and the `SUMMARY` object.
pub(crate) fn goals(measurements: &[Measurement]) -> (String, Value) {
    let find = |backend: &str, op: &str, concurrency: usize| {
        measurements
            .iter()
            .find(|m| m.backend == backend && m.op == op && m.concurrency == concurrency)
    };
    let mut text = String::new();
    let mut summary = Map::new();
    match (find("sled", "create", 64), find("etcd", "create", 64)) {
        (Some(sled), Some(etcd)) if etcd.ops_per_s() > 0.0 => {
            let ratio = sled.ops_per_s() / etcd.ops_per_s();
            text.push_str(&format!(
                "sled/etcd durable creates/s, 64 writers: {ratio:.2}x (goal >= 3x; \
                 {:.0} vs {:.0} ops/s)\n",
                sled.ops_per_s(),
                etcd.ops_per_s()
            ));
            summary.insert("sled_over_etcd_create_c64".into(), json!(round(ratio, 3)));
        }
        _ => text.push_str("sled/etcd ratio: not measured (needs both backends)\n"),
    }
    let mut watch = Vec::new();
    for m in measurements
        .iter()
        .filter(|m| m.op.starts_with("watch") && m.concurrency == 1000)
    {
        watch.push(format!("{} {} {:.3} ms", m.op, m.backend, m.latency.p99_ms));
        summary.insert(
            format!("{}_{}_p99_ms_1000", m.op.replace('-', "_"), m.backend),
            json!(round(m.latency.p99_ms, 4)),
        );
    }
    if watch.is_empty() {
        text.push_str("watch p99 at 1000 watchers: not measured\n");
    } else {
        text.push_str(&format!(
            "watch p99 at 1000 watchers (goal < 1 ms): {}\n",
            watch.join(", ")
        ));
    }
    (text, Value::Object(summary))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(backend: &str, op: &str, concurrency: usize, ops: usize) -> Measurement {
        let latency = Summary {
            count: ops,
            p50_ms: 1.0,
            p99_ms: 2.0,
            max_ms: 3.0,
        };
        Measurement::new(backend, op, concurrency, ops, 1.0, latency)
    }

    #[test]
    fn json_has_the_required_fields() {
        let mut m = sample("sled", "list", 1, 10);
        m.extra.insert("objects".into(), json!(10_000));
        let value = m.to_json(true);
        for field in [
            "backend",
            "op",
            "concurrency",
            "ops_per_s",
            "p50_ms",
            "p99_ms",
            "objects",
        ] {
            assert!(value.get(field).is_some(), "{field} missing in {value}");
        }
        assert_eq!(value["ops_per_s"], json!(10.0));
    }

    #[test]
    fn goals_read_the_ratio_and_watch_latency() {
        let ms = [
            sample("sled", "create", 64, 900),
            sample("etcd", "create", 64, 300),
            sample("sled", "watch-cache", 1000, 5),
        ];
        let (text, summary) = goals(&ms);
        assert!(text.contains("3.00x"), "{text}");
        assert_eq!(summary["sled_over_etcd_create_c64"], json!(3.0));
        assert_eq!(summary["watch_cache_sled_p99_ms_1000"], json!(2.0));
    }

    #[test]
    fn a_result_line_reads_back() {
        let mut m = Measurement::new(
            "sled",
            "create",
            64,
            20_000,
            1.5,
            Summary {
                count: 20_000,
                p50_ms: 2.5,
                p99_ms: 20.25,
                max_ms: 31.0,
            },
        );
        m.extra.insert("write_p50_ms".into(), json!(1.25));
        m.note = "a note".into();
        let back = Measurement::from_json(&m.to_json(false)).expect("reads back");
        assert_eq!(
            (back.backend.as_str(), back.op.as_str()),
            ("sled", "create")
        );
        assert_eq!(
            (back.concurrency, back.ops, back.seconds),
            (64, 20_000, 1.5)
        );
        assert_eq!(
            (
                back.latency.p50_ms,
                back.latency.p99_ms,
                back.latency.max_ms
            ),
            (2.5, 20.25, 31.0)
        );
        assert_eq!(back.extra, m.extra);
        assert_eq!(back.note, "a note");
        assert!(Measurement::from_json(&json!({"backend": "sled"})).is_none());
    }
}
