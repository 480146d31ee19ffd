//! The stamp reader: dates, times and zones at the start of a text ([`stamp_prefix`]) and
//! anywhere in prose ([`scan`]), as the pieces written, before a document's context fills the
//! gaps.

use super::calendar::*;
use super::tokens::*;

// ---------------------------------------------------------------------------------------------
// Pieces: what one match found, before the document's context fills the gaps.

/// A date that may lack its year ("Feb 28").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PartialDate {
    pub year: Option<i32>,
    pub month: u8,
    pub day: u8,
    /// Day and month were both at most 12 and written numerically: the order was a guess.
    pub ambiguous_order: bool,
    /// For an ambiguous date: whether it was read day first (`06/04` as 6 April).
    pub day_first: bool,
}

impl PartialDate {
    /// A whole date, its order plain.
    pub fn of(d: Date) -> PartialDate {
        PartialDate {
            year: Some(d.year),
            month: d.month,
            day: d.day,
            ambiguous_order: false,
            day_first: false,
        }
    }

    /// A date whose order the text made plain (a month name, a four-digit year first), when
    /// such a day exists (a missing year is checked against a leap year).
    fn plain(year: Option<i32>, month: u8, day: u8) -> Option<PartialDate> {
        Date::new(year.unwrap_or(2000), month, day)?;
        Some(PartialDate {
            year,
            month,
            day,
            ambiguous_order: false,
            day_first: false,
        })
    }

    /// A numeric date `a<sep>b`: the number above 12 is the day; when neither is, slashes are
    /// read month first (US order, the commonest in the reports we read), dots and dashes day
    /// first, and the date is marked ambiguous for the document's order to settle.
    fn numeric(a: u32, b: u32, year: Option<i32>, sep: char) -> Option<PartialDate> {
        let (a, b) = (u8::try_from(a).ok()?, u8::try_from(b).ok()?);
        let day_first = sep != '/';
        let (month, day) = if a > 12 || (b <= 12 && day_first) {
            (b, a)
        } else {
            (a, b)
        };
        Date::new(year.unwrap_or(2000), month, day)?;
        Some(PartialDate {
            year,
            month,
            day,
            ambiguous_order: a <= 12 && b <= 12 && a != b,
            day_first,
        })
    }

    /// The ambiguous date read in the document's order (`day_first`), when that differs.
    pub fn in_order(self, day_first: Option<bool>) -> PartialDate {
        match day_first {
            Some(df) if self.ambiguous_order && df != self.day_first => PartialDate {
                month: self.day,
                day: self.month,
                day_first: df,
                ..self
            },
            _ => self,
        }
    }

    pub fn with_year(self, fallback: Option<i32>) -> Option<Date> {
        Date::new(self.year.or(fallback)?, self.month, self.day)
    }
}

/// What was found at one place in the text.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Pieces {
    pub date: Option<PartialDate>,
    pub time: Option<Time>,
    pub zone: Option<Zone>,
    pub approximate: bool,
    /// `[???]`, `--:--`, `TBD`: the document says the time is unknown.
    pub unknown: bool,
    /// The incident's day as the document counts it, before a time ("D+1 00:05", "Day 2,
    /// 08:10"): the timeline's clock turns it into a date.
    pub counted_day: Option<u16>,
    /// The time says which half of the day it is in ("1:05 PM", "3am", "noon"), so a clock
    /// reading it as the afternoon's has nothing to guess.
    pub half_day: bool,
    /// The day of the week written before a time with no date ("Mon 08:30"), 0 for Sunday:
    /// the timeline's clock moves on to that day.
    pub weekday: Option<u8>,
}

/// The token after a weekday at token `i` ("Tue", "Monday,", "Thu."), its punctuation and
/// the space after it; `None` when no weekday stands there.
fn after_weekday(t: &mut Toks<'_>, i: usize) -> Option<usize> {
    let w = word_at(t, i)?;
    if !is_weekday(w) || month_from_word(w).is_some() {
        return None;
    }
    let mut j = i + 1;
    if punct_at(t, j, ',') || punct_at(t, j, '.') {
        j += 1;
    }
    Some(skip_space(t, j))
}

