//! The `apps/v1` API group: workload controllers' kinds.

mod controller_revision;
mod daemon_set;
mod deployment;
mod embedded;
mod replica_set;
mod stateful_set;

#[cfg(test)]
pub(crate) mod test_support;

pub use controller_revision::*;
pub use daemon_set::*;
pub use deployment::*;
pub use replica_set::*;
pub use stateful_set::*;
