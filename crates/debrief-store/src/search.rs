//! A search query, parsed once at the edge, and the snippet shown with each hit.
//!
//! [`SearchQuery::parse`] turns what a user typed into a short list of distinct terms: words,
//! `word*` prefixes and `"quoted phrases"`. Repeats are merged (a word typed forty times is one
//! term, not forty joins over the index), and a query of more than [`MAX_TERMS`] terms is
//! refused with a message saying so, because every term costs a pass over its postings. Each
//! backend writes the same terms in its own syntax ([`SearchQuery::fts5`],
//! [`SearchQuery::websearch`]), and both make snippets with [`snippet`] from the prose at the
//! start of a stored record ([`record_prose`]): at most [`SNIPPET_SOURCE`] characters, read
//! from at most [`SNIPPET_RECORD`] bytes of the record, so a huge document costs no more than a
//! small one.

use std::fmt;

/// Most distinct terms a query may have.
pub const MAX_TERMS: usize = 16;
/// Longest term (characters); longer "words" are not words.
pub const MAX_TERM_CHARS: usize = 64;
/// Most words in one quoted phrase.
pub const MAX_PHRASE_WORDS: usize = 8;
/// Characters of a body a snippet is taken from.
pub const SNIPPET_SOURCE: usize = 16 * 1024;
/// Bytes of a record's JSON read for a snippet's source.
pub const SNIPPET_RECORD: usize = 64 * 1024;
/// Words in a snippet.
const SNIPPET_WORDS: usize = 16;

/// One thing to find.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Term {
    /// A word, lowercased; `prefix` for `word*`.
    Word { text: String, prefix: bool },
    /// Words that must appear in this order, lowercased.
    Phrase(Vec<String>),
}

/// A parsed query: distinct terms, at least one, at most [`MAX_TERMS`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchQuery {
    terms: Vec<Term>,
}

/// Why a query was refused; the message says what to do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct QueryError(pub String);

/// The characters a word keeps; everything else separates words or is dropped, so nothing a
/// user types is read as query syntax by a backend.
fn word_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | '\'')
}

fn clean(word: &str) -> Option<String> {
    let w: String = word
        .chars()
        .filter(|c| word_char(*c))
        .flat_map(char::to_lowercase)
        .collect();
    let w = w.trim_matches(|c: char| !c.is_alphanumeric()).to_string();
    (!w.is_empty()).then_some(w)
}

fn too_long(word: &str) -> Result<(), QueryError> {
    if word.chars().count() > MAX_TERM_CHARS {
        let shown: String = word.chars().take(20).collect();
        return Err(QueryError(format!(
            "the word \"{shown}…\" is longer than {MAX_TERM_CHARS} characters; search for a shorter part of it"
        )));
    }
    Ok(())
}

impl SearchQuery {
    /// Reads a query: `"quoted phrases"`, `word*` for a prefix, other words as they are.
    pub fn parse(input: &str) -> Result<SearchQuery, QueryError> {
        let mut terms: Vec<Term> = Vec::new();
        let mut push = |t: Term| -> Result<(), QueryError> {
            if !terms.contains(&t) {
                if terms.len() == MAX_TERMS {
                    return Err(QueryError(format!(
                        "the search has more than {MAX_TERMS} different words or phrases; keep the {MAX_TERMS} that matter most"
                    )));
                }
                terms.push(t);
            }
            Ok(())
        };
        let mut rest = input.trim();
        while !rest.is_empty() {
            if let Some(after) = rest.strip_prefix('"') {
                let end = after.find('"').unwrap_or(after.len());
                let words: Vec<String> =
                    after[..end].split_whitespace().filter_map(clean).collect();
                for w in &words {
                    too_long(w)?;
                }
                if words.len() > MAX_PHRASE_WORDS {
                    return Err(QueryError(format!(
                        "a quoted phrase has more than {MAX_PHRASE_WORDS} words; quote a shorter part of it"
                    )));
                }
                match words.len() {
                    0 => {}
                    1 => push(Term::Word {
                        text: words.into_iter().next().unwrap_or_default(),
                        prefix: false,
                    })?,
                    _ => push(Term::Phrase(words))?,
                }
                rest = after.get(end + 1..).unwrap_or("").trim_start();
                continue;
            }
            let end = rest
                .find(|c: char| c.is_whitespace() || c == '"')
                .unwrap_or(rest.len());
            let word = &rest[..end];
            rest = rest[end..].trim_start();
            if let Some(text) = clean(word) {
                too_long(&text)?;
                push(Term::Word {
                    text,
                    prefix: word.ends_with('*'),
                })?;
            }
        }
        if terms.is_empty() {
            return Err(QueryError(
                "the search is empty; give at least one word".into(),
            ));
        }
        Ok(SearchQuery { terms })
    }

