//! What calls return: [`ObjectList`], [`WatchEvent`], [`DeleteOutcome`].

use core_types::ListMeta;
use serde::{Deserialize, Serialize};

/// One page of a list: the objects and the list metadata (the resourceVersion the list
/// was read at, and the continue token when more remain).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ObjectList<K> {
    /// `resourceVersion`, `continue`, `remainingItemCount`.
    #[serde(default)]
    pub metadata: ListMeta,
    /// The objects, in key order (namespace, then name).
    #[serde(default = "Vec::new")]
    pub items: Vec<K>,
}

impl<K> ObjectList<K> {
    /// The continue token, if more objects remain.
    pub fn continue_token(&self) -> Option<&str> {
        Some(self.metadata.continue_token.as_str()).filter(|t| !t.is_empty())
    }

    /// The resourceVersion the list was read at.
    pub fn resource_version(&self) -> &str {
        &self.metadata.resource_version
    }

    /// Converts every item, stopping at the first error; the error's path is prefixed
    /// with `items[i]`.
    pub fn try_map<T, E>(
        self,
        mut f: impl FnMut(K) -> Result<T, E>,
        mut prefix_error: impl FnMut(usize, E) -> E,
    ) -> Result<ObjectList<T>, E> {
        let mut items = Vec::with_capacity(self.items.len());
        for (i, item) in self.items.into_iter().enumerate() {
            items.push(f(item).map_err(|e| prefix_error(i, e))?);
        }
        Ok(ObjectList {
            metadata: self.metadata,
            items,
        })
    }
}

impl<K> IntoIterator for ObjectList<K> {
    type Item = K;
    type IntoIter = std::vec::IntoIter<K>;

    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

/// One change seen by a watch.
///
/// Objects carry the resourceVersion of the change; a `Deleted` object is its last
/// state with the resourceVersion of the deletion. With selectors, an object that
/// starts matching arrives as `Added` and one that stops matching as `Deleted`.
#[derive(Clone, Debug, PartialEq)]
pub enum WatchEvent<K> {
    /// The object was created (or started matching the selectors).
    Added(K),
    /// The object was changed.
    Modified(K),
    /// The object was deleted (or stopped matching the selectors).
    Deleted(K),
    /// Progress: every change up to `resource_version` has been delivered; a watch may
    /// resume from there.
    Bookmark {
        /// The resourceVersion to resume from.
        resource_version: String,
    },
}

impl<K> WatchEvent<K> {
    /// The object of an `Added`, `Modified` or `Deleted` event.
    pub fn object(&self) -> Option<&K> {
        match self {
            WatchEvent::Added(o) | WatchEvent::Modified(o) | WatchEvent::Deleted(o) => Some(o),
            WatchEvent::Bookmark { .. } => None,
        }
    }

    /// Converts the object, keeping the event type.
    pub fn try_map<T, E>(self, f: impl FnOnce(K) -> Result<T, E>) -> Result<WatchEvent<T>, E> {
        Ok(match self {
            WatchEvent::Added(o) => WatchEvent::Added(f(o)?),
            WatchEvent::Modified(o) => WatchEvent::Modified(f(o)?),
            WatchEvent::Deleted(o) => WatchEvent::Deleted(f(o)?),
            WatchEvent::Bookmark { resource_version } => WatchEvent::Bookmark { resource_version },
        })
    }
}

/// What a delete did.
#[derive(Clone, Debug, PartialEq)]
pub enum DeleteOutcome<K> {
    /// The object is gone from storage; this was its last state.
    Deleted(K),
    /// The object has finalizers: it now has a `deletionTimestamp` and goes once the
    /// last finalizer is removed. This is its current state.
    Pending(K),
}

impl<K> DeleteOutcome<K> {
    /// The object, deleted or pending.
    pub fn into_object(self) -> K {
        match self {
            DeleteOutcome::Deleted(o) | DeleteOutcome::Pending(o) => o,
        }
    }

    /// The object, deleted or pending.
    pub fn object(&self) -> &K {
        match self {
            DeleteOutcome::Deleted(o) | DeleteOutcome::Pending(o) => o,
        }
    }

    /// True if the object is still there, waiting for finalizers.
    pub fn is_pending(&self) -> bool {
        matches!(self, DeleteOutcome::Pending(_))
    }

    /// Converts the object, keeping the outcome.
    pub fn try_map<T, E>(self, f: impl FnOnce(K) -> Result<T, E>) -> Result<DeleteOutcome<T>, E> {
        Ok(match self {
            DeleteOutcome::Deleted(o) => DeleteOutcome::Deleted(f(o)?),
            DeleteOutcome::Pending(o) => DeleteOutcome::Pending(f(o)?),
        })
    }
}
