//! The embedded default: a [`Store`] on one SQLite file.
//!
//! The file is opened in WAL mode with `synchronous=FULL` (a write is on disk when it is
//! acknowledged), foreign keys on and a busy timeout; the settings are read back and checked at
//! start, so a build or a file that silently ignores one is refused. Writes run in `BEGIN
//! IMMEDIATE` transactions: the write lock is taken before anything is read, so a read-then-write
//! cannot lose to a concurrent writer. Migrations live in `migrations/` and run at open.

#![forbid(unsafe_code)]

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use debrief_store::{
    ActionFilter, ActionRow, Dump, Filter, Fut, NewDocument, Outcome, PostmortemRow, Revision,
    SCHEMA_VERSION, Saved, SearchHit, Store, StoreError, Stored, StoredDerived, Summary,
    VerifyReport,
};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteRow, SqliteSynchronous,
};
use sqlx::{AssertSqlSafe, Row, Sqlite, SqlitePool, Transaction};

const MIGRATIONS: &[(i64, &str, &str)] =
    &[(1, "initial", include_str!("../migrations/0001_initial.sql"))];

pub struct SqliteStore {
    pool: SqlitePool,
    path: PathBuf,
}

/// Turns a sqlx error into what a user can act on.
fn err(path: &Path, e: sqlx::Error) -> StoreError {
    let shown = path.display();
    if let Some(db) = e.as_database_error() {
        let code = db.code().and_then(|c| c.parse::<i32>().ok()).unwrap_or(0);
        // Primary result codes live in the low byte of the extended code.
        return match code & 0xff {
            5 | 6 => StoreError::Unavailable(format!(
                "{shown}: the database is locked by another process; wait for it to finish or stop it"
            )),
            11 | 26 => StoreError::Corrupt(format!(
                "{shown}: the file is damaged or is not a Debrief database ({}); restore it from a backup with `debrief backup drill FILE --into sqlite:NEW.db`",
                db.message()
            )),
            13 => StoreError::Unavailable(format!(
                "{shown}: the disk is full; nothing was written. Free space and try again"
            )),
            14 => StoreError::Unavailable(format!(
                "{shown}: cannot open the database file; check that the directory exists and is writable"
            )),
            8 => StoreError::Unavailable(format!(
                "{shown}: the database is read-only; check the file's permissions"
            )),
            10 => StoreError::Unavailable(format!(
                "{shown}: disk I/O error ({}); check the disk",
                db.message()
            )),
            _ => StoreError::Unavailable(format!("{shown}: {}", db.message())),
        };
    }
    match e {
        sqlx::Error::PoolTimedOut => StoreError::Unavailable(format!(
            "{shown}: timed out waiting for the database; another process may hold a lock"
        )),
        other => StoreError::Unavailable(format!("{shown}: {other}")),
    }
}

impl SqliteStore {
    /// Opens (creating if needed) the database at `path`, checks its settings and migrates it.
    pub async fn open(path: &Path) -> Result<SqliteStore, StoreError> {
        Self::open_with(path, true).await
    }

    /// Opens an existing database without creating it (for `verify`: a missing file is an error).
    pub async fn open_existing(path: &Path) -> Result<SqliteStore, StoreError> {
        if !path.is_file() {
            return Err(StoreError::NotFound(format!(
                "{}: no such database file; check the path (or import something first)",
                path.display()
            )));
        }
        Self::open_with(path, false).await
    }

