//! Property tests for label and field selectors: printing and parsing agree, matching
//! agrees with a naive model, and no input makes the parsers panic.

#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;

use core_types::selector::{
    FieldOperator, FieldRequirement, FieldSelector, LabelSelector, LabelSelectorRequirement,
    Operator, Requirement, Selector,
};
use proptest::prelude::*;

/// The model's own operator type, independent of the crate's.
#[derive(Clone, Copy, Debug)]
enum Op {
    Eq,
    Ne,
    In,
    NotIn,
    Exists,
    Absent,
    Gt,
    Lt,
}

type ModelRequirement = (String, Op, Vec<String>);

/// A naive evaluator of Kubernetes label selector semantics.
fn model_matches(requirements: &[ModelRequirement], labels: &BTreeMap<String, String>) -> bool {
    requirements.iter().all(|(key, op, values)| {
        let label = labels.get(key);
        let listed = label.is_some_and(|l| values.iter().any(|v| v == l));
        let compare = |ord: std::cmp::Ordering| match label.map(|l| l.parse::<i64>()) {
            Some(Ok(l)) => {
                values.len() == 1 && values[0].parse::<i64>().is_ok_and(|v| l.cmp(&v) == ord)
            }
            _ => false,
        };
        match op {
            Op::Eq | Op::In => listed,
            Op::Ne | Op::NotIn => !listed,
            Op::Exists => label.is_some(),
            Op::Absent => label.is_none(),
            Op::Gt => compare(std::cmp::Ordering::Greater),
            Op::Lt => compare(std::cmp::Ordering::Less),
        }
    })
}

fn to_operator(op: Op) -> Operator {
    match op {
        Op::Eq => Operator::Equals,
        Op::Ne => Operator::NotEquals,
        Op::In => Operator::In,
        Op::NotIn => Operator::NotIn,
        Op::Exists => Operator::Exists,
        Op::Absent => Operator::DoesNotExist,
        Op::Gt => Operator::GreaterThan,
        Op::Lt => Operator::LessThan,
    }
}

fn any_op() -> impl Strategy<Value = Op> {
    prop_oneof![
        Just(Op::Eq),
        Just(Op::Ne),
        Just(Op::In),
        Just(Op::NotIn),
        Just(Op::Exists),
        Just(Op::Absent),
        Just(Op::Gt),
        Just(Op::Lt),
    ]
}

/// Valid keys of every shape, including the words the parser also uses as keywords.
fn wide_key() -> BoxedStrategy<String> {
    prop_oneof![
        "([a-z0-9]([-a-z0-9]{0,4}[a-z0-9])?(\\.[a-z0-9]{1,4}){0,2}/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,6}[A-Za-z0-9])?",
        prop::sample::select(vec!["in", "notin", "gt", "lt"]).prop_map(String::from),
    ]
    .boxed()
}

fn wide_value() -> BoxedStrategy<String> {
    prop_oneof![
        "([A-Za-z0-9]([-A-Za-z0-9_.]{0,6}[A-Za-z0-9])?)?",
        prop::sample::select(vec!["in", "notin", "gt", "lt", ""]).prop_map(String::from),
    ]
    .boxed()
}

/// Keys and values from a small alphabet, so that requirements often hit.
fn small_key() -> BoxedStrategy<String> {
    prop::sample::select(vec!["a", "b", "c", "x.io/d"])
        .prop_map(String::from)
        .boxed()
}

fn small_value() -> BoxedStrategy<String> {
    prop::sample::select(vec!["", "x", "y", "0", "1", "2", "10", "007"])
        .prop_map(String::from)
        .boxed()
}

fn int_value() -> BoxedStrategy<String> {
    prop::sample::select(vec!["0", "1", "2", "10", "007", "9223372036854775807"])
        .prop_map(String::from)
        .boxed()
}

/// A valid requirement in model form: the number (and kind) of values suits the operator.
fn requirement(
    key: BoxedStrategy<String>,
    value: BoxedStrategy<String>,
) -> impl Strategy<Value = ModelRequirement> {
    (key, any_op()).prop_flat_map(move |(key, op)| {
        let values = match op {
            Op::Eq | Op::Ne => prop::collection::vec(value.clone(), 1..=1).boxed(),
            Op::In | Op::NotIn => prop::collection::vec(value.clone(), 1..4).boxed(),
            Op::Exists | Op::Absent => Just(Vec::new()).boxed(),
            Op::Gt | Op::Lt => prop::collection::vec(int_value(), 1..=1).boxed(),
        };
        (Just(key), Just(op), values)
    })
}

fn compile(requirements: &[ModelRequirement]) -> Selector {
    requirements
        .iter()
        .map(|(k, op, vs)| {
            Requirement::new(k.as_str(), to_operator(*op), vs.iter().map(String::as_str))
        })
        .collect::<Result<Selector, _>>()
        .unwrap()
}

