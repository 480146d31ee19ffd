//! The public corpus: no panic, coverage figures, exact round trips.

use super::corpus_files::corpus_documents;
use super::support::{assert_round_trip, shared};
use debrief_core::parse;

#[test]
fn every_corpus_document_parses_and_round_trips() {
    let Some(shared) = shared() else { return };
    let corpus = shared.join("corpus");
    let files = corpus_documents(&corpus);
    assert!(
        files.len() >= 300,
        "expected the corpus, found {} files",
        files.len()
    );
    let (mut start, mut end, mut timeline, mut actions) = (0, 0, 0, 0);
    for f in &files {
        let bytes = std::fs::read(f).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        let parsed = parse(&text);
        let p = &parsed.postmortem;
        start += usize::from(p.instants.started.is_some());
        end += usize::from(p.instants.ended.is_some());
        timeline += usize::from(!p.timeline.is_empty());
        actions += usize::from(!p.action_items.is_empty());
        assert_round_trip(&f.display().to_string(), p);
    }
    let n = files.len();
    let pct = |x: usize| 100.0 * x as f64 / n as f64;
    println!(
        "corpus: {n} documents; start time {start} ({:.0}%), end time {end} ({:.0}%), timeline {timeline} ({:.0}%), action items {actions} ({:.0}%)",
        pct(start),
        pct(end),
        pct(timeline),
        pct(actions)
    );
}

#[test]
fn a_stated_detection_sets_aside_background_weeks_before() {
    let Some(shared) = shared() else { return };
    // A "Key events" list states the detection; the timeline below it opens with a beta
    // offered two weeks before the upgrade.
    let path = shared.join(
        "corpus/ministryofjustice__cloud-platform/source/incidents/2026-03-30-ingress-nginx-rollback.html.md.erb",
    );
    let p = parse(&std::fs::read_to_string(path).unwrap()).postmortem;
    let start = p.instants.started.as_ref().and_then(|s| s.rfc3339());
    assert_eq!(start.as_deref(), Some("2026-03-30T07:11:00Z"));
    let inst = debrief_core::metrics::instants(&p);
    assert_eq!(
        inst.started.as_ref().and_then(|f| f.at.rfc3339()),
        start,
        "metrics agree with the record"
    );
    assert_eq!(inst.durations().time_to_detect_minutes, Some(105));
}
