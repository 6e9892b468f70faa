use super::super::test_support::{check, check_valid};
use super::check_cron;

const JOB: &str = "
apiVersion: batch/v1
kind: Job
metadata: {name: pi, namespace: default}
spec:
  backoffLimit: 4
  template:
    metadata: {labels: {app: pi}}
    spec:
      restartPolicy: Never
      dnsPolicy: ClusterFirst
      containers: [{name: pi, image: perl, imagePullPolicy: Always, terminationMessagePolicy: File}]
";

#[test]
fn jobs() {
    let long_name = format!("metadata: {{name: {}}}", "a".repeat(64));
    let long_err = format!(
        r#"metadata.name: Invalid value: "{}": must be no more than 63 characters"#,
        "a".repeat(64)
    );
    check(
        JOB,
        &[
            (
                "spec: {template: {spec: {restartPolicy: Always}}}",
                &[
                    r#"spec.template.spec.restartPolicy: Unsupported value: "Always": supported values: "OnFailure", "Never""#,
                ],
            ),
            // Defaulting would fill `Always`, which a Job may not use.
            (
                "spec: {template: {spec: {restartPolicy: null}}}",
                &[
                    r#"spec.template.spec.restartPolicy: Unsupported value: "": supported values: "OnFailure", "Never""#,
                ],
            ),
            (
                "spec: {parallelism: -1, completions: -1, backoffLimit: -1, ttlSecondsAfterFinished: -5}",
                &[
                    r#"spec.parallelism: Invalid value: "-1": must be greater than or equal to 0"#,
                    r#"spec.completions: Invalid value: "-1": must be greater than or equal to 0"#,
                    r#"spec.backoffLimit: Invalid value: "-1": must be greater than or equal to 0"#,
                    r#"spec.ttlSecondsAfterFinished: Invalid value: "-5": must be greater than or equal to 0"#,
                ],
            ),
            (
                "spec: {completionMode: Indexed}",
                &["spec.completions: Required value: when completion mode is Indexed"],
            ),
            (
                "spec: {completionMode: Sometimes, backoffLimitPerIndex: 1}",
                &[
                    r#"spec.completionMode: Unsupported value: "Sometimes": supported values: "NonIndexed", "Indexed""#,
                    "spec.backoffLimitPerIndex: Forbidden: requires indexed completion mode",
                ],
            ),
            (
                "spec: {manualSelector: true}",
                &["spec.selector: Required value: when `manualSelector` is true"],
            ),
            (
                "spec: {manualSelector: true, selector: {matchLabels: {app: other}}}",
                &[
                    r#"spec.template.metadata.labels: Invalid value: "app=pi": selector does not match template labels"#,
                ],
            ),
            (
                "spec: {template: {spec: {restartPolicy: OnFailure}}, podFailurePolicy: {rules: [{action: Explode, onExitCodes: {operator: In, values: [0, 3, 2]}, onPodConditions: [{type: DisruptionTarget}]}]}}",
                &[
                    r#"spec.podFailurePolicy: Invalid value: "": may only be used when the template's restartPolicy is Never"#,
                    r#"spec.podFailurePolicy.rules[0].action: Unsupported value: "Explode": supported values: "FailJob", "FailIndex", "Ignore", "Count""#,
                    r#"spec.podFailurePolicy.rules[0]: Invalid value: "": must specify exactly one of `onExitCodes` and `onPodConditions`"#,
                    r#"spec.podFailurePolicy.rules[0].onExitCodes.values[0]: Invalid value: "0": must not be 0 for the In operator"#,
                    r#"spec.podFailurePolicy.rules[0].onExitCodes.values[2]: Invalid value: "2": must be ordered and unique"#,
                    "spec.podFailurePolicy.rules[0].onPodConditions[0].status: Required value",
                ],
            ),
            (&long_name, &[long_err.as_str()]),
        ],
    );
    check_valid(
        JOB,
        &[
            "spec: {completionMode: Indexed, completions: 5, parallelism: 2, backoffLimitPerIndex: 1, maxFailedIndexes: 2}",
            "spec: {podFailurePolicy: {rules: [{action: Ignore, onPodConditions: [{type: DisruptionTarget, status: 'True'}]}, {action: FailJob, onExitCodes: {containerName: pi, operator: In, values: [1, 42]}}]}}",
            "spec: {template: {spec: {restartPolicy: OnFailure}}}",
        ],
    );
}

