//! Our own documents in `tests/fixtures`, one per family of formats the importer reads, each with
//! the exact values it must give.

use std::path::Path;

use debrief_core::time::Stamp;
use debrief_core::{ActionStatus, EventKind, Parsed, SectionKind, parse};

use super::support::{assert_round_trip, rfc};

fn load(name: &str) -> Parsed {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    let parsed = parse(&std::fs::read_to_string(&path).unwrap());
    assert_round_trip(name, &parsed.postmortem);
    parsed
}

/// (canonical stamp or "unknown", kind) for every entry, in order.
fn timeline(p: &Parsed) -> Vec<(String, EventKind)> {
    p.postmortem
        .timeline
        .iter()
        .map(|e| {
            (
                e.at.as_ref().map_or("unknown".into(), Stamp::to_string),
                e.kind,
            )
        })
        .collect()
}

fn kinds(p: &Parsed) -> Vec<SectionKind> {
    p.postmortem.sections.iter().map(|s| s.kind).collect()
}

/// The timeline entries' texts, in order.
fn entry_texts(p: &Parsed) -> Vec<&str> {
    p.postmortem
        .timeline
        .iter()
        .map(|e| e.text.as_str())
        .collect()
}

/// The action items' texts.
fn action_texts(p: &Parsed) -> Vec<&str> {
    p.postmortem
        .action_items
        .iter()
        .map(|a| a.text.as_str())
        .collect()
}

/// The action items' texts and owners.
fn action_owners(p: &Parsed) -> Vec<(&str, Option<&str>)> {
    let items = &p.postmortem.action_items;
    items
        .iter()
        .map(|a| (a.text.as_str(), a.owner.as_deref()))
        .collect()
}

/// Each timeline entry's instant in RFC 3339, in order.
fn stamps(p: &Parsed) -> Vec<Option<String>> {
    p.postmortem
        .timeline
        .iter()
        .map(|e| e.at.as_ref().and_then(Stamp::rfc3339))
        .collect()
}

/// The timeline's stamps (RFC 3339) read in time order, as metrics and lint read them.
fn stamps_in_time_order(p: &Parsed) -> Vec<Option<String>> {
    debrief_core::import::chronological(&p.postmortem.timeline)
        .iter()
        .map(|e| e.at.as_ref().and_then(Stamp::rfc3339))
        .collect()
}

/// The impact's start and end, in RFC 3339.
fn bounds(p: &Parsed) -> (Option<String>, Option<String>) {
    let i = &p.postmortem.instants;
    (
        i.started.as_ref().and_then(Stamp::rfc3339),
        i.ended.as_ref().and_then(Stamp::rfc3339),
    )
}

/// Asserts the impact's start and end, in RFC 3339.
fn assert_bounds(p: &Parsed, start: Option<&str>, end: Option<&str>) {
    let (s, e) = bounds(p);
    assert_eq!((s.as_deref(), e.as_deref()), (start, end));
}

fn has_note(p: &Parsed, code: &str) -> bool {
    p.notes.iter().any(|n| n.code == code)
}

use EventKind as E;
use SectionKind as S;

#[test]
fn markdown_headings_table_action_items_and_lessons() {
    let d = load("google-sre.md");
    let p = &d.postmortem;
    assert_eq!(p.title.as_deref(), Some("Checkout latency incident"));
    assert_eq!(
        kinds(&d),
        [
            S::Summary,
            S::Impact,
            S::RootCause,
            S::Trigger,
            S::Timeline,
            S::ActionItems,
            S::Lessons,
            S::WentWell,
            S::WentWrong,
            S::Lucky
        ]
    );
    assert_eq!(
        rfc(&p.instants.started).as_deref(),
        Some("2025-02-11T09:10:00Z")
    );
    assert_eq!(
        timeline(&d),
        [
            ("2025-02-11 09:10 UTC".into(), E::Symptom),
            ("2025-02-11 09:14 UTC".into(), E::Detection),
            ("2025-02-11 09:17 UTC".into(), E::Acknowledgement),
            ("2025-02-11 09:31 UTC".into(), E::Escalation),
            ("2025-02-11 09:48 UTC".into(), E::Mitigation),
            ("2025-02-11 10:02 UTC".into(), E::Resolution),
        ]
    );
    let a = &p.action_items;
    assert_eq!(a.len(), 2);
    assert_eq!(
        (a[0].owner.as_deref(), a[0].due.as_deref(), a[0].status),
        (Some("@dana"), Some("2025-03-01"), ActionStatus::Done)
    );
    assert_eq!(
        (a[1].owner.as_deref(), a[1].due.as_deref(), a[1].status),
        (Some("Lee"), Some("2025-04-15"), ActionStatus::InProgress)
    );
    assert_eq!(
        p.lessons.went_well.as_deref(),
        Some("The alert fired within four minutes.")
    );
    assert_eq!(
        p.lessons.lucky.as_deref(),
        Some("It happened outside the sales peak.")
    );
    assert!(
        p.impact
            .as_deref()
            .unwrap()
            .starts_with("18% of checkout requests")
    );
}

#[test]
fn plain_text_labels_twelve_hour_clock_and_midnight() {
    let d = load("plain-text.txt");
    let p = &d.postmortem;
    assert_eq!(
        p.title.as_deref(),
        Some("Outage report for the billing API")
    );
    assert_eq!(
        kinds(&d),
        [S::Summary, S::Timeline, S::RootCause, S::ActionItems]
    );
    assert_eq!(
        rfc(&p.instants.started).as_deref(),
        Some("2023-03-09T23:40:00-05:00")
    );
    assert_eq!(
        rfc(&p.instants.ended).as_deref(),
        Some("2023-03-10T00:25:00-05:00")
    );
    assert_eq!(p.stated_duration_minutes, Some(45));
    let t: Vec<String> = timeline(&d).into_iter().map(|x| x.0).collect();
    assert_eq!(
        t,
        [
            "2023-03-09 23:40 EST",
            "2023-03-09 23:52 EST",
            "2023-03-10 00:02 EST",
            "2023-03-10 00:25 EST"
        ]
    );
    assert_eq!(p.action_items.len(), 2);
    assert_eq!(
        p.action_items[0].text,
        "Add an expiry alert for broker certificates"
    );
    assert_eq!(p.action_items[0].owner.as_deref(), Some("Sam"));
    assert_eq!(p.action_items[0].due.as_deref(), Some("2023-04-01"));
    assert!(!has_note(&d, "zone-missing"));
}

#[test]
fn bold_and_numbered_headings_with_a_zone_in_the_heading() {
    let d = load("bold-headings.md");
    let p = &d.postmortem;
    assert_eq!(
        kinds(&d),
        [S::RootCause, S::Impact, S::Timeline, S::ActionItems]
    );
    // "**Incident:** Search indexing stalled" on the first line names the document.
    assert_eq!(
        p.title.as_deref(),
        Some("Incident: Search indexing stalled")
    );
    assert_eq!(
        timeline(&d),
        [
            ("16:58 PDT".into(), E::Trigger),
            ("17:20 PDT".into(), E::Detection),
            ("19:45 PDT".into(), E::Mitigation)
        ]
    );
    assert!(has_note(&d, "date-missing"));
    let a = &p.action_items;
    assert_eq!(a[0].tracker.as_deref(), Some("OPS-214"));
    assert_eq!(a[1].owner.as_deref(), Some("@mira"));
    assert_eq!(a[1].status, ActionStatus::Open);
}

#[test]
fn front_matter_fields_checkboxes_and_inline_owners() {
    let d = load("front-matter.md");
    let p = &d.postmortem;
    assert_eq!(p.title.as_deref(), Some("Queue backlog in the EU region"));
    assert_eq!(p.severity.as_deref(), Some("SEV2"));
    assert_eq!(p.services, ["queue", "notifications"]);
    assert_eq!(p.tags, ["capacity"]);
    assert_eq!(p.authors, ["Priya"]);
    assert_eq!(
        p.extra.get("ticket_system").and_then(|v| v.as_str()),
        Some("jira")
    );
    assert_eq!(
        rfc(&p.instants.started).as_deref(),
        Some("2024-11-05T08:00:00+01:00")
    );
    assert_eq!(
        rfc(&p.instants.ended).as_deref(),
        Some("2024-11-05T09:30:00+01:00")
    );
    let t: Vec<String> = timeline(&d).into_iter().map(|x| x.0).collect();
    assert_eq!(
        t,
        [
            "2024-11-05 08:00 CET",
            "2024-11-05 08:25 CET",
            "2024-11-05 09:30 CET"
        ]
    );
    let a = &p.action_items;
    assert_eq!(
        (a[0].status, a[0].owner.as_deref(), a[0].due.as_deref()),
        (ActionStatus::Done, Some("Priya"), Some("2024-11-20"))
    );
    assert_eq!(
        (a[1].owner.as_deref(), a[1].due.as_deref()),
        (Some("@omar"), Some("2024-12-01"))
    );
    assert_eq!(a[2].tracker.as_deref(), Some("JIRA-77"));
}

#[test]
fn status_page_updates_newest_first_are_read_oldest_first_and_kept_as_written() {
    let d = load("status-page.md");
    assert!(has_note(&d, "timeline-newest-first"));
    // The record lists them as the page does; they are read oldest first.
    assert_eq!(
        timeline(&d),
        [
            ("2023-02-28 21:40 PST".into(), E::Resolution),
            ("2023-02-28 21:05 PST".into(), E::Mitigation),
            ("2023-02-28 20:15 PST".into(), E::Diagnosis),
        ]
    );
    assert!(
        d.postmortem.timeline[0]
            .text
            .contains("This incident has been resolved.")
    );
    assert_eq!(
        stamps_in_time_order(&d),
        [
            Some("2023-02-28T20:15:00-08:00".to_string()),
            Some("2023-02-28T21:05:00-08:00".to_string()),
            Some("2023-02-28T21:40:00-08:00".to_string()),
        ]
    );
    let m = debrief_core::metrics::instants(&d.postmortem);
    assert_eq!(
        m.mitigated.and_then(|f| f.at.rfc3339()).as_deref(),
        Some("2023-02-28T21:05:00-08:00")
    );
}

#[test]
fn a_status_update_whose_text_ends_with_a_time_is_stamped_by_the_line_under_it() {
    let d = parse(
        "# Elevated API errors\n\n**Resolved** - Error rates have been normal since 15:42 UTC.\nMar 21, 2025 - 16:05 UTC\n\n**Identified** - A bad replica is being removed.\nMar 21, 2025 - 14:58 UTC\n\n**Investigating** - We are investigating elevated error rates.\nMar 21, 2025 - 14:31 UTC\n",
    );
    assert_eq!(
        timeline(&d),
        [
            ("2025-03-21 16:05 UTC".into(), E::Resolution),
            ("2025-03-21 14:58 UTC".into(), E::Diagnosis),
            ("2025-03-21 14:31 UTC".into(), E::Diagnosis),
        ]
    );
    assert!(d.postmortem.timeline[0].text.contains("since 15:42 UTC"));
}

#[test]
fn tables_and_br_separated_entries_cross_midnight() {
    let d = load("tables-and-br.md");
    let t: Vec<String> = timeline(&d).into_iter().map(|x| x.0).collect();
    assert_eq!(
        t,
        [
            "2022-08-30 23:50 UTC",
            "2022-08-31 00:05 UTC",
            "2022-08-31 00:40 UTC",
            "2022-08-31 01:10 UTC",
            "2022-08-31 01:15 UTC"
        ]
    );
    assert_eq!(d.postmortem.timeline[3].text, "support ticket closed");
}

#[test]
fn a_quoted_timeline_and_entries_told_as_sentences() {
    let times = |d: &debrief_core::Parsed| -> Vec<(String, String)> {
        d.postmortem
            .timeline
            .iter()
            .map(|e| {
                (
                    e.at.as_ref().and_then(Stamp::rfc3339).unwrap_or_default(),
                    e.text.clone(),
                )
            })
            .collect()
    };
    let want = [
        (
            "2024-05-02T14:15:00Z".to_string(),
            "deploy started".to_string(),
        ),
        (
            "2024-05-02T14:40:00Z".to_string(),
            "errors spiked".to_string(),
        ),
    ];
    for doc in [
        "# T\n\nDate: 2024-05-02\n\n## Timeline\n\n> 14:15 deploy started\n>\n> 14:40 errors spiked\n",
        "# T\n\nDate: 2024-05-02\n\n## Timeline\n\n- At 14:15, deploy started\n- Around 2:40 PM, errors spiked\n",
        "# T\n\nDate: 2024-05-02\n\n## Timeline\n\n- 2:15p - deploy started\n- 2:40p - errors spiked\n",
    ] {
        assert_eq!(times(&parse(doc)), want, "{doc}");
    }
    // A quote under an entry is still evidence, not entries of its own.
    let d = parse(
        "# T\n\nDate: 2024-05-02\n\n## Timeline\n\n- 14:15 deploy started\n\n  > 14:16 log line\n\n- 14:40 errors spiked\n",
    );
    assert_eq!(d.postmortem.timeline.len(), 2);
}

#[test]
fn a_timeline_section_told_in_sentences_has_an_entry_a_sentence() {
    let d = parse(
        "# Queue outage\n\nDate: 2024-05-14 (UTC)\n\n## Timeline\n\nAt 09:02 a deploy of the scheduler started. At 09:05 the queue stopped draining and\nthe backlog alert fired at 09:11. The on-call engineer acknowledged at 09:14.\n\nAt 09:40 we rolled the deploy back, and by 09:52 the backlog was gone.\n",
    );
    assert_eq!(
        stamps(&d),
        ["09:02", "09:05", "09:11", "09:14", "09:40", "09:52"]
            .map(|t| Some(format!("2024-05-14T{t}:00Z")))
    );
    assert_bounds(
        &d,
        Some("2024-05-14T09:02:00Z"),
        Some("2024-05-14T09:52:00Z"),
    );
    // Lines opening with their times stay an entry a line, sentences after the first included.
    let d = parse(
        "# Queue outage\n\n## Timeline (UTC, 2024-05-14)\n\n09:02 Scheduler deploy starts. It included the batching code.\n09:05 Queue stops draining.\n",
    );
    assert_eq!(
        entry_texts(&d),
        [
            "Scheduler deploy starts. It included the batching code.",
            "Queue stops draining."
        ]
    );
}

#[test]
fn a_status_update_that_states_the_span_bounds_the_impact() {
    let d = parse(
        "[RESOLVED] Increased API error rates\n\nMar 5, 2024\n\n2:12 PM PST We are investigating increased error rates.\n\n2:48 PM PST We have identified the root cause.\n\n3:20 PM PST Between 1:55 PM and 3:05 PM PST, we experienced increased error rates. The issue has been resolved.\n",
    );
    assert_eq!(d.postmortem.timeline.len(), 3);
    assert_bounds(
        &d,
        Some("2024-03-05T13:55:00-08:00"),
        Some("2024-03-05T15:05:00-08:00"),
    );
}

#[test]
fn a_report_in_german_reads_its_clock_zone_and_sections() {
    let d = parse(
        "# Störung der Zahlungsabwicklung\n\n**Datum:** 14.05.2024\n**Schweregrad:** Hoch\n\n## Zeitablauf (MESZ)\n\n- 09:15 Uhr – Erste Fehlermeldungen im Monitoring\n- 10:35 Uhr – Zahlungen laufen wieder normal\n\n## Ursache\n\nEine fehlerhafte Konfiguration des Gateways.\n\n## Maßnahmen\n\n- Konfigurationsänderungen automatisch testen (Verantwortlich: Jana)\n",
    );
    assert_eq!(
        entry_texts(&d),
        [
            "Erste Fehlermeldungen im Monitoring",
            "Zahlungen laufen wieder normal"
        ]
    );
    assert_bounds(
        &d,
        Some("2024-05-14T09:15:00+02:00"),
        Some("2024-05-14T10:35:00+02:00"),
    );
    assert_eq!(d.postmortem.severity.as_deref(), Some("Hoch"));
    assert!(d.postmortem.root_cause.is_some());
    assert_eq!(
        action_owners(&d),
        [("Konfigurationsänderungen automatisch testen", Some("Jana"))]
    );
}

#[test]
fn the_day_a_sentence_states_dates_the_timeline_in_the_documents_order() {
    // West Africa writes the day first: 12/03/2024 is 12 March, for the span and the entries.
    for doc in [
        "Postmortem Report\n\nDuration: The outage lasted 45 minutes, from 10:15 AM to 11:00 AM WAT on 12/03/2024.\n\nTimeline:\n10:15 AM - Monitoring alert on 502 errors.\n11:00 AM - Service restored.\n",
        "Postmortem Report\n\nThe outage lasted 45 minutes, from 10:15 AM to 11:00 AM WAT on 12/03/2024.\n\nTimeline:\n10:15 AM - Monitoring alert on 502 errors.\n11:00 AM - Service restored.\n",
    ] {
        let d = parse(doc);
        assert_eq!(
            stamps(&d),
            [
                Some("2024-03-12T10:15:00+01:00".to_string()),
                Some("2024-03-12T11:00:00+01:00".to_string())
            ],
            "{doc}"
        );
        assert_bounds(
            &d,
            Some("2024-03-12T10:15:00+01:00"),
            Some("2024-03-12T11:00:00+01:00"),
        );
    }
}

#[test]
fn a_zone_declared_with_a_day_dates_the_timeline() {
    let d = parse(
        "# Queue outage\n\n## Timeline\n\nAll times are UTC on 14 May 2024.\n\n- 09:02 Scheduler deploy starts\n- 09:52 Backlog gone\n",
    );
    assert_bounds(
        &d,
        Some("2024-05-14T09:02:00Z"),
        Some("2024-05-14T09:52:00Z"),
    );
}

#[test]
fn a_timeline_told_in_phases_and_a_remediation_list() {
    let d = parse(
        "# T\n\nDate: 2024-08-20 (all times UTC)\n\n## Timeline\n\n### Detection\n- 13:02 Synthetic login check fails\n\n### Response\n- 13:09 On-call acknowledges\n\n### Recovery\n- 13:50 Login success rate back to 100%\n\n## Remediation\n\n- Correct autoscaler minimums (done)\n- Add queue-time alerting\n",
    );
    let p = &d.postmortem;
    assert_eq!(p.timeline.len(), 3);
    assert_eq!(p.timeline[2].text, "Login success rate back to 100%");
    let items: Vec<(&str, ActionStatus)> = p
        .action_items
        .iter()
        .map(|a| (a.text.as_str(), a.status))
        .collect();
    assert_eq!(
        items,
        [
            ("Correct autoscaler minimums", ActionStatus::Done),
            ("Add queue-time alerting", ActionStatus::Open)
        ]
    );
    // A section of the same name after the timeline, without stamps under it, is one.
    let d = parse(
        "# T\n\n## Timeline\n\n- 13:02 UTC check fails\n- 13:50 UTC recovered\n\n### Detection\n\nA synthetic check caught it.\n",
    );
    assert_eq!(d.postmortem.timeline.len(), 2);
    assert_eq!(
        d.postmortem.detection.as_deref(),
        Some("A synthetic check caught it.")
    );
}

#[test]
fn a_plain_text_report_with_numbered_sections_apart_by_blank_lines() {
    let d = parse(
        "PAYMENT API LATENCY\nDate of incident: 19 February 2024\n\n1. Summary\n\nThe API was slow.\n\n2. Timeline (CET)\n\n08:12  p99 latency rises\n09:37  latency back to normal\n\n3. Action items\n\n3.1 Move re-index jobs to the night (owner: DB team)\n3.2 Pause batch jobs on high latency\n",
    );
    let p = &d.postmortem;
    let kinds: Vec<SectionKind> = p.sections.iter().map(|s| s.kind).collect();
    assert_eq!(kinds, [S::Summary, S::Timeline, S::ActionItems]);
    assert_eq!(p.timeline.len(), 2);
    assert_eq!(
        action_texts(&d),
        [
            "Move re-index jobs to the night",
            "Pause batch jobs on high latency"
        ]
    );
    // A table of contents stays a list.
    let d = parse("# T\n\n1. Summary\n\n2. Timeline\n\n## Summary\n\nSome text.\n");
    let kinds: Vec<SectionKind> = d.postmortem.sections.iter().map(|s| s.kind).collect();
    assert_eq!(kinds, [S::Summary]);
}

#[test]
fn toml_front_matter_and_impact_keys() {
    let d = parse(
        "+++\ntitle = \"Webhook retries exhausted\"\ndate = 2024-08-14\nseverity = \"P2\"\nstart = \"2024-08-14T09:00:00+02:00\"\nend = 2024-08-14T10:12:00+02:00\n+++\n\n## What happened\nRetries ran out.\n",
    );
    let p = &d.postmortem;
    assert_eq!(p.title.as_deref(), Some("Webhook retries exhausted"));
    assert_eq!(p.severity.as_deref(), Some("P2"));
    assert_eq!(
        rfc(&p.instants.started).as_deref(),
        Some("2024-08-14T09:00:00+02:00")
    );
    assert_eq!(
        rfc(&p.instants.ended).as_deref(),
        Some("2024-08-14T10:12:00+02:00")
    );
    // Invalid TOML is kept as text, with a note.
    let d = parse("+++\ntitle = \n+++\n\n## Summary\nx\n");
    assert!(has_note(&d, "front-matter-invalid"));
    assert_eq!(d.postmortem.sections[0].heading, "Front matter");
    let d = parse(
        "---\ntitle: Redis eviction storm\nimpact_start: 2024-07-09T15:20:00Z\nresolved_at: 2024-07-09T16:40:00Z\n---\n\nx\n",
    );
    assert_eq!(
        rfc(&d.postmortem.instants.started).as_deref(),
        Some("2024-07-09T15:20:00Z")
    );
}

#[test]
fn a_tables_row_numbers_and_dashes_are_no_part_of_an_entry() {
    let d = parse(
        "# T\n\n## Timeline\n\n| # | Time (UTC) | Event | Who |\n|---|---|---|---|\n| 1 | 2024-11-02 06:40 | Relay disk fills | - |\n| 2 | 2024-11-02 08:10 | On-call acknowledges | Jo |\n",
    );
    assert_eq!(
        entry_texts(&d),
        ["Relay disk fills", "On-call acknowledges — Jo"]
    );
}

