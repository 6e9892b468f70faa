//! Kinds the framework does not model: an embedder's own `ApiResource`s through
//! `Api<DynamicObject>`.

use client::{Api, ListParams, Patch, PatchParams, PostParams, WatchParams};
use core_types::{ApiResource, DynamicObject, Scope};
use serde_json::json;

use super::{Subject, next, summary, warm_up};

fn widgets() -> ApiResource {
    ApiResource::new(
        "example.com",
        "v1alpha1",
        "Widget",
        "widgets",
        Scope::Namespaced,
    )
}

fn widget(name: &str, size: u32, node: &str) -> DynamicObject {
    let mut w = DynamicObject::new(&widgets(), name);
    w.data.insert(
        "spec".into(),
        json!({"size": size, "placement": {"node": node}}),
    );
    w
}

pub async fn an_embedders_namespaced_kind(s: &Subject) {
    let api = Api::<DynamicObject>::namespaced_with(s.client.clone(), "team", &widgets());
    let post = PostParams::default();
    warm_up(&api).await;
    let created = api.create(&post, &widget("w1", 1, "n1")).await.unwrap();
    assert_eq!(created.types.api_version, "example.com/v1alpha1");
    assert_eq!(created.types.kind, "Widget");
    assert_eq!(created.metadata.generation, 1);
    api.create(&post, &widget("w2", 2, "n2")).await.unwrap();

    // Field selectors read any dotted path of the JSON.
    let on_n2 = ListParams::default().fields("spec.placement.node=n2".parse().unwrap());
    assert_eq!(super::names(&api.list(&on_n2).await.unwrap().items), ["w2"]);
    let size_one = ListParams::default().fields("spec.size=1".parse().unwrap());
    assert_eq!(
        super::names(&api.list(&size_one).await.unwrap().items),
        ["w1"]
    );

    let mut watch = api
        .watch(
            &WatchParams::default()
                .resource_version(&created.metadata.resource_version)
                .fields("spec.size=1".parse().unwrap()),
        )
        .await
        .unwrap();

    // Status is a top-level field like any other kind's: separate from the spec.
    let mut with_status = created.clone();
    with_status
        .data
        .insert("status".into(), json!({"ready": true}));
    let updated = api.replace_status("w1", &post, &with_status).await.unwrap();
    assert_eq!(updated.data["status"]["ready"], true);
    assert_eq!(updated.metadata.generation, 1);
    assert_eq!(summary(&next(&mut watch).await).0, "Modified");

    let grown = api
        .patch(
            "w1",
            &PatchParams::default(),
            &Patch::Merge(json!({"spec": {"size": 5}, "status": null})),
        )
        .await
        .unwrap();
    assert_eq!(grown.data["spec"]["size"], 5);
    assert_eq!(grown.data["status"]["ready"], true, "status kept");
    assert_eq!(grown.metadata.generation, 2);
    assert_eq!(
        summary(&next(&mut watch).await),
        (
            "Deleted",
            "w1".into(),
            grown.metadata.resource_version.clone()
        )
    );

    // The wrong kind in the body is refused.
    let mut gadget = widget("g", 1, "n1");
    gadget.types.kind = "Gadget".into();
    assert_eq!(api.create(&post, &gadget).await.unwrap_err().code(), 400);
}

pub async fn a_cluster_scoped_kind(s: &Subject) {
    let racks = ApiResource::new("infra.example.com", "v1", "Rack", "racks", Scope::Cluster);
    let api = Api::<DynamicObject>::all_with(s.client.clone(), &racks);
    let post = PostParams::default();
    let mut rack = DynamicObject::new(&racks, "r1");
    rack.data.insert("spec".into(), json!({"slots": 42}));
    let created = api.create(&post, &rack).await.unwrap();
    assert_eq!(created.metadata.namespace, "");
    assert_eq!(api.get("r1").await.unwrap(), created);
    assert_eq!(
        api.list(&ListParams::default()).await.unwrap().items.len(),
        1
    );
    let namespaced = Api::<DynamicObject>::namespaced_with(s.client.clone(), "ns", &racks);
    assert_eq!(namespaced.get("r1").await.unwrap_err().code(), 400);
    assert_eq!(
        namespaced
            .list(&ListParams::default())
            .await
            .unwrap_err()
            .code(),
        400
    );
    assert!(api.delete("r1", &Default::default()).await.is_ok());
}
