//! Small checks shared by the per-kind validators: enums, ranges, IPs, percentages,
//! label selectors, resource names, paths and base64.

use std::collections::BTreeMap;
use std::net::IpAddr;

use super::{FieldError, FieldPath, ValidationErrors, names, validate_labels};
use crate::IntOrString;
use crate::quantity::Quantity;
use crate::selector::LabelSelector;

/// An enum-like string that must be set and be one of `allowed`.
///
/// Empty is `Required`: after defaulting, such fields are either always filled or truly
/// required.
pub(crate) fn enum_required(
    value: &str,
    allowed: &[&str],
    path: &FieldPath,
    errs: &mut ValidationErrors,
) {
    if value.is_empty() {
        errs.push(FieldError::required(path, ""));
    } else if !allowed.contains(&value) {
        errs.push(FieldError::not_supported(path, value, allowed));
    }
}

/// An optional enum-like string: checked only when set (non-empty).
pub(crate) fn enum_optional(
    value: &str,
    allowed: &[&str],
    path: &FieldPath,
    errs: &mut ValidationErrors,
) {
    if !value.is_empty() && !allowed.contains(&value) {
        errs.push(FieldError::not_supported(path, value, allowed));
    }
}

/// An optional (pointer) enum-like string: when present it must be one of `allowed`.
pub(crate) fn enum_option(
    value: Option<&String>,
    allowed: &[&str],
    path: &FieldPath,
    errs: &mut ValidationErrors,
) {
    if let Some(v) = value {
        if !allowed.contains(&v.as_str()) {
            errs.push(FieldError::not_supported(path, v, allowed));
        }
    }
}

/// Pushes `Required` when `value` is empty; returns true when it is set.
pub(crate) fn required(value: &str, path: &FieldPath, errs: &mut ValidationErrors) -> bool {
    if value.is_empty() {
        errs.push(FieldError::required(path, ""));
        false
    } else {
        true
    }
}

/// A required name checked with `check` (for example a DNS label).
pub(crate) fn required_name(
    value: &str,
    check: fn(&str) -> Vec<String>,
    path: &FieldPath,
    errs: &mut ValidationErrors,
) {
    if required(value, path, errs) {
        errs.invalid_all(path, value, check(value));
    }
}

/// An optional name checked with `check` only when set.
pub(crate) fn optional_name(
    value: &str,
    check: fn(&str) -> Vec<String>,
    path: &FieldPath,
    errs: &mut ValidationErrors,
) {
    if !value.is_empty() {
        errs.invalid_all(path, value, check(value));
    }
}

/// `value >= 0`.
pub(crate) fn non_negative(value: i64, path: &FieldPath, errs: &mut ValidationErrors) {
    if value < 0 {
        errs.push(FieldError::invalid(
            path,
            value,
            "must be greater than or equal to 0",
        ));
    }
}

/// `value > 0`.
pub(crate) fn positive(value: i64, path: &FieldPath, errs: &mut ValidationErrors) {
    if value <= 0 {
        errs.push(FieldError::invalid(path, value, "must be greater than 0"));
    }
}

/// `min <= value <= max`.
pub(crate) fn in_range(
    value: i64,
    min: i64,
    max: i64,
    path: &FieldPath,
    errs: &mut ValidationErrors,
) {
    if value < min || value > max {
        errs.push(FieldError::invalid(
            path,
            value,
            format!("must be between {min} and {max}, inclusive"),
        ));
    }
}

/// Counts the sources set in a "one of" group and reports none (`Required` on `path`,
/// "must specify {what}") or several (`Forbidden` on each extra one). `set` lists
/// `(wire name, present)`.
pub(crate) fn exactly_one(
    set: &[(&str, bool)],
    what: &str,
    path: &FieldPath,
    errs: &mut ValidationErrors,
) {
    let mut present = set.iter().filter(|(_, p)| *p).map(|(n, _)| *n);
    match present.next() {
        None => errs.push(FieldError::required(path, format!("must specify {what}"))),
        Some(first) => {
            for extra in present {
                errs.push(FieldError::forbidden(
                    &path.child(extra),
                    format!("may not be set together with `{first}`: specify only one"),
                ));
            }
        }
    }
}

/// An IP address (v4 or v6).
pub(crate) fn is_ip(s: &str) -> bool {
    s.parse::<IpAddr>().is_ok()
}

/// A required IP address.
pub(crate) fn ip(value: &str, path: &FieldPath, errs: &mut ValidationErrors) {
    if required(value, path, errs) && !is_ip(value) {
        errs.push(FieldError::invalid(
            path,
            value,
            "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)",
        ));
    }
}

/// A CIDR such as `10.0.0.0/8` or `fd00::/64`.
pub(crate) fn is_cidr(s: &str) -> bool {
    let Some((addr, bits)) = s.split_once('/') else {
        return false;
    };
    let Ok(bits) = bits.parse::<u8>() else {
        return false;
    };
    match addr.parse::<IpAddr>() {
        Ok(IpAddr::V4(_)) => bits <= 32,
        Ok(IpAddr::V6(_)) => bits <= 128,
        Err(_) => false,
    }
}

