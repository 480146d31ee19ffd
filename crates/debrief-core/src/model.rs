//! The postmortem record: what Debrief knows about one incident.
//!
//! Every field is something a reader of the document could point at. Fields the importer could not
//! fill stay empty (`None`, empty lists); nothing is invented. Text the importer does not
//! recognise is kept verbatim in [`Postmortem::sections`], so a record never loses what its
//! authors wrote.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::time::Stamp;

/// Version of the record shape. Bumped whenever a field is added, removed or changes meaning;
/// the JSON Schema in `schema/postmortem.schema.json` carries the same number.
pub const SCHEMA_VERSION: u32 = 1;

/// One postmortem, as imported from a document or written in the canonical format.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Postmortem {
    /// The record shape version (see [`SCHEMA_VERSION`]).
    #[serde(deserialize_with = "whole::u32")]
    #[schemars(range(max = 4_294_967_295_u32))]
    pub schema_version: u32,
    pub title: Option<String>,
    /// Review or incident status as written (for example `resolved`, `draft`, `in review`).
    pub status: Option<String>,
    /// Severity as written (for example `SEV1`, `critical`, `disrupted`).
    pub severity: Option<String>,
    /// The incident date as stated by the document, `YYYY-MM-DD`.
    pub date: Option<String>,
    pub services: Vec<String>,
    pub tags: Vec<String>,
    pub authors: Vec<String>,
    /// The key instants of the incident.
    pub instants: Instants,
    /// The duration the document states in words ("lasted for 3 hours and 14 minutes").
    #[serde(default, deserialize_with = "whole::optional_u32")]
    #[schemars(range(max = 4_294_967_295_u32))]
    pub stated_duration_minutes: Option<u32>,
    pub summary: Option<String>,
    pub impact: Option<String>,
    pub root_cause: Option<String>,
    pub contributing_factors: Option<String>,
    pub trigger: Option<String>,
    pub detection: Option<String>,
    pub resolution: Option<String>,
    pub timeline: Vec<TimelineEntry>,
    pub action_items: Vec<ActionItem>,
    pub lessons: Lessons,
    /// Text before the first recognised section (an introduction, a disclaimer), kept verbatim.
    pub preamble: Option<String>,
    /// Every section of the document in order, with its heading and its text verbatim.
    /// Recognised sections also feed the named fields above; unrecognised ones live only here.
    pub sections: Vec<Section>,
    /// Front matter keys Debrief does not model, kept as they were (JSON values).
    pub extra: serde_json::Map<String, serde_json::Value>,
}

/// The instants of the response. `started` and `ended` are what the document states (front
/// matter, summary, explicit markers) or, failing that, the bounds of the impact in the timeline;
/// `derived` says which were read from the timeline rather than stated.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Instants {
    pub started: Option<Stamp>,
    pub detected: Option<Stamp>,
    pub acknowledged: Option<Stamp>,
    pub escalated: Option<Stamp>,
    pub mitigated: Option<Stamp>,
    pub ended: Option<Stamp>,
    /// The instants derived from the timeline (the first and last entries of the impact); every
    /// other instant present was stated by the document.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub derived: Vec<InstantName>,
}

impl Instants {
    /// The slot of the instant `name`.
    pub fn get_mut(&mut self, name: InstantName) -> &mut Option<Stamp> {
        match name {
            InstantName::Started => &mut self.started,
            InstantName::Detected => &mut self.detected,
            InstantName::Acknowledged => &mut self.acknowledged,
            InstantName::Escalated => &mut self.escalated,
            InstantName::Mitigated => &mut self.mitigated,
            InstantName::Ended => &mut self.ended,
        }
    }
}

/// The name of one of the response's instants.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum InstantName {
    Started,
    Detected,
    Acknowledged,
    Escalated,
    Mitigated,
    Ended,
}

impl InstantName {
    pub fn as_str(self) -> &'static str {
        match self {
            InstantName::Started => "started",
            InstantName::Detected => "detected",
            InstantName::Acknowledged => "acknowledged",
            InstantName::Escalated => "escalated",
            InstantName::Mitigated => "mitigated",
            InstantName::Ended => "ended",
        }
    }

    pub fn parse(s: &str) -> Option<InstantName> {
        [
            InstantName::Started,
            InstantName::Detected,
            InstantName::Acknowledged,
            InstantName::Escalated,
            InstantName::Mitigated,
            InstantName::Ended,
        ]
        .into_iter()
        .find(|n| n.as_str() == s)
    }
}

