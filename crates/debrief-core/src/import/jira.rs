//! Jira and Confluence wiki markup, read as the Markdown it stands for: `h2. Timeline` is a
//! heading, `||Time||Event||` a table's header and `|13:02|...|` its rows, `# item` and `* item`
//! lists (doubled for nesting), `{code}` and `{noformat}` blocks code fences, `bq.` and
//! `{quote}` quotes, `*bold*`, `{{monospace}}`, `[~user]` a handle and `[text|url]` a link.
//! Other macros (`{panel}`, `{color}`, `{status}`) are dropped and their text kept.

/// `h1.` to `h6.` opening a line: the level and the text.
fn heading(line: &str) -> Option<(usize, &str)> {
    let b = line.as_bytes();
    if b.len() < 4 || b[0] != b'h' || !(b'1'..=b'6').contains(&b[1]) || b[2] != b'.' {
        return None;
    }
    let text = line[3..].strip_prefix(' ')?.trim();
    Some((usize::from(b[1] - b'0'), text))
}

/// Whether `text` is wiki markup: two headings written `h2. ...`, or one and a table header
/// written `||...||`. (No Markdown line starts with `h2. `.)
pub fn looks_like_jira(text: &str) -> bool {
    let mut headings = 0;
    let mut table = false;
    let mut fenced = false;
    for line in text.lines().take(2_000) {
        let t = line.trim_start();
        // A Markdown document quoting wiki markup in a code block is not wiki markup.
        if t.starts_with("```") || t.starts_with("~~~") {
            fenced = !fenced;
        }
        if fenced {
            continue;
        }
        if heading(t).is_some() {
            headings += 1;
        } else if t.starts_with("||") && t.trim_end().ends_with("||") {
            table = true;
        }
        if headings >= 2 || (headings == 1 && table) {
            return true;
        }
    }
    false
}

/// A list item: `#`, `*` or `-` repeated, then a space. The marker's character, its depth and
/// the text.
fn list_item(line: &str) -> Option<(u8, usize, &str)> {
    let first = *line.as_bytes().first()?;
    if !matches!(first, b'#' | b'*' | b'-') {
        return None;
    }
    let depth = line.bytes().take_while(|&b| b == first).count();
    let text = line[depth..].strip_prefix(' ')?;
    // "----" is a rule, "-- text" a dash.
    (first != b'-' || depth == 1).then_some((first, depth, text.trim()))
}

/// A macro standing alone or opening a line: `{code:java}`, `{panel:title=X}`, `{quote}`. Its
/// name in lower case and the text after it.
fn opening_macro(line: &str) -> Option<(String, &str)> {
    let rest = line.strip_prefix('{')?;
    if rest.starts_with('{') {
        return None;
    }
    let close = find_near(rest, "}")?;
    let inner = &rest[..close];
    let name = inner.split(':').next().unwrap_or("");
    (!name.is_empty() && name.bytes().all(|b| b.is_ascii_alphabetic()))
        .then(|| (name.to_ascii_lowercase(), &rest[close + 1..]))
}

/// The Markdown a wiki markup text stands for.
pub fn to_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    // Inside `{code}` or `{noformat}`: the macro's name closes it.
    let mut code: Option<String> = None;
    let mut quote = false;
    for line in text.lines() {
        let trimmed = line.trim();
        if let Some(name) = &code {
            match opening_macro(trimmed) {
                Some((n, _)) if &n == name => {
                    out.push_str("```\n");
                    code = None;
                }
                _ => {
                    out.push_str(line);
                    out.push('\n');
                }
            }
            continue;
        }
        if let Some((name, after)) = opening_macro(trimmed) {
            match name.as_str() {
                "code" | "noformat" => {
                    out.push_str("```\n");
                    code = Some(name);
                    if !after.trim().is_empty() {
                        out.push_str(after.trim());
                        out.push('\n');
                    }
                    continue;
                }
                "quote" => {
                    quote = !quote;
                    if !after.trim().is_empty() {
                        push_inline(&mut out, after.trim(), quote);
                    }
                    continue;
                }
                // A macro around text ("{panel}", "{color:red}"): the text stays.
                _ => {
                    let after = after.trim();
                    if !after.is_empty() {
                        push_line(&mut out, after, quote);
                    }
                    continue;
                }
            }
        }
        push_line(&mut out, trimmed, quote);
    }
    if code.is_some() {
        out.push_str("```\n");
    }
    out
}

/// One line of wiki markup outside code, as Markdown.
fn push_line(out: &mut String, line: &str, quote: bool) {
    if let Some((level, text)) = heading(line) {
        for _ in 0..level {
            out.push('#');
        }
        out.push(' ');
        push_inline(out, text, false);
        return;
    }
    if let Some(text) = line.strip_prefix("bq. ") {
        push_inline(out, text, true);
        return;
    }
    if let Some(cells) = line
        .strip_prefix("||")
        .and_then(|r| r.trim_end().strip_suffix("||"))
    {
        let cells = split_cells(cells, "||");
        push_row(out, &cells);
        out.push('|');
        for _ in &cells {
            out.push_str("---|");
        }
        out.push('\n');
        return;
    }
    if let Some(cells) = line
        .strip_prefix('|')
        .and_then(|r| r.trim_end().strip_suffix('|'))
    {
        push_row(out, &split_cells(cells, "|"));
        return;
    }
    if let Some((marker, depth, text)) = list_item(line) {
        if quote {
            out.push_str("> ");
        }
        for _ in 1..depth {
            out.push_str("   ");
        }
        out.push_str(if marker == b'#' { "1. " } else { "- " });
        push_inline(out, text, false);
        return;
    }
    push_inline(out, line, quote);
}

