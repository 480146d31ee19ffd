//! Action items across postmortems, a page at a time: the orders a board sorts by, the stored
//! sort keys each order reads from an index, and the cursor that says where the next page starts.
//!
//! Pages follow the sort key (keyset paging), so the cost of a page does not grow with how far
//! into the list it is, and items added or closed between two pages neither repeat nor vanish.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use crate::{ActionRow, Derived};

/// The most action items one page holds.
pub const MAX_ACTION_PAGE: i64 = 500;
/// Items per page when a caller does not say.
pub const DEFAULT_ACTION_PAGE: i64 = 100;

/// How action items are ordered. Each order ends with the postmortem's id and the item's place
/// in it, so no two items share a key.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ActionOrder {
    /// Soonest due first (items without a due date last), then the oldest incident.
    #[default]
    Due,
    /// By owner (items without one last), then soonest due.
    Owner,
    /// By the postmortem's title.
    Postmortem,
}

impl ActionOrder {
    pub const NAMES: [&'static str; 3] = ["due", "owner", "postmortem"];

    pub fn parse(s: &str) -> Option<ActionOrder> {
        match s {
            "due" => Some(ActionOrder::Due),
            "owner" => Some(ActionOrder::Owner),
            "postmortem" => Some(ActionOrder::Postmortem),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ActionOrder::Due => "due",
            ActionOrder::Owner => "owner",
            ActionOrder::Postmortem => "postmortem",
        }
    }

    /// The stored text columns the order sorts on (each has an index that starts with them),
    /// before the item's position.
    pub(crate) fn columns(self) -> &'static [&'static str] {
        match self {
            ActionOrder::Due => &["a.due_key", "a.incident_date", "a.postmortem_id"],
            ActionOrder::Owner => &["a.owner_sort", "a.due_key", "a.postmortem_id"],
            ActionOrder::Postmortem => &["a.title_key", "a.postmortem_id"],
        }
    }

    /// The sort key of one stored item, as [`ActionOrder::columns`] reads it.
    pub(crate) fn key_of(self, k: &ActionKeys, postmortem_id: &str) -> Vec<String> {
        let id = postmortem_id.to_string();
        match self {
            ActionOrder::Due => vec![k.due_key.clone(), k.incident_date.clone(), id],
            ActionOrder::Owner => vec![k.owner_sort.clone(), k.due_key.clone(), id],
            ActionOrder::Postmortem => vec![k.title_key.clone(), id],
        }
    }
}

/// What an item is sorted by, stored beside it (derived from the item and its postmortem, and
/// rewritten with them). Missing values sort last: `~` follows every digit and letter in
/// byte order, which both backends use for these columns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionKeys {
    /// The due date (`YYYY-MM-DD`) when the item has one that is a date, else `~`.
    pub due_key: String,
    /// The owner as matched by filters (see [`crate::label`]), else `~`.
    pub owner_sort: String,
    /// The postmortem's date, else empty.
    pub incident_date: String,
    /// The postmortem's title in lower case, else empty.
    pub title_key: String,
}

impl ActionKeys {
    pub fn of(d: &Derived, a: &ActionRow) -> ActionKeys {
        ActionKeys {
            due_key: due_date(a.due.as_deref()).map_or_else(|| "~".to_string(), str::to_string),
            owner_sort: a
                .owner
                .as_deref()
                .map(crate::label)
                .filter(|o| !o.is_empty())
                .unwrap_or_else(|| "~".into()),
            incident_date: d.date.clone().unwrap_or_default(),
            title_key: d.title.as_deref().unwrap_or_default().to_lowercase(),
        }
    }
}

/// The date an item is due, when its due field starts with a calendar date.
pub fn due_date(due: Option<&str>) -> Option<&str> {
    due.and_then(|d| d.get(..10))
        .filter(|d| debrief_core::time::Date::parse_iso(d).is_some())
}

/// Where a page starts: the order and the sort key of the last item of the page before.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionCursor {
    pub order: ActionOrder,
    pub(crate) key: Vec<String>,
    pub(crate) position: i64,
}

impl ActionCursor {
    pub(crate) fn after(order: ActionOrder, keys: &ActionKeys, item: &ActionRow) -> Self {
        ActionCursor {
            order,
            key: order.key_of(keys, &item.postmortem_id),
            position: item.position,
        }
    }

    /// An opaque token for a URL.
    pub fn encode(&self) -> String {
        let parts = serde_json::json!([self.order.as_str(), self.key, self.position]);
        URL_SAFE_NO_PAD.encode(parts.to_string())
    }

    /// Reads a token made by [`ActionCursor::encode`]; the error says what to do.
    pub fn decode(token: &str) -> Result<ActionCursor, String> {
        let bad = || "is not one this server gave; start again without it".to_string();
        let bytes = URL_SAFE_NO_PAD.decode(token).map_err(|_| bad())?;
        let (order, key, position): (String, Vec<String>, i64) =
            serde_json::from_slice(&bytes).map_err(|_| bad())?;
        let order = ActionOrder::parse(&order).ok_or_else(bad)?;
        if key.len() != order.columns().len() {
            return Err(bad());
        }
        Ok(ActionCursor {
            order,
            key,
            position,
        })
    }
}

/// One page of action items, and where the next one starts (none after the last).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ActionPage {
    pub items: Vec<ActionRow>,
    pub next: Option<ActionCursor>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_refuse_what_the_server_did_not_make() {
        let c = ActionCursor {
            order: ActionOrder::Owner,
            key: vec!["dana".into(), "2025-01-02".into(), "ab12".into()],
            position: 3,
        };
        assert_eq!(ActionCursor::decode(&c.encode()), Ok(c));
        for bad in ["", "not base64!", "W10", "WyJkdWUiLFtdLDFd"] {
            assert!(ActionCursor::decode(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn missing_due_dates_and_owners_sort_last() {
        let d = Derived {
            title: Some("Disk Full".into()),
            date: Some("2025-03-01".into()),
            ..Derived::default()
        };
        let item = |due: Option<&str>, owner: Option<&str>| ActionRow {
            postmortem_id: "p".into(),
            postmortem_title: None,
            text: "t".into(),
            owner: owner.map(str::to_string),
            due: due.map(str::to_string),
            status: "open".into(),
            kind: "other".into(),
            tracker: None,
            position: 0,
            revision: 0,
        };
        let dated = ActionKeys::of(&d, &item(Some("2025-04-01"), Some("@Dana")));
        let undated = ActionKeys::of(&d, &item(Some("next sprint"), None));
        assert_eq!(dated.due_key, "2025-04-01");
        assert_eq!(dated.owner_sort, "dana");
        assert_eq!(dated.title_key, "disk full");
        assert!(dated.due_key < undated.due_key && dated.owner_sort < undated.owner_sort);
    }
}
