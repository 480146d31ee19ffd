//! The SQL store both backends share: [`SqlStore`] over a [`Dialect`]. Both backends speak the
//! same statements (`$1..$n` placeholders, which sqlx binds by number on SQLite too), written
//! once here: migrations (sqlx's migrator), saving revisions, reading, lists, action items,
//! verify, dump and restore. What differs (opening, the write and snapshot transactions,
//! search, the page-level integrity check, locks, error messages, a few statements) is the
//! [`Dialect`] trait, so the compiler checks that every backend supplies all of it.
//!
//! This crate knows sqlx's generic core only; the drivers live in the backend crates.

use crate::{Filter, label, severity_key};
use std::future::Future;

use sqlx::migrate::Migrate;
use sqlx::{
    ColumnIndex, Database, Decode, Encode, Executor, IntoArguments, Pool, Transaction, Type,
};

use crate::{SearchHit, SearchQuery, StoreError};

/// What one SQL backend supplies beside the statements both share.
pub trait Dialect: Send + Sync + Sized + 'static {
    type Db: Database;
    /// What the check of the full-text index keeps between the parts of the library it is
    /// given (see [`Dialect::check_search`]).
    type SearchCheck: Default + Send;

    /// Refreshes the planner's statistics after a large import.
    const OPTIMIZE: &'static str;
    /// Empties the full-text index, before [`Dialect::index`] fills it again from every
    /// postmortem.
    const CLEAR_SEARCH: &'static str;
    /// Counts 1 when the table of the migration runner used before sqlx's exists.
    const LEGACY_MIGRATIONS: &'static str;
    /// Reads [`crate::Store::generation`], where the backend keeps one.
    const GENERATION: Option<&'static str>;
    /// Whether single saves and audit appends wait to be committed together (see
    /// [`SqlStore`]): worth it where writers take turns and every commit syncs the disk.
    const GROUP_COMMIT: bool;
    /// An aggregate giving a page's rows as one JSON text, an array per row, in `{order}`:
    /// `{row}` stands for the row's columns (see [`json_page`]).
    const JSON_PAGE: &'static str;
    /// Statements run in a bulk import's transaction: the first when it starts, the second
    /// before it commits (SQLite keeps more pages while an import writes many indexes).
    const BULK: Option<(&'static str, &'static str)>;
    /// The search index as a column of the postmortem's row, written by the statement that
    /// writes the row (see [`SearchColumn`]); `None` where it is a table of its own, which
    /// [`Dialect::index`] writes after the rows.
    const SEARCH_COLUMN: Option<SearchColumn>;
    /// Ends a subquery the planner must run as written, before the statement around it, rather
    /// than merge into it: PostgreSQL's `OFFSET 0`. (SQLite runs `IN (SELECT …)` as written.)
    const FENCE: &'static str;
    /// A parsed query as [`Dialect::newest_matches`] takes it.
    fn search_words(query: &SearchQuery) -> String;
    /// The postmortems (`p`) a search matches, deleted ones included, as the FROM and WHERE of
    /// a statement with the words bound as `$1` (as [`Dialect::search_words`] gives them), and
    /// the order, most recently added first, in which the first `wanted` of them within
    /// `filter` are read fastest from that FROM; `narrowed` when the statement starts from a
    /// label's postmortems instead (see [`LabelPlan`]) and only checks each for a match. The
    /// filter's conditions with indexes of their own ([`indexed_part`]) may hold fewer
    /// postmortems than a walk of the matches would pass.
    fn newest_matches(
        &self,
        pool: &Pool<Self::Db>,
        words: &str,
        wanted: i64,
        narrowed: bool,
        filter: &Filter,
    ) -> impl Future<Output = Result<(&'static str, &'static str), StoreError>> + Send;
    /// How a statement that reads the first `wanted` postmortems of `filter` (those matching
    /// `words`, if given) in its order reads those bearing a label the filter names (see
    /// [`LabelPlan`]).
    fn label_plan(
        &self,
        pool: &Pool<Self::Db>,
        filter: &Filter,
        wanted: i64,
        words: Option<&str>,
    ) -> impl Future<Output = Result<LabelPlan, StoreError>> + Send;
    /// The database as messages name it (a path, or a URL without its password).
    fn name(&self) -> String;
    /// A sqlx error as something a user can act on; it keeps the error as its source.
    fn error(&self, pool: &Pool<Self::Db>, e: sqlx::Error) -> StoreError;
    fn rows_affected(r: &<Self::Db as Database>::QueryResult) -> u64;
    /// A transaction that holds the write lock from its first statement.
    fn write(
        &self,
        pool: &Pool<Self::Db>,
    ) -> impl Future<Output = Result<Transaction<'static, Self::Db>, StoreError>> + Send;
    /// A read transaction: one consistent snapshot while writers go on.
    fn snapshot(
        &self,
        pool: &Pool<Self::Db>,
    ) -> impl Future<Output = Result<Transaction<'static, Self::Db>, StoreError>> + Send;
    /// Serialises writers on `key` until the transaction ends (a no-op where the write
    /// transaction already excludes other writers).
    fn lock(
        &self,
        tx: &mut Transaction<'static, Self::Db>,
        key: i64,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;
    /// Work after a bulk write (SQLite folds its write-ahead log back into the file).
    fn finish(&self, pool: &Pool<Self::Db>) -> impl Future<Output = ()> + Send;
    /// The database's own page-level checks, as problems.
    fn integrity(
        &self,
        pool: &Pool<Self::Db>,
        tx: &mut Transaction<'static, Self::Db>,
    ) -> impl Future<Output = Result<Vec<String>, StoreError>> + Send;
    /// Writes what the full-text index holds for these postmortems (their title and search
    /// text, which no table keeps), replacing what it held for them.
    fn index(
        &self,
        tx: &mut Transaction<'static, Self::Db>,
        entries: &[crate::SearchText<'_>],
    ) -> impl Future<Output = Result<(), StoreError>> + Send;
    /// Checks the full-text index against what it should hold for these postmortems, given a
    /// part of the library at a time in `seq` order (see [`crate::Store::verify`]); `check`
    /// keeps what the check needs between parts.
    fn check_search(
        &self,
        tx: &mut Transaction<'static, Self::Db>,
        check: &mut Self::SearchCheck,
        entries: &[crate::SearchText<'_>],
    ) -> impl Future<Output = Result<(), StoreError>> + Send;
    /// Problems with the full-text index, once [`Dialect::check_search`] was given every
    /// postmortem.
    fn search_problems(
        &self,
        tx: &mut Transaction<'static, Self::Db>,
        check: Self::SearchCheck,
    ) -> impl Future<Output = Result<Vec<String>, StoreError>> + Send;
    /// A page of search hits, best first.
    fn search(
        &self,
        pool: &Pool<Self::Db>,
        query: &SearchQuery,
        filter: &Filter,
    ) -> impl Future<Output = Result<Vec<SearchHit>, StoreError>> + Send;
}

/// A search index kept in a column of each postmortem's row (PostgreSQL's `tsvector`): its
/// name, and its value's SQL around two parameters, the title and the search text. Written by
/// the row's own INSERT or UPDATE: a second UPDATE for the index wrote every row twice, left a
/// dead copy of each, and added an entry to each of the row's indexes for the new copy.
#[derive(Clone, Copy)]
pub struct SearchColumn {
    pub name: &'static str,
    pub before_title: &'static str,
    pub before_body: &'static str,
    pub after: &'static str,
}

impl SearchColumn {
    /// The value's SQL from these expressions of the title and the search text.
    pub fn of(&self, title: &str, body: &str) -> String {
        format!(
            "{}{title}{}{body}{}",
            self.before_title, self.before_body, self.after
        )
    }

    /// The value's SQL with the title and search text in numbered parameters.
    fn value(&self, title: usize, body: usize) -> String {
        self.of(&format!("${title}"), &format!("${body}"))
    }
}

/// A [`crate::Store`] on a SQL database: the pool, and what its dialect adds.
///
/// With [`Dialect::GROUP_COMMIT`], creates, updates and audit appends are committed in groups:
/// each write joins a queue, and one waiting caller at a time takes every queued write, applies
/// each inside a savepoint of one transaction (a write that fails takes only itself back) and
/// commits once, so concurrent writers share one sync of the disk. Every caller is answered
/// after the commit that holds its write: an acknowledged write is on disk as before.
///
/// Token and head look-ups are batched the same way, on every backend: a request's token is
/// checked by a query that starts after the request asked (a token revoked before then is
/// refused), and concurrent requests share that query instead of each paying a round trip to
/// the database.
pub struct SqlStore<D: Dialect> {
    pool: Pool<D::Db>,
    dialect: std::sync::Arc<D>,
    group: std::sync::Arc<Queue<Job>>,
    tokens: std::sync::Arc<Queue<TokenLookup>>,
    heads: std::sync::Arc<Queue<HeadLookup>>,
}

impl<D: Dialect> Clone for SqlStore<D> {
    fn clone(&self) -> Self {
        SqlStore {
            pool: self.pool.clone(),
            dialect: self.dialect.clone(),
            group: self.group.clone(),
            tokens: self.tokens.clone(),
            heads: self.heads.clone(),
        }
    }
}

/// Work waiting for the next batch (writes for a group commit, tokens to look up), and the turn
/// to run one.
struct Queue<J> {
    waiting: std::sync::Mutex<Vec<J>>,
    turn: tokio::sync::Mutex<()>,
    /// What a caller hears when the batch its job was in stopped without an answer.
    lost: fn() -> StoreError,
    /// Whether a batch of one (always the caller's own job) may run on the caller's task,
    /// saving a task's start: for reads, which a caller that goes away may leave unfinished.
    alone_inline: bool,
}

impl<J> Queue<J> {
    fn new(lost: fn() -> StoreError, alone_inline: bool) -> std::sync::Arc<Queue<J>> {
        std::sync::Arc::new(Queue {
            waiting: Default::default(),
            turn: Default::default(),
            lost,
            alone_inline,
        })
    }

    /// Queues `job`, whose answer comes on `answered`, and waits for it. When no batch is
    /// running, this caller takes every queued job and runs them with `run`, on a task of its
    /// own: a caller that goes away mid-batch does not take the others' answers with it.
    async fn join<T, F, R>(
        &self,
        job: J,
        mut answered: tokio::sync::oneshot::Receiver<Result<T, StoreError>>,
        run: F,
    ) -> Result<T, StoreError>
    where
        F: FnOnce(Vec<J>) -> R,
        R: Future<Output = ()> + Send + 'static,
    {
        self.waiting
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(job);
        tokio::select! {
            biased;
            done = &mut answered => return done.unwrap_or_else(|_| Err((self.lost)())),
            _turn = self.turn.lock() => {
                let jobs = std::mem::take(&mut *self.waiting.lock().unwrap_or_else(|p| p.into_inner()));
                // The turn is held until the batch is answered, so a batch taken by this
                // caller holds its own job: a batch of one is the caller's alone.
                if jobs.len() == 1 && self.alone_inline {
                    run(jobs).await;
                } else if !jobs.is_empty() {
                    let _ = tokio::spawn(run(jobs)).await;
                }
            }
        }
        answered.await.unwrap_or_else(|_| Err((self.lost)()))
    }
}

/// A job of a batch (a write; a key to look up), and where its answer goes.
struct Queued<J, T> {
    job: J,
    answer: tokio::sync::oneshot::Sender<Result<T, StoreError>>,
}

/// A write of a group commit.
type Job = Queued<Work, Done>;

/// A token's hash, answered with its user if the token is valid.
type TokenLookup = Queued<String, Option<crate::SignedIn>>;

/// A postmortem and who asks, answered with its head if it is live.
type HeadLookup = Queued<(String, crate::Viewer), Option<crate::Head>>;

/// What a reader hears when the batch its look-up was in stopped without an answer.
fn interrupted() -> StoreError {
    StoreError::Unavailable(
        "the look-up was interrupted before it was answered; try again".into(),
        None,
    )
}

/// One write of a group commit.
enum Work {
    Save {
        doc: crate::NewDocument,
        target: Option<(String, i64)>,
        prepared: Box<crate::Prepared>,
    },
    Audit(crate::AuditEntry),
}

impl Work {
    /// Whether this makes a new postmortem under a new id, whatever the database holds: a
    /// create of a document that names no source and no identity (and is not empty, which is
    /// refused).
    fn creates(&self) -> bool {
        matches!(self, Work::Save { doc, target: None, .. }
            if doc.source.is_none() && doc.identity.is_none() && !doc.text.trim().is_empty())
    }
}

/// What the search index should hold for a postmortem saved in a transaction, written before
/// it commits.
struct Unindexed {
    seq: i64,
    title: Option<String>,
    body: String,
}

enum Done {
    Saved(crate::Saved),
    Audited,
}

/// What a writer hears when the group its write was in stopped without an answer.
fn unanswered() -> StoreError {
    StoreError::Unavailable(
        "the write was interrupted before it was acknowledged; check whether it was saved before trying again".into(),
        None,
    )
}

impl<D: Dialect> SqlStore<D> {
    /// A store on an open pool; call [`SqlStore::migrate`] before use.
    pub fn new(pool: Pool<D::Db>, dialect: D) -> SqlStore<D> {
        SqlStore {
            pool,
            dialect: std::sync::Arc::new(dialect),
            group: Queue::new(unanswered, false),
            tokens: Queue::new(interrupted, true),
            heads: Queue::new(interrupted, true),
        }
    }

    pub fn pool(&self) -> &Pool<D::Db> {
        &self.pool
    }

    pub fn dialect(&self) -> &D {
        &self.dialect
    }

    fn e(&self, e: sqlx::Error) -> StoreError {
        self.dialect.error(&self.pool, e)
    }

    fn name(&self) -> String {
        self.dialect.name()
    }

    async fn write(&self) -> Result<Transaction<'static, D::Db>, StoreError> {
        self.dialect.write(&self.pool).await
    }

    async fn snapshot(&self) -> Result<Transaction<'static, D::Db>, StoreError> {
        self.dialect.snapshot(&self.pool).await
    }

    async fn lock(&self, tx: &mut Transaction<'static, D::Db>, key: i64) -> Result<(), StoreError> {
        self.dialect.lock(tx, key).await
    }

    async fn finish(&self) {
        self.dialect.finish(&self.pool).await
    }

    async fn integrity(
        &self,
        tx: &mut Transaction<'static, D::Db>,
    ) -> Result<Vec<String>, StoreError> {
        self.dialect.integrity(&self.pool, tx).await
    }

    async fn search_in(
        &self,
        query: &SearchQuery,
        filter: &Filter,
    ) -> Result<Vec<SearchHit>, StoreError> {
        self.dialect.search(&self.pool, query, filter).await
    }
}

/// The document's record: as the caller parsed it, or parsed here on a blocking thread, before
/// any lock is taken (a large document costs its writer the parse, not every other writer
/// waiting for the lock).
async fn parsed(doc: &crate::NewDocument) -> Result<debrief_core::Postmortem, StoreError> {
    if let Some(r) = &doc.record {
        return Ok((**r).clone());
    }
    let text = doc.text.clone();
    let source = doc.source.clone();
    tokio::task::spawn_blocking(move || crate::parse_stored(&text, source.as_deref()))
        .await
        .map_err(|_| {
            StoreError::Invalid(
                "the importer failed on this document (a bug: please report it with the document); nothing was written".into(),
            )
        })
}

/// The document prepared for its save ([`crate::prepare_document`]) on a blocking thread, and
/// the document back. A group commit applies its writes one after another, so work done
/// inside it (deflating the record and the document, deriving its fields) is paid again by
/// every writer queued behind. Its action items name their postmortem once the save knows
/// which one it is.
async fn prepared(
    doc: crate::NewDocument,
) -> Result<(crate::NewDocument, crate::Prepared), StoreError> {
    tokio::task::spawn_blocking(move || {
        let prepared = crate::prepare_document("", &doc);
        (doc, prepared)
    })
    .await
    .map_err(|_| {
        StoreError::Invalid(
            "the importer failed on this document (a bug: please report it with the document); nothing was written".into(),
        )
    })
}

/// One column, or an error naming the damage: a damaged database must never panic.
pub fn col<'r, DB, T, I>(r: &'r DB::Row, i: I) -> Result<T, StoreError>
where
    DB: Database,
    T: Decode<'r, DB> + Type<DB>,
    I: ColumnIndex<DB::Row> + std::fmt::Debug,
{
    sqlx::Row::try_get(r, i).map_err(|e| {
        StoreError::Corrupt(
            format!(
                "a stored row cannot be read ({e}); run `debrief verify` and restore from a backup"
            ),
            None,
        )
    })
}

/// A packed text column (see [`crate::packed`]) as its text.
pub fn text_col<'r, DB>(r: &'r DB::Row, name: &str) -> Result<String, StoreError>
where
    DB: Database,
    Vec<u8>: Decode<'r, DB> + Type<DB>,
    for<'a> &'a str: ColumnIndex<DB::Row>,
{
    let stored: Vec<u8> = col::<DB, _, _>(r, name)?;
    crate::packed::unpack(stored).map_err(|e| {
        StoreError::Corrupt(
            format!(
                "a stored {name} cannot be read: {e}; run `debrief verify` and restore from a backup"
            ),
            None,
        )
    })
}

/// A stored record column as the postmortem it holds.
pub fn record_col<'r, DB>(r: &'r DB::Row, name: &str) -> Result<crate::Postmortem, StoreError>
where
    DB: Database,
    Vec<u8>: Decode<'r, DB> + Type<DB>,
    for<'a> &'a str: ColumnIndex<DB::Row>,
{
    serde_json::from_str(&text_col::<DB>(r, name)?).map_err(|e| {
        StoreError::Corrupt(
            format!("a stored record is damaged ({e}); run `debrief verify`"),
            None,
        )
    })
}

