//! Range reads: prefix, limit, continuation, past revisions, compaction.

use std::collections::BTreeMap;
use std::sync::Arc;

use bytes::Bytes;
use store::{KeyValue, KvError, KvStore, KvStoreExt, RangeRequest, Revision};

/// All keys under `prefix` at the current revision, paged by `page`.
async fn paged(store: &Arc<dyn KvStore>, request: RangeRequest, page: usize) -> Vec<KeyValue> {
    let mut out = Vec::new();
    let mut request = request.limit(page);
    loop {
        let response = store.range(request.clone()).await.expect("range");
        assert!(response.kvs.len() <= page);
        let more = response.more;
        out.extend(response.kvs);
        if !more {
            return out;
        }
        let last = out.last().expect("a page with more has keys").key.clone();
        request = request.start_after(last);
    }
}

pub async fn range_pages_with_prefix_limit_and_continuation(store: &Arc<dyn KvStore>) {
    for i in [3, 0, 9, 1, 7, 2, 8, 4, 6, 5] {
        store
            .put(format!("/page/a/{i}"), format!("{i}"))
            .await
            .expect("put");
    }
    store
        .put("/page/a", "not under /page/a/")
        .await
        .expect("put");
    store.put("/page/b/0", "other prefix").await.expect("put");
    let current = store.current_revision().await.expect("revision");

    let all = store
        .range(RangeRequest::prefix("/page/a/"))
        .await
        .expect("range");
    let keys: Vec<_> = all.kvs.iter().map(|kv| kv.key.clone()).collect();
    let expected: Vec<_> = (0..10)
        .map(|i| Bytes::from(format!("/page/a/{i}")))
        .collect();
    assert_eq!(keys, expected);
    assert_eq!((all.count, all.more, all.revision), (10, false, current));

    let first = store
        .range(RangeRequest::prefix("/page/a/").limit(3))
        .await
        .expect("range");
    assert_eq!((first.kvs.len(), first.count, first.more), (3, 10, true));
    let rest = store
        .range(
            RangeRequest::prefix("/page/a/")
                .limit(3)
                .start_after("/page/a/7"),
        )
        .await
        .expect("range");
    assert_eq!(
        rest.kvs.iter().map(|kv| kv.key.clone()).collect::<Vec<_>>(),
        expected[8..].to_vec()
    );
    assert_eq!((rest.count, rest.more), (2, false));
    let exact = store
        .range(RangeRequest::prefix("/page/a/").limit(10))
        .await
        .expect("range");
    assert_eq!((exact.kvs.len(), exact.more), (10, false));

    for page in [1, 2, 3, 4, 10, 11] {
        assert_eq!(
            paged(store, RangeRequest::prefix("/page/a/"), page).await,
            all.kvs
        );
    }
    let everything = store
        .range(RangeRequest::prefix("/page/"))
        .await
        .expect("range");
    assert_eq!(everything.count, 12);
    let none = store
        .range(RangeRequest::prefix("/page/c/"))
        .await
        .expect("range");
    assert_eq!((none.kvs.len(), none.count, none.more), (0, 0, false));
}

/// Writes a mixed history under `/past/`, returning the expected state after each
/// revision (starting with the state at the first revision read).
async fn write_history(store: &Arc<dyn KvStore>) -> BTreeMap<Revision, Vec<KeyValue>> {
    let mut snapshots = BTreeMap::new();
    let snapshot = |store: Arc<dyn KvStore>| async move {
        let response = store
            .range(RangeRequest::prefix("/past/"))
            .await
            .expect("range");
        (response.revision, response.kvs)
    };
    let (revision, kvs) = snapshot(store.clone()).await;
    snapshots.insert(revision, kvs);
    for step in 0..24u32 {
        let key = format!("/past/{}", step % 5);
        match step % 4 {
            0 | 1 => drop(store.put(key, format!("v{step}")).await.expect("put")),
            2 => drop(store.delete(key, None).await),
            _ => drop(store.put(format!("/past/x{step}"), "x").await.expect("put")),
        }
        let (revision, kvs) = snapshot(store.clone()).await;
        snapshots.insert(revision, kvs);
    }
    snapshots
}

pub async fn range_reads_past_revisions(store: &Arc<dyn KvStore>) {
    let snapshots = write_history(store).await;
    let (&first, _) = snapshots.first_key_value().expect("snapshots");
    let (&last, _) = snapshots.last_key_value().expect("snapshots");
    // A revision without its own snapshot (no change under /past/) reads as the one before.
    for at in first..=last {
        let (_, expected) = snapshots
            .range(..=at)
            .next_back()
            .expect("earlier snapshot");
        let response = store
            .range(RangeRequest::prefix("/past/").at_revision(at))
            .await
            .expect("range");
        assert_eq!(&response.kvs, expected, "state at revision {at}");
        assert_eq!((response.revision, response.count), (at, expected.len()));
        let paged = paged(store, RangeRequest::prefix("/past/").at_revision(at), 2).await;
        assert_eq!(&paged, expected, "paged state at revision {at}");
        let limited = store
            .range(RangeRequest::prefix("/past/").at_revision(at).limit(1))
            .await
            .expect("range");
        assert_eq!(limited.more, expected.len() > 1);
    }
}

pub async fn compaction_refuses_older_reads_and_watches(store: &Arc<dyn KvStore>) {
    let snapshots = write_history(store).await;
    let (&last, _) = snapshots.last_key_value().expect("snapshots");
    let middle = last - 10;
    store.compact(middle).await.expect("compact");
    assert_eq!(store.compacted_revision().await.expect("compacted"), middle);

    let at = |revision: Revision| store.range(RangeRequest::prefix("/past/").at_revision(revision));
    match at(middle - 1).await {
        Err(KvError::Compacted {
            requested,
            compacted,
        }) => assert_eq!((requested, compacted), (middle - 1, middle)),
        other => panic!("expected Compacted, got {other:?}"),
    }
    let (_, expected) = snapshots.range(..=middle).next_back().expect("snapshot");
    assert_eq!(
        &at(middle)
            .await
            .expect("range at the compacted revision")
            .kvs,
        expected
    );
    assert!(matches!(
        at(last + 1).await,
        Err(KvError::FutureRevision { .. })
    ));

    assert!(matches!(
        store.watch("/past/".into(), middle - 1).await.err(),
        Some(KvError::Compacted { requested, compacted }) if requested == middle - 1 && compacted == middle
    ));
    let mut watch = store
        .watch("/past/".into(), middle)
        .await
        .expect("watch from the compacted revision");
    let batches = super::collect_until(&mut watch, last).await;
    assert_eq!(
        batches.first().map(|batch| batch[0].revision()),
        Some(middle + 1)
    );

    assert!(matches!(
        store.compact(middle).await,
        Err(KvError::Compacted { .. })
    ));
    assert!(matches!(
        store.compact(last + 1).await,
        Err(KvError::FutureRevision { .. })
    ));
    store.compact(last).await.expect("compact everything");
    let current = store
        .range(RangeRequest::prefix("/past/"))
        .await
        .expect("range");
    assert_eq!(&current.kvs, snapshots.get(&last).expect("snapshot"));
}
