//! Update (PUT) of the main resource and of the status subresource, and the
//! compare-and-swap loop patches share.

use client::{ClientError, PostParams};
use core_types::validation::{FieldError, FieldPath, ValidationErrors};
use core_types::{ApiResource, DynamicObject};
use serde_json::{Map, Value};

use super::codec::{
    check_body, decode, encode, object_namespace, parse_resource_version, storage_error,
};
use super::key::ObjectKey;
use super::{MAX_ATTEMPTS, ObjectStore};
use crate::kv::{Compare, Op, Revision, Txn, TxnResponse};

/// Which part of an object a write changes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Part {
    /// Everything but `status` (and server-managed metadata).
    Main,
    /// Only `status`.
    Status,
}

/// What a write resolves to once the rules are applied.
enum Outcome {
    /// Store the new state.
    Write(DynamicObject),
    /// The last finalizer of an object being deleted is gone: delete it.
    Remove(DynamicObject),
    /// Nothing changes: store nothing, answer the current state.
    Unchanged(DynamicObject),
}

/// A proposed new state of the object and the resourceVersion it must replace, if the
/// caller named one.
pub(crate) type Candidate = (DynamicObject, Option<Revision>);

impl ObjectStore {
    /// Replaces an object (PUT); see [`ObjectStore`] for the rules.
    pub async fn update(
        &self,
        resource: &ApiResource,
        namespace: Option<&str>,
        name: &str,
        obj: DynamicObject,
        params: &PostParams,
    ) -> Result<DynamicObject, ClientError> {
        self.replace_part(resource, namespace, name, obj, Part::Main, params.dry_run)
            .await
    }

    /// Replaces only the status of an object; everything else is kept as stored.
    pub async fn update_status(
        &self,
        resource: &ApiResource,
        namespace: Option<&str>,
        name: &str,
        obj: DynamicObject,
        params: &PostParams,
    ) -> Result<DynamicObject, ClientError> {
        self.replace_part(resource, namespace, name, obj, Part::Status, params.dry_run)
            .await
    }

    async fn replace_part(
        &self,
        resource: &ApiResource,
        namespace: Option<&str>,
        name: &str,
        mut obj: DynamicObject,
        part: Part,
        dry_run: bool,
    ) -> Result<DynamicObject, ClientError> {
        let namespace = object_namespace(resource, namespace)?;
        check_body(resource, namespace, Some(name), &mut obj)?;
        let precondition = match obj.metadata.resource_version.as_str() {
            "" => None,
            rv => Some(parse_resource_version(rv)?),
        };
        self.write_loop(resource, namespace, name, part, dry_run, |_| {
            Ok((obj.clone(), precondition))
        })
        .await
    }

    /// Reads the object, asks `candidate` for its new state, applies the update rules
    /// and swaps it in if the object has not changed meanwhile; otherwise reads again
    /// (unless the caller named a resourceVersion: then it is a `Conflict`).
    pub(crate) async fn write_loop(
        &self,
        resource: &ApiResource,
        namespace: Option<&str>,
        name: &str,
        part: Part,
        dry_run: bool,
        mut candidate: impl FnMut(&DynamicObject) -> Result<Candidate, ClientError> + Send,
    ) -> Result<DynamicObject, ClientError> {
        let key = ObjectKey::new(resource, namespace, name)?.to_string();
        for _ in 0..MAX_ATTEMPTS {
            let Some(current) = self.kv.get(key.as_bytes()).await.map_err(storage_error)? else {
                return Err(ClientError::not_found(resource, name));
            };
            let old = decode(&current)?;
            let (new, precondition) = candidate(&old)?;
            let conflict =
                || ClientError::modified(resource, name, Some(current.mod_revision.to_string()));
            if precondition.is_some_and(|rv| rv != current.mod_revision) {
                return Err(conflict());
            }
            let compare = Compare::mod_revision(key.clone(), current.mod_revision);
            let (txn, mut result, removed) = match apply_rules(resource, old, new, part)? {
                Outcome::Unchanged(obj) => return Ok(obj),
                Outcome::Write(obj) if dry_run => return Ok(obj),
                Outcome::Remove(obj) if dry_run => return Ok(obj),
                Outcome::Write(mut obj) => {
                    let value = encode(&mut obj)?;
                    (
                        Txn::new().when(compare).then(Op::put(key.clone(), value)),
                        obj,
                        false,
                    )
                }
                Outcome::Remove(obj) => (
                    Txn::new().when(compare).then(Op::delete(key.clone())),
                    obj,
                    true,
                ),
            };
            match self.kv.txn(txn).await.map_err(storage_error)? {
                TxnResponse::Succeeded { revision, .. } => {
                    if !removed {
                        result.metadata.resource_version = revision.to_string();
                    }
                    return Ok(result);
                }
                TxnResponse::Failed { .. } if precondition.is_some() => return Err(conflict()),
                TxnResponse::Failed { .. } => continue,
            }
        }
        Err(ClientError::modified(resource, name, None))
    }
}

