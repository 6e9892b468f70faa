//! Admission: the ordered chain every write passes before it reaches storage.
//!
//! The built-in chain is [`NamespaceLifecycle`], [`Defaulting`],
//! [`ServiceAllocation`](crate::ServiceAllocation), [`PodPriority`](crate::PodPriority),
//! [`Validation`];
//! embedders add their own plugins with
//! [`ApiServerBuilder::admission`](crate::ApiServerBuilder::admission).

use std::sync::Arc;

use async_trait::async_trait;
use client::{Client, ClientError};
use core_types::decode::AnyObject;
use core_types::{ApiResource, DynamicObject, StaticResource, core_v1::Namespace};

use crate::registry::Subresource;

/// The kind of write being admitted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Operation {
    /// POST of a new object.
    Create,
    /// PUT or PATCH of an existing object.
    Update,
}

/// What is being written, where, and by which operation.
#[non_exhaustive]
pub struct AdmissionRequest<'a> {
    /// Create or update.
    pub operation: Operation,
    /// The resource written.
    pub resource: &'a ApiResource,
    /// The namespace, for namespaced resources.
    pub namespace: Option<&'a str>,
    /// The subresource written (`status`), if any.
    pub subresource: Option<Subresource>,
    /// The stored object, for updates.
    pub old: Option<&'a DynamicObject>,
    /// The client, to look other objects up.
    pub client: &'a dyn Client,
}

/// One step of the admission chain: may change the object (mutating) or refuse the
/// write with a [`ClientError`] (validating). Steps run in order.
#[async_trait]
pub trait Admission: Send + Sync + 'static {
    /// The step's name, for logs.
    fn name(&self) -> &str;

    /// Admits (and possibly changes) `object`, or refuses the write.
    async fn admit(
        &self,
        request: &AdmissionRequest<'_>,
        object: &mut DynamicObject,
    ) -> Result<(), ClientError>;
}

/// The default chain: namespace lifecycle, defaulting, Service ClusterIP and
/// NodePort allocation, pod priority, validation.
pub fn default_chain() -> Vec<Arc<dyn Admission>> {
    vec![
        Arc::new(NamespaceLifecycle),
        Arc::new(Defaulting),
        Arc::new(crate::allocation::ServiceAllocation::default()),
        Arc::new(crate::priority::PodPriority),
        Arc::new(Validation),
    ]
}

/// Runs `chain` in order.
pub(crate) async fn run(
    chain: &[Arc<dyn Admission>],
    request: &AdmissionRequest<'_>,
    object: &mut DynamicObject,
) -> Result<(), ClientError> {
    for step in chain {
        step.admit(request, object).await?;
    }
    Ok(())
}

fn to_any(object: &DynamicObject) -> Result<AnyObject, ClientError> {
    AnyObject::from_dynamic(object).map_err(|e| match e {
        core_types::Error::Encode(m) => ClientError::internal(format!("cannot encode object: {m}")),
        other => ClientError::bad_request(other.to_string()),
    })
}

fn from_any(object: &AnyObject) -> Result<DynamicObject, ClientError> {
    let value = serde_json::to_value(object)
        .map_err(|e| ClientError::internal(format!("cannot encode object: {e}")))?;
    serde_json::from_value(value)
        .map_err(|e| ClientError::internal(format!("cannot re-read object: {e}")))
}

/// Applies the kind's defaults (built-in kinds only) on create and update of the
/// main resource.
#[derive(Clone, Copy, Debug, Default)]
pub struct Defaulting;

#[async_trait]
impl Admission for Defaulting {
    fn name(&self) -> &str {
        "Defaulting"
    }

    async fn admit(
        &self,
        request: &AdmissionRequest<'_>,
        object: &mut DynamicObject,
    ) -> Result<(), ClientError> {
        if request.subresource.is_some() {
            return Ok(());
        }
        let mut any = to_any(object)?;
        if !any.is_typed() {
            return Ok(());
        }
        any.apply_defaults();
        let mut defaulted = from_any(&any)?;
        // Metadata the store manages (resourceVersion, uid, ...) is kept as sent.
        defaulted.metadata = std::mem::take(&mut object.metadata);
        *object = defaulted;
        Ok(())
    }
}

/// Checks the object with its kind's rules: 422 `Invalid` with one cause per field.
#[derive(Clone, Copy, Debug, Default)]
pub struct Validation;

#[async_trait]
impl Admission for Validation {
    fn name(&self) -> &str {
        "Validation"
    }

    async fn admit(
        &self,
        request: &AdmissionRequest<'_>,
        object: &mut DynamicObject,
    ) -> Result<(), ClientError> {
        // The store picks the name from generateName after admission; check a stand-in.
        let any = if object.metadata.name.is_empty() && !object.metadata.generate_name.is_empty() {
            let mut candidate = object.clone();
            candidate.metadata.name = format!("{}abcde", candidate.metadata.generate_name);
            to_any(&candidate)?
        } else {
            to_any(object)?
        };
        any.validate().map_err(|errors| {
            ClientError::invalid(request.resource, &object.metadata.name, &errors)
        })
    }
}

/// Refuses creates in a namespace that does not exist (404) or is being deleted (403).
#[derive(Clone, Copy, Debug, Default)]
pub struct NamespaceLifecycle;

/// What [`NamespaceLifecycle`] reads of a namespace.
#[derive(serde::Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct NamespaceState {
    metadata: NamespaceMeta,
    status: NamespaceStatus,
}

#[derive(serde::Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct NamespaceMeta {
    deletion_timestamp: Option<serde::de::IgnoredAny>,
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct NamespaceStatus {
    phase: serde_json::Value,
}

#[async_trait]
impl Admission for NamespaceLifecycle {
    fn name(&self) -> &str {
        "NamespaceLifecycle"
    }

    async fn admit(
        &self,
        request: &AdmissionRequest<'_>,
        object: &mut DynamicObject,
    ) -> Result<(), ClientError> {
        let (Operation::Create, Some(namespace)) = (request.operation, request.namespace) else {
            return Ok(());
        };
        // Only two fields matter: read them from the encoded namespace.
        let json = request
            .client
            .get_json(Namespace::resource(), None, namespace)
            .await?;
        let ns: NamespaceState = serde_json::from_slice(&json)
            .map_err(|e| ClientError::internal(format!("cannot read namespace: {e}")))?;
        if ns.metadata.deletion_timestamp.is_some() || ns.status.phase == "Terminating" {
            return Err(ClientError::Forbidden {
                message: format!(
                    "{} {:?} is forbidden: unable to create new content in namespace {namespace} because it is being terminated",
                    request.resource.plural, object.metadata.name
                ),
                details: None,
            });
        }
        Ok(())
    }
}
