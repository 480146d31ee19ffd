//! Postmortems exported from wikis and editors as HTML (Confluence, Google Docs, Notion): read
//! as the Markdown they stand for, so the rest of the importer handles them like any document.
//!
//! html5ever's tokenizer reads the HTML (entities decoded, scripts and styles kept apart); each
//! tag becomes its Markdown equivalent: headings `#`, paragraphs and blocks separated by blank
//! lines, `<br>` a line break, list items `- `, table rows `| a | b |` with a separator after a
//! header row, `<pre>` a fenced block, `<b>`/`<strong>` `**`. Everything else keeps its text.

use std::cell::RefCell;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};

use crate::text::contains_ci;

/// Whether a document is HTML rather than Markdown with some inline tags: it begins with a tag
/// and closes block elements.
pub fn looks_like_html(text: &str) -> bool {
    let t = text.trim_start();
    if !t.starts_with('<') {
        return false;
    }
    let starts = |p: &str| t.get(..p.len()).is_some_and(|h| h.eq_ignore_ascii_case(p));
    if starts("<!doctype html") || starts("<html") {
        return true;
    }
    const BLOCK_ENDS: [&str; 8] = [
        "</p>", "</div>", "</h1>", "</h2>", "</h3>", "</li>", "</table>", "</body>",
    ];
    BLOCK_ENDS.iter().filter(|tag| contains_ci(t, tag)).count() >= 2
}

/// The Markdown an HTML document stands for.
pub fn to_markdown(html: &str) -> String {
    let sink = Sink::default();
    let tokenizer = Tokenizer::new(sink, TokenizerOpts::default());
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    let state = tokenizer.sink.state.take();
    state.finish()
}

/// The HTML blocks of a Markdown document (a `<table>`, `<ul>`, `<ol>`, `<dl>` or heading
/// `<h1>` to `<h6>` opening a line outside code, up to the line that closes it) written as the
/// Markdown they stand for, each padded to the lines it took so that line numbers after it stay
/// the file's; `None` when the document has none.
pub fn embedded_blocks(text: &str) -> Option<String> {
    const BLOCKS: [(&str, &str); 10] = [
        ("<table", "</table>"),
        ("<ul", "</ul>"),
        ("<ol", "</ol>"),
        ("<dl", "</dl>"),
        ("<h1", "</h1>"),
        ("<h2", "</h2>"),
        ("<h3", "</h3>"),
        ("<h4", "</h4>"),
        ("<h5", "</h5>"),
        ("<h6", "</h6>"),
    ];
    if !BLOCKS.iter().any(|(_, close)| contains_ci(text, close)) {
        return None;
    }
    let lines = super::lines::split(text, 1);
    let mut out = String::with_capacity(text.len());
    // A block that does not close before the end will not close from a later line either.
    let mut unclosed = [false; BLOCKS.len()];
    let mut changed = false;
    let mut i = 0;
    while i < lines.len() {
        let l = &lines[i];
        let opened = (!l.code)
            .then(|| {
                let t = l.text.trim_start_matches(' ');
                (l.text.len() - t.len() <= 3)
                    .then(|| BLOCKS.iter().position(|(open, _)| opens(t, open)))
                    .flatten()
            })
            .flatten()
            .filter(|&b| !unclosed[b]);
        if let Some(b) = opened {
            let (open, close) = BLOCKS[b];
            match closing(&lines[i..], open, close) {
                Some(last) => {
                    let chunk: Vec<&str> = lines[i..=i + last].iter().map(|l| l.text).collect();
                    let md = to_markdown(&chunk.join("\n"));
                    let md = md.trim_matches('\n');
                    out.push_str(md);
                    out.push('\n');
                    for _ in md.lines().count()..=last {
                        out.push('\n');
                    }
                    i += last + 1;
                    changed = true;
                    continue;
                }
                None => unclosed[b] = true,
            }
        }
        out.push_str(l.text);
        out.push('\n');
        i += 1;
    }
    // One line more than the text has line ends: the last needs none.
    out.pop();
    changed.then_some(out)
}

