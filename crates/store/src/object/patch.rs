//! Patch: JSON merge patch (RFC 7386) and JSON patch (RFC 6902) on the stored object,
//! then the update rules.

use client::{ClientError, Patch, PatchParams};
use core_types::{ApiResource, DynamicObject};
use serde_json::Value;

use super::ObjectStore;
use super::codec::{object_namespace, parse_resource_version};
use super::update::{Candidate, Part};

impl ObjectStore {
    /// Patches an object (status changes ignored).
    pub async fn patch(
        &self,
        resource: &ApiResource,
        namespace: Option<&str>,
        name: &str,
        patch: &Patch,
        params: &PatchParams,
    ) -> Result<DynamicObject, ClientError> {
        self.patch_part(resource, namespace, name, patch, Part::Main, params)
            .await
    }

    /// Patches only the status of an object.
    pub async fn patch_status(
        &self,
        resource: &ApiResource,
        namespace: Option<&str>,
        name: &str,
        patch: &Patch,
        params: &PatchParams,
    ) -> Result<DynamicObject, ClientError> {
        self.patch_part(resource, namespace, name, patch, Part::Status, params)
            .await
    }

    async fn patch_part(
        &self,
        resource: &ApiResource,
        namespace: Option<&str>,
        name: &str,
        patch: &Patch,
        part: Part,
        params: &PatchParams,
    ) -> Result<DynamicObject, ClientError> {
        let namespace = object_namespace(resource, namespace)?;
        let operations = match patch {
            Patch::Json(doc) => Some(parse_json_patch(doc)?),
            Patch::Merge(_) => None,
            other => {
                return Err(ClientError::UnsupportedMediaType {
                    message: format!("patch type {} is not supported", other.content_type()),
                });
            }
        };
        self.write_loop(resource, namespace, name, part, params.dry_run, |old| {
            apply(resource, name, old, patch, operations.as_deref())
        })
        .await
    }
}

fn parse_json_patch(doc: &Value) -> Result<Vec<json_patch::PatchOperation>, ClientError> {
    serde_json::from_value::<json_patch::Patch>(doc.clone())
        .map(|p| p.0)
        .map_err(|e| ClientError::bad_request(format!("invalid JSON patch: {e}")))
}

/// The patched object, and the resourceVersion the patch itself names (if it set one
/// other than the current), which then must match.
fn apply(
    resource: &ApiResource,
    name: &str,
    old: &DynamicObject,
    patch: &Patch,
    operations: Option<&[json_patch::PatchOperation]>,
) -> Result<Candidate, ClientError> {
    let mut doc = serde_json::to_value(old)
        .map_err(|e| ClientError::internal(format!("cannot encode object: {e}")))?;
    match (patch, operations) {
        (Patch::Merge(merge), _) => json_patch::merge(&mut doc, merge),
        (_, Some(ops)) => {
            // `patch_unsafe` leaves a half-patched document on error; it is dropped.
            json_patch::patch_unsafe(&mut doc, ops).map_err(|e| ClientError::Invalid {
                message: format!("{} {name:?} cannot be patched: {e}", resource.kind),
                details: None,
            })?;
        }
        _ => return Err(ClientError::bad_request("unsupported patch")),
    }
    let patched: DynamicObject = core_types::decode::from_value(doc).map_err(|e| {
        ClientError::bad_request(format!("the patched object is not a valid object: {e}"))
    })?;
    let named = match patched.metadata.resource_version.as_str() {
        rv if rv.is_empty() || rv == old.metadata.resource_version => None,
        rv => Some(parse_resource_version(rv)?),
    };
    if patched.metadata.name != old.metadata.name
        || patched.metadata.namespace != old.metadata.namespace
        || patched.types != old.types
    {
        return Err(ClientError::bad_request(
            "a patch may not change the name, namespace, apiVersion or kind",
        ));
    }
    Ok((patched, named))
}
