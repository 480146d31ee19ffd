//! A fresh database per test on the cluster the test command started.

use std::sync::atomic::{AtomicUsize, Ordering};

use sqlx::{AssertSqlSafe, Connection, PgConnection};

/// The cluster's URL, or `None` (after saying why) when no cluster was given.
pub fn base_url() -> Option<String> {
    match std::env::var("DEBRIEF_TEST_POSTGRES_URL") {
        Ok(u) => Some(u),
        Err(_) => {
            assert!(
                std::env::var_os("DEBRIEF_REQUIRE_ALL").is_none(),
                "DEBRIEF_TEST_POSTGRES_URL is not set; run the tests through scripts/test, which starts PostgreSQL"
            );
            println!(
                "skipped: DEBRIEF_TEST_POSTGRES_URL is not set (scripts/test starts a throwaway PostgreSQL)"
            );
            None
        }
    }
}

/// Creates an empty database and returns its URL.
pub async fn fresh_db(base: &str, name: &str) -> String {
    static N: AtomicUsize = AtomicUsize::new(0);
    let db = format!(
        "t{}_{}_{name}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    );
    let mut conn = PgConnection::connect(base).await.unwrap();
    sqlx::query(AssertSqlSafe(format!("CREATE DATABASE {db}")))
        .execute(&mut conn)
        .await
        .unwrap();
    let (head, tail) = base
        .split_once("/debrief")
        .expect("the test URL names the database debrief");
    format!("{head}/{db}{tail}")
}

pub fn block_on<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
        .block_on(f)
}