#[test]
fn a_tables_end_column_stays_with_the_entry_and_leaves_its_time() {
    for header in [
        "| Start | End | Event |",
        "| Start time | End time | Event |",
    ] {
        let d = parse(&format!(
            "# T\n\nDate: 2024-10-02\n\n## Timeline (UTC)\n\n{header}\n|---|---|---|\n| 13:02 | 13:02 | Controller fails over |\n| 13:02 | 13:40 | Latency above 200 ms |\n| 13:15 | | On-call acknowledges |\n| 13:40 | 14:10 | Latency back under 20 ms |\n"
        ));
        assert_eq!(
            entry_texts(&d),
            [
                "Controller fails over",
                "Latency above 200 ms (until 13:40)",
                "On-call acknowledges",
                "Latency back under 20 ms (until 14:10)"
            ],
            "{header}"
        );
        assert_bounds(
            &d,
            Some("2024-10-02T13:02:00Z"),
            Some("2024-10-02T13:40:00Z"),
        );
    }
}

#[test]
fn time_headings_date_headings_and_unknown_times() {
    let d = load("time-headings.md");
    let p = &d.postmortem;
    let t: Vec<String> = timeline(&d).into_iter().map(|x| x.0).collect();
    assert_eq!(
        t,
        [
            "2025-05-12 22:30 EEST",
            "2025-05-12 23:55 EEST",
            "2025-05-13 00:40 EEST",
            "unknown",
            "unknown",
            "2025-05-13 01:10 UTC"
        ]
    );
    assert_eq!(
        p.timeline[1].text,
        "Engineer restarts the hub.\nIt comes back slowly."
    );
    assert_eq!(p.timeline[3].text, "Someone notices the disk alert");
    // The zone declaration stays in the section text.
    assert_eq!(p.sections[0].text, "All times in EEST.");
}

#[test]
fn offsets_iso_times_and_code_blocks() {
    let d = load("zones-and-code.md");
    let p = &d.postmortem;
    assert!(
        p.preamble
            .as_deref()
            .unwrap()
            .starts_with("This document describes")
    );
    assert!(
        p.summary
            .as_deref()
            .unwrap()
            .starts_with("A bad config push")
    );
    let utc: Vec<String> = p
        .timeline
        .iter()
        .map(|e| {
            e.at.as_ref()
                .unwrap()
                .utc_seconds(false)
                .unwrap()
                .to_string()
        })
        .collect();
    // 03:00Z, 03:10Z, 03:20Z, 03:40Z on 2020-03-16: the code block and the quoted log add nothing.
    let base = 1_584_327_600i64;
    assert_eq!(
        utc,
        [base, base + 600, base + 1200, base + 2400].map(|x| x.to_string())
    );
    assert!(p.sections[1].text.contains("config invalid"));
    assert_eq!(
        rfc(&p.instants.started).as_deref(),
        Some("2020-03-16T03:00:00Z")
    );
}

#[test]
fn html_export_reads_like_its_markdown() {
    let parsed = load("wiki-export.html");
    let p = &parsed.postmortem;
    assert!(has_note(&parsed, "html-read-as-markdown"));
    assert_eq!(
        p.title.as_deref(),
        Some("Checkout latency incident, 2025-09-14")
    );
    assert_eq!(p.severity.as_deref(), Some("SEV2"));
    assert_eq!(p.stated_duration_minutes, Some(50));
    assert_eq!(p.timeline.len(), 5);
    assert_eq!(
        p.timeline[2].text,
        "On-call acknowledges & opens the incident channel"
    );
    assert_eq!(
        rfc(&p.instants.started).as_deref(),
        Some("2025-09-14T09:12:00Z")
    );
    assert_eq!(
        rfc(&p.instants.ended).as_deref(),
        Some("2025-09-14T10:02:00Z")
    );
    let owners: Vec<_> = p.action_items.iter().map(|a| a.owner.as_deref()).collect();
    assert_eq!(owners, [Some("@dana"), Some("@lee")]);
    assert!(
        p.root_cause
            .as_deref()
            .unwrap()
            .contains("connection pool capped")
    );
    assert!(!p.preamble.as_deref().unwrap_or("").contains("analytics"));
}

#[test]
fn carriage_return_line_endings_read_like_line_feeds() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/google-sre.md");
    let text = std::fs::read_to_string(path).unwrap();
    let lf = parse(&text).postmortem;
    assert!(!lf.timeline.is_empty());
    for ending in ["\r", "\r\n"] {
        let other = parse(&text.replace('\n', ending)).postmortem;
        assert_eq!(other, lf, "line endings {ending:?}");
    }
}

#[test]
fn chat_lines_are_a_timeline_with_or_without_a_heading() {
    let lines = "10:02 <alice> paging @carol, checkout is erroring\n10:04 <carol> ack, looking\n[10:09] bob: deployed the rollback\n[10:15] carol: error rate back to normal, resolving\n";
    for doc in [
        format!("# Cache stampede\n\n## Timeline\n\n{lines}"),
        format!("# Cache stampede\n\nWe lost checkout for a while.\n\n## Chat log\n\n{lines}"),
    ] {
        let p = parse(&doc).postmortem;
        let kinds: Vec<EventKind> = p.timeline.iter().map(|e| e.kind).collect();
        assert_eq!(
            kinds,
            [
                E::Detection,
                E::Acknowledgement,
                E::Mitigation,
                E::Resolution
            ],
            "{doc}"
        );
        assert_round_trip("chat", &p);
    }
}

#[test]
fn causes_stated_as_damage_or_an_upstream_outage() {
    let cause = |body: &str| {
        parse(&format!("# Checkout errors\n\n{body}\n"))
            .postmortem
            .root_cause
    };
    assert!(
        cause("A queued pipeline ran and destroyed the route tables, so no traffic reached us.")
            .is_some()
    );
    for stated in [
        "The underlying issue was a race condition in the session cache.",
        "It turned out that the disk had filled up with logs.",
        "The trigger was a config push to all regions at once.",
        "We traced the errors to a misrouted health check.",
    ] {
        assert!(cause(stated).is_some(), "{stated}");
    }
    // Working on the underlying issue names none.
    assert_eq!(
        cause("Messages were held while the team resolved the underlying issue."),
        None
    );
    assert!(cause("An outage of the payment provider's EU region impacts checkout.").is_some());
    // Cleaning up after the incident names no cause.
    assert_eq!(
        cause("The test database and its account were destroyed."),
        None
    );
    // A word that only ends like a cue names none ("rescheduled to", "debug in"); "led to" and a part that
    // failed to do its work are causes.
    for none in [
        "The nightly vacuum was rescheduled to 02:00.",
        "We turned on debug in the proxy.",
    ] {
        assert_eq!(cause(none), None, "{none}");
    }
    for stated in [
        "A stale DNS record led to the errors.",
        "The handler failed to check for negative values.",
        "By 13:20 the team had identified the rotation as the trigger and paused it.",
    ] {
        assert!(cause(stated).is_some(), "{stated}");
    }
    // A trigger section with no cue in it says what set the incident off.
    let trigger = "## Trigger\n\nA config push reached every region at once.";
    assert_eq!(
        cause(trigger).as_deref(),
        Some("A config push reached every region at once.")
    );
}

#[test]
fn times_answering_questions_in_a_template_timeline() {
    let doc = "# Sales site down\n\n## Timeline\n\n* When was the issue detected:\n\n\t2:17 PM (GMT)\n\n* Actions taken\n\n\t2:22 PM (GMT) The issue was sent to support\n\n\t3:05 PM (GMT) **top** is run again, the load is going down\n\n-----------\n\n## Root cause\n\nA backup job on the web server.\n";
    let d = parse(doc);
    let p = &d.postmortem;
    assert_eq!(
        entry_texts(&d),
        [
            "When was the issue detected:",
            "The issue was sent to support",
            "**top** is run again, the load is going down"
        ]
    );
    assert!(p.timeline.iter().all(|e| e.at.is_some()));
}

#[test]
fn code_opening_an_entry_keeps_its_marks() {
    let doc = "# Gateway\n\n## Timeline\n\n- 10:40 `api-gw` restarted\n- 10:41 - ``purge-worker`` rolled back\n- `10:42` Errors stop\n";
    let texts: Vec<_> = parse(doc)
        .postmortem
        .timeline
        .into_iter()
        .map(|e| e.text)
        .collect();
    assert_eq!(
        texts,
        [
            "`api-gw` restarted",
            "``purge-worker`` rolled back",
            "Errors stop"
        ]
    );
}

#[test]
fn impact_ends_when_service_returns_not_when_declared_minutes_later() {
    let end = |declared: &str| {
        let doc = format!(
            "# Staging down\n\n## Timeline (UTC)\n\n- 2023-06-20 12:32 - We deleted the architecture\n- 2023-06-20 13:16 - Verified that the exceptions stopped\n- 2023-06-20 {declared} - We declared the incident resolved\n"
        );
        rfc(&parse(&doc).postmortem.instants.ended)
    };
    assert_eq!(end("13:17").as_deref(), Some("2023-06-20T13:16:00Z"));
    // Half an hour later, the declaration is a resolution of its own.
    assert_eq!(end("13:46").as_deref(), Some("2023-06-20T13:46:00Z"));
}

#[test]
fn the_review_after_the_incident_is_not_the_impact() {
    for review in [
        "Postmortem scheduled",
        "Retrospective held with the team",
        "Config reverted by mistake (see separate post-mortem)",
        "retro",
        "PIR held",
        "Hot debrief with the on-call team",
        "Lessons learned session",
    ] {
        let doc = format!(
            "# Queue outage\n\nDate: 2026-04-07\n\n## Timeline\n\n- 10:00 AM UTC — Queue stops\n- 10:40 AM — Queue restarted\n- 12:05 PM — {review}\n"
        );
        assert_eq!(
            rfc(&parse(&doc).postmortem.instants.ended).as_deref(),
            Some("2026-04-07T10:40:00Z"),
            "{review}"
        );
    }
}

#[test]
fn a_recovery_section_states_the_end_the_summary_left_out() {
    let d = parse(
        "# Image uploads failing\n\nDate: 2025-02-11\n\n## Impact\n\nUploads failed for all users. The first failed upload was at 10:12 UTC.\n\n## Response\n\nThe engineer found that a Terraform apply at 10:11 UTC had replaced the bucket policy.\n\n## Recovery\n\nThe previous policy was restored at 10:48 UTC.\n",
    );
    assert_bounds(
        &d,
        Some("2025-02-11T10:12:00Z"),
        Some("2025-02-11T10:48:00Z"),
    );
}

#[test]
fn a_title_that_states_the_span_bounds_the_impact() {
    let doc =
        "# Outage on 2025-03-03 from 14:02 to 14:47 UTC\n\n## What broke\n\nLogins were refused.\n";
    assert_eq!(
        rfc(&parse(doc).postmortem.instants.started).as_deref(),
        Some("2025-03-03T14:02:00Z")
    );
    assert_eq!(
        bounds(&parse(doc)).1.as_deref(),
        Some("2025-03-03T14:47:00Z")
    );
}

#[test]
fn an_incident_closed_label_ends_the_impact() {
    assert_eq!(
        bounds(&parse("Incident: Slow dashboards\nReported: 2025-11-04 08:55 UTC\nClosed: 2025-11-04 10:15 UTC\n\nCause: a missing index.\n")).1.as_deref(),
        Some("2025-11-04T10:15:00Z")
    );
    // A resolution stays the end, stated before or after the closing, and so does a fix.
    for doc in [
        "# Slow dashboards\n\nResolved: 2025-11-04 09:40 UTC\nClosed: 2025-11-06 10:15 UTC\n",
        "# Slow dashboards\n\nClosed at: 2025-11-06 10:15 UTC\nResolved at: 2025-11-04 09:40 UTC\n",
        "# Slow dashboards\n\n**Fixed at:** 4 Nov 2025, 09:40 UTC\n**Closed at:** 6 Nov 2025, 10:15 UTC\n",
    ] {
        assert_eq!(
            bounds(&parse(doc)).1.as_deref(),
            Some("2025-11-04T09:40:00Z"),
            "{doc}"
        );
    }
    // The closing is paperwork after the impact: a timeline that ends the impact wins.
    let doc = "# Slow dashboards\n\n**Impact started at:** 4 Nov 2025, 08:50 UTC\n**Closed at:** 4 Nov 2025, 14:30 UTC\n\n## Key moments\n\n- **08:55** Dashboards time out\n- **09:20** Index rebuilt\n- **09:40** Dashboards load in under a second again\n";
    assert_eq!(
        bounds(&parse(doc)).1.as_deref(),
        Some("2025-11-04T09:40:00Z")
    );
}

#[test]
fn telling_customers_the_service_is_back_is_not_the_impact() {
    let end = |restored: &str, told: &str| {
        bounds(&parse(&format!(
            "# API outage\n\nDate: 2025-05-05\n\n## Timeline (UTC)\n\n- 10:05 API returns 500s\n- 10:20 Rollback started\n{restored}- 11:40 {told}\n"
        )))
        .1
    };
    let restored = "- 11:10 Service restored\n";
    for told in [
        "All-clear sent to customers",
        "Customers notified that the service is restored",
    ] {
        assert_eq!(
            end(restored, told).as_deref(),
            Some("2025-05-05T11:10:00Z"),
            "{told}"
        );
    }
    // Without an entry saying the service came back, the last word is the end.
    assert_eq!(
        end("", "All-clear sent to customers").as_deref(),
        Some("2025-05-05T11:40:00Z")
    );
}

#[test]
fn follow_up_the_next_day_is_not_the_impact() {
    let end = |last: &str| {
        let doc = format!(
            "# Dashboard down\n\n## Timeline (UTC)\n\n- 2025-03-04 07:55 vacuum job starts\n- 2025-03-04 08:10 requests time out\n- 2025-03-04 10:40 vacuum cancelled; requests recover\n- 2025-03-05 09:00 {last}\n"
        );
        rfc(&parse(&doc).postmortem.instants.ended)
    };
    assert_eq!(
        end("vacuum rescheduled to 02:00").as_deref(),
        Some("2025-03-04T10:40:00Z")
    );
    // The problem back, or more repair, is still the incident.
    for more in [
        "requests time out again",
        "replica rebuilt; service restored",
    ] {
        assert_eq!(end(more).as_deref(), Some("2025-03-05T09:00:00Z"), "{more}");
    }
    // Work the entry before had under way, finished the next day.
    let doc = "# db9\n\n## Timeline (UTC)\n\n- 2013-02-26 09:14 outage of db9a\n- 2013-02-26 09:17 failover to db9b successful\n- 2013-02-26 14:40 we are now in the process of synchronizing db9a\n- 2013-02-27 07:04 synchronization finished\n";
    assert_eq!(
        rfc(&parse(doc).postmortem.instants.ended).as_deref(),
        Some("2013-02-27T07:04:00Z")
    );
}

#[test]
fn what_we_will_do_under_lessons_learned_is_an_action_when_no_section_lists_them() {
    let lessons = "## Lessons learned\n\nPlain VACUUM is enough most nights.\nWe will run VACUUM FULL only in maintenance windows.\n- We'll add a statement timeout to the queries.\nWe will see.\n";
    let items = |doc: &str| -> Vec<String> {
        parse(doc)
            .postmortem
            .action_items
            .into_iter()
            .map(|a| a.text)
            .collect()
    };
    assert_eq!(
        items(&format!("# Dashboard down\n\n{lessons}")),
        [
            "We will run VACUUM FULL only in maintenance windows.",
            "We'll add a statement timeout to the queries."
        ]
    );
    // A section of action items is where they are listed.
    assert_eq!(
        items(&format!(
            "# Dashboard down\n\n{lessons}\n## Action items\n\n- Alert on lock waits\n"
        )),
        ["Alert on lock waits"]
    );
}

#[test]
fn a_cause_told_as_what_it_did_to_the_service() {
    let doc = "# Elevated API errors\n\n## Postmortem\n\nBetween 14:02 and 15:10 UTC about 12% of requests failed. A cache change set a TTL of zero, which sent every request to the database.\n";
    let p = parse(doc).postmortem;
    assert_eq!(
        p.root_cause.as_deref(),
        Some("A cache change set a TTL of zero, which sent every request to the database.")
    );
    // Told without one, no cause is read.
    let doc = "# Elevated API errors\n\n## Postmortem\n\nBetween 14:02 and 15:10 UTC about 12% of requests failed.\n";
    assert_eq!(parse(doc).postmortem.root_cause, None);
}

#[test]
fn a_cause_section_left_as_a_placeholder_states_no_cause() {
    for body in [
        "TBD",
        "N/A",
        "_To be completed by the incident owner._",
        "Still under investigation; we will update this document.",
        "The investigation is ongoing; we will share more when it ends.",
        "The root cause has not yet been identified.",
        "Unknown at this time.",
        "<!-- Describe the root cause here -->",
        "Not yet determined.\n\nWe expect to get a statement about the root cause from the provider in the morning.",
    ] {
        let d = parse(&format!(
            "# Checkout errors\n\n## Summary\n\nCheckout failed for an hour.\n\n## Root cause\n\n{body}\n"
        ));
        assert_eq!(d.postmortem.root_cause, None, "{body}");
        // The section keeps what it says.
        assert!(
            d.postmortem
                .sections
                .iter()
                .any(|s| s.text.contains(body.lines().next().unwrap())),
            "{body}"
        );
    }
    // A placeholder leaves the cause to the prose; a cause said to be unknown is none.
    let d = parse(
        "# Checkout errors\n\n## Summary\n\nCheckout failed for an hour because the certificate expired.\n\n## Root cause\n\nTBD\n",
    );
    assert!(d.postmortem.root_cause.is_some());
    let d = parse(
        "# Card declined\n\n## Summary\n\nThe notification said the charge failed due to an invalid expiry date.\n\n## Root cause\n\nThe source of the charge is still unknown at this time.\n",
    );
    assert_eq!(d.postmortem.root_cause, None);
    // A reason told as what will be done is a cause.
    let d = parse(
        "# Copr upgrade\n\n## Reason for outage\n\nWe will update the infrastructure machines to the latest packages.\n",
    );
    assert!(d.postmortem.root_cause.is_some());
    // Words about the unknown or the not yet that tell a cause are a cause.
    for body in [
        "An unknown client flooded the API with retries.",
        "The cleanup job had not yet run, so the disk filled.",
        "The operator failed to follow the runbook.",
    ] {
        let d = parse(&format!("# Checkout errors\n\n## Root cause\n\n{body}\n"));
        assert_eq!(d.postmortem.root_cause.as_deref(), Some(body), "{body}");
    }
    // A cause that says what is known so far is one.
    let d = parse(
        "# Checkout errors\n\n## Root cause\n\nUnknown at first; the investigation found that the payment client reused closed connections after the upgrade.\n",
    );
    assert!(d.postmortem.root_cause.is_some());
}

#[test]
fn a_cause_told_as_what_gave_out() {
    let cause = |body: &str| {
        parse(&format!("# Problems publishing artifacts\n\n{body}\n"))
            .postmortem
            .root_cause
    };
    assert_eq!(
        cause("We saw failed uploads from 18:00 UTC. Logs indicate the disk is full.").as_deref(),
        Some("Logs indicate the disk is full.")
    );
    assert_eq!(
        cause("The service credential expired on 2021-06-02.").as_deref(),
        Some("The service credential expired on 2021-06-02.")
    );
    assert_eq!(
        cause("Nodes ran short of memory. However, we overlooked the cost of the stack.")
            .as_deref(),
        Some("However, we overlooked the cost of the stack.")
    );
    // What the problem was.
    assert_eq!(
        cause("Builds failed all morning. The problem was a race condition in the scheduler.")
            .as_deref(),
        Some("The problem was a race condition in the scheduler.")
    );
    assert_eq!(
        cause("Builds failed all morning. The problem was solved by noon."),
        None
    );
    // What was found faulty, as a status page's update says it.
    assert_eq!(
        cause("**Identified** - We identified a faulty load balancer configuration and are rolling it back.").as_deref(),
        Some("**Identified** - We identified a faulty load balancer configuration and are rolling it back.")
    );
    // A timeline's entry that only says the cause was found or is being written up states none.
    assert_eq!(
        cause(
            "- 13:40 Policy reverted\n- 14:10 Root cause identified\n- 14:30 Root cause write-up started"
        ),
        None
    );
    for body in [
        "- 14:10 Root cause was a typo in the policy",
        "- 14:10 License expiry identified as the cause",
    ] {
        assert_eq!(cause(body).as_deref(), Some(body), "{body}");
    }
    // What one failure keeps from working, a capability a change took away, and a
    // provider's own outage.
    for body in [
        "The mount failure prevents the files from being served.",
        "An issue with the signing key is currently preventing builds from being signed.",
        "The account system is down, leading to failed jobs.",
        "The upgrade of the proxy dropped support for TLS 1.0.",
        "The hosting provider is having a network outage.",
        "The availability zone had an outage and two nodes became unreachable.",
        // A slip that did the damage.
        "An engineer accidentally deleted the production volume.",
        "The cleanup job mistakenly targeted the live resource group.",
        // A change the failure came with.
        "The API returned errors for 25 minutes after a config push set the pool size to zero.",
        "Search failed when a deploy removed an index the query relied on.",
    ] {
        assert_eq!(cause(body).as_deref(), Some(body), "{body}");
    }
    // The same words about what was done, or about the service's own outage, are no cause.
    for body in [
        "Retries prevented data loss.",
        "We had an outage: builds failed for two hours.",
        "Our region had an outage.",
        // Denied: what did not give out is no cause.
        "The certificate had not expired.",
        "We verified that no data was accidentally deleted.",
        "We did not see errors after the upgrade.",
        "Latency returned to normal after the upgrade.",
    ] {
        assert_eq!(cause(body), None, "{body}");
    }
    // A sentence that says "caused" is preferred; a word in a link's address is no cue.
    assert_eq!(
        cause("Uploads failed; the disk was full. A log rotation bug caused the growth.")
            .as_deref(),
        Some("A log rotation bug caused the growth.")
    );
    assert_eq!(
        cause("Solved following [the docs](https://docs.example.com/troubleshoot#quota-exceeded)."),
        None
    );
}

