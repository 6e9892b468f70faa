//! apps/v1 StatefulSet: pods with stable names, network identities and storage.

use serde::{Deserialize, Serialize};

use crate::IntOrString;
use crate::core_v1::{PersistentVolumeClaim, PodTemplateSpec};
use crate::meta::ObjectMeta;
use crate::resource::resource;
use crate::selector::LabelSelector;
use crate::serde_util::{is_zero_i32, is_zero_i64};
use crate::time::Time;

/// A StatefulSet: runs pods named `<name>-<ordinal>`, each with its own claims made from
/// `volumeClaimTemplates`, created, updated and removed in ordinal order.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct StatefulSet {
    /// Standard object metadata.
    #[serde(default)]
    pub metadata: ObjectMeta,
    /// Desired state.
    #[serde(default)]
    pub spec: StatefulSetSpec,
    /// Observed state, written by the controller. Left out of the wire form while it is
    /// all zero (Go would write its zero counters, which read back the same).
    #[serde(default)]
    pub status: StatefulSetStatus,
}

resource! {
    StatefulSet {
        group: "apps",
        version: "v1",
        api_version: "apps/v1",
        plural: "statefulsets",
        scope: Namespaced,
    }
    fields { [spec, "spec"] [status, "status"] }
}

/// Desired state of a StatefulSet.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StatefulSetSpec {
    /// Number of pods wanted; unset means 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replicas: Option<i32>,
    /// Which pods belong to the set; must match the template's labels.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selector: Option<LabelSelector>,
    /// The pods to run; each gets its own identity on top of it.
    #[serde(default)]
    pub template: PodTemplateSpec,
    /// Claims each pod gets a copy of (named `<claim>-<pod>`); a pod volume with the same
    /// name is replaced by the claim. Written without `apiVersion`/`kind`.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        serialize_with = "super::embedded::without_type_meta"
    )]
    pub volume_claim_templates: Vec<PersistentVolumeClaim>,
    /// Headless service giving the pods their DNS names
    /// (`<pod>.<serviceName>.<namespace>.svc...`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub service_name: String,
    /// `OrderedReady` (the default: one pod at a time, waiting for readiness) or
    /// `Parallel` (all at once) for scaling.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub pod_management_policy: String,
    /// How pods are replaced when the template changes.
    #[serde(default)]
    pub update_strategy: StatefulSetUpdateStrategy,
    /// How many old revisions (ControllerRevisions) to keep; unset means 10.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revision_history_limit: Option<i32>,
    /// Seconds a new pod must stay ready, without crashing, before it counts as available.
    #[serde(default, skip_serializing_if = "is_zero_i32")]
    pub min_ready_seconds: i32,
    /// Whether claims made from the templates are deleted with the set or on scale-down.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub persistent_volume_claim_retention_policy:
        Option<StatefulSetPersistentVolumeClaimRetentionPolicy>,
    /// Numbering of the pods' ordinals.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ordinals: Option<StatefulSetOrdinals>,
}

/// How a StatefulSet replaces its pods.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StatefulSetUpdateStrategy {
    /// `RollingUpdate` (the default) or `OnDelete` (pods are replaced only when deleted).
    #[serde(rename = "type", default, skip_serializing_if = "String::is_empty")]
    pub type_: String,
    /// Parameters of a rolling update.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rolling_update: Option<RollingUpdateStatefulSetStrategy>,
}

/// Parameters of a StatefulSet rolling update.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RollingUpdateStatefulSetStrategy {
    /// Only pods with an ordinal at or above this are updated (for canaries); unset means 0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partition: Option<i32>,
    /// How many pods (count or percentage, rounded up) may be unavailable during the
    /// update; unset means 1 (alpha feature).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_unavailable: Option<IntOrString>,
}

/// What happens to claims made from `volumeClaimTemplates`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StatefulSetPersistentVolumeClaimRetentionPolicy {
    /// When the StatefulSet is deleted: `Retain` (the default) or `Delete`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub when_deleted: String,
    /// When pods above the new replica count go away: `Retain` (the default) or `Delete`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub when_scaled: String,
}

/// Numbering of a StatefulSet's pods.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StatefulSetOrdinals {
    /// Ordinal of the first pod; pods are numbered `start .. start + replicas`.
    #[serde(default)]
    pub start: i32,
}

