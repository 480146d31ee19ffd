//! What must survive: a writer killed with SIGKILL mid-write loses nothing it acknowledged;
//! damaged, locked or missing files give clear errors.

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use super::support::{block_on, scratch};
use debrief_store::{NewDocument, Store, StoreError};

/// The child half of the crash test: writes from several tasks until killed (so that writes
/// are committed in groups), each followed by an audit row as the server appends one, printing
/// `ack ID REVISION SHA` after each write the store acknowledged. Run only by the parent.
#[test]
#[ignore = "run by sigkill_during_writes_loses_no_acknowledged_write"]
fn crash_child_writer() {
    let Some(path) = std::env::var_os("DEBRIEF_CRASH_DB") else {
        return;
    };
    let out = Arc::new(Mutex::new(std::io::stdout()));
    block_on(async move {
        let store = Arc::new(
            debrief_sqlite::open(std::path::Path::new(&path))
                .await
                .unwrap(),
        );
        let mut set = tokio::task::JoinSet::new();
        for w in 0..8 {
            let (store, out) = (Arc::clone(&store), Arc::clone(&out));
            set.spawn(async move {
                let mut mine: Vec<(String, i64)> = Vec::new();
                for i in 0u64.. {
                    let text = format!(
                        "## Summary\n\nWriter {w} write {i}: the checkout service failed for {i} minutes.\n\n## Timeline\n\n- 10:{:02} UTC errors rise\n",
                        i % 60
                    );
                    let doc = NewDocument { source: None, text, author: format!("w{w}"), message: format!("write {i}"), record: None, identity: None , audit: None};
                    // Every third write updates one of this writer's postmortems.
                    let saved = match mine.last().cloned() {
                        Some((id, rev)) if i % 3 == 2 => store.update(&id, rev, &doc).await,
                        _ => store.create(&doc).await,
                    };
                    let s = saved.expect("write");
                    let entry = debrief_store::AuditEntry {
                        actor: format!("w{w}"),
                        action: "postmortem.save".into(),
                        target: s.id.clone(),
                        outcome: "ok".into(),
                        remote: "local".into(),
                        detail: format!("revision {}", s.revision),
                    };
                    store.audit(&entry).await.expect("audit");
                    let sha = debrief_store::sha256_hex(doc.text.as_bytes());
                    if let Some(last) = mine.iter_mut().find(|m| m.0 == s.id) {
                        last.1 = s.revision;
                    } else {
                        mine.push((s.id.clone(), s.revision));
                    }
                    let mut o = out.lock().unwrap();
                    writeln!(o, "ack {} {} {sha}", s.id, s.revision).unwrap();
                    o.flush().unwrap();
                }
            });
        }
        while set.join_next().await.is_some() {}
    });
}

fn random_millis(lo: u64, hi: u64) -> u64 {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .subsec_nanos() as u64;
    lo + (nanos ^ (nanos >> 7)) % (hi - lo)
}

