use std::sync::Arc;

use super::support::{block_on, document, scratch};
use debrief_store::Store;

#[test]
fn sqlite_passes_the_conformance_story() {
    let dir = scratch("story");
    block_on(async {
        let a: Arc<dyn Store> = Arc::new(debrief_sqlite::open(&dir.join("a.db")).await.unwrap());
        let b: Arc<dyn Store> = Arc::new(debrief_sqlite::open(&dir.join("b.db")).await.unwrap());
        debrief_store::story::run(a, b).await;
    });
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_generation_changes_with_everything_a_list_shows_whoever_writes_it() {
    use debrief_store::{Filter, SearchQuery, StoreError};
    let dir = scratch("generation");
    block_on(async {
        let path = dir.join("g.db");
        let a: Arc<dyn Store> = Arc::new(debrief_sqlite::open(&path).await.unwrap());
        // Another process's handle on the same file.
        let b: Arc<dyn Store> = Arc::new(debrief_sqlite::open(&path).await.unwrap());
        let doc = document;
        async fn generation(s: &dyn Store) -> i64 {
            s.generation().await.unwrap().expect("SQLite keeps one")
        }
        let mut last = generation(&*a).await;
        macro_rules! changed {
            ($what:expr) => {{
                let (seen_a, seen_b) = (generation(&*a).await, generation(&*b).await);
                assert_eq!(seen_a, seen_b, "both handles read one number");
                assert!(seen_a > last, "{} left it at {last}", $what);
                last = seen_a;
            }};
        }
        let id = a
            .create(&doc(
                "# Kelvin outage\n\n## Summary\n\nThe kelvin pool ran dry.\n",
            ))
            .await
            .unwrap()
            .id;
        changed!("create by a");
        b.update(
            &id,
            1,
            &doc("# Kelvin outage\n\n## Summary\n\nKelvin, again.\n"),
        )
        .await
        .unwrap();
        changed!("update by b");
        b.set_access(&id, true, &[]).await.unwrap();
        changed!("restricting by b");
        b.delete(&id, "t").await.unwrap();
        changed!("delete by b");
        a.undelete(&id).await.unwrap();
        changed!("undelete by a");
        a.rebuild_search().await.unwrap();
        changed!("rebuilding the search index by a");

        // Reading, and a write refused, change nothing.
        let q = SearchQuery::parse("kelvin").unwrap();
        a.list(&Filter::default()).await.unwrap();
        a.search(&q, &Filter::default()).await.unwrap();
        a.get(&id).await.unwrap();
        assert!(matches!(
            a.update(&id, 1, &doc("# Stale\n")).await,
            Err(StoreError::Conflict { .. })
        ));
        assert_eq!(generation(&*a).await, last);
    });
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn an_index_written_before_the_search_text_changed_is_rebuilt_when_the_store_opens() {
    use debrief_store::{Filter, SearchQuery};
    use sqlx::Connection;
    let dir = scratch("search-rebuild");
    block_on(async {
        let path = dir.join("r.db");
        let a = debrief_sqlite::open(&path).await.unwrap();
        a.create(&document(
            "# Kelvin outage\n\n## Summary\n\nThe kelvin pool ran dry.\n",
        ))
        .await
        .unwrap();
        a.close().await.unwrap();
        // As a database made before a migration that changed the search text: an index that
        // no longer holds what the records derive, and the rebuild that migration asks for.
        let url = format!("sqlite://{}", path.display());
        let mut c = sqlx::SqliteConnection::connect(&url).await.unwrap();
        sqlx::raw_sql(
            "INSERT INTO search (search) VALUES ('delete-all'); INSERT INTO search_rebuild (reason) VALUES ('test')",
        )
        .execute(&mut c)
        .await
        .unwrap();
        c.close().await.unwrap();

        let b = debrief_sqlite::open(&path).await.unwrap();
        let hits = b
            .search(&SearchQuery::parse("kelvin").unwrap(), &Filter::default())
            .await
            .unwrap();
        assert_eq!(hits.len(), 1);
        let report = b.verify().await.unwrap();
        assert!(report.problems.is_empty(), "{:?}", report.problems);
        b.close().await.unwrap();
        // Done once: the request is gone.
        let mut c = sqlx::SqliteConnection::connect(&url).await.unwrap();
        let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM search_rebuild")
            .fetch_one(&mut c)
            .await
            .unwrap();
        assert_eq!(left, 0);
    });
    let _ = std::fs::remove_dir_all(&dir);
}
