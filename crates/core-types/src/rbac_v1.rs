//! rbac.authorization.k8s.io/v1: Role, ClusterRole, RoleBinding, ClusterRoleBinding.

use serde::{Deserialize, Serialize};

use crate::meta::ObjectMeta;
use crate::resource::resource;
use crate::selector::LabelSelector;

/// A Role: a set of permissions within one namespace.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct Role {
    /// Standard object metadata.
    #[serde(default)]
    pub metadata: ObjectMeta,
    /// The permissions granted.
    #[serde(default, deserialize_with = "crate::serde_util::exact_vec")]
    pub rules: Vec<PolicyRule>,
}

resource! {
    Role {
        group: "rbac.authorization.k8s.io",
        version: "v1",
        api_version: "rbac.authorization.k8s.io/v1",
        plural: "roles",
        scope: Namespaced,
    }
    fields { [rules, "rules", omitempty] }
}

/// A ClusterRole: a set of permissions usable cluster-wide (or in a namespace, through a
/// RoleBinding), possibly aggregated from other ClusterRoles.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ClusterRole {
    /// Standard object metadata.
    #[serde(default)]
    pub metadata: ObjectMeta,
    /// The permissions granted; filled in by the controller when `aggregationRule` is set.
    #[serde(default, deserialize_with = "crate::serde_util::exact_vec")]
    pub rules: Vec<PolicyRule>,
    /// ClusterRoles whose rules are merged into this one.
    #[serde(default)]
    pub aggregation_rule: Option<AggregationRule>,
}

resource! {
    ClusterRole {
        group: "rbac.authorization.k8s.io",
        version: "v1",
        api_version: "rbac.authorization.k8s.io/v1",
        plural: "clusterroles",
        scope: Cluster,
    }
    fields { [rules, "rules", omitempty] [aggregation_rule, "aggregationRule", omitempty] }
}

/// A RoleBinding: grants a Role's (or a ClusterRole's) permissions to subjects within the
/// binding's namespace.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RoleBinding {
    /// Standard object metadata.
    #[serde(default)]
    pub metadata: ObjectMeta,
    /// Who is granted the role.
    #[serde(default, deserialize_with = "crate::serde_util::exact_vec")]
    pub subjects: Vec<Subject>,
    /// The Role or ClusterRole granted; cannot be changed after creation (always written).
    #[serde(default)]
    pub role_ref: RoleRef,
}

resource! {
    RoleBinding {
        group: "rbac.authorization.k8s.io",
        version: "v1",
        api_version: "rbac.authorization.k8s.io/v1",
        plural: "rolebindings",
        scope: Namespaced,
    }
    fields { [subjects, "subjects", omitempty] [role_ref, "roleRef"] }
}

/// A ClusterRoleBinding: grants a ClusterRole's permissions to subjects cluster-wide.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ClusterRoleBinding {
    /// Standard object metadata.
    #[serde(default)]
    pub metadata: ObjectMeta,
    /// Who is granted the role.
    #[serde(default, deserialize_with = "crate::serde_util::exact_vec")]
    pub subjects: Vec<Subject>,
    /// The ClusterRole granted; cannot be changed after creation (always written).
    #[serde(default)]
    pub role_ref: RoleRef,
}

resource! {
    ClusterRoleBinding {
        group: "rbac.authorization.k8s.io",
        version: "v1",
        api_version: "rbac.authorization.k8s.io/v1",
        plural: "clusterrolebindings",
        scope: Cluster,
    }
    fields { [subjects, "subjects", omitempty] [role_ref, "roleRef"] }
}

/// One permission: verbs allowed on resources (or on non-resource URLs).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PolicyRule {
    /// Allowed verbs (`get`, `list`, `watch`, `create`, `update`, `patch`, `delete`,
    /// ...); `*` means all.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::serde_util::exact_vec"
    )]
    pub verbs: Vec<String>,
    /// API groups of the resources; `""` is the core group, `*` means all.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::serde_util::exact_vec"
    )]
    pub api_groups: Vec<String>,
    /// Resources (plural names, `pods/log` for subresources); `*` means all.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::serde_util::exact_vec"
    )]
    pub resources: Vec<String>,
    /// Restricts the rule to objects with these names; empty means any name.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::serde_util::exact_vec"
    )]
    pub resource_names: Vec<String>,
    /// URL paths that are not resources (`/healthz`, `/api/*`), for ClusterRoles only.
    #[serde(
        default,
        rename = "nonResourceURLs",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub non_resource_urls: Vec<String>,
}

