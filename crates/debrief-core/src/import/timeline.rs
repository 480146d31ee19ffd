//! Timeline sections: entries from bullets, plain lines, tables, time headings, status-page
//! blocks (newest first) and `<br>`-joined paragraphs.

use std::borrow::Cow;

use super::classify;
use super::lines::{self, Line};
use super::vocab;
use crate::model::{Note, TimelineEntry};
use crate::time::{self, Date, Pieces, Stamp, Time, Zone};

/// What the document says about dates and zones before the timeline is read.
#[derive(Debug, Clone, Default)]
pub struct Context {
    pub date: Option<Date>,
    pub year: Option<i32>,
    pub zone: Option<Zone>,
    /// The order the document writes numeric dates in, when its dates show it (`13/04/2023`
    /// is day first): ambiguous ones (`06/04/2023`) are read the same way.
    pub day_first: Option<bool>,
}

/// The order of day and month in a document's numeric dates, from those that can only be read
/// one way (`13/04/2023` shows day first, `04/13/2023` month first) or, when none can, from the
/// reading that keeps the dates closest together (`06/04`, `07/04`, `10/04` are days of April,
/// not months apart). `None` when nothing shows it or the dates disagree.
pub fn numeric_date_order(text: &str) -> Option<bool> {
    let b = text.as_bytes();
    let (mut day_first, mut month_first) = (0u32, 0u32);
    // Both readings of each ambiguous date, as days since the epoch.
    let (mut as_day_first, mut as_month_first): (Vec<i64>, Vec<i64>) = (Vec::new(), Vec::new());
    let number = |i: usize| -> Option<(u32, usize)> {
        let len = b[i..]
            .iter()
            .take(3)
            .take_while(|c| c.is_ascii_digit())
            .count();
        if !(1..=2).contains(&len) {
            return None;
        }
        text[i..i + len].parse().ok().map(|v| (v, i + len))
    };
    let mut i = 0;
    while i < b.len() {
        let starts = b[i].is_ascii_digit() && (i == 0 || !b[i - 1].is_ascii_alphanumeric());
        // An ISO date ("Date: 2024-06-03") reads one way: it is the same day in both lists, so
        // the reading that keeps the others near it wins.
        if starts
            && let Some(d) = text
                .get(i..i + 10)
                .filter(|_| b.get(i + 10).is_none_or(|c| !c.is_ascii_digit()))
                .and_then(Date::parse_iso)
        {
            as_day_first.push(d.days_since_epoch());
            as_month_first.push(d.days_since_epoch());
            i += 10;
            continue;
        }
        if starts
            && let Some((a, j)) = number(i)
            && b.get(j).is_some_and(|c| matches!(c, b'/' | b'.' | b'-'))
            && let Some((m, k)) = number(j + 1)
            && ((b.get(k) == b.get(j) && b.get(k + 1).is_some_and(u8::is_ascii_digit))
                // "03-26 23:04": no year, but a time follows.
                || (b.get(k) == Some(&b' ')
                    && b.get(k + 1).is_some_and(u8::is_ascii_digit)
                    && b[k + 1..].iter().take(3).any(|c| *c == b':')))
        {
            match (a, m) {
                (13..=31, 1..=12) => day_first += 1,
                (1..=12, 13..=31) => month_first += 1,
                (1..=12, 1..=12) if a != m => {
                    let year = text[k + 1..]
                        .bytes()
                        .take(4)
                        .take_while(u8::is_ascii_digit)
                        .fold(0i32, |y, c| y * 10 + i32::from(c - b'0'));
                    let days = |month: u32, day: u32| {
                        Date::new(year, month as u8, day as u8).map(Date::days_since_epoch)
                    };
                    as_day_first.extend(days(m, a));
                    as_month_first.extend(days(a, m));
                }
                _ => {}
            }
            i = k;
            continue;
        }
        i += 1;
    }
    let spread = |days: &[i64]| days.iter().max().zip(days.iter().min()).map(|(a, b)| a - b);
    match (day_first, month_first) {
        (0, 0) if as_day_first.len() >= 2 => {
            match spread(&as_day_first).cmp(&spread(&as_month_first)) {
                std::cmp::Ordering::Less => Some(true),
                std::cmp::Ordering::Greater => Some(false),
                std::cmp::Ordering::Equal => {
                    order_of_zones(text).or_else(|| order_of_language(text))
                }
            }
        }
        (0, 0) if !as_day_first.is_empty() => {
            order_of_zones(text).or_else(|| order_of_language(text))
        }
        (0, 0) => None,
        (d, 0) if d > 0 => Some(true),
        (0, m) if m > 0 => Some(false),
        _ => None,
    }
}

/// The order of day and month where the document's zones are kept: day first when every zone
/// it names is one of Europe's, Africa's, India's, Pakistan's, Singapore's, Hong Kong's, South
/// America's, Australia's or New Zealand's ("03/04/2025" under "Timeline (BST)" is the 3rd of
/// April, "12/05/2023 (WAT)" the 12th of May), month first when every one is the United States'.
/// `None` when it names none of them, or both kinds; UTC and GMT say nothing.
fn order_of_zones(text: &str) -> Option<bool> {
    const DAY_FIRST: &[&str] = &[
        "BST", "CET", "CEST", "WET", "WEST", "EET", "EEST", "MSK", "IST", "AEST", "AEDT", "ACST",
        "ACDT", "AWST", "NZST", "NZDT", "SAST", "WAT", "CAT", "EAT", "PKT", "SGT", "HKT", "BRT",
        "ART",
    ];
    const MONTH_FIRST: &[&str] = &[
        "EST", "EDT", "CDT", "MST", "MDT", "PST", "PDT", "AKST", "AKDT", "HST", "ET", "PT",
    ];
    let (mut day, mut month) = (false, false);
    // The runs of two to four capitals standing alone, found a byte at a time.
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_alphanumeric() {
            i += 1;
            continue;
        }
        let end = i + b[i..]
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric())
            .count();
        if (2..=4).contains(&(end - i)) && b[i..end].iter().all(u8::is_ascii_uppercase) {
            let word = &text[i..end];
            day |= DAY_FIRST.contains(&word);
            month |= MONTH_FIRST.contains(&word);
        }
        i = end;
    }
    match (day, month) {
        (true, false) => Some(true),
        (false, true) => Some(false),
        _ => None,
    }
}

/// Day first for a document written in French, German, Spanish, Italian, Dutch or Portuguese,
/// which all write the day first ("12/03/2024" in a French report is the 12th of March): most
/// of its common short words are theirs, not English's. `None` otherwise.
fn order_of_language(text: &str) -> Option<bool> {
    const ENGLISH: [&str; 10] = [
        "the", "and", "of", "to", "was", "is", "were", "with", "for", "we",
    ];
    const OTHERS: [&str; 42] = [
        "le", "la", "les", "de", "des", "du", "une", "est", "et", "en", "pour", "avec", "dans",
        "sur", "au", "der", "das", "und", "ist", "nicht", "mit", "wurde", "von", "zu", "auf", "el",
        "los", "las", "del", "que", "por", "una", "fue", "della", "che", "het", "een", "niet",
        "werd", "não", "com", "im",
    ];
    let (mut english, mut others) = (0u32, 0u32);
    let mut lower = String::new();
    for w in text.split(|c: char| !c.is_alphabetic()) {
        if w.is_empty() || w.len() > 6 {
            continue;
        }
        lower.clear();
        lower.extend(w.chars().flat_map(char::to_lowercase));
        if ENGLISH.contains(&lower.as_str()) {
            english += 1;
        } else if OTHERS.contains(&lower.as_str()) {
            others += 1;
        }
    }
    (others >= 4 && others > 2 * english).then_some(true)
}

