//! Tests of the Pod model: a realistic pod decoded from YAML, checked field by field
//! and re-encoded; field selectors; helper methods.

#![allow(clippy::unwrap_used)]

use serde_json::{Value, json};

use super::*;
use crate::IntOrString;
use crate::Resource as _;
use crate::core_v1::PersistentVolumeClaimSpec;
use crate::decode::{from_value, yaml_documents};

/// A pod using (nearly) every field of the API, spec and status.
const POD: &str = include_str!("testdata/pod_full.yaml");

fn source() -> Value {
    let mut docs = yaml_documents(POD);
    docs.remove(0).expect("valid YAML")
}

fn pod() -> Pod {
    from_value(source()).expect("pod decodes")
}

/// Removes nulls, empty maps and empty arrays, as Go's `omitempty` would not write them.
fn prune(v: &mut Value) -> bool {
    match v {
        Value::Null => true,
        Value::Object(m) => {
            m.retain(|_, v| !prune(v));
            m.is_empty()
        }
        Value::Array(a) => {
            a.iter_mut().for_each(|x| {
                prune(x);
            });
            a.is_empty()
        }
        _ => false,
    }
}

#[test]
fn full_pod_decodes_every_field() {
    let p = pod();
    let spec = &p.spec;
    assert_eq!(spec.volumes.len(), 11);
    let vol = |n: &str| spec.volumes.iter().find(|v| v.name == n).unwrap();
    assert_eq!(
        vol("data")
            .persistent_volume_claim
            .as_ref()
            .unwrap()
            .claim_name,
        "web-data"
    );
    assert_eq!(vol("cache").empty_dir.as_ref().unwrap().medium, "Memory");
    assert_eq!(
        vol("config").config_map.as_ref().unwrap().items[0].mode,
        Some(420)
    );
    assert_eq!(vol("tls").secret.as_ref().unwrap().optional, Some(true));
    assert_eq!(
        vol("host-logs")
            .host_path
            .as_ref()
            .unwrap()
            .type_
            .as_deref(),
        Some("Directory")
    );
    assert!(vol("shared").nfs.as_ref().unwrap().read_only);
    let projected = vol("bundle").projected.as_ref().unwrap();
    assert_eq!(projected.sources.len(), 5);
    let token = projected.sources[0].service_account_token.as_ref().unwrap();
    assert_eq!(
        (token.audience.as_str(), token.expiration_seconds),
        ("vault", Some(3600))
    );
    let ctb = projected.sources[4].cluster_trust_bundle.as_ref().unwrap();
    assert_eq!(ctb.label_selector, Some(Default::default()));
    let template = vol("scratch")
        .ephemeral
        .as_ref()
        .unwrap()
        .volume_claim_template
        .as_ref();
    let claim: &PersistentVolumeClaimSpec = &template.unwrap().spec;
    assert_eq!(claim.storage_class_name.as_deref(), Some("fast"));
    assert_eq!(
        vol("models").image.as_ref().unwrap().pull_policy,
        "IfNotPresent"
    );

    assert_eq!(
        spec.init_containers[1].restart_policy.as_deref(),
        Some("Always")
    );
    let web = &spec.containers[0];
    assert_eq!(web.ports[1].host_ip, "127.0.0.1");
    assert_eq!(
        web.env_from[1].secret_ref.as_ref().unwrap().optional,
        Some(false)
    );
    let env = |n: &str| web.env.iter().find(|e| e.name == n).unwrap();
    let from = |n: &str| env(n).value_from.clone().unwrap();
    assert_eq!(from("POD_IP").field_ref.unwrap().field_path, "status.podIP");
    assert_eq!(
        from("CPU_LIMIT").resource_field_ref.unwrap().resource,
        "limits.cpu"
    );
    assert_eq!(
        from("LEVEL").config_map_key_ref.unwrap().optional,
        Some(true)
    );
    assert_eq!(from("PASSWORD").secret_key_ref.unwrap().key, "password");
    let live = web.liveness_probe.as_ref().unwrap();
    let get = live.http_get.as_ref().unwrap();
    assert_eq!(get.port, IntOrString::String("http".into()));
    assert_eq!(get.http_headers[0].value, "liveness");
    assert_eq!(live.termination_grace_period_seconds, Some(15));
    let startup = web.startup_probe.as_ref().unwrap();
    assert_eq!(
        startup.tcp_socket.as_ref().unwrap().port,
        IntOrString::Int(8080)
    );
    let grpc = spec.containers[1]
        .liveness_probe
        .as_ref()
        .unwrap()
        .grpc
        .as_ref();
    assert_eq!(grpc.unwrap().service.as_deref(), Some("health"));
    let lifecycle = web.lifecycle.as_ref().unwrap();
    assert_eq!(
        lifecycle
            .pre_stop
            .as_ref()
            .unwrap()
            .sleep
            .as_ref()
            .unwrap()
            .seconds,
        5
    );
    let sc = web.security_context.as_ref().unwrap();
    assert_eq!(sc.capabilities.as_ref().unwrap().drop, ["ALL"]);
    assert_eq!(sc.se_linux_options.as_ref().unwrap().level, "s0:c123,c456");
    assert!(web.stdin && web.tty && !web.stdin_once);
    assert_eq!(spec.ephemeral_containers[0].target_container_name, "web");

    assert_eq!(spec.deprecated_service_account, "web");
    assert!(spec.host_network && spec.host_pid && spec.host_ipc);
    let psc = spec.security_context.as_ref().unwrap();
    assert_eq!((psc.fs_group, psc.run_as_group), (Some(2000), Some(3000)));
    assert_eq!(psc.se_linux_change_policy.as_deref(), Some("MountOption"));
    let affinity = spec.affinity.as_ref().unwrap();
    let node = affinity.node_affinity.as_ref().unwrap();
    let required = node
        .required_during_scheduling_ignored_during_execution
        .as_ref();
    let term = &required.unwrap().node_selector_terms[0];
    assert_eq!(term.match_expressions[1].operator, "Gt");
    assert_eq!(term.match_fields[0].key, "metadata.name");
    assert_eq!(
        node.preferred_during_scheduling_ignored_during_execution[0].weight,
        50
    );
    let pod_aff = affinity.pod_affinity.as_ref().unwrap();
    let t = &pod_aff.required_during_scheduling_ignored_during_execution[0];
    assert_eq!(t.namespaces, ["shop", "cache"]);
    assert_eq!(t.mismatch_label_keys, ["tenant"]);
    assert!(t.namespace_selector.is_some());
    let anti = affinity.pod_anti_affinity.as_ref().unwrap();
    let w = &anti.preferred_during_scheduling_ignored_during_execution[0];
    assert_eq!(
        w.pod_affinity_term.topology_key,
        "topology.kubernetes.io/zone"
    );
    assert_eq!(spec.tolerations[1].toleration_seconds, Some(300));
    assert_eq!(spec.dns_config.as_ref().unwrap().options[1].value, None);
    let tsc = &spec.topology_spread_constraints[0];
    assert_eq!((tsc.max_skew, tsc.min_domains), (1, Some(2)));
    assert_eq!(tsc.node_taints_policy.as_deref(), Some("Ignore"));
    assert_eq!(spec.set_hostname_as_fqdn, Some(true));
    assert_eq!(spec.os.as_ref().unwrap().name, "linux");
    assert_eq!(spec.host_users, Some(false));
    assert_eq!(spec.scheduling_gates[0].name, "example.com/quota");
    assert_eq!(
        spec.resource_claims[0]
            .resource_claim_template_name
            .as_deref(),
        Some("gpu-template")
    );

    let st = &p.status;
    assert_eq!(st.observed_generation, 3);
    assert_eq!(st.pod_ips[1].ip, "fd00::7");
    assert!(st.start_time.is_some());
    let migrate = &st.init_container_statuses[0];
    let done = migrate.state.terminated.as_ref().unwrap();
    assert_eq!((done.exit_code, done.reason.as_str()), (0, "Completed"));
    let web_status = &st.container_statuses[0];
    assert!(web_status.state.running.is_some());
    let last = web_status.last_state.terminated.as_ref().unwrap();
    assert_eq!((last.exit_code, last.signal), (137, 9));
    assert_eq!(web_status.started, Some(true));
    assert_eq!(
        web_status
            .user
            .as_ref()
            .unwrap()
            .linux
            .as_ref()
            .unwrap()
            .gid,
        3000
    );
    let health = &web_status.allocated_resources_status[0].resources[0];
    assert_eq!(health.resource_id, "driver/pool/gpu-0");
    let waiting = st.container_statuses[1].state.waiting.as_ref().unwrap();
    assert_eq!(waiting.reason, "CrashLoopBackOff");
    assert_eq!(
        st.resource_claim_statuses[0].resource_claim_name.as_deref(),
        Some("web-0-gpu-x7k2")
    );
}

