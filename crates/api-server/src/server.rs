//! [`ApiServer`]: the request handler, independent of how requests arrive.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use client::{Client, ClientError};
use hyper::{Method, Request, Response};

use crate::admission::{self, Admission};
use crate::event_lines::EventLines;
use crate::handlers;
use crate::metrics::{Labels, Metrics};
use crate::query::Query;
use crate::registry::Registry;
use crate::response::{self, Body};
use crate::route::{Route, route};

/// The version `/version` reports (Kubernetes v1.32 compatible).
pub const GIT_VERSION: &str = "v1.32.0-orchestra";

/// The Kubernetes REST API over a [`Client`]: a thin HTTP layer. Cheap to clone.
///
/// Built with [`ApiServer::builder`]; [`handle`](Self::handle) answers one request
/// whose body has already been read; [`serve`](crate::serve) runs it over HTTPS.
#[derive(Clone)]
pub struct ApiServer {
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub(crate) client: Arc<dyn Client>,
    pub(crate) registry: Registry,
    pub(crate) admission: Vec<Arc<dyn Admission>>,
    pub(crate) token: Option<String>,
    pub(crate) max_body: usize,
    pub(crate) request_timeout: Duration,
    pub(crate) max_watch: Duration,
    pub(crate) metrics: Arc<Metrics>,
    pub(crate) max_watches: usize,
    /// Watch event lines, encoded once for all watchers.
    pub(crate) event_lines: EventLines,
}

impl std::fmt::Debug for ApiServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ApiServer")
            .field("max_body", &self.inner.max_body)
            .field("request_timeout", &self.inner.request_timeout)
            .finish_non_exhaustive()
    }
}

/// Configures an [`ApiServer`].
#[must_use]
pub struct ApiServerBuilder {
    inner: Inner,
}

impl ApiServer {
    /// A server over `client` with the built-in resources, the default admission
    /// chain, no authentication, 3 MiB bodies, 60 s requests, 30 min watches and
    /// 10,000 open watches.
    pub fn builder(client: Arc<dyn Client>) -> ApiServerBuilder {
        ApiServerBuilder {
            inner: Inner {
                client,
                registry: Registry::builtin(),
                admission: admission::default_chain(),
                token: None,
                max_body: 3 * 1024 * 1024,
                request_timeout: Duration::from_secs(60),
                max_watch: Duration::from_secs(30 * 60),
                metrics: Arc::default(),
                max_watches: 10_000,
                event_lines: EventLines::default(),
            },
        }
    }

    /// The largest request body accepted (413 beyond).
    pub fn max_body(&self) -> usize {
        self.inner.max_body
    }

    /// Answers a request whose body has been read. Authentication is checked here
    /// (health endpoints are open).
    pub async fn handle(&self, request: Request<Bytes>) -> Response<Body> {
        let path = request.uri().path().to_owned();
        let query = Query::parse(request.uri().query());
        let route = match route(&self.inner.registry, &path) {
            Ok(r) => r,
            Err(e) => {
                if !self.authorized(&request) {
                    return response::error(&unauthorized());
                }
                return response::error(&ClientError::NotFound {
                    message: e.0,
                    details: None,
                });
            }
        };
        if !matches!(route, Route::Health) && !self.authorized(&request) {
            return response::error(&unauthorized());
        }
        let is_watch = query.is_watch() || matches!(&route, Route::Resource(t) if t.legacy_watch);
        let labels = metrics_labels(&route, request.method(), is_watch);
        let started = std::time::Instant::now();
        let response = if is_watch {
            handlers::dispatch(self, route, &query, request).await
        } else {
            let timeout = self.inner.request_timeout;
            match tokio::time::timeout(timeout, handlers::dispatch(self, route, &query, request))
                .await
            {
                Ok(r) => r,
                Err(_) => response::error(&ClientError::timeout(format!(
                    "the request did not complete within {}s",
                    timeout.as_secs()
                ))),
            }
        };
        if let Some(labels) = labels {
            self.inner
                .metrics
                .observe(&labels, response.status().as_u16(), started.elapsed());
        }
        response
    }

    fn authorized(&self, request: &Request<Bytes>) -> bool {
        let Some(token) = &self.inner.token else {
            return true;
        };
        request
            .headers()
            .get(hyper::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .is_some_and(|given| constant_time_eq(given.trim().as_bytes(), token.as_bytes()))
    }

    pub(crate) fn client(&self) -> &dyn Client {
        self.inner.client.as_ref()
    }
}

/// The metrics labels of a resource request (`None` for discovery and the like).
fn metrics_labels(route: &Route<'_>, method: &Method, is_watch: bool) -> Option<Labels> {
    let Route::Resource(t) = route else {
        return None;
    };
    let verb = match (method.as_str(), &t.name) {
        _ if is_watch => "WATCH",
        ("GET", None) => "LIST",
        ("GET", Some(_)) => "GET",
        ("POST", _) => "POST",
        ("PUT", _) => "PUT",
        ("PATCH", _) => "PATCH",
        ("DELETE", None) => "DELETECOLLECTION",
        ("DELETE", Some(_)) => "DELETE",
        _ => "OTHER",
    };
    let mut resource = t.info.resource.plural.to_string();
    if let Some(sub) = t.subresource {
        resource = format!("{resource}/{}", sub.as_str());
    }
    Some(Labels { verb, resource })
}

fn unauthorized() -> ClientError {
    ClientError::Unauthorized {
        message: "Unauthorized".into(),
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

impl ApiServerBuilder {
    /// Replaces the served resources.
    pub fn registry(mut self, registry: Registry) -> Self {
        self.inner.registry = registry;
        self
    }

    /// Appends a step to the admission chain (after the built-in ones).
    pub fn admission(mut self, step: Arc<dyn Admission>) -> Self {
        self.inner.admission.push(step);
        self
    }

    /// Replaces the whole admission chain.
    pub fn admission_chain(mut self, chain: Vec<Arc<dyn Admission>>) -> Self {
        self.inner.admission = chain;
        self
    }

    /// Requires `Authorization: Bearer <token>` on every request but health checks.
    pub fn bearer_token(mut self, token: impl Into<String>) -> Self {
        self.inner.token = Some(token.into());
        self
    }

    /// The largest request body accepted.
    pub fn max_body(mut self, bytes: usize) -> Self {
        self.inner.max_body = bytes;
        self
    }

    /// How long a request (other than a watch) may take before 504.
    pub fn request_timeout(mut self, timeout: Duration) -> Self {
        self.inner.request_timeout = timeout;
        self
    }

    /// The longest a watch may run (its `timeoutSeconds` is capped to this).
    pub fn max_watch(mut self, timeout: Duration) -> Self {
        self.inner.max_watch = timeout;
        self
    }

    /// At most this many watches open at once; more get 429 `TooManyRequests`.
    pub fn max_watches(mut self, watches: usize) -> Self {
        self.inner.max_watches = watches;
        self
    }

    /// The server.
    pub fn build(self) -> ApiServer {
        ApiServer {
            inner: Arc::new(self.inner),
        }
    }
}

/// Answers `method` not allowed on a path.
pub(crate) fn not_allowed(method: &Method, what: &str) -> Response<Body> {
    response::method_not_allowed(method, what)
}
