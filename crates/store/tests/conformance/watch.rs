//! Watches: exclusive start, replay and live switch, deletes, prefixes, fan-out, lag.

use std::sync::Arc;
use std::time::Duration;

use futures::StreamExt;
use store::{EventKind, KvError, KvStore, KvStoreExt, Op, Revision, Txn, WatchEvent};

use super::{WATCH_BUFFER, assert_well_formed, collect_until, flatten};

/// A mixed history under `prefix`: creates, updates, deletes, a multi-key transaction.
async fn mixed_writes(store: &Arc<dyn KvStore>, prefix: &str, rounds: usize) -> Revision {
    let mut last = 0;
    for round in 0..rounds {
        let key = format!("{prefix}{}", round % 4);
        last = match round % 5 {
            0..=2 => store.put(key, format!("v{round}")).await.expect("put"),
            3 => match store.delete(key.clone(), None).await {
                Ok(revision) => revision,
                Err(_) => store.put(key, "recreated").await.expect("put"),
            },
            _ => {
                let txn = Txn::new()
                    .then(Op::put(format!("{prefix}t{round}"), "a"))
                    .then(Op::put(format!("{prefix}u{round}"), "b"));
                store.txn(txn).await.expect("txn").revision()
            }
        };
    }
    last
}

pub async fn watch_from_every_revision_gets_exactly_the_later_events(store: &Arc<dyn KvStore>) {
    let base = store.current_revision().await.expect("revision");
    let mut reference = store.watch("/every/".into(), base).await.expect("watch");
    let last = mixed_writes(store, "/every/", 15).await;
    let mut watches = Vec::new();
    for after in base..=last {
        watches.push((
            after,
            store.watch("/every/".into(), after).await.expect("watch"),
        ));
    }
    // One more write, so the watch opened at the current revision has something live.
    let marker = store.put("/every/marker", "m").await.expect("put");
    let expected = collect_until(&mut reference, marker).await;
    assert_well_formed(&expected);
    let revisions: Vec<Revision> = expected.iter().map(|batch| batch[0].revision()).collect();
    assert_eq!(
        revisions,
        (base + 1..=marker).collect::<Vec<_>>(),
        "every revision, once"
    );
    for (after, mut watch) in watches {
        let got = collect_until(&mut watch, marker).await;
        let want: Vec<_> = expected
            .iter()
            .filter(|batch| batch[0].revision() > after)
            .cloned()
            .collect();
        assert_eq!(got, want, "watch after revision {after}");
    }
}

pub async fn watches_opened_during_writes_switch_to_live_without_gaps(store: &Arc<dyn KvStore>) {
    const WRITES: i64 = 150;
    let base = store.current_revision().await.expect("revision");
    let last = base + WRITES;
    // Every watch is consumed by its own task: the writes outnumber the watch buffer.
    let consume = |after: Revision, store: Arc<dyn KvStore>| async move {
        let mut watch = store.watch("/live/".into(), after).await.expect("watch");
        (
            after,
            tokio::spawn(async move { collect_until(&mut watch, last).await }),
        )
    };
    let reference = consume(base, store.clone()).await.1;
    let writer = {
        let store = store.clone();
        tokio::spawn(async move {
            for i in 0..WRITES {
                store
                    .put(format!("/live/{}", i % 7), format!("{i}"))
                    .await
                    .expect("put");
                tokio::task::yield_now().await;
            }
        })
    };
    let mut watches = Vec::new();
    for _ in 0..15 {
        let now = store.current_revision().await.expect("revision");
        for after in [now, now.saturating_sub(5).max(base), base] {
            if after < last {
                watches.push(consume(after, store.clone()).await);
            }
        }
        for _ in 0..10 {
            tokio::task::yield_now().await;
        }
    }
    writer.await.expect("writer");
    let expected = reference.await.expect("reference watch");
    assert_eq!(expected.len(), 150);
    for (after, watch) in watches {
        let got = watch.await.expect("watch");
        let want: Vec<_> = expected
            .iter()
            .filter(|batch| batch[0].revision() > after)
            .cloned()
            .collect();
        assert_eq!(got, want, "watch after revision {after}");
    }
}

pub async fn watch_reports_deletes_with_previous_value(store: &Arc<dyn KvStore>) {
    let base = store.current_revision().await.expect("revision");
    let mut watch = store.watch("/del/".into(), base).await.expect("watch");
    let created = store.create("/del/k", "v1", None).await.expect("create");
    let updated = store.update("/del/k", "v2", created).await.expect("update");
    let deleted = store.delete("/del/k", Some(updated)).await.expect("delete");
    store.put("/del/a", "a").await.expect("put");
    let txn = Txn::new()
        .then(Op::delete("/del/a"))
        .then(Op::put("/del/b", "b"));
    let both = store.txn(txn).await.expect("txn").revision();
    let events = flatten(collect_until(&mut watch, both).await);
    assert_eq!(events.len(), 6);

    let (create, update, delete) = (&events[0], &events[1], &events[2]);
    assert_eq!(
        (create.kind, create.prev_kv.as_ref()),
        (EventKind::Put, None)
    );
    assert_eq!((update.kind, update.revision()), (EventKind::Put, updated));
    assert_eq!(update.prev_kv.as_ref(), Some(&create.kv));
    assert_eq!(delete.kind, EventKind::Delete);
    assert_eq!(
        (delete.kv.key.as_ref(), delete.kv.mod_revision),
        (&b"/del/k"[..], deleted)
    );
    assert!(delete.kv.value.is_empty());
    assert_eq!(delete.prev_kv.as_ref(), Some(&update.kv));

    // One transaction, one item, events in operation order.
    assert_eq!(
        (events[4].kind, events[4].kv.key.as_ref()),
        (EventKind::Delete, &b"/del/a"[..])
    );
    assert_eq!(
        (events[5].kind, events[5].kv.key.as_ref()),
        (EventKind::Put, &b"/del/b"[..])
    );
    assert_eq!((events[4].revision(), events[5].revision()), (both, both));
}

