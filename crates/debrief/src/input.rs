//! Reading a postmortem file: helpful errors for what is not a document, lossy decoding for what
//! is almost one, and the human-readable summary `debrief parse` prints.

use std::fmt::Write as _;
use std::path::Path;

use debrief_core::Parsed;

/// A document read from disk.
pub struct Doc {
    pub text: String,
    /// Set when the bytes were not valid UTF-8 and were decoded lossily.
    pub warning: Option<String>,
}

/// Largest file `debrief parse`, `lint` and `metrics` read; larger ones are almost certainly
/// not postmortems.
const MAX_BYTES: u64 = 64 * 1024 * 1024;

/// A file to read into the database: the same limit as the API's
/// ([`debrief_store::MAX_DOCUMENT_BYTES`]), so a stored postmortem is the same size whichever
/// way it came in, and every search and review of it stays bounded.
pub fn read_for_store(path: &Path) -> anyhow::Result<Doc> {
    let limit = debrief_store::MAX_DOCUMENT_BYTES as u64;
    if let Ok(meta) = std::fs::metadata(path)
        && meta.is_file()
        && meta.len() > limit
    {
        anyhow::bail!(
            "{}: is {:.1} MB, more than the {} MB a stored postmortem can be; split it (one file per incident) or move attachments such as logs out of it",
            path.display(),
            meta.len() as f64 / 1_048_576.0,
            limit / 1_048_576
        );
    }
    read(path)
}

pub fn read(path: &Path) -> anyhow::Result<Doc> {
    let shown = path.display();
    let meta = std::fs::metadata(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => anyhow::anyhow!("{shown}: no such file; check the path"),
        std::io::ErrorKind::PermissionDenied => {
            anyhow::anyhow!("{shown}: permission denied; check the file's permissions")
        }
        _ => anyhow::anyhow!("{shown}: cannot read: {e}"),
    })?;
    if meta.is_dir() {
        anyhow::bail!(
            "{shown}: is a directory; give the postmortem files inside it (for example {shown}/*.md)"
        );
    }
    if meta.len() > MAX_BYTES {
        anyhow::bail!(
            "{shown}: is {} MB, larger than the {} MB a postmortem can be; is this the right file?",
            meta.len() / 1_048_576,
            MAX_BYTES / 1_048_576
        );
    }
    let bytes = std::fs::read(path).map_err(|e| anyhow::anyhow!("{shown}: cannot read: {e}"))?;
    // A Word document: read as the Markdown it stands for.
    if crate::docx::is_zip(&bytes) {
        let text =
            crate::docx::to_markdown(&bytes).map_err(|e| anyhow::anyhow!("{shown}: {e:#}"))?;
        if text.trim().is_empty() {
            anyhow::bail!("{shown}: is empty; a postmortem needs at least a summary or a timeline");
        }
        return Ok(Doc {
            text,
            warning: Some(format!(
                "{shown}: a Word document, read as the Markdown it stands for; line numbers refer to that Markdown (`debrief export {shown} --to markdown` shows it)"
            )),
        });
    }
    if bytes.starts_with(b"%PDF-") {
        anyhow::bail!(
            "{shown}: is a PDF, which keeps no text structure to read; export the postmortem from its editor as Markdown, HTML or Word, or convert it with `pdftotext -layout {shown}`"
        );
    }
    // "Unicode text" as Windows editors save it: UTF-16 after its byte-order mark.
    if let Some(text) = utf16(&bytes) {
        if text.trim().is_empty() {
            anyhow::bail!("{shown}: is empty; a postmortem needs at least a summary or a timeline");
        }
        return Ok(Doc {
            text,
            warning: None,
        });
    }
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        anyhow::bail!("{shown}: is empty; a postmortem needs at least a summary or a timeline");
    }
    // NUL bytes in the first 8 KiB: an image, an archive, a binary.
    if bytes.iter().take(8192).any(|&b| b == 0) {
        anyhow::bail!(
            "{shown}: looks like a binary file (it contains NUL bytes), not a postmortem; export it to Markdown or plain text first"
        );
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok(Doc {
            text,
            warning: None,
        }),
        // No UTF-8 beyond ASCII anywhere: the eight-bit encoding Windows writes.
        Err(e) if !has_utf8_beyond_ascii(e.as_bytes()) => {
            let valid = e.utf8_error().valid_up_to();
            let line = line_of(e.as_bytes(), valid);
            Ok(Doc {
                text: windows_1252(e.as_bytes()),
                warning: Some(format!(
                    "{shown}:{line}: the file is not UTF-8; it was read as Windows-1252 (Latin-1). Convert it to UTF-8 (for example with iconv -f WINDOWS-1252 -t UTF-8) if some characters look wrong"
                )),
            })
        }
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let line = line_of(e.as_bytes(), valid);
            let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
            Ok(Doc {
                text,
                warning: Some(format!(
                    "{shown}:{line}: the file is not valid UTF-8; invalid bytes were replaced with U+FFFD. Convert it to UTF-8 (for example with iconv) to keep every character"
                )),
            })
        }
    }
}

