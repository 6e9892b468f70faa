//! [`Registry`]: plugin names to factories, so a configuration file can name plugins,
//! including ones defined outside this crate.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use client::Client;
use serde::de::DeserializeOwned;

use super::plugin::Plugin;
use super::waiting::WaitingPods;
use crate::error::ConfigError;

/// The arguments of one plugin, from the profile's `pluginConfig` (JSON, whatever the
/// file format was).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PluginArgs {
    plugin: String,
    value: Option<serde_json::Value>,
}

impl PluginArgs {
    /// Arguments for `plugin`; `None` when the configuration gives none.
    pub fn new(plugin: impl Into<String>, value: Option<serde_json::Value>) -> Self {
        PluginArgs {
            plugin: plugin.into(),
            value,
        }
    }

    /// The raw value.
    pub fn value(&self) -> Option<&serde_json::Value> {
        self.value.as_ref()
    }

    /// Decodes the arguments into the plugin's type; absent arguments give
    /// `T::default()`. Errors name the plugin and the offending field.
    pub fn decode<T: DeserializeOwned + Default>(&self) -> Result<T, ConfigError> {
        match &self.value {
            None | Some(serde_json::Value::Null) => Ok(T::default()),
            Some(v) => serde_path_decode(v).map_err(|message| ConfigError::PluginArgs {
                plugin: self.plugin.clone(),
                message,
            }),
        }
    }
}

fn serde_path_decode<T: DeserializeOwned>(v: &serde_json::Value) -> Result<T, String> {
    T::deserialize(v).map_err(|e| e.to_string())
}

/// What a plugin factory gets besides its arguments: the client (for plugins that
/// talk to the API, like the default binder; `None` when the scheduler runs
/// standalone) and the waiting pods (for Permit plugins that allow or reject others).
#[derive(Clone, Default)]
pub struct Handle {
    client: Option<Arc<dyn Client>>,
    waiting_pods: WaitingPods,
}

impl fmt::Debug for Handle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Handle")
            .field("client", &self.client.is_some())
            .finish_non_exhaustive()
    }
}

impl Handle {
    /// A handle without a client (standalone use).
    pub fn new() -> Self {
        Self::default()
    }

    /// A handle with a client.
    pub fn with_client(client: Arc<dyn Client>) -> Self {
        Handle {
            client: Some(client),
            waiting_pods: WaitingPods::default(),
        }
    }

    /// The client, when the scheduler runs in a cluster.
    pub fn client(&self) -> Option<&Arc<dyn Client>> {
        self.client.as_ref()
    }

    /// The pods held by Permit plugins.
    pub fn waiting_pods(&self) -> &WaitingPods {
        &self.waiting_pods
    }
}

/// Builds a plugin from its arguments.
pub type PluginFactory =
    Arc<dyn Fn(&PluginArgs, &Handle) -> Result<Arc<dyn Plugin>, ConfigError> + Send + Sync>;

/// Plugin names and their factories. [`Registry::default`] holds the in-tree plugins;
/// [`register`](Registry::register) adds one more (an out-of-tree plugin is one trait
/// implementation and one `register` call).
///
/// ```
/// use std::sync::Arc;
/// use scheduler::{Plugin, Registry};
///
/// struct Noop;
/// impl Plugin for Noop {
///     fn name(&self) -> &str { "Noop" }
/// }
///
/// let mut registry = Registry::default();
/// registry.register("Noop", |_args, _handle| Ok(Arc::new(Noop)))?;
/// assert!(registry.contains("Noop") && registry.contains("NodeResourcesFit"));
/// # Ok::<(), scheduler::ConfigError>(())
/// ```
#[derive(Clone)]
pub struct Registry {
    factories: BTreeMap<String, PluginFactory>,
}

impl fmt::Debug for Registry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.factories.keys()).finish()
    }
}

impl Default for Registry {
    /// The in-tree plugins.
    fn default() -> Self {
        crate::plugins::in_tree_registry()
    }
}

impl Registry {
    /// A registry without plugins.
    pub fn empty() -> Self {
        Registry {
            factories: BTreeMap::new(),
        }
    }

    /// Adds a plugin factory under `name`; a name registered twice is an error.
    pub fn register<F>(&mut self, name: impl Into<String>, factory: F) -> Result<(), ConfigError>
    where
        F: Fn(&PluginArgs, &Handle) -> Result<Arc<dyn Plugin>, ConfigError> + Send + Sync + 'static,
    {
        let name = name.into();
        if self.factories.contains_key(&name) {
            return Err(ConfigError::DuplicatePlugin(name));
        }
        self.factories.insert(name, Arc::new(factory));
        Ok(())
    }

    /// True if `name` is registered.
    pub fn contains(&self, name: &str) -> bool {
        self.factories.contains_key(name)
    }

    /// The registered names.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.factories.keys().map(String::as_str)
    }

    pub(crate) fn build(
        &self,
        name: &str,
        args: &PluginArgs,
        handle: &Handle,
    ) -> Result<Arc<dyn Plugin>, ConfigError> {
        let factory = self
            .factories
            .get(name)
            .ok_or_else(|| ConfigError::UnknownPlugin(name.to_owned()))?;
        factory(args, handle)
    }
}
