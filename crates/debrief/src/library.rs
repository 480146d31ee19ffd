//! The commands that work on the stored postmortems: import, list, show, search, actions,
//! export --all, delete, purge, backup create and drill, verify. Each prints text for people and
//! JSON with `--json`; exit codes are returned, errors bubble up as messages.

use std::fmt::Write as _;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context as _, bail};
use debrief_core::lint::{self, Severity};
use debrief_store::backup;
use debrief_store::{ActionFilter, Filter, NewDocument, RevisionInfo, Store};
use serde_json::json;

use crate::db::{self, Location};
use crate::input;
use crate::review::{Configs, targets};

/// The most documents one import transaction holds, and the most bytes of files. A large
/// library's indexes are written page by page at each commit, whatever the number of documents
/// that changed them, so fewer, larger transactions write far less (importing 10,000 documents
/// into 100,000: 1.6 GB written in transactions of 2,000 against 4.5 GB in transactions of
/// 500, BENCHMARKS.md); the byte bound keeps the memory an import needs the same whatever the
/// files' sizes.
const BATCH: usize = 2000;
const BATCH_BYTES: u64 = 32 << 20;

/// `files` in import transactions: [`BATCH`] files or [`BATCH_BYTES`] at most (a larger file
/// goes alone), sized by the file system before they are read.
fn transactions(files: &[crate::review::Target]) -> impl Iterator<Item = &[crate::review::Target]> {
    let mut rest = files;
    std::iter::from_fn(move || {
        let (mut n, mut bytes) = (0, 0);
        for t in rest.iter().take(BATCH) {
            // A file that cannot be sized counts as empty: reading it reports why.
            bytes += std::fs::metadata(&t.path).map_or(0, |m| m.len());
            if n > 0 && bytes > BATCH_BYTES {
                break;
            }
            n += 1;
        }
        let (batch, tail) = rest.split_at(n);
        rest = tail;
        (!batch.is_empty()).then_some(batch)
    })
}

pub fn author() -> String {
    std::env::var("DEBRIEF_AUTHOR")
        .or_else(|_| std::env::var("USER"))
        .unwrap_or_else(|_| "debrief".into())
}

fn source_of(path: &Path) -> String {
    let abs = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    format!("file:{}", abs.display())
}

type Pending = Vec<(String, NewDocument, usize)>;

/// Saves the pending documents in one transaction and records what happened to each.
async fn flush(
    store: &dyn Store,
    pending: &mut Pending,
    results: &mut Vec<serde_json::Value>,
) -> anyhow::Result<()> {
    let batch = std::mem::take(pending);
    if batch.is_empty() {
        return Ok(());
    }
    let (files, docs): (Vec<(String, usize)>, Vec<NewDocument>) = batch
        .into_iter()
        .map(|(name, doc, findings)| ((name, findings), doc))
        .unzip();
    let saved = store.import(&docs).await?;
    for ((name, findings), s) in files.into_iter().zip(saved) {
        results.push(json!({"file": name, "id": s.id, "revision": s.revision, "outcome": s.outcome, "findings": findings}));
    }
    Ok(())
}

/// An import that failed part way says exactly what is already saved: batches are written
/// whole or not at all, so everything before the failing batch is in, nothing after it.
fn stopped(e: anyhow::Error, results: &[serde_json::Value], total: usize) -> anyhow::Error {
    let count = |o: &str| results.iter().filter(|r| r["outcome"] == o).count();
    e.context(format!(
        "import stopped: {} of {total} file(s) were imported before the failure ({} new, {} updated, {} unchanged); the batch that failed and every file after it were not written, so running the same import again finishes it",
        results.len(),
        count("created"),
        count("updated"),
        count("unchanged"),
    ))
}

/// One batch of files read, parsed and reviewed, ready for the store; `io_error` when a named
/// file could not be read.
struct Reviewed {
    docs: Pending,
    io_error: bool,
}

