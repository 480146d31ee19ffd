//! The storage contract: one [`Store`] trait with a method per use case, its error type, the
//! rows every backend keeps, and what is derived from a postmortem when it is saved.
//!
//! Only store crates know SQL. This crate knows what a store must do: every save is an immutable
//! revision with its SHA-256; an update names the revision it started from and a stale one is a
//! conflict; a delete is a tombstone; everything derived (titles, labels, action items, the
//! search text) is rebuilt from the latest revision, so a backup holds base rows only. The
//! conformance story in [`story`] is run against every backend.

#![forbid(unsafe_code)]

pub mod actions;
pub mod backup;
pub mod events;
pub mod packed;
pub mod search;
pub mod sql;
pub mod story;
pub mod time;

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::time::{SystemTime, UNIX_EPOCH};

pub use actions::{ActionCursor, ActionOrder, ActionPage};
use debrief_core::ActionStatus;
pub use debrief_core::Postmortem;
pub use search::{QueryError, SearchQuery};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
pub use time::Time;

/// What every store method returns.
pub type Fut<'a, T> = Pin<Box<dyn Future<Output = Result<T, StoreError>> + Send + 'a>>;

/// The error underneath a store error (the database driver's, an I/O error), kept so that logs
/// and `source()` show the whole chain.
pub type Cause = std::sync::Arc<dyn std::error::Error + Send + Sync>;

/// Why a store call failed. Each kind maps to one user-facing meaning (and later one HTTP status);
/// the message says what to do, the cause (when there is one) says what the driver saw.
#[derive(Debug, Clone, thiserror::Error)]
pub enum StoreError {
    #[error("{0}")]
    NotFound(String),
    /// The update started from `base` but the postmortem is at `current`.
    #[error(
        "postmortem {id} is at revision {current}, not {base}: reload it and apply the change again"
    )]
    Conflict { id: String, base: i64, current: i64 },
    #[error("{0}")]
    Invalid(String),
    #[error("{0}")]
    Unavailable(String, #[source] Option<Cause>),
    #[error("{0}")]
    Corrupt(String, #[source] Option<Cause>),
    /// The database refused a statement Debrief should never have sent (an SQL error, a
    /// violated constraint): a fault in Debrief, not in the request or in the database's
    /// health. Trying again does not help.
    #[error("{0}")]
    Failed(String, #[source] Option<Cause>),
    /// The database is up but every connection stayed busy (or the file stayed locked) for
    /// longer than a request may wait: try again shortly.
    #[error("{0}")]
    Busy(String),
}

impl StoreError {
    /// The same error, with `cause` as its source (for the kinds that carry one).
    pub fn caused_by(self, cause: impl std::error::Error + Send + Sync + 'static) -> StoreError {
        match self {
            StoreError::Unavailable(m, _) => {
                StoreError::Unavailable(m, Some(std::sync::Arc::new(cause)))
            }
            StoreError::Corrupt(m, _) => StoreError::Corrupt(m, Some(std::sync::Arc::new(cause))),
            StoreError::Failed(m, _) => StoreError::Failed(m, Some(std::sync::Arc::new(cause))),
            other => other,
        }
    }
}

/// A document to save: its text (what the user wrote, kept byte for byte) and who saves it.
#[derive(Debug, Clone)]
pub struct NewDocument {
    /// Where it came from (`file:/abs/path`), the key that makes re-imports idempotent.
    pub source: Option<String>,
    pub text: String,
    pub author: String,
    pub message: String,
    /// The document already parsed, when the caller parsed it anyway (the server does, for the
    /// findings it answers with): the store then does not parse it again. It must be what
    /// [`parse_stored`] gives; `verify` finds a stored record that is not.
    pub record: Option<std::sync::Arc<Postmortem>>,
    /// The id (and revision) the document carries from an export ([`debrief_core::identity`]):
    /// an import then updates that postmortem, wherever the file now lives, instead of keying
    /// it by its source.
    pub identity: Option<debrief_core::Identity>,
    /// Who saves it, for the audit trail: [`Store::create`] and [`Store::update`] append the
    /// entry in the save's own transaction, so that a save and its entry are committed (and
    /// synced) together or not at all. Imports leave it out.
    pub audit: Option<SaveAudit>,
}

/// The audit entry of a save, before the save says what it wrote: the entry's target is the
/// saved postmortem, its outcome `ok` and its detail the revision ("revision 1" for a new
/// postmortem, "revision 3 from 2" for an update).
#[derive(Debug, Clone)]
pub struct SaveAudit {
    pub actor: String,
    pub action: String,
    pub remote: String,
}

impl SaveAudit {
    /// The entry for `saved`, an update of revision `base` or (without one) a new postmortem.
    pub fn entry(&self, saved: &Saved, base: Option<i64>) -> AuditEntry {
        AuditEntry {
            actor: self.actor.clone(),
            action: self.action.clone(),
            target: saved.id.clone(),
            outcome: "ok".into(),
            remote: self.remote.clone(),
            detail: match base {
                Some(base) => format!("revision {} from {base}", saved.revision),
                None => format!("revision {}", saved.revision),
            },
        }
    }
}

/// What a save did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Created,
    Updated,
    Unchanged,
    /// The source was deleted in Debrief; a re-import does not bring it back.
    Deleted,
    /// An exported file changed, and someone other than its importer saved its postmortem
    /// after the exported revision: nothing was written, nothing is lost.
    Conflict,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Saved {
    pub id: String,
    pub revision: i64,
    pub outcome: Outcome,
}

/// One immutable revision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Revision {
    pub postmortem_id: String,
    pub number: i64,
    pub author: String,
    pub created_at: Time,
    pub message: String,
    /// Hex SHA-256 of `content`.
    pub sha256: String,
    pub content: String,
}

/// What [`Store::head`] tells of a live postmortem.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Head {
    pub revision: i64,
    pub restricted: bool,
    /// Whether the viewer asked about may read it.
    pub visible: bool,
}

