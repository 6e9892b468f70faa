//! Defaults and merging: a profile's plugin sets are merged with the default ones as
//! kube-scheduler's v1 configuration does.

use std::collections::HashSet;

use super::types::{PluginRef, PluginSet, PluginsConfig};
use crate::plugins::names;

/// The default plugins, enabled through `multiPoint`, with kube-scheduler's default
/// score weights.
pub fn default_plugins() -> PluginsConfig {
    let multi_point = PluginSet {
        enabled: vec![
            PluginRef::new(names::PRIORITY_SORT),
            PluginRef::new(names::NODE_UNSCHEDULABLE),
            PluginRef::new(names::NODE_NAME),
            PluginRef::weighted(names::TAINT_TOLERATION, 3),
            PluginRef::weighted(names::NODE_AFFINITY, 2),
            PluginRef::new(names::NODE_PORTS),
            PluginRef::weighted(names::NODE_RESOURCES_FIT, 1),
            PluginRef::weighted(names::POD_TOPOLOGY_SPREAD, 2),
            PluginRef::weighted(names::INTER_POD_AFFINITY, 2),
            PluginRef::new(names::DEFAULT_PREEMPTION),
            PluginRef::weighted(names::NODE_RESOURCES_BALANCED_ALLOCATION, 1),
            PluginRef::weighted(names::IMAGE_LOCALITY, 1),
            PluginRef::new(names::DEFAULT_BINDER),
        ],
        disabled: Vec::new(),
    };
    PluginsConfig {
        multi_point,
        ..PluginsConfig::default()
    }
}

/// Merges a profile's plugins into the defaults, point by point.
pub fn merge_plugins(defaults: &PluginsConfig, custom: Option<&PluginsConfig>) -> PluginsConfig {
    let Some(custom) = custom else {
        return defaults.clone();
    };
    let m = merge_set;
    PluginsConfig {
        pre_enqueue: m(&defaults.pre_enqueue, &custom.pre_enqueue),
        queue_sort: m(&defaults.queue_sort, &custom.queue_sort),
        pre_filter: m(&defaults.pre_filter, &custom.pre_filter),
        filter: m(&defaults.filter, &custom.filter),
        post_filter: m(&defaults.post_filter, &custom.post_filter),
        pre_score: m(&defaults.pre_score, &custom.pre_score),
        score: m(&defaults.score, &custom.score),
        reserve: m(&defaults.reserve, &custom.reserve),
        permit: m(&defaults.permit, &custom.permit),
        pre_bind: m(&defaults.pre_bind, &custom.pre_bind),
        bind: m(&defaults.bind, &custom.bind),
        post_bind: m(&defaults.post_bind, &custom.post_bind),
        multi_point: m(&defaults.multi_point, &custom.multi_point),
    }
}

/// One point: defaults minus the disabled ones (all with `*`), a default re-enabled
/// by the profile replaced in place (keeping its position), then the profile's other
/// plugins in order.
fn merge_set(defaults: &PluginSet, custom: &PluginSet) -> PluginSet {
    let mut disabled: Vec<PluginRef> = custom.disabled.clone();
    disabled.extend(defaults.disabled.iter().cloned());
    let disabled_names: HashSet<&str> = disabled.iter().map(|p| p.name.as_str()).collect();
    let mut enabled = Vec::new();
    let mut replaced = HashSet::new();
    if !disabled_names.contains("*") {
        for d in &defaults.enabled {
            if disabled_names.contains(d.name.as_str()) {
                continue;
            }
            match custom.enabled.iter().position(|c| c.name == d.name) {
                Some(i) => {
                    replaced.insert(i);
                    enabled.push(custom.enabled[i].clone());
                }
                None => enabled.push(d.clone()),
            }
        }
    }
    for (i, c) in custom.enabled.iter().enumerate() {
        if !replaced.contains(&i) {
            enabled.push(c.clone());
        }
    }
    PluginSet { enabled, disabled }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names_of(set: &PluginSet) -> Vec<&str> {
        set.enabled.iter().map(|p| p.name.as_str()).collect()
    }

    #[test]
    fn disable_one_and_add_one() {
        let custom = PluginsConfig {
            multi_point: PluginSet {
                enabled: vec![PluginRef::weighted("Custom", 5)],
                disabled: vec![PluginRef::new(names::IMAGE_LOCALITY)],
            },
            ..Default::default()
        };
        let merged = merge_plugins(&default_plugins(), Some(&custom));
        let names = names_of(&merged.multi_point);
        assert!(!names.contains(&names::IMAGE_LOCALITY));
        assert_eq!(names.last(), Some(&"Custom"));
    }

    #[test]
    fn reconfigured_default_keeps_its_place_and_star_disables_all() {
        let custom = PluginsConfig {
            multi_point: PluginSet {
                enabled: vec![PluginRef::weighted(names::TAINT_TOLERATION, 10)],
                disabled: Vec::new(),
            },
            score: PluginSet {
                enabled: vec![PluginRef::new("Only")],
                disabled: vec![PluginRef::new("*")],
            },
            ..Default::default()
        };
        let merged = merge_plugins(&default_plugins(), Some(&custom));
        let pos = merged
            .multi_point
            .enabled
            .iter()
            .position(|p| p.name == names::TAINT_TOLERATION)
            .unwrap();
        assert_eq!(pos, 3);
        assert_eq!(merged.multi_point.enabled[pos].weight, Some(10));
        assert_eq!(names_of(&merged.score), vec!["Only"]);
        assert_eq!(merged.score.disabled[0].name, "*");
    }
}