/// Observed state of a StatefulSet.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StatefulSetStatus {
    /// The generation of the spec the controller last acted on.
    #[serde(default, skip_serializing_if = "is_zero_i64")]
    pub observed_generation: i64,
    /// Pods created by the controller (always written).
    #[serde(default)]
    pub replicas: i32,
    /// Pods with a Ready condition.
    #[serde(default, skip_serializing_if = "is_zero_i32")]
    pub ready_replicas: i32,
    /// Pods created from `currentRevision`.
    #[serde(default, skip_serializing_if = "is_zero_i32")]
    pub current_replicas: i32,
    /// Pods created from `updateRevision`.
    #[serde(default, skip_serializing_if = "is_zero_i32")]
    pub updated_replicas: i32,
    /// Revision the pods `[0, currentReplicas)` were made from.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub current_revision: String,
    /// Revision the pods `[replicas - updatedReplicas, replicas)` were made from.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub update_revision: String,
    /// Bumped when a new ControllerRevision's name collides with an existing one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collision_count: Option<i32>,
    /// Current conditions.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::serde_util::exact_vec"
    )]
    pub conditions: Vec<StatefulSetCondition>,
    /// Pods ready for at least `minReadySeconds` (always written).
    #[serde(default)]
    pub available_replicas: i32,
}

/// One condition of a StatefulSet.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StatefulSetCondition {
    /// Condition type.
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
    use crate::apps_v1::test_support::{json, round_trip, same_as_k8s_openapi};

    const STATEFUL_SET: &str = r#"
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
  namespace: data
spec:
  replicas: 3
  selector:
    matchLabels:
      app: db
  template:
    metadata:
      labels:
        app: db
  serviceName: db
  podManagementPolicy: Parallel
  updateStrategy:
    type: RollingUpdate
    rollingUpdate:
      partition: 1
      maxUnavailable: 50%
  revisionHistoryLimit: 5
  minReadySeconds: 3
  persistentVolumeClaimRetentionPolicy:
    whenDeleted: Delete
    whenScaled: Retain
  ordinals:
    start: 1
status:
  observedGeneration: 2
  replicas: 3
  readyReplicas: 3
  currentReplicas: 2
  updatedReplicas: 1
  currentRevision: db-7b9
  updateRevision: db-8c1
  collisionCount: 0
  conditions:
  - type: Ready
    status: "True"
    lastTransitionTime: "2024-05-01T12:00:00Z"
    reason: AllReady
    message: all pods ready
  availableReplicas: 3
"#;

    #[test]
    fn full_stateful_set_round_trips() {
        let s: StatefulSet = round_trip(STATEFUL_SET);
        same_as_k8s_openapi::<k8s_openapi::api::apps::v1::StatefulSet>(STATEFUL_SET);
        assert_eq!(s.spec.ordinals, Some(StatefulSetOrdinals { start: 1 }));
        let ru = s.spec.update_strategy.rolling_update.as_ref().unwrap();
        assert_eq!(ru.max_unavailable, Some(IntOrString::String("50%".into())));
        assert_eq!(s.status.update_revision, "db-8c1");
    }

    #[test]
    fn claim_templates_are_written_without_type_meta() {
        // (k8s-openapi writes `apiVersion`/`kind` here, so this is checked on its own.)
        // Decoding accepts (and drops) `apiVersion`/`kind`, as servers return them.
        let s: StatefulSet = crate::decode::from_value(serde_json::json!({
            "spec": {"volumeClaimTemplates": [
                {"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": {"name": "data"}}
            ]}
        }))
        .unwrap();
        assert_eq!(
            json(&s.spec),
            r#"{"template":{"metadata":{},"spec":{"containers":[]}},"volumeClaimTemplates":[{"metadata":{"name":"data"},"spec":{"resources":{}},"status":{}}],"updateStrategy":{}}"#
        );
    }

    #[test]
    fn zero_counters_are_written_in_a_status_with_content() {
        let status = StatefulSetStatus {
            current_revision: "r1".into(),
            ..Default::default()
        };
        assert_eq!(
            json(&status),
            r#"{"replicas":0,"currentRevision":"r1","availableReplicas":0}"#
        );
        assert_eq!(json(&StatefulSetOrdinals::default()), r#"{"start":0}"#);
        // Go always writes the status struct, with its required counters.
        let s = StatefulSet::default();
        assert!(
            json(&s).ends_with(r#""status":{"replicas":0,"availableReplicas":0}}"#),
            "{}",
            json(&s)
        );
    }

    #[test]
    fn bad_input_is_an_error() {
        let err = crate::decode::from_value::<StatefulSet>(serde_json::json!({
            "spec": {"ordinals": {"start": "one"}}
        }))
        .unwrap_err();
        assert!(err.to_string().starts_with("spec.ordinals.start"), "{err}");
    }
}
