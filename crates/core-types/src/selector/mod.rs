//! Label selectors and field selectors: the wire type, the string form, and matching.
//!
//! - [`LabelSelector`]: the object form written in manifests (`matchLabels`,
//!   `matchExpressions`); compile it with [`LabelSelector::to_selector`].
//! - [`Selector`]: a compiled label selector, parsed from or printed to the string form
//!   used in list and watch requests (`app=web,tier in (front,back),!canary`).
//! - [`FieldSelector`]: `metadata.name=web,status.phase!=Running`, matched through
//!   [`Resource::field_value`](crate::Resource::field_value).
//!
//! ```
//! use std::collections::BTreeMap;
//! use core_types::selector::{FieldSelector, Selector};
//!
//! let selector: Selector = "app=web,tier in (front,back),!canary".parse()?;
//! let labels = BTreeMap::from([("app".to_owned(), "web".to_owned()), ("tier".to_owned(), "front".to_owned())]);
//! assert!(selector.matches(&labels));
//! assert_eq!(selector.to_string(), "app=web,!canary,tier in (back,front)");
//!
//! let fields = FieldSelector::parse("metadata.name=web")?;
//! assert_eq!(fields.equality_value("metadata.name"), Some("web"));
//! # Ok::<(), core_types::Error>(())
//! ```

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::Error;

mod field;
mod label;
mod parse;
mod validate;

pub use field::{FieldOperator, FieldRequirement, FieldSelector};
pub use label::{Labels, Operator, Requirement, Selector};

/// A label selector as written in objects (`spec.selector` of workloads):
/// `matchLabels` and `matchExpressions`, all of which must match.
/// An empty selector matches every object.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LabelSelector {
    /// Each key must have exactly this value.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub match_labels: BTreeMap<String, String>,
    /// Each requirement must hold.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::serde_util::exact_vec"
    )]
    pub match_expressions: Vec<LabelSelectorRequirement>,
}

/// One `matchExpressions` entry: `key operator values`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LabelSelectorRequirement {
    /// The label key.
    #[serde(default)]
    pub key: String,
    /// `In`, `NotIn`, `Exists` or `DoesNotExist`.
    #[serde(default)]
    pub operator: String,
    /// Values for `In` and `NotIn`; empty for `Exists` and `DoesNotExist`.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::serde_util::exact_vec"
    )]
    pub values: Vec<String>,
}

impl LabelSelector {
    /// Compiles into a [`Selector`]: each `matchLabels` entry becomes an `Equals`
    /// requirement; `matchExpressions` operators must be exactly `In`, `NotIn`,
    /// `Exists` or `DoesNotExist`, with values for the first two and none for the others.
    ///
    /// An empty `LabelSelector` matches everything. (Where the selector field itself is
    /// absent, Kubernetes usually selects nothing; that is for the caller to decide.)
    pub fn to_selector(&self) -> Result<Selector, Error> {
        let error = |reason: String| Error::InvalidSelector {
            input: serde_json::to_string(self).unwrap_or_default(),
            reason,
        };
        let reason = |e: Error| match e {
            Error::InvalidSelector { reason, .. } => reason,
            other => other.to_string(),
        };
        let mut requirements =
            Vec::with_capacity(self.match_labels.len() + self.match_expressions.len());
        for (key, value) in &self.match_labels {
            let r = Requirement::new(key.as_str(), Operator::Equals, [value.as_str()])
                .map_err(|e| error(format!("matchLabels[{key:?}]: {}", reason(e))))?;
            requirements.push(r);
        }
        for (i, expr) in self.match_expressions.iter().enumerate() {
            let operator = match expr.operator.as_str() {
                "In" => Operator::In,
                "NotIn" => Operator::NotIn,
                "Exists" => Operator::Exists,
                "DoesNotExist" => Operator::DoesNotExist,
                other => {
                    return Err(error(format!(
                        "matchExpressions[{i}].operator: {other:?} is not a valid label selector \
                         operator (In, NotIn, Exists, DoesNotExist)"
                    )));
                }
            };
            let r = Requirement::new(
                expr.key.as_str(),
                operator,
                expr.values.iter().map(String::as_str),
            )
            .map_err(|e| error(format!("matchExpressions[{i}]: {}", reason(e))))?;
            requirements.push(r);
        }
        Ok(requirements.into_iter().collect())
    }

    /// Compiles and matches in one step. To match many label sets, compile once with
    /// [`to_selector`](Self::to_selector) instead.
    pub fn matches<L: Labels + ?Sized>(&self, labels: &L) -> Result<bool, Error> {
        Ok(self.to_selector()?.matches(labels))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn decode(json: &str) -> LabelSelector {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn wire_to_selector() {
        let selector = decode(
            r#"{"matchLabels":{"app":"web","tier":"front"},
                "matchExpressions":[
                  {"key":"env","operator":"In","values":["prod","staging"]},
                  {"key":"track","operator":"NotIn","values":["canary"]},
                  {"key":"owner","operator":"Exists"},
                  {"key":"legacy","operator":"DoesNotExist","values":[]}]}"#,
        );
        let compiled = selector.to_selector().unwrap();
        assert_eq!(
            compiled.to_string(),
            "app=web,env in (prod,staging),!legacy,owner,tier=front,track notin (canary)"
        );
        let labels = BTreeMap::from([
            ("app".to_owned(), "web".to_owned()),
            ("tier".to_owned(), "front".to_owned()),
            ("env".to_owned(), "prod".to_owned()),
            ("owner".to_owned(), "me".to_owned()),
        ]);
        assert_eq!(selector.matches(&labels), Ok(true));
        let mut other = labels.clone();
        other.insert("legacy".to_owned(), String::new());
        assert_eq!(selector.matches(&other), Ok(false));
        assert_eq!(LabelSelector::default().matches(&other), Ok(true));
        assert!(LabelSelector::default().to_selector().unwrap().is_empty());
    }

    #[test]
    fn wire_errors() {
        let cases = [
            (
                r#"{"matchExpressions":[{"key":"a","operator":"in","values":["x"]}]}"#,
                "matchExpressions[0].operator: \"in\" is not a valid label selector operator",
            ),
            (
                r#"{"matchExpressions":[{"key":"a","operator":"Gt","values":["1"]}]}"#,
                "\"Gt\" is not a valid",
            ),
            (
                r#"{"matchExpressions":[{"key":"a","operator":"In"}]}"#,
                "matchExpressions[0]: 'in' and 'notin' need at least one value",
            ),
            (
                r#"{"matchExpressions":[{"key":"a","operator":"Exists","values":["x"]}]}"#,
                "take no values",
            ),
            (
                r#"{"matchExpressions":[{"key":"a","operator":"Exists"},{"key":"-a","operator":"Exists"}]}"#,
                "matchExpressions[1]: invalid key \"-a\"",
            ),
            (
                r#"{"matchLabels":{"a":"not ok"}}"#,
                "matchLabels[\"a\"]: invalid value",
            ),
        ];
        for (json, fragment) in cases {
            let err = decode(json).to_selector().unwrap_err();
            let Error::InvalidSelector { input, reason } = &err else {
                panic!("{json}: {err:?}");
            };
            assert!(reason.contains(fragment), "{json}: {reason}");
            assert!(input.starts_with('{'), "{input}");
            assert!(
                decode(json)
                    .matches(&BTreeMap::<String, String>::new())
                    .is_err()
            );
        }
    }
}
