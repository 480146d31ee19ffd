//! What a timeline entry or an action item is about, from its words.
//!
//! Word lists, not a model: predictable, explainable in a finding, and fast. Explicit markers
//! (`<START OF OUTAGE>`, `<MITIGATED>`, `<END OF OUTAGE>`) always win.

use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::OnceLock;

use super::lines::contains_ci;
use crate::model::{ActionKind, EventKind};

// The word lists, one per question asked of an entry or an item; each has its own bit.
static ACKNOWLEDGED: Needles = Needles::new(0, &["acknowledg*", "acked", "ack'd"]);
static NOT_ACKNOWLEDGING: Needles = Needles::new(1, &["not acknowledg*", "stops acknowledg*"]);
static STOPPED: Needles = Needles::new(
    2,
    &[
        "stops",
        "stopped",
        "stop working",
        "went down",
        "goes down",
        "not acknowledging",
    ],
);
static SETBACK: Needles = Needles::new(
    3,
    &[
        "but",
        "still",
        "remains",
        "remained",
        "unsuccessful",
        "did not",
        "didn't",
        "does not",
        "doesn't",
        "no effect",
        "also found",
        "without success",
        "failed to",
        "fails to",
    ],
);
static UNDERWAY: Needles = Needles::new(
    4,
    &[
        "begins",
        "begin",
        "began",
        "starts",
        "start",
        "started",
        "attempts",
        "attempt",
        "attempted",
        "tries",
        "tried",
        "trying",
        "working on",
        "in progress",
        "initiated",
        "decision",
        "decided",
        "plan",
        "planning",
        "considering",
        "proposed",
    ],
);
static RESOLVED: Needles = Needles::new(
    5,
    &[
        "fully restored",
        "fully recovered",
        "fully operational",
        "fully resolved",
        "fully functional",
        "fully online",
        "operating normally",
        "operational again",
        "resolved",
        "incident closed",
        "closed the incident",
        "all clear",
        "all systems operational",
        "maintenance finished",
        "incident ended",
        "end of incident",
        "stable since",
        "confirmed stable",
        "monitoring concluded",
        "closed",
    ],
);
static MITIGATED: Needles = Needles::new(
    6,
    &[
        "restored",
        "repaired",
        "drained",
        "catches up",
        "caught up",
        "back to baseline",
        "restore completed",
        "brought online",
        "back online",
        "back up",
        "back to normal",
        "returns to normal",
        "returned to normal",
        "recovered",
        "recovering",
        "recovery",
        "mitigated",
        "mitigation",
        "rolled back",
        "rollback",
        "reverted",
        "revert",
        "failed over",
        "hotfix",
        "fix deployed",
        "deployed a fix",
        "deployed the fix",
        "fix was deployed",
        "fix applied",
        "applied a fix",
        "workaround",
        "working again",
        "functional again",
        "available again",
        "services resumed",
        "resumed",
        "errors stop*",
        "error rate dropped",
        "latency returned",
        "healthy",
    ],
);
static ESCALATED: Needles = Needles::new(
    7,
    &[
        "escalat*",
        "incident declared",
        "declared an incident",
        "declared a",
        "declares",
        "incident commander",
        "war room",
        "called in",
        "brought in",
        "pulled in",
        "paged in",
        "engaged",
        "sev1",
        "sev 1",
        "major incident",
        "leadership",
    ],
);
static DETECTED: Needles = Needles::new(
    8,
    &[
        "alert*",
        "alarm*",
        "paged",
        "page ",
        "pagerduty",
        "opsgenie",
        "monitoring",
        "detected",
        "detects",
        "noticed",
        "notices",
        "reported",
        "reports",
        "report",
        "customer*",
        "user report*",
        "ticket",
        "complain*",
        "notif*",
        "first signs",
        "flagged",
        "spotted",
    ],
);
static RESPONDED: Needles = Needles::new(
    9,
    &[
        "acknowledg*",
        "ack'd",
        "acked",
        "joins",
        "joined",
        "responds",
        "responded",
        "on-call engineer",
        "on call engineer",
        "picked up",
        "picks up",
        "takes ownership",
        "took ownership",
        "online to investigate",
    ],
);
static DIAGNOSED: Needles = Needles::new(
    10,
    &[
        "investigat*",
        "determin*",
        "identif*",
        "diagnos*",
        "root cause",
        "found that",
        "finds",
        "discover*",
        "checked",
        "checks",
        "checking",
        "look* into",
        "looking at",
        "analy*",
        "suspect*",
        "debug*",
        "traced",
        "confirmed",
        "realized",
        "restart*",
        "attempt*",
        "tried",
        "tries",
        "failover",
        "fail over",
        "begins restoring",
    ],
);
static CHANGED: Needles = Needles::new(
    11,
    &[
        "deploy*",
        "released",
        "release",
        "rolled out",
        "rollout",
        "merged",
        "config* change",
        "changed",
        "migration",
        "upgrade*",
        "updated",
        "update",
        "maintenance",
        "expired",
        "expires",
        "certificate",
    ],
);
static SYMPTOM: Needles = Needles::new(
    12,
    &[
        "unresponsive",
        "error*",
        "5xx",
        "503",
        "502",
        "500",
        "504",
        "down",
        "outage",
        "fail*",
        "latency",
        "degraded",
        "unavailable",
        "crash*",
        "timeout*",
        "timing out",
        "stops working",
        "stopped working",
        "not responding",
        "unreachable",
        "slow",
        "spike",
        "dropped",
        "loss",
        "corrupt*",
        "broken",
    ],
);
static DETECT_ACTION: Needles = Needles::new(
    13,
    &[
        "monitor*",
        "alert*",
        "alarm*",
        "dashboard*",
        "detect*",
        "observability",
        "metric*",
        "logging",
        "log ",
        "logs",
        "health check*",
        "healthcheck*",
        "probe*",
        "synthetic",
        "visibility",
        "notify",
        "notification*",
        "paging",
        "on-call",
        "slo",
        "sli",
    ],
);
static PROCESS_ACTION: Needles = Needles::new(
    14,
    &[
        "runbook*",
        "playbook*",
        "document*",
        "training",
        "train ",
        "drill*",
        "process",
        "procedure*",
        "postmortem*",
        "post-mortem*",
        "review",
        "policy",
        "policies",
        "communicat*",
        "status page",
        "escalation path*",
        "incident response plan",
        "checklist*",
        "onboard*",
        "meeting*",
        "retro*",
        "educat*",
        "awareness",
        "guidelines",
    ],
);
static MITIGATE_ACTION: Needles = Needles::new(
    15,
    &[
        "failover",
        "fail over",
        "backup*",
        "restore*",
        "recovery",
        "rollback*",
        "roll back",
        "rate limit*",
        "circuit breaker*",
        "redundan*",
        "high-availability",
        "high availability",
        "fallback",
        "graceful*",
        "degrad*",
        "throttl*",
        "autoscal*",
        "auto-scal*",
        "replica*",
        "retry",
        "retries",
        "timeout*",
        "kill switch",
        "feature flag*",
        "blast radius",
    ],
);

