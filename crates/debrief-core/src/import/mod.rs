//! The importer: any postmortem text in, a [`Postmortem`] plus [`Note`]s out.
//!
//! [`parse`] is total: it never fails and never panics, whatever the bytes. What it cannot
//! understand it keeps verbatim (in `sections`, `preamble` or `extra`) and explains in a note.
//! Documents written by [`crate::export::to_markdown`] (front matter with `schema_version`) are
//! read by the strict reader in [`canonical`], so export then import is exact.

mod actions;
mod asciidoc;
mod blocks;
pub(crate) mod canonical;
pub(crate) mod classify;
mod email;
pub(crate) mod facts;
mod fields;
pub(crate) mod frontmatter;
pub mod html;
mod jira;
pub(crate) mod lines;
mod mediawiki;
mod org;
mod pasted;
mod relative;
mod roles;
mod structured;
pub(crate) mod timeline;
mod vocab;

pub use classify::{action_kind, event_kind};
pub use facts::durations;
pub use timeline::{chronological, entry_stamp, order as order_timeline};

use serde_json::{Map, Value};

use crate::model::*;
use crate::time::{self, Date, Pieces, Stamp};
use lines::Line;
use timeline::{Clock, Context};

/// What [`parse`] returns: the record, and what the reader should know about how it was read.
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed {
    pub postmortem: Postmortem,
    pub notes: Vec<Note>,
}

/// Reads a postmortem in any of the formats people write. Never fails.
/// Whether `text` is a postmortem kept as YAML or JSON data (a mapping naming its title or a
/// section and holding lists), which [`parse`] reads as the Markdown it stands for.
pub fn is_data(text: &str) -> bool {
    structured::to_markdown(text).is_some()
}

pub fn parse(text: &str) -> Parsed {
    parse_source(text, None)
}

/// [`parse`] for a document read from a file: a date in its name (`2023-05-04-db-outage.md`)
/// dates the incident when the text itself gives only times.
pub fn parse_named(text: &str, name: &str) -> Parsed {
    parse_source(text, Some(name))
}

/// The identity a document exported from a store carries in its canonical front matter
/// ([`crate::export::to_markdown_identified`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    pub id: String,
    /// The revision the file was exported at, when it says.
    pub revision: Option<i64>,
}

/// The id (and revision) in a canonical document's front matter: `None` for documents without
/// one, and for other tools' front matter (an `id:` means Debrief's only beside
/// `schema_version`). An id that is not a string of letters, digits, `-` and `_` (at most 64) is
/// an error saying so.
pub fn identity(text: &str) -> Result<Option<Identity>, String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let split = frontmatter::split(text);
    let mut notes = Vec::new();
    let Some(fm) = split.fields(&mut notes) else {
        return Ok(None);
    };
    if !fm.contains_key("schema_version") {
        return Ok(None);
    }
    let id = match fm.get("id") {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::String(id)) => id,
        Some(other) => return Err(format!("front matter `id: {other}` is not a Debrief id")),
    };
    let well_formed = !id.is_empty()
        && id.len() <= 64
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if !well_formed {
        return Err(format!(
            "front matter `id: {id}` is not a Debrief id (letters, digits, `-` and `_`, at most 64); remove the line to import the file as a new postmortem"
        ));
    }
    let revision = match fm.get("revision") {
        None | Some(Value::Null) => None,
        Some(v) => Some(v.as_i64().filter(|r| *r >= 1).ok_or_else(|| {
            format!("front matter `revision: {v}` is not a revision number (1 or more)")
        })?),
    };
    Ok(Some(Identity {
        id: id.clone(),
        revision,
    }))
}

/// A markup read as the Markdown it stands for: its name in the note saying so, the note's
/// code, how it is known and how it is converted.
struct Markup {
    name: &'static str,
    code: &'static str,
    detect: fn(&str) -> bool,
    convert: fn(&str) -> String,
}

const MARKUPS: [Markup; 5] = [
    Markup {
        name: "HTML",
        code: "html-read-as-markdown",
        detect: html::looks_like_html,
        convert: html::to_markdown,
    },
    Markup {
        name: "AsciiDoc",
        code: "asciidoc-read-as-markdown",
        detect: asciidoc::looks_like_asciidoc,
        convert: asciidoc::to_markdown,
    },
    Markup {
        name: "Org mode",
        code: "org-read-as-markdown",
        detect: org::looks_like_org,
        convert: org::to_markdown,
    },
    Markup {
        name: "Jira or Confluence wiki markup",
        code: "wiki-markup-read-as-markdown",
        detect: jira::looks_like_jira,
        convert: jira::to_markdown,
    },
    Markup {
        name: "MediaWiki markup",
        code: "mediawiki-read-as-markdown",
        detect: mediawiki::looks_like_mediawiki,
        convert: mediawiki::to_markdown,
    },
];

fn parse_source(text: &str, name: Option<&str>) -> Parsed {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut notes = Vec::new();
    // Old Mac files end lines with CR alone: read them as lines (CRLF needs nothing: the line
    // reader drops a CR before each LF).
    let unix;
    let b = text.as_bytes();
    let lone_cr = memchr::memchr_iter(b'\r', b).any(|i| b.get(i + 1) != Some(&b'\n'));
    let text = if lone_cr {
        unix = text.replace("\r\n", "\n").replace('\r', "\n");
        unix.as_str()
    } else {
        text
    };

    // The JSON form of a record (`debrief export --to json`) reads back as it is.
    if text.trim_start().starts_with('{') {
        match serde_json::from_str::<Postmortem>(text) {
            Ok(p) => return Parsed { postmortem: p, notes },
            Err(e) if text.contains("\"schema_version\"") => notes.push(Note::new(
                "json-record-invalid",
                e.line(),
                format!("this looks like a Debrief JSON record but does not match the schema ({e}); it was read as text"),
            )),
            Err(_) => {}
        }
    }
    // A postmortem kept as data (YAML or JSON fields, a timeline and action items as lists):
    // read as the Markdown it stands for.
    let data;
    let text = match structured::to_markdown(text) {
        Some(markdown) => {
            data = markdown;
            notes.push(Note::new(
                "data-read-as-markdown",
                0,
                "the document is YAML or JSON data; it was read as the Markdown it stands for (line numbers refer to that Markdown)",
            ));
            data.as_str()
        }
        None => text,
    };
    let split = frontmatter::split(text);
    let fm = split.fields(&mut notes);
    let body = &text[split.body_offset..];
    // A report sent as e-mail: its header block gives the title and the day it was sent.
    let mailed;
    let body = match email::without_headers(body) {
        Some(mail) => {
            if mail.decoded {
                notes.push(Note::new(
                    "mime-decoded",
                    0,
                    "the e-mail's body is MIME; its text part was decoded and read (line numbers refer to that text)",
                ));
            }
            mailed = mail.text;
            mailed.as_str()
        }
        None => body,
    };
    // A canonical document (Debrief's own export) is Markdown as it stands, whatever its
    // sections quote.
    let canonical = fm
        .as_ref()
        .is_some_and(|f| f.contains_key("schema_version"));
    // HTML exported from a wiki or an editor, AsciiDoc, Org mode or wiki markup (after any
    // front matter): read as the Markdown it stands for.
    let markdown;
    let markup = MARKUPS.iter().find(|m| !canonical && (m.detect)(body));
    let body = match markup {
        Some(m) => {
            markdown = (m.convert)(body);
            notes.push(Note::new(
                m.code,
                0,
                format!(
                    "the document is {}; it was read as the Markdown it stands for (line numbers refer to that Markdown)",
                    m.name
                ),
            ));
            markdown.as_str()
        }
        None => body,
    };
    // HTML tables and lists inside Markdown, written as the Markdown they stand for (line
    // numbers kept).
    let unembedded;
    let body = match (!canonical && markup.is_none())
        .then(|| html::embedded_blocks(body))
        .flatten()
    {
        Some(text) => {
            unembedded = text;
            unembedded.as_str()
        }
        None => body,
    };
    // Escapes of a Markdown export ("2024\-02\-21") taken off; rows apart by tabs read as a
    // table.
    let tidied;
    let body = match (!canonical).then(|| pasted::tidy(body)).flatten() {
        Some((text, added)) => {
            tidied = text;
            if added > 0 {
                notes.push(Note::new(
                    "tab-separated-table",
                    0,
                    "rows apart by tabs were read as a table; line numbers after each such table's header are one more than the file's",
                ));
            }
            tidied.as_str()
        }
        None => body,
    };
    // A timeline told relative to a zero hour ("T+4m" after "T = 16:02 UTC"): read as the clock
    // times it stands for (a canonical document never needs it).
    let absolute;
    let body = match (!canonical).then(|| relative::resolve(body)).flatten() {
        Some(text) => {
            absolute = text;
            notes.push(Note::new(
                "relative-times-resolved",
                0,
                "the timeline counts from a zero hour (\"T+4m\"); each such time was read as the clock time it stands for",
            ));
            absolute.as_str()
        }
        None => body,
    };
    if let Some(fm) = &fm
        && fm.contains_key("schema_version")
        && let Some(p) = canonical::parse(fm, body, split.body_line, &mut notes)
    {
        return Parsed {
            postmortem: p,
            notes,
        };
    }
    let bad_yaml = split.yaml.filter(|_| fm.is_none());
    let p = free_form(
        body,
        split.body_line,
        fm.unwrap_or_default(),
        bad_yaml,
        name,
        &mut notes,
    );
    Parsed {
        postmortem: p,
        notes,
    }
}

