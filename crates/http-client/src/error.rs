//! [`ConfigError`]: why a client could not be configured.
//!
//! Failures of calls are [`client::ClientError`]s, like those of any other
//! [`Client`](client::Client); a server that cannot be reached is
//! [`ClientError::Unavailable`](client::ClientError::Unavailable) (after the retries).

use std::path::PathBuf;

/// Why a kubeconfig, or the TLS settings it names, cannot be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// A file (the kubeconfig, a certificate, a token file) could not be read.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The failure.
        source: std::io::Error,
    },
    /// The kubeconfig is not valid YAML or does not have the kubeconfig shape.
    #[error("the kubeconfig does not parse: {0}")]
    Yaml(#[from] serde_yaml_ng::Error),
    /// No context was asked for and the kubeconfig has no `current-context`.
    #[error("the kubeconfig has no current-context")]
    NoCurrentContext,
    /// The context (asked for, or the current one) is not in the kubeconfig.
    #[error("the kubeconfig has no context named {0:?}")]
    UnknownContext(String),
    /// The context names a cluster the kubeconfig does not define.
    #[error("the kubeconfig has no cluster named {0:?}")]
    UnknownCluster(String),
    /// The context names a user the kubeconfig does not define.
    #[error("the kubeconfig has no user named {0:?}")]
    UnknownUser(String),
    /// The cluster has no `server`.
    #[error("cluster {0:?} has no server")]
    MissingServer(String),
    /// The server URL is not an absolute `https://` or `http://` URL.
    #[error("invalid server URL {url:?}: {reason}")]
    InvalidServer {
        /// The URL as given.
        url: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A certificate or key (CA, client certificate) is not valid base64 or PEM.
    #[error("{what}: {reason}")]
    Certificate {
        /// Which one: `certificate-authority-data`, `client-key`, ...
        what: String,
        /// What is wrong with it.
        reason: String,
    },
    /// `insecure-skip-tls-verify: true` together with a certificate authority (kubectl
    /// refuses this combination too).
    #[error("a certificate authority cannot be combined with insecure-skip-tls-verify")]
    InsecureWithCertificateAuthority,
    /// The user authenticates in a way this client does not implement (`exec`
    /// credential plugins, `auth-provider`).
    #[error("unsupported authentication: {0}")]
    UnsupportedAuth(String),
    /// The TLS configuration could not be built.
    #[error("TLS: {0}")]
    Tls(#[from] rustls::Error),
}

impl ConfigError {
    pub(crate) fn io(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> Self {
        let path = path.into();
        move |source| ConfigError::Io { path, source }
    }

    pub(crate) fn certificate(what: &str, reason: impl ToString) -> Self {
        ConfigError::Certificate {
            what: what.to_owned(),
            reason: reason.to_string(),
        }
    }
}
