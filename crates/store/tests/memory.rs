//! The conformance suite on [`MemoryStore`].

mod conformance;

use std::sync::Arc;

use conformance::{Subject, WATCH_BUFFER};
use store::{MemoryStore, StoreOptions};

async fn memory() -> Subject {
    let options = StoreOptions::default().watch_buffer(WATCH_BUFFER);
    Subject::new(Arc::new(MemoryStore::with_options(options)))
}

conformance::conformance_suite!(memory(), model_cases: 256);

/// The memory store answers at once; a task writing in a loop must still give the
/// runtime back now and then (tokio's cooperative budget), or a watcher on the same
/// worker would wait until the loop ends.
#[tokio::test(flavor = "current_thread")]
async fn a_loop_of_writes_lets_other_tasks_run() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use store::KvStoreExt as _;

    let store = MemoryStore::new();
    let ran_at = Arc::new(AtomicUsize::new(usize::MAX));
    let written = Arc::new(AtomicUsize::new(0));
    let (r, w) = (ran_at.clone(), written.clone());
    tokio::spawn(async move { r.store(w.load(Ordering::Relaxed), Ordering::Relaxed) });
    for i in 0..1000_usize {
        store.put(format!("/k/{i}"), "v").await.unwrap();
        written.store(i + 1, Ordering::Relaxed);
    }
    let at = ran_at.load(Ordering::Relaxed);
    assert!(at < 1000, "the other task ran only after the loop ({at})");
}
