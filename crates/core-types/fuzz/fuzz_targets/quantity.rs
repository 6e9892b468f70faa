//! Fuzzes `Quantity` parsing: arbitrary UTF-8 must never panic the parser, and any
//! quantity that parses must print a canonical form that parses back to the same
//! amount and prints identically.
//!
//! Run with `cargo +nightly fuzz run quantity` from `crates/core-types`.

#![no_main]

use core_types::Quantity;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(quantity) = text.parse::<Quantity>() else {
        return;
    };
    let canonical = quantity.to_string();
    let reparsed: Quantity = match canonical.parse() {
        Ok(q) => q,
        Err(e) => panic!("{text:?} printed as {canonical:?}, which does not parse: {e}"),
    };
    assert_eq!(reparsed, quantity, "{text:?} printed as {canonical:?}");
    assert_eq!(reparsed.nanos(), quantity.nanos());
    // Printing is stable once the amount went through its canonical form.
    let again = reparsed.to_string();
    let settled: Quantity = match again.parse() {
        Ok(q) => q,
        Err(e) => panic!("{again:?} does not parse: {e}"),
    };
    assert_eq!(settled.to_string(), again);
});
