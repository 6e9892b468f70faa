//! apps/v1: ReplicaSet.
//!
//! PLACEHOLDER: only metadata is modelled so far.

use serde::Deserialize;

use crate::meta::ObjectMeta;
use crate::resource::resource;

/// A apps/v1 ReplicaSet.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct ReplicaSet {
    /// Standard object metadata.
    #[serde(default)]
    pub metadata: ObjectMeta,
}

resource! {
    ReplicaSet {
        group: "apps",
        version: "v1",
        api_version: "apps/v1",
        plural: "replicasets",
        scope: Namespaced,
    }
    fields {}
}