    async fn open_with(path: &Path, create: bool) -> Result<SqliteStore, StoreError> {
        if create
            && let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty())
            && !dir.is_dir()
        {
            std::fs::create_dir_all(dir).map_err(|e| {
                StoreError::Unavailable(format!(
                    "{}: cannot create the directory: {e}",
                    dir.display()
                ))
            })?;
        }
        let opts = SqliteConnectOptions::from_str("sqlite:")
            .map_err(|e| err(path, e))?
            .filename(path)
            .create_if_missing(create)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10));
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .acquire_timeout(Duration::from_secs(30))
            .connect_with(opts)
            .await
            .map_err(|e| err(path, e))?;
        let store = SqliteStore {
            pool,
            path: path.to_path_buf(),
        };
        store.check_settings().await?;
        store.migrate().await?;
        Ok(store)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn e(&self, e: sqlx::Error) -> StoreError {
        err(&self.path, e)
    }

    async fn check_settings(&self) -> Result<(), StoreError> {
        let mut conn = self.pool.acquire().await.map_err(|e| self.e(e))?;
        let get = |sql: &'static str| sqlx::query_scalar::<_, String>(sql);
        let journal: String = get("PRAGMA journal_mode")
            .fetch_one(&mut *conn)
            .await
            .map_err(|e| self.e(e))?;
        let sync: i64 = sqlx::query_scalar("PRAGMA synchronous")
            .fetch_one(&mut *conn)
            .await
            .map_err(|e| self.e(e))?;
        let fk: i64 = sqlx::query_scalar("PRAGMA foreign_keys")
            .fetch_one(&mut *conn)
            .await
            .map_err(|e| self.e(e))?;
        let busy: i64 = sqlx::query_scalar("PRAGMA busy_timeout")
            .fetch_one(&mut *conn)
            .await
            .map_err(|e| self.e(e))?;
        if journal.to_lowercase() != "wal" || sync != 2 || fk != 1 || busy < 1000 {
            return Err(StoreError::Unavailable(format!(
                "{}: the database did not accept its safety settings (journal_mode={journal}, synchronous={sync}, foreign_keys={fk}, busy_timeout={busy}); is it on a file system without WAL support?",
                self.path.display()
            )));
        }
        Ok(())
    }

    async fn migrate(&self) -> Result<(), StoreError> {
        let mut tx = self
            .pool
            .begin_with("BEGIN IMMEDIATE")
            .await
            .map_err(|e| self.e(e))?;
        sqlx::query("CREATE TABLE IF NOT EXISTS debrief_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)")
            .execute(&mut *tx)
            .await
            .map_err(|e| self.e(e))?;
        let applied: i64 =
            sqlx::query_scalar("SELECT COALESCE(MAX(version), 0) FROM debrief_migrations")
                .fetch_one(&mut *tx)
                .await
                .map_err(|e| self.e(e))?;
        let known = MIGRATIONS.last().map_or(0, |m| m.0);
        if applied > known {
            return Err(StoreError::Unavailable(format!(
                "{}: the database schema is version {applied}, newer than this Debrief knows ({known}); upgrade Debrief",
                self.path.display()
            )));
        }
        for (version, name, sql) in MIGRATIONS.iter().filter(|m| m.0 > applied) {
            sqlx::raw_sql(*sql)
                .execute(&mut *tx)
                .await
                .map_err(|e| self.e(e))?;
            sqlx::query(
                "INSERT INTO debrief_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
            )
            .bind(version)
            .bind(name)
            .bind(debrief_store::now())
            .execute(&mut *tx)
            .await
            .map_err(|e| self.e(e))?;
        }
        tx.commit().await.map_err(|e| self.e(e))
    }

    /// Saves one document inside `tx`. `target` is the id to update (with its base) or `None`
    /// to look the document up by source (import) or create it.
    async fn save(
        &self,
        tx: &mut Transaction<'static, Sqlite>,
        doc: &NewDocument,
        target: Option<(&str, i64)>,
    ) -> Result<Saved, StoreError> {
        if doc.text.trim().is_empty() {
            return Err(StoreError::Invalid(
                "the document is empty; a postmortem needs at least a summary or a timeline".into(),
            ));
        }
        let sha = debrief_store::sha256_hex(doc.text.as_bytes());
        let existing: Option<(String, i64, Option<String>, String)> = match (target, &doc.source) {
            (Some((id, _)), _) => sqlx::query("SELECT p.id, p.current_revision, p.deleted_at, r.sha256 FROM postmortems p JOIN revisions r ON r.postmortem_id = p.id AND r.number = p.current_revision WHERE p.id = $1")
                .bind(id)
                .fetch_optional(&mut **tx)
                .await
                .map_err(|e| self.e(e))?
                .map(|r| (r.get(0), r.get(1), r.get(2), r.get(3))),
            (None, Some(source)) => sqlx::query("SELECT p.id, p.current_revision, p.deleted_at, r.sha256 FROM postmortems p JOIN revisions r ON r.postmortem_id = p.id AND r.number = p.current_revision WHERE p.source = $1")
                .bind(source)
                .fetch_optional(&mut **tx)
                .await
                .map_err(|e| self.e(e))?
                .map(|r| (r.get(0), r.get(1), r.get(2), r.get(3))),
            (None, None) => None,
        };
        let now = debrief_store::now();
        let (id, number, outcome) = match (existing, target) {
            (None, Some((id, _))) => {
                return Err(StoreError::NotFound(format!("no postmortem {id}")));
            }
            (Some((id, _, Some(_), _)), Some(_)) => {
                return Err(StoreError::NotFound(format!("postmortem {id} was deleted")));
            }
            (Some((id, current, Some(_), _)), None) => {
                return Ok(Saved {
                    id,
                    revision: current,
                    outcome: Outcome::Deleted,
                });
            }
            (Some((id, current, None, _)), Some((_, base))) if current != base => {
                return Err(StoreError::Conflict { id, base, current });
            }
            (Some((id, current, None, old)), None) if old == sha => {
                return Ok(Saved {
                    id,
                    revision: current,
                    outcome: Outcome::Unchanged,
                });
            }
            (Some((id, current, None, _)), _) => (id, current + 1, Outcome::Updated),
            (None, None) => {
                let id = debrief_store::new_id(doc.source.as_deref(), &doc.text);
                (id, 1, Outcome::Created)
            }
        };
        let record = debrief_core::parse(&doc.text).postmortem;
        let d = debrief_store::derive(&id, &record);
        let rec_sha = debrief_store::sha256_hex(d.record_json.as_bytes());
        let services = serde_json::to_string(&d.services).unwrap_or_else(|_| "[]".into());
        if outcome == Outcome::Created {
            sqlx::query("INSERT INTO postmortems (id, source, created_at, current_revision, updated_at, title, severity, severity_key, status, status_key, date, services, body, record, record_sha256) VALUES ($1, $2, $3, 1, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)")
                .bind(&id)
                .bind(&doc.source)
                .bind(&now)
                .bind(&d.title)
                .bind(&d.severity)
                .bind(d.severity.as_deref().map(debrief_store::severity_key))
                .bind(&d.status)
                .bind(d.status.as_deref().map(debrief_store::label))
                .bind(&d.date)
                .bind(&services)
                .bind(&d.body)
                .bind(&d.record_json)
                .bind(&rec_sha)
                .execute(&mut **tx)
                .await
                .map_err(|e| self.e(e))?;
        } else {
            // The base check again, as part of the write: a lost race is a conflict.
            let done = sqlx::query("UPDATE postmortems SET current_revision = $2, updated_at = $3, title = $4, severity = $5, severity_key = $6, status = $7, status_key = $8, date = $9, services = $10, body = $11, record = $12, record_sha256 = $13 WHERE id = $1 AND current_revision = $14 AND deleted_at IS NULL")
                .bind(&id)
                .bind(number)
                .bind(&now)
                .bind(&d.title)
                .bind(&d.severity)
                .bind(d.severity.as_deref().map(debrief_store::severity_key))
                .bind(&d.status)
                .bind(d.status.as_deref().map(debrief_store::label))
                .bind(&d.date)
                .bind(&services)
                .bind(&d.body)
                .bind(&d.record_json)
                .bind(&rec_sha)
                .bind(number - 1)
                .execute(&mut **tx)
                .await
                .map_err(|e| self.e(e))?;
            if done.rows_affected() != 1 {
                return Err(StoreError::Conflict {
                    id,
                    base: number - 1,
                    current: number,
                });
            }
        }
        let rev = Revision {
            postmortem_id: id.clone(),
            number,
            author: doc.author.clone(),
            created_at: now,
            message: doc.message.clone(),
            sha256: sha,
            content: doc.text.clone(),
        };
        self.insert_revision(tx, &rev).await?;
        self.write_children(tx, &id, &d).await?;
        Ok(Saved {
            id,
            revision: number,
            outcome,
        })
    }

    async fn insert_revision(
        &self,
        tx: &mut Transaction<'static, Sqlite>,
        r: &Revision,
    ) -> Result<(), StoreError> {
        sqlx::query("INSERT INTO revisions (postmortem_id, number, author, created_at, message, sha256, content, checksum) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
            .bind(&r.postmortem_id)
            .bind(r.number)
            .bind(&r.author)
            .bind(&r.created_at)
            .bind(&r.message)
            .bind(&r.sha256)
            .bind(&r.content)
            .bind(r.checksum())
            .execute(&mut **tx)
            .await
            .map_err(|e| self.e(e))?;
        Ok(())
    }

    async fn write_children(
        &self,
        tx: &mut Transaction<'static, Sqlite>,
        id: &str,
        d: &debrief_store::Derived,
    ) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM labels WHERE postmortem_id = $1")
            .bind(id)
            .execute(&mut **tx)
            .await
            .map_err(|e| self.e(e))?;
        sqlx::query("DELETE FROM action_items WHERE postmortem_id = $1")
            .bind(id)
            .execute(&mut **tx)
            .await
            .map_err(|e| self.e(e))?;
        for (kind, value) in debrief_store::labels_of(d) {
            sqlx::query("INSERT INTO labels (postmortem_id, kind, value) VALUES ($1, $2, $3)")
                .bind(id)
                .bind(kind)
                .bind(value)
                .execute(&mut **tx)
                .await
                .map_err(|e| self.e(e))?;
        }
        for (i, a) in d.actions.iter().enumerate() {
            sqlx::query("INSERT INTO action_items (postmortem_id, position, text, owner, owner_key, due, status, kind, tracker) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)")
                .bind(id)
                .bind(i as i64)
                .bind(&a.text)
                .bind(&a.owner)
                .bind(a.owner.as_deref().map(debrief_store::label))
                .bind(&a.due)
                .bind(&a.status)
                .bind(&a.kind)
                .bind(&a.tracker)
                .execute(&mut **tx)
                .await
                .map_err(|e| self.e(e))?;
        }
        Ok(())
    }

    async fn write(&self) -> Result<Transaction<'static, Sqlite>, StoreError> {
        self.pool
            .begin_with("BEGIN IMMEDIATE")
            .await
            .map_err(|e| self.e(e))
    }
}

