//! Leases: grant, attach, keep-alive, revoke, expiry (with paused tokio time).

use std::sync::Arc;
use std::time::Duration;

use store::{EventKind, KvError, KvStore, KvStoreExt, LeaseId, Op, Txn};

use super::{collect_until, flatten};

const TTL: Duration = Duration::from_secs(10);

async fn put_with_lease(store: &Arc<dyn KvStore>, key: &str, lease: LeaseId) -> i64 {
    let txn = Txn::new().then(Op::put_with_lease(key.to_owned(), "v", lease));
    store.txn(txn).await.expect("put with lease").revision()
}

pub async fn unknown_lease_is_rejected(store: &Arc<dyn KvStore>) {
    let unknown = LeaseId(0x5eed_0001);
    let txn = Txn::new().then(Op::put_with_lease("/lease/x", "v", unknown));
    assert!(
        matches!(store.txn(txn).await, Err(KvError::LeaseNotFound { lease }) if lease == unknown)
    );
    assert!(matches!(
        store.lease_keep_alive(unknown).await,
        Err(KvError::LeaseNotFound { .. })
    ));
    assert!(matches!(
        store.lease_revoke(unknown).await,
        Err(KvError::LeaseNotFound { .. })
    ));
    assert!(matches!(
        store.lease_grant(Duration::ZERO).await,
        Err(KvError::InvalidRequest { .. })
    ));
    assert!(matches!(
        store.create("/lease/x", "v", Some(unknown)).await,
        Err(KvError::LeaseNotFound { .. })
    ));
    assert_eq!(store.get(b"/lease/x").await.expect("get"), None);
}

pub async fn revoke_deletes_attached_keys_at_one_revision(store: &Arc<dyn KvStore>) {
    let lease = store
        .lease_grant(Duration::from_secs(600))
        .await
        .expect("grant");
    let other = store
        .lease_grant(Duration::from_secs(600))
        .await
        .expect("grant");
    assert_ne!(lease, other);
    for key in ["/revoke/a", "/revoke/b", "/revoke/c"] {
        put_with_lease(store, key, lease).await;
    }
    put_with_lease(store, "/revoke/other", other).await;
    let kept = store.put("/revoke/plain", "v").await.expect("put");
    let a = store
        .get(b"/revoke/a")
        .await
        .expect("get")
        .expect("present");
    assert_eq!(a.lease, Some(lease));

    let mut watch = store.watch("/revoke/".into(), kept).await.expect("watch");
    let revoked = store.lease_revoke(lease).await.expect("revoke");
    assert_eq!(revoked, kept + 1);
    let batches = collect_until(&mut watch, revoked).await;
    assert_eq!(batches.len(), 1, "one revision for all the deletes");
    let keys: Vec<_> = batches[0]
        .iter()
        .map(|event| event.kv.key.to_vec())
        .collect();
    assert_eq!(
        keys,
        vec![
            b"/revoke/a".to_vec(),
            b"/revoke/b".to_vec(),
            b"/revoke/c".to_vec()
        ]
    );
    for event in &batches[0] {
        assert_eq!(event.kind, EventKind::Delete);
        assert_eq!(event.prev_kv.as_ref().and_then(|kv| kv.lease), Some(lease));
    }
    let left = store
        .range(store::RangeRequest::prefix("/revoke/"))
        .await
        .expect("range");
    assert_eq!(left.count, 2);
    assert!(matches!(
        store.lease_revoke(lease).await,
        Err(KvError::LeaseNotFound { .. })
    ));
    assert!(matches!(
        store.lease_keep_alive(lease).await,
        Err(KvError::LeaseNotFound { .. })
    ));

    // A lease without keys revokes without a revision.
    let empty = store
        .lease_grant(Duration::from_secs(600))
        .await
        .expect("grant");
    assert_eq!(store.lease_revoke(empty).await.expect("revoke"), revoked);
}

pub async fn put_without_lease_detaches_the_key(store: &Arc<dyn KvStore>) {
    let lease = store
        .lease_grant(Duration::from_secs(600))
        .await
        .expect("grant");
    put_with_lease(store, "/detach/k", lease).await;
    store.put("/detach/k", "no lease now").await.expect("put");
    assert_eq!(
        store
            .get(b"/detach/k")
            .await
            .expect("get")
            .expect("present")
            .lease,
        None
    );
    store.lease_revoke(lease).await.expect("revoke");
    assert!(
        store.get(b"/detach/k").await.expect("get").is_some(),
        "the key left the lease"
    );
}

pub async fn expiry_deletes_attached_keys(store: &Arc<dyn KvStore>) {
    let lease = store.lease_grant(TTL).await.expect("grant");
    put_with_lease(store, "/expire/a", lease).await;
    put_with_lease(store, "/expire/b", lease).await;
    let kept = store.put("/expire/plain", "v").await.expect("put");
    let mut watch = store.watch("/expire/".into(), kept).await.expect("watch");

    tokio::time::advance(TTL + Duration::from_secs(1)).await;
    let batches = collect_until(&mut watch, kept + 1).await;
    let events = flatten(batches);
    assert_eq!(events.len(), 2, "both keys deleted at one revision");
    assert!(
        events
            .iter()
            .all(|event| event.kind == EventKind::Delete && event.revision() == kept + 1)
    );
    assert_eq!(store.get(b"/expire/a").await.expect("get"), None);
    assert!(store.get(b"/expire/plain").await.expect("get").is_some());
    assert!(matches!(
        store.lease_keep_alive(lease).await,
        Err(KvError::LeaseNotFound { .. })
    ));
    let txn = Txn::new().then(Op::put_with_lease("/expire/c", "v", lease));
    assert!(matches!(
        store.txn(txn).await,
        Err(KvError::LeaseNotFound { .. })
    ));
}

pub async fn keep_alive_postpones_expiry(store: &Arc<dyn KvStore>) {
    let lease = store.lease_grant(TTL).await.expect("grant");
    let written = put_with_lease(store, "/alive/k", lease).await;
    let mut watch = store.watch("/alive/".into(), written).await.expect("watch");
    for _ in 0..3 {
        tokio::time::advance(TTL / 2 + Duration::from_secs(1)).await;
        assert_eq!(
            store.lease_keep_alive(lease).await.expect("keep alive"),
            TTL
        );
    }
    // Let any (wrong) expiry run, then check the key is still there.
    tokio::time::sleep(Duration::from_millis(1)).await;
    assert!(
        store.get(b"/alive/k").await.expect("get").is_some(),
        "kept alive"
    );

    tokio::time::advance(TTL + Duration::from_secs(1)).await;
    let events = flatten(collect_until(&mut watch, written + 1).await);
    assert_eq!((events.len(), events[0].kind), (1, EventKind::Delete));
    assert_eq!(store.get(b"/alive/k").await.expect("get"), None);
}
