//! What most controllers need besides the loop: finalizers, owner references,
//! create-or-update and events.

mod apply;
mod events;
mod finalizer;
mod owner;

pub use self::apply::{Applied, create_or_update};
pub use self::events::{EventRecord, EventType, Recorder, Reporter};
pub use self::finalizer::{FinalizerError, FinalizerEvent, finalizer};
pub use self::owner::{
    OwnerError, controller_reference, is_owned_by, object_reference, set_controller_reference,
};
