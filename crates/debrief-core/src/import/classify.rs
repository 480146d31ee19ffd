//! What a timeline entry or an action item is about, from its words.
//!
//! Word lists, not a model: predictable, explainable in a finding, and fast. Explicit markers
//! (`<START OF OUTAGE>`, `<MITIGATED>`, `<END OF OUTAGE>`) always win.

use std::sync::OnceLock;

use crate::model::{ActionKind, EventKind};

// The word lists, one per question asked of an entry or an item.
static ACKNOWLEDGED: Needles = Needles::new(&["acknowledg*", "acked", "ack'd"]);
static NOT_ACKNOWLEDGING: Needles = Needles::new(&["not acknowledg*", "stops acknowledg*"]);
static STOPPED: Needles = Needles::new(&[
    "stops",
    "stopped",
    "stop working",
    "went down",
    "goes down",
    "not acknowledging",
]);
static SETBACK: Needles = Needles::new(&[
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
]);
static UNDERWAY: Needles = Needles::new(&[
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
]);
static RESOLVED: Needles = Needles::new(&[
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
]);
static MITIGATED: Needles = Needles::new(&[
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
]);
static ESCALATED: Needles = Needles::new(&[
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
]);
static DETECTED: Needles = Needles::new(&[
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
]);
static RESPONDED: Needles = Needles::new(&[
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
]);
static DIAGNOSED: Needles = Needles::new(&[
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
]);
static CHANGED: Needles = Needles::new(&[
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
]);
static SYMPTOM: Needles = Needles::new(&[
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
]);
static DETECT_ACTION: Needles = Needles::new(&[
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
]);
static PROCESS_ACTION: Needles = Needles::new(&[
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
]);
static MITIGATE_ACTION: Needles = Needles::new(&[
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
]);

/// Lowercased text and its words, computed once per entry: classification checks hundreds of
/// needles, and comparing words is far cheaper than searching the text for each.
struct Words<'a> {
    words: Vec<&'a str>,
}

impl<'a> Words<'a> {
    fn new(text: &'a str) -> Words<'a> {
        Words {
            words: text
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .collect(),
        }
    }
}

/// A word list, compiled on first use into exact words (binary search), word prefixes
/// (`alert*`) and phrases (`did not`, `ack'd` as `ack` `d`; the last word of a `phrase*` is a
/// prefix).
struct Needles {
    raw: &'static [&'static str],
    compiled: OnceLock<Compiled>,
}

#[derive(Default)]
struct Compiled {
    exact: Vec<&'static str>,
    prefixes: Vec<&'static str>,
    phrases: Vec<(Vec<&'static str>, bool)>,
}

impl Needles {
    const fn new(raw: &'static [&'static str]) -> Needles {
        Needles {
            raw,
            compiled: OnceLock::new(),
        }
    }

    fn compiled(&self) -> &Compiled {
        self.compiled.get_or_init(|| {
            let mut c = Compiled::default();
            for needle in self.raw {
                let (n, prefix) = match needle.strip_suffix('*') {
                    Some(n) => (n, true),
                    None => (*needle, false),
                };
                let parts: Vec<&'static str> = n
                    .split(|ch: char| !ch.is_alphanumeric())
                    .filter(|p| !p.is_empty())
                    .collect();
                match (parts.len(), prefix) {
                    (0, _) => {}
                    (1, false) => c.exact.push(parts[0]),
                    (1, true) => c.prefixes.push(parts[0]),
                    _ => c.phrases.push((parts, prefix)),
                }
            }
            c.exact.sort_unstable();
            c
        })
    }

    /// Whether any needle occurs in `w` as whole words.
    fn any(&self, w: &Words<'_>) -> bool {
        let c = self.compiled();
        w.words.iter().any(|word| {
            c.exact.binary_search(word).is_ok() || c.prefixes.iter().any(|p| word.starts_with(p))
        }) || c.phrases.iter().any(|(parts, prefix)| {
            w.words.windows(parts.len()).any(|win| {
                win.iter().zip(parts).enumerate().all(|(k, (word, part))| {
                    if *prefix && k == parts.len() - 1 {
                        word.starts_with(part)
                    } else {
                        word == part
                    }
                })
            })
        })
    }
}

/// Classifies one timeline entry.
pub fn event_kind(text: &str) -> EventKind {
    let lower = text.to_lowercase();
    let t = lower.as_str();
    let w = Words::new(t);
    if t.contains("<start of outage>") || t.contains("<start of incident>") {
        return EventKind::Symptom;
    }
    if t.contains("<mitigated>") {
        return EventKind::Mitigation;
    }
    if t.contains("<end of outage>") || t.contains("<end of incident>") || t.contains("<resolved>")
    {
        return EventKind::Resolution;
    }
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
        let after = phase.get(word.len()..).unwrap_or("");
        let marked = after.starts_with(['*', ':', ']'])
            || after.starts_with(" -")
            || after.starts_with(" –")
            || after.starts_with(" —");
        if phase.starts_with(word) && marked {
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
    let lower = text.to_lowercase();
    let w = Words::new(&lower);
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
