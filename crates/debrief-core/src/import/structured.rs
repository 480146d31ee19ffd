//! A postmortem kept as data: a YAML or JSON file whose top level maps a postmortem's fields
//! (`title`, `severity`, `summary`, `timeline` as a list of `{time, event}`, `action_items` as
//! a list of `{text, owner, due}`), as teams keep them beside code and incident tools export
//! them. It is written as the Markdown it stands for (a label line per short value, a section
//! per long text or list, a timeline entry per event, an action item per follow-up with its
//! owner and due date in brackets), so the rest of the importer reads it as any document.
//!
//! Only a mapping whose lists hold records (each key a field of an entry or an item) is taken
//! as data: `Key: value` lines, alone or over lists written as text, are what the label and
//! list readers already read, and YAML would misread them ("- 10:05: alert" as a mapping).

use serde_json::{Map, Value};

use super::vocab::{self, Strictness};
use crate::model::SectionKind;

/// The Markdown a YAML or JSON postmortem stands for; `None` when the text is not a mapping
/// holding structure (or is no YAML or JSON at all).
pub fn to_markdown(text: &str) -> Option<String> {
    let map = read(text)?;
    // Lists of records with the fields of an entry or an item ("time", "event", "owner"):
    // YAML also reads plain-text labels over a list ("Timeline:" then "- 10:05: alert fires"),
    // whose items come out as mappings keyed by their own words.
    if !keyed_lists(&map) {
        return None;
    }
    // Two keys must name parts of a postmortem, one of them its title or a section of it
    // (a summary, a timeline), so that an unrelated file (a compose file's `services`) is not
    // taken for one.
    let parts = map.keys().filter(|k| names_a_part(k)).count();
    if parts < 2 || !map.keys().any(|k| names_a_section(k)) {
        return None;
    }
    Some(document(&map))
}

/// The text's top-level mapping, read as JSON when it opens with `{`, else as YAML when its
/// first line of content is a `key:` line.
fn read(text: &str) -> Option<Map<String, Value>> {
    // Front matter over a document is the document's, not data.
    if super::frontmatter::split(text).yaml.is_some() {
        return None;
    }
    let t = text.trim_start();
    let value = if t.starts_with('{') {
        serde_json::from_str::<Value>(t).ok()?
    } else {
        let first = t
            .lines()
            .map(str::trim_end)
            .find(|l| !l.is_empty() && !l.starts_with('#') && *l != "---")?;
        // Read on every document: only text with a record in a list ("- time: 06:00") is
        // worth parsing as YAML.
        if !is_key_line(first)
            || !t
                .lines()
                .any(|l| l.trim_start().strip_prefix("- ").is_some_and(is_key_line))
        {
            return None;
        }
        serde_saphyr::from_str::<Value>(t).ok()?
    };
    match value {
        Value::Object(map) if map.len() >= 2 => Some(map),
        _ => None,
    }
}

/// Whether the mapping's lists (at the top or one level in) hold records, and every record's
/// keys are fields an entry or an item has.
fn keyed_lists(map: &Map<String, Value>) -> bool {
    let lists = map.values().flat_map(|v| match v {
        Value::Array(items) => vec![items],
        Value::Object(inner) => inner.values().filter_map(Value::as_array).collect(),
        _ => Vec::new(),
    });
    let mut records = 0;
    for items in lists {
        for item in items.iter().filter_map(Value::as_object) {
            if !item.keys().all(|k| {
                ITEM_KEYS
                    .iter()
                    .any(|keys| keys.contains(&norm(k).as_str()))
            }) {
                return false;
            }
            records += 1;
        }
    }
    records > 0
}

/// Every field an entry or an item may have.
const ITEM_KEYS: [&[&str]; 8] = [
    &TIME_KEYS,
    &DATE_KEYS,
    &TEXT_KEYS,
    &OWNER_KEYS,
    &DUE_KEYS,
    &STATUS_KEYS,
    &TICKET_KEYS,
    &[
        "kind", "type", "id", "priority", "severity", "actor", "author", "source", "category",
        "impact", "notes", "comment", "comments", "links", "tags", "zone", "timezone",
    ],
];

/// `title: ...`, `action_items:`, `"title": ...`: a key (letters, digits, `_`, `-`, spaces)
/// at the start of the line, then a colon ending the line or followed by a space.
fn is_key_line(line: &str) -> bool {
    let Some((key, rest)) = line.split_once(':') else {
        return false;
    };
    let key = key.trim_matches(['"', '\'']);
    !key.is_empty()
        && key.len() <= 40
        && key.starts_with(|c: char| c.is_ascii_alphabetic())
        && key
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | ' '))
        && (rest.is_empty() || rest.starts_with(' '))
}

