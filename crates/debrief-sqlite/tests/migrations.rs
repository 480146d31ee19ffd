//! Migrations: a database from the migration runner Debrief used before sqlx's is adopted, not
//! migrated twice; a database newer than this Debrief is refused with what to do.

use sqlx::Connection;

use super::support::{block_on, scratch};
use debrief_store::{NewDocument, Store, StoreError};

async fn raw(path: &std::path::Path) -> sqlx::SqliteConnection {
    let opts = format!("sqlite:{}?mode=rwc", path.display());
    sqlx::SqliteConnection::connect(&opts).await.unwrap()
}

#[test]
fn a_database_from_the_earlier_migration_runner_is_adopted() {
    let dir = scratch("legacy");
    let path = dir.join("old.db");
    block_on(async {
        // What the earlier runner left: the first two migrations and its version table.
        let mut c = raw(&path).await;
        for sql in [
            include_str!("../migrations/0001_initial.sql"),
            include_str!("../migrations/0002_accounts.sql"),
        ] {
            sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
                .execute(&mut c)
                .await
                .unwrap();
        }
        sqlx::raw_sql(
            "CREATE TABLE debrief_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL); \
             INSERT INTO debrief_migrations VALUES (1, 'initial', '2026-01-01T00:00:00Z'), (2, 'accounts', '2026-01-01T00:00:00Z');",
        )
        .execute(&mut c)
        .await
        .unwrap();
        c.close().await.unwrap();

        let store = debrief_sqlite::open(&path)
            .await
            .expect("the old database opens");
        let doc = NewDocument {
            source: None,
            text: "## Summary\n\nThe cache was cold for 5 minutes.\n".into(),
            author: "t".into(),
            message: String::new(),
            record: None,
            identity: None,
            audit: None,
        };
        store.create(&doc).await.expect("and takes writes");
        store
            .check_write()
            .await
            .expect("the new health table is there");
        store.close().await.unwrap();

        let mut c = raw(&path).await;
        let versions: Vec<(i64, i64)> =
            sqlx::query_as("SELECT version, execution_time FROM _sqlx_migrations ORDER BY version")
                .fetch_all(&mut c)
                .await
                .unwrap();
        assert_eq!(
            versions.iter().map(|v| v.0).collect::<Vec<_>>(),
            [1, 2, 3, 4, 5, 6, 7, 8, 9]
        );
        assert!(
            versions[0].1 < 0 && versions[1].1 < 0,
            "1 and 2 recorded, not run: {versions:?}"
        );
        let legacy: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM sqlite_master WHERE name = 'debrief_migrations'",
        )
        .fetch_one(&mut c)
        .await
        .unwrap();
        assert_eq!(legacy, 0, "the old version table is gone");

        // A migration this Debrief does not know: refused, saying what to do.
        sqlx::query("INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) VALUES (99, 'future', TRUE, X'00', 0)")
            .execute(&mut c)
            .await
            .unwrap();
        c.close().await.unwrap();
        match debrief_sqlite::open(&path).await {
            Err(StoreError::Unavailable(m, _)) => assert!(m.contains("upgrade Debrief"), "{m}"),
            Err(e) => panic!("{e}"),
            Ok(_) => panic!("a newer schema was accepted"),
        }
    });
    let _ = std::fs::remove_dir_all(&dir);
}

/// The action items' sort keys that migration 5 adds are filled in for the items already
/// stored, as the store itself derives them for new ones.
#[test]
fn action_item_sort_keys_are_filled_in_for_existing_items() {
    let dir = scratch("keys");
    let path = dir.join("keys.db");
    block_on(async {
        let store = debrief_sqlite::open(&path).await.unwrap();
        let doc = NewDocument {
            source: None,
            text: "---\ntitle: Disk Full On Primary\ndate: 2024-05-02\n---\n\n## Action items\n\n- Alert on disk use (owner: @Dana, due: 2024-06-01)\n- Rotate logs hourly (due: next sprint)\n- Write a runbook\n".into(),
            author: "t".into(),
            message: String::new(),
            record: None,
            identity: None,
            audit: None,
        };
        store.create(&doc).await.unwrap();
        store.close().await.unwrap();
        let keys = "SELECT due_key, owner_sort, incident_date, title_key FROM action_items ORDER BY position";
        let mut c = raw(&path).await;
        let derived: Vec<(String, String, String, String)> =
            sqlx::query_as(keys).fetch_all(&mut c).await.unwrap();
        assert_eq!(
            derived,
            [
                ("2024-06-01", "dana", "2024-05-02", "disk full on primary"),
                ("~", "~", "2024-05-02", "disk full on primary"),
                ("~", "~", "2024-05-02", "disk full on primary"),
            ]
            .map(|(a, b, c, d)| (a.into(), b.into(), c.into(), d.into()))
        );
        // Back to the schema before migration 5, with the items in it.
        sqlx::raw_sql(
            "DROP INDEX action_items_by_due; DROP INDEX action_items_by_owner; DROP INDEX action_items_by_title; DROP INDEX postmortems_live_updated; DROP INDEX postmortems_live_oldest; \
             ALTER TABLE action_items DROP COLUMN due_key; ALTER TABLE action_items DROP COLUMN owner_sort; \
             ALTER TABLE action_items DROP COLUMN incident_date; ALTER TABLE action_items DROP COLUMN title_key; \
             CREATE INDEX action_items_by_owner ON action_items (owner_key); CREATE INDEX postmortems_date ON postmortems (date); \
             DELETE FROM _sqlx_migrations WHERE version = 5;",
        )
        .execute(&mut c)
        .await
        .unwrap();
        c.close().await.unwrap();
        debrief_sqlite::open(&path)
            .await
            .unwrap()
            .close()
            .await
            .unwrap();
        let mut c = raw(&path).await;
        let migrated: Vec<(String, String, String, String)> =
            sqlx::query_as(keys).fetch_all(&mut c).await.unwrap();
        assert_eq!(migrated, derived);
    });
    let _ = std::fs::remove_dir_all(&dir);
}

