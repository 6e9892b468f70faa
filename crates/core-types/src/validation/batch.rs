//! Jobs and CronJobs, with a syntax check for cron schedules.

use std::collections::BTreeSet;

use super::common::{
    enum_option, enum_required, label_selector, non_negative, required, required_name,
    selector_matches_template,
};
use super::pod::{PodSpecOptions, validate_pod_template_with};
use super::{
    FieldError, FieldPath, Validate, ValidationErrors, names, validate_annotations,
    validate_labels, validate_object_meta,
};
use crate::batch_v1::{CronJob, Job, JobSpec, PodFailurePolicy};
use crate::resource::Scope;

/// Largest `completions` and `parallelism` of an Indexed job.
const MAX_INDEXED_COMPLETIONS: i32 = 100_000;
/// Longest CronJob name: job names get an 11-character suffix and must fit a DNS label.
const MAX_CRON_JOB_NAME: usize = 52;

impl Validate for Job {
    fn validate(&self) -> Result<(), ValidationErrors> {
        let mut errs = ValidationErrors::default();
        validate_object_meta(
            &self.metadata,
            Scope::Namespaced,
            names::dns1123_subdomain,
            &mut errs,
        );
        // Pods get a `job-name` label holding the name, so it must fit a label value.
        if self.metadata.name.len() > names::LABEL_VALUE_MAX {
            errs.push(FieldError::invalid(
                &FieldPath::root("metadata").child("name"),
                &self.metadata.name,
                "must be no more than 63 characters",
            ));
        }
        validate_job_spec(&self.spec, &FieldPath::root("spec"), &mut errs);
        errs.into_result()
    }
}

fn option_non_negative<T: Into<i64> + Copy>(
    v: Option<T>,
    path: &FieldPath,
    errs: &mut ValidationErrors,
) {
    if let Some(v) = v {
        non_negative(v.into(), path, errs);
    }
}

