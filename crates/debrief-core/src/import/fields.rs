//! Stage 3 of the importer, field extraction (the facts stated outside the timeline): the
//! front matter's keys and the metadata labels anywhere in the text (`**Severity:** SEV2`,
//! `- **Time to resolve**: 27m`, `Resolved 2025-07-24 12:34` in a key-events summary).
//! Instants are kept as the pieces written; the importer places them on a date and in a zone
//! once the timeline is read.

use std::borrow::Cow;

use serde_json::{Map, Value};

use super::blocks::RawSection;
use super::timeline::{self, Context};
use super::{facts, frontmatter, lines, minutes_in, vocab};
use crate::model::{Postmortem, SectionKind};
use crate::time::{self, Date, Pieces};

/// Instants a source states outright: start, end, a date with a time (which may be the
/// start), and detection, acknowledgement, escalation or mitigation by name.
#[derive(Default)]
pub(super) struct Stated {
    pub start: Option<Pieces>,
    pub end: Option<Pieces>,
    pub date_time: Option<Pieces>,
    pub instants: Vec<(&'static str, Pieces)>,
    /// The day a blog post was published: the `date` of a site generator's front matter whose
    /// `layout` is a post's, which dates the post rather than the incident.
    pub posted: Option<Date>,
}

/// What the labels state beyond instants: the incident's day, and a "Time to resolve" that
/// stands for the incident's length when nothing else states one. The first label of each
/// kind wins.
#[derive(Default)]
pub(super) struct Labels {
    pub stated: Stated,
    pub date: Option<Date>,
    pub time_to_resolve: Option<u32>,
    /// "Closed at: 14:30": when the incident was closed, the end only when nothing else gives
    /// one.
    pub closed: Option<Pieces>,
    /// "Time to detection: 5 minutes": how long after the start the impact was noticed.
    pub time_to_detect: Option<u32>,
    /// The day a ticket or report was created ("Created: 07/Apr/26").
    pub created: Option<Date>,
    /// The order the document writes numeric dates in: "Event Start: 07/04/2026" in a
    /// document that also writes "23/03/2026" is the 7th of April.
    day_first: Option<bool>,
}

/// Reads the front matter's keys into the record (title aside) and `ctx` (date, zone); what
/// no field models is kept in `extra` as written.
pub(super) fn front_matter(
    fm: Map<String, Value>,
    p: &mut Postmortem,
    ctx: &mut Context,
) -> Stated {
    let mut fm_start: Option<Pieces> = None;
    let mut fm_end: Option<Pieces> = None;
    let mut fm_date_time: Option<Pieces> = None;
    let mut fm_instants: Vec<(&'static str, Pieces)> = Vec::new();
    let mut posted = None;
    let post = fm
        .get("layout")
        .and_then(frontmatter::scalar)
        .is_some_and(|l| {
            matches!(
                l.to_ascii_lowercase().as_str(),
                "post" | "posts" | "blog" | "article"
            )
        });
    let mut key = String::new();
    for (k, v) in fm {
        frontmatter::key_into(&k, &mut key);
        // The value as text, for the keys read below (title and unknown keys need none).
        let s = || frontmatter::scalar(&v);
        let stamp = || s().as_deref().and_then(time::stamp_prefix).map(|x| x.0);
        match key.as_str() {
            "title" | "name" => {}
            "status" | "state" => p.status = s(),
            "severity" | "sev" | "priority" | "level" => p.severity = s(),
            "services" | "service" | "affected" | "components" | "component" | "systems"
            | "product" | "products" => p.services.extend(frontmatter::string_list(&v)),
            "tags" | "categories" | "category" | "keywords" | "labels" => {
                p.tags.extend(frontmatter::string_list(&v))
            }
            "authors" | "author" | "owner" | "owners" | "createdby" => {
                p.authors.extend(frontmatter::string_list(&v))
            }
            "date" if post => match stamp().and_then(|pc| pc.date?.with_year(None)) {
                Some(d) => posted = Some(d),
                None => {
                    p.extra.insert(k, v);
                }
            },
            "date" | "incidentdate" => match stamp() {
                Some(pc) => {
                    if let Some(d) = pc.date.and_then(|d| d.with_year(None)) {
                        ctx.date = Some(d);
                        p.date = Some(d.to_string());
                    }
                    if pc.time.is_some() {
                        fm_date_time = Some(pc);
                    }
                }
                None => {
                    p.extra.insert(k, v);
                }
            },
            "starttime" | "start" | "started" | "startedat" | "startdate" | "began"
            | "incidentstart" | "impactstart" | "impactstartedat" | "impactbegan"
            | "outagestart" | "startedon" => match stamp() {
                Some(pc) => fm_start = Some(pc),
                None => {
                    p.extra.insert(k, v);
                }
            },
            "endtime" | "end" | "ended" | "endedat" | "enddate" | "resolvedwhen" | "resolvedat"
            | "incidentend" | "impactend" | "impactendedat" | "outageend" | "resolved"
            | "resolvedon" | "endedon" => match stamp() {
                Some(pc) => fm_end = Some(pc),
                None => {
                    p.extra.insert(k, v);
                }
            },
            "detected" | "detectedat" | "acknowledged" | "acknowledgedat" | "escalated"
            | "escalatedat" | "mitigated" | "mitigatedat" => match stamp() {
                Some(pc) => {
                    let which = match key.trim_end_matches("at") {
                        "detected" => "detected",
                        "acknowledged" => "acknowledged",
                        "escalated" => "escalated",
                        _ => "mitigated",
                    };
                    fm_instants.push((which, pc));
                }
                None => {
                    p.extra.insert(k, v);
                }
            },
            "duration" | "durationminutes" => match s().as_deref().and_then(minutes_in) {
                Some(m) => p.stated_duration_minutes = Some(m),
                None => {
                    p.extra.insert(k, v);
                }
            },
            "timezone" | "tz" | "zone" => match s().as_deref().and_then(time::parse_zone_label) {
                Some(z) => ctx.zone = Some(z),
                None => {
                    p.extra.insert(k, v);
                }
            },
            _ => {
                p.extra.insert(k, v);
            }
        }
    }
    // A tag that grades the incident: "severity/major", "sev1", "severity:high".
    if p.severity.is_none() {
        p.severity = p.tags.iter().find_map(|t| tag_severity(t));
    }
    // `resolved` is no key read above, so it is among the extra fields as written.
    if p.status.is_none() && p.extra.get("resolved").and_then(Value::as_bool) == Some(true) {
        p.status = Some("resolved".into());
        p.extra.remove("resolved");
    }

    Stated {
        start: fm_start,
        end: fm_end,
        date_time: fm_date_time,
        instants: fm_instants,
        posted,
    }
}

/// Reads the metadata labels of every section but timelines and action items (whose lists
/// hold entries and items, not labels); `demoted` are the key-events summaries set aside for a
/// fuller timeline, read as labels.
pub(super) fn labels(
    sections: &[RawSection<'_, '_>],
    demoted: &[usize],
    day_first: Option<bool>,
    p: &mut Postmortem,
) -> Labels {
    let mut found = Labels {
        day_first,
        ..Labels::default()
    };
    for (i, s) in sections.iter().enumerate() {
        // "## Severity" over "SEV-3": a heading naming a fact, its value on the line under it.
        if let Some(h) = s.heading.as_ref().filter(|h| h.inline.is_none())
            && let Some(value) = value_under(s.body)
        {
            read_label(&h.text, value, p, &mut found);
        }
        // "## Severity: High": a heading that is a fact with its value.
        if let Some(h) = s.heading.as_ref().filter(|h| h.inline.is_none())
            && let Some((label, value)) = lines::split_label(&h.text)
            && vocab::meta_label(&label).is_some()
        {
            read_label(&label, value, p, &mut found);
        }
        let in_list_section = matches!(
            s.kind(),
            Some(SectionKind::Timeline | SectionKind::ActionItems)
        );
        // Key-value tables hold labels too; an action items' table does not, and a timeline's
        // does only under a tool's milestones heading ("| Detected | 2024-02-02 08:40 |").
        let milestones = || {
            s.heading
                .as_ref()
                .is_some_and(|h| vocab::names_milestones(&h.text))
        };
        let mut table_rows = if s.kind() == Some(SectionKind::ActionItems)
            || (s.kind() == Some(SectionKind::Timeline) && !milestones())
        {
            Vec::new()
        } else {
            key_value_rows(s.body)
        }
        .into_iter()
        .peekable();
        // The indentation of the section's outermost list items: a list indented as a whole
        // ("  - **Duration:** ...") is no nested list.
        let outer = s
            .body
            .iter()
            .filter_map(|l| lines::list_item(l.text).map(|(indent, _, _)| indent))
            .min()
            .unwrap_or(0);
        for (j, l) in s.body.iter().enumerate() {
            if table_rows.peek().is_some_and(|row| row.0 == j) {
                // A row may hold several labels' values (a table of one row under its labels).
                while let Some((_, label, value)) = table_rows.next_if(|row| row.0 == j) {
                    read_label(label, &value, p, &mut found);
                }
                continue;
            }
            // A summary of key events set aside for a fuller timeline is read as labels, nested
            // items included ("  - Resolved: 2024-09-20 11:40").
            let indent = l.text.len() - l.text.trim_start().len();
            let nested = indent > outer
                && !(demoted.binary_search(&i).is_ok() && lines::list_item(l.text).is_some());
            if l.code || nested || in_pasted_commit(&s.body[..j]) {
                continue;
            }
            let src = match lines::list_item(l.text) {
                Some((_, _, rest)) => rest,
                None => l.text,
            };
            // A timeline's or an action list's lines are its entries and items; only a bold
            // label among them ("**Total impact duration:** 5h 26m") is a fact.
            // So is a line apart from the list that dates the incident ("Date of incident: 12
            // November 2024." under a plain-text timeline that runs to the next label).
            if in_list_section && !src.starts_with("**") && !dates_the_timeline(s, l.text) {
                continue;
            }
            // "> **Severity:** Minor": labels quoted as a callout.
            let src = src
                .trim_start()
                .strip_prefix('>')
                .map_or(src, str::trim_start);
            // "**Start:** 10:02 UTC · **End:** 10:47 UTC · **Status:** Resolved": several
            // labels on one line.
            if let Some(sep) = fact_separator(src) {
                if let Some(parts) = several_labels(src, sep) {
                    for (label, value) in parts {
                        read_label(&label, value, p, &mut found);
                    }
                    continue;
                }
                // "*Incident #482 · 2024-10-22 · SEV2 · 1h 47m*": facts between dots,
                // unlabelled.
                if let Some(parts) = dotted_facts(src, sep) {
                    for (label, value) in parts {
                        read_label(label, value, p, &mut found);
                    }
                    continue;
                }
            }
            // "Resolved 2025-07-24 12:34" in a key-events summary: the words before the stamp
            // name it.
            let labelled = lines::split_label(src)
                .or_else(|| dashed_label(src))
                .or_else(|| {
                    demoted
                        .binary_search(&i)
                        .is_ok()
                        .then(|| timeline::words_then_stamp(src))
                        .flatten()
                        .map(|(label, value)| (std::borrow::Cow::Borrowed(label), value))
                });
            let Some((label, value)) = labelled else {
                continue;
            };
            // "Start: 14:05 UTC, End: 15:20 UTC": a label line may hold more than one.
            if value.contains(':')
                && let Some(parts) = labels_in_a_row(src)
            {
                for (label, value) in parts {
                    read_label(&label, value, p, &mut found);
                }
                continue;
            }
            read_label(&label, value, p, &mut found);
        }
    }
    found
}

/// Whether `line`, in section `s`, is a timeline's line outside its list labelled as the
/// incident's date.
fn dates_the_timeline(s: &RawSection<'_, '_>, line: &str) -> bool {
    s.kind() == Some(SectionKind::Timeline)
        && lines::list_item(line).is_none()
        && lines::split_label(line)
            .is_some_and(|(label, _)| vocab::meta_label(&label) == Some(vocab::MetaLabel::Date))
}

/// Whether the line after `above` is a header of a commit pasted from `git log` ("commit
/// 9b3a7…" over "Author:" and "Date:"): its date is the commit's, not the incident's.
fn in_pasted_commit(above: &[lines::Line<'_>]) -> bool {
    above
        .iter()
        .rev()
        .take_while(|l| !l.blank)
        .take(3)
        .any(|l| {
            l.text.trim().strip_prefix("commit ").is_some_and(|id| {
                id.len() >= 7 && id.bytes().take_while(u8::is_ascii_hexdigit).count() >= 7
            })
        })
}

/// The one short line of a section, when that is all it holds: the value of a heading that
/// names a fact ("Severity" over "SEV-3").
fn value_under<'a>(body: &[lines::Line<'a>]) -> Option<&'a str> {
    let mut text = body.iter().filter(|l| !l.blank);
    let line = text.next()?;
    let value = line.text.trim();
    (text.next().is_none()
        && !line.code
        && value.split_whitespace().count() <= 8
        && lines::list_item(value).is_none())
    .then_some(value)
}

