//! The conformance suite every [`KvStore`] backend passes.
//!
//! A backend's test file declares `mod conformance;` and invokes
//! [`conformance_suite!`] with an expression that builds a fresh [`Subject`] (a future),
//! configured with a watch buffer of [`WATCH_BUFFER`] revisions. The macro generates
//! one `#[tokio::test]` per case, so a backend can see at a glance what it fails.
//!
//! Cases assume nothing about where revisions start: they read the store's current
//! revision first. Every case writes under its own key prefix.

#![allow(dead_code, unreachable_pub)]

pub mod basics;
pub mod concurrency;
pub mod lease;
pub mod model;
pub mod range;
pub mod watch;

use std::any::Any;
use std::sync::Arc;
use std::time::Duration;

use futures::StreamExt;
use store::{KvError, KvStore, Revision, WatchEvent, WatchStream};

/// The watch buffer (in revisions) a backend under test must be configured with.
pub const WATCH_BUFFER: usize = 32;

/// How long a case waits for an expected watch item before failing.
pub const WAIT: Duration = Duration::from_secs(30);

/// A store under test, with whatever must live as long as it (a temporary directory).
pub struct Subject {
    /// The store.
    pub store: Arc<dyn KvStore>,
    guard: Option<Box<dyn Any + Send + Sync>>,
}

impl Subject {
    /// A subject owning nothing else.
    pub fn new(store: Arc<dyn KvStore>) -> Self {
        Subject { store, guard: None }
    }

    /// Keeps `guard` alive as long as the subject.
    pub fn keeping(mut self, guard: impl Any + Send + Sync) -> Self {
        self.guard = Some(Box::new(guard));
        self
    }
}

/// Reads watch items until one at `revision` (or later) arrives; fails on an error
/// item, the end of the stream or a timeout.
pub async fn collect_until(stream: &mut WatchStream, revision: Revision) -> Vec<Vec<WatchEvent>> {
    let mut batches = Vec::new();
    loop {
        let item = tokio::time::timeout(WAIT, stream.next())
            .await
            .unwrap_or_else(|_| panic!("no watch item up to revision {revision} in time"));
        let batch = item
            .unwrap_or_else(|| panic!("watch ended before revision {revision}"))
            .unwrap_or_else(|error| panic!("watch failed before revision {revision}: {error}"));
        let last = batch
            .last()
            .map(WatchEvent::revision)
            .expect("watch items are never empty");
        batches.push(batch.to_vec());
        if last >= revision {
            return batches;
        }
    }
}

/// Like [`collect_until`] on a fresh watch of `prefix` after `after`, but on
/// [`KvError::WatchLagged`] watches again from where it was cut off, as a real client
/// does: the result must still be every change, once.
pub async fn collect_resuming(
    store: Arc<dyn KvStore>,
    prefix: &'static str,
    after: Revision,
    until: Revision,
) -> Vec<Vec<WatchEvent>> {
    let mut batches: Vec<Vec<WatchEvent>> = Vec::new();
    let mut stream = store.watch(prefix.into(), after).await.expect("watch");
    loop {
        let item = tokio::time::timeout(WAIT, stream.next())
            .await
            .unwrap_or_else(|_| panic!("no watch item up to revision {until} in time"));
        match item {
            Some(Ok(batch)) => {
                let last = batch[0].revision();
                batches.push(batch.to_vec());
                if last >= until {
                    return batches;
                }
            }
            Some(Err(KvError::WatchLagged { resume_from })) => {
                let delivered = batches.last().map_or(after, |batch| batch[0].revision());
                assert_eq!(
                    resume_from, delivered,
                    "resume point is the last delivered revision"
                );
                stream = store
                    .watch(prefix.into(), resume_from)
                    .await
                    .expect("watch again");
            }
            other => panic!("watch interrupted before revision {until}: {other:?}"),
        }
    }
}

/// Checks that batches are one per revision, strictly increasing, each holding
/// events of a single revision.
pub fn assert_well_formed(batches: &[Vec<WatchEvent>]) {
    let mut previous = None;
    for batch in batches {
        let revision = batch[0].revision();
        assert!(
            batch.iter().all(|event| event.revision() == revision),
            "a batch mixes revisions"
        );
        if let Some(previous) = previous {
            assert!(revision > previous, "revision {revision} after {previous}");
        }
        previous = Some(revision);
    }
}

/// The events, flattened.
pub fn flatten(batches: Vec<Vec<WatchEvent>>) -> Vec<WatchEvent> {
    batches.into_iter().flatten().collect()
}

/// Generates one test per conformance case for a backend.
///
/// `$make` is an expression evaluating to a future of a [`Subject`]; it is evaluated
/// afresh in every test. `model_cases` is the number of proptest cases of the model test.
macro_rules! conformance_suite {
    ($make:expr, model_cases: $cases:expr) => {
        conformance::conformance_suite!(@plain $make;
            basics::revisions_increase_by_one_per_write,
            basics::create_update_delete_and_conflicts,
            basics::txn_is_all_or_nothing,
            basics::txn_compares_version_and_value,
            basics::invalid_input_is_rejected,
            range::range_pages_with_prefix_limit_and_continuation,
            range::range_reads_past_revisions,
            range::compaction_refuses_older_reads_and_watches,
            watch::watch_from_every_revision_gets_exactly_the_later_events,
            watch::watches_opened_during_writes_switch_to_live_without_gaps,
            watch::watch_reports_deletes_with_previous_value,
            watch::watch_filters_by_prefix,
            watch::many_watchers_see_everything,
            watch::slow_watcher_is_cut_off_and_others_are_not,
            watch::watch_rejects_future_revisions,
            lease::unknown_lease_is_rejected,
            lease::revoke_deletes_attached_keys_at_one_revision,
            lease::put_without_lease_detaches_the_key,
        );
        conformance::conformance_suite!(@paused $make;
            lease::expiry_deletes_attached_keys,
            lease::keep_alive_postpones_expiry,
        );
        conformance::conformance_suite!(@threads $make;
            concurrency::racing_cas_increments_lose_nothing,
            concurrency::concurrent_creates_get_distinct_contiguous_revisions,
        );
        #[test]
        fn model_agrees_with_store() {
            conformance::model::check(|| $make, $cases);
        }
    };
    (@plain $make:expr; $($module:ident :: $case:ident),* $(,)?) => {$(
        #[tokio::test]
        async fn $case() {
            let subject = $make.await;
            conformance::$module::$case(&subject.store).await;
        }
    )*};
    (@paused $make:expr; $($module:ident :: $case:ident),* $(,)?) => {$(
        #[tokio::test(start_paused = true)]
        async fn $case() {
            let subject = $make.await;
            conformance::$module::$case(&subject.store).await;
        }
    )*};
    (@threads $make:expr; $($module:ident :: $case:ident),* $(,)?) => {$(
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn $case() {
            let subject = $make.await;
            conformance::$module::$case(&subject.store).await;
        }
    )*};
}

pub(crate) use conformance_suite;