/// SQL conditions and values for a filter, numbered from `$first`.
fn filter_sql(f: &Filter, first: usize) -> (String, Vec<String>) {
    let mut sql = String::new();
    let mut vals = Vec::new();
    let mut add = |cond: &str, v: String| {
        vals.push(v);
        sql.push_str(&cond.replace("$?", &format!("${}", first + vals.len() - 1)));
    };
    if let Some(s) = &f.status {
        add(" AND p.status_key = $?", debrief_store::label(s));
    }
    if let Some(s) = &f.severity {
        add(" AND p.severity_key = $?", debrief_store::severity_key(s));
    }
    if let Some(s) = &f.service {
        add(
            " AND EXISTS (SELECT 1 FROM labels l WHERE l.postmortem_id = p.id AND l.kind = 'service' AND l.value = $?)",
            debrief_store::label(s),
        );
    }
    if let Some(s) = &f.tag {
        add(
            " AND EXISTS (SELECT 1 FROM labels l WHERE l.postmortem_id = p.id AND l.kind = 'tag' AND l.value = $?)",
            debrief_store::label(s),
        );
    }
    if let Some(s) = &f.from {
        add(" AND p.date >= $?", s.clone());
    }
    if let Some(s) = &f.to {
        add(" AND p.date <= $?", s.clone());
    }
    (sql, vals)
}