#[test]
fn a_cloud_providers_post_incident_review_reads_by_its_questions() {
    let doc = "# Post Incident Review (PIR) – Storage – Errors in West Europe\n\n## What happened?\n\nBetween 08:51 UTC on 14 May 2025 and 13:20 UTC on 14 May 2025, customers saw errors.\n\n## What went wrong and why?\n\nA configuration change lowered the connection limit.\n\n## How did we respond?\n\n- 08:51 UTC on 14 May 2025 – Customer impact began.\n- 08:58 UTC on 14 May 2025 – Automated monitoring detected elevated errors.\n- 12:55 UTC on 14 May 2025 – Rollback completed.\n\n## How are we making incidents like this less likely or less impactful?\n\n- We are adding validation for connection limits (Estimated completion: June 2025).\n- We have added alerts on rejected connections (Completed).\n";
    let p = parse(doc).postmortem;
    assert_eq!(
        p.root_cause.as_deref(),
        Some("A configuration change lowered the connection limit.")
    );
    let kinds: Vec<E> = p.timeline.iter().map(|e| e.kind).collect();
    assert_eq!(kinds, [E::Symptom, E::Detection, E::Mitigation]);
    let items: Vec<(&str, Option<&str>)> = p
        .action_items
        .iter()
        .map(|a| (a.text.as_str(), a.due.as_deref()))
        .collect();
    assert_eq!(
        items,
        [
            (
                "We are adding validation for connection limits",
                Some("June 2025")
            ),
            ("We have added alerts on rejected connections", None)
        ]
    );
    // Told in prose, the response is one entry per sentence, not one stamped by the last time.
    let doc = "# PIR\n\nDate: 2025-05-14\n\n## How did we respond?\n\nMonitoring detected the errors at 08:58 UTC and engineers were engaged at 09:04 UTC. Service was fully restored by 13:20 UTC.\n";
    let p = parse(doc).postmortem;
    let times: Vec<String> = p.timeline.iter().filter_map(|e| rfc(&e.at)).collect();
    assert_eq!(
        times,
        [
            "2025-05-14T08:58:00Z",
            "2025-05-14T09:04:00Z",
            "2025-05-14T13:20:00Z"
        ]
    );
}

#[test]
fn a_twelve_hour_clock_without_pm_runs_into_the_afternoon() {
    let times = |entries: &str| -> Vec<String> {
        let doc = format!("# Cache outage\n\nDate: 2025-02-11\n\n## Timeline (UTC)\n\n{entries}");
        parse(&doc)
            .postmortem
            .timeline
            .iter()
            .filter_map(|e| rfc(&e.at))
            .collect()
    };
    assert_eq!(
        times(
            "- 11:40 - alert fires\n- 12:10 - on-call acknowledges\n- 1:05 - rolled back\n- 2:30 - resolved\n"
        ),
        [
            "2025-02-11T11:40:00Z",
            "2025-02-11T12:10:00Z",
            "2025-02-11T13:05:00Z",
            "2025-02-11T14:30:00Z"
        ]
    );
    // A time that names its half of the day is read as written (listed out of order).
    assert_eq!(
        times("- 11:40 AM - alert fires\n- 1:05 AM - a note from the night before\n")[1],
        "2025-02-11T01:05:00Z"
    );
    // A 24-hour clock past midnight still rolls over to the next day.
    assert_eq!(
        times("- 23:40 - alert fires\n- 00:20 - resolved\n")[1],
        "2025-02-12T00:20:00Z"
    );
}

#[test]
fn a_time_added_later_takes_the_incidents_day_and_zone() {
    let p = parse("# Outage\n\n## Timeline\n\n- 2026-03-14 23:30 PDT site down\n- 2026-03-15 00:20 PDT fixed\n")
        .postmortem;
    let at = |s: &str| {
        debrief_core::import::entry_stamp(&p, s)
            .as_ref()
            .and_then(Stamp::rfc3339)
    };
    assert_eq!(at("23:45").as_deref(), Some("2026-03-14T23:45:00-07:00"));
    // Past midnight: more than twelve hours before the start is the next day.
    assert_eq!(at("00:10").as_deref(), Some("2026-03-15T00:10:00-07:00"));
    assert_eq!(at("11:40 PM").as_deref(), Some("2026-03-14T23:40:00-07:00"));
    assert_eq!(
        at("2026-03-15T07:45:00Z").as_deref(),
        Some("2026-03-15T07:45:00Z")
    );
    assert_eq!(
        at("2026-03-14 23:50 UTC").as_deref(),
        Some("2026-03-14T23:50:00Z")
    );
    assert_eq!(at("soon"), None);
    assert_eq!(at("23:45 and later"), None);
    assert_eq!(at("2026-03-14"), None);
}

#[test]
fn a_text_dated_only_by_its_timeline_takes_the_starts_date() {
    let d = parse(
        "# Webhook delivery delays\n\n## Timeline\n- 2024-06-01T12:03:44Z webhook queue latency above 5 minutes\n- 2024-06-01T12:10:02Z incident triggered\n- 2024-06-01T13:05:10Z queue drained, incident resolved\n",
    );
    assert_eq!(d.postmortem.date.as_deref(), Some("2024-06-01"));
    // A stated date still wins over the start's.
    let d = parse(
        "# Webhook delivery delays\n\nDate: 2024-06-02\n\n## Timeline\n- 2024-06-01T23:53:44Z latency up\n- 2024-06-02T00:05:10Z resolved\n",
    );
    assert_eq!(d.postmortem.date.as_deref(), Some("2024-06-02"));
}

#[test]
fn the_day_a_report_was_written_is_not_the_incidents() {
    let d = parse(
        "# Thumbnails missing\n\n_Written 2023-09-14 by the Media team._\n\n## Summary\n\nOn September 12, 2023, thumbnails returned 404. At 09:40 UTC we started the copy; by 12:50 UTC every thumbnail was back.\n",
    );
    assert_eq!(d.postmortem.date.as_deref(), Some("2023-09-12"));
    // With no other date, the report's own date still dates it.
    let d = parse(
        "# Thumbnails missing\n\nPublished 2023-09-14.\n\n## Summary\n\nThumbnails returned 404.\n",
    );
    assert_eq!(d.postmortem.date.as_deref(), Some("2023-09-14"));
}

#[test]
fn a_blog_posts_date_is_when_it_was_published() {
    let post = |date: &str, prose: &str| {
        parse(&format!(
            "---\nlayout: post\ntitle: Registry outage\ndate: {date}\n---\n\n{prose}\n\n## What happened\n\nAt 13:20 CEST the bucket hit its quota. By 15:05 CEST builds were green.\n"
        ))
    };
    let d = post(
        "2021-05-12 18:00:00 +0200",
        "On **May 11, 2021** the registry was down.",
    );
    let p = &d.postmortem;
    assert_eq!(p.date.as_deref(), Some("2021-05-11"));
    assert_eq!(
        p.instants
            .started
            .as_ref()
            .and_then(Stamp::rfc3339)
            .as_deref(),
        Some("2021-05-11T13:20:00+02:00")
    );
    // With no date in its prose, or one long before, the post's own date stands.
    for prose in [
        "The registry was down.",
        "Since March 2, 2020 the registry ran on one bucket.",
    ] {
        let d = post("2021-05-12", prose);
        assert_eq!(d.postmortem.date.as_deref(), Some("2021-05-12"), "{prose}");
    }
    // Front matter of another kind dates the incident.
    let d = parse(
        "---\ntitle: Registry outage\ndate: 2021-05-12\n---\n\nOn May 11, 2021 the registry was down.\n",
    );
    assert_eq!(d.postmortem.date.as_deref(), Some("2021-05-12"));
}

#[test]
fn a_timeline_pasted_as_a_log_in_a_code_block() {
    let d = parse(
        "# CDN purge storm\n\n## Timeline\n\n```\n2022-09-28 16:03 UTC  deploy script purges \"/*\"\n2022-09-28 16:05 UTC  origin 5xx at 40%, pager fires\n2022-09-28 17:15 UTC  cache hit ratio back to normal, incident closed\n```\n",
    );
    let p = &d.postmortem;
    assert_eq!(p.timeline.len(), 3);
    assert_eq!(p.timeline[1].text, "origin 5xx at 40%, pager fires");
    assert_eq!(
        p.instants
            .ended
            .as_ref()
            .and_then(Stamp::rfc3339)
            .as_deref(),
        Some("2022-09-28T17:15:00Z")
    );
    // Beside entries of the timeline's own, a code block is evidence quoted under one.
    let d = parse(
        "# Nginx refuses requests\n\n## Timeline\n\n- 14:00 UTC: requests fail\n\n```\n2019/03/07 21:07:55 [emerg] epoll_create() failed\n2019/03/07 21:07:56 [alert] worker exited\n```\n\n- 14:40 UTC: limit raised\n",
    );
    assert_eq!(d.postmortem.timeline.len(), 2);
}

#[test]
fn incident_start_and_end_time_labels_state_the_span() {
    let d = parse(
        "Title: Search results stale\n\nIncident Start Time: Tuesday, March 5, 2024 at 2:14 PM PST\nIncident End Time: Tuesday, March 5, 2024 at 6:40 PM PST\n\nSummary\nThe indexer stopped.\n\nTimeline\n2:30 PM - Support reports missing listings\n5:05 PM - Consumer restarted\n",
    );
    let p = &d.postmortem;
    assert_eq!(p.title.as_deref(), Some("Search results stale"));
    assert_eq!(
        rfc(&p.instants.started).as_deref(),
        Some("2024-03-05T14:14:00-08:00")
    );
    assert_eq!(
        rfc(&p.instants.ended).as_deref(),
        Some("2024-03-05T18:40:00-08:00")
    );
}

#[test]
fn event_labels_read_dates_in_the_documents_order() {
    // A provider's reason-for-outage mail: "23/03/2026" shows the day comes first.
    let d = parse(
        "Subject: RFO - Network outage\n\nEvent Start: 07/04/2026 14:02 UTC\nEvent End: 07/04/2026 15:10 UTC\n\nRoot Cause:\nA switch configured on 23/03/2026 did not match its pair.\n",
    );
    let p = &d.postmortem;
    assert_eq!(
        rfc(&p.instants.started).as_deref(),
        Some("2026-04-07T14:02:00Z")
    );
    assert_eq!(
        rfc(&p.instants.ended).as_deref(),
        Some("2026-04-07T15:10:00Z")
    );
}

#[test]
fn a_day_told_without_its_year_takes_the_year_the_title_names() {
    let d = parse(
        "# Search outage - April 2026\n\nOn Tuesday, April 7th at 2:05pm PDT, the search cluster lost quorum. We restored service at 3:20pm PDT.\n\n## Timeline\n- 2:05pm - Quorum lost\n- 3:20pm - Cluster green\n",
    );
    let p = &d.postmortem;
    assert_eq!(
        rfc(&p.instants.started).as_deref(),
        Some("2026-04-07T14:05:00-07:00")
    );
    assert_eq!(
        rfc(&p.instants.ended).as_deref(),
        Some("2026-04-07T15:20:00-07:00")
    );
}

#[test]
fn a_zone_declared_in_brackets_after_the_date() {
    let d = parse(
        "# Login page blank\n\nDate: 2026-04-07 (times in UTC)\n\n## Timeline\n| Time | Event |\n|---|---|\n| 11:02 | First reports |\n| 11:31 | Rollback complete |\n",
    );
    let at = rfc(&d.postmortem.timeline[0].at);
    assert_eq!(at.as_deref(), Some("2026-04-07T11:02:00Z"));
}

#[test]
fn a_word_processors_export_escapes_and_marks_its_labels() {
    let d = parse(
        "**Postmortem: Search indexing stalled**\n\n📅 **Date:** April 7, 2026  \n🚦 **Severity:** SEV3\n\n**Timeline (UTC)**\n\n09:10 \\- Malformed document published  \n12:20 \\- Indexer caught up\n",
    );
    let p = &d.postmortem;
    assert_eq!(p.severity.as_deref(), Some("SEV3"));
    let texts: Vec<&str> = p.timeline.iter().map(|e| e.text.as_str()).collect();
    assert_eq!(texts, ["Malformed document published", "Indexer caught up"]);
}

#[test]
fn a_span_wrapped_before_its_zone() {
    let d = parse(
        "INCIDENT POSTMORTEM - SCANNERS OFFLINE\n\nDATE: 2026-04-07\n\nSUMMARY\nScanners could not reach the inventory API from 07:45 to 09:20\nlocal time (BST) after a controller update.\n",
    );
    let p = &d.postmortem;
    assert_eq!(
        rfc(&p.instants.started).as_deref(),
        Some("2026-04-07T07:45:00+01:00")
    );
    assert_eq!(
        rfc(&p.instants.ended).as_deref(),
        Some("2026-04-07T09:20:00+01:00")
    );
}

#[test]
fn a_tickets_created_date_dates_its_timeline() {
    let d = parse(
        "OPS-2291 Postmortem: Billing run failed\n\nPriority: Highest\nCreated: 07/Apr/26 10:14 AM\n\nTimeline (all times CET):\n02:00 Billing job fails to authenticate\n08:30 Job restarted\n",
    );
    let p = &d.postmortem;
    assert_eq!(p.date.as_deref(), Some("2026-04-07"));
    let at = p.timeline[0].at.as_ref().and_then(Stamp::rfc3339);
    assert_eq!(at.as_deref(), Some("2026-04-07T02:00:00+01:00"));
}

#[test]
fn key_times_beside_the_timeline_date_its_times_and_add_no_entries() {
    let d = parse(
        "# Login failures\n\n## Key times\n- **Impact start:** 2026-04-07 13:05 EDT\n- **Resolved:** 2026-04-07 14:30 EDT\n\n## Timeline\n| Time (EDT) | What happened |\n|---|---|\n| 13:05 | First errors |\n| 13:19 | Support escalates |\n| 14:30 | Incident resolved |\n",
    );
    let p = &d.postmortem;
    assert_eq!(p.timeline.len(), 3);
    let at = p.timeline[1].at.as_ref().and_then(Stamp::rfc3339);
    assert_eq!(at.as_deref(), Some("2026-04-07T13:19:00-04:00"));
}

#[test]
fn the_response_told_in_prose_after_the_story_continues_its_timeline() {
    let d = parse(
        "# Slow search\n\nDate: 2024-10-02\n\n## What happened\n\nAt 09:00 UTC a reindex began and search slowed down.\n\n## How we responded\n\nThe alert paged us at 09:07. We paused the reindex at 09:30, and search was fast again at 09:41.\n",
    );
    assert_eq!(
        stamps(&d).into_iter().flatten().collect::<Vec<_>>(),
        [
            "2024-10-02T09:00:00Z",
            "2024-10-02T09:07:00Z",
            "2024-10-02T09:30:00Z",
            "2024-10-02T09:41:00Z"
        ]
    );
    assert_eq!(
        rfc(&d.postmortem.instants.ended).as_deref(),
        Some("2024-10-02T09:41:00Z")
    );
    // Alone, the times a summary's resolution gives are facts, not a timeline.
    let d = parse(
        "# Slow builds\n\n## Issue\n\nBuilds queued between 16:23 UTC and 18:10 UTC on 2025-04-02.\n\n## Resolution\n\nCapacity was added at 17:52 UTC. Queue times were normal by 18:10 UTC.\n",
    );
    assert!(d.postmortem.timeline.is_empty());
    // A timeline section of its own is the timeline; the prose is not read again.
    let d = parse(
        "# Slow search\n\nDate: 2024-10-02\n\n## How we responded\n\nThe alert paged us at 09:07 UTC. We paused the reindex at 09:30.\n\n## Timeline\n\n- 09:00 UTC reindex starts\n- 09:41 UTC search fast again\n",
    );
    assert_eq!(d.postmortem.timeline.len(), 2);
}

#[test]
fn a_ticket_s_comments_are_entries_at_their_headers_times() {
    let d = parse(
        "[INC-7] Contactless payments declined\nCreated: 14/Mar/25 9:02 AM\n\nDescription\nPayments are declined at a third of stores (times GMT).\n\nComments\nOlu Adebayo added a comment - 14/Mar/25 9:15 AM\nConfirmed with the vendor: the new firmware rejects old cards.\n\nOlu Adebayo added a comment - 14/Mar/25 10:30 AM\nRollback approved, pushing to terminals in batches.\n",
    );
    let texts: Vec<&str> = d
        .postmortem
        .timeline
        .iter()
        .map(|e| e.text.as_str())
        .collect();
    assert_eq!(
        texts,
        [
            "Confirmed with the vendor: the new firmware rejects old cards.",
            "Rollback approved, pushing to terminals in batches."
        ]
    );
    assert_eq!(
        stamps(&d),
        [
            Some("2025-03-14T09:15:00Z".to_string()),
            Some("2025-03-14T10:30:00Z".to_string())
        ]
    );
}

#[test]
fn prose_above_a_pasted_log_still_states_the_incident_s_facts() {
    for intro in [
        "Chat log (UTC):",
        "From the incident channel, times in UTC:",
    ] {
        let d = parse(&format!(
            "Postmortem: staging wiped\n\nWhat happened: a cleanup script ran against staging on 2025-05-20.\nStaging was down from 15:32 to 17:05 UTC.\n\n{intro}\n15:32 <bot> cleanup finished\n15:36 <amara> staging throws 500s\n15:47 <li> restoring the snapshot\n17:05 <amara> staging works again\n\nCause: the hosts were swapped.\n"
        ));
        assert_eq!(d.postmortem.timeline.len(), 4, "{intro}");
        assert_bounds(
            &d,
            Some("2025-05-20T15:32:00Z"),
            Some("2025-05-20T17:05:00Z"),
        );
        assert_eq!(d.postmortem.date.as_deref(), Some("2025-05-20"), "{intro}");
    }
}

#[test]
fn the_response_s_sections_tell_its_steps_when_there_is_no_timeline() {
    let d = parse(
        "# Search returned nothing\n\nDate: 2024-09-17\n\n## Impact\n\nSearch returned no results from 09:16 to 10:30 UTC.\n\n## Detection\n\nA synthetic check alerted at 09:24 UTC and paged the on-call, who acknowledged at 09:29 UTC.\n\n## Response\n\nThe on-call engineer escalated to the data team at 09:41 UTC.\n\n## Recovery\n\nThe alias was pointed back to the previous index at 10:12 UTC.\n",
    );
    let i = &d.postmortem.instants;
    // Facts of the response, not a timeline.
    assert!(d.postmortem.timeline.is_empty());
    for (got, want) in [
        (&i.started, "2024-09-17T09:16:00Z"),
        (&i.detected, "2024-09-17T09:24:00Z"),
        (&i.acknowledged, "2024-09-17T09:29:00Z"),
        (&i.escalated, "2024-09-17T09:41:00Z"),
        (&i.mitigated, "2024-09-17T10:12:00Z"),
        (&i.ended, "2024-09-17T10:30:00Z"),
    ] {
        assert_eq!(rfc(got).as_deref(), Some(want));
    }
    // A time before the start is no step of this response.
    let d = parse(
        "# Slow builds\n\n## Summary\n\nBuilds queued from 16:23 to 18:10 UTC on 2025-04-02.\n\n## Detection\n\nThe nightly check had alerted at 02:00 UTC, which nobody read.\n",
    );
    assert_eq!(d.postmortem.instants.detected, None);
}

#[test]
fn a_blog_post_s_story_across_its_sections_is_its_timeline_on_the_day_it_names() {
    let post = |byline: &str| {
        parse(&format!(
            "# How one flag took down search\n\n{byline}\n\nOn Tuesday, 9 September 2025, search was down.\n\n## The outage\n\nAt 14:03 UTC we shipped a change. Alerts fired at 14:06 UTC.\n\n## Finding the cause\n\nThe new cache held a lock for every read.\n\n## Recovery\n\nThe flag was turned off at 15:12 UTC, and by 15:58 UTC search worked again.\n"
        ))
    };
    // The byline's date is the day the post was written, not the incident's.
    let d = post("*Marta Kowalski, Search team — 12 September 2025*");
    assert_eq!(
        stamps(&d).into_iter().flatten().collect::<Vec<_>>(),
        [
            "2025-09-09T14:03:00Z",
            "2025-09-09T14:06:00Z",
            "2025-09-09T15:12:00Z",
            "2025-09-09T15:58:00Z"
        ]
    );
    assert_eq!(
        rfc(&d.postmortem.instants.ended).as_deref(),
        Some("2025-09-09T15:58:00Z")
    );
    assert!(d.postmortem.root_cause.is_some());
    // A date alone in emphasis under the title is the incident's.
    let d = post("*Monday, 8 September 2025*");
    assert_eq!(
        rfc(&d.postmortem.instants.started).as_deref(),
        Some("2025-09-08T14:03:00Z")
    );
}

#[test]
fn four_digit_times_opening_a_timeline_s_lines_are_clock_times() {
    let d = parse(
        "# Ingest stalled\n\nDate: 2025-08-19\n\nTIMELINE (UTC)\n0640  Broker disk full\n0642  Lag alert fires\n0855  Lag back to zero\n\nROOT CAUSE\nRetention unset.\n",
    );
    assert_eq!(
        stamps(&d).into_iter().flatten().collect::<Vec<_>>(),
        [
            "2025-08-19T06:40:00Z",
            "2025-08-19T06:42:00Z",
            "2025-08-19T08:55:00Z"
        ]
    );
    assert_eq!(d.postmortem.timeline[0].text, "Broker disk full");
    // Years opening the lines of a history are not times.
    let d = parse(
        "# Ingest stalled\n\n## Timeline\n\n- 2019 first broker\n- 2021 second broker\n- 2023 retention set\n",
    );
    assert!(d.postmortem.timeline.iter().all(|e| e.at.is_none()));
}

#[test]
fn a_timeline_told_in_prose_has_an_entry_per_timed_sentence() {
    let d = parse(
        "# Thumbnails missing\n\nDate: 2023-09-12\n\n## What happened\n\nAt **09:40 UTC** we started the copy. The first customer report came in at 10:05 UTC, and at 10:12 a.m. UTC on-call acknowledged it.\nBy 12:50 UTC every thumbnail was back. Uploads were slow between 12:50 UTC and 13:30 UTC.\n\n## Root cause\n\nA filter.\n",
    );
    let texts: Vec<(String, &str)> = d
        .postmortem
        .timeline
        .iter()
        .map(|e| {
            let at = e.at.as_ref().and_then(Stamp::rfc3339).unwrap_or_default();
            (at, e.text.as_str())
        })
        .collect();
    assert_eq!(
        texts,
        [
            ("2023-09-12T09:40:00Z".to_string(), "we started the copy."),
            // Two times in a sentence, two clauses: two entries.
            (
                "2023-09-12T10:05:00Z".to_string(),
                "The first customer report came in at 10:05 UTC"
            ),
            (
                "2023-09-12T10:12:00Z".to_string(),
                "on-call acknowledged it."
            ),
            (
                "2023-09-12T12:50:00Z".to_string(),
                "every thumbnail was back."
            ),
            // A range is one.
            (
                "2023-09-12T12:50:00Z".to_string(),
                "Uploads were slow between 12:50 UTC and 13:30 UTC."
            ),
        ]
    );
    // One time in a story is a fact, not a timeline; a section named Timeline may hold one.
    let d = parse("# T\n\n## What happened\n\nAt 09:40 UTC the copy started and failed.\n");
    assert!(d.postmortem.timeline.is_empty());
    let d = parse("# T\n\n## Timeline\n\nThe outage began by 08:00 GMT and was detected later.\n");
    assert_eq!(d.postmortem.timeline.len(), 1);
}

