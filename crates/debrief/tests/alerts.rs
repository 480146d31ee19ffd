//! Timelines that build themselves: a real Prometheus Alertmanager delivering to `debrief
//! serve`, and the hook's refusals and redeliveries with the captured payloads in
//! ../shared/alertmanager.

mod support;

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use support::*;

const ALERTMANAGER: &str = "/usr/bin/prometheus-alertmanager";

/// An Alertmanager hook with a 60-minute window; its secret.
fn hook_secret(db: &str, name: &str) -> String {
    create_hook(db, &[name, "--window-minutes", "60"])
}

/// `debrief hook create ARGS...`; the secret it prints.
fn create_hook(db: &str, args: &[&str]) -> String {
    let o = cli(db, &[&["hook", "create"], args].concat());
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let secret = String::from_utf8(o.stdout).unwrap().trim().to_string();
    assert!(secret.starts_with("dbh_"), "{secret}");
    secret
}

fn captured(name: &str) -> Option<Vec<u8>> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/alertmanager")
        .join(name);
    match std::fs::read(&p) {
        Ok(b) => Some(b),
        Err(_) => {
            require(&p.display().to_string());
            None
        }
    }
}

fn deliver(addr: &str, hook: &str, secret: &str, content_type: &str, body: &[u8]) -> Reply {
    http(
        addr,
        "POST",
        &format!("/api/v1/hooks/alertmanager/{hook}"),
        &[("Authorization", &format!("Bearer {secret}"))],
        Some((content_type, body)),
    )
}

fn get(addr: &str, token: &str, path: &str) -> Value {
    let r = http(
        addr,
        "GET",
        path,
        &[("Authorization", &format!("Bearer {token}"))],
        None,
    );
    assert_eq!(r.status, 200, "{path}: {}", r.body);
    r.json()
}

fn postmortems(addr: &str, token: &str) -> Vec<Value> {
    get(addr, token, "/api/v1/postmortems?limit=100")["items"]
        .as_array()
        .unwrap()
        .clone()
}

