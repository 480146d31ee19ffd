//! A [`debrief_store::Store`] on PostgreSQL, for teams running several Debrief instances on one
//! database.
//!
//! At start it refuses a server that could lose acknowledged writes (`fsync` or
//! `synchronous_commit` off). Migrations run in one transaction holding an advisory lock, so
//! instances starting together migrate once. Updates are conditional on the base revision inside
//! the write, so two instances cannot both win. Search uses a `tsvector` column with a GIN index,
//! written from each postmortem's search text when it is saved (no column keeps that text).

#![forbid(unsafe_code)]

use std::str::FromStr;
use std::time::Duration;

use debrief_store::sql::{Dialect, LabelPlan, SearchColumn, SqlStore, col, hit_snippet};
use debrief_store::{Filter, SearchHit, SearchQuery, SearchText, StoreError};
use sqlx::Connection;
use sqlx::postgres::{PgConnectOptions, PgConnection, PgPoolOptions, PgQueryResult, PgRow};
use sqlx::{AssertSqlSafe, PgPool, Postgres, Transaction};

/// The schema's migrations, embedded with their checksums (sqlx records each one applied in
/// `_sqlx_migrations` and refuses a database whose applied migrations were changed).
static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// Connections one instance keeps to the server.
const MAX_CONNECTIONS: u32 = 8;
/// Longest wait for a connection before a request is answered 503.
const ACQUIRE_TIMEOUT: Duration = Duration::from_millis(500);
/// How long a connection may wait in the pool before it is pinged again when taken out.
const PING_AFTER_IDLE: Duration = Duration::from_secs(1);

/// What PostgreSQL adds to the shared SQL store: the URL as messages show it (no password).
pub struct PgDialect {
    shown: String,
    /// The planner's estimate of how many postmortems a search matches, by query, with when
    /// it was read (see [`PgDialect::estimate`]).
    estimates: quick_cache::sync::Cache<String, (Estimate, std::time::Instant)>,
}

/// Whether the postmortem `p` matches a search, its words bound as `$1` (a macro, so that the
/// statements below are built from it at compile time).
macro_rules! matches_words {
    () => {
        "p.search @@ websearch_to_tsquery('english', $1)"
    };
}

/// The postmortems a search matches, its words bound as `$1`.
const MATCHING: &str = concat!("postmortems p WHERE ", matches_words!());

/// The same, read from the search index whatever the statement around it orders or limits:
/// the planner cannot see past `OFFSET 0` to walk the table instead.
const MATCHING_FROM_INDEX: &str = concat!(
    "(SELECT p.* FROM postmortems p WHERE ",
    matches_words!(),
    " OFFSET 0) p WHERE TRUE"
);

/// What the statistics say of a search: how many postmortems it matches, out of how many.
#[derive(Clone, Copy)]
struct Estimate {
    matches: i64,
    rows: i64,
}

impl Estimate {
    /// Whether the newest matches are best found by walking the postmortems backwards until
    /// `end` of them matched, rather than by reading every match from the search index and
    /// sorting them. The walk reads each row's `tsvector` (from TOAST, about four pages) until
    /// the page is full, `end × rows / matches` rows; the index hands over the matches without
    /// reading a `tsvector`, one page each. Measured at 100,000 postmortems for 25 hits: the
    /// walk read 10,213 pages for `memcached` (904 matches), the index 912; for `database`
    /// (21,078 matches) the walk read 433 pages.
    fn walk(self, end: i64) -> bool {
        self.matches.saturating_mul(self.matches)
            > 4_i64.saturating_mul(end).saturating_mul(self.rows)
    }
}

/// How long a search's estimated number of matches is kept: it changes only when ANALYZE
/// (run by import and by autovacuum as the table grows) refreshes the statistics.
const ESTIMATE_KEPT: std::time::Duration = std::time::Duration::from_secs(60);

impl PgDialect {
    /// The planner's estimate of the matches of a search, from the statistics ANALYZE keeps on
    /// the column (its most common lexemes and their frequencies): no row is read. Kept for a
    /// minute per query, so a repeated search does not plan twice.
    async fn estimate(&self, pool: &PgPool, websearch: &str) -> Result<Estimate, StoreError> {
        if let Some(estimate) = self.kept(websearch) {
            return Ok(estimate);
        }
        let matches = self
            .planned_rows(pool, &format!("SELECT 1 FROM {MATCHING}"), websearch, &[])
            .await?;
        // -1 for a table never analyzed, which makes every search with many matches walk.
        let rows: i64 = sqlx::query_scalar(
            "SELECT reltuples::bigint FROM pg_class WHERE oid = 'postmortems'::regclass",
        )
        .fetch_one(pool)
        .await
        .map_err(|e| self.error(pool, e))?;
        Ok(self.keep(websearch.to_string(), Estimate { matches, rows }))
    }

