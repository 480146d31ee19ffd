//! SQLite backend tests, one module per feature:
//!
//! - `story`: the conformance story every backend passes.
//! - `safety`: crash safety (SIGKILL during writes), corruption detection, bad files.
//! - `faults`: faults that heal (a disk that fills up, then has room again).

mod faults;
mod safety;
mod story;
mod support;
