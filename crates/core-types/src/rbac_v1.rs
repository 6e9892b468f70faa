//! rbac.authorization.k8s.io/v1: Role, ClusterRole, RoleBinding, ClusterRoleBinding.
//!
//! PLACEHOLDER: only metadata is modelled so far.

use serde::Deserialize;

use crate::meta::ObjectMeta;
use crate::resource::resource;

/// A rbac.authorization.k8s.io/v1 Role.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct Role {
    /// Standard object metadata.
    #[serde(default)]
    pub metadata: ObjectMeta,
}

resource! {
    Role {
        group: "rbac.authorization.k8s.io",
        version: "v1",
        api_version: "rbac.authorization.k8s.io/v1",
        plural: "roles",
        scope: Namespaced,
    }
    fields {}
}

/// A rbac.authorization.k8s.io/v1 ClusterRole.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct ClusterRole {
    /// Standard object metadata.
    #[serde(default)]
    pub metadata: ObjectMeta,
}

resource! {
    ClusterRole {
        group: "rbac.authorization.k8s.io",
        version: "v1",
        api_version: "rbac.authorization.k8s.io/v1",
        plural: "clusterroles",
        scope: Cluster,
    }
    fields {}
}

/// A rbac.authorization.k8s.io/v1 RoleBinding.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct RoleBinding {
    /// Standard object metadata.
    #[serde(default)]
    pub metadata: ObjectMeta,
}

resource! {
    RoleBinding {
        group: "rbac.authorization.k8s.io",
        version: "v1",
        api_version: "rbac.authorization.k8s.io/v1",
        plural: "rolebindings",
        scope: Namespaced,
    }
    fields {}
}

/// A rbac.authorization.k8s.io/v1 ClusterRoleBinding.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct ClusterRoleBinding {
    /// Standard object metadata.
    #[serde(default)]
    pub metadata: ObjectMeta,
}

resource! {
    ClusterRoleBinding {
        group: "rbac.authorization.k8s.io",
        version: "v1",
        api_version: "rbac.authorization.k8s.io/v1",
        plural: "clusterrolebindings",
        scope: Cluster,
    }
    fields {}
}
