//! v1: Namespace, the scope that names of namespaced objects live in.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use crate::Time;
use crate::meta::ObjectMeta;
use crate::resource::resource;

/// A namespace. Cluster-scoped.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct Namespace {
    /// Standard object metadata.
    #[serde(default)]
    pub metadata: ObjectMeta,
    /// Desired behaviour (the finalizers that must run before deletion completes).
    #[serde(default)]
    pub spec: NamespaceSpec,
    /// Observed state: active or terminating.
    #[serde(default)]
    pub status: NamespaceStatus,
}

resource! {
    Namespace {
        group: "",
        version: "v1",
        api_version: "v1",
        plural: "namespaces",
        scope: Cluster,
        selectable: namespace_field,
    }
    fields { [spec, "spec"] [status, "status"] }
}

/// Field selectors supported for namespaces beyond the metadata ones: `status.phase`.
fn namespace_field<'a>(ns: &'a Namespace, field: &str) -> Option<Cow<'a, str>> {
    match field {
        "status.phase" => Some(Cow::Borrowed(&ns.status.phase)),
        _ => None,
    }
}

/// Desired behaviour of a namespace.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NamespaceSpec {
    /// Finalizers (e.g. `kubernetes`) that must be removed before the namespace is
    /// deleted from storage; distinct from `metadata.finalizers`.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::serde_util::exact_vec"
    )]
    pub finalizers: Vec<String>,
}

/// Observed state of a namespace.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NamespaceStatus {
    /// `Active` or `Terminating`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub phase: String,
    /// Current conditions (mostly about a deletion in progress).
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::serde_util::exact_vec"
    )]
    pub conditions: Vec<NamespaceCondition>,
}

/// One condition of a namespace.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NamespaceCondition {
    /// Condition type, e.g. `NamespaceDeletionContentFailure`,
    /// `NamespaceContentRemaining`, `NamespaceFinalizersRemaining`.
    #[serde(default, rename = "type")]
    pub type_: String,
    /// `True`, `False` or `Unknown`.
    #[serde(default)]
    pub status: String,
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Resource as _;
    use crate::core_v1::test_support::{assert_wire, decode};

    #[test]
    fn terminating_namespace_round_trips() {
        let ns: Namespace = assert_wire::<Namespace, k8s_openapi::api::core::v1::Namespace>(
            r#"
apiVersion: v1
kind: Namespace
metadata:
  name: staging
  labels: {kubernetes.io/metadata.name: staging}
spec:
  finalizers: [kubernetes]
status:
  phase: Terminating
  conditions:
  - type: NamespaceContentRemaining
    status: "True"
    lastTransitionTime: "2024-05-01T10:00:00Z"
    reason: SomeResourcesRemain
    message: "Some resources are remaining: pods. has 2 resource instances"
  - type: NamespaceDeletionDiscoveryFailure
    status: "False"
"#,
        );
        assert_eq!(ns.spec.finalizers, ["kubernetes"]);
        assert_eq!(
            ns.field_value("status.phase").as_deref(),
            Some("Terminating")
        );
        assert_eq!(ns.field_value("metadata.name").as_deref(), Some("staging"));
        assert_eq!(ns.field_value("spec.finalizers"), None);
    }

    #[test]
    fn minimal_namespace_writes_empty_spec_and_status() {
        let ns: Namespace = decode("apiVersion: v1\nkind: Namespace\nmetadata: {name: dev}\n")
            .expect("fixture decodes");
        assert_eq!(
            serde_json::to_string(&ns).expect("encodes"),
            r#"{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"dev"},"spec":{},"status":{}}"#
        );
        assert!(
            decode::<Namespace>(
                "apiVersion: v1\nkind: Namespace\nspec: {finalizers: kubernetes}\n"
            )
            .is_err()
        );
    }
}
