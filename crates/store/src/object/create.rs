//! Create.

use bytes::Bytes;
use client::{ClientError, PostParams, RawObject};
use core_types::validation::{FieldError, FieldPath, ValidationErrors};
use core_types::{ApiResource, DynamicObject, Scope, Time};

use super::codec::{check_body, encode, storage_error};
use super::key::{KeyError, ObjectKey};
use super::names::{generate_name, new_uid};
use super::{MAX_ATTEMPTS, ObjectStore};
use crate::kv::{Compare, Op, Txn, TxnResponse};

impl ObjectStore {
    /// Creates an object; see [`ObjectStore`] for the rules. With
    /// `namespace: None`, a namespaced object's own namespace is used.
    pub async fn create(
        &self,
        resource: &ApiResource,
        namespace: Option<&str>,
        obj: DynamicObject,
        params: &PostParams,
    ) -> Result<DynamicObject, ClientError> {
        Ok(self
            .create_stored(resource, namespace, obj, params)
            .await?
            .object)
    }

    /// [`create`](Self::create), also handing back the object as stored, encoded
    /// (what a typed client decodes without a detour through a JSON value).
    pub async fn create_raw(
        &self,
        resource: &ApiResource,
        namespace: Option<&str>,
        obj: DynamicObject,
        params: &PostParams,
    ) -> Result<RawObject, ClientError> {
        let created = self.create_stored(resource, namespace, obj, params).await?;
        match created.stored {
            Some(value) => Ok(RawObject::with_resource_version(
                value,
                created.object.metadata.resource_version,
            )),
            None => RawObject::encode(&created.object),
        }
    }

    async fn create_stored(
        &self,
        resource: &ApiResource,
        namespace: Option<&str>,
        mut obj: DynamicObject,
        params: &PostParams,
    ) -> Result<Created, ClientError> {
        let namespace = namespace.filter(|ns| !ns.is_empty());
        if resource.scope == Scope::Cluster && namespace.is_some() {
            return Err(ClientError::bad_request(format!(
                "{} is cluster-scoped: it has no namespace",
                resource.kind
            )));
        }
        check_body(resource, namespace, None, &mut obj)?;
        let namespace = match resource.scope {
            Scope::Namespaced if obj.metadata.namespace.is_empty() => {
                return Err(ClientError::bad_request(format!(
                    "{} is namespaced: the request needs a namespace",
                    resource.kind
                )));
            }
            Scope::Namespaced => Some(obj.metadata.namespace.clone()),
            Scope::Cluster => None,
        };
        let meta = &mut obj.metadata;
        if !meta.resource_version.is_empty() {
            return Err(ClientError::bad_request(
                "resourceVersion should not be set on objects to be created",
            ));
        }
        let generated = meta.name.is_empty();
        if generated && meta.generate_name.is_empty() {
            let mut errors = ValidationErrors::default();
            errors.push(FieldError::required(
                &FieldPath::root("metadata").child("name"),
                "name or generateName is required",
            ));
            return Err(ClientError::invalid(resource, "", &errors));
        }
        meta.uid = new_uid();
        meta.creation_timestamp = Some(Time::now());
        meta.generation = 1;
        meta.deletion_timestamp = None;
        meta.deletion_grace_period_seconds = None;

        let attempts = if generated { MAX_ATTEMPTS } else { 1 };
        for _ in 0..attempts {
            if generated {
                obj.metadata.name = generate_name(&obj.metadata.generate_name);
            }
            let name = obj.metadata.name.clone();
            let key = ObjectKey::new(resource, namespace.as_deref(), &name)
                .map_err(|e| invalid_name(resource, &name, e))?
                .to_string();
            let value = Bytes::from(encode(&mut obj)?);
            if params.dry_run {
                return Ok(Created {
                    object: obj,
                    stored: None,
                });
            }
            let txn = Txn::new()
                .when(Compare::mod_revision(key.clone(), 0))
                .then(Op::put(key, value.clone()));
            match self.kv.txn(txn).await.map_err(storage_error)? {
                TxnResponse::Succeeded { revision, .. } => {
                    obj.metadata.resource_version = revision.to_string();
                    return Ok(Created {
                        object: obj,
                        stored: Some(value),
                    });
                }
                TxnResponse::Failed { .. } if generated => continue,
                TxnResponse::Failed { .. } => {
                    return Err(ClientError::already_exists(resource, &name));
                }
            }
        }
        Err(ClientError::already_exists(resource, &obj.metadata.name))
    }
}

/// A created object, and its stored encoding (none for a dry run).
struct Created {
    object: DynamicObject,
    stored: Option<Bytes>,
}

/// A name that cannot be stored is an invalid `metadata.name` (or namespace).
fn invalid_name(resource: &ApiResource, name: &str, e: KeyError) -> ClientError {
    let KeyError::InvalidSegment {
        what,
        value,
        reason,
    } = &e
    else {
        return e.into();
    };
    let mut errors = ValidationErrors::default();
    errors.push(FieldError::invalid(
        &FieldPath::root("metadata").child(what),
        value,
        *reason,
    ));
    ClientError::invalid(resource, name, &errors)
}