const CRON_JOB: &str = "
apiVersion: batch/v1
kind: CronJob
metadata: {name: hello, namespace: default}
spec:
  schedule: '*/5 * * * *'
  concurrencyPolicy: Forbid
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          dnsPolicy: ClusterFirst
          containers: [{name: hello, image: busybox, imagePullPolicy: Always, terminationMessagePolicy: File}]
";

#[test]
fn cron_jobs() {
    let long_name = format!("metadata: {{name: {}}}", "a".repeat(53));
    let long_err = format!(
        r#"metadata.name: Invalid value: "{}": must be no more than 52 characters"#,
        "a".repeat(53)
    );
    check(
        CRON_JOB,
        &[
            ("spec: {schedule: ''}", &["spec.schedule: Required value"]),
            (
                "spec: {schedule: '61 * * * *'}",
                &[
                    r#"spec.schedule: Invalid value: "61 * * * *": not a valid cron schedule: minute field "61": 61 is out of range 0-59"#,
                ],
            ),
            (
                "spec: {schedule: '* * *'}",
                &[
                    r#"spec.schedule: Invalid value: "* * *": not a valid cron schedule: expected exactly 5 fields (minute hour day-of-month month day-of-week), found 3"#,
                ],
            ),
            (
                "spec: {schedule: 'CRON_TZ=UTC 0 * * * *'}",
                &[
                    r#"spec.schedule: Invalid value: "CRON_TZ=UTC 0 * * * *": cannot use TZ or CRON_TZ in schedule, use the timeZone field instead"#,
                ],
            ),
            (
                "spec: {timeZone: 'Not A Zone', concurrencyPolicy: Sometimes, successfulJobsHistoryLimit: -1}",
                &[
                    r#"spec.timeZone: Invalid value: "Not A Zone": unknown time zone: must be an IANA time zone name such as 'Europe/Paris' or 'UTC'"#,
                    r#"spec.concurrencyPolicy: Unsupported value: "Sometimes": supported values: "Allow", "Forbid", "Replace""#,
                    r#"spec.successfulJobsHistoryLimit: Invalid value: "-1": must be greater than or equal to 0"#,
                ],
            ),
            (
                "spec: {jobTemplate: {spec: {template: {spec: {restartPolicy: Always}}}}}",
                &[
                    r#"spec.jobTemplate.spec.template.spec.restartPolicy: Unsupported value: "Always": supported values: "OnFailure", "Never""#,
                ],
            ),
            (&long_name, &[long_err.as_str()]),
        ],
    );
    check_valid(
        CRON_JOB,
        &[
            "spec: {schedule: '@weekly', timeZone: Europe/Paris}",
            "spec: {schedule: '0 9 * JAN-MAR mon-fri'}",
            "spec: {schedule: '@every 1h30m'}",
            "spec: {schedule: '0 0 ? * SUN/2'}",
        ],
    );
}

#[test]
fn cron_syntax() {
    for ok in [
        "* * * * *",
        "0,15,30,45 0-23/2 1-31 */3 0-6",
        "@hourly",
        "5 4 * * sun",
    ] {
        assert_eq!(check_cron(ok), Ok(()), "{ok}");
    }
    for (bad, why) in [
        ("@often", "unrecognized descriptor: @often"),
        (
            "*/0 * * * *",
            "minute field \"*/0\": step \"0\" must be a positive number",
        ),
        (
            "0 0 31-1 * *",
            "day of month field \"31-1\": range \"31-1\" starts after it ends",
        ),
        (
            "0 0 * FOO *",
            "month field \"FOO\": \"FOO\" is not a number",
        ),
        (
            "0 0 * * 7",
            "day of week field \"7\": 7 is out of range 0-6",
        ),
        ("@every soon", "invalid duration \"soon\" in @every"),
    ] {
        assert_eq!(check_cron(bad), Err(why.to_owned()), "{bad}");
    }
}
