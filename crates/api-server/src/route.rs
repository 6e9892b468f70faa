//! Reading a request path into what it names: a discovery document, a collection,
//! an object or a subresource.

use crate::registry::{Registry, ResourceInfo, Subresource};

/// What a request path names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Route<'r> {
    /// `/healthz`, `/readyz`, `/livez` (and their sub-paths).
    Health,
    /// `/version`.
    Version,
    /// `/metrics`.
    Metrics,
    /// `/api`.
    CoreVersions,
    /// `/apis`.
    Groups,
    /// `/apis/<group>`.
    Group(String),
    /// `/api/v1` or `/apis/<group>/<version>`.
    Resources { group: String, version: String },
    /// `/openapi/v3`.
    OpenApiRoot,
    /// `/openapi/v3/<api/v1 or apis/<g>/<v>>`.
    OpenApi(String),
    /// A collection, an object or a subresource.
    Resource(Target<'r>),
}

/// A resource path: which resource, namespace, object and subresource.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Target<'r> {
    pub(crate) info: &'r ResourceInfo,
    /// The namespace in the path (`None`: cluster-scoped, or across all namespaces).
    pub(crate) namespace: Option<String>,
    /// The object's name (`None`: the collection).
    pub(crate) name: Option<String>,
    /// The subresource, if any.
    pub(crate) subresource: Option<Subresource>,
    /// The path had the legacy `/watch/` prefix.
    pub(crate) legacy_watch: bool,
}

/// Why a path names nothing served.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct NoRoute(pub(crate) String);

/// Reads `path` (without query) against `registry`.
pub(crate) fn route<'r>(registry: &'r Registry, path: &str) -> Result<Route<'r>, NoRoute> {
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let not_found = || {
        NoRoute(format!(
            "the server could not find the requested resource ({path})"
        ))
    };
    let (group, version, rest) = match segments.as_slice() {
        ["healthz" | "readyz" | "livez", ..] => return Ok(Route::Health),
        ["version"] => return Ok(Route::Version),
        ["metrics"] => return Ok(Route::Metrics),
        ["openapi", "v3"] => return Ok(Route::OpenApiRoot),
        ["openapi", "v3", rest @ ..] => return Ok(Route::OpenApi(rest.join("/"))),
        ["api"] => return Ok(Route::CoreVersions),
        ["apis"] => return Ok(Route::Groups),
        ["apis", g] => {
            if registry.groups().iter().any(|(og, _)| og == g) {
                return Ok(Route::Group((*g).to_owned()));
            }
            return Err(not_found());
        }
        ["api", v, rest @ ..] => ("", *v, rest),
        ["apis", g, v, rest @ ..] => (*g, *v, rest),
        _ => return Err(not_found()),
    };
    if registry.in_version(group, version).next().is_none() {
        return Err(not_found());
    }
    let (legacy_watch, rest) = match rest {
        ["watch", rest @ ..] => (true, rest),
        rest => (false, rest),
    };
    if rest.is_empty() && !legacy_watch {
        return Ok(Route::Resources {
            group: group.to_owned(),
            version: version.to_owned(),
        });
    }
    let find = |plural: &str| registry.find(group, version, plural);
    // `namespaces/<ns>/<plural>...` names a namespaced resource when <plural> is one;
    // otherwise `namespaces/<name>[/<sub>]` is the Namespace object itself.
    let (namespace, rest) = match rest {
        ["namespaces", ns, plural, more @ ..]
            if find(plural).is_some_and(|i| i.resource.is_namespaced()) =>
        {
            (Some((*ns).to_owned()), {
                let mut v = vec![*plural];
                v.extend_from_slice(more);
                v
            })
        }
        other => (None, other.to_vec()),
    };
    let (info, name, sub) = match rest.as_slice() {
        [plural] => (find(plural).ok_or_else(not_found)?, None, None),
        [plural, name] => (find(plural).ok_or_else(not_found)?, Some(*name), None),
        [plural, name, sub] => (find(plural).ok_or_else(not_found)?, Some(*name), Some(*sub)),
        _ => return Err(not_found()),
    };
    // A namespaced kind's object needs its namespace; a cluster-scoped kind has none.
    if name.is_some() && info.resource.is_namespaced() && namespace.is_none() {
        return Err(not_found());
    }
    let subresource = match sub {
        None => None,
        Some(s) => match Subresource::parse(s) {
            Some(s) if info.has(s) => Some(s),
            _ => return Err(not_found()),
        },
    };
    if legacy_watch && subresource.is_some() {
        return Err(not_found());
    }
    Ok(Route::Resource(Target {
        info,
        namespace,
        name: name.map(str::to_owned),
        subresource,
        legacy_watch,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(path: &str) -> (String, Option<String>, Option<String>, Option<Subresource>) {
        let registry = Registry::builtin();
        match route(&registry, path) {
            Ok(Route::Resource(t)) => (
                t.info.resource.plural.to_string(),
                t.namespace,
                t.name,
                t.subresource,
            ),
            other => panic!("{path}: {other:?}"),
        }
    }

    #[test]
    fn reads_resource_paths() {
        let s = |x: &str| Some(x.to_owned());
        assert_eq!(target("/api/v1/pods"), ("pods".into(), None, None, None));
        assert_eq!(
            target("/api/v1/namespaces/default/pods"),
            ("pods".into(), s("default"), None, None)
        );
        assert_eq!(
            target("/api/v1/namespaces/default/pods/web/status"),
            (
                "pods".into(),
                s("default"),
                s("web"),
                Some(Subresource::Status)
            )
        );
        assert_eq!(
            target("/api/v1/namespaces/default"),
            ("namespaces".into(), None, s("default"), None)
        );
        assert_eq!(
            target("/api/v1/namespaces/kube-system/status"),
            (
                "namespaces".into(),
                None,
                s("kube-system"),
                Some(Subresource::Status)
            )
        );
        assert_eq!(
            target("/apis/apps/v1/namespaces/a/deployments/d/scale"),
            (
                "deployments".into(),
                s("a"),
                s("d"),
                Some(Subresource::Scale)
            )
        );
        assert_eq!(
            target("/api/v1/nodes/n1"),
            ("nodes".into(), None, s("n1"), None)
        );
        assert_eq!(
            target("/api/v1/watch/namespaces/x/pods"),
            ("pods".into(), s("x"), None, None)
        );
    }

    #[test]
    fn refuses_what_is_not_served() {
        let registry = Registry::builtin();
        for path in [
            "/api/v1/pods/web",
            "/api/v1/namespaces/default/nodes/n1",
            "/api/v2/pods",
            "/apis/apps/v1/namespaces/a/deployments/d/binding",
            "/apis/example.com/v1/widgets",
            "/api/v1/namespaces/a/pods/p/status/extra",
            "/nothing",
        ] {
            assert!(route(&registry, path).is_err(), "{path}");
        }
        assert_eq!(
            route(&registry, "/apis/apps"),
            Ok(Route::Group("apps".into()))
        );
        assert_eq!(route(&registry, "/version"), Ok(Route::Version));
    }
}
