//! MediaWiki markup (a wiki's incident pages), read as the Markdown it stands for:
//! `== Timeline ==` is a heading, `* item` and `# item` lists (repeated for nesting), `;term`
//! a bold term, `'''bold'''` and `''italic''`, `[[Page|text]]` and `[https://url text]` links,
//! `{| ... |}` a table. A table that pairs bold labels with values (`'''Start''' || 09:12`) is
//! read as `Label: value` lines. Templates (`{{...}}`), categories, `<ref>` notes and comments
//! are dropped; `<pre>`, `<syntaxhighlight>` and `<source>` blocks are code fences.

use super::jira::find_near;

/// `== Heading ==`: the level (equals signs on each side) and the text.
fn heading(line: &str) -> Option<(usize, &str)> {
    let t = line.trim_end();
    let level = t.bytes().take_while(|&b| b == b'=').count();
    if !(1..=6).contains(&level) || t.len() < 2 * level + 1 {
        return None;
    }
    let inner = t[level..].strip_suffix(&t[..level])?;
    let text = inner.trim();
    (!inner.ends_with('=') && !text.is_empty()).then_some((level, text))
}

/// Whether `text` is MediaWiki markup: two headings written `== ... ==`, or one and a table
/// opened with `{|`. (No Markdown line is `== Summary ==`: a setext underline holds no text.)
pub fn looks_like_mediawiki(text: &str) -> bool {
    let mut headings = 0;
    let mut table = false;
    let mut fenced = false;
    for line in text.lines().take(2_000) {
        let t = line.trim_start();
        if t.starts_with("```") || t.starts_with("~~~") {
            fenced = !fenced;
        }
        if fenced {
            continue;
        }
        if heading(t).is_some_and(|(level, _)| level >= 2) {
            headings += 1;
        } else if t.starts_with("{|") {
            table = true;
        }
        if headings >= 2 || (headings == 1 && table) {
            return true;
        }
    }
    false
}

/// The text without templates (`{{...}}`, nested or over several lines), comments
/// (`<!-- ... -->`) and reference notes (`<ref>...</ref>`, `<ref name="x" />`). A mark closed
/// nowhere after it is text. Where each closing mark last occurs is found once, so a text of
/// unclosed marks reads in linear time.
fn without_hidden(text: &str) -> String {
    let last = |pat: &str| text.rfind(pat).map(|k| k + pat.len());
    let (last_template, last_comment, last_ref) = (last("}}"), last("-->"), last("</ref>"));
    let closed = |at: usize, last: Option<usize>| last.is_some_and(|end| end > at + 4);
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let mut depth = 0usize;
    while i < text.len() {
        let Some(k) = text[i..].find(['{', '}', '<']).map(|k| i + k) else {
            if depth == 0 {
                out.push_str(&text[i..]);
            }
            break;
        };
        if depth == 0 {
            out.push_str(&text[i..k]);
        }
        let here = &text[k..];
        let skip = if here.starts_with("{{") && (depth > 0 || closed(k, last_template)) {
            depth += 1;
            2
        } else if here.starts_with("}}") && depth > 0 {
            depth -= 1;
            2
        } else if depth == 0 && here.starts_with("<!--") && closed(k, last_comment) {
            let end = here.find("-->").unwrap_or(here.len() - 3);
            // A comment keeps the line breaks it spans, so line numbers stay near.
            out.extend(here[..end].matches('\n').map(|_| '\n'));
            end + 3
        } else if depth == 0 && here.starts_with("<ref") && here[4..].starts_with([' ', '>']) {
            match find_near(here, ">") {
                Some(tag_end) if here[..tag_end].ends_with('/') => tag_end + 1,
                Some(_) if closed(k, last_ref) => here.find("</ref>").map_or(4, |end| end + 6),
                _ => {
                    out.push_str("<ref");
                    4
                }
            }
        } else {
            if depth == 0 {
                out.push_str(&here[..1]);
            }
            1
        };
        i = (k + skip).min(text.len());
    }
    out
}

/// A list line: its markers (`*`, `#`, `:`, `;` in any mix) and the text after them.
fn list_item(line: &str) -> Option<(&str, &str)> {
    let n = line
        .bytes()
        .take_while(|b| matches!(b, b'*' | b'#' | b':' | b';'))
        .count();
    (n > 0).then(|| (&line[..n], line[n..].trim()))
}

/// A table cell's content without its attributes (`style="x" | text`).
fn cell_text(cell: &str) -> &str {
    match cell.find('|') {
        Some(k) if !cell[..k].contains("[[") && cell[..k].contains('=') => cell[k + 1..].trim(),
        _ => cell.trim(),
    }
}

/// A table's rows, each a list of cells and whether the row is headers (`!`).
#[derive(Default)]
struct Table {
    rows: Vec<(bool, Vec<String>)>,
}

