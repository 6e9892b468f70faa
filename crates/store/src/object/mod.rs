//! The Kubernetes object layer: object semantics over any [`KvStore`], held once so
//! that the API server and in-process users share them.
//!
//! [`ObjectStore`] works on [`DynamicObject`](core_types::DynamicObject)s and answers with
//! [`ClientError`](client::ClientError)s; it implements [`Client`](client::Client)
//! itself (without cache; [`InProcessClient`](crate::InProcessClient) adds the watch
//! cache).

mod as_client;
mod bind;
mod codec;
mod create;
mod delete;
mod filter;
mod key;
mod names;
mod patch;
mod raw;
mod read;
mod update;
mod watch;

use std::sync::Arc;
use std::time::Duration;

use crate::kv::KvStore;

pub(crate) use codec::{collection_namespace, decode_at, parse_resource_version, storage_error};
pub use delete::{FOREGROUND_FINALIZER, ORPHAN_FINALIZER};
pub(crate) use filter::Change;
pub use filter::{ObjectFilter, field_value};
pub(crate) use key::list_prefix;
pub use key::{KeyError, ObjectKey, REGISTRY_PREFIX, resource_prefix};
pub(crate) use read::initial_values;
pub(crate) use watch::bookmark_interval;

/// How often a watch that asked for bookmarks gets one.
pub const BOOKMARK_INTERVAL: Duration = Duration::from_secs(1);

/// How many times a write that lost a race (an unconditional update, a patch, a
/// delete, a bind) reads again and retries before answering `Conflict`.
const MAX_ATTEMPTS: usize = 16;

/// Kubernetes object semantics over a [`KvStore`]; cheap to clone.
///
/// # Storage
///
/// Keys are laid out as [`ObjectKey`] describes (`/registry/<group or core>/<plural>/
/// [<namespace>/]<name>`). A value is the object's JSON without
/// `metadata.resourceVersion`: the resourceVersion is the key's mod revision, filled in
/// on every read, and the optimistic-concurrency check of an update is a transaction
/// comparing that revision.
///
/// # What each operation does
///
/// - **create**: needs `name` or `generateName` (a random 5-character suffix, retried
///   on collision); refuses a set resourceVersion; assigns `uid`,
///   `creationTimestamp` and `generation: 1`; clears deletion fields; fills
///   `apiVersion`/`kind` and the namespace from the request (a different one is an
///   error; cluster-scoped objects have none).
/// - **get / list**: list by key prefix, filtered by label and field selectors
///   ([`field_value`] reads any dotted path), paged with `limit` and an opaque continue
///   token (the last key and the revision of the first page; every page reads at that
///   revision, so `Gone` once it is compacted). resourceVersion `""` reads the latest
///   state, `"0"` any state, `N` exactly or not older than `N`.
/// - **update**: compare-and-swap on resourceVersion (empty: read-modify-write, retried
///   on conflict). uid, creationTimestamp, name and namespace cannot change; generation
///   is bumped only when something outside metadata and status changes; changes to
///   `status` are ignored. **update_status** changes only `status`. A top-level
///   `status` field is treated this way for every kind. An update that changes nothing
///   writes nothing.
/// - **delete**: preconditions (uid, resourceVersion) are `Conflict`s. An object with
///   finalizers (including `foregroundDeletion`/`orphan`, added for those propagation
///   policies) gets a deletionTimestamp and stays; once it has one, no finalizer may be
///   added, and the update that removes the last one deletes it.
/// - **patch**: JSON merge patch (RFC 7386) or JSON patch (RFC 6902) applied to the
///   stored object, then the update rules.
/// - **watch**: changes after a resourceVersion (or the current state first), filtered
///   so that objects entering or leaving a selector are `Added` or `Deleted`; bookmarks
///   every [`BOOKMARK_INTERVAL`]; `Gone` for compacted history.
/// - **bind**: sets a pod's `spec.nodeName` (and its `PodScheduled` condition) with
///   one read and one transaction.
///
/// # Not here yet
///
/// Admission (defaulting, validation, namespace existence, quotas) belongs to the API
/// server, which runs its chain on the object before calling create, update or patch;
/// the in-process client will take the same chain. Kind-specific strategies (a pod's
/// status reset on create, graceful pod deletion that keeps a bound pod with a
/// deletionTimestamp until the node agent confirms with grace period 0) come with
/// them; today a delete without finalizers removes the object at once.
///
/// ```
/// use std::sync::Arc;
/// use client::PostParams;
/// use core_types::core_v1::ConfigMap;
/// use core_types::{DynamicObject, StaticResource};
/// use store::{MemoryStore, ObjectStore};
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), client::ClientError> {
/// let objects = ObjectStore::new(Arc::new(MemoryStore::new()));
/// let mut cm = DynamicObject::new(ConfigMap::resource(), "settings");
/// cm.data.insert("data".into(), serde_json::json!({"mode": "fast"}));
/// let created = objects.create(ConfigMap::resource(), Some("default"), cm, &PostParams::default()).await?;
/// assert_eq!(created.metadata.generation, 1);
/// assert_eq!(created.metadata.resource_version, "1");
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct ObjectStore {
    kv: Arc<dyn KvStore>,
}

impl std::fmt::Debug for ObjectStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ObjectStore").finish_non_exhaustive()
    }
}

impl ObjectStore {
    /// The object layer over `kv`.
    pub fn new(kv: Arc<dyn KvStore>) -> Self {
        ObjectStore { kv }
    }

    /// The store underneath.
    pub fn kv(&self) -> &Arc<dyn KvStore> {
        &self.kv
    }
}
