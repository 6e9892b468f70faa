//! Server-side apply (`kubectl apply --server-side`, PATCH with
//! `application/apply-patch+yaml`): each field manager owns the fields of the
//! configuration it last applied, recorded in `metadata.managedFields` (operation
//! `Apply`, `FieldsV1`).
//!
//! Applying configuration `A` as manager `M` to the live object `L`:
//! 1. `F` = the fields `A` sets ([`fieldset::of_applied`]).
//! 2. Conflicts: a leaf of `F` that another manager owns and whose value in `A`
//!    differs from `L`'s. Without `force` they are refused (409 with one cause per
//!    field); with it, the other managers lose those fields.
//! 3. Fields `M` applied before but not in `F`, and owned by no other manager, are
//!    removed from `L`.
//! 4. `A` is merged into `L` with the strategic merge (lists with a merge key merge
//!    item by item, other lists are replaced), and `M`'s entry becomes `F`.
//!
//! Approximations of Kubernetes' structured-merge-diff, which works from the
//! OpenAPI schema: list items are keyed by the strategic merge key alone (one field,
//! e.g. `ports` by `port`, where Kubernetes keys by port and protocol); lists without
//! a merge key are atomic (no `v:` sets of scalars); writes other than apply (create,
//! update, patch) do not record `Update` entries, so only appliers conflict; an
//! entry's `apiVersion` is the applied one, with no conversion between versions.

mod fieldset;

use client::ClientError;
use core_types::{ManagedFieldsEntry, StatusCause, Time};
use serde_json::{Map, Value};

/// An apply request: who applies what.
pub(crate) struct Apply<'a> {
    /// The field manager (`fieldManager` query parameter).
    pub(crate) manager: &'a str,
    /// Take fields other managers own (`force=true`).
    pub(crate) force: bool,
    /// The applied configuration.
    pub(crate) config: &'a Value,
}

/// A conflict: the field, and the manager owning it.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Conflict {
    /// The field, dotted (`.spec.replicas`).
    pub(crate) field: String,
    /// The manager owning it.
    pub(crate) manager: String,
    /// The API version the manager applied with.
    pub(crate) api_version: String,
}

impl Conflict {
    /// The conflicts as Kubernetes reports them: a message and one cause per field.
    pub(crate) fn into_error(conflicts: &[Conflict]) -> ClientError {
        let lines: Vec<String> = conflicts
            .iter()
            .map(|c| {
                format!(
                    "conflict with {:?} using {}: {}",
                    c.manager, c.api_version, c.field
                )
            })
            .collect();
        let causes = conflicts
            .iter()
            .map(|c| StatusCause {
                reason: "FieldManagerConflict".into(),
                message: format!("conflict with {:?}", c.manager),
                field: c.field.clone(),
            })
            .collect();
        let details = core_types::StatusDetails {
            causes,
            ..Default::default()
        };
        ClientError::Conflict {
            message: format!(
                "Apply failed with {} conflict{}: {}",
                conflicts.len(),
                if conflicts.len() == 1 { "" } else { "s" },
                lines.join(", ")
            ),
            current_resource_version: None,
            details: Some(Box::new(details)),
        }
    }
}

fn set_of(entry: &ManagedFieldsEntry) -> Map<String, Value> {
    match &entry.fields_v1 {
        Some(Value::Object(m)) => m.clone(),
        _ => Map::new(),
    }
}

fn is_mine(entry: &ManagedFieldsEntry, manager: &str) -> bool {
    entry.manager == manager && entry.operation == "Apply" && entry.subresource.is_empty()
}

/// The managed-fields entry of `manager` for `fields`.
fn entry(manager: &str, api_version: &str, fields: Map<String, Value>) -> ManagedFieldsEntry {
    ManagedFieldsEntry {
        manager: manager.to_owned(),
        operation: "Apply".into(),
        api_version: api_version.to_owned(),
        time: Some(Time::now()),
        fields_type: "FieldsV1".into(),
        fields_v1: Some(Value::Object(fields)),
        subresource: String::new(),
    }
}

