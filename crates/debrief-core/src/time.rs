//! Dates, clock times and zones as people write them in postmortems.
//!
//! A [`Stamp`] keeps what the document said (a civil date, a clock time, a zone label, "about")
//! rather than converting to UTC and forgetting: `11:02 AM GMT` stays a GMT time, a time without a
//! date stays dateless. [`Stamp::utc_seconds`] converts when everything needed is known.
//!
//! Parsing is by hand on a small token stream: chrono and jiff either drop zone abbreviations or
//! refuse them, and postmortems are full of `PDT`, `UTC+2`, `3am`, `April 3rd, 2024`.
//! Nothing here allocates per character or backtracks more than a few tokens, so scanning prose is
//! linear in its length.

use std::borrow::Cow;
use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

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

    pub fn add_days(self, n: i64) -> Date {
        Date::from_days_since_epoch(self.days_since_epoch() + n)
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

fn is_leap(y: i32) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i32, m: u8) -> u8 {
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
}

/// Abbreviations (as labels are written) and their offsets. Ambiguous ones (IST, CST, BST) take their most common
/// meaning in English-language incident reports; [`is_ambiguous_zone`] says which.
const ZONES: &[(&str, i32)] = &[
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

/// Abbreviations that name more than one zone; a document using them deserves a note.
pub fn is_ambiguous_zone(label: &str) -> bool {
    matches!(
        lower(label, &mut [0; 16]),
        "ist" | "cst" | "bst" | "ast" | "pt" | "et" | "ct"
    )
}

pub fn zone_from_abbreviation(word: &str) -> Option<Zone> {
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

/// A point in time as a postmortem states it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Stamp {
    /// Civil date in the stamp's zone; `None` when the document never says which day.
    pub date: Option<Date>,
    /// For dateless stamps: days after the first day of the timeline (midnight roll-over).
    pub day: u16,
    /// Clock time; `None` for a date alone.
    pub time: Option<Time>,
    /// Zone as written; `None` when the document states none.
    pub zone: Option<Zone>,
    /// "about 11:00", "~11:00", "approximately".
    pub approximate: bool,
}

impl Stamp {
    /// Seconds since the Unix epoch, when date, time and zone are known. `assume_utc` treats a
    /// missing zone as UTC.
    pub fn utc_seconds(&self, assume_utc: bool) -> Option<i64> {
        let date = self.date?;
        let time = self.time?;
        let offset = match &self.zone {
            Some(z) => z.offset_minutes,
            None if assume_utc => 0,
            None => return None,
        };
        Some(date.days_since_epoch() * 86_400 + time.seconds() - i64::from(offset) * 60)
    }

    /// A sort key that works for dated and dateless stamps of one document (same zone assumed
    /// for dateless ones).
    pub fn sort_key(&self) -> Option<i64> {
        let time = self.time.map(Time::seconds).unwrap_or(0);
        let offset = self
            .zone
            .as_ref()
            .map_or(0, |z| i64::from(z.offset_minutes) * 60);
        match self.date {
            Some(d) => Some(d.days_since_epoch() * 86_400 + time - offset),
            None if self.time.is_some() => Some(i64::from(self.day) * 86_400 + time - offset),
            None => None,
        }
    }

    /// RFC 3339 with the stamp's own offset (`Z` for a zero offset), when date and time are
    /// known. A missing zone is written as UTC; callers that care check [`Stamp::zone`].
    pub fn rfc3339(&self) -> Option<String> {
        let date = self.date?;
        let time = self.time?;
        let off = self.zone.as_ref().map_or(0, |z| z.offset_minutes);
        let zone = if off == 0 {
            "Z".to_string()
        } else {
            let sign = if off < 0 { '-' } else { '+' };
            format!("{sign}{:02}:{:02}", off.abs() / 60, off.abs() % 60)
        };
        Some(format!(
            "{date}T{:02}:{:02}:{:02}{zone}",
            time.hour, time.minute, time.second
        ))
    }

    /// Minutes from `self` to `later`, when both can be placed on one clock.
    pub fn minutes_until(&self, later: &Stamp) -> Option<i64> {
        if self.time.is_none() || later.time.is_none() {
            return None;
        }
        if self.date.is_some() != later.date.is_some() {
            return None;
        }
        Some((later.sort_key()? - self.sort_key()?) / 60)
    }
}

/// The canonical text form: `[~]DATE|day+N [HH:MM[:SS]] [ZONE]`, read back by [`parse_canonical`].
impl fmt::Display for Stamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts: Vec<String> = Vec::new();
        match self.date {
            Some(d) => parts.push(d.to_string()),
            None if self.day > 0 => parts.push(format!("day+{}", self.day)),
            None => {}
        }
        if let Some(t) = self.time {
            parts.push(t.to_string());
        }
        if let Some(z) = &self.zone {
            parts.push(z.label.to_string());
        }
        if self.approximate {
            write!(f, "~")?;
        }
        write!(f, "{}", parts.join(" "))
    }
}

impl Serialize for Stamp {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
}

impl<'de> Deserialize<'de> for Stamp {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        parse_canonical(&s).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "`{s}` is not a stamp; write it as `2024-04-03 11:02 UTC`, `11:02`, or `day+1 00:40 CEST`"
            ))
        })
    }
}

impl JsonSchema for Stamp {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Stamp".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "description": "A point in time as the document states it: `[~]DATE|day+N [HH:MM[:SS]] [ZONE]`, for example `2024-04-03 11:02 GMT`, `~11:30`, `day+1 00:40 EEST`, `2024-04-03`. `~` marks an approximate time; `day+N` counts days from the first day of a timeline whose date is unknown.",
            "pattern": "^~?(\\d{4}-\\d{2}-\\d{2}|day\\+\\d+)?( ?\\d{2}:\\d{2}(:\\d{2})?)?( [^ ]+)?$"
        })
    }
}