#[test]
fn bullets_pasted_from_a_word_processor() {
    let d = parse(
        "# T\n\nDate: 2024-05-10\n\n## Timeline\n\n**•\t00:05 PDT:** Users see errors.\n**•\t00:40 PDT:** Site back to normal.\n\n## Action items\n\n•\tTest every PHP file\n•\tReview the configuration\n",
    );
    let p = &d.postmortem;
    assert_eq!(p.timeline.len(), 2);
    assert_eq!(p.timeline[0].text, "Users see errors.");
    assert_eq!(p.action_items.len(), 2);
    assert_eq!(p.action_items[1].text, "Review the configuration");
}

#[test]
fn a_labelled_starts_zone_applies_to_timeline_times_without_one() {
    let d = parse(
        "# Consumer lag\n\n**Start:** 2024-08-19 06:12 UTC\n**End:** 2024-08-19 08:47 UTC\n\n## Timeline\n* 06:21 Lag alert fires\n* 08:47 Lag cleared\n",
    );
    let at = rfc(&d.postmortem.timeline[0].at);
    assert_eq!(at.as_deref(), Some("2024-08-19T06:21:00Z"));
}

#[test]
fn facts_under_incident_labels_and_an_owner_table_under_remediation() {
    let d = parse(
        "Postmortem Report: Backups deleted\nIncident Date: June 1, 2024\nIncident commander: Priya\nSeverity: 2\n\n## Root cause\n\nA glob.\n\n## Remediation\n\n| Item | Owner | Priority |\n|---|---|---|\n| Dry-run mode for retention | Storage team | High |\n| Alert on mass deletion | SRE | Medium |\n",
    );
    let p = &d.postmortem;
    assert_eq!(
        p.title.as_deref(),
        Some("Postmortem Report: Backups deleted")
    );
    assert_eq!(p.date.as_deref(), Some("2024-06-01"));
    // "Incident Date" and "Incident commander" head no Summary section.
    assert!(p.sections.iter().all(|s| s.kind != SectionKind::Summary));
    let owners: Vec<_> = p.action_items.iter().map(|a| a.owner.as_deref()).collect();
    assert_eq!(owners, [Some("Storage team"), Some("SRE")]);
}

#[test]
fn a_zone_named_in_the_label_applies_to_its_value() {
    let d = parse(
        "# Search cluster red\n\nStart Time (UTC): 2024-01-09 10:00\nEnd Time (UTC): 2024-01-09 11:30\nOutage length: 1.5 hours\n\n## Events\n\n[10:10] Alert pages on-call\n",
    );
    let p = &d.postmortem;
    assert_eq!(
        rfc(&p.instants.started).as_deref(),
        Some("2024-01-09T10:00:00Z")
    );
    assert_eq!(
        rfc(&p.instants.ended).as_deref(),
        Some("2024-01-09T11:30:00Z")
    );
    assert_eq!(p.stated_duration_minutes, Some(90));
    assert_eq!(
        rfc(&p.timeline[0].at).as_deref(),
        Some("2024-01-09T10:10:00Z")
    );
}

#[test]
fn a_regions_time_is_read_with_the_offset_of_its_day() {
    // "Time (PT)" in August is Pacific daylight time, past midnight too; "US/Pacific" in June.
    let d = parse(
        "# Webhook delays\n\n## Timeline\n\n| Date | Time (PT) | What happened |\n|---|---|---|\n| Aug 8, 2024 | 11:40 PM | Deploy starts |\n| Aug 9, 2024 | 12:45 AM | Delays over |\n",
    );
    let p = &d.postmortem;
    assert_eq!(
        rfc(&p.timeline[0].at).as_deref(),
        Some("2024-08-08T23:40:00-07:00")
    );
    assert_eq!(
        rfc(&p.timeline[1].at).as_deref(),
        Some("2024-08-09T00:45:00-07:00")
    );
    assert!(!has_note(&d, "zone-ambiguous"));
    let d = parse(
        "# Widgets API errors\n\nOn Tuesday, 11 June 2024, from 09:48 to 12:00 US/Pacific, a quarter of requests failed.\n",
    );
    assert_eq!(
        rfc(&d.postmortem.instants.started).as_deref(),
        Some("2024-06-11T09:48:00-07:00")
    );
    assert_round_trip("us-pacific", &d.postmortem);
}

#[test]
fn an_action_marked_after_its_lesson_is_an_action_item() {
    let d = parse(
        "# Exports stuck\n\n## Lessons learned\n\n- Leases need an expiry. Action: give leases a TTL.\n- Nobody noticed for hours.\n\n## Follow-up\n\n- TODO: Document the lease recovery\n- DONE: Delete the stale lease\n",
    );
    assert_eq!(
        action_texts(&d),
        [
            "give leases a TTL.",
            "Document the lease recovery",
            "Delete the stale lease"
        ]
    );
    let statuses: Vec<ActionStatus> = d.postmortem.action_items.iter().map(|a| a.status).collect();
    assert_eq!(
        statuses,
        [ActionStatus::Open, ActionStatus::Open, ActionStatus::Done]
    );
    // The lesson stays in the text.
    let lessons = d
        .postmortem
        .sections
        .iter()
        .find(|s| s.kind == SectionKind::Lessons)
        .unwrap();
    assert!(lessons.text.contains("Leases need an expiry."));
}

#[test]
fn a_list_under_the_remediation_and_its_follow_up_is_action_items() {
    let d = parse(
        "# Proxy errors\n\n## Remediation and follow-up\n\n- Stage configuration changes.\n- Check pool sizes before deploys.\n",
    );
    assert_eq!(
        action_texts(&d),
        [
            "Stage configuration changes.",
            "Check pool sizes before deploys."
        ]
    );
}

#[test]
fn a_list_introduced_as_what_will_be_done_is_action_items() {
    let d = parse(
        "# Widgets API errors\n\n## Remediation and prevention\n\nThe push was rolled back at 11:15.\n\nWe took the following steps:\n\n- paged the proxy team\n\nWe are taking the following actions to prevent a recurrence:\n\n- Validate connection limits before rollout.\n- Roll out proxy changes region by region.\n\nLastly, we will upgrade the proxy. It fixes this by design. Specifically:\n\n- There will be no connection limit.\n",
    );
    let texts = action_texts(&d);
    assert_eq!(
        texts,
        [
            "Validate connection limits before rollout.",
            "Roll out proxy changes region by region."
        ]
    );
    // The response's own list stays in its section.
    assert!(
        d.postmortem.sections[0]
            .text
            .contains("paged the proxy team")
    );
    // A document with a section of action items keeps its lists where they are.
    let d = parse(
        "# T\n\n## Resolution\n\nTo prevent this happening again, we will:\n\n- add an alert\n\n## Action items\n\n- Add an alert on refused connections\n",
    );
    assert_eq!(d.postmortem.action_items.len(), 1);
}

#[test]
fn planned_and_short_term_work_under_remediation_is_action_items() {
    let d = parse(
        "# T\n\n## Remediation\n\n### Immediate actions (completed)\n\n- Timeouts moved to runtime configuration\n\n### Short-term improvements\n\n- **Circuit breakers**: add them to the flag client.\n\n### Planned actions (planned or in progress)\n\n1.  **Deeper engine monitoring**\n    We plan to add metrics and alerts around:\n\n-   TOAST table statistics\n-   Read amplification per write\n\n2.  **Runbooks for engine limits**\nWe plan to document symptoms.\n",
    );
    let texts = action_texts(&d);
    assert_eq!(texts.len(), 3, "{texts:?}");
    assert!(texts[0].starts_with("**Circuit breakers**"));
    // The bullets between two numbered items detail the first.
    assert!(texts[1].contains("Deeper engine monitoring") && texts[1].contains("TOAST"));
    assert!(texts[2].contains("Runbooks for engine limits"));
}

#[test]
fn an_item_naming_a_group_is_not_an_action_but_the_items_under_it_are() {
    let d = parse(
        "# T\n\n## Corrective and preventative measures\n\n1. Automated testing:\n— Add tests for the pool settings.\n— Validate connections after deploys.\n\n2. Code reviews:\n— Require a second reviewer for pool changes.\n",
    );
    let texts = action_texts(&d);
    assert_eq!(
        texts,
        [
            "Add tests for the pool settings.",
            "Validate connections after deploys.",
            "Require a second reviewer for pool changes."
        ]
    );
}

#[test]
fn a_range_written_with_a_hyphen_is_the_incidents_span_and_no_event() {
    // "14:00-15:10 UTC" is 14:00 to 15:10, not 14:00 at UTC-15:10.
    for line in [
        "~14:00-15:10 UTC primary went read-only after the disk filled.",
        "Outage 14:00-15:10 UTC: the primary was read-only.",
    ] {
        let d = parse(&format!("db failover\n\n{line}\n"));
        let i = &d.postmortem.instants;
        let at = |s: &Option<Stamp>| s.as_ref().map(|s| (s.to_string(), s.zone.clone()));
        assert_eq!(
            at(&i.started).unwrap().0.trim_start_matches('~'),
            "14:00 UTC",
            "{line}"
        );
        assert_eq!(at(&i.ended).unwrap().0, "15:10 UTC", "{line}");
    }
    // A label's range in brackets is not an entry of the key events above it.
    let d = parse(
        "# Incident on 2020-02-25\n\n- **Key events**\n  - Fault occurs 2020-02-25 07:32\n  - Resolved 2020-02-25 17:07\n\n- **Time to resolve**: 7h (during support hours 10:00-17:00)\n",
    );
    assert_eq!(d.postmortem.timeline.len(), 2);
}

#[test]
fn status_page_updates_under_phase_headings_with_blank_lines_between() {
    let d = parse(
        "# Degraded API performance\n\n## Resolved\n\nThis incident has been resolved.\n\nPosted Mar 05, 2024 - 16:40 UTC\n\n## Monitoring\n\nA fix has been implemented and we are monitoring the results.\n\nPosted Mar 05, 2024 - 16:05 UTC\n\n## Investigating\n\nWe are investigating slow responses.\n\nPosted Mar 05, 2024 - 15:12 UTC\n",
    );
    let p = &d.postmortem;
    let got: Vec<_> = p
        .timeline
        .iter()
        .map(|e| (e.at.as_ref().map(|a| a.to_string()), e.kind))
        .collect();
    let at = |s: &str| Some(s.to_string());
    assert_eq!(
        got,
        [
            (at("2024-03-05 16:40 UTC"), EventKind::Resolution),
            (at("2024-03-05 16:05 UTC"), EventKind::Mitigation),
            (at("2024-03-05 15:12 UTC"), EventKind::Diagnosis),
        ]
    );
    assert!(p.timeline[1].text.contains("A fix has been implemented"));
    // Copied from the page as it showed: the update's age before its stamp, no blank lines.
    let d = parse(
        "# Elevated error rates\n\n**Resolved**\nThis incident has been resolved.\nPosted 4 days ago. Mar 12, 2024 - 18:02 UTC\n\n**Investigating**\nWe are investigating.\nPosted 4 days ago. Mar 12, 2024 - 16:48 UTC\n",
    );
    let at = stamps(&d);
    assert_eq!(
        at,
        [
            Some("2024-03-12T18:02:00Z".to_string()),
            Some("2024-03-12T16:48:00Z".to_string())
        ]
    );
    // A heading that only names a phase, over ordinary text, stays a heading.
    let d = parse("# T\n\n## Monitoring\n\nWe added dashboards.\n\nThey help.\n");
    assert_eq!(d.postmortem.sections[0].heading, "Monitoring");
}

#[test]
fn owners_in_brackets_and_a_labelled_ttr() {
    let d = parse(
        "# Export delayed\n\n- TTR: 95 minutes\n\n## Action items\n\n- [Ana] Run migrations outside the export window\n- [SRE] Alert when the export is late\n- [DONE] Rotate the key\n- [P1] Page on lock waits\n- [Search team] Stagger the compaction\n- [Security review] Rotate the tokens\n\n## Follow-ups\n\n| Action | Owner |\n|---|---|\n| Make rotation atomic | [Ines] |\n",
    );
    let p = &d.postmortem;
    assert_eq!(p.stated_duration_minutes, Some(95));
    let got = action_owners(&d);
    assert_eq!(
        got,
        [
            ("Run migrations outside the export window", Some("Ana")),
            ("Alert when the export is late", Some("SRE")),
            ("[DONE] Rotate the key", None),
            ("[P1] Page on lock waits", None),
            ("Stagger the compaction", Some("Search team")),
            ("[Security review] Rotate the tokens", None),
            ("Make rotation atomic", Some("Ines")),
        ]
    );
}

#[test]
fn impact_labels_a_key_timestamp_tables_zone_and_owners_named_without_a_colon() {
    let d = parse(
        "# Search outage\n\n- Start of impact: 2024-05-01 10:02 CEST\n- End of impact: 2024-05-01 11:15 CEST\n\n## Root cause\n\nAn alias pointed at an empty index.\n",
    );
    let i = &d.postmortem.instants;
    assert_eq!(
        rfc(&i.started).as_deref(),
        Some("2024-05-01T10:02:00+02:00")
    );
    assert_eq!(rfc(&i.ended).as_deref(), Some("2024-05-01T11:15:00+02:00"));
    // The zone in the header of a table of key timestamps applies to its times.
    let d = parse(
        "# Queue outage\n\n## Key timestamps\n\n| Milestone | Time (UTC) |\n|---|---|\n| Impact began | 2024-06-02 03:14 |\n| Alert fired | 2024-06-02 03:20 |\n| Resolved | 2024-06-02 04:30 |\n",
    );
    let i = &d.postmortem.instants;
    assert_eq!(rfc(&i.started).as_deref(), Some("2024-06-02T03:14:00Z"));
    assert_eq!(rfc(&i.detected).as_deref(), Some("2024-06-02T03:20:00Z"));
    assert_eq!(rfc(&i.ended).as_deref(), Some("2024-06-02T04:30:00Z"));
    // "- owner K. Osei"; "(Ibrahim)" beside items that name their owners.
    let d = parse(
        "# T\n\n## Action items\n\n* Automate certificate renewal - owner K. Osei\n* Scope cache flushes (Dana, by 2023-08-01)\n* Add request coalescing (Ibrahim)\n",
    );
    let got = action_owners(&d);
    assert_eq!(
        got,
        [
            ("Automate certificate renewal", Some("K. Osei")),
            ("Scope cache flushes", Some("Dana")),
            ("Add request coalescing", Some("Ibrahim")),
        ]
    );
    // Alone, a name in brackets may be anything ("(Postgres)").
    let d = parse("# T\n\n## Action items\n\n* Upgrade the database (Postgres)\n");
    assert_eq!(d.postmortem.action_items[0].owner, None);
}

#[test]
fn a_timeline_counted_from_a_zero_hour() {
    let d = parse(
        "# Login outage — 2023-09-14\n\n## Timeline (T = 16:02 UTC)\n\n- T+0: session store evicts all keys\n- T+4m: login error alert fires\n- T+58m: logins succeed again, incident resolved\n",
    );
    let p = &d.postmortem;
    let at: Vec<_> = p
        .timeline
        .iter()
        .map(|e| e.at.as_ref().and_then(Stamp::rfc3339))
        .collect();
    assert_eq!(
        at,
        [
            Some("2023-09-14T16:02:00Z".to_string()),
            Some("2023-09-14T16:06:00Z".to_string()),
            Some("2023-09-14T17:00:00Z".to_string()),
        ]
    );
    assert_eq!(p.timeline[1].text, "login error alert fires");
    assert!(has_note(&d, "relative-times-resolved"));
}

#[test]
fn military_times_opening_entries() {
    let d = parse(
        "# T\n\nDate: 2024-03-05\n\n## Timeline\n\n- 0702 PST proxy starts failing\n- 0710 PST alert fires\n- 0800 hrs recovered\n- 2500 UTC is no time\n",
    );
    let at: Vec<_> = d
        .postmortem
        .timeline
        .iter()
        .map(|e| e.at.as_ref().map(|a| a.to_string()))
        .collect();
    assert_eq!(
        at[..3],
        [
            Some("2024-03-05 07:02 PST".to_string()),
            Some("2024-03-05 07:10 PST".to_string()),
            Some("2024-03-05 08:00 PST".to_string()),
        ]
    );
    assert_eq!(d.postmortem.timeline[1].text, "alert fires");
    assert!(d.postmortem.timeline.iter().all(|e| e.text != "is no time"));
    let d = parse("# T\n\nDate: 2024-03-05\n\n## Timeline\n\n- 1402Z alert fires\n");
    let at = rfc(&d.postmortem.timeline[0].at);
    assert_eq!(at.as_deref(), Some("2024-03-05T14:02:00Z"));
    // "@14:02" and "14:02 hrs": the mark and the word are the stamp's, not the text's.
    let d = parse(
        "# T\n\nDate: 2024-03-05\n\n## Timeline\n\n- @14:02 proxy fails\n- 14:20 hrs - proxy back\n- 14:31h - hosts checked\n- 14:40 hosts drained\n",
    );
    assert_eq!(
        entry_texts(&d),
        [
            "proxy fails",
            "proxy back",
            "hosts checked",
            "hosts drained"
        ]
    );
}

#[test]
fn days_counted_from_the_incidents_first() {
    // "D+1 23:00" is the next day even though 23:00 is later than 22:15.
    let d = parse(
        "# Backlog\n\nIncident start: 2024-06-10 22:15 CEST\n\n## Timeline\n\nD+0 22:15  queue depth climbs\nD+0 22:31  alert fires\nD+1 23:00  consumers added\nD+2 01:30  resolved\n",
    );
    let got: Vec<_> = d
        .postmortem
        .timeline
        .iter()
        .map(|e| (e.at.as_ref().and_then(Stamp::rfc3339), e.text.as_str()))
        .collect();
    let at = |s: &str| Some(s.to_string());
    assert_eq!(
        got,
        [
            (at("2024-06-10T22:15:00+02:00"), "queue depth climbs"),
            (at("2024-06-10T22:31:00+02:00"), "alert fires"),
            (at("2024-06-11T23:00:00+02:00"), "consumers added"),
            (at("2024-06-12T01:30:00+02:00"), "resolved"),
        ]
    );
    // "Day 1" is the first day whatever number it starts from, in a table's cells too.
    let d = parse(
        "# Lag\n\nDate: 2023-01-30\n\n## Timeline (UTC)\n\n| When | What |\n|---|---|\n| Day 1, 23:10 | lag alert fires |\n| Day 2, 02:15 | replicas rebuilt |\n| Day 3, 09:00 | incident closed |\n",
    );
    let at = stamps(&d);
    assert_eq!(
        at,
        [
            Some("2023-01-30T23:10:00Z".to_string()),
            Some("2023-01-31T02:15:00Z".to_string()),
            Some("2023-02-01T09:00:00Z".to_string()),
        ]
    );
    // A day with a date of its own is no count: "Day 2 — Friday 8 March 2024" heads its day.
    let d = parse("# T\n\n## Timeline\n\n### Day 2 — Friday 8 March 2024\n\n- 10:00 UTC fixed\n");
    let at = rfc(&d.postmortem.timeline[0].at);
    assert_eq!(at.as_deref(), Some("2024-03-08T10:00:00Z"));
}

#[test]
fn lengths_with_seconds_owners_before_a_full_stop_and_teams_in_brackets() {
    let d = parse("# DNS\n\nImpact duration: 01:12:40\n");
    assert_eq!(d.postmortem.stated_duration_minutes, Some(73));
    let d = parse("---\nduration: \"2:05:00\"\n---\n# DNS\n");
    assert_eq!(d.postmortem.stated_duration_minutes, Some(125));
    let d = parse(
        "# Certs\n\n## What we are doing about it\n\n1. Automate renewal (owner: Priya).\n2. Alert before expiry (Team Storage)\n",
    );
    assert_eq!(
        action_owners(&d),
        [
            ("Automate renewal", Some("Priya")),
            ("Alert before expiry", Some("Team Storage")),
        ]
    );
    // A team names its list's owners: "(IT Ops)" beside "(Network team)" is one too.
    let d = parse(
        "# VPN\n\n## Actions\n\n- Disable automatic updates (Network team)\n- Add VPN to the status page (IT Ops)\n",
    );
    assert_eq!(
        action_owners(&d),
        [
            ("Disable automatic updates", Some("Network team")),
            ("Add VPN to the status page", Some("IT Ops")),
        ]
    );
    // A team needs no named siblings; a single word in brackets does.
    let d = parse("# Certs\n\n## Next steps\n\n- Rotate keys (SRE team)\n");
    assert_eq!(action_owners(&d), [("Rotate keys", Some("SRE team"))]);
    let d = parse("# Certs\n\n## Next steps\n\n- Upgrade the database (Postgres)\n- Rotate keys\n");
    assert_eq!(
        action_owners(&d),
        [
            ("Upgrade the database (Postgres)", None),
            ("Rotate keys", None)
        ]
    );
}

#[test]
fn jira_wiki_markup_reads_like_its_markdown() {
    let d = parse(
        "h1. Post-incident review: Checkout errors\n\n*Severity:* SEV-2\n*Date:* 2024-08-14\n\nh2. Timeline\n\n||Time (UTC)||Event||\n|13:02|Feature flag enabled for all users|\n|13:06|Error rate alert fires|\n|13:40|Flag disabled, errors stop|\n\nh2. Root cause\n\nA call without a timeout.\n\nh2. Action items\n\n# Add timeouts to every outbound call ([~jsmith])\n# Roll out flags gradually\n",
    );
    assert!(has_note(&d, "wiki-markup-read-as-markdown"));
    let p = &d.postmortem;
    assert_eq!(
        p.title.as_deref(),
        Some("Post-incident review: Checkout errors")
    );
    assert_eq!(p.severity.as_deref(), Some("SEV-2"));
    assert_eq!(
        rfc(&p.instants.started).as_deref(),
        Some("2024-08-14T13:02:00Z")
    );
    assert_eq!(p.timeline.len(), 3);
    assert_eq!(
        action_owners(&d),
        [
            ("Add timeouts to every outbound call", Some("@jsmith")),
            ("Roll out flags gradually", None),
        ]
    );
    assert!(p.root_cause.is_some());
}

