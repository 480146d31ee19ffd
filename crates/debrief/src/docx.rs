//! A Word document (`.docx`, as Word and the editors that export it save one) written as the
//! Markdown it stands for: headings from the paragraph styles (`Title`, `Heading 1`...), list
//! paragraphs as list items, tables as Markdown tables, line breaks kept, deleted revisions
//! left out. The importer then reads it as any document.

use std::collections::HashMap;
use std::io::{Cursor, Read};

use anyhow::Context;
use quick_xml::Reader;
use quick_xml::events::{BytesRef, BytesStart, Event};

/// Largest part of a document read (a document's text is far smaller; a part this large is a
/// compression bomb, not a postmortem).
const MAX_PART_BYTES: u64 = 32 * 1024 * 1024;

/// What to do with a Word document that cannot be read.
const AGAIN: &str = "the file starts as a ZIP archive (a .docx) but cannot be read; open it in its editor and save it again, or export the postmortem as Markdown, HTML or plain text";

/// Whether the bytes are a ZIP archive, as a `.docx` is.
pub fn is_zip(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04")
}

/// The Markdown a `.docx` stands for. Errors say what is wrong with the file.
pub fn to_markdown(bytes: &[u8]) -> anyhow::Result<String> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).context(AGAIN)?;
    let document = part(&mut zip, "word/document.xml")?.context(
        "a ZIP archive without word/document.xml is not a Word document; export the postmortem as Markdown, HTML or plain text",
    )?;
    let styles = part(&mut zip, "word/styles.xml")?
        .map(|xml| heading_styles(&xml))
        .unwrap_or_default();
    Ok(Writer::new(styles).write(&document))
}

/// One part of the archive as text, `None` when it is missing.
fn part(zip: &mut zip::ZipArchive<Cursor<&[u8]>>, name: &str) -> anyhow::Result<Option<String>> {
    let file = match zip.by_name(name) {
        Ok(f) => f,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(e) => return Err(e).with_context(|| format!("{name}: {AGAIN}")),
    };
    let mut text = String::new();
    file.take(MAX_PART_BYTES + 1)
        .read_to_string(&mut text)
        .with_context(|| format!("{name} is damaged or not UTF-8 XML; {AGAIN}"))?;
    anyhow::ensure!(
        text.len() as u64 <= MAX_PART_BYTES,
        "{name} holds more than {} MB of text; this is not a postmortem",
        MAX_PART_BYTES / 1_048_576
    );
    Ok(Some(text))
}

/// What a paragraph style makes of its paragraph.
#[derive(Clone, Copy, PartialEq, Debug)]
enum Style {
    Title,
    Heading(u8),
    /// "List Bullet", "List Number", "List Paragraph": a list item.
    List,
}

/// The heading styles of `styles.xml`, by style id: a style named "Title", or "heading N"
/// (whatever the id, which a translated Word writes in its own language).
fn heading_styles(xml: &str) -> HashMap<String, Style> {
    let mut out = HashMap::new();
    let mut reader = Reader::from_str(xml);
    let mut id: Option<String> = None;
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) if local(&e) == "style" => id = attribute(&e, "w:styleId"),
            Ok(Event::Empty(e)) if local(&e) == "name" => {
                if let (Some(id), Some(name)) = (&id, attribute(&e, "w:val"))
                    && let Some(style) = style_named(&name)
                {
                    out.insert(id.clone(), style);
                }
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    out
}

/// "Title", "heading 2", "List Bullet" (the names Word gives its built-in styles), or a style
/// id of that form ("Heading2", "ListBullet").
fn style_named(name: &str) -> Option<Style> {
    let lower = name.to_ascii_lowercase();
    if lower == "title" {
        return Some(Style::Title);
    }
    if lower.starts_with("list") {
        return Some(Style::List);
    }
    let n = lower.strip_prefix("heading")?.trim();
    n.parse::<u8>()
        .ok()
        .filter(|n| (1..=6).contains(n))
        .map(Style::Heading)
}

/// An element's name without its namespace prefix (`w:p` is `p`).
fn local<'e>(e: &'e BytesStart<'_>) -> &'e str {
    without_prefix(e.name().0)
}

fn without_prefix(full: &str) -> &str {
    full.split_once(':').map_or(full, |(_, local)| local)
}

fn attribute(e: &BytesStart<'_>, key: &str) -> Option<String> {
    e.try_get_attribute(key).ok().flatten().and_then(|a| {
        a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .ok()
            .map(|v| v.into_owned())
    })
}

/// The character or predefined entity a reference stands for.
fn resolved(r: &BytesRef<'_>) -> Option<String> {
    if let Ok(Some(c)) = r.resolve_char_ref() {
        return Some(c.to_string());
    }
    quick_xml::escape::resolve_predefined_entity(r).map(str::to_string)
}

/// A table being read: its finished rows, the row and the cell under way.
#[derive(Default)]
struct Table {
    rows: Vec<Vec<String>>,
    row: Vec<String>,
    cell: String,
}

