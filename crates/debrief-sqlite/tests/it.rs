//! SQLite backend tests, one module per feature:
//!
//! - `story`: the conformance story every backend passes.
//! - `safety`: crash safety (SIGKILL during writes), corruption detection, bad files.

mod safety;
mod story;
mod support;
