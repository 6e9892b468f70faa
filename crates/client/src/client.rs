//! The [`Client`] trait: the API every component talks to, embedded or remote.

use async_trait::async_trait;
use core_types::{ApiResource, DynamicObject};
use futures::stream::BoxStream;

use crate::error::ClientError;
use crate::object::{DeleteOutcome, ObjectList, WatchEvent};
use crate::params::{ListParams, WatchParams};
use crate::raw::RawObject;
use crate::write_params::{DeleteParams, Patch, PatchParams, PostParams};

/// The items of a watch: events in resourceVersion order, and errors.
///
/// An expired start resourceVersion, or a watcher that fell behind, arrives as a
/// [`ClientError::Gone`] item, after which the stream ends: re-list, then watch again
/// from the list's resourceVersion. The stream also ends, without error, when the
/// watch's timeout passes or the server goes away.
pub type WatchStream<K = DynamicObject> = BoxStream<'static, Result<WatchEvent<K>, ClientError>>;

/// The Kubernetes API at the JSON level: what controllers, the scheduler and the node
/// agent are written against, so each runs embedded (an in-process implementation
/// over the store) or remote (over HTTPS) unchanged. Most code uses the typed facade
/// [`Api`](crate::Api) instead of calling this directly.
///
/// Objects are [`DynamicObject`]s: typed metadata (which every implementation and most
/// callers read: names, labels, resourceVersion, finalizers) with the rest as JSON.
/// That costs no more than raw `serde_json::Value` to produce from bytes or to convert
/// to a typed object, and saves every layer from digging through maps for metadata.
///
/// Every call names the resource by its [`ApiResource`] and takes a namespace:
/// `Some(ns)` for namespaced kinds, `None` for cluster-scoped kinds and for lists and
/// watches across all namespaces. Errors are [`ClientError`]s, one variant per
/// Kubernetes `Status` reason.
#[async_trait]
pub trait Client: Send + Sync + 'static {
    /// Reads one object.
    async fn get(
        &self,
        resource: &ApiResource,
        namespace: Option<&str>,
        name: &str,
    ) -> Result<DynamicObject, ClientError>;

    /// Reads one object as its JSON encoding, what an API server sends for a GET. The
    /// default encodes [`get`](Self::get)'s answer; an implementation that holds
    /// objects encoded (the store does) hands them out without decoding them.
    async fn get_json(
        &self,
        resource: &ApiResource,
        namespace: Option<&str>,
        name: &str,
    ) -> Result<Vec<u8>, ClientError> {
        let object = self.get(resource, namespace, name).await?;
        serde_json::to_vec(&object)
            .map_err(|e| ClientError::internal(format!("cannot encode object: {e}")))
    }

    /// Reads a page of objects; see [`ListParams`] for selectors, paging and which
    /// resourceVersion is read.
    async fn list(
        &self,
        resource: &ApiResource,
        namespace: Option<&str>,
        params: &ListParams,
    ) -> Result<ObjectList<DynamicObject>, ClientError>;

    /// Creates an object (from `metadata.name`, or `metadata.generateName` plus a random
    /// suffix); returns it as stored, with uid, creationTimestamp and resourceVersion.
    async fn create(
        &self,
        resource: &ApiResource,
        namespace: Option<&str>,
        object: DynamicObject,
        params: &PostParams,
    ) -> Result<DynamicObject, ClientError>;

    /// Like [`create`](Self::create), with the object as stored handed back in its JSON
    /// encoding, so a typed caller ([`Api::create`](crate::Api::create)) decodes it
    /// once, straight into its type. The default encodes `create`'s answer; an
    /// implementation that has the encoding at hand (the store, an HTTP answer) hands
    /// those bytes over instead.
    async fn create_raw(
        &self,
        resource: &ApiResource,
        namespace: Option<&str>,
        object: DynamicObject,
        params: &PostParams,
    ) -> Result<RawObject, ClientError> {
        let created = self.create(resource, namespace, object, params).await?;
        RawObject::encode(&created)
    }

    /// Replaces an object (PUT). A non-empty `metadata.resourceVersion` must be the
    /// current one, else [`ClientError::Conflict`]; an empty one replaces whatever is
    /// there. Changes to `status` are ignored (use [`replace_status`](Self::replace_status)).
    async fn replace(
        &self,
        resource: &ApiResource,
        namespace: Option<&str>,
        name: &str,
        object: DynamicObject,
        params: &PostParams,
    ) -> Result<DynamicObject, ClientError>;

    /// Replaces only the `status` of an object (the status subresource); everything
    /// else is kept as stored.
    async fn replace_status(
        &self,
        resource: &ApiResource,
        namespace: Option<&str>,
        name: &str,
        object: DynamicObject,
        params: &PostParams,
    ) -> Result<DynamicObject, ClientError>;

    /// Patches an object; `status` changes are ignored, as in [`replace`](Self::replace).
    async fn patch(
        &self,
        resource: &ApiResource,
        namespace: Option<&str>,
        name: &str,
        patch: &Patch,
        params: &PatchParams,
    ) -> Result<DynamicObject, ClientError>;

    /// Patches only the `status` of an object.
    async fn patch_status(
        &self,
        resource: &ApiResource,
        namespace: Option<&str>,
        name: &str,
        patch: &Patch,
        params: &PatchParams,
    ) -> Result<DynamicObject, ClientError>;

    /// Deletes an object: at once, or, when it has finalizers, by marking it with a
    /// deletionTimestamp (the object goes when the last finalizer is removed).
    async fn delete(
        &self,
        resource: &ApiResource,
        namespace: Option<&str>,
        name: &str,
        params: &DeleteParams,
    ) -> Result<DeleteOutcome<DynamicObject>, ClientError>;

    /// Deletes every object the list parameters select; returns them (deleted or now
    /// pending deletion).
    async fn delete_collection(
        &self,
        resource: &ApiResource,
        namespace: Option<&str>,
        list: &ListParams,
        params: &DeleteParams,
    ) -> Result<ObjectList<DynamicObject>, ClientError>;

    /// Watches objects; see [`WatchParams`] for where the watch starts and
    /// [`WatchStream`] for how it ends. A malformed request fails here; an expired
    /// resourceVersion is the stream's first item.
    async fn watch(
        &self,
        resource: &ApiResource,
        namespace: Option<&str>,
        params: &WatchParams,
    ) -> Result<WatchStream, ClientError>;

    /// Like [`watch`](Self::watch), with every object in its JSON encoding, so a typed
    /// watcher ([`Api::watch`](crate::Api::watch)) decodes it once, straight into its
    /// type. The default encodes `watch`'s objects; an implementation that holds or
    /// receives objects encoded (the store's watch cache, an HTTP watch) hands those
    /// bytes out instead.
    async fn watch_raw(
        &self,
        resource: &ApiResource,
        namespace: Option<&str>,
        params: &WatchParams,
    ) -> Result<WatchStream<RawObject>, ClientError> {
        let stream = self.watch(resource, namespace, params).await?;
        Ok(RawObject::encode_events(stream))
    }

    /// Binds a pod to a node (the `pods/binding` subresource): sets `spec.nodeName`.
    /// Binding a pod already bound to another node, or being deleted, is a
    /// [`ClientError::Conflict`]; binding it again to the same node succeeds.
    async fn bind(&self, namespace: &str, pod: &str, node: &str) -> Result<(), ClientError>;
}
