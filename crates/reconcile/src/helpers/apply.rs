//! Create-or-update: make an object exist in the desired shape.

use client::{Api, ClientError, PostParams};
use core_types::Resource;

/// What [`create_or_update`] did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Applied {
    /// The object did not exist and was created.
    Created,
    /// The object existed and was changed.
    Updated,
    /// The object existed and already had the desired shape: nothing was written.
    Unchanged,
}

/// How many times a lost race (`Conflict`) is retried with a fresh read.
const ATTEMPTS: usize = 5;

/// Makes the object named like `template` exist with `mutate` applied.
///
/// Reads the object; if it exists, `mutate` is applied to it and, if that changed
/// anything, it is replaced (guarded by its resourceVersion; a conflict reads again
/// and retries, up to 5 times). If it does not exist, `mutate` is applied to
/// `template`, which is created. `mutate` may thus run more than once; it should set
/// the fields the caller owns and leave the others alone.
///
/// ```no_run
/// use client::Api;
/// use core_types::core_v1::ConfigMap;
/// use core_types::ObjectMeta;
/// use reconcile::{create_or_update, Applied};
///
/// # async fn demo(api: Api<ConfigMap>) -> Result<(), client::ClientError> {
/// let template = ConfigMap { metadata: ObjectMeta::named("default", "settings"), ..ConfigMap::default() };
/// let (applied, cm) = create_or_update(&api, template, |cm| {
///     cm.data.insert("mode".into(), "fast".into());
/// }).await?;
/// assert_ne!(applied, Applied::Unchanged);
/// # let _ = cm; Ok(()) }
/// ```
pub async fn create_or_update<K: Resource>(
    api: &Api<K>,
    template: K,
    mut mutate: impl FnMut(&mut K),
) -> Result<(Applied, K), ClientError> {
    let name = template.meta().name.clone();
    if name.is_empty() {
        return Err(ClientError::bad_request(
            "create_or_update needs a named template",
        ));
    }
    let mut last_conflict = None;
    for _ in 0..ATTEMPTS {
        let Some(mut current) = api.get_opt(&name).await? else {
            let mut object = template.clone();
            mutate(&mut object);
            match api.create(&PostParams::default(), &object).await {
                Ok(created) => return Ok((Applied::Created, created)),
                // Created by someone else meanwhile: update it instead.
                Err(e @ ClientError::AlreadyExists { .. }) => {
                    last_conflict = Some(e);
                    continue;
                }
                Err(e) => return Err(e),
            }
        };
        let before = serde_json::to_value(&current).ok();
        mutate(&mut current);
        if before.is_some() && serde_json::to_value(&current).ok() == before {
            return Ok((Applied::Unchanged, current));
        }
        match api.replace(&name, &PostParams::default(), &current).await {
            Ok(updated) => return Ok((Applied::Updated, updated)),
            Err(e) if e.is_conflict() => last_conflict = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last_conflict.unwrap_or_else(|| ClientError::internal("create_or_update gave up")))
}
