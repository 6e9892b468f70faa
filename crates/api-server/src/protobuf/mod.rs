//! Kubernetes' protobuf request bodies, as kubectl's generator commands send them for
//! built-in kinds (`kubectl create deployment|service|job|cronjob|ingress|role|...`).
//! kubectl does not fall back to JSON when the server answers 415, so the server
//! reads them.
//!
//! The envelope is the magic `k8s\0` then a `runtime.Unknown` message (1: TypeMeta
//! {1: apiVersion, 2: kind}, 2: raw); `raw` is the kind's message, decoded with
//! tables of field numbers ([`wire::Schema`]) into the JSON the rest of the server
//! reads. Fields not in the tables (status, managed fields, the rarer pod fields) are
//! skipped. Kinds without a table get 415 with a message.

mod core;
mod kinds;
mod wire;

use client::ClientError;
use serde_json::{Map, Value, json};

use wire::{Reader, Schema, Wire, bad, text};

/// The prefix of a protobuf body.
pub(crate) const MAGIC: &[u8] = b"k8s\0";

/// The kinds whose protobuf messages are read, by apiVersion and kind.
const KINDS: &[(&str, &str, Schema)] = &[
    ("v1", "Namespace", kinds::NAMESPACE),
    ("v1", "ConfigMap", kinds::CONFIG_MAP),
    ("v1", "Secret", kinds::SECRET),
    ("v1", "Pod", core::POD),
    ("v1", "Service", kinds::SERVICE),
    ("v1", "ServiceAccount", kinds::SERVICE_ACCOUNT),
    ("apps/v1", "Deployment", kinds::DEPLOYMENT),
    ("batch/v1", "Job", kinds::JOB),
    ("batch/v1", "CronJob", kinds::CRON_JOB),
    ("networking.k8s.io/v1", "Ingress", kinds::INGRESS),
    ("rbac.authorization.k8s.io/v1", "Role", kinds::ROLE),
    (
        "rbac.authorization.k8s.io/v1",
        "ClusterRole",
        kinds::CLUSTER_ROLE,
    ),
    (
        "rbac.authorization.k8s.io/v1",
        "RoleBinding",
        kinds::ROLE_BINDING,
    ),
    (
        "rbac.authorization.k8s.io/v1",
        "ClusterRoleBinding",
        kinds::CLUSTER_ROLE_BINDING,
    ),
    (
        "policy/v1",
        "PodDisruptionBudget",
        kinds::POD_DISRUPTION_BUDGET,
    ),
    (
        "scheduling.k8s.io/v1",
        "PriorityClass",
        kinds::PRIORITY_CLASS,
    ),
];

fn schema(api_version: &str, kind: &str) -> Option<Schema> {
    KINDS
        .iter()
        .find(|(v, k, _)| *v == api_version && *k == kind)
        .map(|(_, _, s)| *s)
}

/// Decodes a protobuf body (starting with [`MAGIC`]) into the object's JSON.
pub(crate) fn decode(body: &[u8]) -> Result<Value, ClientError> {
    let envelope = body
        .strip_prefix(MAGIC)
        .ok_or_else(|| bad("missing the k8s magic prefix"))?;
    let mut r = Reader(envelope);
    let (mut api_version, mut kind, mut raw) = (String::new(), String::new(), &[][..]);
    while let Some((n, wire)) = r.next()? {
        match (n, wire) {
            (1, Wire::Bytes(types)) => {
                let mut t = Reader(types);
                while let Some((n, w)) = t.next()? {
                    match (n, w) {
                        (1, Wire::Bytes(b)) => api_version = text(b)?,
                        (2, Wire::Bytes(b)) => kind = text(b)?,
                        _ => {}
                    }
                }
            }
            (2, Wire::Bytes(b)) => raw = b,
            _ => {}
        }
    }
    let Some(schema) = schema(&api_version, &kind) else {
        let known: Vec<&str> = KINDS.iter().map(|(_, k, _)| *k).collect();
        return Err(ClientError::UnsupportedMediaType {
            message: format!(
                "protobuf bodies are read only for {}, not {api_version} {kind}; send JSON",
                known.join(", ")
            ),
        });
    };
    let mut object = Map::new();
    wire::message(raw, schema, 0, &mut object)?;
    object.insert("apiVersion".into(), json!(api_version));
    object.insert("kind".into(), json!(kind));
    Ok(Value::Object(object))
}

#[cfg(test)]
mod tests;
