//! Kubernetes' protobuf request bodies, for the few kinds kubectl's generator
//! commands send that way and whose messages are small: `kubectl create namespace`,
//! `create configmap`, `create secret`. Other kinds get 415 with a message.
//!
//! The envelope is the magic `k8s\0` then a `runtime.Unknown` message (1: TypeMeta
//! {1: apiVersion, 2: kind}, 2: raw); `raw` is the kind's message, decoded here with a
//! table of field numbers into the JSON the rest of the server reads. Fields not in
//! the tables (timestamps, owner references, managed fields) are skipped: kubectl
//! does not set them on create.

use base64::Engine as _;
use client::ClientError;
use serde_json::{Map, Value, json};

/// The prefix of a protobuf body.
pub(crate) const MAGIC: &[u8] = b"k8s\0";

#[derive(Clone, Copy)]
enum Field {
    Str,
    Bool,
    Int,
    StrMap,
    BytesMap,
    StrList,
    Msg(&'static [(u64, &'static str, Field)]),
}

type Schema = &'static [(u64, &'static str, Field)];

const OBJECT_META: Schema = &[
    (1, "name", Field::Str),
    (2, "generateName", Field::Str),
    (3, "namespace", Field::Str),
    (5, "uid", Field::Str),
    (6, "resourceVersion", Field::Str),
    (7, "generation", Field::Int),
    (11, "labels", Field::StrMap),
    (12, "annotations", Field::StrMap),
    (14, "finalizers", Field::StrList),
];

const NAMESPACE: Schema = &[
    (1, "metadata", Field::Msg(OBJECT_META)),
    (2, "spec", Field::Msg(&[(1, "finalizers", Field::StrList)])),
];

const CONFIG_MAP: Schema = &[
    (1, "metadata", Field::Msg(OBJECT_META)),
    (2, "data", Field::StrMap),
    (3, "binaryData", Field::BytesMap),
    (4, "immutable", Field::Bool),
];

const SECRET: Schema = &[
    (1, "metadata", Field::Msg(OBJECT_META)),
    (2, "data", Field::BytesMap),
    (3, "type", Field::Str),
    (4, "stringData", Field::StrMap),
    (5, "immutable", Field::Bool),
];

fn schema(api_version: &str, kind: &str) -> Option<Schema> {
    match (api_version, kind) {
        ("v1", "Namespace") => Some(NAMESPACE),
        ("v1", "ConfigMap") => Some(CONFIG_MAP),
        ("v1", "Secret") => Some(SECRET),
        _ => None,
    }
}

fn bad(what: &str) -> ClientError {
    ClientError::bad_request(format!("malformed protobuf body: {what}"))
}

/// One field of a message: number, and the value (varint or bytes).
enum Wire<'a> {
    Varint(u64),
    Bytes(&'a [u8]),
    Fixed,
}

