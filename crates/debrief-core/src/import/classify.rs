//! What a timeline entry or an action item is about, from its words.
//!
//! Word lists, not a model: predictable, explainable in a finding, and fast. Explicit markers
//! (`<START OF OUTAGE>`, `<MITIGATED>`, `<END OF OUTAGE>`) always win.

use std::borrow::Cow;
use std::sync::OnceLock;

use crate::model::{ActionKind, EventKind};
use crate::text::{contains_ci, lower8};

// The word lists, one per question asked of an entry or an item; each has its own bit.
static ACKNOWLEDGED: Needles = Needles::new(
    0,
    &[
        "acknowledg*",
        "acked",
        "ack'd",
        "ack",
        "acks",
        "accepted the incident",
        "accepts the incident",
        "incident accepted",
        // A responder taking what reported the problem: "IT on-call picked up the ticket",
        // "Network on-call takes the incident".
        "picked up the ticket",
        "picks up the ticket",
        "picked up the page",
        "picks up the page",
        "picked up the alert",
        "picks up the alert",
        "takes the incident",
        "took the incident",
        "takes the ticket",
        "took the ticket",
    ],
);
static NOT_ACKNOWLEDGING: Needles = Needles::new(
    1,
    &[
        "not acknowledg*",
        "stops acknowledg*",
        // Machines joining a cluster answer no page.
        "joined the cluster",
        "never joined",
    ],
);
static STOPPED: Needles = Needles::new(
    2,
    &[
        "stops",
        "stopped",
        "stop working",
        "went down",
        "goes down",
        "not acknowledging",
        // The harm said to begin: "Customer impact began."
        "impact began",
        "impact begins",
        "impact started",
        "impact starts",
        "outage began",
        "outage begins",
        "outage started",
        "outage starts",
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
        "not up",
        "not back",
        "not online",
        "isn't up",
        "isn't back",
        "only parts",
        "not fixed",
        "wasn't fixed",
        "isn't fixed",
        // "logs weren't working as expected": the words of a recovery, denied.
        "not working",
        "not able",
        "weren't working",
        "wasn't working",
        "isn't working",
        "aren't working",
        "attempt fails",
        "attempt failed",
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
        "working as intended",
        "working as expected",
        "working again",
        "working normally",
        "functioning normally",
        "back to normal",
        "resolved",
        // Said of the whole problem, not of a step: "The problem is now solved".
        "problem is solved",
        "problem is now solved",
        "problem has been solved",
        "problem is fixed",
        "problem is now fixed",
        "problem has been fixed",
        "issue is solved",
        "issue is now solved",
        "issue has been solved",
        "issue is fixed",
        "issue is now fixed",
        "issue has been fixed",
        "incident closed",
        "closed the incident",
        "all clear",
        "all systems operational",
        // "All systems verified operational".
        "verified operational",
        "confirmed operational",
        // "First user reports back that it works": the people affected confirm the fix.
        "that it works",
        "that it is working",
        "that everything works",
        "confirms it works",
        "confirmed it works",
        "resolution is confirmed",
        "resolution confirmed",
        "resolution is complete",
        "resolution complete",
        "service operational",
        "services operational",
        "service is operational",
        "services are operational",
        "maintenance finished",
        "incident ended",
        "end of incident",
        "stable since",
        "confirmed stable",
        "confirmed normal",
        "confirmed healthy",
        "confirmed working",
        "monitoring concluded",
        // What was closed is the incident or its ticket ("closed out my terminal" is not).
        "issue closed",
        "issue is closed",
        "issue was closed",
        "closed the issue",
        "ticket closed",
        "closed the ticket",
        "outage closed",
        "incident is closed",
        "incident was closed",
        // A security incident found to be none is over.
        "incident was a false positive",
        "incident is a false positive",
        "was a false alarm",
    ],
);
static MITIGATED: Needles = Needles::new(
    6,
    &[
        // "CoreDNS downgraded, which solved the issue".
        "solved the",
        "solves the",
        "which solved",
        "issue solved",
        "problem solved",
        "restored",
        "repaired",
        "rebuilt",
        "drained",
        "draining",
        "drains",
        "lifted the",
        "lifts the",
        "unblocked",
        "unblocks",
        "catches up",
        "caught up",
        "back to baseline",
        "returned to baseline",
        "returns to baseline",
        "at baseline",
        "restore completed",
        "brought online",
        "back online",
        "back in service",
        "new certificate issued",
        "new certificate deployed",
        "new certificate uploaded",
        "new certificate installed",
        "issued a new certificate",
        "deployed a new certificate",
        "uploaded a new certificate",
        "installed a new certificate",
        "certificate replaced",
        "back up",
        "back to normal",
        "returns to normal",
        "returned to normal",
        // "The service returned to a normal state", "the region resumed normal operations".
        "to a normal state",
        "resumed normal",
        "resumes normal",
        "recover",
        "recovered",
        "recovers",
        "recovering",
        "latency normal",
        "rate normal",
        "rates normal",
        "traffic normal",
        "normal levels",
        "normal again",
        "now normal",
        "stopgap",
        "re-established",
        "reestablished",
        "re-enabl*",
        "reenabl*",
        "switched back",
        "switches back",
        "pointed back",
        "back under",
        "back below",
        "back within",
        "back above",
        // Moving the traffic off what failed: "switched to the secondary provider".
        "switched to the secondary",
        "switched to the standby",
        "switched to the backup",
        "switched over to",
        "normally again",
        "serving requests normally",
        "moved back",
        "set back to",
        "turned back on",
        "switched back on",
        "reconnected",
        "cleared",
        "back to zero",
        // "5xx back to 0". Not "all good" or "all green", which a check of the wrong suspect
        // says as often ("Servers are chilling out, all green").
        "back to 0",
        "recovery",
        "mitigated",
        "mitigation",
        "rolled back",
        "rollback",
        "previous release",
        "known good",
        "reverted",
        "revert",
        "failed over",
        "failover",
        "fail over",
        "scaled out",
        "scaled up",
        "resized",
        "upsized",
        "hotfix",
        "fix deployed",
        "deployed a fix",
        "deployed the fix",
        "fix was deployed",
        "fix applied",
        "applied a fix",
        "workaround",
        "working again",
        "works again",
        "work again",
        "corrected",
        "functional again",
        "available again",
        "live again",
        "online again",
        "up again",
        "on time again",
        "accepted again",
        "serving again",
        "reachable again",
        "responsive again",
        "stable again",
        "running again",
        "fresh again",
        "connect again",
        "connecting again",
        "succeed again",
        "rerun succeeds",
        "rerun succeeded",
        "retry succeeds",
        "retry succeeded",
        "now succeeds",
        "created again",
        "produced again",
        "processed again",
        "processing again",
        "flowing again",
        "moving again",
        "syncing again",
        "passing again",
        // The service working for its users again, said plainly: "contactless working in
        // every store", "Users can log in", "No more errors in the logs".
        "working for all",
        "working for everyone",
        "working in every",
        "working in all",
        "now work",
        "now works",
        "now working",
        "can log in",
        "can now",
        "able to log in",
        "able to check out",
        "able to access",
        "able to connect",
        "no more errors",
        "no longer reproducible",
        "no longer reproduces",
        "error rate at zero",
        "errors at zero",
        "site is up",
        "website is up",
        "service is up",
        "services are up",
        "complete again",
        "correct again",
        "accurate again",
        "healthy again",
        "visible again",
        "accessible again",
        "usable again",
        "responding again",
        "loading again",
        "loads again",
        "sending again",
        "delivered again",
        "fast again",
        "green again",
        "logins succeed",
        "requests succeed",
        "shows normal",
        "show normal",
        "showing normal",
        "succeeds again",
        "succeeding again",
        "successful again",
        "renewed",
        "services resumed",
        "resumed",
        "resume",
        "resumes",
        "errors stop*",
        "error rate dropped",
        "error rate dropping",
        "error rate falling",
        "error rate decreasing",
        "errors dropping",
        "errors decreasing",
        "latency dropping",
        "latency dropped",
        "latency returned",
        "healthy",
        "flushed",
        "purged",
        "fix for",
        "fixed",
        "patched",
    ],
);
/// Ending what did the harm: "migration killed", "killed the runaway query", "flag turned
/// off", "disabled the new validation", "migration cancelled; lock released", unless the system
/// did it ("OOM killed", "killed by earlyoom") or it is what someone found or was told
/// ("discovered that logging was turned off").
static HARM_ENDED: Needles = Needles::new(
    17,
    &[
        "killed",
        "kill",
        "disabled",
        "disable",
        "turned off",
        "turn off",
        "switched off",
        "switch off",
        "cancelled",
        "canceled",
        "aborted",
        "lock released",
        "locks released",
        "released the lock*",
    ],
);
static NOT_BY_RESPONDERS: Needles = Needles::new(
    18,
    &[
        "oom*",
        "out of memory",
        "earlyoom",
        "killed by",
        "cancelled by",
        "canceled by",
        "aborted by",
        "kills",
        "disabled by",
        "discover*",
        "found",
        "reveal*",
        "realiz*",
        "notic*",
        "observ*",
        "received",
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
        // "Dana takes incident command", "incident commander assigned", "Lea took command".
        "incident command",
        "took command",
        "takes command",
        "incident was declared",
        "incident is declared",
        "as commander",
        "incident opened",
        "opened an incident",
        "incident created",
        "created an incident",
        "incident raised",
        "raised an incident",
        "commander assigned",
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
        "paging",
        "pages the",
        "pages on",
        "page ",
        "pager ",
        "pagerduty",
        "opsgenie",
        "datadog",
        // Monitoring that saw something, not "continue monitoring" or "monitoring ends".
        "monitoring shows",
        "monitoring showed",
        "monitoring indicated",
        "monitoring system*",
        "monitoring tool*",
        "our monitoring",
        "synthetic*",
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
        // Told of the problem, not a system's name ("the notification sender").
        "notified",
        "notifies",
        "notifying",
        "notification from",
        "notifications from",
        "notification of",
        "notification received",
        "received a notification",
        // "First recorded instance of a user seeing the bot unresponsive".
        "recorded instance",
        "received notification",
        "got a notification",
        "first signs",
        "flagged",
        "spotted",
        "informed about",
        "informed of",
        "became aware",
        "become aware",
        "made aware",
        // Someone told the team: "Provider emails that no file arrived", "Shift lead calls
        // the IT hotline".
        "emails that",
        "emailed that",
        "emailed us",
        "hotline",
        "help desk",
        "service desk",
        "first calls",
        "first call from",
    ],
);
static RESPONDED: Needles = Needles::new(
    9,
    &[
        "acknowledg*",
        "ack'd",
        "acked",
        "acks",
        "joins",
        "joined",
        "responds",
        "responded",
        "on-call engineer",
        "on call engineer",
        "picked up",
        "picks up",
        "picked it up",
        "picks it up",
        "picking it up",
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
        "found",
        "conclu*",
        "finds",
        "discover*",
        "checked",
        "checks",
        "checking",
        "look into",
        "looks into",
        "looked into",
        "looking into",
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
        "config change",
        "configuration change",
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
        "5xxs",
        "503",
        "502",
        "500",
        "504",
        "503s",
        "502s",
        "500s",
        "504s",
        "down",
        "outage",
        "fail*",
        "latency",
        "degraded",
        "unavailable",
        "crash*",
        "timeout*",
        "timing out",
        "time out",
        "times out",
        "timed out",
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
        // The problem showing itself: "First occurrence of a node in NotReady state".
        "stalled",
        "stalls",
        "stuck",
        "hung",
        "occurrence",
        "occurence",
        "recurrence",
        "reoccurrence",
        // A resource run out or falling behind: "Replication lag above 30 s", "CPU pegged at
        // 100%", "connection pool exhausted", "pods OOMKilled".
        "lag",
        "lagging",
        "queue depth",
        "pegged",
        "saturated",
        "saturation",
        "exhausted",
        "exhaustion",
        "oom",
        "oomkilled",
        "out of memory",
        "out of disk",
        "disk full",
        "no space left",
        "overloaded",
        "overwhelmed",
        "memory leak",
        "loses quorum",
        "lost quorum",
        "quorum lost",
        "split brain",
        "split-brain",
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

// The symptom itself stopping: the service is back ("Verified that the exceptions stopped").
static SUBSIDED: Needles = Needles::new(
    16,
    &[
        "errors stop*",
        "reports stop*",
        "complaints stop*",
        "tickets stop*",
        "exceptions stop*",
        "failures stop*",
        "crashes stop*",
        "failovers stop*",
        "restarts stop*",
        "timeouts stop*",
        "alerts stop*",
        "errors ceased",
        "errors subsided",
        "errors drop",
        "errors dropped",
        "alerts cleared",
        "alerts resolved",
        // "504s gone", "the errors are gone", "timeouts disappeared".
        "errors gone",
        "errors are gone",
        "errors went away",
        "errors disappear*",
        "5xx gone",
        "5xxs gone",
        "500s gone",
        "502s gone",
        "503s gone",
        "504s gone",
        "5xxs stop*",
        "500s stop*",
        "502s stop*",
        "503s stop*",
        "504s stop*",
        "timeouts gone",
        "timeouts disappear*",
        "alerts gone",
    ],
);

/// Every list, so one pass over a text's words answers all of them.
static ALL: [&Needles; 24] = [
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
    &SUBSIDED,
    &HARM_ENDED,
    &NOT_BY_RESPONDERS,
    &IN_PROCESS,
    &TOLD_CUSTOMERS,
    &FOUND_NOTHING,
    &WHILE_INVESTIGATING,
    &NOT_LIVE,
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

/// The words of a phrase after its first, whether the last is a prefix, and the lists' bits.
type Phrase = (Vec<&'static str>, bool, u32);

/// The longest word any list holds: words are compared as their first this many bytes.
const KEY_BYTES: usize = 16;

/// A word's first [`KEY_BYTES`] bytes in ASCII lowercase, zero-padded, as one integer, so that
/// comparing a word or a prefix of it is one masked comparison.
fn key(word: &[u8]) -> u128 {
    // Built in a register (copying into a buffer and loading it back stalls the load).
    let mut k = 0u128;
    for (i, &b) in word.iter().take(KEY_BYTES).enumerate() {
        k |= u128::from(b.to_ascii_lowercase()) << (8 * i);
    }
    k
}

/// The key of the word of `len` bytes at `start` in `text`: with sixteen bytes to read there,
/// one load, lowercased eight bytes at a time and cut to the word.
fn key_at(text: &[u8], start: usize, len: usize) -> u128 {
    let Some(w) = text.get(start..start + KEY_BYTES) else {
        return key(&text[start..start + len]);
    };
    let half = |h: &[u8]| {
        lower8(u64::from_le_bytes([
            h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7],
        ]))
    };
    let k = u128::from(half(&w[..8])) | u128::from(half(&w[8..])) << 64;
    head(k, len)
}

/// The first `len` bytes of a key.
fn head(key: u128, len: usize) -> u128 {
    if len >= KEY_BYTES {
        key
    } else {
        key & ((1u128 << (8 * len)) - 1)
    }
}

/// Words sharing their first three bytes share a bucket, so one look-up finds every list word
/// and every prefix a word could match.
const BUCKETS: usize = 4096;

fn bucket(key: u128) -> usize {
    ((head(key, 3) as u32).wrapping_mul(0x9E37_79B1) >> 20) as usize % BUCKETS
}

/// What the lists say of one word: the bits of the lists it is in as a whole word, those it
/// begins as a prefix (`word*`), and the phrases it begins.
#[derive(Default)]
struct Entry {
    word: &'static str,
    key: u128,
    exact: u32,
    prefix: u32,
    phrases: Vec<Phrase>,
}

/// All lists merged into one table, built on first use: the entries grouped by bucket.
struct Index {
    entries: Vec<Entry>,
    /// Entries of bucket `b` are `entries[starts[b]..starts[b + 1]]`.
    starts: Vec<u16>,
}

impl Index {
    fn build() -> Index {
        let mut entries: Vec<Entry> = Vec::new();
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
                let Some((first, rest)) = parts.split_first() else {
                    continue;
                };
                let e = Index::entry(&mut entries, first);
                match (rest, prefix) {
                    ([], false) => e.exact |= bit,
                    ([], true) => {
                        assert!(first.len() >= 3, "prefix too short: {first:?}");
                        e.prefix |= bit;
                    }
                    _ => e.phrases.push((rest.to_vec(), prefix, bit)),
                }
            }
        }
        entries.sort_by_key(|e| bucket(e.key));
        let mut starts = vec![0u16; BUCKETS + 1];
        for e in &entries {
            starts[bucket(e.key) + 1] += 1;
        }
        for b in 0..BUCKETS {
            starts[b + 1] += starts[b];
        }
        Index { entries, starts }
    }

    /// The entry for a list word, added when it is new.
    fn entry<'e>(entries: &'e mut Vec<Entry>, word: &'static str) -> &'e mut Entry {
        // Every list word fits a key, and a prefix shorter than three bytes would not share the
        // bucket of the words it begins; a test builds the index, so neither can ship.
        assert!(word.len() <= KEY_BYTES, "list word too long: {word:?}");
        let i = match entries.iter().position(|e| e.word == word) {
            Some(i) => i,
            None => {
                entries.push(Entry {
                    word,
                    key: key(word.as_bytes()),
                    ..Entry::default()
                });
                entries.len() - 1
            }
        };
        &mut entries[i]
    }

    /// The entries a word with this key could match.
    fn candidates(&self, key: u128) -> &[Entry] {
        let b = bucket(key);
        &self.entries[usize::from(self.starts[b])..usize::from(self.starts[b + 1])]
    }
}

fn index() -> &'static Index {
    static INDEX: OnceLock<Index> = OnceLock::new();
    INDEX.get_or_init(Index::build)
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

/// Bytes by what they are to a word: 1 an ASCII letter or digit, 0 any other ASCII, 2 part of a
/// character beyond ASCII (read whole to decide).
static BYTE_CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        t[i] = if i >= 128 {
            2
        } else if (i as u8).is_ascii_alphanumeric() {
            1
        } else {
            0
        };
        i += 1;
    }
    t
};

