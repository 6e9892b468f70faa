//! DefaultBinder: binds through the client's `pods/binding` subresource.

use std::sync::Arc;

use async_trait::async_trait;
use client::Client;

use crate::error::ConfigError;
use crate::framework::{BindPlugin, CycleState, Handle, Plugin, PluginArgs, PodInfo, Status};

use super::names;

/// Writes the binding with [`Client::bind`]. Without a client (standalone use) it
/// binds nothing and reports success.
pub struct DefaultBinder {
    client: Option<Arc<dyn Client>>,
}

impl std::fmt::Debug for DefaultBinder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DefaultBinder")
            .field("client", &self.client.is_some())
            .finish()
    }
}

impl DefaultBinder {
    /// The factory for the registry.
    pub fn factory(_: &PluginArgs, handle: &Handle) -> Result<Arc<dyn Plugin>, ConfigError> {
        Ok(Arc::new(DefaultBinder {
            client: handle.client().cloned(),
        }))
    }
}

impl Plugin for DefaultBinder {
    fn name(&self) -> &str {
        names::DEFAULT_BINDER
    }
    fn as_bind(&self) -> Option<&dyn BindPlugin> {
        Some(self)
    }
}

#[async_trait]
impl BindPlugin for DefaultBinder {
    async fn bind(&self, _: &CycleState, pod: &PodInfo, node: &str) -> Status {
        let Some(client) = &self.client else {
            return Status::success();
        };
        match client
            .bind(&pod.pod.metadata.namespace, &pod.pod.metadata.name, node)
            .await
        {
            Ok(()) => Status::success(),
            Err(e) => Status::error(e.to_string()),
        }
    }
}
