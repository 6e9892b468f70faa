//! Parameters of reads: [`ListParams`] and [`WatchParams`].

use std::time::Duration;

use core_types::selector::{FieldSelector, Selector};

/// How a list interprets a non-zero `resourceVersion` (`resourceVersionMatch`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ResourceVersionMatch {
    /// The state at exactly that revision (a point-in-time read); `Gone` once it has
    /// been compacted.
    Exact,
    /// Any state at least as new as that revision (usually the latest).
    NotOlderThan,
}

impl ResourceVersionMatch {
    /// The query-parameter value: `Exact` or `NotOlderThan`.
    pub fn as_str(&self) -> &'static str {
        match self {
            ResourceVersionMatch::Exact => "Exact",
            ResourceVersionMatch::NotOlderThan => "NotOlderThan",
        }
    }
}

/// Parameters of a list.
///
/// `resource_version`: `None` or `""` reads the latest state (a consistent read from
/// storage); `"0"` accepts any state, which may be served from a cache (the `limit`
/// is then ignored, as Kubernetes does); any other value is read according to
/// [`resource_version_match`](Self::resource_version_match) (unset: `Exact` when a
/// `limit` is given, else `NotOlderThan`).
///
/// ```
/// use client::ListParams;
/// let params = ListParams::default()
///     .labels("app=web".parse()?)
///     .fields("spec.nodeName=node-1".parse()?)
///     .limit(500);
/// assert_eq!(params.limit, Some(500));
/// # Ok::<(), core_types::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ListParams {
    /// Only objects whose labels match.
    pub label_selector: Option<Selector>,
    /// Only objects whose fields match.
    pub field_selector: Option<FieldSelector>,
    /// At most this many objects; the list metadata then carries a continue token if
    /// more remain. `None` or 0: no limit.
    pub limit: Option<u32>,
    /// The continue token of the previous page.
    pub continue_token: Option<String>,
    /// Which state to read; see the type's documentation.
    pub resource_version: Option<String>,
    /// How to read a non-zero `resource_version`.
    pub resource_version_match: Option<ResourceVersionMatch>,
}

impl ListParams {
    /// Only objects whose labels match `selector`.
    #[must_use]
    pub fn labels(mut self, selector: Selector) -> Self {
        self.label_selector = Some(selector);
        self
    }

    /// Only objects whose fields match `selector`.
    #[must_use]
    pub fn fields(mut self, selector: FieldSelector) -> Self {
        self.field_selector = Some(selector);
        self
    }

    /// At most `limit` objects per page.
    #[must_use]
    pub fn limit(mut self, limit: u32) -> Self {
        self.limit = Some(limit);
        self
    }

    /// The page after the one that returned `token`.
    #[must_use]
    pub fn continue_token(mut self, token: impl Into<String>) -> Self {
        self.continue_token = Some(token.into());
        self
    }

    /// Reads at `resource_version` (see the type's documentation).
    #[must_use]
    pub fn resource_version(mut self, resource_version: impl Into<String>) -> Self {
        self.resource_version = Some(resource_version.into());
        self
    }

    /// Accepts any state, possibly from a cache (`resourceVersion=0`).
    #[must_use]
    pub fn any_version(self) -> Self {
        self.resource_version("0")
    }

    /// Reads exactly the state at `resource_version`.
    #[must_use]
    pub fn exact(mut self, resource_version: impl Into<String>) -> Self {
        self.resource_version = Some(resource_version.into());
        self.resource_version_match = Some(ResourceVersionMatch::Exact);
        self
    }

    /// Sets `resourceVersionMatch`.
    #[must_use]
    pub fn resource_version_match(mut self, matching: ResourceVersionMatch) -> Self {
        self.resource_version_match = Some(matching);
        self
    }

    /// The limit, with 0 read as "none".
    pub fn effective_limit(&self) -> Option<u32> {
        self.limit.filter(|l| *l > 0)
    }
}

/// Parameters of a watch.
///
/// `resource_version`: `None` or `""` first sends the current state as `Added` events
/// (a consistent read), then every change; `"0"` does the same from any state (a
/// cache's); any other value sends only the changes after that version, or `Gone` as
/// the stream's first item when that version is too old.
///
/// ```
/// use std::time::Duration;
/// use client::WatchParams;
/// let params = WatchParams::default()
///     .resource_version("42")
///     .bookmarks()
///     .timeout(Duration::from_secs(300));
/// assert!(params.allow_bookmarks);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct WatchParams {
    /// Where to start; see the type's documentation.
    pub resource_version: Option<String>,
    /// Only objects whose labels match. An object that stops (starts) matching is
    /// reported as `Deleted` (`Added`).
    pub label_selector: Option<Selector>,
    /// Only objects whose fields match, with the same transitions.
    pub field_selector: Option<FieldSelector>,
    /// Ask for periodic `Bookmark` events carrying the latest resourceVersion seen.
    pub allow_bookmarks: bool,
    /// End the stream (without error) after this long.
    pub timeout: Option<Duration>,
}

impl WatchParams {
    /// The selectors of a list, for the watch that follows it.
    pub fn from_list(list: &ListParams) -> Self {
        WatchParams {
            label_selector: list.label_selector.clone(),
            field_selector: list.field_selector.clone(),
            ..WatchParams::default()
        }
    }

    /// Starts after `resource_version`.
    #[must_use]
    pub fn resource_version(mut self, resource_version: impl Into<String>) -> Self {
        self.resource_version = Some(resource_version.into());
        self
    }

    /// Only objects whose labels match `selector`.
    #[must_use]
    pub fn labels(mut self, selector: Selector) -> Self {
        self.label_selector = Some(selector);
        self
    }

    /// Only objects whose fields match `selector`.
    #[must_use]
    pub fn fields(mut self, selector: FieldSelector) -> Self {
        self.field_selector = Some(selector);
        self
    }

    /// Asks for bookmarks.
    #[must_use]
    pub fn bookmarks(mut self) -> Self {
        self.allow_bookmarks = true;
        self
    }

    /// Ends the stream after `timeout`.
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }
}
