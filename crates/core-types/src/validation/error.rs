//! Field errors with paths, printed the way Kubernetes prints them.

use std::fmt;

/// A path to a field, built while walking an object: `spec.containers[1].name`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FieldPath(String);

impl FieldPath {
    /// A path starting at a top-level field.
    pub fn root(name: &str) -> Self {
        Self(name.to_owned())
    }

    /// The path of a child field.
    #[must_use]
    pub fn child(&self, name: &str) -> Self {
        if self.0.is_empty() {
            Self(name.to_owned())
        } else {
            Self(format!("{}.{name}", self.0))
        }
    }

    /// The path of a list element.
    #[must_use]
    pub fn index(&self, i: usize) -> Self {
        Self(format!("{}[{i}]", self.0))
    }

    /// The path of a map entry.
    #[must_use]
    pub fn key(&self, k: &str) -> Self {
        Self(format!("{}[{k}]", self.0))
    }

    /// The path as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What is wrong with a field (the `field.ErrorType` of Kubernetes).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum FieldErrorKind {
    /// A required field is missing or empty.
    Required,
    /// The value is malformed or out of range; holds the offending value.
    Invalid(String),
    /// The value repeats one that must be unique; holds the value.
    Duplicate(String),
    /// The value is not one of a fixed set; holds the value and the allowed values.
    NotSupported(String, Vec<String>),
    /// The value is longer than allowed; holds the limit in bytes.
    TooLong(usize),
    /// The field may not be set here.
    Forbidden,
}

/// One validation failure: where, what kind, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    /// Path of the field, e.g. `spec.containers[1].name`.
    pub path: FieldPath,
    /// What is wrong.
    pub kind: FieldErrorKind,
    /// Human-readable detail (may be empty).
    pub detail: String,
}

impl FieldError {
    /// `Required value`.
    pub fn required(path: &FieldPath, detail: impl Into<String>) -> Self {
        Self {
            path: path.clone(),
            kind: FieldErrorKind::Required,
            detail: detail.into(),
        }
    }

    /// `Invalid value`.
    pub fn invalid(path: &FieldPath, value: impl fmt::Display, detail: impl Into<String>) -> Self {
        Self {
            path: path.clone(),
            kind: FieldErrorKind::Invalid(value.to_string()),
            detail: detail.into(),
        }
    }

    /// `Duplicate value`.
    pub fn duplicate(path: &FieldPath, value: impl fmt::Display) -> Self {
        Self {
            path: path.clone(),
            kind: FieldErrorKind::Duplicate(value.to_string()),
            detail: String::new(),
        }
    }

    /// `Unsupported value`, listing what is supported.
    pub fn not_supported(path: &FieldPath, value: impl fmt::Display, allowed: &[&str]) -> Self {
        Self {
            path: path.clone(),
            kind: FieldErrorKind::NotSupported(
                value.to_string(),
                allowed.iter().map(|s| (*s).to_owned()).collect(),
            ),
            detail: String::new(),
        }
    }

    /// `Too long`.
    pub fn too_long(path: &FieldPath, max: usize) -> Self {
        Self {
            path: path.clone(),
            kind: FieldErrorKind::TooLong(max),
            detail: String::new(),
        }
    }

    /// `Forbidden`.
    pub fn forbidden(path: &FieldPath, detail: impl Into<String>) -> Self {
        Self {
            path: path.clone(),
            kind: FieldErrorKind::Forbidden,
            detail: detail.into(),
        }
    }

    /// The Kubernetes `StatusCause.reason` for this error (`FieldValueInvalid`, ...).
    pub fn reason(&self) -> &'static str {
        match self.kind {
            FieldErrorKind::Required => "FieldValueRequired",
            FieldErrorKind::Invalid(_) => "FieldValueInvalid",
            FieldErrorKind::Duplicate(_) => "FieldValueDuplicate",
            FieldErrorKind::NotSupported(..) => "FieldValueNotSupported",
            FieldErrorKind::TooLong(_) => "FieldValueTooLong",
            FieldErrorKind::Forbidden => "FieldValueForbidden",
        }
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: ", self.path)?;
        match &self.kind {
            FieldErrorKind::Required => f.write_str("Required value")?,
            FieldErrorKind::Invalid(v) => write!(f, "Invalid value: {v:?}")?,
            FieldErrorKind::Duplicate(v) => write!(f, "Duplicate value: {v:?}")?,
            FieldErrorKind::NotSupported(v, allowed) => {
                write!(f, "Unsupported value: {v:?}")?;
                if !allowed.is_empty() {
                    let list: Vec<String> = allowed.iter().map(|a| format!("{a:?}")).collect();
                    write!(f, ": supported values: {}", list.join(", "))?;
                }
            }
            FieldErrorKind::TooLong(max) => {
                write!(f, "Too long: may not be more than {max} bytes")?
            }
            FieldErrorKind::Forbidden => f.write_str("Forbidden")?,
        }
        if !self.detail.is_empty() {
            write!(f, ": {}", self.detail)?;
        }
        Ok(())
    }
}

/// Every error found in one object; never empty when returned as an `Err`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ValidationErrors(pub Vec<FieldError>);

impl ValidationErrors {
    /// `Ok(())` when there are no errors, else `Err(self)`.
    pub fn into_result(self) -> Result<(), Self> {
        if self.0.is_empty() { Ok(()) } else { Err(self) }
    }

    /// Adds an error.
    pub fn push(&mut self, e: FieldError) {
        self.0.push(e);
    }

    /// Adds one `Invalid value` error per message, all for the same field and value.
    pub fn invalid_all(&mut self, path: &FieldPath, value: &str, messages: Vec<String>) {
        self.0.extend(
            messages
                .into_iter()
                .map(|m| FieldError::invalid(path, value, m)),
        );
    }

    /// The errors.
    pub fn errors(&self) -> &[FieldError] {
        &self.0
    }

    /// True if no error was recorded.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Display for ValidationErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.len() == 1 {
            return write!(f, "{}", self.0[0]);
        }
        f.write_str("[")?;
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{e}")?;
        }
        f.write_str("]")
    }
}

impl std::error::Error for ValidationErrors {}
