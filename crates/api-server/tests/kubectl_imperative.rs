//! kubectl's imperative commands (which send protobuf bodies for built-in kinds) and
//! server-side apply, with stock kubectl against a server started here. Skipped
//! (with a message) when kubectl is missing.

// Helpers outside `#[test]` functions unwrap too: a panic is a test failure.
#![allow(clippy::unwrap_used)]

#[path = "support/cluster.rs"]
mod cluster;

use serde_json::Value;

use cluster::{Cluster, have_kubectl};

/// `kubectl get <what> -o json`, parsed.
fn stored(cluster: &Cluster, what: &[&str]) -> Value {
    let mut args = vec!["get"];
    args.extend_from_slice(what);
    args.extend_from_slice(&["-o", "json", "--show-managed-fields"]);
    serde_json::from_str(&cluster.ok(&args)).unwrap()
}

#[test]
fn generator_commands_create_what_they_say() {
    if !have_kubectl() {
        eprintln!("kubectl is not in PATH: skipped");
        return;
    }
    let cluster = Cluster::start();

    cluster.ok(&[
        "create",
        "deployment",
        "web",
        "--image=nginx:1.27",
        "--replicas=2",
        "--port=80",
    ]);
    let web = stored(&cluster, &["deployment", "web"]);
    assert_eq!(web["spec"]["replicas"], 2);
    assert_eq!(web["spec"]["selector"]["matchLabels"]["app"], "web");
    let container = &web["spec"]["template"]["spec"]["containers"][0];
    assert_eq!(container["image"], "nginx:1.27");
    assert_eq!(container["ports"][0]["containerPort"], 80);

    cluster.ok(&["create", "service", "clusterip", "backend", "--tcp=80:8080"]);
    let backend = stored(&cluster, &["service", "backend"]);
    assert_eq!(backend["spec"]["ports"][0]["port"], 80);
    assert_eq!(backend["spec"]["ports"][0]["targetPort"], 8080);
    assert!(
        backend["spec"]["clusterIP"]
            .as_str()
            .is_some_and(|ip| !ip.is_empty())
    );

    cluster.ok(&[
        "expose",
        "deployment",
        "web",
        "--port=8000",
        "--target-port=80",
    ]);
    let exposed = stored(&cluster, &["service", "web"]);
    assert_eq!(exposed["spec"]["selector"]["app"], "web");
    assert_eq!(exposed["spec"]["ports"][0]["targetPort"], 80);

    cluster.ok(&[
        "run",
        "one",
        "--image=busybox",
        "--labels=tier=tools",
        "--",
        "sleep",
        "60",
    ]);
    let pod = stored(&cluster, &["pod", "one"]);
    assert_eq!(pod["metadata"]["labels"]["tier"], "tools");
    assert_eq!(
        pod["spec"]["containers"][0]["args"],
        serde_json::json!(["sleep", "60"])
    );

    cluster.ok(&[
        "create",
        "job",
        "once",
        "--image=busybox",
        "--",
        "echo",
        "hi",
    ]);
    let job = stored(&cluster, &["job", "once"]);
    let container = &job["spec"]["template"]["spec"]["containers"][0];
    assert_eq!(container["command"], serde_json::json!(["echo", "hi"]));
    assert_eq!(job["spec"]["template"]["spec"]["restartPolicy"], "Never");

    cluster.ok(&[
        "create",
        "cronjob",
        "nightly",
        "--image=busybox",
        "--schedule=0 3 * * *",
    ]);
    let cron = stored(&cluster, &["cronjob", "nightly"]);
    assert_eq!(cron["spec"]["schedule"], "0 3 * * *");
    let template = &cron["spec"]["jobTemplate"]["spec"]["template"]["spec"];
    assert_eq!(template["containers"][0]["image"], "busybox");

    cluster.ok(&[
        "create",
        "configmap",
        "settings",
        "--from-literal=mode=fast",
    ]);
    assert_eq!(
        stored(&cluster, &["configmap", "settings"])["data"]["mode"],
        "fast"
    );

    cluster.ok(&[
        "create",
        "priorityclass",
        "high",
        "--value=1000",
        "--description=urgent",
    ]);
    let class = stored(&cluster, &["priorityclass", "high"]);
    assert_eq!(class["value"], 1000);
    assert_eq!(class["description"], "urgent");

    cluster.ok(&["create", "serviceaccount", "builder"]);
    stored(&cluster, &["serviceaccount", "builder"]);
    cluster.ok(&[
        "create",
        "role",
        "reader",
        "--verb=get,list",
        "--resource=pods",
    ]);
    let role = stored(&cluster, &["role", "reader"]);
    assert_eq!(
        role["rules"][0]["verbs"],
        serde_json::json!(["get", "list"])
    );
    cluster.ok(&[
        "create",
        "rolebinding",
        "read",
        "--role=reader",
        "--serviceaccount=default:builder",
    ]);
    let binding = stored(&cluster, &["rolebinding", "read"]);
    assert_eq!(binding["roleRef"]["name"], "reader");
    assert_eq!(binding["subjects"][0]["name"], "builder");
    cluster.ok(&[
        "create",
        "poddisruptionbudget",
        "web",
        "--selector=app=web",
        "--min-available=1",
    ]);
    let pdb = stored(&cluster, &["poddisruptionbudget", "web"]);
    assert_eq!(pdb["spec"]["minAvailable"], 1);

    // Reading back: wide columns and describe.
    let wide = cluster.ok(&["get", "deployments", "-o", "wide"]);
    assert!(
        wide.contains("web") && wide.contains("nginx:1.27"),
        "{wide}"
    );
    let described = cluster.ok(&["describe", "deployment", "web"]);
    assert!(described.contains("nginx:1.27"), "{described}");
}