/// Whether `t` opens with the tag `open` ("<table", then `>`, a space or the end).
fn opens(t: &str, open: &str) -> bool {
    t.get(..open.len())
        .is_some_and(|h| h.eq_ignore_ascii_case(open))
        && t[open.len()..]
            .chars()
            .next()
            .is_none_or(|c| c == '>' || c.is_whitespace())
}

/// The index of the line that closes the block `lines[0]` opens (nested blocks of the same
/// tag counted), `None` when none does.
fn closing(lines: &[super::lines::Line<'_>], open: &str, close: &str) -> Option<usize> {
    let mut depth = 0_i64;
    for (k, l) in lines.iter().enumerate() {
        let lower = l.text.to_ascii_lowercase();
        let opened = lower
            .match_indices(open)
            .filter(|(at, _)| opens(&lower[*at..], open))
            .count();
        depth += opened as i64 - lower.matches(close).count() as i64;
        if depth <= 0 {
            return Some(k);
        }
    }
    None
}

/// The deepest list nesting written as indentation.
const MAX_LIST_INDENT: usize = 8;

#[derive(Default)]
struct Sink {
    state: RefCell<State>,
}

#[derive(Default)]
struct State {
    out: String,
    /// Inside `<script>`, `<style>`, `<head>` (except its title): text is not content.
    hidden: usize,
    /// Inside a page's navigation or footer (`<nav>`, `<footer>`): menus, links and
    /// copyright lines of the site around the postmortem, left out with their markup.
    chrome: usize,
    in_title: bool,
    title: String,
    lists: usize,
    pre: bool,
    /// Cells in the current table row, and whether the row is a header row.
    cells: usize,
    header_row: bool,
    /// A separator line is owed after the first row of the current table.
    table_rows: usize,
    /// A definition list's term has just ended: its description goes on the same line.
    after_term: bool,
    /// Inside a table cell: blocks in it (Confluence puts each cell's text in `<p>`) stay on
    /// the row's line, apart by `<br>`.
    in_cell: bool,
    /// An element of the page's chrome named by its id or class (a wiki's breadcrumbs): its tag
    /// and how deep tags of that name nest inside it.
    chrome_element: Option<(String, usize)>,
    /// Inside a task (Confluence's `<li data-inline-task-id>`): a person mentioned in it is its
    /// assignee, a date its due date.
    in_task: bool,
    /// A mention's text, gathered until its link closes.
    mention: Option<String>,
    /// Inside a task's `<time>`: its text is the date already taken from `datetime`.
    in_task_time: bool,
    /// Inside Confluence's page title (`<h1 id="title-heading">`), which it writes as "Space
    /// : Page": where the heading's text starts in `out`.
    page_title: Option<usize>,
}

impl State {
    fn line_break(&mut self) {
        while self.out.ends_with(' ') {
            self.out.pop();
        }
        if !self.out.is_empty() && !self.out.ends_with('\n') {
            self.out.push('\n');
        }
    }

    fn blank_line(&mut self) {
        self.line_break();
        if !self.out.is_empty() && !self.out.ends_with("\n\n") {
            self.out.push('\n');
        }
    }

    fn text(&mut self, s: &str) {
        if self.in_title {
            self.title.push_str(s);
            return;
        }
        if self.hidden > 0 || self.chrome > 0 || self.in_task_time {
            return;
        }
        if let Some(name) = self.mention.as_mut() {
            name.push_str(s);
            return;
        }
        if self.pre {
            self.out.push_str(s);
            return;
        }
        for (i, word) in s.split_whitespace().enumerate() {
            let at_line_start = self.out.is_empty() || self.out.ends_with('\n');
            let glued = i == 0 && !s.starts_with(char::is_whitespace);
            // A space between words, and before a word that follows a tag with a space
            // between them in the source; none after an opening bracket.
            let after_space = self.out.ends_with([' ', '(', '[']);
            if !at_line_start && !after_space && (!glued || self.out.ends_with('|')) {
                self.out.push(' ');
            }
            self.out.push_str(word);
        }
        if s.ends_with(char::is_whitespace) && !self.out.ends_with(['\n', ' ']) {
            self.out.push(' ');
        }
    }

    /// A block starting inside a cell: a `<br>` after the cell's text so far, no new line.
    fn cell_block(&mut self) {
        while self.out.ends_with(' ') {
            self.out.pop();
        }
        if !self.out.ends_with(['|', '>']) {
            self.out.push_str("<br>");
        }
    }

    fn start(&mut self, name: &str) {
        if matches!(name, "nav" | "footer") {
            self.chrome += 1;
            return;
        }
        if self.chrome > 0 {
            return;
        }
        let block = matches!(
            name,
            "h1" | "h2"
                | "h3"
                | "h4"
                | "h5"
                | "h6"
                | "p"
                | "div"
                | "section"
                | "article"
                | "header"
                | "blockquote"
                | "dl"
                | "figure"
                | "main"
                | "details"
                | "summary"
                | "ul"
                | "ol"
                | "li"
                | "dt"
                | "dd"
                | "hr"
                | "pre"
        );
        if self.in_cell && block {
            self.cell_block();
            return;
        }
        match name {
            "script" | "style" | "head" | "noscript" | "template" => self.hidden += 1,
            "title" => self.in_title = true,
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                self.blank_line();
                let level = usize::from(name.as_bytes()[1] - b'0');
                self.out.push_str(&"#".repeat(level));
                self.out.push(' ');
            }
            "p" | "div" | "section" | "article" | "header" | "blockquote" | "dl" | "figure"
            | "main" | "details" | "summary" => self.blank_line(),
            "br" => {
                if self.cells > 0 {
                    self.out.push_str("<br>");
                } else {
                    self.line_break();
                }
            }
            "hr" => {
                self.blank_line();
                self.out.push_str("---\n\n");
            }
            "ul" | "ol" => {
                self.line_break();
                self.lists += 1;
            }
            "li" => {
                self.line_break();
                // Indentation stops growing past a few levels: unclosed lists nested thousands
                // deep must not make the output grow with the square of the input.
                let depth = self.lists.saturating_sub(1).min(MAX_LIST_INDENT);
                self.out.push_str(&"  ".repeat(depth));
                self.out.push_str("- ");
            }
            // `<dt>Severity</dt><dd>P2</dd>` is one `Severity: P2` line, as a label is written.
            "dd" => {
                if !std::mem::take(&mut self.after_term) {
                    self.line_break();
                } else if !self.out.ends_with(' ') {
                    self.out.push(' ');
                }
            }
            "dt" => {
                self.after_term = false;
                self.line_break();
            }
            "table" => {
                self.in_cell = false;
                self.blank_line();
                self.table_rows = 0;
            }
            "tr" => {
                self.in_cell = false;
                self.line_break();
                self.out.push('|');
                self.cells = 0;
                self.header_row = false;
            }
            "td" | "th" => {
                self.header_row |= name == "th";
                self.cells += 1;
                self.in_cell = true;
                self.out.push(' ');
            }
            "pre" => {
                self.blank_line();
                self.out.push_str("```\n");
                self.pre = true;
            }
            "b" | "strong" if self.hidden == 0 => self.text_mark("**"),
            _ => {}
        }
    }

    fn end(&mut self, name: &str) {
        if matches!(name, "nav" | "footer") {
            self.chrome = self.chrome.saturating_sub(1);
            return;
        }
        if self.chrome > 0 {
            return;
        }
        if self.in_cell
            && !matches!(
                name,
                "td" | "th" | "tr" | "table" | "b" | "strong" | "script" | "style" | "title"
            )
        {
            return;
        }
        match name {
            "script" | "style" | "head" | "noscript" | "template" => {
                self.hidden = self.hidden.saturating_sub(1)
            }
            "title" => self.in_title = false,
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "p" | "div" | "section" | "article"
            | "header" | "blockquote" | "dl" | "figure" | "main" | "details" | "summary" => {
                self.blank_line()
            }
            "ul" | "ol" => {
                self.lists = self.lists.saturating_sub(1);
                self.blank_line();
            }
            "dt" => {
                while self.out.ends_with(' ') {
                    self.out.pop();
                }
                if !self.out.is_empty() && !self.out.ends_with(['\n', ':']) {
                    self.out.push(':');
                }
                self.after_term = true;
            }
            "li" | "dd" => self.line_break(),
            "td" | "th" => {
                self.in_cell = false;
                while self.out.ends_with(' ') {
                    self.out.pop();
                }
                self.out.push_str(" |");
            }
            "tr" => {
                self.in_cell = false;
                self.table_rows += 1;
                if self.table_rows == 1 {
                    let cells = self.cells.max(1);
                    self.out.push('\n');
                    self.out.push('|');
                    for _ in 0..cells {
                        self.out.push_str(" --- |");
                    }
                }
                self.cells = 0;
                self.line_break();
            }
            "table" => self.blank_line(),
            "pre" => {
                self.pre = false;
                self.line_break();
                self.out.push_str("```\n\n");
            }
            "b" | "strong" if self.hidden == 0 => self.text_mark("**"),
            _ => {}
        }
    }

    fn text_mark(&mut self, mark: &str) {
        if self.pre {
            return;
        }
        self.out.push_str(mark);
    }

    fn finish(self) -> String {
        let mut out = String::new();
        let title = self.title.split_whitespace().collect::<Vec<_>>().join(" ");
        let has_heading = self.out.lines().any(|l| l.starts_with("# "));
        if !title.is_empty() && !has_heading {
            out.push_str("# ");
            out.push_str(&title);
            out.push_str("\n\n");
        }
        // Empty emphasis left by tags around nothing, and trailing spaces.
        for line in self.out.lines() {
            let line = line.replace("****", "");
            out.push_str(line.trim_end());
            out.push('\n');
        }
        out.trim().to_string() + "\n"
    }
}