/// Parses a date at token `i`. Returns the date and the index after it.
pub(super) fn date_at(t: &mut Toks<'_>, i: usize) -> Option<(PartialDate, usize)> {
    // An optional weekday before it.
    let j = after_weekday(t, i).unwrap_or(i);
    if let Some((v, n)) = num_at(t, j) {
        // YYYY-MM-DD, YYYY/MM/DD, YYYY.MM.DD
        if n == 4 {
            for sep in ['-', '/', '.'] {
                if punct_at(t, j + 1, sep)
                    && punct_at(t, j + 3, sep)
                    && let (Some((m, mn)), Some((d, dn))) = (num_at(t, j + 2), num_at(t, j + 4))
                    && mn <= 2
                    && dn <= 2
                {
                    let pd = PartialDate::plain(Some(v as i32), m as u8, d as u8)?;
                    return Some((pd, j + 5));
                }
            }
            // "2023 October 12", "2023 Oct 12th", "2023-Oct-13": the year, the month's name,
            // the day (not "2023 May 12:30", a clock).
            if (1900..2200).contains(&v)
                && (space_at(t, j + 1) || punct_at(t, j + 1, '-'))
                && let Some(month) = word_at(t, j + 2).and_then(month_from_word)
            {
                let mut k = j + 3;
                if punct_at(t, k, '.') {
                    k += 1;
                }
                if (space_at(t, k) || punct_at(t, k, '-'))
                    && let Some((d, 1 | 2)) = num_at(t, k + 1)
                    && !punct_at(t, k + 2, ':')
                {
                    let mut end = k + 2;
                    if word_at(t, end).is_some_and(is_ordinal_suffix) {
                        end += 1;
                    }
                    let pd = PartialDate::plain(Some(v as i32), month, u8::try_from(d).ok()?)?;
                    return Some((pd, end));
                }
            }
            return None;
        }
        // DD/MM/YYYY or MM/DD/YYYY (also with - and .)
        if n <= 2 {
            for sep in ['/', '-', '.'] {
                if punct_at(t, j + 1, sep)
                    && punct_at(t, j + 3, sep)
                    && let (Some((b, bn)), Some((y, yn))) = (num_at(t, j + 2), num_at(t, j + 4))
                    && bn <= 2
                    && (2..=4).contains(&yn)
                {
                    // A three-digit year ("11/03/202") is a typo: the document's year stands.
                    let year = match yn {
                        2 => Some(2000 + y as i32),
                        3 => None,
                        _ => Some(y as i32),
                    };
                    return Some((PartialDate::numeric(v, b, year, sep)?, j + 5));
                }
            }
            // "12-05 16:21", "03/26 23:04": a day and month without a year, only before a time.
            for sep in ['/', '-'] {
                if punct_at(t, j + 1, sep)
                    && let Some((b, 1 | 2)) = num_at(t, j + 2)
                    && space_at(t, j + 3)
                    && matches!(num_at(t, j + 4), Some((_, 1 | 2)))
                    && punct_at(t, j + 5, ':')
                {
                    return Some((PartialDate::numeric(v, b, None, sep)?, j + 3));
                }
            }
            // "06/May/2022", "06-May-2022", Jira's "12/Mar/24"
            for sep in ['/', '-'] {
                if punct_at(t, j + 1, sep)
                    && punct_at(t, j + 3, sep)
                    && let Some(month) = word_at(t, j + 2).and_then(month_from_word)
                    && let Some((y, yn @ (2 | 4))) = num_at(t, j + 4)
                {
                    let year = if yn == 2 { 2000 + y as i32 } else { y as i32 };
                    return Some((PartialDate::plain(Some(year), month, v as u8)?, j + 5));
                }
            }
            // A range of days: "11–12 March 2024", "11 to 12 March" (the first day is the date).
            let to_next = if punct_at(t, j + 1, '-') || punct_at(t, j + 1, '–') {
                Some(j + 2)
            } else if space_at(t, j + 1)
                && word_at(t, j + 2).is_some_and(|w| w.eq_ignore_ascii_case("to"))
                && space_at(t, j + 3)
            {
                Some(j + 4)
            } else {
                None
            };
            if let Some(k) = to_next
                && let Some((last, 1 | 2)) = num_at(t, k)
                && last > v
                && space_at(t, k + 1)
                && let Some(month) = word_at(t, k + 2).and_then(month_from_word)
            {
                let (year, end) = year_after(t, k + 3);
                return Some((PartialDate::plain(year, month, u8::try_from(v).ok()?)?, end));
            }
            // "3 April 2024", "3rd of April", "12th May", "3. February 2020" (the ordinal's dot,
            // as German and Scandinavian writers put it)
            let mut k = j + 1;
            let mut dotted = false;
            if let Some(w) = word_at(t, k)
                && is_ordinal_suffix(w)
            {
                k += 1;
            } else if punct_at(t, k, '.') && space_at(t, k + 1) {
                k += 1;
                dotted = true;
            }
            k = skip_space(t, k);
            if word_at(t, k).is_some_and(|w| w.eq_ignore_ascii_case("of")) {
                k = skip_space(t, k + 1);
            }
            let month = month_from_word(word_at(t, k)?)?;
            k += 1;
            if punct_at(t, k, '.') {
                k += 1;
            }
            let (year, end) = year_after(t, k);
            // "1. March" alone may be a list's first item naming a month.
            if dotted && year.is_none() && j == i {
                return None;
            }
            return Some((PartialDate::plain(year, month, u8::try_from(v).ok()?)?, end));
        }
        return None;
    }
    // "April 3rd, 2024", "Oct 11", "Feb. 28"
    let month = month_from_word(word_at(t, j)?)?;
    let mut k = j + 1;
    if punct_at(t, k, '.') {
        k += 1;
    }
    k = skip_space(t, k);
    let (d, dn) = num_at(t, k)?;
    if dn > 2 {
        return None;
    }
    k += 1;
    // A following ':' means "May 12:30" style clock, not a day.
    if punct_at(t, k, ':') {
        return None;
    }
    if let Some(w) = word_at(t, k) {
        if is_ordinal_suffix(w) {
            k += 1;
        } else {
            return None;
        }
    }
    // A range of days: "January 14-19, 2026" (the first day is the date).
    if (punct_at(t, k, '-') || punct_at(t, k, '–'))
        && matches!(num_at(t, k + 1), Some((_, 1 | 2)))
        && (punct_at(t, k + 2, ',')
            || (space_at(t, k + 2) && matches!(num_at(t, k + 3), Some((_, 4)))))
    {
        k += 2;
    }
    let (year, end) = year_after(t, k);
    Some((PartialDate::plain(year, month, u8::try_from(d).ok()?)?, end))
}

/// An optional `, 2024` / ` 2024` after a day and month.
pub(super) fn year_after(t: &mut Toks<'_>, k: usize) -> (Option<i32>, usize) {
    let mut j = k;
    if punct_at(t, j, ',') {
        j += 1;
    }
    j = skip_space(t, j);
    // "2022:" ends a label ("August 1st 2022: ..."); "2022:30" is no year.
    if let Some((y, 4)) = num_at(t, j)
        && (1900..2200).contains(&y)
        && !(punct_at(t, j + 1, ':') && num_at(t, j + 2).is_some())
    {
        return (Some(y as i32), j + 1);
    }
    // "4 Mar 25 10:12": two digits right before a clock time are the year's last two (a count,
    // "Mar 4 25 users", has no time after it).
    if !punct_at(t, k, ',')
        && let Some((y, 2)) = num_at(t, j)
        && space_at(t, j + 1)
        && num_at(t, j + 2).is_some()
        && punct_at(t, j + 3, ':')
    {
        return (Some(2000 + y as i32), j + 1);
    }
    (None, k)
}

/// `am`, `pm`, `a.m.`, `p.m.` at `i`: returns (is_pm, index after).
pub(super) fn ampm_at(t: &mut Toks<'_>, i: usize) -> Option<(bool, usize)> {
    let mut buf = [0; 16];
    let w = lower(word_at(t, i)?, &mut buf);
    match w {
        "am" => Some((false, i + 1 + usize::from(punct_at(t, i + 1, '.')))),
        "pm" => Some((true, i + 1 + usize::from(punct_at(t, i + 1, '.')))),
        "a" | "p"
            if punct_at(t, i + 1, '.')
                && word_at(t, i + 2).is_some_and(|m| m.eq_ignore_ascii_case("m")) =>
        {
            let end = i + 3 + usize::from(punct_at(t, i + 3, '.'));
            Some((w == "p", end))
        }
        _ => None,
    }
}

