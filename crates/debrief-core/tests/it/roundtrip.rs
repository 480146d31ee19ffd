//! Canonical Markdown and JSON read back to the same record, including the awkward cases: commas
//! and parentheses in owners, multi-line timeline text, unknown times, sections whose text looks
//! like headings.

use debrief_core::time::parse_canonical;
use debrief_core::{
    ActionItem, ActionKind, ActionStatus, EventKind, Postmortem, Section, SectionKind,
    TimelineEntry, export, parse,
};

use super::support::assert_round_trip;

fn record() -> Postmortem {
    Postmortem {
        schema_version: 1,
        title: Some("Edge: \"quoted\" title: with colon".into()),
        severity: Some("SEV1".into()),
        services: vec!["api, public".into(), "db".into()],
        stated_duration_minutes: Some(61),
        instants: debrief_core::Instants {
            started: parse_canonical("2024-01-31 23:30 UTC+2"),
            ended: parse_canonical("~day+1 00:31"),
            ..Default::default()
        },
        timeline: vec![
            TimelineEntry {
                at: parse_canonical("2024-01-31 23:30 UTC+2"),
                text: "first line\nsecond: line (with parens)".into(),
                kind: EventKind::Symptom,
                line: 0,
                ..TimelineEntry::default()
            },
            TimelineEntry {
                at: None,
                text: String::new(),
                kind: EventKind::Other,
                line: 0,
                ..TimelineEntry::default()
            },
            TimelineEntry {
                at: parse_canonical("2024-02-01 00:10:07 UTC"),
                text: "HighErrorRate firing: 5xx rate above 5%\n(a note, not fields)".into(),
                kind: EventKind::Detection,
                line: 0,
                source: Some("alertmanager: HighErrorRate (instance=web-1, service=web)".into()),
                link: Some("http://prometheus.local/graph?g0.expr=rate(x)".into()),
                event: Some("alertmanager:6aca12f9dacdca74:firing:2024-01-31T22:10:07Z".into()),
                hidden: false,
                starred: true,
            },
            TimelineEntry {
                at: parse_canonical("2024-02-01 00:12:00 UTC"),
                text: "anyone else seeing slow checkouts?".into(),
                kind: EventKind::Other,
                line: 0,
                source: Some("slack #incident: responder 2".into()),
                link: None,
                event: Some("slack:incident:1706746320.000100".into()),
                hidden: true,
                starred: false,
            },
        ],
        action_items: vec![
            ActionItem {
                text: "Fix it (really)".into(),
                owner: Some("Ana, Bo (SRE)".into()),
                due: Some("next week".into()),
                status: ActionStatus::InProgress,
                kind: ActionKind::Detect,
                tracker: Some("https://t.example/issues/4".into()),
                line: 0,
            },
            ActionItem {
                text: String::new(),
                owner: None,
                due: None,
                status: ActionStatus::Done,
                kind: ActionKind::Process,
                tracker: None,
                line: 0,
            },
        ],
        sections: vec![
            Section {
                heading: "Summary".into(),
                kind: SectionKind::Summary,
                text: "## Not a section\n\n```\n## nor this\n```".into(),
                line: 0,
            },
            Section {
                heading: "Timeline".into(),
                kind: SectionKind::Timeline,
                text: "All times in UTC+2.".into(),
                line: 0,
            },
            Section {
                heading: "Follow-ups".into(),
                kind: SectionKind::ActionItems,
                text: String::new(),
                line: 0,
            },
            Section {
                heading: "Odd heading ## with hashes".into(),
                kind: SectionKind::Other,
                text: "kept".into(),
                line: 0,
            },
        ],
        summary: Some("## Not a section\n\n```\n## nor this\n```".into()),
        preamble: Some("Written for the on-call guild.".into()),
        ..Default::default()
    }
}

#[test]
fn awkward_record_round_trips_through_markdown_and_json() {
    assert_round_trip("awkward", &record());
}

#[test]
fn exported_markdown_is_stable() {
    let once = export::to_markdown(&record());
    let twice = export::to_markdown(&parse(&once).postmortem);
    assert_eq!(once, twice);
}

#[test]
fn hand_edited_canonical_document_that_lost_a_section_is_read_free_form() {
    let md = export::to_markdown(&record()).replace("## Follow-ups\n", "");
    let parsed = parse(&md);
    assert!(
        parsed
            .notes
            .iter()
            .any(|n| n.code == "canonical-format-broken"),
        "{:?}",
        parsed.notes
    );
    assert_eq!(
        parsed.postmortem.title.as_deref(),
        Some("Edge: \"quoted\" title: with colon")
    );
    assert!(!parsed.postmortem.timeline.is_empty());
}

