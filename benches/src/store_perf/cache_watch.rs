//! Watch latency through the object layer, as the API server will serve watches: an
//! `InProcessClient` (one `WatchCache` per kind) over the backend, watchers on one
//! namespace through `Client::watch`, writes through `Client::create` of ConfigMaps
//! holding 1 KiB of data.

use std::sync::Arc;
use std::time::{Duration, Instant};

use client::{Client, PostParams, WatchEvent, WatchParams};
use core_types::core_v1::ConfigMap;
use core_types::{DynamicObject, StaticResource as _};
use serde_json::json;
use store::{InProcessClient, KvStore};
use tokio::task::JoinSet;

use super::kv_ops::VALUE_LEN;
use super::report::Measurement;
use super::watch::{Driver, Received, analyse, fan_out, parse_seq};

/// The client every cache run of one backend shares (one cache per kind, as in an
/// API server).
pub(crate) fn client(kv: &Arc<dyn KvStore>) -> InProcessClient {
    InProcessClient::new(kv.clone())
}

/// `watchers` cache watchers on namespace `namespace`, `writes` paced creates.
pub(crate) async fn cache_watch(
    backend: &str,
    client: &InProcessClient,
    namespace: &str,
    watchers: usize,
    writes: usize,
    pace: Duration,
) -> anyhow::Result<Measurement> {
    let resource = ConfigMap::resource();
    // Start the kind's cache first, then watch from the current revision (the
    // list-then-watch of a controller).
    client.watch_cache(resource).await?;
    let after = client.objects().kv().current_revision().await?;
    let params = WatchParams::default().resource_version(after.to_string());
    let mut driver = Driver::new(watchers);
    let mut set = JoinSet::new();
    for _ in 0..watchers {
        let mut stream = client.watch(resource, Some(namespace), &params).await?;
        let signals = driver.watcher();
        set.spawn(async move {
            let mut stop = signals.stop;
            let mut got = Received {
                events: Vec::with_capacity(writes),
                error: None,
            };
            while got.events.len() < writes {
                match stop.next(&mut stream).await {
                    Some(Some(Ok(WatchEvent::Added(obj)))) => {
                        let now = Instant::now();
                        match parse_seq(obj.metadata.name.as_bytes()) {
                            Some(seq) => got.events.push((seq, now)),
                            None => {
                                let _ = signals.ready.try_send(());
                            }
                        }
                    }
                    Some(Some(Ok(_))) => {}
                    Some(Some(Err(e))) => {
                        got.error = Some(e.to_string());
                        break;
                    }
                    Some(None) => {
                        got.error = Some("stream ended".into());
                        break;
                    }
                    None => break,
                }
            }
            got
        });
    }
    let payload = "x".repeat(VALUE_LEN);
    let (received, written) = fan_out(watchers, writes, pace, &mut set, driver, |name| {
        let mut obj = DynamicObject::new(resource, name);
        obj.metadata.namespace = namespace.to_owned();
        obj.data
            .insert("data".into(), json!({ "payload": payload.clone() }));
        async move {
            client
                .create(resource, Some(namespace), obj, &PostParams::default())
                .await?;
            Ok(())
        }
    })
    .await?;
    Ok(analyse(
        backend,
        "watch-cache",
        watchers,
        &received,
        &written,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn memory_cache_fan_out_delivers_everything() {
        let kv: Arc<dyn KvStore> = Arc::new(store::MemoryStore::new());
        let client = client(&kv);
        for (namespace, watchers) in [("a", 1), ("b", 10)] {
            let m = cache_watch(
                "memory",
                &client,
                namespace,
                watchers,
                15,
                Duration::from_millis(1),
            )
            .await
            .unwrap();
            assert_eq!(m.ops, watchers * 15);
            assert_eq!(m.extra["missed"], json!(0));
        }
    }
}
