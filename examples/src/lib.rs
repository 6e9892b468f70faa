//! Example programs; each lives in `src/bin/`. See `examples/README.md`.
