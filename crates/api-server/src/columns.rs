//! The columns `kubectl get` shows for each kind (server-side printing), read from
//! the object's JSON.

use core_types::{DynamicObject, Time};
use serde_json::{Value, json};

/// A column: name, type, and priority (0: always shown; 1: `-o wide`).
pub(crate) struct Column {
    pub(crate) name: &'static str,
    pub(crate) kind: &'static str,
    pub(crate) priority: u8,
}

const fn col(name: &'static str, kind: &'static str, priority: u8) -> Column {
    Column {
        name,
        kind,
        priority,
    }
}

/// The columns of `kind` (always starting with Name and ending with Age, as kubectl's).
pub(crate) fn columns(kind: &str) -> Vec<Column> {
    let mut c = vec![col("Name", "string", 0)];
    c.extend(match kind {
        "Pod" => vec![
            col("Ready", "string", 0),
            col("Status", "string", 0),
            col("Restarts", "string", 0),
            col("Age", "string", 0),
            col("IP", "string", 1),
            col("Node", "string", 1),
        ],
        "Deployment" => vec![
            col("Ready", "string", 0),
            col("Up-to-date", "integer", 0),
            col("Available", "integer", 0),
            col("Age", "string", 0),
            col("Containers", "string", 1),
            col("Images", "string", 1),
            col("Selector", "string", 1),
        ],
        "ReplicaSet" | "ReplicationController" => vec![
            col("Desired", "integer", 0),
            col("Current", "integer", 0),
            col("Ready", "integer", 0),
            col("Age", "string", 0),
            col("Containers", "string", 1),
            col("Images", "string", 1),
        ],
        "StatefulSet" => vec![col("Ready", "string", 0), col("Age", "string", 0)],
        "DaemonSet" => vec![
            col("Desired", "integer", 0),
            col("Current", "integer", 0),
            col("Ready", "integer", 0),
            col("Up-to-date", "integer", 0),
            col("Available", "integer", 0),
            col("Age", "string", 0),
        ],
        "Service" => vec![
            col("Type", "string", 0),
            col("Cluster-IP", "string", 0),
            col("External-IP", "string", 0),
            col("Port(s)", "string", 0),
            col("Age", "string", 0),
            col("Selector", "string", 1),
        ],
        "Node" => vec![
            col("Status", "string", 0),
            col("Roles", "string", 0),
            col("Age", "string", 0),
            col("Version", "string", 0),
        ],
        "Namespace" => vec![col("Status", "string", 0), col("Age", "string", 0)],
        "ConfigMap" => vec![col("Data", "integer", 0), col("Age", "string", 0)],
        "Secret" => vec![
            col("Type", "string", 0),
            col("Data", "integer", 0),
            col("Age", "string", 0),
        ],
        "Job" => vec![col("Completions", "string", 0), col("Age", "string", 0)],
        "CronJob" => vec![
            col("Schedule", "string", 0),
            col("Suspend", "boolean", 0),
            col("Active", "integer", 0),
            col("Age", "string", 0),
        ],
        _ => vec![col("Age", "string", 0)],
    });
    c
}

fn at<'a>(o: &'a DynamicObject, path: &[&str]) -> Option<&'a Value> {
    let (first, rest) = path.split_first()?;
    rest.iter().try_fold(o.data.get(*first)?, |v, k| v.get(k))
}

fn int(o: &DynamicObject, path: &[&str]) -> i64 {
    at(o, path).and_then(Value::as_i64).unwrap_or(0)
}

fn text(o: &DynamicObject, path: &[&str], empty: &str) -> String {
    at(o, path)
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .unwrap_or(empty)
        .to_owned()
}

fn containers(o: &DynamicObject, field: &str) -> String {
    at(o, &["spec", "template", "spec", "containers"])
        .and_then(Value::as_array)
        .map(|cs| {
            cs.iter()
                .filter_map(|c| c.get(field).and_then(Value::as_str))
                .collect::<Vec<_>>()
                .join(",")
        })
        .unwrap_or_default()
}

fn map_selector(v: Option<&Value>) -> String {
    v.and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .filter_map(|(k, v)| v.as_str().map(|v| format!("{k}={v}")))
                .collect::<Vec<_>>()
                .join(",")
        })
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "<none>".into())
}

