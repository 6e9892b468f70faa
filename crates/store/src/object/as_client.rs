//! [`ObjectStore`] as a [`Client`]: every call straight to storage, no cache.

use async_trait::async_trait;
use client::{
    Client, ClientError, DeleteOutcome, DeleteParams, ListParams, ObjectList, Patch, PatchParams,
    PostParams, RawObject, WatchParams, WatchStream,
};
use core_types::{ApiResource, DynamicObject};

use super::ObjectStore;

#[async_trait]
impl Client for ObjectStore {
    async fn get(
        &self,
        resource: &ApiResource,
        namespace: Option<&str>,
        name: &str,
    ) -> Result<DynamicObject, ClientError> {
        ObjectStore::get(self, resource, namespace, name).await
    }

    async fn get_json(
        &self,
        resource: &ApiResource,
        namespace: Option<&str>,
        name: &str,
    ) -> Result<Vec<u8>, ClientError> {
        ObjectStore::get_json(self, resource, namespace, name).await
    }

    async fn list(
        &self,
        resource: &ApiResource,
        namespace: Option<&str>,
        params: &ListParams,
    ) -> Result<ObjectList<DynamicObject>, ClientError> {
        ObjectStore::list(self, resource, namespace, params).await
    }

    async fn create(
        &self,
        resource: &ApiResource,
        namespace: Option<&str>,
        object: DynamicObject,
        params: &PostParams,
    ) -> Result<DynamicObject, ClientError> {
        ObjectStore::create(self, resource, namespace, object, params).await
    }

    async fn create_raw(
        &self,
        resource: &ApiResource,
        namespace: Option<&str>,
        object: DynamicObject,
        params: &PostParams,
    ) -> Result<RawObject, ClientError> {
        ObjectStore::create_raw(self, resource, namespace, object, params).await
    }

    async fn replace(
        &self,
        resource: &ApiResource,
        namespace: Option<&str>,
        name: &str,
        object: DynamicObject,
        params: &PostParams,
    ) -> Result<DynamicObject, ClientError> {
        ObjectStore::update(self, resource, namespace, name, object, params).await
    }

    async fn replace_status(
        &self,
        resource: &ApiResource,
        namespace: Option<&str>,
        name: &str,
        object: DynamicObject,
        params: &PostParams,
    ) -> Result<DynamicObject, ClientError> {
        ObjectStore::update_status(self, resource, namespace, name, object, params).await
    }

    async fn patch(
        &self,
        resource: &ApiResource,
        namespace: Option<&str>,
        name: &str,
        patch: &Patch,
        params: &PatchParams,
    ) -> Result<DynamicObject, ClientError> {
        ObjectStore::patch(self, resource, namespace, name, patch, params).await
    }

    async fn patch_status(
        &self,
        resource: &ApiResource,
        namespace: Option<&str>,
        name: &str,
        patch: &Patch,
        params: &PatchParams,
    ) -> Result<DynamicObject, ClientError> {
        ObjectStore::patch_status(self, resource, namespace, name, patch, params).await
    }

    async fn delete(
        &self,
        resource: &ApiResource,
        namespace: Option<&str>,
        name: &str,
        params: &DeleteParams,
    ) -> Result<DeleteOutcome<DynamicObject>, ClientError> {
        ObjectStore::delete(self, resource, namespace, name, params).await
    }

    async fn delete_collection(
        &self,
        resource: &ApiResource,
        namespace: Option<&str>,
        list: &ListParams,
        params: &DeleteParams,
    ) -> Result<ObjectList<DynamicObject>, ClientError> {
        ObjectStore::delete_collection(self, resource, namespace, list, params).await
    }

    async fn watch(
        &self,
        resource: &ApiResource,
        namespace: Option<&str>,
        params: &WatchParams,
    ) -> Result<WatchStream, ClientError> {
        ObjectStore::watch(self, resource, namespace, params).await
    }

    async fn bind(&self, namespace: &str, pod: &str, node: &str) -> Result<(), ClientError> {
        ObjectStore::bind(self, namespace, pod, node).await
    }
}
