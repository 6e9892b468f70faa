//! Serving stored objects without decoding them: the stored JSON with
//! `metadata.resourceVersion` written in.
//!
//! A stored value is the object's JSON without its resourceVersion (see `codec`), so
//! the encoded object a reader wants is the stored bytes with one member added to the
//! `metadata` object. Finding that object takes a scan of the top-level members that
//! skips values without decoding them; nothing is allocated but the answer.

use super::codec::{decode_at, to_json};
use crate::kv::{KeyValue, Revision};
use client::ClientError;

/// The object of `kv` as JSON, with its resourceVersion (the mod revision).
pub(crate) fn encoded(kv: &KeyValue) -> Result<Vec<u8>, ClientError> {
    match with_resource_version(&kv.value, kv.mod_revision) {
        Some(bytes) => Ok(bytes),
        // Anything the scan does not recognise goes the long way (and reports
        // corrupt data as the decoder does).
        None => {
            let obj = decode_at(&kv.value, kv.mod_revision)?;
            to_json(&obj)
        }
    }
}

/// `bytes` (a JSON object with a `metadata` object lacking `resourceVersion`) with
/// `"resourceVersion":"<revision>"` as the first member of `metadata`; `None` if
/// `bytes` is not such an object.
pub(crate) fn with_resource_version(bytes: &[u8], revision: Revision) -> Option<Vec<u8>> {
    let at = metadata_start(bytes)?;
    let rv = revision.to_string();
    let mut out = Vec::with_capacity(bytes.len() + rv.len() + 24);
    out.extend_from_slice(&bytes[..at]);
    out.extend_from_slice(b"\"resourceVersion\":\"");
    out.extend_from_slice(rv.as_bytes());
    out.push(b'"');
    let mut rest = Scan { b: bytes, i: at };
    rest.ws();
    if rest.peek()? != b'}' {
        out.push(b',');
    }
    out.extend_from_slice(&bytes[at..]);
    Some(out)
}

/// The index just after the `{` of the top-level `metadata` object, if that object
/// has no `resourceVersion` member.
fn metadata_start(bytes: &[u8]) -> Option<usize> {
    let mut s = Scan { b: bytes, i: 0 };
    s.expect(b'{')?;
    let mut first = true;
    loop {
        s.ws();
        if s.peek()? == b'}' {
            return None;
        }
        if !first {
            s.expect(b',')?;
        }
        first = false;
        let key = s.string()?;
        s.expect(b':')?;
        s.ws();
        if key == b"metadata" {
            s.expect(b'{')?;
            let start = s.i;
            // The member must not be there already.
            let mut meta_first = true;
            loop {
                s.ws();
                if s.peek()? == b'}' {
                    return Some(start);
                }
                if !meta_first {
                    s.expect(b',')?;
                }
                meta_first = false;
                if s.string()? == b"resourceVersion" {
                    return None;
                }
                s.expect(b':')?;
                s.value()?;
            }
        }
        s.value()?;
    }
}

/// A cursor over JSON text; every step fails (`None`) on anything unexpected.
struct Scan<'a> {
    b: &'a [u8],
    i: usize,
}

impl<'a> Scan<'a> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    fn ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\n' | b'\r' | b'\t')) {
            self.i += 1;
        }
    }

    fn expect(&mut self, c: u8) -> Option<()> {
        self.ws();
        (self.peek()? == c).then(|| self.i += 1)
    }

    /// A string; its raw contents (escapes left as they are).
    fn string(&mut self) -> Option<&'a [u8]> {
        self.expect(b'"')?;
        let start = self.i;
        loop {
            match self.peek()? {
                b'"' => {
                    self.i += 1;
                    return self.b.get(start..self.i - 1);
                }
                b'\\' => self.i += 2,
                _ => self.i += 1,
            }
        }
    }

    /// Skips one value.
    fn value(&mut self) -> Option<()> {
        self.ws();
        match self.peek()? {
            b'"' => self.string().map(|_| ()),
            b'{' | b'[' => {
                let mut depth = 0usize;
                loop {
                    match self.peek()? {
                        b'"' => {
                            self.string()?;
                            continue;
                        }
                        b'{' | b'[' => depth += 1,
                        b'}' | b']' => {
                            depth = depth.checked_sub(1)?;
                            if depth == 0 {
                                self.i += 1;
                                return Some(());
                            }
                        }
                        _ => {}
                    }
                    self.i += 1;
                }
            }
            _ => {
                let start = self.i;
                while !matches!(
                    self.peek()?,
                    b',' | b'}' | b']' | b' ' | b'\n' | b'\r' | b'\t'
                ) {
                    self.i += 1;
                }
                (self.i > start).then_some(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    #[test]
    fn adds_the_resource_version_to_metadata() {
        let stored = json!({"apiVersion": "v1", "kind": "Pod",
            "spec": {"a": [1, {"b": "}\\\"{"}], "c": null, "d": true},
            "metadata": {"name": "p", "labels": {"x": "]"}}, "z": -1.5e3});
        let bytes = serde_json::to_vec(&stored).unwrap_or_default();
        let out = with_resource_version(&bytes, 42).unwrap_or_default();
        let mut expected = stored.clone();
        expected["metadata"]["resourceVersion"] = json!("42");
        assert_eq!(serde_json::from_slice::<Value>(&out).ok(), Some(expected));
    }

    #[test]
    fn empty_metadata_and_whitespace() {
        let out = with_resource_version(br#" { "kind" : "X" , "metadata" : { } } "#, 7);
        let value = out.and_then(|b| serde_json::from_slice::<Value>(&b).ok());
        assert_eq!(
            value,
            Some(json!({"kind": "X", "metadata": {"resourceVersion": "7"}}))
        );
    }

    #[test]
    fn declines_what_it_does_not_recognise() {
        for bytes in [
            &b""[..],
            b"[]",
            b"{}",
            b"{\"metadata\":[]}",
            b"{\"metadata\":{\"resourceVersion\":\"1\"}}",
            b"{\"metadata\":{\"name\":\"unterminated",
            b"{\"a\":}",
            b"{\"a\":1 \"metadata\":{}}",
            b"{\"a\":]]]]",
        ] {
            assert_eq!(with_resource_version(bytes, 1), None, "{bytes:?}");
        }
    }
}