impl<'a> Iterator for WordIter<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let b = self.s.as_bytes();
        loop {
            let &c = b.get(self.i)?;
            match BYTE_CLASS[usize::from(c)] {
                1 => break,
                0 => self.i += 1,
                _ => match self.alnum_at(self.i) {
                    (true, _) => break,
                    (false, n) => self.i += n,
                },
            }
        }
        let start = self.i;
        while let Some(&c) = b.get(self.i) {
            match BYTE_CLASS[usize::from(c)] {
                1 => self.i += 1,
                0 => break,
                _ => match self.alnum_at(self.i) {
                    (true, n) => self.i += n,
                    (false, _) => break,
                },
            }
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
            // ASCII case is folded in the key, so ASCII text needs no lowercased copy.
            let k = key_at(text.as_bytes(), words.i - word.len(), word.len());
            let mut exact = None;
            for e in ix.candidates(k) {
                if e.prefix != 0 && word.len() >= e.word.len() && head(k, e.word.len()) == e.key {
                    hits |= e.prefix;
                }
                if word.len() == e.word.len() && k == e.key {
                    exact = Some(e);
                }
            }
            let Some(e) = exact else {
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
    if let Some(kind) = status_marker(text)
        .or_else(|| capital_marker(text))
        .or_else(|| bold_marker(text))
        .or_else(|| start_label(text))
    {
        return Some(kind);
    }
    if !text.contains(['<', '(']) && !text.contains("&lt;") {
        return None;
    }
    // `&lt;END OF OUTAGE&gt;` as HTML exports write it; `(**outage starts**)` with emphasis.
    let plain = text
        .to_lowercase()
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace(['*', '_'], "");
    marker_in(&plain)
}

/// The words that mark the impact's bounds, however a document sets them off (see
/// [`capital_marker`], [`bold_marker`], [`status_marker`]).
const BOUNDS: [(&str, EventKind); 16] = [
    ("impact start", EventKind::Symptom),
    ("start of impact", EventKind::Symptom),
    ("impact begins", EventKind::Symptom),
    ("outage start", EventKind::Symptom),
    ("outage starts", EventKind::Symptom),
    ("outage begins", EventKind::Symptom),
    ("start of outage", EventKind::Symptom),
    ("incident begins", EventKind::Symptom),
    ("impact end", EventKind::Resolution),
    ("impact ends", EventKind::Resolution),
    ("end of impact", EventKind::Resolution),
    ("outage end", EventKind::Resolution),
    ("outage ends", EventKind::Resolution),
    ("end of outage", EventKind::Resolution),
    // The harm stopped: the end when the timeline marks no other.
    ("outage mitigated", EventKind::Mitigation),
    ("outage resolved", EventKind::Resolution),
];

/// The bound `s` opens with, in any case and ending at a word's end, and its length in bytes.
fn bound_opening(s: &str) -> Option<(EventKind, usize)> {
    let b = s.as_bytes();
    BOUNDS.iter().find_map(|&(mark, kind)| {
        let n = mark.len();
        (b.get(..n)?.eq_ignore_ascii_case(mark.as_bytes())
            && !b.get(n).is_some_and(u8::is_ascii_alphanumeric))
        .then_some((kind, n))
    })
}

/// An entry that is only a label for the start, as a summary of key events writes it: "Fault
/// occurs", "Impact started", "Outage began".
fn start_label(text: &str) -> Option<EventKind> {
    let t = text.trim_matches(|c: char| !c.is_alphanumeric());
    if t.len() > 16 {
        return None;
    }
    let (what, verb) = t.split_once(' ')?;
    let what = ["fault", "impact", "outage", "incident", "problem", "issue"]
        .iter()
        .any(|w| what.eq_ignore_ascii_case(w));
    let verb = ["occurs", "occurred", "starts", "started", "begins", "began"]
        .iter()
        .any(|w| verb.eq_ignore_ascii_case(w));
    (what && verb).then_some(EventKind::Symptom)
}

/// An entry opening with its bound in capitals, as Google's postmortem template writes them:
/// "**OUTAGE BEGINS** -- Search backends start melting down", "OUTAGE MITIGATED, searches now
/// succeeding".
fn capital_marker(text: &str) -> Option<EventKind> {
    let t = text.trim_start_matches(['*', '_', ' ']);
    // Every bound opens with one of these letters in capitals: one byte rules out most entries.
    if !matches!(t.as_bytes().first(), Some(b'I' | b'S' | b'O' | b'E')) {
        return None;
    }
    let (kind, n) = bound_opening(t)?;
    (!t[..n].contains(|c: char| c.is_ascii_lowercase())).then_some(kind)
}

/// A bound set in bold within an entry: "Prow is confirmed to be functional. **Outage ends.**"
fn bold_marker(text: &str) -> Option<EventKind> {
    memchr::memchr(b'*', text.as_bytes())?;
    text.match_indices("**")
        .find_map(|(k, _)| bound_opening(&text[k + 2..]))
        .map(|(kind, _)| kind)
}

/// A table's status cell marking the impact's bounds, joined to the entry's text ("Error rates
/// rise — IMPACT START", "IMPACT END — Error rates normal"): a part of the text between dashes
/// or bars that says only that.
fn status_marker(text: &str) -> Option<EventKind> {
    // Read on every entry: one byte search before any splitting ('—' is E2 80 94).
    memchr::memchr2(b'|', 0x94, text.as_bytes())?;
    text.split(['—', '|']).find_map(|part| {
        let part = part.trim().trim_matches(['*', '_']);
        // The marks are 10 to 16 bytes long: most parts are passed over by their length.
        if !(10..=16).contains(&part.len()) {
            return None;
        }
        bound_opening(part)
            .filter(|&(_, n)| n == part.len())
            .map(|(kind, _)| kind)
    })
}

/// "Status changed from Fixing to Monitoring", "Status: Investigating → Resolved": the phase an
/// incident tool's status change enters, read as a status page's phase is.
fn status_change(t: &str) -> Option<EventKind> {
    if !contains_ci(t, "status") {
        return None;
    }
    let after = t
        .rsplit_once('→')
        .or_else(|| t.rsplit_once(" to "))
        .map(|(_, after)| after)?;
    let phase = after
        .split_whitespace()
        .next()?
        .trim_matches(|c: char| !c.is_alphanumeric());
    PHASES
        .iter()
        .find(|(word, kind)| *kind != EventKind::Other && phase.eq_ignore_ascii_case(word))
        .map(|&(_, kind)| kind)
}

/// The phases status pages and incident tools name, and what entering each one means.
const PHASES: [(&str, EventKind); 12] = [
    ("investigating", EventKind::Diagnosis),
    ("identified", EventKind::Diagnosis),
    ("triage", EventKind::Diagnosis),
    ("triaging", EventKind::Diagnosis),
    ("fixing", EventKind::Diagnosis),
    ("monitoring", EventKind::Mitigation),
    ("mitigated", EventKind::Mitigation),
    ("update", EventKind::Other),
    ("resolved", EventKind::Resolution),
    ("completed", EventKind::Resolution),
    ("closed", EventKind::Resolution),
    ("postmortem", EventKind::Other),
];

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
    if has("<start of outage>")
        || has("<start of incident>")
        || has("(outage starts)")
        || has("(outage begins)")
        || has("(start of outage)")
    {
        Some(EventKind::Symptom)
    } else if has("<mitigated>") {
        Some(EventKind::Mitigation)
    } else if has("<end of outage>")
        || has("<end of incident>")
        || has("<resolved>")
        || has("(outage ends)")
        || has("(end of outage)")
    {
        Some(EventKind::Resolution)
    } else {
        None
    }
}

