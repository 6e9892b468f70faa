//! v1: Pod, its spec and the pod template of workloads.
//!
//! The pieces a pod is built from live in sibling files: containers (`container.rs`),
//! probes and hooks (`probe.rs`), security (`security.rs`), scheduling constraints
//! (`affinity.rs`), volumes (`pod_volume.rs`, `volume_source.rs`) and the observed
//! state (`pod_status.rs`).

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{
    Affinity, Container, EphemeralContainer, LocalObjectReference, PodCondition,
    PodSecurityContext, PodStatus, ResourceRequirements, Toleration, TopologySpreadConstraint,
    Volume,
};
use crate::meta::ObjectMeta;
use crate::resource::resource;
use crate::resource_list::ResourceList;
use crate::serde_util::is_false;

/// A pod: one or more containers scheduled together on a node, sharing network and
/// volumes.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct Pod {
    /// Standard object metadata.
    #[serde(default)]
    pub metadata: ObjectMeta,
    /// Desired state.
    #[serde(default)]
    pub spec: PodSpec,
    /// Observed state.
    #[serde(default)]
    pub status: PodStatus,
}

resource! {
    Pod {
        group: "",
        version: "v1",
        api_version: "v1",
        plural: "pods",
        scope: Namespaced,
        selectable: pod_field_value,
    }
    fields { [spec, "spec"] [status, "status"] }
}

/// The pod fields that field selectors support beyond `metadata.name` and
/// `metadata.namespace`.
fn pod_field_value<'a>(pod: &'a Pod, field: &str) -> Option<Cow<'a, str>> {
    let s = |v: &'a String| Some(Cow::Borrowed(v.as_str()));
    match field {
        "spec.nodeName" => s(&pod.spec.node_name),
        "spec.restartPolicy" => s(&pod.spec.restart_policy),
        "spec.schedulerName" => s(&pod.spec.scheduler_name),
        "spec.serviceAccountName" => s(&pod.spec.service_account_name),
        "spec.hostNetwork" => Some(Cow::Borrowed(if pod.spec.host_network {
            "true"
        } else {
            "false"
        })),
        "status.phase" => s(&pod.status.phase),
        "status.podIP" => s(&pod.status.pod_ip),
        "status.nominatedNodeName" => s(&pod.status.nominated_node_name),
        _ => None,
    }
}

impl Pod {
    /// True once the pod has finished for good: phase `Succeeded` or `Failed`.
    pub fn is_terminal(&self) -> bool {
        matches!(self.status.phase.as_str(), "Succeeded" | "Failed")
    }

    /// True if the pod's `Ready` condition is `True`.
    pub fn is_ready(&self) -> bool {
        self.status
            .condition("Ready")
            .is_some_and(|c| c.status == "True")
    }
}

impl PodStatus {
    /// The condition of the given type (`Ready`, `PodScheduled`, ...), if present.
    pub fn condition(&self, type_: &str) -> Option<&PodCondition> {
        self.conditions.iter().find(|c| c.type_ == type_)
    }
}

