//! [`Informers`]: one informer per kind (and namespace) for a whole process.

use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};

use client::{Api, Client};
use core_types::{Resource, StaticResource};

use super::Informer;

/// Which informer: the Rust type, the kind and the namespace (`None`: all).
type Key = (TypeId, String, Option<String>);

/// The informers of a process, one per kind and namespace, shared by every controller
/// that asks: two controllers watching pods share one list, one watch and one cache.
///
/// Cheap to clone. Informers handed out stay running as long as this registry (or a
/// clone) lives.
///
/// ```no_run
/// use std::sync::Arc;
/// use client::Client;
/// use core_types::core_v1::Pod;
/// use reconcile::Informers;
///
/// # async fn demo(client: Arc<dyn Client>) {
/// let informers = Informers::new(client);
/// let pods = informers.all::<Pod>();
/// let same = informers.all::<Pod>();
/// pods.wait_until_synced().await;
/// assert_eq!(pods.store().len(), same.store().len());
/// # }
/// ```
#[derive(Clone)]
pub struct Informers {
    client: Arc<dyn Client>,
    started: Arc<Mutex<HashMap<Key, Box<dyn Any + Send + Sync>>>>,
}

impl fmt::Debug for Informers {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let started = self.started.lock().unwrap_or_else(PoisonError::into_inner);
        f.debug_struct("Informers")
            .field("informers", &started.len())
            .finish_non_exhaustive()
    }
}

impl Informers {
    /// An empty registry over `client`.
    pub fn new(client: Arc<dyn Client>) -> Self {
        Informers {
            client,
            started: Arc::new(Mutex::new(HashMap::new())),
        }
    }

    /// The client informers are started with.
    pub fn client(&self) -> &Arc<dyn Client> {
        &self.client
    }

    /// The informer of `K` across all namespaces (or of a cluster-scoped kind).
    pub fn all<K: StaticResource>(&self) -> Informer<K> {
        self.for_api(Api::all(self.client.clone()))
    }

    /// The informer of `K` in `namespace`.
    pub fn namespaced<K: StaticResource>(&self, namespace: &str) -> Informer<K> {
        self.for_api(Api::namespaced(self.client.clone(), namespace))
    }

    /// The informer of the kind and namespace of `api` (for `DynamicObject` kinds),
    /// started with default settings if there is none yet. `api`'s own client is used
    /// only when the informer is started here.
    pub fn for_api<K: Resource>(&self, api: Api<K>) -> Informer<K> {
        let resource = api.resource();
        let key = (
            TypeId::of::<K>(),
            format!(
                "{}/{}/{}",
                resource.group, resource.version, resource.plural
            ),
            api.namespace().map(str::to_owned),
        );
        let mut started = self.started.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(informer) = started
            .get(&key)
            .and_then(|any| any.downcast_ref::<Informer<K>>())
        {
            return informer.clone();
        }
        let informer = Informer::new(api);
        started.insert(key, Box::new(informer.clone()));
        informer
    }
}