/// Whether a section's lines read as a timeline although its heading does not say so: at least
/// three lines (or a table's rows, by their first cell), and at least half of its non-blank
/// lines, begin with a time stamp; or it is a status page's updates (two update headers such
/// as `[Update 11th of February 2022 - 19:00 UTC]`, or an update stamped at its end).
pub fn looks_like_timeline(lines: &[Line<'_>]) -> bool {
    let mut stamped = 0;
    let mut written = 0;
    let mut updates = 0;
    let mut tracked = false;
    for l in lines.iter().filter(|l| !l.blank && !l.code) {
        if lines::is_table_separator(l.text) {
            continue;
        }
        written += 1;
        let text = entry_text(l.text);
        match leading_stamp(text) {
            Some((p, rest)) if p.time.is_some() => {
                stamped += 1;
                // A time alone on its line, closing the update above it.
                updates += usize::from(only_punctuation(rest));
            }
            _ => updates += usize::from(heads_a_stamped_update(text)),
        }
        tracked |= tracked_update(text).is_some();
    }
    (stamped >= 3 && stamped * 2 >= written) || updates >= 2 || tracked
}

/// What a line of a timeline says after its list marker, or a table row's first cell.
fn entry_text(line: &str) -> &str {
    let t = line.trim_start();
    match t.strip_prefix('|') {
        Some(row) => row.split('|').next().unwrap_or(row).trim(),
        None => lines::list_item(t).map_or(t, |(_, _, rest)| rest),
    }
}

/// Whether a line opens with a time, as a timeline's entries do (after a list marker, or in a
/// table row's first cell).
pub fn opens_with_time(line: &str) -> bool {
    leading_stamp(entry_text(line)).is_some_and(|(p, _)| p.time.is_some())
}

/// The stamps of the entries that mark the outage's start and end explicitly
/// (`<START OF OUTAGE>`, `(outage ends)`: see [`classify::marker`]), when the timeline has them.
pub fn outage_markers(entries: &[TimelineEntry]) -> (Option<Stamp>, Option<Stamp>) {
    use crate::model::EventKind as K;
    let (mut start, mut end, mut mitigated) = (None, None, None);
    for e in entries {
        let Some(at) = e.at.as_ref().filter(|a| a.time.is_some()) else {
            continue;
        };
        let slot = match classify::marker(&e.text) {
            Some(K::Symptom) => &mut start,
            Some(K::Resolution) => &mut end,
            Some(K::Mitigation) => &mut mitigated,
            _ => continue,
        };
        slot.get_or_insert_with(|| at.clone());
    }
    // "OUTAGE MITIGATED" ends the impact when no mark says it ended.
    (start, end.or(mitigated))
}

/// Where the impact begins and ends in a timeline that no statement or marker bounds: the first
/// and last timed entries, leaving out background before the incident (an entry more than a day
/// before the next, such as the change merged the week before) and follow-up after it (an entry
/// more than a day after the one before, such as a vendor's report two weeks later).
pub fn impact_span(entries: &[TimelineEntry]) -> (Option<Stamp>, Option<Stamp>) {
    const DAY: i64 = 86_400;
    let timed: Vec<(&TimelineEntry, i64)> = entries
        .iter()
        .filter_map(|e| {
            let at = e.at.as_ref().filter(|a| a.time.is_some())?;
            Some((e, at.sort_key()?))
        })
        .collect();
    // Entries more than a day before the rest are background (a change merged days before),
    // unless they tell of the incident itself (its symptoms, its detection or its declaration)
    // within weeks of the rest.
    use crate::model::EventKind as K;
    const WEEKS: i64 = 60 * DAY;
    let mut from = 0;
    while from + 2 < timed.len() && {
        let gap = timed[from + 1].1 - timed[from].1;
        gap > DAY
            && (gap > WEEKS
                || !matches!(
                    timed[from].0.kind,
                    K::Symptom | K::Detection | K::Acknowledgement | K::Escalation
                ))
    } {
        from += 1;
    }
    // Entries more than a day after the rest are follow-up, unless they resolve the incident
    // within weeks of the rest ("Resolved 2025-01-14 16:53" the day after the declaration).
    let mut to = timed.len();
    while to >= from + 3 && {
        let gap = timed[to - 1].1 - timed[to - 2].1;
        gap > DAY && (gap > WEEKS || timed[to - 1].0.kind != K::Resolution)
    } {
        to -= 1;
    }
    // "12:05 Postmortem scheduled": the review comes after the impact; so does telling
    // customers the service is back ("11:40 All-clear sent to customers") after an entry that
    // says it came back.
    let came_back = |entries: &[(&TimelineEntry, i64)]| {
        entries.iter().any(|(e, _)| {
            matches!(e.kind, K::Mitigation | K::Resolution) && classify::restores(&e.text)
        })
    };
    while to >= from + 2
        && (classify::about_the_review(&timed[to - 1].0.text)
            || (timed[to - 1].0.kind == K::Other
                && classify::tells_customers(&timed[to - 1].0.text)
                && came_back(&timed[from..to - 1])))
    {
        to -= 1;
    }
    // Follow-up hours after the service came back ("10:40 requests recover", then the next
    // morning "vacuum rescheduled to 02:00") is not the impact, unless it tells of the problem,
    // of its end or of more repair, or finishes work the entry before it had under way ("now
    // synchronizing the replica", then "synchronization finished").
    const HOURS_APART: i64 = 6 * 3_600;
    let restored = |entries: &[(&TimelineEntry, i64)]| {
        entries
            .iter()
            .any(|(e, _)| e.kind == K::Mitigation && classify::restores(&e.text))
    };
    while to >= from + 3
        && timed[to - 1].1 - timed[to - 2].1 > HOURS_APART
        && !matches!(
            timed[to - 1].0.kind,
            K::Resolution | K::Symptom | K::Detection | K::Mitigation
        )
        && restored(&timed[from..to - 1])
        && !classify::underway(&timed[to - 2].0.text)
    {
        to -= 1;
    }
    let kept = &timed[from..to];
    let start = kept.first().and_then(|(e, _)| e.at.clone());
    // The last resolution ends the impact, unless the problem shows again after it (a symptom
    // or a detection): what follows a resolution is clean-up and follow-up.
    let resolution = kept.iter().rposition(|(e, _)| e.kind == K::Resolution);
    let recurs = |i: usize| {
        kept[i + 1..]
            .iter()
            .any(|(e, _)| matches!(e.kind, K::Symptom | K::Detection))
    };
    let end = match resolution {
        Some(i) if !recurs(i) => restored_before(&kept[..=i]).or_else(|| kept[i].0.at.clone()),
        _ => kept.last().and_then(|(e, _)| e.at.clone()),
    };
    (start, end)
}

/// The end a timeline with no resolution shows when the document states the incident's length:
/// the entry that says the service came back ("Errors stopped") exactly that length after the
/// start, when only the response's own work follows it (the analysis, "Concluded that the
/// errors came from the migration window"), not the problem again. `None` otherwise: the
/// last entry stays the end.
pub fn end_at_stated_length(
    entries: &[TimelineEntry],
    start: &Stamp,
    minutes: u32,
    end: &Stamp,
) -> Option<Stamp> {
    use crate::model::EventKind as K;
    let (from, to) = (start.sort_key()?, end.sort_key()?);
    let at = from + i64::from(minutes) * 60;
    // A length is often rounded: "1 hour 47 minutes" of an outage from 10:00 to 11:47 read
    // against a first entry at 10:04. Within a twentieth of it (a minute at least).
    let slack = (i64::from(minutes) * 60 / 20).max(60);
    if at >= to {
        return None;
    }
    let within = entries.iter().filter_map(|e| {
        let k = e.at.as_ref().filter(|a| a.time.is_some())?.sort_key()?;
        (from..=to).contains(&k).then_some((e, k))
    });
    let mut restored = None;
    for (e, k) in within {
        match e.kind {
            K::Resolution => return None,
            K::Symptom | K::Detection if restored.is_some() => return None,
            K::Mitigation if (k - at).abs() <= slack && classify::restores(&e.text) => {
                restored = e.at.clone();
            }
            _ => {}
        }
    }
    restored
}

/// When the last of `entries` declares the incident over minutes after an entry that says the
/// service came back, the impact ended at that entry ("exceptions stopped" at 13:16, "declared
/// the incident resolved" at 13:17). A declaration longer after is a resolution of its own (the
/// system "gradually recovered" at 15:30, resolved at 16:00). `None` when no such entry precedes.
fn restored_before(entries: &[(&TimelineEntry, i64)]) -> Option<Stamp> {
    const WINDOW: i64 = 15 * 60;
    let ((last, at), before) = entries.split_last()?;
    if !classify::declares_end(&last.text) {
        return None;
    }
    before
        .iter()
        .rev()
        .take_while(|(_, t)| at - t <= WINDOW)
        .find(|(e, _)| {
            matches!(
                e.kind,
                crate::model::EventKind::Mitigation | crate::model::EventKind::Resolution
            ) && classify::restores(&e.text)
        })
        .and_then(|(e, _)| e.at.clone())
}

/// The time of an entry added to a record after the fact (through the API or the editor),
/// written as the importer reads times (`15:10`, `3:10 PM PDT`, `2026-03-14 14:45 UTC`) or in
/// RFC 3339 (`2026-03-14T14:45:00Z`). What it leaves out comes from the incident: the day and
/// zone of its start (else of its first dated entry, else its date), and a time more than
/// twelve hours before the start is the next day's. `None` when the text is no time.
pub fn entry_stamp(p: &crate::model::Postmortem, text: &str) -> Option<Stamp> {
    let text = text.trim();
    let (pieces, end) = time::stamp_prefix(text)?;
    if end == 0 || !only_punctuation(&text[end..]) || pieces.unknown {
        return None;
    }
    pieces.time?;
    let anchor = p
        .instants
        .started
        .iter()
        .chain(p.timeline.iter().filter_map(|e| e.at.as_ref()))
        .find(|s| s.date.is_some());
    let date = anchor
        .and_then(|a| a.date)
        .or_else(|| p.date.as_deref().and_then(Date::parse_iso));
    let zone = anchor
        .and_then(|a| a.zone.clone())
        .or_else(|| p.timeline.iter().find_map(|e| e.at.as_ref()?.zone.clone()));
    let mut clock = Clock::new(&Context {
        date,
        year: date.map(|d| d.year),
        zone,
        day_first: None,
    });
    clock.last = anchor.and_then(|a| a.time);
    Some(clock.resolve(&pieces))
}

/// Running state while reading entries in document order.
pub struct Clock {
    pub date: Option<Date>,
    pub year: Option<i32>,
    pub zone: Option<Zone>,
    day_first: Option<bool>,
    last: Option<time::Time>,
    day: u16,
    /// The first counted day ("D+0", "Day 1") and the date (or day) the clock stood at then.
    counted_from: Option<(u16, Option<Date>, u16)>,
    /// Times written on a twelve-hour clock without "pm" are being read as the afternoon's.
    afternoon: bool,
}

impl Clock {
    pub fn new(ctx: &Context) -> Clock {
        Clock {
            date: ctx.date,
            year: ctx.year.or(ctx.date.map(|d| d.year)),
            zone: ctx.zone.clone(),
            day_first: ctx.day_first,
            last: None,
            day: 0,
            counted_from: None,
            afternoon: false,
        }
    }

    /// "Mon 08:30" after "Sat 02:47": the running date moves on to the next day of that name
    /// (the same day when it is one). The first time of a timeline names the nearest day of
    /// that name, before the document's date too ("Tue 23:50" in the report of an incident
    /// on a Wednesday, or of a report written days later).
    pub fn on_weekday(&mut self, weekday: u8) {
        let Some(d) = self.date else { return };
        let ahead = i64::from((weekday + 7 - d.weekday()) % 7);
        if ahead == 0 {
            return;
        }
        let shift = if self.last.is_none() && ahead > 3 {
            ahead - 7
        } else {
            ahead
        };
        self.date = Some(d.add_days(shift));
        // A new day: its first time is no roll-over past midnight.
        self.last = None;
    }

    /// Turns pieces into a stamp with the running date and zone, rolling over midnight when a
    /// time-only entry is more than twelve hours earlier than the one before it.
    pub fn resolve(&mut self, p: &Pieces) -> Stamp {
        if let (Some(n), None) = (p.counted_day, p.date) {
            self.count_day(n);
        }
        if let (Some(w), None) = (p.weekday, p.date) {
            self.on_weekday(w);
        }
        let mut date = p.date.and_then(|d| {
            let d = d.in_order(self.day_first);
            let dated = d.with_year(self.year)?;
            // A day without a year more than half a year after the document's day is last
            // year's ("[12-05]" in a timeline of March).
            match (d.year, self.date) {
                (None, Some(now)) if dated.days_since_epoch() - now.days_since_epoch() > 183 => {
                    d.with_year(Some(dated.year - 1))
                }
                _ => Some(dated),
            }
        });
        if let Some(d) = date {
            self.date = Some(d);
            // Only a year the document wrote becomes the running year.
            if p.date.is_some_and(|pd| pd.year.is_some()) {
                self.year = Some(d.year);
            }
            self.day = 0;
            // A day named alone starts that day afresh: its first time is no roll-over.
            if p.time.is_none() {
                self.last = None;
            }
        }
        let mut time = p.time;
        if let (Some(t), None) = (p.time, date) {
            if let Some(last) = self.last {
                if let Some(pm) = self.afternoon_of(t, last, p.half_day) {
                    time = Some(pm);
                } else if t.seconds() + 12 * 3600 < last.seconds() {
                    match self.date.as_mut() {
                        Some(d) => *d = d.add_days(1),
                        None => self.day += 1,
                    }
                }
            }
            date = self.date;
        } else {
            self.afternoon = false;
        }
        if time.is_some() {
            self.last = time;
        }
        if let Some(z) = &p.zone
            && self.zone.is_none()
        {
            self.zone = Some(z.clone());
        }
        let mut stamp = Stamp {
            date,
            day: if date.is_none() { self.day } else { 0 },
            time,
            zone: p.zone.clone().or_else(|| {
                if p.time.is_some() {
                    self.zone.clone()
                } else {
                    None
                }
            }),
            approximate: p.approximate,
        };
        stamp.settle_zone();
        stamp
    }
}

impl Clock {
    /// A twelve-hour clock written without "am" or "pm": "11:40", "12:10", then "1:05" is five
    /// past one in the afternoon, not an entry hours out of order. Read so when the time before
    /// was late in the morning or already afternoon, and the afternoon reading follows it within
    /// three hours; the afternoon lasts until a date or a later time says otherwise. A time
    /// that names its half of the day (`half_day`: "1:05 AM") is read as written.
    fn afternoon_of(&mut self, t: Time, last: Time, half_day: bool) -> Option<Time> {
        const HALF_DAY: i64 = 12 * 3600;
        let (at, before) = (t.seconds(), last.seconds());
        let read = !half_day
            && (1..12).contains(&t.hour)
            && at < before
            && (0..=3 * 3600).contains(&(at + HALF_DAY - before))
            && (self.afternoon || (10..13).contains(&last.hour));
        self.afternoon = read;
        read.then(|| Time::new(t.hour + 12, t.minute, t.second))
            .flatten()
    }

    /// A day the document counts ("D+1", "Day 2"): the first counted day is the clock's day
    /// then, and the others as many days after it. The time that follows is on that day, with
    /// no roll-over from the entry before.
    fn count_day(&mut self, n: u16) {
        let (first, date, day) = *self.counted_from.get_or_insert((n, self.date, self.day));
        let after = i64::from(n) - i64::from(first);
        match date {
            Some(d) => self.date = Some(d.add_days(after)),
            None => self.day = u16::try_from(i64::from(day) + after).unwrap_or(day),
        }
        self.last = None;
    }
}

/// The result of reading one timeline section.
pub struct Extracted {
    pub entries: Vec<TimelineEntry>,
    /// Lines that are not entries, verbatim (zone declarations, remarks, code).
    pub leftover: String,
}

struct Builder {
    at: Option<Stamp>,
    /// The entry's lines so far, joined with `\n`.
    text: String,
    line: usize,
    /// Came from a heading or a lone stamp line: following paragraphs belong to it.
    takes_paragraphs: bool,
    indent: usize,
}

impl Builder {
    fn new(
        at: Option<Stamp>,
        first: &str,
        line: usize,
        takes_paragraphs: bool,
        indent: usize,
    ) -> Builder {
        let mut b = Builder {
            at,
            text: String::new(),
            line,
            takes_paragraphs,
            indent,
        };
        b.push(first);
        b
    }

    /// Adds a line of text; empty lines are dropped.
    fn push(&mut self, line: &str) {
        if line.is_empty() {
            return;
        }
        if !self.text.is_empty() {
            self.text.push('\n');
        }
        self.text.push_str(line);
    }
}

/// An entry: text tidied (lines trimmed, Markdown's line breaks written as a backslash at the
/// end of a line dropped, blank lines dropped) and its kind read from its words.
fn entry(at: Option<Stamp>, text: String, line: usize) -> TimelineEntry {
    // One line (the common case) needs no walk over its lines.
    let tidy = if !text.contains(['\n', '\r']) {
        text.trim().len() == text.len() && !text.ends_with('\\')
    } else {
        !text.ends_with('\n')
            && !text.contains('\r')
            && text
                .lines()
                .all(|l| !l.is_empty() && l.trim().len() == l.len() && !l.ends_with('\\'))
    };
    let text = if tidy {
        text
    } else {
        text.lines()
            .map(|l| l.trim().trim_end_matches('\\').trim_end())
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join("\n")
    };
    TimelineEntry {
        kind: classify::event_kind(&text),
        at,
        text,
        line,
        ..TimelineEntry::default()
    }
}

/// Removes wrapping that often surrounds a stamp: `**`, `*`, `_`, `[`, `` ` ``, `(`.
fn strip_stamp_wrapping(s: &str) -> &str {
    // "**•\t00:05 PDT:** ...": a bullet pasted inside the emphasis; "🔴 23:50 — ...": a mark
    // (any symbol that is neither ASCII nor a letter or digit) before the time; "@14:02".
    s.trim_start_matches(|c: char| {
        matches!(c, '*' | '_' | '[' | '`' | '(' | '<' | '@' | ' ' | '\t') || lines::is_mark(c)
    })
}

/// "At 14:15, deploy started", "Around 2:40 PM errors spiked": an entry told as a sentence
/// opens with its time all the same. Only a time after the word counts. The text from the
/// time on, and whether the word made the time approximate (all of them but "at").
fn strip_at_word(s: &str) -> (&str, bool) {
    // Every word begins with an "a": one byte rules out nearly every line.
    if s.as_bytes().first().is_none_or(|b| b | 0x20 != b'a') {
        return (s, false);
    }
    for word in ["at ", "around ", "approximately ", "approx. ", "about "] {
        if let Some(head) = s.get(..word.len())
            && head.eq_ignore_ascii_case(word)
        {
            // "Around **09:50** (CEST), we ran a deployment".
            let rest = s[word.len()..].trim_start_matches(['*', '_', '`']);
            if time::stamp_prefix(rest).is_some_and(|(p, _)| p.time.is_some()) {
                return (rest, word != "at ");
            }
        }
    }
    (s, false)
}

/// "**09:50** (CEST)", "`14:05` UTC": a zone right after the emphasis that closes around a
/// time. The zone and the text after it.
fn zone_after_emphasis(after: &str) -> Option<(Zone, &str)> {
    let rest = after.trim_start_matches(['*', '_', '`']);
    if rest.len() == after.len() {
        return None;
    }
    let (zone, end) = time::zone_prefix(rest)?;
    Some((zone, &rest[end..]))
}

/// "(approx.)" or "(estimated)" after a time: the time is approximate. The text after the
/// remark, or `None` when there is none.
fn approx_remark(after: &str) -> Option<&str> {
    let (inner, rest) = after.trim_start().strip_prefix('(')?.split_once(')')?;
    time::approx_word(inner.trim().trim_end_matches('.')).then_some(rest)
}

fn strip_after_stamp(s: &str) -> &str {
    // A range: "11:00 - 11:30", "11:00 to 11:30". A separator may be escaped as a word
    // processor's Markdown export writes it ("09:10 \- Document published").
    let text = s.trim_start_matches(|c: char| {
        c.is_whitespace()
            || matches!(
                c,
                '\\' | '-'
                    | '–'
                    | '—'
                    | ':'
                    | '|'
                    | ','
                    | '.'
                    | '>'
                    | '→'
                    | '='
                    | '*'
                    | '_'
                    | ']'
                    | ')'
                    | '`'
            )
    });
    // Emphasis or code that opens the text ("- **top** is run again", "`api` restarted") is
    // the text's own: its marks follow a space or a separator, and close later in the text.
    let cut = &s[..s.len() - text.len()];
    let before_marks = cut.trim_end_matches(['*', '_', '`']);
    let marks = &cut[before_marks.len()..];
    if !marks.is_empty()
        && !before_marks.is_empty()
        && before_marks.ends_with(char::is_whitespace)
        && text.contains(marks)
    {
        return &s[before_marks.len()..];
    }
    text
}

fn skip_range(s: &str) -> &str {
    let t = s.trim_start();
    // Every separator starts with '-', 't', 'u' or the first byte of a dash.
    if !t.starts_with(['-', 't', 'u', '–', '—']) {
        return s;
    }
    for sep in ["-", "–", "—", "to ", "until "] {
        if let Some(rest) = t.strip_prefix(sep) {
            let r = strip_stamp_wrapping(rest.trim_start());
            if let Some((p, end)) = time::stamp_prefix(r)
                && p.time.is_some()
                && end > 0
            {
                return &r[end..];
            }
        }
    }
    s
}

/// A stamp at the start of `s`: pieces and the text after it. `None` when `s` does not start with
/// a date or time.
pub fn leading_stamp(s: &str) -> Option<(Pieces, &str)> {
    let (body, about) = strip_at_word(strip_stamp_wrapping(s));
    let (body, p, end) = match counted_day(body) {
        Some(counted) => counted,
        None => {
            let (p, end) = time::stamp_prefix(body).or_else(|| military_prefix(body))?;
            (body, p, end)
        }
    };
    if end == 0 {
        return None;
    }
    let after = &body[end..];
    // "3 engineers joined" is not a stamp: a bare date must be followed by punctuation or end.
    if p.time.is_none() && !p.unknown {
        let next = after
            .trim_start_matches(['*', '_', ']', '`', ')'])
            .chars()
            .next();
        if let Some(c) = next
            && c.is_alphanumeric()
            && !after.starts_with(' ')
        {
            return None;
        }
    }
    // "14:07ish", "around 14:07", "14:07 (approx.)": about then.
    let mut p = p;
    p.approximate |= about;
    // "**09:50** (CEST)": the zone written after the emphasis around the time closed.
    let after = match zone_after_emphasis(after).filter(|_| p.time.is_some() && p.zone.is_none()) {
        Some((zone, rest)) => {
            p.zone = Some(zone);
            rest
        }
        None => after,
    };
    let after = match after
        .strip_prefix("ish")
        .or_else(|| after.strip_prefix("-ish"))
    {
        Some(rest) if p.time.is_some() && !rest.starts_with(char::is_alphanumeric) => {
            p.approximate = true;
            rest
        }
        _ => match approx_remark(after).filter(|_| p.time.is_some()) {
            Some(rest) => {
                p.approximate = true;
                rest
            }
            None => after,
        },
    };
    let after = if p.time.is_some() {
        skip_same_time(after)
    } else {
        after
    };
    // "23:40 (Mar 5) nightly backup fails": the time's day in brackets after it.
    let after = match bracketed_day(after).filter(|_| p.time.is_some() && p.date.is_none()) {
        Some((day, rest)) => {
            p.date = Some(day);
            rest
        }
        None => after,
    };
    let after = skip_range(skip_day_note(skip_hrs(strip_after_stamp_head(after))));
    Some((p, strip_after_stamp(after)))
}

/// A day alone in brackets opening `after` ("(Mar 5)", "(2024-03-05)"): the day and the text
/// after the brackets.
fn bracketed_day(after: &str) -> Option<(time::PartialDate, &str)> {
    let inside = after.trim_start().strip_prefix('(')?;
    let (day, rest) = inside.split_once(')')?;
    let (p, end) = time::stamp_prefix(day.trim())?;
    (p.time.is_none() && end == day.trim().len())
        .then_some(p.date)
        .flatten()
        .map(|d| (d, rest))
}

/// The same time in another zone after an entry's stamp ("10:00 PT / 17:00 UTC: ...",
/// "09:00 CET (08:00 UTC) ..."): the text after it.
fn skip_same_time(after: &str) -> &str {
    let t = after.trim_start();
    let (rest, bracket) = match t.strip_prefix(['/', '(', '=']) {
        Some(rest) => (rest.trim_start(), t.starts_with('(')),
        None => return after,
    };
    match time::stamp_prefix(rest) {
        Some((q, end)) if q.time.is_some() && q.zone.is_some() => {
            let rest = &rest[end..];
            if bracket {
                rest.trim_start().strip_prefix(')').unwrap_or(rest)
            } else {
                rest
            }
        }
        _ => after,
    }
}

/// A day counted from the incident's first, then a time: "D+1 00:05", "Day 2, 08:10",
/// "D+0 / 22:15 CEST". The text from the time on, its pieces with the day, and where the stamp
/// ends in that text.
fn counted_day(s: &str) -> Option<(&str, Pieces, usize)> {
    let (n, after) = day_number(s, s.starts_with("D+"))?;
    let (mut p, end) = time::stamp_prefix(after)?;
    if p.time.is_none() || p.date.is_some() || end == 0 {
        return None;
    }
    p.counted_day = Some(n);
    Some((after, p, end))
}

/// A day's number opening `t`, "Day 2" or (when `plus`) "D+2", and the text after it and the
/// separator that follows it. `None` when no separator follows the number ("Day 12:30" is no
/// day), unless the number ends the text.
fn day_number(t: &str, plus: bool) -> Option<(u16, &str)> {
    let rest = if plus {
        t.strip_prefix("D+")?
    } else {
        t.get(..4)
            .filter(|head| head.eq_ignore_ascii_case("day "))
            .map(|_| &t[4..])?
    };
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || digits > 2 {
        return None;
    }
    let after = rest[digits..].trim_start_matches([' ', ',', ':', '/', '—', '–', '-', '*', '_']);
    if after.len() + digits == rest.len() && !after.is_empty() {
        return None;
    }
    Some((rest[..digits].parse().ok()?, after))
}

/// The end of a range and nothing after it ("- 10:30 WAT", "to 15:10"): a span's second half.
pub fn is_range_end(note: &str) -> bool {
    let rest = skip_range(note);
    rest.len() < note.len() && only_punctuation(rest)
}

/// A military time opening an entry, with its zone or "hrs": "1402 UTC", "1402Z", "0702 PST",
/// "1402 hrs". (In prose a four-digit number is read as a time only in "between 1900 and 2100
/// UTC".)
fn military_prefix(s: &str) -> Option<(Pieces, usize)> {
    let digits = s
        .get(..4)
        .filter(|d| d.bytes().all(|b| b.is_ascii_digit()))?;
    let time = time::military_time(digits.parse().ok()?)?;
    let rest = &s[4..];
    let word_len = |r: &str| r.bytes().take_while(u8::is_ascii_alphabetic).count();
    let spaced = rest.trim_start_matches(' ');
    let gap = rest.len() - spaced.len();
    let word = &spaced[..word_len(spaced)];
    if gap > 1 || word.is_empty() {
        return None;
    }
    let end = 4 + gap + word.len();
    let pieces = |zone| Pieces {
        time: Some(time),
        zone,
        ..Pieces::default()
    };
    if word.eq_ignore_ascii_case("hrs") {
        return Some((pieces(None), end));
    }
    let zone = time::parse_zone_label(word)?;
    Some((pieces(Some(zone)), end))
}

/// "hrs" or "local" after a time ("14:02 hrs - ...", "14:02 local - ..."): part of the stamp,
/// not of the text.
fn skip_hrs(s: &str) -> &str {
    let t = s.trim_start();
    // "0930 hrs"; "10:12h" and "10:12hs" written right after the time; "14:05 local (time)",
    // which names no zone but the one the document declares; "09:15 Uhr", as German writes it.
    for unit in ["local time", "local", "hrs", "uhr", "hs", "h"] {
        if (unit.len() > 2 || t.len() == s.len())
            && t.get(..unit.len())
                .is_some_and(|w| w.eq_ignore_ascii_case(unit))
            && !t[unit.len()..].starts_with(char::is_alphanumeric)
        {
            return &t[unit.len()..];
        }
    }
    s
}

/// "(next day)" or "(+1 day)" after a time: the clock already carries past midnight, so the
/// note is no part of the entry's text.
fn skip_day_note(s: &str) -> &str {
    let t = s.trim_start();
    let Some(inner_end) = t.strip_prefix('(').and_then(|r| r.find(')')) else {
        return s;
    };
    let inner = t[1..=inner_end].trim().to_ascii_lowercase();
    let noted = matches!(
        inner.as_str(),
        "next day" | "the next day" | "following day" | "+1 day" | "+1" | "d+1" | "day 2"
    );
    if noted { &t[inner_end + 2..] } else { s }
}

fn strip_after_stamp_head(s: &str) -> &str {
    s.trim_start_matches(['*', '_', ']', '`', ')', '>'])
}

/// A short line that says which zone the times are in: "All times in CET.", "_Times are UTC_",
/// "(all times UTC)".
fn zone_declaration(s: &str) -> Option<Zone> {
    let ci = crate::text::contains_ci;
    (s.len() < 80 && (ci(s, "time") || ci(s, "zone")))
        .then(|| time::declared_zone(s))
        .flatten()
}

/// Nothing but punctuation and emphasis left after a stamp.
fn only_punctuation(rest: &str) -> bool {
    rest.trim_matches(|c: char| !c.is_alphanumeric()).is_empty()
}

/// A line that only counts the incident's day: "Day 2", "**Day 2 (Tuesday)**", "D+1 -
/// Saturday:".
fn day_marker(line: &str) -> Option<u16> {
    let t = bare_day_line(line);
    let (n, after) = day_number(t, t.starts_with("D+"))?;
    let after = after.trim_matches(|c: char| {
        matches!(c, '(' | ')' | '*' | '_' | ':' | ' ' | '-' | '—' | '–' | ',')
    });
    (after.is_empty() || time::is_weekday(after)).then_some(n)
}

/// A day of the week alone on its line, over that day's entries ("### Monday", "**Tuesday:**"),
/// 0 for Sunday.
fn weekday_alone(line: &str) -> Option<u8> {
    time::weekday_number(bare_day_line(line))
}

/// A line naming a day, without its emphasis and closing colon.
fn bare_day_line(line: &str) -> &str {
    line.trim()
        .trim_matches(['*', '_'])
        .trim_end_matches(':')
        .trim()
}

/// What follows a day's number in an incident of several days: "Day 2 — Friday 8 March 2024".
fn after_day_number(t: &str) -> Option<&str> {
    day_number(t, false).map(|(_, after)| after)
}

/// A stamp standing alone on its line, or a day with the zone beside it ("2024-04-09 (all times
/// UTC)", "Day 1 — Monday 2 December 2024 (times in GMT)", "Day 1 (2023-11-07, CET)"), which
/// then sets the clock's zone.
fn alone(p: &Pieces, rest: &str, zone: &mut Option<Zone>) -> Option<Pieces> {
    if only_punctuation(rest) {
        return Some(p.clone());
    }
    if p.time.is_none() && p.date.is_some() {
        let named = rest
            .trim_start_matches(['-', '–', '—'])
            .trim_matches([' ', ',', '(', ')', '[', ']', '*', '_', ':']);
        *zone = Some(zone_declaration(rest).or_else(|| time::parse_zone_label(named))?);
        return Some(p.clone());
    }
    None
}

/// Whether a line names a status update and its time ("**Update at 2021-06-08 11:20 UTC**",
/// "[Update - 2023-03-29 15h50 UTC]"): an update of the timeline, not a heading.
pub fn heads_a_stamped_update(s: &str) -> bool {
    introduced_stamp(s).is_some_and(|p| p.time.is_some())
}

/// A line that is only a stamp introduced by a word: `Posted Dec 07, 2023 - 16:29 PST`,
/// `[Update 11th of February 2022 - 19:00 UTC]`.
fn introduced_stamp(s: &str) -> Option<Pieces> {
    let (p, after) = introduced(s)?;
    only_punctuation(after).then_some(p)
}

/// A stamp introduced by a word, and what follows it on the line.
fn introduced(s: &str) -> Option<(Pieces, &str)> {
    let t = update_opening(s);
    let rest = ["posted ", "updated ", "update ", "as of ", "at "]
        .iter()
        .find_map(|p| {
            t.get(..p.len())
                .is_some_and(|head| head.eq_ignore_ascii_case(p))
                .then(|| &t[p.len()..])
        })
        // "[Update - 2023-03-29 15h50 UTC]": a dash or colon after the word.
        .map(|r| r.trim_start_matches(['-', '–', '—', ':', ' ']))
        .or_else(|| update_named_at(t))
        .or_else(|| comment_header(t))
        .or_else(|| after_day_number(t))?;
    // "Posted 4 days ago. Mar 12, 2024 - 18:02 UTC": a status page copied as it showed, the
    // age before the stamp.
    let rest = match rest.get(..32).unwrap_or(rest).find(" ago") {
        Some(k) if rest[k + 4..].starts_with(['.', ',']) => rest[k + 5..].trim_start(),
        _ => rest,
    };
    leading_stamp(rest)
}

/// An update header's words, without the emphasis or bracket that opens it.
fn update_opening(s: &str) -> &str {
    s.trim().trim_start_matches(['*', '_', '[']).trim_start()
}

/// "Olu Adebayo added a comment - 14/Mar/25 9:15 AM": a ticket's comment as Jira prints it,
/// its author (a few words) before its time. The text from the time on.
fn comment_header(t: &str) -> Option<&str> {
    let (author, rest) = t.split_once(" added a comment")?;
    let words = author.split_whitespace().count();
    ((1..=4).contains(&words)).then_some(())?;
    Some(rest.trim_start_matches(['-', '–', '—', ':', ' ']))
}

/// "**Initial Message at 2021-06-08 09:35 UTC**": a status update named, then "at" its time.
/// The text from the time on.
fn update_named_at(t: &str) -> Option<&str> {
    let (name, rest) = t.split_once(" at ")?;
    const NAMES: [&str; 7] = [
        "initial message",
        "initial update",
        "final message",
        "final update",
        "status update",
        "latest update",
        "message",
    ];
    NAMES
        .iter()
        .any(|n| name.trim().eq_ignore_ascii_case(n))
        .then_some(rest)
}

/// A status page's phase standing alone over its update ("**Resolved**", "Monitoring") when the
/// update's time closes the block under it ("Jan 14, 2025 - 17:52 UTC", "Posted ..."): part of
/// the updates, not a heading.
/// The index in `after` of the line with the update's time, as [`update_end`] finds it.
pub fn phase_over_update(phase: &str, after: &[Line<'_>]) -> Option<usize> {
    const PHASES: [&str; 10] = [
        "resolved",
        "monitoring",
        "identified",
        "investigating",
        "update",
        "updated",
        "scheduled",
        "in progress",
        "verifying",
        "completed",
    ];
    let named = PHASES.iter().any(|p| phase.trim().eq_ignore_ascii_case(p));
    named.then(|| update_end(after)).flatten()
}

/// Where the update under a status page's phase ends: the index in `after` (whose first line is
/// the phase) of the line with its time, within six lines of text, blank lines between them
/// allowed ("## Resolved" / "" / "This incident has been resolved." / "" / "Posted Mar 05, 2024 -
/// 16:40 UTC"). `None` when a heading or a seventh line of text comes first.
fn update_end(after: &[Line<'_>]) -> Option<usize> {
    let mut text_lines = 0;
    for (k, l) in after.iter().enumerate().skip(1) {
        if l.blank {
            continue;
        }
        let t = l.text.trim();
        let stamped = match leading_stamp(t) {
            Some((p, rest)) => p.time.is_some() && only_punctuation(rest),
            None => heads_a_stamped_update(t),
        };
        if stamped {
            return (text_lines > 0 || k == 1).then_some(k);
        }
        text_lines += 1;
        if text_lines > 5 || l.code || lines::atx(l.text).is_some() {
            return None;
        }
    }
    None
}

/// A status page's update stamp at the end of a line: `... resolved. {{< track "2026-02-14
/// 07:00:00" >}}` (the Hugo shortcode of cState status pages).
fn tracked_update(s: &str) -> Option<(Pieces, &str)> {
    let t = s.trim_end();
    let body = t.strip_suffix(">}}").or_else(|| t.strip_suffix("%}}"))?;
    let open = body.rfind("{{")?;
    let inner = body[open + 2..].trim_start_matches(['<', '%', ' ']);
    let quoted = inner
        .strip_prefix("track")?
        .trim()
        .trim_matches(['"', '\'', ' ']);
    let (p, end) = time::stamp_prefix(quoted)?;
    (p.time.is_some() && only_punctuation(&quoted[end..])).then(|| (p, s[..open].trim_end()))
}

/// A line that is a few words and then a time: `Resolved 2025-07-24 12:34` gives the words and
/// the stamp's text.
pub fn words_then_stamp(s: &str) -> Option<(&str, &str)> {
    let found = time::scan(s);
    let last = found
        .last()
        .filter(|f| f.pieces.time.is_some() && f.start > 0)?;
    let words = s[..last.start].trim();
    let tail = s[last.end..].trim();
    (tail.is_empty() && (1..=4).contains(&words.split_whitespace().count()))
        .then(|| (words, &s[last.start..]))
}

/// A stamp at the end of a line: `First detected 2022-07-11 09:33`.
fn trailing_stamp(s: &str) -> Option<(Pieces, &str)> {
    if let Some(found) = tracked_update(s) {
        return Some(found);
    }
    let mut found = time::scan(s);
    // "(09:58 UTC, 2024-09-03)": the time, then its day.
    if let [.., time, day] = found.as_slice()
        && time.pieces.time.is_some()
        && time.pieces.date.is_none()
        && day.pieces.time.is_none()
        && day.pieces.date.is_some()
        && matches!(s[time.end..day.start].trim(), "" | "," | "on")
    {
        let mut whole = time.clone();
        whole.pieces.date = day.pieces.date;
        whole.end = day.end;
        found.truncate(found.len() - 2);
        found.push(whole);
    }
    let last = found.last()?;
    let tail = s[last.end..].trim_matches(|c: char| !c.is_alphanumeric());
    if !tail.is_empty() || last.pieces.time.is_none() || last.start == 0 {
        return None;
    }
    // A line naming other times before its last is prose telling several events ("... detected
    // at 08:58 UTC and engaged at 09:04 UTC. ... restored by 13:20 UTC."), not one stamped at
    // its end; so is a range's end ("support hours 10:00-17:00").
    if found[..found.len() - 1]
        .iter()
        .any(|f| f.pieces.time.is_some())
    {
        return None;
    }
    if let [.., before, _] = found.as_slice()
        && before.pieces.time.is_some()
        && matches!(s[before.end..last.start].trim(), "-" | "–" | "to")
    {
        return None;
    }
    let text = s[..last.start].trim_end_matches(|c: char| {
        // "Login latency climbs (**9:10 AM**)": the emphasis around the time goes with it.
        c.is_whitespace()
            || matches!(
                c,
                '-' | '–' | '—' | ':' | '|' | ',' | '@' | '(' | '[' | '*' | '_'
            )
    });
    // "There is an outage since 14h00 UTC": the word that led to the time goes with it.
    let text = text.trim_end();
    let text = match text.rsplit_once(' ') {
        Some((kept, word)) if leads_to_a_time(word) => kept.trim_end(),
        _ => text,
    };
    (!text.is_empty()).then_some((last.pieces.clone(), text))
}

/// A timeline told in prose ("At **10:10**, we deployed a new version ... we were back online at
/// **10:13**."): one entry per sentence that names a clock time, at its first time. A sentence
/// that opens with its time ("At 10:10, ...", "By 12:50 UTC ...") is the entry without it; any
/// other is the entry whole. Lists, tables and code are not prose and are passed over.
pub fn prose_entries(section_lines: &[Line<'_>], clock: &mut Clock) -> Vec<TimelineEntry> {
    let mut entries = Vec::new();
    // The paragraph being read, and where each of its lines starts in it (offset, line number).
    let mut para = String::new();
    let mut starts: Vec<(usize, usize)> = Vec::new();
    let mut read = |para: &mut String, starts: &mut Vec<(usize, usize)>| {
        for (at, sentence) in sentences(para) {
            let line = starts
                .iter()
                .take_while(|(offset, _)| *offset <= at)
                .last()
                .map_or(0, |(_, no)| *no);
            entries.extend(prose_entry(sentence, line, clock));
        }
        para.clear();
        starts.clear();
    };
    for l in section_lines {
        if !is_prose(l) {
            read(&mut para, &mut starts);
            continue;
        }
        if !para.is_empty() {
            para.push(' ');
        }
        starts.push((para.len(), l.no));
        para.push_str(l.text.trim());
    }
    read(&mut para, &mut starts);
    entries
}

/// A line of a paragraph: not blank, and no list item, table row, heading, quote, code or
/// stated span.
fn is_prose(l: &Line<'_>) -> bool {
    let t = l.text.trim();
    !(l.blank
        || l.code
        || t.starts_with(['|', '#', '>'])
        || lines::list_item(l.text).is_some()
        || states_a_span(t))
}

/// The entries a sentence of prose makes, one per clause that names a clock time.
fn prose_entry(sentence: &str, line: usize, clock: &mut Clock) -> Vec<TimelineEntry> {
    if !time::may_hold_clock(sentence) {
        return Vec::new();
    }
    let plain = sentence.replace(['*', '`'], "").replace("__", "");
    let found = time::scan(&plain);
    clauses(&plain, &found)
        .into_iter()
        .filter_map(|(clause, found)| clause_entry(clause, found, line, clock))
        .collect()
}

/// A sentence telling two events at two times ("alerted at 14:09 UTC, who acknowledged the page
/// at 14:11 UTC"; "identified at 14:30 and deployed at 14:52") is cut where the second clause
/// begins: at the first ", and ", "; ", ", who ", ", which ", ", then " or " and " between the
/// two times. Times joined as a range ("between 14:00 and 15:10", "from 14:00 to 15:10",
/// "14:00-15:10") stay in one clause, as do times with no such joiner between them. Each
/// clause comes with the stamps found in it, their offsets its own.
fn clauses<'a>(plain: &'a str, found: &[time::Found]) -> Vec<(&'a str, Vec<time::Found>)> {
    const JOINERS: [&str; 6] = [", and ", "; ", ", who ", ", which ", ", then ", " and "];
    let timed: Vec<&time::Found> = found.iter().filter(|f| f.pieces.time.is_some()).collect();
    let mut cuts: Vec<(usize, usize)> = Vec::new();
    for pair in timed.windows(2) {
        let gap = plain[pair[0].end..pair[1].start].to_ascii_lowercase();
        if matches!(
            gap.trim(),
            "and" | "to" | "-" | "–" | "until" | "till" | "through"
        ) {
            continue;
        }
        if let Some((k, len)) = JOINERS
            .iter()
            .filter_map(|j| gap.find(j).map(|k| (k, j.len())))
            .min_by_key(|&(k, len)| (k, std::cmp::Reverse(len)))
        {
            cuts.push((pair[0].end + k, pair[0].end + k + len));
        }
    }
    let mut out = Vec::with_capacity(cuts.len() + 1);
    let mut start = 0;
    for (end, next) in cuts.into_iter().chain([(plain.len(), plain.len())]) {
        let inside = found
            .iter()
            .filter(|f| f.start >= start && f.end <= end)
            .map(|f| time::Found {
                pieces: f.pieces.clone(),
                start: f.start - start,
                end: f.end - start,
            })
            .collect();
        out.push((&plain[start..end], inside));
        start = next;
    }
    out
}

/// The entry a clause of prose makes, when it names a clock time.
fn clause_entry(
    plain: &str,
    found: Vec<time::Found>,
    line: usize,
    clock: &mut Clock,
) -> Option<TimelineEntry> {
    let first = found.iter().find(|f| f.pieces.time.is_some())?;
    let before = plain[..first.start].trim().to_ascii_lowercase();
    let opens = before.is_empty() || leads_a_clause_to_its_time(&before);
    let text = if opens {
        plain[first.end..].trim_start_matches(|c: char| {
            c.is_whitespace() || matches!(c, ',' | ':' | '-' | '–' | '—')
        })
    } else {
        plain
    };
    // "On the 15 Mar 2020, around 9pm UTC ...": the date the clause states before its time
    // is the time's.
    let mut pieces = first.pieces.clone();
    if pieces.date.is_none()
        && let Some(date) = found
            .iter()
            .take_while(|f| f.start < first.start)
            .filter(|f| f.pieces.time.is_none())
            .find_map(|f| f.pieces.date)
    {
        pieces.date = Some(date);
    }
    (!text.is_empty()).then(|| entry(Some(clock.resolve(&pieces)), text.to_string(), line))
}

/// The span a status update states of the whole incident ("Between 1:55 PM and 3:05 PM PST,
/// we experienced increased error rates"), the last update to state one: its start and end,
/// on the update's day when they name none.
pub fn span_told_in_an_entry(entries: &[TimelineEntry]) -> Option<(Pieces, Pieces)> {
    entries.iter().rev().find_map(|e| {
        let day = e.at.as_ref()?.date;
        if !time::may_hold_clock(&e.text) {
            return None;
        }
        let ci = crate::text::contains_ci;
        if !(ci(&e.text, "between ") || ci(&e.text, "from ")) {
            return None;
        }
        let told = super::facts::stated_span(&e.text);
        let (mut from, mut to) = (told.start?, told.end?);
        from.time?;
        to.time?;
        for pc in [&mut from, &mut to] {
            if pc.date.is_none() {
                pc.date = day.map(time::PartialDate::of);
            }
        }
        Some((from, to))
    })
}

/// The words that open a sentence with its time: "At 10:10, ...", "By 12:50 UTC ...".
fn leads_a_clause_to_its_time(lowercase: &str) -> bool {
    matches!(
        lowercase,
        "at" | "by"
            | "around"
            | "about"
            | "at about"
            | "at around"
            | "approximately"
            | "shortly after"
            | "just after"
            | "just before"
            | "from"
            | "on"
    )
}

/// Whether a timeline section is told in sentences: paragraphs only (no list, table, quote or
/// code), each entry read from it a line opening with a word that leads to its time ("At 09:02
/// a deploy started. At 09:05 the queue stopped draining ..."). Such a paragraph tells one
/// event a sentence, where a line opening with a bare time tells one an entry.
pub fn told_in_sentences(section_lines: &[Line<'_>], entries: &[TimelineEntry]) -> bool {
    section_lines.iter().all(|l| l.blank || is_prose(l))
        && !entries.is_empty()
        && entries.iter().all(|e| {
            // The lines are in order of their numbers.
            section_lines
                .binary_search_by_key(&e.line, |l| l.no)
                .ok()
                .and_then(|k| {
                    let l = &section_lines[k];
                    let t = l.text.trim_start().trim_start_matches(['*', '_']);
                    let (word, _) = t.split_once(' ')?;
                    Some(leads_a_clause_to_its_time(&word.to_ascii_lowercase()))
                })
                .unwrap_or(false)
        })
}

/// The sentences of a paragraph, each with its byte offset: a sentence ends at `.`, `!` or `?`
/// followed by a space and a capital, a digit or emphasis, unless the word it ends is an
/// abbreviation ("a.m.", "e.g.", "approx.").
fn sentences(p: &str) -> Vec<(usize, &str)> {
    let b = p.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    for i in 0..b.len() {
        if !matches!(b[i], b'.' | b'!' | b'?') || b.get(i + 1) != Some(&b' ') {
            continue;
        }
        let next = p[i + 1..].trim_start();
        let capital = next
            .chars()
            .next()
            .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit() || matches!(c, '*' | '_'));
        let word = p[start..i].rsplit(' ').next().unwrap_or("");
        // A single letter is an initial ("J. Smith"); a single digit ends a sentence ("from 32
        // to 2. At 16:48 ...").
        let abbreviation = b[i] == b'.'
            && (word.is_empty()
                || (word.len() == 1 && !word.as_bytes()[0].is_ascii_digit())
                || word.contains('.')
                || matches!(
                    word.to_ascii_lowercase().as_str(),
                    "approx" | "vs" | "ca" | "no"
                ));
        if capital && !abbreviation {
            out.push((start, &p[start..=i]));
            start = p.len() - next.len();
        }
    }
    if start < p.len() {
        out.push((start, &p[start..]));
    }
    out
}

/// The lines of a section with its fenced code blocks opened: the fences dropped and the lines
/// inside read as any other (an HTML comment stays hidden). A timeline pasted as a log, one
/// stamped line per entry inside a code block, is read from these.
pub fn unfenced<'a>(section_lines: &[Line<'a>]) -> Vec<Line<'a>> {
    let mut inside = false;
    let mut out = Vec::with_capacity(section_lines.len());
    for l in section_lines {
        let t = l.text.trim_start();
        if l.code && (t.starts_with("```") || t.starts_with("~~~")) {
            inside = !inside;
            continue;
        }
        out.push(Line {
            code: l.code && !inside,
            ..*l
        });
    }
    out
}