/// Checks a job spec (of a Job or of a CronJob's job template).
fn validate_job_spec(s: &JobSpec, path: &FieldPath, errs: &mut ValidationErrors) {
    option_non_negative(s.parallelism, &path.child("parallelism"), errs);
    option_non_negative(s.completions, &path.child("completions"), errs);
    option_non_negative(
        s.active_deadline_seconds,
        &path.child("activeDeadlineSeconds"),
        errs,
    );
    option_non_negative(s.backoff_limit, &path.child("backoffLimit"), errs);
    option_non_negative(
        s.ttl_seconds_after_finished,
        &path.child("ttlSecondsAfterFinished"),
        errs,
    );
    option_non_negative(
        s.backoff_limit_per_index,
        &path.child("backoffLimitPerIndex"),
        errs,
    );
    option_non_negative(s.max_failed_indexes, &path.child("maxFailedIndexes"), errs);
    let indexed = s.completion_mode.as_deref() == Some("Indexed");
    enum_option(
        s.completion_mode.as_ref(),
        &["NonIndexed", "Indexed"],
        &path.child("completionMode"),
        errs,
    );
    if indexed {
        let cp = path.child("completions");
        match s.completions {
            None => errs.push(FieldError::required(&cp, "when completion mode is Indexed")),
            Some(c) if c > MAX_INDEXED_COMPLETIONS => errs.push(FieldError::invalid(
                &cp,
                c,
                "must be less than or equal to 100000 when completion mode is Indexed",
            )),
            Some(_) => {}
        }
        if let Some(p) = s.parallelism.filter(|p| *p > MAX_INDEXED_COMPLETIONS) {
            errs.push(FieldError::invalid(
                &path.child("parallelism"),
                p,
                "must be less than or equal to 100000 when completion mode is Indexed",
            ));
        }
    } else {
        for (field, set) in [
            ("backoffLimitPerIndex", s.backoff_limit_per_index.is_some()),
            ("maxFailedIndexes", s.max_failed_indexes.is_some()),
            ("successPolicy", s.success_policy.is_some()),
        ] {
            if set {
                errs.push(FieldError::forbidden(
                    &path.child(field),
                    "requires indexed completion mode",
                ));
            }
        }
    }
    if s.max_failed_indexes.is_some() && s.backoff_limit_per_index.is_none() {
        errs.push(FieldError::required(
            &path.child("backoffLimitPerIndex"),
            "when maxFailedIndexes is specified",
        ));
    }
    let sel = path.child("selector");
    match &s.selector {
        Some(selector) => {
            label_selector(selector, &sel, errs);
            let labels = path.child("template").child("metadata").child("labels");
            selector_matches_template(selector, &s.template.metadata.labels, &labels, errs);
        }
        None if s.manual_selector == Some(true) => {
            errs.push(FieldError::required(&sel, "when `manualSelector` is true"))
        }
        None => {}
    }
    let opts = PodSpecOptions {
        restart_policies: &["OnFailure", "Never"],
        extra_volumes: Vec::new(),
    };
    validate_pod_template_with(&s.template, &opts, &path.child("template"), errs);
    if let Some(p) = &s.pod_failure_policy {
        validate_pod_failure_policy(p, s, &path.child("podFailurePolicy"), errs);
    }
    if let Some(sp) = &s.success_policy {
        let rules = path.child("successPolicy").child("rules");
        if sp.rules.is_empty() {
            errs.push(FieldError::required(
                &rules,
                "at least one rule is required",
            ));
        }
        for (i, r) in sp.rules.iter().enumerate() {
            let p = rules.index(i);
            if r.succeeded_indexes.is_none() && r.succeeded_count.is_none() {
                errs.push(FieldError::required(
                    &p,
                    "at least one of succeededCount or succeededIndexes must be specified",
                ));
            }
            option_non_negative(r.succeeded_count, &p.child("succeededCount"), errs);
        }
    }
    let rp = path.child("podReplacementPolicy");
    enum_option(
        s.pod_replacement_policy.as_ref(),
        &["TerminatingOrFailed", "Failed"],
        &rp,
        errs,
    );
    if s.pod_failure_policy.is_some()
        && s.pod_replacement_policy
            .as_deref()
            .is_some_and(|p| p != "Failed")
    {
        errs.push(FieldError::not_supported(
            &rp,
            s.pod_replacement_policy.as_deref().unwrap_or(""),
            &["Failed"],
        ));
    }
}

fn validate_pod_failure_policy(
    p: &PodFailurePolicy,
    spec: &JobSpec,
    path: &FieldPath,
    errs: &mut ValidationErrors,
) {
    if spec.template.spec.restart_policy != "Never" {
        errs.push(FieldError::invalid(
            path,
            "",
            "may only be used when the template's restartPolicy is Never",
        ));
    }
    let containers: BTreeSet<&str> = spec
        .template
        .spec
        .all_containers()
        .map(|c| c.name.as_str())
        .collect();
    for (i, r) in p.rules.iter().enumerate() {
        let rp = path.child("rules").index(i);
        enum_required(
            &r.action,
            &["FailJob", "FailIndex", "Ignore", "Count"],
            &rp.child("action"),
            errs,
        );
        if r.action == "FailIndex" && spec.backoff_limit_per_index.is_none() {
            errs.push(FieldError::forbidden(
                &rp.child("action"),
                "FailIndex requires backoffLimitPerIndex",
            ));
        }
        if r.on_exit_codes.is_some() != r.on_pod_conditions.is_empty() {
            errs.push(FieldError::invalid(
                &rp,
                "",
                "must specify exactly one of `onExitCodes` and `onPodConditions`",
            ));
        }
        if let Some(c) = &r.on_exit_codes {
            let cp = rp.child("onExitCodes");
            enum_required(&c.operator, &["In", "NotIn"], &cp.child("operator"), errs);
            let vp = cp.child("values");
            if c.values.is_empty() {
                errs.push(FieldError::required(&vp, "at least one value is required"));
            }
            for (j, v) in c.values.iter().enumerate() {
                if c.operator == "In" && *v == 0 {
                    errs.push(FieldError::invalid(
                        &vp.index(j),
                        v,
                        "must not be 0 for the In operator",
                    ));
                }
                if j > 0 && c.values[j - 1] >= *v {
                    errs.push(FieldError::invalid(
                        &vp.index(j),
                        v,
                        "must be ordered and unique",
                    ));
                }
            }
            if let Some(name) = &c.container_name {
                if !containers.contains(name.as_str()) {
                    errs.push(FieldError::invalid(
                        &cp.child("containerName"),
                        name,
                        "must be one of the container or initContainer names in the pod template",
                    ));
                }
            }
        }
        for (j, c) in r.on_pod_conditions.iter().enumerate() {
            let cp = rp.child("onPodConditions").index(j);
            required_name(&c.type_, names::qualified_name, &cp.child("type"), errs);
            enum_required(
                &c.status,
                &["True", "False", "Unknown"],
                &cp.child("status"),
                errs,
            );
        }
    }
}

