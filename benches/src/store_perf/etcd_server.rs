//! A single-member etcd started for the run: free loopback ports, a data directory
//! under the run's scratch directory (the disk sled writes to), etcd's default
//! durability (its WAL is fdatasync'ed before a write is acknowledged). Killed when
//! dropped, and by a watchdog shell if this process dies first.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context as _, bail};
use store::{EtcdOptions, EtcdStore};

/// How long etcd may take to answer its first read.
const START_TIMEOUT: Duration = Duration::from_secs(30);

/// The watchdog (`$0`: etcd's pid): when its standard input closes without it being
/// killed first (this process died), it kills etcd.
const WATCHDOG: &str = "read -r _; kill -9 \"$0\" 2>/dev/null";

/// A running etcd server.
pub(crate) struct EtcdServer {
    etcd: Child,
    watchdog: Child,
    endpoint: String,
    log: PathBuf,
}

/// The etcd binary: `$ETCD_BIN`, else `/usr/bin/etcd` (Debian's `etcd-server`).
fn binary() -> anyhow::Result<PathBuf> {
    let path =
        std::env::var_os("ETCD_BIN").map_or_else(|| PathBuf::from("/usr/bin/etcd"), PathBuf::from);
    if !path.is_file() {
        bail!(
            "no etcd at {}: install it (`apt-get install etcd-server`), set ETCD_BIN, or \
             leave etcd out with --backends memory,sled",
            path.display()
        );
    }
    Ok(path)
}

/// A loopback port nobody listens on right now.
fn free_port() -> anyhow::Result<u16> {
    let listener = TcpListener::bind("127.0.0.1:0").context("bind a loopback port")?;
    Ok(listener.local_addr()?.port())
}

/// The command-line flags the server runs with (also printed in the documentation of
/// the binary): only names, addresses, the data directory and logging; everything
/// about durability and batching stays at etcd's defaults.
fn flags(data_dir: &Path, client: u16, peer: u16, log: &Path) -> Vec<String> {
    vec![
        "--name=perf".to_owned(),
        format!("--data-dir={}", data_dir.display()),
        format!("--listen-client-urls=http://127.0.0.1:{client}"),
        format!("--advertise-client-urls=http://127.0.0.1:{client}"),
        format!("--listen-peer-urls=http://127.0.0.1:{peer}"),
        format!("--initial-advertise-peer-urls=http://127.0.0.1:{peer}"),
        format!("--initial-cluster=perf=http://127.0.0.1:{peer}"),
        "--initial-cluster-state=new".to_owned(),
        "--logger=zap".to_owned(),
        "--log-level=warn".to_owned(),
        format!("--log-outputs={}", log.display()),
    ]
}

impl EtcdServer {
    /// Starts etcd with its data in `dir` (created if needed) and waits until a client
    /// can connect; returns the server and a connected store.
    pub(crate) async fn start(dir: &Path) -> anyhow::Result<(EtcdServer, EtcdStore)> {
        std::fs::create_dir_all(dir).with_context(|| format!("create {}", dir.display()))?;
        let (client, peer) = (free_port()?, free_port()?);
        let log = dir.join("etcd.log");
        let etcd = Command::new(binary()?)
            .args(flags(&dir.join("data"), client, peer, &log))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .context("start etcd")?;
        let watchdog = Command::new("/bin/sh")
            .args(["-c", WATCHDOG, &etcd.id().to_string()])
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn();
        let watchdog = match watchdog {
            Ok(watchdog) => watchdog,
            Err(e) => {
                let mut etcd = etcd;
                let _ = etcd.kill();
                let _ = etcd.wait();
                return Err(e).context("start the watchdog shell");
            }
        };
        let mut server = EtcdServer {
            etcd,
            watchdog,
            endpoint: format!("http://127.0.0.1:{client}"),
            log,
        };
        let store = server.connect().await?;
        Ok((server, store))
    }

    /// Connects, retrying until etcd answers or gives up.
    async fn connect(&mut self) -> anyhow::Result<EtcdStore> {
        let deadline = Instant::now() + START_TIMEOUT;
        let options = EtcdOptions::default().connect_timeout(Duration::from_millis(500));
        loop {
            if let Some(status) = self.etcd.try_wait()? {
                bail!(
                    "etcd exited with {status} while starting:\n{}",
                    self.log_tail()
                );
            }
            match EtcdStore::connect(std::slice::from_ref(&self.endpoint), options.clone()).await {
                Ok(store) => return Ok(store),
                Err(e) if Instant::now() >= deadline => {
                    bail!(
                        "etcd not answering within {START_TIMEOUT:?} ({e}):\n{}",
                        self.log_tail()
                    )
                }
                Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
            }
        }
    }

    /// The end of the server's log, for error messages.
    fn log_tail(&self) -> String {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        let start = text.len().saturating_sub(2000);
        text.get(start..).unwrap_or_default().to_owned()
    }
}

impl Drop for EtcdServer {
    fn drop(&mut self) {
        // The watchdog first, so it can never signal a recycled process id.
        let _ = self.watchdog.kill();
        let _ = self.watchdog.wait();
        let _ = self.etcd.kill();
        let _ = self.etcd.wait();
    }
}