/// A timeline whose lines open with four-digit clock times and no zone ("0640  Broker disk
/// full", under "TIMELINE (UTC)"), each such line written with its time's colon ("06:40  Broker
/// disk full"), as `(line number, text)`. `None` unless three lines at least open so, their
/// times in order (past midnight once at most), and not all of them could be years.
pub fn colon_times(section_lines: &[Line<'_>]) -> Option<Vec<(usize, String)>> {
    let mut out = Vec::with_capacity(section_lines.len());
    let mut times = Vec::new();
    for l in section_lines {
        let t = l.text.trim_start();
        let marker = if l.code {
            None
        } else {
            ["- ", "* ", "+ ", ""]
                .into_iter()
                .find(|m| t.starts_with(m))
        };
        let opened = marker.and_then(|m| {
            let rest = &t[m.len()..];
            let digits = rest.get(..4)?;
            let after = &rest[4..];
            let separated = after.starts_with([' ', '\t', '-', '–', '—'])
                || (after.starts_with(':')
                    && !after[1..].starts_with(|c: char| c.is_ascii_digit()));
            if !separated || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            let v: u32 = digits.parse().ok()?;
            time::military_time(v)?;
            Some((m, v, after))
        });
        match opened {
            Some((m, v, after)) => {
                times.push(v);
                out.push((l.no, format!("{m}{:02}:{:02}{after}", v / 100, v % 100)));
            }
            None => out.push((l.no, l.text.to_string())),
        }
    }
    let wraps = times.windows(2).filter(|w| w[1] < w[0]).count();
    let all_years = times.iter().all(|v| (1900..=2100).contains(v));
    (times.len() >= 3 && wraps <= 1 && !all_years).then_some(out)
}

/// The lines with their blockquote marks taken off (`> 14:15 deploy` is `14:15 deploy`): a
/// timeline section that quotes its whole timeline. Lines not quoted are kept as they are.
pub fn unquoted<'a>(section_lines: &[Line<'a>]) -> Vec<Line<'a>> {
    section_lines
        .iter()
        .map(|l| {
            let t = l.text.trim_start();
            match t.strip_prefix('>').filter(|_| !l.code) {
                Some(rest) => Line::new(l.no, rest.strip_prefix(' ').unwrap_or(rest), false),
                None => *l,
            }
        })
        .collect()
}

