//! Stock kubectl (from PATH) against a server started here, with the generated
//! kubeconfig and no extra flags. Skipped (with a message) when kubectl is missing.

// Helpers outside `#[test]` functions unwrap too: a panic is a test failure.
#![allow(clippy::unwrap_used)]

#[path = "support/cluster.rs"]
mod cluster;

use std::path::{Path, PathBuf};

use cluster::{Cluster, have_kubectl};

fn guestbook(file: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../core-types/tests/data/kubernetes-examples/web/guestbook")
        .join(file)
}

#[test]
fn kubectl_drives_a_deployment_and_a_service() {
    if !have_kubectl() {
        eprintln!("kubectl is not in PATH: skipped");
        return;
    }
    let cluster = Cluster::start();
    let deployment = guestbook("frontend-deployment.yaml");
    let service = guestbook("frontend-service.yaml");
    let deployment = deployment.to_str().unwrap();
    let service = service.to_str().unwrap();

    // Discovery and the system namespaces.
    let namespaces = cluster.ok(&["get", "namespaces"]);
    assert!(namespaces.contains("kube-system"), "{namespaces}");

    // Create.
    let out = cluster.ok(&["apply", "-f", deployment]);
    assert!(out.contains("deployment.apps/frontend created"), "{out}");
    let out = cluster.ok(&["apply", "-f", service]);
    assert!(out.contains("service/frontend created"), "{out}");

    // Read: default columns (server-side Table) and -o yaml.
    let out = cluster.ok(&["get", "deployments"]);
    let header: Vec<&str> = out.lines().next().unwrap().split_whitespace().collect();
    assert_eq!(
        header,
        ["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"],
        "{out}"
    );
    let row: Vec<&str> = out.lines().nth(1).unwrap().split_whitespace().collect();
    assert_eq!(row[..4], ["frontend", "0/3", "0", "0"], "{out}");
    let out = cluster.ok(&["get", "svc"]);
    let header: Vec<&str> = out.lines().next().unwrap().split_whitespace().collect();
    assert_eq!(
        header,
        [
            "NAME",
            "TYPE",
            "CLUSTER-IP",
            "EXTERNAL-IP",
            "PORT(S)",
            "AGE"
        ],
        "{out}"
    );
    assert!(
        out.lines()
            .any(|l| l.starts_with("frontend") && l.contains("10.") && l.contains("80:3")),
        "{out}"
    );
    let yaml = cluster.ok(&["get", "deployment", "frontend", "-o", "yaml"]);
    assert!(yaml.contains("replicas: 3"), "{yaml}");
    assert!(
        yaml.contains("imagePullPolicy: IfNotPresent"),
        "defaulted: {yaml}"
    );
    let yaml = cluster.ok(&["get", "service", "frontend", "-o", "yaml"]);
    assert!(yaml.contains("port: 80"), "{yaml}");

    // Apply again unchanged, then after editing: a strategic merge patch.
    let out = cluster.ok(&["apply", "-f", deployment]);
    assert!(out.contains("unchanged"), "{out}");
    let edited = std::fs::read_to_string(deployment)
        .unwrap()
        .replace("replicas: 3", "replicas: 2")
        .replace("memory: 100Mi", "memory: 120Mi");
    let edited_path = cluster.dir.path().join("frontend-edited.yaml");
    std::fs::write(&edited_path, edited).unwrap();
    let out = cluster.ok(&["apply", "-f", edited_path.to_str().unwrap()]);
    assert!(out.contains("configured"), "{out}");
    let got = cluster.ok(&[
        "get", "deployment", "frontend", "-o",
        "jsonpath={.spec.replicas} {.spec.template.spec.containers[0].resources.requests.memory} {.spec.template.spec.containers[0].ports[0].containerPort}",
    ]);
    assert_eq!(got, "2 120Mi 80");

    // Scale (the scale subresource) and label (a patch).
    let out = cluster.ok(&["scale", "deployment", "frontend", "--replicas=5"]);
    assert!(out.contains("scaled"), "{out}");
    let out = cluster.ok(&["label", "deployment", "frontend", "team=web"]);
    assert!(out.contains("labeled"), "{out}");
    let got = cluster.ok(&[
        "get",
        "deployment",
        "frontend",
        "-o",
        "jsonpath={.spec.replicas} {.metadata.labels.team}",
    ]);
    assert_eq!(got, "5 web");
    let out = cluster.ok(&["get", "deployments", "-l", "team=web", "-o", "name"]);
    assert_eq!(out.trim(), "deployment.apps/frontend");

    // kubectl validates on the server (fieldValidation=Strict): a misspelt field is refused.
    let typo = std::fs::read_to_string(deployment)
        .unwrap()
        .replace("replicas: 3", "replicaz: 3")
        .replace("name: frontend", "name: typo");
    let typo_path = cluster.dir.path().join("typo.yaml");
    std::fs::write(&typo_path, typo).unwrap();
    let (ok, _, err) = cluster.kubectl(&["apply", "-f", typo_path.to_str().unwrap()]);
    assert!(
        !ok && err.contains("strict decoding error: unknown field \"spec.replicaz\""),
        "{err}"
    );

    // Errors come back as Status objects kubectl prints.
    let (ok, _, err) = cluster.kubectl(&["get", "deployment", "missing"]);
    assert!(!ok && err.contains("not found"), "{err}");

    // Delete.
    let out = cluster.ok(&["delete", "-f", service]);
    assert!(out.contains("deleted"), "{out}");
    let out = cluster.ok(&["delete", "deployment", "frontend"]);
    assert!(out.contains("deleted"), "{out}");
    let (_, out, err) = cluster.kubectl(&["get", "deployments,services"]);
    assert!(!out.contains("frontend"), "{out}{err}");
}

