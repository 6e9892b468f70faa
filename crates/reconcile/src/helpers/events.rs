//! Event recording: core/v1 Events about the objects a controller manages, with
//! repeats folded into a count.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use client::{Api, Client, ClientError, Patch, PatchParams, PostParams};
use core_types::core_v1::{Event, EventSource, ObjectReference};
use core_types::{MicroTime, ObjectMeta, Time};
use serde_json::json;

use crate::jitter::random_u64;

/// Who reports events: the controller's name (`reportingComponent`, e.g.
/// `example.com/widget-controller`) and, optionally, its instance (a pod or host name).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Reporter {
    /// The controller.
    pub controller: String,
    /// The instance of the controller.
    pub instance: Option<String>,
}

impl Reporter {
    /// A reporter named `controller`.
    pub fn new(controller: impl Into<String>) -> Self {
        Reporter {
            controller: controller.into(),
            instance: None,
        }
    }
}

/// `Normal` or `Warning`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EventType {
    /// Something expected happened.
    Normal,
    /// Something needs attention.
    Warning,
}

impl EventType {
    fn as_str(self) -> &'static str {
        match self {
            EventType::Normal => "Normal",
            EventType::Warning => "Warning",
        }
    }
}

/// One event to publish.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EventRecord {
    /// `Normal` or `Warning`.
    pub type_: EventType,
    /// A short CamelCase reason, e.g. `Scaled`.
    pub reason: String,
    /// A human-readable note.
    pub message: String,
    /// What was done or failed, e.g. `Scaling`.
    pub action: String,
}

/// What identifies repeats of an event.
type SeriesKey = (String, String, String, EventType, String, String, String);

/// A published event: its namespace, name and count.
type Published = (String, String, i32);

/// How many distinct events the recorder remembers for folding repeats.
const REMEMBERED: usize = 4096;

/// Publishes events about objects.
///
/// A repeat of an event (same object, type, reason, action and message) that this
/// recorder published before is folded into it: its `count` and `lastTimestamp` are
/// patched instead of creating a new event, so a failing reconcile retried many times
/// leaves one event, not thousands. Events of cluster-scoped objects go to the
/// `default` namespace. Cheap to clone.
#[derive(Clone)]
pub struct Recorder {
    client: Arc<dyn Client>,
    reporter: Reporter,
    series: Arc<Mutex<HashMap<SeriesKey, Published>>>,
}

impl std::fmt::Debug for Recorder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Recorder")
            .field("reporter", &self.reporter)
            .finish_non_exhaustive()
    }
}

impl Recorder {
    /// A recorder publishing as `reporter`.
    pub fn new(client: Arc<dyn Client>, reporter: Reporter) -> Self {
        Recorder {
            client,
            reporter,
            series: Arc::default(),
        }
    }

    /// Publishes `record` about the object `about` (see
    /// [`object_reference`](crate::object_reference)).
    pub async fn publish(
        &self,
        about: &ObjectReference,
        record: EventRecord,
    ) -> Result<(), ClientError> {
        let namespace = if about.namespace.is_empty() {
            "default"
        } else {
            &about.namespace
        };
        let events = Api::<Event>::namespaced(self.client.clone(), namespace);
        let key: SeriesKey = (
            about.namespace.clone(),
            about.name.clone(),
            about.uid.clone(),
            record.type_,
            record.reason.clone(),
            record.action.clone(),
            record.message.clone(),
        );
        let now = Time::now();
        let known = self.lock().get(&key).cloned();
        if let Some((ns, name, count)) = known.filter(|(ns, _, _)| ns == namespace) {
            let patch = json!({ "count": count + 1, "lastTimestamp": now.to_string() });
            match events
                .patch(&name, &PatchParams::default(), &Patch::Merge(patch))
                .await
            {
                Ok(_) => {
                    self.lock().insert(key, (ns, name, count + 1));
                    return Ok(());
                }
                // Expired or deleted: start a new one.
                Err(e) if e.is_not_found() => {}
                Err(e) => return Err(e),
            }
        }
        let event = Event {
            metadata: ObjectMeta {
                name: format!("{}.{:016x}", about.name, random_u64()),
                namespace: namespace.to_owned(),
                ..ObjectMeta::default()
            },
            involved_object: about.clone(),
            reason: record.reason,
            message: record.message,
            source: EventSource {
                component: self.reporter.controller.clone(),
                host: self.reporter.instance.clone().unwrap_or_default(),
            },
            first_timestamp: Some(now),
            last_timestamp: Some(now),
            count: 1,
            type_: record.type_.as_str().to_owned(),
            event_time: Some(MicroTime::now()),
            action: record.action,
            reporting_component: self.reporter.controller.clone(),
            reporting_instance: self.reporter.instance.clone().unwrap_or_default(),
            ..Event::default()
        };
        let created = events.create(&PostParams::default(), &event).await?;
        let mut series = self.lock();
        if series.len() >= REMEMBERED {
            series.clear();
        }
        series.insert(key, (namespace.to_owned(), created.metadata.name, 1));
        Ok(())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<SeriesKey, Published>> {
        self.series.lock().unwrap_or_else(PoisonError::into_inner)
    }
}