/// Reads a batch of files in turn, then parses and reviews them on every core.
fn review_batch(
    batch: &[crate::review::Target],
    done: usize,
    total: usize,
    configs: &mut Configs,
    who: &str,
    progress: bool,
) -> anyhow::Result<Reviewed> {
    let mut io_error = false;
    let mut read = Vec::with_capacity(batch.len());
    for (k, t) in batch.iter().enumerate() {
        if progress {
            eprint!("\rimporting {}/{total}", done + k + 1);
        }
        let doc = match input::read_for_store(&t.path) {
            Ok(d) => d,
            Err(e) if t.named => {
                eprintln!("{}debrief: {e}", if progress { "\n" } else { "" });
                io_error = true;
                continue;
            }
            Err(e) => {
                eprintln!("{}debrief: skipped {e}", if progress { "\n" } else { "" });
                continue;
            }
        };
        let identity = match debrief_core::identity(&doc.text) {
            Ok(identity) => identity,
            Err(e) => {
                eprintln!(
                    "{}debrief: {}: {e}",
                    if progress { "\n" } else { "" },
                    t.path.display()
                );
                io_error = true;
                continue;
            }
        };
        let cfg = configs.for_file(&t.path, None)?.clone();
        read.push((t, doc.text, identity, cfg));
    }
    let docs = debrief_store::on_every_core(&read, |(t, text, identity, cfg)| {
        let source = source_of(&t.path);
        // Parsed as the store would (the file name dates a document), so the store keeps
        // this record instead of parsing the text again.
        let parsed = debrief_core::parse_named(text, source.trim_start_matches("file:"));
        let findings = lint::check(text, &parsed, cfg)
            .iter()
            .filter(|f| f.severity >= Severity::Warning)
            .count();
        (
            t.path.display().to_string(),
            NewDocument {
                source: Some(source),
                text: text.clone(),
                author: who.to_string(),
                message: format!("import {}", t.path.display()),
                record: Some(std::sync::Arc::new(parsed.postmortem)),
                identity: identity.clone(),
                audit: None,
            },
            findings,
        )
    })
    .ok_or_else(|| {
        anyhow::anyhow!(
            "the importer failed on a document of this batch (a bug: please report it with the document); nothing of it was written"
        )
    })?;
    Ok(Reviewed { docs, io_error })
}

pub async fn import(
    store: &dyn Store,
    loc: &Location,
    paths: &[PathBuf],
    json_out: bool,
    out: &mut impl Write,
) -> anyhow::Result<u8> {
    let files = targets(paths);
    let progress = std::io::stderr().is_terminal() && !json_out;
    let mut io_error = false;
    let mut pending: Pending = Vec::new();
    let mut results = Vec::new();
    let total = files.len();
    // The next batch is read and reviewed on another thread while the store writes this one:
    // one batch ahead at most, and none once the writer stops.
    let (ready, mut batches) = tokio::sync::mpsc::channel::<anyhow::Result<Reviewed>>(1);
    let reader = tokio::task::spawn_blocking(move || {
        let mut configs = Configs::default();
        let who = author();
        let mut done = 0;
        for batch in transactions(&files) {
            let reviewed = review_batch(batch, done, total, &mut configs, &who, progress);
            done += batch.len();
            let failed = reviewed.is_err();
            if ready.blocking_send(reviewed).is_err() || failed {
                return;
            }
        }
    });
    while let Some(reviewed) = batches.recv().await {
        let reviewed = reviewed.map_err(|e| stopped(e, &results, total))?;
        io_error |= reviewed.io_error;
        pending.extend(reviewed.docs);
        flush(store, &mut pending, &mut results)
            .await
            .map_err(|e| stopped(e, &results, total))?;
    }
    reader.await.map_err(|e| {
        stopped(
            anyhow::anyhow!("reading the files failed ({e}; a bug: please report it)"),
            &results,
            total,
        )
    })?;
    if results
        .iter()
        .any(|r| r["outcome"] == "created" || r["outcome"] == "updated")
    {
        store.optimize().await?;
    }
    if progress {
        eprintln!();
    }
    let count = |o: &str| results.iter().filter(|r| r["outcome"] == o).count();
    let conflicts = count("conflict");
    for r in results.iter().filter(|r| r["outcome"] == "conflict") {
        eprintln!(
            "debrief: {}: not imported: postmortem {} was changed by someone else after the revision this file was exported from (it is at revision {} now); export it again and redo your edit, or remove the file's `revision:` line to overwrite theirs (their revision stays in the history)",
            r["file"].as_str().unwrap_or_default(),
            r["id"].as_str().unwrap_or_default(),
            r["revision"]
        );
    }
    let with_findings = results
        .iter()
        .filter(|r| r["findings"].as_u64().unwrap_or(0) > 0)
        .count();
    if json_out {
        print_json(
            out,
            &json!({
                "database": loc.shown(),
                "files": results.len(),
                "new": count("created"),
                "updated": count("updated"),
                "unchanged": count("unchanged"),
                "deleted": count("deleted"),
                "conflicts": conflicts,
                "with_findings": with_findings,
                "results": results,
            }),
        )?;
    } else {
        writeln!(
            out,
            "{} file(s) into {}: {} new, {} updated, {} unchanged, {} deleted earlier (not revived){}; {} with findings (see `debrief lint`)",
            results.len(),
            loc.shown(),
            count("created"),
            count("updated"),
            count("unchanged"),
            count("deleted"),
            if conflicts > 0 {
                format!(", {conflicts} in conflict (not imported)")
            } else {
                String::new()
            },
            with_findings
        )?;
    }
    Ok(if io_error {
        2
    } else if conflicts > 0 {
        1
    } else {
        0
    })
}