    /// The estimate kept under `key`, if it is younger than [`ESTIMATE_KEPT`].
    fn kept(&self, key: &str) -> Option<Estimate> {
        self.estimates
            .get(key)
            .filter(|(_, at)| at.elapsed() < ESTIMATE_KEPT)
            .map(|(estimate, _)| estimate)
    }

    /// Keeps `estimate` under `key` from now, and gives it back.
    fn keep(&self, key: String, estimate: Estimate) -> Estimate {
        self.estimates
            .insert(key, (estimate, std::time::Instant::now()));
        estimate
    }

    /// [`PgDialect::estimate`] of the live postmortems a search matches within the part of
    /// `filter` that has indexes of its own ([`debrief_store::sql::indexed_part`]): reading
    /// the matches from the search index, the planner takes that part's index with it and
    /// reads only the matches within, while a walk reads every postmortem it passes, those
    /// the filter leaves out included. `database` (21,078 of 100,000) within two months
    /// holding none of its matches walked all 100,000 (0.43 s); the two indexes found none in
    /// 5 ms. (A label is checked on each match the index path reads, so it is left to
    /// [`debrief_store::sql::label_plan`].) The planner takes the conditions as independent
    /// of the words, as a walk's expected cost does.
    async fn estimate_within(
        &self,
        pool: &PgPool,
        websearch: &str,
        filter: &Filter,
    ) -> Result<Estimate, StoreError> {
        let words = self.estimate(pool, websearch).await?;
        let Some(indexed) = debrief_store::sql::indexed_part(filter) else {
            return Ok(words);
        };
        let (cond, vals) = debrief_store::sql::filter_sql::<Self>(&indexed, 2, None);
        let key = std::iter::once(websearch)
            .chain([cond.as_str()])
            .chain(vals.iter().map(String::as_str))
            .collect::<Vec<_>>()
            .join("\u{1f}");
        if let Some(estimate) = self.kept(&key) {
            return Ok(estimate);
        }
        let sql = format!("SELECT 1 FROM {MATCHING} AND p.deleted_at IS NULL{cond}");
        let matches = self.planned_rows(pool, &sql, websearch, &vals).await?;
        Ok(self.keep(
            key,
            Estimate {
                matches,
                rows: words.rows,
            },
        ))
    }

    /// The rows the planner expects `sql` to give, with the words bound as `$1` and `vals`
    /// after them: no row is read.
    async fn planned_rows(
        &self,
        pool: &PgPool,
        sql: &str,
        websearch: &str,
        vals: &[String],
    ) -> Result<i64, StoreError> {
        let explain = format!("EXPLAIN {sql}");
        let mut q = sqlx::query_scalar::<_, String>(AssertSqlSafe(explain)).bind(websearch);
        for v in vals {
            q = q.bind(v.as_str());
        }
        let plan = q.fetch_one(pool).await.map_err(|e| self.error(pool, e))?;
        // The plan's first line ends "(cost=... rows=N width=...)".
        Ok(plan
            .split_once(" rows=")
            .and_then(|(_, rest)| rest.split(' ').next()?.parse::<i64>().ok())
            .unwrap_or(0))
    }
}

/// A [`debrief_store::Store`] on PostgreSQL.
pub type PgStore = SqlStore<PgDialect>;

/// The URL with any password replaced, safe to print: the one in the user information (which
/// ends at the last `@` of the authority, since a password may hold `@`) and a `password=`
/// query parameter.
pub fn redact(url: &str) -> String {
    let Some(scheme_end) = url.find("://").map(|i| i + 3) else {
        return url.to_string();
    };
    let authority_end = url[scheme_end..]
        .find(['/', '?', '#'])
        .map_or(url.len(), |i| scheme_end + i);
    let mut out = String::from(&url[..scheme_end]);
    let authority = &url[scheme_end..authority_end];
    match authority.rfind('@') {
        Some(at) => {
            let userinfo = &authority[..at];
            match userinfo.split_once(':') {
                Some((user, _)) => out.push_str(&format!("{user}:***")),
                None => out.push_str(userinfo),
            }
            out.push_str(&authority[at..]);
        }
        None => out.push_str(authority),
    }
    let rest = &url[authority_end..];
    match rest.split_once('?') {
        Some((path, query)) => {
            out.push_str(path);
            out.push('?');
            let params: Vec<String> = query
                .split('&')
                .map(|kv| match kv.split_once('=') {
                    Some((k, _)) if k.eq_ignore_ascii_case("password") => format!("{k}=***"),
                    _ => kv.to_string(),
                })
                .collect();
            out.push_str(&params.join("&"));
        }
        None => out.push_str(rest),
    }
    out
}

