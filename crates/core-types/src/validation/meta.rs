//! Validation of `metadata`, shared by every kind.

use std::collections::BTreeMap;

use super::names;
use super::{FieldError, FieldPath, ValidationErrors};
use crate::meta::ObjectMeta;
use crate::resource::Scope;

/// Largest total size of all annotations of one object (keys plus values), in bytes.
pub const ANNOTATIONS_MAX_BYTES: usize = 256 * 1024;

/// How a kind's names are checked: most kinds use DNS subdomains, some DNS labels.
pub type NameCheck = fn(&str) -> Vec<String>;

/// Checks `metadata`: name (with `check_name`, required unless `generateName` is set),
/// namespace against the kind's scope, label and annotation keys and values, owner
/// references and finalizers.
pub fn validate_object_meta(
    meta: &ObjectMeta,
    scope: Scope,
    check_name: NameCheck,
    errs: &mut ValidationErrors,
) {
    let path = FieldPath::root("metadata");
    if meta.name.is_empty() {
        if meta.generate_name.is_empty() {
            errs.push(FieldError::required(
                &path.child("name"),
                "name or generateName is required",
            ));
        } else {
            // A generated name is the prefix plus 5 characters; check the prefix as a name
            // without its trailing '-' which is allowed there.
            let prefix = meta.generate_name.trim_end_matches('-');
            if !prefix.is_empty() {
                errs.invalid_all(
                    &path.child("generateName"),
                    &meta.generate_name,
                    check_name(prefix),
                );
            }
        }
    } else {
        errs.invalid_all(&path.child("name"), &meta.name, check_name(&meta.name));
    }
    match scope {
        Scope::Namespaced if !meta.namespace.is_empty() => {
            let p = path.child("namespace");
            errs.invalid_all(&p, &meta.namespace, names::dns1123_label(&meta.namespace));
        }
        Scope::Cluster if !meta.namespace.is_empty() => {
            errs.push(FieldError::forbidden(
                &path.child("namespace"),
                "not allowed on this type: it is cluster-scoped",
            ));
        }
        _ => {}
    }
    validate_labels(&meta.labels, &path.child("labels"), errs);
    validate_annotations(&meta.annotations, &path.child("annotations"), errs);
    for (i, r) in meta.owner_references.iter().enumerate() {
        let p = path.child("ownerReferences").index(i);
        for (field, value) in [
            ("apiVersion", &r.api_version),
            ("kind", &r.kind),
            ("name", &r.name),
            ("uid", &r.uid),
        ] {
            if value.is_empty() {
                errs.push(FieldError::required(&p.child(field), ""));
            }
        }
    }
    if meta
        .owner_references
        .iter()
        .filter(|r| r.controller == Some(true))
        .count()
        > 1
    {
        errs.push(FieldError::invalid(
            &path.child("ownerReferences"),
            "",
            "only one reference can have controller set to true",
        ));
    }
    for (i, f) in meta.finalizers.iter().enumerate() {
        errs.invalid_all(
            &path.child("finalizers").index(i),
            f,
            names::qualified_name(f),
        );
    }
}

/// Checks label keys (qualified names) and values.
pub fn validate_labels(
    labels: &BTreeMap<String, String>,
    path: &FieldPath,
    errs: &mut ValidationErrors,
) {
    for (k, v) in labels {
        errs.invalid_all(path, k, names::qualified_name(k));
        errs.invalid_all(&path.key(k), v, names::label_value(v));
    }
}

/// Checks annotation keys (qualified names) and the total size of all annotations.
pub fn validate_annotations(
    annotations: &BTreeMap<String, String>,
    path: &FieldPath,
    errs: &mut ValidationErrors,
) {
    let mut total = 0;
    for (k, v) in annotations {
        errs.invalid_all(path, k, names::qualified_name(k));
        total += k.len() + v.len();
    }
    if total > ANNOTATIONS_MAX_BYTES {
        errs.push(FieldError::too_long(path, ANNOTATIONS_MAX_BYTES));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_every_problem_with_its_path() {
        let mut meta = ObjectMeta::named("Bad_NS", "Web");
        meta.labels.insert("app".into(), "a b".into());
        meta.labels.insert("-x".into(), "ok".into());
        let mut errs = ValidationErrors::default();
        validate_object_meta(
            &meta,
            Scope::Namespaced,
            names::dns1123_subdomain,
            &mut errs,
        );
        let text: Vec<String> = errs.errors().iter().map(ToString::to_string).collect();
        assert!(
            text.iter()
                .any(|e| e.starts_with("metadata.name: Invalid value: \"Web\"")),
            "{text:?}"
        );
        assert!(
            text.iter()
                .any(|e| e.starts_with("metadata.namespace: Invalid value")),
            "{text:?}"
        );
        assert!(
            text.iter()
                .any(|e| e.starts_with("metadata.labels[app]: Invalid value: \"a b\"")),
            "{text:?}"
        );
        assert!(
            text.iter()
                .any(|e| e.starts_with("metadata.labels: Invalid value: \"-x\"")),
            "{text:?}"
        );
    }

    #[test]
    fn cluster_scoped_kinds_have_no_namespace_and_names_are_required() {
        let mut errs = ValidationErrors::default();
        validate_object_meta(
            &ObjectMeta::named("default", ""),
            Scope::Cluster,
            names::dns1123_label,
            &mut errs,
        );
        let text = errs.to_string();
        assert!(text.contains("metadata.name: Required value"), "{text}");
        assert!(text.contains("metadata.namespace: Forbidden"), "{text}");
    }
}
