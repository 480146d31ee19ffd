//! `debrief lint`: finding files, finding their `.debrief.toml`, printing findings as text, JSON
//! or SARIF 2.1.0.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use debrief_core::lint::{self, Config, Finding, Rule, Severity};
use serde_json::json;

use crate::input;

/// Extensions that walking a directory (`import`, `lint`, `metrics`) reads: every kind of
/// document the importer reads (Markdown, plain text, HTML, reStructuredText, AsciiDoc, Org mode,
/// an e-mail saved as `.eml`, Jira or Confluence wiki markup, a Word `.docx`); files without an
/// extension are
/// read too.
const DOC_EXTENSIONS: &[&str] = &[
    "md", "markdown", "mdown", "mkd", "mdx", "txt", "text", "erb", "html", "htm", "xhtml", "rst",
    "adoc", "asciidoc", "org", "eml", "jira", "wiki", "docx",
];

/// One file to read, and whether the user named it (errors on named files are IO errors; files
/// met while walking a directory that turn out not to be documents are skipped with a note).
pub struct Target {
    pub path: PathBuf,
    pub named: bool,
}

/// Expands directories into the documents under them (hidden entries skipped), sorted.
pub fn targets(paths: &[PathBuf]) -> Vec<Target> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            let mut found = Vec::new();
            let mut stack = vec![p.clone()];
            while let Some(d) = stack.pop() {
                let Ok(rd) = std::fs::read_dir(&d) else {
                    continue;
                };
                for e in rd.flatten() {
                    let path = e.path();
                    if e.file_name().to_string_lossy().starts_with('.') {
                        continue;
                    }
                    if path.is_dir() {
                        stack.push(path);
                    } else if path.extension().is_none_or(|x| {
                        DOC_EXTENSIONS.contains(&x.to_string_lossy().to_lowercase().as_str())
                    }) {
                        found.push(path);
                    }
                }
            }
            found.sort();
            out.extend(found.into_iter().map(|path| Target { path, named: false }));
        } else {
            out.push(Target {
                path: p.clone(),
                named: true,
            });
        }
    }
    out
}

/// Finds and caches the `.debrief.toml` nearest each file (walking up from its directory).
#[derive(Default)]
pub struct Configs {
    by_dir: HashMap<PathBuf, Option<PathBuf>>,
    parsed: HashMap<PathBuf, Config>,
}

impl Configs {
    fn nearest(&mut self, dir: &Path) -> Option<PathBuf> {
        if let Some(hit) = self.by_dir.get(dir) {
            return hit.clone();
        }
        let candidate = dir.join(".debrief.toml");
        let found = if candidate.is_file() {
            Some(candidate)
        } else {
            dir.parent().and_then(|up| self.nearest(up))
        };
        self.by_dir.insert(dir.to_path_buf(), found.clone());
        found
    }

