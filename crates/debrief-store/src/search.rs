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
/// Fewest characters before a prefix term's `*`. A shorter prefix stands for thousands of
/// words, each of whose lists of postmortems is read and merged: at 100,000 postmortems `re*`
/// took 0.24 s and `s*` 0.59 s on SQLite (0.93 s with a tag), against 16 ms for `data*`.
pub const MIN_PREFIX_CHARS: usize = 3;
/// Most prefix terms in one query. Even three letters can stand for a large share of the index
/// (`res*` read and merged the lists of `resolve`, `response`, `restart`, …: 0.34 s at 100,000
/// postmortems), and each prefix term is read whole, whatever the page, so their number is
/// what bounds a query's cost.
pub const MAX_PREFIX_TERMS: usize = 2;
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
#[derive(Clone)]
pub struct SearchQuery {
    terms: Vec<Term>,
    /// Finds, in a record's raw JSON, the places a snippet could mark (every term's
    /// [`root`], ASCII case ignored), so that records without one skip reading their prose.
    /// `None` when a root is not ASCII: such records are read word by word.
    candidates: Option<aho_corasick::AhoCorasick>,
}

impl PartialEq for SearchQuery {
    fn eq(&self, other: &SearchQuery) -> bool {
        self.terms == other.terms
    }
}

impl Eq for SearchQuery {}

impl fmt::Debug for SearchQuery {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SearchQuery")
            .field("terms", &self.terms)
            .finish_non_exhaustive()
    }
}

/// The characters outside ASCII whose lowercase starts with an ASCII letter (the Kelvin sign
/// and the dotted capital I): a text holding one is read word by word.
const LOWERCASE_TO_ASCII: [&str; 2] = ["\u{212a}", "\u{130}"];

/// The part of a word its other forms share, as the backends' stemmers match them: the word
/// without a common ending (`databases` and `database` give `databas`, `memcached` gives
/// `memcach`, which `memcache` starts with), when at least four characters remain.
fn root(word: &str) -> &str {
    for ending in ["ing", "ed", "es", "s", "e"] {
        if let Some(stem) = word.strip_suffix(ending)
            && stem.chars().count() >= 4
        {
            return stem;
        }
    }
    word
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
                let prefix = word.ends_with('*');
                if prefix && text.chars().count() < MIN_PREFIX_CHARS {
                    return Err(QueryError(format!(
                        "\"{text}*\" is too short a prefix: give at least {MIN_PREFIX_CHARS} letters before the *, or search for the whole word"
                    )));
                }
                push(Term::Word { text, prefix })?;
            }
        }
        if terms.is_empty() {
            return Err(QueryError(
                "the search is empty; give at least one word".into(),
            ));
        }
        let prefixes = terms
            .iter()
            .filter(|t| matches!(t, Term::Word { prefix: true, .. }))
            .count();
        if prefixes > MAX_PREFIX_TERMS {
            return Err(QueryError(format!(
                "the search has {prefixes} prefix terms (word*); keep at most {MAX_PREFIX_TERMS} and write the others as whole words"
            )));
        }
        let roots: Vec<&str> = terms
            .iter()
            .flat_map(|t| match t {
                Term::Word { text, prefix: true } => vec![text.as_str()],
                Term::Word { text, .. } => vec![root(text)],
                Term::Phrase(words) => words.iter().map(|w| root(w)).collect(),
            })
            .collect();
        let candidates = roots
            .iter()
            .all(|r| r.is_ascii())
            .then(|| {
                aho_corasick::AhoCorasick::builder()
                    .ascii_case_insensitive(true)
                    .build(&roots)
                    .ok()
            })
            .flatten();
        Ok(SearchQuery { terms, candidates })
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
            let near = |t: &str| {
                word.strip_prefix(t)
                    .is_some_and(|rest| prefix || rest.chars().count() <= 3)
            };
            near(t) || (!prefix && near(root(t)))
        };
        self.terms.iter().any(|t| match t {
            Term::Word { text, prefix } => hit(text, *prefix),
            Term::Phrase(words) => words.iter().any(|w| hit(w, false)),
        })
    }
}

impl SearchQuery {
    /// What finds the candidates of `text`: every term's root, ASCII case ignored. None when
    /// the query has a root outside ASCII, or the text a character whose lowercase is ASCII:
    /// such a text is read word by word.
    fn finder(&self, text: &[u8]) -> Option<&aho_corasick::AhoCorasick> {
        static FOLDS: std::sync::LazyLock<Vec<memchr::memmem::Finder<'static>>> =
            std::sync::LazyLock::new(|| {
                LOWERCASE_TO_ASCII
                    .iter()
                    .map(|c| memchr::memmem::Finder::new(c.as_bytes()))
                    .collect()
            });
        let folds = FOLDS.iter().any(|f| f.find(text).is_some());
        self.candidates.as_ref().filter(|_| !folds)
    }

