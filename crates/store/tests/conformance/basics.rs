//! Revisions, the convenience writes, transactions, input validation.

use std::sync::Arc;

use bytes::Bytes;
use store::{Compare, KvError, KvStore, KvStoreExt, LeaseId, Op, RangeRequest, Txn, TxnResponse};

pub async fn revisions_increase_by_one_per_write(store: &Arc<dyn KvStore>) {
    let base = store.current_revision().await.expect("revision");
    assert_eq!(store.put("/rev/a", "1").await.expect("put"), base + 1);
    assert_eq!(store.put("/rev/b", "1").await.expect("put"), base + 2);
    assert_eq!(store.put("/rev/a", "2").await.expect("put"), base + 3);
    let txn = Txn::new()
        .then(Op::put("/rev/c", "1"))
        .then(Op::put("/rev/d", "1"))
        .then(Op::delete("/rev/b"));
    assert_eq!(store.txn(txn).await.expect("txn").revision(), base + 4);
    assert_eq!(store.current_revision().await.expect("revision"), base + 4);

    // Writes that change nothing do not create a revision.
    let noop = store
        .txn(Txn::new().then(Op::delete("/rev/absent")))
        .await
        .expect("txn");
    assert!(noop.succeeded());
    assert_eq!(noop.revision(), base + 4);
    let failed = store.txn(
        Txn::new()
            .when(Compare::mod_revision("/rev/a", 1_000_000))
            .then(Op::put("/rev/e", "1")),
    );
    assert_eq!(failed.await.expect("txn").revision(), base + 4);
    assert_eq!(store.current_revision().await.expect("revision"), base + 4);

    let a = store.get(b"/rev/a").await.expect("get").expect("present");
    assert_eq!(
        (a.create_revision, a.mod_revision, a.version),
        (base + 1, base + 3, 2)
    );
    let c = store.get(b"/rev/c").await.expect("get").expect("present");
    assert_eq!(
        (c.create_revision, c.mod_revision, c.version),
        (base + 4, base + 4, 1)
    );
}

pub async fn create_update_delete_and_conflicts(store: &Arc<dyn KvStore>) {
    let created = store.create("/crud/x", "v1", None).await.expect("create");
    match store.create("/crud/x", "again", None).await {
        Err(KvError::AlreadyExists { key, mod_revision }) => {
            assert_eq!((key.as_ref(), mod_revision), (&b"/crud/x"[..], created));
        }
        other => panic!("expected AlreadyExists, got {other:?}"),
    }
    let kv = store.get(b"/crud/x").await.expect("get").expect("present");
    assert_eq!(
        (kv.value.as_ref(), kv.version, kv.create_revision),
        (&b"v1"[..], 1, created)
    );

    match store.update("/crud/x", "v2", created + 100).await {
        Err(KvError::Conflict {
            current_mod_revision,
            ..
        }) => assert_eq!(current_mod_revision, created),
        other => panic!("expected Conflict, got {other:?}"),
    }
    let updated = store
        .update("/crud/x", "v2", created)
        .await
        .expect("update");
    assert!(updated > created);
    let kv = store.get(b"/crud/x").await.expect("get").expect("present");
    assert_eq!((kv.value.as_ref(), kv.version), (&b"v2"[..], 2));
    assert_eq!((kv.create_revision, kv.mod_revision), (created, updated));
    assert!(matches!(
        store.update("/crud/none", "v", created).await,
        Err(KvError::NotFound { .. })
    ));
    assert!(matches!(
        store.update("/crud/x", "v", 0).await,
        Err(KvError::InvalidRequest { .. })
    ));

    match store.delete("/crud/x", Some(created)).await {
        Err(KvError::Conflict {
            current_mod_revision,
            ..
        }) => assert_eq!(current_mod_revision, updated),
        other => panic!("expected Conflict, got {other:?}"),
    }
    let deleted = store
        .delete("/crud/x", Some(updated))
        .await
        .expect("delete");
    assert!(deleted > updated);
    assert_eq!(store.get(b"/crud/x").await.expect("get"), None);
    assert!(matches!(
        store.delete("/crud/x", None).await,
        Err(KvError::NotFound { .. })
    ));
    assert!(matches!(
        store.delete("/crud/x", Some(deleted)).await,
        Err(KvError::NotFound { .. })
    ));

    // A new life: version and create revision start over.
    let recreated = store.create("/crud/x", "v3", None).await.expect("create");
    let kv = store.get(b"/crud/x").await.expect("get").expect("present");
    assert_eq!(
        (kv.version, kv.create_revision, kv.mod_revision),
        (1, recreated, recreated)
    );
    let put = store.put("/crud/x", "v4").await.expect("put");
    assert_eq!(
        store.delete("/crud/x", None).await.expect("delete"),
        put + 1
    );
}

