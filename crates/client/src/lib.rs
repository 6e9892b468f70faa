//! The client every component is written against: the object-safe [`Client`] trait at
//! the JSON level ([`DynamicObject`](core_types::DynamicObject)), and the typed facade
//! [`Api<K>`](Api) over it.
//!
//! Controllers, the scheduler and the node agent take an `Arc<dyn Client>`. The store
//! crate implements it in process (over the object layer and the watch cache); the
//! `http-client` crate implements it over HTTPS to an API server. The same component
//! code runs embedded or remote.
//!
//! - [`Client`]: get, list, create, replace, replace_status, patch, patch_status,
//!   delete, delete_collection, watch (and [`watch_raw`](Client::watch_raw), objects
//!   still encoded), bind.
//! - Parameters: [`ListParams`], [`WatchParams`], [`PostParams`], [`PatchParams`],
//!   [`Patch`], [`DeleteParams`] (with [`Preconditions`], [`PropagationPolicy`]).
//! - Answers: [`ObjectList`], [`WatchEvent`], [`DeleteOutcome`], [`RawObject`], and
//!   [`ClientError`], which maps one to one onto Kubernetes' `Status`
//!   ([`ClientError::status`], [`ClientError::from_status`]).
//!
//! ```no_run
//! use std::sync::Arc;
//! use client::{Api, Client, ListParams, PostParams};
//! use core_types::core_v1::Pod;
//!
//! async fn demo(client: Arc<dyn Client>) -> Result<(), client::ClientError> {
//!     let pods = Api::<Pod>::namespaced(client, "default");
//!     let mut pod = Pod::default();
//!     pod.metadata.generate_name = "web-".into();
//!     let created = pods.create(&PostParams::default(), &pod).await?;
//!     let page = pods.list(&ListParams::default().labels("app=web".parse()?)).await?;
//!     println!("{} at {}: {} pods", created.metadata.name, page.resource_version(), page.items.len());
//!     Ok(())
//! }
//! ```

mod api;
mod client;
mod convert;
mod error;
mod object;
mod params;
mod raw;
mod status;
mod write_params;

#[cfg(test)]
mod tests;

pub use api::Api;
pub use client::{Client, WatchStream};
pub use convert::{from_dynamic, into_dynamic, to_dynamic};
pub use error::ClientError;
pub use object::{DeleteOutcome, ObjectList, WatchEvent};
pub use params::{ListParams, ResourceVersionMatch, WatchParams};
pub use raw::RawObject;
pub use write_params::{
    DeleteParams, Patch, PatchParams, PostParams, Preconditions, PropagationPolicy,
};
