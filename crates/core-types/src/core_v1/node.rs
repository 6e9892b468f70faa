//! v1: Node, a machine (physical or virtual) that runs pods, and its spec and status types.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use crate::meta::ObjectMeta;
use crate::resource::resource;
use crate::serde_util::{is_false, is_zero_i64};
use crate::{ResourceList, Time};

/// A worker machine of the cluster. Cluster-scoped.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct Node {
    /// Standard object metadata.
    #[serde(default)]
    pub metadata: ObjectMeta,
    /// How the node should be used (CIDRs, taints, schedulability).
    #[serde(default)]
    pub spec: NodeSpec,
    /// What the kubelet last reported about the node.
    ///
    /// Left out of the wire form when entirely empty (a node as written by a user):
    /// Go would write its zero-valued nested structs (`daemonEndpoints`, `nodeInfo`).
    #[serde(default)]
    pub status: NodeStatus,
}

resource! {
    Node {
        group: "",
        version: "v1",
        api_version: "v1",
        plural: "nodes",
        scope: Cluster,
        selectable: node_field,
    }
    fields { [spec, "spec"] [status, "status"] }
}

/// Field selectors supported for nodes beyond the metadata ones: `spec.unschedulable`.
fn node_field<'a>(node: &'a Node, field: &str) -> Option<Cow<'a, str>> {
    match field {
        "spec.unschedulable" => Some(Cow::Borrowed(if node.spec.unschedulable {
            "true"
        } else {
            "false"
        })),
        _ => None,
    }
}

impl Node {
    /// The node condition of the given type (`Ready`, `MemoryPressure`, ...), if reported.
    pub fn condition(&self, type_: &str) -> Option<&NodeCondition> {
        self.status.conditions.iter().find(|c| c.type_ == type_)
    }
}

/// Desired configuration of a node.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NodeSpec {
    /// The pod IP range assigned to the node (first entry of `podCIDRs`).
    #[serde(default, rename = "podCIDR", skip_serializing_if = "String::is_empty")]
    pub pod_cidr: String,
    /// The pod IP ranges assigned to the node, at most one per IP family.
    #[serde(
        default,
        rename = "podCIDRs",
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::serde_util::exact_vec"
    )]
    pub pod_cidrs: Vec<String>,
    /// The cloud provider's id for the machine, `<provider>://<id>`.
    #[serde(
        default,
        rename = "providerID",
        skip_serializing_if = "String::is_empty"
    )]
    pub provider_id: String,
    /// When true, no new pods are scheduled to the node (cordoned).
    #[serde(default, skip_serializing_if = "is_false")]
    pub unschedulable: bool,
    /// Taints that repel pods which do not tolerate them.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::serde_util::exact_vec"
    )]
    pub taints: Vec<Taint>,
    /// Deprecated dynamic kubelet configuration source; kept for round trips.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config_source: Option<NodeConfigSource>,
    /// Deprecated external id of the node; kept for round trips.
    #[serde(
        default,
        rename = "externalID",
        skip_serializing_if = "String::is_empty"
    )]
    pub external_id: String,
}

/// A mark on a node that keeps away pods which do not tolerate it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Taint {
    /// The taint key (required).
    #[serde(default)]
    pub key: String,
    /// The taint value matched by `Equal` tolerations.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub value: String,
    /// What happens to pods that do not tolerate the taint: `NoSchedule`,
    /// `PreferNoSchedule` or `NoExecute` (required).
    #[serde(default)]
    pub effect: String,
    /// When the taint was added; only set for `NoExecute` taints.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_added: Option<Time>,
}

/// Deprecated source of a node's kubelet configuration.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NodeConfigSource {
    /// A config map holding the configuration.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config_map: Option<ConfigMapNodeConfigSource>,
}