struct Writer {
    styles: HashMap<String, Style>,
    out: String,
    /// The paragraph being read: its text, its style, whether it is a list item.
    text: String,
    style: Option<Style>,
    listed: bool,
    /// Inside `<w:t>` (text to keep), and how deep inside deleted revisions.
    in_text: bool,
    deleted: usize,
    tables: Vec<Table>,
    /// Whether the document has a Title paragraph, which makes Heading 1 a second level.
    has_title: bool,
    /// Whether the last block written was a list item.
    after_item: bool,
}

impl Writer {
    fn new(styles: HashMap<String, Style>) -> Writer {
        Writer {
            styles,
            out: String::new(),
            text: String::new(),
            style: None,
            listed: false,
            in_text: false,
            deleted: 0,
            tables: Vec::new(),
            has_title: false,
            after_item: false,
        }
    }

    fn style_of(&self, id: &str) -> Option<Style> {
        self.styles.get(id).copied().or_else(|| style_named(id))
    }

    fn write(mut self, xml: &str) -> String {
        self.has_title = self.has_title_paragraph(xml);
        let mut reader = Reader::from_str(xml);
        loop {
            let event = match reader.read_event() {
                Ok(Event::Eof) | Err(_) => break,
                Ok(event) => event,
            };
            match event {
                Event::Start(e) => self.open(&e),
                Event::Empty(e) => {
                    self.open(&e);
                    self.close(local(&e));
                }
                Event::End(e) => self.close(without_prefix(e.name().as_ref())),
                Event::Text(t) if self.in_text && self.deleted == 0 => {
                    self.text.push_str(&t.xml10_content());
                }
                Event::GeneralRef(r) if self.in_text && self.deleted == 0 => {
                    if let Some(s) = resolved(&r) {
                        self.text.push_str(&s);
                    }
                }
                _ => {}
            }
        }
        self.out.trim_end().to_string() + "\n"
    }

    /// Whether a paragraph of the document has the Title style.
    fn has_title_paragraph(&self, xml: &str) -> bool {
        let mut reader = Reader::from_str(xml);
        loop {
            match reader.read_event() {
                Ok(Event::Empty(e) | Event::Start(e))
                    if local(&e) == "pStyle"
                        && attribute(&e, "w:val").and_then(|v| self.style_of(&v))
                            == Some(Style::Title) =>
                {
                    return true;
                }
                Ok(Event::Eof) | Err(_) => return false,
                _ => {}
            }
        }
    }

    fn open(&mut self, e: &BytesStart<'_>) {
        match local(e) {
            "p" => {
                self.text.clear();
                self.style = None;
                self.listed = false;
            }
            "pStyle" => self.style = attribute(e, "w:val").and_then(|v| self.style_of(&v)),
            "numPr" => self.listed = true,
            "t" => self.in_text = true,
            "del" => self.deleted += 1,
            "tab" if self.deleted == 0 => self.text.push(' '),
            "br" | "cr" if self.deleted == 0 => self.text.push('\n'),
            "tbl" => self.tables.push(Table::default()),
            "tr" => {
                if let Some(t) = self.tables.last_mut() {
                    t.row.clear();
                }
            }
            "tc" => {
                if let Some(t) = self.tables.last_mut() {
                    t.cell.clear();
                }
            }
            _ => {}
        }
    }

    fn close(&mut self, name: &str) {
        match name {
            "t" => self.in_text = false,
            "del" => self.deleted = self.deleted.saturating_sub(1),
            "p" => self.paragraph(),
            "tc" => {
                if let Some(t) = self.tables.last_mut() {
                    let cell = std::mem::take(&mut t.cell);
                    t.row.push(cell.trim().to_string());
                }
            }
            "tr" => {
                if let Some(t) = self.tables.last_mut() {
                    let row = std::mem::take(&mut t.row);
                    t.rows.push(row);
                }
            }
            "tbl" => {
                if let Some(table) = self.tables.pop() {
                    self.table(table);
                }
            }
            _ => {}
        }
    }

    /// A finished paragraph: into the cell under way, or written as a block.
    fn paragraph(&mut self) {
        let text = self.text.trim().to_string();
        if let Some(t) = self.tables.last_mut() {
            if !text.is_empty() {
                if !t.cell.is_empty() {
                    t.cell.push(' ');
                }
                t.cell.push_str(&text.replace('\n', " "));
            }
            return;
        }
        if text.is_empty() {
            return;
        }
        let heading = match self.style {
            Some(Style::Title) => Some(1),
            Some(Style::Heading(n)) => Some((n + u8::from(self.has_title)).min(6)),
            Some(Style::List) | None => None,
        };
        let listed = self.listed || self.style == Some(Style::List);
        match heading {
            Some(level) => {
                self.block(false);
                self.out.push_str(&"#".repeat(usize::from(level)));
                self.out.push(' ');
                self.out.push_str(&text.replace('\n', " "));
                self.out.push_str("\n\n");
            }
            None if listed => {
                self.block(true);
                self.out.push_str("- ");
                self.out.push_str(&text.replace('\n', "\n  "));
                self.out.push('\n');
            }
            None => {
                self.block(false);
                self.out.push_str(&text);
                self.out.push_str("\n\n");
            }
        }
    }