/// A search hit's snippet, from the prose at the start of the row's `record` column (see
/// [`crate::search::record_snippet`]): a bounded read, whatever the record's size.
pub fn hit_snippet<'r, DB>(r: &'r DB::Row, query: &SearchQuery) -> Result<String, StoreError>
where
    DB: Database,
    &'r [u8]: Decode<'r, DB> + Type<DB>,
    for<'a> &'a str: ColumnIndex<DB::Row>,
{
    let stored: &[u8] = col::<DB, _, _>(r, "record")?;
    crate::search::record_snippet(stored, query).map_err(|e| {
        StoreError::Corrupt(
            format!("a stored record cannot be read: {e}; run `debrief verify`"),
            None,
        )
    })
}

/// A query giving the rows `SELECT {columns} FROM {from}` as one JSON text (an array of
/// arrays, in `order`), by the dialect's aggregate ([`Dialect::JSON_PAGE`]). On SQLite, every
/// row and every value a query returns is copied and handed from sqlx's SQLite thread to the
/// caller one at a time; a page as one value crosses once. Only for pages of text and numbers.
pub fn json_page<D: Dialect>(columns: &str, from: &str, order: &str) -> String {
    let aggregate = D::JSON_PAGE
        .replace("{row}", columns)
        .replace("{order}", order);
    format!("SELECT {aggregate} FROM {from}")
}

/// A sample of postmortems counted as [`crate::Facets`]: `page` holds, as
/// [`Dialect::JSON_PAGE`] gives them, newest first, each one's severity key, severity, date and
/// services (a JSON array of names). A value is keyed as its filter takes it (a service by
/// [`crate::label`]) and shown as the newest postmortem having it writes it.
fn facets_of(page: &str) -> Result<crate::Facets, StoreError> {
    type Row = (Option<String>, Option<String>, Option<String>, String);
    let damaged = |e: serde_json::Error| {
        StoreError::Corrupt(
            format!("a postmortem's listed fields cannot be read ({e}); run `debrief verify`"),
            None,
        )
    };
    let rows: Vec<Row> = serde_json::from_str(page).map_err(damaged)?;
    let (mut severities, mut services, mut years) =
        (Tally::default(), Tally::default(), Tally::default());
    for (severity_key, severity, date, names) in &rows {
        if let Some(key) = severity_key.as_deref().filter(|k| !k.is_empty()) {
            severities.add(key, severity.as_deref().unwrap_or(key));
        }
        if let Some(year) = date.as_deref().and_then(|d| d.get(..4)) {
            years.add(year, year);
        }
        // Each service once per postmortem, however often and in whatever case it is named.
        let names: Vec<String> = serde_json::from_str(names).map_err(damaged)?;
        let mut keyed: Vec<(String, &str)> = names
            .iter()
            .map(|n| (crate::label(n), n.as_str()))
            .filter(|(key, _)| !key.is_empty())
            .collect();
        keyed.sort_by(|a, b| a.0.cmp(&b.0));
        keyed.dedup_by(|a, b| a.0 == b.0);
        for (key, name) in keyed {
            services.add(&key, name);
        }
    }
    let by_count = |a: &crate::FacetCount, b: &crate::FacetCount| {
        b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value))
    };
    let mut facets = crate::Facets {
        counted: rows.len() as i64,
        sampled: rows.len() as i64 >= crate::FACET_SAMPLE,
        severities: severities.counts,
        services: services.counts,
        years: years.counts,
    };
    facets.severities.sort_by(by_count);
    facets.services.sort_by(by_count);
    facets.services.truncate(crate::FACET_VALUES);
    facets.years.sort_by(|a, b| b.value.cmp(&a.value));
    Ok(facets)
}

/// Counts by key, each shown as first given.
#[derive(Default)]
struct Tally {
    counts: Vec<crate::FacetCount>,
    at: std::collections::HashMap<String, usize>,
}

impl Tally {
    fn add(&mut self, key: &str, shown: &str) {
        match self.at.get(key) {
            Some(&i) => self.counts[i].count += 1,
            None => {
                self.at.insert(key.to_string(), self.counts.len());
                self.counts.push(crate::FacetCount {
                    value: key.to_string(),
                    label: shown.to_string(),
                    count: 1,
                });
            }
        }
    }
}

/// The lock key for audit appends on backends that need an explicit lock ("debaudt" in ASCII).
pub const AUDIT_LOCK: i64 = 0x0064_6562_6175_6474;

/// The lock key that lets one instance at a time open alert drafts ("debhook" in ASCII).
pub const HOOK_LOCK: i64 = 0x0064_6562_686f_6f6b;

/// The columns of a revision row, in [`crate::Revision`]'s order.
/// Postmortems [`crate::Store::verify`] reads and checks at a time: its memory follows this,
/// not the library (at 100,000 postmortems, reading everything at once peaked at 2.5 GB).
const VERIFY_PART: i64 = 1000;

/// Rows [`crate::Store::dump_each`] reads at a time.
const DUMP_PART: i64 = 1000;

/// A table whose rows come out of key order: read a part at a time, it would never end.
fn out_of_order(database: &str, table: &str) -> StoreError {
    StoreError::Corrupt(
        format!(
            "{database}: the {table} table hands its rows out of key order; the database is damaged (run `debrief verify`, restore a backup)"
        ),
        None,
    )
}

pub const REVISION_COLUMNS: &str =
    "postmortem_id, number, author, created_at, message, sha256, content";

/// A value bound to a query built at run time.
enum Bind {
    Text(String),
    Int(i64),
}

/// `FROM ... WHERE ...` for the action items a filter selects, with its bound values. Whether
/// an item's postmortem is live and visible is a correlated scalar subquery, so that a page
/// reads the order's index from its start and looks each item's postmortem up by id: as a join
/// or an `EXISTS`, SQLite 3.51 first reads every postmortem into a Bloom filter.
fn action_conditions(f: &crate::ActionFilter) -> (String, Vec<Bind>) {
    let mut binds = Vec::new();
    let bind = |binds: &mut Vec<Bind>, v: String| {
        binds.push(Bind::Text(v));
        format!("${}", binds.len())
    };
    let mut live = String::from("p.deleted_at IS NULL");
    if let Some(v) = f.viewer.as_ref().filter(|v| !v.admin) {
        let mark = bind(&mut binds, v.name.clone());
        live.push_str(&VISIBLE_TO.replace("$?", &mark));
    }
    let mut sql = format!(
        "FROM action_items a WHERE COALESCE((SELECT {live} FROM postmortems p WHERE p.id = a.postmortem_id), FALSE)"
    );
    if let Some(svc) = &f.service {
        let mark = bind(&mut binds, crate::label(svc));
        sql.push_str(&format!(" AND a.postmortem_id IN (SELECT l.postmortem_id FROM labels l WHERE l.kind = 'service' AND l.value = {mark})"));
    }
    if f.open || f.overdue {
        sql.push_str(" AND a.status IN ('open', 'in_progress')");
    }
    if f.overdue {
        // `~` (no due date) sorts after every date.
        let mark = bind(&mut binds, f.today.clone());
        sql.push_str(&format!(" AND a.due_key < {mark}"));
    }
    if let Some(o) = &f.owner {
        let mark = bind(&mut binds, crate::label(o));
        sql.push_str(&format!(" AND a.owner_sort = {mark}"));
    }
    (sql, binds)
}

/// The condition that hides restricted postmortems from everyone but members (`$?`: the name).
pub const VISIBLE_TO: &str = " AND (p.restricted = FALSE OR EXISTS (SELECT 1 FROM members m WHERE m.postmortem_id = p.id AND m.user_name = $?))";

/// A kind of label a filter can name, as the labels table keeps it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LabelKind {
    Service,
    Tag,
}

impl LabelKind {
    pub fn as_str(self) -> &'static str {
        match self {
            LabelKind::Service => "service",
            LabelKind::Tag => "tag",
        }
    }
}

/// The labels a filter names, each with its key as the labels table keeps it.
pub fn label_filters(f: &Filter) -> impl Iterator<Item = (LabelKind, String)> + '_ {
    [(LabelKind::Service, &f.service), (LabelKind::Tag, &f.tag)]
        .into_iter()
        .filter_map(|(kind, value)| value.as_deref().map(|v| (kind, label(v))))
}

/// How a statement reads the postmortems of a filter that names a label, where the planner
/// does not weigh the label's size itself. Reading the statement's order and checking each
/// postmortem for the label costs what it reads until it has what the statement wants: little
/// for a label on many recent postmortems, the whole library for a label on none or only on
/// old ones (labels gather in time: a project's, a quarter's). Starting from the label's
/// postmortems costs their number, whatever the order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LabelPlan {
    /// The statement as written: there is no label filter, or the planner weighs it.
    AsWritten,
    /// Start from the postmortems bearing the label.
    FromLabel(LabelKind),
    /// Read at most `budget` postmortems in the statement's order, checking each and
    /// stopping once the statement has what it wants; if the budget does not give that, start
    /// from the label's postmortems instead. With the budget at most a quarter of their
    /// number, the two readings together cost at most about 1.25 times starting from the
    /// label, however the label lies in the order.
    WalkThenLabel { budget: i64, kind: LabelKind },
}

/// One reading of a [`LabelPlan`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reading {
    AsWritten,
    FromLabel(LabelKind),
    /// The first this many live postmortems in the statement's order.
    WalkAtMost(i64),
}

impl LabelPlan {
    /// The reading to try first.
    pub fn first(self) -> Reading {
        match self {
            LabelPlan::AsWritten => Reading::AsWritten,
            LabelPlan::FromLabel(kind) => Reading::FromLabel(kind),
            LabelPlan::WalkThenLabel { budget, .. } => Reading::WalkAtMost(budget),
        }
    }

    /// The reading after the first, when that gave `got` of the `wanted` rows and so may have
    /// missed some.
    pub fn then(self, got: i64, wanted: i64) -> Option<Reading> {
        match self {
            LabelPlan::WalkThenLabel { kind, .. } if got < wanted => Some(Reading::FromLabel(kind)),
            _ => None,
        }
    }
}

impl Reading {
    /// The label the statement starts from, for [`filter_sql`].
    pub fn label(self) -> Option<LabelKind> {
        match self {
            Reading::FromLabel(kind) => Some(kind),
            _ => None,
        }
    }

    /// The FROM and WHERE a statement reads `p` from, and the ORDER BY that reads it in
    /// `order`: `from` and `order` themselves or, for a bounded walk, the first live
    /// postmortems of `from` in `order`, each with the values it is ordered by (`w.k0`,
    /// `w.k1`, …) and read again as `p`. Ordered by those values, the statement reads the walk
    /// in its order and stops once it has what it wants (ordered by `p`'s columns, it would
    /// read and sort the whole walk first: 18 ms instead of 0.1 ms for a label on the newest
    /// postmortems at 100,000).
    pub fn from(self, from: &str, order: &str) -> (String, String) {
        match self {
            Reading::WalkAtMost(budget) => {
                let keys = order_keys(order);
                let values: Vec<String> = keys
                    .iter()
                    .enumerate()
                    .map(|(i, (key, _))| format!("{key} AS k{i}"))
                    .collect();
                let on_w: Vec<String> = keys
                    .iter()
                    .enumerate()
                    .map(|(i, (_, direction))| format!("w.k{i}{direction}"))
                    .collect();
                (
                    format!(
                        "(SELECT p.seq, {} FROM {from} AND p.deleted_at IS NULL ORDER BY {order} LIMIT {budget}) w JOIN postmortems p ON p.seq = w.seq WHERE TRUE",
                        values.join(", ")
                    ),
                    on_w.join(", "),
                )
            }
            _ => (from.to_string(), order.to_string()),
        }
    }
}

/// The keys of an ORDER BY written here, each as its expression and its direction (`""`,
/// `" ASC"` or `" DESC"`): split at the commas outside parentheses.
fn order_keys(order: &str) -> Vec<(&str, &str)> {
    fn key(key: &str) -> (&str, &str) {
        let key = key.trim();
        for direction in [" DESC", " ASC"] {
            if let Some(expr) = key.strip_suffix(direction) {
                return (expr, direction);
            }
        }
        (key, "")
    }
    let mut keys = Vec::new();
    let (mut depth, mut start) = (0usize, 0);
    for (i, c) in order.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => {
                keys.push(key(&order[start..i]));
                start = i + 1;
            }
            _ => {}
        }
    }
    keys.push(key(&order[start..]));
    keys
}

/// The part of `filter` whose conditions have indexes of their own (status, severity, the
/// incident's dates), if it has one: a statement can start from the postmortems they hold,
/// however few, where walking the newest matches passes every match they leave out
/// (`database`, on 21,078 of 100,000 postmortems, within two months holding none of them:
/// every match was read).
pub fn indexed_part(filter: &Filter) -> Option<Filter> {
    let part = Filter {
        status: filter.status.clone(),
        severity: filter.severity.clone(),
        from: filter.from.clone(),
        to: filter.to.clone(),
        ..Filter::default()
    };
    [&part.status, &part.severity, &part.from, &part.to]
        .iter()
        .any(|c| c.is_some())
        .then_some(part)
}

/// The most postmortems bearing a label (see [`label_plan`]), or within a filter's indexed
/// part (see [`indexed_part`]), that a statement starts from rather than walk its order: each
/// costs a look-up (3 to 8 microseconds on SQLite, about as much on PostgreSQL), 80 ms at
/// most.
pub const LABEL_START: i64 = 10_000;

/// How a statement that reads the first `wanted` postmortems of `filter` in its order reads
/// those bearing a label (see [`LabelPlan`]), where the database does not weigh the label's
/// place in that order itself. SQLite's planner never weighs a label filter: it reads the
/// order and checks each postmortem. PostgreSQL's weighs the label's size but assumes it is
/// spread evenly over the order: for a tag on 1,808 of 100,000 postmortems, gathered on old
/// ones, it expected to read 2,100 postmortems to list the newest 50 and read 41,289 (0.15 s).
///
/// A label on no more postmortems than the statement wants is started from. One on more (up
/// to [`LABEL_START`]) is walked first where the database `walks` a bounded part of an order
/// as written, as far as the walk would go to meet the wanted number were the label spread
/// evenly (`n` of `library` meet `wanted` about `wanted * library / n` in), four times over,
/// but no further than a quarter of the label's own count; then started from. Where it does
/// not, the label is started from. A search whose matches are no more than the label's
/// postmortems (`fewer_matches(n)`) walks its matches. A label on more than [`LABEL_START`] is
/// left to the planner, unless the statement wants at least all of it (a deep page:
/// `offset=99000` with a tag on 12,646 walked the whole library, 0.46 s). Each count stops
/// past what it decides, read from an index.
pub async fn label_plan<DB, M, F>(
    pool: &Pool<DB>,
    filter: &Filter,
    wanted: i64,
    walks: bool,
    fewer_matches: M,
    e: impl Fn(sqlx::Error) -> StoreError,
) -> Result<LabelPlan, StoreError>
where
    DB: Database,
    M: FnOnce(i64) -> F,
    F: Future<Output = Result<bool, StoreError>>,
    for<'c> &'c Pool<DB>: Executor<'c, Database = DB>,
    <DB as Database>::Arguments: IntoArguments<DB>,
    for<'q> &'q str: Encode<'q, DB> + Type<DB>,
    for<'q> String: Encode<'q, DB> + Type<DB>,
    for<'q> i64: Encode<'q, DB> + Decode<'q, DB> + Type<DB>,
    usize: ColumnIndex<DB::Row>,
{
    let counted_up_to = LABEL_START.max(wanted);
    let mut fewest: Option<(LabelKind, i64)> = None;
    for (kind, key) in label_filters(filter) {
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM (SELECT 1 FROM labels WHERE kind = $1 AND value = $2 LIMIT $3) AS labelled",
        )
        .bind(kind.as_str())
        .bind(key)
        .bind(counted_up_to.saturating_add(1))
        .fetch_one(pool)
        .await
        .map_err(&e)?;
        if fewest.is_none_or(|(_, m)| n < m) {
            fewest = Some((kind, n));
        }
    }
    let Some((kind, n)) = fewest.filter(|&(_, n)| n <= counted_up_to) else {
        return Ok(LabelPlan::AsWritten);
    };
    if fewer_matches(n).await? {
        return Ok(LabelPlan::AsWritten);
    }
    // Past LABEL_START, only a statement that wants the whole label anyway (a deep page).
    if n <= wanted || !walks {
        return Ok(LabelPlan::FromLabel(kind));
    }
    let library: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(seq), 0) FROM postmortems")
        .fetch_one(pool)
        .await
        .map_err(&e)?;
    let even = wanted.saturating_mul(library).saturating_mul(4) / n.max(1);
    Ok(LabelPlan::WalkThenLabel {
        budget: even.min(n / 4).max(wanted),
        kind,
    })
}

/// What `read` gives with the first reading of `plan`, or with the second when the first
/// may have missed some: `got` says how many of the `wanted` rows a result holds.
pub async fn by_plan<T, F, R>(
    plan: LabelPlan,
    wanted: i64,
    read: F,
    got: impl Fn(&T) -> i64,
) -> Result<T, StoreError>
where
    F: Fn(Reading) -> R,
    R: Future<Output = Result<T, StoreError>>,
{
    let result = read(plan.first()).await?;
    match plan.then(got(&result), wanted) {
        Some(second) => read(second).await,
        None => Ok(result),
    }
}

