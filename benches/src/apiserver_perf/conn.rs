//! A thin HTTPS client: one keep-alive HTTP/1.1 connection over rustls, trusting the
//! server's generated CA, sending the admin bearer token.

use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::Context as _;
use bytes::Bytes;
use http_body_util::{BodyExt as _, Full};
use hyper::body::Incoming;
use hyper::client::conn::http1::SendRequest;
use hyper::header::{AUTHORIZATION, CONTENT_TYPE, HOST, HeaderValue};
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use rustls::pki_types::pem::PemObject as _;
use rustls::pki_types::{CertificateDer, ServerName};

/// Where the server is and how to reach it: address, TLS trust, token.
pub(crate) struct Target {
    addr: SocketAddr,
    tls: tokio_rustls::TlsConnector,
    host: HeaderValue,
    authorization: HeaderValue,
}

impl Target {
    /// A target at `addr` whose certificate is signed by the CA in `ca_pem`.
    pub(crate) fn new(addr: SocketAddr, ca_pem: &str, token: &str) -> anyhow::Result<Self> {
        let mut roots = rustls::RootCertStore::empty();
        for cert in CertificateDer::pem_slice_iter(ca_pem.as_bytes()) {
            roots.add(cert.context("reading the CA")?)?;
        }
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut config = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()?
            .with_root_certificates(roots)
            .with_no_client_auth();
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        Ok(Target {
            addr,
            tls: tokio_rustls::TlsConnector::from(Arc::new(config)),
            host: HeaderValue::from_str(&addr.to_string())?,
            authorization: HeaderValue::from_str(&format!("Bearer {token}"))?,
        })
    }
}

/// One open connection. Requests on it are sequential (keep-alive, no pipelining).
pub(crate) struct Conn {
    target: Arc<Target>,
    send: SendRequest<Full<Bytes>>,
}

impl Conn {
    /// Connects and completes the TLS handshake.
    pub(crate) async fn open(target: &Arc<Target>) -> anyhow::Result<Conn> {
        let tcp = tokio::net::TcpStream::connect(target.addr)
            .await
            .with_context(|| format!("connecting to {}", target.addr))?;
        tcp.set_nodelay(true)?;
        let name = ServerName::from(target.addr.ip());
        let tls = target
            .tls
            .connect(name, tcp)
            .await
            .context("TLS handshake")?;
        let (send, connection) = hyper::client::conn::http1::handshake(TokioIo::new(tls)).await?;
        tokio::spawn(async move {
            let _ = connection.await;
        });
        Ok(Conn {
            target: target.clone(),
            send,
        })
    }

    fn build(&self, method: Method, path: &str, body: Option<Bytes>) -> Request<Full<Bytes>> {
        let mut request = Request::new(Full::new(body.clone().unwrap_or_default()));
        *request.method_mut() = method;
        *request.uri_mut() = path.parse().unwrap_or_default();
        let headers = request.headers_mut();
        headers.insert(HOST, self.target.host.clone());
        headers.insert(AUTHORIZATION, self.target.authorization.clone());
        if body.is_some() {
            headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        }
        request
    }

    /// Sends a request and reads the whole answer.
    pub(crate) async fn call(
        &mut self,
        method: Method,
        path: &str,
        body: Option<Bytes>,
    ) -> anyhow::Result<(StatusCode, Bytes)> {
        let response = self.open_stream(method, path, body).await?;
        let status = response.status();
        let bytes = response.into_body().collect().await?.to_bytes();
        Ok((status, bytes))
    }

    /// Sends a request and returns the answer with its body unread (watches).
    pub(crate) async fn open_stream(
        &mut self,
        method: Method,
        path: &str,
        body: Option<Bytes>,
    ) -> anyhow::Result<Response<Incoming>> {
        self.send.ready().await?;
        let request = self.build(method, path, body);
        Ok(self.send.send_request(request).await?)
    }
}

/// `call`, requiring `expected`; the answer's body otherwise becomes the error.
pub(crate) async fn expect(
    conn: &mut Conn,
    method: Method,
    path: &str,
    body: Option<Bytes>,
    expected: StatusCode,
) -> anyhow::Result<Bytes> {
    let (status, bytes) = conn.call(method.clone(), path, body).await?;
    if status != expected {
        anyhow::bail!(
            "{method} {path}: {status}: {}",
            String::from_utf8_lossy(&bytes[..bytes.len().min(300)])
        );
    }
    Ok(bytes)
}
