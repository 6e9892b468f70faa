//! Stored values, resource versions, and the checks every request starts with.
//!
//! A value is the object's JSON without `metadata.resourceVersion`: the version is the
//! key's mod revision, filled in on every read, so it can never disagree with storage.

use client::ClientError;
use core_types::{ApiResource, DynamicObject, Scope};

use crate::kv::{KeyValue, KvError, Revision};

/// The object's stored bytes (its JSON without resourceVersion).
pub(crate) fn encode(obj: &mut DynamicObject) -> Result<Vec<u8>, ClientError> {
    let rv = std::mem::take(&mut obj.metadata.resource_version);
    let bytes = to_vec_exact(&*obj);
    obj.metadata.resource_version = rv;
    bytes
}

/// The object as a reader gets it (its JSON, resourceVersion included).
pub(crate) fn to_json(obj: &DynamicObject) -> Result<Vec<u8>, ClientError> {
    to_vec_exact(obj)
}

thread_local! {
    /// Where values are encoded before they are copied out at their exact size.
    static SCRATCH: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// `value` as JSON in a vector of exactly its size: encoded into a reused buffer, then
/// copied once, rather than grown through a chain of reallocations (each value is
/// kept for as long as storage keeps its revision).
pub(crate) fn to_vec_exact<T: serde::Serialize + ?Sized>(
    value: &T,
) -> Result<Vec<u8>, ClientError> {
    SCRATCH.with(|scratch| {
        let mut buf = scratch.take();
        buf.clear();
        let result = serde_json::to_writer(&mut buf, value)
            .map(|()| buf.as_slice().to_vec())
            .map_err(|e| ClientError::internal(format!("cannot encode object: {e}")));
        // A rare huge value does not stay pinned in the buffer.
        if buf.capacity() <= 1 << 20 {
            scratch.replace(buf);
        }
        result
    })
}

/// Decodes stored bytes; the resourceVersion becomes `revision`.
pub(crate) fn decode_at(bytes: &[u8], revision: Revision) -> Result<DynamicObject, ClientError> {
    let mut obj: DynamicObject = serde_json::from_slice(bytes)
        .map_err(|e| ClientError::internal(format!("corrupt object in storage: {e}")))?;
    obj.metadata.resource_version = revision.to_string();
    Ok(obj)
}

/// Decodes a stored key-value; the resourceVersion is its mod revision.
pub(crate) fn decode(kv: &KeyValue) -> Result<DynamicObject, ClientError> {
    decode_at(&kv.value, kv.mod_revision)
}

/// Parses a resourceVersion (a non-negative revision).
pub(crate) fn parse_resource_version(rv: &str) -> Result<Revision, ClientError> {
    rv.parse::<Revision>()
        .ok()
        .filter(|r| *r >= 0)
        .ok_or_else(|| ClientError::bad_request(format!("invalid resource version {rv:?}")))
}

/// Maps a storage error. `NotFound`, `AlreadyExists` and `Conflict` are handled where
/// the object is known; here they only arrive from unexpected places.
pub(crate) fn storage_error(e: KvError) -> ClientError {
    match e {
        KvError::Compacted {
            requested,
            compacted,
        } => ClientError::gone(format!(
            "too old resource version: {requested} ({compacted})"
        )),
        KvError::FutureRevision { requested, current } => ClientError::timeout(format!(
            "Too large resource version: {requested}, current: {current}"
        )),
        KvError::InvalidKey { .. } | KvError::InvalidRequest { .. } => {
            ClientError::bad_request(e.to_string())
        }
        KvError::Unavailable { .. } => ClientError::unavailable(e.to_string()),
        other => ClientError::internal(other.to_string()),
    }
}

/// The namespace a request on one object addresses: `Some` (non-empty) for namespaced
/// kinds, `None` for cluster-scoped ones.
pub(crate) fn object_namespace<'a>(
    resource: &ApiResource,
    namespace: Option<&'a str>,
) -> Result<Option<&'a str>, ClientError> {
    let namespace = namespace.filter(|ns| !ns.is_empty());
    match (resource.scope, namespace) {
        (Scope::Namespaced, Some(ns)) => Ok(Some(ns)),
        (Scope::Namespaced, None) => Err(ClientError::bad_request(format!(
            "{} is namespaced: the request needs a namespace",
            resource.kind
        ))),
        (Scope::Cluster, None) => Ok(None),
        (Scope::Cluster, Some(_)) => Err(cluster_scoped(resource)),
    }
}

/// The namespace a list or watch covers: `None` is every namespace.
pub(crate) fn collection_namespace<'a>(
    resource: &ApiResource,
    namespace: Option<&'a str>,
) -> Result<Option<&'a str>, ClientError> {
    match namespace.filter(|ns| !ns.is_empty()) {
        Some(_) if resource.scope == Scope::Cluster => Err(cluster_scoped(resource)),
        other => Ok(other),
    }
}

fn cluster_scoped(resource: &ApiResource) -> ClientError {
    ClientError::bad_request(format!(
        "{} is cluster-scoped: it has no namespace",
        resource.kind
    ))
}

/// Fills or checks what the body says against the request: `apiVersion` and `kind`
/// (filled when empty), the namespace (filled when empty; cluster-scoped objects have
/// none), and the name when the request names one.
pub(crate) fn check_body(
    resource: &ApiResource,
    namespace: Option<&str>,
    name: Option<&str>,
    obj: &mut DynamicObject,
) -> Result<(), ClientError> {
    let api_version = resource.api_version();
    if obj.types.api_version.is_empty() {
        obj.types.api_version = api_version.to_string();
    }
    if obj.types.kind.is_empty() {
        obj.types.kind = resource.kind.to_string();
    }
    if obj.types.api_version != api_version || obj.types.kind != resource.kind {
        return Err(ClientError::bad_request(format!(
            "the object is a {} {}, the request is for {api_version} {}",
            obj.types.api_version, obj.types.kind, resource.kind
        )));
    }
    let meta = &mut obj.metadata;
    match namespace {
        Some(ns) if meta.namespace.is_empty() => meta.namespace = ns.to_owned(),
        Some(ns) if meta.namespace != ns => {
            return Err(ClientError::bad_request(format!(
                "the namespace of the provided object ({}) does not match the namespace sent \
                 on the request ({ns})",
                meta.namespace
            )));
        }
        None if !meta.namespace.is_empty() && resource.scope == Scope::Cluster => {
            return Err(cluster_scoped(resource));
        }
        _ => {}
    }
    if let Some(name) = name {
        if meta.name.is_empty() {
            meta.name = name.to_owned();
        } else if meta.name != name {
            return Err(ClientError::bad_request(format!(
                "the name of the object ({}) does not match the name on the request ({name})",
                meta.name
            )));
        }
    }
    Ok(())
}
