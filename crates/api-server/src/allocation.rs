//! Service ClusterIP and NodePort allocation, an admission step.
//!
//! Addresses and ports in use are read from the stored Services at each allocation
//! (so a deleted Service's address is free again at once), plus a short-lived set of
//! those handed out by this server but perhaps not stored yet, under one lock, so
//! that concurrent creates never get the same address. Explicitly requested
//! addresses and ports are checked against the same sets.

use std::collections::HashSet;
use std::net::Ipv4Addr;
use std::ops::RangeInclusive;
use std::time::Duration;

use async_trait::async_trait;
use client::{ClientError, ListParams};
use core_types::validation::{FieldError, FieldPath, ValidationErrors};
use core_types::{DynamicObject, StaticResource, core_v1::Service};
use serde_json::{Value, json};
use tokio::sync::Mutex;
use tokio::time::Instant;

use crate::admission::{Admission, AdmissionRequest, Operation};

/// How long an address handed out stays reserved without being seen in storage.
const PENDING: Duration = Duration::from_secs(60);

/// Allocates `spec.clusterIP` from a service range and `nodePort`s from a port range.
#[derive(Debug)]
pub struct ServiceAllocation {
    base: u32,
    size: u32,
    node_ports: RangeInclusive<u16>,
    pending: Mutex<Vec<(Allocated, Instant)>>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Allocated {
    Ip(u32),
    Port(u16),
}

impl Default for ServiceAllocation {
    /// `10.96.0.0/12` and ports `30000-32767`, as Kubernetes defaults.
    fn default() -> Self {
        Self::new(Ipv4Addr::new(10, 96, 0, 0), 12, 30000..=32767)
    }
}

impl ServiceAllocation {
    /// Allocates from `network/prefix` (the network address and the first host, which
    /// Kubernetes gives the `kubernetes` Service, are never handed out at random) and
    /// from `node_ports`.
    pub fn new(network: Ipv4Addr, prefix: u8, node_ports: RangeInclusive<u16>) -> Self {
        let prefix = prefix.clamp(8, 30);
        let size = 1u32 << (32 - u32::from(prefix));
        ServiceAllocation {
            base: u32::from(network) & !(size - 1),
            size,
            node_ports,
            pending: Mutex::new(Vec::new()),
        }
    }

    fn in_range(&self, ip: u32) -> bool {
        ip > self.base && ip < self.base + self.size - 1
    }
}

fn spec(o: &DynamicObject) -> Option<&Value> {
    o.data.get("spec")
}

fn cluster_ip(o: &DynamicObject) -> &str {
    spec(o)
        .and_then(|s| s.get("clusterIP"))
        .and_then(Value::as_str)
        .unwrap_or("")
}

fn ports(o: &DynamicObject) -> Vec<Value> {
    spec(o)
        .and_then(|s| s.get("ports"))
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
}

fn node_port(p: &Value) -> Option<u16> {
    p.get("nodePort")
        .and_then(Value::as_u64)
        .and_then(|n| u16::try_from(n).ok())
        .filter(|n| *n > 0)
}

fn invalid(name: &str, path: &str, value: impl std::fmt::Display, detail: &str) -> ClientError {
    let mut errors = ValidationErrors::default();
    errors.push(FieldError::invalid(&FieldPath::root(path), value, detail));
    ClientError::invalid(Service::resource(), name, &errors)
}

#[async_trait]
impl Admission for ServiceAllocation {
    fn name(&self) -> &str {
        "ServiceAllocation"
    }

