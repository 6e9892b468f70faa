//! autoscaling/v2: HorizontalPodAutoscaler, scaling a workload's replicas on metrics.

mod metrics;

pub use metrics::*;

use serde::{Deserialize, Serialize};

use crate::Quantity;
use crate::meta::ObjectMeta;
use crate::resource::resource;
use crate::serde_util::is_zero_i32;
use crate::time::Time;

/// A HorizontalPodAutoscaler: sets the replica count of a scalable object (through its
/// `scale` subresource) from observed metrics.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct HorizontalPodAutoscaler {
    /// Standard object metadata.
    #[serde(default)]
    pub metadata: ObjectMeta,
    /// Desired behaviour.
    #[serde(default)]
    pub spec: HorizontalPodAutoscalerSpec,
    /// Observed state, written by the autoscaler. Left out of the wire form while it is
    /// all zero (Go would write `desiredReplicas: 0`, which reads back the same).
    #[serde(default)]
    pub status: HorizontalPodAutoscalerStatus,
}

resource! {
    HorizontalPodAutoscaler {
        group: "autoscaling",
        version: "v2",
        api_version: "autoscaling/v2",
        plural: "horizontalpodautoscalers",
        scope: Namespaced,
    }
    fields { [spec, "spec"] [status, "status"] }
}

/// Desired behaviour of a HorizontalPodAutoscaler.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HorizontalPodAutoscalerSpec {
    /// The object whose replicas are set.
    #[serde(default)]
    pub scale_target_ref: CrossVersionObjectReference,
    /// Lowest replica count; unset means 1 (0 is allowed only with object or external
    /// metrics).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_replicas: Option<i32>,
    /// Highest replica count (always written).
    #[serde(default)]
    pub max_replicas: i32,
    /// Metrics to scale on; the largest replica count any of them asks for wins. Unset
    /// means 80% average CPU utilization.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::serde_util::exact_vec"
    )]
    pub metrics: Vec<MetricSpec>,
    /// Rate limits and stabilization for scaling up and down.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub behavior: Option<HorizontalPodAutoscalerBehavior>,
}

/// A reference to an object of any API version.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CrossVersionObjectReference {
    /// Kind of the object, e.g. `Deployment`.
    #[serde(default)]
    pub kind: String,
    /// Name of the object.
    #[serde(default)]
    pub name: String,
    /// API version of the object, e.g. `apps/v1`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub api_version: String,
}

/// Scaling behaviour in each direction.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HorizontalPodAutoscalerBehavior {
    /// Rules for scaling up; unset means the defaults (no stabilization, fast growth).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scale_up: Option<HpaScalingRules>,
    /// Rules for scaling down; unset means the defaults (300s stabilization).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scale_down: Option<HpaScalingRules>,
}

/// How fast replicas may change in one direction.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HpaScalingRules {
    /// Seconds of past recommendations considered, to avoid flapping (0 to 3600).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stabilization_window_seconds: Option<i32>,
    /// Which policy wins: `Max` (the default), `Min` or `Disabled` (no scaling this way).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub select_policy: Option<String>,
    /// Limits on the change per period.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::serde_util::exact_vec"
    )]
    pub policies: Vec<HpaScalingPolicy>,
    /// Relative difference between current and desired metric below which no scaling
    /// happens (e.g. `0.05`); unset means the cluster default (alpha feature).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tolerance: Option<Quantity>,
}

/// A limit on replica changes over a period.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HpaScalingPolicy {
    /// `Pods` (an absolute count) or `Percent` (of the current replicas).
    #[serde(rename = "type", default)]
    pub type_: String,
    /// The count or percentage allowed per period.
    #[serde(default)]
    pub value: i32,
    /// The period in seconds (1 to 1800).
    #[serde(default)]
    pub period_seconds: i32,
}

/// Observed state of a HorizontalPodAutoscaler.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HorizontalPodAutoscalerStatus {
    /// The generation of the spec the autoscaler last acted on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub observed_generation: Option<i64>,
    /// When the replica count was last changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_scale_time: Option<Time>,
    /// Replicas of the target, as last seen.
    #[serde(default, skip_serializing_if = "is_zero_i32")]
    pub current_replicas: i32,
    /// Replicas the autoscaler last computed (always written).
    #[serde(default)]
    pub desired_replicas: i32,
    /// The metrics' values as last read.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::serde_util::exact_vec"
    )]
    pub current_metrics: Vec<MetricStatus>,
    /// Current conditions (`AbleToScale`, `ScalingActive`, `ScalingLimited`).
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::serde_util::exact_vec"
    )]
    pub conditions: Vec<HorizontalPodAutoscalerCondition>,
}

