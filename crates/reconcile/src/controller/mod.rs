//! The [`Controller`] builder and its run loop.

mod action;
mod metrics;
mod trigger;
mod worker;

use std::fmt;
use std::future::Future;
use std::sync::Arc;

use core_types::Resource;
use futures::future::{BoxFuture, FutureExt};
use tokio::sync::watch;
use tokio::task::JoinSet;

pub use self::action::{Action, ReconcileError, default_error_policy};
use self::metrics::Metrics;
pub use self::metrics::{ControllerMetrics, DURATION_BUCKETS};
use self::trigger::Trigger;
use self::worker::Worker;
use crate::informer::{Informer, Store};
use crate::object_ref::ObjectRef;
use crate::queue::{QueueConfig, WorkQueue};

/// A controller: watches a primary kind (and, optionally, what it owns and other
/// kinds mapped to it), and runs a reconciler for every object that needs it.
///
/// Built like this:
///
/// ```no_run
/// use std::sync::Arc;
/// use std::time::Duration;
/// use client::{Api, Client};
/// use core_types::apps_v1::{Deployment, ReplicaSet};
/// use reconcile::{Action, Controller, Informers, default_error_policy};
///
/// struct Ctx;
///
/// async fn reconcile(d: Arc<Deployment>, _ctx: Arc<Ctx>) -> Result<Action, client::ClientError> {
///     // Read the cache, compare, write what differs.
///     Ok(Action::requeue(Duration::from_secs(300)))
/// }
///
/// # async fn demo(client: Arc<dyn Client>) {
/// let informers = Informers::new(client);
/// Controller::new(informers.all::<Deployment>())
///     .owns(informers.all::<ReplicaSet>())
///     .concurrency(4)
///     .shutdown_on_signal()
///     .run(reconcile, default_error_policy, Arc::new(Ctx))
///     .await;
/// # }
/// ```
///
/// # Guarantees
///
/// - **Level-triggered**: the reconciler gets the object's current state from the
///   cache when its turn comes, never an event. Any number of changes before then
///   cause one reconcile of the latest state; a change during a reconcile causes
///   another one after it.
/// - **One at a time per object**: an object is never reconciled by two workers at
///   once; up to [`concurrency`](Self::concurrency) different objects are.
/// - **The cache is ready**: workers start once every informer the controller uses
///   has synced, and a reconcile triggered by a change sees that change.
/// - **Failures are retried**: an error (or a panic, which is caught) goes to the
///   error policy, whose [`Action`] decides; [`Action::backoff`] retries after the
///   per-key exponential backoff within the overall rate limit ([`QueueConfig`]); a
///   success resets the backoff.
/// - **Deleted objects are not reconciled**: a key whose object is gone from the cache
///   is dropped. Cleanup that must happen goes in a finalizer
///   ([`finalizer`](crate::finalizer)), which runs before the object goes.
/// - **Graceful shutdown**: on a shutdown trigger no new reconcile starts, the running
///   ones finish, then [`run`](Self::run) returns.
pub struct Controller<K: Resource> {
    name: Arc<str>,
    primary: Informer<K>,
    triggers: Vec<Trigger>,
    concurrency: usize,
    queue: WorkQueue<ObjectRef>,
    metrics: Arc<Metrics>,
    shutdown: Arc<watch::Sender<bool>>,
    shutdown_on: Vec<BoxFuture<'static, ()>>,
}

impl<K: Resource> fmt::Debug for Controller<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Controller")
            .field("name", &self.name)
            .field("concurrency", &self.concurrency)
            .field("triggers", &self.triggers.len())
            .finish_non_exhaustive()
    }
}

impl<K: Resource> Controller<K> {
    /// A controller of the objects `primary` watches (named after their kind,
    /// concurrency 1, default queue settings).
    pub fn new(primary: Informer<K>) -> Self {
        let name = primary.api().resource().kind.to_lowercase();
        Controller {
            name: name.into(),
            primary,
            triggers: Vec::new(),
            concurrency: 1,
            queue: WorkQueue::new(QueueConfig::default()),
            metrics: Arc::default(),
            shutdown: Arc::new(watch::Sender::new(false)),
            shutdown_on: Vec::new(),
        }
    }

