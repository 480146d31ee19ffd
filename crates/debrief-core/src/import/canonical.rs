//! The strict reader for the canonical format written by [`crate::export::to_markdown`].
//!
//! Front matter with `schema_version` marks a canonical document. Sections are split only at the
//! `## heading` lines the front matter lists, in order, so a section's own text may contain any
//! Markdown. If the document does not follow the format (hand-edited beyond recognition), the
//! reader returns `None` with a note and the free-form importer reads it instead.

use serde_json::{Map, Value};

use super::actions;
use super::frontmatter;
use super::lines;
use crate::model::*;
use crate::time::{self, Stamp};

fn opt_string(fm: &Map<String, Value>, k: &str) -> Option<String> {
    fm.get(k).and_then(|v| match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    })
}

fn list(fm: &Map<String, Value>, k: &str) -> Vec<String> {
    fm.get(k).map(frontmatter::string_list).unwrap_or_default()
}

pub fn parse(
    fm: &Map<String, Value>,
    body: &str,
    body_line: usize,
    notes: &mut Vec<Note>,
) -> Option<Postmortem> {
    let fail = |notes: &mut Vec<Note>, what: String| {
        notes.push(Note::new(
            "canonical-format-broken",
            1,
            format!("the front matter says this is a Debrief document, but {what}; it was read as a free-form document instead"),
        ));
        None
    };
    let version = fm
        .get("schema_version")
        .and_then(Value::as_u64)
        .unwrap_or(0);
    if version != u64::from(SCHEMA_VERSION) {
        return fail(
            notes,
            format!(
                "its schema_version is {version} and this Debrief reads version {SCHEMA_VERSION}"
            ),
        );
    }
    let mut p = Postmortem {
        schema_version: SCHEMA_VERSION,
        title: opt_string(fm, "title"),
        status: opt_string(fm, "status"),
        severity: opt_string(fm, "severity"),
        date: opt_string(fm, "date"),
        services: list(fm, "services"),
        tags: list(fm, "tags"),
        authors: list(fm, "authors"),
        ..Postmortem::default()
    };
    let stamp = |k: &str| -> Result<Option<Stamp>, String> {
        match fm.get(k) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => time::parse_canonical(s)
                .map(Some)
                .ok_or_else(|| format!("`{k}: {s}` is not a time such as `2024-04-03 11:02 UTC`")),
            Some(other) => Err(format!("`{k}` is {other}, not a time")),
        }
    };
    let read = (|| -> Result<Instants, String> {
        Ok(Instants {
            started: stamp("started")?,
            detected: stamp("detected")?,
            acknowledged: stamp("acknowledged")?,
            escalated: stamp("escalated")?,
            mitigated: stamp("mitigated")?,
            ended: stamp("ended")?,
            derived: list(fm, "derived")
                .iter()
                .map(|n| {
                    InstantName::parse(n)
                        .ok_or_else(|| format!("`derived` names `{n}`, which is no instant"))
                })
                .collect::<Result<_, _>>()?,
        })
    })();
    match read {
        Ok(i) => p.instants = i,
        Err(e) => return fail(notes, e),
    }
    p.stated_duration_minutes = fm
        .get("stated_duration_minutes")
        .and_then(Value::as_u64)
        .map(|m| m as u32);
    if let Some(Value::Object(extra)) = fm.get("extra") {
        p.extra = extra.clone();
    }
    let mut expected: Vec<(SectionKind, String)> = Vec::new();
    if let Some(Value::Array(items)) = fm.get("sections") {
        for it in items {
            let kind = it
                .get("kind")
                .and_then(Value::as_str)
                .and_then(section_kind_from_name);
            let heading = it.get("heading").and_then(Value::as_str);
            match (kind, heading) {
                (Some(k), Some(h)) => expected.push((k, h.to_string())),
                _ => {
                    return fail(
                        notes,
                        format!("the section entry {it} needs a known `kind` and a `heading`"),
                    );
                }
            }
        }
    }

    // Sections are found by exact heading lines in the listed order, not by Markdown structure:
    // an unclosed code fence in one section must not swallow the next.
    let mut all = lines::split(body, body_line);
    all.iter_mut().for_each(|l| l.code = false);
    let headings: Vec<String> = expected.iter().map(|(_, h)| format!("## {h}")).collect();
    let counts: Option<Vec<usize>> =
        fm.get("sections")
            .and_then(Value::as_array)
            .and_then(|items| {
                items
                    .iter()
                    .map(|it| it.get("lines").and_then(Value::as_u64).map(|n| n as usize))
                    .collect()
            });
    let pinned = match (fm.get("preamble_lines").and_then(Value::as_u64), counts) {
        (Some(pre), Some(counts)) => split_pinned(&all, pre as usize, &counts, &headings),
        _ => None,
    };
    if let Some((pre_lines, chunks)) = pinned {
        return Some(finish(p, &pre_lines, expected, chunks));
    }
    // Headings inside a section's own code fences are text; if a section leaves a fence open,
    // fall back to matching heading lines anywhere.
    let (preamble, chunks) = match split_sections(&all, &headings, true) {
        Some(x) => x,
        None => match split_sections(&all, &headings, false) {
            Some(x) => x,
            None => {
                return fail(
                    notes,
                    "a section listed under `sections` in the front matter has no `## heading` line in the body (restore the heading, or remove the entry from `sections`)".to_string(),
                );
            }
        },
    };
    // The `# Title` line belongs to the front matter's title, not the preamble.
    let pre_lines: Vec<&str> = preamble;
    Some(finish(p, &pre_lines, expected, chunks))
}

