//! Text as editors hand it over: the backslash escapes of a Markdown export (Google Docs writes
//! `2024\-02\-21` and `SEV\-2`) are taken off, and rows of cells apart by tabs (copied from a
//! spreadsheet, a wiki table or a word processor) become a Markdown table. Lines keep their
//! numbers, except that a table's header gains the rule under it; fenced code is left as it is.

use super::lines::{self, Line};

/// The text with escapes taken off and tab-separated rows written as tables, and how many
/// lines the tables' header rules added; `None` when it has neither.
pub fn tidy(text: &str) -> Option<(String, usize)> {
    let escaped = has_escapes(text);
    let tabbed = text.contains('\t');
    if !escaped && !tabbed {
        return None;
    }
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    let mut changed = false;
    let mut added = 0;
    // Code (fenced, or inside an HTML comment) is passed over as the line reader marks it.
    let all = lines::split(text, 1);
    let mut i = 0;
    while i < all.len() {
        let line = &all[i];
        if i > 0 {
            out.push('\n');
        }
        if line.code {
            out.push_str(line.text);
            i += 1;
            continue;
        }
        if tabbed && let Some(n) = table_rows(&all[i..]) {
            added += usize::from(write_table(&all[i..i + n], &mut out));
            changed = true;
            i += n;
            continue;
        }
        if escaped {
            changed |= unescape(line.text, &mut out);
        } else {
            out.push_str(line.text);
        }
        i += 1;
    }
    changed.then_some((out, added))
}

/// Punctuation whose escape may be taken off anywhere: taking it off makes no structure of
/// its own (`\|` stays, a table needs it; `\#`, `\>` and `\<` stay at a line's start).
fn plain_escape(c: u8) -> bool {
    matches!(
        c,
        b'-' | b'.'
            | b'_'
            | b'*'
            | b'('
            | b')'
            | b'['
            | b']'
            | b'!'
            | b'+'
            | b'='
            | b'~'
            | b'\''
            | b'"'
            | b':'
            | b'&'
            | b'$'
            | b'%'
            | b'/'
            | b'@'
            | b','
            | b';'
            | b'?'
            | b'{'
            | b'}'
            | b'#'
            | b'<'
            | b'>'
    )
}

/// Whether the text escapes punctuation as a Markdown export does: `\-` or `\.` after a word
/// or digit, at least twice.
fn has_escapes(text: &str) -> bool {
    let b = text.as_bytes();
    memchr::memchr_iter(b'\\', b)
        .filter(|&i| {
            matches!(b.get(i + 1), Some(b'-' | b'.' | b'_'))
                && i > 0
                && b[i - 1].is_ascii_alphanumeric()
        })
        .nth(1)
        .is_some()
}

/// Writes `line` with its escapes taken off; whether any was.
fn unescape(line: &str, out: &mut String) -> bool {
    let b = line.as_bytes();
    let lead = line.len() - line.trim_start().len();
    let mut from = 0;
    let mut changed = false;
    let mut i = 0;
    while i + 1 < b.len() {
        let c = b[i + 1];
        // "\\" is a backslash: both stay, and the second escapes nothing.
        if b[i] == b'\\' && c == b'\\' {
            i += 2;
            continue;
        }
        if b[i] == b'\\' && plain_escape(c) && !(i == lead && matches!(c, b'#' | b'>' | b'<')) {
            out.push_str(&line[from..i]);
            from = i + 1;
            changed = true;
            i += 2;
            continue;
        }
        i += 1;
    }
    out.push_str(&line[from..]);
    changed
}

/// The cells of a line apart by tabs, when it has at least two and is not indented with one.
fn tab_cells<'a>(line: &Line<'a>) -> Option<Vec<&'a str>> {
    let t = line.text;
    if line.code || t.starts_with('\t') || !t.contains('\t') || t.trim_start().starts_with('|') {
        return None;
    }
    let cells: Vec<&str> = t.split('\t').map(str::trim).collect();
    // "Severity:\tSEV2" is a label and its value; "•\tTest ...", "1.\tTest ..." a list item
    // pasted from a word processor.
    let label = cells[0].ends_with(':');
    let first = cells[0].trim_matches(['*', '_']);
    let marker = !first.contains(char::is_alphanumeric)
        || (first.len() <= 4
            && first.ends_with(['.', ')'])
            && first[..first.len() - 1]
                .bytes()
                .all(|b| b.is_ascii_alphanumeric()));
    (!label && !marker && cells.len() >= 2 && cells.iter().filter(|c| !c.is_empty()).count() >= 2)
        .then_some(cells)
}

