use std::path::Path;

use base64::Engine as _;

use super::*;

/// A freshly generated self-signed CA certificate (PEM).
fn ca() -> String {
    let key = rcgen::KeyPair::generate().unwrap();
    let mut params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
    params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    params.self_signed(&key).unwrap().pem()
}

fn config(extra_cluster: &str, user: &str) -> String {
    format!(
        "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: https://10.0.0.1:6443/\n{extra_cluster}users:\n- name: u\n  user:\n{user}contexts:\n- name: ctx\n  context:\n    cluster: c\n    user: u\n    namespace: team\n- name: other\n  context:\n    cluster: missing\n    user: u\ncurrent-context: ctx\n"
    )
}

fn parse_here(text: &str) -> Result<Config, ConfigError> {
    parse(text, Path::new("/nonexistent"), None)
}

#[test]
fn reads_server_ca_data_token_and_namespace() {
    let pem = ca();
    let ca = base64::engine::general_purpose::STANDARD.encode(&pem);
    let text = config(
        &format!("    certificate-authority-data: {ca}\n"),
        "    token: abc\n",
    );
    let c = parse_here(&text).unwrap();
    assert_eq!(c.server(), "https://10.0.0.1:6443");
    assert_eq!(c.namespace(), "team");
    assert!(c.auth == Auth::Bearer("abc".into()));
    assert_eq!(c.tls.ca_pem.as_deref(), Some(pem.as_bytes()));
    assert!(!c.tls.insecure);
}

#[test]
fn reads_files_relative_to_the_kubeconfig() {
    let dir = tempfile::tempdir().unwrap();
    let pem = ca();
    std::fs::write(dir.path().join("ca.crt"), &pem).unwrap();
    std::fs::write(dir.path().join("token"), "from-file\n").unwrap();
    let text = config(
        "    certificate-authority: ca.crt\n",
        "    tokenFile: token\n",
    );
    let path = dir.path().join("config");
    std::fs::write(&path, text).unwrap();
    let c = load(&path, None).unwrap();
    assert!(c.auth == Auth::Bearer("from-file".into()));
    assert_eq!(c.tls.ca_pem.as_deref(), Some(pem.as_bytes()));
}

#[test]
fn insecure_skip_tls_verify() {
    let c = parse_here(&config(
        "    insecure-skip-tls-verify: true\n",
        "    username: a\n    password: b\n",
    ))
    .unwrap();
    assert!(c.tls.insecure);
    assert!(
        c.auth
            == Auth::Basic {
                username: "a".into(),
                password: "b".into()
            }
    );
    let c = parse_here(&config(
        "    insecure-skip-tls-verify: false\n",
        "    token: t\n",
    ))
    .unwrap();
    assert!(!c.tls.insecure);
    let pem = ca();
    let ca = base64::engine::general_purpose::STANDARD.encode(&pem);
    let both = config(
        &format!("    insecure-skip-tls-verify: true\n    certificate-authority-data: {ca}\n"),
        "    token: t\n",
    );
    assert!(matches!(
        parse_here(&both),
        Err(ConfigError::InsecureWithCertificateAuthority)
    ));
}

#[test]
fn bad_documents_are_typed_errors() {
    assert!(matches!(
        parse_here("clusters: [1, 2"),
        Err(ConfigError::Yaml(_))
    ));
    assert!(matches!(
        parse_here("kind: Config\n"),
        Err(ConfigError::NoCurrentContext)
    ));
    assert!(matches!(
        parse(&config("", "    token: t\n"), Path::new("."), Some("nope")),
        Err(ConfigError::UnknownContext(name)) if name == "nope"
    ));
    assert!(matches!(
        parse(&config("", "    token: t\n"), Path::new("."), Some("other")),
        Err(ConfigError::UnknownCluster(name)) if name == "missing"
    ));
    let no_server =
        config("", "    token: t\n").replace("server: https://10.0.0.1:6443/", "server: \"\"");
    assert!(matches!(parse_here(&no_server), Err(ConfigError::MissingServer(c)) if c == "c"));
    let relative = config("", "    token: t\n").replace("https://10.0.0.1:6443/", "10.0.0.1:6443");
    assert!(matches!(
        parse_here(&relative),
        Err(ConfigError::InvalidServer { .. })
    ));
    let bad_ca = config("    certificate-authority-data: '%%%'\n", "    token: t\n");
    assert!(matches!(
        parse_here(&bad_ca),
        Err(ConfigError::Certificate { .. })
    ));
    let not_pem = base64::engine::general_purpose::STANDARD.encode("not a certificate");
    let bad_ca = config(
        &format!("    certificate-authority-data: {not_pem}\n"),
        "    token: t\n",
    );
    assert!(matches!(
        parse_here(&bad_ca),
        Err(ConfigError::Certificate { .. })
    ));
    let missing_file = config("    certificate-authority: nowhere.crt\n", "    token: t\n");
    assert!(matches!(
        parse_here(&missing_file),
        Err(ConfigError::Io { .. })
    ));
    let exec = config("", "    exec:\n      command: aws\n");
    assert!(matches!(
        parse_here(&exec),
        Err(ConfigError::UnsupportedAuth(_))
    ));
    let half = config("", "    client-certificate-data: YQ==\n");
    assert!(matches!(
        parse_here(&half),
        Err(ConfigError::Certificate { .. })
    ));
    assert!(matches!(
        load(Path::new("/nonexistent/kubeconfig"), None),
        Err(ConfigError::Io { .. })
    ));
}