fn free_form(
    body: &str,
    first_line: usize,
    fm: Map<String, Value>,
    bad_yaml: Option<&str>,
    name: Option<&str>,
    notes: &mut Vec<Note>,
) -> Postmortem {
    let all = lines::split(body, first_line);
    let fm_title = fm_title(&fm);
    // Stage 1, lines and blocks: the sections and the title.
    let mut outline = blocks::outline(&all, fm_title.as_deref());
    let (mut sections, title) = outline.sections(fm_title.is_some());
    let mut p = Postmortem {
        schema_version: SCHEMA_VERSION,
        title: fm_title.or(title),
        ..Postmortem::default()
    };

    if let Some(i) = roles::set_aside_retelling(&mut sections) {
        notes.push(Note::new(
            "told-twice",
            sections[i].line,
            "the postmortem is told a second time from here; the parts it repeats are kept as text and not read again (their actions are not counted twice)",
        ));
    }
    let day_first = timeline::numeric_date_order(body);
    let demoted = roles::choose_timelines(&mut sections, day_first);
    // A status page's updates set apart from the text above them: that text may open with the
    // page's title.
    if p.title.is_none() && sections.len() > 1 && sections[0].heading.is_none() {
        p.title = blocks::preamble_title(&mut sections[0], true);
    }

    let mut ctx = Context {
        day_first,
        ..Context::default()
    };
    // Stage 3, field extraction: front matter, then labels.
    let front = fields::front_matter(fm, &mut p, &mut ctx);
    let labels = fields::labels(&sections, &demoted, day_first, &mut p);

    // Prose that states facts: the preamble, summary, impact and any inline label content.
    let mut prose = String::with_capacity(body.len());
    // "Outage on 2025-03-03 from 14:02 to 14:47 UTC": a title that states the span.
    if let Some(title) = p.title.as_deref()
        && time::scan(title)
            .iter()
            .filter(|f| f.pieces.time.is_some())
            .count()
            >= 2
    {
        prose.push_str(title);
        prose.push_str(".\n\n");
    }
    for (i, s) in sections.iter().enumerate() {
        // A set-aside summary of key events was read as labels above.
        if demoted.binary_search(&i).is_ok() {
            continue;
        }
        // A chat log quoted under its own heading tells what people said then.
        let transcript = s
            .heading
            .as_ref()
            .is_some_and(|h| vocab::names_a_transcript(&h.text));
        let told = matches!(
            s.kind(),
            None | Some(SectionKind::Summary | SectionKind::Impact)
        );
        // "What happened: a cleanup ran against staging on 2025-05-20. Staging was down from
        // 15:32 to 17:05 UTC." over a pasted log that made the section the timeline: the prose
        // above the first entry still states facts.
        let above_a_log = s.kind() == Some(SectionKind::Timeline)
            && s.heading.as_ref().is_some_and(|h| {
                vocab::section_kind(&h.text, vocab::Strictness::Label)
                    != Some(SectionKind::Timeline)
            });
        if !(told || above_a_log) || transcript {
            continue;
        }
        if let Some(inline) = s.heading.as_ref().and_then(|h| h.inline.as_ref()) {
            prose.push_str(inline);
            prose.push('\n');
        }
        if above_a_log {
            for l in s
                .body
                .iter()
                .take_while(|l| l.code || !timeline::opens_with_time(l.text))
                .filter(|l| !l.code)
            {
                prose.push_str(l.text);
                prose.push('\n');
            }
            prose.push('\n');
            continue;
        }
        // "March 12 14:02 UTC (lasting 43 minutes)": a heading that states the length.
        if let Some(h) = s
            .heading
            .as_ref()
            .filter(|h| facts::states_a_length(&h.text))
        {
            prose.push_str(&h.text);
            prose.push_str("\n\n");
        }
        match actions::without_planned_lists(s.body) {
            Some(told) => blocks::push_prose(&told, &mut prose),
            None => s.push_prose(&mut prose),
        }
    }
    // A list of links to many postmortems states no one incident's span or length.
    let (span, lengths) = if roles::is_link_index([prose.as_str()]) {
        notes.push(Note::new(
            "link-index",
            0,
            "the text is mostly a list of links, each to another report; no start, end or length is read from it. Import each report on its own to read its facts",
        ));
        (facts::StatedSpan::default(), Vec::new())
    } else {
        let (mut span, lengths) =
            facts::stated_lengths(&prose, p.stated_duration_minutes.is_none());
        // "## Recovery" telling "The policy was restored at 10:48 UTC": a section of the
        // recovery states the end the summary left out (only the end: its other times are
        // the response's).
        if span.start.is_some() && span.end.is_none() {
            let mut recovery = String::new();
            for s in sections
                .iter()
                .filter(|s| s.kind() == Some(SectionKind::Resolution))
            {
                s.push_prose(&mut recovery);
            }
            span.end = facts::stated(&recovery, false).0.end;
        }
        (span, lengths)
    };
    p.stated_duration_minutes = p
        .stated_duration_minutes
        .or(lengths.first().copied())
        .or(labels.time_to_resolve)
        .or_else(|| resolution_length(&sections, &demoted));
    if p.severity.is_none() {
        p.severity = p
            .title
            .as_deref()
            .and_then(facts::title_severity)
            .map(str::to_string)
            .or_else(|| facts::stated_severity(&prose));
    }

    // The document's date: front matter, a Date label, the title, then the first full date in
    // prose. A blog post's date (and its file name's) is when it was published, a ticket's
    // Created date when it was opened: a date in its prose in the month before is the
    // incident's.
    let title_date = p
        .title
        .as_deref()
        .and_then(|t| first_full_date(t, day_first));
    // A year the document names without a full date: in any date, near a month, or in the title.
    let year_named = || {
        let title = p.title.as_deref().unwrap_or("");
        first_year(body)
            .or_else(|| bare_year(title))
            .or_else(|| bare_year(&prose))
            .or_else(|| title_year(title))
    };
    // "## Timeline (all times ET, 5 November 2024)": the day the timeline's times are on, when
    // its heading names one day (not a span, "10/14/2022 - 11/03/2022", whose first day may be
    // background).
    let timeline_heading_date = || {
        sections
            .iter()
            .filter_map(|s| s.heading.as_ref())
            .filter(|h| h.kind == Some(SectionKind::Timeline))
            .find_map(|h| {
                let days: Vec<_> = time::scan(&h.text)
                    .into_iter()
                    .filter_map(|f| f.pieces.date)
                    .collect();
                match days.as_slice() {
                    [_] => first_full_date(&h.text, day_first),
                    _ => None,
                }
            })
    };
    // "Yesterday, between 9:05 and 9:40, ...", "After yesterday's deployment, ...": a post tells
    // of the day before it was published.
    let yesterday = said_yesterday(&prose);
    let day_told = |on: Date| if yesterday { on.add_days(-1) } else { on };
    let posted = front.posted.or(labels.created).map(|on| {
        incident_date_in_prose(&prose, day_first)
            .filter(|d| (0..=31).contains(&(on.days_since_epoch() - d.days_since_epoch())))
            .unwrap_or_else(|| day_told(on))
    });
    // The date the document states for the incident, not one read from its timeline or prose.
    let stated_date = labels
        .date
        .or(front
            .start
            .as_ref()
            .and_then(|s| s.date.and_then(|d| d.with_year(None))))
        // "**Impact start:** 2026-04-07 13:05 EDT" over a timeline of times of day.
        .or_else(|| {
            let stated = &labels.stated;
            [&stated.start, &stated.date_time]
                .into_iter()
                .find_map(|pc| pc.as_ref()?.date?.in_order(day_first).with_year(None))
        })
        .or(title_date);
    ctx.date = ctx
        .date
        .or(stated_date)
        .or_else(timeline_heading_date)
        .or(posted)
        .or_else(|| name.and_then(name_date).map(day_told))
        .or(span
            .start
            .as_ref()
            .and_then(|s| s.date.and_then(|d| d.in_order(day_first).with_year(None))))
        .or_else(|| incident_date_in_prose(&prose, day_first))
        // "On Tuesday, April 7th at 2:05pm PDT" under "# Search outage - April 2026": the
        // stated start's day, in the year the document names elsewhere.
        .or_else(|| {
            span.start
                .as_ref()?
                .date?
                .in_order(day_first)
                .with_year(year_named())
        });
    ctx.year = ctx.date.map(|d| d.year).or_else(year_named);
    if p.date.is_none() {
        p.date = ctx.date.map(|d| d.to_string());
    }
    // The zone the summary states its start in, for time-only entries elsewhere.
    if ctx.zone.is_none() {
        ctx.zone = span
            .start
            .as_ref()
            .and_then(|s| s.zone.clone())
            .or_else(|| span.end.as_ref().and_then(|s| s.zone.clone()));
    }
    // A zone declared once for the document ("All times are in UTC", "Times are in CET.").
    if ctx.zone.is_none() {
        ctx.zone = all
            .iter()
            .filter(|l| !l.code)
            .map(|l| l.text.trim())
            .find_map(|t| {
                if t.len() < 100 && declares_times(t) {
                    zone_label(t).or_else(|| time::declared_zone(t))
                } else {
                    bracketed_declaration(t)
                        .or_else(|| dated_zone(t))
                        .or_else(|| declaring_sentence(t))
                }
            });
    }
    // The zone of a labelled start or end ("**Start:** 2024-08-19 06:12 UTC", front matter's
    // "started_at: 2025-05-19T08:14:00+02:00").
    if ctx.zone.is_none() {
        let stated = &labels.stated;
        ctx.zone = [
            &stated.start,
            &stated.end,
            &stated.date_time,
            &front.start,
            &front.end,
        ]
        .into_iter()
        .find_map(|pc| pc.as_ref().and_then(|pc| pc.zone.clone()));
    }

    // The one zone the document writes beside its times, wherever ("after the 12:00 UTC cache
    // flush"): the zone of those it writes without one.
    if ctx.zone.is_none() {
        ctx.zone = only_zone(&all, false);
    }

    // Timelines first (they refine the zone), then everything else.
    let mut entries: Vec<TimelineEntry> = Vec::new();
    let mut timeline_zone = None;
    let mut out_sections = Vec::with_capacity(sections.len());
    let mut items_elsewhere = false;
    let action_section = sections.iter().any(|s| {
        s.heading
            .as_ref()
            .is_some_and(|h| h.kind == Some(SectionKind::ActionItems))
    });
    // A timeline told in prose, for a document with no other: under "What happened", else
    // under a heading that introduces the story, with the times of the response told under
    // its own heading ("How we responded") after them. `narrated_in` is where its section
    // goes among the record's sections.
    let mut narrated: Vec<TimelineEntry> = Vec::new();
    let mut narrated_rank = u8::MAX;
    let mut narrated_in = None;
    let mut responded: Vec<TimelineEntry> = Vec::new();
    let mut narrate = |rank: u8, lines: &[Line<'_>], at: usize| {
        let better = |told: &[TimelineEntry], narrated: &[TimelineEntry]| {
            // Two times make a story surer than one, whatever its heading.
            (told.len() >= 2, std::cmp::Reverse(rank))
                > (narrated.len() >= 2, std::cmp::Reverse(narrated_rank))
        };
        let told = timeline::prose_entries(lines, &mut Clock::new(&ctx));
        if told.is_empty() {
        } else if rank == vocab::RESPONSE_STORY {
            responded.extend(told);
            narrated_in.get_or_insert(at);
        } else if better(&told, &narrated) {
            narrated = told;
            narrated_rank = rank;
            narrated_in = Some(at);
        }
    };
    let timeline_named = sections
        .iter()
        .any(|s| s.kind() == Some(SectionKind::Timeline));
    let heading_days = heading_days(&all);
    for s in sections {
        let Some(h) = s.heading else {
            // Text before the first heading may list what the team will do, as a document
            // without sections does: "We will:" over a list.
            let may = actions::Elsewhere {
                introduced: !action_section,
                remediation: false,
                pledges: false,
            };
            let text = match actions::items_elsewhere(s.body, may) {
                Some((items, kept)) => {
                    items_elsewhere = true;
                    p.action_items.extend(items);
                    blocks::verbatim(&kept)
                }
                None => blocks::verbatim(s.body),
            };
            if !text.is_empty() {
                p.preamble = Some(text);
            }
            continue;
        };
        let kind = h.kind.unwrap_or(SectionKind::Other);
        // The section's text as written (timelines and action items keep only what they did
        // not read, below).
        let whole = || {
            let text = blocks::verbatim(s.body);
            match &h.inline {
                Some(inline) if text.is_empty() => inline.clone(),
                Some(inline) => format!("{inline}\n{text}"),
                None => text,
            }
        };
        // Content after a `Label:` is the section's first line.
        let body_lines = || -> std::borrow::Cow<'_, [Line<'_>]> {
            match &h.inline {
                None => std::borrow::Cow::Borrowed(s.body),
                Some(inline) => std::iter::once(Line::new(s.line, inline.as_str(), false))
                    .chain(s.body.iter().copied())
                    .collect(),
            }
        };
        // The response's times are only read for a document without a timeline of its own.
        if let Some(rank) = vocab::tells_the_story(&h.text)
            .filter(|&rank| rank != vocab::RESPONSE_STORY || !timeline_named)
        {
            narrate(rank, &body_lines(), out_sections.len() + 1);
        }
        let text = match kind {
            SectionKind::Timeline => {
                let mut section_ctx = ctx.clone();
                if let Some(z) = time::declared_zone(&h.text) {
                    section_ctx.zone = Some(z);
                }
                if let Some(&(_, day)) = heading_days.iter().rev().find(|(no, _)| *no <= s.line) {
                    section_ctx.date = Some(day);
                }
                let mut clock = Clock::new(&section_ctx);
                let mut ex = timeline::extract(&body_lines(), &mut clock);
                if ex.entries.is_empty() {
                    // A timeline pasted as a log inside a code block. (Beside entries of its
                    // own, a code block is evidence quoted under an entry, and stays text.)
                    let mut log_clock = Clock::new(&section_ctx);
                    let log = timeline::extract(&timeline::unfenced(&body_lines()), &mut log_clock);
                    if log.entries.len() >= 2 {
                        ex = log;
                        clock = log_clock;
                    }
                }
                if ex.entries.is_empty() {
                    // A timeline quoted whole ("> 14:15 deploy started").
                    let mut quoted_clock = Clock::new(&section_ctx);
                    let quoted =
                        timeline::extract(&timeline::unquoted(&body_lines()), &mut quoted_clock);
                    if quoted.entries.len() >= 2 {
                        ex = quoted;
                        clock = quoted_clock;
                    }
                }
                if ex.entries.is_empty()
                    && let Some(written) = timeline::colon_times(&body_lines())
                {
                    // "0640  Broker disk full": four-digit times with no zone, which only a
                    // timeline's run of them shows to be times.
                    let lines: Vec<Line<'_>> = written
                        .iter()
                        .map(|(no, text)| Line::new(*no, text, false))
                        .collect();
                    let mut military_clock = Clock::new(&section_ctx);
                    let military = timeline::extract(&lines, &mut military_clock);
                    if military.entries.len() >= 2 {
                        ex = military;
                        clock = military_clock;
                    }
                }
                if ex.entries.is_empty() {
                    // A section named Timeline that tells it in prose.
                    entries.extend(timeline::prose_entries(&body_lines(), &mut clock));
                } else if timeline::told_in_sentences(&body_lines(), &ex.entries) {
                    // "At 09:02 a deploy started. At 09:05 the queue stopped draining and the
                    // alert fired at 09:11.": an entry a sentence or clause with its time, not
                    // a paragraph, when that finds more.
                    let mut prose_clock = Clock::new(&section_ctx);
                    let told = timeline::prose_entries(&body_lines(), &mut prose_clock);
                    if told.len() > ex.entries.len() {
                        ex.entries = told;
                        clock = prose_clock;
                    }
                }
                entries.extend(ex.entries);
                if timeline_zone.is_none() {
                    timeline_zone = clock.zone.clone();
                }
                ex.leftover
            }
            SectionKind::ActionItems => {
                let ex = actions::extract(&body_lines());
                p.action_items.extend(ex.items);
                ex.leftover
            }
            _ if h.inline.is_none() => match actions::items_elsewhere(
                s.body,
                actions::Elsewhere {
                    introduced: !action_section,
                    remediation: vocab::names_remediation(&h.text),
                    pledges: !action_section && kind == SectionKind::Lessons,
                },
            ) {
                Some((items, kept)) => {
                    items_elsewhere = true;
                    p.action_items.extend(items);
                    blocks::verbatim(&kept)
                }
                None => whole(),
            },
            _ => whole(),
        };
        out_sections.push(Section {
            heading: h.text,
            kind,
            text,
            line: s.line,
        });
    }
    // The response's times continue a story that gives a time of its own; alone ("Resolution:
    // capacity added at 17:52, normal by 18:10") they are facts of a summary, not a timeline,
    // which still say when the response reached each step (below).
    if !narrated.is_empty() {
        narrated.append(&mut responded);
    }
    // Two times at least: one time in a story is a fact, not a timeline.
    if let (true, true, Some(narrated_in)) = (entries.is_empty(), narrated.len() >= 2, narrated_in)
    {
        entries = narrated;
        // The entries need a section of their own in the record, where the canonical form
        // writes them: after the story they were read from, which stays as written.
        out_sections.insert(
            narrated_in,
            Section {
                heading: "Timeline".into(),
                kind: SectionKind::Timeline,
                text: String::new(),
                line: 0,
            },
        );
    }
    if items_elsewhere
        && !out_sections
            .iter()
            .any(|s| s.kind == SectionKind::ActionItems)
    {
        // Action items found in tables under other headings need a section of their own in
        // the record, where the canonical form writes them.
        out_sections.push(Section {
            heading: "Action items".into(),
            kind: SectionKind::ActionItems,
            text: String::new(),
            line: 0,
        });
    }
    if let Some(yaml) = bad_yaml {
        // Invalid front matter is kept verbatim as the first section.
        out_sections.insert(
            0,
            Section {
                heading: "Front matter".into(),
                kind: SectionKind::Other,
                text: lines::join_trimmed(yaml.lines()),
                line: 1,
            },
        );
    }
    p.sections = out_sections;
    // A template's example row left in ("| 2024-03-13 HH:mm | Short event description. |").
    entries.retain(|e| !timeline::template_example(&e.text));
    timeline::year_slips(&mut entries, stated_date, notes);
    let written = timeline::order(&mut entries, notes);
    p.timeline = entries;
    fill_prose(&mut p);
    // "13:30 Incident opened, SEV2", "14:02 escalated to SEV-1": the grade the response gave,
    // the last one named when it changed.
    if p.severity.is_none() {
        p.severity = p
            .timeline
            .iter()
            .rev()
            .find_map(|e| facts::sev_grade_in(&e.text))
            .map(str::to_string);
    }

    // Zone for stated instants: their own, the document's, the timeline's.
    let zone_ctx = Context {
        zone: ctx.zone.clone().or(timeline_zone.clone()),
        ..ctx.clone()
    };
    let mut clock = Clock::new(&zone_ctx);

    // With no end stated and no timeline to end it, the time the prose says the fault was put
    // right ends the impact.
    let timeline_timed = p
        .timeline
        .iter()
        .any(|e| e.at.as_ref().is_some_and(|a| a.time.is_some()));
    // With none in the prose, a span a status update states ("Between 1:55 PM and 3:05 PM PST,
    // we experienced increased error rates").
    let (told_start, told_end) = match (&span.start, &span.end) {
        (None, None) => timeline::span_told_in_an_entry(&p.timeline).unzip(),
        _ => (None, None),
    };
    let end_told = told_end.is_some();
    let (mut start_p, mut end_p) = (
        span.start.clone().or(told_start),
        span.end
            .clone()
            .or(told_end)
            .or_else(|| span.fixed.clone().filter(|_| !timeline_timed)),
    );
    // A time the prose states on no day of its own ("back to normal around 12:30 UTC") is on
    // the day of the timeline's entry at that time: the prose retells the timeline.
    for pc in [start_p.as_mut(), end_p.as_mut()].into_iter().flatten() {
        if pc.date.is_none()
            && let Some(t) = pc.time
            && let Some(day) = p.timeline.iter().find_map(|e| {
                let a = e.at.as_ref()?;
                let same_zone = match (&a.zone, &pc.zone) {
                    (Some(x), Some(y)) => x == y,
                    _ => true,
                };
                (a.time == Some(t) && same_zone).then_some(a.date?)
            })
        {
            pc.date = Some(time::PartialDate::of(day));
        }
    }
    if let (Some(s), Some(e)) = (start_p.as_mut(), end_p.as_ref()) {
        if s.zone.is_none() {
            s.zone = e.zone.clone();
        }
        if s.date.is_none() {
            s.date = e.date;
        }
    }
    // A time the prose mentions is no start or end when it falls days away from a dated
    // timeline (a FAQ's "around 17:00 UTC" beside a timeline of June).
    let within_timeline = |pc: &Pieces| {
        let Some(at) = Clock::new(&zone_ctx).resolve(pc).sort_key() else {
            return true;
        };
        let dated = || {
            p.timeline.iter().filter_map(|e| {
                e.at.as_ref()
                    .filter(|a| a.date.is_some() && a.time.is_some())
            })
        };
        let keys: Vec<i64> = dated().filter_map(Stamp::sort_key).collect();
        // Only a timeline that writes its days (more than one) can say the prose is wrong; one
        // whose entries are times on one day took that day from the document.
        let days: std::collections::BTreeSet<_> = dated().filter_map(|a| a.date).collect();
        match (keys.iter().min(), keys.iter().max()) {
            (Some(lo), Some(hi)) if days.len() >= 2 => (lo - 86_400..=hi + 86_400).contains(&at),
            _ => true,
        }
    };
    // When the document states its detection: the instant, to bound the start with.
    let stated_detection = front
        .instants
        .iter()
        .chain(&labels.stated.instants)
        .find(|(which, _)| *which == "detected")
        .and_then(|(_, pc)| Clock::new(&zone_ctx).resolve(pc).sort_key());
    start_p = start_p.filter(|s| within_timeline(s));
    // A start read from prose after the detection was read from a sentence about the
    // response ("Raised an issue with AWS at 10:29"): the impact had begun by its detection.
    // The timeline's first detection bounds it the same way.
    let first_detection = p
        .timeline
        .iter()
        .filter(|e| e.kind == EventKind::Detection)
        .find_map(|e| e.at.as_ref().filter(|a| a.time.is_some())?.sort_key());
    start_p = start_p.filter(|s| {
        let at = Clock::new(&zone_ctx).resolve(s).sort_key();
        [stated_detection, first_detection]
            .into_iter()
            .flatten()
            .all(|d| at.is_none_or(|a| a <= d))
    });
    end_p = end_p.filter(|e| within_timeline(e));
    // A front matter that also says when the incident ended (a status page's `date` and
    // `resolvedWhen`) dates the incident itself, not the post.
    let fm_incident_start = front.date_time.clone().filter(|_| front.end.is_some());
    // What marks the start or end explicitly: front matter, a Start or End label, a marker in
    // the timeline ("<START OF OUTAGE>", "(outage ends)").
    let (start_marker, end_marker) = timeline::outage_markers(&p.timeline);
    // "Closed at: 14:30" ends the incident only when nothing says when its impact ended: no
    // other label, no end in the prose, no timeline that ends it.
    let timeline_ends = || {
        end_marker.is_some()
            || (p
                .timeline
                .iter()
                .filter(|e| e.at.as_ref().is_some_and(|a| a.time.is_some()))
                .nth(1)
                .is_some()
                && timeline::impact_span(&p.timeline).1.is_some())
    };
    let closed = labels
        .closed
        .clone()
        .filter(|_| front.end.is_none() && end_p.is_none() && !timeline_ends());
    let start_stated = front.start.is_some() || labels.stated.start.is_some();
    // An update that states the span states its end as a label would.
    let end_stated = front.end.is_some()
        || labels.stated.end.is_some()
        || closed.is_some()
        || (end_told && end_p.is_some());
    // Both ends from one sentence of the prose ("between 22:40 and 00:45 CET on 14-15
    // November"): its end is after its start, whatever day it was written with.
    let one_span = !start_stated
        && !end_stated
        && labels.stated.date_time.is_none()
        && fm_incident_start.is_none()
        && start_p.is_some()
        && end_p.is_some();
    let started = front
        .start
        .or(labels.stated.start)
        .or(labels.stated.date_time)
        .or(fm_incident_start)
        .or(start_p)
        .or(front.date_time.clone());
    let started = started.map(|pc| dated_like_its_entry(clock.resolve(&pc), &p.timeline));
    let end_pieces = front.end.or(labels.stated.end).or(end_p).or(closed);
    let end_p_dated = end_pieces.as_ref().is_some_and(|pc| pc.date.is_some());
    let ended = end_pieces.map(|pc| {
        let mut c2 = Clock::new(&Context {
            date: started.as_ref().and_then(|s| s.date).or(zone_ctx.date),
            ..zone_ctx.clone()
        });
        if let Some(st) = &started
            && let Some(t) = st.time
        {
            c2.resolve(&Pieces {
                time: Some(t),
                ..Pieces::default()
            });
        }
        c2.resolve(&pc)
    });
    // An end earlier in the day than the start, on no day of its own or on the day of the
    // span it closes, is the next day's ("from 18:00 ... until 07:00").
    let ended = match (&started, ended) {
        (Some(s), Some(mut e))
            if e.date.is_some()
                && e.date == s.date
                && e.time < s.time
                && (!end_p_dated || one_span) =>
        {
            e.date = e.date.map(|d| d.add_days(1));
            e.settle_zone();
            Some(e)
        }
        (_, e) => e,
    };
    p.instants.started = match start_marker {
        Some(m) if !start_stated => Some(m),
        _ => started,
    };
    // An end read from prose ("expand maintenance until 07:00") gives way to the timeline's
    // resolution when that is within two hours of it: the timeline says what happened. Unless
    // the prose retells an entry of the timeline at that very minute ("between 13:05 and 14:20"
    // beside "14:20 — latency normal", then "14:50 — incident closed").
    let retold = |e: &Stamp| {
        p.timeline
            .iter()
            .filter_map(|x| x.at.as_ref())
            .any(|at| at.minutes_until(e) == Some(0))
    };
    let prose_end = !end_stated && ended.as_ref().is_some_and(|e| !retold(e));
    let ended = match (prose_end, &ended) {
        (true, Some(e)) => p
            .timeline
            .iter()
            .filter(|x| x.kind == EventKind::Resolution)
            .filter_map(|x| x.at.as_ref())
            .find(|at| at.minutes_until(e).is_some_and(|m| m.abs() <= 120) && at != &e)
            .cloned()
            .or(ended),
        _ => ended,
    };
    p.instants.ended = match end_marker {
        Some(m) if !end_stated => Some(m),
        _ => ended,
    };
    if let Some(whole) = length_of_the_span(&p, &lengths) {
        p.stated_duration_minutes = Some(whole);
    }
    // "resolvedWhen: 2021-09-20T13:00" under "date: 2021-09-23T10:01": an end on a day before
    // the start's is a slip of the date; the author meant that time after the start.
    if let (Some(s), Some(e)) = (&p.instants.started, p.instants.ended.as_mut())
        && e.date.is_some()
        && e.date < s.date
        && s.minutes_until(e).is_some_and(|m| m < 0)
    {
        let written = e.clone();
        e.date = s.date;
        if s.minutes_until(e).is_some_and(|m| m < 0) {
            e.date = e.date.map(|d| d.add_days(1));
        }
        e.settle_zone();
        notes.push(Note::new(
            "end-before-start",
            0,
            format!(
                "the end is written as {written}, before the start; it is read as {e}, the first such time after the start. Correct the end's date if it was meant otherwise"
            ),
        ));
    }
    let (mut impact_start, impact_end) = timeline::impact_span(&p.timeline);
    // A detection the document states bounds the start the timeline gives: entries more than a
    // day before it are background (a beta offered weeks before the upgrade that broke things).
    if let (Some(first), Some(detected)) = (
        impact_start.as_ref().and_then(Stamp::sort_key),
        stated_detection,
    ) && first < detected - 86_400
    {
        impact_start = p
            .timeline
            .iter()
            .filter_map(|e| e.at.as_ref().filter(|a| a.time.is_some()))
            .find(|a| a.sort_key().is_some_and(|k| k >= detected - 86_400))
            .cloned();
    }
    if let Some(measured) = measured_start(
        &p.timeline,
        impact_start.as_ref(),
        [labels.time_to_detect, labels.time_to_resolve],
    ) {
        impact_start = Some(measured);
    }
    // "2022-05-25 CE started investigating", "2022-06-02 the limit was deleted", then the one
    // time written, "2022-06-07 08:30 the script was fixed": the incident was under way days
    // before the timeline's only entry with a time, which is no start.
    let timed_entries = p
        .timeline
        .iter()
        .filter(|e| e.at.as_ref().is_some_and(|a| a.time.is_some()))
        .count();
    if timed_entries == 1
        && let Some(first) = impact_start.as_ref().and_then(|s| s.date)
    {
        let under_way_before = p.timeline.iter().any(|e| {
            e.at.as_ref().is_some_and(|a| {
                a.time.is_none()
                    && a.date.is_some_and(|d| {
                        d < first && first.days_since_epoch() - d.days_since_epoch() <= 60
                    })
            }) && !matches!(e.kind, EventKind::Trigger | EventKind::Other)
        });
        if under_way_before {
            impact_start = None;
        }
    }
    if p.instants.started.is_none()
        && let Some(first) = impact_start
    {
        notes.push(Note::new(
            "started-from-timeline",
            0,
            "no start time is stated; the first timeline entry of the impact is taken as the start",
        ));
        p.instants.started = Some(first);
        p.instants.derived.push(InstantName::Started);
    }
    // The last entry ends the impact only after its start: a timeline whose last word is the
    // outage beginning ("as a result the network halted") states no end.
    if p.instants.ended.is_none()
        && timed_entries > 1
        && let Some(last) = impact_end
        && p.instants
            .started
            .as_ref()
            .is_none_or(|s| s.minutes_until(&last).is_none_or(|m| m > 0))
    {
        // "Duration: 13 minutes" and "10:40 Errors stopped" thirteen minutes after the start:
        // the analysis after it is no longer the impact.
        let at_length = match (&p.instants.started, p.stated_duration_minutes) {
            (Some(start), Some(minutes)) => {
                timeline::end_at_stated_length(&p.timeline, start, minutes, &last)
            }
            _ => None,
        };
        notes.push(Note::new(
            "ended-from-timeline",
            0,
            if at_length.is_some() {
                "no end time is stated; the entry that says the service came back, the stated length after the start, is taken as the end (what follows it is the analysis)"
            } else {
                "no end time is stated; the last timeline entry of the impact is taken as the end"
            },
        ));
        p.instants.ended = Some(at_length.unwrap_or(last));
        p.instants.derived.push(InstantName::Ended);
    }
    // A text that dates only its timeline ("- 2024-06-01T12:03:44Z queue latency up") is dated
    // by its start.
    if p.date.is_none() {
        p.date = p
            .instants
            .started
            .as_ref()
            .and_then(|s| s.date)
            .map(|d| d.to_string());
    }
    for (which, pc) in front.instants.into_iter().chain(labels.stated.instants) {
        let st = clock.resolve(&pc);
        let name = InstantName::parse(which).unwrap_or(InstantName::Mitigated);
        p.instants.get_mut(name).get_or_insert(st);
    }
    // "## Detection: A synthetic check alerted at 09:24 UTC", "## Recovery: The alias was
    // pointed back at 10:12 UTC": with no timeline, the response's sections tell when it
    // reached each step, each the first sentence of its kind with a time after the start.
    if p.timeline.is_empty() {
        let started = p.instants.started.clone();
        for e in &responded {
            let Some(at) = e.at.as_ref().filter(|a| {
                a.time.is_some()
                    && started
                        .as_ref()
                        .is_none_or(|s| s.minutes_until(a).is_some_and(|m| m >= 0))
            }) else {
                continue;
            };
            let name = match e.kind {
                EventKind::Detection => InstantName::Detected,
                EventKind::Acknowledgement => InstantName::Acknowledged,
                EventKind::Escalation => InstantName::Escalated,
                EventKind::Mitigation => InstantName::Mitigated,
                _ => continue,
            };
            p.instants.get_mut(name).get_or_insert_with(|| at.clone());
        }
    }

    if let Some(zone) = document_zone(&p, &all) {
        let i = &mut p.instants;
        let stamps = p.timeline.iter_mut().filter_map(|e| e.at.as_mut()).chain(
            [
                &mut i.started,
                &mut i.detected,
                &mut i.acknowledged,
                &mut i.escalated,
                &mut i.mitigated,
                &mut i.ended,
            ]
            .into_iter()
            .flatten(),
        );
        for s in stamps.filter(|s| s.time.is_some()) {
            s.zone = Some(zone.clone());
        }
        notes.push(Note::new(
            "zone-from-text",
            0,
            format!(
                "no zone is declared for the times; the text names {} with a time, so they are read in it. Add a line such as \"All times in {}\" to say so",
                zone.label, zone.label
            ),
        ));
    }
    zone_notes(&p, notes);
    // Read in time order above; kept in the order the document lists it.
    p.timeline = timeline::as_written(std::mem::take(&mut p.timeline), &written);
    if p.sections.is_empty() && p.timeline.is_empty() {
        notes.push(Note::new(
            "no-sections",
            0,
            "no postmortem sections were recognised (such as Summary, Timeline, Root cause, Action items); the whole text is kept as the preamble",
        ));
    }
    p
}

