//! The review rules and the response metrics: the seed's required findings and figures, the
//! corpus without panics, and our own small documents for each rule's edges.

use std::collections::BTreeMap;

use super::corpus_files::corpus_documents;
use super::support::shared;
use debrief_core::lint::{self, Config, Finding, Rule, Severity};
use debrief_core::metrics::{self, Source};
use debrief_core::parse;

fn rules(f: &[Finding]) -> Vec<&'static str> {
    f.iter().map(|f| f.rule.id()).collect()
}

fn count(f: &[Finding], rule: Rule) -> usize {
    f.iter().filter(|x| x.rule == rule).count()
}

#[test]
fn seed_findings_and_metrics_are_the_ones_its_issue_states() {
    let Some(shared) = shared() else { return };
    let text = std::fs::read_to_string(shared.join("reference/seed-postmortem.txt")).unwrap();
    let findings = lint::lint(&text, &Config::default());
    let lines = |rule: Rule| -> Vec<usize> {
        findings
            .iter()
            .filter(|f| f.rule == rule)
            .map(|f| f.line)
            .collect()
    };
    let line_text = |n: usize| text.lines().nth(n - 1).unwrap_or("");

    let dm: Vec<&Finding> = findings
        .iter()
        .filter(|f| f.rule == Rule::DurationMismatch)
        .collect();
    assert_eq!(dm.len(), 1, "{findings:#?}");
    assert!(dm[0].message.contains("3 h 14 min") && dm[0].message.contains("3 h 16 min"));
    assert!(line_text(dm[0].line).contains("3 hours and 14 minutes"));

    let ui: Vec<&Finding> = findings
        .iter()
        .filter(|f| f.rule == Rule::UnquantifiedImpact)
        .collect();
    assert!(
        ui.iter().any(|f| f.message.contains("\"a lot\"")),
        "{ui:#?}"
    );

    // One owner and one due-date finding for each of the six measures, on the measure's line.
    let owner = lines(Rule::ActionItemOwner);
    let due = lines(Rule::ActionItemDueDate);
    assert_eq!(owner.len(), 6);
    assert_eq!(owner, due);
    assert!(
        line_text(owner[0]).starts_with("Implement a comprehensive database backup"),
        "{}",
        line_text(owner[0])
    );

    let vague: Vec<&str> = lines(Rule::VagueAction)
        .into_iter()
        .map(line_text)
        .collect();
    assert!(
        vague
            .iter()
            .any(|l| l.starts_with("Investigate the use of"))
    );
    assert!(vague.iter().any(|l| l.starts_with("Review and update")));

    assert_eq!(count(&findings, Rule::DataLossUnstated), 1);
    let missing: Vec<&Finding> = findings
        .iter()
        .filter(|f| f.rule == Rule::MissingSection)
        .collect();
    assert_eq!(missing.len(), 1, "{missing:#?}");
    assert!(missing[0].message.contains("lessons"));
    assert_eq!(count(&findings, Rule::BlameLanguage), 0, "{findings:#?}");
    assert_eq!(count(&findings, Rule::TimelineOrder), 0);

    let p = parse(&text).postmortem;
    let inst = metrics::instants(&p);
    let at = |f: &Option<metrics::Found>| f.as_ref().and_then(|f| f.at.rfc3339());
    assert_eq!(at(&inst.started).as_deref(), Some("2024-04-03T11:00:00Z"));
    assert_eq!(at(&inst.detected).as_deref(), Some("2024-04-03T11:05:00Z"));
    assert_eq!(
        at(&inst.acknowledged).as_deref(),
        Some("2024-04-03T11:10:00Z")
    );
    assert_eq!(at(&inst.escalated).as_deref(), Some("2024-04-03T12:00:00Z"));
    assert_eq!(at(&inst.mitigated).as_deref(), Some("2024-04-03T14:00:00Z"));
    assert_eq!(at(&inst.resolved).as_deref(), Some("2024-04-03T14:16:00Z"));
    let d = inst.durations();
    assert_eq!(d.time_to_detect_minutes, Some(5));
    assert_eq!(d.time_to_acknowledge_minutes, Some(5));
    assert_eq!(d.time_to_escalate_minutes, Some(55));
    assert_eq!(d.time_to_mitigate_minutes, Some(180));
    assert_eq!(d.time_to_resolve_minutes, Some(196));
}

