//! Schema-guided comparison of two JSON encodings of one object, telling apart what
//! Go's `omitempty` explains from real differences.

use std::collections::BTreeMap;
use std::fmt;

use core_types::Quantity;
use serde_json::{Map, Value};

use super::{FIELDS_V1, INT_OR_STRING, MICRO_TIME, QUANTITY, RAW_EXTENSION, TIME, short};

/// What kind of difference was found between the reference (`a`) and the value that
/// went through our model (`b`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Kind {
    /// `a` has a non-empty value, `b` has nothing: our model lost the field.
    Lost,
    /// `a` has an empty object for a struct-typed field, `b` has nothing. Go never
    /// omits a struct: a value struct is always written and a non-nil pointer to one
    /// too (`emptyDir: {}` means something).
    DroppedEmptyStruct,
    /// `a` has `""`, `0` or `false`, `b` has nothing. Right for Go's non-pointer
    /// `omitempty` fields, wrong for pointers (`*bool`, `*int32`, `*string`).
    DroppedZero,
    /// `b` has an empty value (`""`, `0`, `false`, `{}`, `[]`, or an object of only
    /// such values) that `a` did not have: right for Go fields without `omitempty`
    /// and for struct values, wrong for pointers.
    AddedEmpty,
    /// `b` has a non-empty value `a` did not have.
    Added,
    /// Neither has a struct-typed field although its parent is there: right for a Go
    /// pointer (`*Affinity`), wrong for a Go struct value, which Go always writes.
    NotWritten,
    /// Both have the field with different values (or array lengths, or map keys).
    Changed,
    /// Our JSON lacks a property the schema marks required (a Go field without
    /// `omitempty`, which Go always writes); collections are not checked, since Go
    /// writes `null` for a nil slice or map.
    RequiredMissing,
}

/// One difference: its kind, the schema field (`core.v1.PodSpec.hostNetwork`), the
/// JSON path in the object and the values.
#[derive(Clone, Debug)]
pub(crate) struct Finding {
    /// What differs.
    pub(crate) kind: Kind,
    /// The schema field, as `group.version.Definition.property` (`[]` for array
    /// items, `{}` for map values).
    pub(crate) field: String,
    /// Where in the object.
    pub(crate) path: String,
    /// The two values.
    pub(crate) detail: String,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:?} {} at {}: {}",
            self.kind, self.field, self.path, self.detail
        )
    }
}

/// Compares JSON values along their schema.
pub(crate) struct Comparer<'a> {
    defs: &'a Map<String, Value>,
    /// Compare quantities by amount (`0.5` equals `500m`) instead of by string.
    pub(crate) quantities_by_value: bool,
    /// Every difference found, in order.
    pub(crate) findings: Vec<Finding>,
}

impl<'a> Comparer<'a> {
    /// A comparer over the definitions `defs`.
    pub(crate) fn new(defs: &'a Map<String, Value>) -> Self {
        Self {
            defs,
            quantities_by_value: false,
            findings: Vec::new(),
        }
    }

    /// Compares `a` (the reference) with `b` (through our model), both instances of
    /// the definition `name`.
    pub(crate) fn compare(&mut self, name: &str, a: &Value, b: &Value) {
        let defs = self.defs;
        let schema = defs
            .get(name)
            .unwrap_or_else(|| panic!("no schema definition {name}"));
        self.value(short(name), schema, a, b, "");
    }

    fn push(&mut self, kind: Kind, field: &str, path: &str, detail: String) {
        self.findings.push(Finding {
            kind,
            field: field.to_owned(),
            path: if path.is_empty() {
                ".".to_owned()
            } else {
                path.to_owned()
            },
            detail,
        });
    }

