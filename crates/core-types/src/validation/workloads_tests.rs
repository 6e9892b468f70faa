use super::super::test_support::{check, check_valid};

const TEMPLATE: &str = "
    metadata: {labels: {app: web}}
    spec:
      restartPolicy: Always
      dnsPolicy: ClusterFirst
      containers: [{name: app, image: nginx, imagePullPolicy: Always, terminationMessagePolicy: File, volumeMounts: [{name: data, mountPath: /data}]}]
      volumes: [{name: data, emptyDir: {}}]
";

fn with_template(head: &str) -> String {
    format!("{head}\n  template:{TEMPLATE}")
}

const CONTAINER: &str =
    "{name: app, image: nginx, imagePullPolicy: Always, terminationMessagePolicy: File}";

#[test]
fn deployments() {
    let base = with_template(
        "apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: default}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  strategy: {type: RollingUpdate, rollingUpdate: {maxSurge: 25%, maxUnavailable: 0}}",
    );
    let dup = format!(
        "spec: {{template: {{spec: {{volumes: [], containers: [{CONTAINER}, {CONTAINER}]}}}}}}"
    );
    check(
        &base,
        &[
            (
                "spec: {replicas: -1, revisionHistoryLimit: -1, minReadySeconds: 10, progressDeadlineSeconds: 5}",
                &[
                    r#"spec.replicas: Invalid value: "-1": must be greater than or equal to 0"#,
                    r#"spec.revisionHistoryLimit: Invalid value: "-1": must be greater than or equal to 0"#,
                    r#"spec.progressDeadlineSeconds: Invalid value: "5": must be greater than minReadySeconds"#,
                ],
            ),
            (
                "spec: {selector: {matchLabels: {app: db}}}",
                &[
                    r#"spec.template.metadata.labels: Invalid value: "app=web": selector does not match template labels"#,
                ],
            ),
            ("spec: {selector: null}", &["spec.selector: Required value"]),
            (
                "spec: {selector: {matchLabels: null}}",
                &[
                    r#"spec.selector: Invalid value: "{}": empty selector is invalid for deployment"#,
                ],
            ),
            (
                "spec: {template: {spec: {restartPolicy: OnFailure, activeDeadlineSeconds: 30}}}",
                &[
                    r#"spec.template.spec.restartPolicy: Unsupported value: "OnFailure": supported values: "Always""#,
                    "spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in Deployment is not supported",
                ],
            ),
            (
                &dup,
                &[r#"spec.template.spec.containers[1].name: Duplicate value: "app""#],
            ),
            (
                "spec: {strategy: {type: Recreate}}",
                &[
                    "spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'",
                ],
            ),
            (
                "spec: {strategy: {type: BlueGreen}}",
                &[
                    r#"spec.strategy.type: Unsupported value: "BlueGreen": supported values: "Recreate", "RollingUpdate""#,
                ],
            ),
            (
                "spec: {strategy: {rollingUpdate: {maxSurge: 0}}}",
                &[
                    r#"spec.strategy.rollingUpdate.maxUnavailable: Invalid value: "0": may not be 0 when `maxSurge` is 0"#,
                ],
            ),
            (
                "spec: {strategy: {rollingUpdate: {maxSurge: abc, maxUnavailable: 120%}}}",
                &[
                    r#"spec.strategy.rollingUpdate.maxSurge: Invalid value: "abc": must be an integer or a percentage: digits followed by '%' (e.g. '25%')"#,
                    r#"spec.strategy.rollingUpdate.maxUnavailable: Invalid value: "120%": must not be greater than 100%"#,
                ],
            ),
            (
                "spec: {template: {metadata: {labels: {app: web, 'bad key': x}}}}",
                &[
                    r#"spec.template.metadata.labels: Invalid value: "bad key": the name part may hold only letters, digits, '-', '_' and '.', and must start and end with a letter or digit (for example 'app' or 'example.com/tier')"#,
                ],
            ),
        ],
    );
    check_valid(
        &base,
        &[
            "spec: {strategy: {type: Recreate, rollingUpdate: null}}",
            "spec: {selector: {matchLabels: null, matchExpressions: [{key: app, operator: In, values: [web, api]}]}}",
            "spec: {strategy: {rollingUpdate: null}, progressDeadlineSeconds: 600}",
            "spec: {strategy: {rollingUpdate: {maxSurge: 200%}}}",
        ],
    );
}

#[test]
fn stateful_sets() {
    let base = with_template(
        "apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db, namespace: default}
spec:
  serviceName: db
  podManagementPolicy: OrderedReady
  updateStrategy: {type: RollingUpdate, rollingUpdate: {partition: 0}}
  selector: {matchLabels: {app: web}}
  volumeClaimTemplates:
  - metadata: {name: state}
    spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}",
    );
    check(
        &base,
        &[
            (
                "metadata: {name: db.v1}\nspec: {serviceName: Bad_Svc, podManagementPolicy: Random}",
                &[
                    r#"metadata.name: Invalid value: "db.v1": an RFC 1123 label may hold only lower-case letters, digits and '-', and must start and end with a letter or digit (for example 'web' or 'web-1')"#,
                    r#"spec.serviceName: Invalid value: "Bad_Svc": an RFC 1035 label may hold only lower-case letters, digits and '-', must start with a letter and end with a letter or digit (for example 'web' or 'web-1')"#,
                    r#"spec.podManagementPolicy: Unsupported value: "Random": supported values: "OrderedReady", "Parallel""#,
                ],
            ),
            (
                "spec: {updateStrategy: {rollingUpdate: {partition: -1, maxUnavailable: 0}}}",
                &[
                    r#"spec.updateStrategy.rollingUpdate.partition: Invalid value: "-1": must be greater than or equal to 0"#,
                    r#"spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: "0": cannot be 0"#,
                ],
            ),
            (
                "spec: {updateStrategy: {type: OnDelete}}",
                &[
                    "spec.updateStrategy.rollingUpdate: Forbidden: only allowed for updateStrategy 'RollingUpdate'",
                ],
            ),
            (
                "spec: {volumeClaimTemplates: [{metadata: {name: state}, spec: {accessModes: [ReadWriteSometimes]}}]}",
                &[
                    r#"spec.volumeClaimTemplates[0].spec.accessModes[0]: Unsupported value: "ReadWriteSometimes": supported values: "ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany", "ReadWriteOncePod""#,
                    "spec.volumeClaimTemplates[0].spec.resources.requests[storage]: Required value",
                ],
            ),
            (
                "spec: {template: {spec: {volumes: null}}}",
                &[
                    r#"spec.template.spec.containers[0].volumeMounts[0].name: Invalid value: "data": not found: must be the name of a volume in spec.volumes"#,
                ],
            ),
            (
                "spec: {persistentVolumeClaimRetentionPolicy: {whenDeleted: Keep, whenScaled: Delete}}",
                &[
                    r#"spec.persistentVolumeClaimRetentionPolicy.whenDeleted: Unsupported value: "Keep": supported values: "Retain", "Delete""#,
                ],
            ),
        ],
    );
    // Claim templates provide volumes to the pod template.
    check_valid(
        &base,
        &[
            "spec: {template: {spec: {volumes: null, containers: [{name: app, image: db, imagePullPolicy: Always, terminationMessagePolicy: File, volumeMounts: [{name: state, mountPath: /var/lib/db}]}]}}}",
        ],
    );
}