/// One event of the timeline.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TimelineEntry {
    /// When it happened; `None` when the document gives no time (`[???]`, `--:--`, a bullet
    /// without a time).
    pub at: Option<Stamp>,
    pub text: String,
    pub kind: EventKind,
    /// 1-based line of the source document this entry came from (0 when unknown).
    #[serde(default, deserialize_with = "whole::usize")]
    #[schemars(range(max = 4_294_967_295_u32))]
    pub line: usize,
    /// For an entry a system wrote (an alert, a deploy event, a chat message): where it came
    /// from, as shown beside it (`alertmanager: HighErrorRate (instance=web-1)`). Absent for
    /// entries people wrote.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// The evidence behind a generated entry: the alert's graph, the deploy, the message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
    /// The delivery a generated entry records (for an alert: `alertmanager:` fingerprint, status
    /// and start); a delivery whose key an entry already has changes nothing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event: Option<String>,
    /// Kept but not shown: a generated candidate the author has not promoted (a chat message
    /// that marks nothing), or an entry the author hid. Hidden entries count for no instant.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub hidden: bool,
    /// Marked by the author as a key moment of the incident.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub starred: bool,
}

/// What a timeline entry records, inferred from its words or from an explicit marker.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// The problem itself: errors, an outage beginning, a failing component.
    Symptom,
    /// An alert, a page, a customer report: someone or something noticed.
    Detection,
    /// A responder picks it up: acknowledges, joins, starts looking.
    Acknowledgement,
    /// More people or teams are brought in; an incident is declared.
    Escalation,
    /// Finding out what is wrong.
    Diagnosis,
    /// An action that reduces or stops the impact.
    Mitigation,
    /// Service fully restored, incident closed.
    Resolution,
    /// A change or event that led up to the incident (a deploy, a config change).
    Trigger,
    /// Status updates, communication, anything else.
    #[default]
    Other,
}

impl EventKind {
    pub const ALL: [EventKind; 9] = [
        EventKind::Symptom,
        EventKind::Detection,
        EventKind::Acknowledgement,
        EventKind::Escalation,
        EventKind::Diagnosis,
        EventKind::Mitigation,
        EventKind::Resolution,
        EventKind::Trigger,
        EventKind::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::Symptom => "symptom",
            EventKind::Detection => "detection",
            EventKind::Acknowledgement => "acknowledgement",
            EventKind::Escalation => "escalation",
            EventKind::Diagnosis => "diagnosis",
            EventKind::Mitigation => "mitigation",
            EventKind::Resolution => "resolution",
            EventKind::Trigger => "trigger",
            EventKind::Other => "other",
        }
    }

    pub fn from_name(s: &str) -> Option<EventKind> {
        EventKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// A follow-up the team committed to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ActionItem {
    pub text: String,
    pub owner: Option<String>,
    /// Due date, `YYYY-MM-DD` when the document gives a date, else as written.
    pub due: Option<String>,
    pub status: ActionStatus,
    pub kind: ActionKind,
    /// Ticket or issue reference (`OPS-123`, `#42`, a tracker URL).
    pub tracker: Option<String>,
    /// 1-based source line (0 when unknown).
    #[serde(default, deserialize_with = "whole::usize")]
    #[schemars(range(max = 4_294_967_295_u32))]
    pub line: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ActionStatus {
    #[default]
    Open,
    InProgress,
    Done,
    WontDo,
}

impl ActionStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ActionStatus::Open => "open",
            ActionStatus::InProgress => "in_progress",
            ActionStatus::Done => "done",
            ActionStatus::WontDo => "wont_do",
        }
    }
}

/// Whether an action item prevents a recurrence, detects one sooner, limits its impact, or
/// changes how people work.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ActionKind {
    #[default]
    Prevent,
    Detect,
    Mitigate,
    Process,
}

impl ActionKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ActionKind::Prevent => "prevent",
            ActionKind::Detect => "detect",
            ActionKind::Mitigate => "mitigate",
            ActionKind::Process => "process",
        }
    }
}

/// Lessons learned, in the three questions of the Google SRE template, plus free text.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Lessons {
    pub went_well: Option<String>,
    pub went_wrong: Option<String>,
    pub lucky: Option<String>,
    /// A "Lessons learned" section that does not split into the three questions.
    pub other: Option<String>,
}

impl Lessons {
    pub fn is_empty(&self) -> bool {
        self.went_well.is_none()
            && self.went_wrong.is_none()
            && self.lucky.is_none()
            && self.other.is_none()
    }
}