impl Validate for CronJob {
    fn validate(&self) -> Result<(), ValidationErrors> {
        let mut errs = ValidationErrors::default();
        let e = &mut errs;
        validate_object_meta(
            &self.metadata,
            Scope::Namespaced,
            names::dns1123_subdomain,
            e,
        );
        if self.metadata.name.len() > MAX_CRON_JOB_NAME {
            e.push(FieldError::invalid(
                &FieldPath::root("metadata").child("name"),
                &self.metadata.name,
                "must be no more than 52 characters",
            ));
        }
        let s = &self.spec;
        let spec = FieldPath::root("spec");
        let sp = spec.child("schedule");
        if required(&s.schedule, &sp, e) {
            if s.schedule.contains("TZ=") {
                e.push(FieldError::invalid(
                    &sp,
                    &s.schedule,
                    "cannot use TZ or CRON_TZ in schedule, use the timeZone field instead",
                ));
            } else if let Err(why) = check_cron(&s.schedule) {
                e.push(FieldError::invalid(
                    &sp,
                    &s.schedule,
                    format!("not a valid cron schedule: {why}"),
                ));
            }
        }
        if let Some(tz) = &s.time_zone {
            if !is_time_zone_name(tz) {
                e.push(FieldError::invalid(&spec.child("timeZone"), tz, "unknown time zone: must be an IANA time zone name such as 'Europe/Paris' or 'UTC'"));
            }
        }
        option_non_negative(
            s.starting_deadline_seconds,
            &spec.child("startingDeadlineSeconds"),
            e,
        );
        enum_required(
            &s.concurrency_policy,
            &["Allow", "Forbid", "Replace"],
            &spec.child("concurrencyPolicy"),
            e,
        );
        option_non_negative(
            s.successful_jobs_history_limit,
            &spec.child("successfulJobsHistoryLimit"),
            e,
        );
        option_non_negative(
            s.failed_jobs_history_limit,
            &spec.child("failedJobsHistoryLimit"),
            e,
        );
        let jt = spec.child("jobTemplate");
        let meta = jt.child("metadata");
        validate_labels(&s.job_template.metadata.labels, &meta.child("labels"), e);
        validate_annotations(
            &s.job_template.metadata.annotations,
            &meta.child("annotations"),
            e,
        );
        if s.job_template.spec.manual_selector == Some(true) {
            e.push(FieldError::not_supported(
                &jt.child("spec").child("manualSelector"),
                "true",
                &["nil", "false"],
            ));
        }
        validate_job_spec(&s.job_template.spec, &jt.child("spec"), e);
        errs.into_result()
    }
}

/// A plausible IANA time zone name: `UTC`, `Local` or `Area/Location` words.
fn is_time_zone_name(tz: &str) -> bool {
    !tz.is_empty()
        && !tz.starts_with('/')
        && !tz.ends_with('/')
        && !tz.split('/').any(|p| p.is_empty() || p == "." || p == "..")
        && tz
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'/' | b'_' | b'-' | b'+'))
}

