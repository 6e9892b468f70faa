//! The in-cluster driver: [`InClusterScheduler`] watches nodes and pods through a
//! [`Client`], schedules pending pods of its profiles, and binds them asynchronously.

mod ahead;
mod background;
mod binding;
mod events;
mod watch;

use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use client::Client;
use tokio::sync::Notify;

use crate::cache::{Cache, Snapshot};
use crate::config::{Profiles, SchedulerConfiguration};
use crate::error::DriverError;
use crate::framework::{Handle, Registry};
use crate::queue::SchedulingQueue;
use crate::schedule::Algorithm;

/// Counters of a running driver.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DriverStats {
    /// Scheduling cycles run.
    pub attempts: u64,
    /// Pods bound.
    pub bound: u64,
    /// Cycles that found no node.
    pub unschedulable: u64,
    /// Bindings that failed (the pod was forgotten and requeued).
    pub bind_failures: u64,
    /// Preemptions (a node nominated, victims evicted).
    pub preemptions: u64,
}

#[derive(Default)]
pub(crate) struct Counters {
    attempts: AtomicU64,
    bound: AtomicU64,
    unschedulable: AtomicU64,
    bind_failures: AtomicU64,
    preemptions: AtomicU64,
}

/// The cache and the queue, guarded together (event handlers and the scheduling loop
/// take the lock briefly; a cycle itself runs on a snapshot without it).
pub(crate) struct State {
    pub(crate) cache: Cache,
    pub(crate) queue: SchedulingQueue,
}

pub(crate) struct Shared {
    pub(crate) client: Arc<dyn Client>,
    pub(crate) profiles: Profiles,
    pub(crate) state: Mutex<State>,
    pub(crate) wake: Notify,
    counters: Counters,
    pub(crate) handle: Handle,
    pub(crate) watch_cluster_objects: bool,
    paused: std::sync::atomic::AtomicBool,
    /// Keys of pods whose binding cycle ended while the state lock was busy.
    finished: Mutex<Vec<String>>,
    has_finished: std::sync::atomic::AtomicBool,
    stopping: std::sync::atomic::AtomicBool,
    dedicated_thread: bool,
}

impl Shared {
    pub(crate) fn lock(&self) -> MutexGuard<'_, State> {
        let mut st = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        self.take_finished(&mut st);
        st
    }

    /// Tells the queue that a pod's binding cycle ended. When the lock is busy the key
    /// waits for the next holder, so a binding task does not queue up behind the
    /// scheduling loop (or make it wait) just for this.
    pub(crate) fn done(&self, key: &str) {
        match self.state.try_lock() {
            Ok(mut st) => {
                self.take_finished(&mut st);
                st.queue.done(key);
            }
            Err(std::sync::TryLockError::Poisoned(p)) => {
                let mut st = p.into_inner();
                self.take_finished(&mut st);
                st.queue.done(key);
            }
            Err(std::sync::TryLockError::WouldBlock) => {
                let mut finished = self.finished.lock().unwrap_or_else(PoisonError::into_inner);
                finished.push(key.to_owned());
                self.has_finished.store(true, Ordering::Release);
            }
        }
    }

    /// Hands the binding cycles that ended while the lock was busy to the queue.
    fn take_finished(&self, st: &mut State) {
        // A plain load first: every lock passes here, and the list is usually empty.
        if self.has_finished.load(Ordering::Relaxed)
            && self.has_finished.swap(false, Ordering::Acquire)
        {
            let keys =
                std::mem::take(&mut *self.finished.lock().unwrap_or_else(PoisonError::into_inner));
            for key in keys {
                st.queue.done(&key);
            }
        }
    }

    pub(crate) fn is_paused(&self) -> bool {
        self.paused.load(Ordering::Relaxed)
    }

    pub(crate) fn count(&self, which: fn(&Counters) -> &AtomicU64) {
        which(&self.counters).fetch_add(1, Ordering::Relaxed);
    }
}

pub(crate) fn now() -> std::time::Instant {
    tokio::time::Instant::now().into_std()
}

/// Builds an [`InClusterScheduler`].
pub struct InClusterSchedulerBuilder {
    client: Arc<dyn Client>,
    config: SchedulerConfiguration,
    registry: Registry,
    watch_cluster_objects: bool,
    dedicated_thread: bool,
}

impl InClusterSchedulerBuilder {
    /// Run scheduling cycles on a thread of their own (default), or as a task on the
    /// runtime (needed under tokio's paused test time, which does not advance while a
    /// blocking task runs).
    #[must_use]
    pub fn dedicated_thread(mut self, on: bool) -> Self {
        self.dedicated_thread = on;
        self
    }