/// The line (from 1) holding byte `at`.
fn line_of(bytes: &[u8], at: usize) -> usize {
    bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1
}

/// The text of UTF-16 bytes opening with their byte-order mark (little- or big-endian), any
/// unpaired surrogate replaced; `None` without the mark.
fn utf16(bytes: &[u8]) -> Option<String> {
    let from: fn([u8; 2]) -> u16 = match bytes {
        [0xFF, 0xFE, ..] => u16::from_le_bytes,
        [0xFE, 0xFF, ..] => u16::from_be_bytes,
        _ => return None,
    };
    let units = bytes[2..]
        .chunks_exact(2)
        .map(|pair| from([pair[0], pair[1]]));
    Some(
        char::decode_utf16(units)
            .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
            .collect(),
    )
}

/// Whether any valid UTF-8 sequence of more than one byte is among `bytes`: then the file is
/// UTF-8 with some damage, not another encoding.
fn has_utf8_beyond_ascii(bytes: &[u8]) -> bool {
    bytes.utf8_chunks().any(|chunk| !chunk.valid().is_ascii())
}

/// Windows-1252: Latin-1 but for 0x80-0x9F, which hold typographic quotes, dashes, the euro
/// sign and a few letters (the five bytes it leaves undefined become U+FFFD).
fn windows_1252(bytes: &[u8]) -> String {
    const HIGH: [char; 32] = [
        '€', '\u{fffd}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{fffd}', 'Ž',
        '\u{fffd}', '\u{fffd}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ',
        '\u{fffd}', 'ž', 'Ÿ',
    ];
    bytes
        .iter()
        .map(|&b| match b {
            0x80..=0x9F => HIGH[usize::from(b - 0x80)],
            _ => char::from(b),
        })
        .collect()
}

fn or_dash(s: &Option<String>) -> &str {
    s.as_deref().unwrap_or("-")
}

fn first_line(s: &Option<String>, max: usize) -> String {
    let Some(s) = s else { return "-".into() };
    let line = s
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("")
        .trim();
    if line.chars().count() > max {
        let cut: String = line.chars().take(max).collect();
        format!("{cut}…")
    } else {
        line.to_string()
    }
}

/// The readable summary of one parsed document.
pub fn summary(name: &str, parsed: &Parsed) -> String {
    let p = &parsed.postmortem;
    let mut s = String::new();
    let stamp = |x: &Option<debrief_core::time::Stamp>| {
        x.as_ref().map_or("-".to_string(), |s| s.to_string())
    };
    let _ = writeln!(s, "{name}");
    let _ = writeln!(s, "  title      {}", or_dash(&p.title));
    let _ = writeln!(s, "  started    {}", stamp(&p.instants.started));
    let _ = writeln!(s, "  ended      {}", stamp(&p.instants.ended));
    let _ = writeln!(
        s,
        "  duration   {}",
        p.stated_duration_minutes.map_or("-".into(), |m| format!(
            "{}h {:02}m (stated)",
            m / 60,
            m % 60
        ))
    );
    if p.severity.is_some() || p.status.is_some() {
        let _ = writeln!(
            s,
            "  severity   {}   status {}",
            or_dash(&p.severity),
            or_dash(&p.status)
        );
    }
    let _ = writeln!(s, "  summary    {}", first_line(&p.summary, 90));
    let _ = writeln!(s, "  impact     {}", first_line(&p.impact, 90));
    let _ = writeln!(s, "  root cause {}", first_line(&p.root_cause, 90));
    let _ = writeln!(s, "  resolution {}", first_line(&p.resolution, 90));
    let _ = writeln!(
        s,
        "  sections   {}",
        p.sections
            .iter()
            .map(|x| x.heading.as_str())
            .collect::<Vec<_>>()
            .join(" · ")
    );
    let _ = writeln!(s, "  timeline   {} entries", p.timeline.len());
    for e in &p.timeline {
        let at =
            e.at.as_ref()
                .map_or("unknown time".to_string(), |a| a.to_string());
        let _ = writeln!(
            s,
            "    {at:<24} {:<15} {}",
            e.kind.as_str(),
            first_line(&Some(e.text.clone()), 70)
        );
    }
    let _ = writeln!(s, "  actions    {} items", p.action_items.len());
    for a in &p.action_items {
        let _ = writeln!(
            s,
            "    [{}] {}  (owner {}, due {}, {})",
            if a.status == debrief_core::ActionStatus::Done {
                "x"
            } else {
                " "
            },
            first_line(&Some(a.text.clone()), 70),
            or_dash(&a.owner),
            or_dash(&a.due),
            a.kind.as_str()
        );
    }
    for n in &parsed.notes {
        if n.line > 0 {
            let _ = writeln!(s, "  note       {name}:{}: {}", n.line, n.message);
        } else {
            let _ = writeln!(s, "  note       {}", n.message);
        }
    }
    s
}
