//! Field sets in the `FieldsV1` form of `metadata.managedFields`: a tree whose keys
//! are `f:<field>` (a map field), `k:<json>` (a list item by its merge key) and `.`
//! (the item itself); an empty node is a leaf, a field someone owns.

use serde_json::{Map, Value, json};

use crate::strategic;

/// A path from the root of a field set to one of its nodes.
pub(crate) type Path = Vec<String>;

/// Fields the server sets (or that name the object) and no manager owns.
const SERVER_FIELDS: &[&str] = &[
    "name",
    "namespace",
    "uid",
    "resourceVersion",
    "generation",
    "creationTimestamp",
    "deletionTimestamp",
    "deletionGracePeriodSeconds",
    "managedFields",
    "selfLink",
];

/// The fields an applied configuration sets: every leaf value, map key and keyed
/// list item in it, except `apiVersion`, `kind`, `status` and the server's metadata.
pub(crate) fn of_applied(applied: &Value) -> Map<String, Value> {
    let mut out = Map::new();
    if let Value::Object(object) = applied {
        for (k, v) in object {
            match k.as_str() {
                "apiVersion" | "kind" | "status" => {}
                "metadata" => {
                    let mut meta = Map::new();
                    if let Value::Object(m) = v {
                        for (mk, mv) in m {
                            if !SERVER_FIELDS.contains(&mk.as_str()) {
                                meta.insert(format!("f:{mk}"), of_value(mk, mv));
                            }
                        }
                    }
                    if !meta.is_empty() {
                        out.insert("f:metadata".into(), Value::Object(meta));
                    }
                }
                _ => {
                    out.insert(format!("f:{k}"), of_value(k, v));
                }
            }
        }
    }
    out
}

/// The field set of `value`, the value of field `field`.
fn of_value(field: &str, value: &Value) -> Value {
    match value {
        Value::Object(m) if !m.is_empty() => Value::Object(
            m.iter()
                .map(|(k, v)| (format!("f:{k}"), of_value(k, v)))
                .collect(),
        ),
        Value::Array(items) => {
            let refs: Vec<&Value> = items.iter().collect();
            let Some(key) = strategic::merge_key(field, &refs) else {
                return json!({});
            };
            let mut out = Map::new();
            for item in items {
                let (Value::Object(m), Some(k)) = (item, item.get(key)) else {
                    // An item without its key: the list is owned as a whole.
                    return json!({});
                };
                let mut node = Map::new();
                node.insert(".".into(), json!({}));
                for (ik, iv) in m {
                    node.insert(format!("f:{ik}"), of_value(ik, iv));
                }
                out.insert(item_key(key, k), Value::Object(node));
            }
            Value::Object(out)
        }
        _ => json!({}),
    }
}

fn item_key(key: &str, value: &Value) -> String {
    format!("k:{}", json!({ key: value }))
}

/// Every leaf of `set`, depth first.
pub(crate) fn leaves(set: &Map<String, Value>) -> Vec<Path> {
    fn walk(node: &Map<String, Value>, prefix: &mut Path, out: &mut Vec<Path>) {
        for (k, v) in node {
            prefix.push(k.clone());
            match v {
                Value::Object(child) if !child.is_empty() => walk(child, prefix, out),
                _ => out.push(prefix.clone()),
            }
            prefix.pop();
        }
    }
    let mut out = Vec::new();
    walk(set, &mut Vec::new(), &mut out);
    out
}

/// True if `path` is a node of `set`.
pub(crate) fn contains(set: &Map<String, Value>, path: &[String]) -> bool {
    let mut node = set;
    for (i, k) in path.iter().enumerate() {
        match node.get(k) {
            Some(Value::Object(child)) => node = child,
            Some(_) => return i + 1 == path.len(),
            None => return false,
        }
    }
    true
}

/// Removes the leaf `path` from `set`, and the nodes it leaves empty.
pub(crate) fn remove(set: &mut Map<String, Value>, path: &[String]) {
    let Some((first, rest)) = path.split_first() else {
        return;
    };
    if rest.is_empty() {
        set.remove(first);
        return;
    }
    if let Some(Value::Object(child)) = set.get_mut(first) {
        remove(child, rest);
        if child.is_empty() {
            set.remove(first);
        }
    }
}

/// The list item a `k:` element names, as (field, value).
fn parse_item_key(element: &str) -> Option<Map<String, Value>> {
    match serde_json::from_str(element.strip_prefix("k:")?) {
        Ok(Value::Object(m)) => Some(m),
        _ => None,
    }
}

fn matches(item: &Value, key: &Map<String, Value>) -> bool {
    key.iter().all(|(k, v)| item.get(k) == Some(v))
}

/// The value at `path` in an object (`.` is the node itself).
pub(crate) fn lookup<'a>(value: &'a Value, path: &[String]) -> Option<&'a Value> {
    let Some((first, rest)) = path.split_first() else {
        return Some(value);
    };
    let next = if first == "." {
        return Some(value);
    } else if let Some(field) = first.strip_prefix("f:") {
        value.as_object()?.get(field)?
    } else {
        let key = parse_item_key(first)?;
        value.as_array()?.iter().find(|i| matches(i, &key))?
    };
    lookup(next, rest)
}

/// Removes the value at `path` from an object: a field, or (path ending in `.`) a
/// whole list item. Missing parts are ignored.
pub(crate) fn remove_value(value: &mut Value, path: &[String]) {
    match path {
        [] => {}
        [item, dot] if dot == "." => {
            if let (Some(key), Value::Array(items)) = (parse_item_key(item), &mut *value) {
                items.retain(|i| !matches(i, &key));
            }
        }
        [field] => {
            if let (Some(f), Value::Object(m)) = (field.strip_prefix("f:"), value) {
                m.remove(f);
            }
        }
        [first, rest @ ..] => {
            let next = if let Some(field) = first.strip_prefix("f:") {
                value.as_object_mut().and_then(|m| m.get_mut(field))
            } else if let Some(key) = parse_item_key(first) {
                value
                    .as_array_mut()
                    .and_then(|items| items.iter_mut().find(|i| matches(i, &key)))
            } else {
                None
            };
            if let Some(next) = next {
                remove_value(next, rest);
            }
        }
    }
}

/// The path's field in the dotted form Kubernetes uses in conflict causes
/// (`.spec.replicas`, `.spec.containers[name="web"].image`).
pub(crate) fn dotted(path: &[String]) -> String {
    let mut out = String::new();
    for element in path {
        if let Some(f) = element.strip_prefix("f:") {
            out.push('.');
            out.push_str(f);
        } else if let Some(key) = parse_item_key(element) {
            let inner: Vec<String> = key.iter().map(|(k, v)| format!("{k}={v}")).collect();
            out.push_str(&format!("[{}]", inner.join(",")));
        }
    }
    out
}
