//! autoscaling/v2: HorizontalPodAutoscaler.
//!
//! PLACEHOLDER: only metadata is modelled so far.

use serde::Deserialize;

use crate::meta::ObjectMeta;
use crate::resource::resource;

/// A autoscaling/v2 HorizontalPodAutoscaler.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct HorizontalPodAutoscaler {
    /// Standard object metadata.
    #[serde(default)]
    pub metadata: ObjectMeta,
}

resource! {
    HorizontalPodAutoscaler {
        group: "autoscaling",
        version: "v2",
        api_version: "autoscaling/v2",
        plural: "horizontalpodautoscalers",
        scope: Namespaced,
    }
    fields {}
}
