//! Creates, gets and lists at the key-value level (`Arc<dyn KvStore>`).

use std::sync::Arc;
use std::time::Instant;

use anyhow::{Context as _, bail, ensure};
use bytes::Bytes;
use serde_json::json;
use store::{KvStore, KvStoreExt, Op, RangeRequest, Txn};
use tokio::task::JoinSet;

use super::report::{Measurement, round};
use super::stats::Latencies;

/// Size of every value written.
pub(crate) const VALUE_LEN: usize = 1024;

/// Untimed creates before a timed create run (connections, caches, the writer task).
const WARM_UP: usize = 32;

/// Puts per transaction when loading objects for the list measurements (below etcd's
/// default `--max-txn-ops` of 128).
const LOAD_BATCH: usize = 100;

/// Concurrent transactions when loading.
const LOAD_TASKS: usize = 8;

/// A 1 KiB value (printable, not all one byte).
pub(crate) fn value() -> Bytes {
    (0..VALUE_LEN)
        .map(|i| b"abcdefghijklmnopqrstuvwxyz012345"[i % 32])
        .collect::<Vec<u8>>()
        .into()
}

/// The key of the `i`th create of writer `task` under `prefix`.
fn create_key(prefix: &str, task: usize, i: usize) -> String {
    format!("{prefix}{task:03}/{i:07}")
}

/// How many of `total` operations caller `task` of `tasks` does.
fn share(total: usize, tasks: usize, task: usize) -> usize {
    total / tasks + usize::from(task < total % tasks)
}

/// Runs `tasks` callers, each doing its share of `total` operations with `op(task, i)`,
/// timing each; returns the latencies and the wall time in seconds.
async fn concurrently<F, Fut>(tasks: usize, total: usize, op: F) -> anyhow::Result<(Latencies, f64)>
where
    F: Fn(usize, usize) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = anyhow::Result<()>> + Send,
{
    let op = Arc::new(op);
    let start = Instant::now();
    let mut set = JoinSet::new();
    for task in 0..tasks {
        let op = op.clone();
        let count = share(total, tasks, task);
        set.spawn(async move {
            let mut latencies = Latencies::with_capacity(count);
            for i in 0..count {
                let began = Instant::now();
                op(task, i).await?;
                latencies.record(began.elapsed());
            }
            anyhow::Ok(latencies)
        });
    }
    let mut all = Latencies::with_capacity(total);
    while let Some(joined) = set.join_next().await {
        all.merge(joined.context("a caller task failed")??);
    }
    Ok((all, start.elapsed().as_secs_f64()))
}

/// `ops` creates of 1 KiB values by `concurrency` writers, each acknowledged when
/// durable (as the backend defines it). Keys: `{prefix}{writer:03}/{i:07}`.
pub(crate) async fn creates(
    backend: &str,
    kv: &Arc<dyn KvStore>,
    prefix: &str,
    concurrency: usize,
    ops: usize,
) -> anyhow::Result<Measurement> {
    let value = value();
    for i in 0..WARM_UP {
        kv.create(format!("{prefix}warm/{i}"), value.clone(), None)
            .await?;
    }
    let (kv2, prefix2) = (kv.clone(), prefix.to_owned());
    let (latencies, seconds) = concurrently(concurrency, ops, move |task, i| {
        let (kv, key, value) = (kv2.clone(), create_key(&prefix2, task, i), value.clone());
        async move {
            kv.create(key, value, None).await?;
            Ok(())
        }
    })
    .await?;
    Ok(Measurement::new(
        backend,
        "create",
        concurrency,
        ops,
        seconds,
        latencies.summary(),
    ))
}

