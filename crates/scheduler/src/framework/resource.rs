//! Resource vectors in integer units: what a pod requests and what a node offers.
//!
//! CPU is in milli-cores, memory and ephemeral storage in bytes, everything else
//! ("scalar" resources: extended resources, hugepages, attachable volumes) in whole
//! units, as kube-scheduler counts them. Converted from [`Quantity`] once, when a pod or
//! node enters the scheduler, so the hot path only adds and compares integers.

use core_types::core_v1::{Container, Pod};
use core_types::{Quantity, ResourceList};

/// The CPU a container without a CPU request counts as when nodes are scored (100m).
pub const DEFAULT_MILLI_CPU_REQUEST: i64 = 100;
/// The memory a container without a memory request counts as when nodes are scored
/// (200 MiB).
pub const DEFAULT_MEMORY_REQUEST: i64 = 200 * 1024 * 1024;

/// A vector of resource amounts.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Resource {
    /// CPU in milli-cores.
    pub milli_cpu: i64,
    /// Memory in bytes.
    pub memory: i64,
    /// Ephemeral storage in bytes.
    pub ephemeral_storage: i64,
    /// Number of pods (only meaningful for a node's allocatable).
    pub allowed_pod_number: i64,
    /// Other resources by name, sorted by name.
    pub scalar: Vec<(String, i64)>,
}

impl Resource {
    /// Reads a resource list (`requests`, `allocatable`): CPU in milli-units, the rest in
    /// whole units rounded up, as Kubernetes' `MilliValue` and `Value` do.
    pub fn from_list(list: &ResourceList) -> Self {
        let mut r = Resource::default();
        for (name, q) in list {
            r.set(name, q);
        }
        r
    }

    fn set(&mut self, name: &str, q: &Quantity) {
        match name {
            "cpu" => self.milli_cpu = q.milli_value(),
            "memory" => self.memory = q.value(),
            "ephemeral-storage" => self.ephemeral_storage = q.value(),
            "pods" => self.allowed_pod_number = q.value(),
            other if is_scalar_resource_name(other) => self.set_scalar(other, q.value()),
            _ => {}
        }
    }

    /// The amount of a scalar resource (0 when absent).
    pub fn scalar(&self, name: &str) -> i64 {
        match self.scalar.binary_search_by(|(n, _)| n.as_str().cmp(name)) {
            Ok(i) => self.scalar[i].1,
            Err(_) => 0,
        }
    }

    /// Sets a scalar resource.
    pub fn set_scalar(&mut self, name: &str, value: i64) {
        match self.scalar.binary_search_by(|(n, _)| n.as_str().cmp(name)) {
            Ok(i) => self.scalar[i].1 = value,
            Err(i) => self.scalar.insert(i, (name.to_owned(), value)),
        }
    }

    /// The amount of a resource by its Kubernetes name.
    pub fn get(&self, name: &str) -> i64 {
        match name {
            "cpu" => self.milli_cpu,
            "memory" => self.memory,
            "ephemeral-storage" => self.ephemeral_storage,
            "pods" => self.allowed_pod_number,
            other => self.scalar(other),
        }
    }

    /// Adds `other` to this vector (saturating).
    pub fn add(&mut self, other: &Resource) {
        self.milli_cpu = self.milli_cpu.saturating_add(other.milli_cpu);
        self.memory = self.memory.saturating_add(other.memory);
        self.ephemeral_storage = self
            .ephemeral_storage
            .saturating_add(other.ephemeral_storage);
        self.allowed_pod_number = self
            .allowed_pod_number
            .saturating_add(other.allowed_pod_number);
        for (name, v) in &other.scalar {
            let cur = self.scalar(name);
            self.set_scalar(name, cur.saturating_add(*v));
        }
    }

    /// Subtracts `other` from this vector (saturating).
    pub fn sub(&mut self, other: &Resource) {
        self.milli_cpu = self.milli_cpu.saturating_sub(other.milli_cpu);
        self.memory = self.memory.saturating_sub(other.memory);
        self.ephemeral_storage = self
            .ephemeral_storage
            .saturating_sub(other.ephemeral_storage);
        self.allowed_pod_number = self
            .allowed_pod_number
            .saturating_sub(other.allowed_pod_number);
        for (name, v) in &other.scalar {
            let cur = self.scalar(name);
            self.set_scalar(name, cur.saturating_sub(*v));
        }
    }

    /// Each dimension becomes the larger of this and `other`.
    pub fn set_max(&mut self, other: &Resource) {
        self.milli_cpu = self.milli_cpu.max(other.milli_cpu);
        self.memory = self.memory.max(other.memory);
        self.ephemeral_storage = self.ephemeral_storage.max(other.ephemeral_storage);
        self.allowed_pod_number = self.allowed_pod_number.max(other.allowed_pod_number);
        for (name, v) in &other.scalar {
            let cur = self.scalar(name);
            self.set_scalar(name, cur.max(*v));
        }
    }

    /// True if every amount is zero.
    pub fn is_zero(&self) -> bool {
        self.milli_cpu == 0
            && self.memory == 0
            && self.ephemeral_storage == 0
            && self.scalar.iter().all(|(_, v)| *v == 0)
    }
}

/// True for resources kube-scheduler treats as "scalar": extended resources
/// (`example.com/gpu`), `hugepages-*`, `attachable-volumes-*` and names prefixed with
/// `kubernetes.io/`.
pub fn is_scalar_resource_name(name: &str) -> bool {
    if name.starts_with("hugepages-") || name.starts_with("attachable-volumes-") {
        return true;
    }
    if name.contains("kubernetes.io/") {
        return true;
    }
    // Extended resources: a domain-qualified name outside kubernetes.io.
    name.contains('/') && !name.starts_with("requests.")
}

