//! [`Time`]: an instant as the store keeps it. In Rust it is a `jiff::Timestamp`, so times are
//! compared and computed with jiff rather than by hand; in the database, the backup format and
//! the API it is RFC 3339 text in UTC with milliseconds (`2026-12-02T06:56:53.123Z`), one fixed
//! form, so rows compare and hash byte for byte across backends, backups and restores.

use std::fmt;
use std::str::FromStr;

use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// An instant in UTC, to the millisecond.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Time(Timestamp);

/// The one text form of a [`Time`].
const FORMAT: &str = "%Y-%m-%dT%H:%M:%S%.3fZ";

impl Time {
    /// Now, to the millisecond.
    pub fn now() -> Time {
        Time::from_timestamp(Timestamp::now())
    }

    fn from_timestamp(t: Timestamp) -> Time {
        // Milliseconds are what the text form keeps; finer parts would not survive a round trip.
        let ms = t.as_millisecond();
        Time(Timestamp::from_millisecond(ms).unwrap_or(t))
    }

    /// `hours` after this instant (token lifetimes).
    pub fn plus_hours(self, hours: i64) -> Time {
        Time::from_timestamp(
            self.0
                .checked_add(SignedDuration::from_hours(hours))
                .unwrap_or(self.0),
        )
    }

    /// Whole seconds from this instant to `later` (negative when `later` is earlier).
    pub fn seconds_until(self, later: Time) -> i64 {
        later.0.as_second() - self.0.as_second()
    }

    /// An RFC 3339 instant as other systems send it (any offset, any precision), to the
    /// millisecond.
    pub fn parse_rfc3339(s: &str) -> Option<Time> {
        Timestamp::from_str(s).ok().map(Time::from_timestamp)
    }

    /// Whole seconds since the Unix epoch.
    pub fn unix_seconds(self) -> i64 {
        self.0.as_second()
    }

    /// The UTC date, `YYYY-MM-DD`.
    pub fn date(self) -> String {
        self.0.strftime("%Y-%m-%d").to_string()
    }
}

impl fmt::Display for Time {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.strftime(FORMAT))
    }
}

/// Why a text is not a stored time.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "{0:?} is not a time as Debrief stores them (RFC 3339 in UTC with milliseconds, such as 2026-12-02T06:56:53.123Z)"
)]
pub struct TimeError(String);

impl FromStr for Time {
    type Err = TimeError;

    /// Only the one form Debrief writes: anything else (another offset, other precision) would
    /// not hash and compare as the stored text did.
    fn from_str(s: &str) -> Result<Time, TimeError> {
        let t = Timestamp::from_str(s)
            .map(Time::from_timestamp)
            .map_err(|_| TimeError(s.to_string()))?;
        if t.to_string() == s {
            Ok(t)
        } else {
            Err(TimeError(s.to_string()))
        }
    }
}

impl Serialize for Time {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Time {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Time, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

impl schemars::JsonSchema for Time {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Time".into()
    }

    fn inline_schema() -> bool {
        true
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "format": "date-time",
            "description": "RFC 3339 in UTC with milliseconds, such as 2026-12-02T06:56:53.123Z"
        })
    }
}

/// In every database a [`Time`] is its text form, stored as a string.
impl<DB: sqlx::Database> sqlx::Type<DB> for Time
where
    String: sqlx::Type<DB>,
{
    fn type_info() -> DB::TypeInfo {
        <String as sqlx::Type<DB>>::type_info()
    }

    fn compatible(ty: &DB::TypeInfo) -> bool {
        <String as sqlx::Type<DB>>::compatible(ty)
    }
}

impl<'q, DB: sqlx::Database> sqlx::Encode<'q, DB> for Time
where
    String: sqlx::Encode<'q, DB>,
{
    fn encode_by_ref(
        &self,
        buf: &mut <DB as sqlx::Database>::ArgumentBuffer,
    ) -> Result<sqlx::encode::IsNull, sqlx::error::BoxDynError> {
        self.to_string().encode(buf)
    }
}

impl<'r, DB: sqlx::Database> sqlx::Decode<'r, DB> for Time
where
    String: sqlx::Decode<'r, DB>,
{
    fn decode(
        value: <DB as sqlx::Database>::ValueRef<'r>,
    ) -> Result<Time, sqlx::error::BoxDynError> {
        Ok(String::decode(value)?.parse()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_text_form_round_trips_exactly() {
        let t: Time = "2026-12-02T06:56:53.123Z".parse().unwrap();
        assert_eq!(t.to_string(), "2026-12-02T06:56:53.123Z");
        assert_eq!(t.date(), "2026-12-02");
        let now = Time::now();
        assert_eq!(now.to_string().parse::<Time>().unwrap(), now);
        assert_eq!(t.plus_hours(12).to_string(), "2026-12-02T18:56:53.123Z");
        assert_eq!(t.seconds_until(t.plus_hours(1)), 3600);
    }

    #[test]
    fn other_forms_are_refused() {
        for s in [
            "2026-12-02T06:56:53Z",
            "2026-12-02T07:56:53.123+01:00",
            "2026-12-02 06:56:53.123Z",
            "yesterday",
            "",
        ] {
            assert!(s.parse::<Time>().is_err(), "{s}");
        }
    }
}