fn revision_of(r: &SqliteRow) -> Revision {
    Revision {
        postmortem_id: r.get("postmortem_id"),
        number: r.get("number"),
        author: r.get("author"),
        created_at: r.get("created_at"),
        message: r.get("message"),
        sha256: r.get("sha256"),
        content: r.get("content"),
    }
}

const REVISION_COLUMNS: &str =
    "postmortem_id, number, author, created_at, message, sha256, content";

impl Store for SqliteStore {
    fn import<'a>(&'a self, docs: &'a [NewDocument]) -> Fut<'a, Vec<Saved>> {
        Box::pin(async move {
            let mut tx = self.write().await?;
            let mut out = Vec::with_capacity(docs.len());
            for d in docs {
                out.push(self.save(&mut tx, d, None).await?);
            }
            tx.commit().await.map_err(|e| self.e(e))?;
            Ok(out)
        })
    }

    fn create<'a>(&'a self, doc: &'a NewDocument) -> Fut<'a, Saved> {
        Box::pin(async move {
            let mut tx = self.write().await?;
            let plain = NewDocument {
                source: None,
                ..doc.clone()
            };
            let s = self.save(&mut tx, &plain, None).await?;
            tx.commit().await.map_err(|e| self.e(e))?;
            Ok(s)
        })
    }

