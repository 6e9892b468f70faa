//! Field selectors (`metadata.name=web,status.phase!=Running`), as Kubernetes'
//! `fields.ParseSelector` has them.

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

use crate::{Error, Resource};

/// How a [`FieldRequirement`] compares a field with its value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FieldOperator {
    /// `field=value` or `field==value`.
    Equals,
    /// `field!=value`.
    NotEquals,
}

/// One condition of a field selector: `field=value` or `field!=value`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FieldRequirement {
    field: String,
    operator: FieldOperator,
    value: String,
}

impl FieldRequirement {
    /// A requirement on `field`. The field name must be non-empty and must not contain
    /// `=`, `!`, `,` or `\`; the value may be any text (it is escaped when printed).
    pub fn new(
        field: impl Into<String>,
        operator: FieldOperator,
        value: impl Into<String>,
    ) -> Result<Self, Error> {
        let field = field.into();
        let value = value.into();
        if let Err(reason) = check_field(&field) {
            let mut input = String::new();
            // Writing into a String cannot fail.
            let _ = write_requirement(&mut input, &field, operator, &value);
            return Err(Error::InvalidSelector { input, reason });
        }
        Ok(Self {
            field,
            operator,
            value,
        })
    }

    /// The field path, e.g. `metadata.name`.
    pub fn field(&self) -> &str {
        &self.field
    }

    /// The operator.
    pub fn operator(&self) -> FieldOperator {
        self.operator
    }

    /// The value (unescaped).
    pub fn value(&self) -> &str {
        &self.value
    }

    /// True if a field with this `actual` value satisfies the requirement; `None` (the
    /// kind does not support the field) never does.
    pub fn matches_value(&self, actual: Option<&str>) -> bool {
        match (self.operator, actual) {
            (_, None) => false,
            (FieldOperator::Equals, Some(v)) => v == self.value,
            (FieldOperator::NotEquals, Some(v)) => v != self.value,
        }
    }
}

fn check_field(field: &str) -> Result<(), String> {
    if field.is_empty() {
        return Err("missing field name before the operator".to_owned());
    }
    if field.contains(['=', '!', ',', '\\']) {
        return Err(format!(
            "invalid field name {field:?}: must not contain '=', '!', ',' or '\\'"
        ));
    }
    Ok(())
}

fn write_requirement(
    f: &mut impl fmt::Write,
    field: &str,
    operator: FieldOperator,
    value: &str,
) -> fmt::Result {
    f.write_str(field)?;
    f.write_str(match operator {
        FieldOperator::Equals => "=",
        FieldOperator::NotEquals => "!=",
    })?;
    for c in value.chars() {
        if matches!(c, '\\' | ',' | '=') {
            f.write_char('\\')?;
        }
        f.write_char(c)?;
    }
    Ok(())
}

impl fmt::Display for FieldRequirement {
    /// `field=value` or `field!=value`, with `\`, `,` and `=` in the value escaped by a
    /// backslash.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_requirement(f, &self.field, self.operator, &self.value)
    }
}

/// A field selector: requirements on selectable fields (`metadata.name`,
/// `spec.nodeName`, ...) that must all hold. The empty selector matches everything.
///
/// The string form is a comma-separated list of `field=value`, `field==value` or
/// `field!=value`; in values, `\,`, `\=` and `\\` stand for `,`, `=` and `\` (`\!` is
/// also accepted for `!`). `Display` prints the canonical form (sorted, `==` as `=`),
/// which parses back to an equal selector.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct FieldSelector {
    /// Sorted by field, operator, value.
    requirements: Vec<FieldRequirement>,
}

impl FieldSelector {
    /// The selector that matches everything.
    pub fn everything() -> Self {
        Self::default()
    }

    /// Parses the string form. Empty terms (`a=b,,c=d`, a trailing comma) are skipped, as
    /// Kubernetes does.
    pub fn parse(input: &str) -> Result<Self, Error> {
        let error = |byte: usize, reason: String| Error::InvalidSelector {
            input: input.to_owned(),
            reason: format!(
                "at position {}: {reason}",
                input.get(..byte).map_or(0, |s| s.chars().count())
            ),
        };
        let mut requirements = Vec::new();
        for (start, term) in split_terms(input) {
            if term.is_empty() {
                continue;
            }
            let Some((op_at, operator, op_len)) = find_operator(term) else {
                return Err(error(
                    start,
                    format!(
                        "expected 'field=value', 'field==value' or 'field!=value', found {term:?}"
                    ),
                ));
            };
            let (field, rest) = term.split_at(op_at);
            check_field(field).map_err(|reason| error(start, reason))?;
            let value_start = start + op_at + op_len;
            let value = unescape(rest.get(op_len..).unwrap_or_default())
                .map_err(|(at, reason)| error(value_start + at, reason))?;
            requirements.push(FieldRequirement {
                field: field.to_owned(),
                operator,
                value,
            });
        }
        Ok(requirements.into_iter().collect())
    }

