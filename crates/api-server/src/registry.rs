//! The resources the server serves: every built-in kind, with the facts discovery
//! and routing need (short names, verbs, subresources).

use core_types::{ApiResource, StaticResource, apps_v1, autoscaling_v2, batch_v1, core_v1};
use core_types::{coordination_v1, networking_v1, policy_v1, rbac_v1, scheduling_v1};

/// The verbs every served resource supports.
pub const VERBS: &[&str] = &[
    "create",
    "delete",
    "deletecollection",
    "get",
    "list",
    "patch",
    "update",
    "watch",
];

/// A subresource the server implements for a resource.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Subresource {
    /// `status`: GET, PUT, PATCH of the status alone.
    Status,
    /// `scale`: an `autoscaling/v1` `Scale` view of the replicas.
    Scale,
    /// `binding`: POST a `Binding` to assign a pod to a node.
    Binding,
    /// `log`: a pod's container log (served by the node agent; 503 until it exists).
    Log,
}

impl Subresource {
    /// The path segment, e.g. `status`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Subresource::Status => "status",
            Subresource::Scale => "scale",
            Subresource::Binding => "binding",
            Subresource::Log => "log",
        }
    }

    /// Reads a path segment.
    pub fn parse(segment: &str) -> Option<Self> {
        Some(match segment {
            "status" => Subresource::Status,
            "scale" => Subresource::Scale,
            "binding" => Subresource::Binding,
            "log" => Subresource::Log,
            _ => return None,
        })
    }

    /// The verbs of the subresource, for discovery.
    pub fn verbs(&self) -> &'static [&'static str] {
        match self {
            Subresource::Status | Subresource::Scale => &["get", "patch", "update"],
            Subresource::Binding => &["create"],
            Subresource::Log => &["get"],
        }
    }
}

/// One served resource: its [`ApiResource`] and what discovery says about it.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ResourceInfo {
    /// Group, version, kind, plural and scope.
    pub resource: ApiResource,
    /// The singular name (`pod`).
    pub singular: String,
    /// Short names kubectl accepts (`po`).
    pub short_names: Vec<&'static str>,
    /// Categories (`all`).
    pub categories: Vec<&'static str>,
    /// Subresources served.
    pub subresources: Vec<Subresource>,
}

impl ResourceInfo {
    /// Describes `resource` with no short names, categories or subresources.
    pub fn new(resource: ApiResource) -> Self {
        ResourceInfo {
            singular: resource.kind.to_lowercase(),
            resource,
            short_names: Vec::new(),
            categories: Vec::new(),
            subresources: Vec::new(),
        }
    }

    /// True if the resource serves `sub`.
    pub fn has(&self, sub: Subresource) -> bool {
        self.subresources.contains(&sub)
    }
}

/// The set of served resources, by group, version and plural.
#[derive(Clone, Debug, Default)]
pub struct Registry {
    resources: Vec<ResourceInfo>,
}

impl Registry {
    /// An empty registry.
    pub fn new() -> Self {
        Self::default()
    }

