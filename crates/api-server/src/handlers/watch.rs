//! WATCH: a chunked stream of `{"type": ..., "object": ...}` lines.

use std::convert::Infallible;

use bytes::Bytes;
use client::{ClientError, WatchEvent};
use futures::StreamExt;
use http_body_util::{BodyExt, StreamBody};
use hyper::body::Frame;
use hyper::header::{CONTENT_TYPE, HeaderValue};
use hyper::{Response, StatusCode};
use serde_json::json;

use crate::query::Query;
use crate::response::{Body, JSON};
use crate::route::Target;
use crate::server::ApiServer;

/// Watches a collection.
pub(crate) async fn watch(
    server: &ApiServer,
    t: &Target<'_>,
    query: &Query,
) -> Result<Response<Body>, ClientError> {
    let params = query.watch_params(server.inner.max_watch)?;
    start(server, t, params).await
}

/// Watches one object (`.../<name>?watch=true`): the collection, by `metadata.name`.
pub(crate) async fn watch_one(
    server: &ApiServer,
    t: &Target<'_>,
    name: &str,
    query: &Query,
) -> Result<Response<Body>, ClientError> {
    let mut params = query.watch_params(server.inner.max_watch)?;
    params.field_selector = Some(
        format!("metadata.name={name}")
            .parse()
            .map_err(ClientError::from)?,
    );
    start(server, t, params).await
}

async fn start(
    server: &ApiServer,
    t: &Target<'_>,
    params: client::WatchParams,
) -> Result<Response<Body>, ClientError> {
    let stream = server
        .client()
        .watch(&t.info.resource, t.namespace.as_deref(), &params)
        .await?;
    let resource = t.info.resource.clone();
    let lines = stream.map(move |item| {
        let line = match item {
            Ok(event) => event_json(&resource, event),
            Err(e) => json!({"type": "ERROR", "object": e.status()}),
        };
        let mut bytes = serde_json::to_vec(&line).unwrap_or_default();
        bytes.push(b'\n');
        Ok::<_, Infallible>(Frame::data(Bytes::from(bytes)))
    });
    let mut response = Response::new(StreamBody::new(lines).boxed_unsync());
    *response.status_mut() = StatusCode::OK;
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static(JSON));
    Ok(response)
}

fn event_json(
    resource: &core_types::ApiResource,
    event: WatchEvent<core_types::DynamicObject>,
) -> serde_json::Value {
    let (kind, object) = match event {
        WatchEvent::Added(o) => ("ADDED", serde_json::to_value(o)),
        WatchEvent::Modified(o) => ("MODIFIED", serde_json::to_value(o)),
        WatchEvent::Deleted(o) => ("DELETED", serde_json::to_value(o)),
        WatchEvent::Bookmark { resource_version } => (
            "BOOKMARK",
            Ok(json!({
                "apiVersion": resource.api_version(),
                "kind": resource.kind,
                "metadata": {"resourceVersion": resource_version},
            })),
        ),
    };
    match object {
        Ok(object) => json!({"type": kind, "object": object}),
        Err(e) => json!({"type": "ERROR", "object": ClientError::internal(e.to_string()).status()}),
    }
}
