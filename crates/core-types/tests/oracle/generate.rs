//! Random JSON instances of a Kubernetes kind, generated from k8s-openapi's JSON Schema
//! of the kind (not from our types, so that a field our model lacks still shows up).

use std::collections::{BTreeSet, HashMap, HashSet};

use core_types::{MicroTime, Quantity, Time};
use serde_json::{Map, Value, json};

use super::rng::Rng;
use super::{
    FIELDS_V1, INT_OR_STRING, MICRO_TIME, QUANTITY, RAW_EXTENSION, TIME, is_excluded, reachable,
    refs, short,
};

/// Below this depth (counted in nested objects), only required properties are generated
/// and collections are left empty; the kinds we model are never that deep (a pod
/// template's deepest field is at about 12), but recursion must stop somewhere.
const MAX_DEPTH: usize = 24;

/// Generates random instances of schema definitions.
pub(crate) struct Generator<'a> {
    defs: &'a Map<String, Value>,
    /// Definitions of kinds (schema name, apiVersion, kind): where one is nested (a
    /// StatefulSet's `volumeClaimTemplates`), its `apiVersion` and `kind` must be right.
    resources: &'a [(&'a str, &'a str, &'a str)],
    rng: Rng,
    /// Definitions whose every reachable property has been generated.
    complete: HashSet<&'a str>,
    /// How many times each property (`short def name.property`) has been generated,
    /// to push generation toward properties not seen yet.
    seen: HashMap<String, u32>,
}