#[test]
fn daemon_sets_replica_sets_and_controllers() {
    let ds = with_template(
        "apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent, namespace: kube-system}
spec:
  selector: {matchLabels: {app: web}}
  updateStrategy: {type: RollingUpdate, rollingUpdate: {maxUnavailable: 1}}",
    );
    check(
        &ds,
        &[
            (
                "spec: {updateStrategy: {rollingUpdate: {maxSurge: 1}}}",
                &[
                    r#"spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: "1": may not be set when maxUnavailable is non-zero"#,
                ],
            ),
            (
                "spec: {updateStrategy: {rollingUpdate: {maxUnavailable: 0}}}",
                &[
                    "spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 when maxSurge is 0",
                ],
            ),
            (
                "spec: {updateStrategy: {type: Always}, template: {spec: {restartPolicy: Never}}}",
                &[
                    r#"spec.updateStrategy.type: Unsupported value: "Always": supported values: "RollingUpdate", "OnDelete""#,
                    r#"spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always""#,
                ],
            ),
        ],
    );
    let rs = with_template(
        "apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: web-1, namespace: default}
spec:
  replicas: 1
  selector: {matchExpressions: [{key: app, operator: NotIn, values: [db]}]}",
    );
    check(
        &rs,
        &[
            (
                "spec: {selector: {matchExpressions: [{key: app, operator: NotIn, values: [web]}]}}",
                &[
                    r#"spec.template.metadata.labels: Invalid value: "app=web": selector does not match template labels"#,
                ],
            ),
            (
                "spec: {selector: {matchExpressions: [{key: app, operator: Like, values: [web]}]}}",
                &[
                    r#"spec.selector.matchExpressions[0].operator: Unsupported value: "Like": supported values: "In", "NotIn", "Exists", "DoesNotExist""#,
                ],
            ),
        ],
    );
    let rc = with_template(
        "apiVersion: v1
kind: ReplicationController
metadata: {name: web, namespace: default}
spec:
  replicas: 1
  selector: {app: web}",
    );
    check(
        &rc,
        &[
            (
                "spec: {selector: {app: db}}",
                &[
                    r#"spec.template.metadata.labels: Invalid value: "app=web": selector does not match template labels"#,
                ],
            ),
            ("spec: {template: null}", &["spec.template: Required value"]),
            (
                "spec: {selector: null, template: {metadata: {labels: null}}}",
                &["spec.selector: Required value"],
            ),
        ],
    );
    // An empty selector defaults to the template's labels.
    check_valid(&rc, &["spec: {selector: null}"]);
    check(
        "apiVersion: apps/v1\nkind: ControllerRevision\nmetadata: {name: web-1, namespace: default}\ndata: {}\nrevision: 1",
        &[(
            "data: null\nrevision: -1",
            &[
                "data: Required value: data is mandatory",
                r#"revision: Invalid value: "-1": must be greater than or equal to 0"#,
            ],
        )],
    );
}
