//! Secondary indexes of a cache: index functions and their incrementally kept maps.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use core_types::Resource;

use crate::object_ref::ObjectRef;

/// An index function: the values under which an object is found in the index (none,
/// one or several).
pub type IndexFn<K> = Arc<dyn Fn(&K) -> Vec<String> + Send + Sync>;

/// The name of the index [`namespace_index`] is registered under by convention.
pub const NAMESPACE_INDEX: &str = "namespace";
/// The name of the index [`owner_index`] is registered under by convention.
pub const OWNER_INDEX: &str = "owner";

/// Indexes an object by its namespace.
pub fn namespace_index<K: Resource>(obj: &K) -> Vec<String> {
    vec![obj.meta().namespace.clone()]
}

/// Indexes an object by the uids of its owners (every ownerReference), so that a
/// controller finds the dependents of an owner without a scan.
pub fn owner_index<K: Resource>(obj: &K) -> Vec<String> {
    obj.meta()
        .owner_references
        .iter()
        .map(|r| r.uid.clone())
        .collect()
}

/// Indexes an object by the value of its label `key` (objects without it are not in
/// the index).
pub fn label_index<K: Resource>(key: impl Into<String>) -> impl Fn(&K) -> Vec<String> {
    let key = key.into();
    move |obj: &K| obj.meta().labels.get(&key).cloned().into_iter().collect()
}

/// One index: its function and, per value, the keys of the objects under it.
pub(crate) struct Index<K> {
    func: IndexFn<K>,
    entries: HashMap<String, HashSet<ObjectRef>>,
}

impl<K> Index<K> {
    pub(crate) fn new(func: IndexFn<K>) -> Self {
        Index {
            func,
            entries: HashMap::new(),
        }
    }

    /// Moves `key` from the values of `old` to those of `new`.
    pub(crate) fn update(&mut self, key: &ObjectRef, old: Option<&K>, new: Option<&K>) {
        let old_values = old.map(|o| (self.func)(o)).unwrap_or_default();
        let new_values = new.map(|n| (self.func)(n)).unwrap_or_default();
        if old_values == new_values {
            return;
        }
        for value in &old_values {
            if new_values.contains(value) {
                continue;
            }
            if let Some(keys) = self.entries.get_mut(value) {
                keys.remove(key);
                if keys.is_empty() {
                    self.entries.remove(value);
                }
            }
        }
        for value in new_values {
            self.entries.entry(value).or_default().insert(key.clone());
        }
    }

    /// Empties the index (before a rebuild).
    pub(crate) fn clear(&mut self) {
        self.entries.clear();
    }

    /// The keys under `value`.
    pub(crate) fn get(&self, value: &str) -> impl Iterator<Item = &ObjectRef> {
        self.entries.get(value).into_iter().flatten()
    }

    /// The values with at least one object.
    pub(crate) fn values(&self) -> impl Iterator<Item = &str> {
        self.entries.keys().map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use core_types::core_v1::ConfigMap;
    use core_types::{ObjectMeta, OwnerReference};

    use super::*;

    fn cm(ns: &str, app: Option<&str>, owners: &[&str]) -> ConfigMap {
        let mut meta = ObjectMeta::named(ns, "x");
        if let Some(app) = app {
            meta.labels.insert("app".into(), app.into());
        }
        meta.owner_references = owners
            .iter()
            .map(|uid| OwnerReference {
                uid: (*uid).into(),
                ..OwnerReference::default()
            })
            .collect();
        ConfigMap {
            metadata: meta,
            ..ConfigMap::default()
        }
    }

    #[test]
    fn functions() {
        let obj = cm("ns", Some("web"), &["u1", "u2"]);
        assert_eq!(namespace_index(&obj), ["ns"]);
        assert_eq!(owner_index(&obj), ["u1", "u2"]);
        assert_eq!(label_index::<ConfigMap>("app")(&obj), ["web"]);
        assert!(label_index::<ConfigMap>("tier")(&obj).is_empty());
    }

    #[test]
    fn update_moves_keys() {
        let mut index = Index::new(Arc::new(owner_index::<ConfigMap>) as IndexFn<ConfigMap>);
        let key = ObjectRef::new("ns", "x");
        let a = cm("ns", None, &["u1", "u2"]);
        let b = cm("ns", None, &["u2", "u3"]);
        index.update(&key, None, Some(&a));
        assert_eq!(index.get("u1").count(), 1);
        index.update(&key, Some(&a), Some(&b));
        assert_eq!(index.get("u1").count(), 0);
        assert_eq!(index.get("u2").count(), 1);
        assert_eq!(index.get("u3").count(), 1);
        index.update(&key, Some(&b), None);
        assert_eq!(index.values().count(), 0);
    }
}