#[test]
fn the_whole_corpus_is_reviewed_without_panic() {
    let Some(shared) = shared() else { return };
    let corpus = shared.join("corpus");
    let files = corpus_documents(&corpus);
    let mut per_rule: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    let mut measured = [0usize; 5];
    for f in &files {
        let text = String::from_utf8_lossy(&std::fs::read(f).unwrap()).into_owned();
        let parsed = parse(&text);
        let findings = lint::check(&text, &parsed, &Config::default());
        let mut seen = std::collections::HashSet::new();
        for x in &findings {
            assert!(x.line >= 1 && x.column >= 1, "{}: {x:?}", f.display());
            assert!(
                x.line <= text.lines().count().max(1),
                "{}: {x:?}",
                f.display()
            );
            let slot = per_rule.entry(x.rule.id()).or_default();
            slot.0 += 1;
            if seen.insert(x.rule) {
                slot.1 += 1;
            }
        }
        let d = metrics::instants(&parsed.postmortem).durations();
        for (i, (_, v)) in d.named().iter().enumerate() {
            measured[i] += usize::from(v.is_some());
        }
    }
    println!("lint over {} corpus files:", files.len());
    for (rule, (n, docs)) in &per_rule {
        println!("  {rule:<24} {n:>5} findings in {docs:>3} files");
    }
    println!(
        "metrics over the corpus: time to detect {}, acknowledge {}, escalate {}, mitigate {}, resolve {} files",
        measured[0], measured[1], measured[2], measured[3], measured[4]
    );
    assert!(
        per_rule.len() >= 10,
        "most rules fire somewhere: {per_rule:?}"
    );
}

const CLEAN: &str = "---
title: Checkout errors
severity: SEV2
---

## Summary

Between 09:10 and 09:57 UTC on 2024-03-02, 12% of checkout requests failed.

## Impact

About 3,100 orders failed over 47 minutes; no data was lost.

## Timeline

- 09:10 UTC Error rate on checkout rises to 12%
- 09:12 UTC Alert fires for checkout errors
- 09:15 UTC On-call acknowledges the page
- 09:40 UTC Rolled back the connection-pool change
- 09:57 UTC Error rate back to normal; incident resolved

## Contributing factors

A configuration change reduced the connection pool from 100 to 10.

## Resolution

The change was rolled back.

## Action items

- Add an alert on pool saturation above 80% (owner: @dana, due: 2024-04-01)
- Require a load test for pool changes (owner: @lee, due: 2024-04-15)

## Lessons learned

The alert fired within two minutes.
";

#[test]
fn a_complete_postmortem_has_no_findings_and_exact_metrics() {
    let findings = lint::lint(CLEAN, &Config::default());
    assert!(findings.is_empty(), "{findings:#?}");
    let p = parse(CLEAN).postmortem;
    let d = metrics::instants(&p).durations();
    assert_eq!(d.time_to_detect_minutes, Some(2));
    assert_eq!(d.time_to_acknowledge_minutes, Some(3));
    assert_eq!(
        d.time_to_escalate_minutes, None,
        "no escalation: null, not a guess"
    );
    assert_eq!(d.time_to_mitigate_minutes, Some(30));
    assert_eq!(d.time_to_resolve_minutes, Some(47));
}

#[test]
fn a_root_cause_left_to_be_filled_in_is_reported_where_it_stands() {
    const FACTORS: &str = "A configuration change reduced the connection pool from 100 to 10.";
    assert!(CLEAN.contains(FACTORS));
    for text in ["TBD", "Not yet determined; we will update this document."] {
        let doc = CLEAN.replace(FACTORS, text);
        let findings = lint::lint(&doc, &Config::default());
        let found: Vec<&Finding> = findings
            .iter()
            .filter(|f| f.rule == Rule::MissingSection)
            .collect();
        assert_eq!(found.len(), 1, "{text}: {found:#?}");
        assert!(found[0].message.contains("states no cause"), "{text}");
        let heading = doc
            .lines()
            .position(|l| l == "## Contributing factors")
            .unwrap()
            + 1;
        assert_eq!(found[0].line, heading, "{text}");
    }
}

