//! `ResourceList`: resource names to quantities, as Kubernetes' `v1.ResourceList`.
//!
//! A pod's requests and limits, a node's capacity and allocatable are each a handful of
//! entries read far more often than written, and a scheduler keeps one per container of
//! every pod in the cluster. So the list is one exact-length vector sorted by name, and
//! the names Kubernetes itself defines are stored without an allocation of their own.
//! (A `BTreeMap<String, Quantity>` spent a 640-byte node plus one string per entry.)

use std::fmt;
use std::ops::Index;

use serde::de::{MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::quantity::Quantity;

/// A resource name: the ones Kubernetes defines without an allocation, others boxed.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Name {
    Cpu,
    Memory,
    Storage,
    EphemeralStorage,
    Pods,
    Other(Box<str>),
}

impl Name {
    fn new(name: &str) -> Self {
        match name {
            "cpu" => Name::Cpu,
            "memory" => Name::Memory,
            "storage" => Name::Storage,
            "ephemeral-storage" => Name::EphemeralStorage,
            "pods" => Name::Pods,
            other => Name::Other(other.into()),
        }
    }

    fn as_str(&self) -> &str {
        match self {
            Name::Cpu => "cpu",
            Name::Memory => "memory",
            Name::Storage => "storage",
            Name::EphemeralStorage => "ephemeral-storage",
            Name::Pods => "pods",
            Name::Other(s) => s,
        }
    }
}

/// Amounts of resources by name (`cpu`, `memory`, `ephemeral-storage`,
/// `example.com/gpu`, ...): a container's requests and limits, a node's capacity.
///
/// A small map kept sorted by name, so it iterates and serializes in the order a
/// `BTreeMap` would; inserting a name that is already present replaces its amount, and
/// a document naming a resource twice keeps the last amount, as Kubernetes' decoder does.
///
/// ```
/// use core_types::{Quantity, ResourceList};
///
/// let mut list: ResourceList = serde_json::from_str(r#"{"memory":"1Gi","cpu":"500m"}"#)?;
/// assert_eq!(list.get("cpu").map(Quantity::milli_value), Some(500));
/// list.insert("example.com/gpu", "1".parse()?);
/// let names: Vec<&str> = list.keys().collect();
/// assert_eq!(names, ["cpu", "example.com/gpu", "memory"]);
/// assert_eq!(
///     serde_json::to_string(&list)?,
///     r#"{"cpu":"500m","example.com/gpu":"1","memory":"1Gi"}"#
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct ResourceList {
    /// Sorted by name, names unique. A boxed slice: 16 bytes in the structs that hold
    /// lists (a pod spec holds three), where a `Vec` would take 24.
    entries: Box<[(Name, Quantity)]>,
}

impl ResourceList {
    /// An empty list.
    pub fn new() -> Self {
        ResourceList::default()
    }

    /// Edits the entries as a vector, then stores them at their exact length again.
    fn edit<R>(&mut self, f: impl FnOnce(&mut Vec<(Name, Quantity)>) -> R) -> R {
        let mut entries = std::mem::take(&mut self.entries).into_vec();
        let r = f(&mut entries);
        self.entries = entries.into_boxed_slice();
        r
    }

    /// Number of resources listed.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True if no resource is listed.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    fn position(&self, name: &str) -> Result<usize, usize> {
        self.entries.binary_search_by(|(n, _)| n.as_str().cmp(name))
    }

    /// The amount of `name`, if listed.
    pub fn get(&self, name: &str) -> Option<&Quantity> {
        self.position(name).ok().map(|i| &self.entries[i].1)
    }

    /// The amount of `name` to change in place, if listed.
    pub fn get_mut(&mut self, name: &str) -> Option<&mut Quantity> {
        self.position(name).ok().map(|i| &mut self.entries[i].1)
    }

    /// True if `name` is listed.
    pub fn contains_key(&self, name: &str) -> bool {
        self.position(name).is_ok()
    }

    /// Sets the amount of `name`, returning the amount it replaces.
    pub fn insert(&mut self, name: &str, amount: Quantity) -> Option<Quantity> {
        match self.position(name) {
            Ok(i) => Some(std::mem::replace(&mut self.entries[i].1, amount)),
            Err(i) => {
                self.edit(|e| {
                    e.reserve_exact(1);
                    e.insert(i, (Name::new(name), amount));
                });
                None
            }
        }
    }

    /// Removes `name`, returning its amount.
    pub fn remove(&mut self, name: &str) -> Option<Quantity> {
        let i = self.position(name).ok()?;
        Some(self.edit(|e| e.remove(i).1))
    }

    /// Keeps only the resources for which `keep` returns true.
    pub fn retain(&mut self, mut keep: impl FnMut(&str, &mut Quantity) -> bool) {
        self.edit(|e| e.retain_mut(|(n, q)| keep(n.as_str(), q)));
    }

    /// The resources and their amounts, by name.
    pub fn iter(&self) -> Iter<'_> {
        Iter(self.entries.iter())
    }

    /// The resources and their amounts to change in place, by name.
    pub fn iter_mut(
        &mut self,
    ) -> impl DoubleEndedIterator<Item = (&str, &mut Quantity)> + ExactSizeIterator {
        self.entries.iter_mut().map(|(n, q)| (n.as_str(), q))
    }

    /// The resource names, sorted.
    pub fn keys(&self) -> impl DoubleEndedIterator<Item = &str> + ExactSizeIterator {
        self.entries.iter().map(|(n, _)| n.as_str())
    }

    /// The amounts, in name order.
    pub fn values(&self) -> impl DoubleEndedIterator<Item = &Quantity> + ExactSizeIterator {
        self.entries.iter().map(|(_, q)| q)
    }

    /// The amounts to change in place, in name order.
    pub fn values_mut(
        &mut self,
    ) -> impl DoubleEndedIterator<Item = &mut Quantity> + ExactSizeIterator {
        self.entries.iter_mut().map(|(_, q)| q)
    }
}

