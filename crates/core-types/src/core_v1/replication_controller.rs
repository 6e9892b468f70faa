//! v1: ReplicationController, the original controller keeping N copies of a pod running
//! (superseded by ReplicaSet and Deployment, still served and still in manifests).

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::Time;
use crate::core_v1::PodTemplateSpec;
use crate::meta::ObjectMeta;
use crate::resource::resource;
use crate::serde_util::{is_zero_i32, is_zero_i64};

/// Keeps a number of pods matching its selector running.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct ReplicationController {
    /// Standard object metadata.
    #[serde(default)]
    pub metadata: ObjectMeta,
    /// Desired state.
    #[serde(default)]
    pub spec: ReplicationControllerSpec,
    /// Observed state.
    ///
    /// Left out of the wire form when entirely empty (a controller as written by a
    /// user), where Go would write `status: {replicas: 0}`; once anything is set,
    /// `replicas` is always written, as in Go.
    #[serde(default)]
    pub status: ReplicationControllerStatus,
}

resource! {
    ReplicationController {
        group: "",
        version: "v1",
        api_version: "v1",
        plural: "replicationcontrollers",
        scope: Namespaced,
        selectable: rc_field,
    }
    fields { [spec, "spec"] [status, "status"] }
}

/// Field selectors supported for replication controllers beyond the metadata ones:
/// `status.replicas` (as a decimal string).
fn rc_field<'a>(rc: &'a ReplicationController, field: &str) -> Option<Cow<'a, str>> {
    match field {
        "status.replicas" => Some(Cow::Owned(rc.status.replicas.to_string())),
        _ => None,
    }
}

/// Desired state of a replication controller.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReplicationControllerSpec {
    /// Desired number of pods; unset means 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replicas: Option<i32>,
    /// Seconds a new pod must be ready, without crashing, to count as available.
    #[serde(default, skip_serializing_if = "is_zero_i32")]
    pub min_ready_seconds: i32,
    /// Labels the controlled pods carry (equality only); defaults to the template's labels.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub selector: BTreeMap<String, String>,
    /// Template of the pods created when too few exist.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub template: Option<PodTemplateSpec>,
}

/// Observed state of a replication controller.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReplicationControllerStatus {
    /// Number of pods currently matched (required; always written).
    #[serde(default)]
    pub replicas: i32,
    /// Pods whose labels match the template's labels.
    #[serde(default, skip_serializing_if = "is_zero_i32")]
    pub fully_labeled_replicas: i32,
    /// Pods that are ready.
    #[serde(default, skip_serializing_if = "is_zero_i32")]
    pub ready_replicas: i32,
    /// Pods ready for at least `minReadySeconds`.
    #[serde(default, skip_serializing_if = "is_zero_i32")]
    pub available_replicas: i32,
    /// The `metadata.generation` this status reflects.
    #[serde(default, skip_serializing_if = "is_zero_i64")]
    pub observed_generation: i64,
    /// Current conditions.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::serde_util::exact_vec"
    )]
    pub conditions: Vec<ReplicationControllerCondition>,
}

/// One condition of a replication controller.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReplicationControllerCondition {
    /// Condition type; only `ReplicaFailure` is defined.
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
    use crate::core_v1::test_support::decode;

    // The pod template's spec is left out of the comparisons: `PodSpec` is modelled
    // (and tested) in pod.rs.
    const RC: &str = r#"
apiVersion: v1
kind: ReplicationController
metadata: {name: frontend, namespace: shop, generation: 3}
spec:
  replicas: 3
  minReadySeconds: 5
  selector: {app: frontend}
  template:
    metadata:
      labels: {app: frontend}
    spec:
      containers: [{name: app, image: nginx}]
status:
  replicas: 3
  fullyLabeledReplicas: 3
  readyReplicas: 2
  availableReplicas: 2
  observedGeneration: 3
  conditions:
  - type: ReplicaFailure
    status: "True"
    lastTransitionTime: "2024-05-01T10:00:00Z"
    reason: FailedCreate
    message: "pods \"frontend-x\" is forbidden: exceeded quota"
"#;

    #[test]
    fn controller_round_trips() {
        let rc: ReplicationController = decode(RC).expect("fixture decodes");
        let mut src = crate::core_v1::test_support::source(RC);
        let theirs: k8s_openapi::api::core::v1::ReplicationController =
            serde_json::from_value(src.clone()).expect("k8s-openapi decodes");
        let mut theirs = serde_json::to_value(&theirs).expect("encodes");
        let mut ours = serde_json::to_value(&rc).expect("encodes");
        for v in [&mut src, &mut theirs, &mut ours] {
            v["spec"]["template"]["spec"] = serde_json::Value::Null;
        }
        assert_eq!(ours, src);
        assert_eq!(theirs["spec"], src["spec"]);
        assert_eq!(theirs["status"], src["status"]);
        assert_eq!(rc.spec.replicas, Some(3));
        assert_eq!(
            rc.spec
                .template
                .as_ref()
                .map(|t| t.metadata.labels["app"].as_str()),
            Some("frontend")
        );
        assert_eq!(rc.field_value("status.replicas").as_deref(), Some("3"));
        assert_eq!(rc.field_value("spec.replicas"), None);
    }

    #[test]
    fn status_is_written_as_go_does_once_set() {
        let mut rc: ReplicationController = decode(
            "apiVersion: v1\nkind: ReplicationController\nmetadata: {name: r}\nspec: {selector: {app: r}}\n",
        )
        .expect("fixture decodes");
        assert_eq!(
            serde_json::to_string(&rc).expect("encodes"),
            r#"{"apiVersion":"v1","kind":"ReplicationController","metadata":{"name":"r"},"spec":{"selector":{"app":"r"}},"status":{"replicas":0}}"#
        );
        rc.status.observed_generation = 1;
        let json = serde_json::to_value(&rc).expect("encodes");
        assert_eq!(
            json["status"],
            serde_json::json!({"replicas": 0, "observedGeneration": 1})
        );
        assert_eq!(rc.field_value("status.replicas").as_deref(), Some("0"));
        assert!(
            decode::<ReplicationController>(
                "apiVersion: v1\nkind: ReplicationController\nspec: {replicas: three}\n"
            )
            .is_err()
        );
    }
}