/// A database written before migration 6 (a `body` column read by an external-content FTS5
/// table, records and revision texts as plain text) keeps every postmortem readable, searchable
/// and verifiable; what is written afterwards is packed, and the search index follows edits.
#[test]
fn a_database_from_before_packed_texts_keeps_its_postmortems_and_search() {
    let dir = scratch("packed");
    let path = dir.join("before.db");
    let text = "---\ntitle: Quorum Lost On The Zookeeper Ensemble\ndate: 2024-03-02\n---\n\n## Summary\n\nThe ensemble lost quorum after a rolling restart; writes failed for 40 minutes.\n";
    block_on(async {
        let mut c = raw(&path).await;
        let source = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
        sqlx::migrate::Migrator::new(source.as_path())
            .await
            .unwrap()
            .run_to(5, &mut c)
            .await
            .unwrap();
        let record = debrief_store::parse_stored(text, None);
        let d = debrief_store::derive("pm-old", &record);
        let rev = debrief_store::Revision {
            postmortem_id: "pm-old".into(),
            number: 1,
            author: "t".into(),
            created_at: debrief_store::now(),
            message: String::new(),
            sha256: debrief_store::sha256_hex(text.as_bytes()),
            content: text.into(),
        };
        sqlx::query("INSERT INTO postmortems (id, created_at, current_revision, updated_at, title, date, services, body, record, record_sha256) VALUES ('pm-old', $1, 1, $1, $2, $3, '[]', $4, $5, $6)")
            .bind(rev.created_at)
            .bind(&d.title)
            .bind(&d.date)
            .bind(&d.body)
            .bind(&d.record_json)
            .bind(debrief_store::sha256_hex(d.record_json.as_bytes()))
            .execute(&mut c)
            .await
            .unwrap();
        sqlx::query("INSERT INTO revisions (postmortem_id, number, author, created_at, message, sha256, content, checksum) VALUES ('pm-old', 1, 't', $1, '', $2, $3, $4)")
            .bind(rev.created_at)
            .bind(&rev.sha256)
            .bind(&rev.content)
            .bind(rev.checksum())
            .execute(&mut c)
            .await
            .unwrap();
        c.close().await.unwrap();

        let store = debrief_sqlite::open(&path).await.unwrap();
        let search = |q: &str| {
            let q = debrief_store::SearchQuery::parse(q).unwrap();
            let store = &store;
            async move {
                store
                    .search(&q, &debrief_store::Filter::default())
                    .await
                    .unwrap()
            }
        };
        let hits = search("quorum").await;
        assert_eq!(hits.len(), 1, "the old index's entry moved to the new one");
        assert!(
            hits[0].snippet.contains("[quorum]"),
            "{:?}",
            hits[0].snippet
        );
        let stored = store.get("pm-old").await.unwrap();
        assert_eq!(
            stored.revision.content, text,
            "a plain-text revision reads as it is"
        );
        assert_eq!(
            stored.record.title.as_deref(),
            Some("Quorum Lost On The Zookeeper Ensemble")
        );
        let report = store.verify().await.unwrap();
        assert!(report.ok(), "{:?}", report.problems);

        let edited = text.replace("rolling restart", "kernel upgrade");
        let doc = NewDocument {
            source: None,
            text: edited.clone(),
            author: "t".into(),
            message: "cause corrected".into(),
            record: None,
            identity: None,
            audit: None,
        };
        store.update("pm-old", 1, &doc).await.unwrap();
        assert!(
            search("rolling").await.is_empty(),
            "the old text left the index"
        );
        assert_eq!(search("kernel").await.len(), 1);
        let history = store.get("pm-old").await.unwrap();
        assert_eq!(history.revision.content, edited);
        let report = store.verify().await.unwrap();
        assert!(report.ok(), "{:?}", report.problems);
        store.close().await.unwrap();

        let mut c = raw(&path).await;
        let kinds: Vec<(String, String)> = sqlx::query_as(
            "SELECT typeof(r.content), typeof(p.record) FROM revisions r JOIN postmortems p ON p.id = r.postmortem_id ORDER BY r.number",
        )
        .fetch_all(&mut c)
        .await
        .unwrap();
        assert_eq!(
            kinds,
            [("text", "blob"), ("blob", "blob")].map(|(a, b)| (a.to_string(), b.to_string())),
            "revision 1 stays as written, revision 2 and the record are packed"
        );
        c.close().await.unwrap();
    });
    let _ = std::fs::remove_dir_all(&dir);
}
