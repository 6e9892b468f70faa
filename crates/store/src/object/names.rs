//! Server-assigned identities: uids and generated names.

/// Characters of a generated name suffix: lower-case consonants and digits without
/// look-alikes, so that random suffixes do not spell words (a subset of `[a-z0-9]`).
const SUFFIX_ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";

/// Length of a generated name suffix.
pub(crate) const SUFFIX_LEN: usize = 5;

/// Longest name a generated name may have (a DNS label).
const MAX_GENERATED_NAME: usize = 63;

/// A fresh uid: a random (version 4) UUID.
pub(crate) fn new_uid() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// `prefix` plus a random suffix; the prefix is cut so the name fits a DNS label.
pub(crate) fn generate_name(prefix: &str) -> String {
    let keep = MAX_GENERATED_NAME - SUFFIX_LEN;
    let mut cut = prefix.len().min(keep);
    while !prefix.is_char_boundary(cut) {
        cut -= 1;
    }
    let mut name = String::with_capacity(cut + SUFFIX_LEN);
    name.push_str(&prefix[..cut]);
    for _ in 0..SUFFIX_LEN {
        let i = fastrand::usize(..SUFFIX_ALPHABET.len());
        name.push(char::from(SUFFIX_ALPHABET[i]));
    }
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_names_fit_and_differ() {
        let a = generate_name("web-");
        assert!(a.starts_with("web-") && a.len() == 4 + SUFFIX_LEN, "{a}");
        assert!(a[4..].bytes().all(|b| SUFFIX_ALPHABET.contains(&b)));
        let long = generate_name(&"x".repeat(100));
        assert_eq!(long.len(), MAX_GENERATED_NAME);
        let multibyte = generate_name(&"é".repeat(40));
        assert!(multibyte.len() <= MAX_GENERATED_NAME);
        let names: std::collections::HashSet<_> = (0..100).map(|_| generate_name("p-")).collect();
        assert!(names.len() > 95);
        let uid = new_uid();
        assert_eq!(uid.len(), 36);
        assert_eq!(uid.as_bytes()[14], b'4');
        assert_ne!(uid, new_uid());
    }
}
