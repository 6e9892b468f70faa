//! [`PodInfo`]: a pod with everything the plugins need precomputed once (requests in
//! integer units, compiled affinity terms, host ports, priority).

use std::sync::Arc;

use core_types::core_v1::{Pod, PodAffinityTerm, WeightedPodAffinityTerm};
use core_types::selector::{Labels, Operator, Requirement, Selector};

use super::resource::PodRequests;

/// A pod affinity or anti-affinity term, compiled.
#[derive(Clone, Debug, PartialEq)]
pub struct AffinityTerm {
    /// Namespaces named by the term (or the pod's own when the term names none and has
    /// no namespace selector).
    pub namespaces: Vec<String>,
    /// Namespaces selected by label; `None` selects none, an empty selector all.
    pub namespace_selector: Option<Selector>,
    /// The pods the term is about; `None` (no label selector) matches no pod.
    pub selector: Option<Selector>,
    /// The node label whose value is a topology domain.
    pub topology_key: String,
}

impl AffinityTerm {
    /// Compiles `term` of `owner` (the pod that carries it): default namespace, and the
    /// `matchLabelKeys` / `mismatchLabelKeys` folded into the selector.
    pub fn new(owner: &Pod, term: &PodAffinityTerm) -> Result<Self, String> {
        let selector = match &term.label_selector {
            None => None,
            Some(ls) => {
                let mut sel = ls.to_selector().map_err(|e| e.to_string())?;
                for key in &term.match_label_keys {
                    if let Some(v) = owner.metadata.labels.get(key) {
                        let r = Requirement::new(key.as_str(), Operator::In, [v.as_str()])
                            .map_err(|e| e.to_string())?;
                        sel = sel.with(r);
                    }
                }
                for key in &term.mismatch_label_keys {
                    if let Some(v) = owner.metadata.labels.get(key) {
                        let r = Requirement::new(key.as_str(), Operator::NotIn, [v.as_str()])
                            .map_err(|e| e.to_string())?;
                        sel = sel.with(r);
                    }
                }
                Some(sel)
            }
        };
        let namespace_selector = match &term.namespace_selector {
            None => None,
            Some(ls) => Some(ls.to_selector().map_err(|e| e.to_string())?),
        };
        let namespaces = if term.namespaces.is_empty() && term.namespace_selector.is_none() {
            vec![owner.metadata.namespace.clone()]
        } else {
            term.namespaces.clone()
        };
        Ok(AffinityTerm {
            namespaces,
            namespace_selector,
            selector,
            topology_key: term.topology_key.clone(),
        })
    }

    /// True if `pod` is one of the pods this term is about. `namespace_labels` are the
    /// labels of `pod`'s namespace (needed only for namespace selectors).
    pub fn matches(&self, pod: &Pod, namespace_labels: Option<&dyn NamespaceLabels>) -> bool {
        let ns = pod.metadata.namespace.as_str();
        let in_namespace = self.namespaces.iter().any(|n| n == ns)
            || match &self.namespace_selector {
                None => false,
                Some(s) if s.is_empty() => true,
                Some(s) => namespace_labels
                    .and_then(|l| l.labels_of(ns))
                    .is_some_and(|labels| s.matches(&LabelMap(labels))),
            };
        in_namespace
            && self
                .selector
                .as_ref()
                .is_some_and(|s| s.matches(&pod.metadata.labels))
    }
}

/// Looks up the labels of a namespace (for affinity terms with namespace selectors).
pub trait NamespaceLabels {
    /// The labels of namespace `name`, if it is known.
    fn labels_of(&self, name: &str) -> Option<&std::collections::BTreeMap<String, String>>;
}

struct LabelMap<'a>(&'a std::collections::BTreeMap<String, String>);

impl Labels for LabelMap<'_> {
    fn get(&self, key: &str) -> Option<&str> {
        self.0.get(key).map(String::as_str)
    }
}

/// A weighted (preferred) affinity term.
#[derive(Clone, Debug, PartialEq)]
pub struct WeightedAffinityTerm {
    /// The term.
    pub term: AffinityTerm,
    /// Its weight (1-100).
    pub weight: i32,
}