/// "Severity - SEV2", "Severity — Sev 2 (Major)": a metadata label apart from its short value
/// by a dash, as plain-text reports write it.
fn dashed_label(line: &str) -> Option<(std::borrow::Cow<'_, str>, &str)> {
    // The first dash of the line, whichever it is ("Severity — Sev 2 - major").
    let (at, sep) = [" - ", " – ", " — "]
        .into_iter()
        .filter_map(|sep| line.find(sep).map(|at| (at, sep)))
        .min()?;
    let (label, value) = (&line[..at], &line[at + sep.len()..]);
    let label = lines::stripped(label);
    (vocab::meta_label(&label).is_some()
        && label.split_whitespace().count() <= 3
        && (1..=6).contains(&value.split_whitespace().count()))
    .then_some((label, value))
}

/// "✅ Resolved", "🔴 SEV1": a mark before a value is no part of it (a value that is only a
/// mark stays as written).
fn unmarked(value: &str) -> String {
    match lines::after_marks(value) {
        "" => value.to_string(),
        kept => kept.to_string(),
    }
}

/// The grade a tag gives the incident: "severity/major" is "major", "sev-1" and "SEV1" are
/// themselves; `None` for a tag that grades nothing ("checkout", "severity").
fn tag_severity(tag: &str) -> Option<String> {
    let t = tag.trim();
    let lower = t.to_ascii_lowercase();
    if let Some(grade) = [
        "severity/",
        "severity:",
        "severity-",
        "severity_",
        "sev/",
        "sev:",
    ]
    .iter()
    .find_map(|p| lower.strip_prefix(p))
    {
        let grade = &t[t.len() - grade.len()..];
        return names_a_grade(grade).then(|| grade.to_string());
    }
    (lower.starts_with("sev") && facts::is_grade(t)).then(|| t.to_string())
}

