//! Object decoding never panics, whatever the input: random text, and real manifests
//! with random damage (truncated, bytes replaced, type-confusing values spliced in).
//! Whatever decodes must encode and decode again to the same value.

use core_types::decode::{AnyObject, objects_from_yaml};
use proptest::prelude::*;

const SAMPLES: &[&str] = &[
    include_str!("data/kubernetes-examples/web/guestbook/frontend-deployment.yaml"),
    include_str!("data/kubernetes-examples/web/guestbook/frontend-service.yaml"),
    include_str!("data/kubernetes-examples/_archived/volumes/nfs/nfs-pv.yaml"),
];

/// Values that are the wrong type almost anywhere.
const SPLICES: &[&str] = &[
    "{}",
    "[]",
    "-1",
    "99999999999999999999",
    "1.5",
    "\"x\"",
    "null",
    "true",
    "{a: [}",
    "&a *a",
    "! !",
    "'",
];

fn check(text: &str) {
    for object in objects_from_yaml(text).into_iter().flatten() {
        let json = serde_json::to_value(&object).expect("a decoded object encodes");
        let again = AnyObject::from_value(json, 0).expect("an encoded object decodes");
        assert_eq!(again, object);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn random_text_never_panics(text in "\\PC{0,200}") {
        check(&text);
    }

    #[test]
    fn damaged_manifests_never_panic(
        sample in 0..SAMPLES.len(),
        cut in any::<prop::sample::Index>(),
        at in any::<prop::sample::Index>(),
        splice in 0..SPLICES.len(),
        truncate in any::<bool>(),
    ) {
        let src = SAMPLES[sample];
        let mut text = String::new();
        let at = at.index(src.len());
        let at = (0..=at).rev().find(|i| src.is_char_boundary(*i)).unwrap_or(0);
        text.push_str(&src[..at]);
        text.push_str(SPLICES[splice]);
        if !truncate {
            let rest = &src[at..];
            let skip = cut.index(rest.len().max(1)).min(rest.len());
            let skip = (skip..=rest.len()).find(|i| rest.is_char_boundary(*i)).unwrap_or(rest.len());
            text.push_str(&rest[skip..]);
        }
        check(&text);
    }
}