/// Of the lengths a few sentences apart the prose states (the first is the stated length: they
/// are read only when nothing else states one), the one the stated start and end agree with
/// (within a tenth), when the first is not half to twice their span: "offline for a period of
/// 84 minutes ... users were impacted during roughly 10.5 hours" between 05:00 and 15:37 is
/// 630 minutes.
fn length_of_the_span(p: &Postmortem, lengths: &[u32]) -> Option<u32> {
    let [first, later @ ..] = lengths else {
        return None;
    };
    if later.is_empty() {
        return None;
    }
    let (s, e) = (p.instants.started.as_ref()?, p.instants.ended.as_ref()?);
    let span = s.minutes_until(e).filter(|&m| m > 0)?;
    let first = i64::from(*first);
    if first * 2 >= span && first <= span * 2 {
        return None;
    }
    later
        .iter()
        .copied()
        .find(|&m| (i64::from(m) - span).abs() <= (span / 10).max(5))
}

/// A stated time on no day ("Total impact duration: 5h 26m (10:45 - 16:11 UTC)") in a document
/// that dates only its timeline: the day (and zone, when it names none) of the entry at that
/// time, else the day the timeline opens on.
fn dated_like_its_entry(mut stamp: Stamp, timeline: &[TimelineEntry]) -> Stamp {
    if stamp.date.is_some() || stamp.time.is_none() {
        return stamp;
    }
    let same = timeline.iter().filter_map(|e| e.at.as_ref()).find(|at| {
        at.date.is_some()
            && at.time == stamp.time
            && (stamp.zone.is_none()
                || at.zone.as_ref().map(|z| z.offset_minutes)
                    == stamp.zone.as_ref().map(|z| z.offset_minutes))
    });
    if let Some(at) = same {
        stamp.date = at.date;
        stamp.day = 0;
        stamp.zone = stamp.zone.or_else(|| at.zone.clone());
    } else if let Some(day) = timeline
        .iter()
        .filter_map(|e| e.at.as_ref())
        .find_map(|at| at.date.filter(|_| at.time.is_some()))
    {
        // "At noon on Tuesday, the pipeline was updated" over a table of dated rows: the day
        // the timeline opens on.
        stamp.date = Some(day);
        stamp.day = 0;
    }
    stamp
}

