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
        let fence_here = match trimmed.as_bytes().first() {
            Some(&c @ (b'`' | b'~')) => {
                let n = trimmed.bytes().take_while(|&x| x == c).count();
                (n >= 3).then_some((char::from(c), n))
            }
            _ => None,
        };
        let code = match (fence, fence_here) {
            (None, Some(f)) => {
                fence = Some(f);
                true
            }
            (Some((c, n)), Some((c2, n2)))
                if c == c2 && n2 >= n && trimmed.trim_end().chars().all(|x| x == c) =>
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

/// Whether `hay` contains `needle` (lowercase ASCII), ignoring ASCII case, without allocating.
pub fn contains_ci(hay: &str, needle: &str) -> bool {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    let Some(&first) = n.first() else {
        return false;
    };
    if h.len() < n.len() {
        return false;
    }
    // Candidates are the places of the first byte, in either case, found by memchr.
    let starts = &h[..=h.len() - n.len()];
    let hit = |i: usize| h[i..i + n.len()].eq_ignore_ascii_case(n);
    if first.is_ascii_alphabetic() {
        memchr::memchr2_iter(
            first.to_ascii_lowercase(),
            first.to_ascii_uppercase(),
            starts,
        )
        .any(hit)
    } else {
        memchr::memchr_iter(first, starts).any(hit)
    }
}

/// Whether `hay` contains any of these lowercase four-byte ASCII words, ignoring ASCII case: at
/// each byte, the four bytes there are compared whole with each needle. Setting bit 5 of a byte
/// makes it equal a lowercase letter exactly when it is that letter in either case, so only the
/// needle's letters have the bit set before comparing.
pub fn contains_any4_ci<const N: usize>(hay: &str, needles: [[u8; 4]; N]) -> bool {
    let needles = needles.map(|n| {
        let fold = n.map(|c| if c.is_ascii_lowercase() { 0x20 } else { 0 });
        (u32::from_le_bytes(fold), u32::from_le_bytes(n))
    });
    hay.as_bytes().windows(4).any(|w| {
        let q = u32::from_le_bytes([w[0], w[1], w[2], w[3]]);
        needles.iter().any(|&(fold, n)| q | fold == n)
    })
}

/// A fixed set of lowercase ASCII phrases (at most 64), any of which may occur anywhere in a
/// text, ignoring ASCII case. One pass over the text: at each byte, the four bytes there
/// (lowercased together) pick from a table the few phrases that can start with them, and only
/// those are compared. Phrases of two or three bytes, and the text's last three bytes, are
/// looked up by their first two bytes instead.
pub struct Cues {
    /// Some phrase is this one byte.
    single: [bool; 256],
    /// Every one-byte phrase lies in `lo..=hi` (an empty range, `0x7f..=0`, when there is none).
    single_range: (u8, u8),
    /// Bit `k` set: phrase `k` starts with a letter pair of this hash.
    pairs: [u64; 1024],
    /// Bit `k` set: phrase `k` is four bytes or longer and starts with four bytes of this hash.
    quads: [u64; QUADS],
    /// Some phrase is two or three bytes long.
    short: bool,
    phrases: &'static [&'static str],
}

const QUADS: usize = 4096;

/// Texts at least this long (past the starting point) are read by four bytes at a time.
const LONG: usize = 32;

const fn pair_slot(a: u8, b: u8) -> usize {
    ((a as usize) << 5 ^ b as usize) & 1023
}

const fn quad_slot(q: u32) -> usize {
    (q.wrapping_mul(0x9E37_79B1) >> 20) as usize
}

/// [`lower8`] for four bytes.
const fn lower4(x: u32) -> u32 {
    lower8(x as u64) as u32
}

/// The high bit of each byte of `x` that is ASCII and within `lo..=hi` (at most 0x7f).
const fn bytes_within(x: u64, lo: u8, hi: u8) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    let heptets = x & (ONES * 0x7f);
    let at_least_lo = heptets.wrapping_add(ONES * (0x80 - lo as u64));
    let above_hi = heptets.wrapping_add(ONES * (0x7f - hi as u64));
    at_least_lo & !above_hi & !x & (ONES * 0x80)
}