/// Whether an entry only declares the incident over ("declared the incident resolved", "incident
/// closed") rather than saying the service came back.
pub fn declares_end(text: &str) -> bool {
    let lower = lowered(text);
    let t = lower.as_ref();
    ["declared", "declares", "marked", "closed", "closes"]
        .iter()
        .any(|w| t.contains(w))
}

/// Whether an entry says the service came back: resolved, restored, or the symptom stopped.
pub fn restores(text: &str) -> bool {
    let w = Words::new(&lowered(text));
    !SETBACK.any(&w)
        && !NOT_LIVE.any(&w)
        && (RESOLVED.any(&w) || SUBSIDED.any(&w) || MITIGATED.any(&w))
}

/// Whether an entry is about the review of the incident, after it ("Postmortem scheduled",
/// "Retrospective held"): never part of the impact.
pub fn about_the_review(text: &str) -> bool {
    // Asked of an entry or two per document: no automaton is worth building.
    [
        "postmortem",
        "post-mortem",
        "post mortem",
        "retrospective",
        "post-incident review",
        "incident review",
        "lessons learned",
        "lessons-learned",
    ]
    .iter()
    .any(|p| crate::text::contains_ci(text, p))
        // "09h00: retro", "PIR held", "Hot debrief with the team": words of their own, not
        // "retrofit".
        || text
            .split(|c: char| !c.is_alphanumeric())
            .any(|w| ["retro", "pir", "debrief"].iter().any(|r| w.eq_ignore_ascii_case(r)))
}

