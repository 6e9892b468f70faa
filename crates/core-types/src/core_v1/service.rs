//! v1: Service, Endpoints.
//!
//! PLACEHOLDER: only metadata is modelled so far.

use serde::Deserialize;

use crate::meta::ObjectMeta;
use crate::resource::resource;

/// A v1 Service.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct Service {
    /// Standard object metadata.
    #[serde(default)]
    pub metadata: ObjectMeta,
}

resource! {
    Service {
        group: "",
        version: "v1",
        api_version: "v1",
        plural: "services",
        scope: Namespaced,
    }
    fields {}
}

/// A v1 Endpoints.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct Endpoints {
    /// Standard object metadata.
    #[serde(default)]
    pub metadata: ObjectMeta,
}

resource! {
    Endpoints {
        group: "",
        version: "v1",
        api_version: "v1",
        plural: "endpoints",
        scope: Namespaced,
    }
    fields {}
}
