//! Watch: start points, event types, selector transitions, bookmarks, Gone, timeout.

use std::time::Duration;

use client::{Api, DeleteParams, ListParams, PostParams, WatchEvent, WatchParams};
use core_types::core_v1::Pod;
use futures::StreamExt;

use super::{Subject, config_map, next, next_change, next_error, pod, summary, warm_up};

pub async fn watch_from_a_resource_version(s: &Subject) {
    let api = s.config_maps("default");
    let post = PostParams::default();
    warm_up(&api).await;
    let a = api.create(&post, &config_map("a", "k", "1")).await.unwrap();
    let mut a2 = a.clone();
    a2.data.insert("k".into(), "2".into());
    let a2 = api.replace("a", &post, &a2).await.unwrap();
    s.config_maps("other")
        .create(&post, &config_map("x", "k", "1"))
        .await
        .unwrap();
    let b = api.create(&post, &config_map("b", "k", "1")).await.unwrap();

    // From the create's version: only what came after, in order.
    let mut watch = api
        .watch(&WatchParams::default().resource_version(&a.metadata.resource_version))
        .await
        .unwrap();
    let modified = next(&mut watch).await;
    assert_eq!(
        summary(&modified),
        ("Modified", "a".into(), a2.metadata.resource_version.clone())
    );
    let WatchEvent::Modified(obj) = modified else {
        unreachable!()
    };
    assert_eq!(obj.data["k"], "2");
    assert_eq!(
        summary(&next(&mut watch).await),
        ("Added", "b".into(), b.metadata.resource_version.clone())
    );

    // Live changes follow; a delete carries the last state at the deletion's version.
    api.delete("a", &DeleteParams::default()).await.unwrap();
    let deleted = next(&mut watch).await;
    assert_eq!(
        summary(&deleted),
        ("Deleted", "a".into(), s.revision().await.to_string())
    );
    let WatchEvent::Deleted(obj) = deleted else {
        unreachable!()
    };
    assert_eq!(obj.data["k"], "2");

    // All namespaces, from the start.
    let all = Api::<core_types::core_v1::ConfigMap>::all(s.client.clone());
    let mut everything = all
        .watch(&WatchParams::default().resource_version(&a.metadata.resource_version))
        .await
        .unwrap();
    let mut seen = Vec::new();
    for _ in 0..4 {
        let (kind, name, _) = summary(&next(&mut everything).await);
        seen.push(format!("{kind} {name}"));
    }
    assert_eq!(seen, ["Modified a", "Added x", "Added b", "Deleted a"]);

    let Err(e) = api
        .watch(&WatchParams::default().resource_version("nope"))
        .await
    else {
        panic!("a malformed resourceVersion is refused")
    };
    assert_eq!(e.code(), 400);
}

pub async fn watch_without_resource_version_starts_with_the_state(s: &Subject) {
    let api = s.config_maps("default");
    let post = PostParams::default();
    api.create(&post, &config_map("a", "k", "1")).await.unwrap();
    api.create(&post, &config_map("b", "k", "1")).await.unwrap();
    s.config_maps("other")
        .create(&post, &config_map("x", "k", "1"))
        .await
        .unwrap();
    let mut expected = vec!["a".to_owned(), "b".to_owned()];
    for rv in [None, Some("0")] {
        let mut params = WatchParams::default();
        params.resource_version = rv.map(str::to_owned);
        let mut watch = api.watch(&params).await.unwrap();
        let mut names: Vec<_> = Vec::new();
        for _ in 0..expected.len() {
            let (kind, name, _) = summary(&next(&mut watch).await);
            assert_eq!(kind, "Added");
            names.push(name);
        }
        names.sort();
        assert_eq!(names, expected);
        let name = format!("c-{}", rv.unwrap_or("latest"));
        api.create(&post, &config_map(&name, "k", "1"))
            .await
            .unwrap();
        assert_eq!(
            summary(&next_change(&mut watch).await),
            ("Added", name.clone(), s.revision().await.to_string())
        );
        expected.push(name);
    }
}

