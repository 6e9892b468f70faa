//! The built-in backends.

mod memory;
mod options;
mod sled;

pub use self::memory::MemoryStore;
pub use self::options::StoreOptions;
pub use self::sled::{SledStore, SledWriteStats};

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use crate::{KvError, KvStore, MemoryStore, SledStore, WatchStream};

    fn send_sync<T: Send + Sync>() {}
    fn send<T: Send>() {}

    #[test]
    fn public_types_cross_threads() {
        send_sync::<MemoryStore>();
        send_sync::<SledStore>();
        send_sync::<Arc<dyn KvStore>>();
        send_sync::<KvError>();
        send::<WatchStream>();
    }
}
