//! Line-level reading: code fences, headings in their many spellings, list items, table rows.
//!
//! Postmortems are Markdown only some of the time, so this is not a Markdown parser: it reads
//! lines the way a person skimming the document would, and keeps every byte it does not use.

use std::borrow::Cow;

use super::vocab::{self, Strictness};
use crate::model::SectionKind;

/// One line of the body with its 1-based number.
#[derive(Debug, Clone, Copy)]
pub struct Line<'a> {
    pub no: usize,
    pub text: &'a str,
    /// Inside a fenced code block (fence lines included).
    pub code: bool,
    /// Only whitespace, or nothing.
    pub blank: bool,
}

impl<'a> Line<'a> {
    pub fn new(no: usize, text: &'a str, code: bool) -> Line<'a> {
        Line {
            no,
            text,
            code,
            blank: text.trim().is_empty(),
        }
    }
}

/// Splits into lines, marking fenced code blocks (``` and ~~~) so nothing inside them is read as
/// a heading, a timeline entry or an action item.
pub fn split(text: &str, first_no: usize) -> Vec<Line<'_>> {
    // Lines average well over 16 bytes: a first guess that rarely grows.
    let mut out = Vec::with_capacity(text.len() / 16 + 1);
    let mut fence: Option<(char, usize)> = None;
    // Inside an HTML comment (`<!-- ... -->`, which renders as nothing): kept, never read.
    let mut comment = false;
    // Line ends found by one vectorised byte search over the whole text.
    let mut start = 0;
    let ends = memchr::memchr_iter(b'\n', text.as_bytes()).chain(std::iter::once(text.len()));
    for (i, end) in ends.enumerate() {
        let raw = &text[start..end];
        start = end + 1;
        let t = raw.strip_suffix('\r').unwrap_or(raw);
        let trimmed = t.trim_start();
        // A fence inside a quote (">    ```") fences the quoted lines.
        let fenced = trimmed.trim_start_matches(['>', ' ', '\t']);
        let fence_here = match fenced.as_bytes().first() {
            Some(&c @ (b'`' | b'~')) => {
                let n = fenced.bytes().take_while(|&x| x == c).count();
                // "```{"error": ...}```" is code within a line: a backtick fence's info string
                // holds no backtick (CommonMark).
                let inline = c == b'`' && fenced[n..].contains('`');
                (n >= 3 && !inline).then_some((char::from(c), n))
            }
            _ => None,
        };
        // "Detection\n~~~~~~~~~": reStructuredText underlines a title with tildes, as long as
        // it; a fence opens a block after a blank line or with fewer of them.
        let fence_here = fence_here.filter(|&(c, n)| {
            let prev = out.last().filter(|l: &&Line<'_>| !l.code && !l.blank);
            !(fence.is_none()
                && c == '~'
                && n == fenced.trim_end().len()
                && prev.is_some_and(|p| {
                    list_item(p.text).is_none() && n >= p.text.trim().chars().count()
                }))
        });
        let code = match (fence, fence_here) {
            (None, Some(f)) => {
                fence = Some(f);
                true
            }
            (Some((c, n)), Some((c2, n2)))
                if c == c2 && n2 >= n && fenced.trim_end().chars().all(|x| x == c) =>
            {
                fence = None;
                true
            }
            (Some(_), _) => true,
            (None, None) => false,
        };
        let code = code || {
            let was = comment;
            if !comment && trimmed.starts_with("<!--") {
                comment = true;
            }
            let inside = was || comment;
            if comment && t.contains("-->") {
                comment = false;
            }
            inside
        };
        out.push(Line {
            no: first_no + i,
            text: t,
            code,
            blank: trimmed.is_empty(),
        });
    }
    out
}

/// Joins lines with `\n`, without the blank lines at either end: how section text is stored.
pub fn join_trimmed<'a, I>(lines: I) -> String
where
    I: IntoIterator<Item = &'a str>,
    I::IntoIter: Clone,
{
    let lines = lines.into_iter();
    let filled = |l: &str| !l.trim().is_empty();
    let Some(start) = lines.clone().position(filled) else {
        return String::new();
    };
    let last = lines
        .clone()
        .enumerate()
        .filter(|(_, l)| filled(l))
        .last()
        .map_or(start, |(i, _)| i);
    let kept = lines.skip(start).take(last + 1 - start);
    let mut out = String::with_capacity(kept.clone().map(|l| l.len() + 1).sum());
    for (i, l) in kept.enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(l);
    }
    out
}