pub async fn txn_is_all_or_nothing(store: &Arc<dyn KvStore>) {
    let a = store.put("/txn/a", "a1").await.expect("put");
    let b = store.put("/txn/b", "b1").await.expect("put");
    let txn = Txn::new()
        .when(Compare::mod_revision("/txn/a", a))
        .when(Compare::mod_revision("/txn/b", b))
        .when(Compare::mod_revision("/txn/c", 0))
        .then(Op::put("/txn/a", "a2"))
        .then(Op::delete("/txn/b"))
        .then(Op::put("/txn/c", "c1"));
    let (revision, prev_kvs) = match store.txn(txn).await.expect("txn") {
        TxnResponse::Succeeded { revision, prev_kvs } => (revision, prev_kvs),
        failed => panic!("expected success, got {failed:?}"),
    };
    assert_eq!(revision, b + 1);
    let prev: Vec<_> = prev_kvs
        .iter()
        .map(|kv| kv.as_ref().map(|kv| kv.value.clone()))
        .collect();
    assert_eq!(
        prev,
        vec![Some(Bytes::from("a1")), Some(Bytes::from("b1")), None]
    );
    let all = store
        .range(RangeRequest::prefix("/txn/"))
        .await
        .expect("range");
    assert_eq!(all.kvs.len(), 2);
    assert!(all.kvs.iter().all(|kv| kv.mod_revision == revision));

    // The second compare fails: nothing of the transaction is applied.
    let txn = Txn::new()
        .when(Compare::mod_revision("/txn/a", revision))
        .when(Compare::mod_revision("/txn/c", a))
        .then(Op::put("/txn/a", "never"))
        .then(Op::delete("/txn/c"));
    match store.txn(txn).await.expect("txn") {
        TxnResponse::Failed {
            revision: at,
            failure,
        } => {
            assert_eq!(at, revision);
            assert_eq!((failure.index, failure.key.as_ref()), (1, &b"/txn/c"[..]));
            assert_eq!(failure.current_mod_revision(), revision);
            assert_eq!(failure.current.map(|kv| kv.value), Some(Bytes::from("c1")));
        }
        ok => panic!("expected failure, got {ok:?}"),
    }
    assert_eq!(store.current_revision().await.expect("revision"), revision);
    assert_eq!(
        store
            .range(RangeRequest::prefix("/txn/"))
            .await
            .expect("range")
            .kvs,
        all.kvs
    );

    // A put with an unknown lease fails the whole transaction.
    let txn = Txn::new()
        .then(Op::put("/txn/d", "d"))
        .then(Op::put_with_lease("/txn/e", "e", LeaseId(0x7eed_beef)));
    assert!(matches!(
        store.txn(txn).await,
        Err(KvError::LeaseNotFound { .. })
    ));
    assert_eq!(store.get(b"/txn/d").await.expect("get"), None);
    assert_eq!(store.current_revision().await.expect("revision"), revision);
}

pub async fn txn_compares_version_and_value(store: &Arc<dyn KvStore>) {
    store.put("/cmp/k", "one").await.expect("put");
    store.put("/cmp/k", "two").await.expect("put");
    let holds = |compare: Compare| {
        let store = store.clone();
        async move {
            store
                .txn(Txn::new().when(compare))
                .await
                .expect("txn")
                .succeeded()
        }
    };
    assert!(holds(Compare::version("/cmp/k", 2)).await);
    assert!(!holds(Compare::version("/cmp/k", 1)).await);
    assert!(holds(Compare::version("/cmp/absent", 0)).await);
    assert!(holds(Compare::value("/cmp/k", "two")).await);
    assert!(!holds(Compare::value("/cmp/k", "one")).await);
    assert!(!holds(Compare::value("/cmp/absent", "")).await);
}

pub async fn invalid_input_is_rejected(store: &Arc<dyn KvStore>) {
    let invalid_key =
        |result: Result<_, KvError>| matches!(result, Err(KvError::InvalidKey { .. }));
    assert!(invalid_key(store.put("", "v").await));
    assert!(invalid_key(store.get(b"").await.map(|_| 0)));
    assert!(invalid_key(
        store.create(vec![b'k'; 64 * 1024], "v", None).await
    ));
    let txn = Txn::new()
        .when(Compare::mod_revision("", 0))
        .then(Op::put("/ok", "v"));
    assert!(invalid_key(store.txn(txn).await.map(|r| r.revision())));
    let twice = Txn::new()
        .then(Op::put("/dup", "1"))
        .then(Op::delete("/dup"));
    assert!(matches!(
        store.txn(twice).await,
        Err(KvError::InvalidRequest { .. })
    ));
    let negative = store.range(RangeRequest::prefix("/").at_revision(-1)).await;
    assert!(matches!(negative, Err(KvError::InvalidRequest { .. })));
    assert!(matches!(
        store.watch(Bytes::new(), -1).await,
        Err(KvError::InvalidRequest { .. })
    ));
    assert_eq!(store.get(b"/ok").await.expect("get"), None);
}
