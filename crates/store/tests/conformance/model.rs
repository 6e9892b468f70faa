//! Model-based property test: random operation sequences run against the store and
//! against a plain `BTreeMap` model; results, state, revisions, past reads and the
//! watch history must agree.

use std::collections::BTreeMap;
use std::future::Future;
use std::sync::Arc;

use bytes::Bytes;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use store::{
    Compare, EventKind, KeyValue, KvError, KvStore, KvStoreExt, Op, RangeRequest, Revision, Txn,
    TxnResponse, WatchEvent,
};

use super::{Subject, collect_until, flatten};

const KEYS: [&str; 6] = ["/m/a", "/m/ab", "/m/b", "/m/c/1", "/m/c/2", "/n/z"];
const PREFIXES: [&str; 5] = ["", "/m/", "/m/a", "/m/c/", "/n/"];

#[derive(Debug, Clone)]
enum Action {
    Put(usize, u8),
    Delete(usize),
    Create(usize, u8),
    Update {
        key: usize,
        value: u8,
        stale: bool,
    },
    Txn {
        guard: usize,
        holds: bool,
        ops: Vec<(usize, Option<u8>)>,
    },
    Compact(u8),
    ReadAt {
        back: u8,
        prefix: usize,
        limit: u8,
    },
}

fn action() -> impl Strategy<Value = Action> {
    let key = 0..KEYS.len();
    prop_oneof![
        4 => (key.clone(), any::<u8>()).prop_map(|(k, v)| Action::Put(k, v)),
        2 => key.clone().prop_map(Action::Delete),
        2 => (key.clone(), any::<u8>()).prop_map(|(k, v)| Action::Create(k, v)),
        2 => (key.clone(), any::<u8>(), any::<bool>()).prop_map(|(key, value, stale)| Action::Update { key, value, stale }),
        2 => (key.clone(), any::<bool>(), proptest::collection::vec((key, proptest::option::of(any::<u8>())), 0..4))
            .prop_map(|(guard, holds, ops)| Action::Txn { guard, holds, ops }),
        1 => (0u8..8).prop_map(Action::Compact),
        2 => (0u8..12, 0..PREFIXES.len(), 0u8..4).prop_map(|(back, prefix, limit)| Action::ReadAt { back, prefix, limit }),
    ]
}

/// Runs `cases` random sequences, each against a fresh store from `make`.
pub fn check<F, Fut>(make: F, cases: u32)
where
    F: Fn() -> Fut,
    Fut: Future<Output = Subject>,
{
    let config = Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    };
    let mut runner = TestRunner::new(config);
    let result = runner.run(&proptest::collection::vec(action(), 1..50), |actions| {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        runtime.block_on(async {
            let subject = make().await;
            run(&subject.store, actions).await;
        });
        Ok(())
    });
    if let Err(error) = result {
        panic!("the store disagrees with the model: {error}");
    }
}

async fn run(store: &Arc<dyn KvStore>, actions: Vec<Action>) {
    let base = store.current_revision().await.expect("revision");
    let mut model = Model::new(base, store.compacted_revision().await.expect("compacted"));
    for action in actions {
        step(store, &mut model, &action).await;
        let state = store.range(RangeRequest::prefix("")).await.expect("range");
        let expected: Vec<KeyValue> = model.kvs.values().cloned().collect();
        assert_eq!(state.kvs, expected, "state after {action:?}");
        assert_eq!(state.revision, model.revision, "revision after {action:?}");
    }
    let from = model.compacted.max(base);
    if model.revision > from {
        let mut watch = store.watch(Bytes::new(), from).await.expect("watch");
        let events = flatten(collect_until(&mut watch, model.revision).await);
        let expected: Vec<_> = model
            .events
            .iter()
            .filter(|e| e.revision() > from)
            .cloned()
            .collect();
        assert_eq!(events, expected, "watch history");
    }
}

