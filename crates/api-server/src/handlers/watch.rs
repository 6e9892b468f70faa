//! WATCH: a chunked stream of `{"type": ..., "object": ...}` lines.

use std::convert::Infallible;

use bytes::Bytes;
use client::{ClientError, WatchEvent, WatchParams};
use core_types::{ApiResource, DynamicObject, ListMeta};
use futures::StreamExt;
use http_body_util::{BodyExt, StreamBody};
use hyper::body::Frame;
use hyper::header::{CONTENT_TYPE, HeaderValue};
use hyper::{Request, Response, StatusCode};
use serde_json::{Value, json};

use super::table::{self, Include};
use crate::query::Query;
use crate::response::{Body, JSON};
use crate::route::Target;
use crate::server::ApiServer;

/// How event objects are sent: as they are, or as one-row Tables (`kubectl get -w`).
#[derive(Clone, Copy)]
enum Format {
    Object,
    Table(Include),
}

impl Format {
    fn of(query: &Query, request: &Request<Bytes>) -> Self {
        if table::wanted(request) {
            Format::Table(Include::of(query))
        } else {
            Format::Object
        }
    }
}

/// Watches a collection.
pub(crate) async fn watch(
    server: &ApiServer,
    t: &Target<'_>,
    query: &Query,
    request: &Request<Bytes>,
) -> Result<Response<Body>, ClientError> {
    let params = query.watch_params(server.inner.max_watch)?;
    start(server, t, params, Format::of(query, request)).await
}

/// Watches one object (`.../<name>?watch=true`): the collection, by `metadata.name`.
pub(crate) async fn watch_one(
    server: &ApiServer,
    t: &Target<'_>,
    name: &str,
    query: &Query,
    request: &Request<Bytes>,
) -> Result<Response<Body>, ClientError> {
    let mut params = query.watch_params(server.inner.max_watch)?;
    params.field_selector = Some(
        format!("metadata.name={name}")
            .parse()
            .map_err(ClientError::from)?,
    );
    start(server, t, params, Format::of(query, request)).await
}

async fn start(
    server: &ApiServer,
    t: &Target<'_>,
    params: WatchParams,
    format: Format,
) -> Result<Response<Body>, ClientError> {
    let open = server.inner.metrics.open_watches();
    if usize::try_from(open).unwrap_or(0) >= server.inner.max_watches {
        return Err(ClientError::TooManyRequests {
            message: format!("too many open watches ({open}); retry later"),
            retry_after: Some(std::time::Duration::from_secs(1)),
        });
    }
    let stream = server
        .client()
        .watch(&t.info.resource, t.namespace.as_deref(), &params)
        .await?;
    let resource = t.info.resource.clone();
    // Travels with the stream: the watch counts as closed when the body is dropped.
    let guard = server.inner.metrics.watch_opened();
    let shared = server.clone();
    let lines = stream.map(move |item| {
        let _open = &guard;
        let bytes = match (item, format) {
            // The common case: the line every watcher of this event sends, encoded once.
            (Ok(event), Format::Object) => object_line(&shared, &resource, event),
            (Ok(event), _) => json_line(&event_json(&resource, event, format)),
            (Err(e), _) => json_line(&json!({"type": "ERROR", "object": e.status()})),
        };
        Ok::<_, Infallible>(Frame::data(bytes))
    });
    let mut response = Response::new(StreamBody::new(lines).boxed_unsync());
    *response.status_mut() = StatusCode::OK;
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static(JSON));
    Ok(response)
}

fn json_line(value: &Value) -> Bytes {
    let mut bytes = serde_json::to_vec(value).unwrap_or_default();
    bytes.push(b'\n');
    Bytes::from(bytes)
}

/// An object event's line from the server's shared table (bookmarks are built here).
fn object_line(
    server: &ApiServer,
    resource: &ApiResource,
    event: WatchEvent<DynamicObject>,
) -> Bytes {
    let (kind, object) = match event {
        WatchEvent::Added(o) => ("ADDED", o),
        WatchEvent::Modified(o) => ("MODIFIED", o),
        WatchEvent::Deleted(o) => ("DELETED", o),
        bookmark @ WatchEvent::Bookmark { .. } => {
            return json_line(&event_json(resource, bookmark, Format::Object));
        }
    };
    match server.inner.event_lines.line(kind, &object) {
        Ok(line) => line,
        Err(e) => json_line(
            &json!({"type": "ERROR", "object": ClientError::internal(e.to_string()).status()}),
        ),
    }
}

fn event_json(resource: &ApiResource, event: WatchEvent<DynamicObject>, format: Format) -> Value {
    let encode = |o: DynamicObject| match format {
        Format::Object => serde_json::to_value(o),
        Format::Table(include) => {
            let metadata = ListMeta {
                resource_version: o.metadata.resource_version.clone(),
                ..ListMeta::default()
            };
            Ok(table::table(&resource.kind, &[o], &metadata, include))
        }
    };
    let (kind, object) = match event {
        WatchEvent::Added(o) => ("ADDED", encode(o)),
        WatchEvent::Modified(o) => ("MODIFIED", encode(o)),
        WatchEvent::Deleted(o) => ("DELETED", encode(o)),
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
