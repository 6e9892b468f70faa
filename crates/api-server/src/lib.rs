//! The Kubernetes REST API over the store: good enough for stock `kubectl`.
//!
//! The server is a thin HTTP layer over a [`client::Client`] (in a cluster,
//! [`store::InProcessClient`] over the sled store): it reads the path into a
//! resource, namespace, name and subresource ([`Registry`] holds the served kinds),
//! decodes the body, runs the write through the [`Admission`] chain, calls the
//! client, and answers with the object, a list, a watch stream or a Kubernetes
//! `Status` made from the [`ClientError`](client::ClientError) (one to one).
//!
//! - Verbs: GET, LIST (label and field selectors, limit/continue), WATCH (chunked
//!   `{"type","object"}` lines, bookmarks, timeoutSeconds), POST, PUT, PATCH (JSON
//!   patch, JSON merge patch, strategic merge patch, server-side apply with
//!   `managedFields` and field-manager conflicts), DELETE (DeleteOptions), DELETE
//!   of a collection. Bodies in JSON, YAML, or Kubernetes protobuf for the kinds
//!   kubectl's generator commands create (`create deployment`, `create service`, ...). Subresources `status`, `scale` (`autoscaling/v1` Scale),
//!   `binding` (pods), `log` (503 until the node agent serves logs).
//! - Discovery (`/api`, `/apis`, `/api/v1`, `/apis/<g>/<v>`), `/version`, `/healthz`,
//!   `/readyz`, `/livez`, Prometheus `/metrics`; server-side `Table` output for
//!   `kubectl get`; a minimal OpenAPI v3 document marking server-side field validation.
//! - Security: [`prepare_data_dir`] makes a CA, a serving certificate, an admin token
//!   and a kubeconfig on first start; [`ApiServerBuilder::bearer_token`] requires the
//!   token (401 otherwise; health checks stay open). Body size limit (413) and
//!   request timeout (504).
//!
//! # Benchmarks
//!
//! `cargo run --release --manifest-path benches/Cargo.toml --bin apiserver-perf`
//! starts this server on a sled store (TLS, generated token) in a child process and
//! measures it over HTTPS on loopback with keep-alive: GET of one pod, LIST of 1000
//! pods, durable CREATE, an open-loop mixed load at 1,000 requests/s, and a watch
//! fan-out (1000 watchers, each checked to receive all 10,000 changes in order). It
//! prints a `RESULT {json}` line per measurement and a table; `--quick` and `--cases`
//! make shorter runs. Hot paths: a GET answers the stored JSON without decoding it
//! ([`Client::get_json`](client::Client::get_json)); a watch event's line is encoded
//! once and shared by every watcher.
//!
//! ```no_run
//! use std::sync::Arc;
//! use api_server::{ApiServer, prepare_data_dir, serve, ensure_system_namespaces};
//! use store::{InProcessClient, MemoryStore};
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let client = Arc::new(InProcessClient::new(Arc::new(MemoryStore::new())));
//! ensure_system_namespaces(client.as_ref()).await?;
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:6443").await?;
//! let credentials = prepare_data_dir("/tmp/cluster".as_ref(), listener.local_addr()?)?;
//! let server = ApiServer::builder(client).bearer_token(credentials.token.clone()).build();
//! serve(server, listener, Some(credentials.tls), std::future::pending()).await?;
//! # Ok(()) }
//! ```

mod admission;
mod allocation;
mod apply;
mod bootstrap;
mod columns;
mod event_lines;
mod fields;
mod handlers;
mod metrics;
mod pki;
mod priority;
mod protobuf;
mod query;
mod registry;
mod response;
mod route;
mod serve;
mod server;
mod strategic;

pub use admission::{
    Admission, AdmissionRequest, Defaulting, NamespaceLifecycle, Operation, Validation,
    default_chain,
};
pub use allocation::ServiceAllocation;
pub use bootstrap::{SYSTEM_NAMESPACES, ensure_system_namespaces};
pub use pki::{Credentials, SetupError, kubeconfig_yaml, prepare_data_dir};
pub use priority::PodPriority;
pub use registry::{Registry, ResourceInfo, Subresource, VERBS};
pub use response::Body;
pub use serve::serve;
pub use server::{ApiServer, ApiServerBuilder, GIT_VERSION};
