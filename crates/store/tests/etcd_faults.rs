//! [`EtcdStore`] through server failures, against real etcd processes started here:
//! a restart of a single member (SIGKILL, then the same data directory and port), the
//! loss of the leader of a three-member cluster, and connecting to nothing.
//!
//! Every operation that fails with [`KvError::Unavailable`] is retried for at most
//! [`WINDOW`]; any other error, or a longer outage, fails the test. The timings are
//! printed (run with `--nocapture` to see them).

mod etcd_support;

use std::collections::BTreeMap;
use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use bytes::Bytes;
use futures::StreamExt;
use store::{
    EtcdOptions, EtcdStore, KvError, KvStore, KvStoreExt, RangeRequest, Revision, WatchEvent,
    WatchStream,
};

/// The longest an operation may keep failing with `Unavailable` before it works.
const WINDOW: Duration = Duration::from_secs(10);

/// How long a watch may go without an item while the writes it waits for are done.
const WATCH_WAIT: Duration = Duration::from_secs(30);

fn options() -> EtcdOptions {
    EtcdOptions::default()
        .request_timeout(Duration::from_secs(2))
        .connect_timeout(Duration::from_secs(1))
        .watch_retry(Duration::from_secs(30))
}

/// Runs `call` until it succeeds, retrying `Unavailable` for at most [`WINDOW`];
/// returns the value and how long it took.
async fn retry<T, F, Fut>(what: &str, mut call: F) -> (T, Duration)
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, KvError>>,
{
    let start = Instant::now();
    loop {
        match call().await {
            Ok(value) => return (value, start.elapsed()),
            Err(KvError::Unavailable { reason }) if start.elapsed() < WINDOW => {
                tracing::debug!(what, reason, "retrying");
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            Err(error) => panic!("{what} failed after {:?}: {error}", start.elapsed()),
        }
    }
}

/// Collects a watch's items until one holds `done_key`; fails on an error item, the
/// end of the stream, or a silence of [`WATCH_WAIT`].
fn collect(
    mut watch: WatchStream,
    done_key: &'static str,
) -> tokio::task::JoinHandle<Vec<Vec<WatchEvent>>> {
    tokio::spawn(async move {
        let mut batches = Vec::new();
        loop {
            let item = tokio::time::timeout(WATCH_WAIT, watch.next())
                .await
                .unwrap_or_else(|_| panic!("no watch item for {WATCH_WAIT:?}"));
            let batch = item
                .expect("the watch ended")
                .unwrap_or_else(|error| panic!("the watch failed: {error}"));
            let done = batch.iter().any(|event| event.kv.key == done_key);
            batches.push(batch.to_vec());
            if done {
                return batches;
            }
        }
    })
}

/// Collects a watch's items until its error item, which must come within
/// [`WATCH_WAIT`].
fn until_error(mut watch: WatchStream) -> tokio::task::JoinHandle<(Vec<Vec<WatchEvent>>, KvError)> {
    tokio::spawn(async move {
        let mut batches = Vec::new();
        loop {
            match tokio::time::timeout(WATCH_WAIT, watch.next()).await {
                Ok(Some(Ok(batch))) => batches.push(batch.to_vec()),
                Ok(Some(Err(error))) => return (batches, error),
                other => panic!("expected an error item, got {other:?}"),
            }
        }
    })
}

/// Checks that the watch saw every revision from `base + 1` to `last` once, in order
/// (the tests are the clusters' only writers), and every acknowledged write.
fn check_watch(
    batches: &[Vec<WatchEvent>],
    base: Revision,
    last: Revision,
    acked: &BTreeMap<Bytes, (Bytes, Revision)>,
) {
    let revisions: Vec<Revision> = batches.iter().map(|batch| batch[0].revision()).collect();
    assert_eq!(
        revisions,
        (base + 1..=last).collect::<Vec<_>>(),
        "gap-free, once each"
    );
    let seen: BTreeMap<Bytes, Revision> = batches
        .iter()
        .flatten()
        .map(|event| (event.kv.key.clone(), event.revision()))
        .collect();
    for (key, (_, revision)) in acked {
        assert_eq!(seen.get(key), Some(revision), "the watch saw {key:?}");
    }
}

/// Checks that every acknowledged write is there, as acknowledged.
async fn check_data(store: &EtcdStore, acked: &BTreeMap<Bytes, (Bytes, Revision)>) {
    for (key, (value, revision)) in acked {
        let (kv, _) = retry("get", || store.get(key)).await;
        let kv = kv.unwrap_or_else(|| panic!("acknowledged write of {key:?} lost"));
        assert_eq!((&kv.value, kv.mod_revision), (value, *revision), "{key:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn restart_keeps_data_and_watches_resume_gap_free() {
    let mut etcd = etcd_support::single("restart");
    let store = EtcdStore::connect(&[etcd.endpoint()], options())
        .await
        .expect("connect");
    let base = store.current_revision().await.expect("revision");
    let watch = collect(
        store.watch("/restart/".into(), base).await.expect("watch"),
        "/restart/done",
    );
    // A second store whose watches give up after 300 ms: its watch must end with
    // `Unavailable`, and watching again from the last revision it delivered must
    // recover every change.
    let impatient = Arc::new(
        EtcdStore::connect(
            &[etcd.endpoint()],
            options().watch_retry(Duration::from_millis(300)),
        )
        .await
        .expect("connect"),
    );
    let given_up = until_error(
        impatient
            .watch("/restart/".into(), base)
            .await
            .expect("watch"),
    );
    let mut acked = BTreeMap::new();
    for i in 0..10 {
        let key = Bytes::from(format!("/restart/before/{i}"));
        let value = Bytes::from(format!("v{i}"));
        let revision = store.put(key.clone(), value.clone()).await.expect("put");
        acked.insert(key, (value, revision));
    }
    // Let both watches catch up (etcd syncs watches opened in the past every 100 ms).
    tokio::time::sleep(Duration::from_millis(300)).await;

    let killed = Instant::now();
    etcd.kill();
    match store.put("/restart/while-down", "x").await {
        Err(KvError::Unavailable { reason }) => eprintln!("restart: while down: {reason}"),
        other => panic!("expected Unavailable while etcd is down, got {other:?}"),
    }
    let failed_after = killed.elapsed();
    // Down for longer than the impatient watch waits.
    tokio::time::sleep(Duration::from_secs(1)).await;
    let (delivered, error) = given_up.await.expect("impatient watch");
    assert!(
        matches!(error, KvError::Unavailable { .. }),
        "the impatient watch ended with {error}"
    );
    let resume_from = delivered.last().map_or(base, |batch| batch[0].revision());
    tokio::task::block_in_place(|| etcd.start());
    let healthy_after = killed.elapsed();

    let key = Bytes::from("/restart/after/0");
    let (revision, waited) = retry("first write after the restart", || {
        store.put(key.clone(), "a0")
    })
    .await;
    acked.insert(key, (Bytes::from("a0"), revision));
    for i in 1..10 {
        let key = Bytes::from(format!("/restart/after/{i}"));
        let value = Bytes::from(format!("a{i}"));
        let (revision, _) = retry("write", || store.put(key.clone(), value.clone())).await;
        acked.insert(key, (value, revision));
    }
    let (done, _) = retry("last write", || store.put("/restart/done", "")).await;

    check_data(&store, &acked).await;
    let batches = watch.await.expect("watch collector");
    check_watch(&batches, base, done, &acked);
    let (rewatch, _) = retry("watch again", || {
        impatient.watch("/restart/".into(), resume_from)
    })
    .await;
    let mut recovered = delivered;
    recovered.extend(
        collect(rewatch, "/restart/done")
            .await
            .expect("watch again"),
    );
    assert_eq!(
        recovered, batches,
        "watching again from the last revision recovers everything"
    );
    eprintln!(
        "restart: a write failed {failed_after:?} after the kill; etcd healthy again after \
         {healthy_after:?}; first write after it took {waited:?}; the watch saw {} revisions \
         without gap; the impatient one gave up after revision {resume_from} and its re-watch \
         recovered the rest",
        batches.len()
    );
}

/// The index of the member that leads the cluster, asked with etcd's status call.
async fn leader(members: &[etcd_support::EtcdMember]) -> usize {
    for (index, member) in members.iter().enumerate() {
        let mut client = etcd_client::Client::connect([member.endpoint()], None)
            .await
            .expect("status client");
        let status = client.status().await.expect("status");
        let me = status.header().map(|header| header.member_id());
        if me == Some(status.leader()) {
            return index;
        }
    }
    panic!("no member leads the cluster");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cluster_keeps_working_when_its_leader_dies() {
    let mut members = etcd_support::cluster("trio", 3);
    let endpoints: Vec<String> = members
        .iter()
        .map(etcd_support::EtcdMember::endpoint)
        .collect();
    let store = Arc::new(
        EtcdStore::connect(&endpoints, options())
            .await
            .expect("connect"),
    );
    let base = store.current_revision().await.expect("revision");
    let early = collect(
        store.watch("/trio/".into(), base).await.expect("watch"),
        "/trio/done",
    );
    let stop = Arc::new(AtomicBool::new(false));

    let writer = {
        let (store, stop) = (store.clone(), stop.clone());
        tokio::spawn(async move {
            let (mut acked, mut longest) = (BTreeMap::new(), Duration::ZERO);
            for i in 0.. {
                if stop.load(Ordering::Acquire) {
                    break;
                }
                let key = Bytes::from(format!("/trio/{i:06}"));
                let value = Bytes::from(format!("v{i}"));
                let (revision, took) =
                    retry("write", || store.put(key.clone(), value.clone())).await;
                acked.insert(key, (value, revision));
                longest = longest.max(took);
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
            (acked, longest)
        })
    };
    let reader = {
        let (store, stop) = (store.clone(), stop.clone());
        tokio::spawn(async move {
            let (mut reads, mut longest) = (0u32, Duration::ZERO);
            while !stop.load(Ordering::Acquire) {
                let request = RangeRequest::prefix("/trio/").limit(10);
                let (_, took) = retry("read", || store.range(request.clone())).await;
                reads += 1;
                longest = longest.max(took);
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
            (reads, longest)
        })
    };

    tokio::time::sleep(Duration::from_secs(1)).await;
    let victim = leader(&members).await;
    members[victim].kill();
    tokio::time::sleep(Duration::from_secs(3)).await;
    // A watch opened after the loss works too.
    let (late, _) = retry("watch after the loss", || {
        store.watch("/trio/".into(), base)
    })
    .await;
    let late = collect(late, "/trio/done");
    tokio::time::sleep(Duration::from_secs(1)).await;
    stop.store(true, Ordering::Release);

    let (acked, longest_write) = writer.await.expect("writer");
    let (reads, longest_read) = reader.await.expect("reader");
    let (done, _) = retry("last write", || store.put("/trio/done", "")).await;
    check_data(&store, &acked).await;
    let early = early.await.expect("early watch");
    let late = late.await.expect("late watch");
    check_watch(&early, base, done, &acked);
    assert_eq!(
        early, late,
        "watches opened before and after the loss agree"
    );
    eprintln!(
        "cluster: killed the leader ({}) 1 s into the run; {} writes and {reads} reads went on, \
         the slowest write took {longest_write:?} and the slowest read {longest_read:?} \
         (retries included); both watches saw {} revisions without gap",
        members[victim].name(),
        acked.len(),
        early.len()
    );
}

#[tokio::test]
async fn connect_reports_unreachable_and_malformed_endpoints() {
    etcd_support::etcd_binary();
    let nobody = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        format!("http://{}", listener.local_addr().expect("address"))
    };
    let fast = options().request_timeout(Duration::from_millis(500));
    assert!(matches!(
        EtcdStore::connect(&[nobody], fast.clone()).await,
        Err(KvError::Unavailable { .. })
    ));
    assert!(matches!(
        EtcdStore::connect(&[], fast.clone()).await,
        Err(KvError::InvalidRequest { .. })
    ));
    assert!(matches!(
        EtcdStore::connect(&["http://no spaces allowed".to_owned()], fast).await,
        Err(KvError::InvalidRequest { .. })
    ));
}
