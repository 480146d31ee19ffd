//! Response metrics: when the incident started, was detected, acknowledged, escalated, mitigated
//! and resolved, and the durations between those instants.
//!
//! Explicit values win over inferred ones: an instant stated in the front matter or a metadata
//! label, then a marker in the timeline (`<START OF OUTAGE>`, `<MITIGATED>`, `<END OF OUTAGE>`),
//! then the first timeline entry of the matching kind. An instant nothing supports stays `None`
//! and so does every duration that needs it: a metric is never guessed.

use serde::Serialize;

use crate::import::classify;
use crate::model::{EventKind, Postmortem, TimelineEntry};
use crate::time::Stamp;

/// Where an instant came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// The front matter or a metadata label (`Start time:`).
    Stated,
    /// An explicit marker in the timeline entry on this line.
    Marker(usize),
    /// Inferred from the words of the timeline entry on this line.
    Timeline(usize),
}

impl Source {
    pub fn describe(self) -> String {
        match self {
            Source::Stated => "stated".into(),
            Source::Marker(l) => format!("marker on line {l}"),
            Source::Timeline(l) => format!("timeline line {l}"),
        }
    }

    pub fn line(self) -> Option<usize> {
        match self {
            Source::Stated => None,
            Source::Marker(l) | Source::Timeline(l) => Some(l),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    pub at: Stamp,
    pub source: Source,
}

/// The instants of one incident's response.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Instants {
    pub started: Option<Found>,
    pub detected: Option<Found>,
    pub acknowledged: Option<Found>,
    pub escalated: Option<Found>,
    pub mitigated: Option<Found>,
    pub resolved: Option<Found>,
    /// Lines of timeline entries the document lists a day or more out of order (see
    /// [`listed_out_of_order`]): a duration measured from one is not trusted.
    pub misplaced: Vec<usize>,
}

/// The five durations, in whole minutes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Durations {
    pub time_to_detect_minutes: Option<i64>,
    pub time_to_acknowledge_minutes: Option<i64>,
    pub time_to_escalate_minutes: Option<i64>,
    pub time_to_mitigate_minutes: Option<i64>,
    pub time_to_resolve_minutes: Option<i64>,
}