/// Reads entries from the lines of one timeline section.
pub fn extract(section_lines: &[Line<'_>], clock: &mut Clock) -> Extracted {
    let mut entries: Vec<TimelineEntry> = Vec::new();
    let mut leftover: Vec<&str> = Vec::new();
    let mut cur: Option<Builder> = None;
    let mut prev_blank = true;
    // Unconsumed text since the last blank line: status-page blocks put the stamp after it.
    let mut pending: Vec<(usize, String)> = Vec::new();
    // The paragraphs of such text before the last blank line: a stamp standing alone after
    // them (`{{< track "..." >}}` on a line of its own) ends those since the last entry.
    let mut paragraphs: Vec<(usize, String)> = Vec::new();
    // A lead-in ending with a colon, then only blank lines: a time standing alone after it
    // answers it ("* When was the issue detected:" / "2:17 PM (GMT)").
    let mut lead_in: Option<(usize, String)> = None;

    fn flush(cur: &mut Option<Builder>, entries: &mut Vec<TimelineEntry>) {
        // A day heading that only led to timed entries is no entry of its own.
        let bare_day =
            |b: &Builder| b.text.is_empty() && b.at.as_ref().is_some_and(|a| a.time.is_none());
        if let Some(b) = cur.take().filter(|b| !bare_day(b)) {
            entries.push(entry(b.at, b.text, b.line));
        }
    }

    let mut i = 0;
    while i < section_lines.len() {
        let line = section_lines[i];
        i += 1;
        let raw = line.text;
        if line.code {
            // Evidence quoted in a status update (a log under "[Initial Message]") leaves the
            // update open: what follows it is still the update's.
            if !cur.as_ref().is_some_and(|b| b.takes_paragraphs) {
                flush(&mut cur, &mut entries);
            }
            leftover.push(raw);
            prev_blank = false;
            continue;
        }
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            leftover_blank(&mut leftover);
            if let [(no, text)] = pending.as_slice()
                && text.ends_with(':')
            {
                lead_in = Some((*no, text.clone()));
            }
            paragraphs.append(&mut pending);
            prev_blank = true;
            continue;
        }
        let lead_in = if prev_blank { lead_in.take() } else { None };
        // A rule, or a status page's update header without a time ("[Initial Message]"):
        // what follows is no longer the entry before.
        if lines::is_thematic_break(trimmed) || unstamped_update_header(trimmed) {
            flush(&mut cur, &mut entries);
            pending.clear();
            leftover.push(raw);
            prev_blank = false;
            continue;
        }
        // Tables: read the whole block.
        if trimmed.starts_with('|') {
            flush(&mut cur, &mut entries);
            let start = i - 1;
            let end = lines::table_end(section_lines, start);
            let block = &section_lines[start..end];
            let got = table_entries(block, clock);
            if got.is_empty() {
                leftover.extend(block.iter().map(|l| l.text));
            } else {
                entries.extend(got);
            }
            i = end;
            prev_blank = false;
            continue;
        }
        // A zone declaration: "All times in CET.", "_Times are UTC_". (Not an entry whose
        // text says "time": "- 14:05 UTC: connection timeouts start", nor one labelled so:
        // "**Detection Time:** January 25, 2024 10:30 AM UTC".)
        // Nor a day with the zone beside it: "### Day 1 — 2 December 2024 (all times GMT)".
        let item = lines::atx(trimmed)
            .map(|(_, t)| t)
            .or_else(|| lines::list_item(trimmed).map(|(_, _, rest)| rest))
            .unwrap_or(trimmed);
        if leading_stamp(item).is_none()
            && labelled_stamp(item).is_none()
            && introduced(item).is_none()
            && let Some(z) = zone_declaration(trimmed)
        {
            clock.zone = Some(z);
            // "All times UTC on 14 May 2024.": the day it names is the entries' until one
            // of them names another.
            if clock.date.is_none()
                && let Some(day) = time::scan(trimmed).iter().find_map(|f| {
                    let d = f.pieces.date?;
                    Date::new(d.year?, d.month, d.day)
                })
            {
                clock.date = Some(day);
                clock.year = Some(day.year);
            }
            leftover.push(raw);
            prev_blank = false;
            continue;
        }
        // Several entries in one paragraph, separated by <br>.
        let split = split_br(trimmed);
        let whole = [trimmed];
        let parts: &[&str] = split.as_deref().unwrap_or(&whole);
        let heading = lines::atx(raw).map(|(_, t)| t.to_string());
        let is_heading = heading.is_some();
        for (pi, part) in parts.iter().enumerate() {
            let (indent, content, bulleted) =
                match lines::list_item(if pi == 0 { raw } else { part }) {
                    Some((ind, _, rest)) => (ind, rest.trim(), true),
                    None => (raw.len() - raw.trim_start().len(), part.trim(), false),
                };
            let content = heading.as_deref().unwrap_or(content);
            let content = content
                .strip_prefix("[ ] ")
                .or_else(|| content.strip_prefix("[x] "))
                .unwrap_or(content);
            // In a timeline: "By 14:40 the fix was out" (what stood by then, at then), and "- On
            // March 5 at 23:40, the backup failed", an item opening with its day and time.
            // (Neither makes a text a timeline: paragraphs opening so are as often prose.)
            let lead = leading_stamp(content).or_else(|| {
                if let Some(rest) = content
                    .strip_prefix("By ")
                    .or_else(|| content.strip_prefix("by "))
                {
                    return leading_stamp(rest).filter(|(p, _)| p.time.is_some());
                }
                let rest = content
                    .strip_prefix("On ")
                    .or_else(|| content.strip_prefix("on "))
                    .filter(|_| bulleted)?;
                leading_stamp(rest).filter(|(p, _)| p.date.is_some() && p.time.is_some())
            });
            // A line that is only a stamp: a date heading ("## May 12", "2019-1-17",
            // "**Monday, March 4**") or a time that the text around it belongs to.
            let lone = match &lead {
                Some((p, rest)) => alone(p, rest, &mut clock.zone),
                None => introduced(content).and_then(|(p, rest)| alone(&p, rest, &mut clock.zone)),
            };
            // "Day 2 (Tuesday)" alone over the entries of the incident's second day, or
            // "### Monday" over that day's: the clock moves on to it.
            let counted = lone.is_none().then(|| day_marker(content)).flatten();
            let weekday = (lone.is_none() && counted.is_none() && !bulleted)
                .then(|| weekday_alone(content))
                .flatten();
            if counted.is_some() || weekday.is_some() {
                flush(&mut cur, &mut entries);
                if let Some(n) = counted {
                    clock.count_day(n);
                }
                if let Some(w) = weekday {
                    clock.on_weekday(w);
                }
                pending.clear();
                leftover.push(raw);
                continue;
            }
            if let Some(p) = lone {
                if p.time.is_none() && p.date.is_some() && !p.unknown {
                    flush(&mut cur, &mut entries);
                    let day = clock.resolve(&p);
                    pending.clear();
                    // Text under the day with no time of its own is that day's entry.
                    cur = Some(Builder::new(Some(day), "", line.no, true, indent));
                    continue;
                }
                if p.time.is_some() || p.unknown {
                    // A ticket's comment header heads the comment under it, never the text
                    // above it.
                    if comment_header(update_opening(content)).is_some() {
                        pending.clear();
                    }
                    // A lone stamp after text: that text is the entry (status-page style).
                    if !pending.is_empty() && !is_heading {
                        flush(&mut cur, &mut entries);
                        let at = (!p.unknown).then(|| clock.resolve(&p));
                        let text = pending
                            .iter()
                            .map(|(_, t)| t.as_str())
                            .collect::<Vec<_>>()
                            .join("\n");
                        let first_line = pending[0].0;
                        let n = pending.len();
                        for _ in 0..n {
                            leftover.pop();
                        }
                        pending.clear();
                        entries.push(entry(at, text, first_line));
                        continue;
                    }
                    flush(&mut cur, &mut entries);
                    let at = (!p.unknown).then(|| clock.resolve(&p));
                    if let Some((no, text)) = lead_in.as_ref().filter(|_| !is_heading) {
                        if leftover.last().is_some_and(|l| l.trim().is_empty()) {
                            leftover.pop();
                        }
                        leftover.pop();
                        entries.push(entry(at, text.clone(), *no));
                        continue;
                    }
                    cur = Some(Builder::new(at, "", line.no, true, indent));
                    continue;
                }
            }
            // "### October 21, 2025 - Redis overload" over that day's timed entries: a day
            // heading with a title, not an entry.
            if let Some((p, _)) = lead.as_ref().filter(|(p, _)| {
                is_heading
                    && p.time.is_none()
                    && p.date.is_some()
                    && !p.unknown
                    && timed_entries_follow(&section_lines[i..])
            }) {
                flush(&mut cur, &mut entries);
                pending.clear();
                // The prose under it tells of the day; only its timed entries are entries.
                cur = Some(Builder::new(
                    Some(clock.resolve(p)),
                    "",
                    line.no,
                    false,
                    indent,
                ));
                leftover.push(raw);
                continue;
            }
            // "### October 24, 2025 - Rate limiting" closing the section, with at most the
            // incident's facts under it ("**Duration:** 18:00 to 19:12 UTC"): it heads what
            // follows the section, not an event of it.
            if is_heading
                && lead
                    .as_ref()
                    .is_some_and(|(p, _)| p.time.is_none() && p.date.is_some() && !p.unknown)
                && heads_nothing_here(&section_lines[i..])
            {
                // It and the facts under it stay text.
                flush(&mut cur, &mut entries);
                pending.clear();
                leftover.push(raw);
                leftover.extend(section_lines[i..].iter().map(|l| l.text));
                i = section_lines.len();
                continue;
            }
            if let Some((p, rest)) = lead
                && (p.time.is_some() || p.unknown || (p.date.is_some() && !rest.is_empty()))
            {
                flush(&mut cur, &mut entries);
                pending.clear();
                let at = (!p.unknown).then(|| clock.resolve(&p));
                cur = Some(Builder::new(at, clean_text(rest), line.no, false, indent));
                continue;
            }
            // "**Issue detected:** July 29, 09:00 AM (UTC)", "Escalation: 14:30 UTC. Database
            // team paged": a label, then the time, then what happened.
            if !is_heading && let Some((at, text)) = labelled_stamp(content) {
                flush(&mut cur, &mut entries);
                pending.clear();
                cur = Some(Builder::new(
                    Some(clock.resolve(&at)),
                    &text,
                    line.no,
                    false,
                    indent,
                ));
                continue;
            }
            // Inside an update that a header stamped, a time at a line's end is part of its
            // text ("We plan to do it starting at 08:00 UTC").
            // Nor when a time alone on the next line closes the update: "Resolved - Normal since
            // 15:42 UTC." over "Mar 21, 2025 - 16:05 UTC".
            let in_update = cur.as_ref().is_some_and(|b| b.takes_paragraphs) && !is_heading;
            if !in_update
                && let Some((p, text)) = trailing_stamp(content)
                && !lone_stamp_follows(&section_lines[i..])
            {
                flush(&mut cur, &mut entries);
                let at = Some(clock.resolve(&p));
                // The paragraph the stamp ends is the entry; a stamp alone on its line ends the
                // paragraphs above it, since the last entry.
                let alone = text.trim().is_empty() && pending.is_empty();
                // "- Incident not declared" over "- Repaired 2021-05-10 16:48": an item of its
                // own above an item stamped at its end is no part of it, and stays text.
                let items_above = bulleted
                    && pending.iter().any(|(no, _)| {
                        section_lines[..i]
                            .iter()
                            .rev()
                            .find(|l| l.no == *no)
                            .is_some_and(|l| lines::list_item(l.text).is_some())
                    });
                let taken = if alone {
                    let last_entry = entries.last().map_or(0, |e| e.line);
                    let mut above = std::mem::take(&mut paragraphs);
                    above.retain(|(no, _)| *no > last_entry);
                    above
                } else if items_above {
                    pending.clear();
                    Vec::new()
                } else {
                    std::mem::take(&mut pending)
                };
                // Their lines were the last kept as text (apart by blank lines, when above):
                // one for each line, however many `<br>` parts it had.
                let mut lines_left = taken
                    .iter()
                    .map(|(no, _)| *no)
                    .collect::<std::collections::BTreeSet<_>>()
                    .len();
                while lines_left > 0
                    && let Some(l) = leftover.pop()
                {
                    if !l.trim().is_empty() {
                        lines_left -= 1;
                    }
                }
                let first_line = taken.first().map_or(line.no, |(no, _)| *no);
                let mut whole = String::new();
                for (_, t) in &taken {
                    whole.push_str(t);
                    whole.push(' ');
                }
                whole.push_str(clean_text(text).as_ref());
                cur = Some(Builder::new(at, &whole, first_line, false, indent));
                continue;
            }
            // No stamp: a continuation, an entry with an unknown time, or a remark. Under a
            // day heading, each item is an entry of that day.
            let day = cur
                .as_ref()
                .and_then(|b| b.at.clone())
                .filter(|a| a.time.is_none() && bulleted);
            if let Some(day) = day {
                if cur.as_ref().is_some_and(|b| b.text.is_empty()) {
                    if let Some(b) = cur.as_mut() {
                        b.push(clean_text(content).as_ref());
                        b.takes_paragraphs = false;
                        b.line = line.no;
                        b.indent = indent;
                    }
                } else {
                    flush(&mut cur, &mut entries);
                    cur = Some(Builder::new(
                        Some(day),
                        clean_text(content),
                        line.no,
                        false,
                        indent,
                    ));
                }
                prev_blank = false;
                continue;
            }
            let continues = match &cur {
                Some(b) => {
                    (b.takes_paragraphs && !is_heading)
                        || (!prev_blank && !bulleted)
                        || (bulleted && indent > b.indent)
                }
                None => false,
            };
            if continues {
                if let Some(b) = cur.as_mut() {
                    b.push(clean_text(content));
                }
            } else if bulleted
                && indent == 0
                && (!entries.is_empty() || cur.is_some())
                && !is_label_line(content)
                && !heads_indented_entries(&section_lines[i..])
            {
                flush(&mut cur, &mut entries);
                // "Support forwarded the ticket to the SRE team at 3:17 PM": an item among
                // stamped ones that tells its time within its sentence is at that time.
                let at = told_time(content).map(|pc| clock.resolve(&pc));
                cur = Some(Builder::new(
                    at,
                    clean_text(content),
                    line.no,
                    false,
                    indent,
                ));
            } else {
                flush(&mut cur, &mut entries);
                if pi == 0 {
                    leftover.push(raw);
                }
                pending.push((line.no, clean_text(content).to_string()));
            }
        }
        prev_blank = false;
    }
    flush(&mut cur, &mut entries);
    Extracted {
        entries,
        leftover: lines::join_trimmed(leftover),
    }
}