    /// The name in logs and spans.
    #[must_use]
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = name.into().into();
        self
    }

    /// How many objects are reconciled at once (at least 1; default 1).
    #[must_use]
    pub fn concurrency(mut self, workers: usize) -> Self {
        self.concurrency = workers.max(1);
        self
    }

    /// The backoff and rate limit of retries. Replaces the queue: call it before
    /// [`handle`](Self::handle).
    #[must_use]
    pub fn queue_config(mut self, config: QueueConfig) -> Self {
        self.queue = WorkQueue::new(config);
        self
    }

    /// Also reconciles an object when a child it owns changes: the children's
    /// ownerReferences naming the primary kind (any version of its group) map them
    /// to their owners, in the child's namespace (or cluster-wide for a
    /// cluster-scoped primary kind). Both the old and new owners of a changed child
    /// are reconciled.
    #[must_use]
    pub fn owns<C: Resource>(mut self, children: Informer<C>) -> Self {
        let owner = self.primary.api().resource().clone();
        self.triggers.push(Trigger::owns(children, owner));
        self
    }

    /// Also reconciles the objects `mapper` names when an object of another kind
    /// changes (called on both the old and the new state of a change).
    #[must_use]
    pub fn watches<O, I>(
        mut self,
        other: Informer<O>,
        mapper: impl Fn(&O) -> I + Send + Sync + 'static,
    ) -> Self
    where
        O: Resource,
        I: IntoIterator<Item = ObjectRef>,
    {
        self.triggers.push(Trigger::watches(other, mapper));
        self
    }

    /// Shuts down gracefully when `trigger` completes.
    #[must_use]
    pub fn graceful_shutdown_on(
        mut self,
        trigger: impl Future<Output = ()> + Send + 'static,
    ) -> Self {
        self.shutdown_on.push(trigger.boxed());
        self
    }

    /// Shuts down gracefully on SIGINT (Ctrl-C) or SIGTERM.
    #[must_use]
    pub fn shutdown_on_signal(self) -> Self {
        self.graceful_shutdown_on(termination_signal())
    }

    /// A handle to trigger reconciles, read metrics and shut down, usable while the
    /// controller runs.
    pub fn handle(&self) -> ControllerHandle<K> {
        ControllerHandle {
            queue: self.queue.clone(),
            store: self.primary.store().clone(),
            metrics: self.metrics.clone(),
            shutdown: self.shutdown.clone(),
        }
    }

    /// Runs until shut down: subscribes to the informers, waits until they have
    /// synced, then reconciles with `reconcile` on the configured number of workers;
    /// failures go through `error_policy`. `context` is handed to both.
    pub async fn run<R, Fut, E, P, C>(self, reconcile: R, error_policy: P, context: Arc<C>)
    where
        R: Fn(Arc<K>, Arc<C>) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<Action, E>> + Send + 'static,
        E: fmt::Display + fmt::Debug + Send + 'static,
        P: Fn(Arc<K>, &ReconcileError<E>, Arc<C>) -> Action + Send + Sync + 'static,
        C: Send + Sync + 'static,
    {
        let Controller {
            name,
            primary,
            triggers,
            concurrency,
            queue,
            metrics,
            shutdown,
            shutdown_on,
        } = self;
        let mut subscriptions = vec![primary.subscribe({
            let queue = queue.clone();
            move |change| {
                if change.current().is_some() {
                    queue.add(change.key().clone());
                }
            }
        })];
        let mut synced = vec![trigger::synced(primary.store().clone())];
        for trigger in triggers {
            let (subscription, trigger_synced) = trigger.start(&queue);
            subscriptions.push(subscription);
            synced.push(trigger_synced);
        }
        let stop = stop_signal(&shutdown, shutdown_on);
        tokio::pin!(stop);
        tokio::select! {
            () = futures::future::join_all(synced).map(drop) => {}
            () = &mut stop => {
                queue.shut_down();
                return;
            }
        }
        tracing::info!(controller = %name, workers = concurrency, "caches synced; starting workers");
        let worker = Arc::new(Worker {
            name: name.clone(),
            queue: queue.clone(),
            store: primary.store().clone(),
            metrics,
            reconcile,
            error_policy,
            context,
        });
        let mut workers = JoinSet::new();
        for _ in 0..concurrency {
            workers.spawn(worker.clone().run());
        }
        tokio::select! {
            () = &mut stop => tracing::info!(controller = %name, "shutting down; finishing running reconciles"),
            () = join_all_workers(&mut workers) => {}
        }
        queue.shut_down();
        join_all_workers(&mut workers).await;
        drop(subscriptions);
        tracing::info!(controller = %name, "stopped");
    }
}

