//! Defaulting an object of any kind.

use super::ApplyDefaults;
use crate::decode::AnyObject;

impl AnyObject {
    /// Applies the defaults of the object's kind (see [`ApplyDefaults`]); objects of
    /// kinds the framework does not model ([`AnyObject::Dynamic`]) are left alone.
    pub fn apply_defaults(&mut self) {
        match self {
            Self::Pod(o) => o.apply_defaults(),
            Self::Node(o) => o.apply_defaults(),
            Self::Namespace(o) => o.apply_defaults(),
            Self::Service(o) => o.apply_defaults(),
            Self::Endpoints(o) => o.apply_defaults(),
            Self::ConfigMap(o) => o.apply_defaults(),
            Self::Secret(o) => o.apply_defaults(),
            Self::Event(o) => o.apply_defaults(),
            Self::ServiceAccount(o) => o.apply_defaults(),
            Self::ReplicationController(o) => o.apply_defaults(),
            Self::PersistentVolume(o) => o.apply_defaults(),
            Self::PersistentVolumeClaim(o) => o.apply_defaults(),
            Self::Deployment(o) => o.apply_defaults(),
            Self::ReplicaSet(o) => o.apply_defaults(),
            Self::StatefulSet(o) => o.apply_defaults(),
            Self::DaemonSet(o) => o.apply_defaults(),
            Self::ControllerRevision(o) => o.apply_defaults(),
            Self::Job(o) => o.apply_defaults(),
            Self::CronJob(o) => o.apply_defaults(),
            Self::Ingress(o) => o.apply_defaults(),
            Self::Lease(o) => o.apply_defaults(),
            Self::HorizontalPodAutoscaler(o) => o.apply_defaults(),
            Self::Role(o) => o.apply_defaults(),
            Self::ClusterRole(o) => o.apply_defaults(),
            Self::RoleBinding(o) => o.apply_defaults(),
            Self::ClusterRoleBinding(o) => o.apply_defaults(),
            Self::PriorityClass(o) => o.apply_defaults(),
            Self::PodDisruptionBudget(o) => o.apply_defaults(),
            Self::Dynamic(_) => {}
        }
    }
}