/// Every list, so one pass over a text's words answers all of them.
static ALL: [&Needles; 16] = [
    &ACKNOWLEDGED,
    &NOT_ACKNOWLEDGING,
    &STOPPED,
    &SETBACK,
    &UNDERWAY,
    &RESOLVED,
    &MITIGATED,
    &ESCALATED,
    &DETECTED,
    &RESPONDED,
    &DIAGNOSED,
    &CHANGED,
    &SYMPTOM,
    &DETECT_ACTION,
    &PROCESS_ACTION,
    &MITIGATE_ACTION,
];

/// A word list. `word*` matches any word starting with `word`; several words (`did not`,
/// `ack'd` read as `ack` `d`) match in sequence, the last one as a prefix for `phrase*`.
struct Needles {
    bit: u32,
    raw: &'static [&'static str],
}

impl Needles {
    const fn new(bit: u32, raw: &'static [&'static str]) -> Needles {
        Needles { bit, raw }
    }

    /// Whether any of the list's needles occurs in the text `w` was built from.
    fn any(&self, w: &Words) -> bool {
        w.hits & (1 << self.bit) != 0
    }
}

const FNV_START: u64 = 0xcbf2_9ce4_8422_2325;

fn fnv_step(h: u64, b: u8) -> u64 {
    (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
}

fn fnv(s: &str) -> u64 {
    s.bytes().fold(FNV_START, fnv_step)
}

/// The index's keys are already FNV-1a hashes of words: used as they are. Other keys (short
/// words) are hashed with FNV-1a, whose set-up costs nothing next to SipHash's.
#[derive(Default)]
pub(crate) struct Prehashed(u64);

/// A map keyed by short words or their hashes.
pub(crate) type WordMap<K, V> = HashMap<K, V, BuildHasherDefault<Prehashed>>;

impl Hasher for Prehashed {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = fnv_step(self.0, *b);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// The words of a phrase after its first, whether the last is a prefix, and the lists' bits.
type Phrase = (Vec<&'static str>, bool, u32);

/// What the lists say of one word: the bits of the lists it is in as a whole word, those it
/// begins as a prefix (`word*`), and the phrases it begins.
#[derive(Default)]
struct Entry {
    word: &'static str,
    exact: u32,
    prefix: u32,
    phrases: Vec<Phrase>,
}

/// All lists merged into one table, built on first use and keyed by the hash of the word, so a
/// word of the text is hashed once: its prefixes' hashes are the steps on the way.
#[derive(Default)]
struct Index {
    table: HashMap<u64, Entry, BuildHasherDefault<Prehashed>>,
    /// The distinct lengths of the prefixes, so a word is looked up only at those lengths.
    prefix_lengths: Vec<usize>,
}

impl Index {
    fn entry(&mut self, word: &'static str) -> &mut Entry {
        let e = self.table.entry(fnv(word)).or_default();
        // The lists are fixed; a test builds the index, so a collision cannot ship.
        assert!(
            e.word.is_empty() || e.word == word,
            "hash collision between {:?} and {word:?}",
            e.word
        );
        e.word = word;
        e
    }
}

fn index() -> &'static Index {
    static INDEX: OnceLock<Index> = OnceLock::new();
    INDEX.get_or_init(|| {
        let mut ix = Index::default();
        for list in ALL {
            let bit = 1u32 << list.bit;
            for needle in list.raw {
                let (n, prefix) = match needle.strip_suffix('*') {
                    Some(n) => (n, true),
                    None => (*needle, false),
                };
                let parts: Vec<&'static str> = n
                    .split(|ch: char| !ch.is_alphanumeric())
                    .filter(|p| !p.is_empty())
                    .collect();
                match (parts.as_slice(), prefix) {
                    ([], _) => {}
                    ([one], false) => ix.entry(one).exact |= bit,
                    ([one], true) => {
                        ix.entry(one).prefix |= bit;
                        ix.prefix_lengths.push(one.len());
                    }
                    ([first, rest @ ..], _) => {
                        ix.entry(first).phrases.push((rest.to_vec(), prefix, bit))
                    }
                }
            }
        }
        ix.prefix_lengths.sort_unstable();
        ix.prefix_lengths.dedup();
        ix
    })
}

/// The words of a text: runs of alphanumeric characters.
fn words(text: &str) -> WordIter<'_> {
    WordIter { s: text, i: 0 }
}

/// Runs of alphanumeric characters, read a byte at a time while the text is ASCII.
#[derive(Clone)]
struct WordIter<'a> {
    s: &'a str,
    i: usize,
}

