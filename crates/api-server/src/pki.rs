//! Security from the first start: a CA and a serving certificate (generated once in
//! the data directory and reused), the admin bearer token, and the admin kubeconfig.

use std::fs;
use std::io::Write as _;
use std::net::{IpAddr, SocketAddr};
use std::os::unix::fs::OpenOptionsExt as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use base64::Engine as _;
use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa,
    Issuer, KeyPair, KeyUsagePurpose,
};
use rustls::pki_types::pem::PemObject as _;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};

/// Why the data directory could not be prepared.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SetupError {
    /// Reading or writing a file failed.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The failure.
        source: std::io::Error,
    },
    /// Generating or reading a certificate or key failed.
    #[error("certificate: {0}")]
    Certificate(String),
    /// Building the TLS configuration failed.
    #[error("TLS: {0}")]
    Tls(#[from] rustls::Error),
}

/// What a server needs to serve securely, and what clients need to reach it.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Credentials {
    /// The TLS configuration (serving certificate and key).
    pub tls: Arc<rustls::ServerConfig>,
    /// The admin bearer token.
    pub token: String,
    /// The CA certificate (PEM) clients trust.
    pub ca_pem: String,
    /// Where the admin kubeconfig was written.
    pub kubeconfig: PathBuf,
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> SetupError + '_ {
    move |source| SetupError::Io {
        path: path.to_owned(),
        source,
    }
}

fn cert_err(e: impl std::fmt::Display) -> SetupError {
    SetupError::Certificate(e.to_string())
}

fn write_file(path: &Path, contents: &[u8], private: bool) -> Result<(), SetupError> {
    let mut options = fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    if private {
        options.mode(0o600);
    }
    let mut file = options.open(path).map_err(io(path))?;
    file.write_all(contents).map_err(io(path))?;
    file.sync_all().map_err(io(path))
}

