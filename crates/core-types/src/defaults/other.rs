//! The kinds of the smaller API groups: autoscaling/v2, rbac/v1, scheduling/v1,
//! policy/v1, networking/v1 and coordination/v1.

use super::{ApplyDefaults, default_opt, default_opt_str, default_str};
use crate::autoscaling_v2::{
    HorizontalPodAutoscaler, HpaScalingPolicy, HpaScalingRules, MetricSpec, MetricTarget,
    ResourceMetricSource,
};
use crate::coordination_v1::Lease;
use crate::networking_v1::Ingress;
use crate::policy_v1::PodDisruptionBudget;
use crate::rbac_v1::{ClusterRole, ClusterRoleBinding, Role, RoleBinding, RoleRef, Subject};
use crate::scheduling_v1::PriorityClass;

/// API group of RBAC roles, users and groups.
const RBAC_GROUP: &str = "rbac.authorization.k8s.io";

/// Target CPU utilization of an autoscaler without metrics, in percent.
const DEFAULT_CPU_UTILIZATION: i32 = 80;

/// HorizontalPodAutoscaler defaults:
/// - `spec.minReplicas`: 1.
/// - `spec.metrics`: when empty, one `Resource` metric: `cpu` at 80% average utilization.
/// - `spec.behavior`, when present: each missing field of `scaleUp` and `scaleDown` is
///   filled in. `scaleUp`: `stabilizationWindowSeconds` 0, `selectPolicy` `Max`,
///   `policies` 4 pods and 100% per 15 seconds. `scaleDown`: `selectPolicy` `Max`,
///   `policies` 100% per 15 seconds (its stabilization window stays unset: the
///   controller's own setting, 300 seconds by default, applies).
impl ApplyDefaults for HorizontalPodAutoscaler {
    fn apply_defaults(&mut self) {
        let spec = &mut self.spec;
        default_opt(&mut spec.min_replicas, 1);
        if spec.metrics.is_empty() {
            spec.metrics.push(MetricSpec {
                type_: "Resource".into(),
                resource: Some(ResourceMetricSource {
                    name: "cpu".into(),
                    target: MetricTarget {
                        type_: "Utilization".into(),
                        average_utilization: Some(DEFAULT_CPU_UTILIZATION),
                        ..Default::default()
                    },
                }),
                ..Default::default()
            });
        }
        if let Some(behavior) = &mut spec.behavior {
            let up = behavior.scale_up.get_or_insert_with(Default::default);
            scaling_rules(
                up,
                Some(0),
                &[policy("Pods", 4, 15), policy("Percent", 100, 15)],
            );
            let down = behavior.scale_down.get_or_insert_with(Default::default);
            scaling_rules(down, None, &[policy("Percent", 100, 15)]);
        }
    }
}

/// A scaling policy: `value` pods or percent per `period_seconds`.
fn policy(type_: &str, value: i32, period_seconds: i32) -> HpaScalingPolicy {
    HpaScalingPolicy {
        type_: type_.into(),
        value,
        period_seconds,
    }
}

/// Fills the unset fields of one direction's scaling rules.
fn scaling_rules(rules: &mut HpaScalingRules, window: Option<i32>, policies: &[HpaScalingPolicy]) {
    if let Some(w) = window {
        default_opt(&mut rules.stabilization_window_seconds, w);
    }
    default_opt_str(&mut rules.select_policy, "Max");
    if rules.policies.is_empty() {
        rules.policies = policies.to_vec();
    }
}

/// The subjects' and role reference's API groups of a binding.
fn binding(subjects: &mut [Subject], role_ref: &mut RoleRef) {
    default_str(&mut role_ref.api_group, RBAC_GROUP);
    for s in subjects {
        if matches!(s.kind.as_str(), "User" | "Group") {
            default_str(&mut s.api_group, RBAC_GROUP);
        }
    }
}

/// RoleBinding defaults:
/// - `roleRef.apiGroup`: `rbac.authorization.k8s.io`.
/// - `subjects[*].apiGroup`: `rbac.authorization.k8s.io` for `User` and `Group`
///   subjects (service accounts keep the empty core group).
impl ApplyDefaults for RoleBinding {
    fn apply_defaults(&mut self) {
        binding(&mut self.subjects, &mut self.role_ref);
    }
}

/// ClusterRoleBinding defaults:
/// - `roleRef.apiGroup`: `rbac.authorization.k8s.io`.
/// - `subjects[*].apiGroup`: `rbac.authorization.k8s.io` for `User` and `Group`
///   subjects (service accounts keep the empty core group).
impl ApplyDefaults for ClusterRoleBinding {
    fn apply_defaults(&mut self) {
        binding(&mut self.subjects, &mut self.role_ref);
    }
}

/// Role: Kubernetes defines no defaults.
impl ApplyDefaults for Role {
    fn apply_defaults(&mut self) {}
}

/// ClusterRole: Kubernetes defines no defaults.
impl ApplyDefaults for ClusterRole {
    fn apply_defaults(&mut self) {}
}

/// PriorityClass defaults:
/// - `preemptionPolicy`: `PreemptLowerPriority`.
impl ApplyDefaults for PriorityClass {
    fn apply_defaults(&mut self) {
        default_opt_str(&mut self.preemption_policy, "PreemptLowerPriority");
    }
}

/// PodDisruptionBudget: Kubernetes defines no defaults (`unhealthyPodEvictionPolicy`
/// unset means `IfHealthyBudget`, but is not filled in).
impl ApplyDefaults for PodDisruptionBudget {
    fn apply_defaults(&mut self) {}
}

