//! [`Api`]: the typed facade over a [`Client`].

use std::any::TypeId;
use std::fmt;
use std::sync::Arc;

use core_types::core_v1::Pod;
use core_types::{ApiResource, DynamicObject, Resource, StaticResource};
use futures::StreamExt;

use crate::client::{Client, WatchStream};
use crate::convert::{from_dynamic, to_dynamic};
use crate::error::ClientError;
use crate::object::{DeleteOutcome, ObjectList};
use crate::params::{ListParams, WatchParams};
use crate::write_params::{DeleteParams, Patch, PatchParams, PostParams};

/// Typed access to one kind, in one namespace or across all of them.
///
/// Cheap to clone (the client is shared). Objects go in and come out as `K`; the
/// conversion to the client's JSON level is one serialization or deserialization per
/// object, none at all for `Api<DynamicObject>`.
///
/// ```
/// use std::sync::Arc;
/// use client::{Api, Client};
/// use core_types::core_v1::{Node, Pod};
/// use core_types::{ApiResource, DynamicObject, Scope};
///
/// fn handles(client: Arc<dyn Client>) {
///     let pods = Api::<Pod>::namespaced(client.clone(), "default");
///     let nodes = Api::<Node>::all(client.clone());
///     let widgets = ApiResource::new("example.com", "v1", "Widget", "widgets", Scope::Namespaced);
///     let widgets = Api::<DynamicObject>::namespaced_with(client, "default", &widgets);
///     # let _ = (pods, nodes, widgets);
/// }
/// ```
pub struct Api<K: Resource> {
    client: Arc<dyn Client>,
    resource: Arc<ApiResource>,
    namespace: Option<Arc<str>>,
    dyn_type: K::DynamicType,
}

impl<K: Resource> Clone for Api<K> {
    fn clone(&self) -> Self {
        Api {
            client: self.client.clone(),
            resource: self.resource.clone(),
            namespace: self.namespace.clone(),
            dyn_type: self.dyn_type.clone(),
        }
    }
}

impl<K: Resource> fmt::Debug for Api<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Api")
            .field("resource", &self.resource)
            .field("namespace", &self.namespace)
            .finish_non_exhaustive()
    }
}

// === constructors ===

impl<K: StaticResource> Api<K> {
    /// Objects of kind `K` in `namespace`.
    pub fn namespaced(client: Arc<dyn Client>, namespace: &str) -> Self {
        Self::namespaced_with(client, namespace, &())
    }

    /// Objects of kind `K` in every namespace (lists and watches), or of a
    /// cluster-scoped kind.
    pub fn all(client: Arc<dyn Client>) -> Self {
        Self::all_with(client, &())
    }
}

impl<K: Resource> Api<K> {
    /// Objects of the kind `dyn_type` describes (for `DynamicObject`: an
    /// [`ApiResource`]), in `namespace`.
    pub fn namespaced_with(
        client: Arc<dyn Client>,
        namespace: &str,
        dyn_type: &K::DynamicType,
    ) -> Self {
        Api {
            client,
            resource: Arc::new(K::api_resource(dyn_type).clone()),
            namespace: Some(Arc::from(namespace)),
            dyn_type: dyn_type.clone(),
        }
    }

    /// Objects of the kind `dyn_type` describes, in every namespace or cluster-scoped.
    pub fn all_with(client: Arc<dyn Client>, dyn_type: &K::DynamicType) -> Self {
        Api {
            client,
            resource: Arc::new(K::api_resource(dyn_type).clone()),
            namespace: None,
            dyn_type: dyn_type.clone(),
        }
    }

    /// The kind.
    pub fn resource(&self) -> &ApiResource {
        &self.resource
    }

    /// The namespace, if the handle is bound to one.
    pub fn namespace(&self) -> Option<&str> {
        self.namespace.as_deref()
    }

    /// The client underneath.
    pub fn client(&self) -> &Arc<dyn Client> {
        &self.client
    }

    fn decode(&self, obj: DynamicObject) -> Result<K, ClientError> {
        from_dynamic(obj, &self.resource)
    }

    fn encode(&self, obj: &K) -> Result<DynamicObject, ClientError> {
        to_dynamic(obj, &self.resource)
    }
}

// === reads ===

impl<K: Resource> Api<K> {
    /// Reads one object.
    pub async fn get(&self, name: &str) -> Result<K, ClientError> {
        let obj = self
            .client
            .get(&self.resource, self.namespace(), name)
            .await?;
        self.decode(obj)
    }