/// A config map used as a node's kubelet configuration (deprecated feature).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConfigMapNodeConfigSource {
    /// Namespace of the config map (required).
    #[serde(default)]
    pub namespace: String,
    /// Name of the config map (required).
    #[serde(default)]
    pub name: String,
    /// Uid of the config map.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub uid: String,
    /// Resource version of the config map.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub resource_version: String,
    /// Key of the config map holding the kubelet configuration (required).
    #[serde(default)]
    pub kubelet_config_key: String,
}

/// Observed state of a node, reported by its kubelet.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NodeStatus {
    /// Total resources of the node (`cpu`, `memory`, `pods`, ...).
    #[serde(default, skip_serializing_if = "ResourceList::is_empty")]
    pub capacity: ResourceList,
    /// Resources available to pods (capacity minus reservations).
    #[serde(default, skip_serializing_if = "ResourceList::is_empty")]
    pub allocatable: ResourceList,
    /// Deprecated lifecycle phase: `Pending`, `Running` or `Terminated`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub phase: String,
    /// Current conditions (`Ready`, `MemoryPressure`, `DiskPressure`, ...).
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::serde_util::exact_vec"
    )]
    pub conditions: Vec<NodeCondition>,
    /// Addresses the node is reachable at.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::serde_util::exact_vec"
    )]
    pub addresses: Vec<NodeAddress>,
    /// Ports of the daemons running on the node.
    #[serde(default)]
    pub daemon_endpoints: NodeDaemonEndpoints,
    /// Identity and versions of the machine and its software.
    #[serde(default)]
    pub node_info: NodeSystemInfo,
    /// Container images present on the node.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::serde_util::exact_vec"
    )]
    pub images: Vec<ContainerImage>,
    /// Unique names of the volumes in use (mounted) on the node.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::serde_util::exact_vec"
    )]
    pub volumes_in_use: Vec<String>,
    /// Volumes attached to the node.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::serde_util::exact_vec"
    )]
    pub volumes_attached: Vec<AttachedVolume>,
    /// Status of the deprecated dynamic kubelet configuration.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config: Option<NodeConfigStatus>,
    /// Runtime handlers (runtime classes) the container runtime offers.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::serde_util::exact_vec"
    )]
    pub runtime_handlers: Vec<NodeRuntimeHandler>,
    /// Optional features the node implements.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub features: Option<NodeFeatures>,
}

/// One condition of a node.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NodeCondition {
    /// Condition type, e.g. `Ready`, `MemoryPressure`, `DiskPressure`, `PIDPressure`,
    /// `NetworkUnavailable`.
    #[serde(default, rename = "type")]
    pub type_: String,
    /// `True`, `False` or `Unknown`.
    #[serde(default)]
    pub status: String,
    /// When the kubelet last confirmed the condition.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_heartbeat_time: Option<Time>,
    /// When the status last changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_transition_time: Option<Time>,
    /// Machine-readable reason for the last transition.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reason: String,
    /// Human-readable detail.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub message: String,
}

/// One address of a node.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NodeAddress {
    /// `Hostname`, `InternalIP`, `ExternalIP`, `InternalDNS` or `ExternalDNS`.
    #[serde(default, rename = "type")]
    pub type_: String,
    /// The address itself.
    #[serde(default)]
    pub address: String,
}

/// Ports of the daemons running on a node.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NodeDaemonEndpoints {
    /// Where the kubelet listens.
    #[serde(default)]
    pub kubelet_endpoint: DaemonEndpoint,
}

/// The port a daemon listens on.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DaemonEndpoint {
    /// Port number (the wire name is capitalised: `Port`).
    #[serde(default, rename = "Port")]
    pub port: i32,
}