/// SQL conditions and values for a filter, numbered from `$first`. A label filter is a
/// condition checked on each postmortem the statement reads, in its order; the one named by
/// `start` (see [`LabelPlan`]) is written as the set of postmortems bearing it, which a
/// planner that does not weigh a condition's size reads first.
pub fn filter_sql<D: Dialect>(
    f: &Filter,
    first: usize,
    start: Option<LabelKind>,
) -> (String, Vec<String>) {
    let mut sql = String::new();
    let mut vals = Vec::new();
    let mut add = |cond: &str, v: String| {
        vals.push(v);
        sql.push_str(&cond.replace("$?", &format!("${}", first + vals.len() - 1)));
    };
    if let Some(s) = &f.status {
        add(" AND p.status_key = $?", label(s));
    }
    if let Some(s) = &f.severity {
        add(" AND p.severity_key = $?", severity_key(s));
    }
    for (kind, key) in label_filters(f) {
        let labelled = format!(
            "labels l WHERE l.kind = '{}' AND l.value = $?",
            kind.as_str()
        );
        if start == Some(kind) {
            add(
                &format!(
                    " AND p.id IN (SELECT l.postmortem_id FROM {labelled}{})",
                    D::FENCE
                ),
                key,
            );
        } else {
            add(
                &format!(" AND EXISTS (SELECT 1 FROM {labelled} AND l.postmortem_id = p.id)"),
                key,
            );
        }
    }
    if let Some(s) = &f.from {
        add(" AND p.date >= $?", s.clone());
    }
    if let Some(s) = &f.to {
        add(" AND p.date <= $?", s.clone());
    }
    if let Some(v) = f.viewer.as_ref().filter(|v| !v.admin) {
        add(VISIBLE_TO, v.name.clone());
    }
    (sql, vals)
}