/// A severity as written without the explanation after it: "Major (High Impact, Service
/// Degradation)" is "Major", "SEV2 - customer-facing outage" is "SEV2", "Low. We did not page
/// anyone." is "Low". A grade's own name after it stays: "SEV-2 (Major)", "2 - High". A
/// sentence that grades the incident is its grade: "This was classified as a Sev 2 incident."
fn grade(value: &str) -> String {
    if value.split_whitespace().nth(3).is_some()
        && let Some(graded) = facts::stated_severity(value)
    {
        return graded;
    }
    if let Some((head, tail)) = [" - ", " \u{2014} ", " \u{2013} ", ". ", ": ", "; ", ", "]
        .iter()
        .filter_map(|sep| value.split_once(sep))
        .min_by_key(|(head, _)| head.len())
        && names_a_grade(head.trim())
        && !names_a_grade(tail.trim().trim_end_matches('.'))
    {
        return head.trim().to_string();
    }
    // "Major incident": the grade of an incident.
    if let Some(graded) = value
        .trim()
        .strip_suffix(" incident")
        .or_else(|| value.trim().strip_suffix(" Incident"))
        .filter(|g| names_a_grade(g.trim()))
    {
        return graded.trim().to_string();
    }
    match value.split_once(" (") {
        Some((grade, remark))
            if !grade.trim().is_empty()
                && remark.trim_end().ends_with(')')
                && remark.split_whitespace().nth(1).is_some() =>
        {
            grade.trim().to_string()
        }
        _ => value.to_string(),
    }
}

