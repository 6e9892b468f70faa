//! v1: Node.
//!
//! PLACEHOLDER: only metadata is modelled so far.

use serde::Deserialize;

use crate::meta::ObjectMeta;
use crate::resource::resource;

/// A v1 Node.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct Node {
    /// Standard object metadata.
    #[serde(default)]
    pub metadata: ObjectMeta,
}

resource! {
    Node {
        group: "",
        version: "v1",
        api_version: "v1",
        plural: "nodes",
        scope: Cluster,
    }
    fields {}
}
