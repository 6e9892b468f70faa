//! List: selectors, namespaces, paging, resourceVersion semantics, compaction.

use client::{Api, ListParams, PostParams, ResourceVersionMatch};
use core_types::core_v1::Pod;

use super::{Subject, config_map, names, pod};

pub async fn selectors_and_namespaces(s: &Subject) {
    let post = PostParams::default();
    for (ns, name, app, node) in [
        ("a", "p1", "web", "n1"),
        ("a", "p2", "web", ""),
        ("a", "p3", "db", "n1"),
        ("b", "p4", "web", "n2"),
    ] {
        let mut p = pod(name, &[("app", app)]);
        p.spec.node_name = node.into();
        s.pods(ns).create(&post, &p).await.unwrap();
    }
    let all = Api::<Pod>::all(s.client.clone());
    let list = |api: Api<Pod>, params: ListParams| async move {
        names(&api.list(&params).await.unwrap().items)
    };

    assert_eq!(
        list(all.clone(), ListParams::default()).await,
        ["p1", "p2", "p3", "p4"]
    );
    assert_eq!(
        list(s.pods("a"), ListParams::default()).await,
        ["p1", "p2", "p3"]
    );
    assert_eq!(
        list(s.pods("c"), ListParams::default()).await,
        Vec::<String>::new()
    );
    let web = ListParams::default().labels("app=web".parse().unwrap());
    assert_eq!(list(all.clone(), web.clone()).await, ["p1", "p2", "p4"]);
    assert_eq!(list(s.pods("a"), web.clone()).await, ["p1", "p2"]);
    let on_n1 = ListParams::default().fields("spec.nodeName=n1".parse().unwrap());
    assert_eq!(list(all.clone(), on_n1).await, ["p1", "p3"]);
    let unscheduled = ListParams::default().fields("spec.nodeName=".parse().unwrap());
    assert_eq!(list(all.clone(), unscheduled).await, ["p2"]);
    let both = web.fields("spec.nodeName!=n1,metadata.namespace=b".parse().unwrap());
    assert_eq!(list(all.clone(), both).await, ["p4"]);
    let by_name = ListParams::default().fields("metadata.name=p3".parse().unwrap());
    assert_eq!(list(all.clone(), by_name).await, ["p3"]);
    // Any resourceVersion ("0", possibly from a cache) gives the same answers.
    let any = ListParams::default()
        .any_version()
        .labels("app in (db)".parse().unwrap());
    assert_eq!(list(all.clone(), any).await, ["p3"]);
    assert_eq!(
        list(s.pods("b"), ListParams::default().any_version()).await,
        ["p4"]
    );
}

pub async fn limit_and_continue_cover_everything_once(s: &Subject) {
    let api = s.config_maps("ns");
    let post = PostParams::default();
    let mut expected = Vec::new();
    for i in 0..23 {
        let name = format!("cm-{i:02}");
        let mut cm = config_map(&name, "k", "v");
        if i % 3 == 0 {
            cm.metadata.labels.insert("third".into(), "yes".into());
        }
        api.create(&post, &cm).await.unwrap();
        expected.push(name);
    }
    s.config_maps("other")
        .create(&post, &config_map("elsewhere", "k", "v"))
        .await
        .unwrap();

    let mut late = Vec::new();
    for (limit, selector) in [
        (5, None),
        (1, None),
        (23, None),
        (100, None),
        (4, Some("third=yes")),
    ] {
        let visible = expected.len() + late.len();
        let mut params = ListParams::default().limit(limit);
        if let Some(sel) = selector {
            params = params.labels(sel.parse().unwrap());
        }
        let mut seen = Vec::new();
        let mut pages = 0;
        let first = api.list(&params).await.unwrap();
        let revision = first.resource_version().to_owned();
        let mut page = first;
        loop {
            pages += 1;
            assert!(page.items.len() <= limit as usize);
            assert_eq!(
                page.resource_version(),
                revision,
                "every page at the first page's revision"
            );
            seen.extend(names(&page.items));
            if selector.is_none() && page.continue_token().is_some() {
                let left = page.metadata.remaining_item_count.unwrap();
                assert_eq!(left as usize, visible - seen.len());
            }
            let Some(token) = page.continue_token().map(str::to_owned) else {
                break;
            };
            // Writes between pages do not show: the pages read the first page's revision.
            let name = format!("late-{limit:03}-{pages:02}");
            api.create(&post, &config_map(&name, "k", "v"))
                .await
                .unwrap();
            late.push(name);
            page = api
                .list(&params.clone().continue_token(token))
                .await
                .unwrap();
        }
        let want: Vec<_> = match selector {
            None => {
                let mut all: Vec<_> = expected
                    .iter()
                    .chain(&late)
                    .take(visible)
                    .cloned()
                    .collect();
                all.sort();
                all
            }
            Some(_) => expected.iter().step_by(3).cloned().collect(),
        };
        assert_eq!(seen, want, "limit {limit}, selector {selector:?}");
    }
    assert_eq!(
        api.list(&ListParams::default().continue_token("garbage"))
            .await
            .unwrap_err()
            .code(),
        400
    );
    let token = api
        .list(&ListParams::default().limit(1))
        .await
        .unwrap()
        .metadata
        .continue_token;
    let e = api
        .list(
            &ListParams::default()
                .limit(1)
                .continue_token(token)
                .resource_version("5"),
        )
        .await
        .unwrap_err();
    assert_eq!(e.code(), 400);
}

