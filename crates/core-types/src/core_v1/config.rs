//! v1: ConfigMap, Secret and ServiceAccount: configuration and identity handed to pods.

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde::Deserialize;

use crate::core_v1::{LocalObjectReference, ObjectReference};
use crate::meta::ObjectMeta;
use crate::resource::resource;

/// Non-secret configuration as key/value pairs.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConfigMap {
    /// Standard object metadata.
    #[serde(default)]
    pub metadata: ObjectMeta,
    /// When true, the data can no longer be changed (only the object deleted).
    #[serde(default)]
    pub immutable: Option<bool>,
    /// UTF-8 values by key.
    #[serde(default)]
    pub data: BTreeMap<String, String>,
    /// Binary values by key, each held as its base64 text (as on the wire).
    #[serde(default)]
    pub binary_data: BTreeMap<String, String>,
}

resource! {
    ConfigMap {
        group: "",
        version: "v1",
        api_version: "v1",
        plural: "configmaps",
        scope: Namespaced,
    }
    fields {
        [immutable, "immutable", omitempty]
        [data, "data", omitempty]
        [binary_data, "binaryData", omitempty]
    }
}

/// Sensitive data (passwords, tokens, keys) as key/value pairs.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Secret {
    /// Standard object metadata.
    #[serde(default)]
    pub metadata: ObjectMeta,
    /// When true, the data can no longer be changed (only the object deleted).
    #[serde(default)]
    pub immutable: Option<bool>,
    /// Values by key, each held as its base64 text (as on the wire); not decoded here.
    #[serde(default)]
    pub data: BTreeMap<String, String>,
    /// Plain-text values by key, a write-only convenience: the server merges them into
    /// `data` (encoded) and never returns them.
    #[serde(default)]
    pub string_data: BTreeMap<String, String>,
    /// How the data is to be used: `Opaque` (the default),
    /// `kubernetes.io/service-account-token`, `kubernetes.io/dockerconfigjson`,
    /// `kubernetes.io/tls`, `kubernetes.io/basic-auth`, ... (any string is accepted).
    #[serde(default, rename = "type")]
    pub type_: String,
}

resource! {
    Secret {
        group: "",
        version: "v1",
        api_version: "v1",
        plural: "secrets",
        scope: Namespaced,
        selectable: secret_field,
    }
    fields {
        [immutable, "immutable", omitempty]
        [data, "data", omitempty]
        [string_data, "stringData", omitempty]
        [type_, "type", omitempty]
    }
}

/// Field selectors supported for secrets beyond the metadata ones: `type`.
fn secret_field<'a>(secret: &'a Secret, field: &str) -> Option<Cow<'a, str>> {
    match field {
        "type" => Some(Cow::Borrowed(&secret.type_)),
        _ => None,
    }
}

/// An identity for the processes running in pods.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceAccount {
    /// Standard object metadata.
    #[serde(default)]
    pub metadata: ObjectMeta,
    /// Secrets pods of this account may use (legacy token secrets, among others).
    #[serde(default, deserialize_with = "crate::serde_util::exact_vec")]
    pub secrets: Vec<ObjectReference>,
    /// Image pull secrets added to pods that run as this account.
    #[serde(default, deserialize_with = "crate::serde_util::exact_vec")]
    pub image_pull_secrets: Vec<LocalObjectReference>,
    /// Whether pods of this account get an API token mounted by default.
    #[serde(default)]
    pub automount_service_account_token: Option<bool>,
}

resource! {
    ServiceAccount {
        group: "",
        version: "v1",
        api_version: "v1",
        plural: "serviceaccounts",
        scope: Namespaced,
    }
    fields {
        [secrets, "secrets", omitempty]
        [image_pull_secrets, "imagePullSecrets", omitempty]
        [automount_service_account_token, "automountServiceAccountToken", omitempty]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Resource as _;
    use crate::core_v1::test_support::{assert_wire, decode};

    #[test]
    fn config_map_round_trips() {
        let cm: ConfigMap = assert_wire::<ConfigMap, k8s_openapi::api::core::v1::ConfigMap>(
            r#"
apiVersion: v1
kind: ConfigMap
metadata: {name: app-config, namespace: shop}
immutable: true
data:
  LOG_LEVEL: debug
  app.properties: |
    color=blue
    size=3
binaryData:
  logo.png: iVBORw0KGgo=
"#,
        );
        assert_eq!(cm.immutable, Some(true));
        assert_eq!(cm.binary_data["logo.png"], "iVBORw0KGgo=");
        let empty: ConfigMap = decode("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: e}\n")
            .expect("fixture decodes");
        assert_eq!(
            serde_json::to_string(&empty).expect("encodes"),
            r#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"e"}}"#
        );
        // Values must be strings, as in Kubernetes (`port: 80` must be quoted).
        let err = decode::<ConfigMap>("apiVersion: v1\nkind: ConfigMap\ndata: {port: 80}\n")
            .expect_err("invalid input must fail");
        assert!(err.to_string().contains("data.port"), "{err}");
    }

    #[test]
    fn secret_round_trips() {
        let s: Secret = assert_wire::<Secret, k8s_openapi::api::core::v1::Secret>(
            r#"
apiVersion: v1
kind: Secret
metadata: {name: tls, namespace: shop}
immutable: false
data:
  tls.crt: LS0tLS1CRUdJTg==
  tls.key: LS0tLS1CRUdJTg==
type: kubernetes.io/tls
"#,
        );
        assert_eq!(s.immutable, Some(false));
        assert_eq!(s.field_value("type").as_deref(), Some("kubernetes.io/tls"));
        assert_eq!(s.field_value("data"), None);

        let s: Secret = decode(
            "apiVersion: v1\nkind: Secret\nmetadata: {name: db}\nstringData: {password: hunter2}\n",
        )
        .expect("fixture decodes");
        assert_eq!(s.field_value("type").as_deref(), Some(""));
        assert_eq!(
            serde_json::to_string(&s).expect("encodes"),
            r#"{"apiVersion":"v1","kind":"Secret","metadata":{"name":"db"},"stringData":{"password":"hunter2"}}"#
        );
    }

    #[test]
    fn service_account_round_trips() {
        let sa: ServiceAccount =
            assert_wire::<ServiceAccount, k8s_openapi::api::core::v1::ServiceAccount>(
                r#"
apiVersion: v1
kind: ServiceAccount
metadata: {name: builder, namespace: ci}
secrets:
- {name: builder-token-x7k2p}
- {kind: Secret, namespace: ci, name: extra, fieldPath: data}
imagePullSecrets:
- {name: registry-creds}
automountServiceAccountToken: false
"#,
            );
        assert_eq!(sa.image_pull_secrets[0].name, "registry-creds");
        assert_eq!(sa.automount_service_account_token, Some(false));
        assert!(
            decode::<ServiceAccount>("apiVersion: v1\nkind: ServiceAccount\nsecrets: builder\n")
                .is_err()
        );
    }
}
