//! The [`Client`] verbs as REST requests.

use async_trait::async_trait;
use bytes::Bytes;
use client::{
    Client, ClientError, DeleteOutcome, DeleteParams, ListParams, ObjectList, Patch, PatchParams,
    PostParams, RawObject, WatchParams, WatchStream,
};
use core_types::{ApiResource, DynamicObject, StaticResource, core_v1::Pod};
use hyper::{Method, StatusCode};
use serde_json::{Value, json};

use crate::answer::{decode_object, fill_types};
use crate::transport::{Call, HttpClient};
use crate::url::{self, Query};

const JSON: &str = "application/json";

fn json_body(value: &impl serde::Serialize) -> Result<Option<(&'static str, Bytes)>, ClientError> {
    let bytes = serde_json::to_vec(value).map_err(|e| ClientError::Decode {
        path: String::new(),
        message: format!("cannot encode the request: {e}"),
    })?;
    Ok(Some((JSON, Bytes::from(bytes))))
}

impl HttpClient {
    /// Where a create goes (a namespaced kind needs its namespace).
    fn create_path(
        &self,
        resource: &ApiResource,
        namespace: Option<&str>,
        params: &PostParams,
    ) -> Result<String, ClientError> {
        if resource.is_namespaced() && namespace.is_none_or(str::is_empty) {
            return Err(ClientError::bad_request(format!(
                "{} is namespaced: the request needs a namespace",
                resource.kind
            )));
        }
        let path = url::collection(resource, namespace)?;
        Ok(format!("{path}{}", Query::post(params).as_str()))
    }

