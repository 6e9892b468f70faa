//! Compiled label selectors: requirements, matching and the canonical string form.

use std::borrow::Borrow;
use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::hash::{BuildHasher, Hash};
use std::str::FromStr;

use super::validate::{check_key, check_value};
use crate::Error;

/// Read access to a set of labels, as label selectors need it.
///
/// Implemented for `BTreeMap` and `HashMap` with `String` or `&str` keys and values
/// (e.g. `ObjectMeta::labels`), and for references to implementors.
pub trait Labels {
    /// The value of label `key`, or `None` if the label is not set.
    fn get(&self, key: &str) -> Option<&str>;
}

impl<K: Borrow<str> + Ord, V: AsRef<str>> Labels for BTreeMap<K, V> {
    fn get(&self, key: &str) -> Option<&str> {
        BTreeMap::get(self, key).map(AsRef::as_ref)
    }
}

impl<K: Borrow<str> + Hash + Eq, V: AsRef<str>, S: BuildHasher> Labels for HashMap<K, V, S> {
    fn get(&self, key: &str) -> Option<&str> {
        HashMap::get(self, key).map(AsRef::as_ref)
    }
}

impl<T: Labels + ?Sized> Labels for &T {
    fn get(&self, key: &str) -> Option<&str> {
        (**self).get(key)
    }
}

/// How a [`Requirement`] compares a label with its values.
///
/// The declaration order is the order requirements on the same key are printed in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Operator {
    /// `key=value` or `key==value`: the label is set to the value.
    Equals,
    /// `key!=value`: the label is not set, or set to another value.
    NotEquals,
    /// `key in (a,b)`: the label is set to one of the values.
    In,
    /// `key notin (a,b)`: the label is not set, or set to none of the values.
    NotIn,
    /// `key`: the label is set, to any value.
    Exists,
    /// `!key`: the label is not set.
    DoesNotExist,
    /// `key gt 3`: the label is an integer greater than the value.
    GreaterThan,
    /// `key lt 3`: the label is an integer less than the value.
    LessThan,
}

/// One condition of a label selector: a key, an operator and its values.
///
/// Built by [`Requirement::new`] or by parsing, both of which validate, so every
/// requirement prints to a string that parses back to it. Values are kept sorted and
/// without duplicates.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Requirement {
    key: String,
    operator: Operator,
    values: Vec<String>,
    /// The value as an integer for `GreaterThan` and `LessThan`; 0 otherwise.
    bound: i64,
}

/// Which part of a requirement a validation problem is about.
#[derive(Debug)]
pub(super) enum Part {
    Key,
    Value(usize),
    Operator,
}

impl Requirement {
    /// A validated requirement. `values` must be empty for `Exists` and `DoesNotExist`,
    /// hold one value for `Equals`, `NotEquals`, `GreaterThan` and `LessThan` (an
    /// integer for the latter two), and at least one value for `In` and `NotIn`.
    pub fn new<S: Into<String>>(
        key: impl Into<String>,
        operator: Operator,
        values: impl IntoIterator<Item = S>,
    ) -> Result<Self, Error> {
        let key = key.into();
        let values: Vec<String> = values.into_iter().map(Into::into).collect();
        match check(&key, operator, &values) {
            Ok(bound) => Ok(Self::from_checked(key, operator, values, bound)),
            Err((_, reason)) => {
                let mut input = String::new();
                // Writing into a String cannot fail.
                let _ = write_requirement(&mut input, &key, operator, &values);
                Err(Error::InvalidSelector { input, reason })
            }
        }
    }

    /// Builds a requirement that passed [`check`], normalizing the values.
    pub(super) fn from_checked(
        key: String,
        operator: Operator,
        mut values: Vec<String>,
        bound: i64,
    ) -> Self {
        values.sort_unstable();
        values.dedup();
        Self {
            key,
            operator,
            values,
            bound,
        }
    }

    /// The label key.
    pub fn key(&self) -> &str {
        &self.key
    }

    /// The operator.
    pub fn operator(&self) -> Operator {
        self.operator
    }

    /// The values, sorted and without duplicates.
    pub fn values(&self) -> &[String] {
        &self.values
    }

    /// True if the labels satisfy this requirement.
    pub fn matches<L: Labels + ?Sized>(&self, labels: &L) -> bool {
        let value = labels.get(&self.key);
        match self.operator {
            Operator::Equals | Operator::In => value.is_some_and(|v| self.has_value(v)),
            Operator::NotEquals | Operator::NotIn => !value.is_some_and(|v| self.has_value(v)),
            Operator::Exists => value.is_some(),
            Operator::DoesNotExist => value.is_none(),
            Operator::GreaterThan => value
                .and_then(|v| v.parse::<i64>().ok())
                .is_some_and(|n| n > self.bound),
            Operator::LessThan => value
                .and_then(|v| v.parse::<i64>().ok())
                .is_some_and(|n| n < self.bound),
        }
    }

    fn has_value(&self, value: &str) -> bool {
        self.values
            .binary_search_by(|v| v.as_str().cmp(value))
            .is_ok()
    }
}