/// Whether an entry tells customers or users what is known (the status page, a message sent
/// to them), rather than doing anything about the incident.
pub fn tells_customers(text: &str) -> bool {
    TOLD_CUSTOMERS.any(&Words::new(&lowered(text)))
}

/// Whether `text` tells of work begun or under way, not done ("we are now in the process of
/// synchronizing the replica").
pub fn underway(text: &str) -> bool {
    let w = Words::new(&lowered(text));
    UNDERWAY.any(&w) || IN_PROCESS.any(&w)
}

/// Telling customers what is known: the public status page, or a message sent to them
/// ("Customer communication sent", "customers notified by e-mail", "Community is informed
/// about the changes").
static TOLD_CUSTOMERS: Needles = Needles::new(
    20,
    &[
        "status page",
        "statuspage*",
        "customer communication*",
        "communication sent",
        "communications sent",
        "customers notified",
        "customers were notified",
        "notified customers",
        "notified all customers",
        "notified affected customers",
        "customers informed",
        "customers were informed",
        "informed customers",
        "users informed",
        "users were informed",
        "informed users",
        "community informed",
        "community is informed",
        "community was informed",
        "informed the community",
        "emailed customers",
        "sent to customers",
        "sent to users",
        "all clear sent",
        "sent the all clear",
        "sent an all clear",
        "emailed affected customers",
        "email sent to customers",
        "announcement*",
        // Whoever the service is for, told: "partners told the issue is fixed".
        "customers told",
        "told customers",
        "users told",
        "told users",
        "partners told",
        "partners notified",
        "partners informed",
        "told partners",
        "notified partners",
        "informed partners",
        "merchants told",
        "merchants notified",
        "merchants informed",
        "told merchants",
        "notified merchants",
        "informed merchants",
        "clients told",
        "clients notified",
        "clients informed",
        "told clients",
        "notified clients",
        "informed clients",
        "stakeholders told",
        "stakeholders notified",
        "stakeholders informed",
        "told stakeholders",
        "notified stakeholders",
        "informed stakeholders",
    ],
);