impl Durations {
    /// Names and values in a fixed order, for tables and summaries.
    pub fn named(&self) -> [(&'static str, Option<i64>); 5] {
        [
            ("time_to_detect_minutes", self.time_to_detect_minutes),
            (
                "time_to_acknowledge_minutes",
                self.time_to_acknowledge_minutes,
            ),
            ("time_to_escalate_minutes", self.time_to_escalate_minutes),
            ("time_to_mitigate_minutes", self.time_to_mitigate_minutes),
            ("time_to_resolve_minutes", self.time_to_resolve_minutes),
        ]
    }
}

fn first(
    entries: &[TimelineEntry],
    from: usize,
    pick: impl Fn(&TimelineEntry) -> bool,
) -> Option<(usize, Found)> {
    entries
        .iter()
        .enumerate()
        .skip(from)
        .find(|(_, e)| e.at.as_ref().is_some_and(|s| s.time.is_some()) && pick(e))
        .and_then(|(i, e)| {
            let source = if classify::marker(&e.text).is_some() {
                Source::Marker(e.line)
            } else {
                Source::Timeline(e.line)
            };
            Some((
                i,
                Found {
                    at: e.at.clone()?,
                    source,
                },
            ))
        })
}

/// A stated instant with a time. A stated midnight exactly (`start_time: 2016-09-22T00:00:00Z`)
/// is a date written as a date-time: no minute can be measured from it.
fn stated(s: &Option<Stamp>) -> Option<Found> {
    s.as_ref()
        .filter(|s| s.time.is_some_and(|t| t.seconds() != 0))
        .map(|s| Found {
            at: s.clone(),
            source: Source::Stated,
        })
}

fn marked(entries: &[TimelineEntry], kind: EventKind) -> Option<Found> {
    first(entries, 0, |e| classify::marker(&e.text) == Some(kind)).map(|(_, f)| f)
}

/// The entry of the timeline at `at` (the first timed one), as where an instant came from.
fn entry_at(entries: &[TimelineEntry], at: Option<Stamp>) -> Option<Found> {
    let at = at?;
    let e = entries.iter().find(|e| e.at.as_ref() == Some(&at))?;
    let source = if classify::marker(&e.text).is_some() {
        Source::Marker(e.line)
    } else {
        Source::Timeline(e.line)
    };
    Some(Found { at, source })
}

/// Finds the instants of `p`, reading its timeline in time order (the record keeps the order
/// the document lists it in). The start and end are the record's own (stated, or the impact's bounds the importer read
/// from the timeline, leaving out background and follow-up), so `parse`, `metrics`, `lint` and the
/// API agree on them; the other instants are the first timeline entry of their kind after the
/// impact began.
pub fn instants(p: &Postmortem) -> Instants {
    let t = &*crate::import::timeline::chronological(&p.timeline);
    let is = |k: EventKind| move |e: &TimelineEntry| e.kind == k;
    // A start or end equal to the bounds of the timeline's impact says nothing the timeline does
    // not (the importer fills them that way when the text states none): the timeline's entry is
    // their source.
    // (When the importer derived them, it may have bounded them further: a stated detection
    // sets aside background weeks before. Its values are the ones to trace.)
    let (span_start, span_end) = crate::import::timeline::impact_span(t);
    let derived = |name| p.instants.derived.contains(&name);
    let impact_start = if derived(crate::model::InstantName::Started) {
        p.instants.started.clone()
    } else {
        span_start
    };
    let impact_end = if derived(crate::model::InstantName::Ended) {
        p.instants.ended.clone()
    } else {
        span_end
    };
    let own = |s: &Option<Stamp>, edge: &Option<Stamp>, name: crate::model::InstantName| {
        s.clone()
            .filter(|s| Some(s) != edge.as_ref() && !p.instants.derived.contains(&name))
    };
    let stated_start = own(
        &p.instants.started,
        &impact_start,
        crate::model::InstantName::Started,
    );
    let stated_end = own(
        &p.instants.ended,
        &impact_end,
        crate::model::InstantName::Ended,
    );
    // Entries before the impact (background) are not its detection or response; a marker in
    // the timeline ("**OUTAGE BEGINS**") says where the impact begins.
    // (Not one after the impact's end marker: its date is wrong.)
    let end_marker = marked(t, EventKind::Resolution);
    let start_marker = marked(t, EventKind::Symptom).filter(|m| {
        end_marker
            .as_ref()
            .and_then(|e| m.at.minutes_until(&e.at))
            .is_none_or(|gap| gap > 0)
    });
    let position = |a: &Stamp| t.iter().position(|e| e.at.as_ref() == Some(a));
    let from = start_marker
        .as_ref()
        .and_then(|m| position(&m.at))
        .or_else(|| impact_start.as_ref().and_then(position))
        .unwrap_or(0);
    let first_detection = first(t, from, is(EventKind::Detection)).map(|(_, f)| f);
    // Explicit starts win, unless the timeline shows the incident detected before them (then
    // the "start" was read from prose about something else): the impact had begun by the time
    // it was detected. A marker in the timeline is never such prose.
    let explicit_start = prefer_marker(
        stated(&stated_start).filter(|s| {
            first_detection
                .as_ref()
                .and_then(|d| d.at.minutes_until(&s.at))
                .is_none_or(|m| m <= 0)
        }),
        start_marker,
    );
    let started = explicit_start.or_else(|| entry_at(t, impact_start.clone()));
    let detected_at = first(t, from, is(EventKind::Detection));
    let detected = stated(&p.instants.detected).or_else(|| detected_at.clone().map(|(_, f)| f));
    // The first responder action after detection: an acknowledgement, else the first
    // investigation, escalation or mitigation that follows the detection entry. Without a
    // detection entry only an acknowledgement the timeline names is one (and the time to
    // acknowledge stays unknown).
    let acknowledged = stated(&p.instants.acknowledged).or_else(|| {
        let Some((detection, _)) = &detected_at else {
            return first(t, from, is(EventKind::Acknowledgement)).map(|(_, f)| f);
        };
        first(t, *detection, is(EventKind::Acknowledgement))
            .or_else(|| {
                first(t, detection + 1, |e| {
                    matches!(
                        e.kind,
                        EventKind::Diagnosis | EventKind::Escalation | EventKind::Mitigation
                    )
                })
            })
            .map(|(_, f)| f)
    });
    let escalated = stated(&p.instants.escalated)
        .or_else(|| first(t, from, is(EventKind::Escalation)).map(|(_, f)| f));
    let mitigated = stated(&p.instants.mitigated)
        .or_else(|| marked(t, EventKind::Mitigation))
        .or_else(|| first(t, from, is(EventKind::Mitigation)).map(|(_, f)| f));
    // The impact's last entry ends it only after its start (as the importer reads it): a
    // timeline whose last word is the outage beginning states no end.
    let resolved = prefer_marker(stated(&stated_end), end_marker).or_else(|| {
        entry_at(t, impact_end.clone()).filter(|end| {
            started
                .as_ref()
                .and_then(|s| s.at.minutes_until(&end.at))
                .is_none_or(|m| m > 0)
        })
    });
    // Listed a day or more away from where its time belongs: a mistyped or misread date (a
    // "Key events" list in the order detected, repaired, declared is minutes out of order, and
    // its times are right).
    // Of the two, the one farther from the middle of the timeline is the mistaken one (both
    // when that cannot be told).
    let mut keys: Vec<i64> = t.iter().filter_map(|e| e.at.as_ref()?.sort_key()).collect();
    keys.sort_unstable();
    let middle = keys.get(keys.len() / 2).copied().unwrap_or_default();
    let off = |e: &TimelineEntry| {
        e.at.as_ref()
            .and_then(Stamp::sort_key)
            .map_or(0, |k| (k - middle).abs())
    };
    let misplaced = listed_out_of_order(t, None)
        .into_iter()
        .filter(|(before, after)| {
            let (Some(a), Some(b)) = (before.at.as_ref(), after.at.as_ref()) else {
                return false;
            };
            a.minutes_until(b).is_some_and(|m| m.abs() >= 24 * 60)
        })
        .flat_map(|(before, after)| {
            let (a, b) = (off(before), off(after));
            [
                (a >= b).then_some(before.line),
                (b >= a).then_some(after.line),
            ]
        })
        .flatten()
        .collect();
    Instants {
        started,
        detected,
        acknowledged,
        escalated,
        mitigated,
        resolved,
        misplaced,
    }
}

/// The timeline entries a document lists out of order, each with the entry listed before it:
/// (that entry, the one earlier in time listed after it). `newest_first` says which way the
/// list runs; `None` reads it from the list itself (most neighbours in descending order: a
/// status page's updates). Entries without a line or a time stamp are not compared; a date
/// alone is the whole day, so only an earlier day is out of order beside it.
pub fn listed_out_of_order(
    timeline: &[TimelineEntry],
    newest_first: Option<bool>,
) -> Vec<(&TimelineEntry, &TimelineEntry)> {
    let mut entries: Vec<(&TimelineEntry, i64)> = timeline
        .iter()
        .filter(|e| e.line > 0)
        .filter_map(|e| Some((e, e.at.as_ref()?.sort_key()?)))
        .collect();
    entries.sort_by_key(|(e, _)| e.line);
    // Most neighbours descending, or as many as ascending with the first two descending (a
    // status page's "Resolved" on top).
    let newest_first = newest_first.unwrap_or_else(|| {
        let down = entries.windows(2).filter(|w| w[1].1 < w[0].1).count();
        let pairs = entries.len().saturating_sub(1);
        down * 2 > pairs
            || (down * 2 == pairs && entries.get(1).is_some_and(|e| e.1 < entries[0].1))
    });
    if newest_first {
        entries.reverse();
    }
    let whole_day = |e: &TimelineEntry| e.at.as_ref().is_none_or(|a| a.time.is_none());
    entries
        .windows(2)
        .filter(|w| {
            let ((a, ka), (b, kb)) = (w[0], w[1]);
            if whole_day(a) || whole_day(b) {
                kb.div_euclid(86_400) < ka.div_euclid(86_400)
            } else {
                kb < ka
            }
        })
        .map(|w| (w[0].0, w[1].0))
        .collect()
}

/// A stated instant wins over a marker, but when the importer took the instant from the marker
/// itself, the marker is named as its source.
fn prefer_marker(stated: Option<Found>, marker: Option<Found>) -> Option<Found> {
    match (stated, marker) {
        (Some(s), Some(m)) if s.at != m.at => Some(s),
        (s, m) => m.or(s),
    }
}

fn between(a: &Option<Found>, b: &Option<Found>) -> Option<i64> {
    a.as_ref()?.at.minutes_until(&b.as_ref()?.at)
}

impl Instants {
    /// The five durations, each left out when it cannot be trusted: see [`Instants::checked`].
    pub fn durations(&self) -> Durations {
        self.checked().0
    }

