//! apps/v1: Deployment, ReplicaSet, StatefulSet, DaemonSet and ControllerRevision.

use super::pod::pod_spec;
use super::{ApplyDefaults, default_opt, default_str};
use crate::IntOrString;
use crate::apps_v1::{ControllerRevision, DaemonSet, Deployment, ReplicaSet, StatefulSet};

/// How many old revisions workloads keep by default.
const REVISION_HISTORY_LIMIT: i32 = 10;

/// Deployment defaults:
/// - `spec.replicas`: 1.
/// - `spec.strategy.type`: `RollingUpdate`; for a rolling update,
///   `spec.strategy.rollingUpdate.maxUnavailable` and `.maxSurge`: `25%`.
/// - `spec.revisionHistoryLimit`: 10.
/// - `spec.progressDeadlineSeconds`: 600.
/// - `spec.template.spec`: the pod spec defaults.
impl ApplyDefaults for Deployment {
    fn apply_defaults(&mut self) {
        let spec = &mut self.spec;
        default_opt(&mut spec.replicas, 1);
        let strategy = &mut spec.strategy;
        default_str(&mut strategy.type_, "RollingUpdate");
        if strategy.type_ == "RollingUpdate" {
            let rolling = strategy.rolling_update.get_or_insert_with(Default::default);
            default_opt(
                &mut rolling.max_unavailable,
                IntOrString::String("25%".into()),
            );
            default_opt(&mut rolling.max_surge, IntOrString::String("25%".into()));
        }
        default_opt(&mut spec.revision_history_limit, REVISION_HISTORY_LIMIT);
        default_opt(&mut spec.progress_deadline_seconds, 600);
        pod_spec(&mut spec.template.spec);
    }
}

/// ReplicaSet defaults:
/// - `spec.replicas`: 1.
/// - `spec.template.spec`: the pod spec defaults.
impl ApplyDefaults for ReplicaSet {
    fn apply_defaults(&mut self) {
        default_opt(&mut self.spec.replicas, 1);
        pod_spec(&mut self.spec.template.spec);
    }
}

/// StatefulSet defaults:
/// - `spec.podManagementPolicy`: `OrderedReady`.
/// - `spec.updateStrategy.type`: `RollingUpdate`, with `rollingUpdate: {}` when the type
///   was unset; `spec.updateStrategy.rollingUpdate.partition`: 0 when `rollingUpdate` is
///   present on a rolling update.
/// - `spec.persistentVolumeClaimRetentionPolicy.whenDeleted` and `.whenScaled`: `Retain`.
/// - `spec.replicas`: 1.
/// - `spec.revisionHistoryLimit`: 10.
/// - `spec.template.spec`: the pod spec defaults.
/// - `spec.volumeClaimTemplates[*]`: the PersistentVolumeClaim defaults (including
///   `status.phase: Pending`, as Kubernetes writes it).
impl ApplyDefaults for StatefulSet {
    fn apply_defaults(&mut self) {
        let spec = &mut self.spec;
        default_str(&mut spec.pod_management_policy, "OrderedReady");
        let strategy = &mut spec.update_strategy;
        if strategy.type_.is_empty() {
            strategy.type_ = "RollingUpdate".into();
            strategy.rolling_update.get_or_insert_with(Default::default);
        }
        if strategy.type_ == "RollingUpdate" {
            if let Some(rolling) = &mut strategy.rolling_update {
                default_opt(&mut rolling.partition, 0);
            }
        }
        let retention = spec
            .persistent_volume_claim_retention_policy
            .get_or_insert_with(Default::default);
        default_str(&mut retention.when_deleted, "Retain");
        default_str(&mut retention.when_scaled, "Retain");
        default_opt(&mut spec.replicas, 1);
        default_opt(&mut spec.revision_history_limit, REVISION_HISTORY_LIMIT);
        pod_spec(&mut spec.template.spec);
        for claim in &mut spec.volume_claim_templates {
            claim.apply_defaults();
        }
    }
}

/// DaemonSet defaults:
/// - `spec.updateStrategy.type`: `RollingUpdate`; for a rolling update,
///   `spec.updateStrategy.rollingUpdate.maxUnavailable`: 1 and `.maxSurge`: 0.
/// - `spec.revisionHistoryLimit`: 10.
/// - `spec.template.spec`: the pod spec defaults.
impl ApplyDefaults for DaemonSet {
    fn apply_defaults(&mut self) {
        let spec = &mut self.spec;
        let strategy = &mut spec.update_strategy;
        default_str(&mut strategy.type_, "RollingUpdate");
        if strategy.type_ == "RollingUpdate" {
            let rolling = strategy.rolling_update.get_or_insert_with(Default::default);
            default_opt(&mut rolling.max_unavailable, IntOrString::Int(1));
            default_opt(&mut rolling.max_surge, IntOrString::Int(0));
        }
        default_opt(&mut spec.revision_history_limit, REVISION_HISTORY_LIMIT);
        pod_spec(&mut spec.template.spec);
    }
}

/// ControllerRevision: Kubernetes defines no defaults (its `data` is opaque).
impl ApplyDefaults for ControllerRevision {
    fn apply_defaults(&mut self) {}
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decode::{AnyObject, objects_from_yaml};

    fn decode<T>(yaml: &str, pick: impl Fn(AnyObject) -> Option<T>) -> T {
        let obj = objects_from_yaml(yaml).remove(0).unwrap();
        pick(obj).unwrap()
    }

