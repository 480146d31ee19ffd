//! The portable backup format, the same for every backend (a SQLite installation moves to
//! PostgreSQL by backing up and drill-restoring).
//!
//! JSON Lines: a manifest first (format and schema versions, the tool, per-table counts and a
//! digest over every revision's hash), then one line per postmortem row and per revision, then
//! an end line with the line count and the SHA-256 of everything before it, so a truncated or
//! edited file is refused rather than half restored.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use std::io::Write;

use crate::{Dump, DumpSummary, PostmortemRow, Revision, SCHEMA_VERSION, sha256_hex};

pub const FORMAT: &str = "debrief-backup";
pub const FORMAT_VERSION: i64 = 1;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    pub postmortems: i64,
    pub revisions: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub format: String,
    pub format_version: i64,
    pub schema_version: i64,
    pub tool: String,
    pub backend: String,
    pub created_at: crate::Time,
    pub counts: Counts,
    /// SHA-256 over `id number sha256\n` of every revision, in dump order.
    pub revisions_digest: String,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Line {
    Manifest(Manifest),
    Postmortem(PostmortemRow),
    Revision(Revision),
    End { lines: u64, sha256: String },
}

/// [`revisions_digest`], a revision at a time.
#[derive(Default)]
pub struct RevisionsDigest(Sha256);

impl RevisionsDigest {
    pub fn add(&mut self, postmortem_id: &str, number: i64, sha256: &str) {
        self.0
            .update(format!("{postmortem_id} {number} {sha256}\n").as_bytes());
    }

    pub fn finish(self) -> String {
        sha256_hex(&self.0.finalize())
    }
}

/// The digest the manifest records, recomputed from any dump.
pub fn revisions_digest(revisions: &[Revision]) -> String {
    let mut h = RevisionsDigest::default();
    for r in revisions {
        h.add(&r.postmortem_id, r.number, &r.sha256);
    }
    h.finish()
}

/// The summary of a dump held in memory.
pub fn summary(dump: &Dump) -> DumpSummary {
    DumpSummary {
        schema_version: dump.schema_version,
        postmortems: dump.postmortems.len() as i64,
        revisions: dump.revisions.len() as i64,
        revisions_digest: revisions_digest(&dump.revisions),
    }
}

pub fn manifest(dump: &Dump, tool: &str, backend: &str, created_at: crate::Time) -> Manifest {
    manifest_of(&summary(dump), tool, backend, created_at)
}

/// The manifest of a dump from its summary ([`crate::Store::dump_each`]).
pub fn manifest_of(
    summary: &DumpSummary,
    tool: &str,
    backend: &str,
    created_at: crate::Time,
) -> Manifest {
    Manifest {
        format: FORMAT.into(),
        format_version: FORMAT_VERSION,
        schema_version: summary.schema_version,
        tool: tool.into(),
        backend: backend.into(),
        created_at,
        counts: Counts {
            postmortems: summary.postmortems,
            revisions: summary.revisions,
        },
        revisions_digest: summary.revisions_digest.clone(),
    }
}

/// Writes a backup a line at a time: the manifest when made, then rows, then the end line
/// ([`Writer::finish`]) with the count and checksum of everything before it.
pub struct Writer<W: Write> {
    out: W,
    hash: Sha256,
    lines: u64,
    bytes: u64,
}

impl<W: Write> Writer<W> {
    pub fn new(out: W, manifest: &Manifest) -> std::io::Result<Writer<W>> {
        let mut w = Writer {
            out,
            hash: Sha256::new(),
            lines: 0,
            bytes: 0,
        };
        w.put(&Line::Manifest(manifest.clone()))?;
        Ok(w)
    }

    pub fn postmortem(&mut self, p: PostmortemRow) -> std::io::Result<()> {
        self.put(&Line::Postmortem(p))
    }

    pub fn revision(&mut self, r: Revision) -> std::io::Result<()> {
        self.put(&Line::Revision(r))
    }

    /// Writes the end line; the writer and the bytes written in all.
    pub fn finish(self) -> std::io::Result<(W, u64)> {
        let Writer {
            mut out,
            hash,
            lines,
            bytes,
        } = self;
        let line = line_of(&Line::End {
            lines,
            sha256: crate::hex(&hash.finalize()),
        });
        out.write_all(&line)?;
        Ok((out, bytes + line.len() as u64))
    }

    fn put(&mut self, l: &Line) -> std::io::Result<()> {
        let line = line_of(l);
        self.hash.update(&line);
        self.out.write_all(&line)?;
        self.lines += 1;
        self.bytes += line.len() as u64;
        Ok(())
    }
}

/// A line of the file, its newline included.
fn line_of(l: &Line) -> Vec<u8> {
    // Serialising plain rows cannot fail.
    let mut line = serde_json::to_vec(l).unwrap_or_default();
    line.push(b'\n');
    line
}