pub(super) fn apply_ampm(h: u32, pm: bool) -> Option<u8> {
    // "13:55 PM", "00:30 AM": a 24-hour time with a half-day mark it does not need.
    if h == 0 || (13..=23).contains(&h) {
        return Some(h as u8);
    }
    if h > 23 {
        return None;
    }
    let h = h % 12;
    Some((if pm { h + 12 } else { h }) as u8)
}

/// A clock time at `i`: `11:02`, `11:02:33`, `11:02 AM`, `3am`, `noon`; the index after it,
/// and whether it named its half of the day (AM, PM, noon, midnight).
pub(super) fn time_at(t: &mut Toks<'_>, i: usize) -> Option<(Time, usize, bool)> {
    if let Some(w) = word_at(t, i) {
        return match lower(w, &mut [0; 16]) {
            "noon" | "midday" => Some((Time::new(12, 0, 0)?, i + 1, true)),
            "midnight" => Some((Time::new(0, 0, 0)?, i + 1, true)),
            _ => None,
        };
    }
    let (h, hn) = num_at(t, i)?;
    if hn > 2 {
        return None;
    }
    let mut j = i + 1;
    let (mut min, mut sec) = (0u32, 0u32);
    let mut had_minutes = false;
    // "14.05" is a time; "1.12.0" and "v2.1.12" are versions, "10.0.12.5" an address.
    let dotted = punct_at(t, j, '.')
        && matches!(num_at(t, j + 1), Some((_, 2)))
        && !(punct_at(t, j + 2, '.') && num_at(t, j + 3).is_some())
        && !(i > 0 && punct_at(t, i - 1, '.'));
    // "10.12:30 PM" is an item's number run into its time, not 10:12:30.
    if dotted && punct_at(t, j + 2, ':') {
        return None;
    }
    if (punct_at(t, j, ':') || dotted) && matches!(num_at(t, j + 1), Some((_, 2))) {
        min = num_at(t, j + 1)?.0;
        j += 2;
        had_minutes = true;
        if punct_at(t, j, ':')
            && let Some((s, 2)) = num_at(t, j + 1)
        {
            sec = s;
            j += 2;
            // fractional seconds
            if punct_at(t, j, '.') && num_at(t, j + 1).is_some() {
                j += 2;
            }
        }
    } else if word_at(t, j).is_some_and(|w| w.eq_ignore_ascii_case("h"))
        && matches!(num_at(t, j + 1), Some((_, 2)))
    {
        // 14h30
        min = num_at(t, j + 1)?.0;
        j += 2;
        had_minutes = true;
    }
    let k = skip_space(t, j);
    if let Some((pm, end)) = ampm_at(t, k) {
        let hour = apply_ampm(h, pm)?;
        return Some((Time::new(hour, min as u8, sec as u8)?, end, true));
    }
    // "2:15p", "9:40a": a note-taker's half day, written onto the minutes.
    if had_minutes
        && let Some(w) = word_at(t, j)
        && (w.eq_ignore_ascii_case("a") || w.eq_ignore_ascii_case("p"))
    {
        let hour = apply_ampm(h, w.eq_ignore_ascii_case("p"))?;
        return Some((Time::new(hour, min as u8, sec as u8)?, j + 1, true));
    }
    if !had_minutes {
        return None;
    }
    Some((Time::new(h as u8, min as u8, sec as u8)?, j, false))
}

/// A zone written out at `i` ("Pacific Time", "Central European Summer Time"): the zone its
/// abbreviation names, and the index after its last word.
pub(super) fn zone_name_at(t: &mut Toks<'_>, i: usize) -> Option<(Zone, usize)> {
    let first = word_at(t, i)?;
    ZONE_NAMES
        .iter()
        .filter(|(words, _)| first.eq_ignore_ascii_case(words[0]))
        .find_map(|(words, abbreviation)| {
            let mut j = i + 1;
            for w in &words[1..] {
                let k = skip_space(t, j);
                if k == j || !word_at(t, k).is_some_and(|x| x.eq_ignore_ascii_case(w)) {
                    return None;
                }
                j = k + 1;
            }
            // A region's time ("UK time") is the region's zone, its offset that of the day.
            Some((
                zone_from_abbreviation(abbreviation).or_else(|| zone_of_region(abbreviation))?,
                j,
            ))
        })
}

/// A North American region named alone ("Pacific", "eastern"): the abbreviation of its time.
fn region_alone(word: &str) -> Option<&'static str> {
    const REGIONS: [(&str, &str); 4] = [
        ("pacific", "PT"),
        ("mountain", "MT"),
        ("central", "CT"),
        ("eastern", "ET"),
    ];
    REGIONS
        .iter()
        .find(|(name, _)| word.eq_ignore_ascii_case(name))
        .map(|(_, abbreviation)| *abbreviation)
}

/// An IANA zone name at `i` ("US/Pacific", "America/Los_Angeles", "Europe/Berlin") that
/// [`REGIONS`] knows.
fn region_at(s: &str, t: &mut Toks<'_>, i: usize) -> Option<(Zone, usize)> {
    word_at(t, i)?;
    if !punct_at(t, i + 1, '/') {
        return None;
    }
    word_at(t, i + 2)?;
    let mut end = i + 3;
    while punct_at(t, end, '_') && word_at(t, end + 1).is_some() {
        end += 2;
    }
    Some((zone_of_region(s_slice(t, i, end, s))?, end))
}

/// A zone at the start of `s`, as it follows a time written apart from it ("**09:50** (CEST)"):
/// the zone and the byte offset where it ends. Every spelling [`zone_at`] reads.
pub fn zone_prefix(s: &str) -> Option<(Zone, usize)> {
    let mut t = Toks::new(s);
    let start = skip_space(&mut t, 0);
    let (zone, end) = zone_at(s, &mut t, start)?;
    let bytes = end.checked_sub(1).and_then(|last| t.get(last))?.end;
    Some((zone, bytes))
}

