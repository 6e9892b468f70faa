//! Request paths and query strings, built from the client crate's parameter types.

use std::fmt::Write as _;
use std::time::Duration;

use client::{ClientError, DeleteParams, ListParams, PatchParams, PostParams, WatchParams};
use core_types::{ApiResource, Scope};
use serde_json::{Map, Value, json};

/// `/api/<v>` for the core group, `/apis/<group>/<v>` otherwise.
fn group_prefix(resource: &ApiResource) -> String {
    if resource.group.is_empty() {
        format!("/api/{}", resource.version)
    } else {
        format!("/apis/{}/{}", resource.group, resource.version)
    }
}

fn cluster_scoped(resource: &ApiResource) -> ClientError {
    ClientError::bad_request(format!(
        "{} is cluster-scoped: it has no namespace",
        resource.kind
    ))
}

/// The path of a collection: `None` lists every namespace (or a cluster-scoped kind).
pub(crate) fn collection(
    resource: &ApiResource,
    namespace: Option<&str>,
) -> Result<String, ClientError> {
    let mut path = group_prefix(resource);
    match namespace.filter(|ns| !ns.is_empty()) {
        Some(_) if resource.scope == Scope::Cluster => return Err(cluster_scoped(resource)),
        Some(ns) => {
            path.push_str("/namespaces/");
            push_segment(&mut path, ns);
        }
        None => {}
    }
    path.push('/');
    path.push_str(&resource.plural);
    Ok(path)
}

/// The path of one object, or of its `subresource` (`status`, `binding`, ...). A
/// namespaced kind needs a namespace, a cluster-scoped one must have none, and the
/// name may not be empty (which would name the collection).
pub(crate) fn object(
    resource: &ApiResource,
    namespace: Option<&str>,
    name: &str,
    subresource: Option<&str>,
) -> Result<String, ClientError> {
    let namespace = namespace.filter(|ns| !ns.is_empty());
    match (resource.scope, namespace) {
        (Scope::Namespaced, None) => {
            return Err(ClientError::bad_request(format!(
                "{} is namespaced: the request needs a namespace",
                resource.kind
            )));
        }
        (Scope::Cluster, Some(_)) => return Err(cluster_scoped(resource)),
        _ => {}
    }
    if name.is_empty() {
        return Err(ClientError::bad_request(format!(
            "a {} request needs a name",
            resource.kind
        )));
    }
    let mut path = collection(resource, namespace)?;
    path.push('/');
    push_segment(&mut path, name);
    if let Some(sub) = subresource {
        path.push('/');
        path.push_str(sub);
    }
    Ok(path)
}

/// Appends a percent-encoded path segment.
fn push_segment(path: &mut String, segment: &str) {
    encode_into(path, segment);
}

/// Percent-encodes everything but RFC 3986's unreserved characters.
fn encode_into(out: &mut String, s: &str) {
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
}

/// A query string under construction (`?k=v&...`, empty when nothing was added).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Query(String);

impl Query {
    /// Adds `key=value`, percent-encoding the value.
    pub(crate) fn push(&mut self, key: &str, value: &str) {
        self.0.push(if self.0.is_empty() { '?' } else { '&' });
        self.0.push_str(key);
        self.0.push('=');
        encode_into(&mut self.0, value);
    }

