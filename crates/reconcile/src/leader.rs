//! Lease-based leader election over `coordination.k8s.io/v1` Leases.

use std::fmt;
use std::future::Future;
use std::time::Duration;

use client::{Api, ClientError, PostParams};
use core_types::coordination_v1::{Lease, LeaseSpec};
use core_types::{MicroTime, ObjectMeta};
use tokio::sync::watch;
use tokio::time::Instant;

use crate::jitter::jittered;

/// Why [`LeaderElector::run`] returned without the work's result.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum LeaderError {
    /// The lease could not be renewed within the renew deadline, or another
    /// candidate holds it now. The work was stopped; the process should exit or start
    /// over as a candidate.
    #[error("leadership lost")]
    Lost,
}

/// What this candidate last saw of the lease, and when (by its own clock).
struct Observed {
    resource_version: String,
    holder: Option<String>,
    duration: Duration,
    at: Instant,
}

/// One candidate for the leadership that a Lease object records.
///
/// The holder renews the lease every `retry_period` (default 2 s); if it cannot
/// renew for `renew_deadline` (10 s) it gives the leadership up. Other candidates
/// try every `retry_period` and take the lease over once it has not changed for
/// `lease_duration` (15 s) **as measured by their own clock since they saw it
/// change**, so clocks need not agree, only tick at similar rates. Writes are guarded
/// by the Lease's resourceVersion, so two candidates never both win a race. The margin
/// between renew deadline and lease duration is what keeps an old leader from acting
/// after a new one starts.
///
/// ```no_run
/// use std::sync::Arc;
/// use client::{Api, Client};
/// use core_types::coordination_v1::Lease;
/// use reconcile::LeaderElector;
///
/// # async fn demo(client: Arc<dyn Client>) {
/// let leases = Api::<Lease>::namespaced(client, "kube-system");
/// let elector = LeaderElector::new(leases, "widget-controller", "replica-1");
/// let outcome = elector
///     .run(|leadership| async move {
///         // Run the controllers, shutting them down when `leadership.lost()` completes.
///         leadership.lost().await;
///     })
///     .await;
/// # let _ = outcome;
/// # }
/// ```
pub struct LeaderElector {
    api: Api<Lease>,
    name: String,
    identity: String,
    lease_duration: Duration,
    renew_deadline: Duration,
    retry_period: Duration,
    observed: Option<Observed>,
}

impl fmt::Debug for LeaderElector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LeaderElector")
            .field("name", &self.name)
            .field("identity", &self.identity)
            .field("lease_duration", &self.lease_duration)
            .field("renew_deadline", &self.renew_deadline)
            .field("retry_period", &self.retry_period)
            .finish_non_exhaustive()
    }
}

/// Tells the work run under [`LeaderElector::run`] whether it still leads.
#[derive(Clone, Debug)]
pub struct Leadership {
    leading: watch::Receiver<bool>,
}

impl Leadership {
    /// True while this candidate holds the lease.
    pub fn is_leader(&self) -> bool {
        *self.leading.borrow()
    }

    /// Completes when the leadership is lost (or the election ends); pass it to
    /// [`Controller::graceful_shutdown_on`](crate::Controller::graceful_shutdown_on).
    pub fn lost(&self) -> impl Future<Output = ()> + Send + 'static {
        let mut leading = self.leading.clone();
        async move {
            // An error means the elector is gone, which also ends the leadership.
            let _ = leading.wait_for(|l| !*l).await;
        }
    }
}

impl LeaderElector {
    /// A candidate `identity` for the lease `name` in `api`'s namespace, with the
    /// default timings (15 s lease, 10 s renew deadline, 2 s retry period).
    pub fn new(api: Api<Lease>, name: impl Into<String>, identity: impl Into<String>) -> Self {
        LeaderElector {
            api,
            name: name.into(),
            identity: identity.into(),
            lease_duration: Duration::from_secs(15),
            renew_deadline: Duration::from_secs(10),
            retry_period: Duration::from_secs(2),
            observed: None,
        }
    }

    /// How long a lease stays valid without renewal (whole seconds, at least 1).
    #[must_use]
    pub fn lease_duration(mut self, duration: Duration) -> Self {
        self.lease_duration = Duration::from_secs(duration.as_secs().max(1));
        self
    }

    /// How long the leader keeps trying to renew before giving up.
    #[must_use]
    pub fn renew_deadline(mut self, deadline: Duration) -> Self {
        self.renew_deadline = deadline;
        self
    }

    /// How often candidates try to acquire, and the leader renews.
    #[must_use]
    pub fn retry_period(mut self, period: Duration) -> Self {
        self.retry_period = period;
        self
    }

    /// This candidate's identity.
    pub fn identity(&self) -> &str {
        &self.identity
    }

    fn observe(&mut self, lease: &Lease, now: Instant) {
        let changed = self
            .observed
            .as_ref()
            .is_none_or(|o| o.resource_version != lease.metadata.resource_version);
        if changed {
            let seconds = lease.spec.lease_duration_seconds.unwrap_or(0);
            self.observed = Some(Observed {
                resource_version: lease.metadata.resource_version.clone(),
                holder: lease.spec.holder_identity.clone().filter(|h| !h.is_empty()),
                duration: u64::try_from(seconds)
                    .ok()
                    .filter(|s| *s > 0)
                    .map_or(self.lease_duration, Duration::from_secs),
                at: now,
            });
        }
    }

