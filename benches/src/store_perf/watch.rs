//! Watch delivery latency with many watchers: the shared pacing and analysis, and the
//! key-value level run (one `KvStore::watch` per watcher).
//!
//! Every watcher is a tokio task that stamps each event with `Instant::now()` when the
//! event's batch comes out of its stream. The writer stamps each write just before
//! issuing it and again when it is acknowledged. Writes are paced (one every
//! `pace`) so that the system is not saturated. Before the timed writes, one
//! warm-up write must reach every watcher, so every watch is registered and live.

use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::Poll;
use std::time::{Duration, Instant};

use anyhow::{Context as _, bail};
use futures::{Stream, StreamExt as _};
use serde_json::json;
use store::{KvStore, KvStoreExt};
use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinSet;

use super::kv_ops::value;
use super::report::{Measurement, round};
use super::stats::Latencies;

/// How long every watcher may take to see the warm-up write.
const READY_TIMEOUT: Duration = Duration::from_secs(60);

/// How long watchers may take, after the last write, to receive everything.
const DRAIN_TIMEOUT: Duration = Duration::from_secs(30);

/// The name of the warm-up write (timed writes are numbered).
pub(crate) const WARM_UP: &str = "warmup";

/// The name of timed write `seq`.
pub(crate) fn write_name(seq: usize) -> String {
    format!("w-{seq:08}")
}

/// The sequence number in a write's name; `None` for the warm-up.
pub(crate) fn parse_seq(name: &[u8]) -> Option<u32> {
    std::str::from_utf8(name.strip_prefix(b"w-")?)
        .ok()?
        .parse()
        .ok()
}

/// What one watcher saw: (write number, receive time), and how its stream ended
/// early, if it did.
#[derive(Debug, Default)]
pub(crate) struct Received {
    pub(crate) events: Vec<(u32, Instant)>,
    pub(crate) error: Option<String>,
}

/// One watcher's signals: "I saw the warm-up" (shared), and "stop now".
pub(crate) struct Signals {
    pub(crate) ready: mpsc::Sender<()>,
    pub(crate) stop: Stop,
}

/// A watcher's "stop now": the watcher's task registers with its own signal once, and
/// each poll then reads one flag that all watchers share and that is written only to
/// stop them. (A signal polled after every event costs a waiter-list lock when shared,
/// or a cache miss on its own state when not.)
pub(crate) struct Stop {
    flag: Arc<AtomicBool>,
    signal: oneshot::Receiver<()>,
    armed: bool,
}

impl Stop {
    /// The next item of `stream`, or `None` once the driver says stop.
    pub(crate) async fn next<S: Stream + Unpin>(
        &mut self,
        stream: &mut S,
    ) -> Option<Option<S::Item>> {
        std::future::poll_fn(|cx| {
            if !self.armed {
                // Registers this task with the signal; it stays registered.
                if Pin::new(&mut self.signal).poll(cx).is_ready() {
                    return Poll::Ready(None);
                }
                self.armed = true;
            }
            if self.flag.load(Ordering::Acquire) {
                return Poll::Ready(None);
            }
            stream.poll_next_unpin(cx).map(Some)
        })
        .await
    }
}

/// The driver's ends of the watchers' signals.
pub(crate) struct Driver {
    ready: mpsc::Receiver<()>,
    ready_tx: mpsc::Sender<()>,
    stop: Arc<AtomicBool>,
    stops: Vec<oneshot::Sender<()>>,
}

impl Driver {
    /// The driver of up to `watchers` watchers.
    pub(crate) fn new(watchers: usize) -> Self {
        let (ready_tx, ready) = mpsc::channel(watchers.max(1));
        Driver {
            ready,
            ready_tx,
            stop: Arc::new(AtomicBool::new(false)),
            stops: Vec::with_capacity(watchers),
        }
    }

    /// The signals of one more watcher.
    pub(crate) fn watcher(&mut self) -> Signals {
        let (stop_tx, signal) = oneshot::channel();
        self.stops.push(stop_tx);
        Signals {
            ready: self.ready_tx.clone(),
            stop: Stop {
                flag: self.stop.clone(),
                signal,
                armed: false,
            },
        }
    }
}

/// The writer's stamps: just before issuing each write, and at its acknowledgment.
pub(crate) struct Written {
    pub(crate) issued: Vec<Instant>,
    pub(crate) acked: Vec<Instant>,
}

