//! `cargo fuzz run parse --sanitizer none`: parse never panics, and what it reads exports and
//! reads back to the same record.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let parsed = debrief_core::parse(&text);
    let md = debrief_core::export::to_markdown(&parsed.postmortem);
    let back = debrief_core::parse(&md);
    assert_eq!(back.postmortem.without_lines(), parsed.postmortem.without_lines());
});
