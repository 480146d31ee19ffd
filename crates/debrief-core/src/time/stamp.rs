//! The stamp model: a point in time as a postmortem states it, its canonical text form and
//! its JSON.

use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::calendar::*;
use super::read::*;
use super::tokens::*;

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

    /// The stamp as every JSON form of Debrief writes an instant: RFC 3339 with the offset when
    /// the zone is known (`2024-04-03T11:02:00Z`, `...-07:00`); the local date-time without an
    /// offset when the document names no zone (`2024-04-03T11:02:00`); the date alone, or the time
    /// alone (`11:02:00`, `+1d 00:40:00` a day later) when that is all it knows.
    pub fn instant(&self) -> String {
        let time = self
            .time
            .map(|t| format!("{:02}:{:02}:{:02}", t.hour, t.minute, t.second));
        match (self.date, time) {
            (Some(_), Some(_)) if self.zone.is_some() => self.rfc3339().unwrap_or_default(),
            (Some(d), Some(t)) => format!("{d}T{t}"),
            (Some(d), None) => d.to_string(),
            (None, Some(t)) if self.day > 0 => format!("+{}d {t}", self.day),
            (None, Some(t)) => t,
            (None, None) => String::new(),
        }
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

pub(super) fn parse_hms(s: &str) -> Option<Time> {
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
