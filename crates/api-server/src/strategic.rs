//! Strategic merge patch, as `kubectl apply`, `label` and `edit` send it for built-in
//! kinds: a JSON merge patch, except that the lists Kubernetes marks with a merge key
//! merge item by item (containers by name, ports by port number, ...), and the
//! `$patch`, `$retainKeys`, `$deleteFromPrimitiveList/` and `$setElementOrder/`
//! directives.
//!
//! Merge keys are looked up by field name, which is unambiguous for the built-in
//! kinds except `ports` (containers: `containerPort`; services: `port`), decided by
//! the items themselves.

use std::collections::{HashMap, HashSet};

use client::ClientError;
use serde_json::{Map, Value};

/// The merge key of the list field `field` whose items are `items`; `None`: the list
/// is replaced as a whole.
pub(crate) fn merge_key(field: &str, items: &[&Value]) -> Option<&'static str> {
    Some(match field {
        "containers"
        | "initContainers"
        | "ephemeralContainers"
        | "env"
        | "volumes"
        | "imagePullSecrets"
        | "resourceClaims" => "name",
        "volumeMounts" => "mountPath",
        "volumeDevices" => "devicePath",
        "hostAliases" => "ip",
        "conditions" => "type",
        "ownerReferences" => "uid",
        "topologySpreadConstraints" => "topologyKey",
        "readinessGates" => "conditionType",
        "ports" => {
            if items.iter().any(|i| i.get("containerPort").is_some()) {
                "containerPort"
            } else {
                "port"
            }
        }
        _ => return None,
    })
}

/// Lists of scalars that merge as sets.
fn is_set_list(field: &str) -> bool {
    field == "finalizers"
}

/// Applies a strategic merge patch to `doc`.
pub(crate) fn merge(doc: &mut Value, patch: &Value) -> Result<(), ClientError> {
    let Value::Object(patch) = patch else {
        return Err(ClientError::bad_request(
            "a strategic merge patch must be a JSON object",
        ));
    };
    if !doc.is_object() {
        *doc = Value::Object(Map::new());
    }
    if let Value::Object(map) = doc {
        merge_map(map, patch, 0)?;
    }
    Ok(())
}

const MAX_DEPTH: usize = 64;

fn too_deep() -> ClientError {
    ClientError::bad_request("the patch is nested too deeply")
}

fn merge_map(
    original: &mut Map<String, Value>,
    patch: &Map<String, Value>,
    depth: usize,
) -> Result<(), ClientError> {
    if depth > MAX_DEPTH {
        return Err(too_deep());
    }
    match patch.get("$patch").and_then(Value::as_str) {
        Some("replace") => {
            *original = clean_map(patch);
            return Ok(());
        }
        Some("delete") => {
            original.clear();
            return Ok(());
        }
        Some("merge") | None => {}
        Some(other) => {
            return Err(ClientError::bad_request(format!(
                "unknown $patch directive {other:?}"
            )));
        }
    }
    for (key, value) in patch {
        if let Some(field) = key.strip_prefix("$deleteFromPrimitiveList/") {
            if let (Some(Value::Array(list)), Value::Array(remove)) =
                (original.get_mut(field), value)
            {
                let remove: HashSet<String> = remove.iter().map(Value::to_string).collect();
                list.retain(|v| !remove.contains(&v.to_string()));
            }
            continue;
        }
        if key.starts_with('$') {
            continue;
        }
        match value {
            Value::Null => {
                original.remove(key);
            }
            Value::Object(p) => {
                if p.get("$patch").and_then(Value::as_str) == Some("delete") {
                    original.remove(key);
                    continue;
                }
                match original.get_mut(key) {
                    Some(Value::Object(o)) => merge_map(o, p, depth + 1)?,
                    _ => {
                        original.insert(key.clone(), Value::Object(clean_map(p)));
                    }
                }
            }
            Value::Array(items) => {
                let merged = match original.remove(key) {
                    Some(Value::Array(old)) => merge_list(key, old, items, depth + 1)?,
                    _ => merge_list(key, Vec::new(), items, depth + 1)?,
                };
                original.insert(key.clone(), Value::Array(merged));
            }
            scalar => {
                original.insert(key.clone(), scalar.clone());
            }
        }
    }
    for (key, order) in patch {
        let (Some(field), Value::Array(order)) = (key.strip_prefix("$setElementOrder/"), order)
        else {
            continue;
        };
        if let Some(Value::Array(items)) = original.get_mut(field) {
            let all: Vec<&Value> = items.iter().collect();
            let key = merge_key(field, &all);
            reorder(items, order, key);
        }
    }
    if let Some(Value::Array(retain)) = patch.get("$retainKeys") {
        original.retain(|k, _| retain.iter().any(|r| r.as_str() == Some(k)));
    }
    Ok(())
}

