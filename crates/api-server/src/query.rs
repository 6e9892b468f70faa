//! Query parameters: percent-decoding and the client crate's parameter types.

use std::time::Duration;

use client::{
    ClientError, DeleteParams, ListParams, PatchParams, PostParams, Preconditions,
    PropagationPolicy, ResourceVersionMatch, WatchParams,
};

/// The decoded `key=value` pairs of a query string.
#[derive(Clone, Debug, Default)]
pub(crate) struct Query(Vec<(String, String)>);

impl Query {
    /// Decodes `query` (without the `?`).
    pub(crate) fn parse(query: Option<&str>) -> Self {
        let pairs = query
            .unwrap_or("")
            .split('&')
            .filter(|p| !p.is_empty())
            .map(|p| {
                let (k, v) = p.split_once('=').unwrap_or((p, ""));
                (decode(k), decode(v))
            })
            .collect();
        Query(pairs)
    }

    /// The last value of `key`.
    pub(crate) fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// `key` as a boolean (`true`/`1`); absent is false.
    pub(crate) fn flag(&self, key: &str) -> bool {
        matches!(self.get(key), Some("true" | "1" | ""))
    }

    fn number<T: std::str::FromStr>(&self, key: &str) -> Result<Option<T>, ClientError> {
        self.get(key)
            .filter(|v| !v.is_empty())
            .map(|v| {
                v.parse()
                    .map_err(|_| ClientError::bad_request(format!("invalid {key}: {v:?}")))
            })
            .transpose()
    }

    /// `dryRun=All`.
    pub(crate) fn dry_run(&self) -> Result<bool, ClientError> {
        match self.get("dryRun") {
            None | Some("") => Ok(false),
            Some("All") => Ok(true),
            Some(other) => Err(ClientError::bad_request(format!(
                "unsupported dryRun value {other:?} (only \"All\")"
            ))),
        }
    }

    /// True for a watch request (`watch=true`).
    pub(crate) fn is_watch(&self) -> bool {
        self.flag("watch")
    }

    /// Parameters of a list.
    pub(crate) fn list_params(&self) -> Result<ListParams, ClientError> {
        let mut p = ListParams::default();
        if let Some(s) = self.get("labelSelector").filter(|s| !s.is_empty()) {
            p = p.labels(s.parse().map_err(ClientError::from)?);
        }
        if let Some(s) = self.get("fieldSelector").filter(|s| !s.is_empty()) {
            p = p.fields(s.parse().map_err(ClientError::from)?);
        }
        if let Some(limit) = self.number::<u32>("limit")? {
            p = p.limit(limit);
        }
        if let Some(c) = self.get("continue").filter(|s| !s.is_empty()) {
            p = p.continue_token(c);
        }
        if let Some(rv) = self.get("resourceVersion").filter(|s| !s.is_empty()) {
            p = p.resource_version(rv);
        }
        match self.get("resourceVersionMatch") {
            None | Some("") => {}
            Some("Exact") => p = p.resource_version_match(ResourceVersionMatch::Exact),
            Some("NotOlderThan") => {
                p = p.resource_version_match(ResourceVersionMatch::NotOlderThan);
            }
            Some(other) => {
                return Err(ClientError::bad_request(format!(
                    "invalid resourceVersionMatch {other:?}"
                )));
            }
        }
        Ok(p)
    }

    /// Parameters of a watch; `max_timeout` caps `timeoutSeconds` (and is the
    /// timeout when none is given).
    pub(crate) fn watch_params(&self, max_timeout: Duration) -> Result<WatchParams, ClientError> {
        let list = self.list_params()?;
        let mut p = WatchParams::from_list(&list);
        if let Some(rv) = list.resource_version {
            p = p.resource_version(rv);
        }
        if self.flag("allowWatchBookmarks") {
            p = p.bookmarks();
        }
        let timeout = self
            .number::<u64>("timeoutSeconds")?
            .map(Duration::from_secs)
            .map_or(max_timeout, |t| t.min(max_timeout));
        Ok(p.timeout(timeout))
    }

    /// Parameters of a create or replace.
    pub(crate) fn post_params(&self) -> Result<PostParams, ClientError> {
        let mut p = PostParams::default();
        if self.dry_run()? {
            p = p.dry_run();
        }
        if let Some(m) = self.get("fieldManager").filter(|s| !s.is_empty()) {
            p = p.field_manager(m);
        }
        Ok(p)
    }

