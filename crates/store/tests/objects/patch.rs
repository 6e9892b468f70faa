//! Patch: merge patch, JSON patch, errors, the status subresource.

use client::{ClientError, Patch, PatchParams, PostParams};
use serde_json::json;

use super::{Subject, config_map, pod};

pub async fn merge_patch(s: &Subject) {
    let api = s.pods("default");
    let created = api
        .create(
            &PostParams::default(),
            &pod("web", &[("app", "web"), ("old", "x")]),
        )
        .await
        .unwrap();
    let patch = Patch::Merge(json!({
        "metadata": {"labels": {"tier": "front", "old": null}},
        "spec": {"nodeName": "n1"},
        "status": {"phase": "Running"},
    }));
    let patched = api
        .patch("web", &PatchParams::default(), &patch)
        .await
        .unwrap();
    assert_eq!(patched.metadata.labels.len(), 2);
    assert_eq!(patched.metadata.labels["tier"], "front");
    assert_eq!(patched.spec.node_name, "n1");
    assert_eq!(patched.spec.containers, created.spec.containers);
    assert_eq!(
        patched.status.phase, "",
        "status is ignored by a main-resource patch"
    );
    assert_eq!(patched.metadata.generation, 2);
    assert_eq!(
        patched.metadata.resource_version,
        s.revision().await.to_string()
    );
    assert_eq!(api.get("web").await.unwrap(), patched);

    // Arrays are replaced whole.
    let patched = api
        .patch(
            "web",
            &PatchParams::default(),
            &Patch::Merge(json!({"spec": {"containers": [{"name": "b", "image": "busybox"}]}})),
        )
        .await
        .unwrap();
    assert_eq!(patched.spec.containers.len(), 1);
    assert_eq!(patched.spec.containers[0].name, "b");
}

pub async fn json_patch_operations(s: &Subject) {
    let api = s.config_maps("default");
    let mut cm = config_map("c", "a", "1");
    cm.data.insert("b".into(), "2".into());
    api.create(&PostParams::default(), &cm).await.unwrap();
    let patch = Patch::Json(json!([
        {"op": "test", "path": "/data/a", "value": "1"},
        {"op": "add", "path": "/data/c", "value": "3"},
        {"op": "replace", "path": "/data/a", "value": "one"},
        {"op": "remove", "path": "/data/b"},
        {"op": "copy", "from": "/data/c", "path": "/data/d"},
        {"op": "move", "from": "/data/d", "path": "/data/e"},
        {"op": "add", "path": "/metadata/labels", "value": {"x~y": "z"}},
    ]));
    let patched = api
        .patch("c", &PatchParams::default(), &patch)
        .await
        .unwrap();
    let data: Vec<_> = patched
        .data
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    assert_eq!(data, [("a", "one"), ("c", "3"), ("e", "3")]);
    assert_eq!(patched.metadata.labels["x~y"], "z");
}

pub async fn patch_errors(s: &Subject) {
    let api = s.config_maps("default");
    let params = PatchParams::default();
    let created = api
        .create(&PostParams::default(), &config_map("c", "a", "1"))
        .await
        .unwrap();
    let before = s.revision().await;

    // A failed test: nothing applies.
    let failing = Patch::Json(json!([
        {"op": "replace", "path": "/data/a", "value": "2"},
        {"op": "test", "path": "/data/a", "value": "1"},
    ]));
    let e = api.patch("c", &params, &failing).await.unwrap_err();
    assert!(matches!(e, ClientError::Invalid { .. }), "{e:?}");
    let e = api
        .patch(
            "c",
            &params,
            &Patch::Json(json!([{"op": "remove", "path": "/data/missing"}])),
        )
        .await
        .unwrap_err();
    assert_eq!(e.code(), 422, "{e}");
    // Not a JSON patch document at all.
    let e = api
        .patch("c", &params, &Patch::Json(json!({"op": "add"})))
        .await
        .unwrap_err();
    assert_eq!(e.code(), 400, "{e}");
    // The result must still be an object of the same name and kind.
    let e = api
        .patch(
            "c",
            &params,
            &Patch::Merge(json!({"metadata": {"name": "d"}})),
        )
        .await
        .unwrap_err();
    assert_eq!(e.code(), 400, "{e}");
    let e = api
        .patch("c", &params, &Patch::Merge(json!({"kind": "Secret"})))
        .await
        .unwrap_err();
    assert_eq!(e.code(), 400, "{e}");
    let e = api
        .patch("c", &params, &Patch::Merge(json!(["not", "an", "object"])))
        .await
        .unwrap_err();
    assert_eq!(e.code(), 400, "{e}");
    assert_eq!(s.revision().await, before);
    assert_eq!(api.get("c").await.unwrap(), created);

    // A patch naming the current resourceVersion works; a stale one conflicts.
    let rv = created.metadata.resource_version.clone();
    let patched = api
        .patch(
            "c",
            &params,
            &Patch::Merge(json!({"metadata": {"resourceVersion": rv}, "data": {"a": "x"}})),
        )
        .await
        .unwrap();
    assert_eq!(patched.data["a"], "x");
    let e = api
        .patch(
            "c",
            &params,
            &Patch::Merge(json!({"metadata": {"resourceVersion": rv}, "data": {"a": "y"}})),
        )
        .await
        .unwrap_err();
    assert!(e.is_conflict(), "{e:?}");
    assert!(
        api.patch("missing", &params, &Patch::Merge(json!({})))
            .await
            .unwrap_err()
            .is_not_found()
    );
}

pub async fn patch_status_changes_only_status(s: &Subject) {
    let api = s.pods("default");
    api.create(&PostParams::default(), &pod("web", &[]))
        .await
        .unwrap();
    let patch = Patch::Merge(json!({
        "spec": {"nodeName": "ignored"},
        "status": {"phase": "Running", "podIP": "10.0.0.1"},
    }));
    let patched = api
        .patch_status("web", &PatchParams::default(), &patch)
        .await
        .unwrap();
    assert_eq!(patched.status.phase, "Running");
    assert_eq!(patched.status.pod_ip, "10.0.0.1");
    assert_eq!(patched.spec.node_name, "");
    assert_eq!(patched.metadata.generation, 1);
    let patched = api
        .patch_status(
            "web",
            &PatchParams::default(),
            &Patch::Json(json!([{"op": "replace", "path": "/status/phase", "value": "Succeeded"}])),
        )
        .await
        .unwrap();
    assert_eq!(patched.status.phase, "Succeeded");
    assert_eq!(patched.status.pod_ip, "10.0.0.1");
}
