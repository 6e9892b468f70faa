//! v1: containers of a pod: `Container`, `EphemeralContainer` and the parts they are
//! built from (ports, environment, resources, mounts).
//!
//! Probes and lifecycle hooks are in `probe.rs`, security settings in `security.rs`.

use serde::{Deserialize, Serialize};

use super::{Lifecycle, Probe, SecurityContext};
use crate::quantity::Quantity;
use crate::resource_list::ResourceList;
use crate::serde_util::{is_false, is_zero_i32};

/// One container of a pod (`spec.containers[]`, `spec.initContainers[]`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Container {
    /// Name, a DNS label unique among all containers of the pod.
    #[serde(default)]
    pub name: String,
    /// Image reference; may be left empty for a higher-level tool to fill in.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub image: String,
    /// Entrypoint, replacing the image's `ENTRYPOINT`; `$(VAR)` references are expanded.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::serde_util::exact_vec"
    )]
    pub command: Vec<String>,
    /// Arguments, replacing the image's `CMD`; `$(VAR)` references are expanded.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::serde_util::exact_vec"
    )]
    pub args: Vec<String>,
    /// Working directory; the runtime's (or image's) default when empty.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub working_dir: String,
    /// Ports the container listens on (informational, plus host port mappings).
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::serde_util::exact_vec"
    )]
    pub ports: Vec<ContainerPort>,
    /// Whole config maps or secrets imported as environment variables.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::serde_util::exact_vec"
    )]
    pub env_from: Vec<EnvFromSource>,
    /// Individual environment variables; these win over `envFrom`.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::serde_util::exact_vec"
    )]
    pub env: Vec<EnvVar>,
    /// Compute resources requested and limited. Always written, as Kubernetes does.
    #[serde(default)]
    pub resources: ResourceRequirements,
    /// Whether resizing each resource in place needs a restart.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::serde_util::exact_vec"
    )]
    pub resize_policy: Vec<ContainerResizePolicy>,
    /// Per-container restart policy; only `Always` is allowed, on init containers,
    /// making them sidecars that keep running beside the regular containers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub restart_policy: Option<String>,
    /// Pod volumes mounted into the container's filesystem.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::serde_util::exact_vec"
    )]
    pub volume_mounts: Vec<VolumeMount>,
    /// Raw block devices (from block-mode claims) mapped into the container.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::serde_util::exact_vec"
    )]
    pub volume_devices: Vec<VolumeDevice>,
    /// Check that restarts the container when it fails.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub liveness_probe: Option<Box<Probe>>,
    /// Check that removes the pod from service endpoints while it fails.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub readiness_probe: Option<Box<Probe>>,
    /// Check that must succeed once before the other probes start.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub startup_probe: Option<Box<Probe>>,
    /// Hooks run after start and before stop.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lifecycle: Option<Box<Lifecycle>>,
    /// File the container may write a termination message to
    /// (default `/dev/termination-log`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub termination_message_path: String,
    /// `File` (default) or `FallbackToLogsOnError`: where the termination message comes from.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub termination_message_policy: String,
    /// `Always`, `Never` or `IfNotPresent`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub image_pull_policy: String,
    /// Security settings, overriding the pod's for this container.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub security_context: Option<Box<SecurityContext>>,
    /// Keep a stdin buffer open for the container.
    #[serde(default, skip_serializing_if = "is_false")]
    pub stdin: bool,
    /// Close stdin after the first attached client disconnects.
    #[serde(default, skip_serializing_if = "is_false")]
    pub stdin_once: bool,
    /// Allocate a terminal (requires `stdin`).
    #[serde(default, skip_serializing_if = "is_false")]
    pub tty: bool,
}

