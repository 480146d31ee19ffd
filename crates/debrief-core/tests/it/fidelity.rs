//! Import fidelity: the importer against careful human reading of corpus documents.
//!
//! `../shared/labelled/truth.json` holds one hand-labelled object per document (fields defined in
//! `../shared/labelled/GUIDE.md`). A `null` label means "the document states none" for the fields
//! whose definition says so (title, instants, stated duration, timeline, severity: the importer
//! must not invent one) and "not scored" for the others (action items). This test reads each document the
//! way `debrief import` does (with its file name), compares field by field, prints accuracy per
//! field and overall, and fails below the floors in [`FLOOR_OVERALL`] and [`FLOOR_FIELD`], which
//! only ever go up. `DEBRIEF_FIDELITY_VERBOSE=1` (or `scripts/fidelity --verbose`) also lists
//! every miss: document, field, wanted, got.

use std::collections::BTreeMap;

use debrief_core::Postmortem;
use debrief_core::import::parse_named;
use debrief_core::time::Stamp;
use serde_json::Value;

use super::support::shared;

/// The ratchet: overall accuracy, in percent, below which the test fails. Raise it as the
/// importer improves; never lower it.
const FLOOR_OVERALL: f64 = 97.0;
/// The lowest accuracy any one field may have, in percent.
const FLOOR_FIELD: f64 = 90.0;

/// The scored fields, in the order the table prints them.
const FIELDS: [&str; 12] = [
    "title",
    "started_at",
    "ended_at",
    "stated_duration_minutes",
    "timeline_count",
    "timeline_first_text",
    "timeline_last_text",
    "action_item_count",
    "action_items_with_owner",
    "root_cause_present",
    "severity",
    "overall",
];