    /// Resolves references: the definition's short name and schema, or `None` for the
    /// definitions compared as plain values.
    fn resolve(&self, schema: &'a Value) -> Result<(Option<&'a str>, &'a Value), &'a str> {
        match schema.get("$ref").and_then(Value::as_str) {
            None => Ok((None, schema)),
            Some(r) => {
                let name = r.trim_start_matches("#/$defs/");
                match name {
                    QUANTITY | INT_OR_STRING | TIME | MICRO_TIME | RAW_EXTENSION | FIELDS_V1 => {
                        Err(name)
                    }
                    _ => {
                        let (key, def) = self
                            .defs
                            .get_key_value(name)
                            .unwrap_or_else(|| panic!("no schema definition {name}"));
                        Ok((Some(short(key)), def))
                    }
                }
            }
        }
    }

    fn value(&mut self, field: &str, schema: &'a Value, a: &Value, b: &Value, path: &str) {
        let (owner, schema) = match self.resolve(schema) {
            Ok(x) => x,
            Err(QUANTITY) if self.quantities_by_value => {
                if !same_quantity(a, b) {
                    self.push(Kind::Changed, field, path, format!("{a} became {b}"));
                }
                return;
            }
            Err(_) => {
                if a != b {
                    self.push(Kind::Changed, field, path, format!("{a} became {b}"));
                }
                return;
            }
        };
        match (
            schema.get("properties"),
            schema.get("additionalProperties"),
            a,
            b,
        ) {
            (Some(Value::Object(props)), _, Value::Object(x), Value::Object(y)) => {
                let owner = owner.unwrap_or(field);
                let keys: std::collections::BTreeSet<&String> =
                    x.keys().chain(y.keys()).chain(props.keys()).collect();
                for key in keys {
                    let f = format!("{owner}.{key}");
                    let p = format!("{path}.{key}");
                    let Some(prop) = props.get(key.as_str()) else {
                        // Not in the schema: k8s-openapi neither reads nor writes it.
                        if x.get(key) != y.get(key) {
                            self.push(
                                Kind::Changed,
                                &f,
                                &p,
                                format!("unknown field: {:?} became {:?}", x.get(key), y.get(key)),
                            );
                        }
                        continue;
                    };
                    match (x.get(key), y.get(key)) {
                        (Some(va), Some(vb)) => self.value(&f, prop, va, vb, &p),
                        (Some(va), None) => self.missing(&f, prop, va, &p),
                        (None, Some(vb)) if is_empty(vb) || self.is_zero_quantity(prop, vb) => {
                            self.push(Kind::AddedEmpty, &f, &p, format!("{vb} added"));
                        }
                        (None, Some(vb)) => self.push(Kind::Added, &f, &p, format!("{vb} added")),
                        (None, None) if self.is_struct(prop) => {
                            self.push(Kind::NotWritten, &f, &p, "absent on both sides".to_owned());
                        }
                        (None, None) => {}
                    }
                }
            }
            (None, Some(items), Value::Object(x), Value::Object(y)) => {
                let f = format!("{field}{{}}");
                if x.len() != y.len() || x.keys().zip(y.keys()).any(|(k, l)| k != l) {
                    self.push(
                        Kind::Changed,
                        &f,
                        path,
                        format!(
                            "map keys {:?} became {:?}",
                            x.keys().collect::<Vec<_>>(),
                            y.keys().collect::<Vec<_>>()
                        ),
                    );
                    return;
                }
                for (key, va) in x {
                    self.value(&f, items, va, &y[key], &format!("{path}[{key:?}]"));
                }
            }
            (_, _, Value::Array(x), Value::Array(y)) => {
                let items = schema.get("items").expect("array schema without items");
                if x.len() != y.len() {
                    self.push(
                        Kind::Changed,
                        field,
                        path,
                        format!("{} items became {}", x.len(), y.len()),
                    );
                    return;
                }
                let f = format!("{field}[]");
                for (i, (va, vb)) in x.iter().zip(y).enumerate() {
                    self.value(&f, items, va, vb, &format!("{path}[{i}]"));
                }
            }
            _ if a == b => {}
            _ => self.push(Kind::Changed, field, path, format!("{a} became {b}")),
        }
    }

    /// Checks that `v`, an instance of definition `name` (our JSON), has every
    /// required scalar and struct property, recursively.
    pub(crate) fn required(&mut self, name: &str, v: &Value) {
        let defs = self.defs;
        let schema = defs
            .get(name)
            .unwrap_or_else(|| panic!("no schema definition {name}"));
        self.required_in(short(name), schema, v, "");
    }

    fn required_in(&mut self, field: &str, schema: &'a Value, v: &Value, path: &str) {
        let Ok((owner, schema)) = self.resolve(schema) else {
            return;
        };
        match (schema.get("properties"), v) {
            (Some(Value::Object(props)), Value::Object(m)) => {
                let owner = owner.unwrap_or(field);
                let required = schema.get("required").and_then(Value::as_array);
                for key in required.into_iter().flatten().filter_map(Value::as_str) {
                    let Some(prop) = props.get(key) else { continue };
                    let collection = match self.resolve(prop) {
                        Ok((_, s)) => {
                            s.get("items").is_some() || s.get("additionalProperties").is_some()
                        }
                        Err(_) => false,
                    };
                    if !m.contains_key(key) && !collection {
                        let f = format!("{owner}.{key}");
                        self.push(
                            Kind::RequiredMissing,
                            &f,
                            &format!("{path}.{key}"),
                            "not written".to_owned(),
                        );
                    }
                }
                for (key, x) in m {
                    if let Some(prop) = props.get(key) {
                        self.required_in(
                            &format!("{owner}.{key}"),
                            prop,
                            x,
                            &format!("{path}.{key}"),
                        );
                    }
                }
            }
            (_, Value::Array(items)) => {
                if let Some(item) = schema.get("items") {
                    for (i, x) in items.iter().enumerate() {
                        self.required_in(field, item, x, &format!("{path}[{i}]"));
                    }
                }
            }
            (_, Value::Object(m)) => {
                if let Some(item) = schema.get("additionalProperties").filter(|s| s.is_object()) {
                    for (k, x) in m {
                        self.required_in(field, item, x, &format!("{path}[{k:?}]"));
                    }
                }
            }
            _ => {}
        }
    }

    /// True for a struct-typed schema (an object with properties, or raw JSON).
    fn is_struct(&self, schema: &'a Value) -> bool {
        match self.resolve(schema) {
            Ok((_, s)) => s.get("properties").is_some(),
            Err(name) => name == RAW_EXTENSION || name == FIELDS_V1,
        }
    }

    /// True for the quantity `0` (Go writes a zero `resource.Quantity` value as `"0"`).
    fn is_zero_quantity(&self, schema: &'a Value, v: &Value) -> bool {
        matches!(self.resolve(schema), Err(QUANTITY)) && v == "0"
    }

    /// `a` has the property, `b` does not.
    fn missing(&mut self, field: &str, schema: &'a Value, a: &Value, path: &str) {
        let is_struct = self.is_struct(schema);
        let kind = match a {
            Value::Null => return,
            Value::Array(x) if x.is_empty() => return,
            Value::Object(x) if x.is_empty() && !is_struct => return,
            Value::Object(_) if is_struct && is_empty(a) => Kind::DroppedEmptyStruct,
            Value::Bool(false) | Value::String(_) | Value::Number(_) if is_empty(a) => {
                Kind::DroppedZero
            }
            _ => Kind::Lost,
        };
        self.push(kind, field, path, format!("{a} dropped"));
    }
}

/// `""`, `0`, `false`, `null`, `[]`, or an object of only such values: what Go writes
/// for a zero value.
pub(crate) fn is_empty(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::Bool(b) => !b,
        Value::Number(n) => n.as_f64() == Some(0.0),
        Value::String(s) => s.is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Object(m) => m.values().all(is_empty),
    }
}

fn same_quantity(a: &Value, b: &Value) -> bool {
    let parse = |v: &Value| match v {
        Value::String(s) => s.parse::<Quantity>().ok(),
        other => other.to_string().parse::<Quantity>().ok(),
    };
    match (parse(a), parse(b)) {
        (Some(x), Some(y)) => x == y,
        _ => a == b,
    }
}

/// Findings grouped by kind and field: how often, and the first example.
pub(crate) fn summarize(findings: &[Finding]) -> BTreeMap<(Kind, String), (usize, Finding)> {
    let mut out: BTreeMap<(Kind, String), (usize, Finding)> = BTreeMap::new();
    for f in findings {
        out.entry((f.kind, f.field.clone()))
            .and_modify(|e| e.0 += 1)
            .or_insert_with(|| (1, f.clone()));
    }
    out
}
