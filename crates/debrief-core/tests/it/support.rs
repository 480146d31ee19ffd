//! Helpers shared by the test modules.

use std::path::{Path, PathBuf};

use debrief_core::time::Stamp;
use debrief_core::{Postmortem, export, parse};

/// `../shared` next to the repository, or `None` with a printed reason.
pub fn shared() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared");
    if dir.is_dir() {
        Some(dir)
    } else if std::env::var_os("DEBRIEF_REQUIRE_ALL").is_some() {
        panic!(
            "{} is absent; the test command (DEBRIEF_REQUIRE_ALL) needs it: it holds the reference postmortems",
            dir.display()
        );
    } else {
        println!(
            "skipped: {} is absent (it holds the reference postmortems; tests read them only where it exists)",
            dir.display()
        );
        None
    }
}

/// Asserts that the canonical Markdown and the JSON forms both read back to the same record.
pub fn assert_round_trip(name: &str, p: &Postmortem) {
    let md = export::to_markdown(p);
    let back = parse(&md);
    assert_eq!(
        back.postmortem.without_lines(),
        p.without_lines(),
        "{name}: canonical Markdown did not read back identically:\n{md}"
    );
    let json = export::to_json(p);
    let back = parse(&json);
    assert_eq!(
        &back.postmortem, p,
        "{name}: JSON did not read back identically"
    );
}

/// A stamp as RFC 3339, the form the JSON view prints.
pub fn rfc(s: &Option<Stamp>) -> Option<String> {
    s.as_ref().and_then(Stamp::rfc3339)
}
