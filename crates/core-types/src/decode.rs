//! Reading objects from JSON and (multi-document) YAML, with errors that say where.

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::Error;
use crate::dynamic::DynamicObject;
use crate::meta::TypeMeta;
use crate::resource::StaticResource;

/// Decodes one `K` from JSON bytes. `apiVersion` and `kind`, when present, must be `K`'s.
pub fn from_json<K: StaticResource>(bytes: &[u8]) -> Result<K, Error> {
    let types: TypeMeta = serde_json::from_slice(bytes).map_err(|e| decode_error("", e))?;
    if !types.api_version.is_empty() || !types.kind.is_empty() {
        check_type::<K>(&types)?;
    }
    from_slice(bytes)
}

/// Decodes any `T` from JSON bytes, reporting the path of any error; unlike
/// [`from_json`], nothing checks `apiVersion` and `kind`.
pub fn from_slice<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, Error> {
    // Tracking the path costs an allocation per field, and only a failure needs it:
    // decode plainly, and again with tracking to explain a failure.
    if let Ok(k) = serde_json::from_slice(bytes) {
        return Ok(k);
    }
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(de).map_err(path_error)
}

/// Decodes one `K` from a JSON value, reporting the path of any error.
pub fn from_value<K: DeserializeOwned>(value: Value) -> Result<K, Error> {
    // As in `from_json`: the path is tracked only to explain a failure.
    if let Ok(k) = K::deserialize(&value) {
        return Ok(k);
    }
    serde_path_to_error::deserialize(value).map_err(path_error)
}

/// Encodes an object as JSON.
pub fn to_json<T: Serialize>(obj: &T) -> Result<Vec<u8>, Error> {
    serde_json::to_vec(obj).map_err(|e| Error::Encode(e.to_string()))
}

/// Encodes an object as YAML.
pub fn to_yaml<T: Serialize>(obj: &T) -> Result<String, Error> {
    serde_yaml_ng::to_string(obj).map_err(|e| Error::Encode(e.to_string()))
}

/// Splits a YAML stream on `---` into JSON values, skipping empty documents
/// (a leading or trailing `---`, or a document holding only comments).
///
/// Each element is one document's result, so a bad document does not hide the others.
/// As kubectl does, the stream is split on separator lines first and each document is
/// parsed on its own, so a syntax error stays within its document.
pub fn yaml_documents(text: &str) -> Vec<Result<Value, Error>> {
    split_documents(text)
        .into_iter()
        .filter(|doc| {
            doc.lines()
                .any(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
        })
        .map(parse_yaml_document)
        .filter(|r| !matches!(r, Ok(Value::Null)))
        .collect()
}

/// Splits on lines that are a document separator: `---`, optionally followed by
/// whitespace or a comment. A `...` document end line is dropped as well.
fn split_documents(text: &str) -> Vec<&str> {
    let mut docs = Vec::new();
    let mut start = 0;
    let mut pos = 0;
    for line in text.split_inclusive('\n') {
        let content = line.trim_end();
        let is_separator = content == "---"
            || content.strip_prefix("---").is_some_and(|rest| {
                rest.starts_with([' ', '\t']) && rest.trim_start().starts_with('#')
            });
        if is_separator || content == "..." {
            docs.push(&text[start..pos]);
            start = pos + line.len();
        }
        pos += line.len();
    }
    docs.push(&text[start..]);
    docs
}

fn parse_yaml_document(doc: &str) -> Result<Value, Error> {
    // The YAML reader's own message already names the path and the line and column
    // (`spec.replicas: invalid type: map, expected a string key at line 6 column 14`).
    serde_yaml_ng::from_str(doc).map_err(|e| Error::Decode {
        path: String::new(),
        message: e.to_string(),
    })
}

/// Checks that `types` names `K`.
pub(crate) fn check_type<K: StaticResource>(types: &TypeMeta) -> Result<(), Error> {
    let r = K::resource();
    if types.api_version == r.api_version() && types.kind == r.kind {
        Ok(())
    } else {
        Err(Error::WrongKind {
            expected: format!("{} {}", r.api_version(), r.kind),
            found: format!("{} {}", types.api_version, types.kind),
        })
    }
}

fn decode_error(path: &str, e: impl std::fmt::Display) -> Error {
    Error::Decode {
        path: path.to_owned(),
        message: e.to_string(),
    }
}

fn path_error<E: std::fmt::Display>(e: serde_path_to_error::Error<E>) -> Error {
    decode_error(&e.path().to_string(), e.inner())
}

macro_rules! any_object {
    ($($module:ident :: $kind:ident),* $(,)?) => {
        /// An object of any built-in kind, or a [`DynamicObject`] for anything else.
        #[derive(Clone, Debug, PartialEq)]
        #[allow(clippy::large_enum_variant)]
        #[non_exhaustive]
        pub enum AnyObject {
            $(
                #[doc = concat!("A `", stringify!($kind), "`.")]
                $kind(crate::$module::$kind),
            )*
            /// A kind the framework does not model (or an unknown `apiVersion` of one it does).
            Dynamic(DynamicObject),
        }

        impl AnyObject {
            /// Decodes a JSON value, choosing the Rust type from `apiVersion` and `kind`.
            ///
            /// `document` is only used in error messages (the index within a stream).
            pub fn from_value(value: Value, document: usize) -> Result<Self, Error> {
                let api_version = value.get("apiVersion").and_then(Value::as_str).unwrap_or("");
                let kind = value.get("kind").and_then(Value::as_str).unwrap_or("");
                if api_version.is_empty() {
                    return Err(Error::MissingTypeMeta { document, field: "apiVersion" });
                }
                if kind.is_empty() {
                    return Err(Error::MissingTypeMeta { document, field: "kind" });
                }
                $(
                    {
                        let r = <crate::$module::$kind as StaticResource>::resource();
                        if kind == r.kind && api_version == r.api_version() {
                            return from_value(value).map(Self::$kind);
                        }
                    }
                )*
                from_value(value).map(Self::Dynamic)
            }

            /// [`from_value`](Self::from_value) of the object's JSON, for an object
            /// already decoded as a [`DynamicObject`]: a built-in kind is encoded to bytes
            /// and read as its Rust type, without a JSON value in between (only a
            /// failure takes the value path, for the same error as `from_value`).
            pub fn from_dynamic(object: &DynamicObject) -> Result<Self, Error> {
                let (api_version, kind) = (&object.types.api_version, &object.types.kind);
                if api_version.is_empty() {
                    return Err(Error::MissingTypeMeta { document: 0, field: "apiVersion" });
                }
                if kind.is_empty() {
                    return Err(Error::MissingTypeMeta { document: 0, field: "kind" });
                }
                $(
                    {
                        let r = <crate::$module::$kind as StaticResource>::resource();
                        if *kind == r.kind && *api_version == r.api_version() {
                            let typed = serde_json::to_vec(object)
                                .ok()
                                .and_then(|bytes| serde_json::from_slice(&bytes).ok());
                            if let Some(typed) = typed {
                                return Ok(Self::$kind(typed));
                            }
                            let value = serde_json::to_value(object)
                                .map_err(|e| Error::Encode(e.to_string()))?;
                            return Self::from_value(value, 0);
                        }
                    }
                )*
                Ok(Self::Dynamic(object.clone()))
            }

            /// The object's `apiVersion` and `kind`.
            pub fn type_meta(&self) -> TypeMeta {
                match self {
                    $(
                        Self::$kind(_) => {
                            let r = <crate::$module::$kind as StaticResource>::resource();
                            TypeMeta { api_version: r.api_version().into_owned(), kind: r.kind.to_string() }
                        }
                    )*
                    Self::Dynamic(o) => o.types.clone(),
                }
            }

            /// The object's metadata.
            pub fn meta(&self) -> &crate::ObjectMeta {
                match self {
                    $(Self::$kind(o) => &o.metadata,)*
                    Self::Dynamic(o) => &o.metadata,
                }
            }

            /// True for a built-in kind decoded into its Rust type.
            pub fn is_typed(&self) -> bool {
                !matches!(self, Self::Dynamic(_))
            }
        }

        impl Serialize for AnyObject {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                match self {
                    $(Self::$kind(o) => o.serialize(s),)*
                    Self::Dynamic(o) => o.serialize(s),
                }
            }
        }
    };
}

