//! The client's error type: one variant per Kubernetes `Status` reason, so that the API
//! server, the HTTP client and the in-process client map errors one to one.

use std::fmt;
use std::time::Duration;

use core_types::validation::ValidationErrors;
use core_types::{ApiResource, StatusCause, StatusDetails};

/// Everything a [`Client`](crate::Client) call can fail with.
///
/// Each variant stands for a Kubernetes `Status` reason and its HTTP code (see
/// [`ClientError::code`]); [`ClientError::status`] and [`ClientError::from_status`]
/// convert to and from the `Status` object the API returns, so an error crosses the
/// wire unchanged. `message` is the human-readable text; `details` the `Status`
/// details (which object, per-field causes) when the server gave them.
///
/// [`Decode`](Self::Decode) is the one client-side variant: an object that does not
/// convert to the caller's type.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ClientError {
    /// 404 `NotFound`: the object (or namespace) does not exist.
    #[error("{message}")]
    NotFound {
        /// What was not found.
        message: String,
        /// Which object.
        details: Option<Box<StatusDetails>>,
    },
    /// 409 `AlreadyExists`: a create found an object of that name.
    #[error("{message}")]
    AlreadyExists {
        /// Which object exists.
        message: String,
        /// Which object.
        details: Option<Box<StatusDetails>>,
    },
    /// 409 `Conflict`: the object changed since it was read (optimistic concurrency on
    /// `metadata.resourceVersion`), or a precondition did not hold.
    #[error("{message}")]
    Conflict {
        /// Why.
        message: String,
        /// The object's current resourceVersion, when known (carried in the `Status`
        /// list metadata; a Kubernetes server leaves it empty).
        current_resource_version: Option<String>,
        /// Which object.
        details: Option<Box<StatusDetails>>,
    },
    /// 422 `Invalid`: the object breaks a rule; `details.causes` has one cause per field.
    #[error("{message}")]
    Invalid {
        /// All problems, formatted.
        message: String,
        /// Which object, and the per-field causes.
        details: Option<Box<StatusDetails>>,
    },
    /// 410 `Expired`/`Gone`: the resourceVersion or continue token is too old (history
    /// was compacted, or a watcher fell behind). Re-list, then watch again.
    #[error("{message}")]
    Gone {
        /// Why.
        message: String,
    },
    /// 400 `BadRequest`: the request itself is malformed.
    #[error("{message}")]
    BadRequest {
        /// Why.
        message: String,
        /// Extra detail, if any.
        details: Option<Box<StatusDetails>>,
    },
    /// 401 `Unauthorized`: no valid credentials.
    #[error("{message}")]
    Unauthorized {
        /// Why.
        message: String,
    },
    /// 403 `Forbidden`: the caller may not do this.
    #[error("{message}")]
    Forbidden {
        /// Why.
        message: String,
        /// Which object.
        details: Option<Box<StatusDetails>>,
    },
    /// 405 `MethodNotAllowed`: the resource does not support the operation.
    #[error("{message}")]
    MethodNotAllowed {
        /// Why.
        message: String,
    },
    /// 415 `UnsupportedMediaType`: e.g. a patch type the server does not support.
    #[error("{message}")]
    UnsupportedMediaType {
        /// Why.
        message: String,
    },
    /// 429 `TooManyRequests`: throttled; retry after the given delay.
    #[error("{message}")]
    TooManyRequests {
        /// Why.
        message: String,
        /// How long to wait before retrying, if the server said.
        retry_after: Option<Duration>,
    },
    /// 504 `Timeout` (or 500 `ServerTimeout`): the request did not complete in time
    /// (e.g. a resourceVersion newer than the server has seen).
    #[error("{message}")]
    Timeout {
        /// Why.
        message: String,
        /// How long to wait before retrying, if the server said.
        retry_after: Option<Duration>,
    },
    /// 503 `ServiceUnavailable`: the server or its storage cannot serve now.
    #[error("{message}")]
    Unavailable {
        /// Why.
        message: String,
        /// How long to wait before retrying, if the server said.
        retry_after: Option<Duration>,
    },
    /// 500 `InternalError`: a server-side failure (storage failure, corrupt data).
    #[error("{message}")]
    Internal {
        /// What failed.
        message: String,
    },
    /// An object that does not convert to the caller's type (client side).
    #[error("cannot decode object: {}{message}", if path.is_empty() || path == "." { String::new() } else { format!("{path}: ") })]
    Decode {
        /// Where in the object, e.g. `spec.containers[0].ports`.
        path: String,
        /// What was wrong there.
        message: String,
    },
    /// Any other `Status` (a reason and code this enum does not model).
    #[error("{}", .0.message)]
    Other(Box<core_types::Status>),
}

/// `plural[.group]`, the way Kubernetes names a resource in messages.
pub(crate) struct Qualified<'a>(pub(crate) &'a ApiResource);

impl fmt::Display for Qualified<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.group.is_empty() {
            f.write_str(&self.0.plural)
        } else {
            write!(f, "{}.{}", self.0.plural, self.0.group)
        }
    }
}

