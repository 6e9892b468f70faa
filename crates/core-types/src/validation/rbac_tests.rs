use super::super::test_support::{check, check_valid};

#[test]
fn roles() {
    let role = "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: 'system:pod-reader', namespace: default}\nrules: [{apiGroups: [''], resources: [pods], verbs: [get, list]}]";
    check(
        role,
        &[(
            "metadata: {name: a/b}\nrules: [{resources: [pods]}, {verbs: [get], nonResourceURLs: [/healthz]}]",
            &[
                r#"metadata.name: Invalid value: "a/b": may not contain '/'"#,
                "rules[0].verbs: Required value: verbs must contain at least one value",
                "rules[0].apiGroups: Required value: resource rules must supply at least one api group",
                r#"rules[1].nonResourceURLs: Invalid value: "/healthz": namespaced rules cannot apply to non-resource URLs"#,
            ],
        )],
    );
    let cluster_role = "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: monitoring}\nrules: [{verbs: [get], nonResourceURLs: [/metrics]}]";
    check(
        cluster_role,
        &[(
            "rules: [{verbs: [get], nonResourceURLs: [/metrics], resources: [pods]}, {verbs: [get], apiGroups: ['']}]\naggregationRule: {clusterRoleSelectors: []}",
            &[
                r#"rules[0].nonResourceURLs: Invalid value: "/metrics": rules cannot apply to both regular resources and non-resource URLs"#,
                "rules[1].resources: Required value: resource rules must supply at least one resource",
                "aggregationRule.clusterRoleSelectors: Required value: at least one clusterRoleSelector required if aggregationRule is non-nil",
            ],
        )],
    );
    check_valid(
        cluster_role,
        &[
            "rules: null\naggregationRule: {clusterRoleSelectors: [{matchLabels: {rbac.example.com/aggregate-to-monitoring: 'true'}}]}",
        ],
    );
}

#[test]
fn bindings() {
    let rb = "apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: read-pods, namespace: default}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: pod-reader}\nsubjects: [{kind: User, apiGroup: rbac.authorization.k8s.io, name: jane}, {kind: ServiceAccount, name: builder}]";
    check(
        rb,
        &[(
            "roleRef: {apiGroup: '', kind: Deployment, name: ''}\nsubjects: [{kind: Robot, name: r2}, {kind: ServiceAccount, apiGroup: rbac.authorization.k8s.io, name: Builder, namespace: Bad_NS}, {kind: Group, apiGroup: example.com, name: ''}]",
            &[
                r#"roleRef.apiGroup: Unsupported value: "": supported values: "rbac.authorization.k8s.io""#,
                r#"roleRef.kind: Unsupported value: "Deployment": supported values: "Role", "ClusterRole""#,
                "roleRef.name: Required value",
                r#"subjects[0].kind: Unsupported value: "Robot": supported values: "ServiceAccount", "User", "Group""#,
                r#"subjects[1].name: Invalid value: "Builder": an RFC 1123 subdomain may hold only lower-case letters, digits, '-' and '.', and must start and end with a letter or digit (for example 'example.com')"#,
                r#"subjects[1].apiGroup: Unsupported value: "rbac.authorization.k8s.io": supported values: """#,
                r#"subjects[1].namespace: Invalid value: "Bad_NS": an RFC 1123 label may hold only lower-case letters, digits and '-', and must start and end with a letter or digit (for example 'web' or 'web-1')"#,
                "subjects[2].name: Required value",
                r#"subjects[2].apiGroup: Unsupported value: "example.com": supported values: "rbac.authorization.k8s.io""#,
            ],
        )],
    );
    let crb = "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: 'system:monitoring'}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: monitoring}\nsubjects: [{kind: ServiceAccount, name: prometheus, namespace: monitoring}]";
    check(
        crb,
        &[(
            "roleRef: {kind: Role}\nsubjects: [{kind: ServiceAccount, name: prometheus}, {kind: Group, name: admins}]",
            &[
                r#"roleRef.kind: Unsupported value: "Role": supported values: "ClusterRole""#,
                "subjects[0].namespace: Required value",
                "subjects[1].apiGroup: Required value",
            ],
        )],
    );
}