    pub fn terms(&self) -> &[Term] {
        &self.terms
    }

    /// The query in FTS5's syntax: every word quoted, so nothing is read as an operator.
    pub fn fts5(&self) -> String {
        let quoted: Vec<String> = self
            .terms
            .iter()
            .map(|t| match t {
                Term::Word { text, prefix } => {
                    format!(
                        "\"{}\"{}",
                        text.replace('"', ""),
                        if *prefix { "*" } else { "" }
                    )
                }
                Term::Phrase(words) => format!("\"{}\"", words.join(" ")),
            })
            .collect();
        quoted.join(" ")
    }

    /// The query for PostgreSQL's `websearch_to_tsquery`: words and quoted phrases, all required.
    /// (`websearch_to_tsquery` has no prefix form; a `word*` is searched as the word.)
    pub fn websearch(&self) -> String {
        let parts: Vec<String> = self
            .terms
            .iter()
            .map(|t| match t {
                Term::Word { text, .. } => text.clone(),
                Term::Phrase(words) => format!("\"{}\"", words.join(" ")),
            })
            .collect();
        parts.join(" ")
    }

    /// Whether a word of a text (lowercased) is one the query looks for: the word itself, a
    /// prefix term's continuation, or the word with a short ending (`databases`, `failed`) as
    /// the backends' stemmers match it.
    fn marks(&self, word: &str) -> bool {
        let hit = |t: &str, prefix: bool| {
            word.strip_prefix(t)
                .is_some_and(|rest| prefix || rest.chars().count() <= 3)
        };
        self.terms.iter().any(|t| match t {
            Term::Word { text, prefix } => hit(text, *prefix),
            Term::Phrase(words) => words.iter().any(|w| hit(w, false)),
        })
    }
}

impl fmt::Display for SearchQuery {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.websearch())
    }
}

/// The prose of a record's JSON, in the record's order: every string value with a space in it
/// (title, summary, impact, causes, timeline entries, action items, sections; not keys, instants
/// or kinds), a line each. `json` may be cut anywhere (see
/// [`crate::packed::unpack_prefix`]): what was cut is left out.
pub fn record_prose(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    let mut rest = json;
    while let Some(open) = rest.find('"') {
        rest = &rest[open + 1..];
        // The string runs to the first quote not escaped by a backslash.
        // (An escape is a backslash and one character; the digits of `\uXXXX` hold no quote.)
        let bytes = rest.as_bytes();
        let mut end = None;
        let mut escaped = false;
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'\\' => {
                    escaped = true;
                    i += 2;
                }
                b'"' => {
                    end = Some(i);
                    break;
                }
                _ => i += 1,
            }
        }
        let Some(end) = end else { break };
        let value = &rest[..end];
        rest = &rest[end + 1..];
        if !value.contains(' ') {
            continue;
        }
        if escaped {
            unescape_into(value, &mut out);
        } else {
            out.push_str(value);
        }
        out.push('\n');
    }
    out
}