/// A line recognised as a heading.
#[derive(Debug, Clone, PartialEq)]
pub struct Heading {
    /// Text without markers (`#`, `**`, trailing colon).
    pub text: String,
    /// 1..=6 for `#` and setext headings, 7 for bold-only lines, 8 for labels and plain lines.
    pub level: u8,
    /// The section it names, if any.
    pub kind: Option<SectionKind>,
    /// Content after a `Label:` on the same line.
    pub inline: Option<String>,
    /// `#`, setext or bold-only, as opposed to a label or plain line.
    pub explicit: bool,
    /// The heading used the next line (setext underline).
    pub setext: bool,
}

impl Heading {
    /// A `#`, setext (level 1 or 2) or bold-only (level 7) heading; its kind comes from the
    /// vocabulary.
    fn explicit(text: String, level: u8, setext: bool) -> Heading {
        let kind = vocab::section_kind(&text, Strictness::Explicit);
        Heading {
            text,
            level,
            kind,
            inline: None,
            explicit: true,
            setext,
        }
    }

    /// The heading given to a status page's updates, which are written under none.
    pub fn updates() -> Heading {
        Heading {
            text: "Updates".into(),
            level: 2,
            kind: Some(SectionKind::Timeline),
            inline: None,
            explicit: true,
            setext: false,
        }
    }

    /// A `Label:` or plain line that names a known section.
    fn named(text: String, kind: SectionKind, inline: Option<String>) -> Heading {
        Heading {
            text,
            level: 8,
            kind: Some(kind),
            inline,
            explicit: false,
            setext: false,
        }
    }

    /// A `Label:` or plain line that heads a section of a kind Debrief does not model.
    fn unmodelled(text: String) -> Heading {
        Heading {
            kind: None,
            ..Heading::named(text, SectionKind::Other, None)
        }
    }
}

/// Whether `c` marks a line rather than says something: an emoji or another symbol that is
/// neither ASCII nor a letter or digit ("✅ Resolved", "🔴 23:50 — ...").
pub fn is_mark(c: char) -> bool {
    !c.is_ascii() && !c.is_alphanumeric()
}

/// `s` without the marks ([`is_mark`]) and spaces before it.
pub fn after_marks(s: &str) -> &str {
    s.trim_start_matches(|c: char| is_mark(c) || c.is_whitespace())
}

/// Strips `**`, `__`, `*`, `_` wrapping and HTML anchors from a heading's text.
pub fn strip_emphasis(s: &str) -> String {
    stripped(s).into_owned()
}

/// [`strip_emphasis`] without a copy when the text has no anchor to cut out of its middle.
pub fn stripped(s: &str) -> Cow<'_, str> {
    let t = s.trim();
    // A `<` is looked for first: one fast byte search, where a phrase search costs a set-up.
    if !t.contains('<') || !t.contains("<a ") {
        return Cow::Borrowed(strip_ends(t));
    }
    let mut t = t.to_string();
    // <a href="#x" id="x"></a> anchors that some exporters append
    while let Some(start) = t.find("<a ") {
        match t[start..].find("</a>") {
            Some(end) => t.replace_range(start..start + end + 4, ""),
            None => break,
        }
    }
    Cow::Owned(strip_ends(&t).to_string())
}

/// Drops a trailing `{#custom-id}`, then emphasis and code markers wrapping the whole text.
fn strip_ends(t: &str) -> &str {
    let mut t = t;
    if t.ends_with('}')
        && let Some(start) = t.rfind("{#")
    {
        t = &t[..start];
    }
    let mut t = t.trim();
    loop {
        let before = t.len();
        for m in ["**", "__", "*", "_", "`"] {
            if t.len() >= 2 * m.len() && t.starts_with(m) && t.ends_with(m) {
                t = t[m.len()..t.len() - m.len()].trim();
            }
        }
        if t.len() == before {
            break;
        }
    }
    t
}

fn trim_colon(s: &str) -> &str {
    s.trim().trim_end_matches([':', '：']).trim()
}

/// "SEV2<br />": a value without the line break written after it in HTML.
pub fn without_break(value: &str) -> &str {
    let v = value.trim_end();
    let Some(open) = v.rfind('<') else {
        return value;
    };
    let tag = v[open..].to_ascii_lowercase().replace([' ', '/'], "");
    if tag == "<br>" {
        v[..open].trim_end()
    } else {
        value
    }
}

/// A thematic break: three or more of the same `-`, `*` or `_`, spaces allowed between them.
pub fn is_thematic_break(line: &str) -> bool {
    let t = line.trim();
    let Some(c) = t.chars().next().filter(|c| matches!(c, '-' | '*' | '_')) else {
        return false;
    };
    t.chars().filter(|&x| x == c).count() >= 3 && t.chars().all(|x| x == c || x == ' ')
}

