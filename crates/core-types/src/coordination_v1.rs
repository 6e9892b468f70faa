//! coordination.k8s.io/v1: Lease, a lock with a holder and an expiry (leader election,
//! node heartbeats).

use serde::{Deserialize, Serialize};

use crate::meta::ObjectMeta;
use crate::resource::resource;
use crate::time::MicroTime;

/// A Lease: records who holds a lock and until when it is valid without renewal.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct Lease {
    /// Standard object metadata.
    #[serde(default)]
    pub metadata: ObjectMeta,
    /// The lease's holder and timing.
    #[serde(default)]
    pub spec: LeaseSpec,
}

resource! {
    Lease {
        group: "coordination.k8s.io",
        version: "v1",
        api_version: "coordination.k8s.io/v1",
        plural: "leases",
        scope: Namespaced,
    }
    fields { [spec, "spec"] }
}

/// Holder and timing of a Lease.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LeaseSpec {
    /// Identity of the current holder.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub holder_identity: Option<String>,
    /// Seconds the lease stays valid after `renewTime` without a renewal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lease_duration_seconds: Option<i32>,
    /// When the current holder acquired the lease.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acquire_time: Option<MicroTime>,
    /// When the current holder last renewed the lease.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub renew_time: Option<MicroTime>,
    /// How many times the lease changed holder.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lease_transitions: Option<i32>,
    /// How the next holder is chosen under coordinated leader election
    /// (e.g. `OldestEmulationVersion`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub strategy: Option<String>,
    /// The identity that should take the lease next, under coordinated leader election.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preferred_holder: Option<String>,
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::apps_v1::test_support::{json, round_trip, same_as_k8s_openapi};

    const LEASE: &str = r#"
apiVersion: coordination.k8s.io/v1
kind: Lease
metadata:
  name: kube-scheduler
  namespace: kube-system
spec:
  holderIdentity: node-1_0b1c
  leaseDurationSeconds: 15
  acquireTime: "2024-05-01T12:00:00.123456Z"
  renewTime: "2024-05-01T12:03:30.000001Z"
  leaseTransitions: 3
  strategy: OldestEmulationVersion
  preferredHolder: node-2_77aa
"#;

    #[test]
    fn full_lease_round_trips_with_micro_times() {
        let l: Lease = round_trip(LEASE);
        same_as_k8s_openapi::<k8s_openapi::api::coordination::v1::Lease>(LEASE);
        assert_eq!(l.spec.lease_duration_seconds, Some(15));
        let renew = l.spec.renew_time.unwrap();
        assert_eq!(renew.unix_micros() % 1_000_000, 1);
    }

    #[test]
    fn empty_lease_and_go_order() {
        assert_eq!(
            json(&Lease::default()),
            r#"{"apiVersion":"coordination.k8s.io/v1","kind":"Lease","metadata":{},"spec":{}}"#
        );
        let spec = LeaseSpec {
            holder_identity: Some("a".into()),
            lease_duration_seconds: Some(10),
            lease_transitions: Some(0),
            preferred_holder: Some("b".into()),
            ..Default::default()
        };
        assert_eq!(
            json(&spec),
            r#"{"holderIdentity":"a","leaseDurationSeconds":10,"leaseTransitions":0,"preferredHolder":"b"}"#
        );
        let err = crate::decode::from_value::<Lease>(serde_json::json!({
            "spec": {"renewTime": "yesterday"}
        }))
        .unwrap_err();
        assert!(err.to_string().starts_with("spec.renewTime"), "{err}");
    }
}
