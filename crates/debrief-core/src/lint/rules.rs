//! The review rules. Each reads the record and, for positions, the source lines.

use super::blame::{self, People};
use super::config::Required;
use super::doc::{Doc, column, find_word};
use super::duplicates;
use super::{Config, Raw, Rule};
use crate::import::Parsed;
use crate::import::facts;
use crate::metrics::{self, Found, Source};
use crate::model::{ActionStatus, EventKind, Postmortem, SectionKind};
use crate::time::{self, Stamp, Tok};

pub(crate) fn all(doc: &Doc<'_>, parsed: &Parsed, cfg: &Config) -> Vec<Raw> {
    let p = &parsed.postmortem;
    let inst = metrics::instants(p);
    let mut out = Vec::new();
    missing_sections(p, cfg, &mut out);
    timeline_order(doc, parsed, &mut out);
    timeline_zone(doc, p, &inst, &mut out);
    timeline_gap(doc, p, &inst, cfg, &mut out);
    duration_mismatch(doc, p, &mut out);
    times_inconsistent(doc, parsed, &inst, &mut out);
    unquantified_impact(doc, p, &mut out);
    data_loss_unstated(doc, &mut out);
    blame_language(doc, p, &mut out);
    action_items(doc, p, &mut out);
    detected_by_customer(doc, p, &inst, &mut out);
    out
}

const DOC_START: (usize, usize) = (1, 1);

// ---------------------------------------------------------------------------------------------
// Sections

fn present(p: &Postmortem, r: Required) -> bool {
    let has = |kinds: &[SectionKind]| p.sections.iter().any(|s| kinds.contains(&s.kind));
    match r {
        Required::Summary => p.summary.is_some() || has(&[SectionKind::Summary]),
        Required::Impact => p.impact.is_some() || has(&[SectionKind::Impact]),
        Required::Timeline => !p.timeline.is_empty() || has(&[SectionKind::Timeline]),
        // A cause's section left as "TBD" or "Not yet determined" states no cause: the record's
        // cause fields are what count.
        Required::RootCause => p.root_cause.is_some() || p.contributing_factors.is_some(),
        Required::Resolution => {
            p.resolution.is_some()
                || has(&[SectionKind::Resolution, SectionKind::RootCauseAndResolution])
        }
        Required::ActionItems => !p.action_items.is_empty() || has(&[SectionKind::ActionItems]),
        Required::Lessons => {
            !p.lessons.is_empty()
                || has(&[
                    SectionKind::Lessons,
                    SectionKind::WentWell,
                    SectionKind::WentWrong,
                    SectionKind::Lucky,
                ])
        }
        Required::Detection => p.detection.is_some() || has(&[SectionKind::Detection]),
        Required::Trigger => p.trigger.is_some() || has(&[SectionKind::Trigger]),
    }
}

fn missing_sections(p: &Postmortem, cfg: &Config, out: &mut Vec<Raw>) {
    for &r in cfg.required_for(p.severity.as_deref()) {
        if present(p, r) {
            continue;
        }
        let (what, hint) = match r {
            Required::Summary => (
                "a summary",
                "## Summary: two or three sentences on what happened, when, and to whom",
            ),
            Required::Impact => (
                "the impact",
                "## Impact: who was affected, how many, for how long, and what it cost",
            ),
            Required::Timeline => (
                "a timeline",
                "## Timeline: one line per event, each with its time and zone",
            ),
            Required::RootCause => (
                "the root cause or contributing factors",
                "## Contributing factors: the conditions that together made the incident possible",
            ),
            Required::Resolution => (
                "the resolution",
                "## Resolution: what stopped the impact and what restored service",
            ),
            Required::ActionItems => (
                "action items",
                "## Action items: one per line, each with an owner and a due date",
            ),
            Required::Lessons => (
                "lessons learned",
                "## Lessons learned: what went well, what went wrong, where we got lucky",
            ),
            Required::Detection => (
                "how the incident was detected",
                "## Detection: what alerted us, and how long it took",
            ),
            Required::Trigger => (
                "the trigger",
                "## Trigger: the change or event that set the incident off",
            ),
        };
        // A cause's section is there, but left as "TBD" or "Not yet determined".
        let cause_section = (r == Required::RootCause)
            .then(|| {
                p.sections.iter().find(|s| {
                    matches!(
                        s.kind,
                        SectionKind::RootCause
                            | SectionKind::ContributingFactors
                            | SectionKind::RootCauseAndResolution
                    )
                })
            })
            .flatten();
        let (line, message) = match cause_section {
            Some(s) => (
                (s.line, 1),
                format!(
                    "the section \"{}\" states no cause yet (a placeholder, or \"not yet known\"); say what caused the incident, or the conditions that made it possible",
                    s.heading
                ),
            ),
            _ => (
                DOC_START,
                format!("no section on {what} (`{}`); add one", r.id()),
            ),
        };
        out.push(Raw::new(Rule::MissingSection, line, message).suggest(hint));
    }
}