fn object_details(resource: &ApiResource, name: &str) -> Option<Box<StatusDetails>> {
    Some(Box::new(StatusDetails {
        name: name.to_owned(),
        group: resource.group.to_string(),
        kind: resource.plural.to_string(),
        ..StatusDetails::default()
    }))
}

// === constructors ===

impl ClientError {
    /// `pods "web" not found`.
    pub fn not_found(resource: &ApiResource, name: &str) -> Self {
        ClientError::NotFound {
            message: format!("{} {name:?} not found", Qualified(resource)),
            details: object_details(resource, name),
        }
    }

    /// `pods "web" already exists`.
    pub fn already_exists(resource: &ApiResource, name: &str) -> Self {
        ClientError::AlreadyExists {
            message: format!("{} {name:?} already exists", Qualified(resource)),
            details: object_details(resource, name),
        }
    }

    /// `Operation cannot be fulfilled on pods "web": <reason>`, with the object's current
    /// resourceVersion when known.
    pub fn conflict(
        resource: &ApiResource,
        name: &str,
        reason: impl fmt::Display,
        current_resource_version: Option<String>,
    ) -> Self {
        ClientError::Conflict {
            message: format!(
                "Operation cannot be fulfilled on {} {name:?}: {reason}",
                Qualified(resource)
            ),
            current_resource_version,
            details: object_details(resource, name),
        }
    }

    /// The usual optimistic-concurrency conflict: the object was modified.
    pub fn modified(resource: &ApiResource, name: &str, current: Option<String>) -> Self {
        Self::conflict(
            resource,
            name,
            "the object has been modified; please apply your changes to the latest version \
             and try again",
            current,
        )
    }

    /// `Pod "web" is invalid: <errors>`, with one cause per field error.
    pub fn invalid(resource: &ApiResource, name: &str, errors: &ValidationErrors) -> Self {
        let causes = errors
            .errors()
            .iter()
            .map(|e| {
                let text = e.to_string();
                let prefix = format!("{}: ", e.path);
                StatusCause {
                    reason: e.reason().to_owned(),
                    message: text.strip_prefix(&prefix).unwrap_or(&text).to_owned(),
                    field: e.path.to_string(),
                }
            })
            .collect();
        let mut details = object_details(resource, name);
        if let Some(d) = details.as_mut() {
            d.kind = resource.kind.to_string();
            d.causes = causes;
        }
        ClientError::Invalid {
            message: format!("{} {name:?} is invalid: {errors}", resource.kind),
            details,
        }
    }

    /// 400 with a message.
    pub fn bad_request(message: impl Into<String>) -> Self {
        ClientError::BadRequest {
            message: message.into(),
            details: None,
        }
    }

    /// 410 with a message.
    pub fn gone(message: impl Into<String>) -> Self {
        ClientError::Gone {
            message: message.into(),
        }
    }

    /// 500 with a message.
    pub fn internal(message: impl Into<String>) -> Self {
        ClientError::Internal {
            message: message.into(),
        }
    }

    /// 503 with a message.
    pub fn unavailable(message: impl Into<String>) -> Self {
        ClientError::Unavailable {
            message: message.into(),
            retry_after: None,
        }
    }

    /// 504 with a message.
    pub fn timeout(message: impl Into<String>) -> Self {
        ClientError::Timeout {
            message: message.into(),
            retry_after: None,
        }
    }
}

// === predicates ===

impl ClientError {
    /// True for [`ClientError::NotFound`].
    pub fn is_not_found(&self) -> bool {
        matches!(self, ClientError::NotFound { .. })
    }

    /// True for [`ClientError::Conflict`] (not `AlreadyExists`, which shares its code).
    pub fn is_conflict(&self) -> bool {
        matches!(self, ClientError::Conflict { .. })
    }

    /// True for [`ClientError::Gone`]: re-list before watching again.
    pub fn is_gone(&self) -> bool {
        matches!(self, ClientError::Gone { .. })
    }

    /// The per-field causes of an error (`Invalid` above all), empty when none.
    pub fn causes(&self) -> &[StatusCause] {
        self.details().map_or(&[], |d| d.causes.as_slice())
    }

    /// The `Status` details carried by the error, if any.
    pub fn details(&self) -> Option<&StatusDetails> {
        match self {
            ClientError::NotFound { details, .. }
            | ClientError::AlreadyExists { details, .. }
            | ClientError::Conflict { details, .. }
            | ClientError::Invalid { details, .. }
            | ClientError::BadRequest { details, .. }
            | ClientError::Forbidden { details, .. } => details.as_deref(),
            ClientError::Other(status) => status.details.as_ref(),
            _ => None,
        }
    }
}

/// Decoding errors become [`ClientError::Decode`] (with their path); a selector that
/// does not parse is a [`ClientError::BadRequest`].
impl From<core_types::Error> for ClientError {
    fn from(e: core_types::Error) -> Self {
        match e {
            core_types::Error::Decode { path, message } => ClientError::Decode { path, message },
            e @ core_types::Error::InvalidSelector { .. } => {
                ClientError::bad_request(e.to_string())
            }
            other => ClientError::Decode {
                path: String::new(),
                message: other.to_string(),
            },
        }
    }
}
