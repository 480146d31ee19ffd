//! AsciiDoc, read as the Markdown it stands for: `= Title` and `== Section` headings, `|===`
//! tables (a cell per line or several, rows as many cells as the first), `----` and `....`
//! listing blocks as code fences, `. item` as a numbered list. Everything else is kept as
//! written, which Markdown and plain-text reading take as they are.

/// Whether `text` is AsciiDoc: it opens with a `= Title` line, or has a `== Section` heading
/// and a `|===` table or a `:attribute:` line at its head.
pub fn looks_like_asciidoc(text: &str) -> bool {
    // "= Title =" over "== Section ==" headings and a "{|" table is MediaWiki, which shares
    // the first line's form.
    if super::mediawiki::looks_like_mediawiki(text) && !text.lines().any(|l| l.trim_end() == "|===")
    {
        return false;
    }
    let mut lines = text.lines().map(str::trim_end).filter(|l| !l.is_empty());
    if lines
        .next()
        .and_then(heading)
        .is_some_and(|(level, _)| level == 1)
    {
        return true;
    }
    let mut sections = false;
    let mut tables = false;
    for l in text.lines() {
        sections |= heading(l).is_some_and(|(level, _)| level >= 2);
        tables |= l.trim_end() == "|===";
        if sections && tables {
            return true;
        }
    }
    false
}

/// `= Title` (level 1) to `====== Section` (level 6): the marks from the line's start, then a
/// space and the heading's text.
fn heading(line: &str) -> Option<(usize, &str)> {
    let level = line.bytes().take_while(|&b| b == b'=').count();
    let rest = line[level..].strip_prefix(' ')?.trim();
    ((1..=6).contains(&level) && !rest.is_empty()).then_some((level, rest))
}

/// The Markdown an AsciiDoc text stands for.
pub fn to_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    let mut lines = text.lines().peekable();
    let mut listing: Option<&str> = None;
    while let Some(line) = lines.next() {
        let trimmed = line.trim_end();
        if let Some(delimiter) = listing {
            if trimmed == delimiter {
                listing = None;
                out.push_str("```\n");
            } else {
                out.push_str(line);
                out.push('\n');
            }
            continue;
        }
        if matches!(trimmed, "----" | "....") {
            listing = Some(if trimmed == "----" { "----" } else { "...." });
            out.push_str("```\n");
            continue;
        }
        if trimmed == "|===" {
            let mut rows = Vec::new();
            for l in lines.by_ref() {
                if l.trim_end() == "|===" {
                    break;
                }
                rows.push(l);
            }
            table(&rows, &mut out);
            continue;
        }
        // Block attributes ("[cols="1,3"]") and comments shape the rendering only.
        if (trimmed.starts_with('[') && trimmed.ends_with(']') && !trimmed.contains("]("))
            || trimmed.starts_with("//")
        {
            continue;
        }
        if let Some((level, rest)) = heading(trimmed) {
            out.push_str(&"#".repeat(level));
            out.push(' ');
            out.push_str(rest);
        } else if let Some(item) = trimmed.strip_prefix(". ") {
            out.push_str("1. ");
            out.push_str(item);
        } else {
            // "text +": a hard line break, which the next line's start gives anyway.
            out.push_str(trimmed.strip_suffix(" +").unwrap_or(line));
        }
        out.push('\n');
    }
    out
}

/// A table's lines (between its `|===` delimiters) as a Markdown table: the cells in order,
/// each starting at a `|`, grouped in rows of as many cells as the first line holds.
fn table(lines: &[&str], out: &mut String) {
    let cells_of = |l: &str| -> Vec<String> {
        l.trim()
            .strip_prefix('|')
            .map(|rest| rest.split('|').map(|c| c.trim().to_string()).collect())
            .unwrap_or_default()
    };
    let mut cells: Vec<String> = Vec::new();
    let mut width = 0;
    for l in lines {
        let t = l.trim();
        if t.is_empty() {
            continue;
        }
        if t.starts_with('|') {
            let here = cells_of(t);
            if width == 0 {
                width = here.len();
            }
            cells.extend(here);
        } else if let Some(last) = cells.last_mut() {
            // A cell's text going on over the next line.
            last.push(' ');
            last.push_str(t);
        }
    }
    if width == 0 {
        return;
    }
    for (i, row) in cells.chunks(width).enumerate() {
        out.push_str("| ");
        out.push_str(&row.join(" | "));
        out.push_str(" |\n");
        if i == 0 {
            out.push_str(&"|---".repeat(row.len()));
            out.push_str("|\n");
        }
    }
    out.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_tables_and_listings_become_markdown() {
        let doc = "= Search split-brain\n:revdate: 2024-02-19\n\n== Timeline\n\n[cols=\"1,3\"]\n|===\n|Time |Event\n\n|09:12\n|Switch reboots\nafter a push.\n\n|09:14\n|Alert fires\n|===\n\n----\n== not a heading\n----\n\n. First\n";
        assert!(looks_like_asciidoc(doc));
        let md = to_markdown(doc);
        assert!(md.starts_with("# Search split-brain\n"), "{md}");
        assert!(md.contains("\n## Timeline\n"), "{md}");
        assert!(
            md.contains(
                "| Time | Event |\n|---|---|\n| 09:12 | Switch reboots after a push. |\n| 09:14 | Alert fires |\n"
            ),
            "{md}"
        );
        assert!(md.contains("```\n== not a heading\n```\n"), "{md}");
        assert!(md.contains("1. First\n"), "{md}");
        let md = to_markdown("= T\n\n*Severity:* SEV-2 +\n*Duration:* 1h\n");
        assert!(md.contains("*Severity:* SEV-2\n*Duration:* 1h\n"), "{md}");
        assert!(!md.contains("cols="), "{md}");
    }

    #[test]
    fn markdown_and_plain_text_are_not_asciidoc() {
        for doc in [
            "# Title\n\n== not a heading in Markdown\n",
            "Title\n=====\n\nText = more text\n",
            "Summary\n\nx == y held.\n",
            "= Outage =\n\n== Summary ==\nText.\n\n== Timeline ==\n",
        ] {
            assert!(!looks_like_asciidoc(doc), "{doc}");
        }
    }
}
