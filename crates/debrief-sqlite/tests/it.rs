//! SQLite backend tests, one module per feature:
//!
//! - `story`: the conformance story every backend passes.
//! - `safety`: crash safety (SIGKILL during writes), corruption detection, bad files.
//! - `faults`: faults that heal (a disk that fills up, then has room again), damage inside the
//!   search index found and repaired.
//! - `migrations`: databases of the earlier migration runner adopted; newer schemas refused.

mod faults;
mod migrations;
mod safety;
mod story;
mod support;
