//! Faults that heal: a disk that fills up during writes, and is freed again.

use std::io::Write;
use std::process::Command;

use super::support::{block_on, scratch};
use debrief_store::{NewDocument, Store, StoreError};

fn doc(round: usize, i: usize) -> NewDocument {
    let filler: String = (0..300)
        .map(|k| format!("w{}r{round} ", k * 31 + i))
        .collect();
    NewDocument {
        source: None,
        text: format!("## Summary\n\nRound {round} write {i}: {filler}\n"),
        author: "faults".into(),
        message: String::new(),
        record: None,
        identity: None,
        audit: None,
    }
}

/// Fills what is left of the file system with one file; returns it.
fn fill(dir: &std::path::Path) -> std::path::PathBuf {
    let path = dir.join("filler");
    let mut f = std::fs::File::create(&path).unwrap();
    let chunk = vec![0u8; 4096];
    while f.write_all(&chunk).is_ok() {}
    let _ = f.sync_all();
    path
}

#[test]
fn writes_succeed_again_once_a_full_disk_has_room() {
    let dir = scratch("full-rounds");
    let mnt = dir.join("mnt");
    std::fs::create_dir_all(&mnt).unwrap();
    let mounted = Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=32m", "tmpfs"])
        .arg(&mnt)
        .status()
        .is_ok_and(|s| s.success());
    if !mounted {
        assert!(
            std::env::var_os("DEBRIEF_REQUIRE_ALL").is_none(),
            "cannot mount a small tmpfs (needs root); the test command runs as root"
        );
        println!("skipped: cannot mount a tmpfs to fill (not root)");
        return;
    }
    let result = std::panic::catch_unwind(|| {
        block_on(async {
            let store = debrief_sqlite::open(&mnt.join("d.db")).await.unwrap();
            let mut acknowledged = Vec::new();
            let mut refused_while_full = 0;
            for round in 0..10 {
                let filler = fill(&mnt);
                // Write until the disk says no (a few may still fit in free pages).
                let mut failed = false;
                for i in 0..200 {
                    match store.create(&doc(round, i)).await {
                        Ok(s) => acknowledged.push(s.id),
                        Err(StoreError::Unavailable(m, _)) => {
                            assert!(m.contains("disk is full"), "{m}");
                            failed = true;
                            refused_while_full += 1;
                            break;
                        }
                        Err(e) => panic!("round {round}: {e}"),
                    }
                }
                assert!(failed, "round {round}: the full disk never refused a write");
                std::fs::remove_file(&filler).unwrap();
                // Every write after space is freed succeeds, on every connection of the pool.
                for i in 200..210 {
                    let s = store
                        .create(&doc(round, i))
                        .await
                        .unwrap_or_else(|e| panic!("round {round}, write {i} after freeing: {e}"));
                    acknowledged.push(s.id);
                }
                store
                    .check_write()
                    .await
                    .expect("the write path is healthy again");
            }
            for id in &acknowledged {
                store.get(id).await.expect("an acknowledged write is there");
            }
            let report = store.verify().await.unwrap();
            assert!(report.ok(), "{:?}", report.problems);
            println!(
                "10 rounds: {} writes acknowledged and kept, {refused_while_full} refused while full",
                acknowledged.len()
            );
            store.close().await.unwrap();
        })
    });
    let _ = Command::new("umount").arg(&mnt).status();
    let _ = std::fs::remove_dir_all(&dir);
    if let Err(p) = result {
        std::panic::resume_unwind(p);
    }
}

/// Flips one bit in a random block of the full-text index's own pages.
async fn flip_search_block(path: &std::path::Path, rng: &mut debrief_core::synthetic::Rng) {
    use sqlx::{Connection, Row};
    let url = format!("sqlite:{}", path.display());
    let mut c = sqlx::SqliteConnection::connect(&url).await.unwrap();
    let blocks = sqlx::query("SELECT id, length(block) FROM search_data WHERE id > 10")
        .fetch_all(&mut c)
        .await
        .unwrap();
    let row = &blocks[(rng.next_u64() % blocks.len() as u64) as usize];
    let (id, len): (i64, i64) = (row.get(0), row.get(1));
    let mut block: Vec<u8> = sqlx::query_scalar("SELECT block FROM search_data WHERE id = $1")
        .bind(id)
        .fetch_one(&mut c)
        .await
        .unwrap();
    let at = (rng.next_u64() % len as u64) as usize;
    block[at] ^= 1 << (rng.next_u64() % 8);
    sqlx::query("UPDATE search_data SET block = $1 WHERE id = $2")
        .bind(block)
        .bind(id)
        .execute(&mut c)
        .await
        .unwrap();
    c.close().await.unwrap();
}

