//! A server started for kubectl tests, and kubectl itself.

// Helpers outside `#[test]` functions unwrap too: a panic is a test failure.
#![allow(clippy::unwrap_used, dead_code)]

use std::path::PathBuf;
use std::process::Command;
use std::sync::Arc;

use api_server::{ApiServer, ensure_system_namespaces, prepare_data_dir, serve};
use store::{InProcessClient, MemoryStore};

/// An API server on a thread of its own, with its kubeconfig in a temporary dir.
pub(crate) struct Cluster {
    /// The data dir (kubeconfig, certificates); scratch files may go here too.
    pub(crate) dir: tempfile::TempDir,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Cluster {
    /// Starts a server on a free port.
    pub(crate) fn start() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().to_owned();
        let (ready_tx, ready_rx) = std::sync::mpsc::channel();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(async move {
                let client = Arc::new(InProcessClient::new(Arc::new(MemoryStore::new())));
                ensure_system_namespaces(client.as_ref()).await.unwrap();
                let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
                let credentials = prepare_data_dir(&path, listener.local_addr().unwrap()).unwrap();
                let server = ApiServer::builder(client)
                    .bearer_token(credentials.token.clone())
                    .build();
                ready_tx.send(()).unwrap();
                serve(server, listener, Some(credentials.tls), async {
                    let _ = stopped.await;
                })
                .await
                .unwrap();
            });
        });
        ready_rx.recv().unwrap();
        Cluster {
            dir,
            stop: Some(stop),
            thread: Some(thread),
        }
    }

    /// The admin kubeconfig.
    pub(crate) fn kubeconfig(&self) -> PathBuf {
        self.dir.path().join("kubeconfig")
    }

    /// Runs kubectl; returns (success, stdout, stderr).
    pub(crate) fn kubectl(&self, args: &[&str]) -> (bool, String, String) {
        let out = Command::new("kubectl")
            .args(args)
            .env("KUBECONFIG", self.kubeconfig())
            .env("HOME", self.dir.path())
            .output()
            .expect("kubectl runs");
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }

    /// Runs kubectl and expects success; returns stdout.
    pub(crate) fn ok(&self, args: &[&str]) -> String {
        let (ok, out, err) = self.kubectl(args);
        assert!(ok, "kubectl {args:?} failed:\n{out}\n{err}");
        out
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// True if kubectl runs.
pub(crate) fn have_kubectl() -> bool {
    Command::new("kubectl")
        .arg("version")
        .arg("--client")
        .output()
        .is_ok_and(|o| o.status.success())
}
