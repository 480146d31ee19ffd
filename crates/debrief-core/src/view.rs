//! The flat JSON view that `debrief parse --json` prints: instants as [`Stamp::instant`] writes
//! them (RFC 3339, or local time when no zone is named), the response instants as `debrief
//! metrics` finds them, one object per
//! document. Built from a [`Parsed`] by borrowing, so printing a large document does not copy it.

use serde::Serialize;

use crate::import::Parsed;
use crate::model::{Lessons, Note};
use crate::time::Stamp;

#[derive(Serialize)]
pub struct ParseView<'a> {
    file: Option<&'a str>,
    title: &'a Option<String>,
    status: &'a Option<String>,
    severity: &'a Option<String>,
    date: &'a Option<String>,
    services: &'a [String],
    tags: &'a [String],
    authors: &'a [String],
    started_at: Option<String>,
    detected_at: Option<String>,
    acknowledged_at: Option<String>,
    escalated_at: Option<String>,
    mitigated_at: Option<String>,
    ended_at: Option<String>,
    stated_duration_minutes: Option<u32>,
    summary: &'a Option<String>,
    impact: &'a Option<String>,
    root_cause: &'a Option<String>,
    contributing_factors: &'a Option<String>,
    trigger: &'a Option<String>,
    detection: &'a Option<String>,
    resolution: &'a Option<String>,
    timeline: Vec<EntryView<'a>>,
    action_items: Vec<ActionView<'a>>,
    lessons: &'a Lessons,
    preamble: &'a Option<String>,
    sections: Vec<SectionView<'a>>,
    notes: &'a [Note],
}

#[derive(Serialize)]
struct EntryView<'a> {
    /// [`Stamp::instant`]: RFC 3339 with its offset, or a local date-time when no zone is named.
    at: Option<String>,
    /// The stamp as the document states it (`11:02 GMT`, `day+1 00:40`).
    time: Option<String>,
    zone_stated: bool,
    text: &'a str,
    kind: &'static str,
    line: usize,
}

#[derive(Serialize)]
struct ActionView<'a> {
    text: &'a str,
    owner: &'a Option<String>,
    due: &'a Option<String>,
    status: &'static str,
    kind: &'static str,
    tracker: &'a Option<String>,
    line: usize,
}

#[derive(Serialize)]
struct SectionView<'a> {
    heading: &'a str,
    kind: &'static str,
    line: usize,
}

/// The `debrief parse --json` object for one document.
pub fn parse_view<'a>(file: Option<&'a str>, parsed: &'a Parsed) -> ParseView<'a> {
    let p = &parsed.postmortem;
    let i = &p.instants;
    // The response instants as `debrief metrics` finds them, so the two commands agree; an
    // instant metrics cannot measure from (a stated midnight) is still shown as stated.
    let m = crate::metrics::instants(p);
    let at = |found: &Option<crate::metrics::Found>, own: &Option<Stamp>| {
        found
            .as_ref()
            .map(|f| f.at.instant())
            .or_else(|| own.as_ref().map(Stamp::instant))
    };
    ParseView {
        file,
        title: &p.title,
        status: &p.status,
        severity: &p.severity,
        date: &p.date,
        services: &p.services,
        tags: &p.tags,
        authors: &p.authors,
        started_at: at(&m.started, &i.started),
        detected_at: at(&m.detected, &i.detected),
        acknowledged_at: at(&m.acknowledged, &i.acknowledged),
        escalated_at: at(&m.escalated, &i.escalated),
        mitigated_at: at(&m.mitigated, &i.mitigated),
        ended_at: at(&m.resolved, &i.ended),
        stated_duration_minutes: p.stated_duration_minutes,
        summary: &p.summary,
        impact: &p.impact,
        root_cause: &p.root_cause,
        contributing_factors: &p.contributing_factors,
        trigger: &p.trigger,
        detection: &p.detection,
        resolution: &p.resolution,
        timeline: p
            .timeline
            .iter()
            .map(|e| EntryView {
                at: e.at.as_ref().map(Stamp::instant),
                time: e.at.as_ref().map(Stamp::to_string),
                zone_stated: e.at.as_ref().is_some_and(|a| a.zone.is_some()),
                text: &e.text,
                kind: e.kind.as_str(),
                line: e.line,
            })
            .collect(),
        action_items: p
            .action_items
            .iter()
            .map(|a| ActionView {
                text: &a.text,
                owner: &a.owner,
                due: &a.due,
                status: a.status.as_str(),
                kind: a.kind.as_str(),
                tracker: &a.tracker,
                line: a.line,
            })
            .collect(),
        lessons: &p.lessons,
        preamble: &p.preamble,
        sections: p
            .sections
            .iter()
            .map(|s| SectionView {
                heading: &s.heading,
                kind: s.kind.as_str(),
                line: s.line,
            })
            .collect(),
        notes: &parsed.notes,
    }
}
