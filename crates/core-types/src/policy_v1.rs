//! policy/v1: PodDisruptionBudget.
//!
//! PLACEHOLDER: only metadata is modelled so far.

use serde::Deserialize;

use crate::meta::ObjectMeta;
use crate::resource::resource;

/// A policy/v1 PodDisruptionBudget.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct PodDisruptionBudget {
    /// Standard object metadata.
    #[serde(default)]
    pub metadata: ObjectMeta,
}

resource! {
    PodDisruptionBudget {
        group: "policy",
        version: "v1",
        api_version: "policy/v1",
        plural: "poddisruptionbudgets",
        scope: Namespaced,
    }
    fields {}
}