/// The start the document's own measures point to: "Time to detection: 5 minutes" and "Time to
/// recovery: 68 minutes" count from the entry that many minutes before a detection and a
/// recovery in the timeline. The one entry that most of them count from (none after the
/// timeline's first detection: the impact had begun by then), when that is not `first`, the
/// timeline's own start, which wins a tie.
fn measured_start(
    timeline: &[TimelineEntry],
    first: Option<&Stamp>,
    lengths: [Option<u32>; 2],
) -> Option<Stamp> {
    let lengths: Vec<i64> = lengths
        .into_iter()
        .flatten()
        .filter(|&m| m > 0)
        .map(i64::from)
        .collect();
    if lengths.is_empty() {
        return None;
    }
    let timed: Vec<&Stamp> = timeline
        .iter()
        .filter_map(|e| e.at.as_ref().filter(|a| a.time.is_some()))
        .collect();
    let detected = timeline
        .iter()
        .filter(|e| e.kind == EventKind::Detection)
        .find_map(|e| e.at.as_ref().filter(|a| a.time.is_some()));
    // How many of the lengths reach another entry from each entry.
    let score = |from: &Stamp| {
        lengths
            .iter()
            .filter(|&&m| timed.iter().any(|to| from.minutes_until(to) == Some(m)))
            .count()
    };
    let scored: Vec<(&Stamp, usize)> = timed
        .iter()
        .filter(|s| detected.is_none_or(|d| s.minutes_until(d).is_some_and(|m| m >= 0)))
        .map(|s| (*s, score(s)))
        .collect();
    let best = scored.iter().map(|&(_, n)| n).max()?;
    if best == 0 || first.is_some_and(|f| score(f) == best) {
        return None;
    }
    match scored
        .iter()
        .filter(|&&(_, n)| n == best)
        .collect::<Vec<_>>()[..]
    {
        [(one, _)] => Some((*one).clone()),
        _ => None,
    }
}

