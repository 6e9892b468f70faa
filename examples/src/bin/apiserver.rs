//! The API server on the embedded sled store.
//!
//! ```text
//! cargo run --release --manifest-path examples/Cargo.toml --bin apiserver -- \
//!     --data-dir DIR --listen 127.0.0.1:PORT
//! ```
//!
//! On first start it creates, in DIR, the store (`DIR/store`), a CA and serving
//! certificate (`DIR/pki`), the admin token and `DIR/kubeconfig`; then serves
//! HTTPS until interrupted (ctrl-c). `KUBECONFIG=DIR/kubeconfig kubectl get ns`.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context as _;
use api_server::{ApiServer, ensure_system_namespaces, prepare_data_dir, serve};
use clap::Parser;
use store::{InProcessClient, SledStore, StoreOptions};

/// mimalloc rather than the system allocator: under load, glibc's malloc and free
/// took ~18% of the server's CPU (`perf` profile of `apiserver-perf`'s create case).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Serves the Kubernetes API over the sled store.
#[derive(Parser)]
struct Args {
    /// Directory for the store, certificates, token and kubeconfig.
    #[arg(long)]
    data_dir: PathBuf,
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:6443")]
    listen: SocketAddr,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    std::fs::create_dir_all(&args.data_dir)
        .with_context(|| format!("creating {}", args.data_dir.display()))?;
    let kv = SledStore::open(args.data_dir.join("store"), StoreOptions::default())
        .context("opening the store")?;
    let client = Arc::new(InProcessClient::new(Arc::new(kv)));
    ensure_system_namespaces(client.as_ref())
        .await
        .context("creating the system namespaces")?;
    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .with_context(|| format!("listening on {}", args.listen))?;
    let addr = listener.local_addr()?;
    let credentials = prepare_data_dir(&args.data_dir, addr).context("preparing certificates")?;
    let server = ApiServer::builder(client)
        .bearer_token(credentials.token.clone())
        .build();
    println!(
        "serving https://{addr}; KUBECONFIG={}",
        credentials.kubeconfig.display()
    );
    let shutdown = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    serve(server, listener, Some(credentials.tls), shutdown).await?;
    println!("stopped");
    Ok(())
}
