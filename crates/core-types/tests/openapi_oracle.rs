//! k8s-openapi as an outside oracle: for each of the 28 built-in kinds, objects are
//! decoded by both models and each model must read the other's JSON back to the same
//! value.
//!
//! The objects come from two sources:
//! - **generated**: random instances built from k8s-openapi's JSON Schema of the kind
//!   (its `schemars` feature), so a field our model lacks or mistypes shows up even
//!   if no manifest uses it. The generator is seeded: every run checks the same objects.
//! - **examples**: every typed object of `tests/data/kubernetes-examples`.
//!
//! For each object `input`:
//! 1. `theirs = k8s(input)` and `ours = ours(input)` must both decode (and
//!    `AnyObject` must pick the kind);
//! 2. `k8s(json(ours))` must equal `theirs`, compared field by field along the schema
//!    (`oracle::compare`): a field lost, added or changed fails; so does a struct
//!    dropped, or a struct value Go always writes that our JSON lacks. A missing
//!    `""`/`0`/`false` or an added empty value passes only for the reviewed fields of
//!    `oracle::expected`, where Go's encoding (`omitempty` on non-pointer fields,
//!    fields without `omitempty`) does the same;
//! 3. our JSON has every property the schema requires (Go writes fields without
//!    `omitempty`), bar the reviewed exceptions;
//! 4. `ours(json(theirs)) == ours` as Rust values.
//!
//! `ORACLE_INVENTORY=1 cargo test -p core-types --test openapi_oracle -- --nocapture`
//! lists every kind of difference seen, expected ones included, to review the lists.

mod oracle;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Debug;
use std::path::{Path, PathBuf};

use core_types::decode::{AnyObject, objects_from_yaml};
use k8s_openapi::schemars::{JsonSchema, SchemaGenerator};
use oracle::compare::{Comparer, Finding, Kind, summarize};
use oracle::expected::{GO_ALWAYS_WRITES, GO_OMITS_ZERO, MAY_OMIT_REQUIRED, NOT_IN_V1_32, listed};
use oracle::generate::Generator;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

/// Random instances generated per kind.
const INSTANCES: usize = 200;

/// One kind as both models see it.
struct KindInfo {
    kind: &'static str,
    api_version: &'static str,
    /// k8s-openapi's schema definition name, e.g. `io.k8s.api.core.v1.Pod`.
    schema: String,
    check: fn(&Map<String, Value>, &str, &Value, bool) -> Outcome,
}

/// What checking one object found.
#[derive(Default)]
struct Outcome {
    findings: Vec<Finding>,
    errors: Vec<String>,
}

macro_rules! kinds {
    ($($ours:ident :: $kind:ident => $($theirs:ident)::+),* $(,)?) => {
        fn kinds(generator: &mut SchemaGenerator) -> Vec<KindInfo> {
            vec![$({
                type T = k8s_openapi::api::$($theirs::)+$kind;
                generator.subschema_for::<T>();
                KindInfo {
                    kind: <T as k8s_openapi::Resource>::KIND,
                    api_version: <T as k8s_openapi::Resource>::API_VERSION,
                    schema: <T as JsonSchema>::schema_name().into_owned(),
                    check: check::<core_types::$ours::$kind, T>,
                }
            }),*]
        }
    };
}

kinds! {
    core_v1::Pod => core::v1,
    core_v1::Node => core::v1,
    core_v1::Namespace => core::v1,
    core_v1::Service => core::v1,
    core_v1::Endpoints => core::v1,
    core_v1::ConfigMap => core::v1,
    core_v1::Secret => core::v1,
    core_v1::Event => core::v1,
    core_v1::ServiceAccount => core::v1,
    core_v1::ReplicationController => core::v1,
    core_v1::PersistentVolume => core::v1,
    core_v1::PersistentVolumeClaim => core::v1,
    apps_v1::Deployment => apps::v1,
    apps_v1::ReplicaSet => apps::v1,
    apps_v1::StatefulSet => apps::v1,
    apps_v1::DaemonSet => apps::v1,
    apps_v1::ControllerRevision => apps::v1,
    batch_v1::Job => batch::v1,
    batch_v1::CronJob => batch::v1,
    networking_v1::Ingress => networking::v1,
    coordination_v1::Lease => coordination::v1,
    autoscaling_v2::HorizontalPodAutoscaler => autoscaling::v2,
    rbac_v1::Role => rbac::v1,
    rbac_v1::ClusterRole => rbac::v1,
    rbac_v1::RoleBinding => rbac::v1,
    rbac_v1::ClusterRoleBinding => rbac::v1,
    scheduling_v1::PriorityClass => scheduling::v1,
    policy_v1::PodDisruptionBudget => policy::v1,
}