pub async fn watch_filters_by_prefix(store: &Arc<dyn KvStore>) {
    let base = store.current_revision().await.expect("revision");
    let mut watch = store.watch("/pre/a/".into(), base).await.expect("watch");
    store.put("/pre/b/1", "x").await.expect("put");
    let txn = Txn::new()
        .then(Op::put("/pre/a/1", "1"))
        .then(Op::put("/pre/b/2", "2"));
    let mixed = store.txn(txn).await.expect("txn").revision();
    store.put("/pre/a", "no trailing slash").await.expect("put");
    let last = store.put("/pre/a/2", "2").await.expect("put");
    let batches = collect_until(&mut watch, last).await;
    let seen: Vec<(Revision, Vec<u8>)> = flatten(batches)
        .into_iter()
        .map(|event| (event.revision(), event.kv.key.to_vec()))
        .collect();
    assert_eq!(
        seen,
        vec![(mixed, b"/pre/a/1".to_vec()), (last, b"/pre/a/2".to_vec())]
    );
}

pub async fn many_watchers_see_everything(store: &Arc<dyn KvStore>) {
    let base = store.current_revision().await.expect("revision");
    let mut watches = Vec::new();
    for i in 0..40 {
        let prefix = if i % 4 == 0 { "/many/odd/" } else { "/many/" };
        watches.push((
            prefix,
            store.watch(prefix.into(), base).await.expect("watch"),
        ));
    }
    let writes = i64::try_from(WATCH_BUFFER).expect("small") - 2;
    let mut last = base;
    for i in 0..writes {
        let key = if i % 2 == 0 {
            format!("/many/even/{i}")
        } else {
            format!("/many/odd/{i}")
        };
        last = store.put(key, "v").await.expect("put");
    }
    let last_odd = last;
    for (prefix, mut watch) in watches {
        let events = flatten(collect_until(&mut watch, last_odd).await);
        let expected = if prefix == "/many/" {
            writes
        } else {
            writes / 2
        };
        let expected = usize::try_from(expected).expect("small");
        assert_eq!(events.len(), expected, "watchers of {prefix}");
    }
}

pub async fn slow_watcher_is_cut_off_and_others_are_not(store: &Arc<dyn KvStore>) {
    let base = store.current_revision().await.expect("revision");
    let mut slow = store.watch("/lag/".into(), base).await.expect("watch");
    let fast = store.watch("/lag/".into(), base).await.expect("watch");
    let total = WATCH_BUFFER * 4;
    let consumer = tokio::spawn(async move {
        let mut fast = fast;
        let mut seen = Vec::new();
        while seen.len() < total {
            match tokio::time::timeout(super::WAIT, fast.next()).await {
                Ok(Some(Ok(batch))) => seen.extend(batch.iter().map(WatchEvent::revision)),
                other => panic!("fast watcher interrupted: {other:?}"),
            }
        }
        seen
    });
    let mut last = base;
    for i in 0..total {
        last = store
            .put(format!("/lag/{}", i % 3), "v")
            .await
            .expect("put");
        tokio::task::yield_now().await;
    }
    let seen = consumer.await.expect("consumer");
    assert_eq!(
        seen,
        (base + 1..=last).collect::<Vec<_>>(),
        "the fast watcher saw everything"
    );

    let mut delivered = Vec::new();
    let resume_from = loop {
        match tokio::time::timeout(Duration::from_secs(30), slow.next()).await {
            Ok(Some(Ok(batch))) => delivered.push(batch[0].revision()),
            Ok(Some(Err(KvError::WatchLagged { resume_from }))) => break resume_from,
            other => panic!("expected the slow watcher to be cut off, got {other:?}"),
        }
    };
    assert!(
        delivered.len() < total,
        "the slow watcher was cut off before the end"
    );
    assert_eq!(
        delivered,
        (base + 1..=resume_from).collect::<Vec<_>>(),
        "what was delivered is gap-free"
    );
    assert!(
        slow.next().await.is_none(),
        "the stream ends after WatchLagged"
    );

    // Resuming where it was cut off gets the rest.
    let mut resumed = store
        .watch("/lag/".into(), resume_from)
        .await
        .expect("resume");
    let rest = collect_until(&mut resumed, last).await;
    assert_eq!(
        rest.first().map(|batch| batch[0].revision()),
        Some(resume_from + 1)
    );
    assert_eq!(
        rest.len(),
        usize::try_from(last - resume_from).expect("positive")
    );
}

pub async fn watch_rejects_future_revisions(store: &Arc<dyn KvStore>) {
    let current = store.put("/future/k", "v").await.expect("put");
    match store.watch("/future/".into(), current + 1).await.err() {
        Some(KvError::FutureRevision {
            requested,
            current: at,
        }) => assert_eq!((requested, at), (current + 1, current)),
        other => panic!("expected FutureRevision, got {other:?}"),
    }
    let mut at_current = store
        .watch("/future/".into(), current)
        .await
        .expect("watch");
    let next = store.put("/future/k", "w").await.expect("put");
    let batches = collect_until(&mut at_current, next).await;
    assert_eq!(batches.len(), 1);
}