struct Reader<'a>(&'a [u8]);

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

    fn next(&mut self) -> Result<Option<(u64, Wire<'a>)>, ClientError> {
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

fn text(bytes: &[u8]) -> Result<String, ClientError> {
    String::from_utf8(bytes.to_vec()).map_err(|_| bad("a string is not UTF-8"))
}

/// A map entry: (1: key, 2: value).
fn entry(bytes: &[u8]) -> Result<(String, &[u8]), ClientError> {
    let mut r = Reader(bytes);
    let (mut key, mut value) = (String::new(), &[][..]);
    while let Some((n, w)) = r.next()? {
        match (n, w) {
            (1, Wire::Bytes(b)) => key = text(b)?,
            (2, Wire::Bytes(b)) => value = b,
            _ => {}
        }
    }
    Ok((key, value))
}

fn message(bytes: &[u8], schema: Schema, depth: usize) -> Result<Map<String, Value>, ClientError> {
    if depth > 8 {
        return Err(bad("nested too deeply"));
    }
    let mut out = Map::new();
    let mut r = Reader(bytes);
    while let Some((n, wire)) = r.next()? {
        let Some((_, name, field)) = schema.iter().find(|(tag, _, _)| *tag == n) else {
            continue;
        };
        let name = (*name).to_owned();
        match (field, wire) {
            (Field::Str, Wire::Bytes(b)) => {
                out.insert(name, json!(text(b)?));
            }
            (Field::Bool, Wire::Varint(v)) => {
                out.insert(name, json!(v != 0));
            }
            (Field::Int, Wire::Varint(v)) => {
                out.insert(name, json!(v));
            }
            (Field::StrList, Wire::Bytes(b)) => {
                let list = out.entry(name).or_insert_with(|| json!([]));
                if let Value::Array(list) = list {
                    list.push(json!(text(b)?));
                }
            }
            (Field::StrMap | Field::BytesMap, Wire::Bytes(b)) => {
                let (k, v) = entry(b)?;
                let v = match field {
                    Field::StrMap => json!(text(v)?),
                    _ => json!(base64::engine::general_purpose::STANDARD.encode(v)),
                };
                if let Value::Object(m) = out.entry(name).or_insert_with(|| json!({})) {
                    m.insert(k, v);
                }
            }
            (Field::Msg(inner), Wire::Bytes(b)) => {
                out.insert(name, Value::Object(message(b, inner, depth + 1)?));
            }
            _ => return Err(bad(&format!("field {n} has the wrong wire type"))),
        }
    }
    Ok(out)
}

/// Decodes a protobuf body (starting with [`MAGIC`]) into the object's JSON.
pub(crate) fn decode(body: &[u8]) -> Result<Value, ClientError> {
    let envelope = body
        .strip_prefix(MAGIC)
        .ok_or_else(|| bad("missing the k8s magic prefix"))?;
    let mut r = Reader(envelope);
    let (mut api_version, mut kind, mut raw) = (String::new(), String::new(), &[][..]);
    while let Some((n, wire)) = r.next()? {
        match (n, wire) {
            (1, Wire::Bytes(types)) => {
                let mut t = Reader(types);
                while let Some((n, w)) = t.next()? {
                    match (n, w) {
                        (1, Wire::Bytes(b)) => api_version = text(b)?,
                        (2, Wire::Bytes(b)) => kind = text(b)?,
                        _ => {}
                    }
                }
            }
            (2, Wire::Bytes(b)) => raw = b,
            _ => {}
        }
    }
    let Some(schema) = schema(&api_version, &kind) else {
        return Err(ClientError::UnsupportedMediaType {
            message: format!(
                "protobuf bodies are read only for v1 Namespace, ConfigMap and Secret, not {api_version} {kind}; send JSON"
            ),
        });
    };
    let mut object = message(raw, schema, 0)?;
    object.insert("apiVersion".into(), json!(api_version));
    object.insert("kind".into(), json!(kind));
    Ok(Value::Object(object))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(n: u64, bytes: &[u8]) -> Vec<u8> {
        let mut out = vec![
            u8::try_from(n << 3 | 2).unwrap(),
            u8::try_from(bytes.len()).unwrap(),
        ];
        out.extend_from_slice(bytes);
        out
    }

    #[test]
    fn decodes_a_config_map() {
        let meta = [
            field(1, b"settings"),
            field(11, &[field(1, b"app"), field(2, b"web")].concat()),
        ]
        .concat();
        let raw = [
            field(1, &meta),
            field(2, &[field(1, b"k"), field(2, b"v")].concat()),
            vec![4 << 3, 1],
        ]
        .concat();
        let types = [field(1, b"v1"), field(2, b"ConfigMap")].concat();
        let body = [MAGIC.to_vec(), field(1, &types), field(2, &raw)].concat();
        assert_eq!(
            decode(&body).unwrap(),
            json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "settings", "labels": {"app": "web"}},
                   "data": {"k": "v"}, "immutable": true})
        );
    }

    #[test]
    fn refuses_garbage_and_other_kinds() {
        assert_eq!(decode(b"k8s\0\x0a\x05ab").unwrap_err().code(), 400);
        assert_eq!(decode(b"nope").unwrap_err().code(), 400);
        assert_eq!(
            decode(b"k8s\0\x0a\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff")
                .unwrap_err()
                .code(),
            400
        );
        let types = [field(1, b"apps/v1"), field(2, b"Deployment")].concat();
        let body = [MAGIC.to_vec(), field(1, &types)].concat();
        assert_eq!(decode(&body).unwrap_err().code(), 415);
    }
}