    fn update<'a>(&'a self, id: &'a str, base: i64, doc: &'a NewDocument) -> Fut<'a, Saved> {
        Box::pin(async move {
            let mut tx = self.write().await?;
            let s = self.save(&mut tx, doc, Some((id, base))).await?;
            tx.commit().await.map_err(|e| self.e(e))?;
            Ok(s)
        })
    }

    fn get<'a>(&'a self, id: &'a str) -> Fut<'a, Stored> {
        Box::pin(async move {
            let row = sqlx::query("SELECT p.id, p.source, p.created_at, p.deleted_at, p.deleted_by, p.record, r.postmortem_id, r.number, r.author, r.created_at AS rev_created_at, r.message, r.sha256, r.content FROM postmortems p JOIN revisions r ON r.postmortem_id = p.id AND r.number = p.current_revision WHERE p.id = $1 AND p.deleted_at IS NULL")
                .bind(id)
                .fetch_optional(&self.pool)
                .await
                .map_err(|e| self.e(e))?
                .ok_or_else(|| StoreError::NotFound(format!("no postmortem {id}")))?;
            let record_json: String = row.get("record");
            let record = serde_json::from_str(&record_json).map_err(|e| {
                StoreError::Corrupt(format!(
                    "postmortem {id}: the stored record is damaged ({e}); run `debrief verify`"
                ))
            })?;
            Ok(Stored {
                row: PostmortemRow {
                    id: row.get("id"),
                    source: row.get("source"),
                    created_at: row.get("created_at"),
                    deleted_at: row.get("deleted_at"),
                    deleted_by: row.get("deleted_by"),
                },
                revision: Revision {
                    postmortem_id: row.get("postmortem_id"),
                    number: row.get("number"),
                    author: row.get("author"),
                    created_at: row.get("rev_created_at"),
                    message: row.get("message"),
                    sha256: row.get("sha256"),
                    content: row.get("content"),
                },
                record,
            })
        })
    }

    fn list<'a>(&'a self, filter: &'a Filter) -> Fut<'a, Vec<Summary>> {
        Box::pin(async move {
            let (cond, vals) = filter_sql(filter, 1);
            let sql = format!(
                "SELECT p.id, p.title, p.severity, p.status, p.date, p.services, p.current_revision, p.updated_at FROM postmortems p WHERE p.deleted_at IS NULL{cond} ORDER BY p.date DESC, p.id LIMIT {}",
                filter.limit.unwrap_or(i64::MAX).max(0)
            );
            let mut q = sqlx::query(AssertSqlSafe(sql));
            for v in vals {
                q = q.bind(v);
            }
            let rows = q.fetch_all(&self.pool).await.map_err(|e| self.e(e))?;
            Ok(rows
                .iter()
                .map(|r| Summary {
                    id: r.get("id"),
                    title: r.get("title"),
                    severity: r.get("severity"),
                    status: r.get("status"),
                    date: r.get("date"),
                    services: serde_json::from_str(&r.get::<String, _>("services"))
                        .unwrap_or_default(),
                    revision: r.get("current_revision"),
                    updated_at: r.get("updated_at"),
                })
                .collect())
        })
    }

    fn revisions<'a>(&'a self, id: &'a str) -> Fut<'a, Vec<Revision>> {
        Box::pin(async move {
            let rows = sqlx::query(AssertSqlSafe(format!(
                "SELECT {REVISION_COLUMNS} FROM revisions WHERE postmortem_id = $1 ORDER BY number"
            )))
            .bind(id)
            .fetch_all(&self.pool)
            .await
            .map_err(|e| self.e(e))?;
            if rows.is_empty() {
                return Err(StoreError::NotFound(format!("no postmortem {id}")));
            }
            Ok(rows.iter().map(revision_of).collect())
        })
    }

    fn revision<'a>(&'a self, id: &'a str, number: i64) -> Fut<'a, Revision> {
        Box::pin(async move {
            sqlx::query(AssertSqlSafe(format!(
                "SELECT {REVISION_COLUMNS} FROM revisions WHERE postmortem_id = $1 AND number = $2"
            )))
            .bind(id)
            .bind(number)
            .fetch_optional(&self.pool)
            .await
            .map_err(|e| self.e(e))?
            .map(|r| revision_of(&r))
            .ok_or_else(|| {
                StoreError::NotFound(format!("postmortem {id} has no revision {number}"))
            })
        })
    }

    fn delete<'a>(&'a self, id: &'a str, by: &'a str) -> Fut<'a, ()> {
        Box::pin(async move {
            let mut tx = self.write().await?;
            let done = sqlx::query("UPDATE postmortems SET deleted_at = $2, deleted_by = $3 WHERE id = $1 AND deleted_at IS NULL")
                .bind(id)
                .bind(debrief_store::now())
                .bind(by)
                .execute(&mut *tx)
                .await
                .map_err(|e| self.e(e))?;
            if done.rows_affected() == 0 {
                return Err(StoreError::NotFound(format!("no postmortem {id}")));
            }
            tx.commit().await.map_err(|e| self.e(e))
        })
    }

    fn purge<'a>(&'a self, id: &'a str) -> Fut<'a, ()> {
        Box::pin(async move {
            let mut tx = self.write().await?;
            let done = sqlx::query("DELETE FROM postmortems WHERE id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await
                .map_err(|e| self.e(e))?;
            if done.rows_affected() == 0 {
                return Err(StoreError::NotFound(format!("no postmortem {id}")));
            }
            tx.commit().await.map_err(|e| self.e(e))
        })
    }

    fn action_items<'a>(&'a self, f: &'a ActionFilter) -> Fut<'a, Vec<ActionRow>> {
        Box::pin(async move {
            let mut sql = String::from(
                "SELECT a.postmortem_id, p.title, a.text, a.owner, a.due, a.status, a.kind, a.tracker FROM action_items a JOIN postmortems p ON p.id = a.postmortem_id WHERE p.deleted_at IS NULL",
            );
            if f.open || f.overdue {
                sql.push_str(" AND a.status IN ('open', 'in_progress')");
            }
            if f.owner.is_some() {
                sql.push_str(" AND a.owner_key = $1");
            }
            sql.push_str(" ORDER BY a.due IS NULL, a.due, p.date, a.postmortem_id, a.position");
            let mut q = sqlx::query(AssertSqlSafe(sql));
            if let Some(o) = &f.owner {
                q = q.bind(debrief_store::label(o));
            }
            let rows = q.fetch_all(&self.pool).await.map_err(|e| self.e(e))?;
            Ok(rows
                .iter()
                .map(|r| ActionRow {
                    postmortem_id: r.get(0),
                    postmortem_title: r.get(1),
                    text: r.get(2),
                    owner: r.get(3),
                    due: r.get(4),
                    status: r.get(5),
                    kind: r.get(6),
                    tracker: r.get(7),
                })
                .filter(|a| !f.overdue || debrief_store::is_overdue(a.due.as_deref(), &f.today))
                .collect())
        })
    }

    fn search<'a>(&'a self, query: &'a str, filter: &'a Filter) -> Fut<'a, Vec<SearchHit>> {
        Box::pin(async move {
            let Some(fts) = debrief_store::fts5_query(query) else {
                return Err(StoreError::Invalid(
                    "the search is empty; give at least one word".into(),
                ));
            };
            let (cond, vals) = filter_sql(filter, 2);
            let sql = format!(
                "SELECT p.id, p.title, p.date, snippet(search, 1, '[', ']', '…', 16) AS snip FROM search JOIN postmortems p ON p.seq = search.rowid WHERE search MATCH $1 AND p.deleted_at IS NULL{cond} ORDER BY bm25(search, 10.0, 1.0), p.id LIMIT {}",
                filter.limit.unwrap_or(50).max(0)
            );
            let mut q = sqlx::query(AssertSqlSafe(sql)).bind(fts);
            for v in vals {
                q = q.bind(v);
            }
            let rows = q.fetch_all(&self.pool).await.map_err(|e| self.e(e))?;
            Ok(rows
                .iter()
                .map(|r| SearchHit {
                    id: r.get("id"),
                    title: r.get("title"),
                    date: r.get("date"),
                    snippet: r.get("snip"),
                })
                .collect())
        })
    }

    fn verify(&self) -> Fut<'_, VerifyReport> {
        Box::pin(async move {
            let mut report = VerifyReport::default();
            let mut tx = self.pool.begin().await.map_err(|e| self.e(e))?;
            let checks: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check")
                .fetch_all(&mut *tx)
                .await
                .map_err(|e| self.e(e))?;
            if checks != ["ok"] {
                report.problems.extend(
                    checks
                        .into_iter()
                        .take(10)
                        .map(|c| format!("integrity check: {c}")),
                );
            }
            if let Err(e) = sqlx::query("INSERT INTO search (search) VALUES ('integrity-check')")
                .execute(&mut *tx)
                .await
            {
                report.problems.push(format!("search index: {e}"));
            }
            let fks: Vec<SqliteRow> = sqlx::query("PRAGMA foreign_key_check")
                .fetch_all(&mut *tx)
                .await
                .map_err(|e| self.e(e))?;
            if !fks.is_empty() {
                report
                    .problems
                    .push(format!("{} rows refer to missing postmortems", fks.len()));
            }
            // Every revision: content against its hash, the row against its checksum, numbers
            // without gaps up to the current one.
            let rows = sqlx::query(AssertSqlSafe(format!(
                "SELECT {REVISION_COLUMNS}, checksum FROM revisions ORDER BY postmortem_id, number"
            )))
            .fetch_all(&mut *tx)
            .await
            .map_err(|e| self.e(e))?;
            let mut last: std::collections::HashMap<String, i64> = Default::default();
            for r in &rows {
                let rev = revision_of(r);
                report.revisions += 1;
                if !rev.content_intact() {
                    report.problems.push(format!(
                        "{} revision {}: the content does not match its SHA-256",
                        rev.postmortem_id, rev.number
                    ));
                }
                if rev.checksum() != r.get::<String, _>("checksum") {
                    report.problems.push(format!(
                        "{} revision {}: the row does not match its checksum",
                        rev.postmortem_id, rev.number
                    ));
                }
                let n = last.entry(rev.postmortem_id.clone()).or_insert(0);
                if rev.number != *n + 1 {
                    report.problems.push(format!(
                        "{} revision {}: revisions are not numbered 1, 2, 3, ...",
                        rev.postmortem_id, rev.number
                    ));
                }
                *n = rev.number;
            }
            let pms = sqlx::query("SELECT id, current_revision, title, severity, status, date, body, record, record_sha256 FROM postmortems ORDER BY id")
                .fetch_all(&mut *tx)
                .await
                .map_err(|e| self.e(e))?;
            let labels = sqlx::query("SELECT postmortem_id, kind, value FROM labels")
                .fetch_all(&mut *tx)
                .await
                .map_err(|e| self.e(e))?;
            let actions = sqlx::query("SELECT postmortem_id, text, owner, due, status, kind, tracker FROM action_items ORDER BY postmortem_id, position")
                .fetch_all(&mut *tx)
                .await
                .map_err(|e| self.e(e))?;
            let mut by_id: std::collections::HashMap<String, StoredDerived> = Default::default();
            for l in &labels {
                by_id
                    .entry(l.get(0))
                    .or_default()
                    .labels
                    .push((l.get(1), l.get(2)));
            }
            for a in &actions {
                let id: String = a.get(0);
                by_id
                    .entry(id.clone())
                    .or_default()
                    .actions
                    .push(ActionRow {
                        postmortem_id: id,
                        postmortem_title: None,
                        text: a.get(1),
                        owner: a.get(2),
                        due: a.get(3),
                        status: a.get(4),
                        kind: a.get(5),
                        tracker: a.get(6),
                    });
            }
            for p in &pms {
                report.postmortems += 1;
                let id: String = p.get("id");
                let current: i64 = p.get("current_revision");
                if last.get(&id).copied() != Some(current) {
                    report.problems.push(format!(
                        "{id}: the current revision {current} is not its latest stored revision"
                    ));
                }
                let mut d = by_id.remove(&id).unwrap_or_default();
                d.title = p.get("title");
                d.severity = p.get("severity");
                d.status = p.get("status");
                d.date = p.get("date");
                d.body = p.get("body");
                d.record_json = p.get("record");
                d.record_sha256 = p.get("record_sha256");
                report
                    .problems
                    .extend(debrief_store::check_derived(&id, &d));
            }
            tx.rollback().await.map_err(|e| self.e(e))?;
            Ok(report)
        })
    }

    fn dump(&self) -> Fut<'_, Dump> {
        Box::pin(async move {
            // One read transaction: a WAL snapshot, consistent while other writers go on.
            let mut tx = self.pool.begin().await.map_err(|e| self.e(e))?;
            let pms = sqlx::query("SELECT id, source, created_at, deleted_at, deleted_by FROM postmortems ORDER BY id")
                .fetch_all(&mut *tx)
                .await
                .map_err(|e| self.e(e))?;
            let revs = sqlx::query(AssertSqlSafe(format!(
                "SELECT {REVISION_COLUMNS} FROM revisions ORDER BY postmortem_id, number"
            )))
            .fetch_all(&mut *tx)
            .await
            .map_err(|e| self.e(e))?;
            tx.rollback().await.map_err(|e| self.e(e))?;
            Ok(Dump {
                schema_version: SCHEMA_VERSION,
                postmortems: pms
                    .iter()
                    .map(|r| PostmortemRow {
                        id: r.get(0),
                        source: r.get(1),
                        created_at: r.get(2),
                        deleted_at: r.get(3),
                        deleted_by: r.get(4),
                    })
                    .collect(),
                revisions: revs.iter().map(revision_of).collect(),
            })
        })
    }

    fn restore<'a>(&'a self, dump: &'a Dump) -> Fut<'a, ()> {
        Box::pin(async move {
            let mut tx = self.write().await?;
            let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM postmortems")
                .fetch_one(&mut *tx)
                .await
                .map_err(|e| self.e(e))?;
            if n > 0 {
                return Err(StoreError::Invalid(format!(
                    "{}: the database already holds {n} postmortems; restore into an empty one",
                    self.path.display()
                )));
            }
            let latest = debrief_store::latest_revisions(dump)?;
            for p in &dump.postmortems {
                let Some(rev) = latest.get(p.id.as_str()) else {
                    return Err(StoreError::Invalid(format!(
                        "postmortem {} has no revision in the backup",
                        p.id
                    )));
                };
                let record = debrief_core::parse(&rev.content).postmortem;
                let d = debrief_store::derive(&p.id, &record);
                sqlx::query("INSERT INTO postmortems (id, source, created_at, deleted_at, deleted_by, current_revision, updated_at, title, severity, severity_key, status, status_key, date, services, body, record, record_sha256) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)")
                    .bind(&p.id)
                    .bind(&p.source)
                    .bind(&p.created_at)
                    .bind(&p.deleted_at)
                    .bind(&p.deleted_by)
                    .bind(rev.number)
                    .bind(&rev.created_at)
                    .bind(&d.title)
                    .bind(&d.severity)
                    .bind(d.severity.as_deref().map(debrief_store::severity_key))
                    .bind(&d.status)
                    .bind(d.status.as_deref().map(debrief_store::label))
                    .bind(&d.date)
                    .bind(serde_json::to_string(&d.services).unwrap_or_else(|_| "[]".into()))
                    .bind(&d.body)
                    .bind(&d.record_json)
                    .bind(debrief_store::sha256_hex(d.record_json.as_bytes()))
                    .execute(&mut *tx)
                    .await
                    .map_err(|e| self.e(e))?;
                self.write_children(&mut tx, &p.id, &d).await?;
            }
            for r in &dump.revisions {
                self.insert_revision(&mut tx, r).await?;
            }
            tx.commit().await.map_err(|e| self.e(e))
        })
    }
}
