//! Update: resourceVersion, generation, status, conflicts, immutable fields.

use client::{ClientError, PostParams};
use core_types::Time;

use super::{Subject, config_map, pod};

pub async fn resource_version_is_the_revision_and_generation_follows_spec(s: &Subject) {
    let api = s.pods("default");
    let post = PostParams::default();
    let created = api.create(&post, &pod("web", &[])).await.unwrap();

    // A metadata-only change: new revision, same generation.
    let mut labelled = created.clone();
    labelled
        .metadata
        .labels
        .insert("tier".into(), "front".into());
    let labelled = api.replace("web", &post, &labelled).await.unwrap();
    assert_eq!(
        labelled.metadata.resource_version,
        s.revision().await.to_string()
    );
    assert_ne!(
        labelled.metadata.resource_version,
        created.metadata.resource_version
    );
    assert_eq!(labelled.metadata.generation, 1);
    assert_eq!(labelled.metadata.labels["tier"], "front");

    // A spec change bumps the generation.
    let mut respecced = labelled.clone();
    respecced.spec.containers[0].image = "nginx:2".into();
    let respecced = api.replace("web", &post, &respecced).await.unwrap();
    assert_eq!(respecced.metadata.generation, 2);
    assert_eq!(respecced.metadata.uid, created.metadata.uid);
    assert_eq!(
        respecced.metadata.creation_timestamp,
        created.metadata.creation_timestamp
    );
    assert_eq!(api.get("web").await.unwrap(), respecced);

    // Same for a kind without spec: any content change counts.
    let cms = s.config_maps("default");
    let cm = cms.create(&post, &config_map("c", "k", "v")).await.unwrap();
    let mut changed = cm.clone();
    changed.data.insert("k".into(), "w".into());
    assert_eq!(
        cms.replace("c", &post, &changed)
            .await
            .unwrap()
            .metadata
            .generation,
        2
    );
}

pub async fn status_changes_only_through_the_status_subresource(s: &Subject) {
    let api = s.pods("default");
    let post = PostParams::default();
    let created = api.create(&post, &pod("web", &[])).await.unwrap();

    // Status in a main update is ignored; the spec change goes through.
    let mut both = created.clone();
    both.status.phase = "Running".into();
    both.spec.node_name = "n1".into();
    let updated = api.replace("web", &post, &both).await.unwrap();
    assert_eq!(updated.status.phase, "");
    assert_eq!(updated.spec.node_name, "n1");
    assert_eq!(updated.metadata.generation, 2);

    // A status update changes only status (and not the generation).
    let mut status_only = updated.clone();
    status_only.status.phase = "Running".into();
    status_only.spec.node_name = "other".into();
    status_only
        .metadata
        .labels
        .insert("ignored".into(), "yes".into());
    let updated = api
        .replace_status("web", &post, &status_only)
        .await
        .unwrap();
    assert_eq!(updated.status.phase, "Running");
    assert_eq!(updated.spec.node_name, "n1");
    assert!(updated.metadata.labels.is_empty());
    assert_eq!(updated.metadata.generation, 2);
    assert_eq!(api.get("web").await.unwrap().status.phase, "Running");

    // The status update checks the resourceVersion too.
    let e = api
        .replace_status("web", &post, &status_only)
        .await
        .unwrap_err();
    assert!(e.is_conflict(), "{e:?}");
}

pub async fn conflicts_and_unconditional_updates(s: &Subject) {
    let api = s.config_maps("default");
    let post = PostParams::default();
    let v1 = api.create(&post, &config_map("c", "k", "1")).await.unwrap();
    let mut v2 = v1.clone();
    v2.data.insert("k".into(), "2".into());
    let v2 = api.replace("c", &post, &v2).await.unwrap();

    // Writing from the stale copy conflicts and names the current version.
    let mut stale = v1.clone();
    stale.data.insert("k".into(), "stale".into());
    let e = api.replace("c", &post, &stale).await.unwrap_err();
    match &e {
        ClientError::Conflict {
            current_resource_version,
            ..
        } => assert_eq!(
            current_resource_version.as_deref(),
            Some(v2.metadata.resource_version.as_str())
        ),
        other => panic!("{other:?}"),
    }
    assert!(
        e.to_string().contains("the object has been modified"),
        "{e}"
    );

    // Without a resourceVersion the update is unconditional.
    stale.metadata.resource_version.clear();
    let v3 = api.replace("c", &post, &stale).await.unwrap();
    assert_eq!(v3.data["k"], "stale");

    // A resourceVersion that is not a number is a bad request.
    let mut garbage = v3.clone();
    garbage.metadata.resource_version = "abc".into();
    assert_eq!(
        api.replace("c", &post, &garbage).await.unwrap_err().code(),
        400
    );

    let e = api
        .replace("missing", &post, &config_map("missing", "k", "v"))
        .await
        .unwrap_err();
    assert!(e.is_not_found(), "{e:?}");
}

pub async fn immutable_fields_are_refused(s: &Subject) {
    let api = s.config_maps("default");
    let post = PostParams::default();
    let created = api.create(&post, &config_map("c", "k", "v")).await.unwrap();

    let mut uid = created.clone();
    uid.metadata.uid = "another".into();
    let e = api.replace("c", &post, &uid).await.unwrap_err();
    assert_eq!(e.code(), 422, "{e}");
    assert_eq!(e.causes()[0].field, "metadata.uid");

    let mut created_at = created.clone();
    created_at.metadata.creation_timestamp = Time::from_unix_seconds(1);
    let e = api.replace("c", &post, &created_at).await.unwrap_err();
    assert_eq!(e.causes()[0].field, "metadata.creationTimestamp");

    let mut renamed = created.clone();
    renamed.metadata.name = "d".into();
    assert_eq!(
        api.replace("c", &post, &renamed).await.unwrap_err().code(),
        400
    );

    let mut moved = created.clone();
    moved.metadata.namespace = "elsewhere".into();
    assert_eq!(
        api.replace("c", &post, &moved).await.unwrap_err().code(),
        400
    );

    // Leaving them empty keeps the stored values.
    let mut sparse = created.clone();
    sparse.metadata.uid.clear();
    sparse.metadata.creation_timestamp = None;
    sparse.data.insert("k".into(), "w".into());
    let updated = api.replace("c", &post, &sparse).await.unwrap();
    assert_eq!(updated.metadata.uid, created.metadata.uid);
    assert_eq!(
        updated.metadata.creation_timestamp,
        created.metadata.creation_timestamp
    );
}

pub async fn an_update_that_changes_nothing_writes_nothing(s: &Subject) {
    let api = s.config_maps("default");
    let post = PostParams::default();
    let created = api.create(&post, &config_map("c", "k", "v")).await.unwrap();
    let before = s.revision().await;
    let same = api.replace("c", &post, &created).await.unwrap();
    assert_eq!(same, created);
    let same = api.replace_status("c", &post, &created).await.unwrap();
    assert_eq!(same, created);
    assert_eq!(s.revision().await, before);

    let mut dry = created.clone();
    dry.data.insert("k".into(), "dry".into());
    let would = api
        .replace("c", &post.clone().dry_run(), &dry)
        .await
        .unwrap();
    assert_eq!(would.data["k"], "dry");
    assert_eq!(s.revision().await, before);
    assert_eq!(api.get("c").await.unwrap().data["k"], "v");
}