fn merge_list(
    field: &str,
    mut old: Vec<Value>,
    patch: &[Value],
    depth: usize,
) -> Result<Vec<Value>, ClientError> {
    if depth > MAX_DEPTH {
        return Err(too_deep());
    }
    let replace = patch
        .iter()
        .any(|p| p.get("$patch").and_then(Value::as_str) == Some("replace"));
    let items: Vec<&Value> = old.iter().chain(patch.iter()).collect();
    let key = merge_key(field, &items);
    if replace || (key.is_none() && !is_set_list(field)) {
        return Ok(patch
            .iter()
            .filter(|p| p.get("$patch").is_none())
            .map(clean)
            .collect());
    }
    let Some(key) = key else {
        // A set of scalars: union, keeping the original order.
        let mut seen: HashSet<String> = old.iter().map(Value::to_string).collect();
        for p in patch {
            if seen.insert(p.to_string()) {
                old.push(p.clone());
            }
        }
        return Ok(old);
    };
    // Slots and an index by merge key keep this linear in the sizes of both lists.
    let mut slots: Vec<Option<Value>> = old.into_iter().map(Some).collect();
    let mut index: HashMap<String, usize> = HashMap::new();
    for (i, item) in slots.iter().enumerate() {
        if let Some(id) = item.as_ref().and_then(|v| v.get(key)) {
            index.entry(id.to_string()).or_insert(i);
        }
    }
    for p in patch {
        let Value::Object(pm) = p else {
            return Err(ClientError::bad_request(format!(
                "the items of {field} must be objects with the merge key {key:?}"
            )));
        };
        let Some(id) = pm.get(key) else {
            return Err(ClientError::bad_request(format!(
                "an item of {field} lacks its merge key {key:?}"
            )));
        };
        let id = id.to_string();
        let delete = pm.get("$patch").and_then(Value::as_str) == Some("delete");
        match (index.get(&id).copied(), delete) {
            (Some(i), true) => {
                slots[i] = None;
                index.remove(&id);
            }
            (None, true) => {}
            (Some(i), false) => {
                if let Some(Value::Object(o)) = slots.get_mut(i).and_then(Option::as_mut) {
                    merge_map(o, pm, depth + 1)?;
                }
            }
            (None, false) => {
                index.insert(id, slots.len());
                slots.push(Some(Value::Object(clean_map(pm))));
            }
        }
    }
    Ok(slots.into_iter().flatten().collect())
}

/// Puts the items named in `order` (`$setElementOrder`: merge-key stubs, or the
/// values themselves for scalar lists) first, in that order; the rest keep their
/// relative order after them.
fn reorder(items: &mut [Value], order: &[Value], key: Option<&str>) {
    let id = |v: &Value| match key {
        Some(k) => v.get(k).map(Value::to_string),
        None => Some(v.to_string()),
    };
    let mut ranks = std::collections::HashMap::new();
    for (i, o) in order.iter().enumerate() {
        if let Some(id) = id(o) {
            ranks.entry(id).or_insert(i);
        }
    }
    // A stable sort keeps the unnamed items (rank MAX) in their order.
    items.sort_by_cached_key(|v| {
        id(v)
            .and_then(|i| ranks.get(&i).copied())
            .unwrap_or(usize::MAX)
    });
}

/// `value` without directives.
fn clean(value: &Value) -> Value {
    match value {
        Value::Object(m) => Value::Object(clean_map(m)),
        Value::Array(items) => Value::Array(items.iter().map(clean).collect()),
        other => other.clone(),
    }
}

