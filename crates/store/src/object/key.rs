//! Storage keys of objects.
//!
//! ```text
//! /registry/<group or "core">/<plural>/<namespace>/<name>    namespaced kinds
//! /registry/<group or "core">/<plural>/<name>                cluster-scoped kinds
//! ```
//!
//! The core group (`""`) is spelled `core` so that every key has the same number of
//! segments. Names and namespaces are single path segments: not empty, not `.` or
//! `..`, without `/` (and without `%`, as Kubernetes forbids in path segments), so no
//! two objects share a key and a namespace's prefix holds only its objects.

use std::fmt;

use client::ClientError;
use core_types::{ApiResource, Scope};

/// The root every object key lives under.
pub const REGISTRY_PREFIX: &str = "/registry/";

/// A key that is not an object key, or a name that cannot be one.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum KeyError {
    /// The key does not start with `/registry/`.
    #[error("key {key:?} is outside {REGISTRY_PREFIX}")]
    OutsideRegistry {
        /// The key.
        key: String,
    },
    /// The key has too few or too many segments, or is not UTF-8.
    #[error("malformed object key {key:?}")]
    Malformed {
        /// The key (lossily decoded).
        key: String,
    },
    /// A name, namespace, group or plural that cannot be a key segment.
    #[error("invalid {what} {value:?}: {reason}")]
    InvalidSegment {
        /// `name`, `namespace`, `group` or `resource`.
        what: &'static str,
        /// The value.
        value: String,
        /// Why it was rejected.
        reason: &'static str,
    },
}

impl From<KeyError> for ClientError {
    fn from(e: KeyError) -> Self {
        ClientError::bad_request(e.to_string())
    }
}

/// Checks that `value` can be one key segment.
pub(crate) fn check_segment(what: &'static str, value: &str) -> Result<(), KeyError> {
    let reason = if value.is_empty() {
        "may not be empty"
    } else if value == "." || value == ".." {
        "may not be '.' or '..'"
    } else if value.contains('/') {
        "may not contain '/'"
    } else if value.contains('%') {
        "may not contain '%'"
    } else {
        return Ok(());
    };
    Err(KeyError::InvalidSegment {
        what,
        value: value.to_owned(),
        reason,
    })
}

/// Where one object is stored: its kind's group and plural, namespace and name.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ObjectKey {
    /// API group (`""` for core).
    pub group: String,
    /// Plural resource name.
    pub plural: String,
    /// Namespace; `None` for cluster-scoped kinds.
    pub namespace: Option<String>,
    /// Object name.
    pub name: String,
}

impl ObjectKey {
    /// The key of object `name` of kind `resource` in `namespace` (which must be given
    /// exactly for namespaced kinds).
    pub fn new(
        resource: &ApiResource,
        namespace: Option<&str>,
        name: &str,
    ) -> Result<Self, KeyError> {
        check_segment("name", name)?;
        let namespace = match (resource.scope, namespace) {
            (Scope::Namespaced, Some(ns)) => {
                check_segment("namespace", ns)?;
                Some(ns.to_owned())
            }
            (Scope::Namespaced, None) => {
                return Err(KeyError::InvalidSegment {
                    what: "namespace",
                    value: String::new(),
                    reason: "a namespaced kind needs a namespace",
                });
            }
            (Scope::Cluster, _) => None,
        };
        Ok(ObjectKey {
            group: resource.group.to_string(),
            plural: resource.plural.to_string(),
            namespace,
            name: name.to_owned(),
        })
    }

