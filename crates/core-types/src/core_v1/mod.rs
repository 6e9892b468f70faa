//! The core API group, version v1 (`apiVersion: v1`).

mod config;
mod event;
mod namespace;
mod node;
mod pod;
mod reference;
mod replication_controller;
mod service;
mod volume;

pub use config::*;
pub use event::*;
pub use namespace::*;
pub use node::*;
pub use pod::*;
pub use reference::*;
pub use replication_controller::*;
pub use service::*;
pub use volume::*;