    /// The configuration (default: one default profile).
    #[must_use]
    pub fn config(mut self, config: SchedulerConfiguration) -> Self {
        self.config = config;
        self
    }

    /// The plugin registry (default: the in-tree plugins).
    #[must_use]
    pub fn registry(mut self, registry: Registry) -> Self {
        self.registry = registry;
        self
    }

    /// Also watch namespaces, services, replica sets, stateful sets, replication
    /// controllers and pod disruption budgets (needed by namespace selectors, default
    /// topology spreading and PDB-aware preemption). Default: on.
    #[must_use]
    pub fn watch_cluster_objects(mut self, on: bool) -> Self {
        self.watch_cluster_objects = on;
        self
    }

    /// Instantiates the plugins.
    pub fn build(self) -> Result<InClusterScheduler, DriverError> {
        let handle = Handle::with_client(self.client.clone());
        let profiles = self.config.build(&self.registry, &handle)?;
        let queue = SchedulingQueue::new(&profiles).ok_or_else(|| {
            DriverError::Config(crate::error::ConfigError::Invalid(
                "no QueueSort plugin".into(),
            ))
        })?;
        Ok(InClusterScheduler {
            shared: Arc::new(Shared {
                client: self.client,
                profiles,
                state: Mutex::new(State {
                    cache: Cache::new(),
                    queue,
                }),
                wake: Notify::new(),
                counters: Counters::default(),
                handle,
                watch_cluster_objects: self.watch_cluster_objects,
                paused: std::sync::atomic::AtomicBool::new(false),
                finished: Mutex::new(Vec::new()),
                has_finished: std::sync::atomic::AtomicBool::new(false),
                stopping: std::sync::atomic::AtomicBool::new(false),
                dedicated_thread: self.dedicated_thread,
            }),
        })
    }
}

/// The scheduler running against an API (any [`Client`]: in-process or remote).
///
/// It lists and watches nodes and pods (and, optionally, the objects plugins need);
/// bound pods go into the [`Cache`], pending pods whose `spec.schedulerName` is one of
/// its profiles into the [`SchedulingQueue`]. One loop pops pods and runs scheduling
/// cycles on a [`Snapshot`]; a chosen pod is assumed in the cache at once and bound in
/// a separate task (PreBind, Bind, PostBind), so the loop never waits for the API. A
/// failed binding forgets the pod and requeues it; a pod that fits nowhere gets a
/// `PodScheduled=False` condition with the Kubernetes-style message, and preemption
/// victims are deleted.
///
/// ```no_run
/// use std::sync::Arc;
/// use scheduler::InClusterScheduler;
///
/// # async fn demo(client: Arc<dyn client::Client>) -> Result<(), scheduler::DriverError> {
/// let scheduler = InClusterScheduler::builder(client).build()?;
/// scheduler.run(futures::future::pending::<()>()).await?;
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct InClusterScheduler {
    shared: Arc<Shared>,
}

impl std::fmt::Debug for InClusterScheduler {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("InClusterScheduler")
            .field("stats", &self.stats())
            .finish_non_exhaustive()
    }
}

impl InClusterScheduler {
    /// A builder over `client`.
    pub fn builder(client: Arc<dyn Client>) -> InClusterSchedulerBuilder {
        InClusterSchedulerBuilder {
            client,
            config: SchedulerConfiguration::default(),
            registry: Registry::default(),
            watch_cluster_objects: true,
            dedicated_thread: true,
        }
    }

    /// The counters.
    pub fn stats(&self) -> DriverStats {
        let c = &self.shared.counters;
        let get = |a: &AtomicU64| a.load(Ordering::Relaxed);
        DriverStats {
            attempts: get(&c.attempts),
            bound: get(&c.bound),
            unschedulable: get(&c.unschedulable),
            bind_failures: get(&c.bind_failures),
            preemptions: get(&c.preemptions),
        }
    }

    /// The profiles.
    pub fn profiles(&self) -> &Profiles {
        &self.shared.profiles
    }

    /// The handle the plugins were built with (waiting pods).
    pub fn handle(&self) -> &Handle {
        &self.shared.handle
    }

    /// Stops popping pods for scheduling (watches keep filling the cache and the
    /// queue; bindings in flight finish).
    pub fn pause(&self) {
        self.shared.paused.store(true, Ordering::SeqCst);
    }

    /// Resumes scheduling after [`pause`](Self::pause).
    pub fn resume(&self) {
        self.shared.paused.store(false, Ordering::SeqCst);
        self.shared.wake.notify_one();
    }

