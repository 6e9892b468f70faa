//! The resource scoring formulas: LeastAllocated, MostAllocated,
//! RequestedToCapacityRatio and BalancedAllocation, each over the resources a profile
//! configures (in integer units: milli-CPU, bytes).

use serde::Deserialize;

use crate::error::ConfigError;
use crate::framework::{MAX_NODE_SCORE, NodeInfo, PodInfo, is_scalar_resource_name};

/// The largest score of a RequestedToCapacityRatio shape point (scaled to 100).
pub const MAX_CUSTOM_PRIORITY_SCORE: i64 = 10;

/// A resource and its weight.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ResourceSpec {
    /// `cpu`, `memory`, `ephemeral-storage` or a scalar resource name.
    pub name: String,
    /// Weight (1..=100).
    #[serde(default = "one")]
    pub weight: i64,
}

fn one() -> i64 {
    1
}

/// The default resources: CPU and memory, weight 1 each.
pub fn default_resources() -> Vec<ResourceSpec> {
    vec![
        ResourceSpec {
            name: "cpu".into(),
            weight: 1,
        },
        ResourceSpec {
            name: "memory".into(),
            weight: 1,
        },
    ]
}

/// A point of a RequestedToCapacityRatio shape: utilization (0..=100) to score
/// (0..=10).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ShapePoint {
    /// Utilization in percent.
    pub utilization: i64,
    /// Score (0..=10).
    pub score: i64,
}

/// Checks resource specs.
pub(super) fn validate_resources(resources: &[ResourceSpec]) -> Result<(), String> {
    for r in resources {
        if !(1..=100).contains(&r.weight) {
            return Err(format!(
                "resource {} weight {} not in range [1, 100]",
                r.name, r.weight
            ));
        }
    }
    Ok(())
}

/// Checks a shape: utilizations strictly increasing within 0..=100, scores within
/// 0..=10.
fn validate_shape(shape: &[ShapePoint]) -> Result<(), String> {
    if shape.is_empty() {
        return Err("at least one point must be specified".into());
    }
    for (i, p) in shape.iter().enumerate() {
        if !(0..=100).contains(&p.utilization) {
            return Err(format!(
                "utilization {} not in range [0, 100]",
                p.utilization
            ));
        }
        if !(0..=MAX_CUSTOM_PRIORITY_SCORE).contains(&p.score) {
            return Err(format!("score {} not in range [0, 10]", p.score));
        }
        if i > 0 && shape[i - 1].utilization >= p.utilization {
            return Err("utilization values must be sorted in increasing order".into());
        }
    }
    Ok(())
}

/// kube-scheduler's broken linear function over `(utilization, score)` points.
pub fn broken_linear(shape: &[(i64, i64)], p: i64) -> i64 {
    for (i, &(u, s)) in shape.iter().enumerate() {
        if p <= u {
            if i == 0 {
                return s;
            }
            let (pu, ps) = shape[i - 1];
            return ps + (s - ps) * (p - pu) / (u - pu);
        }
    }
    shape.last().map_or(0, |&(_, s)| s)
}

/// How one node is scored from (requested, allocatable) per resource.
#[derive(Clone, Debug, PartialEq)]
pub enum Strategy {
    /// `(allocatable - requested) * 100 / allocatable`, weighted average.
    LeastAllocated,
    /// `requested * 100 / allocatable` (requested capped at allocatable).
    MostAllocated,
    /// A piecewise-linear function of utilization; shape scores already scaled to
    /// 0..=100.
    RequestedToCapacityRatio(Vec<(i64, i64)>),
    /// `(1 - standard deviation of the requested fractions) * 100`.
    Balanced,
}

impl Strategy {
    /// Builds a strategy from its configuration name.
    pub fn from_config(kind: &str, shape: Option<&[ShapePoint]>) -> Result<Self, ConfigError> {
        let err = |m: String| ConfigError::PluginArgs {
            plugin: super::super::names::NODE_RESOURCES_FIT.into(),
            message: m,
        };
        match kind {
            "" | "LeastAllocated" => Ok(Strategy::LeastAllocated),
            "MostAllocated" => Ok(Strategy::MostAllocated),
            "RequestedToCapacityRatio" => {
                let default = [
                    ShapePoint {
                        utilization: 0,
                        score: MAX_CUSTOM_PRIORITY_SCORE,
                    },
                    ShapePoint {
                        utilization: 100,
                        score: 0,
                    },
                ];
                let shape = shape.unwrap_or(&default);
                validate_shape(shape).map_err(err)?;
                let factor = MAX_NODE_SCORE / MAX_CUSTOM_PRIORITY_SCORE;
                Ok(Strategy::RequestedToCapacityRatio(
                    shape
                        .iter()
                        .map(|p| (p.utilization, p.score * factor))
                        .collect(),
                ))
            }
            other => Err(err(format!("scoring strategy {other} is not supported"))),
        }
    }
}

