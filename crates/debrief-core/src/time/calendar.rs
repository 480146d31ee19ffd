//! The calendar: civil dates, clock times, zones and their abbreviations.

use std::borrow::Cow;
use std::fmt;

use super::tokens::*;

/// A civil date (proleptic Gregorian).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

impl Date {
    pub fn new(year: i32, month: u8, day: u8) -> Option<Date> {
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        if !(1900..=2199).contains(&year) {
            return None;
        }
        Some(Date { year, month, day })
    }

    /// Days since 1970-01-01.
    pub fn days_since_epoch(self) -> i64 {
        // Howard Hinnant's days_from_civil.
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = if y >= 0 { y } else { y - 399 } / 400;
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    pub fn from_days_since_epoch(z: i64) -> Date {
        let z = z + 719_468;
        let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let m = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let y = yoe + era * 400 + i64::from(m <= 2);
        Date {
            year: y as i32,
            month: m,
            day: d,
        }
    }

    /// The day of the week, 0 for Sunday to 6 for Saturday (1970-01-01 was a Thursday).
    pub fn weekday(self) -> u8 {
        (self.days_since_epoch() + 4).rem_euclid(7) as u8
    }

    pub fn add_days(self, n: i64) -> Date {
        Date::from_days_since_epoch(self.days_since_epoch() + n)
    }

    /// Whether `s` is a day of the calendar written `YYYY-MM-DD`, in any year (a search filter
    /// may name a day outside the years incidents are read in; it then matches none).
    pub fn is_iso_day(s: &str) -> bool {
        let b = s.as_bytes();
        b.len() == 10
            && b[..4].iter().all(u8::is_ascii_digit)
            // The month and day checked on a leap year: February 29 is a day of some year.
            && Date::parse_iso(&format!("2000{}", &s[4..])).is_some()
    }

    /// Parses `YYYY-MM-DD` exactly.
    pub fn parse_iso(s: &str) -> Option<Date> {
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        Date::new(
            s[0..4].parse().ok()?,
            s[5..7].parse().ok()?,
            s[8..10].parse().ok()?,
        )
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

pub(super) fn is_leap(y: i32) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

pub(super) fn days_in_month(y: i32, m: u8) -> u8 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(y) => 29,
        2 => 28,
        _ => 0,
    }
}

/// A clock time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Time {
    pub hour: u8,
    pub minute: u8,
    pub second: u8,
}

impl Time {
    pub fn new(hour: u8, minute: u8, second: u8) -> Option<Time> {
        (hour < 24 && minute < 60 && second < 60).then_some(Time {
            hour,
            minute,
            second,
        })
    }

    pub fn seconds(self) -> i64 {
        i64::from(self.hour) * 3600 + i64::from(self.minute) * 60 + i64::from(self.second)
    }
}

impl fmt::Display for Time {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}:{:02}", self.hour, self.minute)?;
        if self.second != 0 {
            write!(f, ":{:02}", self.second)?;
        }
        Ok(())
    }
}

/// A zone as the document names it, with its offset from UTC.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Zone {
    /// `GMT`, `PDT`, `UTC+2`, `+02:00`.
    pub label: Cow<'static, str>,
    /// Minutes east of UTC.
    pub offset_minutes: i32,
}

impl Zone {
    pub fn utc() -> Zone {
        Zone {
            label: "UTC".into(),
            offset_minutes: 0,
        }
    }

    /// This zone on `date` (at `time`, when known): a zone named for a region ("PT",
    /// "Eastern Time", "US/Pacific", "Europe/Berlin") takes the offset its clocks show that day,
    /// daylight saving time or not; a zone named for one offset ("PST", "UTC+2") is that offset.
    pub fn on(&self, date: Date, time: Option<Time>) -> Zone {
        match REGIONS
            .iter()
            .find(|(name, _, _)| name.eq_ignore_ascii_case(&self.label))
        {
            Some(&(_, standard, dst)) => Zone {
                label: self.label.clone(),
                offset_minutes: standard
                    + if dst.in_force(date, time, standard) {
                        60
                    } else {
                        0
                    },
            },
            None => self.clone(),
        }
    }
}