/// A table row of cells, each read for its inline markup.
fn push_row(out: &mut String, cells: &[&str]) {
    out.push('|');
    for c in cells {
        out.push(' ');
        out.push_str(&inline(c.trim()).replace('|', "\\|"));
        out.push_str(" |");
    }
    out.push('\n');
}

/// A row's cells, split at `sep` outside `[...]` links and `{...}` macros (`[text|url]` holds a
/// bar).
fn split_cells<'a>(row: &'a str, sep: &str) -> Vec<&'a str> {
    let mut cells = Vec::new();
    let mut depth = 0usize;
    let mut start = 0;
    let b = row.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'[' | b'{' => depth += 1,
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ if depth == 0 && row[i..].starts_with(sep) => {
                cells.push(&row[start..i]);
                i += sep.len();
                start = i;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    cells.push(&row[start..]);
    cells
}

/// A line of text, quoted or not, with its inline markup as Markdown.
fn push_inline(out: &mut String, text: &str, quote: bool) {
    if quote {
        out.push_str("> ");
    }
    out.push_str(&inline(text));
    out.push('\n');
}

/// How far a mark's closing is looked for: marks close within a line's phrase, and a line of
/// thousands of unclosed `[` stays linear to read.
const NEAR: usize = 512;

/// Where `pat` first occurs in the first [`NEAR`] bytes of `s`.
pub(super) fn find_near(s: &str, pat: &str) -> Option<usize> {
    let mut end = s.len().min(NEAR + pat.len());
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    s[..end].find(pat)
}

/// Inline markup as Markdown: `*bold*` → `**bold**`, `{{mono}}` → `` `mono` ``, `[~user]` →
/// `@user`, `[text|url]` → `[text](url)`, `[url]` → `url`; other `{macro}` marks dropped.
fn inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let rest = &text[i..];
        if let Some(inner) = rest.strip_prefix("{{")
            && let Some(end) = find_near(inner, "}}")
        {
            out.push('`');
            out.push_str(&inner[..end]);
            out.push('`');
            i += 2 + end + 2;
            continue;
        }
        if b[i] == b'{'
            && let Some((_, after)) = opening_macro(rest)
        {
            i += rest.len() - after.len();
            continue;
        }
        if b[i] == b'['
            && let Some(end) = find_near(rest, "]")
        {
            let inner = &rest[1..end];
            if let Some(user) = inner.strip_prefix('~') {
                out.push('@');
                out.push_str(user.trim_start_matches("accountid:"));
            } else if let Some((label, url)) = inner.split_once('|') {
                out.push('[');
                out.push_str(label);
                out.push_str("](");
                out.push_str(url);
                out.push(')');
            } else {
                out.push_str(inner);
            }
            i += end + 1;
            continue;
        }
        // "*bold*": a star after a boundary, a non-space after it, and a closing star before a
        // boundary on the same line.
        if b[i] == b'*'
            && (i == 0 || !b[i - 1].is_ascii_alphanumeric())
            && b.get(i + 1)
                .is_some_and(|c| !c.is_ascii_whitespace() && *c != b'*')
            && let Some(len) = find_near(&rest[1..], "*").filter(|&k| {
                k > 0
                    && !rest.as_bytes()[k].is_ascii_whitespace()
                    && !rest
                        .as_bytes()
                        .get(k + 2)
                        .is_some_and(u8::is_ascii_alphanumeric)
            })
        {
            out.push_str("**");
            out.push_str(&rest[1..=len]);
            out.push_str("**");
            i += len + 2;
            continue;
        }
        let c = rest.chars().next().unwrap_or(' ');
        out.push(c);
        i += c.len_utf8();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_tables_lists_and_inline_marks() {
        let doc = "h1. Checkout errors\n\n*Severity:* SEV-2\n\nh2. Timeline\n\n||Time (UTC)||Event||\n|13:02|Flag enabled, see [PR|https://example.com/pr/1]|\n\nh2. Action items\n\n# Add timeouts ([~jsmith])\n## detail {{http.timeout}}\n* a bullet\n{code:java}\nint x = 1; *not bold*\n{code}\nbq. a quote\n";
        assert!(looks_like_jira(doc));
        let md = to_markdown(doc);
        for want in [
            "# Checkout errors\n",
            "**Severity:** SEV-2\n",
            "## Timeline\n",
            "| Time (UTC) | Event |\n|---|---|\n",
            "| 13:02 | Flag enabled, see [PR](https://example.com/pr/1) |\n",
            "1. Add timeouts (@jsmith)\n",
            "   1. detail `http.timeout`\n",
            "- a bullet\n",
            "```\nint x = 1; *not bold*\n```\n",
            "> a quote\n",
        ] {
            assert!(md.contains(want), "{want:?} in\n{md}");
        }
    }

    #[test]
    fn markdown_is_not_wiki_markup() {
        assert!(!looks_like_jira(
            "# Title\n\n## Timeline\n\n| a | b |\n|---|---|\n"
        ));
        assert!(!looks_like_jira("h2. alone\n\nsome text\n"));
        assert!(!looks_like_jira(
            "# T\n\n```\nh1. quoted\nh2. markup\n```\n"
        ));
        // Multiplication is no bold: "2*3*4".
        assert_eq!(inline("2*3*4 and *x* y"), "2*3*4 and **x** y");
        // Unclosed marks by the thousand read in linear time and stay as written.
        let many = "[{*a ".repeat(50_000);
        assert_eq!(inline(&many), many);
    }
}