impl TokenSink for Sink {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        let mut s = self.state.borrow_mut();
        match token {
            Token::TagToken(tag) => {
                let name: &str = &tag.name;
                let attr = |key: &str| {
                    tag.attrs
                        .iter()
                        .find(|a| &*a.name.local == key)
                        .map(|a| &*a.value)
                };
                match tag.kind {
                    TagKind::StartTag => {
                        // A wiki's breadcrumbs (`<ol id="breadcrumbs">`) are the site's, not the
                        // postmortem's: left out like a `<nav>`.
                        match s.chrome_element.as_mut() {
                            Some((tag_name, depth)) if tag_name == name => *depth += 1,
                            Some(_) => {}
                            None if [attr("id"), attr("class")]
                                .into_iter()
                                .flatten()
                                .any(|v| v.to_ascii_lowercase().contains("breadcrumb")) =>
                            {
                                s.chrome_element = Some((name.to_string(), 1));
                                s.chrome += 1;
                            }
                            None => {}
                        }
                        s.start(name);
                        if name == "h1"
                            && (attr("id") == Some("title-heading")
                                || attr("class").is_some_and(|c| {
                                    c.split_whitespace().any(|w| w == "pagetitle")
                                }))
                        {
                            s.page_title = Some(s.out.len());
                        }
                        if name == "li" {
                            s.in_task = attr("data-inline-task-id").is_some();
                        }
                        // In a task, a mentioned user is its assignee and a date its due date.
                        if s.in_task && s.chrome == 0 && s.hidden == 0 {
                            let mentions = name == "a"
                                && attr("class").is_some_and(|c| {
                                    c.split_whitespace()
                                        .any(|w| w == "confluence-userlink" || w == "user-mention")
                                });
                            if mentions {
                                s.mention = Some(String::new());
                            } else if name == "time"
                                && let Some(day) = attr("datetime").filter(|d| !d.is_empty())
                            {
                                let day = day.to_string();
                                s.text(&format!(" (due: {day})"));
                                s.in_task_time = true;
                            }
                        }
                        // A task: Confluence's `<li data-inline-task-id class="checked">`, or a
                        // checkbox `<input type="checkbox" checked>` (GitHub, Notion exports).
                        let task = match name {
                            "li" if attr("data-inline-task-id").is_some() => Some(
                                attr("class")
                                    .is_some_and(|c| c.split_whitespace().any(|w| w == "checked")),
                            ),
                            "input"
                                if attr("type")
                                    .is_some_and(|t| t.eq_ignore_ascii_case("checkbox")) =>
                            {
                                Some(attr("checked").is_some())
                            }
                            _ => None,
                        };
                        if let Some(done) = task
                            && s.hidden == 0
                            && s.chrome == 0
                        {
                            s.out.push_str(if done { "[x] " } else { "[ ] " });
                        }
                        if tag.self_closing {
                            s.end(name);
                        }
                        match name {
                            "script" => return TokenSinkResult::RawData(RawKind::ScriptData),
                            "style" | "noscript" => {
                                return TokenSinkResult::RawData(RawKind::Rawtext);
                            }
                            "title" | "textarea" => {
                                return TokenSinkResult::RawData(RawKind::Rcdata);
                            }
                            _ => {}
                        }
                    }
                    TagKind::EndTag => {
                        if name == "a"
                            && let Some(who) = s.mention.take()
                        {
                            let who = who.split_whitespace().collect::<Vec<_>>().join(" ");
                            if !who.is_empty() {
                                s.text(&format!(" (owner: {who})"));
                            }
                        }
                        if name == "time" {
                            s.in_task_time = false;
                        }
                        // "Engineering : Postmortem: Release outage": the page, not its space.
                        if name == "h1"
                            && let Some(at) = s.page_title.take()
                            && let Some(k) = s.out.get(at..).and_then(|h| h.find(" : "))
                        {
                            s.out.replace_range(at..at + k + 3, "");
                        }
                        if name == "li" {
                            // A mention or a date left open ends with its task.
                            if let Some(who) = s.mention.take() {
                                s.text(&who);
                            }
                            s.in_task_time = false;
                            s.in_task = false;
                        }
                        s.end(name);
                        if let Some((tag_name, depth)) = s.chrome_element.as_mut()
                            && tag_name == name
                        {
                            *depth -= 1;
                            if *depth == 0 {
                                s.chrome_element = None;
                                s.chrome = s.chrome.saturating_sub(1);
                            }
                        }
                    }
                }
            }
            Token::CharacterTokens(t) => s.text(&t),
            _ => {}
        }
        TokenSinkResult::Continue
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn html_blocks_inside_markdown_become_markdown() {
        let doc = "# Delays\n\n## Timeline\n\n<table>\n<tr><th>Time</th><th>Event</th></tr>\n<tr><td>08:10</td><td>Queue backs up</td></tr>\n</table>\n\n## Action items\n\n<ul>\n<li>Autoscale consumers (owner: Ana)</li>\n</ul>\n\n```\n<ul>\n<li>code</li>\n</ul>\n```\n";
        let out = embedded_blocks(doc).unwrap();
        assert!(out.contains("| Time | Event |"), "{out}");
        assert!(out.contains("| 08:10 | Queue backs up |"), "{out}");
        assert!(out.contains("- Autoscale consumers (owner: Ana)"), "{out}");
        // Code is left as it is, and every line keeps its number.
        assert!(
            out.contains("```\n<ul>\n<li>code</li>\n</ul>\n```"),
            "{out}"
        );
        assert_eq!(out.lines().count(), doc.lines().count());
        // A block that never closes is left as written.
        assert_eq!(embedded_blocks("<ul>\n<li>a</li>\n</table>\n"), None);
        assert_eq!(embedded_blocks("# Plain\n\n- a\n"), None);
        // A heading written in HTML.
        let out = embedded_blocks("<h1>Database failover</h1>\n\n## Timeline\n").unwrap();
        assert!(out.starts_with("# Database failover\n"), "{out}");
    }

