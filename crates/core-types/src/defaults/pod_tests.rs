use serde_json::json;

use super::*;
use crate::Quantity;
use crate::decode::from_json;

fn pod(spec: serde_json::Value) -> Pod {
    let doc = json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": spec});
    from_json(doc.to_string().as_bytes()).unwrap()
}

fn twice<T: ApplyDefaults + Clone + PartialEq + std::fmt::Debug>(mut obj: T) -> T {
    obj.apply_defaults();
    let once = obj.clone();
    obj.apply_defaults();
    assert_eq!(obj, once, "defaulting twice changed the object");
    obj
}

fn q(s: &str) -> Quantity {
    s.parse().unwrap()
}

#[test]
fn minimal_pod_matches_kubernetes() {
    let p = twice(pod(
        json!({"containers": [{"name": "web", "image": "nginx"}]}),
    ));
    // What `kubectl get pod -o json` shows for this pod's spec (minus what the
    // scheduler, admission and the service account controller add).
    assert_eq!(
        serde_json::to_value(&p.spec).unwrap(),
        json!({
            "containers": [{
                "name": "web",
                "image": "nginx",
                "resources": {},
                "terminationMessagePath": "/dev/termination-log",
                "terminationMessagePolicy": "File",
                "imagePullPolicy": "Always"
            }],
            "restartPolicy": "Always",
            "terminationGracePeriodSeconds": 30,
            "dnsPolicy": "ClusterFirst",
            "securityContext": {},
            "schedulerName": "default-scheduler",
            "enableServiceLinks": true
        })
    );
    // The status is not defaulted: the phase is set by the registry on create.
    assert_eq!(p.status.phase, "");
}

#[test]
fn explicit_values_are_kept() {
    let p = twice(pod(json!({
        "restartPolicy": "Never",
        "terminationGracePeriodSeconds": 0,
        "dnsPolicy": "None",
        "schedulerName": "mine",
        "enableServiceLinks": false,
        "securityContext": {"runAsUser": 1000},
        "containers": [{
            "name": "app",
            "image": "nginx:latest",
            "imagePullPolicy": "Never",
            "terminationMessagePath": "/tmp/msg",
            "terminationMessagePolicy": "FallbackToLogsOnError",
            "ports": [{"containerPort": 53, "protocol": "UDP"}],
            "livenessProbe": {"tcpSocket": {"port": 53}, "timeoutSeconds": 5, "periodSeconds": 2,
                "successThreshold": 1, "failureThreshold": 7}
        }]
    })));
    let s = &p.spec;
    assert_eq!(s.restart_policy, "Never");
    assert_eq!(s.termination_grace_period_seconds, Some(0));
    assert_eq!(s.dns_policy, "None");
    assert_eq!(s.scheduler_name, "mine");
    assert_eq!(s.enable_service_links, Some(false));
    assert_eq!(s.security_context.as_ref().unwrap().run_as_user, Some(1000));
    let c = &s.containers[0];
    assert_eq!(c.image_pull_policy, "Never");
    assert_eq!(c.termination_message_path, "/tmp/msg");
    assert_eq!(c.termination_message_policy, "FallbackToLogsOnError");
    assert_eq!(c.ports[0].protocol, "UDP");
    let probe = c.liveness_probe.as_ref().unwrap();
    assert_eq!(
        (
            probe.timeout_seconds,
            probe.period_seconds,
            probe.failure_threshold
        ),
        (5, 2, 7)
    );
}

#[test]
fn containers_ports_env_and_probes() {
    let p = twice(pod(json!({
        "initContainers": [{"name": "init", "image": "busybox:1.36"}],
        "containers": [{
            "name": "app",
            "image": "registry.example.com/app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
            "ports": [{"containerPort": 8080}],
            "env": [
                {"name": "NS", "valueFrom": {"fieldRef": {"fieldPath": "metadata.namespace"}}},
                {"name": "CPU", "valueFrom": {"resourceFieldRef": {"resource": "limits.cpu"}}},
                {"name": "A", "value": "1"}
            ],
            "livenessProbe": {"httpGet": {"port": 8080}},
            "readinessProbe": {"grpc": {"port": 9000}},
            "startupProbe": {"exec": {"command": ["true"]}, "failureThreshold": 30},
            "lifecycle": {"preStop": {"httpGet": {"port": 8080, "path": "/quit"}},
                          "postStart": {"exec": {"command": ["true"]}}}
        }],
        "ephemeralContainers": [{"name": "debug", "image": "busybox", "targetContainerName": "app"}]
    })));
    let init = &p.spec.init_containers[0];
    assert_eq!(init.image_pull_policy, "IfNotPresent");
    assert_eq!(init.termination_message_policy, "File");
    let c = &p.spec.containers[0];
    assert_eq!(c.image_pull_policy, "IfNotPresent");
    assert_eq!(c.ports[0].protocol, "TCP");
    assert_eq!(c.ports[0].host_port, 0);
    let field_ref = c.env[0]
        .value_from
        .as_ref()
        .unwrap()
        .field_ref
        .as_ref()
        .unwrap();
    assert_eq!(field_ref.api_version, "v1");
    assert!(c.env[1].value_from.as_ref().unwrap().field_ref.is_none());
    let live = c.liveness_probe.as_ref().unwrap();
    assert_eq!(
        (
            live.timeout_seconds,
            live.period_seconds,
            live.success_threshold,
            live.failure_threshold
        ),
        (1, 10, 1, 3)
    );
    let get = live.http_get.as_ref().unwrap();
    assert_eq!((get.path.as_str(), get.scheme.as_str()), ("/", "HTTP"));
    let grpc = c.readiness_probe.as_ref().unwrap().grpc.as_ref().unwrap();
    assert_eq!(grpc.service.as_deref(), Some(""));
    assert_eq!(c.startup_probe.as_ref().unwrap().failure_threshold, 30);
    let pre_stop = c.lifecycle.as_ref().unwrap().pre_stop.as_ref().unwrap();
    let get = pre_stop.http_get.as_ref().unwrap();
    assert_eq!((get.path.as_str(), get.scheme.as_str()), ("/quit", "HTTP"));
    let e = &p.spec.ephemeral_containers[0];
    assert_eq!(e.image_pull_policy, "Always");
    assert_eq!(e.termination_message_path, "/dev/termination-log");
}