    /// This selector with one more requirement.
    #[must_use]
    pub fn with(mut self, requirement: FieldRequirement) -> Self {
        let at = self.requirements.partition_point(|r| *r <= requirement);
        self.requirements.insert(at, requirement);
        self
    }

    /// True if the selector has no requirements (and so matches everything).
    pub fn is_empty(&self) -> bool {
        self.requirements.is_empty()
    }

    /// The requirements, sorted by field, then operator, then value.
    pub fn requirements(&self) -> &[FieldRequirement] {
        &self.requirements
    }

    /// The value `field` must equal for the selector to match (from `field=value`), if
    /// any: a hint for indexes (e.g. `metadata.name`).
    pub fn equality_value(&self, field: &str) -> Option<&str> {
        self.requirements
            .iter()
            .find(|r| r.field == field && r.operator == FieldOperator::Equals)
            .map(|r| r.value.as_str())
    }

    /// True if the object satisfies every requirement, reading fields through
    /// [`Resource::field_value`]. A requirement on a field the kind does not support
    /// never matches.
    pub fn matches<R: Resource>(&self, obj: &R) -> bool {
        self.matches_with(|field| obj.field_value(field))
    }

    /// True if every requirement holds for the field values `get` returns (`None` for a
    /// field that is not supported).
    pub fn matches_with<'a>(&self, mut get: impl FnMut(&str) -> Option<Cow<'a, str>>) -> bool {
        self.requirements
            .iter()
            .all(|r| r.matches_value(get(&r.field).as_deref()))
    }

    /// Checks that every field is supported, so that an API server can reject the request
    /// up front; the error says `field label not supported: <field>`.
    pub fn validate_fields(&self, supported: impl Fn(&str) -> bool) -> Result<(), Error> {
        match self.requirements.iter().find(|r| !supported(&r.field)) {
            None => Ok(()),
            Some(r) => Err(Error::InvalidSelector {
                input: self.to_string(),
                reason: format!("field label not supported: {}", r.field),
            }),
        }
    }
}

/// Splits at commas not preceded by a backslash escape; yields each term's byte offset.
fn split_terms(input: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut terms = Vec::new();
    let mut start = 0;
    let mut escaped = false;
    for (i, c) in input.char_indices() {
        if escaped {
            escaped = false;
        } else if c == '\\' {
            escaped = true;
        } else if c == ',' {
            terms.push((start, input.get(start..i).unwrap_or_default()));
            start = i + 1;
        }
    }
    terms.push((start, input.get(start..).unwrap_or_default()));
    terms.into_iter()
}

/// The first operator in a term: byte offset, operator, operator length.
fn find_operator(term: &str) -> Option<(usize, FieldOperator, usize)> {
    term.char_indices().find_map(|(i, _)| {
        let rest = term.get(i..).unwrap_or_default();
        if rest.starts_with("!=") {
            Some((i, FieldOperator::NotEquals, 2))
        } else if rest.starts_with("==") {
            Some((i, FieldOperator::Equals, 2))
        } else if rest.starts_with('=') {
            Some((i, FieldOperator::Equals, 1))
        } else {
            None
        }
    })
}

/// Removes backslash escapes; on error, the byte offset in `raw` and the reason.
fn unescape(raw: &str) -> Result<String, (usize, String)> {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some((_, e @ ('\\' | ',' | '=' | '!'))) => out.push(e),
                Some((_, e)) => {
                    return Err((i, format!("invalid escape sequence '\\{e}' in value")));
                }
                None => return Err((i, "value ends with a lone '\\'".to_owned())),
            },
            '=' => {
                return Err((i, "unescaped '=' in value (write it as '\\=')".to_owned()));
            }
            _ => out.push(c),
        }
    }
    Ok(out)
}

impl FromIterator<FieldRequirement> for FieldSelector {
    fn from_iter<I: IntoIterator<Item = FieldRequirement>>(iter: I) -> Self {
        let mut requirements: Vec<FieldRequirement> = iter.into_iter().collect();
        requirements.sort();
        Self { requirements }
    }
}

impl FromStr for FieldSelector {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Error> {
        Self::parse(s)
    }
}

impl fmt::Display for FieldSelector {
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
    use crate::ObjectMeta;
    use crate::core_v1::Pod;

