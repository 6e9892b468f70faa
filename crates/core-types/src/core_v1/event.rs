//! v1: Event.
//!
//! PLACEHOLDER: only metadata is modelled so far.

use serde::Deserialize;

use crate::meta::ObjectMeta;
use crate::resource::resource;

/// A v1 Event.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct Event {
    /// Standard object metadata.
    #[serde(default)]
    pub metadata: ObjectMeta,
}

resource! {
    Event {
        group: "",
        version: "v1",
        api_version: "v1",
        plural: "events",
        scope: Namespaced,
    }
    fields {}
}
