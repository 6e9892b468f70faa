//! Discovery documents and `/version`.
//!
//! Only the plain (unaggregated) discovery forms are served, always with the content
//! type `application/json`; kubectl asks for the aggregated form first and falls back
//! to these when the answer is not one.

use bytes::Bytes;
use hyper::{Request, Response, StatusCode};
use serde_json::{Value, json};

use crate::registry::{ResourceInfo, Subresource, VERBS};
use crate::response::{self, Body};
use crate::server::{ApiServer, GIT_VERSION};

/// `/version`.
pub(crate) fn version() -> Response<Body> {
    response::json(
        StatusCode::OK,
        &json!({
            "major": "1",
            "minor": "32",
            "gitVersion": GIT_VERSION,
            "gitCommit": "",
            "gitTreeState": "clean",
            "buildDate": "1970-01-01T00:00:00Z",
            "goVersion": "none (Rust)",
            "compiler": "rustc",
            "platform": format!("{}/{}", std::env::consts::OS, std::env::consts::ARCH),
        }),
    )
}

fn host(request: &Request<Bytes>) -> String {
    request
        .headers()
        .get(hyper::header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("")
        .to_owned()
}

/// `/api`.
pub(crate) fn core_versions(request: &Request<Bytes>) -> Response<Body> {
    response::json(
        StatusCode::OK,
        &json!({
            "kind": "APIVersions",
            "versions": ["v1"],
            "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0", "serverAddress": host(request)}],
        }),
    )
}

fn group_json(name: &str, versions: &[String]) -> Value {
    let versions: Vec<Value> = versions
        .iter()
        .map(|v| json!({"groupVersion": format!("{name}/{v}"), "version": v}))
        .collect();
    json!({
        "name": name,
        "versions": versions,
        "preferredVersion": versions.first().cloned().unwrap_or(Value::Null),
    })
}

/// `/apis`.
pub(crate) fn groups(server: &ApiServer, _request: &Request<Bytes>) -> Response<Body> {
    let groups: Vec<Value> = server
        .inner
        .registry
        .groups()
        .iter()
        .map(|(g, vs)| group_json(g, vs))
        .collect();
    response::json(
        StatusCode::OK,
        &json!({"kind": "APIGroupList", "apiVersion": "v1", "groups": groups}),
    )
}

/// `/apis/<group>`.
pub(crate) fn group(server: &ApiServer, name: &str) -> Response<Body> {
    let groups = server.inner.registry.groups();
    let versions = groups
        .iter()
        .find(|(g, _)| g == name)
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    let mut doc = group_json(name, &versions);
    if let Value::Object(m) = &mut doc {
        m.insert("kind".into(), json!("APIGroup"));
        m.insert("apiVersion".into(), json!("v1"));
    }
    response::json(StatusCode::OK, &doc)
}

/// `/api/v1` or `/apis/<group>/<version>`.
pub(crate) fn resources(server: &ApiServer, group: &str, version: &str) -> Response<Body> {
    let mut resources = Vec::new();
    for info in server.inner.registry.in_version(group, version) {
        resources.push(resource_json(info));
        for sub in &info.subresources {
            resources.push(subresource_json(info, *sub));
        }
    }
    let group_version = if group.is_empty() {
        version.to_owned()
    } else {
        format!("{group}/{version}")
    };
    response::json(
        StatusCode::OK,
        &json!({
            "kind": "APIResourceList",
            "apiVersion": "v1",
            "groupVersion": group_version,
            "resources": resources,
        }),
    )
}

fn resource_json(info: &ResourceInfo) -> Value {
    let r = &info.resource;
    let mut doc = json!({
        "name": r.plural,
        "singularName": info.singular,
        "namespaced": r.is_namespaced(),
        "kind": r.kind,
        "verbs": VERBS,
    });
    if let Value::Object(m) = &mut doc {
        if !info.short_names.is_empty() {
            m.insert("shortNames".into(), json!(info.short_names));
        }
        if !info.categories.is_empty() {
            m.insert("categories".into(), json!(info.categories));
        }
    }
    doc
}

fn subresource_json(info: &ResourceInfo, sub: Subresource) -> Value {
    let r = &info.resource;
    let mut doc = json!({
        "name": format!("{}/{}", r.plural, sub.as_str()),
        "singularName": "",
        "namespaced": r.is_namespaced(),
        "kind": r.kind,
        "verbs": sub.verbs(),
    });
    if let Value::Object(m) = &mut doc {
        match sub {
            Subresource::Scale => {
                m.insert("group".into(), json!("autoscaling"));
                m.insert("version".into(), json!("v1"));
                m.insert("kind".into(), json!("Scale"));
            }
            Subresource::Binding => {
                m.insert("kind".into(), json!("Binding"));
            }
            Subresource::Log => {
                m.insert("kind".into(), json!("Pod"));
            }
            Subresource::Status => {}
        }
    }
    doc
}
