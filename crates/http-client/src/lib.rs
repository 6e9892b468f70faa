//! The [`client::Client`] trait over HTTPS to a Kubernetes API server (the
//! `api-server` crate, or any Kubernetes API server), configured from a kubeconfig.
//!
//! Components written against `Arc<dyn Client>` (controllers on the `reconcile`
//! crate, the scheduler, node agents) run in the API server's process over the
//! in-process client, or in a process of their own over an [`HttpClient`], without
//! code changes.
//!
//! - [`Config`]: read from a kubeconfig ([`Config::from_kubeconfig`],
//!   [`Config::infer`]): the context's server URL, certificate authority
//!   (`certificate-authority-data` or a `certificate-authority` file),
//!   `insecure-skip-tls-verify`, and user (`token`, `tokenFile`, client certificate,
//!   basic auth). Problems are typed [`ConfigError`]s.
//! - [`HttpClient`]: every verb of the trait as a REST request over one keep-alive
//!   connection pool (hyper, rustls); errors come back as the server's `Status`,
//!   mapped to the matching [`ClientError`](client::ClientError) variant.
//!
//! # Retries
//!
//! A [`RetryPolicy`] (default: 5 attempts, 200 ms doubling to 30 s, jittered) decides
//! how often a request is tried:
//! - reads (GET, LIST, opening a watch) are retried after a connection failure, a
//!   timeout, a `429 TooManyRequests` or a `5xx`;
//! - writes (POST, PUT, PATCH, DELETE) only when they surely did not take effect: the
//!   connection could not be made, or the server answered `429` (it refuses such
//!   requests before handling them). A write whose connection broke later is not
//!   repeated; its error says so.
//!
//! A `Retry-After` from the server (header or `Status` details) replaces the backoff
//! delay. TLS handshake failures (an untrusted certificate) are not retried. When
//! the attempts run out, the last error is returned: the server's own error, or
//! [`ClientError::Unavailable`](client::ClientError::Unavailable) naming the request
//! and the cause for a server that cannot be reached.
//!
//! # Watches
//!
//! A watch is one long HTTP request whose body is a line of JSON per event. The stream
//! [`Client::watch`](client::Client::watch) returns hides the requests: when the
//! server ends one (its `timeoutSeconds`, see [`Config::watch_request_timeout`]) or
//! the connection drops, the next request starts at the resourceVersion of the last
//! event or bookmark (bookmarks are always requested, and passed on only when the
//! caller asked for them), so no event is lost or repeated. The stream ends without
//! error when the watch's own timeout passes.
//!
//! When the server no longer has the history to resume from (`410 Gone`, as the
//! answer or as an `ERROR` event), the stream yields
//! [`ClientError::Gone`](client::ClientError::Gone) and ends: the caller re-lists and
//! watches again from the list's resourceVersion, as the `reconcile` crate's
//! informers do. A watch started without a resourceVersion first receives the
//! current state, in key order: if it breaks before the first bookmark, there is no
//! safe resume point and it also ends with `Gone`. Any other failure (the server
//! stays unreachable after the retries) is yielded as the stream's last item.
//!
//! # Example
//!
//! ```no_run
//! use std::sync::Arc;
//! use client::{Api, Client, ListParams, WatchEvent, WatchParams};
//! use core_types::core_v1::Pod;
//! use futures::StreamExt;
//! use http_client::HttpClient;
//!
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! let client: Arc<dyn Client> = Arc::new(HttpClient::from_kubeconfig("/tmp/orchestra/kubeconfig")?);
//! let pods = Api::<Pod>::namespaced(client, "default");
//! let list = pods.list(&ListParams::default()).await?;
//! println!("{} pods at {}", list.items.len(), list.resource_version());
//! let mut events = pods
//!     .watch(&WatchParams::default().resource_version(list.resource_version()))
//!     .await?;
//! while let Some(event) = events.next().await {
//!     match event {
//!         Ok(WatchEvent::Added(pod)) => println!("added {}", pod.metadata.name),
//!         Ok(_) => {}
//!         Err(e) if e.is_gone() => break, // re-list, then watch again
//!         Err(e) => return Err(e.into()),
//!     }
//! }
//! # Ok(()) }
//! ```

mod answer;
mod config;
mod error;
mod kubeconfig;
mod retry;
mod tls;
mod transport;
mod url;
mod verbs;
mod watch;

pub use config::Config;
pub use error::ConfigError;
pub use retry::RetryPolicy;
pub use transport::{HttpClient, HttpClientStats};