/// Ingress: Kubernetes defines no defaults (`pathType` is required, not defaulted, in
/// networking/v1).
impl ApplyDefaults for Ingress {
    fn apply_defaults(&mut self) {}
}

/// Lease: Kubernetes defines no defaults.
impl ApplyDefaults for Lease {
    fn apply_defaults(&mut self) {}
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::autoscaling_v2::HorizontalPodAutoscalerBehavior;

    fn twice<T: ApplyDefaults + Clone + PartialEq + std::fmt::Debug>(mut obj: T) -> T {
        obj.apply_defaults();
        let once = obj.clone();
        obj.apply_defaults();
        assert_eq!(obj, once, "defaulting twice changed the object");
        obj
    }

    #[test]
    fn hpa_min_replicas_and_metrics() {
        let hpa = twice(HorizontalPodAutoscaler::default());
        assert_eq!(hpa.spec.min_replicas, Some(1));
        assert_eq!(hpa.spec.behavior, None);
        let v = serde_json::to_value(&hpa.spec.metrics).unwrap();
        assert_eq!(
            v,
            serde_json::json!([{"type": "Resource", "resource": {"name": "cpu",
                "target": {"type": "Utilization", "averageUtilization": 80}}}])
        );

        let mut hpa = HorizontalPodAutoscaler::default();
        hpa.spec.min_replicas = Some(0);
        hpa.spec.metrics.push(MetricSpec {
            type_: "Pods".into(),
            ..Default::default()
        });
        let hpa = twice(hpa);
        assert_eq!(hpa.spec.min_replicas, Some(0));
        assert_eq!(hpa.spec.metrics.len(), 1);
        assert_eq!(hpa.spec.metrics[0].type_, "Pods");
    }

    #[test]
    fn hpa_behavior() {
        let mut hpa = HorizontalPodAutoscaler::default();
        hpa.spec.behavior = Some(HorizontalPodAutoscalerBehavior {
            scale_up: None,
            scale_down: Some(HpaScalingRules {
                stabilization_window_seconds: Some(60),
                ..Default::default()
            }),
        });
        let hpa = twice(hpa);
        let b = hpa.spec.behavior.unwrap();
        let up = b.scale_up.unwrap();
        assert_eq!(up.stabilization_window_seconds, Some(0));
        assert_eq!(up.select_policy.as_deref(), Some("Max"));
        assert_eq!(
            up.policies,
            vec![policy("Pods", 4, 15), policy("Percent", 100, 15)]
        );
        let down = b.scale_down.unwrap();
        assert_eq!(down.stabilization_window_seconds, Some(60));
        assert_eq!(down.select_policy.as_deref(), Some("Max"));
        assert_eq!(down.policies, vec![policy("Percent", 100, 15)]);

        let mut hpa = HorizontalPodAutoscaler::default();
        hpa.spec.behavior = Some(HorizontalPodAutoscalerBehavior {
            scale_up: Some(HpaScalingRules {
                select_policy: Some("Disabled".into()),
                policies: vec![policy("Pods", 1, 60)],
                ..Default::default()
            }),
            scale_down: None,
        });
        let b = twice(hpa).spec.behavior.unwrap();
        let up = b.scale_up.unwrap();
        assert_eq!(up.select_policy.as_deref(), Some("Disabled"));
        assert_eq!(up.policies, vec![policy("Pods", 1, 60)]);
        assert_eq!(b.scale_down.unwrap().stabilization_window_seconds, None);
    }

    #[test]
    fn bindings() {
        let subjects = vec![
            Subject {
                kind: "User".into(),
                name: "jane".into(),
                ..Default::default()
            },
            Subject {
                kind: "Group".into(),
                name: "devs".into(),
                ..Default::default()
            },
            Subject {
                kind: "ServiceAccount".into(),
                name: "default".into(),
                namespace: "ns".into(),
                ..Default::default()
            },
            Subject {
                kind: "User".into(),
                api_group: "example.com".into(),
                name: "x".into(),
                ..Default::default()
            },
        ];
        let role_ref = RoleRef {
            kind: "Role".into(),
            name: "reader".into(),
            ..Default::default()
        };
        let rb = twice(RoleBinding {
            subjects: subjects.clone(),
            role_ref: role_ref.clone(),
            ..Default::default()
        });
        let crb = twice(ClusterRoleBinding {
            subjects,
            role_ref,
            ..Default::default()
        });
        for (subjects, role_ref) in [(&rb.subjects, &rb.role_ref), (&crb.subjects, &crb.role_ref)] {
            assert_eq!(role_ref.api_group, RBAC_GROUP);
            let groups: Vec<_> = subjects.iter().map(|s| s.api_group.as_str()).collect();
            assert_eq!(groups, [RBAC_GROUP, RBAC_GROUP, "", "example.com"]);
        }
    }

    #[test]
    fn priority_class() {
        let pc = twice(PriorityClass::default());
        assert_eq!(
            pc.preemption_policy.as_deref(),
            Some("PreemptLowerPriority")
        );
        let pc = twice(PriorityClass {
            preemption_policy: Some("Never".into()),
            ..Default::default()
        });
        assert_eq!(pc.preemption_policy.as_deref(), Some("Never"));
    }

    #[test]
    fn kinds_without_defaults_are_unchanged() {
        assert_eq!(twice(Role::default()), Role::default());
        assert_eq!(twice(ClusterRole::default()), ClusterRole::default());
        assert_eq!(
            twice(PodDisruptionBudget::default()),
            PodDisruptionBudget::default()
        );
        assert_eq!(twice(Ingress::default()), Ingress::default());
        assert_eq!(twice(Lease::default()), Lease::default());
    }
}