#[test]
fn requests_default_to_limits_in_pods_only() {
    let spec = json!({
        "initContainers": [{"name": "i", "image": "x:1", "resources": {"limits": {"cpu": "1"}}}],
        "containers": [{"name": "c", "image": "x:1", "resources": {
            "limits": {"cpu": "500m", "memory": "128Mi"},
            "requests": {"cpu": "100m"}
        }}]
    });
    let p = twice(pod(spec.clone()));
    let r = &p.spec.containers[0].resources;
    assert_eq!(r.requests["cpu"], q("100m"));
    assert_eq!(r.requests["memory"], q("128Mi"));
    assert_eq!(r.requests["memory"].to_string(), "128Mi");
    assert_eq!(p.spec.init_containers[0].resources.requests["cpu"], q("1"));

    let mut template: PodTemplateSpec =
        serde_json::from_value(json!({"metadata": {}, "spec": spec})).unwrap();
    template = twice(template);
    assert!(
        !template.spec.containers[0]
            .resources
            .requests
            .contains_key("memory")
    );
    assert!(
        template.spec.init_containers[0]
            .resources
            .requests
            .is_empty()
    );
    assert_eq!(template.spec.enable_service_links, None);
    assert_eq!(template.spec.restart_policy, "Always");
}

#[test]
fn host_network_ports_in_pods_only() {
    let spec = json!({
        "hostNetwork": true,
        "containers": [{"name": "c", "image": "x:1", "ports": [
            {"containerPort": 80}, {"containerPort": 443, "hostPort": 8443}
        ]}]
    });
    let p = twice(pod(spec.clone()));
    let ports = &p.spec.containers[0].ports;
    assert_eq!((ports[0].host_port, ports[1].host_port), (80, 8443));
    let template: PodTemplateSpec =
        serde_json::from_value(json!({"metadata": {}, "spec": spec})).unwrap();
    assert_eq!(twice(template).spec.containers[0].ports[0].host_port, 0);
}

#[test]
fn service_account_alias() {
    let p = twice(pod(json!({"serviceAccount": "old", "containers": []})));
    assert_eq!(p.spec.service_account_name, "old");
    assert_eq!(p.spec.deprecated_service_account, "old");
    let p = twice(pod(json!({"serviceAccountName": "new", "containers": []})));
    assert_eq!(p.spec.deprecated_service_account, "new");
    let p = twice(pod(json!({"containers": []})));
    assert_eq!(p.spec.service_account_name, "");
    assert_eq!(p.spec.deprecated_service_account, "");
}

#[test]
fn resource_amounts_round_up_to_milli() {
    let p = twice(pod(json!({
        "overhead": {"cpu": "0.0001"},
        "containers": [{"name": "c", "image": "x:1", "resources": {
            "limits": {"cpu": "1500u", "memory": "1Gi"}
        }}]
    })));
    assert_eq!(p.spec.overhead["cpu"].to_string(), "1m");
    let r = &p.spec.containers[0].resources;
    assert_eq!(r.limits["cpu"].to_string(), "2m");
    assert_eq!(r.requests["cpu"].to_string(), "2m");
    assert_eq!(r.limits["memory"].to_string(), "1Gi");
}

#[test]
fn volumes_in_pods_and_templates() {
    let spec = json!({"containers": [], "volumes": [{"name": "tmp"}, {"name": "cfg", "configMap": {"name": "c"}}]});
    let p = twice(pod(spec.clone()));
    assert!(p.spec.volumes[0].empty_dir.is_some());
    assert_eq!(
        p.spec.volumes[1].config_map.as_ref().unwrap().default_mode,
        Some(0o644)
    );
    let t: PodTemplateSpec = serde_json::from_value(json!({"spec": spec})).unwrap();
    let t = twice(t);
    assert!(t.spec.volumes[0].empty_dir.is_some());
}
