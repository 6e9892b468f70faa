//! apps/v1: DaemonSet.
//!
//! PLACEHOLDER: only metadata is modelled so far.

use serde::Deserialize;

use crate::meta::ObjectMeta;
use crate::resource::resource;

/// A apps/v1 DaemonSet.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct DaemonSet {
    /// Standard object metadata.
    #[serde(default)]
    pub metadata: ObjectMeta,
}

resource! {
    DaemonSet {
        group: "apps",
        version: "v1",
        api_version: "apps/v1",
        plural: "daemonsets",
        scope: Namespaced,
    }
    fields {}
}
