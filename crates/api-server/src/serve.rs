//! Serving an [`ApiServer`] over TCP (with TLS): connections, body limits, shutdown.

use std::convert::Infallible;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use client::ClientError;
use http_body_util::{BodyExt, Limited};
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::task::JoinSet;

use crate::response::{self, Body};
use crate::server::ApiServer;

/// How long a client may take for the TLS handshake.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// Serves `server` on `listener` until `shutdown` completes; then stops accepting
/// and drops open connections (watches end). With `tls`, every connection is HTTPS.
pub async fn serve(
    server: ApiServer,
    listener: TcpListener,
    tls: Option<Arc<rustls::ServerConfig>>,
    shutdown: impl Future<Output = ()>,
) -> std::io::Result<()> {
    let acceptor = tls.map(tokio_rustls::TlsAcceptor::from);
    let mut connections = JoinSet::new();
    tokio::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            () = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(e) => {
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            // Reap finished connections so the set does not grow.
            Some(_) = connections.join_next(), if !connections.is_empty() => continue,
        };
        let _ = stream.set_nodelay(true);
        let server = server.clone();
        let acceptor = acceptor.clone();
        connections.spawn(async move {
            let service = service_fn(move |request| {
                let server = server.clone();
                async move { Ok::<_, Infallible>(answer(&server, request).await) }
            });
            let http = hyper::server::conn::http1::Builder::new();
            let result = match acceptor {
                Some(acceptor) => {
                    match tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(stream)).await {
                        Ok(Ok(tls)) => http.serve_connection(TokioIo::new(tls), service).await,
                        Ok(Err(e)) => {
                            tracing::debug!(%peer, error = %e, "TLS handshake failed");
                            return;
                        }
                        Err(_) => return,
                    }
                }
                None => http.serve_connection(TokioIo::new(stream), service).await,
            };
            if let Err(e) = result {
                tracing::debug!(%peer, error = %e, "connection ended with an error");
            }
        });
    }
    connections.shutdown().await;
    Ok(())
}

/// Reads the body (at most the server's limit: 413 beyond) and answers.
async fn answer(server: &ApiServer, request: Request<Incoming>) -> Response<Body> {
    let (parts, body) = request.into_parts();
    let limit = server.max_body();
    let declared = parts
        .headers
        .get(hyper::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        return response::error(&too_large(limit));
    }
    let bytes: Bytes = match Limited::new(body, limit).collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(e) if e.is::<http_body_util::LengthLimitError>() => {
            return response::error(&too_large(limit));
        }
        Err(e) => {
            return response::error(&ClientError::bad_request(format!(
                "cannot read the body: {e}"
            )));
        }
    };
    server.handle(Request::from_parts(parts, bytes)).await
}

/// 413 `RequestEntityTooLarge`.
pub(crate) fn too_large(limit: usize) -> ClientError {
    let status = core_types::Status {
        api_version: "v1".into(),
        kind: "Status".into(),
        status: "Failure".into(),
        reason: "RequestEntityTooLarge".into(),
        message: format!("the request body is larger than the limit of {limit} bytes"),
        code: 413,
        ..core_types::Status::default()
    };
    ClientError::Other(Box::new(status))
}
