//! autoscaling/v2 metrics: what a HorizontalPodAutoscaler scales on (`spec.metrics`)
//! and the values it last read (`status.currentMetrics`).

use serde::{Deserialize, Serialize};

use super::CrossVersionObjectReference;
use crate::Quantity;
use crate::selector::LabelSelector;

/// One metric to scale on; `type` says which of the source fields is set.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MetricSpec {
    /// `Object`, `Pods`, `Resource`, `ContainerResource` or `External`.
    #[serde(rename = "type", default)]
    pub type_: String,
    /// A metric describing a single other object (e.g. an Ingress's request rate).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub object: Option<ObjectMetricSource>,
    /// A metric averaged over the target's pods.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pods: Option<PodsMetricSource>,
    /// A resource (CPU, memory) of the target's pods, as known to the scheduler.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource: Option<ResourceMetricSource>,
    /// A resource of one container in each of the target's pods.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub container_resource: Option<ContainerResourceMetricSource>,
    /// A metric from outside the cluster (e.g. a queue length).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external: Option<ExternalMetricSource>,
}

/// A metric of one object and its target.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ObjectMetricSource {
    /// The object the metric describes.
    #[serde(default)]
    pub described_object: CrossVersionObjectReference,
    /// The value aimed for.
    #[serde(default)]
    pub target: MetricTarget,
    /// Which metric.
    #[serde(default)]
    pub metric: MetricIdentifier,
}

/// A per-pod metric and its target (an average value).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PodsMetricSource {
    /// Which metric.
    #[serde(default)]
    pub metric: MetricIdentifier,
    /// The value aimed for.
    #[serde(default)]
    pub target: MetricTarget,
}

/// A pod resource and its target.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ResourceMetricSource {
    /// The resource, e.g. `cpu` or `memory`.
    #[serde(default)]
    pub name: String,
    /// The value aimed for.
    #[serde(default)]
    pub target: MetricTarget,
}

/// A container resource and its target.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ContainerResourceMetricSource {
    /// The resource, e.g. `cpu` or `memory`.
    #[serde(default)]
    pub name: String,
    /// The value aimed for.
    #[serde(default)]
    pub target: MetricTarget,
    /// The container whose usage counts.
    #[serde(default)]
    pub container: String,
}

/// An external metric and its target.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExternalMetricSource {
    /// Which metric.
    #[serde(default)]
    pub metric: MetricIdentifier,
    /// The value aimed for.
    #[serde(default)]
    pub target: MetricTarget,
}

/// A metric's name and, optionally, labels narrowing which series count.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MetricIdentifier {
    /// The metric's name.
    #[serde(default)]
    pub name: String,
    /// Label selector passed to the metrics server to narrow the series.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selector: Option<LabelSelector>,
}

/// The value a metric should have; `type` says which field is the target.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MetricTarget {
    /// `Utilization`, `Value` or `AverageValue`.
    #[serde(rename = "type", default)]
    pub type_: String,
    /// Target value of the metric as a whole.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<Quantity>,
    /// Target value of the metric averaged over the pods.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub average_value: Option<Quantity>,
    /// Target average usage as a percentage of the pods' requests (resource metrics).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub average_utilization: Option<i32>,
}

/// The last read value of one metric; `type` says which field is set.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MetricStatus {
    /// `Object`, `Pods`, `Resource`, `ContainerResource` or `External`.
    #[serde(rename = "type", default)]
    pub type_: String,
    /// Value of an object metric.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub object: Option<ObjectMetricStatus>,
    /// Value of a per-pod metric.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pods: Option<PodsMetricStatus>,
    /// Value of a pod resource metric.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource: Option<ResourceMetricStatus>,
    /// Value of a container resource metric.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub container_resource: Option<ContainerResourceMetricStatus>,
    /// Value of an external metric.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external: Option<ExternalMetricStatus>,
}

/// Last value of an object metric.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ObjectMetricStatus {
    /// Which metric.
    #[serde(default)]
    pub metric: MetricIdentifier,
    /// Its value.
    #[serde(default)]
    pub current: MetricValueStatus,
    /// The object the metric describes.
    #[serde(default)]
    pub described_object: CrossVersionObjectReference,
}

/// Last value of a per-pod metric.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PodsMetricStatus {
    /// Which metric.
    #[serde(default)]
    pub metric: MetricIdentifier,
    /// Its value.
    #[serde(default)]
    pub current: MetricValueStatus,
}

/// Last value of a pod resource metric.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ResourceMetricStatus {
    /// The resource, e.g. `cpu`.
    #[serde(default)]
    pub name: String,
    /// Its value.
    #[serde(default)]
    pub current: MetricValueStatus,
}

/// Last value of a container resource metric.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ContainerResourceMetricStatus {
    /// The resource, e.g. `cpu`.
    #[serde(default)]
    pub name: String,
    /// Its value.
    #[serde(default)]
    pub current: MetricValueStatus,
    /// The container whose usage was read.
    #[serde(default)]
    pub container: String,
}

/// Last value of an external metric.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExternalMetricStatus {
    /// Which metric.
    #[serde(default)]
    pub metric: MetricIdentifier,
    /// Its value.
    #[serde(default)]
    pub current: MetricValueStatus,
}

/// A metric value, in the forms that apply to its source.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MetricValueStatus {
    /// The metric as a whole.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<Quantity>,
    /// The metric averaged over the pods.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub average_value: Option<Quantity>,
    /// Average usage as a percentage of the pods' requests.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub average_utilization: Option<i32>,
}