impl WordIter<'_> {
    /// Whether the character at byte `i` is alphanumeric, and its length.
    #[inline]
    fn alnum_at(&self, i: usize) -> (bool, usize) {
        let b = self.s.as_bytes()[i];
        if b.is_ascii() {
            return (b.is_ascii_alphanumeric(), 1);
        }
        let c = self.s[i..].chars().next().unwrap_or(' ');
        (c.is_alphanumeric(), c.len_utf8())
    }
}

impl<'a> Iterator for WordIter<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let len = self.s.len();
        while self.i < len {
            let (alnum, n) = self.alnum_at(self.i);
            if alnum {
                break;
            }
            self.i += n;
        }
        if self.i >= len {
            return None;
        }
        let start = self.i;
        while self.i < len {
            let (alnum, n) = self.alnum_at(self.i);
            if !alnum {
                break;
            }
            self.i += n;
        }
        Some(&self.s[start..self.i])
    }
}

/// Which lists a text hits, computed in one pass over its words.
struct Words {
    hits: u32,
}

impl Words {
    fn new(text: &str) -> Words {
        let ix = index();
        let mut words = words(text);
        let mut hits = 0;
        while let Some(word) = words.next() {
            // ASCII case is folded here, so ASCII text needs no lowercased copy.
            let bytes = word.as_bytes();
            let fold = |h: u64, b: &u8| fnv_step(h, b.to_ascii_lowercase());
            let mut h = FNV_START;
            let mut done = 0;
            for &len in ix.prefix_lengths.iter().take_while(|&&l| l <= bytes.len()) {
                h = bytes[done..len].iter().fold(h, fold);
                done = len;
                if let Some(e) = ix.table.get(&h)
                    && e.prefix != 0
                    && e.word.as_bytes().eq_ignore_ascii_case(&bytes[..len])
                {
                    hits |= e.prefix;
                }
            }
            h = bytes[done..].iter().fold(h, fold);
            let Some(e) = ix
                .table
                .get(&h)
                .filter(|e| e.word.eq_ignore_ascii_case(word))
            else {
                continue;
            };
            hits |= e.exact;
            for (rest, prefix, bit) in &e.phrases {
                // The words that follow, read from a copy of the iterator.
                let mut following = words.clone();
                let matched = rest.iter().enumerate().all(|(k, part)| {
                    following.next().is_some_and(|w| {
                        if *prefix && k == rest.len() - 1 {
                            w.as_bytes()
                                .get(..part.len())
                                .is_some_and(|head| head.eq_ignore_ascii_case(part.as_bytes()))
                        } else {
                            w.eq_ignore_ascii_case(part)
                        }
                    })
                });
                if matched {
                    hits |= bit;
                }
            }
        }
        Words { hits }
    }
}