/// Desired state of a pod.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PodSpec {
    /// Volumes the containers can mount.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::serde_util::exact_vec"
    )]
    pub volumes: Vec<Volume>,
    /// Containers run to completion, in order, before the regular ones start (except
    /// those with `restartPolicy: Always`, which keep running as sidecars).
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::serde_util::exact_vec"
    )]
    pub init_containers: Vec<Container>,
    /// The pod's containers; at least one. Always written, as Kubernetes does.
    #[serde(default, deserialize_with = "crate::serde_util::exact_vec")]
    pub containers: Vec<Container>,
    /// Debugging containers added to the running pod.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::serde_util::exact_vec"
    )]
    pub ephemeral_containers: Vec<EphemeralContainer>,
    /// `Always` (default), `OnFailure` or `Never`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub restart_policy: String,
    /// Seconds between the termination signal and the kill (default 30).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub termination_grace_period_seconds: Option<i64>,
    /// Seconds after start before the pod is failed and killed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active_deadline_seconds: Option<i64>,
    /// `ClusterFirst` (default), `ClusterFirstWithHostNet`, `Default` or `None`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub dns_policy: String,
    /// Labels a node must have for the pod to be scheduled there.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub node_selector: BTreeMap<String, String>,
    /// Service account the pod runs as.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub service_account_name: String,
    /// Deprecated alias of `serviceAccountName`.
    #[serde(
        default,
        rename = "serviceAccount",
        skip_serializing_if = "String::is_empty"
    )]
    pub deprecated_service_account: String,
    /// Whether to mount the service account's API token.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub automount_service_account_token: Option<bool>,
    /// Node the pod is bound to; set by the scheduler.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub node_name: String,
    /// Use the node's network namespace.
    #[serde(default, skip_serializing_if = "is_false")]
    pub host_network: bool,
    /// Use the node's PID namespace.
    #[serde(default, rename = "hostPID", skip_serializing_if = "is_false")]
    pub host_pid: bool,
    /// Use the node's IPC namespace.
    #[serde(default, rename = "hostIPC", skip_serializing_if = "is_false")]
    pub host_ipc: bool,
    /// Share one PID namespace between the pod's containers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub share_process_namespace: Option<bool>,
    /// Pod-wide security settings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub security_context: Option<Box<PodSecurityContext>>,
    /// Secrets used to pull the images.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::serde_util::exact_vec"
    )]
    pub image_pull_secrets: Vec<LocalObjectReference>,
    /// Host name of the pod; a system-chosen name when empty.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub hostname: String,
    /// Subdomain: the pod's FQDN becomes `<hostname>.<subdomain>.<namespace>.svc.<domain>`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub subdomain: String,
    /// Node and pod affinity rules.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub affinity: Option<Box<Affinity>>,
    /// Scheduler that places the pod; the default scheduler when empty.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub scheduler_name: String,
    /// Taints the pod tolerates.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::serde_util::exact_vec"
    )]
    pub tolerations: Vec<Toleration>,
    /// Extra `/etc/hosts` entries.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::serde_util::exact_vec"
    )]
    pub host_aliases: Vec<HostAlias>,
    /// Priority class of the pod.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub priority_class_name: String,
    /// Priority value, filled in from the priority class at admission.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priority: Option<i32>,
    /// DNS settings merged into those of the DNS policy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dns_config: Option<PodDNSConfig>,
    /// Extra conditions that must be `True` for the pod to be ready.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::serde_util::exact_vec"
    )]
    pub readiness_gates: Vec<PodReadinessGate>,
    /// Runtime class (`node.k8s.io`) to run the pod with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub runtime_class_name: Option<String>,
    /// Whether service environment variables (Docker-link style) are injected
    /// (default true).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enable_service_links: Option<bool>,
    /// `PreemptLowerPriority` (default) or `Never`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preemption_policy: Option<String>,
    /// Resources used by the pod's sandbox, set from the runtime class at admission.
    #[serde(default, skip_serializing_if = "ResourceList::is_empty")]
    pub overhead: ResourceList,
    /// How the pod's replicas are spread over topology domains.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::serde_util::exact_vec"
    )]
    pub topology_spread_constraints: Vec<TopologySpreadConstraint>,
    /// Use the FQDN as the kernel host name.
    #[serde(
        default,
        rename = "setHostnameAsFQDN",
        skip_serializing_if = "Option::is_none"
    )]
    pub set_hostname_as_fqdn: Option<bool>,
    /// Operating system the containers need.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub os: Option<PodOS>,
    /// Use the node's user namespace (default true); false isolates users.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host_users: Option<bool>,
    /// Gates that keep the pod from being scheduled while present.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::serde_util::exact_vec"
    )]
    pub scheduling_gates: Vec<PodSchedulingGate>,
    /// Dynamic resource claims the pod needs.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::serde_util::exact_vec"
    )]
    pub resource_claims: Vec<PodResourceClaim>,
    /// Pod-level requests and limits (`cpu`, `memory`, `hugepages-*`) shared by all
    /// containers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resources: Option<ResourceRequirements>,
}

impl PodSpec {
    /// The init containers, then the regular containers (not ephemeral ones).
    pub fn all_containers(&self) -> impl Iterator<Item = &Container> {
        self.init_containers.iter().chain(&self.containers)
    }
}

/// A pod template inside a workload (`spec.template`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PodTemplateSpec {
    /// Metadata given to pods created from the template.
    #[serde(default)]
    pub metadata: ObjectMeta,
    /// Spec given to pods created from the template.
    #[serde(default)]
    pub spec: PodSpec,
}

/// An `/etc/hosts` entry.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HostAlias {
    /// IP address.
    #[serde(default)]
    pub ip: String,
    /// Names for that address.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::serde_util::exact_vec"
    )]
    pub hostnames: Vec<String>,
}

/// DNS resolver settings of a pod.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PodDNSConfig {
    /// Name server addresses.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::serde_util::exact_vec"
    )]
    pub nameservers: Vec<String>,
    /// Search domains.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::serde_util::exact_vec"
    )]
    pub searches: Vec<String>,
    /// Resolver options (`ndots`, `edns0`, ...).
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::serde_util::exact_vec"
    )]
    pub options: Vec<PodDNSConfigOption>,
}

/// One resolver option.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PodDNSConfigOption {
    /// Option name.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// Option value, for options that take one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

/// A pod condition type that must be `True` for the pod to be ready.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PodReadinessGate {
    /// The condition type.
    #[serde(default)]
    pub condition_type: String,
}

/// Operating system of a pod.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PodOS {
    /// `linux` or `windows`.
    #[serde(default)]
    pub name: String,
}

/// A gate that blocks scheduling of the pod until removed.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PodSchedulingGate {
    /// Gate name, unique within the pod.
    #[serde(default)]
    pub name: String,
}

/// A dynamic resource claim of the pod: an existing claim or one made from a template.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PodResourceClaim {
    /// Name the containers use to refer to the claim.
    #[serde(default)]
    pub name: String,
    /// An existing resource claim in the pod's namespace.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_claim_name: Option<String>,
    /// A resource claim template to create a claim for this pod from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_claim_template_name: Option<String>,
}

#[cfg(test)]
#[path = "pod_tests.rs"]
mod tests;