/// A zone at `i` (after a time): `UTC`, `(PDT)`, `UTC+2`, `GMT-05:00`, `+02:00`, `Z`,
/// `Pacific Time`.
pub(super) fn zone_at(s: &str, t: &mut Toks<'_>, i: usize) -> Option<(Zone, usize)> {
    // "09:20 local time (BST)": the words say the zone follows.
    if word_at(t, i).is_some_and(|w| w.eq_ignore_ascii_case("local"))
        && space_at(t, i + 1)
        && word_at(t, i + 2).is_some_and(|w| w.eq_ignore_ascii_case("time"))
        && space_at(t, i + 3)
    {
        return zone_at(s, t, i + 4);
    }
    let paren = punct_at(t, i, '(');
    let mut j = if paren { skip_space(t, i + 1) } else { i };
    let zone = if let Some((zone, end)) = zone_name_at(t, j).or_else(|| region_at(s, t, j)) {
        j = end;
        zone
    } else if let Some(region) = word_at(t, j).and_then(region_alone)
        && let after = skip_space(t, j + 1)
        && word_at(t, after).is_none_or(|w| {
            ["on", "and", "when", "while", "because"]
                .iter()
                .any(|x| w.eq_ignore_ascii_case(x))
        })
    {
        // "10:23 PM Pacific:": a region's name alone, with no word after it but one that
        // goes on with the sentence ("8:15 AM Central on 2024-12-09"); "10:00 Central
        // database" names no zone.
        j += 1;
        zone_from_abbreviation(region)?
    } else if let Some(w) = word_at(t, j) {
        let base = zone_from_abbreviation(w)?;
        j += 1;
        let utc = w.eq_ignore_ascii_case("utc") || w.eq_ignore_ascii_case("gmt");
        // "UTC +2" with a space; a minus so spaced only in brackets, "(UTC -5)": "14:00 UTC -
        // 15:00" is a range.
        if utc
            && space_at(t, j)
            && (punct_at(t, j + 1, '+')
                || ((paren || punct_at(t, i.wrapping_sub(1), '('))
                    && (punct_at(t, j + 1, '-') || punct_at(t, j + 1, '−'))))
            && num_at(t, j + 2).is_some()
        {
            j += 1;
        }
        if utc && (punct_at(t, j, '+') || punct_at(t, j, '-') || punct_at(t, j, '−')) {
            let sign = if punct_at(t, j, '+') { 1 } else { -1 };
            let (off, end) = offset_digits(t, j + 1)?;
            let label = format!("{}{}", w.to_ascii_uppercase(), &s_slice(t, j, end, s));
            j = end;
            Zone {
                label: label.into(),
                offset_minutes: sign * off,
            }
        } else {
            // "PST/PDT" is the region's time, whichever applied that day; an unknown pair is
            // read as its first.
            match word_at(t, j + 1).filter(|_| punct_at(t, j, '/')) {
                Some(w2) if zone_from_abbreviation(w2).is_some() => {
                    j += 2;
                    zone_of_region(s_slice(t, j - 3, j, s)).unwrap_or(base)
                }
                _ => base,
            }
        }
    } else if punct_at(t, j, '+') || punct_at(t, j, '-') || punct_at(t, j, '−') {
        let sign = if punct_at(t, j, '+') { 1 } else { -1 };
        let (off, end) = offset_digits(t, j + 1)?;
        // Only a full offset counts on its own (`+02:00`, `+0200`, `+02`), never `-5` (a
        // range), nor `-12:??` (a range whose end is unknown).
        if !matches!(num_at(t, j + 1), Some((_, 2 | 4))) || punct_at(t, end, ':') {
            return None;
        }
        let label = s_slice(t, j, end, s).to_string();
        j = end;
        Zone {
            label: label.into(),
            offset_minutes: sign * off,
        }
    } else {
        return None;
    };
    if paren {
        j = skip_space(t, j);
        if punct_at(t, j, ')') {
            j += 1;
        } else {
            return None;
        }
    }
    Some((zone, j))
}

pub(super) fn s_slice<'a>(t: &mut Toks<'_>, from: usize, to: usize, s: &'a str) -> &'a str {
    match (t.get(from), to.checked_sub(1).and_then(|last| t.get(last))) {
        (Some(a), Some(b)) if from < to => s.get(a.start..b.end).unwrap_or(""),
        _ => "",
    }
}

/// `2`, `02`, `0200`, `02:00`, `5:30` after a sign: minutes.
pub(super) fn offset_digits(t: &mut Toks<'_>, i: usize) -> Option<(i32, usize)> {
    let (v, n) = num_at(t, i)?;
    let (h, m, end) = match n {
        1 | 2 => {
            if punct_at(t, i + 1, ':') {
                if let Some((m, 2)) = num_at(t, i + 2) {
                    (v, m, i + 3)
                } else {
                    (v, 0, i + 1)
                }
            } else {
                (v, 0, i + 1)
            }
        }
        4 => (v / 100, v % 100, i + 1),
        _ => return None,
    };
    if h > 14 || m >= 60 {
        return None;
    }
    Some(((h * 60 + m) as i32, end))
}

/// "approx", "around", "estimated" and their kin: a word saying a time is not exact.
pub(crate) fn approx_word(w: &str) -> bool {
    matches!(
        lower(w, &mut [0; 16]),
        "approx"
            | "approximately"
            | "around"
            | "about"
            | "circa"
            | "ca"
            | "roughly"
            | "est"
            | "estimated"
    )
}

/// Whether a stamp can begin with the word `w` (see [`stamp_at`]): "approximately" and its
/// kin, an unknown time (`TBD`, `xx:xx`), a weekday or a month, noon, midday, midnight.
pub(super) fn may_begin_stamp(w: &str) -> bool {
    approx_word(w)
        || is_weekday(w)
        || month_from_word(w).is_some()
        || matches!(
            lower(w, &mut [0; 16]),
            "tbd" | "unknown" | "xx" | "noon" | "midday" | "midnight"
        )
}

/// No stamp is longer than this many bytes.
pub(super) const STAMP_MAX_BYTES: usize = 120;

