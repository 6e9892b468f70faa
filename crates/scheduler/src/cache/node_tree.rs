//! [`NodeTree`]: nodes grouped by zone, listed round-robin across zones.

use core_types::core_v1::Node;

/// The zone key of a node: region and zone labels (`topology.kubernetes.io/...`, or
/// the deprecated `failure-domain.beta.kubernetes.io/...`).
pub(crate) fn zone_key(node: &Node) -> String {
    let labels = &node.metadata.labels;
    let get = |new: &str, old: &str| {
        labels
            .get(new)
            .or_else(|| labels.get(old))
            .cloned()
            .unwrap_or_default()
    };
    let region = get(
        "topology.kubernetes.io/region",
        "failure-domain.beta.kubernetes.io/region",
    );
    let zone = get(
        "topology.kubernetes.io/zone",
        "failure-domain.beta.kubernetes.io/zone",
    );
    if region.is_empty() && zone.is_empty() {
        String::new()
    } else {
        format!("{region}:\x00:{zone}")
    }
}

/// Node names per zone, zones in insertion order.
#[derive(Clone, Debug, Default)]
pub(crate) struct NodeTree {
    zones: Vec<(String, Vec<String>)>,
    len: usize,
}

impl NodeTree {
    pub(crate) fn add(&mut self, zone: &str, name: &str) {
        match self.zones.iter_mut().find(|(z, _)| z == zone) {
            Some((_, names)) => {
                if names.iter().any(|n| n == name) {
                    return;
                }
                names.push(name.to_owned());
            }
            None => self.zones.push((zone.to_owned(), vec![name.to_owned()])),
        }
        self.len += 1;
    }

    pub(crate) fn remove(&mut self, zone: &str, name: &str) {
        if let Some(zi) = self.zones.iter().position(|(z, _)| z == zone) {
            let names = &mut self.zones[zi].1;
            if let Some(i) = names.iter().position(|n| n == name) {
                names.remove(i);
                self.len -= 1;
            }
            if names.is_empty() {
                self.zones.remove(zi);
            }
        }
    }

    /// All names: the first node of each zone, then the second of each, and so on.
    pub(crate) fn list(&self) -> Vec<String> {
        let mut out = Vec::with_capacity(self.len);
        let mut i = 0;
        while out.len() < self.len {
            for (_, names) in &self.zones {
                if let Some(n) = names.get(i) {
                    out.push(n.clone());
                }
            }
            i += 1;
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_robin_across_zones() {
        let mut t = NodeTree::default();
        for (z, n) in [
            ("a", "a1"),
            ("a", "a2"),
            ("a", "a3"),
            ("b", "b1"),
            ("c", "c1"),
            ("c", "c2"),
        ] {
            t.add(z, n);
        }
        t.add("a", "a1");
        assert_eq!(t.list(), ["a1", "b1", "c1", "a2", "c2", "a3"]);
        t.remove("b", "b1");
        t.remove("b", "b1");
        assert_eq!(t.list(), ["a1", "c1", "a2", "c2", "a3"]);
    }
}
