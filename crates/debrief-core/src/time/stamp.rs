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
    /// The UTC instant `seconds` after the Unix epoch, to the second.
    pub fn from_unix_seconds(seconds: i64) -> Stamp {
        let (days, rest) = (seconds.div_euclid(86_400), seconds.rem_euclid(86_400));
        Stamp {
            date: Some(Date::from_days_since_epoch(days)),
            day: 0,
            time: Time::new(
                (rest / 3600) as u8,
                (rest / 60 % 60) as u8,
                (rest % 60) as u8,
            ),
            zone: Some(Zone::utc()),
            approximate: false,
        }
    }

    /// Gives a zone named for a region ("PT", "Europe/Berlin") the offset its clocks showed on
    /// the stamp's day (read as standard time until the day is known); other zones are kept.
    pub fn settle_zone(&mut self) {
        if let (Some(date), Some(zone)) = (self.date, &self.zone) {
            self.zone = Some(zone.on(date, self.time));
        }
    }

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

/// The JSON of a stamp: `{"at": ..., "zone": ..., "approximate": ...}`, `at` as
/// [`Stamp::instant`] writes it, `zone` the zone as the document names it (absent when it names
/// none), `approximate` true for "about 11:00".
impl Serialize for Stamp {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("at", &self.instant())?;
        if let Some(z) = &self.zone {
            m.serialize_entry("zone", z.label.as_ref())?;
        }
        m.serialize_entry("approximate", &self.approximate)?;
        m.end()
    }
}

/// Reads the JSON object above; a string is read too, in RFC 3339 or in the canonical text form
/// (`2024-04-03 11:02 UTC`, records stored before the object form).
impl<'de> Deserialize<'de> for Stamp {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Object {
            at: String,
            #[serde(default)]
            zone: Option<String>,
            #[serde(default)]
            approximate: bool,
        }
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Form {
            Object(Object),
            Text(String),
        }
        let bad = |s: &str| {
            serde::de::Error::custom(format!(
                "`{s}` is not a time; write it in RFC 3339 (`2024-04-03T11:02:00Z`, or `2024-04-03T11:02:00` when no zone is known), as a date (`2024-04-03`) or a time of day (`11:02:00`)"
            ))
        };
        match Form::deserialize(d)? {
            Form::Text(s) | Form::Object(Object { at: s, .. }) if s.trim().is_empty() => {
                Err(bad(&s))
            }
            Form::Text(s) => parse_canonical(&s)
                .or_else(|| parse_instant(&s, None, false))
                .ok_or_else(|| bad(&s)),
            Form::Object(Object { zone: Some(z), .. }) if z.trim().is_empty() => Err(
                serde::de::Error::custom("`zone` is empty; leave it out when no zone is named"),
            ),
            Form::Object(o) => {
                parse_instant(&o.at, o.zone.as_deref(), o.approximate).ok_or_else(|| bad(&o.at))
            }
        }
    }
}

