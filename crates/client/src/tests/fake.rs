//! A tiny in-memory [`Client`]: enough to exercise the typed facade.

use std::collections::BTreeMap;
use std::sync::Mutex;

use async_trait::async_trait;
use core_types::{ApiResource, DynamicObject};
use futures::StreamExt;

use crate::{
    Client, ClientError, DeleteOutcome, DeleteParams, ListParams, ObjectList, Patch, PatchParams,
    PostParams, WatchEvent, WatchParams, WatchStream,
};

/// Objects by (namespace, name); every write bumps a counter used as resourceVersion.
#[derive(Default)]
pub(super) struct FakeClient {
    objects: Mutex<BTreeMap<(String, String), DynamicObject>>,
    revision: Mutex<u64>,
    /// Events the next watch returns.
    pub(super) canned_events: Mutex<Vec<Result<WatchEvent<DynamicObject>, ClientError>>>,
    /// (namespace, pod, node) of every bind call.
    pub(super) bindings: Mutex<Vec<(String, String, String)>>,
}

impl FakeClient {
    fn next_revision(&self) -> String {
        let mut r = self.revision.lock().unwrap();
        *r += 1;
        r.to_string()
    }

    fn key(namespace: Option<&str>, name: &str) -> (String, String) {
        (namespace.unwrap_or_default().to_owned(), name.to_owned())
    }

    /// Inserts an object as is.
    pub(super) fn insert(&self, namespace: &str, obj: DynamicObject) {
        let key = Self::key(Some(namespace), &obj.metadata.name);
        self.objects.lock().unwrap().insert(key, obj);
    }
}

#[async_trait]
impl Client for FakeClient {
    async fn get(
        &self,
        resource: &ApiResource,
        namespace: Option<&str>,
        name: &str,
    ) -> Result<DynamicObject, ClientError> {
        let objects = self.objects.lock().unwrap();
        objects
            .get(&Self::key(namespace, name))
            .cloned()
            .ok_or_else(|| ClientError::not_found(resource, name))
    }

    async fn list(
        &self,
        _resource: &ApiResource,
        namespace: Option<&str>,
        params: &ListParams,
    ) -> Result<ObjectList<DynamicObject>, ClientError> {
        let objects = self.objects.lock().unwrap();
        let items = objects
            .iter()
            .filter(|((ns, _), _)| namespace.is_none_or(|n| n == ns))
            .map(|(_, o)| o.clone())
            .filter(|o| {
                params
                    .label_selector
                    .as_ref()
                    .is_none_or(|s| s.matches(&o.metadata.labels))
            })
            .collect();
        let mut list = ObjectList {
            items,
            ..ObjectList::default()
        };
        list.metadata.resource_version = self.revision.lock().unwrap().to_string();
        Ok(list)
    }

    async fn create(
        &self,
        resource: &ApiResource,
        namespace: Option<&str>,
        mut object: DynamicObject,
        _params: &PostParams,
    ) -> Result<DynamicObject, ClientError> {
        let key = Self::key(namespace, &object.metadata.name);
        object.metadata.resource_version = self.next_revision();
        object.metadata.namespace = key.0.clone();
        let mut objects = self.objects.lock().unwrap();
        if objects.contains_key(&key) {
            return Err(ClientError::already_exists(resource, &key.1));
        }
        objects.insert(key, object.clone());
        Ok(object)
    }

    async fn replace(
        &self,
        resource: &ApiResource,
        namespace: Option<&str>,
        name: &str,
        mut object: DynamicObject,
        _params: &PostParams,
    ) -> Result<DynamicObject, ClientError> {
        let key = Self::key(namespace, name);
        let mut objects = self.objects.lock().unwrap();
        let current = objects
            .get(&key)
            .ok_or_else(|| ClientError::not_found(resource, name))?;
        let expected = &object.metadata.resource_version;
        if !expected.is_empty() && *expected != current.metadata.resource_version {
            let current = Some(current.metadata.resource_version.clone());
            return Err(ClientError::modified(resource, name, current));
        }
        object.metadata.resource_version = self.next_revision();
        objects.insert(key, object.clone());
        Ok(object)
    }

    async fn replace_status(
        &self,
        resource: &ApiResource,
        namespace: Option<&str>,
        name: &str,
        object: DynamicObject,
        params: &PostParams,
    ) -> Result<DynamicObject, ClientError> {
        self.replace(resource, namespace, name, object, params)
            .await
    }

    async fn patch(
        &self,
        resource: &ApiResource,
        namespace: Option<&str>,
        name: &str,
        patch: &Patch,
        _params: &PatchParams,
    ) -> Result<DynamicObject, ClientError> {
        let Patch::Merge(doc) = patch else {
            return Err(ClientError::UnsupportedMediaType {
                message: "only merge patches".into(),
            });
        };
        let mut obj = self.get(resource, namespace, name).await?;
        if let Some(fields) = doc.as_object() {
            for (k, v) in fields {
                obj.data.insert(k.clone(), v.clone());
            }
        }
        obj.metadata.resource_version = self.next_revision();
        self.insert(namespace.unwrap_or_default(), obj.clone());
        Ok(obj)
    }

    async fn patch_status(
        &self,
        resource: &ApiResource,
        namespace: Option<&str>,
        name: &str,
        patch: &Patch,
        params: &PatchParams,
    ) -> Result<DynamicObject, ClientError> {
        self.patch(resource, namespace, name, patch, params).await
    }

    async fn delete(
        &self,
        resource: &ApiResource,
        namespace: Option<&str>,
        name: &str,
        _params: &DeleteParams,
    ) -> Result<DeleteOutcome<DynamicObject>, ClientError> {
        let mut objects = self.objects.lock().unwrap();
        objects
            .remove(&Self::key(namespace, name))
            .map(DeleteOutcome::Deleted)
            .ok_or_else(|| ClientError::not_found(resource, name))
    }

    async fn delete_collection(
        &self,
        resource: &ApiResource,
        namespace: Option<&str>,
        list: &ListParams,
        params: &DeleteParams,
    ) -> Result<ObjectList<DynamicObject>, ClientError> {
        let mut listed = self.list(resource, namespace, list).await?;
        for obj in &listed.items {
            let ns = Some(obj.metadata.namespace.as_str()).filter(|n| !n.is_empty());
            self.delete(resource, ns, &obj.metadata.name, params)
                .await?;
        }
        listed.metadata.continue_token.clear();
        Ok(listed)
    }

    async fn watch(
        &self,
        _resource: &ApiResource,
        _namespace: Option<&str>,
        _params: &WatchParams,
    ) -> Result<WatchStream, ClientError> {
        let events = std::mem::take(&mut *self.canned_events.lock().unwrap());
        Ok(futures::stream::iter(events).boxed())
    }

    async fn bind(&self, namespace: &str, pod: &str, node: &str) -> Result<(), ClientError> {
        self.bindings
            .lock()
            .unwrap()
            .push((namespace.into(), pod.into(), node.into()));
        Ok(())
    }
}
