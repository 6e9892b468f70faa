//! Error mapping to and from `Status`.

use std::time::Duration;

use core_types::core_v1::Pod;
use core_types::validation::{FieldError, FieldPath, ValidationErrors};
use core_types::{ApiResource, Scope, StaticResource, Status, StatusDetails};

use crate::ClientError;

fn deployments() -> ApiResource {
    ApiResource::new("apps", "v1", "Deployment", "deployments", Scope::Namespaced)
}

#[test]
fn constructors_speak_like_kubernetes() {
    let pods = Pod::resource();
    let e = ClientError::not_found(pods, "web");
    assert_eq!(e.to_string(), r#"pods "web" not found"#);
    assert_eq!((e.code(), e.reason()), (404, "NotFound"));
    assert!(e.is_not_found());
    let details = e.details().unwrap();
    assert_eq!(
        (details.name.as_str(), details.kind.as_str()),
        ("web", "pods")
    );

    let e = ClientError::already_exists(&deployments(), "api");
    assert_eq!(e.to_string(), r#"deployments.apps "api" already exists"#);
    assert_eq!((e.code(), e.reason()), (409, "AlreadyExists"));
    assert!(!e.is_conflict());

    let e = ClientError::modified(pods, "web", Some("17".into()));
    assert!(e.to_string().starts_with(
        r#"Operation cannot be fulfilled on pods "web": the object has been modified"#
    ));
    assert_eq!((e.code(), e.reason()), (409, "Conflict"));
    assert!(e.is_conflict());
    assert_eq!(e.status().metadata.resource_version, "17");

    let e = ClientError::gone("too old resource version: 3 (10)");
    assert_eq!((e.code(), e.reason()), (410, "Expired"));
    assert!(e.is_gone());
}

#[test]
fn invalid_carries_one_cause_per_field() {
    let mut errors = ValidationErrors::default();
    let name = FieldPath::root("metadata").child("name");
    errors.push(FieldError::required(
        &name,
        "name or generateName is required",
    ));
    errors.push(FieldError::invalid(
        &FieldPath::root("spec").child("replicas"),
        -1,
        "must be greater than or equal to 0",
    ));
    let e = ClientError::invalid(&deployments(), "api", &errors);
    assert_eq!((e.code(), e.reason()), (422, "Invalid"));
    assert!(
        e.to_string()
            .starts_with(r#"Deployment "api" is invalid: ["#),
        "{e}"
    );
    let causes = e.causes();
    assert_eq!(causes.len(), 2);
    assert_eq!(causes[0].field, "metadata.name");
    assert_eq!(causes[0].reason, "FieldValueRequired");
    assert_eq!(
        causes[0].message,
        "Required value: name or generateName is required"
    );
    assert_eq!(causes[1].reason, "FieldValueInvalid");
    assert_eq!(
        causes[1].message,
        "Invalid value: \"-1\": must be greater than or equal to 0"
    );
}

#[test]
fn every_variant_round_trips_through_status() {
    let pods = Pod::resource();
    let mut errors = ValidationErrors::default();
    errors.push(FieldError::forbidden(&FieldPath::root("spec"), "no"));
    let cases = vec![
        ClientError::not_found(pods, "a"),
        ClientError::already_exists(pods, "a"),
        ClientError::modified(pods, "a", Some("5".into())),
        ClientError::modified(pods, "a", None),
        ClientError::invalid(pods, "a", &errors),
        ClientError::gone("expired"),
        ClientError::bad_request("bad"),
        ClientError::Unauthorized {
            message: "who".into(),
        },
        ClientError::Forbidden {
            message: "no".into(),
            details: None,
        },
        ClientError::MethodNotAllowed {
            message: "nope".into(),
        },
        ClientError::UnsupportedMediaType {
            message: "patch".into(),
        },
        ClientError::TooManyRequests {
            message: "slow down".into(),
            retry_after: Some(Duration::from_secs(3)),
        },
        ClientError::Timeout {
            message: "late".into(),
            retry_after: None,
        },
        ClientError::Unavailable {
            message: "down".into(),
            retry_after: Some(Duration::from_secs(1)),
        },
        ClientError::internal("boom"),
        ClientError::Other(Box::new(Status {
            message: "teapot".into(),
            reason: "Teapot".into(),
            code: 418,
            ..Status::default()
        })),
    ];
    for e in cases {
        let status = e.status();
        if !matches!(e, ClientError::Other(_)) {
            assert_eq!(status.kind, "Status");
            assert_eq!(status.status, "Failure");
        }
        assert_eq!(status.code, i32::from(e.code()), "{e:?}");
        assert_eq!(status.reason, e.reason(), "{e:?}");
        let json = serde_json::to_string(&status).unwrap();
        let back: Status = serde_json::from_str(&json).unwrap();
        assert_eq!(ClientError::from_status(back), e, "{json}");
    }
}

#[test]
fn from_status_falls_back_on_the_code() {
    let status = |reason: &str, code: i32| Status {
        message: "m".into(),
        reason: reason.into(),
        code,
        ..Status::default()
    };
    assert!(ClientError::from_status(status("", 404)).is_not_found());
    assert!(ClientError::from_status(status("", 409)).is_conflict());
    assert!(ClientError::from_status(status("Gone", 410)).is_gone());
    assert!(matches!(
        ClientError::from_status(status("ServerTimeout", 500)),
        ClientError::Timeout { .. }
    ));
    assert!(matches!(
        ClientError::from_status(status("Whatever", 502)),
        ClientError::Other(_)
    ));
    let throttled = Status {
        details: Some(StatusDetails {
            retry_after_seconds: 7,
            ..StatusDetails::default()
        }),
        ..status("TooManyRequests", 429)
    };
    assert_eq!(
        ClientError::from_status(throttled),
        ClientError::TooManyRequests {
            message: "m".into(),
            retry_after: Some(Duration::from_secs(7)),
        }
    );
}

#[test]
fn decode_errors_keep_their_path() {
    let e = ClientError::from(core_types::Error::Decode {
        path: "spec.containers[0]".into(),
        message: "invalid type".into(),
    });
    assert_eq!(
        e.to_string(),
        "cannot decode object: spec.containers[0]: invalid type"
    );
    assert_eq!(e.code(), 500);
    assert_eq!(e.status().reason, "InternalError");
    let bad_selector = "a in ("
        .parse::<core_types::selector::Selector>()
        .unwrap_err();
    assert_eq!(ClientError::from(bad_selector).code(), 400);
}
