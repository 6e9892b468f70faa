//! List-then-watch loops, one per kind, re-listing when the watch falls behind.

use std::sync::Arc;
use std::time::Duration;

use std::collections::HashSet;

use client::{Api, ClientError, ListParams, WatchEvent, WatchParams, from_dynamic};
use core_types::apps_v1::{ReplicaSet, StatefulSet};
use core_types::core_v1::{Namespace, Node, Pod, ReplicationController, Service};
use core_types::policy_v1::PodDisruptionBudget;
use core_types::{DynamicObject, ObjectMeta, Resource, StaticResource};
use futures::{FutureExt as _, StreamExt};
use serde::de::DeserializeOwned;
use tokio::task::JoinHandle;

use super::{Shared, State, events};
use crate::error::DriverError;
use crate::framework::{pod_key, pod_key_of};

/// Handles a run of events (drains the vector).
type OnEvents<K> = fn(&Shared, &mut Vec<WatchEvent<K>>);

/// At most this many events that are ready at once go to a handler together.
pub(super) const MAX_RUN: usize = 256;
type OnList<K> = fn(&Shared, Listed<K>);

/// A full list of a kind, as the event handlers get it.
pub(super) struct Listed<K> {
    /// The key of every listed object (filled for kinds with a [`Known`] test).
    pub(super) keys: HashSet<String>,
    /// The listed objects, except (on a re-list) those the driver already holds in
    /// the listed version: they are not even converted.
    pub(super) items: Vec<K>,
}

/// For kinds re-listed with a shortcut: the key of an object, and whether the driver
/// holds exactly this version already.
#[derive(Clone, Copy)]
pub(super) struct Known {
    key: fn(&ObjectMeta) -> String,
    holds: fn(&State, &str, &ObjectMeta) -> bool,
}

impl<K: Resource> Listed<K> {
    fn all(items: Vec<K>, known: Option<Known>) -> Self {
        let keys = match known {
            Some(k) => items.iter().map(|o| (k.key)(o.meta())).collect(),
            None => HashSet::new(),
        };
        Listed { keys, items }
    }
}

/// Lists nodes and pods (so the first cycles see the cluster), then starts a watch
/// task per kind.
pub(super) async fn start(shared: &Arc<Shared>) -> Result<Vec<JoinHandle<()>>, DriverError> {
    let mut tasks = Vec::new();
    let nodes = Known {
        key: |m| m.name.clone(),
        holds: events::holds_node,
    };
    let pods = Known {
        key: pod_key_of,
        holds: events::holds_pod,
    };
    tasks.push(spawn_kind::<Node>(shared, on_nodes, events::nodes_relisted, Some(nodes)).await?);
    tasks.push(spawn_kind::<Pod>(shared, on_pods, events::pods_relisted, Some(pods)).await?);
    if shared.watch_cluster_objects {
        tasks.push(
            spawn_kind::<Namespace>(
                shared,
                |s, e| simple(s, e, events::namespace),
                |s, l| list_simple(s, l, events::namespace),
                None,
            )
            .await?,
        );
        tasks.push(
            spawn_kind::<Service>(
                shared,
                |s, e| simple(s, e, events::service),
                |s, l| list_simple(s, l, events::service),
                None,
            )
            .await?,
        );
        tasks.push(
            spawn_kind::<ReplicaSet>(
                shared,
                |s, e| simple(s, e, events::replica_set),
                |s, l| list_simple(s, l, events::replica_set),
                None,
            )
            .await?,
        );
        tasks.push(
            spawn_kind::<StatefulSet>(
                shared,
                |s, e| simple(s, e, events::stateful_set),
                |s, l| list_simple(s, l, events::stateful_set),
                None,
            )
            .await?,
        );
        tasks.push(
            spawn_kind::<ReplicationController>(
                shared,
                |s, e| simple(s, e, events::replication_controller),
                |s, l| list_simple(s, l, events::replication_controller),
                None,
            )
            .await?,
        );
        tasks.push(
            spawn_kind::<PodDisruptionBudget>(
                shared,
                |s, e| simple(s, e, events::budget),
                |s, l| list_simple(s, l, events::budget),
                None,
            )
            .await?,
        );
    }
    Ok(tasks)
}

fn on_nodes(shared: &Shared, events: &mut Vec<WatchEvent<Node>>) {
    for e in events.drain(..) {
        match e {
            WatchEvent::Added(n) | WatchEvent::Modified(n) => events::node_upsert(shared, n),
            WatchEvent::Deleted(n) => events::node_delete(shared, &n.metadata.name),
            WatchEvent::Bookmark { .. } => {}
        }
    }
}

/// Pods come in runs (creations, bindings): their infos are built first, then the run
/// is applied under one lock.
fn on_pods(shared: &Shared, events: &mut Vec<WatchEvent<Pod>>) {
    let changes = events.drain(..).filter_map(|e| match e {
        WatchEvent::Added(p) | WatchEvent::Modified(p) => {
            Some(events::PodChange::upsert(shared, p))
        }
        WatchEvent::Deleted(p) => Some(events::PodChange::delete(shared, pod_key(&p))),
        WatchEvent::Bookmark { .. } => None,
    });
    let changes: Vec<events::PodChange> = changes.collect();
    events::pods_changed(shared, changes);
}

fn simple<K>(shared: &Shared, events: &mut Vec<WatchEvent<K>>, apply: fn(&Shared, &K, bool)) {
    for e in events.drain(..) {
        match e {
            WatchEvent::Added(o) | WatchEvent::Modified(o) => apply(shared, &o, false),
            WatchEvent::Deleted(o) => apply(shared, &o, true),
            WatchEvent::Bookmark { .. } => {}
        }
    }
}