/// Encodes a dump with its manifest.
pub fn encode(dump: &Dump, manifest: &Manifest) -> Vec<u8> {
    let encoded = (|| {
        let mut w = Writer::new(Vec::new(), manifest)?;
        for p in &dump.postmortems {
            w.postmortem(p.clone())?;
        }
        for r in &dump.revisions {
            w.revision(r.clone())?;
        }
        w.finish()
    })();
    // Writing to memory cannot fail.
    encoded.map(|(out, _)| out).unwrap_or_default()
}

/// Why a backup file cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BackupError {
    #[error("line {0}: not a Debrief backup ({1})")]
    NotABackup(usize, String),
    #[error(
        "the backup is format version {0}; this Debrief reads version {FORMAT_VERSION}: use a newer Debrief"
    )]
    Newer(i64),
    #[error("the backup ends early (no end line after {0} lines): the file is truncated")]
    Truncated(usize),
    #[error("the backup's checksum does not match its content: the file was changed or damaged")]
    Checksum,
}

/// Decodes a backup, checking its end line and checksum before returning anything.
pub fn decode(bytes: &[u8]) -> Result<(Manifest, Dump), BackupError> {
    let mut manifest: Option<Manifest> = None;
    let mut dump = Dump::default();
    let mut offset = 0usize;
    let mut n = 0usize;
    for raw in bytes.split_inclusive(|&b| b == b'\n') {
        n += 1;
        let line: Line =
            serde_json::from_slice(raw).map_err(|e| BackupError::NotABackup(n, e.to_string()))?;
        match line {
            Line::Manifest(m) if n == 1 => {
                if m.format != FORMAT {
                    return Err(BackupError::NotABackup(
                        1,
                        format!("format is {}", m.format),
                    ));
                }
                if m.format_version > FORMAT_VERSION {
                    return Err(BackupError::Newer(m.format_version));
                }
                dump.schema_version = m.schema_version;
                manifest = Some(m);
            }
            _ if n == 1 => {
                return Err(BackupError::NotABackup(1, "no manifest".into()));
            }
            Line::Manifest(_) => {
                return Err(BackupError::NotABackup(n, "a second manifest".into()));
            }
            Line::Postmortem(p) => dump.postmortems.push(p),
            Line::Revision(r) => dump.revisions.push(r),
            Line::End { lines, sha256 } => {
                if lines as usize != n - 1 || sha256 != sha256_hex(&bytes[..offset]) {
                    return Err(BackupError::Checksum);
                }
                if offset + raw.len() != bytes.len() {
                    return Err(BackupError::NotABackup(
                        n + 1,
                        "text after the end line".into(),
                    ));
                }
                let m = manifest.ok_or(BackupError::NotABackup(1, "no manifest".into()))?;
                return Ok((m, dump));
            }
        }
        offset += raw.len();
    }
    Err(BackupError::Truncated(n))
}

/// A restored store's dump, read a part at a time ([`crate::Store::dump_each`]), against the
/// backup's rows and its manifest, without holding a second copy of the library.
pub struct Restored<'a> {
    backup: &'a Dump,
    summary: Option<DumpSummary>,
    postmortems: usize,
    revisions: usize,
    rows_differ: bool,
    damaged: Vec<String>,
}

