//! Writing whole objects embedded in another object's spec (StatefulSet
//! `volumeClaimTemplates`) without the `apiVersion` and `kind` the kinds' own
//! `Serialize` always writes.
//!
//! In Go the embedded object's `TypeMeta` is usually empty and so omitted; manifests
//! leave it out too. Our kinds do not keep a `TypeMeta` (decoding ignores those two
//! fields), so they are left out here, field order otherwise unchanged. The adapter below
//! forwards everything to the real serializer and only drops the two top-level fields.

use serde::Serialize;
use serde::ser::{SerializeSeq as _, SerializeStruct, Serializer};

/// `serialize_with` helper: the list, each element without `apiVersion` and `kind`.
pub(crate) fn without_type_meta<T: Serialize, S: Serializer>(
    items: &[T],
    s: S,
) -> Result<S::Ok, S::Error> {
    let mut seq = s.serialize_seq(Some(items.len()))?;
    for item in items {
        seq.serialize_element(&WithoutTypeMeta(item))?;
    }
    seq.end()
}

/// One object, written without `apiVersion` and `kind`.
struct WithoutTypeMeta<'a, T>(&'a T);

impl<T: Serialize> Serialize for WithoutTypeMeta<'_, T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(StripTypeMeta(s))
    }
}

/// A serializer that forwards to `S`, except that the outermost struct loses its
/// `apiVersion` and `kind` fields.
struct StripTypeMeta<S>(S);

/// The struct part of [`StripTypeMeta`].
struct SkipTypeMetaFields<T>(T);

fn is_type_meta(key: &str) -> bool {
    key == "apiVersion" || key == "kind"
}

impl<T: SerializeStruct> SerializeStruct for SkipTypeMetaFields<T> {
    type Ok = T::Ok;
    type Error = T::Error;

    fn serialize_field<V: ?Sized + Serialize>(
        &mut self,
        key: &'static str,
        value: &V,
    ) -> Result<(), T::Error> {
        if is_type_meta(key) {
            self.0.skip_field(key)
        } else {
            self.0.serialize_field(key, value)
        }
    }

    fn skip_field(&mut self, key: &'static str) -> Result<(), T::Error> {
        self.0.skip_field(key)
    }

    fn end(self) -> Result<T::Ok, T::Error> {
        self.0.end()
    }
}

/// Forwards a `Serializer` method unchanged.
macro_rules! forward {
    ($($method:ident($($arg:ident: $ty:ty),*) -> $ret:ty;)*) => {
        $(
            fn $method(self, $($arg: $ty),*) -> Result<$ret, S::Error> {
                self.0.$method($($arg),*)
            }
        )*
    };
}

impl<S: Serializer> Serializer for StripTypeMeta<S> {
    type Ok = S::Ok;
    type Error = S::Error;
    type SerializeSeq = S::SerializeSeq;
    type SerializeTuple = S::SerializeTuple;
    type SerializeTupleStruct = S::SerializeTupleStruct;
    type SerializeTupleVariant = S::SerializeTupleVariant;
    type SerializeMap = S::SerializeMap;
    type SerializeStruct = SkipTypeMetaFields<S::SerializeStruct>;
    type SerializeStructVariant = S::SerializeStructVariant;

    forward! {
        serialize_bool(v: bool) -> S::Ok;
        serialize_i8(v: i8) -> S::Ok;
        serialize_i16(v: i16) -> S::Ok;
        serialize_i32(v: i32) -> S::Ok;
        serialize_i64(v: i64) -> S::Ok;
        serialize_i128(v: i128) -> S::Ok;
        serialize_u8(v: u8) -> S::Ok;
        serialize_u16(v: u16) -> S::Ok;
        serialize_u32(v: u32) -> S::Ok;
        serialize_u64(v: u64) -> S::Ok;
        serialize_u128(v: u128) -> S::Ok;
        serialize_f32(v: f32) -> S::Ok;
        serialize_f64(v: f64) -> S::Ok;
        serialize_char(v: char) -> S::Ok;
        serialize_str(v: &str) -> S::Ok;
        serialize_bytes(v: &[u8]) -> S::Ok;
        serialize_none() -> S::Ok;
        serialize_unit() -> S::Ok;
        serialize_unit_struct(name: &'static str) -> S::Ok;
        serialize_unit_variant(name: &'static str, index: u32, variant: &'static str) -> S::Ok;
        serialize_seq(len: Option<usize>) -> S::SerializeSeq;
        serialize_tuple(len: usize) -> S::SerializeTuple;
        serialize_tuple_struct(name: &'static str, len: usize) -> S::SerializeTupleStruct;
        serialize_tuple_variant(
            name: &'static str,
            index: u32,
            variant: &'static str,
            len: usize
        ) -> S::SerializeTupleVariant;
        serialize_map(len: Option<usize>) -> S::SerializeMap;
        serialize_struct_variant(
            name: &'static str,
            index: u32,
            variant: &'static str,
            len: usize
        ) -> S::SerializeStructVariant;
    }

    fn serialize_some<V: ?Sized + Serialize>(self, value: &V) -> Result<S::Ok, S::Error> {
        self.0.serialize_some(value)
    }

    fn serialize_newtype_struct<V: ?Sized + Serialize>(
        self,
        name: &'static str,
        value: &V,
    ) -> Result<S::Ok, S::Error> {
        self.0.serialize_newtype_struct(name, value)
    }

    fn serialize_newtype_variant<V: ?Sized + Serialize>(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        value: &V,
    ) -> Result<S::Ok, S::Error> {
        self.0
            .serialize_newtype_variant(name, index, variant, value)
    }

    fn serialize_struct(
        self,
        name: &'static str,
        len: usize,
    ) -> Result<Self::SerializeStruct, S::Error> {
        // `len` counts the fields that will be written; two of them no longer are.
        self.0
            .serialize_struct(name, len.saturating_sub(2))
            .map(SkipTypeMetaFields)
    }

    fn is_human_readable(&self) -> bool {
        self.0.is_human_readable()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Obj {
        api_version: &'static str,
        kind: &'static str,
        metadata: Inner,
        spec: Inner,
    }

    #[derive(Serialize)]
    struct Inner {
        z: u8,
        kind: &'static str,
        a: u8,
    }

    #[derive(Serialize)]
    struct Holder {
        #[serde(serialize_with = "without_type_meta")]
        items: Vec<Obj>,
    }

    #[test]
    fn only_top_level_type_meta_is_dropped_and_order_is_kept() {
        let obj = || Obj {
            api_version: "v1",
            kind: "PersistentVolumeClaim",
            metadata: Inner {
                z: 1,
                kind: "k",
                a: 2,
            },
            spec: Inner {
                z: 3,
                kind: "k",
                a: 4,
            },
        };
        let h = Holder {
            items: vec![obj(), obj()],
        };
        let item = r#"{"metadata":{"z":1,"kind":"k","a":2},"spec":{"z":3,"kind":"k","a":4}}"#;
        assert_eq!(
            serde_json::to_string(&h).unwrap(),
            format!(r#"{{"items":[{item},{item}]}}"#)
        );
        assert!(
            serde_yaml_ng::to_string(&h)
                .unwrap()
                .contains("- metadata:")
        );
    }
}
