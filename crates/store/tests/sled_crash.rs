//! Crash safety of the sled backend: writers in a child process are killed with
//! SIGKILL at random moments; after each kill the store reopens with every
//! acknowledged write, a gap-free history, and writes continue at the next revision.
//!
//! The child is this test binary itself, run with `CRASH_CHILD_DIR` set so that only
//! [`crash_child_writer`] does anything: it creates keys from concurrent tasks and
//! prints `ack <key> <revision>` after each acknowledgement.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use store::{KvStore, KvStoreExt, Revision, SledStore, StoreOptions};

const ROUNDS: u32 = 20;
const CHILD_WRITERS: usize = 8;

/// Small history window, so that compaction runs (and gets killed) too.
fn options() -> StoreOptions {
    StoreOptions::default().retain_revisions(Some(64))
}

/// The child's work; does nothing in an ordinary test run.
#[test]
fn crash_child_writer() {
    let (Ok(dir), Ok(round)) = (
        std::env::var("CRASH_CHILD_DIR"),
        std::env::var("CRASH_CHILD_ROUND"),
    ) else {
        return;
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async move {
        let store = Arc::new(SledStore::open(&dir, options()).expect("child open"));
        let next = Arc::new(AtomicU64::new(0));
        let mut tasks = Vec::new();
        for _ in 0..CHILD_WRITERS {
            let (store, next, round) = (store.clone(), next.clone(), round.clone());
            tasks.push(tokio::spawn(async move {
                // Bounded in case the parent dies without killing us.
                let deadline = Instant::now() + Duration::from_secs(20);
                while Instant::now() < deadline {
                    let key = format!("/crash/{round}/{:06}", next.fetch_add(1, Ordering::Relaxed));
                    let revision = store
                        .create(key.clone(), key.clone(), None)
                        .await
                        .expect("create");
                    let mut out = std::io::stdout().lock();
                    writeln!(out, "ack {key} {revision}").expect("stdout");
                    out.flush().expect("stdout");
                }
            }));
        }
        for task in tasks {
            task.await.expect("writer");
        }
    });
}

#[test]
fn sled_survives_sigkill_at_random_points() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let seed = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(1, |d| d.as_nanos() as u64)
        | 1;
    eprintln!("crash test seed {seed}");
    let mut random = XorShift(seed);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let started = Instant::now();
    let mut acknowledged: BTreeMap<String, Revision> = BTreeMap::new();
    for round in 0..ROUNDS {
        let delay = Duration::from_millis(20 + random.next() % 281);
        let acks = run_child_and_kill(dir.path(), round, delay);
        eprintln!(
            "round {round}: killed after {delay:?}, {} acknowledged writes",
            acks.len()
        );
        acknowledged.extend(acks);
        runtime.block_on(verify(dir.path(), round, &acknowledged));
    }
    eprintln!(
        "{ROUNDS} rounds, {} acknowledged writes, all present, in {:?}",
        acknowledged.len(),
        started.elapsed()
    );
    assert!(
        acknowledged.len() >= 100,
        "the children wrote too little to test anything"
    );
}

/// Starts a child writer, kills it after `delay`, returns what it acknowledged.
fn run_child_and_kill(dir: &Path, round: u32, delay: Duration) -> Vec<(String, Revision)> {
    let exe = std::env::current_exe().expect("test binary");
    let mut child = Command::new(exe)
        .args([
            "--exact",
            "crash_child_writer",
            "--nocapture",
            "--test-threads=1",
        ])
        .env("CRASH_CHILD_DIR", dir)
        .env("CRASH_CHILD_ROUND", format!("{round:02}"))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn child");
    let stdout = child.stdout.take().expect("child stdout");
    let (first_ack, writing) = std::sync::mpsc::channel();
    let reader = std::thread::spawn(move || {
        let mut acks = Vec::new();
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            let mut parts = line.split(' ');
            if let (Some("ack"), Some(key), Some(revision)) =
                (parts.next(), parts.next(), parts.next())
            {
                acks.push((key.to_owned(), revision.parse().expect("revision")));
                let _ = first_ack.send(());
            }
        }
        acks
    });
    // Even rounds count the delay from the start, so some kills land while the store
    // opens or recovers; odd rounds from the first acknowledgement, so they land
    // amid writes.
    if round % 2 == 1 {
        let _ = writing.recv_timeout(Duration::from_secs(10));
    }
    std::thread::sleep(delay);
    child.kill().expect("SIGKILL");
    child.wait().expect("reap child");
    reader.join().expect("reader")
}

/// Reopens the store and checks it against everything acknowledged so far.
async fn verify(dir: &Path, round: u32, acknowledged: &BTreeMap<String, Revision>) {
    // Opening checks that history is exactly (compacted, current].
    let store = SledStore::open(dir, options()).expect("reopen after SIGKILL");
    for (key, revision) in acknowledged {
        let kv = store
            .get(key.as_bytes())
            .await
            .expect("get")
            .unwrap_or_else(|| {
                panic!("round {round}: acknowledged write {key} at revision {revision} is lost")
            });
        assert_eq!(
            (kv.create_revision, kv.mod_revision),
            (*revision, *revision),
            "{key}"
        );
        assert_eq!(kv.value, key.as_bytes());
    }
    let current = store.current_revision().await.expect("revision");
    let compacted = store.compacted_revision().await.expect("compacted");
    // Every revision created exactly one key and nothing was deleted.
    let keys = store
        .range(store::RangeRequest::prefix("/"))
        .await
        .expect("range")
        .count;
    assert_eq!(
        i64::try_from(keys).expect("count"),
        current,
        "one key per revision, no holes"
    );
    if current > compacted {
        let watched = watch_revisions(&store, compacted, current).await;
        assert_eq!(
            watched,
            (compacted + 1..=current).collect::<Vec<_>>(),
            "history is gap-free"
        );
    }
    let next = store
        .put(format!("/probe/{round:02}"), "p")
        .await
        .expect("write after reopen");
    assert_eq!(next, current + 1, "writes continue at the next revision");
}

async fn watch_revisions(store: &SledStore, after: Revision, until: Revision) -> Vec<Revision> {
    use futures::StreamExt;
    let mut watch = store.watch("/".into(), after).await.expect("watch");
    let mut seen = Vec::new();
    while seen.last().is_none_or(|last| *last < until) {
        let batch = watch
            .next()
            .await
            .expect("watch item")
            .expect("watch events");
        assert_eq!(batch.len(), 1);
        seen.push(batch[0].revision());
    }
    seen
}

/// A tiny deterministic generator for the kill delays (the seed is printed).
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}