/// Turns a sqlx error into what a user can act on, keeping it as the cause.
fn err(shown: &str, e: sqlx::Error) -> StoreError {
    describe(shown, &e).caused_by(e)
}

fn describe(shown: &str, e: &sqlx::Error) -> StoreError {
    if let Some(db) = e.as_database_error() {
        let code = db.code().map(|c| c.to_string()).unwrap_or_default();
        return match code.as_str() {
            "53100" => StoreError::Unavailable(
                format!("{shown}: the database server's disk is full; this change was not written"),
                None,
            ),
            "3D000" => StoreError::Unavailable(
                format!(
                    "{shown}: the database does not exist; create it (createdb) or fix the URL"
                ),
                None,
            ),
            "28P01" | "28000" => StoreError::Unavailable(
                format!("{shown}: authentication failed; check the user and password in the URL"),
                None,
            ),
            "23505" => StoreError::Unavailable(
                format!(
                    "{shown}: another writer saved the same document at the same moment; try again"
                ),
                None,
            ),
            c if c.starts_with("57P") || c.starts_with("08") => StoreError::Unavailable(
                format!(
                    "{shown}: the database server went away ({}); check that it is running",
                    db.message()
                ),
                None,
            ),
            c if c.starts_with("40") => StoreError::Busy(format!(
                "{shown}: the database gave up this transaction to let another finish ({}); try again",
                db.message()
            )),
            c if c.starts_with("54") => StoreError::Invalid(format!(
                "{shown}: this is larger than the database can hold ({}); make the document smaller",
                db.message()
            )),
            "XX001" | "XX002" => StoreError::Corrupt(
                format!(
                    "{shown}: the database reports damaged data ({}); run `debrief verify` and restore from a backup",
                    db.message()
                ),
                None,
            ),
            c if ["53", "55", "58", "XX"]
                .iter()
                .any(|class| c.starts_with(class)) =>
            {
                StoreError::Unavailable(format!("{shown}: {}", db.message()), None)
            }
            // Anything else (a syntax error, a violated constraint, a bad value) is a statement
            // the database will refuse however often it is sent.
            _ => StoreError::Failed(format!("{shown}: {} ({code})", db.message()), None),
        };
    }
    match e {
        sqlx::Error::Io(io) => StoreError::Unavailable(
            format!(
                "{shown}: cannot reach PostgreSQL ({io}); check that it is running and that the URL's host and port are right"
            ),
            None,
        ),
        sqlx::Error::PoolTimedOut => StoreError::Unavailable(
            format!(
                "{shown}: timed out connecting to PostgreSQL; check that it is running and reachable"
            ),
            None,
        ),
        sqlx::Error::Configuration(c) => {
            StoreError::Invalid(format!("{shown}: the database URL is not valid: {c}"))
        }
        other => StoreError::Unavailable(format!("{shown}: {other}"), None),
    }
}