#[test]
fn each_rule_fires_on_its_own_defect() {
    let cases: &[(&str, &str, Rule)] = &[
        (
            "## Summary\n\nIt broke.",
            "## Summary\n\nIt broke.\n\n## Timeline\n\n- 10:00 UTC alert fires\n- 09:30 UTC errors start\n",
            Rule::TimelineOrder,
        ),
        (
            "",
            "## Timeline\n\n- 10:00 alert fires\n- 10:05 on-call acknowledges\n",
            Rule::TimelineZone,
        ),
        (
            "",
            "## Timeline\n\n- 10:00 UTC errors start\n- 13:30 UTC service restored\n",
            Rule::TimelineGap,
        ),
        (
            "",
            "## Impact\n\nSome users could not log in.\n",
            Rule::UnquantifiedImpact,
        ),
        (
            "",
            "## Impact\n\nUsers could not log in.\n",
            Rule::UnquantifiedImpact,
        ),
        (
            "",
            "## Resolution\n\nWe restored the database from last night's backup.\n",
            Rule::DataLossUnstated,
        ),
        (
            "",
            "## Root cause\n\nThe outage was caused by human error.\n",
            Rule::BlameLanguage,
        ),
        (
            "",
            "## Action items\n\n- Look into the flaky alert (owner: @sam, due: 2024-01-01)\n",
            Rule::VagueAction,
        ),
        (
            "",
            "## Action items\n\n- Add alerting on replica lag (owner: @a, due: 2024-01-01)\n- Add alerts for replica lag (owner: @b, due: 2024-01-02)\n",
            Rule::ActionItemDuplicate,
        ),
        (
            "",
            "## Timeline\n\n- 10:00 UTC customers report errors on checkout\n- 10:20 UTC service restored\n",
            Rule::DetectedByCustomer,
        ),
        (
            "",
            "---\nstart_time: 2024-03-02T10:00:00Z\nend_time: 2024-03-01T11:00:00Z\n---\n\n## Summary\n\nx\n",
            Rule::TimesInconsistent,
        ),
        (
            "",
            "## Summary\n\nThe outage lasted 45 minutes, from 10:00 UTC until 11:30 UTC on 2024-03-02.\n",
            Rule::DurationMismatch,
        ),
        // A stated "Time to resolve" that the instants contradict.
        (
            "",
            "- **Time to resolve**: 1h 50m\n\n## Timeline\n\n- 2024-03-02 10:00 UTC errors begin\n- 2024-03-02 11:00 UTC service fully restored\n",
            Rule::DurationMismatch,
        ),
        // A resolution two months after the rest of the timeline.
        (
            "",
            "---\nstart_time: 2024-03-02T10:00:00Z\nend_time: 2024-05-02T11:00:00Z\n---\n\n## Timeline\n\n- 2024-03-02 10:05 UTC alert fires\n- 2024-03-02 10:40 UTC service restored\n",
            Rule::TimesInconsistent,
        ),
        // An event of the incident before its stated start.
        (
            "",
            "**Start time:** 2024-03-02 10:00 UTC\n\n## Timeline\n\n- 2024-03-02 09:20 UTC errors begin on the API\n- 2024-03-02 10:05 UTC alert fires\n",
            Rule::TimesInconsistent,
        ),
    ];
    for (_, doc, rule) in cases {
        let f = lint::lint(doc, &Config::default());
        assert!(
            f.iter().any(|x| x.rule == *rule),
            "{} should fire on:\n{doc}\ngot {:?}",
            rule.id(),
            rules(&f)
        );
    }
}

#[test]
fn an_acknowledgement_is_found_without_a_detection_entry() {
    // A customer report escalated to the on-call is how this incident was noticed: no entry
    // is a detection, yet the timeline names the acknowledgement.
    let doc = "# Sign-in outage, 2024-03-03\n\n## Timeline\n\n- 22:15 UTC first failed sign-ins in the auth logs\n- 22:31 UTC support escalates a customer ticket to the on-call\n- 22:36 UTC on-call acknowledges\n- 23:20 UTC cache volume restored from snapshot\n- 23:50 UTC sign-in success rate back to normal\n";
    let p = parse(doc).postmortem;
    let inst = metrics::instants(&p);
    let at = |f: &Option<metrics::Found>| f.as_ref().and_then(|f| f.at.rfc3339());
    assert_eq!(at(&inst.detected), None);
    assert!(
        at(&inst.acknowledged).is_some_and(|a| a.ends_with("22:36:00Z")),
        "{:?}",
        at(&inst.acknowledged)
    );
    // Measured from detection, which is unknown: no time to acknowledge is guessed.
    assert_eq!(inst.durations().time_to_acknowledge_minutes, None);
}