/// Whether a word or two is a severity grade by itself: "SEV2", "Sev 1", "P1", "3", "High".
fn names_a_grade(s: &str) -> bool {
    facts::is_grade(s)
        || (s.len() <= 2 && !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
        || vocab::is_grade_word(s)
}

/// The span a value states as two times ("10:05–10:50 UTC", "Feb 15, 10:00 AM - Feb 16, 1:00
/// AM"): the start takes the end's zone, and its date, when it writes none of its own.
fn span_in(value: &str) -> Option<(Pieces, Pieces)> {
    let spans = time::scan(value);
    let [from, to] = &spans[..] else {
        return None;
    };
    if from.pieces.time.is_none() || to.pieces.time.is_none() {
        return None;
    }
    let mut start = from.pieces.clone();
    start.zone = start.zone.or_else(|| to.pieces.zone.clone());
    start.date = start.date.or(to.pieces.date);
    Some((start, to.pieces.clone()))
}

/// A stamp that is a moment, not a length written like a time: a time with its zone or date.
fn moment(pc: &Pieces) -> bool {
    pc.time.is_some() && (pc.zone.is_some() || pc.date.is_some())
}

/// What sets a line's facts apart, when it is a line of facts: " · ", " • ", " | " or " / " (a
/// table's row, opening with a pipe, is none).
fn fact_separator(line: &str) -> Option<&'static str> {
    // '|', '/', and the last bytes of '·' and '•' in UTF-8: most lines have none of them.
    let b = line.as_bytes();
    memchr::memchr3(b'|', 0xB7, 0xA2, b).or_else(|| memchr::memchr(b'/', b))?;
    if line.trim_start().starts_with('|') {
        return None;
    }
    // "Started: 14:02 UTC / Ended: 15:10 UTC": a slash too, when every part is a label (a
    // slash inside a value, "Services: API / Web", keeps the line one).
    [" · ", " • ", " | ", " / "]
        .into_iter()
        .find(|sep| line.contains(sep))
}

/// The labels of a line holding several, apart by a middle dot, a bullet or a bar, when
/// every part is a label.
fn several_labels<'a>(
    line: &'a str,
    sep: &str,
) -> Option<Vec<(std::borrow::Cow<'a, str>, &'a str)>> {
    line.split(sep)
        .map(lines::split_label)
        .collect::<Option<Vec<_>>>()
        .filter(|parts| parts.len() >= 2)
}

/// "Start: 14:05 UTC, End: 15:20 UTC", "Start: 14:05; End: 15:20", "**Started:** 14:05 UTC
/// **Ended:** 15:20 UTC": metadata labels in a row, apart by a comma, a semicolon or nothing
/// but the next bold label, when every part is one ("Date: June 10, 2024" is one label).
fn labels_in_a_row(line: &str) -> Option<Vec<(std::borrow::Cow<'_, str>, &str)>> {
    let parts: Vec<&str> = if line.contains(", ") {
        line.split(", ").collect()
    } else if line.contains("; ") {
        line.split("; ").collect()
    } else {
        // Cut before each " **" that opens a bold label, the marks kept with it.
        let mut parts = Vec::new();
        let mut from = 0;
        for (at, _) in line.match_indices(" **") {
            if at > from && line[at + 3..].contains(":**") {
                parts.push(&line[from..at]);
                from = at + 1;
            }
        }
        parts.push(&line[from..]);
        parts
    };
    if parts.len() < 2 {
        return None;
    }
    parts
        .into_iter()
        .map(|part| {
            lines::split_label(part.trim()).filter(|(label, _)| vocab::meta_label(label).is_some())
        })
        .collect()
}

