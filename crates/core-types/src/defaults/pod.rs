//! Pods, pod templates and the pod spec they share: containers, ports, environment,
//! probes and lifecycle hooks. Volumes are in `volume.rs`.

use super::image::default_pull_policy;
use super::volume::pod_volume;
use super::{ApplyDefaults, default_opt, default_opt_str, default_str, round_resource_list};
use crate::core_v1::{
    Container, ContainerStatus, EnvVar, HTTPGetAction, Lifecycle, Pod, PodSpec, PodTemplateSpec,
    Probe, ResourceRequirements,
};

/// Default termination grace period, in seconds.
const TERMINATION_GRACE_PERIOD_SECONDS: i64 = 30;

/// The defaults of a container, shared by [`Container`] and
/// [`EphemeralContainer`](crate::core_v1::EphemeralContainer), which have the same fields.
macro_rules! container_fields {
    ($c:expr) => {{
        let c = $c;
        if c.image_pull_policy.is_empty() {
            c.image_pull_policy = default_pull_policy(&c.image).to_owned();
        }
        default_str(&mut c.termination_message_path, "/dev/termination-log");
        default_str(&mut c.termination_message_policy, "File");
        for p in &mut c.ports {
            default_str(&mut p.protocol, "TCP");
        }
        env(&mut c.env);
        resources(&mut c.resources);
        for p in [
            &mut c.liveness_probe,
            &mut c.readiness_probe,
            &mut c.startup_probe,
        ]
        .into_iter()
        .flatten()
        {
            probe(p);
        }
        if let Some(l) = &mut c.lifecycle {
            lifecycle(l);
        }
    }};
}

/// Pod defaults: those of every pod spec (listed on the `PodTemplateSpec` implementation)
/// plus these, which only pods get, not pod templates:
/// - `spec.containers[*]`, `spec.initContainers[*]`: `resources.requests` gets every
///   entry of `resources.limits` it lacks (requests default to limits).
/// - `spec.enableServiceLinks`: `true`.
/// - with `spec.hostNetwork`, every container and init container port's `hostPort`
///   defaults to its `containerPort`.
/// - `status.*ContainerStatuses[*]`: `allocatedResources` and `resources` amounts rounded
///   up to milli-units.
impl ApplyDefaults for Pod {
    fn apply_defaults(&mut self) {
        let spec = &mut self.spec;
        for c in spec.containers.iter_mut().chain(&mut spec.init_containers) {
            let r = &mut c.resources;
            for (name, limit) in &r.limits {
                if !r.requests.contains_key(name) {
                    r.requests.insert(name, *limit);
                }
            }
        }
        default_opt(&mut spec.enable_service_links, true);
        if spec.host_network {
            for c in spec.containers.iter_mut().chain(&mut spec.init_containers) {
                for p in &mut c.ports {
                    if p.host_port == 0 {
                        p.host_port = p.container_port;
                    }
                }
            }
        }
        pod_spec(spec);
        let status = &mut self.status;
        for cs in status
            .init_container_statuses
            .iter_mut()
            .chain(&mut status.container_statuses)
            .chain(&mut status.ephemeral_container_statuses)
        {
            container_status(cs);
        }
    }
}

/// Pod template defaults: those of every pod spec, listed below; the pod-only ones of
/// `Pod` are not applied, as in Kubernetes.
///
/// Pod spec defaults, for pods and for the pod template of every workload kind:
/// - `dnsPolicy`: `ClusterFirst`; `restartPolicy`: `Always`; `securityContext`: `{}`;
///   `terminationGracePeriodSeconds`: 30; `schedulerName`: `default-scheduler`.
/// - `serviceAccountName` / `serviceAccount` (deprecated alias): an empty one takes the
///   other's value.
/// - `volumes[*]`: no source becomes `emptyDir: {}`; secret, config map, downward API and
///   projected volumes get `defaultMode: 420` (0644); `hostPath.type`: `""`; and more
///   (see the volume defaults).
/// - containers, init and ephemeral containers: `imagePullPolicy` `Always` for a `latest`
///   or missing tag, else `IfNotPresent`; `terminationMessagePath`: `/dev/termination-log`;
///   `terminationMessagePolicy`: `File`; `ports[*].protocol`: `TCP`;
///   `env[*].valueFrom.fieldRef.apiVersion`: `v1`.
/// - probes: `timeoutSeconds` 1, `periodSeconds` 10, `successThreshold` 1,
///   `failureThreshold` 3, `httpGet.path` `/`, `httpGet.scheme` `HTTP`, `grpc.service` `""`;
///   lifecycle hooks' `httpGet`: the same path and scheme.
/// - resource amounts (containers, `overhead`, `resources`) rounded up to milli-units.
impl ApplyDefaults for PodTemplateSpec {
    fn apply_defaults(&mut self) {
        pod_spec(&mut self.spec);
    }
}

