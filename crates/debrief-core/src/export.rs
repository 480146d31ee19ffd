//! The canonical format: Markdown with YAML front matter, one file per postmortem.
//!
//! The front matter carries the fields that are not prose (title, instants, severity, the list of
//! sections); the body carries every section under a `##` heading, with the timeline and the action
//! items written in a strict form that [`crate::import`] reads back exactly:
//!
//! ```text
//! - `2024-04-03 11:02 GMT` symptom: Website becomes unresponsive
//! - [ ] Add disk alerts (owner: @sam, due: 2024-05-01, kind: detect)
//! ```
//!
//! The front matter is written as JSON values, which YAML 1.2 reads as they are: no quoting rules
//! to get wrong.

use serde_json::{Value, json};

use crate::model::*;
use crate::time::Stamp;

fn q(s: &str) -> String {
    Value::String(s.to_string()).to_string()
}

fn stamp_field(out: &mut String, key: &str, s: &Option<Stamp>) {
    if let Some(s) = s {
        out.push_str(&format!("{key}: {}\n", q(&s.to_string())));
    }
}

/// Writes a record in the canonical Markdown form.
pub fn to_markdown(p: &Postmortem) -> String {
    write_markdown(p, None)
}

/// [`to_markdown`] for a postmortem leaving a store: its front matter also carries the id and
/// the revision exported, so importing the file again updates that postmortem (a new revision
/// when it changed, nothing when it did not) instead of adding a copy. [`identity`] reads them.
///
/// [`identity`]: crate::import::identity
pub fn to_markdown_identified(p: &Postmortem, id: &str, revision: i64) -> String {
    write_markdown(p, Some((id, revision)))
}

fn write_markdown(p: &Postmortem, identity: Option<(&str, i64)>) -> String {
    let mut out = String::from("---\n");
    out.push_str(&format!("schema_version: {}\n", p.schema_version.max(1)));
    if let Some((id, revision)) = identity {
        out.push_str(&format!("id: {}\nrevision: {revision}\n", q(id)));
    }
    let opt = |out: &mut String, k: &str, v: &Option<String>| {
        if let Some(v) = v {
            out.push_str(&format!("{k}: {}\n", q(v)));
        }
    };
    opt(&mut out, "title", &p.title);
    opt(&mut out, "status", &p.status);
    opt(&mut out, "severity", &p.severity);
    opt(&mut out, "date", &p.date);
    for (k, v) in [
        ("services", &p.services),
        ("tags", &p.tags),
        ("authors", &p.authors),
    ] {
        if !v.is_empty() {
            out.push_str(&format!("{k}: {}\n", json!(v)));
        }
    }
    let i = &p.instants;
    stamp_field(&mut out, "started", &i.started);
    stamp_field(&mut out, "detected", &i.detected);
    stamp_field(&mut out, "acknowledged", &i.acknowledged);
    stamp_field(&mut out, "escalated", &i.escalated);
    stamp_field(&mut out, "mitigated", &i.mitigated);
    stamp_field(&mut out, "ended", &i.ended);
    if !i.derived.is_empty() {
        let names: Vec<&str> = i.derived.iter().map(|n| n.as_str()).collect();
        out.push_str(&format!("derived: {}\n", json!(names)));
    }
    if let Some(m) = p.stated_duration_minutes {
        out.push_str(&format!("stated_duration_minutes: {m}\n"));
    }
    // The body first: the front matter may need its line counts.
    let mut head = String::new();
    if let Some(t) = &p.title {
        head.push_str(&format!("\n# {}\n", single_line(t)));
    }
    if let Some(pre) = &p.preamble {
        head.push('\n');
        head.push_str(pre);
        head.push('\n');
    }
    let mut timeline_written = false;
    let mut actions_written = false;
    let mut chunks: Vec<String> = Vec::new();
    for s in &p.sections {
        let mut body = String::new();
        if s.kind == SectionKind::Timeline && !timeline_written {
            timeline_written = true;
            for e in &p.timeline {
                body.push_str(&timeline_line(e));
            }
        }
        if s.kind == SectionKind::ActionItems && !actions_written {
            actions_written = true;
            for a in &p.action_items {
                body.push_str(&action_line(a));
            }
        }
        if !s.text.is_empty() {
            if !body.is_empty() {
                body.push('\n');
            }
            body.push_str(&s.text);
            body.push('\n');
        }
        chunks.push(if body.is_empty() {
            body
        } else {
            format!("\n{body}")
        });
    }
    // A line of text identical to a heading line would be read as that heading: pin the layout
    // with line counts so the reader does not have to search.
    let heading_lines: Vec<String> = p
        .sections
        .iter()
        .map(|s| format!("## {}", s.heading))
        .collect();
    let collides = head
        .lines()
        .chain(chunks.iter().flat_map(|c| c.lines()))
        .any(|l| heading_lines.iter().any(|h| h == l));
    let count = |s: &str| s.matches('\n').count();
    if collides {
        out.push_str(&format!("preamble_lines: {}\n", count(&head)));
    }
    if !p.sections.is_empty() {
        out.push_str("sections:\n");
        for (s, chunk) in p.sections.iter().zip(&chunks) {
            let lines = if collides {
                format!(", \"lines\": {}", count(chunk))
            } else {
                String::new()
            };
            out.push_str(&format!(
                "  - {{\"kind\": \"{}\", \"heading\": {}{lines}}}\n",
                s.kind.as_str(),
                q(&s.heading)
            ));
        }
    }
    if !p.extra.is_empty() {
        out.push_str(&format!("extra: {}\n", Value::Object(p.extra.clone())));
    }
    out.push_str("---\n");
    out.push_str(&head);
    for (s, chunk) in p.sections.iter().zip(&chunks) {
        out.push_str(&format!("\n## {}\n", s.heading));
        out.push_str(chunk);
    }
    out
}