/// A revision as a history lists it: everything but its text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct RevisionInfo {
    pub number: i64,
    pub author: String,
    pub created_at: Time,
    pub message: String,
    pub sha256: String,
}

impl Revision {
    /// The revision as a history lists it (what `show` and `revisions` print as JSON).
    pub fn info(&self) -> RevisionInfo {
        RevisionInfo {
            number: self.number,
            author: self.author.clone(),
            created_at: self.created_at,
            message: self.message.clone(),
            sha256: self.sha256.clone(),
        }
    }

    pub fn content_intact(&self) -> bool {
        sha256_hex(self.content.as_bytes()) == self.sha256
    }

    /// A hash over every column but the content (whose own hash is one of them): stored beside
    /// the row, so a damaged author, time or message is found too.
    pub fn checksum(&self) -> String {
        sha256_hex(
            format!(
                "{}\n{}\n{}\n{}\n{}\n{}",
                self.postmortem_id,
                self.number,
                self.author,
                self.created_at,
                self.message,
                self.sha256
            )
            .as_bytes(),
        )
    }
}

/// The base row of a postmortem: identity, provenance, tombstone and who may see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostmortemRow {
    pub id: String,
    pub source: Option<String>,
    pub created_at: Time,
    pub deleted_at: Option<Time>,
    pub deleted_by: Option<String>,
    /// Only `members` and admins may see a restricted postmortem.
    #[serde(default)]
    pub restricted: bool,
    #[serde(default)]
    pub members: Vec<String>,
    /// The latest revision's record, in the JSON every output writes (`export --to json`, the
    /// API's `record`), so a backup can be read without Debrief. Only dumps fill it; it is
    /// derived, so a restore reads the revisions and ignores it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record: Option<serde_json::Value>,
}

/// Who is reading: restricted postmortems are visible to their members and to admins only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Viewer {
    pub name: String,
    pub admin: bool,
}

/// A local account. The password is kept as an Argon2id hash only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub name: String,
    /// viewer, editor or admin.
    pub role: String,
    pub password_hash: String,
    pub created_at: Time,
}

/// A webhook that writes timelines: its name is its URL (`/api/v1/hooks/alertmanager/NAME`),
/// its secret is kept as a SHA-256 only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hook {
    pub name: String,
    /// What it receives: `alertmanager`.
    pub kind: String,
    pub secret_hash: String,
    /// An alert group heard from within this many minutes joins the draft it opened; after a
    /// longer silence it opens a new one.
    pub window_minutes: i64,
    pub mapping: HookMapping,
    pub created_at: Time,
    pub revoked_at: Option<Time>,
}

/// Which alert labels say what about a draft: its services, its severity (as written, or
/// renamed by `severities`, such as `critical` to `SEV1`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct HookMapping {
    pub service_label: String,
    pub severity_label: String,
    pub severities: std::collections::BTreeMap<String, String>,
}

impl Default for HookMapping {
    fn default() -> HookMapping {
        HookMapping {
            service_label: "service".into(),
            severity_label: "severity".into(),
            severities: Default::default(),
        }
    }
}

/// The draft an alert group writes into, and whether this call opened it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    pub id: String,
    pub revision: i64,
    pub opened: bool,
}

/// One thing the audit trail records: who did what to what, from where, and how it ended.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct AuditEntry {
    pub actor: String,
    pub action: String,
    pub target: String,
    pub outcome: String,
    pub remote: String,
    pub detail: String,
}

/// Largest postmortem a store takes, from the API or the command line (2 MiB: about 300
/// pages of text; logs and attachments belong elsewhere).
pub const MAX_DOCUMENT_BYTES: usize = 2 * 1024 * 1024;

/// Most people a postmortem can be restricted to.
pub const MAX_MEMBERS: usize = 1000;

/// Characters kept of each field of an audit row; what a client sends cannot grow the trail by
/// more than this per row.
pub const AUDIT_FIELD_CHARS: usize = 256;

impl AuditEntry {
    /// The entry as it is stored: every field cut to [`AUDIT_FIELD_CHARS`] characters (with
    /// `…` where cut) and control characters shown as `?`, so a log line stays one line.
    pub fn bounded(&self) -> AuditEntry {
        fn bound(s: &str) -> String {
            let mut out: String = s
                .chars()
                .take(AUDIT_FIELD_CHARS)
                .map(|c| if c.is_control() { '?' } else { c })
                .collect();
            if s.chars().nth(AUDIT_FIELD_CHARS).is_some() {
                out.push('…');
            }
            out
        }
        AuditEntry {
            actor: bound(&self.actor),
            action: bound(&self.action),
            target: bound(&self.target),
            outcome: bound(&self.outcome),
            remote: bound(&self.remote),
            detail: bound(&self.detail),
        }
    }
}

/// A stored audit row, chained to the one before it by `prev_hash`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditRow {
    pub seq: i64,
    pub at: Time,
    pub entry: AuditEntry,
    pub prev_hash: String,
    pub hash: String,
}

/// The hash before the first audit row.
pub const AUDIT_GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

impl AuditRow {
    pub fn compute_hash(&self) -> String {
        let e = &self.entry;
        sha256_hex(
            serde_json::json!([
                self.prev_hash,
                self.seq,
                self.at,
                e.actor,
                e.action,
                e.target,
                e.outcome,
                e.remote,
                e.detail
            ])
            .to_string()
            .as_bytes(),
        )
    }
}