/// What a pod asks for, computed once per pod.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PodRequests {
    /// The effective requests: regular containers summed, restartable init containers
    /// (sidecars) added, each other init container's peak taken as a maximum, plus the
    /// pod overhead; or the pod-level resources when set.
    pub requests: Resource,
    /// The same with 100m CPU and 200 MiB memory for containers that do not request
    /// them: what the scoring plugins count.
    pub non_zero: Resource,
}

impl PodRequests {
    /// Computes the requests of `pod`.
    pub fn of(pod: &Pod) -> Self {
        let requests = pod_requests(pod, false);
        let non_zero = pod_requests(pod, true);
        PodRequests { requests, non_zero }
    }
}

fn container_requests(c: &Container, non_zero: bool) -> Resource {
    let mut r = Resource::from_list(&c.resources.requests);
    if non_zero {
        if !c.resources.requests.contains_key("cpu") {
            r.milli_cpu = DEFAULT_MILLI_CPU_REQUEST;
        }
        if !c.resources.requests.contains_key("memory") {
            r.memory = DEFAULT_MEMORY_REQUEST;
        }
    }
    r
}

/// Kubernetes' `PodRequests`: containers summed, sidecars accumulated, init containers
/// as peaks, overhead added; pod-level resources, when given, replace the container sum
/// for the resources they name.
fn pod_requests(pod: &Pod, non_zero: bool) -> Resource {
    let mut total = Resource::default();
    for c in &pod.spec.containers {
        total.add(&container_requests(c, non_zero));
    }
    let mut sidecars = Resource::default();
    let mut init_peak = Resource::default();
    for c in &pod.spec.init_containers {
        let r = container_requests(c, non_zero);
        if c.restart_policy.as_deref() == Some("Always") {
            sidecars.add(&r);
            let mut peak = sidecars.clone();
            peak.set_max(&init_peak);
            init_peak = peak;
        } else {
            let mut with_sidecars = r;
            with_sidecars.add(&sidecars);
            init_peak.set_max(&with_sidecars);
        }
    }
    total.add(&sidecars);
    total.set_max(&init_peak);
    if let Some(pod_level) = &pod.spec.resources {
        let level = Resource::from_list(&pod_level.requests);
        if pod_level.requests.contains_key("cpu") {
            total.milli_cpu = level.milli_cpu;
        }
        if pod_level.requests.contains_key("memory") {
            total.memory = level.memory;
        }
    }
    if !pod.spec.overhead.is_empty() {
        total.add(&Resource::from_list(&pod.spec.overhead));
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;
    use core_types::core_v1::ResourceRequirements;

    fn q(s: &str) -> Quantity {
        s.parse().unwrap()
    }

    fn container(cpu: Option<&str>, mem: Option<&str>) -> Container {
        let mut requests = ResourceList::new();
        if let Some(c) = cpu {
            requests.insert("cpu", q(c));
        }
        if let Some(m) = mem {
            requests.insert("memory", q(m));
        }
        Container {
            resources: ResourceRequirements {
                requests,
                ..Default::default()
            },
            ..Default::default()
        }
    }

    #[test]
    fn init_containers_are_peaks_and_containers_sum() {
        let mut pod = Pod::default();
        pod.spec.init_containers = vec![
            container(Some("2"), Some("1G")),
            container(Some("2"), Some("3G")),
        ];
        pod.spec.containers = vec![
            container(Some("2"), Some("1G")),
            container(Some("1"), Some("1G")),
        ];
        let r = PodRequests::of(&pod);
        assert_eq!(r.requests.milli_cpu, 3000);
        assert_eq!(r.requests.memory, 3_000_000_000);
    }

    #[test]
    fn sidecars_add_up() {
        let mut pod = Pod::default();
        let mut sidecar = container(Some("500m"), None);
        sidecar.restart_policy = Some("Always".into());
        pod.spec.init_containers = vec![sidecar, container(Some("1"), None)];
        pod.spec.containers = vec![container(Some("200m"), None)];
        let r = PodRequests::of(&pod);
        // containers 200m + sidecar 500m = 700m; init peak 1 + 0.5 = 1.5.
        assert_eq!(r.requests.milli_cpu, 1500);
    }

    #[test]
    fn missing_requests_count_as_defaults_for_scoring() {
        let mut pod = Pod::default();
        pod.spec.containers = vec![container(None, None), container(Some("0"), None)];
        let r = PodRequests::of(&pod);
        assert_eq!(r.requests.milli_cpu, 0);
        assert_eq!(r.non_zero.milli_cpu, DEFAULT_MILLI_CPU_REQUEST);
        assert_eq!(r.non_zero.memory, 2 * DEFAULT_MEMORY_REQUEST);
        assert!(r.requests.is_zero());
    }

    #[test]
    fn overhead_and_scalars() {
        let mut pod = Pod::default();
        let mut c = container(Some("1"), None);
        c.resources.requests.insert("example.com/gpu", q("2"));
        pod.spec.containers = vec![c];
        pod.spec.overhead.insert("cpu", q("250m"));
        let r = PodRequests::of(&pod);
        assert_eq!(r.requests.milli_cpu, 1250);
        assert_eq!(r.requests.scalar("example.com/gpu"), 2);
        assert!(is_scalar_resource_name("hugepages-2Mi"));
        assert!(!is_scalar_resource_name("storage"));
    }
}
