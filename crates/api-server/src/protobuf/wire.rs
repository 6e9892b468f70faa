//! The protobuf wire format, read with tables: a [`Schema`] names each field number
//! of a message and says how its value becomes JSON.

use base64::Engine as _;
use client::ClientError;
use serde_json::{Map, Value, json};

/// How one field of a message becomes JSON.
#[derive(Clone, Copy)]
pub(super) enum Field {
    /// A string.
    Str,
    /// A bool.
    Bool,
    /// An int32 or int64 (negative values are sign-extended varints).
    Int,
    /// A repeated string.
    StrList,
    /// `map<string, string>`.
    StrMap,
    /// `map<string, bytes>`, values written as base64.
    BytesMap,
    /// `map<string, Quantity>`, values written as the quantity's string.
    QuantityMap,
    /// `resource.Quantity` (1: string), written as its string.
    Quantity,
    /// `intstr.IntOrString` (1: type, 2: intVal, 3: strVal), written as a number or a string.
    IntOrString,
    /// `metav1.Time` (1: seconds, 2: nanos), written as RFC 3339.
    Time,
    /// A nested message.
    Msg(Schema),
    /// A repeated nested message.
    MsgList(Schema),
    /// A nested message whose fields JSON writes in the parent (Go's `json:",inline"`).
    Inline(Schema),
}

/// A message's fields: number, JSON name, and kind.
pub(super) type Schema = &'static [(u64, &'static str, Field)];

/// Deeper nesting than any table reaches is refused before recursing further.
const MAX_DEPTH: usize = 32;

pub(super) fn bad(what: &str) -> ClientError {
    ClientError::bad_request(format!("malformed protobuf body: {what}"))
}

/// One field's value: a varint, or length-delimited bytes (fixed-width values are skipped).
pub(super) enum Wire<'a> {
    Varint(u64),
    Bytes(&'a [u8]),
    Fixed,
}

/// Reads fields off a message, refusing truncated or malformed input.
pub(super) struct Reader<'a>(pub(super) &'a [u8]);

impl<'a> Reader<'a> {
    fn varint(&mut self) -> Result<u64, ClientError> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let (&b, rest) = self
                .0
                .split_first()
                .ok_or_else(|| bad("truncated varint"))?;
            self.0 = rest;
            value |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err(bad("varint too long"))
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8], ClientError> {
        if n > self.0.len() {
            return Err(bad("truncated field"));
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Ok(head)
    }

    /// The next field's number and value, or `None` at the end.
    pub(super) fn next(&mut self) -> Result<Option<(u64, Wire<'a>)>, ClientError> {
        if self.0.is_empty() {
            return Ok(None);
        }
        let key = self.varint()?;
        let wire = match key & 7 {
            0 => Wire::Varint(self.varint()?),
            1 => {
                self.take(8)?;
                Wire::Fixed
            }
            2 => {
                let n = usize::try_from(self.varint()?).map_err(|_| bad("length"))?;
                Wire::Bytes(self.take(n)?)
            }
            5 => {
                self.take(4)?;
                Wire::Fixed
            }
            _ => return Err(bad("unsupported wire type")),
        };
        Ok(Some((key >> 3, wire)))
    }
}

pub(super) fn text(bytes: &[u8]) -> Result<String, ClientError> {
    String::from_utf8(bytes.to_vec()).map_err(|_| bad("a string is not UTF-8"))
}

/// A varint as the signed integer it encodes (int32/int64 sign-extend to 64 bits).
fn signed(v: u64) -> i64 {
    i64::from_ne_bytes(v.to_ne_bytes())
}

/// The fields of a small message as (number, value) pairs, last one winning.
fn fields(bytes: &[u8]) -> Result<Vec<(u64, Wire<'_>)>, ClientError> {
    let mut r = Reader(bytes);
    let mut out = Vec::new();
    while let Some(f) = r.next()? {
        out.push(f);
    }
    Ok(out)
}

/// A map entry: (1: key, 2: value).
fn entry(bytes: &[u8]) -> Result<(String, &[u8]), ClientError> {
    let (mut key, mut value) = (String::new(), &[][..]);
    for (n, w) in fields(bytes)? {
        match (n, w) {
            (1, Wire::Bytes(b)) => key = text(b)?,
            (2, Wire::Bytes(b)) => value = b,
            _ => {}
        }
    }
    Ok((key, value))
}

