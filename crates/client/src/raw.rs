//! [`RawObject`]: an object still in its JSON encoding.

use std::borrow::Cow;

use bytes::Bytes;
use core_types::{ApiResource, Resource};
use futures::StreamExt as _;
use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::client::WatchStream;
use crate::error::ClientError;

/// An object in its JSON encoding, as a store holds it or an API server sends it.
///
/// A store's encoding lacks `metadata.resourceVersion` (the revision of the write is
/// the version): such an object carries its version beside the bytes
/// ([`resource_version`](Self::resource_version)), and [`decode`](Self::decode) sets
/// it, so handing one out copies nothing.
///
/// [`Client::watch_raw`](crate::Client::watch_raw) hands these out so that a typed
/// watcher decodes each object once, straight into its own type, instead of through a
/// [`DynamicObject`](core_types::DynamicObject). Cloning one is cheap (the bytes are
/// shared).
///
/// ```
/// use client::RawObject;
/// use core_types::StaticResource;
/// use core_types::core_v1::Pod;
///
/// let raw = RawObject::new(r#"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"web"}}"#);
/// let pod: Pod = raw.decode(Pod::resource()).unwrap();
/// assert_eq!(pod.metadata.name, "web");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RawObject {
    json: Bytes,
    resource_version: Option<String>,
}

/// `apiVersion` and `kind`, borrowed from the encoding where they need no unescaping.
#[derive(Deserialize)]
struct Types<'a> {
    #[serde(borrow, default, rename = "apiVersion")]
    api_version: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    kind: Option<Cow<'a, str>>,
}

/// True when `json` opens with exactly `{"apiVersion":"<api_version>","kind":"<kind>"`
/// then `,` or `}`, as encoders that write the type fields first (this project's, Go's)
/// do: the object is of that kind without a scan of the whole document for them.
fn opens_with_types(json: &[u8], api_version: &str, kind: &str) -> bool {
    let rest = json
        .strip_prefix(b"{\"apiVersion\":\"".as_slice())
        .and_then(|r| r.strip_prefix(api_version.as_bytes()))
        .and_then(|r| r.strip_prefix(b"\",\"kind\":\"".as_slice()))
        .and_then(|r| r.strip_prefix(kind.as_bytes()))
        .and_then(|r| r.strip_prefix(b"\"".as_slice()));
    matches!(rest, Some([b',' | b'}', ..]))
}

impl RawObject {
    /// The object encoded as `json` (not checked here: [`decode`](Self::decode) does).
    pub fn new(json: impl Into<Bytes>) -> Self {
        RawObject {
            json: json.into(),
            resource_version: None,
        }
    }

    /// The object encoded as `json` without its resourceVersion, which is
    /// `resource_version`.
    pub fn with_resource_version(json: impl Into<Bytes>, resource_version: String) -> Self {
        RawObject {
            json: json.into(),
            resource_version: Some(resource_version),
        }
    }

    /// The encoding (without `metadata.resourceVersion` when
    /// [`resource_version`](Self::resource_version) gives it).
    pub fn json(&self) -> &[u8] {
        &self.json
    }

    /// The resourceVersion, when the encoding does not hold it.
    pub fn resource_version(&self) -> Option<&str> {
        self.resource_version.as_deref()
    }

    /// Decodes the object as `K`. Fails with [`ClientError::Decode`] (with the path of
    /// the offending field) when the content does not fit `K`, or when the object
    /// names another kind than `resource`, as [`from_dynamic`](crate::from_dynamic)
    /// does.
    pub fn decode<K: Resource + DeserializeOwned>(
        &self,
        resource: &ApiResource,
    ) -> Result<K, ClientError> {
        let api_version = resource.api_version();
        if !opens_with_types(&self.json, &api_version, &resource.kind) {
            self.check_types(resource, &api_version)?;
        }
        let mut obj: K = core_types::decode::from_slice(&self.json)?;
        if let Some(rv) = &self.resource_version {
            rv.clone_into(&mut obj.meta_mut().resource_version);
        }
        Ok(obj)
    }

    /// Reads `apiVersion` and `kind` wherever they are; an error if they name another
    /// kind than `resource`.
    fn check_types(&self, resource: &ApiResource, api_version: &str) -> Result<(), ClientError> {
        let types: Types<'_> =
            serde_json::from_slice(&self.json).map_err(|e| ClientError::Decode {
                path: String::new(),
                message: format!("not a JSON object: {e}"),
            })?;
        let kind = types.kind.unwrap_or_default();
        let found_version = types.api_version.unwrap_or_default();
        if (!kind.is_empty() && kind != resource.kind)
            || (!found_version.is_empty() && found_version != api_version)
        {
            return Err(ClientError::Decode {
                path: String::new(),
                message: format!(
                    "expected {api_version} {}, found {found_version} {kind}",
                    resource.kind
                ),
            });
        }
        Ok(())
    }

