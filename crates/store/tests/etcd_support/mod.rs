//! Real etcd servers for the etcd backend's tests: single members and static
//! clusters on loopback, with free ports and temporary data directories, killed on
//! drop (and, through a reaper process, when the test binary dies).
//!
//! The tests never skip: without an etcd binary (`/usr/bin/etcd`, or `ETCD_BIN`) they
//! fail, saying how to install it.

#![allow(dead_code, unreachable_pub)]

pub mod clock;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// How long a starting member may take to report itself healthy.
const START_TIMEOUT: Duration = Duration::from_secs(30);

/// The etcd binary; panics with installation advice when there is none.
pub fn etcd_binary() -> PathBuf {
    let path =
        std::env::var_os("ETCD_BIN").map_or_else(|| PathBuf::from("/usr/bin/etcd"), PathBuf::from);
    assert!(
        path.is_file(),
        "the etcd backend tests need a real etcd and found none at {}: install it with \
         `apt-get install etcd-server` (or point ETCD_BIN at an etcd 3.4+ binary)",
        path.display()
    );
    path
}

/// A loopback port nobody listens on right now.
fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
    listener.local_addr().expect("local address").port()
}

/// Where to put data directories: memory-backed when the machine has it (etcd syncs
/// every write; a kill without a machine crash loses nothing from the page cache).
fn scratch() -> tempfile::TempDir {
    let builder = {
        let mut builder = tempfile::Builder::new();
        builder.prefix("store-etcd-test-");
        builder
    };
    let shm = std::path::Path::new("/dev/shm");
    let dir = if shm.is_dir() {
        builder.tempdir_in(shm)
    } else {
        builder.tempdir()
    };
    dir.expect("temporary directory")
}

/// The reaper's script (`$0`: etcd's process id, `$1`: the member's directory): once its
/// standard input closes without it having been killed first (the test binary died or
/// exited with the member still running, as the shared member always does), it kills
/// etcd, waits a little for it to go, and removes the directory.
const REAPER: &str = "read -r _; kill -9 \"$0\" 2>/dev/null; i=0; \
    while kill -0 \"$0\" 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i+1)); done; \
    rm -rf \"$1\"";

/// One etcd member: its process (when running), ports and data directory.
pub struct EtcdMember {
    name: String,
    client_port: u16,
    args: Vec<String>,
    dir: tempfile::TempDir,
    process: Option<Running>,
}

struct Running {
    etcd: Child,
    /// A shell that kills etcd when its standin (held here) closes: when this handle
    /// is dropped, or when the test binary dies without dropping it.
    reaper: Child,
}

impl EtcdMember {
    /// Configures members named `{name}0`, `{name}1`... forming one static cluster.
    fn cluster_of(name: &str, size: usize) -> Vec<EtcdMember> {
        let ports: Vec<(u16, u16)> = (0..size).map(|_| (free_port(), free_port())).collect();
        let initial: Vec<String> = ports
            .iter()
            .enumerate()
            .map(|(i, (_, peer))| format!("{name}{i}=http://127.0.0.1:{peer}"))
            .collect();
        let token = format!("{name}-{}-{}", std::process::id(), free_port());
        ports
            .iter()
            .enumerate()
            .map(|(i, &(client, peer))| {
                let dir = scratch();
                let member = format!("{name}{i}");
                let args = vec![
                    format!("--name={member}"),
                    format!("--data-dir={}", dir.path().join("data").display()),
                    format!("--listen-client-urls=http://127.0.0.1:{client}"),
                    format!("--advertise-client-urls=http://127.0.0.1:{client}"),
                    format!("--listen-peer-urls=http://127.0.0.1:{peer}"),
                    format!("--initial-advertise-peer-urls=http://127.0.0.1:{peer}"),
                    format!("--initial-cluster={}", initial.join(",")),
                    "--initial-cluster-state=new".to_owned(),
                    format!("--initial-cluster-token={token}"),
                    // Quick elections on loopback.
                    "--heartbeat-interval=50".to_owned(),
                    "--election-timeout=500".to_owned(),
                    "--logger=zap".to_owned(),
                    "--log-level=warn".to_owned(),
                    format!("--log-outputs={}", dir.path().join("etcd.log").display()),
                ];
                EtcdMember {
                    name: member,
                    client_port: client,
                    args,
                    dir,
                    process: None,
                }
            })
            .collect()
    }

