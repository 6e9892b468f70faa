//! [`HttpClient`]: the connection pool, authentication, retries, and turning answers
//! into objects or [`ClientError`]s.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use bytes::Bytes;
use client::ClientError;
use http_body_util::{BodyExt as _, Full};
use hyper::body::Incoming;
use hyper::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderValue, USER_AGENT};
use hyper::http::HeaderMap;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::client::legacy::Client as Pool;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;

use crate::answer::{error_of, retry_after_of};
use crate::config::{Auth, Config};
use crate::error::ConfigError;
use crate::retry::RetryPolicy;

type Connector = hyper_rustls::HttpsConnector<HttpConnector>;

/// How long an idle pooled connection is kept.
const POOL_IDLE: Duration = Duration::from_secs(90);

/// A [`client::Client`] over HTTPS to a Kubernetes API server.
///
/// Cheap to clone (clones share one keep-alive connection pool); see the crate
/// documentation for retries and watch resumption.
#[derive(Clone)]
pub struct HttpClient {
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pool: Pool<Connector, Full<Bytes>>,
    server: String,
    authorization: Option<HeaderValue>,
    namespace: String,
    retry: RetryPolicy,
    request_timeout: Option<Duration>,
    pub(crate) watch_request_timeout: Option<Duration>,
    pub(crate) stats: Counters,
}

/// Counters of an [`HttpClient`]'s activity (shared by its clones).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct HttpClientStats {
    /// Request attempts sent (retries included).
    pub requests: u64,
    /// Retries (each after a backoff delay).
    pub retries: u64,
    /// Watch connections re-opened after the server ended one or it dropped.
    pub watch_resumes: u64,
}

#[derive(Default)]
pub(crate) struct Counters {
    requests: AtomicU64,
    retries: AtomicU64,
    pub(crate) watch_resumes: AtomicU64,
}

pub(crate) fn bump(counter: &AtomicU64) {
    counter.fetch_add(1, Ordering::Relaxed);
}

impl std::fmt::Debug for HttpClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HttpClient")
            .field("server", &self.inner.server)
            .field("stats", &self.stats())
            .finish_non_exhaustive()
    }
}

/// One request: method, path with query, and body (content type and bytes).
pub(crate) struct Call<'a> {
    pub(crate) method: Method,
    pub(crate) path: &'a str,
    pub(crate) body: Option<(&'static str, Bytes)>,
}

impl Call<'_> {
    /// Reads may be repeated after any failure; writes only when they surely did not
    /// reach the server.
    fn idempotent(&self) -> bool {
        self.method == Method::GET
    }
}

/// Why one attempt got no HTTP answer.
enum Failure {
    /// Connecting failed: the request never left.
    Connect(String),
    /// The TLS handshake failed (a certificate problem: retrying does not help).
    Tls(String),
    /// The connection failed after the request may have been sent.
    Transport(String),
    /// The attempt took longer than the request timeout.
    TimedOut(Duration),
}

impl Failure {
    fn of(error: &hyper_util::client::legacy::Error) -> Self {
        let text = chain(error);
        if is_tls(error) {
            Failure::Tls(text)
        } else if error.is_connect() {
            Failure::Connect(text)
        } else {
            Failure::Transport(text)
        }
    }

    fn retryable(&self, idempotent: bool) -> bool {
        match self {
            Failure::Connect(_) => true,
            Failure::Tls(_) => false,
            Failure::Transport(_) | Failure::TimedOut(_) => idempotent,
        }
    }

    fn into_error(self, call: &Call<'_>, server: &str, attempts: u32) -> ClientError {
        let path = call.path.split('?').next().unwrap_or_default();
        let tries = if attempts == 1 {
            "1 attempt".to_owned()
        } else {
            format!("{attempts} attempts")
        };
        let what = format!("{} {server}{path}", call.method);
        match self {
            Failure::Connect(e) => ClientError::unavailable(format!(
                "{what}: cannot connect: {e} (gave up after {tries})"
            )),
            Failure::Tls(e) => {
                ClientError::unavailable(format!("{what}: TLS handshake failed: {e}"))
            }
            Failure::Transport(e) => ClientError::unavailable(format!(
                "{what}: connection failed: {e} (gave up after {tries})"
            )),
            Failure::TimedOut(after) => ClientError::timeout(format!(
                "{what}: no answer within {after:?} (gave up after {tries})"
            )),
        }
    }
}

