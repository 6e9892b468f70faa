//! The reconcile-loop engine (informers, work queue, controller builder).
//!
//! Not yet built: this package is a placeholder so the workspace has its final shape.
//! See the status table in the workspace `README.md`.
