//! PATCH of an object or of its status: JSON patch, JSON merge patch and strategic
//! merge patch, applied here (read, patch, admit, compare-and-swap, retried on a lost
//! race) so that patched objects pass the same admission chain as replaced ones.

use bytes::Bytes;
use client::ClientError;
use core_types::DynamicObject;
use hyper::{Request, Response, StatusCode};
use serde_json::Value;

use super::decode_value;
use super::update::write;
use crate::query::Query;
use crate::response::{self, Body};
use crate::route::Target;
use crate::server::ApiServer;
use crate::strategic;

/// How many times a patch that lost a race reads again.
const ATTEMPTS: usize = 8;

/// The patch types the server applies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum PatchType {
    /// RFC 6902.
    Json,
    /// RFC 7386.
    Merge,
    /// Kubernetes' strategic merge patch.
    Strategic,
}

impl PatchType {
    /// The patch type of a request's content type.
    pub(crate) fn of(request: &Request<Bytes>) -> Result<Self, ClientError> {
        let content_type = request
            .headers()
            .get(hyper::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        let essence = content_type.split(';').next().unwrap_or("").trim();
        match essence {
            "application/json-patch+json" => Ok(PatchType::Json),
            "application/merge-patch+json" => Ok(PatchType::Merge),
            "application/strategic-merge-patch+json" => Ok(PatchType::Strategic),
            other => Err(ClientError::UnsupportedMediaType {
                message: format!(
                    "the patch type {other:?} is not supported; use application/json-patch+json, \
                     application/merge-patch+json, application/strategic-merge-patch+json \
                     or application/apply-patch+yaml"
                ),
            }),
        }
    }
}

/// Applies `patch` of `kind` to `doc`.
pub(crate) fn apply(kind: PatchType, doc: &mut Value, patch: &Value) -> Result<(), ClientError> {
    match kind {
        PatchType::Merge => {
            if !patch.is_object() {
                return Err(ClientError::bad_request(
                    "a merge patch must be a JSON object",
                ));
            }
            json_patch::merge(doc, patch);
            Ok(())
        }
        PatchType::Strategic => strategic::merge(doc, patch),
        PatchType::Json => {
            let ops: json_patch::Patch = serde_json::from_value(patch.clone())
                .map_err(|e| ClientError::bad_request(format!("invalid JSON patch: {e}")))?;
            json_patch::patch(doc, &ops).map_err(|e| ClientError::Invalid {
                message: format!("the JSON patch cannot be applied: {e}"),
                details: None,
            })
        }
    }
}

/// PATCH `<collection>/<name>[/status]`.
pub(crate) async fn patch(
    server: &ApiServer,
    t: &Target<'_>,
    name: &str,
    query: &Query,
    request: &Request<Bytes>,
) -> Result<Response<Body>, ClientError> {
    if super::apply::is_apply(request) {
        return super::apply::apply(server, t, name, query, request).await;
    }
    let kind = PatchType::of(request)?;
    let params = query.patch_params()?;
    let patch = decode_value(request)?;
    let mut attempt = 0;
    loop {
        attempt += 1;
        let current = server
            .client()
            .get(&t.info.resource, t.namespace.as_deref(), name)
            .await?;
        let (patched, pinned) = patched(t, &current, kind, &patch)?;
        let warnings = super::check_fields(query, &patched)?;
        match write(server, t, name, patched, Some(&current), params.dry_run).await {
            Err(e) if e.is_conflict() && !pinned && attempt < ATTEMPTS => continue,
            Err(e) => return Err(e),
            Ok(stored) => {
                let response = response::json(StatusCode::OK, &stored);
                return Ok(super::with_warnings(response, &warnings));
            }
        }
    }
}

/// The patched object, to be written over `current`'s resourceVersion; true if the
/// patch itself named a resourceVersion (which then must hold: no retry).
pub(crate) fn patched(
    t: &Target<'_>,
    current: &DynamicObject,
    kind: PatchType,
    patch: &Value,
) -> Result<(DynamicObject, bool), ClientError> {
    let mut doc = serde_json::to_value(current)
        .map_err(|e| ClientError::internal(format!("cannot encode object: {e}")))?;
    apply(kind, &mut doc, patch)?;
    let mut object: DynamicObject = core_types::decode::from_value(doc).map_err(|e| {
        ClientError::bad_request(format!("the patched object is not a valid object: {e}"))
    })?;
    if object.metadata.name != current.metadata.name
        || object.metadata.namespace != current.metadata.namespace
        || object.types != current.types
    {
        return Err(ClientError::bad_request(
            "a patch may not change the name, namespace, apiVersion or kind",
        ));
    }
    super::body::check_object(t, &mut object, Some(&current.metadata.name))?;
    let pinned = !object.metadata.resource_version.is_empty()
        && object.metadata.resource_version != current.metadata.resource_version;
    if !pinned {
        object.metadata.resource_version = current.metadata.resource_version.clone();
    }
    Ok((object, pinned))
}