/// Connects, checks the server's durability settings and migrates.
pub async fn connect(url: &str) -> Result<PgStore, StoreError> {
    let shown = redact(url);
    let opts = PgConnectOptions::from_str(url).map_err(|e| err(&shown, e))?;
    // One connection first, so that a refused connection or a wrong password is said plainly
    // (the pool would report only that it timed out retrying).
    let first = tokio::time::timeout(ACQUIRE_TIMEOUT, PgConnection::connect_with(&opts))
        .await
        .map_err(|_| err(&shown, sqlx::Error::PoolTimedOut))?
        .map_err(|e| err(&shown, e))?;
    let _ = first.close().await;
    let pool = PgPoolOptions::new()
        .max_connections(MAX_CONNECTIONS)
        // Fail fast: with the server gone, sqlx retries connecting until this runs out, and
        // every request would wait that long for its 503. Under normal load a connection is
        // free within milliseconds; the pool reconnects by itself once the server is back
        // (broken connections are found by a ping and replaced).
        .acquire_timeout(ACQUIRE_TIMEOUT)
        // sqlx pings every connection given back to the pool and closes it if that fails, so
        // one used a moment ago is known to be alive: pinging it again when it is taken out
        // would add a round trip to every query. Only a connection that has waited a while,
        // during which the server may have restarted, is pinged before use.
        .test_before_acquire(false)
        .before_acquire(|conn, meta| {
            Box::pin(async move {
                if meta.idle_for >= PING_AFTER_IDLE {
                    conn.ping().await?;
                }
                Ok(true)
            })
        })
        .connect_with(opts)
        .await
        .map_err(|e| err(&shown, e))?;
    check_settings(&pool, &shown).await?;
    let store = SqlStore::new(
        pool,
        PgDialect {
            shown,
            estimates: quick_cache::sync::Cache::new(4096),
        },
    );
    store.migrate(&MIGRATOR).await?;
    Ok(store)
}

/// Refuses a server that could lose acknowledged writes.
async fn check_settings(pool: &PgPool, shown: &str) -> Result<(), StoreError> {
    for (setting, bad) in [("fsync", "off"), ("synchronous_commit", "off")] {
        let v: String = sqlx::query_scalar(AssertSqlSafe(format!("SHOW {setting}")))
            .fetch_one(pool)
            .await
            .map_err(|e| err(shown, e))?;
        if v == bad {
            return Err(StoreError::Unavailable(
                format!(
                    "{shown}: the server runs with {setting}={v}, so acknowledged writes can be lost in a crash; Debrief refuses to store postmortems there. Set {setting}=on"
                ),
                None,
            ));
        }
    }
    Ok(())
}

/// A postmortem's `tsvector`, kept in its row: title words weigh more (A) than the text's (B).
const SEARCH: SearchColumn = SearchColumn {
    name: "search",
    before_title: "setweight(to_tsvector('english', coalesce(",
    before_body: ", '')), 'A') || setweight(to_tsvector('english', ",
    after: "), 'B')",
};

/// The search entries as three arrays, for `unnest($1, $2, $3) AS v (seq, title, body)`.
fn columns<'a>(entries: &[SearchText<'a>]) -> (Vec<i64>, Vec<Option<&'a str>>, Vec<&'a str>) {
    (
        entries.iter().map(|e| e.seq).collect(),
        entries.iter().map(|e| e.title).collect(),
        entries.iter().map(|e| e.body).collect(),
    )
}

impl Dialect for PgDialect {
    type Db = Postgres;
    type SearchCheck = Vec<String>;

    /// Fresh statistics, and the search index's pending entries merged into it: GIN keeps
    /// new entries in an unsorted list that every search reads whole until VACUUM merges it:
    /// after importing 20,000 documents, a rare word's match took 2.4 ms in the database
    /// instead of 0.08 ms until autovacuum came by.
    const OPTIMIZE: &'static str = "ANALYZE postmortems, labels, action_items; SELECT gin_clean_pending_list('postmortems_search'::regclass)";
    const CLEAR_SEARCH: &'static str = "UPDATE postmortems SET search = NULL";
    /// None: a counter every writer updates would make concurrent writers (of several
    /// instances) wait for each other's commits, and a sequence is read before it commits.
    const GENERATION: Option<&'static str> = None;
    const LEGACY_MIGRATIONS: &'static str = "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'debrief_migrations'";
    /// PostgreSQL commits concurrent transactions together itself (and takes writers from
    /// several instances at once): each write keeps its own transaction.
    const GROUP_COMMIT: bool = false;
    const BULK: Option<(&'static str, &'static str)> = None;
    const SEARCH_COLUMN: Option<SearchColumn> = Some(SEARCH);
    /// Without it a label's postmortems are joined as a semi-join the planner may read the
    /// other way round: walking the order and looking each up (see
    /// [`debrief_store::sql::label_plan`]).
    const FENCE: &'static str = " OFFSET 0";

    fn search_words(query: &SearchQuery) -> String {
        query.websearch()
    }