/// A stamp from [`Stamp::instant`]'s text, the zone as named (its offset is the one `at`
/// carries, else the name's own), and the approximate flag.
pub fn parse_instant(at: &str, zone: Option<&str>, approximate: bool) -> Option<Stamp> {
    // RFC 3339 also allows fractions of a second (dropped) and a leap second (read as :59).
    let clock = |t: &str| -> Option<Time> {
        let t = match t.split_once('.') {
            Some((whole, fraction))
                if !fraction.is_empty() && fraction.bytes().all(|b| b.is_ascii_digit()) =>
            {
                whole
            }
            _ => t,
        };
        let mut parts = t.split(':');
        let h = parts.next()?.parse().ok()?;
        let m = parts.next()?.parse().ok()?;
        let s: u8 = parts.next().map_or(Some(0), |s| s.parse().ok())?;
        if parts.next().is_some() || t.len() > 8 {
            return None;
        }
        Time::new(h, m, if s == 60 { 59 } else { s })
    };
    // RFC 3339 lets the separator be `t` or a space and the zero offset `z`.
    let normal;
    let at = match at.as_bytes().get(10) {
        Some(b't' | b' ') | Some(b'T') if at.is_char_boundary(11) => {
            normal = format!("{}T{}", &at[..10], at[11..].replace('z', "Z"));
            normal.as_str()
        }
        _ => at,
    };
    let mut stamp = Stamp {
        approximate,
        ..Stamp::default()
    };
    let mut offset = None;
    if let Some(rest) = at.strip_prefix('+') {
        let (days, t) = rest.split_once("d ")?;
        stamp.day = days.parse().ok()?;
        stamp.time = Some(clock(t)?);
    } else if let Some((date, rest)) = at.split_once('T') {
        stamp.date = Some(Date::parse_iso(date)?);
        let (t, off) = match rest.find(['Z', '+', '-']) {
            Some(i) => (&rest[..i], Some(&rest[i..])),
            None => (rest, None),
        };
        stamp.time = Some(clock(t)?);
        offset = match off {
            None => None,
            Some("Z") => Some(0),
            Some(o) => {
                let sign = if o.starts_with('-') { -1 } else { 1 };
                let (h, m) = o[1..].split_once(':')?;
                let (h, m): (i32, i32) = (h.parse().ok()?, m.parse().ok()?);
                (h < 24 && m < 60 && o.len() == 6)
                    .then_some(sign * (h * 60 + m))?
                    .into()
            }
        };
    } else if at.contains(':') {
        stamp.time = Some(clock(at)?);
    } else if !at.is_empty() {
        stamp.date = Some(Date::parse_iso(at)?);
    }
    stamp.zone = match (zone, offset) {
        (Some(label), Some(off)) => Some(Zone {
            label: label.to_string().into(),
            offset_minutes: off,
        }),
        (Some(label), None) => parse_zone_label(label).map(|z| match stamp.date {
            Some(date) => z.on(date, stamp.time),
            None => z,
        }),
        (None, Some(0)) => Some(Zone {
            label: "UTC".into(),
            offset_minutes: 0,
        }),
        (None, Some(off)) => Some(Zone {
            label: format!(
                "UTC{}{:02}:{:02}",
                if off < 0 { '-' } else { '+' },
                off.abs() / 60,
                off.abs() % 60
            )
            .into(),
            offset_minutes: off,
        }),
        (None, None) => None,
    };
    Some(stamp)
}

impl JsonSchema for Stamp {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Stamp".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        // Exactly the `at` forms the reader takes: dates are real days (February 29 aside) of
        // the years 1900 to 2199, times real times of day.
        let day = "(19|2[01])\\d{2}-((0[1-9]|1[0-2])-(0[1-9]|1\\d|2[0-8])|(0[13-9]|1[0-2])-(29|30)|(0[13578]|1[02])-31)";
        let time = "([01]\\d|2[0-3]):[0-5]\\d(:[0-5]\\d)?";
        let at = serde_json::json!({
            "type": "string",
            "anyOf": [
                {"format": "date-time", "pattern": format!("^{day}T")},
                {"pattern": format!("^{day}(T{time})?$")},
                {"pattern": format!("^(\\+\\d{{1,4}}d )?{time}$")}
            ]
        });
        schemars::json_schema!({
            "description": "A point in time as the document states it. `at` is RFC 3339 with the offset when the zone is known (`2024-04-03T11:02:00Z`, `2024-04-03T11:02:00-07:00`); a local date-time without an offset when the document names no zone (`2024-04-03T11:02:00`); a date alone (`2024-04-03`); or a time alone (`11:02:00`, `+1d 00:40:00` for a day after the first day of a timeline whose date is unknown). `zone` is the zone as written (`GMT`, `PDT`), absent when none is named. Years run from 1900 to 2199. A string in RFC 3339 or in the canonical form (`2024-04-03 11:02 UTC`) is accepted on input.",
            "oneOf": [
                {
                    "type": "object",
                    "properties": {
                        "at": at,
                        "zone": {"type": ["string", "null"], "minLength": 1},
                        "approximate": {"type": "boolean"}
                    },
                    "required": ["at"],
                    "additionalProperties": false
                },
                at
            ]
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
    stamp.settle_zone();
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