/// The kinds and the schema definitions they use.
fn setup() -> (Vec<KindInfo>, Map<String, Value>) {
    let mut generator = SchemaGenerator::default();
    let kinds = kinds(&mut generator);
    let defs = generator.take_definitions(true);
    (kinds, defs)
}

/// Checks one input object both ways (see the module documentation).
fn check<O, T>(defs: &Map<String, Value>, schema: &str, input: &Value, lenient: bool) -> Outcome
where
    O: DeserializeOwned + Serialize + PartialEq + Debug,
    T: DeserializeOwned + Serialize,
{
    let mut out = Outcome::default();
    let theirs: T = match serde_json::from_value(input.clone()) {
        Ok(t) => t,
        Err(e) => {
            out.errors
                .push(format!("k8s-openapi cannot read the input: {e}"));
            return out;
        }
    };
    let ours: O = match core_types::decode::from_value(input.clone()) {
        Ok(o) => o,
        Err(e) => {
            out.errors
                .push(format!("our model cannot read the input: {e}"));
            return out;
        }
    };
    let ours_json = serde_json::to_value(&ours).expect("encode ours");
    match AnyObject::from_value(input.clone(), 0) {
        Ok(any) if serde_json::to_value(&any).expect("encode") == ours_json => {}
        Ok(any) => out
            .errors
            .push(format!("AnyObject chose {:?}", any.type_meta())),
        Err(e) => out
            .errors
            .push(format!("AnyObject cannot read the input: {e}")),
    }
    let theirs_json = serde_json::to_value(&theirs).expect("encode theirs");

    // 2. k8s-openapi reads our JSON to the same value.
    match serde_json::from_value::<T>(ours_json.clone()) {
        Ok(back) => {
            let back = serde_json::to_value(&back).expect("encode theirs");
            let mut comparer = Comparer::new(defs);
            comparer.quantities_by_value = lenient;
            comparer.compare(schema, &theirs_json, &back);
            // 3. Our JSON writes what Go always writes.
            comparer.required(schema, &ours_json);
            out.findings = comparer.findings;
        }
        Err(e) => out
            .errors
            .push(format!("k8s-openapi cannot read our JSON: {e}")),
    }

    // 4. Our model reads k8s-openapi's JSON to the same value.
    match core_types::decode::from_value::<O>(theirs_json) {
        Ok(back) if back == ours => {}
        Ok(back) => {
            let mut diffs = Vec::new();
            json_diff(
                "",
                &ours_json,
                &serde_json::to_value(&back).expect("encode"),
                &mut diffs,
            );
            out.errors.push(format!(
                "our model reads k8s-openapi's JSON to another value: {}",
                diffs.join("; ")
            ));
        }
        Err(e) => out
            .errors
            .push(format!("our model cannot read k8s-openapi's JSON: {e}")),
    }
    out
}

/// Plain JSON differences with paths (for messages only).
fn json_diff(path: &str, a: &Value, b: &Value, out: &mut Vec<String>) {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let keys: BTreeSet<&String> = x.keys().chain(y.keys()).collect();
            for k in keys {
                let p = format!("{path}.{k}");
                match (x.get(k), y.get(k)) {
                    (Some(va), Some(vb)) => json_diff(&p, va, vb, out),
                    (va, vb) => out.push(format!("{p}: {va:?} became {vb:?}")),
                }
            }
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            for (i, (va, vb)) in x.iter().zip(y).enumerate() {
                json_diff(&format!("{path}[{i}]"), va, vb, out);
            }
        }
        _ if a == b => {}
        _ => out.push(format!("{path}: {a} became {b}")),
    }
}

/// Collects everything wrong in `findings` (given the reviewed lists) and `errors`.
fn problems(findings: &[Finding], errors: &BTreeMap<String, (usize, String)>) -> Vec<String> {
    let mut out: Vec<String> = errors
        .iter()
        .map(|(k, (n, first))| format!("{k} ({n}x), e.g. {first}"))
        .collect();
    // `ORACLE_INVENTORY=1` lists every kind of difference seen, expected ones included
    // (to review the lists of `oracle::expected`).
    let inventory = std::env::var_os("ORACLE_INVENTORY").is_some();
    for ((kind, field), (n, first)) in summarize(findings) {
        if inventory {
            eprintln!("inventory: {kind:?} {field} ({n}x)");
        }
        let expected = match kind {
            Kind::DroppedZero => listed(GO_OMITS_ZERO, &field),
            Kind::AddedEmpty => listed(GO_ALWAYS_WRITES, &field),
            Kind::NotWritten => !listed(GO_ALWAYS_WRITES, &field),
            Kind::RequiredMissing => listed(MAY_OMIT_REQUIRED, &field),
            _ => false,
        };
        if !expected {
            out.push(format!("{first} ({n}x)"));
        }
    }
    out
}