#[test]
fn sigkill_during_writes_loses_no_acknowledged_write() {
    let rounds = if std::env::var_os("DEBRIEF_LONG").is_some() {
        50
    } else {
        5
    };
    let dir = scratch("crash");
    let db = dir.join("crash.db");
    let mut total = 0;
    for round in 1..=rounds {
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                "safety::crash_child_writer",
                "--ignored",
                "--nocapture",
                "--test-threads=1",
            ])
            .env("DEBRIEF_CRASH_DB", &db)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let reader = std::thread::spawn(move || {
            BufReader::new(stdout)
                .lines()
                .map_while(Result::ok)
                .filter_map(|l| {
                    let mut p = l.strip_prefix("ack ")?.split(' ');
                    Some((
                        p.next()?.to_string(),
                        p.next()?.parse::<i64>().ok()?,
                        p.next()?.to_string(),
                    ))
                })
                .collect::<Vec<_>>()
        });
        // Let it write for a while, then kill it without warning (SIGKILL).
        std::thread::sleep(Duration::from_millis(random_millis(300, 900)));
        child.kill().unwrap();
        child.wait().unwrap();
        let acked = reader.join().unwrap();
        assert!(
            !acked.is_empty(),
            "round {round}: the child acknowledged nothing; did it start?"
        );
        block_on(async {
            let store = debrief_sqlite::open(&db)
                .await
                .expect("reopen after SIGKILL");
            for (id, rev, sha) in &acked {
                let r = store.revision(id, *rev).await.unwrap_or_else(|e| {
                    panic!("round {round}: acknowledged {id} revision {rev} is missing: {e}")
                });
                assert_eq!(
                    &r.sha256, sha,
                    "round {round}: {id} revision {rev} is not whole"
                );
                assert!(r.content_intact());
            }
            let report = store.verify().await.unwrap();
            assert!(report.ok(), "round {round}: {:?}", report.problems);
            let audit = debrief_store::verify_audit(&store.audit_log().await.unwrap());
            assert!(audit.is_empty(), "round {round}: {audit:?}");
        });
        total += acked.len();
        println!(
            "crash round {round}: killed after {} acknowledged writes; all present and whole, integrity check passed",
            acked.len()
        );
    }
    println!("crash safety: {rounds} rounds, {total} acknowledged writes checked");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn damaged_locked_and_missing_files_give_clear_errors() {
    let dir = scratch("bad");
    block_on(async {
        // Not a database at all.
        let junk = dir.join("junk.db");
        std::fs::write(&junk, vec![0x42u8; 8192]).unwrap();
        match debrief_sqlite::open(&junk).await {
            Err(StoreError::Corrupt(m, _)) => assert!(
                m.contains("damaged or is not a Debrief database") && m.contains("backup"),
                "{m}"
            ),
            Err(e) => panic!("wrong error for a junk file: {e}"),
            Ok(_) => panic!("a junk file must not open"),
        }
        assert_eq!(
            std::fs::read(&junk).unwrap(),
            vec![0x42u8; 8192],
            "the file is left untouched"
        );

        // Missing, for commands that must not create it.
        let Err(e) = debrief_sqlite::open_existing(&dir.join("missing.db")).await else {
            panic!("missing file")
        };
        assert!(e.to_string().contains("no such database file"), "{e}");

        // A directory that cannot be created.
        let blocked = dir.join("file-not-dir");
        std::fs::write(&blocked, b"x").unwrap();
        let Err(e) = debrief_sqlite::open(&blocked.join("x.db")).await else {
            panic!("cannot create under a file")
        };
        assert!(e.to_string().contains("cannot create the directory"), "{e}");

        // Locked by another writer: a clear error after the busy timeout, and no partial write.
        let path = dir.join("locked.db");
        let store = debrief_sqlite::open(&path).await.unwrap();
        let mut holder = <sqlx::SqliteConnection as sqlx::Connection>::connect(&format!(
            "sqlite:{}",
            path.display()
        ))
        .await
        .unwrap();
        sqlx::query("BEGIN EXCLUSIVE")
            .execute(&mut holder)
            .await
            .unwrap();
        let doc = NewDocument {
            source: None,
            text: "## Summary\n\nx\n".into(),
            author: "t".into(),
            message: String::new(),
            record: None,
            identity: None,
            audit: None,
        };
        let started = std::time::Instant::now();
        match store.create(&doc).await {
            Err(StoreError::Busy(m)) => assert!(
                m.contains("locked by another process") || m.contains("timed out"),
                "{m}"
            ),
            other => panic!("a locked database must be reported: {other:?}"),
        }
        assert!(
            started.elapsed() >= Duration::from_secs(5),
            "it waited for the lock first"
        );
        sqlx::query("ROLLBACK").execute(&mut holder).await.unwrap();
        assert!(
            store.list(&Default::default()).await.unwrap().is_empty(),
            "nothing was half written"
        );
    });
    let _ = std::fs::remove_dir_all(&dir);
}