/// A line of three or more short facts apart by dots or bars, none labelled: "*Incident #482 ·
/// Tuesday, 2024-10-22 · SEV2 · 1h 47m*". The parts that are a severity grade or a length alone,
/// as the labels they stand for.
fn dotted_facts<'a>(line: &'a str, sep: &str) -> Option<Vec<(&'static str, &'a str)>> {
    let t = line.trim();
    if t.len() > 160 {
        return None;
    }
    let t = t.trim_matches(['*', '_']);
    let parts: Vec<&str> = t
        .split(sep)
        .map(|s| s.trim().trim_matches(['*', '_']))
        .collect();
    if parts.len() < 3 {
        return None;
    }
    let facts: Vec<(&'static str, &str)> = parts
        .into_iter()
        .filter_map(|part| {
            if super::facts::is_grade(part) {
                Some(("severity", part))
            } else {
                let length = super::facts::durations(part)
                    .first()
                    .is_some_and(|&(_, from, to)| from == 0 && to == part.len());
                length.then_some(("duration", part))
            }
        })
        .collect();
    (!facts.is_empty()).then_some(facts)
}

/// Reads one `label: value` into the record or `found`, when the label is a metadata label.
fn read_label(label: &str, value: &str, p: &mut Postmortem, found: &mut Labels) {
    // "Impact: SEV2" grades the incident rather than describing its impact.
    let graded = || {
        vocab::grades_severity(label, &lines::strip_emphasis(value))
            .then_some(vocab::MetaLabel::Severity)
    };
    let Some(meta) = vocab::meta_label(label).or_else(graded) else {
        return;
    };
    let value = lines::strip_emphasis(lines::without_break(value));
    if value.is_empty() {
        return;
    }
    // "Start Time (UTC): 2024-01-09 10:00": the label may name the value's zone.
    let stamp = time::stamp_prefix(&value).map(|(mut pc, _)| {
        if pc.time.is_some() && pc.zone.is_none() && label.contains('(') {
            pc.zone = time::declared_zone(label);
        }
        pc.date = pc.date.map(|d| d.in_order(found.day_first));
        pc
    });
    use vocab::MetaLabel as M;
    match meta {
        M::Date => {
            // "When: 3 Jan 2024, 10:05–10:50 UTC" dates the incident and states its span.
            if let Some((from, to)) = span_in(&value) {
                found.stated.start = found.stated.start.take().or(Some(from));
                found.stated.end = found.stated.end.take().or(Some(to));
            }
            if let Some(pc) = &stamp {
                if let Some(d) = pc.date.and_then(|d| d.with_year(None)) {
                    found.date.get_or_insert(d);
                }
                if pc.time.is_some() && found.stated.date_time.is_none() {
                    found.stated.date_time = stamp.clone();
                }
            }
        }
        M::Severity => {
            p.severity.get_or_insert_with(|| grade(&unmarked(&value)));
        }
        M::Status => {
            p.status.get_or_insert_with(|| unmarked(&value));
        }
        M::Services => fill_list(&mut p.services, &value, &[',']),
        M::Authors => fill_list(&mut p.authors, &value, &[',', ';']),
        M::Tags => fill_list(&mut p.tags, &value, &[',']),
        M::Title => {
            // "# Incident Postmortem" over "Title: Checkout outage": a heading that names only
            // the kind of document gives way to the title the label names.
            if p.title.as_deref().is_none_or(vocab::names_the_document) {
                p.title = Some(unmarked(&value));
            }
        }
        M::Duration => {
            // "Duration: February 15, 2024, 10:00 AM - February 16, 2024, 1:00 AM (UTC)" states
            // the span; "21:45 to 23:28 UTC (103 minutes)" the span and the length, written as
            // one ("01:35" beside a span is one of its times).
            let span = span_in(&value);
            let spanned = span.is_some();
            if let Some((from, to)) = span {
                found.stated.start = found.stated.start.take().or(Some(from));
                found.stated.end = found.stated.end.take().or(Some(to));
            }
            if p.stated_duration_minutes.is_none() {
                p.stated_duration_minutes = if spanned {
                    super::facts::durations(&value).first().map(|d| d.0)
                } else {
                    minutes_in(&value)
                };
            }
        }
        // A metric filled with the moment it was reached: a time with its zone or its date
        // ("17:45 UTC"), where "01:50" is a length.
        M::TimeToResolve if stamp.as_ref().is_some_and(moment) => {
            found.stated.end = found.stated.end.take().or(stamp);
        }
        M::TimeToResolve => {
            found.time_to_resolve = found.time_to_resolve.or_else(|| minutes_in(&value));
        }
        M::TimeTo(instant) if stamp.as_ref().is_some_and(moment) => {
            found.stated.instants.extend(stamp.map(|s| (instant, s)));
        }
        M::TimeTo("detected") => {
            found.time_to_detect = found.time_to_detect.or_else(|| minutes_in(&value));
        }
        M::TimeTo(_) => {}
        M::Created => {
            if let Some(d) = stamp.and_then(|pc| pc.date?.with_year(None)) {
                found.created.get_or_insert(d);
            }
        }
        M::Start => found.stated.start = found.stated.start.take().or(stamp),
        M::End => found.stated.end = found.stated.end.take().or(stamp),
        M::Closed => found.closed = found.closed.take().or(stamp),
        M::Detected => found.stated.instants.extend(stamp.map(|s| ("detected", s))),
        M::Acknowledged => found
            .stated
            .instants
            .extend(stamp.map(|s| ("acknowledged", s))),
        M::Escalated => found
            .stated
            .instants
            .extend(stamp.map(|s| ("escalated", s))),
        M::Mitigated => found
            .stated
            .instants
            .extend(stamp.map(|s| ("mitigated", s))),
    }
}

/// The rows of a section's key-value tables, as (line index, label, value): tables of two
/// columns at least two of whose rows (the header row included) name a metadata label in their
/// first cell and give it a value (`| Severity | P2 |`), as page-properties and incident-summary
/// tables do. A table of data whose header happens to name one (`| Status | Requests |`) has
/// one such row and is not read.
fn key_value_rows<'a>(body: &[lines::Line<'a>]) -> Vec<(usize, &'a str, Cow<'a, str>)> {
    let mut rows = Vec::new();
    let mut i = 0;
    while i < body.len() {
        let end = lines::table_end(body, i);
        if end == i {
            i += 1;
            continue;
        }
        let mut pairs = Vec::new();
        let mut two_columns = true;
        // "| Milestone | Time (UTC) |": the zone of the values' header, for times without one.
        let header_zone = lines::table_cells(body[i].text)
            .and_then(|cells| cells.get(1).and_then(|c| time::declared_zone(c)));
        for (k, row) in body.iter().enumerate().take(end).skip(i) {
            if lines::is_table_separator(row.text) {
                continue;
            }
            match lines::table_cells(row.text).as_deref() {
                Some([label, value]) => {
                    if !value.is_empty() && vocab::meta_label(label).is_some() {
                        let value = match &header_zone {
                            Some(z)
                                if time::scan(value).first().is_some_and(|f| {
                                    f.pieces.time.is_some() && f.pieces.zone.is_none()
                                }) =>
                            {
                                Cow::Owned(format!("{value} {}", z.label))
                            }
                            _ => Cow::Borrowed(*value),
                        };
                        pairs.push((k, *label, value));
                    }
                }
                _ => two_columns = false,
            }
        }
        if two_columns && pairs.len() >= 2 {
            rows.extend(pairs);
        } else {
            rows.extend(one_row_of_labels(body, i, end));
        }
        i = end;
    }
    rows
}

