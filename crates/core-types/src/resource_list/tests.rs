use std::collections::BTreeMap;

use proptest::prelude::*;

use super::*;

fn q(s: &str) -> Quantity {
    s.parse().unwrap()
}

#[test]
fn decodes_sorted_and_unsorted_documents_alike() {
    let sorted: ResourceList =
        serde_json::from_str(r#"{"cpu":"1","example.com/gpu":"2","memory":"1Gi"}"#).unwrap();
    let unsorted: ResourceList =
        serde_json::from_str(r#"{"memory":"1Gi","example.com/gpu":"2","cpu":"1"}"#).unwrap();
    assert_eq!(sorted, unsorted);
    assert_eq!(
        sorted.keys().collect::<Vec<_>>(),
        ["cpu", "example.com/gpu", "memory"]
    );
    assert_eq!(sorted["memory"], q("1Gi"));
}

#[test]
fn a_repeated_name_keeps_the_last_amount() {
    let list: ResourceList =
        serde_json::from_str(r#"{"memory":"1","cpu":"2","memory":"3"}"#).unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(list["memory"], q("3"));
}

#[test]
fn bad_amounts_and_shapes_are_errors() {
    let err = serde_json::from_str::<ResourceList>(r#"{"cpu":"lots"}"#).unwrap_err();
    assert!(err.to_string().contains("quantity"), "{err}");
    assert!(serde_json::from_str::<ResourceList>(r#"["cpu"]"#).is_err());
    // Kubernetes reads a null amount as zero.
    let null: ResourceList = serde_json::from_str(r#"{"cpu":null}"#).unwrap();
    assert_eq!(null["cpu"], q("0"));
    let yaml = serde_yaml_ng::from_str::<ResourceList>("cpu: 500m\nmemory: 1Gi").unwrap();
    assert_eq!(yaml["cpu"].milli_value(), 500);
}

#[test]
fn edits_keep_the_order() {
    let mut list = ResourceList::from([("memory", q("1Gi")), ("cpu", q("1"))]);
    assert_eq!(list.insert("cpu", q("2")), Some(q("1")));
    assert_eq!(list.insert("a/b", q("3")), None);
    assert_eq!(list.keys().collect::<Vec<_>>(), ["a/b", "cpu", "memory"]);
    *list.get_mut("memory").unwrap() += q("1Gi");
    assert_eq!(list["memory"].to_string(), "2Gi");
    assert_eq!(list.remove("a/b"), Some(q("3")));
    assert_eq!(list.remove("a/b"), None);
    list.retain(|name, _| name != "cpu");
    assert!(
        format!("{list:?}").starts_with(r#"{"memory": Quantity"#),
        "{list:?}"
    );
    assert!(!list.contains_key("cpu"));
}

#[test]
#[should_panic(expected = "resource \"gpu\" is not in the list")]
fn indexing_a_missing_name_panics_like_a_map() {
    let _ = ResourceList::new()["gpu"];
}

fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("cpu".to_string()),
        Just("memory".to_string()),
        Just("pods".to_string()),
        Just("storage".to_string()),
        Just("ephemeral-storage".to_string()),
        "[a-z]{1,3}(\\.io/[a-z]{1,3})?",
    ]
}

fn amount() -> impl Strategy<Value = Quantity> {
    (0i64..1_000_000).prop_map(Quantity::from_milli)
}

/// A JSON object with `entries` in the given order, repeats included.
fn object(entries: &[(String, Quantity)]) -> String {
    let fields: Vec<String> = entries
        .iter()
        .map(|(n, q)| {
            format!(
                "{}:{}",
                serde_json::to_string(n).unwrap(),
                serde_json::to_string(q).unwrap()
            )
        })
        .collect();
    format!("{{{}}}", fields.join(","))
}

#[test]
fn reversed_names_decode_in_order() {
    let entries: Vec<(String, Quantity)> = (0..5000)
        .rev()
        .map(|i| (format!("example.com/r{i:05}"), Quantity::from_milli(i)))
        .collect();
    let list: ResourceList = serde_json::from_str(&object(&entries)).unwrap();
    assert_eq!(list.len(), 5000);
    assert!(list.keys().is_sorted());
    assert_eq!(list["example.com/r00042"], Quantity::from_milli(42));
}

proptest! {
    /// Any document, in any order and with repeated names, decodes as a `BTreeMap`
    /// filled in document order would hold it; extending does the same.
    #[test]
    fn decodes_and_extends_as_a_map_filled_in_order(
        first in prop::collection::vec((name(), amount()), 0..20),
        more in prop::collection::vec((name(), amount()), 0..20),
    ) {
        let mut model: BTreeMap<String, Quantity> = first.iter().cloned().collect();
        let mut list: ResourceList = serde_json::from_str(&object(&first)).unwrap();
        prop_assert!(list.iter().map(|(n, q)| (n.to_string(), *q)).eq(model.clone()));
        model.extend(more.iter().cloned());
        list.extend(more.iter().map(|(n, q)| (n.as_str(), *q)));
        prop_assert!(list.iter().map(|(n, q)| (n.to_string(), *q)).eq(model));
    }


    /// Against a `BTreeMap` model: the same answers after any edits, and the same
    /// wire form both ways.
    #[test]
    fn behaves_as_a_sorted_map(
        ops in prop::collection::vec((0u8..3, name(), amount()), 0..40)
    ) {
        let mut list = ResourceList::new();
        let mut model = BTreeMap::new();
        for (op, name, amount) in ops {
            match op {
                0 => prop_assert_eq!(list.insert(&name, amount), model.insert(name, amount)),
                1 => prop_assert_eq!(list.remove(&name), model.remove(&name)),
                _ => prop_assert_eq!(list.get(&name), model.get(&name)),
            }
        }
        prop_assert!(list.iter().map(|(n, q)| (n.to_string(), *q)).eq(model.clone()));
        let json = serde_json::to_string(&list).unwrap();
        prop_assert_eq!(&json, &serde_json::to_string(&model).unwrap());
        let back: ResourceList = serde_json::from_str(&json).unwrap();
        prop_assert_eq!(back, list);
    }
}