/// Whether a word leads to the time after it: "at 14:05", "since 14h00", "by 3:17 PM".
fn leads_to_a_time(word: &str) -> bool {
    ["at", "on", "since", "from", "by", "around", "about"]
        .iter()
        .any(|w| word.eq_ignore_ascii_case(w))
}

/// The clock time a sentence tells its event at ("forwarded the ticket at 3:17 PM Eastern
/// time"): its first time, when a word that leads to a time stands before it.
fn told_time(content: &str) -> Option<Pieces> {
    if !time::may_hold_clock(content) {
        return None;
    }
    let found = time::scan(content);
    let first = found.iter().find(|f| f.pieces.time.is_some())?;
    content[..first.start]
        .split_whitespace()
        .next_back()
        .is_some_and(leads_to_a_time)
        .then(|| first.pieces.clone())
}

/// Whether entries with a time follow before the next `#` heading: the lines under a dated
/// heading are that day's.
/// "**Duration:** 21:45 to 23:28 UTC": a label stating the incident's span or day, not an event.
fn states_a_span(line: &str) -> bool {
    lines::split_label(line).is_some_and(|(k, _)| names_a_span(&k))
}

/// A label whose value is the incident's span, length or day ("Duration", "Date", "Time to
/// resolve").
fn names_a_span(label: &str) -> bool {
    matches!(
        vocab::meta_label(label),
        Some(
            vocab::MetaLabel::Duration
                | vocab::MetaLabel::Date
                | vocab::MetaLabel::TimeToResolve
                | vocab::MetaLabel::TimeTo(_)
        )
    )
}

