//! What a reconcile asks for next ([`Action`]), and how it can fail
//! ([`ReconcileError`]).

use std::fmt;
use std::time::Duration;

/// What should happen to an object after a reconcile (or, from the error policy,
/// after a failed one).
///
/// ```
/// use std::time::Duration;
/// use reconcile::Action;
/// assert_eq!(Action::requeue(Duration::from_secs(60)).requeue_after(), Some(Duration::from_secs(60)));
/// assert_eq!(Action::await_change().requeue_after(), None);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Action {
    next: Next,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Next {
    AwaitChange,
    Requeue(Duration),
    Backoff,
}

impl Action {
    /// Reconcile again after `delay` even if nothing changes (for state outside the
    /// API, or periodic checks). A change before then reconciles sooner, and the
    /// object is still reconciled again at the deadline.
    pub fn requeue(delay: Duration) -> Self {
        Action {
            next: Next::Requeue(delay),
        }
    }

    /// Reconcile again only when the object (or something mapped to it) changes.
    pub fn await_change() -> Self {
        Action {
            next: Next::AwaitChange,
        }
    }

    /// Retry after the queue's per-key exponential backoff (5 ms doubling to 1000 s by
    /// default), within the overall retry rate limit. The backoff grows with each
    /// consecutive `backoff` and resets when a reconcile succeeds. What
    /// [`default_error_policy`](crate::default_error_policy) answers.
    pub fn backoff() -> Self {
        Action {
            next: Next::Backoff,
        }
    }

    /// The delay of [`requeue`](Self::requeue); `None` for the other actions.
    pub fn requeue_after(&self) -> Option<Duration> {
        match self.next {
            Next::Requeue(d) => Some(d),
            Next::AwaitChange | Next::Backoff => None,
        }
    }

    /// True for [`backoff`](Self::backoff).
    pub fn is_backoff(&self) -> bool {
        self.next == Next::Backoff
    }

    pub(crate) fn next(&self) -> Next {
        self.next
    }
}

/// A failed reconcile, as the error policy sees it.
#[derive(Debug)]
#[non_exhaustive]
pub enum ReconcileError<E> {
    /// The reconciler returned an error.
    Reconciler(E),
    /// The reconciler panicked; the panic was caught and the worker went on.
    Panicked {
        /// The panic's message, when it was a string.
        message: String,
    },
}

impl<E: fmt::Display> fmt::Display for ReconcileError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReconcileError::Reconciler(e) => write!(f, "reconcile failed: {e}"),
            ReconcileError::Panicked { message } => write!(f, "reconciler panicked: {message}"),
        }
    }
}

impl<E: std::error::Error + 'static> std::error::Error for ReconcileError<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ReconcileError::Reconciler(e) => Some(e),
            ReconcileError::Panicked { .. } => None,
        }
    }
}

impl<E> ReconcileError<E> {
    /// The panic payload's message (for `&str` and `String` payloads).
    pub(crate) fn from_panic(payload: &(dyn std::any::Any + Send)) -> Self {
        let message = payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "(not a string)".to_owned());
        ReconcileError::Panicked { message }
    }
}

/// The error policy that retries every failure after the queue's backoff
/// ([`Action::backoff`]).
pub fn default_error_policy<K, E, C>(
    _object: std::sync::Arc<K>,
    _error: &ReconcileError<E>,
    _context: std::sync::Arc<C>,
) -> Action {
    Action::backoff()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn panic_messages() {
        let e = ReconcileError::<std::io::Error>::from_panic(&"boom");
        assert_eq!(e.to_string(), "reconciler panicked: boom");
        let e = ReconcileError::<std::io::Error>::from_panic(&String::from("bang"));
        assert_eq!(e.to_string(), "reconciler panicked: bang");
        let e = ReconcileError::<std::io::Error>::from_panic(&42);
        assert!(matches!(e, ReconcileError::Panicked { .. }));
        let io = ReconcileError::Reconciler(std::io::Error::other("disk"));
        assert!(std::error::Error::source(&io).is_some());
        assert!(Action::backoff().is_backoff());
    }
}
