//! v1: container health checks and lifecycle hooks: `Probe`, `Lifecycle` and their
//! actions (exec, HTTP GET, TCP socket, gRPC, sleep).

use serde::{Deserialize, Serialize};

use crate::int_or_string::IntOrString;
use crate::serde_util::is_zero_i32;

/// A periodic check of a container: one action plus timing and thresholds.
///
/// The action fields (`exec`, `httpGet`, `tcpSocket`, `grpc`) sit at the top level of
/// the probe on the wire, so they are fields of this struct.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Probe {
    /// Run a command in the container; exit status 0 is success.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exec: Option<ExecAction>,
    /// Send an HTTP GET; a 2xx or 3xx status is success.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http_get: Option<HTTPGetAction>,
    /// Open a TCP connection; success if it connects.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tcp_socket: Option<TCPSocketAction>,
    /// Call the gRPC health-checking service.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grpc: Option<GRPCAction>,
    /// Seconds after the container starts before the first check.
    #[serde(default, skip_serializing_if = "is_zero_i32")]
    pub initial_delay_seconds: i32,
    /// Seconds before one check times out (default 1).
    #[serde(default, skip_serializing_if = "is_zero_i32")]
    pub timeout_seconds: i32,
    /// Seconds between checks (default 10).
    #[serde(default, skip_serializing_if = "is_zero_i32")]
    pub period_seconds: i32,
    /// Consecutive successes needed after a failure (default 1; must be 1 for
    /// liveness and startup probes).
    #[serde(default, skip_serializing_if = "is_zero_i32")]
    pub success_threshold: i32,
    /// Consecutive failures needed to count as failed (default 3).
    #[serde(default, skip_serializing_if = "is_zero_i32")]
    pub failure_threshold: i32,
    /// Grace period for the kill that follows a failed liveness or startup probe,
    /// overriding the pod's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub termination_grace_period_seconds: Option<i64>,
}

/// A command run inside the container.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExecAction {
    /// Command line, executed directly (not through a shell), in `/`.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::serde_util::exact_vec"
    )]
    pub command: Vec<String>,
}

/// An HTTP GET request.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HTTPGetAction {
    /// Request path.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub path: String,
    /// Port number or name of a container port.
    #[serde(default)]
    pub port: IntOrString,
    /// Host to connect to; the pod IP when empty.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub host: String,
    /// `HTTP` (default) or `HTTPS`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub scheme: String,
    /// Extra request headers.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::serde_util::exact_vec"
    )]
    pub http_headers: Vec<HTTPHeader>,
}

/// A header sent by an HTTP probe.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HTTPHeader {
    /// Header name.
    #[serde(default)]
    pub name: String,
    /// Header value.
    #[serde(default)]
    pub value: String,
}

/// A TCP connection attempt.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TCPSocketAction {
    /// Port number or name of a container port.
    #[serde(default)]
    pub port: IntOrString,
    /// Host to connect to; the pod IP when empty.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub host: String,
}

/// A call to the standard gRPC health-checking service.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GRPCAction {
    /// Port of the gRPC server.
    #[serde(default)]
    pub port: i32,
    /// Service name put in the health-check request. Always written (as `null` when
    /// unset), as Kubernetes does.
    #[serde(default)]
    pub service: Option<String>,
}

/// A pause of some seconds (a lifecycle hook action).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SleepAction {
    /// Seconds to sleep.
    #[serde(default)]
    pub seconds: i64,
}

/// Hooks run at points of a container's life.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Lifecycle {
    /// Run right after the container is created; on failure the container is restarted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub post_start: Option<LifecycleHandler>,
    /// Run before the container is stopped by the system (not when it exits by itself),
    /// within the termination grace period.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pre_stop: Option<LifecycleHandler>,
}

/// The action of a lifecycle hook; exactly one field is set.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LifecycleHandler {
    /// Run a command in the container.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exec: Option<ExecAction>,
    /// Send an HTTP GET.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http_get: Option<HTTPGetAction>,
    /// Deprecated and not supported as a hook; kept so old objects decode.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tcp_socket: Option<TCPSocketAction>,
    /// Sleep for a while.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sleep: Option<SleepAction>,
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn probe_shape() {
        let p: Probe = serde_json::from_value(serde_json::json!({
            "httpGet": {"path": "/healthz", "port": "http", "httpHeaders": [{"name": "X", "value": "y"}]},
            "initialDelaySeconds": 5,
            "periodSeconds": 10
        }))
        .unwrap();
        let get = p.http_get.as_ref().unwrap();
        assert_eq!(get.port, IntOrString::String("http".into()));
        let v = serde_json::to_value(&p).unwrap();
        assert_eq!(v["httpGet"]["port"], "http");
        assert!(v.get("timeoutSeconds").is_none());

        let g: GRPCAction = serde_json::from_str(r#"{"port":9000}"#).unwrap();
        assert_eq!(
            serde_json::to_string(&g).unwrap(),
            r#"{"port":9000,"service":null}"#
        );
        let t: TCPSocketAction = serde_json::from_str(r#"{"port":5432}"#).unwrap();
        assert_eq!(t.port, IntOrString::Int(5432));
        assert!(serde_json::from_str::<Probe>(r#"{"periodSeconds":"ten"}"#).is_err());
    }
}