/// "| Severity | Status |" over one row "| SEV3 | Resolved |": a table whose header names labels
/// (two at least, half its columns or more) and whose one row holds their values.
fn one_row_of_labels<'a>(
    body: &[lines::Line<'a>],
    start: usize,
    end: usize,
) -> Vec<(usize, &'a str, Cow<'a, str>)> {
    let rows: Vec<(usize, Vec<&'a str>)> = (start..end)
        .filter(|&k| !lines::is_table_separator(body[k].text))
        .filter_map(|k| Some((k, lines::table_cells(body[k].text)?)))
        .collect();
    let [(_, header), (k, values)] = rows.as_slice() else {
        return Vec::new();
    };
    let labelled = header
        .iter()
        .filter(|h| vocab::meta_label(h).is_some())
        .count();
    if header.len() != values.len() || labelled < 2 || labelled * 2 < header.len() {
        return Vec::new();
    }
    header
        .iter()
        .zip(values)
        .filter(|(h, v)| !v.is_empty() && vocab::meta_label(h).is_some())
        .map(|(h, v)| (*k, *h, Cow::Borrowed(*v)))
        .collect()
}

/// A list label (`Services: api, db`) fills its field when nothing filled it before: the items
/// between the separators, trimmed of spaces and code marks.
fn fill_list(slot: &mut Vec<String>, value: &str, separators: &[char]) {
    if slot.is_empty() {
        *slot = value
            .split(separators)
            .map(|x| x.trim().trim_matches('`').to_string())
            .filter(|x| !x.is_empty())
            .collect();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::{blocks, lines};

    fn labels_of(doc: &str) -> (Postmortem, Labels) {
        let all = lines::split(doc, 1);
        let mut outline = blocks::outline(&all, None);
        let (sections, _) = outline.sections(false);
        let mut p = Postmortem::default();
        let l = labels(&sections, &[], None, &mut p);
        (p, l)
    }

    #[test]
    fn unlabelled_facts_between_dots() {
        let (p, _) = labels_of(
            "# Cache stampede\n\n*Incident #482 · Tuesday, 2024-10-22 · SEV2 · 1h 47m*\n\nText.\n",
        );
        assert_eq!(p.severity.as_deref(), Some("SEV2"));
        assert_eq!(p.stated_duration_minutes, Some(107));
        // Words between dots are no facts.
        let (p, _) = labels_of("# Cache stampede\n\nAPI · cache · database\n");
        assert_eq!((p.severity, p.stated_duration_minutes), (None, None));
    }

    #[test]
    fn a_date_label_after_a_plain_timeline_dates_the_incident() {
        // A plain-text timeline runs to the next label, so the date line falls inside it.
        let doc = "# T\n\nTimeline:\n- Config reverted (14:29 UTC)\n\nDate of incident: 12 November 2024.\n\nRoot cause: a typo.\n";
        let (_, l) = labels_of(doc);
        assert_eq!(l.date.map(|d| d.to_string()).as_deref(), Some("2024-11-12"));
        // The timeline's own lines are entries, not labels.
        let (_, l) = labels_of("# T\n\n## Timeline\n\n- Date: 12 November 2024, config reverted\n");
        assert_eq!(l.date, None);
    }

    #[test]
    fn labels_state_facts_and_instants() {
        let (p, l) = labels_of(
            "# T\n\n**Severity:** SEV2\n- **Time to resolve**: 1h 50m\n- **Start time:** 2024-03-02 10:00 UTC\n",
        );
        assert_eq!(p.severity.as_deref(), Some("SEV2"));
        assert_eq!(l.time_to_resolve, Some(110));
        assert_eq!(l.stated.start.unwrap().time, time::Time::new(10, 0, 0));
        // An impact window states the span.
        let (_, l) = labels_of("# T\n\n**Customer impact window:** 2024-09-03 14:07–14:52 UTC\n");
        assert_eq!(l.stated.start.unwrap().time, time::Time::new(14, 7, 0));
        assert_eq!(l.stated.end.unwrap().time, time::Time::new(14, 52, 0));
        // A date label that states the span as well.
        let (_, l) = labels_of("# T\n\nWhen: 3 Jan 2024, 10:05–10:50 UTC\n");
        assert_eq!(l.date.map(|d| d.to_string()).as_deref(), Some("2024-01-03"));
        assert_eq!(l.stated.start.unwrap().time, time::Time::new(10, 5, 0));
        assert_eq!(l.stated.end.unwrap().time, time::Time::new(10, 50, 0));
        // Graded under other names.
        for (doc, want) in [
            ("# T\n\nImpact level: High\n", "High"),
            ("# T\n\nCriticality: Critical\n", "Critical"),
            ("# T\n\n**Impact**: SEV2\n\nUsers saw errors.\n", "SEV2"),
            ("# T\n\nImpact: S3 (minor)\n", "S3 (minor)"),
            ("# T\n\n**Impact:** High\n", "High"),
            ("# T\n\nImpact severity: medium\n", "medium"),
            (
                "# T\n\n**Severity:** This was classified as a Sev 2 incident.\n",
                "Sev 2",
            ),
            (
                "# T\n\nSeverity: SEV2 - customer-facing outage affecting checkout\n",
                "SEV2",
            ),
            ("# T\n\nSeverity: Low. We did not page anyone.\n", "Low"),
            (
                "# T\n\nSeverity: High — checkout down for all users\n",
                "High",
            ),
            ("# T\n\nSeverity: 2 - High\n", "2 - High"),
            ("# T\n\nSeverity/Priority: P2\n", "P2"),
            ("# T\n\nClassification: SEV 3\n", "SEV 3"),
            // The grade before its gloss, or of an incident.
            ("# T\n\nImpact: P1 - customer facing\n", "P1"),
            ("# T\n\nClassification: Major incident\n", "Major"),
            // Apart by a dash, or under a heading of its own.
            ("# T\n\nSeverity — Sev 2 (Major)\n", "Sev 2 (Major)"),
            ("# T\n\nSeverity — Sev 2 - major\n", "Sev 2 - major"),
            ("# T\n\n## Severity\n\nSEV-3\n\n## Summary\n\nx\n", "SEV-3"),
            ("# T\n\n## Severity: High\n\n## Summary\n\nx\n", "High"),
            // A line break written in HTML after the value.
            (
                "# T\n\n**Severity**: SEV2<br />\n**Status**: Resolved\n",
                "SEV2",
            ),
            ("# T\n\nSeverity: P1 <BR>\n", "P1"),
            // Labels quoted as a callout.
            (
                "# T\n\n> **Severity:** Minor\n> **Date:** 2024-01-02\n",
                "Minor",
            ),
        ] {
            let (p, _) = labels_of(doc);
            assert_eq!(p.severity.as_deref(), Some(want), "{doc}");
        }
        let (p, _) = labels_of("# T\n\nImpact: Users could not log in.\n");
        assert_eq!(p.severity, None);
        let (p, _) = labels_of("# T\n\nClassification: Security incident\n");
        assert_eq!(p.severity, None);
        // A tag that grades the incident.
        for (tags, want) in [
            ("[incident, severity/major]", Some("major")),
            ("[sev1, checkout]", Some("sev1")),
            ("[\"severity:High\"]", Some("High")),
            ("[severity, checkout, several]", None),
        ] {
            let doc = format!("---\ntitle: T\ntags: {tags}\n---\n\nText.\n");
            let p = crate::import::parse(&doc).postmortem;
            assert_eq!(p.severity.as_deref(), want, "{tags}");
        }
        // Response metrics filled with the moments they were reached; a length stays one.
        let (_, l) = labels_of(
            "# T

- Time to detect: 16:29 UTC
- Time to acknowledge: 0:02
- Time to mitigate: 2024-06-11 17:10 UTC
- Time to resolve: 17:45 UTC
",
        );
        let kinds: Vec<&str> = l.stated.instants.iter().map(|(k, _)| *k).collect();
        assert_eq!(kinds, ["detected", "mitigated"]);
        assert_eq!(l.stated.end.unwrap().time, time::Time::new(17, 45, 0));
        assert_eq!(l.time_to_resolve, None);
    }

    #[test]
    fn several_labels_on_one_line() {
        let (p, l) = labels_of(
            "# T\n\n**Start:** 2024-07-09 15:20 UTC · **End:** 2024-07-09 16:05 UTC · **Duration:** 0:45 · **Status:** ✅ Resolved\n\nSeverity: 🔴 SEV1 | Time to resolve: 1h35\n",
        );
        assert_eq!(l.stated.start.unwrap().time, time::Time::new(15, 20, 0));
        assert_eq!(l.stated.end.unwrap().time, time::Time::new(16, 5, 0));
        assert_eq!(p.stated_duration_minutes, Some(45));
        assert_eq!(p.status.as_deref(), Some("Resolved"));
        assert_eq!(p.severity.as_deref(), Some("SEV1"));
        assert_eq!(l.time_to_resolve, Some(95));
        // Hours and minutes with spaces around the "h".
        let (p, _) = labels_of("# T\n\nDuration: 1 h 15\n");
        assert_eq!(p.stated_duration_minutes, Some(75));
        // A value with a bar in it is one label's, when what follows the bar is no label.
        let (p, _) = labels_of("# T\n\nStatus: open | see the tracker for more\n");
        assert_eq!(p.status.as_deref(), Some("open | see the tracker for more"));
        let (p, l) =
            labels_of("# T\n\nStarted: 14:02 UTC / Ended: 15:10 UTC\nServices: API / Web\n");
        assert_eq!(l.stated.start.unwrap().time, time::Time::new(14, 2, 0));
        assert_eq!(l.stated.end.unwrap().time, time::Time::new(15, 10, 0));
        assert_eq!(p.services, ["API / Web"]);
        // Apart by a comma, a semicolon, or only the next bold label.
        for line in [
            "Start: 14:05 UTC, End: 15:20 UTC",
            "Start: 14:05 UTC; End: 15:20 UTC",
            "**Started:** 14:05 UTC **Ended:** 15:20 UTC",
        ] {
            let (_, l) = labels_of(&format!("# T\n\n{line}\n"));
            assert_eq!(
                (l.stated.start.unwrap().time, l.stated.end.unwrap().time),
                (time::Time::new(14, 5, 0), time::Time::new(15, 20, 0)),
                "{line}"
            );
        }
        // A comma inside one label's value keeps the line one label.
        let (p, _) = labels_of("# T\n\nServices: api, web: public, Owner: x\n");
        assert_eq!(p.services, ["api", "web: public", "Owner: x"]);
    }

    #[test]
    fn a_label_that_names_a_section_but_states_a_time_is_a_label() {
        let (_, l) = labels_of(
            "# T\n\nStart Time: Mon 4 Nov 2024 13:20 GMT\nDetected: Mon 4 Nov 2024 13:31 GMT\nMitigation: 14:02 GMT\n\nDetection\nA customer called.\n",
        );
        let kinds: Vec<&str> = l.stated.instants.iter().map(|(k, _)| *k).collect();
        assert_eq!(kinds, ["detected", "mitigated"]);
        assert_eq!(l.stated.instants[0].1.time, time::Time::new(13, 31, 0));
        // With prose after it, the label heads its section as before.
        let all = lines::split("# T\n\nDetection: a customer called at 13:31.\n", 1);
        let mut outline = blocks::outline(&all, None);
        let (sections, _) = outline.sections(false);
        assert!(
            sections
                .iter()
                .any(|s| s.kind() == Some(SectionKind::Detection))
        );
    }

    #[test]
    fn key_value_tables_state_labels() {
        // The header row is a pair too when it names a label; emphasis is set aside.
        let (p, l) = labels_of(
            "# T\n\n| **Severity** | P2 |\n|---|---|\n| Status | Resolved |\n| Incident end | 2024-05-03 01:10 UTC |\n| Duration | 80 minutes |\n",
        );
        assert_eq!(p.severity.as_deref(), Some("P2"));
        assert_eq!(p.status.as_deref(), Some("Resolved"));
        assert_eq!(p.stated_duration_minutes, Some(80));
        assert_eq!(l.stated.end.unwrap().time, time::Time::new(1, 10, 0));
        // A generic header (`Field | Value`) is no pair; the rows below it are.
        let (p, _) = labels_of(
            "# T\n\n| Field | Value |\n|---|---|\n| Severity | SEV1 |\n| Service | api |\n",
        );
        assert_eq!(p.severity.as_deref(), Some("SEV1"));
        assert_eq!(p.services, ["api"]);
        // Labels over one row of their values.
        let (p, _) = labels_of(
            "# T\n\n| Severity | Status | Notes |\n|---|---|---|\n| SEV3 | Resolved | none |\n",
        );
        assert_eq!(p.severity.as_deref(), Some("SEV3"));
        assert_eq!(p.status.as_deref(), Some("Resolved"));
        // Two rows of data are a table of data.
        let (p, _) = labels_of(
            "# T\n\n| Severity | Status |\n|---|---|\n| SEV3 | Resolved |\n| SEV1 | Open |\n",
        );
        assert_eq!(p.severity, None);
    }

    #[test]
    fn a_table_of_data_is_not_read_as_labels() {
        // One row names a label (the header): a table of figures, not of properties.
        let (p, _) = labels_of(
            "# T\n\n## Impact\n\n| Status | Requests |\n|---|---|\n| 200 | 10,000 |\n| 503 | 2,400 |\n",
        );
        assert_eq!(p.status, None);
        // Three columns: not a key-value table, whatever its first column says.
        let (p, _) =
            labels_of("# T\n\n| Severity | P1 | paged |\n|---|---|---|\n| Status | open | yes |\n");
        assert_eq!((p.severity, p.status), (None, None));
    }

    #[test]
    fn a_duration_label_with_a_span_states_start_and_end() {
        let (p, l) = labels_of(
            "# T\n\n- **Duration:** March 10, 2025, 02:30 AM - March 10, 2025, 05:45 AM (UTC)\n",
        );
        assert_eq!(p.stated_duration_minutes, None);
        let start = l.stated.start.unwrap();
        assert_eq!(start.time, time::Time::new(2, 30, 0));
        // The zone written once after the span applies to both ends.
        assert_eq!(start.zone.unwrap().offset_minutes, 0);
        assert_eq!(l.stated.end.unwrap().time, time::Time::new(5, 45, 0));
    }

    #[test]
    fn a_status_page_front_matter_dates_the_incident() {
        let fm: Map<String, Value> = serde_json::from_str(
            r#"{"date": "2022-02-11T02:14:00-00:00", "resolvedWhen": "2022-02-14T19:00:00-00:00", "severity": "disrupted"}"#,
        )
        .unwrap();
        let mut p = Postmortem::default();
        let mut ctx = Context::default();
        let stated = front_matter(fm, &mut p, &mut ctx);
        assert_eq!(p.severity.as_deref(), Some("disrupted"));
        assert!(stated.date_time.is_some() && stated.end.is_some());
        assert_eq!(ctx.date, Date::new(2022, 2, 11));
    }
}