/// Problems with an audit trail: a gap in the numbering, a broken link or an edited row.
pub fn verify_audit(rows: &[AuditRow]) -> Vec<String> {
    let mut out = Vec::new();
    let mut prev = AUDIT_GENESIS.to_string();
    for (k, r) in rows.iter().enumerate() {
        if r.seq != k as i64 + 1 {
            out.push(format!(
                "audit row {}: expected number {}: a row was deleted or inserted",
                r.seq,
                k + 1
            ));
            break;
        }
        if r.prev_hash != prev {
            out.push(format!(
                "audit row {}: does not link to the row before it",
                r.seq
            ));
        }
        if r.compute_hash() != r.hash {
            out.push(format!(
                "audit row {}: its content does not match its hash: it was edited",
                r.seq
            ));
        }
        prev = r.hash.clone();
    }
    out
}

/// A postmortem as read back: its latest revision and the record parsed from it.
#[derive(Debug, Clone)]
pub struct Stored {
    pub row: PostmortemRow,
    pub revision: Revision,
    pub record: Postmortem,
}

/// One line of a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Summary {
    pub id: String,
    pub title: Option<String>,
    pub severity: Option<String>,
    pub status: Option<String>,
    pub date: Option<String>,
    pub services: Vec<String>,
    pub revision: i64,
    pub updated_at: Time,
}

/// Filters shared by lists and searches; all optional, all must hold.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub status: Option<String>,
    pub severity: Option<String>,
    pub service: Option<String>,
    pub tag: Option<String>,
    /// Inclusive `YYYY-MM-DD` bounds on the incident date.
    pub from: Option<String>,
    pub to: Option<String>,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
    /// When set, restricted postmortems this viewer may not see are left out.
    pub viewer: Option<Viewer>,
    /// The order of [`Store::list`] (searches are ranked).
    pub order: ListOrder,
}

/// How a list of postmortems is sorted; ties by id, so pages never overlap.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ListOrder {
    /// Newest incident first.
    #[default]
    Newest,
    Oldest,
    /// Most recently saved first.
    Updated,
    Title,
}

impl ListOrder {
    pub fn parse(s: &str) -> Option<ListOrder> {
        match s {
            "newest" => Some(ListOrder::Newest),
            "oldest" => Some(ListOrder::Oldest),
            "updated" => Some(ListOrder::Updated),
            "title" => Some(ListOrder::Title),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ListOrder::Newest => "newest",
            ListOrder::Oldest => "oldest",
            ListOrder::Updated => "updated",
            ListOrder::Title => "title",
        }
    }

    pub(crate) fn sql(self) -> &'static str {
        match self {
            ListOrder::Newest => "p.date DESC, p.id DESC",
            ListOrder::Oldest => "p.date IS NULL, p.date, p.id",
            ListOrder::Updated => "p.updated_at DESC, p.id DESC",
            ListOrder::Title => "COALESCE(lower(p.title), ''), p.id",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct SearchHit {
    pub id: String,
    pub title: Option<String>,
    pub date: Option<String>,
    /// The best matching passage, matches between `[` and `]`.
    pub snippet: String,
}

/// How the postmortems a list or a search finds spread over severities, services and years:
/// what a reader narrows by next. Counted over the [`FACET_SAMPLE`] most recently added of
/// them at most, so that a word in half the library costs what a page of a thousand does.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Facets {
    /// How many postmortems were counted.
    pub counted: i64,
    /// Whether the sample is full ([`FACET_SAMPLE`] counted), so that more may match: the
    /// counts are then those of the most recently added `counted`.
    pub sampled: bool,
    /// By severity, most frequent first.
    pub severities: Vec<FacetCount>,
    /// By service, most frequent first, the first [`FACET_VALUES`].
    pub services: Vec<FacetCount>,
    /// By the year of the incident, latest first.
    pub years: Vec<FacetCount>,
}

/// One value of a facet: what to filter by (`severity=`, `service=`, or the year's
/// `from=YYYY-01-01&to=YYYY-12-31`), what to show, and how many of the counted have it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct FacetCount {
    pub value: String,
    pub label: String,
    pub count: i64,
}

/// Postmortems [`Store::facets`] counts at most.
pub const FACET_SAMPLE: i64 = 1000;

/// Values [`Store::facets`] gives a facet with many (services) at most.
pub const FACET_VALUES: usize = 12;

#[derive(Debug, Clone, Default)]
pub struct ActionFilter {
    pub open: bool,
    pub overdue: bool,
    pub owner: Option<String>,
    pub service: Option<String>,
    pub viewer: Option<Viewer>,
    /// `YYYY-MM-DD` that "overdue" is measured against.
    pub today: String,
    pub order: ActionOrder,
    /// How many items a page holds; `None` for all of them (the command line's own use; the
    /// server always pages, at most [`actions::MAX_ACTION_PAGE`]).
    pub limit: Option<i64>,
    /// Where the page starts (from the previous page's [`ActionPage::next`]).
    pub after: Option<ActionCursor>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct ActionRow {
    pub postmortem_id: String,
    pub postmortem_title: Option<String>,
    pub text: String,
    pub owner: Option<String>,
    pub due: Option<String>,
    pub status: String,
    pub kind: String,
    pub tracker: Option<String>,
    /// Its index among the postmortem's action items (what `/actions/{index}` names).
    #[serde(skip)]
    pub position: i64,
    /// The postmortem's latest revision, which a change to the item starts from (set by
    /// [`Store::action_items`]; 0 where rows are derived from a record).
    #[serde(skip)]
    pub revision: i64,
}

/// A valid token's user, and the library's generation when the token was read (`None` where
/// the backend keeps none): a request can key what it keeps on it without reading it again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedIn {
    pub user: User,
    pub generation: Option<i64>,
}

/// What `/metrics` reports about the library.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub postmortems: i64,
    pub open_actions: i64,
    pub overdue_actions: i64,
}

