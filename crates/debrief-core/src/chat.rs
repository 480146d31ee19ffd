//! Chat exports as timeline entries. Slack's standard export is a folder (or zip) holding
//! `users.json` and, per channel, a folder of per-day files (`incident-42/2026-03-14.json`),
//! each a JSON array of messages with `ts` (seconds since the epoch, as text), `user`, `text`,
//! and for replies `thread_ts`.
//!
//! Messages whose words mark a page, an acknowledgement, an escalation, a mitigation or a
//! resolution (read as the importer reads timeline entries) become entries of that kind; every
//! other message is kept as a hidden candidate the author can promote. Joins, leaves, topic and
//! purpose changes are left out; bot messages are kept (alerts often arrive that way); entries
//! stay in time order, and a reply names the message it answers. Each entry keeps its source (`slack #channel: name`) and its
//! key (`slack:channel:ts`), so importing the same export twice adds nothing.

use std::collections::HashMap;

use serde_json::Value;

use crate::model::{EventKind, TimelineEntry};
use crate::time::Stamp;

/// One file of the export: its path inside the export (`users.json`, `general/2026-03-14.json`)
/// and its text.
pub struct ChatFile {
    pub path: String,
    pub text: String,
}

/// Which messages to read, and how to name their authors.
#[derive(Debug, Clone, Default)]
pub struct ChatOptions {
    pub channel: String,
    /// Only messages at or after this instant (seconds since the epoch).
    pub from: Option<i64>,
    /// Only messages at or before this instant.
    pub to: Option<i64>,
    /// Authors become `responder 1`, `responder 2`, ... in order of first message, in the
    /// source and in mentions.
    pub anonymise: bool,
}

/// What an export gave.
#[derive(Debug, Default)]
pub struct ChatTimeline {
    pub entries: Vec<TimelineEntry>,
    /// Messages of the channel within the window.
    pub read: usize,
    /// Left out: joins, leaves, topic and purpose changes, empty messages.
    pub skipped: usize,
}

impl ChatTimeline {
    pub fn marked(&self) -> usize {
        self.entries.iter().filter(|e| !e.hidden).count()
    }
}

/// Where an export is wrong: the file and what in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChatError {
    pub file: String,
    pub detail: String,
}

impl std::fmt::Display for ChatError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.file, self.detail)
    }
}

impl std::error::Error for ChatError {}

/// The kinds a chat message can mark; any other message is a hidden candidate.
const MARKING: [EventKind; 5] = [
    EventKind::Detection,
    EventKind::Acknowledgement,
    EventKind::Escalation,
    EventKind::Mitigation,
    EventKind::Resolution,
];

/// Subtypes that are about the channel, not the incident.
const SKIPPED: [&str; 6] = [
    "channel_join",
    "channel_leave",
    "channel_topic",
    "channel_purpose",
    "channel_name",
    "pinned_item",
];

/// How a bot's name ends, telling it from a person's.
const BOT: &str = " (bot)";

struct Message {
    ts: String,
    seconds: f64,
    /// The `ts` of the thread's first message, for a reply.
    parent: Option<String>,
    author: String,
    text: String,
}

fn field<'a>(file: &str, n: usize, m: &'a Value, key: &str) -> Result<Option<&'a str>, ChatError> {
    match m.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(ChatError {
            file: file.to_string(),
            detail: format!("message {n}: `{key}` is not a string"),
        }),
    }
}

fn parse_json(file: &ChatFile) -> Result<Value, ChatError> {
    serde_json::from_str(&file.text).map_err(|e| ChatError {
        file: file.path.clone(),
        detail: format!(
            "not valid JSON at line {}, column {}: {e}",
            e.line(),
            e.column()
        ),
    })
}