/// A host port a pod asks for: IP (`0.0.0.0` when unset), protocol (`TCP` when unset),
/// port.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct HostPort {
    /// The host IP.
    pub ip: String,
    /// `TCP`, `UDP` or `SCTP`.
    pub protocol: String,
    /// The port number.
    pub port: i32,
}

impl HostPort {
    /// True if the two ports cannot both be used on one node.
    pub fn conflicts(&self, other: &HostPort) -> bool {
        self.port == other.port
            && self.protocol == other.protocol
            && (self.ip == other.ip || self.ip == "0.0.0.0" || other.ip == "0.0.0.0")
    }
}

/// A pod and its precomputed scheduling data. Shared (`Arc`) between the queue, the
/// cache and snapshots; built once per pod version.
#[derive(Clone, Debug)]
pub struct PodInfo {
    /// The pod.
    pub pod: Arc<Pod>,
    /// The pod's identity in the scheduler: its uid, or `namespace/name` without one.
    pub key: String,
    /// `spec.priority` (0 when unset).
    pub priority: i32,
    /// Requests in integer units.
    pub requests: PodRequests,
    /// Host ports of all containers.
    pub host_ports: Vec<HostPort>,
    /// Required pod affinity terms.
    pub required_affinity_terms: Vec<AffinityTerm>,
    /// Required pod anti-affinity terms.
    pub required_anti_affinity_terms: Vec<AffinityTerm>,
    /// Preferred pod affinity terms.
    pub preferred_affinity_terms: Vec<WeightedAffinityTerm>,
    /// Preferred pod anti-affinity terms.
    pub preferred_anti_affinity_terms: Vec<WeightedAffinityTerm>,
    /// Why an affinity term failed to compile (the pod is then unschedulable).
    pub parse_error: Option<String>,
}

/// The identity of a pod in the scheduler: its uid, or `namespace/name`.
pub fn pod_key(pod: &Pod) -> String {
    pod_key_of(&pod.metadata)
}

/// [`pod_key`] from a pod's metadata.
pub(crate) fn pod_key_of(meta: &core_types::ObjectMeta) -> String {
    if meta.uid.is_empty() {
        format!("{}/{}", meta.namespace, meta.name)
    } else {
        meta.uid.clone()
    }
}

impl PodInfo {
    /// Precomputes the scheduling data of `pod`.
    pub fn new(pod: Arc<Pod>) -> Self {
        let mut parse_error = None;
        let mut compile = |terms: &[PodAffinityTerm]| -> Vec<AffinityTerm> {
            terms
                .iter()
                .filter_map(|t| match AffinityTerm::new(&pod, t) {
                    Ok(t) => Some(t),
                    Err(e) => {
                        parse_error.get_or_insert(e);
                        None
                    }
                })
                .collect()
        };
        let affinity = pod.spec.affinity.as_ref();
        let pa = affinity.and_then(|a| a.pod_affinity.as_ref());
        let paa = affinity.and_then(|a| a.pod_anti_affinity.as_ref());
        let required_affinity_terms = pa
            .map(|a| compile(&a.required_during_scheduling_ignored_during_execution))
            .unwrap_or_default();
        let required_anti_affinity_terms = paa
            .map(|a| compile(&a.required_during_scheduling_ignored_during_execution))
            .unwrap_or_default();
        let mut compile_weighted = |terms: &[WeightedPodAffinityTerm]| {
            terms
                .iter()
                .filter_map(|t| match AffinityTerm::new(&pod, &t.pod_affinity_term) {
                    Ok(term) => Some(WeightedAffinityTerm {
                        term,
                        weight: t.weight,
                    }),
                    Err(e) => {
                        parse_error.get_or_insert(e);
                        None
                    }
                })
                .collect::<Vec<_>>()
        };
        let preferred_affinity_terms = pa
            .map(|a| compile_weighted(&a.preferred_during_scheduling_ignored_during_execution))
            .unwrap_or_default();
        let preferred_anti_affinity_terms = paa
            .map(|a| compile_weighted(&a.preferred_during_scheduling_ignored_during_execution))
            .unwrap_or_default();
        let host_ports = pod
            .spec
            .containers
            .iter()
            .flat_map(|c| &c.ports)
            .filter(|p| p.host_port > 0)
            .map(|p| HostPort {
                ip: if p.host_ip.is_empty() {
                    "0.0.0.0".to_owned()
                } else {
                    p.host_ip.clone()
                },
                protocol: if p.protocol.is_empty() {
                    "TCP".to_owned()
                } else {
                    p.protocol.clone()
                },
                port: p.host_port,
            })
            .collect();
        PodInfo {
            key: pod_key(&pod),
            priority: pod.spec.priority.unwrap_or(0),
            requests: PodRequests::of(&pod),
            host_ports,
            required_affinity_terms,
            required_anti_affinity_terms,
            preferred_affinity_terms,
            preferred_anti_affinity_terms,
            parse_error,
            pod,
        }
    }