/// What the index answers: for every term it holds, the rows that match it.
async fn answers(path: &std::path::Path) -> Vec<(String, Vec<i64>)> {
    use sqlx::Connection;
    let mut c = sqlx::SqliteConnection::connect(&format!("sqlite:{}", path.display()))
        .await
        .unwrap();
    sqlx::query("CREATE VIRTUAL TABLE temp.vocab USING fts5vocab(main, search, row)")
        .execute(&mut c)
        .await
        .unwrap();
    let terms: Vec<String> = sqlx::query_scalar("SELECT term FROM temp.vocab")
        .fetch_all(&mut c)
        .await
        .unwrap();
    let mut out = Vec::new();
    for t in terms {
        let quoted = format!("\"{}\"", t.replace('"', "\"\""));
        let rows: Vec<i64> =
            sqlx::query_scalar("SELECT rowid FROM search WHERE search MATCH $1 ORDER BY rowid")
                .bind(quoted)
                .fetch_all(&mut c)
                .await
                .unwrap_or_default();
        out.push((t, rows));
    }
    c.close().await.unwrap();
    out
}

#[test]
fn damage_inside_the_search_index_is_found_and_repaired() {
    let dir = scratch("search-flips");
    let base = dir.join("base.db");
    block_on(async {
        let store = debrief_sqlite::open(&base).await.unwrap();
        let mut rng = debrief_core::synthetic::Rng(7);
        let docs: Vec<NewDocument> = (0..300)
            .map(|i| NewDocument {
                source: None,
                text: debrief_core::synthetic::library_document(&mut rng, i),
                author: "flips".into(),
                message: String::new(),
                record: None,
                identity: None,
                audit: None,
            })
            .collect();
        store.import(&docs).await.unwrap();
        store.close().await.unwrap();

        let query = debrief_store::SearchQuery::parse("INC-42").unwrap();
        let before = answers(&base).await;
        let mut rng = debrief_core::synthetic::Rng(11);
        let (mut found, mut repaired, mut unseen_but_harmless) = (0, 0, 0);
        let trials = 50;
        for t in 0..trials {
            let path = dir.join(format!("t{t}.db"));
            std::fs::copy(&base, &path).unwrap();
            flip_search_block(&path, &mut rng).await;
            let store = debrief_sqlite::open(&path).await.unwrap();
            let report = store.verify().await.unwrap();
            if report
                .problems
                .iter()
                .any(|p| p.starts_with("search index"))
            {
                found += 1;
            } else {
                // A flip verify does not see must not change what the index answers.
                store.close().await.unwrap();
                let after = answers(&path).await;
                unseen_but_harmless += usize::from(after == before);
            }
            let store = debrief_sqlite::open(&path).await.unwrap();
            store.rebuild_search().await.unwrap();
            let report = store.verify().await.unwrap();
            if report.ok() {
                repaired += 1;
            }
            let hits = store
                .search(&query, &debrief_store::Filter::default())
                .await
                .unwrap();
            assert_eq!(hits.len(), 1, "trial {t}: search works after the repair");
            store.close().await.unwrap();
            std::fs::remove_file(&path).unwrap();
        }
        println!(
            "{found} of {trials} bit flips in the search index found by verify; {unseen_but_harmless} of the other {} change no term's matches; {repaired} repaired",
            trials - found
        );
        // FTS5's check compares the index, read end to end, with the rows it indexes; a flip it
        // does not see must leave every term's matches as they were.
        assert_eq!(
            found + unseen_but_harmless,
            trials,
            "a flip changed answers unseen"
        );
        assert_eq!(repaired, trials);
    });
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_statement_the_database_refuses_is_a_fault_not_an_outage() {
    let dir = scratch("refused");
    let path = dir.join("d.db");
    block_on(async {
        let store = debrief_sqlite::open(&path).await.unwrap();
        store.create(&doc(0, 0)).await.unwrap();
        // A column renamed behind the store's back: every list now names one that is gone.
        let mut conn = <sqlx::SqliteConnection as sqlx::Connection>::connect(&format!(
            "sqlite://{}",
            path.display()
        ))
        .await
        .unwrap();
        sqlx::query("ALTER TABLE postmortems RENAME COLUMN title TO heading")
            .execute(&mut conn)
            .await
            .unwrap();
        match store.list(&Default::default()).await {
            Err(StoreError::Failed(m, Some(_))) => {
                assert!(m.contains("title") && m.contains("d.db"), "{m}")
            }
            other => panic!("a refused statement is Failed, with its cause: {other:?}"),
        }
    });
    let _ = std::fs::remove_dir_all(&dir);
}
