//! The object-layer suite on [`InProcessClient`] over [`SledStore`]: the durable
//! backend under the object layer and the watch cache.

mod objects;

use std::sync::Arc;

use objects::Subject;
use store::{InProcessClient, KvStore, SledStore, StoreOptions};

async fn sled() -> Subject {
    let dir = tempfile::tempdir().expect("temporary directory");
    let kv: Arc<dyn KvStore> =
        Arc::new(SledStore::open(dir.path(), StoreOptions::default()).expect("open"));
    Subject::new(Arc::new(InProcessClient::new(kv.clone())), kv).keeping(dir)
}

objects::object_suite!(sled());