    /// The query string, with its leading `?` (or empty).
    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }

    /// Selectors, paging and resourceVersion of a list (also used by delete collection).
    pub(crate) fn list(params: &ListParams) -> Self {
        let mut q = Query::default();
        q.selectors(
            params.label_selector.as_ref(),
            params.field_selector.as_ref(),
        );
        if let Some(limit) = params.effective_limit() {
            q.push("limit", &limit.to_string());
        }
        if let Some(token) = params.continue_token.as_deref().filter(|t| !t.is_empty()) {
            q.push("continue", token);
        }
        if let Some(rv) = params.resource_version.as_deref().filter(|v| !v.is_empty()) {
            q.push("resourceVersion", rv);
        }
        if let Some(matching) = params.resource_version_match {
            q.push("resourceVersionMatch", matching.as_str());
        }
        q
    }

    /// One watch request: the selectors of `params`, from `resource_version`, always
    /// with bookmarks (they keep the resume point fresh; the stream drops them when the
    /// caller did not ask), ending server-side after `timeout` (whole seconds, at
    /// least 1).
    pub(crate) fn watch(
        params: &WatchParams,
        resource_version: Option<&str>,
        timeout: Option<Duration>,
    ) -> Self {
        let mut q = Query::default();
        q.push("watch", "true");
        q.selectors(
            params.label_selector.as_ref(),
            params.field_selector.as_ref(),
        );
        if let Some(rv) = resource_version.filter(|v| !v.is_empty()) {
            q.push("resourceVersion", rv);
        }
        q.push("allowWatchBookmarks", "true");
        if let Some(timeout) = timeout {
            let seconds = timeout.as_secs() + u64::from(timeout.subsec_nanos() > 0);
            q.push("timeoutSeconds", &seconds.max(1).to_string());
        }
        q
    }

    /// `dryRun` and `fieldManager` of a create or replace.
    pub(crate) fn post(params: &PostParams) -> Self {
        let mut q = Query::default();
        q.write_options(params.dry_run, params.field_manager.as_deref());
        q
    }

    /// `dryRun` and `fieldManager` of a patch.
    pub(crate) fn patch(params: &PatchParams) -> Self {
        let mut q = Query::default();
        q.write_options(params.dry_run, params.field_manager.as_deref());
        q
    }

    fn write_options(&mut self, dry_run: bool, field_manager: Option<&str>) {
        if dry_run {
            self.push("dryRun", "All");
        }
        if let Some(manager) = field_manager.filter(|m| !m.is_empty()) {
            self.push("fieldManager", manager);
        }
    }

    fn selectors(
        &mut self,
        labels: Option<&core_types::selector::Selector>,
        fields: Option<&core_types::selector::FieldSelector>,
    ) {
        if let Some(s) = labels.map(ToString::to_string).filter(|s| !s.is_empty()) {
            self.push("labelSelector", &s);
        }
        if let Some(s) = fields.map(ToString::to_string).filter(|s| !s.is_empty()) {
            self.push("fieldSelector", &s);
        }
    }
}

