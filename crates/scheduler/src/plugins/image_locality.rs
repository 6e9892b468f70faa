//! ImageLocality: prefers nodes that already have the pod's container images, weighted
//! by image size and by how widely the image is spread (to avoid piling pods onto the
//! few nodes that have an image).

use std::sync::Arc;

use crate::cache::Snapshot;
use crate::error::ConfigError;
use crate::framework::{
    CycleState, Handle, MAX_NODE_SCORE, NodeInfo, Plugin, PluginArgs, PodInfo, PreScorePlugin,
    ScorePlugin, Status,
};

use super::names;

const MB: i64 = 1024 * 1024;
/// Below this total image size the score is 0.
pub const MIN_THRESHOLD: i64 = 23 * MB;
/// Per container: at or above this total size the score is 100.
pub const MAX_CONTAINER_THRESHOLD: i64 = 1000 * MB;

/// Scores by the (spread-scaled) size of the pod's images present on the node.
#[derive(Debug, Default)]
pub struct ImageLocality;

impl ImageLocality {
    /// The factory for the registry.
    pub fn factory(_: &PluginArgs, _: &Handle) -> Result<Arc<dyn Plugin>, ConfigError> {
        Ok(Arc::new(ImageLocality))
    }
}

/// Per container image (normalized name): how many nodes have it.
#[derive(Clone, Debug)]
struct Images {
    images: Vec<(String, u32)>,
    containers: usize,
    total_nodes: usize,
}

/// Adds `:latest` to an image reference without a tag.
pub fn normalized_image_name(name: &str) -> String {
    let colon = name.rfind(':');
    let slash = name.rfind('/');
    let has_tag = match (colon, slash) {
        (Some(c), Some(s)) => c > s,
        (Some(_), None) => true,
        _ => false,
    };
    if has_tag {
        name.to_owned()
    } else {
        format!("{name}:latest")
    }
}

/// kube-scheduler's `calculatePriority`: the summed image score clamped between the
/// thresholds, scaled to 0..=100.
pub fn image_score(sum: i64, containers: usize) -> i64 {
    let max = MAX_CONTAINER_THRESHOLD * containers as i64;
    if max <= MIN_THRESHOLD {
        return 0;
    }
    let sum = sum.clamp(MIN_THRESHOLD, max);
    MAX_NODE_SCORE * (sum - MIN_THRESHOLD) / (max - MIN_THRESHOLD)
}

impl Plugin for ImageLocality {
    fn name(&self) -> &str {
        names::IMAGE_LOCALITY
    }
    fn as_pre_score(&self) -> Option<&dyn PreScorePlugin> {
        Some(self)
    }
    fn as_score(&self) -> Option<&dyn ScorePlugin> {
        Some(self)
    }
}

impl PreScorePlugin for ImageLocality {
    fn pre_score(
        &self,
        state: &mut CycleState,
        pod: &PodInfo,
        _: &[&NodeInfo],
        snapshot: &Snapshot,
    ) -> Status {
        // Every score would be 0 when no node has any of the images: skip.
        if !snapshot.has_images() {
            return Status::skip();
        }
        let images: Vec<(String, u32)> = pod
            .pod
            .spec
            .all_containers()
            .map(|c| {
                let n = normalized_image_name(&c.image);
                let count = snapshot.nodes_with_image(&n);
                (n, count)
            })
            .collect();
        if images.iter().all(|(_, c)| *c == 0) {
            return Status::skip();
        }
        state.write(Images {
            containers: images.len(),
            images,
            total_nodes: snapshot.len(),
        });
        Status::success()
    }
}

impl ScorePlugin for ImageLocality {
    fn score(&self, state: &CycleState, _: &PodInfo, node: &NodeInfo) -> Result<i64, Status> {
        let Some(s) = state.read::<Images>() else {
            return Ok(0);
        };
        let total = s.total_nodes.max(1) as f64;
        let mut sum = 0_i64;
        for (name, count) in &s.images {
            if let Some(size) = node.images().get(name) {
                sum += (*size as f64 * f64::from(*count) / total) as i64;
            }
        }
        Ok(image_score(sum, s.containers))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_scores() {
        assert_eq!(normalized_image_name("nginx"), "nginx:latest");
        assert_eq!(normalized_image_name("nginx:1.2"), "nginx:1.2");
        assert_eq!(
            normalized_image_name("registry:5000/nginx"),
            "registry:5000/nginx:latest"
        );
        assert_eq!(image_score(0, 1), 0);
        assert_eq!(image_score(MAX_CONTAINER_THRESHOLD, 1), 100);
        // Halfway between the thresholds.
        let mid = (MIN_THRESHOLD + MAX_CONTAINER_THRESHOLD) / 2;
        assert_eq!(image_score(mid, 1), 50);
    }
}
