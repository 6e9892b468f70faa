//! Create: identity, defaults, generateName, refusals, dry run.

use client::{ClientError, PostParams};
use core_types::core_v1::{ConfigMap, Node};
use core_types::{DynamicObject, StaticResource, Time};

use super::{Subject, config_map, meta, pod};

pub async fn assigns_identity_and_defaults(s: &Subject) {
    let before = Time::now();
    let created = s
        .pods("default")
        .create(&PostParams::default(), &pod("web", &[("app", "web")]))
        .await
        .unwrap();
    let m = &created.metadata;
    assert_eq!(m.namespace, "default", "namespace filled from the request");
    assert_eq!(m.uid.len(), 36, "uid is a UUID: {}", m.uid);
    assert_eq!(m.uid.as_bytes()[14], b'4', "a version 4 UUID");
    assert!(m.creation_timestamp.is_some_and(|t| t >= before));
    assert_eq!(m.generation, 1);
    assert_eq!(m.resource_version, s.revision().await.to_string());
    assert!(m.deletion_timestamp.is_none());
    assert_eq!(created.spec.containers[0].image, "nginx");

    let read = s.pods("default").get("web").await.unwrap();
    assert_eq!(read, created);

    // Server-managed fields sent by the client are overwritten.
    let mut cm = config_map("cm", "k", "v");
    cm.metadata.uid = "mine".into();
    cm.metadata.generation = 7;
    cm.metadata.deletion_timestamp = Some(Time::now());
    let created = s
        .config_maps("default")
        .create(&PostParams::default(), &cm)
        .await
        .unwrap();
    assert_ne!(created.metadata.uid, "mine");
    assert_eq!(created.metadata.generation, 1);
    assert!(created.metadata.deletion_timestamp.is_none());
}

pub async fn generate_name_adds_a_random_suffix(s: &Subject) {
    let api = s.config_maps("ns");
    let mut cm = config_map("", "k", "v");
    cm.metadata.generate_name = "settings-".into();
    let a = api.create(&PostParams::default(), &cm).await.unwrap();
    let b = api.create(&PostParams::default(), &cm).await.unwrap();
    for name in [&a.metadata.name, &b.metadata.name] {
        assert!(name.starts_with("settings-"), "{name}");
        assert_eq!(name.len(), "settings-".len() + 5, "{name}");
        assert!(
            name["settings-".len()..]
                .bytes()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        );
    }
    assert_ne!(a.metadata.name, b.metadata.name);
    assert_eq!(
        api.get(&a.metadata.name)
            .await
            .unwrap()
            .metadata
            .generate_name,
        "settings-"
    );
}

pub async fn rejects_bad_creates(s: &Subject) {
    let api = s.config_maps("default");
    let post = PostParams::default();

    let mut with_rv = config_map("a", "k", "v");
    with_rv.metadata.resource_version = "5".into();
    let e = api.create(&post, &with_rv).await.unwrap_err();
    assert_eq!(e.code(), 400, "{e}");
    assert_eq!(
        e.to_string(),
        "resourceVersion should not be set on objects to be created"
    );

    let e = api
        .create(&post, &config_map("", "k", "v"))
        .await
        .unwrap_err();
    assert_eq!((e.code(), e.reason()), (422, "Invalid"), "{e}");
    assert_eq!(e.causes()[0].field, "metadata.name");

    let mut elsewhere = config_map("b", "k", "v");
    elsewhere.metadata.namespace = "other".into();
    let e = api.create(&post, &elsewhere).await.unwrap_err();
    assert_eq!(e.code(), 400, "{e}");
    assert!(
        e.to_string().contains("does not match the namespace"),
        "{e}"
    );

    let e = api
        .create(&post, &config_map("a/b", "k", "v"))
        .await
        .unwrap_err();
    assert_eq!(e.code(), 422, "{e}");
    assert_eq!(e.causes()[0].field, "metadata.name");

    api.create(&post, &config_map("dup", "k", "v"))
        .await
        .unwrap();
    let e = api
        .create(&post, &config_map("dup", "k", "w"))
        .await
        .unwrap_err();
    assert!(matches!(e, ClientError::AlreadyExists { .. }), "{e:?}");
    assert_eq!(e.to_string(), r#"configmaps "dup" already exists"#);

    // Cluster-scoped kinds have no namespace.
    let node = DynamicObject {
        metadata: meta("n1", &[]),
        ..DynamicObject::new(Node::resource(), "n1")
    };
    let nodes = client::Api::<DynamicObject>::namespaced_with(
        s.client.clone(),
        "default",
        Node::resource(),
    );
    assert_eq!(nodes.create(&post, &node).await.unwrap_err().code(), 400);
    let mut namespaced_node = node.clone();
    namespaced_node.metadata.namespace = "default".into();
    let all_nodes = client::Api::<DynamicObject>::all_with(s.client.clone(), Node::resource());
    assert_eq!(
        all_nodes
            .create(&post, &namespaced_node)
            .await
            .unwrap_err()
            .code(),
        400
    );
    let created = all_nodes.create(&post, &node).await.unwrap();
    assert_eq!(created.metadata.namespace, "");

    // A namespaced kind through an all-namespaces handle takes the object's namespace.
    let any_ns = client::Api::<ConfigMap>::all(s.client.clone());
    assert_eq!(
        any_ns
            .create(&post, &config_map("c", "k", "v"))
            .await
            .unwrap_err()
            .code(),
        400
    );
    let mut placed = config_map("c", "k", "v");
    placed.metadata.namespace = "team".into();
    assert_eq!(
        any_ns
            .create(&post, &placed)
            .await
            .unwrap()
            .metadata
            .namespace,
        "team"
    );
}

pub async fn dry_run_stores_nothing(s: &Subject) {
    let api = s.config_maps("default");
    let before = s.revision().await;
    let would = api
        .create(
            &PostParams::default().dry_run(),
            &config_map("dry", "k", "v"),
        )
        .await
        .unwrap();
    assert_eq!(would.metadata.name, "dry");
    assert!(!would.metadata.uid.is_empty());
    assert!(would.metadata.resource_version.is_empty());
    assert_eq!(s.revision().await, before);
    assert!(api.get("dry").await.unwrap_err().is_not_found());
}