/// A required CIDR.
pub(crate) fn cidr(value: &str, path: &FieldPath, errs: &mut ValidationErrors) {
    if required(value, path, errs) && !is_cidr(value) {
        errs.push(FieldError::invalid(
            path,
            value,
            "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)",
        ));
    }
}

/// The number in a percentage string like `25%`, if it is one.
pub(crate) fn percent(s: &str) -> Option<i64> {
    let digits = s.strip_suffix('%')?;
    if digits.is_empty() || !digits.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    Some(digits.parse::<i64>().unwrap_or(i64::MAX))
}

/// A non-negative integer or a percentage (`maxSurge`, `minAvailable`, ...); with
/// `at_most_100`, a percentage may not exceed 100%.
pub(crate) fn int_or_percent(
    v: &IntOrString,
    at_most_100: bool,
    path: &FieldPath,
    errs: &mut ValidationErrors,
) {
    match v {
        IntOrString::Int(i) => non_negative(i64::from(*i), path, errs),
        IntOrString::String(s) => match percent(s) {
            None => errs.push(FieldError::invalid(
                path,
                s,
                "must be an integer or a percentage: digits followed by '%' (e.g. '25%')",
            )),
            Some(p) if at_most_100 && p > 100 => {
                errs.push(FieldError::invalid(
                    path,
                    s,
                    "must not be greater than 100%",
                ));
            }
            Some(_) => {}
        },
    }
}

/// The integer or percentage number of an [`IntOrString`], 0 when it is neither.
pub(crate) fn int_or_percent_value(v: &IntOrString) -> i64 {
    match v {
        IntOrString::Int(i) => i64::from(*i),
        IntOrString::String(s) => percent(s).unwrap_or(0),
    }
}

/// A port given as a number (1-65535) or an IANA port name.
pub(crate) fn port_number_or_name(v: &IntOrString, path: &FieldPath, errs: &mut ValidationErrors) {
    match v {
        IntOrString::Int(i) => {
            errs.invalid_all(path, &i.to_string(), names::port_number(i64::from(*i)))
        }
        IntOrString::String(s) if s.is_empty() => errs.push(FieldError::required(path, "")),
        IntOrString::String(s) => errs.invalid_all(path, s, names::port_name(s)),
    }
}

/// Labels rendered as `k=v,k2=v2` for error messages.
pub(crate) fn labels_text(labels: &BTreeMap<String, String>) -> String {
    labels
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(",")
}

/// Checks a label selector's keys, values and operators, each error at its path.
pub(crate) fn label_selector(sel: &LabelSelector, path: &FieldPath, errs: &mut ValidationErrors) {
    validate_labels(&sel.match_labels, &path.child("matchLabels"), errs);
    for (i, expr) in sel.match_expressions.iter().enumerate() {
        let p = path.child("matchExpressions").index(i);
        let values = p.child("values");
        match expr.operator.as_str() {
            "In" | "NotIn" if expr.values.is_empty() => errs.push(FieldError::required(
                &values,
                "must be specified when `operator` is 'In' or 'NotIn'",
            )),
            "Exists" | "DoesNotExist" if !expr.values.is_empty() => {
                errs.push(FieldError::forbidden(
                    &values,
                    "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
                ))
            }
            "In" | "NotIn" | "Exists" | "DoesNotExist" => {}
            "" => errs.push(FieldError::required(&p.child("operator"), "")),
            other => errs.push(FieldError::not_supported(
                &p.child("operator"),
                other,
                &["In", "NotIn", "Exists", "DoesNotExist"],
            )),
        }
        required_name(&expr.key, names::qualified_name, &p.child("key"), errs);
        for (j, v) in expr.values.iter().enumerate() {
            errs.invalid_all(&values.index(j), v, names::label_value(v));
        }
    }
}

/// Checks a workload selector against its pod template's labels; reports a mismatch on
/// the template labels' path. Invalid selectors are reported by [`label_selector`].
pub(crate) fn selector_matches_template(
    sel: &LabelSelector,
    labels: &BTreeMap<String, String>,
    labels_path: &FieldPath,
    errs: &mut ValidationErrors,
) {
    if let Ok(compiled) = sel.to_selector() {
        if !compiled.is_empty() && !compiled.matches(labels) {
            errs.push(FieldError::invalid(
                labels_path,
                labels_text(labels),
                "selector does not match template labels",
            ));
        }
    }
}

/// A name that is one path segment of a URL: not `.` or `..`, no `/` or `%`
/// (RBAC names such as `system:controller:job-controller`, HPA targets).
pub(crate) fn path_segment_name(s: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if s == "." || s == ".." {
        errs.push(format!("may not be '{s}'"));
    }
    for c in ['/', '%'] {
        if s.contains(c) {
            errs.push(format!("may not contain '{c}'"));
        }
    }
    errs
}