/// A debugging container added to a running pod (`spec.ephemeralContainers[]`).
///
/// It has every field of [`Container`] (many of which validation forbids here, such as
/// ports, probes and resources) plus `targetContainerName`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EphemeralContainer {
    /// Name, unique among all containers of the pod.
    #[serde(default)]
    pub name: String,
    /// Image reference.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub image: String,
    /// Entrypoint, replacing the image's `ENTRYPOINT`.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::serde_util::exact_vec"
    )]
    pub command: Vec<String>,
    /// Arguments, replacing the image's `CMD`.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::serde_util::exact_vec"
    )]
    pub args: Vec<String>,
    /// Working directory.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub working_dir: String,
    /// Not allowed for ephemeral containers.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::serde_util::exact_vec"
    )]
    pub ports: Vec<ContainerPort>,
    /// Whole config maps or secrets imported as environment variables.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::serde_util::exact_vec"
    )]
    pub env_from: Vec<EnvFromSource>,
    /// Individual environment variables.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::serde_util::exact_vec"
    )]
    pub env: Vec<EnvVar>,
    /// Not allowed for ephemeral containers (they use the pod's spare resources).
    #[serde(default)]
    pub resources: ResourceRequirements,
    /// Not allowed for ephemeral containers.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::serde_util::exact_vec"
    )]
    pub resize_policy: Vec<ContainerResizePolicy>,
    /// Not allowed for ephemeral containers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub restart_policy: Option<String>,
    /// Pod volumes mounted into the container (no sub-paths).
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::serde_util::exact_vec"
    )]
    pub volume_mounts: Vec<VolumeMount>,
    /// Raw block devices mapped into the container.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::serde_util::exact_vec"
    )]
    pub volume_devices: Vec<VolumeDevice>,
    /// Not allowed for ephemeral containers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub liveness_probe: Option<Box<Probe>>,
    /// Not allowed for ephemeral containers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub readiness_probe: Option<Box<Probe>>,
    /// Not allowed for ephemeral containers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub startup_probe: Option<Box<Probe>>,
    /// Not allowed for ephemeral containers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lifecycle: Option<Box<Lifecycle>>,
    /// File the container may write a termination message to.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub termination_message_path: String,
    /// `File` or `FallbackToLogsOnError`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub termination_message_policy: String,
    /// `Always`, `Never` or `IfNotPresent`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub image_pull_policy: String,
    /// Security settings, overriding the pod's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub security_context: Option<Box<SecurityContext>>,
    /// Keep a stdin buffer open for the container.
    #[serde(default, skip_serializing_if = "is_false")]
    pub stdin: bool,
    /// Close stdin after the first attached client disconnects.
    #[serde(default, skip_serializing_if = "is_false")]
    pub stdin_once: bool,
    /// Allocate a terminal.
    #[serde(default, skip_serializing_if = "is_false")]
    pub tty: bool,
    /// Container whose namespaces (PID, IPC, ...) this one joins; the pod's when empty.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub target_container_name: String,
}

/// A network port of a container.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ContainerPort {
    /// Optional IANA service name, unique in the pod; services may target it by name.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// Port to expose on the node (rarely needed).
    #[serde(default, skip_serializing_if = "is_zero_i32")]
    pub host_port: i32,
    /// Port on the pod's IP address.
    #[serde(default)]
    pub container_port: i32,
    /// `TCP` (default), `UDP` or `SCTP`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub protocol: String,
    /// Node address the host port binds to.
    #[serde(default, rename = "hostIP", skip_serializing_if = "String::is_empty")]
    pub host_ip: String,
}

/// One environment variable: a literal `value` or a `valueFrom` source.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EnvVar {
    /// Variable name.
    #[serde(default)]
    pub name: String,
    /// Literal value; `$(VAR)` references to earlier variables are expanded.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub value: String,
    /// Where to read the value from instead.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value_from: Option<EnvVarSource>,
}

/// Source of an environment variable's value; exactly one field is set.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EnvVarSource {
    /// A field of the pod (`metadata.name`, `status.podIP`, `metadata.labels['app']`, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field_ref: Option<ObjectFieldSelector>,
    /// A resource request or limit of a container (`limits.cpu`, `requests.memory`, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_field_ref: Option<ResourceFieldSelector>,
    /// A key of a config map.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config_map_key_ref: Option<ConfigMapKeySelector>,
    /// A key of a secret.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret_key_ref: Option<SecretKeySelector>,
}

/// Selects a field of the pod by path.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ObjectFieldSelector {
    /// Schema version the path is written against (default `v1`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub api_version: String,
    /// Path of the field, e.g. `metadata.namespace`.
    #[serde(default)]
    pub field_path: String,
}

/// Selects a resource request or limit of a container, scaled by a divisor.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ResourceFieldSelector {
    /// Container to read from (required in volumes, defaults to the current one in env).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub container_name: String,
    /// `limits.cpu`, `requests.memory`, `limits.ephemeral-storage`, ...
    #[serde(default)]
    pub resource: String,
    /// Unit the value is expressed in (e.g. `1m`, `1Mi`); zero means 1.
    /// Always written (`"0"` when unset), as Kubernetes does.
    #[serde(default)]
    pub divisor: Quantity,
}

/// Selects one key of a config map.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConfigMapKeySelector {
    /// Name of the config map.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// Key within the config map.
    #[serde(default)]
    pub key: String,
    /// Whether a missing config map or key is allowed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub optional: Option<bool>,
}

/// Selects one key of a secret.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SecretKeySelector {
    /// Name of the secret.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// Key within the secret.
    #[serde(default)]
    pub key: String,
    /// Whether a missing secret or key is allowed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub optional: Option<bool>,
}