impl<'a> Generator<'a> {
    /// A generator over the definitions `defs` (schemars' `$defs`), seeded with `seed`.
    pub(crate) fn new(
        defs: &'a Map<String, Value>,
        resources: &'a [(&'a str, &'a str, &'a str)],
        seed: u64,
    ) -> Self {
        Self {
            defs,
            resources,
            rng: Rng::new(seed),
            complete: HashSet::new(),
            seen: HashMap::new(),
        }
    }

    /// Properties generated at least once so far.
    pub(crate) fn seen(&self) -> impl Iterator<Item = &str> {
        self.seen.keys().map(String::as_str)
    }

    /// A random instance of the definition `name`, with `apiVersion` and `kind` set.
    pub(crate) fn object(&mut self, name: &str, api_version: &str, kind: &str) -> Value {
        let mut v = self.definition(name, 0);
        v["apiVersion"] = json!(api_version);
        v["kind"] = json!(kind);
        v
    }

    fn definition(&mut self, name: &str, depth: usize) -> Value {
        match name {
            QUANTITY => json!(self.quantity()),
            INT_OR_STRING => self.int_or_string(),
            TIME => {
                let secs = 946_684_800 + self.rng.below(946_771_200) as i64;
                json!(Time::from_unix_seconds(secs).expect("in range").to_string())
            }
            MICRO_TIME => {
                let secs = 946_684_800 + self.rng.below(946_771_200) as i64;
                let micros = secs * 1_000_000 + self.rng.below(1_000_000) as i64;
                json!(
                    MicroTime::from_unix_micros(micros)
                        .expect("in range")
                        .to_string()
                )
            }
            RAW_EXTENSION | FIELDS_V1 => self.raw_object(2),
            _ => {
                let defs = self.defs;
                let schema = defs
                    .get(name)
                    .unwrap_or_else(|| panic!("no schema definition {name}"));
                let mut v = self.value(short(name), schema, depth);
                if let Some((_, api_version, kind)) = self.resources.iter().find(|r| r.0 == name) {
                    if let Some(m) = v.as_object_mut() {
                        for (key, right) in [("apiVersion", api_version), ("kind", kind)] {
                            if let Some(x) = m.get_mut(key) {
                                *x = json!(right);
                            }
                        }
                    }
                }
                v
            }
        }
    }

    /// A random instance of `schema`; `owner` names the definition it belongs to.
    fn value(&mut self, owner: &str, schema: &'a Value, depth: usize) -> Value {
        if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
            return self.definition(r.trim_start_matches("#/$defs/"), depth);
        }
        let format = schema.get("format").and_then(Value::as_str).unwrap_or("");
        match schema.get("type").and_then(Value::as_str) {
            Some("object") => {
                match (schema.get("properties"), schema.get("additionalProperties")) {
                    (Some(Value::Object(props)), _) => self.properties(owner, schema, props, depth),
                    (None, Some(items)) if items.is_object() => {
                        let n = if depth >= MAX_DEPTH { 0 } else { self.size() };
                        let mut m = Map::new();
                        while m.len() < n {
                            let key = self.key();
                            let v = self.value(owner, items, depth + 1);
                            m.insert(key, v);
                        }
                        Value::Object(m)
                    }
                    _ => self.raw_object(2),
                }
            }
            Some("array") => {
                let items = schema.get("items").expect("array schema without items");
                let n = if depth >= MAX_DEPTH { 0 } else { self.size() };
                (0..n)
                    .map(|_| self.value(owner, items, depth + 1))
                    .collect::<Vec<_>>()
                    .into()
            }
            Some("string") if format == "byte" => json!(self.base64()),
            Some("string") => json!(self.string()),
            Some("integer") if format == "int32" => json!(self.int(i64::from(i32::MAX))),
            Some("integer") => json!(self.int(i64::MAX)),
            Some("boolean") => json!(self.rng.chance(0.5)),
            Some("number") => json!(self.int(1000) as f64 / 4.0),
            _ => panic!("{owner}: schema not handled by the generator: {schema}"),
        }
    }

    fn properties(
        &mut self,
        owner: &str,
        schema: &'a Value,
        props: &'a Map<String, Value>,
        depth: usize,
    ) -> Value {
        let required: Vec<&str> = schema
            .get("required")
            .and_then(Value::as_array)
            .map(|r| r.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let mut out = Map::new();
        for (key, prop) in props {
            let field = format!("{owner}.{key}");
            if is_excluded(&field) {
                continue;
            }
            let fresh = !self.seen.contains_key(&field) || self.unseen_below(prop);
            let wanted = required.contains(&key.as_str())
                || (depth < MAX_DEPTH && self.rng.chance(include_probability(depth, fresh)));
            if wanted {
                *self.seen.entry(field).or_default() += 1;
                let v = self.value(owner, prop, depth + 1);
                out.insert(key.clone(), v);
            }
        }
        Value::Object(out)
    }

    /// True if a property reachable through `schema` has not been generated yet.
    fn unseen_below(&mut self, schema: &'a Value) -> bool {
        let defs = self.defs;
        for name in refs(schema) {
            let Some((name, _)) = defs.get_key_value(name) else {
                continue;
            };
            if self.complete.contains(name.as_str()) {
                continue;
            }
            let mut all = BTreeSet::new();
            reachable(defs, name, &mut all);
            if all.iter().any(|f| !self.seen.contains_key(f)) {
                return true;
            }
            self.complete.insert(name);
        }
        false
    }

    /// Collection sizes: 0 to 3 elements, small ones more often.
    fn size(&mut self) -> usize {
        *self.rng.pick(&[0, 1, 1, 1, 2, 2, 3])
    }

    /// A short random string; sometimes empty, sometimes with characters JSON escapes.
    fn string(&mut self) -> String {
        if self.rng.chance(0.12) {
            return String::new();
        }
        const CHARS: &[char] = &[
            'a', 'b', 'c', 'x', 'y', 'z', '0', '1', '9', '-', '.', '/', '_', ':', ' ', 'é', '"',
            '\\', 'Z',
        ];
        let n = 1 + self.rng.below(8) as usize;
        (0..n).map(|_| *self.rng.pick(CHARS)).collect()
    }

    /// A map key: non-empty (an empty key is legal JSON but not a useful test).
    fn key(&mut self) -> String {
        let mut s = self.string();
        if s.is_empty() {
            s.push('k');
        }
        s
    }

    /// An integer in `-max..=max`: often zero or small, sometimes an extreme.
    fn int(&mut self, max: i64) -> i64 {
        match self.rng.below(8) {
            0 => 0,
            1 => max,
            2 => -max,
            3 => -(self.rng.below(100) as i64),
            4 | 5 => (self.rng.next_u64() % (max as u64 + 1)) as i64,
            _ => self.rng.below(1000) as i64,
        }
    }

    /// Standard base64 (with padding) of 0 to 11 random bytes.
    fn base64(&mut self) -> String {
        const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let bytes: Vec<u8> = (0..self.rng.below(12))
            .map(|_| self.rng.next_u64() as u8)
            .collect();
        let mut out = String::new();
        for chunk in bytes.chunks(3) {
            let b = [
                chunk[0],
                *chunk.get(1).unwrap_or(&0),
                *chunk.get(2).unwrap_or(&0),
            ];
            let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
            for i in 0..4 {
                if i <= chunk.len() {
                    out.push(ALPHABET[(n >> (18 - 6 * i)) as usize & 63] as char);
                } else {
                    out.push('=');
                }
            }
        }
        out
    }

    /// A quantity in canonical form (as Kubernetes writes it back), so both models
    /// keep the very same string: `100m`, `1500M`, `512Ki`, `5`, `1e3`, `-20`, `0`.
    fn quantity(&mut self) -> String {
        loop {
            let s = match self.rng.below(5) {
                0 => "0".to_owned(),
                1 => format!(
                    "{}{}",
                    1 + self.rng.below(9999),
                    self.rng.pick(&["", "m", "k", "M", "G", "T", "P", "u", "n"])
                ),
                2 => format!(
                    "{}{}",
                    1 + self.rng.below(1023),
                    self.rng.pick(&["Ki", "Mi", "Gi", "Ti"])
                ),
                3 => format!(
                    "{}e{}",
                    1 + self.rng.below(999),
                    self.rng.pick(&[3, 6, 9, -3])
                ),
                _ => format!(
                    "-{}{}",
                    1 + self.rng.below(999),
                    self.rng.pick(&["", "m", "Gi"])
                ),
            };
            let canonical = s.parse::<Quantity>().map(|q| q.to_string());
            if canonical.as_deref() == Ok(s.as_str()) {
                return s;
            }
        }
    }

    fn int_or_string(&mut self) -> Value {
        match self.rng.below(4) {
            0 => json!(self.int(i64::from(i32::MAX))),
            1 => json!(self.rng.below(65536)),
            2 => json!(format!("{}%", self.rng.below(101))),
            _ => json!(self.key()),
        }
    }

    /// Arbitrary JSON (a `RawExtension` or `FieldsV1`): a small object.
    fn raw_object(&mut self, depth: usize) -> Value {
        let mut m = Map::new();
        for _ in 0..self.rng.below(4) {
            let key = self.key();
            let v = match self.rng.below(5) {
                0 => json!(self.string()),
                1 => json!(self.int(1 << 40)),
                2 => json!(self.rng.chance(0.5)),
                3 if depth > 0 => self.raw_object(depth - 1),
                _ => json!([self.string(), 1, null]),
            };
            m.insert(key, v);
        }
        Value::Object(m)
    }
}

/// How likely an optional property is generated: high for properties not generated
/// yet (so 200 instances cover nearly the whole schema), lower deeper down (so objects
/// stay small enough to compare quickly).
fn include_probability(depth: usize, fresh: bool) -> f64 {
    if fresh {
        return 0.9;
    }
    match depth {
        0 | 1 => 0.7,
        2 | 3 => 0.4,
        4 | 5 => 0.25,
        _ => 0.15,
    }
}
