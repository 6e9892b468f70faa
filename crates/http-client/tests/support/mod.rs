//! The real API server, started in the test's runtime over an in-memory store with
//! its generated kubeconfig, and clients for it.

// Helpers unwrap: a panic in a test helper is a test failure with a message.
#![allow(clippy::unwrap_used, dead_code)]

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use api_server::{ApiServer, ensure_system_namespaces, prepare_data_dir, serve};
use core_types::DynamicObject;
use http_client::{Config, HttpClient, RetryPolicy};
use store::{InProcessClient, MemoryStore};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// A running API server; stopped (connections dropped) on [`stop`](Self::stop) or drop.
pub(crate) struct Cluster {
    pub(crate) dir: tempfile::TempDir,
    /// The store the server serves, for writes and reads that bypass HTTP.
    pub(crate) store: Arc<InProcessClient>,
    pub(crate) addr: SocketAddr,
    max_watch: Duration,
    running: Option<(oneshot::Sender<()>, JoinHandle<()>)>,
}

impl Cluster {
    /// A server over a fresh in-memory store.
    pub(crate) async fn start() -> Self {
        let store = Arc::new(InProcessClient::new(Arc::new(MemoryStore::new())));
        Self::start_with(store, Duration::from_secs(30 * 60)).await
    }

    /// A server over `store` that ends every watch after `max_watch`.
    pub(crate) async fn start_with(store: Arc<InProcessClient>, max_watch: Duration) -> Self {
        ensure_system_namespaces(store.as_ref()).await.unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let mut cluster = Cluster {
            dir: tempfile::tempdir().unwrap(),
            store,
            addr,
            max_watch,
            running: None,
        };
        cluster.serve(listener);
        cluster
    }

    fn serve(&mut self, listener: tokio::net::TcpListener) {
        let credentials = prepare_data_dir(self.dir.path(), self.addr).unwrap();
        let server = ApiServer::builder(self.store.clone())
            .bearer_token(credentials.token.clone())
            .max_watch(self.max_watch)
            .build();
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            serve(server, listener, Some(credentials.tls), async {
                let _ = stopped.await;
            })
            .await
            .unwrap();
        });
        self.running = Some((stop, task));
    }

    /// Stops serving: open connections (watches) are dropped.
    pub(crate) async fn stop(&mut self) {
        if let Some((stop, task)) = self.running.take() {
            let _ = stop.send(());
            task.await.unwrap();
        }
    }

    /// Serves again on the same address (same certificates and token).
    pub(crate) async fn restart(&mut self) {
        let listener = tokio::net::TcpListener::bind(self.addr).await.unwrap();
        self.serve(listener);
    }

    pub(crate) fn kubeconfig(&self) -> PathBuf {
        self.dir.path().join("kubeconfig")
    }

    /// The kubeconfig's settings with fast retries (the test server is local).
    pub(crate) fn config(&self) -> Config {
        Config::from_kubeconfig(self.kubeconfig())
            .unwrap()
            .retry(fast_retries())
    }

    /// A client from the generated kubeconfig, with fast retries.
    pub(crate) fn client(&self) -> HttpClient {
        HttpClient::new(self.config()).unwrap()
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        if let Some((stop, task)) = self.running.take() {
            let _ = stop.send(());
            task.abort();
        }
    }
}

/// Many quick retries: a local server that restarts is back within them.
pub(crate) fn fast_retries() -> RetryPolicy {
    RetryPolicy::default()
        .attempts(50)
        .delays(Duration::from_millis(5), Duration::from_millis(50))
}

/// A manifest of the guestbook example, as the kubectl test applies it.
pub(crate) fn guestbook(file: &str) -> DynamicObject {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../core-types/tests/data/kubernetes-examples/web/guestbook")
        .join(file);
    let text = std::fs::read_to_string(path).unwrap();
    serde_yaml_ng::from_str(&text).unwrap()
}

/// A ConfigMap named `name` with `data`.
pub(crate) fn config_map(name: &str, data: &[(&str, &str)]) -> DynamicObject {
    let mut cm = DynamicObject::new(
        <core_types::core_v1::ConfigMap as core_types::StaticResource>::resource(),
        name,
    );
    let data: serde_json::Map<String, serde_json::Value> = data
        .iter()
        .map(|(k, v)| ((*k).to_owned(), serde_json::Value::from(*v)))
        .collect();
    cm.data
        .insert("data".into(), serde_json::Value::Object(data));
    cm
}

pub(crate) mod fake;
