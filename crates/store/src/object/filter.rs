//! Which objects a list or watch returns: namespace, label and field selectors, and the
//! event a change becomes under them.

use std::borrow::Cow;

use client::{ListParams, WatchParams};
use core_types::selector::{FieldSelector, Selector};
use core_types::{DynamicObject, meta_field_value};
use serde_json::Value;

/// Fields whose absence means a known default rather than "empty" (Go writes these
/// booleans only when true).
const ABSENT_DEFAULTS: &[(&str, &str)] = &[
    ("spec.hostNetwork", "false"),
    ("spec.unschedulable", "false"),
];

/// The value of a selectable field of any object, for field selectors.
///
/// `metadata.name` and `metadata.namespace` as every kind has them; any other dotted
/// path (`spec.nodeName`, `status.phase`) is read from the object's JSON: a string as
/// is, a boolean or number as its text, a missing or null field as `""` (so
/// `spec.nodeName=` selects unscheduled pods). An object or array is not selectable
/// (`None`, which no requirement matches). Unlike a typed kind's
/// [`Resource::field_value`](core_types::Resource::field_value), any path is accepted;
/// an API server rejects unsupported fields before calling the store.
pub fn field_value<'a>(obj: &'a DynamicObject, path: &str) -> Option<Cow<'a, str>> {
    if let Some(v) = meta_field_value(&obj.metadata, path) {
        return Some(v);
    }
    let mut segments = path.split('.');
    let first = segments.next()?;
    if first == "metadata" || first.is_empty() {
        return None;
    }
    let mut current = obj.data.get(first);
    for segment in segments {
        current = current.and_then(|v| v.get(segment));
    }
    match current {
        None | Some(Value::Null) => Some(Cow::Borrowed(
            ABSENT_DEFAULTS
                .iter()
                .find(|(field, _)| *field == path)
                .map_or("", |(_, default)| default),
        )),
        Some(Value::String(s)) => Some(Cow::Borrowed(s)),
        Some(Value::Bool(b)) => Some(Cow::Borrowed(if *b { "true" } else { "false" })),
        Some(Value::Number(n)) => Some(Cow::Owned(n.to_string())),
        Some(Value::Array(_) | Value::Object(_)) => None,
    }
}

/// What a change looks like through a filter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Change {
    /// The object is new to the watcher: send the current state as `Added`.
    Added,
    /// The object changed and still matches: `Modified` with the current state.
    Modified,
    /// The object is gone for the watcher: `Deleted` with the previous state.
    Deleted,
}

/// A namespace and selectors, compiled once per list or watch.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ObjectFilter {
    namespace: Option<String>,
    labels: Option<Selector>,
    fields: Option<FieldSelector>,
}

impl ObjectFilter {
    /// Objects in `namespace` (`None`: every one) matching the selectors.
    pub fn new(
        namespace: Option<&str>,
        labels: Option<&Selector>,
        fields: Option<&FieldSelector>,
    ) -> Self {
        ObjectFilter {
            namespace: namespace.filter(|ns| !ns.is_empty()).map(str::to_owned),
            labels: labels.filter(|s| !s.is_empty()).cloned(),
            fields: fields.filter(|s| !s.is_empty()).cloned(),
        }
    }

    /// The filter of a list.
    pub fn for_list(namespace: Option<&str>, params: &ListParams) -> Self {
        Self::new(
            namespace,
            params.label_selector.as_ref(),
            params.field_selector.as_ref(),
        )
    }

    /// The filter of a watch.
    pub fn for_watch(namespace: Option<&str>, params: &WatchParams) -> Self {
        Self::new(
            namespace,
            params.label_selector.as_ref(),
            params.field_selector.as_ref(),
        )
    }

    /// True if the filter has label or field selectors (beyond the namespace).
    pub fn has_selectors(&self) -> bool {
        self.labels.is_some() || self.fields.is_some()
    }

    /// The namespace the filter is limited to.
    pub fn namespace(&self) -> Option<&str> {
        self.namespace.as_deref()
    }