    #[test]
    fn valid_strings() {
        let cases: &[(&str, &str)] = &[
            ("", ""),
            ("metadata.name=web", "metadata.name=web"),
            ("metadata.name==web", "metadata.name=web"),
            ("status.phase!=Running", "status.phase!=Running"),
            ("b=1,a=2", "a=2,b=1"),
            ("a=1,,b=2,", "a=1,b=2"),
            ("a=", "a="),
            ("a!=", "a!="),
            ("a=x\\,y", "a=x\\,y"),
            ("a=x\\=y\\\\z", "a=x\\=y\\\\z"),
            ("a=\\!x", "a=!x"),
            ("a=!x", "a=!x"),
            ("a!=!\\=", "a!=!\\="),
            ("a==\\=", "a=\\="),
            ("a=é,b=日本", "a=é,b=日本"),
            ("a= b ", "a= b "),
        ];
        for (input, canonical) in cases {
            let selector = FieldSelector::parse(input).unwrap_or_else(|e| panic!("{input:?}: {e}"));
            assert_eq!(selector.to_string(), *canonical, "{input:?}");
            assert_eq!(
                FieldSelector::parse(canonical).unwrap(),
                selector,
                "{input:?}"
            );
        }
        let s = FieldSelector::parse("a!=!\\=").unwrap();
        assert_eq!(s.requirements()[0].value(), "!=");
        let s = FieldSelector::parse("a=x\\,y,b=\\\\").unwrap();
        assert_eq!(s.requirements()[0].value(), "x,y");
        assert_eq!(s.requirements()[1].value(), "\\");
    }

    #[test]
    fn invalid_strings() {
        let cases: &[(&str, &str)] = &[
            ("a", "at position 0: expected 'field=value'"),
            ("a=b,c", "at position 4: expected 'field=value'"),
            ("=b", "at position 0: missing field name"),
            ("a===b", "at position 3: unescaped '='"),
            ("a!=!=", "at position 4: unescaped '='"),
            ("a=b=c", "at position 3: unescaped '='"),
            ("a=b\\", "at position 3: value ends with a lone '\\'"),
            ("a=\\x", "at position 2: invalid escape sequence '\\x'"),
            ("é=ü\\ä", "at position 3: invalid escape sequence '\\ä'"),
            ("a\\,b=c", "invalid field name"),
            ("a!b=c", "invalid field name"),
        ];
        for (input, fragment) in cases {
            let err = FieldSelector::parse(input).expect_err(input);
            assert!(err.to_string().contains(fragment), "{input:?}: {err}");
        }
        assert!(FieldRequirement::new("", FieldOperator::Equals, "x").is_err());
        assert!(FieldRequirement::new("a=b", FieldOperator::Equals, "x").is_err());
    }

    fn pod(name: &str, namespace: &str) -> Pod {
        Pod {
            metadata: ObjectMeta {
                name: name.to_owned(),
                namespace: namespace.to_owned(),
                ..ObjectMeta::default()
            },
            ..Pod::default()
        }
    }

    #[test]
    fn matching() {
        let web = pod("web", "prod");
        let cases: &[(&str, bool)] = &[
            ("", true),
            ("metadata.name=web", true),
            ("metadata.name=db", false),
            ("metadata.name!=db", true),
            ("metadata.name!=web", false),
            ("metadata.name=web,metadata.namespace=prod", true),
            ("metadata.name=web,metadata.namespace=dev", false),
            ("no.such.field=x", false),
            ("no.such.field!=x", false),
            ("metadata.namespace!=", true),
        ];
        for (text, expected) in cases {
            let selector = FieldSelector::parse(text).unwrap();
            assert_eq!(selector.matches(&web), *expected, "{text}");
        }
    }

    #[test]
    fn hints_and_validation() {
        let s = FieldSelector::parse("metadata.name=web,spec.nodeName!=n1,foo=bar").unwrap();
        assert_eq!(s.equality_value("metadata.name"), Some("web"));
        assert_eq!(s.equality_value("spec.nodeName"), None);
        let supported = |f: &str| f.starts_with("metadata.") || f == "spec.nodeName";
        let err = s.validate_fields(supported).unwrap_err();
        assert!(
            err.to_string().ends_with("field label not supported: foo"),
            "{err}"
        );
        let ok = FieldSelector::everything()
            .with(FieldRequirement::new("metadata.name", FieldOperator::Equals, "a,b").unwrap());
        assert_eq!(ok.validate_fields(supported), Ok(()));
        assert_eq!(ok.to_string(), "metadata.name=a\\,b");
        assert!(!ok.is_empty());
        assert!(FieldSelector::everything().is_empty());
    }
}