/// Parses a stamp at the very start of `s` (after the caller stripped bullets and emphasis).
/// Returns the pieces and the byte offset where the stamp ends.
pub fn stamp_prefix(s: &str) -> Option<(Pieces, usize)> {
    // The longest spelling ("Wednesday, September 23rd, 2024 at 11:00:00 a.m. (UTC+05:30)") is
    // well under this: tokenising the rest of a long line would only cost time.
    let s = &s[..s.floor_char_boundary(STAMP_MAX_BYTES)];
    if let Some(found) = plain_clock_prefix(s) {
        return Some(found);
    }
    read_stamp_prefix(s)
}

/// Whether all of `s` is one date without a time: "2026-07-22", "22 Jul 2026", "May 1".
pub fn is_date_alone(s: &str) -> bool {
    stamp_prefix(s).is_some_and(|(p, end)| end == s.len() && p.date.is_some() && p.time.is_none())
}

/// [`stamp_prefix`] by the full reader, token by token.
pub(super) fn read_stamp_prefix(s: &str) -> Option<(Pieces, usize)> {
    // Text that starts with a word starts a stamp only with one of a few words; most lines
    // that start with a word are told apart here, before any token is read.
    let word_len = s.bytes().take_while(u8::is_ascii_alphabetic).count();
    if word_len > 0 && !may_begin_stamp(&s[..word_len]) {
        return None;
    }
    read_stamp_tokens(s)
}

/// [`read_stamp_prefix`] without its look at the first word.
pub(super) fn read_stamp_tokens(s: &str) -> Option<(Pieces, usize)> {
    let t = &mut Toks::new(s);
    let (p, end) = stamp_at(s, t, 0, true)?;
    let byte_end = end
        .checked_sub(1)
        .and_then(|k| t.get(k))
        .map_or(0, |x| x.end);
    Some((p, byte_end))
}

/// The commonest stamp at the start of a timeline line, `H:MM` or `HH:MM`, alone or followed
/// by a zone abbreviation (`09:06 UTC`), read from the bytes without tokens. `None` whenever
/// what follows could make the full reader read more (seconds, am/pm, an offset, a second zone,
/// "on" and a date, "approx"): the full reader then reads it. When `Some`, the same as
/// [`read_stamp_prefix`] (a property test holds the two together).
pub(super) fn plain_clock_prefix(s: &str) -> Option<(Pieces, usize)> {
    plain_iso_date_prefix(s.as_bytes()).or_else(|| plain_clock(s))
}

/// [`plain_clock_prefix`] for a clock time.
pub(super) fn plain_clock(s: &str) -> Option<(Pieces, usize)> {
    let b = s.as_bytes();
    let hour_len = b.iter().take_while(|c| c.is_ascii_digit()).count();
    if !(1..=2).contains(&hour_len) || b.get(hour_len) != Some(&b':') {
        return None;
    }
    let end = hour_len + 3;
    let minute = b.get(hour_len + 1..end)?;
    if !minute.iter().all(u8::is_ascii_digit) || b.get(end).is_some_and(u8::is_ascii_digit) {
        return None;
    }
    let number = |d: &[u8]| d.iter().fold(0u8, |v, c| v * 10 + (c - b'0'));
    let time = Time::new(number(&b[..hour_len]), number(minute), 0)?;
    let mut p = Pieces {
        time: Some(time),
        ..Pieces::default()
    };
    let rest = &s[end..];
    if quiet_after_clock(rest) {
        return Some((p, end));
    }
    // A zone abbreviation after a space: "09:06 UTC".
    let word_at = rest.trim_start_matches(char::is_whitespace);
    if word_at.len() == rest.len() {
        return None;
    }
    let word_len = word_at.bytes().take_while(u8::is_ascii_alphabetic).count();
    let word = &word_at[..word_len];
    if ["am", "pm", "a", "p"]
        .iter()
        .any(|x| x.eq_ignore_ascii_case(word))
    {
        return None;
    }
    let zone = zone_from_abbreviation(word)?;
    let zone_end = s.len() - word_at.len() + word_len;
    if !quiet_after_zone(&s[zone_end..]) {
        return None;
    }
    p.zone = Some(zone);
    Some((p, zone_end))
}

/// A date alone as `YYYY-MM-DD` (a due date, a table cell), read from the bytes. `None` when
/// anything follows that could bring a time or "approx" with it.
pub(super) fn plain_iso_date_prefix(b: &[u8]) -> Option<(Pieces, usize)> {
    let digits = |r: std::ops::Range<usize>| b.get(r).filter(|d| d.iter().all(u8::is_ascii_digit));
    let (y, m, d) = (digits(0..4)?, digits(5..7)?, digits(8..10)?);
    if b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let number = |d: &[u8]| d.iter().fold(0u32, |v, c| v * 10 + u32::from(c - b'0'));
    let date = PartialDate::plain(Some(number(y) as i32), number(m) as u8, number(d) as u8)?;
    let dated = Pieces {
        date: Some(date),
        ..Pieces::default()
    };
    match b.get(10) {
        // What may follow a date alone: the end, or a mark that begins neither a time nor a
        // word (a bar may join its time: "2024-04-03 | 11:02").
        None | Some(b'.' | b';' | b')' | b']' | b'*' | b'_' | b'!' | b'?') => Some((dated, 10)),
        // A plain clock after one space: "2024-04-03 11:02 UTC".
        Some(b' ') if b.get(11).is_some_and(u8::is_ascii_digit) => {
            let rest = std::str::from_utf8(&b[11..]).ok()?;
            let (clock, end) = plain_clock(rest)?;
            Some((
                Pieces {
                    time: clock.time,
                    zone: clock.zone,
                    ..dated
                },
                11 + end,
            ))
        }
        Some(_) => None,
    }
}

/// Nothing right after a clock time that the full reader would take as more of the stamp:
/// seconds (`:`), am/pm or a zone (a letter, `(`, a sign), or, after spaces, a word or `(`.
pub(super) fn quiet_after_clock(rest: &str) -> bool {
    let Some(c) = rest.chars().next() else {
        return true;
    };
    if c.is_whitespace() {
        return quiet_after_space(rest);
    }
    !(c.is_ascii_alphanumeric() || matches!(c, ':' | '(' | '/') || offset_sign(rest))
}

/// A sign the full reader reads as the start of an offset: one followed by a digit.
pub(super) fn offset_sign(rest: &str) -> bool {
    let mut chars = rest.chars();
    matches!(chars.next(), Some('+' | '-' | '−'))
        && chars.next().is_some_and(|d| d.is_ascii_digit())
}

