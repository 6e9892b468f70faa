//! Every verb of the `Client` trait through the HTTP client against the real API
//! server, checked against what the server stored.

// Helpers outside `#[test]` functions unwrap too: a panic there is a test failure.
#![allow(clippy::unwrap_used)]

mod support;

use client::{
    Client, ClientError, DeleteParams, ListParams, Patch, PatchParams, PostParams, WatchParams,
};
use core_types::core_v1::{ConfigMap, Node, Pod};
use core_types::{DynamicObject, StaticResource};
use serde_json::json;
use support::{Cluster, config_map};

const NS: Option<&str> = Some("default");

fn pod(name: &str) -> DynamicObject {
    let mut pod = DynamicObject::new(Pod::resource(), name);
    pod.metadata.labels.insert("app".into(), "web".into());
    pod.data.insert(
        "spec".into(),
        json!({"containers": [{"name": "app", "image": "nginx"}]}),
    );
    pod
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn list_pages_and_selectors() {
    let cluster = Cluster::start().await;
    let client = cluster.client();
    let cms = ConfigMap::resource();
    for i in 0..5 {
        let mut cm = config_map(&format!("cm-{i}"), &[]);
        let tier = if i % 2 == 0 { "even" } else { "odd" };
        cm.metadata.labels.insert("tier".into(), tier.into());
        client
            .create(cms, NS, cm, &PostParams::default())
            .await
            .unwrap();
    }
    // Pages of two, following continue tokens.
    let mut names = Vec::new();
    let mut params = ListParams::default().limit(2);
    loop {
        let page = client.list(cms, NS, &params).await.unwrap();
        assert!(page.items.len() <= 2);
        names.extend(page.items.iter().map(|o| o.metadata.name.clone()));
        match page.continue_token() {
            Some(token) => params = params.continue_token(token),
            None => break,
        }
    }
    assert_eq!(names, ["cm-0", "cm-1", "cm-2", "cm-3", "cm-4"]);
    let odd = client
        .list(
            cms,
            NS,
            &ListParams::default().labels("tier=odd".parse().unwrap()),
        )
        .await
        .unwrap();
    let odd: Vec<&str> = odd.items.iter().map(|o| o.metadata.name.as_str()).collect();
    assert_eq!(odd, ["cm-1", "cm-3"]);
    let one = client
        .list(
            cms,
            None,
            &ListParams::default().fields("metadata.name=cm-2".parse().unwrap()),
        )
        .await
        .unwrap();
    assert_eq!(one.items.len(), 1);
    assert_eq!(one.items[0].types.kind, "ConfigMap");
    assert_eq!(one.items[0].metadata.namespace, "default");
    // A malformed continue token is the server's 400, passed on as BadRequest.
    let bad = client
        .list(
            cms,
            NS,
            &ListParams::default().limit(2).continue_token("not-a-token"),
        )
        .await
        .unwrap_err();
    assert!(matches!(bad, ClientError::BadRequest { .. }), "{bad:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn replace_status_patches_and_dry_run() {
    let cluster = Cluster::start().await;
    let client = cluster.client();
    let pods = Pod::resource();
    let created = client
        .create(pods, NS, pod("web"), &PostParams::default())
        .await
        .unwrap();

    // Dry run: answered, not stored.
    let dry = client
        .create(pods, NS, pod("ghost"), &PostParams::default().dry_run())
        .await
        .unwrap();
    assert_eq!(dry.metadata.name, "ghost");
    assert!(
        cluster
            .store
            .get(pods, NS, "ghost")
            .await
            .unwrap_err()
            .is_not_found()
    );

    // Replace: optimistic concurrency on resourceVersion.
    let mut changed = created.clone();
    changed.metadata.labels.insert("v".into(), "2".into());
    let replaced = client
        .replace(pods, NS, "web", changed.clone(), &PostParams::default())
        .await
        .unwrap();
    assert_eq!(replaced.metadata.labels["v"], "2");
    let stale = client
        .replace(pods, NS, "web", changed, &PostParams::default())
        .await
        .unwrap_err();
    assert!(stale.is_conflict(), "{stale:?}");

    // Status: only through the status subresource.
    let mut with_status = replaced.clone();
    with_status
        .data
        .insert("status".into(), json!({"phase": "Running"}));
    let after = client
        .replace(pods, NS, "web", with_status.clone(), &PostParams::default())
        .await
        .unwrap();
    assert_ne!(
        after.data.get("status").and_then(|s| s.get("phase")),
        Some(&json!("Running"))
    );
    let mut with_status = after.clone();
    with_status
        .data
        .insert("status".into(), json!({"phase": "Running"}));
    let after = client
        .replace_status(pods, NS, "web", with_status, &PostParams::default())
        .await
        .unwrap();
    assert_eq!(after.data["status"]["phase"], "Running");
    let patched = client
        .patch_status(
            pods,
            NS,
            "web",
            &Patch::Json(json!([{"op": "replace", "path": "/status/phase", "value": "Succeeded"}])),
            &PatchParams::default(),
        )
        .await
        .unwrap();
    assert_eq!(patched.data["status"]["phase"], "Succeeded");
    let patched = client
        .patch(
            pods,
            NS,
            "web",
            &Patch::Json(
                json!([{"op": "add", "path": "/metadata/annotations", "value": {"a": "b"}}]),
            ),
            &PatchParams::default().field_manager("test"),
        )
        .await
        .unwrap();
    assert_eq!(patched.metadata.annotations["a"], "b");
    let stored = cluster.store.get(pods, NS, "web").await.unwrap();
    assert_eq!(stored.data["status"]["phase"], "Succeeded");
    assert_eq!(stored.metadata.annotations["a"], "b");
    let failing = client
        .patch(
            pods,
            NS,
            "web",
            &Patch::Json(json!([{"op": "remove", "path": "/metadata/nothing"}])),
            &PatchParams::default(),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(failing, ClientError::Invalid { .. }),
        "{failing:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deletes_with_finalizers_preconditions_and_collections() {
    let cluster = Cluster::start().await;
    let client = cluster.client();
    let cms = ConfigMap::resource();
    let mut held = config_map("held", &[]);
    held.metadata.finalizers.push("example.com/hold".into());
    let held = client
        .create(cms, NS, held, &PostParams::default())
        .await
        .unwrap();

    // A wrong uid precondition: Conflict, nothing deleted.
    let e = client
        .delete(cms, NS, "held", &DeleteParams::default().uid("not-the-uid"))
        .await
        .unwrap_err();
    assert!(e.is_conflict(), "{e:?}");
    // With finalizers: pending (202), marked for deletion.
    let outcome = client
        .delete(
            cms,
            NS,
            "held",
            &DeleteParams::foreground().uid(held.metadata.uid.clone()),
        )
        .await
        .unwrap();
    assert!(outcome.is_pending());
    let stored = cluster.store.get(cms, NS, "held").await.unwrap();
    assert!(stored.metadata.deletion_timestamp.is_some());

    for i in 0..4 {
        let mut cm = config_map(&format!("batch-{i}"), &[]);
        cm.metadata.labels.insert("batch".into(), "yes".into());
        client
            .create(cms, NS, cm, &PostParams::default())
            .await
            .unwrap();
    }
    let deleted = client
        .delete_collection(
            cms,
            NS,
            &ListParams::default().labels("batch=yes".parse().unwrap()),
            &DeleteParams::background(),
        )
        .await
        .unwrap();
    assert_eq!(deleted.items.len(), 4);
    let left = cluster
        .store
        .list(cms, NS, &ListParams::default())
        .await
        .unwrap();
    let left: Vec<&str> = left
        .items
        .iter()
        .map(|o| o.metadata.name.as_str())
        .collect();
    assert_eq!(left, ["held"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bind_cluster_scoped_kinds_and_namespace_checks() {
    let cluster = Cluster::start().await;
    let client = cluster.client();
    let nodes = Node::resource();
    let node = client
        .create(
            nodes,
            None,
            DynamicObject::new(nodes, "node-1"),
            &PostParams::default(),
        )
        .await
        .unwrap();
    assert_eq!(node.metadata.namespace, "");
    assert_eq!(
        client
            .get(nodes, None, "node-1")
            .await
            .unwrap()
            .metadata
            .uid,
        node.metadata.uid
    );

    client
        .create(Pod::resource(), NS, pod("web"), &PostParams::default())
        .await
        .unwrap();
    client.bind("default", "web", "node-1").await.unwrap();
    let bound = cluster.store.get(Pod::resource(), NS, "web").await.unwrap();
    assert_eq!(bound.data["spec"]["nodeName"], "node-1");
    client.bind("default", "web", "node-1").await.unwrap();
    let e = client.bind("default", "web", "node-2").await.unwrap_err();
    assert!(e.is_conflict(), "{e:?}");

    // Requests that cannot name an object fail before anything is sent.
    let before = client.stats().requests;
    assert_eq!(
        client
            .get(Pod::resource(), None, "web")
            .await
            .unwrap_err()
            .code(),
        400
    );
    assert_eq!(
        client
            .get(nodes, Some("default"), "node-1")
            .await
            .unwrap_err()
            .code(),
        400
    );
    assert_eq!(
        client
            .get(Pod::resource(), NS, "")
            .await
            .unwrap_err()
            .code(),
        400
    );
    assert!(
        client
            .watch(nodes, Some("x"), &WatchParams::default())
            .await
            .is_err()
    );
    assert_eq!(client.stats().requests, before);
    // Creates in a namespace that does not exist: the server's NotFound.
    let e = client
        .create(
            ConfigMap::resource(),
            Some("nowhere"),
            config_map("x", &[]),
            &PostParams::default(),
        )
        .await
        .unwrap_err();
    assert!(e.is_not_found(), "{e:?}");
}
