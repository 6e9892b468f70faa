use super::super::test_support::{check, check_valid};

const SERVICE: &str = "
apiVersion: v1
kind: Service
metadata: {name: web, namespace: default}
spec:
  type: ClusterIP
  sessionAffinity: None
  selector: {app: web}
  ports: [{name: http, port: 80, targetPort: 8080, protocol: TCP}]
";

#[test]
fn services() {
    check(
        SERVICE,
        &[
            (
                "metadata: {name: 1web}\nspec: {ports: []}",
                &[
                    r#"metadata.name: Invalid value: "1web": an RFC 1035 label may hold only lower-case letters, digits and '-', must start with a letter and end with a letter or digit (for example 'web' or 'web-1')"#,
                    "spec.ports: Required value",
                ],
            ),
            (
                "spec: {ports: [{port: 80, protocol: TCP}, {port: 80, protocol: TCP}]}",
                &[
                    "spec.ports[0].name: Required value: each port must have a name when the service has more than one",
                    "spec.ports[1].name: Required value: each port must have a name when the service has more than one",
                    r#"spec.ports[1]: Duplicate value: "80/TCP""#,
                ],
            ),
            (
                "spec: {ports: [{name: a, port: 0, protocol: HTTP, targetPort: 70000}, {name: a, port: 81, protocol: TCP, targetPort: Http_Port, nodePort: 30080}]}",
                &[
                    r#"spec.ports[0].port: Invalid value: "0": must be between 1 and 65535, inclusive"#,
                    r#"spec.ports[0].protocol: Unsupported value: "HTTP": supported values: "TCP", "UDP", "SCTP""#,
                    r#"spec.ports[0].targetPort: Invalid value: "70000": must be between 1 and 65535, inclusive"#,
                    r#"spec.ports[1].name: Duplicate value: "a""#,
                    r#"spec.ports[1].targetPort: Invalid value: "Http_Port": may hold only lower-case letters, digits and '-'"#,
                    "spec.ports[1].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'",
                ],
            ),
            (
                "spec: {type: ExternalName, ports: []}",
                &["spec.externalName: Required value"],
            ),
            (
                "spec: {type: ExternalName, externalName: bad_name.example.com}",
                &[
                    r#"spec.externalName: Invalid value: "bad_name.example.com": an RFC 1123 subdomain may hold only lower-case letters, digits, '-' and '.', and must start and end with a letter or digit (for example 'example.com')"#,
                ],
            ),
            (
                "spec: {type: NodePort}",
                &["spec.externalTrafficPolicy: Required value"],
            ),
            (
                "spec: {type: Balanced, externalTrafficPolicy: Local, clusterIP: 1.2.3, sessionAffinity: Sticky, loadBalancerSourceRanges: [10.0.0.0/40]}",
                &[
                    r#"spec.type: Unsupported value: "Balanced": supported values: "ClusterIP", "NodePort", "LoadBalancer", "ExternalName""#,
                    r#"spec.externalTrafficPolicy: Invalid value: "Local": may only be set when `type` is 'NodePort' or 'LoadBalancer'"#,
                    r#"spec.clusterIP: Invalid value: "1.2.3": must be empty, 'None', or a valid IP address"#,
                    r#"spec.sessionAffinity: Unsupported value: "Sticky": supported values: "None", "ClientIP""#,
                    "spec.loadBalancerSourceRanges: Forbidden: may only be used when `type` is 'LoadBalancer'",
                    r#"spec.loadBalancerSourceRanges[0]: Invalid value: "10.0.0.0/40": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)"#,
                ],
            ),
            (
                "spec: {sessionAffinityConfig: {clientIP: {timeoutSeconds: 10}}, selector: {app: 'a b'}}",
                &[
                    r#"spec.sessionAffinityConfig: Invalid value: "": must not be set when session affinity is not ClientIP"#,
                    r#"spec.selector[app]: Invalid value: "a b": a label value must be empty or hold only letters, digits, '-', '_' and '.', starting and ending with a letter or digit"#,
                ],
            ),
        ],
    );
    check_valid(
        SERVICE,
        &[
            "spec: {clusterIP: None, ports: [], selector: null}",
            "spec: {type: ExternalName, externalName: db.example.com., ports: []}",
            "spec: {type: LoadBalancer, externalTrafficPolicy: Local, healthCheckNodePort: 32000, ports: [{name: http, port: 80, targetPort: http, protocol: TCP, nodePort: 30080}], loadBalancerSourceRanges: [10.0.0.0/8]}",
            "spec: {sessionAffinity: ClientIP, sessionAffinityConfig: {clientIP: {timeoutSeconds: 10800}}, clusterIP: 10.0.0.10, clusterIPs: [10.0.0.10], ipFamilies: [IPv4], ipFamilyPolicy: SingleStack}",
        ],
    );
}