// ---------------------------------------------------------------------------------------------
// Timeline

fn fmt_stamp(s: &Stamp) -> String {
    let mut t = match s.time {
        Some(t) if t.second != 0 => t.to_string(),
        Some(t) => format!("{:02}:{:02}", t.hour, t.minute),
        None => s.to_string(),
    };
    if let Some(z) = &s.zone {
        t.push(' ');
        t.push_str(&z.label);
    }
    t
}

/// A stamp with its date when the date is what tells it apart from `other`.
fn fmt_dated(s: &Stamp, other: &Stamp) -> String {
    match s.date {
        Some(d) if s.date != other.date => match s.time {
            Some(_) => format!("{d} {}", fmt_stamp(s)),
            None => d.to_string(),
        },
        _ => fmt_stamp(s),
    }
}

fn fmt_minutes(m: i64) -> String {
    let (h, min) = (m.abs() / 60, m.abs() % 60);
    let sign = if m < 0 { "-" } else { "" };
    match (h, min) {
        (0, m) => format!("{sign}{m} min"),
        (h, 0) => format!("{sign}{h} h"),
        (h, m) => format!("{sign}{h} h {m} min"),
    }
}

fn timeline_order(doc: &Doc<'_>, parsed: &Parsed, out: &mut Vec<Raw>) {
    // A list written newest first is a format (status pages), not a mistake.
    let newest_first = parsed
        .notes
        .iter()
        .any(|n| n.code == "timeline-newest-first");
    // Each entry against the one listed before it: one misplaced entry is one finding.
    for (before, entry) in
        metrics::listed_out_of_order(&parsed.postmortem.timeline, Some(newest_first))
    {
        let (Some(at), Some(s)) = (entry.at.as_ref(), before.at.as_ref()) else {
            continue;
        };
        out.push(
            Raw::new(
                Rule::TimelineOrder,
                (entry.line, doc.text_column(entry.line)),
                format!(
                    "{} is listed after {} (line {}); fix the time or move the entry",
                    fmt_dated(at, s),
                    fmt_dated(s, at),
                    before.line
                ),
            )
            .suggest("keep the timeline in chronological order, oldest first"),
        );
    }
}

fn timeline_zone(doc: &Doc<'_>, p: &Postmortem, inst: &metrics::Instants, out: &mut Vec<Raw>) {
    let timed: Vec<&Stamp> = p
        .timeline
        .iter()
        .filter_map(|e| e.at.as_ref())
        .filter(|s| s.time.is_some())
        .collect();
    if timed.is_empty() || timed.iter().any(|s| s.zone.is_some()) {
        return;
    }
    let stated_zone = inst
        .named()
        .iter()
        .any(|(_, f)| f.as_ref().is_some_and(|f| f.at.zone.is_some()));
    if stated_zone {
        return;
    }
    let line = doc
        .heading_line(&[SectionKind::Timeline])
        .or_else(|| p.timeline.first().map(|e| e.line))
        .unwrap_or(1);
    out.push(
        Raw::new(
            Rule::TimelineZone,
            (line, 1),
            format!(
                "the timeline's {} times name no time zone, and the document declares none; readers in other zones cannot place them",
                timed.len()
            ),
        )
        .suggest("add the zone to each time (\"11:02 UTC\") or a line such as \"All times in UTC\" under the heading"),
    );
}