    /// Reads the cache and the queue.
    pub fn inspect<R>(&self, f: impl FnOnce(&Cache, &SchedulingQueue) -> R) -> R {
        let st = self.shared.lock();
        f(&st.cache, &st.queue)
    }

    /// Runs until `shutdown` completes: initial lists, watches, the scheduling loop.
    pub async fn run(&self, shutdown: impl Future<Output = impl Sized>) -> Result<(), DriverError> {
        let shared = self.shared.clone();
        shared.stopping.store(false, Ordering::SeqCst);
        let watches = watch::start(&shared).await?;
        let scheduling = scheduling_loop(shared.clone());
        tokio::pin!(scheduling);
        let result = tokio::select! {
            _ = shutdown => {
                // Stop the loop and wait for it (its thread must not outlive the runtime).
                shared.stopping.store(true, Ordering::SeqCst);
                shared.wake.notify_one();
                scheduling.await
            }
            r = &mut scheduling => r,
        };
        for w in watches {
            w.abort();
        }
        result
    }
}

/// What the scheduling loop keeps between cycles.
struct LoopState {
    shared: Arc<Shared>,
    background: background::Background,
    algorithm: Algorithm,
    snapshot: Snapshot,
    ahead: ahead::Ahead,
}

impl Drop for LoopState {
    /// The loop stopped (or its task was dropped): a pod popped ahead goes back to the
    /// queue, so a later run schedules it.
    fn drop(&mut self) {
        self.ahead.give_back(&self.shared);
    }
}

impl LoopState {
    fn new(shared: &Arc<Shared>, background: background::Background) -> Self {
        LoopState {
            shared: shared.clone(),
            background,
            algorithm: Algorithm::new(shared.profiles.settings().percentage_of_nodes_to_score),
            snapshot: Snapshot::new(),
            ahead: ahead::Ahead::new(now()),
        }
    }

    /// Runs one cycle if a pod is ready; otherwise returns how long to wait.
    fn step(&mut self, shared: &Arc<Shared>) -> Option<Duration> {
        let t = now();
        if shared.is_paused() {
            self.ahead.give_back(shared);
            return Some(Duration::from_millis(10));
        }
        let mut popped = self.ahead.take(shared, &mut self.snapshot);
        let mut next_backoff = None;
        if popped.is_none() {
            let mut st = shared.lock();
            self.ahead.fill(shared, &mut st, &mut self.snapshot, t);
            popped = self.ahead.take_filled();
            next_backoff = st.queue.next_backoff_expiry();
        }
        match popped {
            Some((q, nominated)) => {
                binding::schedule_one(
                    shared,
                    &self.background,
                    &mut self.algorithm,
                    &mut self.snapshot,
                    &mut self.ahead,
                    &nominated,
                    q,
                );
                None
            }
            None => Some(
                next_backoff
                    .map(|d| d.saturating_duration_since(t))
                    .unwrap_or(Duration::from_secs(1))
                    .clamp(Duration::from_millis(1), Duration::from_secs(1)),
            ),
        }
    }
}

async fn idle(shared: &Shared, wait: Duration) {
    tokio::select! {
        _ = shared.wake.notified() => {}
        _ = tokio::time::sleep(wait) => {}
    }
}

/// The scheduling loop: on a thread of its own (a blocking task) by default, since
/// cycles are pure computation and bindings and watch handlers then get the runtime's
/// workers; or as a task on the runtime (needed under paused test time).
async fn scheduling_loop(shared: Arc<Shared>) -> Result<(), DriverError> {
    let (background, _runner) = background::Background::start();
    if !shared.dedicated_thread {
        let mut st = LoopState::new(&shared, background);
        let mut cycles: u64 = 0;
        while !shared.stopping.load(Ordering::Relaxed) {
            match st.step(&shared) {
                Some(wait) => idle(&shared, wait).await,
                None => {
                    cycles += 1;
                    if cycles % 16 == 0 {
                        // Let bindings and watch handlers on this worker run.
                        tokio::task::yield_now().await;
                    }
                }
            }
        }
        return Ok(());
    }
    let handle = tokio::runtime::Handle::current();
    let task = tokio::task::spawn_blocking(move || {
        let mut st = LoopState::new(&shared, background);
        while !shared.stopping.load(Ordering::Relaxed) {
            if let Some(wait) = st.step(&shared) {
                handle.block_on(idle(&shared, wait));
            }
        }
    });
    task.await.map_err(|e| DriverError::Stopped(e.to_string()))
}
