//! The `scale` subresource: an `autoscaling/v1` `Scale` view of `spec.replicas`.

use bytes::Bytes;
use client::ClientError;
use core_types::DynamicObject;
use hyper::{Request, Response, StatusCode};
use serde_json::{Value, json};

use super::decode_value;
use super::patch::{PatchType, apply};
use super::update::write;
use crate::query::Query;
use crate::response::{self, Body};
use crate::route::Target;
use crate::server::ApiServer;

/// The `Scale` of an object.
fn scale_of(object: &DynamicObject) -> Value {
    let spec = object.data.get("spec");
    let status = object.data.get("status");
    let replicas = spec
        .and_then(|s| s.get("replicas"))
        .and_then(Value::as_i64)
        .unwrap_or(1);
    let current = status
        .and_then(|s| s.get("replicas"))
        .and_then(Value::as_i64)
        .unwrap_or(0);
    let selector = spec
        .and_then(|s| s.get("selector"))
        .map(selector_string)
        .unwrap_or_default();
    let m = &object.metadata;
    json!({
        "apiVersion": "autoscaling/v1",
        "kind": "Scale",
        "metadata": {
            "name": m.name, "namespace": m.namespace, "uid": m.uid,
            "resourceVersion": m.resource_version, "creationTimestamp": m.creation_timestamp,
        },
        "spec": {"replicas": replicas},
        "status": {"replicas": current, "selector": selector},
    })
}

/// A label selector (a `LabelSelector` or a ReplicationController's plain map) as text.
fn selector_string(selector: &Value) -> String {
    let labels = selector.get("matchLabels").unwrap_or(selector);
    let mut parts: Vec<String> = labels
        .as_object()
        .map(|m| {
            m.iter()
                .filter_map(|(k, v)| v.as_str().map(|v| format!("{k}={v}")))
                .collect()
        })
        .unwrap_or_default();
    for e in selector
        .get("matchExpressions")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let key = e.get("key").and_then(Value::as_str).unwrap_or("");
        let values: Vec<&str> = e
            .get("values")
            .and_then(Value::as_array)
            .map(|v| v.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        match e.get("operator").and_then(Value::as_str) {
            Some("In") => parts.push(format!("{key} in ({})", values.join(","))),
            Some("NotIn") => parts.push(format!("{key} notin ({})", values.join(","))),
            Some("Exists") => parts.push(key.to_owned()),
            Some("DoesNotExist") => parts.push(format!("!{key}")),
            _ => {}
        }
    }
    parts.join(",")
}

async fn current(
    server: &ApiServer,
    t: &Target<'_>,
    name: &str,
) -> Result<DynamicObject, ClientError> {
    server
        .client()
        .get(&t.info.resource, t.namespace.as_deref(), name)
        .await
}

/// GET `.../<name>/scale`.
pub(crate) async fn get(
    server: &ApiServer,
    t: &Target<'_>,
    name: &str,
) -> Result<Response<Body>, ClientError> {
    let object = current(server, t, name).await?;
    Ok(response::json(StatusCode::OK, &scale_of(&object)))
}

/// Sets the replicas of `object` from `scale`, and writes it.
async fn set(
    server: &ApiServer,
    t: &Target<'_>,
    name: &str,
    mut object: DynamicObject,
    scale: &Value,
    dry_run: bool,
) -> Result<Response<Body>, ClientError> {
    let Some(replicas) = scale.pointer("/spec/replicas").and_then(Value::as_i64) else {
        return Err(ClientError::bad_request("the Scale has no spec.replicas"));
    };
    if replicas < 0 || replicas > i64::from(i32::MAX) {
        return Err(ClientError::Invalid {
            message: format!(
                "Scale.autoscaling {name:?} is invalid: spec.replicas: Invalid value: {replicas}: must be greater than or equal to 0"
            ),
            details: None,
        });
    }
    if let Some(rv) = scale
        .pointer("/metadata/resourceVersion")
        .and_then(Value::as_str)
    {
        if !rv.is_empty() {
            object.metadata.resource_version = rv.to_owned();
        }
    }
    let spec = object.data.entry("spec").or_insert_with(|| json!({}));
    if let Value::Object(spec) = spec {
        spec.insert("replicas".into(), json!(replicas));
    }
    let main = Target {
        subresource: None,
        ..t.clone()
    };
    let stored = write(server, &main, name, object, None, dry_run).await?;
    Ok(response::json(StatusCode::OK, &scale_of(&stored)))
}

/// PUT `.../<name>/scale`.
pub(crate) async fn replace(
    server: &ApiServer,
    t: &Target<'_>,
    name: &str,
    query: &Query,
    request: &Request<Bytes>,
) -> Result<Response<Body>, ClientError> {
    let dry_run = query.dry_run()?;
    let scale = decode_value(request)?;
    // Without a resourceVersion in the Scale, the write is over the one just read.
    let object = current(server, t, name).await?;
    set(server, t, name, object, &scale, dry_run).await
}

/// PATCH `.../<name>/scale` (any patch type, applied to the `Scale`).
pub(crate) async fn patch(
    server: &ApiServer,
    t: &Target<'_>,
    name: &str,
    query: &Query,
    request: &Request<Bytes>,
) -> Result<Response<Body>, ClientError> {
    let kind = PatchType::of(request)?;
    let dry_run = query.dry_run()?;
    let patch = decode_value(request)?;
    let object = current(server, t, name).await?;
    let mut scale = scale_of(&object);
    apply(kind, &mut scale, &patch)?;
    set(server, t, name, object, &scale, dry_run).await
}
