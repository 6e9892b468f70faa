//! Many writers at once: compare-and-swap races and concurrent creates.

use std::collections::BTreeSet;
use std::sync::Arc;

use store::{KvError, KvStore, KvStoreExt, Revision};

use super::{assert_well_formed, collect_resuming, flatten};

const WRITERS: usize = 16;
const INCREMENTS: usize = 50;

pub async fn racing_cas_increments_lose_nothing(store: &Arc<dyn KvStore>) {
    let created = store
        .create("/race/counter", "0", None)
        .await
        .expect("create");
    let total = WRITERS * INCREMENTS;
    let last = created + i64::try_from(total).expect("small");
    // Consumed while the race runs; the race outruns the small watch buffer at times,
    // so the watcher resumes after a cut-off like a real client.
    let watcher = tokio::spawn(collect_resuming(store.clone(), "/race/", created, last));
    let mut tasks = Vec::new();
    for _ in 0..WRITERS {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            let mut conflicts = 0u64;
            for _ in 0..INCREMENTS {
                loop {
                    let kv = store
                        .get(b"/race/counter")
                        .await
                        .expect("get")
                        .expect("counter exists");
                    let value: u64 = std::str::from_utf8(&kv.value)
                        .expect("utf-8")
                        .parse()
                        .expect("number");
                    match store
                        .update("/race/counter", (value + 1).to_string(), kv.mod_revision)
                        .await
                    {
                        Ok(_) => break,
                        Err(KvError::Conflict { .. }) => conflicts += 1,
                        Err(other) => panic!("update failed: {other}"),
                    }
                }
            }
            conflicts
        }));
    }
    for task in tasks {
        task.await.expect("writer");
    }
    let kv = store
        .get(b"/race/counter")
        .await
        .expect("get")
        .expect("counter exists");
    assert_eq!(kv.value, total.to_string());
    assert_eq!(kv.version, i64::try_from(total).expect("small") + 1);

    assert_eq!(kv.mod_revision, last);
    let batches = watcher.await.expect("watcher");
    assert_well_formed(&batches);
    let events = flatten(batches);
    let values: Vec<String> = events
        .iter()
        .map(|event| String::from_utf8(event.kv.value.to_vec()).expect("utf-8"))
        .collect();
    let expected: Vec<String> = (1..=total).map(|i| i.to_string()).collect();
    assert_eq!(
        values, expected,
        "the watcher saw every increment, in order"
    );
    let revisions: Vec<Revision> = events.iter().map(|event| event.revision()).collect();
    assert_eq!(
        revisions,
        (created + 1..=kv.mod_revision).collect::<Vec<_>>()
    );
}

pub async fn concurrent_creates_get_distinct_contiguous_revisions(store: &Arc<dyn KvStore>) {
    let base = store.current_revision().await.expect("revision");
    let last = base + 200;
    let watcher = tokio::spawn(collect_resuming(store.clone(), "/creates/", base, last));
    let mut tasks = Vec::new();
    for writer in 0..8 {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            let mut revisions = Vec::new();
            for i in 0..25 {
                let key = format!("/creates/{writer}/{i}");
                revisions.push(store.create(key, "v", None).await.expect("create"));
            }
            revisions
        }));
    }
    let mut all = BTreeSet::new();
    for task in tasks {
        for revision in task.await.expect("writer") {
            assert!(all.insert(revision), "revision {revision} handed out twice");
        }
    }
    assert_eq!(all, (base + 1..=last).collect::<BTreeSet<_>>());
    let events = flatten(watcher.await.expect("watcher"));
    assert_eq!(events.len(), 200);
    let count = store
        .range(store::RangeRequest::prefix("/creates/"))
        .await
        .expect("range")
        .count;
    assert_eq!(count, 200);
}
