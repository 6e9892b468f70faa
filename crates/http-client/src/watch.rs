//! Watches: a chunked stream of `{"type", "object"}` lines, resumed transparently from
//! the last resourceVersion when the server ends the request or the connection drops.

use bytes::{Bytes, BytesMut};
use client::{ClientError, RawObject, WatchEvent, WatchParams, WatchStream};
use core_types::{ApiResource, DynamicObject, Status};
use futures::StreamExt as _;
use http_body_util::BodyExt as _;
use hyper::Method;
use hyper::body::Incoming;
use serde::Deserialize;
use serde_json::value::RawValue;
use tokio::time::Instant;

use crate::answer::fill_types;
use crate::transport::{Call, HttpClient, bump};
use crate::url::{self, Query};

/// A line longer than this is refused (a broken or hostile server).
const MAX_LINE: usize = 64 << 20;

/// What a watch's events carry, made from the JSON of one event's object.
pub(crate) trait WireObject: Sized + Send + 'static {
    /// The object and its resourceVersion (where a resumed watch starts), or why the
    /// JSON is not an object of `resource`.
    fn from_wire(json: &str, resource: &ApiResource) -> Result<(Self, String), String>;
}

impl WireObject for DynamicObject {
    fn from_wire(json: &str, resource: &ApiResource) -> Result<(Self, String), String> {
        let mut o: DynamicObject = serde_json::from_str(json).map_err(|e| e.to_string())?;
        fill_types(&mut o, resource);
        let version = o.metadata.resource_version.clone();
        Ok((o, version))
    }
}

/// The object as sent; only its resourceVersion is read.
impl WireObject for RawObject {
    fn from_wire(json: &str, _: &ApiResource) -> Result<(Self, String), String> {
        let version = serde_json::from_str::<Bookmark>(json)
            .map_err(|e| e.to_string())?
            .metadata
            .resource_version;
        let raw = RawObject::new(Bytes::copy_from_slice(json.as_bytes()));
        Ok((raw, version))
    }
}

/// Opens a watch; see the crate documentation for resumption and `Gone`.
pub(crate) async fn start<T: WireObject>(
    client: HttpClient,
    resource: &ApiResource,
    namespace: Option<&str>,
    params: &WatchParams,
) -> Result<WatchStream<T>, ClientError> {
    let path = url::collection(resource, namespace)?;
    let version = params.resource_version.clone().filter(|v| !v.is_empty());
    let mut watch = Watch {
        client,
        path,
        resource: resource.clone(),
        params: params.clone(),
        resumable: version.as_deref().is_some_and(|v| v != "0"),
        version,
        deadline: params.timeout.map(|t| Instant::now() + t),
        body: None,
        buffer: BytesMut::new(),
        finished: false,
        output: std::marker::PhantomData,
    };
    match watch.connect().await {
        Ok(body) => watch.body = Some(body),
        // The contract: an expired resourceVersion is the stream's first item.
        Err(e) if e.is_gone() => return Ok(futures::stream::iter([Err(e)]).boxed()),
        Err(e) => return Err(e),
    }
    Ok(futures::stream::unfold(watch, |mut w| async move {
        let item = w.next().await?;
        Some((item, w))
    })
    .boxed())
}

struct Watch<T> {
    client: HttpClient,
    /// The collection's path (without query).
    path: String,
    resource: ApiResource,
    params: WatchParams,
    /// Where to resume: the resourceVersion of the last event or bookmark.
    version: Option<String>,
    /// False while a watch started without a resourceVersion may still be sending
    /// the initial state (objects in key order, not resourceVersion order: no resume
    /// point); true once it started at a version or a bookmark arrived.
    resumable: bool,
    /// When the caller's timeout ends the stream.
    deadline: Option<Instant>,
    body: Option<Incoming>,
    buffer: BytesMut,
    finished: bool,
    output: std::marker::PhantomData<fn() -> T>,
}

/// What one line of the stream means.
// Short-lived (made and matched at once): boxing the event would only add an allocation.
#[allow(clippy::large_enum_variant)]
enum Step<T> {
    /// Nothing for the caller (a bookmark it did not ask for, an empty line).
    Skip,
    /// An event for the caller.
    Event(WatchEvent<T>),
    /// An error; the stream ends after it.
    End(ClientError),
}

/// What reading the body gave.
enum Read {
    Data,
    /// The server ended the response, or the connection dropped.
    Ended,
    /// The caller's timeout passed.
    Deadline,
}

#[derive(Deserialize)]
struct RawEvent<'a> {
    #[serde(rename = "type")]
    kind: String,
    #[serde(borrow)]
    object: &'a RawValue,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct BookmarkMeta {
    #[serde(default)]
    resource_version: String,
}

#[derive(Deserialize)]
struct Bookmark {
    #[serde(default)]
    metadata: BookmarkMeta,
}