    /// The durations and, for each one left out, why. A duration is left out when it is
    /// negative (the instants are out of order: a typo or a misread date), when it is longer
    /// than the whole incident (started to resolved), and time to detect when the start is the
    /// timeline's first line and that line is the detection (or at its minute): it cannot tell
    /// how long detection took. A start the document states can be the detection's minute.
    pub fn checked(&self) -> (Durations, Vec<String>) {
        let mut notes = Vec::new();
        // A start read from the timeline at the very minute of the detection is the detection
        // itself (the first thing the timeline records): it cannot say when the impact began.
        let start_is_detection = matches!(
            (&self.started, &self.detected),
            (Some(a), Some(b)) if matches!(a.source, Source::Timeline(_))
                && (a.source == b.source || a.at.minutes_until(&b.at) == Some(0))
        );
        let detect = if start_is_detection {
            notes.push(
                "time to detect: unknown, the timeline's first line is the detection itself; state when the impact began (a `Start:` line or a `<START OF OUTAGE>` marker)".into(),
            );
            None
        } else {
            between(&self.started, &self.detected)
        };
        let resolve = between(&self.started, &self.resolved);
        let incident = resolve.filter(|m| *m >= 0);
        let misplaced = |f: &Option<Found>| match f.as_ref().map(|f| &f.source) {
            Some(Source::Timeline(l) | Source::Marker(l)) if self.misplaced.contains(l) => Some(*l),
            _ => None,
        };
        let mut keep = |name: &str,
                        (from, to): (&Option<Found>, &Option<Found>),
                        v: Option<i64>,
                        whole: bool|
         -> Option<i64> {
            let v = v?;
            if let Some(line) = misplaced(from).or_else(|| misplaced(to)) {
                notes.push(format!(
                    "{name}: left out, the timeline entry on line {line} is listed out of order; check its date"
                ));
                return None;
            }
            if v < 0 {
                notes.push(format!(
                    "{name}: left out, the instants it is measured between are out of order ({v} min); check their dates"
                ));
                return None;
            }
            if !whole && incident.is_some_and(|i| v > i) {
                notes.push(format!(
                    "{name}: left out, {v} min is longer than the whole incident ({} min from start to resolution); check the dates",
                    incident.unwrap_or_default()
                ));
                return None;
            }
            Some(v)
        };
        let d = Durations {
            time_to_detect_minutes: keep(
                "time to detect",
                (&self.started, &self.detected),
                detect,
                false,
            ),
            time_to_acknowledge_minutes: keep(
                "time to acknowledge",
                (&self.detected, &self.acknowledged),
                between(&self.detected, &self.acknowledged),
                false,
            ),
            time_to_escalate_minutes: keep(
                "time to escalate",
                (&self.detected, &self.escalated),
                between(&self.detected, &self.escalated),
                false,
            ),
            time_to_mitigate_minutes: keep(
                "time to mitigate",
                (&self.started, &self.mitigated),
                between(&self.started, &self.mitigated),
                false,
            ),
            time_to_resolve_minutes: keep(
                "time to resolve",
                (&self.started, &self.resolved),
                resolve,
                true,
            ),
        };
        (d, notes)
    }