    use super::*;

    #[test]
    fn html_reads_as_markdown() {
        let html = "<!DOCTYPE html><html><head><title>DB outage</title><style>p{color:red}</style><script>var x = '<h1>';</script></head><body>\
            <h1>Database outage &amp; recovery</h1><p>On 2024-04-03 the <b>primary</b>\n   database failed.</p>\
            <h2>Timeline</h2><ul><li>11:00 UTC &ndash; errors begin</li><li>11:05 UTC alert fires</li></ul>\
            <h2>Action items</h2><table><tr><th>Action</th><th>Owner</th></tr><tr><td>Add alerts</td><td>@sam</td></tr></table>\
            </body></html>";
        assert!(looks_like_html(html));
        let md = to_markdown(html);
        assert!(md.starts_with("# Database outage & recovery\n"), "{md}");
        assert!(
            md.contains("On 2024-04-03 the **primary** database failed."),
            "{md}"
        );
        assert!(
            md.contains("## Timeline\n\n- 11:00 UTC – errors begin\n- 11:05 UTC alert fires"),
            "{md}"
        );
        assert!(
            md.contains("| Action | Owner |\n| --- | --- |\n| Add alerts | @sam |"),
            "{md}"
        );
        assert!(!md.contains("color:red") && !md.contains("var x"), "{md}");
    }

