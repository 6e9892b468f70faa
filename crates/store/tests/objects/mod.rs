//! The object-layer suite: Kubernetes object semantics checked through the typed
//! [`Api`] facade over a [`Client`], so the client crate is exercised end to end.
//!
//! A test file declares `mod objects;` and invokes [`object_suite!`] with an
//! expression building a fresh [`Subject`] (a future): the uncached [`ObjectStore`],
//! the [`InProcessClient`] with its watch cache, on memory or sled.

// Cases are plain functions called by the generated tests; a panic is a test failure.
#![allow(dead_code, unreachable_pub, clippy::unwrap_used)]

pub mod bind;
pub mod create;
pub mod delete;
pub mod dynamic;
pub mod list;
pub mod patch;
pub mod update;
pub mod watch;

use std::any::Any;
use std::sync::Arc;
use std::time::Duration;

use client::{Api, Client, ClientError, ListParams, WatchEvent, WatchStream};
use core_types::core_v1::{ConfigMap, Container, Pod};
use core_types::{ObjectMeta, Resource};
use futures::StreamExt;
use store::KvStore;

/// How long a test waits for an expected watch item.
pub const WAIT: Duration = Duration::from_secs(10);

/// A client under test and the store under it.
pub struct Subject {
    /// The client.
    pub client: Arc<dyn Client>,
    /// The store underneath (to compact, read revisions).
    pub kv: Arc<dyn KvStore>,
    guard: Option<Box<dyn Any + Send + Sync>>,
}

impl Subject {
    /// A subject owning nothing else.
    pub fn new(client: Arc<dyn Client>, kv: Arc<dyn KvStore>) -> Self {
        Subject {
            client,
            kv,
            guard: None,
        }
    }

    /// Keeps `guard` alive as long as the subject.
    pub fn keeping(mut self, guard: impl Any + Send + Sync) -> Self {
        self.guard = Some(Box::new(guard));
        self
    }

    /// Pods in `namespace`.
    pub fn pods(&self, namespace: &str) -> Api<Pod> {
        Api::namespaced(self.client.clone(), namespace)
    }

    /// Config maps in `namespace`.
    pub fn config_maps(&self, namespace: &str) -> Api<ConfigMap> {
        Api::namespaced(self.client.clone(), namespace)
    }

    /// The store's current revision.
    pub async fn revision(&self) -> i64 {
        self.kv.current_revision().await.unwrap()
    }
}

/// A pod with one container and the given labels.
pub fn pod(name: &str, labels: &[(&str, &str)]) -> Pod {
    let mut pod = Pod {
        metadata: meta(name, labels),
        ..Pod::default()
    };
    pod.spec.containers.push(Container {
        name: "app".into(),
        image: "nginx".into(),
        ..Container::default()
    });
    pod
}

/// A config map with one key.
pub fn config_map(name: &str, key: &str, value: &str) -> ConfigMap {
    ConfigMap {
        metadata: meta(name, &[]),
        data: [(key.to_owned(), value.to_owned())].into(),
        ..ConfigMap::default()
    }
}

/// Metadata with a name and labels.
pub fn meta(name: &str, labels: &[(&str, &str)]) -> ObjectMeta {
    ObjectMeta {
        name: name.into(),
        labels: labels
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect(),
        ..ObjectMeta::default()
    }
}

/// The next watch item, which must come in time and be an event.
pub async fn next<K: Resource>(stream: &mut WatchStream<K>) -> WatchEvent<K> {
    match tokio::time::timeout(WAIT, stream.next()).await {
        Ok(Some(Ok(event))) => event,
        Ok(Some(Err(e))) => panic!("watch error: {e}"),
        Ok(None) => panic!("watch ended"),
        Err(_) => panic!("no watch event in time"),
    }
}