fn timeline_gap(
    doc: &Doc<'_>,
    p: &Postmortem,
    inst: &metrics::Instants,
    cfg: &Config,
    out: &mut Vec<Raw>,
) {
    let (Some(start), Some(end)) = (
        inst.started.as_ref(),
        inst.mitigated.as_ref().or(inst.resolved.as_ref()),
    ) else {
        return;
    };
    // Entries inside the impact, on the same clock as its start and end.
    let mut points: Vec<(i64, usize, &Stamp)> = p
        .timeline
        .iter()
        .filter_map(|e| {
            let s = e.at.as_ref()?;
            let from_start = start.at.minutes_until(s)?;
            let to_end = s.minutes_until(&end.at)?;
            (from_start >= 0 && to_end >= 0).then_some((from_start, e.line, s))
        })
        .collect();
    points.sort_by_key(|x| x.0);
    let mut gaps: Vec<(i64, usize, &Stamp, &Stamp)> = points
        .windows(2)
        .map(|w| (w[1].0 - w[0].0, w[1].1, w[0].2, w[1].2))
        .filter(|g| g.0 > cfg.gap_minutes)
        .collect();
    // The longest three: a multi-day incident should not bury the rest of the review.
    gaps.sort_by_key(|g| std::cmp::Reverse(g.0));
    for (gap, line, before, after) in gaps.into_iter().take(3) {
        out.push(
            Raw::new(
                Rule::TimelineGap,
                (line, doc.text_column(line)),
                format!(
                    "nothing is recorded for {} during the impact ({} to {}); if work went on, say what was happening",
                    fmt_minutes(gap),
                    fmt_dated(before, after),
                    fmt_dated(after, before)
                ),
            )
            .suggest("add the attempts, decisions and waiting in between, even when nothing worked"),
        );
    }
}

/// Whole hours are usually rounded; minutes are not.
fn tolerance(stated: i64) -> i64 {
    if stated % 60 == 0 {
        15
    } else if stated % 5 == 0 {
        3
    } else {
        1
    }
}

/// The start and end the document gives (stated, else its first and last timeline entries),
/// against its stated duration.
fn duration_mismatch(doc: &Doc<'_>, p: &Postmortem, out: &mut Vec<Raw>) {
    let Some(stated) = p.stated_duration_minutes.map(i64::from) else {
        return;
    };
    let (Some(s), Some(e)) = (&p.instants.started, &p.instants.ended) else {
        return;
    };
    if s.approximate || e.approximate {
        return;
    }
    let Some(actual) = s.minutes_until(e) else {
        return;
    };
    // Beyond a factor of two the document is stating some other span (time to repair, the
    // worst part of the outage), not mis-stating this one.
    if actual <= 0
        || (actual - stated).abs() <= tolerance(stated)
        || actual > 2 * stated
        || 2 * actual < stated
    {
        return;
    }
    let found = doc.prose(1, usize::MAX).find_map(|l| {
        facts::durations(l.text)
            .into_iter()
            .find(|d| i64::from(d.0) == stated)
            .map(|d| (l, d.1))
    });
    // "approximately three hours", "almost six hours", "at most 16 hours" are not exact claims.
    if let Some((l, at)) = found {
        let before = l.text[..at].to_ascii_lowercase();
        let before = before.trim_end();
        let hedged = [
            "approximately",
            "approx.",
            "approx",
            "about",
            "around",
            "almost",
            "nearly",
            "roughly",
            "over",
            "more than",
            "less than",
            "under",
            "maximum",
            "most",
            "up to",
            "~",
            "some",
            "circa",
        ];
        if hedged.iter().any(|h| before.ends_with(h)) {
            return;
        }
    }
    let pos = found.map_or(DOC_START, |(l, at)| (l.no, column(l.text, at)));
    let from = |at: &Stamp| {
        p.timeline
            .iter()
            .find(|x| x.at.as_ref() == Some(at))
            .map_or("stated".to_string(), |x| format!("line {}", x.line))
    };
    out.push(
        Raw::new(
            Rule::DurationMismatch,
            pos,
            format!(
                "the stated duration is {}, but {} ({}) to {} ({}) is {}; correct the duration or the times",
                fmt_minutes(stated),
                fmt_stamp(s),
                from(s),
                fmt_stamp(e),
                from(e),
                fmt_minutes(actual)
            ),
        )
        .suggest(format!("lasted {}", fmt_minutes(actual))),
    );
}

