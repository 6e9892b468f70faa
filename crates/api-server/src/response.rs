//! Building responses: JSON bodies, `Status` objects for errors, streamed bodies.

use std::convert::Infallible;

use bytes::Bytes;
use client::ClientError;
use http_body_util::{BodyExt, Full, combinators::UnsyncBoxBody};
use hyper::header::{CONTENT_TYPE, HeaderValue};
use hyper::{Response, StatusCode};
use serde::Serialize;

/// The body of every response: a full buffer or a stream (watches).
pub type Body = UnsyncBoxBody<Bytes, Infallible>;

/// The content type of JSON answers.
pub(crate) const JSON: &str = "application/json";

/// A full body.
pub(crate) fn full(bytes: impl Into<Bytes>) -> Body {
    Full::new(bytes.into()).boxed_unsync()
}

/// `value` as JSON with `status`.
pub(crate) fn json<T: Serialize + ?Sized>(status: StatusCode, value: &T) -> Response<Body> {
    match serde_json::to_vec(value) {
        Ok(bytes) => with_type(status, JSON, bytes),
        Err(e) => error(&ClientError::internal(format!(
            "cannot encode the answer: {e}"
        ))),
    }
}

/// A response with a content type.
pub(crate) fn with_type(
    status: StatusCode,
    content_type: &'static str,
    bytes: impl Into<Bytes>,
) -> Response<Body> {
    let mut response = Response::new(full(bytes));
    *response.status_mut() = status;
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    response
}

/// The `Status` of an error, with its code.
pub(crate) fn error(err: &ClientError) -> Response<Body> {
    let status = err.status();
    let code = StatusCode::from_u16(err.code()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut response = match serde_json::to_vec(&status) {
        Ok(bytes) => with_type(code, JSON, bytes),
        Err(_) => with_type(code, "text/plain", err.to_string()),
    };
    if let Some(seconds) = status
        .details
        .as_ref()
        .map(|d| d.retry_after_seconds)
        .filter(|s| *s > 0)
    {
        if let Ok(v) = HeaderValue::from_str(&seconds.to_string()) {
            response.headers_mut().insert(hyper::header::RETRY_AFTER, v);
        }
    }
    response
}

/// A `Status` of success (binding, and deletes that return no object).
pub(crate) fn success(code: StatusCode) -> Response<Body> {
    let status = core_types::Status {
        api_version: "v1".into(),
        kind: "Status".into(),
        status: "Success".into(),
        code: i32::from(code.as_u16()),
        ..core_types::Status::default()
    };
    json(code, &status)
}

/// 405 for a method the path does not support.
pub(crate) fn method_not_allowed(method: &hyper::Method, what: &str) -> Response<Body> {
    error(&ClientError::MethodNotAllowed {
        message: format!("the server does not allow {method} on {what}"),
    })
}