    /// Every built-in kind of [`AnyObject`](core_types::decode::AnyObject).
    pub fn builtin() -> Self {
        use Subresource::{Binding, Log, Scale, Status};
        let mut r = Registry::new();
        let mut add =
            |res: &ApiResource, short: &[&'static str], all: bool, subs: &[Subresource]| {
                let mut info = ResourceInfo::new(res.clone());
                info.short_names = short.to_vec();
                if all {
                    info.categories = vec!["all"];
                }
                info.subresources = subs.to_vec();
                r.add(info);
            };
        add(
            core_v1::Pod::resource(),
            &["po"],
            true,
            &[Status, Binding, Log],
        );
        add(core_v1::Node::resource(), &["no"], false, &[Status]);
        add(core_v1::Namespace::resource(), &["ns"], false, &[Status]);
        add(core_v1::Service::resource(), &["svc"], true, &[Status]);
        add(core_v1::Endpoints::resource(), &["ep"], false, &[]);
        add(core_v1::ConfigMap::resource(), &["cm"], false, &[]);
        add(core_v1::Secret::resource(), &[], false, &[]);
        add(core_v1::Event::resource(), &["ev"], false, &[]);
        add(core_v1::ServiceAccount::resource(), &["sa"], false, &[]);
        add(
            core_v1::ReplicationController::resource(),
            &["rc"],
            true,
            &[Status, Scale],
        );
        add(
            core_v1::PersistentVolume::resource(),
            &["pv"],
            false,
            &[Status],
        );
        add(
            core_v1::PersistentVolumeClaim::resource(),
            &["pvc"],
            false,
            &[Status],
        );
        add(
            apps_v1::Deployment::resource(),
            &["deploy"],
            true,
            &[Status, Scale],
        );
        add(
            apps_v1::ReplicaSet::resource(),
            &["rs"],
            true,
            &[Status, Scale],
        );
        add(
            apps_v1::StatefulSet::resource(),
            &["sts"],
            true,
            &[Status, Scale],
        );
        add(apps_v1::DaemonSet::resource(), &["ds"], true, &[Status]);
        add(apps_v1::ControllerRevision::resource(), &[], false, &[]);
        add(batch_v1::Job::resource(), &[], true, &[Status]);
        add(batch_v1::CronJob::resource(), &["cj"], true, &[Status]);
        add(
            networking_v1::Ingress::resource(),
            &["ing"],
            false,
            &[Status],
        );
        add(coordination_v1::Lease::resource(), &[], false, &[]);
        add(
            autoscaling_v2::HorizontalPodAutoscaler::resource(),
            &["hpa"],
            true,
            &[Status],
        );
        add(rbac_v1::Role::resource(), &[], false, &[]);
        add(rbac_v1::ClusterRole::resource(), &[], false, &[]);
        add(rbac_v1::RoleBinding::resource(), &[], false, &[]);
        add(rbac_v1::ClusterRoleBinding::resource(), &[], false, &[]);
        add(
            scheduling_v1::PriorityClass::resource(),
            &["pc"],
            false,
            &[],
        );
        add(
            policy_v1::PodDisruptionBudget::resource(),
            &["pdb"],
            false,
            &[Status],
        );
        r
    }

    /// Adds (or replaces) a resource, e.g. an embedder's own kind.
    pub fn add(&mut self, info: ResourceInfo) {
        let r = &info.resource;
        if let Some(old) = self.resources.iter_mut().find(|o| {
            o.resource.group == r.group
                && o.resource.version == r.version
                && o.resource.plural == r.plural
        }) {
            *old = info;
        } else {
            self.resources.push(info);
        }
    }

    /// The resource `plural` of `group`/`version`.
    pub fn find(&self, group: &str, version: &str, plural: &str) -> Option<&ResourceInfo> {
        self.resources.iter().find(|i| {
            i.resource.group == group
                && i.resource.version == version
                && i.resource.plural == plural
        })
    }

    /// Every resource of `group`/`version`.
    pub fn in_version<'a>(
        &'a self,
        group: &'a str,
        version: &'a str,
    ) -> impl Iterator<Item = &'a ResourceInfo> + 'a {
        self.resources
            .iter()
            .filter(move |i| i.resource.group == group && i.resource.version == version)
    }

    /// The groups (other than the core group) and their versions, in first-seen order.
    pub fn groups(&self) -> Vec<(String, Vec<String>)> {
        let mut out: Vec<(String, Vec<String>)> = Vec::new();
        for i in &self.resources {
            let (g, v) = (i.resource.group.to_string(), i.resource.version.to_string());
            if g.is_empty() {
                continue;
            }
            match out.iter_mut().find(|(og, _)| *og == g) {
                Some((_, versions)) if !versions.contains(&v) => versions.push(v),
                Some(_) => {}
                None => out.push((g, vec![v])),
            }
        }
        out
    }

    /// Every resource.
    pub fn iter(&self) -> impl Iterator<Item = &ResourceInfo> {
        self.resources.iter()
    }
}
