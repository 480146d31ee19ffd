//! The embedded default: a [`Store`] on one SQLite file.
//!
//! The file is opened in WAL mode with `synchronous=FULL` (a write is on disk when it is
//! acknowledged), foreign keys on and a busy timeout; the settings are read back and checked at
//! start, so a build or a file that silently ignores one is refused. Writes run in `BEGIN
//! IMMEDIATE` transactions: the write lock is taken before anything is read, so a read-then-write
//! cannot lose to a concurrent writer. `secure_delete` zeroes freed space, so purged text is
//! gone from the file. Migrations live in `migrations/` and run at open.

#![forbid(unsafe_code)]

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use debrief_store::sql::{
    Dialect, LABEL_START, LabelPlan, Reading, SearchColumn, SqlStore, by_plan, col, filter_sql,
    hit_snippet, indexed_part,
};
use debrief_store::{Filter, SearchHit, SearchQuery, SearchText, StoreError};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteQueryResult,
    SqliteSynchronous,
};
use sqlx::{AssertSqlSafe, ConnectOptions, Connection, Sqlite, SqlitePool, Transaction};

/// How many of a query's matches are ranked (the most recently added); see `search_in`.
const RANKED: i64 = debrief_store::RANKED;

/// The schema's migrations, embedded with their checksums (sqlx records each one applied in
/// `_sqlx_migrations` and refuses a database whose applied migrations were changed).
static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// What SQLite adds to the shared SQL store: where the file is, and how it is written.
pub struct SqliteDialect {
    path: PathBuf,
    /// Opened read-only (a file this user may only read): checks that write are left out.
    read_only: bool,
}

impl SqliteDialect {
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether the filter's indexed part ([`indexed_part`]) holds at most [`LABEL_START`]
    /// live postmortems, and fewer than `words` matches: starting from them then costs less
    /// than the walk of the matches at its worst. Each side is counted in its index, up to one
    /// more than the other needs.
    async fn few_within(
        &self,
        pool: &SqlitePool,
        words: &str,
        filter: &Filter,
    ) -> Result<bool, StoreError> {
        let Some(indexed) = indexed_part(filter) else {
            return Ok(false);
        };
        let (cond, vals) = filter_sql::<Self>(&indexed, 1, None);
        let mut q = sqlx::query_scalar::<_, i64>(AssertSqlSafe(format!(
            "SELECT COUNT(*) FROM (SELECT 1 FROM postmortems p WHERE p.deleted_at IS NULL{cond} LIMIT {})",
            LABEL_START + 1
        )));
        for v in vals {
            q = q.bind(v);
        }
        let n = q.fetch_one(pool).await.map_err(|e| err(&self.path, e))?;
        Ok(n <= LABEL_START && !self.matches_at_most(pool, words, n).await?)
    }

    /// Whether `words` match at most `n` postmortems (deleted ones included), counted in the
    /// search index up to one more.
    async fn matches_at_most(
        &self,
        pool: &SqlitePool,
        words: &str,
        n: i64,
    ) -> Result<bool, StoreError> {
        let matches: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM (SELECT 1 FROM search WHERE search MATCH $1 LIMIT $2)",
        )
        .bind(words)
        .bind(n + 1)
        .fetch_one(pool)
        .await
        .map_err(|e| err(&self.path, e))?;
        Ok(matches <= n)
    }
}

/// A [`debrief_store::Store`] on one SQLite file.
pub type SqliteStore = SqlStore<SqliteDialect>;

/// Turns a sqlx error into what a user can act on, keeping it as the cause.
fn err(path: &Path, e: sqlx::Error) -> StoreError {
    describe(path, &e).caused_by(e)
}

