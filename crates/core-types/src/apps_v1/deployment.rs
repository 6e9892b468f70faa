//! apps/v1: Deployment.
//!
//! PLACEHOLDER: only metadata is modelled so far.

use serde::Deserialize;

use crate::meta::ObjectMeta;
use crate::resource::resource;

/// A apps/v1 Deployment.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct Deployment {
    /// Standard object metadata.
    #[serde(default)]
    pub metadata: ObjectMeta,
}

resource! {
    Deployment {
        group: "apps",
        version: "v1",
        api_version: "apps/v1",
        plural: "deployments",
        scope: Namespaced,
    }
    fields {}
}
