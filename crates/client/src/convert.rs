//! Conversions between a typed object and [`DynamicObject`], the client's JSON level.
//!
//! A typed object converts with one serialization (its metadata is cloned, not
//! re-parsed); a `DynamicObject` converts to a typed one with one deserialization (the
//! metadata is moved in afterwards). When the "typed" object is itself a
//! `DynamicObject`, nothing is converted at all.

use std::any::Any;

use core_types::{ApiResource, DynamicObject, Resource, TypeMeta};
use serde_json::{Map, Value};

use crate::error::ClientError;

/// `obj` as a [`DynamicObject`]; `apiVersion` and `kind` are filled from `resource`
/// when the object does not write them.
pub fn to_dynamic<K: Resource>(
    obj: &K,
    resource: &ApiResource,
) -> Result<DynamicObject, ClientError> {
    if let Some(dynamic) = (obj as &dyn Any).downcast_ref::<DynamicObject>() {
        return Ok(dynamic.clone());
    }
    let value = serde_json::to_value(obj).map_err(|e| ClientError::Decode {
        path: String::new(),
        message: format!("cannot encode {}: {e}", resource.kind),
    })?;
    let Value::Object(mut data) = value else {
        return Err(ClientError::Decode {
            path: String::new(),
            message: format!("{} does not encode as a JSON object", resource.kind),
        });
    };
    data.remove("metadata");
    let mut take = |field: &str| match data.remove(field) {
        Some(Value::String(s)) => s,
        _ => String::new(),
    };
    let mut types = TypeMeta {
        api_version: take("apiVersion"),
        kind: take("kind"),
    };
    if types.api_version.is_empty() {
        types.api_version = resource.api_version().into_owned();
    }
    if types.kind.is_empty() {
        types.kind = resource.kind.to_string();
    }
    Ok(DynamicObject {
        types,
        metadata: obj.meta().clone(),
        data,
    })
}

/// `obj` as a [`DynamicObject`], without copying when it is one already.
pub fn into_dynamic<K: Resource>(
    obj: K,
    resource: &ApiResource,
) -> Result<DynamicObject, ClientError> {
    let mut slot = Some(obj);
    if let Some(dynamic) = (&mut slot as &mut dyn Any).downcast_mut::<Option<DynamicObject>>() {
        if let Some(dynamic) = dynamic.take() {
            return Ok(dynamic);
        }
    }
    match slot {
        Some(obj) => to_dynamic(&obj, resource),
        None => Err(ClientError::internal("object vanished during conversion")),
    }
}

/// A [`DynamicObject`] as `K`. Fails with [`ClientError::Decode`] (with the path of the
/// offending field) when the content does not fit `K`, or when the object names another
/// kind than `resource`.
pub fn from_dynamic<K: Resource>(
    obj: DynamicObject,
    resource: &ApiResource,
) -> Result<K, ClientError> {
    let mut slot = Some(obj);
    if let Some(typed) = (&mut slot as &mut dyn Any).downcast_mut::<Option<K>>() {
        if let Some(typed) = typed.take() {
            return Ok(typed);
        }
    }
    let Some(DynamicObject {
        types,
        metadata,
        mut data,
    }) = slot
    else {
        return Err(ClientError::internal("object vanished during conversion"));
    };
    let api_version = resource.api_version();
    if (!types.kind.is_empty() && types.kind != resource.kind)
        || (!types.api_version.is_empty() && types.api_version != api_version)
    {
        return Err(ClientError::Decode {
            path: String::new(),
            message: format!(
                "expected {api_version} {}, found {} {}",
                resource.kind, types.api_version, types.kind
            ),
        });
    }
    data.insert(
        "apiVersion".to_owned(),
        Value::String(api_version.into_owned()),
    );
    data.insert("kind".to_owned(), Value::String(resource.kind.to_string()));
    // Metadata is moved in after decoding rather than round-tripped through JSON; an
    // empty object satisfies kinds whose `metadata` field has no default.
    data.insert("metadata".to_owned(), Value::Object(Map::new()));
    let mut typed: K = core_types::decode::from_value(Value::Object(data))?;
    *typed.meta_mut() = metadata;
    Ok(typed)
}