/// When a region's clocks run an hour ahead, by the day (and, on the day of a change, the hour).
#[derive(Debug, Clone, Copy)]
pub(super) enum Dst {
    /// Standard time all year.
    Never,
    /// The United States and Canada: from 02:00 on the second Sunday of March to 02:00 on the
    /// first Sunday of November (before 2007: the first Sunday of April to the last of October).
    NorthAmerica,
    /// The European Union and the United Kingdom: from 01:00 UTC on the last Sunday of March to
    /// 01:00 UTC on the last Sunday of October.
    Europe,
    /// South-eastern Australia: from 02:00 on the first Sunday of October to 03:00 on the first
    /// Sunday of April.
    SouthEastAustralia,
}

impl Dst {
    /// Whether daylight saving time applies at `time` on `date` (noon when the time is not
    /// known) in a region of this standard offset.
    fn in_force(self, date: Date, time: Option<Time>, standard: i32) -> bool {
        let minute = time.map_or(12 * 60, |t| i64::from(t.hour) * 60 + i64::from(t.minute));
        let sunday = |month: u8, nth: u8| nth_sunday(date.year, month, nth);
        // The day it starts and the day it ends, and the local minute (standard time on the
        // first day, daylight time on the last) the clocks change.
        let (begins, ends, at_begin, at_end) = match self {
            Dst::Never => return false,
            Dst::NorthAmerica if date.year >= 2007 => (sunday(3, 2), sunday(11, 1), 120, 120),
            Dst::NorthAmerica => (sunday(4, 1), sunday(10, 5), 120, 120),
            Dst::Europe => {
                let utc1 = 60 + i64::from(standard);
                (sunday(3, 5), sunday(10, 5), utc1, utc1 + 60)
            }
            Dst::SouthEastAustralia => {
                // Southern summer: in force unless between April's change and October's.
                let (autumn, spring) = (sunday(4, 1), sunday(10, 1));
                let standard_time = (date > autumn || (date == autumn && minute >= 180))
                    && (date < spring || (date == spring && minute < 120));
                return !standard_time;
            }
        };
        (date > begins || (date == begins && minute >= at_begin))
            && (date < ends || (date == ends && minute < at_end))
    }
}

/// The `nth` Sunday of a month (1 the first; 5 the last, whichever week that is).
fn nth_sunday(year: i32, month: u8, nth: u8) -> Date {
    let first = Date {
        year,
        month,
        day: 1,
    };
    let weekday = first.weekday();
    let mut day = 1 + (7 - weekday) % 7 + 7 * (nth - 1);
    while day > days_in_month(year, month) {
        day -= 7;
    }
    Date { year, month, day }
}