/// Which ClusterRoles an aggregated ClusterRole collects rules from.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AggregationRule {
    /// ClusterRoles matching any of these selectors contribute their rules.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::serde_util::exact_vec"
    )]
    pub cluster_role_selectors: Vec<LabelSelector>,
}

/// Who a binding grants permissions to: a user, a group or a service account.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Subject {
    /// `User`, `Group` or `ServiceAccount`.
    #[serde(default)]
    pub kind: String,
    /// API group of the kind: `rbac.authorization.k8s.io` for users and groups, empty for
    /// service accounts.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub api_group: String,
    /// Name of the user, group or service account.
    #[serde(default)]
    pub name: String,
    /// Namespace of a service account; empty for users and groups.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub namespace: String,
}

/// The role a binding grants.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RoleRef {
    /// API group of the role: `rbac.authorization.k8s.io`.
    #[serde(default)]
    pub api_group: String,
    /// `Role` or `ClusterRole`.
    #[serde(default)]
    pub kind: String,
    /// Name of the role.
    #[serde(default)]
    pub name: String,
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::apps_v1::test_support::{json, round_trip, same_as_k8s_openapi};

    const ROLE: &str = r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: pod-reader
  namespace: default
rules:
- verbs: [get, list, watch]
  apiGroups: [""]
  resources: [pods, pods/log]
  resourceNames: [web-0]
"#;

    const CLUSTER_ROLE: &str = r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: monitoring
rules:
- verbs: [get]
  nonResourceURLs: [/metrics, /healthz/*]
aggregationRule:
  clusterRoleSelectors:
  - matchLabels:
      rbac.example.com/aggregate-to-monitoring: "true"
"#;

    const ROLE_BINDING: &str = r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: read-pods
  namespace: default
subjects:
- kind: User
  apiGroup: rbac.authorization.k8s.io
  name: jane
- kind: ServiceAccount
  name: builder
  namespace: ci
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: pod-reader
"#;

    const CLUSTER_ROLE_BINDING: &str = r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: ops-admin
subjects:
- kind: Group
  apiGroup: rbac.authorization.k8s.io
  name: ops
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: cluster-admin
"#;

    #[test]
    fn rbac_kinds_round_trip() {
        use k8s_openapi::api::rbac::v1 as k;
        let r: Role = round_trip(ROLE);
        same_as_k8s_openapi::<k::Role>(ROLE);
        assert_eq!(r.rules[0].api_groups, [""]);
        let c: ClusterRole = round_trip(CLUSTER_ROLE);
        same_as_k8s_openapi::<k::ClusterRole>(CLUSTER_ROLE);
        assert_eq!(c.rules[0].non_resource_urls, ["/metrics", "/healthz/*"]);
        assert_eq!(c.aggregation_rule.unwrap().cluster_role_selectors.len(), 1);
        let b: RoleBinding = round_trip(ROLE_BINDING);
        same_as_k8s_openapi::<k::RoleBinding>(ROLE_BINDING);
        assert_eq!(b.subjects[1].namespace, "ci");
        assert_eq!(b.role_ref.name, "pod-reader");
        let cb: ClusterRoleBinding = round_trip(CLUSTER_ROLE_BINDING);
        same_as_k8s_openapi::<k::ClusterRoleBinding>(CLUSTER_ROLE_BINDING);
        assert_eq!(cb.role_ref.kind, "ClusterRole");
    }

    #[test]
    fn role_ref_is_always_written_and_empty_lists_omitted() {
        assert_eq!(
            json(&RoleBinding::default()),
            r#"{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"RoleBinding","metadata":{},"roleRef":{"apiGroup":"","kind":"","name":""}}"#
        );
        assert_eq!(
            json(&ClusterRole::default()),
            r#"{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRole","metadata":{}}"#
        );
        assert_eq!(json(&Subject::default()), r#"{"kind":"","name":""}"#);
    }

    #[test]
    fn bad_input_is_an_error() {
        let err = crate::decode::from_value::<Role>(serde_json::json!({
            "rules": [{"verbs": "get"}]
        }))
        .unwrap_err();
        assert!(err.to_string().starts_with("rules[0].verbs"), "{err}");
    }
}