/// Reads the canonical stamp form written by `Display`.
pub fn parse_canonical(s: &str) -> Option<Stamp> {
    let (approximate, rest) = match s.strip_prefix('~') {
        Some(r) => (true, r),
        None => (false, s),
    };
    let mut stamp = Stamp {
        approximate,
        ..Stamp::default()
    };
    let mut parts = rest.split(' ').filter(|p| !p.is_empty()).peekable();
    if let Some(p) = parts.peek() {
        if let Some(d) = Date::parse_iso(p) {
            stamp.date = Some(d);
            parts.next();
        } else if let Some(n) = p.strip_prefix("day+") {
            stamp.day = n.parse().ok()?;
            parts.next();
        }
    }
    if let Some(p) = parts.peek()
        && let Some(t) = parse_hms(p)
    {
        stamp.time = Some(t);
        parts.next();
    }
    if let Some(label) = parts.next() {
        stamp.zone = Some(parse_zone_label(label)?);
    }
    if parts.next().is_some() || (stamp.date.is_none() && stamp.time.is_none()) {
        return None;
    }
    Some(stamp)
}

fn parse_hms(s: &str) -> Option<Time> {
    let mut it = s.split(':');
    let h = it.next()?;
    let m = it.next()?;
    let sec = it.next().unwrap_or("0");
    if it.next().is_some() || h.len() != 2 || m.len() != 2 {
        return None;
    }
    Time::new(h.parse().ok()?, m.parse().ok()?, sec.parse().ok()?)
}

/// Reads a zone label on its own: an abbreviation, `UTC+2`, `GMT-05:00`, `+02:00`.
pub fn parse_zone_label(label: &str) -> Option<Zone> {
    let mut toks = Toks::new(label);
    let (zone, end) = zone_at(label, &mut toks, 0)?;
    toks.get(end).is_none().then_some(zone)
}

// ---------------------------------------------------------------------------------------------
// Tokens

#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Tok<'a> {
    /// Digits: value (saturating) and digit count.
    Num(u32, u8),
    /// Letters, lowercase comparison is done by callers.
    Word(&'a str),
    Punct(char),
    Space,
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct Token<'a> {
    pub tok: Tok<'a>,
    pub start: usize,
    pub end: usize,
}

pub(crate) fn tokenize(s: &str) -> Vec<Token<'_>> {
    let mut out = Vec::with_capacity(s.len() / 3 + 4);
    out.extend(Tokens { s, i: 0 });
    out
}

/// The tokens of a string, one at a time (no allocation).
#[derive(Clone, Copy)]
struct Tokens<'a> {
    s: &'a str,
    i: usize,
}

impl<'a> Iterator for Tokens<'a> {
    type Item = Token<'a>;

    fn next(&mut self) -> Option<Token<'a>> {
        let (s, bytes, start) = (self.s, self.s.as_bytes(), self.i);
        let first = *bytes.get(start)?;
        let mut i = start;
        let tok = if first.is_ascii_digit() {
            let mut v: u32 = 0;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                v = v
                    .saturating_mul(10)
                    .saturating_add(u32::from(bytes[i] - b'0'));
                i += 1;
            }
            Tok::Num(v, (i - start).min(255) as u8)
        } else if first.is_ascii_alphabetic() {
            while i < bytes.len() && bytes[i].is_ascii_alphabetic() {
                i += 1;
            }
            Tok::Word(&s[start..i])
        } else if is_ascii_space(first) || first >= 0x80 {
            let c = s[start..].chars().next().unwrap_or(' ');
            if c.is_whitespace() {
                // A run of whitespace, read a byte at a time while it is ASCII.
                loop {
                    match bytes.get(i) {
                        Some(&b) if is_ascii_space(b) => i += 1,
                        Some(&b) if b >= 0x80 => match s[i..].chars().next() {
                            Some(c2) if c2.is_whitespace() => i += c2.len_utf8(),
                            _ => break,
                        },
                        _ => break,
                    }
                }
                Tok::Space
            } else {
                i += c.len_utf8();
                Tok::Punct(c)
            }
        } else {
            i += 1;
            Tok::Punct(char::from(first))
        };
        self.i = i;
        Some(Token { tok, start, end: i })
    }
}

/// Tokens read on demand from a byte offset: reading a stamp looks only a few tokens past where
/// it starts, so scanning a long line never tokenises all of it. Token `0` is the one at the
/// offset; byte positions stay those of the whole string.
pub(crate) struct Toks<'a> {
    /// The first tokens, in place: nearly every stamp fits, so reading one does not allocate.
    near: [Token<'a>; NEAR],
    /// How many tokens have been read.
    len: usize,
    /// Tokens past the first [`NEAR`].
    far: Vec<Token<'a>>,
    rest: Tokens<'a>,
}

const NEAR: usize = 16;

impl<'a> Toks<'a> {
    fn new(s: &'a str) -> Toks<'a> {
        let blank = Token {
            tok: Tok::Space,
            start: 0,
            end: 0,
        };
        Toks {
            near: [blank; NEAR],
            len: 0,
            far: Vec::new(),
            rest: Tokens { s, i: 0 },
        }
    }

    /// Starts again at byte `from`, which must begin a token.
    fn restart(&mut self, from: usize) {
        self.len = 0;
        self.far.clear();
        self.rest.i = from;
    }

    #[inline]
    fn get(&mut self, i: usize) -> Option<Token<'a>> {
        while self.len <= i {
            let next = self.rest.next()?;
            match self.near.get_mut(self.len) {
                Some(slot) => *slot = next,
                None => self.far.push(next),
            }
            self.len += 1;
        }
        Some(match self.near.get(i) {
            Some(t) => *t,
            None => self.far[i - NEAR],
        })
    }
}

