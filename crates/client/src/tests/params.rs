//! Parameter builders.

use std::time::Duration;

use core_types::selector::{FieldSelector, Selector};
use serde_json::json;

use crate::{
    DeleteParams, ListParams, Patch, PatchParams, PostParams, Preconditions, PropagationPolicy,
    ResourceVersionMatch, WatchParams,
};

#[test]
fn list_params_build_up() {
    let labels: Selector = "app=web,tier in (front)".parse().unwrap();
    let fields = FieldSelector::parse("spec.nodeName=n1").unwrap();
    let params = ListParams::default()
        .labels(labels.clone())
        .fields(fields.clone())
        .limit(10)
        .continue_token("abc")
        .resource_version("42")
        .resource_version_match(ResourceVersionMatch::NotOlderThan);
    assert_eq!(params.label_selector, Some(labels));
    assert_eq!(params.field_selector, Some(fields));
    assert_eq!(params.limit, Some(10));
    assert_eq!(params.effective_limit(), Some(10));
    assert_eq!(params.continue_token.as_deref(), Some("abc"));
    assert_eq!(params.resource_version.as_deref(), Some("42"));
    assert_eq!(
        params.resource_version_match,
        Some(ResourceVersionMatch::NotOlderThan)
    );

    let exact = ListParams::default().exact("7");
    assert_eq!(exact.resource_version.as_deref(), Some("7"));
    assert_eq!(
        exact.resource_version_match,
        Some(ResourceVersionMatch::Exact)
    );
    assert_eq!(ResourceVersionMatch::Exact.as_str(), "Exact");
    let any = ListParams::default().any_version().limit(0);
    assert_eq!(any.resource_version.as_deref(), Some("0"));
    assert_eq!(any.effective_limit(), None);
    assert_eq!(ListParams::default(), ListParams::default().clone());
}

#[test]
fn watch_params_build_up_and_inherit_list_selectors() {
    let list = ListParams::default()
        .labels("app=web".parse().unwrap())
        .fields("metadata.name=a".parse().unwrap())
        .limit(5);
    let watch = WatchParams::from_list(&list)
        .resource_version("9")
        .bookmarks()
        .timeout(Duration::from_secs(30));
    assert_eq!(watch.label_selector, list.label_selector);
    assert_eq!(watch.field_selector, list.field_selector);
    assert_eq!(watch.resource_version.as_deref(), Some("9"));
    assert!(watch.allow_bookmarks);
    assert_eq!(watch.timeout, Some(Duration::from_secs(30)));
    let plain = WatchParams::default()
        .labels("a=b".parse().unwrap())
        .fields("c=d".parse().unwrap());
    assert!(!plain.allow_bookmarks && plain.resource_version.is_none());
}

#[test]
fn write_params_build_up() {
    let post = PostParams::default().dry_run().field_manager("me");
    assert!(post.dry_run);
    assert_eq!(post.field_manager.as_deref(), Some("me"));
    let patch = PatchParams::default().dry_run().field_manager("you");
    assert!(patch.dry_run);
    assert_eq!(patch.field_manager.as_deref(), Some("you"));

    let delete = DeleteParams::orphan()
        .grace_period(30)
        .uid("u-1")
        .resource_version("12")
        .dry_run();
    assert_eq!(delete.propagation_policy, Some(PropagationPolicy::Orphan));
    assert_eq!(delete.grace_period_seconds, Some(30));
    assert!(delete.dry_run);
    let expected = Preconditions {
        uid: Some("u-1".into()),
        resource_version: Some("12".into()),
    };
    assert_eq!(delete.preconditions, Some(expected));
    assert_eq!(
        DeleteParams::background()
            .propagation_policy
            .map(|p| p.as_str()),
        Some("Background")
    );
    assert_eq!(PropagationPolicy::Foreground.as_str(), "Foreground");
    assert_eq!(DeleteParams::default().propagation_policy, None);
}

#[test]
fn patch_kinds_name_their_content_type() {
    let merge = Patch::Merge(json!({"spec": {"replicas": 3}}));
    let json_patch = Patch::Json(json!([{"op": "remove", "path": "/spec/replicas"}]));
    assert_eq!(merge.content_type(), "application/merge-patch+json");
    assert_eq!(json_patch.content_type(), "application/json-patch+json");
    assert_eq!(merge.document()["spec"]["replicas"], 3);
    assert!(json_patch.document().is_array());
    let strategic = Patch::Strategic(json!({"metadata": {"labels": {"a": "b"}}}));
    assert_eq!(
        strategic.content_type(),
        "application/strategic-merge-patch+json"
    );
    assert_eq!(strategic.document()["metadata"]["labels"]["a"], "b");
}