/// Validates a requirement; returns the integer bound for `gt`/`lt` (0 otherwise), or
/// which part is wrong and why.
pub(super) fn check(
    key: &str,
    operator: Operator,
    values: &[String],
) -> Result<i64, (Part, String)> {
    check_key(key).map_err(|reason| (Part::Key, format!("invalid key {key:?}: {reason}")))?;
    for (i, value) in values.iter().enumerate() {
        check_value(value).map_err(|reason| {
            (
                Part::Value(i),
                format!("invalid value {value:?} for key {key:?}: {reason}"),
            )
        })?;
    }
    let count_problem = match operator {
        Operator::In | Operator::NotIn if values.is_empty() => {
            Some("'in' and 'notin' need at least one value")
        }
        Operator::Equals | Operator::NotEquals if values.len() != 1 => {
            Some("'=', '==' and '!=' need exactly one value")
        }
        Operator::Exists | Operator::DoesNotExist if !values.is_empty() => {
            Some("exists and does-not-exist requirements take no values")
        }
        Operator::GreaterThan | Operator::LessThan if values.len() != 1 => {
            Some("'gt' and 'lt' need exactly one value")
        }
        _ => None,
    };
    if let Some(problem) = count_problem {
        return Err((Part::Operator, problem.to_owned()));
    }
    match (operator, values.first()) {
        (Operator::GreaterThan | Operator::LessThan, Some(value)) => {
            value.parse::<i64>().map_err(|_| {
                (
                    Part::Value(0),
                    format!("'gt' and 'lt' need an integer value, found {value:?}"),
                )
            })
        }
        _ => Ok(0),
    }
}

/// Writes `key op values` in the string form (values in the given order).
fn write_requirement(
    f: &mut impl fmt::Write,
    key: &str,
    operator: Operator,
    values: &[String],
) -> fmt::Result {
    let join = |f: &mut dyn fmt::Write| -> fmt::Result {
        for (i, v) in values.iter().enumerate() {
            if i > 0 {
                f.write_char(',')?;
            }
            f.write_str(v)?;
        }
        Ok(())
    };
    match operator {
        Operator::Exists => f.write_str(key),
        Operator::DoesNotExist => write!(f, "!{key}"),
        Operator::Equals => {
            write!(f, "{key}=")?;
            join(f)
        }
        Operator::NotEquals => {
            write!(f, "{key}!=")?;
            join(f)
        }
        Operator::GreaterThan => {
            write!(f, "{key} gt ")?;
            join(f)
        }
        Operator::LessThan => {
            write!(f, "{key} lt ")?;
            join(f)
        }
        Operator::In | Operator::NotIn => {
            let word = if operator == Operator::In {
                "in"
            } else {
                "notin"
            };
            write!(f, "{key} {word} (")?;
            join(f)?;
            f.write_char(')')
        }
    }
}

impl fmt::Display for Requirement {
    /// The string form: `k=v`, `k!=v`, `k in (a,b)`, `k notin (a,b)`, `k`, `!k`,
    /// `k gt 3`, `k lt 3`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_requirement(f, &self.key, self.operator, &self.values)
    }
}

/// A compiled label selector: requirements that must all hold. The empty selector
/// matches every set of labels.
///
/// Parse the string form (`app=web,tier in (front,back),!canary`) with
/// [`Selector::parse`] or `str::parse`; convert the object form with
/// [`LabelSelector::to_selector`](super::LabelSelector::to_selector). `Display` prints
/// the canonical string form (requirements sorted by key, then operator), which parses
/// back to an equal selector.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Selector {
    /// Sorted by key, operator, values.
    requirements: Vec<Requirement>,
}

impl Selector {
    /// The selector that matches everything.
    pub fn everything() -> Self {
        Self::default()
    }

    /// Parses the string form, e.g. `a=b,c!=d,e in (x,y),f notin (z),g,!h,n gt 3`.
    pub fn parse(input: &str) -> Result<Self, Error> {
        super::parse::parse(input)
    }

    /// A selector requiring each given label to have the given value (the form of a
    /// service's `spec.selector`).
    pub fn from_labels<K: AsRef<str>, V: AsRef<str>>(
        labels: impl IntoIterator<Item = (K, V)>,
    ) -> Result<Self, Error> {
        labels
            .into_iter()
            .map(|(k, v)| Requirement::new(k.as_ref(), Operator::Equals, [v.as_ref()]))
            .collect()
    }

    /// This selector with one more requirement.
    #[must_use]
    pub fn with(mut self, requirement: Requirement) -> Self {
        let at = self.requirements.partition_point(|r| *r <= requirement);
        self.requirements.insert(at, requirement);
        self
    }

    /// True if the selector has no requirements (and so matches everything).
    pub fn is_empty(&self) -> bool {
        self.requirements.is_empty()
    }

    /// The requirements, sorted by key, then operator.
    pub fn requirements(&self) -> &[Requirement] {
        &self.requirements
    }