/// When no time of the record has a zone and none is declared, the zone the text names with a
/// time somewhere ("beginning from UTC 05:13", "12:00 PM (UTC-4)"), if it names exactly one.
fn document_zone(p: &Postmortem, all: &[Line<'_>]) -> Option<time::Zone> {
    if timed_stamps(p).next().is_none() || timed_stamps(p).any(|s| s.zone.is_some()) {
        return None;
    }
    only_zone(all, true)
}

/// The stamps with a time that the record holds: its timeline's and its start and end.
fn timed_stamps(p: &Postmortem) -> impl Iterator<Item = &Stamp> {
    p.timeline
        .iter()
        .filter_map(|e| e.at.as_ref())
        .chain(
            [&p.instants.started, &p.instants.ended]
                .into_iter()
                .flatten(),
        )
        .filter(|s| s.time.is_some())
}

fn zone_notes(p: &Postmortem, notes: &mut Vec<Note>) {
    let stamps: Vec<&Stamp> = timed_stamps(p).collect();
    if stamps.iter().any(|s| s.zone.is_none()) {
        notes.push(Note::new(
            "zone-missing",
            0,
            "some times have no time zone and none is declared for the document; they are read as UTC. Add the zone to the times or a line such as \"All times in UTC\"",
        ));
    }
    if let Some(z) = stamps
        .iter()
        .filter_map(|s| s.zone.as_ref())
        .find(|z| time::is_ambiguous_zone(&z.label))
    {
        notes.push(Note::new(
            "zone-ambiguous",
            0,
            format!(
                "the zone {} names more than one zone; it was read as UTC{:+}:{:02}. Write an offset such as UTC+1 to be exact",
                z.label,
                z.offset_minutes / 60,
                (z.offset_minutes % 60).abs()
            ),
        ));
    }
    if stamps.iter().any(|s| s.date.is_none()) {
        notes.push(Note::new(
            "date-missing",
            0,
            "the document never says on which day the incident happened; times are kept without a date",
        ));
    }
}

/// Fills the prose fields (summary, impact, root cause, ...) from the sections' texts. Shared by
/// the free-form and the canonical readers so both derive them identically.
pub(crate) fn fill_prose(p: &mut Postmortem) {
    let sections = std::mem::take(&mut p.sections);
    // A cause's section says the cause is not known yet: no sentence elsewhere is taken for one.
    let mut cause_unknown = false;
    for s in &sections {
        if s.text.is_empty() {
            continue;
        }
        // "Root cause: TBD", "Still under investigation": a cause's section that states none
        // (its text stays in the section).
        let causes = matches!(
            s.kind,
            SectionKind::RootCause
                | SectionKind::ContributingFactors
                | SectionKind::RootCauseAndResolution
        );
        if causes && let Some(none) = states_no_cause(&s.text) {
            cause_unknown |= none == NoCause::NotKnown;
            continue;
        }
        let slot = match s.kind {
            SectionKind::Summary => Some(&mut p.summary),
            SectionKind::Impact => Some(&mut p.impact),
            SectionKind::RootCause => Some(&mut p.root_cause),
            SectionKind::ContributingFactors => Some(&mut p.contributing_factors),
            SectionKind::Trigger => Some(&mut p.trigger),
            SectionKind::Detection => Some(&mut p.detection),
            SectionKind::Resolution => Some(&mut p.resolution),
            SectionKind::Lessons => Some(&mut p.lessons.other),
            SectionKind::WentWell => Some(&mut p.lessons.went_well),
            SectionKind::WentWrong => Some(&mut p.lessons.went_wrong),
            SectionKind::Lucky => Some(&mut p.lessons.lucky),
            _ => None,
        };
        if let Some(slot) = slot {
            append(slot, &s.text);
        }
        if s.kind == SectionKind::RootCauseAndResolution {
            append(&mut p.root_cause, &s.text);
            append(&mut p.resolution, &s.text);
        }
    }
    p.sections = sections;
    // No impact section: the summary's sentences about who or what was affected are the impact.
    if p.impact.is_none()
        && let Some(summary) = &p.summary
    {
        static CUES: crate::text::Phrases = crate::text::Phrases::new(&[
            "%",
            "percent",
            "customer",
            "users",
            "user ",
            "unable",
            "could not",
            "couldn't",
            "affected",
            "impact",
            "requests",
            "revenue",
            "lost",
            "loss",
            "orders",
            "downtime",
            "outage",
            "unavailable",
            "degraded",
            "errors",
            // Not "delayed detection": what the users waited for.
            "were delayed",
            "was delayed",
            "been delayed",
            "stale",
        ]);
        let picked: Vec<&str> = facts::sentences_with(summary, &CUES)
            .filter(|s| !crate::text::contains_ci(s, "root cause"))
            .filter(|s| facts::stated_span(s).start.is_none())
            .collect();
        if !picked.is_empty() {
            p.impact = Some(picked.join(" "));
        }
    }
    if p.root_cause.is_none() && p.contributing_factors.is_none() && !cause_unknown {
        p.root_cause = cause_in_prose(p);
    }
}

/// No section names the cause: the sentences of the prose that state one ("was caused by",
/// "due to", "the root cause was"), at most three, as the root cause. Sentences that say the
/// cause is unknown or still sought, and questions, state none.
fn cause_in_prose(p: &Postmortem) -> Option<String> {
    static CAUSES: crate::text::Phrases = crate::text::Phrases::new(&[
        "caus",
        "due to",
        "result of",
        "resulted from",
        "triggered by",
        // Apart from the word before ("scheduled to" is no cause); what failed to do its part
        // ("the code failed to check for negative values") is.
        " led to",
        "failed to",
        "stemmed from",
        "culprit",
        "attributed to",
        "owing to",
        // What one thing did to the service, told as its consequence: "the library cached the
        // old key, so every login failed", "set a TTL of zero, which sent every request to the
        // database".
        ", so every",
        ", so all",
        ", which sent",
        ", which made",
        ", which broke",
        ", which prevented",
        ", which meant",
        "found that",
        "identified that",
        "the reason",
        // Not "debug in".
        " bug in",
        "misconfigur",
        "underlying issue was",
        "underlying problem was",
        "turned out",
        "the trigger was",
        "as the trigger",
        "was the trigger",
        "as the cause",
        "traced to",
        "traced the",
        "traced it",
        "root of the",
        // A subject that damaged the service, or an upstream outage that reached it.
        "destroyed by",
        "and destroyed",
        "which destroyed",
        "that destroyed",
        "took down",
        "brought down",
        "knocked out",
        "outage in",
        "outage of",
    ]);
    // Read only where no sentence says "caused" or the like: what gave out ("the issue was with
    // the leader pod", "logs indicate the disk is full", "took us over a hard AWS limit", "the
    // credential expired"), what was missed ("we overlooked the cost of the stack", "the
    // exploit took advantage of a missing check") or what one thing brought about ("a bad BGP
    // config severed the links, which resulted in a global outage", "an issue with the key is
    // preventing builds from being signed") is then the cause the document states.
    static GAVE_OUT: crate::text::Phrases = crate::text::Phrases::new(&[
        "resulted in",
        "resulting in",
        "is preventing",
        "was preventing",
        "are preventing",
        "were preventing",
        "currently preventing",
        // "The account system is down, leading to failed jobs": weaker than "led to", which
        // tells what happened; "leading to" as often tells a consequence after the cause.
        "leading to",
        " leads to",
        // Something gone wrong that stops the service's work: "the mount failure prevents the
        // files from being served".
        "failure prevents",
        "failure prevented",
        "error prevents",
        "error prevented",
        "issue prevents",
        "issue prevented",
        "problem prevents",
        "problem prevented",
        // A change that took away what users relied on: "the new version dropped support for
        // TLS 1.0", "the client no longer supports the old API".
        "dropped support",
        "deprecated support",
        "removed support",
        "no longer support",
        "overlooked",
        // A release that carried the defect: "a canary deploy shipped with a broken cache key",
        // "version 2.3 introduced a regression in the parser".
        "shipped with a",
        "shipped with an",
        "went out with a",
        "introduced a bug",
        "introduced a regression",
        "contained a bug",
        "took advantage of",
        "issue was with",
        "problem was with",
        // "The problem was a race condition in the scheduler", "the issue was that ...".
        "problem was a ",
        "problem was an ",
        "problem was that",
        "issue was a ",
        "issue was an ",
        "issue was that",
        "ran out of",
        "run out of",
        "running out of",
        "disk is full",
        "disk was full",
        "out of disk",
        "out of space",
        "out of memory",
        "exhausted",
        "exhausting",
        "exceeded",
        "over a hard",
        "expired",
        // "We identified a faulty load balancer configuration".
        "faulty",
        "defective",
        // A slip that did the damage: "the production database was accidentally deleted", "a
        // cleanup job mistakenly targeted the live resource group".
        "accidental",
        "inadvertent",
        "mistakenly",
        "by mistake",
        "unintentional",
        UPSTREAM[0],
        UPSTREAM[1],
        UPSTREAM[2],
        UPSTREAM[3],
    ]);
    // Among those, an outage someone else had ("the provider is having a network outage", "the
    // availability zone had an outage"), not one the team tells of its own ("we had an outage").
    const UPSTREAM: [&str; 4] = [
        "had an outage",
        "having an outage",
        "had a network outage",
        "having a network outage",
    ];
    // Read last, and only in a sentence telling of a failure: a change the failure came with
    // ("errors for 25 minutes after a config push set the pool size to zero", "search failed
    // when a deploy removed an index"), not one a recovery did ("latency returned to normal
    // after the upgrade").
    static CAME_WITH: crate::text::Phrases = crate::text::Phrases::new(&[
        "after a deploy",
        "after the deploy",
        "after a config",
        "after a configuration change",
        "after a change to",
        "after a migration",
        "after the migration",
        "after an upgrade",
        "after the upgrade",
        "when a deploy",
        "when a config",
        "when a migration",
    ]);
    static FAILED: crate::text::Phrases = crate::text::Phrases::new(&[
        "error",
        "fail",
        "outage",
        "unavailable",
        "went down",
        "was down",
        "were down",
        "broke",
        "crash",
        "timed out",
        "timeout",
        "could not",
        "couldn't",
        "stopped",
    ]);
    static UNKNOWN: crate::text::Phrases = crate::text::Phrases::new(&[
        "unknown",
        "not yet",
        "unclear",
        "not clear",
        "investigat",
        "determine",
        "to find",
        "to identify",
        "until the root cause",
        // "The revert did not solve the root cause", "we still need to fix the underlying cause".
        "not solve",
        "still need",
        // "We expect a statement about the root cause in the morning": the cause to come.
        "about the root cause",
        "on the root cause",
    ]);
    let front_matter = ["summary", "description"]
        .into_iter()
        .filter_map(|k| p.extra.get(k).and_then(Value::as_str));
    // Not the action items, nor a cause's section left with a placeholder ("<!-- Describe the
    // root cause -->", "TBD"): it names the word, not a cause.
    let sections = p
        .sections
        .iter()
        .filter(|s| {
            !matches!(
                s.kind,
                SectionKind::ActionItems
                    | SectionKind::RootCause
                    | SectionKind::ContributingFactors
                    | SectionKind::RootCauseAndResolution
            )
        })
        .map(|s| s.text.as_str());
    // The timeline's entries last: a status page's updates are all its prose.
    let entries = p.timeline.iter().map(|e| e.text.as_str());
    let mut picked: Vec<&str> = Vec::new();
    let all_prose = p
        .preamble
        .iter()
        .map(String::as_str)
        .chain(p.sections.iter().map(|s| s.text.as_str()));
    if roles::is_link_index(all_prose) {
        return None;
    }
    let texts: Vec<&str> = front_matter
        .chain(p.preamble.as_deref())
        .chain(sections)
        .chain(entries)
        .collect();
    // The weaker cues may be denied ("the certificate had not expired"); "caused" is not.
    // (cues, whether they may be denied, whether the sentence must tell of a failure)
    let tiers = [
        (&CAUSES, false, false),
        (&GAVE_OUT, true, false),
        (&CAME_WITH, true, true),
    ];
    for (cues, weak, of_a_failure) in tiers {
        for sentence in texts.iter().flat_map(|t| facts::sentences_with(t, cues)) {
            if picked.len() == 3 {
                break;
            }
            // Read of the few sentences a cue found: the team's own outage is no cause.
            let our_outage = || {
                let first = sentence.split_whitespace().next().unwrap_or_default();
                ["we", "our", "i"]
                    .iter()
                    .any(|w| first.eq_ignore_ascii_case(w))
                    && UPSTREAM
                        .iter()
                        .any(|u| crate::text::contains_ci(sentence, u))
            };
            if sentence.ends_with('?')
                || our_outage()
                || tells_a_consequence(sentence, cues)
                || (weak && negated(sentence, cues))
                || (of_a_failure && !FAILED.any_in(sentence))
                || UNKNOWN.any_in(sentence)
                || lines::list_item(sentence).is_some_and(|(_, _, rest)| rest.trim().is_empty())
                || picked.contains(&sentence)
                || names_the_cause_only(sentence)
                // "[docs](https://…#disk-quota-exceeded)": a cue in a link's address says nothing.
                || (sentence.contains("http") && !cues.any_in(&without_links(sentence)))
            {
                continue;
            }
            picked.push(sentence);
        }
        if !picked.is_empty() {
            break;
        }
    }
    if picked.is_empty() {
        // No sentence names a cause, but a "Trigger" section says what set the incident off
        // (in words: a screenshot alone states nothing), or a "What went wrong" section
        // explains it.
        let told = |t: &&String| {
            without_links(t)
                .split_whitespace()
                .filter(|w| w.chars().all(char::is_alphabetic))
                .nth(2)
                .is_some()
        };
        return p
            .trigger
            .as_ref()
            .filter(told)
            .or(p.lessons.went_wrong.as_ref())
            .cloned();
    }
    Some(picked.join(" "))
}

/// Whether every cue a sentence holds tells what the incident itself brought about, not what
/// brought it about: "The outage caused checkout failures", "the errors resulted in failed
/// orders", "Due to the outage, we extended the sale".
fn tells_a_consequence(sentence: &str, cues: &crate::text::Phrases) -> bool {
    const THE_INCIDENT: [&str; 12] = [
        "the outage",
        "this outage",
        "the incident",
        "this incident",
        "the downtime",
        "the disruption",
        "the degradation",
        "the errors",
        "these errors",
        "the failures",
        "the issue",
        "this issue",
    ];
    let lower = sentence.to_ascii_lowercase();
    let mut from = 0;
    let mut any = false;
    while let Some(at) = cues.find_from(sentence, from) {
        any = true;
        let before = lower[..at].trim_end();
        let after = lower[at..].trim_start();
        // The incident as the subject right before a cue that tells what it did ("the outage
        // caused", "the outage also led to"; not "the incident stemmed from", "the outage was
        // caused by"), or as what "due to" names.
        let forward = [
            "caus",
            "result in",
            "resulted in",
            "resulting in",
            " led to",
            "leading to",
            " leads to",
        ]
        .iter()
        .any(|c| after.starts_with(c.trim_start()))
            && ![
                "caused by",
                "causes by",
                "cause of",
                "cause was",
                "cause is",
                "cause for",
            ]
            .iter()
            .any(|c| after.starts_with(c));
        let subject = forward
            && THE_INCIDENT.iter().any(|n| {
                before.ends_with(n)
                    || before
                        .rsplit_once(' ')
                        .is_some_and(|(head, last)| head.ends_with(n) && last == "also")
            });
        let due_to_it = after.starts_with("due to")
            && THE_INCIDENT
                .iter()
                .any(|n| after["due to".len()..].trim_start().starts_with(n));
        if !(subject || due_to_it) {
            return false;
        }
        // The cues are ASCII: the byte after a match's start is a character's start.
        from = at + 1;
    }
    any
}

/// Whether the cue a sentence holds is denied by a word just before it: "the certificate had not
/// expired", "no data was accidentally deleted", "nothing ran out of memory".
fn negated(sentence: &str, cues: &crate::text::Phrases) -> bool {
    let Some(at) = cues.find_from(sentence, 0) else {
        return false;
    };
    sentence[..at].split_whitespace().rev().take(4).any(|w| {
        let w = w
            .trim_matches(|c: char| !c.is_alphanumeric() && c != '\'')
            .to_ascii_lowercase();
        matches!(
            w.as_str(),
            "no" | "not" | "nothing" | "never" | "none" | "without"
        ) || w.ends_with("n't")
    })
}

/// A short sentence that speaks of the cause without saying what it was, as a timeline's entry
/// does: "Root cause identified", "Root cause write-up started". Not "Root cause: a typo" or
/// "The cause was a typo".
fn names_the_cause_only(sentence: &str) -> bool {
    // "License expiry identified as the cause" names it.
    const TELLS: [&str; 11] = [
        "was", "is", "were", "are", "caused", "causing", "causes", "because", "due", "by", "as",
    ];
    let words = || {
        sentence
            .split(|c: char| !c.is_alphanumeric() && c != '-')
            .filter(|w| !w.is_empty())
    };
    // Six words are seldom longer than 80 bytes; most sentences a cue finds are.
    sentence.len() <= 80
        && !sentence.contains(':')
        && words().count() <= 6
        && words().any(|w| w.eq_ignore_ascii_case("cause"))
        && !words().any(|w| TELLS.iter().any(|t| w.eq_ignore_ascii_case(t)))
}

/// What a cause's section says when it states no cause.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum NoCause {
    /// Left to be filled in: empty but for a comment, or a placeholder ("TBD", "N/A", "_To be
    /// completed by the owner._"). The cause may still be told elsewhere.
    Placeholder,
    /// A few sentences, each saying the cause is not known yet or is still to come ("Unknown at
    /// this time.", "Still under investigation; we will update this document."). The document
    /// says it states none.
    NotKnown,
}