fn single_line(s: &str) -> String {
    s.replace('\n', " ")
}

/// `- `STAMP` kind: text` with further lines indented by two spaces; a generated or hidden entry
/// ends with a line `(source: ..., link: ..., event: ..., hidden: true, starred: true)`.
pub fn timeline_line(e: &TimelineEntry) -> String {
    let stamp =
        e.at.as_ref()
            .map_or_else(|| "unknown".to_string(), Stamp::to_string);
    let mut lines = e.text.lines();
    let first = lines.next().unwrap_or("");
    let mut s = format!("- `{stamp}` {}:", e.kind.as_str());
    if !first.is_empty() {
        s.push(' ');
        s.push_str(first);
    }
    s.push('\n');
    for l in lines {
        s.push_str("  ");
        s.push_str(l);
        s.push('\n');
    }
    let evidence: Vec<String> = [
        ("source", &e.source),
        ("link", &e.link),
        ("event", &e.event),
    ]
    .into_iter()
    .filter_map(|(k, v)| v.as_deref().map(|v| format!("{k}: {}", field_value(v))))
    .chain(e.hidden.then(|| "hidden: true".to_string()))
    .chain(e.starred.then(|| "starred: true".to_string()))
    .collect();
    if !evidence.is_empty() {
        s.push_str(&format!("  ({})\n", evidence.join(", ")));
    }
    s
}

fn field_value(v: &str) -> String {
    let plain = !v.is_empty() && !v.contains([',', '(', ')', '"', '\n']) && v.trim() == v;
    if plain { v.to_string() } else { q(v) }
}

/// `- [ ] text (owner: X, due: Y, status: in_progress, kind: detect, tracker: T)`.
pub fn action_line(a: &ActionItem) -> String {
    let check = if a.status == ActionStatus::Done {
        "x"
    } else {
        " "
    };
    let mut fields = Vec::new();
    if let Some(o) = &a.owner {
        fields.push(format!("owner: {}", field_value(o)));
    }
    if let Some(d) = &a.due {
        fields.push(format!("due: {}", field_value(d)));
    }
    if !matches!(a.status, ActionStatus::Open | ActionStatus::Done) {
        fields.push(format!("status: {}", a.status.as_str()));
    }
    fields.push(format!("kind: {}", a.kind.as_str()));
    if let Some(t) = &a.tracker {
        fields.push(format!("tracker: {}", field_value(t)));
    }
    let text = single_line(&a.text);
    let sep = if text.is_empty() { "" } else { " " };
    format!("- [{check}] {text}{sep}({})\n", fields.join(", "))
}

/// The record as JSON (pretty-printed), the shape described by the committed JSON Schema.
pub fn to_json(p: &Postmortem) -> String {
    serde_json::to_string_pretty(p)
        .unwrap_or_else(|e| format!("{{\"error\": {}}}", q(&e.to_string())))
}

/// The JSON Schema of the record, generated from the Rust types.
pub fn json_schema() -> String {
    let schema = schemars::schema_for!(Postmortem);
    let mut v = serde_json::to_value(&schema).unwrap_or(Value::Null);
    if let Value::Object(m) = &mut v {
        m.insert(
            "$id".into(),
            json!(format!(
                "https://debrief.invalid/schema/postmortem-v{SCHEMA_VERSION}.json"
            )),
        );
        m.insert(
            "title".into(),
            json!(format!(
                "Debrief postmortem record, version {SCHEMA_VERSION}"
            )),
        );
    }
    let mut s = serde_json::to_string_pretty(&v).unwrap_or_default();
    s.push('\n');
    s
}
