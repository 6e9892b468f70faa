//! Defaulting: the values the Kubernetes API server (v1.32) fills in when an object is
//! written, so an object defaulted here looks like one read back from a real cluster.
//!
//! [`ApplyDefaults`] is implemented for every built-in kind (and for
//! [`PodTemplateSpec`](crate::core_v1::PodTemplateSpec)); [`AnyObject::apply_defaults`]
//! dispatches on the kind and leaves dynamic objects alone.
//!
//! The rules mirror the API server's `SetDefaults_*` functions and the declarative
//! `+default` markers of the v1 types, with the feature gates at their v1.32 defaults:
//!
//! - Defaulting only fills in what is unset (empty string, absent pointer, zero where
//!   Go's rule says so); a value set explicitly, even `0` or `false`, is kept. The one
//!   exception is the namespace label `kubernetes.io/metadata.name`, which Kubernetes
//!   always sets to the namespace's name.
//! - It is idempotent: applying it twice gives the same object as applying it once.
//! - It never fails and never panics, whatever the input.
//!
//! Values assigned by other parts of the API server, not by defaulting, are left out:
//! a pod's `status.phase` and `qosClass` (set when the pod is created), a service's
//! cluster IPs, IP families, `ipFamilyPolicy` and node ports (allocated by the service
//! registry), a Job's generated selector, a pod's `priority` and `preemptionPolicy`
//! (admission) and `metadata` fields such as `uid` or `creationTimestamp`.
//!
//! [`AnyObject::apply_defaults`]: crate::decode::AnyObject::apply_defaults

mod any;
mod apps;
mod batch;
mod core_kinds;
mod image;
mod other;
mod pod;
mod volume;

#[cfg(test)]
mod tests;

use crate::{Quantity, ResourceList};

pub use core_kinds::NAMESPACE_NAME_LABEL;

/// An object that knows the values Kubernetes fills in for its unset fields.
pub trait ApplyDefaults {
    /// Fills in every unset field that has a default. Idempotent; never panics.
    fn apply_defaults(&mut self);
}

/// Sets `field` to `value` when it is empty.
fn default_str(field: &mut String, value: &str) {
    if field.is_empty() {
        value.clone_into(field);
    }
}

/// Sets an optional field to `value` when it is unset.
fn default_opt<T>(field: &mut Option<T>, value: T) {
    if field.is_none() {
        *field = Some(value);
    }
}

/// Sets an optional string to `value` when it is unset.
fn default_opt_str(field: &mut Option<String>, value: &str) {
    if field.is_none() {
        *field = Some(value.to_owned());
    }
}

/// Rounds every amount of a resource list up to a whole number of milli-units, as the
/// API server does for compatibility (`0.1m` becomes `1m`). Amounts already on the milli
/// scale, which is nearly all of them, are left untouched, written form included.
fn round_resource_list(list: &mut ResourceList) {
    const NANOS_PER_MILLI: i128 = 1_000_000;
    for q in list.values_mut() {
        let nanos = q.nanos();
        let rem = nanos % NANOS_PER_MILLI;
        if rem == 0 {
            continue;
        }
        // Away from zero, as `Quantity::milli_value` rounds; kept as is on overflow.
        let step = if rem > 0 {
            NANOS_PER_MILLI
        } else {
            -NANOS_PER_MILLI
        };
        if let Some(rounded) = (nanos - rem).checked_add(step) {
            *q = Quantity::from_nanos(rounded, q.format());
        }
    }
}
