//! Building a [`Framework`] from a merged profile: instantiate each named plugin once,
//! then expand `multiPoint` into the extension points each plugin implements.

use std::collections::HashMap;
use std::sync::Arc;

use super::types::{PluginSet, PluginsConfig, ProfileConfig};
use crate::error::ConfigError;
use crate::framework::{Entry, Framework, Handle, Plugin, PluginArgs, Registry};

/// The extension points, with how to read a plugin set and whether a plugin
/// implements the point.
type Implements = fn(&dyn Plugin) -> bool;

struct Point {
    name: &'static str,
    set: fn(&PluginsConfig) -> &PluginSet,
    implements: Implements,
}

const POINTS: [Point; 11] = [
    Point {
        name: "QueueSort",
        set: |p| &p.queue_sort,
        implements: |p| p.as_queue_sort().is_some(),
    },
    Point {
        name: "PreFilter",
        set: |p| &p.pre_filter,
        implements: |p| p.as_pre_filter().is_some(),
    },
    Point {
        name: "Filter",
        set: |p| &p.filter,
        implements: |p| p.as_filter().is_some(),
    },
    Point {
        name: "PostFilter",
        set: |p| &p.post_filter,
        implements: |p| p.as_post_filter().is_some(),
    },
    Point {
        name: "PreScore",
        set: |p| &p.pre_score,
        implements: |p| p.as_pre_score().is_some(),
    },
    Point {
        name: "Score",
        set: |p| &p.score,
        implements: |p| p.as_score().is_some(),
    },
    Point {
        name: "Reserve",
        set: |p| &p.reserve,
        implements: |p| p.as_reserve().is_some(),
    },
    Point {
        name: "Permit",
        set: |p| &p.permit,
        implements: |p| p.as_permit().is_some(),
    },
    Point {
        name: "PreBind",
        set: |p| &p.pre_bind,
        implements: |p| p.as_pre_bind().is_some(),
    },
    Point {
        name: "Bind",
        set: |p| &p.bind,
        implements: |p| p.as_bind().is_some(),
    },
    Point {
        name: "PostBind",
        set: |p| &p.post_bind,
        implements: |p| p.as_post_bind().is_some(),
    },
];

pub(crate) fn build_framework(
    profile: &ProfileConfig,
    plugins: &PluginsConfig,
    percentage: Option<u32>,
    registry: &Registry,
    handle: &Handle,
) -> Result<Framework, ConfigError> {
    let scheduler_name = profile.scheduler_name.clone();
    let mut args: HashMap<&str, &serde_json::Value> = HashMap::new();
    for entry in &profile.plugin_config {
        if args.insert(entry.name.as_str(), &entry.args).is_some() {
            return Err(ConfigError::Invalid(format!(
                "profile {scheduler_name}: repeated pluginConfig for plugin {}",
                entry.name
            )));
        }
    }

    // Instantiate every plugin named anywhere, once.
    let mut entries: Vec<Entry> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    let all_sets = POINTS
        .iter()
        .map(|p| (p.set)(plugins))
        .chain([&plugins.multi_point]);
    for set in all_sets {
        for r in &set.enabled {
            if index.contains_key(&r.name) {
                continue;
            }
            let plugin_args =
                PluginArgs::new(&r.name, args.get(r.name.as_str()).map(|v| (*v).clone()));
            let plugin = registry.build(&r.name, &plugin_args, handle)?;
            index.insert(r.name.clone(), entries.len());
            entries.push(Entry {
                name: Arc::from(r.name.as_str()),
                plugin,
            });
        }
    }
    for name in args.keys() {
        if !index.contains_key(*name) {
            return Err(ConfigError::Invalid(format!(
                "profile {scheduler_name}: pluginConfig for plugin {name}, which is not enabled"
            )));
        }
    }

    let mut lists: HashMap<&'static str, Vec<usize>> = HashMap::new();
    let mut weights: HashMap<usize, i64> = HashMap::new();
    for r in &plugins.multi_point.enabled {
        if let (Some(w), Some(i)) = (r.weight, index.get(&r.name)) {
            weights.insert(*i, i64::from(w));
        }
    }
    for point in &POINTS {
        let set = (point.set)(plugins);
        let mut specific = Vec::new();
        for r in &set.enabled {
            let i = index[&r.name];
            if !(point.implements)(entries[i].plugin.as_ref()) {
                return Err(ConfigError::Invalid(format!(
                    "profile {scheduler_name}: plugin {} does not implement {}",
                    r.name, point.name
                )));
            }
            if specific.contains(&i) {
                return Err(ConfigError::Invalid(format!(
                    "profile {scheduler_name}: plugin {} enabled twice at {}",
                    r.name, point.name
                )));
            }
            if point.name == "Score" {
                if let Some(w) = r.weight {
                    weights.insert(i, i64::from(w));
                }
            }
            specific.push(i);
        }
        let disabled: Vec<&str> = set.disabled.iter().map(|p| p.name.as_str()).collect();
        let mut overrides = Vec::new();
        let mut from_multi = Vec::new();
        if !disabled.contains(&"*") {
            for r in &plugins.multi_point.enabled {
                let i = index[&r.name];
                if !(point.implements)(entries[i].plugin.as_ref())
                    || disabled.contains(&r.name.as_str())
                {
                    continue;
                }
                if specific.contains(&i) {
                    overrides.push(i);
                    continue;
                }
                if from_multi.contains(&i) {
                    return Err(ConfigError::Invalid(format!(
                        "profile {scheduler_name}: plugin {} already registered at {}",
                        r.name, point.name
                    )));
                }
                from_multi.push(i);
            }
        }
        // Explicitly re-configured plugins first, in their specific order; then the
        // multi-point ones; then the other specific ones.
        let mut list: Vec<usize> = specific
            .iter()
            .copied()
            .filter(|i| overrides.contains(i))
            .collect();
        list.extend(from_multi);
        list.extend(specific.iter().copied().filter(|i| !overrides.contains(i)));
        lists.insert(point.name, list);
    }

    let mut take = |name: &str| lists.remove(name).unwrap_or_default();
    let queue_sort = take("QueueSort");
    if queue_sort.len() != 1 {
        return Err(ConfigError::Invalid(format!(
            "profile {scheduler_name}: exactly one QueueSort plugin is needed, found {}",
            queue_sort.len()
        )));
    }
    let bind = take("Bind");
    if bind.is_empty() {
        return Err(ConfigError::Invalid(format!(
            "profile {scheduler_name}: at least one Bind plugin is needed"
        )));
    }
    let score = take("Score")
        .into_iter()
        .map(|i| {
            let w = weights.get(&i).copied().unwrap_or(1);
            let w = if w == 0 { 1 } else { w };
            if w < 0 {
                Err(ConfigError::Invalid(format!(
                    "profile {scheduler_name}: score plugin {} has a negative weight",
                    entries[i].name
                )))
            } else {
                Ok((i, w))
            }
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Framework {
        scheduler_name,
        queue_sort: queue_sort.first().copied(),
        pre_filter: take("PreFilter"),
        filter: take("Filter"),
        post_filter: take("PostFilter"),
        pre_score: take("PreScore"),
        score,
        reserve: take("Reserve"),
        permit: take("Permit"),
        pre_bind: take("PreBind"),
        bind,
        post_bind: take("PostBind"),
        plugins: entries,
        percentage_of_nodes_to_score: percentage,
        handle: handle.clone(),
    })
}
