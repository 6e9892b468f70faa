//! apps/v1: ControllerRevision.
//!
//! PLACEHOLDER: only metadata is modelled so far.

use serde::Deserialize;

use crate::meta::ObjectMeta;
use crate::resource::resource;

/// A apps/v1 ControllerRevision.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct ControllerRevision {
    /// Standard object metadata.
    #[serde(default)]
    pub metadata: ObjectMeta,
}

resource! {
    ControllerRevision {
        group: "apps",
        version: "v1",
        api_version: "apps/v1",
        plural: "controllerrevisions",
        scope: Namespaced,
    }
    fields {}
}
