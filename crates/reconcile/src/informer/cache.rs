//! The informer cache: an exclusive [`Writer`] and cheap cloneable [`Store`] readers,
//! with indexes and change handlers.

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::fmt;
use std::panic::AssertUnwindSafe;
use std::sync::{
    Arc, Mutex, MutexGuard, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard, Weak,
};

use core_types::Resource;
use tokio::sync::watch;

use super::index::{Index, IndexFn};
use crate::error::UnknownIndex;
use crate::object_ref::ObjectRef;

/// A change applied to a cache, as handlers see it. The objects are the cache's own
/// (shared, not copied).
#[derive(Debug)]
#[non_exhaustive]
pub enum Change<K> {
    /// An object appeared.
    Added {
        /// Its key.
        key: ObjectRef,
        /// The object.
        object: Arc<K>,
    },
    /// An object changed.
    Modified {
        /// Its key.
        key: ObjectRef,
        /// The state before.
        old: Arc<K>,
        /// The state now.
        new: Arc<K>,
    },
    /// An object went away; this is its last known state.
    Deleted {
        /// Its key.
        key: ObjectRef,
        /// The last state.
        object: Arc<K>,
    },
}

impl<K> Change<K> {
    /// The key of the object.
    pub fn key(&self) -> &ObjectRef {
        match self {
            Change::Added { key, .. }
            | Change::Modified { key, .. }
            | Change::Deleted { key, .. } => key,
        }
    }

    /// The object now (`None` for a deletion).
    pub fn current(&self) -> Option<&Arc<K>> {
        match self {
            Change::Added { object, .. } => Some(object),
            Change::Modified { new, .. } => Some(new),
            Change::Deleted { .. } => None,
        }
    }

    /// Every state the change involves: the new one, and the old or deleted one.
    pub fn objects(&self) -> impl Iterator<Item = &Arc<K>> {
        let (first, second) = match self {
            Change::Added { object, .. } | Change::Deleted { object, .. } => (object, None),
            Change::Modified { old, new, .. } => (new, Some(old)),
        };
        std::iter::once(first).chain(second)
    }
}

type Handler<K> = Arc<dyn Fn(&Change<K>) + Send + Sync>;

struct Objects<K> {
    objects: HashMap<ObjectRef, Arc<K>>,
    indexes: HashMap<String, Index<K>>,
}

struct Handlers<K> {
    next_id: u64,
    list: Vec<(u64, Handler<K>)>,
}

struct Shared<K> {
    objects: RwLock<Objects<K>>,
    handlers: Mutex<Handlers<K>>,
    synced: watch::Sender<bool>,
}

impl<K> Shared<K> {
    fn read(&self) -> RwLockReadGuard<'_, Objects<K>> {
        // Every write leaves the maps consistent before anything can panic.
        self.objects.read().unwrap_or_else(PoisonError::into_inner)
    }

    fn write(&self) -> RwLockWriteGuard<'_, Objects<K>> {
        self.objects.write().unwrap_or_else(PoisonError::into_inner)
    }

    fn handlers(&self) -> MutexGuard<'_, Handlers<K>> {
        self.handlers.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Read access to a cache of objects of kind `K`, kept up to date by an
/// [`Informer`](crate::Informer) (or by hand through a [`Writer`]).
///
/// Cheap to clone. Objects are `Arc<K>`: reading one is a lookup and a reference
/// count increment, never a copy. A read sees every change the cache applied before
/// it, and handlers run only after the change they are told about is visible here.
pub struct Store<K> {
    shared: Arc<Shared<K>>,
}

impl<K> Clone for Store<K> {
    fn clone(&self) -> Self {
        Store {
            shared: self.shared.clone(),
        }
    }
}

impl<K> fmt::Debug for Store<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Store")
            .field("len", &self.shared.read().objects.len())
            .field("synced", &*self.shared.synced.borrow())
            .finish()
    }
}

impl<K: Resource> Store<K> {
    /// The object with this key.
    pub fn get(&self, key: &ObjectRef) -> Option<Arc<K>> {
        self.shared.read().objects.get(key).cloned()
    }

    /// The object `name` in `namespace` (`""` for cluster-scoped kinds).
    pub fn get_named(&self, namespace: &str, name: &str) -> Option<Arc<K>> {
        self.get(&ObjectRef::new(namespace, name))
    }

    /// Every object, in no particular order.
    pub fn list(&self) -> Vec<Arc<K>> {
        self.shared.read().objects.values().cloned().collect()
    }

    /// Every key, in no particular order.
    pub fn keys(&self) -> Vec<ObjectRef> {
        self.shared.read().objects.keys().cloned().collect()
    }

