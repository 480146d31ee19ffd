//! Parse throughput, side by side with a plain pulldown-cmark pass over the same bytes.
//!
//! `cargo bench -p debrief-core --bench parse` prints MB/s (median of several runs) for the
//! public corpus's postmortems in ../shared (when present) and for a deterministic synthetic set,
//! and the time to parse one 10 MB document. `--runs N`, `--corpus-only` and `--synthetic-only`
//! are for profiling. `--write-synthetic FILE` writes that 10 MB document for
//! `scripts/bench-parse`, which measures memory and the CLI's per-file latency.

use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

use debrief_core::synthetic::{Rng, postmortem as synthetic};

// The same corpus documents the corpus tests read.
#[path = "../tests/it/corpus_files.rs"]
mod corpus_files;
use pulldown_cmark::{Options, Parser};

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn time_it(runs: usize, mut f: impl FnMut()) -> Duration {
    median(
        (0..runs)
            .map(|_| {
                let t = Instant::now();
                f();
                t.elapsed()
            })
            .collect(),
    )
}

fn report(label: &str, docs: &[String], runs: usize) {
    let bytes: usize = docs.iter().map(String::len).sum();
    let mb = bytes as f64 / 1e6;
    let ours = time_it(runs, || {
        for d in docs {
            black_box(debrief_core::parse(black_box(d)));
        }
    });
    let cmark = time_it(runs, || {
        for d in docs {
            let n = Parser::new_ext(black_box(d), Options::all()).count();
            black_box(n);
        }
    });
    let o = mb / ours.as_secs_f64();
    let c = mb / cmark.as_secs_f64();
    println!(
        "{label:<28} {:>6} docs {:>8.2} MB | debrief parse {:>7.1} MB/s | pulldown-cmark {:>7.1} MB/s | ratio {:.2} (floor >= 0.10)",
        docs.len(),
        mb,
        o,
        c,
        o / c
    );
}

/// `--runs N` overrides how many timed runs each figure takes (more samples for a profiler).
fn runs(default: usize) -> usize {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == "--runs")
        .and_then(|i| args.get(i + 1)?.parse().ok())
        .unwrap_or(default)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let mut rng = Rng(0x5eed_cafe_f00d_d00d);
    let big = {
        let mut s = String::new();
        while s.len() < 10_000_000 {
            s.push_str(&synthetic(&mut rng, 40));
            s.push('\n');
        }
        s
    };
    if let Some(pos) = args.iter().position(|a| a == "--write-synthetic") {
        let path = args.get(pos + 1).expect("--write-synthetic needs a path");
        std::fs::write(path, &big).expect("write the synthetic document");
        return;
    }
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus");
    // `--synthetic-only` skips the corpus (for profiling the parser on the synthetic set).
    let synthetic_only = args.iter().any(|a| a == "--synthetic-only");
    if !synthetic_only && corpus.is_dir() {
        let docs: Vec<String> = corpus_files::corpus_documents(&corpus)
            .iter()
            .filter_map(|p| std::fs::read(p).ok())
            .map(|b| String::from_utf8_lossy(&b).into_owned())
            .collect();
        report("corpus (../shared/corpus)", &docs, runs(9));
        // `--corpus-only` stops here (for profiling the parser on real documents).
        if args.iter().any(|a| a == "--corpus-only") {
            return;
        }
    } else if !synthetic_only {
        println!("corpus: skipped, ../shared/corpus is absent");
    }
    let mut rng = Rng(42);
    let docs: Vec<String> = (0..2_000)
        .map(|i| synthetic(&mut rng, 10 + i % 60))
        .collect();
    report("synthetic postmortems", &docs, runs(5));
    if synthetic_only {
        return;
    }
    let t = time_it(3, || {
        black_box(debrief_core::parse(black_box(&big)));
    });
    println!(
        "one {:.1} MB document        parse median {:.3} s (target < 2 s)",
        big.len() as f64 / 1e6,
        t.as_secs_f64()
    );
}