/// The result of checking a live database.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct VerifyReport {
    pub postmortems: i64,
    pub revisions: i64,
    pub problems: Vec<String>,
}

impl VerifyReport {
    pub fn ok(&self) -> bool {
        self.problems.is_empty()
    }
}

/// Everything a backup holds: base rows only, in a stable order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Dump {
    pub schema_version: i64,
    pub postmortems: Vec<PostmortemRow>,
    pub revisions: Vec<Revision>,
}

/// What a backup's manifest says of the whole dump, known before its rows are read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DumpSummary {
    pub schema_version: i64,
    pub postmortems: i64,
    pub revisions: i64,
    /// [`backup::revisions_digest`] of every revision, in dump order.
    pub revisions_digest: String,
}

/// What [`Store::dump_each`] hands over, in this order: the summary, every postmortem row (by
/// id), every revision (by postmortem, then number).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DumpItem {
    Summary(DumpSummary),
    Postmortem(PostmortemRow),
    Revision(Revision),
}

/// Where [`Store::dump_each`] hands its items; an error stops the dump and is returned.
pub type DumpSink<'a> = dyn FnMut(DumpItem) -> Result<(), StoreError> + Send + 'a;

/// The most rows an administrative list returns at once.
pub const MAX_LISTED: i64 = 500;

/// An API token or browser session as an administrator sees it: never its secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenInfo {
    /// The SHA-256 of the secret: identifies the token without revealing it.
    pub hash: String,
    pub user: String,
    pub label: String,
    pub created_at: Time,
    pub expires_at: Option<Time>,
    pub revoked_at: Option<Time>,
}

/// Which audit rows to show.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub actor: Option<String>,
    /// Actions starting with this (`postmortem.` for every postmortem change).
    pub action: Option<String>,
    pub outcome: Option<String>,
    /// 1 to [`MAX_LISTED`].
    pub limit: i64,
}

