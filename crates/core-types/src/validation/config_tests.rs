use super::super::test_support::{check, check_valid};

#[test]
fn config_maps() {
    let base = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg, namespace: default}\ndata: {game.properties: 'lives=3'}\nbinaryData: {logo.png: aGVsbG8=}";
    let big = format!("data: {{big: {}}}", "x".repeat(1024 * 1024 + 1));
    check(
        base,
        &[
            (
                "data: {'a/b': x, '..': y}\nbinaryData: {game.properties: aGk=, raw: 'not base64!'}",
                &[
                    r#"data[a/b]: Invalid value: "a/b": a key may hold only letters, digits, '-', '_' and '.'"#,
                    r#"data[..]: Invalid value: "..": must not be '.' or '..'"#,
                    r#"binaryData[game.properties]: Invalid value: "game.properties": duplicate of key present in data"#,
                    r#"binaryData[raw]: Invalid value: "<value omitted>": must be valid base64 data"#,
                ],
            ),
            (
                &big,
                &["data: Too long: may not be more than 1048576 bytes"],
            ),
        ],
    );
}

#[test]
fn secrets() {
    let base = "apiVersion: v1\nkind: Secret\nmetadata: {name: creds, namespace: default}\ntype: Opaque\ndata: {password: cGFzcw==}";
    check(
        base,
        &[
            (
                "data: {password: 'cGFzcw', 'bad key': eA==}",
                &[
                    r#"data[bad key]: Invalid value: "bad key": a key may hold only letters, digits, '-', '_' and '.'"#,
                    r#"data[password]: Invalid value: "<value omitted>": must be valid base64 data"#,
                ],
            ),
            (
                "type: kubernetes.io/tls\ndata: {tls.crt: eA==}",
                &["data[tls.key]: Required value"],
            ),
            (
                "type: kubernetes.io/dockerconfigjson",
                &["data[.dockerconfigjson]: Required value"],
            ),
            (
                "type: kubernetes.io/service-account-token",
                &["metadata.annotations[kubernetes.io/service-account.name]: Required value"],
            ),
            (
                "type: kubernetes.io/basic-auth\ndata: {password: null, token: eA==}",
                &[
                    "data[username]: Required value: must have at least one of `username` or `password`",
                ],
            ),
        ],
    );
    check_valid(
        base,
        &[
            "type: kubernetes.io/tls\ndata: {tls.crt: eA==}\nstringData: {tls.key: plain}",
            "type: kubernetes.io/service-account-token\nmetadata: {annotations: {kubernetes.io/service-account.name: default}}",
            "type: example.com/custom",
        ],
    );
}

#[test]
fn namespaces_service_accounts_and_nodes() {
    check(
        "apiVersion: v1\nkind: Namespace\nmetadata: {name: team-a}\nspec: {finalizers: [kubernetes]}",
        &[(
            "metadata: {name: team.a, namespace: default}\nspec: {finalizers: ['-x']}",
            &[
                r#"metadata.name: Invalid value: "team.a": an RFC 1123 label may hold only lower-case letters, digits and '-', and must start and end with a letter or digit (for example 'web' or 'web-1')"#,
                "metadata.namespace: Forbidden: not allowed on this type: it is cluster-scoped",
                r#"spec.finalizers[0]: Invalid value: "-x": the name part may hold only letters, digits, '-', '_' and '.', and must start and end with a letter or digit (for example 'app' or 'example.com/tier')"#,
            ],
        )],
    );
    check(
        "apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: builder, namespace: ci}\nimagePullSecrets: [{name: regcred}]",
        &[(
            "imagePullSecrets: [{name: Reg_Cred}]",
            &[
                r#"imagePullSecrets[0].name: Invalid value: "Reg_Cred": an RFC 1123 subdomain may hold only lower-case letters, digits, '-' and '.', and must start and end with a letter or digit (for example 'example.com')"#,
            ],
        )],
    );
    check(
        "apiVersion: v1\nkind: Node\nmetadata: {name: node-1.example.com}\nspec: {podCIDR: 10.244.1.0/24, podCIDRs: [10.244.1.0/24, 'fd00:1::/64'], taints: [{key: dedicated, value: gpu, effect: NoSchedule}]}",
        &[(
            "spec: {podCIDR: 10.244.1.0, podCIDRs: [10.244.2.0/24, bogus], taints: [{effect: Sometimes}, {key: a, effect: NoExecute}, {key: a, value: 'x y', effect: NoExecute}]}",
            &[
                r#"spec.podCIDR: Invalid value: "10.244.1.0": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)"#,
                r#"spec.podCIDRs[0]: Invalid value: "10.244.2.0/24": must match `podCIDR`"#,
                r#"spec.podCIDRs[1]: Invalid value: "bogus": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)"#,
                "spec.taints[0].key: Required value",
                r#"spec.taints[0].effect: Unsupported value: "Sometimes": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute""#,
                r#"spec.taints[2].value: Invalid value: "x y": a label value must be empty or hold only letters, digits, '-', '_' and '.', starting and ending with a letter or digit"#,
                r#"spec.taints[2]: Duplicate value: "a:NoExecute""#,
            ],
        )],
    );
}

#[test]
fn events_and_leases() {
    let event = "apiVersion: v1\nkind: Event\nmetadata: {name: web.17f3a, namespace: default}\ninvolvedObject: {kind: Pod, name: web, namespace: default}\nreason: Scheduled\ntype: Normal";
    check(
        event,
        &[
            (
                "involvedObject: {namespace: other}",
                &[
                    r#"involvedObject.namespace: Invalid value: "other": does not match event.namespace"#,
                ],
            ),
            (
                "eventTime: '2024-01-01T00:00:00.000000Z'\nreason: ''\ntype: Info",
                &[
                    "reportingComponent: Required value",
                    "reportingInstance: Required value",
                    "action: Required value",
                    "reason: Required value",
                    r#"type: Unsupported value: "Info": supported values: "Normal", "Warning""#,
                ],
            ),
        ],
    );
    check_valid(
        event,
        &[
            "eventTime: '2024-01-01T00:00:00.000000Z'\nreportingComponent: kubelet\nreportingInstance: node-1\naction: Binding",
            "metadata: {namespace: null}\ninvolvedObject: {namespace: elsewhere}",
        ],
    );
    check(
        "apiVersion: coordination.k8s.io/v1\nkind: Lease\nmetadata: {name: leader, namespace: kube-system}\nspec: {holderIdentity: node-1, leaseDurationSeconds: 15, leaseTransitions: 2}",
        &[(
            "spec: {leaseDurationSeconds: 0, leaseTransitions: -1, strategy: Random, preferredHolder: node-2}",
            &[
                r#"spec.leaseDurationSeconds: Invalid value: "0": must be greater than 0"#,
                r#"spec.leaseTransitions: Invalid value: "-1": must be greater than or equal to 0"#,
                r#"spec.strategy: Unsupported value: "Random": supported values: "OldestEmulationVersion""#,
            ],
        )],
    );
}
