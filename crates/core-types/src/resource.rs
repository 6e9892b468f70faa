//! The `Resource` trait every kind implements, and `ApiResource`, its runtime description.

use std::borrow::Cow;
use std::fmt::Debug;

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::meta::ObjectMeta;

/// Whether objects of a kind live in a namespace or in the cluster as a whole.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Scope {
    /// Objects live in a namespace (`/namespaces/<ns>/<plural>/<name>`).
    Namespaced,
    /// Objects are cluster-wide (`/<plural>/<name>`).
    Cluster,
}

/// What the API needs to know about a kind at run time: its group, version, kind,
/// plural resource name and scope.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ApiResource {
    /// API group; `""` for the core group.
    pub group: Cow<'static, str>,
    /// API version within the group, e.g. `v1`.
    pub version: Cow<'static, str>,
    /// Kind, e.g. `Deployment`.
    pub kind: Cow<'static, str>,
    /// Lower-case plural used in URLs and storage keys, e.g. `deployments`.
    pub plural: Cow<'static, str>,
    /// Namespaced or cluster-scoped.
    pub scope: Scope,
}

impl ApiResource {
    /// Describes a kind the framework does not model (an embedder's own kind).
    pub fn new(
        group: impl Into<String>,
        version: impl Into<String>,
        kind: impl Into<String>,
        plural: impl Into<String>,
        scope: Scope,
    ) -> Self {
        Self {
            group: Cow::Owned(group.into()),
            version: Cow::Owned(version.into()),
            kind: Cow::Owned(kind.into()),
            plural: Cow::Owned(plural.into()),
            scope,
        }
    }

    /// `group/version`, or just `version` for the core group.
    pub fn api_version(&self) -> Cow<'_, str> {
        if self.group.is_empty() {
            Cow::Borrowed(&self.version)
        } else {
            Cow::Owned(format!("{}/{}", self.group, self.version))
        }
    }

    /// True for namespaced kinds.
    pub fn is_namespaced(&self) -> bool {
        self.scope == Scope::Namespaced
    }
}

/// A kind of API object: typed built-in kinds, embedders' own structs, and
/// [`DynamicObject`](crate::DynamicObject).
///
/// Compiled-in kinds have `DynamicType = ()` and also implement [`StaticResource`];
/// `DynamicObject` carries its [`ApiResource`] as its dynamic type, so code written
/// against `Resource` serves both.
pub trait Resource: Clone + Debug + Serialize + DeserializeOwned + Send + Sync + 'static {
    /// Run-time type information: `()` for compiled-in kinds.
    type DynamicType: Clone + Debug + Send + Sync + 'static;

    /// The kind's description.
    fn api_resource(dt: &Self::DynamicType) -> &ApiResource;

    /// The object's metadata.
    fn meta(&self) -> &ObjectMeta;

    /// The object's metadata, mutably.
    fn meta_mut(&mut self) -> &mut ObjectMeta;

    /// The value of a selectable field for field selectors (`metadata.name`,
    /// `spec.nodeName`, ...), or `None` if the kind does not support the field.
    ///
    /// The default supports `metadata.name` and `metadata.namespace`, as every kind does.
    fn field_value(&self, field: &str) -> Option<Cow<'_, str>> {
        meta_field_value(self.meta(), field)
    }
}

/// A kind compiled into the program, whose type information is known statically.
pub trait StaticResource: Resource<DynamicType = ()> {
    /// The kind's description.
    fn resource() -> &'static ApiResource;
}

/// `metadata.name` and `metadata.namespace`, the fields every kind can be selected by.
pub fn meta_field_value<'a>(meta: &'a ObjectMeta, field: &str) -> Option<Cow<'a, str>> {
    match field {
        "metadata.name" => Some(Cow::Borrowed(&meta.name)),
        "metadata.namespace" => Some(Cow::Borrowed(&meta.namespace)),
        _ => None,
    }
}

/// Implements [`Resource`], [`StaticResource`] and the wire-shape `Serialize` for a kind.
///
/// `apiVersion` and `kind` are written from the kind's constants, then `metadata`, then
/// the listed fields in order: `[field, "wireName"]` is always written, as Go always
/// writes struct-valued fields such as `spec`; `[field, "wireName", omitempty]` is left
/// out when empty (Go's `omitempty`, through `serde_util::OmitEmpty`). An unmarked field
/// is always written, as Go always writes struct-valued fields such as `spec`.
///
/// `Deserialize` is derived on the struct; `apiVersion` and `kind` are checked by the
/// decoding functions in [`crate::decode`], which know which kind they expect.
macro_rules! resource {
    (
        $ty:ident {
            group: $group:literal,
            version: $version:literal,
            api_version: $api_version:literal,
            plural: $plural:literal,
            scope: $scope:ident,
            $(selectable: $sel:path,)?
        }
        fields { $([$field:ident, $wire:literal $(, $omit:ident)?])* }
    ) => {
        impl $crate::Resource for $ty {
            type DynamicType = ();

            fn api_resource(_: &()) -> &$crate::ApiResource {
                <Self as $crate::StaticResource>::resource()
            }

            fn meta(&self) -> &$crate::ObjectMeta {
                &self.metadata
            }

            fn meta_mut(&mut self) -> &mut $crate::ObjectMeta {
                &mut self.metadata
            }

            fn field_value(&self, field: &str) -> Option<::std::borrow::Cow<'_, str>> {
                $(
                    if let Some(v) = $sel(self, field) {
                        return Some(v);
                    }
                )?
                $crate::resource::meta_field_value(&self.metadata, field)
            }
        }

        impl $crate::StaticResource for $ty {
            fn resource() -> &'static $crate::ApiResource {
                static RESOURCE: $crate::ApiResource = $crate::ApiResource {
                    group: ::std::borrow::Cow::Borrowed($group),
                    version: ::std::borrow::Cow::Borrowed($version),
                    kind: ::std::borrow::Cow::Borrowed(stringify!($ty)),
                    plural: ::std::borrow::Cow::Borrowed($plural),
                    scope: $crate::Scope::$scope,
                };
                &RESOURCE
            }
        }

        impl ::serde::Serialize for $ty {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                use ::serde::ser::SerializeStruct as _;
                #[allow(unused_imports)]
                use $crate::serde_util::OmitEmpty as _;
                let mut st = s.serialize_struct(stringify!($ty), 3 $(+ { let _ = $wire; 1 })*)?;
                st.serialize_field("apiVersion", $api_version)?;
                st.serialize_field("kind", stringify!($ty))?;
                st.serialize_field("metadata", &self.metadata)?;
                $(
                    $crate::resource::resource!(@ser st, self.$field, $wire $(, $omit)?);
                )*
                st.end()
            }
        }
    };
    (@ser $st:ident, $self:ident . $field:ident, $wire:literal, omitempty) => {
        if $self.$field.is_omitted() {
            $st.skip_field($wire)?;
        } else {
            $st.serialize_field($wire, &$self.$field)?;
        }
    };
    (@ser $st:ident, $self:ident . $field:ident, $wire:literal) => {
        $st.serialize_field($wire, &$self.$field)?;
    };
}
pub(crate) use resource;
