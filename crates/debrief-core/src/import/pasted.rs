//! Text as editors hand it over: the backslash escapes of a Markdown export (Google Docs writes
//! `2024\-02\-21` and `SEV\-2`) are taken off, rows of cells apart by tabs (copied from a
//! spreadsheet, a wiki table or a word processor) become a Markdown table, and so do a grid
//! table drawn with `+---+` rules (reStructuredText, pandoc, plain-text reports), a pipe table
//! written without its outer pipes (`Time | Event` over `---|---`), and a table whose cells
//! stand one to a line under a header of column names (a document saved as plain text). Lines
//! keep their numbers, except that a tab-separated table's header gains the rule under it and a
//! grid table's or a column of cells' rows move up, blank lines after them making up the count;
//! fenced code is left as it is.

use super::lines::{self, Line};

/// The text with escapes taken off and tab-separated rows written as tables, and how many
/// lines the tables' header rules added; `None` when it has neither.
pub fn tidy(text: &str) -> Option<(String, usize)> {
    let escaped = has_escapes(text);
    let tabbed = text.contains('\t');
    let gridded = has_grid_rule(text);
    let (piped, columned) = table_forms(text);
    if !escaped && !tabbed && !gridded && !piped && !columned {
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
        if gridded && let Some(n) = grid_rows(&all[i..]) {
            write_grid(&all[i..i + n], &mut out);
            changed = true;
            i += n;
            continue;
        }
        if piped && let Some(n) = bare_pipe_rows(&all[i..]) {
            for (k, row) in all[i..i + n].iter().enumerate() {
                if k > 0 {
                    out.push('\n');
                }
                push_row(&mut out, &bare_cells(row.text));
            }
            changed = true;
            i += n;
            continue;
        }
        if columned && let Some((width, n)) = column_rows(&all[i..]) {
            write_columns(&all[i..i + n], width, &mut out);
            changed = true;
            i += n;
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
        let escaped: Vec<String> = row.iter().map(|c| c.replace('|', "\\|")).collect();
        push_row(out, &escaped);
        if k == 0 && header {
            push_rule(out, row.len());
        }
    }
    header
}

/// A Markdown table's row of `cells`, written as they are.
fn push_row(out: &mut String, cells: &[impl AsRef<str>]) {
    out.push('|');
    for cell in cells {
        out.push(' ');
        out.push_str(cell.as_ref());
        out.push_str(" |");
    }
}

/// The rule under a Markdown table's header of `width` cells, on a line of its own.
fn push_rule(out: &mut String, width: usize) {
    out.push_str("\n|");
    for _ in 0..width {
        out.push_str("---|");
    }
}

/// A pipe table's cells, outer pipes or not.
fn bare_cells(line: &str) -> Vec<&str> {
    let t = line.trim();
    let t = t.strip_prefix('|').unwrap_or(t);
    let t = match t.strip_suffix('|') {
        Some(inner) if !inner.ends_with('\\') => inner,
        _ => t,
    };
    lines::split_cells(t)
}

/// A pipe table's rule under its header, with or without outer pipes: `---|:---:`.
fn bare_rule(line: &str) -> bool {
    let t = line.trim();
    t.contains('|')
        && bare_cells(t).iter().all(|c| {
            let dashes = c.trim_start_matches(':').trim_end_matches(':');
            !dashes.is_empty() && dashes.bytes().all(|b| b == b'-')
        })
}

/// How many lines from the first make a pipe table written without its outer pipes (GitHub's
/// Markdown allows it): a header of two cells or more, the rule under it with as many, then the
/// rows, each a line with a pipe. `None` for a table that opens with a pipe (read as it is).
fn bare_pipe_rows(lines: &[Line<'_>]) -> Option<usize> {
    let [head, rule, ..] = lines else {
        return None;
    };
    let t = head.text.trim();
    if head.code || rule.code || t.starts_with('|') || !t.contains('|') || !bare_rule(rule.text) {
        return None;
    }
    let width = bare_cells(t).len();
    if width < 2 || bare_cells(rule.text).len() != width {
        return None;
    }
    let rows = lines[2..]
        .iter()
        .take_while(|l| !l.code && l.text.contains('|') && !l.text.trim().is_empty())
        .count();
    Some(2 + rows)
}

/// The names a table's columns go by, as a header standing a cell to a line: what a table of
/// events or of actions is headed with.
fn column_name(line: &str) -> Option<ColumnKind> {
    // Most lines are longer than any name with its indent: passed over before trimming.
    if line.len() > 32 {
        return None;
    }
    let t = line.trim().trim_end_matches(':').trim();
    if t.len() > 24 || t.is_empty() {
        return None;
    }
    // "Time (UTC)", "Date/Time (PST)": the zone in brackets is no part of the name.
    let name = t
        .split(" (")
        .next()
        .unwrap_or(t)
        .trim()
        .to_ascii_lowercase();
    Some(match name.as_str() {
        "time" | "date" | "date/time" | "date and time" | "timestamp" | "when" => ColumnKind::Stamp,
        "event" | "event description" | "description" | "what happened" | "action"
        | "action item" | "action items" | "task" | "task description" | "owner" | "assignee"
        | "assigned to" | "responsible" | "due" | "due date" | "deadline" | "priority"
        | "status" | "ticket" | "tracking ticket" | "jira" | "notes" | "details" => {
            ColumnKind::Text
        }
        _ => return None,
    })
}

#[derive(Clone, Copy, PartialEq)]
enum ColumnKind {
    Stamp,
    Text,
}

/// Whether the text has a pipe table's rule without its outer pipes ([`bare_rule`]), and two
/// lines in a row that name columns ([`column_name`]); read in one pass.
fn table_forms(text: &str) -> (bool, bool) {
    let (mut piped, mut columned) = (false, false);
    let mut before = false;
    for l in text.lines() {
        if !piped && l.contains('|') {
            piped = !l.trim_start().starts_with('|') && bare_rule(l);
        }
        let named = column_name(l).is_some();
        columned |= before && named;
        before = named;
        if piped && columned {
            break;
        }
    }
    (piped, columned)
}

/// A table whose cells stand one to a line: a header of two or more column names a line each,
/// then the cells row by row, as many lines as make whole rows, up to a blank line; a column
/// named for the time holds a time or date in every row. Its width and how many lines it
/// takes.
fn column_rows(lines: &[Line<'_>]) -> Option<(usize, usize)> {
    let kinds: Vec<ColumnKind> = lines
        .iter()
        .map_while(|l| (!l.code).then(|| column_name(l.text)).flatten())
        .collect();
    let width = kinds.len();
    if width < 2 {
        return None;
    }
    let cells = lines[width..]
        .iter()
        .take_while(|l| !l.code && !l.text.trim().is_empty())
        .count();
    if cells < width || cells % width != 0 {
        return None;
    }
    let stamped = lines[width..width + cells].chunks(width).all(|row| {
        row.iter().zip(&kinds).all(|(cell, kind)| {
            *kind == ColumnKind::Text || crate::time::stamp_prefix(cell.text.trim()).is_some()
        })
    });
    stamped.then_some((width, width + cells))
}

/// A column of cells as a Markdown table, blank lines after it for the lines its rows saved.
fn write_columns(block: &[Line<'_>], width: usize, out: &mut String) {
    let mut written = 0;
    for (k, row) in block.chunks(width).enumerate() {
        if k > 0 {
            out.push('\n');
        }
        let cells: Vec<String> = row
            .iter()
            .map(|l| l.text.trim().replace('|', "\\|"))
            .collect();
        push_row(out, &cells);
        written += 1;
        if k == 0 {
            push_rule(out, width);
            written += 1;
        }
    }
    for _ in written..block.len() {
        out.push('\n');
    }
}

/// Whether a line of the text starts (after spaces) with a grid table's rule, `+-` or `+=`.
fn has_grid_rule(text: &str) -> bool {
    let b = text.as_bytes();
    memchr::memchr_iter(b'+', b).any(|i| {
        matches!(b.get(i + 1), Some(b'-' | b'='))
            && b[..i]
                .iter()
                .rev()
                .take_while(|&&c| c != b'\n')
                .all(|&c| c == b' ' || c == b'\t')
    })
}

/// A grid table's rule (`+-----+----+`, `+=====+====+` under the header); whether it is the
/// header's.
fn grid_rule(line: &Line<'_>) -> Option<bool> {
    let t = line.text.trim();
    let drawn = !line.code
        && t.len() >= 3
        && t.starts_with('+')
        && t.ends_with('+')
        && t.bytes().all(|b| matches!(b, b'+' | b'-' | b'=' | b':'));
    drawn.then(|| t.contains('='))
}

fn grid_row(line: &Line<'_>) -> bool {
    !line.code && line.text.trim_start().starts_with('|')
}

/// How many lines from the first make a grid table: a rule, then rows and rules, ending with a
/// rule.
fn grid_rows(lines: &[Line<'_>]) -> Option<usize> {
    grid_rule(lines.first()?)?;
    if !lines.get(1).is_some_and(grid_row) {
        return None;
    }
    let n = 1 + lines[1..]
        .iter()
        .take_while(|l| grid_row(l) || grid_rule(l).is_some())
        .count();
    // The last line of a whole table is a rule: a row without one below is not a grid.
    let end = (1..=n)
        .rev()
        .find(|&k| grid_rule(&lines[k - 1]).is_some())?;
    (end >= 3).then_some(end)
}

/// A grid table as a Markdown table: each row (its lines between two rules, a cell's lines
/// joined) on a line of its own, the header's rule under the rows above it, then blank lines
/// where the rules and the rows' other lines were, so that the lines after the table keep their
/// numbers.
fn write_grid(block: &[Line<'_>], out: &mut String) {
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut header = None;
    let mut open = false;
    for line in block {
        if let Some(is_header) = grid_rule(line) {
            if is_header && header.is_none() && !rows.is_empty() {
                header = Some(rows.len());
            }
            open = false;
            continue;
        }
        let cells = lines::table_cells(line.text).unwrap_or_default();
        match rows.last_mut() {
            Some(row) if open => {
                for (k, cell) in cells.into_iter().enumerate() {
                    if cell.is_empty() {
                        continue;
                    }
                    // A cell the row above did not have goes to its last.
                    let at = k.min(row.len().saturating_sub(1));
                    if row[at].is_empty() {
                        row[at] = cell.to_string();
                    } else {
                        row[at].push(' ');
                        row[at].push_str(cell);
                    }
                }
            }
            _ => rows.push(cells.into_iter().map(str::to_string).collect()),
        }
        open = true;
    }
    let mut written = 0;
    for (k, row) in rows.iter().enumerate() {
        if k > 0 {
            out.push('\n');
        }
        push_row(out, row);
        written += 1;
        if header == Some(k + 1) {
            push_rule(out, row.len());
            written += 1;
        }
    }
    for _ in written..block.len() {
        out.push('\n');
    }
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
    fn grid_tables_become_markdown_tables() {
        let doc = "Actions\n\n+----------------+--------+\n| Action         | Owner  |\n+================+========+\n| Add a purge    | Priya  |\n| check to CI    |        |\n+----------------+--------+\n| Alert on age   | Tomasz |\n+----------------+--------+\nafter\n```\n+---+\n| x |\n+---+\n```\n";
        let (out, added) = tidy(doc).unwrap();
        assert_eq!(added, 0);
        assert_eq!(
            out,
            "Actions\n\n| Action | Owner |\n|---|---|\n| Add a purge check to CI | Priya |\n| Alert on age | Tomasz |\n\n\n\n\nafter\n```\n+---+\n| x |\n+---+\n```\n"
        );
        assert_eq!(out.lines().count(), doc.lines().count());
        // Without a header rule, every row is a row.
        let (out, _) = tidy(
            "+----+-------+\n| 1  | one   |\n+----+-------+\n| 2  | two   |\n+----+-------+\n",
        )
        .unwrap();
        assert_eq!(out, "| 1 | one |\n| 2 | two |\n\n\n\n");
        // A sum or a diff line is no rule.
        assert_eq!(tidy("+-- a diff line\n| quoted\n"), None);
        assert_eq!(tidy("a + b\n+=\n"), None);
    }

    #[test]
    fn a_pipe_table_without_outer_pipes_gets_them() {
        let doc = "Time (UTC) | Event |\n---|:---|\n09:10 | Proxy upgrade |\n09:14 | Alerts fire\n\nA | B in prose\n```\nx | y\n---|---\n```\n";
        let (out, added) = tidy(doc).unwrap();
        assert_eq!(added, 0);
        assert_eq!(
            out,
            "| Time (UTC) | Event |\n| --- | :--- |\n| 09:10 | Proxy upgrade |\n| 09:14 | Alerts fire |\n\nA | B in prose\n```\nx | y\n---|---\n```\n"
        );
        // A pipe in prose over no rule, or a rule of another width, makes no table.
        assert_eq!(tidy("cause | effect\nmore text-|here\n"), None);
        assert_eq!(tidy("a | b | c\n---|---\n"), None);
    }

    #[test]
    fn cells_a_line_each_under_column_names_become_a_table() {
        let doc = "Incident Timeline\nTime (UTC)\nEvent Description\n14:51\nTraffic spike\n15:33\nLatency back to normal\n\nAction Item\nOwner\nDue Date\nRaise the limit\nDana\n2024-06-20\n";
        let (out, added) = tidy(doc).unwrap();
        assert_eq!(added, 0);
        assert_eq!(
            out,
            "Incident Timeline\n| Time (UTC) | Event Description |\n|---|---|\n| 14:51 | Traffic spike |\n| 15:33 | Latency back to normal |\n\n\n\n| Action Item | Owner | Due Date |\n|---|---|---|\n| Raise the limit | Dana | 2024-06-20 |\n\n\n\n"
        );
        assert_eq!(out.lines().count(), doc.lines().count());
        // A time column without a time, or cells that make no whole rows, is no table.
        assert_eq!(tidy("Time\nEvent\nlater\nTraffic spike\n"), None);
        assert_eq!(tidy("Owner\nStatus\nDana\n"), None);
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