impl<D> SqlStore<D>
where
    D: Dialect,
    for<'c> &'c mut <D::Db as Database>::Connection: Executor<'c, Database = D::Db>,
    <D::Db as Database>::Connection: Migrate,
    <D::Db as Database>::Arguments: IntoArguments<D::Db>,
    for<'q> &'q str: Encode<'q, D::Db> + Type<D::Db>,
    for<'q> String: Encode<'q, D::Db> + Decode<'q, D::Db> + Type<D::Db>,
    for<'q> i64: Encode<'q, D::Db> + Decode<'q, D::Db> + Type<D::Db>,
    for<'q> bool: Encode<'q, D::Db> + Decode<'q, D::Db> + Type<D::Db>,
    for<'q> Option<String>: Encode<'q, D::Db> + Decode<'q, D::Db> + Type<D::Db>,
    for<'q> Option<&'q str>: Encode<'q, D::Db> + Type<D::Db>,
    for<'q> Vec<u8>: Encode<'q, D::Db> + Decode<'q, D::Db> + Type<D::Db>,
    usize: ColumnIndex<<D::Db as Database>::Row>,
    for<'a> &'a str: ColumnIndex<<D::Db as Database>::Row>,
{
    /// Hands `each` the `columns` of every revision, by postmortem and number, `per` rows read
    /// at a time; `each` answers the row's key (postmortem, number). Each part starts past the
    /// highest key of the last, so a damaged table that hands rows out of order is an error,
    /// never an endless read.
    async fn each_revision(
        &self,
        tx: &mut Transaction<'static, D::Db>,
        columns: &str,
        per: i64,
        mut each: impl FnMut(&<D::Db as Database>::Row) -> Result<(String, i64), StoreError>,
    ) -> Result<(), StoreError> {
        let mut after = (String::new(), 0i64);
        loop {
            let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
                "SELECT {columns} FROM revisions WHERE (postmortem_id, number) > ($1, $2) ORDER BY postmortem_id, number LIMIT {per}"
            )))
            .bind(&after.0)
            .bind(after.1)
            .fetch_all(&mut **tx)
            .await
            .map_err(|e| self.e(e))?;
            let before = after.clone();
            for r in &rows {
                after = after.max(each(r)?);
            }
            if rows.len() < per as usize {
                return Ok(());
            }
            if after == before {
                return Err(out_of_order(&self.name(), "revisions"));
            }
        }
    }

    /// [`crate::Store::verify`] of the postmortems after `after` in `seq` order, at most
    /// [`VERIFY_PART`] of them, with their revisions, labels and action items: problems go to
    /// `report`, their search texts to the search index's check. The last `seq` checked, or
    /// `None` past the end.
    async fn verify_part(
        &self,
        tx: &mut Transaction<'static, D::Db>,
        after: i64,
        search: &mut D::SearchCheck,
        report: &mut crate::VerifyReport,
    ) -> Result<Option<i64>, crate::StoreError> {
        let pms = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT seq, id, current_revision, title, severity, status, date, record, record_sha256 FROM postmortems WHERE seq > $1 ORDER BY seq LIMIT {VERIFY_PART}"
        )))
        .bind(after)
        .fetch_all(&mut **tx)
        .await
        .map_err(|e| self.e(e))?;
        if pms.is_empty() {
            return Ok(None);
        }
        // The part's highest `seq`, not its last row's: a damaged table can hand rows out of
        // order, and the next part must start past every one of them, or verify would read
        // the same rows forever.
        let mut last = after;
        for p in &pms {
            last = last.max(col::<D::Db, i64, _>(p, "seq")?);
        }
        if last == after {
            report
                .problems
                .push(out_of_order(&self.name(), "postmortems").to_string());
            return Ok(None);
        }
        // The rows of this part's postmortems.
        // `SELECT ... FROM table` of this part's postmortems' rows, in `order`.
        let of_part = |select: &str, order: &str| {
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "{select} WHERE postmortem_id IN (SELECT id FROM postmortems WHERE seq > $1 AND seq <= $2){order}"
            )))
            .bind(after)
            .bind(last)
        };
        // Every revision: content against its hash, the row against its checksum, numbers
        // without gaps up to the current one.
        let rows = of_part(
            &format!("SELECT {REVISION_COLUMNS}, checksum FROM revisions"),
            " ORDER BY postmortem_id, number",
        )
        .fetch_all(&mut **tx)
        .await
        .map_err(|e| self.e(e))?;
        let mut latest: std::collections::HashMap<String, i64> = Default::default();
        for r in &rows {
            let rev = match Self::revision_of(r) {
                Ok(rev) => rev,
                Err(e) => {
                    report.problems.push(e.to_string());
                    continue;
                }
            };
            report.revisions += 1;
            if !rev.content_intact() {
                report.problems.push(format!(
                    "{} revision {}: the content does not match its SHA-256",
                    rev.postmortem_id, rev.number
                ));
            }
            match col::<D::Db, String, _>(r, "checksum") {
                Ok(stored) if stored == rev.checksum() => {}
                Ok(_) => report.problems.push(format!(
                    "{} revision {}: the row does not match its checksum",
                    rev.postmortem_id, rev.number
                )),
                Err(e) => {
                    report.problems.push(format!(
                        "{} revision {}: {e}",
                        rev.postmortem_id, rev.number
                    ));
                    continue;
                }
            }
            let n = latest.entry(rev.postmortem_id.clone()).or_insert(0);
            if rev.number != *n + 1 {
                report.problems.push(format!(
                    "{} revision {}: revisions are not numbered 1, 2, 3, ...",
                    rev.postmortem_id, rev.number
                ));
            }
            *n = rev.number;
        }
        drop(rows);
        let labels = of_part("SELECT postmortem_id, kind, value FROM labels", "")
            .fetch_all(&mut **tx)
            .await
            .map_err(|e| self.e(e))?;
        let actions = of_part(
            "SELECT postmortem_id, text, owner, due, status, kind, tracker, position FROM action_items",
            " ORDER BY postmortem_id, position",
        )
            .fetch_all(&mut **tx)
            .await
            .map_err(|e| self.e(e))?;
        let mut by_id: std::collections::HashMap<String, crate::StoredDerived> = Default::default();
        for l in &labels {
            by_id
                .entry(col::<D::Db, _, _>(l, 0)?)
                .or_default()
                .labels
                .push((col::<D::Db, _, _>(l, 1)?, col::<D::Db, _, _>(l, 2)?));
        }
        for a in &actions {
            let id: String = col::<D::Db, _, _>(a, 0)?;
            by_id
                .entry(id.clone())
                .or_default()
                .actions
                .push(crate::ActionRow {
                    postmortem_id: id,
                    postmortem_title: None,
                    text: col::<D::Db, _, _>(a, 1)?,
                    owner: col::<D::Db, _, _>(a, 2)?,
                    due: col::<D::Db, _, _>(a, 3)?,
                    status: col::<D::Db, _, _>(a, 4)?,
                    kind: col::<D::Db, _, _>(a, 5)?,
                    tracker: col::<D::Db, _, _>(a, 6)?,
                    position: col::<D::Db, _, _>(a, 7)?,
                    revision: 0,
                });
        }
        let mut searched: Vec<(i64, crate::Derived)> = Vec::with_capacity(pms.len());
        for p in &pms {
            report.postmortems += 1;
            let id: String = col::<D::Db, _, _>(p, "id")?;
            let current: i64 = col::<D::Db, _, _>(p, "current_revision")?;
            if latest.get(&id).copied() != Some(current) {
                report.problems.push(format!(
                    "{id}: the current revision {current} is not its latest stored revision"
                ));
            }
            let mut d = by_id.remove(&id).unwrap_or_default();
            d.title = col::<D::Db, _, _>(p, "title")?;
            d.severity = col::<D::Db, _, _>(p, "severity")?;
            d.status = col::<D::Db, _, _>(p, "status")?;
            d.date = col::<D::Db, _, _>(p, "date")?;
            d.record_json = match text_col::<D::Db>(p, "record") {
                Ok(json) => json,
                Err(e) => {
                    report.problems.push(format!("{id}: {e}"));
                    continue;
                }
            };
            d.record_sha256 = col::<D::Db, _, _>(p, "record_sha256")?;
            let (problems, derived) = crate::check_derived(&id, &d);
            report.problems.extend(problems);
            if let Some(derived) = derived {
                searched.push((col::<D::Db, _, _>(p, "seq")?, derived));
            }
        }
        let entries: Vec<crate::SearchText<'_>> = searched
            .iter()
            .map(|(seq, d)| crate::SearchText::of(*seq, d))
            .collect();
        self.dialect.check_search(tx, search, &entries).await?;
        Ok(Some(last))
    }

    /// Stamps `revoked_at` on the rows `sql` selects by `key` (`$1`; `$2` is now) in a write
    /// transaction: how many it revoked.
    async fn revoke(&self, sql: &'static str, key: &str) -> Result<u64, crate::StoreError> {
        let mut tx = self.write().await?;
        let done = sqlx::query(sql)
            .bind(key)
            .bind(crate::now())
            .execute(&mut *tx)
            .await
            .map_err(|e| self.e(e))?;
        tx.commit().await.map_err(|e| self.e(e))?;
        Ok(D::rows_affected(&done))
    }

    /// Saves a document that carries the id of an exported postmortem: unchanged when its
    /// record is the stored one (line numbers aside: the export lays the text out anew), a new
    /// revision when it changed, a conflict when someone other than its author also saved the
    /// postmortem after the exported revision; created under that id when this store does not
    /// have it yet.
    async fn save_identified(
        &self,
        tx: &mut sqlx::Transaction<'static, D::Db>,
        doc: &crate::NewDocument,
        identity: &debrief_core::Identity,
    ) -> Result<crate::Saved, crate::StoreError> {
        let id = identity.id.as_str();
        let row = sqlx::query(
            "SELECT current_revision, deleted_at IS NOT NULL, record FROM postmortems WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&mut **tx)
        .await
        .map_err(|e| self.e(e))?;
        // Not here: the postmortem moves in under its own id, keyed by that id alone.
        let keyed_by_id = crate::NewDocument {
            source: None,
            ..doc.clone()
        };
        let Some(row) = row else {
            return self.save(tx, &keyed_by_id, None, None).await;
        };
        let current: i64 = col::<D::Db, _, _>(&row, 0)?;
        let deleted: bool = col::<D::Db, _, _>(&row, 1)?;
        let stored = text_col::<D::Db>(&row, "record")?;
        let saved = |revision, outcome| crate::Saved {
            id: id.to_string(),
            revision,
            outcome,
        };
        if deleted {
            return Ok(saved(current, crate::Outcome::Deleted));
        }
        let record = match &doc.record {
            Some(r) => (**r).clone(),
            None => crate::parse_stored(&doc.text, doc.source.as_deref()),
        };
        let same = serde_json::from_str::<debrief_core::Postmortem>(&stored)
            .is_ok_and(|old| old.without_lines() == record.without_lines());
        if same {
            return Ok(saved(current, crate::Outcome::Unchanged));
        }
        // Someone else saved a revision after the one exported: theirs is not overwritten.
        // The author's own later saves (an earlier import of this file) are no conflict.
        if let Some(exported) = identity.revision.filter(|r| *r < current) {
            let others = sqlx::query(
                "SELECT 1 FROM revisions WHERE postmortem_id = $1 AND number > $2 AND author <> $3 LIMIT 1",
            )
            .bind(id)
            .bind(exported)
            .bind(&doc.author)
            .fetch_optional(&mut **tx)
            .await
            .map_err(|e| self.e(e))?;
            if others.is_some() {
                return Ok(saved(current, crate::Outcome::Conflict));
            }
        }
        self.save(tx, &keyed_by_id, Some((id, current)), Some(record))
            .await
    }

    async fn save(
        &self,
        tx: &mut sqlx::Transaction<'static, D::Db>,
        doc: &crate::NewDocument,
        target: Option<(&str, i64)>,
        record: Option<debrief_core::Postmortem>,
    ) -> Result<crate::Saved, crate::StoreError> {
        let mut unindexed = Vec::new();
        let prepared = record.map(|r| crate::prepare_record("", &doc.text, &r));
        let saved = self
            .save_unindexed(tx, doc, target, prepared, &mut unindexed)
            .await?;
        self.index_all(tx, unindexed).await?;
        Ok(saved)
    }

    /// [`SqlStore::save_unindexed`], then the document's audit entry (if any) in the same
    /// transaction: what [`crate::Store::create`] and [`crate::Store::update`] write.
    async fn save_audited(
        &self,
        tx: &mut sqlx::Transaction<'static, D::Db>,
        doc: &crate::NewDocument,
        target: Option<(&str, i64)>,
        prepared: Option<crate::Prepared>,
        unindexed: &mut Vec<Unindexed>,
    ) -> Result<crate::Saved, crate::StoreError> {
        let saved = self
            .save_unindexed(tx, doc, target, prepared, unindexed)
            .await?;
        if let Some(audit) = &doc.audit {
            self.append_audit(tx, &audit.entry(&saved, target.map(|(_, base)| base)))
                .await?;
        }
        Ok(saved)
    }

    /// Writes what the search index holds for saved postmortems: for one saved twice, what it
    /// held last.
    async fn index_all(
        &self,
        tx: &mut sqlx::Transaction<'static, D::Db>,
        mut unindexed: Vec<Unindexed>,
    ) -> Result<(), crate::StoreError> {
        let mut seen = std::collections::HashSet::new();
        unindexed.reverse();
        unindexed.retain(|u| seen.insert(u.seq));
        // In ascending order: FTS5 writes what it holds in memory to disk (a segment, and its
        // merges) whenever a row comes below the one before it.
        unindexed.sort_unstable_by_key(|u| u.seq);
        let entries: Vec<crate::SearchText<'_>> = unindexed
            .iter()
            .map(|u| crate::SearchText {
                seq: u.seq,
                title: u.title.as_deref(),
                body: &u.body,
            })
            .collect();
        if entries.is_empty() {
            return Ok(());
        }
        self.dialect.index(tx, &entries).await
    }

    /// [`SqlStore::save`] without writing the search index: what it should hold is pushed to
    /// `unindexed` instead.
    async fn save_unindexed(
        &self,
        tx: &mut sqlx::Transaction<'static, D::Db>,
        doc: &crate::NewDocument,
        target: Option<(&str, i64)>,
        prepared: Option<crate::Prepared>,
        unindexed: &mut Vec<Unindexed>,
    ) -> Result<crate::Saved, crate::StoreError> {
        if doc.text.trim().is_empty() {
            return Err(crate::StoreError::Invalid(
                "the document is empty; a postmortem needs at least a summary or a timeline".into(),
            ));
        }
        let sha = match &prepared {
            Some(p) => p.sha256.clone(),
            None => crate::sha256_hex(doc.text.as_bytes()),
        };
        let existing: Option<(String, i64, Option<String>, String)> = match (target, &doc.source) {
                    (Some((id, _)), _) => sqlx::query("SELECT p.id, p.current_revision, p.deleted_at, r.sha256 FROM postmortems p JOIN revisions r ON r.postmortem_id = p.id AND r.number = p.current_revision WHERE p.id = $1")
                        .bind(id)
                        .fetch_optional(&mut **tx)
                        .await
                        .map_err(|e| self.e(e))?
                        .map(|r| Ok::<_, crate::StoreError>((col::<D::Db, _, _>(&r, 0)?, col::<D::Db, _, _>(&r, 1)?, col::<D::Db, _, _>(&r, 2)?, col::<D::Db, _, _>(&r, 3)?)))
                        .transpose()?,
                    (None, Some(source)) => sqlx::query("SELECT p.id, p.current_revision, p.deleted_at, r.sha256 FROM postmortems p JOIN revisions r ON r.postmortem_id = p.id AND r.number = p.current_revision WHERE p.source = $1")
                        .bind(source)
                        .fetch_optional(&mut **tx)
                        .await
                        .map_err(|e| self.e(e))?
                        .map(|r| Ok::<_, crate::StoreError>((col::<D::Db, _, _>(&r, 0)?, col::<D::Db, _, _>(&r, 1)?, col::<D::Db, _, _>(&r, 2)?, col::<D::Db, _, _>(&r, 3)?)))
                        .transpose()?,
                    (None, None) => None,
                };
        let now = crate::now();
        let (id, number, outcome) = match (existing, target) {
            (None, Some((id, _))) => {
                return Err(crate::StoreError::NotFound(format!("no postmortem {id}")));
            }
            (Some((id, _, Some(_), _)), Some(_)) => {
                return Err(crate::StoreError::NotFound(format!(
                    "postmortem {id} was deleted"
                )));
            }
            (Some((id, current, Some(_), _)), None) => {
                return Ok(crate::Saved {
                    id,
                    revision: current,
                    outcome: crate::Outcome::Deleted,
                });
            }
            (Some((id, current, None, _)), Some((_, base))) if current != base => {
                return Err(crate::StoreError::Conflict { id, base, current });
            }
            (Some((id, current, None, old)), None) if old == sha => {
                return Ok(crate::Saved {
                    id,
                    revision: current,
                    outcome: crate::Outcome::Unchanged,
                });
            }
            (Some((id, current, None, _)), _) => (id, current + 1, crate::Outcome::Updated),
            (None, None) => {
                let id = match &doc.identity {
                    Some(identity) => identity.id.clone(),
                    None => crate::new_id(doc.source.as_deref(), &doc.text),
                };
                (id, 1, crate::Outcome::Created)
            }
        };
        let crate::Prepared {
            derived: mut d,
            record_packed,
            record_sha256: rec_sha,
            text_packed,
            services_json: services,
            severity_key,
            status_key,
            ..
        } = prepared.unwrap_or_else(|| crate::prepare("", &doc.text, doc.source.as_deref()));
        for a in &mut d.actions {
            a.postmortem_id.clone_from(&id);
        }
        // The search column, where the dialect keeps one, is written with the row from the
        // title ($4) and the search text (bound last).
        let search = |body: usize| D::SEARCH_COLUMN.map(|c| (c.name, c.value(4, body)));
        let seq: i64 = if outcome == crate::Outcome::Created {
            let (column, value) = search(13)
                .map(|(name, value)| (format!(", {name}"), format!(", {value}")))
                .unwrap_or_default();
            let q = sqlx::query_scalar(sqlx::AssertSqlSafe(format!("INSERT INTO postmortems (id, source, created_at, current_revision, updated_at, title, severity, severity_key, status, status_key, date, services, record, record_sha256{column}) VALUES ($1, $2, $3, 1, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12{value}) RETURNING seq")))
                        .bind(&id)
                        .bind(&doc.source)
                        .bind(now)
                        .bind(&d.title)
                        .bind(&d.severity)
                        .bind(&severity_key)
                        .bind(&d.status)
                        .bind(&status_key)
                        .bind(&d.date)
                        .bind(&services)
                        .bind(record_packed)
                        .bind(&rec_sha);
            let q = if D::SEARCH_COLUMN.is_some() {
                q.bind(&d.body)
            } else {
                q
            };
            q.fetch_one(&mut **tx).await.map_err(|e| self.e(e))?
        } else {
            // The base check again, as part of the write: a lost race is a conflict.
            let set_search = search(14)
                .map(|(name, value)| format!(", {name} = {value}"))
                .unwrap_or_default();
            let q = sqlx::query_scalar(sqlx::AssertSqlSafe(format!("UPDATE postmortems SET current_revision = $2, updated_at = $3, title = $4, severity = $5, severity_key = $6, status = $7, status_key = $8, date = $9, services = $10, record = $11, record_sha256 = $12{set_search} WHERE id = $1 AND current_revision = $13 AND deleted_at IS NULL RETURNING seq")))
                        .bind(&id)
                        .bind(number)
                        .bind(now)
                        .bind(&d.title)
                        .bind(&d.severity)
                        .bind(&severity_key)
                        .bind(&d.status)
                        .bind(&status_key)
                        .bind(&d.date)
                        .bind(&services)
                        .bind(record_packed)
                        .bind(&rec_sha)
                        .bind(number - 1);
            let q = if D::SEARCH_COLUMN.is_some() {
                q.bind(&d.body)
            } else {
                q
            };
            let done: Option<i64> = q.fetch_optional(&mut **tx).await.map_err(|e| self.e(e))?;
            done.ok_or_else(|| crate::StoreError::Conflict {
                id: id.clone(),
                base: number - 1,
                current: number,
            })?
        };
        let rev = crate::Revision {
            postmortem_id: id.clone(),
            number,
            author: doc.author.clone(),
            created_at: now,
            message: doc.message.clone(),
            sha256: sha,
            content: doc.text.clone(),
        };
        self.insert_revision(tx, &rev, text_packed).await?;
        self.write_children(tx, &id, &d, outcome == crate::Outcome::Created)
            .await?;
        if D::SEARCH_COLUMN.is_none() {
            unindexed.push(Unindexed {
                seq,
                title: d.title,
                body: d.body,
            });
        }
        Ok(crate::Saved {
            id,
            revision: number,
            outcome,
        })
    }

    /// Appends one row to the hash-chained audit trail, inside `tx`.
    async fn append_audit(
        &self,
        tx: &mut sqlx::Transaction<'static, D::Db>,
        entry: &crate::AuditEntry,
    ) -> Result<(), crate::StoreError> {
        self.append_audits(tx, std::slice::from_ref(entry)).await
    }

    /// Appends rows to the hash-chained audit trail, in order, inside `tx`: the last row is
    /// read once and the chain is carried on in memory, many rows to a statement.
    async fn append_audits(
        &self,
        tx: &mut sqlx::Transaction<'static, D::Db>,
        entries: &[crate::AuditEntry],
    ) -> Result<(), crate::StoreError> {
        if entries.is_empty() {
            return Ok(());
        }
        self.lock(tx, crate::sql::AUDIT_LOCK).await?;
        let last = sqlx::query("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1")
            .fetch_optional(&mut **tx)
            .await
            .map_err(|e| self.e(e))?;
        let (mut seq, mut prev_hash) = match last {
            Some(r) => (
                col::<D::Db, i64, _>(&r, 0)?,
                col::<D::Db, String, _>(&r, 1)?,
            ),
            None => (0, crate::AUDIT_GENESIS.to_string()),
        };
        let at = crate::now();
        let rows: Vec<crate::AuditRow> = entries
            .iter()
            .map(|entry| {
                seq += 1;
                let mut row = crate::AuditRow {
                    seq,
                    at,
                    entry: entry.bounded(),
                    prev_hash: std::mem::take(&mut prev_hash),
                    hash: String::new(),
                };
                row.hash = row.compute_hash();
                prev_hash.clone_from(&row.hash);
                row
            })
            .collect();
        // Ten values a row, well under every backend's limit of bound values.
        for part in rows.chunks(100) {
            let mut qb = sqlx::QueryBuilder::<D::Db>::new(
                "INSERT INTO audit (seq, at, actor, action, target, outcome, remote, detail, prev_hash, hash) ",
            );
            qb.push_values(part, |mut b, row| {
                b.push_bind(row.seq)
                    .push_bind(row.at)
                    .push_bind(row.entry.actor.clone())
                    .push_bind(row.entry.action.clone())
                    .push_bind(row.entry.target.clone())
                    .push_bind(row.entry.outcome.clone())
                    .push_bind(row.entry.remote.clone())
                    .push_bind(row.entry.detail.clone())
                    .push_bind(row.prev_hash.clone())
                    .push_bind(row.hash.clone());
            });
            qb.build().execute(&mut **tx).await.map_err(|e| self.e(e))?;
        }
        Ok(())
    }

    /// Queues a write for the next group commit and waits for its answer; when no group is
    /// being committed, this caller commits the queue (see [`SqlStore`]).
    async fn grouped(&self, work: Work) -> Result<Done, StoreError> {
        let (answer, answered) = tokio::sync::oneshot::channel();
        let me = self.clone();
        self.group
            .join(Queued { job: work, answer }, answered, |jobs| async move {
                me.commit_group(jobs).await
            })
            .await
    }

    /// Looks `key` up in the next batch of `queue` and waits for its answer. `batch` answers a
    /// whole batch, one value per key in order; if it fails, every caller hears why.
    async fn look_up<K, T, F, R>(
        &self,
        queue: &Queue<Queued<K, T>>,
        key: K,
        batch: F,
    ) -> Result<T, StoreError>
    where
        K: Send + 'static,
        T: Send + 'static,
        F: FnOnce(Self, Vec<K>) -> R,
        R: Future<Output = Result<Vec<T>, StoreError>> + Send + 'static,
    {
        let (answer, answered) = tokio::sync::oneshot::channel();
        let me = self.clone();
        queue
            .join(Queued { job: key, answer }, answered, |lookups| {
                let (keys, answers): (Vec<K>, Vec<_>) =
                    lookups.into_iter().map(|l| (l.job, l.answer)).unzip();
                let values = batch(me, keys);
                async move {
                    match values.await {
                        Ok(values) => {
                            for (answer, value) in answers.into_iter().zip(values) {
                                let _ = answer.send(Ok(value));
                            }
                        }
                        Err(e) => {
                            for answer in answers {
                                let _ = answer.send(Err(e.clone()));
                            }
                        }
                    }
                }
            })
            .await
    }

    /// Each token's user, if the token is valid now, with the library's generation.
    async fn tokens_of(
        self,
        hashes: Vec<String>,
    ) -> Result<Vec<Option<crate::SignedIn>>, StoreError> {
        let generation = D::GENERATION.unwrap_or("SELECT CAST(NULL AS BIGINT)");
        let now = crate::now();
        let rows = self
            .rows_in(
                || {
                    let mut qb = sqlx::QueryBuilder::new(format!(
                        "SELECT u.name, u.role, u.password_hash, u.created_at, ({generation}) AS generation, t.hash FROM tokens t JOIN users u ON u.name = t.user_name WHERE t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > "
                    ));
                    qb.push_bind(now).push(") AND t.hash IN (");
                    qb
                },
                hashes.iter().map(String::as_str).collect(),
            )
            .await?;
        let mut valid = std::collections::HashMap::new();
        for r in &rows {
            valid.insert(
                col::<D::Db, String, _>(r, "hash")?,
                crate::SignedIn {
                    user: Self::user_row(r)?,
                    generation: col::<D::Db, Option<i64>, _>(r, "generation")?,
                },
            );
        }
        Ok(hashes.iter().map(|h| valid.get(h).cloned()).collect())
    }

    /// Each live postmortem's current revision, whether it is restricted and whether its
    /// viewer may read it: one query for the postmortems, one for the members of the
    /// restricted ones that someone other than an admin asked about.
    async fn heads_of(
        self,
        asked: Vec<(String, crate::Viewer)>,
    ) -> Result<Vec<Option<crate::Head>>, StoreError> {
        let mut live = std::collections::HashMap::new();
        for r in &self
            .rows_in(
                || sqlx::QueryBuilder::new("SELECT id, current_revision, restricted FROM postmortems WHERE deleted_at IS NULL AND id IN ("),
                asked.iter().map(|(id, _)| id.as_str()).collect(),
            )
            .await?
        {
            live.insert(
                col::<D::Db, String, _>(r, 0)?,
                (col::<D::Db, i64, _>(r, 1)?, col::<D::Db, bool, _>(r, 2)?),
            );
        }
        let restricted = asked
            .iter()
            .filter(|(id, viewer)| !viewer.admin && live.get(id).is_some_and(|(_, r)| *r))
            .map(|(id, _)| id.as_str())
            .collect();
        let mut members = std::collections::HashSet::new();
        for r in &self
            .rows_in(
                || {
                    sqlx::QueryBuilder::new(
                        "SELECT postmortem_id, user_name FROM members WHERE postmortem_id IN (",
                    )
                },
                restricted,
            )
            .await?
        {
            members.insert((
                col::<D::Db, String, _>(r, 0)?,
                col::<D::Db, String, _>(r, 1)?,
            ));
        }
        Ok(asked
            .iter()
            .map(|(id, viewer)| {
                live.get(id).map(|&(revision, restricted)| crate::Head {
                    revision,
                    restricted,
                    visible: viewer.admin
                        || !restricted
                        || members.contains(&(id.clone(), viewer.name.clone())),
                })
            })
            .collect())
    }

    /// The rows of `head()` (a query ending `IN (`) for `values`: each value asked once, at
    /// most 500 a query.
    async fn rows_in(
        &self,
        head: impl Fn() -> sqlx::QueryBuilder<D::Db>,
        mut values: Vec<&str>,
    ) -> Result<Vec<<D::Db as Database>::Row>, StoreError> {
        values.sort_unstable();
        values.dedup();
        let mut rows = Vec::new();
        for part in values.chunks(500) {
            let mut qb = head();
            let mut list = qb.separated(", ");
            for v in part {
                list.push_bind(v.to_string());
            }
            qb.push(")");
            rows.extend(
                qb.build()
                    .fetch_all(&self.pool)
                    .await
                    .map_err(|e| self.e(e))?,
            );
        }
        Ok(rows)
    }

    /// One transaction for every job, a savepoint each, one commit; then the answers.
    async fn commit_group(&self, jobs: Vec<Job>) {
        let mut tx = match self.write().await {
            Ok(tx) => tx,
            Err(e) => {
                for job in jobs {
                    let _ = job.answer.send(Err(e.clone()));
                }
                return;
            }
        };
        let mut results = Vec::with_capacity(jobs.len());
        let mut unindexed = Vec::new();
        // New postmortems, most of a busy server's writes, are written together: a statement
        // per table for all of them, not eight round trips each to the database. Should that
        // fail, they are written one by one below, so that only a failing one is refused.
        let (fresh, mut rest): (Vec<Job>, Vec<Job>) =
            jobs.into_iter().partition(|j| j.job.creates());
        if fresh.len() > 1 {
            match self.create_together(&mut tx, &fresh, &mut unindexed).await {
                Ok(saved) => {
                    for (job, saved) in fresh.into_iter().zip(saved) {
                        results.push((job.answer, Ok(Done::Saved(saved))));
                    }
                }
                Err(_) => rest.extend(fresh),
            }
        } else {
            rest.extend(fresh);
        }
        for Queued { job, answer } in rest {
            let before = unindexed.len();
            let done = self.apply(&mut tx, job, &mut unindexed).await;
            // A write taken back leaves nothing to index.
            if done.is_err() {
                unindexed.truncate(before);
            }
            results.push((answer, done));
        }
        // The search index is written once for the group, after the savepoints: FTS5 writes
        // what it holds in memory to disk at every savepoint, so indexing inside each one made
        // a segment (and its merges) per write.
        if let Err(e) = self.index_all(&mut tx, unindexed).await {
            for (answer, _) in results {
                let _ = answer.send(Err(e.clone()));
            }
            return;
        }
        let committed = tx.commit().await.map_err(|e| self.e(e));
        for (answer, done) in results {
            let _ = answer.send(match (&committed, done) {
                (Err(e), Ok(_)) => Err(e.clone()),
                (_, done) => done,
            });
        }
    }

    /// Writes the new postmortems of a group's creates (each [`Work::creates`]) and their
    /// audit entries together, inside a savepoint that is taken back whole if any of it fails.
    async fn create_together(
        &self,
        tx: &mut sqlx::Transaction<'static, D::Db>,
        jobs: &[Job],
        unindexed: &mut Vec<Unindexed>,
    ) -> Result<Vec<crate::Saved>, StoreError> {
        // One answer per job, in order: anything but a create makes the group go one by one.
        let creates = jobs
            .iter()
            .map(|j| match &j.job {
                Work::Save { doc, prepared, .. } if j.job.creates() => {
                    Ok((doc, crate::new_id(None, &doc.text), &**prepared))
                }
                _ => Err(StoreError::Invalid("not a new postmortem".into())),
            })
            .collect::<Result<Vec<_>, _>>()?;
        sqlx::raw_sql("SAVEPOINT grouped_creates")
            .execute(&mut **tx)
            .await
            .map_err(|e| self.e(e))?;
        let mut written = Vec::with_capacity(creates.len());
        let done = async {
            let now = crate::now();
            // Sixteen values a row at most, well under every backend's limit of bound values.
            for part in creates.chunks(100) {
                let rows: Vec<(&crate::NewDocument, &str, &crate::Prepared)> = part
                    .iter()
                    .map(|(doc, id, p)| (*doc, id.as_str(), *p))
                    .collect();
                let seqs = self.insert_fresh(tx, &rows, now).await?;
                for (_, id, p) in part {
                    let seq = seqs.get(id).copied().ok_or_else(|| {
                        StoreError::Corrupt(format!("postmortem {id} was not written"), None)
                    })?;
                    written.push((seq, id.clone(), *p));
                }
            }
            let saved: Vec<crate::Saved> = written
                .iter()
                .map(|(_, id, _)| crate::Saved {
                    id: id.clone(),
                    revision: 1,
                    outcome: crate::Outcome::Created,
                })
                .collect();
            let audits: Vec<crate::AuditEntry> = creates
                .iter()
                .zip(&saved)
                .filter_map(|((doc, _, _), saved)| Some(doc.audit.as_ref()?.entry(saved, None)))
                .collect();
            self.append_audits(tx, &audits).await?;
            Ok::<_, StoreError>(saved)
        }
        .await;
        self.end_savepoint(tx, "grouped_creates", done.is_ok())
            .await?;
        let saved = done?;
        if D::SEARCH_COLUMN.is_none() {
            unindexed.extend(written.into_iter().map(|(seq, _, p)| Unindexed {
                seq,
                title: p.derived.title.clone(),
                body: p.derived.body.clone(),
            }));
        }
        Ok(saved)
    }

    /// One job of a group, inside its own savepoint.
    async fn apply(
        &self,
        tx: &mut sqlx::Transaction<'static, D::Db>,
        work: Work,
        unindexed: &mut Vec<Unindexed>,
    ) -> Result<Done, StoreError> {
        sqlx::raw_sql("SAVEPOINT grouped_write")
            .execute(&mut **tx)
            .await
            .map_err(|e| self.e(e))?;
        let done = match work {
            Work::Save {
                doc,
                target,
                prepared,
            } => self
                .save_audited(
                    tx,
                    &doc,
                    target.as_ref().map(|(id, base)| (id.as_str(), *base)),
                    Some(*prepared),
                    unindexed,
                )
                .await
                .map(Done::Saved),
            Work::Audit(entry) => self.append_audit(tx, &entry).await.map(|()| Done::Audited),
        };
        self.end_savepoint(tx, "grouped_write", done.is_ok())
            .await?;
        done
    }

    /// Ends savepoint `name`: released, keeping what was written in it, or taken back first.
    async fn end_savepoint(
        &self,
        tx: &mut sqlx::Transaction<'static, D::Db>,
        name: &str,
        keep: bool,
    ) -> Result<(), StoreError> {
        let end = if keep {
            format!("RELEASE SAVEPOINT {name}")
        } else {
            format!("ROLLBACK TO SAVEPOINT {name}; RELEASE SAVEPOINT {name}")
        };
        sqlx::raw_sql(sqlx::AssertSqlSafe(end))
            .execute(&mut **tx)
            .await
            .map_err(|e| self.e(e))?;
        Ok(())
    }

    /// Inserts a revision whose content is `packed` (its text as [`crate::packed::pack`]
    /// stores it).
    async fn insert_revision(
        &self,
        tx: &mut sqlx::Transaction<'static, D::Db>,
        r: &crate::Revision,
        packed: Vec<u8>,
    ) -> Result<(), crate::StoreError> {
        sqlx::query("INSERT INTO revisions (postmortem_id, number, author, created_at, message, sha256, content, checksum) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
                    .bind(&r.postmortem_id)
                    .bind(r.number)
                    .bind(&r.author)
                    .bind(r.created_at)
                    .bind(&r.message)
                    .bind(&r.sha256)
                    .bind(packed)
                    .bind(r.checksum())
                    .execute(&mut **tx)
                    .await
                    .map_err(|e| self.e(e))?;
        Ok(())
    }

    async fn write_children(
        &self,
        tx: &mut sqlx::Transaction<'static, D::Db>,
        id: &str,
        d: &crate::Derived,
        fresh: bool,
    ) -> Result<(), crate::StoreError> {
        if !fresh {
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
        }
        let labels = crate::labels_of(d);
        let labels: Vec<(&str, &(String, String))> = labels.iter().map(|l| (id, l)).collect();
        self.insert_labels(tx, &labels).await?;
        self.insert_actions(tx, &[(id, d)]).await
    }

    /// Writes new postmortems (document, id, prepared) at revision 1, one statement per table
    /// rather than per postmortem, and answers their `seq`s by id; the search index is the
    /// caller's to write.
    async fn insert_fresh(
        &self,
        tx: &mut sqlx::Transaction<'static, D::Db>,
        chunk: &[(&crate::NewDocument, &str, &crate::Prepared)],
        now: crate::Time,
    ) -> Result<std::collections::HashMap<String, i64>, crate::StoreError> {
        let mut qb = sqlx::QueryBuilder::<D::Db>::new(format!(
            "INSERT INTO postmortems (id, source, created_at, current_revision, updated_at, title, severity, severity_key, status, status_key, date, services, record, record_sha256{}) ",
            D::SEARCH_COLUMN
                .map(|c| format!(", {}", c.name))
                .unwrap_or_default()
        ));
        qb.push_values(chunk, |mut b, (d, id, p)| {
            b.push_bind(id.to_string())
                .push_bind(d.source.clone())
                .push_bind(now)
                .push_bind(1i64)
                .push_bind(now)
                .push_bind(p.derived.title.clone())
                .push_bind(p.derived.severity.clone())
                .push_bind(p.severity_key.clone())
                .push_bind(p.derived.status.clone())
                .push_bind(p.status_key.clone())
                .push_bind(p.derived.date.clone())
                .push_bind(p.services_json.clone())
                .push_bind(p.record_packed.clone())
                .push_bind(p.record_sha256.clone());
            if let Some(c) = D::SEARCH_COLUMN {
                b.push(c.before_title)
                    .push_bind_unseparated(p.derived.title.clone())
                    .push_unseparated(c.before_body)
                    .push_bind_unseparated(p.derived.body.clone())
                    .push_unseparated(c.after);
            }
        });
        qb.push(" RETURNING seq, id");
        let seqs: std::collections::HashMap<String, i64> = qb
            .build_query_as::<(i64, String)>()
            .fetch_all(&mut **tx)
            .await
            .map_err(|e| self.e(e))?
            .into_iter()
            .map(|(seq, id)| (id, seq))
            .collect();
        let revs: Vec<crate::Revision> = chunk
            .iter()
            .map(|(d, id, p)| crate::Revision {
                postmortem_id: id.to_string(),
                number: 1,
                author: d.author.clone(),
                created_at: now,
                message: d.message.clone(),
                sha256: p.sha256.clone(),
                content: d.text.clone(),
            })
            .collect();
        let mut qb = sqlx::QueryBuilder::<D::Db>::new(
            "INSERT INTO revisions (postmortem_id, number, author, created_at, message, sha256, content, checksum) ",
        );
        qb.push_values(revs.iter().zip(chunk), |mut b, (r, (_, _, p))| {
            b.push_bind(r.postmortem_id.clone())
                .push_bind(r.number)
                .push_bind(r.author.clone())
                .push_bind(r.created_at)
                .push_bind(r.message.clone())
                .push_bind(r.sha256.clone())
                .push_bind(p.text_packed.clone())
                .push_bind(r.checksum());
        });
        qb.build().execute(&mut **tx).await.map_err(|e| self.e(e))?;
        let labels: Vec<(&str, &(String, String))> = chunk
            .iter()
            .flat_map(|(_, id, p)| p.labels.iter().map(move |l| (*id, l)))
            .collect();
        self.insert_labels(tx, &labels).await?;
        let derived: Vec<(&str, &crate::Derived)> =
            chunk.iter().map(|(_, id, p)| (*id, &p.derived)).collect();
        self.insert_actions(tx, &derived).await?;
        Ok(seqs)
    }

    /// Inserts labels (postmortem id, (kind, value)), many to a statement.
    async fn insert_labels(
        &self,
        tx: &mut sqlx::Transaction<'static, D::Db>,
        labels: &[(&str, &(String, String))],
    ) -> Result<(), crate::StoreError> {
        for part in labels.chunks(300) {
            let mut qb = sqlx::QueryBuilder::<D::Db>::new(
                "INSERT INTO labels (postmortem_id, kind, value) ",
            );
            qb.push_values(part, |mut b, (id, (kind, value))| {
                b.push_bind(id.to_string())
                    .push_bind(kind.clone())
                    .push_bind(value.clone());
            });
            qb.build().execute(&mut **tx).await.map_err(|e| self.e(e))?;
        }
        Ok(())
    }

    /// Inserts the action items of postmortems (id, derived), many to a statement.
    async fn insert_actions(
        &self,
        tx: &mut sqlx::Transaction<'static, D::Db>,
        postmortems: &[(&str, &crate::Derived)],
    ) -> Result<(), crate::StoreError> {
        let actions: Vec<(&str, usize, &crate::ActionRow, crate::actions::ActionKeys)> =
            postmortems
                .iter()
                .flat_map(|(id, d)| {
                    d.actions
                        .iter()
                        .enumerate()
                        .map(move |(k, a)| (*id, k, a, crate::actions::ActionKeys::of(d, a)))
                })
                .collect();
        // Thirteen values a row, well under every backend's limit of bound values.
        for part in actions.chunks(70) {
            let mut qb = sqlx::QueryBuilder::<D::Db>::new(
                "INSERT INTO action_items (postmortem_id, position, text, owner, owner_key, due, status, kind, tracker, due_key, owner_sort, incident_date, title_key) ",
            );
            qb.push_values(part, |mut b, (id, k, a, keys)| {
                b.push_bind(id.to_string())
                    .push_bind(*k as i64)
                    .push_bind(a.text.clone())
                    .push_bind(a.owner.clone())
                    .push_bind(a.owner.as_deref().map(crate::label))
                    .push_bind(a.due.clone())
                    .push_bind(a.status.clone())
                    .push_bind(a.kind.clone())
                    .push_bind(a.tracker.clone())
                    .push_bind(keys.due_key.clone())
                    .push_bind(keys.owner_sort.clone())
                    .push_bind(keys.incident_date.clone())
                    .push_bind(keys.title_key.clone());
            });
            qb.build().execute(&mut **tx).await.map_err(|e| self.e(e))?;
        }
        Ok(())
    }

    /// Runs the embedded migrations with sqlx's migrator (which takes an advisory lock on
    /// PostgreSQL, so instances starting together migrate once). A database made before the
    /// migrator kept its version in `debrief_migrations`: those migrations are recorded as
    /// applied, not run again, and the old table is dropped.
    pub async fn migrate(
        &self,
        migrator: &sqlx::migrate::Migrator,
    ) -> Result<(), crate::StoreError> {
        let migrate_error = |e: sqlx::migrate::MigrateError| {
            use sqlx::migrate::MigrateError as M;
            crate::StoreError::Unavailable(
                match e {
                    M::VersionMissing(v) => format!(
                        "{}: the database schema has migration {v}, newer than this Debrief knows; upgrade Debrief",
                        self.name()
                    ),
                    M::VersionMismatch(v) => format!(
                        "{}: migration {v} of this database differs from the one this Debrief ships; restore a backup made by this version",
                        self.name()
                    ),
                    M::Dirty(v) => format!(
                        "{}: migration {v} failed part way earlier; restore the database from a backup",
                        self.name()
                    ),
                    other => format!(
                        "{}: the database could not be migrated: {other}",
                        self.name()
                    ),
                },
                None,
            )
        };
        let legacy: i64 = sqlx::query_scalar(D::LEGACY_MIGRATIONS)
            .fetch_one(&self.pool)
            .await
            .map_err(|e| self.e(e))?;
        if legacy > 0 {
            let applied: i64 =
                sqlx::query_scalar("SELECT COALESCE(MAX(version), 0) FROM debrief_migrations")
                    .fetch_one(&self.pool)
                    .await
                    .map_err(|e| self.e(e))?;
            migrator
                .skip(&self.pool, Some(applied))
                .await
                .map_err(migrate_error)?;
            sqlx::query("DROP TABLE IF EXISTS debrief_migrations")
                .execute(&self.pool)
                .await
                .map_err(|e| self.e(e))?;
        }
        migrator.run(&self.pool).await.map_err(migrate_error)?;
        // A migration that changed what the index holds left a rebuild to do (on a database
        // made before it, the index was written from the old search text).
        let rebuilds: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM search_rebuild")
            .fetch_one(&self.pool)
            .await
            .map_err(|e| self.e(e))?;
        if rebuilds > 0 {
            crate::Store::rebuild_search(self).await?;
        }
        Ok(())
    }

    /// What each source holds now: id, current revision, deleted, the revision's SHA-256.
    async fn existing_sources(
        &self,
        conn: &mut <D::Db as sqlx::Database>::Connection,
        sources: &[&str],
    ) -> Result<::std::collections::HashMap<String, (String, i64, bool, String)>, crate::StoreError>
    {
        let mut existing = ::std::collections::HashMap::new();
        for chunk in sources.chunks(500) {
            let mut qb = sqlx::QueryBuilder::<D::Db>::new(
                "SELECT p.source, p.id, p.current_revision, p.deleted_at IS NOT NULL, r.sha256 FROM postmortems p JOIN revisions r ON r.postmortem_id = p.id AND r.number = p.current_revision WHERE p.source IN (",
            );
            let mut sep = qb.separated(", ");
            for src in chunk {
                sep.push_bind(src.to_string());
            }
            qb.push(")");
            let rows = qb
                .build()
                .fetch_all(&mut *conn)
                .await
                .map_err(|e| self.e(e))?;
            for r in &rows {
                existing.insert(
                    col::<D::Db, _, _>(r, 0)?,
                    (
                        col::<D::Db, _, _>(r, 1)?,
                        col::<D::Db, _, _>(r, 2)?,
                        col::<D::Db, _, _>(r, 3)?,
                        col::<D::Db, _, _>(r, 4)?,
                    ),
                );
            }
        }
        Ok(existing)
    }

    fn audit_row(r: &<D::Db as Database>::Row) -> Result<crate::AuditRow, crate::StoreError> {
        Ok(crate::AuditRow {
            seq: col::<D::Db, _, _>(r, 0)?,
            at: col::<D::Db, _, _>(r, 1)?,
            entry: crate::AuditEntry {
                actor: col::<D::Db, _, _>(r, 2)?,
                action: col::<D::Db, _, _>(r, 3)?,
                target: col::<D::Db, _, _>(r, 4)?,
                outcome: col::<D::Db, _, _>(r, 5)?,
                remote: col::<D::Db, _, _>(r, 6)?,
                detail: col::<D::Db, _, _>(r, 7)?,
            },
            prev_hash: col::<D::Db, _, _>(r, 8)?,
            hash: col::<D::Db, _, _>(r, 9)?,
        })
    }

    fn user_row(r: &<D::Db as Database>::Row) -> Result<crate::User, crate::StoreError> {
        Ok(crate::User {
            name: col::<D::Db, _, _>(r, 0)?,
            role: col::<D::Db, _, _>(r, 1)?,
            password_hash: col::<D::Db, _, _>(r, 2)?,
            created_at: col::<D::Db, _, _>(r, 3)?,
        })
    }

    fn hook_row(r: &<D::Db as Database>::Row) -> Result<crate::Hook, crate::StoreError> {
        Ok(crate::Hook {
            name: col::<D::Db, _, _>(r, 0)?,
            kind: col::<D::Db, _, _>(r, 1)?,
            secret_hash: col::<D::Db, _, _>(r, 2)?,
            window_minutes: col::<D::Db, _, _>(r, 3)?,
            created_at: col::<D::Db, _, _>(r, 4)?,
            revoked_at: col::<D::Db, _, _>(r, 5)?,
            mapping: serde_json::from_str(&col::<D::Db, String, _>(r, 6)?).map_err(|e| {
                StoreError::Corrupt(format!("hooks: a label mapping cannot be read ({e})"), None)
            })?,
        })
    }

    fn revision_of(r: &<D::Db as Database>::Row) -> Result<crate::Revision, crate::StoreError> {
        Ok(crate::Revision {
            postmortem_id: col::<D::Db, _, _>(r, "postmortem_id")?,
            number: col::<D::Db, _, _>(r, "number")?,
            author: col::<D::Db, _, _>(r, "author")?,
            created_at: col::<D::Db, _, _>(r, "created_at")?,
            message: col::<D::Db, _, _>(r, "message")?,
            sha256: col::<D::Db, _, _>(r, "sha256")?,
            content: text_col::<D::Db>(r, "content")?,
        })
    }
}

impl<D> crate::Store for SqlStore<D>
where
    D: Dialect,
    for<'c> &'c mut <D::Db as Database>::Connection: Executor<'c, Database = D::Db>,
    <D::Db as Database>::Connection: Migrate,
    <D::Db as Database>::Arguments: IntoArguments<D::Db>,
    for<'q> &'q str: Encode<'q, D::Db> + Type<D::Db>,
    for<'q> String: Encode<'q, D::Db> + Decode<'q, D::Db> + Type<D::Db>,
    for<'q> i64: Encode<'q, D::Db> + Decode<'q, D::Db> + Type<D::Db>,
    for<'q> bool: Encode<'q, D::Db> + Decode<'q, D::Db> + Type<D::Db>,
    for<'q> Option<String>: Encode<'q, D::Db> + Decode<'q, D::Db> + Type<D::Db>,
    for<'q> Option<&'q str>: Encode<'q, D::Db> + Type<D::Db>,
    for<'q> Vec<u8>: Encode<'q, D::Db> + Decode<'q, D::Db> + Type<D::Db>,
    usize: ColumnIndex<<D::Db as Database>::Row>,
    for<'a> &'a str: ColumnIndex<<D::Db as Database>::Row>,
{
    fn import<'a>(&'a self, docs: &'a [crate::NewDocument]) -> crate::Fut<'a, Vec<crate::Saved>> {
        Box::pin(async move {
            if let Some(d) = docs.iter().find(|d| d.text.trim().is_empty()) {
                return Err(crate::StoreError::Invalid(format!(
                    "{}: the document is empty; a postmortem needs at least a summary or a timeline",
                    d.source.as_deref().unwrap_or("a document")
                )));
            }
            let sources: Vec<&str> = docs
                .iter()
                .filter(|d| d.identity.is_none())
                .filter_map(|d| d.source.as_deref())
                .collect();
            // New documents are prepared (parsed, derived, packed) inside the write
            // transaction, a chunk ahead of the inserts, once the one read of the sources says
            // which are new. Reading the
            // sources first from a snapshot, to parse before taking the lock, measured 15%
            // slower for SQLite imports (BENCHMARKS.md), so a bulk import holds the lock while
            // it parses; single creates and updates are prepared before it.
            //
            // Only a batch large enough to gain changes the connection's settings: the server
            // imports one document at a time, so a batch that fails before setting them back
            // leaves the larger page cache only in a command's short-lived pool.
            let bulk = D::BULK.filter(|_| docs.len() >= 100);
            let mut tx = self.write().await?;
            if let Some((start, _)) = bulk {
                sqlx::raw_sql(start)
                    .execute(&mut *tx)
                    .await
                    .map_err(|e| self.e(e))?;
            }
            let existing = self.existing_sources(&mut *tx, &sources).await?;
            // New documents are written in bulk; changes and repeats one by one.
            let mut out: Vec<Option<crate::Saved>> = vec![None; docs.len()];
            let mut fresh: Vec<(usize, String)> = Vec::new();
            let mut one_by_one: Vec<usize> = Vec::new();
            let mut seen = ::std::collections::HashSet::new();
            for (i, d) in docs.iter().enumerate() {
                let Some(src) = d.source.as_deref().filter(|_| d.identity.is_none()) else {
                    one_by_one.push(i);
                    continue;
                };
                if !seen.insert(src) {
                    one_by_one.push(i);
                    continue;
                }
                match existing.get(src) {
                    None => fresh.push((i, crate::new_id(Some(src), &d.text))),
                    Some((id, current, true, _)) => {
                        out[i] = Some(crate::Saved {
                            id: id.clone(),
                            revision: *current,
                            outcome: crate::Outcome::Deleted,
                        })
                    }
                    Some((id, current, false, sha))
                        if *sha == crate::sha256_hex(d.text.as_bytes()) =>
                    {
                        out[i] = Some(crate::Saved {
                            id: id.clone(),
                            revision: *current,
                            outcome: crate::Outcome::Unchanged,
                        })
                    }
                    Some(_) => one_by_one.push(i),
                }
            }
            const CHUNK: usize = 100;
            let mut prepared = crate::prepare_ahead(
                fresh
                    .iter()
                    .map(|(i, id)| (id.clone(), docs[*i].clone()))
                    .collect(),
                CHUNK,
            );
            let now = crate::now();
            for part in fresh.chunks(CHUNK) {
                let prepared = prepared.recv().await.ok_or_else(crate::importer_failed)??;
                let rows: Vec<(&crate::NewDocument, &str, &crate::Prepared)> = part
                    .iter()
                    .zip(&prepared)
                    .map(|((i, id), p)| (&docs[*i], id.as_str(), p))
                    .collect();
                let chunk = rows.as_slice();
                let seqs = self.insert_fresh(&mut tx, chunk, now).await?;
                if D::SEARCH_COLUMN.is_none() {
                    let entries: Vec<crate::SearchText<'_>> = chunk
                        .iter()
                        .map(|(_, id, p)| crate::SearchText::of(seqs[*id], &p.derived))
                        .collect();
                    self.dialect.index(&mut tx, &entries).await?;
                }
            }
            for (i, id) in &fresh {
                out[*i] = Some(crate::Saved {
                    id: id.clone(),
                    revision: 1,
                    outcome: crate::Outcome::Created,
                });
            }
            for i in one_by_one {
                out[i] = Some(match &docs[i].identity {
                    Some(identity) => self.save_identified(&mut tx, &docs[i], identity).await?,
                    None => self.save(&mut tx, &docs[i], None, None).await?,
                });
            }
            if let Some((_, end)) = bulk {
                sqlx::raw_sql(end)
                    .execute(&mut *tx)
                    .await
                    .map_err(|e| self.e(e))?;
            }
            tx.commit().await.map_err(|e| self.e(e))?;
            Ok(out.into_iter().flatten().collect())
        })
    }

    fn create<'a>(&'a self, doc: &'a crate::NewDocument) -> crate::Fut<'a, crate::Saved> {
        Box::pin(async move {
            // Parsed with its source (a file name can date it), saved without it.
            let (mut plain, prepared) = prepared(doc.clone()).await?;
            plain.source = None;
            if D::GROUP_COMMIT {
                return match self
                    .grouped(Work::Save {
                        doc: plain,
                        target: None,
                        prepared: Box::new(prepared),
                    })
                    .await?
                {
                    Done::Saved(s) => Ok(s),
                    Done::Audited => Err(unanswered()),
                };
            }
            let mut tx = self.write().await?;
            let mut unindexed = Vec::new();
            let s = self
                .save_audited(&mut tx, &plain, None, Some(prepared), &mut unindexed)
                .await?;
            self.index_all(&mut tx, unindexed).await?;
            tx.commit().await.map_err(|e| self.e(e))?;
            Ok(s)
        })
    }

    fn update<'a>(
        &'a self,
        id: &'a str,
        base: i64,
        doc: &'a crate::NewDocument,
    ) -> crate::Fut<'a, crate::Saved> {
        Box::pin(async move {
            let (doc, prepared) = prepared(doc.clone()).await?;
            if D::GROUP_COMMIT {
                return match self
                    .grouped(Work::Save {
                        doc,
                        target: Some((id.to_string(), base)),
                        prepared: Box::new(prepared),
                    })
                    .await?
                {
                    Done::Saved(s) => Ok(s),
                    Done::Audited => Err(unanswered()),
                };
            }
            let mut tx = self.write().await?;
            let mut unindexed = Vec::new();
            let s = self
                .save_audited(
                    &mut tx,
                    &doc,
                    Some((id, base)),
                    Some(prepared),
                    &mut unindexed,
                )
                .await?;
            self.index_all(&mut tx, unindexed).await?;
            tx.commit().await.map_err(|e| self.e(e))?;
            Ok(s)
        })
    }

    fn get<'a>(&'a self, id: &'a str) -> crate::Fut<'a, crate::Stored> {
        Box::pin(async move {
            let row = sqlx::query("SELECT p.id, p.source, p.created_at, p.deleted_at, p.deleted_by, p.restricted, p.record, r.postmortem_id, r.number, r.author, r.created_at AS rev_created_at, r.message, r.sha256, r.content FROM postmortems p JOIN revisions r ON r.postmortem_id = p.id AND r.number = p.current_revision WHERE p.id = $1 AND p.deleted_at IS NULL")
                        .bind(id)
                        .fetch_optional(&self.pool)
                        .await
                        .map_err(|e| self.e(e))?
                        .ok_or_else(|| crate::StoreError::NotFound(format!("no postmortem {id}")))?;
            let record = record_col::<D::Db>(&row, "record")?;
            Ok(crate::Stored {
                row: crate::PostmortemRow {
                    id: col::<D::Db, _, _>(&row, "id")?,
                    source: col::<D::Db, _, _>(&row, "source")?,
                    created_at: col::<D::Db, _, _>(&row, "created_at")?,
                    deleted_at: col::<D::Db, _, _>(&row, "deleted_at")?,
                    deleted_by: col::<D::Db, _, _>(&row, "deleted_by")?,
                    restricted: col::<D::Db, _, _>(&row, "restricted")?,
                    members: sqlx::query_scalar(
                        "SELECT user_name FROM members WHERE postmortem_id = $1 ORDER BY user_name",
                    )
                    .bind(id)
                    .fetch_all(&self.pool)
                    .await
                    .map_err(|e| self.e(e))?,
                    record: None,
                },
                revision: crate::Revision {
                    postmortem_id: col::<D::Db, _, _>(&row, "postmortem_id")?,
                    number: col::<D::Db, _, _>(&row, "number")?,
                    author: col::<D::Db, _, _>(&row, "author")?,
                    created_at: col::<D::Db, _, _>(&row, "rev_created_at")?,
                    message: col::<D::Db, _, _>(&row, "message")?,
                    sha256: col::<D::Db, _, _>(&row, "sha256")?,
                    content: text_col::<D::Db>(&row, "content")?,
                },
                record,
            })
        })
    }

    fn current<'a>(&'a self, id: &'a str) -> crate::Fut<'a, (i64, crate::Postmortem)> {
        Box::pin(async move {
            let row = sqlx::query(
                "SELECT current_revision, record FROM postmortems WHERE id = $1 AND deleted_at IS NULL",
            )
            .bind(id)
            .fetch_optional(&self.pool)
            .await
            .map_err(|e| self.e(e))?
            .ok_or_else(|| crate::StoreError::NotFound(format!("no postmortem {id}")))?;
            Ok((
                col::<D::Db, _, _>(&row, "current_revision")?,
                record_col::<D::Db>(&row, "record")?,
            ))
        })
    }

    fn count<'a>(&'a self, filter: &'a crate::Filter, at_most: i64) -> crate::Fut<'a, i64> {
        Box::pin(async move {
            let plan = self
                .dialect
                .label_plan(&self.pool, filter, at_most, None)
                .await?;
            let read = |reading: Reading| async move {
                let (cond, vals) = filter_sql::<D>(filter, 1, reading.label());
                let (from, _) = reading.from("postmortems p WHERE TRUE", "p.seq");
                let sql = format!(
                    "SELECT COUNT(*) FROM (SELECT 1 FROM {from} AND p.deleted_at IS NULL{cond} LIMIT {}) AS matching",
                    at_most.max(0)
                );
                let mut q = sqlx::query_scalar(sqlx::AssertSqlSafe(sql));
                for v in vals {
                    q = q.bind(v);
                }
                q.fetch_one(&self.pool).await.map_err(|e| self.e(e))
            };
            by_plan(plan, at_most, read, |n: &i64| *n).await
        })
    }

    fn generation(&self) -> crate::Fut<'_, Option<i64>> {
        Box::pin(async move {
            let Some(sql) = D::GENERATION else {
                return Ok(None);
            };
            sqlx::query_scalar(sql)
                .fetch_one(&self.pool)
                .await
                .map(Some)
                .map_err(|e| self.e(e))
        })
    }

    fn list<'a>(&'a self, filter: &'a crate::Filter) -> crate::Fut<'a, Vec<crate::Summary>> {
        Box::pin(async move {
            let (limit, offset) = (
                filter.limit.unwrap_or(i64::MAX).max(0),
                filter.offset.unwrap_or(0).max(0),
            );
            let plan = self
                .dialect
                .label_plan(&self.pool, filter, limit.saturating_add(offset), None)
                .await?;
            let order = filter.order.sql();
            let read = |reading: Reading| async move {
                let (cond, vals) = filter_sql::<D>(filter, 1, reading.label());
                let (from, order) = reading.from("postmortems p WHERE TRUE", order);
                let sql = format!(
                    "SELECT p.id, p.title, p.severity, p.status, p.date, p.services, p.current_revision, p.updated_at FROM {from} AND p.deleted_at IS NULL{cond} ORDER BY {order} LIMIT {limit} OFFSET {offset}"
                );
                let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
                for v in vals {
                    q = q.bind(v);
                }
                q.fetch_all(&self.pool).await.map_err(|e| self.e(e))
            };
            let rows = by_plan(plan, limit, read, |rows: &Vec<_>| rows.len() as i64).await?;
            rows.iter()
                .map(|r| {
                    Ok(crate::Summary {
                        id: col::<D::Db, _, _>(r, "id")?,
                        title: col::<D::Db, _, _>(r, "title")?,
                        severity: col::<D::Db, _, _>(r, "severity")?,
                        status: col::<D::Db, _, _>(r, "status")?,
                        date: col::<D::Db, _, _>(r, "date")?,
                        services: serde_json::from_str(&col::<D::Db, String, _>(r, "services")?)
                            .unwrap_or_default(),
                        revision: col::<D::Db, _, _>(r, "current_revision")?,
                        updated_at: col::<D::Db, _, _>(r, "updated_at")?,
                    })
                })
                .collect::<Result<Vec<_>, crate::StoreError>>()
        })
    }

    fn head<'a>(
        &'a self,
        id: &'a str,
        viewer: &'a crate::Viewer,
    ) -> crate::Fut<'a, Option<crate::Head>> {
        Box::pin(async move {
            self.look_up(
                &self.heads,
                (id.to_string(), viewer.clone()),
                Self::heads_of,
            )
            .await
        })
    }

    fn revisions<'a>(
        &'a self,
        id: &'a str,
        before: Option<i64>,
        limit: i64,
    ) -> crate::Fut<'a, Vec<crate::RevisionInfo>> {
        Box::pin(async move {
            let rows = sqlx::query(
                "SELECT number, author, created_at, message, sha256 FROM revisions WHERE postmortem_id = $1 AND number < $2 ORDER BY number DESC LIMIT $3",
            )
            .bind(id)
            .bind(before.unwrap_or(i64::MAX))
            .bind(limit.max(0))
            .fetch_all(&self.pool)
            .await
            .map_err(|e| self.e(e))?;
            if rows.is_empty() {
                let known: Option<i64> = sqlx::query_scalar(
                    "SELECT number FROM revisions WHERE postmortem_id = $1 LIMIT 1",
                )
                .bind(id)
                .fetch_optional(&self.pool)
                .await
                .map_err(|e| self.e(e))?;
                if known.is_none() {
                    return Err(crate::StoreError::NotFound(format!("no postmortem {id}")));
                }
            }
            rows.iter()
                .map(|r| {
                    Ok(crate::RevisionInfo {
                        number: col::<D::Db, _, _>(r, 0)?,
                        author: col::<D::Db, _, _>(r, 1)?,
                        created_at: col::<D::Db, _, _>(r, 2)?,
                        message: col::<D::Db, _, _>(r, 3)?,
                        sha256: col::<D::Db, _, _>(r, 4)?,
                    })
                })
                .collect()
        })
    }

    fn revision<'a>(&'a self, id: &'a str, number: i64) -> crate::Fut<'a, crate::Revision> {
        Box::pin(async move {
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "SELECT {} FROM revisions WHERE postmortem_id = $1 AND number = $2",
                crate::sql::REVISION_COLUMNS
            )))
            .bind(id)
            .bind(number)
            .fetch_optional(&self.pool)
            .await
            .map_err(|e| self.e(e))?
            .map(|r| Self::revision_of(&r))
            .transpose()?
            .ok_or_else(|| {
                crate::StoreError::NotFound(format!("postmortem {id} has no revision {number}"))
            })
        })
    }

    fn delete<'a>(&'a self, id: &'a str, by: &'a str) -> crate::Fut<'a, ()> {
        Box::pin(async move {
            let mut tx = self.write().await?;
            let done = sqlx::query("UPDATE postmortems SET deleted_at = $2, deleted_by = $3 WHERE id = $1 AND deleted_at IS NULL")
                        .bind(id)
                        .bind(crate::now())
                        .bind(by)
                        .execute(&mut *tx)
                        .await
                        .map_err(|e| self.e(e))?;
            if D::rows_affected(&done) == 0 {
                return Err(crate::StoreError::NotFound(format!("no postmortem {id}")));
            }
            tx.commit().await.map_err(|e| self.e(e))
        })
    }

    fn undelete<'a>(&'a self, id: &'a str) -> crate::Fut<'a, ()> {
        Box::pin(async move {
            let mut tx = self.write().await?;
            let done = sqlx::query("UPDATE postmortems SET deleted_at = NULL, deleted_by = NULL WHERE id = $1 AND deleted_at IS NOT NULL")
                        .bind(id)
                        .execute(&mut *tx)
                        .await
                        .map_err(|e| self.e(e))?;
            if D::rows_affected(&done) == 0 {
                return Err(crate::StoreError::NotFound(format!(
                    "no deleted postmortem {id}"
                )));
            }
            tx.commit().await.map_err(|e| self.e(e))
        })
    }

    fn resolve_id<'a>(&'a self, prefix: &'a str) -> crate::Fut<'a, String> {
        Box::pin(async move {
            // Ids are letters, digits, `-` and `_`: anything else matches nothing, and `_` is
            // escaped, so no LIKE wildcard reaches the query.
            let p = prefix.trim().to_ascii_lowercase();
            if p.is_empty()
                || !p
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
            {
                return Err(crate::StoreError::NotFound(format!(
                    "no postmortem {prefix}"
                )));
            }
            let ids: Vec<String> = sqlx::query_scalar(
                "SELECT id FROM postmortems WHERE id LIKE $1 ESCAPE '!' ORDER BY id LIMIT 2",
            )
            .bind(format!("{}%", p.replace('_', "!_")))
            .fetch_all(&self.pool)
            .await
            .map_err(|e| self.e(e))?;
            match ids.as_slice() {
                // The whole id is no prefix of another's: it names its own.
                [first, ..] if *first == p => Ok(p),
                [one] => Ok(one.clone()),
                [] => Err(crate::StoreError::NotFound(format!(
                    "no postmortem {prefix}"
                ))),
                _ => Err(crate::StoreError::Invalid(format!(
                    "{prefix} is the start of several postmortem ids; give more of it"
                ))),
            }
        })
    }

    fn purge<'a>(&'a self, id: &'a str) -> crate::Fut<'a, ()> {
        Box::pin(async move {
            let mut tx = self.write().await?;
            let done = sqlx::query("DELETE FROM postmortems WHERE id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await
                .map_err(|e| self.e(e))?;
            if D::rows_affected(&done) == 0 {
                return Err(crate::StoreError::NotFound(format!("no postmortem {id}")));
            }
            tx.commit().await.map_err(|e| self.e(e))
        })
    }

    fn action_items<'a>(&'a self, f: &'a crate::ActionFilter) -> crate::Fut<'a, crate::ActionPage> {
        Box::pin(async move {
            let (mut sql, mut binds) = action_conditions(f);
            let columns = f.order.columns();
            let sort = format!("{}, a.position", columns.join(", "));
            if let Some(after) = &f.after {
                if after.order != f.order {
                    return Err(crate::StoreError::Invalid(format!(
                        "cursor: it pages the {} order, not {}; start again without it",
                        after.order.as_str(),
                        f.order.as_str()
                    )));
                }
                let from = binds.len() + 1;
                let marks: Vec<String> = (from..=from + columns.len())
                    .map(|n| format!("${n}"))
                    .collect();
                sql.push_str(&format!(" AND ({sort}) > ({})", marks.join(", ")));
                binds.extend(after.key.iter().cloned().map(Bind::Text));
                binds.push(Bind::Int(after.position));
            }
            let limit = f.limit.map(|l| l.clamp(1, i64::MAX - 1));
            let page = match limit {
                Some(l) => format!(" LIMIT {}", l + 1),
                None => String::new(),
            };
            // The page first (from the order's index), then its postmortems' titles.
            let rows = json_page::<D>(
                "a.postmortem_id, p.title, a.text, a.owner, a.due, a.status, a.kind, a.tracker, a.position, p.current_revision, a.due_key, a.owner_sort, a.incident_date, a.title_key",
                &format!(
                    "(SELECT a.* {sql} ORDER BY {sort}{page}) a JOIN postmortems p ON p.id = a.postmortem_id"
                ),
                &sort,
            );
            let mut q = sqlx::query_scalar::<_, String>(sqlx::AssertSqlSafe(rows));
            for b in binds {
                q = match b {
                    Bind::Text(t) => q.bind(t),
                    Bind::Int(i) => q.bind(i),
                };
            }
            let page = q.fetch_one(&self.pool).await.map_err(|e| self.e(e))?;
            type Row = (
                String,
                Option<String>,
                String,
                Option<String>,
                Option<String>,
                String,
                String,
                Option<String>,
                i64,
                i64,
                String,
                String,
                String,
                String,
            );
            let rows: Vec<Row> = serde_json::from_str(&page).map_err(|e| {
                crate::StoreError::Corrupt(
                    format!("a page of action items cannot be read: {e}; run `debrief verify`"),
                    None,
                )
            })?;
            let mut items = Vec::with_capacity(rows.len());
            let mut last_keys = None;
            let more = limit.is_some_and(|l| rows.len() as i64 > l);
            for r in rows {
                if limit.is_some_and(|l| items.len() as i64 == l) {
                    break;
                }
                items.push(crate::ActionRow {
                    postmortem_id: r.0,
                    postmortem_title: r.1,
                    text: r.2,
                    owner: r.3,
                    due: r.4,
                    status: r.5,
                    kind: r.6,
                    tracker: r.7,
                    position: r.8,
                    revision: r.9,
                });
                last_keys = Some(crate::actions::ActionKeys {
                    due_key: r.10,
                    owner_sort: r.11,
                    incident_date: r.12,
                    title_key: r.13,
                });
            }
            let next = match (more, last_keys, items.last()) {
                (true, Some(keys), Some(last)) => {
                    Some(crate::ActionCursor::after(f.order, &keys, last))
                }
                _ => None,
            };
            Ok(crate::ActionPage { items, next })
        })
    }

    fn count_action_items<'a>(
        &'a self,
        f: &'a crate::ActionFilter,
        at_most: i64,
    ) -> crate::Fut<'a, i64> {
        Box::pin(async move {
            let (sql, binds) = action_conditions(f);
            let sql = format!(
                "SELECT COUNT(*) FROM (SELECT 1 {sql} LIMIT {}) AS matching",
                at_most.max(0)
            );
            let mut q = sqlx::query_scalar(sqlx::AssertSqlSafe(sql));
            for b in binds {
                q = match b {
                    Bind::Text(t) => q.bind(t),
                    Bind::Int(i) => q.bind(i),
                };
            }
            q.fetch_one(&self.pool).await.map_err(|e| self.e(e))
        })
    }

    fn dump_each<'a>(&'a self, each: &'a mut crate::DumpSink<'a>) -> crate::Fut<'a, ()> {
        Box::pin(async move {
            // One read transaction: a consistent snapshot while other writers go on.
            let mut tx = self.snapshot().await?;
            // The summary first (the manifest leads the backup), from the revisions' hashes.
            let postmortems: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM postmortems")
                .fetch_one(&mut *tx)
                .await
                .map_err(|e| self.e(e))?;
            let (mut digest, mut revisions) = (crate::backup::RevisionsDigest::default(), 0);
            self.each_revision(
                &mut tx,
                "postmortem_id, number, sha256",
                10 * DUMP_PART,
                |r| {
                    let (id, number, sha): (String, i64, String) = (
                        col::<D::Db, _, _>(r, 0)?,
                        col::<D::Db, _, _>(r, 1)?,
                        col::<D::Db, _, _>(r, 2)?,
                    );
                    digest.add(&id, number, &sha);
                    revisions += 1;
                    Ok((id, number))
                },
            )
            .await?;
            each(crate::DumpItem::Summary(crate::DumpSummary {
                schema_version: crate::SCHEMA_VERSION,
                postmortems,
                revisions,
                revisions_digest: digest.finish(),
            }))?;
            // Ids after `after`, from the first (`>=` the empty string) on.
            let (mut after, mut past) = (String::new(), ">=");
            loop {
                let pms = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT id, source, created_at, deleted_at, deleted_by, restricted, record FROM postmortems WHERE id {past} $1 ORDER BY id LIMIT {DUMP_PART}")))
                    .bind(&after)
                    .fetch_all(&mut *tx)
                    .await
                    .map_err(|e| self.e(e))?;
                if pms.is_empty() {
                    break;
                }
                // The part's highest id (see `verify_part`): past it, or the table is damaged.
                let mut last = after.clone();
                for r in &pms {
                    last = last.max(col::<D::Db, String, _>(r, 0)?);
                }
                if last == after && past == ">" {
                    return Err(out_of_order(&self.name(), "postmortems"));
                }
                let members = sqlx::query(sqlx::AssertSqlSafe(format!(
                    "SELECT postmortem_id, user_name FROM members WHERE postmortem_id {past} $1 AND postmortem_id <= $2 ORDER BY postmortem_id, user_name"
                )))
                .bind(&after)
                .bind(&last)
                .fetch_all(&mut *tx)
                .await
                .map_err(|e| self.e(e))?;
                let mut by_pm: ::std::collections::HashMap<String, Vec<String>> =
                    Default::default();
                for m in &members {
                    by_pm
                        .entry(col::<D::Db, _, _>(m, 0)?)
                        .or_default()
                        .push(col::<D::Db, _, _>(m, 1)?);
                }
                for r in &pms {
                    let id: String = col::<D::Db, _, _>(r, 0)?;
                    each(crate::DumpItem::Postmortem(crate::PostmortemRow {
                        members: by_pm.remove(&id).unwrap_or_default(),
                        id,
                        source: col::<D::Db, _, _>(r, 1)?,
                        created_at: col::<D::Db, _, _>(r, 2)?,
                        deleted_at: col::<D::Db, _, _>(r, 3)?,
                        deleted_by: col::<D::Db, _, _>(r, 4)?,
                        restricted: col::<D::Db, _, _>(r, 5)?,
                        // A damaged record is no reason to refuse a backup: its revisions
                        // are what restores, and `verify` reports the damage.
                        record: text_col::<D::Db>(r, "record")
                            .ok()
                            .and_then(|json| serde_json::from_str(&json).ok()),
                    }))?;
                }
                (after, past) = (last, ">");
            }
            self.each_revision(&mut tx, REVISION_COLUMNS, DUMP_PART, |r| {
                let rev = Self::revision_of(r)?;
                let key = (rev.postmortem_id.clone(), rev.number);
                each(crate::DumpItem::Revision(rev))?;
                Ok(key)
            })
            .await?;
            tx.rollback().await.map_err(|e| self.e(e))?;
            Ok(())
        })
    }

    fn restore<'a>(&'a self, dump: &'a crate::Dump) -> crate::Fut<'a, ()> {
        Box::pin(async move {
            let mut tx = self.write().await?;
            let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM postmortems")
                .fetch_one(&mut *tx)
                .await
                .map_err(|e| self.e(e))?;
            if n > 0 {
                return Err(crate::StoreError::Invalid(format!(
                    "{}: the database already holds {n} postmortems; restore into an empty one",
                    self.name()
                )));
            }
            let latest = crate::latest_revisions(dump)?;
            for p in &dump.postmortems {
                let Some(rev) = latest.get(p.id.as_str()) else {
                    return Err(crate::StoreError::Invalid(format!(
                        "postmortem {} has no revision in the backup",
                        p.id
                    )));
                };
                let record = crate::parse_stored(&rev.content, p.source.as_deref());
                let d = crate::derive(&p.id, &record);
                let seq: i64 = sqlx::query_scalar("INSERT INTO postmortems (id, source, created_at, deleted_at, deleted_by, current_revision, updated_at, title, severity, severity_key, status, status_key, date, services, record, record_sha256, restricted) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) RETURNING seq")
                            .bind(&p.id)
                            .bind(&p.source)
                            .bind(p.created_at)
                            .bind(p.deleted_at.map(|t| t.to_string()))
                            .bind(&p.deleted_by)
                            .bind(rev.number)
                            .bind(rev.created_at)
                            .bind(&d.title)
                            .bind(&d.severity)
                            .bind(d.severity.as_deref().map(crate::severity_key))
                            .bind(&d.status)
                            .bind(d.status.as_deref().map(crate::label))
                            .bind(&d.date)
                            .bind(serde_json::to_string(&d.services).unwrap_or_else(|_| "[]".into()))
                            .bind(crate::packed::pack(&d.record_json, crate::packed::Kind::Record))
                            .bind(crate::sha256_hex(d.record_json.as_bytes()))
                            .bind(p.restricted)
                            .fetch_one(&mut *tx)
                            .await
                            .map_err(|e| self.e(e))?;
                self.dialect
                    .index(&mut tx, &[crate::SearchText::of(seq, &d)])
                    .await?;
                self.write_children(&mut tx, &p.id, &d, false).await?;
                for m in &p.members {
                    sqlx::query("INSERT INTO members (postmortem_id, user_name) VALUES ($1, $2)")
                        .bind(&p.id)
                        .bind(m)
                        .execute(&mut *tx)
                        .await
                        .map_err(|e| self.e(e))?;
                }
            }
            for r in &dump.revisions {
                let packed = crate::packed::pack(&r.content, crate::packed::Kind::Document);
                self.insert_revision(&mut tx, r, packed).await?;
            }
            tx.commit().await.map_err(|e| self.e(e))
        })
    }

    fn verify(&self) -> crate::Fut<'_, crate::VerifyReport> {
        Box::pin(async move {
            let mut report = crate::VerifyReport::default();
            let mut tx = self.snapshot().await?;
            report.problems.extend(self.integrity(&mut tx).await?);
            // A part of the library at a time, in the order of the search index's keys: what
            // is held in memory is bounded by the part, not the library.
            let mut search = D::SearchCheck::default();
            let mut after = i64::MIN;
            while let Some(last) = self
                .verify_part(&mut tx, after, &mut search, &mut report)
                .await?
            {
                after = last;
            }
            report
                .problems
                .extend(self.dialect.search_problems(&mut tx, search).await?);
            tx.rollback().await.map_err(|e| self.e(e))?;
            Ok(report)
        })
    }

    fn search<'a>(
        &'a self,
        query: &'a crate::SearchQuery,
        filter: &'a crate::Filter,
    ) -> crate::Fut<'a, Vec<crate::SearchHit>> {
        Box::pin(self.search_in(query, filter))
    }

    fn facets<'a>(
        &'a self,
        query: Option<&'a crate::SearchQuery>,
        filter: &'a crate::Filter,
    ) -> crate::Fut<'a, crate::Facets> {
        Box::pin(async move {
            let words = query.map(D::search_words);
            let words = words.as_deref();
            let plan = self
                .dialect
                .label_plan(&self.pool, filter, crate::FACET_SAMPLE, words)
                .await?;
            let read = |reading: Reading| async move {
                let (from, newest) = match words {
                    Some(w) => {
                        let narrowed = reading.label().is_some();
                        self.dialect
                            .newest_matches(&self.pool, w, crate::FACET_SAMPLE, narrowed, filter)
                            .await?
                    }
                    None => ("postmortems p WHERE TRUE", "p.seq DESC"),
                };
                let (from, newest) = reading.from(from, newest);
                let (cond, vals) =
                    filter_sql::<D>(filter, 1 + usize::from(words.is_some()), reading.label());
                // The sample comes back as one JSON text (see `json_page`) and is counted here:
                // one read of a thousand rows. (Grouped by the database, it was materialized and
                // read three times over, three times the cost on SQLite; grouped through the
                // labels table, both databases read every service label in the library.)
                let sample = format!(
                    "(SELECT p.seq, p.severity_key, p.severity, p.date, p.services FROM {from} AND p.deleted_at IS NULL{cond} ORDER BY {newest} LIMIT {}) m",
                    crate::FACET_SAMPLE
                );
                let sql = json_page::<D>(
                    "m.severity_key, m.severity, m.date, m.services",
                    &sample,
                    "m.seq DESC",
                );
                let mut q = sqlx::query_scalar::<_, String>(sqlx::AssertSqlSafe(sql));
                if let Some(w) = words {
                    q = q.bind(w);
                }
                for v in vals {
                    q = q.bind(v);
                }
                let page = q.fetch_one(&self.pool).await.map_err(|e| self.e(e))?;
                facets_of(&page)
            };
            by_plan(plan, crate::FACET_SAMPLE, read, |f: &crate::Facets| {
                f.counted
            })
            .await
        })
    }

    fn visible<'a>(&'a self, id: &'a str, viewer: &'a crate::Viewer) -> crate::Fut<'a, bool> {
        Box::pin(async move {
            let mut sql = String::from(
                "SELECT COUNT(*) FROM postmortems p WHERE p.id = $1 AND p.deleted_at IS NULL",
            );
            if !viewer.admin {
                sql.push_str(&crate::sql::VISIBLE_TO.replace("$?", "$2"));
            }
            let mut q = sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(sql)).bind(id);
            if !viewer.admin {
                q = q.bind(&viewer.name);
            }
            Ok(q.fetch_one(&self.pool).await.map_err(|e| self.e(e))? > 0)
        })
    }

    fn set_access<'a>(
        &'a self,
        id: &'a str,
        restricted: bool,
        members: &'a [String],
    ) -> crate::Fut<'a, ()> {
        Box::pin(async move {
            let mut tx = self.write().await?;
            let done = sqlx::query(
                "UPDATE postmortems SET restricted = $2 WHERE id = $1 AND deleted_at IS NULL",
            )
            .bind(id)
            .bind(restricted)
            .execute(&mut *tx)
            .await
            .map_err(|e| self.e(e))?;
            if D::rows_affected(&done) == 0 {
                return Err(crate::StoreError::NotFound(format!("no postmortem {id}")));
            }
            sqlx::query("DELETE FROM members WHERE postmortem_id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await
                .map_err(|e| self.e(e))?;
            let mut unique: Vec<&String> = members.iter().collect();
            unique.sort();
            unique.dedup();
            if unique.len() > crate::MAX_MEMBERS {
                return Err(crate::StoreError::Invalid(format!(
                    "members: {} names; a postmortem can be restricted to at most {} people (use a shorter list)",
                    unique.len(),
                    crate::MAX_MEMBERS
                )));
            }
            for m in &unique {
                let known: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE name = $1")
                    .bind(m.as_str())
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(|e| self.e(e))?;
                if known == 0 {
                    let shown: String = m.chars().take(64).collect();
                    return Err(crate::StoreError::Invalid(format!(
                        "members: there is no user named {shown:?}; add them first with `debrief user add NAME --role viewer`, or correct the name"
                    )));
                }
            }
            for m in unique {
                sqlx::query("INSERT INTO members (postmortem_id, user_name) VALUES ($1, $2)")
                    .bind(id)
                    .bind(m)
                    .execute(&mut *tx)
                    .await
                    .map_err(|e| self.e(e))?;
            }
            tx.commit().await.map_err(|e| self.e(e))
        })
    }

    fn access<'a>(&'a self, id: &'a str) -> crate::Fut<'a, (bool, Vec<String>)> {
        Box::pin(async move {
            // One row per member (one row with no member when there are none).
            let rows: Vec<(bool, Option<String>)> = sqlx::query_as(
                "SELECT p.restricted, m.user_name FROM postmortems p \
                 LEFT JOIN members m ON m.postmortem_id = p.id \
                 WHERE p.id = $1 AND p.deleted_at IS NULL ORDER BY m.user_name",
            )
            .bind(id)
            .fetch_all(&self.pool)
            .await
            .map_err(|e| self.e(e))?;
            let Some(&(restricted, _)) = rows.first() else {
                return Err(crate::StoreError::NotFound(format!("no postmortem {id}")));
            };
            let members = rows.into_iter().filter_map(|(_, m)| m).collect();
            Ok((restricted, members))
        })
    }

    fn records<'a>(
        &'a self,
        filter: &'a crate::Filter,
        after: i64,
        limit: i64,
    ) -> crate::Fut<'a, Vec<(i64, crate::Summary, crate::Postmortem)>> {
        Box::pin(async move {
            let limit = limit.max(0);
            let plan = self
                .dialect
                .label_plan(&self.pool, filter, limit, None)
                .await?;
            let read = |reading: Reading| async move {
                let (cond, vals) = filter_sql::<D>(filter, 2, reading.label());
                let (from, order) = reading.from("postmortems p WHERE p.seq > $1", "p.seq");
                let sql = format!(
                    "SELECT p.seq, p.id, p.title, p.severity, p.status, p.date, p.services, p.current_revision, p.updated_at, p.record FROM {from} AND p.deleted_at IS NULL{cond} ORDER BY {order} LIMIT {limit}"
                );
                let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(after);
                for v in vals {
                    q = q.bind(v);
                }
                q.fetch_all(&self.pool).await.map_err(|e| self.e(e))
            };
            let rows = by_plan(plan, limit, read, |rows: &Vec<_>| rows.len() as i64).await?;
            rows.iter()
                .map(|r| {
                    let record = record_col::<D::Db>(r, "record")?;
                    Ok((
                        col::<D::Db, _, _>(r, "seq")?,
                        crate::Summary {
                            id: col::<D::Db, _, _>(r, "id")?,
                            title: col::<D::Db, _, _>(r, "title")?,
                            severity: col::<D::Db, _, _>(r, "severity")?,
                            status: col::<D::Db, _, _>(r, "status")?,
                            date: col::<D::Db, _, _>(r, "date")?,
                            services: serde_json::from_str(&col::<D::Db, String, _>(
                                r, "services",
                            )?)
                            .unwrap_or_default(),
                            revision: col::<D::Db, _, _>(r, "current_revision")?,
                            updated_at: col::<D::Db, _, _>(r, "updated_at")?,
                        },
                        record,
                    ))
                })
                .collect()
        })
    }

    fn remove_user<'a>(&'a self, name: &'a str) -> crate::Fut<'a, ()> {
        Box::pin(async move {
            let mut tx = self.write().await?;
            for sql in [
                "DELETE FROM tokens WHERE user_name = $1",
                "DELETE FROM members WHERE user_name = $1",
            ] {
                sqlx::query(sql)
                    .bind(name)
                    .execute(&mut *tx)
                    .await
                    .map_err(|e| self.e(e))?;
            }
            let done = sqlx::query("DELETE FROM users WHERE name = $1")
                .bind(name)
                .execute(&mut *tx)
                .await
                .map_err(|e| self.e(e))?;
            if D::rows_affected(&done) == 0 {
                return Err(crate::StoreError::NotFound(format!("no user named {name}")));
            }
            tx.commit().await.map_err(|e| self.e(e))
        })
    }

    fn put_user<'a>(&'a self, user: &'a crate::User) -> crate::Fut<'a, ()> {
        Box::pin(async move {
            let mut tx = self.write().await?;
            sqlx::query("DELETE FROM users WHERE name = $1 AND NOT EXISTS (SELECT 1 FROM tokens t WHERE t.user_name = $1)")
                        .bind(&user.name)
                        .execute(&mut *tx)
                        .await
                        .map_err(|e| self.e(e))?;
            let updated =
                sqlx::query("UPDATE users SET role = $2, password_hash = $3 WHERE name = $1")
                    .bind(&user.name)
                    .bind(&user.role)
                    .bind(&user.password_hash)
                    .execute(&mut *tx)
                    .await
                    .map_err(|e| self.e(e))?;
            if D::rows_affected(&updated) == 0 {
                sqlx::query("INSERT INTO users (name, role, password_hash, created_at) VALUES ($1, $2, $3, $4)")
                            .bind(&user.name)
                            .bind(&user.role)
                            .bind(&user.password_hash)
                            .bind(user.created_at)
                            .execute(&mut *tx)
                            .await
                            .map_err(|e| self.e(e))?;
            }
            tx.commit().await.map_err(|e| self.e(e))
        })
    }

    fn user<'a>(&'a self, name: &'a str) -> crate::Fut<'a, Option<crate::User>> {
        Box::pin(async move {
            let row = sqlx::query(
                "SELECT name, role, password_hash, created_at FROM users WHERE name = $1",
            )
            .bind(name)
            .fetch_optional(&self.pool)
            .await
            .map_err(|e| self.e(e))?;
            row.as_ref().map(Self::user_row).transpose()
        })
    }

    fn add_token<'a>(
        &'a self,
        hash: &'a str,
        user: &'a str,
        label: &'a str,
        expires_at: Option<crate::Time>,
    ) -> crate::Fut<'a, ()> {
        Box::pin(async move {
            let mut tx = self.write().await?;
            sqlx::query("INSERT INTO tokens (hash, user_name, label, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)")
                        .bind(hash)
                        .bind(user)
                        .bind(label)
                        .bind(crate::now())
                        .bind(expires_at.map(|t| t.to_string()))
                        .execute(&mut *tx)
                        .await
                        .map_err(|e| self.e(e))?;
            tx.commit().await.map_err(|e| self.e(e))
        })
    }

    fn token_user<'a>(&'a self, hash: &'a str) -> crate::Fut<'a, Option<crate::SignedIn>> {
        Box::pin(async move {
            self.look_up(&self.tokens, hash.to_string(), Self::tokens_of)
                .await
        })
    }

    fn revoke_tokens<'a>(&'a self, user: &'a str) -> crate::Fut<'a, u64> {
        Box::pin(async move {
            self.revoke(
                "UPDATE tokens SET revoked_at = $2 WHERE user_name = $1 AND revoked_at IS NULL",
                user,
            )
            .await
        })
    }

    fn revoke_token<'a>(&'a self, hash: &'a str) -> crate::Fut<'a, bool> {
        Box::pin(async move {
            self.revoke(
                "UPDATE tokens SET revoked_at = $2 WHERE hash = $1 AND revoked_at IS NULL",
                hash,
            )
            .await
            .map(|n| n > 0)
        })
    }

    fn users(&self) -> crate::Fut<'_, Vec<crate::User>> {
        Box::pin(async move {
            let rows = sqlx::query(
                "SELECT name, role, password_hash, created_at FROM users ORDER BY name LIMIT $1",
            )
            .bind(crate::MAX_LISTED)
            .fetch_all(&self.pool)
            .await
            .map_err(|e| self.e(e))?;
            rows.iter().map(Self::user_row).collect()
        })
    }

    fn add_hook<'a>(&'a self, hook: &'a crate::Hook) -> crate::Fut<'a, ()> {
        Box::pin(async move {
            let mut tx = self.write().await?;
            let mapping = serde_json::to_string(&hook.mapping).unwrap_or_else(|_| "{}".into());
            let added = sqlx::query("INSERT INTO hooks (name, kind, secret_hash, window_minutes, mapping, created_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (name) DO NOTHING")
                .bind(&hook.name)
                .bind(&hook.kind)
                .bind(&hook.secret_hash)
                .bind(hook.window_minutes)
                .bind(mapping)
                .bind(hook.created_at)
                .execute(&mut *tx)
                .await
                .map_err(|e| self.e(e))?;
            if D::rows_affected(&added) == 0 {
                return Err(crate::StoreError::Invalid(format!(
                    "there is already a hook named {:?}; choose another name, or revoke it and use a new one",
                    hook.name
                )));
            }
            tx.commit().await.map_err(|e| self.e(e))
        })
    }

    fn hook<'a>(&'a self, name: &'a str) -> crate::Fut<'a, Option<crate::Hook>> {
        Box::pin(async move {
            let row = sqlx::query("SELECT name, kind, secret_hash, window_minutes, created_at, revoked_at, mapping FROM hooks WHERE name = $1")
                .bind(name)
                .fetch_optional(&self.pool)
                .await
                .map_err(|e| self.e(e))?;
            row.as_ref().map(Self::hook_row).transpose()
        })
    }

    fn hooks(&self) -> crate::Fut<'_, Vec<crate::Hook>> {
        Box::pin(async move {
            let rows = sqlx::query("SELECT name, kind, secret_hash, window_minutes, created_at, revoked_at, mapping FROM hooks ORDER BY name LIMIT $1")
                .bind(crate::MAX_LISTED)
                .fetch_all(&self.pool)
                .await
                .map_err(|e| self.e(e))?;
            rows.iter().map(Self::hook_row).collect()
        })
    }

    fn revoke_hook<'a>(&'a self, name: &'a str) -> crate::Fut<'a, bool> {
        Box::pin(async move {
            self.revoke(
                "UPDATE hooks SET revoked_at = $2 WHERE name = $1 AND revoked_at IS NULL",
                name,
            )
            .await
            .map(|n| n > 0)
        })
    }

    fn alert_draft<'a>(
        &'a self,
        hook: &'a crate::Hook,
        group: &'a str,
        now: crate::Time,
        doc: &'a (dyn Fn() -> crate::NewDocument + Send + Sync),
    ) -> crate::Fut<'a, crate::Draft> {
        Box::pin(async move {
            const GROUP: &str = "SELECT g.postmortem_id, g.last_at, p.current_revision FROM hook_groups g JOIN postmortems p ON p.id = g.postmortem_id WHERE g.hook = $1 AND g.group_key = $2 AND p.deleted_at IS NULL";
            let read =
                |r: <D::Db as Database>::Row| -> Result<(String, crate::Time, i64), StoreError> {
                    Ok((
                        col::<D::Db, _, _>(&r, 0)?,
                        col::<D::Db, _, _>(&r, 1)?,
                        col::<D::Db, _, _>(&r, 2)?,
                    ))
                };
            // Most deliveries repeat a group heard from moments ago (Alertmanager sends the
            // whole group again at each interval): those need no write.
            if let Some((id, last, revision)) = sqlx::query(GROUP)
                .bind(&hook.name)
                .bind(group)
                .fetch_optional(&self.pool)
                .await
                .map_err(|e| self.e(e))?
                .map(read)
                .transpose()?
                && (0..=60).contains(&last.seconds_until(now))
            {
                return Ok(crate::Draft {
                    id,
                    revision,
                    opened: false,
                });
            }
            let doc = doc();
            let record = parsed(&doc).await?;
            let mut tx = self.write().await?;
            self.lock(&mut tx, HOOK_LOCK).await?;
            let open = sqlx::query(GROUP)
                .bind(&hook.name)
                .bind(group)
                .fetch_optional(&mut *tx)
                .await
                .map_err(|e| self.e(e))?
                .map(read)
                .transpose()?;
            let draft = match open {
                Some((id, last, revision))
                    if last.seconds_until(now) <= hook.window_minutes * 60 =>
                {
                    crate::Draft {
                        id,
                        revision,
                        opened: false,
                    }
                }
                _ => {
                    let saved = self.save(&mut tx, &doc, None, Some(record)).await?;
                    crate::Draft {
                        id: saved.id,
                        revision: saved.revision,
                        opened: true,
                    }
                }
            };
            sqlx::query("INSERT INTO hook_groups (hook, group_key, postmortem_id, last_at) VALUES ($1, $2, $3, $4) ON CONFLICT (hook, group_key) DO UPDATE SET postmortem_id = excluded.postmortem_id, last_at = excluded.last_at")
                .bind(&hook.name)
                .bind(group)
                .bind(&draft.id)
                .bind(now)
                .execute(&mut *tx)
                .await
                .map_err(|e| self.e(e))?;
            tx.commit().await.map_err(|e| self.e(e))?;
            Ok(draft)
        })
    }

    fn tokens(&self) -> crate::Fut<'_, Vec<crate::TokenInfo>> {
        Box::pin(async move {
            let rows = sqlx::query("SELECT hash, user_name, label, created_at, expires_at, revoked_at FROM tokens ORDER BY created_at DESC, hash LIMIT $1")
                .bind(crate::MAX_LISTED)
                .fetch_all(&self.pool)
                .await
                .map_err(|e| self.e(e))?;
            rows.iter()
                .map(|r| {
                    Ok(crate::TokenInfo {
                        hash: col::<D::Db, _, _>(r, 0)?,
                        user: col::<D::Db, _, _>(r, 1)?,
                        label: col::<D::Db, _, _>(r, 2)?,
                        created_at: col::<D::Db, _, _>(r, 3)?,
                        expires_at: col::<D::Db, _, _>(r, 4)?,
                        revoked_at: col::<D::Db, _, _>(r, 5)?,
                    })
                })
                .collect()
        })
    }

    fn audit_recent<'a>(
        &'a self,
        filter: &'a crate::AuditFilter,
    ) -> crate::Fut<'a, Vec<crate::AuditRow>> {
        Box::pin(async move {
            // Typed parameters: PostgreSQL cannot infer the type of a bare `$1 IS NULL`.
            let rows = sqlx::query("SELECT seq, at, actor, action, target, outcome, remote, detail, prev_hash, hash FROM audit WHERE (CAST($1 AS TEXT) IS NULL OR actor = CAST($1 AS TEXT)) AND (CAST($2 AS TEXT) IS NULL OR substr(action, 1, length(CAST($2 AS TEXT))) = CAST($2 AS TEXT)) AND (CAST($3 AS TEXT) IS NULL OR outcome = CAST($3 AS TEXT)) ORDER BY seq DESC LIMIT $4")
                .bind(filter.actor.as_deref())
                .bind(filter.action.as_deref())
                .bind(filter.outcome.as_deref())
                .bind(filter.limit.clamp(1, crate::MAX_LISTED))
                .fetch_all(&self.pool)
                .await
                .map_err(|e| self.e(e))?;
            rows.iter().map(Self::audit_row).collect()
        })
    }

    fn audit<'a>(&'a self, entry: &'a crate::AuditEntry) -> crate::Fut<'a, ()> {
        Box::pin(async move {
            if D::GROUP_COMMIT {
                return self.grouped(Work::Audit(entry.clone())).await.map(|_| ());
            }
            let mut tx = self.write().await?;
            self.append_audit(&mut tx, entry).await?;
            tx.commit().await.map_err(|e| self.e(e))
        })
    }

    fn audit_log(&self) -> crate::Fut<'_, Vec<crate::AuditRow>> {
        Box::pin(async move {
            let rows = sqlx::query("SELECT seq, at, actor, action, target, outcome, remote, detail, prev_hash, hash FROM audit ORDER BY seq")
                        .fetch_all(&self.pool)
                        .await
                        .map_err(|e| self.e(e))?;
            rows.iter().map(Self::audit_row).collect()
        })
    }

    fn last_audit<'a>(&'a self, action: &'a str) -> crate::Fut<'a, Option<crate::AuditRow>> {
        Box::pin(async move {
            let row = sqlx::query("SELECT seq, at, actor, action, target, outcome, remote, detail, prev_hash, hash FROM audit WHERE action = $1 AND outcome = 'ok' ORDER BY seq DESC LIMIT 1")
                        .bind(action)
                        .fetch_optional(&self.pool)
                        .await
                        .map_err(|e| self.e(e))?;
            row.as_ref().map(Self::audit_row).transpose()
        })
    }

    fn counts<'a>(&'a self, today: &'a str) -> crate::Fut<'a, crate::Counts> {
        Box::pin(async move {
            let postmortems: i64 =
                sqlx::query_scalar("SELECT COUNT(*) FROM postmortems WHERE deleted_at IS NULL")
                    .fetch_one(&self.pool)
                    .await
                    .map_err(|e| self.e(e))?;
            // Only the due dates of open items leave the database; "overdue" is the
            // same rule as `debrief actions --overdue`.
            let dues: Vec<Option<String>> = sqlx::query_scalar("SELECT a.due FROM action_items a JOIN postmortems p ON p.id = a.postmortem_id WHERE p.deleted_at IS NULL AND a.status IN ('open', 'in_progress')")
                        .fetch_all(&self.pool)
                        .await
                        .map_err(|e| self.e(e))?;
            Ok(crate::Counts {
                postmortems,
                open_actions: dues.len() as i64,
                overdue_actions: dues
                    .iter()
                    .filter(|d| crate::is_overdue(d.as_deref(), today))
                    .count() as i64,
            })
        })
    }

    fn rebuild_search(&self) -> crate::Fut<'_, ()> {
        Box::pin(async move {
            let mut tx = self.write().await?;
            sqlx::raw_sql(D::CLEAR_SEARCH)
                .execute(&mut *tx)
                .await
                .map_err(|e| self.e(e))?;
            // Every postmortem (deleted ones too: undelete brings them back as they were), a
            // page at a time, its search text derived from its record.
            let mut after = 0i64;
            loop {
                let rows = sqlx::query(
                    "SELECT seq, id, record FROM postmortems WHERE seq > $1 ORDER BY seq LIMIT 500",
                )
                .bind(after)
                .fetch_all(&mut *tx)
                .await
                .map_err(|e| self.e(e))?;
                let Some(last) = rows.last() else { break };
                after = col::<D::Db, _, _>(last, "seq")?;
                let mut derived = Vec::with_capacity(rows.len());
                for r in &rows {
                    let id: String = col::<D::Db, _, _>(r, "id")?;
                    let record = record_col::<D::Db>(r, "record")?;
                    derived.push((col::<D::Db, i64, _>(r, "seq")?, crate::derive(&id, &record)));
                }
                let entries: Vec<crate::SearchText<'_>> = derived
                    .iter()
                    .map(|(seq, d)| crate::SearchText::of(*seq, d))
                    .collect();
                self.dialect.index(&mut tx, &entries).await?;
            }
            sqlx::query("DELETE FROM search_rebuild")
                .execute(&mut *tx)
                .await
                .map_err(|e| self.e(e))?;
            tx.commit().await.map_err(|e| self.e(e))?;
            Ok(())
        })
    }

    fn check_write(&self) -> crate::Fut<'_, ()> {
        Box::pin(async move {
            let mut tx = self.write().await?;
            sqlx::query("UPDATE health SET checked_at = $1 WHERE id = 1")
                .bind(crate::now())
                .execute(&mut *tx)
                .await
                .map_err(|e| self.e(e))?;
            tx.commit().await.map_err(|e| self.e(e))?;
            Ok(())
        })
    }

    fn optimize(&self) -> crate::Fut<'_, ()> {
        Box::pin(async move {
            sqlx::raw_sql(D::OPTIMIZE)
                .execute(&self.pool)
                .await
                .map_err(|e| self.e(e))?;
            Ok(())
        })
    }

    fn close(&self) -> crate::Fut<'_, ()> {
        Box::pin(async move {
            self.finish().await;
            self.pool.close().await;
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::{LabelKind, Reading, order_keys};
    use crate::ListOrder;

    #[test]
    fn an_order_is_split_into_its_keys_at_the_commas_outside_parentheses() {
        assert_eq!(
            order_keys(ListOrder::Title.sql()),
            [("COALESCE(lower(p.title), '')", ""), ("p.id", "")]
        );
        assert_eq!(
            order_keys(ListOrder::Newest.sql()),
            [("p.date", " DESC"), ("p.id", " DESC")]
        );
        assert_eq!(order_keys("search.rowid DESC"), [("search.rowid", " DESC")]);
    }

    #[test]
    fn a_bounded_walk_is_ordered_by_the_values_it_walked_in() {
        let (from, order) =
            Reading::WalkAtMost(40).from("postmortems p WHERE TRUE", ListOrder::Oldest.sql());
        assert_eq!(
            from,
            "(SELECT p.seq, p.date IS NULL AS k0, p.date AS k1, p.id AS k2 FROM postmortems p WHERE TRUE AND p.deleted_at IS NULL ORDER BY p.date IS NULL, p.date, p.id LIMIT 40) w JOIN postmortems p ON p.seq = w.seq WHERE TRUE"
        );
        assert_eq!(order, "w.k0, w.k1, w.k2");
        let (from, order) = Reading::FromLabel(LabelKind::Tag).from("postmortems p", "p.seq");
        assert_eq!((from.as_str(), order.as_str()), ("postmortems p", "p.seq"));
    }
}