/// Puts entries taken in order (decoded, or existing ones followed by added ones) into
/// name order, a repeated name keeping its last amount. Sorted unique input, the usual
/// case, is only checked; other input is sorted (stable), not inserted entry by entry,
/// so a hostile document with its names reversed costs `n log n`, not `n²`.
fn normalize(entries: &mut Vec<(Name, Quantity)>) {
    if entries.is_sorted_by(|a, b| a.0.as_str() < b.0.as_str()) {
        return;
    }
    entries.sort_by(|a, b| a.0.as_str().cmp(b.0.as_str()));
    // `later` is dropped when it repeats the name of `kept`, after handing over its amount.
    entries.dedup_by(|later, kept| {
        let same = later.0.as_str() == kept.0.as_str();
        if same {
            kept.1 = later.1;
        }
        same
    });
}

impl Index<&str> for ResourceList {
    type Output = Quantity;

    /// The amount of `name`. Panics if `name` is not listed, as `BTreeMap` does.
    fn index(&self, name: &str) -> &Quantity {
        match self.get(name) {
            Some(q) => q,
            None => panic!("resource {name:?} is not in the list"),
        }
    }
}

impl<K: AsRef<str>> FromIterator<(K, Quantity)> for ResourceList {
    fn from_iter<I: IntoIterator<Item = (K, Quantity)>>(iter: I) -> Self {
        let mut list = ResourceList::new();
        list.extend(iter);
        list
    }
}

impl<K: AsRef<str>> Extend<(K, Quantity)> for ResourceList {
    fn extend<I: IntoIterator<Item = (K, Quantity)>>(&mut self, iter: I) {
        self.edit(|entries| {
            entries.extend(
                iter.into_iter()
                    .map(|(name, amount)| (Name::new(name.as_ref()), amount)),
            );
            normalize(entries);
        });
    }
}

impl<K: AsRef<str>, const N: usize> From<[(K, Quantity); N]> for ResourceList {
    fn from(entries: [(K, Quantity); N]) -> Self {
        entries.into_iter().collect()
    }
}

impl fmt::Debug for ResourceList {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl Serialize for ResourceList {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.entries.len()))?;
        for (name, amount) in &self.entries {
            map.serialize_entry(name.as_str(), amount)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for Name {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct NameVisitor;
        impl Visitor<'_> for NameVisitor {
            type Value = Name;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a resource name")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Name, E> {
                Ok(Name::new(v))
            }
        }
        deserializer.deserialize_str(NameVisitor)
    }
}

impl<'de> Deserialize<'de> for ResourceList {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ListVisitor;
        impl<'de> Visitor<'de> for ListVisitor {
            type Value = ResourceList;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a map of resource names to quantities")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<ResourceList, A::Error> {
                let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(0).min(64));
                while let Some(entry) = map.next_entry::<Name, Quantity>()? {
                    entries.push(entry);
                }
                normalize(&mut entries);
                Ok(ResourceList {
                    entries: entries.into_boxed_slice(),
                })
            }
        }
        deserializer.deserialize_map(ListVisitor)
    }
}

/// The entries of a [`ResourceList`], by name: see [`ResourceList::iter`].
#[derive(Clone, Debug)]
pub struct Iter<'a>(std::slice::Iter<'a, (Name, Quantity)>);

impl<'a> Iterator for Iter<'a> {
    type Item = (&'a str, &'a Quantity);

    fn next(&mut self) -> Option<Self::Item> {
        self.0.next().map(|(n, q)| (n.as_str(), q))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.0.size_hint()
    }
}

impl DoubleEndedIterator for Iter<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        self.0.next_back().map(|(n, q)| (n.as_str(), q))
    }
}

impl ExactSizeIterator for Iter<'_> {}

impl<'a> IntoIterator for &'a ResourceList {
    type Item = (&'a str, &'a Quantity);
    type IntoIter = Iter<'a>;

    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

#[cfg(test)]
mod tests;