fn times_inconsistent(
    doc: &Doc<'_>,
    parsed: &Parsed,
    inst: &metrics::Instants,
    out: &mut Vec<Raw>,
) {
    let p = &parsed.postmortem;
    let pos = |f: &Found| {
        f.source
            .line()
            .map_or(DOC_START, |l| (l, doc.text_column(l)))
    };
    // An end dated before the start, which the importer read as that time after it.
    if let Some(note) = parsed.notes.iter().find(|n| n.code == "end-before-start") {
        out.push(
            Raw::new(
                Rule::TimesInconsistent,
                inst.resolved.as_ref().map_or(DOC_START, pos),
                note.message.clone(),
            )
            .suggest("correct the end's date"),
        );
    }
    let explicit = |f: &Found| !matches!(f.source, Source::Timeline(_));
    let mut before = |later: &Option<Found>, earlier: &Option<Found>, what: &str, fix: &str| {
        let (Some(l), Some(e)) = (later, earlier) else {
            return;
        };
        // Only what the document states outright can contradict itself; inferred instants
        // come from one ordered timeline.
        if !explicit(l) || !explicit(e) {
            return;
        }
        // An end earlier in the same day, with no date to say otherwise, crossed midnight.
        let same_day = l.at.date == e.at.date;
        if let Some(m) = e.at.minutes_until(&l.at)
            && m < 0
            && !same_day
        {
            let at = pos(l);
            out.push(
                Raw::new(
                    Rule::TimesInconsistent,
                    at,
                    format!(
                        "{what}: {} is {} before {}; {fix}",
                        fmt_stamp(&l.at),
                        fmt_minutes(-m),
                        fmt_stamp(&e.at)
                    ),
                )
                .suggest("check the dates, the AM/PM and the zones of both instants"),
            );
        }
    };
    before(
        &inst.resolved,
        &inst.started,
        "the end is before the start",
        "correct one of them",
    );
    before(
        &inst.detected,
        &inst.started,
        "detection is before the start",
        "if the problem began earlier, move the start",
    );
    before(
        &inst.mitigated,
        &inst.started,
        "mitigation is before the start",
        "correct one of them",
    );
    before(
        &inst.resolved,
        &inst.mitigated,
        "the resolution is before the mitigation",
        "correct one of them",
    );
    before(
        &inst.acknowledged,
        &inst.detected,
        "acknowledgement is before detection",
        "correct one of them",
    );
    far_from_timeline(doc, p, inst, out);
    // A header date that contradicts the timeline.
    let Some(date) = p.date.as_deref().and_then(time::Date::parse_iso) else {
        return;
    };
    let dated: Vec<(time::Date, usize)> = p
        .timeline
        .iter()
        .filter_map(|e| Some((e.at.as_ref()?.date?, e.line)))
        .collect();
    let (Some(first), Some(last)) = (
        dated.iter().min_by_key(|d| d.0.days_since_epoch()),
        dated.iter().max_by_key(|d| d.0.days_since_epoch()),
    ) else {
        return;
    };
    let d = date.days_since_epoch();
    if d < first.0.days_since_epoch() - 1 || d > last.0.days_since_epoch() + 1 {
        let near = if d < first.0.days_since_epoch() {
            first
        } else {
            last
        };
        out.push(
            Raw::new(
                Rule::TimesInconsistent,
                (near.1, doc.text_column(near.1)),
                format!(
                    "the document is dated {date}, but its timeline runs from {} to {}; correct the date or the timeline",
                    first.0, last.0
                ),
            )
            .suggest("give the date the incident started"),
        );
    }
}

