//! Checks for names, keys and small values, each returning the list of problems found
//! (empty when valid), so callers can report all of them.

/// Longest DNS-1123 label (names of most namespaced objects' parts, namespaces, ports).
pub const DNS1123_LABEL_MAX: usize = 63;
/// Longest DNS-1123 subdomain (names of most objects).
pub const DNS1123_SUBDOMAIN_MAX: usize = 253;
/// Longest label value, and the name part of a qualified name.
pub const LABEL_VALUE_MAX: usize = 63;

fn is_lower_alnum(c: u8) -> bool {
    c.is_ascii_lowercase() || c.is_ascii_digit()
}

fn too_long(max: usize) -> String {
    format!("must be no more than {max} characters")
}

/// An RFC 1123 label: lower-case letters, digits and `-`, starting and ending with a
/// letter or digit, at most 63 characters (`my-name`, `123-abc`).
pub fn dns1123_label(s: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if s.len() > DNS1123_LABEL_MAX {
        errs.push(too_long(DNS1123_LABEL_MAX));
    }
    if !label_shape(s.as_bytes()) {
        errs.push(
            "an RFC 1123 label may hold only lower-case letters, digits and '-', and must start \
             and end with a letter or digit (for example 'web' or 'web-1')"
                .to_owned(),
        );
    }
    errs
}

fn label_shape(b: &[u8]) -> bool {
    match (b.first(), b.last()) {
        (Some(&f), Some(&l)) => {
            is_lower_alnum(f)
                && is_lower_alnum(l)
                && b.iter().all(|&c| is_lower_alnum(c) || c == b'-')
        }
        _ => false,
    }
}

/// An RFC 1123 subdomain: RFC 1123 labels joined by `.`, at most 253 characters
/// (`example.com`, `web-1`).
pub fn dns1123_subdomain(s: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if s.len() > DNS1123_SUBDOMAIN_MAX {
        errs.push(too_long(DNS1123_SUBDOMAIN_MAX));
    }
    if s.is_empty() || !s.split('.').all(|part| label_shape(part.as_bytes())) {
        errs.push(
            "an RFC 1123 subdomain may hold only lower-case letters, digits, '-' and '.', and \
             must start and end with a letter or digit (for example 'example.com')"
                .to_owned(),
        );
    }
    errs
}

/// An RFC 1035 label: like an RFC 1123 label but starting with a letter (service names).
pub fn dns1035_label(s: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if s.len() > DNS1123_LABEL_MAX {
        errs.push(too_long(DNS1123_LABEL_MAX));
    }
    let ok = label_shape(s.as_bytes()) && s.as_bytes().first().is_some_and(u8::is_ascii_lowercase);
    if !ok {
        errs.push(
            "an RFC 1035 label may hold only lower-case letters, digits and '-', must start \
             with a letter and end with a letter or digit (for example 'web' or 'web-1')"
                .to_owned(),
        );
    }
    errs
}

fn name_part_shape(b: &[u8]) -> bool {
    let alnum = |c: &u8| c.is_ascii_alphanumeric();
    match (b.first(), b.last()) {
        (Some(f), Some(l)) => {
            alnum(f)
                && alnum(l)
                && b.iter()
                    .all(|c| alnum(c) || matches!(c, b'-' | b'_' | b'.'))
        }
        _ => false,
    }
}

/// A qualified name (label and annotation keys): an optional DNS subdomain prefix and
/// `/`, then a name of at most 63 letters, digits, `-`, `_` and `.`, starting and ending
/// with a letter or digit (`app`, `example.com/tier`).
pub fn qualified_name(s: &str) -> Vec<String> {
    let mut errs = Vec::new();
    let (prefix, name) = match s.split_once('/') {
        Some((p, n)) => (Some(p), n),
        None => (None, s),
    };
    if let Some(p) = prefix {
        if p.is_empty() {
            errs.push("the prefix before '/' must not be empty".to_owned());
        } else {
            errs.extend(
                dns1123_subdomain(p)
                    .into_iter()
                    .map(|e| format!("prefix part: {e}")),
            );
        }
    }
    if name.is_empty() {
        errs.push("the name part must not be empty".to_owned());
    } else {
        if name.len() > LABEL_VALUE_MAX {
            errs.push(format!("name part {}", too_long(LABEL_VALUE_MAX)));
        }
        if !name_part_shape(name.as_bytes()) {
            errs.push(
                "the name part may hold only letters, digits, '-', '_' and '.', and must start \
                 and end with a letter or digit (for example 'app' or 'example.com/tier')"
                    .to_owned(),
            );
        }
    }
    errs
}

