//! v1: the observed state of a pod: `PodStatus`, `PodCondition`, `ContainerStatus`
//! and container states.

use serde::{Deserialize, Serialize};

use super::ResourceRequirements;
use crate::resource_list::ResourceList;
use crate::serde_util::{is_false, is_zero_i32, is_zero_i64};
use crate::time::Time;

/// Observed state of a pod, written by the kubelet and the scheduler.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PodStatus {
    /// The `metadata.generation` this status was computed from.
    #[serde(default, skip_serializing_if = "is_zero_i64")]
    pub observed_generation: i64,
    /// `Pending`, `Running`, `Succeeded`, `Failed` or `Unknown`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub phase: String,
    /// Conditions (`PodScheduled`, `Initialized`, `ContainersReady`, `Ready`, ...).
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::serde_util::exact_vec"
    )]
    pub conditions: Vec<PodCondition>,
    /// Human-readable detail about the pod's state.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub message: String,
    /// Short machine-readable reason, e.g. `Evicted`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reason: String,
    /// Node the pod is expected to land on after preempting others there.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub nominated_node_name: String,
    /// Primary IP of the node the pod runs on.
    #[serde(default, rename = "hostIP", skip_serializing_if = "String::is_empty")]
    pub host_ip: String,
    /// All IPs of the node (the first equals `hostIP`).
    #[serde(
        default,
        rename = "hostIPs",
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::serde_util::exact_vec"
    )]
    pub host_ips: Vec<HostIP>,
    /// Primary IP of the pod.
    #[serde(default, rename = "podIP", skip_serializing_if = "String::is_empty")]
    pub pod_ip: String,
    /// All IPs of the pod, at most one per family (the first equals `podIP`).
    #[serde(
        default,
        rename = "podIPs",
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::serde_util::exact_vec"
    )]
    pub pod_ips: Vec<PodIP>,
    /// When the kubelet accepted the pod.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_time: Option<Time>,
    /// Status of each init container.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::serde_util::exact_vec"
    )]
    pub init_container_statuses: Vec<ContainerStatus>,
    /// Status of each regular container.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::serde_util::exact_vec"
    )]
    pub container_statuses: Vec<ContainerStatus>,
    /// `Guaranteed`, `Burstable` or `BestEffort`, derived from the resources.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub qos_class: String,
    /// Status of each ephemeral container.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::serde_util::exact_vec"
    )]
    pub ephemeral_container_statuses: Vec<ContainerStatus>,
    /// Deprecated state of an in-place resize: `InProgress`, `Deferred`, `Infeasible`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub resize: String,
    /// Names of the resource claims generated for the pod's claim templates.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::serde_util::exact_vec"
    )]
    pub resource_claim_statuses: Vec<PodResourceClaimStatus>,
}

/// One condition of a pod.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PodCondition {
    /// Condition type, e.g. `Ready`.
    #[serde(default, rename = "type")]
    pub type_: String,
    /// The `metadata.generation` the condition was computed from.
    #[serde(default, skip_serializing_if = "is_zero_i64")]
    pub observed_generation: i64,
    /// `True`, `False` or `Unknown`.
    #[serde(default)]
    pub status: String,
    /// When the condition was last checked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_probe_time: Option<Time>,
    /// When the status last changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_transition_time: Option<Time>,
    /// Machine-readable reason for the last change.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reason: String,
    /// Human-readable detail.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub message: String,
}

/// One IP address of a pod.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PodIP {
    /// The address.
    #[serde(default)]
    pub ip: String,
}

/// One IP address of a pod's node.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HostIP {
    /// The address.
    #[serde(default)]
    pub ip: String,
}

/// The resource claim generated for one of the pod's `spec.resourceClaims`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PodResourceClaimStatus {
    /// Name of the entry in `spec.resourceClaims`.
    #[serde(default)]
    pub name: String,
    /// Name of the generated claim; unset if none was needed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_claim_name: Option<String>,
}

/// Observed state of one container.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ContainerStatus {
    /// Container name.
    #[serde(default)]
    pub name: String,
    /// Current state. Always written, as Kubernetes does.
    #[serde(default)]
    pub state: ContainerState,
    /// State of the previous run, kept for debugging restarts. Always written.
    #[serde(default, rename = "lastState")]
    pub last_state: ContainerState,
    /// Whether the container passes its readiness check.
    #[serde(default)]
    pub ready: bool,
    /// Number of restarts.
    #[serde(default)]
    pub restart_count: i32,
    /// Image the container runs (as resolved by the runtime).
    #[serde(default)]
    pub image: String,
    /// Image id (digest) the container runs.
    #[serde(default, rename = "imageID")]
    pub image_id: String,
    /// Runtime container id, `<runtime>://<id>`.
    #[serde(
        default,
        rename = "containerID",
        skip_serializing_if = "String::is_empty"
    )]
    pub container_id: String,
    /// Whether the container passed its startup probe and post-start hook.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub started: Option<bool>,
    /// Resources the node allocated to the container.
    #[serde(default, skip_serializing_if = "ResourceList::is_empty")]
    pub allocated_resources: ResourceList,
    /// Requests and limits actually applied to the running container.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resources: Option<ResourceRequirements>,
    /// Status of the container's volume mounts.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::serde_util::exact_vec"
    )]
    pub volume_mounts: Vec<VolumeMountStatus>,
    /// Identity the first process of the container started with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<ContainerUser>,
    /// Health of the devices allocated to the container.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::serde_util::exact_vec"
    )]
    pub allocated_resources_status: Vec<ResourceStatus>,
}