/// Pretty JSON and a newline; exit code 0.
pub(crate) fn print_json(
    out: &mut impl Write,
    value: &impl serde::Serialize,
) -> anyhow::Result<u8> {
    serde_json::to_writer_pretty(&mut *out, value)?;
    writeln!(out)?;
    Ok(0)
}

fn cut(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(n - 1).collect::<String>())
    }
}

pub async fn list(
    store: &dyn Store,
    filter: &Filter,
    json_out: bool,
    out: &mut impl Write,
) -> anyhow::Result<u8> {
    let rows = store.list(filter).await?;
    if json_out {
        return print_json(out, &rows);
    }
    if !rows.is_empty() {
        writeln!(
            out,
            "{:<12}  {:<10}  {:<6}  {:<10}  {:>3}  TITLE",
            "ID", "DATE", "SEV", "STATUS", "REV"
        )?;
    }
    for r in &rows {
        writeln!(
            out,
            "{:<12}  {:<10}  {:<6}  {:<10}  {:>3}  {}",
            r.id,
            r.date.as_deref().unwrap_or("-"),
            cut(r.severity.as_deref().unwrap_or("-"), 6),
            cut(r.status.as_deref().unwrap_or("-"), 10),
            r.revision,
            cut(r.title.as_deref().unwrap_or("(untitled)"), 70)
        )?;
    }
    writeln!(out, "{} postmortem(s)", rows.len())?;
    Ok(0)
}

pub async fn show(
    store: &dyn Store,
    id: &str,
    json_out: bool,
    out: &mut impl Write,
) -> anyhow::Result<u8> {
    let id = &store.resolve_id(id).await?;
    let s = store.get(id).await?;
    if json_out {
        return print_json(
            out,
            &json!({
                "id": s.row.id,
                "source": s.row.source,
                "created_at": s.row.created_at,
                "revision": s.revision.info(),
                "record": s.record,
            }),
        );
    }
    writeln!(
        out,
        "{} revision {} by {} at {} (sha256 {})",
        s.row.id,
        s.revision.number,
        s.revision.author,
        s.revision.created_at,
        &s.revision.sha256[..12]
    )?;
    if let Some(src) = &s.row.source {
        writeln!(out, "source: {src}")?;
    }
    writeln!(out)?;
    out.write_all(
        debrief_core::export::to_markdown_identified(&s.record, &s.row.id, s.revision.number)
            .as_bytes(),
    )?;
    Ok(0)
}

pub async fn revisions(
    store: &dyn Store,
    id: &str,
    json_out: bool,
    out: &mut impl Write,
) -> anyhow::Result<u8> {
    let id = &store.resolve_id(id).await?;
    // The store lists newest first, a page at a time; the command prints the whole history,
    // oldest first, as `git log --reverse` would.
    let mut revs = Vec::new();
    loop {
        let page = store
            .revisions(id, revs.last().map(|r: &RevisionInfo| r.number), 500)
            .await?;
        if page.is_empty() {
            break;
        }
        revs.extend(page);
    }
    revs.reverse();
    if json_out {
        return print_json(out, &revs);
    }
    writeln!(
        out,
        "{:>4}  {:<24}  {:<16}  MESSAGE",
        "REV", "CREATED", "AUTHOR"
    )?;
    for r in &revs {
        writeln!(
            out,
            "{:>4}  {:<24}  {:<16}  {}",
            r.number,
            r.created_at.to_string(),
            cut(&r.author, 16),
            r.message
        )?;
    }
    Ok(0)
}

