//! PATCH with `application/apply-patch+yaml`: server-side apply (see [`crate::apply`]).

use bytes::Bytes;
use client::ClientError;
use core_types::DynamicObject;
use hyper::{Request, Response, StatusCode};
use serde_json::Value;

use super::body::check_object;
use super::decode_value;
use super::update::write;
use crate::admission::{self, AdmissionRequest, Operation};
use crate::apply::{self, Apply};
use crate::query::Query;
use crate::response::{self, Body};
use crate::route::Target;
use crate::server::ApiServer;

/// The content type of an apply patch.
pub(crate) const APPLY_PATCH: &str = "application/apply-patch+yaml";

/// How many times an apply that lost a race reads again.
const ATTEMPTS: usize = 8;

/// True if the request is an apply patch.
pub(crate) fn is_apply(request: &Request<Bytes>) -> bool {
    request
        .headers()
        .get(hyper::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|essence| essence.trim() == APPLY_PATCH)
}

fn object_of(t: &Target<'_>, value: Value, name: &str) -> Result<DynamicObject, ClientError> {
    let mut object: DynamicObject = core_types::decode::from_value(value)
        .map_err(|e| ClientError::bad_request(format!("the applied object is not valid: {e}")))?;
    check_object(t, &mut object, Some(name))?;
    Ok(object)
}

/// PATCH `<collection>/<name>` with an apply patch: create the object if absent,
/// else merge the configuration into it, recording the manager's fields.
pub(crate) async fn apply(
    server: &ApiServer,
    t: &Target<'_>,
    name: &str,
    query: &Query,
    request: &Request<Bytes>,
) -> Result<Response<Body>, ClientError> {
    if t.subresource.is_some() {
        return Err(ClientError::UnsupportedMediaType {
            message: "apply patches are served for the main resource only".into(),
        });
    }
    let manager = query
        .get("fieldManager")
        .filter(|m| !m.is_empty())
        .ok_or_else(|| ClientError::bad_request("fieldManager is required for apply patches"))?;
    let dry_run = query.patch_params()?.dry_run;
    let config = decode_value(request)?;
    if !config.is_object() {
        return Err(ClientError::bad_request("an apply patch must be an object"));
    }
    // The configuration must name this object and be of the path's kind.
    let checked = object_of(t, config.clone(), name)?;
    let warnings = super::check_fields(query, &checked)?;
    let api_version = t.info.resource.api_version();
    let request = Apply {
        manager,
        force: query.flag("force"),
        config: &config,
    };
    let ns = t.namespace.as_deref();
    let mut attempt = 0;
    loop {
        attempt += 1;
        let current = match server.client().get(&t.info.resource, ns, name).await {
            Ok(current) => current,
            Err(e) if e.code() == 404 => {
                let (value, managed) = apply::create(&request, &api_version);
                let mut object = object_of(t, value, name)?;
                object.metadata.managed_fields = managed;
                let admission = AdmissionRequest {
                    operation: Operation::Create,
                    resource: &t.info.resource,
                    namespace: ns,
                    subresource: None,
                    old: None,
                    client: server.client(),
                };
                admission::run(&server.inner.admission, &admission, &mut object).await?;
                let mut params = client::PostParams::default();
                params.dry_run = dry_run;
                match server
                    .client()
                    .create(&t.info.resource, ns, object, &params)
                    .await
                {
                    Err(e) if e.code() == 409 && attempt < ATTEMPTS => continue,
                    Err(e) => return Err(e),
                    Ok(created) => {
                        let response = response::json(StatusCode::CREATED, &created);
                        return Ok(super::with_warnings(response, &warnings));
                    }
                }
            }
            Err(e) => return Err(e),
        };
        let live = serde_json::to_value(&current)
            .map_err(|e| ClientError::internal(format!("cannot encode object: {e}")))?;
        let (merged, managed) = apply::merge(
            &request,
            &api_version,
            &live,
            &current.metadata.managed_fields,
        )?;
        let mut object = object_of(t, merged, name)?;
        if object.types != current.types {
            return Err(ClientError::bad_request(
                "an apply may not change apiVersion or kind",
            ));
        }
        object.metadata.managed_fields = managed;
        object.metadata.resource_version = current.metadata.resource_version.clone();
        match write(server, t, name, object, Some(&current), dry_run).await {
            Err(e) if e.is_conflict() && attempt < ATTEMPTS => continue,
            Err(e) => return Err(e),
            Ok(stored) => {
                let response = response::json(StatusCode::OK, &stored);
                return Ok(super::with_warnings(response, &warnings));
            }
        }
    }
}