    /// A word in a large share of the postmortems is walked newest first (see
    /// [`Estimate::walk`]); any other has its matches read from the search index, behind a
    /// fence (`OFFSET 0`) that keeps the planner from walking instead: walking reads a
    /// `tsvector` per postmortem passed (`dns`, in 4,517 of 100,000: 100 ms to take a
    /// thousand by walking, 24 ms from the index). A filter with an indexed part
    /// ([`debrief_store::sql::indexed_part`]) is left to the planner: behind the fence it
    /// could not take that part's index with the search index, and read every match (a
    /// thousand of `database` within two months holding none: 0.5 s fenced, 5 ms not).
    async fn newest_matches(
        &self,
        pool: &PgPool,
        words: &str,
        wanted: i64,
        _narrowed: bool,
        filter: &Filter,
    ) -> Result<(&'static str, &'static str), StoreError> {
        let planned = debrief_store::sql::indexed_part(filter).is_some();
        let from = if planned || self.estimate(pool, words).await?.walk(wanted) {
            MATCHING
        } else {
            MATCHING_FROM_INDEX
        };
        Ok((from, "p.seq DESC"))
    }
    /// See [`debrief_store::sql::label_plan`]; a search's matches are the planner's estimate.
    /// PostgreSQL does not walk a bounded part of an order as written: knowing the label's
    /// size, its planner reads the walk's check as a join that reads the whole label first (18
    /// ms to walk 602 postmortems for a service on 2,410), so the label would be read twice;
    /// started from straight away, it is read once.
    async fn label_plan(
        &self,
        pool: &PgPool,
        filter: &Filter,
        wanted: i64,
        words: Option<&str>,
    ) -> Result<LabelPlan, StoreError> {
        let fewer_matches = |n: i64| async move {
            Ok(match words {
                Some(words) => self.estimate(pool, words).await?.matches <= n,
                None => false,
            })
        };
        debrief_store::sql::label_plan(pool, filter, wanted, false, fewer_matches, |e| {
            self.error(pool, e)
        })
        .await
    }

    const JSON_PAGE: &'static str =
        "COALESCE(json_agg(json_build_array({row}) ORDER BY {order}), '[]')::text";

    fn name(&self) -> String {
        self.shown.clone()
    }

    /// Like [`err`], and tells an overloaded pool from a server that cannot be reached.
    fn error(&self, pool: &PgPool, e: sqlx::Error) -> StoreError {
        if matches!(e, sqlx::Error::PoolTimedOut)
            && pool.size() >= MAX_CONNECTIONS
            && pool.num_idle() == 0
        {
            return StoreError::Busy(format!(
                "{}: all {MAX_CONNECTIONS} database connections stayed busy for {} ms; the server is overloaded, try again shortly",
                self.shown,
                ACQUIRE_TIMEOUT.as_millis()
            ));
        }
        err(&self.shown, e)
    }

    fn rows_affected(r: &PgQueryResult) -> u64 {
        r.rows_affected()
    }

