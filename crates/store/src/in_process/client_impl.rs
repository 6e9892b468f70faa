//! [`InProcessClient`] as a [`Client`]: the object layer, with watches and
//! any-version lists from the watch cache. Raw watches hand out the cache's stored
//! encodings, so a typed watcher decodes each object once, from the bytes.

use async_trait::async_trait;
use client::{
    Client, ClientError, DeleteOutcome, DeleteParams, ListParams, ObjectList, Patch, PatchParams,
    PostParams, RawObject, WatchParams, WatchStream,
};
use core_types::{ApiResource, DynamicObject};

use super::InProcessClient;
use crate::kv::Revision;

#[async_trait]
impl Client for InProcessClient {
    async fn get(
        &self,
        resource: &ApiResource,
        namespace: Option<&str>,
        name: &str,
    ) -> Result<DynamicObject, ClientError> {
        self.objects().get(resource, namespace, name).await
    }

    async fn get_json(
        &self,
        resource: &ApiResource,
        namespace: Option<&str>,
        name: &str,
    ) -> Result<Vec<u8>, ClientError> {
        self.objects().get_json(resource, namespace, name).await
    }

    async fn list(
        &self,
        resource: &ApiResource,
        namespace: Option<&str>,
        params: &ListParams,
    ) -> Result<ObjectList<DynamicObject>, ClientError> {
        let any_version = params.resource_version.as_deref() == Some("0")
            && params
                .continue_token
                .as_deref()
                .unwrap_or_default()
                .is_empty();
        if any_version {
            if let Some(cache) = self.watch_cache(resource).await? {
                return cache.list(namespace, params);
            }
        }
        self.objects().list(resource, namespace, params).await
    }

    async fn create(
        &self,
        resource: &ApiResource,
        namespace: Option<&str>,
        object: DynamicObject,
        params: &PostParams,
    ) -> Result<DynamicObject, ClientError> {
        self.objects()
            .create(resource, namespace, object, params)
            .await
    }

    async fn create_raw(
        &self,
        resource: &ApiResource,
        namespace: Option<&str>,
        object: DynamicObject,
        params: &PostParams,
    ) -> Result<RawObject, ClientError> {
        self.objects()
            .create_raw(resource, namespace, object, params)
            .await
    }

    async fn replace(
        &self,
        resource: &ApiResource,
        namespace: Option<&str>,
        name: &str,
        object: DynamicObject,
        params: &PostParams,
    ) -> Result<DynamicObject, ClientError> {
        self.objects()
            .update(resource, namespace, name, object, params)
            .await
    }

    async fn replace_status(
        &self,
        resource: &ApiResource,
        namespace: Option<&str>,
        name: &str,
        object: DynamicObject,
        params: &PostParams,
    ) -> Result<DynamicObject, ClientError> {
        self.objects()
            .update_status(resource, namespace, name, object, params)
            .await
    }

    async fn patch(
        &self,
        resource: &ApiResource,
        namespace: Option<&str>,
        name: &str,
        patch: &Patch,
        params: &PatchParams,
    ) -> Result<DynamicObject, ClientError> {
        self.objects()
            .patch(resource, namespace, name, patch, params)
            .await
    }

    async fn patch_status(
        &self,
        resource: &ApiResource,
        namespace: Option<&str>,
        name: &str,
        patch: &Patch,
        params: &PatchParams,
    ) -> Result<DynamicObject, ClientError> {
        self.objects()
            .patch_status(resource, namespace, name, patch, params)
            .await
    }

    async fn delete(
        &self,
        resource: &ApiResource,
        namespace: Option<&str>,
        name: &str,
        params: &DeleteParams,
    ) -> Result<DeleteOutcome<DynamicObject>, ClientError> {
        self.objects()
            .delete(resource, namespace, name, params)
            .await
    }

    async fn delete_collection(
        &self,
        resource: &ApiResource,
        namespace: Option<&str>,
        list: &ListParams,
        params: &DeleteParams,
    ) -> Result<ObjectList<DynamicObject>, ClientError> {
        self.objects()
            .delete_collection(resource, namespace, list, params)
            .await
    }

    async fn watch(
        &self,
        resource: &ApiResource,
        namespace: Option<&str>,
        params: &WatchParams,
    ) -> Result<WatchStream, ClientError> {
        match self.watch_cache_from(resource, start(params)).await? {
            Some(cache) => cache.watch(namespace, params).await,
            None => self.objects().watch(resource, namespace, params).await,
        }
    }

    async fn watch_raw(
        &self,
        resource: &ApiResource,
        namespace: Option<&str>,
        params: &WatchParams,
    ) -> Result<WatchStream<RawObject>, ClientError> {
        match self.watch_cache_from(resource, start(params)).await? {
            Some(cache) => cache.watch_raw(namespace, params).await,
            None => {
                let stream = self.objects().watch(resource, namespace, params).await?;
                Ok(RawObject::encode_events(stream))
            }
        }
    }

    async fn bind(&self, namespace: &str, pod: &str, node: &str) -> Result<(), ClientError> {
        self.objects().bind(namespace, pod, node).await
    }
}

/// The revision a watch starts after, when it names one.
fn start(params: &WatchParams) -> Option<Revision> {
    params
        .resource_version
        .as_deref()
        .and_then(|rv| rv.parse::<Revision>().ok())
        .filter(|rv| *rv > 0)
}