    /// The member's client URL.
    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.client_port)
    }

    /// The member's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Starts the process (again, on the same data directory and ports after a kill)
    /// without waiting for it.
    pub fn spawn(&mut self) {
        assert!(self.process.is_none(), "{} is already running", self.name);
        let etcd = Command::new(etcd_binary())
            .args(&self.args)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start etcd");
        let reaper = Command::new("/bin/sh")
            .args([
                "-c",
                REAPER,
                &etcd.id().to_string(),
                &self.dir.path().display().to_string(),
            ])
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start the reaper shell");
        self.process = Some(Running { etcd, reaper });
    }

    /// Starts the process and waits until it reports itself healthy (for a cluster
    /// member that needs a leader, so start the others first).
    pub fn start(&mut self) {
        self.spawn();
        self.wait_healthy();
    }

    /// Waits until the member answers `/health` with a healthy cluster.
    pub fn wait_healthy(&mut self) {
        let deadline = Instant::now() + START_TIMEOUT;
        loop {
            if let Some(running) = self.process.as_mut() {
                if let Ok(Some(status)) = running.etcd.try_wait() {
                    panic!(
                        "{} exited with {status} while starting:\n{}",
                        self.name,
                        self.log()
                    );
                }
            }
            if health(self.client_port) {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "{} not healthy within {START_TIMEOUT:?}:\n{}",
                self.name,
                self.log()
            );
            std::thread::sleep(Duration::from_millis(25));
        }
    }

    /// Kills the process with SIGKILL and reaps it.
    pub fn kill(&mut self) {
        if let Some(mut running) = self.process.take() {
            // The reaper first, so it can never signal a recycled process id.
            let _ = running.reaper.kill();
            let _ = running.reaper.wait();
            let _ = running.etcd.kill();
            let _ = running.etcd.wait();
        }
    }

    /// The end of the member's log, for failure messages.
    pub fn log(&self) -> String {
        let text = std::fs::read_to_string(self.dir.path().join("etcd.log")).unwrap_or_default();
        let start = text.len().saturating_sub(4000);
        text.get(start..).unwrap_or_default().to_owned()
    }
}

impl Drop for EtcdMember {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Whether the member at `port` answers `GET /health` with `"health":"true"`.
fn health(port: u16) -> bool {
    let Ok(mut stream) = TcpStream::connect(("127.0.0.1", port)) else {
        return false;
    };
    let timeout = Some(Duration::from_secs(2));
    if stream.set_read_timeout(timeout).is_err() || stream.set_write_timeout(timeout).is_err() {
        return false;
    }
    let request =
        format!("GET /health HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n");
    if stream.write_all(request.as_bytes()).is_err() {
        return false;
    }
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer);
    answer.contains("\"health\":\"true\"")
}

/// A single-member etcd, started and healthy.
pub fn single(name: &str) -> EtcdMember {
    let mut member = EtcdMember::cluster_of(name, 1).pop().expect("one member");
    member.start();
    member
}

/// A static cluster of `size` members on loopback, all started and healthy.
pub fn cluster(name: &str, size: usize) -> Vec<EtcdMember> {
    let mut members = EtcdMember::cluster_of(name, size);
    for member in &mut members {
        member.spawn();
    }
    for member in &mut members {
        member.wait_healthy();
    }
    members
}

/// One etcd shared by every test of a binary, started by the first one that needs it
/// and killed by its reaper when the binary exits.
pub fn shared() -> &'static EtcdMember {
    static SHARED: OnceLock<EtcdMember> = OnceLock::new();
    SHARED.get_or_init(|| single("shared"))
}