/// Label maps over the small alphabet, with some values that are not integers.
fn label_map() -> impl Strategy<Value = BTreeMap<String, String>> {
    let value = prop_oneof![
        small_value(),
        prop::sample::select(vec!["-3", "+4", " 5", "abc", "99999999999999999999"])
            .prop_map(String::from),
    ];
    prop::collection::btree_map(small_key(), value, 0..5)
}

/// Strings made of selector tokens and stray characters, so parsing gets deep.
fn selector_like() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        prop::sample::select(vec![
            "a", "b", "x.io/k", "=", "==", "!=", "!", ",", "(", ")", " in ", " notin ", " gt ",
            " lt ", "in", "1", " ", "\t", "\\", "\\,", "\\=", ">", "<", "é", "🙂", "",
        ])
        .prop_map(String::from),
        any::<char>().prop_map(String::from),
    ];
    prop::collection::vec(piece, 0..16).prop_map(|pieces| pieces.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn label_selector_round_trips(reqs in prop::collection::vec(requirement(wide_key(), wide_value()), 0..6)) {
        let selector = compile(&reqs);
        let text = selector.to_string();
        let reparsed = Selector::parse(&text);
        prop_assert_eq!(reparsed.as_ref(), Ok(&selector), "text: {:?}", text);
        prop_assert_eq!(reparsed.map(|s| s.to_string()), Ok(text));
    }

    #[test]
    fn label_matching_agrees_with_model(
        reqs in prop::collection::vec(requirement(small_key(), small_value()), 0..4),
        labels in label_map(),
    ) {
        let selector = compile(&reqs);
        prop_assert_eq!(selector.matches(&labels), model_matches(&reqs, &labels), "selector: {}", selector);
        // The string form means the same thing.
        let reparsed = Selector::parse(&selector.to_string()).unwrap();
        prop_assert_eq!(reparsed.matches(&labels), model_matches(&reqs, &labels));
    }

    #[test]
    fn wire_selector_agrees_with_model(
        match_labels in prop::collection::btree_map(small_key(), small_value(), 0..3),
        exprs in prop::collection::vec(
            (small_key(), 0..4usize, prop::collection::vec(small_value(), 1..3)),
            0..3,
        ),
        labels in label_map(),
    ) {
        let mut model: Vec<ModelRequirement> =
            match_labels.iter().map(|(k, v)| (k.clone(), Op::Eq, vec![v.clone()])).collect();
        let mut wire = LabelSelector { match_labels, match_expressions: Vec::new() };
        for (key, which, values) in exprs {
            let (name, op, values) = match which {
                0 => ("In", Op::In, values),
                1 => ("NotIn", Op::NotIn, values),
                2 => ("Exists", Op::Exists, Vec::new()),
                _ => ("DoesNotExist", Op::Absent, Vec::new()),
            };
            model.push((key.clone(), op, values.clone()));
            wire.match_expressions.push(LabelSelectorRequirement {
                key,
                operator: name.to_owned(),
                values,
            });
        }
        prop_assert_eq!(wire.matches(&labels), Ok(model_matches(&model, &labels)));
    }

    #[test]
    fn label_parse_never_panics(input in prop_oneof![any::<String>(), selector_like()]) {
        if let Ok(selector) = Selector::parse(&input) {
            let text = selector.to_string();
            prop_assert_eq!(Selector::parse(&text), Ok(selector), "from {:?} via {:?}", input, text);
        }
    }

    #[test]
    fn field_parse_never_panics(input in prop_oneof![any::<String>(), selector_like()]) {
        if let Ok(selector) = FieldSelector::parse(&input) {
            let text = selector.to_string();
            prop_assert_eq!(FieldSelector::parse(&text), Ok(selector), "from {:?} via {:?}", input, text);
        }
    }

    #[test]
    fn field_selector_round_trips(
        reqs in prop::collection::vec(
            (
                "[a-z]{1,6}(\\.[a-zA-Z]{1,6}){0,2}",
                any::<bool>(),
                prop_oneof![any::<String>(), "[a\\\\,=! ]{0,8}"],
            ),
            0..5,
        ),
    ) {
        let selector: FieldSelector = reqs
            .iter()
            .map(|(field, equals, value)| {
                let op = if *equals { FieldOperator::Equals } else { FieldOperator::NotEquals };
                FieldRequirement::new(field.as_str(), op, value.as_str()).unwrap()
            })
            .collect();
        let text = selector.to_string();
        prop_assert_eq!(FieldSelector::parse(&text), Ok(selector.clone()), "text: {:?}", text);
        let mut values: Vec<&str> = reqs.iter().map(|(_, _, v)| v.as_str()).collect();
        let mut parsed: Vec<&str> = selector.requirements().iter().map(FieldRequirement::value).collect();
        values.sort_unstable();
        parsed.sort_unstable();
        prop_assert_eq!(values, parsed);
    }
}
