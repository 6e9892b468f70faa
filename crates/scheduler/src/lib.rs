//! The plugin-framework scheduler.
//!
//! Not yet built: this package is a placeholder so the workspace has its final shape.
//! See the status table in the workspace `README.md`.
