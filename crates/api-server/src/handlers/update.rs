//! PUT of an object or of its status.

use bytes::Bytes;
use client::ClientError;
use core_types::DynamicObject;
use hyper::{Request, Response, StatusCode};

use super::body::decode_object;
use crate::admission::{self, AdmissionRequest, Operation};
use crate::query::Query;
use crate::registry::Subresource;
use crate::response::{self, Body};
use crate::route::Target;
use crate::server::ApiServer;

/// PUT `<collection>/<name>[/status]`: decode, admit, replace.
pub(crate) async fn replace(
    server: &ApiServer,
    t: &Target<'_>,
    name: &str,
    query: &Query,
    request: &Request<Bytes>,
) -> Result<Response<Body>, ClientError> {
    let params = query.post_params()?;
    let object = decode_object(t, request, Some(name))?;
    let warnings = super::check_fields(query, &object)?;
    let stored = write(server, t, name, object, None, params.dry_run).await?;
    Ok(super::with_warnings(
        response::json(StatusCode::OK, &stored),
        &warnings,
    ))
}

/// Admits `object` as an update and writes it (the status alone for the `status`
/// subresource). Shared by PUT and PATCH.
pub(crate) async fn write(
    server: &ApiServer,
    t: &Target<'_>,
    name: &str,
    mut object: DynamicObject,
    old: Option<&DynamicObject>,
    dry_run: bool,
) -> Result<DynamicObject, ClientError> {
    let admission = AdmissionRequest {
        operation: Operation::Update,
        resource: &t.info.resource,
        namespace: t.namespace.as_deref(),
        subresource: t.subresource,
        old,
        client: server.client(),
    };
    admission::run(&server.inner.admission, &admission, &mut object).await?;
    let mut params = client::PostParams::default();
    params.dry_run = dry_run;
    let client = server.client();
    let ns = t.namespace.as_deref();
    if t.subresource == Some(Subresource::Status) {
        client
            .replace_status(&t.info.resource, ns, name, object, &params)
            .await
    } else {
        client
            .replace(&t.info.resource, ns, name, object, &params)
            .await
    }
}