/// Zones named for a region, as written (generic zones of North America, a region's standard
/// and summer abbreviations together as "PST/PDT", IANA names), with
/// their standard offset and when their clocks go forward: [`Zone::on`] gives the offset of a
/// day. Read as a word ("PT") or a name ("Pacific Time", "US/Pacific", "America/Los_Angeles").
pub(super) const REGIONS: &[(&str, i32, Dst)] = &[
    ("PT", -480, Dst::NorthAmerica),
    ("MT", -420, Dst::NorthAmerica),
    ("CT", -360, Dst::NorthAmerica),
    ("ET", -300, Dst::NorthAmerica),
    ("PST/PDT", -480, Dst::NorthAmerica),
    ("MST/MDT", -420, Dst::NorthAmerica),
    ("CST/CDT", -360, Dst::NorthAmerica),
    ("EST/EDT", -300, Dst::NorthAmerica),
    ("GMT/BST", 0, Dst::Europe),
    ("CET/CEST", 60, Dst::Europe),
    ("EET/EEST", 120, Dst::Europe),
    ("AEST/AEDT", 600, Dst::SouthEastAustralia),
    ("US/Pacific", -480, Dst::NorthAmerica),
    ("US/Mountain", -420, Dst::NorthAmerica),
    ("US/Central", -360, Dst::NorthAmerica),
    ("US/Eastern", -300, Dst::NorthAmerica),
    ("America/Los_Angeles", -480, Dst::NorthAmerica),
    ("America/Vancouver", -480, Dst::NorthAmerica),
    ("America/Denver", -420, Dst::NorthAmerica),
    ("America/Phoenix", -420, Dst::Never),
    ("America/Chicago", -360, Dst::NorthAmerica),
    ("America/New_York", -300, Dst::NorthAmerica),
    ("America/Toronto", -300, Dst::NorthAmerica),
    ("America/Sao_Paulo", -180, Dst::Never),
    ("Europe/London", 0, Dst::Europe),
    ("Europe/Dublin", 0, Dst::Europe),
    ("Europe/Lisbon", 0, Dst::Europe),
    ("Europe/Amsterdam", 60, Dst::Europe),
    ("Europe/Berlin", 60, Dst::Europe),
    ("Europe/Brussels", 60, Dst::Europe),
    ("Europe/Copenhagen", 60, Dst::Europe),
    ("Europe/Madrid", 60, Dst::Europe),
    ("Europe/Oslo", 60, Dst::Europe),
    ("Europe/Paris", 60, Dst::Europe),
    ("Europe/Prague", 60, Dst::Europe),
    ("Europe/Rome", 60, Dst::Europe),
    ("Europe/Stockholm", 60, Dst::Europe),
    ("Europe/Vienna", 60, Dst::Europe),
    ("Europe/Warsaw", 60, Dst::Europe),
    ("Europe/Zurich", 60, Dst::Europe),
    ("Europe/Athens", 120, Dst::Europe),
    ("Europe/Helsinki", 120, Dst::Europe),
    ("Europe/Istanbul", 180, Dst::Never),
    ("Europe/Moscow", 180, Dst::Never),
    ("Africa/Lagos", 60, Dst::Never),
    ("Africa/Nairobi", 180, Dst::Never),
    ("Asia/Dubai", 240, Dst::Never),
    ("Asia/Kolkata", 330, Dst::Never),
    ("Asia/Calcutta", 330, Dst::Never),
    ("Asia/Singapore", 480, Dst::Never),
    ("Asia/Shanghai", 480, Dst::Never),
    ("Asia/Hong_Kong", 480, Dst::Never),
    ("Asia/Tokyo", 540, Dst::Never),
    ("Asia/Seoul", 540, Dst::Never),
    ("Australia/Sydney", 600, Dst::SouthEastAustralia),
    ("Australia/Melbourne", 600, Dst::SouthEastAustralia),
    ("Australia/Brisbane", 600, Dst::Never),
    ("Etc/UTC", 0, Dst::Never),
];

/// A region's zone by its name as written, any case, with the name as the table spells it.
pub fn zone_of_region(name: &str) -> Option<Zone> {
    REGIONS
        .iter()
        .find(|(n, _, _)| n.eq_ignore_ascii_case(name))
        .map(|&(n, standard, _)| Zone {
            label: Cow::Borrowed(n),
            offset_minutes: standard,
        })
}

