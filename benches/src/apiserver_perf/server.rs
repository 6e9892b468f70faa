//! The server under test: the real `api_server` on a sled store in a scratch
//! directory, with TLS and the generated token, in a child process (this binary run
//! with `--serve-dir`) or in the benchmark's own process.

use std::io::{BufRead as _, BufReader, Write as _};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;

use anyhow::Context as _;
use api_server::{ApiServer, ensure_system_namespaces, prepare_data_dir, serve};
use store::{InProcessClient, SledStore, StoreOptions};

use super::conn::Target;

/// Where the server runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Placement {
    /// A child process (this binary with `--serve-dir`): the load generator and the
    /// server share the machine's cores but not a runtime or an allocator.
    Child,
    /// A task set on the benchmark's own runtime.
    InProcess,
}

/// A running server; stopped when dropped.
pub(crate) struct RunningServer {
    /// How to reach it.
    pub(crate) target: Arc<Target>,
    /// `child` or `in-process`.
    pub(crate) placement: &'static str,
    child: Option<Child>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    _dir: tempfile::TempDir,
}

impl Drop for RunningServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(mut child) = self.child.take() {
            // Closing its stdin is the child's signal to stop.
            drop(child.stdin.take());
            let _ = child.wait();
        }
    }
}

/// Starts a server with a fresh store in a new scratch directory.
pub(crate) async fn start(placement: Placement) -> anyhow::Result<RunningServer> {
    let dir = tempfile::Builder::new()
        .prefix("apiserver-perf")
        .tempdir()
        .context("creating the scratch directory")?;
    let (addr, child, stop, name) = match placement {
        Placement::Child => {
            let exe = std::env::current_exe().context("finding this binary")?;
            // `APISERVER_PERF_WRAP="valgrind --tool=callgrind"` runs the server under a
            // profiler (words split on spaces).
            let wrap = std::env::var("APISERVER_PERF_WRAP").unwrap_or_default();
            let mut words = wrap.split_whitespace();
            let mut command = match words.next() {
                Some(program) => {
                    let mut c = Command::new(program);
                    c.args(words).arg(exe);
                    c
                }
                None => Command::new(exe),
            };
            let mut child = command
                .arg("--serve-dir")
                .arg(dir.path())
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .spawn()
                .context("starting the server process")?;
            let stdout = child.stdout.take().context("the child's stdout")?;
            let line = tokio::task::spawn_blocking(move || {
                let mut line = String::new();
                BufReader::new(stdout).read_line(&mut line).map(|_| line)
            })
            .await??;
            let addr: SocketAddr = line
                .trim()
                .strip_prefix("LISTENING ")
                .with_context(|| format!("the server process said {line:?}"))?
                .parse()?;
            (addr, Some(child), None, "child")
        }
        Placement::InProcess => {
            let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
            let (server, listener, tls) = prepare(dir.path()).await?;
            let addr = listener.local_addr()?;
            tokio::spawn(async move {
                let shutdown = async {
                    let _ = stopped.await;
                };
                if let Err(e) = serve(server, listener, Some(tls), shutdown).await {
                    eprintln!("apiserver-perf: server: {e}");
                }
            });
            (addr, None, Some(stop), "in-process")
        }
    };
    let ca = std::fs::read_to_string(dir.path().join("pki/ca.crt"))?;
    let token = std::fs::read_to_string(dir.path().join("admin.token"))?;
    Ok(RunningServer {
        target: Arc::new(Target::new(addr, &ca, token.trim())?),
        placement: name,
        child,
        stop,
        _dir: dir,
    })
}

/// The store, system namespaces, listener, certificates and server of `dir`.
async fn prepare(
    dir: &Path,
) -> anyhow::Result<(
    ApiServer,
    tokio::net::TcpListener,
    Arc<rustls::ServerConfig>,
)> {
    let kv = SledStore::open(dir.join("store"), StoreOptions::default())
        .context("opening the sled store")?;
    let client = Arc::new(InProcessClient::new(Arc::new(kv)));
    ensure_system_namespaces(client.as_ref()).await?;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let credentials = prepare_data_dir(dir, listener.local_addr()?)?;
    let server = ApiServer::builder(client)
        .bearer_token(credentials.token.clone())
        .build();
    Ok((server, listener, credentials.tls))
}

/// The child's side: serves `dir` until its standard input closes.
pub(crate) fn serve_child(dir: PathBuf) -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let (server, listener, tls) = prepare(&dir).await?;
        println!("LISTENING {}", listener.local_addr()?);
        std::io::stdout().flush()?;
        let shutdown = async {
            // Standard input reaching its end means the parent is done (or gone).
            let _ = tokio::task::spawn_blocking(|| {
                let mut sink = Vec::new();
                let _ = std::io::Read::read_to_end(&mut std::io::stdin(), &mut sink);
            })
            .await;
        };
        serve(server, listener, Some(tls), shutdown).await?;
        Ok(())
    })
}