fn split_pinned<'a>(
    all: &[lines::Line<'a>],
    pre: usize,
    counts: &[usize],
    headings: &[String],
) -> Option<Chunks<'a>> {
    let mut pos = pre;
    let preamble: Vec<&str> = all.get(..pre)?.iter().map(|l| l.text).collect();
    let mut chunks = Vec::new();
    for (n, h) in counts.iter().zip(headings) {
        // Every heading follows one blank line.
        if !all.get(pos)?.text.is_empty() {
            return None;
        }
        pos += 1;
        let head = all.get(pos)?;
        if head.text != h {
            return None;
        }
        chunks.push((head.no, all.get(pos + 1..pos + 1 + n)?.to_vec()));
        pos += 1 + n;
    }
    Some((preamble, chunks))
}

fn finish(
    mut p: Postmortem,
    preamble: &[&str],
    expected: Vec<(SectionKind, String)>,
    chunks: Vec<(usize, Vec<lines::Line<'_>>)>,
) -> Postmortem {
    let mut preamble: Vec<&str> = preamble.to_vec();
    while preamble.first().is_some_and(|l| l.trim().is_empty()) {
        preamble.remove(0);
    }
    if let (Some(t), Some(first)) = (&p.title, preamble.first())
        && *first == format!("# {}", t.replace('\n', " "))
    {
        preamble.remove(0);
    }
    let pre = lines::join_trimmed(preamble);
    if !pre.is_empty() {
        p.preamble = Some(pre);
    }
    let mut timeline_done = false;
    let mut actions_done = false;
    for ((kind, heading), (line, body)) in expected.into_iter().zip(chunks) {
        let mut rest: &[lines::Line<'_>] = &body;
        while rest.first().is_some_and(|l| l.blank) {
            rest = &rest[1..];
        }
        if kind == SectionKind::Timeline && !timeline_done {
            timeline_done = true;
            while let Some((entry, used)) = timeline_entry(rest) {
                p.timeline.push(entry);
                rest = &rest[used..];
            }
        }
        if kind == SectionKind::ActionItems && !actions_done {
            actions_done = true;
            while let Some(l) = rest.first() {
                let Some(item) = action_item(l.text, l.no) else {
                    break;
                };
                p.action_items.push(item);
                rest = &rest[1..];
            }
        }
        let text = lines::join_trimmed(rest.iter().map(|l| l.text));
        p.sections.push(Section {
            heading,
            kind,
            text,
            line,
        });
    }
    super::fill_prose(&mut p);
    p
}

type Chunks<'a> = (Vec<&'a str>, Vec<(usize, Vec<lines::Line<'a>>)>);

fn split_sections<'a>(
    all: &[lines::Line<'a>],
    headings: &[String],
    fences: bool,
) -> Option<Chunks<'a>> {
    let mut chunks: Vec<(usize, Vec<lines::Line<'a>>)> = Vec::new();
    let mut preamble = Vec::new();
    let mut next = 0;
    let mut in_fence: Option<String> = None;
    for l in all {
        if in_fence.is_none() && next < headings.len() && l.text == headings[next] {
            chunks.push((l.no, Vec::new()));
            next += 1;
            continue;
        }
        if fences {
            let t = l.text.trim_start();
            let marker: String = t.chars().take_while(|c| *c == '`' || *c == '~').collect();
            if marker.len() >= 3
                && marker
                    .chars()
                    .all(|c| c == marker.chars().next().unwrap_or('`'))
            {
                match &in_fence {
                    None => in_fence = Some(marker),
                    Some(open)
                        if t.trim_end()
                            == t.trim_end()
                                .chars()
                                .take_while(|c| *c == open.chars().next().unwrap_or('`'))
                                .collect::<String>()
                            && marker.len() >= open.len() =>
                    {
                        in_fence = None
                    }
                    Some(_) => {}
                }
            }
        }
        match chunks.last_mut() {
            Some((_, body)) => body.push(*l),
            None => preamble.push(l.text),
        }
    }
    (next == headings.len()).then_some((preamble, chunks))
}

fn section_kind_from_name(s: &str) -> Option<SectionKind> {
    use SectionKind as K;
    [
        K::Summary,
        K::Impact,
        K::Timeline,
        K::RootCause,
        K::ContributingFactors,
        K::RootCauseAndResolution,
        K::Trigger,
        K::Detection,
        K::Resolution,
        K::ActionItems,
        K::Lessons,
        K::WentWell,
        K::WentWrong,
        K::Lucky,
        K::Other,
    ]
    .into_iter()
    .find(|k| k.as_str() == s)
}

/// `- `STAMP` kind: text` plus indented continuation lines, the last of which may be a generated
/// entry's `(source: ..., link: ..., event: ..., hidden: true, starred: true)`. Returns the entry and lines used.
fn timeline_entry(ls: &[lines::Line<'_>]) -> Option<(TimelineEntry, usize)> {
    let first = ls.first()?;
    let rest = first.text.strip_prefix("- `")?;
    let (stamp, rest) = rest.split_once("` ")?;
    let at = if stamp == "unknown" {
        None
    } else {
        Some(time::parse_canonical(stamp)?)
    };
    let (kind, text) = rest.split_once(':')?;
    let kind = EventKind::from_name(kind)?;
    let mut text = text.strip_prefix(' ').unwrap_or(text).to_string();
    let mut used = 1;
    for l in &ls[1..] {
        match l.text.strip_prefix("  ") {
            Some(more) if !more.trim().is_empty() && !l.code => {
                text.push('\n');
                text.push_str(more);
                used += 1;
            }
            _ => break,
        }
    }
    let mut entry = TimelineEntry {
        at,
        text,
        kind,
        line: first.no,
        ..TimelineEntry::default()
    };
    if used > 1
        && let Some((before, last)) = entry.text.rsplit_once('\n')
        && let Some(fields) = last
            .strip_prefix('(')
            .and_then(|f| parse_fields(f, EVIDENCE_FIELDS))
    {
        entry.text = before.to_string();
        for (k, v) in fields {
            match k.as_str() {
                "source" => entry.source = Some(v),
                "link" => entry.link = Some(v),
                "hidden" => entry.hidden = v == "true",
                "starred" => entry.starred = v == "true",
                _ => entry.event = Some(v),
            }
        }
    }
    Some((entry, used))
}

/// `- [ ] text (owner: X, due: Y, kind: K, ...)`.
fn action_item(line: &str, no: usize) -> Option<ActionItem> {
    let rest = line.strip_prefix("- [")?;
    let (check, rest) = rest.split_at_checked(1)?;
    let rest = rest.strip_prefix("] ")?;
    let done = match check {
        "x" => true,
        " " => false,
        _ => return None,
    };
    // The last " (" whose remainder parses as fields.
    let mut candidates: Vec<usize> = rest.match_indices('(').map(|(i, _)| i).collect();
    candidates.reverse();
    for open in candidates {
        if open > 0 && rest.as_bytes()[open - 1] != b' ' {
            continue;
        }
        if let Some(fields) = parse_fields(&rest[open + 1..], ACTION_FIELDS) {
            let text = rest[..open].trim_end().to_string();
            let mut item = ActionItem {
                text,
                owner: None,
                due: None,
                status: if done {
                    ActionStatus::Done
                } else {
                    ActionStatus::Open
                },
                kind: ActionKind::Prevent,
                tracker: None,
                line: no,
            };
            for (k, v) in fields {
                match k.as_str() {
                    "owner" => item.owner = Some(v),
                    "due" => item.due = Some(v),
                    "status" => {
                        item.status = match v.as_str() {
                            "in_progress" => ActionStatus::InProgress,
                            "wont_do" => ActionStatus::WontDo,
                            "done" => ActionStatus::Done,
                            "open" => ActionStatus::Open,
                            _ => actions::parse_status(&v)?,
                        }
                    }
                    "kind" => item.kind = actions::parse_kind(&v)?,
                    "tracker" => item.tracker = Some(v),
                    _ => return None,
                }
            }
            return Some(item);
        }
    }
    None
}

/// The fields an action item's line ends with.
const ACTION_FIELDS: &[&str] = &["owner", "due", "status", "kind", "tracker"];
/// The fields of a generated timeline entry's last line.
const EVIDENCE_FIELDS: &[&str] = &["source", "link", "event", "hidden", "starred"];

/// `key: value, key: "quoted, value")` to the end of the string, each key one of `keys`.
fn parse_fields(s: &str, keys: &[&str]) -> Option<Vec<(String, String)>> {
    let mut out = Vec::new();
    let mut rest = s;
    loop {
        let (k, after) = rest.split_once(": ")?;
        if !keys.contains(&k) {
            return None;
        }
        let (value, after) = if after.starts_with('"') {
            let mut de = serde_json::Deserializer::from_str(after).into_iter::<String>();
            let v = de.next()?.ok()?;
            let used = de.byte_offset();
            (v, &after[used..])
        } else {
            let end = after.find([',', ')'])?;
            (after[..end].to_string(), &after[end..])
        };
        out.push((k.to_string(), value));
        if let Some(r) = after.strip_prefix(", ") {
            rest = r;
        } else if after == ")" {
            return Some(out);
        } else {
            return None;
        }
    }
}