const MONTHS: &[&str] = &[
    "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
];
const DAYS: &[&str] = &["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

/// Checks a standard cron schedule: five fields (minute, hour, day of month, month,
/// day of week), or a descriptor such as `@daily` or `@every 1h30m`.
pub(super) fn check_cron(schedule: &str) -> Result<(), String> {
    let s = schedule.trim();
    if let Some(d) = s.strip_prefix('@') {
        return match d {
            "yearly" | "annually" | "monthly" | "weekly" | "daily" | "midnight" | "hourly" => {
                Ok(())
            }
            _ => match d.strip_prefix("every ") {
                Some(dur) if is_go_duration(dur.trim()) => Ok(()),
                Some(dur) => Err(format!("invalid duration {dur:?} in @every")),
                None => Err(format!("unrecognized descriptor: @{d}")),
            },
        };
    }
    let fields: Vec<&str> = s.split_whitespace().collect();
    if fields.len() != 5 {
        return Err(format!(
            "expected exactly 5 fields (minute hour day-of-month month day-of-week), found {}",
            fields.len()
        ));
    }
    let specs: [(&str, u32, u32, &[&str]); 5] = [
        ("minute", 0, 59, &[]),
        ("hour", 0, 23, &[]),
        ("day of month", 1, 31, &[]),
        ("month", 1, 12, MONTHS),
        ("day of week", 0, 6, DAYS),
    ];
    for (field, (name, min, max, words)) in fields.iter().zip(specs) {
        for part in field.split(',') {
            cron_part(part, min, max, words)
                .map_err(|why| format!("{name} field {field:?}: {why}"))?;
        }
    }
    Ok(())
}

fn cron_part(part: &str, min: u32, max: u32, words: &[&str]) -> Result<(), String> {
    let (range, step) = match part.split_once('/') {
        Some((r, s)) => (r, Some(s)),
        None => (part, None),
    };
    if let Some(step) = step {
        match step.parse::<u32>() {
            Ok(n) if n > 0 => {}
            _ => return Err(format!("step {step:?} must be a positive number")),
        }
    }
    if range == "*" || range == "?" {
        return Ok(());
    }
    let value = |v: &str| -> Result<u32, String> {
        let n = match v.parse::<u32>() {
            Ok(n) => n,
            Err(_) => {
                let idx = words.iter().position(|w| w.eq_ignore_ascii_case(v));
                idx.and_then(|i| u32::try_from(i).ok())
                    .map(|i| i + min)
                    .ok_or_else(|| format!("{v:?} is not a number"))?
            }
        };
        if n < min || n > max {
            return Err(format!("{n} is out of range {min}-{max}"));
        }
        Ok(n)
    };
    match range.split_once('-') {
        Some((a, b)) => {
            let (a, b) = (value(a)?, value(b)?);
            if a > b {
                return Err(format!("range {range:?} starts after it ends"));
            }
        }
        None => {
            value(range)?;
        }
    }
    Ok(())
}

/// A Go duration such as `1h30m`, `90s` or `1.5h`.
fn is_go_duration(s: &str) -> bool {
    let mut rest = s;
    if rest.is_empty() {
        return false;
    }
    while !rest.is_empty() {
        let digits = rest
            .bytes()
            .take_while(|c| c.is_ascii_digit() || *c == b'.')
            .count();
        if digits == 0 {
            return false;
        }
        rest = &rest[digits..];
        let unit = ["ns", "us", "µs", "ms", "s", "m", "h"]
            .iter()
            .filter(|u| rest.starts_with(**u))
            .max_by_key(|u| u.len());
        match unit {
            Some(u) => rest = &rest[u.len()..],
            None => return false,
        }
    }
    true
}

#[cfg(test)]
#[path = "batch_tests.rs"]
mod tests;