    /// Reads one object; `None` if it does not exist.
    pub async fn get_opt(&self, name: &str) -> Result<Option<K>, ClientError> {
        match self.get(name).await {
            Ok(obj) => Ok(Some(obj)),
            Err(e) if e.is_not_found() => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Reads a page of objects.
    pub async fn list(&self, params: &ListParams) -> Result<ObjectList<K>, ClientError> {
        let list = self
            .client
            .list(&self.resource, self.namespace(), params)
            .await?;
        list.try_map(|obj| self.decode(obj), prefix_path)
    }

    /// Watches objects; events that do not decode as `K` arrive as
    /// [`ClientError::Decode`] items and the stream goes on.
    ///
    /// A typed watch reads the objects in their encoding
    /// ([`Client::watch_raw`](crate::Client::watch_raw)) and decodes each once, into
    /// `K`; an `Api<DynamicObject>` takes [`Client::watch`]'s objects as they are.
    pub async fn watch(&self, params: &WatchParams) -> Result<WatchStream<K>, ClientError> {
        let resource = self.resource.clone();
        if TypeId::of::<K>() == TypeId::of::<DynamicObject>() {
            let stream = self
                .client
                .watch(&self.resource, self.namespace(), params)
                .await?;
            return Ok(stream
                .map(move |item| item?.try_map(|obj| from_dynamic(obj, &resource)))
                .boxed());
        }
        let stream = self
            .client
            .watch_raw(&self.resource, self.namespace(), params)
            .await?;
        Ok(stream
            .map(move |item| item?.try_map(|raw| raw.decode(&resource)))
            .boxed())
    }
}

// === writes ===

impl<K: Resource> Api<K> {
    /// Creates an object; returns it as stored.
    pub async fn create(&self, params: &PostParams, obj: &K) -> Result<K, ClientError> {
        let obj = self.encode(obj)?;
        if TypeId::of::<K>() == TypeId::of::<DynamicObject>() {
            let created = self
                .client
                .create(&self.resource, self.namespace(), obj, params)
                .await?;
            return self.decode(created);
        }
        self.client
            .create_raw(&self.resource, self.namespace(), obj, params)
            .await?
            .decode(&self.resource)
    }

    /// Replaces an object (optimistic concurrency on its resourceVersion when set).
    pub async fn replace(
        &self,
        name: &str,
        params: &PostParams,
        obj: &K,
    ) -> Result<K, ClientError> {
        let obj = self.encode(obj)?;
        let replaced = self
            .client
            .replace(&self.resource, self.namespace(), name, obj, params)
            .await?;
        self.decode(replaced)
    }

    /// Replaces only the status of an object.
    pub async fn replace_status(
        &self,
        name: &str,
        params: &PostParams,
        obj: &K,
    ) -> Result<K, ClientError> {
        let obj = self.encode(obj)?;
        let replaced = self
            .client
            .replace_status(&self.resource, self.namespace(), name, obj, params)
            .await?;
        self.decode(replaced)
    }

    /// Patches an object (status changes ignored).
    pub async fn patch(
        &self,
        name: &str,
        params: &PatchParams,
        patch: &Patch,
    ) -> Result<K, ClientError> {
        let patched = self
            .client
            .patch(&self.resource, self.namespace(), name, patch, params)
            .await?;
        self.decode(patched)
    }

    /// Patches only the status of an object.
    pub async fn patch_status(
        &self,
        name: &str,
        params: &PatchParams,
        patch: &Patch,
    ) -> Result<K, ClientError> {
        let patched = self
            .client
            .patch_status(&self.resource, self.namespace(), name, patch, params)
            .await?;
        self.decode(patched)
    }

    /// Deletes an object, or marks it for deletion when it has finalizers.
    pub async fn delete(
        &self,
        name: &str,
        params: &DeleteParams,
    ) -> Result<DeleteOutcome<K>, ClientError> {
        let outcome = self
            .client
            .delete(&self.resource, self.namespace(), name, params)
            .await?;
        outcome.try_map(|obj| self.decode(obj))
    }

    /// Deletes every object the list parameters select.
    pub async fn delete_collection(
        &self,
        list: &ListParams,
        params: &DeleteParams,
    ) -> Result<ObjectList<K>, ClientError> {
        let deleted = self
            .client
            .delete_collection(&self.resource, self.namespace(), list, params)
            .await?;
        deleted.try_map(|obj| self.decode(obj), prefix_path)
    }
}

impl Api<Pod> {
    /// Binds the pod `name` to `node` (the `pods/binding` subresource).
    pub async fn bind(&self, name: &str, node: &str) -> Result<(), ClientError> {
        let namespace = self
            .namespace()
            .ok_or_else(|| ClientError::bad_request("binding a pod needs a namespace"))?;
        self.client.bind(namespace, name, node).await
    }
}

/// Prefixes a decode error's path with the item's index.
fn prefix_path(index: usize, e: ClientError) -> ClientError {
    match e {
        ClientError::Decode { path, message } => ClientError::Decode {
            path: if path.is_empty() || path == "." {
                format!("items[{index}]")
            } else {
                format!("items[{index}].{path}")
            },
            message,
        },
        other => other,
    }
}
