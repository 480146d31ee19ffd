//! The source text as rules see it: numbered lines, what is prose, where each section lies, and
//! how to turn a phrase back into a line and column.

use crate::import::frontmatter;
use crate::import::lines::{self, Line};
use crate::model::{Postmortem, SectionKind};

pub(crate) struct Doc<'a> {
    /// Every line of the text, numbered from 1. `code` is set for fenced code, front matter and
    /// HTML comments: nothing a reader would take as the authors' prose.
    pub lines: Vec<Line<'a>>,
    /// (kind, heading line, first line after the section).
    pub sections: Vec<(SectionKind, usize, usize)>,
}

impl<'a> Doc<'a> {
    pub fn new(text: &'a str, p: &Postmortem) -> Doc<'a> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut all = lines::split(text, 1);
        let body_line = frontmatter::split(text).body_line;
        let mut in_comment = false;
        for l in &mut all {
            if l.no < body_line {
                l.code = true;
            }
            let t = l.text.trim();
            if in_comment || t.starts_with("<!--") {
                l.code = true;
                in_comment = !t.contains("-->");
            }
        }
        let mut heads: Vec<(SectionKind, usize)> =
            p.sections.iter().map(|s| (s.kind, s.line)).collect();
        heads.sort_by_key(|h| h.1);
        let last = all.len() + 1;
        let sections = heads
            .iter()
            .enumerate()
            .map(|(i, (k, l))| (*k, *l, heads.get(i + 1).map_or(last, |n| n.1)))
            .collect();
        Doc {
            lines: all,
            sections,
        }
    }

    /// Line ranges of the sections of these kinds, in document order.
    pub fn ranges(&self, kinds: &[SectionKind]) -> Vec<(usize, usize)> {
        self.sections
            .iter()
            .filter(|(k, _, _)| kinds.contains(k))
            .map(|(_, a, b)| (*a, *b))
            .collect()
    }

    /// The heading line of the first section of one of these kinds.
    pub fn heading_line(&self, kinds: &[SectionKind]) -> Option<usize> {
        self.ranges(kinds).first().map(|r| r.0)
    }

    /// Prose lines (not code, front matter or comments) with `from <= no < to`.
    pub fn prose(&self, from: usize, to: usize) -> impl Iterator<Item = &Line<'a>> {
        self.lines
            .iter()
            .skip(from.saturating_sub(1))
            .take_while(move |l| l.no < to)
            .filter(|l| !l.code)
    }

    /// The first prose line in the ranges holding `needle` (lowercase) as whole words: its line and
    /// 1-based character column.
    pub fn find(&self, ranges: &[(usize, usize)], needle: &str) -> Option<(usize, usize)> {
        ranges.iter().find_map(|&(a, b)| {
            self.prose(a, b)
                .find_map(|l| find_word(l.text, needle).map(|i| (l.no, column(l.text, i))))
        })
    }

    /// The whole document as one range.
    pub fn everything(&self) -> [(usize, usize); 1] {
        [(1, self.lines.len() + 1)]
    }

    /// The line's text by number.
    pub fn line(&self, no: usize) -> Option<&'a str> {
        self.lines.get(no.checked_sub(1)?).map(|l| l.text)
    }

    /// The column of the first non-blank, non-marker character of a line (where an entry's or
    /// an item's own text starts).
    pub fn text_column(&self, no: usize) -> usize {
        let Some(t) = self.line(no) else { return 1 };
        let rest = lines::list_item(t).map_or(t.trim_start(), |(_, _, r)| r);
        let rest = rest.trim_start_matches(['|', ' ', '\t']);
        column(t, t.len() - rest.len())
    }
}

/// 1-based character column of byte offset `byte` in `s`.
pub fn column(s: &str, byte: usize) -> usize {
    s.get(..byte).map_or(1, |p| p.chars().count() + 1)
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// Byte offset of `needle` (lowercase ASCII) in `hay` as whole words, ignoring ASCII case.
/// Only the places holding the needle's first byte, in either case, are compared (memchr finds
/// them): the rules look for dozens of phrases in every line.
pub fn find_word(hay: &str, needle: &str) -> Option<usize> {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    let &first = n.first()?;
    let last = h.len().checked_sub(n.len())?;
    let whole = |i: usize| {
        h[i..i + n.len()].eq_ignore_ascii_case(n)
            && (i == 0 || !is_word_byte(h[i - 1]) || !is_word_byte(first))
            && h.get(i + n.len())
                .is_none_or(|&c| !is_word_byte(c) || !is_word_byte(n[n.len() - 1]))
    };
    let starts = &h[..=last];
    let (lower, upper) = (first.to_ascii_lowercase(), first.to_ascii_uppercase());
    if lower == upper {
        memchr::memchr_iter(first, starts).find(|&i| whole(i))
    } else {
        memchr::memchr2_iter(lower, upper, starts).find(|&i| whole(i))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_found_whole_and_columns_count_characters() {
        assert_eq!(find_word("a lot of lost", "a lot"), Some(0));
        assert_eq!(find_word("Salot", "a lot"), None);
        assert_eq!(find_word("it was a lottery", "a lot"), None);
        assert_eq!(find_word("xx A LOT", "a lot"), Some(3));
        assert_eq!(column("é a lot", 3), 3);
    }

    /// Every position tried, as before the first-byte search.
    fn find_word_everywhere(hay: &str, needle: &str) -> Option<usize> {
        let (h, n) = (hay.as_bytes(), needle.as_bytes());
        if n.is_empty() || h.len() < n.len() {
            return None;
        }
        (0..=h.len() - n.len()).find(|&i| {
            h[i..i + n.len()].eq_ignore_ascii_case(n)
                && (i == 0 || !is_word_byte(h[i - 1]) || !is_word_byte(n[0]))
                && h.get(i + n.len())
                    .is_none_or(|&c| !is_word_byte(c) || !is_word_byte(n[n.len() - 1]))
        })
    }

    #[test]
    fn the_first_byte_search_finds_what_trying_every_position_does() {
        let pieces = [
            "a", "A", "lot", "LoT", " ", "-", "_", "é", "1", "data", "Data", "(", "los", "lost",
        ];
        let needles = [
            "a lot",
            "lost",
            "data",
            "-",
            "(a",
            "é",
            "1 a",
            "",
            "lost data",
        ];
        let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
        for _ in 0..5_000 {
            let mut hay = String::new();
            for _ in 0..(seed % 12) {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                hay.push_str(pieces[(seed % pieces.len() as u64) as usize]);
            }
            seed = seed.wrapping_add(1);
            for needle in needles {
                assert_eq!(
                    find_word(&hay, needle),
                    find_word_everywhere(&hay, needle),
                    "{hay:?} {needle:?}"
                );
            }
        }
    }
}