/// An ATX heading: `## Text ##`.
pub fn atx(line: &str) -> Option<(u8, &str)> {
    let t = line.trim_start();
    if line.len() - t.len() > 3 {
        return None;
    }
    let hashes = t.bytes().take_while(|&b| b == b'#').count();
    if hashes == 0 || hashes > 6 {
        return None;
    }
    let rest = &t[hashes..];
    if !rest.is_empty() && !rest.starts_with([' ', '\t']) {
        return None;
    }
    let rest = rest.trim();
    let rest = rest.trim_end_matches('#').trim_end();
    Some((hashes as u8, rest))
}

/// A bold-only line: `**Impact**`, `**Impact:**`, `__Timeline__`.
fn bold_only(line: &str) -> Option<String> {
    let t = line.trim();
    let inner = if t.starts_with("**") && (t.ends_with("**") || t.ends_with("**:")) && t.len() > 4 {
        t.trim_end_matches(':')
            .strip_prefix("**")?
            .strip_suffix("**")?
    } else if t.starts_with("__") && (t.ends_with("__") || t.ends_with("__:")) && t.len() > 4 {
        t.trim_end_matches(':')
            .strip_prefix("__")?
            .strip_suffix("__")?
    } else {
        return None;
    };
    let marked = inner
        .as_bytes()
        .windows(2)
        .any(|w| w == b"**" || w == b"__");
    if marked || inner.trim().is_empty() {
        return None;
    }
    Some(trim_colon(inner).to_string())
}

