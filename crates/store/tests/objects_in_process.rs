//! The object-layer suite on [`InProcessClient`] (watches and any-version lists from
//! the watch cache) over [`MemoryStore`].

mod objects;

use std::sync::Arc;

use objects::Subject;
use store::{InProcessClient, KvStore, MemoryStore};

async fn in_process() -> Subject {
    let kv: Arc<dyn KvStore> = Arc::new(MemoryStore::new());
    Subject::new(Arc::new(InProcessClient::new(kv.clone())), kv)
}

objects::object_suite!(in_process());
