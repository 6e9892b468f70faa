//! Tables for `metav1` and the core/v1 pod messages, with the field numbers of
//! Kubernetes' `generated.proto` files (k8s.io/api, k8s.io/apimachinery). Fields
//! left out (status, affinity, security contexts, most volume sources, ...) are
//! skipped when read; kubectl's generators do not set them.

use super::wire::{Field, Schema};

pub(super) const OBJECT_META: Schema = &[
    (1, "name", Field::Str),
    (2, "generateName", Field::Str),
    (3, "namespace", Field::Str),
    (4, "selfLink", Field::Str),
    (5, "uid", Field::Str),
    (6, "resourceVersion", Field::Str),
    (7, "generation", Field::Int),
    (8, "creationTimestamp", Field::Time),
    (9, "deletionTimestamp", Field::Time),
    (10, "deletionGracePeriodSeconds", Field::Int),
    (11, "labels", Field::StrMap),
    (12, "annotations", Field::StrMap),
    (13, "ownerReferences", Field::MsgList(OWNER_REFERENCE)),
    (14, "finalizers", Field::StrList),
];
const OWNER_REFERENCE: Schema = &[
    (5, "apiVersion", Field::Str),
    (1, "kind", Field::Str),
    (3, "name", Field::Str),
    (4, "uid", Field::Str),
    (6, "controller", Field::Bool),
    (7, "blockOwnerDeletion", Field::Bool),
];
pub(super) const LABEL_SELECTOR: Schema = &[
    (1, "matchLabels", Field::StrMap),
    (
        2,
        "matchExpressions",
        Field::MsgList(LABEL_SELECTOR_REQUIREMENT),
    ),
];
const LABEL_SELECTOR_REQUIREMENT: Schema = &[
    (1, "key", Field::Str),
    (2, "operator", Field::Str),
    (3, "values", Field::StrList),
];
pub(super) const OBJECT_REFERENCE: Schema = &[
    (1, "kind", Field::Str),
    (2, "namespace", Field::Str),
    (3, "name", Field::Str),
    (4, "uid", Field::Str),
    (5, "apiVersion", Field::Str),
    (6, "resourceVersion", Field::Str),
    (7, "fieldPath", Field::Str),
];
pub(super) const LOCAL_OBJECT_REFERENCE: Schema = &[(1, "name", Field::Str)];
pub(super) const TYPED_LOCAL_OBJECT_REFERENCE: Schema = &[
    (1, "apiGroup", Field::Str),
    (2, "kind", Field::Str),
    (3, "name", Field::Str),
];
pub(super) const POD: Schema = &[
    (1, "metadata", Field::Msg(OBJECT_META)),
    (2, "spec", Field::Msg(POD_SPEC)),
];
pub(super) const POD_TEMPLATE_SPEC: Schema = &[
    (1, "metadata", Field::Msg(OBJECT_META)),
    (2, "spec", Field::Msg(POD_SPEC)),
];
const POD_SPEC: Schema = &[
    (1, "volumes", Field::MsgList(VOLUME)),
    (20, "initContainers", Field::MsgList(CONTAINER)),
    (2, "containers", Field::MsgList(CONTAINER)),
    (3, "restartPolicy", Field::Str),
    (4, "terminationGracePeriodSeconds", Field::Int),
    (5, "activeDeadlineSeconds", Field::Int),
    (6, "dnsPolicy", Field::Str),
    (7, "nodeSelector", Field::StrMap),
    (8, "serviceAccountName", Field::Str),
    (9, "serviceAccount", Field::Str),
    (21, "automountServiceAccountToken", Field::Bool),
    (10, "nodeName", Field::Str),
    (11, "hostNetwork", Field::Bool),
    (12, "hostPID", Field::Bool),
    (13, "hostIPC", Field::Bool),
    (27, "shareProcessNamespace", Field::Bool),
    (
        15,
        "imagePullSecrets",
        Field::MsgList(LOCAL_OBJECT_REFERENCE),
    ),
    (16, "hostname", Field::Str),
    (17, "subdomain", Field::Str),
    (19, "schedulerName", Field::Str),
    (22, "tolerations", Field::MsgList(TOLERATION)),
    (24, "priorityClassName", Field::Str),
    (25, "priority", Field::Int),
    (29, "runtimeClassName", Field::Str),
    (30, "enableServiceLinks", Field::Bool),
    (31, "preemptionPolicy", Field::Str),
    (32, "overhead", Field::QuantityMap),
    (35, "setHostnameAsFQDN", Field::Bool),
    (37, "hostUsers", Field::Bool),
    (40, "resources", Field::Msg(RESOURCE_REQUIREMENTS)),
    (41, "hostnameOverride", Field::Str),
];
const CONTAINER: Schema = &[
    (1, "name", Field::Str),
    (2, "image", Field::Str),
    (3, "command", Field::StrList),
    (4, "args", Field::StrList),
    (5, "workingDir", Field::Str),
    (6, "ports", Field::MsgList(CONTAINER_PORT)),
    (19, "envFrom", Field::MsgList(ENV_FROM_SOURCE)),
    (7, "env", Field::MsgList(ENV_VAR)),
    (8, "resources", Field::Msg(RESOURCE_REQUIREMENTS)),
    (24, "restartPolicy", Field::Str),
    (9, "volumeMounts", Field::MsgList(VOLUME_MOUNT)),
    (10, "livenessProbe", Field::Msg(PROBE)),
    (11, "readinessProbe", Field::Msg(PROBE)),
    (22, "startupProbe", Field::Msg(PROBE)),
    (13, "terminationMessagePath", Field::Str),
    (20, "terminationMessagePolicy", Field::Str),
    (14, "imagePullPolicy", Field::Str),
    (16, "stdin", Field::Bool),
    (17, "stdinOnce", Field::Bool),
    (18, "tty", Field::Bool),
];
const CONTAINER_PORT: Schema = &[
    (1, "name", Field::Str),
    (2, "hostPort", Field::Int),
    (3, "containerPort", Field::Int),
    (4, "protocol", Field::Str),
    (5, "hostIP", Field::Str),
];
const ENV_VAR: Schema = &[
    (1, "name", Field::Str),
    (2, "value", Field::Str),
    (3, "valueFrom", Field::Msg(ENV_VAR_SOURCE)),
];
const ENV_VAR_SOURCE: Schema = &[
    (1, "fieldRef", Field::Msg(OBJECT_FIELD_SELECTOR)),
    (2, "resourceFieldRef", Field::Msg(RESOURCE_FIELD_SELECTOR)),
    (3, "configMapKeyRef", Field::Msg(CONFIG_MAP_KEY_SELECTOR)),
    (4, "secretKeyRef", Field::Msg(SECRET_KEY_SELECTOR)),
];
const CONFIG_MAP_KEY_SELECTOR: Schema = &[
    (1, "", Field::Inline(LOCAL_OBJECT_REFERENCE)),
    (2, "key", Field::Str),
    (3, "optional", Field::Bool),
];
const SECRET_KEY_SELECTOR: Schema = &[
    (1, "", Field::Inline(LOCAL_OBJECT_REFERENCE)),
    (2, "key", Field::Str),
    (3, "optional", Field::Bool),
];
const OBJECT_FIELD_SELECTOR: Schema =
    &[(1, "apiVersion", Field::Str), (2, "fieldPath", Field::Str)];
