//! DELETE of an object and of a collection.

use client::{ClientError, DeleteOutcome, DeleteParams, ListParams};
use core_types::{StaticResource, core_v1::Namespace};
use hyper::{Response, StatusCode};

use super::read::typed_list;
use crate::query::Query;
use crate::response::{self, Body};
use crate::route::Target;
use crate::server::ApiServer;

/// DELETE `<collection>/<name>`: 200 with the deleted object, or 202 with the object
/// still there (waiting for finalizers).
pub(crate) async fn delete(
    server: &ApiServer,
    t: &Target<'_>,
    name: &str,
    query: &Query,
    body: &[u8],
) -> Result<Response<Body>, ClientError> {
    let params = query.delete_params(body)?;
    let outcome = server
        .client()
        .delete(&t.info.resource, t.namespace.as_deref(), name, &params)
        .await?;
    if &t.info.resource == Namespace::resource() && !params.dry_run && !outcome.is_pending() {
        delete_contents(server, name).await;
    }
    Ok(match outcome {
        DeleteOutcome::Deleted(o) => response::json(StatusCode::OK, &o),
        DeleteOutcome::Pending(o) => response::json(StatusCode::ACCEPTED, &o),
    })
}

/// Deletes every namespaced object of a deleted namespace (the namespace
/// controller's job in Kubernetes, done here at once). Failures are logged: the
/// namespace itself is gone either way.
async fn delete_contents(server: &ApiServer, namespace: &str) {
    let params = DeleteParams::background();
    for info in server
        .inner
        .registry
        .iter()
        .filter(|i| i.resource.is_namespaced())
    {
        let result = server
            .client()
            .delete_collection(
                &info.resource,
                Some(namespace),
                &ListParams::default(),
                &params,
            )
            .await;
        if let Err(e) = result {
            tracing::warn!(namespace, resource = %info.resource.plural, error = %e, "cleaning up a deleted namespace");
        }
    }
}

/// DELETE `<collection>`: every selected object; 200 with them as a list.
pub(crate) async fn delete_collection(
    server: &ApiServer,
    t: &Target<'_>,
    query: &Query,
    body: &[u8],
) -> Result<Response<Body>, ClientError> {
    let list = query.list_params()?;
    let params = query.delete_params(body)?;
    let deleted = server
        .client()
        .delete_collection(&t.info.resource, t.namespace.as_deref(), &list, &params)
        .await?;
    Ok(response::json(StatusCode::OK, &typed_list(t, deleted)))
}
