//! Unit tests of the crate: parameter builders, error mapping, typed conversions
//! through a small fake [`Client`].

mod api;
mod errors;
mod fake;
mod params;