/// Stated instants and timeline entries that cannot both be right: a start or end stated more
/// than a week away from every timeline entry (a "Resolved" two months after the rest, a typo in
/// a month), and an event of the incident listed before its stated start.
fn far_from_timeline(doc: &Doc<'_>, p: &Postmortem, inst: &metrics::Instants, out: &mut Vec<Raw>) {
    const WEEK: i64 = 7 * 24 * 60;
    let timeline = crate::import::timeline::chronological(&p.timeline);
    let timed: Vec<(&crate::model::TimelineEntry, &Stamp)> = timeline
        .iter()
        .filter_map(|e| {
            Some((
                e,
                e.at.as_ref()
                    .filter(|a| a.date.is_some() && a.time.is_some())?,
            ))
        })
        .collect();
    let (Some(first), Some(last)) = (timed.first(), timed.last()) else {
        return;
    };
    let at = |f: &Found| {
        f.source
            .line()
            .map_or(DOC_START, |l| (l, doc.text_column(l)))
    };
    for (found, what) in [(&inst.started, "start"), (&inst.resolved, "end")] {
        let Some(f) = found.as_ref().filter(|f| f.source == Source::Stated) else {
            continue;
        };
        let after_last = last.1.minutes_until(&f.at).filter(|m| *m > WEEK);
        let before_first = f.at.minutes_until(first.1).filter(|m| *m > WEEK);
        let Some((gap, side, entry)) = after_last
            .map(|m| (m, "after the last", last))
            .or(before_first.map(|m| (m, "before the first", first)))
        else {
            continue;
        };
        out.push(
            Raw::new(
                Rule::TimesInconsistent,
                at(f),
                format!(
                    "the stated {what} ({}) is {} {side} timeline entry (line {}, {}); check its date",
                    fmt_stamp(&f.at),
                    fmt_minutes(gap),
                    entry.0.line,
                    fmt_stamp(entry.1)
                ),
            )
            .suggest("correct the date, or add the timeline entries between them"),
        );
    }
    // Events of the incident (not the lead-up) listed before the stated start.
    let Some(start) = inst.started.as_ref().filter(|f| f.source == Source::Stated) else {
        return;
    };
    for (e, stamp) in &timed {
        let early = stamp.minutes_until(&start.at).filter(|m| *m > 0);
        let lead_up = matches!(e.kind, EventKind::Trigger | EventKind::Other);
        if let Some(m) = early
            && !lead_up
            && e.line > 0
        {
            out.push(
                Raw::new(
                    Rule::TimesInconsistent,
                    (e.line, doc.text_column(e.line)),
                    format!(
                        "this {} entry ({}) is {} before the stated start ({}); if the impact began earlier, move the start",
                        e.kind.as_str(),
                        fmt_stamp(stamp),
                        fmt_minutes(m),
                        fmt_stamp(&start.at)
                    ),
                )
                .suggest("move the start to the first sign of impact, or check this entry's time"),
            );
            break;
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Impact and data

const VAGUE_IMPACT: &[&str] = &[
    "a lot",
    "lots of",
    "some users",
    "some customers",
    "some requests",
    "some of our",
    "significant",
    "significantly",
    "substantial",
    "considerable",
    "many users",
    "many customers",
    "a few users",
    "a few customers",
    "a handful of",
    "several users",
    "several customers",
    "a large number of",
    "a large portion",
    "most users",
    "most customers",
    "a subset of",
];

/// A number that counts or measures something: not part of a date, a clock time or a year.
fn has_quantity(s: &str) -> bool {
    if !facts::durations(s).is_empty() {
        return true;
    }
    let lower = s.to_lowercase();
    let words = [
        "percent",
        "all ",
        "every ",
        "none of",
        "no customer",
        "no user",
        "half",
        "hundreds",
        "thousands",
        "millions",
        "dozens",
        "entire",
        "whole",
        "100%",
    ];
    if words.iter().any(|w| lower.contains(w)) || s.contains(['$', '€', '£', '%']) {
        return true;
    }
    let toks: Vec<_> = time::tokenize(s);
    toks.iter().enumerate().any(|(i, t)| {
        let Tok::Num(v, digits) = t.tok else {
            return false;
        };
        let prev = i.checked_sub(1).map(|j| toks[j].tok);
        let next = toks.get(i + 1).map(|x| x.tok);
        let after = toks.get(i + 2).map(|x| x.tok);
        let clocky = matches!(prev, Some(Tok::Punct(':' | '/' | '-' | '.')))
            || matches!(next, Some(Tok::Punct(':' | '/')))
            || matches!((next, after), (Some(Tok::Punct('-')), Some(Tok::Num(..))));
        let ordinal = matches!(next, Some(Tok::Word(w)) if ["st", "nd", "rd", "th", "am", "pm"].contains(&w.to_ascii_lowercase().as_str()));
        let year = digits == 4 && (1970..=2100).contains(&v);
        let after_month = i >= 2
            && matches!(toks[i - 2].tok, Tok::Word(w) if w.len() >= 3 && time::month_number(w).is_some());
        !clocky && !ordinal && !year && !after_month
    })
}

fn unquantified_impact(doc: &Doc<'_>, p: &Postmortem, out: &mut Vec<Raw>) {
    let Some(impact) = p.impact.as_deref() else {
        return;
    };
    let mut ranges = doc.ranges(&[SectionKind::Impact]);
    if ranges.is_empty() {
        ranges = doc.ranges(&[SectionKind::Summary]);
    }
    if ranges.is_empty() {
        ranges = doc.everything().to_vec();
    }
    let mut vague = 0;
    for phrase in VAGUE_IMPACT {
        if find_word(impact, phrase).is_none() {
            continue;
        }
        let Some(pos) = doc.find(&ranges, phrase) else {
            continue;
        };
        vague += 1;
        out.push(
            Raw::new(
                Rule::UnquantifiedImpact,
                pos,
                format!("the impact says \"{phrase}\" without a number; say how many users, requests or orders, for how long, or how much money"),
            )
            .suggest("for example \"12% of checkout requests failed for 47 minutes (about 3,100 orders)\""),
        );
        if vague == 3 {
            break;
        }
    }
    if vague == 0 && !has_quantity(impact) {
        let line = ranges.first().map_or(1, |r| r.0);
        out.push(
            Raw::new(
                Rule::UnquantifiedImpact,
                (line, 1),
                "the impact gives no number, share, count, money or duration; readers cannot tell how bad it was",
            )
            .suggest("state who was affected and how many (a count or a share), for how long, and any cost"),
        );
    }
}

/// Recovery that can lose data: restoring, failing over, promoting a replica.
const RECOVERY: &[&str] = &[
    "restored from",
    "restore from",
    "restoring from",
    "restored the",
    "restoring the",
    "restore the",
    "recovered from",
    "recover from",
    "recovering from",
    "failed over",
    "failover to",
    "fail over to",
    "failing over",
    "promoted",
    "promotion of",
    "promoting",
    "rolled back the database",
    "point-in-time",
];
/// What holds data.
const DATA_STORES: &[&str] = &[
    "database",
    "databases",
    "db",
    "data",
    "replica",
    "primary",
    "backup",
    "backups",
    "snapshot",
    "snapshots",
    "table",
    "tables",
    "volume",
    "volumes",
    "disk",
    "storage",
    "postgres",
    "postgresql",
    "mysql",
    "redis",
    "etcd",
    "bucket",
    "dump",
    "master",
];
const LOSS_STATED: &[&str] = &[
    "data loss",
    "lost data",
    "data was lost",
    "data were lost",
    "data lost",
    "loss of data",
    "lost no data",
    "without losing",
    "were lost",
    "was lost",
    "been lost",
    "not lost",
    "not recovered",
    "unrecoverable",
    "irrecoverabl",
    "permanently lost",
    "rpo",
    "recovery point",
    "fully recovered",
    "all data",
    "no data",
    "lost writes",
    "lost transactions",
    "lost records",
    "lost orders",
    "lost messages",
    "lost events",
    "hours of data",
    "minutes of data",
    "data between",
];

fn data_loss_unstated(doc: &Doc<'_>, out: &mut Vec<Raw>) {
    // Plans (action items, lessons) are not recoveries that happened.
    let plans = doc.ranges(&[
        SectionKind::ActionItems,
        SectionKind::Lessons,
        SectionKind::WentWell,
        SectionKind::WentWrong,
        SectionKind::Lucky,
    ]);
    let mut recovery: Option<(usize, usize)> = None;
    for l in doc.prose(1, usize::MAX) {
        let lower = l.text.to_ascii_lowercase();
        // Every loss statement holds one of these stems; most lines hold none.
        let may_state_loss = ["los", "rpo", "recover", "data"]
            .iter()
            .any(|k| lower.contains(k));
        if may_state_loss
            && LOSS_STATED.iter().any(|c| {
                find_word(&lower, c).is_some() || (c.ends_with("abl") && lower.contains(c))
            })
        {
            return;
        }
        let may_recover = ["restor", "recover", "fail", "promot", "roll", "point-in"]
            .iter()
            .any(|k| lower.contains(k));
        if recovery.is_none()
            && may_recover
            && !plans.iter().any(|&(a, b)| (a..b).contains(&l.no))
            && let Some(v) = RECOVERY.iter().filter_map(|v| find_word(&lower, v)).min()
            && DATA_STORES.iter().any(|s| find_word(&lower, s).is_some())
        {
            recovery = Some((l.no, column(l.text, v)));
        }
    }
    if let Some(pos) = recovery {
        out.push(
            Raw::new(
                Rule::DataLossUnstated,
                pos,
                "recovery from a backup or a failover is described, but not what data was lost; say what was lost, or that nothing was",
            )
            .suggest("for example \"orders placed between 09:12 and 11:00 UTC were lost and re-entered by hand\" or \"no data was lost\""),
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Blame

fn blame_language(doc: &Doc<'_>, p: &Postmortem, out: &mut Vec<Raw>) {
    let people = People::from_postmortem(p);
    for l in doc.prose(1, usize::MAX) {
        let t = l.text.trim_start();
        // Quotations are someone else's words; tables of owners hold names only.
        if t.starts_with('>') {
            continue;
        }
        for h in blame::scan(l.text, &people) {
            out.push(
                Raw::new(
                    Rule::BlameLanguage,
                    (l.no, column(l.text, h.start)),
                    h.message,
                )
                .suggest(h.suggestion),
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Action items

const VAGUE_STARTS: &[&str] = &[
    "investigate",
    "look into",
    "look at",
    "consider",
    "review",
    "explore",
    "improve",
    "enhance",
    "evaluate",
    "assess",
    "research",
    "discuss",
    "revisit",
    "examine",
    "study",
    "analyze",
    "analyse",
    "think about",
    "figure out",
    "try to",
    "understand",
    "better",
    "work on",
];

const LEADING_FILLER: &[&str] = &[
    "we will ",
    "we'll ",
    "we should ",
    "we need to ",
    "need to ",
    "should ",
    "will ",
    "to ",
    "must ",
    "let's ",
    "todo: ",
    "todo ",
];

/// Words that name a checkable result.
const OUTCOMES: &[&str] = &[
    "decide",
    "decision",
    "write up",
    "write-up",
    "writeup",
    "document the",
    "proposal",
    "rfc",
    "report back",
    "so that",
    "such that",
    "recommendation",
    "adr",
    "publish",
];

/// The item without a leading label (`**Monitoring:** Add ...`, `Improve monitoring: add ...`).
fn after_label(text: &str) -> &str {
    let t = text.trim();
    if let Some((label, rest)) = t.split_once(':') {
        let rest = rest.trim_start_matches(['*', '_', ' ']);
        if label.split_whitespace().count() <= 5
            && !rest.trim().is_empty()
            && !label.contains("://")
            && !rest.starts_with("//")
        {
            return rest;
        }
    }
    t
}

fn vague_start(text: &str) -> Option<&'static str> {
    let mut t = after_label(text)
        .trim_start_matches(['*', '_', '-', ' '])
        .to_lowercase();
    while let Some(f) = LEADING_FILLER.iter().find(|f| t.starts_with(*f)) {
        t = t[f.len()..].to_string();
    }
    VAGUE_STARTS
        .iter()
        .find(|v| t.starts_with(*v) && t[v.len()..].starts_with([' ', ',', ':', '/']))
        .copied()
}

fn has_outcome(text: &str) -> bool {
    let lower = text.to_lowercase();
    OUTCOMES.iter().any(|o| lower.contains(o))
        || text.contains(['%', '<', '>', '='])
        || time::tokenize(text)
            .iter()
            .any(|t| matches!(t.tok, Tok::Num(..)))
}

fn short(text: &str) -> String {
    let t = text.trim();
    match t.char_indices().nth(60) {
        Some((i, _)) => format!("{}…", t[..i].trim_end()),
        None => t.to_string(),
    }
}

fn action_items(doc: &Doc<'_>, p: &Postmortem, out: &mut Vec<Raw>) {
    let gists: Vec<Vec<String>> = p
        .action_items
        .iter()
        .map(|a| duplicates::gist(&a.text))
        .collect();
    let repeats = duplicates::first_repeats(&gists);
    for (i, a) in p.action_items.iter().enumerate() {
        let line = if a.line > 0 {
            a.line
        } else {
            doc.heading_line(&[SectionKind::ActionItems]).unwrap_or(1)
        };
        let pos = (line, doc.text_column(line));
        let open = matches!(a.status, ActionStatus::Open | ActionStatus::InProgress);
        if open && a.owner.is_none() {
            out.push(
                Raw::new(
                    Rule::ActionItemOwner,
                    pos,
                    format!("action item \"{}\" has no owner; name one person or team who will see it through", short(&a.text)),
                )
                .suggest("add \"(owner: @name)\" or an Owner column"),
            );
        }
        if open && a.due.is_none() {
            out.push(
                Raw::new(
                    Rule::ActionItemDueDate,
                    pos,
                    format!(
                        "action item \"{}\" has no due date; without one it tends to stay open",
                        short(&a.text)
                    ),
                )
                .suggest("add \"(due: YYYY-MM-DD)\" or a Due column"),
            );
        }
        if let Some(verb) = vague_start(&a.text)
            && a.tracker.is_none()
            && !has_outcome(&a.text)
        {
            out.push(
                Raw::new(
                    Rule::VagueAction,
                    pos,
                    format!("\"{}\" starts with \"{verb}\" and names no checkable outcome; say what will exist or be true when it is done", short(&a.text)),
                )
                .suggest(format!("for example \"{} ... and record the decision in the runbook by <date>\", or state a measurable target", capitalise(verb))),
            );
        }
        if let Some(j) = repeats[i] {
            let other = p.action_items[j].line;
            out.push(
                Raw::new(
                    Rule::ActionItemDuplicate,
                    pos,
                    format!("action item \"{}\" repeats the one on line {other}; merge them so one owner tracks it", short(&a.text)),
                )
                .suggest("delete this item or make the difference between the two explicit"),
            );
        }
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

// ---------------------------------------------------------------------------------------------
// Detection

const CUSTOMER_REPORT: &[&str] = &[
    "customer",
    "customers",
    "user report",
    "users report",
    "users reported",
    "reported by",
    "support team",
    "support request",
    "tweet",
    "twitter",
    "complain",
    "complaint",
    "a client",
    "clients reported",
    "helpdesk",
    "help desk",
    "zendesk",
];
const MONITORING: &[&str] = &[
    "alert",
    "alarm",
    "monitor",
    "pagerduty",
    "opsgenie",
    "paged",
    "page ",
    "dashboard",
    "synthetic",
    "probe",
    "health check",
    "automated",
    "automatic",
    "on-call",
    "oncall",
    "prometheus",
    "grafana",
    "datadog",
    "nagios",
];

fn detected_by_customer(
    doc: &Doc<'_>,
    p: &Postmortem,
    inst: &metrics::Instants,
    out: &mut Vec<Raw>,
) {
    let entry = inst
        .detected
        .as_ref()
        .and_then(|f| f.source.line())
        .and_then(|l| {
            p.timeline
                .iter()
                .find(|e| e.line == l && e.kind == EventKind::Detection)
        });
    let (text, pos) = match (entry, &p.detection) {
        (Some(e), _) => (e.text.as_str(), (e.line, doc.text_column(e.line))),
        (None, Some(d)) => (
            d.as_str(),
            (doc.heading_line(&[SectionKind::Detection]).unwrap_or(1), 1),
        ),
        (None, None) => return,
    };
    let lower = text.to_lowercase();
    let by_people = CUSTOMER_REPORT.iter().any(|c| lower.contains(c));
    let by_monitoring = MONITORING.iter().any(|m| lower.contains(m));
    if by_people && !by_monitoring {
        out.push(
            Raw::new(
                Rule::DetectedByCustomer,
                pos,
                "customers or support noticed the incident before monitoring did; ask what signal could have alerted the team first",
            )
            .suggest("add an action item for an alert on the symptom customers saw"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantities_are_not_dates_or_clock_times() {
        assert!(!has_quantity(
            "On April 3rd, 2024 at 11:00 AM users could not log in."
        ));
        assert!(has_quantity("About 1,200 users could not log in."));
        assert!(has_quantity("12% of requests failed."));
        assert!(has_quantity("Checkout was down for 47 minutes."));
        assert!(!has_quantity("Customers could not log in on 2024-04-03."));
    }

    #[test]
    fn vague_actions_need_a_vague_verb_and_no_outcome() {
        assert_eq!(
            vague_start("Investigate the use of a cluster"),
            Some("investigate")
        );
        assert_eq!(
            vague_start("We will review and update the plan"),
            Some("review")
        );
        assert_eq!(vague_start("Add an alert on replica lag"), None);
        assert_eq!(vague_start("Reviewers sign off"), None);
        assert!(has_outcome(
            "Evaluate managed queues and write up a decision"
        ));
        assert!(has_outcome("Improve p99 latency to under 300 ms"));
        assert!(!has_outcome("Improve the monitoring"));
    }
}
