//! Tests (to be filled).