fn quantity(bytes: &[u8]) -> Result<Value, ClientError> {
    let mut out = String::new();
    for (n, w) in fields(bytes)? {
        if let (1, Wire::Bytes(b)) = (n, w) {
            out = text(b)?;
        }
    }
    Ok(json!(out))
}

fn int_or_string(bytes: &[u8]) -> Result<Value, ClientError> {
    let (mut is_string, mut int, mut string) = (false, 0i64, String::new());
    for (n, w) in fields(bytes)? {
        match (n, w) {
            (1, Wire::Varint(v)) => is_string = v == 1,
            (2, Wire::Varint(v)) => int = signed(v),
            (3, Wire::Bytes(b)) => string = text(b)?,
            _ => {}
        }
    }
    Ok(if is_string { json!(string) } else { json!(int) })
}

fn time(bytes: &[u8]) -> Result<Value, ClientError> {
    let mut seconds = 0i64;
    for (n, w) in fields(bytes)? {
        if let (1, Wire::Varint(v)) = (n, w) {
            seconds = signed(v);
        }
    }
    let t = core_types::Time::from_unix_seconds(seconds).ok_or_else(|| bad("time out of range"))?;
    Ok(json!(t.to_string()))
}

fn push(out: &mut Map<String, Value>, name: &str, value: Value) {
    if let Value::Array(list) = out.entry(name).or_insert_with(|| json!([])) {
        list.push(value);
    }
}

fn put(out: &mut Map<String, Value>, name: &str, key: String, value: Value) {
    if let Value::Object(map) = out.entry(name).or_insert_with(|| json!({})) {
        map.insert(key, value);
    }
}

/// Decodes `bytes` as a message of `schema`, writing its fields into `out`. Fields
/// not in the schema are skipped; a known field with the wrong wire type is an error.
pub(super) fn message(
    bytes: &[u8],
    schema: Schema,
    depth: usize,
    out: &mut Map<String, Value>,
) -> Result<(), ClientError> {
    if depth > MAX_DEPTH {
        return Err(bad("nested too deeply"));
    }
    let mut r = Reader(bytes);
    while let Some((n, wire)) = r.next()? {
        let Some(&(_, name, field)) = schema.iter().find(|(tag, _, _)| *tag == n) else {
            continue;
        };
        match (field, wire) {
            (Field::Str, Wire::Bytes(b)) => {
                out.insert(name.into(), json!(text(b)?));
            }
            (Field::Bool, Wire::Varint(v)) => {
                out.insert(name.into(), json!(v != 0));
            }
            (Field::Int, Wire::Varint(v)) => {
                out.insert(name.into(), json!(signed(v)));
            }
            (Field::StrList, Wire::Bytes(b)) => push(out, name, json!(text(b)?)),
            (Field::StrMap | Field::BytesMap | Field::QuantityMap, Wire::Bytes(b)) => {
                let (k, v) = entry(b)?;
                let v = match field {
                    Field::StrMap => json!(text(v)?),
                    Field::QuantityMap => quantity(v)?,
                    _ => json!(base64::engine::general_purpose::STANDARD.encode(v)),
                };
                put(out, name, k, v);
            }
            (Field::Quantity, Wire::Bytes(b)) => {
                out.insert(name.into(), quantity(b)?);
            }
            (Field::IntOrString, Wire::Bytes(b)) => {
                out.insert(name.into(), int_or_string(b)?);
            }
            (Field::Time, Wire::Bytes(b)) => {
                out.insert(name.into(), time(b)?);
            }
            (Field::Msg(inner), Wire::Bytes(b)) => {
                // A message sent twice is merged, as protobuf does.
                let mut nested = match out.remove(name) {
                    Some(Value::Object(m)) => m,
                    _ => Map::new(),
                };
                message(b, inner, depth + 1, &mut nested)?;
                out.insert(name.into(), Value::Object(nested));
            }
            (Field::MsgList(inner), Wire::Bytes(b)) => {
                let mut item = Map::new();
                message(b, inner, depth + 1, &mut item)?;
                push(out, name, Value::Object(item));
            }
            (Field::Inline(inner), Wire::Bytes(b)) => message(b, inner, depth + 1, out)?,
            _ => return Err(bad(&format!("field {n} has the wrong wire type"))),
        }
    }
    Ok(())
}
