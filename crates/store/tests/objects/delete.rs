//! Delete: finalizers, preconditions, propagation policies, collections.

use client::{DeleteOutcome, DeleteParams, ListParams, PostParams, WatchParams};
use store::{FOREGROUND_FINALIZER, ORPHAN_FINALIZER};

use super::{Subject, config_map, next_change, summary, warm_up};

pub async fn finalizers_hold_deletion_until_removed(s: &Subject) {
    let api = s.config_maps("default");
    let post = PostParams::default();
    warm_up(&api).await;
    let mut cm = config_map("c", "k", "v");
    cm.metadata.finalizers = vec!["example.com/a".into(), "example.com/b".into()];
    let created = api.create(&post, &cm).await.unwrap();
    let mut watch = api
        .watch(&WatchParams::default().resource_version(&created.metadata.resource_version))
        .await
        .unwrap();

    let pending = api
        .delete("c", &DeleteParams::default().grace_period(30))
        .await
        .unwrap();
    let DeleteOutcome::Pending(marked) = &pending else {
        panic!("{pending:?}")
    };
    assert!(pending.is_pending());
    assert!(marked.metadata.deletion_timestamp.is_some());
    assert_eq!(marked.metadata.deletion_grace_period_seconds, Some(30));
    assert_eq!(api.get("c").await.unwrap(), *marked);
    assert_eq!(summary(&next_change(&mut watch).await).0, "Modified");

    // Deleting again changes nothing.
    let again = api.delete("c", &DeleteParams::default()).await.unwrap();
    assert_eq!(again, DeleteOutcome::Pending(marked.clone()));

    // No finalizer may be added now; the deletion fields cannot be undone.
    let mut more = marked.clone();
    more.metadata.finalizers.push("example.com/c".into());
    let e = api.replace("c", &post, &more).await.unwrap_err();
    assert_eq!(e.code(), 422, "{e}");
    assert_eq!(e.causes()[0].field, "metadata.finalizers");
    let mut undo = marked.clone();
    undo.metadata.deletion_timestamp = None;
    undo.metadata.finalizers.pop();
    let one_left = api.replace("c", &post, &undo).await.unwrap();
    assert_eq!(
        one_left.metadata.deletion_timestamp,
        marked.metadata.deletion_timestamp
    );
    assert_eq!(one_left.metadata.finalizers, ["example.com/a"]);
    assert_eq!(summary(&next_change(&mut watch).await).0, "Modified");

    // Removing the last finalizer deletes the object.
    let mut last = one_left.clone();
    last.metadata.finalizers.clear();
    let gone = api.replace("c", &post, &last).await.unwrap();
    assert!(gone.metadata.finalizers.is_empty());
    assert!(api.get("c").await.unwrap_err().is_not_found());
    let deleted = next_change(&mut watch).await;
    assert_eq!(summary(&deleted).0, "Deleted");
    assert_eq!(summary(&deleted).2, s.revision().await.to_string());
}

pub async fn preconditions_are_conflicts(s: &Subject) {
    let api = s.config_maps("default");
    let created = api
        .create(&PostParams::default(), &config_map("c", "k", "v"))
        .await
        .unwrap();
    let e = api
        .delete("c", &DeleteParams::default().uid("not-it"))
        .await
        .unwrap_err();
    assert!(e.is_conflict(), "{e:?}");
    assert!(
        e.to_string()
            .contains("Precondition failed: UID in precondition"),
        "{e}"
    );
    let e = api
        .delete("c", &DeleteParams::default().resource_version("999"))
        .await
        .unwrap_err();
    assert!(e.is_conflict(), "{e:?}");
    let outcome = api
        .delete(
            "c",
            &DeleteParams::default()
                .uid(&created.metadata.uid)
                .resource_version(&created.metadata.resource_version),
        )
        .await
        .unwrap();
    assert_eq!(outcome, DeleteOutcome::Deleted(created));
    assert!(
        api.delete("c", &DeleteParams::default())
            .await
            .unwrap_err()
            .is_not_found()
    );

    // A dry run deletes nothing.
    api.create(&PostParams::default(), &config_map("d", "k", "v"))
        .await
        .unwrap();
    let outcome = api
        .delete("d", &DeleteParams::default().dry_run())
        .await
        .unwrap();
    assert!(!outcome.is_pending());
    api.get("d").await.unwrap();
}

pub async fn propagation_policies_add_their_finalizers(s: &Subject) {
    let api = s.config_maps("default");
    let post = PostParams::default();
    for name in ["fg", "orphan", "bg"] {
        api.create(&post, &config_map(name, "k", "v"))
            .await
            .unwrap();
    }
    let fg = api.delete("fg", &DeleteParams::foreground()).await.unwrap();
    assert!(fg.is_pending());
    assert_eq!(fg.object().metadata.finalizers, [FOREGROUND_FINALIZER]);
    let orphan = api.delete("orphan", &DeleteParams::orphan()).await.unwrap();
    assert_eq!(orphan.object().metadata.finalizers, [ORPHAN_FINALIZER]);
    let bg = api.delete("bg", &DeleteParams::background()).await.unwrap();
    assert!(!bg.is_pending());
    assert!(api.get("bg").await.unwrap_err().is_not_found());
}

pub async fn delete_collection_by_selector(s: &Subject) {
    let api = s.config_maps("default");
    let post = PostParams::default();
    for (name, app) in [("a", "web"), ("b", "web"), ("c", "db")] {
        let mut cm = config_map(name, "k", "v");
        cm.metadata.labels.insert("app".into(), app.into());
        api.create(&post, &cm).await.unwrap();
    }
    let mut held = config_map("d", "k", "v");
    held.metadata.labels.insert("app".into(), "web".into());
    held.metadata.finalizers.push("example.com/keep".into());
    api.create(&post, &held).await.unwrap();
    s.config_maps("other")
        .create(&post, &{
            let mut cm = config_map("e", "k", "v");
            cm.metadata.labels.insert("app".into(), "web".into());
            cm
        })
        .await
        .unwrap();

    let deleted = api
        .delete_collection(
            &ListParams::default()
                .labels("app=web".parse().unwrap())
                .limit(1),
            &DeleteParams::default(),
        )
        .await
        .unwrap();
    assert_eq!(super::names(&deleted.items), ["a", "b", "d"]);
    assert!(deleted.items[2].metadata.deletion_timestamp.is_some());
    let left = api.list(&ListParams::default()).await.unwrap();
    assert_eq!(super::names(&left.items), ["c", "d"]);
    assert_eq!(
        s.config_maps("other")
            .list(&ListParams::default())
            .await
            .unwrap()
            .items
            .len(),
        1
    );
}
