//! One state of one object as the cache holds it: the stored encoding, decoded only
//! when something needs the decoded form.
//!
//! A typed watcher ([`client::Client::watch_raw`]) takes the encoding as it is (the
//! bytes are shared, with the resourceVersion beside them) and decodes it into its
//! own type; only watchers with selectors or of [`DynamicObject`]s, and lists, need
//! the decoded object, and it is decoded once for all of them.

use std::sync::OnceLock;

use bytes::Bytes;
use client::{ClientError, RawObject};
use core_types::DynamicObject;

use crate::kv::Revision;
use crate::object::decode_at;

/// An object's state: its stored value (the JSON without resourceVersion) and the
/// revision that wrote it.
#[derive(Debug)]
pub(super) struct CachedObject {
    value: Bytes,
    revision: Revision,
    /// Boxed: most states are never decoded, and the cache holds thousands of them.
    decoded: OnceLock<Box<Result<DynamicObject, ClientError>>>,
}

impl CachedObject {
    /// The state stored as `value` by the write at `revision`.
    pub(super) fn new(value: Bytes, revision: Revision) -> Self {
        CachedObject {
            value,
            revision,
            decoded: OnceLock::new(),
        }
    }

    /// The revision of the write that stored this state.
    pub(super) fn revision(&self) -> Revision {
        self.revision
    }

    /// The object, decoded on first use. An error means the stored value is corrupt.
    pub(super) fn object(&self) -> Result<&DynamicObject, &ClientError> {
        self.decoded
            .get_or_init(|| Box::new(decode_at(&self.value, self.revision)))
            .as_ref()
            .as_ref()
    }

    /// The object, if it decodes (a corrupt value is logged; its watchers get an error
    /// item when they read it).
    pub(super) fn object_if_valid(&self) -> Option<&DynamicObject> {
        match self.object() {
            Ok(obj) => Some(obj),
            Err(e) => {
                tracing::warn!(error = %e, "watch cache: an object does not decode");
                None
            }
        }
    }

    /// The object encoded, with resourceVersion `revision` (the bytes are shared).
    pub(super) fn raw_at(&self, revision: Revision) -> RawObject {
        RawObject::with_resource_version(self.value.clone(), revision.to_string())
    }
}

#[cfg(test)]
mod tests {
    use core_types::StaticResource;
    use core_types::core_v1::Pod;

    use super::*;

    fn cached(value: &str, revision: Revision) -> CachedObject {
        CachedObject::new(Bytes::from(value.to_owned()), revision)
    }

    #[test]
    fn decodes_lazily_and_writes_the_revision_in() {
        let cached = cached(
            r#"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","namespace":"ns"}}"#,
            7,
        );
        let raw = cached.raw_at(7);
        let pod: Pod = raw.decode(Pod::resource()).unwrap();
        assert_eq!(pod.metadata.resource_version, "7");
        let deleted: Pod = cached.raw_at(9).decode(Pod::resource()).unwrap();
        assert_eq!(deleted.metadata.resource_version, "9");
        let obj = cached.object().unwrap();
        assert_eq!(obj.metadata.name, "p");
        assert_eq!(obj.metadata.resource_version, "7");
    }

    #[test]
    fn a_corrupt_value_is_an_error_not_a_panic() {
        let cached = cached("not json", 3);
        assert!(cached.object().is_err());
        assert!(cached.object_if_valid().is_none());
        assert!(cached.raw_at(3).decode::<Pod>(Pod::resource()).is_err());
    }
}
