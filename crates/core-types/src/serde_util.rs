//! Small predicates for `skip_serializing_if`, matching Go's `omitempty`.

// `skip_serializing_if` passes a reference, so these take references even for `Copy` types.
#![allow(clippy::trivially_copy_pass_by_ref)]

/// Go omits a `bool` field tagged `omitempty` when it is false.
pub(crate) fn is_false(v: &bool) -> bool {
    !*v
}

/// Go omits an `int32` field tagged `omitempty` when it is zero.
pub(crate) fn is_zero_i32(v: &i32) -> bool {
    *v == 0
}

/// Go omits an `int64` field tagged `omitempty` when it is zero.
pub(crate) fn is_zero_i64(v: &i64) -> bool {
    *v == 0
}

/// Whether a field is "empty" in Go's `omitempty` sense, so the wire form leaves it out.
pub(crate) trait OmitEmpty {
    /// True when the field is left out of the wire form.
    fn is_omitted(&self) -> bool;
}

impl<T> OmitEmpty for Option<T> {
    fn is_omitted(&self) -> bool {
        self.is_none()
    }
}

impl<T> OmitEmpty for Vec<T> {
    fn is_omitted(&self) -> bool {
        self.is_empty()
    }
}

impl<K, V> OmitEmpty for std::collections::BTreeMap<K, V> {
    fn is_omitted(&self) -> bool {
        self.is_empty()
    }
}

impl OmitEmpty for String {
    fn is_omitted(&self) -> bool {
        self.is_empty()
    }
}

impl OmitEmpty for bool {
    fn is_omitted(&self) -> bool {
        !*self
    }
}

impl OmitEmpty for i32 {
    fn is_omitted(&self) -> bool {
        *self == 0
    }
}

impl OmitEmpty for i64 {
    fn is_omitted(&self) -> bool {
        *self == 0
    }
}

/// Reads a file mode (`defaultMode`, `mode`): an integer, or a YAML 1.1 octal literal
/// such as `0644`, which Kubernetes' YAML reader (YAML 1.1) turns into 420 but a YAML
/// 1.2 reader leaves as the string `"0644"`. Manifests write modes this way often.
pub(crate) fn file_mode<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<i32>, D::Error> {
    struct V;
    impl<'a> serde::de::Visitor<'a> for V {
        type Value = Option<i32>;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a file mode: an integer or an octal literal such as 0644")
        }
        fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_none<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D2: serde::Deserializer<'a>>(self, d: D2) -> Result<Self::Value, D2::Error> {
            d.deserialize_any(V)
        }
        fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Self::Value, E> {
            i32::try_from(v)
                .map(Some)
                .map_err(|_| E::custom(format!("file mode {v} is out of range")))
        }
        fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Self::Value, E> {
            i32::try_from(v)
                .map(Some)
                .map_err(|_| E::custom(format!("file mode {v} is out of range")))
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
            let digits = v
                .strip_prefix("0o")
                .or_else(|| v.strip_prefix('0').filter(|d| !d.is_empty()));
            digits
                .filter(|d| d.bytes().all(|c| (b'0'..=b'7').contains(&c)))
                .and_then(|d| i32::from_str_radix(d, 8).ok())
                .map(Some)
                .ok_or_else(|| E::custom(format!("invalid type: string {v:?}, expected a file mode (an integer or an octal literal such as 0644)")))
        }
    }
    d.deserialize_option(V)
}

/// Deserializes a list at its exact length. Decoders without a length hint (JSON, YAML)
/// grow a `Vec` to at least four slots, so a one-element list of containers would keep
/// room for four; objects a cache holds by the thousand keep only what they use.
pub(crate) fn exact_vec<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::Deserialize<'de>,
{
    let mut v = <Vec<T> as serde::Deserialize>::deserialize(deserializer)?;
    v.shrink_to_fit();
    Ok(v)
}

#[cfg(test)]
mod tests {
    use crate::core_v1::Pod;
    use crate::decode::{AnyObject, objects_from_yaml};

    fn secret_mode(mode: &str) -> Result<Option<i32>, String> {
        let yaml = format!(
            "apiVersion: v1\nkind: Pod\nmetadata: {{name: p}}\nspec:\n  containers: [{{name: a, image: b}}]\n  volumes:\n  - name: s\n    secret: {{secretName: x, defaultMode: {mode}}}\n"
        );
        match objects_from_yaml(&yaml).remove(0) {
            Ok(AnyObject::Pod(p)) => Ok(p.spec.volumes[0]
                .secret
                .as_ref()
                .and_then(|s| s.default_mode)),
            Ok(_) => Err("not a pod".into()),
            Err(e) => Err(e.to_string()),
        }
    }

    #[test]
    fn file_modes_accept_yaml_1_1_octal() {
        assert_eq!(secret_mode("0644"), Ok(Some(420)));
        assert_eq!(secret_mode("0o400"), Ok(Some(256)));
        assert_eq!(secret_mode("420"), Ok(Some(420)));
        assert_eq!(secret_mode("null"), Ok(None));
        for bad in ["0999", "'rw'", "'0x1A4'", "99999999999"] {
            let err = secret_mode(bad).unwrap_err();
            assert!(
                err.starts_with("spec.volumes[0].secret.defaultMode: "),
                "{bad}: {err}"
            );
        }
        // Written back as the integer, as Kubernetes does.
        let pod: Pod = crate::decode::from_value(serde_json::json!({
            "spec": {"volumes": [{"name": "s", "configMap": {"name": "c", "defaultMode": "0644"}}]}
        }))
        .unwrap();
        let json = serde_json::to_value(&pod).unwrap();
        assert_eq!(json["spec"]["volumes"][0]["configMap"]["defaultMode"], 420);
    }

    #[test]
    fn decoded_lists_keep_only_their_elements() {
        let json = br#"{"spec": {"containers": [{"name": "a", "image": "b",
            "ports": [{"containerPort": 80}], "args": ["x", "y", "z", "w", "v"]}]}}"#;
        let pod: Pod = serde_json::from_slice(json).unwrap();
        assert_eq!(pod.spec.containers.capacity(), 1);
        let c = &pod.spec.containers[0];
        assert_eq!((c.ports.len(), c.ports.capacity()), (1, 1));
        assert_eq!((c.args.len(), c.args.capacity()), (5, 5));
        assert_eq!(pod.spec.volumes.capacity(), 0);
    }
}
