//! Leader election over Leases in the memory store, with paused time: two
//! contenders, a graceful hand-over, a crashed leader, and a leader that loses its
//! lease.

// Helpers outside #[test] functions may unwrap too: a panic is a test failure.
#![allow(clippy::unwrap_used)]

mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use client::{Api, Client, PostParams};
use core_types::coordination_v1::Lease;
use reconcile::{LeaderElector, LeaderError};
use tokio::sync::Notify;
use tokio::time::Instant;

fn leases(client: &Arc<dyn Client>) -> Api<Lease> {
    Api::namespaced(client.clone(), "kube-system")
}

/// Tracks how many candidates act as leader at once, and who led when.
#[derive(Default)]
struct Leaders {
    active: AtomicUsize,
    max_active: AtomicUsize,
    terms: std::sync::Mutex<Vec<(String, Instant)>>,
}

impl Leaders {
    fn enter(&self, who: &str) {
        let now = self.active.fetch_add(1, Ordering::SeqCst) + 1;
        self.max_active.fetch_max(now, Ordering::SeqCst);
        self.terms
            .lock()
            .unwrap()
            .push((who.to_owned(), Instant::now()));
    }

    fn leave(&self) {
        self.active.fetch_sub(1, Ordering::SeqCst);
    }

    fn terms(&self) -> Vec<(String, Instant)> {
        self.terms.lock().unwrap().clone()
    }
}

/// A candidate that leads until `stop` is notified (or forever).
fn candidate(
    client: &Arc<dyn Client>,
    who: &'static str,
    leaders: Arc<Leaders>,
    stop: Arc<Notify>,
) -> tokio::task::JoinHandle<Result<(), LeaderError>> {
    let elector = LeaderElector::new(leases(client), "controller", who);
    tokio::spawn(async move {
        elector
            .run(|leadership| async move {
                leaders.enter(who);
                tokio::select! {
                    () = stop.notified() => {}
                    () = leadership.lost() => {}
                }
                leaders.leave();
            })
            .await
    })
}

#[tokio::test(start_paused = true)]
async fn one_leader_then_a_graceful_hand_over() {
    let client = support::memory_client();
    let leaders = Arc::new(Leaders::default());
    let stop_a = Arc::new(Notify::new());
    let a = candidate(&client, "a", leaders.clone(), stop_a.clone());
    tokio::time::sleep(Duration::from_millis(10)).await;
    let b = candidate(&client, "b", leaders.clone(), Arc::new(Notify::new()));
    tokio::time::sleep(Duration::from_secs(60)).await;
    assert_eq!(leaders.terms().len(), 1, "b waits while a renews");
    assert_eq!(leaders.terms()[0].0, "a");
    let lease = leases(&client).get("controller").await.unwrap();
    assert_eq!(lease.spec.holder_identity.as_deref(), Some("a"));
    assert_eq!(lease.spec.lease_duration_seconds, Some(15));

    // a steps down and releases the lease: b takes over within a retry period or two.
    let released = Instant::now();
    stop_a.notify_one();
    assert_eq!(a.await.unwrap(), Ok(()));
    tokio::time::sleep(Duration::from_secs(5)).await;
    let terms = leaders.terms();
    assert_eq!(terms.len(), 2);
    assert_eq!(terms[1].0, "b");
    assert!(
        terms[1].1 - released <= Duration::from_secs(4),
        "{:?}",
        terms[1].1 - released
    );
    assert_eq!(leaders.max_active.load(Ordering::SeqCst), 1);
    let lease = leases(&client).get("controller").await.unwrap();
    assert_eq!(lease.spec.holder_identity.as_deref(), Some("b"));
    assert_eq!(lease.spec.lease_transitions, Some(1));
    b.abort();
}

#[tokio::test(start_paused = true)]
async fn a_crashed_leader_is_replaced_after_the_lease_duration() {
    let client = support::memory_client();
    let leaders = Arc::new(Leaders::default());
    let a = candidate(&client, "a", leaders.clone(), Arc::new(Notify::new()));
    tokio::time::sleep(Duration::from_millis(10)).await;
    let b = candidate(&client, "b", leaders.clone(), Arc::new(Notify::new()));
    tokio::time::sleep(Duration::from_secs(30)).await;
    // a crashes: no release, no more renewals.
    a.abort();
    let crashed = Instant::now();
    leaders.leave();
    tokio::time::sleep(Duration::from_secs(40)).await;
    let terms = leaders.terms();
    assert_eq!(terms.len(), 2, "{terms:?}");
    assert_eq!(terms[1].0, "b");
    let after = terms[1].1 - crashed;
    // a last renewed at most 2 s before the crash; b saw that renewal within a retry
    // period (at most 4 s with jitter) and waits 15 s from then, then up to 4 s more.
    assert!(
        after >= Duration::from_secs(13),
        "b took over too early: {after:?}"
    );
    assert!(
        after <= Duration::from_secs(23),
        "b took over too late: {after:?}"
    );
    b.abort();
}

#[tokio::test(start_paused = true)]
async fn a_leader_that_loses_its_lease_stops() {
    let client = support::memory_client();
    let leaders = Arc::new(Leaders::default());
    let a = candidate(&client, "a", leaders.clone(), Arc::new(Notify::new()));
    tokio::time::sleep(Duration::from_secs(5)).await;
    assert_eq!(leaders.active.load(Ordering::SeqCst), 1);
    // Someone takes the lease by force (an operator, or a partitioned peer).
    let api = leases(&client);
    let mut lease = api.get("controller").await.unwrap();
    lease.spec.holder_identity = Some("intruder".into());
    api.replace("controller", &PostParams::default(), &lease)
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_secs(5)).await;
    assert_eq!(a.await.unwrap(), Err(LeaderError::Lost));
    assert_eq!(
        leaders.active.load(Ordering::SeqCst),
        0,
        "the work saw the loss and stopped"
    );
}

#[tokio::test(start_paused = true)]
async fn try_acquire_is_a_single_step() {
    let client = support::memory_client();
    let mut a = LeaderElector::new(leases(&client), "step", "a")
        .lease_duration(Duration::from_secs(10))
        .retry_period(Duration::from_secs(1));
    let mut b = LeaderElector::new(leases(&client), "step", "b");
    assert!(a.try_acquire_or_renew().await.unwrap());
    assert!(!b.try_acquire_or_renew().await.unwrap());
    tokio::time::sleep(Duration::from_secs(9)).await;
    assert!(
        !b.try_acquire_or_renew().await.unwrap(),
        "b has watched it for 9 s only"
    );
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert!(
        b.try_acquire_or_renew().await.unwrap(),
        "unchanged for 11 s: expired"
    );
    assert!(
        !a.try_acquire_or_renew().await.unwrap(),
        "a sees b's fresh renewal"
    );
    b.release().await.unwrap();
    assert!(
        a.try_acquire_or_renew().await.unwrap(),
        "released: free at once"
    );
}
