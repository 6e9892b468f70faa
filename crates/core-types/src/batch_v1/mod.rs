//! The `batch/v1` API group: run-to-completion workloads (Job) and their schedules
//! (CronJob).

mod cron_job;
mod job;

pub use cron_job::*;
pub use job::*;