impl Table {
    fn push_cells(&mut self, line: &str, header: bool, new_row: bool) {
        let seps: &[&str] = if header { &["!!", "||"] } else { &["||"] };
        let mut cells: Vec<&str> = vec![line];
        for sep in seps {
            cells = cells.iter().flat_map(|c| c.split(sep)).collect();
        }
        let cells = cells.into_iter().map(|c| inline(cell_text(c)));
        match self.rows.last_mut() {
            Some((_, row)) if !new_row => row.extend(cells),
            _ => self.rows.push((header, cells.collect())),
        }
    }

    /// Bold labels beside their values in every row, with no header row.
    fn pairs_labels(&self) -> bool {
        !self.rows.is_empty()
            && self.rows.iter().all(|(header, cells)| {
                !header
                    && cells.len() % 2 == 0
                    && cells
                        .iter()
                        .step_by(2)
                        .all(|c| c.len() > 4 && c.starts_with("**") && c.ends_with("**"))
            })
    }

    fn write(self, out: &mut String) {
        if self.pairs_labels() {
            for (_, cells) in &self.rows {
                for pair in cells.chunks(2) {
                    out.push_str(pair[0].trim_matches('*').trim_end_matches(':'));
                    out.push_str(": ");
                    out.push_str(&pair[1]);
                    out.push('\n');
                }
            }
            return;
        }
        let width = self.rows.iter().map(|(_, c)| c.len()).max().unwrap_or(0);
        for (i, (_, cells)) in self.rows.iter().enumerate() {
            out.push('|');
            for k in 0..width {
                out.push(' ');
                out.push_str(
                    &cells
                        .get(k)
                        .map_or(String::new(), |c| c.replace('|', "\\|")),
                );
                out.push_str(" |");
            }
            out.push('\n');
            if i == 0 {
                out.push('|');
                out.push_str(&"---|".repeat(width));
                out.push('\n');
            }
        }
    }
}

/// The Markdown a MediaWiki text stands for.
pub fn to_markdown(text: &str) -> String {
    let text = without_hidden(text);
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    let mut code: Option<&str> = None;
    let mut table: Option<Table> = None;
    let mut new_row = true;
    for line in text.lines() {
        let trimmed = line.trim();
        let lower = trimmed.to_ascii_lowercase();
        if let Some(close) = code {
            if lower.starts_with(close) {
                out.push_str("```\n");
                code = None;
            } else {
                out.push_str(line);
                out.push('\n');
            }
            continue;
        }
        if let Some(t) = table.as_mut() {
            if trimmed.starts_with("|}") {
                if let Some(t) = table.take() {
                    t.write(&mut out);
                }
            } else if trimmed.starts_with("|-") {
                new_row = true;
            } else if let Some(cells) = trimmed.strip_prefix('!') {
                t.push_cells(cells, true, new_row);
                new_row = false;
            } else if let Some(cells) = trimmed
                .strip_prefix('|')
                .filter(|_| !trimmed.starts_with("|+"))
            {
                t.push_cells(cells, false, new_row);
                new_row = false;
            } else if !trimmed.is_empty() && !trimmed.starts_with("|+") {
                // A cell's text running onto the next line.
                if let Some(last) = t.rows.last_mut().and_then(|(_, r)| r.last_mut()) {
                    last.push(' ');
                    last.push_str(&inline(trimmed));
                }
            }
            continue;
        }
        if trimmed.starts_with("{|") {
            table = Some(Table::default());
            new_row = true;
            continue;
        }
        for (open, close) in [
            ("<pre", "</pre>"),
            ("<syntaxhighlight", "</syntaxhighlight>"),
            ("<source", "</source>"),
        ] {
            if lower.starts_with(open) && code.is_none() {
                out.push_str("```\n");
                code = Some(close);
            }
        }
        if code.is_some() {
            continue;
        }
        if matches!(trimmed, "__NOTOC__" | "__TOC__" | "__FORCETOC__") {
            continue;
        }
        if let Some((level, text)) = heading(trimmed) {
            out.push_str(&"#".repeat(level));
            out.push(' ');
            out.push_str(&inline(text));
            out.push('\n');
            continue;
        }
        if let Some((marks, text)) = list_item(trimmed) {
            let last = marks.as_bytes()[marks.len() - 1];
            out.push_str(&"   ".repeat(marks.len() - 1));
            match last {
                b'*' => out.push_str("- "),
                b'#' => out.push_str("1. "),
                // ";term : definition"
                b';' => {
                    let (term, def) = text.split_once(" : ").unwrap_or((text, ""));
                    out.push_str("**");
                    out.push_str(&inline(term.trim()));
                    out.push_str("**");
                    if !def.is_empty() {
                        out.push_str(": ");
                        out.push_str(&inline(def.trim()));
                    }
                    out.push('\n');
                    continue;
                }
                _ => {}
            }
            out.push_str(&inline(text));
            out.push('\n');
            continue;
        }
        out.push_str(&inline(trimmed));
        out.push('\n');
    }
    if let Some(t) = table {
        t.write(&mut out);
    }
    if code.is_some() {
        out.push_str("```\n");
    }
    out
}

