//! The built-in backends.

#[cfg(feature = "etcd")]
mod etcd;
mod memory;
mod options;
mod sled;

#[cfg(feature = "etcd")]
pub use self::etcd::{EtcdOptions, EtcdStore};
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
