//! The typed facade over the fake client: conversions both ways, decode errors with
//! paths, watch event mapping.

use std::sync::Arc;

use core_types::core_v1::{ConfigMap, Node, Pod};
use core_types::{ApiResource, DynamicObject, ObjectMeta, Scope, StaticResource};
use futures::StreamExt;
use serde_json::json;

use super::fake::FakeClient;
use crate::{
    Api, Client, ClientError, DeleteOutcome, DeleteParams, ListParams, Patch, PatchParams,
    PostParams, WatchEvent, WatchParams, from_dynamic, into_dynamic, to_dynamic,
};

fn setup() -> (Arc<FakeClient>, Arc<dyn Client>) {
    let fake = Arc::new(FakeClient::default());
    let client: Arc<dyn Client> = fake.clone();
    (fake, client)
}

fn config_map(name: &str, key: &str, value: &str) -> ConfigMap {
    ConfigMap {
        metadata: ObjectMeta {
            name: name.into(),
            labels: [("app".to_owned(), "web".to_owned())].into(),
            ..ObjectMeta::default()
        },
        data: [(key.to_owned(), value.to_owned())].into(),
        ..ConfigMap::default()
    }
}

#[tokio::test]
async fn typed_round_trip_through_the_json_level() {
    let (fake, client) = setup();
    let api = Api::<ConfigMap>::namespaced(client, "default");
    assert_eq!(api.namespace(), Some("default"));
    assert_eq!(api.resource().plural, "configmaps");

    let created = api
        .create(&PostParams::default(), &config_map("a", "k", "v"))
        .await
        .unwrap();
    assert_eq!(created.metadata.resource_version, "1");
    assert_eq!(created.data["k"], "v");
    // What the fake stored is the wire shape, with apiVersion and kind.
    let stored = fake
        .get(ConfigMap::resource(), Some("default"), "a")
        .await
        .unwrap();
    assert_eq!(stored.types.api_version, "v1");
    assert_eq!(stored.types.kind, "ConfigMap");
    assert_eq!(stored.data["data"], json!({"k": "v"}));

    let mut changed = api.get("a").await.unwrap();
    changed.data.insert("k".into(), "w".into());
    let replaced = api
        .replace("a", &PostParams::default(), &changed)
        .await
        .unwrap();
    assert_eq!(replaced.metadata.resource_version, "2");
    // A stale resourceVersion is a conflict carrying the current one.
    let err = api
        .replace("a", &PostParams::default(), &changed)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, ClientError::Conflict { current_resource_version: Some(rv), .. } if rv == "2"),
        "{err:?}"
    );

    let patched = api
        .patch(
            "a",
            &PatchParams::default(),
            &Patch::Merge(json!({"data": {"x": "y"}})),
        )
        .await
        .unwrap();
    assert_eq!(patched.data["x"], "y");

    let list = api.list(&ListParams::default()).await.unwrap();
    assert_eq!(list.items.len(), 1);
    assert_eq!(list.resource_version(), "3");
    assert!(list.continue_token().is_none());

    assert!(api.get_opt("missing").await.unwrap().is_none());
    let gone = api.delete("a", &DeleteParams::default()).await.unwrap();
    assert!(matches!(&gone, DeleteOutcome::Deleted(cm) if cm.metadata.name == "a"));
    assert!(!gone.is_pending());
    assert!(api.get("a").await.unwrap_err().is_not_found());
}

#[tokio::test]
async fn decode_errors_name_the_path() {
    let (fake, client) = setup();
    let mut bad = DynamicObject::new(Pod::resource(), "p");
    bad.data
        .insert("spec".into(), json!({"containers": [{"name": 3}]}));
    fake.insert("default", bad);
    let pods = Api::<Pod>::namespaced(client, "default");
    let err = pods.get("p").await.unwrap_err();
    let ClientError::Decode { path, .. } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(path, "spec.containers[0].name");
    let err = pods.list(&ListParams::default()).await.unwrap_err();
    let ClientError::Decode { path, .. } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(path, "items[0].spec.containers[0].name");
}

