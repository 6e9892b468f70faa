use super::super::test_support::{check, check_valid};

const POD: &str = "
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: default, labels: {app: web}}
spec:
  restartPolicy: Always
  dnsPolicy: ClusterFirst
  volumes: [{name: data, emptyDir: {}}]
  containers:
  - name: app
    image: nginx:1.27
    imagePullPolicy: IfNotPresent
    terminationMessagePolicy: File
    ports: [{name: http, containerPort: 80, protocol: TCP}]
    volumeMounts: [{name: data, mountPath: /data}]
";

/// The valid container of [`POD`], as a flow mapping to extend in patches.
macro_rules! app {
    ($($extra:literal)?) => {
        concat!("{name: app, image: nginx, imagePullPolicy: Always, terminationMessagePolicy: File", $($extra,)? "}")
    };
}

#[test]
fn container_names_images_and_policies() {
    check(
        POD,
        &[
            (
                concat!("spec: {initContainers: [", app!(), "]}"),
                &[r#"spec.containers[0].name: Duplicate value: "app""#],
            ),
            (
                concat!("spec: {containers: [", app!(), ", ", app!(), "]}"),
                &[r#"spec.containers[1].name: Duplicate value: "app""#],
            ),
            (
                "spec: {containers: []}",
                &["spec.containers: Required value"],
            ),
            (
                "spec: {containers: [{name: App_1, image: ' nginx', imagePullPolicy: Sometimes}]}",
                &[
                    r#"spec.containers[0].name: Invalid value: "App_1": an RFC 1123 label may hold only lower-case letters, digits and '-', and must start and end with a letter or digit (for example 'web' or 'web-1')"#,
                    r#"spec.containers[0].image: Invalid value: " nginx": must not have leading or trailing whitespace"#,
                    r#"spec.containers[0].imagePullPolicy: Unsupported value: "Sometimes": supported values: "Always", "IfNotPresent", "Never""#,
                    "spec.containers[0].terminationMessagePolicy: Required value",
                ],
            ),
            (
                "spec: {containers: [{name: app, imagePullPolicy: Never, terminationMessagePolicy: File}]}",
                &["spec.containers[0].image: Required value"],
            ),
            (
                concat!(
                    "spec: {containers: [",
                    app!(", restartPolicy: Always"),
                    "]}"
                ),
                &[
                    "spec.containers[0].restartPolicy: Forbidden: may only be set for init containers",
                ],
            ),
        ],
    );
}

#[test]
fn ports() {
    check(
        POD,
        &[
            (
                concat!(
                    "spec: {containers: [",
                    app!(
                        ", ports: [{containerPort: 0, protocol: TCP}, {name: HTTP, containerPort: 70000, hostPort: 70000, protocol: tcp}]"
                    ),
                    "]}"
                ),
                &[
                    "spec.containers[0].ports[0].containerPort: Required value",
                    r#"spec.containers[0].ports[1].name: Invalid value: "HTTP": may hold only lower-case letters, digits and '-'"#,
                    r#"spec.containers[0].ports[1].name: Invalid value: "HTTP": must hold at least one letter"#,
                    r#"spec.containers[0].ports[1].containerPort: Invalid value: "70000": must be between 1 and 65535, inclusive"#,
                    r#"spec.containers[0].ports[1].hostPort: Invalid value: "70000": must be between 1 and 65535, inclusive"#,
                    r#"spec.containers[0].ports[1].protocol: Unsupported value: "tcp": supported values: "TCP", "UDP", "SCTP""#,
                ],
            ),
            (
                concat!(
                    "spec: {containers: [",
                    app!(
                        ", ports: [{name: web, containerPort: 80, protocol: TCP}, {name: web, containerPort: 81, protocol: TCP}]"
                    ),
                    "]}"
                ),
                &[r#"spec.containers[0].ports[1].name: Duplicate value: "web""#],
            ),
            (
                concat!(
                    "spec: {hostNetwork: true, containers: [",
                    app!(
                        ", ports: [{containerPort: 80, hostPort: 8080, protocol: TCP}, {containerPort: 8080, hostPort: 8080, protocol: TCP}]"
                    ),
                    "]}"
                ),
                &[
                    r#"spec.containers[0].ports[0].hostPort: Invalid value: "8080": must match `containerPort` when `hostNetwork` is true"#,
                    r#"spec.containers[0].ports[1].hostPort: Duplicate value: "8080/TCP""#,
                ],
            ),
        ],
    );
}

#[test]
fn environment() {
    check(
        POD,
        &[
            (
                concat!(
                    "spec: {containers: [",
                    app!(
                        ", env: [{name: 'A=B', value: x}, {name: X, value: y, valueFrom: {fieldRef: {apiVersion: v1, fieldPath: metadata.name}}}]"
                    ),
                    "]}"
                ),
                &[
                    r#"spec.containers[0].env[0].name: Invalid value: "A=B": an environment variable name must be printable ASCII characters other than '='"#,
                    r#"spec.containers[0].env[1].valueFrom: Invalid value: "": may not be specified when `value` is not empty"#,
                ],
            ),
            (
                concat!(
                    "spec: {containers: [",
                    app!(
                        ", env: [{name: A, valueFrom: {}}, {name: B, valueFrom: {fieldRef: {apiVersion: v1, fieldPath: spec.bogus}, secretKeyRef: {name: s, key: k}}}]"
                    ),
                    "]}"
                ),
                &[
                    "spec.containers[0].env[0].valueFrom: Required value: must specify one of `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`",
                    "spec.containers[0].env[1].valueFrom.secretKeyRef: Forbidden: may not be set together with `fieldRef`: specify only one",
                    r#"spec.containers[0].env[1].valueFrom.fieldRef.fieldPath: Unsupported value: "spec.bogus": supported values: "metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName", "spec.serviceAccountName", "status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs""#,
                ],
            ),
            (
                concat!(
                    "spec: {containers: [",
                    app!(
                        ", env: [{name: C, valueFrom: {resourceFieldRef: {resource: limits.gpu}}}, {name: D, valueFrom: {resourceFieldRef: {resource: limits.cpu, divisor: 1Mi}}}, {name: E, valueFrom: {configMapKeyRef: {key: 'a/b'}}}]"
                    ),
                    "]}"
                ),
                &[
                    r#"spec.containers[0].env[0].valueFrom.resourceFieldRef.resource: Unsupported value: "limits.gpu": supported values: "limits.cpu", "limits.memory", "limits.ephemeral-storage", "requests.cpu", "requests.memory", "requests.ephemeral-storage""#,
                    r#"spec.containers[0].env[1].valueFrom.resourceFieldRef.divisor: Unsupported value: "1Mi": supported values: "1m", "1""#,
                    "spec.containers[0].env[2].valueFrom.configMapKeyRef.name: Required value",
                    r#"spec.containers[0].env[2].valueFrom.configMapKeyRef.key: Invalid value: "a/b": a key may hold only letters, digits, '-', '_' and '.'"#,
                ],
            ),
            (
                concat!(
                    "spec: {containers: [",
                    app!(
                        ", envFrom: [{}, {prefix: 'X=', configMapRef: {name: c}, secretRef: {name: s}}]"
                    ),
                    "]}"
                ),
                &[
                    "spec.containers[0].envFrom[0]: Required value: must specify one of `configMapRef` or `secretRef`",
                    r#"spec.containers[0].envFrom[1].prefix: Invalid value: "X=": an environment variable name must be printable ASCII characters other than '='"#,
                    "spec.containers[0].envFrom[1].secretRef: Forbidden: may not be set together with `configMapRef`: specify only one",
                ],
            ),
        ],
    );
}

#[test]
fn resources() {
    check(
        POD,
        &[
            (
                concat!(
                    "spec: {containers: [",
                    app!(
                        ", resources: {limits: {cpu: '1', memory: -1Gi}, requests: {cpu: '2', gpu: '1', example.com/gpu: '1'}}"
                    ),
                    "]}"
                ),
                &[
                    r#"spec.containers[0].resources.limits[memory]: Invalid value: "-1Gi": must be greater than or equal to 0"#,
                    r#"spec.containers[0].resources.requests[cpu]: Invalid value: "2": must be less than or equal to cpu limit of 1"#,
                    r#"spec.containers[0].resources.requests[gpu]: Invalid value: "gpu": must be a standard resource for containers"#,
                    "spec.containers[0].resources.requests[example.com/gpu]: Forbidden: a limit must be set for extended resources",
                ],
            ),
            (
                concat!(
                    "spec: {containers: [",
                    app!(
                        ", resources: {limits: {example.com/gpu: '2'}, requests: {example.com/gpu: '1'}}"
                    ),
                    "]}"
                ),
                &[
                    r#"spec.containers[0].resources.requests[example.com/gpu]: Invalid value: "1": must be equal to example.com/gpu limit of 2"#,
                ],
            ),
        ],
    );
}

#[test]
fn volumes_and_mounts() {
    check(
        POD,
        &[
            (
                concat!(
                    "spec: {volumes: [{name: data, emptyDir: {}}, {name: data, hostPath: {path: /x}, secret: {secretName: s}}, {name: Bad}], containers: [",
                    app!(
                        ", volumeMounts: [{name: nope, mountPath: /a}, {name: data}, {name: data, mountPath: /a, subPath: ../up}]"
                    ),
                    "]}"
                ),
                &[
                    r#"spec.volumes[1].name: Duplicate value: "data""#,
                    "spec.volumes[1].secret: Forbidden: may not be set together with `hostPath`: specify only one",
                    r#"spec.volumes[2].name: Invalid value: "Bad": an RFC 1123 label may hold only lower-case letters, digits and '-', and must start and end with a letter or digit (for example 'web' or 'web-1')"#,
                    "spec.volumes[2]: Required value: must specify a volume type",
                    r#"spec.containers[0].volumeMounts[0].name: Invalid value: "nope": not found: must be the name of a volume in spec.volumes"#,
                    "spec.containers[0].volumeMounts[1].mountPath: Required value",
                    r#"spec.containers[0].volumeMounts[2].mountPath: Invalid value: "/a": must be unique"#,
                    r#"spec.containers[0].volumeMounts[2].subPath: Invalid value: "../up": must not contain '..'"#,
                ],
            ),
            (
                "spec: {volumes: [{name: data, configMap: {items: [{key: k, path: /abs, mode: 1000}]}}, {name: p, projected: {sources: [{serviceAccountToken: {path: t, expirationSeconds: 60}}, {configMap: {name: c, items: [{key: k, path: t}]}}]}}]}",
                &[
                    "spec.volumes[0].configMap.name: Required value",
                    r#"spec.volumes[0].configMap.items[0].path: Invalid value: "/abs": must be a relative path"#,
                    r#"spec.volumes[0].configMap.items[0].mode: Invalid value: "1000": must be a number between 0 and 0777 (octal), both inclusive"#,
                    r#"spec.volumes[1].projected.sources[0].serviceAccountToken.expirationSeconds: Invalid value: "60": may not specify a duration less than 10 minutes"#,
                    r#"spec.volumes[1].projected.sources[1].configMap.items[0].path: Invalid value: "t": conflicting duplicate paths"#,
                ],
            ),
        ],
    );
}

#[test]
fn probes_and_lifecycle() {
    check(
        POD,
        &[
            (
                concat!(
                    "spec: {containers: [",
                    app!(
                        ", livenessProbe: {successThreshold: 2}, readinessProbe: {exec: {command: [x]}, tcpSocket: {port: 80}, terminationGracePeriodSeconds: 5, periodSeconds: -1}, startupProbe: {httpGet: {port: Bad-Name, scheme: FTP}}"
                    ),
                    "]}"
                ),
                &[
                    "spec.containers[0].livenessProbe: Required value: must specify a handler type",
                    r#"spec.containers[0].livenessProbe.successThreshold: Invalid value: "2": must be 1"#,
                    "spec.containers[0].readinessProbe.tcpSocket: Forbidden: may not be set together with `exec`: specify only one",
                    r#"spec.containers[0].readinessProbe.periodSeconds: Invalid value: "-1": must be greater than or equal to 0"#,
                    r#"spec.containers[0].readinessProbe.terminationGracePeriodSeconds: Invalid value: "5": must not be set for readinessProbes"#,
                    "spec.containers[0].startupProbe.httpGet.path: Required value",
                    r#"spec.containers[0].startupProbe.httpGet.port: Invalid value: "Bad-Name": may hold only lower-case letters, digits and '-'"#,
                    r#"spec.containers[0].startupProbe.httpGet.scheme: Unsupported value: "FTP": supported values: "HTTP", "HTTPS""#,
                ],
            ),
            (
                concat!(
                    "spec: {initContainers: [{name: init, image: busybox, imagePullPolicy: Always, terminationMessagePolicy: File, livenessProbe: {exec: {command: [x]}}, restartPolicy: Never}], containers: [",
                    app!(", lifecycle: {preStop: {sleep: {seconds: -1}}}"),
                    "]}"
                ),
                &[
                    r#"spec.initContainers[0].restartPolicy: Unsupported value: "Never": supported values: "Always""#,
                    "spec.initContainers[0].livenessProbe: Forbidden: may not be set for init containers without restartPolicy=Always",
                    r#"spec.containers[0].lifecycle.preStop.sleep.seconds: Invalid value: "-1": must be greater than or equal to 0"#,
                ],
            ),
        ],
    );
}

#[test]
fn pod_level_fields() {
    check(
        POD,
        &[
            (
                "spec: {restartPolicy: Sometimes, dnsPolicy: None, terminationGracePeriodSeconds: -1, activeDeadlineSeconds: 0}",
                &[
                    r#"spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never""#,
                    "spec.dnsConfig.nameservers: Required value: must provide at least one DNS nameserver when `dnsPolicy` is None",
                    r#"spec.terminationGracePeriodSeconds: Invalid value: "-1": must be greater than or equal to 0"#,
                    r#"spec.activeDeadlineSeconds: Invalid value: "0": must be between 1 and 2147483647, inclusive"#,
                ],
            ),
            (
                "spec: {dnsPolicy: Custom, nodeSelector: {'-bad': 'a b'}, hostname: Bad_Host, serviceAccountName: Bad, priorityClassName: 'a..b'}",
                &[
                    r#"spec.dnsPolicy: Unsupported value: "Custom": supported values: "ClusterFirstWithHostNet", "ClusterFirst", "Default", "None""#,
                    r#"spec.nodeSelector: Invalid value: "-bad": the name part may hold only letters, digits, '-', '_' and '.', and must start and end with a letter or digit (for example 'app' or 'example.com/tier')"#,
                    r#"spec.nodeSelector[-bad]: Invalid value: "a b": a label value must be empty or hold only letters, digits, '-', '_' and '.', starting and ending with a letter or digit"#,
                    r#"spec.hostname: Invalid value: "Bad_Host": an RFC 1123 label may hold only lower-case letters, digits and '-', and must start and end with a letter or digit (for example 'web' or 'web-1')"#,
                    r#"spec.serviceAccountName: Invalid value: "Bad": an RFC 1123 subdomain may hold only lower-case letters, digits, '-' and '.', and must start and end with a letter or digit (for example 'example.com')"#,
                    r#"spec.priorityClassName: Invalid value: "a..b": an RFC 1123 subdomain may hold only lower-case letters, digits, '-' and '.', and must start and end with a letter or digit (for example 'example.com')"#,
                ],
            ),
            (
                "spec: {dnsConfig: {nameservers: [1.2.3.4, not-an-ip]}, hostAliases: [{ip: 10.0.0.300, hostnames: [ok.example]}], securityContext: {runAsUser: -1, sysctls: [{name: 'Bad Sysctl'}], seccompProfile: {type: Localhost}}}",
                &[
                    r#"spec.dnsConfig.nameservers[1]: Invalid value: "not-an-ip": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"#,
                    r#"spec.hostAliases[0].ip: Invalid value: "10.0.0.300": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"#,
                    r#"spec.securityContext.runAsUser: Invalid value: "-1": must be between 0 and 2147483647, inclusive"#,
                    r#"spec.securityContext.sysctls[0].name: Invalid value: "Bad Sysctl": must be a sysctl name: dot- or slash-separated segments of lower-case letters, digits, '_' and '-' (e.g. 'net.ipv4.ip_forward')"#,
                    "spec.securityContext.seccompProfile.localhostProfile: Required value: must be set when type is Localhost",
                ],
            ),
        ],
    );
}

#[test]
fn scheduling() {
    check(
        POD,
        &[
            (
                "spec: {tolerations: [{key: k, operator: Exists, value: v}, {operator: Equal}, {key: k, effect: NoSchedule, tolerationSeconds: 5}, {key: k, operator: Matches, effect: Sometimes}]}",
                &[
                    r#"spec.tolerations[0].value: Invalid value: "v": value must be empty when `operator` is 'Exists'"#,
                    r#"spec.tolerations[1].operator: Invalid value: "Equal": operator must be Exists when `key` is empty, which means "match all values and all keys""#,
                    r#"spec.tolerations[2].effect: Invalid value: "NoSchedule": effect must be 'NoExecute' when `tolerationSeconds` is set"#,
                    r#"spec.tolerations[3].operator: Unsupported value: "Matches": supported values: "Equal", "Exists""#,
                    r#"spec.tolerations[3].effect: Unsupported value: "Sometimes": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute""#,
                ],
            ),
            (
                "spec: {affinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: [{matchExpressions: [{key: zone, operator: In}, {key: cores, operator: Gt, values: ['1', '2']}, {key: cores, operator: Lt, values: [many]}, {key: zone, operator: Near, values: [a]}]}]}, preferredDuringSchedulingIgnoredDuringExecution: [{weight: 0, preference: {}}]}, podAntiAffinity: {requiredDuringSchedulingIgnoredDuringExecution: [{labelSelector: {matchExpressions: [{key: app, operator: Exists, values: [x]}]}}]}}}",
                &[
                    "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
                    "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[1].values: Required value: must be specified single value when `operator` is 'Lt' or 'Gt'",
                    r#"spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[2].values[0]: Invalid value: "many": must be an integer when `operator` is 'Lt' or 'Gt'"#,
                    r#"spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[3].operator: Unsupported value: "Near": supported values: "In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt""#,
                    r#"spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight: Invalid value: "0": must be in the range 1-100"#,
                    "spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].labelSelector.matchExpressions[0].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
                    "spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey: Required value: can not be empty",
                ],
            ),
            (
                "spec: {topologySpreadConstraints: [{maxSkew: 0, whenUnsatisfiable: Sometimes}, {maxSkew: 1, topologyKey: zone, whenUnsatisfiable: ScheduleAnyway, minDomains: 2}, {maxSkew: 1, topologyKey: zone, whenUnsatisfiable: ScheduleAnyway}]}",
                &[
                    r#"spec.topologySpreadConstraints[0].maxSkew: Invalid value: "0": must be greater than zero"#,
                    "spec.topologySpreadConstraints[0].topologyKey: Required value",
                    r#"spec.topologySpreadConstraints[0].whenUnsatisfiable: Unsupported value: "Sometimes": supported values: "DoNotSchedule", "ScheduleAnyway""#,
                    r#"spec.topologySpreadConstraints[1].minDomains: Invalid value: "2": can only use minDomains if whenUnsatisfiable=DoNotSchedule"#,
                    r#"spec.topologySpreadConstraints[2]: Duplicate value: "{zone, ScheduleAnyway}""#,
                ],
            ),
        ],
    );
}

#[test]
fn ephemeral_containers_and_metadata() {
    check(
        POD,
        &[
            (
                "spec: {ephemeralContainers: [{name: debug, image: busybox, imagePullPolicy: Always, terminationMessagePolicy: File, targetContainerName: nope, ports: [{containerPort: 80, protocol: TCP}]}]}",
                &[
                    "spec.ephemeralContainers[0].ports: Forbidden: may not be set for ephemeral containers",
                    r#"spec.ephemeralContainers[0].targetContainerName: Invalid value: "nope": must be the name of a container of the pod"#,
                ],
            ),
            (
                "metadata: {name: Web, namespace: Bad_NS}",
                &[
                    r#"metadata.name: Invalid value: "Web": an RFC 1123 subdomain may hold only lower-case letters, digits, '-' and '.', and must start and end with a letter or digit (for example 'example.com')"#,
                    r#"metadata.namespace: Invalid value: "Bad_NS": an RFC 1123 label may hold only lower-case letters, digits and '-', and must start and end with a letter or digit (for example 'web' or 'web-1')"#,
                ],
            ),
        ],
    );
}

#[test]
fn valid_pods() {
    check_valid(
        POD,
        &[
            // A sidecar (init container that keeps running) may have probes.
            "spec: {initContainers: [{name: proxy, image: envoy, imagePullPolicy: Always, terminationMessagePolicy: File, restartPolicy: Always, readinessProbe: {tcpSocket: {port: 9901}}}]}",
            "spec: {dnsPolicy: None, dnsConfig: {nameservers: [1.1.1.1], searches: [example.com.], options: [{name: ndots, value: '2'}]}}",
            "spec: {tolerations: [{operator: Exists}, {key: node.kubernetes.io/not-ready, operator: Exists, effect: NoExecute, tolerationSeconds: 300}]}",
            concat!(
                "spec: {containers: [",
                app!(
                    ", livenessProbe: {httpGet: {path: /healthz, port: http, scheme: HTTP}, successThreshold: 1}, resources: {limits: {cpu: 500m, memory: 1Gi, example.com/gpu: '1', hugepages-2Mi: 2Mi}, requests: {cpu: 250m, example.com/gpu: '1'}}, env: [{name: NODE, valueFrom: {fieldRef: {apiVersion: v1, fieldPath: \"metadata.labels['app']\"}}}, {name: MEM, valueFrom: {resourceFieldRef: {resource: limits.memory, divisor: 1Mi}}}]"
                ),
                "]}"
            ),
            "spec: {volumes: [{name: data, persistentVolumeClaim: {claimName: data}}, {name: info, downwardAPI: {items: [{path: labels, fieldRef: {apiVersion: v1, fieldPath: metadata.labels}}]}}]}",
            "spec: {affinity: {podAffinity: {preferredDuringSchedulingIgnoredDuringExecution: [{weight: 100, podAffinityTerm: {topologyKey: kubernetes.io/hostname, labelSelector: {matchLabels: {app: db}}}}]}}}",
        ],
    );
}