    /// Ends a list before anything that is not one of its items.
    fn block(&mut self, item: bool) {
        if self.after_item && !item {
            self.out.push('\n');
        }
        self.after_item = item;
    }

    /// A finished table: a Markdown table (its first row the header), or its rows' text in the
    /// cell of the table around it.
    fn table(&mut self, table: Table) {
        let rows: Vec<Vec<String>> = table
            .rows
            .into_iter()
            .filter(|r| r.iter().any(|c| !c.is_empty()))
            .collect();
        if rows.is_empty() {
            return;
        }
        if let Some(outer) = self.tables.last_mut() {
            let text: Vec<String> = rows.iter().map(|r| r.join(", ")).collect();
            if !outer.cell.is_empty() {
                outer.cell.push(' ');
            }
            outer.cell.push_str(&text.join("; "));
            return;
        }
        self.block(false);
        let width = rows.iter().map(Vec::len).max().unwrap_or(0);
        for (i, row) in rows.iter().enumerate() {
            self.out.push('|');
            for k in 0..width {
                let cell = row.get(k).map_or("", String::as_str);
                self.out.push(' ');
                self.out.push_str(&cell.replace('|', "\\|"));
                self.out.push_str(" |");
            }
            self.out.push('\n');
            if i == 0 {
                self.out.push('|');
                self.out.push_str(&"---|".repeat(width));
                self.out.push('\n');
            }
        }
        self.out.push('\n');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const W: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main""#;

    fn para(style: Option<&str>, listed: bool, runs: &str) -> String {
        let mut ppr = String::new();
        if let Some(s) = style {
            ppr.push_str(&format!(r#"<w:pStyle w:val="{s}"/>"#));
        }
        if listed {
            ppr.push_str(r#"<w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr>"#);
        }
        format!("<w:p><w:pPr>{ppr}</w:pPr>{runs}</w:p>")
    }

    fn run(text: &str) -> String {
        format!(r#"<w:r><w:t xml:space="preserve">{text}</w:t></w:r>"#)
    }

    #[test]
    fn paragraphs_headings_lists_and_tables() {
        let body = [
            para(Some("Title"), false, &run("Checkout outage")),
            para(Some("Heading1"), false, &run("Timeline")),
            para(None, true, &(run("10:02 UTC") + "<w:r><w:tab/></w:r>" + &run("Errors &amp; timeouts"))),
            para(None, true, &(run("10:40 UTC fixed") + r#"<w:del><w:r><w:delText>old</w:delText></w:r></w:del>"#)),
            para(Some("Heading1"), false, &run("Action items")),
            format!(
                "<w:tbl><w:tr><w:tc>{}</w:tc><w:tc>{}</w:tc></w:tr><w:tr><w:tc>{}</w:tc><w:tc>{}</w:tc></w:tr></w:tbl>",
                para(None, false, &run("Action")),
                para(None, false, &run("Owner")),
                para(None, false, &run("Add a canary")),
                para(None, false, &run("Sam &#8212; SRE")),
            ),
            para(None, false, &(run("Line one") + "<w:r><w:br/></w:r>" + &run("Line two"))),
        ]
        .concat();
        let xml = format!("<w:document {W}><w:body>{body}</w:body></w:document>");
        let md = Writer::new(HashMap::new()).write(&xml);
        assert_eq!(
            md,
            "# Checkout outage\n\n## Timeline\n\n- 10:02 UTC Errors & timeouts\n- 10:40 UTC fixed\n\n## Action items\n\n| Action | Owner |\n|---|---|\n| Add a canary | Sam \u{2014} SRE |\n\nLine one\nLine two\n"
        );
    }

    #[test]
    fn heading_styles_come_by_name_whatever_their_id() {
        let styles = heading_styles(&format!(
            r#"<w:styles {W}><w:style w:type="paragraph" w:styleId="berschrift1"><w:name w:val="heading 1"/></w:style><w:style w:type="paragraph" w:styleId="Titel"><w:name w:val="Title"/></w:style></w:styles>"#
        ));
        assert_eq!(styles.get("berschrift1"), Some(&Style::Heading(1)));
        assert_eq!(styles.get("Titel"), Some(&Style::Title));
        let xml = format!(
            "<w:document {W}><w:body>{}</w:body></w:document>",
            para(Some("berschrift1"), false, &run("Zeitachse"))
        );
        assert_eq!(Writer::new(styles).write(&xml), "# Zeitachse\n");
        // A list style makes a list item without numbering of its own.
        let xml = format!(
            "<w:document {W}><w:body>{}</w:body></w:document>",
            para(Some("ListBullet"), false, &run("14:02 node out of memory"))
        );
        assert_eq!(
            Writer::new(HashMap::new()).write(&xml),
            "- 14:02 node out of memory\n"
        );
    }
}
