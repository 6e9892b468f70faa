//! Pod priority from its PriorityClass, an admission step (Kubernetes' `Priority`
//! plugin): on create, `spec.priorityClassName` names the class whose value becomes
//! `spec.priority`; without a name, the class marked `globalDefault` (else 0).

use async_trait::async_trait;
use client::{ClientError, ListParams};
use core_types::validation::{FieldError, FieldPath, ValidationErrors};
use core_types::{DynamicObject, StaticResource, core_v1::Pod, scheduling_v1::PriorityClass};
use serde_json::{Value, json};

use crate::admission::{Admission, AdmissionRequest, Operation};

/// The two classes every cluster has, with Kubernetes' values.
const SYSTEM_CLASSES: &[(&str, i64)] = &[
    ("system-cluster-critical", 2_000_000_000),
    ("system-node-critical", 2_000_001_000),
];

/// Sets a new pod's `spec.priority` (and `preemptionPolicy`) from its PriorityClass.
#[derive(Clone, Copy, Debug, Default)]
pub struct PodPriority;

#[async_trait]
impl Admission for PodPriority {
    fn name(&self) -> &str {
        "PodPriority"
    }

    async fn admit(
        &self,
        request: &AdmissionRequest<'_>,
        object: &mut DynamicObject,
    ) -> Result<(), ClientError> {
        if request.resource != Pod::resource() || request.operation != Operation::Create {
            return Ok(());
        }
        let spec = object.data.get("spec");
        let class_name = spec
            .and_then(|s| s.get("priorityClassName"))
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned();
        let (value, policy) = if class_name.is_empty() {
            let classes = request
                .client
                .list(PriorityClass::resource(), None, &ListParams::default())
                .await?;
            classes
                .items
                .iter()
                .find(|c| c.data.get("globalDefault") == Some(&json!(true)))
                .map_or((0, None), |c| (class_value(c), class_policy(c)))
        } else if let Some((_, v)) = SYSTEM_CLASSES.iter().find(|(n, _)| *n == class_name) {
            (*v, None)
        } else {
            match request
                .client
                .get(PriorityClass::resource(), None, &class_name)
                .await
            {
                Ok(c) => (class_value(&c), class_policy(&c)),
                Err(e) if e.is_not_found() => {
                    let mut errors = ValidationErrors::default();
                    errors.push(FieldError::invalid(
                        &FieldPath::root("spec.priorityClassName"),
                        &class_name,
                        "no PriorityClass with this name was found",
                    ));
                    return Err(ClientError::invalid(
                        request.resource,
                        &object.metadata.name,
                        &errors,
                    ));
                }
                Err(e) => return Err(e),
            }
        };
        let given = spec.and_then(|s| s.get("priority")).and_then(Value::as_i64);
        if given.is_some_and(|g| g != value) {
            let mut errors = ValidationErrors::default();
            errors.push(FieldError::forbidden(
                &FieldPath::root("spec.priority"),
                "the integer value of priority must not be provided in pod spec; the priority admission controller computes it from the given PriorityClass name",
            ));
            return Err(ClientError::invalid(
                request.resource,
                &object.metadata.name,
                &errors,
            ));
        }
        if let Some(Value::Object(spec)) = object.data.get_mut("spec") {
            spec.insert("priority".into(), json!(value));
            if let Some(policy) = policy {
                spec.entry("preemptionPolicy").or_insert(json!(policy));
            }
        }
        Ok(())
    }
}

fn class_value(class: &DynamicObject) -> i64 {
    class.data.get("value").and_then(Value::as_i64).unwrap_or(0)
}

fn class_policy(class: &DynamicObject) -> Option<String> {
    class
        .data
        .get("preemptionPolicy")
        .and_then(Value::as_str)
        .map(str::to_owned)
}