#[test]
fn full_pod_re_encodes_to_the_same_document() {
    let p = pod();
    let mut encoded = serde_json::to_value(&p).unwrap();
    assert_eq!(encoded["apiVersion"], "v1");
    assert_eq!(encoded["kind"], "Pod");
    // Spot checks of names that camelCase derivation would get wrong.
    let spec = &encoded["spec"];
    assert_eq!(spec["hostPID"], true);
    assert_eq!(spec["hostIPC"], true);
    assert_eq!(spec["setHostnameAsFQDN"], true);
    assert_eq!(spec["serviceAccount"], "web");
    assert_eq!(spec["securityContext"]["fsGroup"], 2000);
    assert_eq!(
        spec["volumes"][6]["downwardAPI"]["items"][0]["path"],
        "labels"
    );
    assert_eq!(spec["containers"][0]["ports"][1]["hostIP"], "127.0.0.1");
    assert_eq!(encoded["status"]["podIPs"][1]["ip"], "fd00::7");
    assert_eq!(encoded["status"]["hostIP"], "192.168.1.10");
    assert_eq!(
        encoded["status"]["containerStatuses"][0]["imageID"],
        "docker.io/library/web@sha256:111"
    );
    // Go writes these even when empty or false.
    assert_eq!(spec["containers"][1]["resources"], json!({}));
    assert_eq!(
        encoded["status"]["containerStatuses"][1]["lastState"],
        json!({})
    );
    assert_eq!(encoded["status"]["containerStatuses"][1]["ready"], false);
    assert_eq!(encoded["status"]["containerStatuses"][1]["imageID"], "");
    assert!(spec["containers"][1].get("stdin").is_none());

    // Nothing lost, nothing added (apart from what Go's omitempty would drop, and the
    // always-written `divisor` of a resource field selector, a quantity).
    let mut source = source();
    let divisor = encoded["spec"]["containers"][0]["env"][2]["valueFrom"]["resourceFieldRef"]
        .as_object_mut()
        .unwrap()
        .remove("divisor");
    assert!(divisor.is_some());
    prune(&mut source);
    prune(&mut encoded);
    assert_eq!(source, encoded);

    // And the encoded form decodes to the same value (the encoded `divisor` is a
    // quantity: skipped while `Quantity` cannot parse).
    if "0".parse::<crate::Quantity>().is_ok() {
        let back: Pod = from_value(serde_json::to_value(&p).unwrap()).unwrap();
        assert_eq!(back, p);
    }
}