/// Writes at the same moment are committed together, each in a savepoint of its own: every
/// caller gets its own answer, and one that fails (an empty document, a stale base) takes only
/// itself back.
#[test]
fn writes_committed_together_are_answered_one_by_one() {
    let dir = scratch("group");
    block_on(async {
        let store = Arc::new(debrief_sqlite::open(&dir.join("g.db")).await.unwrap());
        let doc = |text: String| NewDocument {
            source: None,
            text,
            author: "g".into(),
            message: String::new(),
            record: None,
            identity: None,
            audit: None,
        };
        let first = store
            .create(&doc("## Summary\n\nThe queue stalled.\n".into()))
            .await
            .unwrap();
        let mut set = tokio::task::JoinSet::new();
        for i in 0..60usize {
            let (store, id) = (Arc::clone(&store), first.id.clone());
            let text = match i % 4 {
                0 => format!("## Summary\n\nThe cache node {i} restarted for {i} minutes.\n"),
                1 => " \n".into(),
                _ => format!("## Summary\n\nThe queue stalled; edit {i}.\n"),
            };
            let d = doc(text);
            set.spawn(async move {
                let answer = match i % 4 {
                    0 | 1 => store.create(&d).await.map(|s| s.id),
                    // From the same base: one of these wins, the rest are conflicts.
                    2 => store.update(&id, 1, &d).await.map(|s| s.id),
                    _ => store
                        .audit(&debrief_store::AuditEntry {
                            actor: "g".into(),
                            action: format!("a{i}"),
                            target: id.clone(),
                            outcome: "ok".into(),
                            remote: "local".into(),
                            detail: String::new(),
                        })
                        .await
                        .map(|()| String::new()),
                };
                (i, answer)
            });
        }
        let (mut created, mut updated, mut conflicts) = (0, 0, 0);
        let mut winner = None;
        while let Some(r) = set.join_next().await {
            let (i, answer) = r.unwrap();
            match (i % 4, answer) {
                (0, Ok(_)) => created += 1,
                (1, Err(StoreError::Invalid(_))) => {}
                (2, Ok(_)) => {
                    updated += 1;
                    winner = Some(i);
                }
                (2, Err(StoreError::Conflict { .. })) => conflicts += 1,
                (3, Ok(_)) => {}
                (k, other) => panic!("write {i} (kind {k}): {other:?}"),
            }
        }
        assert_eq!((created, updated, conflicts), (15, 1, 14));
        let listed = store.list(&debrief_store::Filter::default()).await.unwrap();
        assert_eq!(
            listed.len(),
            16,
            "every create, and nothing of the failed ones"
        );
        assert_eq!(
            store.revisions(&first.id, None, 100).await.unwrap().len(),
            2
        );
        let log = store.audit_log().await.unwrap();
        assert_eq!(log.len(), 15);
        assert!(debrief_store::verify_audit(&log).is_empty());
        let report = store.verify().await.unwrap();
        assert!(report.ok(), "{:?}", report.problems);
        // The search index holds what was committed: the winning edit, not the ones taken back.
        let found = |words: String| {
            let store = Arc::clone(&store);
            async move {
                let q = debrief_store::SearchQuery::parse(&words).unwrap();
                store.search(&q, &Default::default()).await.unwrap()
            }
        };
        assert_eq!(found("cache node".into()).await.len(), 15);
        for i in (2..60).step_by(4) {
            let hits = found(format!("\"edit {i}\"")).await;
            assert_eq!(hits.len(), usize::from(Some(i) == winner), "edit {i}");
        }
    });
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn an_edited_or_deleted_audit_row_is_found() {
    let dir = scratch("audit");
    block_on(async {
        let path = dir.join("a.db");
        let store = debrief_sqlite::open(&path).await.unwrap();
        for k in 0..4 {
            let e = debrief_store::AuditEntry {
                actor: "ada".into(),
                action: format!("a{k}"),
                target: "t".into(),
                outcome: "ok".into(),
                remote: "local".into(),
                detail: String::new(),
            };
            store.audit(&e).await.unwrap();
        }
        assert!(debrief_store::verify_audit(&store.audit_log().await.unwrap()).is_empty());
        let mut conn = <sqlx::SqliteConnection as sqlx::Connection>::connect(&format!(
            "sqlite:{}",
            path.display()
        ))
        .await
        .unwrap();
        sqlx::query("UPDATE audit SET actor = 'mallory' WHERE seq = 2")
            .execute(&mut conn)
            .await
            .unwrap();
        let problems = debrief_store::verify_audit(&store.audit_log().await.unwrap());
        assert!(
            problems
                .iter()
                .any(|p| p.contains("row 2") && p.contains("edited")),
            "{problems:?}"
        );
        sqlx::query("UPDATE audit SET actor = 'ada' WHERE seq = 2")
            .execute(&mut conn)
            .await
            .unwrap();
        sqlx::query("DELETE FROM audit WHERE seq = 3")
            .execute(&mut conn)
            .await
            .unwrap();
        let problems = debrief_store::verify_audit(&store.audit_log().await.unwrap());
        assert!(
            problems.iter().any(|p| p.contains("deleted")),
            "{problems:?}"
        );
    });
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn store_errors_keep_the_drivers_error_as_their_source() {
    let dir = scratch("source");
    let path = dir.join("not-a-db.db");
    std::fs::write(
        &path,
        b"this is not a database file, just some text ".repeat(200),
    )
    .unwrap();
    block_on(async {
        match debrief_sqlite::open(&path).await {
            Err(e @ StoreError::Corrupt(..)) => {
                let source = std::error::Error::source(&e).expect("the driver's error is kept");
                assert!(source.to_string().contains("not a database"), "{source}");
                assert!(e.to_string().contains("restore it from a backup"), "{e}");
            }
            Err(e) => panic!("{e}"),
            Ok(_) => panic!("a text file opened as a database"),
        }
    });
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn verify_reads_the_library_in_parts_and_finds_damage_in_each() {
    let dir = scratch("verify-parts");
    block_on(async {
        let path = dir.join("v.db");
        let store = debrief_sqlite::open(&path).await.unwrap();
        // More postmortems than verify reads at a time (1,000): three parts.
        let docs: Vec<NewDocument> = (0..2500)
            .map(|i| NewDocument {
                source: Some(format!("parts/{i:04}.md")),
                text: format!("# Outage {i:04}\n\n## Summary\n\nThe gizmo{i:04} service failed.\n"),
                author: "parts".into(),
                message: String::new(),
                record: None,
                identity: None,
                audit: None,
            })
            .collect();
        let saved = store.import(&docs).await.unwrap();
        let report = store.verify().await.unwrap();
        assert!(report.ok(), "{:?}", report.problems);
        assert_eq!((report.postmortems, report.revisions), (2500, 2500));
        let mut conn = <sqlx::SqliteConnection as sqlx::Connection>::connect(&format!(
            "sqlite:{}",
            path.display()
        ))
        .await
        .unwrap();
        // One damage in each part: a revision's content, a derived column, the search index.
        let (first, second, third) = (&saved[100].id, &saved[1500].id, &saved[2400].id);
        sqlx::query(
            "UPDATE revisions SET content = CAST('# Tampered' AS BLOB) WHERE postmortem_id = $1",
        )
        .bind(first)
        .execute(&mut conn)
        .await
        .unwrap();
        sqlx::query("UPDATE postmortems SET title = 'Tampered' WHERE id = $1")
            .bind(second)
            .execute(&mut conn)
            .await
            .unwrap();
        sqlx::query("DELETE FROM search WHERE rowid = (SELECT seq FROM postmortems WHERE id = $1)")
            .bind(third)
            .execute(&mut conn)
            .await
            .unwrap();
        let report = store.verify().await.unwrap();
        let p = &report.problems;
        assert!(
            p.iter()
                .any(|m| m.starts_with(&format!("{first} revision 1: the content"))),
            "{p:?}"
        );
        assert!(p.iter().any(|m| m.starts_with(second.as_str())), "{p:?}");
        assert!(
            p.iter()
                .any(|m| m.starts_with("search index: its terms differ")),
            "{p:?}"
        );
        assert_eq!((report.postmortems, report.revisions), (2500, 2500));
    });
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn verify_reads_the_search_index_another_handle_rewrote() {
    use debrief_store::{Filter, SearchQuery};
    let dir = scratch("stale-search");
    block_on(async {
        let path = dir.join("s.db");
        let a = debrief_sqlite::open(&path).await.unwrap();
        // A transaction each: the search index in several segments.
        for i in 0..6 {
            a.create(&NewDocument {
                source: None,
                text: format!("# Disk {i}\n\n## Summary\n\nThe disk filled up on host {i}.\n"),
                author: "t".into(),
                message: String::new(),
                record: None,
                identity: None,
                audit: None,
            })
            .await
            .unwrap();
        }
        // A search leaves this handle's connection holding the index's layout as it was.
        let hits = a
            .search(&SearchQuery::parse("disk").unwrap(), &Filter::default())
            .await
            .unwrap();
        assert_eq!(hits.len(), 6);
        // Another process rebuilds the index: those segments are gone.
        let b = debrief_sqlite::open(&path).await.unwrap();
        b.rebuild_search().await.unwrap();
        b.close().await.unwrap();
        let report = a.verify().await.unwrap();
        assert!(report.problems.is_empty(), "{:?}", report.problems);
        a.close().await.unwrap();
    });
    let _ = std::fs::remove_dir_all(&dir);
}