    /// Names and values in a fixed order.
    pub fn named(&self) -> [(&'static str, &Option<Found>); 6] {
        [
            ("started_at", &self.started),
            ("detected_at", &self.detected),
            ("acknowledged_at", &self.acknowledged),
            ("escalated_at", &self.escalated),
            ("mitigated_at", &self.mitigated),
            ("resolved_at", &self.resolved),
        ]
    }
}

/// A stamp for machines: [`Stamp::instant`], the one form every JSON output uses.
pub fn stamp_text(s: &Stamp) -> String {
    s.instant()
}

/// One postmortem's metrics, as `debrief metrics --json` and the API print them.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Report {
    /// The file it was read from (the CLI only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    pub title: Option<String>,
    pub started_at: Option<String>,
    pub detected_at: Option<String>,
    pub acknowledged_at: Option<String>,
    pub escalated_at: Option<String>,
    pub mitigated_at: Option<String>,
    pub resolved_at: Option<String>,
    pub time_to_detect_minutes: Option<i64>,
    pub time_to_acknowledge_minutes: Option<i64>,
    pub time_to_escalate_minutes: Option<i64>,
    pub time_to_mitigate_minutes: Option<i64>,
    pub time_to_resolve_minutes: Option<i64>,
    /// Where each known instant came from: `stated`, `marker on line N`, `timeline line N`.
    pub sources: std::collections::BTreeMap<String, String>,
    /// Durations left out because they cannot be trusted, and why.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[schemars(default)]
    pub notes: Vec<String>,
}

pub fn report(name: Option<&str>, p: &Postmortem) -> Report {
    let inst = instants(p);
    let at = |f: &Option<Found>| f.as_ref().map(|f| stamp_text(&f.at));
    let (d, notes) = inst.checked();
    Report {
        file: name.map(str::to_string),
        title: p.title.clone(),
        started_at: at(&inst.started),
        detected_at: at(&inst.detected),
        acknowledged_at: at(&inst.acknowledged),
        escalated_at: at(&inst.escalated),
        mitigated_at: at(&inst.mitigated),
        resolved_at: at(&inst.resolved),
        time_to_detect_minutes: d.time_to_detect_minutes,
        time_to_acknowledge_minutes: d.time_to_acknowledge_minutes,
        time_to_escalate_minutes: d.time_to_escalate_minutes,
        time_to_mitigate_minutes: d.time_to_mitigate_minutes,
        time_to_resolve_minutes: d.time_to_resolve_minutes,
        sources: inst
            .named()
            .iter()
            .filter_map(|(k, f)| Some(((*k).to_string(), f.as_ref()?.source.describe())))
            .collect(),
        notes,
    }
}

// ---------------------------------------------------------------------------------------------
// Summaries across postmortems

/// Below this many values a summary says it means little.
pub const FEW: usize = 5;

/// Median, 90th percentile (nearest rank) and maximum of some durations.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Stats {
    pub n: usize,
    pub median: Option<f64>,
    pub p90: Option<i64>,
    pub max: Option<i64>,
}