    /// True if the labels satisfy every requirement. Does not allocate.
    pub fn matches<L: Labels + ?Sized>(&self, labels: &L) -> bool {
        self.requirements.iter().all(|r| r.matches(labels))
    }

    /// The single value label `key` must have for the selector to match (from `key=v`
    /// or `key in (v)`), if any: a hint for indexes and schedulers.
    pub fn equality_value(&self, key: &str) -> Option<&str> {
        self.requirements
            .iter()
            .filter(|r| r.key == key)
            .find(|r| matches!(r.operator, Operator::Equals | Operator::In) && r.values.len() == 1)
            .and_then(|r| r.values.first())
            .map(String::as_str)
    }
}

impl FromIterator<Requirement> for Selector {
    fn from_iter<I: IntoIterator<Item = Requirement>>(iter: I) -> Self {
        let mut requirements: Vec<Requirement> = iter.into_iter().collect();
        requirements.sort();
        Self { requirements }
    }
}

impl FromStr for Selector {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Error> {
        Self::parse(s)
    }
}

impl fmt::Display for Selector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, r) in self.requirements.iter().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            fmt::Display::fmt(r, f)?;
        }
        Ok(())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn labels(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn matching_table() {
        let set = labels(&[("app", "web"), ("tier", "front"), ("n", "5"), ("e", "")]);
        let cases: &[(&str, bool)] = &[
            ("", true),
            ("app=web", true),
            ("app==web", true),
            ("app=db", false),
            ("missing=x", false),
            ("app!=db", true),
            ("app!=web", false),
            ("missing!=x", true),
            ("tier in (front,back)", true),
            ("tier in (back)", false),
            ("missing in (x)", false),
            ("tier notin (front)", false),
            ("tier notin (back)", true),
            ("missing notin (x)", true),
            ("app", true),
            ("missing", false),
            ("!app", false),
            ("!missing", true),
            ("n gt 4", true),
            ("n gt 5", false),
            ("n lt 6", true),
            ("n lt 5", false),
            ("app gt 1", false),
            ("missing lt 1", false),
            ("e=", true),
            ("e in ()", true),
            ("app in ()", false),
            ("e", true),
            ("app=web,tier=front", true),
            ("app=web,tier=back", false),
            ("app=web,!missing,n gt 1,tier notin (x)", true),
        ];
        for (text, expected) in cases {
            let selector = Selector::parse(text).unwrap();
            assert_eq!(selector.matches(&set), *expected, "{text}");
        }
    }

    #[test]
    fn labels_impls() {
        let selector = Selector::parse("a=b").unwrap();
        let hash: HashMap<String, String> = [("a".to_owned(), "b".to_owned())].into();
        let borrowed: BTreeMap<&str, &str> = [("a", "b")].into();
        assert!(selector.matches(&hash));
        assert!(selector.matches(&borrowed));
        assert!(selector.matches(&&borrowed));
        let dynamic: &dyn Labels = &hash;
        assert!(selector.matches(dynamic));
    }

    #[test]
    fn new_validates() {
        assert!(Requirement::new("a", Operator::In, Vec::<String>::new()).is_err());
        assert!(Requirement::new("a", Operator::Equals, ["x", "y"]).is_err());
        assert!(Requirement::new("a", Operator::Exists, ["x"]).is_err());
        assert!(Requirement::new("a", Operator::GreaterThan, ["x"]).is_err());
        assert!(Requirement::new("a b", Operator::Exists, [""; 0]).is_err());
        let err = Requirement::new("a", Operator::In, ["ok", "not ok"]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid selector \"a in (ok,not ok)\": invalid value \"not ok\" for key \"a\": \
             a value must be empty or consist of alphanumerics, '-', '_' or '.', starting and \
             ending with an alphanumeric"
        );
        let r = Requirement::new("a", Operator::NotIn, ["z", "x", "z"]).unwrap();
        assert_eq!(r.values(), ["x", "z"]);
        assert_eq!(r.to_string(), "a notin (x,z)");
    }

    #[test]
    fn builders_and_hints() {
        let s = Selector::everything()
            .with(Requirement::new("b", Operator::Exists, [""; 0]).unwrap())
            .with(Requirement::new("a", Operator::In, ["x"]).unwrap())
            .with(Requirement::new("a", Operator::Equals, ["y"]).unwrap());
        assert_eq!(s.to_string(), "a=y,a in (x),b");
        assert_eq!(s.equality_value("a"), Some("y"));
        assert_eq!(s.equality_value("b"), None);
        assert!(!s.is_empty());
        assert!(Selector::everything().is_empty());
        assert!(Selector::everything().matches(&labels(&[])));

        let t = Selector::parse("t in (x,y),u in (z)").unwrap();
        assert_eq!(t.equality_value("t"), None);
        assert_eq!(t.equality_value("u"), Some("z"));

        let from = Selector::from_labels(&labels(&[("b", "2"), ("a", "1")])).unwrap();
        assert_eq!(from.to_string(), "a=1,b=2");
        assert!(Selector::from_labels([("a", "bad value")]).is_err());
    }
}
