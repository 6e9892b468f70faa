//! Get and list: selectors, paging with continue tokens, resourceVersion semantics.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use bytes::Bytes;
use client::{ClientError, ListParams, ObjectList, ResourceVersionMatch};
use core_types::{ApiResource, DynamicObject, ListMeta};
use serde::{Deserialize, Serialize};

use super::ObjectStore;
use super::codec::{
    collection_namespace, decode, object_namespace, parse_resource_version, storage_error,
};
use super::filter::ObjectFilter;
use super::key::{ObjectKey, list_prefix};
use crate::kv::{KeyValue, KvError, KvStore, RangeRequest, Revision};

/// Keys read per storage call when a read has no limit of its own.
const PAGE: usize = 1_000;

/// Keys read per storage call at least, for a limited list with selectors.
const SELECTIVE_PAGE: usize = 256;

/// What a continue token holds: the revision of the first page and the last key
/// returned, relative to the list's prefix.
#[derive(Serialize, Deserialize)]
struct ContinueToken {
    rev: Revision,
    after: String,
}

impl ContinueToken {
    fn encode(&self) -> String {
        URL_SAFE_NO_PAD.encode(serde_json::to_vec(self).unwrap_or_default())
    }

    fn decode(token: &str) -> Result<Self, ClientError> {
        let invalid = || ClientError::bad_request(format!("invalid continue token {token:?}"));
        let bytes = URL_SAFE_NO_PAD.decode(token).map_err(|_| invalid())?;
        let parsed: ContinueToken = serde_json::from_slice(&bytes).map_err(|_| invalid())?;
        if parsed.rev <= 0 || parsed.after.is_empty() {
            return Err(invalid());
        }
        Ok(parsed)
    }
}

/// Where a list starts: the revision to read at (`None`: the latest) and the key to
/// continue after.
struct Start {
    revision: Option<Revision>,
    after: Option<Bytes>,
    from_token: bool,
}

impl ObjectStore {
    /// Reads one object.
    pub async fn get(
        &self,
        resource: &ApiResource,
        namespace: Option<&str>,
        name: &str,
    ) -> Result<DynamicObject, ClientError> {
        let namespace = object_namespace(resource, namespace)?;
        let key = ObjectKey::new(resource, namespace, name)?.to_string();
        match self.kv.get(key.as_bytes()).await.map_err(storage_error)? {
            Some(kv) => decode(&kv),
            None => Err(ClientError::not_found(resource, name)),
        }
    }

    /// Reads one object as JSON (what [`get`](Self::get) answers, encoded), from
    /// the stored bytes without decoding them.
    pub async fn get_json(
        &self,
        resource: &ApiResource,
        namespace: Option<&str>,
        name: &str,
    ) -> Result<Vec<u8>, ClientError> {
        let namespace = object_namespace(resource, namespace)?;
        let key = ObjectKey::new(resource, namespace, name)?.to_string();
        match self.kv.get(key.as_bytes()).await.map_err(storage_error)? {
            Some(kv) => super::raw::encoded(&kv),
            None => Err(ClientError::not_found(resource, name)),
        }
    }

    /// Lists objects; see [`ListParams`] for the parameters. `resourceVersion: "0"`
    /// reads the latest state here (a cache may serve it instead).
    pub async fn list(
        &self,
        resource: &ApiResource,
        namespace: Option<&str>,
        params: &ListParams,
    ) -> Result<ObjectList<DynamicObject>, ClientError> {
        let namespace = collection_namespace(resource, namespace)?;
        let prefix = list_prefix(resource, namespace)?;
        // The prefix already limits the namespace.
        let filter = ObjectFilter::for_list(None, params);
        let start = self.list_start(params, &prefix).await?;
        let limit = params.effective_limit().map(|l| l as usize);
        self.list_pages(&prefix, &filter, limit, start).await
    }

    async fn list_start(&self, params: &ListParams, prefix: &str) -> Result<Start, ClientError> {
        let rv = params.resource_version.as_deref().unwrap_or_default();
        if let Some(token) = params.continue_token.as_deref().filter(|t| !t.is_empty()) {
            if !rv.is_empty() {
                return Err(ClientError::bad_request(
                    "specifying resource version is not allowed when using continue",
                ));
            }
            let token = ContinueToken::decode(token)?;
            return Ok(Start {
                revision: Some(token.rev),
                after: Some(Bytes::from(format!("{prefix}{}", token.after))),
                from_token: true,
            });
        }
        let latest = Start {
            revision: None,
            after: None,
            from_token: false,
        };
        if rv.is_empty() || rv == "0" {
            return Ok(latest);
        }
        let wanted = parse_resource_version(rv)?;
        let exact = match params.resource_version_match {
            Some(ResourceVersionMatch::Exact) => true,
            Some(ResourceVersionMatch::NotOlderThan) => false,
            None => params.effective_limit().is_some(),
        };
        if exact {
            return Ok(Start {
                revision: Some(wanted),
                ..latest
            });
        }
        let current = self.kv.current_revision().await.map_err(storage_error)?;
        if wanted > current {
            return Err(ClientError::timeout(format!(
                "Too large resource version: {wanted}, current: {current}"
            )));
        }
        Ok(latest)
    }

