//! Delete: preconditions, finalizers, propagation policies; delete_collection.

use client::{ClientError, DeleteOutcome, DeleteParams, ListParams, ObjectList, PropagationPolicy};
use core_types::{ApiResource, DynamicObject, Time};

use super::codec::{decode, encode, object_namespace, storage_error};
use super::key::ObjectKey;
use super::{MAX_ATTEMPTS, ObjectStore};
use crate::kv::{Compare, Op, Txn, TxnResponse};

/// The finalizer the garbage collector handles for `Foreground` deletion.
pub const FOREGROUND_FINALIZER: &str = "foregroundDeletion";
/// The finalizer the garbage collector handles for `Orphan` deletion.
pub const ORPHAN_FINALIZER: &str = "orphan";

impl ObjectStore {
    /// Deletes an object, or marks it for deletion when it has finalizers; see the
    /// [`ObjectStore`] documentation.
    pub async fn delete(
        &self,
        resource: &ApiResource,
        namespace: Option<&str>,
        name: &str,
        params: &DeleteParams,
    ) -> Result<DeleteOutcome<DynamicObject>, ClientError> {
        let namespace = object_namespace(resource, namespace)?;
        let key = ObjectKey::new(resource, namespace, name)?.to_string();
        for _ in 0..MAX_ATTEMPTS {
            let Some(current) = self.kv.get(key.as_bytes()).await.map_err(storage_error)? else {
                return Err(ClientError::not_found(resource, name));
            };
            let mut obj = decode(&current)?;
            check_preconditions(resource, &obj, params)?;
            let compare = Compare::mod_revision(key.clone(), current.mod_revision);
            let meta = &mut obj.metadata;
            if meta.deletion_timestamp.is_none() {
                let policy_finalizer = match params.propagation_policy {
                    Some(PropagationPolicy::Foreground) => Some(FOREGROUND_FINALIZER),
                    Some(PropagationPolicy::Orphan) => Some(ORPHAN_FINALIZER),
                    Some(PropagationPolicy::Background) | None => None,
                };
                if let Some(f) = policy_finalizer {
                    if !meta.finalizers.iter().any(|have| have == f) {
                        meta.finalizers.push(f.to_owned());
                    }
                }
            }
            if meta.finalizers.is_empty() {
                if params.dry_run {
                    return Ok(DeleteOutcome::Deleted(obj));
                }
                let txn = Txn::new().when(compare).then(Op::delete(key.clone()));
                if self.kv.txn(txn).await.map_err(storage_error)?.succeeded() {
                    return Ok(DeleteOutcome::Deleted(obj));
                }
                continue;
            }
            if meta.deletion_timestamp.is_some() {
                // Already being deleted: nothing more to do until the finalizers go.
                return Ok(DeleteOutcome::Pending(obj));
            }
            meta.deletion_timestamp = Some(Time::now());
            meta.deletion_grace_period_seconds = Some(params.grace_period_seconds.unwrap_or(0));
            if params.dry_run {
                return Ok(DeleteOutcome::Pending(obj));
            }
            let value = encode(&mut obj)?;
            let txn = Txn::new().when(compare).then(Op::put(key.clone(), value));
            if let TxnResponse::Succeeded { revision, .. } =
                self.kv.txn(txn).await.map_err(storage_error)?
            {
                obj.metadata.resource_version = revision.to_string();
                return Ok(DeleteOutcome::Pending(obj));
            }
        }
        Err(ClientError::modified(resource, name, None))
    }

    /// Deletes every object the list parameters select (all pages); returns them,
    /// deleted or pending. Objects that vanish meanwhile are skipped.
    pub async fn delete_collection(
        &self,
        resource: &ApiResource,
        namespace: Option<&str>,
        list: &ListParams,
        params: &DeleteParams,
    ) -> Result<ObjectList<DynamicObject>, ClientError> {
        let mut listed = self.list(resource, namespace, list).await?;
        let mut items = Vec::with_capacity(listed.items.len());
        loop {
            for obj in std::mem::take(&mut listed.items) {
                let ns = Some(obj.metadata.namespace.as_str()).filter(|ns| !ns.is_empty());
                match self.delete(resource, ns, &obj.metadata.name, params).await {
                    Ok(outcome) => items.push(outcome.into_object()),
                    Err(e) if e.is_not_found() => {}
                    Err(e) => return Err(e),
                }
            }
            let Some(token) = listed.continue_token().map(str::to_owned) else {
                break;
            };
            let mut next = list.clone();
            next.continue_token = Some(token);
            next.resource_version = None;
            listed = self.list(resource, namespace, &next).await?;
        }
        listed.items = items;
        listed.metadata.continue_token.clear();
        listed.metadata.remaining_item_count = None;
        Ok(listed)
    }
}

fn check_preconditions(
    resource: &ApiResource,
    obj: &DynamicObject,
    params: &DeleteParams,
) -> Result<(), ClientError> {
    let Some(pre) = &params.preconditions else {
        return Ok(());
    };
    let meta = &obj.metadata;
    let current = || Some(meta.resource_version.clone());
    if let Some(uid) = pre.uid.as_deref().filter(|u| *u != meta.uid) {
        return Err(ClientError::conflict(
            resource,
            &meta.name,
            format!(
                "Precondition failed: UID in precondition: {uid}, UID in object meta: {}",
                meta.uid
            ),
            current(),
        ));
    }
    if let Some(rv) = pre
        .resource_version
        .as_deref()
        .filter(|rv| *rv != meta.resource_version)
    {
        return Err(ClientError::conflict(
            resource,
            &meta.name,
            format!(
                "Precondition failed: ResourceVersion in precondition: {rv}, ResourceVersion \
                 in object meta: {}",
                meta.resource_version
            ),
            current(),
        ));
    }
    Ok(())
}
