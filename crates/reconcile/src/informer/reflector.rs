//! The reflector: list, then watch from the list's resourceVersion, into a
//! [`Writer`]; re-list when the watch's history is gone or the watch fails.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use client::{Api, ClientError, ListParams, WatchEvent, WatchParams};
use core_types::Resource;
use futures::StreamExt;
use tokio::time::Instant;

use super::InformerConfig;
use super::cache::Writer;
use crate::jitter::jittered;

/// Counters of an informer's list and watch activity.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct InformerStats {
    /// Complete lists applied (the first one and every re-list).
    pub lists: u64,
    /// Watches started.
    pub watches: u64,
    /// Re-lists because the watch's history was gone (`410 Gone`).
    pub gone: u64,
    /// Failed lists and watches (each followed by a backoff).
    pub failures: u64,
    /// Watch events applied.
    pub events: u64,
    /// Listed objects and watch events skipped because they did not decode as the
    /// informer's type.
    pub decode_errors: u64,
}

#[derive(Default)]
pub(crate) struct Stats {
    lists: AtomicU64,
    watches: AtomicU64,
    gone: AtomicU64,
    failures: AtomicU64,
    events: AtomicU64,
    decode_errors: AtomicU64,
}

impl Stats {
    pub(crate) fn snapshot(&self) -> InformerStats {
        let get = |c: &AtomicU64| c.load(Ordering::Relaxed);
        InformerStats {
            lists: get(&self.lists),
            watches: get(&self.watches),
            gone: get(&self.gone),
            failures: get(&self.failures),
            events: get(&self.events),
            decode_errors: get(&self.decode_errors),
        }
    }
}

fn bump(counter: &AtomicU64) {
    counter.fetch_add(1, Ordering::Relaxed);
}

/// Exponential backoff with jitter, reset once things work again.
struct Backoff {
    initial: Duration,
    max: Duration,
    next: Duration,
}

impl Backoff {
    fn new(initial: Duration, max: Duration) -> Self {
        Backoff {
            initial,
            max,
            next: initial,
        }
    }

    async fn wait(&mut self) {
        let delay = jittered(self.next);
        self.next = (self.next * 2).min(self.max);
        tokio::time::sleep(delay).await;
    }

    fn reset(&mut self) {
        self.next = self.initial;
    }
}

/// Why a watch ended.
enum WatchEnd {
    /// History gone: re-list.
    Gone,
    /// The watch failed: back off, then re-list.
    Failed(ClientError),
    /// The stream ended cleanly (timeout, server going away): watch again.
    Ended,
}

/// Runs until the task is aborted.
pub(crate) async fn run<K: Resource>(
    api: Api<K>,
    config: Arc<InformerConfig<K>>,
    mut writer: Writer<K>,
    stats: Arc<Stats>,
) {
    let mut backoff = Backoff::new(config.backoff_initial, config.backoff_max);
    // The first list may be served from a cache (resourceVersion 0); later ones read
    // the latest state, so the cache never goes back in time.
    let mut first = true;
    loop {
        let mut version = match list(&api, &config, first, &stats).await {
            Ok((items, version)) => {
                writer.replace(items);
                bump(&stats.lists);
                first = false;
                version
            }
            Err(e) => {
                bump(&stats.failures);
                tracing::warn!(kind = %api.resource().kind, error = %e, "list failed");
                backoff.wait().await;
                continue;
            }
        };
        loop {
            bump(&stats.watches);
            let (end, productive) = watch(&api, &config, &mut writer, &mut version, &stats).await;
            if productive {
                backoff.reset();
            }
            match end {
                WatchEnd::Gone => {
                    bump(&stats.gone);
                    tracing::debug!(kind = %api.resource().kind, "watch history gone; re-listing");
                    break;
                }
                WatchEnd::Failed(e) => {
                    bump(&stats.failures);
                    tracing::warn!(kind = %api.resource().kind, error = %e, "watch failed");
                    backoff.wait().await;
                    break;
                }
                WatchEnd::Ended if productive => {}
                WatchEnd::Ended => backoff.wait().await,
            }
        }
    }
}

/// Lists every object (page by page), returning them and the list's resourceVersion.
/// Objects that do not decode as `K` are skipped (and counted): one malformed object
/// must not keep the whole cache from filling.
async fn list<K: Resource>(
    api: &Api<K>,
    config: &InformerConfig<K>,
    any_version: bool,
    stats: &Stats,
) -> Result<(Vec<K>, String), ClientError> {
    let mut params = ListParams::default();
    params.label_selector = config.labels.clone();
    params.field_selector = config.fields.clone();
    if any_version {
        params = params.any_version();
    } else if config.page_size > 0 {
        params = params.limit(config.page_size);
    }
    let mut items = Vec::new();
    loop {
        let page = api
            .client()
            .list(api.resource(), api.namespace(), &params)
            .await?;
        let token = page.continue_token().map(str::to_owned);
        let version = page.metadata.resource_version;
        items.reserve(page.items.len());
        for object in page.items {
            let name = object.metadata.name.clone();
            match client::from_dynamic::<K>(object, api.resource()) {
                Ok(typed) => items.push(typed),
                Err(e) => {
                    bump(&stats.decode_errors);
                    tracing::warn!(kind = %api.resource().kind, %name, error = %e, "listed object does not decode");
                }
            }
        }
        match token {
            Some(token) => params = params.continue_token(token),
            None => return Ok((items, version)),
        }
    }
}

/// Watches from `version`, applying events, until the stream ends or fails. Also
/// tells whether the watch worked for a while (delivered something, or lasted a
/// second), which resets the backoff.
async fn watch<K: Resource>(
    api: &Api<K>,
    config: &InformerConfig<K>,
    writer: &mut Writer<K>,
    version: &mut String,
    stats: &Stats,
) -> (WatchEnd, bool) {
    let mut params = WatchParams::default()
        .resource_version(version.clone())
        .bookmarks();
    params.label_selector = config.labels.clone();
    params.field_selector = config.fields.clone();
    params.timeout = config.watch_timeout.map(jittered);
    let started = Instant::now();
    let mut stream = match api.watch(&params).await {
        Ok(stream) => stream,
        Err(e) if e.is_gone() => return (WatchEnd::Gone, false),
        Err(e) => return (WatchEnd::Failed(e), false),
    };
    let mut productive = false;
    let end = loop {
        let Some(item) = stream.next().await else {
            break WatchEnd::Ended;
        };
        match item {
            Ok(event) => {
                productive = true;
                match event {
                    WatchEvent::Added(obj) | WatchEvent::Modified(obj) => {
                        version.clone_from(&obj.meta().resource_version);
                        writer.apply(obj);
                        bump(&stats.events);
                    }
                    WatchEvent::Deleted(obj) => {
                        version.clone_from(&obj.meta().resource_version);
                        writer.delete(obj);
                        bump(&stats.events);
                    }
                    WatchEvent::Bookmark { resource_version } => *version = resource_version,
                }
            }
            Err(e) if e.is_gone() => break WatchEnd::Gone,
            Err(ClientError::Decode { path, message }) => {
                // The stream goes on; the object is corrected by its next change or
                // the next re-list.
                bump(&stats.decode_errors);
                tracing::warn!(kind = %api.resource().kind, %path, %message, "watch event does not decode");
            }
            Err(e) => break WatchEnd::Failed(e),
        }
    };
    (
        end,
        productive || started.elapsed() >= Duration::from_secs(1),
    )
}
