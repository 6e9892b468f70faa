//! Reading a kubeconfig file into a [`Config`]: the context's cluster (server URL,
//! certificate authority, `insecure-skip-tls-verify`) and user (bearer token or token
//! file, client certificate, basic auth), and the context's namespace.

use std::path::{Path, PathBuf};

use base64::Engine as _;
use serde::Deserialize;

use crate::config::{Auth, Config, Identity};
use crate::error::ConfigError;

/// The parts of a kubeconfig this client reads (unknown fields are ignored).
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct Kubeconfig {
    #[serde(default)]
    clusters: Vec<NamedCluster>,
    #[serde(default)]
    users: Vec<NamedUser>,
    #[serde(default)]
    contexts: Vec<NamedContext>,
    #[serde(default)]
    current_context: String,
}

#[derive(Debug, Deserialize)]
struct NamedCluster {
    name: String,
    #[serde(default)]
    cluster: Cluster,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct Cluster {
    #[serde(default)]
    server: String,
    certificate_authority: Option<String>,
    certificate_authority_data: Option<String>,
    #[serde(default)]
    insecure_skip_tls_verify: bool,
}

#[derive(Debug, Deserialize)]
struct NamedUser {
    name: String,
    #[serde(default)]
    user: User,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct User {
    token: Option<String>,
    #[serde(rename = "tokenFile")]
    token_file: Option<String>,
    client_certificate: Option<String>,
    client_certificate_data: Option<String>,
    client_key: Option<String>,
    client_key_data: Option<String>,
    username: Option<String>,
    password: Option<String>,
    exec: Option<serde_yaml_ng::Value>,
    auth_provider: Option<serde_yaml_ng::Value>,
}

#[derive(Debug, Deserialize)]
struct NamedContext {
    name: String,
    #[serde(default)]
    context: Context,
}

#[derive(Debug, Default, Deserialize)]
struct Context {
    #[serde(default)]
    cluster: String,
    #[serde(default)]
    user: String,
    #[serde(default)]
    namespace: String,
}

/// Reads the kubeconfig at `path`; relative file names in it are relative to its
/// directory.
pub(crate) fn load(path: &Path, context: Option<&str>) -> Result<Config, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(ConfigError::io(path))?;
    let dir = path.parent().unwrap_or(Path::new("."));
    parse(&text, dir, context)
}

/// Reads a kubeconfig document; relative file names are relative to `dir`.
pub(crate) fn parse(text: &str, dir: &Path, context: Option<&str>) -> Result<Config, ConfigError> {
    let config: Kubeconfig = serde_yaml_ng::from_str(text)?;
    let context_name = match context {
        Some(name) => name,
        None if config.current_context.is_empty() => return Err(ConfigError::NoCurrentContext),
        None => config.current_context.as_str(),
    };
    let ctx = config
        .contexts
        .iter()
        .find(|c| c.name == context_name)
        .ok_or_else(|| ConfigError::UnknownContext(context_name.to_owned()))?;
    let cluster = config
        .clusters
        .iter()
        .find(|c| c.name == ctx.context.cluster)
        .ok_or_else(|| ConfigError::UnknownCluster(ctx.context.cluster.clone()))?;
    // A context without a user authenticates as nobody; a named user must exist.
    let user = match ctx.context.user.as_str() {
        "" => None,
        name => Some(
            config
                .users
                .iter()
                .find(|u| u.name == name)
                .ok_or_else(|| ConfigError::UnknownUser(name.to_owned()))?,
        ),
    };
    if cluster.cluster.server.trim().is_empty() {
        return Err(ConfigError::MissingServer(cluster.name.clone()));
    }
    let mut out = Config::new(cluster.cluster.server.trim())?;
    let ca = bytes(
        "certificate-authority",
        cluster.cluster.certificate_authority_data.as_deref(),
        cluster.cluster.certificate_authority.as_deref(),
        dir,
    )?;
    if cluster.cluster.insecure_skip_tls_verify {
        if ca.is_some() {
            return Err(ConfigError::InsecureWithCertificateAuthority);
        }
        out = out.insecure_skip_tls_verify();
    }
    if let Some(ca) = ca {
        out = out.certificate_authority_pem(ca)?;
    }
    if let Some(user) = user {
        out = with_user(out, &user.user, dir)?;
    }
    if !ctx.context.namespace.is_empty() {
        out = out.default_namespace(ctx.context.namespace.clone());
    }
    Ok(out)
}

fn with_user(mut out: Config, user: &User, dir: &Path) -> Result<Config, ConfigError> {
    if user.exec.is_some() {
        return Err(ConfigError::UnsupportedAuth(
            "exec credential plugins".into(),
        ));
    }
    if user.auth_provider.is_some() {
        return Err(ConfigError::UnsupportedAuth("auth-provider".into()));
    }
    let token = match (&user.token, &user.token_file) {
        (Some(t), _) if !t.trim().is_empty() => Some(t.trim().to_owned()),
        (_, Some(file)) => {
            let path = resolve(dir, file);
            let text = std::fs::read_to_string(&path).map_err(ConfigError::io(path))?;
            Some(text.trim().to_owned())
        }
        _ => None,
    };
    if let Some(token) = token {
        out.auth = Auth::Bearer(token);
    } else if let Some(username) = &user.username {
        out.auth = Auth::Basic {
            username: username.clone(),
            password: user.password.clone().unwrap_or_default(),
        };
    }
    let cert = bytes(
        "client-certificate",
        user.client_certificate_data.as_deref(),
        user.client_certificate.as_deref(),
        dir,
    )?;
    let key = bytes(
        "client-key",
        user.client_key_data.as_deref(),
        user.client_key.as_deref(),
        dir,
    )?;
    match (cert, key) {
        (Some(cert_pem), Some(key_pem)) => {
            out.tls.identity = Some(Identity { cert_pem, key_pem });
        }
        (None, None) => {}
        (Some(_), None) => {
            return Err(ConfigError::certificate(
                "client-certificate",
                "given without a client-key",
            ));
        }
        (None, Some(_)) => {
            return Err(ConfigError::certificate(
                "client-key",
                "given without a client-certificate",
            ));
        }
    }
    Ok(out)
}

/// The `<what>-data` (base64) or the contents of the file `<what>`; data wins, as in
/// kubectl.
fn bytes(
    what: &str,
    data: Option<&str>,
    file: Option<&str>,
    dir: &Path,
) -> Result<Option<Vec<u8>>, ConfigError> {
    if let Some(data) = data.filter(|d| !d.trim().is_empty()) {
        let compact: String = data.chars().filter(|c| !c.is_whitespace()).collect();
        return base64::engine::general_purpose::STANDARD
            .decode(compact)
            .map(Some)
            .map_err(|e| ConfigError::certificate(&format!("{what}-data"), e));
    }
    match file.filter(|f| !f.trim().is_empty()) {
        Some(file) => {
            let path = resolve(dir, file);
            std::fs::read(&path)
                .map(Some)
                .map_err(ConfigError::io(path))
        }
        None => Ok(None),
    }
}

fn resolve(dir: &Path, file: &str) -> PathBuf {
    let path = Path::new(file);
    if path.is_absolute() {
        path.to_owned()
    } else {
        dir.join(path)
    }
}

#[cfg(test)]
mod tests;
