//! The network layer: body limits over a real connection, and the data directory's
//! certificates and token, made once and reused.

// Helpers outside `#[test]` functions unwrap too: a panic is a test failure.
#![allow(clippy::unwrap_used)]

use std::sync::Arc;

use api_server::{ApiServer, prepare_data_dir, serve};
use store::{InProcessClient, MemoryStore};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

async fn exchange(addr: std::net::SocketAddr, request: &[u8]) -> String {
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    stream.write_all(request).await.unwrap();
    let mut answer = vec![0u8; 4096];
    let n = stream.read(&mut answer).await.unwrap();
    String::from_utf8_lossy(&answer[..n]).into_owned()
}

#[tokio::test]
async fn oversized_bodies_get_413() {
    let client = Arc::new(InProcessClient::new(Arc::new(MemoryStore::new())));
    let server = ApiServer::builder(client).max_body(1024).build();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let task = tokio::spawn(serve(server, listener, None, async {
        let _ = stopped.await;
    }));

    // Declared too large.
    let head = "POST /api/v1/namespaces/default/configmaps HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 5000\r\n\r\n";
    let answer = exchange(addr, head.as_bytes()).await;
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert!(answer.contains("RequestEntityTooLarge"), "{answer}");

    // Chunked, and too large once read.
    let chunk = "x".repeat(2000);
    let request = format!(
        "POST /api/v1/namespaces/default/configmaps HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\n\r\n{:x}\r\n{chunk}\r\n0\r\n\r\n",
        chunk.len()
    );
    let answer = exchange(addr, request.as_bytes()).await;
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");

    let answer = exchange(addr, b"GET /healthz HTTP/1.1\r\nhost: x\r\n\r\n").await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    stop.send(()).unwrap();
    task.await.unwrap().unwrap();
}

#[test]
fn the_data_directory_is_made_once_and_reused() {
    let dir = tempfile::tempdir().unwrap();
    let first = prepare_data_dir(dir.path(), "127.0.0.1:6443".parse().unwrap()).unwrap();
    let cert = std::fs::read(dir.path().join("pki/apiserver.crt")).unwrap();
    let second = prepare_data_dir(dir.path(), "127.0.0.1:7443".parse().unwrap()).unwrap();
    assert_eq!(first.token, second.token);
    assert_eq!(first.ca_pem, second.ca_pem);
    assert_eq!(
        cert,
        std::fs::read(dir.path().join("pki/apiserver.crt")).unwrap(),
        "same names: same certificate"
    );
    let kubeconfig = std::fs::read_to_string(&second.kubeconfig).unwrap();
    assert!(
        kubeconfig.contains("server: https://127.0.0.1:7443"),
        "{kubeconfig}"
    );
    assert!(kubeconfig.contains(&format!("token: {}", second.token)));
    assert_eq!(second.token.len(), 64);
    use std::os::unix::fs::PermissionsExt as _;
    let mode = std::fs::metadata(dir.path().join("pki/ca.key"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o077, 0, "private keys are private");

    // A new listen address outside the certificate's names: a new serving certificate
    // from the same CA.
    let third = prepare_data_dir(dir.path(), "10.1.2.3:6443".parse().unwrap()).unwrap();
    assert_eq!(third.ca_pem, first.ca_pem);
    assert_ne!(
        cert,
        std::fs::read(dir.path().join("pki/apiserver.crt")).unwrap()
    );
}
