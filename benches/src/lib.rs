//! Shared fixtures for the benches and performance harnesses.