/// Storage for postmortems. One method per use case; every backend passes [`story`].
pub trait Store: Send + Sync {
    /// Saves documents in one transaction, each keyed by its identity (an exported file's id)
    /// or else its source: new ones are created, changed ones get a revision, unchanged ones
    /// (the same record, for an identified file) are left alone, and an identified file whose
    /// postmortem changed since its export is a [`Outcome::Conflict`] and not written.
    fn import<'a>(&'a self, docs: &'a [NewDocument]) -> Fut<'a, Vec<Saved>>;
    /// A new postmortem from a document.
    fn create<'a>(&'a self, doc: &'a NewDocument) -> Fut<'a, Saved>;
    /// A new revision, only if `base` is still the latest; otherwise [`StoreError::Conflict`].
    fn update<'a>(&'a self, id: &'a str, base: i64, doc: &'a NewDocument) -> Fut<'a, Saved>;
    fn get<'a>(&'a self, id: &'a str) -> Fut<'a, Stored>;
    /// A live postmortem's current revision number and record, in one read (what a change to
    /// its record starts from; [`Store::get`] also reads the document and the members).
    fn current<'a>(&'a self, id: &'a str) -> Fut<'a, (i64, Postmortem)>;
    /// A number that changes whenever what [`Store::list`], [`Store::count`] and
    /// [`Store::search`] answer may change (a postmortem written, deleted or restricted, its
    /// members changed, the search index rebuilt), whoever wrote it; `None` where the backend
    /// keeps none. Read it before reading a list: an answer kept under it is current for as
    /// long as it does not change.
    fn generation(&self) -> Fut<'_, Option<i64>>;
    fn list<'a>(&'a self, filter: &'a Filter) -> Fut<'a, Vec<Summary>>;
    /// How many postmortems a filter selects (its limit and offset ignored), counting no
    /// further than `at_most`: the cost of a count is bounded however large the library.
    fn count<'a>(&'a self, filter: &'a Filter, at_most: i64) -> Fut<'a, i64>;
    /// A live postmortem's current revision, whether it is restricted and whether `viewer`
    /// may read it, in one look-up (`None` when there is no such live postmortem).
    fn head<'a>(&'a self, id: &'a str, viewer: &'a Viewer) -> Fut<'a, Option<Head>>;
    /// A postmortem's history, newest first, without the texts: the revisions numbered below
    /// `before` (all when `None`), at most `limit`. Deleted postmortems keep their history.
    fn revisions<'a>(
        &'a self,
        id: &'a str,
        before: Option<i64>,
        limit: i64,
    ) -> Fut<'a, Vec<RevisionInfo>>;
    fn revision<'a>(&'a self, id: &'a str, number: i64) -> Fut<'a, Revision>;
    /// Marks a postmortem deleted; its revisions stay.
    fn delete<'a>(&'a self, id: &'a str, by: &'a str) -> Fut<'a, ()>;
    /// Brings a deleted postmortem back, as it was.
    fn undelete<'a>(&'a self, id: &'a str) -> Fut<'a, ()>;
    /// The one postmortem id (deleted ones included) that starts with `prefix`, as git takes
    /// an abbreviated commit: [`StoreError::NotFound`] when none does, [`StoreError::Invalid`]
    /// when several do.
    fn resolve_id<'a>(&'a self, prefix: &'a str) -> Fut<'a, String>;
    /// Removes a postmortem and its revisions for good (an explicit admin action).
    fn purge<'a>(&'a self, id: &'a str) -> Fut<'a, ()>;
    /// A page of the action items a filter selects, in its order.
    fn action_items<'a>(&'a self, filter: &'a ActionFilter) -> Fut<'a, ActionPage>;
    /// How many action items a filter selects (its order and page aside), counting at most
    /// `at_most`.
    fn count_action_items<'a>(&'a self, filter: &'a ActionFilter, at_most: i64) -> Fut<'a, i64>;
    /// Matches of a parsed query, best first, a page at a time (`filter.limit`, `filter.offset`).
    fn search<'a>(&'a self, query: &'a SearchQuery, filter: &'a Filter) -> Fut<'a, Vec<SearchHit>>;
    /// How the live postmortems that match `filter` (and `query`, when given) spread over
    /// severities, services and years, among the [`FACET_SAMPLE`] most recently added.
    /// `filter`'s page is ignored.
    fn facets<'a>(&'a self, query: Option<&'a SearchQuery>, filter: &'a Filter) -> Fut<'a, Facets>;
    /// The integrity check of the database plus every revision's hash.
    fn verify(&self) -> Fut<'_, VerifyReport>;
    /// A consistent snapshot of the base rows, taken while writes go on, held in memory
    /// whole (see [`Store::dump_each`]).
    fn dump(&self) -> Fut<'_, Dump> {
        Box::pin(async move {
            let mut dump = Dump::default();
            self.dump_each(&mut |item| {
                match item {
                    DumpItem::Summary(s) => dump.schema_version = s.schema_version,
                    DumpItem::Postmortem(p) => dump.postmortems.push(p),
                    DumpItem::Revision(r) => dump.revisions.push(r),
                }
                Ok(())
            })
            .await?;
            Ok(dump)
        })
    }
    /// The rows of [`Store::dump`], handed to `each` a part at a time from one snapshot, so
    /// that what is held in memory follows the part, not the library.
    fn dump_each<'a>(&'a self, each: &'a mut DumpSink<'a>) -> Fut<'a, ()>;
    /// Loads a dump into this (empty) store and rebuilds everything derived.
    fn restore<'a>(&'a self, dump: &'a Dump) -> Fut<'a, ()>;
    /// Whether `viewer` may see postmortem `id` (false when it does not exist or is deleted).
    fn visible<'a>(&'a self, id: &'a str, viewer: &'a Viewer) -> Fut<'a, bool>;
    /// Restricts a postmortem to its members (and admins), or opens it again.
    fn set_access<'a>(
        &'a self,
        id: &'a str,
        restricted: bool,
        members: &'a [String],
    ) -> Fut<'a, ()>;
    /// Whether a postmortem is restricted, and its members.
    fn access<'a>(&'a self, id: &'a str) -> Fut<'a, (bool, Vec<String>)>;
    /// The records a filter selects, for statistics, a page at a time in the order they were
    /// added: at most `limit` of those added after `after` (0 for the first page; the next
    /// page starts after the last number returned). Statistics read a page, fold it in and
    /// read the next, so their memory follows the page, not the library.
    fn records<'a>(
        &'a self,
        filter: &'a Filter,
        after: i64,
        limit: i64,
    ) -> Fut<'a, Vec<(i64, Summary, Postmortem)>>;
    /// Creates a user or replaces its role and password hash.
    fn put_user<'a>(&'a self, user: &'a User) -> Fut<'a, ()>;
    fn user<'a>(&'a self, name: &'a str) -> Fut<'a, Option<User>>;
    /// Removes a user with its tokens and sessions and its place in access lists (the audit
    /// trail keeps its name); [`StoreError::NotFound`] when there is none.
    fn remove_user<'a>(&'a self, name: &'a str) -> Fut<'a, ()>;
    /// Stores an API token by its SHA-256.
    fn add_token<'a>(
        &'a self,
        hash: &'a str,
        user: &'a str,
        label: &'a str,
        expires_at: Option<Time>,
    ) -> Fut<'a, ()>;
    /// The user a token belongs to, if it is valid (not revoked, not expired) now, and the
    /// library's [`Store::generation`] read in the same look-up.
    fn token_user<'a>(&'a self, hash: &'a str) -> Fut<'a, Option<SignedIn>>;
    /// Revokes every token of `user`; returns how many.
    fn revoke_tokens<'a>(&'a self, user: &'a str) -> Fut<'a, u64>;
    /// Revokes one token by its hash; false when it was unknown or already revoked.
    fn revoke_token<'a>(&'a self, hash: &'a str) -> Fut<'a, bool>;
    /// Every user, by name.
    fn users(&self) -> Fut<'_, Vec<User>>;
    /// The newest tokens (at most [`MAX_LISTED`]), revoked and expired ones included.
    fn tokens(&self) -> Fut<'_, Vec<TokenInfo>>;
    /// The newest audit rows a filter selects, newest first (at most `filter.limit`).
    /// Adds a hook; an existing name is refused.
    fn add_hook<'a>(&'a self, hook: &'a Hook) -> Fut<'a, ()>;
    /// The hook of that name, revoked or not.
    fn hook<'a>(&'a self, name: &'a str) -> Fut<'a, Option<Hook>>;
    fn hooks(&self) -> Fut<'_, Vec<Hook>>;
    /// Revokes a hook: its deliveries are refused from then on. False if there was none live.
    fn revoke_hook<'a>(&'a self, name: &'a str) -> Fut<'a, bool>;
    /// The draft alert group `group` of hook `hook` writes into at `now`: the one it opened,
    /// if the group was heard from within the hook's window and the draft is not deleted;
    /// otherwise `doc()` is saved as a new draft (made only then). One call at a time decides, across instances
    /// (two instances receiving the same group at once open one draft).
    fn alert_draft<'a>(
        &'a self,
        hook: &'a Hook,
        group: &'a str,
        now: Time,
        doc: &'a (dyn Fn() -> NewDocument + Send + Sync),
    ) -> Fut<'a, Draft>;
    fn audit_recent<'a>(&'a self, filter: &'a AuditFilter) -> Fut<'a, Vec<AuditRow>>;
    /// Appends to the audit trail, chained to the last row.
    fn audit<'a>(&'a self, entry: &'a AuditEntry) -> Fut<'a, ()>;
    /// The whole audit trail in order.
    fn audit_log(&self) -> Fut<'_, Vec<AuditRow>>;
    /// The latest audit row of an action with outcome `ok` (such as the last verified backup).
    fn last_audit<'a>(&'a self, action: &'a str) -> Fut<'a, Option<AuditRow>>;
    /// Gauges for monitoring: live postmortems, open and overdue action items.
    fn counts<'a>(&'a self, today: &'a str) -> Fut<'a, Counts>;
    /// Refreshes the planner's statistics and tidies the search index after a large import
    /// (what autovacuum or `PRAGMA optimize` would do later), so searches are fast at once.
    fn optimize(&self) -> Fut<'_, ()>;
    /// Writes and commits one small row: proves the database can still be written (the disk is
    /// not full, the file not read-only, the server up).
    fn check_write(&self) -> Fut<'_, ()>;
    /// Rebuilds the full-text index from the stored postmortems (`debrief verify --repair`).
    fn rebuild_search(&self) -> Fut<'_, ()>;
    /// Finishes cleanly: pending work is flushed into the database file and connections close.
    fn close(&self) -> Fut<'_, ()>;
}