const RESOURCE_FIELD_SELECTOR: Schema = &[
    (1, "containerName", Field::Str),
    (2, "resource", Field::Str),
    (3, "divisor", Field::Quantity),
];
const ENV_FROM_SOURCE: Schema = &[
    (1, "prefix", Field::Str),
    (2, "configMapRef", Field::Msg(CONFIG_MAP_ENV_SOURCE)),
    (3, "secretRef", Field::Msg(SECRET_ENV_SOURCE)),
];
const CONFIG_MAP_ENV_SOURCE: Schema = &[
    (1, "", Field::Inline(LOCAL_OBJECT_REFERENCE)),
    (2, "optional", Field::Bool),
];
const SECRET_ENV_SOURCE: Schema = &[
    (1, "", Field::Inline(LOCAL_OBJECT_REFERENCE)),
    (2, "optional", Field::Bool),
];
const RESOURCE_REQUIREMENTS: Schema = &[
    (1, "limits", Field::QuantityMap),
    (2, "requests", Field::QuantityMap),
];
const VOLUME_MOUNT: Schema = &[
    (1, "name", Field::Str),
    (2, "readOnly", Field::Bool),
    (7, "recursiveReadOnly", Field::Str),
    (3, "mountPath", Field::Str),
    (4, "subPath", Field::Str),
    (5, "mountPropagation", Field::Str),
    (6, "subPathExpr", Field::Str),
];
const PROBE: Schema = &[
    (1, "", Field::Inline(PROBE_HANDLER)),
    (2, "initialDelaySeconds", Field::Int),
    (3, "timeoutSeconds", Field::Int),
    (4, "periodSeconds", Field::Int),
    (5, "successThreshold", Field::Int),
    (6, "failureThreshold", Field::Int),
    (7, "terminationGracePeriodSeconds", Field::Int),
];
const PROBE_HANDLER: Schema = &[
    (1, "exec", Field::Msg(EXEC_ACTION)),
    (2, "httpGet", Field::Msg(HTTP_GET_ACTION)),
    (3, "tcpSocket", Field::Msg(TCP_SOCKET_ACTION)),
    (4, "grpc", Field::Msg(GRPC_ACTION)),
];
const EXEC_ACTION: Schema = &[(1, "command", Field::StrList)];
const HTTP_GET_ACTION: Schema = &[
    (1, "path", Field::Str),
    (2, "port", Field::IntOrString),
    (3, "host", Field::Str),
    (4, "scheme", Field::Str),
    (5, "httpHeaders", Field::MsgList(HTTP_HEADER)),
];
const HTTP_HEADER: Schema = &[(1, "name", Field::Str), (2, "value", Field::Str)];
const TCP_SOCKET_ACTION: Schema = &[(1, "port", Field::IntOrString), (2, "host", Field::Str)];
const GRPC_ACTION: Schema = &[(1, "port", Field::Int), (2, "service", Field::Str)];
const VOLUME: Schema = &[
    (1, "name", Field::Str),
    (2, "", Field::Inline(VOLUME_SOURCE)),
];
const VOLUME_SOURCE: Schema = &[
    (1, "hostPath", Field::Msg(HOST_PATH_VOLUME_SOURCE)),
    (2, "emptyDir", Field::Msg(EMPTY_DIR_VOLUME_SOURCE)),
    (6, "secret", Field::Msg(SECRET_VOLUME_SOURCE)),
    (
        10,
        "persistentVolumeClaim",
        Field::Msg(PERSISTENT_VOLUME_CLAIM_VOLUME_SOURCE),
    ),
    (19, "configMap", Field::Msg(CONFIG_MAP_VOLUME_SOURCE)),
];
const EMPTY_DIR_VOLUME_SOURCE: Schema =
    &[(1, "medium", Field::Str), (2, "sizeLimit", Field::Quantity)];