/// Nothing right after a zone that the full reader would take as more of the stamp: an offset
/// (a sign), a second zone (`/`), or, after spaces, a word ("on", "approx") or `(`.
pub(super) fn quiet_after_zone(rest: &str) -> bool {
    let Some(c) = rest.chars().next() else {
        return true;
    };
    if c.is_whitespace() {
        return quiet_after_space(rest);
    }
    !(c.is_ascii_alphabetic() || matches!(c, '(' | '+' | '-' | '−' | '/'))
}

/// What follows a run of spaces cannot continue a stamp: not a word, `(` or an offset (a
/// dash before more text, "11:02 - Alert", is not one).
pub(super) fn quiet_after_space(rest: &str) -> bool {
    let after = rest.trim_start_matches(char::is_whitespace);
    after
        .chars()
        .next()
        .is_none_or(|n| !(n.is_ascii_alphabetic() || n == '(' || offset_sign(after)))
}

/// Unknown-time markers: `???`, `??:??`, `--:--`, `TBD`, `unknown`.
pub(super) fn unknown_at(t: &mut Toks<'_>, i: usize) -> Option<usize> {
    let mut j = i;
    let mut marks = 0;
    while let Some(Tok::Punct(c)) = t.get(j).map(|x| x.tok) {
        if c == '?' || c == '-' || c == ':' || c == 'x' {
            marks += usize::from(c != ':');
            j += 1;
        } else {
            break;
        }
    }
    if marks >= 2 && t.get(j).is_none_or(|x| !matches!(x.tok, Tok::Num(..))) {
        return Some(j);
    }
    if let Some(w) = word_at(t, i) {
        let mut buf = [0; 16];
        let l = lower(w, &mut buf);
        if l == "tbd" || l == "unknown" || l == "xx" {
            // "xx:xx"
            if l == "xx" && punct_at(t, i + 1, ':') && word_at(t, i + 2).is_some() {
                return Some(i + 3);
            }
            return Some(i + 1);
        }
    }
    None
}

/// A full stamp at token `i`: approx marker, date, separator, time, zone, in the orders people
/// use (`April 3rd, 2024 at 11:00 AM GMT`, `11:00 UTC on 3 April`, `[2013-03-09 21:50 UTC]`,
/// `Tue Oct 11 12:24:02 UTC`, `2024-04-03T11:02:00Z`). With `strict`, a bare date counts too.
pub(super) fn stamp_at(
    s: &str,
    t: &mut Toks<'_>,
    i: usize,
    allow_unknown: bool,
) -> Option<(Pieces, usize)> {
    let mut p = Pieces::default();
    let mut j = i;
    if punct_at(t, j, '~') {
        p.approximate = true;
        j = skip_space(t, j + 1);
    } else if let Some(w) = word_at(t, j)
        && approx_word(w)
        && !w.eq_ignore_ascii_case("est")
    {
        p.approximate = true;
        j += 1;
        if punct_at(t, j, '.') {
            j += 1;
        }
        j = skip_space(t, j);
    }
    if allow_unknown && let Some(end) = unknown_at(t, j) {
        p.unknown = true;
        return Some((p, end));
    }
    let mut end;
    // Where the time starts (a token's index), once one is read.
    let mut time_from = j;
    if let Some((d, k)) = date_at(t, j) {
        p.date = Some(d);
        end = k;
        // separator between date and time
        let mut m = k;
        if punct_at(t, m, ',') {
            m += 1;
        }
        m = skip_space(t, m);
        let joiner = word_at(t, m)
            .is_some_and(|w| w.eq_ignore_ascii_case("at") || w.eq_ignore_ascii_case("t"))
            || punct_at(t, m, '-')
            || punct_at(t, m, '–')
            || punct_at(t, m, '—')
            || punct_at(t, m, '|')
            || punct_at(t, m, '·')
            || punct_at(t, m, '@')
            // "February 15, 2024: 7:56am UTC"
            || punct_at(t, m, ':');
        if joiner {
            m = skip_space(t, m + 1);
        }
        if let Some((tm, k2, half_day)) = time_at(t, m) {
            p.time = Some(tm);
            p.half_day = half_day;
            end = k2;
            time_from = m;
        } else if m > k
            && let Some((v, 4)) = num_at(t, m)
            && punct_at(t, m + 1, ':')
            && num_at(t, m + 2).is_none()
            && let Some(tm) = military_time(v)
        {
            // "2022-02-02 1625: ..." (a military time after a date, before a label colon).
            p.time = Some(tm);
            end = m + 1;
            time_from = m;
        }
    } else if let Some((tm, k, half_day)) = time_at(t, j) {
        p.time = Some(tm);
        p.half_day = half_day;
        end = k;
    } else if let Some((from, (tm, k, half_day))) =
        after_weekday(t, j).and_then(|from| Some((from, time_at(t, from)?)))
    {
        // "Tue 15:20": a weekday names no date of its own; the clock reads it against the
        // document's.
        p.weekday = word_at(t, j).and_then(weekday_number);
        p.time = Some(tm);
        p.half_day = half_day;
        end = k;
        time_from = from;
    } else {
        return None;
    }
    if p.time.is_some() {
        let z = skip_space(t, end);
        // "14:00-15:10" is a range, not 14:00 at UTC-15:10, after a date too ("9 December
        // 2026, 09:00-10:30"); "...T14:00-05:00" and "14:00:00-05:00" keep their offsets.
        let found = zone_at(s, t, z).or_else(|| zone_at(s, t, end));
        let range_not_offset = found.as_ref().is_some_and(|(zone, _)| {
            z == end
                && zone.label.starts_with(['-', '−'])
                && !(p.date.is_some() && {
                    // An ISO stamp: its time after a `T`, or with seconds.
                    let after_t = t
                        .get(time_from)
                        .is_some_and(|tok| s[..tok.start].ends_with(['T', 't']));
                    after_t || s_slice(t, time_from, end, s).matches(':').count() >= 2
                })
        });
        if let Some((zone, k)) = found.filter(|_| !range_not_offset) {
            p.zone = Some(zone);
            end = k;
        }
        // ctime: "Tue Oct 11 12:24:02 UTC 2022"
        if let Some(d) = p.date.as_mut()
            && d.year.is_none()
        {
            let k = skip_space(t, end);
            if let Some((y, 4)) = num_at(t, k)
                && (1900..2200).contains(&y)
            {
                d.year = Some(y as i32);
                end = k + 1;
            }
        }
        // "11:00 UTC on April 3rd, 2024", "12:45 PM PST Saturday Oct 30th"
        if p.date.is_none() {
            let mut k = skip_space(t, end);
            let on = word_at(t, k).is_some_and(|w| w.eq_ignore_ascii_case("on"));
            if on {
                k = skip_space(t, k + 1);
            }
            let weekday = after_weekday(t, k);
            if (on || weekday.is_some())
                && let Some((d, k2)) = date_at(t, weekday.unwrap_or(k))
            {
                p.date = Some(d);
                end = k2;
                // "00:40 on 2 May 2025 (BST)": the zone after the date is the time's.
                let z = skip_space(t, end);
                if p.zone.is_none()
                    && let Some((zone, k3)) = zone_at(s, t, z)
                    && !zone.label.starts_with(['-', '−', '+'])
                {
                    p.zone = Some(zone);
                    end = k3;
                }
            }
        }
    }
    // trailing "(approx.)", "14:05 approx" (not "09:30 UTC about 40% of requests", where the
    // word hedges the number after it)
    let k = skip_space(t, end);
    let after_word = skip_space(t, k + 1);
    let hedges_a_number = t
        .get(after_word)
        .is_some_and(|x| matches!(x.tok, Tok::Num(..)));
    if (word_at(t, k).is_some_and(approx_word) && !hedges_a_number)
        || (punct_at(t, k, '(') && word_at(t, k + 1).is_some_and(approx_word))
    {
        p.approximate = true;
    }
    Some((p, end))
}