    /// The configuration for a file: `explicit` when given, else the nearest `.debrief.toml`,
    /// else the defaults.
    pub fn for_file(&mut self, file: &Path, explicit: Option<&Path>) -> anyhow::Result<&Config> {
        let path = match explicit {
            Some(p) => Some(p.to_path_buf()),
            None => {
                let abs = std::path::absolute(file).unwrap_or_else(|_| file.to_path_buf());
                let dir = abs.parent().unwrap_or(Path::new("/")).to_path_buf();
                self.nearest(&dir)
            }
        };
        let key = path.clone().unwrap_or_default();
        if !self.parsed.contains_key(&key) {
            let cfg = match &path {
                Some(p) => {
                    let text = std::fs::read_to_string(p).with_context(|| {
                        format!("{}: cannot read the configuration", p.display())
                    })?;
                    Config::from_toml(&text).map_err(|e| match e.line {
                        Some(l) => anyhow::anyhow!("{}:{l}: {}", p.display(), e.message),
                        None => anyhow::anyhow!("{}: {}", p.display(), e.message),
                    })?
                }
                None => Config::default(),
            };
            self.parsed.insert(key.clone(), cfg);
        }
        Ok(&self.parsed[&key])
    }
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LintFormat {
    Text,
    Json,
    Sarif,
}

pub struct Options {
    pub format: LintFormat,
    pub deny_warnings: bool,
    pub config: Option<PathBuf>,
    pub color: bool,
}

/// The findings of one file, with the text they point into.
struct Reviewed {
    name: String,
    text: String,
    findings: Vec<Finding>,
}

/// Runs the review; returns the exit code (0 clean, 1 errors, 2 usage or IO error).
pub fn run(paths: &[PathBuf], opts: &Options, out: &mut impl Write) -> anyhow::Result<u8> {
    let mut configs = Configs::default();
    let mut io_error = false;
    let mut reviewed = Vec::new();
    for t in targets(paths) {
        let name = t.path.display().to_string();
        let doc = match input::read(&t.path) {
            Ok(d) => d,
            Err(e) if t.named => {
                eprintln!("debrief: {e}");
                io_error = true;
                continue;
            }
            Err(e) => {
                eprintln!("debrief: skipped {e}");
                continue;
            }
        };
        if let Some(w) = &doc.warning {
            eprintln!("debrief: {w}");
        }
        let cfg = configs.for_file(&t.path, opts.config.as_deref())?;
        let parsed = debrief_core::parse_named(&doc.text, &t.path.to_string_lossy());
        let findings = lint::check(&doc.text, &parsed, cfg);
        reviewed.push(Reviewed {
            name,
            text: doc.text,
            findings,
        });
    }
    match opts.format {
        LintFormat::Text => write_text(&reviewed, opts.color, out)?,
        LintFormat::Json => {
            let all: Vec<_> = reviewed
                .iter()
                .flat_map(|r| {
                    r.findings.iter().map(move |finding| FileFinding {
                        file: &r.name,
                        finding,
                    })
                })
                .collect();
            serde_json::to_writer_pretty(&mut *out, &all)?;
            writeln!(out)?;
        }
        LintFormat::Sarif => {
            serde_json::to_writer_pretty(&mut *out, &sarif(&reviewed))?;
            writeln!(out)?;
        }
    }
    let failing = reviewed.iter().flat_map(|r| &r.findings).any(|f| {
        f.severity == Severity::Error || (opts.deny_warnings && f.severity == Severity::Warning)
    });
    Ok(if io_error {
        2
    } else if failing {
        1
    } else {
        0
    })
}

/// A finding with the file it is in, as `--format json` prints it.
#[derive(serde::Serialize)]
struct FileFinding<'a> {
    file: &'a str,
    #[serde(flatten)]
    finding: &'a Finding,
}

struct Paint(bool);

