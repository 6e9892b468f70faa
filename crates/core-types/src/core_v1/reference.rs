//! core/v1 references to other objects: `ObjectReference`, `LocalObjectReference`,
//! `TypedLocalObjectReference`.

use serde::{Deserialize, Serialize};

/// A reference to any object, precise enough to find it (and optionally a field in it).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
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
    /// The object's resource version the reference was taken at, if it matters.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub resource_version: String,
    /// A field inside the object, e.g. `spec.containers{web}`, when the reference is
    /// to part of it rather than the whole.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub field_path: String,
}

/// A reference by name to an object in the same namespace (e.g. an image pull secret).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LocalObjectReference {
    /// Name of the referenced object.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
}

/// A reference to an object of a given kind in the same namespace.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TypedLocalObjectReference {
    /// API group of the referenced kind; absent for the core group.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_group: Option<String>,
    /// Kind of the referenced object.
    #[serde(default)]
    pub kind: String,
    /// Name of the referenced object.
    #[serde(default)]
    pub name: String,
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn references_omit_empty_fields() {
        let r: ObjectReference = serde_json::from_str(
            r#"{"kind":"Job","namespace":"ns","name":"j","uid":"u","apiVersion":"batch/v1","resourceVersion":"7"}"#,
        )
        .unwrap();
        assert_eq!(r.api_version, "batch/v1");
        assert_eq!(
            serde_json::to_string(&r).unwrap(),
            r#"{"kind":"Job","namespace":"ns","name":"j","uid":"u","apiVersion":"batch/v1","resourceVersion":"7"}"#
        );
        assert_eq!(
            serde_json::to_string(&LocalObjectReference::default()).unwrap(),
            "{}"
        );
        let t = TypedLocalObjectReference {
            kind: "Service".into(),
            name: "web".into(),
            ..Default::default()
        };
        assert_eq!(
            serde_json::to_string(&t).unwrap(),
            r#"{"kind":"Service","name":"web"}"#
        );
        assert!(serde_json::from_str::<ObjectReference>(r#"{"name":3}"#).is_err());
    }
}