    fn twice<T: ApplyDefaults + Clone + PartialEq + std::fmt::Debug>(mut obj: T) -> T {
        obj.apply_defaults();
        let once = obj.clone();
        obj.apply_defaults();
        assert_eq!(obj, once, "defaulting twice changed the object");
        obj
    }

    const TEMPLATE: &str = "  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n      - name: web\n        image: nginx:1.27\n";

    #[test]
    fn deployment() {
        let yaml = format!(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: web}}\nspec:\n  selector: {{matchLabels: {{app: web}}}}\n{TEMPLATE}"
        );
        let d = twice(decode(&yaml, |o| match o {
            AnyObject::Deployment(d) => Some(d),
            _ => None,
        }));
        assert_eq!(d.spec.replicas, Some(1));
        assert_eq!(d.spec.strategy.type_, "RollingUpdate");
        let rolling = d.spec.strategy.rolling_update.as_ref().unwrap();
        assert_eq!(
            rolling.max_unavailable,
            Some(IntOrString::String("25%".into()))
        );
        assert_eq!(rolling.max_surge, Some(IntOrString::String("25%".into())));
        assert_eq!(d.spec.revision_history_limit, Some(10));
        assert_eq!(d.spec.progress_deadline_seconds, Some(600));
        let pod = &d.spec.template.spec;
        assert_eq!(pod.restart_policy, "Always");
        assert_eq!(pod.containers[0].image_pull_policy, "IfNotPresent");
        // Templates do not get the pod-only defaults.
        assert_eq!(pod.enable_service_links, None);

        // Explicit values stay, `Recreate` gets no rolling-update parameters.
        let mut d = Deployment::default();
        d.spec.replicas = Some(0);
        d.spec.revision_history_limit = Some(0);
        d.spec.strategy.type_ = "Recreate".into();
        let d = twice(d);
        assert_eq!(d.spec.replicas, Some(0));
        assert_eq!(d.spec.revision_history_limit, Some(0));
        assert_eq!(d.spec.strategy.rolling_update, None);
    }

    #[test]
    fn replica_set() {
        let mut rs = ReplicaSet::default();
        rs.spec.template.spec.restart_policy = "Never".into();
        let rs = twice(rs);
        assert_eq!(rs.spec.replicas, Some(1));
        assert_eq!(rs.spec.template.spec.restart_policy, "Never");
        assert_eq!(rs.spec.template.spec.dns_policy, "ClusterFirst");
        let mut rs = ReplicaSet::default();
        rs.spec.replicas = Some(0);
        assert_eq!(twice(rs).spec.replicas, Some(0));
    }

    #[test]
    fn stateful_set() {
        let yaml = format!(
            "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {{name: db}}\nspec:\n  serviceName: db\n  selector: {{matchLabels: {{app: web}}}}\n  volumeClaimTemplates:\n  - metadata: {{name: data}}\n    spec:\n      accessModes: [ReadWriteOnce]\n      resources: {{requests: {{storage: 1Gi}}}}\n{TEMPLATE}"
        );
        let s = twice(decode(&yaml, |o| match o {
            AnyObject::StatefulSet(s) => Some(s),
            _ => None,
        }));
        assert_eq!(s.spec.replicas, Some(1));
        assert_eq!(s.spec.pod_management_policy, "OrderedReady");
        assert_eq!(s.spec.update_strategy.type_, "RollingUpdate");
        let rolling = s.spec.update_strategy.rolling_update.as_ref().unwrap();
        assert_eq!(rolling.partition, Some(0));
        assert_eq!(rolling.max_unavailable, None);
        let retention = s
            .spec
            .persistent_volume_claim_retention_policy
            .as_ref()
            .unwrap();
        assert_eq!(
            (
                retention.when_deleted.as_str(),
                retention.when_scaled.as_str()
            ),
            ("Retain", "Retain")
        );
        assert_eq!(s.spec.revision_history_limit, Some(10));
        let claim = &s.spec.volume_claim_templates[0];
        assert_eq!(claim.spec.volume_mode.as_deref(), Some("Filesystem"));
        assert_eq!(claim.status.phase, "Pending");
        assert_eq!(s.spec.template.spec.scheduler_name, "default-scheduler");

        // `OnDelete` gets no rolling update; an explicit rolling update without
        // parameters gets none either, as in Kubernetes.
        let mut s = StatefulSet::default();
        s.spec.update_strategy.type_ = "OnDelete".into();
        s.spec.pod_management_policy = "Parallel".into();
        let s = twice(s);
        assert_eq!(s.spec.update_strategy.rolling_update, None);
        assert_eq!(s.spec.pod_management_policy, "Parallel");
        let mut s = StatefulSet::default();
        s.spec.update_strategy.type_ = "RollingUpdate".into();
        assert_eq!(twice(s).spec.update_strategy.rolling_update, None);
    }

    #[test]
    fn daemon_set() {
        let d = twice(DaemonSet::default());
        assert_eq!(d.spec.update_strategy.type_, "RollingUpdate");
        let rolling = d.spec.update_strategy.rolling_update.as_ref().unwrap();
        assert_eq!(rolling.max_unavailable, Some(IntOrString::Int(1)));
        assert_eq!(rolling.max_surge, Some(IntOrString::Int(0)));
        assert_eq!(d.spec.revision_history_limit, Some(10));
        assert_eq!(
            d.spec.template.spec.termination_grace_period_seconds,
            Some(30)
        );

        let mut d = DaemonSet::default();
        d.spec.update_strategy.type_ = "OnDelete".into();
        assert_eq!(twice(d).spec.update_strategy.rolling_update, None);
    }
}