/// `w` in ASCII lowercase, copied into `buf`; a word longer than the buffer becomes "" (no
/// keyword compared against here is that long). Stamp reading asks this of many words, so it
/// does not allocate.
fn lower<'b>(w: &str, buf: &'b mut [u8; 16]) -> &'b str {
    let Some(dst) = buf.get_mut(..w.len()) else {
        return "";
    };
    dst.copy_from_slice(w.as_bytes());
    dst.make_ascii_lowercase();
    std::str::from_utf8(dst).unwrap_or("")
}

fn is_ordinal_suffix(w: &str) -> bool {
    ["st", "nd", "rd", "th"]
        .iter()
        .any(|x| x.eq_ignore_ascii_case(w))
}

/// The ASCII characters `char::is_whitespace` accepts.
fn is_ascii_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

#[inline]
fn word_at<'a>(t: &mut Toks<'a>, i: usize) -> Option<&'a str> {
    match t.get(i)?.tok {
        Tok::Word(w) => Some(w),
        _ => None,
    }
}

#[inline]
fn num_at(t: &mut Toks<'_>, i: usize) -> Option<(u32, u8)> {
    match t.get(i)?.tok {
        Tok::Num(v, n) => Some((v, n)),
        _ => None,
    }
}

#[inline]
fn punct_at(t: &mut Toks<'_>, i: usize, c: char) -> bool {
    matches!(t.get(i).map(|x| x.tok), Some(Tok::Punct(p)) if p == c)
}

#[inline]
fn space_at(t: &mut Toks<'_>, i: usize) -> bool {
    matches!(t.get(i).map(|x| x.tok), Some(Tok::Space))
}

#[inline]
fn skip_space(t: &mut Toks<'_>, i: usize) -> usize {
    if space_at(t, i) { i + 1 } else { i }
}

/// The month a word names (`Jan`, `january`, `Sept`).
pub fn month_number(w: &str) -> Option<u8> {
    month_from_word(w)
}

/// A word's first three bytes in ASCII lowercase, as one number to compare in one step.
const fn head3(b: &[u8]) -> u32 {
    u32::from_le_bytes([
        b[0].to_ascii_lowercase(),
        b[1].to_ascii_lowercase(),
        b[2].to_ascii_lowercase(),
        0,
    ])
}

const JAN: u32 = head3(b"jan");
const FEB: u32 = head3(b"feb");
const MAR: u32 = head3(b"mar");
const APR: u32 = head3(b"apr");
const MAY: u32 = head3(b"may");
const JUN: u32 = head3(b"jun");
const JUL: u32 = head3(b"jul");
const AUG: u32 = head3(b"aug");
const SEP: u32 = head3(b"sep");
const OCT: u32 = head3(b"oct");
const NOV: u32 = head3(b"nov");
const DEC: u32 = head3(b"dec");
const MON: u32 = head3(b"mon");
const TUE: u32 = head3(b"tue");
const WED: u32 = head3(b"wed");
const THU: u32 = head3(b"thu");
const FRI: u32 = head3(b"fri");
const SAT: u32 = head3(b"sat");
const SUN: u32 = head3(b"sun");
const NOO: u32 = head3(b"noo");
const MID: u32 = head3(b"mid");

/// Where a word's head falls in [`HEAD_FILTER`].
const fn head_slot(h: u32) -> usize {
    (h.wrapping_mul(0x9E37_79B1) >> 24) as usize
}

/// Bit `head_slot(h)` set for the head of every month, weekday, noon and midnight: most words
/// are told apart by one bit, before the heads are compared one by one.
static HEAD_FILTER: [u64; 4] = {
    let heads = [
        JAN, FEB, MAR, APR, MAY, JUN, JUL, AUG, SEP, OCT, NOV, DEC, MON, TUE, WED, THU, FRI, SAT,
        SUN, NOO, MID,
    ];
    let mut bits = [0u64; 4];
    let mut i = 0;
    while i < heads.len() {
        let slot = head_slot(heads[i]);
        bits[slot / 64] |= 1 << (slot % 64);
        i += 1;
    }
    bits
};

fn month_from_word(w: &str) -> Option<u8> {
    const MONTHS: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    // Called for every word of prose: the first three letters pick the only candidate.
    if !(3..=9).contains(&w.len()) {
        return None;
    }
    let m = match head3(w.as_bytes()) {
        JAN => 1,
        FEB => 2,
        MAR => 3,
        APR => 4,
        MAY => 5,
        JUN => 6,
        JUL => 7,
        AUG => 8,
        SEP => 9,
        OCT => 10,
        NOV => 11,
        DEC => 12,
        _ => return None,
    };
    let full = MONTHS[usize::from(m - 1)];
    (w.len() == 3 || full.eq_ignore_ascii_case(w) || (m == 9 && w.eq_ignore_ascii_case("sept")))
        .then_some(m)
}

fn is_weekday(w: &str) -> bool {
    const DAYS: [&str; 7] = [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ];
    if !(3..=9).contains(&w.len()) {
        return false;
    }
    let d = match head3(w.as_bytes()) {
        MON => DAYS[0],
        TUE => DAYS[1],
        WED => DAYS[2],
        THU => DAYS[3],
        FRI => DAYS[4],
        SAT => DAYS[5],
        SUN => DAYS[6],
        _ => return false,
    };
    // The full name, or an abbreviation of three or four letters ("Tue", "Thur").
    d.eq_ignore_ascii_case(w) || (w.len() <= 4 && d[..w.len()].eq_ignore_ascii_case(w))
}