fn describe(path: &Path, e: &sqlx::Error) -> StoreError {
    let shown = path.display();
    if let Some(db) = e.as_database_error() {
        let code = db.code().and_then(|c| c.parse::<i32>().ok()).unwrap_or(0);
        // Primary result codes live in the low byte of the extended code.
        return match code & 0xff {
            5 | 6 => StoreError::Busy(format!(
                "{shown}: the database is locked by another process; wait for it to finish or stop it"
            )),
            11 | 26 => StoreError::Corrupt(
                format!(
                    "{shown}: the file is damaged or is not a Debrief database ({}); restore it from a backup with `debrief backup drill FILE --into sqlite:NEW.db`",
                    db.message()
                ),
                None,
            ),
            13 => StoreError::Unavailable(
                format!(
                    "{shown}: the disk is full; this change was not written. Free space and try again"
                ),
                None,
            ),
            14 => StoreError::Unavailable(
                format!(
                    "{shown}: cannot open the database file; check that the directory exists and is writable"
                ),
                None,
            ),
            8 => StoreError::Unavailable(
                format!("{shown}: the database is read-only; check the file's permissions"),
                None,
            ),
            10 => StoreError::Unavailable(
                format!("{shown}: disk I/O error ({}); check the disk", db.message()),
                None,
            ),
            18 => StoreError::Invalid(format!(
                "{shown}: this is larger than the database can hold ({}); make the document smaller",
                db.message()
            )),
            // SQLITE_ERROR, CONSTRAINT, MISMATCH, MISUSE, RANGE: a statement SQLite will refuse
            // however often it is sent.
            1 | 19..=21 | 25 => StoreError::Failed(format!("{shown}: {}", db.message()), None),
            _ => StoreError::Unavailable(format!("{shown}: {}", db.message()), None),
        };
    }
    match e {
        sqlx::Error::PoolTimedOut => StoreError::Busy(format!(
            "{shown}: timed out waiting for the database; another process may hold a lock"
        )),
        other => StoreError::Unavailable(format!("{shown}: {other}"), None),
    }
}

/// Opens (creating if needed) the database at `path`, checks its settings and migrates it.
pub async fn open(path: &Path) -> Result<SqliteStore, StoreError> {
    open_with(path, true).await
}

/// Opens an existing database without creating it (a missing file is an error: a mistyped path
/// must not become a new empty database).
pub async fn open_existing(path: &Path) -> Result<SqliteStore, StoreError> {
    if !path.is_file() {
        return Err(StoreError::NotFound(format!(
            "{}: no such database file; check the path, or create it with `debrief init` (or add --create)",
            path.display()
        )));
    }
    open_with(path, false).await
}

async fn open_with(path: &Path, create: bool) -> Result<SqliteStore, StoreError> {
    if create
        && let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty())
        && !dir.is_dir()
    {
        std::fs::create_dir_all(dir).map_err(|e| {
            StoreError::Unavailable(
                format!("{}: cannot create the directory: {e}", dir.display()),
                None,
            )
        })?;
    }
    let access = if create || writable(path) {
        Access::ReadWrite
    } else {
        Access::ReadOnly
    };
    let pool = match connect(path, create, access).await {
        // A read-only WAL database in a directory this user cannot write cannot get its
        // shared-memory file; with no write-ahead log pending, the file alone is the database.
        Err(_) if access == Access::ReadOnly && !wal_file(path).exists() => {
            connect(path, false, Access::Immutable).await?
        }
        other => other?,
    };
    if access == Access::ReadWrite {
        check_settings(&pool, path).await?;
    }
    let store = SqlStore::new(
        pool,
        SqliteDialect {
            path: path.to_path_buf(),
            read_only: access != Access::ReadWrite,
        },
    );
    store.migrate(&MIGRATOR).await.map_err(|e| match access {
        Access::ReadWrite => e,
        _ => StoreError::Unavailable(
            format!(
                "{}: the database is read-only and was made by an older Debrief; open it once with write access to upgrade it ({e})",
                path.display()
            ),
            None,
        ),
    })?;
    Ok(store)
}

