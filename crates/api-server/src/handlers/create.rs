//! POST to a collection: create an object.

use bytes::Bytes;
use client::ClientError;
use hyper::{Request, Response, StatusCode};

use super::body::decode_object;
use crate::admission::{self, AdmissionRequest, Operation};
use crate::query::Query;
use crate::response::{self, Body};
use crate::route::Target;
use crate::server::ApiServer;

/// POST `<collection>`: decode, admit, create; 201 with the stored object.
pub(crate) async fn create(
    server: &ApiServer,
    t: &Target<'_>,
    query: &Query,
    request: &Request<Bytes>,
) -> Result<Response<Body>, ClientError> {
    if t.info.resource.is_namespaced() && t.namespace.is_none() {
        return Err(ClientError::bad_request(format!(
            "{} are namespaced: POST to /namespaces/<namespace>/{}",
            t.info.resource.plural, t.info.resource.plural
        )));
    }
    let params = query.post_params()?;
    let mut object = decode_object(t, request, None)?;
    let warnings = super::check_fields(query, &object)?;
    let admission = AdmissionRequest {
        operation: Operation::Create,
        resource: &t.info.resource,
        namespace: t.namespace.as_deref(),
        subresource: None,
        old: None,
        client: server.client(),
    };
    admission::run(&server.inner.admission, &admission, &mut object).await?;
    let created = server
        .client()
        .create(&t.info.resource, t.namespace.as_deref(), object, &params)
        .await?;
    Ok(super::with_warnings(
        response::json(StatusCode::CREATED, &created),
        &warnings,
    ))
}
