//! POST `pods/<name>/binding`: assigns a pod to a node.

use bytes::Bytes;
use client::ClientError;
use hyper::{Request, Response, StatusCode};
use serde::Deserialize;

use super::decode_value;
use crate::response::{self, Body};
use crate::route::Target;
use crate::server::ApiServer;

#[derive(Deserialize)]
struct Binding {
    #[serde(default)]
    metadata: core_types::ObjectMeta,
    target: Reference,
}

#[derive(Deserialize)]
struct Reference {
    #[serde(default)]
    name: String,
}

/// Binds the pod to `target.name`; 201 with a success `Status`.
pub(crate) async fn bind(
    server: &ApiServer,
    t: &Target<'_>,
    name: &str,
    request: &Request<Bytes>,
) -> Result<Response<Body>, ClientError> {
    let binding: Binding = serde_json::from_value(decode_value(request)?)
        .map_err(|e| ClientError::bad_request(format!("invalid Binding: {e}")))?;
    if !binding.metadata.name.is_empty() && binding.metadata.name != name {
        return Err(ClientError::bad_request(format!(
            "the binding's name ({}) does not match the pod's ({name})",
            binding.metadata.name
        )));
    }
    if binding.target.name.is_empty() {
        return Err(ClientError::bad_request(
            "the binding has no target node name",
        ));
    }
    let namespace = t.namespace.as_deref().unwrap_or("");
    server
        .client()
        .bind(namespace, name, &binding.target.name)
        .await?;
    Ok(response::success(StatusCode::CREATED))
}