    /// Parameters of a patch.
    pub(crate) fn patch_params(&self) -> Result<PatchParams, ClientError> {
        let mut p = PatchParams::default();
        if self.dry_run()? {
            p = p.dry_run();
        }
        if let Some(m) = self.get("fieldManager").filter(|s| !s.is_empty()) {
            p = p.field_manager(m);
        }
        Ok(p)
    }

    /// Parameters of a delete: the query's, overridden by a `DeleteOptions` body.
    pub(crate) fn delete_params(&self, body: &[u8]) -> Result<DeleteParams, ClientError> {
        let mut p = DeleteParams::default();
        p.grace_period_seconds = self.number::<i64>("gracePeriodSeconds")?;
        if let Some(policy) = self.get("propagationPolicy").filter(|s| !s.is_empty()) {
            p.propagation_policy = Some(propagation(policy)?);
        }
        if self.flag("orphanDependents") {
            p.propagation_policy = Some(PropagationPolicy::Orphan);
        }
        p.dry_run = self.dry_run()?;
        if body.iter().all(u8::is_ascii_whitespace) {
            return Ok(p);
        }
        let options: DeleteOptions = serde_json::from_slice(body)
            .map_err(|e| ClientError::bad_request(format!("invalid DeleteOptions: {e}")))?;
        if options.grace_period_seconds.is_some() {
            p.grace_period_seconds = options.grace_period_seconds;
        }
        if let Some(policy) = options.propagation_policy.as_deref() {
            p.propagation_policy = Some(propagation(policy)?);
        } else if options.orphan_dependents == Some(true) {
            p.propagation_policy = Some(PropagationPolicy::Orphan);
        }
        if let Some(pre) = options.preconditions {
            let mut c = Preconditions::default();
            c.uid = pre.uid.filter(|s| !s.is_empty());
            c.resource_version = pre.resource_version.filter(|s| !s.is_empty());
            p.preconditions = Some(c);
        }
        if options.dry_run.iter().any(|d| d == "All") {
            p.dry_run = true;
        }
        Ok(p)
    }
}

fn propagation(policy: &str) -> Result<PropagationPolicy, ClientError> {
    Ok(match policy {
        "Orphan" => PropagationPolicy::Orphan,
        "Background" => PropagationPolicy::Background,
        "Foreground" => PropagationPolicy::Foreground,
        other => {
            return Err(ClientError::bad_request(format!(
                "invalid propagationPolicy {other:?}: expected Orphan, Background or Foreground"
            )));
        }
    })
}

/// The body of a DELETE (`meta/v1 DeleteOptions`).
#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct DeleteOptions {
    grace_period_seconds: Option<i64>,
    propagation_policy: Option<String>,
    orphan_dependents: Option<bool>,
    preconditions: Option<PreconditionsBody>,
    #[serde(default)]
    dry_run: Vec<String>,
}

#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct PreconditionsBody {
    uid: Option<String>,
    resource_version: Option<String>,
}

/// Percent-decoding with `+` as space; invalid escapes are kept as they are.
fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
                match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    Some(b) => {
                        out.push(b);
                        i += 2;
                    }
                    None => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_and_parses() {
        let q = Query::parse(Some(
            "labelSelector=app%3Dweb%2Ctier+in+(a)&limit=5&watch=1&x=%zz%4",
        ));
        assert_eq!(q.get("labelSelector"), Some("app=web,tier in (a)"));
        assert_eq!(q.get("x"), Some("%zz%4"));
        assert!(q.is_watch());
        assert_eq!(q.list_params().unwrap().limit, Some(5));
        assert!(Query::parse(Some("limit=x")).list_params().is_err());
        assert!(
            Query::parse(Some("labelSelector=a%20in"))
                .list_params()
                .is_err()
        );
    }

    #[test]
    fn delete_options_from_body_and_query() {
        let q = Query::parse(Some("gracePeriodSeconds=3&propagationPolicy=Orphan"));
        let p = q
            .delete_params(br#"{"propagationPolicy":"Foreground","preconditions":{"uid":"u"}}"#)
            .unwrap();
        assert_eq!(p.grace_period_seconds, Some(3));
        assert_eq!(p.propagation_policy, Some(PropagationPolicy::Foreground));
        assert_eq!(p.preconditions.unwrap().uid.as_deref(), Some("u"));
        assert!(q.delete_params(b"{").is_err());
        assert!(
            Query::parse(Some("propagationPolicy=Bad"))
                .delete_params(b"")
                .is_err()
        );
    }
}