impl Paint {
    fn wrap(&self, code: &str, s: &str) -> String {
        if self.0 {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }
}

/// Whether to colour: a terminal, and `NO_COLOR` unset.
pub fn want_color() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

fn write_text(reviewed: &[Reviewed], color: bool, out: &mut impl Write) -> anyhow::Result<()> {
    let paint = Paint(color);
    let mut counts = [0usize; 3];
    for r in reviewed {
        let lines: Vec<&str> = r.text.lines().collect();
        for f in &r.findings {
            counts[f.severity as usize] += 1;
            let sev = match f.severity {
                Severity::Error => paint.wrap("1;31", "error"),
                Severity::Warning => paint.wrap("1;33", "warning"),
                Severity::Info => paint.wrap("1;36", "info"),
            };
            let mut s = String::new();
            writeln!(
                s,
                "{}:{}:{}: {sev}[{}] {}",
                paint.wrap("1", &r.name),
                f.line,
                f.column,
                f.rule.id(),
                f.message
            )?;
            if let Some(src) = lines.get(f.line - 1).filter(|_| f.line > 1 || f.column > 1) {
                let gutter = f.line.to_string();
                let pad = " ".repeat(gutter.len());
                // A window of the line around the column, so long paragraphs stay readable.
                let skip = (f.column - 1).saturating_sub(60);
                let mut shown: String = src.chars().skip(skip).take(120).collect();
                let mut caret_at = (f.column - 1 - skip).min(shown.chars().count());
                if skip > 0 {
                    shown.insert(0, '…');
                    caret_at += 1;
                }
                let spaces: String = shown
                    .chars()
                    .take(caret_at)
                    .map(|c| if c == '\t' { '\t' } else { ' ' })
                    .collect();
                writeln!(s, " {} {shown}", paint.wrap("34", &format!("{gutter} |")))?;
                writeln!(
                    s,
                    " {pad} {} {spaces}{}",
                    paint.wrap("34", "|"),
                    paint.wrap("1;32", "^")
                )?;
            }
            if let Some(sg) = &f.suggestion {
                writeln!(s, "  = suggestion: {sg}")?;
            }
            out.write_all(s.as_bytes())?;
        }
    }
    let files_with = reviewed.iter().filter(|r| !r.findings.is_empty()).count();
    writeln!(
        out,
        "{} error(s), {} warning(s), {} info in {} of {} file(s)",
        counts[Severity::Error as usize],
        counts[Severity::Warning as usize],
        counts[Severity::Info as usize],
        files_with,
        reviewed.len()
    )?;
    Ok(())
}

fn sarif_level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

fn sarif(reviewed: &[Reviewed]) -> serde_json::Value {
    let rules: Vec<_> = Rule::ALL
        .iter()
        .map(|r| {
            json!({
                "id": r.id(),
                "name": r.id(),
                "shortDescription": { "text": r.description() },
                "defaultConfiguration": { "level": sarif_level(r.default_severity()) },
            })
        })
        .collect();
    let results: Vec<_> = reviewed
        .iter()
        .flat_map(|r| {
            r.findings.iter().map(move |f| {
                let mut text = f.message.clone();
                if let Some(s) = &f.suggestion {
                    text.push_str(" Suggestion: ");
                    text.push_str(s);
                }
                json!({
                    "ruleId": f.rule.id(),
                    "ruleIndex": Rule::ALL.iter().position(|x| *x == f.rule),
                    "level": sarif_level(f.severity),
                    "message": { "text": text },
                    "locations": [{
                        "physicalLocation": {
                            "artifactLocation": { "uri": uri(&r.name) },
                            "region": { "startLine": f.line, "startColumn": f.column },
                        }
                    }],
                })
            })
        })
        .collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "debrief",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    })
}

/// A relative URI reference for a path (forward slashes, spaces and the like escaped).
fn uri(path: &str) -> String {
    let mut s = String::new();
    for b in path.replace('\\', "/").bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            s.push(b as char);
        } else {
            let _ = write!(s, "%{b:02X}");
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_directory_yields_every_kind_of_document_the_importer_reads() {
        let dir = std::env::temp_dir().join(format!("debrief-targets-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("2024")).unwrap();
        let names = [
            "a.md",
            "b.txt",
            "c.html",
            "d.rst",
            "e.adoc",
            "f.asciidoc",
            "g.org",
            "h.eml",
            "h2.jira",
            "h3.wiki",
            "2024/i.MD",
            "README",
        ];
        for name in names.iter().chain(&["logo.png", "data.json", ".hidden.md"]) {
            std::fs::write(dir.join(name), "x").unwrap();
        }
        let found: Vec<String> = targets(std::slice::from_ref(&dir))
            .iter()
            .map(|t| {
                let rel = t.path.strip_prefix(&dir).unwrap();
                rel.to_string_lossy().replace('\\', "/")
            })
            .collect();
        let mut want: Vec<String> = names.iter().map(|n| n.to_string()).collect();
        want.sort();
        assert_eq!(found, want);
        std::fs::remove_dir_all(dir).unwrap();
    }
}