fn read(path: &Path) -> Result<Option<String>, SetupError> {
    match fs::read_to_string(path) {
        Ok(s) => Ok(Some(s)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(io(path)(e)),
    }
}

/// The CA's parameters: the same on every start, so a CA key read back signs as the
/// CA whose certificate clients hold.
fn ca_params() -> Result<CertificateParams, SetupError> {
    let mut params = CertificateParams::new(Vec::<String>::new()).map_err(cert_err)?;
    let mut dn = DistinguishedName::new();
    dn.push(DnType::CommonName, "orchestra-ca");
    params.distinguished_name = dn;
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    Ok(params)
}

/// The names the serving certificate covers: loopback, localhost, and the listen
/// address when it is a specific one.
fn serving_names(listen: SocketAddr) -> Vec<String> {
    let mut names = vec![
        "localhost".to_owned(),
        "127.0.0.1".to_owned(),
        "::1".to_owned(),
    ];
    let ip = listen.ip();
    if !ip.is_unspecified() && !names.contains(&ip.to_string()) {
        names.push(ip.to_string());
    }
    names
}

/// Prepares `dir` for a server listening on `listen`: creates, on first start, the
/// CA (`pki/ca.crt`, `pki/ca.key`), the serving certificate (`pki/apiserver.crt`,
/// `pki/apiserver.key`, re-issued when the names it must cover change) and the admin
/// token (`admin.token`); writes `kubeconfig` for the admin user on every start.
pub fn prepare_data_dir(dir: &Path, listen: SocketAddr) -> Result<Credentials, SetupError> {
    let pki = dir.join("pki");
    fs::create_dir_all(&pki).map_err(io(&pki))?;
    let (ca_crt, ca_key) = (pki.join("ca.crt"), pki.join("ca.key"));
    let (ca_pem, ca_key_pem) = match (read(&ca_crt)?, read(&ca_key)?) {
        (Some(c), Some(k)) => (c, k),
        _ => {
            let key = KeyPair::generate().map_err(cert_err)?;
            let cert = ca_params()?.self_signed(&key).map_err(cert_err)?;
            write_file(&ca_key, key.serialize_pem().as_bytes(), true)?;
            write_file(&ca_crt, cert.pem().as_bytes(), false)?;
            (cert.pem(), key.serialize_pem())
        }
    };
    let names = serving_names(listen);
    let (crt, key, sans) = (
        pki.join("apiserver.crt"),
        pki.join("apiserver.key"),
        pki.join("apiserver.names"),
    );
    let wanted = names.join("\n");
    let (cert_pem, key_pem) = match (read(&crt)?, read(&key)?, read(&sans)?) {
        (Some(c), Some(k), Some(s)) if s == wanted => (c, k),
        _ => {
            let ca_key = KeyPair::from_pem(&ca_key_pem).map_err(cert_err)?;
            let issuer = Issuer::new(ca_params()?, ca_key);
            let mut params = CertificateParams::new(names).map_err(cert_err)?;
            params
                .distinguished_name
                .push(DnType::CommonName, "orchestra-apiserver");
            params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
            params.key_usages = vec![
                KeyUsagePurpose::DigitalSignature,
                KeyUsagePurpose::KeyEncipherment,
            ];
            let server_key = KeyPair::generate().map_err(cert_err)?;
            let cert = params.signed_by(&server_key, &issuer).map_err(cert_err)?;
            let pem = format!("{}{}", cert.pem(), ca_pem);
            write_file(&key, server_key.serialize_pem().as_bytes(), true)?;
            write_file(&crt, pem.as_bytes(), false)?;
            write_file(&sans, wanted.as_bytes(), false)?;
            (pem, server_key.serialize_pem())
        }
    };
    let tls = tls_config(&cert_pem, &key_pem)?;
    let token_path = dir.join("admin.token");
    let token = match read(&token_path)? {
        Some(t) if !t.trim().is_empty() => t.trim().to_owned(),
        _ => {
            let token = random_token(&tls)?;
            write_file(&token_path, token.as_bytes(), true)?;
            token
        }
    };
    let kubeconfig = dir.join("kubeconfig");
    write_file(
        &kubeconfig,
        kubeconfig_yaml(listen, &ca_pem, &token).as_bytes(),
        true,
    )?;
    Ok(Credentials {
        tls,
        token,
        ca_pem,
        kubeconfig,
    })
}

fn tls_config(cert_pem: &str, key_pem: &str) -> Result<Arc<rustls::ServerConfig>, SetupError> {
    let certs = CertificateDer::pem_slice_iter(cert_pem.as_bytes())
        .collect::<Result<Vec<_>, _>>()
        .map_err(cert_err)?;
    let key = PrivateKeyDer::from_pem_slice(key_pem.as_bytes()).map_err(cert_err)?;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .with_no_client_auth()
        .with_single_cert(certs, key)?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Arc::new(config))
}

fn random_token(tls: &rustls::ServerConfig) -> Result<String, SetupError> {
    let mut bytes = [0u8; 32];
    tls.crypto_provider()
        .secure_random
        .fill(&mut bytes)
        .map_err(|_| SetupError::Certificate("no secure random source".into()))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// The admin kubeconfig for a server on `listen`.
pub fn kubeconfig_yaml(listen: SocketAddr, ca_pem: &str, token: &str) -> String {
    let host = match listen.ip() {
        ip if ip.is_unspecified() => IpAddr::from([127, 0, 0, 1]),
        ip => ip,
    };
    let server = SocketAddr::new(host, listen.port());
    let ca = base64::engine::general_purpose::STANDARD.encode(ca_pem);
    format!(
        "apiVersion: v1\nkind: Config\nclusters:\n- name: orchestra\n  cluster:\n    server: https://{server}\n    certificate-authority-data: {ca}\nusers:\n- name: admin\n  user:\n    token: {token}\ncontexts:\n- name: admin@orchestra\n  context:\n    cluster: orchestra\n    user: admin\n    namespace: default\ncurrent-context: admin@orchestra\npreferences: {{}}\n"
    )
}
