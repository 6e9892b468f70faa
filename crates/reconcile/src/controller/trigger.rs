//! What makes a controller reconcile an object: changes of other kinds mapped to
//! primary keys (owned children through ownerReferences, or a user's mapper).

use core_types::{ApiResource, Resource};
use futures::FutureExt;
use futures::future::BoxFuture;

use crate::informer::{Informer, Store, Subscription};
use crate::object_ref::ObjectRef;
use crate::queue::WorkQueue;

type Start =
    Box<dyn FnOnce(&WorkQueue<ObjectRef>) -> (Subscription, BoxFuture<'static, ()>) + Send>;

/// A source of primary keys, started when the controller runs.
pub(crate) struct Trigger {
    start: Start,
}

/// Completes once `store` has synced.
pub(crate) fn synced<K: Resource>(store: Store<K>) -> BoxFuture<'static, ()> {
    async move { store.wait_until_synced().await }.boxed()
}

/// The group of an `apiVersion` (`""` for the core group's `v1`).
fn group_of(api_version: &str) -> &str {
    api_version.rsplit_once('/').map_or("", |(group, _)| group)
}

impl Trigger {
    /// Subscribes to the source; returns the subscription and a future completing
    /// once its cache has synced.
    pub(crate) fn start(
        self,
        queue: &WorkQueue<ObjectRef>,
    ) -> (Subscription, BoxFuture<'static, ()>) {
        (self.start)(queue)
    }

    /// Children of `informer`'s kind, mapped to their owners of kind `owner`.
    pub(crate) fn owns<C: Resource>(informer: Informer<C>, owner: ApiResource) -> Self {
        Trigger {
            start: Box::new(move |queue| {
                let queue = queue.clone();
                let cluster_scoped = !owner.is_namespaced();
                let subscription = informer.subscribe(move |change| {
                    for child in change.objects() {
                        let meta = child.meta();
                        let namespace = if cluster_scoped { "" } else { &meta.namespace };
                        for owner_ref in &meta.owner_references {
                            if owner_ref.kind == owner.kind
                                && group_of(&owner_ref.api_version) == owner.group
                            {
                                queue.add(ObjectRef::new(namespace, &owner_ref.name));
                            }
                        }
                    }
                });
                (subscription, synced(informer.store().clone()))
            }),
        }
    }

    /// Objects of `informer`'s kind, mapped to primary keys by `mapper`.
    pub(crate) fn watches<O, I>(
        informer: Informer<O>,
        mapper: impl Fn(&O) -> I + Send + Sync + 'static,
    ) -> Self
    where
        O: Resource,
        I: IntoIterator<Item = ObjectRef>,
    {
        Trigger {
            start: Box::new(move |queue| {
                let queue = queue.clone();
                let subscription = informer.subscribe(move |change| {
                    for object in change.objects() {
                        for key in mapper(object) {
                            queue.add(key);
                        }
                    }
                });
                (subscription, synced(informer.store().clone()))
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::group_of;

    #[test]
    fn groups() {
        assert_eq!(group_of("v1"), "");
        assert_eq!(group_of("apps/v1"), "apps");
        assert_eq!(group_of("example.com/v1alpha1"), "example.com");
    }
}