    /// The objects in `namespace`: through the index named
    /// [`NAMESPACE_INDEX`](crate::NAMESPACE_INDEX) if there is one, else by a scan.
    pub fn list_namespace(&self, namespace: &str) -> Vec<Arc<K>> {
        self.by_index(super::index::NAMESPACE_INDEX, namespace)
            .unwrap_or_else(|_| {
                self.shared
                    .read()
                    .objects
                    .iter()
                    .filter(|(k, _)| k.namespace() == namespace)
                    .map(|(_, v)| v.clone())
                    .collect()
            })
    }

    /// The objects the index `index` files under `value`.
    pub fn by_index(&self, index: &str, value: &str) -> Result<Vec<Arc<K>>, UnknownIndex> {
        let objects = self.shared.read();
        let found = objects
            .indexes
            .get(index)
            .ok_or_else(|| UnknownIndex(index.to_owned()))?;
        Ok(found
            .get(value)
            .filter_map(|key| objects.objects.get(key).cloned())
            .collect())
    }

    /// The values of the index `index` that have at least one object.
    pub fn index_values(&self, index: &str) -> Result<Vec<String>, UnknownIndex> {
        let objects = self.shared.read();
        let found = objects
            .indexes
            .get(index)
            .ok_or_else(|| UnknownIndex(index.to_owned()))?;
        Ok(found.values().map(str::to_owned).collect())
    }

    /// The first object (in no particular order) for which `predicate` holds. The
    /// cache is read-locked meanwhile: `predicate` must not use this store.
    pub fn find(&self, mut predicate: impl FnMut(&K) -> bool) -> Option<Arc<K>> {
        self.shared
            .read()
            .objects
            .values()
            .find(|o| predicate(o))
            .cloned()
    }

    /// How many objects the cache holds.
    pub fn len(&self) -> usize {
        self.shared.read().objects.len()
    }

    /// True if the cache holds no object.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// True once the cache has been filled from a complete list (it stays true while
    /// the informer re-lists).
    pub fn is_synced(&self) -> bool {
        *self.shared.synced.borrow()
    }

    /// Waits until [`is_synced`](Self::is_synced).
    pub async fn wait_until_synced(&self) {
        let mut synced = self.shared.synced.subscribe();
        // The sender lives in `shared`, which `self` keeps alive: this cannot fail.
        let _ = synced.wait_for(|s| *s).await;
    }

    /// Calls `handler` for every change from now on, after calling it with an `Added`
    /// change for every object already in the cache. The handler runs on the writer's
    /// task, so it must be quick (a work-queue add is); it must not subscribe nor
    /// unsubscribe. A panic in it is caught and logged. Dropping the [`Subscription`]
    /// unsubscribes.
    pub fn subscribe(&self, handler: impl Fn(&Change<K>) + Send + Sync + 'static) -> Subscription {
        let handler: Handler<K> = Arc::new(handler);
        let mut handlers = self.shared.handlers();
        // Holding the handler lock while reading: every change is either in this
        // snapshot or dispatched after the handler is registered (or both). The
        // snapshot is taken first so the handler runs without the objects' lock
        // (it may read the store).
        let existing: Vec<(ObjectRef, Arc<K>)> = self
            .shared
            .read()
            .objects
            .iter()
            .map(|(key, object)| (key.clone(), object.clone()))
            .collect();
        for (key, object) in existing {
            call(&handler, &Change::Added { key, object });
        }
        let id = handlers.next_id;
        handlers.next_id += 1;
        handlers.list.push((id, handler));
        drop(handlers);
        let weak: Weak<Shared<K>> = Arc::downgrade(&self.shared);
        Subscription {
            remove: Some(Box::new(move || {
                if let Some(shared) = weak.upgrade() {
                    shared.handlers().list.retain(|(i, _)| *i != id);
                }
            })),
        }
    }
}

impl<K> Store<K> {
    /// Adds (or replaces) an index; the writer's job, offered to informers too (the
    /// write lock keeps it consistent with concurrent changes).
    pub(crate) fn add_index(&self, name: String, func: IndexFn<K>) {
        let mut objects = self.shared.write();
        let mut index = Index::new(func);
        for (key, object) in &objects.objects {
            index.update(key, None, Some(object));
        }
        objects.indexes.insert(name, index);
    }
}

fn call<K>(handler: &Handler<K>, change: &Change<K>) {
    if std::panic::catch_unwind(AssertUnwindSafe(|| handler(change))).is_err() {
        tracing::error!(object = %change.key(), "a cache change handler panicked");
    }
}

/// Keeps a handler registered with [`Store::subscribe`]; dropping it unsubscribes.
#[must_use = "dropping a subscription unsubscribes at once"]
pub struct Subscription {
    remove: Option<Box<dyn FnOnce() + Send + Sync>>,
}