    fn longest_candidate(&self) -> usize {
        self.candidates
            .as_ref()
            .map_or(1, aho_corasick::AhoCorasick::max_pattern_len)
    }

    /// Whether a word of a text, as it stands (any case, punctuation around it), is one the
    /// query looks for.
    fn is_hit(&self, word: &str) -> bool {
        // A word the query marks holds a term's root; most words hold none. (An ASCII word
        // holds no character whose lowercase is ASCII only outside it.)
        if word.is_ascii()
            && let Some(roots) = &self.candidates
            && roots.find(word).is_none()
        {
            return false;
        }
        let core = word.trim_matches(|c: char| !c.is_alphanumeric());
        if core.is_empty() {
            return false;
        }
        let lower = core.to_lowercase();
        // The word whole (`us-east-1` for that term), or one of the parts the backends'
        // tokenizers split it into (`database` in `database-level`).
        self.marks(&lower)
            || (lower.contains(|c: char| !c.is_alphanumeric())
                && lower
                    .split(|c: char| !c.is_alphanumeric())
                    .any(|part| !part.is_empty() && self.marks(part)))
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
    let mut prose = Prose::default();
    prose.read(json, json.len());
    prose.text
}

/// [`record_prose`] read a part at a time: the prose of a record's JSON as far as it was read,
/// and where reading goes on from (the start of the first string not read whole).
#[derive(Default)]
struct Prose {
    text: String,
    read: usize,
}

impl Prose {
    /// Reads on, up to `end` of `json` (a longer cut of the same JSON each time): afterwards
    /// `text` is [`record_prose`] of `json[..end]`.
    fn read(&mut self, json: &str, end: usize) {
        while self.read < end {
            let rest = &json[self.read..end];
            let Some(open) = memchr::memchr(b'"', rest.as_bytes()) else {
                self.read = end;
                return;
            };
            // The string runs to the first quote not escaped by a backslash.
            // (An escape is a backslash and one character; the digits of `\uXXXX` hold no
            // quote.)
            let bytes = &rest.as_bytes()[open + 1..];
            let mut close = None;
            let mut escaped = false;
            let mut i = 0;
            while let Some(found) = bytes.get(i..).and_then(|b| memchr::memchr2(b'"', b'\\', b)) {
                let at = i + found;
                if bytes[at] == b'"' {
                    close = Some(at);
                    break;
                }
                escaped = true;
                i = at + 2;
            }
            // Cut: read again whole next time.
            let Some(close) = close else {
                self.read += open;
                return;
            };
            let value = &rest[open + 1..open + 1 + close];
            self.read += open + close + 2;
            if !value.contains(' ') {
                continue;
            }
            if escaped {
                unescape_into(value, &mut self.text);
            } else {
                self.text.push_str(value);
            }
            self.text.push('\n');
        }
    }
}

/// A JSON string's contents without its escapes; line breaks and tabs become spaces.
fn unescape_into(value: &str, out: &mut String) {
    let mut rest = value;
    // The text between escapes is copied whole.
    while let Some(at) = memchr::memchr(b'\\', rest.as_bytes()) {
        out.push_str(&rest[..at]);
        let mut chars = rest[at + 1..].chars();
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
        rest = chars.as_str();
    }
    out.push_str(rest);
}

/// The snippet of a stored (packed) record: [`snippet`] of its prose, read from as little of
/// the record as gives it. A match near the start (most matches of a common word) needs the
/// first kilobyte or two inflated; at most [`SNIPPET_RECORD`] bytes are. The record is read
/// in doubling steps. Each place its raw text holds that the query could mark (a candidate)
/// is looked at once: the prose is read to a little past it and searched from where the last
/// search stopped, and a candidate outside the prose (a tag, a service) only moves the search
/// on. A record without a marked word (the index matched a form of the word the snippet does
/// not mark, or a match lies further in) shows its start, read from its first kilobytes.
pub fn record_snippet(
    stored: &[u8],
    query: &SearchQuery,
) -> Result<String, crate::packed::UnpackError> {
    // A snippet reads the start of the record and never reaches its checksum.
    let mut record = crate::packed::Unpacker::unchecked(stored)?;
    let mut limit = 1024;
    // Where the raw text's next candidate is looked for: every one before was looked at.
    let mut searched = 0;
    let mut prose = Prose::default();
    // The prose before this holds no word the query marks.
    let mut scanned = 0;
    loop {
        let whole = record.fill(limit)?;
        let text = record.text()?;
        let last = whole || limit >= SNIPPET_RECORD;
        let mut next = limit * 2;
        let Some(finder) = query.finder(&text.as_bytes()[searched..]) else {
            // Read word by word.
            prose.read(text, text.len());
            let (shown, settled) = snippet_of(&prose.text, query);
            if settled || last {
                return Ok(shown);
            }
            limit = next.min(SNIPPET_RECORD);
            continue;
        };
        loop {
            let Some(found) = finder.find(&text.as_bytes()[searched..]) else {
                if last {
                    return Ok(start_snippet(text, query));
                }
                // A root cut at the end is found again in the next round.
                searched = searched.max(text.len().saturating_sub(query.longest_candidate() - 1));
                break;
            };
            let at = searched + found.start();
            searched = at;
            // The prose up to a little past the candidate: the strings read whole before the
            // cut are the start of the whole prose, and nearly always hold the snippet's words.
            let near = at + NEAR_CANDIDATE;
            if near > text.len() && !last {
                next = near.max(limit + 4);
                break;
            }
            prose.read(text, text.floor_char_boundary(near.min(text.len())));
            if prose.read <= at {
                // The candidate's string runs on past the cut.
                prose.read(text, text.len());
                if prose.read <= at && !last {
                    break;
                }
            }
            // (Bytes against characters: prose this long may already hold all a snippet reads,
            // and `snippet_of` says whether it does.)
            if prose.text.len() > SNIPPET_SOURCE
                || first_hit(&prose.text[scanned..], query).is_some()
            {
                let (shown, settled) = snippet_of(&prose.text, query);
                if settled {
                    return Ok(shown);
                }
                // The words after the match are further on.
                prose.read(text, text.len());
                let (shown, settled) = snippet_of(&prose.text, query);
                if settled || last {
                    return Ok(shown);
                }
                break;
            }
            // Not a word of the prose (a tag, a key, part of a longer word): the strings read
            // whole hold no other candidate to look at.
            scanned = prose.text.len();
            searched = prose.read.max(at + 1);
        }
        limit = next.min(SNIPPET_RECORD);
    }
}

/// Bytes of a record read past its first candidate before its prose is: enough for the words
/// a snippet shows after its match, with room for the fields between.
const NEAR_CANDIDATE: usize = 512;

/// The snippet of a record's JSON holding nothing the query marks: its first words, read from
/// its first kilobytes when they hold more than a snippet's words (they nearly always do).
fn start_snippet(json: &str, query: &SearchQuery) -> String {
    let head = json.floor_char_boundary(4 * 1024);
    let prose = record_prose(&json[..head]);
    if head < json.len() && prose.split_whitespace().nth(SNIPPET_WORDS).is_none() {
        return snippet(&record_prose(json), query);
    }
    snippet(&prose, query)
}

/// About [`SNIPPET_WORDS`] words of `body` around the first word the query looks for, with
/// every such word in `[brackets]` and `…` where text was cut. Only the first
/// [`SNIPPET_SOURCE`] characters are read; without a match there, the snippet is the start.
pub fn snippet(body: &str, query: &SearchQuery) -> String {
    snippet_of(body, query).0
}

/// [`snippet`], and whether more text after `body` could not change it (a match was found
/// with the words that follow it, or `body` holds more than is read).
fn snippet_of(body: &str, query: &SearchQuery) -> (String, bool) {
    let end = if body.len() <= SNIPPET_SOURCE {
        body.len()
    } else {
        body.char_indices()
            .nth(SNIPPET_SOURCE)
            .map_or(body.len(), |(i, _)| i)
    };
    let source = &body[..end];
    let hit = first_hit(source, query);
    // Up to four words before the match, then words from it on.
    let from = hit.map_or(0, |(start, _)| start);
    let mut window: Vec<&str> = Vec::with_capacity(SNIPPET_WORDS + 1);
    window.extend(source[..from].split_whitespace().rev().take(5));
    let cut_before = window.len() > 4;
    window.truncate(4);
    window.reverse();
    let mut words = source[from..].split_whitespace();
    window.extend(words.by_ref().take(SNIPPET_WORDS - window.len()));
    let more = words.next().is_some();
    let shown = shown(&window, cut_before, more || end < body.len(), query);
    // Past the characters read, more text changes nothing.
    (shown, (hit.is_some() && more) || end < body.len())
}

/// A snippet's words as shown: the query's words in `[brackets]`, `…` where text was cut.
fn shown(window: &[&str], cut_before: bool, cut_after: bool, query: &SearchQuery) -> String {
    let mut out = String::with_capacity(window.iter().map(|w| w.len() + 3).sum::<usize>() + 8);
    if cut_before {
        out.push('…');
    }
    for (i, w) in window.iter().enumerate() {
        if i > 0 || cut_before {
            out.push(' ');
        }
        if query.is_hit(w) {
            out.push('[');
            out.push_str(w);
            out.push(']');
        } else {
            out.push_str(w);
        }
    }
    if cut_after {
        out.push_str(" …");
    }
    out
}

/// The byte range of the first whitespace-separated word of `source` the query marks. Where
/// the query's candidates can be searched for, only words holding one are looked at.
fn first_hit(source: &str, query: &SearchQuery) -> Option<(usize, usize)> {
    let Some(finder) = query.finder(source.as_bytes()) else {
        return source
            .split_whitespace()
            .find(|w| query.is_hit(w))
            .map(|w| {
                let start = w.as_ptr() as usize - source.as_ptr() as usize;
                (start, start + w.len())
            });
    };
    let mut at = 0;
    while let Some(m) = finder.find(&source.as_bytes()[at..]) {
        // Candidates are ASCII, so `p` is a character boundary.
        let p = at + m.start();
        let start = source[..p]
            .char_indices()
            .rev()
            .find(|(_, c)| c.is_whitespace())
            .map_or(0, |(i, c)| i + c.len_utf8());
        let end = source[p..]
            .find(char::is_whitespace)
            .map_or(source.len(), |i| p + i);
        if query.is_hit(&source[start..end]) {
            return Some((start, end));
        }
        at = end;
    }
    None
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
    fn a_prefix_needs_three_letters_before_its_star_and_a_query_two_prefixes_at_most() {
        let e = SearchQuery::parse("outage re*").unwrap_err().to_string();
        assert!(
            e.contains("\"re*\" is too short a prefix") && e.contains("at least 3 letters"),
            "{e}"
        );
        assert!(SearchQuery::parse("s*").is_err());
        let q = SearchQuery::parse("red*").unwrap();
        assert_eq!(q.fts5(), "\"red\"*");
        // A short word without a star is a word, not a prefix.
        assert!(SearchQuery::parse("re db").is_ok());
        assert!(SearchQuery::parse("red* blu* \"red* blue\"").is_ok());
        let e = SearchQuery::parse("red* blu* gre*")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("3 prefix terms") && e.contains("at most 2"),
            "{e}"
        );
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
    fn prose_read_a_part_at_a_time_is_the_prose_of_each_part() {
        let json = r#"{"title":"Disk full on db-1","summary":"The primary \"db-1\" ran out.\nWrites — failed.","tags":["disk","db"],"timeline":[{"text":"10:05 the pager fired \u2014 on call paged","kind":"detection"}],"impact":"all writes"}"#;
        let cuts: Vec<usize> = (0..=json.len())
            .filter(|&i| json.is_char_boundary(i))
            .collect();
        for step in [1, 3, 7, 40] {
            let mut prose = Prose::default();
            for &end in cuts.iter().step_by(step).chain([&json.len()]) {
                prose.read(json, end);
                assert_eq!(prose.text, record_prose(&json[..end]), "{step} {end}");
            }
        }
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
    fn snippets_mark_the_forms_a_stemmer_matches() {
        let body = "Memcache evictions rose; the databases fell behind while caching failed.";
        let s = snippet(body, &q("memcached"));
        assert!(s.starts_with("[Memcache]"), "{s}");
        let s = snippet(body, &q("database cached"));
        assert!(s.contains("[databases]") && s.contains("[caching]"), "{s}");
        // A part of a word, as the tokenizers split it, and a term with its hyphen.
        let s = snippet("It took database-level locks in us-east-1.", &q("database"));
        assert!(s.contains("[database-level]"), "{s}");
        let s = snippet(
            "It took database-level locks in us-east-1.",
            &q("us-east-1"),
        );
        assert!(s.contains("[us-east-1.]"), "{s}");
        // A root keeps four characters: `uses` marks no `us-east`.
        assert_eq!(root("uses"), "uses");
        assert_eq!(root("outages"), "outag");
    }

    /// The snippet as first written: every word read and tested until the match.
    fn snippet_word_by_word(body: &str, query: &SearchQuery) -> (String, bool) {
        let end = body
            .char_indices()
            .nth(SNIPPET_SOURCE)
            .map_or(body.len(), |(i, _)| i);
        let source = &body[..end];
        let is_hit = |w: &str| query.is_hit(w);
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
        let out = shown(&window, start > 0, more || end < body.len(), query);
        (out, (first.is_some() && more) || end < body.len())
    }

    /// The snippet computed the slow way: the prose of every window read, no raw search first.
    fn snippet_reading_all_prose(stored: &[u8], query: &SearchQuery) -> String {
        let mut record = crate::packed::Unpacker::new(stored);
        let mut limit = 4 * 1024;
        loop {
            let whole = record.fill(limit).unwrap();
            let prose = record_prose(record.text().unwrap());
            let (shown, settled) = snippet_word_by_word(&prose, query);
            assert_eq!(
                snippet_of(&prose, query),
                (shown.clone(), settled),
                "{prose}"
            );
            if settled || whole || limit >= SNIPPET_RECORD {
                return shown;
            }
            limit = (limit * 4).min(SNIPPET_RECORD);
        }
    }

    #[test]
    fn searching_the_raw_record_first_changes_no_snippet() {
        let filler = "the on-call engineer restarted the worker pool and watched the graphs ";
        let needles = [
            "Zeppelin",
            "ZEPPELINS",
            "zeppelin\nqueue",
            "\"zeppelin\"",
            "zepp",
            "élan",
        ];
        let mut checked = 0;
        for at in [
            0,
            40,
            600,
            1_000,
            1_030,
            2_040,
            3_000,
            4_090,
            5_000,
            20_000,
            70_000,
            usize::MAX,
        ] {
            for needle in needles {
                let mut summary = filler.repeat(1_200);
                if at != usize::MAX {
                    let mut cut = at.min(summary.len());
                    while !summary.is_char_boundary(cut) {
                        cut -= 1;
                    }
                    summary.insert_str(cut, &format!(" {needle} "));
                }
                let record = format!(
                    r#"{{"title":"Queue stall","services":["zeppelin"],"summary":"{summary}","impact":"short"}}"#
                );
                let stored = crate::packed::pack(&record, crate::packed::Kind::Record);
                for query in [
                    "zeppelin",
                    "zeppelins",
                    "zepp*",
                    "\"zeppelin queue\"",
                    "élan",
                    "absent",
                ] {
                    let query = q(query);
                    assert_eq!(
                        record_snippet(&stored, &query).unwrap(),
                        snippet_reading_all_prose(&stored, &query),
                        "{needle} at {at}, {query:?}"
                    );
                    checked += 1;
                }
            }
        }
        assert_eq!(checked, 12 * 6 * 6);
    }

    #[test]
    fn finding_candidates_first_marks_what_reading_every_word_marks() {
        let vocabulary = [
            "the",
            "Database",
            "databases,",
            "(database)",
            "xdatabase",
            "data-base",
            "DATA",
            "memcache",
            "Memcached.",
            "memcachedb",
            "caching",
            "cache\u{a0}hit",
            "fail",
            "failed",
            "failover",
            "FAILURES",
            "é",
            "Ünïcode",
            "\u{212a}elvin",
            "us-east-1",
            "\"quoted",
            "…",
            "—",
            "disk",
            "full",
            "disk-full",
            "\u{3000}",
            "k8s",
            "ǅ",
            "\u{130}stanbul",
            "a\u{212a}",
        ];
        let queries = [
            "database",
            "memcached",
            "fail*",
            "failed",
            "\"disk full\"",
            "data",
            "k8s",
            "ünïcode",
            "kelvin",
            "us-east-1",
            "cache",
            "istanbul",
        ];
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for _ in 0..400 {
            let len = (next() % 60) as usize;
            let mut body = String::new();
            for _ in 0..len {
                body.push_str(vocabulary[(next() % vocabulary.len() as u64) as usize]);
                body.push(if next() % 7 == 0 { '\n' } else { ' ' });
            }
            for query in queries {
                let query = q(query);
                assert_eq!(
                    snippet_of(&body, &query),
                    snippet_word_by_word(&body, &query),
                    "{body:?} {query:?}"
                );
            }
        }
    }

    #[test]
    fn snippets_read_a_bounded_part_of_the_body() {
        let body = format!("{} needle", "hay ".repeat(1_000_000));
        let s = snippet(&body, &q("needle"));
        assert!(!s.contains("[needle]") && s.ends_with('…'), "{s}");
        assert!(s.len() < 200);
    }
}