    #[test]
    fn a_pages_navigation_and_footer_are_left_out() {
        let html = "<!DOCTYPE html><html><body><header><nav><ul><li><a href=\"/\">Home</a></li><li>Blog</li></ul></nav></header>\
            <main><article><h1>Post-mortem: DB outage</h1><p>Text.</p></article></main>\
            <footer><p>&copy; 2024 Acme</p><ul><li>Twitter</li></ul></footer></body></html>";
        let md = to_markdown(html);
        assert!(md.starts_with("# Post-mortem: DB outage\n"), "{md}");
        assert!(
            !md.contains("Home") && !md.contains("Acme") && !md.contains("- "),
            "{md}"
        );
        assert!(md.contains("Text."), "{md}");
    }

    #[test]
    fn blocks_inside_a_cell_stay_on_its_row() {
        // Confluence puts each cell's text in paragraphs.
        let html = "<html><body><h1>T</h1><table><tbody><tr><th><p>Time</p></th><th><p>Event</p></th></tr>\
            <tr><td><p>10:02</p></td><td><p>Disk full</p><p>Errors start</p><ul><li>on node 3</li></ul></td></tr>\
            </tbody></table><p>After</p></body></html>";
        let md = to_markdown(html);
        assert!(
            md.contains("| Time | Event |\n| --- | --- |\n| 10:02 | Disk full<br>Errors start<br>on node 3 |\n"),
            "{md}"
        );
        assert!(md.contains("|\n\nAfter\n"), "{md}");
    }