/// A container's state; at most one field is set (none means waiting).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ContainerState {
    /// Not running yet.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub waiting: Option<ContainerStateWaiting>,
    /// Running.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub running: Option<ContainerStateRunning>,
    /// Exited.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub terminated: Option<ContainerStateTerminated>,
}

/// Detail of a waiting container.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ContainerStateWaiting {
    /// Short reason, e.g. `ContainerCreating`, `CrashLoopBackOff`, `ImagePullBackOff`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reason: String,
    /// Human-readable detail.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub message: String,
}

/// Detail of a running container.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ContainerStateRunning {
    /// When the container last (re)started.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub started_at: Option<Time>,
}

/// Detail of an exited container.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ContainerStateTerminated {
    /// Exit status.
    #[serde(default)]
    pub exit_code: i32,
    /// Signal that ended the process, if any.
    #[serde(default, skip_serializing_if = "is_zero_i32")]
    pub signal: i32,
    /// Short reason, e.g. `Completed`, `Error`, `OOMKilled`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reason: String,
    /// Human-readable detail (the termination message).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub message: String,
    /// When that run started.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub started_at: Option<Time>,
    /// When it ended.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finished_at: Option<Time>,
    /// Runtime container id of that run.
    #[serde(
        default,
        rename = "containerID",
        skip_serializing_if = "String::is_empty"
    )]
    pub container_id: String,
}

/// Observed state of one volume mount of a container.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VolumeMountStatus {
    /// Name of the mount's volume.
    #[serde(default)]
    pub name: String,
    /// Path of the mount.
    #[serde(default)]
    pub mount_path: String,
    /// Whether it is mounted read-only.
    #[serde(default, skip_serializing_if = "is_false")]
    pub read_only: bool,
    /// `Disabled` or `Enabled`: the recursive read-only mode actually applied.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recursive_read_only: Option<String>,
}

/// Identity a container's first process started with.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ContainerUser {
    /// Linux user and groups.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub linux: Option<LinuxContainerUser>,
}

/// Linux user and groups of a container's first process.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LinuxContainerUser {
    /// User id.
    #[serde(default)]
    pub uid: i64,
    /// Primary group id.
    #[serde(default)]
    pub gid: i64,
    /// Supplemental group ids.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::serde_util::exact_vec"
    )]
    pub supplemental_groups: Vec<i64>,
}

/// Health of the devices behind one allocated resource.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ResourceStatus {
    /// Resource name (or `claim:<claim>/<request>` for dynamically allocated devices).
    #[serde(default)]
    pub name: String,
    /// Health of each device.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::serde_util::exact_vec"
    )]
    pub resources: Vec<ResourceHealth>,
}

/// Health of one device.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ResourceHealth {
    /// Device id, unique on the node.
    #[serde(default, rename = "resourceID")]
    pub resource_id: String,
    /// `Healthy`, `Unhealthy` or `Unknown`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub health: String,
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn container_status_shape() {
        let s: ContainerStatus = serde_json::from_value(serde_json::json!({
            "name": "app",
            "state": {"running": {"startedAt": "2024-05-01T10:00:00Z"}},
            "ready": true,
            "restartCount": 0,
            "image": "nginx:1.27",
            "imageID": "docker.io/library/nginx@sha256:abc",
            "containerID": "containerd://123"
        }))
        .unwrap();
        assert_eq!(s.image_id, "docker.io/library/nginx@sha256:abc");
        let v = serde_json::to_value(&s).unwrap();
        // Required fields and struct values are always written, as by Kubernetes.
        assert_eq!(v["lastState"], serde_json::json!({}));
        assert_eq!(v["restartCount"], 0);
        assert_eq!(v["containerID"], "containerd://123");
        assert_eq!(v["state"]["running"]["startedAt"], "2024-05-01T10:00:00Z");
        assert!(v.get("started").is_none());

        let st: PodStatus = serde_json::from_value(serde_json::json!({
            "phase": "Running", "podIP": "10.0.0.5", "podIPs": [{"ip": "10.0.0.5"}],
            "hostIP": "192.168.1.2", "hostIPs": [{"ip": "192.168.1.2"}], "qosClass": "Burstable"
        }))
        .unwrap();
        assert_eq!(st.pod_ips[0].ip, "10.0.0.5");
        let v = serde_json::to_value(&st).unwrap();
        assert_eq!(v["hostIPs"][0]["ip"], "192.168.1.2");
        assert!(serde_json::from_str::<ContainerStatus>(r#"{"ready":"yes"}"#).is_err());
    }
}
