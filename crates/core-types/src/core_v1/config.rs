//! v1: ConfigMap, Secret, ServiceAccount.
//!
//! PLACEHOLDER: only metadata is modelled so far.

use serde::Deserialize;

use crate::meta::ObjectMeta;
use crate::resource::resource;

/// A v1 ConfigMap.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct ConfigMap {
    /// Standard object metadata.
    #[serde(default)]
    pub metadata: ObjectMeta,
}

resource! {
    ConfigMap {
        group: "",
        version: "v1",
        api_version: "v1",
        plural: "configmaps",
        scope: Namespaced,
    }
    fields {}
}

/// A v1 Secret.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct Secret {
    /// Standard object metadata.
    #[serde(default)]
    pub metadata: ObjectMeta,
}

resource! {
    Secret {
        group: "",
        version: "v1",
        api_version: "v1",
        plural: "secrets",
        scope: Namespaced,
    }
    fields {}
}

/// A v1 ServiceAccount.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct ServiceAccount {
    /// Standard object metadata.
    #[serde(default)]
    pub metadata: ObjectMeta,
}

resource! {
    ServiceAccount {
        group: "",
        version: "v1",
        api_version: "v1",
        plural: "serviceaccounts",
        scope: Namespaced,
    }
    fields {}
}
