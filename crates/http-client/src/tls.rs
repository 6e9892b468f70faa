//! The rustls client configuration: trusted CAs (or, on request, none checked) and an
//! optional client certificate.

use std::sync::Arc;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject as _;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, RootCertStore, SignatureScheme};

use crate::config::{TlsSettings, parse_certificates};
use crate::error::ConfigError;

/// Where the system's CA bundle usually is (Debian, Ubuntu, Alpine, Arch).
const SYSTEM_BUNDLE: &str = "/etc/ssl/certs/ca-certificates.crt";

/// The client configuration for `settings` (ALPN is set by the connector).
pub(crate) fn client_config(settings: &TlsSettings) -> Result<rustls::ClientConfig, ConfigError> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = rustls::ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()?;
    let builder = if settings.insecure {
        builder
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(AnyCertificate(provider)))
    } else {
        builder.with_root_certificates(roots(settings.ca_pem.as_deref())?)
    };
    Ok(match &settings.identity {
        Some(identity) => {
            let certs = parse_certificates("client-certificate", &identity.cert_pem)?;
            let key = PrivateKeyDer::from_pem_slice(&identity.key_pem)
                .map_err(|e| ConfigError::certificate("client-key", e))?;
            builder.with_client_auth_cert(certs, key)?
        }
        None => builder.with_no_client_auth(),
    })
}

/// The given CAs, or the system's bundle when none are given (no bundle: nothing is
/// trusted, and every handshake fails with an unknown-issuer error).
fn roots(ca_pem: Option<&[u8]>) -> Result<RootCertStore, ConfigError> {
    let mut roots = RootCertStore::empty();
    match ca_pem {
        Some(pem) => {
            for cert in parse_certificates("certificate-authority", pem)? {
                roots
                    .add(cert)
                    .map_err(|e| ConfigError::certificate("certificate-authority", e))?;
            }
        }
        None => {
            let bundle = std::env::var_os("SSL_CERT_FILE").unwrap_or_else(|| SYSTEM_BUNDLE.into());
            if let Ok(pem) = std::fs::read(&bundle) {
                let certs = CertificateDer::pem_slice_iter(&pem).filter_map(Result::ok);
                let _ = roots.add_parsable_certificates(certs);
            }
        }
    }
    Ok(roots)
}

/// `insecure-skip-tls-verify`: any certificate is accepted, but the handshake
/// signatures are still checked (so the peer holds the key of the certificate it sent).
#[derive(Debug)]
struct AnyCertificate(Arc<CryptoProvider>);

impl ServerCertVerifier for AnyCertificate {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}