/// The object to create when nothing exists yet: the configuration, and its
/// manager's entry.
pub(crate) fn create(apply: &Apply<'_>, api_version: &str) -> (Value, Vec<ManagedFieldsEntry>) {
    let fields = fieldset::of_applied(apply.config);
    let mut object = apply.config.clone();
    strip_server_fields(&mut object);
    (object, vec![entry(apply.manager, api_version, fields)])
}

/// The live object `live` (as JSON, its managed fields in `managed`) with the
/// configuration applied, and the new managed fields; 409 `Conflict` with one cause
/// per conflicting field.
pub(crate) fn merge(
    apply: &Apply<'_>,
    api_version: &str,
    live: &Value,
    managed: &[ManagedFieldsEntry],
) -> Result<(Value, Vec<ManagedFieldsEntry>), ClientError> {
    let fields = fieldset::of_applied(apply.config);
    let applied_leaves = fieldset::leaves(&fields);
    let mut others: Vec<ManagedFieldsEntry> = managed
        .iter()
        .filter(|e| !is_mine(e, apply.manager))
        .cloned()
        .collect();
    // 2. Conflicts with other managers.
    let mut conflicts = Vec::new();
    for other in &mut others {
        let mut set = set_of(other);
        for leaf in &applied_leaves {
            if leaf.last().is_some_and(|l| l == ".") || !fieldset::contains(&set, leaf) {
                continue;
            }
            let (new, old) = (
                fieldset::lookup(apply.config, leaf),
                fieldset::lookup(live, leaf),
            );
            if new != old {
                if apply.force {
                    fieldset::remove(&mut set, leaf);
                } else {
                    conflicts.push(Conflict {
                        field: fieldset::dotted(leaf),
                        manager: other.manager.clone(),
                        api_version: other.api_version.clone(),
                    });
                }
            }
        }
        if apply.force {
            other.fields_v1 = Some(Value::Object(set));
        }
    }
    if !conflicts.is_empty() {
        return Err(Conflict::into_error(&conflicts));
    }
    others.retain(|e| !set_of(e).is_empty() || e.fields_v1.is_none());
    // 3. Fields this manager gave up, owned by nobody else.
    let mut object = live.clone();
    let previous = managed.iter().find(|e| is_mine(e, apply.manager));
    if let Some(previous) = previous {
        let before = set_of(previous);
        let mut dropped = fieldset::leaves(&before);
        dropped.retain(|p| !fieldset::contains(&fields, p));
        // Deepest first, so an item goes after its fields.
        dropped.sort_by_key(|p| std::cmp::Reverse(p.len()));
        for path in dropped {
            let scope = if path.last().is_some_and(|l| l == ".") {
                &path[..path.len() - 1]
            } else {
                &path[..]
            };
            let owned_elsewhere = others.iter().any(|o| {
                let set = set_of(o);
                fieldset::contains(&set, scope)
            });
            if !owned_elsewhere {
                fieldset::remove_value(&mut object, &path);
            }
        }
    }
    // 4. Merge, record.
    let mut config = apply.config.clone();
    strip_server_fields(&mut config);
    if let Some(Value::Object(meta)) = config.get_mut("metadata") {
        meta.remove("name");
        meta.remove("namespace");
    }
    crate::strategic::merge(&mut object, &config)?;
    let mine = entry(apply.manager, api_version, fields);
    let mut entries = Vec::with_capacity(others.len() + 1);
    let mut placed = false;
    for e in managed {
        if is_mine(e, apply.manager) {
            entries.push(mine.clone());
            placed = true;
        } else if let Some(o) = others.iter().find(|o| {
            o.manager == e.manager && o.operation == e.operation && o.subresource == e.subresource
        }) {
            entries.push(o.clone());
        }
    }
    if !placed {
        entries.push(mine);
    }
    Ok((object, entries))
}

/// Drops what an applied configuration may not set: status, managed fields, the
/// resourceVersion and the server's metadata.
fn strip_server_fields(config: &mut Value) {
    if let Value::Object(object) = config {
        object.remove("status");
        if let Some(Value::Object(meta)) = object.get_mut("metadata") {
            for f in [
                "managedFields",
                "resourceVersion",
                "uid",
                "generation",
                "creationTimestamp",
            ] {
                meta.remove(f);
            }
        }
    }
}

#[cfg(test)]
mod tests;