/// Whether the lines after a heading hold nothing but the incident's facts ("**Duration:** ...",
/// "**Impact:** ..."), or nothing at all.
fn heads_nothing_here(after: &[Line<'_>]) -> bool {
    after.iter().filter(|l| !l.blank).all(|l| {
        !l.code
            && lines::split_label(l.text).is_some_and(|(k, _)| {
                vocab::meta_label(&k).is_some()
                    || vocab::section_kind(&k, vocab::Strictness::Explicit).is_some()
            })
    })
}

/// Whether the next line with text is a time alone, closing the update above it.
fn lone_stamp_follows(after: &[Line<'_>]) -> bool {
    after
        .iter()
        .find(|l| !l.blank)
        .is_some_and(|l| match leading_stamp(l.text.trim()) {
            Some((p, rest)) => !l.code && p.time.is_some() && only_punctuation(rest),
            None => false,
        })
}

fn timed_entries_follow(after: &[Line<'_>]) -> bool {
    after
        .iter()
        .filter(|l| !l.code && !l.blank)
        .take_while(|l| lines::atx(l.text).is_none())
        .any(|l| {
            let t = lines::list_item(l.text).map_or(l.text, |(_, _, rest)| rest);
            leading_stamp(t.trim()).is_some_and(|(p, _)| p.time.is_some())
        })
}

/// An entry written as a label and its time: "**Issue detected:** 14:05 UTC" is "Issue
/// detected" at 14:05, and "Escalation: 14:30 UTC. Database team paged" is "Escalation:
/// Database team paged" at 14:30.
fn labelled_stamp(content: &str) -> Option<(Pieces, String)> {
    let (p, label, rest) = match bracketed_stamp(content) {
        Some(found) => found,
        None => {
            let (label, value) = lines::split_label(content)?;
            // "Duration: 21:45 to 23:28 UTC" states a span, not an event.
            if names_a_span(&label) {
                return None;
            }
            let (p, rest) = leading_stamp(value.trim_start())?;
            (p, label.trim().to_string(), rest)
        }
    };
    if p.time.is_none() || p.unknown {
        return None;
    }
    let rest = clean_text(rest);
    let text = if rest.is_empty() {
        label
    } else {
        format!("{label}: {rest}")
    };
    Some((p, text))
}

/// "**Escalation (November 10, 2023, 9:30 PM)**: text": a label of a few words with its time
/// in brackets, then what happened. The time, the label and the text.
fn bracketed_stamp(content: &str) -> Option<(Pieces, String, &str)> {
    let t = content.trim_start();
    let (mark, body) = match t.get(..2) {
        Some(m @ ("**" | "__")) => (m, &t[2..]),
        _ => ("", t),
    };
    let close = memchr::memchr(b')', body.as_bytes())?;
    let open = body[..close].rfind('(')?;
    let label = body[..open].trim();
    if label.is_empty() || label.split_whitespace().nth(5).is_some() || label.contains(':') {
        return None;
    }
    let (p, after) = leading_stamp(&body[open + 1..close])?;
    if !after.trim().is_empty() {
        return None;
    }
    let tail = body[close + 1..].trim_start();
    let tail = tail.strip_prefix(mark).unwrap_or(tail).trim_start();
    let rest = tail.strip_prefix(':')?;
    Some((p, lines::strip_emphasis(label), rest))
}

/// `[Initial Message]`, `[Update]`: a bracketed header of a few words and no time.
fn unstamped_update_header(t: &str) -> bool {
    t.strip_prefix('[')
        .and_then(|r| r.strip_suffix(']'))
        .is_some_and(|inner| {
            (1..=3).contains(&inner.split_whitespace().count())
                && inner.chars().all(|c| c.is_alphabetic() || c == ' ')
        })
}

/// Whether the lines after an item (past blank lines) are indented entries that it heads, as
/// "* actions taken" heads the timed lines under it: a group's label, not an entry.
fn heads_indented_entries(after: &[Line<'_>]) -> bool {
    after
        .iter()
        .find(|l| !l.blank)
        .is_some_and(|l| l.text.starts_with([' ', '\t']) && leading_stamp(l.text.trim()).is_some())
}

/// `**Time to repair**: 6h`, `Owner: x`: a labelled fact, not an event.
fn is_label_line(s: &str) -> bool {
    s.starts_with("**") && lines::split_label(s).is_some()
}

fn leftover_blank(leftover: &mut Vec<&str>) {
    if leftover.last().is_some_and(|l| !l.trim().is_empty()) {
        leftover.push("");
    }
}

/// The parts of a paragraph joined with `<br>`; `None` when there is no `<br>` (the paragraph is
/// its one part).
fn split_br(s: &str) -> Option<Vec<&str>> {
    if !s.contains('<') || !crate::text::contains_ci(s, "<br") {
        return None;
    }
    let lower = s.to_ascii_lowercase();
    let mut parts = Vec::new();
    let mut start = 0;
    let mut from = 0;
    while let Some(pos) = lower[from..].find("<br") {
        let at = from + pos;
        let close = lower[at..].find('>').map_or(at + 3, |c| at + c + 1);
        parts.push(&s[start..at]);
        start = close;
        from = close;
    }
    parts.push(&s[start..]);
    Some(parts.into_iter().filter(|p| !p.trim().is_empty()).collect())
}

/// Tidies an entry's text: drops emphasis markers left around a stamp and leading separators.
fn clean_text(s: &str) -> &str {
    let t = s.trim();
    let t = t.trim_start_matches(|c: char| {
        matches!(c, '-' | '–' | '—' | ':' | '|' | '>' | '→') || c.is_whitespace()
    });
    if !t.ends_with('>') {
        return t;
    }
    t.trim_end_matches("<br>").trim_end_matches("<br/>").trim()
}
/// A timeline table's header naming the column of when each row began ("Start", "Start time").
/// Not "From", which in a table of messages names the sender.
const START_COLUMN: [&str; 4] = ["start", "started", "begin", "began"];
/// One naming when each row ended ("End", "End time", "Until").
const END_COLUMN: [&str; 6] = ["end", "ended", "until", "finish", "finished", "stop"];

/// Reads a table: the time column(s) from the header or the cells, the rest as text.
fn table_entries(block: &[Line<'_>], clock: &mut Clock) -> Vec<TimelineEntry> {
    let rows: Vec<(usize, Vec<&str>)> = block
        .iter()
        .filter(|l| !lines::is_table_separator(l.text))
        .filter_map(|l| lines::table_cells(l.text).map(|c| (l.no, c)))
        .collect();
    if rows.is_empty() {
        return Vec::new();
    }
    let has_header = block
        .get(1)
        .is_some_and(|l| lines::is_table_separator(l.text));
    let (header, body) = if has_header {
        (Some(&rows[0].1), &rows[1..])
    } else {
        (None, &rows[..])
    };
    let width = rows.iter().map(|r| r.1.len()).max().unwrap_or(0);
    let mut date_col = None;
    let mut time_cols: Vec<usize> = Vec::new();
    let mut skip_cols: Vec<usize> = Vec::new();
    // The column saying what happened, read first when others (who, source) stand before it.
    let mut event_col = None;
    // A column of when each row's event ended ("| Start | End | Event |"): the row's time is
    // its start, and the end stays with its text.
    let mut end_col = None;
    // A column of each row's zone ("| Date | Time | Zone | Event |").
    let mut zone_col = None;
    if let Some(h) = header {
        for (ci, cell) in h.iter().enumerate() {
            let l = cell.to_ascii_lowercase();
            let normalized = super::vocab::normalize(&l);
            if matches!(
                normalized.as_str(),
                "zone" | "time zone" | "timezone" | "tz"
            ) {
                zone_col = Some(ci);
                continue;
            }
            let first_word = normalized.split(' ').next().unwrap_or("");
            if END_COLUMN.contains(&first_word) && normalized.split(' ').count() <= 2 {
                end_col = Some(ci);
                if let Some(z) = time::declared_zone(cell) {
                    clock.zone.get_or_insert(z);
                }
                continue;
            }
            if START_COLUMN.contains(&first_word) && normalized.split(' ').count() <= 2 {
                time_cols.push(ci);
                if let Some(z) = time::declared_zone(cell) {
                    clock.zone = Some(z);
                }
                continue;
            }
            if event_col.is_none()
                && matches!(
                    super::vocab::normalize(&l).as_str(),
                    "what"
                        | "what happened"
                        | "event"
                        | "events"
                        | "description"
                        | "details"
                        | "action"
                        | "actions"
                        | "activity"
                        | "update"
                        | "message"
                )
            {
                event_col = Some(ci);
            }
            // A weekday column ("Thur") says nothing the date does not, nor does a row's
            // number.
            if matches!(
                l.trim(),
                "day" | "weekday" | "day of week" | "#" | "no" | "no." | "nr" | "nr." | "seq"
            ) {
                skip_cols.push(ci);
                continue;
            }
            if l.contains("time")
                || l.contains("when")
                || l == "date"
                || l.contains("date") && !l.contains("update")
                || l.contains("timestamp")
            {
                if l.trim() == "date" {
                    date_col = Some(ci);
                } else {
                    time_cols.push(ci);
                }
                if let Some(z) = time::declared_zone(cell) {
                    clock.zone = Some(z);
                }
            }
        }
    }
    if time_cols.is_empty() && date_col.is_none() {
        // Find the first column whose cells mostly start with a stamp.
        for ci in 0..width {
            let hits = body
                .iter()
                .filter(|(_, r)| r.get(ci).is_some_and(|c| leading_stamp(c).is_some()))
                .count();
            if hits * 2 > body.len().max(1) {
                time_cols.push(ci);
                break;
            }
        }
    }
    if time_cols.is_empty() && date_col.is_none() {
        return Vec::new();
    }
    let mut out = Vec::new();
    for (no, row) in body {
        let mut pieces = Pieces::default();
        if let Some(dc) = date_col
            && let Some((p, _)) = row.get(dc).and_then(|c| leading_stamp(c))
        {
            pieces = p;
        }
        for &tc in &time_cols {
            if let Some((p, _)) = row.get(tc).and_then(|c| leading_stamp(c)) {
                if p.date.is_some() {
                    pieces.date = p.date;
                }
                if p.time.is_some() {
                    pieces.time = p.time;
                }
                if p.zone.is_some() {
                    pieces.zone = p.zone;
                }
                pieces.counted_day = p.counted_day.or(pieces.counted_day);
                pieces.approximate |= p.approximate;
                pieces.unknown |= p.unknown;
            }
        }
        if pieces.zone.is_none()
            && let Some(zone) = zone_col
                .and_then(|zc| row.get(zc))
                .and_then(|c| time::parse_zone_label(c.trim()))
        {
            pieces.zone = Some(zone);
        }
        let event_first = event_col
            .and_then(|ec| row.get(ec).map(|c| (ec, c)))
            .into_iter()
            .chain(
                row.iter()
                    .enumerate()
                    .filter(|(ci, _)| Some(*ci) != event_col),
            );
        let text: Vec<String> = event_first
            .filter(|(ci, c)| {
                !time_cols.contains(ci)
                    && !skip_cols.contains(ci)
                    && Some(*ci) != date_col
                    && Some(*ci) != end_col
                    && Some(*ci) != zone_col
                    && !c.is_empty()
                    // An empty cell written as a dash.
                    && !matches!(**c, "-" | "–" | "—" | "n/a" | "N/A")
            })
            .map(|(_, c)| {
                if c.contains('<') {
                    c.replace("<br>", "\n")
                        .replace("<br/>", "\n")
                        .replace("<br />", "\n")
                } else {
                    c.to_string()
                }
            })
            .collect();
        // `entry` tidies the lines the <br>s became.
        let mut text = text.join(" — ");
        // "13:02 | 13:40 | Latency above 200 ms": the end, when it is not the start again.
        if let Some(end) = end_col.and_then(|ec| row.get(ec)).map(|c| c.trim())
            && !matches!(end, "" | "-" | "–" | "—" | "n/a" | "N/A")
            && time_cols
                .iter()
                .all(|&tc| row.get(tc).map(|c| c.trim()) != Some(end))
        {
            text = format!("{text} (until {end})");
        }
        if text.trim().is_empty() && pieces.time.is_none() && pieces.date.is_none() {
            continue;
        }
        let at = if pieces.time.is_some() || pieces.date.is_some() {
            Some(clock.resolve(&pieces))
        } else {
            None
        };
        out.push(entry(at, text, *no));
    }
    out
}

/// Whether an entry's text is a template's example of one, not an event: "Short event
/// description.", "<description>", "Describe what happened".
pub fn template_example(text: &str) -> bool {
    let t = text.trim_matches(|c: char| !c.is_alphanumeric());
    t.len() <= 40
        && [
            "short event description",
            "event description",
            "description of the event",
            "description of event",
            "short description",
            "description",
            "describe the event",
            "describe what happened",
            "what happened",
        ]
        .iter()
        .any(|x| t.eq_ignore_ascii_case(x))
}

/// Whether a list runs newest first (a status page's updates): more neighbours in descending
/// order than ascending, at least two.
fn newest_first(entries: &[TimelineEntry]) -> bool {
    let known: Vec<i64> = entries
        .iter()
        .filter_map(|e| e.at.as_ref().and_then(Stamp::sort_key))
        .collect();
    let asc = known.windows(2).filter(|w| w[1] > w[0]).count();
    let desc = known.windows(2).filter(|w| w[1] < w[0]).count();
    desc > asc && desc >= 2
}

/// The order (indexes into `entries`) that puts them in time order, `None` when they are: an
/// entry without a time stays after the entry it followed, and so does a day without a time
/// ("2022-02-02 X: ...") after a time on that day (its time is unknown, not midnight).
fn by_time(entries: &[TimelineEntry]) -> Option<Vec<usize>> {
    let mut effective = Vec::with_capacity(entries.len());
    let mut last = i64::MIN;
    for e in entries {
        if let Some(k) = e.at.as_ref().and_then(Stamp::sort_key) {
            let same_day_untimed = e.at.as_ref().is_some_and(|a| a.time.is_none())
                && last != i64::MIN
                && last.div_euclid(86_400) == k.div_euclid(86_400);
            if !same_day_untimed {
                last = k;
            }
        }
        effective.push(last);
    }
    if effective.windows(2).all(|w| w[0] <= w[1]) {
        return None;
    }
    let mut idx: Vec<usize> = (0..entries.len()).collect();
    idx.sort_by_key(|&i| effective[i]);
    Some(idx)
}

/// Puts entries in time order for reading the story they tell, and mends the days written wrong
/// across midnight or by a slip of the pen. A list written newest first is reversed; an entry
/// without a time stays after the entry it followed. Notes where the document lists entries
/// out of order, and returns, for each entry in its new place, its place in the document: the
/// record keeps the document's order (see [`as_written`]).
pub fn order(entries: &mut Vec<TimelineEntry>, notes: &mut Vec<Note>) -> Vec<usize> {
    let mut written: Vec<usize> = (0..entries.len()).collect();
    if newest_first(entries) {
        entries.reverse();
        written.reverse();
        let first = entries.last().map_or(0, |e| e.line);
        notes.push(Note::new(
            "timeline-newest-first",
            first,
            "the timeline is listed newest first; it is read oldest first, and kept as written",
        ));
    }
    midnight_misdated(entries, notes);
    day_misdated(entries, notes);
    if let Some(idx) = by_time(entries) {
        let moved: Vec<usize> = idx
            .iter()
            .enumerate()
            .filter(|(pos, i)| *pos != **i)
            .map(|(_, i)| entries[*i].line)
            .collect();
        let mut slots: Vec<Option<TimelineEntry>> =
            std::mem::take(entries).into_iter().map(Some).collect();
        entries.extend(idx.iter().filter_map(|&i| slots[i].take()));
        written = idx.iter().map(|&i| written[i]).collect();
        if let Some(&line) = moved.first() {
            notes.push(Note::new(
                "timeline-reordered",
                line,
                format!(
                    "{} timeline entries are listed out of chronological order; they are read in time order, and kept as written",
                    moved.len()
                ),
            ));
        }
    }
    written
}

/// Puts entries [`order`] read in time order back in the document's order (`written` is what
/// it returned for them).
pub fn as_written(entries: Vec<TimelineEntry>, written: &[usize]) -> Vec<TimelineEntry> {
    let mut paired: Vec<(usize, TimelineEntry)> = written.iter().copied().zip(entries).collect();
    paired.sort_by_key(|(i, _)| *i);
    paired.into_iter().map(|(_, e)| e).collect()
}

/// The timeline in time order, for what reads it as the incident's story (its instants, its
/// gaps): oldest first, with an entry without a time after the entry it followed. Borrowed when
/// the document lists it in order already, as nearly all do.
pub fn chronological(entries: &[TimelineEntry]) -> Cow<'_, [TimelineEntry]> {
    let mut out = Cow::Borrowed(entries);
    if newest_first(&out) {
        out.to_mut().reverse();
    }
    if let Some(idx) = by_time(&out) {
        let sorted = idx.into_iter().map(|i| out[i].clone()).collect();
        out = Cow::Owned(sorted);
    }
    out
}

/// Entries whose year is a slip of the pen: "Incident declared 2020-06-09 13:54" in the report of
/// an incident on 2021-06-09. A date a year away from the incident's date (the one `stated` in
/// the title or the document's labels, else the middle one of the timeline's) that, in that
/// year, falls within six weeks of it takes that year, with a note.
pub fn year_slips(entries: &mut [TimelineEntry], stated: Option<Date>, notes: &mut Vec<Note>) {
    // Within six weeks of the incident once corrected; as written, nearly a year away from it.
    const NEAR_DAYS: i64 = 42;
    const FAR_DAYS: i64 = 300;
    let doc_date = match stated {
        Some(d) => d,
        None => {
            let mut dates: Vec<Date> = entries.iter().filter_map(|e| e.at.as_ref()?.date).collect();
            if dates.len() < 3 {
                return;
            }
            dates.sort_unstable();
            dates[dates.len() / 2]
        }
    };
    let doc_day = doc_date.days_since_epoch();
    for e in entries.iter_mut() {
        let Some(at) = e.at.as_mut() else { continue };
        let Some(date) = at.date else { continue };
        if (date.year - doc_date.year).abs() != 1 {
            continue;
        }
        let Some(fixed) = Date::new(doc_date.year, date.month, date.day) else {
            continue;
        };
        if (fixed.days_since_epoch() - doc_day).abs() > NEAR_DAYS
            || (date.days_since_epoch() - doc_day).abs() < FAR_DAYS
        {
            continue;
        }
        at.date = Some(fixed);
        at.settle_zone();
        notes.push(Note::new(
            "timeline-year-corrected",
            e.line,
            format!(
                "the entry is dated {date}, a year away from the incident's {doc_date}; it was read as {fixed}. Correct the year in the document"
            ),
        ));
    }
}

/// The indexes of the entries with a date and a time, in the entries' order.
fn dated_and_timed(entries: &[TimelineEntry]) -> Vec<usize> {
    (0..entries.len())
        .filter(|&i| {
            entries[i]
                .at
                .as_ref()
                .is_some_and(|a| a.date.is_some() && a.time.is_some())
        })
        .collect()
}

/// An entry whose day is a slip of the pen between two entries of one day, its time between
/// theirs: "2022-02-02 19:06", then "2022-02-20 19:30", then "2022-02-02 20:21". It takes their
/// day (within two months of the date written), with a note.
fn day_misdated(entries: &mut [TimelineEntry], notes: &mut Vec<Note>) {
    const NEAR_DAYS: i64 = 60;
    let timed = dated_and_timed(entries);
    let date = |entries: &[TimelineEntry], i: usize| entries[i].at.as_ref().and_then(|a| a.date);
    let key =
        |entries: &[TimelineEntry], i: usize| entries[i].at.as_ref().and_then(Stamp::sort_key);
    for w in timed.windows(3) {
        let (a, b, c) = (w[0], w[1], w[2]);
        let (Some(day), Some(written)) = (date(entries, a), date(entries, b)) else {
            continue;
        };
        let shift = day.days_since_epoch() - written.days_since_epoch();
        if date(entries, c) != Some(day) || shift == 0 || shift.abs() > NEAR_DAYS {
            continue;
        }
        let (Some(ka), Some(kb), Some(kc)) = (key(entries, a), key(entries, b), key(entries, c))
        else {
            continue;
        };
        if !(ka..=kc).contains(&(kb + shift * 86_400)) {
            continue;
        }
        if let Some(at) = entries[b].at.as_mut() {
            at.date = Some(day);
            at.settle_zone();
        }
        notes.push(Note::new(
            "timeline-day-corrected",
            entries[b].line,
            format!(
                "the entry is dated {written} between two entries of {day}, at a time between theirs; it was read as {day}. Correct the date in the document"
            ),
        ));
    }
}

/// A timeline in order that crosses midnight with the day written wrong on one side: "[03-26
/// 23:04] the node is drained" then "[03-26 02:50] the outage is reported". Where the time goes
/// back more than twelve hours within one written day, the entries on the side with fewer of them
/// move by a day (those before back, those after forward), when that keeps them between their
/// neighbours.
fn midnight_misdated(entries: &mut [TimelineEntry], notes: &mut Vec<Note>) {
    let timed = dated_and_timed(entries);
    let date = |entries: &[TimelineEntry], i: usize| entries[i].at.as_ref().and_then(|a| a.date);
    let key = |entries: &[TimelineEntry], i: usize| {
        entries[i]
            .at
            .as_ref()
            .and_then(Stamp::sort_key)
            .unwrap_or(0)
    };
    for w in 1..timed.len() {
        let (a, b) = (timed[w - 1], timed[w]);
        let Some(day) = date(entries, a) else {
            continue;
        };
        if date(entries, b) != Some(day) || key(entries, a) - key(entries, b) <= 12 * 3600 {
            continue;
        }
        // The runs of entries written with that day on either side of the jump.
        let before = timed[..w]
            .iter()
            .rev()
            .take_while(|&&i| date(entries, i) == Some(day))
            .count();
        let after = timed[w..]
            .iter()
            .take_while(|&&i| date(entries, i) == Some(day))
            .count();
        // Where in `timed` the run to move starts and ends, and by how many days.
        let (from, to, shift) = if before <= after {
            (w - before, w, -1)
        } else {
            (w, w + after, 1)
        };
        let run = &timed[from..to];
        // The neighbours outside the run stay in order with it once it has moved.
        let moved = |i: usize| key(entries, i) + shift * 86_400;
        let (first, last) = (run[0], run[run.len() - 1]);
        let fits_before = from == 0 || key(entries, timed[from - 1]) <= moved(first);
        let fits_after = timed
            .get(to)
            .is_none_or(|&next| moved(last) <= key(entries, next));
        if !(fits_before && fits_after) {
            continue;
        }
        for &i in run {
            if let Some(at) = entries[i].at.as_mut()
                && let Some(d) = at.date
            {
                at.date = Some(d.add_days(shift));
                at.settle_zone();
            }
        }
        notes.push(Note::new(
            "timeline-day-corrected",
            entries[first].line,
            format!(
                "the timeline crosses midnight but {} written with the same day on both sides; {} read as {}",
                if run.len() == 1 { "an entry is" } else { "entries are" },
                if run.len() == 1 { "it was" } else { "they were" },
                if shift < 0 { "the day before" } else { "the day after" },
            ),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numeric_date_order_from_the_document() {
        assert_eq!(
            numeric_date_order("on 13/04/2023 and 06/04/2023"),
            Some(true)
        );
        assert_eq!(
            numeric_date_order("on 04/13/2023 and 06/04/2023"),
            Some(false)
        );
        // Nothing shows the order: the reading that keeps the dates together wins.
        assert_eq!(
            numeric_date_order("- 06/04/2023 21:42\n- 07/04/2023 01:00\n- 10/04/2023 09:21"),
            Some(true)
        );
        assert_eq!(
            numeric_date_order("- 04/06/2023\n- 04/07/2023"),
            Some(false)
        );
        assert_eq!(numeric_date_order("13/04/2023 and 04/13/2023"), None);
        // With nothing else to tell, the zones the document names: Britain's writes the day
        // first, the United States' the month.
        assert_eq!(
            numeric_date_order("Date: 03/04/2025\n\nTimeline (BST)\n23:40 Run starts"),
            Some(true)
        );
        assert_eq!(
            numeric_date_order("Date: 03/04/2025\n\n9:15 AM EDT Deploy"),
            Some(false)
        );
        // West Africa's and East Africa's write the day first too.
        assert_eq!(
            numeric_date_order("On 12/05/2023 from 08:15 AM to 10:00 AM (WAT)"),
            Some(true)
        );
        assert_eq!(
            numeric_date_order("Date: 03/04/2025\n\n14:00 EAT Site down"),
            Some(true)
        );
        assert_eq!(numeric_date_order("Date: 03/04/2025 09:15 UTC"), None);
        // A report in French, German or Spanish writes the day first.
        assert_eq!(
            numeric_date_order(
                "Date : 12/03/2024\n\nLe service de paiement est tombé après le déploiement, et les clients ne pouvaient pas payer pour une heure avec des erreurs."
            ),
            Some(true)
        );
        assert_eq!(
            numeric_date_order(
                "Date: 12/03/2024\n\nThe payment service was down and we rolled back the deploy for the customers."
            ),
            None
        );
        assert_eq!(
            numeric_date_order("03/04/2025 at 09:15 BST, 10:15 EDT"),
            None
        );
        assert_eq!(numeric_date_order("version 1.2.3 and 2024-01-02"), None);
        // An ISO date anchors dates that could be read either way: 03/06 beside 2024-06-03 is
        // the 3rd of June.
        assert_eq!(
            numeric_date_order("Date: 2024-06-03\n- 03/06/2024 14:02\n- 03/06/2024 14:30"),
            Some(true)
        );
        assert_eq!(
            numeric_date_order("Date: 2024-03-06\n- 03/06/2024 14:02\n- 03/06/2024 14:30"),
            Some(false)
        );
        assert_eq!(numeric_date_order("2024-06-03 and 2024-06-04"), None);
    }

    /// Asserts the text and time of each entry of `texts` that has a time.
    fn assert_timed(texts: &[&str], want: &[(&str, Option<time::Time>)]) {
        let entries = entries_of(texts);
        let got: Vec<(&str, Option<time::Time>)> = entries
            .iter()
            .map(|e| (e.text.as_str(), e.at.as_ref().and_then(|a| a.time)))
            .filter(|(_, t)| t.is_some())
            .collect();
        assert_eq!(got, want);
    }

    fn entries_of(texts: &[&str]) -> Vec<TimelineEntry> {
        let lines: Vec<Line<'_>> = texts
            .iter()
            .enumerate()
            .map(|(i, t)| Line::new(i + 1, t, false))
            .collect();
        extract(&lines, &mut Clock::new(&Context::default())).entries
    }

    #[test]
    fn the_same_time_in_another_zone_is_not_text() {
        let got = entries_of(&[
            "- 10:00 PT / 17:00 UTC: indexing queue stops draining",
            "- 10:12 CET (09:12 UTC) alert fires",
        ]);
        let texts: Vec<&str> = got.iter().map(|e| e.text.as_str()).collect();
        assert_eq!(texts, ["indexing queue stops draining", "alert fires"]);
        assert_eq!(
            got[0]
                .at
                .as_ref()
                .and_then(|a| a.zone.clone())
                .map(|z| z.label.into_owned())
                .as_deref(),
            Some("PT")
        );
    }

    #[test]
    fn a_next_day_note_after_the_time_is_not_text() {
        let got = entries_of(&[
            "- 11:52 PM - Job deletes snapshots",
            "- 12:30 AM (next day) - Team reports it",
        ]);
        assert_eq!(got[1].text, "Team reports it");
        assert_eq!(got[1].at.as_ref().map(|a| a.day), Some(1));
    }

    #[test]
    fn a_mark_before_the_time_and_a_who_column_before_the_what() {
        let got = entries_of(&[
            "- 🔴 23:50 — Rotation issues a new CA",
            "- ⚠️ 23:58 ledger rejects certs",
        ]);
        let times: Vec<_> = got
            .iter()
            .map(|e| e.at.as_ref().and_then(|a| a.time))
            .collect();
        assert_eq!(
            times,
            [time::Time::new(23, 50, 0), time::Time::new(23, 58, 0)]
        );
        assert_eq!(got[0].text, "Rotation issues a new CA");
        let got = entries_of(&[
            "| Time (UTC) | Who | What |",
            "|---|---|---|",
            "| 13:20:14 | monitor | Uptime check fails |",
        ]);
        assert_eq!(got[0].text, "Uptime check fails — monitor");
    }

    #[test]
    fn an_entry_that_says_time_is_no_zone_declaration() {
        let texts = [
            "- 14:05 UTC: connection timeouts start",
            "- 14:11 UTC: time to page the database team",
            "_All times are CET_",
            "- 14:20: retries time out",
        ];
        let entries = entries_of(&texts);
        let got: Vec<&str> = entries.iter().map(|e| e.text.as_str()).collect();
        assert_eq!(
            got,
            [
                "connection timeouts start",
                "time to page the database team",
                "retries time out"
            ]
        );
        // The declaration still applies to the entry after it.
        assert_eq!(
            entries[2].at.as_ref().unwrap().zone.as_ref().unwrap().label,
            "CET"
        );
    }

    #[test]
    fn a_day_heading_with_the_zone_beside_it_is_no_entry() {
        let entries = entries_of(&[
            "2024-04-09 (all times UTC)",
            "",
            "- 13:58 Config push begins rolling out",
            "- 14:03 Probe pages on-call",
        ]);
        let got: Vec<&str> = entries.iter().map(|e| e.text.as_str()).collect();
        assert_eq!(
            got,
            ["Config push begins rolling out", "Probe pages on-call"]
        );
        let at = entries[0].at.as_ref().unwrap();
        assert_eq!(at.zone.as_ref().unwrap().label, "UTC");
        assert_eq!(
            at.date.map(|d| d.to_string()).as_deref(),
            Some("2024-04-09")
        );
        // So is a counted day's heading.
        let entries = entries_of(&[
            "### Day 1 — Monday 2 December 2024 (all times GMT)",
            "",
            "- 02:00 — Billing run starts.",
        ]);
        let at = entries[0].at.as_ref().unwrap();
        assert_eq!(
            (
                at.date.map(|d| d.to_string()),
                at.zone.as_ref().map(|z| z.label.to_string())
            ),
            (Some("2024-12-02".to_string()), Some("GMT".to_string()))
        );
        // A day's heading with a title over its timed entries dates them.
        let entries = entries_of(&[
            "### October 21, 2025 - Redis overload",
            "",
            "A deploy went wrong.",
            "",
            "- **21:45 UTC** - Deploy timeout change",
            "### October 24, 2025 - Rate limits",
            "- **18:00 UTC** - Deploy rate limiting",
        ]);
        let got: Vec<(String, &str)> = entries
            .iter()
            .map(|e| (e.at.as_ref().unwrap().to_string(), e.text.as_str()))
            .collect();
        assert_eq!(got.len(), 2, "{got:?}");
        assert!(got[0].0.starts_with("2025-10-21 21:45"), "{got:?}");
        assert!(got[1].0.starts_with("2025-10-24 18:00"), "{got:?}");
        // A day with words after it that name no zone is still that day's entry.
        let entries = entries_of(&["2024-04-09 (maintenance window)"]);
        assert_eq!(entries[0].text, "(maintenance window)");
    }

    #[test]
    fn a_label_then_its_time_is_an_entry() {
        // The duration's line is no event: it has no time of its own.
        assert_timed(
            &[
                "- __Issue detected:__ July 29, 09:00 AM (UTC)",
                "- **Escalation:** 09:30 UTC. Database team paged",
                "- Duration: 09:00 to 10:45 UTC (105 minutes)",
                "- Resolved: 10:45 UTC",
            ],
            &[
                ("Issue detected", time::Time::new(9, 0, 0)),
                ("Escalation: Database team paged", time::Time::new(9, 30, 0)),
                ("Resolved", time::Time::new(10, 45, 0)),
            ],
        );
    }

    #[test]
    fn a_label_with_its_time_in_brackets_is_an_entry() {
        // "Detection Time" says "time" and "UTC" but declares no zone: it is an entry.
        assert_timed(
            &[
                "All times UTC.",
                "- **Detection Time:** January 25, 2024 - 10:30 AM UTC",
                "- **Escalation (January 25, 2024, 11:15 AM)**: the database team joined",
                "- Fix (in progress): rolling back",
            ],
            &[
                ("Detection Time", time::Time::new(10, 30, 0)),
                (
                    "Escalation: the database team joined",
                    time::Time::new(11, 15, 0),
                ),
            ],
        );
    }

    #[test]
    fn hours_and_local_after_a_time_are_no_part_of_the_text() {
        for line in [
            "14:05 hrs - CPU at 100%",
            "14:05h CPU at 100%",
            "14:05 local — CPU at 100%",
            "14:05 local time: CPU at 100%",
        ] {
            let (p, text) = leading_stamp(line).unwrap();
            assert!(p.time.is_some(), "{line}");
            assert_eq!(text, "CPU at 100%", "{line}");
        }
        let (_, text) = leading_stamp("14:05 localhost refused connections").unwrap();
        assert_eq!(text, "localhost refused connections");
    }

    #[test]
    fn a_time_said_to_be_about_is_approximate() {
        for line in [
            "around 14:05 — CPU at 100%",
            "approx. 14:05 — CPU at 100%",
            "Approximately 14:05 — CPU at 100%",
            "14:05 (approx.) — CPU at 100%",
            "14:05 (estimated) - CPU at 100%",
        ] {
            let (p, text) = leading_stamp(line).unwrap();
            assert!(p.approximate, "{line}");
            assert_eq!(text, "CPU at 100%", "{line}");
        }
        let (p, _) = leading_stamp("At 14:05 — CPU at 100%").unwrap();
        assert!(!p.approximate);
    }

    #[test]
    fn a_templates_example_entry_is_no_event() {
        assert!(template_example("Short event description."));
        assert!(template_example("<description>"));
        assert!(!template_example("Description of the fix deployed"));
    }

    #[test]
    fn a_time_written_with_ish_is_approximate() {
        let (p, rest) = leading_stamp("14:07ish Queue stalls").unwrap();
        assert!(p.approximate);
        assert_eq!(rest, "Queue stalls");
        let (p, rest) = leading_stamp("2017/01/31 16:00-ish: Load rises").unwrap();
        assert!(p.approximate);
        assert_eq!(rest, "Load rises");
        let (p, rest) = leading_stamp("14:07 isha's team joins").unwrap();
        assert!(!p.approximate);
        assert_eq!(rest, "isha's team joins");
    }

    #[test]
    fn a_sentence_ends_after_a_number_but_not_after_an_initial() {
        let got: Vec<&str> = sentences("It cut workers from 32 to 2. At 16:48 UTC an alert fired.")
            .into_iter()
            .map(|(_, s)| s)
            .collect();
        assert_eq!(
            got,
            [
                "It cut workers from 32 to 2.",
                "At 16:48 UTC an alert fired."
            ]
        );
        let got = sentences("At 09:10 J. Smith paged the team. Then it was quiet.");
        assert_eq!(got.len(), 2);
    }

    #[test]
    fn status_page_updates() {
        let (p, text) =
            tracked_update("The issue was resolved. {{< track \"2026-02-14 07:00:00\" >}}")
                .unwrap();
        assert_eq!(text, "The issue was resolved.");
        assert_eq!(p.time, time::Time::new(7, 0, 0));
        let l = [Line::new(
            1,
            "The issue was resolved. {{< track \"2026-02-14 07:00:00\" >}}",
            false,
        )];
        assert!(looks_like_timeline(&l));
        let p = introduced_stamp("[Update 11th of February 2022 - 19:00 UTC]").unwrap();
        assert_eq!(p.time, time::Time::new(19, 0, 0));
    }

    #[test]
    fn a_days_number_before_its_date_heads_that_days_entries() {
        let p = introduced_stamp("Day 2 — Friday 8 March 2024").unwrap();
        assert_eq!(
            p.date.and_then(|d| d.with_year(None)),
            time::Date::new(2024, 3, 8)
        );
        assert!(introduced_stamp("Day 2").is_none());
        for (line, n) in [
            ("Day 2", Some(2)),
            ("**Day 2 (Tuesday)**", Some(2)),
            ("D+1 - Saturday:", Some(1)),
            ("Day 1 — Monday", Some(1)),
            ("Day 2 of the migration", None),
            ("Day 2, 08:10 restarted", None),
        ] {
            assert_eq!(day_marker(line), n, "{line}");
        }
        assert!(introduced_stamp("Day two of the migration").is_none());
    }
}
