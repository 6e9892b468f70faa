//! What only the durable backend has: reopening, automatic compaction on disk, group
//! commit, and typed errors for corrupt data.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use futures::StreamExt;
use store::{KvError, KvStore, KvStoreExt, Op, RangeRequest, SledStore, StoreOptions, Txn};

fn open(path: &Path, options: StoreOptions) -> SledStore {
    SledStore::open(path, options).expect("open")
}

#[tokio::test]
async fn reopen_keeps_state_history_and_leases() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let (lease, compacted, current) = {
        let store = open(dir.path(), StoreOptions::default());
        for i in 0..10 {
            store
                .put(format!("/r/{}", i % 3), format!("{i}"))
                .await
                .expect("put");
        }
        store.delete("/r/0", None).await.expect("delete");
        let lease = store
            .lease_grant(Duration::from_secs(600))
            .await
            .expect("grant");
        let txn = Txn::new().then(Op::put_with_lease("/r/leased", "v", lease));
        store.txn(txn).await.expect("put with lease");
        store.compact(5).await.expect("compact");
        (lease, 5, store.current_revision().await.expect("revision"))
    };

    let store = open(dir.path(), StoreOptions::default());
    assert_eq!(store.current_revision().await.expect("revision"), current);
    assert_eq!(
        store.compacted_revision().await.expect("compacted"),
        compacted
    );
    assert_eq!(store.get(b"/r/0").await.expect("get"), None);
    let one = store.get(b"/r/1").await.expect("get").expect("present");
    assert_eq!((one.value.as_ref(), one.version), (&b"7"[..], 3));
    let old = store
        .range(RangeRequest::prefix("/r/").at_revision(6))
        .await
        .expect("past read");
    assert_eq!(old.count, 3);
    let mut watch = store.watch("/r/".into(), compacted).await.expect("watch");
    let first = watch.next().await.expect("item").expect("events");
    assert_eq!(first[0].revision(), compacted + 1);

    // Writes go on from the next revision; lease ids are not reused.
    assert_eq!(store.put("/r/next", "v").await.expect("put"), current + 1);
    assert!(
        store
            .lease_grant(Duration::from_secs(60))
            .await
            .expect("grant")
            > lease
    );
    // The lease survived with its key attached.
    assert_eq!(
        store.lease_keep_alive(lease).await.expect("keep alive"),
        Duration::from_secs(600)
    );
    store.lease_revoke(lease).await.expect("revoke");
    assert_eq!(store.get(b"/r/leased").await.expect("get"), None);
}

#[tokio::test]
async fn automatic_compaction_bounds_history() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let options = StoreOptions::default().retain_revisions(Some(20));
    let store = open(dir.path(), options.clone());
    for i in 0..100 {
        store
            .put(format!("/auto/{}", i % 10), "v")
            .await
            .expect("put");
    }
    let compacted = store.compacted_revision().await.expect("compacted");
    assert!(
        (100 - 20 - 20 / 8..=80).contains(&compacted),
        "compacted up to {compacted}"
    );
    assert!(matches!(
        store.watch("/auto/".into(), 0).await.err(),
        Some(KvError::Compacted { .. })
    ));
    drop(store);
    let store = open(dir.path(), options);
    assert_eq!(
        store.compacted_revision().await.expect("compacted"),
        compacted
    );
    let old = store
        .range(RangeRequest::prefix("/auto/").at_revision(compacted))
        .await;
    assert_eq!(old.expect("read at the compacted revision").count, 10);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_writers_share_flushes() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let store = Arc::new(open(dir.path(), StoreOptions::default()));
    let mut tasks = Vec::new();
    for writer in 0..64 {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            for i in 0..10 {
                store
                    .put(format!("/group/{writer}/{i}"), "v")
                    .await
                    .expect("put");
            }
        }));
    }
    for task in tasks {
        task.await.expect("writer");
    }
    let stats = store.write_stats();
    eprintln!("group commit: {stats:?}");
    assert_eq!(stats.requests, 640);
    assert!(
        stats.flushes * 4 <= stats.requests,
        "group commit: {stats:?}"
    );
}

