//! What `debrief parse --json` prints for one document: the record in the one JSON shape every
//! output uses (the same as `export --to json`, the API's `record` and the backup's), what the
//! importer noted, and the response metrics as `debrief metrics` finds them. Built from a
//! [`Parsed`] by borrowing, so printing a large document does not copy it.

use serde::Serialize;

use crate::import::Parsed;
use crate::metrics::Report;
use crate::model::{Note, Postmortem};

#[derive(Serialize)]
pub struct ParseView<'a> {
    file: Option<&'a str>,
    record: &'a Postmortem,
    notes: &'a [Note],
    metrics: Report,
}

/// The `debrief parse --json` object for one document.
pub fn parse_view<'a>(file: Option<&'a str>, parsed: &'a Parsed) -> ParseView<'a> {
    ParseView {
        file,
        record: &parsed.postmortem,
        notes: &parsed.notes,
        metrics: crate::metrics::report(None, &parsed.postmortem),
    }
}
