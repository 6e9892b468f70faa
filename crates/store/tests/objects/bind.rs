//! The pods/binding subresource.

use client::{DeleteParams, PostParams};

use super::{Subject, pod};

pub async fn binding_sets_the_node_once(s: &Subject) {
    let api = s.pods("default");
    let post = PostParams::default();
    let created = api.create(&post, &pod("p", &[])).await.unwrap();
    api.bind("p", "n1").await.unwrap();
    let bound = api.get("p").await.unwrap();
    assert_eq!(bound.spec.node_name, "n1");
    let scheduled = bound
        .status
        .condition("PodScheduled")
        .expect("PodScheduled condition");
    assert_eq!(scheduled.status, "True");
    assert_ne!(
        bound.metadata.resource_version,
        created.metadata.resource_version
    );
    assert_eq!(bound.metadata.uid, created.metadata.uid);

    // Again to the same node: nothing happens. To another: conflict.
    let revision = s.revision().await;
    api.bind("p", "n1").await.unwrap();
    assert_eq!(s.revision().await, revision);
    let e = api.bind("p", "n2").await.unwrap_err();
    assert!(e.is_conflict(), "{e:?}");
    assert!(
        e.to_string().contains("already assigned to node \"n1\""),
        "{e}"
    );

    assert!(api.bind("missing", "n1").await.unwrap_err().is_not_found());
    assert_eq!(api.bind("p", "").await.unwrap_err().code(), 400);

    // A pod being deleted cannot be bound.
    let mut held = pod("q", &[]);
    held.metadata.finalizers.push("example.com/hold".into());
    api.create(&post, &held).await.unwrap();
    api.delete("q", &DeleteParams::default()).await.unwrap();
    assert!(api.bind("q", "n1").await.unwrap_err().is_conflict());
}
