//! Entries that systems write into a postmortem's timeline (alerts, deploys, flag flips, notes),
//! shared by the server's hooks and `debrief event add`.
//!
//! A change reads the postmortem, adds what it lacks (each generated entry carries its key in
//! [`TimelineEntry::event`], so a repeat adds nothing), writes the record back as canonical
//! Markdown and saves it from the revision it read. When another writer saved first, it reads
//! again: the other writer's entries are then there, and only what is still missing is added.

use debrief_core::{EventKind, Postmortem, Section, SectionKind, TimelineEntry};

use crate::{Filter, ListOrder, NewDocument, Store, StoreError, Time};

/// How many times a change reads the postmortem again after another writer saved first.
pub const ATTEMPTS: usize = 8;

/// A new draft postmortem that systems will write the timeline of: its title, its summary
/// (saying where it came from) and an empty timeline.
pub fn draft(title: String, summary: String, date: Option<String>) -> Postmortem {
    Postmortem {
        schema_version: debrief_core::SCHEMA_VERSION,
        title: Some(title),
        status: Some("draft".into()),
        date,
        summary: Some(summary.clone()),
        sections: vec![
            Section {
                heading: "Summary".into(),
                kind: SectionKind::Summary,
                text: summary,
                line: 0,
            },
            Section {
                heading: "Timeline".into(),
                kind: SectionKind::Timeline,
                text: String::new(),
                line: 0,
            },
        ],
        ..Postmortem::default()
    }
}

/// What a change did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    pub id: String,
    pub revision: i64,
    /// Entries added; 0 when every one was there already.
    pub added: usize,
}

/// Applies `change` (which adds entries and returns how many) to postmortem `id`, saving a
/// revision by `author` when it added any. [`StoreError::Conflict`] only when other writers
/// kept saving first [`ATTEMPTS`] times.
pub async fn write(
    store: &dyn Store,
    id: &str,
    author: &str,
    message: &str,
    mut change: impl FnMut(&mut Postmortem) -> usize,
) -> Result<Written, StoreError> {
    let mut last = None;
    for _ in 0..ATTEMPTS {
        let (revision, mut p) = store.current(id).await?;
        let added = change(&mut p);
        if added == 0 {
            return Ok(Written {
                id: id.to_string(),
                revision,
                added: 0,
            });
        }
        if !p.sections.iter().any(|s| s.kind == SectionKind::Timeline) {
            p.sections.push(Section {
                heading: "Timeline".into(),
                kind: SectionKind::Timeline,
                text: String::new(),
                line: 0,
            });
        }
        let doc = NewDocument {
            source: None,
            text: debrief_core::export::to_markdown(&p),
            author: author.to_string(),
            message: message.to_string(),
            record: None,
            identity: None,
            audit: None,
        };
        match store.update(id, revision, &doc).await {
            Ok(saved) => {
                return Ok(Written {
                    id: saved.id,
                    revision: saved.revision,
                    added,
                });
            }
            Err(e @ StoreError::Conflict { .. }) => last = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last.unwrap_or_else(|| StoreError::Invalid("the postmortem kept changing".into())))
}

/// One event a system reports.
#[derive(Debug, Clone)]
pub struct Event {
    pub at: Time,
    pub text: String,
    /// `deploy`, `feature-flag`, `config`, `status-page`, `note`, ... as the sender names it.
    pub source: String,
    pub link: Option<String>,
    /// Given, or read from the text as the importer reads timeline entries.
    pub kind: Option<EventKind>,
    /// The sender's key for the event (a deploy id); without one, the event's instant, source
    /// and text are its key.
    pub key: Option<String>,
}

/// The longest text, source, key and link an event may have, in characters.
const MAX_TEXT: usize = 4000;
const MAX_NAME: usize = 200;
const MAX_LINK: usize = 2000;

impl Event {
    /// What keeps the event from being recorded, as the field it concerns (`text`, `source`,
    /// `id`, `link`) and what to do; `None` when it can be.
    pub fn problem(&self) -> Option<(&'static str, String)> {
        let bounded = |value: &str, max: usize| {
            let n = value.chars().count();
            (value.trim().is_empty() || n > max)
                .then(|| format!("{n} characters; give 1 to {max} that are not all blank"))
        };
        if let Some(p) = bounded(&self.text, MAX_TEXT) {
            return Some(("text", p));
        }
        if let Some(p) = bounded(&self.source, MAX_NAME) {
            return Some(("source", p));
        }
        if let Some(p) = self.key.as_deref().and_then(|k| bounded(k, MAX_NAME)) {
            return Some(("id", p));
        }
        match self.link.as_deref() {
            Some(l)
                if l.chars().count() > MAX_LINK
                    || !(l.starts_with("https://") || l.starts_with("http://")) =>
            {
                Some((
                    "link",
                    format!("give an http or https address of at most {MAX_LINK} characters"),
                ))
            }
            _ => None,
        }
    }

    /// The entry this event adds (its text on one line).
    pub fn entry(&self) -> TimelineEntry {
        let key = self.key.clone().unwrap_or_else(|| {
            crate::sha256_hex(format!("{}\n{}\n{}", self.at, self.source, self.text).as_bytes())
                [..16]
                .to_string()
        });
        TimelineEntry {
            at: Some(debrief_core::time::Stamp::from_unix_seconds(
                self.at.unix_seconds(),
            )),
            text: self.text.replace(['\n', '\r'], " "),
            kind: self
                .kind
                .unwrap_or_else(|| debrief_core::import::classify_entry(&self.text)),
            line: 0,
            source: Some(self.source.clone()),
            link: self.link.clone(),
            event: Some(format!("event:{key}")),
            hidden: false,
            starred: false,
        }
    }
}

/// The postmortem an event for `service` goes to: the draft listing that service saved most
/// recently, if it was saved within `window_minutes` of `now`.
pub async fn open_draft_for(
    store: &dyn Store,
    service: &str,
    now: Time,
    window_minutes: i64,
) -> Result<Option<String>, StoreError> {
    let found = store
        .list(&Filter {
            status: Some("draft".into()),
            service: Some(service.to_string()),
            limit: Some(1),
            order: ListOrder::Updated,
            ..Filter::default()
        })
        .await?;
    Ok(found
        .into_iter()
        .find(|s| s.updated_at.seconds_until(now) <= window_minutes * 60)
        .map(|s| s.id))
}