/// A query with at most this many matches has them ranked by relevance (a title match weighing
/// more than the body's); one with more lists its matches newest first. Ranking reads every
/// match, so beyond this a word in half the library would cost in proportion to the library;
/// listing newest first stops after the page. (A word that common says little about which
/// postmortem is meant; the filters and a second word narrow it.)
pub const RANKED: i64 = 200;

/// The schema version of the base rows, shared by every backend and the backup format.
pub const SCHEMA_VERSION: i64 = 1;

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// Bytes as lowercase hexadecimal.
pub fn hex(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(2 * bytes.len());
    for b in bytes {
        s.push_str(&format!("{b:02x}"));
    }
    s
}

/// A postmortem id: 12 hex characters, from the source when there is one.
pub fn new_id(source: Option<&str>, text: &str) -> String {
    let seed = match source {
        Some(s) => s.to_string(),
        None => {
            let nanos = SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos());
            static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
            let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            format!(
                "{nanos}:{n}:{}:{}",
                std::process::id(),
                sha256_hex(text.as_bytes())
            )
        }
    };
    sha256_hex(seed.as_bytes())[..12].to_string()
}

/// Now, as the store records times.
pub fn now() -> Time {
    Time::now()
}

/// `hours` from now (token expiry).
pub fn hours_from_now(hours: u64) -> Time {
    Time::now().plus_hours(i64::try_from(hours).unwrap_or(i64::MAX / 3600))
}

/// Today's date, `YYYY-MM-DD` in UTC.
pub fn today() -> String {
    Time::now().date()
}

/// What a store keeps beside the revision to list, filter and search without re-parsing.
#[derive(Debug, Clone, Default)]
pub struct Derived {
    pub title: Option<String>,
    pub severity: Option<String>,
    pub status: Option<String>,
    /// `YYYY-MM-DD` when known.
    pub date: Option<String>,
    pub services: Vec<String>,
    pub tags: Vec<String>,
    /// The text search reads ([`search_text`]).
    pub body: String,
    pub actions: Vec<ActionRow>,
    /// The record as JSON, so reads need not parse.
    pub record_json: String,
}

/// What the full-text index holds for one postmortem: its title and its search text
/// ([`Derived::body`]). No table keeps the search text; each backend's index is written from
/// this when a postmortem is saved.
#[derive(Debug, Clone, Copy)]
pub struct SearchText<'a> {
    /// The postmortem's row number, the index's key.
    pub seq: i64,
    pub title: Option<&'a str>,
    pub body: &'a str,
}