impl<'a> Restored<'a> {
    pub fn new(backup: &'a Dump) -> Restored<'a> {
        Restored {
            backup,
            summary: None,
            postmortems: 0,
            revisions: 0,
            rows_differ: false,
            damaged: Vec::new(),
        }
    }

    /// One item of the restored store's dump, in dump order.
    pub fn add(&mut self, item: crate::DumpItem) {
        match item {
            crate::DumpItem::Summary(s) => self.summary = Some(s),
            crate::DumpItem::Postmortem(p) => {
                self.rows_differ |= self.backup.postmortems.get(self.postmortems) != Some(&p);
                self.postmortems += 1;
            }
            crate::DumpItem::Revision(r) => {
                self.check_content(&r);
                self.rows_differ |= self.backup.revisions.get(self.revisions) != Some(&r);
                self.revisions += 1;
            }
        }
    }

    /// Whether every row restored is the backup's, in the same order, and no more.
    pub fn rows_equal(&self) -> bool {
        !self.rows_differ
            && self.postmortems == self.backup.postmortems.len()
            && self.revisions == self.backup.revisions.len()
            && self.summary.as_ref().map(|s| s.schema_version) == Some(self.backup.schema_version)
    }

    fn check_content(&mut self, r: &Revision) {
        if !r.content_intact() {
            self.damaged
                .push(format!("{} revision {}", r.postmortem_id, r.number));
        }
    }

    /// What differs from the manifest's promise (empty: nothing).
    pub fn problems(&self, m: &Manifest) -> Vec<String> {
        let mut out = Vec::new();
        let Some(s) = &self.summary else {
            return vec!["the restored store gave no summary of its rows (a bug)".into()];
        };
        if m.schema_version != SCHEMA_VERSION && s.schema_version != m.schema_version {
            out.push(format!(
                "schema version {} in the backup, {} restored",
                m.schema_version, s.schema_version
            ));
        }
        if m.counts.postmortems != s.postmortems {
            out.push(format!(
                "{} postmortems in the backup, {} restored",
                m.counts.postmortems, s.postmortems
            ));
        }
        if m.counts.revisions != s.revisions {
            out.push(format!(
                "{} revisions in the backup, {} restored",
                m.counts.revisions, s.revisions
            ));
        }
        if s.revisions_digest != m.revisions_digest {
            out.push("the revisions' hashes differ from the backup's".into());
        }
        if !self.damaged.is_empty() {
            out.push(format!(
                "{} revision(s) whose content does not match its SHA-256: {}",
                self.damaged.len(),
                self.damaged
                    .iter()
                    .take(5)
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Dump {
        Dump {
            schema_version: SCHEMA_VERSION,
            postmortems: vec![PostmortemRow {
                id: "abc".into(),
                source: Some("file:/x.md".into()),
                created_at: "2024-01-01T00:00:00.000Z".parse().unwrap(),
                deleted_at: None,
                deleted_by: None,
                restricted: true,
                members: vec!["alice".into()],
                record: None,
            }],
            revisions: vec![Revision {
                postmortem_id: "abc".into(),
                number: 1,
                author: "me".into(),
                created_at: "2024-01-01T00:00:00.000Z".parse().unwrap(),
                message: "import".into(),
                sha256: sha256_hex(b"# Hello\n"),
                content: "# Hello\n".into(),
            }],
        }
    }

    /// The restored store's items for `d`, as [`crate::Store::dump_each`] hands them over.
    fn items(d: &Dump) -> Vec<crate::DumpItem> {
        let mut out = vec![crate::DumpItem::Summary(summary(d))];
        out.extend(
            d.postmortems
                .iter()
                .cloned()
                .map(crate::DumpItem::Postmortem),
        );
        out.extend(d.revisions.iter().cloned().map(crate::DumpItem::Revision));
        out
    }

    #[test]
    fn a_restore_read_back_in_parts_is_compared_with_the_backup() {
        let d = sample();
        let m = manifest(
            &d,
            "t",
            "sqlite",
            "2024-01-01T00:00:00.000Z".parse().unwrap(),
        );
        let mut same = Restored::new(&d);
        items(&d).into_iter().for_each(|i| same.add(i));
        assert!(same.rows_equal());
        assert!(same.problems(&m).is_empty());
        // A revision restored with other content: its rows, hashes and content all differ.
        let mut other = d.clone();
        other.revisions[0].content = "# Changed\n".into();
        let mut changed = Restored::new(&d);
        items(&other).into_iter().for_each(|i| changed.add(i));
        assert!(!changed.rows_equal());
        let problems = changed.problems(&m);
        assert!(
            problems
                .iter()
                .any(|p| p.contains("does not match its SHA-256")),
            "{problems:?}"
        );
        // A row missing is a difference too.
        let mut fewer = Restored::new(&d);
        items(&d)
            .into_iter()
            .filter(|i| !matches!(i, crate::DumpItem::Postmortem(_)))
            .for_each(|i| fewer.add(i));
        assert!(!fewer.rows_equal());
    }

    #[test]
    fn round_trip_and_damage_is_refused() {
        let d = sample();
        let m = manifest(
            &d,
            "debrief test",
            "sqlite",
            "2024-01-01T00:00:00.000Z".parse().unwrap(),
        );
        let bytes = encode(&d, &m);
        let (m2, d2) = decode(&bytes).unwrap();
        assert_eq!((m2, d2), (m.clone(), d.clone()));

        let cut = &bytes[..bytes.len() - 20];
        assert!(matches!(
            decode(cut),
            Err(BackupError::Truncated(_) | BackupError::NotABackup(..))
        ));
        let without_end: Vec<u8> = bytes
            .split_inclusive(|&b| b == b'\n')
            .take(3)
            .flatten()
            .copied()
            .collect();
        assert_eq!(decode(&without_end), Err(BackupError::Truncated(3)));
        let edited = String::from_utf8(bytes.clone())
            .unwrap()
            .replace("Hello", "Hellp");
        assert_eq!(decode(edited.as_bytes()), Err(BackupError::Checksum));
        assert!(matches!(
            decode(b"hello\n"),
            Err(BackupError::NotABackup(1, _))
        ));
    }
}
