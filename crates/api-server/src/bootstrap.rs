//! What a fresh cluster needs before the first request: the system namespaces.

use client::{Client, ClientError, PostParams};
use core_types::{DynamicObject, StaticResource, core_v1::Namespace};

/// The namespaces every cluster has.
pub const SYSTEM_NAMESPACES: &[&str] =
    &["default", "kube-system", "kube-public", "kube-node-lease"];

/// Creates the [`SYSTEM_NAMESPACES`] that do not exist yet.
pub async fn ensure_system_namespaces(client: &dyn Client) -> Result<(), ClientError> {
    for name in SYSTEM_NAMESPACES {
        let mut ns = DynamicObject::new(Namespace::resource(), *name);
        ns.data.insert(
            "spec".into(),
            serde_json::json!({"finalizers": ["kubernetes"]}),
        );
        ns.data
            .insert("status".into(), serde_json::json!({"phase": "Active"}));
        match client
            .create(Namespace::resource(), None, ns, &PostParams::default())
            .await
        {
            Ok(_) | Err(ClientError::AlreadyExists { .. }) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}