/// A JSON string's contents without its escapes; line breaks and tabs become spaces.
fn unescape_into(value: &str, out: &mut String) {
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n' | 'r' | 't') => out.push(' '),
            Some('u') => {
                let hex: String = chars.by_ref().take(4).collect();
                out.push(
                    u32::from_str_radix(&hex, 16)
                        .ok()
                        .and_then(char::from_u32)
                        .unwrap_or(' '),
                );
            }
            Some(other) => out.push(other),
            None => {}
        }
    }
}

/// The snippet of a stored (packed) record: [`snippet`] of its prose, read from as little of
/// the record as gives it. A match near the start (most matches of a common word) needs the
/// first few kilobytes inflated; at most [`SNIPPET_RECORD`] bytes are.
pub fn record_snippet(
    stored: &[u8],
    query: &SearchQuery,
) -> Result<String, crate::packed::UnpackError> {
    let mut record = crate::packed::Unpacker::new(stored);
    let mut limit = 4 * 1024;
    loop {
        let whole = record.fill(limit)?;
        let (shown, settled) = snippet_of(&record_prose(record.text()?), query);
        if settled || whole || limit >= SNIPPET_RECORD {
            return Ok(shown);
        }
        limit = (limit * 4).min(SNIPPET_RECORD);
    }
}

/// About [`SNIPPET_WORDS`] words of `body` around the first word the query looks for, with
/// every such word in `[brackets]` and `…` where text was cut. Only the first
/// [`SNIPPET_SOURCE`] characters are read; without a match there, the snippet is the start.
pub fn snippet(body: &str, query: &SearchQuery) -> String {
    snippet_of(body, query).0
}

