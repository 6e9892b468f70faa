//! The handlers, one file per verb, and the dispatch from route and method to them.

mod apply;
mod binding;
mod body;
mod create;
mod delete;
mod discovery;
mod openapi;
mod patch;
mod read;
mod scale;
mod table;
mod update;
mod watch;

use bytes::Bytes;
use client::ClientError;
use hyper::{Method, Request, Response, StatusCode};

use crate::query::Query;
use crate::registry::Subresource;
use crate::response::{self, Body};
use crate::route::{Route, Target};
use crate::server::{ApiServer, not_allowed};

pub(crate) use body::decode_value;

/// Unknown fields of `object` per the request's `fieldValidation`: `Strict` refuses
/// them (400), `Ignore` ignores them, `Warn` (the default) returns them as warnings.
pub(crate) fn check_fields(
    query: &Query,
    object: &core_types::DynamicObject,
) -> Result<Vec<String>, ClientError> {
    let mode = query.get("fieldValidation").unwrap_or("Warn");
    if mode == "Ignore" {
        return Ok(Vec::new());
    }
    if !matches!(mode, "Strict" | "Warn") {
        return Err(ClientError::bad_request(format!(
            "invalid fieldValidation {mode:?}: expected Strict, Warn or Ignore"
        )));
    }
    let value = serde_json::to_value(object)
        .map_err(|e| ClientError::internal(format!("cannot encode object: {e}")))?;
    let unknown: Vec<String> = crate::fields::unknown_fields(&value)
        .into_iter()
        .map(|path| format!("unknown field {path:?}"))
        .collect();
    if mode == "Strict" && !unknown.is_empty() {
        return Err(ClientError::bad_request(format!(
            "strict decoding error: {}",
            unknown.join(", ")
        )));
    }
    Ok(unknown)
}

/// Adds `Warning` headers (kubectl prints them).
pub(crate) fn with_warnings(mut response: Response<Body>, warnings: &[String]) -> Response<Body> {
    for w in warnings {
        let text = format!("299 - {:?}", w.replace('"', "'"));
        if let Ok(v) = hyper::header::HeaderValue::from_str(&text) {
            response.headers_mut().append(hyper::header::WARNING, v);
        }
    }
    response
}

/// Routes a request to its handler.
pub(crate) async fn dispatch(
    server: &ApiServer,
    route: Route<'_>,
    query: &Query,
    request: Request<Bytes>,
) -> Response<Body> {
    let method = request.method().clone();
    let get = method == Method::GET || method == Method::HEAD;
    match route {
        Route::Health if get => response::with_type(StatusCode::OK, "text/plain", "ok"),
        Route::Version if get => discovery::version(),
        Route::Metrics if get => response::with_type(
            StatusCode::OK,
            "text/plain; version=0.0.4",
            server.inner.metrics.render(),
        ),
        Route::CoreVersions if get => discovery::core_versions(&request),
        Route::Groups if get => discovery::groups(server, &request),
        Route::Group(g) if get => discovery::group(server, &g),
        Route::Resources { group, version } if get => {
            discovery::resources(server, &group, &version)
        }
        Route::OpenApiRoot if get => openapi::root(server),
        Route::OpenApi(path) if get => openapi::group_version(server, &path).unwrap_or_else(|| {
            response::error(&ClientError::NotFound {
                message: format!("no OpenAPI document for {path}"),
                details: None,
            })
        }),
        Route::Resource(target) => match resource(server, &target, &method, query, request).await {
            Ok(r) => r,
            Err(e) => response::error(&e),
        },
        _ => not_allowed(&method, "this path"),
    }
}

async fn resource(
    server: &ApiServer,
    t: &Target<'_>,
    method: &Method,
    query: &Query,
    request: Request<Bytes>,
) -> Result<Response<Body>, ClientError> {
    let what = t.info.resource.plural.as_ref();
    let watch = t.legacy_watch || query.is_watch();
    match (&t.name, t.subresource, method.as_str()) {
        (None, None, "GET") if watch => watch::watch(server, t, query, &request).await,
        (None, None, "GET") => read::list(server, t, query, &request).await,
        (None, None, "POST") => create::create(server, t, query, &request).await,
        (None, None, "DELETE") => delete::delete_collection(server, t, query, request.body()).await,
        (Some(name), None, "GET") if watch => {
            watch::watch_one(server, t, name, query, &request).await
        }
        (Some(name), None, "GET") => read::get(server, t, name, query, &request).await,
        (Some(name), None | Some(Subresource::Status), "PUT") => {
            update::replace(server, t, name, query, &request).await
        }
        (Some(name), None | Some(Subresource::Status), "PATCH") => {
            patch::patch(server, t, name, query, &request).await
        }
        (Some(name), None, "DELETE") => {
            delete::delete(server, t, name, query, request.body()).await
        }
        (Some(name), Some(Subresource::Status), "GET") => {
            read::get(server, t, name, query, &request).await
        }
        (Some(name), Some(Subresource::Scale), "GET") => scale::get(server, t, name).await,
        (Some(name), Some(Subresource::Scale), "PUT") => {
            scale::replace(server, t, name, query, &request).await
        }
        (Some(name), Some(Subresource::Scale), "PATCH") => {
            scale::patch(server, t, name, query, &request).await
        }
        (Some(name), Some(Subresource::Binding), "POST") => {
            binding::bind(server, t, name, &request).await
        }
        (Some(name), Some(Subresource::Log), "GET") => Err(ClientError::unavailable(format!(
            "logs of pod {name:?} are served by the node agent, which this cluster does not run yet"
        ))),
        _ => Ok(not_allowed(method, what)),
    }
}