/// One duration's figures in a group, and the document its maximum comes from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Measured {
    pub stats: Stats,
    pub max_from: Option<String>,
}

impl Stats {
    pub fn of(values: &[i64]) -> Stats {
        let mut v = values.to_vec();
        v.sort_unstable();
        let n = v.len();
        if n == 0 {
            return Stats {
                n,
                median: None,
                p90: None,
                max: None,
            };
        }
        let median = if n % 2 == 1 {
            v[n / 2] as f64
        } else {
            (v[n / 2 - 1] + v[n / 2]) as f64 / 2.0
        };
        let rank = (9 * n).div_ceil(10).max(1);
        Stats {
            n,
            median: Some(median),
            p90: Some(v[rank - 1]),
            max: v.last().copied(),
        }
    }

    pub fn too_few(&self) -> bool {
        self.n < FEW
    }
}

/// One duration's figures as the CLI's JSON and the API print them.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct StatsView {
    pub n: usize,
    pub median: Option<f64>,
    pub p90: Option<i64>,
    pub max: Option<i64>,
    /// The document the maximum comes from (its file, or its id and title).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_from: Option<String>,
    /// Present when n is too small for the figures to mean much.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// One group's summary as the CLI's JSON and the API print it.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct GroupView {
    pub group: String,
    pub postmortems: usize,
    /// How many times to detect are exactly 0: each from a document that states its start and
    /// its detection at the same minute (one timeline line serving as both gives none).
    pub time_to_detect_zero: usize,
    pub durations: std::collections::BTreeMap<String, StatsView>,
}

impl GroupSummary {
    pub fn view(&self) -> GroupView {
        GroupView {
            group: self.group.clone(),
            postmortems: self.postmortems,
            time_to_detect_zero: self.time_to_detect_zero,
            durations: self
                .durations
                .iter()
                .map(|(name, m)| {
                    let s = &m.stats;
                    let view = StatsView {
                        n: s.n,
                        median: s.median,
                        p90: s.p90,
                        max: s.max,
                        max_from: m.max_from.clone(),
                        note: s
                            .too_few()
                            .then(|| format!("n < {FEW}: too few values to mean much")),
                    };
                    ((*name).to_string(), view)
                })
                .collect(),
        }
    }
}

