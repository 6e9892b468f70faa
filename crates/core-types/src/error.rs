//! The crate's error type.

/// Everything that can go wrong turning input into the resource model.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A quantity string that is not a valid Kubernetes quantity.
    #[error("invalid quantity {input:?}: {reason}")]
    InvalidQuantity {
        /// The text that failed to parse.
        input: String,
        /// Why it was rejected.
        reason: String,
    },
    /// A timestamp that is not RFC 3339.
    #[error("invalid timestamp {input:?}: {reason}")]
    InvalidTime {
        /// The text that failed to parse.
        input: String,
        /// Why it was rejected.
        reason: String,
    },
    /// A label or field selector that does not parse or has an invalid part.
    #[error("invalid selector {input:?}: {reason}")]
    InvalidSelector {
        /// The selector text (or a rendering of the structured selector).
        input: String,
        /// Why it was rejected, with the position where it helps.
        reason: String,
    },
    /// JSON or YAML that does not decode into the expected type.
    #[error("{}{message}", if path.is_empty() || path == "." { String::new() } else { format!("{path}: ") })]
    Decode {
        /// Where in the document, e.g. `spec.containers[0].ports[0].containerPort`.
        path: String,
        /// What was wrong there.
        message: String,
    },
    /// A document whose `apiVersion`/`kind` is not the one the caller asked for.
    #[error("expected {expected}, found {found}")]
    WrongKind {
        /// `apiVersion kind` that was expected.
        expected: String,
        /// `apiVersion kind` that was found.
        found: String,
    },
    /// A document without `apiVersion` or `kind`.
    #[error("document {document}: missing {field}")]
    MissingTypeMeta {
        /// Index of the document within a multi-document stream (0-based).
        document: usize,
        /// `apiVersion` or `kind`.
        field: &'static str,
    },
    /// An object that could not be encoded.
    #[error("cannot encode object: {0}")]
    Encode(String),
}