/// How many lines from the first make a table of tab-separated rows: at least two rows, each
/// with as many cells as the first (a trailing empty cell aside).
fn table_rows(lines: &[Line<'_>]) -> Option<usize> {
    let width = tab_cells(lines.first()?)?.len();
    let n = lines
        .iter()
        .take_while(|l| tab_cells(l).is_some_and(|c| c.len() == width))
        .count();
    (n >= 2).then_some(n)
}

/// The rows as a Markdown table: a first row of short words with no digit is its header.
/// Whether it had one.
fn write_table(rows: &[Line<'_>], out: &mut String) -> bool {
    let cells: Vec<Vec<&str>> = rows.iter().filter_map(tab_cells).collect();
    let header = cells[0]
        .iter()
        .all(|c| !c.contains(|ch: char| ch.is_ascii_digit()) && c.split_whitespace().count() <= 4)
        && cells[1..]
            .iter()
            .any(|r| r.iter().any(|c| c.contains(|ch: char| ch.is_ascii_digit())));
    for (k, row) in cells.iter().enumerate() {
        if k > 0 {
            out.push('\n');
        }
        out.push('|');
        for c in row {
            out.push(' ');
            out.push_str(&c.replace('|', "\\|"));
            out.push_str(" |");
        }
        if k == 0 && header {
            out.push_str("\n|");
            for _ in row {
                out.push_str("---|");
            }
        }
    }
    header
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_of_a_markdown_export_are_taken_off() {
        let doc = "**Date:** 2024\\-02\\-21  \n**Severity:** SEV\\-2\n\\# of users stays\n* 09:14 \\- rotated\n```\nkeep \\- this\n```\n| a \\| b |\n";
        let (out, added) = tidy(doc).unwrap();
        assert_eq!(added, 0);
        assert!(out.contains("**Date:** 2024-02-21  \n"), "{out}");
        assert!(out.contains("SEV-2\n"));
        assert!(out.contains("\\# of users stays\n"));
        assert!(out.contains("* 09:14 - rotated\n"));
        assert!(out.contains("keep \\- this\n"));
        assert!(out.contains("| a \\| b |\n"));
        // One escape is no export.
        assert_eq!(tidy("C:\\-path\n"), None);
    }

    #[test]
    fn tab_separated_rows_become_a_table() {
        let doc = "Action\tOwner\tDue\nDisk alert at 80%\tOps\t2024-04-20\nRetention\tSearch team\t2024-04-30\n\nplain\ttext\n";
        let (out, added) = tidy(doc).unwrap();
        assert_eq!(added, 1);
        assert!(
            out.starts_with("| Action | Owner | Due |\n|---|---|---|\n| Disk alert at 80% | Ops | 2024-04-20 |\n| Retention | Search team | 2024-04-30 |\n"),
            "{out}"
        );
        // Labels apart from their values by a tab are no table.
        assert_eq!(tidy("Date:\t2024-01-01\nSeverity:\tSEV2\n"), None);
        // So are list items pasted with a tab after their mark.
        assert_eq!(tidy("•\tTest every file\n•\tReview the config\n"), None);
        assert_eq!(tidy("**•\tDuration:** a day\n1.\tOne\n2.\tTwo\n"), None);
        // A row alone is no table; rows of times have no header.
        assert!(out.ends_with("\nplain\ttext\n"));
        let (out, added) = tidy("10:02\tdisk full\n10:09\talert\n").unwrap();
        assert_eq!(out, "| 10:02 | disk full |\n| 10:09 | alert |\n");
        assert_eq!(added, 0);
    }
}
