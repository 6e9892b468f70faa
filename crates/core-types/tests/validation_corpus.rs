//! Every typed object of the kubernetes/examples corpus passes validation once
//! defaulted, as in an API server's write path. Any error is either a manifest that a
//! real API server rejects too (listed in [`INVALID`] with the exact error and why) or a
//! bug in validation or defaulting.

use std::path::{Path, PathBuf};

use core_types::decode::{AnyObject, objects_from_yaml};

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/kubernetes-examples")
}

fn yaml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("corpus dir")
        .flatten()
        .collect();
    entries.sort_by_key(|e| e.path());
    for e in entries {
        let p = e.path();
        if p.is_dir() {
            yaml_files(&p, out);
        } else if matches!(
            p.extension().and_then(|x| x.to_str()),
            Some("yaml" | "yml" | "json")
        ) {
            out.push(p);
        }
    }
}

/// Documents a real API server rejects too, with every error they must report.
const INVALID: &[(&str, &[&str])] = &[
    // A template for a script that substitutes `{{...}}` placeholders, not a manifest.
    (
        "_archived/storage/vitess/vttablet-pod-template.yaml#0",
        &[
            "metadata.name: Invalid value: \"vttablet-{{uid}}\": an RFC 1123 subdomain may hold only lower-case letters, digits, '-' and '.', and must start and end with a letter or digit (for example 'example.com')",
            "metadata.labels[keyspace]: Invalid value: \"{{keyspace}}\": a label value must be empty or hold only letters, digits, '-', '_' and '.', starting and ending with a letter or digit",
            "metadata.labels[shard]: Invalid value: \"{{shard_label}}\": a label value must be empty or hold only letters, digits, '-', '_' and '.', starting and ending with a letter or digit",
            "metadata.labels[tablet]: Invalid value: \"{{alias}}\": a label value must be empty or hold only letters, digits, '-', '_' and '.', starting and ending with a letter or digit",
        ],
    ),
    // No selector and no template labels to default it from.
    (
        "_archived/sysdig-cloud/sysdig-rc.yaml#0",
        &["spec.selector: Required value"],
    ),
    // Protocols are case-sensitive: Kubernetes rejects `tcp` too.
    (
        "_archived/volumes/aws_ebs/aws-ebs-web.yaml#0",
        &[
            "spec.containers[0].ports[0].protocol: Unsupported value: \"tcp\": supported values: \"TCP\", \"UDP\", \"SCTP\"",
        ],
    ),
    (
        "_archived/volumes/cinder/cinder-web.yaml#0",
        &[
            "spec.containers[0].ports[0].protocol: Unsupported value: \"tcp\": supported values: \"TCP\", \"UDP\", \"SCTP\"",
        ],
    ),
];

/// Every decodable object of the corpus, with a `file#index` name.
fn corpus_objects() -> Vec<(String, AnyObject)> {
    let mut files = Vec::new();
    yaml_files(&corpus(), &mut files);
    assert!(files.len() >= 240, "corpus missing: {} files", files.len());
    let mut out = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).expect("read manifest");
        for (i, object) in objects_from_yaml(&text).into_iter().enumerate() {
            let name = format!(
                "{}#{i}",
                file.strip_prefix(corpus()).unwrap_or(file).display()
            );
            // Templates (`{{replicas}}`) and fc.yaml do not decode; the manifests test
            // checks how they fail.
            if let Ok(o) = object {
                out.push((name, o));
            }
        }
    }
    out
}

#[test]
fn every_typed_corpus_object_validates() {
    let (mut clean, mut typed) = (0, 0);
    let mut failures = Vec::new();
    let mut allowed_seen = Vec::new();
    for (name, mut object) in corpus_objects() {
        if !object.is_typed() {
            continue;
        }
        typed += 1;
        let kind = object.type_meta().kind;
        object.apply_defaults();
        let rest: Vec<String> = match object.validate() {
            Ok(()) => Vec::new(),
            Err(e) => e.errors().iter().map(ToString::to_string).collect(),
        };
        match INVALID.iter().find(|(doc, _)| *doc == name) {
            Some((_, expected)) => {
                assert_eq!(rest, *expected, "{name}: errors changed");
                allowed_seen.push(name.clone());
            }
            None if rest.is_empty() => clean += 1,
            None => failures.push(format!("{name} ({kind}):\n    {}", rest.join("\n    "))),
        }
    }
    assert!(
        failures.is_empty(),
        "{} objects with unexpected errors:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert_eq!(
        allowed_seen.len(),
        INVALID.len(),
        "an allow-listed document is gone"
    );
    assert!(typed > 200, "only {typed} typed objects");
    eprintln!(
        "{typed} typed objects: {clean} valid once defaulted, {} known invalid",
        INVALID.len()
    );
}

/// Validation never panics, and an empty object of every kind is invalid.
#[test]
fn validation_never_panics_and_empty_objects_fail() {
    for (_, object) in corpus_objects() {
        let _ = object.validate();
    }
    use core_types::*;
    let empty = [
        AnyObject::Pod(core_v1::Pod::default()),
        AnyObject::Node(core_v1::Node::default()),
        AnyObject::Namespace(core_v1::Namespace::default()),
        AnyObject::Service(core_v1::Service::default()),
        AnyObject::Endpoints(core_v1::Endpoints::default()),
        AnyObject::ConfigMap(core_v1::ConfigMap::default()),
        AnyObject::Secret(core_v1::Secret::default()),
        AnyObject::Event(core_v1::Event::default()),
        AnyObject::ServiceAccount(core_v1::ServiceAccount::default()),
        AnyObject::ReplicationController(core_v1::ReplicationController::default()),
        AnyObject::PersistentVolume(core_v1::PersistentVolume::default()),
        AnyObject::PersistentVolumeClaim(core_v1::PersistentVolumeClaim::default()),
        AnyObject::Deployment(apps_v1::Deployment::default()),
        AnyObject::ReplicaSet(apps_v1::ReplicaSet::default()),
        AnyObject::StatefulSet(apps_v1::StatefulSet::default()),
        AnyObject::DaemonSet(apps_v1::DaemonSet::default()),
        AnyObject::ControllerRevision(apps_v1::ControllerRevision::default()),
        AnyObject::Job(batch_v1::Job::default()),
        AnyObject::CronJob(batch_v1::CronJob::default()),
        AnyObject::Ingress(networking_v1::Ingress::default()),
        AnyObject::Lease(coordination_v1::Lease::default()),
        AnyObject::HorizontalPodAutoscaler(autoscaling_v2::HorizontalPodAutoscaler::default()),
        AnyObject::Role(rbac_v1::Role::default()),
        AnyObject::ClusterRole(rbac_v1::ClusterRole::default()),
        AnyObject::RoleBinding(rbac_v1::RoleBinding::default()),
        AnyObject::ClusterRoleBinding(rbac_v1::ClusterRoleBinding::default()),
        AnyObject::PriorityClass(scheduling_v1::PriorityClass::default()),
        AnyObject::PodDisruptionBudget(policy_v1::PodDisruptionBudget::default()),
        AnyObject::Dynamic(DynamicObject::default()),
    ];
    for object in &empty {
        let errs = object.validate().expect_err("an empty object is invalid");
        assert!(
            errs.to_string().contains("metadata.name: Required value"),
            "{:?}: {errs}",
            object.type_meta()
        );
    }
}
