//! Web page benchmarks: the list, postmortem, search and insights pages at N postmortems
//! (default 10,000) under wrk at 50 connections, each beside the JSON API for the same data and
//! a static body of the same size served by the same server stack; and the weight of each page
//! (HTML plus the stylesheet and scripts it loads).
//!
//! `scripts/bench-pages` runs it. Options: `--n N`, `--seconds S` per run (default 10), `--only
//! list,search` to run some pages only (to profile one at a time). `search words` searches
//! 2,000 different words in turn (no answer asked for twice in a row). Prints
//! figures; asserts nothing.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::Command;
use std::sync::Arc;
use std::time::Instant;

use debrief_core::synthetic::{Rng, library_document, word};
use debrief_server::{AppState, app, serve_router};
use debrief_store::{Filter, NewDocument, Store, User};

fn arg(name: &str) -> Option<String> {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
}

const PASSWORD: &str = "a bench password long enough";

/// One request on a fresh connection; returns (status line, headers, body).
fn get(addr: &str, path: &str, headers: &[(&str, &str)]) -> (String, String, Vec<u8>) {
    request(addr, "GET", path, headers, None)
}

fn request(
    addr: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    form: Option<&str>,
) -> (String, String, Vec<u8>) {
    let mut s = TcpStream::connect(addr).unwrap();
    let mut req = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    if let Some(f) = form {
        req.push_str(&format!(
            "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n",
            f.len()
        ));
    }
    req.push_str("\r\n");
    if let Some(f) = form {
        req.push_str(f);
    }
    s.write_all(req.as_bytes()).unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let body = raw[split + 4..].to_vec();
    let status = head.lines().next().unwrap_or("").to_string();
    (status, head, body)
}

struct Run {
    rps: f64,
    p99_ms: f64,
}

/// Paths with `{word}` are requested with the words of the synthetic vocabulary in turn, each
/// connection cycling through [`WORDS`] of them (a wrk script): many people searching for
/// different things, where no answer is asked for twice in a row.
const WORDS: usize = 2000;

fn wrk(url: &str, cookie: Option<&str>, auth: Option<&str>, seconds: u64) -> Run {
    let mut cmd = Command::new("wrk");
    cmd.args(["-t2", "-c50", &format!("-d{seconds}s"), "--latency"]);
    let mut url = url.to_string();
    let mut script = None;
    if url.contains("{word}") {
        let path_at = url
            .strip_prefix("http://")
            .and_then(|rest| rest.find('/'))
            .map_or(url.len(), |i| i + "http://".len());
        let paths: Vec<String> = (0..WORDS)
            .map(|k| format!("{:?}", url[path_at..].replace("{word}", &word(k))))
            .collect();
        let file =
            std::env::temp_dir().join(format!("debrief-bench-words-{}.lua", std::process::id()));
        std::fs::write(
            &file,
            format!(
                "local paths = {{{}}}\nlocal i = math.random(#paths)\nrequest = function()\n  i = i % #paths + 1\n  return wrk.format(nil, paths[i])\nend\n",
                paths.join(", ")
            ),
        )
        .unwrap();
        cmd.arg("-s").arg(&file);
        url.truncate(path_at);
        script = Some(file);
    }
    let url = url.as_str();
    if let Some(c) = cookie {
        cmd.args(["-H", &format!("Cookie: {c}")]);
    }
    if let Some(a) = auth {
        cmd.args(["-H", &format!("Authorization: Bearer {a}")]);
    }
    let out = cmd.arg(url).output().expect("wrk (apt-get install wrk)");
    if let Some(file) = script {
        let _ = std::fs::remove_file(file);
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let rps = text
        .lines()
        .find_map(|l| l.strip_prefix("Requests/sec:"))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0.0);
    let p99_ms = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("99%"))
        .map(|v| {
            let v = v.trim();
            let (num, factor) = if let Some(x) = v.strip_suffix("us") {
                (x, 0.001)
            } else if let Some(x) = v.strip_suffix("ms") {
                (x, 1.0)
            } else if let Some(x) = v.strip_suffix('s') {
                (x, 1000.0)
            } else {
                (v, 1.0)
            };
            num.parse::<f64>().unwrap_or(f64::NAN) * factor
        })
        .unwrap_or(f64::NAN);
    for l in text.lines() {
        if l.contains("Non-2xx") || l.contains("Socket errors") {
            println!("    wrk {url}: {}", l.trim());
        }
    }
    Run { rps, p99_ms }
}

