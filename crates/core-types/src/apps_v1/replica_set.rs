//! apps/v1 ReplicaSet: keeps a number of identical pods running.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use crate::core_v1::PodTemplateSpec;
use crate::meta::ObjectMeta;
use crate::resource::resource;
use crate::selector::LabelSelector;
use crate::serde_util::{is_zero_i32, is_zero_i64};
use crate::time::Time;

/// A ReplicaSet: creates and deletes pods from a template so that the number of pods
/// matching its selector is the number asked for. Usually owned by a Deployment.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct ReplicaSet {
    /// Standard object metadata.
    #[serde(default)]
    pub metadata: ObjectMeta,
    /// Desired state.
    #[serde(default)]
    pub spec: ReplicaSetSpec,
    /// Observed state, written by the controller. Left out of the wire form while it is
    /// all zero (Go would write `status: {replicas: 0}`, which reads back the same).
    #[serde(default)]
    pub status: ReplicaSetStatus,
}

resource! {
    ReplicaSet {
        group: "apps",
        version: "v1",
        api_version: "apps/v1",
        plural: "replicasets",
        scope: Namespaced,
        selectable: replica_set_field,
    }
    fields { [spec, "spec"] [status, "status"] }
}

/// Field selectors ReplicaSets support beyond the metadata ones: `status.replicas`.
fn replica_set_field<'a>(rs: &'a ReplicaSet, field: &str) -> Option<Cow<'a, str>> {
    match field {
        "status.replicas" => Some(Cow::Owned(rs.status.replicas.to_string())),
        _ => None,
    }
}

/// Desired state of a ReplicaSet.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReplicaSetSpec {
    /// Number of pods wanted; unset means 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replicas: Option<i32>,
    /// Seconds a new pod must stay ready, without crashing, before it counts as available.
    #[serde(default, skip_serializing_if = "is_zero_i32")]
    pub min_ready_seconds: i32,
    /// Which pods count towards the replicas; must match the template's labels.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selector: Option<LabelSelector>,
    /// The pods created when replicas are missing.
    #[serde(default)]
    pub template: PodTemplateSpec,
}

/// Observed state of a ReplicaSet.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReplicaSetStatus {
    /// Non-terminating pods last counted (always written).
    #[serde(default)]
    pub replicas: i32,
    /// Non-terminating pods whose labels match the template's labels.
    #[serde(default, skip_serializing_if = "is_zero_i32")]
    pub fully_labeled_replicas: i32,
    /// Non-terminating pods with a Ready condition.
    #[serde(default, skip_serializing_if = "is_zero_i32")]
    pub ready_replicas: i32,
    /// Non-terminating pods ready for at least `minReadySeconds`.
    #[serde(default, skip_serializing_if = "is_zero_i32")]
    pub available_replicas: i32,
    /// Pods being deleted that have not yet finished (alpha; unset unless the feature is on).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub terminating_replicas: Option<i32>,
    /// The generation of the spec the controller last acted on.
    #[serde(default, skip_serializing_if = "is_zero_i64")]
    pub observed_generation: i64,
    /// Current conditions (`ReplicaFailure`).
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::serde_util::exact_vec"
    )]
    pub conditions: Vec<ReplicaSetCondition>,
}

/// One condition of a ReplicaSet.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReplicaSetCondition {
    /// Condition type; `ReplicaFailure` is the one Kubernetes defines.
    #[serde(rename = "type", default)]
    pub type_: String,
    /// `True`, `False` or `Unknown`.
    #[serde(default)]
    pub status: String,
    /// When `status` last changed.
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
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::Resource;
    use crate::apps_v1::test_support::{json, round_trip, same_as_k8s_openapi};

    const REPLICA_SET: &str = r#"
apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: web-5d8f
  namespace: default
  labels:
    pod-template-hash: 5d8f
  ownerReferences:
  - apiVersion: apps/v1
    kind: Deployment
    name: web
    uid: 1b2c
    controller: true
    blockOwnerDeletion: true
spec:
  replicas: 2
  minReadySeconds: 10
  selector:
    matchExpressions:
    - key: app
      operator: In
      values: [web]
  template:
    metadata:
      labels:
        app: web
status:
  replicas: 2
  fullyLabeledReplicas: 2
  readyReplicas: 1
  availableReplicas: 1
  terminatingReplicas: 0
  observedGeneration: 7
  conditions:
  - type: ReplicaFailure
    status: "True"
    lastTransitionTime: "2024-05-01T12:00:00Z"
    reason: FailedCreate
    message: quota exceeded
"#;

    #[test]
    fn full_replica_set_round_trips() {
        let rs: ReplicaSet = round_trip(REPLICA_SET);
        same_as_k8s_openapi::<k8s_openapi::api::apps::v1::ReplicaSet>(REPLICA_SET);
        assert_eq!(rs.spec.replicas, Some(2));
        assert_eq!(rs.status.terminating_replicas, Some(0));
        assert_eq!(rs.status.conditions[0].reason, "FailedCreate");
    }

    #[test]
    fn status_replicas_is_written_even_when_zero_once_status_has_content() {
        let status = ReplicaSetStatus {
            observed_generation: 2,
            ..Default::default()
        };
        assert_eq!(json(&status), r#"{"replicas":0,"observedGeneration":2}"#);
        let rs = ReplicaSet::default();
        assert_eq!(
            json(&rs),
            r#"{"apiVersion":"apps/v1","kind":"ReplicaSet","metadata":{},"spec":{"template":{"metadata":{},"spec":{"containers":[]}}},"status":{"replicas":0}}"#
        );
    }

    #[test]
    fn selectable_by_status_replicas() {
        let mut rs = ReplicaSet::default();
        rs.status.replicas = 3;
        rs.metadata.name = "web".into();
        assert_eq!(rs.field_value("status.replicas").as_deref(), Some("3"));
        assert_eq!(rs.field_value("metadata.name").as_deref(), Some("web"));
        assert_eq!(rs.field_value("spec.replicas"), None);
    }

    #[test]
    fn bad_input_is_an_error() {
        let err = crate::decode::from_value::<ReplicaSet>(serde_json::json!({
            "status": {"replicas": -1.5}
        }))
        .unwrap_err();
        assert!(err.to_string().starts_with("status.replicas"), "{err}");
    }
}