    /// True if the object is in the namespace and matches the selectors.
    pub fn matches(&self, obj: &DynamicObject) -> bool {
        self.namespace
            .as_deref()
            .is_none_or(|ns| obj.metadata.namespace == ns)
            && self
                .labels
                .as_ref()
                .is_none_or(|s| s.matches(&obj.metadata.labels))
            && self
                .fields
                .as_ref()
                .is_none_or(|s| s.matches_with(|f| field_value(obj, f)))
    }

    /// What a change from `previous` to `current` (`None`: absent) is for a watcher
    /// with this filter; `None` if it does not see it.
    pub(crate) fn classify(
        &self,
        previous: Option<&DynamicObject>,
        current: Option<&DynamicObject>,
    ) -> Option<Change> {
        let was = previous.is_some_and(|o| self.matches(o));
        let is = current.is_some_and(|o| self.matches(o));
        match (was, is) {
            (false, true) => Some(Change::Added),
            (true, true) => Some(Change::Modified),
            (true, false) => Some(Change::Deleted),
            (false, false) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn pod(ns: &str, node: Option<&str>, app: &str) -> DynamicObject {
        let mut obj: DynamicObject = serde_json::from_value(json!({
            "apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": "p", "namespace": ns, "labels": {"app": app}},
            "spec": {"priority": 5, "hostNetwork": true},
            "status": {"phase": "Running", "conditions": []},
        }))
        .unwrap();
        if let Some(node) = node {
            obj.data["spec"]["nodeName"] = json!(node);
        }
        obj
    }

    #[test]
    fn field_values_from_json() {
        let p = pod("ns", None, "web");
        assert_eq!(field_value(&p, "metadata.name").as_deref(), Some("p"));
        assert_eq!(field_value(&p, "metadata.namespace").as_deref(), Some("ns"));
        assert_eq!(field_value(&p, "spec.nodeName").as_deref(), Some(""));
        assert_eq!(field_value(&p, "status.phase").as_deref(), Some("Running"));
        assert_eq!(field_value(&p, "spec.priority").as_deref(), Some("5"));
        assert_eq!(field_value(&p, "spec.hostNetwork").as_deref(), Some("true"));
        assert_eq!(field_value(&p, "status.conditions"), None);
        assert_eq!(field_value(&p, "metadata.uid"), None);
        let mut plain = p.clone();
        plain.data["spec"] = json!({});
        assert_eq!(
            field_value(&plain, "spec.hostNetwork").as_deref(),
            Some("false")
        );
    }

    #[test]
    fn filters_and_transitions() {
        let labels: Selector = "app=web".parse().unwrap();
        let fields = FieldSelector::parse("spec.nodeName=n1").unwrap();
        let filter = ObjectFilter::new(Some("ns"), Some(&labels), Some(&fields));
        assert!(filter.has_selectors());
        assert!(filter.matches(&pod("ns", Some("n1"), "web")));
        assert!(!filter.matches(&pod("other", Some("n1"), "web")));
        assert!(!filter.matches(&pod("ns", Some("n2"), "web")));
        assert!(!filter.matches(&pod("ns", Some("n1"), "db")));

        let unbound = pod("ns", None, "web");
        let bound = pod("ns", Some("n1"), "web");
        assert_eq!(filter.classify(None, Some(&bound)), Some(Change::Added));
        assert_eq!(
            filter.classify(Some(&unbound), Some(&bound)),
            Some(Change::Added)
        );
        assert_eq!(
            filter.classify(Some(&bound), Some(&bound)),
            Some(Change::Modified)
        );
        assert_eq!(
            filter.classify(Some(&bound), Some(&unbound)),
            Some(Change::Deleted)
        );
        assert_eq!(filter.classify(Some(&bound), None), Some(Change::Deleted));
        assert_eq!(filter.classify(Some(&unbound), None), None);
        let everything = ObjectFilter::new(None, Some(&Selector::everything()), None);
        assert!(!everything.has_selectors());
        assert!(everything.matches(&unbound));
    }
}