    /// `stream`'s events with their objects encoded (for a source that only has them
    /// decoded).
    pub fn encode_events(stream: WatchStream) -> WatchStream<RawObject> {
        stream
            .map(|item| item?.try_map(|obj| RawObject::encode(&obj)))
            .boxed()
    }

    /// Encodes `obj`.
    pub fn encode<T: serde::Serialize>(obj: &T) -> Result<Self, ClientError> {
        serde_json::to_vec(obj)
            .map(RawObject::new)
            .map_err(|e| ClientError::internal(format!("cannot encode object: {e}")))
    }
}

#[cfg(test)]
mod tests {
    use core_types::StaticResource;
    use core_types::core_v1::{Node, Pod};

    use super::*;

    #[test]
    fn decodes_into_the_type_and_checks_the_kind() {
        let raw = RawObject::new(
            r#"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"web","resourceVersion":"7"},
                "spec":{"nodeName":"n1","containers":[{"name":"c","image":"nginx"}]}}"#,
        );
        let pod: Pod = raw.decode(Pod::resource()).unwrap();
        assert_eq!(pod.metadata.resource_version, "7");
        assert_eq!(pod.spec.node_name, "n1");
        let wrong = raw.decode::<Node>(Node::resource()).unwrap_err();
        assert!(
            matches!(&wrong, ClientError::Decode { message, .. } if message.contains("found v1 Pod")),
            "{wrong:?}"
        );
    }

    #[test]
    fn the_kind_is_checked_wherever_the_type_fields_are() {
        assert!(opens_with_types(
            br#"{"apiVersion":"v1","kind":"Pod","x":1}"#,
            "v1",
            "Pod"
        ));
        assert!(opens_with_types(
            br#"{"apiVersion":"v1","kind":"Pod"}"#,
            "v1",
            "Pod"
        ));
        // Not the shape the shortcut knows: the full check decides.
        for json in [
            r#"{"apiVersion":"v1","kind":"Pods"}"#,
            r#"{"apiVersion":"v1","kind":"PodX","metadata":{}}"#,
            r#"{"kind":"Pod","apiVersion":"v1"}"#,
            r#"{ "apiVersion":"v1","kind":"Pod"}"#,
            r#"{"apiVersion":"v1","kind":"Pod""#,
        ] {
            assert!(!opens_with_types(json.as_bytes(), "v1", "Pod"), "{json}");
        }
        let reordered =
            RawObject::new(r#"{"kind":"Pod","apiVersion":"v1","metadata":{"name":"a"}}"#);
        assert_eq!(
            reordered
                .decode::<Pod>(Pod::resource())
                .unwrap()
                .metadata
                .name,
            "a"
        );
        let other = RawObject::new(r#"{"apiVersion":"v1","kind":"Node","metadata":{"name":"a"}}"#);
        let err = other.decode::<Pod>(Pod::resource()).unwrap_err();
        assert!(err.to_string().contains("found v1 Node"), "{err}");
        let longer = RawObject::new(r#"{"apiVersion":"v1","kind":"PodX","metadata":{"name":"a"}}"#);
        assert!(longer.decode::<Pod>(Pod::resource()).is_err());
    }

    #[test]
    fn bad_content_says_where() {
        let raw = RawObject::new(r#"{"kind":"Pod","spec":{"containers":"nope"}}"#);
        let e = raw.decode::<Pod>(Pod::resource()).unwrap_err();
        assert!(
            matches!(&e, ClientError::Decode { path, .. } if path == "spec.containers"),
            "{e:?}"
        );
        let e = RawObject::new("[1]")
            .decode::<Pod>(Pod::resource())
            .unwrap_err();
        assert!(matches!(e, ClientError::Decode { .. }), "{e:?}");
    }

    #[test]
    fn a_version_beside_the_bytes_is_set_on_decode() {
        let raw = RawObject::with_resource_version(
            r#"{"kind":"Pod","metadata":{"name":"web"}}"#,
            "12".into(),
        );
        assert_eq!(raw.resource_version(), Some("12"));
        let pod: Pod = raw.decode(Pod::resource()).unwrap();
        assert_eq!(
            (
                pod.metadata.name.as_str(),
                pod.metadata.resource_version.as_str()
            ),
            ("web", "12")
        );
    }

    #[test]
    fn encode_round_trips() {
        let mut pod = Pod::default();
        pod.metadata.name = "a".into();
        let raw = RawObject::encode(&pod).unwrap();
        let back: Pod = raw.decode(Pod::resource()).unwrap();
        assert_eq!(back, pod);
    }
}
