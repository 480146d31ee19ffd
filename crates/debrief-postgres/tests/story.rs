use std::sync::Arc;

use super::support::{base_url, block_on, fresh_db};
use debrief_store::Store;

#[test]
fn postgres_passes_the_conformance_story() {
    let Some(base) = base_url() else { return };
    block_on(async {
        let a: Arc<dyn Store> = Arc::new(
            debrief_postgres::connect(&fresh_db(&base, "story_a").await)
                .await
                .unwrap(),
        );
        let b: Arc<dyn Store> = Arc::new(
            debrief_postgres::connect(&fresh_db(&base, "story_b").await)
                .await
                .unwrap(),
        );
        debrief_store::story::run(a, b).await;
    });
}

#[test]
fn instances_starting_together_migrate_once() {
    let Some(base) = base_url() else { return };
    block_on(async {
        let url = fresh_db(&base, "migrate").await;
        let mut set = tokio::task::JoinSet::new();
        for _ in 0..6 {
            let u = url.clone();
            set.spawn(async move { debrief_postgres::connect(&u).await.map(|_| ()) });
        }
        while let Some(r) = set.join_next().await {
            r.unwrap().expect("every instance starts");
        }
        let mut conn = <sqlx::PgConnection as sqlx::Connection>::connect(&url)
            .await
            .unwrap();
        let (rows, versions): (i64, i64) =
            sqlx::query_as("SELECT COUNT(*), COUNT(DISTINCT version) FROM _sqlx_migrations")
                .fetch_one(&mut conn)
                .await
                .unwrap();
        let migrations = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations"))
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .unwrap()
                    .path()
                    .extension()
                    .is_some_and(|x| x == "sql")
            })
            .count() as i64;
        assert_eq!(
            (rows, versions),
            (migrations, migrations),
            "each migration applied once"
        );
    });
}
