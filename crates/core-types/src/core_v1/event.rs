//! v1: Event, a report that something happened to an object (the core/v1 form, which
//! `kubectl get events` and `kubectl describe` read).

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use crate::core_v1::ObjectReference;
use crate::meta::ObjectMeta;
use crate::resource::resource;
use crate::serde_util::is_zero_i32;
use crate::{MicroTime, Time};

/// A report of something that happened to an object.
///
/// The wire form mirrors Go's: `involvedObject`, `source`, `reportingComponent` and
/// `reportingInstance` are always written, and the three timestamps are written as
/// `null` when unset.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Event {
    /// Standard object metadata.
    #[serde(default)]
    pub metadata: ObjectMeta,
    /// The object the event is about.
    #[serde(default)]
    pub involved_object: ObjectReference,
    /// Short machine-readable reason, e.g. `Scheduled`, `BackOff`.
    #[serde(default)]
    pub reason: String,
    /// Human-readable description.
    #[serde(default)]
    pub message: String,
    /// The component (and host) that reported the event (legacy reporters).
    #[serde(default)]
    pub source: EventSource,
    /// When the event was first recorded (legacy reporters).
    #[serde(default)]
    pub first_timestamp: Option<Time>,
    /// When the event was most recently recorded (legacy reporters).
    #[serde(default)]
    pub last_timestamp: Option<Time>,
    /// How many times the event has occurred (legacy reporters).
    #[serde(default)]
    pub count: i32,
    /// `Normal` or `Warning` (other values may appear).
    #[serde(default, rename = "type")]
    pub type_: String,
    /// When the event was first observed, with microseconds (newer reporters).
    #[serde(default)]
    pub event_time: Option<MicroTime>,
    /// Data about a recurring event (newer reporters).
    #[serde(default)]
    pub series: Option<EventSeries>,
    /// What was done, or failed, about the object, e.g. `Binding`.
    #[serde(default)]
    pub action: String,
    /// A second object involved, if any.
    #[serde(default)]
    pub related: Option<ObjectReference>,
    /// The controller that reported the event, e.g. `kubernetes.io/kubelet`.
    #[serde(default)]
    pub reporting_component: String,
    /// The instance of the controller that reported the event, e.g. a node name.
    #[serde(default)]
    pub reporting_instance: String,
}

resource! {
    Event {
        group: "",
        version: "v1",
        api_version: "v1",
        plural: "events",
        scope: Namespaced,
        selectable: event_field,
    }
    fields {
        [involved_object, "involvedObject"]
        [reason, "reason", omitempty]
        [message, "message", omitempty]
        [source, "source"]
        [first_timestamp, "firstTimestamp"]
        [last_timestamp, "lastTimestamp"]
        [count, "count", omitempty]
        [type_, "type", omitempty]
        [event_time, "eventTime"]
        [series, "series", omitempty]
        [action, "action", omitempty]
        [related, "related", omitempty]
        [reporting_component, "reportingComponent"]
        [reporting_instance, "reportingInstance"]
    }
}

/// Field selectors supported for events beyond the metadata ones: `involvedObject.*`
/// (kind, namespace, name, uid, apiVersion, resourceVersion, fieldPath), `reason`,
/// `reportingComponent`, `type`, and `source` (the source component, or the reporting
/// component when the event has no source).
fn event_field<'a>(ev: &'a Event, field: &str) -> Option<Cow<'a, str>> {
    let obj = &ev.involved_object;
    let value = match field {
        "involvedObject.kind" => &obj.kind,
        "involvedObject.namespace" => &obj.namespace,
        "involvedObject.name" => &obj.name,
        "involvedObject.uid" => &obj.uid,
        "involvedObject.apiVersion" => &obj.api_version,
        "involvedObject.resourceVersion" => &obj.resource_version,
        "involvedObject.fieldPath" => &obj.field_path,
        "reason" => &ev.reason,
        "reportingComponent" => &ev.reporting_component,
        "type" => &ev.type_,
        "source" if ev.source.component.is_empty() => &ev.reporting_component,
        "source" => &ev.source.component,
        _ => return None,
    };
    Some(Cow::Borrowed(value))
}