/// How the file is opened: read-write with the safety settings, or, for a file this user may
/// only read, read-only (every write is then refused with "the database is read-only").
#[derive(Clone, Copy, PartialEq, Eq)]
enum Access {
    ReadWrite,
    ReadOnly,
    Immutable,
}

/// Whether this process may write the file (opening it for writing changes nothing).
fn writable(path: &Path) -> bool {
    !matches!(
        std::fs::OpenOptions::new().write(true).open(path),
        Err(e) if matches!(
            e.kind(),
            std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem
        )
    )
}

fn wal_file(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push("-wal");
    PathBuf::from(name)
}

async fn connect(path: &Path, create: bool, access: Access) -> Result<SqlitePool, StoreError> {
    let opts = SqliteConnectOptions::from_str("sqlite:")
        .map_err(|e| err(path, e))?
        .filename(path)
        .create_if_missing(create)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(10))
        // 8 MiB of pages kept per connection (SQLite's default is 2 MiB): the upper levels of
        // the indexes and the search index a large library reads on every request stay in.
        .pragma("cache_size", "-8192");
    let opts = match access {
        Access::ReadWrite => opts
            // For a new file: rows of a few kilobytes (packed records and revisions) leave less
            // unused space in 8 KiB pages than in the default 4 KiB, and a write that touches a
            // page in each of a dozen indexes logs half what 16 KiB pages would. An existing
            // file keeps its page size.
            .page_size(8192)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            // The page copies a savepoint keeps (one per write of a group commit, see
            // `debrief_store::sql`) in memory rather than in a temporary file.
            .pragma("temp_store", "MEMORY")
            // Freed pages and cells are zeroed: a purged postmortem leaves no text behind, and
            // every copy of a text in the file is live data that verify checks.
            .pragma("secure_delete", "ON"),
        Access::ReadOnly => opts.read_only(true),
        Access::Immutable => opts.read_only(true).immutable(true),
    };
    let pool = SqlitePoolOptions::new()
        .max_connections(4)
        .acquire_timeout(Duration::from_secs(30))
        // A COMMIT that fails (a full disk) can leave SQLite rolled back while sqlx still
        // counts the transaction open, and then every later BEGIN on that connection fails.
        // Such a connection is closed instead of going back to the pool. A connection that
        // still counts a transaction is pinged first, which lets a rollback queued by a
        // dropped transaction finish; the others (nearly all) go back without a round trip.
        .after_release(|conn, _| {
            Box::pin(async move {
                if !conn.is_in_transaction() {
                    return Ok(true);
                }
                conn.ping().await?;
                Ok(!conn.is_in_transaction())
            })
        })
        .connect_with(opts)
        .await
        .map_err(|e| err(path, e))?;
    // Connecting is lazy about the file's contents: read the schema once so that a file
    // that cannot be read fails here, where the immutable fallback can still apply.
    sqlx::query("SELECT count(*) FROM sqlite_master")
        .execute(&pool)
        .await
        .map_err(|e| err(path, e))?;
    Ok(pool)
}

/// The safety settings, read back: a build or a file that silently ignores one is refused.
async fn check_settings(pool: &SqlitePool, path: &Path) -> Result<(), StoreError> {
    let e = |e| err(path, e);
    let mut conn = pool.acquire().await.map_err(e)?;
    let journal: String = sqlx::query_scalar("PRAGMA journal_mode")
        .fetch_one(&mut *conn)
        .await
        .map_err(e)?;
    let sync: i64 = sqlx::query_scalar("PRAGMA synchronous")
        .fetch_one(&mut *conn)
        .await
        .map_err(e)?;
    let fk: i64 = sqlx::query_scalar("PRAGMA foreign_keys")
        .fetch_one(&mut *conn)
        .await
        .map_err(e)?;
    let busy: i64 = sqlx::query_scalar("PRAGMA busy_timeout")
        .fetch_one(&mut *conn)
        .await
        .map_err(e)?;
    if journal.to_lowercase() != "wal" || sync != 2 || fk != 1 || busy < 1000 {
        return Err(StoreError::Unavailable(
            format!(
                "{}: the database did not accept its safety settings (journal_mode={journal}, synchronous={sync}, foreign_keys={fk}, busy_timeout={busy}); is it on a file system without WAL support?",
                path.display()
            ),
            None,
        ));
    }
    Ok(())
}