/// `ops` gets by `concurrency` readers of the `keys` keys a single-writer
/// [`creates`] run wrote under `prefix`, in a scattered order.
pub(crate) async fn gets(
    backend: &str,
    kv: &Arc<dyn KvStore>,
    prefix: &str,
    keys: usize,
    concurrency: usize,
    ops: usize,
) -> anyhow::Result<Measurement> {
    ensure!(keys > 0, "no keys to read");
    let (kv2, prefix2) = (kv.clone(), prefix.to_owned());
    let (latencies, seconds) = concurrently(concurrency, ops, move |task, i| {
        let index = (i
            .wrapping_mul(7919)
            .wrapping_add(task.wrapping_mul(104_729)))
            % keys;
        let (kv, key) = (kv2.clone(), create_key(&prefix2, 0, index));
        async move {
            match kv.get(key.as_bytes()).await? {
                Some(kv) if kv.value.len() == VALUE_LEN => Ok(()),
                other => bail!("get {key}: unexpected {other:?}"),
            }
        }
    })
    .await?;
    Ok(Measurement::new(
        backend,
        "get",
        concurrency,
        ops,
        seconds,
        latencies.summary(),
    ))
}

/// Writes `objects` 1 KiB values under `prefix` (untimed), in transactions of
/// [`LOAD_BATCH`] puts.
pub(crate) async fn load(
    kv: &Arc<dyn KvStore>,
    prefix: &str,
    objects: usize,
) -> anyhow::Result<()> {
    let batches = objects.div_ceil(LOAD_BATCH);
    let (kv2, prefix2, value) = (kv.clone(), prefix.to_owned(), value());
    concurrently(LOAD_TASKS, batches, move |task, i| {
        let batch = i * LOAD_TASKS + task;
        let first = batch * LOAD_BATCH;
        let last = (first + LOAD_BATCH).min(objects);
        let txn = (first..last).fold(Txn::new(), |txn, n| {
            txn.then(Op::put(format!("{prefix2}{n:07}"), value.clone()))
        });
        let kv = kv2.clone();
        async move {
            kv.txn(txn).await?;
            Ok(())
        }
    })
    .await?;
    Ok(())
}

/// `rounds` full reads of the `objects` keys under `prefix`, each one `range` with the
/// prefix and no limit.
pub(crate) async fn lists(
    backend: &str,
    kv: &Arc<dyn KvStore>,
    prefix: &str,
    objects: usize,
    rounds: usize,
) -> anyhow::Result<Measurement> {
    let mut latencies = Latencies::with_capacity(rounds);
    let start = Instant::now();
    for _ in 0..rounds {
        let began = Instant::now();
        let response = kv.range(RangeRequest::prefix(prefix.to_owned())).await?;
        latencies.record(began.elapsed());
        ensure!(
            response.kvs.len() == objects && !response.more,
            "list of {prefix} returned {} keys, expected {objects}",
            response.kvs.len()
        );
    }
    let seconds = start.elapsed().as_secs_f64();
    let mut m = Measurement::new(backend, "list", 1, rounds, seconds, latencies.summary());
    let objects_per_s = if seconds > 0.0 {
        (objects * rounds) as f64 / seconds
    } else {
        0.0
    };
    m.extra.insert("objects".into(), json!(objects));
    m.extra
        .insert("objects_per_s".into(), json!(round(objects_per_s, 0)));
    m.note = format!("{objects} objects, {objects_per_s:.0} objects/s");
    Ok(m)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_add_up() {
        for (total, tasks) in [(5000, 64), (10, 3), (1, 64), (0, 1)] {
            let sum: usize = (0..tasks).map(|t| share(total, tasks, t)).sum();
            assert_eq!(sum, total);
        }
    }

    #[tokio::test]
    async fn create_get_list_on_memory() {
        let kv: Arc<dyn KvStore> = Arc::new(store::MemoryStore::new());
        let created = creates("memory", &kv, "/c/", 4, 40).await.unwrap();
        assert_eq!(created.ops, 40);
        assert_eq!(created.latency.count, 40);
        // Keys of writer 0 exist: 10 of them.
        let read = gets("memory", &kv, "/c/", 10, 2, 25).await.unwrap();
        assert_eq!(read.latency.count, 25);
        load(&kv, "/l/", 250).await.unwrap();
        let listed = lists("memory", &kv, "/l/", 250, 3).await.unwrap();
        assert_eq!(listed.extra["objects"], json!(250));
        assert!(lists("memory", &kv, "/l/", 251, 1).await.is_err());
    }
}