#[test]
fn mediawiki_markup_reads_like_its_markdown() {
    let d = parse(
        "{{irdoc|status=review}}\n==Summary==\n{| class=\"wikitable\"\n|'''Start'''\n|2024-03-05 09:12:00\n|-\n|'''End'''\n|2024-03-05 10:02:00\n|}\nThe gateway rejected requests after a bundle lost its intermediate certificate.\n\n==Timeline==\n''All times in UTC.''\n*09:12 Certificate bundle deployed '''OUTAGE BEGINS'''\n*09:15 5xx alert fires\n*09:55 Previous release redeployed\n*10:02 Error rates back to normal '''OUTAGE ENDS'''\n\n==Conclusions==\n===What went poorly?===\n* The deploy tool did not validate the chain\n\n==Actionables==\n* [[phab:T1|T1]] Validate certificate chains before deploying (owner: Ada)\n* [[phab:T2|T2]] Add a canary gateway for certificate changes\n",
    );
    assert!(has_note(&d, "mediawiki-read-as-markdown"));
    let p = &d.postmortem;
    assert_eq!(
        rfc(&p.instants.started).as_deref(),
        Some("2024-03-05T09:12:00Z")
    );
    assert_eq!(
        rfc(&p.instants.ended).as_deref(),
        Some("2024-03-05T10:02:00Z")
    );
    let kinds: Vec<_> = p.timeline.iter().map(|e| e.kind).collect();
    assert_eq!(kinds.len(), 4);
    assert_eq!(kinds[2], E::Mitigation);
    assert_eq!(p.timeline[1].text, "5xx alert fires");
    assert_eq!(p.action_items.len(), 2);
    assert_eq!(
        p.action_items[0].text,
        "T1 Validate certificate chains before deploying"
    );
    assert_eq!(p.action_items[0].owner.as_deref(), Some("Ada"));
}

#[test]
fn a_zone_declared_for_the_document_in_its_usual_wordings() {
    for (line, want) in [
        ("Times are in UTC.", "2024-09-03T10:02:00Z"),
        ("_Timestamps are UTC_", "2024-09-03T10:02:00Z"),
        ("Timezone: America/New_York", "2024-09-03T10:02:00-04:00"),
        ("**Time zone:** Europe/Berlin", "2024-09-03T10:02:00+02:00"),
        (
            "Times below are in Central European Time (CET).",
            "2024-09-03T10:02:00+01:00",
        ),
        (
            "Note: times shown are Pacific.",
            "2024-09-03T10:02:00-07:00",
        ),
        (
            "The timestamps below are in EDT.",
            "2024-09-03T10:02:00-04:00",
        ),
    ] {
        let d = parse(&format!(
            "# Queue\n\nDate: 2024-09-03\n{line}\n\n## Timeline\n\n- 10:02 errors\n- 10:48 fixed\n"
        ));
        let at = d
            .postmortem
            .instants
            .started
            .as_ref()
            .and_then(Stamp::rfc3339);
        assert_eq!(at.as_deref(), Some(want), "{line}");
    }
    // A zone in brackets after the incident's date.
    let d = parse("# Queue\n\nDate: 2024-09-03 (CEST)\n\n## Timeline\n\n- 10:02 errors\n");
    assert_eq!(
        rfc(&d.postmortem.instants.started).as_deref(),
        Some("2024-09-03T10:02:00+02:00")
    );
    // Times mentioned in passing declare nothing.
    let d = parse(
        "# Queue\n\nDate: 2024-09-03\nResponse times are in the UTC dashboard.\n\n## Timeline\n\n- 10:02 errors\n",
    );
    let started = d.postmortem.instants.started.as_ref().unwrap();
    assert_eq!(started.zone, None);
}

#[test]
fn a_key_event_labelled_as_the_fault_starts_the_impact_over_a_partial_span() {
    let d = parse(
        "# Incident on 2021-03-02\n\n- **Key events**\n  - Fault occurs 2021-03-02 09:10\n  - Incident declared 2021-03-02 09:25\n  - Resolved 2021-03-02 10:05\n\n- **Impact**:\n  - The dashboard was down for the whole incident.\n  - Between 2021-03-02 09:40 and 2021-03-02 09:44 no metrics were received.\n",
    );
    assert_bounds(
        &d,
        Some("2021-03-02T09:10:00Z"),
        Some("2021-03-02T10:05:00Z"),
    );
}

#[test]
fn timelines_under_headings_naming_their_days_are_on_those_days() {
    let d = parse(
        "# Flags service: two outages\n\n## Incidents\n\n### March 3, 2025 - Cache overload\n\n**Duration:** 21:45 to 22:10 UTC\n**Impact:** most requests failed.\n\n**Timeline:**\n\n- **21:45 UTC** - Deploy\n- **21:55 UTC** - Errors peak\n- **22:10 UTC** - Recovered\n\n### March 5, 2025 - Pool exhaustion\n\n**Duration:** 22:10 to 22:40 UTC\n**Impact:** a third of requests failed.\n\n**Timeline:**\n\n- **22:10 UTC** - Rollout starts\n- **22:25 UTC** - Pool exhausted\n- **22:40 UTC** - Rolled back, recovered\n",
    );
    // The headings date the entries; they are none of their own. The second timeline shares
    // a minute with the first and is no copy of it.
    assert_eq!(d.postmortem.timeline.len(), 6);
    let timed: Vec<String> = stamps(&d).into_iter().flatten().collect();
    assert_eq!(
        timed,
        [
            "2025-03-03T21:45:00Z",
            "2025-03-03T21:55:00Z",
            "2025-03-03T22:10:00Z",
            "2025-03-05T22:10:00Z",
            "2025-03-05T22:25:00Z",
            "2025-03-05T22:40:00Z"
        ]
    );
}

#[test]
fn a_front_matter_start_with_an_offset_gives_the_timelines_times_their_zone() {
    let d = parse(
        "---\ntitle: Queue backlog\nstarted_at: 2025-05-19T08:14:00+02:00\nresolved_at: 2025-05-19T10:02:00+02:00\n---\n\n## Timeline\n\n- 08:14 Consumers start rebalancing in a loop\n- 08:31 Lag alert pages on-call\n- 10:02 Lag back to zero\n",
    );
    assert_eq!(
        stamps(&d),
        [
            Some("2025-05-19T08:14:00+02:00".to_string()),
            Some("2025-05-19T08:31:00+02:00".to_string()),
            Some("2025-05-19T10:02:00+02:00".to_string()),
        ]
    );
    let durations = debrief_core::metrics::instants(&d.postmortem).durations();
    assert_eq!(durations.time_to_detect_minutes, Some(17));
}

#[test]
fn a_labelled_time_with_a_note_after_it_is_a_label_not_a_section() {
    let d = parse(
        "# API 502s\n\n**Incident start:** 2024-10-01 14:02 UTC\n**Detected:** 14:09 UTC (customer report)\n**Resolved:** 15:10 UTC\n\n## Summary\n\nGateway errors.\n",
    );
    let p = &d.postmortem;
    assert_eq!(
        rfc(&p.instants.detected).as_deref(),
        Some("2024-10-01T14:09:00Z")
    );
    assert_eq!(kinds(&d), [SectionKind::Summary]);
    // A section named as a label, its text opening with a time, stays a section.
    let d = parse(
        "# Outage\n\n**Resolution:** 15:10 we rolled back the release\n\n## Summary\n\nDown.\n",
    );
    assert_eq!(kinds(&d), [SectionKind::Resolution, SectionKind::Summary]);
    // A span under a "Timeline" label dates the document and is no timeline section.
    let d = parse(
        "# Saga\n\n- **Timeline**: `March 10, 2024, 08:00 - 10:30 WAT`\n\n### Timeline\n\n- **08:00 WAT**: alarms ring\n- **10:30 WAT**: service restored\n",
    );
    assert_eq!(d.postmortem.timeline.len(), 2);
    assert_eq!(
        rfc(&d.postmortem.instants.ended).as_deref(),
        Some("2024-03-10T10:30:00+01:00")
    );
}

#[test]
fn a_first_line_naming_a_numbered_incident_s_postmortem_is_the_title() {
    let d = parse(
        "Incident #41 — Postmortem: Exports stuck in the queue\n\nDate: 2025-01-08\nSummary: Exports waited for hours.\n\nTimeline\n\n09:10 Exports stop\n",
    );
    assert_eq!(
        d.postmortem.title.as_deref(),
        Some("Incident #41 — Postmortem: Exports stuck in the queue")
    );
}

#[test]
fn a_title_label_names_the_document() {
    let d = parse(
        "Title: Build farm outage\nDate: 2024/11/20\n\nTimeline\n2024/11/20 06:10 UTC  agents stop picking up jobs\n2024/11/20 07:55 UTC  queue drained\n",
    );
    assert_eq!(d.postmortem.title.as_deref(), Some("Build farm outage"));
    // A first line over the document's facts is its title, a blank line between or not.
    let d = parse(
        "INCIDENT REPORT - VPN OUTAGE\nDATE: 11 APRIL 2024\nSEVERITY: P2\n\nSUMMARY\nThe VPN was down.\n",
    );
    assert_eq!(
        d.postmortem.title.as_deref(),
        Some("INCIDENT REPORT - VPN OUTAGE")
    );
    assert_eq!(d.postmortem.severity.as_deref(), Some("P2"));
    // A first line naming the document after a project's number, over its text.
    let d = parse(
        "0x1F. Postmortem\nEvery system fails sooner or later; this is how ours did.\n\nIssue Summary\nThe site was down.\n",
    );
    assert_eq!(d.postmortem.title.as_deref(), Some("0x1F. Postmortem"));
    // A heading stays the title.
    let d = parse("# Build farm outage\n\nIncident title: agents idle\n");
    assert_eq!(d.postmortem.title.as_deref(), Some("Build farm outage"));
}

#[test]
fn a_google_docs_export_and_tab_separated_tables() {
    let d = parse(
        "# **Postmortem: Image CDN outage**\n\n**Date:** 2024\\-02\\-21  \n**Severity:** SEV\\-2\n\n## **Timeline (UTC)**\n\n* 09:14 \\- CDN origin certificate rotated  \n* 09:55 \\- Error rates back to normal\n",
    );
    let p = &d.postmortem;
    assert_eq!(p.severity.as_deref(), Some("SEV-2"));
    assert_eq!(p.timeline[0].text, "CDN origin certificate rotated");
    assert_eq!(
        rfc(&p.instants.started).as_deref(),
        Some("2024-02-21T09:14:00Z")
    );
    let d = parse(
        "# Search outage\n\nDate: 2024-04-09\n\n## Timeline\n\nTime (UTC)\tEvent\n10:02\tIndex node runs out of disk\n10:52\tSearch fully recovered\n\n## Action items\n\nAction\tOwner\tDue\nDisk usage alert at 80%\tOps\t2024-04-20\nSnapshot retention policy\tSearch team\t2024-04-30\n",
    );
    assert!(has_note(&d, "tab-separated-table"));
    assert_eq!(d.postmortem.timeline.len(), 2);
    assert_eq!(
        action_owners(&d),
        [
            ("Disk usage alert at 80%", Some("Ops")),
            ("Snapshot retention policy", Some("Search team")),
        ]
    );
    assert_eq!(
        d.postmortem.action_items[0].due.as_deref(),
        Some("2024-04-20")
    );
    // Rows with no header, each an item whose labelled cells are its fields; an "Assigned to"
    // column; a first row naming the columns with its rule left out.
    let headerless = "Webhook delays\nDate: 12 June 2025\n\nActions\nAdd a drift alert\tOwner: Maria\tDue: 2025-03-20\nValidate configs in CI\tOwner: Li\tDue: 2025-03-27\n";
    for doc in [
        headerless,
        "# Outage\n\n## Action items\n\n| ID | Description | Assigned to | Target date | Status |\n|---|---|---|---|---|\n| 1 | Add a drift alert | Maria | 2025-03-20 | Open |\n| 2 | Validate configs in CI | Li | 2025-03-27 | Done |\n",
        "# Outage\n\n## Action items\n\n| Action | Owner |\n| Add a drift alert | Maria |\n| Validate configs in CI | Li |\n",
    ] {
        assert_eq!(
            action_owners(&parse(doc)),
            [
                ("Add a drift alert", Some("Maria")),
                ("Validate configs in CI", Some("Li")),
            ],
            "{doc}"
        );
    }
    assert_eq!(
        parse(headerless).postmortem.action_items[1].due.as_deref(),
        Some("2025-03-27")
    );
}

#[test]
fn a_year_in_the_title_dates_days_written_without_one() {
    let d = parse(
        "# 2023 holiday checkout incident\n\n## Timeline\n\n| Date | Time (ET) | Event |\n|---|---|---|\n| Dec 24 | 11:40 PM | Payment provider starts timing out |\n| Dec 25 | 2:30 AM | Failover to backup provider |\n",
    );
    let i = &d.postmortem.instants;
    assert_eq!(
        rfc(&i.started).as_deref(),
        Some("2023-12-24T23:40:00-05:00")
    );
    assert_eq!(rfc(&i.ended).as_deref(), Some("2023-12-25T02:30:00-05:00"));
}

#[test]
fn start_and_end_under_more_labels() {
    for (start, end) in [
        ("Customer impact start", "Customer impact end"),
        ("Issue started", "Issue resolved"),
        ("Time of incident", "Time resolved"),
        ("Occurred", "Restored"),
        ("Incident start time", "Recovery time"),
    ] {
        let d = parse(&format!(
            "# Outage\n\n- **{start}:** 2024-05-01 10:02 UTC\n- **{end}:** 2024-05-01 11:15 UTC\n\n## Summary\n\nDown.\n"
        ));
        let i = &d.postmortem.instants;
        assert_eq!(
            rfc(&i.started).as_deref(),
            Some("2024-05-01T10:02:00Z"),
            "{start}"
        );
        assert_eq!(
            rfc(&i.ended).as_deref(),
            Some("2024-05-01T11:15:00Z"),
            "{end}"
        );
    }
}

#[test]
fn labelled_items_of_a_timeline_list_stay_in_the_timeline() {
    // A timeline told as labelled items, their steps nested under them: the steps of "Actions
    // taken" are what responders did, not action items, and the labels are the timeline's.
    let d = parse(
        "# Gateway outage\n\n*Timeline:*\n\n- **Detection Time:** March 5, 2024 - 09:15 AM UTC\n- **Actions Taken:**\n  - Read the gateway logs.\n  - Restarted one gateway.\n- **Escalation (March 5, 2024, 09:40 AM)**: the platform team joined\n- **Resolution (March 5, 2024, 10:02 AM)**: previous release redeployed\n\n## Action items\n\n1. Validate certificate chains before deploying\n",
    );
    let p = &d.postmortem;
    let got: Vec<(E, &str)> = p
        .timeline
        .iter()
        .filter(|e| e.at.is_some())
        .map(|e| (e.kind, e.text.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            (E::Detection, "Detection Time"),
            (E::Escalation, "Escalation: the platform team joined"),
            (E::Mitigation, "Resolution: previous release redeployed"),
        ]
    );
    let actions: Vec<&str> = p.action_items.iter().map(|a| a.text.as_str()).collect();
    assert_eq!(actions, ["Validate certificate chains before deploying"]);
}

#[test]
fn actions_taken_among_a_timelines_labels_are_no_action_items() {
    // "Actions taken:" as a line of a timeline, or after the labels that follow it, says what
    // the responders did; the follow-ups are under their own heading.
    for timeline in [
        "June 9, 2024, 12:15 PM (UTC): Alerts showed slow responses.\n\nActions taken: Suspected the database first.\n\nJune 9, 2024, 1:30 PM (UTC): The cache was found full.\n",
        "Detection time: June 9, 2024, 12:15 PM (UTC)\nDetection method: An alert on response times.\nActions taken: Suspected the database first.\n",
    ] {
        let d = parse(&format!(
            "# Cache outage\n\nTimeline:\n\n{timeline}\nCorrective and preventative measures:\n\nAdd an alert on cache evictions.\nLoad test the cache monthly.\n"
        ));
        let p = &d.postmortem;
        let actions: Vec<&str> = p.action_items.iter().map(|a| a.text.as_str()).collect();
        assert_eq!(
            actions,
            [
                "Add an alert on cache evictions.",
                "Load test the cache monthly."
            ],
            "{timeline}"
        );
        assert!(
            p.timeline.iter().any(|e| e.kind == E::Detection),
            "{timeline}"
        );
    }
}

#[test]
fn a_bug_column_closing_with_the_status_gives_both() {
    // The SRE book's template: "| Action Item | Type | Owner | Bug |", its status written
    // in bold after the bug's id.
    let d = parse(
        "# Indexing stalled\n\n## Action Items\n\n| Action Item | Type | Owner | Bug |\n|---|---|---|---|\n| Alert when indexer lag > 15 min | mitigate | aisha | SRCH-101 **DONE** |\n| Run migrations with lock_timeout | prevent | marco | n/a **TODO** |\n| Make poll errors fatal | prevent | marco | SRCH-103 |\n",
    );
    let got: Vec<_> = d
        .postmortem
        .action_items
        .iter()
        .map(|a| (a.text.as_str(), a.status, a.tracker.as_deref()))
        .collect();
    assert_eq!(
        got,
        [
            (
                "Alert when indexer lag > 15 min",
                ActionStatus::Done,
                Some("SRCH-101")
            ),
            ("Run migrations with lock_timeout", ActionStatus::Open, None),
            (
                "Make poll errors fatal",
                ActionStatus::Open,
                Some("SRCH-103")
            ),
        ]
    );
}

#[test]
fn without_an_impact_section_the_summarys_sentences_of_harm_are_the_impact() {
    let d = parse(
        "# Consumer lag\n\n## Summary\n\nA deploy at 13:02 UTC shortened the session timeout. Order events were delayed by up to 40 minutes. The late rollback likely delayed recovery.\n\n## Root cause\n\nA timeout shorter than a batch.\n",
    );
    assert_eq!(
        d.postmortem.impact.as_deref(),
        Some("Order events were delayed by up to 40 minutes.")
    );
}

#[test]
fn a_status_page_pasted_as_text_keeps_its_title_and_postmortem() {
    // Copied from the browser: no headings, the page's title first, its postmortem above the
    // updates (newest first).
    let d = parse(
        "Elevated API error rates\n\nIncident Report for Example Cloud\n\nPostmortem\nOn January 12, 2025 between 13:41 and 15:02 UTC, customers saw errors on the REST API.\n\nResolved\nThis incident has been resolved.\nPosted Jan 12, 2025 - 15:10 UTC\n\nInvestigating\nWe are investigating errors on the API.\nPosted Jan 12, 2025 - 13:55 UTC\n",
    );
    let p = &d.postmortem;
    assert_eq!(p.title.as_deref(), Some("Elevated API error rates"));
    assert_eq!(
        p.instants
            .started
            .as_ref()
            .and_then(Stamp::rfc3339)
            .as_deref(),
        Some("2025-01-12T13:41:00Z")
    );
    assert!(
        p.preamble
            .as_deref()
            .unwrap()
            .contains("Postmortem\nOn January 12")
    );
    let kinds: Vec<E> = p.timeline.iter().map(|e| e.kind).collect();
    assert_eq!(kinds, [E::Resolution, E::Diagnosis]);
}

#[test]
fn a_status_page_title_right_over_its_company_line() {
    let d = parse(
        "Checkout API errors\nIncident Report for Example Shop\n\nResolved\nThis incident has been resolved.\nPosted Mar 12, 2024 - 16:42 UTC\n\nInvestigating\nWe are investigating errors.\nPosted Mar 12, 2024 - 15:02 UTC\n",
    );
    assert_eq!(d.postmortem.title.as_deref(), Some("Checkout API errors"));
}

#[test]
fn a_heading_stating_the_length_of_the_incident() {
    let d = parse(
        "# March availability report\n\n### March 12 14:02 UTC (lasting 43 minutes)\n\nOn March 12 at 14:02 UTC, jobs were delayed. Service recovered at 14:45 UTC.\n",
    );
    assert_eq!(d.postmortem.stated_duration_minutes, Some(43));
    // The heading's time is the start, though the prose's first time is a response's.
    let d = parse(
        "# Availability report: March 2024

### March 11 15:10 UTC (lasting 1 hour and 5 minutes)

Webhooks were delayed. We restarted the workers at 16:02 UTC and delivery recovered by 16:15 UTC.
",
    );
    assert_bounds(
        &d,
        Some("2024-03-11T15:10:00Z"),
        Some("2024-03-11T16:15:00Z"),
    );
    // A heading that names a length without stating the incident's is not one.
    let d =
        parse("# Report\n\n## Timeline\n\n- 10:00 alert\n\n## Reduce duration of restarts\n\nx\n");
    assert_eq!(d.postmortem.stated_duration_minutes, None);
}

#[test]
fn a_relative_timeline_counted_from_a_time_named_in_words() {
    let d = parse(
        "# DNS failures\n\n## Timeline (relative to the first alert at 2024-02-03 22:10 UTC)\n\n- T+0: resolver error alert fires\n- T+4m: on-call acknowledges\n- T+41m: resolution rates normal\n",
    );
    let p = &d.postmortem;
    let at: Vec<Option<String>> = p
        .timeline
        .iter()
        .map(|e| e.at.as_ref().and_then(Stamp::rfc3339))
        .collect();
    assert_eq!(
        at,
        [
            Some("2024-02-03T22:10:00Z".to_string()),
            Some("2024-02-03T22:14:00Z".to_string()),
            Some("2024-02-03T22:51:00Z".to_string())
        ]
    );
}

#[test]
fn a_status_column_marking_where_the_impact_starts_and_ends() {
    let d = parse(
        "# Edge cache errors\n\n## Timeline\n\n| Time (UTC) | Status | Description |\n|---|---|---|\n| 2024-06-20 12:30 | | Configuration change deployed |\n| 2024-06-20 12:43 | IMPACT START | Error rates rise |\n| 2024-06-20 13:15 | | Change rolled back |\n| 2024-06-20 13:21 | IMPACT END | Error rates normal |\n| 2024-06-20 14:00 | | Incident closed |\n",
    );
    assert_bounds(
        &d,
        Some("2024-06-20T12:43:00Z"),
        Some("2024-06-20T13:21:00Z"),
    );
    assert_eq!(d.postmortem.timeline[3].kind, E::Resolution);
}

#[test]
fn a_postmortem_kept_as_yaml_data() {
    let d = parse(
        "title: Expired certificate on the status API\nseverity: SEV2\ndate: 2024-09-14\nroot_cause: The renewal job was disabled in a migration.\ntimeline:\n  - time: \"06:00 UTC\"\n    event: Certificate expires; clients fail\n  - time: \"07:25 UTC\"\n    event: All clients connecting again\naction_items:\n  - text: Re-enable the renewal job\n    owner: Platform team\n    status: done\n  - text: Alert before expiry\n    owner: Noor\n",
    );
    assert!(has_note(&d, "data-read-as-markdown"));
    let p = &d.postmortem;
    assert_eq!(
        p.title.as_deref(),
        Some("Expired certificate on the status API")
    );
    assert_eq!(p.severity.as_deref(), Some("SEV2"));
    assert_eq!(bounds(&d).0.as_deref(), Some("2024-09-14T06:00:00Z"));
    assert_eq!(
        action_owners(&d),
        [
            ("Re-enable the renewal job", Some("Platform team")),
            ("Alert before expiry", Some("Noor"))
        ]
    );
    assert_eq!(p.action_items[0].status, debrief_core::ActionStatus::Done);
    assert!(p.root_cause.is_some());
}