    /// Reads pages until `limit` objects matched or the prefix is exhausted; every read
    /// after the first is at the first one's revision.
    async fn list_pages(
        &self,
        prefix: &str,
        filter: &ObjectFilter,
        limit: Option<usize>,
        start: Start,
    ) -> Result<ObjectList<DynamicObject>, ClientError> {
        let mut items = Vec::new();
        let mut revision = start.revision;
        let mut cursor = start.after;
        // With selectors, read more than the limit per call: most keys may not match,
        // and the continue token marks the last key examined, wherever the page ends.
        let chunk = match limit {
            Some(l) if filter.has_selectors() => l.max(SELECTIVE_PAGE),
            Some(l) => l,
            None => 0,
        };
        let mut metadata = ListMeta::default();
        loop {
            let mut request = RangeRequest::prefix(prefix.to_owned()).limit(chunk);
            if let Some(after) = &cursor {
                request = request.start_after(after.clone());
            }
            if let Some(rev) = revision {
                request = request.at_revision(rev);
            }
            let response = self.kv.range(request).await.map_err(|e| match e {
                KvError::Compacted { .. } if start.from_token => ClientError::gone(
                    "The provided continue parameter is too old to display a consistent list \
                     result. You can start a new list without the continue parameter.",
                ),
                other => storage_error(other),
            })?;
            let rev = *revision.get_or_insert(response.revision);
            let seen = response.kvs.len();
            for (i, kv) in response.kvs.into_iter().enumerate() {
                let obj = decode(&kv)?;
                cursor = Some(kv.key);
                if filter.matches(&obj) {
                    items.push(obj);
                }
                if limit.is_some_and(|l| items.len() >= l) {
                    if i + 1 < seen || response.more {
                        let after = cursor
                            .as_ref()
                            .and_then(|k| k.strip_prefix(prefix.as_bytes()))
                            .map(|k| String::from_utf8_lossy(k).into_owned())
                            .unwrap_or_default();
                        metadata.continue_token = ContinueToken { rev, after }.encode();
                        if !filter.has_selectors() {
                            let left = response.count.saturating_sub(i + 1);
                            metadata.remaining_item_count = i64::try_from(left).ok();
                        }
                    }
                    metadata.resource_version = rev.to_string();
                    return Ok(ObjectList { metadata, items });
                }
            }
            if !response.more || seen == 0 {
                metadata.resource_version = rev.to_string();
                return Ok(ObjectList { metadata, items });
            }
        }
    }
}

/// Every object under `prefix` at one revision (`at`, or the latest), with its key,
/// read in pages: the initial state of a watch or a cache.
pub(crate) async fn initial_state(
    kv: &dyn KvStore,
    prefix: &str,
    at: Option<Revision>,
) -> Result<(Revision, Vec<(Bytes, DynamicObject)>), ClientError> {
    let (revision, kvs) = initial_values(kv, prefix, at).await?;
    let mut objects = Vec::with_capacity(kvs.len());
    for kv in kvs {
        let obj = decode(&kv)?;
        objects.push((kv.key, obj));
    }
    Ok((revision, objects))
}

/// Like [`initial_state`], with the stored values left encoded.
pub(crate) async fn initial_values(
    kv: &dyn KvStore,
    prefix: &str,
    at: Option<Revision>,
) -> Result<(Revision, Vec<KeyValue>), ClientError> {
    let mut values = Vec::new();
    let mut revision = at;
    let mut cursor: Option<Bytes> = None;
    loop {
        let mut request = RangeRequest::prefix(prefix.to_owned()).limit(PAGE);
        if let Some(after) = cursor.take() {
            request = request.start_after(after);
        }
        if let Some(rev) = revision {
            request = request.at_revision(rev);
        }
        let response = kv.range(request).await.map_err(storage_error)?;
        revision.get_or_insert(response.revision);
        let exhausted = !response.more || response.kvs.is_empty();
        if let Some(last) = response.kvs.last() {
            cursor = Some(last.key.clone());
        }
        values.extend(response.kvs);
        if exhausted {
            return Ok((revision.unwrap_or(response.revision), values));
        }
    }
}