/// The error and its sources, `: `-separated.
fn chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(e) = source {
        let more = e.to_string();
        if !text.contains(&more) {
            text.push_str(": ");
            text.push_str(&more);
        }
        source = e.source();
    }
    text
}

/// True if a rustls error is in the chain. The connector wraps it in `io::Error`s,
/// whose `source` skips the wrapped error, so those are unwrapped by `get_ref`.
fn is_tls(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut current = Some(error);
    while let Some(e) = current {
        if e.is::<rustls::Error>() {
            return true;
        }
        current = match e
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
        {
            Some(inner) => Some(inner as &(dyn std::error::Error + 'static)),
            None => e.source(),
        };
    }
    false
}

/// An answer's body: read whole, or left to stream (watches).
pub(crate) enum Answer {
    Bytes(Bytes),
    Stream(Incoming),
}

impl HttpClient {
    /// A client for `config`. Builds the TLS configuration (a bad certificate is an
    /// error here); connects lazily, on the first request. Needs a tokio runtime
    /// when requests are made, not to be built.
    pub fn new(config: Config) -> Result<Self, ConfigError> {
        let tls = crate::tls::client_config(&config.tls)?;
        let mut http = HttpConnector::new();
        http.enforce_http(false);
        http.set_connect_timeout(config.connect_timeout);
        http.set_nodelay(true);
        http.set_keepalive(Some(Duration::from_secs(30)));
        let https = hyper_rustls::HttpsConnectorBuilder::new()
            .with_tls_config(tls)
            .https_or_http()
            .enable_http1()
            .wrap_connector(http);
        // No pool timer: idle connections are expired when the pool is next used,
        // so the client keeps no background timer of its own.
        let pool = Pool::builder(TokioExecutor::new())
            .pool_idle_timeout(POOL_IDLE)
            .build(https);
        let authorization = match &config.auth {
            Auth::None => None,
            Auth::Bearer(token) => Some(format!("Bearer {token}")),
            Auth::Basic { username, password } => {
                use base64::Engine as _;
                let pair = format!("{username}:{password}");
                Some(format!(
                    "Basic {}",
                    base64::engine::general_purpose::STANDARD.encode(pair)
                ))
            }
        };
        let authorization = authorization
            .map(|value| {
                let mut value = HeaderValue::from_str(&value).map_err(|_| {
                    ConfigError::UnsupportedAuth("credentials with control characters".into())
                })?;
                value.set_sensitive(true);
                Ok::<_, ConfigError>(value)
            })
            .transpose()?;
        Ok(HttpClient {
            inner: Arc::new(Inner {
                pool,
                server: config.server,
                authorization,
                namespace: config.namespace,
                retry: config.retry,
                request_timeout: config.request_timeout,
                watch_request_timeout: config.watch_request_timeout,
                stats: Counters::default(),
            }),
        })
    }

    /// A client for the kubeconfig at `path` (its current context).
    pub fn from_kubeconfig(path: impl AsRef<std::path::Path>) -> Result<Self, ConfigError> {
        Self::new(Config::from_kubeconfig(path)?)
    }

    /// A client for the kubeconfig kubectl would use ([`Config::infer`]).
    pub fn infer() -> Result<Self, ConfigError> {
        Self::new(Config::infer()?)
    }

    /// The server URL.
    pub fn server(&self) -> &str {
        &self.inner.server
    }

    /// The default namespace of the configuration (the kubeconfig context's).
    pub fn default_namespace(&self) -> &str {
        &self.inner.namespace
    }

    /// Counters of requests, retries and watch resumptions.
    pub fn stats(&self) -> HttpClientStats {
        let get = |c: &AtomicU64| c.load(Ordering::Relaxed);
        let s = &self.inner.stats;
        HttpClientStats {
            requests: get(&s.requests),
            retries: get(&s.retries),
            watch_resumes: get(&s.watch_resumes),
        }
    }

    /// Sends `call` (with retries) and reads the whole answer of a successful one.
    pub(crate) async fn send(&self, call: &Call<'_>) -> Result<(StatusCode, Bytes), ClientError> {
        match self.perform(call, true).await? {
            (status, Answer::Bytes(bytes)) => Ok((status, bytes)),
            (status, Answer::Stream(body)) => Ok((status, read_body(body).await?)),
        }
    }

    /// Sends `call` (with retries) and returns the body of a successful answer
    /// unread.
    pub(crate) async fn open(&self, call: &Call<'_>) -> Result<Incoming, ClientError> {
        match self.perform(call, false).await? {
            (_, Answer::Stream(body)) => Ok(body),
            (_, Answer::Bytes(_)) => Err(ClientError::internal("a streamed answer was read")),
        }
    }

    async fn perform(
        &self,
        call: &Call<'_>,
        buffered: bool,
    ) -> Result<(StatusCode, Answer), ClientError> {
        let policy = &self.inner.retry;
        let mut attempt = 1;
        loop {
            bump(&self.inner.stats.requests);
            let outcome = match self.inner.request_timeout {
                Some(limit) => tokio::time::timeout(limit, self.attempt(call, buffered))
                    .await
                    .unwrap_or(Err(Failure::TimedOut(limit))),
                None => self.attempt(call, buffered).await,
            };
            let (retryable, retry_after, error) = match outcome {
                Ok((status, _, answer)) if status.is_success() => return Ok((status, answer)),
                Ok((status, headers, answer)) => {
                    let body = match answer {
                        Answer::Bytes(bytes) => bytes,
                        Answer::Stream(body) => read_body(body).await.unwrap_or_default(),
                    };
                    let error = error_of(status, &headers, &body);
                    let retryable = status == StatusCode::TOO_MANY_REQUESTS
                        || (call.idempotent() && status.is_server_error());
                    (retryable, retry_after_of(&error), error)
                }
                Err(failure) => {
                    let retryable = failure.retryable(call.idempotent());
                    let error = failure.into_error(call, &self.inner.server, attempt);
                    (retryable, None, error)
                }
            };
            if !retryable || attempt >= policy.max_attempts() {
                return Err(error);
            }
            let delay = policy.delay(attempt, retry_after);
            tracing::debug!(method = %call.method, path = call.path, attempt, ?delay, error = %error, "retrying");
            bump(&self.inner.stats.retries);
            tokio::time::sleep(delay).await;
            attempt += 1;
        }
    }

    /// One attempt: the answer's status, headers and body (read when `buffered`).
    async fn attempt(
        &self,
        call: &Call<'_>,
        buffered: bool,
    ) -> Result<(StatusCode, HeaderMap, Answer), Failure> {
        let request = self.request(call).map_err(Failure::Transport)?;
        let response: Response<Incoming> = self
            .inner
            .pool
            .request(request)
            .await
            .map_err(|e| Failure::of(&e))?;
        let (parts, body) = response.into_parts();
        let answer = if buffered {
            let bytes = body
                .collect()
                .await
                .map_err(|e| Failure::Transport(chain(&e)))?
                .to_bytes();
            Answer::Bytes(bytes)
        } else {
            Answer::Stream(body)
        };
        Ok((parts.status, parts.headers, answer))
    }

    fn request(&self, call: &Call<'_>) -> Result<Request<Full<Bytes>>, String> {
        let mut builder = Request::builder()
            .method(call.method.clone())
            .uri(format!("{}{}", self.inner.server, call.path))
            .header(ACCEPT, "application/json")
            .header(
                USER_AGENT,
                concat!("orchestra-http-client/", env!("CARGO_PKG_VERSION")),
            );
        if let Some(auth) = &self.inner.authorization {
            builder = builder.header(AUTHORIZATION, auth.clone());
        }
        let body = match &call.body {
            Some((content_type, bytes)) => {
                builder = builder.header(CONTENT_TYPE, *content_type);
                bytes.clone()
            }
            None => Bytes::new(),
        };
        builder.body(Full::new(body)).map_err(|e| e.to_string())
    }
}

async fn read_body(body: Incoming) -> Result<Bytes, ClientError> {
    body.collect()
        .await
        .map(|c| c.to_bytes())
        .map_err(|e| ClientError::unavailable(format!("reading the answer failed: {}", chain(&e))))
}
