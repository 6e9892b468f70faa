//! coordination.k8s.io/v1: Lease.
//!
//! PLACEHOLDER: only metadata is modelled so far.

use serde::Deserialize;

use crate::meta::ObjectMeta;
use crate::resource::resource;

/// A coordination.k8s.io/v1 Lease.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct Lease {
    /// Standard object metadata.
    #[serde(default)]
    pub metadata: ObjectMeta,
}

resource! {
    Lease {
        group: "coordination.k8s.io",
        version: "v1",
        api_version: "coordination.k8s.io/v1",
        plural: "leases",
        scope: Namespaced,
    }
    fields {}
}
