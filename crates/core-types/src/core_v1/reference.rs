//! v1: the references one object keeps to another: `ObjectReference`,
//! `LocalObjectReference`, `TypedLocalObjectReference`, `TypedObjectReference` and
//! `SecretReference`.

use serde::{Deserialize, Serialize};

/// A reference to another object, possibly in another namespace, optionally narrowed to
/// a field inside it (`fieldPath`, e.g. `spec.containers{app}`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ObjectReference {
    /// Kind of the referenced object.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub kind: String,
    /// Namespace of the referenced object.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub namespace: String,
    /// Name of the referenced object.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// Uid of the referenced object.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub uid: String,
    /// API version of the referenced object.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub api_version: String,
    /// The resource version the reference was taken at.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub resource_version: String,
    /// A path to a part of the object rather than the whole, e.g. one container.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub field_path: String,
}

/// A reference by name to an object in the same namespace as the referrer.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LocalObjectReference {
    /// Name of the referenced object.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
}

/// A reference to an object of a given kind and API group in the same namespace
/// (a claim's `dataSource`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TypedLocalObjectReference {
    /// API group of the referenced kind; `None` means the core group.
    /// Always written (as `null` when unset), as Kubernetes does.
    #[serde(default)]
    pub api_group: Option<String>,
    /// Kind of the referenced object.
    #[serde(default)]
    pub kind: String,
    /// Name of the referenced object.
    #[serde(default)]
    pub name: String,
}

/// A reference to an object of a given kind and API group, possibly in another
/// namespace (a claim's `dataSourceRef`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TypedObjectReference {
    /// API group of the referenced kind; `None` means the core group.
    /// Always written (as `null` when unset), as Kubernetes does.
    #[serde(default)]
    pub api_group: Option<String>,
    /// Kind of the referenced object.
    #[serde(default)]
    pub kind: String,
    /// Name of the referenced object.
    #[serde(default)]
    pub name: String,
    /// Namespace of the referenced object; unset means the referrer's namespace.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
}

/// A reference to a secret by name and namespace (used by persistent volume sources,
/// which have no namespace of their own).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SecretReference {
    /// Name of the secret.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// Namespace of the secret.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub namespace: String,
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn references_encode_like_kubernetes() {
        let r = ObjectReference {
            kind: "Pod".into(),
            namespace: "default".into(),
            name: "web".into(),
            field_path: "spec.containers{app}".into(),
            ..ObjectReference::default()
        };
        assert_eq!(
            serde_json::to_string(&r).unwrap(),
            r#"{"kind":"Pod","namespace":"default","name":"web","fieldPath":"spec.containers{app}"}"#
        );
        // `apiGroup` has no omitempty in Kubernetes: written as null when unset.
        let t: TypedLocalObjectReference =
            serde_json::from_str(r#"{"kind":"PersistentVolumeClaim","name":"src"}"#).unwrap();
        assert_eq!(
            serde_json::to_string(&t).unwrap(),
            r#"{"apiGroup":null,"kind":"PersistentVolumeClaim","name":"src"}"#
        );
        assert_eq!(
            serde_json::to_string(&LocalObjectReference::default()).unwrap(),
            "{}"
        );
        assert!(serde_json::from_str::<SecretReference>(r#"{"name":1}"#).is_err());
    }
}