#[test]
fn kubectl_without_the_token_is_refused() {
    if !have_kubectl() {
        eprintln!("kubectl is not in PATH: skipped");
        return;
    }
    let cluster = Cluster::start();
    let config = std::fs::read_to_string(cluster.kubeconfig()).unwrap();
    let token_line = config
        .lines()
        .find(|l| l.trim_start().starts_with("token:"))
        .unwrap();
    let forged = config.replace(token_line, "    token: wrong");
    std::fs::write(cluster.kubeconfig(), forged).unwrap();
    let (ok, _, err) = cluster.kubectl(&["get", "pods"]);
    assert!(!ok, "{err}");
    assert!(
        err.contains("Unauthorized") || err.contains("credentials"),
        "{err}"
    );
}

#[test]
fn kubectl_generator_commands_that_send_protobuf() {
    if !have_kubectl() {
        eprintln!("kubectl is not in PATH: skipped");
        return;
    }
    let cluster = Cluster::start();
    assert!(
        cluster
            .ok(&["create", "namespace", "team"])
            .contains("namespace/team created")
    );
    let out = cluster.ok(&[
        "create",
        "configmap",
        "settings",
        "-n",
        "team",
        "--from-literal=mode=fast",
    ]);
    assert!(out.contains("configmap/settings created"), "{out}");
    let out = cluster.ok(&[
        "create",
        "secret",
        "generic",
        "pw",
        "-n",
        "team",
        "--from-literal=pw=hunter2",
    ]);
    assert!(out.contains("secret/pw created"), "{out}");
    let got = cluster.ok(&[
        "get",
        "configmap",
        "settings",
        "-n",
        "team",
        "-o",
        "jsonpath={.data.mode}",
    ]);
    assert_eq!(got, "fast");
    let got = cluster.ok(&[
        "get",
        "secret",
        "pw",
        "-n",
        "team",
        "-o",
        "jsonpath={.data.pw}",
    ]);
    assert_eq!(got, "aHVudGVyMg==");
    let out = cluster.ok(&["run", "web", "-n", "team", "--image=nginx"]);
    assert!(out.contains("pod/web created"), "{out}");
    let out = cluster.ok(&["get", "pods", "-n", "team"]);
    let header: Vec<&str> = out.lines().next().unwrap().split_whitespace().collect();
    assert_eq!(
        header,
        ["NAME", "READY", "STATUS", "RESTARTS", "AGE"],
        "{out}"
    );
    // Creates in a namespace that does not exist are refused.
    let (ok, _, err) = cluster.kubectl(&["create", "configmap", "x", "-n", "nowhere"]);
    assert!(
        !ok && err.contains("namespaces \"nowhere\" not found"),
        "{err}"
    );
}
