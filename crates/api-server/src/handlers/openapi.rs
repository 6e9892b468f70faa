//! A minimal OpenAPI v3 document: per group-version, the object paths with their
//! PATCH operation, tagged with the kind (`x-kubernetes-group-version-kind`) and the
//! `fieldValidation` query parameter. That tells kubectl that validation happens on
//! the server (so it needs no schema of its own); without `requestBody` media types
//! kubectl computes strategic merge patches from its compiled-in types.
//!
//! Full schemas (generated from the Rust types) are future work.

use hyper::{Response, StatusCode};
use serde_json::{Map, Value, json};

use crate::response::{self, Body};
use crate::server::{ApiServer, GIT_VERSION};

/// The `paths` key of a group-version: `api/v1` or `apis/<g>/<v>`.
fn gv_path(group: &str, version: &str) -> String {
    if group.is_empty() {
        format!("api/{version}")
    } else {
        format!("apis/{group}/{version}")
    }
}

/// `/openapi/v3`: where each group-version's document is.
pub(crate) fn root(server: &ApiServer) -> Response<Body> {
    let mut paths = Map::new();
    let mut seen = Vec::new();
    for info in server.inner.registry.iter() {
        let key = gv_path(&info.resource.group, &info.resource.version);
        if !seen.contains(&key) {
            paths.insert(
                key.clone(),
                json!({"serverRelativeURL": format!("/openapi/v3/{key}?hash={GIT_VERSION}")}),
            );
            seen.push(key);
        }
    }
    response::json(StatusCode::OK, &json!({"paths": paths}))
}

/// `/openapi/v3/<gv path>`, or `None` when no group-version has that path.
pub(crate) fn group_version(server: &ApiServer, path: &str) -> Option<Response<Body>> {
    let mut paths = Map::new();
    for info in server.inner.registry.iter() {
        let r = &info.resource;
        let key = gv_path(&r.group, &r.version);
        if key != path {
            continue;
        }
        let object_path = if r.is_namespaced() {
            format!("/{key}/namespaces/{{namespace}}/{}/{{name}}", r.plural)
        } else {
            format!("/{key}/{}/{{name}}", r.plural)
        };
        let gvk = json!({"group": r.group, "version": r.version, "kind": r.kind});
        paths.insert(
            object_path,
            json!({
                "patch": {
                    "operationId": format!("patch{}", r.kind),
                    "x-kubernetes-action": "patch",
                    "x-kubernetes-group-version-kind": gvk,
                    "parameters": [
                        {"name": "fieldValidation", "in": "query", "schema": {"type": "string"}},
                        {"name": "dryRun", "in": "query", "schema": {"type": "string"}},
                        {"name": "fieldManager", "in": "query", "schema": {"type": "string"}}
                    ],
                    "responses": {"200": {"description": "OK"}}
                }
            }),
        );
    }
    if paths.is_empty() {
        return None;
    }
    Some(response::json(
        StatusCode::OK,
        &json!({
            "openapi": "3.0.0",
            "info": {"title": "Kubernetes", "version": GIT_VERSION},
            "paths": Value::Object(paths),
        }),
    ))
}