#[tokio::test]
async fn corrupt_data_is_a_typed_error() {
    let dir = tempfile::tempdir().expect("temporary directory");
    {
        let store = open(dir.path(), StoreOptions::default());
        for i in 0..5 {
            store.put(format!("/c/{i}"), "v").await.expect("put");
        }
    }
    {
        let db = sled::open(dir.path()).expect("raw open");
        db.insert(b"k/c/1", &b"\x01garbage"[..]).expect("insert");
        let mut history_3 = vec![b'h'];
        history_3.extend_from_slice(&3i64.to_be_bytes());
        db.insert(history_3, &b"\x09"[..]).expect("insert");
        db.flush().expect("flush");
    }
    let store = open(dir.path(), StoreOptions::default());
    assert!(matches!(
        store.get(b"/c/1").await,
        Err(KvError::Corrupt { .. })
    ));
    assert!(matches!(
        store.range(RangeRequest::prefix("/c/")).await,
        Err(KvError::Corrupt { .. })
    ));
    // (The value of /c/2, written at revision 3, is in the broken history entry.)
    assert!(matches!(
        store.get(b"/c/2").await,
        Err(KvError::Corrupt { .. })
    ));
    assert!(store.get(b"/c/3").await.expect("intact key").is_some());
    let mut watch = store.watch("/c/".into(), 1).await.expect("watch");
    assert!(
        matches!(watch.next().await, Some(Ok(_))),
        "revision 2 is intact"
    );
    assert!(matches!(
        watch.next().await,
        Some(Err(KvError::Corrupt { .. }))
    ));
    assert!(watch.next().await.is_none());
    drop(store);

    // Broken metadata: the store refuses to open instead of guessing.
    sled::open(dir.path())
        .expect("raw open")
        .insert(b"mrevision", &b"x"[..])
        .expect("insert");
    assert!(matches!(
        SledStore::open(dir.path(), StoreOptions::default()),
        Err(KvError::Corrupt { .. })
    ));
}

#[test]
fn opening_outside_a_runtime_is_an_error() {
    let dir = tempfile::tempdir().expect("temporary directory");
    assert!(matches!(
        SledStore::open(dir.path(), StoreOptions::default()),
        Err(KvError::Unavailable { .. })
    ));
}

/// The revisions of the history entries of a closed store.
fn kept_entries(path: &Path) -> Vec<i64> {
    let db = sled::open(path).expect("raw open");
    db.scan_prefix(b"h")
        .map(|entry| {
            let (key, _) = entry.expect("history entry");
            let mut revision = [0; 8];
            revision.copy_from_slice(&key[1..]);
            i64::from_be_bytes(revision)
        })
        .collect()
}

#[tokio::test]
async fn compaction_keeps_current_values_only() {
    let dir = tempfile::tempdir().expect("temporary directory");
    {
        let store = open(dir.path(), StoreOptions::default());
        // Revisions 1-4: four keys; 5: a transaction writing two of them again and a
        // fifth; 6: a delete; 7: one more update.
        for i in 0..4 {
            store
                .put(format!("/k/{i}"), format!("v{i}"))
                .await
                .expect("put");
        }
        let txn = Txn::new()
            .then(Op::put("/k/0", "w0"))
            .then(Op::put("/k/1", "w1"))
            .then(Op::put("/k/4", "v4"));
        store.txn(txn).await.expect("txn");
        store.delete("/k/2", None).await.expect("delete");
        store.compact(6).await.expect("compact");
        // Replaces a value kept in the reduced entry of revision 5.
        store.put("/k/0", "x0").await.expect("put");
        store.compact(7).await.expect("compact");
    }
    // Kept: 4 (/k/3), 5 (/k/1 and /k/4), 7 (/k/0); 1-3 and 6 hold no current value.
    assert_eq!(kept_entries(dir.path()), vec![4, 5, 7]);
    let store = open(dir.path(), StoreOptions::default());
    let values = store
        .range(RangeRequest::prefix("/k/"))
        .await
        .expect("range")
        .kvs
        .into_iter()
        .map(|kv| (kv.key, kv.value))
        .collect::<Vec<_>>();
    let expected: Vec<(bytes::Bytes, bytes::Bytes)> = [
        ("/k/0", "x0"),
        ("/k/1", "w1"),
        ("/k/3", "v3"),
        ("/k/4", "v4"),
    ]
    .into_iter()
    .map(|(k, v)| (k.into(), v.into()))
    .collect();
    assert_eq!(values, expected);
    // Replacing the last value of a kept entry removes the entry.
    store.put("/k/3", "y3").await.expect("put");
    store.delete("/k/4", None).await.expect("delete");
    store.put("/k/1", "y1").await.expect("put");
    assert_eq!(
        store.get(b"/k/3").await.expect("get").map(|kv| kv.value),
        Some("y3".into())
    );
    drop(store);
    assert_eq!(
        kept_entries(dir.path()),
        vec![7, 8, 9, 10],
        "entries 4 and 5 are gone"
    );
}