impl<'a> SearchText<'a> {
    pub fn of(seq: i64, d: &'a Derived) -> SearchText<'a> {
        SearchText {
            seq,
            title: d.title.as_deref(),
            body: &d.body,
        }
    }
}

/// The search text of a record: every prose field, entry and item, a line each. A prose field
/// read from a section's text (a "Summary" section's text is the summary) or from the text
/// above the first heading is indexed once, with that text.
pub fn search_text(p: &Postmortem) -> String {
    let mut body = String::new();
    let mut push = |s: &str| {
        if !s.is_empty() {
            body.push_str(s);
            body.push('\n');
        }
    };
    let told_elsewhere = |field: &str| {
        p.preamble.as_deref().is_some_and(|t| t.contains(field))
            || p.sections.iter().any(|s| s.text.contains(field))
    };
    for s in [
        &p.summary,
        &p.impact,
        &p.root_cause,
        &p.contributing_factors,
        &p.trigger,
        &p.detection,
        &p.resolution,
    ]
    .into_iter()
    .flatten()
    {
        if !told_elsewhere(s) {
            push(s);
        }
    }
    if let Some(s) = &p.preamble {
        push(s);
    }
    for e in &p.timeline {
        push(&e.text);
    }
    for a in &p.action_items {
        push(&a.text);
    }
    for s in &p.sections {
        push(&s.heading);
        push(&s.text);
    }
    body
}

/// Derives the stored fields of a record.
pub fn derive(id: &str, p: &Postmortem) -> Derived {
    let body = search_text(p);
    let date = p
        .date
        .clone()
        .filter(|d| debrief_core::time::Date::parse_iso(d).is_some())
        .or_else(|| {
            p.instants
                .started
                .as_ref()
                .and_then(|s| s.date)
                .map(|d| d.to_string())
        });
    let actions = p
        .action_items
        .iter()
        .enumerate()
        .map(|(i, a)| ActionRow {
            position: i as i64,
            revision: 0,
            postmortem_id: id.to_string(),
            postmortem_title: p.title.clone(),
            text: a.text.clone(),
            owner: a.owner.clone(),
            due: a.due.clone(),
            status: a.status.as_str().to_string(),
            kind: a.kind.as_str().to_string(),
            tracker: a.tracker.clone(),
        })
        .collect();
    Derived {
        title: p.title.clone(),
        severity: p.severity.clone(),
        status: p.status.clone(),
        date,
        services: p.services.clone(),
        tags: p.tags.clone(),
        body,
        actions,
        record_json: serde_json::to_string(p).unwrap_or_default(),
    }
}

/// A document ready to write: parsed, hashed and derived (work done before taking a lock).
#[derive(Debug, Clone)]
pub struct Prepared {
    pub sha256: String,
    pub derived: Derived,
    pub record_sha256: String,
    pub services_json: String,
    pub severity_key: Option<String>,
    pub status_key: Option<String>,
    pub labels: Vec<(String, String)>,
    /// The record's JSON and the document, as stored ([`packed::pack`]).
    pub record_packed: Vec<u8>,
    pub text_packed: Vec<u8>,
}

/// The record of a stored document: what the importer reads, with the file name its source
/// names (`file:/path/2023-05-04-db-outage.md` dates a document whose text gives only times),
/// so `debrief parse FILE` and `debrief import FILE` give the same record.
pub fn parse_stored(text: &str, source: Option<&str>) -> Postmortem {
    match source.and_then(|s| s.strip_prefix("file:")) {
        Some(path) => debrief_core::parse_named(text, path).postmortem,
        None => debrief_core::parse(text).postmortem,
    }
}

pub fn prepare(id: &str, text: &str, source: Option<&str>) -> Prepared {
    prepare_record(id, text, &parse_stored(text, source))
}

/// [`prepare`] of a document already parsed.
pub fn prepare_record(id: &str, text: &str, record: &Postmortem) -> Prepared {
    let derived = derive(id, record);
    Prepared {
        sha256: sha256_hex(text.as_bytes()),
        record_sha256: sha256_hex(derived.record_json.as_bytes()),
        services_json: serde_json::to_string(&derived.services).unwrap_or_else(|_| "[]".into()),
        severity_key: derived.severity.as_deref().map(severity_key),
        status_key: derived.status.as_deref().map(label),
        labels: labels_of(&derived),
        record_packed: packed::pack(&derived.record_json, packed::Kind::Record),
        text_packed: packed::pack(text, packed::Kind::Document),
        derived,
    }
}

/// [`prepare`] for many documents, on every core, in the order given; a document that comes
/// with its record (`NewDocument::record`) is not parsed again. The parser never panics; if it
/// ever did, this is an error for the whole batch (nothing is written), never a shorter list
/// that would pair results with the wrong documents.
fn prepare_all(docs: &[(&str, &NewDocument)]) -> Result<Vec<Prepared>, StoreError> {
    on_every_core(docs, |(id, d)| prepare_document(id, d)).ok_or_else(importer_failed)
}

/// [`prepare`] of a document, or [`prepare_record`] when it comes with its record.
pub fn prepare_document(id: &str, d: &NewDocument) -> Prepared {
    match &d.record {
        Some(record) => prepare_record(id, &d.text, record),
        None => prepare(id, &d.text, d.source.as_deref()),
    }
}

/// What a writer hears when preparing a document of its batch panicked.
pub fn importer_failed() -> StoreError {
    StoreError::Invalid(
        "the importer failed on a document of this batch (a bug: please report it with the document); nothing was written".into(),
    )
}

/// [`prepare_all`] of `docs` (id, document) in chunks of `per`, in order, on blocking threads:
/// the next chunk is prepared while the caller writes this one. Preparing stops when the
/// receiver is dropped.
pub fn prepare_ahead(
    docs: Vec<(String, NewDocument)>,
    per: usize,
) -> tokio::sync::mpsc::Receiver<Result<Vec<Prepared>, StoreError>> {
    let (ready, chunks) = tokio::sync::mpsc::channel(1);
    tokio::task::spawn_blocking(move || {
        for chunk in docs.chunks(per) {
            let pairs: Vec<(&str, &NewDocument)> =
                chunk.iter().map(|(id, d)| (id.as_str(), d)).collect();
            if ready.blocking_send(prepare_all(&pairs)).is_err() {
                return;
            }
        }
    });
    chunks
}

/// `f` of every item, in order, spread over the machine's cores (up to 8) when there are enough
/// items to be worth it; `None` if `f` panicked on any of them.
pub fn on_every_core<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Option<Vec<R>> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(8);
    if threads < 2 || items.len() < 64 {
        return std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            items.iter().map(&f).collect()
        }))
        .ok();
    }
    let per = items.len().div_ceil(threads);
    let f = &f;
    std::thread::scope(|s| {
        let handles: Vec<_> = items
            .chunks(per)
            .map(|c| s.spawn(move || c.iter().map(f).collect::<Vec<_>>()))
            .collect();
        let mut out = Vec::with_capacity(items.len());
        for h in handles {
            out.extend(h.join().ok()?);
        }
        Some(out)
    })
}

/// What a store holds for one postmortem beside its revisions, as read back by `verify`.
#[derive(Debug, Clone, Default)]
pub struct StoredDerived {
    pub title: Option<String>,
    pub severity: Option<String>,
    pub status: Option<String>,
    pub date: Option<String>,
    pub record_json: String,
    pub record_sha256: String,
    /// (kind, value) pairs.
    pub labels: Vec<(String, String)>,
    pub actions: Vec<ActionRow>,
}