#[test]
fn an_exported_file_carries_its_identity_and_the_same_record() {
    let p = record();
    let text = export::to_markdown_identified(&p, "0c8f2a7d41b9e356", 7);
    assert_eq!(parse(&text).postmortem.without_lines(), p.without_lines());
    let identity = debrief_core::identity(&text).unwrap().unwrap();
    assert_eq!(identity.id, "0c8f2a7d41b9e356");
    assert_eq!(identity.revision, Some(7));
    // Without the export's identity, or another tool's `id:`, there is none.
    assert_eq!(debrief_core::identity(&export::to_markdown(&p)), Ok(None));
    assert_eq!(
        debrief_core::identity("---\nid: 42\ntitle: x\n---\n# x\n"),
        Ok(None)
    );
    let bad = text.replace("0c8f2a7d41b9e356", "../../etc/passwd");
    assert!(
        debrief_core::identity(&bad)
            .unwrap_err()
            .contains("not a Debrief id")
    );
    let bad = text.replace("revision: 7", "revision: seven");
    assert!(
        debrief_core::identity(&bad)
            .unwrap_err()
            .contains("revision")
    );
}

#[test]
fn stamps_in_json_are_rfc3339_with_the_zone_named_and_an_approximate_flag() {
    let json = |s: &str| serde_json::to_value(parse_canonical(s).unwrap()).unwrap();
    assert_eq!(
        json("2024-04-03 11:02 PDT"),
        serde_json::json!({"at": "2024-04-03T11:02:00-07:00", "zone": "PDT", "approximate": false})
    );
    assert_eq!(
        json("~2024-04-03 11:02"),
        serde_json::json!({"at": "2024-04-03T11:02:00", "approximate": true})
    );
    assert_eq!(json("day+1 00:40 CEST")["at"], "+1d 00:40:00");
    assert_eq!(json("2024-04-03")["at"], "2024-04-03");
    for s in [
        "2024-04-03 11:02 PDT",
        "~2024-04-03 11:02",
        "day+1 00:40 CEST",
        "11:02:30",
        "2024-04-03 GMT",
    ] {
        let back: debrief_core::time::Stamp = serde_json::from_value(json(s)).unwrap();
        assert_eq!(back, parse_canonical(s).unwrap(), "{s}");
    }
    // Clients may send a string: RFC 3339, or the canonical form records were stored in.
    let read = |v: serde_json::Value| serde_json::from_value::<debrief_core::time::Stamp>(v);
    let utc = read(serde_json::json!("2024-04-03T11:02:00Z")).unwrap();
    assert_eq!(utc.rfc3339().as_deref(), Some("2024-04-03T11:02:00Z"));
    let offset = read(serde_json::json!("2024-04-03T11:02:00+05:30")).unwrap();
    assert_eq!(offset.zone.unwrap().offset_minutes, 330);
    assert_eq!(
        read(serde_json::json!("2024-04-03 11:02 GMT")).unwrap(),
        parse_canonical("2024-04-03 11:02 GMT").unwrap()
    );
    let err = read(serde_json::json!({"at": "next tuesday"}))
        .unwrap_err()
        .to_string();
    assert!(err.contains("RFC 3339"), "{err}");
    assert!(read(serde_json::json!({"at": "2024-04-03T11:02:00Z", "when": 1})).is_err());
}

#[test]
fn rfc3339_in_its_every_spelling_is_read() {
    let read = |s: &str| {
        serde_json::from_value::<debrief_core::time::Stamp>(serde_json::json!({"at": s}))
            .map(|st| st.rfc3339())
            .map_err(|e| e.to_string())
    };
    assert_eq!(
        read("2024-04-03t11:02:00z"),
        Ok(Some("2024-04-03T11:02:00Z".into()))
    );
    assert_eq!(
        read("2024-04-03 11:02:00+02:00"),
        Ok(Some("2024-04-03T11:02:00+02:00".into()))
    );
    assert_eq!(
        read("2024-04-03T11:02:00.250Z"),
        Ok(Some("2024-04-03T11:02:00Z".into()))
    );
    assert_eq!(
        read("2016-12-31T23:59:60Z"),
        Ok(Some("2016-12-31T23:59:59Z".into()))
    );
    assert!(read("2024-02-30T11:02:00Z").is_err());
    assert!(read("2024-04-03T25:02:00Z").is_err());
    assert!(read("2024-04-03T11:02:00.Z").is_err());
}