/// Eight bytes with ASCII capitals made lowercase (every other byte kept), as one integer.
pub(crate) const fn lower8(x: u64) -> u64 {
    let heptets = x & 0x7f7f_7f7f_7f7f_7f7f;
    // High bit of each byte: at least `A`; above `Z`; (below) not ASCII at all.
    let at_least_a = heptets.wrapping_add(0x3f3f_3f3f_3f3f_3f3f);
    let above_z = heptets.wrapping_add(0x2525_2525_2525_2525);
    let upper = at_least_a & !above_z & !x & 0x8080_8080_8080_8080;
    x | (upper >> 2)
}

impl Cues {
    pub const fn new(phrases: &'static [&'static str]) -> Cues {
        assert!(phrases.len() <= 64, "at most 64 phrases");
        let mut single = [false; 256];
        let mut single_range = (0x7f_u8, 0_u8);
        let mut pairs = [0u64; 1024];
        let mut quads = [0u64; QUADS];
        let mut short = false;
        let mut i = 0;
        while i < phrases.len() {
            let b = phrases[i].as_bytes();
            if b.len() == 1 {
                single[b[0] as usize] = true;
                assert!(b[0].is_ascii(), "one-byte phrases are ASCII");
                if b[0] < single_range.0 {
                    single_range.0 = b[0];
                }
                if b[0] > single_range.1 {
                    single_range.1 = b[0];
                }
            } else if b.len() > 1 {
                pairs[pair_slot(b[0], b[1])] |= 1 << i;
                if b.len() >= 4 {
                    let q = lower4(u32::from_le_bytes([b[0], b[1], b[2], b[3]]));
                    quads[quad_slot(q)] |= 1 << i;
                } else {
                    short = true;
                }
            }
            i += 1;
        }
        Cues {
            single,
            single_range,
            pairs,
            quads,
            short,
            phrases,
        }
    }

    /// Whether any phrase occurs in `hay`.
    pub fn any_in(&self, hay: &str) -> bool {
        self.find_from(hay, 0).is_some()
    }

    /// The byte offset of the first phrase that starts at or after `from`.
    pub fn find_from(&self, hay: &str, from: usize) -> Option<usize> {
        let h = hay.as_bytes();
        let verify = |mut mask: u64, i: usize| {
            while mask != 0 {
                let p = self.phrases[mask.trailing_zeros() as usize].as_bytes();
                if h.get(i..i + p.len())
                    .is_some_and(|w| w.eq_ignore_ascii_case(p))
                {
                    return true;
                }
                mask &= mask - 1;
            }
            false
        };
        let mut i = from;
        // Short texts (a line, a label) are read by pairs: the larger table would only cost them
        // cache misses.
        if !self.short && h.len() >= from + LONG {
            // Four places per eight bytes read: the table entries of all four are looked up
            // before any branch, and most often none has a candidate.
            while let Some(w) = h.get(i..i + 8) {
                let x = lower8(u64::from_le_bytes([
                    w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7],
                ]));
                let masks = [0, 8, 16, 24].map(|s| self.quads[quad_slot((x >> s) as u32)]);
                let (lo, hi) = self.single_range;
                let maybe_single = bytes_within(x, lo, hi) & 0x8080_8080;
                if (masks[0] | masks[1] | masks[2] | masks[3] | maybe_single) == 0 {
                    i += 4;
                    continue;
                }
                for (k, mask) in masks.into_iter().enumerate() {
                    let c = (x >> (8 * k)) as u8;
                    if self.single[usize::from(c)] || (mask != 0 && verify(mask, i + k)) {
                        return Some(i + k);
                    }
                }
                i += 4;
            }
            while let Some(w) = h.get(i..i + 4) {
                let q = lower4(u32::from_le_bytes([w[0], w[1], w[2], w[3]]));
                if self.single[(q & 0xff) as usize] {
                    return Some(i);
                }
                let mask = self.quads[quad_slot(q)];
                if mask != 0 && verify(mask, i) {
                    return Some(i);
                }
                i += 1;
            }
        }
        // The last bytes (and phrases of two or three bytes) a pair at a time.
        while let Some(&b) = h.get(i) {
            let c = b.to_ascii_lowercase();
            if self.single[usize::from(c)] {
                return Some(i);
            }
            if let Some(&next) = h.get(i + 1) {
                let mask = self.pairs[pair_slot(c, next.to_ascii_lowercase())];
                if mask != 0 && verify(mask, i) {
                    return Some(i);
                }
            }
            i += 1;
        }
        None
    }
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
pub fn list_item(line: &str) -> Option<(usize, ListMarker, &str)> {
    let t = line.trim_start();
    let indent = line.len() - t.len();
    // Every marker starts with one of these bytes (`•`, `–` and `—` with 0xE2, `·` with 0xC2).
    if !matches!(
        t.as_bytes().first(),
        Some(b'-' | b'*' | b'+' | 0xC2 | 0xE2 | b'0'..=b'9')
    ) {
        return None;
    }
    for b in ["- ", "* ", "+ ", "• ", "· ", "– ", "— "] {
        if let Some(rest) = t.strip_prefix(b) {
            return Some((indent, ListMarker::Bullet, rest));
        }
    }
    if t == "-" || t == "*" {
        return Some((indent, ListMarker::Bullet, ""));
    }
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    if (1..=3).contains(&digits) {
        let rest = &t[digits..];
        for m in [". ", ") ", ".\t"] {
            if let Some(r) = rest.strip_prefix(m) {
                return Some((indent, ListMarker::Number, r));
            }
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
    let inner = inner.strip_suffix('|').unwrap_or(inner);
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
    Some(cells)
}

pub fn is_table_separator(line: &str) -> bool {
    let t = line.trim();
    t.starts_with('|')
        && t.contains('-')
        && t.chars().all(|c| matches!(c, '|' | '-' | ':' | ' ' | '\t'))
}

fn is_setext_underline(line: &str) -> Option<u8> {
    let t = line.trim();
    if t.len() >= 3 && t.bytes().all(|b| b == b'=') {
        Some(1)
    } else if t.len() >= 3 && t.bytes().all(|b| b == b'-') {
        Some(2)
    } else {
        None
    }
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
    if let Some((level, rest)) = atx(text) {
        let clean = strip_emphasis(trim_colon(rest));
        return (!clean.is_empty()).then(|| Heading::explicit(clean, level, false));
    }
    let item = list_item(text);
    // Setext: a single text line, then ===/---. Lists and tables cannot be setext headings.
    if prev_blank
        && item.is_none()
        && !trimmed.starts_with('|')
        && !trimmed.starts_with('>')
        && let Some(next) = lines.get(i + 1)
        && !next.code
        && let Some(level) = is_setext_underline(next.text)
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
    {
        return Some(Heading::explicit(strip_emphasis(&inner), 7, false));
    }
    if text.starts_with(char::is_whitespace) {
        return None;
    }
    // Label: "Issue Summary:", "Root Cause: text", "**Impact**: text", "- **Impact**: text".
    let (label_src, bulleted) = match item {
        Some((0, ListMarker::Bullet, rest)) if rest.trim_start().starts_with("**") => (rest, true),
        Some(_) => return None,
        None => (text, false),
    };
    if let Some((label, inline)) = split_label(label_src) {
        let inline = inline.trim();
        if let Some(kind) = vocab::section_kind(&label, Strictness::Label) {
            return Some(Heading::named(
                label.into_owned(),
                kind,
                (!inline.is_empty()).then(|| inline.to_string()),
            ));
        }
        // "- **Context**:" with its content below: a section of its own, whatever its name.
        if bulleted && inline.is_empty() && label_src.trim_end().ends_with(':') {
            return Some(Heading {
                text: label.into_owned(),
                level: 8,
                kind: None,
                inline: None,
                explicit: false,
                setext: false,
            });
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
    if plain.len() <= 60
        && plain.split_whitespace().count() <= 6
        && let Some(kind) = vocab::section_kind(&plain, Strictness::Plain)
    {
        return Some(Heading::named(plain.into_owned(), kind, None));
    }
    None
}

/// `Label: rest` or `**Label**: rest` / `**Label:** rest`. The label is at most six words (and
/// 80 bytes when it is not in bold).
pub fn split_label(s: &str) -> Option<(Cow<'_, str>, &str)> {
    let t = s.trim_start();
    if let Some(after) = t.strip_prefix("**") {
        // Two bytes compared at each place (a phrase search would first build a searcher).
        let close = after.as_bytes().windows(2).position(|w| w == b"**")?;
        let inner = &after[..close];
        let rest = &after[close + 2..];
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
        assert!(head("11:02 AM GMT— Website").is_none());
        assert!(head("See https://example.com").is_none());
        let s = head("Lessons Learned\n---------------").unwrap();
        assert!(s.setext);
    }

    #[test]
    fn cues_match_anywhere_ignoring_case() {
        static C: Cues = Cues::new(&["%", "lasted", "down for", "la"]);
        assert!(C.any_in("It LASTED long"));
        assert!(C.any_in("was Down For an hour"));
        assert!(C.any_in("50% of requests"));
        assert!(C.any_in("Lagos"));
        assert!(!C.any_in("it went down, for a while"));
        assert!(!C.any_in(""));
        assert!(!C.any_in("l"));
    }

    #[test]
    fn bytes_are_lowercased_together() {
        for b in 0..=255u8 {
            let x = u64::from_le_bytes([b, b'Q', 0xC3, b, b'z', b, b'@', b]);
            let l = b.to_ascii_lowercase();
            let expected = u64::from_le_bytes([l, b'q', 0xC3, l, b'z', l, b'@', l]);
            assert_eq!(lower8(x), expected, "{b:#x}");
            assert_eq!(lower4(x as u32), expected as u32, "{b:#x}");
        }
    }

    #[test]
    fn one_byte_phrases_are_a_range_or_none() {
        static NONE: Cues = Cues::new(&["lasted"]);
        static DIGITS: Cues = Cues::new(&["7", "2", "noon", "5"]);
        assert_eq!(
            bytes_within(
                u64::from_le_bytes(*b"0127\x7f%ab"),
                NONE.single_range.0,
                NONE.single_range.1
            ),
            0
        );
        assert_eq!(DIGITS.single_range, (b'2', b'7'));
    }

    /// Where the first of the cues' phrases starts at or after `from`, searching for each one
    /// in the lowercased text: the plain way [`Cues::find_from`] must agree with.
    fn first_by_search(cues: &Cues, hay: &str, from: usize) -> Option<usize> {
        let lower = hay.to_ascii_lowercase();
        cues.phrases
            .iter()
            .filter_map(|p| {
                (from..lower.len()).find(|&i| lower.as_bytes()[i..].starts_with(p.as_bytes()))
            })
            .min()
    }

    proptest::proptest! {
        #[test]
        fn four_byte_words_are_found_as_contains_ci_finds(hay in "(TiMe|tim|ZONE|zon|e| |é|x|\\[|@|\\x00|T\\x00|By|due|DUE){0,12}") {
            proptest::prop_assert_eq!(
                contains_any4_ci(&hay, [*b"time", *b"zone"]),
                contains_ci(&hay, "time") || contains_ci(&hay, "zone")
            );
            proptest::prop_assert_eq!(
                contains_any4_ci(&hay, [*b" by ", *b" due"]),
                contains_ci(&hay, " by ") || contains_ci(&hay, " due")
            );
        }

        #[test]
        fn contains_ci_finds_what_a_lowercased_copy_contains(
            hay in "(BeTween|betwee|b|B|é|x| |ween|<StArt|<|s){0,16}",
        ) {
            let lower = hay.to_ascii_lowercase();
            for needle in ["between ", "b", "<start", "s", "ween b"] {
                proptest::prop_assert_eq!(contains_ci(&hay, needle), lower.contains(needle), "{:?}", needle);
            }
        }

        #[test]
        fn long_cues_find_the_first_phrase_as_searching_for_each_does(
            hay in "(DoWn|dow|LASTED|lasteD|noon|NOO|down fOr|x|yz|7|5|-|é| |%|abcdefghijklmnop){0,160}",
            from in 0..700usize,
        ) {
            static C: Cues = Cues::new(&["%", "lasted", "down for", "7", "noon", "down"]);
            proptest::prop_assert_eq!(C.find_from(&hay, from), first_by_search(&C, &hay, from));
        }

        #[test]
        fn cues_find_the_first_phrase_as_searching_for_each_does(
            hay in "[a-zA-Z0-9 %é.]{0,60}",
            from in 0..64usize,
        ) {
            static C: Cues = Cues::new(&["%", "lasted", "down for", "la", "7", "noon", "dow", "é"]);
            proptest::prop_assert_eq!(C.find_from(&hay, from), first_by_search(&C, &hay, from));
        }
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
    fn code_fences_hide_headings() {
        let lines = split("```\n# not a heading\n```\n# Summary", 1);
        assert!(lines[1].code);
        assert!(heading_at(&lines, 1, true).is_none());
        assert!(heading_at(&lines, 3, true).is_some());
    }
}