#[test]
fn a_timeline_heading_naming_its_day_and_times_closing_each_entry() {
    let d = parse(
        "# Slow logins\n\n## Timeline (all times ET, 5 November 2024)\n\n1. The upgrade is applied (**9:02 AM**)\n2. Login latency climbs (**9:10 AM**)\n3. Latency back to normal (**10:31 AM**)\n",
    );
    let p = &d.postmortem;
    assert_eq!(p.date.as_deref(), Some("2024-11-05"));
    assert_eq!(stamps(&d)[0].as_deref(), Some("2024-11-05T09:02:00-05:00"));
    assert_eq!(p.timeline[1].text, "Login latency climbs");
    // A heading naming a span of days does not date the timeline by its first.
    let d = parse(
        "# Breach\n\n## Timeline 10/14/2022 - 11/03/2022\n\n- 10:00 scan starts\n- 11:00 scan ends\n",
    );
    assert_eq!(d.postmortem.date, None);
}

#[test]
fn a_title_label_under_a_heading_naming_only_the_kind_of_document() {
    for doc in [
        "# Incident Postmortem\n\nTitle: Checkout outage\nSeverity: P2\n\n## Summary\n\nx\n",
        "# Incident Postmortem\n\n## Title: Checkout outage\n\n## Summary\n\nx\n",
    ] {
        let d = parse(doc);
        assert_eq!(
            d.postmortem.title.as_deref(),
            Some("Checkout outage"),
            "{doc}"
        );
    }
    // A heading that is a title keeps it.
    let d = parse("# Checkout outage\n\nTitle: checkout\n\n## Summary\n\nx\n");
    assert_eq!(d.postmortem.title.as_deref(), Some("Checkout outage"));
}

#[test]
fn a_title_under_the_date_the_report_was_written() {
    let d = parse(
        "2026-04-21\n\nPostmortem: stale prices in the mobile app\n\nSummary: For about 3 hours the app showed old prices.\n\nTimeline\n- 06:00 CEST release 8.2 rolls out\n- 09:10 CEST cache flushed\n",
    );
    let p = &d.postmortem;
    assert_eq!(
        p.title.as_deref(),
        Some("Postmortem: stale prices in the mobile app")
    );
    // The date stays, and dates the timeline.
    assert_eq!(p.date.as_deref(), Some("2026-04-21"));
    // A sentence under a date is no title.
    let d = parse("2026-04-21\n\nThe database failed and we restarted it.\n");
    assert_eq!(d.postmortem.title, None);
}

#[test]
fn a_date_in_the_file_name_dates_a_timeline_of_times() {
    let text =
        "# DB outage\n\n## Timeline (UTC)\n\n- 10:05 primary fails\n- 10:50 replica promoted\n";
    for name in [
        "2026-03-02-db-outage.md",
        "incident_2026_03_02.md",
        "incident-20260302.md",
        "2026-03-02/notes.md",
    ] {
        let p = debrief_core::parse_named(text, name).postmortem;
        assert_eq!(p.date.as_deref(), Some("2026-03-02"), "{name}");
    }
    for name in [
        "build-12345678.md",
        "incident-20261302.md",
        "2026-03-0212.md",
    ] {
        let p = debrief_core::parse_named(text, name).postmortem;
        assert_eq!(p.date, None, "{name}");
    }
}

#[test]
fn a_zone_declared_in_brackets_inside_a_long_sentence() {
    let d = parse(
        "# Stuck CI jobs

## Summary

From Monday 2026-08-03 at roughly 08:00 until Wednesday 2026-08-05 at 16:30 (all times UTC), about 15% of CI jobs hung until their timeout. The total impact was around 56 hours of degraded CI.

## Timeline

- 08:00 runner image v42 rolled out
- 16:30 fleet rolled back to v41
",
    );
    let p = &d.postmortem;
    assert_eq!(
        p.instants
            .started
            .as_ref()
            .map(|s| s.to_string())
            .as_deref(),
        Some("~2026-08-03 08:00 UTC")
    );
    assert_eq!(p.stated_duration_minutes, Some(56 * 60));
}

#[test]
fn a_ticket_export_with_its_work_notes() {
    let d = parse(
        "Number: INC0012345\nShort description: VPN concentrator rejecting new sessions\nPriority: 2 - High\nOpened: 2024-04-18 08:02:11\nResolved: 2024-04-18 10:47:30\n\nWork notes:\n2024-04-18 08:02:11 - Ticket opened from monitoring: VPN session failures\n2024-04-18 08:15:40 - Network on-call acknowledged\n2024-04-18 10:47:30 - Monitoring clear, resolving\n",
    );
    let p = &d.postmortem;
    assert_eq!(
        p.title.as_deref(),
        Some("VPN concentrator rejecting new sessions")
    );
    assert_eq!(p.timeline.len(), 3);
    assert_eq!(p.timeline[1].text, "Network on-call acknowledged");
}

#[test]
fn html_tables_and_lists_inside_markdown() {
    let d = parse(
        "# Webhook delays\n\n## Timeline\n\n<table>\n<tr><th>Time (UTC)</th><th>Event</th></tr>\n<tr><td>2024-05-02 08:10</td><td>Queue backs up</td></tr>\n<tr><td>2024-05-02 09:40</td><td>Queue drained</td></tr>\n</table>\n\n## Action items\n\n<ul>\n<li>Autoscale consumers (owner: Ana)</li>\n<li>Alert on queue growth (owner: Raj)</li>\n</ul>\n",
    );
    let p = &d.postmortem;
    assert_eq!(p.timeline.len(), 2);
    assert_eq!(p.timeline[0].text, "Queue backs up");
    // Line numbers stay the file's.
    assert_eq!(p.timeline[0].line, 7);
    assert_eq!(
        action_owners(&d),
        [
            ("Autoscale consumers", Some("Ana")),
            ("Alert on queue growth", Some("Raj"))
        ]
    );
}

#[test]
fn an_email_saved_as_mime_reads_from_its_text_part() {
    let d = parse(
        "From: Marco <marco@example.com>\nTo: eng@example.com\nSubject: [Postmortem] Login outage\nDate: Thu, 16 May 2024 10:02:11 +0200\nMIME-Version: 1.0\nContent-Type: multipart/alternative; boundary=\"b1\"\n\n--b1\nContent-Type: text/plain; charset=\"UTF-8\"\nContent-Transfer-Encoding: quoted-printable\n\nTimeline (CEST)\n14:20 Session store full =E2=80=94 logins fail\n15:05 Logins succeed again\n\n--b1\nContent-Type: text/html; charset=\"UTF-8\"\n\n<p>14:20 Session store full</p>\n--b1--\n",
    );
    assert!(has_note(&d, "mime-decoded"));
    let p = &d.postmortem;
    assert_eq!(p.title.as_deref(), Some("[Postmortem] Login outage"));
    assert_eq!(p.timeline.len(), 2);
    assert_eq!(
        p.timeline[0].text,
        "Session store full \u{2014} logins fail"
    );
    // The day it was sent dates the times; the sending time is no instant of the incident.
    assert_bounds(
        &d,
        Some("2024-05-16T14:20:00+02:00"),
        Some("2024-05-16T15:05:00+02:00"),
    );
}

#[test]
fn a_story_told_under_incident_details_is_the_timeline() {
    // The prose is hard-wrapped between "Beginning at" and its time.
    let d = parse(
        "# Cache stampede after deploy\n\n## Incident details\n\nOn 18 September 2024 we deployed a change that emptied the product cache. Beginning at\n15:42 UTC, product pages took over 10 seconds to load. Our latency alert fired at 15:47 UTC.\nWe scaled the cache tier at 16:05 UTC, and by 16:21 UTC load times were back to normal.\n\n## What caused it\n\nA cache key prefix changed.\n",
    );
    assert_eq!(
        stamps(&d),
        [
            Some("2024-09-18T15:42:00Z".to_string()),
            Some("2024-09-18T15:47:00Z".to_string()),
            Some("2024-09-18T16:05:00Z".to_string()),
            Some("2024-09-18T16:21:00Z".to_string()),
        ]
    );
    assert_eq!(bounds(&d).0.as_deref(), Some("2024-09-18T15:42:00Z"));
    // A story under a heading no reader takes for one stays text.
    let d = parse(
        "# Cache stampede\n\n## Background\n\nThe cache was resized at 09:00 UTC and again at 11:00 UTC on 2 May 2024.\n",
    );
    assert!(d.postmortem.timeline.is_empty());
}

#[test]
fn a_date_before_a_time_in_a_sentence_dates_it_and_an_end_comes_after_the_start() {
    let d = parse(
        "# Testnet halt\n\n* **Date:** 16/03/2020 3am UTC\n\n### Description\n\nOn the 15 Mar 2020, around 9pm UTC a parameter change was proposed.\n\nAt around 3am UTC of the following night the proposal was accepted, and as a result the network halted.\n",
    );
    assert_eq!(
        stamps(&d),
        [
            Some("2020-03-15T21:00:00Z".to_string()),
            Some("2020-03-16T03:00:00Z".to_string()),
        ]
    );
    // The last entry is the halt itself, at the start: the document states no end.
    assert_eq!(bounds(&d), (Some("2020-03-16T03:00:00Z".to_string()), None));
}

#[test]
fn a_time_the_prose_gives_without_a_day_is_on_the_timelines_day() {
    let d = parse(
        "---\ntitle: Build service disruption\ndate: 2025-12-10\n---\n\nLast Monday, right after a deployment, the service was down for about 35 minutes and returned to normal operation around 12:30 UTC.\n\n## Timeline (UTC)\n\n- 2025-12-01 11:55: Deployment fails\n- 2025-12-01 12:28: Gem updated in production\n- 2025-12-01 12:30: Service back online\n",
    );
    assert_bounds(
        &d,
        Some("2025-12-01T11:55:00Z"),
        Some("2025-12-01T12:30:00Z"),
    );
}

#[test]
fn a_name_after_a_dash_closing_every_item_is_its_owner() {
    let d = parse(
        "# Mail delays\n\nAction items\n- Pin firewall rules in configuration management - Dana\n- Add queue depth alert - Ola\n",
    );
    assert_eq!(
        action_owners(&d),
        [
            (
                "Pin firewall rules in configuration management",
                Some("Dana")
            ),
            ("Add queue depth alert", Some("Ola"))
        ]
    );
    // A priority closing each item names no one, nor does a phase in only one of them.
    let d = parse(
        "# Mail delays\n\n## Action items\n\n- Pin firewall rules - High\n- Add queue depth alert - Low\n- Move to the new relay - Phase Two\n",
    );
    assert!(d.postmortem.action_items.iter().all(|a| a.owner.is_none()));
}

#[test]
fn a_status_stamp_alone_on_its_line_ends_the_paragraphs_above_it() {
    let d = parse(
        "---\ntitle: Provider outage\ndate: 2026-05-24 02:09:00\n---\n\nA provider outage made several services unavailable. It is resolved.\n\nAffected builds were restarted.\n\n{{< track \"2026-05-24 14:27:00\" >}}\n",
    );
    let p = &d.postmortem;
    assert_eq!(p.timeline.len(), 1);
    assert_eq!(
        p.timeline[0].text,
        "A provider outage made several services unavailable. It is resolved. Affected builds were restarted."
    );
    // Stamps closing their paragraphs keep to them.
    let d = parse(
        "---\ntitle: Signing outage\n---\n\nSigning is broken. {{< track \"2026-02-17 13:56:00\" >}}\n\nA new key is installed. {{< track \"2026-02-23 14:04:00\" >}}\n",
    );
    assert_eq!(
        entry_texts(&d),
        ["Signing is broken.", "A new key is installed."]
    );
}

#[test]
fn a_severity_is_its_grade_without_the_explanation_after_it() {
    for (line, want) in [
        (
            "**Severity:** Major (High Impact, Service Degradation)",
            "Major",
        ),
        ("Severity: SEV-2 (Major)", "SEV-2 (Major)"),
        ("Severity: P2", "P2"),
    ] {
        let d = parse(&format!(
            "# Checkout errors\n\n{line}\n\n## Summary\n\nErrors.\n"
        ));
        assert_eq!(d.postmortem.severity.as_deref(), Some(want), "{line}");
    }
}

#[test]
fn a_timeline_detection_bounds_a_start_read_from_prose() {
    // A time in prose about the response, after the timeline's detection, is no start; nor is
    // a version number ("from 1.12.0 to 1.14.3").
    let d = parse(
        "# Incident on 2025-10-13 - RDS instances unavailable\n\nWe raised an issue with AWS at 10:29 and moved from 1.12.0 to 1.14.3.\n\n## Timeline\n\n- 2025-10-13 08:59 Users report databases failing to start\n- 2025-10-13 17:38 Instances restarted\n",
    );
    assert_eq!(bounds(&d).0.as_deref(), Some("2025-10-13T08:59:00Z"));
}

#[test]
fn an_outage_end_set_in_bold_ends_the_impact() {
    let d = parse(
        "# Prow outage\n\n## Timeline\n\nAll times PST.\n\n- 2019-02-05 08:47: a bad deploy is merged\n- 2019-02-05 09:29: prow rolled back\n- 2019-02-05 09:34: Prow is confirmed to be functional. **Outage ends.**\n- 2019-02-05 14:31: cause of a side effect found\n",
    );
    assert_eq!(bounds(&d).1.as_deref(), Some("2019-02-05T09:34:00-08:00"));
}

#[test]
fn a_stated_end_that_retells_a_timeline_entry_stands() {
    // The summary's span ends at an entry of the timeline; the incident closed later.
    let d = parse(
        "# API latency\n\n## Summary\n\nOn 2024-05-21 the API served 503s between 13:05 and 14:20 UTC.\n\n## Timeline\n\n- 13:05 UTC: first 503s\n- 13:11 UTC: latency alert pages on-call\n- 14:20 UTC: latency and error rate normal\n- 14:50 UTC: incident closed after monitoring\n",
    );
    assert_bounds(
        &d,
        Some("2024-05-21T13:05:00Z"),
        Some("2024-05-21T14:20:00Z"),
    );
    // A prose end that no entry retells still gives way to the timeline's resolution.
    let d = parse(
        "# Maintenance overran\n\n## Summary\n\nOn 2024-05-21 we expanded maintenance until 07:00 UTC.\n\n## Timeline\n\n- 05:00 UTC: maintenance starts, site down\n- 06:40 UTC: incident resolved, site up\n",
    );
    assert_eq!(bounds(&d).1.as_deref(), Some("2024-05-21T06:40:00Z"));
}

#[test]
fn a_day_of_the_week_before_a_time_moves_the_timeline_on_to_that_day() {
    let d = parse(
        "# Weekend batch failure\n\nDate: 2025-03-08\n\nTimeline (UTC):\nSat 02:00 - Billing batch starts\nSat 02:47 - Batch fails\nMon 08:30 - Finance notices no invoices were sent\nMon 11:20 - Batch rerun succeeds; invoices sent\n",
    );
    assert_bounds(
        &d,
        Some("2025-03-08T02:00:00Z"),
        Some("2025-03-10T11:20:00Z"),
    );
    // Alone over its entries, as a heading.
    let d = parse(
        "# Weekend batch failure\n\nDate: 2025-03-08\n\n## Timeline (UTC)\n\n### Saturday\n- 02:00 Billing batch starts\n\n### Monday\n- 08:30 Finance notices\n- 11:20 Batch rerun succeeds\n",
    );
    assert_eq!(d.postmortem.timeline.len(), 3);
    assert_eq!(stamps(&d)[1].as_deref(), Some("2025-03-10T08:30:00Z"));
    // The first names the nearest such day, before a report's date too.
    let d = parse(
        "# Checkout errors\n\nPublished: Friday, 14 March 2025\n\n## Timeline (all times UTC)\n\n- Tue 22:10: deploy of the new payment client\n- Wed 00:40: rollback completed; errors stop\n",
    );
    assert_bounds(
        &d,
        Some("2025-03-11T22:10:00Z"),
        Some("2025-03-12T00:40:00Z"),
    );
}

#[test]
fn a_span_over_midnight_on_a_range_of_days_ends_on_the_second() {
    let d = parse(
        "# DNS failures\n\n## Overview\n\nBetween 22:40 and 00:45 CET on 14-15 November 2024 lookups failed for a third of requests.\n",
    );
    assert_bounds(
        &d,
        Some("2024-11-14T22:40:00+01:00"),
        Some("2024-11-15T00:45:00+01:00"),
    );
    // Within one day, the span stays on it.
    let d = parse(
        "# DNS failures\n\n## Overview\n\nBetween 20:40 and 22:45 CET on 14 November 2024 lookups failed.\n",
    );
    assert_bounds(
        &d,
        Some("2024-11-14T20:40:00+01:00"),
        Some("2024-11-14T22:45:00+01:00"),
    );
}

#[test]
fn a_section_name_that_goes_on_to_name_its_subject_is_the_title() {
    let d = parse(
        "# What happened to search on Thursday\n\nSearch was down for 25 minutes (15:40–16:05 GMT) on 14 November 2024.\n",
    );
    assert_eq!(
        d.postmortem.title.as_deref(),
        Some("What happened to search on Thursday")
    );
    // The name alone, or beside other top-level headings, is a section.
    let d = parse("# What happened\n\nSearch was down.\n");
    assert_eq!(d.postmortem.title, None);
    let d = parse(
        "# What happened to search on Thursday\n\nSearch was down.\n\n# Root cause\n\nA bad file.\n",
    );
    assert_eq!(d.postmortem.title, None);
}

#[test]
fn the_documents_own_times_to_detect_and_recover_point_to_its_start() {
    // 07:30 is background: the stated measures count from 08:00 (08:05, 09:08).
    let table = "| Time | Event |\n|---|---|\n| 2021-09-06 07:30 | Automated node roll over started |\n| 2021-09-06 08:00 | All services returning 404 |\n| 2021-09-06 08:05 | Alert pages on-call |\n| 2021-09-06 09:08 | All ingress traffic working as intended |\n";
    let d = parse(&format!(
        "# 404s everywhere\n\n## Timeline\n\nAll times in UTC.\n\n{table}\n## Stats\n\n- Time to detection: 5 minutes\n- Time to recovery: 68 minutes\n"
    ));
    assert_eq!(bounds(&d).0.as_deref(), Some("2021-09-06T08:00:00Z"));
    // Without them the timeline's first entry of the impact stands.
    let d = parse(&format!(
        "# 404s everywhere\n\n## Timeline\n\nAll times in UTC.\n\n{table}"
    ));
    assert_eq!(bounds(&d).0.as_deref(), Some("2021-09-06T07:30:00Z"));
}

#[test]
fn a_duration_label_under_the_timeline_states_its_span_and_length() {
    let d = parse(
        "# Surveys SDK bug\n\n## Timeline\n\nAll times in UTC.\n\n- **2025-10-03 10:45** - SDK deployed\n- **2025-10-03 16:11** - Reverts deployed, issue mitigated\n- **2025-10-03 22:28** - Incident closed\n\n**Total impact duration:** 5 hours 26 minutes (10:45 - 16:11 UTC)\n",
    );
    assert_bounds(
        &d,
        Some("2025-10-03T10:45:00Z"),
        Some("2025-10-03T16:11:00Z"),
    );
    assert_eq!(d.postmortem.stated_duration_minutes, Some(326));
}

#[test]
fn a_conclusion_after_the_action_items_is_none_of_them() {
    let d = parse(
        "Outage report\n\nAction Items\nDeploy a second standby database.\nAdd replication checks.\n\nConclusion\nThis incident highlighted several areas for improvement.\n",
    );
    assert_eq!(
        action_texts(&d),
        [
            "Deploy a second standby database.",
            "Add replication checks."
        ]
    );
}

#[test]
fn a_first_line_naming_the_document_titles_a_text_without_headings() {
    let d = parse(
        "Postmortem: Web Stack Outage Incident\n\nOn July 15, 2023, logins failed from 15:30 to 17:45 UTC.\n\nA load balancer rule was wrong.\n",
    );
    assert_eq!(
        d.postmortem.title.as_deref(),
        Some("Postmortem: Web Stack Outage Incident")
    );
    // So does a first line written as a headline, in title case.
    let d = parse(
        "Summary of the Queue Service Disruption in the Oslo Region\n\nBetween 9:10 AM and 9:55 AM CET on May 2nd, jobs were not run.\n",
    );
    assert_eq!(
        d.postmortem.title.as_deref(),
        Some("Summary of the Queue Service Disruption in the Oslo Region")
    );
    // Under the link to where it was published, and HTML line breaks.
    let d = parse(
        "https://blog.example.com/postmortem-web-outage-3f2a\n<br>\n\nPostmortem: Web Stack Outage<br>\n<br>\nLogins failed from 15:30 to 17:45 UTC.\n",
    );
    assert_eq!(
        d.postmortem.title.as_deref(),
        Some("Postmortem: Web Stack Outage")
    );
    // Any other short first line may be the text's first sentence.
    let d = parse("Logins failed today\n\nFrom 15:30 to 17:45 UTC no one could sign in.\n");
    assert_eq!(d.postmortem.title, None);
    let d =
        parse("Logins Failed for most users\n\nFrom 15:30 to 17:45 UTC no one could sign in.\n");
    assert_eq!(d.postmortem.title, None);
}

#[test]
fn a_length_written_with_a_decimal_comma_after_during_is_the_incident_s() {
    let d = parse(
        "# Changes page errors\n\nDate: 2024-03-19\n\nThe page failed from 10:36 UTC and was back at 13:05 UTC, so users were impacted by this during 2,5 hours.\n",
    );
    assert_eq!(d.postmortem.stated_duration_minutes, Some(150));
}

#[test]
fn a_length_labelled_in_other_words() {
    for (label, want) in [
        ("Length of outage: 90 minutes", 90),
        ("Time down: 30 minutes", 30),
        ("MTTR: 50 min", 50),
    ] {
        let d = parse(&format!(
            "# Login errors\n\nDate: 2025-03-04\n\n{label}\n\n## Summary\n\nErrors.\n"
        ));
        assert_eq!(d.postmortem.stated_duration_minutes, Some(want), "{label}");
    }
}

