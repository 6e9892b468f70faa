//! Model test of the watch cache: random writes, and subscribers opened at random
//! points from random earlier resourceVersions (with or without selectors), must see
//! exactly the store's history after their start, filtered as Kubernetes filters, or
//! `Gone` when their start has left the window. Watchers of decoded objects and of
//! their encodings (`watch_raw`) see the same.

// The model runs outside `#[test]` functions; a panic is a test failure.
#![allow(clippy::unwrap_used)]

mod cache_support;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use cache_support::{caught_up, config_maps, drain, key, put, take};
use client::{WatchParams, WatchStream};
use core_types::DynamicObject;
use futures::StreamExt;
use proptest::prelude::*;
use store::{KvStore, KvStoreExt, MemoryStore, Revision, WatchCache, WatchCacheConfig};

#[derive(Clone, Debug)]
enum Op {
    Put {
        key: u8,
        red: bool,
    },
    Delete {
        key: u8,
    },
    Subscribe {
        back: u8,
        red_only: bool,
        namespace_a: bool,
        raw: bool,
    },
    Snapshot {
        red_only: bool,
        raw: bool,
    },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        6 => (0..6u8, any::<bool>()).prop_map(|(key, red)| Op::Put { key, red }),
        2 => (0..6u8).prop_map(|key| Op::Delete { key }),
        2 => (any::<u8>(), any::<bool>(), any::<bool>(), any::<bool>())
            .prop_map(|(back, red_only, namespace_a, raw)| Op::Subscribe { back, red_only, namespace_a, raw }),
        1 => (any::<bool>(), any::<bool>()).prop_map(|(red_only, raw)| Op::Snapshot { red_only, raw }),
    ]
}

/// An object's state in the model: namespace, name, red?, data, resourceVersion.
#[derive(Clone, Debug)]
struct State {
    namespace: &'static str,
    name: String,
    red: bool,
    data: String,
    revision: Revision,
}

/// One change in the model's history.
struct Change {
    revision: Revision,
    previous: Option<State>,
    current: Option<State>,
}

#[derive(Clone, Copy)]
struct Filter {
    red_only: bool,
    namespace_a: bool,
}

impl Filter {
    fn matches(&self, s: &State) -> bool {
        (!self.red_only || s.red) && (!self.namespace_a || s.namespace == "a")
    }

    fn params(&self, rv: String) -> (Option<&'static str>, WatchParams) {
        let mut params = WatchParams::default().resource_version(rv);
        if self.red_only {
            params = params.labels("color=red".parse().unwrap());
        }
        (self.namespace_a.then_some("a"), params)
    }
}

type Seen = (String, String, String, String);

fn seen(kind: &str, s: &State, revision: Revision) -> Seen {
    (
        kind.into(),
        s.name.clone(),
        revision.to_string(),
        s.data.clone(),
    )
}

/// What a watcher with `filter` sees of the changes after `after`.
fn expected(history: &[Change], after: Revision, filter: Filter) -> Vec<Seen> {
    history
        .iter()
        .filter(|c| c.revision > after)
        .filter_map(|c| {
            let was = c.previous.as_ref().filter(|s| filter.matches(s));
            let is = c.current.as_ref().filter(|s| filter.matches(s));
            match (was, is) {
                (None, Some(s)) => Some(seen("Added", s, c.revision)),
                (Some(_), Some(s)) => Some(seen("Modified", s, c.revision)),
                (Some(s), None) => Some(seen("Deleted", s, c.revision)),
                (None, None) => None,
            }
        })
        .collect()
}

/// A watch of the cache: of decoded objects, or (`raw`) of their encodings, which
/// are decoded here so both are checked alike.
async fn open(
    cache: &WatchCache,
    namespace: Option<&str>,
    params: &WatchParams,
    raw: bool,
) -> WatchStream {
    if !raw {
        return cache.watch(namespace, params).await.unwrap();
    }
    let stream = cache.watch_raw(namespace, params).await.unwrap();
    stream
        .map(|item| item?.try_map(|raw| raw.decode::<DynamicObject>(config_maps())))
        .boxed()
}

struct Subscriber {
    stream: WatchStream,
    /// `None`: expected to get `Gone`.
    after: Option<Revision>,
    initial: Vec<Seen>,
    filter: Filter,
}