/// The explicit marker an entry carries (`<START OF OUTAGE>`, `<MITIGATED>`, `<END OF OUTAGE>`).
pub fn marker(text: &str) -> Option<EventKind> {
    if !text.contains('<') {
        return None;
    }
    marker_in(&text.to_lowercase())
}

/// Text as the word lists read it: ASCII text as it is (the lists fold ASCII case themselves),
/// anything else lowercased.
fn lowered(text: &str) -> Cow<'_, str> {
    if text.is_ascii() {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(text.to_lowercase())
    }
}

fn marker_in(lower: &str) -> Option<EventKind> {
    let has = |m: &str| contains_ci(lower, m);
    if has("<start of outage>") || has("<start of incident>") {
        Some(EventKind::Symptom)
    } else if has("<mitigated>") {
        Some(EventKind::Mitigation)
    } else if has("<end of outage>") || has("<end of incident>") || has("<resolved>") {
        Some(EventKind::Resolution)
    } else {
        None
    }
}

/// Classifies one timeline entry.
pub fn event_kind(text: &str) -> EventKind {
    let lower = lowered(text);
    let t = lower.as_ref();
    if t.contains('<')
        && let Some(k) = marker_in(t)
    {
        return k;
    }
    let w = Words::new(t);
    // Status-page updates name their phase first.
    let phase = t.trim_start_matches(['*', '_', '[', ' ']);
    for (word, kind) in [
        ("investigating", EventKind::Diagnosis),
        ("identified", EventKind::Diagnosis),
        ("monitoring", EventKind::Mitigation),
        ("update", EventKind::Other),
        ("resolved", EventKind::Resolution),
        ("completed", EventKind::Resolution),
        ("postmortem", EventKind::Other),
    ] {
        if !phase
            .as_bytes()
            .get(..word.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(word.as_bytes()))
        {
            continue;
        }
        let after = &phase[word.len()..];
        let marked = after.starts_with(['*', ':', ']'])
            || after.starts_with(" -")
            || after.starts_with(" –")
            || after.starts_with(" —");
        if marked {
            return kind;
        }
    }
    if ACKNOWLEDGED.any(&w) && !NOT_ACKNOWLEDGING.any(&w) {
        return EventKind::Acknowledgement;
    }
    if STOPPED.any(&w) {
        return EventKind::Symptom;
    }
    // Attempts that did not work, and work just begun, are not outcomes.
    let setback = SETBACK.any(&w);
    let underway = UNDERWAY.any(&w);
    if !setback && RESOLVED.any(&w) {
        return EventKind::Resolution;
    }
    if !setback && !underway && MITIGATED.any(&w) {
        return EventKind::Mitigation;
    }
    if ESCALATED.any(&w) {
        return EventKind::Escalation;
    }
    if DETECTED.any(&w) {
        return EventKind::Detection;
    }
    if RESPONDED.any(&w) {
        return EventKind::Acknowledgement;
    }
    if DIAGNOSED.any(&w) {
        return EventKind::Diagnosis;
    }
    if CHANGED.any(&w) {
        return EventKind::Trigger;
    }
    if SYMPTOM.any(&w) {
        return EventKind::Symptom;
    }
    EventKind::Other
}