/// Runs a fan-out measurement: `spawn_watchers` opens the watchers (each a task in
/// the set, using the signals), `write(name)` does one write. Warm-up, paced writes,
/// then waits for the watchers and analyses what they received.
pub(crate) async fn fan_out<W, WFut>(
    watchers: usize,
    writes: usize,
    pace: Duration,
    set: &mut JoinSet<Received>,
    driver: Driver,
    write: W,
) -> anyhow::Result<(Vec<Received>, Written)>
where
    W: Fn(String) -> WFut,
    WFut: Future<Output = anyhow::Result<()>>,
{
    let Driver {
        mut ready,
        ready_tx,
        stop,
        stops,
    } = driver;
    drop(ready_tx);
    write(WARM_UP.to_owned()).await?;
    let deadline = tokio::time::Instant::now() + READY_TIMEOUT;
    for n in 0..watchers {
        match tokio::time::timeout_at(deadline, ready.recv()).await {
            Ok(Some(())) => {}
            _ => bail!("only {n} of {watchers} watchers saw the warm-up write"),
        }
    }
    tokio::time::sleep(Duration::from_millis(50)).await;
    let mut written = Written {
        issued: Vec::with_capacity(writes),
        acked: Vec::with_capacity(writes),
    };
    let mut ticks = tokio::time::interval(pace);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    for seq in 0..writes {
        ticks.tick().await;
        let issued = Instant::now();
        write(write_name(seq)).await?;
        written.acked.push(Instant::now());
        written.issued.push(issued);
    }
    let stop_at = tokio::time::Instant::now() + DRAIN_TIMEOUT;
    let mut received = Vec::with_capacity(watchers);
    loop {
        match tokio::time::timeout_at(stop_at, set.join_next()).await {
            Ok(Some(joined)) => received.push(joined.context("a watcher task failed")?),
            Ok(None) => break,
            Err(_) => {
                // Ask the stragglers for what they have.
                stop.store(true, Ordering::Release);
                for stop in stops {
                    let _ = stop.send(());
                }
                while let Some(joined) = set.join_next().await {
                    received.push(joined.context("a watcher task failed")?);
                }
                break;
            }
        }
    }
    Ok((received, written))
}

/// The measurement of a fan-out run: latency from just before each write was issued
/// to each watcher receiving it, with the write (commit) latency and the fan-out
/// spread (last watcher minus first, per write) as extra fields.
pub(crate) fn analyse(
    backend: &str,
    op: &str,
    watchers: usize,
    received: &[Received],
    written: &Written,
) -> Measurement {
    let writes = written.issued.len();
    let mut delivery = Latencies::with_capacity(watchers * writes);
    let mut first: Vec<Option<Instant>> = vec![None; writes];
    let mut last: Vec<Option<Instant>> = vec![None; writes];
    let mut count = 0;
    let mut end = written.acked.last().copied();
    for r in received {
        for &(seq, at) in &r.events {
            let seq = seq as usize;
            let Some(&issued) = written.issued.get(seq) else {
                continue;
            };
            count += 1;
            delivery.record(at.saturating_duration_since(issued));
            first[seq] = Some(first[seq].map_or(at, |f| f.min(at)));
            last[seq] = Some(last[seq].map_or(at, |l| l.max(at)));
            end = Some(end.map_or(at, |e| e.max(at)));
        }
    }
    let mut commit = Latencies::with_capacity(writes);
    for (issued, acked) in written.issued.iter().zip(&written.acked) {
        commit.record(acked.saturating_duration_since(*issued));
    }
    let mut spread = Latencies::with_capacity(writes);
    for (f, l) in first.iter().zip(&last) {
        if let (Some(f), Some(l)) = (f, l) {
            spread.record(l.saturating_duration_since(*f));
        }
    }
    let seconds = match (written.issued.first(), end) {
        (Some(start), Some(end)) => end.saturating_duration_since(*start).as_secs_f64(),
        _ => 0.0,
    };
    let (commit, spread) = (commit.summary(), spread.summary());
    let missed = (watchers * writes).saturating_sub(count);
    let errors: Vec<&str> = received.iter().filter_map(|r| r.error.as_deref()).collect();
    let mut m = Measurement::new(backend, op, watchers, count, seconds, delivery.summary());
    m.extra.insert("watchers".into(), json!(watchers));
    m.extra.insert("writes".into(), json!(writes));
    m.extra
        .insert("write_p50_ms".into(), json!(round(commit.p50_ms, 4)));
    m.extra
        .insert("write_p99_ms".into(), json!(round(commit.p99_ms, 4)));
    m.extra
        .insert("fanout_p50_ms".into(), json!(round(spread.p50_ms, 4)));
    m.extra
        .insert("fanout_p99_ms".into(), json!(round(spread.p99_ms, 4)));
    m.extra.insert("missed".into(), json!(missed));
    m.extra.insert("watch_errors".into(), json!(errors.len()));
    m.note = format!(
        "{writes} writes; write p50 {:.3} ms; fan-out p99 {:.3} ms",
        commit.p50_ms, spread.p99_ms
    );
    if missed > 0 {
        m.note.push_str(&format!("; MISSED {missed}"));
    }
    if let Some(first) = errors.first() {
        m.note
            .push_str(&format!("; {} ended early: {first}", errors.len()));
    }
    m
}

