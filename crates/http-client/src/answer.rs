//! Answers: the error an unsuccessful one stands for, and objects decoded from
//! successful ones.

use std::time::Duration;

use client::ClientError;
use core_types::{ApiResource, DynamicObject, Status, StatusDetails};
use hyper::StatusCode;
use hyper::http::HeaderMap;

use crate::retry;

/// The `Retry-After` an error carries, if any.
pub(crate) fn retry_after_of(error: &ClientError) -> Option<Duration> {
    match error {
        ClientError::TooManyRequests { retry_after, .. }
        | ClientError::Unavailable { retry_after, .. }
        | ClientError::Timeout { retry_after, .. } => *retry_after,
        _ => None,
    }
}

/// The error an unsuccessful answer stands for: its `Status` body when it has one
/// (the API server's errors all do), else one made from the HTTP status; a
/// `Retry-After` header is carried over.
pub(crate) fn error_of(status: StatusCode, headers: &HeaderMap, body: &[u8]) -> ClientError {
    let parsed = serde_json::from_slice::<Status>(body)
        .ok()
        .filter(|s| s.kind == "Status" || !s.reason.is_empty() || s.code != 0);
    let mut st = parsed.unwrap_or_else(|| {
        let text = String::from_utf8_lossy(body);
        let text = text.trim();
        Status {
            status: "Failure".into(),
            message: if text.is_empty() {
                status.canonical_reason().unwrap_or("error").to_owned()
            } else {
                text.chars().take(1024).collect()
            },
            ..Status::default()
        }
    });
    if st.code == 0 {
        st.code = i32::from(status.as_u16());
    }
    if let Some(after) = retry::retry_after(headers) {
        let seconds = i32::try_from(after.as_secs()).unwrap_or(i32::MAX);
        st.details
            .get_or_insert_with(StatusDetails::default)
            .retry_after_seconds = seconds;
    }
    ClientError::from_status(st)
}

/// Decodes an object from an answer, filling `apiVersion` and `kind` from `resource`
/// when the server left them out (as in list items).
pub(crate) fn decode_object(
    bytes: &[u8],
    resource: &ApiResource,
) -> Result<DynamicObject, ClientError> {
    let mut object: DynamicObject =
        serde_json::from_slice(bytes).map_err(|e| ClientError::Decode {
            path: String::new(),
            message: format!("the answer is not a {}: {e}", resource.kind),
        })?;
    fill_types(&mut object, resource);
    Ok(object)
}

/// Fills an object's empty `apiVersion` and `kind` from `resource`.
pub(crate) fn fill_types(object: &mut DynamicObject, resource: &ApiResource) {
    if object.types.api_version.is_empty() {
        object.types.api_version = resource.api_version().into_owned();
    }
    if object.types.kind.is_empty() {
        object.types.kind = resource.kind.to_string();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hyper::header::HeaderValue;

    #[test]
    fn status_bodies_become_their_errors() {
        let body = br#"{"kind":"Status","apiVersion":"v1","status":"Failure","message":"pods \"x\" not found","reason":"NotFound","code":404}"#;
        let e = error_of(StatusCode::NOT_FOUND, &HeaderMap::new(), body);
        assert!(e.is_not_found(), "{e:?}");
        assert_eq!(e.to_string(), "pods \"x\" not found");
        let e = error_of(StatusCode::GONE, &HeaderMap::new(), b"");
        assert!(e.is_gone(), "{e:?}");
        let e = error_of(StatusCode::BAD_GATEWAY, &HeaderMap::new(), b"upstream down");
        assert_eq!((e.code(), e.to_string().as_str()), (502, "upstream down"));
    }

    #[test]
    fn retry_after_header_is_carried_into_the_error() {
        let mut headers = HeaderMap::new();
        headers.insert(hyper::header::RETRY_AFTER, HeaderValue::from_static("4"));
        let e = error_of(StatusCode::TOO_MANY_REQUESTS, &headers, b"slow down");
        assert_eq!(retry_after_of(&e), Some(Duration::from_secs(4)));
        assert!(matches!(e, ClientError::TooManyRequests { .. }), "{e:?}");
    }

    #[test]
    fn objects_get_their_types_filled() {
        let pods = <core_types::core_v1::Pod as core_types::StaticResource>::resource();
        let o = decode_object(br#"{"metadata":{"name":"a"}}"#, pods).unwrap();
        assert_eq!(
            (o.types.api_version.as_str(), o.types.kind.as_str()),
            ("v1", "Pod")
        );
        let e = decode_object(b"[1]", pods).unwrap_err();
        assert!(matches!(e, ClientError::Decode { .. }), "{e:?}");
    }
}