/// Lines of revision `from` and `to` of a postmortem: ` ` same, `-` removed, `+` added.
pub async fn diff(
    store: &dyn Store,
    id: &str,
    from: i64,
    to: i64,
    out: &mut impl Write,
) -> anyhow::Result<u8> {
    let id = &store.resolve_id(id).await?;
    let a = store.revision(id, from).await?;
    let b = store.revision(id, to).await?;
    writeln!(
        out,
        "--- {id} revision {from} ({}, {})",
        a.author, a.created_at
    )?;
    writeln!(
        out,
        "+++ {id} revision {to} ({}, {})",
        b.author, b.created_at
    )?;
    for l in debrief_server::diff::lines(&a.content, &b.content) {
        let mark = match l.op.as_str() {
            "removed" => '-',
            "added" => '+',
            _ => ' ',
        };
        writeln!(out, "{mark}{}", l.text)?;
    }
    Ok(0)
}

pub async fn search(
    store: &dyn Store,
    query: &str,
    filter: &Filter,
    json_out: bool,
    out: &mut impl Write,
) -> anyhow::Result<u8> {
    let query = debrief_store::SearchQuery::parse(query)
        .map_err(|e| anyhow::anyhow!("search {query:?}: {e}"))?;
    let hits = store.search(&query, filter).await?;
    // Like grep and rg: 1 when nothing matches, so scripts can test for it.
    let found = if hits.is_empty() { 1 } else { 0 };
    if json_out {
        print_json(out, &hits)?;
        return Ok(found);
    }
    for h in &hits {
        writeln!(
            out,
            "{}  {:<10}  {}",
            h.id,
            h.date.as_deref().unwrap_or("-"),
            h.title.as_deref().unwrap_or("(untitled)")
        )?;
        writeln!(
            out,
            "    {}",
            h.snippet.split_whitespace().collect::<Vec<_>>().join(" ")
        )?;
    }
    writeln!(out, "{} match(es)", hits.len())?;
    Ok(found)
}

pub async fn facets(
    store: &dyn Store,
    query: Option<&str>,
    filter: &Filter,
    json_out: bool,
    out: &mut impl Write,
) -> anyhow::Result<u8> {
    let query = query
        .map(|q| {
            debrief_store::SearchQuery::parse(q).map_err(|e| anyhow::anyhow!("facets {q:?}: {e}"))
        })
        .transpose()?;
    let facets = store.facets(query.as_ref(), filter).await?;
    if json_out {
        return print_json(out, &facets);
    }
    let sample = if facets.sampled {
        format!(
            "{} postmortems counted (the most recently added; more match)",
            facets.counted
        )
    } else {
        format!("{} postmortem(s) counted", facets.counted)
    };
    writeln!(out, "{sample}")?;
    for (name, values) in [
        ("severity", &facets.severities),
        ("service", &facets.services),
        ("year", &facets.years),
    ] {
        if values.is_empty() {
            continue;
        }
        writeln!(out, "\n{name}")?;
        for v in values {
            writeln!(out, "  {:>6}  {}", v.count, v.label)?;
        }
    }
    Ok(0)
}

pub async fn actions(
    store: &dyn Store,
    f: &ActionFilter,
    json_out: bool,
    out: &mut impl Write,
) -> anyhow::Result<u8> {
    let rows = store.action_items(f).await?.items;
    if json_out {
        return print_json(out, &rows);
    }
    for a in &rows {
        let late = if debrief_store::is_open(&a.status)
            && debrief_store::is_overdue(a.due.as_deref(), &f.today)
        {
            " OVERDUE"
        } else {
            ""
        };
        writeln!(
            out,
            "{:<10} {:<11} {:<14} {}  [{}]{late}",
            a.due.as_deref().map_or("-".to_string(), |d| cut(d, 10)),
            a.status,
            cut(a.owner.as_deref().unwrap_or("-"), 14),
            cut(&a.text, 70),
            a.postmortem_id
        )?;
    }
    writeln!(out, "{} action item(s)", rows.len())?;
    Ok(0)
}

fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
        if out.len() >= 50 {
            break;
        }
    }
    out.trim_end_matches('-').to_string()
}

/// Writes `bytes` beside `path` and renames the file over it, so that readers see the old file
/// or the new one, never a part; not synced, for files that can be written again.
fn replace_file(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let beside = Beside::new(path);
    let write = || -> std::io::Result<()> {
        let mut f = beside.create()?;
        f.write_all(bytes)?;
        beside.replace(f, false)
    };
    write().map_err(|e| beside.failed(e))
}

/// A file written next to `path` under a temporary name, then renamed over it whole.
struct Beside<'a> {
    path: &'a Path,
    dir: &'a Path,
    tmp: PathBuf,
}

impl<'a> Beside<'a> {
    fn new(path: &'a Path) -> Beside<'a> {
        let dir = path
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let tmp = dir.join(format!(
            ".{}.tmp{}",
            path.file_name()
                .map(|f| f.to_string_lossy().into_owned())
                .unwrap_or_default(),
            std::process::id()
        ));
        Beside { path, dir, tmp }
    }

    fn create(&self) -> std::io::Result<std::fs::File> {
        std::fs::File::create(&self.tmp)
    }

    /// Puts the written file in place of `path`; with `durable`, the file and the directory
    /// are synced.
    fn replace(&self, f: std::fs::File, durable: bool) -> std::io::Result<()> {
        if durable {
            f.sync_all()?;
        }
        drop(f);
        std::fs::rename(&self.tmp, self.path)?;
        if durable && let Ok(d) = std::fs::File::open(self.dir) {
            let _ = d.sync_all();
        }
        Ok(())
    }

    /// Removes what was written and says why `path` was left as it was.
    fn failed(&self, e: impl std::fmt::Display) -> anyhow::Error {
        let _ = std::fs::remove_file(&self.tmp);
        anyhow::anyhow!(
            "{}: cannot write: {e}; nothing was changed",
            self.path.display()
        )
    }
}

/// Every live postmortem as canonical Markdown in `dir`, read a page of records at a time and
/// written on every core. Each file appears whole (written beside, then renamed); the files are
/// not synced one by one (an export can be run again; the database is the record), the
/// directory is synced once at the end.
pub async fn export_all(store: &dyn Store, dir: &Path, out: &mut impl Write) -> anyhow::Result<u8> {
    std::fs::create_dir_all(dir)
        .with_context(|| format!("{}: cannot create the directory", dir.display()))?;
    let (mut after, mut written) = (0, 0);
    loop {
        let page = store.records(&Filter::default(), after, 500).await?;
        let Some(last) = page.last().map(|r| r.0) else {
            break;
        };
        after = last;
        let results = debrief_store::on_every_core(&page, |(_, row, record)| {
            let name = format!(
                "{}{}-{}.md",
                row.date
                    .as_deref()
                    .map(|d| format!("{d}-"))
                    .unwrap_or_default(),
                slug(row.title.as_deref().unwrap_or("postmortem")),
                row.id
            );
            let text = debrief_core::export::to_markdown_identified(record, &row.id, row.revision);
            replace_file(&dir.join(name), text.as_bytes())
        })
        .ok_or_else(|| anyhow::anyhow!("writing the export failed (a bug: please report it)"))?;
        for r in results {
            r?;
        }
        written += page.len();
    }
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    writeln!(out, "{written} postmortem(s) written to {}", dir.display())?;
    Ok(0)
}

pub async fn backup_create(
    store: &dyn Store,
    loc: &Location,
    file: &Path,
    out: &mut impl Write,
) -> anyhow::Result<u8> {
    // Written as the store reads it, a part at a time: memory follows the part, not the
    // library.
    let beside = Beside::new(file);
    let tool = format!("debrief {}", env!("CARGO_PKG_VERSION"));
    // The file is made when the summary (the manifest's content) comes, before any row.
    let mut open: Option<(
        backup::Writer<std::io::BufWriter<std::fs::File>>,
        backup::Manifest,
    )> = None;
    let mut put = |item: debrief_store::DumpItem| -> std::io::Result<()> {
        match (item, open.as_mut()) {
            (debrief_store::DumpItem::Summary(s), None) => {
                let m = backup::manifest_of(&s, &tool, loc.backend(), debrief_store::now());
                let f = std::io::BufWriter::with_capacity(1 << 20, beside.create()?);
                open = Some((backup::Writer::new(f, &m)?, m));
            }
            (debrief_store::DumpItem::Postmortem(p), Some((w, _))) => w.postmortem(p)?,
            (debrief_store::DumpItem::Revision(r), Some((w, _))) => w.revision(r)?,
            _ => {
                return Err(std::io::Error::other(
                    "the store's dump came out of order (a bug)",
                ));
            }
        }
        Ok(())
    };
    // A write that fails stops the dump; it is what the user is told.
    let mut failed: Option<std::io::Error> = None;
    let dumped = store
        .dump_each(&mut |item| {
            put(item).map_err(|e| {
                let stop = debrief_store::StoreError::Invalid(e.to_string());
                failed = Some(e);
                stop
            })
        })
        .await;
    if let Some(e) = failed {
        return Err(beside.failed(e));
    }
    if let Err(e) = dumped {
        let _ = std::fs::remove_file(&beside.tmp);
        return Err(e.into());
    }
    let Some((w, m)) = open else {
        return Err(beside.failed("the store's dump had no summary (a bug)"));
    };
    let finish = || -> std::io::Result<u64> {
        let (f, bytes) = w.finish()?;
        beside.replace(f.into_inner().map_err(|e| e.into_error())?, true)?;
        Ok(bytes)
    };
    let bytes = finish().map_err(|e| beside.failed(e))?;
    writeln!(
        out,
        "backup {}: {} postmortem(s), {} revision(s), {} bytes, schema {}, revisions digest {}",
        file.display(),
        m.counts.postmortems,
        m.counts.revisions,
        bytes,
        m.schema_version,
        &m.revisions_digest[..16]
    )?;
    Ok(0)
}

/// Restores a backup into a scratch database (or `into`) and compares it with the manifest.
pub async fn backup_drill(
    file: &Path,
    into: Option<&str>,
    live: &Location,
    out: &mut impl Write,
) -> anyhow::Result<u8> {
    let bytes =
        std::fs::read(file).map_err(|e| anyhow::anyhow!("{}: cannot read: {e}", file.display()))?;
    let (m, dump) = match backup::decode(&bytes) {
        Ok(x) => x,
        Err(e) => {
            writeln!(out, "drill FAILED: {}: {e}", file.display())?;
            return Ok(1);
        }
    };
    // The file's bytes are not needed past here: the rows are decoded.
    drop(bytes);
    let scratch = std::env::temp_dir().join(format!("debrief-drill-{}", std::process::id()));
    let loc = match into {
        Some(url) => db::parse_url(url).map_err(|e| anyhow::anyhow!(e))?,
        None => {
            let _ = std::fs::remove_dir_all(&scratch);
            Location::Sqlite(scratch.join("drill.db"))
        }
    };
    let result = async {
        let store = db::open(&loc).await?;
        store.restore(&dump).await?;
        // The restored rows, read back a part at a time and compared as they come.
        let mut restored = backup::Restored::new(&dump);
        store
            .dump_each(&mut |item| {
                restored.add(item);
                Ok(())
            })
            .await?;
        let mut problems = restored.problems(&m);
        if !restored.rows_equal() {
            problems.push("the restored rows differ from the backup's".into());
        }
        let report = store.verify().await?;
        problems.extend(report.problems);
        store.close().await?;
        anyhow::Ok(problems)
    }
    .await;
    if into.is_none() {
        let _ = std::fs::remove_dir_all(&scratch);
    }
    let problems = result?;
    if problems.is_empty() {
        // The live database remembers its last verified backup (`/healthz` reports its age).
        if let Ok(store) = db::open_existing(live).await {
            let entry = debrief_store::AuditEntry {
                actor: format!("cli:{}", author()),
                action: "backup.drill".into(),
                target: file.display().to_string(),
                outcome: "ok".into(),
                remote: "local".into(),
                detail: format!(
                    "{} postmortems, {} revisions, digest {}",
                    m.counts.postmortems,
                    m.counts.revisions,
                    &m.revisions_digest[..16]
                ),
            };
            let _ = store.audit(&entry).await;
            let _ = store.close().await;
        }
        writeln!(
            out,
            "drill OK: {} restored into {} and verified: {} postmortem(s), {} revision(s), every hash equal (backup taken {} by {} from {})",
            file.display(),
            if into.is_some() {
                loc.shown()
            } else {
                "a scratch SQLite database".into()
            },
            m.counts.postmortems,
            m.counts.revisions,
            m.created_at,
            m.tool,
            m.backend
        )?;
        Ok(0)
    } else {
        let mut s = format!("drill FAILED: {}\n", file.display());
        for p in &problems {
            let _ = writeln!(s, "  {p}");
        }
        out.write_all(s.as_bytes())?;
        Ok(1)
    }
}

pub async fn verify(
    loc: &Location,
    json_out: bool,
    repair: bool,
    out: &mut impl Write,
) -> anyhow::Result<u8> {
    let mut repaired = false;
    let report = match db::open_existing(loc).await {
        Ok(store) => {
            let mut r = store.verify().await;
            // Only the search index is derived and rebuilt in place; damaged revisions or pages
            // need a backup (`debrief backup drill`), so they are reported, not touched.
            if repair
                && r.as_ref()
                    .is_ok_and(|r| r.problems.iter().any(|p| p.starts_with("search index")))
            {
                store.rebuild_search().await?;
                repaired = true;
                r = store.verify().await;
            }
            let _ = store.close().await;
            r
        }
        Err(e) => Err(e),
    };
    if repaired && !json_out {
        writeln!(
            out,
            "repaired: the search index was rebuilt from the stored postmortems"
        )?;
    }
    let report = match report {
        Ok(r) => r,
        Err(debrief_store::StoreError::NotFound(m)) => bail!(m),
        Err(e) => {
            // A database that cannot even be read is the clearest failure of all.
            if json_out {
                print_json(
                    out,
                    &json!({"ok": false, "database": loc.shown(), "problems": [e.to_string()]}),
                )?;
            } else {
                writeln!(out, "verify FAILED: {}\n  {e}", loc.shown())?;
            }
            return Ok(1);
        }
    };
    if json_out {
        print_json(
            out,
            &json!({"ok": report.ok(), "database": loc.shown(), "postmortems": report.postmortems, "revisions": report.revisions, "problems": report.problems, "repaired_search_index": repaired}),
        )?;
    } else if report.ok() {
        writeln!(
            out,
            "verify OK: {}: integrity check passed; {} postmortem(s), {} revision(s), every hash matches",
            loc.shown(),
            report.postmortems,
            report.revisions
        )?;
    } else {
        writeln!(out, "verify FAILED: {}", loc.shown())?;
        for p in report.problems.iter().take(20) {
            writeln!(out, "  {p}")?;
        }
        if report.problems.len() > 20 {
            writeln!(out, "  ... and {} more", report.problems.len() - 20)?;
        }
    }
    Ok(if report.ok() { 0 } else { 1 })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Files of these sizes (sparse: nothing is written) in a fresh directory.
    fn files(name: &str, sizes: &[u64]) -> (PathBuf, Vec<crate::review::Target>) {
        let dir = std::env::temp_dir().join(format!("debrief-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let targets = sizes
            .iter()
            .enumerate()
            .map(|(i, &len)| {
                let path = dir.join(format!("{i:05}.md"));
                std::fs::File::create(&path).unwrap().set_len(len).unwrap();
                crate::review::Target { path, named: false }
            })
            .collect();
        (dir, targets)
    }

    fn lengths(targets: &[crate::review::Target]) -> Vec<usize> {
        transactions(targets).map(<[_]>::len).collect()
    }

    #[test]
    fn import_batches_are_bounded_by_count_and_bytes() {
        let mb = 1 << 20;
        let (dir, many) = files("batches-count", &vec![10; BATCH * 2 + 1]);
        assert_eq!(lengths(&many), [BATCH, BATCH, 1]);
        std::fs::remove_dir_all(dir).unwrap();
        // 10 MB files three at a time; a file larger than the bound goes alone, and nothing is
        // left out or repeated.
        let (dir, big) = files(
            "batches-bytes",
            &[10 * mb, 10 * mb, 10 * mb, 10 * mb, 40 * mb, 0],
        );
        assert_eq!(lengths(&big), [3, 1, 1, 1]);
        assert_eq!(transactions(&big).flatten().count(), big.len());
        std::fs::remove_dir_all(dir).unwrap();
        assert_eq!(lengths(&[]), Vec::<usize>::new());
    }
}
