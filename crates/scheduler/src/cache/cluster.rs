//! [`ClusterObjects`]: the objects besides nodes and pods that plugins read:
//! namespace labels (affinity namespace selectors), workload selectors (default
//! topology spreading) and pod disruption budgets (preemption).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use core_types::core_v1::Pod;
use core_types::selector::{Requirement, Selector};

use crate::framework::NamespaceLabels;

/// A workload that selects pods: a Service, ReplicationController, ReplicaSet or
/// StatefulSet.
#[derive(Clone, Debug, PartialEq)]
pub struct WorkloadSelector {
    /// `Service`, `ReplicationController`, `ReplicaSet` or `StatefulSet`.
    pub kind: String,
    /// Namespace.
    pub namespace: String,
    /// Name.
    pub name: String,
    /// Its pod selector (an empty selector selects nothing here).
    pub selector: Selector,
}

/// A pod disruption budget, reduced to what preemption needs.
#[derive(Clone, Debug, PartialEq)]
pub struct DisruptionBudget {
    /// Namespace.
    pub namespace: String,
    /// Name.
    pub name: String,
    /// The pods it covers; `None` or empty covers none.
    pub selector: Option<Selector>,
    /// `status.disruptionsAllowed`.
    pub disruptions_allowed: i32,
    /// `status.disruptedPods` names.
    pub disrupted_pods: BTreeSet<String>,
}

/// Namespaces, workload selectors and disruption budgets, shared read-only with every
/// cycle through the snapshot.
#[derive(Clone, Debug, Default)]
pub struct ClusterObjects {
    namespaces: HashMap<String, BTreeMap<String, String>>,
    workloads: BTreeMap<(String, String, String), WorkloadSelector>,
    budgets: BTreeMap<(String, String), DisruptionBudget>,
}

impl NamespaceLabels for ClusterObjects {
    fn labels_of(&self, name: &str) -> Option<&BTreeMap<String, String>> {
        self.namespaces.get(name)
    }
}

impl ClusterObjects {
    /// Records (or updates) a namespace's labels.
    pub fn set_namespace(&mut self, name: &str, labels: BTreeMap<String, String>) {
        self.namespaces.insert(name.to_owned(), labels);
    }

    /// Forgets a namespace.
    pub fn remove_namespace(&mut self, name: &str) {
        self.namespaces.remove(name);
    }

    /// Every known namespace name.
    pub fn namespace_names(&self) -> impl Iterator<Item = &str> {
        self.namespaces.keys().map(String::as_str)
    }

    /// Records (or updates) a workload selector.
    pub fn set_workload(&mut self, w: WorkloadSelector) {
        self.workloads
            .insert((w.kind.clone(), w.namespace.clone(), w.name.clone()), w);
    }

    /// Forgets a workload.
    pub fn remove_workload(&mut self, kind: &str, namespace: &str, name: &str) {
        self.workloads
            .remove(&(kind.to_owned(), namespace.to_owned(), name.to_owned()));
    }

    /// Records (or updates) a disruption budget.
    pub fn set_budget(&mut self, b: DisruptionBudget) {
        self.budgets
            .insert((b.namespace.clone(), b.name.clone()), b);
    }

    /// Forgets a disruption budget.
    pub fn remove_budget(&mut self, namespace: &str, name: &str) {
        self.budgets
            .remove(&(namespace.to_owned(), name.to_owned()));
    }

    /// The disruption budgets.
    pub fn budgets(&self) -> impl Iterator<Item = &DisruptionBudget> {
        self.budgets.values()
    }

    /// True if no workload selector is known (default spreading has nothing to do).
    pub fn has_workloads(&self) -> bool {
        !self.workloads.is_empty()
    }

    /// kube-scheduler's `DefaultSelector`: the requirements of every service,
    /// replication controller, replica set and stateful set in the pod's namespace
    /// that selects the pod, combined. `None` when no workload selects it.
    pub fn default_selector(&self, pod: &Pod) -> Option<Selector> {
        let mut requirements: Vec<Requirement> = Vec::new();
        let ns = pod.metadata.namespace.as_str();
        for ((_, wns, _), w) in &self.workloads {
            if wns != ns || w.selector.is_empty() || !w.selector.matches(&pod.metadata.labels) {
                continue;
            }
            for r in w.selector.requirements() {
                if !requirements.contains(r) {
                    requirements.push(r.clone());
                }
            }
        }
        if requirements.is_empty() {
            None
        } else {
            Some(requirements.into_iter().collect())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_selector_merges_matching_workloads() {
        let mut objects = ClusterObjects::default();
        objects.set_workload(WorkloadSelector {
            kind: "Service".into(),
            namespace: "a".into(),
            name: "web".into(),
            selector: "app=web".parse().unwrap(),
        });
        objects.set_workload(WorkloadSelector {
            kind: "ReplicaSet".into(),
            namespace: "a".into(),
            name: "web-1".into(),
            selector: "app=web,rev=1".parse().unwrap(),
        });
        objects.set_workload(WorkloadSelector {
            kind: "Service".into(),
            namespace: "b".into(),
            name: "web".into(),
            selector: "app=web".parse().unwrap(),
        });
        let mut pod = Pod::default();
        pod.metadata.namespace = "a".into();
        pod.metadata.labels.insert("app".into(), "web".into());
        assert_eq!(
            objects.default_selector(&pod).unwrap().to_string(),
            "app=web"
        );
        pod.metadata.labels.insert("rev".into(), "1".into());
        assert_eq!(
            objects.default_selector(&pod).unwrap().to_string(),
            "app=web,rev=1"
        );
        pod.metadata.namespace = "c".into();
        assert!(objects.default_selector(&pod).is_none());
    }
}
