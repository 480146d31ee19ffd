//! No input makes `parse` panic, and whatever it reads exports and reads back exactly.
//! The generator mixes the pieces postmortems are made of (headings, stamps, tables, lists,
//! fences, front matter) with arbitrary text, so shrinking finds small failing documents.

use debrief_core::parse;
use proptest::prelude::*;

use super::support::assert_round_trip;

fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("# Summary".to_string()),
        Just("## Timeline (all times PDT)".to_string()),
        Just("Timeline:".to_string()),
        Just("**Action Items**".to_string()),
        Just("Root Cause and Resolution:".to_string()),
        Just("---".to_string()),
        Just("```".to_string()),
        Just("| Time | Event |".to_string()),
        Just("|---|---|".to_string()),
        Just("| 10:00 | x |".to_string()),
        Just("- [x] do it (owner: a, due: 2024-01-01)".to_string()),
        Just("- 11:02 AM GMT — down".to_string()),
        Just("### 5:00 PM".to_string()),
        Just("[???] unknown".to_string()),
        Just("Feb 28, 9:40 PM - update<br>Feb 28, 9:45 PM - more".to_string()),
        Just("On April 3rd, 2024 at 11:00 AM GMT it lasted for 3 hours".to_string()),
        Just(String::new()),
        Just("## Timeline (T = 23:50 UTC)".to_string()),
        "(- |\\| |1\\. )?\\*{0,2}T[+−-][0-9]{1,3}(h|m| min|:[0-9]{2})?[0-9m]{0,3}\\*{0,2}:? [a-zé ]{0,9}",
        // Days counted from the first, wiki markup, a Markdown export's escapes, tab-separated
        // rows, and sentences with two times.
        "(- |\\| )?(D\\+|Day )[0-9]{1,3}[,:]? [0-9]{1,2}:[0-9]{2} [a-z ]{0,9}",
        "h[1-6]\\. [A-Za-z ]{0,12}|\\|\\|[A-Za-z ]{0,6}\\|\\|[a-z]{0,5}\\|\\||#{1,2} [a-z\\[\\]~*{} ]{0,12}|\\{(code|quote|noformat)\\}",
        "[a-z0-9 ]{0,6}(\\\\[-._#*>|])[a-z0-9 ]{0,6}(\\\\[-._#*>|])?",
        "[A-Za-z0-9: ]{0,10}\t[A-Za-z0-9: ]{0,10}(\t[a-z]{0,5})?",
        "At [0-9]{1,2}:[0-9]{2} UTC [a-z ]{0,8}(, and | and |, who |; )[a-z ]{0,8}[0-9]{1,2}:[0-9]{2}",
        "[ -~]{0,40}",
        "\\PC{0,20}",
        "[0-9:/ .APMUTC+-]{0,16}",
    ]
}

fn document() -> impl Strategy<Value = String> {
    prop::collection::vec(fragment(), 0..40).prop_map(|v| v.join("\n"))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn structured_documents_never_panic_and_round_trip(doc in document()) {
        let parsed = parse(&doc);
        assert_round_trip("generated", &parsed.postmortem);
    }

    #[test]
    fn arbitrary_text_never_panics(doc in "\\PC{0,400}") {
        let parsed = parse(&doc);
        assert_round_trip("arbitrary", &parsed.postmortem);
    }
}

#[test]
fn deep_nesting_huge_lines_and_huge_tables_do_not_panic() {
    let deep = (0..5_000)
        .map(|i| format!("{}- 10:{:02} item", "  ".repeat(i % 200), i % 60))
        .collect::<Vec<_>>()
        .join("\n");
    let quotes = format!("{}11:00 UTC text", ">".repeat(20_000));
    let huge_line = format!("# Timeline\n{}", "11:02 AM GMT ".repeat(50_000));
    let table = format!(
        "## Timeline\n| Time | Event |\n|---|---|\n{}",
        "| 12:00 | x |\n".repeat(20_000)
    );
    let fences = "```\n".repeat(10_001);
    // Every line of the deep list is an entry; nesting depth does not lose any.
    assert_eq!(
        parse(&format!("## Timeline\n{deep}"))
            .postmortem
            .timeline
            .len(),
        5_000
    );
    // A quoted log line outside a timeline is not an entry.
    assert!(parse(&quotes).postmortem.timeline.is_empty());
    // The 600 kB heading line is a timeline heading.
    let p = parse(&huge_line).postmortem;
    assert_eq!(p.sections[0].kind, debrief_core::SectionKind::Timeline);
    assert_eq!(parse(&table).postmortem.timeline.len(), 20_000);
    // An unbalanced pile of fences is all code: nothing is read as structure.
    let p = parse(&fences).postmortem;
    assert!(p.sections.is_empty() && p.timeline.is_empty());
    // A timeline repeated 5,000 times is read once; the copies are kept as sections.
    let copies = "## Timeline\n\n- 2024-01-01 10:00 UTC errors begin\n\n".repeat(5_000);
    let p = parse(&copies).postmortem;
    assert_eq!(p.timeline.len(), 1);
    assert_eq!(p.sections.len(), 5_000);
    // HTML lists nested 20,000 deep and never closed.
    let html = format!(
        "<html><body><h1>T</h1>{}</body></html>",
        "<ul><li>x".repeat(20_000)
    );
    assert_eq!(parse(&html).postmortem.title.as_deref(), Some("T"));
}

#[test]
fn a_numbered_item_over_many_bullets_is_read_once() {
    // Each bullet between the two numbered items details the first; reading them looks at the
    // item built so far only while it is short (this document took seconds when it did not).
    let details: String = (0..20_000)
        .map(|i| format!("- detail {i} of the work\n"))
        .collect();
    let doc = format!("# T\n\n## Action items\n\n1. First\n{details}2. Second\n");
    let items = parse(&doc).postmortem.action_items;
    assert_eq!(items.len(), 2);
    assert!(items[0].text.starts_with("First; detail 0 of the work"));
    assert!(items[0].text.ends_with("detail 19999 of the work"));
    assert_eq!(items[1].text, "Second");
}