/// Imports every key of a config map or secret as environment variables.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EnvFromSource {
    /// Prefix added to every imported name.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub prefix: String,
    /// The config map to import.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config_map_ref: Option<ConfigMapEnvSource>,
    /// The secret to import.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret_ref: Option<SecretEnvSource>,
}

/// A config map imported whole into the environment.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConfigMapEnvSource {
    /// Name of the config map.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// Whether a missing config map is allowed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub optional: Option<bool>,
}

/// A secret imported whole into the environment.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SecretEnvSource {
    /// Name of the secret.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// Whether a missing secret is allowed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub optional: Option<bool>,
}

/// Compute resources of a container (or of the whole pod): requests, limits and
/// dynamically allocated claims.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ResourceRequirements {
    /// Upper bounds, by resource name (`cpu`, `memory`, `ephemeral-storage`, ...).
    #[serde(default, skip_serializing_if = "ResourceList::is_empty")]
    pub limits: ResourceList,
    /// Amounts reserved for scheduling; default to the limits when only those are given.
    #[serde(default, skip_serializing_if = "ResourceList::is_empty")]
    pub requests: ResourceList,
    /// Entries of `spec.resourceClaims` this container uses.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::serde_util::exact_vec"
    )]
    pub claims: Vec<ResourceClaim>,
}

/// A container's use of one of the pod's resource claims.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ResourceClaim {
    /// Name of an entry in the pod's `spec.resourceClaims`.
    #[serde(default)]
    pub name: String,
    /// One request within the claim; the whole claim when empty.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub request: String,
}

/// How resizing one resource of a running container is applied.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ContainerResizePolicy {
    /// `cpu` or `memory`.
    #[serde(default)]
    pub resource_name: String,
    /// `NotRequired` (resize in place) or `RestartContainer`.
    #[serde(default)]
    pub restart_policy: String,
}

/// A pod volume mounted into a container.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VolumeMount {
    /// Name of the pod volume.
    #[serde(default)]
    pub name: String,
    /// Mount read-only.
    #[serde(default, skip_serializing_if = "is_false")]
    pub read_only: bool,
    /// For read-only mounts: `Disabled`, `IfPossible` or `Enabled` recursive read-only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recursive_read_only: Option<String>,
    /// Where in the container the volume appears.
    #[serde(default)]
    pub mount_path: String,
    /// Path inside the volume to mount instead of its root.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub sub_path: String,
    /// `None`, `HostToContainer` or `Bidirectional` mount propagation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mount_propagation: Option<String>,
    /// Like `subPath`, with `$(VAR)` references to the container's environment expanded.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub sub_path_expr: String,
}

/// A raw block device mapped into a container.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VolumeDevice {
    /// Name of a claim-backed pod volume.
    #[serde(default)]
    pub name: String,
    /// Device path inside the container.
    #[serde(default)]
    pub device_path: String,
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn container_shape() {
        let c: Container = serde_json::from_value(serde_json::json!({
            "name": "app",
            "image": "nginx:1.27",
            "ports": [{"containerPort": 80, "hostIP": "0.0.0.0", "protocol": "TCP"}],
            "env": [
                {"name": "A", "value": "1"},
                {"name": "NS", "valueFrom": {"fieldRef": {"fieldPath": "metadata.namespace"}}},
                {"name": "PW", "valueFrom": {"secretKeyRef": {"name": "db", "key": "pw", "optional": true}}}
            ],
            "envFrom": [{"prefix": "CFG_", "configMapRef": {"name": "cfg"}}],
            "volumeMounts": [{"name": "data", "mountPath": "/data", "readOnly": true}],
            "restartPolicy": "Always",
            "tty": true
        }))
        .unwrap();
        assert_eq!(c.ports[0].host_ip, "0.0.0.0");
        assert_eq!(c.restart_policy.as_deref(), Some("Always"));
        let pw = c.env[2].value_from.as_ref().unwrap();
        assert_eq!(pw.secret_key_ref.as_ref().unwrap().optional, Some(true));
        let v = serde_json::to_value(&c).unwrap();
        // Go writes the `resources` struct even when empty.
        assert_eq!(v["resources"], serde_json::json!({}));
        assert_eq!(v["ports"][0]["hostIP"], "0.0.0.0");
        assert!(v.get("stdin").is_none());
        assert_eq!(v["tty"], true);
        assert!(v["volumeMounts"][0].get("subPath").is_none());

        let e: EphemeralContainer = serde_json::from_value(
            serde_json::json!({"name": "debug", "image": "busybox", "targetContainerName": "app"}),
        )
        .unwrap();
        assert_eq!(e.target_container_name, "app");
        assert!(serde_json::from_str::<ContainerPort>(r#"{"containerPort":"80"}"#).is_err());
    }
}