async fn run(ops: Vec<Op>, window: usize) {
    let kv: Arc<dyn KvStore> = Arc::new(MemoryStore::new());
    let start = put(&*kv, "a", "seed", "blue", "seed").await;
    let config = WatchCacheConfig::default().window(window);
    let cache = WatchCache::start(kv.clone(), config_maps(), config)
        .await
        .unwrap();

    let mut objects: BTreeMap<String, State> = BTreeMap::new();
    objects.insert(
        key("a", "seed"),
        State {
            namespace: "a",
            name: "seed".into(),
            red: false,
            data: "seed".into(),
            revision: start,
        },
    );
    let mut history: Vec<Change> = Vec::new();
    let mut points = vec![start];
    let mut subscribers = Vec::new();

    for (i, op) in ops.into_iter().enumerate() {
        match op {
            Op::Put { key: k, red } => {
                let namespace = if k % 2 == 0 { "a" } else { "b" };
                let name = format!("k{k}");
                let data = i.to_string();
                let color = if red { "red" } else { "blue" };
                let revision = put(&*kv, namespace, &name, color, &data).await;
                let current = State {
                    namespace,
                    name: name.clone(),
                    red,
                    data,
                    revision,
                };
                let previous = objects.insert(key(namespace, &name), current.clone());
                history.push(Change {
                    revision,
                    previous,
                    current: Some(current),
                });
                points.push(revision);
            }
            Op::Delete { key: k } => {
                let namespace = if k % 2 == 0 { "a" } else { "b" };
                let Some(previous) = objects.remove(&key(namespace, &format!("k{k}"))) else {
                    continue;
                };
                let revision = kv
                    .delete(key(namespace, &previous.name), None)
                    .await
                    .unwrap();
                history.push(Change {
                    revision,
                    previous: Some(previous),
                    current: None,
                });
                points.push(revision);
            }
            Op::Subscribe {
                back,
                red_only,
                namespace_a,
                raw,
            } => {
                let current = *points.last().unwrap();
                caught_up(&cache, current).await;
                let after = points[points.len() - 1 - usize::from(back) % points.len()];
                // The window holds the last `window` changes; older starts are gone.
                let window_start = history
                    .len()
                    .checked_sub(window + 1)
                    .map_or(start, |evicted| history[evicted].revision);
                let filter = Filter {
                    red_only,
                    namespace_a,
                };
                let (namespace, params) = filter.params(after.to_string());
                let stream = open(&cache, namespace, &params, raw).await;
                let after = (after >= window_start).then_some(after);
                subscribers.push(Subscriber {
                    stream,
                    after,
                    initial: Vec::new(),
                    filter,
                });
            }
            Op::Snapshot { red_only, raw } => {
                let current = *points.last().unwrap();
                caught_up(&cache, current).await;
                let filter = Filter {
                    red_only,
                    namespace_a: false,
                };
                let (namespace, params) = filter.params("0".into());
                let stream = open(&cache, namespace, &params, raw).await;
                let initial = objects
                    .values()
                    .filter(|s| filter.matches(s))
                    .map(|s| seen("Added", s, s.revision))
                    .collect();
                subscribers.push(Subscriber {
                    stream,
                    after: Some(current),
                    initial,
                    filter,
                });
            }
        }
    }
    caught_up(&cache, *points.last().unwrap()).await;

    for mut sub in subscribers {
        match sub.after {
            None => {
                let (events, error) = drain(&mut sub.stream).await;
                assert_eq!(events, 0);
                assert!(error.is_some_and(|e| e.is_gone()));
            }
            Some(after) => {
                let mut want = sub.initial;
                want.extend(expected(&history, after, sub.filter));
                assert_eq!(take(&mut sub.stream, want.len()).await, want);
                let extra =
                    tokio::time::timeout(Duration::from_millis(50), sub.stream.next()).await;
                assert!(extra.is_err(), "unexpected extra item: {extra:?}");
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn subscribers_see_exactly_the_stores_history(ops in prop::collection::vec(op(), 1..80), window in 2usize..24) {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .start_paused(true)
            .build()
            .unwrap();
        runtime.block_on(run(ops, window));
    }
}
