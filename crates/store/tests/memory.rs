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
