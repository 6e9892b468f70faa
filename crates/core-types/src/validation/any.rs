//! Validation of an [`AnyObject`]: the kind's own rules, or metadata only for kinds the
//! framework does not model.

use super::{Validate, ValidationErrors, names, validate_object_meta};
use crate::decode::AnyObject;
use crate::resource::Scope;

impl AnyObject {
    /// Checks the object with its kind's rules. A [`Dynamic`](AnyObject::Dynamic)
    /// object's kind is unknown, so only its metadata is checked: the name as a DNS
    /// subdomain, and the namespace's format (not whether the kind may have one).
    pub fn validate(&self) -> Result<(), ValidationErrors> {
        match self {
            Self::Pod(o) => o.validate(),
            Self::Node(o) => o.validate(),
            Self::Namespace(o) => o.validate(),
            Self::Service(o) => o.validate(),
            Self::Endpoints(o) => o.validate(),
            Self::ConfigMap(o) => o.validate(),
            Self::Secret(o) => o.validate(),
            Self::Event(o) => o.validate(),
            Self::ServiceAccount(o) => o.validate(),
            Self::ReplicationController(o) => o.validate(),
            Self::PersistentVolume(o) => o.validate(),
            Self::PersistentVolumeClaim(o) => o.validate(),
            Self::Deployment(o) => o.validate(),
            Self::ReplicaSet(o) => o.validate(),
            Self::StatefulSet(o) => o.validate(),
            Self::DaemonSet(o) => o.validate(),
            Self::ControllerRevision(o) => o.validate(),
            Self::Job(o) => o.validate(),
            Self::CronJob(o) => o.validate(),
            Self::Ingress(o) => o.validate(),
            Self::Lease(o) => o.validate(),
            Self::HorizontalPodAutoscaler(o) => o.validate(),
            Self::Role(o) => o.validate(),
            Self::ClusterRole(o) => o.validate(),
            Self::RoleBinding(o) => o.validate(),
            Self::ClusterRoleBinding(o) => o.validate(),
            Self::PriorityClass(o) => o.validate(),
            Self::PodDisruptionBudget(o) => o.validate(),
            Self::Dynamic(o) => {
                let mut errs = ValidationErrors::default();
                // The scope is unknown: `Namespaced` checks the namespace's format only.
                validate_object_meta(
                    &o.metadata,
                    Scope::Namespaced,
                    names::dns1123_subdomain,
                    &mut errs,
                );
                errs.into_result()
            }
        }
    }
}
