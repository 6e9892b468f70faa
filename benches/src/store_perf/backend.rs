//! The backends measured and how each is opened for a run.

use std::fmt;
use std::path::Path;
use std::sync::Arc;

use anyhow::Context as _;
use store::{KvStore, MemoryStore, SledStore, StoreOptions};

use super::etcd_server::EtcdServer;

/// A storage backend of the store crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Backend {
    /// `MemoryStore`: no durability, the floor of what the engine costs.
    Memory,
    /// `SledStore`: durable, embedded, group commit.
    Sled,
    /// `EtcdStore` against an etcd server this run starts.
    Etcd,
}

impl Backend {
    /// The name used in the table and the JSON.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Backend::Memory => "memory",
            Backend::Sled => "sled",
            Backend::Etcd => "etcd",
        }
    }

    /// Opens a fresh, empty store with default options; sled's files and etcd's data
    /// directory go under `scratch`.
    pub(crate) async fn open(self, scratch: &Path) -> anyhow::Result<Opened> {
        let opened = match self {
            Backend::Memory => Opened {
                kv: Arc::new(MemoryStore::with_options(StoreOptions::default())),
                sled: None,
                _etcd: None,
            },
            Backend::Sled => {
                let store = SledStore::open(scratch.join("sled"), StoreOptions::default())
                    .context("open the sled store")?;
                Opened {
                    kv: Arc::new(store.clone()),
                    sled: Some(store),
                    _etcd: None,
                }
            }
            Backend::Etcd => {
                let (server, store) = EtcdServer::start(&scratch.join("etcd")).await?;
                Opened {
                    kv: Arc::new(store),
                    sled: None,
                    _etcd: Some(server),
                }
            }
        };
        Ok(opened)
    }
}

impl fmt::Display for Backend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// An open store and what keeps it alive. Fields drop in order: the store before
/// the etcd server it talks to.
pub(crate) struct Opened {
    /// The store, as every layer above sees it.
    pub(crate) kv: Arc<dyn KvStore>,
    /// The same store when it is sled's, for its writer's counters.
    pub(crate) sled: Option<SledStore>,
    _etcd: Option<EtcdServer>,
}
