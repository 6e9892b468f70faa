//! Validation: every error in an object, each with its field path, printed as
//! Kubernetes prints them (`spec.containers[1].name: Invalid value: "App": ...`).

mod error;
mod meta;
pub mod names;

mod any;
mod batch;
mod common;
mod config;
mod container;
mod pod;
mod policy;
mod probe;
mod rbac;
mod scheduling;
mod service;
mod storage;
#[cfg(test)]
mod test_support;
mod volume;
mod workloads;

pub use error::{FieldError, FieldErrorKind, FieldPath, ValidationErrors};
pub use meta::{
    ANNOTATIONS_MAX_BYTES, NameCheck, validate_annotations, validate_labels, validate_object_meta,
};
pub use pod::{validate_pod_spec, validate_pod_template};

/// An object that can check itself. Returns every problem found, not just the first.
pub trait Validate {
    /// Checks the object; `Err` holds at least one error.
    fn validate(&self) -> Result<(), ValidationErrors>;
}