/// The component that reported an event, and where it runs.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EventSource {
    /// Reporting component, e.g. `kubelet`, `default-scheduler`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub component: String,
    /// Node the component runs on.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub host: String,
}

/// Data about a recurring event.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EventSeries {
    /// Occurrences so far in the series.
    #[serde(default, skip_serializing_if = "is_zero_i32")]
    pub count: i32,
    /// When the last occurrence was seen. Written as `null` when unset, as Go does.
    #[serde(default)]
    pub last_observed_time: Option<MicroTime>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Resource as _;
    use crate::core_v1::test_support::{assert_wire, decode};

    #[test]
    fn legacy_kubelet_event_round_trips() {
        let ev: Event = assert_wire::<Event, k8s_openapi::api::core::v1::Event>(
            r#"
apiVersion: v1
kind: Event
metadata: {name: web-0.17c8a, namespace: shop}
involvedObject:
  kind: Pod
  namespace: shop
  name: web-0
  uid: 4d2c
  apiVersion: v1
  resourceVersion: "812"
  fieldPath: spec.containers{app}
reason: BackOff
message: Back-off restarting failed container app
source: {component: kubelet, host: worker-1}
firstTimestamp: "2024-05-01T10:00:00Z"
lastTimestamp: "2024-05-01T10:05:00Z"
count: 7
type: Warning
eventTime: null
reportingComponent: kubelet
reportingInstance: worker-1
"#,
        );
        assert_eq!(ev.count, 7);
        for (field, want) in [
            ("involvedObject.kind", "Pod"),
            ("involvedObject.namespace", "shop"),
            ("involvedObject.name", "web-0"),
            ("involvedObject.uid", "4d2c"),
            ("involvedObject.apiVersion", "v1"),
            ("involvedObject.resourceVersion", "812"),
            ("involvedObject.fieldPath", "spec.containers{app}"),
            ("reason", "BackOff"),
            ("reportingComponent", "kubelet"),
            ("source", "kubelet"),
            ("type", "Warning"),
            ("metadata.namespace", "shop"),
        ] {
            assert_eq!(ev.field_value(field).as_deref(), Some(want), "{field}");
        }
        assert_eq!(ev.field_value("message"), None);
    }

    #[test]
    fn new_style_event_round_trips() {
        let ev: Event = assert_wire::<Event, k8s_openapi::api::core::v1::Event>(
            r#"
apiVersion: v1
kind: Event
metadata: {name: web-0.17c8b, namespace: shop}
involvedObject: {kind: Pod, namespace: shop, name: web-0}
reason: Scheduled
message: Successfully assigned shop/web-0 to worker-1
source: {}
firstTimestamp: null
lastTimestamp: null
type: Normal
eventTime: "2024-05-01T10:00:00.123456Z"
series: {count: 3, lastObservedTime: "2024-05-01T10:04:00.000001Z"}
action: Binding
related: {kind: Node, name: worker-1}
reportingComponent: default-scheduler
reportingInstance: default-scheduler-cp-1
"#,
        );
        assert_eq!(ev.series.as_ref().map(|s| s.count), Some(3));
        // No source component: `source` selects on the reporting component.
        assert_eq!(
            ev.field_value("source").as_deref(),
            Some("default-scheduler")
        );
    }

    #[test]
    fn empty_event_writes_required_fields() {
        let ev: Event =
            decode("apiVersion: v1\nkind: Event\nmetadata: {name: e}\n").expect("fixture decodes");
        assert_eq!(
            serde_json::to_string(&ev).expect("encodes"),
            concat!(
                r#"{"apiVersion":"v1","kind":"Event","metadata":{"name":"e"},"involvedObject":{},"#,
                r#""source":{},"firstTimestamp":null,"lastTimestamp":null,"eventTime":null,"#,
                r#""reportingComponent":"","reportingInstance":""}"#
            )
        );
        let err = decode::<Event>("apiVersion: v1\nkind: Event\nfirstTimestamp: yesterday\n")
            .expect_err("invalid input must fail");
        assert!(err.to_string().contains("firstTimestamp"), "{err}");
    }
}
