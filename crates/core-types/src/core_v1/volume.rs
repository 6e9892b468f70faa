//! v1: PersistentVolume, PersistentVolumeClaim.
//!
//! PLACEHOLDER: only metadata is modelled so far.

use serde::Deserialize;

use crate::meta::ObjectMeta;
use crate::resource::resource;

/// A v1 PersistentVolume.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct PersistentVolume {
    /// Standard object metadata.
    #[serde(default)]
    pub metadata: ObjectMeta,
}

resource! {
    PersistentVolume {
        group: "",
        version: "v1",
        api_version: "v1",
        plural: "persistentvolumes",
        scope: Cluster,
    }
    fields {}
}

/// A v1 PersistentVolumeClaim.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct PersistentVolumeClaim {
    /// Standard object metadata.
    #[serde(default)]
    pub metadata: ObjectMeta,
}

resource! {
    PersistentVolumeClaim {
        group: "",
        version: "v1",
        api_version: "v1",
        plural: "persistentvolumeclaims",
        scope: Namespaced,
    }
    fields {}
}