    #[test]
    fn tasks_read_as_checkboxes() {
        let html = "<html><body><h2>Action items</h2><ul><li data-inline-task-id=\"1\" class=\"checked\">Disk alert</li>\
            <li data-inline-task-id=\"2\">Retention policy</li><li><input type=\"checkbox\" checked disabled> Runbook</li>\
            <li><input type=\"checkbox\"> Drill</li></ul></body></html>";
        let md = to_markdown(html);
        assert!(
            md.contains("- [x] Disk alert\n- [ ] Retention policy\n- [x] Runbook\n- [ ] Drill\n"),
            "{md}"
        );
    }

    #[test]
    fn a_wikis_breadcrumbs_are_left_out_and_a_tasks_mentions_are_its_fields() {
        let html = "<html><body><div id=\"breadcrumb-section\"><ol id=\"breadcrumbs\"><li><a href=\"/\">Engineering</a></li><li><a href=\"/pm\">Postmortems</a></li></ol></div>\
            <h1>Release pipeline outage</h1><h2>Action items</h2><ul class=\"inline-task-list\">\
            <li data-inline-task-id=\"1\" class=\"checked\"><span>Fix the template</span> <a class=\"confluence-userlink\" data-username=\"olind\">Oskar Lind</a></li>\
            <li data-inline-task-id=\"2\"><span>Check hostnames</span> <a class=\"confluence-userlink\">Maja Nilsson</a> <time datetime=\"2025-05-01\">01 May 2025</time></li>\
            </ul><p>Ask <a class=\"confluence-userlink\">Oskar Lind</a> for access.</p></body></html>";
        let md = to_markdown(html);
        assert!(md.starts_with("# Release pipeline outage\n"), "{md}");
        // Confluence writes its page title after the space's name.
        let page = to_markdown(
            "<html><body><h1 id=\"title-heading\" class=\"pagetitle\"><span id=\"title-text\">Engineering : Postmortem: Pipeline outage</span></h1><p>x</p></body></html>",
        );
        assert!(
            page.starts_with("# Postmortem: Pipeline outage\n"),
            "{page}"
        );
        assert!(
            md.contains("- [x] Fix the template (owner: Oskar Lind)\n- [ ] Check hostnames (owner: Maja Nilsson) (due: 2025-05-01)\n"),
            "{md}"
        );
        // Outside a task a mention is only a name.
        assert!(md.contains("Ask Oskar Lind for access."), "{md}");
        // A mention or a date left open loses nothing after its task.
        let md = to_markdown(
            "<html><body><ul><li data-inline-task-id=\"1\">Fix it <a class=\"confluence-userlink\">Oskar</li><li data-inline-task-id=\"2\">Check <time datetime=\"2025-05-01\">1 May</li></ul><p>After the list.</p></body></html>",
        );
        assert!(md.contains("Fix it Oskar"), "{md}");
        assert!(md.contains("After the list."), "{md}");
    }