/// Classifies one action item: does it detect, mitigate, change process, or prevent?
pub fn action_kind(text: &str) -> ActionKind {
    let w = Words::new(&lowered(text));
    if DETECT_ACTION.any(&w) {
        return ActionKind::Detect;
    }
    if PROCESS_ACTION.any(&w) {
        return ActionKind::Process;
    }
    if MITIGATE_ACTION.any(&w) {
        return ActionKind::Mitigate;
    }
    ActionKind::Prevent
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outcomes_are_told_from_attempts() {
        assert_eq!(
            event_kind(
                "Team attempts to restart the database service, but the server remains unresponsive."
            ),
            EventKind::Diagnosis
        );
        assert_eq!(
            event_kind(
                "Restored database is brought online, and the website gradually returns to normal operation."
            ),
            EventKind::Mitigation
        );
        assert_eq!(
            event_kind("Website fully restored and operating normally."),
            EventKind::Resolution
        );
        assert_eq!(
            event_kind(
                "Monitoring system triggers an alert, notifying the on-call engineering team."
            ),
            EventKind::Detection
        );
        assert_eq!(
            event_kind("The incident is escalated to the senior engineering and leadership teams."),
            EventKind::Escalation
        );
        assert_eq!(
            event_kind("Website becomes unresponsive, returning 503 errors."),
            EventKind::Symptom
        );
        assert_eq!(
            event_kind("<MITIGATED> traffic drained"),
            EventKind::Mitigation
        );
    }

    #[test]
    fn action_kinds() {
        assert_eq!(
            action_kind("Enhance the monitoring and alerting system"),
            ActionKind::Detect
        );
        assert_eq!(
            action_kind("Conduct regular disaster recovery drills"),
            ActionKind::Process
        );
        assert_eq!(
            action_kind("Investigate a high-availability database cluster"),
            ActionKind::Mitigate
        );
        assert_eq!(
            action_kind("Upgrade the database hardware"),
            ActionKind::Prevent
        );
    }
}