/// The `DeleteOptions` body of a delete.
pub(crate) fn delete_options(params: &DeleteParams) -> Value {
    let mut body = Map::new();
    body.insert("apiVersion".into(), json!("v1"));
    body.insert("kind".into(), json!("DeleteOptions"));
    if let Some(grace) = params.grace_period_seconds {
        body.insert("gracePeriodSeconds".into(), json!(grace));
    }
    if let Some(policy) = params.propagation_policy {
        body.insert("propagationPolicy".into(), json!(policy.as_str()));
    }
    if let Some(pre) = &params.preconditions {
        let mut p = Map::new();
        if let Some(uid) = &pre.uid {
            p.insert("uid".into(), json!(uid));
        }
        if let Some(rv) = &pre.resource_version {
            p.insert("resourceVersion".into(), json!(rv));
        }
        body.insert("preconditions".into(), Value::Object(p));
    }
    if params.dry_run {
        body.insert("dryRun".into(), json!(["All"]));
    }
    Value::Object(body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use client::{DeleteParams, ResourceVersionMatch};
    use core_types::StaticResource;
    use core_types::apps_v1::Deployment;
    use core_types::core_v1::{Node, Pod};

    #[test]
    fn paths_by_group_scope_and_subresource() {
        let pods = Pod::resource();
        assert_eq!(collection(pods, None).unwrap(), "/api/v1/pods");
        assert_eq!(
            collection(pods, Some("default")).unwrap(),
            "/api/v1/namespaces/default/pods"
        );
        assert_eq!(
            object(pods, Some("ns"), "web", Some("binding")).unwrap(),
            "/api/v1/namespaces/ns/pods/web/binding"
        );
        assert_eq!(
            object(Deployment::resource(), Some("ns"), "web", Some("status")).unwrap(),
            "/apis/apps/v1/namespaces/ns/deployments/web/status"
        );
        assert_eq!(
            object(Node::resource(), None, "n1", None).unwrap(),
            "/api/v1/nodes/n1"
        );
        assert_eq!(
            object(pods, Some("a b"), "x/y?", None).unwrap(),
            "/api/v1/namespaces/a%20b/pods/x%2Fy%3F"
        );
    }

    #[test]
    fn scope_mismatches_and_empty_names_are_bad_requests() {
        let pods = Pod::resource();
        assert_eq!(object(pods, None, "web", None).unwrap_err().code(), 400);
        assert_eq!(object(pods, Some(""), "web", None).unwrap_err().code(), 400);
        assert_eq!(object(pods, Some("ns"), "", None).unwrap_err().code(), 400);
        let nodes = Node::resource();
        assert_eq!(
            object(nodes, Some("ns"), "n", None).unwrap_err().code(),
            400
        );
        assert_eq!(collection(nodes, Some("ns")).unwrap_err().code(), 400);
        assert_eq!(collection(nodes, Some("")).unwrap(), "/api/v1/nodes");
    }

    #[test]
    fn list_query_encodes_every_parameter() {
        let params = ListParams::default()
            .labels("app=web,tier in (a,b)".parse().unwrap())
            .fields("spec.nodeName=n1".parse().unwrap())
            .limit(10)
            .continue_token("abc=")
            .resource_version("42")
            .resource_version_match(ResourceVersionMatch::NotOlderThan);
        assert_eq!(
            Query::list(&params).as_str(),
            "?labelSelector=app%3Dweb%2Ctier%20in%20%28a%2Cb%29&fieldSelector=spec.nodeName%3Dn1\
             &limit=10&continue=abc%3D&resourceVersion=42&resourceVersionMatch=NotOlderThan"
        );
        assert_eq!(Query::list(&ListParams::default()).as_str(), "");
        assert_eq!(Query::list(&ListParams::default().limit(0)).as_str(), "");
    }

    #[test]
    fn watch_query_rounds_the_timeout_up_and_always_asks_for_bookmarks() {
        let params = WatchParams::default().labels("app=web".parse().unwrap());
        assert_eq!(
            Query::watch(&params, Some("7"), Some(Duration::from_millis(1500))).as_str(),
            "?watch=true&labelSelector=app%3Dweb&resourceVersion=7&allowWatchBookmarks=true\
             &timeoutSeconds=2"
        );
        assert_eq!(
            Query::watch(&WatchParams::default(), None, Some(Duration::ZERO)).as_str(),
            "?watch=true&allowWatchBookmarks=true&timeoutSeconds=1"
        );
        assert_eq!(
            Query::watch(&WatchParams::default(), Some(""), None).as_str(),
            "?watch=true&allowWatchBookmarks=true"
        );
    }

    #[test]
    fn write_queries_and_delete_options() {
        let post = PostParams::default()
            .dry_run()
            .field_manager("kubectl edit");
        assert_eq!(
            Query::post(&post).as_str(),
            "?dryRun=All&fieldManager=kubectl%20edit"
        );
        assert_eq!(Query::patch(&PatchParams::default()).as_str(), "");
        let delete = DeleteParams::foreground()
            .grace_period(0)
            .uid("u1")
            .resource_version("9")
            .dry_run();
        assert_eq!(
            delete_options(&delete),
            json!({"apiVersion": "v1", "kind": "DeleteOptions", "gracePeriodSeconds": 0,
                   "propagationPolicy": "Foreground",
                   "preconditions": {"uid": "u1", "resourceVersion": "9"}, "dryRun": ["All"]})
        );
        assert_eq!(
            delete_options(&DeleteParams::default()),
            json!({"apiVersion": "v1", "kind": "DeleteOptions"})
        );
    }
}