fn record(addr: &str, token: &str, id: &str) -> Value {
    get(addr, token, &format!("/api/v1/postmortems/{id}"))["record"].clone()
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A running Alertmanager: loopback only, clustering off, killed when dropped.
struct Alertmanager {
    child: Child,
    addr: String,
}

impl Alertmanager {
    fn start(dir: &Path, webhook: &str, secret_file: &Path) -> Alertmanager {
        let config = dir.join("alertmanager.yml");
        std::fs::write(
            &config,
            format!(
                "route:\n  receiver: debrief\n  group_by: ['alertname', 'service']\n  group_wait: 1s\n  group_interval: 1s\n  repeat_interval: 1h\nreceivers:\n  - name: debrief\n    webhook_configs:\n      - url: {webhook}\n        send_resolved: true\n        http_config:\n          authorization:\n            type: Bearer\n            credentials_file: {}\n",
                secret_file.display()
            ),
        )
        .unwrap();
        let addr = format!("127.0.0.1:{}", free_port());
        let child = Command::new(ALERTMANAGER)
            .arg(format!("--config.file={}", config.display()))
            .arg(format!("--storage.path={}", dir.join("data").display()))
            .arg(format!("--web.listen-address={addr}"))
            .arg("--cluster.listen-address=")
            .stdout(Stdio::null())
            .stderr(Stdio::from(
                std::fs::File::create(dir.join("alertmanager.log")).unwrap(),
            ))
            .spawn()
            .unwrap();
        let am = Alertmanager { child, addr };
        let start = Instant::now();
        while http_status(&am.addr, "/-/ready") != Some(200) {
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "Alertmanager did not become ready: {}",
                std::fs::read_to_string(dir.join("alertmanager.log")).unwrap_or_default()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        am
    }

    /// Posts alerts to Alertmanager's own API, as Prometheus does.
    fn post(&self, alerts: &Value) {
        let body = alerts.to_string();
        let r = http(
            &self.addr,
            "POST",
            "/api/v2/alerts",
            &[],
            Some(("application/json", body.as_bytes())),
        );
        assert_eq!(r.status, 200, "{}", r.body);
    }
}

impl Drop for Alertmanager {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn http_status(addr: &str, path: &str) -> Option<u16> {
    std::net::TcpStream::connect(addr).ok()?;
    Some(http(addr, "GET", path, &[], None).status)
}

/// Waits until `ready` holds for the postmortems the server lists, or fails after 60 s.
fn wait_for(what: &str, mut ready: impl FnMut() -> bool) {
    let start = Instant::now();
    while !ready() {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "timed out waiting for {what}"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

fn rfc3339(t: jiff::Timestamp) -> String {
    t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

#[test]
fn a_real_alertmanager_opens_a_draft_and_writes_its_timeline() {
    if !Path::new(ALERTMANAGER).exists() {
        return require(ALERTMANAGER);
    }
    let dir = scratch("alertmanager");
    let db = format!("sqlite:{}", dir.join("d.db").display());
    let token = user_with_token(&db, &dir, "sam", "viewer");
    let secret = hook_secret(&db, "prod");
    let secret_file: PathBuf = dir.join("secret");
    std::fs::write(&secret_file, &secret).unwrap();
    let server = Server::start(&db);
    let am = Alertmanager::start(
        &dir,
        &format!("http://{}/api/v1/hooks/alertmanager/prod", server.addr),
        &secret_file,
    );

    // Two instances of one alert, the second a minute after the first, in the recent past so
    // that every instant is exact.
    let now = jiff::Timestamp::now();
    let t0 = jiff::Timestamp::from_second(now.as_second() / 60 * 60 - 20 * 60).unwrap();
    let at = |minutes: i64| rfc3339(t0 + jiff::SignedDuration::from_mins(minutes));
    let alert = |instance: &str, starts: &str, ends: Option<&str>| {
        let mut a = json!({
            "labels": {"alertname": "DiskFull", "service": "billing-db", "severity": "SEV2", "instance": instance},
            "annotations": {"summary": "disk above 95%"},
            "startsAt": starts,
            "generatorURL": format!("http://prometheus.test/graph?g0.expr=disk&instance={instance}"),
        });
        if let Some(e) = ends {
            a["endsAt"] = json!(e);
        }
        a
    };
    am.post(&json!([
        alert("db-1", &at(0), None),
        alert("db-2", &at(1), None)
    ]));
    wait_for("the draft with both firing alerts", || {
        postmortems(&server.addr, &token).first().is_some_and(|p| {
            record(&server.addr, &token, p["id"].as_str().unwrap())["timeline"]
                .as_array()
                .is_some_and(|t| t.len() == 2)
        })
    });
    // Resolved: db-1 four minutes after it started, db-2 five.
    am.post(&json!([
        alert("db-1", &at(0), Some(&at(4))),
        alert("db-2", &at(1), Some(&at(5)))
    ]));
    let list = postmortems(&server.addr, &token);
    assert_eq!(list.len(), 1, "one group, one draft: {list:?}");
    let id = list[0]["id"].as_str().unwrap().to_string();
    wait_for("both resolutions", || {
        record(&server.addr, &token, &id)["timeline"]
            .as_array()
            .is_some_and(|t| t.len() >= 4)
    });
    // Alertmanager keeps notifying at each group interval; nothing may be added twice.
    std::thread::sleep(Duration::from_secs(3));
    let r = record(&server.addr, &token, &id);
    assert_eq!(r["title"], "DiskFull on billing-db");
    assert_eq!(r["status"], "draft");
    assert_eq!(r["severity"], "SEV2");
    assert_eq!(r["services"], json!(["billing-db"]));
    let timeline = r["timeline"].as_array().unwrap();
    assert_eq!(timeline.len(), 4, "{timeline:#?}");
    let kinds: Vec<&str> = timeline
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        ["detection", "symptom", "mitigation", "resolution"],
        "{timeline:#?}"
    );
    let instants: Vec<&str> = timeline
        .iter()
        .map(|e| e["at"]["at"].as_str().unwrap())
        .collect();
    assert_eq!(instants, [at(0), at(1), at(4), at(5)]);
    assert_eq!(
        timeline[0]["source"],
        "alertmanager: DiskFull (instance=db-1, service=billing-db, severity=SEV2)"
    );
    assert_eq!(
        timeline[0]["link"],
        "http://prometheus.test/graph?g0.expr=disk&instance=db-1"
    );
    assert!(
        timeline[3]["text"]
            .as_str()
            .unwrap()
            .contains("disk above 95% resolved"),
        "{timeline:#?}"
    );
    assert_eq!(r["instants"]["detected"]["at"], at(0));
    assert_eq!(r["instants"]["ended"]["at"], at(5));

    let m = get(
        &server.addr,
        &token,
        &format!("/api/v1/postmortems/{id}/metrics"),
    );
    assert_eq!(m["detected_at"], at(0), "{m:#}");
    assert_eq!(m["time_to_mitigate_minutes"], 4, "{m:#}");
    assert_eq!(m["time_to_resolve_minutes"], 5, "{m:#}");

    // The canonical Markdown shows each generated entry with its source and link, and reads
    // back into the same entries.
    let out = dir.join("export");
    let o = cli(&db, &["export", "--all", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let file = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "md"))
        .expect("an exported file");
    let markdown = std::fs::read_to_string(&file).unwrap();
    assert!(
        markdown.contains(
            "  (source: \"alertmanager: DiskFull (instance=db-1, service=billing-db, severity=SEV2)\", link: http://prometheus.test/graph?g0.expr=disk&instance=db-1, event: "
        ),
        "{markdown}"
    );
    let o = cli(&db, &["parse", "--json", file.to_str().unwrap()]);
    let parsed: Value = serde_json::from_slice(&o.stdout).unwrap();
    // The same entries; only their line numbers move (the export's front matter names the id).
    let without_lines = |t: &Value| -> Vec<Value> {
        let mut t = t.as_array().unwrap().clone();
        for e in &mut t {
            e.as_object_mut().unwrap().remove("line");
        }
        t
    };
    assert_eq!(
        without_lines(&parsed["record"]["timeline"]),
        without_lines(&r["timeline"])
    );
    // Every delivery that changed something is in the audit trail, under the hook's name.
    let o = cli(&db, &["audit", "verify"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stdout));
    drop(am);
    server.stop();
}

#[test]
fn deliveries_are_idempotent_and_bad_ones_change_nothing() {
    let (Some(firing), Some(resolved)) = (
        captured("alertmanager-firing.json"),
        captured("alertmanager-resolved.json"),
    ) else {
        return;
    };
    let dir = scratch("hook-refusals");
    let db = format!("sqlite:{}", dir.join("d.db").display());
    let token = user_with_token(&db, &dir, "sam", "viewer");
    let secret = hook_secret(&db, "prod");
    let server = Server::start(&db);
    let a = &server.addr;
    let revisions = || -> i64 {
        postmortems(a, &token)
            .iter()
            .map(|p| p["revision"].as_i64().unwrap())
            .sum()
    };

    // Refused, and nothing stored: wrong secret, no secret, a user's token, unknown hook,
    // wrong content type, broken JSON, a version Debrief does not read, a bad time, too large.
    let checks: Vec<(u16, Reply)> = vec![
        (
            401,
            deliver(a, "prod", "dbh_wrong", "application/json", &firing),
        ),
        (401, deliver(a, "prod", &token, "application/json", &firing)),
        (
            401,
            deliver(a, "other", &secret, "application/json", &firing),
        ),
        (415, deliver(a, "prod", &secret, "text/plain", &firing)),
        (
            400,
            deliver(a, "prod", &secret, "application/json", b"{\"version\": "),
        ),
        (
            422,
            deliver(
                a,
                "prod",
                &secret,
                "application/json",
                String::from_utf8_lossy(&firing)
                    .replace("\"version\":\"4\"", "\"version\":\"3\"")
                    .as_bytes(),
            ),
        ),
        (
            422,
            deliver(
                a,
                "prod",
                &secret,
                "application/json",
                String::from_utf8_lossy(&firing)
                    .replace("2026-11-28T19:17:36Z", "yesterday")
                    .as_bytes(),
            ),
        ),
        (
            413,
            deliver(a, "prod", &secret, "application/json", &vec![b' '; 3 << 20]),
        ),
    ];
    for (want, r) in &checks {
        assert_eq!(r.status, *want, "{}", r.body);
        assert!(
            r.header("content-type")
                .is_some_and(|c| c.starts_with("application/problem+json")),
            "{:?}",
            r.headers
        );
    }
    assert_eq!(revisions(), 0, "a refused delivery stored something");

    // The same delivery again and again: one draft, each alert once.
    let first = deliver(a, "prod", &secret, "application/json", &firing);
    assert_eq!(first.status, 200, "{}", first.body);
    assert_eq!(first.json()["opened"], true);
    assert_eq!(first.json()["added"], 2);
    let again = deliver(a, "prod", &secret, "application/json", &firing);
    assert_eq!(again.json()["added"], 0);
    assert_eq!(again.json()["opened"], false);
    for expected in [2, 0] {
        let r = deliver(a, "prod", &secret, "application/json", &resolved);
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(r.json()["added"], expected);
    }
    let list = postmortems(a, &token);
    assert_eq!(list.len(), 1);
    let id = list[0]["id"].as_str().unwrap();
    let r = record(a, &token, id);
    assert_eq!(r["timeline"].as_array().unwrap().len(), 4);

    // The same new group delivered by eight clients at once: one draft, its two alerts once.
    let other = String::from_utf8_lossy(&firing).replace("HighErrorRate", "QueueBacklog");
    let handles: Vec<_> = (0..8)
        .map(|_| {
            let (addr, secret, body) = (a.clone(), secret.clone(), other.clone());
            std::thread::spawn(move || {
                deliver(&addr, "prod", &secret, "application/json", body.as_bytes()).status
            })
        })
        .collect();
    for h in handles {
        assert_eq!(h.join().unwrap(), 200);
    }
    let list = postmortems(a, &token);
    assert_eq!(list.len(), 2, "{list:?}");
    for p in &list {
        let t = record(a, &token, p["id"].as_str().unwrap())["timeline"].clone();
        let keys: std::collections::HashSet<&str> = t
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["event"].as_str().unwrap())
            .collect();
        assert_eq!(keys.len(), t.as_array().unwrap().len(), "a duplicate entry");
    }

    // A revoked hook is refused from then on.
    let o = cli(&db, &["hook", "revoke", "prod"]);
    assert!(o.status.success());
    assert_eq!(
        deliver(a, "prod", &secret, "application/json", &firing).status,
        401
    );
    let o = cli(&db, &["hook", "list", "--json"]);
    let hooks: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(hooks[0]["revoked_at"].is_string(), "{hooks}");
    assert!(!String::from_utf8_lossy(&o.stdout).contains("dbh_"));
    server.stop();
}

/// A delivery of one alert group: `alerts` as (fingerprint, minute it started, resolved).
fn delivery(group: usize, alerts: &[(usize, i64, bool)]) -> String {
    let alerts: Vec<Value> = alerts
        .iter()
        .map(|&(n, minute, resolved)| {
            let starts = format!("2026-03-14T{:02}:{:02}:00Z", 10 + minute / 60, minute % 60);
            json!({
                "status": if resolved { "resolved" } else { "firing" },
                "labels": {"alertname": format!("Group{group}"), "instance": format!("i-{n}"), "service": "queue"},
                "annotations": {"summary": "consumer lag above 5 minutes"},
                "startsAt": starts,
                "endsAt": if resolved { "2026-03-14T12:00:00Z" } else { "0001-01-01T00:00:00Z" },
                "generatorURL": "",
                "fingerprint": format!("{group:04x}{n:012x}"),
            })
        })
        .collect();
    json!({
        "version": "4",
        "status": "firing",
        "receiver": "debrief",
        "groupKey": format!("{{}}:{{alertname=\"Group{group}\"}}"),
        "groupLabels": {"alertname": format!("Group{group}")},
        "commonLabels": {"alertname": format!("Group{group}")},
        "alerts": alerts,
    })
    .to_string()
}

#[test]
fn a_thousand_deliveries_to_two_servers_on_one_postgres_store_each_alert_once() {
    let Ok(base) = std::env::var("DEBRIEF_TEST_POSTGRES_URL") else {
        return require("DEBRIEF_TEST_POSTGRES_URL");
    };
    let db = fresh_postgres(&base, "hooks");
    let dir = scratch("hooks-pg");
    let token = user_with_token(&db, &dir, "sam", "viewer");
    let secret = hook_secret(&db, "prod");
    let (a, b) = (Server::start(&db), Server::start(&db));

    // 700 distinct deliveries over 20 alert groups (a new alert firing, or one resolving), then
    // 300 repeats of earlier ones: 1,000 in a shuffled order. Every other one goes to both
    // servers at the same moment.
    let mut rng = 0x2545_f491_4f6c_dd1d_u64;
    let mut next = move |n: usize| {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        (rng % n as u64) as usize
    };
    let mut unique: Vec<(usize, String)> = Vec::new();
    let mut expected: std::collections::HashMap<usize, std::collections::HashSet<String>> =
        Default::default();
    for k in 0..700 {
        let group = k % 20;
        let n = k / 20;
        let resolved = k % 7 == 0;
        unique.push((group, delivery(group, &[(n, n as i64, resolved)])));
        let keys = expected.entry(group).or_default();
        let fp = format!("{group:04x}{n:012x}");
        let starts = format!("2026-03-14T{:02}:{:02}:00Z", 10 + n / 60, n % 60);
        keys.insert(format!("alertmanager:{fp}:firing:{starts}"));
        if resolved {
            keys.insert(format!("alertmanager:{fp}:resolved:{starts}"));
        }
    }
    let mut all: Vec<String> = unique.iter().map(|(_, d)| d.clone()).collect();
    for _ in 0..300 {
        let pick = next(unique.len());
        all.push(unique[pick].1.clone());
    }
    for i in (1..all.len()).rev() {
        all.swap(i, next(i + 1));
    }
    let work = std::sync::Arc::new(std::sync::Mutex::new(
        all.into_iter().enumerate().collect::<Vec<_>>(),
    ));
    let addrs = std::sync::Arc::new([a.addr.clone(), b.addr.clone()]);
    let handles: Vec<_> = (0..8)
        .map(|t| {
            let (work, addrs, secret) = (work.clone(), addrs.clone(), secret.clone());
            std::thread::spawn(move || {
                let mut statuses = Vec::new();
                loop {
                    let Some((i, body)) = work.lock().unwrap().pop() else {
                        return statuses;
                    };
                    let send = |addr: String, body: String, secret: String| {
                        std::thread::spawn(move || {
                            // As Alertmanager does: a delivery refused with 409 is sent again.
                            for _ in 0..20 {
                                let r = deliver(
                                    &addr,
                                    "prod",
                                    &secret,
                                    "application/json",
                                    body.as_bytes(),
                                );
                                if r.status != 409 {
                                    return r.status;
                                }
                                std::thread::sleep(Duration::from_millis(20));
                            }
                            409
                        })
                    };
                    let first = send(addrs[(i + t) % 2].clone(), body.clone(), secret.clone());
                    if i % 2 == 0 {
                        let second = send(addrs[(i + t + 1) % 2].clone(), body, secret.clone());
                        statuses.push(second.join().unwrap());
                    }
                    statuses.push(first.join().unwrap());
                }
            })
        })
        .collect();
    let statuses: Vec<u16> = handles
        .into_iter()
        .flat_map(|h| h.join().unwrap())
        .collect();
    assert_eq!(statuses.len(), 1500);
    assert!(
        statuses.iter().all(|s| *s == 200),
        "not all delivered: {:?}",
        statuses.iter().filter(|s| **s != 200).collect::<Vec<_>>()
    );

    let list = postmortems(&a.addr, &token);
    assert_eq!(list.len(), 20, "one draft per group");
    let mut stored = 0;
    for p in &list {
        let r = record(&a.addr, &token, p["id"].as_str().unwrap());
        let group: usize = r["title"]
            .as_str()
            .unwrap()
            .trim_start_matches("Group")
            .split(' ')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        let keys: Vec<String> = r["timeline"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["event"].as_str().unwrap().to_string())
            .collect();
        let distinct: std::collections::HashSet<String> = keys.iter().cloned().collect();
        assert_eq!(
            distinct.len(),
            keys.len(),
            "a duplicate entry in group {group}"
        );
        assert_eq!(distinct, expected[&group], "group {group}");
        stored += keys.len();
    }
    println!(
        "hook deliveries on two servers: 1,000 deliveries (1,500 requests), {stored} entries stored"
    );
    let o = cli(&db, &["verify"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stdout));
    a.stop();
    b.stop();
}

#[test]
fn events_join_the_open_draft_of_their_service_or_the_named_postmortem() {
    let Some(firing) = captured("alertmanager-firing.json") else {
        return;
    };
    let dir = scratch("events");
    let db = format!("sqlite:{}", dir.join("d.db").display());
    let token = user_with_token(&db, &dir, "sam", "viewer");
    let alerts = hook_secret(&db, "prod");
    let events = create_hook(&db, &["deploys", "--kind", "events"]);
    let server = Server::start(&db);
    let a = &server.addr;
    let opened = deliver(a, "prod", &alerts, "application/json", &firing).json();
    let draft = opened["postmortem"].as_str().unwrap().to_string();
    let send = |secret: &str, body: Value| {
        http(
            a,
            "POST",
            "/api/v1/hooks/events/deploys",
            &[("Authorization", &format!("Bearer {secret}"))],
            Some(("application/json", body.to_string().as_bytes())),
        )
    };
    let deploy = json!({
        "at": "2026-11-28T19:10:00Z",
        "text": "deployed web 4.2.0",
        "source": "deploy",
        "link": "https://ci.example/builds/4200",
        "id": "deploy-4200",
        "labels": {"service": "web"},
    });
    let r = send(&events, deploy.clone());
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["postmortem"], draft.as_str());
    assert_eq!(r.json()["added"], 1);
    assert_eq!(send(&events, deploy.clone()).json()["added"], 0, "a repeat");
    // By the postmortem's id (a prefix), with no key of the sender's: its content is its key.
    let note = json!({
        "at": "2026-11-28T19:25:00Z", "text": "status page updated: investigating",
        "source": "status-page", "postmortem": &draft[..6],
    });
    assert_eq!(send(&events, note.clone()).json()["added"], 1);
    assert_eq!(send(&events, note).json()["added"], 0);
    // Other labels may come with the postmortem's id: only `service` names a draft.
    let tagged = json!({
        "at": "2026-11-28T19:27:00Z", "text": "support notified the largest customers",
        "source": "support", "postmortem": draft, "labels": {"env": "prod"},
    });
    let r = send(&events, tagged);
    assert_eq!(
        (r.status, r.json()["added"].clone()),
        (200, json!(1)),
        "{}",
        r.body
    );
    // Refused, and nothing stored.
    let before = record(a, &token, &draft)["timeline"].clone();
    for (status, body, secret) in [
        (401, deploy.clone(), alerts.as_str()),
        (
            404,
            json!({"at": "2026-11-28T19:10:00Z", "text": "x", "source": "deploy", "labels": {"service": "billing"}}),
            events.as_str(),
        ),
        (
            422,
            json!({"at": "2026-11-28T19:10:00Z", "text": "x", "source": "deploy", "labels": {"service": "web"}, "postmortem": draft}),
            events.as_str(),
        ),
        (
            422,
            json!({"at": "2026-11-28T19:10:00Z", "text": "x", "source": "deploy", "labels": {"env": "prod"}}),
            events.as_str(),
        ),
        (
            422,
            json!({"at": "2026-11-28T19:10:00Z", "text": "x", "source": "deploy", "postmortem": &draft[..3]}),
            events.as_str(),
        ),
        (
            422,
            json!({"at": "at ten", "text": "x", "source": "deploy", "postmortem": draft}),
            events.as_str(),
        ),
        (
            422,
            json!({"at": "2026-11-28T19:10:00Z", "text": "x", "source": "deploy", "postmortem": draft, "link": "javascript:alert(1)"}),
            events.as_str(),
        ),
        (
            400,
            json!({"at": "2026-11-28T19:10:00Z", "text": "x", "source": "deploy", "postmortem": draft, "colour": "red"}),
            events.as_str(),
        ),
    ] {
        let r = send(secret, body);
        assert_eq!(r.status, status, "{}", r.body);
    }
    assert_eq!(record(a, &token, &draft)["timeline"], before);

    // The same from a script, through the command line.
    let args = [
        "event",
        "add",
        "--service",
        "web",
        "--at",
        "2026-11-28 19:30",
        "--text",
        "feature flag new-checkout turned off",
        "--source",
        "feature-flag",
        "--id",
        "flag-77",
    ];
    let o = cli(&db, &args);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stdout).contains("event added"));
    let o = cli(&db, &args);
    assert!(String::from_utf8_lossy(&o.stdout).contains("there already"));
    let o = cli(
        &db,
        &[
            "event",
            "add",
            "--service",
            "web",
            "--text",
            "  ",
            "--link",
            "ftp://x",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("--text: 2 characters; give 1 to 4000"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let timeline = record(a, &token, &draft)["timeline"].clone();
    let sources: Vec<&str> = timeline
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["source"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(
        sources
            .iter()
            .filter(|s| !s.starts_with("alertmanager"))
            .count(),
        4,
        "{timeline:#}"
    );
    let deployed = timeline
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["source"] == "deploy")
        .unwrap();
    assert_eq!(deployed["link"], "https://ci.example/builds/4200");
    assert_eq!(deployed["at"]["at"], "2026-11-28T19:10:00Z");
    // Entries stay in time order: the deploy before the alerts that followed it.
    assert_eq!(timeline[0]["source"], "deploy");
    server.stop();
}

#[test]
fn a_hook_maps_labels_to_services_and_severity_as_configured() {
    let Some(firing) = captured("alertmanager-firing.json") else {
        return;
    };
    let dir = scratch("mapping");
    let db = format!("sqlite:{}", dir.join("d.db").display());
    let token = user_with_token(&db, &dir, "sam", "viewer");
    let secret = create_hook(
        &db,
        &[
            "mapped",
            "--service-label",
            "instance",
            "--severity",
            "page=SEV2",
            "--severity",
            "ticket=SEV4",
        ],
    );
    let o = cli(&db, &["hook", "create", "x", "--severity", "critical"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("VALUE=SEVERITY"));
    let server = Server::start(&db);
    let r = deliver(&server.addr, "mapped", &secret, "application/json", &firing);
    assert_eq!(r.status, 200, "{}", r.body);
    let rec = record(
        &server.addr,
        &token,
        r.json()["postmortem"].as_str().unwrap(),
    );
    assert_eq!(rec["services"], json!(["web-1", "web-2"]));
    assert_eq!(rec["severity"], "SEV2");
    assert_eq!(rec["title"], "HighErrorRate on web-1, web-2");
    let o = cli(&db, &["hook", "list", "--format", "json"]);
    let hooks: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(hooks[0]["mapping"]["severities"]["ticket"], "SEV4");
    server.stop();
}
