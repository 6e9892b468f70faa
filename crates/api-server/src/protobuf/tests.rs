//! Decoding hand-encoded bodies, and hostile ones.

use proptest::prelude::*;
use serde_json::json;

use super::*;

/// A length-delimited field.
fn field(n: u64, bytes: &[u8]) -> Vec<u8> {
    let mut out = varint(n << 3 | 2);
    out.extend(varint(bytes.len() as u64));
    out.extend_from_slice(bytes);
    out
}

fn varint(mut v: u64) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let b = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(b);
            return out;
        }
        out.push(b | 0x80);
    }
}

/// A varint field.
fn number(n: u64, v: u64) -> Vec<u8> {
    [varint(n << 3), varint(v)].concat()
}

fn envelope(api_version: &str, kind: &str, raw: &[u8]) -> Vec<u8> {
    let types = [field(1, api_version.as_bytes()), field(2, kind.as_bytes())].concat();
    [MAGIC.to_vec(), field(1, &types), field(2, raw)].concat()
}

fn labels(k: &str, v: &str) -> Vec<u8> {
    field(
        1,
        &[field(1, k.as_bytes()), field(2, v.as_bytes())].concat(),
    )
}

#[test]
fn decodes_a_config_map() {
    let meta = [
        field(1, b"settings"),
        field(11, &[field(1, b"app"), field(2, b"web")].concat()),
    ]
    .concat();
    let raw = [
        field(1, &meta),
        field(2, &[field(1, b"k"), field(2, b"v")].concat()),
        number(4, 1),
    ]
    .concat();
    assert_eq!(
        decode(&envelope("v1", "ConfigMap", &raw)).unwrap(),
        json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "settings", "labels": {"app": "web"}},
               "data": {"k": "v"}, "immutable": true})
    );
}

/// A Deployment as `kubectl create deployment web --image=nginx --port=80` builds it:
/// nested messages, a selector, a pod template, a container port, resources, an
/// IntOrString and a negative int.
#[test]
fn decodes_a_deployment() {
    let meta = [field(1, b"web"), field(11, &labels("app", "web")[2..])].concat();
    let container = [
        field(1, b"nginx"),
        field(2, b"nginx"),
        field(6, &number(3, 80)),
        field(
            8,
            &field(
                1,
                &[field(1, b"cpu"), field(2, &field(1, b"100m"))].concat(),
            ),
        ),
    ]
    .concat();
    let template = [
        field(1, &field(11, &labels("app", "web")[2..])),
        field(2, &[field(2, &container), field(3, b"Always")].concat()),
    ]
    .concat();
    let int_or_string = [number(1, 1), field(3, b"25%")].concat();
    let spec = [
        number(1, 3),
        field(2, &field(1, &labels("app", "web")[2..])),
        field(3, &template),
        field(4, &field(2, &field(1, &int_or_string))),
        number(6, u64::MAX), // -1, sign-extended
    ]
    .concat();
    let raw = [field(1, &meta), field(2, &spec), field(3, b"")].concat();
    assert_eq!(
        decode(&envelope("apps/v1", "Deployment", &raw)).unwrap(),
        json!({"apiVersion": "apps/v1", "kind": "Deployment",
               "metadata": {"name": "web", "labels": {"app": "web"}},
               "spec": {"replicas": 3, "selector": {"matchLabels": {"app": "web"}},
                        "template": {"metadata": {"labels": {"app": "web"}},
                                     "spec": {"containers": [{"name": "nginx", "image": "nginx",
                                                              "ports": [{"containerPort": 80}],
                                                              "resources": {"limits": {"cpu": "100m"}}}],
                                              "restartPolicy": "Always"}},
                        "strategy": {"rollingUpdate": {"maxUnavailable": "25%"}},
                        "revisionHistoryLimit": -1}})
    );
}

/// Inlined messages (Go's `json:",inline"`) land in their parent.
#[test]
fn inlines_volume_sources() {
    let volume = [field(1, b"data"), field(2, &field(2, b""))].concat();
    let raw = [field(1, &field(1, b"p")), field(2, &field(1, &volume))].concat();
    assert_eq!(
        decode(&envelope("v1", "Pod", &raw)).unwrap()["spec"]["volumes"],
        json!([{"name": "data", "emptyDir": {}}])
    );
}

#[test]
fn refuses_garbage_and_other_kinds() {
    assert_eq!(decode(b"k8s\0\x0a\x05ab").unwrap_err().code(), 400);
    assert_eq!(decode(b"nope").unwrap_err().code(), 400);
    assert_eq!(
        decode(b"k8s\0\x0a\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff")
            .unwrap_err()
            .code(),
        400
    );
    assert_eq!(
        decode(&envelope("apps/v1", "StatefulSet", b""))
            .unwrap_err()
            .code(),
        415
    );
    // A known field with the wrong wire type.
    let raw = field(1, &number(1, 7));
    assert_eq!(
        decode(&envelope("apps/v1", "Deployment", &number(1, 1)))
            .unwrap_err()
            .code(),
        400
    );
    assert_eq!(
        decode(&envelope("apps/v1", "Deployment", &raw))
            .unwrap_err()
            .code(),
        400
    );
}

proptest! {
    /// Random bytes after the magic prefix never panic: a value or a 4xx.
    #[test]
    fn random_bodies_never_panic(body in proptest::collection::vec(any::<u8>(), 0..512)) {
        let body = [MAGIC.to_vec(), body].concat();
        if let Err(e) = decode(&body) {
            prop_assert!((400..500).contains(&e.code()));
        }
    }

    /// Truncating or flipping a byte of a valid Deployment never panics.
    #[test]
    fn damaged_deployments_never_panic(cut in 0usize..200, flip in 0usize..200, bit in 0u8..8) {
        let container = [field(1, b"nginx"), field(2, b"nginx")].concat();
        let template = field(2, &field(2, &container));
        let spec = [number(1, 2), field(3, &template)].concat();
        let raw = [field(1, &field(1, b"web")), field(2, &spec)].concat();
        let mut body = envelope("apps/v1", "Deployment", &raw);
        if let Some(b) = body.get_mut(flip) {
            *b ^= 1 << bit;
        }
        body.truncate(cut);
        if let Err(e) = decode(&body) {
            prop_assert!((400..500).contains(&e.code()));
        }
    }
}
