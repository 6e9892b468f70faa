//! [`Config`]: where the API server is and how to talk to it.

use std::fmt;
use std::path::Path;
use std::time::Duration;

use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject as _;

use crate::error::ConfigError;
use crate::kubeconfig;
use crate::retry::RetryPolicy;

/// How requests authenticate.
#[derive(Clone, Default, PartialEq, Eq)]
pub(crate) enum Auth {
    /// No `Authorization` header.
    #[default]
    None,
    /// `Authorization: Bearer <token>`.
    Bearer(String),
    /// `Authorization: Basic ...`.
    Basic { username: String, password: String },
}

/// A client certificate and its key (PEM).
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Identity {
    pub(crate) cert_pem: Vec<u8>,
    pub(crate) key_pem: Vec<u8>,
}

/// What the TLS connection trusts and presents.
#[derive(Clone, Default, PartialEq, Eq)]
pub(crate) struct TlsSettings {
    /// CA certificates (PEM) the server's certificate must chain to; `None`: the
    /// system's (`SSL_CERT_FILE`, else `/etc/ssl/certs/ca-certificates.crt`).
    pub(crate) ca_pem: Option<Vec<u8>>,
    /// Accept any server certificate (`insecure-skip-tls-verify: true`).
    pub(crate) insecure: bool,
    /// A client certificate, for servers that authenticate by certificate.
    pub(crate) identity: Option<Identity>,
}

/// The settings of an [`HttpClient`](crate::HttpClient): the server, TLS trust,
/// credentials, the default namespace, retries and timeouts.
///
/// Usually read from a kubeconfig ([`Config::from_kubeconfig`], [`Config::infer`]);
/// the rest has defaults that the builder methods change.
///
/// ```
/// use std::time::Duration;
/// use http_client::{Config, RetryPolicy};
/// let config = Config::new("https://127.0.0.1:6443")?
///     .bearer_token("secret")
///     .retry(RetryPolicy::default().attempts(3))
///     .request_timeout(Some(Duration::from_secs(10)));
/// assert_eq!(config.server(), "https://127.0.0.1:6443");
/// assert_eq!(config.namespace(), "default");
/// # Ok::<(), http_client::ConfigError>(())
/// ```
#[derive(Clone)]
pub struct Config {
    /// `scheme://authority[/prefix]`, without a trailing slash.
    pub(crate) server: String,
    pub(crate) tls: TlsSettings,
    pub(crate) auth: Auth,
    pub(crate) namespace: String,
    pub(crate) retry: RetryPolicy,
    pub(crate) connect_timeout: Option<Duration>,
    pub(crate) request_timeout: Option<Duration>,
    pub(crate) watch_request_timeout: Option<Duration>,
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let auth = match self.auth {
            Auth::None => "none",
            Auth::Bearer(_) => "bearer token",
            Auth::Basic { .. } => "basic",
        };
        f.debug_struct("Config")
            .field("server", &self.server)
            .field("custom_ca", &self.tls.ca_pem.is_some())
            .field("insecure", &self.tls.insecure)
            .field("client_certificate", &self.tls.identity.is_some())
            .field("auth", &auth)
            .field("namespace", &self.namespace)
            .field("retry", &self.retry)
            .field("connect_timeout", &self.connect_timeout)
            .field("request_timeout", &self.request_timeout)
            .field("watch_request_timeout", &self.watch_request_timeout)
            .finish()
    }
}

impl Config {
    /// A configuration for the server at `url` (`https://host:port`, optionally with a
    /// path prefix; `http://` for a server without TLS), trusting the system's CAs,
    /// without credentials, with the default retries, a 10 s connect timeout and a
    /// 60 s request timeout.
    pub fn new(url: &str) -> Result<Self, ConfigError> {
        let invalid = |reason: &str| ConfigError::InvalidServer {
            url: url.to_owned(),
            reason: reason.to_owned(),
        };
        let uri: hyper::Uri = url
            .parse()
            .map_err(|e: hyper::http::uri::InvalidUri| invalid(&e.to_string()))?;
        match uri.scheme_str() {
            Some("https" | "http") => {}
            Some(_) => return Err(invalid("the scheme must be https or http")),
            None => return Err(invalid("the URL must be absolute (https://host:port)")),
        }
        if uri.host().is_none_or(str::is_empty) {
            return Err(invalid("the URL has no host"));
        }
        if uri.query().is_some() {
            return Err(invalid("the URL may not have a query"));
        }
        let server = url.trim_end_matches('/').to_owned();
        Ok(Config {
            server,
            tls: TlsSettings::default(),
            auth: Auth::None,
            namespace: "default".to_owned(),
            retry: RetryPolicy::default(),
            connect_timeout: Some(Duration::from_secs(10)),
            request_timeout: Some(Duration::from_secs(60)),
            watch_request_timeout: None,
        })
    }