/// A scorer: the strategy, its resources, and whether the node's actual requests
/// (BalancedAllocation) or the requests with defaults for missing CPU/memory
/// (NodeResourcesFit) are counted.
#[derive(Clone, Debug, PartialEq)]
pub struct ResourceScorer {
    strategy: Strategy,
    resources: Vec<ResourceSpec>,
    use_requested: bool,
    /// The resources resolved once, so scoring compares no strings.
    kinds: Vec<Kind>,
    /// Distinguishes this scorer's memo keys from another configuration's.
    salt: u64,
}

/// FNV-1a style mixing of 64-bit words.
fn mix(mut h: u64, v: u64) -> u64 {
    for b in v.to_le_bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

#[derive(Clone, Debug, PartialEq)]
enum Kind {
    Cpu,
    Memory,
    EphemeralStorage,
    Scalar { name: String, scalar: bool },
}

impl ResourceScorer {
    /// A scorer: `strategy` over `resources`; `use_requested` counts actual requests
    /// (BalancedAllocation) instead of requests with defaults (NodeResourcesFit).
    pub fn new(strategy: Strategy, resources: Vec<ResourceSpec>, use_requested: bool) -> Self {
        let kinds = resources
            .iter()
            .map(|r| match r.name.as_str() {
                "cpu" => Kind::Cpu,
                "memory" => Kind::Memory,
                "ephemeral-storage" => Kind::EphemeralStorage,
                other => Kind::Scalar {
                    name: other.to_owned(),
                    scalar: is_scalar_resource_name(other),
                },
            })
            .collect();
        let mut salt = 0xcbf2_9ce4_8422_2325_u64;
        for b in format!("{strategy:?}{resources:?}{use_requested}").bytes() {
            salt = mix(salt, u64::from(b));
        }
        ResourceScorer {
            strategy,
            resources,
            use_requested,
            kinds,
            salt,
        }
    }

    /// The memo key of a pod's requests (see [`score_memoized`](Self::score_memoized)).
    pub fn memo_key(&self, pod_requests: &[i64]) -> u64 {
        pod_requests
            .iter()
            .fold(self.salt, |h, r| mix(h, *r as u64))
            | 1
    }

    /// [`score`](Self::score), memoized in the node's memo `slot` under `key`: the
    /// score depends only on the node's resources (its memo is emptied when they
    /// change) and the pod's requests (the key).
    pub fn score_memoized(
        &self,
        node: &NodeInfo,
        pod_requests: &[i64],
        slot: usize,
        key: u64,
    ) -> i64 {
        if let Some(s) = node.memo_get(slot, key) {
            return s;
        }
        let s = self.score(node, pod_requests);
        node.memo_put(slot, key, s);
        s
    }

    /// The formula.
    pub fn strategy(&self) -> &Strategy {
        &self.strategy
    }

    /// The resources and weights.
    pub fn resources(&self) -> &[ResourceSpec] {
        &self.resources
    }

    /// The pod's request for each configured resource, in order.
    pub fn pod_requests(&self, pod: &PodInfo) -> Vec<i64> {
        let r = if self.use_requested {
            &pod.requests.requests
        } else {
            &pod.requests.non_zero
        };
        self.kinds
            .iter()
            .map(|k| match k {
                Kind::Cpu => r.milli_cpu,
                Kind::Memory => r.memory,
                Kind::EphemeralStorage => pod.requests.requests.ephemeral_storage,
                Kind::Scalar { name, .. } => pod.requests.requests.scalar(name),
            })
            .collect()
    }

    /// `(allocatable, requested including the pod)` of resource `i` on `node`; `(0, 0)`
    /// excludes the resource from the score.
    fn alloc_req(&self, i: usize, node: &NodeInfo, pod_request: i64) -> (i64, i64) {
        let alloc = node.allocatable();
        let node_req = if self.use_requested {
            node.requested()
        } else {
            node.non_zero_requested()
        };
        match &self.kinds[i] {
            Kind::Cpu => (alloc.milli_cpu, node_req.milli_cpu + pod_request),
            Kind::Memory => (alloc.memory, node_req.memory + pod_request),
            Kind::EphemeralStorage => (
                alloc.ephemeral_storage,
                node.requested().ephemeral_storage + pod_request,
            ),
            Kind::Scalar { name, scalar } => {
                let name = name.as_str();
                if pod_request == 0 && *scalar {
                    return (0, 0);
                }
                match alloc.scalar.binary_search_by(|(n, _)| n.as_str().cmp(name)) {
                    Ok(at) => (
                        alloc.scalar[at].1,
                        node.requested().scalar(name) + pod_request,
                    ),
                    Err(_) => (0, 0),
                }
            }
        }
    }

    /// The score of `node` for a pod with `pod_requests` (from
    /// [`pod_requests`](Self::pod_requests)). Allocation-free.
    pub fn score(&self, node: &NodeInfo, pod_requests: &[i64]) -> i64 {
        let n = self.resources.len().min(pod_requests.len());
        match &self.strategy {
            Strategy::LeastAllocated | Strategy::MostAllocated => {
                let least = self.strategy == Strategy::LeastAllocated;
                let (mut score, mut weights) = (0_i64, 0_i64);
                for (i, &pod_request) in pod_requests.iter().enumerate().take(n) {
                    let (alloc, req) = self.alloc_req(i, node, pod_request);
                    if alloc == 0 {
                        continue;
                    }
                    let s = if least {
                        least_requested_score(req, alloc)
                    } else {
                        most_requested_score(req, alloc)
                    };
                    score += s * self.resources[i].weight;
                    weights += self.resources[i].weight;
                }
                if weights == 0 { 0 } else { score / weights }
            }
            Strategy::RequestedToCapacityRatio(shape) => {
                let (mut score, mut weights) = (0_i64, 0_i64);
                for (i, &pod_request) in pod_requests.iter().enumerate().take(n) {
                    let (alloc, req) = self.alloc_req(i, node, pod_request);
                    if alloc == 0 {
                        continue;
                    }
                    let utilization = if req > alloc {
                        100
                    } else {
                        scaled_utilization(req, alloc)
                    };
                    let s = broken_linear(shape, utilization);
                    if s > 0 {
                        score += s * self.resources[i].weight;
                        weights += self.resources[i].weight;
                    }
                }
                if weights == 0 {
                    0
                } else {
                    (score as f64 / weights as f64).round() as i64
                }
            }
            Strategy::Balanced => {
                let fraction = |i: usize| -> Option<f64> {
                    let (alloc, req) = self.alloc_req(i, node, pod_requests[i]);
                    (alloc != 0).then(|| (req as f64 / alloc as f64).min(1.0))
                };
                let (mut count, mut total) = (0_usize, 0.0_f64);
                let mut first = [0.0_f64; 2];
                for i in 0..n {
                    if let Some(f) = fraction(i) {
                        if count < 2 {
                            first[count] = f;
                        }
                        count += 1;
                        total += f;
                    }
                }
                let std = match count {
                    0 | 1 => 0.0,
                    2 => ((first[0] - first[1]) / 2.0).abs(),
                    _ => {
                        let mean = total / count as f64;
                        let sum: f64 = (0..n)
                            .filter_map(fraction)
                            .map(|f| (f - mean) * (f - mean))
                            .sum();
                        (sum / count as f64).sqrt()
                    }
                };
                ((1.0 - std) * MAX_NODE_SCORE as f64) as i64
            }
        }
    }
}

/// `(capacity - requested) * 100 / capacity`; 0 when over capacity.
pub fn least_requested_score(requested: i64, capacity: i64) -> i64 {
    if capacity == 0 || requested > capacity {
        return 0;
    }
    ((capacity - requested) * MAX_NODE_SCORE) / capacity
}

/// `requested * 100 / capacity`, requested capped at capacity.
pub fn most_requested_score(requested: i64, capacity: i64) -> i64 {
    if capacity == 0 {
        return 0;
    }
    let requested = requested.min(capacity);
    (requested * MAX_NODE_SCORE) / capacity
}

/// `requested * 100 / capacity` without overflow (requested clamped to 0..=capacity).
fn scaled_utilization(requested: i64, capacity: i64) -> i64 {
    if capacity <= 0 || requested <= 0 {
        return 0;
    }
    if requested >= capacity {
        return 100;
    }
    ((i128::from(requested) * 100) / i128::from(capacity)) as i64
}