/// A check that found nothing wrong: "all fine", "no abnormal activity", "no problems".
static FOUND_NOTHING: Needles = Needles::new(
    21,
    &[
        "all fine",
        "all is fine",
        "everything fine",
        "everything is fine",
        "everything looks fine",
        "no abnormal",
        "nothing abnormal",
        "no problems",
        "no issues found",
        "no issues were found",
        "nothing wrong",
        "nothing out of the ordinary",
        // "Reports that the webhooks appear to be working fine on their end".
        "working fine",
        "fine on their end",
        "fine on our end",
    ],
);

/// Work going on at the time written, which a later entry may finish (apart from [`UNDERWAY`],
/// which also keeps an entry from being a mitigation: "restored the backups; now in the process
/// of synchronizing" did mitigate).
static IN_PROCESS: Needles = Needles::new(19, &["in the process of"]);
/// Seen by someone already working on the problem: "noticed an error in the engine's status
/// while looking at the database" finds a clue, it does not detect the incident.
static WHILE_INVESTIGATING: Needles = Needles::new(
    22,
    &[
        "when looking at",
        "while looking at",
        "when investigating",
        "while investigating",
        "while debugging",
        "during the investigation",
    ],
);

/// A fix that holds somewhere other than production ("the issue is fixed in staging, rolling it
/// out next") has not ended the incident.
static NOT_LIVE: Needles = Needles::new(
    23,
    &[
        "in staging",
        "on staging",
        "to staging",
        "in the staging",
        "in test",
        "in testing",
        "in the test",
        "in dev",
        "in development",
        "in qa",
        "in preprod",
        "in pre-prod",
        "in pre-production",
        "in sandbox",
    ],
);
/// Classifies one timeline entry.
pub fn event_kind(text: &str) -> EventKind {
    let lower = lowered(text);
    let t = lower.as_ref();
    if t.contains('<')
        && let Some(k) = marker_in(t)
    {
        return k;
    }
    if let Some(k) = status_marker(t).or_else(|| status_change(t)) {
        return k;
    }
    // "OUTAGE ENDS -- all traffic is served", "**Outage mitigated.**": the end's bounds as the
    // entry marks them. (A start's words tell their kind without the mark.)
    if let Some(k) = capital_marker(text)
        .or_else(|| bold_marker(text))
        .filter(|k| matches!(k, EventKind::Mitigation | EventKind::Resolution))
    {
        return k;
    }
    let w = Words::new(t);
    // Status-page updates name their phase first.
    let phase = t.trim_start_matches(['*', '_', '[', ' ']);
    for &(word, kind) in &PHASES {
        if !phase
            .as_bytes()
            .get(..word.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(word.as_bytes()))
        {
            continue;
        }
        let after = &phase[word.len()..];
        // Marked off by emphasis, punctuation or a line of its own.
        let marked = after.trim_end_matches('.').is_empty()
            || after.starts_with(['*', ':', ']', '\n'])
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
    // Telling customers the incident is over ("Status page updated to resolved", "All-clear
    // sent to customers") comes after the service is back: it is communication.
    if TOLD_CUSTOMERS.any(&w) && (RESOLVED.any(&w) || SUBSIDED.any(&w) || mitigates(&w)) {
        return EventKind::Other;
    }
    if SUBSIDED.any(&w) && !SETBACK.any(&w) {
        return EventKind::Mitigation;
    }
    if STOPPED.any(&w) {
        return EventKind::Symptom;
    }
    // Attempts that did not work, and work just begun, are not outcomes.
    let setback = SETBACK.any(&w);
    let underway = UNDERWAY.any(&w);
    if !setback && RESOLVED.any(&w) && !NOT_LIVE.any(&w) {
        return EventKind::Resolution;
    }
    if !setback && mitigates(&w) && (!underway || done_beside_begun(t)) {
        return EventKind::Mitigation;
    }
    if !setback && named_normal(t) {
        return EventKind::Mitigation;
    }
    if ESCALATED.any(&w) {
        return EventKind::Escalation;
    }
    // A post on the status page or a message to customers tells them, after the fact
    // ("Status page updated", "Customers notified"): its "page" pages no one and it detects
    // nothing.
    if DETECTED.any(&w) {
        return if TOLD_CUSTOMERS.any(&w) {
            EventKind::Other
        } else if FOUND_NOTHING.any(&w) || WHILE_INVESTIGATING.any(&w) {
            // "Functional tests indicate all fine, reported over Slack", "no abnormal login
            // activity was detected": a check that found nothing detects nothing.
            EventKind::Diagnosis
        } else {
            EventKind::Detection
        };
    }
    if RESPONDED.any(&w) && !NOT_ACKNOWLEDGING.any(&w) {
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
    labelled_phase(text).unwrap_or(EventKind::Other)
}

/// Whether a clause of its own (apart by a semicolon) says the harm was dealt with, when
/// another says work began: "Rolled back to v2.2; full purge started." Sentences are not
/// clauses here: "The node is drained. The pod is stuck. (outage starts)" tells of an outage.
/// Run only when both kinds of words are in the entry.
fn done_beside_begun(text: &str) -> bool {
    text.split(';').any(|clause| {
        let w = Words::new(clause);
        mitigates(&w) && !UNDERWAY.any(&w)
    })
}

/// A measure named normal, tersely, as a timeline notes a recovery: "queue depth normal",
/// "CPU back to normal." Not an observation made while looking ("CPU and memory were normal",
/// "dashboards looked normal").
fn named_normal(t: &str) -> bool {
    let t = t.trim_end_matches(|c: char| !c.is_alphanumeric());
    let Some(before) = t.strip_suffix(" normal") else {
        return false;
    };
    let last = before.rsplit(' ').next().unwrap_or(before);
    !matches!(
        last,
        "was"
            | "were"
            | "is"
            | "are"
            | "be"
            | "looked"
            | "looks"
            | "appeared"
            | "appears"
            | "seemed"
            | "seems"
            | "remained"
            | "stayed"
            | "not"
    ) && before.split(' ').count() <= 6
}

/// Whether the words tell of the harm dealt with: a mitigation's words, or the responders
/// ending what did the harm ("migration killed", "flag turned off").
fn mitigates(w: &Words) -> bool {
    MITIGATED.any(w) || (HARM_ENDED.any(w) && !NOT_BY_RESPONDERS.any(w))
}

/// An entry whose words say nothing of its kind but whose label names the moment: "Detection
/// time", "Detection: a customer e-mail", "Escalation: Priya joined".
fn labelled_phase(text: &str) -> Option<EventKind> {
    use super::vocab::{MetaLabel, meta_label};
    let label = text.split_once(':').map_or(text, |(label, _)| label);
    // A label is a few words; longer text is not looked at further.
    if label.split_whitespace().nth(3).is_some() {
        return None;
    }
    let lower = super::lines::strip_emphasis(label.trim()).to_ascii_lowercase();
    match lower.as_str() {
        "escalation" | "escalation time" => return Some(EventKind::Escalation),
        "resolution" | "resolution time" => return Some(EventKind::Resolution),
        _ => {}
    }
    Some(match meta_label(&lower)? {
        MetaLabel::Detected => EventKind::Detection,
        MetaLabel::Acknowledged => EventKind::Acknowledgement,
        MetaLabel::Escalated => EventKind::Escalation,
        MetaLabel::Mitigated => EventKind::Mitigation,
        MetaLabel::End | MetaLabel::Closed => EventKind::Resolution,
        _ => return None,
    })
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
    use proptest::prelude::*;

    #[test]
    fn needles_hold_only_what_words_are_made_of() {
        // Any other character is dropped when the lists are built ("pages @" matched "pages"
        // alone), so a needle holding one would match more than it says.
        for list in ALL {
            for needle in list.raw {
                assert!(
                    needle
                        .trim_end_matches('*')
                        .chars()
                        .all(|c| c.is_alphanumeric() || matches!(c, ' ' | '\'' | '-')),
                    "{needle:?}"
                );
            }
        }
    }

    /// The lists read the plain way: every needle compared with the words at every position.
    fn hits_by_reading_every_needle(text: &str) -> u32 {
        let ws: Vec<&str> = words(text).collect();
        let same = |w: &str, n: &str| w.eq_ignore_ascii_case(n);
        let starts = |w: &str, n: &str| {
            w.as_bytes()
                .get(..n.len())
                .is_some_and(|h| h.eq_ignore_ascii_case(n.as_bytes()))
        };
        let mut hits = 0;
        for list in ALL {
            for needle in list.raw {
                let (n, prefix) = match needle.strip_suffix('*') {
                    Some(n) => (n, true),
                    None => (*needle, false),
                };
                let parts: Vec<&str> = n
                    .split(|ch: char| !ch.is_alphanumeric())
                    .filter(|p| !p.is_empty())
                    .collect();
                let found = (0..ws.len()).any(|i| {
                    ws.len() - i >= parts.len()
                        && parts.iter().enumerate().all(|(k, part)| {
                            if prefix && k == parts.len() - 1 {
                                starts(ws[i + k], part)
                            } else {
                                same(ws[i + k], part)
                            }
                        })
                });
                if found {
                    hits |= 1 << list.bit;
                }
            }
        }
        hits
    }

    fn list_words() -> Vec<String> {
        let mut out: Vec<String> = ALL
            .iter()
            .flat_map(|l| l.raw.iter())
            .flat_map(|n| n.split(|c: char| !c.is_alphanumeric()))
            .filter(|w| !w.is_empty())
            .map(str::to_string)
            .collect();
        out.extend(
            [
                "the",
                "restoredness",
                "acknowledgement",
                "a",
                "ÉCHEC",
                "straße",
                "x1",
            ]
            .map(String::from),
        );
        out.sort();
        out.dedup();
        out
    }

    proptest! {
        #[test]
        fn one_lookup_per_word_finds_what_reading_every_needle_finds(
            picks in prop::collection::vec((any::<prop::sample::Index>(), 0..4u8, 0..5u8), 0..12),
        ) {
            let vocab = list_words();
            let mut text = String::new();
            for (pick, shape, sep) in picks {
                let w = pick.get(&vocab);
                let w = match shape {
                    0 => w.clone(),
                    1 => w.to_uppercase(),
                    2 => format!("{w}ing"),
                    _ => w.chars().take(w.len().saturating_sub(1).max(1)).collect(),
                };
                text.push_str(&w);
                text.push_str([" ", "-", "'", ", ", "  "][usize::from(sep)]);
            }
            let t = lowered(&text);
            prop_assert_eq!(Words::new(&t).hits, hits_by_reading_every_needle(&t), "{:?}", text);
        }

        #[test]
        fn words_are_the_runs_of_alphanumeric_characters(text in "[a-zA-Z0-9 .,'é½ß中\u{a0}\u{2014}x-]{0,40}") {
            let expected: Vec<&str> = text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
            prop_assert_eq!(words(&text).collect::<Vec<_>>(), expected);
        }

        #[test]
        fn keys_read_in_place_are_the_keys_of_the_words(
            text in "[a-zA-Z0-9 é@\\[]{0,40}",
            start in 0..40usize,
            len in 0..24usize,
        ) {
            let b = text.as_bytes();
            let start = start.min(b.len());
            let len = len.min(b.len() - start);
            prop_assert_eq!(key_at(b, start, len), key(&b[start..start + len]));
        }
    }

    #[test]
    fn an_incident_tools_status_change_enters_its_phase() {
        for (text, kind) in [
            (
                "Status changed from Investigating to Fixing",
                EventKind::Diagnosis,
            ),
            (
                "Status changed from Fixing to Monitoring",
                EventKind::Mitigation,
            ),
            ("Status: Monitoring → Resolved", EventKind::Resolution),
            // Without a status, "to" is any word.
            ("Alert sent to monitoring", EventKind::Detection),
        ] {
            assert_eq!(event_kind(text), kind, "{text}");
        }
    }

    #[test]
    fn a_fix_outside_production_ends_nothing() {
        for text in [
            "Issue resolved in staging, rolling the fix to production",
            "The problem is solved on staging; deploying to prod next",
        ] {
            assert_ne!(event_kind(text), EventKind::Resolution, "{text}");
            assert!(!restores(text), "{text}");
        }
        assert_eq!(event_kind("Issue resolved"), EventKind::Resolution);
    }

    #[test]
    fn the_service_back_in_a_timeline_s_words() {
        for text in [
            "Traffic normal",
            "error rate at baseline",
            "Error rate returned to baseline",
            "Primary back in service",
            "queue depth normal",
            "new certificate issued and deployed",
        ] {
            assert_eq!(event_kind(text), EventKind::Mitigation, "{text}");
        }
        // An observation made while looking is no recovery.
        assert_ne!(
            event_kind("CPU and memory were normal"),
            EventKind::Mitigation
        );
    }

    #[test]
    fn monitors_detect_and_markers_in_capitals_bound_the_outage() {
        assert_eq!(
            event_kind("Datadog monitor \"API 5xx rate\" triggered"),
            EventKind::Detection
        );
        for (text, kind) in [
            (
                "**OUTAGE BEGINS** -- backends melt down",
                Some(EventKind::Symptom),
            ),
            (
                "OUTAGE MITIGATED, searches succeed",
                Some(EventKind::Mitigation),
            ),
            ("OUTAGES BEGINSWITH", None),
            (
                "Prow is confirmed to be functional. **Outage ends.**",
                Some(EventKind::Resolution),
            ),
            ("the outage ends when **the cache** fills", None),
            // A key event that is only the start's label marks it.
            ("Outage begins", Some(EventKind::Symptom)),
            ("Fault occurs", Some(EventKind::Symptom)),
            ("Fault occurs on node 3", None),
            ("Incident declared", None),
        ] {
            assert_eq!(marker(text), kind, "{text}");
        }
        // An entry marked as the end is of that kind, whatever else its words say.
        assert_eq!(
            event_kind("OUTAGE ENDS -- all traffic is served"),
            EventKind::Resolution
        );
        assert_eq!(
            event_kind("OUTAGE MITIGATED by sending traffic elsewhere"),
            EventKind::Mitigation
        );
    }

    #[test]
    fn outcomes_are_told_from_attempts() {
        // A recovery's words denied, and nodes joining a cluster, are neither outcome nor
        // response.
        assert_ne!(
            event_kind("Users told us that logs weren't working as expected."),
            EventKind::Resolution
        );
        assert_ne!(
            event_kind("Rollover attempt fails: the new nodes never joined the cluster."),
            EventKind::Acknowledgement
        );
        assert_eq!(
            event_kind("Priya joined the incident call"),
            EventKind::Acknowledgement
        );
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
        // A label that names the moment, where the words say nothing of it.
        assert_eq!(event_kind("Detection Time"), EventKind::Detection);
        assert_eq!(
            event_kind("**Escalation:** the platform team"),
            EventKind::Escalation
        );
        assert_eq!(event_kind("Notes: the platform team"), EventKind::Other);
        assert_eq!(event_kind("Migration killed"), EventKind::Mitigation);
        // Undoing or stopping what did the harm.
        for text in [
            "Autoscaling re-enabled; workers scale to 40",
            "Database switched back to read-write",
            "Migration cancelled; lock released",
            "Reindex job aborted",
        ] {
            assert_eq!(event_kind(text), EventKind::Mitigation, "{text}");
        }
        assert_ne!(
            event_kind("Nightly backup cancelled by the scheduler"),
            EventKind::Mitigation
        );
        assert_eq!(event_kind("Customer impact began."), EventKind::Symptom);
        assert_eq!(event_kind("Lena picks it up"), EventKind::Acknowledgement);
        assert_eq!(event_kind("requests time out"), EventKind::Symptom);
        assert_eq!(event_kind("502s begin"), EventKind::Symptom);
        // A resource run out or falling behind is the problem showing; resizing it is not.
        for text in [
            "Consumer lag starts growing",
            "Replication lag above 30 s",
            "CPU pegged at 100% on db-1",
            "Connection pool exhausted on api-2",
            "Pods OOMKilled in a loop",
            "Cache cluster loses quorum after a node is replaced",
        ] {
            assert_eq!(event_kind(text), EventKind::Symptom, "{text}");
        }
        assert_eq!(
            event_kind("Redis resized to avoid pool exhaustion"),
            EventKind::Mitigation
        );
        assert_eq!(
            event_kind("Second look concludes it was resource exhaustion"),
            EventKind::Diagnosis
        );
        for (text, kind) in [
            (
                "IT on-call picked up the ticket",
                EventKind::Acknowledgement,
            ),
            (
                "Network on-call (Jonas) takes the incident",
                EventKind::Acknowledgement,
            ),
            ("Helpdesk receives first calls", EventKind::Detection),
            (
                "billing-run stalled at invoice 18,204 (lock wait)",
                EventKind::Symptom,
            ),
            ("Builds stuck in the queue", EventKind::Symptom),
            (
                "The incident was declared at 09:20 CET and Lea took command",
                EventKind::Escalation,
            ),
            (
                "we switched to the secondary provider",
                EventKind::Mitigation,
            ),
            ("Hit ratio back above 90%", EventKind::Mitigation),
        ] {
            assert_eq!(event_kind(text), kind, "{text}");
        }
        // The problem showing itself, however the word is spelt.
        for text in [
            "First occurence of a worker in NotReady state",
            "Second occurrence of the lock-up on node 3",
            "Recurrence of the stalls on the east shard",
        ] {
            assert_eq!(event_kind(text), EventKind::Symptom, "{text}");
        }
        // Telling the public detects nothing; naming a commander escalates.
        for text in [
            "Status page updated with incident details",
            "Degraded performance declared on status page",
            "Customer communication sent",
            "Affected customers notified by e-mail",
            "Community is informed about the changes made to the hub",
        ] {
            assert_eq!(event_kind(text), EventKind::Other, "{text}");
        }
        // What the words tell: the service back, a check that found nothing, being told of
        // the problem.
        for (text, kind) in [
            ("Service operational.", EventKind::Resolution),
            ("All systems verified operational", EventKind::Resolution),
            (
                "We restart the server with the new limit. The problem is now solved.",
                EventKind::Resolution,
            ),
            (
                "The issue is fixed in staging, rolling the fix to production",
                EventKind::Mitigation,
            ),
            (
                "Miraculously the service returned to a normal state",
                EventKind::Mitigation,
            ),
            (
                "We noticed an error about corrupt files when looking at the engine status",
                EventKind::Diagnosis,
            ),
            (
                "We noticed an increase in errors in our error tracker",
                EventKind::Detection,
            ),
            (
                "@ben announces resolution is confirmed complete",
                EventKind::Resolution,
            ),
            (
                "First user reports back that it works",
                EventKind::Resolution,
            ),
            (
                "Functional tests indicate all fine, and this is reported over Slack",
                EventKind::Diagnosis,
            ),
            (
                "Traffic analyzed; no abnormal external request patterns detected",
                EventKind::Diagnosis,
            ),
            (
                "End-users alerted us that logs weren't working as expected",
                EventKind::Detection,
            ),
            (
                "BuildOps informed about delayed jobs piling up",
                EventKind::Detection,
            ),
            (
                "We became aware of it during a call with a partner",
                EventKind::Detection,
            ),
        ] {
            assert_eq!(event_kind(text), kind, "{text}");
        }
        assert_eq!(
            event_kind("Customer notified us of failed payments"),
            EventKind::Detection
        );
        assert_eq!(event_kind("Alert pages the on-call"), EventKind::Detection);
        // Monitoring that ends or goes on sees nothing; monitoring that shows something does.
        for text in [
            "monitoring ends",
            "Events in the monitoring namespace recorded probe failures",
        ] {
            assert_ne!(event_kind(text), EventKind::Detection, "{text}");
        }
        assert_eq!(
            event_kind("Our monitoring system flags slow queries"),
            EventKind::Detection
        );
        assert_eq!(event_kind("5xx back to 0"), EventKind::Mitigation);
        // A word's inflections are listed one by one: no needle holds '*' inside.
        assert_eq!(
            event_kind("Looking into the issue, the rate limit seems hit"),
            EventKind::Diagnosis
        );
        assert_eq!(
            event_kind("Deployment manually downgraded, which solved the issue"),
            EventKind::Mitigation
        );
        // Web pages page no one.
        for text in [
            "Import writes no rows; pages keep yesterday's prices",
            "Cache purge finished; all pages show current prices",
        ] {
            assert_ne!(event_kind(text), EventKind::Detection, "{text}");
        }
        assert_eq!(
            event_kind("Priya N. assigned as Commander"),
            EventKind::Escalation
        );
        // Its words denied, the service is not back.
        for text in [
            "Customers not able to check out",
            "Users can't log in",
            "Latency is up to 4 s",
        ] {
            assert_ne!(event_kind(text), EventKind::Mitigation, "{text}");
        }
        for (text, kind) in [
            (
                "Alias pointed back to the previous index",
                EventKind::Mitigation,
            ),
            (
                "Keys deleted, memory back under limit",
                EventKind::Mitigation,
            ),
            ("New blocks being created again", EventKind::Mitigation),
            (
                "Caches expired and results were complete again",
                EventKind::Mitigation,
            ),
            ("Dashboards green again", EventKind::Mitigation),
            (
                "All terminals updated, contactless working in every store",
                EventKind::Mitigation,
            ),
            ("Payments working for all customers", EventKind::Mitigation),
            ("Partners told the issue is fixed", EventKind::Other),
            (
                "Notified merchants that payouts are restored",
                EventKind::Other,
            ),
            ("Users can log in", EventKind::Mitigation),
            ("Customers able to check out", EventKind::Mitigation),
            ("No more errors in the logs", EventKind::Mitigation),
            ("Origin load normal; 504s gone", EventKind::Mitigation),
            ("502s stop", EventKind::Mitigation),
            (
                "The timeouts disappeared after the reload",
                EventKind::Mitigation,
            ),
            ("Issue no longer reproducible", EventKind::Mitigation),
            ("Site is up", EventKind::Mitigation),
            ("Export rerun succeeds", EventKind::Mitigation),
            ("Provider emails that no file arrived", EventKind::Detection),
            ("Shift lead calls the IT hotline", EventKind::Detection),
            (
                "Retry policy change rolled out to the notification sender",
                EventKind::Trigger,
            ),
            ("Received notification from the bank", EventKind::Detection),
            (
                "First recorded instance of a user seeing the bot unresponsive",
                EventKind::Detection,
            ),
            (
                "The vendor reports that the webhooks are working fine on their end",
                EventKind::Diagnosis,
            ),
            (
                "Result counts confirmed normal in the EU",
                EventKind::Resolution,
            ),
        ] {
            assert_eq!(event_kind(text), kind, "{text}");
        }
        for opened in [
            "Incident opened.",
            "Dana takes incident command.",
            "Incident raised for the issue",
        ] {
            assert_eq!(event_kind(opened), EventKind::Escalation, "{opened}");
        }
        assert_eq!(
            event_kind("Path mismatch found in the v4 config"),
            EventKind::Diagnosis
        );
        assert_eq!(
            event_kind("Flag turned off; error rate dropping"),
            EventKind::Mitigation
        );
        assert_eq!(
            event_kind("Temporarily disabled the new validation"),
            EventKind::Mitigation
        );
        assert_ne!(
            event_kind("Discovered that error logging was turned off"),
            EventKind::Mitigation
        );
        assert_eq!(
            event_kind("Ravi Menon accepted the incident"),
            EventKind::Acknowledgement
        );
        // Work begun in one clause does not undo what another says was done.
        assert_eq!(
            event_kind("purge-worker rolled back to v2.2; full purge started."),
            EventKind::Mitigation
        );
        assert_ne!(
            event_kind("Rollback to v2.2 started; errors continue."),
            EventKind::Mitigation
        );
        assert_eq!(
            event_kind("Fix for the currency rounding deployed"),
            EventKind::Mitigation
        );
        assert_eq!(
            event_kind("Metadata cache flushed on all nodes"),
            EventKind::Mitigation
        );
        // What was closed decides: the incident or its ticket, not a window.
        assert_eq!(event_kind("Issue closed."), EventKind::Resolution);
        assert_eq!(event_kind("Closed"), EventKind::Resolution);
        assert_eq!(
            event_kind("The user writes: I closed out my client and turned the machine on"),
            EventKind::Other
        );
        assert_eq!(
            event_kind("Verified the security incident was a false positive"),
            EventKind::Resolution
        );
        assert_eq!(event_kind("Workers killed by earlyoom"), EventKind::Other);
        // Pods killed for running out of memory: the problem showing.
        assert_eq!(event_kind("Pods OOM killed"), EventKind::Symptom);
        assert_eq!(event_kind("Error rate normal"), EventKind::Mitigation);
        // A change that makes the service recover is the mitigation, not a trigger.
        assert_eq!(
            event_kind("Eviction policy changed; logins recover for most users"),
            EventKind::Mitigation
        );
        assert_eq!(
            event_kind("<MITIGATED> traffic drained"),
            EventKind::Mitigation
        );
        // On-call shorthand.
        assert_eq!(
            event_kind("@omar acks the page"),
            EventKind::Acknowledgement
        );
        assert_eq!(
            event_kind("Rebuilt the search index from the last snapshot"),
            EventKind::Mitigation
        );
        // The outcome wins over the change that brought it.
        assert_eq!(
            event_kind("New credentials deployed, queue draining"),
            EventKind::Mitigation
        );
        assert_eq!(
            event_kind("failover to the replica completes, writes resume"),
            EventKind::Mitigation
        );
        assert_eq!(event_kind("Logins work again"), EventKind::Mitigation);
        assert_eq!(
            event_kind("origin scaled out to 3x; 5xx rate falls to 5%"),
            EventKind::Mitigation
        );
        assert_eq!(
            event_kind("v3.3.9 live again, site renders"),
            EventKind::Mitigation
        );
        assert_eq!(
            event_kind("backlog delivered, notifications on time again"),
            EventKind::Mitigation
        );
        assert_eq!(
            event_kind("sync running again; counts current."),
            EventKind::Mitigation
        );
        assert_eq!(event_kind("Partners connect again"), EventKind::Mitigation);
        assert_eq!(event_kind("Logins succeed again"), EventKind::Mitigation);
        assert_eq!(
            event_kind("The token was checked and permissions were renewed."),
            EventKind::Mitigation
        );
        // A status page's phase on a line of its own.
        assert_eq!(
            event_kind("Monitoring\nA fix has been implemented."),
            EventKind::Mitigation
        );
        assert_ne!(
            event_kind("debugging why the server is not up again"),
            EventKind::Mitigation
        );
        assert_eq!(
            event_kind("Flag turned off; errors drop."),
            EventKind::Mitigation
        );
        assert_eq!(
            event_kind("origin 5xx rate at 40%, pager fires"),
            EventKind::Detection
        );
        // "Resolving" is as often what a step is for ("to begin resolving offers").
        assert_eq!(
            event_kind("Operators begin minting the coins needed for resolving the open trades"),
            EventKind::Other
        );
        assert_eq!(event_kind("Uptime check recovers"), EventKind::Mitigation);
        assert_eq!(event_kind("Lag cleared"), EventKind::Mitigation);
        assert_eq!(event_kind("Latency normal"), EventKind::Mitigation);
        assert_eq!(
            event_kind("Error reports stop; old resolver caches expired"),
            EventKind::Mitigation
        );
        assert_eq!(event_kind("Error rate back to zero"), EventKind::Mitigation);
        assert_eq!(
            event_kind("IAM role trust policy corrected"),
            EventKind::Mitigation
        );
        assert_eq!(
            event_kind("Manual failover to replica"),
            EventKind::Mitigation
        );
        // An attempt is still no outcome.
        assert_eq!(
            event_kind("attempted failover to the replica"),
            EventKind::Diagnosis
        );
        assert_eq!(
            event_kind("Synthetic checks for DNS start failing"),
            EventKind::Detection
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
