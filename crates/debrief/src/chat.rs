//! `debrief import-chat`: a Slack export (folder or zip) into timeline entries of a new draft
//! postmortem, or of an existing one (`--into`). Reading the export's files is here; what the
//! messages mean is `debrief_core::chat`.

use std::io::{Read, Write};
use std::path::Path;

use anyhow::{Context as _, bail};
use debrief_core::Postmortem;
use debrief_core::chat::{self, ChatFile, ChatOptions};
use debrief_store::{NewDocument, Store};

/// A file of the export larger than this is refused (a day of one channel is far smaller).
const MAX_FILE: u64 = 64 * 1024 * 1024;

/// What to import, as the command line gives it.
pub struct Request<'a> {
    pub path: &'a Path,
    pub channel: &'a str,
    pub from: Option<&'a str>,
    pub to: Option<&'a str>,
    pub into: Option<&'a str>,
    pub anonymise: bool,
}

/// `2026-03-14T10:00:00Z`, or `2026-03-14 10:00` in UTC.
pub fn instant(flag: &str, s: &str) -> anyhow::Result<debrief_store::Time> {
    let mut t = s.trim().replacen(' ', "T", 1);
    if t.len() == 16 {
        t.push_str(":00");
    }
    if !t.ends_with('Z') && !t.get(10..).unwrap_or("").contains(['+', '-']) {
        t.push('Z');
    }
    debrief_store::Time::parse_rfc3339(&t).with_context(|| {
        format!("{flag} {s}: write a time as 2026-03-14T10:00:00Z or `2026-03-14 10:00` (UTC)")
    })
}

/// The files of the export that matter: `users.json` and the channel's days.
fn read_export(path: &Path, channel: &str) -> anyhow::Result<Vec<ChatFile>> {
    let wanted = |p: &str| {
        p == "users.json" || (p.starts_with(channel) && p[channel.len()..].starts_with('/'))
    };
    let mut files = Vec::new();
    if path.is_dir() {
        let read = |full: &Path| -> anyhow::Result<String> {
            let size = full.metadata()?.len();
            if size > MAX_FILE {
                bail!(
                    "{}: {size} bytes; a file of an export is at most {MAX_FILE}",
                    full.display()
                );
            }
            std::fs::read_to_string(full)
                .with_context(|| format!("{}: cannot be read as UTF-8 text", full.display()))
        };
        let users = path.join("users.json");
        if users.is_file() {
            files.push(ChatFile {
                path: "users.json".into(),
                text: read(&users)?,
            });
        }
        let mut entries: Vec<_> = std::fs::read_dir(path)
            .with_context(|| format!("{}", path.display()))?
            .collect::<Result<_, _>>()?;
        entries.sort_by_key(std::fs::DirEntry::file_name);
        for e in entries.iter().filter(|e| e.path().is_dir()) {
            let name = e.file_name().to_string_lossy().to_string();
            if name != channel {
                // Only its name, so that a mistyped channel can be told which there are.
                files.push(ChatFile {
                    path: format!("{name}/"),
                    text: String::new(),
                });
                continue;
            }
            let mut days: Vec<_> = std::fs::read_dir(e.path())?.collect::<Result<_, _>>()?;
            days.sort_by_key(std::fs::DirEntry::file_name);
            for d in days {
                let day = d.file_name().to_string_lossy().to_string();
                files.push(ChatFile {
                    path: format!("{channel}/{day}"),
                    text: read(&d.path())?,
                });
            }
        }
        return Ok(files);
    }
    let file = std::fs::File::open(path).with_context(|| {
        format!(
            "{}: no such export; give the export's folder or its .zip",
            path.display()
        )
    })?;
    let mut zip = zip::ZipArchive::new(file).with_context(|| {
        format!(
            "{}: not a zip file nor a folder of an export",
            path.display()
        )
    })?;
    // Some archives hold the export in a folder of its own.
    let names: Vec<String> = zip
        .file_names()
        .map(|n| n.map(|n| n.to_string()))
        .collect::<Result<_, _>>()
        .with_context(|| format!("{}: a name in the archive cannot be read", path.display()))?;
    let base = names
        .iter()
        .find_map(|n| n.strip_suffix("users.json"))
        .filter(|b| b.is_empty() || b.ends_with('/'))
        .unwrap_or("")
        .to_string();
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i)?;
        let name = entry
            .name()
            .with_context(|| format!("{}: a name in the archive cannot be read", path.display()))?
            .to_string();
        let Some(rel) = name.strip_prefix(&base).map(str::to_string) else {
            continue;
        };
        if entry.is_dir() || !wanted(&rel) {
            // Only the channel's name, so that a mistyped channel can be told which there are.
            if let Some((other, _)) = rel.split_once('/') {
                files.push(ChatFile {
                    path: format!("{other}/"),
                    text: String::new(),
                });
            }
            continue;
        }
        if entry.size() > MAX_FILE {
            bail!(
                "{}: {rel}: {} bytes; a file of an export is at most {MAX_FILE}",
                path.display(),
                entry.size()
            );
        }
        let mut text = String::new();
        entry
            .by_ref()
            .take(MAX_FILE)
            .read_to_string(&mut text)
            .with_context(|| format!("{}: {rel}: cannot be read as UTF-8 text", path.display()))?;
        files.push(ChatFile { path: rel, text });
    }
    Ok(files)
}

