//! The JSON shapes the API reads and writes. Their JSON Schemas (via schemars) are the OpenAPI
//! document's components, so what the code sends and what the document promises are one thing.

use debrief_core::lint::Finding;
use debrief_core::metrics::{GroupView, Report};
use debrief_core::{ActionStatus, EventKind, Postmortem};
use debrief_store::{ActionRow, SearchHit, Summary};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

#[derive(Serialize, JsonSchema)]
pub struct Health {
    /// "ok" when the database answers.
    pub status: String,
    pub database: String,
    /// Seconds since the last backup that was restored and verified (`debrief backup drill`).
    pub last_verified_backup_age_seconds: Option<i64>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Login {
    pub name: String,
    pub password: String,
}

#[derive(Serialize, JsonSchema)]
pub struct Session {
    /// A bearer token; shown once.
    pub token: String,
    pub expires_at: debrief_store::Time,
}

#[derive(Serialize, JsonSchema)]
pub struct Page {
    pub items: Vec<Summary>,
    pub limit: i64,
    pub offset: i64,
    /// The offset of the next page, when there may be one.
    pub next_offset: Option<i64>,
}

#[derive(Serialize, JsonSchema)]
pub struct PostmortemResource {
    pub id: String,
    pub revision: i64,
    pub source: Option<String>,
    pub created_at: debrief_store::Time,
    pub updated_at: debrief_store::Time,
    pub updated_by: String,
    pub restricted: bool,
    pub record: Postmortem,
}

#[derive(Serialize, JsonSchema)]
pub struct FindingList {
    /// As `debrief lint --format json` prints them, without the file.
    pub findings: Vec<Finding>,
}

#[derive(Serialize, JsonSchema)]
pub struct Saved {
    pub id: String,
    pub revision: i64,
    /// created, updated or unchanged.
    pub outcome: String,
    /// The record as saved: the same shape as `record` in a GET, `export --to json` and
    /// `parse --json`.
    pub record: Postmortem,
    pub findings: Vec<Finding>,
    /// As `debrief metrics --json` prints them, without the file.
    pub metrics: Report,
}

pub use debrief_store::RevisionInfo;

#[derive(Serialize, JsonSchema)]
pub struct RevisionList {
    /// Newest first.
    pub revisions: Vec<RevisionInfo>,
    /// Pass as `cursor` for the next (older) page; absent on the last page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<i64>,
}

#[derive(Serialize, JsonSchema)]
pub struct RevisionContent {
    pub number: i64,
    pub author: String,
    pub created_at: debrief_store::Time,
    pub message: String,
    pub sha256: String,
    pub content: String,
}

#[derive(Serialize, JsonSchema)]
pub struct DiffLine {
    /// same, added or removed.
    pub op: String,
    pub text: String,
}

#[derive(Serialize, JsonSchema)]
pub struct Diff {
    pub from: i64,
    pub to: i64,
    pub lines: Vec<DiffLine>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TimelineInput {
    /// When, as the canonical stamp (`2024-04-03 11:02 UTC`, `11:02`); omit for unknown.
    pub at: Option<String>,
    pub text: String,
    pub kind: Option<EventKind>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TimelinePatch {
    pub at: Option<String>,
    pub text: Option<String>,
    pub kind: Option<EventKind>,
    /// `false` promotes a hidden candidate (a chat message) into the shown timeline; `true`
    /// hides an entry without losing it.
    pub hidden: Option<bool>,
    /// Marks (or unmarks) the entry as a key moment.
    pub starred: Option<bool>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ActionInput {
    pub text: String,
    pub owner: Option<String>,
    /// YYYY-MM-DD.
    pub due: Option<String>,
    pub status: Option<ActionStatus>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ActionPatch {
    pub text: Option<String>,
    pub owner: Option<String>,
    pub due: Option<String>,
    /// `done` closes the item.
    pub status: Option<ActionStatus>,
}

#[derive(Serialize, JsonSchema)]
pub struct ActionList {
    pub items: Vec<ActionRow>,
    /// Pass as `cursor` for the next page; absent on the last page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

#[derive(Serialize, JsonSchema)]
pub struct SearchResults {
    pub hits: Vec<SearchHit>,
}

#[derive(Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AccessRule {
    pub restricted: bool,
    pub members: Vec<String>,
}

#[derive(Serialize, JsonSchema)]
pub struct StatsGroups {
    pub groups: Vec<GroupView>,
}

/// A webhook body from Prometheus Alertmanager (version 4). Fields Debrief does not use
/// (`receiver`, `truncatedAlerts`, Grafana's additions) are accepted and ignored.
#[derive(Deserialize, JsonSchema)]
pub struct AlertmanagerPayload {
    /// "4".
    #[schemars(extend("const" = "4"))]
    pub version: String,
    /// Stable for one alert group: a delivery joins the draft its group opened.
    #[serde(rename = "groupKey")]
    #[schemars(length(min = 1), regex(pattern = r"\S"))]
    pub group_key: String,
    #[serde(default, rename = "groupLabels")]
    pub group_labels: std::collections::BTreeMap<String, String>,
    #[serde(default, rename = "commonLabels")]
    pub common_labels: std::collections::BTreeMap<String, String>,
    #[schemars(length(min = 1, max = 1000))]
    pub alerts: Vec<Alert>,
}

/// One alert of an Alertmanager delivery.
#[derive(Deserialize, JsonSchema)]
pub struct Alert {
    /// "firing" or "resolved".
    #[schemars(extend("enum" = ["firing", "resolved"]))]
    pub status: String,
    #[serde(default)]
    pub labels: std::collections::BTreeMap<String, String>,
    #[serde(default)]
    pub annotations: std::collections::BTreeMap<String, String>,
    /// RFC 3339.
    #[serde(rename = "startsAt")]
    #[schemars(extend("format" = "date-time"))]
    pub starts_at: String,
    /// RFC 3339; Go's zero time (`0001-01-01T00:00:00Z`) while firing.
    #[serde(default, rename = "endsAt")]
    #[schemars(extend("format" = "date-time"))]
    pub ends_at: Option<String>,
    #[serde(default, rename = "generatorURL")]
    pub generator_url: String,
    #[schemars(length(min = 1), regex(pattern = r"\S"))]
    pub fingerprint: String,
}

/// The shortest start of a postmortem id an event may name it by: shorter ones are too likely
/// to be the start of several ids as the library grows.
pub const MIN_ID_PREFIX: usize = 4;

/// One event a system reports to an events hook: a deploy, a feature-flag flip, a config
/// change, a status-page update, a note. It names its postmortem by `postmortem` or by
/// `labels.service`, exactly one of the two.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(extend("oneOf" = [
    {
        "required": ["postmortem"],
        "properties": {"postmortem": {"type": "string", "minLength": MIN_ID_PREFIX}}
    },
    {
        "required": ["labels"],
        "properties": {"labels": {
            "type": "object",
            "required": ["service"],
            "properties": {"service": {"type": "string", "minLength": 1}}
        }}
    }
]))]
pub struct EventInput {
    /// When it happened, RFC 3339.
    #[schemars(extend("format" = "date-time"))]
    pub at: String,
    #[schemars(length(min = 1, max = 4000), regex(pattern = r"\S"))]
    pub text: String,
    /// What sent it (`deploy`, `feature-flag`, `status-page`), shown beside the entry.
    #[schemars(length(min = 1, max = 200), regex(pattern = r"\S"))]
    pub source: String,
    /// Its evidence: the deploy, the change, the update (http or https).
    #[schemars(length(max = 2000), regex(pattern = r"^https?://"))]
    pub link: Option<String>,
    /// Omit to have it read from the text, as the importer reads timeline entries.
    pub kind: Option<EventKind>,
    /// The sender's key for the event: sending it again adds nothing. Without one, the
    /// instant, source and text are its key.
    #[schemars(length(min = 1, max = 200), regex(pattern = r"\S"))]
    pub id: Option<String>,
    /// The postmortem it belongs to (its id, or at least its first four characters) ...
    #[schemars(length(min = MIN_ID_PREFIX))]
    pub postmortem: Option<String>,
    /// ... or labels to find it by: `service` names the service of an open draft (the one
    /// saved most recently, within the hook's window).
    pub labels: Option<std::collections::BTreeMap<String, String>>,
}

/// What a hook delivery did.
#[derive(Serialize, JsonSchema)]
pub struct Delivery {
    /// The draft postmortem the delivery wrote into.
    pub postmortem: String,
    pub revision: i64,
    /// True when this delivery opened the draft.
    pub opened: bool,
    /// Timeline entries added; 0 when every alert was already recorded (a redelivery).
    pub added: usize,
}
