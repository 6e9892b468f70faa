//! batch/v1: Job, CronJob.
//!
//! PLACEHOLDER: only metadata is modelled so far.

use serde::Deserialize;

use crate::meta::ObjectMeta;
use crate::resource::resource;

/// A batch/v1 Job.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct Job {
    /// Standard object metadata.
    #[serde(default)]
    pub metadata: ObjectMeta,
}

resource! {
    Job {
        group: "batch",
        version: "v1",
        api_version: "batch/v1",
        plural: "jobs",
        scope: Namespaced,
    }
    fields {}
}

/// A batch/v1 CronJob.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct CronJob {
    /// Standard object metadata.
    #[serde(default)]
    pub metadata: ObjectMeta,
}

resource! {
    CronJob {
        group: "batch",
        version: "v1",
        api_version: "batch/v1",
        plural: "cronjobs",
        scope: Namespaced,
    }
    fields {}
}
