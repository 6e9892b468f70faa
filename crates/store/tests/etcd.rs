//! The conformance suite on [`EtcdStore`], against a real etcd server started by this
//! test binary (`/usr/bin/etcd`; the tests fail, never skip, without it).
//!
//! All cases share one etcd member and run one at a time: several cases count on
//! being the only writer (their revisions must be consecutive), and the model test on
//! an empty key space. Each case takes a lock for its whole run and starts by deleting
//! every key the previous ones left. Compaction cases compact the shared history, which
//! is harmless to the cases that follow: they all start from the current revision.
//! The lease-expiry cases run with paused tokio time, paced at real speed (see
//! `etcd_support::clock`), and take about the leases' real TTL (10 s) each.

mod conformance;
mod etcd_support;

use std::sync::Arc;
use std::time::Duration;

use conformance::{Subject, WATCH_BUFFER};
use etcd_support::clock::RealTimePacer;
use store::{EtcdOptions, EtcdStore, KvStore, Op, RangeRequest, Txn};
use tokio::sync::Mutex;

/// One case at a time on the shared member.
static TURN: Mutex<()> = Mutex::const_new(());

async fn etcd() -> Subject {
    let pacer = RealTimePacer::start_if_paused();
    let turn = TURN.lock().await;
    let member = etcd_support::shared();
    // Few pings: in the paused-time cases the clock runs ahead of real time, and etcd
    // closes connections that ping more often than every 5 s.
    let options = EtcdOptions::default()
        .watch_buffer(WATCH_BUFFER)
        .keep_alive(Duration::from_secs(30));
    let store = EtcdStore::connect(&[member.endpoint()], options)
        .await
        .expect("connect to the test etcd");
    wipe(&store).await;
    Subject::new(Arc::new(store)).keeping((turn, pacer))
}

/// Deletes every key, a hundred per transaction (below etcd's default limit of 128).
async fn wipe(store: &EtcdStore) {
    let keys = store
        .range(RangeRequest::prefix(""))
        .await
        .expect("list the keys left by earlier cases");
    for chunk in keys.kvs.chunks(100) {
        let txn = chunk
            .iter()
            .fold(Txn::new(), |txn, kv| txn.then(Op::delete(kv.key.clone())));
        store
            .txn(txn)
            .await
            .expect("delete the keys left by earlier cases");
    }
}

conformance::conformance_suite!(etcd(), model_cases: 32);
