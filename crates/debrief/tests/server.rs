//! `debrief serve` as a real process: the seed through the import endpoint matches the CLI,
//! two servers on one PostgreSQL lose no update, revoked tokens stop working on every server at
//! once, shutdown is graceful, and Schemathesis finds no failure against the OpenAPI document.

mod support;

use std::path::Path;
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::Ordering;

use serde_json::Value;
use support::*;

#[test]
fn the_seed_through_the_import_endpoint_matches_the_cli() {
    let Some(seed) = seed() else { return };
    let dir = scratch("seed");
    let db = format!("sqlite:{}", dir.join("s.db").display());
    let token = user_with_token(&db, &dir, "eddie", "editor");
    let server = Server::start(&db);
    let text = std::fs::read(&seed).unwrap();
    let auth = format!("Bearer {token}");
    let r = http(
        &server.addr,
        "POST",
        "/api/v1/postmortems",
        &[("Authorization", &auth)],
        Some(("text/plain", &text)),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(r.header("etag"), Some("\"1\""));
    let api = r.json();

    let s = seed.to_str().unwrap();
    let record: Value =
        serde_json::from_slice(&cli(&db, &["export", s, "--to", "json"]).stdout).unwrap();
    assert_eq!(
        api["record"], record,
        "the same record as `debrief export --to json`"
    );
    // One shape everywhere: `parse --json`, the API's GET and the backup hold the same record,
    // and it is valid against the committed schema.
    let parsed: Value = serde_json::from_slice(&cli(&db, &["parse", s, "--json"]).stdout).unwrap();
    assert_eq!(parsed["record"], record, "`parse --json`");
    let id = api["id"].as_str().unwrap();
    let got = http(
        &server.addr,
        "GET",
        &format!("/api/v1/postmortems/{id}"),
        &[("Authorization", &auth)],
        None,
    );
    assert_eq!(got.json()["record"], record, "the API's GET");
    let one = dir.join("one.bak");
    assert!(
        cli(&db, &["backup", "create", one.to_str().unwrap()])
            .status
            .success()
    );
    let backup = std::fs::read_to_string(&one).unwrap();
    let row = backup
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .find(|l| l["postmortem"]["id"] == id)
        .expect("the postmortem's row in the backup");
    assert_eq!(row["postmortem"]["record"], record, "the backup");
    let record_file = dir.join("record.json");
    std::fs::write(&record_file, record.to_string()).unwrap();
    let schema = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../schema/postmortem.schema.json");
    if let Err(e) = json_schema_errors(&schema, &record_file) {
        panic!("the record does not validate against schema/postmortem.schema.json: {e}");
    }
    let mut findings: Value =
        serde_json::from_slice(&cli(&db, &["lint", "--format", "json", s]).stdout).unwrap();
    for f in findings.as_array_mut().unwrap() {
        f.as_object_mut().unwrap().remove("file");
    }
    assert_eq!(
        api["findings"], findings,
        "the same findings as `debrief lint --format json`"
    );
    let mut metrics: Value =
        serde_json::from_slice(&cli(&db, &["metrics", "--json", s]).stdout).unwrap();
    metrics.as_object_mut().unwrap().remove("file");
    assert_eq!(
        api["metrics"], metrics,
        "the same metrics as `debrief metrics --json`"
    );
    assert_eq!(api["metrics"]["time_to_resolve_minutes"], 196);

    // /healthz reports the age of the last verified backup once a drill has passed.
    let health = http(&server.addr, "GET", "/healthz", &[], None).json();
    assert_eq!(health["last_verified_backup_age_seconds"], Value::Null);
    let bak = dir.join("b.bak");
    assert!(
        cli(&db, &["backup", "create", bak.to_str().unwrap()])
            .status
            .success()
    );
    assert!(
        cli(&db, &["backup", "drill", bak.to_str().unwrap()])
            .status
            .success()
    );
    let health = http(&server.addr, "GET", "/healthz", &[], None).json();
    assert!(
        health["last_verified_backup_age_seconds"]
            .as_i64()
            .is_some_and(|s| (0..120).contains(&s)),
        "{health}"
    );

    // Revoking takes effect at once; shutdown is graceful.
    let id = api["id"].as_str().unwrap();
    let get = |t: &str| {
        http(
            &server.addr,
            "GET",
            &format!("/api/v1/postmortems/{id}"),
            &[("Authorization", &format!("Bearer {t}"))],
            None,
        )
        .status
    };
    assert_eq!(get(&token), 200);
    assert!(
        cli(&db, &["token", "revoke", "--user", "eddie"])
            .status
            .success()
    );
    assert_eq!(get(&token), 401);
    assert!(cli(&db, &["audit", "verify"]).status.success());
    let status = server.stop();
    assert!(
        status.success(),
        "SIGTERM ends the server cleanly: {status}"
    );
}

#[test]
fn two_servers_on_one_postgres_lose_no_update() {
    let Ok(base) = std::env::var("DEBRIEF_TEST_POSTGRES_URL") else {
        return require("DEBRIEF_TEST_POSTGRES_URL");
    };
    let db = fresh_postgres(&base, "two");
    let dir = scratch("two");
    let token = user_with_token(&db, &dir, "eddie", "editor");
    let viewer = user_with_token(&db, &dir, "vera", "viewer");
    let (a, b) = (Server::start(&db), Server::start(&db));
    let auth = format!("Bearer {token}");
    let doc = "## Summary\n\nThe queue stalled for 20 minutes.\n\n## Timeline\n\n- 10:00 UTC queue stalls\n- 10:20 UTC resolved\n";
    let mut ids = Vec::new();
    for _ in 0..3 {
        let r = http(
            &a.addr,
            "POST",
            "/api/v1/postmortems",
            &[("Authorization", &auth)],
            Some(("text/plain", doc.as_bytes())),
        );
        assert_eq!(r.status, 201, "{}", r.body);
        ids.push(r.json()["id"].as_str().unwrap().to_string());
    }
    // 6 clients, 3 through each server, each updating every postmortem from the revision it read.
    let addrs = Arc::new([a.addr.clone(), b.addr.clone()]);
    let handles: Vec<_> = (0..6)
        .map(|c| {
            let (addrs, ids, auth) = (Arc::clone(&addrs), ids.clone(), auth.clone());
            std::thread::spawn(move || {
                let addr = &addrs[c % 2];
                let mut outcomes = Vec::new();
                for round in 0..8 {
                    for id in &ids {
                        let got = http(
                            addr,
                            "GET",
                            &format!("/api/v1/postmortems/{id}"),
                            &[("Authorization", &auth)],
                            None,
                        );
                        let base = got
                            .header("etag")
                            .unwrap_or("\"0\"")
                            .trim_matches('"')
                            .to_string();
                        let body = format!("## Summary\n\nClient {c} round {round}.\n");
                        let r = http(
                            addr,
                            "PUT",
                            &format!("/api/v1/postmortems/{id}"),
                            &[
                                ("Authorization", &auth),
                                ("If-Match", &format!("\"{base}\"")),
                            ],
                            Some(("text/plain", body.as_bytes())),
                        );
                        outcomes.push((
                            id.clone(),
                            base.parse::<i64>().unwrap_or(0),
                            r.status,
                            r.json()["revision"].as_i64(),
                            r.json()["current_revision"].as_i64(),
                        ));
                    }
                }
                outcomes
            })
        })
        .collect();
    let outcomes: Vec<_> = handles
        .into_iter()
        .flat_map(|h| h.join().unwrap())
        .collect();
    let ok: Vec<_> = outcomes.iter().filter(|o| o.2 == 200).collect();
    let stale = outcomes.iter().filter(|o| o.2 == 412).count();
    let other: Vec<_> = outcomes
        .iter()
        .filter(|o| o.2 != 200 && o.2 != 412)
        .collect();
    assert!(other.is_empty(), "only 200 and 412 are expected: {other:?}");
    assert!(
        outcomes
            .iter()
            .filter(|o| o.2 == 412)
            .all(|o| o.4.is_some()),
        "412 carries the current revision"
    );
    let mut bases = std::collections::HashSet::new();
    for o in &ok {
        assert!(
            bases.insert((o.0.clone(), o.1)),
            "two successful updates share base {} of {}",
            o.1,
            o.0
        );
    }
    // Every acknowledged update is in the history, read through the other server.
    let vauth = format!("Bearer {viewer}");
    for id in &ids {
        let revs = http(
            &b.addr,
            "GET",
            &format!("/api/v1/postmortems/{id}/revisions"),
            &[("Authorization", &vauth)],
            None,
        )
        .json();
        let numbers: Vec<i64> = revs["revisions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["number"].as_i64().unwrap())
            .collect();
        for o in ok.iter().filter(|o| &o.0 == id) {
            assert!(
                numbers.contains(&o.3.unwrap()),
                "acknowledged revision {:?} of {id} is missing",
                o.3
            );
        }
        assert_eq!(
            numbers.len(),
            1 + ok.iter().filter(|o| &o.0 == id).count(),
            "no revision beyond the acknowledged ones"
        );
    }
    // Revoking on the database is seen by both servers at once.
    assert!(
        cli(&db, &["token", "revoke", "--user", "vera"])
            .status
            .success()
    );
    for s in [&a, &b] {
        assert_eq!(
            http(
                &s.addr,
                "GET",
                "/api/v1/postmortems",
                &[("Authorization", &vauth)],
                None
            )
            .status,
            401
        );
    }
    println!(
        "two servers, one PostgreSQL: {} updates, {} succeeded, {stale} stale (412), 0 errors; no shared base, every success in the history",
        outcomes.len(),
        ok.len()
    );
}

#[test]
fn schemathesis_finds_no_failure() {
    let has = Command::new("schemathesis")
        .arg("--version")
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    if !has {
        return require("schemathesis");
    }
    let dir = scratch("st");
    let db = format!("sqlite:{}", dir.join("s.db").display());
    let token = user_with_token(&db, &dir, "ada", "admin");
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../debrief-core/tests/fixtures");
    assert!(
        cli(&db, &["import", fixtures.to_str().unwrap()])
            .status
            .success()
    );
    // A postmortem with a timeline, action items and a first revision, for the operations on
    // those (the configuration gives them its id).
    let seeded: Value = serde_json::from_slice(
        &cli(
            &db,
            &[
                "import",
                fixtures.join("google-sre.md").to_str().unwrap(),
                "--json",
            ],
        )
        .stdout,
    )
    .unwrap();
    let seeded = seeded["results"][0]["id"].as_str().unwrap().to_string();
    let config = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/schemathesis/schemathesis.toml");
    let server = Server::start_with(&db, &["--writes-per-second", "100000"]);
    // Hooks take their own secrets, not the user's token: one run per hook, with its secret.
    let secret = |args: &[&str]| {
        let o = cli(&db, args);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        String::from_utf8(o.stdout).unwrap().trim().to_string()
    };
    let alerts = secret(&["hook", "create", "st-alerts"]);
    let events = secret(&["hook", "create", "st-events", "--kind", "events"]);
    let user = format!("Authorization: Bearer {token}");
    // The operations on the seeded postmortem first: the full run deletes what it finds.
    let on_seeded = "/(timeline|actions)/\\{index\\}$|/revisions/\\{number\\}$";
    let others = format!("{on_seeded}|^/api/v1/hooks/");
    // (The first has no links to follow: no stateful phase.)
    let runs: [(&str, [&str; 4], String, &str); 4] = [
        (
            "on the seeded postmortem",
            [
                "--include-path-regex",
                on_seeded,
                "--phases",
                "coverage,fuzzing",
            ],
            user.clone(),
            "",
        ),
        (
            "every other operation",
            [
                "--exclude-path-regex",
                &others,
                "--phases",
                "examples,coverage,fuzzing,stateful",
            ],
            user.clone(),
            "",
        ),
        (
            "the Alertmanager hook",
            [
                "--include-path-regex",
                "^/api/v1/hooks/alertmanager/",
                "--phases",
                "coverage,fuzzing",
            ],
            format!("Authorization: Bearer {alerts}"),
            "st-alerts",
        ),
        (
            "the events hook",
            [
                "--include-path-regex",
                "^/api/v1/hooks/events/",
                "--phases",
                "coverage,fuzzing",
            ],
            format!("Authorization: Bearer {events}"),
            "st-events",
        ),
    ];
    for (which, selection, header, hook) in &runs {
        let o = Command::new("schemathesis")
            .current_dir(&dir)
            .arg("--config-file")
            .arg(&config)
            .args(["run", &format!("http://{}/api/openapi.json", server.addr)])
            .args(["-H", header])
            .env("DEBRIEF_ST_ID", &seeded)
            .env("DEBRIEF_ST_HOOK", hook)
            .args(["--checks", "all"])
            .args(selection)
            .args([
                "--max-examples",
                "20",
                "--generation-deterministic",
                "--no-color",
            ])
            .output()
            .unwrap();
        let out = String::from_utf8_lossy(&o.stdout).into_owned();
        let summary: Vec<&str> = out
            .lines()
            .filter(|l| {
                l.contains("generated")
                    || l.contains("Tested")
                    || l.contains("passed")
                    || l.contains("failed")
                    || l.contains("⚠")
            })
            .collect();
        println!("schemathesis, {which}: {}", summary.join(" | "));
        assert!(
            o.status.success(),
            "schemathesis found failures:\n{out}\n{}",
            String::from_utf8_lossy(&o.stderr)
        );
        // A schema that lets through what the server refuses is a mismatch too, though
        // Schemathesis reports it as a warning.
        assert!(
            !out.contains("Schema validation mismatch"),
            "schemathesis, {which}: the schema and the server's checks disagree:\n{out}"
        );
    }
    drop(server);
}

#[test]
fn postgres_killed_under_load_answers_503_fast_loses_nothing_and_recovers() {
    let Some(cluster) = Cluster::create() else {
        return;
    };
    let db = cluster.url();
    let dir = scratch("pg-kill");
    let token = user_with_token(&db, &dir, "eddie", "editor");
    let server = Server::start(&db);
    let auth = format!("Bearer {token}");
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let writer = {
        let (addr, auth, stop) = (server.addr.clone(), auth.clone(), Arc::clone(&stop));
        std::thread::spawn(move || {
            let (mut acknowledged, mut unexpected) = (Vec::new(), Vec::new());
            for i in 0.. {
                if stop.load(Ordering::Relaxed) {
                    break;
                }
                let doc =
                    format!("## Summary\n\nWrite {i}: the cache went cold for {i} minutes.\n");
                let r = http(
                    &addr,
                    "POST",
                    "/api/v1/postmortems",
                    &[("Authorization", &auth)],
                    Some(("text/plain", doc.as_bytes())),
                );
                match r.status {
                    201 => acknowledged.push(r.json()["id"].as_str().unwrap().to_string()),
                    503 => {}
                    other => unexpected.push(format!("write {i}: {other} {}", r.body)),
                }
                // Under the per-user write limit (10 a second after a burst of 120), so every
                // answer is about the database, never about the pace.
                std::thread::sleep(std::time::Duration::from_millis(110));
            }
            (acknowledged, unexpected)
        })
    };
    let mut slowest = std::time::Duration::ZERO;
    let mut recoveries = Vec::new();
    for round in 0..10 {
        std::thread::sleep(std::time::Duration::from_millis(300));
        cluster.kill();
        for _ in 0..3 {
            let t = std::time::Instant::now();
            let r = http(
                &server.addr,
                "GET",
                "/api/v1/postmortems",
                &[("Authorization", &auth)],
                None,
            );
            let took = t.elapsed();
            assert_eq!(r.status, 503, "round {round}: {}", r.body);
            assert!(r.body.contains("unavailable"), "{}", r.body);
            slowest = slowest.max(took);
        }
        cluster.start();
        let t = std::time::Instant::now();
        loop {
            let r = http(
                &server.addr,
                "GET",
                "/api/v1/postmortems",
                &[("Authorization", &auth)],
                None,
            );
            if r.status == 200 {
                break;
            }
            assert!(
                t.elapsed().as_secs() < 20,
                "round {round}: no recovery: {} {}",
                r.status,
                r.body
            );
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        recoveries.push(t.elapsed());
    }
    stop.store(true, Ordering::Relaxed);
    let (acknowledged, unexpected) = writer.join().unwrap();
    assert!(
        unexpected.is_empty(),
        "only 201 and 503 while PostgreSQL comes and goes: {unexpected:?}"
    );
    for id in &acknowledged {
        let r = http(
            &server.addr,
            "GET",
            &format!("/api/v1/postmortems/{id}"),
            &[("Authorization", &auth)],
            None,
        );
        assert_eq!(r.status, 200, "acknowledged {id} is lost: {}", r.body);
    }
    println!(
        "PostgreSQL killed 10 times: slowest 503 {slowest:?}, recovery after restart at most {:?}, {} acknowledged writes all kept",
        recoveries.iter().max().unwrap(),
        acknowledged.len()
    );
    assert!(
        slowest < std::time::Duration::from_secs(1),
        "a 503 took {slowest:?}"
    );
    assert!(!acknowledged.is_empty());
    drop(server);
}

#[test]
fn a_new_password_ends_the_sessions_of_the_old_one_and_keeps_api_tokens() {
    let dir = scratch("passwd");
    let db = format!("sqlite:{}", dir.join("p.db").display());
    let token = user_with_token(&db, &dir, "rita", "editor");
    let server = Server::start(&db);
    let sign_in = |password: &str| {
        http(
            &server.addr,
            "POST",
            "/api/v1/sessions",
            &[],
            Some((
                "application/json",
                serde_json::json!({"name": "rita", "password": password})
                    .to_string()
                    .as_bytes(),
            )),
        )
    };
    let whoami = |bearer: &str| {
        http(
            &server.addr,
            "GET",
            "/api/v1/postmortems",
            &[("Authorization", &format!("Bearer {bearer}"))],
            None,
        )
        .status
    };
    let session = sign_in(PASSWORD);
    assert_eq!(session.status, 201, "{}", session.body);
    let session = session.json()["token"].as_str().unwrap().to_string();
    assert_eq!(whoami(&session), 200);

    let new = dir.join("new-pw");
    std::fs::write(&new, "a longer passphrase for rita").unwrap();
    let o = cli(
        &db,
        &[
            "user",
            "passwd",
            "rita",
            "--password-file",
            new.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stdout).contains("1 signed-in session(s) ended"));
    assert_eq!(whoami(&session), 401, "the old session ends");
    assert_eq!(whoami(&token), 200, "API tokens keep working");
    assert_eq!(sign_in(PASSWORD).status, 401);
    assert_eq!(sign_in("a longer passphrase for rita").status, 201);
    // No such user: exit 2, nothing made.
    let o = cli(
        &db,
        &[
            "user",
            "passwd",
            "nobody",
            "--password-file",
            new.to_str().unwrap(),
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no user nobody"));
    assert!(!String::from_utf8_lossy(&cli(&db, &["user", "list"]).stdout).contains("nobody"));
    server.stop();
}
