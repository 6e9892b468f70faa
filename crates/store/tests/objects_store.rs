//! The object-layer suite on [`ObjectStore`] itself (no cache) over [`MemoryStore`].

mod objects;

use std::sync::Arc;

use objects::Subject;
use store::{KvStore, MemoryStore, ObjectStore};

async fn uncached() -> Subject {
    let kv: Arc<dyn KvStore> = Arc::new(MemoryStore::new());
    Subject::new(Arc::new(ObjectStore::new(kv.clone())), kv)
}

objects::object_suite!(uncached());
