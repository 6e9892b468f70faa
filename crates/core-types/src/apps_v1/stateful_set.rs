//! apps/v1: StatefulSet.
//!
//! PLACEHOLDER: only metadata is modelled so far.

use serde::Deserialize;

use crate::meta::ObjectMeta;
use crate::resource::resource;

/// A apps/v1 StatefulSet.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct StatefulSet {
    /// Standard object metadata.
    #[serde(default)]
    pub metadata: ObjectMeta,
}

resource! {
    StatefulSet {
        group: "apps",
        version: "v1",
        api_version: "apps/v1",
        plural: "statefulsets",
        scope: Namespaced,
    }
    fields {}
}