#[test]
fn import_fidelity_on_the_labelled_set() {
    let Some(shared) = shared() else { return };
    let truth_path = shared.join("labelled/truth.json");
    let truth: Vec<Value> = serde_json::from_slice(
        &std::fs::read(&truth_path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", truth_path.display())),
    )
    .expect("truth.json is a JSON array");
    assert!(
        truth.len() >= 50,
        "expected the labelled set, found {} documents",
        truth.len()
    );

    let mut tally: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    let mut misses: Vec<String> = Vec::new();
    for label in &truth {
        let file = label["file"].as_str().expect("every label names its file");
        let path = shared.join("corpus").join(file);
        let bytes =
            std::fs::read(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        let text = String::from_utf8_lossy(&bytes);
        let p = parse_named(&text, file).postmortem;
        for field in FIELDS.iter().copied().filter(|f| *f != "overall") {
            let wanted = &label[field];
            if wanted.is_null() && NULL_NOT_SCORED.contains(&field) {
                continue;
            }
            let got = got(&p, field);
            let hit = matches(field, wanted, &p);
            let t = tally.entry(field).or_default();
            t.1 += 1;
            t.0 += usize::from(hit);
            let o = tally.entry("overall").or_default();
            o.1 += 1;
            o.0 += usize::from(hit);
            if !hit {
                misses.push(format!("{file}\n    {field}: wanted {wanted}, got {got}"));
            }
        }
    }

    let pct = |(hit, n): (usize, usize)| 100.0 * hit as f64 / n.max(1) as f64;
    println!("import fidelity on {} labelled documents:", truth.len());
    println!("  {:<26} {:>7} {:>9}", "field", "right", "accuracy");
    for field in FIELDS {
        let t = tally.get(field).copied().unwrap_or_default();
        println!("  {field:<26} {:>3}/{:<3} {:>8.1}%", t.0, t.1, pct(t));
    }
    if std::env::var_os("DEBRIEF_FIDELITY_VERBOSE").is_some() {
        println!("misses ({}):", misses.len());
        for m in &misses {
            println!("  {m}");
        }
    } else {
        println!(
            "  ({} misses; DEBRIEF_FIDELITY_VERBOSE=1 or scripts/fidelity --verbose lists them)",
            misses.len()
        );
    }
    let overall = pct(tally["overall"]);
    assert!(
        overall >= FLOOR_OVERALL,
        "overall fidelity {overall:.1}% is below the floor of {FLOOR_OVERALL}%"
    );
    for field in FIELDS {
        let a = pct(tally[field]);
        assert!(
            a >= FLOOR_FIELD,
            "{field}: fidelity {a:.1}% is below the per-field floor of {FLOOR_FIELD}%"
        );
    }
}

/// Fields whose `null` label means "cannot be decided" (GUIDE.md writes `0` for none). For every
/// other field a `null` label says the document has none, so the record must have none either.
const NULL_NOT_SCORED: [&str; 2] = ["action_item_count", "action_items_with_owner"];

/// Whether the record agrees with the label for one field.
fn matches(field: &str, wanted: &Value, p: &Postmortem) -> bool {
    if wanted.is_null() {
        return match field {
            "title" => p.title.is_none(),
            // No instant: nothing, a date without a time or a time without a date.
            "started_at" => p
                .instants
                .started
                .as_ref()
                .is_none_or(|s| s.time.is_none() || s.date.is_none()),
            "ended_at" => p
                .instants
                .ended
                .as_ref()
                .is_none_or(|s| s.time.is_none() || s.date.is_none()),
            "stated_duration_minutes" => p.stated_duration_minutes.is_none(),
            "timeline_count" | "timeline_first_text" | "timeline_last_text" => {
                stamped(p).next().is_none()
            }
            "severity" => p.severity.is_none(),
            _ => false,
        };
    }
    match field {
        "title" => {
            let w = wanted.as_str().unwrap_or_default();
            p.title.as_deref().is_some_and(|t| words(t) == words(w))
        }
        "started_at" => same_instant(wanted, p.instants.started.as_ref()),
        "ended_at" => same_instant(wanted, p.instants.ended.as_ref()),
        "stated_duration_minutes" => wanted.as_u64() == p.stated_duration_minutes.map(u64::from),
        "timeline_count" => wanted.as_u64() == Some(stamped(p).count() as u64),
        "timeline_first_text" => same_start(wanted, stamped(p).next().map(|e| e.text.as_str())),
        "timeline_last_text" => same_start(wanted, stamped(p).last().map(|e| e.text.as_str())),
        "action_item_count" => wanted.as_u64() == Some(p.action_items.len() as u64),
        "action_items_with_owner" => {
            wanted.as_u64()
                == Some(p.action_items.iter().filter(|a| a.owner.is_some()).count() as u64)
        }
        "root_cause_present" => wanted.as_bool() == Some(cause_present(p)),
        "severity" => {
            let w = wanted.as_str().unwrap_or_default();
            p.severity.as_deref().is_some_and(|s| words(s) == words(w))
        }
        other => panic!("unknown field {other}"),
    }
}

/// What the record holds for one field, as the miss list prints it.
fn got(p: &Postmortem, field: &str) -> String {
    let stamp = |s: Option<&Stamp>| match s {
        None => "nothing".to_string(),
        Some(s) => format!("{s:?}"),
    };
    match field {
        "title" => format!("{:?}", p.title),
        "started_at" => stamp(p.instants.started.as_ref()),
        "ended_at" => stamp(p.instants.ended.as_ref()),
        "stated_duration_minutes" => format!("{:?}", p.stated_duration_minutes),
        "timeline_count" => stamped(p).count().to_string(),
        "timeline_first_text" => format!("{:?}", stamped(p).next().map(|e| &e.text)),
        "timeline_last_text" => format!("{:?}", stamped(p).last().map(|e| &e.text)),
        "action_item_count" => {
            let texts: Vec<String> = p
                .action_items
                .iter()
                .map(|a| a.text.chars().take(40).collect())
                .collect();
            format!("{} {texts:?}", p.action_items.len())
        }
        "action_items_with_owner" => {
            let owners: Vec<&str> = p
                .action_items
                .iter()
                .filter_map(|a| a.owner.as_deref())
                .collect();
            format!("{} {owners:?}", owners.len())
        }
        "root_cause_present" => cause_present(p).to_string(),
        "severity" => format!("{:?}", p.severity),
        _ => String::new(),
    }
}

fn cause_present(p: &Postmortem) -> bool {
    p.root_cause
        .as_deref()
        .is_some_and(|t| !t.trim().is_empty())
        || p.contributing_factors
            .as_deref()
            .is_some_and(|t| !t.trim().is_empty())
}

/// The timeline's entries that carry a time stamp, in the record's order.
fn stamped(p: &Postmortem) -> impl Iterator<Item = &debrief_core::TimelineEntry> {
    p.timeline.iter().filter(|e| e.at.is_some())
}

/// Lower-case words, markup and punctuation aside: "**Title:** X" and "title x" agree.
fn words(s: &str) -> String {
    let decoded = s
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&");
    decoded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

/// The label is the first 30 characters of the entry's text: the entry must begin with them.
fn same_start(wanted: &Value, got: Option<&str>) -> bool {
    let (Some(w), Some(g)) = (wanted.as_str(), got) else {
        return false;
    };
    let (w, g) = (words(w), words(g));
    // A prefix of the normalised words: the label may end inside a word.
    !w.is_empty() && g.starts_with(&w)
}

/// Instants compare as instants when the label gives an offset, on the wall clock when it does
/// not (the document names no zone).
fn same_instant(wanted: &Value, got: Option<&Stamp>) -> bool {
    let (Some(w), Some(g)) = (wanted.as_str(), got) else {
        return false;
    };
    let Some((wall, offset)) = label_instant(w) else {
        return false;
    };
    match offset {
        None => g
            .date
            .zip(g.time)
            .is_some_and(|(d, t)| d.days_since_epoch() * 86_400 + t.seconds() == wall),
        Some(off) => g.utc_seconds(false) == Some(wall - off * 60),
    }
}

/// A label such as `2024-04-03T11:00:00+02:00`: its wall-clock time in seconds since the epoch,
/// and its offset in minutes when it has one.
fn label_instant(w: &str) -> Option<(i64, Option<i64>)> {
    let date = debrief_core::time::Date::parse_iso(w.get(..10)?)?;
    let n = |r: std::ops::Range<usize>| w.get(r)?.parse::<i64>().ok();
    let wall = date.days_since_epoch() * 86_400 + n(11..13)? * 3600 + n(14..16)? * 60 + n(17..19)?;
    let offset = match w.get(19..)? {
        "" => None,
        off => {
            let sign = if off.starts_with('-') { -1 } else { 1 };
            let (h, m) = off.get(1..)?.split_once(':')?;
            Some(sign * (h.parse::<i64>().ok()? * 60 + m.parse::<i64>().ok()?))
        }
    };
    Some((wall, offset))
}
