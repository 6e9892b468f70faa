//! The core API group, version v1 (`apiVersion: v1`).

mod affinity;
mod config;
mod container;
mod event;
mod namespace;
mod node;
mod pod;
mod pod_status;
mod pod_volume;
mod probe;
mod pv_source;
mod reference;
mod replication_controller;
mod security;
mod service;
#[cfg(test)]
mod test_support;
mod volume;
mod volume_source;

pub use affinity::*;
pub use config::*;
pub use container::*;
pub use event::*;
pub use namespace::*;
pub use node::*;
pub use pod::*;
pub use pod_status::*;
pub use pod_volume::*;
pub use probe::*;
pub use pv_source::*;
pub use reference::*;
pub use replication_controller::*;
pub use security::*;
pub use service::*;
pub use volume::*;
pub use volume_source::*;