const CONFIG_MAP_VOLUME_SOURCE: Schema = &[
    (1, "", Field::Inline(LOCAL_OBJECT_REFERENCE)),
    (2, "items", Field::MsgList(KEY_TO_PATH)),
    (3, "defaultMode", Field::Int),
    (4, "optional", Field::Bool),
];
const SECRET_VOLUME_SOURCE: Schema = &[
    (1, "secretName", Field::Str),
    (2, "items", Field::MsgList(KEY_TO_PATH)),
    (3, "defaultMode", Field::Int),
    (4, "optional", Field::Bool),
];
const HOST_PATH_VOLUME_SOURCE: Schema = &[(1, "path", Field::Str), (2, "type", Field::Str)];
const PERSISTENT_VOLUME_CLAIM_VOLUME_SOURCE: Schema =
    &[(1, "claimName", Field::Str), (2, "readOnly", Field::Bool)];
const KEY_TO_PATH: Schema = &[
    (1, "key", Field::Str),
    (2, "path", Field::Str),
    (3, "mode", Field::Int),
];
const TOLERATION: Schema = &[
    (1, "key", Field::Str),
    (2, "operator", Field::Str),
    (3, "value", Field::Str),
    (4, "effect", Field::Str),
    (5, "tolerationSeconds", Field::Int),
];
