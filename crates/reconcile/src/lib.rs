//! The controller runtime: what built-in controllers, node agents and embedders' own
//! controllers run on.
//!
//! - [`Informer`]: lists and watches a kind through the [`client::Client`] trait into a
//!   local cache ([`Store`], cheap to clone; objects are `Arc<K>`), with indexes (by
//!   namespace, label, owner, or any function), re-listing after `410 Gone` and after
//!   failures (jittered exponential backoff), and a synced signal. [`Informers`] shares
//!   one informer per kind among all controllers of a process.
//! - [`WorkQueue`]: deduplicating, per-key exclusive, fair (FIFO) queue with delayed
//!   adds, per-key exponential backoff (5 ms doubling to 1000 s) combined with an
//!   overall rate limit (10/s, burst 100), and depth/latency metrics.
//! - [`Controller`]: primary kind, [`owns`](Controller::owns) (children mapped to
//!   owners through ownerReferences), [`watches`](Controller::watches) (any kind,
//!   through a mapper), concurrency, graceful shutdown, and
//!   [`run`](Controller::run)`(reconcile, error_policy, context)`. A reconcile returns
//!   an [`Action`].
//! - Helpers: [`finalizer`], [`set_controller_reference`], [`create_or_update`],
//!   [`Recorder`] (core/v1 Events), [`LeaderElector`] (Lease-based, 15 s / 10 s / 2 s).
//!
//! # Guarantees
//!
//! **Level-triggered.** A reconciler gets an object's state read from the cache when
//! its turn comes, never an event payload. However many changes happen before then,
//! the object is reconciled once, with the latest state; a change that arrives during
//! a reconcile causes one more reconcile after it. So a reconciler must compute what
//! to do from the state alone, and then it cannot miss anything: a lost event, a
//! restart or a re-list all converge to the same result.
//!
//! **At most one reconcile per object at a time**, up to
//! [`concurrency`](Controller::concurrency) objects at once. The queue hands a key to
//! one worker, and a key re-added meanwhile waits until that worker is done.
//!
//! **The cache is at least as new as the trigger.** Handlers (which feed the queue) run
//! after the change is applied to the cache, so the reconcile a change causes sees it.
//! Workers start only after every informer of the controller has synced.
//!
//! **Failures back off.** An error, or a panic (caught, reported as
//! [`ReconcileError::Panicked`]), goes to the error policy; [`Action::backoff`]
//! (the [`default_error_policy`]) retries after `5 ms * 2^(n-1)`, at most 1000 s, and
//! not faster than the overall limit allows. A success resets the backoff.
//!
//! **Deletion runs cleanup first.** Objects gone from the cache are not reconciled;
//! work that must happen on deletion goes in a [`finalizer`], whose cleanup completes
//! (successfully) before the finalizer is removed and the object can go.
//!
//! **Graceful shutdown.** On [`ControllerHandle::shutdown`], a
//! [`graceful_shutdown_on`](Controller::graceful_shutdown_on) future or a signal, no
//! new reconcile starts; the running ones finish; then `run` returns.
//!
//! **One active replica.** Under a [`LeaderElector`] only the lease holder runs its
//! controllers; it stops when it cannot renew within the renew deadline, before any
//! other candidate may take over (after the lease duration).
//!
//! # Example
//!
//! ```no_run
//! use std::sync::Arc;
//! use std::time::Duration;
//! use client::{Api, Client, ClientError, PostParams};
//! use core_types::core_v1::ConfigMap;
//! use reconcile::{Action, Controller, Informer, default_error_policy};
//!
//! struct Context {
//!     client: Arc<dyn Client>,
//! }
//!
//! async fn reconcile(cm: Arc<ConfigMap>, ctx: Arc<Context>) -> Result<Action, ClientError> {
//!     if cm.data.get("checked").is_none() {
//!         let api = Api::<ConfigMap>::namespaced(ctx.client.clone(), &cm.metadata.namespace);
//!         let mut updated = (*cm).clone();
//!         updated.data.insert("checked".into(), "yes".into());
//!         api.replace(&cm.metadata.name, &PostParams::default(), &updated).await?;
//!     }
//!     Ok(Action::requeue(Duration::from_secs(600)))
//! }
//!
//! # async fn demo(client: Arc<dyn Client>) {
//! let informer = Informer::new(Api::<ConfigMap>::all(client.clone()));
//! Controller::new(informer)
//!     .concurrency(8)
//!     .shutdown_on_signal()
//!     .run(reconcile, default_error_policy, Arc::new(Context { client }))
//!     .await;
//! # }
//! ```
//!
//! # Crate layout
//!
//! Modules are private; this file's `pub use` list is the public surface. `queue` (the
//! work queue: a synchronous state machine under a mutex, plus waking), `informer`
//! (cache, indexes, reflector, shared registry), `controller` (builder, workers,
//! triggers, metrics), `helpers` (finalizers, owners, create-or-update, events),
//! `leader` (leader election).

mod controller;
mod error;
mod helpers;
mod informer;
mod jitter;
mod leader;
mod object_ref;
mod queue;

pub use controller::{
    Action, Controller, ControllerHandle, ControllerMetrics, DURATION_BUCKETS, ReconcileError,
    default_error_policy,
};
pub use error::UnknownIndex;
pub use helpers::{
    Applied, EventRecord, EventType, FinalizerError, FinalizerEvent, OwnerError, Recorder,
    Reporter, controller_reference, create_or_update, finalizer, is_owned_by, object_reference,
    set_controller_reference,
};
pub use informer::{
    Change, IndexFn, Informer, InformerConfig, InformerStats, Informers, NAMESPACE_INDEX,
    OWNER_INDEX, Store, Subscription, Writer, label_index, namespace_index, owner_index,
};
pub use leader::{LeaderElector, LeaderError, Leadership};
pub use object_ref::ObjectRef;
pub use queue::{QueueConfig, QueueItem, QueueMetrics, WorkQueue};

#[cfg(test)]
mod tests {
    use core_types::core_v1::Pod;

    use super::*;

    fn send_sync<T: Send + Sync>() {}
    fn send<T: Send>() {}

    #[test]
    fn public_types_cross_threads() {
        send_sync::<WorkQueue<ObjectRef>>();
        send_sync::<QueueItem<ObjectRef>>();
        // A builder, consumed by `run` (whose future is spawned in the tests).
        send::<Controller<Pod>>();
        send_sync::<ControllerHandle<Pod>>();
        send_sync::<Informer<Pod>>();
        send_sync::<Store<Pod>>();
        send_sync::<LeaderElector>();
        send_sync::<Leadership>();
        send_sync::<Recorder>();
        send_sync::<ReconcileError<std::io::Error>>();
    }
}
