//! The flows of the kubectl integration test (crates/api-server/tests/kubectl.rs),
//! driven through the HTTP client against the real API server with its generated
//! kubeconfig: create a Deployment and a Service from the guestbook manifests, get,
//! patch after editing (strategic merge patch), scale, label, delete.

// Helpers outside `#[test]` functions unwrap too: a panic there is a test failure.
#![allow(clippy::unwrap_used)]

mod support;

use std::sync::Arc;

use client::{Api, Client, DeleteParams, ListParams, Patch, PatchParams, PostParams};
use core_types::apps_v1::Deployment;
use core_types::core_v1::Service;
use core_types::{DynamicObject, StaticResource};
use http_client::HttpClient;
use serde_json::{Value, json};
use support::{Cluster, guestbook};

fn at<'a>(object: &'a DynamicObject, path: &[&str]) -> &'a Value {
    let mut value = object.data.get(path[0]).unwrap_or(&Value::Null);
    for key in &path[1..] {
        value = match key.parse::<usize>() {
            Ok(i) => &value[i],
            Err(_) => &value[*key],
        };
    }
    value
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deployment_and_service_through_the_http_client() {
    let cluster = Cluster::start().await;
    // Exactly what a component does: read the kubeconfig, nothing else.
    let client: Arc<dyn Client> =
        Arc::new(HttpClient::from_kubeconfig(cluster.kubeconfig()).unwrap());
    let deployments = Deployment::resource();
    let services = Service::resource();
    let ns = Some("default");

    // Discovery-free sanity: the system namespaces are there.
    let namespaces = client
        .list(
            core_types::core_v1::Namespace::resource(),
            None,
            &ListParams::default(),
        )
        .await
        .unwrap();
    assert!(
        namespaces
            .items
            .iter()
            .any(|n| n.metadata.name == "kube-system")
    );

    // Create.
    let created = client
        .create(
            deployments,
            ns,
            guestbook("frontend-deployment.yaml"),
            &PostParams::default(),
        )
        .await
        .unwrap();
    assert_eq!(created.metadata.name, "frontend");
    assert!(!created.metadata.uid.is_empty() && !created.metadata.resource_version.is_empty());
    let svc = client
        .create(
            services,
            ns,
            guestbook("frontend-service.yaml"),
            &PostParams::default(),
        )
        .await
        .unwrap();
    let cluster_ip = at(&svc, &["spec", "clusterIP"])
        .as_str()
        .unwrap()
        .to_owned();
    assert!(cluster_ip.starts_with("10."), "{cluster_ip}");
    let node_port = at(&svc, &["spec", "ports", "0", "nodePort"])
        .as_i64()
        .unwrap();
    assert!((30000..=32767).contains(&node_port), "{node_port}");

    // Creating it again: AlreadyExists.
    let again = client
        .create(
            deployments,
            ns,
            guestbook("frontend-deployment.yaml"),
            &PostParams::default(),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(again, client::ClientError::AlreadyExists { .. }),
        "{again:?}"
    );

    // Get: what the server stored, defaults applied.
    let got = client.get(deployments, ns, "frontend").await.unwrap();
    assert_eq!(got.metadata.uid, created.metadata.uid);
    assert_eq!(at(&got, &["spec", "replicas"]), 3);
    let container = at(&got, &["spec", "template", "spec", "containers", "0"]);
    assert_eq!(container["imagePullPolicy"], "IfNotPresent");
    assert_eq!(container["ports"][0]["containerPort"], 80);
    let stored = cluster
        .store
        .get(deployments, ns, "frontend")
        .await
        .unwrap();
    assert_eq!(stored, got);

    // Apply after editing: a strategic merge patch, as kubectl computes it (the
    // container merges by name, so its ports and env stay).
    let edit = json!({"spec": {"replicas": 2, "template": {"spec": {"containers": [
        {"name": "php-redis", "resources": {"requests": {"memory": "120Mi"}}}
    ]}}}});
    let patched = client
        .patch(
            deployments,
            ns,
            "frontend",
            &Patch::Strategic(edit),
            &PatchParams::default(),
        )
        .await
        .unwrap();
    assert_eq!(at(&patched, &["spec", "replicas"]), 2);
    let container = at(&patched, &["spec", "template", "spec", "containers", "0"]);
    assert_eq!(container["resources"]["requests"]["memory"], "120Mi");
    assert_eq!(container["resources"]["requests"]["cpu"], "100m");
    assert_eq!(container["ports"][0]["containerPort"], 80);
    assert_eq!(container["image"], "gcr.io/google-samples/gb-frontend:v5");

    // Scale: the trait has no scale subresource; spec.replicas by merge patch.
    let scaled = client
        .patch(
            deployments,
            ns,
            "frontend",
            &Patch::Merge(json!({"spec": {"replicas": 5}})),
            &PatchParams::default(),
        )
        .await
        .unwrap();
    assert_eq!(at(&scaled, &["spec", "replicas"]), 5);

    // Label, then select by it (typed facade over the same client).
    let typed = Api::<Deployment>::namespaced(client.clone(), "default");
    let labelled = typed
        .patch(
            "frontend",
            &PatchParams::default(),
            &Patch::Strategic(json!({"metadata": {"labels": {"team": "web"}}})),
        )
        .await
        .unwrap();
    assert_eq!(
        labelled.metadata.labels.get("team").map(String::as_str),
        Some("web")
    );
    assert_eq!(labelled.spec.replicas, Some(5));
    let selected = typed
        .list(&ListParams::default().labels("team=web".parse().unwrap()))
        .await
        .unwrap();
    let names: Vec<&str> = selected
        .items
        .iter()
        .map(|d| d.metadata.name.as_str())
        .collect();
    assert_eq!(names, ["frontend"]);
    let none = typed
        .list(&ListParams::default().labels("team=db".parse().unwrap()))
        .await
        .unwrap();
    assert!(none.items.is_empty());
    let stored = cluster
        .store
        .get(deployments, ns, "frontend")
        .await
        .unwrap();
    assert_eq!(at(&stored, &["spec", "replicas"]), 5);
    assert_eq!(
        stored.metadata.labels.get("team").map(String::as_str),
        Some("web")
    );

    // Errors come back as their variants.
    let missing = client.get(deployments, ns, "missing").await.unwrap_err();
    assert!(missing.is_not_found(), "{missing:?}");
    assert_eq!(
        missing.to_string(),
        "deployments.apps \"missing\" not found"
    );
    let mut invalid = guestbook("frontend-deployment.yaml");
    invalid.metadata.name = "bad".into();
    invalid.data.insert(
        "spec".into(),
        json!({"replicas": -1, "selector": {}, "template": {}}),
    );
    let invalid = client
        .create(deployments, ns, invalid, &PostParams::default())
        .await
        .unwrap_err();
    assert!(
        matches!(invalid, client::ClientError::Invalid { .. }),
        "{invalid:?}"
    );
    assert!(
        invalid.causes().iter().any(|c| c.field == "spec.replicas"),
        "{invalid:?}"
    );

    // Delete.
    let deleted = client
        .delete(services, ns, "frontend", &DeleteParams::default())
        .await
        .unwrap();
    assert!(!deleted.is_pending());
    assert_eq!(deleted.object().metadata.name, "frontend");
    let deleted = client
        .delete(deployments, ns, "frontend", &DeleteParams::background())
        .await
        .unwrap();
    assert!(!deleted.is_pending());
    assert!(
        client
            .get(deployments, ns, "frontend")
            .await
            .unwrap_err()
            .is_not_found()
    );
    assert!(
        cluster
            .store
            .get(services, ns, "frontend")
            .await
            .unwrap_err()
            .is_not_found()
    );
    let left = client
        .list(deployments, None, &ListParams::default())
        .await
        .unwrap();
    assert!(left.items.is_empty(), "{left:?}");
}
