//! batch/v1 CronJob: Jobs created on a cron schedule.

use serde::{Deserialize, Serialize};

use crate::batch_v1::JobSpec;
use crate::core_v1::ObjectReference;
use crate::meta::ObjectMeta;
use crate::resource::resource;
use crate::time::Time;

/// A CronJob: creates a Job from a template at each time its schedule names.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct CronJob {
    /// Standard object metadata.
    #[serde(default)]
    pub metadata: ObjectMeta,
    /// Desired behaviour.
    #[serde(default)]
    pub spec: CronJobSpec,
    /// Observed state, written by the controller; left out of the wire form when empty.
    #[serde(default)]
    pub status: CronJobStatus,
}

resource! {
    CronJob {
        group: "batch",
        version: "v1",
        api_version: "batch/v1",
        plural: "cronjobs",
        scope: Namespaced,
    }
    fields { [spec, "spec"] [status, "status"] }
}

/// Desired behaviour of a CronJob.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CronJobSpec {
    /// The schedule in cron syntax (`*/5 * * * *`, `@hourly`); always written.
    #[serde(default)]
    pub schedule: String,
    /// IANA time zone the schedule is read in (e.g. `Europe/Paris`); unset means the
    /// controller's local time zone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_zone: Option<String>,
    /// Seconds after a missed scheduled time during which the job may still start.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub starting_deadline_seconds: Option<i64>,
    /// What to do when a run is due while the previous one still runs: `Allow` (the
    /// default), `Forbid` (skip the new run) or `Replace` (stop the old one).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub concurrency_policy: String,
    /// While true, no new runs are started.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suspend: Option<bool>,
    /// The Job created at each run.
    #[serde(default)]
    pub job_template: JobTemplateSpec,
    /// Finished successful Jobs to keep; unset means 3.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub successful_jobs_history_limit: Option<i32>,
    /// Finished failed Jobs to keep; unset means 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failed_jobs_history_limit: Option<i32>,
}

/// The Job a CronJob creates: metadata and spec.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JobTemplateSpec {
    /// Metadata given to the Jobs created.
    #[serde(default)]
    pub metadata: ObjectMeta,
    /// Spec of the Jobs created.
    #[serde(default)]
    pub spec: JobSpec,
}

/// Observed state of a CronJob.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CronJobStatus {
    /// The Jobs currently running.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::serde_util::exact_vec"
    )]
    pub active: Vec<ObjectReference>,
    /// When a Job was last started on schedule.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_schedule_time: Option<Time>,
    /// When a Job last finished successfully.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_successful_time: Option<Time>,
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::apps_v1::test_support::{json, round_trip, same_as_k8s_openapi};

    const CRON_JOB: &str = r#"
apiVersion: batch/v1
kind: CronJob
metadata:
  name: backup
  namespace: ops
spec:
  schedule: "0 3 * * *"
  timeZone: Europe/Paris
  startingDeadlineSeconds: 300
  concurrencyPolicy: Forbid
  suspend: true
  jobTemplate:
    metadata:
      labels:
        job: backup
    spec:
      backoffLimit: 2
      template:
        metadata:
          labels:
            job: backup
  successfulJobsHistoryLimit: 5
  failedJobsHistoryLimit: 2
status:
  active:
  - apiVersion: batch/v1
    kind: Job
    name: backup-28500000
    namespace: ops
    uid: 0c2d
    resourceVersion: "123"
  lastScheduleTime: "2024-05-01T03:00:00Z"
  lastSuccessfulTime: "2024-04-30T03:02:11Z"
"#;

    #[test]
    fn full_cron_job_round_trips() {
        let c: CronJob = round_trip(CRON_JOB);
        same_as_k8s_openapi::<k8s_openapi::api::batch::v1::CronJob>(CRON_JOB);
        assert_eq!(c.spec.schedule, "0 3 * * *");
        assert_eq!(c.spec.job_template.spec.backoff_limit, Some(2));
        assert_eq!(c.status.active[0].name, "backup-28500000");
    }

    #[test]
    fn schedule_and_job_template_are_always_written() {
        assert_eq!(
            json(&CronJob::default()),
            r#"{"apiVersion":"batch/v1","kind":"CronJob","metadata":{},"spec":{"schedule":"","jobTemplate":{"metadata":{},"spec":{"template":{"metadata":{},"spec":{"containers":[]}}}}},"status":{}}"#
        );
        let err = crate::decode::from_value::<CronJob>(serde_json::json!({
            "spec": {"schedule": 5}
        }))
        .unwrap_err();
        assert!(err.to_string().starts_with("spec.schedule"), "{err}");
    }
}
