//! [`ClientError`] to and from the Kubernetes `Status` object.

use std::time::Duration;

use core_types::{ListMeta, Status, StatusDetails};

use crate::error::ClientError;

impl ClientError {
    /// The HTTP status code: 404, 409, 422, 410, 400, 401, 403, 405, 415, 429, 504, 503,
    /// 500. A client-side [`Decode`](ClientError::Decode) error counts as 500.
    pub fn code(&self) -> u16 {
        match self {
            ClientError::NotFound { .. } => 404,
            ClientError::AlreadyExists { .. } | ClientError::Conflict { .. } => 409,
            ClientError::Invalid { .. } => 422,
            ClientError::Gone { .. } => 410,
            ClientError::BadRequest { .. } => 400,
            ClientError::Unauthorized { .. } => 401,
            ClientError::Forbidden { .. } => 403,
            ClientError::MethodNotAllowed { .. } => 405,
            ClientError::UnsupportedMediaType { .. } => 415,
            ClientError::TooManyRequests { .. } => 429,
            ClientError::Timeout { .. } => 504,
            ClientError::Unavailable { .. } => 503,
            ClientError::Internal { .. } | ClientError::Decode { .. } => 500,
            ClientError::Other(status) => u16::try_from(status.code).unwrap_or(500),
        }
    }

    /// The `Status.reason`: `NotFound`, `AlreadyExists`, `Conflict`, `Invalid`,
    /// `Expired`, `BadRequest`, `Unauthorized`, `Forbidden`, `MethodNotAllowed`,
    /// `UnsupportedMediaType`, `TooManyRequests`, `Timeout`, `ServiceUnavailable`,
    /// `InternalError`.
    pub fn reason(&self) -> &str {
        match self {
            ClientError::NotFound { .. } => "NotFound",
            ClientError::AlreadyExists { .. } => "AlreadyExists",
            ClientError::Conflict { .. } => "Conflict",
            ClientError::Invalid { .. } => "Invalid",
            ClientError::Gone { .. } => "Expired",
            ClientError::BadRequest { .. } => "BadRequest",
            ClientError::Unauthorized { .. } => "Unauthorized",
            ClientError::Forbidden { .. } => "Forbidden",
            ClientError::MethodNotAllowed { .. } => "MethodNotAllowed",
            ClientError::UnsupportedMediaType { .. } => "UnsupportedMediaType",
            ClientError::TooManyRequests { .. } => "TooManyRequests",
            ClientError::Timeout { .. } => "Timeout",
            ClientError::Unavailable { .. } => "ServiceUnavailable",
            ClientError::Internal { .. } | ClientError::Decode { .. } => "InternalError",
            ClientError::Other(status) => &status.reason,
        }
    }

    /// The `Status` object an API server answers with for this error.
    pub fn status(&self) -> Status {
        if let ClientError::Other(status) = self {
            return (**status).clone();
        }
        let mut details = self.details().cloned();
        let retry_after = match self {
            ClientError::TooManyRequests { retry_after, .. }
            | ClientError::Timeout { retry_after, .. }
            | ClientError::Unavailable { retry_after, .. } => *retry_after,
            _ => None,
        };
        if let Some(after) = retry_after {
            let seconds = i32::try_from(after.as_secs()).unwrap_or(i32::MAX);
            details
                .get_or_insert_with(StatusDetails::default)
                .retry_after_seconds = seconds;
        }
        let metadata = match self {
            ClientError::Conflict {
                current_resource_version: Some(rv),
                ..
            } => ListMeta {
                resource_version: rv.clone(),
                ..ListMeta::default()
            },
            _ => ListMeta::default(),
        };
        Status {
            api_version: "v1".to_owned(),
            kind: "Status".to_owned(),
            metadata,
            status: "Failure".to_owned(),
            message: self.to_string(),
            reason: self.reason().to_owned(),
            details,
            code: i32::from(self.code()),
        }
    }