    /// Reads the kubeconfig at `path`, using its `current-context`.
    pub fn from_kubeconfig(path: impl AsRef<Path>) -> Result<Self, ConfigError> {
        kubeconfig::load(path.as_ref(), None)
    }

    /// Reads the kubeconfig at `path`, using the context named `context`.
    pub fn from_kubeconfig_context(
        path: impl AsRef<Path>,
        context: &str,
    ) -> Result<Self, ConfigError> {
        kubeconfig::load(path.as_ref(), Some(context))
    }

    /// Reads a kubeconfig document (`context`: `None` for its `current-context`); file
    /// names in it are relative to `dir`.
    pub fn from_kubeconfig_yaml(
        yaml: &str,
        dir: &Path,
        context: Option<&str>,
    ) -> Result<Self, ConfigError> {
        kubeconfig::parse(yaml, dir, context)
    }

    /// The kubeconfig kubectl would use: the first file of `$KUBECONFIG`, else
    /// `$HOME/.kube/config`.
    pub fn infer() -> Result<Self, ConfigError> {
        let from_env = std::env::var_os("KUBECONFIG")
            .and_then(|paths| std::env::split_paths(&paths).find(|p| !p.as_os_str().is_empty()));
        let path = match from_env {
            Some(path) => path,
            None => {
                let home = std::env::var_os("HOME").unwrap_or_default();
                Path::new(&home).join(".kube").join("config")
            }
        };
        Self::from_kubeconfig(path)
    }

    /// Trusts the CA certificates in `pem` (instead of the system's).
    pub fn certificate_authority_pem(
        mut self,
        pem: impl Into<Vec<u8>>,
    ) -> Result<Self, ConfigError> {
        let pem = pem.into();
        parse_certificates("certificate-authority", &pem)?;
        self.tls.ca_pem = Some(pem);
        self.tls.insecure = false;
        Ok(self)
    }

    /// Accepts any server certificate (the connection is encrypted, but the server is
    /// not authenticated). For test clusters only.
    #[must_use]
    pub fn insecure_skip_tls_verify(mut self) -> Self {
        self.tls.insecure = true;
        self.tls.ca_pem = None;
        self
    }

    /// Authenticates with `token` (`Authorization: Bearer`).
    #[must_use]
    pub fn bearer_token(mut self, token: impl Into<String>) -> Self {
        self.auth = Auth::Bearer(token.into());
        self
    }

    /// The namespace of [`HttpClient::default_namespace`](crate::HttpClient::default_namespace).
    #[must_use]
    pub fn default_namespace(mut self, namespace: impl Into<String>) -> Self {
        self.namespace = namespace.into();
        self
    }

    /// How failed requests are retried.
    #[must_use]
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// How long connecting (TCP) may take; `None`: no limit.
    #[must_use]
    pub fn connect_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// How long one attempt of a request may take, until its whole answer is read
    /// (until the headers for a watch); `None`: no limit.
    #[must_use]
    pub fn request_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.request_timeout = timeout;
        self
    }

    /// How long each watch request asks the server to keep it open
    /// (`timeoutSeconds`; the stream resumes transparently after). `None` (the
    /// default): the server's limit, or what remains of the watch's own timeout.
    #[must_use]
    pub fn watch_request_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.watch_request_timeout = timeout;
        self
    }

    /// The server URL.
    pub fn server(&self) -> &str {
        &self.server
    }

    /// The default namespace (the kubeconfig context's, else `default`).
    pub fn namespace(&self) -> &str {
        &self.namespace
    }
}

/// The certificates in `pem`; at least one.
pub(crate) fn parse_certificates(
    what: &str,
    pem: &[u8],
) -> Result<Vec<CertificateDer<'static>>, ConfigError> {
    let certs = CertificateDer::pem_slice_iter(pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| ConfigError::certificate(what, format!("not PEM: {e}")))?;
    if certs.is_empty() {
        return Err(ConfigError::certificate(what, "no PEM certificate found"));
    }
    Ok(certs)
}
