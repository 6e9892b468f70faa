//! Tables for the kinds kubectl's generator commands create (`create deployment`,
//! `create service`, `create job`, `create cronjob`, `create ingress`, `create role`,
//! `create rolebinding`, `create serviceaccount`, `create poddisruptionbudget`,
//! `create priorityclass`, `create namespace`, `create configmap`, `create secret`),
//! with the field numbers of Kubernetes' `generated.proto` files.

use super::core::{
    LABEL_SELECTOR, LOCAL_OBJECT_REFERENCE, OBJECT_META, OBJECT_REFERENCE, POD_TEMPLATE_SPEC,
    TYPED_LOCAL_OBJECT_REFERENCE,
};
use super::wire::{Field, Schema};

pub(super) const DEPLOYMENT: Schema = &[
    (1, "metadata", Field::Msg(OBJECT_META)),
    (2, "spec", Field::Msg(DEPLOYMENT_SPEC)),
];
const DEPLOYMENT_SPEC: Schema = &[
    (1, "replicas", Field::Int),
    (2, "selector", Field::Msg(LABEL_SELECTOR)),
    (3, "template", Field::Msg(POD_TEMPLATE_SPEC)),
    (4, "strategy", Field::Msg(DEPLOYMENT_STRATEGY)),
    (5, "minReadySeconds", Field::Int),
    (6, "revisionHistoryLimit", Field::Int),
    (7, "paused", Field::Bool),
    (9, "progressDeadlineSeconds", Field::Int),
];
const DEPLOYMENT_STRATEGY: Schema = &[
    (1, "type", Field::Str),
    (2, "rollingUpdate", Field::Msg(ROLLING_UPDATE_DEPLOYMENT)),
];
const ROLLING_UPDATE_DEPLOYMENT: Schema = &[
    (1, "maxUnavailable", Field::IntOrString),
    (2, "maxSurge", Field::IntOrString),
];
pub(super) const JOB: Schema = &[
    (1, "metadata", Field::Msg(OBJECT_META)),
    (2, "spec", Field::Msg(JOB_SPEC)),
];
const JOB_SPEC: Schema = &[
    (1, "parallelism", Field::Int),
    (2, "completions", Field::Int),
    (3, "activeDeadlineSeconds", Field::Int),
    (7, "backoffLimit", Field::Int),
    (12, "backoffLimitPerIndex", Field::Int),
    (13, "maxFailedIndexes", Field::Int),
    (4, "selector", Field::Msg(LABEL_SELECTOR)),
    (5, "manualSelector", Field::Bool),
    (6, "template", Field::Msg(POD_TEMPLATE_SPEC)),
    (8, "ttlSecondsAfterFinished", Field::Int),
    (9, "completionMode", Field::Str),
    (10, "suspend", Field::Bool),
    (14, "podReplacementPolicy", Field::Str),
    (15, "managedBy", Field::Str),
];
pub(super) const CRON_JOB: Schema = &[
    (1, "metadata", Field::Msg(OBJECT_META)),
    (2, "spec", Field::Msg(CRON_JOB_SPEC)),
];
const CRON_JOB_SPEC: Schema = &[
    (1, "schedule", Field::Str),
    (8, "timeZone", Field::Str),
    (2, "startingDeadlineSeconds", Field::Int),
    (3, "concurrencyPolicy", Field::Str),
    (4, "suspend", Field::Bool),
    (5, "jobTemplate", Field::Msg(JOB_TEMPLATE_SPEC)),
    (6, "successfulJobsHistoryLimit", Field::Int),
    (7, "failedJobsHistoryLimit", Field::Int),
];
const JOB_TEMPLATE_SPEC: Schema = &[
    (1, "metadata", Field::Msg(OBJECT_META)),
    (2, "spec", Field::Msg(JOB_SPEC)),
];
pub(super) const SERVICE: Schema = &[
    (1, "metadata", Field::Msg(OBJECT_META)),
    (2, "spec", Field::Msg(SERVICE_SPEC)),
];
const SERVICE_SPEC: Schema = &[
    (1, "ports", Field::MsgList(SERVICE_PORT)),
    (2, "selector", Field::StrMap),
    (3, "clusterIP", Field::Str),
    (18, "clusterIPs", Field::StrList),
    (4, "type", Field::Str),
    (5, "externalIPs", Field::StrList),
    (7, "sessionAffinity", Field::Str),
    (8, "loadBalancerIP", Field::Str),
    (9, "loadBalancerSourceRanges", Field::StrList),
    (10, "externalName", Field::Str),
    (11, "externalTrafficPolicy", Field::Str),
    (12, "healthCheckNodePort", Field::Int),
    (13, "publishNotReadyAddresses", Field::Bool),
    (19, "ipFamilies", Field::StrList),
    (17, "ipFamilyPolicy", Field::Str),
    (20, "allocateLoadBalancerNodePorts", Field::Bool),
    (21, "loadBalancerClass", Field::Str),
    (22, "internalTrafficPolicy", Field::Str),
    (23, "trafficDistribution", Field::Str),
];
const SERVICE_PORT: Schema = &[
    (1, "name", Field::Str),
    (2, "protocol", Field::Str),
    (6, "appProtocol", Field::Str),
    (3, "port", Field::Int),
    (4, "targetPort", Field::IntOrString),
    (5, "nodePort", Field::Int),
];
pub(super) const INGRESS: Schema = &[
    (1, "metadata", Field::Msg(OBJECT_META)),
    (2, "spec", Field::Msg(INGRESS_SPEC)),
];
const INGRESS_SPEC: Schema = &[
    (4, "ingressClassName", Field::Str),
    (1, "defaultBackend", Field::Msg(INGRESS_BACKEND)),
    (2, "tls", Field::MsgList(INGRESS_TLS)),
    (3, "rules", Field::MsgList(INGRESS_RULE)),
];
const INGRESS_RULE: Schema = &[
    (1, "host", Field::Str),
    (2, "", Field::Inline(INGRESS_RULE_VALUE)),
];
const INGRESS_RULE_VALUE: Schema = &[(1, "http", Field::Msg(HTTP_INGRESS_RULE_VALUE))];
const HTTP_INGRESS_RULE_VALUE: Schema = &[(1, "paths", Field::MsgList(HTTP_INGRESS_PATH))];
const HTTP_INGRESS_PATH: Schema = &[
    (1, "path", Field::Str),
    (3, "pathType", Field::Str),
    (2, "backend", Field::Msg(INGRESS_BACKEND)),
];
const INGRESS_BACKEND: Schema = &[
    (4, "service", Field::Msg(INGRESS_SERVICE_BACKEND)),
    (3, "resource", Field::Msg(TYPED_LOCAL_OBJECT_REFERENCE)),
];
const INGRESS_SERVICE_BACKEND: Schema = &[
    (1, "name", Field::Str),
    (2, "port", Field::Msg(SERVICE_BACKEND_PORT)),
];
const SERVICE_BACKEND_PORT: Schema = &[(1, "name", Field::Str), (2, "number", Field::Int)];
const INGRESS_TLS: Schema = &[(1, "hosts", Field::StrList), (2, "secretName", Field::Str)];
pub(super) const SERVICE_ACCOUNT: Schema = &[
    (1, "metadata", Field::Msg(OBJECT_META)),
    (2, "secrets", Field::MsgList(OBJECT_REFERENCE)),
    (
        3,
        "imagePullSecrets",
        Field::MsgList(LOCAL_OBJECT_REFERENCE),
    ),
    (4, "automountServiceAccountToken", Field::Bool),
];
pub(super) const ROLE: Schema = &[
    (1, "metadata", Field::Msg(OBJECT_META)),
    (2, "rules", Field::MsgList(POLICY_RULE)),
];
pub(super) const CLUSTER_ROLE: Schema = &[
    (1, "metadata", Field::Msg(OBJECT_META)),
    (2, "rules", Field::MsgList(POLICY_RULE)),
    (3, "aggregationRule", Field::Msg(AGGREGATION_RULE)),
];
const POLICY_RULE: Schema = &[
    (1, "verbs", Field::StrList),
    (2, "apiGroups", Field::StrList),
    (3, "resources", Field::StrList),
    (4, "resourceNames", Field::StrList),
    (5, "nonResourceURLs", Field::StrList),
];
const AGGREGATION_RULE: Schema = &[(1, "clusterRoleSelectors", Field::MsgList(LABEL_SELECTOR))];
pub(super) const ROLE_BINDING: Schema = &[
    (1, "metadata", Field::Msg(OBJECT_META)),
    (2, "subjects", Field::MsgList(SUBJECT)),
    (3, "roleRef", Field::Msg(ROLE_REF)),
];
pub(super) const CLUSTER_ROLE_BINDING: Schema = &[
    (1, "metadata", Field::Msg(OBJECT_META)),
    (2, "subjects", Field::MsgList(SUBJECT)),
    (3, "roleRef", Field::Msg(ROLE_REF)),
];
const SUBJECT: Schema = &[
    (1, "kind", Field::Str),
    (2, "apiGroup", Field::Str),
    (3, "name", Field::Str),
    (4, "namespace", Field::Str),
];
const ROLE_REF: Schema = &[
    (1, "apiGroup", Field::Str),
    (2, "kind", Field::Str),
    (3, "name", Field::Str),
];
pub(super) const POD_DISRUPTION_BUDGET: Schema = &[
    (1, "metadata", Field::Msg(OBJECT_META)),
    (2, "spec", Field::Msg(POD_DISRUPTION_BUDGET_SPEC)),
];
const POD_DISRUPTION_BUDGET_SPEC: Schema = &[
    (1, "minAvailable", Field::IntOrString),
    (2, "selector", Field::Msg(LABEL_SELECTOR)),
    (3, "maxUnavailable", Field::IntOrString),
    (4, "unhealthyPodEvictionPolicy", Field::Str),
];
pub(super) const PRIORITY_CLASS: Schema = &[
    (1, "metadata", Field::Msg(OBJECT_META)),
    (2, "value", Field::Int),
    (3, "globalDefault", Field::Bool),
    (4, "description", Field::Str),
    (5, "preemptionPolicy", Field::Str),
];
pub(super) const NAMESPACE: Schema = &[
    (1, "metadata", Field::Msg(OBJECT_META)),
    (2, "spec", Field::Msg(NAMESPACE_SPEC)),
];
const NAMESPACE_SPEC: Schema = &[(1, "finalizers", Field::StrList)];
pub(super) const CONFIG_MAP: Schema = &[
    (1, "metadata", Field::Msg(OBJECT_META)),
    (4, "immutable", Field::Bool),
    (2, "data", Field::StrMap),
    (3, "binaryData", Field::BytesMap),
];
pub(super) const SECRET: Schema = &[
    (1, "metadata", Field::Msg(OBJECT_META)),
    (5, "immutable", Field::Bool),
    (2, "data", Field::BytesMap),
    (4, "stringData", Field::StrMap),
    (3, "type", Field::Str),
];
