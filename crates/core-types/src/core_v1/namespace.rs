//! v1: Namespace.
//!
//! PLACEHOLDER: only metadata is modelled so far.

use serde::Deserialize;

use crate::meta::ObjectMeta;
use crate::resource::resource;

/// A v1 Namespace.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct Namespace {
    /// Standard object metadata.
    #[serde(default)]
    pub metadata: ObjectMeta,
}

resource! {
    Namespace {
        group: "",
        version: "v1",
        api_version: "v1",
        plural: "namespaces",
        scope: Cluster,
    }
    fields {}
}
