//! v1: ReplicationController.
//!
//! PLACEHOLDER: only metadata is modelled so far.

use serde::Deserialize;

use crate::meta::ObjectMeta;
use crate::resource::resource;

/// A v1 ReplicationController.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct ReplicationController {
    /// Standard object metadata.
    #[serde(default)]
    pub metadata: ObjectMeta,
}

resource! {
    ReplicationController {
        group: "",
        version: "v1",
        api_version: "v1",
        plural: "replicationcontrollers",
        scope: Namespaced,
    }
    fields {}
}
