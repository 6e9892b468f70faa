//! The built-in backends.

mod memory;
mod options;
mod sled;

pub use self::memory::MemoryStore;
pub use self::options::StoreOptions;
pub use self::sled::{SledStore, SledWriteStats};
