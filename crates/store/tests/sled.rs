//! The conformance suite on [`SledStore`], plus what only a durable store has:
//! reopening, recovery checks, automatic compaction on disk.

mod conformance;

use std::sync::Arc;

use conformance::{Subject, WATCH_BUFFER};
use store::{SledStore, StoreOptions};

async fn sled() -> Subject {
    let dir = tempfile::tempdir().expect("temporary directory");
    let options = StoreOptions::default().watch_buffer(WATCH_BUFFER);
    let store = SledStore::open(dir.path(), options).expect("open");
    Subject::new(Arc::new(store)).keeping(dir)
}

conformance::conformance_suite!(sled(), model_cases: 32);
