//! Container image references, as far as defaulting needs them: the tag decides the
//! default pull policy.
//!
//! The reference is checked with the grammar Kubernetes uses (the `distribution`
//! reference format, after Docker's normalization of short names), because Kubernetes
//! falls back to `IfNotPresent` for any reference it cannot parse, an empty one included.

/// The pull policy given to a container (or image volume) whose policy is empty:
/// `Always` when the tag is `latest` or there is neither tag nor digest (an implicit
/// `latest`), `IfNotPresent` otherwise, including digests (`@sha256:...`) and references
/// that do not parse.
pub(super) fn default_pull_policy(image: &str) -> &'static str {
    match parse(image) {
        Some(Parsed {
            tag: Some("latest"),
            ..
        })
        | Some(Parsed {
            tag: None,
            digest: false,
        }) => "Always",
        _ => "IfNotPresent",
    }
}

/// What defaulting needs from a valid reference.
struct Parsed<'a> {
    /// The explicit tag, if any.
    tag: Option<&'a str>,
    /// Whether a digest is given.
    digest: bool,
}

/// Longest name (domain and path, after normalization) a reference may have.
const NAME_MAX: usize = 255;

/// Parses `name[:tag][@digest]`, or `None` if Kubernetes would fail to.
fn parse(image: &str) -> Option<Parsed<'_>> {
    // A bare 64-hex string looks like an image ID and is refused as a name.
    if image.len() == 64
        && image
            .bytes()
            .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
    {
        return None;
    }
    let (rest, digest) = match image.split_once('@') {
        Some((rest, digest)) => (rest, Some(digest)),
        None => (image, None),
    };
    if digest.is_some_and(|d| !valid_digest(d)) {
        return None;
    }
    // A `:` after the last `/` starts the tag; one before it belongs to a registry port.
    let (name, tag) = match rest.rfind(':') {
        Some(i) if !rest[i + 1..].contains('/') => (&rest[..i], Some(&rest[i + 1..])),
        _ => (rest, None),
    };
    if tag.is_some_and(|t| !valid_tag(t)) || !valid_name(name) {
        return None;
    }
    Some(Parsed {
        tag,
        digest: digest.is_some(),
    })
}

/// A repository name, normalized as Docker does: `nginx` is `docker.io/library/nginx`,
/// `user/app` is `docker.io/user/app`; a first component with a `.` or `:`, `localhost`,
/// or one with upper-case letters is a registry.
fn valid_name(name: &str) -> bool {
    let (domain, path) = match name.split_once('/') {
        Some((first, rest))
            if first.contains(['.', ':'])
                || first == "localhost"
                || first.bytes().any(|b| b.is_ascii_uppercase()) =>
        {
            (first, rest)
        }
        _ => ("docker.io", name),
    };
    let library = if path.contains('/') {
        0
    } else {
        "library/".len()
    };
    domain.len() + 1 + library + path.len() <= NAME_MAX
        && valid_domain(domain)
        && path.split('/').all(valid_path_component)
}

/// `host[:port]`, the host being a DNS name, an IPv4 address or `[IPv6]`.
fn valid_domain(domain: &str) -> bool {
    let (host, port) = match domain.rsplit_once(':') {
        Some((host, port)) if !port.contains(']') => (host, Some(port)),
        _ => (domain, None),
    };
    if port.is_some_and(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit())) {
        return false;
    }
    if let Some(v6) = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        return !v6.is_empty() && v6.bytes().all(|b| b == b':' || b.is_ascii_hexdigit());
    }
    host.split('.').all(|label| {
        let b = label.as_bytes();
        !b.is_empty()
            && b.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'-')
            && b.first().is_some_and(u8::is_ascii_alphanumeric)
            && b.last().is_some_and(u8::is_ascii_alphanumeric)
    })
}

/// Lower-case alphanumeric runs joined by `.`, `_`, `__` or one or more `-`.
fn valid_path_component(component: &str) -> bool {
    let alnum = |b: &u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    let bytes = component.as_bytes();
    if !bytes.first().is_some_and(alnum) || !bytes.last().is_some_and(alnum) {
        return false;
    }
    component
        .split(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
        .all(|sep| {
            sep.is_empty()
                || sep == "."
                || sep == "_"
                || sep == "__"
                || sep.bytes().all(|b| b == b'-')
        })
}

/// A word character, then up to 127 word characters, `.` or `-`.
fn valid_tag(tag: &str) -> bool {
    let word = |b: &u8| b.is_ascii_alphanumeric() || *b == b'_';
    let bytes = tag.as_bytes();
    bytes.len() <= 128
        && bytes.first().is_some_and(word)
        && bytes.iter().all(|b| word(b) || *b == b'.' || *b == b'-')
}

/// `algorithm:hex` with an algorithm Kubernetes can verify and its exact length of
/// lower-case hex digits.
fn valid_digest(digest: &str) -> bool {
    let Some((algorithm, hex)) = digest.split_once(':') else {
        return false;
    };
    let len = match algorithm {
        "sha256" => 64,
        "sha384" => 96,
        "sha512" => 128,
        _ => return false,
    };
    hex.len() == len && hex.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

#[cfg(test)]
mod tests {
    use super::default_pull_policy;

    const SHA: &str = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    #[test]
    fn latest_or_no_tag_is_always() {
        for image in [
            "nginx",
            "nginx:latest",
            "library/nginx",
            "docker.io/library/nginx:latest",
            "registry.example.com:5000/team/app",
            "localhost/app",
            "[::1]:5000/app",
            "gcr.io/google-samples/gb-frontend",
            "my_app__x.y-z---w",
            &format!("nginx:latest@{SHA}"),
        ] {
            assert_eq!(default_pull_policy(image), "Always", "{image}");
        }
    }

    #[test]
    fn tag_digest_or_invalid_is_if_not_present() {
        for image in [
            "nginx:1.27",
            "nginx:Latest",
            "localhost:5000",
            "registry.example.com:5000/team/app:v2",
            &format!("nginx@{SHA}"),
            &format!("nginx:1.0@{SHA}"),
            // Invalid references: Kubernetes cannot parse them and does not pull always.
            "",
            "Nginx",
            "nginx:",
            "nginx:-bad",
            "nginx@sha256:abc",
            "nginx@md5:0123456789abcdef0123456789abcdef",
            &format!("nginx@{}", SHA.to_uppercase().replace("SHA", "sha")),
            "bad..name",
            "bad-/name",
            "/nginx",
            "nginx/",
            "registry.example.com:/app",
            "-registry.com/app",
            "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
            &"a".repeat(260),
            "nginx:😀",
        ] {
            assert_eq!(default_pull_policy(image), "IfNotPresent", "{image}");
        }
    }
}
