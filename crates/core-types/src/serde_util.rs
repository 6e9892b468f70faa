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