    async fn object_call(
        &self,
        resource: &ApiResource,
        method: Method,
        path: &str,
        body: Option<(&'static str, Bytes)>,
    ) -> Result<DynamicObject, ClientError> {
        let (_, bytes) = self.send(&Call { method, path, body }).await?;
        decode_object(&bytes, resource)
    }

    async fn list_call(
        &self,
        resource: &ApiResource,
        method: Method,
        path: &str,
        body: Option<(&'static str, Bytes)>,
    ) -> Result<ObjectList<DynamicObject>, ClientError> {
        let (_, bytes) = self.send(&Call { method, path, body }).await?;
        let mut list: ObjectList<DynamicObject> =
            serde_json::from_slice(&bytes).map_err(|e| ClientError::Decode {
                path: String::new(),
                message: format!("the answer is not a {} list: {e}", resource.kind),
            })?;
        for item in &mut list.items {
            fill_types(item, resource);
        }
        Ok(list)
    }

    async fn patch_part(
        &self,
        resource: &ApiResource,
        namespace: Option<&str>,
        name: &str,
        subresource: Option<&str>,
        patch: &Patch,
        params: &PatchParams,
    ) -> Result<DynamicObject, ClientError> {
        let path = url::object(resource, namespace, name, subresource)?;
        let path = format!("{path}{}", Query::patch(params).as_str());
        let document = serde_json::to_vec(patch.document()).map_err(|e| ClientError::Decode {
            path: String::new(),
            message: format!("cannot encode the patch: {e}"),
        })?;
        let body = Some((patch.content_type(), Bytes::from(document)));
        self.object_call(resource, Method::PATCH, &path, body).await
    }

    async fn put(
        &self,
        resource: &ApiResource,
        namespace: Option<&str>,
        name: &str,
        subresource: Option<&str>,
        object: &DynamicObject,
        params: &PostParams,
    ) -> Result<DynamicObject, ClientError> {
        let path = url::object(resource, namespace, name, subresource)?;
        let path = format!("{path}{}", Query::post(params).as_str());
        self.object_call(resource, Method::PUT, &path, json_body(object)?)
            .await
    }
}

#[async_trait]
impl Client for HttpClient {
    async fn get(
        &self,
        resource: &ApiResource,
        namespace: Option<&str>,
        name: &str,
    ) -> Result<DynamicObject, ClientError> {
        let path = url::object(resource, namespace, name, None)?;
        self.object_call(resource, Method::GET, &path, None).await
    }

    async fn list(
        &self,
        resource: &ApiResource,
        namespace: Option<&str>,
        params: &ListParams,
    ) -> Result<ObjectList<DynamicObject>, ClientError> {
        let path = url::collection(resource, namespace)?;
        let path = format!("{path}{}", Query::list(params).as_str());
        self.list_call(resource, Method::GET, &path, None).await
    }

    async fn create(
        &self,
        resource: &ApiResource,
        namespace: Option<&str>,
        object: DynamicObject,
        params: &PostParams,
    ) -> Result<DynamicObject, ClientError> {
        let path = self.create_path(resource, namespace, params)?;
        self.object_call(resource, Method::POST, &path, json_body(&object)?)
            .await
    }

    async fn create_raw(
        &self,
        resource: &ApiResource,
        namespace: Option<&str>,
        object: DynamicObject,
        params: &PostParams,
    ) -> Result<RawObject, ClientError> {
        let path = self.create_path(resource, namespace, params)?;
        let body = json_body(&object)?;
        let (_, bytes) = self
            .send(&Call {
                method: Method::POST,
                path: &path,
                body,
            })
            .await?;
        Ok(RawObject::new(bytes))
    }

    async fn replace(
        &self,
        resource: &ApiResource,
        namespace: Option<&str>,
        name: &str,
        object: DynamicObject,
        params: &PostParams,
    ) -> Result<DynamicObject, ClientError> {
        self.put(resource, namespace, name, None, &object, params)
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
        self.put(resource, namespace, name, Some("status"), &object, params)
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
        self.patch_part(resource, namespace, name, None, patch, params)
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
        self.patch_part(resource, namespace, name, Some("status"), patch, params)
            .await
    }

    async fn delete(
        &self,
        resource: &ApiResource,
        namespace: Option<&str>,
        name: &str,
        params: &DeleteParams,
    ) -> Result<DeleteOutcome<DynamicObject>, ClientError> {
        let path = url::object(resource, namespace, name, None)?;
        let body = json_body(&url::delete_options(params))?;
        let (status, bytes) = self
            .send(&Call {
                method: Method::DELETE,
                path: &path,
                body,
            })
            .await?;
        let value: Value = serde_json::from_slice(&bytes).map_err(|e| ClientError::Decode {
            path: String::new(),
            message: format!("the answer to a delete is not JSON: {e}"),
        })?;
        // A Kubernetes server may answer a finished delete with a success `Status`
        // instead of the object: what is known of the object is its name.
        let object = if value.get("kind").and_then(Value::as_str) == Some("Status") {
            let mut object = DynamicObject::new(resource, name);
            object.metadata.namespace = namespace.unwrap_or_default().to_owned();
            object
        } else {
            let mut object: DynamicObject =
                core_types::decode::from_value(value).map_err(ClientError::from)?;
            fill_types(&mut object, resource);
            object
        };
        Ok(if status == StatusCode::ACCEPTED {
            DeleteOutcome::Pending(object)
        } else {
            DeleteOutcome::Deleted(object)
        })
    }

    async fn delete_collection(
        &self,
        resource: &ApiResource,
        namespace: Option<&str>,
        list: &ListParams,
        params: &DeleteParams,
    ) -> Result<ObjectList<DynamicObject>, ClientError> {
        let path = url::collection(resource, namespace)?;
        let path = format!("{path}{}", Query::list(list).as_str());
        let body = json_body(&url::delete_options(params))?;
        self.list_call(resource, Method::DELETE, &path, body).await
    }

    async fn watch(
        &self,
        resource: &ApiResource,
        namespace: Option<&str>,
        params: &WatchParams,
    ) -> Result<WatchStream, ClientError> {
        crate::watch::start(self.clone(), resource, namespace, params).await
    }

    /// The objects as the server sent them: a typed watcher decodes each once.
    async fn watch_raw(
        &self,
        resource: &ApiResource,
        namespace: Option<&str>,
        params: &WatchParams,
    ) -> Result<WatchStream<RawObject>, ClientError> {
        crate::watch::start(self.clone(), resource, namespace, params).await
    }

    async fn bind(&self, namespace: &str, pod: &str, node: &str) -> Result<(), ClientError> {
        let path = url::object(Pod::resource(), Some(namespace), pod, Some("binding"))?;
        let binding = json!({
            "apiVersion": "v1",
            "kind": "Binding",
            "metadata": {"name": pod, "namespace": namespace},
            "target": {"apiVersion": "v1", "kind": "Node", "name": node},
        });
        self.send(&Call {
            method: Method::POST,
            path: &path,
            body: json_body(&binding)?,
        })
        .await?;
        Ok(())
    }
}