/// The update rules: what is kept from the stored object, what may not change, when
/// the generation moves, and whether the write deletes the object.
fn apply_rules(
    resource: &ApiResource,
    old: DynamicObject,
    mut new: DynamicObject,
    part: Part,
) -> Result<Outcome, ClientError> {
    if part == Part::Status {
        if old.data.get("status") == new.data.get("status") {
            return Ok(Outcome::Unchanged(old));
        }
        let mut next = old;
        match new.data.remove("status") {
            Some(status) => next.data.insert("status".to_owned(), status),
            None => next.data.remove("status"),
        };
        return Ok(Outcome::Write(next));
    }

    let mut errors = ValidationErrors::default();
    let metadata = FieldPath::root("metadata");
    let meta = &mut new.metadata;
    if !meta.uid.is_empty() && meta.uid != old.metadata.uid {
        errors.push(FieldError::invalid(
            &metadata.child("uid"),
            &meta.uid,
            "field is immutable",
        ));
    }
    if let Some(created) = meta.creation_timestamp {
        if Some(created) != old.metadata.creation_timestamp {
            errors.push(FieldError::invalid(
                &metadata.child("creationTimestamp"),
                created,
                "field is immutable",
            ));
        }
    }
    if old.metadata.deletion_timestamp.is_some()
        && meta
            .finalizers
            .iter()
            .any(|f| !old.metadata.finalizers.contains(f))
    {
        errors.push(FieldError::forbidden(
            &metadata.child("finalizers"),
            "no new finalizers can be added if the object is being deleted",
        ));
    }
    if !errors.is_empty() {
        return Err(ClientError::invalid(resource, &old.metadata.name, &errors));
    }
    meta.uid.clone_from(&old.metadata.uid);
    meta.creation_timestamp = old.metadata.creation_timestamp;
    meta.deletion_timestamp = old.metadata.deletion_timestamp;
    meta.deletion_grace_period_seconds = old.metadata.deletion_grace_period_seconds;
    meta.resource_version
        .clone_from(&old.metadata.resource_version);
    meta.generation = old.metadata.generation;
    match old.data.get("status") {
        Some(status) => new.data.insert("status".to_owned(), status.clone()),
        None => new.data.remove("status"),
    };
    if !same_outside_status(&old.data, &new.data) {
        new.metadata.generation = old.metadata.generation.saturating_add(1);
    }
    if new.metadata.deletion_timestamp.is_some() && new.metadata.finalizers.is_empty() {
        return Ok(Outcome::Remove(new));
    }
    if new == old {
        return Ok(Outcome::Unchanged(old));
    }
    Ok(Outcome::Write(new))
}

/// True if the two objects' content (everything but metadata, which is not in `data`,
/// and status) is the same, whatever the key order.
fn same_outside_status(a: &Map<String, Value>, b: &Map<String, Value>) -> bool {
    let count = |m: &Map<String, Value>| m.len() - usize::from(m.contains_key("status"));
    count(a) == count(b)
        && a.iter()
            .filter(|(k, _)| *k != "status")
            .all(|(k, v)| b.get(k) == Some(v))
}
