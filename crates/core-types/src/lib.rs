//! The resource model: Kubernetes-compatible API objects as plain Rust data.
//!
//! Every type here serializes to the Kubernetes wire shape (camelCase names, empty
//! fields left out), so real manifests and real clients work unchanged. The crate is
//! plain data and pure functions: it has no async runtime and depends on no other crate
//! of the workspace; every other crate depends on it.
//!
//! - [`ObjectMeta`], [`TypeMeta`], [`OwnerReference`], [`Time`], [`IntOrString`],
//!   [`Quantity`] and [`ResourceList`]: the building blocks.
//! - [`Resource`]: what every kind implements (group, version, kind, plural, scope,
//!   metadata); [`DynamicObject`] for kinds the framework does not model.
//! - The built-in kinds, one module per API group and version ([`core_v1`],
//!   [`apps_v1`], ...).
//! - [`selector`]: label and field selectors; [`validation`] and [`defaults`].
//! - [`decode`]: JSON and multi-document YAML with errors that say where.
//!
//! ```
//! use core_types::decode::{objects_from_yaml, AnyObject};
//!
//! let yaml = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: app\n    image: nginx\n";
//! let objects = objects_from_yaml(yaml);
//! let Ok(AnyObject::Pod(pod)) = &objects[0] else { panic!("not a pod") };
//! assert_eq!(pod.metadata.name, "web");
//! ```

pub mod apps_v1;
pub mod autoscaling_v2;
pub mod batch_v1;
pub mod coordination_v1;
pub mod core_v1;
pub mod decode;
pub mod defaults;
pub mod networking_v1;
pub mod policy_v1;
pub mod rbac_v1;
pub mod scheduling_v1;
pub mod selector;
pub mod validation;

mod dynamic;
mod error;
mod int_or_string;
mod meta;
mod quantity;
pub(crate) mod resource;
mod resource_list;
mod serde_util;
mod time;

pub use dynamic::DynamicObject;
pub use error::Error;
pub use int_or_string::IntOrString;
pub use meta::{
    Condition, ListMeta, ManagedFieldsEntry, ObjectMeta, OwnerReference, Status, StatusCause,
    StatusDetails, TypeMeta,
};
pub use quantity::{Quantity, QuantityFormat};
pub use resource::{ApiResource, Resource, Scope, StaticResource, meta_field_value};
pub use resource_list::ResourceList;
pub use time::{MicroTime, Time};