/// A relative path that stays inside its base: not absolute, no `..` element.
pub(crate) fn local_descending_path(p: &str, path: &FieldPath, errs: &mut ValidationErrors) {
    if p.starts_with('/') {
        errs.push(FieldError::invalid(path, p, "must be a relative path"));
    }
    if p.split(['/', '\\']).any(|part| part == "..") {
        errs.push(FieldError::invalid(path, p, "must not contain '..'"));
    }
}

/// A file mode, 0 to 0777 (octal).
pub(crate) fn file_mode(mode: Option<i32>, path: &FieldPath, errs: &mut ValidationErrors) {
    if let Some(m) = mode {
        if !(0..=0o777).contains(&m) {
            errs.push(FieldError::invalid(
                path,
                m,
                "must be a number between 0 and 0777 (octal), both inclusive",
            ));
        }
    }
}

/// A quantity that must not be negative.
pub(crate) fn quantity_non_negative(q: &Quantity, path: &FieldPath, errs: &mut ValidationErrors) {
    if q.nanos() < 0 {
        errs.push(FieldError::invalid(
            path,
            q,
            "must be greater than or equal to 0",
        ));
    }
}

/// Resource names with a fixed meaning in containers.
const STANDARD_CONTAINER_RESOURCES: &[&str] = &["cpu", "memory", "ephemeral-storage"];

/// True for resources Kubernetes itself defines (no prefix, or a `kubernetes.io/` prefix).
pub(crate) fn is_native_resource(name: &str) -> bool {
    !name.contains('/') || name.contains("kubernetes.io/")
}

/// Checks a resource name of a container's `requests`/`limits` (or pod overhead): a
/// standard name (`cpu`, `memory`, `ephemeral-storage`, `hugepages-<size>`) or an
/// extended resource `example.com/gpu`.
pub(crate) fn container_resource_name(name: &str, path: &FieldPath, errs: &mut ValidationErrors) {
    let problems = names::qualified_name(name);
    if !problems.is_empty() {
        errs.invalid_all(path, name, problems);
        return;
    }
    if !name.contains('/') {
        let hugepages = name
            .strip_prefix("hugepages-")
            .is_some_and(|size| size.parse::<Quantity>().is_ok());
        if !STANDARD_CONTAINER_RESOURCES.contains(&name) && !hugepages {
            errs.push(FieldError::invalid(
                path,
                name,
                "must be a standard resource for containers",
            ));
        }
    } else if !is_native_resource(name) && name.starts_with("requests.") {
        errs.push(FieldError::invalid(
            path,
            name,
            "doesn't follow extended resource name standard",
        ));
    }
}

/// The length of the bytes that standard base64 text (with padding) decodes to, or
/// `None` if the text is not valid base64.
pub(crate) fn base64_len(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    if b.len() % 4 != 0 {
        return None;
    }
    let pad = b.iter().rev().take_while(|&&c| c == b'=').count();
    if pad > 2 {
        return None;
    }
    let body = &b[..b.len() - pad];
    let ok = body
        .iter()
        .all(|&c| c.is_ascii_alphanumeric() || c == b'+' || c == b'/');
    ok.then(|| b.len() / 4 * 3 - pad)
}

/// A DNS subdomain, or one prefixed with `*.` (Ingress hosts, TLS hosts).
pub(crate) fn wildcard_or_subdomain(host: &str) -> Vec<String> {
    match host.strip_prefix("*.") {
        Some(rest) => names::dns1123_subdomain(rest),
        None if host.contains('*') => vec![
            "a wildcard DNS name must start with '*.' followed by a DNS subdomain (e.g. '*.example.com')"
                .to_owned(),
        ],
        None => names::dns1123_subdomain(host),
    }
}

/// An HTTP header name: one or more token characters.
pub(crate) fn http_header_name(s: &str) -> Vec<String> {
    let token = |c: u8| c.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&c);
    if !s.is_empty() && s.bytes().all(token) {
        Vec::new()
    } else {
        vec![
            "a valid HTTP header name must consist of alphanumerics and !#$%&'*+-.^_`|~".to_owned(),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn helpers() {
        assert_eq!(base64_len("aGVsbG8="), Some(5));
        assert_eq!(base64_len(""), Some(0));
        assert_eq!(base64_len("aGVsbG8"), None);
        assert_eq!(base64_len("a*==aaaa"), None);
        assert!(is_cidr("10.0.0.0/8") && is_cidr("fd00::/64"));
        assert!(!is_cidr("10.0.0.0/33") && !is_cidr("10.0.0.0"));
        assert_eq!(percent("25%"), Some(25));
        assert_eq!(percent("%"), None);
        assert_eq!(percent("2.5%"), None);
        assert!(path_segment_name("system:node").is_empty());
        assert_eq!(path_segment_name("a/b").len(), 1);
        assert!(wildcard_or_subdomain("*.example.com").is_empty());
        assert!(!wildcard_or_subdomain("a.*.com").is_empty());
        assert!(http_header_name("X-Custom-Header").is_empty());
        assert!(!http_header_name("bad header").is_empty());
    }
}
