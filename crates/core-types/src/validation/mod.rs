//! Validation: every error in an object, each with its field path, printed as
//! Kubernetes prints them (`spec.containers[1].name: Invalid value: "App": ...`).

mod error;
mod meta;
pub mod names;

pub use error::{FieldError, FieldErrorKind, FieldPath, ValidationErrors};
pub use meta::{ANNOTATIONS_MAX_BYTES, NameCheck, validate_labels, validate_object_meta};

/// An object that can check itself. Returns every problem found, not just the first.
pub trait Validate {
    /// Checks the object; `Err` holds at least one error.
    fn validate(&self) -> Result<(), ValidationErrors>;
}
