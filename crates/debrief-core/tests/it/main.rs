//! Integration tests for debrief-core, one module per feature:
//!
//! - `blame`: `blame-language` precision and recall on our labelled sentences.
//! - `review`: lint rules and response metrics: the seed, the corpus, each rule on its own.
//! - `seed`: the reference postmortem in ../shared, with the exact values its issue requires.
//! - `corpus`: every public postmortem in ../shared/corpus parses, and export-then-import is exact.
//! - `fidelity`: the importer against the hand-labelled documents in ../shared/labelled, per
//!   field, with a floor that only goes up.
//! - `fixtures`: our own documents under `tests/fixtures`, one per format the importer reads.
//! - `roundtrip`: canonical Markdown and JSON read back to the same record.
//! - `schema`: the committed JSON Schema matches the code.
//! - `robustness`: property tests; no input makes `parse` panic, and it stays linear.
//!
//! Tests that need ../shared print why they skip when it is absent (a user's clone), and fail
//! when the test command requires everything (`DEBRIEF_REQUIRE_ALL`).

mod blame;
mod corpus;
mod corpus_files;
mod fidelity;
mod fixtures;
mod review;
mod robustness;
mod roundtrip;
mod schema;
mod seed;
mod support;
