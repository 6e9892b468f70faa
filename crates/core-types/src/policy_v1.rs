//! policy/v1: PodDisruptionBudget, limits on voluntary disruptions (evictions).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::IntOrString;
use crate::meta::{Condition, ObjectMeta};
use crate::resource::resource;
use crate::selector::LabelSelector;
use crate::serde_util::is_zero_i64;
use crate::time::Time;

/// A PodDisruptionBudget: how many of a set of pods must stay up (or may be down) when
/// pods are evicted voluntarily, e.g. while draining nodes.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct PodDisruptionBudget {
    /// Standard object metadata.
    #[serde(default)]
    pub metadata: ObjectMeta,
    /// The budget.
    #[serde(default)]
    pub spec: PodDisruptionBudgetSpec,
    /// Observed state, written by the disruption controller. Left out of the wire form
    /// while it is all zero (Go would write its zero counters, which read back the same).
    #[serde(default)]
    pub status: PodDisruptionBudgetStatus,
}

resource! {
    PodDisruptionBudget {
        group: "policy",
        version: "v1",
        api_version: "policy/v1",
        plural: "poddisruptionbudgets",
        scope: Namespaced,
    }
    fields { [spec, "spec"] [status, "status"] }
}

/// The budget of a PodDisruptionBudget: `minAvailable` or `maxUnavailable` (one of them).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PodDisruptionBudgetSpec {
    /// Pods (count or percentage) that must remain available after an eviction.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_available: Option<IntOrString>,
    /// The pods the budget covers; an empty selector covers every pod of the namespace.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selector: Option<LabelSelector>,
    /// Pods (count or percentage) that may be unavailable after an eviction.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_unavailable: Option<IntOrString>,
    /// When running but not-ready pods may be evicted: `IfHealthyBudget` (the default:
    /// only while the budget holds) or `AlwaysAllow`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unhealthy_pod_eviction_policy: Option<String>,
}

/// Observed state of a PodDisruptionBudget.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PodDisruptionBudgetStatus {
    /// The generation of the spec the controller last acted on.
    #[serde(default, skip_serializing_if = "is_zero_i64")]
    pub observed_generation: i64,
    /// Pods whose eviction the API has admitted but the controller has not yet seen
    /// go away, with the time of admission; stale entries are dropped after a while.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub disrupted_pods: BTreeMap<String, Time>,
    /// Evictions currently allowed (always written).
    #[serde(default)]
    pub disruptions_allowed: i32,
    /// Healthy pods currently covered (always written).
    #[serde(default)]
    pub current_healthy: i32,
    /// Healthy pods needed for the budget to hold (always written).
    #[serde(default)]
    pub desired_healthy: i32,
    /// Pods the budget covers in total (always written).
    #[serde(default)]
    pub expected_pods: i32,
    /// Current conditions (`DisruptionAllowed`).
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::serde_util::exact_vec"
    )]
    pub conditions: Vec<Condition>,
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::apps_v1::test_support::{json, round_trip, same_as_k8s_openapi};

    const PDB: &str = r#"
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: zk
  namespace: default
spec:
  minAvailable: 2
  selector:
    matchLabels:
      app: zookeeper
  unhealthyPodEvictionPolicy: AlwaysAllow
status:
  observedGeneration: 1
  disruptedPods:
    zk-1: "2024-05-01T12:00:00Z"
  disruptionsAllowed: 0
  currentHealthy: 2
  desiredHealthy: 2
  expectedPods: 3
  conditions:
  - type: DisruptionAllowed
    status: "False"
    observedGeneration: 1
    lastTransitionTime: "2024-05-01T12:00:00Z"
    reason: InsufficientPods
    message: ""
"#;

    #[test]
    fn full_pdb_round_trips() {
        let p: PodDisruptionBudget = round_trip(PDB);
        same_as_k8s_openapi::<k8s_openapi::api::policy::v1::PodDisruptionBudget>(PDB);
        assert_eq!(p.spec.min_available, Some(IntOrString::Int(2)));
        assert!(p.status.disrupted_pods.contains_key("zk-1"));
        assert_eq!(p.status.expected_pods, 3);
    }

    #[test]
    fn counters_are_written_in_a_status_with_content() {
        let spec = PodDisruptionBudgetSpec {
            max_unavailable: Some(IntOrString::String("10%".into())),
            ..Default::default()
        };
        assert_eq!(json(&spec), r#"{"maxUnavailable":"10%"}"#);
        let status = PodDisruptionBudgetStatus {
            observed_generation: 2,
            ..Default::default()
        };
        assert_eq!(
            json(&status),
            r#"{"observedGeneration":2,"disruptionsAllowed":0,"currentHealthy":0,"desiredHealthy":0,"expectedPods":0}"#
        );
        // Go always writes the status struct, with its required counters.
        assert!(
            json(&PodDisruptionBudget::default()).contains(r#""status":{"disruptionsAllowed":0"#)
        );
    }

    #[test]
    fn bad_input_is_an_error() {
        let err = crate::decode::from_value::<PodDisruptionBudget>(serde_json::json!({
            "status": {"disruptedPods": {"zk-0": "not a time"}}
        }))
        .unwrap_err();
        assert!(err.to_string().starts_with("status.disruptedPods"), "{err}");
    }
}