/// Defaults of a pod spec, in a pod or in any workload's pod template:
/// - `dnsPolicy`: `ClusterFirst`.
/// - `restartPolicy`: `Always`.
/// - `securityContext`: `{}`.
/// - `terminationGracePeriodSeconds`: 30.
/// - `schedulerName`: `default-scheduler`.
/// - `serviceAccountName` and its deprecated alias `serviceAccount`: each empty one takes
///   the other's value (Kubernetes' v1 conversion; when both are set they are kept).
/// - `volumes[*]`: see `volume.rs` (no source becomes `emptyDir: {}`, file modes 0644, ...).
/// - every container, init container and ephemeral container: see `container`.
/// - `overhead` and `resources`: amounts rounded up to milli-units.
pub(super) fn pod_spec(spec: &mut PodSpec) {
    default_str(&mut spec.dns_policy, "ClusterFirst");
    default_str(&mut spec.restart_policy, "Always");
    default_opt(&mut spec.security_context, Box::default());
    default_opt(
        &mut spec.termination_grace_period_seconds,
        TERMINATION_GRACE_PERIOD_SECONDS,
    );
    default_str(&mut spec.scheduler_name, "default-scheduler");
    if spec.service_account_name.is_empty() {
        spec.service_account_name = spec.deprecated_service_account.clone();
    }
    if spec.deprecated_service_account.is_empty() {
        spec.deprecated_service_account = spec.service_account_name.clone();
    }
    for v in &mut spec.volumes {
        pod_volume(v);
    }
    for c in spec.init_containers.iter_mut().chain(&mut spec.containers) {
        container(c);
    }
    for c in &mut spec.ephemeral_containers {
        container_fields!(c);
    }
    round_resource_list(&mut spec.overhead);
    if let Some(r) = &mut spec.resources {
        resources(r);
    }
}

/// Defaults of a container (ephemeral containers get the same):
/// - `imagePullPolicy`: `Always` if the image's tag is `latest` or it has neither tag
///   nor digest, else `IfNotPresent` (also for references that do not parse).
/// - `terminationMessagePath`: `/dev/termination-log`.
/// - `terminationMessagePolicy`: `File`.
/// - `ports[*].protocol`: `TCP`.
/// - `env[*].valueFrom.fieldRef.apiVersion`: `v1`.
/// - `resources`: amounts rounded up to milli-units.
/// - probes: see `probe`; lifecycle hooks: see `lifecycle`.
fn container(c: &mut Container) {
    container_fields!(c);
}

/// `valueFrom.fieldRef.apiVersion` of each variable: `v1`.
fn env(vars: &mut [EnvVar]) {
    for v in vars {
        if let Some(f) = v.value_from.as_mut().and_then(|s| s.field_ref.as_mut()) {
            default_str(&mut f.api_version, "v1");
        }
    }
}

/// Requests and limits: amounts rounded up to milli-units.
fn resources(r: &mut ResourceRequirements) {
    round_resource_list(&mut r.limits);
    round_resource_list(&mut r.requests);
}

/// Defaults of a probe:
/// - `timeoutSeconds`: 1; `periodSeconds`: 10; `successThreshold`: 1;
///   `failureThreshold`: 3 (each when 0).
/// - `httpGet`: see `http_get`.
/// - `grpc.service`: `""`.
fn probe(p: &mut Probe) {
    for (field, value) in [
        (&mut p.timeout_seconds, 1),
        (&mut p.period_seconds, 10),
        (&mut p.success_threshold, 1),
        (&mut p.failure_threshold, 3),
    ] {
        if *field == 0 {
            *field = value;
        }
    }
    if let Some(h) = &mut p.http_get {
        http_get(h);
    }
    if let Some(g) = &mut p.grpc {
        default_opt_str(&mut g.service, "");
    }
}

/// `path`: `/`; `scheme`: `HTTP`.
fn http_get(h: &mut HTTPGetAction) {
    default_str(&mut h.path, "/");
    default_str(&mut h.scheme, "HTTP");
}

/// The HTTP GET action of `postStart` and `preStop`: see `http_get`.
fn lifecycle(l: &mut Lifecycle) {
    for hook in [&mut l.post_start, &mut l.pre_stop].into_iter().flatten() {
        if let Some(h) = &mut hook.http_get {
            http_get(h);
        }
    }
}

/// Amounts of a container status rounded up to milli-units.
fn container_status(cs: &mut ContainerStatus) {
    round_resource_list(&mut cs.allocated_resources);
    if let Some(r) = &mut cs.resources {
        resources(r);
    }
}

#[cfg(test)]
#[path = "pod_tests.rs"]
mod tests;
