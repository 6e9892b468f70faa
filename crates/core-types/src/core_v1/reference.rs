//! v1: `ObjectReference` and `LocalObjectReference`, the pointers one object keeps to another.

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
