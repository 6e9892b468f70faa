//! Server-side printing: `Accept: application/json;as=Table;v=v1;g=meta.k8s.io`
//! answers with a `meta.k8s.io/v1 Table` whose columns are those kubectl users know.

use bytes::Bytes;
use core_types::{DynamicObject, ListMeta};
use hyper::Request;
use serde_json::{Value, json};

use crate::columns::{cells, columns};
use crate::query::Query;

/// True if the client asked for a Table (kubectl get does).
pub(crate) fn wanted(request: &Request<Bytes>) -> bool {
    request
        .headers()
        .get_all(hyper::header::ACCEPT)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .next()
        .is_some_and(|first| {
            let params: Vec<&str> = first.split(';').map(str::trim).collect();
            params.contains(&"as=Table") && params.contains(&"g=meta.k8s.io")
        })
}

/// What each row carries (`includeObject`): the whole object, its metadata (the
/// default), or nothing.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Include {
    Object,
    Metadata,
    None,
}

impl Include {
    pub(crate) fn of(query: &Query) -> Self {
        match query.get("includeObject") {
            Some("Object") => Include::Object,
            Some("None") => Include::None,
            _ => Include::Metadata,
        }
    }
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

/// The Table of `objects` of `kind`.
pub(crate) fn table(
    kind: &str,
    objects: &[DynamicObject],
    metadata: &ListMeta,
    include: Include,
) -> Value {
    let definitions: Vec<Value> = columns(kind)
        .iter()
        .map(|c| {
            let mut d = json!({"name": c.name, "type": c.kind, "format": "", "description": "", "priority": c.priority});
            if c.name == "Name" {
                d["format"] = json!("name");
            }
            d
        })
        .collect();
    let now = now();
    let rows: Vec<Value> = objects
        .iter()
        .map(|o| {
            let mut row = json!({"cells": cells(kind, o, now)});
            match include {
                Include::Object => row["object"] = serde_json::to_value(o).unwrap_or(Value::Null),
                Include::Metadata => {
                    row["object"] = json!({
                        "kind": "PartialObjectMetadata",
                        "apiVersion": "meta.k8s.io/v1",
                        "metadata": serde_json::to_value(&o.metadata).unwrap_or(Value::Null),
                    });
                }
                Include::None => {}
            }
            row
        })
        .collect();
    json!({
        "kind": "Table",
        "apiVersion": "meta.k8s.io/v1",
        "metadata": metadata,
        "columnDefinitions": definitions,
        "rows": rows,
    })
}