#[test]
fn explicit_markers_win_over_inferred_instants() {
    let doc = "## Timeline\n\n- 09:50 UTC errors begin on the API\n- 10:00 UTC <START OF OUTAGE> all requests fail\n- 10:05 UTC alert fires\n- 10:20 UTC rolled back, service restored\n- 10:30 UTC <MITIGATED> traffic drained to the healthy region\n- 11:00 UTC <END OF OUTAGE>\n";
    let p = parse(doc).postmortem;
    let inst = metrics::instants(&p);
    assert!(matches!(
        inst.started.as_ref().unwrap().source,
        Source::Marker(_)
    ));
    let d = inst.durations();
    // The first symptom (09:50) is before the marker, but the marker is explicit: it wins.
    assert_eq!(d.time_to_mitigate_minutes, Some(30));
    assert_eq!(d.time_to_resolve_minutes, Some(60));
}

#[test]
fn suppressions_and_configuration_change_what_is_reported() {
    let doc = "## Summary\n\nx\n\n## Root cause\n\n<!-- debrief-disable-next-line blame-language -->\nThe outage was caused by human error.\nBob forgot to renew the certificate.\n<!-- debrief-disable-next-line no-such-rule -->\n";
    let f = lint::lint(doc, &Config::default());
    let blame: Vec<usize> = f
        .iter()
        .filter(|x| x.rule == Rule::BlameLanguage)
        .map(|x| x.line)
        .collect();
    assert_eq!(blame, vec![9], "only the unsuppressed line: {f:#?}");
    assert_eq!(count(&f, Rule::InvalidSuppression), 1);

    let file_wide = format!("<!-- debrief-disable-file missing-section -->\n{doc}");
    assert_eq!(
        count(
            &lint::lint(&file_wide, &Config::default()),
            Rule::MissingSection
        ),
        0
    );

    let block = "<!-- debrief-disable blame-language -->\nBob forgot it.\n<!-- debrief-enable blame-language -->\nAlice forgot it.\n";
    let lines: Vec<usize> = lint::lint(block, &Config::default())
        .into_iter()
        .filter(|x| x.rule == Rule::BlameLanguage)
        .map(|x| x.line)
        .collect();
    assert_eq!(lines, vec![4]);

    let cfg = Config::from_toml(
        "[lint]\nrequired-sections = [\"summary\"]\n[lint.severity]\nblame-language = \"error\"\n",
    )
    .unwrap();
    let f = lint::lint(doc, &cfg);
    assert_eq!(count(&f, Rule::MissingSection), 0);
    assert!(
        f.iter()
            .filter(|x| x.rule == Rule::BlameLanguage)
            .all(|x| x.severity == Severity::Error)
    );
    let sev =
        Config::from_toml("[lint.required-sections-by-severity]\nSEV3 = [\"summary\"]\n").unwrap();
    let minor = format!("---\nseverity: sev-3\n---\n{doc}");
    assert_eq!(count(&lint::lint(&minor, &sev), Rule::MissingSection), 0);
    assert!(count(&lint::lint(doc, &sev), Rule::MissingSection) > 0);
}

#[test]
fn summaries_group_and_never_guess() {
    let a = parse(CLEAN).postmortem;
    let mut b = a.clone();
    b.services = vec!["search".into()];
    b.timeline.retain(|e| !e.text.contains("Alert"));
    let groups = metrics::summarize([("a.md", &a), ("b.md", &b)], metrics::GroupBy::Service);
    let names: Vec<&str> = groups.iter().map(|g| g.group.as_str()).collect();
    assert_eq!(names, ["(none)", "search"]);
    let detect = |g: &metrics::GroupSummary| g.durations[0].1.clone();
    assert_eq!(detect(&groups[0]).stats.n, 1);
    assert_eq!(detect(&groups[0]).max_from.as_deref(), Some("a.md"));
    assert_eq!(
        detect(&groups[1]).stats.n,
        0,
        "no detection entry: no value"
    );
    let all = metrics::summarize([("a.md", &a), ("b.md", &b)], metrics::GroupBy::All);
    assert_eq!(all[0].postmortems, 2);
    assert!(all[0].durations[4].1.stats.too_few());
}