fn clean_map(map: &Map<String, Value>) -> Map<String, Value> {
    map.iter()
        .filter(|(k, v)| !k.starts_with('$') && !v.is_null())
        .map(|(k, v)| (k.clone(), clean(v)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn patched(doc: Value, patch: Value) -> Value {
        let mut doc = doc;
        merge(&mut doc, &patch).unwrap();
        doc
    }

    #[test]
    fn containers_merge_by_name() {
        let doc = json!({"spec": {"containers": [
            {"name": "a", "image": "x:1", "ports": [{"containerPort": 80}]},
            {"name": "b", "image": "y:1"}]}});
        let patch = json!({"spec": {
            "$setElementOrder/containers": [{"name": "a"}, {"name": "b"}],
            "containers": [{"name": "a", "image": "x:2", "ports": [{"containerPort": 81}]},
                           {"name": "b", "$patch": "delete"},
                           {"name": "c", "image": "z"}]}});
        assert_eq!(
            patched(doc, patch),
            json!({"spec": {"containers": [
            {"name": "a", "image": "x:2", "ports": [{"containerPort": 80}, {"containerPort": 81}]},
            {"name": "c", "image": "z"}]}})
        );
    }

    #[test]
    fn set_element_order_orders_merged_lists() {
        let doc = json!({"spec": {"containers": [{"name": "a"}, {"name": "b"}], "finalizers": ["x", "y"]}});
        let patch = json!({"spec": {
            "$setElementOrder/containers": [{"name": "c"}, {"name": "b"}, {"name": "a"}],
            "containers": [{"name": "c", "image": "z"}],
            "$setElementOrder/finalizers": ["y", "x"]}});
        assert_eq!(
            patched(doc, patch),
            json!({"spec": {
            "containers": [{"name": "c", "image": "z"}, {"name": "b"}, {"name": "a"}],
            "finalizers": ["y", "x"]}})
        );
    }

    #[test]
    fn maps_merge_null_deletes_and_plain_lists_replace() {
        let doc = json!({"metadata": {"labels": {"a": "1", "b": "2"}, "finalizers": ["x"]},
                         "spec": {"args": ["1", "2"]}});
        let patch = json!({"metadata": {"labels": {"a": null, "c": "3"}, "finalizers": ["y"]},
                           "spec": {"args": ["3"]}});
        assert_eq!(
            patched(doc, patch),
            json!({"metadata": {"labels": {"b": "2", "c": "3"},
            "finalizers": ["x", "y"]}, "spec": {"args": ["3"]}})
        );
    }

    #[test]
    fn directives_replace_retain_and_delete_from_list() {
        let doc = json!({"spec": {"strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 1}},
                                  "ports": [{"port": 80}, {"port": 81}], "finalizers": ["a", "b"]}});
        let patch = json!({"spec": {
            "strategy": {"$retainKeys": ["type"], "type": "Recreate"},
            "ports": [{"$patch": "replace"}, {"port": 90}],
            "$deleteFromPrimitiveList/finalizers": ["a"]}});
        assert_eq!(
            patched(doc, patch),
            json!({"spec": {"strategy": {"type": "Recreate"},
            "ports": [{"port": 90}], "finalizers": ["b"]}})
        );
    }

    #[test]
    fn large_lists_merge_in_linear_time() {
        let n = 50_000;
        let items: Vec<Value> = (0..n).map(|i| json!({"name": format!("c{i}")})).collect();
        let mut doc = json!({"spec": {"containers": items.clone(), "finalizers": (0..n).collect::<Vec<_>>()}});
        let patch = json!({"spec": {"containers": items, "finalizers": (0..n).collect::<Vec<_>>(),
            "$deleteFromPrimitiveList/finalizers": (0..n).collect::<Vec<_>>()}});
        let started = std::time::Instant::now();
        merge(&mut doc, &patch).unwrap();
        assert!(
            started.elapsed() < std::time::Duration::from_secs(5),
            "{:?}",
            started.elapsed()
        );
        assert_eq!(doc["spec"]["containers"].as_array().unwrap().len(), n);
    }

    #[test]
    fn hostile_patches_are_errors() {
        let mut doc = json!({"spec": {"containers": []}});
        assert!(merge(&mut doc, &json!([1])).is_err());
        assert!(merge(&mut doc, &json!({"spec": {"containers": [1]}})).is_err());
        assert!(merge(&mut doc, &json!({"spec": {"containers": [{"image": "x"}]}})).is_err());
        assert!(merge(&mut doc, &json!({"$patch": "explode"})).is_err());
        let mut deep = json!({});
        for _ in 0..200 {
            deep = json!({ "a": deep });
        }
        let mut original = deep.clone();
        assert!(merge(&mut original, &deep).is_err());
    }
}