/// "root_cause", "actionItems", "time-to-detect" as words: "Root cause", "Action items".
fn words_of(key: &str) -> String {
    let mut out = String::with_capacity(key.len() + 4);
    let mut prev_lower = false;
    for c in key.chars() {
        if matches!(c, '_' | '-') {
            out.push(' ');
            prev_lower = false;
            continue;
        }
        if c.is_uppercase() && prev_lower {
            out.push(' ');
        }
        prev_lower = c.is_lowercase();
        if out.is_empty() {
            out.extend(c.to_uppercase());
        } else {
            out.extend(c.to_lowercase());
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether a key names a field of a postmortem: its title, a section or a label.
fn names_a_part(key: &str) -> bool {
    names_a_section(key) || vocab::meta_label(&words_of(key)).is_some()
}

/// Whether a key names the title or a section of a postmortem.
fn names_a_section(key: &str) -> bool {
    TITLE_KEYS.contains(&norm(key).as_str())
        || vocab::section_kind(&words_of(key), Strictness::Label).is_some()
}

/// A key folded for comparison: lowercase letters and digits only.
fn norm(key: &str) -> String {
    key.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

const TITLE_KEYS: [&str; 5] = ["title", "name", "incidenttitle", "headline", "subject"];
const TIME_KEYS: [&str; 9] = [
    "time",
    "at",
    "timestamp",
    "when",
    "datetime",
    "occurredat",
    "start",
    "startedat",
    "created",
];
const DATE_KEYS: [&str; 2] = ["date", "day"];
const TEXT_KEYS: [&str; 14] = [
    "event",
    "text",
    "description",
    "what",
    "message",
    "summary",
    "action",
    "title",
    "task",
    "item",
    "details",
    "note",
    "body",
    "name",
];
const OWNER_KEYS: [&str; 7] = [
    "owner",
    "assignee",
    "assignedto",
    "dri",
    "responsible",
    "who",
    "team",
];
const DUE_KEYS: [&str; 6] = ["due", "duedate", "deadline", "by", "targetdate", "eta"];
const STATUS_KEYS: [&str; 3] = ["status", "state", "done"];
const TICKET_KEYS: [&str; 6] = ["ticket", "tracker", "issue", "link", "url", "jira"];

/// The first value under one of `keys` (folded) that reads as text.
fn field(map: &Map<String, Value>, keys: &[&str]) -> Option<String> {
    keys.iter().find_map(|want| {
        map.iter()
            .find(|(k, _)| norm(k) == *want)
            .and_then(|(_, v)| scalar(v))
    })
}

/// A string, number or boolean as text; `None` for null, lists and mappings.
fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A value short enough to be a label's (one line, a sentence at most).
fn short(s: &str) -> bool {
    !s.contains('\n') && s.len() <= 120
}

fn document(map: &Map<String, Value>) -> String {
    let mut out = String::new();
    let title = field(map, &TITLE_KEYS).filter(|t| short(t));
    if let Some(t) = &title {
        out.push_str("# ");
        out.push_str(t);
        out.push_str("\n\n");
    }
    // Labels first, then the sections in the file's order.
    let mut labels = String::new();
    let mut sections = String::new();
    for (key, value) in map {
        let words = words_of(key);
        if title.is_some() && TITLE_KEYS.contains(&norm(key).as_str()) {
            continue;
        }
        match value {
            Value::Array(items) => list(&mut sections, &words, items),
            Value::Object(inner) => {
                sections.push_str(&format!("## {words}\n\n"));
                for (k, v) in inner {
                    match scalar(v) {
                        Some(s) => sections.push_str(&format!("{}: {s}\n", words_of(k))),
                        None => {
                            if let Value::Array(items) = v {
                                list(&mut sections, &words_of(k), items);
                            }
                        }
                    }
                }
                sections.push('\n');
            }
            v => {
                if let Some(s) = scalar(v) {
                    if short(&s) && vocab::section_kind(&words, Strictness::Label).is_none() {
                        labels.push_str(&format!("{words}: {s}\n"));
                    } else {
                        sections.push_str(&format!("## {words}\n\n{s}\n\n"));
                    }
                }
            }
        }
    }
    if !labels.is_empty() {
        out.push_str(&labels);
        out.push('\n');
    }
    out.push_str(&sections);
    out
}

/// A list under its heading: timeline entries, action items, or plain items.
fn list(out: &mut String, heading: &str, items: &[Value]) {
    if items.is_empty() {
        return;
    }
    let kind = vocab::section_kind(heading, Strictness::Explicit);
    let timed = items.iter().any(|i| {
        i.as_object()
            .is_some_and(|m| field(m, &TIME_KEYS).is_some())
    });
    out.push_str(&format!("## {heading}\n\n"));
    for item in items {
        let line = match item {
            Value::Object(m)
                if kind == Some(SectionKind::Timeline) || (timed && kind.is_none()) =>
            {
                entry(m)
            }
            Value::Object(m) => follow_up(m),
            v => scalar(v).unwrap_or_default(),
        };
        if !line.is_empty() {
            out.push_str("- ");
            out.push_str(&line.replace('\n', " "));
            out.push('\n');
        }
    }
    out.push('\n');
}

/// "2024-09-14 06:00 Certificate expires": a timeline entry's stamp and text.
fn entry(m: &Map<String, Value>) -> String {
    let time = field(m, &TIME_KEYS);
    let date = field(m, &DATE_KEYS).filter(|d| time.as_ref().is_none_or(|t| !t.contains(d)));
    let text = field(m, &TEXT_KEYS).unwrap_or_else(|| others(m, &[&TIME_KEYS, &DATE_KEYS]));
    [date, time, Some(text)]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ")
}

/// "[x] Alert on expiry (owner: Noor, due: 2024-10-01) OPS-12": an action item with its
/// fields as the action reader knows them.
fn follow_up(m: &Map<String, Value>) -> String {
    let Some(text) = field(m, &TEXT_KEYS) else {
        return others(m, &[]);
    };
    let mut line = String::new();
    if let Some(status) = field(m, &STATUS_KEYS) {
        let done = matches!(
            status.to_ascii_lowercase().as_str(),
            "done" | "closed" | "complete" | "completed" | "resolved" | "fixed" | "true"
        );
        line.push_str(if done { "[x] " } else { "[ ] " });
    }
    line.push_str(&text);
    let fields: Vec<String> = [("owner", &OWNER_KEYS[..]), ("due", &DUE_KEYS[..])]
        .into_iter()
        .filter_map(|(label, keys)| field(m, keys).map(|v| format!("{label}: {v}")))
        .collect();
    if !fields.is_empty() {
        line.push_str(&format!(" ({})", fields.join(", ")));
    }
    if let Some(t) = field(m, &TICKET_KEYS) {
        line.push_str(" - ");
        line.push_str(&t);
    }
    line
}

/// The item's values other than those under `skip`, joined: an item with no field the
/// readers know still says what it holds.
fn others(m: &Map<String, Value>, skip: &[&[&str]]) -> String {
    m.iter()
        .filter(|(k, _)| !skip.iter().any(|keys| keys.contains(&norm(k).as_str())))
        .filter_map(|(_, v)| scalar(v))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_yaml_postmortem_becomes_markdown() {
        let md = to_markdown(
            "title: Expired certificate\nseverity: SEV2\nroot_cause: The renewal job was off.\ntimeline:\n  - time: \"06:00\"\n    event: Certificate expires\n  - time: \"06:12\"\n    event: Check alerts\naction_items:\n  - text: Re-enable the renewal job\n    owner: Platform team\n    status: done\n  - text: Alert before expiry\n    owner: Noor\n    due: 2024-10-01\n",
        )
        .unwrap();
        assert_eq!(
            md,
            "# Expired certificate\n\nSeverity: SEV2\n\n## Root cause\n\nThe renewal job was off.\n\n## Timeline\n\n- 06:00 Certificate expires\n- 06:12 Check alerts\n\n## Action items\n\n- [x] Re-enable the renewal job (owner: Platform team)\n- Alert before expiry (owner: Noor, due: 2024-10-01)\n\n"
        );
    }

    #[test]
    fn json_too_and_a_date_beside_the_time() {
        let md = to_markdown(
            r#"{"name": "Queue stall", "events": [{"date": "2024-08-08", "time": "02:14", "description": "Lag grows"}], "followUps": [{"title": "Dead-letter poison messages", "assignee": "Wei"}]}"#,
        )
        .unwrap();
        assert!(md.contains("# Queue stall\n"), "{md}");
        assert!(md.contains("- 2024-08-08 02:14 Lag grows\n"), "{md}");
        assert!(
            md.contains("## Follow ups\n\n- Dead-letter poison messages (owner: Wei)\n"),
            "{md}"
        );
    }

    #[test]
    fn text_and_other_data_are_not_postmortems() {
        // Labels alone are text the label reader reads.
        assert_eq!(to_markdown("Title: X\nSeverity: SEV2\n"), None);
        // Markdown, and a mapping naming nothing of a postmortem.
        assert_eq!(to_markdown("# Outage\n\n- 10:00 alert\n"), None);
        assert_eq!(
            to_markdown("services:\n  web:\n    image: nginx\nvolumes:\n  - data\n"),
            None
        );
        // Front matter over Markdown.
        assert_eq!(
            to_markdown("---\ntitle: X\ntags: [db]\n---\n# X\n\n## Timeline\n"),
            None
        );
        // Labels over lists written as text: YAML reads "- 10:05: alert fires" as a mapping
        // keyed "10:05", and plain lists hold no records.
        assert_eq!(
            to_markdown(
                "Title: Outage\nSeverity: SEV2\nTimeline:\n- 10:05: alert fires\nAction items:\n- Add canary (owner: Sam)\n"
            ),
            None
        );
        assert_eq!(
            to_markdown("Title: Outage\nTimeline:\n- 10:05 alert fires\n- 10:30 fixed\n"),
            None
        );
        // Not YAML at all.
        assert_eq!(to_markdown("Summary: it broke: twice\n- [x\n"), None);
    }
}