impl fmt::Debug for Subscription {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Subscription").finish_non_exhaustive()
    }
}

impl Drop for Subscription {
    fn drop(&mut self) {
        if let Some(remove) = self.remove.take() {
            remove();
        }
    }
}

/// The one writer of a cache; [`Informer`](crate::Informer)s own theirs. Each change
/// is applied (objects and indexes together), then handed to the handlers.
pub struct Writer<K> {
    shared: Arc<Shared<K>>,
}

impl<K> fmt::Debug for Writer<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Writer").finish_non_exhaustive()
    }
}

impl<K: Resource> Default for Writer<K> {
    fn default() -> Self {
        Self::new()
    }
}

impl<K: Resource> Writer<K> {
    /// An empty, unsynced cache.
    pub fn new() -> Self {
        Writer {
            shared: Arc::new(Shared {
                objects: RwLock::new(Objects {
                    objects: HashMap::new(),
                    indexes: HashMap::new(),
                }),
                handlers: Mutex::new(Handlers {
                    next_id: 0,
                    list: Vec::new(),
                }),
                synced: watch::Sender::new(false),
            }),
        }
    }

    /// A reader of this cache.
    pub fn store(&self) -> Store<K> {
        Store {
            shared: self.shared.clone(),
        }
    }

    /// Adds (or replaces) the index `name`, filled from the objects present.
    pub fn add_index(&self, name: impl Into<String>, func: IndexFn<K>) {
        self.store().add_index(name.into(), func);
    }

    fn dispatch(&self, changes: &[Change<K>]) {
        if changes.is_empty() {
            return;
        }
        let handlers = self.shared.handlers();
        for change in changes {
            for (_, handler) in &handlers.list {
                call(handler, change);
            }
        }
    }

    /// Inserts or replaces an object.
    pub fn apply(&mut self, object: K) {
        let key = ObjectRef::from_obj(&object);
        let new = Arc::new(object);
        let change = {
            let mut guard = self.shared.write();
            let objects = &mut *guard;
            let (key, old) = match objects.objects.entry(key) {
                Entry::Occupied(mut e) => {
                    let old = e.insert(new.clone());
                    (e.key().clone(), Some(old))
                }
                Entry::Vacant(e) => {
                    let key = e.key().clone();
                    e.insert(new.clone());
                    (key, None)
                }
            };
            for index in objects.indexes.values_mut() {
                index.update(&key, old.as_deref(), Some(&new));
            }
            match old {
                Some(old) => Change::Modified { key, old, new },
                None => Change::Added { key, object: new },
            }
        };
        self.dispatch(std::slice::from_ref(&change));
    }

    /// Removes an object; `object` is its last state (a watch's `Deleted` event).
    pub fn delete(&mut self, object: K) {
        let key = ObjectRef::from_obj(&object);
        let change = {
            let mut guard = self.shared.write();
            let objects = &mut *guard;
            let Some((key, old)) = objects.objects.remove_entry(&key) else {
                return;
            };
            for index in objects.indexes.values_mut() {
                index.update(&key, Some(&old), None);
            }
            Change::Deleted {
                key,
                object: Arc::new(object),
            }
        };
        self.dispatch(std::slice::from_ref(&change));
    }

    /// Replaces the whole content with a complete list, and marks the cache synced.
    /// Handlers hear of the difference only: new objects, objects whose
    /// resourceVersion changed, and objects that are gone.
    pub fn replace(&mut self, list: Vec<K>) {
        let changes = {
            let mut guard = self.shared.write();
            let objects = &mut *guard;
            let mut old = std::mem::take(&mut objects.objects);
            let mut changes = Vec::new();
            objects.objects.reserve(list.len());
            for object in list {
                let key = ObjectRef::from_obj(&object);
                let new = Arc::new(object);
                match old.remove_entry(&key) {
                    Some((key, old)) => {
                        if old.meta().resource_version != new.meta().resource_version {
                            changes.push(Change::Modified {
                                key: key.clone(),
                                old,
                                new: new.clone(),
                            });
                        }
                        objects.objects.insert(key, new);
                    }
                    None => {
                        changes.push(Change::Added {
                            key: key.clone(),
                            object: new.clone(),
                        });
                        objects.objects.insert(key, new);
                    }
                }
            }
            for (key, object) in old {
                changes.push(Change::Deleted { key, object });
            }
            for index in objects.indexes.values_mut() {
                index.clear();
                for (key, object) in &objects.objects {
                    index.update(key, None, Some(object));
                }
            }
            changes
        };
        self.shared.synced.send_replace(true);
        self.dispatch(&changes);
    }

    /// Marks the cache synced without changing it.
    pub fn mark_synced(&mut self) {
        self.shared.synced.send_replace(true);
    }
}

#[cfg(test)]
mod tests;