/// The cells of `o`'s row, one per column of [`columns`].
pub(crate) fn cells(kind: &str, o: &DynamicObject, now: i64) -> Vec<Value> {
    let age = json!(age(o.metadata.creation_timestamp.as_ref(), now));
    let mut row = vec![json!(o.metadata.name)];
    row.extend(match kind {
        "Pod" => {
            let statuses = at(o, &["status", "containerStatuses"]).and_then(Value::as_array);
            let total = at(o, &["spec", "containers"])
                .and_then(Value::as_array)
                .map_or(0, Vec::len);
            let ready = statuses.map_or(0, |s| {
                s.iter()
                    .filter(|c| c.get("ready") == Some(&json!(true)))
                    .count()
            });
            let restarts: i64 = statuses.map_or(0, |s| {
                s.iter()
                    .filter_map(|c| c.get("restartCount").and_then(Value::as_i64))
                    .sum()
            });
            let status = if o.metadata.deletion_timestamp.is_some() {
                "Terminating".to_owned()
            } else {
                let reason = text(o, &["status", "reason"], "");
                if reason.is_empty() {
                    text(o, &["status", "phase"], "Pending")
                } else {
                    reason
                }
            };
            vec![
                json!(format!("{ready}/{total}")),
                json!(status),
                json!(restarts.to_string()),
                age,
                json!(text(o, &["status", "podIP"], "<none>")),
                json!(text(o, &["spec", "nodeName"], "<none>")),
            ]
        }
        "Deployment" => vec![
            json!(format!(
                "{}/{}",
                int(o, &["status", "readyReplicas"]),
                at(o, &["spec", "replicas"])
                    .and_then(Value::as_i64)
                    .unwrap_or(1)
            )),
            json!(int(o, &["status", "updatedReplicas"])),
            json!(int(o, &["status", "availableReplicas"])),
            age,
            json!(containers(o, "name")),
            json!(containers(o, "image")),
            json!(map_selector(at(o, &["spec", "selector", "matchLabels"]))),
        ],
        "ReplicaSet" | "ReplicationController" => vec![
            json!(
                at(o, &["spec", "replicas"])
                    .and_then(Value::as_i64)
                    .unwrap_or(1)
            ),
            json!(int(o, &["status", "replicas"])),
            json!(int(o, &["status", "readyReplicas"])),
            age,
            json!(containers(o, "name")),
            json!(containers(o, "image")),
        ],
        "StatefulSet" => vec![
            json!(format!(
                "{}/{}",
                int(o, &["status", "readyReplicas"]),
                at(o, &["spec", "replicas"])
                    .and_then(Value::as_i64)
                    .unwrap_or(1)
            )),
            age,
        ],
        "DaemonSet" => vec![
            json!(int(o, &["status", "desiredNumberScheduled"])),
            json!(int(o, &["status", "currentNumberScheduled"])),
            json!(int(o, &["status", "numberReady"])),
            json!(int(o, &["status", "updatedNumberScheduled"])),
            json!(int(o, &["status", "numberAvailable"])),
            age,
        ],
        "Service" => vec![
            json!(text(o, &["spec", "type"], "ClusterIP")),
            json!(text(o, &["spec", "clusterIP"], "<none>")),
            json!(external_ips(o)),
            json!(ports(o)),
            age,
            json!(map_selector(at(o, &["spec", "selector"]))),
        ],
        "Node" => {
            let ready = at(o, &["status", "conditions"])
                .and_then(Value::as_array)
                .and_then(|cs| cs.iter().find(|c| c.get("type") == Some(&json!("Ready"))))
                .and_then(|c| c.get("status").and_then(Value::as_str))
                .map_or(
                    "Unknown",
                    |s| if s == "True" { "Ready" } else { "NotReady" },
                );
            let roles: Vec<&str> = o
                .metadata
                .labels
                .keys()
                .filter_map(|k| k.strip_prefix("node-role.kubernetes.io/"))
                .collect();
            let roles = if roles.is_empty() {
                "<none>".to_owned()
            } else {
                roles.join(",")
            };
            vec![
                json!(ready),
                json!(roles),
                age,
                json!(text(o, &["status", "nodeInfo", "kubeletVersion"], "")),
            ]
        }
        "Namespace" => vec![json!(text(o, &["status", "phase"], "Active")), age],
        "ConfigMap" => {
            let n = ["data", "binaryData"]
                .iter()
                .filter_map(|f| o.data.get(*f).and_then(Value::as_object))
                .map(|m| m.len())
                .sum::<usize>();
            vec![json!(n), age]
        }
        "Secret" => {
            let n = ["data", "stringData"]
                .iter()
                .filter_map(|f| o.data.get(*f).and_then(Value::as_object))
                .map(|m| m.len())
                .sum::<usize>();
            vec![
                json!(
                    o.data
                        .get("type")
                        .and_then(Value::as_str)
                        .unwrap_or("Opaque")
                ),
                json!(n),
                age,
            ]
        }
        "Job" => vec![
            json!(format!(
                "{}/{}",
                int(o, &["status", "succeeded"]),
                at(o, &["spec", "completions"])
                    .and_then(Value::as_i64)
                    .unwrap_or(1)
            )),
            age,
        ],
        "CronJob" => vec![
            json!(text(o, &["spec", "schedule"], "")),
            json!(
                at(o, &["spec", "suspend"])
                    .and_then(Value::as_bool)
                    .unwrap_or(false)
            ),
            json!(
                at(o, &["status", "active"])
                    .and_then(Value::as_array)
                    .map_or(0, Vec::len)
            ),
            age,
        ],
        _ => vec![age],
    });
    row
}