    /// The error a `Status` stands for: by `reason` first, then by `code` when the
    /// reason is empty or unknown; anything else is [`ClientError::Other`].
    pub fn from_status(status: Status) -> Self {
        let Some(kind) = Kind::of_reason(&status.reason).or_else(|| Kind::of_code(status.code))
        else {
            return ClientError::Other(Box::new(status));
        };
        let retry_after = status
            .details
            .as_ref()
            .map(|d| d.retry_after_seconds)
            .filter(|s| *s > 0)
            .map(|s| Duration::from_secs(u64::from(s.unsigned_abs())));
        let current = Some(status.metadata.resource_version).filter(|rv| !rv.is_empty());
        let message = status.message;
        let details = status.details.map(Box::new);
        match kind {
            Kind::NotFound => ClientError::NotFound { message, details },
            Kind::AlreadyExists => ClientError::AlreadyExists { message, details },
            Kind::Conflict => ClientError::Conflict {
                message,
                current_resource_version: current,
                details,
            },
            Kind::Invalid => ClientError::Invalid { message, details },
            Kind::Gone => ClientError::Gone { message },
            Kind::BadRequest => ClientError::BadRequest { message, details },
            Kind::Unauthorized => ClientError::Unauthorized { message },
            Kind::Forbidden => ClientError::Forbidden { message, details },
            Kind::MethodNotAllowed => ClientError::MethodNotAllowed { message },
            Kind::UnsupportedMediaType => ClientError::UnsupportedMediaType { message },
            Kind::TooManyRequests => ClientError::TooManyRequests {
                message,
                retry_after,
            },
            Kind::Timeout => ClientError::Timeout {
                message,
                retry_after,
            },
            Kind::Unavailable => ClientError::Unavailable {
                message,
                retry_after,
            },
            Kind::Internal => ClientError::Internal { message },
        }
    }
}

/// The variants [`ClientError::from_status`] can produce.
#[derive(Clone, Copy)]
enum Kind {
    NotFound,
    AlreadyExists,
    Conflict,
    Invalid,
    Gone,
    BadRequest,
    Unauthorized,
    Forbidden,
    MethodNotAllowed,
    UnsupportedMediaType,
    TooManyRequests,
    Timeout,
    Unavailable,
    Internal,
}

impl Kind {
    fn of_reason(reason: &str) -> Option<Self> {
        Some(match reason {
            "NotFound" => Kind::NotFound,
            "AlreadyExists" => Kind::AlreadyExists,
            "Conflict" => Kind::Conflict,
            "Invalid" => Kind::Invalid,
            "Expired" | "Gone" => Kind::Gone,
            "BadRequest" => Kind::BadRequest,
            "Unauthorized" => Kind::Unauthorized,
            "Forbidden" => Kind::Forbidden,
            "MethodNotAllowed" => Kind::MethodNotAllowed,
            "UnsupportedMediaType" => Kind::UnsupportedMediaType,
            "TooManyRequests" => Kind::TooManyRequests,
            "Timeout" | "ServerTimeout" => Kind::Timeout,
            "ServiceUnavailable" => Kind::Unavailable,
            "InternalError" => Kind::Internal,
            _ => return None,
        })
    }

    /// For a `Status` without a known reason; 409 without a reason is a conflict.
    fn of_code(code: i32) -> Option<Self> {
        Some(match code {
            404 => Kind::NotFound,
            409 => Kind::Conflict,
            422 => Kind::Invalid,
            410 => Kind::Gone,
            400 => Kind::BadRequest,
            401 => Kind::Unauthorized,
            403 => Kind::Forbidden,
            405 => Kind::MethodNotAllowed,
            415 => Kind::UnsupportedMediaType,
            429 => Kind::TooManyRequests,
            504 => Kind::Timeout,
            503 => Kind::Unavailable,
            500 => Kind::Internal,
            _ => return None,
        })
    }
}