impl<T: WireObject> Watch<T> {
    async fn next(&mut self) -> Option<Result<WatchEvent<T>, ClientError>> {
        if self.finished {
            return None;
        }
        loop {
            if let Some(pos) = self.buffer.iter().position(|b| *b == b'\n') {
                let line = self.buffer.split_to(pos + 1);
                match self.step(&line[..pos]) {
                    Step::Skip => continue,
                    Step::Event(event) => return Some(Ok(event)),
                    Step::End(error) => {
                        self.finish();
                        return Some(Err(error));
                    }
                }
            }
            if self.buffer.len() > MAX_LINE {
                self.finish();
                return Some(Err(decode_error(format!(
                    "a watch event is longer than {MAX_LINE} bytes"
                ))));
            }
            match self.read().await {
                Read::Data => {}
                Read::Deadline => {
                    self.finish();
                    return None;
                }
                Read::Ended => {
                    self.body = None;
                    self.buffer.clear();
                    if self.deadline.is_some_and(|d| Instant::now() >= d) {
                        self.finish();
                        return None;
                    }
                    if !self.resumable {
                        self.finish();
                        return Some(Err(ClientError::gone(
                            "the watch ended while sending the initial state, before any \
                             resourceVersion to resume from: re-list",
                        )));
                    }
                    bump(&self.client.inner.stats.watch_resumes);
                    tracing::debug!(path = %self.path, version = ?self.version, "resuming watch");
                    match self.connect().await {
                        Ok(body) => self.body = Some(body),
                        Err(e) => {
                            self.finish();
                            return Some(Err(e));
                        }
                    }
                }
            }
        }
    }

    fn finish(&mut self) {
        self.finished = true;
        self.body = None;
        self.buffer.clear();
    }

    /// Opens one watch request from the current resume point.
    async fn connect(&self) -> Result<Incoming, ClientError> {
        let per_request = self.client.inner.watch_request_timeout;
        let timeout = match self.deadline {
            Some(deadline) => {
                let left = deadline.saturating_duration_since(Instant::now());
                Some(per_request.map_or(left, |p| p.min(left)))
            }
            None => per_request,
        };
        let query = Query::watch(&self.params, self.version.as_deref(), timeout);
        let path = format!("{}{}", self.path, query.as_str());
        self.client
            .open(&Call {
                method: Method::GET,
                path: &path,
                body: None,
            })
            .await
    }

    /// Reads the next chunk into the buffer.
    async fn read(&mut self) -> Read {
        let Some(body) = self.body.as_mut() else {
            return Read::Ended;
        };
        let frame = match self.deadline {
            Some(deadline) => match tokio::time::timeout_at(deadline, body.frame()).await {
                Ok(frame) => frame,
                Err(_) => return Read::Deadline,
            },
            None => body.frame().await,
        };
        match frame {
            Some(Ok(frame)) => {
                if let Ok(data) = frame.into_data() {
                    self.buffer.extend_from_slice(&data);
                }
                Read::Data
            }
            Some(Err(e)) => {
                tracing::debug!(path = %self.path, error = %e, "watch connection dropped");
                Read::Ended
            }
            None => Read::Ended,
        }
    }

    /// Interprets one line.
    fn step(&mut self, line: &[u8]) -> Step<T> {
        if line.iter().all(u8::is_ascii_whitespace) {
            return Step::Skip;
        }
        let raw: RawEvent<'_> = match serde_json::from_slice(line) {
            Ok(raw) => raw,
            Err(e) => return Step::End(decode_error(format!("a watch line is not an event: {e}"))),
        };
        let object = raw.object.get();
        match raw.kind.as_str() {
            "ADDED" | "MODIFIED" | "DELETED" => {
                let (o, version) = match T::from_wire(object, &self.resource) {
                    Ok(decoded) => decoded,
                    Err(e) => {
                        return Step::End(decode_error(format!(
                            "a watch event's object is not a {}: {e}",
                            self.resource.kind
                        )));
                    }
                };
                if !version.is_empty() {
                    self.version = Some(version);
                }
                Step::Event(match raw.kind.as_str() {
                    "ADDED" => WatchEvent::Added(o),
                    "MODIFIED" => WatchEvent::Modified(o),
                    _ => WatchEvent::Deleted(o),
                })
            }
            "BOOKMARK" => {
                let version = serde_json::from_str::<Bookmark>(object)
                    .map(|b| b.metadata.resource_version)
                    .unwrap_or_default();
                if version.is_empty() {
                    return Step::Skip;
                }
                self.version = Some(version.clone());
                self.resumable = true;
                if self.params.allow_bookmarks {
                    Step::Event(WatchEvent::Bookmark {
                        resource_version: version,
                    })
                } else {
                    Step::Skip
                }
            }
            "ERROR" => {
                let status: Status = serde_json::from_str(object).unwrap_or_else(|_| Status {
                    message: format!("watch error: {object}"),
                    code: 500,
                    ..Status::default()
                });
                Step::End(ClientError::from_status(status))
            }
            other => Step::End(decode_error(format!("unknown watch event type {other:?}"))),
        }
    }
}

fn decode_error(message: String) -> ClientError {
    ClientError::Decode {
        path: String::new(),
        message,
    }
}
