//! An embedder's own kind, `Widget`, and its controller: `cargo run --bin widget-controller`.
use client::{Api, ClientError, PostParams};
use core_types::{ApiResource, ObjectMeta, Resource, Scope};
use reconcile::{Action, Controller, Informer, default_error_policy};
use serde::{Deserialize, Serialize};
use std::{sync::Arc, time::Duration};

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
struct Widget {
    metadata: ObjectMeta,
    spec: u32,
    status: u32,
}

impl Resource for Widget {
    type DynamicType = ApiResource;
    fn api_resource(kind: &ApiResource) -> &ApiResource {
        kind
    }
    fn meta(&self) -> &ObjectMeta {
        &self.metadata
    }
    fn meta_mut(&mut self) -> &mut ObjectMeta {
        &mut self.metadata
    }
}

/// Level-triggered: compare the desired size with the observed one; write what differs.
async fn reconcile(w: Arc<Widget>, api: Arc<Api<Widget>>) -> Result<Action, ClientError> {
    if w.status != w.spec {
        let mut observed = (*w).clone();
        observed.status = w.spec;
        api.replace_status(&w.metadata.name, &PostParams::default(), &observed)
            .await?;
        println!("{}: size {} observed", w.metadata.name, w.spec);
    }
    Ok(Action::requeue(Duration::from_secs(300)))
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let kind = ApiResource::new("example.com", "v1", "Widget", "widgets", Scope::Namespaced);
    let kv = Arc::new(store::MemoryStore::new());
    let client = Arc::new(store::InProcessClient::new(kv));
    let api = Arc::new(Api::<Widget>::namespaced_with(client, "ns", &kind));
    let controller = Controller::new(Informer::new((*api).clone())).concurrency(4);
    let handle = controller.handle();
    let running = tokio::spawn(controller.run(reconcile, default_error_policy, api.clone()));
    for spec in [10, 100, 1000] {
        let mut widget = Widget::default();
        (widget.metadata, widget.spec) = (ObjectMeta::named("ns", format!("w-{spec}")), spec);
        api.create(&PostParams::default(), &widget).await?;
    }
    while handle.store().len() < 3 || handle.store().find(|w| w.status != w.spec).is_some() {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    handle.shutdown();
    Ok(running.await?)
}
