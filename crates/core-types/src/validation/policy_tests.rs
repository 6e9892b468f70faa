use super::super::test_support::{check, check_valid};

const HPA: &str = "
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web, namespace: default}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 2
  maxReplicas: 10
  metrics:
  - type: Resource
    resource: {name: cpu, target: {type: Utilization, averageUtilization: 70}}
";

#[test]
fn horizontal_pod_autoscalers() {
    check(
        HPA,
        &[
            (
                "spec: {scaleTargetRef: {kind: '', name: a/b}, minReplicas: 0, maxReplicas: 0}",
                &[
                    "spec.scaleTargetRef.kind: Required value",
                    r#"spec.scaleTargetRef.name: Invalid value: "a/b": may not contain '/'"#,
                    r#"spec.minReplicas: Invalid value: "0": must be greater than or equal to 1"#,
                    r#"spec.maxReplicas: Invalid value: "0": must be greater than 0"#,
                ],
            ),
            (
                "spec: {minReplicas: 11}",
                &[
                    r#"spec.maxReplicas: Invalid value: "10": must be greater than or equal to `minReplicas`"#,
                ],
            ),
            (
                "spec: {metrics: [{type: Pods, resource: {name: cpu, target: {type: Utilization, averageUtilization: 0}}}, {type: Magic}, {type: External, external: {metric: {name: ''}, target: {type: Value}}}]}",
                &[
                    "spec.metrics[0].pods: Required value: must populate information for the given metric source",
                    r#"spec.metrics[0].resource.target.averageUtilization: Invalid value: "0": must be greater than 0"#,
                    r#"spec.metrics[1].type: Unsupported value: "Magic": supported values: "Object", "Pods", "Resource", "ContainerResource", "External""#,
                    "spec.metrics[2].external.metric.name: Required value",
                    "spec.metrics[2].external.target.value: Required value: must be set when the target type is Value",
                ],
            ),
            (
                "spec: {behavior: {scaleDown: {stabilizationWindowSeconds: 4000, selectPolicy: Median, policies: [{type: Nodes, value: 0, periodSeconds: 0}]}}}",
                &[
                    r#"spec.behavior.scaleDown.stabilizationWindowSeconds: Invalid value: "4000": must be between 0 and 3600, inclusive"#,
                    r#"spec.behavior.scaleDown.selectPolicy: Unsupported value: "Median": supported values: "Max", "Min", "Disabled""#,
                    r#"spec.behavior.scaleDown.policies[0].type: Unsupported value: "Nodes": supported values: "Pods", "Percent""#,
                    r#"spec.behavior.scaleDown.policies[0].value: Invalid value: "0": must be greater than zero"#,
                    r#"spec.behavior.scaleDown.policies[0].periodSeconds: Invalid value: "0": must be between 1 and 1800, inclusive"#,
                ],
            ),
        ],
    );
    check_valid(
        HPA,
        &[
            "spec: {metrics: [{type: Pods, pods: {metric: {name: rps}, target: {type: AverageValue, averageValue: 100m}}}, {type: Object, object: {describedObject: {apiVersion: networking.k8s.io/v1, kind: Ingress, name: main}, metric: {name: requests}, target: {type: Value, value: 10k}}}]}",
            "spec: {minReplicas: null, behavior: {scaleUp: {policies: [{type: Percent, value: 100, periodSeconds: 15}]}}}",
        ],
    );
}

#[test]
fn priority_classes() {
    let base = "apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata: {name: high}\nvalue: 1000000\npreemptionPolicy: Never";
    check(
        base,
        &[
            (
                "value: 2000000000\npreemptionPolicy: Always",
                &[
                    "value: Forbidden: maximum allowed value of a user defined priority is 1000000000",
                    r#"preemptionPolicy: Unsupported value: "Always": supported values: "PreemptLowerPriority", "Never""#,
                ],
            ),
            (
                "metadata: {name: system-mine}",
                &[
                    "metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only",
                ],
            ),
        ],
    );
    check_valid(
        base,
        &["metadata: {name: system-node-critical}\nvalue: 2000001000"],
    );
}

#[test]
fn pod_disruption_budgets() {
    let base = "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: web, namespace: default}\nspec: {minAvailable: 50%, selector: {matchLabels: {app: web}}}";
    check(
        base,
        &[
            (
                "spec: {maxUnavailable: 1}",
                &[r#"spec: Invalid value: "": minAvailable and maxUnavailable cannot be both set"#],
            ),
            (
                "spec: {minAvailable: 150%, unhealthyPodEvictionPolicy: Never}",
                &[
                    r#"spec.minAvailable: Invalid value: "150%": must not be greater than 100%"#,
                    r#"spec.unhealthyPodEvictionPolicy: Unsupported value: "Never": supported values: "IfHealthyBudget", "AlwaysAllow""#,
                ],
            ),
            (
                "spec: {minAvailable: null, maxUnavailable: -1}",
                &[
                    r#"spec.maxUnavailable: Invalid value: "-1": must be greater than or equal to 0"#,
                ],
            ),
        ],
    );
    check_valid(
        base,
        &["spec: {minAvailable: null, maxUnavailable: 1, unhealthyPodEvictionPolicy: AlwaysAllow}"],
    );
}
