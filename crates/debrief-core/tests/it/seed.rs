//! The reference postmortem (../shared/reference/seed-postmortem.txt), checked against the values
//! its issue states. The document's text stays in ../shared; only the expected values live here.

use super::support::{assert_round_trip, rfc, shared};
use debrief_core::{SectionKind, parse};

#[test]
fn seed_postmortem_imports_with_the_stated_values() {
    let Some(shared) = shared() else { return };
    let text = std::fs::read_to_string(shared.join("reference/seed-postmortem.txt")).unwrap();
    let parsed = parse(&text);
    let p = &parsed.postmortem;

    assert_eq!(
        rfc(&p.instants.started).as_deref(),
        Some("2024-04-03T11:00:00Z")
    );
    assert_eq!(
        rfc(&p.instants.ended).as_deref(),
        Some("2024-04-03T14:16:00Z")
    );
    assert_eq!(p.stated_duration_minutes, Some(194));

    let times: Vec<String> = p.timeline.iter().map(|e| rfc(&e.at).unwrap()).collect();
    let expected: Vec<String> = [
        "11:02", "11:05", "11:10", "11:15", "11:30", "12:00", "12:30", "13:00", "14:00", "14:16",
    ]
    .iter()
    .map(|t| format!("2024-04-03T{t}:00Z"))
    .collect();
    assert_eq!(times, expected);

    assert!(
        p.root_cause
            .as_deref()
            .unwrap()
            .contains("hardware failure")
    );
    assert!(
        p.resolution
            .as_deref()
            .is_some_and(|r| r.contains("restoring the database"))
    );
    assert!(
        p.impact
            .as_deref()
            .unwrap()
            .contains("100% of our customers")
    );
    assert_eq!(p.action_items.len(), 6);
    assert!(
        p.action_items[0]
            .text
            .starts_with("Implement a comprehensive database backup")
    );
    assert!(
        p.action_items[5]
            .text
            .starts_with("Review and update the incident response plan")
    );
    assert!(
        p.action_items
            .iter()
            .all(|a| a.owner.is_none() && a.due.is_none())
    );

    // The two paragraphs about postmortems in general are the preamble, not the summary.
    let summary = p.summary.as_deref().unwrap();
    assert!(
        summary.starts_with("On April 3rd, 2024"),
        "summary: {summary}"
    );
    assert!(!summary.contains("Learning Review"));
    assert!(p.preamble.as_deref().unwrap().contains("Learning Review"));
    assert_eq!(
        p.sections
            .iter()
            .filter(|s| s.kind == SectionKind::Timeline)
            .count(),
        1
    );
    assert!(
        parsed.notes.is_empty(),
        "unexpected notes: {:?}",
        parsed.notes
    );
    assert_round_trip("seed", p);
}
