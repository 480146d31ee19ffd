//! Debrief's core: the postmortem model, the importer, the canonical exporter, the review rules
//! ([`lint`]) and the response metrics ([`metrics`]).
//!
//! This crate is pure: no file system, no network, no async, no SQL. Everything that reads a
//! document goes through [`parse`], which never fails; everything that writes one goes through
//! [`export`]. The CLI, and later the storage and the server, build on these.

#![forbid(unsafe_code)]

pub mod chat;
pub mod export;
pub mod import;
pub mod lint;
pub mod metrics;
pub mod model;
pub mod synthetic;
pub mod text;
pub mod time;
pub mod view;

pub use import::{Identity, Parsed, identity, parse, parse_named};
pub use model::*;