/// One condition of a HorizontalPodAutoscaler.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HorizontalPodAutoscalerCondition {
    /// `AbleToScale`, `ScalingActive` or `ScalingLimited`.
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

    /// Every field except quantities.
    const HPA: &str = r#"
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: web
  namespace: default
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: web
  minReplicas: 2
  maxReplicas: 10
  metrics:
  - type: Resource
    resource:
      name: cpu
      target:
        type: Utilization
        averageUtilization: 70
  - type: ContainerResource
    containerResource:
      name: memory
      container: app
      target:
        type: Utilization
        averageUtilization: 80
  - type: Pods
    pods:
      metric:
        name: requests_per_second
        selector:
          matchLabels:
            verb: GET
      target:
        type: AverageValue
  - type: Object
    object:
      describedObject:
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        name: main
      metric:
        name: requests
      target:
        type: Value
  - type: External
    external:
      metric:
        name: queue_depth
      target:
        type: AverageValue
  behavior:
    scaleUp:
      stabilizationWindowSeconds: 0
      selectPolicy: Max
      policies:
      - type: Percent
        value: 100
        periodSeconds: 15
      - type: Pods
        value: 4
        periodSeconds: 15
    scaleDown:
      selectPolicy: Disabled
status:
  observedGeneration: 4
  lastScaleTime: "2024-05-01T12:00:00Z"
  currentReplicas: 3
  desiredReplicas: 4
  currentMetrics:
  - type: Resource
    resource:
      name: cpu
      current:
        averageUtilization: 91
  - type: ContainerResource
    containerResource:
      name: memory
      container: app
      current:
        averageUtilization: 50
  - type: Object
    object:
      metric:
        name: requests
      current: {}
      describedObject:
        kind: Ingress
        name: main
  conditions:
  - type: AbleToScale
    status: "True"
    lastTransitionTime: "2024-05-01T11:00:00Z"
    reason: ReadyForNewScale
    message: recommended size matches current size
"#;

    #[test]
    fn full_hpa_round_trips() {
        let h: HorizontalPodAutoscaler = round_trip(HPA);
        same_as_k8s_openapi::<k8s_openapi::api::autoscaling::v2::HorizontalPodAutoscaler>(HPA);
        assert_eq!(h.spec.scale_target_ref.api_version, "apps/v1");
        assert_eq!(
            h.spec.metrics[1]
                .container_resource
                .as_ref()
                .unwrap()
                .container,
            "app"
        );
        let up = h.spec.behavior.as_ref().unwrap().scale_up.as_ref().unwrap();
        assert_eq!(up.policies[1].value, 4);
        assert_eq!(h.status.desired_replicas, 4);
        assert_eq!(h.status.observed_generation, Some(4));
    }

    #[test]
    fn metric_quantities_round_trip() {
        let yaml = r#"
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: web
spec:
  scaleTargetRef:
    kind: Deployment
    name: web
  maxReplicas: 5
  metrics:
  - type: External
    external:
      metric:
        name: queue_depth
      target:
        type: Value
        value: "30"
        averageValue: 500m
  behavior:
    scaleDown:
      tolerance: 50m
status:
  desiredReplicas: 1
  currentMetrics:
  - type: External
    external:
      metric:
        name: queue_depth
      current:
        value: "12"
        averageValue: 4k
"#;
        let h: HorizontalPodAutoscaler = round_trip(yaml);
        let target = &h.spec.metrics[0].external.as_ref().unwrap().target;
        assert_eq!(target.average_value.unwrap().milli_value(), 500);
    }

    #[test]
    fn required_fields_are_written_and_zero_status_omitted() {
        assert_eq!(
            json(&HorizontalPodAutoscaler::default()),
            r#"{"apiVersion":"autoscaling/v2","kind":"HorizontalPodAutoscaler","metadata":{},"spec":{"scaleTargetRef":{"kind":"","name":""},"maxReplicas":0},"status":{"desiredReplicas":0}}"#
        );
        let status = HorizontalPodAutoscalerStatus {
            current_replicas: 2,
            ..Default::default()
        };
        assert_eq!(
            json(&status),
            r#"{"currentReplicas":2,"desiredReplicas":0}"#
        );
        assert_eq!(
            json(&HpaScalingPolicy::default()),
            r#"{"type":"","value":0,"periodSeconds":0}"#
        );
        assert_eq!(
            json(&ObjectMetricSource::default()),
            r#"{"describedObject":{"kind":"","name":""},"target":{"type":""},"metric":{"name":""}}"#
        );
    }

    #[test]
    fn bad_input_is_an_error() {
        let err = crate::decode::from_value::<HorizontalPodAutoscaler>(serde_json::json!({
            "spec": {"metrics": [{"resource": {"target": {"averageUtilization": "70%"}}}]}
        }))
        .unwrap_err();
        assert!(
            err.to_string()
                .starts_with("spec.metrics[0].resource.target.averageUtilization"),
            "{err}"
        );
    }
}
