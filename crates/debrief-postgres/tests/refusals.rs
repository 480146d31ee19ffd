use super::support::{base_url, block_on, fresh_db};
use debrief_store::{Store, StoreError};

#[test]
fn a_server_with_synchronous_commit_off_is_refused() {
    let Some(base) = base_url() else { return };
    block_on(async {
        let url = fresh_db(&base, "sync_off").await;
        let db = url
            .split('/')
            .nth(3)
            .unwrap()
            .split('?')
            .next()
            .unwrap()
            .to_string();
        let mut conn = <sqlx::PgConnection as sqlx::Connection>::connect(&base)
            .await
            .unwrap();
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "ALTER DATABASE {db} SET synchronous_commit = off"
        )))
        .execute(&mut conn)
        .await
        .unwrap();
        match debrief_postgres::connect(&url).await {
            Err(StoreError::Unavailable(m, _)) => {
                assert!(
                    m.contains("synchronous_commit=off") && m.contains("refuses"),
                    "{m}"
                )
            }
            Err(e) => panic!("wrong error: {e}"),
            Ok(_) => panic!("a server that can lose writes must be refused"),
        }
    });
}

#[test]
fn wrong_and_unreachable_urls_say_what_to_check() {
    block_on(async {
        let Err(e) = debrief_postgres::connect("postgres://nobody:pw@127.0.0.1:1/debrief").await
        else {
            panic!("nothing listens on port 1")
        };
        let m = e.to_string();
        assert!(
            m.contains("cannot reach PostgreSQL") || m.contains("timed out"),
            "{m}"
        );
        assert!(!m.contains("pw@"), "the password is not shown: {m}");
        let Err(e) = debrief_postgres::connect("postgres://[broken").await else {
            panic!("a malformed URL is refused")
        };
        assert!(
            matches!(e, StoreError::Invalid(_) | StoreError::Unavailable(..)),
            "{e}"
        );
    });
    let Some(base) = base_url() else { return };
    block_on(async {
        let missing = base.replace("/debrief?", "/no_such_database?");
        let Err(e) = debrief_postgres::connect(&missing).await else {
            panic!("no such database")
        };
        assert!(e.to_string().contains("does not exist"), "{e}");
    });
}

#[test]
fn a_statement_the_database_refuses_is_a_fault_not_an_outage() {
    let Some(base) = base_url() else { return };
    block_on(async {
        let url = fresh_db(&base, "refused").await;
        let store = debrief_postgres::connect(&url).await.unwrap();
        let mut conn = <sqlx::PgConnection as sqlx::Connection>::connect(&url)
            .await
            .unwrap();
        // A column renamed behind the store's back: every list now names one that is gone.
        sqlx::query("ALTER TABLE postmortems RENAME COLUMN title TO heading")
            .execute(&mut conn)
            .await
            .unwrap();
        match store.list(&Default::default()).await {
            Err(StoreError::Failed(m, Some(_))) => {
                assert!(m.contains("title") && m.contains("42703"), "{m}")
            }
            other => panic!("a refused statement is Failed, with its cause: {other:?}"),
        }
    });
}