#[test]
fn empty_pod_writes_spec_status_and_containers() {
    let v = serde_json::to_value(Pod::default()).unwrap();
    assert_eq!(
        v,
        json!({"apiVersion": "v1", "kind": "Pod", "metadata": {}, "spec": {"containers": []}, "status": {}})
    );
    let t = serde_json::to_value(PodTemplateSpec::default()).unwrap();
    assert_eq!(t, json!({"metadata": {}, "spec": {"containers": []}}));
}

#[test]
fn field_selectors() {
    let p = pod();
    let f = |name: &str| p.field_value(name).map(|v| v.into_owned());
    assert_eq!(f("metadata.name").as_deref(), Some("web-0"));
    assert_eq!(f("metadata.namespace").as_deref(), Some("shop"));
    assert_eq!(f("spec.nodeName").as_deref(), Some("node-1"));
    assert_eq!(f("spec.restartPolicy").as_deref(), Some("Always"));
    assert_eq!(
        f("spec.schedulerName").as_deref(),
        Some("default-scheduler")
    );
    assert_eq!(f("spec.serviceAccountName").as_deref(), Some("web"));
    assert_eq!(f("spec.hostNetwork").as_deref(), Some("true"));
    assert_eq!(f("status.phase").as_deref(), Some("Running"));
    assert_eq!(f("status.podIP").as_deref(), Some("10.244.1.7"));
    assert_eq!(f("status.nominatedNodeName").as_deref(), Some("node-2"));
    assert_eq!(f("spec.hostPID"), None);
    let empty = Pod::default();
    assert_eq!(
        empty.field_value("spec.hostNetwork").as_deref(),
        Some("false")
    );
    assert_eq!(empty.field_value("spec.nodeName").as_deref(), Some(""));
}

