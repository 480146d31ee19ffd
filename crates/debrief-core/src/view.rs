//! The flat JSON view that `debrief parse --json` prints: instants as RFC 3339, one object per
//! document. Built from a [`Parsed`]; the stable keys are listed in the README.

use serde_json::{Value, json};

use crate::import::Parsed;
use crate::time::Stamp;

fn rfc(s: &Option<Stamp>) -> Value {
    s.as_ref().and_then(Stamp::rfc3339).map_or(Value::Null, Value::String)
}

fn stamp_text(s: &Option<Stamp>) -> Value {
    s.as_ref().map_or(Value::Null, |s| Value::String(s.to_string()))
}

/// The `debrief parse --json` object for one document.
pub fn parse_view(file: Option<&str>, parsed: &Parsed) -> Value {
    let p = &parsed.postmortem;
    let i = &p.instants;
    json!({
        "file": file,
        "title": p.title,
        "status": p.status,
        "severity": p.severity,
        "date": p.date,
        "services": p.services,
        "tags": p.tags,
        "authors": p.authors,
        "started_at": rfc(&i.started),
        "detected_at": rfc(&i.detected),
        "acknowledged_at": rfc(&i.acknowledged),
        "escalated_at": rfc(&i.escalated),
        "mitigated_at": rfc(&i.mitigated),
        "ended_at": rfc(&i.ended),
        "stated_duration_minutes": p.stated_duration_minutes,
        "summary": p.summary,
        "impact": p.impact,
        "root_cause": p.root_cause,
        "contributing_factors": p.contributing_factors,
        "trigger": p.trigger,
        "detection": p.detection,
        "resolution": p.resolution,
        "timeline": p.timeline.iter().map(|e| json!({
            "at": rfc(&e.at),
            "time": stamp_text(&e.at),
            "zone_stated": e.at.as_ref().is_some_and(|a| a.zone.is_some()),
            "text": e.text,
            "kind": e.kind.as_str(),
            "line": e.line,
        })).collect::<Vec<_>>(),
        "action_items": p.action_items.iter().map(|a| json!({
            "text": a.text,
            "owner": a.owner,
            "due": a.due,
            "status": a.status.as_str(),
            "kind": a.kind.as_str(),
            "tracker": a.tracker,
            "line": a.line,
        })).collect::<Vec<_>>(),
        "lessons": p.lessons,
        "preamble": p.preamble,
        "sections": p.sections.iter().map(|s| json!({
            "heading": s.heading,
            "kind": s.kind.as_str(),
            "line": s.line,
        })).collect::<Vec<_>>(),
        "notes": parsed.notes,
    })
}
