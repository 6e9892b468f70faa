//! `DynamicObject`: an object of any kind, with typed metadata and untyped content.

use serde::de::Error as _;
use serde::ser::SerializeMap as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

use crate::Error;
use crate::meta::{ObjectMeta, TypeMeta};
use crate::resource::{ApiResource, Resource, StaticResource};

/// An object of a kind the program has no Rust type for (an embedder's own kind, or a
/// kind the framework does not model): `apiVersion`, `kind` and `metadata` are typed,
/// every other top-level field (`spec`, `status`, `data`, ...) is kept as JSON.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DynamicObject {
    /// `apiVersion` and `kind`.
    pub types: TypeMeta,
    /// Standard object metadata.
    pub metadata: ObjectMeta,
    /// Every other top-level field, by name.
    pub data: Map<String, Value>,
}

impl DynamicObject {
    /// An empty object of the given kind with the given name.
    pub fn new(resource: &ApiResource, name: impl Into<String>) -> Self {
        Self {
            types: TypeMeta {
                api_version: resource.api_version().into_owned(),
                kind: resource.kind.to_string(),
            },
            metadata: ObjectMeta {
                name: name.into(),
                ..ObjectMeta::default()
            },
            data: Map::new(),
        }
    }

    /// Converts a typed object into its dynamic form.
    pub fn from_typed<K: StaticResource>(obj: &K) -> Result<Self, Error> {
        let value = serde_json::to_value(obj).map_err(|e| Error::Encode(e.to_string()))?;
        serde_json::from_value(value).map_err(|e| Error::Encode(e.to_string()))
    }

    /// Converts into a typed object, checking that `apiVersion` and `kind` match `K`.
    pub fn try_into_typed<K: StaticResource>(self) -> Result<K, Error> {
        crate::decode::check_type::<K>(&self.types)?;
        let value = serde_json::to_value(&self).map_err(|e| Error::Encode(e.to_string()))?;
        crate::decode::from_value::<K>(value)
    }
}

impl Resource for DynamicObject {
    type DynamicType = ApiResource;

    fn api_resource(dt: &ApiResource) -> &ApiResource {
        dt
    }

    fn meta(&self) -> &ObjectMeta {
        &self.metadata
    }

    fn meta_mut(&mut self) -> &mut ObjectMeta {
        &mut self.metadata
    }
}

impl Serialize for DynamicObject {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.data.len() + 3))?;
        if !self.types.api_version.is_empty() {
            map.serialize_entry("apiVersion", &self.types.api_version)?;
        }
        if !self.types.kind.is_empty() {
            map.serialize_entry("kind", &self.types.kind)?;
        }
        map.serialize_entry("metadata", &self.metadata)?;
        for (k, v) in &self.data {
            if !matches!(k.as_str(), "apiVersion" | "kind" | "metadata") {
                map.serialize_entry(k, v)?;
            }
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for DynamicObject {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let mut data = Map::<String, Value>::deserialize(d)?;
        let mut take_str = |field: &str| match data.remove(field) {
            None | Some(Value::Null) => Ok(String::new()),
            Some(Value::String(s)) => Ok(s),
            Some(other) => Err(D::Error::custom(format!(
                "{field}: expected a string, found {other}"
            ))),
        };
        let types = TypeMeta {
            api_version: take_str("apiVersion")?,
            kind: take_str("kind")?,
        };
        let metadata = match data.remove("metadata") {
            None | Some(Value::Null) => ObjectMeta::default(),
            Some(v) => {
                serde_json::from_value(v).map_err(|e| D::Error::custom(format!("metadata: {e}")))?
            }
        };
        Ok(Self {
            types,
            metadata,
            data,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_unknown_content_and_types_metadata() {
        let json = r#"{"apiVersion":"example.com/v1","kind":"Widget","metadata":{"name":"w","labels":{"a":"b"}},"spec":{"size":3}}"#;
        let obj: DynamicObject = serde_json::from_str(json).unwrap();
        assert_eq!(obj.types.group(), "example.com");
        assert_eq!(obj.metadata.labels["a"], "b");
        assert_eq!(obj.data["spec"]["size"], 3);
        assert_eq!(serde_json::to_string(&obj).unwrap(), json);
    }

    #[test]
    fn bad_metadata_is_an_error() {
        let err = serde_json::from_str::<DynamicObject>(r#"{"kind":"X","metadata":{"labels":3}}"#)
            .unwrap_err();
        assert!(err.to_string().contains("metadata"), "{err}");
    }
}
