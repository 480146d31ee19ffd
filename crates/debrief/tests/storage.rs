//! The stored library as users run it: idempotent imports, corruption found by `debrief verify`,
//! backups taken while another process writes and drilled into SQLite and PostgreSQL, and clear
//! errors for bad URLs, unreachable servers, damaged files and a full disk.

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use serde_json::Value;
use support::{fresh_postgres, scratch};

fn debrief(db: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_debrief"))
        .arg("--database")
        .arg(db)
        // The tests make their databases as they go; the refusal of a missing one has its own.
        .arg("--create")
        .args(args)
        .env("NO_COLOR", "1")
        .env("DEBRIEF_AUTHOR", "tests")
        .output()
        .unwrap()
}

/// `debrief import DIR`, which must succeed.
fn import_ok(db: &str, dir: &Path) {
    let o = debrief(db, &["import", dir.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o.stderr));
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// A deterministic generator (xorshift), so failures reproduce.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Writes `n` small postmortems of our own, each with a unique marker word.
fn write_docs(dir: &Path, n: usize, version: usize) {
    std::fs::create_dir_all(dir).unwrap();
    for i in 0..n {
        std::fs::write(
            dir.join(format!("pm{i:03}.md")),
            format!(
                "---\ntitle: Incident {i}\ndate: 2024-0{}-1{}\nseverity: SEV{}\nservices: [svc{}]\n---\n\n## Summary\n\nQqmarker{i:03} the checkout service returned errors for {} minutes (version {version}).\n\n## Timeline\n\n- 10:00 UTC errors rise\n- 10:05 UTC alert fires\n- 10:40 UTC resolved\n\n## Action items\n\n- Add an alert on queue depth (owner: @ops{}, due: 2024-06-01)\n",
                1 + i % 9,
                i % 10,
                1 + i % 3,
                i % 4,
                10 + i,
                i % 5
            ),
        )
        .unwrap();
    }
}

fn shared_corpus() -> Option<PathBuf> {
    let d = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus");
    if d.is_dir() {
        Some(d)
    } else {
        assert!(
            std::env::var_os("DEBRIEF_REQUIRE_ALL").is_none(),
            "{} is absent; the test command needs ../shared beside the repository",
            d.display()
        );
        println!("skipped: {} is absent", d.display());
        None
    }
}

/// Revision numbers by id, from `list --json`.
fn revisions(db: &str) -> std::collections::BTreeMap<String, i64> {
    let list = debrief(db, &["list", "--json"]);
    assert!(list.status.success(), "{}", text(&list.stderr));
    let rows: Value = serde_json::from_slice(&list.stdout).unwrap();
    rows.as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["id"].as_str().unwrap().to_string(),
                r["revision"].as_i64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn an_exported_tree_imported_again_updates_its_postmortems_instead_of_copying_them() {
    let Some(corpus) = shared_corpus() else {
        return;
    };
    let dir = scratch("identity");
    let db = format!("sqlite:{}", dir.join("c.db").display());
    let first = debrief(&db, &["import", corpus.to_str().unwrap()]);
    assert!(first.status.success(), "{}", text(&first.stderr));
    let before = revisions(&db);
    let tree = dir.join("export");
    let export = debrief(&db, &["export", "--all", tree.to_str().unwrap()]);
    assert!(export.status.success(), "{}", text(&export.stderr));

    // The exported tree, imported into the same store: the same postmortems, no new revision.
    let again = debrief(&db, &["import", tree.to_str().unwrap(), "--json"]);
    assert!(again.status.success(), "{}", text(&again.stderr));
    let a: Value = serde_json::from_slice(&again.stdout).unwrap();
    assert_eq!(a["files"].as_u64(), Some(before.len() as u64));
    assert_eq!(
        (a["new"].as_u64(), a["updated"].as_u64()),
        (Some(0), Some(0))
    );
    assert_eq!(revisions(&db), before);

    // Three files edited (one of them also moved and renamed): exactly three new revisions.
    let mut files: Vec<PathBuf> = std::fs::read_dir(&tree)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    for f in &files[..3] {
        let t = std::fs::read_to_string(f).unwrap();
        std::fs::write(
            f,
            format!("{t}\n## Follow-up note\n\nReviewed again in the weekly meeting.\n"),
        )
        .unwrap();
    }
    let moved = dir.join("elsewhere");
    std::fs::create_dir_all(&moved).unwrap();
    std::fs::rename(&files[0], moved.join("renamed.md")).unwrap();
    let third = debrief(
        &db,
        &[
            "import",
            tree.to_str().unwrap(),
            moved.to_str().unwrap(),
            "--json",
        ],
    );
    assert!(third.status.success(), "{}", text(&third.stderr));
    let t: Value = serde_json::from_slice(&third.stdout).unwrap();
    assert_eq!(
        (t["new"].as_u64(), t["updated"].as_u64()),
        (Some(0), Some(3))
    );
    let after = revisions(&db);
    assert_eq!(after.len(), before.len());
    let bumped: Vec<_> = after
        .iter()
        .filter(|(id, r)| before[*id] + 1 == **r)
        .collect();
    assert_eq!(bumped.len(), 3, "{bumped:?}");
    assert!(
        after
            .iter()
            .all(|(id, r)| *r == before[id] || *r == before[id] + 1)
    );
}

#[test]
fn an_exported_file_changed_by_someone_else_since_is_a_conflict_and_loses_nothing() {
    let dir = scratch("conflict");
    let db = format!("sqlite:{}", dir.join("c.db").display());
    write_docs(&dir.join("docs"), 1, 1);
    assert!(
        debrief(&db, &["import", dir.join("docs").to_str().unwrap()])
            .status
            .success()
    );
    let id = revisions(&db).into_keys().next().unwrap();
    let tree = dir.join("export");
    assert!(
        debrief(&db, &["export", "--all", tree.to_str().unwrap()])
            .status
            .success()
    );
    let file = std::fs::read_dir(&tree)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let exported = std::fs::read_to_string(&file).unwrap();
    assert!(exported.contains(&format!("id: \"{id}\"")), "{exported}");
    assert!(exported.contains("revision: 1"), "{exported}");

    // A colleague saves the postmortem (revision 2) from their own copy.
    let theirs = dir.join("theirs.md");
    std::fs::write(
        &theirs,
        exported.replace("Incident 0", "Incident 0 (their title)"),
    )
    .unwrap();
    let saved = Command::new(env!("CARGO_BIN_EXE_debrief"))
        .args(["--database", &db, "import", theirs.to_str().unwrap()])
        .env("DEBRIEF_AUTHOR", "colleague")
        .output()
        .unwrap();
    assert!(saved.status.success(), "{}", text(&saved.stderr));
    assert_eq!(revisions(&db)[&id], 2);

    // Our edit of the revision-1 export is refused, with what to do; theirs stays.
    std::fs::write(
        &file,
        exported.replace("Incident 0", "Incident 0 (our title)"),
    )
    .unwrap();
    let ours = debrief(&db, &["import", file.to_str().unwrap()]);
    assert_eq!(ours.status.code(), Some(1), "{}", text(&ours.stderr));
    let err = text(&ours.stderr);
    assert!(
        err.contains("changed by someone else") && err.contains("export it again"),
        "{err}"
    );
    assert_eq!(revisions(&db)[&id], 2);
    let shown = debrief(&db, &["show", &id]);
    assert!(text(&shown.stdout).contains("their title"));

    // Our own later saves are no conflict: the file re-imported after we saved it once more.
    std::fs::write(
        &file,
        exported
            .replace("revision: 1", "revision: 2")
            .replace("Incident 0", "Incident 0 (our title)"),
    )
    .unwrap();
    let ours = debrief(&db, &["import", file.to_str().unwrap()]);
    assert!(ours.status.success(), "{}", text(&ours.stderr));
    std::fs::write(
        &file,
        exported
            .replace("revision: 1", "revision: 2")
            .replace("Incident 0", "Incident 0 (our second title)"),
    )
    .unwrap();
    let ours = debrief(&db, &["import", file.to_str().unwrap()]);
    assert!(ours.status.success(), "{}", text(&ours.stderr));
    assert_eq!(revisions(&db)[&id], 4);

    // An id that is not one of ours is a clear error naming the file.
    let bad = dir.join("bad.md");
    std::fs::write(
        &bad,
        exported.replace(&format!("id: \"{id}\""), "id: \"../etc\""),
    )
    .unwrap();
    let out = debrief(&db, &["import", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("bad.md") && text(&out.stderr).contains("not a Debrief id"));
}

fn pg_url() -> Option<String> {
    match std::env::var("DEBRIEF_TEST_POSTGRES_URL") {
        Ok(u) => Some(u),
        Err(_) => {
            assert!(
                std::env::var_os("DEBRIEF_REQUIRE_ALL").is_none(),
                "DEBRIEF_TEST_POSTGRES_URL is not set; run the tests through scripts/test"
            );
            println!("skipped the PostgreSQL half: DEBRIEF_TEST_POSTGRES_URL is not set");
            None
        }
    }
}

#[test]
fn importing_the_corpus_twice_changes_nothing_the_second_time() {
    let Some(corpus) = shared_corpus() else {
        return;
    };
    let dir = scratch("corpus");
    let db = format!("sqlite:{}", dir.join("c.db").display());
    let c = corpus.to_str().unwrap();
    let first = debrief(&db, &["import", c, "--json"]);
    assert!(first.status.success(), "{}", text(&first.stderr));
    let a: Value = serde_json::from_slice(&first.stdout).unwrap();
    let second = debrief(&db, &["import", c, "--json"]);
    let b: Value = serde_json::from_slice(&second.stdout).unwrap();
    println!(
        "corpus import: {} files, first {} new; second {} unchanged, {} new, {} updated",
        a["files"], a["new"], b["unchanged"], b["new"], b["updated"]
    );
    assert_eq!(a["files"], b["files"]);
    assert!(a["files"].as_u64().unwrap() >= 354);
    assert_eq!(a["new"], a["files"]);
    assert_eq!(b["unchanged"], b["files"]);
    assert_eq!(
        (b["new"].as_u64(), b["updated"].as_u64()),
        (Some(0), Some(0))
    );
    let list = debrief(&db, &["list", "--json"]);
    let rows: Value = serde_json::from_slice(&list.stdout).unwrap();
    assert_eq!(
        rows.as_array().unwrap().len() as u64,
        a["files"].as_u64().unwrap()
    );
    assert!(debrief(&db, &["verify"]).status.success());
}

#[test]
fn a_large_import_reads_ahead_and_saves_every_file_in_order() {
    // Three of import's batches (500 files each), each written in several chunks, while the
    // next batch is read and reviewed: every file is saved once, answered in file order, with
    // a binary file in the middle skipped and named.
    let dir = scratch("large");
    let db = format!("sqlite:{}", dir.join("l.db").display());
    let docs = dir.join("docs");
    write_docs(&docs, 1_234, 1);
    std::fs::write(docs.join("pm0700.md"), b"\x00\x01binary").unwrap();
    let out = debrief(&db, &["import", docs.to_str().unwrap(), "--json"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("pm0700.md"),
        "{}",
        text(&out.stderr)
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["new"], 1_234);
    let files: Vec<&str> = report["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["file"].as_str().unwrap())
        .collect();
    let mut sorted = files.clone();
    sorted.sort();
    assert_eq!(files, sorted);
    assert_eq!(files.len(), 1_234);
    assert_eq!(revisions(&db).len(), 1_234);
    for marker in ["qqmarker000", "qqmarker499", "qqmarker500", "qqmarker1233"] {
        let hits: Value =
            serde_json::from_slice(&debrief(&db, &["search", marker, "--json"]).stdout).unwrap();
        assert_eq!(hits.as_array().map(Vec::len), Some(1), "{marker}");
    }
    let again = debrief(&db, &["import", docs.to_str().unwrap()]);
    assert!(
        text(&again.stdout).contains("0 new, 0 updated, 1234 unchanged"),
        "{}",
        text(&again.stdout)
    );
}

#[test]
fn a_changed_file_adds_a_revision_and_commands_read_it_back() {
    let dir = scratch("revisions");
    let db = format!("sqlite:{}", dir.join("r.db").display());
    let docs = dir.join("docs");
    write_docs(&docs, 5, 1);
    assert!(
        debrief(&db, &["import", docs.to_str().unwrap()])
            .status
            .success()
    );
    write_docs(&docs, 3, 2);
    let out = debrief(&db, &["import", docs.to_str().unwrap()]);
    let s = text(&out.stdout);
    assert!(s.contains("0 new, 3 updated, 2 unchanged"), "{s}");
    let hits: Value =
        serde_json::from_slice(&debrief(&db, &["search", "qqmarker001", "--json"]).stdout).unwrap();
    let id = hits[0]["id"].as_str().unwrap().to_string();
    let shown: Value =
        serde_json::from_slice(&debrief(&db, &["show", &id, "--json"]).stdout).unwrap();
    assert_eq!(shown["revision"]["number"], 2);
    assert_eq!(shown["record"]["title"], "Incident 1");
    let overdue = debrief(&db, &["actions", "--overdue", "--owner", "ops1"]);
    assert!(
        text(&overdue.stdout).contains("OVERDUE"),
        "{}",
        text(&overdue.stdout)
    );
    let out_dir = dir.join("tree");
    assert!(
        debrief(&db, &["export", "--all", out_dir.to_str().unwrap()])
            .status
            .success()
    );
    assert_eq!(std::fs::read_dir(&out_dir).unwrap().count(), 5);
    assert!(debrief(&db, &["delete", &id]).status.success());
    let gone = debrief(&db, &["show", &id]);
    assert_eq!(gone.status.code(), Some(2));
    let e = text(&gone.stderr);
    assert!(
        e.contains(&format!("no postmortem {id}")) && e.contains("debrief list"),
        "{e}"
    );
    let purge = debrief(&db, &["admin", "purge", &id]);
    assert_eq!(purge.status.code(), Some(2), "purge needs --yes");
    assert!(
        debrief(&db, &["admin", "purge", &id, "--yes"])
            .status
            .success()
    );
}

/// Byte ranges of every b-tree page's header fields that hold structure: the page type, the
/// cell count and the cell pointers.
fn structure_bytes(db: &[u8]) -> Vec<usize> {
    let page = match u16::from_be_bytes([db[16], db[17]]) {
        1 => 65536,
        n => n as usize,
    };
    let mut out = Vec::new();
    for p in 0..db.len() / page {
        let h = p * page + if p == 0 { 100 } else { 0 };
        let kind = db[h];
        if ![0x02, 0x05, 0x0a, 0x0d].contains(&kind) {
            continue;
        }
        let cells = u16::from_be_bytes([db[h + 3], db[h + 4]]) as usize;
        let header = if kind == 0x02 || kind == 0x05 { 12 } else { 8 };
        out.push(h);
        out.extend([h + 3, h + 4]);
        out.extend((0..cells * 2).map(|k| h + header + k));
    }
    out
}

#[test]
fn one_flipped_byte_is_found_by_verify_in_every_trial() {
    let dir = scratch("corrupt");
    let db_path = dir.join("v.db");
    let db = format!("sqlite:{}", db_path.display());
    let docs = dir.join("docs");
    write_docs(&docs, 40, 1);
    assert!(
        debrief(&db, &["import", docs.to_str().unwrap()])
            .status
            .success()
    );
    assert!(
        !dir.join("v.db-wal").exists()
            || std::fs::metadata(dir.join("v.db-wal")).unwrap().len() == 0
    );
    let pristine = std::fs::read(&db_path).unwrap();
    let structure = structure_bytes(&pristine);
    // Stored texts are deflated (debrief_store::packed): a packed value starts with the marker
    // byte and a zlib header (0x78 0xbb when it names a preset dictionary, 0x78 0x9c without).
    let markers: Vec<usize> = pristine
        .windows(3)
        .enumerate()
        .filter(|(_, w)| {
            w[..2] == [debrief_store::packed::MARKER, 0x78] && matches!(w[2], 0x9c | 0xbb)
        })
        .map(|(i, _)| i + 3)
        .collect();
    assert!(!structure.is_empty() && !markers.is_empty());
    let mut rng = Rng(0x00de_b81e_f5a7_e000);
    let copy = dir.join("copy.db");
    let copy_url = format!("sqlite:{}", copy.display());
    let (mut found_structure, mut found_text, mut false_alarms) = (0, 0, 0);
    let trials = if std::env::var_os("DEBRIEF_LONG").is_some() {
        1000
    } else {
        100
    };
    for t in 0..trials {
        std::fs::write(&copy, &pristine).unwrap();
        let clean = debrief(&copy_url, &["verify"]);
        if clean.status.code() != Some(0) {
            false_alarms += 1;
        }
        for in_text in [false, true] {
            let mut bytes = pristine.clone();
            let at = if in_text {
                markers[rng.below(markers.len())] + rng.below(12)
            } else {
                structure[rng.below(structure.len())]
            };
            bytes[at] ^= 1 << rng.below(8);
            std::fs::write(&copy, &bytes).unwrap();
            let o = debrief(&copy_url, &["verify"]);
            assert_ne!(
                o.status.code(),
                Some(101),
                "verify panicked on trial {t}: {}",
                text(&o.stderr)
            );
            if o.status.code() == Some(1) {
                if in_text {
                    found_text += 1;
                } else {
                    found_structure += 1;
                }
            } else {
                println!(
                    "trial {t}: byte {at} (text: {in_text}) not detected: {}{}",
                    text(&o.stdout),
                    text(&o.stderr)
                );
            }
        }
    }
    println!(
        "corruption: page structure found {found_structure}/{trials}, stored text found {found_text}/{trials}; untouched copies: {false_alarms}/{trials} false alarms"
    );
    assert_eq!(
        (found_structure, found_text, false_alarms),
        (trials, trials, 0)
    );
}

#[test]
fn a_backup_taken_during_writes_drills_clean_into_sqlite_and_postgres() {
    let dir = scratch("backup");
    let db = format!("sqlite:{}", dir.join("live.db").display());
    let docs = dir.join("docs");
    write_docs(&docs, 30, 0);
    assert!(
        debrief(&db, &["import", docs.to_str().unwrap()])
            .status
            .success()
    );
    // Another process keeps writing: every import rewrites the files, so each adds revisions.
    let stop = Arc::new(AtomicBool::new(false));
    let writer = {
        let (stop, db, docs) = (Arc::clone(&stop), db.clone(), docs.clone());
        std::thread::spawn(move || {
            let mut v = 1;
            while !stop.load(Ordering::Relaxed) {
                write_docs(&docs, 30, v);
                let o = debrief(&db, &["import", docs.to_str().unwrap()]);
                assert!(o.status.success(), "writer: {}", text(&o.stderr));
                v += 1;
            }
            v
        })
    };
    let mut backups = Vec::new();
    for k in 0..3 {
        std::thread::sleep(std::time::Duration::from_millis(150));
        let f = dir.join(format!("b{k}.bak"));
        let o = debrief(&db, &["backup", "create", f.to_str().unwrap()]);
        assert!(o.status.success(), "{}", text(&o.stderr));
        backups.push(f);
    }
    stop.store(true, Ordering::Relaxed);
    let versions = writer.join().unwrap();
    assert!(versions > 2, "the writer wrote during the backups");
    for f in &backups {
        let o = debrief(&db, &["backup", "drill", f.to_str().unwrap()]);
        assert_eq!(
            o.status.code(),
            Some(0),
            "{}{}",
            text(&o.stdout),
            text(&o.stderr)
        );
        assert!(text(&o.stdout).starts_with("drill OK"));
        let into = format!(
            "sqlite:{}",
            dir.join(format!(
                "{}.restored.db",
                f.file_name().unwrap().to_string_lossy()
            ))
            .display()
        );
        let o = debrief(
            &db,
            &["backup", "drill", f.to_str().unwrap(), "--into", &into],
        );
        assert_eq!(
            o.status.code(),
            Some(0),
            "{}{}",
            text(&o.stdout),
            text(&o.stderr)
        );
    }
    if let Some(base) = pg_url() {
        for (k, f) in backups.iter().enumerate() {
            let into = fresh_postgres(&base, &format!("drill{k}"));
            let o = debrief(
                &db,
                &["backup", "drill", f.to_str().unwrap(), "--into", &into],
            );
            assert_eq!(
                o.status.code(),
                Some(0),
                "{}{}",
                text(&o.stdout),
                text(&o.stderr)
            );
            // The moved installation works: search on PostgreSQL finds what SQLite held.
            let hits: Value = serde_json::from_slice(
                &debrief(&into, &["search", "qqmarker007", "--json"]).stdout,
            )
            .unwrap();
            assert_eq!(hits.as_array().unwrap().len(), 1);
        }
        println!(
            "backups during writes: {} drilled clean into SQLite and PostgreSQL",
            backups.len()
        );
    }
    // A damaged backup fails the drill.
    let mut bytes = std::fs::read(&backups[0]).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0x01;
    let bad = dir.join("bad.bak");
    std::fs::write(&bad, bytes).unwrap();
    let o = debrief(&db, &["backup", "drill", bad.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        text(&o.stdout).contains("drill FAILED"),
        "{}",
        text(&o.stdout)
    );
}

#[test]
fn bad_urls_unreachable_servers_and_damaged_files_are_clear_errors() {
    let dir = scratch("urls");
    let o = debrief("mysql://u:hunter2@h/db", &["list"]);
    assert_eq!(o.status.code(), Some(2));
    let e = text(&o.stderr);
    assert!(e.contains("sqlite:PATH") && !e.contains("hunter2"), "{e}");
    let o = debrief("postgres://u:hunter2@127.0.0.1:1/db", &["list"]);
    assert_eq!(o.status.code(), Some(2));
    let e = text(&o.stderr);
    assert!(
        e.contains("cannot reach PostgreSQL") && e.contains("refused"),
        "{e}"
    );
    assert!(!e.contains("hunter2"), "{e}");
    let junk = dir.join("junk.db");
    std::fs::write(&junk, vec![7u8; 4096]).unwrap();
    let o = debrief(&format!("sqlite:{}", junk.display()), &["list"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text(&o.stderr).contains("damaged or is not a Debrief database"),
        "{}",
        text(&o.stderr)
    );
    let o = debrief(&format!("sqlite:{}", junk.display()), &["verify"]);
    assert_eq!(
        o.status.code(),
        Some(1),
        "verify reports a damaged file as a failure"
    );
    let o = debrief(
        &format!("sqlite:{}", dir.join("none.db").display()),
        &["verify"],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("no such database file"));
}

#[test]
fn a_backup_larger_than_the_parts_it_is_read_in_drills_clean_and_a_failed_one_changes_nothing() {
    let dir = scratch("backup-parts");
    let db = format!("sqlite:{}", dir.join("live.db").display());
    let docs = dir.join("docs");
    // The store reads a backup 1,000 rows at a time: 2,300 postmortems and 2,310 revisions.
    write_docs(&docs, 2300, 0);
    import_ok(&db, &docs);
    // Ten of them edited (the first files written again at version 1).
    write_docs(&docs, 10, 1);
    import_ok(&db, &docs);
    let f = dir.join("parts.bak");
    let o = debrief(&db, &["backup", "create", f.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(
        text(&o.stdout).contains("2300 postmortem(s), 2310 revision(s)"),
        "{}",
        text(&o.stdout)
    );
    let size = std::fs::metadata(&f).unwrap().len();
    assert!(
        text(&o.stdout).contains(&format!("{size} bytes")),
        "{}",
        text(&o.stdout)
    );
    let o = debrief(&db, &["backup", "drill", f.to_str().unwrap()]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}{}",
        text(&o.stdout),
        text(&o.stderr)
    );
    // A backup that cannot be written says where and why, and leaves the last one whole.
    let before = std::fs::read(&f).unwrap();
    let o = debrief(
        &db,
        &[
            "backup",
            "create",
            dir.join("missing/x.bak").to_str().unwrap(),
        ],
    );
    assert_eq!(o.status.code(), Some(2), "{}", text(&o.stderr));
    assert!(
        text(&o.stderr).contains("missing/x.bak: cannot write")
            && text(&o.stderr).contains("nothing was changed"),
        "{}",
        text(&o.stderr)
    );
    assert_eq!(std::fs::read(&f).unwrap(), before);
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn a_full_disk_is_reported_and_nothing_is_half_written() {
    // A real full file system: a small tmpfs, which needs root (the test command runs as root).
    let dir = scratch("full");
    let mnt = dir.join("mnt");
    std::fs::create_dir_all(&mnt).unwrap();
    let mounted = Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=2m", "tmpfs"])
        .arg(&mnt)
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    if !mounted {
        assert!(
            std::env::var_os("DEBRIEF_REQUIRE_ALL").is_none(),
            "cannot mount a small tmpfs (needs root); the test command runs as root"
        );
        println!("skipped: cannot mount a tmpfs to fill (not root)");
        return;
    }
    let db = format!("sqlite:{}", mnt.join("full.db").display());
    let small = dir.join("small");
    write_docs(&small, 5, 1);
    let ok = debrief(&db, &["import", small.to_str().unwrap()]);
    let big = dir.join("big");
    std::fs::create_dir_all(&big).unwrap();
    // Words that neither compress nor repeat much: the stored text and its index outgrow the
    // disk whatever the packing.
    let mut rng = Rng(0x0f11_d15c);
    for i in 0..40 {
        let filler: String = (0..12000)
            .map(|_| format!("w{:x} ", rng.below(1 << 30)))
            .collect();
        std::fs::write(
            big.join(format!("big{i}.md")),
            format!("## Summary\n\n{filler}\n"),
        )
        .unwrap();
    }
    let full = debrief(&db, &["import", big.to_str().unwrap()]);
    let after = debrief(&db, &["list", "--json"]);
    let verify = debrief(&db, &["verify"]);
    let _ = Command::new("umount").arg(&mnt).output();
    assert!(ok.status.success(), "{}", text(&ok.stderr));
    assert_eq!(
        full.status.code(),
        Some(2),
        "{}{}",
        text(&full.stdout),
        text(&full.stderr)
    );
    assert!(
        text(&full.stderr).contains("disk is full")
            && text(&full.stderr).contains("0 of 40 file(s) were imported"),
        "{}",
        text(&full.stderr)
    );
    let rows: Value = serde_json::from_slice(&after.stdout).unwrap();
    assert_eq!(
        rows.as_array().unwrap().len(),
        5,
        "the failed batch left nothing behind"
    );
    assert!(verify.status.success(), "{}", text(&verify.stdout));
}

#[test]
fn revisions_diffs_users_and_tokens_from_the_command_line() {
    let dir = scratch("lifecycle");
    let db = format!("sqlite:{}", dir.join("l.db").display());
    write_docs(&dir.join("docs"), 1, 1);
    assert!(
        debrief(&db, &["import", dir.join("docs").to_str().unwrap()])
            .status
            .success()
    );
    write_docs(&dir.join("docs"), 1, 2);
    assert!(
        debrief(&db, &["import", dir.join("docs").to_str().unwrap()])
            .status
            .success()
    );
    let id = revisions(&db).into_keys().next().unwrap();

    let revs = debrief(&db, &["revisions", &id, "--json"]);
    assert!(revs.status.success(), "{}", text(&revs.stderr));
    let revs: Value = serde_json::from_slice(&revs.stdout).unwrap();
    assert_eq!(revs.as_array().unwrap().len(), 2);
    assert_eq!(revs[1]["author"], "tests");
    let diff = text(&debrief(&db, &["diff", &id, "1", "2"]).stdout);
    assert!(
        diff.contains("-Qqmarker000") && diff.contains("(version 1)"),
        "{diff}"
    );
    assert!(
        diff.contains("+Qqmarker000") && diff.contains("(version 2)"),
        "{diff}"
    );
    let missing = debrief(&db, &["diff", &id, "1", "9"]);
    assert_eq!(missing.status.code(), Some(2));
    // Ids by a unique prefix, as git takes commits; the list has a header and a status column.
    let shown = debrief(&db, &["show", &id[..5]]);
    assert!(
        text(&shown.stdout).starts_with(&format!("{id} revision 2")),
        "{}",
        text(&shown.stdout)
    );
    let list = text(&debrief(&db, &["list"]).stdout);
    let header: Vec<&str> = list.lines().next().unwrap().split_whitespace().collect();
    assert_eq!(header, ["ID", "DATE", "SEV", "STATUS", "REV", "TITLE"]);
    assert!(list.lines().nth(1).unwrap().starts_with(&id));
    // Deleted, then back as it was.
    assert!(debrief(&db, &["delete", &id[..6]]).status.success());
    assert_eq!(debrief(&db, &["show", &id]).status.code(), Some(2));
    let back = debrief(&db, &["undelete", &id[..6]]);
    assert!(back.status.success(), "{}", text(&back.stderr));
    assert!(text(&debrief(&db, &["show", &id]).stdout).contains("revision 2"));

    let pw = dir.join("pw");
    std::fs::write(&pw, "correct horse battery staple").unwrap();
    let added = debrief(
        &db,
        &[
            "user",
            "add",
            "rita",
            "--role",
            "editor",
            "--password-file",
            pw.to_str().unwrap(),
        ],
    );
    assert!(added.status.success(), "{}", text(&added.stderr));
    let users = text(&debrief(&db, &["user", "list"]).stdout);
    assert!(
        users
            .lines()
            .any(|l| l.starts_with("rita") && l.contains("editor")),
        "{users}"
    );
    for label in ["laptop", "ci"] {
        let t = debrief(
            &db,
            &["token", "create", "--user", "rita", "--label", label],
        );
        assert!(t.status.success());
    }
    let tokens: Value =
        serde_json::from_slice(&debrief(&db, &["token", "list", "--json"]).stdout).unwrap();
    let ci = tokens
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["label"] == "ci")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let revoked = debrief(&db, &["token", "revoke", "--token", &ci[..10]]);
    assert!(revoked.status.success(), "{}", text(&revoked.stderr));
    assert!(text(&revoked.stdout).contains("revoked token"));
    let list = text(&debrief(&db, &["token", "list"]).stdout);
    let state = |label: &str| {
        list.lines()
            .find(|l| l.contains(label))
            .unwrap()
            .to_string()
    };
    assert!(state(" ci ").contains("revoked"), "{list}");
    assert!(state("laptop").contains("active"), "{list}");
    // Removing the user ends its tokens and its place in access lists.
    let removed = debrief(&db, &["user", "remove", "rita"]);
    assert!(removed.status.success(), "{}", text(&removed.stderr));
    assert!(!text(&debrief(&db, &["user", "list"]).stdout).contains("rita"));
    assert!(!text(&debrief(&db, &["token", "list"]).stdout).contains("laptop"));
    assert_eq!(
        debrief(&db, &["user", "remove", "rita"]).status.code(),
        Some(2)
    );
}