fn states_no_cause(text: &str) -> Option<NoCause> {
    // Forty words at most say the cause is unknown: a longer text states something.
    if text.len() > 600 && !text.contains("<!--") {
        return None;
    }
    // What renders: HTML comments ("<!-- Describe the root cause -->") show nothing.
    let mut shown = String::new();
    let mut rest = text;
    while let Some(at) = rest.find("<!--") {
        shown.push_str(&rest[..at]);
        rest = rest[at..]
            .find("-->")
            .map_or("", |end| &rest[at + end + 3..]);
    }
    shown.push_str(rest);
    if shown.len() > 600 {
        return None;
    }
    let words: Vec<String> = shown
        .split_whitespace()
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric() && c != '/')
                .to_lowercase()
        })
        .filter(|w| !w.is_empty())
        .collect();
    let said = words.join(" ");
    if words.is_empty()
        || matches!(
            said.as_str(),
            "tbd" | "tbc" | "tba" | "n/a" | "na" | "none" | "todo" | "pending" | "-"
        )
        || said.starts_with("to be completed")
        || said.starts_with("to be filled")
    {
        return Some(NoCause::Placeholder);
    }
    // A sentence says the cause is not known when it opens by saying so ("Unknown at this
    // time.", "Not yet determined.") or says it of its subject ("The source of the charge is
    // still unknown"), or points at the cause to come. Not "An unknown client flooded the API",
    // nor "The job had not yet run", nor "failed to follow the runbook": those tell a cause.
    static OPENS: [&str; 8] = [
        "unknown",
        "not yet",
        "not known",
        "still under investigation",
        "under investigation",
        "investigation ongoing",
        "to be determined",
        "to be confirmed",
    ];
    static SAYS: crate::text::Phrases = crate::text::Phrases::new(&[
        "is unknown",
        "is still unknown",
        "remains unknown",
        "are unknown",
        "not yet known",
        "not known yet",
        "not yet determined",
        "not been determined",
        "under investigation",
        "being investigated",
        "investigation is ongoing",
        "investigation is still ongoing",
        "investigation continues",
        "still investigating",
        "are investigating",
        "not been identified",
        "not yet identified",
        "not yet been identified",
        "not been found",
        "will share more",
        "update this document",
        "update this page",
        "update this post",
        "will follow",
        "expect to",
        "about the root cause",
        "on the root cause",
    ]);
    let not_known = |sentence: &str| {
        let t = sentence.trim().trim_start_matches(['*', '_', '-', ' ']);
        OPENS.iter().any(|o| {
            t.get(..o.len())
                .is_some_and(|head| head.eq_ignore_ascii_case(o))
        }) || SAYS.any_in(sentence)
    };
    (words.len() <= 40
        && shown
            .split(['.', ';', '\n'])
            .filter(|sentence| sentence.chars().any(char::is_alphanumeric))
            .all(not_known))
    .then_some(NoCause::NotKnown)
}