/// Whether a word can begin a stamp: a month, a weekday, noon, midnight or midday. Most words of
/// prose fail on their length or first three letters, before any name is compared.
fn names_day_or_hour(w: &str) -> bool {
    if !(3..=9).contains(&w.len()) {
        return false;
    }
    let head = head3(w.as_bytes());
    let slot = head_slot(head);
    if HEAD_FILTER[slot / 64] & (1 << (slot % 64)) == 0 {
        return false;
    }
    match head {
        JAN | FEB | MAR | APR | MAY | JUN | JUL | AUG | SEP | OCT | NOV | DEC => {
            month_from_word(w).is_some()
        }
        MON | TUE | WED | THU | FRI | SAT | SUN => is_weekday(w),
        NOO => w.eq_ignore_ascii_case("noon"),
        MID => w.eq_ignore_ascii_case("midnight"),
        _ => false,
    }
}

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
}

impl PartialDate {
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
}

/// Parses a date at token `i`. Returns the date and the index after it.
fn date_at(t: &mut Toks<'_>, i: usize) -> Option<(PartialDate, usize)> {
    let mut j = i;
    // Optional weekday: "Tue", "Monday,".
    if let Some(w) = word_at(t, j)
        && is_weekday(w)
        && month_from_word(w).is_none()
    {
        j += 1;
        if punct_at(t, j, ',') || punct_at(t, j, '.') {
            j += 1;
        }
        j = skip_space(t, j);
    }
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
                    let pd = PartialDate {
                        year: Some(v as i32),
                        month: m as u8,
                        day: d as u8,
                        ambiguous_order: false,
                        day_first: false,
                    };
                    pd.with_year(None)?;
                    return Some((pd, j + 5));
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
                    let (a, b) = (v as u8, b as u8);
                    let (month, day, ambiguous) = if a > 12 {
                        (b, a, false)
                    } else if b > 12 {
                        (a, b, false)
                    } else {
                        // Slashes: US order (month first) is the most common in the
                        // reports we read; dots and dashes: day first.
                        if sep == '/' {
                            (a, b, a != b)
                        } else {
                            (b, a, a != b)
                        }
                    };
                    let pd = PartialDate {
                        year,
                        month,
                        day,
                        ambiguous_order: ambiguous,
                        day_first: sep != '/',
                    };
                    Date::new(year.unwrap_or(2000), month, day)?;
                    return Some((pd, j + 5));
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
                    let (a, b) = (v as u8, b as u8);
                    let (month, day, ambiguous) = if a > 12 {
                        (b, a, false)
                    } else if b > 12 {
                        (a, b, false)
                    } else if sep == '/' {
                        (a, b, a != b)
                    } else {
                        (b, a, a != b)
                    };
                    let pd = PartialDate {
                        year: None,
                        month,
                        day,
                        ambiguous_order: ambiguous,
                        day_first: sep != '/',
                    };
                    Date::new(2000, month, day)?;
                    return Some((pd, j + 3));
                }
            }
            // "06/May/2022", "06-May-2022"
            for sep in ['/', '-'] {
                if punct_at(t, j + 1, sep)
                    && punct_at(t, j + 3, sep)
                    && let Some(month) = word_at(t, j + 2).and_then(month_from_word)
                    && let Some((y, 4)) = num_at(t, j + 4)
                {
                    let pd = PartialDate {
                        year: Some(y as i32),
                        month,
                        day: v as u8,
                        ambiguous_order: false,
                        day_first: false,
                    };
                    pd.with_year(None)?;
                    return Some((pd, j + 5));
                }
            }
            // "3 April 2024", "3rd of April", "12th May"
            let mut k = j + 1;
            if let Some(w) = word_at(t, k)
                && is_ordinal_suffix(w)
            {
                k += 1;
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
            let pd = PartialDate {
                year,
                month,
                day: v as u8,
                ambiguous_order: false,
                day_first: false,
            };
            Date::new(year.unwrap_or(2000), month, v as u8)?;
            return Some((pd, end));
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
    let pd = PartialDate {
        year,
        month,
        day: d as u8,
        ambiguous_order: false,
        day_first: false,
    };
    Date::new(year.unwrap_or(2000), month, d as u8)?;
    Some((pd, end))
}

/// An optional `, 2024` / ` 2024` after a day and month.
fn year_after(t: &mut Toks<'_>, k: usize) -> (Option<i32>, usize) {
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
    (None, k)
}