/// Whether `s` can hold a date or a time at all: every one has a digit, except noon and midnight.
pub fn may_hold_stamp(s: &str) -> bool {
    s.bytes().any(|b| b.is_ascii_digit()) || mentions_noon_or_midnight(s)
}

/// Whether `s` can hold a clock time at all: a `:`, a digit followed by `.` or `h` (`11.30`,
/// `14h30`) or, after spaces, by `a` or `p` then `m` or `.` (`3 pm`, `3 a.m.`), or noon, midday,
/// midnight. Prose without any of these has dates and numbers at most, and a scan of it finds
/// no time.
pub fn may_hold_clock(s: &str) -> bool {
    if s.contains(':') || mentions_noon_or_midnight(s) {
        return true;
    }
    let b = s.as_bytes();
    b.iter().enumerate().any(|(i, c)| {
        if !c.is_ascii_digit() {
            return false;
        }
        let next = b.get(i + 1).copied();
        if matches!(next, Some(b'.' | b'h' | b'H')) {
            return true;
        }
        // Spaces (any non-ASCII byte counted as one), then a/p and m or `.`: "3 pm",
        // "3\u{a0}a.m." (not "3 alerts", "2 pods").
        let rest = &b[i + 1..];
        let Some(k) = rest.iter().position(|&c| !(is_ascii_space(c) || c >= 0x80)) else {
            return false;
        };
        matches!(rest[k], b'a' | b'A' | b'p' | b'P')
            && matches!(rest.get(k + 1), Some(b'm' | b'M' | b'.'))
    })
}

/// Whether `s` can hold a date with its year: every year is written as four digits, except in
/// `DD/MM/YY` and `3/April/11` (two digits after a separator that follows a digit or a month's
/// name). Lines without either give no year to a scan.
pub fn may_hold_year(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let end = i + b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        let run = end - i;
        if run == 4
            || (run == 2
                && i >= 2
                && matches!(b[i - 1], b'/' | b'.' | b'-')
                && b[i - 2].is_ascii_alphanumeric())
        {
            return true;
        }
        i = end;
    }
    false
}

pub(super) fn mentions_noon_or_midnight(s: &str) -> bool {
    let b = s.as_bytes();
    (0..b.len().saturating_sub(3)).any(|i| match b[i] | 0x20 {
        b'n' => b[i..i + 4].eq_ignore_ascii_case(b"noon"),
        b'm' => {
            b[i..i + 4].eq_ignore_ascii_case(b"midn") || b[i..i + 4].eq_ignore_ascii_case(b"midd")
        }
        _ => false,
    })
}

/// One stamp found while scanning prose, with its byte range.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    pub pieces: Pieces,
    pub start: usize,
    pub end: usize,
}

/// Every date or time mentioned in `s`, left to right, without overlaps. Four-digit numbers are
/// never read as clock times here (they are years far more often).
pub fn scan(s: &str) -> Vec<Found> {
    if !may_hold_stamp(s) {
        return Vec::new();
    }
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut stamp = Toks::new(s);
    // Candidates are found a byte at a time: a digit or letter run is a number or word token
    // wherever it starts, whatever lies between, so no other token needs reading.
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let before = i.checked_sub(1).map(|k| b[k]);
        // Where the token at `i` ends (the next candidate cannot start inside it).
        let mut token_end = i + 1;
        let starts = if c.is_ascii_digit() {
            let end = i + b[i..].iter().take_while(|x| x.is_ascii_digit()).count();
            let n = end - i;
            let after = b.get(end).copied();
            // A date or a time begins with one or two digits followed by a separator, a
            // letter or a space, or with a four-digit year followed by `-`, `/` or `.`;
            // nothing else starting with a number can be read as one.
            let shape = match n {
                1 | 2 => after.is_none_or(|c| {
                    c.is_ascii_alphabetic()
                        || is_ascii_space(c)
                        || c >= 0x80
                        || matches!(c, b':' | b'.' | b'/' | b'-')
                }),
                4 => matches!(after, Some(b'-' | b'/' | b'.')),
                _ => false,
            };
            // "14:00-15:10": a hyphen right after a time starts the range's end.
            let range_end = before == Some(b'-')
                && out
                    .last()
                    .is_some_and(|f: &Found| f.end + 1 == i && f.pieces.time.is_some());
            let ok = shape
                && (range_end
                    || !before.is_some_and(|c| {
                        c.is_ascii_alphanumeric()
                            || matches!(c, b'.' | b':' | b'/' | b'-' | b'#' | b'$')
                    }));
            token_end = end;
            ok
        } else if c.is_ascii_alphabetic() {
            let end = i + b[i..]
                .iter()
                .take_while(|x| x.is_ascii_alphabetic())
                .count();
            let w = &s[i..end];
            let ok = !before.is_some_and(|c| c.is_ascii_digit()) && names_day_or_hour(w);
            token_end = end;
            ok
        } else {
            c == b'~'
        };
        if !starts {
            i = token_end;
            continue;
        }
        stamp.restart(i);
        if let Some((p, end)) = stamp_at(s, &mut stamp, 0, false)
            && end > 0
            && (p.date.is_some() || p.time.is_some())
            // A number directly followed by letters ("5min", "3rd" handled) is not a stamp.
            && !matches!(stamp.get(end).map(|x| x.tok), Some(Tok::Word(_)))
            && let Some(last) = stamp.get(end - 1)
            && !(p.date.is_none()
                && p.zone.is_none()
                && !p.half_day
                && !s[i..last.end].contains(':')
                && version_before(&s[..i]))
        {
            out.push(Found {
                pieces: p,
                start: i,
                end: last.end,
            });
            i = last.end;
            continue;
        }
        i = token_end;
    }
    out
}