#[test]
fn durations_that_cannot_be_trusted_are_left_out_with_a_note() {
    let doc = |timeline: &str| {
        parse(&format!(
            "# Queue stalled\n\n## Timeline (UTC)\n\n{timeline}\n"
        ))
        .postmortem
    };
    // The first line is the detection: no time to detect, and the note says why.
    let p = doc(
        "- 2024-05-02 10:00 Alert fires for queue depth\n- 2024-05-02 10:20 Engineer acknowledges the page\n- 2024-05-02 11:00 Queue drained, resolved",
    );
    let (d, notes) = metrics::instants(&p).checked();
    assert_eq!(d.time_to_detect_minutes, None);
    assert_eq!(d.time_to_resolve_minutes, Some(60));
    assert!(
        notes
            .iter()
            .any(|n| n.contains("first line is the detection")),
        "{notes:?}"
    );
    // A stated start before it: the same line now measures detection.
    let stated = parse("---\nstarted: 2024-05-02 09:45 UTC\n---\n# Queue stalled\n\n## Timeline (UTC)\n\n- 2024-05-02 10:00 Alert fires for queue depth\n- 2024-05-02 11:00 Queue drained, resolved\n").postmortem;
    assert_eq!(
        metrics::instants(&stated)
            .durations()
            .time_to_detect_minutes,
        Some(15)
    );
    // A year typo in a timeline line sorts it out of the incident: it is no escalation. (A year
    // one off is read as the incident's by the importer; a decade off is not.)
    let p = doc(
        "- 2024-05-02 10:00 Errors rise\n- 2024-05-02 10:05 Alert fires\n- 2014-05-02 10:30 Escalated to the database team\n- 2024-05-02 11:00 Resolved",
    );
    let d = metrics::instants(&p).durations();
    assert_eq!(d.time_to_escalate_minutes, None);
    assert_eq!(d.time_to_detect_minutes, Some(5));
    // One in a stated instant puts the escalation before the detection: negative, left out.
    let p = parse("---\nescalated: 2023-05-02 10:30 UTC\n---\n# Queue stalled\n\n## Timeline (UTC)\n\n- 2024-05-02 10:00 Errors rise\n- 2024-05-02 10:05 Alert fires\n- 2024-05-02 11:00 Resolved\n").postmortem;
    let (d, notes) = metrics::instants(&p).checked();
    assert_eq!(d.time_to_escalate_minutes, None);
    assert!(
        notes
            .iter()
            .any(|n| n.contains("time to escalate") && n.contains("out of order")),
        "{notes:?}"
    );
    // A stated midnight is a date written as a date-time: nothing is measured from it.
    let p = parse("---\nstart_time: 2016-09-22T00:00:00Z\nend_time: 2017-02-18T01:19:00Z\n---\n# Parser bug\n\nA memory leak.\n").postmortem;
    assert_eq!(
        metrics::instants(&p).durations().time_to_resolve_minutes,
        None
    );
}

#[test]
fn corpus_metrics_are_never_negative_and_never_longer_than_their_incident() {
    let Some(shared) = shared() else { return };
    let mut zero_detect = Vec::new();
    let mut longest = (0, String::new());
    let mut longest_stated = 0;
    for path in corpus_documents(&shared.join("corpus")) {
        let text = String::from_utf8_lossy(&std::fs::read(&path).unwrap()).into_owned();
        let p = debrief_core::parse_named(&text, &path.to_string_lossy()).postmortem;
        longest_stated = longest_stated.max(p.stated_duration_minutes.unwrap_or(0) as i64);
        let inst = metrics::instants(&p);
        let d = inst.durations();
        for (name, v) in d.named() {
            let Some(v) = v else { continue };
            assert!(v >= 0, "{}: {name} is {v}", path.display());
            if let Some(whole) = d.time_to_resolve_minutes {
                assert!(
                    v <= whole,
                    "{}: {name} {v} > the incident's {whole}",
                    path.display()
                );
            }
            if v > longest.0 {
                longest = (v, format!("{name} in {}", path.display()));
            }
        }
        if d.time_to_detect_minutes == Some(0) {
            // Only a start the document states (or marks) can be the detection's minute.
            let source = inst.started.as_ref().unwrap().source;
            assert!(
                matches!(source, Source::Stated | Source::Marker(_)),
                "{}: time to detect 0 from {source:?}",
                path.display()
            );
            zero_detect.push(path);
        }
    }
    println!(
        "corpus metrics: longest value {} min ({}), longest stated duration {longest_stated} min; time to detect 0 in {} documents, each with a stated start",
        longest.0,
        longest.1,
        zero_detect.len()
    );
}

