//! Reading request bodies: JSON or YAML, checked against the path's kind.

use bytes::Bytes;
use client::ClientError;
use core_types::DynamicObject;
use hyper::Request;
use serde_json::Value;

use crate::route::Target;

/// The body as a JSON value (YAML when the content type says so).
pub(crate) fn decode_value(request: &Request<Bytes>) -> Result<Value, ClientError> {
    let body = request.body();
    let content_type = request
        .headers()
        .get(hyper::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if content_type.contains("yaml") {
        let text = std::str::from_utf8(body)
            .map_err(|_| ClientError::bad_request("the body is not UTF-8"))?;
        return serde_yaml_ng::from_str(text)
            .map_err(|e| ClientError::bad_request(format!("the body is not valid YAML: {e}")));
    }
    if content_type.contains("protobuf") {
        return crate::protobuf::decode(body);
    }
    serde_json::from_slice(body)
        .map_err(|e| ClientError::bad_request(format!("the body is not valid JSON: {e}")))
}

/// The body as an object of the path's kind: `apiVersion` and `kind`, when given, must
/// be the path's (they are filled in otherwise); the namespace, when given, must be
/// the path's; the name, when the path has one, must match.
pub(crate) fn decode_object(
    t: &Target<'_>,
    request: &Request<Bytes>,
    name: Option<&str>,
) -> Result<DynamicObject, ClientError> {
    let value = decode_value(request)?;
    if !value.is_object() {
        return Err(ClientError::bad_request("the body must be a JSON object"));
    }
    let mut object: DynamicObject = core_types::decode::from_value(value)
        .map_err(|e| ClientError::bad_request(format!("the body is not a valid object: {e}")))?;
    check_object(t, &mut object, name)?;
    Ok(object)
}

/// The checks of [`decode_object`] on an object already read.
pub(crate) fn check_object(
    t: &Target<'_>,
    object: &mut DynamicObject,
    name: Option<&str>,
) -> Result<(), ClientError> {
    let r = &t.info.resource;
    let api_version = r.api_version();
    let types = &mut object.types;
    if types.api_version.is_empty() && types.kind.is_empty() {
        types.api_version = api_version.to_string();
        types.kind = r.kind.to_string();
    } else if types.api_version != api_version || types.kind != r.kind {
        return Err(ClientError::bad_request(format!(
            "the object is a {} {}, but the path is for {} {}",
            types.api_version, types.kind, api_version, r.kind
        )));
    }
    let ns = t.namespace.as_deref().unwrap_or("");
    if r.is_namespaced() {
        if !object.metadata.namespace.is_empty() && object.metadata.namespace != ns {
            return Err(ClientError::bad_request(
                "the namespace of the provided object does not match the namespace sent on the request",
            ));
        }
        object.metadata.namespace = ns.to_owned();
    } else {
        // As Kubernetes does, a namespace on a cluster-scoped object is dropped.
        object.metadata.namespace.clear();
    }
    if let Some(name) = name {
        if object.metadata.name.is_empty() {
            object.metadata.name = name.to_owned();
        } else if object.metadata.name != name {
            return Err(ClientError::bad_request(format!(
                "the name of the object ({}) does not match the name on the URL ({name})",
                object.metadata.name
            )));
        }
    }
    Ok(())
}