async fn step(store: &Arc<dyn KvStore>, model: &mut Model, action: &Action) {
    let key = |index: usize| Bytes::from_static(KEYS[index].as_bytes());
    let value = |v: u8| Bytes::from(vec![v]);
    match action {
        Action::Put(k, v) => {
            let got = store.put(key(*k), value(*v)).await.expect("put");
            assert_eq!(got, model.apply(vec![(key(*k), Some(value(*v)))]));
        }
        Action::Delete(k) => match (
            store.delete(key(*k), None).await,
            model.kvs.contains_key(&key(*k)),
        ) {
            (Ok(got), true) => assert_eq!(got, model.apply(vec![(key(*k), None)])),
            (Err(KvError::NotFound { .. }), false) => {}
            (got, exists) => panic!("delete: got {got:?}, model has the key: {exists}"),
        },
        Action::Create(k, v) => match (
            store.create(key(*k), value(*v), None).await,
            model.mod_revision(&key(*k)),
        ) {
            (Ok(got), 0) => assert_eq!(got, model.apply(vec![(key(*k), Some(value(*v)))])),
            (Err(KvError::AlreadyExists { mod_revision, .. }), current) => {
                assert_eq!(mod_revision, current)
            }
            (got, current) => panic!("create: got {got:?}, model mod revision {current}"),
        },
        Action::Update {
            key: k,
            value: v,
            stale,
        } => {
            let current = model.mod_revision(&key(*k));
            let expected = if *stale || current == 0 {
                current + 1000
            } else {
                current
            };
            match store.update(key(*k), value(*v), expected).await {
                Ok(got) => {
                    assert!(current != 0 && !stale, "update succeeded against the model");
                    assert_eq!(got, model.apply(vec![(key(*k), Some(value(*v)))]));
                }
                Err(KvError::NotFound { .. }) => assert_eq!(current, 0),
                Err(KvError::Conflict {
                    current_mod_revision,
                    ..
                }) => assert_eq!(current_mod_revision, current),
                Err(other) => panic!("update: {other}"),
            }
        }
        Action::Txn { guard, holds, ops } => {
            let current = model.mod_revision(&key(*guard));
            let expected = if *holds { current } else { current + 1 };
            let mut txn = Txn::new().when(Compare::mod_revision(key(*guard), expected));
            let mut changes: Vec<(Bytes, Option<Bytes>)> = Vec::new();
            for (k, v) in ops {
                if changes.iter().any(|(seen, _)| *seen == key(*k)) {
                    continue;
                }
                changes.push((key(*k), v.map(value)));
                txn = txn.then(match v {
                    Some(v) => Op::put(key(*k), value(*v)),
                    None => Op::delete(key(*k)),
                });
            }
            let prev: Vec<_> = changes
                .iter()
                .map(|(k, _)| model.kvs.get(k).cloned())
                .collect();
            match store.txn(txn).await.expect("txn") {
                TxnResponse::Succeeded { revision, prev_kvs } => {
                    assert!(holds, "txn succeeded against the model");
                    assert_eq!(prev_kvs, prev);
                    assert_eq!(revision, model.apply(changes));
                }
                TxnResponse::Failed { revision, failure } => {
                    assert!(!holds, "txn failed against the model");
                    assert_eq!(
                        (revision, failure.current_mod_revision()),
                        (model.revision, current)
                    );
                }
            }
        }
        Action::Compact(back) => {
            let target = model.revision - Revision::from(*back);
            if target < model.base {
                return;
            }
            match store.compact(target).await {
                Ok(()) => {
                    assert!(target > model.compacted);
                    model.compacted = target;
                }
                Err(KvError::Compacted { .. }) => assert!(target <= model.compacted),
                Err(other) => panic!("compact: {other}"),
            }
        }
        Action::ReadAt {
            back,
            prefix,
            limit,
        } => {
            let at = model.revision - Revision::from(*back);
            if at < model.base {
                return;
            }
            let request = RangeRequest::prefix(PREFIXES[*prefix])
                .at_revision(at)
                .limit(usize::from(*limit));
            match store.range(request).await {
                Ok(response) => {
                    assert!(
                        at >= model.compacted,
                        "read below the compacted revision succeeded"
                    );
                    let all: Vec<_> = model.snapshots[&at]
                        .values()
                        .filter(|kv| kv.key.starts_with(PREFIXES[*prefix].as_bytes()))
                        .cloned()
                        .collect();
                    let shown = if *limit == 0 {
                        all.len()
                    } else {
                        usize::from(*limit).min(all.len())
                    };
                    assert_eq!(response.kvs, all[..shown].to_vec(), "read at {at}");
                    assert_eq!(
                        (response.count, response.more),
                        (all.len(), shown < all.len())
                    );
                }
                Err(KvError::Compacted { .. }) => assert!(at < model.compacted),
                Err(other) => panic!("read at {at}: {other}"),
            }
        }
    }
}

/// The reference: a map, a revision counter, a snapshot per revision, the event log.
struct Model {
    base: Revision,
    revision: Revision,
    compacted: Revision,
    kvs: BTreeMap<Bytes, KeyValue>,
    snapshots: BTreeMap<Revision, BTreeMap<Bytes, KeyValue>>,
    events: Vec<WatchEvent>,
}

impl Model {
    fn new(base: Revision, compacted: Revision) -> Self {
        Model {
            base,
            revision: base,
            compacted,
            kvs: BTreeMap::new(),
            snapshots: BTreeMap::from([(base, BTreeMap::new())]),
            events: Vec::new(),
        }
    }

    fn mod_revision(&self, key: &Bytes) -> Revision {
        self.kvs.get(key).map_or(0, |kv| kv.mod_revision)
    }

    /// Applies puts (`Some`) and deletes (`None`); returns the resulting revision.
    fn apply(&mut self, changes: Vec<(Bytes, Option<Bytes>)>) -> Revision {
        let revision = self.revision + 1;
        let mut events = Vec::new();
        for (key, value) in changes {
            let prev = self.kvs.get(&key).cloned();
            match value {
                Some(value) => {
                    let kv = KeyValue {
                        key: key.clone(),
                        value,
                        create_revision: prev.as_ref().map_or(revision, |p| p.create_revision),
                        mod_revision: revision,
                        version: prev.as_ref().map_or(1, |p| p.version + 1),
                        lease: None,
                    };
                    self.kvs.insert(key, kv.clone());
                    events.push(WatchEvent {
                        kind: EventKind::Put,
                        kv,
                        prev_kv: prev,
                    });
                }
                None if prev.is_some() => {
                    self.kvs.remove(&key);
                    let kv = KeyValue::tombstone(key, revision);
                    events.push(WatchEvent {
                        kind: EventKind::Delete,
                        kv,
                        prev_kv: prev,
                    });
                }
                None => {}
            }
        }
        if events.is_empty() {
            return self.revision;
        }
        self.revision = revision;
        self.snapshots.insert(revision, self.kvs.clone());
        self.events.extend(events);
        revision
    }
}