pub async fn selectors_turn_moves_into_added_and_deleted(s: &Subject) {
    let api = s.pods("default");
    let post = PostParams::default();
    warm_up(&api).await;
    let start = s.revision().await.to_string();
    let web = WatchParams::default()
        .resource_version(&start)
        .labels("app=web".parse().unwrap());
    let mut by_label = api.watch(&web).await.unwrap();
    let on_n1 = WatchParams::default()
        .resource_version(&start)
        .fields("spec.nodeName=n1".parse().unwrap());
    let mut by_node = Api::<Pod>::all(s.client.clone())
        .watch(&on_n1)
        .await
        .unwrap();

    let p = api
        .create(&post, &pod("p", &[("app", "db")]))
        .await
        .unwrap();
    let mut relabelled = p.clone();
    relabelled
        .metadata
        .labels
        .insert("app".into(), "web".into());
    let relabelled = api.replace("p", &post, &relabelled).await.unwrap();
    assert_eq!(
        summary(&next(&mut by_label).await),
        (
            "Added",
            "p".into(),
            relabelled.metadata.resource_version.clone()
        )
    );

    api.bind("p", "n1").await.unwrap();
    let bound_rv = s.revision().await.to_string();
    assert_eq!(
        summary(&next(&mut by_label).await),
        ("Modified", "p".into(), bound_rv.clone())
    );
    assert_eq!(
        summary(&next(&mut by_node).await),
        ("Added", "p".into(), bound_rv)
    );

    let mut back = api.get("p").await.unwrap();
    back.metadata.labels.insert("app".into(), "db".into());
    let back = api.replace("p", &post, &back).await.unwrap();
    let left = next(&mut by_label).await;
    assert_eq!(
        summary(&left),
        (
            "Deleted",
            "p".into(),
            back.metadata.resource_version.clone()
        )
    );
    let WatchEvent::Deleted(last_seen) = left else {
        unreachable!()
    };
    assert_eq!(
        last_seen.metadata.labels["app"], "web",
        "a Deleted event carries the last matching state"
    );
    assert_eq!(summary(&next(&mut by_node).await).0, "Modified");

    api.delete("p", &DeleteParams::default()).await.unwrap();
    assert_eq!(summary(&next(&mut by_node).await).0, "Deleted");
    // Nothing more for the label watch: the delete was of an object it no longer saw.
    api.create(&post, &pod("q", &[("app", "web")]))
        .await
        .unwrap();
    assert_eq!(
        summary(&next(&mut by_label).await),
        ("Added", "q".into(), s.revision().await.to_string())
    );
}

pub async fn watch_from_a_compacted_revision_is_gone(s: &Subject) {
    let api = s.config_maps("default");
    let post = PostParams::default();
    let first = api.create(&post, &config_map("a", "k", "1")).await.unwrap();
    for i in 0..3 {
        api.create(&post, &config_map(&format!("b{i}"), "k", "1"))
            .await
            .unwrap();
    }
    s.kv.compact(s.revision().await).await.unwrap();
    let mut watch = api
        .watch(&WatchParams::default().resource_version(&first.metadata.resource_version))
        .await
        .unwrap();
    let e = next_error(&mut watch).await;
    assert!(e.is_gone(), "{e:?}");
    assert!(watch.next().await.is_none(), "the stream ends after Gone");

    let future = WatchParams::default().resource_version((s.revision().await + 50).to_string());
    let Err(e) = api.watch(&future).await else {
        panic!("a future resourceVersion is refused")
    };
    assert_eq!(e.code(), 504, "{e}");
}

pub async fn bookmarks_carry_the_latest_revision(s: &Subject) {
    let api = s.config_maps("default");
    let post = PostParams::default();
    warm_up(&api).await;
    let created = api.create(&post, &config_map("a", "k", "1")).await.unwrap();
    let params = WatchParams::default()
        .resource_version(&created.metadata.resource_version)
        .labels("app=none".parse().unwrap())
        .bookmarks();
    let mut watch = api.watch(&params).await.unwrap();
    let WatchEvent::Bookmark { resource_version } = next(&mut watch).await else {
        panic!("expected a bookmark")
    };
    assert_eq!(resource_version, created.metadata.resource_version);

    // Changes the watcher does not see still move its bookmarks forward.
    api.create(&post, &config_map("b", "k", "1")).await.unwrap();
    let current = s.revision().await.to_string();
    let mut last = String::new();
    for _ in 0..5 {
        tokio::time::sleep(Duration::from_millis(1_100)).await;
        if let WatchEvent::Bookmark { resource_version } = next(&mut watch).await {
            last = resource_version;
            if last == current {
                break;
            }
        }
    }
    assert_eq!(last, current);
    // A watch that did not ask gets none.
    let mut quiet = api
        .watch(&WatchParams::default().resource_version(&current))
        .await
        .unwrap();
    assert!(
        tokio::time::timeout(Duration::from_secs(5), quiet.next())
            .await
            .is_err()
    );
}

pub async fn timeout_ends_the_stream(s: &Subject) {
    let api = s.config_maps("default");
    let params = WatchParams::default().timeout(Duration::from_secs(30));
    let mut watch = api.watch(&params).await.unwrap();
    let started = tokio::time::Instant::now();
    assert!(watch.next().await.is_none());
    assert!(started.elapsed() >= Duration::from_secs(30));
    let _ = ListParams::default();
}
