//! networking.k8s.io/v1: Ingress.
//!
//! PLACEHOLDER: only metadata is modelled so far.

use serde::Deserialize;

use crate::meta::ObjectMeta;
use crate::resource::resource;

/// A networking.k8s.io/v1 Ingress.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct Ingress {
    /// Standard object metadata.
    #[serde(default)]
    pub metadata: ObjectMeta,
}

resource! {
    Ingress {
        group: "networking.k8s.io",
        version: "v1",
        api_version: "networking.k8s.io/v1",
        plural: "ingresses",
        scope: Namespaced,
    }
    fields {}
}