#[test]
fn endpoints() {
    check(
        "apiVersion: v1\nkind: Endpoints\nmetadata: {name: web, namespace: default}\nsubsets: [{addresses: [{ip: 10.1.2.3}], ports: [{name: http, port: 80, protocol: TCP}]}]",
        &[(
            "subsets: [{ports: [{port: 80, protocol: TCP}]}, {addresses: [{ip: 127.0.0.1}, {ip: x, hostname: A}], ports: [{port: 80, protocol: TCP}, {name: b, port: 0, protocol: ICMP}]}]",
            &[
                "subsets[0]: Required value: must specify `addresses` or `notReadyAddresses`",
                r#"subsets[1].addresses[0].ip: Invalid value: "127.0.0.1": may not be in the loopback range (127.0.0.0/8, ::1/128)"#,
                r#"subsets[1].addresses[1].ip: Invalid value: "x": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"#,
                r#"subsets[1].addresses[1].hostname: Invalid value: "A": an RFC 1123 label may hold only lower-case letters, digits and '-', and must start and end with a letter or digit (for example 'web' or 'web-1')"#,
                "subsets[1].ports[0].name: Required value",
                r#"subsets[1].ports[1].port: Invalid value: "0": must be between 1 and 65535, inclusive"#,
                r#"subsets[1].ports[1].protocol: Unsupported value: "ICMP": supported values: "TCP", "UDP", "SCTP""#,
            ],
        )],
    );
}

const INGRESS: &str = "
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web, namespace: default}
spec:
  ingressClassName: nginx
  rules:
  - host: example.com
    http:
      paths:
      - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
  tls: [{hosts: [example.com], secretName: web-tls}]
";

#[test]
fn ingresses() {
    check(
        INGRESS,
        &[
            (
                "spec: {rules: []}",
                &[
                    r#"spec: Invalid value: "": either `defaultBackend` or `rules` must be specified"#,
                ],
            ),
            (
                "spec: {rules: [{host: 1.2.3.4}, {host: 'a.*.com'}, {host: ok.example, http: {paths: []}}]}",
                &[
                    r#"spec.rules[0].host: Invalid value: "1.2.3.4": must be a DNS name, not an IP address"#,
                    r#"spec.rules[1].host: Invalid value: "a.*.com": a wildcard DNS name must start with '*.' followed by a DNS subdomain (e.g. '*.example.com')"#,
                    "spec.rules[2].http.paths: Required value",
                ],
            ),
            (
                "spec: {rules: [{http: {paths: [{path: /, backend: {}}, {path: api, pathType: Prefix, backend: {service: {name: Web, port: {}}, resource: {kind: Bucket, name: b}}}, {path: /a//b, pathType: Exact, backend: {service: {name: web, port: {name: http, number: 80}}}}, {path: /, pathType: Regex, backend: {service: {name: web, port: {name: HTTP}}}}]}}]}",
                &[
                    "spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified",
                    r#"spec.rules[0].http.paths[0].backend: Invalid value: "": resource or service backend is required"#,
                    r#"spec.rules[0].http.paths[1].path: Invalid value: "api": must be an absolute path"#,
                    r#"spec.rules[0].http.paths[1].backend: Invalid value: "": cannot set both resource and service backends"#,
                    r#"spec.rules[0].http.paths[1].backend.service.name: Invalid value: "Web": an RFC 1035 label may hold only lower-case letters, digits and '-', must start with a letter and end with a letter or digit (for example 'web' or 'web-1')"#,
                    r#"spec.rules[0].http.paths[1].backend.service.port: Invalid value: "": port name or number is required"#,
                    r#"spec.rules[0].http.paths[2].path: Invalid value: "/a//b": must not contain '//'"#,
                    r#"spec.rules[0].http.paths[2].backend.service.port: Invalid value: "": cannot set both port name & port number"#,
                    r#"spec.rules[0].http.paths[3].pathType: Unsupported value: "Regex": supported values: "Exact", "Prefix", "ImplementationSpecific""#,
                    r#"spec.rules[0].http.paths[3].backend.service.port.name: Invalid value: "HTTP": may hold only lower-case letters, digits and '-'"#,
                    r#"spec.rules[0].http.paths[3].backend.service.port.name: Invalid value: "HTTP": must hold at least one letter"#,
                ],
            ),
            (
                "spec: {tls: [{hosts: ['*.example.com', 'Bad.example.com'], secretName: Web_TLS}]}",
                &[
                    r#"spec.tls[0].hosts[1]: Invalid value: "Bad.example.com": an RFC 1123 subdomain may hold only lower-case letters, digits, '-' and '.', and must start and end with a letter or digit (for example 'example.com')"#,
                    r#"spec.tls[0].secretName: Invalid value: "Web_TLS": an RFC 1123 subdomain may hold only lower-case letters, digits, '-' and '.', and must start and end with a letter or digit (for example 'example.com')"#,
                ],
            ),
        ],
    );
    check_valid(
        INGRESS,
        &[
            "spec: {rules: [{host: '*.example.com', http: {paths: [{pathType: ImplementationSpecific, backend: {service: {name: web, port: {name: http}}}}]}}]}",
            "spec: {rules: null, defaultBackend: {resource: {apiGroup: k8s.example.com, kind: StorageBucket, name: assets}}}",
        ],
    );
}