fn list_simple<K>(shared: &Shared, listed: Listed<K>, apply: fn(&Shared, &K, bool)) {
    for o in &listed.items {
        apply(shared, o, false);
    }
}

async fn spawn_kind<K>(
    shared: &Arc<Shared>,
    on_events: OnEvents<K>,
    on_list: OnList<K>,
    known: Option<Known>,
) -> Result<JoinHandle<()>, DriverError>
where
    K: StaticResource + Resource<DynamicType = ()> + DeserializeOwned + Send + Sync + 'static,
{
    let api: Api<K> = Api::all(shared.client.clone());
    let list = api.list(&ListParams::default()).await?;
    let rv = list.resource_version().to_owned();
    on_list(shared, Listed::all(list.items, known));
    let shared = shared.clone();
    Ok(tokio::spawn(watch_loop(
        shared, api, rv, on_events, on_list, known,
    )))
}

/// A re-list after a watch was cut off: first from the server's watch cache
/// (resourceVersion "0", no storage read), as long as that is not older than what the
/// watch delivered (`seen`); else a consistent read. With `known`, objects the driver
/// already holds in the listed version are only counted, not converted.
async fn list_again<K>(
    shared: &Shared,
    api: &Api<K>,
    seen: &str,
    known: Option<Known>,
) -> Result<(String, Listed<K>), ClientError>
where
    K: Resource + DeserializeOwned + Send + Sync + 'static,
{
    let resource = api.resource();
    let cached = ListParams::default().resource_version("0");
    let mut list = shared.client.list(resource, None, &cached).await?;
    if !not_older(list.resource_version(), seen) {
        list = shared
            .client
            .list(resource, None, &ListParams::default())
            .await?;
    }
    let rv = list.resource_version().to_owned();
    let mut listed = Listed {
        keys: HashSet::new(),
        items: Vec::new(),
    };
    let fresh: Vec<DynamicObject> = match known {
        None => list.items,
        Some(k) => {
            let st = shared.lock();
            list.items
                .into_iter()
                .filter(|o| {
                    let key = (k.key)(&o.metadata);
                    let holds = (k.holds)(&st, &key, &o.metadata);
                    listed.keys.insert(key);
                    !holds
                })
                .collect()
        }
    };
    for o in fresh {
        listed.items.push(from_dynamic(o, resource)?);
    }
    Ok((rv, listed))
}

/// True if resourceVersion `a` is known to be at least `b` (both numeric, as the
/// store's revisions are); an opaque version is not trusted.
fn not_older(a: &str, b: &str) -> bool {
    match (a.parse::<u64>(), b.parse::<u64>()) {
        (Ok(a), Ok(b)) => a >= b,
        _ => b.is_empty(),
    }
}

async fn watch_loop<K>(
    shared: Arc<Shared>,
    api: Api<K>,
    mut rv: String,
    on_events: OnEvents<K>,
    on_list: OnList<K>,
    known: Option<Known>,
) where
    K: Resource + DeserializeOwned + Send + Sync + 'static,
{
    loop {
        let params = WatchParams::default()
            .resource_version(rv.clone())
            .bookmarks();
        let mut relist = false;
        // Whether this watch moved `rv` on. A watch cut off for falling behind ends
        // with Gone too: then watching again from `rv` replays the server's recent
        // changes, which is far cheaper than a re-list. Only a watch that is Gone
        // before delivering anything (`rv` is older than the server keeps) re-lists.
        let mut progressed = false;
        match api.watch(&params).await {
            Ok(mut stream) => {
                let mut run = Vec::new();
                let mut next = stream.next().await;
                while let Some(item) = next {
                    match item {
                        Ok(WatchEvent::Bookmark { resource_version }) => {
                            progressed |= resource_version != rv;
                            rv = resource_version;
                        }
                        Ok(event) => {
                            if let Some(o) = event.object() {
                                rv = o.meta().resource_version.clone();
                            }
                            progressed = true;
                            run.push(event);
                        }
                        Err(e) if e.is_gone() => {
                            relist = !progressed;
                            break;
                        }
                        Err(e) => {
                            tracing::warn!(kind = %api.resource().kind, error = %e, "watch error");
                        }
                    }
                    // Events already delivered join the run; the run is handled
                    // before waiting for more.
                    next = match stream.next().now_or_never() {
                        Some(more) if run.len() < MAX_RUN => more,
                        ready => {
                            if !run.is_empty() {
                                on_events(&shared, &mut run);
                            }
                            match ready {
                                Some(more) => more,
                                None => stream.next().await,
                            }
                        }
                    };
                }
                if !run.is_empty() {
                    on_events(&shared, &mut run);
                }
            }
            Err(e) => {
                tracing::warn!(kind = %api.resource().kind, error = %e, "watch failed; re-listing");
                tokio::time::sleep(Duration::from_secs(1)).await;
                relist = true;
            }
        }
        if relist {
            match list_again(&shared, &api, &rv, known).await {
                Ok((version, listed)) => {
                    rv = version;
                    on_list(&shared, listed);
                }
                Err(e) => {
                    tracing::warn!(kind = %api.resource().kind, error = %e, "re-list failed");
                    tokio::time::sleep(Duration::from_secs(1)).await;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::not_older;

    #[test]
    fn cached_list_must_not_be_older_than_the_watch() {
        assert!(not_older("10", "9"));
        assert!(not_older("10", "10"));
        assert!(!not_older("9", "10"));
        // Opaque versions: only usable when nothing was seen yet.
        assert!(!not_older("abc", "10"));
        assert!(!not_older("10", "abc"));
        assert!(not_older("abc", ""));
    }
}