async fn join_all_workers(workers: &mut JoinSet<()>) {
    while let Some(result) = workers.join_next().await {
        if let Err(e) = result {
            // Reconciler panics are caught inside; this is a bug in the worker itself.
            tracing::error!(error = %e, "a controller worker ended abnormally");
        }
    }
}

/// Completes when the handle asks for shutdown or any trigger completes.
async fn stop_signal(shutdown: &watch::Sender<bool>, triggers: Vec<BoxFuture<'static, ()>>) {
    let mut asked = shutdown.subscribe();
    let handle = async move {
        // The sender is alive (borrowed by the caller): this cannot fail.
        let _ = asked.wait_for(|stop| *stop).await;
    };
    if triggers.is_empty() {
        handle.await;
    } else {
        tokio::select! {
            () = handle => {}
            _ = futures::future::select_all(triggers) => {}
        }
    }
}

/// Completes on SIGINT or SIGTERM; never, if the signals cannot be listened to.
async fn termination_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(e) => {
                tracing::warn!(error = %e, "cannot listen for SIGTERM");
                if tokio::signal::ctrl_c().await.is_err() {
                    futures::future::pending::<()>().await;
                }
            }
        }
    }
    #[cfg(not(unix))]
    if tokio::signal::ctrl_c().await.is_err() {
        futures::future::pending::<()>().await;
    }
}

/// Controls a [`Controller`] from outside while it runs.
pub struct ControllerHandle<K> {
    queue: WorkQueue<ObjectRef>,
    store: Store<K>,
    metrics: Arc<Metrics>,
    shutdown: Arc<watch::Sender<bool>>,
}

impl<K> Clone for ControllerHandle<K> {
    fn clone(&self) -> Self {
        ControllerHandle {
            queue: self.queue.clone(),
            store: self.store.clone(),
            metrics: self.metrics.clone(),
            shutdown: self.shutdown.clone(),
        }
    }
}

impl<K> fmt::Debug for ControllerHandle<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ControllerHandle").finish_non_exhaustive()
    }
}

impl<K: Resource> ControllerHandle<K> {
    /// Reconciles the object with this key (again).
    pub fn reconcile(&self, key: ObjectRef) {
        self.queue.add(key);
    }

    /// Reconciles every object in the cache.
    pub fn reconcile_all(&self) {
        self.queue.add_all(self.store.keys());
    }

    /// The work queue.
    pub fn queue(&self) -> &WorkQueue<ObjectRef> {
        &self.queue
    }

    /// The primary kind's cache.
    pub fn store(&self) -> &Store<K> {
        &self.store
    }

    /// Counters of reconciles and of the queue.
    pub fn metrics(&self) -> ControllerMetrics {
        self.metrics.snapshot(self.queue.metrics())
    }

    /// Asks the controller to shut down gracefully.
    pub fn shutdown(&self) {
        self.shutdown.send_replace(true);
    }
}