/// A label value: empty, or at most 63 letters, digits, `-`, `_` and `.`, starting and
/// ending with a letter or digit.
pub fn label_value(s: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if s.is_empty() {
        return errs;
    }
    if s.len() > LABEL_VALUE_MAX {
        errs.push(too_long(LABEL_VALUE_MAX));
    }
    if !name_part_shape(s.as_bytes()) {
        errs.push(
            "a label value must be empty or hold only letters, digits, '-', '_' and '.', \
             starting and ending with a letter or digit"
                .to_owned(),
        );
    }
    errs
}

/// A key of a ConfigMap or Secret: letters, digits, `-`, `_` and `.`, not `.` or `..`,
/// at most 253 characters.
pub fn config_map_key(s: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if s.len() > DNS1123_SUBDOMAIN_MAX {
        errs.push(too_long(DNS1123_SUBDOMAIN_MAX));
    }
    if s.is_empty()
        || !s
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.'))
    {
        errs.push("a key may hold only letters, digits, '-', '_' and '.'".to_owned());
    }
    if s == "." || s == ".." {
        errs.push("must not be '.' or '..'".to_owned());
    }
    errs
}

/// An environment variable name: printable ASCII without `=`, not empty.
pub fn env_var_name(s: &str) -> Vec<String> {
    if !s.is_empty() && s.bytes().all(|c| (b' '..=b'~').contains(&c) && c != b'=') {
        Vec::new()
    } else {
        vec![
            "an environment variable name must be printable ASCII characters other than '='"
                .to_owned(),
        ]
    }
}

/// An IANA service name (named ports): at most 15 lower-case letters, digits and `-`,
/// with at least one letter, no `--`, not starting or ending with `-`.
pub fn port_name(s: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if s.len() > 15 {
        errs.push(too_long(15));
    }
    if !s.bytes().all(|c| is_lower_alnum(c) || c == b'-') {
        errs.push("may hold only lower-case letters, digits and '-'".to_owned());
    }
    if !s.bytes().any(|c| c.is_ascii_lowercase()) {
        errs.push("must hold at least one letter".to_owned());
    }
    if s.contains("--") {
        errs.push("must not hold two '-' in a row".to_owned());
    }
    if s.starts_with('-') || s.ends_with('-') {
        errs.push("must not start or end with '-'".to_owned());
    }
    errs
}

/// A TCP/UDP port number, 1 to 65535.
pub fn port_number(p: i64) -> Vec<String> {
    if (1..=65535).contains(&p) {
        Vec::new()
    } else {
        vec!["must be between 1 and 65535, inclusive".to_owned()]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert!(dns1123_label("web-1").is_empty());
        for bad in ["", "Web", "-web", "web-", "a_b", &"a".repeat(64)] {
            assert!(!dns1123_label(bad).is_empty(), "{bad:?}");
        }
        assert!(dns1123_subdomain("a.example.com").is_empty());
        assert!(!dns1123_subdomain("a..b").is_empty());
        assert!(!dns1035_label("1abc").is_empty());
        assert!(dns1035_label("abc1").is_empty());
    }

    #[test]
    fn keys_and_values() {
        for ok in ["app", "example.com/tier", "A_b.c-D", "kubernetes.io/os"] {
            assert!(qualified_name(ok).is_empty(), "{ok}");
        }
        for bad in [
            "",
            "/a",
            "a/",
            "Example.com/a",
            "a/b/c",
            "-a",
            &"a".repeat(64),
        ] {
            assert!(!qualified_name(bad).is_empty(), "{bad:?}");
        }
        assert!(label_value("").is_empty());
        assert!(label_value("v1.2_3-x").is_empty());
        assert!(!label_value("a b").is_empty());
        assert!(config_map_key("game.properties").is_empty());
        assert!(!config_map_key("..").is_empty());
        assert!(!config_map_key("a/b").is_empty());
        assert!(env_var_name("MY_VAR.1").is_empty());
        assert!(!env_var_name("A=B").is_empty());
        assert!(port_name("http-alt").is_empty());
        assert!(!port_name("8080").is_empty());
        assert!(!port_name("a--b").is_empty());
        assert!(port_number(80).is_empty());
        assert!(!port_number(0).is_empty() && !port_number(65536).is_empty());
    }
}