/// Problems with one postmortem's derived rows: the record must match its hash, and everything
/// else must be what the record derives to. Returns what the record derives to, when it can be
/// read, so that the caller can check the search index against it.
pub fn check_derived(id: &str, stored: &StoredDerived) -> (Vec<String>, Option<Derived>) {
    let mut out = Vec::new();
    if sha256_hex(stored.record_json.as_bytes()) != stored.record_sha256 {
        out.push(format!(
            "{id}: the stored record does not match its SHA-256"
        ));
        return (out, None);
    }
    let Ok(record) = serde_json::from_str::<Postmortem>(&stored.record_json) else {
        out.push(format!("{id}: the stored record is not valid JSON"));
        return (out, None);
    };
    let d = derive(id, &record);
    let mut want_labels = labels_of(&d);
    let mut have_labels = stored.labels.clone();
    want_labels.sort();
    have_labels.sort();
    if (&d.title, &d.severity, &d.status, &d.date)
        != (
            &stored.title,
            &stored.severity,
            &stored.status,
            &stored.date,
        )
    {
        out.push(format!("{id}: the listed fields differ from the record"));
    }
    if want_labels != have_labels {
        out.push(format!(
            "{id}: the service and tag labels differ from the record"
        ));
    }
    let strip = |a: &ActionRow| {
        (
            a.text.clone(),
            a.owner.clone(),
            a.due.clone(),
            a.status.clone(),
            a.kind.clone(),
            a.tracker.clone(),
        )
    };
    if d.actions.iter().map(strip).collect::<Vec<_>>()
        != stored.actions.iter().map(strip).collect::<Vec<_>>()
    {
        out.push(format!("{id}: the action items differ from the record"));
    }
    (out, Some(d))
}

/// The (kind, value) labels stored for filtering.
pub fn labels_of(d: &Derived) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = d
        .services
        .iter()
        .map(|s| ("service".to_string(), label(s)))
        .chain(d.tags.iter().map(|t| ("tag".to_string(), label(t))))
        .collect();
    v.sort();
    v.dedup();
    v
}

/// The latest revision of each postmortem in a dump, after checking that every revision belongs
/// to a postmortem of the dump and that each one's revisions are numbered 1, 2, 3, ...
pub fn latest_revisions(
    dump: &Dump,
) -> Result<std::collections::HashMap<&str, &Revision>, StoreError> {
    let ids: std::collections::HashSet<&str> =
        dump.postmortems.iter().map(|p| p.id.as_str()).collect();
    let mut latest: std::collections::HashMap<&str, &Revision> = Default::default();
    for r in &dump.revisions {
        if !ids.contains(r.postmortem_id.as_str()) {
            return Err(StoreError::Invalid(format!(
                "revision {} belongs to postmortem {}, which the backup does not hold",
                r.number, r.postmortem_id
            )));
        }
        let expected = latest
            .get(r.postmortem_id.as_str())
            .map_or(1, |l| l.number + 1);
        if r.number != expected {
            return Err(StoreError::Invalid(format!(
                "postmortem {}: revision {} follows revision {}",
                r.postmortem_id,
                r.number,
                expected - 1
            )));
        }
        latest.insert(r.postmortem_id.as_str(), r);
    }
    Ok(latest)
}

/// `SEV-1`, `sev1` and `Sev 1` compare equal (the rule `.debrief.toml` uses too).
pub use debrief_core::lint::config::severity_key;

/// Lowercase, without a leading `@`: how owners, services and tags are compared.
pub fn label(s: &str) -> String {
    s.trim().trim_start_matches('@').to_lowercase()
}

/// Whether an action item is still to do.
pub fn is_open(status: &str) -> bool {
    status == ActionStatus::Open.as_str() || status == ActionStatus::InProgress.as_str()
}

/// Whether `due` (as written) is an ISO date before `today`.
pub fn is_overdue(due: Option<&str>, today: &str) -> bool {
    actions::due_date(due).is_some_and(|d| d < today)
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Outcome::Created => "new",
            Outcome::Updated => "updated",
            Outcome::Unchanged => "unchanged",
            Outcome::Deleted => "deleted",
            Outcome::Conflict => "conflict",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn audit_fields_are_bounded_and_one_line() {
        let e = AuditEntry {
            actor: "x".repeat(2_000_000),
            detail: "a\nb\u{1b}[2J".into(),
            ..AuditEntry::default()
        }
        .bounded();
        assert_eq!(e.actor.chars().count(), AUDIT_FIELD_CHARS + 1);
        assert!(e.actor.ends_with('…'));
        assert_eq!(e.detail, "a?b?[2J");
    }

    #[test]
    fn overdue_needs_an_iso_date_in_the_past() {
        assert!(is_overdue(Some("2024-01-01"), "2024-06-01"));
        assert!(!is_overdue(Some("2024-07-01"), "2024-06-01"));
        assert!(!is_overdue(Some("next sprint"), "2024-06-01"));
        assert!(!is_overdue(None, "2024-06-01"));
    }

    #[test]
    fn a_field_read_from_a_section_is_indexed_once() {
        let p = debrief_core::parse(
            "---\ntitle: Queue stalled\n---\n\n## Summary\n\nThe export queue stalled overnight.\n\n## Root cause\n\nA lock was never released.\n",
        )
        .postmortem;
        assert_eq!(
            p.summary.as_deref(),
            Some("The export queue stalled overnight.")
        );
        let text = search_text(&p);
        assert_eq!(text.matches("queue stalled overnight").count(), 1, "{text}");
        assert_eq!(text.matches("never released").count(), 1, "{text}");
        // A field no section holds is still indexed.
        let mut p = p;
        p.resolution = Some("Restarted the consumer.".into());
        assert!(search_text(&p).contains("Restarted the consumer."));
    }

    #[test]
    fn now_is_rfc3339() {
        let n = now().to_string();
        assert_eq!(n.len(), 24, "{n}");
        assert!(n.ends_with('Z'));
        assert_eq!(today(), n[..10]);
    }
}
