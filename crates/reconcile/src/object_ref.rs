//! [`ObjectRef`]: the key of an object in a cache and in a work queue.

use std::fmt;
use std::hash::{BuildHasher, Hash, Hasher};
use std::sync::{Arc, OnceLock};

use core_types::{OwnerReference, Resource};

/// The namespace and name of an object: the key of the informer caches and the item of
/// a controller's work queue.
///
/// Cloning is one reference-count increment, and hashing writes one precomputed
/// `u64`, so moving keys through the queue and looking them up in caches does not
/// allocate nor re-hash strings. The precomputed hash uses a key chosen at random
/// once per process, so names chosen by an attacker cannot force collisions.
///
/// Cluster-scoped objects have an empty namespace.
///
/// ```
/// use reconcile::ObjectRef;
/// let key = ObjectRef::new("default", "web");
/// assert_eq!(key.to_string(), "default/web");
/// assert_eq!(ObjectRef::new("", "node-1").to_string(), "node-1");
/// ```
#[derive(Clone)]
pub struct ObjectRef(Arc<Inner>);

struct Inner {
    hash: u64,
    namespace: Box<str>,
    name: Box<str>,
}

/// The process-wide hashing key of [`ObjectRef`]s.
fn hash_key() -> &'static std::collections::hash_map::RandomState {
    static KEY: OnceLock<std::collections::hash_map::RandomState> = OnceLock::new();
    KEY.get_or_init(std::collections::hash_map::RandomState::new)
}

impl ObjectRef {
    /// The key of the object `name` in `namespace` (`""` for cluster-scoped objects).
    pub fn new(namespace: &str, name: &str) -> Self {
        let mut hasher = hash_key().build_hasher();
        namespace.hash(&mut hasher);
        name.hash(&mut hasher);
        ObjectRef(Arc::new(Inner {
            hash: hasher.finish(),
            namespace: namespace.into(),
            name: name.into(),
        }))
    }

    /// The key of `obj`.
    pub fn from_obj<K: Resource>(obj: &K) -> Self {
        let meta = obj.meta();
        Self::new(&meta.namespace, &meta.name)
    }

    /// The key of the owner an owner reference names, for a dependent in `namespace`
    /// (owners are in the dependent's namespace, or cluster-scoped).
    pub fn from_owner(owner: &OwnerReference, namespace: &str) -> Self {
        Self::new(namespace, &owner.name)
    }

    /// The namespace; empty for cluster-scoped objects.
    pub fn namespace(&self) -> &str {
        &self.0.namespace
    }

    /// The namespace, or `None` for cluster-scoped objects (the form [`client::Api`]
    /// calls take).
    pub fn namespace_opt(&self) -> Option<&str> {
        Some(self.namespace()).filter(|ns| !ns.is_empty())
    }

    /// The name.
    pub fn name(&self) -> &str {
        &self.0.name
    }

    /// True if both keys are the same allocation (a cheap identity check).
    pub fn ptr_eq(&self, other: &ObjectRef) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl PartialEq for ObjectRef {
    fn eq(&self, other: &Self) -> bool {
        self.ptr_eq(other)
            || (self.0.hash == other.0.hash
                && self.0.name == other.0.name
                && self.0.namespace == other.0.namespace)
    }
}

impl Eq for ObjectRef {}

impl Hash for ObjectRef {
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_u64(self.0.hash);
    }
}

impl PartialOrd for ObjectRef {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// Ordered by namespace, then name (the order of a list).
impl Ord for ObjectRef {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (self.namespace(), self.name()).cmp(&(other.namespace(), other.name()))
    }
}

impl fmt::Display for ObjectRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.namespace().is_empty() {
            f.write_str(self.name())
        } else {
            write!(f, "{}/{}", self.namespace(), self.name())
        }
    }
}

impl fmt::Debug for ObjectRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ObjectRef({self})")
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    #[test]
    fn equal_keys_hash_alike() {
        let a = ObjectRef::new("ns", "a");
        let b = ObjectRef::new("ns", "a");
        assert_eq!(a, b);
        assert!(!a.ptr_eq(&b));
        let set: HashSet<_> = [a, b, ObjectRef::new("n", "sa"), ObjectRef::new("", "nsa")]
            .into_iter()
            .collect();
        assert_eq!(set.len(), 3);
    }

    #[test]
    fn namespace_and_display() {
        let cluster = ObjectRef::new("", "node");
        assert_eq!(cluster.namespace_opt(), None);
        assert_eq!(format!("{cluster:?}"), "ObjectRef(node)");
        assert_eq!(ObjectRef::new("a", "b").namespace_opt(), Some("a"));
        assert!(ObjectRef::new("a", "z") < ObjectRef::new("b", "a"));
    }
}
