//! apps/v1 Deployment: declarative rollouts of a pod template through ReplicaSets.

use serde::{Deserialize, Serialize};

use crate::IntOrString;
use crate::core_v1::PodTemplateSpec;
use crate::meta::ObjectMeta;
use crate::resource::resource;
use crate::selector::LabelSelector;
use crate::serde_util::{is_false, is_zero_i32, is_zero_i64};
use crate::time::Time;

/// A Deployment: keeps a number of replicas of a pod template running and rolls out
/// template changes by moving pods from old ReplicaSets to a new one.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct Deployment {
    /// Standard object metadata.
    #[serde(default)]
    pub metadata: ObjectMeta,
    /// Desired state.
    #[serde(default)]
    pub spec: DeploymentSpec,
    /// Observed state, written by the deployment controller. Left out of the wire form
    /// when it holds nothing.
    #[serde(default)]
    pub status: DeploymentStatus,
}

resource! {
    Deployment {
        group: "apps",
        version: "v1",
        api_version: "apps/v1",
        plural: "deployments",
        scope: Namespaced,
    }
    fields { [spec, "spec"] [status, "status"] }
}

/// Desired state of a Deployment.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeploymentSpec {
    /// Number of pods wanted; unset means 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replicas: Option<i32>,
    /// Which pods belong to the Deployment; must match the template's labels.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selector: Option<LabelSelector>,
    /// The pods to run.
    #[serde(default)]
    pub template: PodTemplateSpec,
    /// How old pods are replaced by new ones.
    #[serde(default)]
    pub strategy: DeploymentStrategy,
    /// Seconds a new pod must stay ready, without crashing, before it counts as available.
    #[serde(default, skip_serializing_if = "is_zero_i32")]
    pub min_ready_seconds: i32,
    /// How many old ReplicaSets to keep for rollback; unset means 10.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revision_history_limit: Option<i32>,
    /// While true, template changes are not rolled out.
    #[serde(default, skip_serializing_if = "is_false")]
    pub paused: bool,
    /// Seconds a rollout may go without progress before it is reported as failed;
    /// unset means 600.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub progress_deadline_seconds: Option<i32>,
}

/// How a Deployment replaces its pods.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeploymentStrategy {
    /// `RollingUpdate` (the default) or `Recreate` (all old pods go before new ones start).
    #[serde(rename = "type", default, skip_serializing_if = "String::is_empty")]
    pub type_: String,
    /// Limits of a rolling update; only meaningful with `type: RollingUpdate`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rolling_update: Option<RollingUpdateDeployment>,
}

/// Limits of a Deployment's rolling update.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RollingUpdateDeployment {
    /// How many pods (count or percentage, rounded down) may be unavailable during the
    /// update; unset means 25%.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_unavailable: Option<IntOrString>,
    /// How many pods (count or percentage, rounded up) may exist above the desired
    /// number during the update; unset means 25%.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_surge: Option<IntOrString>,
}

/// Observed state of a Deployment.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeploymentStatus {
    /// The generation of the spec the controller last acted on.
    #[serde(default, skip_serializing_if = "is_zero_i64")]
    pub observed_generation: i64,
    /// Non-terminating pods selected by the Deployment.
    #[serde(default, skip_serializing_if = "is_zero_i32")]
    pub replicas: i32,
    /// Non-terminating pods running the current template.
    #[serde(default, skip_serializing_if = "is_zero_i32")]
    pub updated_replicas: i32,
    /// Non-terminating pods with a Ready condition.
    #[serde(default, skip_serializing_if = "is_zero_i32")]
    pub ready_replicas: i32,
    /// Non-terminating pods ready for at least `minReadySeconds`.
    #[serde(default, skip_serializing_if = "is_zero_i32")]
    pub available_replicas: i32,
    /// Pods still missing for the Deployment to be fully available (not yet created or
    /// not yet available).
    #[serde(default, skip_serializing_if = "is_zero_i32")]
    pub unavailable_replicas: i32,
    /// Pods being deleted that have not yet finished (alpha; unset unless the feature is on).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub terminating_replicas: Option<i32>,
    /// Current conditions (`Available`, `Progressing`, `ReplicaFailure`).
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::serde_util::exact_vec"
    )]
    pub conditions: Vec<DeploymentCondition>,
    /// Bumped when the name of a new ReplicaSet collides with an existing one, to vary
    /// the hash.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collision_count: Option<i32>,
}

