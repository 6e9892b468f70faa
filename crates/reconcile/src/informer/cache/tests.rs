use std::sync::Mutex;

use core_types::ObjectMeta;
use core_types::core_v1::ConfigMap;

use super::*;
use crate::informer::index::{NAMESPACE_INDEX, label_index, namespace_index};

fn cm(ns: &str, name: &str, rv: &str, app: &str) -> ConfigMap {
    let mut metadata = ObjectMeta::named(ns, name);
    metadata.resource_version = rv.into();
    metadata.labels.insert("app".into(), app.into());
    ConfigMap {
        metadata,
        ..ConfigMap::default()
    }
}

/// Records changes as (kind, key) strings.
fn recorder(store: &Store<ConfigMap>) -> (Arc<Mutex<Vec<String>>>, Subscription) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = seen.clone();
    let sub = store.subscribe(move |change| {
        let kind = match change {
            Change::Added { .. } => "added",
            Change::Modified { .. } => "modified",
            Change::Deleted { .. } => "deleted",
        };
        sink.lock()
            .unwrap()
            .push(format!("{kind} {}", change.key()));
    });
    (seen, sub)
}

#[test]
fn apply_delete_and_indexes() {
    let mut writer = Writer::<ConfigMap>::new();
    writer.add_index(NAMESPACE_INDEX, Arc::new(namespace_index::<ConfigMap>));
    writer.add_index("app", Arc::new(label_index::<ConfigMap>("app")));
    let store = writer.store();
    let (seen, _sub) = recorder(&store);
    writer.apply(cm("a", "one", "1", "web"));
    writer.apply(cm("b", "two", "2", "web"));
    writer.apply(cm("a", "one", "3", "db"));
    assert_eq!(store.len(), 2);
    assert_eq!(
        store
            .get_named("a", "one")
            .unwrap()
            .metadata
            .resource_version,
        "3"
    );
    assert_eq!(store.list_namespace("a").len(), 1);
    assert_eq!(store.by_index("app", "web").unwrap().len(), 1);
    assert_eq!(store.by_index("app", "db").unwrap().len(), 1);
    assert!(store.by_index("nope", "x").is_err());
    writer.delete(cm("a", "one", "4", "db"));
    writer.delete(cm("a", "missing", "5", "db"));
    assert!(store.by_index("app", "db").unwrap().is_empty());
    let mut values = store.index_values(NAMESPACE_INDEX).unwrap();
    values.sort();
    assert_eq!(values, ["b"]);
    assert_eq!(
        *seen.lock().unwrap(),
        [
            "added a/one",
            "added b/two",
            "modified a/one",
            "deleted a/one"
        ]
    );
}

#[test]
fn replace_reports_only_the_difference() {
    let mut writer = Writer::<ConfigMap>::new();
    let store = writer.store();
    assert!(!store.is_synced());
    writer.apply(cm("a", "same", "1", "x"));
    writer.apply(cm("a", "changed", "2", "x"));
    writer.apply(cm("a", "gone", "3", "x"));
    let (seen, _sub) = recorder(&store);
    seen.lock().unwrap().clear();
    writer.replace(vec![
        cm("a", "same", "1", "x"),
        cm("a", "changed", "7", "x"),
        cm("a", "new", "8", "x"),
    ]);
    assert!(store.is_synced());
    let mut seen = seen.lock().unwrap().clone();
    seen.sort();
    assert_eq!(
        seen,
        ["added a/new", "deleted a/gone", "modified a/changed"]
    );
    let mut keys: Vec<String> = store.keys().iter().map(ToString::to_string).collect();
    keys.sort();
    assert_eq!(keys, ["a/changed", "a/new", "a/same"]);
}

#[test]
fn a_late_subscriber_hears_of_existing_objects_and_can_leave() {
    let mut writer = Writer::<ConfigMap>::new();
    writer.apply(cm("a", "one", "1", "x"));
    let store = writer.store();
    let (seen, sub) = recorder(&store);
    assert_eq!(*seen.lock().unwrap(), ["added a/one"]);
    drop(sub);
    writer.apply(cm("a", "two", "2", "x"));
    assert_eq!(seen.lock().unwrap().len(), 1);
}

#[test]
fn a_panicking_handler_does_not_stop_the_others() {
    let mut writer = Writer::<ConfigMap>::new();
    let store = writer.store();
    let _bad = store.subscribe(|_| panic!("handler bug"));
    let (seen, _sub) = recorder(&store);
    writer.apply(cm("a", "one", "1", "x"));
    assert_eq!(*seen.lock().unwrap(), ["added a/one"]);
    assert!(store.get_named("a", "one").is_some());
}

#[tokio::test]
async fn wait_until_synced() {
    let mut writer = Writer::<ConfigMap>::new();
    let store = writer.store();
    let waiter = tokio::spawn({
        let store = store.clone();
        async move { store.wait_until_synced().await }
    });
    tokio::task::yield_now().await;
    assert!(!waiter.is_finished());
    writer.mark_synced();
    waiter.await.unwrap();
}
