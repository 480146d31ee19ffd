//! The review assistant: what a seasoned facilitator would point out in a postmortem.
//!
//! [`check`] reads the parsed record (and the text it came from, for exact positions) and returns
//! findings, each with a stable rule id, a severity, a message that says what is wrong and what
//! to do, a 1-based line and column, and where it helps a suggested rewrite. Rules never look at
//! a file system; configuration arrives as a [`Config`] (see [`config`] for `.debrief.toml`).

pub mod blame;
pub mod config;
mod doc;
mod duplicates;
mod rules;
mod suppress;

use serde::Serialize;

use crate::import::Parsed;
pub use config::{Config, ConfigError};
use doc::Doc;

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    pub fn from_name(s: &str) -> Option<Severity> {
        match s {
            "info" | "note" => Some(Severity::Info),
            "warning" | "warn" => Some(Severity::Warning),
            "error" => Some(Severity::Error),
            _ => None,
        }
    }
}

macro_rules! rules {
    ($($variant:ident $id:literal $sev:ident $desc:literal;)*) => {
        /// Every rule, by its stable id.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Rule { $($variant),* }

        impl Rule {
            pub const ALL: &[Rule] = &[$(Rule::$variant),*];

            pub fn id(self) -> &'static str {
                match self { $(Rule::$variant => $id),* }
            }

            pub fn default_severity(self) -> Severity {
                match self { $(Rule::$variant => Severity::$sev),* }
            }

            /// One line saying what the rule looks for.
            pub fn description(self) -> &'static str {
                match self { $(Rule::$variant => $desc),* }
            }
        }
    };
}

rules! {
    MissingSection "missing-section" Warning "A section a complete postmortem needs is missing (summary, impact, timeline, root cause, resolution, action items, lessons learned).";
    TimelineOrder "timeline-order" Error "A timeline entry is earlier than the entry listed before it.";
    TimelineZone "timeline-zone" Warning "The timeline gives times but no time zone anywhere, so they are ambiguous.";
    TimelineGap "timeline-gap" Info "A long stretch during the impact has nothing recorded in the timeline.";
    DurationMismatch "duration-mismatch" Error "The stated duration disagrees with the stated or timeline start and end.";
    TimesInconsistent "times-inconsistent" Error "Instants contradict each other: end before start, detection before start, a date that contradicts the timeline.";
    UnquantifiedImpact "unquantified-impact" Warning "The impact gives no number, share, count, money or duration, or uses vague words.";
    DataLossUnstated "data-loss-unstated" Warning "Recovery from a backup or failover is described but the data lost (or not lost) is not stated.";
    BlameLanguage "blame-language" Warning "Blame: a person as the cause, \"human error\" as a cause, counterfactuals or judgement.";
    ActionItemOwner "action-item-owner" Warning "An open action item has no owner.";
    ActionItemDueDate "action-item-due-date" Warning "An open action item has no due date.";
    VagueAction "vague-action" Warning "An action item starts with investigate, consider, review, improve, ... and names no checkable outcome.";
    ActionItemDuplicate "action-item-duplicate" Warning "Two action items say the same thing.";
    DetectedByCustomer "detected-by-customer" Info "Customers or support noticed the incident before monitoring did.";
    InvalidSuppression "invalid-suppression" Error "A debrief-disable comment names a rule that does not exist.";
}

impl Rule {
    pub fn from_id(id: &str) -> Option<Rule> {
        Rule::ALL.iter().copied().find(|r| r.id() == id)
    }

    /// The ids of every rule, for error messages.
    pub fn ids() -> String {
        Rule::ALL
            .iter()
            .map(|r| r.id())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

impl schemars::JsonSchema for Rule {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Rule".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let ids: Vec<&str> = Rule::ALL.iter().map(|r| r.id()).collect();
        schemars::json_schema!({"type": "string", "enum": ids, "description": "A review rule's stable id."})
    }
}

impl Serialize for Rule {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.id())
    }
}

/// One thing to fix or consider.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Finding {
    pub rule: Rule,
    pub severity: Severity,
    pub message: String,
    /// 1-based; 1 for findings about the whole document.
    pub line: usize,
    /// 1-based, in characters.
    pub column: usize,
    pub suggestion: Option<String>,
}

/// A finding before configuration gives it its severity.
pub(crate) struct Raw {
    rule: Rule,
    message: String,
    line: usize,
    column: usize,
    suggestion: Option<String>,
}

impl Raw {
    fn new(rule: Rule, (line, column): (usize, usize), message: impl Into<String>) -> Raw {
        Raw {
            rule,
            message: message.into(),
            line: line.max(1),
            column: column.max(1),
            suggestion: None,
        }
    }

    fn suggest(mut self, s: impl Into<String>) -> Raw {
        self.suggestion = Some(s.into());
        self
    }
}

/// Reviews one document. `text` is what was given to [`crate::parse`] and `parsed` its result.
/// Findings come sorted by line and column.
pub fn check(text: &str, parsed: &Parsed, cfg: &Config) -> Vec<Finding> {
    let doc = Doc::new(text, &parsed.postmortem);
    let mut raw = rules::all(&doc, parsed, cfg);
    let sup = suppress::Suppressions::read(&doc);
    raw.extend(sup.invalid());
    let mut out: Vec<Finding> = raw
        .into_iter()
        .filter(|r| r.rule == Rule::InvalidSuppression || !sup.hides(r.rule, r.line))
        .filter_map(|r| {
            let severity = cfg.severity(r.rule)?;
            Some(Finding {
                rule: r.rule,
                severity,
                message: r.message,
                line: r.line,
                column: r.column,
                suggestion: r.suggestion,
            })
        })
        .collect();
    out.sort_by_key(|f| (f.line, f.column, f.rule));
    out
}

/// Parses and reviews a document in one step.
pub fn lint(text: &str, cfg: &Config) -> Vec<Finding> {
    check(text, &crate::parse(text), cfg)
}