#[test]
fn bounds_written_in_capitals_in_the_timeline_are_the_impacts() {
    // The first entry reads as a detection ("discovered"), yet the marker says where the
    // outage began.
    let text = "# Search overload\n\nSearch was down for 66 minutes.\n\n## Timeline\n\n2015-10-21 (all times UTC)\n\n* 14:51 News reports that a new sonnet has been discovered\n* 14:54 **OUTAGE BEGINS** -- Search backends start melting down under load\n* 14:55 On-call receives a pager storm\n* 15:00 Identified a probable cause\n* 16:00 **OUTAGE MITIGATED**, searches now succeeding\n* 16:30 News of the sonnet dies down\n";
    let p = parse(text).postmortem;
    let inst = metrics::instants(&p);
    let at = |f: &Option<metrics::Found>| f.as_ref().and_then(|f| f.at.rfc3339());
    assert_eq!(at(&inst.started).as_deref(), Some("2015-10-21T14:54:00Z"));
    assert_eq!(at(&inst.detected).as_deref(), Some("2015-10-21T14:55:00Z"));
    assert_eq!(at(&inst.resolved).as_deref(), Some("2015-10-21T16:00:00Z"));
    assert_eq!(inst.durations().time_to_resolve_minutes, Some(66));
    // The record says the same.
    assert_eq!(
        p.instants
            .started
            .as_ref()
            .and_then(|s| s.rfc3339())
            .as_deref(),
        Some("2015-10-21T14:54:00Z")
    );
}

#[test]
fn a_duration_from_an_entry_listed_a_year_away_is_left_out_with_a_note() {
    let text = "# Ingress rules\n\n## Timeline\n\n- 2021-06-09 13:15 First detected\n- 2021-06-09 13:46 Repaired\n- 2020-06-09 13:54 Incident declared\n- 2021-06-09 13:58 Resolved\n";
    let p = parse(text).postmortem;
    let inst = metrics::instants(&p);
    let (d, notes) = inst.checked();
    // The mistyped entry is the one far from the rest; durations without it stand.
    assert_eq!(d.time_to_resolve_minutes, Some(43));
    assert_eq!(d.time_to_mitigate_minutes, Some(31));
    assert!(
        !notes.iter().any(|n| n.contains("line 6")),
        "the right entry beside it is kept: {notes:?}"
    );
    // An entry minutes out of order (a "Key events" list by kind) is not a mistake.
    let text = "# ModSec errors\n\n- **Key events**\n  - First detected 2021-11-05 9:29\n  - Repaired 2021-11-05 10:46\n  - Incident declared 2021-11-05 9:29\n  - Resolved 2021-11-05 10:46\n";
    let d = metrics::instants(&parse(text).postmortem).durations();
    assert_eq!(d.time_to_resolve_minutes, Some(77));
    // A year off in the entry that measures a duration leaves it out, and says why.
    let text = "# Secrets rotation\n\n## Timeline\n\n- 2023-01-05 09:00 First detected\n- 2033-01-05 09:30 Incident declared, escalated to security\n- 2023-01-05 10:00 Keys rotated, service restored\n- 2023-01-05 10:30 Resolved\n";
    let (d, notes) = metrics::instants(&parse(text).postmortem).checked();
    assert_eq!(d.time_to_escalate_minutes, None);
    assert!(
        notes.iter().any(|n| n.starts_with("time to escalate")
            && n.contains("line 6")
            && n.contains("out of order")),
        "{notes:?}"
    );
    assert_eq!(d.time_to_resolve_minutes, Some(90));
}
