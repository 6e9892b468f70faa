//! [`Status`]: what a plugin answers at an extension point.

use std::borrow::Cow;
use std::fmt;
use std::mem::ManuallyDrop;
use std::sync::Arc;

use smallvec::SmallVec;

/// The outcome class of a plugin call, with kube-scheduler's meanings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Code {
    /// The plugin ran and the pod may go on.
    Success,
    /// An internal error: the pod is retried with backoff; preemption does not run.
    Error,
    /// The pod does not fit, but preemption (removing lower-priority pods) might help.
    Unschedulable,
    /// The pod does not fit, and removing pods would not change that (e.g. a node
    /// selector mismatch): preemption skips the node.
    UnschedulableAndUnresolvable,
    /// Permit only: the pod waits (see [`PermitPlugin`](super::PermitPlugin)).
    Wait,
    /// PreFilter/PreScore only: the plugin has nothing to do for this pod, and its
    /// Filter/Score is not called in this cycle.
    Skip,
    /// PreFilter only: the pod is waiting for something else (e.g. a resource claim)
    /// and is not worth retrying until a relevant event.
    Pending,
}

impl Code {
    /// The name kube-scheduler prints.
    pub fn as_str(self) -> &'static str {
        match self {
            Code::Success => "Success",
            Code::Error => "Error",
            Code::Unschedulable => "Unschedulable",
            Code::UnschedulableAndUnresolvable => "UnschedulableAndUnresolvable",
            Code::Wait => "Wait",
            Code::Skip => "Skip",
            Code::Pending => "Pending",
        }
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A plugin's answer: a [`Code`], the reasons (printed in "0/N nodes are available"
/// messages), and the plugin that gave it (set by the framework).
///
/// Success carries nothing and allocates nothing; reasons are `Cow<'static, str>` so
/// that the common fixed messages (`"Insufficient cpu"`) do not allocate either.
#[derive(Clone, PartialEq, Eq)]
pub struct Status {
    code: Code,
    /// Reasons and plugin, boxed: a filter answers for every node it sees, and a
    /// success (the common answer) is then two words with nothing to drop. Dropped by
    /// hand (see `Drop`), so that dropping a success inlines to one test.
    detail: ManuallyDrop<Option<Box<Detail>>>,
}

impl Drop for Status {
    #[inline]
    fn drop(&mut self) {
        if let Some(detail) = self.detail.take() {
            drop_detail(detail);
        }
    }
}

/// Out of line: the drop glue of a detail is large, and a status usually has none.
#[cold]
#[inline(never)]
fn drop_detail(detail: Box<Detail>) {
    drop(detail);
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Detail {
    /// Usually one: kept inline, so a rejection allocates once.
    reasons: SmallVec<[Cow<'static, str>; 1]>,
    plugin: Option<Arc<str>>,
}

impl fmt::Debug for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("Status");
        d.field("code", &self.code);
        if !self.reasons().is_empty() {
            d.field("reasons", &self.reasons());
        }
        if let Some(p) = self.plugin() {
            d.field("plugin", &p);
        }
        d.finish()
    }
}

impl Default for Status {
    fn default() -> Self {
        Status::success()
    }
}

impl Status {
    /// Success.
    pub const fn success() -> Self {
        Status::code_only(Code::Success)
    }

    /// A status with one reason.
    pub fn new(code: Code, reason: impl Into<Cow<'static, str>>) -> Self {
        Status {
            code,
            detail: ManuallyDrop::new(Some(Box::new(Detail {
                reasons: smallvec::smallvec![reason.into()],
                plugin: None,
            }))),
        }
    }

    /// A status with several reasons.
    pub fn with_reasons(code: Code, reasons: Vec<Cow<'static, str>>) -> Self {
        Status {
            code,
            detail: ManuallyDrop::new((!reasons.is_empty()).then(|| {
                Box::new(Detail {
                    reasons: SmallVec::from_vec(reasons),
                    plugin: None,
                })
            })),
        }
    }

    /// A status with a code and no reason (e.g. `Skip`).
    pub const fn code_only(code: Code) -> Self {
        Status {
            code,
            detail: ManuallyDrop::new(None),
        }
    }

    /// `Skip`.
    pub const fn skip() -> Self {
        Status::code_only(Code::Skip)
    }

    /// `Unschedulable` with one reason.
    pub fn unschedulable(reason: impl Into<Cow<'static, str>>) -> Self {
        Status::new(Code::Unschedulable, reason)
    }

    /// `UnschedulableAndUnresolvable` with one reason.
    pub fn unresolvable(reason: impl Into<Cow<'static, str>>) -> Self {
        Status::new(Code::UnschedulableAndUnresolvable, reason)
    }

    /// `Error` with a message.
    pub fn error(message: impl Into<Cow<'static, str>>) -> Self {
        Status::new(Code::Error, message)
    }

    /// `Wait` (Permit only).
    pub const fn wait() -> Self {
        Status::code_only(Code::Wait)
    }

    /// The code.
    pub fn code(&self) -> Code {
        self.code
    }

    /// The reasons, in order.
    pub fn reasons(&self) -> &[Cow<'static, str>] {
        self.detail.as_ref().map_or(&[], |d| &d.reasons)
    }

    /// The reasons joined with `", "`.
    pub fn message(&self) -> String {
        self.reasons().join(", ")
    }

    /// The plugin that returned this status, once the framework has recorded it.
    pub fn plugin(&self) -> Option<&str> {
        self.detail.as_ref().and_then(|d| d.plugin.as_deref())
    }

    /// This status, attributed to `plugin`.
    #[must_use]
    pub fn with_plugin(mut self, plugin: &Arc<str>) -> Self {
        self.detail.get_or_insert_with(Box::default).plugin = Some(plugin.clone());
        self
    }

    /// True for `Success`.
    pub fn is_success(&self) -> bool {
        self.code == Code::Success
    }

    /// True for `Skip`.
    pub fn is_skip(&self) -> bool {
        self.code == Code::Skip
    }

    /// True for `Unschedulable` and `UnschedulableAndUnresolvable`.
    pub fn is_rejected(&self) -> bool {
        matches!(
            self.code,
            Code::Unschedulable | Code::UnschedulableAndUnresolvable | Code::Pending
        )
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.reasons().is_empty() {
            write!(f, "{}", self.code)
        } else {
            write!(f, "{}: {}", self.code, self.message())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn success_is_cheap_and_default() {
        let s = Status::default();
        assert!(s.is_success());
        assert!(s.reasons().is_empty());
        assert_eq!(s.to_string(), "Success");
        let plugin: Arc<str> = Arc::from("NodeResourcesFit");
        let r = Status::with_reasons(
            Code::Unschedulable,
            vec!["Insufficient cpu".into(), "Insufficient memory".into()],
        )
        .with_plugin(&plugin);
        assert_eq!(r.message(), "Insufficient cpu, Insufficient memory");
        assert_eq!(r.plugin(), Some("NodeResourcesFit"));
        assert!(r.is_rejected());
    }
}