    async fn admit(
        &self,
        request: &AdmissionRequest<'_>,
        object: &mut DynamicObject,
    ) -> Result<(), ClientError> {
        if request.resource != Service::resource() || request.subresource.is_some() {
            return Ok(());
        }
        let name = object.metadata.name.clone();
        let old = match (request.operation, request.old) {
            (Operation::Update, Some(old)) => Some(old.clone()),
            (Operation::Update, None) => request
                .client
                .get(request.resource, request.namespace, &name)
                .await
                .ok(),
            _ => None,
        };
        let kind = spec(object)
            .and_then(|s| s.get("type"))
            .and_then(Value::as_str)
            .unwrap_or("ClusterIP")
            .to_owned();
        let mut ip = cluster_ip(object).to_owned();
        let mut ports = ports(object);
        // On update, what was allocated stays unless explicitly changed.
        if let Some(old) = &old {
            let old_ip = cluster_ip(old);
            if ip.is_empty() {
                ip = old_ip.to_owned();
            } else if ip != old_ip && !old_ip.is_empty() {
                return Err(invalid(&name, "spec.clusterIP", &ip, "field is immutable"));
            }
            let old_ports = self::ports(old);
            for p in ports.iter_mut().filter(|p| node_port(p).is_none()) {
                let same = old_ports.iter().find(|o| {
                    o.get("port") == p.get("port") && o.get("protocol") == p.get("protocol")
                });
                if let Some(n) = same.and_then(node_port) {
                    p["nodePort"] = json!(n);
                }
            }
        }
        let wants_ip = kind != "ExternalName" && ip != "None";
        let wants_ports = matches!(kind.as_str(), "NodePort" | "LoadBalancer");
        let old_ip = old
            .as_ref()
            .map(|o| cluster_ip(o).to_owned())
            .unwrap_or_default();
        let old_node_ports: HashSet<u16> = old
            .as_ref()
            .map(|o| self::ports(o).iter().filter_map(node_port).collect())
            .unwrap_or_default();
        let new_ip_needed = wants_ip && (ip.is_empty() || ip != old_ip);
        let new_ports_needed = wants_ports
            && ports
                .iter()
                .any(|p| node_port(p).is_none_or(|n| !old_node_ports.contains(&n)));
        if !new_ip_needed && !new_ports_needed {
            write_back(object, &ip, ports, wants_ip);
            return Ok(());
        }

        let mut pending = self.pending.lock().await;
        let now = Instant::now();
        let (mut used_ips, mut used_ports) = self.in_use(request, object).await?;
        // Pending entries are dropped once stored (storage covers them; a later delete
        // frees them) or once old (the create that took them failed).
        pending.retain(|(a, at)| {
            let stored = match a {
                Allocated::Ip(i) => used_ips.contains(i),
                Allocated::Port(p) => used_ports.contains(p),
            };
            !stored && now.duration_since(*at) < PENDING
        });
        for (a, _) in pending.iter() {
            match a {
                Allocated::Ip(i) => used_ips.insert(*i),
                Allocated::Port(p) => used_ports.insert(*p),
            };
        }
        if new_ip_needed {
            if ip.is_empty() {
                let free = self
                    .free_ip(&used_ips)
                    .ok_or_else(|| ClientError::internal("the service address range is full"))?;
                ip = Ipv4Addr::from(free).to_string();
                pending.push((Allocated::Ip(free), now));
            } else {
                let parsed: Ipv4Addr = ip.parse().map_err(|_| {
                    invalid(&name, "spec.clusterIP", &ip, "must be a valid IPv4 address")
                })?;
                let n = u32::from(parsed);
                if !self.in_range(n) {
                    return Err(invalid(
                        &name,
                        "spec.clusterIP",
                        &ip,
                        "provided IP is not in the valid range",
                    ));
                }
                if used_ips.contains(&n) {
                    return Err(invalid(
                        &name,
                        "spec.clusterIP",
                        &ip,
                        "provided IP is already allocated",
                    ));
                }
                pending.push((Allocated::Ip(n), now));
            }
        }
        if wants_ports {
            for (i, p) in ports.iter_mut().enumerate() {
                match node_port(p) {
                    Some(n) if old_node_ports.contains(&n) => {}
                    Some(n) => {
                        let path = format!("spec.ports[{i}].nodePort");
                        if !self.node_ports.contains(&n) {
                            return Err(invalid(
                                &name,
                                &path,
                                n,
                                "provided port is not in the valid range",
                            ));
                        }
                        if !used_ports.insert(n) {
                            return Err(invalid(
                                &name,
                                &path,
                                n,
                                "provided port is already allocated",
                            ));
                        }
                        pending.push((Allocated::Port(n), now));
                    }
                    None => {
                        let n = self
                            .free_port(&used_ports)
                            .ok_or_else(|| ClientError::internal("the node port range is full"))?;
                        used_ports.insert(n);
                        pending.push((Allocated::Port(n), now));
                        p["nodePort"] = json!(n);
                    }
                }
            }
        }
        write_back(object, &ip, ports, wants_ip);
        Ok(())
    }
}

impl ServiceAllocation {
    /// Addresses and node ports of every stored Service but this one.
    async fn in_use(
        &self,
        request: &AdmissionRequest<'_>,
        me: &DynamicObject,
    ) -> Result<(HashSet<u32>, HashSet<u16>), ClientError> {
        let list = request
            .client
            .list(Service::resource(), None, &ListParams::default())
            .await?;
        let (mut ips, mut ports) = (HashSet::new(), HashSet::new());
        for s in list.items.iter().filter(|s| {
            !(s.metadata.name == me.metadata.name && s.metadata.namespace == me.metadata.namespace)
        }) {
            if let Ok(ip) = cluster_ip(s).parse::<Ipv4Addr>() {
                ips.insert(u32::from(ip));
            }
            ports.extend(self::ports(s).iter().filter_map(node_port));
        }
        Ok((ips, ports))
    }

    fn free_ip(&self, used: &HashSet<u32>) -> Option<u32> {
        // Random probes first (cheap while the range is sparse), then a scan.
        let first = self.base + 2;
        let last = self.base + self.size - 2;
        for _ in 0..64 {
            let ip = fastrand::u32(first..=last);
            if !used.contains(&ip) {
                return Some(ip);
            }
        }
        (first..=last).find(|ip| !used.contains(ip))
    }

    fn free_port(&self, used: &HashSet<u16>) -> Option<u16> {
        for _ in 0..64 {
            let p = fastrand::u16(self.node_ports.clone());
            if !used.contains(&p) {
                return Some(p);
            }
        }
        self.node_ports.clone().find(|p| !used.contains(p))
    }
}

fn write_back(object: &mut DynamicObject, ip: &str, ports: Vec<Value>, wants_ip: bool) {
    let spec = object.data.entry("spec").or_insert_with(|| json!({}));
    let Value::Object(spec) = spec else { return };
    if wants_ip && !ip.is_empty() {
        spec.insert("clusterIP".into(), json!(ip));
        spec.insert("clusterIPs".into(), json!([ip]));
    }
    if !ports.is_empty() {
        spec.insert("ports".into(), Value::Array(ports));
    }
}