fn external_ips(o: &DynamicObject) -> String {
    let mut ips: Vec<String> = at(o, &["spec", "externalIPs"])
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    for ingress in at(o, &["status", "loadBalancer", "ingress"])
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        if let Some(ip) = ingress
            .get("ip")
            .or_else(|| ingress.get("hostname"))
            .and_then(Value::as_str)
        {
            ips.push(ip.to_owned());
        }
    }
    match (ips.is_empty(), text(o, &["spec", "type"], "")) {
        (true, t) if t == "LoadBalancer" => "<pending>".into(),
        (true, _) => "<none>".into(),
        _ => ips.join(","),
    }
}

fn ports(o: &DynamicObject) -> String {
    let list = at(o, &["spec", "ports"]).and_then(Value::as_array);
    let parts: Vec<String> = list
        .into_iter()
        .flatten()
        .map(|p| {
            let port = p.get("port").and_then(Value::as_i64).unwrap_or(0);
            let protocol = p.get("protocol").and_then(Value::as_str).unwrap_or("TCP");
            match p.get("nodePort").and_then(Value::as_i64) {
                Some(node) if node > 0 => format!("{port}:{node}/{protocol}"),
                _ => format!("{port}/{protocol}"),
            }
        })
        .collect();
    if parts.is_empty() {
        "<none>".into()
    } else {
        parts.join(",")
    }
}

/// kubectl's short human duration since `created` (`45s`, `3m12s`, `5h`, `12d`).
pub(crate) fn age(created: Option<&Time>, now: i64) -> String {
    let Some(created) = created else {
        return "<unknown>".into();
    };
    let s = (now - created.unix_seconds()).max(0);
    let (m, h, d) = (s / 60, s / 3600, s / 86400);
    match s {
        _ if s < 120 => format!("{s}s"),
        _ if m < 10 => match s % 60 {
            0 => format!("{m}m"),
            r => format!("{m}m{r}s"),
        },
        _ if h < 3 => format!("{m}m"),
        _ if h < 8 => match m % 60 {
            0 => format!("{h}h"),
            r => format!("{h}h{r}m"),
        },
        _ if h < 48 => format!("{h}h"),
        _ if h < 192 => match h % 24 {
            0 => format!("{d}d"),
            r => format!("{d}d{r}h"),
        },
        _ if d < 730 => format!("{d}d"),
        _ => format!("{}y{}d", d / 365, d % 365),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_read_like_kubectl() {
        let t = Time::from_unix_seconds(1_000_000).unwrap();
        let at = |s: i64| age(Some(&t), 1_000_000 + s);
        assert_eq!(at(5), "5s");
        assert_eq!(at(150), "2m30s");
        assert_eq!(at(3600), "60m");
        assert_eq!(at(4 * 3600 + 60), "4h1m");
        assert_eq!(at(30 * 3600), "30h");
        assert_eq!(at(3 * 86400), "3d");
        assert_eq!(at(100 * 86400), "100d");
        assert_eq!(at(-5), "0s");
    }
}
