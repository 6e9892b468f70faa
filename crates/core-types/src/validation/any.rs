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

#[cfg(test)]
mod tests {
    use crate::decode::objects_from_yaml;

    fn errors(yaml: &str) -> String {
        let object = objects_from_yaml(yaml).remove(0).expect("decodes");
        object
            .validate()
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default()
    }

    #[test]
    fn typed_objects_use_their_kind_rules() {
        let pod = "apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec: {restartPolicy: Always, dnsPolicy: ClusterFirst, containers: []}";
        assert_eq!(errors(pod), "spec.containers: Required value");
    }

    #[test]
    fn dynamic_objects_get_metadata_checks_only() {
        let ok = "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w.1, namespace: default}\nspec: {anything: [1, 2]}";
        assert_eq!(errors(ok), "");
        let cluster = "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}";
        assert_eq!(errors(cluster), "");
        let bad = "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: W_1, namespace: Bad}";
        assert_eq!(
            errors(bad),
            "[metadata.name: Invalid value: \"W_1\": an RFC 1123 subdomain may hold only lower-case \
             letters, digits, '-' and '.', and must start and end with a letter or digit (for \
             example 'example.com'), metadata.namespace: Invalid value: \"Bad\": an RFC 1123 label \
             may hold only lower-case letters, digits and '-', and must start and end with a letter \
             or digit (for example 'web' or 'web-1')]"
        );
    }
}