/// `am`, `pm`, `a.m.`, `p.m.` at `i`: returns (is_pm, index after).
fn ampm_at(t: &mut Toks<'_>, i: usize) -> Option<(bool, usize)> {
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

fn apply_ampm(h: u32, pm: bool) -> Option<u8> {
    if !(1..=12).contains(&h) {
        return None;
    }
    let h = h % 12;
    Some((if pm { h + 12 } else { h }) as u8)
}

/// A clock time at `i`: `11:02`, `11:02:33`, `11:02 AM`, `3am`, `noon`.
fn time_at(t: &mut Toks<'_>, i: usize) -> Option<(Time, usize)> {
    if let Some(w) = word_at(t, i) {
        return match lower(w, &mut [0; 16]) {
            "noon" | "midday" => Some((Time::new(12, 0, 0)?, i + 1)),
            "midnight" => Some((Time::new(0, 0, 0)?, i + 1)),
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
    if (punct_at(t, j, ':') || (punct_at(t, j, '.') && matches!(num_at(t, j + 1), Some((_, 2)))))
        && matches!(num_at(t, j + 1), Some((_, 2)))
    {
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
        return Some((Time::new(hour, min as u8, sec as u8)?, end));
    }
    if !had_minutes {
        return None;
    }
    Some((Time::new(h as u8, min as u8, sec as u8)?, j))
}

/// A zone at `i` (after a time): `UTC`, `(PDT)`, `UTC+2`, `GMT-05:00`, `+02:00`, `Z`.
fn zone_at(s: &str, t: &mut Toks<'_>, i: usize) -> Option<(Zone, usize)> {
    let paren = punct_at(t, i, '(');
    let mut j = if paren { skip_space(t, i + 1) } else { i };
    let zone = if let Some(w) = word_at(t, j) {
        let base = zone_from_abbreviation(w)?;
        j += 1;
        if (w.eq_ignore_ascii_case("utc") || w.eq_ignore_ascii_case("gmt"))
            && (punct_at(t, j, '+') || punct_at(t, j, '-') || punct_at(t, j, '−'))
        {
            let sign = if punct_at(t, j, '+') { 1 } else { -1 };
            let (off, end) = offset_digits(t, j + 1)?;
            let label = format!("{}{}", w.to_ascii_uppercase(), &s_slice(t, j, end, s));
            j = end;
            Zone {
                label: label.into(),
                offset_minutes: sign * off,
            }
        } else {
            // "PST/PDT": take the first, swallow the alternative.
            if punct_at(t, j, '/') && word_at(t, j + 1).and_then(zone_from_abbreviation).is_some() {
                j += 2;
            }
            base
        }
    } else if punct_at(t, j, '+') || punct_at(t, j, '-') || punct_at(t, j, '−') {
        let sign = if punct_at(t, j, '+') { 1 } else { -1 };
        let (off, end) = offset_digits(t, j + 1)?;
        // Only a full offset counts on its own (`+02:00`, `+0200`), never `-5` (a range).
        if !matches!(num_at(t, j + 1), Some((_, 2 | 4))) {
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

fn s_slice<'a>(t: &mut Toks<'_>, from: usize, to: usize, s: &'a str) -> &'a str {
    match (t.get(from), to.checked_sub(1).and_then(|last| t.get(last))) {
        (Some(a), Some(b)) if from < to => s.get(a.start..b.end).unwrap_or(""),
        _ => "",
    }
}

/// `2`, `02`, `0200`, `02:00`, `5:30` after a sign: minutes.
fn offset_digits(t: &mut Toks<'_>, i: usize) -> Option<(i32, usize)> {
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

fn approx_word(w: &str) -> bool {
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
fn may_begin_stamp(w: &str) -> bool {
    approx_word(w)
        || is_weekday(w)
        || month_from_word(w).is_some()
        || matches!(
            lower(w, &mut [0; 16]),
            "tbd" | "unknown" | "xx" | "noon" | "midday" | "midnight"
        )
}

/// No stamp is longer than this many bytes.
const STAMP_MAX_BYTES: usize = 120;

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

/// [`stamp_prefix`] by the full reader, token by token.
fn read_stamp_prefix(s: &str) -> Option<(Pieces, usize)> {
    // Text that starts with a word starts a stamp only with one of a few words; most lines
    // that start with a word are told apart here, before any token is read.
    let word_len = s.bytes().take_while(u8::is_ascii_alphabetic).count();
    if word_len > 0 && !may_begin_stamp(&s[..word_len]) {
        return None;
    }
    read_stamp_tokens(s)
}

/// [`read_stamp_prefix`] without its look at the first word.
fn read_stamp_tokens(s: &str) -> Option<(Pieces, usize)> {
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
fn plain_clock_prefix(s: &str) -> Option<(Pieces, usize)> {
    plain_iso_date_prefix(s.as_bytes()).or_else(|| plain_clock(s))
}

/// [`plain_clock_prefix`] for a clock time.
fn plain_clock(s: &str) -> Option<(Pieces, usize)> {
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
fn plain_iso_date_prefix(b: &[u8]) -> Option<(Pieces, usize)> {
    let digits = |r: std::ops::Range<usize>| b.get(r).filter(|d| d.iter().all(u8::is_ascii_digit));
    let (y, m, d) = (digits(0..4)?, digits(5..7)?, digits(8..10)?);
    if b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let number = |d: &[u8]| d.iter().fold(0u32, |v, c| v * 10 + u32::from(c - b'0'));
    let date = PartialDate {
        year: Some(number(y) as i32),
        month: number(m) as u8,
        day: number(d) as u8,
        ambiguous_order: false,
        day_first: false,
    };
    date.with_year(None)?;
    let dated = Pieces {
        date: Some(date),
        ..Pieces::default()
    };
    match b.get(10) {
        // What may follow a date alone: the end, or a mark that begins neither a time nor a
        // word.
        None | Some(b'.' | b';' | b'|' | b')' | b']' | b'*' | b'_' | b'!' | b'?') => {
            Some((dated, 10))
        }
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
fn quiet_after_clock(rest: &str) -> bool {
    let Some(c) = rest.chars().next() else {
        return true;
    };
    if c.is_whitespace() {
        return quiet_after_space(rest);
    }
    !(c.is_ascii_alphanumeric() || matches!(c, ':' | '(' | '/') || offset_sign(rest))
}

/// A sign the full reader reads as the start of an offset: one followed by a digit.
fn offset_sign(rest: &str) -> bool {
    let mut chars = rest.chars();
    matches!(chars.next(), Some('+' | '-' | '−'))
        && chars.next().is_some_and(|d| d.is_ascii_digit())
}

/// Nothing right after a zone that the full reader would take as more of the stamp: an offset
/// (a sign), a second zone (`/`), or, after spaces, a word ("on", "approx") or `(`.
fn quiet_after_zone(rest: &str) -> bool {
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
fn quiet_after_space(rest: &str) -> bool {
    let after = rest.trim_start_matches(char::is_whitespace);
    after
        .chars()
        .next()
        .is_none_or(|n| !(n.is_ascii_alphabetic() || n == '(' || offset_sign(after)))
}

/// Unknown-time markers: `???`, `??:??`, `--:--`, `TBD`, `unknown`.
fn unknown_at(t: &mut Toks<'_>, i: usize) -> Option<usize> {
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
fn stamp_at(s: &str, t: &mut Toks<'_>, i: usize, allow_unknown: bool) -> Option<(Pieces, usize)> {
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
            || punct_at(t, m, '@');
        if joiner {
            m = skip_space(t, m + 1);
        }
        if let Some((tm, k2)) = time_at(t, m) {
            p.time = Some(tm);
            end = k2;
        } else if m > k
            && let Some((v, 4)) = num_at(t, m)
            && punct_at(t, m + 1, ':')
            && num_at(t, m + 2).is_none()
            && let Some(tm) = military_time(v)
        {
            // "2022-02-02 1625: ..." (a military time after a date, before a label colon).
            p.time = Some(tm);
            end = m + 1;
        }
    } else if let Some((tm, k)) = time_at(t, j) {
        p.time = Some(tm);
        end = k;
    } else {
        return None;
    }
    if p.time.is_some() {
        let z = skip_space(t, end);
        if let Some((zone, k)) = zone_at(s, t, z).or_else(|| zone_at(s, t, end)) {
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
        // "11:00 UTC on April 3rd, 2024"
        if p.date.is_none() {
            let k = skip_space(t, end);
            if word_at(t, k).is_some_and(|w| w.eq_ignore_ascii_case("on"))
                && let after_on = skip_space(t, k + 1)
                && let Some((d, k2)) = date_at(t, after_on)
            {
                p.date = Some(d);
                end = k2;
            }
        }
    }
    // trailing "(approx.)"
    let k = skip_space(t, end);
    if word_at(t, k).is_some_and(approx_word)
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
/// `DD/MM/YY` (two digits after a separator that follows a digit). Lines without either give
/// no year to a scan.
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
                && b[i - 2].is_ascii_digit())
        {
            return true;
        }
        i = end;
    }
    false
}

fn mentions_noon_or_midnight(s: &str) -> bool {
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
            let ok = shape
                && !before.is_some_and(|c| {
                    c.is_ascii_alphanumeric()
                        || matches!(c, b'.' | b':' | b'/' | b'-' | b'#' | b'$')
                });
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_zone_abbreviation_is_longer_than_sixteen_bytes() {
        // `declared_zone` skips longer words unread.
        assert!(ZONES.iter().all(|(n, _)| n.len() <= 16));
        assert_eq!(
            declared_zone("All times in UTC").map(|z| z.label),
            Some("UTC".into())
        );
        assert_eq!(
            declared_zone("Timeline (PDT)").map(|z| z.label),
            Some("PDT".into())
        );
    }

    fn one(s: &str) -> Pieces {
        stamp_prefix(s)
            .unwrap_or_else(|| panic!("no stamp in {s:?}"))
            .0
    }

    #[test]
    fn epoch_days_round_trip() {
        for z in [-800_000i64, -1, 0, 1, 19_816, 60_000] {
            assert_eq!(Date::from_days_since_epoch(z).days_since_epoch(), z);
        }
        assert_eq!(Date::new(2024, 4, 3).unwrap().days_since_epoch(), 19_816);
    }

    #[test]
    fn twelve_hour_clock_with_zone() {
        let p = one("11:02 AM GMT— Website");
        assert_eq!(p.time, Time::new(11, 2, 0));
        assert_eq!(p.zone.unwrap().label, "GMT");
        assert_eq!(one("12:02 AM").time, Time::new(0, 2, 0));
        assert_eq!(one("12:30 PM").time, Time::new(12, 30, 0));
        assert_eq!(one("2:16 p.m. UTC").time, Time::new(14, 16, 0));
        assert_eq!(one("3am UTC").time, Time::new(3, 0, 0));
    }

    #[test]
    fn dates_in_many_spellings() {
        let d = |s: &str| one(s).date.unwrap();
        assert_eq!(d("April 3rd, 2024 at 11:00 AM GMT").year, Some(2024));
        assert_eq!(d("16/03/2020 3am UTC").day, 16);
        assert_eq!(d("2013-03-09 21:50 UTC").month, 3);
        assert_eq!(d("Feb 28, 9:40 PM").day, 28);
        assert_eq!(d("3 April 2024").month, 4);
        assert_eq!(d("Tue Oct 11 12:24:02 UTC").month, 10);
        assert_eq!(d("06/May/2022 2:17 PM (GMT)").month, 5);
        // A three-digit year is a typo: the date stands, the year comes from the document.
        assert_eq!(d("11/03/202 - released").year, None);
        assert_eq!(d("12-05 16:21 bug introduced").year, None);
        assert_eq!(one("06-May-2022 2:17 PM").time, Time::new(14, 17, 0));
        assert_eq!(d("August 1st 2022: done").year, Some(2022));
        assert_eq!(one("2022-02-02 1625: e-mail").time, Time::new(16, 25, 0));
    }

    #[test]
    fn offsets_and_iso() {
        let p = one("2024-04-03T11:02:00+02:00 deploy");
        assert_eq!(p.zone.as_ref().unwrap().offset_minutes, 120);
        let p = one("11:02 UTC+2");
        assert_eq!(p.zone.as_ref().unwrap().offset_minutes, 120);
        assert_eq!(p.zone.unwrap().label, "UTC+2");
        assert_eq!(one("09:15 GMT-5").zone.unwrap().offset_minutes, -300);
        assert_eq!(one("2024-04-03T11:02:00Z").zone.unwrap().offset_minutes, 0);
    }

    #[test]
    fn canonical_round_trip() {
        for s in [
            "2024-04-03 11:02 GMT",
            "~11:30",
            "day+1 00:40 EEST",
            "2024-04-03",
            "2024-04-03 11:02:05 UTC+2",
            "11:00 +02:00",
        ] {
            let st = parse_canonical(s).unwrap();
            assert_eq!(st.to_string(), s);
        }
    }

    #[test]
    fn unknown_markers() {
        assert!(one("[???]".trim_matches(['[', ']'])).unknown);
        assert!(one("--:-- something").unknown);
    }

    /// `scan` as first written: every token read, a stamp tried at every token that can begin
    /// one. The fast `scan` must find exactly what this finds.
    fn scan_every_token(s: &str) -> Vec<Found> {
        let t = tokenize(s);
        let mut stamp = Toks::new(s);
        let mut out = Vec::new();
        let mut i = 0;
        while i < t.len() {
            let starts = match t[i].tok {
                Tok::Num(..) => {
                    i == 0
                        || !matches!(
                            t[i - 1].tok,
                            Tok::Word(_)
                                | Tok::Num(..)
                                | Tok::Punct('.' | ':' | '/' | '-' | '#' | '$')
                        )
                }
                Tok::Word(w) => {
                    (i == 0 || !matches!(t[i - 1].tok, Tok::Num(..)))
                        && (month_from_word(w).is_some()
                            || is_weekday(w)
                            || w.eq_ignore_ascii_case("noon")
                            || w.eq_ignore_ascii_case("midnight"))
                }
                Tok::Punct('~') => true,
                _ => false,
            };
            if starts {
                stamp.restart(t[i].start);
                if let Some((p, end)) = stamp_at(s, &mut stamp, 0, false)
                    && end > 0
                    && (p.date.is_some() || p.time.is_some())
                    && !matches!(t.get(i + end).map(|x| x.tok), Some(Tok::Word(_)))
                {
                    out.push(Found {
                        pieces: p,
                        start: t[i].start,
                        end: t[i + end - 1].end,
                    });
                    i += end;
                    continue;
                }
            }
            i += 1;
        }
        out
    }

    #[test]
    fn prefilters_let_through_what_they_must_and_skip_the_rest() {
        for s in [
            "at 11:02",
            "3 pm",
            "3\u{a0}a.m.",
            "14h30",
            "11.30 UTC",
            "around noon",
        ] {
            assert!(may_hold_clock(s), "{s:?}");
        }
        for s in [
            "503 errors for 30% of users in 2024",
            "v2 to v3",
            "no numbers",
        ] {
            assert!(!may_hold_clock(s), "{s:?}");
        }
        for s in [
            "April 3, 2024",
            "2024-04-03",
            "16/03/20 3am",
            "Tue Oct 11 12:24:02 UTC 2022",
        ] {
            assert!(may_hold_year(s), "{s:?}");
        }
        for s in ["- 11:02 UTC - Alert fires", "503 errors", "v1.2.3", "12345"] {
            assert!(!may_hold_year(s), "{s:?}");
        }
    }

    #[test]
    fn plain_stamps_at_their_edges_read_as_the_full_reader_reads_them() {
        for s in [
            "9:00-02:00 x",
            "9:00 -02:00",
            "9:00 - Alert",
            "09:06 UTC — Alert",
            "09:06 UTC-5",
            "09:06 UTC - x",
            "9:00:30",
            "9:00pm",
            "9:00 PM",
            "9:00 on April 3",
            "9:00 (approx)",
            "9:00 PST/PDT",
            "2024-04-03 11:02 UTC",
            "2024-04-03 11:02 - x",
            "2024-04-03 11:02:00",
            "2024-04-03 11:02 -0500",
            "2024-04-03",
            "2024-04-03.",
            "2024-02-30",
            "24:00",
        ] {
            if let Some(fast) = plain_clock_prefix(s) {
                assert_eq!(Some(fast), read_stamp_prefix(s), "{s:?}");
            }
        }
        // The commonest timeline shapes take the plain path.
        for s in [
            "9:00 - Alert",
            "09:06 UTC — Alert",
            "2024-04-03 11:02 UTC",
            "2024-04-03",
        ] {
            assert!(plain_clock_prefix(s).is_some(), "{s:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn numeric_dates_with_short_years_may_hold_one(
            d in 1..=28u32, m in 1..=12u32, y in 0..=99u32,
            sep in proptest::sample::select(vec!['/', '-', '.']),
        ) {
            let s = format!("on {d}{sep}{m}{sep}{y:02} at noon");
            let found = scan(&s).iter().any(|f| f.pieces.date.is_some_and(|d| d.year.is_some()));
            proptest::prop_assert!(!found || may_hold_year(&s), "{:?}", s);
        }

        #[test]
        fn no_year_is_found_where_none_can_be(
            first in proptest::sample::select(vec!["3", "11", "2024", "05", "", "Tue Oct 11 12:24:02 UTC ", "April 3rd, "]),
            sep in proptest::sample::select(vec!["", "/", "-", ".", " ", ", "]),
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    "3", "11", "24", "2024", "05", "99", "/", "-", ".", " ", "April", "of", "3rd",
                    ",", "UTC", "20245", "x", "é", "T", ":",
                ]),
                0..8,
            ),
        ) {
            let s = format!("{first}{sep}{}", parts.concat());
            if !may_hold_year(&s) {
                proptest::prop_assert!(
                    scan(&s).iter().all(|f| f.pieces.date.is_none_or(|d| d.year.is_none())),
                    "{:?}", s
                );
            }
        }

        #[test]
        fn stamps_begin_only_with_the_words_that_can_begin_one(
            first in proptest::sample::select(vec![
                "Approx", "around", "est", "EST", "ca", "TBD", "unknown", "xx", "Tue", "Monday",
                "may", "Feb", "September", "noon", "Midday", "midnight", "the", "on", "at", "Team",
                "April3", "Mayday", "",
            ]),
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    " ", "3", "11", "2024", ":", "30", ".", ",", "-", "?", "am", "UTC", "April",
                    "3rd", "of", "noon", "~", "x", "é", "(", ")", " 11:30", " 3 pm", " 3rd",
                    " 2024-05-01", ":xx", "??", " 12", " Oct 11", ", 3 April",
                ]),
                0..8,
            ),
        ) {
            let s = format!("{first}{}", parts.concat());
            proptest::prop_assert_eq!(read_stamp_prefix(&s), read_stamp_tokens(&s), "{:?}", s);
        }

        #[test]
        fn no_time_is_found_where_no_clock_can_be(
            number in proptest::sample::select(vec!["3", "11", "2024", "05", "", "Tue Oct 11 "]),
            between in proptest::sample::select(vec!["", " ", "  ", "\u{a0}", "\t", "\u{b}", ":", ".", "-", "/"]),
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    "3", "11", "2024", "05", ":", ".", "30", "h", "H", "am", "PM", "a.m.", "p", " ",
                    "\u{a0}", "\t", "\u{b}", "noon", "Midnight", "midday", "on", "April", "3rd",
                    "Tue", "-", "/", "UTC", "users", "é", "~", ",", "at", "x", "m", "M", "and",
                    "pods", "amazing", "A", "P.",
                ]),
                0..12,
            ),
        ) {
            let s = format!("{number}{between}{}", parts.concat());
            if !may_hold_clock(&s) {
                proptest::prop_assert!(scan(&s).iter().all(|f| f.pieces.time.is_none()), "{:?}", s);
            }
        }

        #[test]
        fn plain_dates_read_as_the_full_reader_reads_them(
            date in proptest::sample::select(vec![
                "2024-05-01", "2024-02-30", "2024-13-01", "1999-12-31", "2024-5-01", "20240-05-01",
                "2024/05/01", "2024-05-011",
            ]),
            after in proptest::sample::select(vec![
                " 11:02 UTC", " 11:02 UTC - x", " 9:05", " 23:59:59", " 11:02 PM", " 11:02 on April 3",
                " 11:02 UTC+2", " 11:02 - x", " 11:02 -3", " 2024-05-02", " 25:00", " 11:02 (approx)",
                "", " ", ".", ";", "|", ")", "]", "*", "_", "!", "?", ", 11:00", ",11:00", "T11:00",
                "t11:00", " 11:00", "11:00", "-11:00", " - 11:00", "–11:00", "@11:00", " at 11:00",
                "(approx)", " approx", " (approx)", "Z", "x", "é", "9", ":", "/", ". 11:00",
                "| 11:00", "; x", "] 11:00",
            ]),
        ) {
            let s = format!("{date}{after}");
            if let Some(fast) = plain_iso_date_prefix(s.as_bytes()) {
                proptest::prop_assert_eq!(Some(fast), read_stamp_prefix(&s), "{:?}", s);
            }
        }

        #[test]
        fn plain_clocks_read_as_the_full_reader_reads_them(
            hour in proptest::sample::select(vec!["9", "09", "23", "24", "0", "123", ""]),
            minute in proptest::sample::select(vec![":00", ":59", ":60", ":5", ":007", ".30", ""]),
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    "9", "09", "23", "24", "7", ":", "00", "59", "60", "5", " ", "  ", "\u{a0}",
                    "\t", "UTC", "utc", "GMT", "PST", "PDT", "EST", "Z", "z", "am", "PM", "a", ".",
                    "m", "on", "April", "3", "2024", "approx", "(", ")", "+", "-", "−", "/", "—",
                    "|", ",", "*", "]", "text", "é", "~", "x", ":30", "h", "p", "ON", "CEST",
                    " - ", "- x", " -2", "-02:00", " −1", " + 5",
                ]),
                0..6,
            ),
        ) {
            let s = format!("{hour}{minute}{}", parts.concat());
            let s = &s[..s.floor_char_boundary(STAMP_MAX_BYTES)];
            if let Some(fast) = plain_clock_prefix(s) {
                proptest::prop_assert_eq!(Some(fast), read_stamp_prefix(s), "{:?}", s);
            }
        }

        #[test]
        fn scan_finds_what_reading_every_token_finds(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    "3", "03", "12", "2024", "123", "11:02", ":", "-", "/", ".", " ", "  ", "\u{a0}",
                    "April", "Apr", "may", "Tue", "Monday", "noon", "midnight", "~", "am", "PM",
                    "p.m.", "UTC", "GMT+2", "(PDT)", "rd", "th", "of", "at", "on", "x", "v2", "#",
                    "$", ",", "é", "–", "\n", "1e3", "T", "Z", "approx", "(approx.)",
                ]),
                0..24,
            )
        ) {
            let s = parts.concat();
            proptest::prop_assert_eq!(scan(&s), scan_every_token(&s), "{:?}", s);
        }
    }

    #[test]
    fn prose_scan_finds_start_and_end() {
        let f = scan(
            "On April 3rd, 2024 at 11:00 AM GMT , our primary database failed. It lasted until 2:16 PM GMT.",
        );
        assert_eq!(f.len(), 2);
        assert_eq!(f[0].pieces.time, Time::new(11, 0, 0));
        assert_eq!(f[1].pieces.time, Time::new(14, 16, 0));
        assert!(scan("We served 503 errors for 15 minutes on version 1.2").is_empty());
    }

    #[test]
    fn declared_zones() {
        assert_eq!(
            declared_zone("Timeline (all times PST/PDT)").unwrap().label,
            "PST"
        );
        assert_eq!(declared_zone("All times in CET.").unwrap().label, "CET");
        assert!(declared_zone("What went well").is_none());
    }
}