/// A new draft for a chat's timeline.
fn draft(channel: &str, first: Option<&debrief_core::time::Stamp>) -> Postmortem {
    debrief_store::events::draft(
        format!("Incident discussed in #{channel}"),
        format!(
            "Timeline imported from the Slack export of #{channel}. Messages that mark a page, an acknowledgement, an escalation, a mitigation or a resolution are entries; the others are kept hidden for you to promote."
        ),
        first.and_then(|s| s.date).map(|d| d.to_string()),
    )
}

pub async fn import_chat(
    store: &dyn Store,
    req: Request<'_>,
    json_out: bool,
    out: &mut impl Write,
) -> anyhow::Result<u8> {
    let opts = ChatOptions {
        channel: req.channel.trim_start_matches('#').to_string(),
        from: req
            .from
            .map(|s| instant("--from", s).map(debrief_store::Time::unix_seconds))
            .transpose()?,
        to: req
            .to
            .map(|s| instant("--to", s).map(debrief_store::Time::unix_seconds))
            .transpose()?,
        anonymise: req.anonymise,
    };
    let files = read_export(req.path, &opts.channel)?;
    let chat =
        chat::slack(&files, &opts).map_err(|e| anyhow::anyhow!("{}: {e}", req.path.display()))?;
    let (read, skipped, marked) = (chat.read, chat.skipped, chat.marked());
    let hidden = chat.entries.len() - marked;
    let author = crate::library::author();
    let message = format!("import-chat #{} from {}", opts.channel, req.path.display());
    let entries = chat.entries;
    let add_all = |p: &mut Postmortem| entries.iter().filter(|e| p.add_entry((*e).clone())).count();
    let (id, revision, added) = match req.into {
        Some(prefix) => {
            let id = store.resolve_id(prefix).await?;
            let w = debrief_store::events::write(store, &id, &author, &message, add_all).await?;
            (w.id, w.revision, w.added)
        }
        None => {
            if entries.is_empty() {
                bail!(
                    "#{}: no messages in the window to make a timeline of ({read} read, {skipped} left out); widen --from and --to",
                    opts.channel
                );
            }
            let mut p = draft(&opts.channel, entries[0].at.as_ref());
            let added = add_all(&mut p);
            let doc = NewDocument {
                source: None,
                text: debrief_core::export::to_markdown(&p),
                author,
                message,
                record: None,
                identity: None,
                audit: None,
            };
            let s = store.create(&doc).await?;
            (s.id, s.revision, added)
        }
    };
    if json_out {
        return crate::library::print_json(
            out,
            &serde_json::json!({
                "postmortem": id, "revision": revision, "read": read, "left_out": skipped,
                "entries": marked + hidden, "marked": marked, "hidden": hidden, "added": added,
            }),
        );
    }
    writeln!(
        out,
        "#{}: {read} message(s) read, {skipped} left out (joins, topic changes, empty); {marked} marked an event, {hidden} kept hidden for you to promote; {added} added to postmortem {id} (revision {revision})",
        opts.channel
    )?;
    Ok(0)
}
