//! Server-side apply on JSON values: ownership, conflicts, removal of given-up fields.

use serde_json::json;

use super::*;

fn deployment(replicas: i64, image: &str) -> Value {
    json!({"apiVersion": "apps/v1", "kind": "Deployment",
           "metadata": {"name": "web", "labels": {"app": "web"}},
           "spec": {"replicas": replicas,
                    "template": {"spec": {"containers": [{"name": "web", "image": image}]}}}})
}

fn apply_as<'a>(manager: &'a str, config: &'a Value, force: bool) -> Apply<'a> {
    Apply {
        manager,
        force,
        config,
    }
}

#[test]
fn records_the_fields_of_the_applied_configuration() {
    let config = deployment(2, "nginx");
    let (object, managed) = create(&apply_as("alice", &config, false), "apps/v1");
    assert_eq!(object, config);
    assert_eq!(managed.len(), 1);
    assert_eq!(managed[0].operation, "Apply");
    assert_eq!(
        managed[0].fields_v1,
        Some(json!({
            "f:metadata": {"f:labels": {"f:app": {}}},
            "f:spec": {"f:replicas": {}, "f:template": {"f:spec": {"f:containers": {
                "k:{\"name\":\"web\"}": {".": {}, "f:name": {}, "f:image": {}}}}}}
        }))
    );
}

#[test]
fn another_manager_conflicts_unless_forced() {
    let first = deployment(2, "nginx");
    let (live, managed) = create(&apply_as("alice", &first, false), "apps/v1");
    // The same values: no conflict, both own the fields.
    let same = deployment(2, "nginx");
    let (_, shared) = merge(&apply_as("bob", &same, false), "apps/v1", &live, &managed).unwrap();
    assert_eq!(shared.len(), 2);
    // A different replica count conflicts.
    let other = deployment(5, "nginx");
    let err = merge(&apply_as("bob", &other, false), "apps/v1", &live, &managed).unwrap_err();
    assert_eq!(err.code(), 409);
    assert!(err.to_string().contains(".spec.replicas"), "{err}");
    // Forced: bob takes the field; alice keeps the rest.
    let (object, managed) =
        merge(&apply_as("bob", &other, true), "apps/v1", &live, &managed).unwrap();
    assert_eq!(object["spec"]["replicas"], 5);
    let alice = managed.iter().find(|e| e.manager == "alice").unwrap();
    let alice = alice.fields_v1.as_ref().unwrap();
    assert!(alice["f:spec"].get("f:replicas").is_none());
    assert!(alice["f:metadata"]["f:labels"].get("f:app").is_some());
}

#[test]
fn fields_given_up_are_removed_unless_owned_elsewhere() {
    let mut first = deployment(2, "nginx");
    first["metadata"]["labels"]["tier"] = json!("front");
    let (live, managed) = create(&apply_as("alice", &first, false), "apps/v1");
    let second = deployment(3, "nginx:1.27");
    let (object, managed) = merge(
        &apply_as("alice", &second, false),
        "apps/v1",
        &live,
        &managed,
    )
    .unwrap();
    assert_eq!(object["metadata"]["labels"], json!({"app": "web"}));
    assert_eq!(object["spec"]["replicas"], 3);
    assert_eq!(
        object["spec"]["template"]["spec"]["containers"][0]["image"],
        "nginx:1.27"
    );
    assert_eq!(managed.len(), 1);
    // A container no longer applied goes; one bob also applied stays.
    let mut two = deployment(3, "nginx:1.27");
    two["spec"]["template"]["spec"]["containers"] =
        json!([{"name": "web", "image": "nginx:1.27"}, {"name": "side", "image": "busybox"}]);
    let (live, managed) = merge(
        &apply_as("alice", &two, false),
        "apps/v1",
        &object,
        &managed,
    )
    .unwrap();
    let one = deployment(3, "nginx:1.27");
    let (object, _) = merge(&apply_as("alice", &one, false), "apps/v1", &live, &managed).unwrap();
    assert_eq!(
        object["spec"]["template"]["spec"]["containers"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let bob = json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
        "spec": {"template": {"spec": {"containers": [{"name": "side", "image": "busybox"}]}}}});
    let (live, managed) = merge(&apply_as("bob", &bob, false), "apps/v1", &live, &managed).unwrap();
    let (object, _) = merge(&apply_as("alice", &one, false), "apps/v1", &live, &managed).unwrap();
    assert_eq!(
        object["spec"]["template"]["spec"]["containers"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
}
