//! Syntax checks for label keys and label values (Kubernetes' qualified names and
//! label values), returning a short human reason on failure.

/// Longest allowed name part of a key, and longest label value.
const MAX_NAME_LEN: usize = 63;
/// Longest allowed DNS-1123 subdomain (the optional key prefix).
const MAX_PREFIX_LEN: usize = 253;

/// Checks a label key: `[prefix/]name`, where `prefix` is a DNS-1123 subdomain of at
/// most 253 characters and `name` is at most 63 characters of `[A-Za-z0-9._-]`,
/// starting and ending with an alphanumeric.
pub(crate) fn check_key(key: &str) -> Result<(), String> {
    if key.is_empty() {
        return Err("a key must not be empty".to_owned());
    }
    let (prefix, name) = match key.split_once('/') {
        Some((prefix, name)) => {
            if name.contains('/') {
                return Err("a key may contain at most one '/'".to_owned());
            }
            (Some(prefix), name)
        }
        None => (None, key),
    };
    if let Some(prefix) = prefix {
        if prefix.is_empty() {
            return Err("the prefix before '/' must not be empty".to_owned());
        }
        if prefix.len() > MAX_PREFIX_LEN {
            return Err(format!(
                "the prefix before '/' must be at most {MAX_PREFIX_LEN} characters"
            ));
        }
        if !is_dns1123_subdomain(prefix) {
            return Err(
                "the prefix before '/' must be a DNS-1123 subdomain (lower-case \
                        alphanumerics, '-' and '.', each dot-separated part starting and \
                        ending with an alphanumeric)"
                    .to_owned(),
            );
        }
    }
    if name.is_empty() {
        return Err("the name part of a key must not be empty".to_owned());
    }
    if name.len() > MAX_NAME_LEN {
        return Err(format!(
            "the name part of a key must be at most {MAX_NAME_LEN} characters"
        ));
    }
    if !is_label_word(name) {
        return Err(
            "the name part of a key must consist of alphanumerics, '-', '_' or '.', \
                    starting and ending with an alphanumeric"
                .to_owned(),
        );
    }
    Ok(())
}

/// Checks a label value: empty, or at most 63 characters of `[A-Za-z0-9._-]`
/// starting and ending with an alphanumeric.
pub(crate) fn check_value(value: &str) -> Result<(), String> {
    if value.len() > MAX_NAME_LEN {
        return Err(format!("a value must be at most {MAX_NAME_LEN} characters"));
    }
    if !value.is_empty() && !is_label_word(value) {
        return Err(
            "a value must be empty or consist of alphanumerics, '-', '_' or '.', \
                    starting and ending with an alphanumeric"
                .to_owned(),
        );
    }
    Ok(())
}

/// Non-empty, `[A-Za-z0-9._-]`, alphanumeric at both ends.
fn is_label_word(s: &str) -> bool {
    let bytes = s.as_bytes();
    match (bytes.first(), bytes.last()) {
        (Some(first), Some(last)) => {
            first.is_ascii_alphanumeric()
                && last.is_ascii_alphanumeric()
                && bytes
                    .iter()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
        }
        _ => false,
    }
}

/// Dot-separated parts of `[a-z0-9-]`, each non-empty and lower-case alphanumeric at
/// both ends.
fn is_dns1123_subdomain(s: &str) -> bool {
    s.split('.').all(|part| {
        let bytes = part.as_bytes();
        let alnum = |b: &u8| b.is_ascii_lowercase() || b.is_ascii_digit();
        match (bytes.first(), bytes.last()) {
            (Some(first), Some(last)) => {
                alnum(first) && alnum(last) && bytes.iter().all(|b| alnum(b) || *b == b'-')
            }
            _ => false,
        }
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn keys() {
        let long_name = "a".repeat(63);
        let too_long_name = "a".repeat(64);
        let long_prefix = format!("{}.com/x", "a".repeat(249));
        let too_long_prefix = format!("{}.com/x", "a".repeat(250));
        for ok in [
            "a",
            "A",
            "app",
            "app.kubernetes.io/name",
            "k8s.io/x_Y-z.1",
            "9",
            "a-b_c.d",
            long_name.as_str(),
            long_prefix.as_str(),
            "a-1.b-2/c",
        ] {
            assert_eq!(check_key(ok), Ok(()), "{ok}");
        }
        for (bad, fragment) in [
            ("", "must not be empty"),
            ("/a", "prefix before '/' must not be empty"),
            ("a/", "name part of a key must not be empty"),
            ("a/b/c", "at most one '/'"),
            ("Example.com/a", "DNS-1123"),
            ("ex..com/a", "DNS-1123"),
            ("-ex.com/a", "DNS-1123"),
            ("ex_ample.com/a", "DNS-1123"),
            ("-a", "starting and ending"),
            ("a-", "starting and ending"),
            ("a b", "consist of"),
            ("é", "consist of"),
            (too_long_name.as_str(), "at most 63"),
            (too_long_prefix.as_str(), "at most 253"),
        ] {
            let err = check_key(bad).expect_err(bad);
            assert!(err.contains(fragment), "{bad:?}: {err}");
        }
    }

    #[test]
    fn values() {
        for ok in ["", "a", "1.2.3", "A-b_C", &"v".repeat(63)] {
            assert_eq!(check_value(ok), Ok(()), "{ok}");
        }
        for bad in ["-a", "a.", "a/b", "a b", "ü", "_", &"v".repeat(64)] {
            assert!(check_value(bad).is_err(), "{bad}");
        }
    }
}