/// Rows of the contentless FTS5 table `table`, written from what each postmortem should hold.
async fn index_into(
    tx: &mut Transaction<'static, Sqlite>,
    table: &str,
    entries: &[SearchText<'_>],
) -> Result<(), sqlx::Error> {
    // Three values a row, well under SQLite's limit of bound values.
    for part in entries.chunks(1000) {
        let mut qb = sqlx::QueryBuilder::<Sqlite>::new(format!(
            "INSERT OR REPLACE INTO {table} (rowid, title, body) "
        ));
        qb.push_values(part, |mut b, e| {
            b.push_bind(e.seq).push_bind(e.title).push_bind(e.body);
        });
        qb.build().execute(&mut **tx).await?;
    }
    Ok(())
}

/// The search index against one built afresh, in temporary tables, from what every postmortem
/// should hold (given a part of the library at a time, in rowid order, so that FTS5 appends):
/// for each term, how many places hold it and a fingerprint of where (postmortem, column,
/// offset). FTS5's own check reads the index from end to end but cannot compare a contentless
/// index with any text; a damaged term key or position list can pass it while searches go
/// wrong, and this comparison finds it. It reads the index once, in term order.
#[derive(Default)]
pub struct FreshIndex {
    made: bool,
    /// Why the fresh index could not be made or filled: an index too damaged to be read is a
    /// finding, not a failure of the check.
    failed: Option<String>,
}

impl FreshIndex {
    async fn add(
        &mut self,
        tx: &mut Transaction<'static, Sqlite>,
        entries: &[SearchText<'_>],
    ) -> Result<(), sqlx::Error> {
        self.make(tx).await?;
        index_into(tx, "temp.search_fresh", entries).await
    }

    /// The fresh index and the two term lists compared, made once.
    async fn make(&mut self, tx: &mut Transaction<'static, Sqlite>) -> Result<(), sqlx::Error> {
        if !self.made {
            sqlx::raw_sql(
                "CREATE VIRTUAL TABLE temp.search_fresh USING fts5 (title, body, content = '', contentless_delete = 1, tokenize = 'porter unicode61'); \
                 CREATE VIRTUAL TABLE temp.search_terms USING fts5vocab (main, search, instance); \
                 CREATE VIRTUAL TABLE temp.search_fresh_terms USING fts5vocab (temp, search_fresh, instance);",
            )
            .execute(&mut **tx)
            .await?;
            self.made = true;
        }
        Ok(())
    }

    /// The terms whose places differ, at most five.
    async fn compare(
        &mut self,
        tx: &mut Transaction<'static, Sqlite>,
    ) -> Result<Vec<String>, sqlx::Error> {
        // A library without postmortems compares its index with an empty one.
        self.make(tx).await?;
        let terms = |table: &str| {
            format!(
                "SELECT term, COUNT(*), SUM((doc * 7919 + (col = 'body') * 131 + offset) % 1000003) FROM temp.{table} GROUP BY term"
            )
        };
        let (held, fresh) = (terms("search_terms"), terms("search_fresh_terms"));
        let differing: Vec<String> = sqlx::query_scalar(AssertSqlSafe(format!(
            "SELECT term FROM ({held} EXCEPT {fresh}) UNION ALL SELECT term FROM ({fresh} EXCEPT {held}) LIMIT 5"
        )))
        .fetch_all(&mut **tx)
        .await?;
        sqlx::raw_sql(
            "DROP TABLE temp.search_fresh_terms; DROP TABLE temp.search_terms; \
             DROP TABLE temp.search_fresh;",
        )
        .execute(&mut **tx)
        .await?;
        Ok(differing)
    }
}

impl Dialect for SqliteDialect {
    type Db = Sqlite;
    type SearchCheck = FreshIndex;

    const OPTIMIZE: &'static str = "PRAGMA optimize";
    const CLEAR_SEARCH: &'static str = "INSERT INTO search (search) VALUES ('delete-all'); UPDATE library SET generation = generation + 1";
    /// Kept by the triggers of migration 8, in the transaction of each change.
    const GENERATION: Option<&'static str> = Some("SELECT generation FROM library");
    const LEGACY_MIGRATIONS: &'static str =
        "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'debrief_migrations'";
    /// One writer at a time, and every commit syncs the file: writers share commits.
    const GROUP_COMMIT: bool = true;
    const JSON_PAGE: &'static str = "json_group_array(json_array({row}) ORDER BY {order})";
    /// 256 MiB of pages while an import writes: its inserts land on pages all over a dozen
    /// indexes, and with the usual 8 MiB SQLite spilled and read them again (100,000
    /// documents imported 9% faster, BENCHMARKS.md). Back to 8 MiB before the commit.
    const BULK: Option<(&'static str, &'static str)> =
        Some(("PRAGMA cache_size = -262144", "PRAGMA cache_size = -8192"));
    /// None: the search index is an FTS5 table of its own, written after the rows.
    const SEARCH_COLUMN: Option<SearchColumn> = None;
    const FENCE: &'static str = "";

    fn search_words(query: &SearchQuery) -> String {
        query.fts5()
    }

    /// FTS5 walks the doclist backwards and stops once enough are read. Narrowed to a
    /// label's postmortems, or to at most [`LABEL_START`] by the filter's indexed part (a walk
    /// passes every match that part leaves out: `database` within two months holding none of
    /// its 21,078 matches, 37 ms, against 4 ms from the dates' index), the matches are read
    /// once into a list each is looked up in (`+` keeps the planner from reading the
    /// postmortems through that list instead).
    async fn newest_matches(
        &self,
        pool: &SqlitePool,
        words: &str,
        _: i64,
        narrowed: bool,
        filter: &Filter,
    ) -> Result<(&'static str, &'static str), StoreError> {
        let narrowed = narrowed || self.few_within(pool, words, filter).await?;
        Ok(if narrowed {
            (
                "postmortems p WHERE +p.seq IN (SELECT rowid FROM search WHERE search MATCH $1)",
                "p.seq DESC",
            )
        } else {
            (
                "search JOIN postmortems p ON p.seq = search.rowid WHERE search MATCH $1",
                "search.rowid DESC",
            )
        })
    }

    /// See [`debrief_store::sql::label_plan`]; a search's matches are counted from FTS5.
    async fn label_plan(
        &self,
        pool: &SqlitePool,
        filter: &Filter,
        wanted: i64,
        words: Option<&str>,
    ) -> Result<LabelPlan, StoreError> {
        let fewer_matches = |n: i64| async move {
            match words {
                Some(words) => self.matches_at_most(pool, words, n).await,
                None => Ok(false),
            }
        };
        debrief_store::sql::label_plan(pool, filter, wanted, true, fewer_matches, |e| {
            err(&self.path, e)
        })
        .await
    }

    fn name(&self) -> String {
        self.path.display().to_string()
    }

    fn error(&self, _pool: &SqlitePool, e: sqlx::Error) -> StoreError {
        err(&self.path, e)
    }

    fn rows_affected(r: &SqliteQueryResult) -> u64 {
        r.rows_affected()
    }

    /// `BEGIN IMMEDIATE`: the write lock is taken before anything is read.
    async fn write(&self, pool: &SqlitePool) -> Result<Transaction<'static, Sqlite>, StoreError> {
        pool.begin_with("BEGIN IMMEDIATE")
            .await
            .map_err(|e| err(&self.path, e))
    }

    /// One WAL snapshot, consistent while other writers go on.
    async fn snapshot(
        &self,
        pool: &SqlitePool,
    ) -> Result<Transaction<'static, Sqlite>, StoreError> {
        pool.begin().await.map_err(|e| err(&self.path, e))
    }

    /// Writers are serialised by the write transaction itself (`BEGIN IMMEDIATE`): audit
    /// appends need no other lock.
    async fn lock(
        &self,
        _tx: &mut Transaction<'static, Sqlite>,
        _key: i64,
    ) -> Result<(), StoreError> {
        Ok(())
    }

    /// Folds the write-ahead log back into the database file, so the file alone is whole.
    async fn finish(&self, pool: &SqlitePool) {
        let _ = sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
            .execute(pool)
            .await;
    }

    /// SQLite's integrity check, the search index's own structure, and the foreign keys.
    async fn integrity(
        &self,
        pool: &SqlitePool,
        tx: &mut Transaction<'static, Sqlite>,
    ) -> Result<Vec<String>, StoreError> {
        let e = |e| err(&self.path, e);
        let mut problems = Vec::new();
        // On a connection of its own. FTS5 keeps the search index's layout per connection,
        // and its part of the integrity check reads the layout as that connection last saw
        // it: on a pooled connection, after another one rewrote the index (a merge, a
        // rebuild), it reported segments that are gone as damage. A new connection has seen
        // nothing before.
        let mut fresh = pool.connect_options().connect().await.map_err(e)?;
        let checks: Result<Vec<String>, _> = sqlx::query_scalar("PRAGMA integrity_check")
            .fetch_all(&mut fresh)
            .await;
        let _ = fresh.close().await;
        let checks = checks.map_err(e)?;
        if checks != ["ok"] {
            problems.extend(
                checks
                    .into_iter()
                    .take(10)
                    .map(|c| format!("integrity check: {c}")),
            );
        }
        // The check is an INSERT, which a read-only file refuses; the vocabulary comparison
        // (`check_search`) still runs.
        if !self.read_only
            && let Err(e) = sqlx::query("INSERT INTO search (search) VALUES ('integrity-check')")
                .execute(&mut **tx)
                .await
        {
            problems.push(format!(
                "search index: {e}; rebuild it with `debrief verify --repair`"
            ));
        }
        let fks = sqlx::query("PRAGMA foreign_key_check")
            .fetch_all(&mut **tx)
            .await
            .map_err(e)?;
        if !fks.is_empty() {
            problems.push(format!("{} rows refer to missing postmortems", fks.len()));
        }
        Ok(problems)
    }

    /// The FTS5 table is contentless (it keeps the index, not the text): each row is written
    /// whole, replacing the one before.
    async fn index(
        &self,
        tx: &mut Transaction<'static, Sqlite>,
        entries: &[SearchText<'_>],
    ) -> Result<(), StoreError> {
        index_into(tx, "main.search", entries)
            .await
            .map_err(|e| err(&self.path, e))
    }

    async fn check_search(
        &self,
        tx: &mut Transaction<'static, Sqlite>,
        check: &mut FreshIndex,
        entries: &[SearchText<'_>],
    ) -> Result<(), StoreError> {
        if check.failed.is_none()
            && let Err(e) = check.add(tx, entries).await
        {
            check.failed = Some(e.to_string());
        }
        Ok(())
    }

    async fn search_problems(
        &self,
        tx: &mut Transaction<'static, Sqlite>,
        mut check: FreshIndex,
    ) -> Result<Vec<String>, StoreError> {
        let differing = match check.failed.take() {
            Some(e) => Err(e),
            None => check.compare(tx).await.map_err(|e| e.to_string()),
        };
        Ok(match differing {
            Ok(terms) if terms.is_empty() => Vec::new(),
            Ok(terms) => vec![format!(
                "search index: its terms differ from the postmortems' (for example {terms:?}); rebuild it with `debrief verify --repair`"
            )],
            Err(e) => vec![format!(
                "search index: {e}; rebuild it with `debrief verify --repair`"
            )],
        })
    }

    /// Orders the matches (see [`debrief_store::RANKED`]), then reads the page's rows: snippets
    /// are made for the page only, from a bounded part of each record's search text (see
    /// [`debrief_store::search`]).
    async fn search(
        &self,
        pool: &SqlitePool,
        query: &SearchQuery,
        filter: &Filter,
    ) -> Result<Vec<SearchHit>, StoreError> {
        let (limit, offset) = (
            filter.limit.unwrap_or(50).max(0),
            filter.offset.unwrap_or(0).max(0),
        );
        let page = format!("LIMIT {limit} OFFSET {offset}");
        // Whether there are more matches than are worth ranking: FTS5 reads the doclist only
        // that far.
        let words = &query.fts5();
        let many: i64 = sqlx::query_scalar(AssertSqlSafe(format!(
            "SELECT COUNT(*) FROM (SELECT rowid FROM search WHERE search MATCH $1 LIMIT {})",
            RANKED + 1
        )))
        .bind(words)
        .fetch_one(pool)
        .await
        .map_err(|e| err(&self.path, e))?;
        let read = |sql: String, binds: Vec<String>| async move {
            let mut q = sqlx::query(AssertSqlSafe(sql)).bind(words);
            for v in binds {
                q = q.bind(v);
            }
            q.fetch_all(pool).await.map_err(|e| err(&self.path, e))
        };
        let rows = if many > RANKED {
            // Newest first: FTS5 walks the doclist backwards and stops after the page, or the
            // postmortems bearing a label are each looked up among the matches.
            let wanted = limit.saturating_add(offset);
            let plan = self.label_plan(pool, filter, wanted, Some(words)).await?;
            let page = &page;
            let newest = |reading: Reading| async move {
                let narrowed = reading.label().is_some();
                let (from, newest) = self
                    .newest_matches(pool, words, wanted, narrowed, filter)
                    .await?;
                let (from, newest) = reading.from(from, newest);
                let (cond, vals) = filter_sql::<Self>(filter, 2, reading.label());
                read(
                    format!(
                        "SELECT p.id, p.title, p.date, p.record FROM (SELECT p.seq FROM {from} AND p.deleted_at IS NULL{cond} ORDER BY {newest} {page}) r JOIN postmortems p ON p.seq = r.seq ORDER BY r.seq DESC"
                    ),
                    vals,
                )
                .await
            };
            by_plan(plan, limit, newest, |rows: &Vec<_>| rows.len() as i64).await?
        } else {
            // BM25, a title match weighing ten body matches: the few matches are each checked.
            let (cond, vals) = filter_sql::<Self>(filter, 2, None);
            read(
                format!(
                    "SELECT p.id, p.title, p.date, p.record FROM (SELECT search.rowid AS seq, bm25(search, 10.0, 1.0) AS score FROM search JOIN postmortems p ON p.seq = search.rowid WHERE search MATCH $1 AND p.deleted_at IS NULL{cond} ORDER BY score, p.id {page}) r JOIN postmortems p ON p.seq = r.seq ORDER BY r.score, p.id"
                ),
                vals,
            )
            .await?
        };
        rows.iter()
            .map(|r| {
                Ok(SearchHit {
                    id: col::<Sqlite, _, _>(r, "id")?,
                    title: col::<Sqlite, _, _>(r, "title")?,
                    date: col::<Sqlite, _, _>(r, "date")?,
                    snippet: hit_snippet::<Sqlite>(r, query)?,
                })
            })
            .collect()
    }
}