    #[test]
    fn a_definition_list_reads_as_labels() {
        let html = "<html><body><h1>T</h1><dl>\n<dt>Severity</dt>\n<dd>SEV-3</dd><dt>Start time:</dt><dd> 2023-10-04 14:02 UTC</dd>\
            <dt>Alone</dt><dt>Status</dt><dd>Closed</dd></dl></body></html>";
        let md = to_markdown(html);
        assert!(md.contains("\nSeverity: SEV-3\n"), "{md}");
        assert!(md.contains("\nStart time: 2023-10-04 14:02 UTC\n"), "{md}");
        // A term without a description keeps its own line.
        assert!(md.contains("\nAlone:\nStatus: Closed\n"), "{md}");
    }

    #[test]
    fn deep_unclosed_lists_stay_linear() {
        let html = format!("<html><body>{}</body></html>", "<ul><li>x".repeat(20_000));
        let md = to_markdown(&html);
        // At most eight levels of indentation per item: linear in the input.
        assert!(md.len() < 20_000 * 24, "{} bytes", md.len());
    }

    #[test]
    fn markdown_with_inline_tags_is_not_html() {
        assert!(!looks_like_html("# Title\n\nSome <br> text</p>"));
        assert!(!looks_like_html("<!-- note -->\n# Title\n\ntext"));
    }
}