#[test]
fn generated_objects_agree_with_k8s_openapi() {
    let (kinds, defs) = setup();
    assert_eq!(kinds.len(), 28);
    let resources: Vec<(&str, &str, &str)> = kinds
        .iter()
        .map(|k| (k.schema.as_str(), k.api_version, k.kind))
        .collect();
    for (field, _) in NOT_IN_V1_32 {
        assert!(field.matches('.').count() >= 3, "bad exclusion {field}");
    }
    let mut findings = Vec::new();
    let mut errors: BTreeMap<String, (usize, String)> = BTreeMap::new();
    let mut table = Vec::new();
    for (i, info) in kinds.iter().enumerate() {
        let mut generator = Generator::new(&defs, &resources, 0x0A4C_1E00 + i as u64);
        let mut bytes = 0;
        for n in 0..INSTANCES {
            let input = generator.object(&info.schema, info.api_version, info.kind);
            bytes += input.to_string().len();
            let outcome = (info.check)(&defs, &info.schema, &input, false);
            for e in outcome.errors {
                let key = format!(
                    "{}: {}",
                    info.kind,
                    e.split(" at line").next().unwrap_or(&e)
                );
                errors
                    .entry(key)
                    .or_insert((0, format!("instance {n}: {input}")))
                    .0 += 1;
            }
            findings.extend(outcome.findings.into_iter().map(|mut f| {
                f.path = format!("{} #{n}{}", info.kind, f.path);
                f
            }));
        }
        let mut all = BTreeSet::new();
        oracle::reachable(&defs, &info.schema, &mut all);
        let seen: BTreeSet<&str> = generator.seen().collect();
        let missed: Vec<&String> = all.iter().filter(|f| !seen.contains(f.as_str())).collect();
        table.push(format!(
            "{:<24} {INSTANCES} objects, {:>7} bytes avg, {:>4}/{:<4} fields generated{}",
            info.kind,
            bytes / INSTANCES,
            all.len() - missed.len(),
            all.len(),
            if missed.is_empty() {
                String::new()
            } else {
                format!(", missed {missed:?}")
            },
        ));
    }
    eprintln!("{}", table.join("\n"));
    let problems = problems(&findings, &errors);
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/kubernetes-examples")
}

fn yaml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("corpus dir")
        .flatten()
        .collect();
    entries.sort_by_key(|e| e.path());
    for e in entries {
        let p = e.path();
        if p.is_dir() {
            yaml_files(&p, out);
        } else if matches!(
            p.extension().and_then(|x| x.to_str()),
            Some("yaml" | "yml" | "json")
        ) {
            out.push(p);
        }
    }
}

#[test]
fn example_manifests_agree_with_k8s_openapi() {
    let (kinds, defs) = setup();
    let mut files = Vec::new();
    yaml_files(&corpus(), &mut files);
    let mut findings = Vec::new();
    let mut errors: BTreeMap<String, (usize, String)> = BTreeMap::new();
    let mut per_kind: BTreeMap<&str, usize> = BTreeMap::new();
    for file in &files {
        let text = std::fs::read_to_string(file).expect("read manifest");
        let sources = core_types::decode::yaml_documents(&text);
        let objects = objects_from_yaml(&text);
        for (i, (source, object)) in sources.into_iter().zip(objects).enumerate() {
            let (Ok(source), Ok(object)) = (source, object) else {
                continue;
            };
            if !object.is_typed() {
                continue;
            }
            let name = format!(
                "{}#{i}",
                file.strip_prefix(corpus()).unwrap_or(file).display()
            );
            let kind = object.type_meta().kind;
            let info = kinds
                .iter()
                .find(|k| k.kind == kind)
                .expect("typed kind is listed");
            *per_kind.entry(info.kind).or_default() += 1;
            let outcome = (info.check)(&defs, &info.schema, &source, true);
            for e in outcome.errors {
                errors
                    .entry(format!("{name}: {e}"))
                    .or_insert((1, String::new()));
            }
            findings.extend(outcome.findings.into_iter().map(|mut f| {
                f.path = format!("{name} {}", f.path);
                f
            }));
        }
    }
    eprintln!("{per_kind:?}");
    assert!(per_kind.values().sum::<usize>() > 200, "corpus missing?");
    let problems = problems(&findings, &errors);
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}
