//! Shared fixtures for the benches and performance harnesses.

pub mod stats;
