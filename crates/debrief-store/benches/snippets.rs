//! The cost of a search hit's snippet, beside inflating the whole stored record.
//!
//! `cargo bench -p debrief-store --bench snippets` stores every postmortem of the public corpus
//! in ../shared as the database does (packed), and for a few words (rare to common) times
//! [`record_snippet`] over the records whose JSON holds the word's root (about what the index
//! matches), against inflating each of those records whole. Prints the median of several runs
//! per snippet in microseconds and the ratio; asserts nothing.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use debrief_store::search::{SearchQuery, record_snippet};

#[path = "../../debrief-core/tests/it/corpus_files.rs"]
mod corpus_files;

fn median(runs: usize, mut f: impl FnMut()) -> Duration {
    let mut v: Vec<Duration> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    v.sort();
    v[v.len() / 2]
}

/// Every record's snippet. (A function of its own, for a profiler to count.)
#[inline(never)]
fn snippet_all(records: &[&[u8]], query: &SearchQuery) {
    for packed in records {
        black_box(record_snippet(black_box(packed), query).expect("a packed record"));
    }
}

/// Every record inflated whole.
#[inline(never)]
fn inflate_all(records: &[&[u8]]) {
    for packed in records {
        black_box(debrief_store::packed::unpack(packed.to_vec()).expect("a packed record"));
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let arg = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let runs: usize = arg("--runs").and_then(|n| n.parse().ok()).unwrap_or(15);
    let only = arg("--word");
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus");
    let paths: Vec<PathBuf> = corpus_files::corpus_documents(&corpus);
    if paths.is_empty() {
        eprintln!("snippets: no corpus at {}", corpus.display());
        std::process::exit(2);
    }
    let records: Vec<(String, Vec<u8>)> = paths
        .iter()
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .map(|text| {
            let prepared = debrief_store::prepare("", &text, None);
            let json = debrief_store::packed::unpack(prepared.record_packed.clone())
                .expect("a record just packed unpacks");
            (json.to_lowercase(), prepared.record_packed)
        })
        .collect();
    println!(
        "{} corpus records; median of {runs} runs; µs per record",
        records.len()
    );
    println!("| word | records | snippet | inflate whole | ratio |");
    println!("|---|---|---|---|---|");
    for (word, root) in [
        ("zeppelin", "zeppelin"),
        ("memcached", "memcach"),
        ("rollback", "rollback"),
        ("database", "databas"),
        ("incident", "incident"),
    ] {
        if only.as_deref().is_some_and(|w| w != word) {
            continue;
        }
        let query = SearchQuery::parse(word).expect("a plain word parses");
        let matched: Vec<&[u8]> = records
            .iter()
            .filter(|(json, _)| json.contains(root))
            .map(|(_, packed)| packed.as_slice())
            .collect();
        if matched.is_empty() {
            continue;
        }
        let snippets = median(runs, || snippet_all(&matched, &query));
        let whole = median(runs, || inflate_all(&matched));
        let per = |d: Duration| d.as_secs_f64() * 1e6 / matched.len() as f64;
        println!(
            "| {word} | {} | {:.1} | {:.1} | {:.2} |",
            matched.len(),
            per(snippets),
            per(whole),
            per(snippets) / per(whole)
        );
    }
}