/// One condition of a Deployment.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeploymentCondition {
    /// `Available`, `Progressing` or `ReplicaFailure`.
    #[serde(rename = "type", default)]
    pub type_: String,
    /// `True`, `False` or `Unknown`.
    #[serde(default)]
    pub status: String,
    /// When the condition was last written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_update_time: Option<Time>,
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

    const DEPLOYMENT: &str = r#"
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: default
  generation: 3
spec:
  replicas: 3
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
  strategy:
    type: RollingUpdate
    rollingUpdate:
      maxUnavailable: 0
      maxSurge: 25%
  minReadySeconds: 5
  revisionHistoryLimit: 4
  paused: true
  progressDeadlineSeconds: 120
status:
  observedGeneration: 3
  replicas: 3
  updatedReplicas: 2
  readyReplicas: 2
  availableReplicas: 2
  unavailableReplicas: 1
  terminatingReplicas: 1
  conditions:
  - type: Available
    status: "True"
    lastUpdateTime: "2024-05-01T12:00:00Z"
    lastTransitionTime: "2024-05-01T11:00:00Z"
    reason: MinimumReplicasAvailable
    message: Deployment has minimum availability.
  collisionCount: 1
"#;

    #[test]
    fn full_deployment_round_trips() {
        let d: Deployment = round_trip(DEPLOYMENT);
        same_as_k8s_openapi::<k8s_openapi::api::apps::v1::Deployment>(DEPLOYMENT);
        assert_eq!(d.spec.replicas, Some(3));
        let ru = d.spec.strategy.rolling_update.as_ref().unwrap();
        assert_eq!(ru.max_unavailable, Some(IntOrString::Int(0)));
        assert_eq!(ru.max_surge, Some(IntOrString::String("25%".into())));
        assert_eq!(d.status.conditions[0].type_, "Available");
        assert_eq!(d.status.collision_count, Some(1));
    }

    #[test]
    fn minimal_deployment_omits_empty_fields() {
        let d: Deployment = crate::decode::from_value(serde_json::json!({
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": {"name": "web"},
            "spec": {"selector": {"matchLabels": {"app": "web"}}}
        }))
        .unwrap();
        assert_eq!(
            json(&d),
            r#"{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},"spec":{"selector":{"matchLabels":{"app":"web"}},"template":{"metadata":{},"spec":{"containers":[]}},"strategy":{}},"status":{}}"#
        );
    }

    #[test]
    fn fields_are_written_in_go_order() {
        let spec = DeploymentSpec {
            replicas: Some(1),
            min_ready_seconds: 2,
            revision_history_limit: Some(3),
            paused: true,
            progress_deadline_seconds: Some(4),
            ..Default::default()
        };
        assert_eq!(
            json(&spec),
            r#"{"replicas":1,"template":{"metadata":{},"spec":{"containers":[]}},"strategy":{},"minReadySeconds":2,"revisionHistoryLimit":3,"paused":true,"progressDeadlineSeconds":4}"#
        );
        let status = DeploymentStatus {
            observed_generation: 1,
            replicas: 2,
            ready_replicas: 3,
            available_replicas: 4,
            terminating_replicas: Some(5),
            collision_count: Some(6),
            ..Default::default()
        };
        assert_eq!(
            json(&status),
            r#"{"observedGeneration":1,"replicas":2,"readyReplicas":3,"availableReplicas":4,"terminatingReplicas":5,"collisionCount":6}"#
        );
    }

    #[test]
    fn bad_input_is_an_error_with_a_path() {
        let err = crate::decode::from_value::<Deployment>(serde_json::json!({
            "spec": {"replicas": "three"}
        }))
        .unwrap_err();
        assert!(err.to_string().starts_with("spec.replicas"), "{err}");
        let err = crate::decode::from_value::<Deployment>(serde_json::json!({
            "spec": {"strategy": {"rollingUpdate": {"maxSurge": true}}}
        }))
        .unwrap_err();
        assert!(
            err.to_string()
                .starts_with("spec.strategy.rollingUpdate.maxSurge"),
            "{err}"
        );
    }
}