/// Whether the words just before a dotted number make it a version ("from version 1.13 to
/// 1.14", "upgrade to 2.10"), not a time ("at 14.05"): a word about versions among the last
/// four, and no word that introduces a time right before it.
pub(super) fn version_before(before: &str) -> bool {
    const VERSIONS: [&str; 12] = [
        "version",
        "versions",
        "v",
        "release",
        "releases",
        "upgrade",
        "upgraded",
        "upgrading",
        "downgrade",
        "downgraded",
        "downgrading",
        "patch",
    ];
    const TIMES: [&str; 7] = [
        "at",
        "by",
        "around",
        "about",
        "approximately",
        "until",
        "till",
    ];
    let mut words = before
        .rsplit(|c: char| !c.is_ascii_alphanumeric() && c != '.')
        .filter(|w| !w.is_empty())
        .take(4);
    if words
        .clone()
        .next()
        .is_some_and(|w| TIMES.iter().any(|t| w.eq_ignore_ascii_case(t)))
    {
        return false;
    }
    words.any(|w| VERSIONS.iter().any(|v| w.eq_ignore_ascii_case(v)))
}

/// The first stamp, line by line, for which `pick` gives a value: stops reading at the first
/// one instead of tokenising the whole text, and reads only the lines `may_hold` lets through
/// (a test that every line able to give `pick` a value passes, such as [`may_hold_year`]).
pub fn scan_first<T>(
    s: &str,
    may_hold: impl Fn(&str) -> bool,
    mut pick: impl FnMut(&Found) -> Option<T>,
) -> Option<T> {
    s.split('\n')
        .filter(|l| may_hold(l))
        .find_map(|line| scan(line).iter().find_map(&mut pick))
}

/// A four-digit military time followed by a zone (`1900 UTC`, `2100Z`) or `hrs`; used for
/// "between 1900 and 2100 UTC" style prose.
pub fn military_time(v: u32) -> Option<Time> {
    if v > 2359 || v % 100 >= 60 {
        return None;
    }
    Time::new((v / 100) as u8, (v % 100) as u8, 0)
}

/// Whether the words before token `i` declare what follows as the times' zone: "times
/// Pacific", "are Pacific", "times in Pacific", "are in Eastern" (not "an outage in Central").
fn declares_before(t: &mut Toks<'_>, i: usize) -> bool {
    let mut word_before = |i: usize| {
        space_at(t, i.wrapping_sub(1))
            .then(|| word_at(t, i.wrapping_sub(2)))
            .flatten()
    };
    let declaring = |w: &str| {
        ["times", "timestamps", "are", "shown", "given"]
            .iter()
            .any(|x| w.eq_ignore_ascii_case(x))
    };
    match word_before(i) {
        // "times are US Eastern": the country before its region.
        Some("US") => declares_before(t, i - 2),
        Some(w) if w.eq_ignore_ascii_case("in") => word_before(i - 2).is_some_and(declaring),
        Some(w) => declaring(w),
        None => false,
    }
}

/// Finds zone declarations in a heading or a line: `(all times PST/PDT)`, `All times in UTC`,
/// `Times are CEST`, `Time (UTC)`. Returns the first zone named.
pub fn declared_zone(s: &str) -> Option<Zone> {
    let mut t = Toks::new(s);
    let ci = crate::text::contains_ci;
    let mentions_time = ci(s, "time") || ci(s, "zone");
    let mut i = 0;
    while let Some(tok) = t.get(i) {
        i += 1;
        if let Tok::Word(w) = tok.tok {
            let i = i - 1;
            // No zone abbreviation is longer than a key (a test holds them to it).
            if w.len() > 16 {
                continue;
            }
            // Single letters and ambiguous English words are only zones right after "time".
            let mut buf = [0; 16];
            let l = lower(w, &mut buf);
            if l.len() < 2 && !mentions_time {
                continue;
            }
            if matches!(
                l,
                "et" | "ct"
                    | "pt"
                    | "est"
                    | "ist"
                    | "art"
                    | "cat"
                    | "met"
                    | "z"
                    | "eat"
                    | "ast"
                    | "west"
            ) && !w.chars().all(|c| c.is_ascii_uppercase())
            {
                continue;
            }
            if let Some((z, _)) = zone_name_at(&mut t, i).or_else(|| region_at(s, &mut t, i)) {
                return Some(z);
            }
            // A region named alone where times are declared: "Timeline (Eastern)", "All times
            // Pacific.", "All times are Pacific", "Times shown are in Eastern".
            let region = region_alone(l);
            if let Some(region) = region
                && mentions_time
                && (punct_at(&mut t, i.wrapping_sub(1), '(') && punct_at(&mut t, i + 1, ')')
                    || declares_before(&mut t, i))
            {
                return zone_from_abbreviation(region);
            }
            if zone_from_abbreviation(w).is_some()
                && (mentions_time || w.chars().all(|c| c.is_ascii_uppercase()))
                && let Some((z, _)) = zone_at(s, &mut t, i)
            {
                return Some(z);
            }
        }
    }
    None
}