#[test]
fn conversions_check_the_kind_and_move_metadata() {
    let mut pod = Pod {
        metadata: ObjectMeta::named("ns", "web"),
        ..Pod::default()
    };
    pod.spec.node_name = "n1".into();
    let dynamic = to_dynamic(&pod, Pod::resource()).unwrap();
    assert_eq!(dynamic.types.kind, "Pod");
    assert_eq!(dynamic.metadata, pod.metadata);
    assert!(!dynamic.data.contains_key("metadata"));
    assert_eq!(dynamic.data["spec"]["nodeName"], "n1");
    let back: Pod = from_dynamic(dynamic.clone(), Pod::resource()).unwrap();
    assert_eq!(back, pod);

    let err = from_dynamic::<Node>(dynamic.clone(), Node::resource()).unwrap_err();
    assert!(
        err.to_string().contains("expected v1 Node, found v1 Pod"),
        "{err}"
    );

    // DynamicObject to DynamicObject is the identity.
    let same: DynamicObject = from_dynamic(dynamic.clone(), Pod::resource()).unwrap();
    assert_eq!(same, dynamic);
    let moved = into_dynamic(dynamic.clone(), Pod::resource()).unwrap();
    assert_eq!(moved, dynamic);
    let typed_moved = into_dynamic(pod, Pod::resource()).unwrap();
    assert_eq!(typed_moved, dynamic);
}

#[tokio::test]
async fn dynamic_kinds_and_cluster_scope() {
    let (_fake, client) = setup();
    let widgets = ApiResource::new("example.com", "v1", "Widget", "widgets", Scope::Namespaced);
    let api = Api::<DynamicObject>::namespaced_with(client.clone(), "ns", &widgets);
    let mut w = DynamicObject::new(&widgets, "w1");
    w.data.insert("spec".into(), json!({"size": 3}));
    let created = api.create(&PostParams::default(), &w).await.unwrap();
    assert_eq!(created.data["spec"]["size"], 3);
    assert_eq!(created.types.api_version, "example.com/v1");

    let nodes = Api::<Node>::all(client.clone());
    assert_eq!(nodes.namespace(), None);
    let all_widgets = Api::<DynamicObject>::all_with(client, &widgets);
    assert_eq!(
        all_widgets
            .list(&ListParams::default())
            .await
            .unwrap()
            .items
            .len(),
        1
    );
    assert!(format!("{api:?}").contains("widgets"));
}

#[tokio::test]
async fn typed_watch_maps_events_and_reports_bad_ones() {
    let (fake, client) = setup();
    let mut good = DynamicObject::new(Pod::resource(), "p");
    good.metadata.resource_version = "4".into();
    let mut bad = DynamicObject::new(Pod::resource(), "q");
    bad.data.insert("spec".into(), json!("not an object"));
    *fake.canned_events.lock().unwrap() = vec![
        Ok(WatchEvent::Added(good.clone())),
        Ok(WatchEvent::Modified(bad)),
        Ok(WatchEvent::Bookmark {
            resource_version: "5".into(),
        }),
        Ok(WatchEvent::Deleted(good)),
        Err(ClientError::gone("too old")),
    ];
    let pods = Api::<Pod>::namespaced(client, "default");
    let events: Vec<_> = pods
        .watch(&WatchParams::default())
        .await
        .unwrap()
        .collect()
        .await;
    assert_eq!(events.len(), 5);
    assert!(matches!(&events[0], Ok(WatchEvent::Added(p)) if p.metadata.resource_version == "4"));
    assert!(matches!(&events[1], Err(ClientError::Decode { path, .. }) if path == "spec"));
    assert!(
        matches!(&events[2], Ok(WatchEvent::Bookmark { resource_version }) if resource_version == "5")
    );
    assert!(matches!(&events[3], Ok(e @ WatchEvent::Deleted(_)) if e.object().is_some()));
    assert!(matches!(&events[4], Err(e) if e.is_gone()));
}

#[tokio::test]
async fn bind_goes_to_the_subresource() {
    let (fake, client) = setup();
    Api::<Pod>::namespaced(client.clone(), "ns")
        .bind("web", "node-1")
        .await
        .unwrap();
    assert_eq!(
        fake.bindings.lock().unwrap().as_slice(),
        [("ns".to_owned(), "web".to_owned(), "node-1".to_owned())]
    );
    let err = Api::<Pod>::all(client)
        .bind("web", "node-1")
        .await
        .unwrap_err();
    assert_eq!(err.code(), 400);
}