/// Inline markup as Markdown: `'''bold'''` → `**bold**`, `''italic''` → `_italic_`,
/// `[[Page|text]]` → `text`, `[https://x text]` → `[text](https://x)`, `<code>` → a backtick;
/// categories and files dropped, other tags taken off their text (`<br>` kept).
fn inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let rest = &text[i..];
        if let Some(inner) = rest.strip_prefix("[[")
            && let Some(end) = find_near(inner, "]]")
        {
            let inner = &inner[..end];
            let (target, label) = inner.split_once('|').unwrap_or((inner, inner));
            let namespace = target
                .split_once(':')
                .map(|(ns, _)| ns.trim().to_ascii_lowercase());
            if !matches!(namespace.as_deref(), Some("category" | "file" | "image")) {
                out.push_str(label.trim());
            }
            i += 2 + end + 2;
            continue;
        }
        if rest.starts_with('[')
            && (rest[1..].starts_with("http") || rest[1..].starts_with("//"))
            && let Some(end) = find_near(rest, "]")
        {
            let inner = &rest[1..end];
            match inner.split_once(' ') {
                Some((url, label)) => {
                    out.push('[');
                    out.push_str(label.trim());
                    out.push_str("](");
                    out.push_str(url);
                    out.push(')');
                }
                None => out.push_str(inner),
            }
            i += end + 1;
            continue;
        }
        if rest.starts_with("'''''") {
            out.push_str("***");
            i += 5;
            continue;
        }
        if rest.starts_with("'''") {
            out.push_str("**");
            i += 3;
            continue;
        }
        if rest.starts_with("''") {
            out.push('_');
            i += 2;
            continue;
        }
        if rest.starts_with('<')
            && let Some(end) = find_near(rest, ">")
        {
            let tag = rest[1..end].trim_start_matches('/').trim_end_matches('/');
            let name = tag
                .split_whitespace()
                .next()
                .unwrap_or("")
                .to_ascii_lowercase();
            if !name.is_empty() && name.bytes().all(|c| c.is_ascii_alphabetic()) {
                match name.as_str() {
                    "br" => out.push_str("<br>"),
                    "code" | "tt" | "kbd" => out.push('`'),
                    _ => {}
                }
                i += end + 1;
                continue;
            }
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
    fn headings_lists_tables_and_inline_marks() {
        let doc = "{{irdoc|status=final\n|owner=x}}\n__NOTOC__\n==Summary==\n{| class=\"wikitable\"\n|'''Start'''\n|2024-03-05 09:12\n|-\n|'''End''' || 2024-03-05 10:02\n|}\nThe gateway '''failed'''<ref>see [https://example.com the log]</ref>.\n\n== Timeline ==\n''All times in UTC.''\n*09:12 Bundle deployed, see [[phab:T1|T1]]\n** detail <code>ca.pem</code>\n#10:02 Errors back to normal<!-- checked -->\n;Owner : Ada\n{| class=\"wikitable\"\n! Time !! Event\n|-\n| 09:15 || Alert fires\n|}\n<syntaxhighlight lang=\"bash\">\nkubectl get '''pods'''\n</syntaxhighlight>\n[[Category:Incidents]]\n";
        assert!(looks_like_mediawiki(doc));
        let md = to_markdown(doc);
        for want in [
            "## Summary\n",
            "Start: 2024-03-05 09:12\nEnd: 2024-03-05 10:02\n",
            "The gateway **failed**.\n",
            "## Timeline\n",
            "_All times in UTC._\n",
            "- 09:12 Bundle deployed, see T1\n",
            "   - detail `ca.pem`\n",
            "1. 10:02 Errors back to normal\n",
            "**Owner**: Ada\n",
            "| Time | Event |\n|---|---|\n| 09:15 | Alert fires |\n",
            "```\nkubectl get '''pods'''\n```\n",
        ] {
            assert!(md.contains(want), "{want:?} in\n{md}");
        }
        assert!(!md.contains("irdoc") && !md.contains("Category") && !md.contains("the log"));
    }

    proptest::proptest! {
        #[test]
        fn any_mix_of_marks_reads_without_panicking(
            text in "[=*#:;|!{}\\[\\]'<>/a-z é\n-]{0,200}"
        ) {
            let _ = looks_like_mediawiki(&text);
            let _ = to_markdown(&text);
        }
    }

    #[test]
    fn markdown_is_not_mediawiki() {
        assert!(!looks_like_mediawiki(
            "Title\n=====\n\nSome text\n\nTimeline\n--------\n"
        ));
        assert!(!looks_like_mediawiki("# T\n\n```\n== a ==\n== b ==\n```\n"));
        assert!(!looks_like_mediawiki("x == y ==\n"));
        // Unclosed marks stay as written, in linear time.
        let many = "{{[[<".repeat(20_000);
        assert_eq!(to_markdown(&many).trim_end(), many);
    }
}
