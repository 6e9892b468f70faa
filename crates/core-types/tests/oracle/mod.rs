//! Support for the k8s-openapi oracle test: a schema-driven random object generator,
//! a schema-guided comparison, and the reviewed lists of expected differences.

pub(crate) mod compare;
pub(crate) mod expected;
pub(crate) mod generate;
pub(crate) mod rng;

use std::collections::BTreeSet;

use serde_json::{Map, Value};

/// Schema definitions generated and compared as plain values, not walked.
pub(crate) const QUANTITY: &str = "io.k8s.apimachinery.pkg.api.resource.Quantity";
pub(crate) const INT_OR_STRING: &str = "io.k8s.apimachinery.pkg.util.intstr.IntOrString";
pub(crate) const TIME: &str = "io.k8s.apimachinery.pkg.apis.meta.v1.Time";
pub(crate) const MICRO_TIME: &str = "io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime";
pub(crate) const RAW_EXTENSION: &str = "io.k8s.apimachinery.pkg.runtime.RawExtension";
pub(crate) const FIELDS_V1: &str = "io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1";

/// A definition's name without the common prefix: `core.v1.PodSpec`, `meta.v1.ObjectMeta`.
pub(crate) fn short(name: &str) -> &str {
    [
        "io.k8s.api.",
        "io.k8s.apimachinery.pkg.apis.",
        "io.k8s.apimachinery.pkg.",
    ]
    .iter()
    .find_map(|p| name.strip_prefix(p))
    .unwrap_or(name)
}

/// True for a field (`core.v1.Lifecycle.stopSignal`) the generator leaves out.
pub(crate) fn is_excluded(field: &str) -> bool {
    expected::NOT_IN_V1_32.iter().any(|(f, _)| *f == field)
}

/// Adds every property (`core.v1.PodSpec.hostNetwork`) reachable from the definition
/// `name` to `out`, leaving out excluded ones.
pub(crate) fn reachable(defs: &Map<String, Value>, name: &str, out: &mut BTreeSet<String>) {
    let Some(def) = defs.get(name) else { return };
    let owner = short(name);
    if let Some(Value::Object(props)) = def.get("properties") {
        for (k, p) in props {
            let field = format!("{owner}.{k}");
            if !is_excluded(&field) && out.insert(field) {
                for r in refs(p) {
                    reachable(defs, r, out);
                }
            }
        }
    }
}

/// The definitions a property schema refers to, directly or as items or map values.
pub(crate) fn refs(schema: &Value) -> impl Iterator<Item = &str> {
    [
        Some(schema),
        schema.get("items"),
        schema.get("additionalProperties"),
    ]
    .into_iter()
    .flatten()
    .filter_map(|s| s.get("$ref").and_then(Value::as_str))
    .map(|r| r.trim_start_matches("#/$defs/"))
}
