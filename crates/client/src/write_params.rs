//! Parameters of writes: [`PostParams`], [`PatchParams`], [`Patch`], [`DeleteParams`].

use serde_json::Value;

/// Parameters of a create or a replace (PUT).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct PostParams {
    /// Run every check but store nothing; the answer is the object as it would be.
    pub dry_run: bool,
    /// The name of the actor making the change (recorded for server-side apply later).
    pub field_manager: Option<String>,
}

impl PostParams {
    /// Checks only, stores nothing.
    #[must_use]
    pub fn dry_run(mut self) -> Self {
        self.dry_run = true;
        self
    }

    /// Names the actor making the change.
    #[must_use]
    pub fn field_manager(mut self, manager: impl Into<String>) -> Self {
        self.field_manager = Some(manager.into());
        self
    }
}

/// Parameters of a patch.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct PatchParams {
    /// Run every check but store nothing.
    pub dry_run: bool,
    /// The name of the actor making the change.
    pub field_manager: Option<String>,
}

impl PatchParams {
    /// Checks only, stores nothing.
    #[must_use]
    pub fn dry_run(mut self) -> Self {
        self.dry_run = true;
        self
    }

    /// Names the actor making the change.
    #[must_use]
    pub fn field_manager(mut self, manager: impl Into<String>) -> Self {
        self.field_manager = Some(manager.into());
        self
    }
}

/// A patch, applied by the server to the stored object.
///
/// [`Strategic`](Patch::Strategic) needs Kubernetes' per-kind merge keys, which only
/// the API server knows: the in-process client refuses it with
/// [`ClientError::UnsupportedMediaType`](crate::ClientError::UnsupportedMediaType);
/// over HTTP the API server applies it. Server-side apply will be added as a variant.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum Patch {
    /// A JSON merge patch (RFC 7386): objects merge key by key, `null` removes a key,
    /// anything else (arrays included) replaces.
    Merge(Value),
    /// A JSON patch (RFC 6902): an array of `add`, `remove`, `replace`, `move`, `copy`
    /// and `test` operations, applied in order, all or nothing.
    Json(Value),
    /// A Kubernetes strategic merge patch (what `kubectl apply` sends): like a merge
    /// patch, but lists with a merge key (containers by `name`, ports by
    /// `containerPort`, ...) merge item by item, and `$patch` directives apply.
    Strategic(Value),
}

impl Patch {
    /// The HTTP content type of the patch.
    pub fn content_type(&self) -> &'static str {
        match self {
            Patch::Merge(_) => "application/merge-patch+json",
            Patch::Json(_) => "application/json-patch+json",
            Patch::Strategic(_) => "application/strategic-merge-patch+json",
        }
    }

    /// The patch document.
    pub fn document(&self) -> &Value {
        match self {
            Patch::Merge(v) | Patch::Json(v) | Patch::Strategic(v) => v,
        }
    }
}

/// What happens to the objects a deleted object owns (`propagationPolicy`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PropagationPolicy {
    /// Dependents are left, their owner reference removed (the `orphan` finalizer).
    Orphan,
    /// The object goes now, dependents are deleted in the background (the default).
    Background,
    /// The object stays (with the `foregroundDeletion` finalizer) until its blocking
    /// dependents are deleted.
    Foreground,
}

impl PropagationPolicy {
    /// The wire value: `Orphan`, `Background` or `Foreground`.
    pub fn as_str(&self) -> &'static str {
        match self {
            PropagationPolicy::Orphan => "Orphan",
            PropagationPolicy::Background => "Background",
            PropagationPolicy::Foreground => "Foreground",
        }
    }
}

/// Conditions a delete checks first; a failed one is a `Conflict`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Preconditions {
    /// The object's uid must be this one (guards against deleting a re-created object).
    pub uid: Option<String>,
    /// The object's resourceVersion must be this one.
    pub resource_version: Option<String>,
}

/// Parameters of a delete.
///
/// ```
/// use client::{DeleteParams, PropagationPolicy};
/// let params = DeleteParams::foreground().grace_period(0).uid("1234");
/// assert_eq!(params.propagation_policy, Some(PropagationPolicy::Foreground));
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct DeleteParams {
    /// Seconds the object may take to terminate (pods); 0 deletes at once.
    pub grace_period_seconds: Option<i64>,
    /// Conditions checked before deleting.
    pub preconditions: Option<Preconditions>,
    /// What happens to dependents.
    pub propagation_policy: Option<PropagationPolicy>,
    /// Run every check but delete nothing.
    pub dry_run: bool,
}

impl DeleteParams {
    /// Dependents deleted in the background.
    pub fn background() -> Self {
        Self::with_policy(PropagationPolicy::Background)
    }

    /// The object stays until its dependents are gone.
    pub fn foreground() -> Self {
        Self::with_policy(PropagationPolicy::Foreground)
    }

    /// Dependents are kept.
    pub fn orphan() -> Self {
        Self::with_policy(PropagationPolicy::Orphan)
    }

    fn with_policy(policy: PropagationPolicy) -> Self {
        DeleteParams {
            propagation_policy: Some(policy),
            ..DeleteParams::default()
        }
    }

    /// Sets the grace period in seconds.
    #[must_use]
    pub fn grace_period(mut self, seconds: i64) -> Self {
        self.grace_period_seconds = Some(seconds);
        self
    }

    /// Deletes only if the object's uid is `uid`.
    #[must_use]
    pub fn uid(mut self, uid: impl Into<String>) -> Self {
        self.preconditions
            .get_or_insert_with(Preconditions::default)
            .uid = Some(uid.into());
        self
    }

    /// Deletes only if the object's resourceVersion is `resource_version`.
    #[must_use]
    pub fn resource_version(mut self, resource_version: impl Into<String>) -> Self {
        self.preconditions
            .get_or_insert_with(Preconditions::default)
            .resource_version = Some(resource_version.into());
        self
    }

    /// Checks only, deletes nothing.
    #[must_use]
    pub fn dry_run(mut self) -> Self {
        self.dry_run = true;
        self
    }
}
