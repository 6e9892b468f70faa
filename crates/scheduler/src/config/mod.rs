//! Configuration: [`SchedulerConfiguration`] (YAML or JSON, shaped like
//! `KubeSchedulerConfiguration`), merged with the defaults and built into
//! [`Profiles`].

mod build;
mod merge;
mod types;

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

pub use merge::{default_plugins, merge_plugins};
pub use types::{
    PluginConfigEntry, PluginRef, PluginSet, PluginsConfig, ProfileConfig, SchedulerConfiguration,
};

use crate::error::ConfigError;
use crate::framework::{Framework, Handle, Registry};

/// The scheduler name of the default profile.
pub const DEFAULT_SCHEDULER_NAME: &str = "default-scheduler";

/// Settings that apply to the whole scheduler (not per profile).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Settings {
    /// Percentage of nodes to find feasible before scoring; 0 is adaptive.
    pub percentage_of_nodes_to_score: u32,
    /// First backoff of a failed pod.
    pub initial_backoff: Duration,
    /// Longest backoff.
    pub max_backoff: Duration,
    /// How long a pod may stay in the unschedulable set before it is retried anyway.
    pub max_in_unschedulable: Duration,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            percentage_of_nodes_to_score: 0,
            initial_backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(10),
            max_in_unschedulable: Duration::from_secs(5 * 60),
        }
    }
}

impl SchedulerConfiguration {
    /// Parses YAML (which includes JSON).
    pub fn from_yaml(text: &str) -> Result<Self, ConfigError> {
        serde_yaml_ng::from_str(text).map_err(|e| ConfigError::Parse(e.to_string()))
    }

    /// Parses JSON.
    pub fn from_json(text: &str) -> Result<Self, ConfigError> {
        serde_json::from_str(text).map_err(|e| ConfigError::Parse(e.to_string()))
    }

    /// Reads a YAML or JSON file.
    pub fn from_file(path: impl AsRef<Path>) -> Result<Self, ConfigError> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path)
            .map_err(|e| ConfigError::Io(format!("{}: {e}", path.display())))?;
        Self::from_yaml(&text)
    }

    /// The global settings, with defaults filled in.
    pub fn settings(&self) -> Settings {
        let d = Settings::default();
        Settings {
            percentage_of_nodes_to_score: self.percentage_of_nodes_to_score.unwrap_or(0),
            initial_backoff: self
                .pod_initial_backoff_seconds
                .map_or(d.initial_backoff, Duration::from_secs),
            max_backoff: self
                .pod_max_backoff_seconds
                .map_or(d.max_backoff, Duration::from_secs),
            ..d
        }
    }

    /// Checks the configuration, merges every profile with the default plugins and
    /// instantiates the plugins from `registry`.
    pub fn build(&self, registry: &Registry, handle: &Handle) -> Result<Profiles, ConfigError> {
        if !self.kind.is_empty() && self.kind != "KubeSchedulerConfiguration" {
            return Err(ConfigError::Invalid(format!(
                "kind must be KubeSchedulerConfiguration, not {}",
                self.kind
            )));
        }
        for (what, p) in [
            (
                "percentageOfNodesToScore",
                self.percentage_of_nodes_to_score,
            ),
            (
                "profiles[].percentageOfNodesToScore",
                self.profiles
                    .iter()
                    .find_map(|p| p.percentage_of_nodes_to_score),
            ),
        ] {
            if p.is_some_and(|p| p > 100) {
                return Err(ConfigError::Invalid(format!("{what} must be in 0..=100")));
            }
        }
        let settings = self.settings();
        if settings.initial_backoff.is_zero() || settings.max_backoff < settings.initial_backoff {
            return Err(ConfigError::Invalid(
                "podInitialBackoffSeconds must be positive and at most podMaxBackoffSeconds".into(),
            ));
        }
        let defaults = default_plugins();
        let default_profile = [ProfileConfig::default()];
        let profiles = if self.profiles.is_empty() {
            &default_profile[..]
        } else {
            &self.profiles[..]
        };
        let mut frameworks = BTreeMap::new();
        let mut queue_sort: Option<String> = None;
        for profile in profiles {
            let mut profile = profile.clone();
            if profile.scheduler_name.is_empty() {
                profile.scheduler_name = DEFAULT_SCHEDULER_NAME.to_owned();
            }
            let merged = merge_plugins(&defaults, profile.plugins.as_ref());
            let fwk = build::build_framework(
                &profile,
                &merged,
                profile.percentage_of_nodes_to_score,
                registry,
                handle,
            )?;
            let sort = fwk.plugins_at("QueueSort").join(",");
            match &queue_sort {
                Some(s) if *s != sort => {
                    return Err(ConfigError::Invalid(
                        "all profiles must use the same QueueSort plugin".into(),
                    ));
                }
                _ => queue_sort = Some(sort),
            }
            if frameworks
                .insert(profile.scheduler_name.clone(), Arc::new(fwk))
                .is_some()
            {
                return Err(ConfigError::Invalid(format!(
                    "duplicate profile for scheduler name {}",
                    profile.scheduler_name
                )));
            }
        }
        Ok(Profiles {
            frameworks,
            settings,
        })
    }
}

/// The built profiles, by scheduler name, and the global settings.
#[derive(Clone, Debug)]
pub struct Profiles {
    frameworks: BTreeMap<String, Arc<Framework>>,
    settings: Settings,
}

impl Profiles {
    /// The default configuration with the in-tree plugins.
    pub fn default_profiles() -> Result<Self, ConfigError> {
        SchedulerConfiguration::default().build(&Registry::default(), &Handle::new())
    }

    /// The profile for `scheduler_name` (a pod's `spec.schedulerName`; empty means the
    /// default scheduler).
    pub fn get(&self, scheduler_name: &str) -> Option<&Arc<Framework>> {
        let name = if scheduler_name.is_empty() {
            DEFAULT_SCHEDULER_NAME
        } else {
            scheduler_name
        };
        self.frameworks.get(name)
    }

    /// The scheduler names served.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.frameworks.keys().map(String::as_str)
    }

    /// Every profile.
    pub fn frameworks(&self) -> impl Iterator<Item = &Arc<Framework>> {
        self.frameworks.values()
    }

    /// The global settings.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }
}

#[cfg(test)]
mod tests;