/// Identity and software versions of a node. Every string is always written.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NodeSystemInfo {
    /// The machine id (`/etc/machine-id`).
    #[serde(default, rename = "machineID")]
    pub machine_id: String,
    /// The system UUID reported by the firmware.
    #[serde(default, rename = "systemUUID")]
    pub system_uuid: String,
    /// Id of the current boot; changes on reboot.
    #[serde(default, rename = "bootID")]
    pub boot_id: String,
    /// Kernel release (`uname -r`).
    #[serde(default)]
    pub kernel_version: String,
    /// Operating system image, e.g. `Ubuntu 24.04 LTS`.
    #[serde(default)]
    pub os_image: String,
    /// Container runtime and version, e.g. `containerd://1.7.0`.
    #[serde(default)]
    pub container_runtime_version: String,
    /// Kubelet version.
    #[serde(default)]
    pub kubelet_version: String,
    /// Deprecated kube-proxy version.
    #[serde(default)]
    pub kube_proxy_version: String,
    /// Operating system, e.g. `linux`.
    #[serde(default)]
    pub operating_system: String,
    /// CPU architecture, e.g. `amd64`.
    #[serde(default)]
    pub architecture: String,
    /// Swap memory of the node.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub swap: Option<NodeSwapStatus>,
}

/// Swap memory of a node.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NodeSwapStatus {
    /// Total swap in bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capacity: Option<i64>,
}

/// A container image present on a node.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ContainerImage {
    /// Names (tags and digests) the image is known by.
    #[serde(default, deserialize_with = "crate::serde_util::exact_vec")]
    pub names: Vec<String>,
    /// Size of the image in bytes.
    #[serde(default, skip_serializing_if = "is_zero_i64")]
    pub size_bytes: i64,
}

/// A volume attached to a node.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AttachedVolume {
    /// Unique name of the volume.
    #[serde(default)]
    pub name: String,
    /// Where the volume's device appears on the node.
    #[serde(default)]
    pub device_path: String,
}

/// Status of the deprecated dynamic kubelet configuration.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NodeConfigStatus {
    /// The configuration the node was asked to use.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assigned: Option<NodeConfigSource>,
    /// The configuration the node is using.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active: Option<NodeConfigSource>,
    /// The configuration the node falls back to on error.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_known_good: Option<NodeConfigSource>,
    /// Error met while applying the configuration.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub error: String,
}

/// A runtime handler offered by a node's container runtime.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NodeRuntimeHandler {
    /// Handler name; empty for the default handler (always written).
    #[serde(default)]
    pub name: String,
    /// Features the handler supports.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub features: Option<NodeRuntimeHandlerFeatures>,
}

/// Features a runtime handler supports.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NodeRuntimeHandlerFeatures {
    /// Whether recursively read-only mounts are supported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recursive_read_only_mounts: Option<bool>,
    /// Whether user namespaces are supported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_namespaces: Option<bool>,
}

/// Optional features a node implements.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NodeFeatures {
    /// Whether the node honours a pod's `supplementalGroupsPolicy`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supplemental_groups_policy: Option<bool>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Resource as _;
    use crate::core_v1::test_support::{assert_wire, decode};

    const NODE: &str = r#"
apiVersion: v1
kind: Node
metadata:
  name: worker-1
  labels:
    kubernetes.io/hostname: worker-1
spec:
  podCIDR: 10.244.1.0/24
  podCIDRs: [10.244.1.0/24, "fd00:10:244:1::/64"]
  providerID: aws:///us-east-1a/i-0abc
  unschedulable: true
  taints:
  - key: node.kubernetes.io/unschedulable
    effect: NoSchedule
    timeAdded: "2024-05-01T10:00:00Z"
  - key: dedicated
    value: gpu
    effect: NoExecute
  configSource:
    configMap: {namespace: kube-system, name: kubelet-cfg, kubeletConfigKey: kubelet}
  externalID: i-0abc