#[test]
fn a_length_told_with_the_recovery_names_the_incident() {
    let recovery = |sentence: &str| {
        parse(&format!(
            "# Suspected compromise\n\n## Summary\n\nA user reported a spend he did not make.\n\n## Resolution and recovery\n\nThe team replaced the laptop. {sentence} Forensics followed.\n"
        ))
        .postmortem
        .stated_duration_minutes
    };
    assert_eq!(
        recovery(
            "The time between the user reporting the incident until verifying it was a false positive took approximately twenty-four hours."
        ),
        Some(1440)
    );
    assert_eq!(
        recovery("The fix went out at once. - Total time to resolution approximately 49 minutes."),
        Some(49)
    );
    // How long one step of the recovery took is not the incident's length.
    assert_eq!(
        recovery("Getting the account banned took about 48 hours."),
        None
    );
}

#[test]
fn a_quoted_alert_under_an_entry_heads_no_section() {
    let d = parse(
        "# Health check failing\n\n## Timeline (times in UTC)\n\n### July 11, 2025, 12:42 PM\n\nIncident declared\n\n> Description: An uptime check is failing. | Policy: uptime\n\n### 12:49 PM\n\nPR reverted.\n\n### 4:22 PM\n\nIncident resolved.\n",
    );
    assert_eq!(d.postmortem.timeline.len(), 3);
    assert!(entry_texts(&d)[0].contains("An uptime check is failing"));
    assert_bounds(
        &d,
        Some("2025-07-11T12:42:00Z"),
        Some("2025-07-11T16:22:00Z"),
    );
    // A text quoted whole keeps its sections.
    let d = parse("> Summary: the queue stalled.\n>\n> Root cause: a full disk.\n");
    assert_eq!(d.postmortem.root_cause.as_deref(), Some("a full disk."));
}

#[test]
fn a_pasted_commit_dates_the_commit_not_the_incident() {
    let d = parse(
        "# Wiki edited\n\n## Summary\n\nA user edited the install page at 09:15 UTC on 10 May 2021.\n\n## Commit history\n\ncommit 9b3a733a99f0ae5de143c6616bfcd4c945151420\nAuthor: Someone <someone@example.com>\nDate:   Mon May 10 19:03:52 2021 +0900\n\n    Updated INSTALL\n",
    );
    assert_bounds(&d, Some("2021-05-10T09:15:00Z"), None);
    assert!(d.postmortem.authors.is_empty());
}

#[test]
fn a_timeline_crossing_midnight_with_the_day_written_wrong() {
    let d = parse(
        "# March 26th, 2019 Build outage\n\nAll times in PDT (UTC-7).\n\n## Timeline\n\n- [03-20 16:46] Config updated but the pod is not\n- [03-26 17:40] Node upgrade starts\n- [03-26 23:04] The pod crash-loops (**outage starts**)\n- [03-26 02:50] The outage is reported\n- [03-26 07:16] On-call wakes up\n- [03-26 08:10] A fixed build is deployed (**outage ends**)\n",
    );
    assert_bounds(
        &d,
        Some("2019-03-25T23:04:00-07:00"),
        Some("2019-03-26T08:10:00-07:00"),
    );
    assert_eq!(
        entry_texts(&d).last().copied(),
        Some("A fixed build is deployed (**outage ends**)")
    );
    assert!(has_note(&d, "timeline-day-corrected"));
    // Key events out of order within a day are sorted, not moved to another day.
    let d = parse(
        "# Incident on 2022-01-22\n\n- **Key events**\n  - First detected 2022-01-22 11:57\n  - Incident declared 2022-01-22 14:41\n  - Repaired 2022-01-22 13:59\n  - Resolved 2022-01-22 14:38\n",
    );
    assert!(!has_note(&d, "timeline-day-corrected"));
}

#[test]
fn a_year_written_wrong_in_one_entry() {
    let d = parse(
        "# Incident on 2021-06-09 - Ingress rules could not be created\n\n- **Key events**\n  - First detected 2021-06-09 13:15\n  - Incident declared 2020-06-09 13:54\n  - Resolved 2021-06-09 13:58\n",
    );
    assert_eq!(
        stamps(&d),
        [
            Some("2021-06-09T13:15:00Z".to_string()),
            Some("2021-06-09T13:54:00Z".to_string()),
            Some("2021-06-09T13:58:00Z".to_string()),
        ]
    );
    assert!(has_note(&d, "timeline-year-corrected"));
    // A declaration weeks before the repair is the incident's, not background to it.
    let d = parse(
        "# Incident on 2023-01-05 - Secrets exposed at a vendor\n\n- **Key events**\n  - Incident declared: 2022-01-05 08:56\n  - Repaired 2023-02-01 10:30\n  - Resolved 2022-02-01 10:30\n",
    );
    assert_bounds(
        &d,
        Some("2023-01-05T08:56:00Z"),
        Some("2023-02-01T10:30:00Z"),
    );
    // An entry a year before, on another day, is history the document tells.
    let d = parse(
        "# Incident on 2023-05-08 - Denial of service\n\n## Timeline\n\n- 2022-10-22 10:00 UTC - A researcher reported the issue.\n- 2023-02-15 10:00 UTC - A fixed version was released.\n",
    );
    assert!(!has_note(&d, "timeline-year-corrected"));
}

#[test]
fn the_first_occurrence_days_before_the_rest_starts_the_incident() {
    // The problem showing itself days before it was worked on is the incident's start; a
    // change merged days before is background.
    let d = parse(
        "# Workers dropping out\n\n## Timeline\n\nAll times in UTC.\n\n| Time | Event |\n|---|---|\n| 2025-04-10 21:05 | First occurence of a worker in NotReady state |\n| 2025-04-14 08:40 | Second occurence of a worker in NotReady state |\n| 2025-04-14 10:15 | Raised the reserved memory on every worker |\n| 2025-04-14 10:50 | Workers stay Ready; confirmed working |\n",
    );
    assert_bounds(
        &d,
        Some("2025-04-10T21:05:00Z"),
        Some("2025-04-14T10:50:00Z"),
    );
    let d = parse(
        "# Workers dropping out\n\n## Timeline\n\nAll times in UTC.\n\n| Time | Event |\n|---|---|\n| 2025-04-10 21:05 | Merged the new worker image |\n| 2025-04-14 08:40 | First occurrence of a worker in NotReady state |\n| 2025-04-14 10:15 | Raised the reserved memory on every worker |\n| 2025-04-14 10:50 | Workers stay Ready; confirmed working |\n",
    );
    assert_bounds(
        &d,
        Some("2025-04-14T08:40:00Z"),
        Some("2025-04-14T10:50:00Z"),
    );
}

#[test]
fn the_day_a_sentence_opens_with_under_the_reports_date() {
    // The report's date is when it was posted; the incident's day is the one the story opens
    // with, in the report's year.
    let d = parse(
        "# What happened to uploads\n\nPosted by the storage team, Wednesday 9 April 2025\n\nOn Tuesday 8 April, uploads failed for an hour.\n\n## What happened\n\nAt 2:14 p.m. UTC a rotation installed a bad certificate. We redeployed at 3:10 p.m. UTC and uploads recovered.\n",
    );
    assert_eq!(d.postmortem.date.as_deref(), Some("2025-04-08"));
    assert_eq!(
        rfc(&d.postmortem.instants.started).as_deref(),
        Some("2025-04-08T14:14:00Z")
    );
    // A day in late December under a January report is the year before.
    let d = parse(
        "# Queue stalls\n\nPublished 6 January 2025\n\nOn December 30 the queue stalled twice.\n",
    );
    assert_eq!(d.postmortem.date.as_deref(), Some("2024-12-30"));
    // A day named mid-sentence is not the incident's.
    let d = parse(
        "# Queue stalls\n\nPublished 6 January 2025\n\nThe queue, upgraded on December 30, stalled twice.\n",
    );
    assert_eq!(d.postmortem.date.as_deref(), Some("2025-01-06"));
    // "Last Thursday, 13 November": the past weekday and its day.
    let d = parse(
        "# Builds stalled\n\n*Posted on 14 November 2025*\n\nLast Thursday, 13 November, our CI stopped starting builds.\n\n## What happened\n\nAt 14:20 CET the upgrade began.\n",
    );
    assert_eq!(d.postmortem.date.as_deref(), Some("2025-11-13"));
}

#[test]
fn a_stated_time_on_no_day_takes_the_day_the_timeline_opens_on() {
    let d = parse(
        "# Logs not shipped\n\n## Summary\n\nAt noon on Tuesday, the pipeline was updated to the latest release.\n\n## Timeline\n\nAll times in UTC.\n\n| Time | Event |\n|---|---|\n| 2023-04-11 11:20 | First node stops shipping logs |\n| 2023-04-11 20:28 | Alert noticed by an engineer |\n| 2023-04-11 22:25 | Nodes ship logs again |\n",
    );
    assert_eq!(d.postmortem.date.as_deref(), Some("2023-04-11"));
    assert_eq!(
        rfc(&d.postmortem.instants.started).as_deref(),
        Some("2023-04-11T12:00:00Z")
    );
    // Versions are no times: "from version 1.13 to 1.14" states no span.
    let d = parse(
        "# CoreDNS upgrade issue\n\n## Summary\n\nOn Monday 3. February 2020, a planned upgrade of the cluster from version 1.13 to 1.14 caused a DNS issue.\n\n## Timeline\n\nAll times in CET.\n\n| Time | Event |\n|---|---|\n| 2020-02-03 11:21 | Upgrade makes the DNS pods crash loop |\n| 2020-02-03 11:52 | DNS deployment downgraded, which solved the issue |\n",
    );
    assert_eq!(d.postmortem.date.as_deref(), Some("2020-02-03"));
    assert_bounds(
        &d,
        Some("2020-02-03T11:21:00+01:00"),
        Some("2020-02-03T11:52:00+01:00"),
    );
}

#[test]
fn a_line_counting_the_day_dates_the_entries_under_it() {
    let d = parse(
        "# Build farm outage\n\nOn 2025-10-06 builds failed.\n\n## Timeline\n\nDay 1 (Monday)\n- 07:50 first builds fail\n- 10:15 old workspaces cleaned\n\nDay 2 (Tuesday)\n- 09:00 disk quota raised\n- 09:30 all builds green\n",
    );
    assert_eq!(
        stamps(&d),
        [
            Some("2025-10-06T07:50:00Z".to_string()),
            Some("2025-10-06T10:15:00Z".to_string()),
            Some("2025-10-07T09:00:00Z".to_string()),
            Some("2025-10-07T09:30:00Z".to_string()),
        ]
    );
}

#[test]
fn a_zone_after_the_emphasis_around_a_time() {
    let d = parse(
        "# Outage on June 13, 2019\n\n## Timeline\n\n- **09:50** (CEST) we ran a deployment\n- **10:00** CEST: we patched it\n",
    );
    assert_eq!(entry_texts(&d), ["we ran a deployment", "we patched it"]);
    assert_bounds(
        &d,
        Some("2019-06-13T09:50:00+02:00"),
        Some("2019-06-13T10:00:00+02:00"),
    );
    // Told as sentences, the emphasised time opens the entry all the same.
    let d = parse(
        "# Downtime on June 13, 2019\n\n## Problems/Timeline\n\nAround **09:50** (CEST), we ran a deployment. Some pages failed. Around\n10:00, we disabled the beta program.\n",
    );
    assert_eq!(d.postmortem.timeline.len(), 2);
    assert_bounds(
        &d,
        Some("2019-06-13T09:50:00+02:00"),
        Some("2019-06-13T10:00:00+02:00"),
    );
}

#[test]
fn status_updates_headed_with_a_dash_before_their_time() {
    let d = parse(
        "---\ntitle: CI outage\ndate: 2023-03-28T14:00:00-00:00\n---\n\n[Final message]\nOutage finished.\n\n[Update - 2023-03-29 15h50 UTC]\nQueue cleaned; the instance is back to normal.\n\n[Update - 2023-03-29 07h30 UTC]\nThe queue is still full.\n\n[Update - 2023-03-28 21h00 UTC]\nAgents are working again.\n\n[Initial message]\nThere is an outage on ci.example.org since 14h00 UTC.\n",
    );
    assert_eq!(
        entry_texts(&d),
        [
            "Queue cleaned; the instance is back to normal.",
            "The queue is still full.",
            "Agents are working again.",
            "There is an outage on ci.example.org",
        ]
    );
}

#[test]
fn a_story_under_a_heading_of_questions_is_the_timeline() {
    let d = parse(
        "---\ntitle: \"Post-mortem: Deployment on March 15, 2018\"\n---\n\nDuring yesterday's deployment we faced some issues.\n\n### What, How, When and Why\n\nAt 15:10 we deployed and saw exceptions.\nA syntax error brought down the app around 15:40.\n\nAt 18:48 the dashboard was up again.\n\n### How are we going to do better in the future?\n\nReview routes in pairs.\n",
    );
    assert_eq!(d.postmortem.timeline.len(), 3);
    assert_bounds(
        &d,
        Some("2018-03-15T15:10:00Z"),
        Some("2018-03-15T18:48:00Z"),
    );
}

#[test]
fn a_resolution_the_day_after_the_rest_ends_the_incident() {
    let d = parse(
        "# Incident on 2025-01-13 - Credentials exposed\n\n- **Key events**\n  - First detected: 2025-01-13 10:13\n  - Incident declared: 2025-01-13 12:09\n  - Resolved: 2025-01-14 16:53\n",
    );
    assert_bounds(
        &d,
        Some("2025-01-13T10:13:00Z"),
        Some("2025-01-14T16:53:00Z"),
    );
    // Work a day later that resolves nothing is follow-up.
    let d = parse(
        "# Incident on 2025-01-13 - Queue stalled\n\n## Timeline\n\n- 2025-01-13 10:13 Queue stalls\n- 2025-01-13 10:40 Workers restarted, queue drains\n- 2025-01-13 11:02 Queue is back to normal\n- 2025-01-15 09:00 Capacity review held with the team\n",
    );
    assert_bounds(
        &d,
        Some("2025-01-13T10:13:00Z"),
        Some("2025-01-13T11:02:00Z"),
    );
}

#[test]
fn an_item_telling_its_time_within_its_sentence() {
    let d = parse(
        "# Front page update delay\n\n## Timeline\n\n- At 3:15 PM Eastern time, support received a complaint.\n- Support forwarded the ticket to the SRE team at 3:17 PM Eastern time. The team confirmed it.\n- At 5:01 PM Eastern time, the page served the new string.\n",
    );
    let times: Vec<Option<String>> = d
        .postmortem
        .timeline
        .iter()
        .map(|e| e.at.as_ref().map(|a| a.instant()))
        .collect();
    assert_eq!(
        times,
        [
            Some("15:15:00".to_string()),
            Some("15:17:00".to_string()),
            Some("17:01:00".to_string())
        ]
    );
}

#[test]
fn bold_update_headers_with_their_time_are_the_timeline() {
    let d = parse(
        "---\ntitle: Agents disconnected\ndate: 2021-06-08T05:35:00-00:00\n---\n**Update at 2021-06-08 11:20 UTC**\nCI is back to normal after a restart.\n\n**Initial Message at 2021-06-08 09:35 UTC**\nAgents are randomly disconnected.\n```text\nChannel is closing down\n```\n- Builds on EC2 agents reconnect\n- Builds on ACI agents fail\n",
    );
    assert_eq!(
        entry_texts(&d),
        [
            "CI is back to normal after a restart.",
            "Agents are randomly disconnected.\nBuilds on EC2 agents reconnect\nBuilds on ACI agents fail",
        ]
    );
}

#[test]
fn a_postmortem_told_twice_counts_its_actions_once() {
    let plain = "# Postmortem: cache outage\n\n## Issue Summary\nThe cache was down from 09:00 to 10:30 UTC.\n\n## Timeline\n- 09:00 - Alerts fire for cache misses.\n- 10:30 - Cache back to normal.\n\n## Root Cause\nThe cache node ran out of memory.\n\n## Action Items\n- Add a memory alert to the cache nodes.\n- Cap the cache's key count.\n";
    let retold = "\n# The Great Cache Meltdown (the fun version)\n\n## Issue Summary\nOur cache took a nap for an hour and a half.\n\n## Timeline of Doom\n- 09:00 - Pagers scream.\n- 10:30 - The cache wakes up.\n\n## Root Cause\nThe cache ate too much and fell asleep.\n\n## Action Items\n- Put the cache on a diet.\n- Teach the pager to whisper.\n";
    let d = parse(&format!("{plain}{retold}"));
    assert_eq!(
        action_texts(&d),
        [
            "Add a memory alert to the cache nodes.",
            "Cap the cache's key count."
        ]
    );
    assert_eq!(
        d.postmortem.root_cause.as_deref(),
        Some("The cache node ran out of memory.")
    );
    assert_eq!(d.postmortem.timeline.len(), 2);
    assert!(has_note(&d, "told-twice"));
    // Parts only the second telling has keep their role.
    let d = parse(&format!(
        "{plain}{retold}\n## Lessons Learned\nKeep an eye on memory.\n"
    ));
    assert!(d.postmortem.sections.iter().any(|s| s.kind == S::Lessons));
    // A write-up after a block of key facts and review actions is told once: its timeline
    // is the incident's.
    let d = parse(
        "# Incident on 2026-03-30\n\n## Impact\nLogins failed.\n\n## Review actions\n- Test upgrades in staging.\n\n## Summary\nAn upgrade broke logins.\n\n## Timeline\n- 2026-03-30 09:00 Upgrade starts; logins fail.\n- 2026-03-30 10:00 Rolled back; logins work again.\n",
    );
    assert_eq!(d.postmortem.timeline.len(), 2);
    assert!(!has_note(&d, "told-twice"));
}

#[test]
fn markdown_line_breaks_written_as_backslashes_are_not_entry_text() {
    let d = parse(
        "# Website outage\n\n## Timeline\n\n*2024-02-01 08:10*: The uptime monitor alerted.\\\n\\\\\\\\\n*2024-02-01 08:25*: The hosting provider restarted the server.\\\n\\\\\\\\\n*2024-02-01 08:31*: The website is available again.\\\\\n",
    );
    assert_eq!(
        entry_texts(&d),
        [
            "The uptime monitor alerted.",
            "The hosting provider restarted the server.",
            "The website is available again."
        ]
    );
}

#[test]
fn the_stated_length_ends_a_timeline_that_resolves_nothing() {
    let doc = |length: &str, after: &str| {
        format!(
            "# Comments failed after a deploy\n\nThe comments pages failed for {length}.\n\n## Timeline\n\n- 2023-09-19 10:27 UTC: Deployed with migrations\n- 2023-09-19 10:32 UTC: Noticed errors on pages with comments\n- 2023-09-19 10:40 UTC: Errors stopped\n- 2023-09-19 10:46 UTC: {after}\n"
        )
    };
    let d = parse(&doc(
        "13 minutes",
        "Concluded that the errors came from the migration window",
    ));
    assert_bounds(
        &d,
        Some("2023-09-19T10:27:00Z"),
        Some("2023-09-19T10:40:00Z"),
    );
    // A rounded length points at the recovery within a twentieth of it.
    let d = parse(
        "# Index corruption\n\nThe service was degraded for 1 hour and 40 minutes.\n\n## Timeline\n\n- 2021-05-06 10:04 UTC: Deployed a migration\n- 2021-05-06 10:42 UTC: Errors seen in the tracker\n- 2021-05-06 11:47 UTC: Index recreated; the service returned to normal\n- 2021-05-06 14:44 UTC: Reproduced the bug in isolation\n",
    );
    assert_bounds(
        &d,
        Some("2021-05-06T10:04:00Z"),
        Some("2021-05-06T11:47:00Z"),
    );
    // The problem again after the recovery, or a length that points at no recovery: the last
    // entry stays the end.
    for (length, after) in [
        ("13 minutes", "Errors are back on the comments pages"),
        (
            "15 minutes",
            "Concluded that the errors came from the migration window",
        ),
    ] {
        let d = parse(&doc(length, after));
        assert_bounds(
            &d,
            Some("2023-09-19T10:27:00Z"),
            Some("2023-09-19T10:46:00Z"),
        );
    }
}

#[test]
fn a_day_written_wrong_between_two_entries_of_one_day() {
    let d = parse(
        "# Patch rollout\n\n## Timeline (UTC)\n\n- 2022-03-04 1906: builds cut for both networks\n- 2022-03-14 1930: the team deploys to both networks\n- 2022-03-04 2021: instructions sent to node operators\n- 2022-03-05 0457: the last operator upgrades\n",
    );
    assert_eq!(
        stamps(&d),
        [
            Some("2022-03-04T19:06:00Z".to_string()),
            Some("2022-03-04T19:30:00Z".to_string()),
            Some("2022-03-04T20:21:00Z".to_string()),
            Some("2022-03-05T04:57:00Z".to_string()),
        ]
    );
    assert!(has_note(&d, "timeline-day-corrected"));
    // A time that does not fall between its neighbours' is no slip: the entry is sorted.
    let d = parse(
        "# Patch rollout\n\n## Timeline (UTC)\n\n- 2022-03-04 1906: builds cut\n- 2022-03-14 2130: a second release\n- 2022-03-04 2021: instructions sent\n",
    );
    assert!(!has_note(&d, "timeline-day-corrected"));
    assert!(has_note(&d, "timeline-reordered"));
    assert_eq!(stamps(&d)[1].as_deref(), Some("2022-03-14T21:30:00Z"));
    assert_eq!(
        stamps_in_time_order(&d)
            .last()
            .cloned()
            .flatten()
            .as_deref(),
        Some("2022-03-14T21:30:00Z")
    );
}

#[test]
fn the_only_time_written_days_into_an_incident_is_no_start() {
    let d = parse(
        "# Load balancer errors\n\n## Timeline\n\n| Time | Event |\n|---|---|\n| 2022-05-25 HH:mm | Engineers start investigating the 502s |\n| 2022-06-02 HH:mm | Pods found killed for lack of memory |\n| 2022-06-07 08:30 UTC | The limit script is fixed |\n| 2022-06-10 HH:mm | Logs confirm the problem is solved |\n",
    );
    assert_eq!(d.postmortem.instants.started, None);
    // Background on earlier days (a script written, a service launched) leaves the start.
    let d = parse(
        "# Load balancer errors\n\n## Timeline\n\n| Time | Event |\n|---|---|\n| 2021-12-20 HH:mm | A script to set memory limits is written |\n| 2022-06-07 08:30 UTC | Errors start after the script runs |\n",
    );
    assert_eq!(
        rfc(&d.postmortem.instants.started).as_deref(),
        Some("2022-06-07T08:30:00Z")
    );
}

