//! Parse throughput, side by side with a plain pulldown-cmark pass over the same bytes.
//!
//! `cargo bench -p debrief-core --bench parse` prints MB/s (median of several runs) for the
//! public corpus in ../shared (when present) and for a deterministic synthetic set, and the time
//! to parse one 10 MB document. `--write-synthetic FILE` writes that 10 MB document for
//! `scripts/bench-parse`, which measures memory and the CLI's per-file latency.

use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

use pulldown_cmark::{Options, Parser};

/// A small deterministic generator (xorshift), so every run measures the same documents.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[(self.next() % xs.len() as u64) as usize]
    }
}

/// One realistic postmortem of roughly `entries` timeline entries.
fn synthetic(rng: &mut Rng, entries: usize) -> String {
    let services = ["checkout", "search", "billing", "auth", "queue", "storage"];
    let verbs = [
        "Alert fires for",
        "On-call acknowledges",
        "Errors rise on",
        "Rolled back",
        "Incident declared for",
        "Latency recovers on",
        "Engineers investigate",
        "Customer reports problems with",
    ];
    let svc = rng.pick(&services);
    let mut s = format!(
        "---\ntitle: {svc} outage\ndate: 2024-0{}-1{}\nseverity: SEV{}\nservices: [{svc}]\n---\n\n# {svc} outage\n\n## Summary\n\nOn March 1{}, 2024 at 09:{:02} UTC the {svc} service returned errors for {}% of requests. The outage lasted for {} hours and {} minutes.\n\n## Impact\n\n{} customers could not complete requests.\n\n## Timeline\n\n",
        1 + rng.next() % 9,
        rng.next() % 10,
        1 + rng.next() % 3,
        rng.next() % 10,
        rng.next() % 60,
        rng.next() % 100,
        rng.next() % 5,
        rng.next() % 60,
        rng.next() % 10_000
    );
    let mut minute = 0u64;
    for _ in 0..entries {
        minute += 1 + rng.next() % 7;
        s.push_str(&format!(
            "- {:02}:{:02} UTC — {} {}\n",
            9 + (minute / 60) % 15,
            minute % 60,
            rng.pick(&verbs),
            rng.pick(&services)
        ));
    }
    s.push_str("\n## Root Cause\n\nA configuration change reduced the connection pool. ```code``` and *emphasis*.\n\n## Action Items\n\n| Action | Owner | Due | Status |\n|---|---|---|---|\n");
    for i in 0..4 {
        s.push_str(&format!(
            "| Add alerting for {} pool use | @owner{i} | 2024-05-0{} | open |\n",
            rng.pick(&services),
            1 + i
        ));
    }
    s.push_str("\n## Lessons Learned\n\n### What went well\n\nDetection was fast.\n");
    s
}

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
        "{label:<28} {:>6} docs {:>8.2} MB | debrief parse {:>7.1} MB/s | pulldown-cmark {:>7.1} MB/s | ratio {:.2} (target >= 0.25)",
        docs.len(),
        mb,
        o,
        c,
        o / c
    );
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
    if corpus.is_dir() {
        let mut docs = Vec::new();
        let mut stack = vec![corpus];
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(d).into_iter().flatten().flatten() {
                let p = e.path();
                if p.is_dir() {
                    stack.push(p);
                } else if let Ok(b) = std::fs::read(&p) {
                    docs.push(String::from_utf8_lossy(&b).into_owned());
                }
            }
        }
        report("corpus (../shared/corpus)", &docs, 9);
    } else {
        println!("corpus: skipped, ../shared/corpus is absent");
    }
    let mut rng = Rng(42);
    let docs: Vec<String> = (0..2_000)
        .map(|i| synthetic(&mut rng, 10 + i % 60))
        .collect();
    report("synthetic postmortems", &docs, 5);
    let t = time_it(3, || {
        black_box(debrief_core::parse(black_box(&big)));
    });
    println!(
        "one {:.1} MB document        parse median {:.3} s (target < 2 s)",
        big.len() as f64 / 1e6,
        t.as_secs_f64()
    );
}
