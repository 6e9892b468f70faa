//! Errors: configuration ([`ConfigError`]), cache bookkeeping ([`CacheError`]) and the
//! in-cluster driver ([`DriverError`]).

use thiserror::Error;

/// A configuration that cannot be used.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConfigError {
    /// The file could not be read.
    #[error("cannot read configuration: {0}")]
    Io(String),
    /// The text is not a valid configuration document.
    #[error("invalid configuration document: {0}")]
    Parse(String),
    /// The configuration is well-formed but not usable.
    #[error("invalid configuration: {0}")]
    Invalid(String),
    /// A profile names a plugin the registry does not know.
    #[error("plugin {0:?} is not registered")]
    UnknownPlugin(String),
    /// A plugin name was registered twice.
    #[error("plugin {0:?} is already registered")]
    DuplicatePlugin(String),
    /// A plugin's arguments do not decode or are invalid.
    #[error("invalid arguments for plugin {plugin}: {message}")]
    PluginArgs {
        /// The plugin.
        plugin: String,
        /// What is wrong.
        message: String,
    },
}

/// A cache operation that does not match the cache's state.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum CacheError {
    /// Assuming a pod the cache already holds.
    #[error("pod {0} is already in the cache")]
    AlreadyPresent(String),
    /// Forgetting a pod that is bound, not assumed.
    #[error("pod {0} is not assumed")]
    NotAssumed(String),
    /// The pod is not in the cache.
    #[error("pod {0} is not in the cache")]
    NotFound(String),
}

/// Why the in-cluster driver stopped.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum DriverError {
    /// The configuration could not be built.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// The scheduling loop ended unexpectedly.
    #[error("scheduling loop stopped: {0}")]
    Stopped(String),
    /// Listing or watching failed in a way retrying does not fix.
    #[error("client error: {0}")]
    Client(#[from] client::ClientError),
}
