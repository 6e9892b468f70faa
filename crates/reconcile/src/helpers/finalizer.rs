//! Finalizers: cleanup that completes before an object is deleted.

use std::future::Future;
use std::sync::Arc;

use client::{Api, ClientError, Patch, PatchParams};
use core_types::Resource;
use serde_json::json;

use crate::controller::Action;

/// What [`finalizer`] asks the reconciler to do.
#[derive(Debug)]
pub enum FinalizerEvent<K> {
    /// The object lives (and carries the finalizer): make the world match it.
    Apply(Arc<K>),
    /// The object is being deleted: undo what it caused. Once this succeeds the
    /// finalizer is removed and the object may go.
    Cleanup(Arc<K>),
}

/// Why [`finalizer`] failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FinalizerError<E> {
    /// The reconciler's apply step failed.
    #[error("apply failed: {0}")]
    Apply(#[source] E),
    /// The reconciler's cleanup step failed; the finalizer stays, so the object stays.
    #[error("cleanup failed: {0}")]
    Cleanup(#[source] E),
    /// Adding the finalizer failed (the object is then not applied).
    #[error("cannot add finalizer: {0}")]
    Add(#[source] ClientError),
    /// Removing the finalizer after cleanup failed (cleanup runs again).
    #[error("cannot remove finalizer: {0}")]
    Remove(#[source] ClientError),
    /// The object has no name; it cannot be patched.
    #[error("the object has no name")]
    Unnamed,
}

/// Runs `reconcile` under the finalizer `name`, guaranteeing that its cleanup
/// completes before the object is deleted.
///
/// - A live object without the finalizer gets it (a patch guarded by the object's
///   resourceVersion), and nothing else happens now: the patch's own change event
///   brings the object back, with the finalizer.
/// - A live object with the finalizer: `reconcile(FinalizerEvent::Apply(obj))`.
/// - An object being deleted that has the finalizer:
///   `reconcile(FinalizerEvent::Cleanup(obj))`; only when that succeeds is the
///   finalizer removed (again guarded by resourceVersion), which lets the deletion
///   finish. A failed cleanup leaves it, so the object stays and cleanup is retried.
/// - An object being deleted without the finalizer: nothing to do.
///
/// `api` must address the object's namespace (or be cluster-wide for cluster-scoped
/// kinds).
pub async fn finalizer<K, F, Fut, E>(
    api: &Api<K>,
    name: &str,
    object: Arc<K>,
    reconcile: F,
) -> Result<Action, FinalizerError<E>>
where
    K: Resource,
    F: FnOnce(FinalizerEvent<K>) -> Fut,
    Fut: Future<Output = Result<Action, E>>,
{
    let meta = object.meta();
    if meta.name.is_empty() {
        return Err(FinalizerError::Unnamed);
    }
    let has_finalizer = meta.finalizers.iter().any(|f| f == name);
    match (meta.deletion_timestamp.is_some(), has_finalizer) {
        (false, true) => reconcile(FinalizerEvent::Apply(object))
            .await
            .map_err(FinalizerError::Apply),
        (false, false) => {
            let mut finalizers = meta.finalizers.clone();
            finalizers.push(name.to_owned());
            set_finalizers(api, &*object, finalizers)
                .await
                .map_err(FinalizerError::Add)?;
            Ok(Action::await_change())
        }
        (true, true) => {
            let finalizers: Vec<String> = meta
                .finalizers
                .iter()
                .filter(|f| *f != name)
                .cloned()
                .collect();
            let name_for_patch = object.clone();
            reconcile(FinalizerEvent::Cleanup(object))
                .await
                .map_err(FinalizerError::Cleanup)?;
            match set_finalizers(api, &*name_for_patch, finalizers).await {
                Ok(()) => Ok(Action::await_change()),
                // Already gone: someone else finished the deletion.
                Err(e) if e.is_not_found() => Ok(Action::await_change()),
                Err(e) => Err(FinalizerError::Remove(e)),
            }
        }
        (true, false) => Ok(Action::await_change()),
    }
}

/// Sets `metadata.finalizers`, only if the object is still at the resourceVersion
/// it was read at (else `Conflict`, and the reconcile is retried with fresh state).
async fn set_finalizers<K: Resource>(
    api: &Api<K>,
    object: &K,
    finalizers: Vec<String>,
) -> Result<(), ClientError> {
    let meta = object.meta();
    let mut patch = json!({ "metadata": { "finalizers": finalizers } });
    if !meta.resource_version.is_empty() {
        patch["metadata"]["resourceVersion"] = json!(meta.resource_version);
    }
    api.patch(&meta.name, &PatchParams::default(), &Patch::Merge(patch))
        .await
        .map(drop)
}