fn main() {
    let n: usize = arg("--n").and_then(|v| v.parse().ok()).unwrap_or(10_000);
    let seconds: u64 = arg("--seconds").and_then(|v| v.parse().ok()).unwrap_or(10);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let dir = std::env::temp_dir().join(format!("debrief-bench-pages-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let (addr, cookie, token, id, sizes) = rt.block_on(async {
        let store: Arc<dyn Store> =
            Arc::new(debrief_sqlite::open(&dir.join("pages.db")).await.unwrap());
        let mut rng = Rng(42);
        let docs: Vec<NewDocument> = (0..n)
            .map(|i| NewDocument {
                source: Some(format!("bench/{i}.md")),
                text: library_document(&mut rng, i),
                author: "bench".into(),
                message: String::new(),
                record: None,
                identity: None,
                audit: None,
            })
            .collect();
        let t = Instant::now();
        for chunk in docs.chunks(1000) {
            store.import(chunk).await.unwrap();
        }
        store.optimize().await.unwrap();
        println!(
            "imported {n} postmortems in {:.1} s",
            t.elapsed().as_secs_f64()
        );
        store
            .put_user(&User {
                name: "bench".into(),
                role: "admin".into(),
                password_hash: debrief_server::hash_password(PASSWORD).unwrap(),
                created_at: debrief_store::now(),
            })
            .await
            .unwrap();
        let (token, hash) = debrief_server::new_token();
        store
            .add_token(&hash, "bench", "bench", None)
            .await
            .unwrap();
        let id = store
            .list(&Filter {
                limit: Some(1),
                ..Filter::default()
            })
            .await
            .unwrap()[0]
            .id
            .clone();
        let state = AppState::new(Arc::clone(&store));
        let limits = Arc::clone(&state.limits);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap().to_string();
        // Static bodies of the sizes the pages have, to compare with: /bench/static/{bytes}.
        let statics = axum::Router::new().route(
            "/bench/static/{bytes}",
            axum::routing::get(
                |axum::extract::Path(bytes): axum::extract::Path<usize>| async move {
                    (
                        [("content-type", "text/html; charset=utf-8")],
                        vec![b'x'; bytes.min(10_000_000)],
                    )
                },
            ),
        );
        let router = app(state).merge(statics);
        tokio::spawn(async move {
            serve_router(listener, router, &limits, std::future::pending()).await
        });
        let a = addr.clone();
        let (cookie, sizes) = tokio::task::spawn_blocking(move || {
            let (status, head, _) = request(
                &a,
                "POST",
                "/signin",
                &[],
                Some(&format!(
                    "name=bench&password={}",
                    PASSWORD.replace(' ', "+")
                )),
            );
            assert!(status.contains("303"), "{status}");
            let cookie = head
                .lines()
                .find_map(|l| l.strip_prefix("set-cookie: "))
                .and_then(|c| c.split(';').next())
                .unwrap()
                .to_string();
            let sizes: Vec<usize> = ["app.css", "app.js", "htmx.min.js"]
                .iter()
                .map(|f| get(&a, &format!("/static/{f}"), &[]).2.len())
                .collect();
            (cookie, sizes)
        })
        .await
        .unwrap();
        (addr, cookie, token, id, sizes)
    });
    let assets: usize = sizes.iter().sum();
    println!(
        "assets every page loads: app.css {} B, app.js {} B, htmx.min.js {} B",
        sizes[0], sizes[1], sizes[2]
    );
    let targets = [
        (
            "list",
            "/".to_string(),
            "/api/v1/postmortems?limit=25".to_string(),
        ),
        (
            "postmortem",
            format!("/p/{id}"),
            format!("/api/v1/postmortems/{id}"),
        ),
        (
            "search",
            "/?q=checkout".to_string(),
            "/api/v1/search?q=checkout&limit=25".to_string(),
        ),
        (
            "search words",
            "/?q={word}".to_string(),
            "/api/v1/search?q={word}&limit=25".to_string(),
        ),
        (
            "insights",
            "/insights".to_string(),
            "/api/v1/stats".to_string(),
        ),
    ];
    println!("\n{n} postmortems on SQLite, wrk -t2 -c50 -d{seconds}s on the same 2 cores\n");
    println!(
        "{:<13} {:>9} {:>8} {:>9} | {:>9} {:>8} {:>9} | {:>9} {:>8} | {:>10}",
        "page",
        "page r/s",
        "p99 ms",
        "weight",
        "API r/s",
        "p99 ms",
        "page/API",
        "static",
        "p99 ms",
        "page/stat"
    );
    // `--only list,search`: run those pages only (to profile one at a time).
    let only = arg("--only");
    for (name, page, api) in targets {
        if only
            .as_deref()
            .is_some_and(|o| !o.split(',').any(|n| n == name))
        {
            continue;
        }
        let one = |path: &str| path.replace("{word}", &word(0));
        let (status, _, body) = get(&addr, &one(&page), &[("Cookie", &cookie)]);
        assert!(status.contains("200"), "{page}: {status}");
        let (status, _, _) = get(
            &addr,
            &one(&api),
            &[("Authorization", &format!("Bearer {token}"))],
        );
        assert!(status.contains("200"), "{api}: {status}");
        let p = wrk(
            &format!("http://{addr}{page}"),
            Some(&cookie),
            None,
            seconds,
        );
        let a = wrk(&format!("http://{addr}{api}"), None, Some(&token), seconds);
        let s = wrk(
            &format!("http://{addr}/bench/static/{}", body.len()),
            None,
            None,
            seconds,
        );
        println!(
            "{:<13} {:>9.0} {:>8.2} {:>7.1}KB | {:>9.0} {:>8.2} {:>9.2} | {:>9.0} {:>8.2} | {:>10.2}",
            name,
            p.rps,
            p.p99_ms,
            (body.len() + assets) as f64 / 1024.0,
            a.rps,
            a.p99_ms,
            p.rps / a.rps,
            s.rps,
            s.p99_ms,
            p.rps / s.rps
        );
    }
    println!("\nweight: the page's HTML plus the stylesheet and scripts it loads (uncompressed)");
    if std::env::var_os("DEBRIEF_BENCH_KEEP").is_some() {
        println!("database kept in {}", dir.display());
    } else {
        let _ = std::fs::remove_dir_all(&dir);
    }
}