any_object! {
    core_v1::Pod,
    core_v1::Node,
    core_v1::Namespace,
    core_v1::Service,
    core_v1::Endpoints,
    core_v1::ConfigMap,
    core_v1::Secret,
    core_v1::Event,
    core_v1::ServiceAccount,
    core_v1::ReplicationController,
    core_v1::PersistentVolume,
    core_v1::PersistentVolumeClaim,
    apps_v1::Deployment,
    apps_v1::ReplicaSet,
    apps_v1::StatefulSet,
    apps_v1::DaemonSet,
    apps_v1::ControllerRevision,
    batch_v1::Job,
    batch_v1::CronJob,
    networking_v1::Ingress,
    coordination_v1::Lease,
    autoscaling_v2::HorizontalPodAutoscaler,
    rbac_v1::Role,
    rbac_v1::ClusterRole,
    rbac_v1::RoleBinding,
    rbac_v1::ClusterRoleBinding,
    scheduling_v1::PriorityClass,
    policy_v1::PodDisruptionBudget,
}

/// Reads every object of a multi-document YAML (or JSON) stream.
///
/// Each element is one document's result, in order; empty documents are skipped.
pub fn objects_from_yaml(text: &str) -> Vec<Result<AnyObject, Error>> {
    yaml_documents(text)
        .into_iter()
        .enumerate()
        .map(|(i, doc)| doc.and_then(|v| AnyObject::from_value(v, i)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_streams_like_kubectl() {
        let text = "# leading comment\n---\napiVersion: v1\nkind: A\n--- # second\nkind: B\n---\n# only a comment\n---\n";
        let docs = yaml_documents(text);
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[0].as_ref().unwrap()["kind"], "A");
        assert_eq!(docs[1].as_ref().unwrap()["kind"], "B");
    }

    #[test]
    fn a_syntax_error_stays_in_its_document() {
        let docs = yaml_documents("kind: [unclosed\n---\nkind: B\n");
        assert_eq!(docs.len(), 2);
        assert!(docs[0].is_err());
        assert_eq!(docs[1].as_ref().unwrap()["kind"], "B");
        // A stream the YAML parser rejects at once still ends.
        assert_eq!(yaml_documents("\u{0}").len(), 1);
    }
}