const APPLIED: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  labels: {app: api}
spec:
  replicas: REPLICAS
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      containers:
      - name: api
        image: IMAGE
";

fn manifest(dir: &std::path::Path, replicas: u32, image: &str) -> String {
    let path = dir.join(format!(
        "api-{replicas}-{}.yaml",
        image.replace([':', '/'], "-")
    ));
    let text = APPLIED
        .replace("REPLICAS", &replicas.to_string())
        .replace("IMAGE", image);
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_owned()
}

#[test]
fn server_side_apply_owns_fields_and_reports_conflicts() {
    if !have_kubectl() {
        eprintln!("kubectl is not in PATH: skipped");
        return;
    }
    let cluster = Cluster::start();
    let dir = tempfile::tempdir().unwrap();

    let first = manifest(dir.path(), 2, "nginx:1.26");
    let out = cluster.ok(&["apply", "--server-side", "-f", &first]);
    assert!(out.contains("serverside-applied"), "{out}");
    let api = stored(&cluster, &["deployment", "api"]);
    assert_eq!(api["spec"]["replicas"], 2);
    let managed = &api["metadata"]["managedFields"][0];
    assert_eq!(managed["manager"], "kubectl");
    assert_eq!(managed["operation"], "Apply");
    assert!(
        managed["fieldsV1"]["f:spec"]["f:replicas"].is_object(),
        "{managed}"
    );

    // Applied again after an edit: the change lands, one manager still.
    let edited = manifest(dir.path(), 3, "nginx:1.27");
    cluster.ok(&["apply", "--server-side", "-f", &edited]);
    let api = stored(&cluster, &["deployment", "api"]);
    assert_eq!(api["spec"]["replicas"], 3);
    assert_eq!(
        api["spec"]["template"]["spec"]["containers"][0]["image"],
        "nginx:1.27"
    );
    assert_eq!(
        api["metadata"]["managedFields"].as_array().unwrap().len(),
        1
    );

    // Another manager changing an owned field conflicts ...
    let other = manifest(dir.path(), 5, "nginx:1.27");
    let (ok, _, err) = cluster.kubectl(&[
        "apply",
        "--server-side",
        "--field-manager=ops",
        "-f",
        &other,
    ]);
    assert!(!ok, "a conflicting apply succeeded");
    assert!(
        err.contains("conflict") && err.contains(".spec.replicas"),
        "{err}"
    );
    assert_eq!(
        stored(&cluster, &["deployment", "api"])["spec"]["replicas"],
        3
    );

    // ... until it forces: it then owns the field.
    cluster.ok(&[
        "apply",
        "--server-side",
        "--field-manager=ops",
        "--force-conflicts",
        "-f",
        &other,
    ]);
    let api = stored(&cluster, &["deployment", "api"]);
    assert_eq!(api["spec"]["replicas"], 5);
    let managers: Vec<&str> = api["metadata"]["managedFields"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["manager"].as_str())
        .collect();
    assert_eq!(managers, ["kubectl", "ops"]);
}
