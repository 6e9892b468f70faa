//! Owner references: how a child names the object that owns it.

use core_types::core_v1::ObjectReference;
use core_types::{OwnerReference, Resource};

/// Why an owner reference could not be set.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum OwnerError {
    /// The owner has no uid yet (it was not read back from the server).
    #[error("the owner {0:?} has no uid; use the object as stored")]
    NoUid(String),
    /// Another object is already the child's controller.
    #[error("already controlled by {kind} {name:?}")]
    AlreadyControlled {
        /// The controlling owner's kind.
        kind: String,
        /// The controlling owner's name.
        name: String,
    },
    /// A namespaced owner in another namespace than the child.
    #[error("an owner in namespace {owner:?} cannot own an object in {child:?}")]
    CrossNamespace {
        /// The owner's namespace.
        owner: String,
        /// The child's namespace.
        child: String,
    },
}

/// The reference a child keeps to `owner` as its controller (`controller: true`,
/// `blockOwnerDeletion: true`). `dyn_type` is `&()` for built-in kinds.
pub fn controller_reference<K: Resource>(
    owner: &K,
    dyn_type: &K::DynamicType,
) -> Result<OwnerReference, OwnerError> {
    let meta = owner.meta();
    if meta.uid.is_empty() {
        return Err(OwnerError::NoUid(meta.name.clone()));
    }
    let resource = K::api_resource(dyn_type);
    Ok(OwnerReference {
        api_version: resource.api_version().into_owned(),
        kind: resource.kind.to_string(),
        name: meta.name.clone(),
        uid: meta.uid.clone(),
        controller: Some(true),
        block_owner_deletion: Some(true),
    })
}

/// Makes `owner` the controller of `child`: adds the reference (or refreshes an
/// existing one to the same uid). Fails if another object already controls the child,
/// or if a namespaced owner is in another namespace.
pub fn set_controller_reference<K: Resource, C: Resource>(
    child: &mut C,
    owner: &K,
    dyn_type: &K::DynamicType,
) -> Result<(), OwnerError> {
    let reference = controller_reference(owner, dyn_type)?;
    let owner_ns = &owner.meta().namespace;
    let child_meta = child.meta_mut();
    if K::api_resource(dyn_type).is_namespaced() && *owner_ns != child_meta.namespace {
        return Err(OwnerError::CrossNamespace {
            owner: owner_ns.clone(),
            child: child_meta.namespace.clone(),
        });
    }
    if let Some(existing) = child_meta.controller_ref() {
        if existing.uid != reference.uid {
            return Err(OwnerError::AlreadyControlled {
                kind: existing.kind.clone(),
                name: existing.name.clone(),
            });
        }
    }
    match child_meta
        .owner_references
        .iter_mut()
        .find(|r| r.uid == reference.uid)
    {
        Some(existing) => *existing = reference,
        None => child_meta.owner_references.push(reference),
    }
    Ok(())
}

/// True if `child` names `owner` (by uid) among its owners.
pub fn is_owned_by<C: Resource, K: Resource>(child: &C, owner: &K) -> bool {
    let uid = &owner.meta().uid;
    !uid.is_empty() && child.meta().owner_references.iter().any(|r| &r.uid == uid)
}

/// A reference to `object` (for events' `involvedObject`). `dyn_type` is `&()` for
/// built-in kinds.
pub fn object_reference<K: Resource>(object: &K, dyn_type: &K::DynamicType) -> ObjectReference {
    let resource = K::api_resource(dyn_type);
    let meta = object.meta();
    ObjectReference {
        kind: resource.kind.to_string(),
        namespace: meta.namespace.clone(),
        name: meta.name.clone(),
        uid: meta.uid.clone(),
        api_version: resource.api_version().into_owned(),
        resource_version: meta.resource_version.clone(),
        field_path: String::new(),
    }
}

#[cfg(test)]
mod tests {
    use core_types::ObjectMeta;
    use core_types::apps_v1::{Deployment, ReplicaSet};

    use super::*;

    fn deployment(ns: &str, name: &str, uid: &str) -> Deployment {
        let mut metadata = ObjectMeta::named(ns, name);
        metadata.uid = uid.into();
        Deployment {
            metadata,
            ..Deployment::default()
        }
    }

    #[test]
    fn sets_and_refreshes_the_controller() {
        let owner = deployment("ns", "web", "u1");
        let mut child = ReplicaSet {
            metadata: ObjectMeta::named("ns", "web-1"),
            ..ReplicaSet::default()
        };
        set_controller_reference(&mut child, &owner, &()).unwrap();
        set_controller_reference(&mut child, &owner, &()).unwrap();
        let refs = &child.metadata.owner_references;
        assert_eq!(refs.len(), 1);
        assert_eq!(refs[0].api_version, "apps/v1");
        assert_eq!(refs[0].kind, "Deployment");
        assert_eq!(refs[0].controller, Some(true));
        assert!(is_owned_by(&child, &owner));
        let other = deployment("ns", "other", "u2");
        assert!(matches!(
            set_controller_reference(&mut child, &other, &()),
            Err(OwnerError::AlreadyControlled { .. })
        ));
        let elsewhere = deployment("other-ns", "x", "u3");
        let mut fresh = ReplicaSet::default();
        fresh.metadata.namespace = "ns".into();
        assert!(matches!(
            set_controller_reference(&mut fresh, &elsewhere, &()),
            Err(OwnerError::CrossNamespace { .. })
        ));
        assert!(matches!(
            controller_reference(&deployment("ns", "new", ""), &()),
            Err(OwnerError::NoUid(_))
        ));
        let reference = object_reference(&owner, &());
        assert_eq!(
            (reference.kind.as_str(), reference.uid.as_str()),
            ("Deployment", "u1")
        );
    }
}
