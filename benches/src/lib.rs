//! Shared fixtures for the benches and performance harnesses.

pub mod child;
pub mod stats;
