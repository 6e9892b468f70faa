//! List-then-watch loops, one per kind, re-listing when the watch falls behind.

use std::sync::Arc;
use std::time::Duration;

use client::{Api, ClientError, ListParams, ObjectList, WatchEvent, WatchParams};
use core_types::apps_v1::{ReplicaSet, StatefulSet};
use core_types::core_v1::{Namespace, Node, Pod, ReplicationController, Service};
use core_types::policy_v1::PodDisruptionBudget;
use core_types::{Resource, StaticResource};
use futures::StreamExt;
use serde::de::DeserializeOwned;
use tokio::task::JoinHandle;

use super::{Shared, events};
use crate::error::DriverError;
use crate::framework::pod_key;

type OnEvent<K> = fn(&Shared, WatchEvent<K>);
type OnList<K> = fn(&Shared, Vec<K>);

/// Lists nodes and pods (so the first cycles see the cluster), then starts a watch
/// task per kind.
pub(super) async fn start(shared: &Arc<Shared>) -> Result<Vec<JoinHandle<()>>, DriverError> {
    let mut tasks = Vec::new();
    tasks.push(spawn_kind::<Node>(shared, on_node, events::nodes_relisted).await?);
    tasks.push(spawn_kind::<Pod>(shared, on_pod, events::pods_relisted).await?);
    if shared.watch_cluster_objects {
        tasks.push(
            spawn_kind::<Namespace>(
                shared,
                |s, e| simple(s, e, events::namespace),
                |s, l| list_simple(s, l, events::namespace),
            )
            .await?,
        );
        tasks.push(
            spawn_kind::<Service>(
                shared,
                |s, e| simple(s, e, events::service),
                |s, l| list_simple(s, l, events::service),
            )
            .await?,
        );
        tasks.push(
            spawn_kind::<ReplicaSet>(
                shared,
                |s, e| simple(s, e, events::replica_set),
                |s, l| list_simple(s, l, events::replica_set),
            )
            .await?,
        );
        tasks.push(
            spawn_kind::<StatefulSet>(
                shared,
                |s, e| simple(s, e, events::stateful_set),
                |s, l| list_simple(s, l, events::stateful_set),
            )
            .await?,
        );
        tasks.push(
            spawn_kind::<ReplicationController>(
                shared,
                |s, e| simple(s, e, events::replication_controller),
                |s, l| list_simple(s, l, events::replication_controller),
            )
            .await?,
        );
        tasks.push(
            spawn_kind::<PodDisruptionBudget>(
                shared,
                |s, e| simple(s, e, events::budget),
                |s, l| list_simple(s, l, events::budget),
            )
            .await?,
        );
    }
    Ok(tasks)
}

fn on_node(shared: &Shared, e: WatchEvent<Node>) {
    match e {
        WatchEvent::Added(n) | WatchEvent::Modified(n) => events::node_upsert(shared, n),
        WatchEvent::Deleted(n) => events::node_delete(shared, &n.metadata.name),
        WatchEvent::Bookmark { .. } => {}
    }
}

fn on_pod(shared: &Shared, e: WatchEvent<Pod>) {
    match e {
        WatchEvent::Added(p) | WatchEvent::Modified(p) => events::pod_upsert(shared, p),
        WatchEvent::Deleted(p) => events::pod_delete(shared, &pod_key(&p)),
        WatchEvent::Bookmark { .. } => {}
    }
}

fn simple<K>(shared: &Shared, e: WatchEvent<K>, apply: fn(&Shared, &K, bool)) {
    match e {
        WatchEvent::Added(o) | WatchEvent::Modified(o) => apply(shared, &o, false),
        WatchEvent::Deleted(o) => apply(shared, &o, true),
        WatchEvent::Bookmark { .. } => {}
    }
}

fn list_simple<K>(shared: &Shared, items: Vec<K>, apply: fn(&Shared, &K, bool)) {
    for o in &items {
        apply(shared, o, false);
    }
}

async fn spawn_kind<K>(
    shared: &Arc<Shared>,
    on_event: OnEvent<K>,
    on_list: OnList<K>,
) -> Result<JoinHandle<()>, DriverError>
where
    K: StaticResource + Resource<DynamicType = ()> + DeserializeOwned + Send + Sync + 'static,
{
    let api: Api<K> = Api::all(shared.client.clone());
    let list = api.list(&ListParams::default()).await?;
    let rv = list.resource_version().to_owned();
    on_list(shared, list.items);
    let shared = shared.clone();
    Ok(tokio::spawn(watch_loop(shared, api, rv, on_event, on_list)))
}

/// A re-list after a watch was cut off: first from the server's watch cache
/// (resourceVersion "0", no storage read), as long as that is not older than what the
/// watch delivered (`seen`); else a consistent read.
async fn relist_from_cache<K>(api: &Api<K>, seen: &str) -> Result<ObjectList<K>, ClientError>
where
    K: Resource + DeserializeOwned + Send + Sync + 'static,
{
    let cached = ListParams::default().resource_version("0");
    let list = api.list(&cached).await?;
    if not_older(list.resource_version(), seen) {
        return Ok(list);
    }
    api.list(&ListParams::default()).await
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
    on_event: OnEvent<K>,
    on_list: OnList<K>,
) where
    K: Resource + DeserializeOwned + Send + Sync + 'static,
{
    loop {
        let params = WatchParams::default()
            .resource_version(rv.clone())
            .bookmarks();
        let mut relist = false;
        match api.watch(&params).await {
            Ok(mut stream) => {
                while let Some(item) = stream.next().await {
                    match item {
                        Ok(WatchEvent::Bookmark { resource_version }) => rv = resource_version,
                        Ok(event) => {
                            if let Some(o) = event.object() {
                                rv = o.meta().resource_version.clone();
                            }
                            on_event(&shared, event);
                        }
                        Err(e) if e.is_gone() => {
                            relist = true;
                            break;
                        }
                        Err(e) => {
                            tracing::warn!(kind = %api.resource().kind, error = %e, "watch error");
                        }
                    }
                }
            }
            Err(e) => {
                tracing::warn!(kind = %api.resource().kind, error = %e, "watch failed; re-listing");
                tokio::time::sleep(Duration::from_secs(1)).await;
                relist = true;
            }
        }
        if relist {
            match relist_from_cache(&api, &rv).await {
                Ok(list) => {
                    rv = list.resource_version().to_owned();
                    on_list(&shared, list.items);
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