/// Strips a list marker: returns (indent, marker kind, rest). Checkboxes are left in `rest`.
/// The indent is the leading whitespace's bytes, two more for each level a word processor's
/// bullet marks (`○` one, `■` two): it orders items, it slices nothing.
pub fn list_item(line: &str) -> Option<(usize, ListMarker, &str)> {
    let t = line.trim_start();
    let indent = line.len() - t.len();
    // Every marker starts with one of these bytes (`•`, `–` and `—` with 0xE2, `·` with 0xC2).
    if !matches!(
        t.as_bytes().first(),
        Some(b'-' | b'*' | b'+' | b'#' | b'(' | 0xC2 | 0xE2 | b'0'..=b'9' | b'a'..=b'z')
    ) {
        return None;
    }
    // "a) Add an alert", "(b) Add a check": a list lettered as plain-text reports letter it.
    let b = t.as_bytes();
    let lettered = match b {
        [b'a'..=b'z', b')', b' ', ..] => Some(3),
        [b'(', b'a'..=b'z', b')', b' ', ..] => Some(4),
        _ => None,
    };
    if let Some(n) = lettered {
        return Some((indent, ListMarker::Number, &t[n..]));
    }
    if b[0].is_ascii_lowercase() || b[0] == b'(' {
        return None;
    }
    // A word processor's bullets mark their level as well as the item: "●" (or "•") the first,
    // "○" (or "◦") the second, "■" (or "▪") the third, wherever the line starts.
    for (b, level) in [
        ("-", 0),
        ("*", 0),
        ("+", 0),
        ("•", 0),
        ("·", 0),
        ("–", 0),
        ("—", 0),
        ("●", 0),
        ("‣", 0),
        ("○", 1),
        ("◦", 1),
        ("■", 2),
        ("▪", 2),
    ] {
        // The marker, then a space or a tab ("•\tItem", as word processors paste it).
        if let Some(rest) = t
            .strip_prefix(b)
            .and_then(|r| r.strip_prefix(' ').or_else(|| r.strip_prefix('\t')))
        {
            return Some((indent + 2 * level, ListMarker::Bullet, rest));
        }
    }
    if t == "-" || t == "*" {
        return Some((indent, ListMarker::Bullet, ""));
    }
    // reStructuredText numbers a list with "#." for the reader.
    if let Some(rest) = t.strip_prefix("#. ") {
        return Some((indent, ListMarker::Number, rest));
    }
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    if (1..=3).contains(&digits) {
        let rest = &t[digits..];
        for m in [". ", ") ", ".\t"] {
            if let Some(r) = rest.strip_prefix(m) {
                return Some((indent, ListMarker::Number, r));
            }
        }
        // "10.12:30 PM UTC: restored": the item's number run into its time.
        if let Some(r) = rest.strip_prefix('.')
            && let [h, b @ ..] = r.as_bytes()
            && h.is_ascii_digit()
            && let Some(colon) = b.iter().position(|&c| !c.is_ascii_digit())
            && colon <= 1
            && b[colon] == b':'
            && b.get(colon + 1..colon + 3)
                .is_some_and(|m| m.iter().all(u8::is_ascii_digit))
        {
            return Some((indent, ListMarker::Number, r));
        }
    }
    None
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListMarker {
    Bullet,
    Number,
}

/// A table row: `| a | b |` split into trimmed cells (`\|` is a pipe inside a cell, kept as
/// written). Separator rows (`|---|:--:|`) return `None`.
pub fn table_cells(line: &str) -> Option<Vec<&str>> {
    let t = line.trim();
    if !t.starts_with('|') || t.len() < 3 {
        return None;
    }
    let inner = t.strip_prefix('|')?;
    Some(split_cells(inner.strip_suffix('|').unwrap_or(inner)))
}

/// The trimmed cells of a table row's inside, apart by unescaped pipes (`\|` is a pipe inside a
/// cell, kept as written).
pub fn split_cells(inner: &str) -> Vec<&str> {
    let mut cells = Vec::new();
    let mut start = 0;
    // A backslash escapes the byte after it; both are ASCII, so a byte search finds them.
    let mut escaped_to = 0;
    for i in memchr::memchr2_iter(b'|', b'\\', inner.as_bytes()) {
        if i < escaped_to {
            continue;
        }
        if inner.as_bytes()[i] == b'\\' {
            escaped_to = i + 2;
        } else {
            cells.push(inner[start..i].trim());
            start = i + 1;
        }
    }
    cells.push(inner[start..].trim());
    cells
}

/// Where the table that starts at `start` ends: the first line after it that is not a table
/// row (`| ... |`, outside code).
pub fn table_end(lines: &[Line<'_>], start: usize) -> usize {
    (start..lines.len())
        .find(|&k| lines[k].code || !lines[k].text.trim().starts_with('|'))
        .unwrap_or(lines.len())
}

pub fn is_table_separator(line: &str) -> bool {
    let t = line.trim();
    t.starts_with('|')
        && t.contains('-')
        && t.chars().all(|c| matches!(c, '|' | '-' | ':' | ' ' | '\t'))
}

pub fn is_setext_underline(line: &str) -> Option<u8> {
    let t = line.trim();
    if t.len() >= 3 && t.bytes().all(|b| b == b'=') {
        Some(1)
    } else if t.len() >= 3 && t.bytes().all(|b| b == b'-') {
        Some(2)
    } else {
        None
    }
}

/// A reStructuredText section's adornment in a character Markdown does not underline with
/// (`*****`, `#####`, `~~~~~`, `^^^^^`): at least three of one, and, under a title, at least
/// as long as it (a Markdown rule, `***`, is shorter than the line above it).
/// A Markdown link reference definition: `[label]: https://...` at most three spaces in, a
/// label of a line's length, then a colon and a target.
pub fn is_link_definition(line: &str) -> bool {
    let t = line.trim_start_matches(' ');
    if line.len() - t.len() > 3 {
        return false;
    }
    let Some(rest) = t.strip_prefix('[') else {
        return false;
    };
    let Some((label, after)) = rest.split_once("]:") else {
        return false;
    };
    // The target, then an optional title in quotes or brackets.
    let target = match after.trim().split_once(char::is_whitespace) {
        Some((url, title)) if title.trim_start().starts_with(['"', '\'', '(']) => url,
        Some(_) => return false,
        None => after.trim(),
    };
    // A URL or a path, not a word ("[Ana]: reboot").
    !label.trim().is_empty()
        && !label.contains(['[', ']'])
        && (target.starts_with('<') || target.contains([':', '/', '#', '.']))
}

pub fn is_rst_adornment(line: &str, title: Option<&str>) -> bool {
    let t = line.trim_end();
    let Some(c) = t.bytes().next() else {
        return false;
    };
    matches!(
        c,
        b'*' | b'#' | b'~' | b'^' | b'+' | b'"' | b'\'' | b':' | b'.' | b'_' | b'<' | b'>'
    ) && t.len() >= 3
        && t.bytes().all(|b| b == c)
        && title.is_none_or(|title| t.len() >= title.trim().chars().count())
}

/// Decides whether `lines[i]` is a heading. `prev_blank` says whether the previous line is blank
/// (or the start of the body).
pub fn heading_at(lines: &[Line<'_>], i: usize, prev_blank: bool) -> Option<Heading> {
    let line = lines[i];
    if line.code {
        return None;
    }
    let text = line.text;
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return None;
    }
    // A collapsible block's `<summary>Timeline</summary>` names what it holds.
    if let Some(inner) = trimmed
        .strip_prefix("<summary>")
        .and_then(|r| r.strip_suffix("</summary>"))
    {
        let clean = strip_emphasis(trim_colon(inner));
        return (!clean.is_empty()).then(|| Heading::explicit(clean, 2, false));
    }
    if let Some((level, rest)) = atx(text) {
        let clean = strip_emphasis(trim_colon(rest));
        return (!clean.is_empty()).then(|| Heading::explicit(clean, level, false));
    }
    let item = list_item(text);
    // Setext: a single text line, then ===/---, perhaps with the same line above it too
    // (reStructuredText's title). Lists and tables cannot be setext headings.
    let overlined = i.checked_sub(1).is_some_and(|p| {
        is_setext_underline(lines[p].text).is_some() || is_rst_adornment(lines[p].text, None)
    });
    if (prev_blank || overlined)
        && item.is_none()
        && !trimmed.starts_with('|')
        && !trimmed.starts_with('>')
        && let Some(next) = lines.get(i + 1)
        && !next.code
        && let Some(level) = is_setext_underline(next.text)
            .or_else(|| is_rst_adornment(next.text, Some(trimmed)).then_some(2))
        && trimmed.len() <= 120
    {
        return Some(Heading::explicit(
            strip_emphasis(trim_colon(trimmed)),
            level,
            true,
        ));
    }
    if let Some(inner) = bold_only(text)
        && inner.chars().count() <= 100
        && !text.starts_with(char::is_whitespace)
        && !super::timeline::heads_a_stamped_update(&inner)
    {
        return Some(Heading::explicit(strip_emphasis(&inner), 7, false));
    }
    if text.starts_with(char::is_whitespace) {
        return None;
    }
    // "> Description: the alert's text" quoted under an entry is what the entry quotes: a
    // quoted line names a section only in a text quoted whole.
    if trimmed.starts_with('>')
        && lines[..i]
            .iter()
            .rev()
            .find(|l| !l.blank)
            .is_some_and(|l| !l.text.trim_start().starts_with('>'))
    {
        return None;
    }
    // Label: "Issue Summary:", "Root Cause: text", "**Impact**: text", "- **Impact**: text".
    let (label_src, bulleted) = match item {
        Some((0, ListMarker::Bullet, rest)) if rest.trim_start().starts_with("**") => (rest, true),
        // "2. Timeline (UTC)" over its entries, in a plain-text report whose sections are
        // numbered: a number then a section's exact name, with no numbered line right under
        // it (as a table of contents has).
        Some((0, ListMarker::Number, rest)) => {
            return numbered_section(rest, lines.get(i + 1..).unwrap_or_default(), prev_blank);
        }
        Some(_) => return None,
        None => (text, false),
    };
    if let Some((label, inline)) = split_label(label_src) {
        let inline = inline.trim();
        // "Detected: Mon 4 Nov 2024 13:31 GMT" states when, as a label; it heads no section.
        // So does a span ("Timeline: March 10, 2024, 08:00 - 10:30 WAT"), a time with a note
        // in brackets ("14:09 UTC (customer report)"), or a metadata label's time with a few
        // words after it. ("Resolution: 15:10 we rolled back" is a section's text.)
        let value = strip_ends(inline);
        let stated_when = crate::time::stamp_prefix(value).is_some_and(|(p, end)| {
            let note = value[end..].trim().trim_matches('`');
            p.time.is_some()
                && (note.is_empty()
                    || (note.starts_with('(') && note.ends_with(')'))
                    || super::timeline::is_range_end(note)
                    || (vocab::meta_label(&label).is_some()
                        && note.split_whitespace().count() <= 6))
        });
        if stated_when {
            return None;
        }
        // "Incident date: 2024-06-01", "Incident commander: Priya": a fact about the incident
        // under a label that only begins like a section's name.
        let named_exactly = || vocab::section_kind(&label, Strictness::Plain).is_some();
        let fact = vocab::grades_severity(&label, value)
            || !value.is_empty()
                && (vocab::meta_label(&label).is_some()
                    || (value.split_whitespace().count() <= 3
                        && vocab::normalize(&label).starts_with("incident ")))
                && !named_exactly();
        if fact {
            return None;
        }
        if let Some(kind) = vocab::section_kind(&label, Strictness::Label) {
            return Some(Heading::named(
                label.into_owned(),
                kind,
                (!inline.is_empty()).then(|| inline.to_string()),
            ));
        }
        // "- **Context**:" with its content below: a section of its own, whatever its name.
        if bulleted && inline.is_empty() && label_src.trim_end().ends_with(':') {
            return Some(Heading::unmodelled(label.into_owned()));
        }
    }
    // A plain line standing alone that names a section.
    let next_blank_or_end = lines.get(i + 1).is_none_or(|l| l.blank || l.code);
    if bulleted && !label_src.trim_end().ends_with("**") {
        return None;
    }
    if !(prev_blank || next_blank_or_end || trimmed.ends_with(':')) {
        return None;
    }
    let plain = stripped(trim_colon(label_src.trim()));
    // A note in brackets after the name is not counted: "Timeline (from the #inc-login
    // channel, times in UTC)".
    let name = match plain.strip_suffix(')').and_then(|s| s.rfind('(')) {
        Some(open) if open > 0 => plain[..open].trim_end(),
        _ => &plain,
    };
    if name.len() <= 60
        && name.split_whitespace().count() <= 6
        && let Some(kind) = vocab::section_kind(&plain, Strictness::Plain)
    {
        return Some(Heading::named(plain.into_owned(), kind, None));
    }
    // "Conclusion": a section of its own, though not one Debrief models; so is a chat log
    // pasted under a line that names it ("Chat log (UTC):"), which may be the timeline.
    if vocab::names_unmodelled_section(&plain) || vocab::names_a_transcript(name) {
        return Some(Heading::unmodelled(plain.into_owned()));
    }
    None
}

/// A numbered line naming a section exactly (see [`heading_at`]), with the line under it.
fn numbered_section(rest: &str, below: &[Line<'_>], prev_blank: bool) -> Option<Heading> {
    let name = strip_emphasis(trim_colon(rest.trim()));
    // Content under it, after a blank line or not; a numbered line there is the next item of
    // a list (a table of contents).
    let content_below = below.iter().take(2).find(|n| !n.blank).is_some_and(|n| {
        !n.code
            && !n.text.starts_with('#')
            && !matches!(list_item(n.text), Some((_, ListMarker::Number, _)))
    });
    if !prev_blank || !content_below || name.len() > 80 {
        return None;
    }
    let kind = vocab::section_kind(&name, Strictness::Plain)?;
    Some(Heading::named(name, kind, None))
}

/// `Label: rest`, `**Label**: rest` / `**Label:** rest` or `:Label: rest`. The label is at most
/// six words (and 80 bytes when it is not in bold).
pub fn split_label(s: &str) -> Option<(Cow<'_, str>, &str)> {
    // "📅 **Date:** 2026-04-07": a pictograph before an emphasised label marks it, it names
    // nothing.
    let t = s.trim_start();
    let unmarked = t
        .trim_start_matches(|c: char| !c.is_ascii() && !c.is_alphanumeric())
        .trim_start();
    let t = if unmarked.starts_with("**") || unmarked.starts_with("__") {
        unmarked
    } else {
        t
    };
    if let Some((after, mark)) = t
        .strip_prefix("**")
        .map(|a| (a, b"**"))
        .or_else(|| t.strip_prefix("__").map(|a| (a, b"__")))
    {
        // Two bytes compared at each place (a phrase search would first build a searcher).
        let close = after.as_bytes().windows(2).position(|w| w == mark)?;
        let inner = &after[..close];
        let rest = &after[close + 2..];
        // "**•\tImpact:**": a bullet pasted inside the emphasis is no part of the label.
        let inner = inner.trim_start_matches(['•', '·', ' ', '\t']);
        if inner.trim_end().ends_with(':') || inner.trim_end().ends_with('：') {
            let label = trim_colon(inner);
            return (!label.is_empty() && label.split_whitespace().nth(6).is_none())
                .then_some((Cow::Borrowed(label), rest));
        }
        let rest_trim = rest.trim_start();
        let rest_after = rest_trim
            .strip_prefix(':')
            .or_else(|| rest_trim.strip_prefix('：'))?;
        let label = inner.trim();
        return (!label.is_empty() && label.split_whitespace().nth(6).is_none())
            .then_some((Cow::Borrowed(label), rest_after));
    }
    // A reStructuredText field, ":Severity: Major".
    if let Some(after) = t.strip_prefix(':') {
        let close = memchr::memchr(b':', after.as_bytes())?;
        let label = &after[..close];
        return (!label.is_empty()
            && !label.starts_with(char::is_whitespace)
            && label.split_whitespace().nth(6).is_none()
            && !label.contains('`'))
        .then(|| (stripped(label), &after[close + 1..]));
    }
    let colon = memchr::memchr(b':', t.as_bytes())?;
    let label = &t[..colon];
    let rest = &t[colon + 1..];
    // "http://..." and "11:02" are not labels; nor is a long run of text before a colon.
    if rest.starts_with("//")
        || label.is_empty()
        || label.len() > 80
        || label.ends_with(char::is_numeric)
    {
        return None;
    }
    if label.split_whitespace().nth(6).is_some()
        || label.contains(['.', '!', '?', '`', '[', '(', '|']) && !label.ends_with(')')
    {
        return None;
    }
    // "*Severity:* SEV2", "_Owner:_ Sam": the emphasis closes after the colon. A line
    // emphasised whole ("*Incident 482 resolved: 502s on the storefront*") is no label.
    let (label, rest) = match label.as_bytes()[0] {
        m @ (b'*' | b'_') => match rest.strip_prefix(char::from(m)) {
            Some(after) => (&label[1..], after),
            None if t.trim_end().ends_with(char::from(m)) => return None,
            None => (label, rest),
        },
        _ => (label, rest),
    };
    Some((stripped(label), rest))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn head(text: &str) -> Option<Heading> {
        let lines = split(text, 1);
        heading_at(&lines, 0, true)
    }

    #[test]
    fn a_collapsible_blocks_summary_is_a_heading() {
        let h = head("<summary>Timeline</summary>").unwrap();
        assert_eq!(h.kind, Some(SectionKind::Timeline));
    }

    #[test]
    fn restructuredtext_adornments_underline_headings() {
        for doc in [
            "Detection\n*********\n",
            "Detection\n^^^^^^^^^^^^\n",
            "Detection\n~~~~~~~~~\nx\n",
        ] {
            let h = head(doc).unwrap_or_else(|| panic!("{doc:?}"));
            assert_eq!(
                (h.text.as_str(), h.kind),
                ("Detection", Some(SectionKind::Detection))
            );
        }
        // The tildes under a title open no code block; after a blank line they do.
        let lines = split("Detection\n~~~~~~~~~\nx\n", 1);
        assert!(lines.iter().all(|l| !l.code));
        let lines = split("Detection\n\n~~~~~~~~~\nx\n", 1);
        assert!(lines[3].code);
        // A fence inside a quote fences the quoted lines.
        let lines = split("> ```\n> Started: Mon, 01 Jan 0001\n> ```\n> after\n", 1);
        assert!(lines[1].code && !lines[3].code);
        // Code within a line opens no block.
        let lines = split("```{\"level\":\"fatal\"}```\nBe right back\n", 1);
        assert!(!lines[1].code);
        // A Markdown rule under a longer line is no underline.
        assert!(head("Thanks to everyone who helped\n***\n").is_none());
        // "#." numbers a list.
        assert!(matches!(
            list_item("#. Verify checksums"),
            Some((0, ListMarker::Number, "Verify checksums"))
        ));
        // A number run into the item's time; a version or a dotted time is no item.
        assert!(matches!(
            list_item("10.12:30 PM UTC: Service restored"),
            Some((0, ListMarker::Number, "12:30 PM UTC: Service restored"))
        ));
        assert!(list_item("1.12.0 released").is_none());
        assert!(list_item("10.15 restart").is_none());
    }

    #[test]
    fn a_word_processors_bullets_mark_their_level() {
        for (line, indent, rest) in [
            ("● Check the keys", 0, "Check the keys"),
            ("•\tCheck the keys", 0, "Check the keys"),
            ("○ add a unit test", 2, "add a unit test"),
            ("\t◦\tadd a unit test", 3, "add a unit test"),
            ("■ for cards", 4, "for cards"),
        ] {
            assert!(
                matches!(list_item(line), Some((i, ListMarker::Bullet, r)) if i == indent && r == rest),
                "{line}"
            );
        }
        // Under the first level's item, the second level's detail it.
        let got = super::super::actions::extract(&split(
            "● Check the keys (Owner: Ravi)\n○ add a unit test\n● Refund the charges (Owner: Lena)\n",
            1,
        ));
        let owned: Vec<_> = got
            .items
            .iter()
            .map(|a| (a.text.as_str(), a.owner.as_deref()))
            .collect();
        assert_eq!(
            owned,
            [
                ("Check the keys; add a unit test", Some("Ravi")),
                ("Refund the charges", Some("Lena"))
            ]
        );
    }

    #[test]
    fn a_lettered_list_is_a_list() {
        for (line, rest) in [
            ("a) Add an alert", "Add an alert"),
            ("  (b) Add a check", "Add a check"),
        ] {
            assert!(
                matches!(list_item(line), Some((_, ListMarker::Number, r)) if r == rest),
                "{line}"
            );
        }
        for line in ["a)b", "ab) x", "as it happened", "(see below)", "(ab) x"] {
            assert!(list_item(line).is_none(), "{line}");
        }
    }

    #[test]
    fn a_restructuredtext_field_is_a_label() {
        let (label, rest) = split_label(":Severity: Major").unwrap();
        assert_eq!((label.as_ref(), rest.trim()), ("Severity", "Major"));
        assert!(split_label(": not a field").is_none());
        assert!(split_label(":: code").is_none());
        let (label, rest) = split_label("**•\tImpact:** Users saw errors").unwrap();
        assert_eq!(
            (label.as_ref(), rest.trim()),
            ("Impact", "Users saw errors")
        );
        let (label, rest) = split_label("🚦 **Severity:** SEV3").unwrap();
        assert_eq!((label.as_ref(), rest.trim()), ("Severity", "SEV3"));
        // Single emphasis closing after the colon (Slack writes bold so).
        for line in ["*Severity:* SEV2", "_Severity:_ SEV2"] {
            let (label, rest) = split_label(line).unwrap();
            assert_eq!(
                (label.as_ref(), rest.trim()),
                ("Severity", "SEV2"),
                "{line}"
            );
        }
        assert!(split_label("*Incident 482 resolved: 502s on the storefront*").is_none());
    }

    #[test]
    fn heading_spellings() {
        assert_eq!(
            head("## Timeline (UTC)").unwrap().kind,
            Some(SectionKind::Timeline)
        );
        assert_eq!(
            head("**Root Cause:**").unwrap().kind,
            Some(SectionKind::RootCause)
        );
        let h = head("Issue Summary: On April 3rd the site went down").unwrap();
        assert_eq!(h.kind, Some(SectionKind::Summary));
        assert_eq!(h.inline.as_deref(), Some("On April 3rd the site went down"));
        assert_eq!(
            head("- **Impact**: Slow performance").unwrap().kind,
            Some(SectionKind::Impact)
        );
        assert_eq!(head("Timeline:").unwrap().kind, Some(SectionKind::Timeline));
        // A long note in brackets after a plain line's name.
        assert_eq!(
            head("Timeline (from the #inc-login channel, times in UTC)")
                .unwrap()
                .kind,
            Some(SectionKind::Timeline)
        );
        assert!(head("Timeline of the events that led the team to roll back").is_none());
        // Numbered sections of a plain-text report, but not a table of contents.
        let h = head("2. Timeline (UTC)\n13:05 Message published.").unwrap();
        assert_eq!(h.kind, Some(SectionKind::Timeline));
        assert!(head("1. Summary\n2. Timeline\n").is_none());
        assert!(head("1. Improve the summary\nof the runbook").is_none());
        assert!(head("11:02 AM GMT— Website").is_none());
        assert!(head("See https://example.com").is_none());
        let s = head("Lessons Learned\n---------------").unwrap();
        assert!(s.setext);
    }

    #[test]
    fn table_cells_split_on_unescaped_pipes() {
        assert_eq!(table_cells("| a | b |"), Some(vec!["a", "b"]));
        assert_eq!(
            table_cells("  |11:02| x \\| y |z"),
            Some(vec!["11:02", "x \\| y", "z"])
        );
        assert_eq!(table_cells("| a \\\\| b |"), Some(vec!["a \\\\", "b"]));
        assert_eq!(table_cells("| é\\é | \\"), Some(vec!["é\\é", "\\"]));
        assert_eq!(table_cells("|"), None);
        assert_eq!(table_cells("a | b"), None);
    }

    #[test]
    fn link_definitions_are_known() {
        for yes in [
            "[hook]: https://github.com/kubernetes/test-infra",
            "  [Discussion in #testing-ops]: https://slack.com/x \"title\"",
            "[1]: <https://example.com>",
        ] {
            assert!(is_link_definition(yes), "{yes}");
        }
        for no in [
            "[Ana]: run the migrations outside the window",
            "[Ana]: reboot",
            "[x] done",
            "    [hook]: https://indented.example.com",
            "- [hook]: https://example.com",
        ] {
            assert!(!is_link_definition(no), "{no}");
        }
    }

    #[test]
    fn code_fences_hide_headings() {
        let lines = split("```\n# not a heading\n```\n# Summary", 1);
        assert!(lines[1].code);
        assert!(heading_at(&lines, 1, true).is_none());
        assert!(heading_at(&lines, 3, true).is_some());
    }
}