status:
  phase: Running
  conditions:
  - type: Ready
    status: "True"
    lastHeartbeatTime: "2024-05-01T10:05:00Z"
    lastTransitionTime: "2024-05-01T09:00:00Z"
    reason: KubeletReady
    message: kubelet is posting ready status
  - type: MemoryPressure
    status: "False"
  addresses:
  - {type: InternalIP, address: 10.0.0.11}
  - {type: Hostname, address: worker-1}
  daemonEndpoints:
    kubeletEndpoint: {Port: 10250}
  nodeInfo:
    machineID: ec2a
    systemUUID: EC2A-11
    bootID: b00t
    kernelVersion: 6.8.0-1008-aws
    osImage: Ubuntu 24.04 LTS
    containerRuntimeVersion: containerd://1.7.12
    kubeletVersion: v1.32.1
    kubeProxyVersion: v1.32.1
    operatingSystem: linux
    architecture: amd64
    swap: {capacity: 0}
  images:
  - names: ["registry.k8s.io/pause@sha256:7031", "registry.k8s.io/pause:3.10"]
    sizeBytes: 320368
  volumesInUse: [kubernetes.io/csi/ebs.csi.aws.com^vol-1]
  volumesAttached:
  - {name: kubernetes.io/csi/ebs.csi.aws.com^vol-1, devicePath: ""}
  config:
    active: {configMap: {namespace: kube-system, name: kubelet-cfg, kubeletConfigKey: kubelet}}
    error: bad config
  runtimeHandlers:
  - name: ""
    features: {recursiveReadOnlyMounts: true, userNamespaces: false}
  - name: runc
  features: {supplementalGroupsPolicy: true}
"#;

    #[test]
    fn full_node_round_trips() {
        let node: Node = assert_wire::<Node, k8s_openapi::api::core::v1::Node>(NODE);
        assert_eq!(node.spec.pod_cidrs.len(), 2);
        assert_eq!(node.spec.taints[1].value, "gpu");
        assert_eq!(node.status.daemon_endpoints.kubelet_endpoint.port, 10250);
        assert_eq!(
            node.status.node_info.swap,
            Some(NodeSwapStatus { capacity: Some(0) })
        );
        assert_eq!(
            node.condition("Ready").map(|c| c.reason.as_str()),
            Some("KubeletReady")
        );
        assert_eq!(
            node.field_value("spec.unschedulable").as_deref(),
            Some("true")
        );
        assert_eq!(node.field_value("spec.podCIDR"), None);
    }

    #[test]
    fn empty_parts_follow_go() {
        let node: Node =
            decode("apiVersion: v1\nkind: Node\nmetadata: {name: n}\n").expect("fixture decodes");
        assert_eq!(
            node.field_value("spec.unschedulable").as_deref(),
            Some("false")
        );
        let json = serde_json::to_value(&node).expect("encodes");
        // Go always writes the status struct, and in it the zero-valued nested structs.
        assert_eq!(json["spec"], serde_json::json!({}));
        assert_eq!(
            json["status"]["daemonEndpoints"],
            serde_json::json!({"kubeletEndpoint": {"Port": 0}})
        );
        assert_eq!(json["status"]["nodeInfo"]["kubeletVersion"], "");
        // A status with anything in it carries Go's zero-valued nested structs.
        let mut node = node;
        node.status.phase = "Running".into();
        let json = serde_json::to_value(&node).expect("encodes");
        assert_eq!(
            json["status"]["daemonEndpoints"],
            serde_json::json!({"kubeletEndpoint": {"Port": 0}})
        );
        assert_eq!(json["status"]["nodeInfo"]["machineID"], "");
        assert_eq!(
            json["status"]["nodeInfo"].as_object().map(|m| m.len()),
            Some(10)
        );
    }

    #[test]
    fn capacity_uses_resource_names() {
        let mut status = NodeStatus::default();
        status
            .capacity
            .insert("cpu", crate::Quantity::from_milli(4000));
        let json = serde_json::to_value(&status).expect("encodes");
        assert!(json["capacity"]["cpu"].is_string());
        assert!(json.get("allocatable").is_none());
    }

    #[test]
    fn bad_input_is_an_error() {
        let err = decode::<Node>("apiVersion: v1\nkind: Node\nmetadata: {name: n}\nspec: {taints: [{key: k, effect: 3}]}\n")
            .expect_err("invalid input must fail");
        assert!(err.to_string().contains("spec.taints"), "{err}");
        assert!(
            decode::<Node>("apiVersion: v1\nkind: Node\nspec: {unschedulable: maybe}\n").is_err()
        );
    }
}