pub async fn resource_version_semantics(s: &Subject) {
    let api = s.config_maps("default");
    let post = PostParams::default();
    let a = api.create(&post, &config_map("a", "k", "1")).await.unwrap();
    let mut a2 = a.clone();
    a2.data.insert("k".into(), "2".into());
    api.replace("a", &post, &a2).await.unwrap();
    api.create(&post, &config_map("b", "k", "1")).await.unwrap();
    let current = s.revision().await;

    // Exact: the state at that revision.
    let past = api
        .list(&ListParams::default().exact(&a.metadata.resource_version))
        .await
        .unwrap();
    assert_eq!(past.resource_version(), a.metadata.resource_version);
    assert_eq!(names(&past.items), ["a"]);
    assert_eq!(past.items[0].data["k"], "1");
    // A limit with a resourceVersion and no match rule reads exactly too.
    let legacy = api
        .list(
            &ListParams::default()
                .resource_version(&a.metadata.resource_version)
                .limit(10),
        )
        .await
        .unwrap();
    assert_eq!(names(&legacy.items), ["a"]);

    // NotOlderThan (and the default without limit): the latest state.
    let latest = api
        .list(
            &ListParams::default()
                .resource_version(&a.metadata.resource_version)
                .resource_version_match(ResourceVersionMatch::NotOlderThan),
        )
        .await
        .unwrap();
    assert_eq!(names(&latest.items), ["a", "b"]);
    assert_eq!(latest.resource_version(), current.to_string());
    let e = api
        .list(&ListParams::default().resource_version((current + 100).to_string()))
        .await
        .unwrap_err();
    assert_eq!(e.code(), 504, "{e}");
    let e = api
        .list(&ListParams::default().exact((current + 100).to_string()))
        .await
        .unwrap_err();
    assert_eq!(e.code(), 504, "{e}");
    assert_eq!(
        api.list(&ListParams::default().resource_version("x"))
            .await
            .unwrap_err()
            .code(),
        400
    );

    // "" is the latest state.
    let fresh = api.list(&ListParams::default()).await.unwrap();
    assert_eq!(fresh.resource_version(), current.to_string());
    assert_eq!(fresh.items[0].data["k"], "2");
}

pub async fn compacted_revisions_are_gone(s: &Subject) {
    let api = s.config_maps("default");
    let post = PostParams::default();
    let first = api.create(&post, &config_map("a", "k", "v")).await.unwrap();
    for i in 0..4 {
        api.create(&post, &config_map(&format!("b{i}"), "k", "v"))
            .await
            .unwrap();
    }
    let token = api
        .list(&ListParams::default().limit(2))
        .await
        .unwrap()
        .metadata
        .continue_token;
    api.create(&post, &config_map("c", "k", "v")).await.unwrap();
    s.kv.compact(s.revision().await).await.unwrap();

    let e = api
        .list(&ListParams::default().exact(&first.metadata.resource_version))
        .await
        .unwrap_err();
    assert!(e.is_gone(), "{e:?}");
    assert_eq!(e.code(), 410);
    let e = api
        .list(&ListParams::default().continue_token(token))
        .await
        .unwrap_err();
    assert!(e.is_gone(), "{e:?}");
    assert!(
        e.to_string().contains("continue parameter is too old"),
        "{e}"
    );
    // The latest state is still there.
    assert_eq!(
        api.list(&ListParams::default()).await.unwrap().items.len(),
        6
    );
}