    /// Parses a stored key; keys outside `/registry/` are [`KeyError::OutsideRegistry`].
    pub fn parse(key: &[u8]) -> Result<Self, KeyError> {
        let text = std::str::from_utf8(key).map_err(|_| KeyError::Malformed {
            key: String::from_utf8_lossy(key).into_owned(),
        })?;
        let Some(rest) = text.strip_prefix(REGISTRY_PREFIX) else {
            return Err(KeyError::OutsideRegistry {
                key: text.to_owned(),
            });
        };
        let malformed = || KeyError::Malformed {
            key: text.to_owned(),
        };
        let segments: Vec<&str> = rest.split('/').collect();
        let (group, plural, namespace, name) = match segments.as_slice() {
            [group, plural, name] => (*group, *plural, None, *name),
            [group, plural, ns, name] => (*group, *plural, Some(*ns), *name),
            _ => return Err(malformed()),
        };
        for (what, value) in [("group", group), ("resource", plural), ("name", name)] {
            check_segment(what, value).map_err(|_| malformed())?;
        }
        if let Some(ns) = namespace {
            check_segment("namespace", ns).map_err(|_| malformed())?;
        }
        Ok(ObjectKey {
            group: if group == "core" { "" } else { group }.to_owned(),
            plural: plural.to_owned(),
            namespace: namespace.map(str::to_owned),
            name: name.to_owned(),
        })
    }
}

impl fmt::Display for ObjectKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let group = if self.group.is_empty() {
            "core"
        } else {
            &self.group
        };
        write!(f, "{REGISTRY_PREFIX}{group}/{}/", self.plural)?;
        if let Some(ns) = &self.namespace {
            write!(f, "{ns}/")?;
        }
        f.write_str(&self.name)
    }
}

/// The prefix of every object of a kind: `/registry/<group>/<plural>/`.
pub fn resource_prefix(resource: &ApiResource) -> String {
    let group = if resource.group.is_empty() {
        "core"
    } else {
        &resource.group
    };
    format!("{REGISTRY_PREFIX}{group}/{}/", resource.plural)
}

/// The prefix a list or watch reads: the kind's, or one namespace's within it.
pub(crate) fn list_prefix(
    resource: &ApiResource,
    namespace: Option<&str>,
) -> Result<String, KeyError> {
    let mut prefix = resource_prefix(resource);
    if let Some(ns) = namespace {
        check_segment("namespace", ns)?;
        prefix.push_str(ns);
        prefix.push('/');
    }
    Ok(prefix)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_format_and_parse_back() {
        let pods = ApiResource::new("", "v1", "Pod", "pods", Scope::Namespaced);
        let nodes = ApiResource::new("", "v1", "Node", "nodes", Scope::Cluster);
        let deploys =
            ApiResource::new("apps", "v1", "Deployment", "deployments", Scope::Namespaced);
        let pod = ObjectKey::new(&pods, Some("ns"), "web").unwrap();
        assert_eq!(pod.to_string(), "/registry/core/pods/ns/web");
        let node = ObjectKey::new(&nodes, Some("ignored"), "n1").unwrap();
        assert_eq!(node.to_string(), "/registry/core/nodes/n1");
        let deploy = ObjectKey::new(&deploys, Some("ns"), "api").unwrap();
        assert_eq!(deploy.to_string(), "/registry/apps/deployments/ns/api");
        for key in [pod, node, deploy] {
            assert_eq!(ObjectKey::parse(key.to_string().as_bytes()).unwrap(), key);
        }
        assert_eq!(resource_prefix(&pods), "/registry/core/pods/");
        assert_eq!(
            list_prefix(&pods, Some("a")).unwrap(),
            "/registry/core/pods/a/"
        );
    }

    #[test]
    fn bad_keys_and_names_are_typed_errors() {
        let pods = ApiResource::new("", "v1", "Pod", "pods", Scope::Namespaced);
        assert!(matches!(
            ObjectKey::parse(b"/other/core/pods/ns/web"),
            Err(KeyError::OutsideRegistry { .. })
        ));
        for bad in [
            &b"/registry/core/pods"[..],
            b"/registry/core/pods/a/b/c",
            b"/registry/core/pods/../x",
            b"/registry/core/pods/\xff",
        ] {
            assert!(matches!(
                ObjectKey::parse(bad),
                Err(KeyError::Malformed { .. })
            ));
        }
        for name in ["", ".", "..", "a/b", "a%2f"] {
            assert!(ObjectKey::new(&pods, Some("ns"), name).is_err(), "{name}");
        }
        assert!(ObjectKey::new(&pods, None, "web").is_err());
        assert!(list_prefix(&pods, Some("a/b")).is_err());
        let e: ClientError = ObjectKey::new(&pods, Some("ns"), "a/b").unwrap_err().into();
        assert_eq!(e.code(), 400);
    }
}
