//! core/v1 Pod and the types it is built from (containers, probes, affinity, ...).
//!
//! PLACEHOLDER: being written; `PodTemplateSpec`, `PodSpec` and `Pod` names are fixed.

use serde::{Deserialize, Serialize};

use crate::meta::ObjectMeta;
use crate::resource::resource;

/// A pod: one or more containers scheduled together on a node.
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
    }
    fields { [spec, "spec"] [status, "status"] }
}

/// Desired state of a pod.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PodSpec {
    /// Node the pod is bound to.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub node_name: String,
}

/// Observed state of a pod.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PodStatus {
    /// `Pending`, `Running`, `Succeeded`, `Failed` or `Unknown`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub phase: String,
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