    /// Convenience: wraps a pod.
    pub fn from_pod(pod: Pod) -> Self {
        PodInfo::new(Arc::new(pod))
    }

    /// True if the pod has any pod affinity or anti-affinity term.
    pub fn has_affinity(&self) -> bool {
        !self.required_affinity_terms.is_empty()
            || !self.required_anti_affinity_terms.is_empty()
            || !self.preferred_affinity_terms.is_empty()
            || !self.preferred_anti_affinity_terms.is_empty()
    }

    /// The pod's namespace.
    pub fn namespace(&self) -> &str {
        &self.pod.metadata.namespace
    }

    /// The pod's name.
    pub fn name(&self) -> &str {
        &self.pod.metadata.name
    }

    /// True if the pod is being deleted.
    pub fn is_terminating(&self) -> bool {
        self.pod.metadata.deletion_timestamp.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use core_types::core_v1::{Affinity, PodAntiAffinity};
    use core_types::selector::LabelSelector;

    fn pod(ns: &str, labels: &[(&str, &str)]) -> Pod {
        let mut p = Pod::default();
        p.metadata.namespace = ns.into();
        p.metadata.name = "p".into();
        for (k, v) in labels {
            p.metadata.labels.insert((*k).into(), (*v).into());
        }
        p
    }

    #[test]
    fn terms_default_to_own_namespace_and_fold_label_keys() {
        let mut owner = pod("a", &[("app", "web"), ("rev", "1")]);
        owner.spec.affinity = Some(Box::new(Affinity {
            pod_anti_affinity: Some(PodAntiAffinity {
                required_during_scheduling_ignored_during_execution: vec![PodAffinityTerm {
                    label_selector: Some(LabelSelector {
                        match_labels: [("app".to_owned(), "web".to_owned())].into(),
                        ..Default::default()
                    }),
                    topology_key: "kubernetes.io/hostname".into(),
                    match_label_keys: vec!["rev".into()],
                    ..Default::default()
                }],
                ..Default::default()
            }),
            ..Default::default()
        }));
        let info = PodInfo::from_pod(owner);
        assert!(info.parse_error.is_none());
        let term = &info.required_anti_affinity_terms[0];
        assert_eq!(term.namespaces, vec!["a".to_owned()]);
        assert!(term.matches(&pod("a", &[("app", "web"), ("rev", "1")]), None));
        assert!(!term.matches(&pod("a", &[("app", "web"), ("rev", "2")]), None));
        assert!(!term.matches(&pod("b", &[("app", "web"), ("rev", "1")]), None));
        assert_eq!(info.key, "a/p");
    }

    #[test]
    fn host_port_conflicts() {
        let any = HostPort {
            ip: "0.0.0.0".into(),
            protocol: "TCP".into(),
            port: 80,
        };
        let one = HostPort {
            ip: "10.0.0.1".into(),
            ..any.clone()
        };
        let two = HostPort {
            ip: "10.0.0.2".into(),
            ..any.clone()
        };
        let udp = HostPort {
            protocol: "UDP".into(),
            ..any.clone()
        };
        assert!(any.conflicts(&one));
        assert!(!one.conflicts(&two));
        assert!(!any.conflicts(&udp));
    }
}