/// Watch latency at the key-value level: `watchers` `KvStore::watch` streams on
/// `prefix`, `writes` paced creates of 1 KiB values under it.
pub(crate) async fn kv_watch(
    backend: &str,
    kv: &Arc<dyn KvStore>,
    prefix: &str,
    watchers: usize,
    writes: usize,
    pace: Duration,
) -> anyhow::Result<Measurement> {
    let after = kv.current_revision().await?;
    let mut driver = Driver::new(watchers);
    let mut set = JoinSet::new();
    for _ in 0..watchers {
        let stream = kv.watch(prefix.to_owned().into(), after).await?;
        let (signals, skip) = (driver.watcher(), prefix.len());
        set.spawn(async move {
            let (mut stream, mut stop) = (stream, signals.stop);
            let mut got = Received {
                events: Vec::with_capacity(writes),
                error: None,
            };
            while got.events.len() < writes {
                match stop.next(&mut stream).await {
                    Some(Some(Ok(batch))) => {
                        let now = Instant::now();
                        for event in batch.iter() {
                            let name = event.kv.key.get(skip..).unwrap_or_default();
                            match parse_seq(name) {
                                Some(seq) => got.events.push((seq, now)),
                                None => {
                                    let _ = signals.ready.try_send(());
                                }
                            }
                        }
                    }
                    Some(Some(Err(e))) => {
                        got.error = Some(e.to_string());
                        break;
                    }
                    Some(None) => {
                        got.error = Some("stream ended".into());
                        break;
                    }
                    None => break,
                }
            }
            got
        });
    }
    let value = value();
    let (received, written) = fan_out(watchers, writes, pace, &mut set, driver, |name| {
        let (kv, key, value) = (kv.clone(), format!("{prefix}{name}"), value.clone());
        async move {
            kv.create(key, value, None).await?;
            Ok(())
        }
    })
    .await?;
    Ok(analyse(backend, "watch", watchers, &received, &written))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        assert_eq!(parse_seq(write_name(42).as_bytes()), Some(42));
        assert_eq!(parse_seq(WARM_UP.as_bytes()), None);
        assert_eq!(parse_seq(b"w-x"), None);
    }

    #[tokio::test]
    async fn stop_ends_a_watcher_waiting_for_events() {
        let mut driver = Driver::new(1);
        let mut signals = driver.watcher();
        let waiting = tokio::spawn(async move {
            let mut stream = futures::stream::pending::<()>();
            signals.stop.next(&mut stream).await
        });
        // Let the watcher register and wait.
        tokio::task::yield_now().await;
        driver.stop.store(true, Ordering::Release);
        for stop in driver.stops {
            let _ = stop.send(());
        }
        assert_eq!(waiting.await.expect("watcher task"), None);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn memory_fan_out_delivers_everything() {
        let kv: Arc<dyn KvStore> = Arc::new(store::MemoryStore::new());
        let m = kv_watch("memory", &kv, "/w/", 10, 20, Duration::from_millis(1))
            .await
            .unwrap();
        assert_eq!(m.ops, 200);
        assert_eq!(m.extra["missed"], json!(0));
        assert_eq!(m.extra["watch_errors"], json!(0));
        assert!(m.latency.p99_ms >= m.latency.p50_ms);
    }
}
