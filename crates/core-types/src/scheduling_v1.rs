//! scheduling.k8s.io/v1: PriorityClass, named pod priorities.

use serde::Deserialize;

use crate::meta::ObjectMeta;
use crate::resource::resource;

/// A PriorityClass: maps a name (used in a pod's `priorityClassName`) to a priority
/// value, and says whether such pods may preempt others.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PriorityClass {
    /// Standard object metadata.
    #[serde(default)]
    pub metadata: ObjectMeta,
    /// The priority; higher runs first. User classes go up to 1,000,000,000 (always
    /// written).
    #[serde(default)]
    pub value: i32,
    /// If true, pods without a `priorityClassName` get this class (at most one class
    /// should set it).
    #[serde(default)]
    pub global_default: bool,
    /// What the class is meant for.
    #[serde(default)]
    pub description: String,
    /// `PreemptLowerPriority` (the default) or `Never` (such pods wait instead of
    /// evicting others).
    #[serde(default)]
    pub preemption_policy: Option<String>,
}

resource! {
    PriorityClass {
        group: "scheduling.k8s.io",
        version: "v1",
        api_version: "scheduling.k8s.io/v1",
        plural: "priorityclasses",
        scope: Cluster,
    }
    fields {
        [value, "value"]
        [global_default, "globalDefault", omitempty]
        [description, "description", omitempty]
        [preemption_policy, "preemptionPolicy", omitempty]
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::apps_v1::test_support::{json, round_trip, same_as_k8s_openapi};

    const PRIORITY_CLASS: &str = r#"
apiVersion: scheduling.k8s.io/v1
kind: PriorityClass
metadata:
  name: high-priority
value: 1000000
globalDefault: true
description: For latency-critical services.
preemptionPolicy: Never
"#;

    #[test]
    fn priority_class_round_trips() {
        let p: PriorityClass = round_trip(PRIORITY_CLASS);
        same_as_k8s_openapi::<k8s_openapi::api::scheduling::v1::PriorityClass>(PRIORITY_CLASS);
        assert_eq!(p.value, 1_000_000);
        assert!(p.global_default);
        assert_eq!(p.preemption_policy.as_deref(), Some("Never"));
    }

    #[test]
    fn value_is_always_written() {
        assert_eq!(
            json(&PriorityClass::default()),
            r#"{"apiVersion":"scheduling.k8s.io/v1","kind":"PriorityClass","metadata":{},"value":0}"#
        );
        let err = crate::decode::from_value::<PriorityClass>(serde_json::json!({
            "value": 3_000_000_000_i64
        }))
        .unwrap_err();
        assert!(err.to_string().starts_with("value"), "{err}");
    }
}