/// `text` without the web addresses in it.
fn without_links(text: &str) -> String {
    text.split_inclusive(char::is_whitespace)
        .map(|word| match word.find("http") {
            Some(at) => &word[..at],
            None => word,
        })
        .collect()
}

fn append(slot: &mut Option<String>, text: &str) {
    match slot {
        Some(existing) => {
            existing.push_str("\n\n");
            existing.push_str(text);
        }
        None => *slot = Some(text.to_string()),
    }
}

/// The zone every time that names one names, when there is exactly one (`None` for a document
/// that names two, or none): "05:13 UTC", and with `zone_first` "UTC 05:13" too. "UTC" and "Z"
/// are one zone: zones are told apart by their offset.
fn only_zone(all: &[Line<'_>], zone_first: bool) -> Option<time::Zone> {
    let mut named: Option<time::Zone> = None;
    for l in all
        .iter()
        .filter(|l| !l.code && time::may_hold_clock(l.text))
    {
        let after = time::scan(l.text)
            .into_iter()
            .filter_map(|f| f.pieces.zone.filter(|_| f.pieces.time.is_some()));
        let words: Vec<&str> = if zone_first {
            l.text
                .split(|c: char| c.is_whitespace() || matches!(c, '(' | ')' | ',' | '*'))
                .filter(|w| !w.is_empty())
                .collect()
        } else {
            Vec::new()
        };
        let before = words.windows(2).filter_map(|w| {
            let clock = time::stamp_prefix(w[1]).is_some_and(|(p, _)| p.time.is_some());
            clock.then(|| time::zone_from_abbreviation(w[0])).flatten()
        });
        for z in after.chain(before) {
            match &named {
                Some(n) if n.offset_minutes != z.offset_minutes => return None,
                Some(_) => {}
                None => named = Some(z),
            }
        }
    }
    named
}

/// A line declaring the zone of the document's times: "All times are in UTC", "Times are in
/// CET.", "_Timestamps are UTC_", "Times below are in Central European Time", "Note: times
/// shown are Pacific", "(All dates and times in PT)", "Time zone: Europe/Berlin".
fn declares_times(line: &str) -> bool {
    let t = line.trim_start_matches(|c: char| !c.is_alphanumeric());
    let head = t.get(..32).unwrap_or(t).to_ascii_lowercase();
    // A note's label before it: "Note: all times UTC".
    let head = ["note:", "nb:", "please note:", "note that"]
        .iter()
        .find_map(|label| head.strip_prefix(label))
        .map_or(head.as_str(), str::trim_start);
    // What the line is about comes first: the times, not "Response times are in the dashboard".
    crate::text::contains_ci(line, "all times")
        || [
            "times ",
            "the times ",
            "timestamps ",
            "the timestamps ",
            "all timestamps",
            "all dates and times",
            "dates and times",
            "time zone",
            "timezone",
        ]
        .iter()
        .any(|p| head.starts_with(p))
}

/// A sentence of a paragraph that declares the zone of the document's times: "At 09:42 the API
/// refused connections. It recovered at 10:31. All times are in GMT."
fn declaring_sentence(paragraph: &str) -> Option<time::Zone> {
    if !crate::text::contains_ci(paragraph, "times") {
        return None;
    }
    paragraph
        .split(". ")
        .map(str::trim)
        .filter(|s| s.len() < 100 && declares_times(s))
        .find_map(|s| zone_label(s).or_else(|| time::declared_zone(s)))
}

/// A declaration in brackets inside a sentence or after a label's value: "... until Wednesday
/// at 16:30 (all times UTC), about 15% of jobs hung", "Date: 2026-04-07 (times in UTC)".
fn bracketed_declaration(line: &str) -> Option<time::Zone> {
    // Each innermost bracket, found in one pass over the brackets' bytes.
    let mut open = None;
    memchr::memchr2_iter(b'(', b')', line.as_bytes()).find_map(|i| {
        if line.as_bytes()[i] == b'(' {
            open = Some(i + 1);
            return None;
        }
        let inside = &line[open.take()?..i];
        declares_times(inside)
            .then(|| time::declared_zone(inside))
            .flatten()
    })
}

/// "### October 28, 2025 - Connection pool exhaustion": headings below the title that each name
/// one day (a day, not a moment), by line, when there are two or more days: a report of several
/// incidents or days, whose timelines under each heading are on its day.
fn heading_days(all: &[Line<'_>]) -> Vec<(usize, Date)> {
    let days: Vec<(usize, Date)> = all
        .iter()
        .filter(|l| !l.code)
        .filter_map(|l| {
            let (level, text) = lines::atx(l.text)?;
            if level < 2 || !time::may_hold_stamp(text) {
                return None;
            }
            let found = time::scan(text);
            if found.iter().any(|f| f.pieces.time.is_some()) {
                return None;
            }
            Some((l.no, first_full_date(text, None)?))
        })
        .collect();
    let distinct: std::collections::BTreeSet<Date> = days.iter().map(|&(_, d)| d).collect();
    if distinct.len() >= 2 {
        days
    } else {
        Vec::new()
    }
}

/// "Date: 2025-04-01 (UTC)": the zone in brackets after the incident's date is its times', as
/// is one declared after it ("Date: 2024-10-20, times in UTC").
fn dated_zone(line: &str) -> Option<time::Zone> {
    let (key, value) = lines::split_label(line)?;
    if vocab::meta_label(&key) != Some(vocab::MetaLabel::Date) {
        return None;
    }
    if let Some((_, inside)) = value
        .trim_end()
        .strip_suffix(')')
        .and_then(|v| v.rsplit_once('('))
    {
        return time::parse_zone_label(inside.trim());
    }
    [", ", "; ", " - ", " \u{2014} ", " \u{2013} "]
        .iter()
        .filter_map(|mark| value.split_once(mark))
        .map(|(_, after)| after.trim())
        .find(|after| declares_times(after))
        .and_then(time::declared_zone)
}

/// "Time zone: America/New_York", "**Timezone:** UTC": the zone a label names, IANA names
/// included.
fn zone_label(line: &str) -> Option<time::Zone> {
    let plain = lines::stripped(line);
    let (key, value) = plain.split_once(':')?;
    let key = key.trim_matches(|c: char| !c.is_alphanumeric());
    (key.eq_ignore_ascii_case("time zone") || key.eq_ignore_ascii_case("timezone"))
        .then(|| {
            time::parse_zone_label(
                value.trim_matches(|c: char| c.is_whitespace() || c == '*' || c == '_'),
            )
        })
        .flatten()
}

/// The minutes a label's value states: a bare number, or a duration in words ("1h 50m").
pub(super) fn minutes_in(value: &str) -> Option<u32> {
    let value = value.trim();
    value
        .parse::<u32>()
        .ok()
        .or_else(|| hours_and_minutes(value))
        .or_else(|| facts::durations(value).first().map(|d| d.0))
}

/// A length written as hours and minutes, "1:35", "1h35", "1 h 15" or "01:12:00" (seconds
/// rounded to the minute), under a label that says it is one.
fn hours_and_minutes(value: &str) -> Option<u32> {
    let parts: Vec<&str> = if value.contains(':') {
        value.split(':').collect()
    } else {
        value.splitn(2, 'h').map(str::trim).collect()
    };
    let (h, m, s) = match parts[..] {
        [h, m] => (h, m, "00"),
        [h, m, s] => (h, m, s),
        _ => return None,
    };
    let digits = |s: &str, n: std::ops::RangeInclusive<usize>| {
        n.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
    };
    if !digits(h, 1..=3) || !digits(m, 2..=2) || !digits(s, 2..=2) {
        return None;
    }
    let (m, s): (u32, u32) = (m.parse().ok()?, s.parse().ok()?);
    if m >= 60 || s >= 60 {
        return None;
    }
    Some(h.parse::<u32>().ok()? * 60 + m + u32::from(s >= 30))
}

fn fm_title(fm: &Map<String, Value>) -> Option<String> {
    let mut key = String::new();
    fm.iter()
        .find(|(k, _)| {
            frontmatter::key_into(k, &mut key);
            matches!(key.as_str(), "title" | "name")
        })
        .and_then(|(_, v)| frontmatter::scalar(v))
}

fn first_full_date(s: &str, day_first: Option<bool>) -> Option<Date> {
    full_date_on(s, time::may_hold_year, day_first)
}

/// The first date with its year in `s`, an ambiguous one ("12/03/2024") read in the
/// document's order (`day_first`).
fn full_date_on(s: &str, may_hold: impl Fn(&str) -> bool, day_first: Option<bool>) -> Option<Date> {
    time::scan_first(s, may_hold, |f| {
        let d = f.pieces.date?.in_order(day_first);
        Date::new(d.year?, d.month, d.day)
    })
}

/// The first full date in prose, passing over the dates a report was written, published or
/// updated on ("_Written 2023-09-14 by the Media team._" above "On September 12, 2023, ..."),
/// unless no other date is given.
/// A line about the report itself: when it was written, published or reviewed.
fn about_the_report(line: &str) -> bool {
    static ABOUT_THE_REPORT: crate::text::Phrases = crate::text::Phrases::new(&[
        "written",
        "sent",
        "published",
        "posted",
        "updated",
        "authored",
        "last modified",
        "reviewed",
    ]);
    ABOUT_THE_REPORT.any_in(line) || is_byline(line)
}

fn incident_date_in_prose(prose: &str, day_first: Option<bool>) -> Option<Date> {
    full_date_on(
        prose,
        |l| time::may_hold_year(l) && !about_the_report(l),
        day_first,
    )
    .or_else(|| {
        // "Posted Wednesday 9 April 2025" over "On Tuesday 8 April, uploads failed": the
        // day a sentence opens with, in the report's year (the year before, when that day
        // would come after the report).
        let report = first_full_date(prose, day_first)?;
        let day = prose
            .split('\n')
            .filter(|l| !about_the_report(l))
            .find_map(opening_day)?;
        Date::new(report.year, day.month, day.day)
            .filter(|d| d <= &report)
            .or_else(|| Date::new(report.year - 1, day.month, day.day))
    })
    .or_else(|| {
        // "*Published 2024-08-09*" over "Yesterday, search was slow": the day before.
        let report = first_full_date(prose, day_first)?;
        said_yesterday(prose).then(|| report.add_days(-1))
    })
    .or_else(|| first_full_date(prose, day_first))
}

/// Whether the first paragraph of `prose` that is not about the report itself (its byline,
/// when it was published) tells of the day before: "Yesterday, ...", "After yesterday's
/// deployment", "Last night ...".
fn said_yesterday(prose: &str) -> bool {
    let Some(first) = prose.split("\n\n").map(str::trim).find(|p| {
        !p.is_empty()
            && !p
                .lines()
                .all(|l| l.trim().is_empty() || about_the_report(l))
    }) else {
        return false;
    };
    let head = first.get(..first.floor_char_boundary(240)).unwrap_or(first);
    let lower = head.to_lowercase();
    lower
        .split(|c: char| !c.is_alphanumeric())
        .any(|w| w == "yesterday")
        || lower.contains("last night")
}

/// The day, with no year, a sentence of `line` opens with: "On Tuesday 8 April, ...", "On
/// March 4 we ...", "Last Thursday, 13 November, ...".
fn opening_day(line: &str) -> Option<time::PartialDate> {
    time::scan(line).into_iter().find_map(|f| {
        let d = f
            .pieces
            .date
            .filter(|d| d.year.is_none() && f.pieces.time.is_none())?;
        let mut words: Vec<&str> = line[..f.start]
            .split_whitespace()
            .map(|w| w.trim_end_matches(','))
            .collect();
        let weekday_before = words.last().is_some_and(|w| time::is_weekday(w));
        if weekday_before {
            words.pop();
        }
        // The date read may hold its weekday ("Thursday, 13 November").
        let weekday = weekday_before
            || line[f.start..]
                .split(|c: char| !c.is_alphabetic())
                .next()
                .is_some_and(time::is_weekday);
        let on = words.pop()?.trim_start_matches(['*', '_']);
        // "Last Thursday, 13 November, ...": a weekday named as the past one.
        let past_weekday = weekday
            && ["last", "this", "past"]
                .iter()
                .any(|w| on.eq_ignore_ascii_case(w));
        let opens = (on.eq_ignore_ascii_case("on") || past_weekday)
            && words
                .last()
                .is_none_or(|w| w.ends_with(['.', '!', '?', ':']));
        opens.then_some(d)
    })
}

/// A byline: a short line wholly in emphasis naming who wrote the report beside the day they
/// wrote it ("*Marta Kowalski, Infrastructure team — 12 September 2025*"). Its date is the
/// report's, not the incident's. A line holding only a date, or a label ("*Date: ...*"), is
/// none.
fn is_byline(line: &str) -> bool {
    let t = line.trim();
    let Some(inner) = ["*", "_"]
        .iter()
        .find_map(|m| t.strip_prefix(m)?.strip_suffix(m))
    else {
        return false;
    };
    let words: Vec<&str> = inner
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|w| !w.is_empty())
        .collect();
    // Capitalised words that are not the date's own: a name, a team.
    let named = words
        .iter()
        .filter(|w| {
            w.starts_with(char::is_uppercase)
                && w.chars().all(char::is_alphabetic)
                && time::month_number(w).is_none()
                && !time::is_weekday(w)
        })
        .count();
    !inner.contains(':') && words.len() <= 14 && named >= 2
}

/// A date written year first in a file name or, failing that, in its folders: `2023-05-04`,
/// `2023_05_04`, or `20230504` (eight digits standing alone, the year between 1990 and 2100).
fn name_date(path: &str) -> Option<Date> {
    let file = path.rsplit(['/', '\\']).next().unwrap_or(path);
    [file, path].into_iter().find_map(|s| {
        let b = s.as_bytes();
        let digit_at = |k: usize| b.get(k).is_some_and(u8::is_ascii_digit);
        (0..b.len()).find_map(|i| {
            if !digit_at(i) || (i > 0 && digit_at(i - 1)) {
                return None;
            }
            let digits = |r: std::ops::Range<usize>| r.clone().all(digit_at);
            let (y, m, d) = if digits(i..i + 4)
                && matches!(b.get(i + 4), Some(b'-' | b'_'))
                && b.get(i + 7) == b.get(i + 4)
                && digits(i + 5..i + 7)
                && digits(i + 8..i + 10)
                && !digit_at(i + 10)
            {
                (&s[i..i + 4], &s[i + 5..i + 7], &s[i + 8..i + 10])
            } else if digits(i..i + 8) && !digit_at(i + 8) {
                (&s[i..i + 4], &s[i + 4..i + 6], &s[i + 6..i + 8])
            } else {
                return None;
            };
            let year: i32 = y.parse().ok()?;
            (1990..=2100)
                .contains(&year)
                .then(|| Date::parse_iso(&format!("{y}-{m}-{d}")))
                .flatten()
        })
    })
}

fn first_year(s: &str) -> Option<i32> {
    time::scan_first(
        &s[..s.len().min(floor_boundary(s, 20_000))],
        time::may_hold_year,
        |f| f.pieces.date.and_then(|d| d.year),
    )
}

/// A year written on its own near a month ("January 14-19, 2026"), in the first few thousand bytes.
fn bare_year(s: &str) -> Option<i32> {
    let head = &s[..floor_boundary(s, 4000)];
    let t = time::tokenize(head);
    t.iter().enumerate().find_map(|(i, tok)| match tok.tok {
        time::Tok::Num(y, 4) if (1990..=2100).contains(&y) => {
            let near_month = t[i.saturating_sub(6)..i].iter().any(|x| matches!(x.tok, time::Tok::Word(w) if w.len() >= 3 && time::month_number(w).is_some()));
            near_month.then_some(y as i32)
        }
        _ => None,
    })
}

/// A year standing alone in the title ("2023 holiday checkout incident"), when nothing else
/// gives one: the title names when it happened.
fn title_year(title: &str) -> Option<i32> {
    time::tokenize(title).iter().find_map(|tok| match tok.tok {
        time::Tok::Num(y, 4) if (2000..=2100).contains(&y) => Some(y as i32),
        _ => None,
    })
}

fn floor_boundary(s: &str, mut i: usize) -> usize {
    if i >= s.len() {
        return s.len();
    }
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// What a timeline entry's words say it is (detection, mitigation, ...), for entries added
/// outside a document.
pub fn classify_entry(text: &str) -> crate::model::EventKind {
    classify::event_kind(text)
}

/// Whether an action item prevents, detects, mitigates or is process, from its words.
pub fn classify_action(text: &str) -> crate::model::ActionKind {
    classify::action_kind(text)
}

/// The incident's length stated where the recovery is told ("The time from the report until
/// the all-clear took about 24 hours"), for a document that states none in its summary.
fn resolution_length(sections: &[blocks::RawSection<'_, '_>], demoted: &[usize]) -> Option<u32> {
    let mut text = String::new();
    for (i, s) in sections.iter().enumerate() {
        if demoted.binary_search(&i).is_err() && s.kind() == Some(SectionKind::Resolution) {
            s.push_prose(&mut text);
        }
    }
    facts::length_in_recovery(&text)
}