#[test]
fn of_a_part_and_the_whole_the_length_is_the_one_the_span_agrees_with() {
    let doc = |part: &str, whole: &str| {
        format!(
            "# Storefront slow\n\nOn 9 March from 05:00 UTC the storefront was slow for everyone.\n\nAt 14:10 UTC the service went offline for {part}.\n\nIt was back to normal at 15:37 UTC, so customers were affected for {whole}.\n"
        )
    };
    // 05:00 to 15:37 is 637 minutes: the whole, not the part.
    let d = parse(&doc("a period of 84 minutes", "roughly 10.5 hours"));
    assert_eq!(d.postmortem.stated_duration_minutes, Some(630));
    // A second length the span does not agree with leaves the first.
    let d = parse(&doc("a period of 84 minutes", "roughly 2 hours"));
    assert_eq!(d.postmortem.stated_duration_minutes, Some(84));
    // The first agreeing with the span stays, whatever follows.
    let d = parse(&doc("a period of 10 hours", "roughly 10.5 hours"));
    assert_eq!(d.postmortem.stated_duration_minutes, Some(600));
    // Without a stated end there is no span to agree with.
    let d = parse(
        "# Storefront slow\n\nFrom 05:00 UTC the storefront was slow.\n\nThe service went offline for a period of 84 minutes.\n\nCustomers were affected for roughly 10.5 hours.\n",
    );
    assert_eq!(d.postmortem.stated_duration_minutes, Some(84));
}

#[test]
fn a_plain_text_report_asks_how_we_noticed_and_what_we_did() {
    let d = parse(
        "Incident: Push notifications not delivered\nDate: 2024-05-18\n\nWhat happened\nAndroid pushes stopped at about 06:00 UTC when the old server key was revoked.\n\nHow we noticed\nA user wrote in at 07:40 UTC.\n\nWhat we did\n08:15 confirmed the responses were 401\n08:40 switched the sender to the new API\n09:02 Android deliveries confirmed working\n\nWhy it happened\nThe deprecation notices went to a former employee's inbox.\n",
    );
    let p = &d.postmortem;
    let kinds: Vec<_> = p
        .sections
        .iter()
        .map(|s| (s.heading.as_str(), s.kind))
        .collect();
    assert!(
        kinds.contains(&("How we noticed", S::Detection)),
        "{kinds:?}"
    );
    assert!(kinds.contains(&("What we did", S::Timeline)), "{kinds:?}");
    assert_eq!(p.timeline.len(), 3);
    assert_eq!(
        rfc(&p.instants.ended).as_deref(),
        Some("2024-05-18T09:02:00Z")
    );
}

#[test]
fn the_outage_ends_where_the_timeline_marks_it_not_where_it_was_mitigated() {
    let timeline = |rows: &str| {
        parse(&format!(
            "# Search down\n\n## Timeline\n\n2025-10-21 (all times UTC)\n\n- 14:54 OUTAGE BEGINS -- backends overloaded\n- 15:20 traffic shifted\n{rows}"
        ))
    };
    let d = timeline(
        "- 15:59 OUTAGE MITIGATED by draining the cluster\n- 16:00 OUTAGE ENDS -- all traffic is served\n- 16:30 exit criterion reached\n",
    );
    assert_bounds(
        &d,
        Some("2025-10-21T14:54:00Z"),
        Some("2025-10-21T16:00:00Z"),
    );
    assert_eq!(d.postmortem.timeline[3].kind, EventKind::Resolution);
    // Marked mitigated and no more: the impact ended there.
    let d = timeline(
        "- 15:59 OUTAGE MITIGATED by draining the cluster\n- 16:30 retro scheduled for Monday\n",
    );
    assert_bounds(
        &d,
        Some("2025-10-21T14:54:00Z"),
        Some("2025-10-21T15:59:00Z"),
    );
}

#[test]
fn a_report_in_prose_alone_ends_when_it_declares_the_incident_over_and_lists_what_it_will_do() {
    let d = parse(
        "# The build farm outage\n\nOn Thursday, 9 January 2025, builds stopped for the afternoon.\n\nAt around 1:15 pm Pacific, a certificate rotation broke the agents. A fixed certificate was rolled out by 3:20 pm, and the queue drained by 4:05 pm, when we declared the incident over.\n\nWe will:\n- check the names on a certificate before a rotation completes (Dana);\n- alert when no builds have started for 10 minutes (build tools team);\n- publish the rotation schedule.\n",
    );
    let p = &d.postmortem;
    assert_eq!(
        rfc(&p.instants.ended).as_deref(),
        Some("2025-01-09T16:05:00-08:00")
    );
    assert_eq!(
        action_owners(&d),
        [
            (
                "check the names on a certificate before a rotation completes",
                Some("Dana")
            ),
            (
                "alert when no builds have started for 10 minutes",
                Some("build tools team")
            ),
            ("publish the rotation schedule.", None),
        ]
    );
    // A length inside an action item is not the incident's.
    assert_eq!(p.stated_duration_minutes, None);
    // The items read from the text before any heading are written back under their own.
    assert_round_trip("a report in prose alone", p);
    // A clause after another time that closes the incident is that time's, not this one's.
    let d = parse(
        "# Queue stalled\n\nOn 3 May 2024 from 10:00 UTC the queue stalled. We paged the team at 10:20 UTC; the incident was closed later that day.\n",
    );
    assert_eq!(d.postmortem.instants.ended, None);
}

#[test]
fn a_days_heading_naming_its_zone_dates_and_zones_the_entries_under_it() {
    for (day1, day2) in [
        (
            "Day 1 (Tuesday 2023-11-07, CET)",
            "Day 2 (Wednesday 2023-11-08, CET)",
        ),
        ("Day 1 - 2023-11-07 CET", "Day 2 - 2023-11-08 CET"),
        ("2023-11-07 (CET)", "2023-11-08 (CET)"),
    ] {
        let d = parse(&format!(
            "# Mirror slow\n\n## Timeline\n\n### {day1}\n\n- 21:40 sync job starts\n- 22:10 downloads slow down\n\n### {day2}\n\n- 09:15 sync job killed\n- 09:20 downloads fast again\n"
        ));
        assert_bounds(
            &d,
            Some("2023-11-07T21:40:00+01:00"),
            Some("2023-11-08T09:20:00+01:00"),
        );
    }
}

#[test]
fn a_zone_declared_at_the_end_of_a_paragraph_and_owners_set_in_emphasis() {
    let d = parse(
        "# Connection storm\n\n## Summary\n\nAt 09:42 on Monday, 2 December 2024, the API started refusing connections. It recovered at 10:31. All times are in GMT.\n\n## Timeline\n\n09:42 — deploy finishes; connections jump\n09:45 — connections alert\n10:31 — connections normal\n\n## Next steps\n\n1. Share one pool per process — *Platform*\n2. Alert on pool count — _SRE_\n3. **[Jonas]** Read the pool size from configuration\n",
    );
    assert_bounds(
        &d,
        Some("2024-12-02T09:42:00Z"),
        Some("2024-12-02T10:31:00Z"),
    );
    assert_eq!(
        action_owners(&d),
        [
            ("Share one pool per process", Some("Platform")),
            ("Alert on pool count", Some("SRE")),
            ("Read the pool size from configuration", Some("Jonas")),
        ]
    );
    // A hedge after a time that goes with the number after it leaves the time exact.
    let d = parse(
        "# Late pushes\n\nOn 2 October 2024, between 06:12 and 09:30 UTC about 40% of pushes arrived late.\n",
    );
    let ended = d.postmortem.instants.ended.as_ref().expect("an end");
    assert!(!ended.approximate, "{ended:?}");
    let d = parse(
        "# Late pushes\n\nOn 2 October 2024 the pushes were late from 06:12 until 09:30 approx.\n",
    );
    assert!(
        d.postmortem
            .instants
            .ended
            .as_ref()
            .expect("an end")
            .approximate
    );
}

#[test]
fn a_zone_column_a_time_then_its_day_in_brackets_and_a_restore_that_finished() {
    let d = parse(
        "# Consumers crash\n\n## Timeline\n\n| Date | Time | Zone | Event |\n|---|---|---|---|\n| 2024-03-01 | 10:01:40 | CET | Consumers crash on start |\n| 2024-03-01 | 12:13:45 | CET | Old consumer restored |\n",
    );
    assert_eq!(
        entry_texts(&d),
        ["Consumers crash on start", "Old consumer restored"]
    );
    assert_bounds(
        &d,
        Some("2024-03-01T10:01:40+01:00"),
        Some("2024-03-01T12:13:45+01:00"),
    );
    let d = parse(
        "# Login outage\n\n## Timeline\n\n- Deploy of auth 3.1 (09:58 UTC, 2024-09-03)\n- Login errors spike (10:02 UTC)\n- Logins recover (10:27 UTC)\n",
    );
    assert_eq!(entry_texts(&d)[0], "Deploy of auth 3.1");
    assert_bounds(
        &d,
        Some("2024-09-03T09:58:00Z"),
        Some("2024-09-03T10:27:00Z"),
    );
    let d = parse(
        "# Objects deleted\n\nOn March 3rd, 2024 at 10:05 PM PST, the migration script began deleting objects. We stopped the script at 10:34 PM. Restoring the 2,310 affected objects from backup finished at 3:15 AM PST on March 4th.\n",
    );
    assert_bounds(
        &d,
        Some("2024-03-03T22:05:00-08:00"),
        Some("2024-03-04T03:15:00-08:00"),
    );
    // A rollback that finished may leave harm behind it: no end from it alone.
    let d = parse(
        "# Objects deleted\n\nOn March 3rd, 2024 at 10:05 PM PST, the migration script began deleting objects. The rollback finished at 10:50 PM.\n",
    );
    assert_eq!(d.postmortem.instants.ended, None);
}

#[test]
fn an_item_without_a_time_is_no_part_of_the_next_item_stamped_at_its_end() {
    let d = parse(
        "# Pipeline down\n\n- **Key events**\n  - First detected 2021-05-10 12:15 UTC\n  - Incident not declared at first\n  - Repaired 2021-05-10 16:48 UTC\n  - Resolved 2021-05-11 10:00 UTC\n",
    );
    assert_eq!(entry_texts(&d), ["First detected", "Repaired", "Resolved"]);
    // A sentence wrapped over lines before its stamp is one entry still.
    let d = parse(
        "# Pipeline down\n\n## Timeline\n\nThe pipeline stopped applying\nchanges to namespaces 2021-05-10 12:15 UTC\n\nThe cluster was recreated 2021-05-10 16:48 UTC\n",
    );
    assert_eq!(
        entry_texts(&d),
        [
            "The pipeline stopped applying changes to namespaces",
            "The cluster was recreated"
        ]
    );
}

#[test]
fn a_zone_declared_after_the_date_and_a_report_in_french() {
    let d = parse(
        "# Database failover\n\nDate: 2024-10-20, times in UTC\n\n## Timeline\n- 14:05 Primary unresponsive, writes fail\n- 14:20 Failover completes\n- 14:35 All services healthy\n",
    );
    assert_bounds(
        &d,
        Some("2024-10-20T14:05:00Z"),
        Some("2024-10-20T14:35:00Z"),
    );
    // French writes the day first, and names the owner in its own word.
    let d = parse(
        "# Panne du service de paiement\n\nDate : 12/03/2024\n\n## Chronologie\n\n| Heure | Événement |\n|---|---|\n| 14h05 | Déploiement de la version 2.8 |\n| 14h41 | Service rétabli |\n\n## Actions\n- Tester les migrations en préproduction (responsable : Luc)\n",
    );
    assert_eq!(d.postmortem.date.as_deref(), Some("2024-03-12"));
    assert_eq!(
        action_owners(&d),
        [("Tester les migrations en préproduction", Some("Luc"))]
    );
}

#[test]
fn a_report_in_prose_ends_when_it_says_the_fault_was_put_right() {
    let d = parse(
        "# Login errors\n\nFor roughly four hours on Tuesday, March 12, 2019, starting at 08:00 UTC, customers could not sign in. A certificate had been replaced with one missing its chain. The proxy certificate was corrected at 12:05 UTC.\n",
    );
    assert_bounds(
        &d,
        Some("2019-03-12T08:00:00Z"),
        Some("2019-03-12T12:05:00Z"),
    );
    // A timeline's own end stands over it.
    let d = parse(
        "# Login errors\n\nStarting at 08:00 UTC on 12 March 2019 customers could not sign in. The certificate was corrected at 12:05 UTC.\n\n## Timeline\n\n- 08:00 UTC logins fail\n- 12:05 UTC certificate corrected\n- 12:40 UTC caches flushed, logins work\n",
    );
    assert_bounds(
        &d,
        Some("2019-03-12T08:00:00Z"),
        Some("2019-03-12T12:40:00Z"),
    );
}

#[test]
fn headings_written_year_first_and_next_steps_grouped_under_headings() {
    let d = parse(
        "# October 2023 post-incident analysis\n\n## Incident timeline\n\n### 2023 October 12 22:52 UTC\n\nNetwork connectivity was lost for 43 seconds.\n\n### 2023 Oct 13 06:51 UTC\n\nClusters went back to read-write.\n\n## Next steps\n\n### Technical initiatives\n\n1. Keep primaries within one region.\n2. Move to an active/active design.\n\n### Organizational initiatives\n\n1. Run failover exercises.\n",
    );
    assert_eq!(
        entry_texts(&d),
        [
            "Network connectivity was lost for 43 seconds.",
            "Clusters went back to read-write."
        ]
    );
    assert_bounds(
        &d,
        Some("2023-10-12T22:52:00Z"),
        Some("2023-10-13T06:51:00Z"),
    );
    assert_eq!(
        action_texts(&d),
        [
            "Keep primaries within one region.",
            "Move to an active/active design.",
            "Run failover exercises."
        ]
    );
}

#[test]
fn a_recovery_in_part_does_not_end_the_impact() {
    let d = parse(
        "# Queue disruption\n\nAt 9:37AM PST on February 28th, 2023, a command removed more servers than intended, and the queue could not accept messages. By 12:26PM PST, the index had recovered enough to serve reads. The placement subsystem completed its recovery at 1:54PM PST, and the queue was then operating normally.\n",
    );
    assert_bounds(
        &d,
        Some("2023-02-28T09:37:00-08:00"),
        Some("2023-02-28T13:54:00-08:00"),
    );
}

#[test]
fn qualified_labels_a_time_window_and_a_release_that_shipped_the_fault() {
    let d = parse(
        "# INC-482: Search errors\n\nIncident Start Time: 2024-12-01 08:14 UTC\nCustomer Impact Duration: 48 minutes\n\n## Description\nSearch returned errors for 30% of queries.\n",
    );
    assert_eq!(d.postmortem.stated_duration_minutes, Some(48));
    let d = parse(
        "Incident: Scheduled jobs skipped\nDate: Saturday 2024-03-30\nTime window: 01:00-04:10 CET\n\nWhat happened:\nThe cron host was rebooted at 00:55 and came back with its clock behind.\n\nHow it was found:\nAt 04:05 the reports team noticed no reports had arrived.\n",
    );
    assert_bounds(
        &d,
        Some("2024-03-30T01:00:00+01:00"),
        Some("2024-03-30T04:10:00+01:00"),
    );
    assert!(
        kinds(&d).contains(&SectionKind::Detection),
        "{:?}",
        kinds(&d)
    );
    let d = parse(
        "# Checkout degraded\n\n## Summary\n\nA canary deploy of the tax service shipped with a broken cache key, slowing checkout.\n",
    );
    assert!(d.postmortem.root_cause.is_some());
}

#[test]
fn a_quick_write_up_with_handles_in_lowercase_a_slash_heading_and_a_signature() {
    let d = parse(
        "postmortem - api outage tuesday\n\ntimeline\n14:10 config pushed\n14:52 error rate normal\n\nfollowups\n- nginx -t in the deploy pipeline (jan)\n- alert on empty upstream (mo)\n",
    );
    assert_eq!(
        action_owners(&d),
        [
            ("nginx -t in the deploy pipeline", Some("jan")),
            ("alert on empty upstream", Some("mo"))
        ]
    );
    // A word in brackets closing one item of many is no owner for that alone.
    let d = parse("# T\n\n## Action items\n- Add alerts (Ana)\n- Fix the pool (may)\n");
    assert_eq!(
        action_owners(&d),
        [("Add alerts", Some("Ana")), ("Fix the pool (may)", None)]
    );
    let d = parse(
        "# Webhooks failed\n\n## Learnings / Actions\n* Rotations follow a checklist (Kim)\n* Alert on signature failures (Kim)\n",
    );
    assert_eq!(d.postmortem.action_items.len(), 2);
    let d = parse(
        "Hi team, a write-up of last night.\n\nThumbnails broke at 11:40pm PT on Sunday Aug 18 2024 until 1:15am.\n\nNext steps: pin libvips to the previous version (Chris), add a memory alert for the resizer (me).\n\n- Ana\n",
    );
    assert_eq!(
        action_owners(&d),
        [
            ("pin libvips to the previous version", Some("Chris")),
            ("add a memory alert for the resizer", Some("me"))
        ]
    );
    assert_round_trip("a message's next steps", &d.postmortem);
    // An item of one word last in its list, apart by a blank line, is an item still.
    let d = parse(
        "# T

## Action items

- Alerting

- Monitoring
",
    );
    assert_eq!(action_texts(&d), ["Alerting", "Monitoring"]);
    let d = parse(
        "# T

## Action items

- Documentation
",
    );
    assert_eq!(action_texts(&d), ["Documentation"]);
}

#[test]
fn a_timeline_of_sentences_may_open_with_by_and_its_time() {
    let d = parse(
        "# Outage on 2 February 2024\n\n## Timeline\n\nAt 14:05 UTC, the alert for API errors fired.\n\nAt 14:12, the on-call engineer acknowledged it.\n\nBy 14:40 the fix was deployed and errors stopped.\n",
    );
    assert_eq!(
        entry_texts(&d),
        [
            "the alert for API errors fired.",
            "the on-call engineer acknowledged it.",
            "the fix was deployed and errors stopped."
        ]
    );
    assert_bounds(
        &d,
        Some("2024-02-02T14:05:00Z"),
        Some("2024-02-02T14:40:00Z"),
    );
    // "By" and a day alone opens no entry.
    let d = parse(
        "# Outage\n\n## Timeline\n\n- 14:05 UTC alert fired\n- 14:40 UTC fix deployed\n\nBy Monday the backlog was gone.\n",
    );
    assert_eq!(d.postmortem.timeline.len(), 2);
    // Under no heading that names a timeline, such paragraphs are the report's prose.
    let d = parse(
        "# Mail delays\n\nAt 14:09 UTC on 12 January 2017, engineers began responding to alerts.\n\nAt 16:00 UTC, the primary was resized.\n\nBy 19:00 UTC, throughput recovered.\n",
    );
    assert!(d.postmortem.timeline.is_empty());
}

#[test]
fn what_the_incident_brought_about_is_no_cause() {
    let cause = |summary: &str| {
        parse(&format!(
            "# Checkout outage\n\n## Summary\n\n{summary}\n\n## Timeline\n\n- 2024-05-01 10:00 UTC errors start\n- 2024-05-01 10:30 UTC errors stop\n"
        ))
        .postmortem
        .root_cause
    };
    for consequence in [
        "The outage caused checkout failures for 30 minutes.",
        "The errors resulted in 2,000 failed orders.",
        "Due to the outage, we extended the sale by one day.",
        "This incident led to a spike in support tickets.",
    ] {
        assert_eq!(cause(consequence), None, "{consequence}");
    }
    for stated in [
        "The incident stemmed from a race in the scheduler.",
        "The outage was caused by an expired certificate.",
        "The outage caused checkout failures; it was due to an expired certificate.",
    ] {
        assert!(cause(stated).is_some(), "{stated}");
    }
}

#[test]
fn a_post_telling_of_yesterday_is_about_the_day_before_it_was_published() {
    let day = |doc: &str| parse(doc).postmortem.date;
    assert_eq!(
        day("# Search slow\n\n*Published 2024-08-09 by the search team*\n\nYesterday, between 9:05 and 9:40 UTC, search was slow for every tenant.\n")
            .as_deref(),
        Some("2024-08-08")
    );
    assert_eq!(
        day("---\nlayout: post\ntitle: Search slow\ndate: 2024-08-09\n---\n\nAfter yesterday's deployment, search was slow from 9:05 to 9:40 UTC.\n")
            .as_deref(),
        Some("2024-08-08")
    );
    // Said later, of something else, it moves nothing.
    assert_eq!(
        day("---\nlayout: post\ntitle: Search slow\ndate: 2024-08-09\n---\n\nSearch was slow from 9:05 to 9:40 UTC.\n\nThe fix we shipped yesterday did not help.\n")
            .as_deref(),
        Some("2024-08-09")
    );
    // A file name's date is a post's too.
    let d = debrief_core::import::parse_named(
        "# Search slow\n\nLast night, from 23:05 to 23:40 UTC, search was slow.\n",
        "_posts/2024-08-09-search.md",
    );
    assert_eq!(d.postmortem.date.as_deref(), Some("2024-08-08"));
}

#[test]
fn an_item_opening_with_its_day_and_time_or_a_time_then_its_day_in_brackets() {
    let d = parse(
        "# Backup failures\n\n## Timeline (UTC)\n- On March 5, 2024 at 23:40, the nightly backup failed.\n- On March 6, 2024 at 10:02, the backup completed.\n",
    );
    assert_eq!(
        entry_texts(&d),
        ["the nightly backup failed.", "the backup completed."]
    );
    assert_bounds(
        &d,
        Some("2024-03-05T23:40:00Z"),
        Some("2024-03-06T10:02:00Z"),
    );
    let d = parse(
        "# Backup failures, March 2024\n\n## Timeline (UTC)\n- **23:40 (Mar 5)** - nightly backup fails\n- **10:02 (Mar 6)** - backup completes\n",
    );
    assert_eq!(
        entry_texts(&d),
        ["nightly backup fails", "backup completes"]
    );
    assert_bounds(
        &d,
        Some("2024-03-05T23:40:00Z"),
        Some("2024-03-06T10:02:00Z"),
    );
    // A paragraph opening so is prose: the report in prose has no timeline of its own.
    let d = parse(
        "# Mail delays\n\nOn January 12th, 2017 at 14:09 UTC, engineers began responding to alerts.\n\nOn January 12th, 2017 at 16:00 UTC, the primary was resized.\n\nOn January 12th, 2017 at 19:00 UTC, throughput recovered.\n",
    );
    assert!(d.postmortem.timeline.is_empty());
}