/// User ids to the names people know them by (display name, else real name, else handle).
fn users(files: &[ChatFile]) -> Result<HashMap<String, String>, ChatError> {
    let Some(file) = files.iter().find(|f| f.path == "users.json") else {
        return Ok(HashMap::new());
    };
    let Value::Array(list) = parse_json(file)? else {
        return Err(ChatError {
            file: file.path.clone(),
            detail: "expected a JSON array of users".into(),
        });
    };
    let mut out = HashMap::new();
    for (n, u) in list.iter().enumerate() {
        let id = field(&file.path, n, u, "id")?.ok_or_else(|| ChatError {
            file: file.path.clone(),
            detail: format!("user {n}: `id` is missing"),
        })?;
        let profile = u.get("profile");
        let name = [
            profile.and_then(|p| p.get("display_name")),
            profile.and_then(|p| p.get("real_name")),
            u.get("real_name"),
            u.get("name"),
        ]
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .find(|s| !s.trim().is_empty())
        .unwrap_or(id);
        out.insert(id.to_string(), name.to_string());
    }
    Ok(out)
}

/// Slack's markup as plain text: `<@U1>` as `@name`, `<url|label>` as `label (url)`, `<#C1|x>`
/// as `#x`, and its three escaped characters.
fn plain(text: &str, name: &impl Fn(&str) -> String) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('>') else {
            out.push_str(&rest[open..]);
            rest = "";
            break;
        };
        let inner = &rest[open + 1..open + close];
        let (target, label) = inner.split_once('|').unwrap_or((inner, ""));
        if let Some(id) = target.strip_prefix('@') {
            out.push('@');
            out.push_str(&name(id));
        } else if let Some(channel) = target.strip_prefix('#') {
            out.push('#');
            out.push_str(if label.is_empty() { channel } else { label });
        } else if let Some(special) = target.strip_prefix('!') {
            out.push('@');
            out.push_str(special);
        } else if label.is_empty() {
            out.push_str(target);
        } else {
            out.push_str(&format!("{label} ({target})"));
        }
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// The timeline a Slack export gives for one channel.
pub fn slack(files: &[ChatFile], opts: &ChatOptions) -> Result<ChatTimeline, ChatError> {
    let known = users(files)?;
    let prefix = format!("{}/", opts.channel);
    let days: Vec<&ChatFile> = files
        .iter()
        .filter(|f| f.path.starts_with(&prefix) && f.path.ends_with(".json"))
        .collect();
    if days.is_empty() {
        let mut channels: Vec<&str> = files
            .iter()
            .filter_map(|f| f.path.split_once('/').map(|(c, _)| c))
            .collect();
        channels.sort_unstable();
        channels.dedup();
        return Err(ChatError {
            file: format!("{}/", opts.channel),
            detail: format!(
                "the export has no messages for this channel; its channels: {}",
                if channels.is_empty() {
                    "none".to_string()
                } else {
                    channels.join(", ")
                }
            ),
        });
    }
    let mut out = ChatTimeline::default();
    let mut messages = Vec::new();
    for file in days {
        let Value::Array(list) = parse_json(file)? else {
            return Err(ChatError {
                file: file.path.clone(),
                detail: "expected a JSON array of messages".into(),
            });
        };
        for (n, m) in list.iter().enumerate() {
            let ts = field(&file.path, n, m, "ts")?.ok_or_else(|| ChatError {
                file: file.path.clone(),
                detail: format!("message {n}: `ts` is missing"),
            })?;
            let seconds: f64 = ts
                .parse()
                .ok()
                .filter(|s: &f64| s.is_finite() && *s >= 0.0 && *s < 1.0e11)
                .ok_or_else(|| ChatError {
                    file: file.path.clone(),
                    detail: format!(
                        "message {n}: `ts` is {ts:?}, not seconds since 1970 such as \"1710410400.000200\""
                    ),
                })?;
            if opts.from.is_some_and(|f| seconds < f as f64)
                || opts.to.is_some_and(|t| seconds > t as f64)
            {
                continue;
            }
            out.read += 1;
            let subtype = field(&file.path, n, m, "subtype")?;
            let text = field(&file.path, n, m, "text")?.unwrap_or("");
            if subtype.is_some_and(|s| SKIPPED.contains(&s)) || text.trim().is_empty() {
                out.skipped += 1;
                continue;
            }
            let author = match (
                field(&file.path, n, m, "user")?,
                field(&file.path, n, m, "username")?,
                field(&file.path, n, m, "bot_id")?,
            ) {
                (_, Some(bot), _) => format!("{bot}{BOT}"),
                (Some(user), _, _) => user.to_string(),
                (None, None, Some(bot)) => format!("{bot}{BOT}"),
                (None, None, None) => "someone".to_string(),
            };
            let parent = field(&file.path, n, m, "thread_ts")?
                .filter(|t| *t != ts)
                .map(str::to_string);
            messages.push(Message {
                ts: ts.to_string(),
                seconds,
                parent,
                author,
                text: text.to_string(),
            });
        }
    }
    messages.sort_by(|a, b| a.seconds.total_cmp(&b.seconds));
    // Names: as the export knows them, or roles in order of first message (bots keep theirs).
    let mut roles: HashMap<String, String> = HashMap::new();
    for m in &messages {
        if !m.author.ends_with(BOT) && !roles.contains_key(&m.author) {
            let role = format!("responder {}", roles.len() + 1);
            roles.insert(m.author.clone(), role);
        }
    }
    let name = |id: &str| -> String {
        if id.ends_with(BOT) {
            id.to_string()
        } else if opts.anonymise {
            roles
                .get(id)
                .cloned()
                .unwrap_or_else(|| "someone".to_string())
        } else {
            known.get(id).cloned().unwrap_or_else(|| id.to_string())
        }
    };
    let by_ts: HashMap<&str, &Message> = messages.iter().map(|m| (m.ts.as_str(), m)).collect();
    let order = &messages;
    for m in order {
        let text = plain(&m.text, &name);
        let kind = crate::import::classify_entry(&text);
        let marking = MARKING.contains(&kind);
        // A reply names the message it answers, so the thread stays readable in time order.
        let reply = match m.parent.as_deref().and_then(|p| by_ts.get(p)) {
            Some(p) => {
                let at = Stamp::from_unix_seconds(p.seconds as i64);
                let clock = at.time.map_or(String::new(), |t| {
                    format!(" at {:02}:{:02}", t.hour, t.minute)
                });
                format!(", replying to {}{clock}", name(&p.author))
            }
            None if m.parent.is_some() => ", replying in a thread".to_string(),
            None => String::new(),
        };
        out.entries.push(TimelineEntry {
            at: Some(Stamp::from_unix_seconds(m.seconds as i64)),
            text,
            kind: if marking { kind } else { EventKind::Other },
            line: 0,
            source: Some(format!(
                "slack #{}: {}{reply}",
                opts.channel,
                name(&m.author)
            )),
            link: None,
            event: Some(format!("slack:{}:{}", opts.channel, m.ts)),
            hidden: !marking,
            starred: false,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slack_markup_reads_as_plain_text() {
        let name = |id: &str| {
            if id == "U1" {
                "dana".to_string()
            } else {
                id.to_string()
            }
        };
        assert_eq!(
            plain(
                "<@U1> see <https://grafana.test/d/1|the dashboard> in <#C9|ops> &amp; <!here> &lt;3",
                &name
            ),
            "@dana see the dashboard (https://grafana.test/d/1) in #ops & @here <3"
        );
        assert_eq!(plain("a < b", &name), "a < b");
    }

    #[test]
    fn a_stamp_from_unix_seconds_is_utc() {
        let s = Stamp::from_unix_seconds(1_710_410_400);
        assert_eq!(s.to_string(), "2024-03-14 10:00 UTC");
        assert_eq!(s.utc_seconds(false), Some(1_710_410_400));
    }
}