/// The next watch item that is not a bookmark.
pub async fn next_change<K: Resource>(stream: &mut WatchStream<K>) -> WatchEvent<K> {
    loop {
        match next(stream).await {
            WatchEvent::Bookmark { .. } => continue,
            event => return event,
        }
    }
}

/// The next watch item, which must be an error.
pub async fn next_error<K: Resource>(stream: &mut WatchStream<K>) -> ClientError {
    match tokio::time::timeout(WAIT, stream.next()).await {
        Ok(Some(Err(e))) => e,
        Ok(Some(Ok(event))) => panic!("expected an error, got {event:?}"),
        Ok(None) => panic!("watch ended without error"),
        Err(_) => panic!("no watch item in time"),
    }
}

/// `(type, name, resourceVersion)` of an event, for compact assertions.
pub fn summary<K: Resource>(event: &WatchEvent<K>) -> (&'static str, String, String) {
    match event {
        WatchEvent::Added(o) => (
            "Added",
            o.meta().name.clone(),
            o.meta().resource_version.clone(),
        ),
        WatchEvent::Modified(o) => (
            "Modified",
            o.meta().name.clone(),
            o.meta().resource_version.clone(),
        ),
        WatchEvent::Deleted(o) => (
            "Deleted",
            o.meta().name.clone(),
            o.meta().resource_version.clone(),
        ),
        WatchEvent::Bookmark { resource_version } => {
            ("Bookmark", String::new(), resource_version.clone())
        }
    }
}

/// Names of a list's items.
pub fn names<K: Resource>(items: &[K]) -> Vec<String> {
    items.iter().map(|o| o.meta().name.clone()).collect()
}

/// Starts the watch cache of `K`, if the client has one, so that later watches from
/// the current revision on can be served.
pub async fn warm_up<K: Resource>(api: &Api<K>) {
    api.list(&ListParams::default().any_version())
        .await
        .unwrap();
}

/// Generates one test per case for a subject.
macro_rules! object_suite {
    ($make:expr) => {
        objects::object_suite!(@plain $make;
            create::assigns_identity_and_defaults,
            create::generate_name_adds_a_random_suffix,
            create::rejects_bad_creates,
            create::dry_run_stores_nothing,
            update::resource_version_is_the_revision_and_generation_follows_spec,
            update::status_changes_only_through_the_status_subresource,
            update::conflicts_and_unconditional_updates,
            update::immutable_fields_are_refused,
            update::an_update_that_changes_nothing_writes_nothing,
            delete::finalizers_hold_deletion_until_removed,
            delete::preconditions_are_conflicts,
            delete::propagation_policies_add_their_finalizers,
            delete::delete_collection_by_selector,
            patch::merge_patch,
            patch::json_patch_operations,
            patch::patch_errors,
            patch::patch_status_changes_only_status,
            list::selectors_and_namespaces,
            list::limit_and_continue_cover_everything_once,
            list::resource_version_semantics,
            list::compacted_revisions_are_gone,
            watch::watch_from_a_resource_version,
            watch::watch_without_resource_version_starts_with_the_state,
            watch::selectors_turn_moves_into_added_and_deleted,
            watch::watch_from_a_compacted_revision_is_gone,
            dynamic::an_embedders_namespaced_kind,
            dynamic::a_cluster_scoped_kind,
            bind::binding_sets_the_node_once,
        );
        objects::object_suite!(@paused $make;
            watch::bookmarks_carry_the_latest_revision,
            watch::timeout_ends_the_stream,
        );
    };
    (@plain $make:expr; $($module:ident :: $case:ident),* $(,)?) => {$(
        #[tokio::test]
        async fn $case() {
            let subject = $make.await;
            objects::$module::$case(&subject).await;
        }
    )*};
    (@paused $make:expr; $($module:ident :: $case:ident),* $(,)?) => {$(
        #[tokio::test(start_paused = true)]
        async fn $case() {
            let subject = $make.await;
            objects::$module::$case(&subject).await;
        }
    )*};
}

pub(crate) use object_suite;