#[test]
fn helpers() {
    let mut p = pod();
    assert!(!p.is_terminal());
    assert!(p.is_ready());
    assert_eq!(p.status.condition("PodScheduled").unwrap().status, "True");
    assert!(p.status.condition("Initialized").is_none());
    let names: Vec<_> = p.spec.all_containers().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["migrate", "proxy", "web", "grpc-sidecar"]);
    p.status.phase = "Failed".into();
    assert!(p.is_terminal());
    p.status.phase = "Succeeded".into();
    assert!(p.is_terminal());
    p.status.conditions[1].status = "False".into();
    assert!(!p.is_ready());
}

#[test]
fn resources_decode_when_quantities_parse() {
    // Quantities are parsed by `Quantity`; skip while it cannot parse them.
    if "100m".parse::<crate::Quantity>().is_err() {
        return;
    }
    let c: Container = from_value(json!({
        "name": "app",
        "resources": {
            "requests": {"cpu": "100m", "memory": "64Mi"},
            "limits": {"cpu": "1", "memory": "128Mi"},
            "claims": [{"name": "gpu", "request": "big"}]
        },
        "env": [{"name": "MEM", "valueFrom": {"resourceFieldRef": {"resource": "limits.memory", "divisor": "1Mi"}}}]
    }))
    .unwrap();
    assert_eq!(c.resources.requests["cpu"].milli_value(), 100);
    assert_eq!(c.resources.claims[0].request, "big");
    let v = serde_json::to_value(&c).unwrap();
    assert_eq!(v["resources"]["limits"]["memory"], "128Mi");
    assert_eq!(
        v["env"][0]["valueFrom"]["resourceFieldRef"]["divisor"],
        "1Mi"
    );
}

#[test]
fn bad_input_is_an_error_with_a_path() {
    let mut v = source();
    v["spec"]["containers"][0]["ports"][0]["containerPort"] = json!("http");
    let err = from_value::<Pod>(v).unwrap_err().to_string();
    assert!(
        err.starts_with("spec.containers[0].ports[0].containerPort"),
        "{err}"
    );

    let mut v = source();
    v["spec"]["hostNetwork"] = json!("yes");
    assert!(from_value::<Pod>(v).is_err());

    let mut v = source();
    v["status"]["startTime"] = json!("yesterday");
    let err = from_value::<Pod>(v).unwrap_err().to_string();
    assert!(err.starts_with("status.startTime"), "{err}");

    // Unknown enum-like values decode; validation reports them later.
    let mut v = source();
    v["spec"]["restartPolicy"] = json!("Sometimes");
    assert_eq!(
        from_value::<Pod>(v).unwrap().spec.restart_policy,
        "Sometimes"
    );
}

/// A scheduler or watch cache holds every pod of a cluster behind an `Arc`; keeping
/// `Pod` plus the two reference counts within 1,536 bytes keeps each in mimalloc's
/// 1,536-byte size class instead of the 1,792-byte one.
#[cfg(target_pointer_width = "64")]
#[test]
fn a_shared_pod_fits_the_1536_byte_class() {
    let size = std::mem::size_of::<Pod>() + 2 * std::mem::size_of::<usize>();
    assert!(size <= 1536, "Arc<Pod> takes {size} bytes");
}
