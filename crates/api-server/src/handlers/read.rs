//! GET of one object and LIST of a collection.

use bytes::Bytes;
use client::{ClientError, ObjectList};
use core_types::{DynamicObject, ListMeta};
use hyper::{Request, Response, StatusCode};
use serde::Serialize;

use super::table::{self, Include};
use crate::query::Query;
use crate::response::{self, Body};
use crate::route::Target;
use crate::server::ApiServer;

/// GET `<collection>/<name>` (and its `status`); a one-row Table if asked for.
pub(crate) async fn get(
    server: &ApiServer,
    t: &Target<'_>,
    name: &str,
    query: &Query,
    request: &Request<Bytes>,
) -> Result<Response<Body>, ClientError> {
    if !table::wanted(request) {
        // The common case: the stored encoding, not decoded and encoded again.
        let json = server
            .client()
            .get_json(&t.info.resource, t.namespace.as_deref(), name)
            .await?;
        return Ok(response::with_type(StatusCode::OK, response::JSON, json));
    }
    let object = server
        .client()
        .get(&t.info.resource, t.namespace.as_deref(), name)
        .await?;
    let metadata = ListMeta {
        resource_version: object.metadata.resource_version.clone(),
        ..ListMeta::default()
    };
    let kind = &t.info.resource.kind;
    let doc = table::table(kind, &[object], &metadata, Include::of(query));
    Ok(response::json(StatusCode::OK, &doc))
}

/// GET `<collection>`: a `<Kind>List`, or a Table if asked for.
pub(crate) async fn list(
    server: &ApiServer,
    t: &Target<'_>,
    query: &Query,
    request: &Request<Bytes>,
) -> Result<Response<Body>, ClientError> {
    let params = query.list_params()?;
    let list = server
        .client()
        .list(&t.info.resource, t.namespace.as_deref(), &params)
        .await?;
    if table::wanted(request) {
        let kind = &t.info.resource.kind;
        let doc = table::table(kind, &list.items, &list.metadata, Include::of(query));
        return Ok(response::json(StatusCode::OK, &doc));
    }
    Ok(response::json(StatusCode::OK, &typed_list(t, list)))
}

/// A list with its `apiVersion` and `kind`, as the API returns it.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct TypedList {
    api_version: String,
    kind: String,
    metadata: ListMeta,
    items: Vec<DynamicObject>,
}

/// `list` as a `<Kind>List` of the target's resource.
pub(crate) fn typed_list(t: &Target<'_>, list: ObjectList<DynamicObject>) -> TypedList {
    let r = &t.info.resource;
    TypedList {
        api_version: r.api_version().into_owned(),
        kind: format!("{}List", r.kind),
        metadata: list.metadata,
        items: list.items,
    }
}