/// [`snippet`], and whether more text after `body` could not change it (a match was found
/// with the words that follow it).
fn snippet_of(body: &str, query: &SearchQuery) -> (String, bool) {
    let end = body
        .char_indices()
        .nth(SNIPPET_SOURCE)
        .map_or(body.len(), |(i, _)| i);
    let source = &body[..end];
    // Most words cannot match: their first letter starts no term.
    let firsts: Vec<char> = query
        .terms
        .iter()
        .flat_map(|t| match t {
            Term::Word { text, .. } => vec![text.chars().next()],
            Term::Phrase(words) => words.iter().map(|w| w.chars().next()).collect(),
        })
        .flatten()
        .collect();
    let is_hit = |w: &str| {
        let core = w.trim_matches(|c: char| !c.is_alphanumeric());
        let Some(first) = core.chars().next() else {
            return false;
        };
        first.to_lowercase().any(|f| firsts.contains(&f)) && query.marks(&core.to_lowercase())
    };
    // Words are read up to the first match and the words after it, no further.
    let mut words = source.split_whitespace();
    let mut seen: Vec<&str> = Vec::new();
    let mut first = None;
    for w in words.by_ref() {
        seen.push(w);
        if is_hit(w) {
            first = Some(seen.len() - 1);
            break;
        }
    }
    let first_at = first.unwrap_or(0);
    let start = first_at.saturating_sub(4);
    let mut window: Vec<&str> = seen[start..].iter().copied().take(SNIPPET_WORDS).collect();
    if first.is_some() {
        window.extend(words.by_ref().take(SNIPPET_WORDS - window.len()));
    }
    let more = if first.is_some() {
        words.next().is_some()
    } else {
        seen.len() > window.len()
    };
    let mut out = String::new();
    if start > 0 {
        out.push('…');
    }
    for (i, w) in window.iter().enumerate() {
        if i > 0 || start > 0 {
            out.push(' ');
        }
        if is_hit(w) {
            out.push('[');
            out.push_str(w);
            out.push(']');
        } else {
            out.push_str(w);
        }
    }
    if more || end < body.len() {
        out.push_str(" …");
    }
    (out, first.is_some() && more)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(s: &str) -> SearchQuery {
        SearchQuery::parse(s).unwrap()
    }

    #[test]
    fn words_phrases_and_prefixes_are_quoted_for_fts5() {
        assert_eq!(q("disk full").fts5(), "\"disk\" \"full\"");
        assert_eq!(
            q("\"primary database\" fail*").fts5(),
            "\"primary database\" \"fail\"*"
        );
        assert_eq!(
            q("\"primary database\" fail*").websearch(),
            "\"primary database\" fail"
        );
        assert_eq!(q("AND OR ( ) : NEAR").fts5(), "\"and\" \"or\" \"near\"");
    }

    #[test]
    fn repeated_words_are_one_term() {
        let repeated = vec!["Database"; 40].join(" ");
        assert_eq!(q(&repeated).terms().len(), 1);
        assert_eq!(q("disk DISK disk* \"disk\"").terms().len(), 2);
    }

    #[test]
    fn too_many_terms_are_refused_with_what_to_do() {
        let words: Vec<String> = (0..2000).map(|i| format!("w{i}")).collect();
        let e = SearchQuery::parse(&words.join(" ")).unwrap_err();
        assert!(e.0.contains("more than 16"), "{e}");
        let ok: Vec<String> = (0..MAX_TERMS).map(|i| format!("w{i}")).collect();
        assert!(SearchQuery::parse(&ok.join(" ")).is_ok());
        assert!(SearchQuery::parse(&"x".repeat(65)).is_err());
        assert!(SearchQuery::parse("\"a b c d e f g h i\"").is_err());
    }

    #[test]
    fn empty_searches_are_refused() {
        for s in ["", "   ", "\"\"", "* : ( )", "--"] {
            assert!(SearchQuery::parse(s).is_err(), "{s:?}");
        }
    }

    #[test]
    fn snippets_mark_the_match_near_it() {
        let body = "The cache was cold. Later the primary database failed over and databases \
                    restarted; nobody lost data.";
        let s = snippet(body, &q("database"));
        assert!(s.contains("[database]") && s.contains("[databases]"), "{s}");
        assert!(s.starts_with('…'), "{s}");
        let s = snippet(body, &q("zeppelin"));
        assert!(s.starts_with("The cache"), "{s}");
    }

    #[test]
    fn a_records_prose_is_its_sentences_not_its_keys_or_stamps() {
        let json = r#"{"schema_version":1,"title":"Disk full","summary":"The primary \"db-1\" ran out of disk.\nWrites failed.","instants":{"started":{"at":"2024-06-09T10:00:00Z","zone":"UTC"}},"timeline":[{"text":"10:05 the pager fired \u2014 on call paged","kind":"detection"}],"impact":"cut here"#;
        assert_eq!(
            record_prose(json),
            "Disk full\nThe primary \"db-1\" ran out of disk. Writes failed.\n10:05 the pager fired — on call paged\n"
        );
    }

    #[test]
    fn a_records_snippet_reads_on_until_its_match() {
        let mut record = serde_json::json!({
            "title": "Replica lag on the orders database",
            "summary": "word ".repeat(3000),
            "impact": "Orders were delayed; the zeppelin queue backed up for an hour.",
        })
        .to_string();
        let stored = crate::packed::pack(&record, crate::packed::Kind::Record);
        let s = record_snippet(&stored, &q("zeppelin")).unwrap();
        assert!(s.contains("[zeppelin]") && s.starts_with('…'), "{s}");
        let s = record_snippet(&stored, &q("orders")).unwrap();
        assert!(s.contains("[orders]"), "{s}");
        // Plain text from older rows too, and damage is an error.
        let s = record_snippet(record.as_bytes(), &q("zeppelin")).unwrap();
        assert!(s.contains("[zeppelin]"), "{s}");
        record.truncate(100);
        let mut damaged = crate::packed::pack(&record, crate::packed::Kind::Record);
        let n = damaged.len();
        damaged.truncate(n - 6);
        assert!(record_snippet(&damaged, &q("zeppelin")).is_err());
    }

    #[test]
    fn snippets_read_a_bounded_part_of_the_body() {
        let body = format!("{} needle", "hay ".repeat(1_000_000));
        let s = snippet(&body, &q("needle"));
        assert!(!s.contains("[needle]") && s.ends_with('…'), "{s}");
        assert!(s.len() < 200);
    }
}
