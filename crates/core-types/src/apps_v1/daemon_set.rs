//! apps/v1 DaemonSet: one pod per (selected) node.

use serde::{Deserialize, Serialize};

use crate::IntOrString;
use crate::core_v1::PodTemplateSpec;
use crate::meta::ObjectMeta;
use crate::resource::resource;
use crate::selector::LabelSelector;
use crate::serde_util::{is_zero_i32, is_zero_i64};
use crate::time::Time;

/// A DaemonSet: runs a copy of a pod on every node that its template's node selection
/// admits (all nodes by default).
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct DaemonSet {
    /// Standard object metadata.
    #[serde(default)]
    pub metadata: ObjectMeta,
    /// Desired state.
    #[serde(default)]
    pub spec: DaemonSetSpec,
    /// Observed state, written by the controller. Left out of the wire form while it is
    /// all zero (Go would write its zero counters, which read back the same).
    #[serde(default)]
    pub status: DaemonSetStatus,
}

resource! {
    DaemonSet {
        group: "apps",
        version: "v1",
        api_version: "apps/v1",
        plural: "daemonsets",
        scope: Namespaced,
    }
    fields { [spec, "spec"] [status, "status"] }
}

/// Desired state of a DaemonSet.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DaemonSetSpec {
    /// Which pods belong to the DaemonSet; must match the template's labels.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selector: Option<LabelSelector>,
    /// The pod to run on each node.
    #[serde(default)]
    pub template: PodTemplateSpec,
    /// How pods are replaced when the template changes.
    #[serde(default)]
    pub update_strategy: DaemonSetUpdateStrategy,
    /// Seconds a new pod must stay ready, without crashing, before it counts as available.
    #[serde(default, skip_serializing_if = "is_zero_i32")]
    pub min_ready_seconds: i32,
    /// How many old revisions (ControllerRevisions) to keep; unset means 10.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revision_history_limit: Option<i32>,
}

/// How a DaemonSet replaces its pods.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DaemonSetUpdateStrategy {
    /// `RollingUpdate` (the default) or `OnDelete` (pods are replaced only when deleted).
    #[serde(rename = "type", default, skip_serializing_if = "String::is_empty")]
    pub type_: String,
    /// Limits of a rolling update; only meaningful with `type: RollingUpdate`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rolling_update: Option<RollingUpdateDaemonSet>,
}

/// Limits of a DaemonSet rolling update.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RollingUpdateDaemonSet {
    /// How many nodes' pods (count or percentage of the desired nodes, rounded up) may be
    /// unavailable during the update; unset means 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_unavailable: Option<IntOrString>,
    /// On how many nodes (count or percentage, rounded up, at least 1) the new pod may
    /// start before the old one is removed; unset means 0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_surge: Option<IntOrString>,
}

/// Observed state of a DaemonSet.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DaemonSetStatus {
    /// Nodes that should run the pod and run at least one (always written).
    #[serde(default)]
    pub current_number_scheduled: i32,
    /// Nodes that run the pod but should not (always written).
    #[serde(default)]
    pub number_misscheduled: i32,
    /// Nodes that should run the pod (always written).
    #[serde(default)]
    pub desired_number_scheduled: i32,
    /// Nodes that should run the pod and have one with a Ready condition (always written).
    #[serde(default)]
    pub number_ready: i32,
    /// The generation of the spec the controller last acted on.
    #[serde(default, skip_serializing_if = "is_zero_i64")]
    pub observed_generation: i64,
    /// Nodes running the pod from the current template.
    #[serde(default, skip_serializing_if = "is_zero_i32")]
    pub updated_number_scheduled: i32,
    /// Nodes that should run the pod and have one available (ready for `minReadySeconds`).
    #[serde(default, skip_serializing_if = "is_zero_i32")]
    pub number_available: i32,
    /// Nodes that should run the pod and have none available.
    #[serde(default, skip_serializing_if = "is_zero_i32")]
    pub number_unavailable: i32,
    /// Bumped when a new ControllerRevision's name collides with an existing one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collision_count: Option<i32>,
    /// Current conditions.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::serde_util::exact_vec"
    )]
    pub conditions: Vec<DaemonSetCondition>,
}

/// One condition of a DaemonSet.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DaemonSetCondition {
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

    const DAEMON_SET: &str = r#"
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: node-exporter
  namespace: monitoring
spec:
  selector:
    matchLabels:
      app: node-exporter
  template:
    metadata:
      labels:
        app: node-exporter
  updateStrategy:
    type: RollingUpdate
    rollingUpdate:
      maxUnavailable: 10%
      maxSurge: 0
  minReadySeconds: 5
  revisionHistoryLimit: 3
status:
  currentNumberScheduled: 4
  numberMisscheduled: 1
  desiredNumberScheduled: 5
  numberReady: 3
  observedGeneration: 6
  updatedNumberScheduled: 2
  numberAvailable: 3
  numberUnavailable: 2
  collisionCount: 1
  conditions:
  - type: Progressing
    status: "True"
    lastTransitionTime: "2024-05-01T12:00:00Z"
    reason: Rolling
    message: in progress
"#;

    #[test]
    fn full_daemon_set_round_trips() {
        let d: DaemonSet = round_trip(DAEMON_SET);
        same_as_k8s_openapi::<k8s_openapi::api::apps::v1::DaemonSet>(DAEMON_SET);
        assert_eq!(d.status.desired_number_scheduled, 5);
        let ru = d.spec.update_strategy.rolling_update.as_ref().unwrap();
        assert_eq!(ru.max_surge, Some(IntOrString::Int(0)));
    }

    #[test]
    fn required_counters_are_written_in_a_status_with_content() {
        let status = DaemonSetStatus {
            observed_generation: 1,
            ..Default::default()
        };
        assert_eq!(
            json(&status),
            r#"{"currentNumberScheduled":0,"numberMisscheduled":0,"desiredNumberScheduled":0,"numberReady":0,"observedGeneration":1}"#
        );
        assert_eq!(
            json(&DaemonSet::default()),
            r#"{"apiVersion":"apps/v1","kind":"DaemonSet","metadata":{},"spec":{"template":{"metadata":{},"spec":{"containers":[]}},"updateStrategy":{}},"status":{"currentNumberScheduled":0,"numberMisscheduled":0,"desiredNumberScheduled":0,"numberReady":0}}"#
        );
    }

    #[test]
    fn bad_input_is_an_error() {
        let err = crate::decode::from_value::<DaemonSet>(serde_json::json!({
            "spec": {"updateStrategy": {"type": 1}}
        }))
        .unwrap_err();
        assert!(
            err.to_string().starts_with("spec.updateStrategy.type"),
            "{err}"
        );
    }
}
