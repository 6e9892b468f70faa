//! apps/v1 ControllerRevision: an immutable snapshot of a workload's template, kept
//! by StatefulSet and DaemonSet controllers for rollouts and rollbacks.

use serde::Deserialize;

use crate::meta::ObjectMeta;
use crate::resource::resource;

/// A ControllerRevision: one saved revision of a StatefulSet's or DaemonSet's state.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct ControllerRevision {
    /// Standard object metadata.
    #[serde(default)]
    pub metadata: ObjectMeta,
    /// The saved state, as raw JSON (usually a patch holding the pod template); left out
    /// when absent.
    #[serde(default)]
    pub data: Option<serde_json::Value>,
    /// The revision number, increasing with each new revision (always written).
    #[serde(default)]
    pub revision: i64,
}

resource! {
    ControllerRevision {
        group: "apps",
        version: "v1",
        api_version: "apps/v1",
        plural: "controllerrevisions",
        scope: Namespaced,
    }
    fields { [data, "data", omitempty] [revision, "revision"] }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::apps_v1::test_support::{json, round_trip, same_as_k8s_openapi};

    const REVISION: &str = r#"
apiVersion: apps/v1
kind: ControllerRevision
metadata:
  name: db-7b9
  namespace: data
  labels:
    controller-revision-hash: 7b9
data:
  spec:
    template:
      $patch: replace
      metadata:
        labels:
          app: db
revision: 4
"#;

    #[test]
    fn revision_round_trips_with_raw_data() {
        let r: ControllerRevision = round_trip(REVISION);
        same_as_k8s_openapi::<k8s_openapi::api::apps::v1::ControllerRevision>(REVISION);
        assert_eq!(r.revision, 4);
        assert_eq!(
            r.data.as_ref().unwrap()["spec"]["template"]["$patch"],
            "replace"
        );
    }

    #[test]
    fn revision_is_always_written_and_data_omitted_when_absent() {
        assert_eq!(
            json(&ControllerRevision::default()),
            r#"{"apiVersion":"apps/v1","kind":"ControllerRevision","metadata":{},"revision":0}"#
        );
        let err = crate::decode::from_value::<ControllerRevision>(serde_json::json!({
            "revision": "4"
        }))
        .unwrap_err();
        assert!(err.to_string().starts_with("revision"), "{err}");
    }
}
