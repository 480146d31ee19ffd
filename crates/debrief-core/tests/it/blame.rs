//! `blame-language` against our own labelled sentences: precision and recall, printed.

use std::path::Path;

use debrief_core::lint::blame::{People, scan};

fn sentences(name: &str) -> Vec<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/blame")
        .join(name);
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(String::from)
        .collect()
}

#[test]
fn blame_language_precision_and_recall_on_labelled_sentences() {
    let blaming = sentences("blaming.txt");
    let blameless = sentences("blameless.txt");
    assert!(
        blaming.len() >= 40 && blameless.len() >= 40,
        "at least 40 of each"
    );
    let people = People::default();
    let flagged = |s: &String| !scan(s, &people).is_empty();
    let tp = blaming.iter().filter(|s| flagged(s)).count();
    let fp = blameless.iter().filter(|s| flagged(s)).count();
    let precision = tp as f64 / (tp + fp).max(1) as f64;
    let recall = tp as f64 / blaming.len() as f64;
    println!(
        "blame-language: {} blaming, {} blameless sentences; true positives {tp}, false positives {fp}; precision {precision:.3}, recall {recall:.3}",
        blaming.len(),
        blameless.len()
    );
    for s in blaming.iter().filter(|s| !flagged(s)) {
        println!("  missed: {s}");
    }
    for s in blameless.iter().filter(|s| flagged(s)) {
        println!("  false alarm: {s} -> {:?}", scan(s, &people));
    }
    assert!(precision >= 0.9, "precision {precision:.3} < 0.9");
    assert!(recall >= 0.8, "recall {recall:.3} < 0.8");
}

#[test]
fn every_hit_points_at_the_blaming_words() {
    let s = "Timeline: 10:02 Alice joined. The outage was caused by Bob.";
    let hits = scan(s, &People::default());
    assert_eq!(hits.len(), 1, "{hits:?}");
    assert_eq!(&s[hits[0].start..hits[0].end], "caused by Bob");
    assert!(!hits[0].suggestion.is_empty());
}
