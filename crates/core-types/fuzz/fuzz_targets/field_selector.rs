//! Field selector parsing: never panics, and whatever parses prints to a string that
//! parses back to the same selector.

#![no_main]

use core_types::selector::FieldSelector;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(input) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(selector) = FieldSelector::parse(input) {
        let text = selector.to_string();
        let reparsed = FieldSelector::parse(&text);
        assert_eq!(reparsed.as_ref(), Ok(&selector), "{input:?} printed as {text:?}");
        if let Ok(reparsed) = reparsed {
            assert_eq!(reparsed.to_string(), text);
        }
    }
});
