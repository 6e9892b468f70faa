//! scheduling.k8s.io/v1: PriorityClass.
//!
//! PLACEHOLDER: only metadata is modelled so far.

use serde::Deserialize;

use crate::meta::ObjectMeta;
use crate::resource::resource;

/// A scheduling.k8s.io/v1 PriorityClass.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct PriorityClass {
    /// Standard object metadata.
    #[serde(default)]
    pub metadata: ObjectMeta,
}

resource! {
    PriorityClass {
        group: "scheduling.k8s.io",
        version: "v1",
        api_version: "scheduling.k8s.io/v1",
        plural: "priorityclasses",
        scope: Cluster,
    }
    fields {}
}
