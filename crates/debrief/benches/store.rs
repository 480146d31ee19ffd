//! Storage benchmarks: import rate into SQLite and PostgreSQL, and search latency (p50, p99) for
//! rare terms, common terms and phrases, side by side with `rg -i -l` over the same documents
//! written as a Markdown tree (what a team keeping postmortems in git searches with today).
//!
//! `scripts/bench-store` runs it with a throwaway PostgreSQL and ripgrep. Options:
//! `--n N` documents (default 100000), `--tree DIR` where to write the Markdown tree;
//! DEBRIEF_BENCH_POSTGRES_URL enables the PostgreSQL half. Prints figures; asserts nothing.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use debrief_core::synthetic::{Rng, library_document, word};
use debrief_store::{Filter, NewDocument, Store};

const BATCH: usize = 1000;

fn arg(name: &str) -> Option<String> {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
}

fn pct(sorted: &[Duration], p: f64) -> Duration {
    let rank = ((p * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

async fn import_all(store: &dyn Store, docs: &[NewDocument]) -> Duration {
    let t = Instant::now();
    for chunk in docs.chunks(BATCH) {
        store.import(chunk).await.expect("import");
    }
    // As `debrief import` does at its end: fresh planner statistics.
    store.optimize().await.expect("optimize");
    t.elapsed()
}

/// The query classes and their queries.
fn queries(n: usize) -> Vec<(&'static str, Vec<String>, Vec<String>)> {
    let mut rng = Rng(7);
    // (class, debrief queries, rg patterns)
    let rare: Vec<usize> = (0..30)
        .map(|_| (rng.next_u64() % n as u64) as usize)
        .collect();
    let common = ["checkout", "latency", "alert", &word(0), "rolled"];
    let phrases = [
        "connection pool",
        "rolled back",
        "alert fires",
        "customer reports",
        "incident declared",
    ];
    vec![
        (
            "rare term (one document)",
            rare.iter().map(|i| format!("INC-{i}")).collect(),
            rare.iter().map(|i| format!("INC-{i}\\.")).collect(),
        ),
        (
            "common term",
            common.iter().map(|s| s.to_string()).collect(),
            common.iter().map(|s| s.to_string()).collect(),
        ),
        (
            "phrase",
            phrases.iter().map(|s| format!("\"{s}\"")).collect(),
            phrases.iter().map(|s| s.to_string()).collect(),
        ),
        // The costliest query the API accepts: 16 distinct words, the commonest first.
        (
            "16 common words",
            (0..5)
                .map(|k| {
                    (0..16)
                        .map(|j| word(k + j * 3))
                        .collect::<Vec<_>>()
                        .join(" ")
                })
                .collect(),
            (0..5).map(word).collect(),
        ),
    ]
}

async fn search_latencies(store: &dyn Store, qs: &[String], runs: usize) -> Vec<Duration> {
    let filter = Filter {
        limit: Some(20),
        ..Filter::default()
    };
    let qs: Vec<debrief_store::SearchQuery> = qs
        .iter()
        .map(|q| debrief_store::SearchQuery::parse(q).expect("a valid query"))
        .collect();
    let mut out = Vec::new();
    // One untimed pass warms the caches, as a running server's would be.
    for q in &qs {
        store.search(q, &filter).await.expect("search");
    }
    for k in 0..runs {
        let q = &qs[k % qs.len()];
        let t = Instant::now();
        let hits = store.search(q, &filter).await.expect("search");
        out.push(t.elapsed());
        std::hint::black_box(hits);
    }
    out.sort();
    out
}

fn rg_latencies(tree: &Path, patterns: &[String], runs: usize) -> Option<Vec<Duration>> {
    let mut out = Vec::new();
    for k in 0..runs {
        let t = Instant::now();
        let o = Command::new("rg")
            .args(["-i", "-l", &patterns[k % patterns.len()]])
            .arg(tree)
            .output()
            .ok()?;
        out.push(t.elapsed());
        std::hint::black_box(o.stdout.len());
    }
    out.sort();
    Some(out)
}

fn main() {
    let n: usize = arg("--n").and_then(|s| s.parse().ok()).unwrap_or(100_000);
    let tree: PathBuf = arg("--tree")
        .map(PathBuf::from)
        .unwrap_or_else(|| std::env::temp_dir().join("debrief-bench-tree"));
    let pg_url = std::env::var("DEBRIEF_BENCH_POSTGRES_URL").ok();
    let mut rng = Rng(0x0dec_0de5_eed5);
    let texts: Vec<String> = (0..n).map(|i| library_document(&mut rng, i)).collect();
    let mb = texts.iter().map(String::len).sum::<usize>() as f64 / 1e6;
    let docs: Vec<NewDocument> = texts
        .iter()
        .enumerate()
        .map(|(i, t)| NewDocument {
            source: Some(format!("bench:{i}")),
            text: t.clone(),
            author: "bench".into(),
            message: "import".into(),
            record: None,
            identity: None,
            audit: None,
        })
        .collect();
    let _ = std::fs::remove_dir_all(&tree);
    std::fs::create_dir_all(&tree).expect("tree directory");
    for (i, t) in texts.iter().enumerate() {
        let dir = tree.join(format!("{:03}", i % 1000));
        std::fs::create_dir_all(&dir).expect("tree");
        std::fs::write(dir.join(format!("pm-{i}.md")), t).expect("tree file");
    }
    println!(
        "{n} synthetic postmortems, {mb:.1} MB (Markdown tree in {})",
        tree.display()
    );

    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let dir = std::env::temp_dir().join(format!("debrief-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let qs = queries(n);
    let rg: Vec<Option<Vec<Duration>>> = qs
        .iter()
        .map(|(_, _, pats)| rg_latencies(&tree, pats, 7))
        .collect();

    let mut backends: Vec<(&str, Box<dyn Store>)> = Vec::new();
    rt.block_on(async {
        backends.push((
            "SQLite",
            Box::new(
                debrief_sqlite::open(&dir.join("bench.db"))
                    .await
                    .expect("sqlite"),
            ),
        ));
        if let Some(u) = &pg_url {
            backends.push((
                "PostgreSQL",
                Box::new(debrief_postgres::connect(u).await.expect("postgres")),
            ));
        }
    });
    if pg_url.is_none() {
        println!(
            "PostgreSQL: skipped (DEBRIEF_BENCH_POSTGRES_URL is not set; scripts/bench-store sets it)"
        );
    }
    for (name, store) in &backends {
        let took = rt.block_on(import_all(store.as_ref(), &docs));
        println!(
            "{name:<10} import: {n} postmortems in {:.1} s = {:.0} postmortems/s (target {})",
            took.as_secs_f64(),
            n as f64 / took.as_secs_f64(),
            if *name == "SQLite" {
                ">= 5,000/s"
            } else {
                ">= 2,000/s"
            }
        );
        for ((class, queries, _), rg) in qs.iter().zip(&rg) {
            let lat = rt.block_on(search_latencies(store.as_ref(), queries, 200));
            let (p50, p99) = (pct(&lat, 0.5), pct(&lat, 0.99));
            let vs = rg.as_ref().map_or("rg not installed".to_string(), |r| {
                let rp50 = pct(r, 0.5);
                format!(
                    "rg -i -l p50 {:.0} ms: {:.0}x faster",
                    ms(rp50),
                    ms(rp50) / ms(p50)
                )
            });
            println!(
                "{name:<10} search {class:<26} p50 {:>7.2} ms  p99 {:>7.2} ms (target p99 < 25 ms) | {vs}",
                ms(p50),
                ms(p99)
            );
        }
    }
    for (name, store) in &backends {
        let t = Instant::now();
        let report = rt.block_on(store.verify()).expect("verify");
        println!(
            "{name:<10} verify: {} postmortems, {} revisions in {:.1} s (ok: {})",
            report.postmortems,
            report.revisions,
            t.elapsed().as_secs_f64(),
            report.ok()
        );
    }
    rt.block_on(async {
        for (_, s) in &backends {
            let _ = s.close().await;
        }
    });
    huge_document(&rt, &dir);
    let _ = std::fs::remove_dir_all(&dir);
}

/// `debrief search` on a store holding one 50 MB postmortem (more than import takes today, as a
/// database from before the 2 MB limit may hold): snippets read a bounded part of each body,
/// so the huge document costs no more than a small one. It took over 10 minutes before.
fn huge_document(rt: &tokio::runtime::Runtime, dir: &Path) {
    let db = dir.join("huge.db");
    let mut rng = Rng(5);
    let mut text = String::new();
    let mut i = 0;
    while text.len() < 50_000_000 {
        text.push_str(&library_document(&mut rng, i));
        i += 1;
    }
    rt.block_on(async {
        let store = debrief_sqlite::open(&db).await.expect("sqlite");
        let doc = NewDocument {
            source: Some("bench:huge".into()),
            text,
            author: "bench".into(),
            message: "import".into(),
            record: None,
            identity: None,
            audit: None,
        };
        store
            .import(&[doc])
            .await
            .expect("import the 50 MB document");
        store.close().await.expect("close");
    });
    for q in ["checkout", "\"rolled back\"", "INC-4242"] {
        let mut times = Vec::new();
        for _ in 0..3 {
            let t = Instant::now();
            let o = Command::new(env!("CARGO_BIN_EXE_debrief"))
                .args([
                    "--database",
                    &format!("sqlite:{}", db.display()),
                    "search",
                    q,
                ])
                .output()
                .expect("debrief search");
            assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
            times.push(t.elapsed());
        }
        times.sort();
        println!(
            "SQLite     `debrief search {q}` on a store with one 50 MB postmortem: median {:.3} s (target < 1 s)",
            times[1].as_secs_f64()
        );
    }
}