/// The durations of one group of postmortems.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupSummary {
    pub group: String,
    pub postmortems: usize,
    pub time_to_detect_zero: usize,
    pub durations: Vec<(&'static str, Measured)>,
}

/// How postmortems are grouped in a summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupBy {
    All,
    Service,
    Severity,
    Month,
}

fn groups_of(p: &Postmortem, inst: &Instants, by: GroupBy) -> Vec<String> {
    match by {
        GroupBy::All => vec!["all".into()],
        GroupBy::Service if p.services.is_empty() => vec!["(none)".into()],
        GroupBy::Service => {
            let mut s: Vec<String> = p.services.iter().map(|s| s.to_lowercase()).collect();
            s.sort();
            s.dedup();
            s
        }
        GroupBy::Severity => vec![
            p.severity
                .as_deref()
                .map_or("(none)".into(), |s| s.trim().to_uppercase()),
        ],
        GroupBy::Month => {
            let date = inst
                .started
                .as_ref()
                .and_then(|f| f.at.date)
                .map(|d| d.to_string())
                .or_else(|| p.date.clone());
            vec![
                date.and_then(|d| d.get(..7).map(str::to_string))
                    .unwrap_or_else(|| "(unknown)".into()),
            ]
        }
    }
}

/// Groups postmortems, each named (its file, or its id and title), and summarises each duration
/// per group, groups sorted by name.
pub fn summarize<'a>(
    docs: impl IntoIterator<Item = (&'a str, &'a Postmortem)>,
    by: GroupBy,
) -> Vec<GroupSummary> {
    let mut s = Summarizer::new(by);
    for (name, p) in docs {
        s.add(name, p);
    }
    s.finish()
}

/// [`summarize`] one document at a time: it keeps each document's durations and name, not the
/// document, so a library can be summarized a page at a time.
#[derive(Debug)]
pub struct Summarizer {
    by: GroupBy,
    names: Vec<String>,
    /// Per group: how many documents, and each duration's values with the document's index.
    groups: std::collections::BTreeMap<String, (usize, DurationValues)>,
}

/// Each of the five durations' values, each with the index of the document it comes from.
type DurationValues = [Vec<(i64, u32)>; 5];

impl Summarizer {
    pub fn new(by: GroupBy) -> Summarizer {
        Summarizer {
            by,
            names: Vec::new(),
            groups: Default::default(),
        }
    }

    pub fn add(&mut self, name: &str, p: &Postmortem) {
        let inst = instants(p);
        let d = inst.durations().named();
        let index = self.names.len() as u32;
        self.names.push(name.to_string());
        for g in groups_of(p, &inst, self.by) {
            let slot = self.groups.entry(g).or_default();
            slot.0 += 1;
            for (i, (_, v)) in d.iter().enumerate() {
                if let Some(v) = v {
                    slot.1[i].push((*v, index));
                }
            }
        }
    }

    pub fn finish(self) -> Vec<GroupSummary> {
        let names = Durations::default().named().map(|(n, _)| n);
        let documents = self.names;
        self.groups
            .into_iter()
            .map(|(group, (postmortems, values))| GroupSummary {
                group,
                postmortems,
                time_to_detect_zero: values[0].iter().filter(|(v, _)| *v == 0).count(),
                durations: names
                    .iter()
                    .zip(values.iter())
                    .map(|(n, v)| {
                        let numbers: Vec<i64> = v.iter().map(|(x, _)| *x).collect();
                        // The first document with the largest value.
                        let max_from = v
                            .iter()
                            .rev()
                            .max_by_key(|(x, _)| *x)
                            .map(|(_, k)| documents[*k as usize].clone());
                        (
                            *n,
                            Measured {
                                stats: Stats::of(&numbers),
                                max_from,
                            },
                        )
                    })
                    .collect(),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stats_use_nearest_rank_and_a_true_median() {
        let s = Stats::of(&[5, 1, 3, 2, 4, 10, 7, 8, 6, 9]);
        assert_eq!(s.n, 10);
        assert_eq!(s.median, Some(5.5));
        assert_eq!(s.p90, Some(9));
        assert_eq!(s.max, Some(10));
        assert!(!s.too_few());
        let one = Stats::of(&[42]);
        assert_eq!(
            (one.median, one.p90, one.max),
            (Some(42.0), Some(42), Some(42))
        );
        assert!(one.too_few());
        assert_eq!(Stats::of(&[]).median, None);
    }
}
