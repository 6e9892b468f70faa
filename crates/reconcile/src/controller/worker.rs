//! A worker: takes keys from the queue, reads the cache, runs the reconciler with
//! panics caught, and tells the queue what comes next.

use std::fmt;
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::time::Instant;

use core_types::Resource;
use futures::FutureExt;
use tracing::Instrument;

use super::action::{Action, Next as ActionNext, ReconcileError};
use super::metrics::Metrics;
use crate::informer::Store;
use crate::object_ref::ObjectRef;
use crate::queue::{Next, WorkQueue};

/// What every worker of one controller shares.
pub(crate) struct Worker<K, R, P, C> {
    pub(crate) name: Arc<str>,
    pub(crate) queue: WorkQueue<ObjectRef>,
    pub(crate) store: Store<K>,
    pub(crate) metrics: Arc<Metrics>,
    pub(crate) reconcile: R,
    pub(crate) error_policy: P,
    pub(crate) context: Arc<C>,
}

impl<K, R, Fut, E, P, C> Worker<K, R, P, C>
where
    K: Resource,
    R: Fn(Arc<K>, Arc<C>) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<Action, E>> + Send + 'static,
    E: fmt::Display + fmt::Debug + Send + 'static,
    P: Fn(Arc<K>, &ReconcileError<E>, Arc<C>) -> Action + Send + Sync + 'static,
    C: Send + Sync + 'static,
{
    /// Processes keys until the queue shuts down.
    pub(crate) async fn run(self: Arc<Self>) {
        while let Some(item) = self.queue.get().await {
            let Some(object) = self.store.get(item.key()) else {
                // Deleted (or never seen): nothing to reconcile. Cleanup that must
                // happen belongs in a finalizer.
                self.metrics.skipped();
                item.finish_with(Next::Forget);
                continue;
            };
            let next = self.reconcile_one(item.key(), object).await;
            item.finish_with(next);
        }
    }

    async fn reconcile_one(&self, key: &ObjectRef, object: Arc<K>) -> Next {
        let span = tracing::info_span!("reconcile", controller = %self.name, object = %key);
        let started = Instant::now();
        let result = match std::panic::catch_unwind(AssertUnwindSafe(|| {
            (self.reconcile)(object.clone(), self.context.clone())
        })) {
            Ok(future) => AssertUnwindSafe(future)
                .catch_unwind()
                .instrument(span.clone())
                .await
                .map_err(|payload| ReconcileError::from_panic(&*payload))
                .and_then(|r| r.map_err(ReconcileError::Reconciler)),
            Err(payload) => Err(ReconcileError::from_panic(&*payload)),
        };
        let took = started.elapsed();
        match result {
            Ok(action) => {
                self.metrics.reconciled(took, false, false);
                match action.next() {
                    ActionNext::AwaitChange => Next::Forget,
                    ActionNext::Requeue(delay) => Next::ForgetThenAfter(delay),
                    ActionNext::Backoff => Next::Backoff,
                }
            }
            Err(error) => {
                let panicked = matches!(error, ReconcileError::Panicked { .. });
                self.metrics.reconciled(took, true, panicked);
                span.in_scope(|| tracing::warn!(%error, "reconcile failed"));
                let action = std::panic::catch_unwind(AssertUnwindSafe(|| {
                    (self.error_policy)(object, &error, self.context.clone())
                }))
                .unwrap_or_else(|_| {
                    span.in_scope(|| tracing::error!("the error policy panicked; backing off"));
                    Action::backoff()
                });
                match action.next() {
                    ActionNext::AwaitChange => Next::Keep,
                    ActionNext::Requeue(delay) => Next::After(delay),
                    ActionNext::Backoff => Next::Backoff,
                }
            }
        }
    }
}