    async fn write(&self, pool: &PgPool) -> Result<Transaction<'static, Postgres>, StoreError> {
        pool.begin().await.map_err(|e| self.error(pool, e))
    }

    /// One consistent view of the database for dumps and checks, while writes go on.
    async fn snapshot(&self, pool: &PgPool) -> Result<Transaction<'static, Postgres>, StoreError> {
        pool.begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            .await
            .map_err(|e| self.error(pool, e))
    }

    /// An advisory lock held until the transaction ends: instances take turns appending to
    /// the audit trail, so the chain never forks.
    async fn lock(
        &self,
        tx: &mut Transaction<'static, Postgres>,
        key: i64,
    ) -> Result<(), StoreError> {
        sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(key)
            .execute(&mut **tx)
            .await
            .map_err(|e| err(&self.shown, e))?;
        Ok(())
    }

    async fn finish(&self, _pool: &PgPool) {}

    /// PostgreSQL checks its own pages (with data checksums when the cluster has them); here
    /// only the references between rows are checked.
    async fn integrity(
        &self,
        _pool: &PgPool,
        tx: &mut Transaction<'static, Postgres>,
    ) -> Result<Vec<String>, StoreError> {
        let orphans: i64 = sqlx::query_scalar("SELECT (SELECT COUNT(*) FROM revisions r WHERE NOT EXISTS (SELECT 1 FROM postmortems p WHERE p.id = r.postmortem_id)) + (SELECT COUNT(*) FROM action_items a WHERE NOT EXISTS (SELECT 1 FROM postmortems p WHERE p.id = a.postmortem_id))")
            .fetch_one(&mut **tx)
            .await
            .map_err(|e| err(&self.shown, e))?;
        Ok(if orphans > 0 {
            vec![format!("{orphans} rows refer to missing postmortems")]
        } else {
            Vec::new()
        })
    }

    async fn index(
        &self,
        tx: &mut Transaction<'static, Postgres>,
        entries: &[SearchText<'_>],
    ) -> Result<(), StoreError> {
        let (seqs, titles, bodies) = columns(entries);
        sqlx::query(AssertSqlSafe(format!(
            "UPDATE postmortems AS p SET search = {} FROM unnest($1::bigint[], $2::text[], $3::text[]) AS v (seq, title, body) WHERE p.seq = v.seq",
            SEARCH.of("v.title", "v.body")
        )))
        .bind(seqs)
        .bind(titles)
        .bind(bodies)
        .execute(&mut **tx)
        .await
        .map_err(|e| err(&self.shown, e))?;
        Ok(())
    }

    /// Each postmortem's `tsvector` against the one its search text gives; `differing` keeps
    /// the first five that differ.
    async fn check_search(
        &self,
        tx: &mut Transaction<'static, Postgres>,
        differing: &mut Vec<String>,
        entries: &[SearchText<'_>],
    ) -> Result<(), StoreError> {
        for part in entries.chunks(1000) {
            if differing.len() >= 5 {
                break;
            }
            let (seqs, titles, bodies) = columns(part);
            differing.extend(
                sqlx::query_scalar::<_, String>(AssertSqlSafe(format!(
                    "SELECT p.id FROM unnest($1::bigint[], $2::text[], $3::text[]) AS v (seq, title, body) JOIN postmortems p ON p.seq = v.seq WHERE p.search IS DISTINCT FROM {} LIMIT {}",
                    SEARCH.of("v.title", "v.body"),
                    5 - differing.len()
                )))
                .bind(seqs)
                .bind(titles)
                .bind(bodies)
                .fetch_all(&mut **tx)
                .await
                .map_err(|e| err(&self.shown, e))?,
            );
        }
        Ok(())
    }

    async fn search_problems(
        &self,
        _tx: &mut Transaction<'static, Postgres>,
        differing: Vec<String>,
    ) -> Result<Vec<String>, StoreError> {
        Ok(if differing.is_empty() {
            Vec::new()
        } else {
            vec![format!(
                "search index: what it holds for {differing:?} differs from their text; rebuild it with `debrief verify --repair`"
            )]
        })
    }

    /// Ranks matches, then reads the page's rows: snippets are made for the page only, from a
    /// bounded part of each record's search text (see [`debrief_store::search`]).
    async fn search(
        &self,
        pool: &PgPool,
        query: &SearchQuery,
        filter: &Filter,
    ) -> Result<Vec<SearchHit>, StoreError> {
        let (cond, vals) = debrief_store::sql::filter_sql::<Self>(filter, 2, None);
        let (limit, offset) = (
            filter.limit.unwrap_or(50).max(0),
            filter.offset.unwrap_or(0).max(0),
        );
        let page = format!("LIMIT {limit} OFFSET {offset}");
        // The live postmortems that match, and the page's rows in the order `r` gives.
        let live = format!("{MATCHING} AND p.deleted_at IS NULL{cond}");
        let rows_of = |order: &str| {
            format!(
                " SELECT p.id, p.title, p.date, p.record FROM r JOIN postmortems p ON p.seq = r.seq ORDER BY {order}"
            )
        };
        let run = |sql: String| {
            let mut q = sqlx::query(AssertSqlSafe(sql)).bind(query.websearch());
            for v in &vals {
                q = q.bind(v.clone());
            }
            q.fetch_all(pool)
        };
        // Whether there are more matches than are worth ranking (see RANKED): far above the
        // limit, the planner's estimate answers. Otherwise the matches are counted by the
        // statement that ranks them: its ranking runs only when the count allows it (a
        // one-time filter), and a word with few matches costs one round trip, not two. The
        // count reads each match's row (the search index holds row addresses, not `seq`).
        let estimate = self.estimate(pool, &query.websearch()).await?;
        let walk = self
            .estimate_within(pool, &query.websearch(), filter)
            .await?
            .walk(limit + offset);
        if estimate.matches <= 10 * debrief_store::RANKED {
            let ranked = debrief_store::RANKED;
            let sql = if walk {
                // A small library, where the newest matches are found by walking it: counted
                // up to where ranking stops, and ranked if no more.
                format!(
                    "WITH n AS (SELECT COUNT(*) AS n FROM (SELECT 1 FROM {MATCHING} LIMIT {}) AS matching), \
                     r AS (SELECT p.seq, ts_rank(p.search, websearch_to_tsquery('english', $1)) AS score FROM {live} AND (SELECT n FROM n) <= {ranked} ORDER BY score DESC, p.id {page}) \
                     SELECT n.n, p.id, p.title, p.date, p.record FROM n LEFT JOIN (r JOIN postmortems p ON p.seq = r.seq) ON TRUE ORDER BY r.score DESC, p.id",
                    ranked + 1,
                )
            } else {
                // Every match's row is read once, to count them and to rank the page's
                // candidates (few matches) or take the newest (many) without reading them
                // again in a second statement.
                format!(
                    "WITH m AS MATERIALIZED (SELECT p.seq, p.deleted_at IS NULL{cond} AS live FROM {MATCHING}), \
                     n AS (SELECT COUNT(*) AS n FROM m), \
                     r AS ((SELECT p.seq, ts_rank(p.search, websearch_to_tsquery('english', $1))::float8 AS score FROM m JOIN postmortems p ON p.seq = m.seq WHERE m.live AND (SELECT n FROM n) <= {ranked} ORDER BY score DESC, p.id {page}) \
                     UNION ALL (SELECT seq, seq::float8 AS score FROM m WHERE live AND (SELECT n FROM n) > {ranked} ORDER BY seq DESC {page})) \
                     SELECT n.n, p.id, p.title, p.date, p.record FROM n LEFT JOIN (r JOIN postmortems p ON p.seq = r.seq) ON TRUE ORDER BY r.score DESC, p.id"
                )
            };
            let rows = run(sql).await.map_err(|e| self.error(pool, e))?;
            // One row at least: the count, beside the page's first hit or nothing.
            let counted: i64 = rows
                .first()
                .map(|r| col::<Postgres, i64, _>(r, "n"))
                .transpose()?
                .unwrap_or(0);
            if counted <= ranked || !walk {
                return hits(&rows, query);
            }
        }
        let sql = if walk {
            // Newest first: a backward scan of the sequence that stops after the page.
            format!(
                "WITH r AS (SELECT p.seq FROM {live} ORDER BY p.seq DESC {page}){}",
                rows_of("r.seq DESC")
            )
        } else {
            // Newest first from all the matches, read from the search index (a materialized
            // CTE, so that the planner cannot turn it into the walk above).
            format!(
                "WITH m AS MATERIALIZED (SELECT p.seq FROM {live}), r AS (SELECT seq FROM m ORDER BY seq DESC {page}){}",
                rows_of("r.seq DESC")
            )
        };
        let rows = run(sql).await.map_err(|e| self.error(pool, e))?;
        hits(&rows, query)
    }
}

/// The search hits among `rows` (`id`, `title`, `date`, `record`); a row without an id (the
/// count's row beside an empty page) is none.
fn hits(rows: &[PgRow], query: &SearchQuery) -> Result<Vec<SearchHit>, StoreError> {
    let mut hits = Vec::with_capacity(rows.len());
    for r in rows {
        let Some(id) = col::<Postgres, Option<String>, _>(r, "id")? else {
            continue;
        };
        hits.push(SearchHit {
            id,
            title: col::<Postgres, _, _>(r, "title")?,
            date: col::<Postgres, _, _>(r, "date")?,
            snippet: hit_snippet::<Postgres>(r, query)?,
        });
    }
    Ok(hits)
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn passwords_never_reach_messages() {
        assert_eq!(
            redact("postgres://app:s3cret@db:5432/debrief"),
            "postgres://app:***@db:5432/debrief"
        );
        assert_eq!(
            redact("postgres://app@localhost/debrief?host=/tmp"),
            "postgres://app@localhost/debrief?host=/tmp"
        );
        assert_eq!(
            redact("postgres://app:p@ss@db/debrief"),
            "postgres://app:***@db/debrief",
            "a password holding @"
        );
        assert_eq!(
            redact("postgres://app@db/debrief?sslmode=require&password=s3cret"),
            "postgres://app@db/debrief?sslmode=require&password=***"
        );
        assert_eq!(
            redact("postgres://db/debrief?user=x@y"),
            "postgres://db/debrief?user=x@y"
        );
    }
}
