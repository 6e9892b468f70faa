//! Object decoding never panics: arbitrary text as a YAML stream and as JSON.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        for object in core_types::decode::objects_from_yaml(text).into_iter().flatten() {
            // Whatever decodes must encode and decode again.
            let json = serde_json::to_value(&object).expect("encode a decoded object");
            core_types::decode::AnyObject::from_value(json, 0).expect("re-decode");
        }
    }
    if let Ok(value) = serde_json::from_slice::<serde_json::Value>(data) {
        let _ = core_types::decode::AnyObject::from_value(value, 0);
    }
});