/// One section of the source document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Section {
    /// The heading as written, without Markdown markers (`Timeline (all times PST)`).
    pub heading: String,
    pub kind: SectionKind,
    /// The section's text, verbatim, without its heading. For timeline and action-item sections,
    /// the lines that did not become entries or items (zone declarations, remarks, code).
    pub text: String,
    /// 1-based line of the heading (0 when unknown).
    #[serde(default, deserialize_with = "whole::usize")]
    #[schemars(range(max = 4_294_967_295_u32))]
    pub line: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SectionKind {
    Summary,
    Impact,
    Timeline,
    RootCause,
    ContributingFactors,
    /// "Root Cause and Resolution": feeds both fields.
    RootCauseAndResolution,
    Trigger,
    Detection,
    Resolution,
    ActionItems,
    Lessons,
    WentWell,
    WentWrong,
    Lucky,
    /// A section Debrief does not model; kept verbatim.
    Other,
}

impl SectionKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SectionKind::Summary => "summary",
            SectionKind::Impact => "impact",
            SectionKind::Timeline => "timeline",
            SectionKind::RootCause => "root_cause",
            SectionKind::ContributingFactors => "contributing_factors",
            SectionKind::RootCauseAndResolution => "root_cause_and_resolution",
            SectionKind::Trigger => "trigger",
            SectionKind::Detection => "detection",
            SectionKind::Resolution => "resolution",
            SectionKind::ActionItems => "action_items",
            SectionKind::Lessons => "lessons",
            SectionKind::WentWell => "went_well",
            SectionKind::WentWrong => "went_wrong",
            SectionKind::Lucky => "lucky",
            SectionKind::Other => "other",
        }
    }
}

/// Something the importer wants the reader to know: what it could not understand, what it
/// assumed, what it reordered. Notes never stop an import.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Note {
    /// Stable identifier (`front-matter-invalid`, `zone-assumed-utc`, ...).
    pub code: String,
    pub message: String,
    /// 1-based line the note is about (0 when it concerns the whole document).
    pub line: usize,
}

impl Note {
    pub fn new(code: &str, line: usize, message: impl Into<String>) -> Note {
        Note {
            code: code.to_string(),
            message: message.into(),
            line,
        }
    }
}

impl Postmortem {
    /// Adds a timeline entry after the last one at or before its time (before the first later
    /// one when none is earlier), unless an entry with the same key ([`TimelineEntry::event`])
    /// is there already; true when it was added.
    pub fn add_entry(&mut self, entry: TimelineEntry) -> bool {
        if entry.event.is_some() && self.timeline.iter().any(|t| t.event == entry.event) {
            return false;
        }
        let seconds = |e: &TimelineEntry| e.at.as_ref().and_then(|s| s.utc_seconds(true));
        let at = seconds(&entry);
        let place = match self
            .timeline
            .iter()
            .rposition(|t| seconds(t).zip(at).is_some_and(|(t, a)| t <= a))
        {
            Some(i) => i + 1,
            None => self
                .timeline
                .iter()
                .position(|t| seconds(t).zip(at).is_some_and(|(t, a)| t > a))
                .unwrap_or(self.timeline.len()),
        };
        self.timeline.insert(place, entry);
        true
    }

    /// The record without provenance (source lines), the form compared by export round-trips:
    /// line numbers describe where something was in one file, not what the incident was.
    pub fn without_lines(&self) -> Postmortem {
        let mut p = self.clone();
        p.timeline.iter_mut().for_each(|e| e.line = 0);
        p.action_items.iter_mut().for_each(|a| a.line = 0);
        p.sections.iter_mut().for_each(|s| s.line = 0);
        p
    }
}

/// Whole numbers of the record as JSON Schema's `integer` allows them: `459` or `459.0`.
mod whole {
    use serde::de::Error;
    use serde::{Deserialize, Deserializer};

    fn number<E: Error>(n: serde_json::Number, max: u64) -> Result<u64, E> {
        n.as_u64()
            .or_else(|| {
                n.as_f64()
                    .filter(|f| f.fract() == 0.0 && *f >= 0.0 && *f <= max as f64)
                    .map(|f| f as u64)
            })
            .filter(|w| *w <= max)
            .ok_or_else(|| E::custom(format!("{n} is not a whole number from 0 to {max}")))
    }

    pub fn u32<'de, D: Deserializer<'de>>(d: D) -> Result<u32, D::Error> {
        number(serde_json::Number::deserialize(d)?, u64::from(u32::MAX)).map(|n| n as u32)
    }

    pub fn optional_u32<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u32>, D::Error> {
        Option::<serde_json::Number>::deserialize(d)?
            .map(|n| number(n, u64::from(u32::MAX)).map(|n| n as u32))
            .transpose()
    }

    pub fn usize<'de, D: Deserializer<'de>>(d: D) -> Result<usize, D::Error> {
        number(serde_json::Number::deserialize(d)?, u64::from(u32::MAX)).map(|n| n as usize)
    }
}