    fn my_spec(&self, previous: Option<&LeaseSpec>) -> LeaseSpec {
        let now = MicroTime::now();
        let mut spec = previous.cloned().unwrap_or_default();
        let mine = spec.holder_identity.as_deref() == Some(self.identity.as_str());
        if !mine {
            spec.acquire_time = Some(now);
            spec.lease_transitions = Some(
                spec.lease_transitions
                    .map_or(0, |t| t.saturating_add(i32::from(previous.is_some()))),
            );
        }
        spec.holder_identity = Some(self.identity.clone());
        spec.renew_time = Some(now);
        spec.lease_duration_seconds =
            Some(i32::try_from(self.lease_duration.as_secs()).unwrap_or(i32::MAX));
        spec
    }

    /// One attempt: creates the lease, renews it if this candidate holds it, or takes
    /// it over if it expired. True if this candidate holds the lease afterwards.
    pub async fn try_acquire_or_renew(&mut self) -> Result<bool, ClientError> {
        let now = Instant::now();
        let Some(mut lease) = self.api.get_opt(&self.name).await? else {
            let lease = Lease {
                metadata: ObjectMeta {
                    name: self.name.clone(),
                    ..ObjectMeta::default()
                },
                spec: self.my_spec(None),
            };
            return match self.api.create(&PostParams::default(), &lease).await {
                Ok(created) => {
                    self.observe(&created, now);
                    Ok(true)
                }
                Err(ClientError::AlreadyExists { .. }) => Ok(false),
                Err(e) if e.is_conflict() => Ok(false),
                Err(e) => Err(e),
            };
        };
        self.observe(&lease, now);
        let observed = self.observed.as_ref();
        let held_by_other = observed.is_some_and(|o| {
            o.holder.as_deref().is_some_and(|h| h != self.identity) && o.at + o.duration > now
        });
        if held_by_other {
            return Ok(false);
        }
        lease.spec = self.my_spec(Some(&lease.spec));
        match self
            .api
            .replace(&self.name, &PostParams::default(), &lease)
            .await
        {
            Ok(updated) => {
                self.observe(&updated, now);
                Ok(true)
            }
            Err(e) if e.is_conflict() => Ok(false),
            Err(e) => Err(e),
        }
    }

    /// Gives the lease up if this candidate holds it, so another can take over at
    /// once.
    pub async fn release(&mut self) -> Result<(), ClientError> {
        let Some(mut lease) = self.api.get_opt(&self.name).await? else {
            return Ok(());
        };
        if lease.spec.holder_identity.as_deref() != Some(self.identity.as_str()) {
            return Ok(());
        }
        let now = MicroTime::now();
        lease.spec.holder_identity = None;
        lease.spec.lease_duration_seconds = Some(1);
        lease.spec.renew_time = Some(now);
        lease.spec.acquire_time = Some(now);
        self.api
            .replace(&self.name, &PostParams::default(), &lease)
            .await
            .map(drop)
    }

    /// Waits until this candidate holds the lease.
    pub async fn acquire(&mut self) {
        loop {
            match self.try_acquire_or_renew().await {
                Ok(true) => return,
                Ok(false) => {}
                Err(e) => tracing::warn!(lease = %self.name, error = %e, "cannot acquire lease"),
            }
            tokio::time::sleep(jittered(self.retry_period)).await;
        }
    }

    /// Keeps renewing; returns when the lease is lost.
    async fn keep_renewing(&mut self) {
        let mut renewed = Instant::now();
        loop {
            tokio::time::sleep(self.retry_period).await;
            let left = self.renew_deadline.saturating_sub(renewed.elapsed());
            match tokio::time::timeout(left, self.try_acquire_or_renew()).await {
                Ok(Ok(true)) => renewed = Instant::now(),
                Ok(Ok(false)) => {
                    tracing::warn!(lease = %self.name, "lease taken over");
                    return;
                }
                Ok(Err(e)) => tracing::warn!(lease = %self.name, error = %e, "cannot renew lease"),
                Err(_) => {}
            }
            if renewed.elapsed() >= self.renew_deadline {
                tracing::warn!(lease = %self.name, "lease not renewed within the deadline");
                return;
            }
        }
    }

    /// Waits for the leadership, then runs `work` while renewing the lease. If `work`
    /// completes, the lease is released and its output returned. If the leadership
    /// is lost, [`Leadership::lost`] completes; `work` gets a short grace period
    /// (half the margin between lease duration and renew deadline) to stop, then is
    /// dropped, and [`LeaderError::Lost`] is returned.
    pub async fn run<F, Fut>(mut self, work: F) -> Result<Fut::Output, LeaderError>
    where
        F: FnOnce(Leadership) -> Fut,
        Fut: Future,
    {
        self.acquire().await;
        tracing::info!(lease = %self.name, identity = %self.identity, "became leader");
        let (leading, receiver) = watch::channel(true);
        let work = work(Leadership { leading: receiver });
        tokio::pin!(work);
        let finished = tokio::select! {
            output = &mut work => Some(output),
            () = self.keep_renewing() => None,
        };
        if let Some(output) = finished {
            if let Err(e) = self.release().await {
                tracing::warn!(lease = %self.name, error = %e, "cannot release lease");
            }
            return Ok(output);
        }
        leading.send_replace(false);
        let grace = self.lease_duration.saturating_sub(self.renew_deadline) / 2;
        let _ = tokio::time::timeout(grace, work).await;
        Err(LeaderError::Lost)
    }
}