/// Abbreviations (as labels are written) and their offsets. Ambiguous ones (IST, CST, BST) take their most common
/// meaning in English-language incident reports; [`is_ambiguous_zone`] says which.
pub(super) const ZONES: &[(&str, i32)] = &[
    ("UTC", 0),
    ("GMT", 0),
    ("Z", 0),
    ("ZULU", 0),
    ("WET", 0),
    ("WEST", 60),
    ("BST", 60),
    ("CET", 60),
    ("CEST", 120),
    ("MET", 60),
    ("MEST", 120),
    // German: Mitteleuropäische (Sommer)zeit.
    ("MEZ", 60),
    ("MESZ", 120),
    ("WAT", 60),
    ("CAT", 120),
    ("SAST", 120),
    ("EET", 120),
    ("EEST", 180),
    ("EAT", 180),
    ("MSK", 180),
    ("IST", 330),
    ("PKT", 300),
    ("SGT", 480),
    ("HKT", 480),
    ("AWST", 480),
    ("JST", 540),
    ("KST", 540),
    ("ACST", 570),
    ("AEST", 600),
    ("AEDT", 660),
    ("NZST", 720),
    ("NZDT", 780),
    ("HST", -600),
    ("AKST", -540),
    ("AKDT", -480),
    ("PST", -480),
    ("PDT", -420),
    ("PT", -480),
    ("MST", -420),
    ("MDT", -360),
    ("MT", -420),
    ("CST", -360),
    ("CDT", -300),
    ("CT", -360),
    ("EST", -300),
    ("EDT", -240),
    ("ET", -300),
    ("AST", -240),
    ("ADT", -180),
    ("BRT", -180),
    ("ART", -180),
];

/// Zones written out ("Pacific Time", "Central European Summer Time"), as lowercase words, and
/// the abbreviation each stands for. A longer name comes before a shorter one it starts with.
pub(super) const ZONE_NAMES: &[(&[&str], &str)] = &[
    (&["pacific", "standard", "time"], "PST"),
    (&["pacific", "daylight", "time"], "PDT"),
    (&["pacific", "time"], "PT"),
    (&["eastern", "standard", "time"], "EST"),
    (&["eastern", "daylight", "time"], "EDT"),
    (&["eastern", "european", "summer", "time"], "EEST"),
    (&["eastern", "european", "time"], "EET"),
    (&["eastern", "time"], "ET"),
    (&["central", "standard", "time"], "CST"),
    (&["central", "daylight", "time"], "CDT"),
    (&["central", "european", "summer", "time"], "CEST"),
    (&["central", "european", "standard", "time"], "CET"),
    (&["central", "european", "time"], "CET"),
    (&["central", "time"], "CT"),
    (&["mountain", "standard", "time"], "MST"),
    (&["mountain", "daylight", "time"], "MDT"),
    (&["mountain", "time"], "MT"),
    (&["coordinated", "universal", "time"], "UTC"),
    (&["universal", "time"], "UTC"),
    (&["greenwich", "mean", "time"], "GMT"),
    (&["british", "summer", "time"], "BST"),
    (&["western", "european", "summer", "time"], "WEST"),
    (&["western", "european", "time"], "WET"),
    (&["india", "standard", "time"], "IST"),
    (&["indian", "standard", "time"], "IST"),
    (&["japan", "standard", "time"], "JST"),
    (&["korea", "standard", "time"], "KST"),
    (&["singapore", "time"], "SGT"),
    (&["australian", "eastern", "standard", "time"], "AEST"),
    (&["australian", "eastern", "daylight", "time"], "AEDT"),
    (&["moscow", "time"], "MSK"),
    (&["uk", "time"], "Europe/London"),
    (&["london", "time"], "Europe/London"),
    (&["british", "time"], "Europe/London"),
];

/// Abbreviations that name more than one zone; a document using them deserves a note.
pub fn is_ambiguous_zone(label: &str) -> bool {
    matches!(lower(label, &mut [0; 16]), "ist" | "cst" | "bst" | "ast")
}

/// A zone's abbreviation, in any case but a two-letter one, which is written in capitals ("9h30
/// et 11h45" joins two times).
pub fn zone_from_abbreviation(word: &str) -> Option<Zone> {
    if word.len() == 2 && !word.bytes().all(|b| b.is_ascii_uppercase()) {
        return None;
    }
    let first = word.bytes().next()?.to_ascii_uppercase();
    ZONES
        .iter()
        .find(|(n, _)| {
            n.len() == word.len() && n.as_bytes()[0] == first && n.eq_ignore_ascii_case(word)
        })
        .map(|(n, off)| Zone {
            label: Cow::Borrowed(n),
            offset_minutes: *off,
        })
}
